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
    /// The folded text is `bytes[..len]` (UTF-8). The buffers only grow:
    /// the ASCII path writes them by index rather than clearing and
    /// pushing, since it runs over every byte of every post.
    bytes: Vec<u8>,
    len: usize,
    /// For each folded byte: the normalised byte range of the letters it
    /// stands for (a run of repeated letters folds into one).
    starts: Vec<u32>,
    ends: Vec<u32>,
}

/// Set in the byte table for ASCII letters and digits.
const ALNUM: u8 = 0x80;

/// The leetspeak table: each stand-in and the letters it may stand for.
/// The folded view maps a stand-in to the first of them (and `l` to `i`,
/// since `1` and `|` stand for both); the verifier accepts any of them.
/// Symbols (everything here but digits) stand for a letter only inside a
/// word, after a letter or digit: at the start of one, `@` begins a
/// handle, `$` a cashtag and `(` a bracket; `!` after a word is an
/// exclamation, which folds to a stray `i` that no whole-word match
/// takes. `+` is left out: it joins words (`risk+free`) far more often
/// than it stands for `t`.
const LEET: &[(char, &str)] = &[
    ('!', "il"),
    ('$', "s"),
    ('(', "c"),
    ('0', "o"),
    ('1', "il"),
    ('2', "z"),
    ('3', "e"),
    ('4', "a"),
    ('5', "s"),
    ('6', "g"),
    ('7', "t"),
    ('8', "b"),
    ('9', "g"),
    ('@', "a"),
    ('|', "il"),
    ('\u{A1}', "il"),  // ¡
    ('\u{A2}', "c"),   // ¢
    ('\u{A3}', "l"),   // £
    ('\u{20AC}', "e"), // €
];

/// The letters the stand-in `c` may stand for.
fn leet(c: char) -> Option<&'static str> {
    LEET.binary_search_by_key(&c, |&(s, _)| s).ok().map(|i| LEET[i].1)
}

/// For every byte: `fold_char` of it (0: not folded), upper-cased when
/// it folds only inside a word, plus [`ALNUM`] for letters and digits.
/// Non-ASCII bytes are 0; the table is only used on ASCII text.
fn ascii_table() -> &'static [u8; 256] {
    static TABLE: std::sync::OnceLock<[u8; 256]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [0u8; 256];
        for (b, slot) in t.iter_mut().enumerate().take(128) {
            let c = b as u8;
            let f = match fold_char(c as char, Some('a')) {
                Some(f) if fold_char(c as char, None).is_none() => {
                    f.to_ascii_uppercase() as u8
                }
                Some(f) => f as u8,
                None => 0,
            };
            *slot = f | if c.is_ascii_alphanumeric() { ALNUM } else { 0 };
        }
        t
    })
}

/// What the ASCII byte `b` folds to (0: nothing), given whether a letter
/// or digit came before it; updates that for the next byte.
#[inline(always)]
fn fold_ascii(table: &[u8; 256], b: u8, prev_alnum: &mut bool) -> u8 {
    let t = table[b as usize];
    let f = t & !ALNUM;
    let f = if f.is_ascii_uppercase() {
        if *prev_alnum {
            f.to_ascii_lowercase()
        } else {
            0
        }
    } else {
        f
    };
    *prev_alnum = t & ALNUM != 0;
    f
}

/// What `c` folds to, if it is a letter, a digit or a leetspeak stand-in;
/// `prev` is the character before it.
fn fold_char(c: char, prev: Option<char>) -> Option<char> {
    Some(match c {
        'l' => 'i',
        'a'..='z' => c,
        c => match leet(c) {
            Some(l) if c.is_ascii_digit() => l.chars().next()?,
            Some(l) if prev.is_some_and(char::is_alphanumeric) => {
                l.chars().next().map(|f| if f == 'l' { 'i' } else { f })?
            }
            Some(_) => return None,
            // Accented letters fold to their base (`guarantéed`).
            None if c.is_alphanumeric() => base(c),
            None => return None,
        },
    })
}

impl Folded {
    /// Folds the normalised text `norm`.
    pub(crate) fn fill(&mut self, norm: &str) {
        if norm.is_ascii() {
            return self.fill_ascii(norm.as_bytes());
        }
        self.fill_mixed(norm);
    }

