//! Fuzzes the query parser: any input must parse or fail with an error that
//! renders, never panic or overflow the stack.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(e) = claimdb::query::parser::parse(text) {
            let _ = e.render("fuzz", text, 1);
        }
    }
});
