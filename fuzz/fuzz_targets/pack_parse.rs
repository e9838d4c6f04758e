//! Arbitrary bytes as a pack's TOML, loaded, compiled and used; see
//! `preclear_fuzz::check_pack` for the invariants.

#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|data: &[u8]| -> Corpus {
    match preclear_fuzz::check_pack(data) {
        preclear_fuzz::Outcome::Keep => Corpus::Keep,
        preclear_fuzz::Outcome::Reject => Corpus::Reject,
    }
});
