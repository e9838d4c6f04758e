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

/// Marks `@` and `$` in the ASCII table: they fold only inside a word.
const CONTEXT: u8 = 0xFF;

/// `fold_char` for every ASCII byte (0: not folded).
fn ascii_table() -> &'static [u8; 128] {
    static TABLE: std::sync::OnceLock<[u8; 128]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [0u8; 128];
        for (b, slot) in t.iter_mut().enumerate() {
            *slot = match b as u8 {
                b'@' | b'$' => CONTEXT,
                c => fold_char(c as char, Some('a')).map_or(0, |f| f as u8),
            };
        }
        t
    })
}

/// What `c` folds to, if it is a letter, a digit or a leetspeak symbol.
fn fold_char(c: char, prev: Option<char>) -> Option<char> {
    Some(match c {
        'a'..='z' => match c {
            'l' => 'i',
            c => c,
        },
        '4' => 'a',
        // `@` and `$` stand for letters inside a word (`gu@rantee`,
        // `ca$h`); at the start of one they begin a handle or a cashtag.
        '@' if prev.is_some_and(char::is_alphanumeric) => 'a',
        '@' => return None,
        '3' => 'e',
        '0' => 'o',
        '1' => 'i',
        '5' => 's',
        '7' => 't',
        '$' if prev.is_some_and(char::is_alphanumeric) => 's',
        '$' => return None,
        // Accented letters fold to their base (`guarantéed`).
        c if c.is_alphanumeric() => base(c),
        _ => return None,
    })
}

