//! The verifier of folded candidates: does a region of the normalised
//! text spell a term under the rules in [`super`]'s docs?

use std::ops::Range;

use super::{ambiguous, fold_char, is_symbol, leet, Reading};

/// A term as the verifier needs it: its runs of one letter, in order.
#[derive(Clone, Debug)]
pub(crate) struct TermShape {
    runs: Vec<Run>,
    /// Letters of a run counted beyond this are all alike (three or more,
    /// and more than any run of the term has): it bounds the search.
    cap: usize,
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

impl Run {
    /// `n` letters of the text make this run: as many as the term has, or
    /// three or more when that is more (`guaranteeeed`, not `god`).
    fn fits(&self, n: usize) -> bool {
        n == self.count || (n >= 3 && n > self.count)
    }
}

/// A letter (or stand-in) of a candidate region: the character and its
/// byte range in the region, with any combining marks on it (`u̶`).
#[derive(Clone, Copy, Debug)]
struct Unit {
    letter: char,
    at: usize,
    end: usize,
    /// An `@` or `$` that begins a word: a handle or a cashtag
    /// (`@ble`, `$ELL`), which stands for no letter.
    sigil: bool,
}

/// Buffers for [`TermShape::accepts`], reused on each thread.
#[derive(Default)]
struct ShapeScratch {
    units: Vec<Unit>,
    ends: Vec<usize>,
    /// Two layers of the alignment's states (see [`TermShape::walk`]).
    states: Vec<bool>,
}

thread_local! {
    static SHAPE_SCRATCH: std::cell::RefCell<ShapeScratch> =
        std::cell::RefCell::new(ShapeScratch::default());
}

/// The letter without its accents, when it is an ASCII letter with
/// accents (`é` → `e`); else the letter.
pub(super) fn base(c: char) -> char {
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
    /// A space between every two letters.
    Spelled,
}

const JOINTS: [Joint; 3] = [Joint::Open, Joint::Joined, Joint::Spelled];

/// How many `|` or `+` in a row the verifier may read as marks: Markdown
/// spoilers around two words (`||break|| ||the||`).
const MAX_SKIP: usize = 4;

impl Joint {
    /// The joint after a gap inside a word, or `None` if the gap breaks
    /// the word's pattern.
    fn then(self, gap: &str, apostrophe: bool) -> Option<Joint> {
        // Markdown emphasis (`**guaran**teed`, `||spoiler||`) does not
        // show once rendered.
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
        let mut chars = gap.chars();
        let single = match (chars.next(), chars.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        };
        if single.is_some_and(injected) {
            // Any one mark injected here and there (`guar-an/t~eed`,
            // `d.oub-l,e`, `y·o_u`) joins letters whatever the rest of the
            // word does, as a reader reads it; a space does not (`gu ar`
            // is two words).
            return Some(self);
        }
        match (self, gap.is_empty(), single.is_some()) {
            (Joint::Open | Joint::Joined, true, _) => Some(Joint::Joined),
            (Joint::Open | Joint::Spelled, _, true) => Some(Joint::Spelled),
            _ => None,
        }
    }
}

/// A character that, alone between two letters of a word, is a mark a
/// reader skips: anything but a letter, digit, space or apostrophe (an
/// apostrophe splits `I'll`, which is not `ill`).
fn injected(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace() && c != '\'' && c != '`'
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
        let most = runs.iter().map(|r| r.count).max().unwrap_or(0);
        TermShape { runs, cap: most.max(2) + 1 }
    }