    /// Grows the buffers to hold `n` folded bytes: folding never makes a
    /// character longer, so `n` input bytes are enough.
    fn reserve(&mut self, n: usize) {
        for v in [&mut self.starts, &mut self.ends] {
            if v.len() < n {
                v.resize(n, 0);
            }
        }
        if self.bytes.len() < n {
            self.bytes.resize(n, 0);
        }
    }

    /// [`Folded::fill`] for text with non-ASCII characters: ASCII bytes
    /// still go through the table, the others through [`fold_char`].
    fn fill_mixed(&mut self, norm: &str) {
        let table = ascii_table();
        let src = norm.as_bytes();
        let n = src.len();
        self.reserve(n);
        let (out, starts, ends) =
            (&mut self.bytes[..n], &mut self.starts[..n], &mut self.ends[..n]);
        let mut k = 0;
        let mut prev_alnum = false;
        let mut last: Option<char> = None;
        let mut last_len = 0;
        let mut i = 0;
        while i < n {
            let b = src[i];
            let (folded, width) = if b.is_ascii() {
                let f = fold_ascii(table, b, &mut prev_alnum);
                ((f != 0).then_some(f as char), 1)
            } else {
                // `i` is always on a character boundary.
                let Some(c) = norm[i..].chars().next() else { break };
                let f = fold_char(c, prev_alnum.then_some('a'));
                // A stand-in counts as a letter for the next one
                // (`guarant€€d`).
                prev_alnum = c.is_alphanumeric() || f.is_some();
                (f, c.len_utf8())
            };
            let start = i as u32;
            i += width;
            let Some(f) = folded else { continue };
            let end = i as u32;
            if last == Some(f) {
                // A run of one letter is one letter; it spans the run.
                ends[k - last_len..k].fill(end);
                continue;
            }
            let len = f.len_utf8();
            // Never true (see `reserve`); checked so that a mistake cannot
            // panic.
            if k + len > n {
                break;
            }
            f.encode_utf8(&mut out[k..k + len]);
            starts[k..k + len].fill(start);
            ends[k..k + len].fill(end);
            k += len;
            last = Some(f);
            last_len = len;
        }
        self.len = k;
    }

    /// [`Folded::fill`] for ASCII text (most posts), a byte at a time
    /// through a table.
    fn fill_ascii(&mut self, norm: &[u8]) {
        let table = ascii_table();
        // Folded bytes are ASCII letters and digits, so `text` stays UTF-8.
        // The buffers are sized up front and written by index: this loop
        // runs over every byte of every post.
        let n = norm.len();
        for v in [&mut self.starts, &mut self.ends] {
            if v.len() < n {
                v.resize(n, 0);
            }
        }
        if self.bytes.len() < n {
            self.bytes.resize(n, 0);
        }
        let (out, starts, ends) =
            (&mut self.bytes[..n], &mut self.starts[..n], &mut self.ends[..n]);
        let mut k = 0;
        let mut prev_alnum = false;
        let mut last = 0u8;
        for (i, &b) in norm.iter().enumerate() {
            let f = fold_ascii(table, b, &mut prev_alnum);
            if f == 0 {
                continue;
            }
            let end = i as u32 + 1;
            if f == last && k > 0 {
                ends[k - 1] = end;
                continue;
            }
            last = f;
            out[k] = f;
            starts[k] = i as u32;
            ends[k] = end;
            k += 1;
        }
        self.len = k;
    }

