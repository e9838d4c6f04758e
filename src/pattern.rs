//! How every pattern of a pack compiles: one set of regex options, used
//! when a pack is checked (syntax only), when the screener builds the
//! shared set of all patterns, and when it runs one pattern alone for its
//! spans. They must agree, so they live in one place.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};
use regex_automata::meta::Regex as MultiRegex;
use regex_automata::nfa::thompson;
use regex_syntax::hir::{Class, Hir, HirKind};

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
/// most posts: [`Lazy::checked`] builds only the forward and reverse
/// NFAs, within the size limit the full build uses, when the pack
/// compiles.
#[derive(Debug)]
pub(crate) struct Lazy {
    source: String,
    regex: OnceLock<Option<Regex>>,
    /// What every match holds at least (known for checked patterns).
    needs: Needs,
}

impl Lazy {
    /// A pattern that the shared set has compiled already, so it is known
    /// to fit the size limit.
    pub(crate) fn unchecked(source: String) -> Lazy {
        Lazy { source, regex: OnceLock::new(), needs: Needs::default() }
    }

    /// `source` if it compiles within [`REGEX_SIZE_LIMIT`]; else the regex
    /// crate's own error, so that it reads as every other pattern error.
    pub(crate) fn checked(source: String) -> Result<Lazy, regex::Error> {
        let config = thompson::Config::new()
            .utf8(false)
            .nfa_size_limit(Some(REGEX_SIZE_LIMIT));
        let hir = regex_automata::util::syntax::parse_with(
            &source,
            &syntax_config(),
        );
        if let Ok(hir) = hir {
            // The full build compiles a reverse NFA too, under the same
            // limit, and it can be the larger (a Unicode class run
            // backwards): both are checked.
            let forward = thompson::Compiler::new()
                .configure(config.clone())
                .build_from_hir(&hir);
            let reverse = thompson::Compiler::new()
                .configure(
                    config
                        .reverse(true)
                        .which_captures(thompson::WhichCaptures::None),
                )
                .build_from_hir(&hir);
            if forward.is_ok() && reverse.is_ok() {
                let needs = Needs::of(&hir);
                return Ok(Lazy { needs, ..Lazy::unchecked(source) });
            }
        }
        let regex = pattern_builder(&source).build()?;
        Ok(Lazy {
            regex: OnceLock::from(Some(regex)),
            ..Lazy::unchecked(source)
        })
    }

    /// False when `text`, which holds `has` of what a match needs, holds
    /// too few for any match: the search is skipped.
    pub(crate) fn may_match(&self, has: Needs) -> bool {
        self.needs.digits <= has.digits && self.needs.ats <= has.ats
    }

    pub(crate) fn source(&self) -> &str {
        &self.source
    }

    /// The regex, built on the first call. `None` only if the full build
    /// fails where the check passed (not seen: the check builds the same
    /// two NFAs under the same limit): the pattern then matches nothing.
    pub(crate) fn get(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| pattern_builder(&self.source).build().ok())
            .as_ref()
    }
}

/// How many ASCII digits and `@` signs a text holds, or every match of a
/// pattern holds at least: a phone number needs its nine digits, an e-mail
/// address its `@`, and most posts have neither, so a concept's patterns
/// (which run on every post when the concept has no terms) are skipped
/// for the price of one count over the post.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Needs {
    pub(crate) digits: u32,
    pub(crate) ats: u32,
}

impl Needs {
    /// What `text` holds.
    pub(crate) fn count(text: &str) -> Needs {
        let mut n = Needs::default();
        for &b in text.as_bytes() {
            n.digits += u32::from(b.is_ascii_digit());
            n.ats += u32::from(b == b'@');
        }
        n
    }

    /// The least that any match of `hir` holds.
    fn of(hir: &Hir) -> Needs {
        let one = |digit: bool, at: bool| Needs {
            digits: u32::from(digit),
            ats: u32::from(at),
        };
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => Needs::default(),
            HirKind::Literal(lit) => {
                lit.0.iter().fold(Needs::default(), |n, &b| {
                    n.plus(one(b.is_ascii_digit(), b == b'@'))
                })
            }
            HirKind::Class(class) => {
                let (digit, at) = class_is(class);
                one(digit, at)
            }
            HirKind::Repetition(r) => {
                let n = Needs::of(&r.sub);
                Needs {
                    digits: n.digits.saturating_mul(r.min),
                    ats: n.ats.saturating_mul(r.min),
                }
            }
            HirKind::Capture(c) => Needs::of(&c.sub),
            HirKind::Concat(parts) => parts
                .iter()
                .fold(Needs::default(), |n, h| n.plus(Needs::of(h))),
            HirKind::Alternation(arms) => arms
                .iter()
                .map(Needs::of)
                .reduce(|a, b| Needs {
                    digits: a.digits.min(b.digits),
                    ats: a.ats.min(b.ats),
                })
                .unwrap_or_default(),
        }
    }

    fn plus(self, o: Needs) -> Needs {
        Needs {
            digits: self.digits.saturating_add(o.digits),
            ats: self.ats.saturating_add(o.ats),
        }
    }
}

/// Whether every character of a (non-empty) class is an ASCII digit, and
/// whether it is `@` alone.
fn class_is(class: &Class) -> (bool, bool) {
    let ranges: Vec<(u32, u32)> = match class {
        Class::Bytes(c) => c
            .ranges()
            .iter()
            .map(|r| (r.start().into(), r.end().into()))
            .collect(),
        Class::Unicode(c) => c
            .ranges()
            .iter()
            .map(|r| (r.start().into(), r.end().into()))
            .collect(),
    };
    let digit = !ranges.is_empty()
        && ranges
            .iter()
            .all(|&(a, b)| a >= u32::from(b'0') && b <= u32::from(b'9'));
    let at = ranges == [(u32::from(b'@'), u32::from(b'@'))];
    (digit, at)
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
        // Parses, but too big once compiled: the builder's own error. The
        // last two's forward NFAs fit, their reverse ones do not.
        for huge in [r"\w{1000}{1000}", r"(?u)\w{813}", r"(?u)[^a]{16195}"] {
            let e = Lazy::checked(huge.into()).unwrap_err();
            assert!(regex_message(&e).contains("size limit"), "{huge}: {e}");
        }
        assert!(Lazy::checked("(unclosed".into()).is_err());
    }

    /// What a match needs at least, table-driven: (pattern, digits, `@`s).
    #[test]
    fn what_every_match_holds() {
        for (pattern, digits, ats) in [
            (r"(?:\+44\s?7\d{3}|\b07\d{3})\s\d{3}\s?\d{3}\b", 11, 0),
            (r"\b[a-z0-9._%+-]+@(?:gmail|gmx)\.(?:com|de)\b", 0, 1),
            (r"(?:\+41\s?|\b0)7[5-9]\s\d{3}", 6, 0),
            (r"[0-9a]\d?", 0, 0),
            (r"x{8,}|\d{2}@", 0, 0),
            (r"(?:ab|\d\d){3}", 0, 0),
            (r"(?:\d\d){3,}@@", 6, 2),
        ] {
            let lazy = Lazy::checked(pattern.into()).unwrap();
            assert_eq!(lazy.needs, Needs { digits, ats }, "{pattern}");
            // A text with exactly that much may match; one less may not.
            assert!(lazy.may_match(Needs { digits, ats }));
            if digits > 0 {
                assert!(!lazy.may_match(Needs { digits: digits - 1, ats }));
            }
        }
        let n = Needs::count("call 07700 900123 or a@b.c");
        assert_eq!(n, Needs { digits: 11, ats: 1 });
    }
}
