//! The one search over every rule pattern of a pack: which of them match
//! a post. Each pattern that does then runs alone for its spans, so the
//! set needs only a forward lazy DFA that reports every pattern matching
//! anywhere — not the reverse automaton, the fallback engines and the
//! literal prefilters a full multi-pattern regex builds (the reverse
//! automaton alone was a tenth of the bank pack's compile).

use std::fmt;
use std::panic::{RefUnwindSafe, UnwindSafe};

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson;
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind, PatternID, PatternSet};

use super::parse_normal;
use crate::limits::REGEX_SIZE_LIMIT;

/// How a thread's cache is made: one per thread that searches, kept.
type MakeCache =
    Box<dyn Fn() -> Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// Every rule pattern of a pack, as one automaton.
pub(crate) struct Set {
    dfa: DFA,
    caches: Pool<Cache, MakeCache>,
}

/// Why the patterns do not compile together.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SetError {
    #[error(transparent)]
    Syntax(Box<regex_syntax::Error>),
    #[error(transparent)]
    Nfa(Box<thompson::BuildError>),
    #[error(transparent)]
    Dfa(Box<regex_automata::hybrid::BuildError>),
}

impl SetError {
    /// The size limit the patterns went over, if that is the reason.
    pub(crate) fn size_limit(&self) -> Option<usize> {
        match self {
            SetError::Nfa(e) => e.size_limit(),
            SetError::Syntax(_) | SetError::Dfa(_) => None,
        }
    }
}

impl Set {
    /// The set of `patterns`, for text in the normal form (see
    /// [`parse_normal`]), within [`REGEX_SIZE_LIMIT`].
    pub(crate) fn new(patterns: &[&str]) -> Result<Set, SetError> {
        let hirs = patterns
            .iter()
            .map(|p| parse_normal(p).map(|(hir, _)| hir))
            .collect::<Result<Vec<_>, _>>()
            .map_err(SetError::Syntax)?;
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    // Empty matches may split a character, as for the
                    // patterns run alone (`regex::bytes`).
                    .utf8(false)
                    .which_captures(thompson::WhichCaptures::None)
                    .nfa_size_limit(Some(REGEX_SIZE_LIMIT)),
            )
            .build_many_from_hir(&hirs)
            .map_err(|e| SetError::Nfa(Box::new(e)))?;
        // Never gives up: a search that keeps filling the cache clears it
        // and goes on, linear in the post either way.
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .cache_capacity(REGEX_SIZE_LIMIT)
                    // A `(?u)\b` is read on ASCII text; the search stops
                    // with an error at any other byte (see `matches`).
                    .unicode_word_boundary(true),
            )
            .build_from_nfa(nfa)
            .map_err(|e| SetError::Dfa(Box::new(e)))?;
        let for_caches = dfa.clone();
        let make: MakeCache = Box::new(move || for_caches.create_cache());
        Ok(Set { dfa, caches: Pool::new(make) })
    }

    pub(crate) fn pattern_len(&self) -> usize {
        self.dfa.pattern_len()
    }

    /// Which patterns match somewhere in `text`, into `which` (cleared
    /// first; it holds at least [`Set::pattern_len`] patterns).
    pub(crate) fn matches(&self, text: &[u8], which: &mut PatternSet) {
        which.clear();
        let mut cache = self.caches.get();
        // Most posts match no pattern at all: the earliest-match search
        // stops at the first match and runs the lazy DFA's unrolled loop,
        // several times cheaper a byte than the overlapping search, which
        // then runs only when something matched.
        let found = self
            .dfa
            .try_search_fwd(&mut cache, &Input::new(text).earliest(true))
            .map(|m| m.is_some())
            .and_then(|any| {
                if any {
                    let input = Input::new(text);
                    self.dfa.try_which_overlapping_matches(
                        &mut cache, &input, which,
                    )?;
                }
                Ok(())
            });
        // A search stops with an error only at a byte the DFA cannot read
        // (a `(?u)\b` outside ASCII): then every pattern is a candidate,
        // and each, run alone, finds its own matches.
        if found.is_err() {
            for i in 0..self.pattern_len() {
                which.insert(PatternID::new_unchecked(i));
            }
        }
    }
}

impl fmt::Debug for Set {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Set")
            .field("patterns", &self.pattern_len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn which(set: &Set, text: &str) -> Vec<usize> {
        let mut w = PatternSet::new(set.pattern_len());
        set.matches(text.as_bytes(), &mut w);
        w.iter().map(|p| p.as_usize()).collect()
    }

    /// Texts are in the normal form (no ASCII capitals): a pattern written
    /// with capitals still matches there.
    #[test]
    fn every_matching_pattern_is_reported() {
        let set = Set::new(&[
            r"\b\d{4}\b",
            r"card",
            r"ca",
            r"(?u)\bwort\b",
            r"x*",
            r"Card [0-9A-F]",
        ])
        .unwrap();
        let cases: &[(&str, &[usize])] = &[
            ("", &[4]),
            ("nothing here", &[4]),
            ("card 1234", &[0, 1, 2, 4, 5]),
            ("card f", &[1, 2, 4, 5]),
            ("an 12345 number", &[4]),
            ("ein wort", &[3, 4]),
        ];
        for (text, want) in cases {
            assert_eq!(which(&set, text), *want, "{text:?}");
        }
    }

    #[test]
    fn a_byte_the_dfa_cannot_read_makes_every_pattern_a_candidate() {
        // `(?u)\b` next to a non-ASCII byte: the lazy DFA quits.
        let set = Set::new(&[r"(?u)\bwort\b", r"zzz"]).unwrap();
        assert_eq!(which(&set, "ein wört"), [0, 1]);
    }

    #[test]
    fn too_big_together_names_the_limit() {
        let big = format!("(?u){}", r"\w{100}".repeat(40));
        let e = Set::new(&[&big, &big]).unwrap_err();
        assert_eq!(e.size_limit(), Some(REGEX_SIZE_LIMIT));
    }
}