impl Folded {
    /// Folds the normalised text `norm`.
    pub(crate) fn fill(&mut self, norm: &str) {
        self.text.clear();
        self.starts.clear();
        self.ends.clear();
        if norm.is_ascii() {
            return self.fill_ascii(norm.as_bytes());
        }
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

    /// [`Folded::fill`] for ASCII text (most posts), a byte at a time
    /// through a table.
    fn fill_ascii(&mut self, norm: &[u8]) {
        let table = ascii_table();
        // Folded bytes are ASCII letters and digits, so `text` stays UTF-8.
        let mut bytes = std::mem::take(&mut self.text).into_bytes();
        let mut prev_alnum = false;
        let mut last = 0u8;
        for (i, &b) in norm.iter().enumerate() {
            let mut f = table[b as usize];
            if f == CONTEXT {
                f = if prev_alnum {
                    if b == b'@' {
                        b'a'
                    } else {
                        b's'
                    }
                } else {
                    0
                };
            }
            prev_alnum = b.is_ascii_alphanumeric();
            if f == 0 {
                continue;
            }
            let end = i as u32 + 1;
            if f == last {
                if let Some(e) = self.ends.last_mut() {
                    *e = end;
                }
                continue;
            }
            last = f;
            bytes.push(f);
            self.starts.push(i as u32);
            self.ends.push(end);
        }
        self.text = String::from_utf8(bytes).unwrap_or_default();
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

/// True if evasion matching applies to a normalised term: one with
/// letters that is not a hashtag or handle (`#ad` must keep its `#`, or it
/// would match the plain word). Marks inside a term (`confidential:
/// internal`, `100% safe`) separate its words.
pub(crate) fn foldable(term: &str) -> bool {
    term.chars().any(char::is_alphabetic) && !term.starts_with(['#', '@'])
}

/// The folded form of a normalised term: what the second automaton holds.
pub(crate) fn fold_term(term: &str) -> String {
    let mut f = Folded::default();
    f.fill(term);
    f.text
}

/// A term as the verifier needs it: its runs of one letter, in order.
#[derive(Clone, Debug)]
pub(crate) struct TermShape {
    runs: Vec<Run>,
}

#[derive(Clone, Debug)]
struct Run {
    letter: char,
    count: usize,
    /// The run starts a word of the term (not the first).
    starts_word: bool,
    /// The marks before it in the term, when it starts a word (`": "` in
    /// `confidential: internal`): the text may use them too.
    own_gap: String,
    /// An apostrophe stands before it inside a word of the term (`can't`):
    /// the text may write it or leave it out. Nowhere else may an
    /// apostrophe stand, so `I'll` is not `ill`.
    apostrophe: bool,
}

/// The letter without its accents, when it is an ASCII letter with
/// accents (`é` → `e`); else the letter.
fn base(c: char) -> char {
    use unicode_normalization::char::{
        decompose_canonical, is_combining_mark,
    };
    if c.is_ascii() {
        return c;
    }
    let mut first = None;
    let mut clean = true;
    decompose_canonical(c, |d| match first {
        None => first = Some(d),
        Some(_) => clean &= is_combining_mark(d),
    });
    match first {
        Some(b) if b.is_ascii_alphabetic() && clean => b,
        _ => c,
    }
}

/// The leetspeak stand-ins for a letter.
fn stands_for(unit: char, letter: char) -> bool {
    let unit = base(unit);
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

/// How the letters of the word being matched are separated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Joint {
    /// Not known yet (one letter so far).
    Open,
    /// Nothing (or an apostrophe) between letters.
    Joined,
    /// Exactly one separator between every two letters.
    Spelled,
}

impl Joint {
    /// The joint after a gap inside a word, or `None` if the gap breaks
    /// the word's pattern.
    fn then(self, gap: &str, apostrophe: bool) -> Option<Joint> {
        if apostrophe && (gap == "'" || gap.is_empty()) {
            // `can't`, `cant`, `y_o_u'l_l`: where the term has an
            // apostrophe, any joint goes.
            return Some(self);
        }
        let joined = gap.is_empty();
        let spelled = !joined && gap.chars().count() == 1;
        match (self, joined, spelled) {
            (Joint::Open | Joint::Joined, true, _) => Some(Joint::Joined),
            (Joint::Open | Joint::Spelled, _, true) => Some(Joint::Spelled),
            _ => None,
        }
    }
}

impl TermShape {
    /// The shape of a normalised term. Anything but letters, digits and
    /// apostrophes separates its words.
    pub(crate) fn new(term: &str) -> TermShape {
        let mut runs: Vec<Run> = Vec::new();
        let mut gap = String::new();
        let mut in_word = false;
        let mut apostrophe = false;
        for c in term.chars() {
            if c == '\'' && in_word {
                apostrophe = true;
                continue;
            }
            if !is_unit(c) {
                gap.push(c);
                in_word = false;
                apostrophe = false;
                continue;
            }
            match runs.last_mut() {
                Some(r) if r.letter == c && in_word && !apostrophe => {
                    r.count += 1
                }
                _ => runs.push(Run {
                    letter: c,
                    count: 1,
                    starts_word: !in_word && !runs.is_empty(),
                    own_gap: std::mem::take(&mut gap),
                    apostrophe: std::mem::take(&mut apostrophe),
                }),
            }
            in_word = true;
        }
        TermShape { runs }
    }

    /// The part of `region` (normalised text) that spells the term under
    /// the rules in the module docs, as a byte range of `region`, if any.
    /// The folded view merges a run of one letter across a gap (`all
    /// internal`), so the region may carry such letters at either end;
    /// they are trimmed here.
    pub(crate) fn accepts(&self, region: &str) -> Option<Range<usize>> {
        // The region as letters: (letter, gap before it, byte offset).
        let mut units: Vec<(char, &str, usize)> = Vec::new();
        let mut gap_start = 0;
        for (i, c) in region.char_indices() {
            if is_unit(c) {
                units.push((c, &region[gap_start..i], i));
                gap_start = i + c.len_utf8();
            } else if gap_start == i
                && !units.is_empty()
                && unicode_normalization::char::is_combining_mark(c)
            {
                // A mark on the letter before it (`u̶`) is not a gap.
                gap_start = i + c.len_utf8();
            }
        }
        let (first, last) = (self.runs.first()?, self.runs.last()?);
        // Where the term may start: the first unit, or after a gap inside
        // a leading stretch of its first letter. Likewise where it may end.
        let folds_like = |c: char, letter: char| {
            fold_char(c, None) == fold_char(letter, None)
        };
        let lead = units.iter().take_while(|u| folds_like(u.0, first.letter));
        let starts = std::iter::once(0).chain(
            lead.enumerate()
                .skip(1)
                .filter(|(_, u)| !u.1.is_empty())
                .map(|(i, _)| i),
        );
        let trail = units.len()
            - units
                .iter()
                .rev()
                .take_while(|u| folds_like(u.0, last.letter))
                .count();
        let ends: Vec<usize> = std::iter::once(units.len())
            .chain(
                (trail.max(1)..units.len())
                    .rev()
                    .filter(|&i| !units[i].1.is_empty()),
            )
            .collect();
        for s in starts {
            for &e in &ends {
                if e <= s {
                    continue;
                }
                let part = &units[s..e];
                if !part.iter().any(|u| u.0.is_alphabetic()) {
                    continue;
                }
                let mut seen =
                    vec![false; (self.runs.len() + 1) * (part.len() + 1) * 3];
                if self.walk(part, 0, 0, Joint::Open, &mut seen) {
                    let (c, _, at) = part[part.len() - 1];
                    return Some(part[0].2..at + c.len_utf8());
                }
            }
        }
        None
    }

    fn walk(
        &self,
        units: &[(char, &str, usize)],
        r: usize,
        u: usize,
        joint: Joint,
        seen: &mut [bool],
    ) -> bool {
        let Some(run) = self.runs.get(r) else {
            return u == units.len();
        };
        let state = (r * (units.len() + 1) + u) * 3 + joint as usize;
        if std::mem::replace(&mut seen[state], true) {
            return false;
        }
        // The gap before this run's first letter.
        let mut joint = match units.get(u) {
            None => return false,
            Some(_) if r == 0 => Joint::Open,
            Some(&(_, gap, _)) if run.starts_word => {
                let own = gap == run.own_gap
                    || (!gap.trim().is_empty()
                        && gap.trim() == run.own_gap.trim());
                if !own && !between_words(gap) {
                    return false;
                }
                Joint::Open
            }
            Some(&(_, gap, _)) => match joint.then(gap, run.apostrophe) {
                Some(j) => j,
                None => return false,
            },
        };
        // Take one letter after another; try to move on after `count`, and
        // after every length of three or more.
        let mut n = 0;
        while let Some(&(c, gap, _)) = units.get(u + n) {
            if !stands_for(c, run.letter) {
                break;
            }
            if n > 0 {
                joint = match joint.then(gap, false) {
                    Some(j) => j,
                    None => break,
                };
            }
            n += 1;
            let fits = n == run.count || (n >= 3 && n > run.count);
            if fits && self.walk(units, r + 1, u + n, joint, seen) {
                return true;
            }
        }
        false
    }
}

/// False if `region` of `text` starts or ends with a spelled-out word
/// (`r i s k`) that goes on outside it: `h e l l o` does not hold `hell`,
/// `c l a s s` does not hold `ass`.
pub(crate) fn spelled_edges_ok(text: &str, region: Range<usize>) -> bool {
    let inner = &text[region.clone()];
    let mut units = inner.char_indices().filter(|&(_, c)| is_unit(c));
    let spelled_start = match (units.next(), units.next()) {
        (Some((a, c)), Some((b, _))) => b > a + c.len_utf8(),
        _ => false,
    };
    let mut back = inner.char_indices().rev().filter(|&(_, c)| is_unit(c));
    let spelled_end = match (back.next(), back.next()) {
        (Some((b, _)), Some((a, c))) => b > a + c.len_utf8(),
        _ => false,
    };
    // `<sep><letter>` then a non-letter or the end: the spelling goes on.
    let continues = |mut it: std::iter::Peekable<std::str::Chars>| {
        let (Some(sep), Some(letter)) = (it.next(), it.next()) else {
            return false;
        };
        !is_unit(sep)
            && is_unit(letter)
            && it.peek().is_none_or(|&c| !is_unit(c))
    };
    let after = text[region.end..].chars().peekable();
    let before: String = text[..region.start].chars().rev().take(3).collect();
    !(spelled_end && continues(after)
        || spelled_start && continues(before.chars().peekable()))
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
        f.text().contains(&fold_term(term))
            && shape.accepts(region) == Some(0..region.len())
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
            ("broke the embargo", "broketheembargo"),
            ("guaranteed", "guarant\u{e9}ed"),
            ("guaranteed", "gu\u{336}a\u{336}ranteed"),
            ("broke the embargo", "br0ke the embarg0"),
            ("about to be acquired", "ab0ut t0 be acquired"),
            ("about to", "a.b.o.u.t t.o"),
            ("confidential: internal", "c0nfidential: interna1"),
            ("confidential: internal", "confidential internal"),
            ("100% safe investment", "100% s4fe investment"),
            ("we guarantee you'll", "w_e g_u_a_r_a_n_t_e_e y_o_u'l_l"),
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
    fn contractions_and_spelled_words_stay_whole() {
        for (term, region) in
            [("ill", "i'll"), ("shell", "she'll"), ("wed", "we'd")]
        {
            assert!(!matches(term, region), "{term:?} in {region:?}");
        }
        for (text, word) in
            [("h e l l o", "h e l l"), ("a c l a s s act", "a s s")]
        {
            let at = text.find(word).unwrap();
            assert!(!spelled_edges_ok(text, at..at + word.len()), "{text:?}");
        }
        let text = "r i s k - f r e e investment";
        assert!(spelled_edges_ok(text, 0..17));
    }

    #[test]
    fn letters_merged_across_a_gap_are_trimmed() {
        let shape = TermShape::new("internal");
        assert_eq!(shape.accepts("internallll l"), Some(0..11));
        assert_eq!(shape.accepts("l internal"), Some(2..10));
        assert_eq!(TermShape::new("lol").accepts("lol"), Some(0..3));
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
