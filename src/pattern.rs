//! How every pattern of a pack compiles: one set of regex options, used
//! when a pack is checked (syntax only), when the screener builds the
//! shared set of all patterns, and when it runs one pattern alone for its
//! spans. They must agree, so they live in one place.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};
use regex_automata::meta::Regex as MultiRegex;
use regex_automata::nfa::thompson;

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

/// A pattern compiled the first time a post needs it. Building a regex
/// (the literal extraction for its prefilters, its engines) costs several
/// times what checking it does, and most patterns of a pack never run on
/// most posts: [`Lazy::checked`] builds only the forward NFA, within the
/// size limit the full build uses, when the pack compiles.
#[derive(Debug)]
pub(crate) struct Lazy {
    source: String,
    regex: OnceLock<Option<Regex>>,
}

impl Lazy {
    /// A pattern that the shared set has compiled already, so it is known
    /// to fit the size limit.
    pub(crate) fn unchecked(source: String) -> Lazy {
        Lazy { source, regex: OnceLock::new() }
    }

    /// `source` if it compiles within [`REGEX_SIZE_LIMIT`]; else the regex
    /// crate's own error, so that it reads as every other pattern error.
    pub(crate) fn checked(source: String) -> Result<Lazy, regex::Error> {
        let config = thompson::Config::new()
            .utf8(false)
            .nfa_size_limit(Some(REGEX_SIZE_LIMIT));
        let nfa = thompson::Compiler::new()
            .syntax(syntax_config())
            .configure(config)
            .build(&source);
        if nfa.is_ok() {
            return Ok(Lazy::unchecked(source));
        }
        let regex = pattern_builder(&source).build()?;
        Ok(Lazy { source, regex: OnceLock::from(Some(regex)) })
    }

    pub(crate) fn source(&self) -> &str {
        &self.source
    }

    /// The regex, built on the first call. `None` only if the full build
    /// fails where the check passed (the reverse NFA over the limit when
    /// the forward one is not): the pattern then matches nothing.
    pub(crate) fn get(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| pattern_builder(&self.source).build().ok())
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lazy_patterns_are_checked_now_and_built_on_first_use() {
        let lazy = Lazy::checked(r"\b07\d{3} \d{6}\b".into()).unwrap();
        assert!(lazy.regex.get().is_none(), "built before its first use");
        let re = lazy.get().expect("builds");
        assert!(re.is_match(b"call 07700 900123"));
        assert!(!re.is_match(b"call 0770 900123"));
        // Parses, but too big once compiled: the builder's own error.
        let e = Lazy::checked(r"\w{1000}{1000}".into()).unwrap_err();
        assert!(regex_message(&e).contains("size limit"), "{e}");
        assert!(Lazy::checked("(unclosed".into()).is_err());
    }
}
