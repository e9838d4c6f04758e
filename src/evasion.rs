//! Term-level evasion tricks — leetspeak, letters spelled out with
//! separators, repeated letters, words run together in hashtags — matched
//! in the same single pass as everything else.
//!
//! How: besides the normalised text, each post gets a *folded* view that
//! keeps only letters and digits, maps leetspeak digits and symbols to the
//! letters they stand for (`4`→`a`, `1`→`i`, and `l` to `i` too, since `1`
//! stands for both), and collapses runs of one letter. Terms are folded the
//! same way into a second automaton. A folded match is only a candidate: it
//! is accepted when [`TermShape::accepts`] can align the original
//! (normalised) characters with the term under these rules:
//!
//! - each letter is the term's letter or one of its leetspeak stand-ins,
//!   and the region has at least one real letter (a number is not a word);
//! - a letter repeated in the term is repeated as often in the text, or at
//!   least three times (`guaranteeeed`, `riiisk`; but `good` is not `god`);
//! - inside a word, either nothing separates the letters (an apostrophe may:
//!   `can't`/`cant`), or exactly one separator stands between every two
//!   letters (`g.u.a.r.a.n.t.e.e.d`, `r i s k`);
//! - between two words of the term: nothing (`#riskfree`), up to three
//!   spaces, or one `-`, `_`, `/`, `+`, `.` or `·` (possibly with spaces
//!   around, but a `.` only without: `risk. Free coffee` is two sentences,
//!   not `risk-free`).
//!
//! Whole-word semantics still hold: the region must start and end on a word
//! boundary, or on a camel-case boundary inside a hashtag or handle
//! (`#GuaranteedReturnsDaily`).

use std::ops::Range;

/// The folded view of a normalised post, with a map back into it.
#[derive(Default)]
pub(crate) struct Folded {
    text: String,
    /// For each byte of `text`: the normalised byte range of the letters it
    /// stands for (a run of repeated letters folds into one).
    starts: Vec<u32>,
    ends: Vec<u32>,
}

/// What `c` folds to, if it is a letter, a digit or a leetspeak symbol.
fn fold_char(c: char, prev: Option<char>) -> Option<char> {
    Some(match c {
        'a'..='z' => match c {
            'l' => 'i',
            c => c,
        },
        '4' | '@' => 'a',
        '3' => 'e',
        '0' => 'o',
        '1' => 'i',
        '5' => 's',
        '7' => 't',
        // `$` is an `s` inside a word (`ca$h`), but a `$TICKER` cashtag
        // is a token of its own.
        '$' if prev.is_some_and(char::is_alphanumeric) => 's',
        '$' => return None,
        c if c.is_alphanumeric() => c,
        _ => return None,
    })
}

impl Folded {
    /// Folds the normalised text `norm`.
    pub(crate) fn fill(&mut self, norm: &str) {
        self.text.clear();
        self.starts.clear();
        self.ends.clear();
        let mut prev: Option<char> = None;
        let mut last: Option<char> = None;
        for (i, c) in norm.char_indices() {
            let folded = fold_char(c, prev);
            prev = Some(c);
            let Some(f) = folded else { continue };
            let end = (i + c.len_utf8()) as u32;
            if last == Some(f) {
                // A run of one letter is one letter; it spans the run.
                let n = f.len_utf8();
                let len = self.ends.len();
                for e in &mut self.ends[len - n..] {
                    *e = end;
                }
                continue;
            }
            last = Some(f);
            self.text.push(f);
            for _ in 0..f.len_utf8() {
                self.starts.push(i as u32);
                self.ends.push(end);
            }
        }
    }

    /// The folded text.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The normalised range that the folded range `r` stands for.
    pub(crate) fn span(&self, r: Range<usize>) -> Range<usize> {
        self.starts[r.start] as usize..self.ends[r.end - 1] as usize
    }
}

/// True if evasion matching applies to a normalised term: one made of
/// letters, digits, spaces, hyphens, underscores and apostrophes. Terms
/// with other marks (`#ad`, `100%`, `mega.nz`) match exactly: folding away
/// the `#` of `#sponsored` would make it match the plain word.
pub(crate) fn foldable(term: &str) -> bool {
    term.chars().any(char::is_alphabetic)
        && term.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '\'')
        })
}

/// The folded form of a normalised term: what the second automaton holds.
pub(crate) fn fold_term(term: &str) -> String {
    let mut f = Folded::default();
    f.fill(term);
    f.text
}

/// A term as the verifier needs it: its words, each a list of runs
/// `(letter, count)`.
#[derive(Clone, Debug)]
pub(crate) struct TermShape {
    words: Vec<Vec<(char, usize)>>,
}