    /// The folded text.
    pub(crate) fn text(&self) -> &str {
        // Always UTF-8: ASCII bytes, or whole encoded characters.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
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
    f.text().to_string()
}

/// A term as the verifier needs it: its runs of one letter, in order.
#[derive(Clone, Debug)]
pub(crate) struct TermShape {
    runs: Vec<Run>,
}

/// A letter of a candidate region, with the gap before it (both as byte
/// offsets into the region).
#[derive(Clone, Debug)]
struct Unit {
    letter: char,
    gap: Range<usize>,
    at: usize,
}

/// Buffers for [`TermShape::accepts`], reused on each thread.
#[derive(Default)]
struct ShapeScratch {
    units: Vec<Unit>,
    ends: Vec<usize>,
    seen: Vec<bool>,
}

thread_local! {
    static SHAPE_SCRATCH: std::cell::RefCell<ShapeScratch> =
        std::cell::RefCell::new(ShapeScratch::default());
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
    unit == letter || leet(unit).is_some_and(|l| l.contains(letter))
}

/// A letter, digit or leetspeak stand-in: what a term is spelled with.
fn is_unit(c: char) -> bool {
    c.is_alphanumeric() || leet(c).is_some()
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
        // Markdown emphasis (`**guaran**teed`) does not show once rendered.
        let gap = gap.trim_matches(is_markdown);
        let apostrophes = gap.chars().filter(|&c| c == '\'' || c == '`');
        if apostrophe
            && apostrophes.count() <= 1
            && gap.chars().count() <= 3
            && gap.chars().all(|c| c == '\'' || c == '`' || is_joiner(c))
        {
            // `can't`, `cant`, `y_o_u'l_l`, `c a n ' t`: where the term has
            // an apostrophe, any joint goes.
            return Some(self);
        }
        let joined = gap.is_empty();
        let mut chars = gap.chars();
        let spelled = matches!((chars.next(), chars.next()), (Some(_), None));
        if spelled && (gap == "." || is_joiner_char(gap)) {
            // A dot, dash, slash or comma injected here and there
            // (`guar-an/t~eed`, `d.oub-l,e`) joins letters whatever the
            // rest of the word does, as a reader reads it; a space does not
            // (`gu ar` is two words).
            return Some(self);
        }
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
        SHAPE_SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut s) => self.accepts_with(region, &mut s),
            Err(_) => self.accepts_with(region, &mut ShapeScratch::default()),
        })
    }

    fn accepts_with(
        &self,
        region: &str,
        scratch: &mut ShapeScratch,
    ) -> Option<Range<usize>> {
        let ShapeScratch { units, ends, seen } = scratch;
        // The region as letters: (letter, gap before it, byte offset).
        units.clear();
        let mut gap_start = 0;
        for (i, c) in region.char_indices() {
            if is_unit(c) {
                units.push(Unit { letter: c, gap: gap_start..i, at: i });
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
        let units = &units[..];
        let lead =
            units.iter().take_while(|u| folds_like(u.letter, first.letter));
        let starts = std::iter::once(0).chain(
            lead.enumerate()
                .skip(1)
                .filter(|(_, u)| !u.gap.is_empty())
                .map(|(i, _)| i),
        );
        let trail = units.len()
            - units
                .iter()
                .rev()
                .take_while(|u| folds_like(u.letter, last.letter))
                .count();
        ends.clear();
        ends.push(units.len());
        ends.extend(
            (trail.max(1)..units.len())
                .rev()
                .filter(|&i| !units[i].gap.is_empty()),
        );
        for s in starts {
            for &e in ends.iter() {
                if e <= s {
                    continue;
                }
                let part = &units[s..e];
                if !part.iter().any(|u| u.letter.is_alphabetic()) {
                    continue;
                }
                seen.clear();
                seen.resize(
                    (self.runs.len() + 1) * (part.len() + 1) * 3,
                    false,
                );
                if self.walk(region, part, 0, 0, Joint::Open, seen) {
                    let last = &part[part.len() - 1];
                    return Some(part[0].at..last.at + last.letter.len_utf8());
                }
            }
        }
        None
    }

    fn walk(
        &self,
        region: &str,
        units: &[Unit],
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
            Some(Unit { gap, .. }) if run.starts_word => {
                let gap = &region[gap.clone()];
                let own = gap == run.own_gap
                    || (!gap.trim().is_empty()
                        && gap.trim() == run.own_gap.trim());
                if !own && !between_words(gap) {
                    return false;
                }
                Joint::Open
            }
            Some(Unit { gap, .. }) => {
                match joint.then(&region[gap.clone()], run.apostrophe) {
                    Some(j) => j,
                    None => return false,
                }
            }
        };
        // Take one letter after another; try to move on after `count`, and
        // after every length of three or more.
        let mut n = 0;
        while let Some(Unit { letter: c, gap, .. }) = units.get(u + n) {
            if !stands_for(*c, run.letter) {
                break;
            }
            if n > 0 {
                joint = match joint.then(&region[gap.clone()], false) {
                    Some(j) => j,
                    None => break,
                };
            }
            n += 1;
            let fits = n == run.count || (n >= 3 && n > run.count);
            if fits && self.walk(region, units, r + 1, u + n, joint, seen) {
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
    let continues = |it: &mut dyn Iterator<Item = char>| {
        let mut it = it.peekable();
        let (Some(sep), Some(letter)) = (it.next(), it.next()) else {
            return false;
        };
        !is_unit(sep)
            && is_unit(letter)
            && it.peek().is_none_or(|&c| !is_unit(c))
    };
    !(spelled_end && continues(&mut text[region.end..].chars())
        || spelled_start
            && continues(&mut text[..region.start].chars().rev().take(3)))
}

/// Markdown emphasis delimiters (`**`, `__`, `~~`, `` ` ``): they do
/// not show once rendered. `|` is not here: it is a leetspeak unit.
fn is_markdown(c: char) -> bool {
    matches!(c, '*' | '_' | '~' | '`')
}

/// Separators injected between letters (`r/i/s/k`, `d-o-u-b-l-e`).
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        ' ' | '-' | '_' | '/' | '+' | '~' | '*' | ',' | '\u{B7}' | '\u{2022}'
    )
}

/// A one-character gap that is a joiner other than a space.
fn is_joiner_char(gap: &str) -> bool {
    gap.chars().all(|c| c != ' ' && is_joiner(c))
}

/// `start..end` of `text` widened over Markdown emphasis marks on
/// either side (`_guaran_teed`), for the word-boundary checks.
pub(crate) fn past_markdown(
    text: &str,
    start: usize,
    end: usize,
) -> (usize, usize) {
    let b = text.as_bytes();
    let mut s = start;
    while s > 0 && is_markdown(b[s - 1] as char) {
        s -= 1;
    }
    let mut e = end;
    while e < b.len() && is_markdown(b[e] as char) {
        e += 1;
    }
    (s, e)
}

/// The gap between two words of a term.
fn between_words(gap: &str) -> bool {
    if gap.is_empty() || (gap.len() <= 3 && gap.bytes().all(|b| b == b' ')) {
        return true;
    }
    // `**you** **can't**`: the emphasis around the words is not a gap.
    // Without allocating: gaps are short, and the marks are ASCII, so
    // what is left is still UTF-8.
    if gap.len() <= 16 && gap.chars().any(is_markdown) {
        let mut buf = [0u8; 16];
        let mut n = 0;
        for &b in gap.as_bytes().iter().filter(|&&b| !is_markdown(b as char)) {
            buf[n] = b;
            n += 1;
        }
        let bare = std::str::from_utf8(&buf[..n]).unwrap_or(" ");
        if bare.is_empty() || between_words(bare) {
            return true;
        }
    }
    // `r/i/s/k/-/f/r/e/e`: a spelled word's separator on either side of
    // the one between words.
    let mut seps = gap.chars().filter(|&c| c != ' ');
    let spelled_joint = gap.chars().count() <= 5
        && (1..=3).contains(&seps.clone().count())
        && seps.all(|c| c != ',' && is_joiner(c));
    if spelled_joint {
        return true;
    }
    let core = gap.trim_matches(' ');
    let mut chars = core.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return false;
    };
    gap.len() <= 3
        && match c {
            // A bullet or a quote marker after a line break.
            '-' | '_' | '/' | '+' | '>' | '\u{B7}' | '\u{2022}' => true,
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
            ("guaranteed", "gu.ar.an.teed"),
            ("guaranteed", "guar-an/t~eed"),
            ("guaranteed", "gua**ran**teed"),
            ("guaranteed returns", "guaranteed** **returns"),
            ("guaranteed returns", "guaranteed > returns"),
            ("risk free", "r/i/s/k/-/f/r/e/e"),
            ("can't lose", "c a n ' t  l o s e"),
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
    fn leet_table_is_sorted() {
        assert!(LEET.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn folding_maps_back() {
        let mut f = Folded::default();
        let norm = "gu4r4nteeeed!";
        f.fill(norm);
        // `!` after a word is a stray `i`, which no whole word takes.
        assert_eq!(f.text(), "guarantedi");
        let at = f.text().find("te").unwrap();
        assert_eq!(&norm[f.span(at..at + 2)], "teeee");
    }
}
