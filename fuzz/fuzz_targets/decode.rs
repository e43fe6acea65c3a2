//! Fuzzes the decoding of stored bytes: every stored form of format 2 (id
//! pages of claims and sources, packed pages and the index blocks, source
//! identities and relations in them, undo entries, marker slots) and the
//! records of format 1 that the upgrade reads. Damaged bytes must give an
//! error, never a panic or an attempt to allocate without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    claimdb::engine::fuzz_decode(data);
});
