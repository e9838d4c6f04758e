//! Every limit preclear enforces, in one place (README "Limits and
//! guarantees").
//!
//! A pack is data, and may come from anyone who can write a file that a
//! publishing tool reads: nothing in it may make loading, compiling or
//! screening take unbounded time or memory. Each limit is far above what a
//! real pack needs (a bundled pack has about 30 rules, a few hundred terms
//! and patterns under 300 bytes) and low enough that the largest policy
//! the limits allow still compiles (the measured figures are in the
//! README).
//!
//! Going over a limit is an [`ErrorKind::Limit`](crate::ErrorKind::Limit)
//! error naming the limit, its value and the actual size, with the pack,
//! and the position and rule where there is one. Nothing is truncated.
//!
//! Per-pack limits are checked when a pack is parsed, before anything is
//! built from it, and point at the rule that crosses them; per-policy
//! limits are checked as packs are added, and name the pack that crosses
//! them. Besides these: a pattern that compiles to more than
//! [`REGEX_SIZE_LIMIT`] (16 MiB) is an
//! [`ErrorKind::Regex`](crate::ErrorKind::Regex) error naming the rule (a
//! pattern is measured as it is built: without case folding where that
//! matches the same on the normal form, see `pattern::parse_normal`), and
//! a post over [`MAX_POST_BYTES`] (or the screener's own
//! [`max_post_bytes`](crate::ScreenerBuilder::max_post_bytes)) is an
//! error, never truncated.

/// The default largest post, in bytes
/// ([`ScreenerBuilder::max_post_bytes`](crate::ScreenerBuilder::max_post_bytes)).
/// Screening time and scratch memory grow linearly with the post; 10 MiB
/// is a long document, far beyond any social-media post.
pub const MAX_POST_BYTES: usize = 10 * 1024 * 1024;

/// The most memory one pattern, or the shared set of every pattern, may
/// compile into (and the lazy DFA's cache per search): a hostile pack must
/// not compile into gigabytes. Going over it is an
/// [`ErrorKind::Regex`](crate::ErrorKind::Regex) error naming the rule.
pub const REGEX_SIZE_LIMIT: usize = 16 * 1024 * 1024;

/// The largest pack, in bytes, whether read from a file or given as a
/// string. A file is measured before it is read, so a 100 MB file (or
/// `extends = ["/dev/zero"]`) costs nothing. The bundled packs are 10–30
/// KB; 4 MiB is a hundred times a large real pack and parses in a fraction
/// of a second.
pub const MAX_PACK_BYTES: u64 = 4 * 1024 * 1024;

/// The most rules in one pack. Real packs have tens to hundreds.
pub const MAX_RULES_PER_PACK: usize = 10_000;

/// The most terms in one rule: the words of a terms rule, of a required
/// rule's `trigger` and `require`, the hosts of a link rule, and the
/// rule's `context` and `unless` words. The largest real lists (every
/// listed ticker, a profanity list in many languages) have about 10,000.
pub const MAX_TERMS_PER_RULE: usize = 50_000;

/// The most terms in one pack: its rules' terms as counted for
/// [`MAX_TERMS_PER_RULE`], plus its concepts' terms and every word, host,
/// rule id and category that its exceptions, overrides and
/// `locked_categories` list. Every term
/// of a policy goes into one automaton, whose build time and memory grow
/// with their number.
pub const MAX_TERMS_PER_PACK: usize = 50_000;

/// The most patterns in one pack: rule patterns, the patterns of required
/// rules' `trigger` and `require`, concept patterns and exception
/// patterns. Each compiles
/// into a regex of its own as well as into the shared set.
pub const MAX_PATTERNS_PER_PACK: usize = 2_000;

/// The longest pattern, in bytes of source. The bundled patterns are under
/// 300 bytes; a long alternation of names belongs in a terms rule. (What a
/// short pattern compiles to is bounded separately: `\w{1000}{1000}` is 14
/// bytes and is refused by [`REGEX_SIZE_LIMIT`].)
pub const MAX_PATTERN_BYTES: usize = 4096;

/// The most packs in one chain of `extends` (a pack, what it extends, what
/// that extends…). Real chains are individual → team → organisation →
/// a bundled pack or two. The chain is cut before the next file is read,
/// which also bounds the recursion, and a cycle longer than this is
/// refused here.
pub const MAX_EXTENDS_DEPTH: usize = 16;

/// The most packs in one policy, counting those pulled in by `extends`.
/// Real policies hold two to six.
pub const MAX_PACKS_PER_POLICY: usize = 32;

/// The most rules in one policy, all packs together: two packs at
/// [`MAX_RULES_PER_PACK`]. The per-policy limits bound what a screener
/// compiles, whatever the number of packs.
pub const MAX_RULES_PER_POLICY: usize = 20_000;

/// The most terms in one policy, counted as for [`MAX_TERMS_PER_PACK`]:
/// two packs at that limit.
pub const MAX_TERMS_PER_POLICY: usize = 100_000;

/// The most patterns in one policy, counted as for
/// [`MAX_PATTERNS_PER_PACK`]: two packs at that limit.
pub const MAX_PATTERNS_PER_POLICY: usize = 4_000;

/// The most `[[overrides]]` in one policy. Real overlays have a handful;
/// an override by category applies to every rule of the category, so the
/// cost of layering grows with overrides times rules.
pub const MAX_OVERRIDES_PER_POLICY: usize = 200;

/// The most `[[exceptions]]` in one policy. Real policies have a handful;
/// every rule is checked against every exception when the policy compiles.
pub const MAX_EXCEPTIONS_PER_POLICY: usize = 1_000;

/// The total of `count` over `items` if it is within `max`; else the
/// total and the first item at which the running sum goes over `max`, the
/// one an error points at.
pub(crate) fn within<T>(
    items: &[T],
    max: usize,
    count: impl Fn(&T) -> usize,
) -> Result<usize, (usize, &T)> {
    let mut total = 0usize;
    let mut crossing = None;
    for item in items {
        total = total.saturating_add(count(item));
        if total > max && crossing.is_none() {
            crossing = Some(item);
        }
    }
    match crossing {
        None => Ok(total),
        Some(item) => Err((total, item)),
    }
}
