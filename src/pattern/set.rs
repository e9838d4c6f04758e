//! The one search over every rule pattern of a pack: which of them match
//! a post. Each pattern that does then runs alone for its spans, so the
//! set needs only a forward lazy DFA that reports every pattern matching
//! anywhere — not the reverse automaton and the literal prefilters a full
//! multi-pattern regex builds (the reverse automaton alone was a tenth of
//! the bank pack's compile) — and, for the rare post the DFA cannot read,
//! a PikeVM over the same NFA.

use std::fmt;
use std::panic::{RefUnwindSafe, UnwindSafe};

use regex_automata::hybrid::dfa::{self, DFA};
use regex_automata::nfa::thompson::{self, pikevm, pikevm::PikeVM};
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind, PatternSet};
use regex_syntax::hir::Hir;

use crate::limits::REGEX_SIZE_LIMIT;

/// A thread's caches for the two engines.
struct Caches {
    dfa: dfa::Cache,
    vm: pikevm::Cache,
}

/// How a thread's caches are made: one pair per thread that searches,
/// kept.
type MakeCaches =
    Box<dyn Fn() -> Caches + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// Every rule pattern of a pack, as one automaton.
pub(crate) struct Set {
    dfa: DFA,
    /// The same NFA, for a post with a byte the DFA cannot read.
    vm: PikeVM,
    caches: Pool<Caches, MakeCaches>,
}

/// Why the patterns do not compile together.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SetError {
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
            SetError::Dfa(_) => None,
        }
    }
}

impl Set {
    /// The set of patterns parsed as `hirs` (by [`super::parse_normal`],
    /// for text in the normal form), within [`REGEX_SIZE_LIMIT`].
    pub(crate) fn new(hirs: &[Hir]) -> Result<Set, SetError> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    // Empty matches may split a character, as for the
                    // patterns run alone (`regex::bytes`).
                    .utf8(false)
                    .which_captures(thompson::WhichCaptures::None)
                    .nfa_size_limit(Some(REGEX_SIZE_LIMIT)),
            )
            .build_many_from_hir(hirs)
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
            .build_from_nfa(nfa.clone())
            .map_err(|e| SetError::Dfa(Box::new(e)))?;
        let vm = PikeVM::builder()
            .configure(PikeVM::config().match_kind(MatchKind::All))
            .build_from_nfa(nfa)
            .map_err(|e| SetError::Nfa(Box::new(e)))?;
        let (d, v) = (dfa.clone(), vm.clone());
        let make: MakeCaches = Box::new(move || Caches {
            dfa: d.create_cache(),
            vm: v.create_cache(),
        });
        Ok(Set { dfa, vm, caches: Pool::new(make) })
    }

    pub(crate) fn pattern_len(&self) -> usize {
        self.dfa.pattern_len()
    }

    /// Which patterns match somewhere in `text`, into `which` (cleared
    /// first; it holds at least [`Set::pattern_len`] patterns).
    pub(crate) fn matches(&self, text: &[u8], which: &mut PatternSet) {
        which.clear();
        let mut caches = self.caches.get();
        let Caches { dfa, vm } = &mut *caches;
        // Most posts match no pattern at all: the earliest-match search
        // stops at the first match and runs the lazy DFA's unrolled loop,
        // several times cheaper a byte than the overlapping search, which
        // then runs only when something matched.
        let input = Input::new(text);
        let searched = self
            .dfa
            .try_search_fwd(dfa, &input.clone().earliest(true))
            .and_then(|m| match m {
                Some(_) => {
                    self.dfa.try_which_overlapping_matches(dfa, &input, which)
                }
                None => Ok(()),
            });
        // The DFA stops with an error only at a byte it cannot read (a
        // `(?u)\b` beside a non-ASCII byte): the PikeVM reads any.
        if searched.is_err() {
            which.clear();
            self.vm.which_overlapping_matches(vm, &input, which);
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

    fn set(patterns: &[&str]) -> Result<Set, SetError> {
        let hirs: Vec<Hir> = patterns
            .iter()
            .map(|p| super::super::parse_normal(p).unwrap().0)
            .collect();
        Set::new(&hirs)
    }

    fn which(set: &Set, text: &str) -> Vec<usize> {
        let mut w = PatternSet::new(set.pattern_len());
        set.matches(text.as_bytes(), &mut w);
        w.iter().map(|p| p.as_usize()).collect()
    }

    /// Texts are in the normal form (no ASCII capitals): a pattern written
    /// with capitals still matches there.
    #[test]
    fn every_matching_pattern_is_reported() {
        let set = set(&[
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

    /// Where the lazy DFA stops (`(?u)\b` beside a non-ASCII byte), the
    /// PikeVM answers, exactly.
    #[test]
    fn a_byte_the_dfa_cannot_read_goes_to_the_pikevm() {
        let set = set(&[r"(?u)\bwort\b", r"zzz", r"ö"]).unwrap();
        assert_eq!(which(&set, "ein wört"), [2]);
        assert_eq!(which(&set, "ein wort, ö"), [0, 2]);
        assert_eq!(which(&set, "wortö zzz"), [1, 2]);
        assert_eq!(which(&set, "ein wort"), [0]);
    }

    #[test]
    fn too_big_together_names_the_limit() {
        let big = format!("(?u){}", r"\w{100}".repeat(40));
        let e = set(&[&big, &big]).unwrap_err();
        assert_eq!(e.size_limit(), Some(REGEX_SIZE_LIMIT));
    }
}
