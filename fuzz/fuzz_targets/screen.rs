//! Arbitrary bytes as a post, screened with every bundled pack; see
//! `preclear_fuzz::check_screen` for the invariants.

#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|data: &[u8]| -> Corpus {
    match preclear_fuzz::check_screen(data) {
        preclear_fuzz::Outcome::Keep => Corpus::Keep,
        preclear_fuzz::Outcome::Reject => Corpus::Reject,
    }
});
