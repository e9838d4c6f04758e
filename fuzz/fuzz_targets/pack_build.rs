//! Packs built from structured input, layered, compiled and used on posts
//! made of their own terms; see `preclear_fuzz::check_pack_build` for the
//! invariants.

#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|data: &[u8]| -> Corpus {
    match preclear_fuzz::check_pack_build(data) {
        preclear_fuzz::Outcome::Keep => Corpus::Keep,
        preclear_fuzz::Outcome::Reject => Corpus::Reject,
    }
});