    /// The part of `region` (normalised text) that spells the term under
    /// the rules in the module docs, as a byte range of `region`, if any.
    /// The folded view merges a run of one letter across a gap (`all
    /// internal`) or a symbol (`(cash`), so the region may carry such
    /// letters at either end; they are trimmed here.
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
        let ShapeScratch { units, ends, states } = scratch;
        units.clear();
        let mut word_start = true;
        for (i, c) in region.char_indices() {
            let end = i + c.len_utf8();
            let unit = is_unit(c);
            let sigil = word_start && matches!(c, '@' | '$');
            word_start = !unit;
            if unit {
                units.push(Unit { letter: c, at: i, end, sigil });
            } else if let Some(u) = units.last_mut() {
                // A mark on the letter before it (`u̶`) is not a gap.
                if u.end == i
                    && unicode_normalization::char::is_combining_mark(c)
                {
                    u.end = end;
                }
            }
        }
        let (first, last) = (self.runs.first()?, self.runs.last()?);
        // Where the term may start: the first unit, or, inside a leading
        // stretch of its first letter, after a gap or a symbol. Likewise
        // where it may end.
        let folds_like = |c: char, letter: char| {
            fold_char(c, Reading::Letters)
                == fold_char(letter, Reading::Letters)
        };
        let units = &units[..];
        let apart = |i: usize| {
            units[i].at > units[i - 1].end || is_symbol(units[i - 1].letter)
        };
        let lead =
            units.iter().take_while(|u| folds_like(u.letter, first.letter));
        let starts =
            std::iter::once(0).chain((1..lead.count()).filter(|&i| apart(i)));
        let trail = units.len()
            - units
                .iter()
                .rev()
                .take_while(|u| folds_like(u.letter, last.letter))
                .count();
        ends.clear();
        ends.push(units.len());
        ends.extend((trail.max(1)..units.len()).rev().filter(|&i| {
            units[i].at > units[i - 1].end || is_symbol(units[i].letter)
        }));
        let skip = |u: &&Unit| is_symbol(u.letter);
        for s in starts {
            for &e in ends.iter() {
                if e <= s {
                    continue;
                }
                // Also without symbols at either end, read as marks
                // (`investment|| tonight` folds the two `t`s into one).
                let e2 = e - units[s..e].iter().rev().take_while(skip).count();
                let s2 = s + units[s..e2].iter().take_while(skip).count();
                for part in [&units[s..e], &units[s2..e2]] {
                    if self.spells(region, part, states) {
                        let last = &part[part.len() - 1];
                        let end = last.at + last.letter.len_utf8();
                        return Some(part[0].at..end);
                    }
                }
            }
        }
        None
    }

    /// Whether `part`, with at least one real letter, spells the term.
    fn spells(
        &self,
        region: &str,
        part: &[Unit],
        states: &mut Vec<bool>,
    ) -> bool {
        part.iter().any(|u| u.letter.is_alphabetic())
            && self.walk(region, part, states)
    }

    /// Whether `units` (all of them) spell the term. A search over states
    /// (run, letters of it so far, joint, marks skipped since the last
    /// letter), one layer per unit: each unit is the next letter of the
    /// current run, or of the next one, or — for a symbol — a mark
    /// skipped (at most [`MAX_SKIP`] in a row: `|| ||`). No recursion, so
    /// a long region cannot exhaust the stack.
    fn walk(
        &self,
        region: &str,
        units: &[Unit],
        states: &mut Vec<bool>,
    ) -> bool {
        let runs = self.runs.len();
        let k1 = self.cap + 1;
        const S: usize = MAX_SKIP + 1;
        let size = (runs + 1) * k1 * 3 * S;
        let at = |r: usize, k: usize, j: Joint, s: usize| {
            ((r * k1 + k) * 3 + j as usize) * S + s
        };
        states.clear();
        states.resize(2 * size, false);
        let (mut cur, mut next) = states.split_at_mut(size);
        cur[at(0, 0, Joint::Open, 0)] = true;
        // The runs with a live state: `lo..hi` (few at a time, so a long
        // region costs little per unit), and the part of `next` that may
        // still hold states from two units back.
        let (mut lo, mut hi) = (0, 1);
        let mut stale = 0..0;
        for u in 0..=units.len() {
            // A run that has its letters may end here.
            for r in lo..hi.min(runs) {
                for k in 1..k1 {
                    if !self.runs[r].fits(k) {
                        continue;
                    }
                    for j in JOINTS {
                        for s in 0..S {
                            if cur[at(r, k, j, s)] {
                                cur[at(r + 1, 0, j, s)] = true;
                                hi = hi.max(r + 2);
                            }
                        }
                    }
                }
            }
            let Some(unit) = units.get(u) else {
                return JOINTS.iter().any(|&j| cur[at(runs, 0, j, 0)]);
            };
            next[stale.clone()].fill(false);
            let (mut next_lo, mut next_hi) = (usize::MAX, 0);
            for r in lo..hi.min(runs) {
                let run = &self.runs[r];
                let letter =
                    !unit.sigil && stands_for(unit.letter, run.letter);
                let skip = is_symbol(unit.letter);
                for k in 0..k1 {
                    for j in JOINTS {
                        for s in 0..S {
                            if !cur[at(r, k, j, s)] {
                                continue;
                            }
                            let mut set = |i: usize| {
                                next[i] = true;
                                next_lo = next_lo.min(r);
                                next_hi = next_hi.max(r + 1);
                            };
                            if skip && s < MAX_SKIP && (r, k) != (0, 0) {
                                set(at(r, k, j, s + 1));
                            }
                            if !letter {
                                continue;
                            }
                            let gap = match u.checked_sub(s + 1) {
                                Some(p) => &region[units[p].end..unit.at],
                                None => "",
                            };
                            if let Some(j) = self.enter(run, r, k, j, gap) {
                                set(at(r, (k + 1).min(self.cap), j, 0));
                            }
                        }
                    }
                }
            }
            if next_hi == 0 {
                return false;
            }
            // `cur` becomes `next`: what it held is cleared before reuse.
            stale = at(lo, 0, Joint::Open, 0)..at(hi, 0, Joint::Open, 0);
            (lo, hi) = (next_lo, next_hi);
            std::mem::swap(&mut cur, &mut next);
        }
        false
    }

    /// The joint after taking a letter as the `k+1`th of run `r`, with
    /// `gap` before it; `None` if the gap does not allow it.
    fn enter(
        &self,
        run: &Run,
        r: usize,
        k: usize,
        joint: Joint,
        gap: &str,
    ) -> Option<Joint> {
        match k {
            0 if r == 0 => Some(Joint::Open),
            0 if run.starts_word => {
                let own = gap == run.own_gap
                    || (!gap.trim().is_empty()
                        && gap.trim() == run.own_gap.trim());
                (own || between_words(gap)).then_some(Joint::Open)
            }
            0 => joint.then(gap, run.apostrophe),
            _ => joint.then(gap, false),
        }
    }
}

