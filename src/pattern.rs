//! How every pattern of a pack compiles: one set of regex options, used
//! when a pack is checked (syntax only), when the screener builds the
//! shared set of all patterns, and when it runs one pattern alone for its
//! spans. They must agree, so they live in one place.

use regex::bytes::RegexBuilder;
use regex_automata::meta::Regex as MultiRegex;

use crate::limits::REGEX_SIZE_LIMIT;

/// The builder every pattern is compiled with: ASCII classes unless the
/// pattern asks for `(?u)` (Unicode tables make every class slower), any
/// case, within [`REGEX_SIZE_LIMIT`].
pub(crate) fn pattern_builder(pattern: &str) -> RegexBuilder {
    let mut b = RegexBuilder::new(pattern);
    b.unicode(false)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT);
    b
}

/// The syntax [`pattern_builder`] parses with (`regex::bytes` does not
/// require UTF-8), for the engines that take a syntax config.
pub(crate) fn syntax_config() -> regex_automata::util::syntax::Config {
    regex_automata::util::syntax::Config::new()
        .unicode(false)
        .utf8(false)
        .case_insensitive(true)
}

/// The options of the one multi-pattern search over every pattern: the
/// syntax of [`pattern_builder`], with the semantics of a regex set (every
/// pattern that matches anywhere) and the same size limits.
pub(crate) fn set_builder() -> regex_automata::meta::Builder {
    let config = MultiRegex::config()
        .match_kind(regex_automata::MatchKind::All)
        .utf8_empty(false)
        .which_captures(regex_automata::nfa::thompson::WhichCaptures::None)
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(REGEX_SIZE_LIMIT);
    let mut b = MultiRegex::builder();
    b.configure(config).syntax(syntax_config());
    b
}

/// The regex crate's messages span several lines; the last one says what
/// is wrong.
pub(crate) fn regex_message(e: &dyn std::fmt::Display) -> String {
    let message = e.to_string();
    let last = message.lines().rev().find(|l| !l.trim().is_empty());
    last.unwrap_or("").trim().trim_start_matches("error: ").to_string()
}
