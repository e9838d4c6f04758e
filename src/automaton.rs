//! The term automata, and the one loop that runs them.
//!
//! `AhoCorasick::find_overlapping_iter` keeps a resumable state machine
//! between matches and tries a prefilter first; both cost more than the
//! whole scan on a 280-byte post. Every match is needed here anyway, so an
//! automaton is walked one byte at a time and each match reported in
//! place: our own dense DFA (`dfa`, which builds in a fraction of
//! aho-corasick's DFA's time) while the terms are small, aho-corasick's
//! contiguous NFA beyond.

use aho_corasick::automaton::Automaton;
use aho_corasick::{nfa, Anchored, MatchKind};

mod dfa;

use self::dfa::TermDfa;

/// Above this many bytes of words the automaton is a contiguous NFA: a
/// dense DFA's build grows with states times byte classes (up to 256
/// entries a state; its memory is bounded by `dfa::DENSE_BYTES` of rows
/// plus a sparse tail since 2026-12-04, when the full table was tens of
/// megabytes for 10,000 terms). The
/// bank pack's terms passed 64 KiB in issue 12's seventh round (68 KB):
/// its scan fell to the NFA and its patterns lost their gates (a clean
/// tweet +21% instructions, its compile +35%). The budget is two rooms,
/// the terms' and the gate words' (plus the few key-cut words): gate words
/// once took only what the terms left, and on 2026-12-04 fourteen more
/// bank terms starved them, so some patterns ran on every post (a clean
/// tweet +12% instructions, found with callgrind).
pub(crate) const DFA_BYTES: usize = TERM_ROOM + GATE_ROOM + KEY_CUT_ROOM;

/// The terms' room in the dense DFA (the bank pack's terms: 91 KiB until
/// 2026-12-04, when lexicographers widened its concepts; about 143 KiB since,
/// and the process at rest grew from 26 to 34 MB, until deep states lost
/// their rows: 21 MB). 160 KiB until the bank reached 152 KiB (issue 12's
/// nineteenth round); 256 KiB since, as the rows' memory no longer grows
/// with the terms (only the tail's, a few bytes an edge). Terms
/// within it leave the gate words their whole room; terms past it take the
/// gates' room first (the scan stays a DFA, some patterns lose their
/// gates), and past `DFA_BYTES` the automaton is an NFA. Nothing stops a
/// pack here: `bundled_packs_keep_their_terms_in_the_dfa` says when a
/// bundled pack grows past it.
pub(crate) const TERM_ROOM: usize = 256 * 1024;

/// The most bytes of gate words a policy holds (the bundled packs need
/// 9–24 KiB: 16 KiB until the bank's concepts passed it in issue 12's
/// twenty-third round, 24 KiB until they passed that in the forty-second;
/// beyond it the rest go ungated, so a pack of many
/// wide patterns cannot make the scan or the compile unbounded: review
/// of 713b92e, 20,000 such patterns took 1.3 GB).
pub(crate) const GATE_ROOM: usize = 32 * 1024;

/// The split-key join's words (`folded_patterns::key_cut_words`).
pub(crate) const KEY_CUT_ROOM: usize = 1024;

/// A compiled set of terms (already normalised), searched for every
/// occurrence, overlaps included.
#[derive(Debug)]
pub(crate) enum Terms {
    Dfa(TermDfa),
    Nfa(nfa::contiguous::NFA),
}

impl Terms {
    /// Compiles `terms`; pattern `i` is `terms[i]`.
    pub(crate) fn new<I, T>(
        terms: I,
    ) -> Result<Terms, aho_corasick::BuildError>
    where
        I: IntoIterator<Item = T> + Clone,
        T: AsRef<[u8]>,
    {
        let bytes: usize =
            terms.clone().into_iter().map(|t| t.as_ref().len()).sum();
        // The NFA without a prefilter: posts are short, and the scan is one
        // transition a byte.
        // An empty term (none is ever compiled) takes the NFA, which
        // knows what it means.
        let dfa = (bytes <= DFA_BYTES)
            .then(|| TermDfa::new(terms.clone()))
            .flatten();
        if let Some(dfa) = dfa {
            Ok(Terms::Dfa(dfa))
        } else {
            nfa::contiguous::Builder::new()
                .match_kind(MatchKind::Standard)
                .prefilter(false)
                .build(terms)
                .map(Terms::Nfa)
        }
    }

    /// Calls `each(pattern, start, end)` for every occurrence of every term
    /// in `hay`, in order of `end`.
    #[inline]
    pub(crate) fn for_each(
        &self,
        hay: &[u8],
        each: impl FnMut(usize, usize, usize),
    ) {
        match self {
            Terms::Dfa(a) => a.for_each(hay, each),
            Terms::Nfa(a) => scan(a, hay, each),
        }
    }
}

#[inline(always)]
fn scan<A: Automaton>(
    a: &A,
    hay: &[u8],
    mut each: impl FnMut(usize, usize, usize),
) {
    // Unanchored search has a start state for every automaton built here.
    let Ok(mut sid) = a.start_state(Anchored::No) else { return };
    for (i, &b) in hay.iter().enumerate() {
        sid = a.next_state(Anchored::No, sid, b);
        if a.is_special(sid) {
            if a.is_dead(sid) {
                return;
            }
            if a.is_match(sid) {
                let end = i + 1;
                for k in 0..a.match_len(sid) {
                    let p = a.match_pattern(sid, k);
                    each(p.as_usize(), end - a.pattern_len(p), end);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Terms;

    fn all(terms: &[&str], hay: &str) -> Vec<(usize, usize, usize)> {
        let t = Terms::new(terms.iter().copied()).unwrap();
        let mut out = Vec::new();
        t.for_each(hay.as_bytes(), |p, s, e| out.push((p, s, e)));
        out
    }

    #[test]
    fn reports_every_overlapping_match() {
        // Nested and overlapping terms are all reported, by end.
        assert_eq!(
            all(
                &["about to acquire", "acquire", "to a"],
                "we are about to acquire"
            ),
            vec![(2, 13, 17), (0, 7, 23), (1, 16, 23)]
        );
        assert_eq!(
            all(&["aa"], "aaaa"),
            vec![(0, 0, 2), (0, 1, 3), (0, 2, 4)]
        );
        assert!(all(&["x"], "").is_empty());
    }

    #[test]
    fn large_term_sets_use_the_nfa_with_the_same_results() {
        // Ten bytes a term, past the dense DFA's budget.
        let n = super::DFA_BYTES / 10 + 1_000;
        let many: Vec<String> =
            (0..n).map(|i| format!("term{i:05}x")).collect();
        let t = Terms::new(many.iter().map(String::as_str)).unwrap();
        assert!(matches!(t, Terms::Nfa(_)));
        let mut out = Vec::new();
        t.for_each(b"a term00042x and term08999x", |p, s, e| {
            out.push((p, s, e))
        });
        assert_eq!(out, vec![(42, 2, 12), (8999, 17, 27)]);
    }
}