/// Whether a verified region `region` of `text` stands as the term: it
/// does not start or end a spelled-out word that goes on outside it
/// ([`spelled_edges_ok`]), a symbol standing for its first or last letter
/// is not glued to a letter outside (`x!nsider`), and a `(` standing for
/// its first letter is not a bracket that closes (`(ash)`).
pub(crate) fn edges_ok(text: &str, region: Range<usize>) -> bool {
    let inner = &text[region.clone()];
    let before = text[..region.start].chars().next_back();
    let after = text[region.end..].chars().next();
    let glued = |edge: Option<char>, outside: Option<char>| {
        edge.is_some_and(is_symbol)
            && outside.is_some_and(char::is_alphanumeric)
    };
    if glued(inner.chars().next(), before)
        || glued(inner.chars().next_back(), after)
    {
        return false;
    }
    if inner.starts_with('(') && (inner.contains(')') || after == Some(')')) {
        return false;
    }
    spelled_edges_ok(text, region)
}

/// False if `region` of `text` starts or ends with a spelled-out word
/// (`r i s k`) that goes on outside it: `h e l l o` does not hold `hell`,
/// `c l a s s` (or `c|l|a|s|s`) does not hold `ass`.
pub(super) fn spelled_edges_ok(text: &str, region: Range<usize>) -> bool {
    // `|` and `+` count as marks here: the stricter reading.
    let letter = |c: char| is_unit(c) && !ambiguous(c);
    let inner = &text[region.clone()];
    // Whether the first (last) two letters stand apart, and with a space
    // between them or a mark.
    let apart = |(a, c): (usize, char), b: usize| {
        (b > a + c.len_utf8())
            .then(|| inner[a + c.len_utf8()..b].contains(' '))
    };
    let mut units = inner.char_indices().filter(|&(_, c)| letter(c));
    let spelled_start = match (units.next(), units.next()) {
        (Some(a), Some((b, _))) => apart(a, b),
        _ => None,
    };
    let mut back = inner.char_indices().rev().filter(|&(_, c)| letter(c));
    let spelled_end = match (back.next(), back.next()) {
        (Some((b, _)), Some(a)) => apart(a, b),
        _ => None,
    };
    // `<sep><letter>` then a non-letter or the end, with the same kind of
    // separator (a space after `g|u|a|r|d` starts the next word): the
    // spelling goes on.
    let continues = |it: &mut dyn Iterator<Item = char>, space: bool| {
        let mut it = it.peekable();
        let (Some(sep), Some(l)) = (it.next(), it.next()) else {
            return false;
        };
        !letter(sep)
            && (sep == ' ') == space
            && letter(l)
            && it.peek().is_none_or(|&c| !letter(c))
    };
    let after = &mut text[region.end..].chars();
    let before = &mut text[..region.start].chars().rev().take(3);
    !(spelled_end.is_some_and(|space| continues(after, space))
        || spelled_start.is_some_and(|space| continues(before, space)))
}

/// Markdown delimiters (`**`, `__`, `~~`, `||`, `` ` ``): they do not
/// show once rendered.
fn is_markdown(c: char) -> bool {
    matches!(c, '*' | '_' | '~' | '`' | '|')
}

/// Separators injected between letters (`r/i/s/k`, `d-o-u-b-l-e`).
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        ' ' | '-'
            | '_'
            | '/'
            | '+'
            | '|'
            | '~'
            | '*'
            | ','
            | '\u{B7}'
            | '\u{2022}'
    )
}

/// `start..end` of `text` widened over Markdown marks on either side
/// (`_guaran_teed`, `||break||`), for the word-boundary checks.
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
    // A dot only without spaces (`r.i.s.k.-.f.r.e.e`): `risk. - free`
    // is a sentence break.
    let dots = !gap.contains(' ');
    let mut seps = gap.chars().filter(|&c| c != ' ');
    let spelled_joint = gap.chars().count() <= 5
        && (1..=3).contains(&seps.clone().count())
        && seps.clone().any(|c| c != '.')
        && seps.all(|c| c != ',' && (is_joiner(c) || (dots && c == '.')));
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
            '-' | '_' | '/' | '+' | '|' | '>' | '\u{B7}' | '\u{2022}' => true,
            '.' => gap == ".",
            _ => false,
        }
}
