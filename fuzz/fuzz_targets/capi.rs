//! Random programs of C ABI calls, checked against the Rust API; see
//! `preclear_fuzz::check_capi` for the invariants.

#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|data: &[u8]| -> Corpus {
    match preclear_fuzz::check_capi(data) {
        preclear_fuzz::Outcome::Keep => Corpus::Keep,
        preclear_fuzz::Outcome::Reject => Corpus::Reject,
    }
});
