//! Fuzzes the decoding of stored bytes: claim and source records, posting
//! blocks and index keys. Damaged bytes must give an error, never a panic
//! or an attempt to allocate without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    claimdb::engine::fuzz_decode(data);
});