/// The leetspeak stand-ins for a letter.
fn stands_for(unit: char, letter: char) -> bool {
    unit == letter
        || matches!(
            (unit, letter),
            ('4' | '@', 'a')
                | ('3', 'e')
                | ('0', 'o')
                | ('1', 'i' | 'l')
                | ('5' | '$', 's')
                | ('7', 't')
        )
}

fn is_unit(c: char) -> bool {
    c.is_alphanumeric() || c == '@' || c == '$'
}

impl TermShape {
    /// The shape of a normalised term. Spaces, hyphens and slashes split
    /// words; apostrophes and other marks inside a word are dropped.
    pub(crate) fn new(term: &str) -> TermShape {
        let words = term
            .split([' ', '-', '_', '/'])
            .map(|w| {
                let mut runs: Vec<(char, usize)> = Vec::new();
                for c in w.chars().filter(|&c| is_unit(c)) {
                    match runs.last_mut() {
                        Some((l, n)) if *l == c => *n += 1,
                        _ => runs.push((c, 1)),
                    }
                }
                runs
            })
            .filter(|w| !w.is_empty())
            .collect();
        TermShape { words }
    }

    /// True if `region` (normalised text) spells the term under the rules
    /// in the module docs.
    pub(crate) fn accepts(&self, region: &str) -> bool {
        // The region as letters and the gaps before each of them.
        let mut units: Vec<(char, &str)> = Vec::new();
        let mut gap_start = 0;
        for (i, c) in region.char_indices() {
            if is_unit(c) {
                units.push((c, &region[gap_start..i]));
                gap_start = i + c.len_utf8();
            }
        }
        if gap_start != region.len()
            || !units.iter().any(|(c, _)| c.is_alphabetic())
        {
            return false;
        }
        let mut u = 0;
        for (w, word) in self.words.iter().enumerate() {
            let first = u;
            for &(letter, count) in word {
                let mut n = 0;
                while u < units.len() && stands_for(units[u].0, letter) {
                    n += 1;
                    u += 1;
                }
                if !(n == count || (n >= 3 && n > count)) {
                    return false;
                }
            }
            if w > 0 && !between_words(units[first].1) {
                return false;
            }
            if !inside_word(&units[first + 1..u]) {
                return false;
            }
        }
        u == units.len()
    }
}

/// The gaps inside one word: all empty (an apostrophe may stand), or all
/// exactly one separator.
fn inside_word(units: &[(char, &str)]) -> bool {
    let spelled =
        units.first().is_some_and(|(_, g)| !g.is_empty() && *g != "'");
    units.iter().all(|(_, gap)| {
        if spelled {
            gap.chars().count() == 1
        } else {
            gap.is_empty() || *gap == "'"
        }
    })
}

/// The gap between two words of a term.
fn between_words(gap: &str) -> bool {
    if gap.is_empty() || (gap.len() <= 3 && gap.bytes().all(|b| b == b' ')) {
        return true;
    }
    let core = gap.trim_matches(' ');
    let mut chars = core.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return false;
    };
    gap.len() <= 3
        && match c {
            '-' | '_' | '/' | '+' | '\u{B7}' => true,
            '.' => gap == ".",
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(term: &str, region: &str) -> bool {
        let shape = TermShape::new(term);
        let mut f = Folded::default();
        f.fill(region);
        f.text().contains(&fold_term(term)) && shape.accepts(region)
    }

    #[test]
    fn tricks_that_match() {
        for (term, region) in [
            ("guaranteed", "gu4r4nt33d"),
            ("guaranteed", "g.u.a.r.a.n.t.e.e.d"),
            ("guaranteed", "guaranteeeed"),
            ("risk free", "r i s k - f r e e"),
            ("risk free", "risk_free"),
            ("risk free", "riskfree"),
            ("risk-free", "risk free"),
            ("risk", "riiisk"),
            ("can't lose", "c4n7 l0se"),
            ("can't lose", "can't lose"),
            ("double your money", "doubleyourmoney"),
            ("cash", "ca$h"),
            ("1337x", "1337x"),
            ("sell", "5e11"),
        ] {
            assert!(matches(term, region), "{term:?} in {region:?}");
        }
    }

    #[test]
    fn near_misses_that_do_not() {
        for (term, region) in [
            ("god", "good"),
            ("risk free", "risk. free"),
            ("risk free", "risk, free"),
            ("guaranteed", "gu.ar.an.teed"),
            ("fail", "fall"),
            ("sell", "5311"),
            ("risk free", "risk    free"),
        ] {
            assert!(!matches(term, region), "{term:?} in {region:?}");
        }
    }

    #[test]
    fn folding_maps_back() {
        let mut f = Folded::default();
        let norm = "gu4r4nteeeed!";
        f.fill(norm);
        assert_eq!(f.text(), "guaranted");
        let at = f.text().find("te").unwrap();
        assert_eq!(&norm[f.span(at..at + 2)], "teeee");
    }
}
