//! preclear screens a draft social-media post against a company's
//! compliance policy before it is published, and answers **allow**,
//! **warn** or **block**, with the reasons.
//!
//! Policy is data: a *rule pack* (TOML) per organisation, stacked with
//! overlays, compiled once into a [`Screener`] that screens posts in
//! microseconds and explains itself.
//!
//! # Overview
//!
//! - [`Pack`]: one parsed and checked rule pack (the format is described in
//!   `rules/README.md`).
//! - [`Policy`]: the ordered stack of packs, with `extends` resolved and a
//!   stable [fingerprint](Policy::fingerprint).
//! - [`Screener`] (built directly or with [`ScreenerBuilder`]): the compiled
//!   policy; immutable, `Send + Sync`, cheap to clone.
//! - [`Verdict`] and [`Reason`]: what [`Screener::screen`] answers.
//! - [`Error`]: every failure, with the pack, line, column and rule it is
//!   about.
//!
//! # Example: screen a post with a bundled pack
//!
//! ```
//! use preclear::{Decision, Policy, Screener};
//!
//! let mut policy = Policy::new();
//! policy.add_bundled("financial-institution")?;
//! let screener = Screener::new(&policy)?;
//!
//! let v = screener.screen("Our fund offers guaranteed returns of 12%!")?;
//! assert_eq!(v.decision(), Decision::Block);
//! assert!(v.reasons().iter().any(|r| r.category() == "promissory"));
//!
//! let v = screener.screen("Our new branch opens Monday at 9am!")?;
//! assert_eq!(v.decision(), Decision::Allow);
//! # Ok::<(), preclear::Error>(())
//! ```
//!
//! # Example: a pack of your own
//!
//! ```
//! use preclear::{Decision, Policy, Screener};
//!
//! let mut policy = Policy::new();
//! policy.add_toml("acme.toml", r#"
//!     [pack]
//!     name = "acme"
//!     version = "1.0.0"
//!
//!     [[rules]]
//!     id = "acme.customer-id"
//!     kind = "pattern"
//!     pattern = '\bAC-\d{8}\b'
//!     score = 100
//!     action = "block"
//!     mask = true
//!     message = "Remove the customer id before posting."
//! "#)?;
//! let v = Screener::new(&policy)?.screen("ticket for AC-12345678 closed")?;
//! assert_eq!(v.decision(), Decision::Block);
//! // A masked value shows its last four only from 12 letters and digits
//! // up (a card number); this one is hidden whole.
//! assert_eq!(v.reasons()[0].excerpt(), Some("ticket for ••-•••••••• closed"));
//! # Ok::<(), preclear::Error>(())
//! ```
//!
//! # Crate features
//!
//! - `cli` (default): the `preclear` command line. Library users can
//!   disable default features to skip its dependencies.
//! - `capi`: the C ABI (`include/preclear.h`), for building
//!   `libpreclear.so`/`.a` with `cargo build --release --features capi`.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]
// Every `unsafe` (all in `ffi`) is a block that says why it is sound.
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

mod automaton;
mod concept;
mod confusable;
mod date;
mod entity;
mod error;
mod evasion;
mod examples;
#[cfg(feature = "capi")]
pub mod ffi;
mod grams;
pub mod limits;
mod link;
mod normalize;
mod pack;
mod pattern;
mod policy;
mod score;
mod screener;
mod sentence;
mod stance;
#[cfg(test)]
mod test_rng;
mod text;
mod unicode_tables;
mod validate;
mod verdict;

pub use crate::concept::{Concept, Inflect};
pub use crate::date::Date;
pub use crate::error::{Error, ErrorKind};
pub use crate::evasion::LEETSPEAK;
pub use crate::examples::{ExampleFailure, ExampleReport};
pub use crate::pack::{
    Context, Example, Exception, Level, Matchers, Override, Pack, Rule,
    RuleKind, Scope, Suggestion, Thresholds, Unless,
};
pub use crate::policy::{
    bundled_names, bundled_pack, Change, EffectivePolicy, EffectiveRule,
    Policy,
};
pub use crate::screener::{Screener, ScreenerBuilder};
pub use crate::stance::{Frame, Stance, StanceAction, StanceRule};
pub use crate::verdict::{ConceptMatch, Decision, Reason, Redacted, Verdict};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync_unwind<
        T: Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe,
    >() {
    }

    /// Asserts the auto traits of each type and returns their names.
    macro_rules! thread_safe {
        ($($t:ty),* $(,)?) => {{
            $(assert_send_sync_unwind::<$t>();)*
            vec![$(stringify!($t)),*]
        }};
    }

    /// Every type the crate root exports is `Send + Sync` and unwind-safe:
    /// the list is checked against the `pub use` lines of this file, so a
    /// new public type cannot be left out.
    #[test]
    fn public_types_are_thread_safe() {
        let mut checked = thread_safe![
            Change,
            Concept,
            ConceptMatch,
            Context,
            Date,
            Decision,
            EffectivePolicy,
            EffectiveRule,
            Error,
            ErrorKind,
            Example,
            ExampleFailure,
            ExampleReport,
            Exception,
            Inflect,
            Level,
            Matchers,
            Override,
            Pack,
            Policy,
            Reason,
            Redacted,
            Rule,
            RuleKind,
            Scope,
            Screener,
            ScreenerBuilder,
            Frame,
            Stance,
            StanceAction,
            StanceRule,
            Suggestion,
            Thresholds,
            Unless,
            Verdict,
        ];
        checked.sort_unstable();
        let source = include_str!("lib.rs");
        let mut exported: Vec<&str> = source
            .split("\npub use ")
            .skip(1)
            .flat_map(|item| {
                let item = &item[..item.find(';').unwrap()];
                let names = item.rsplit("::").next().unwrap();
                names.split([',', '{', '}', ' ', '\n'])
            })
            // Types, not constants (`LEETSPEAK`).
            .filter(|name| {
                name.starts_with(char::is_uppercase)
                    && name.chars().any(char::is_lowercase)
            })
            .collect();
        exported.sort_unstable();
        assert_eq!(checked, exported);
    }
}
