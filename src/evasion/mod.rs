//! Term-level evasion tricks — leetspeak, letters spelled out with
//! separators, repeated letters, words run together in hashtags — matched
//! in the same single pass as everything else.
//!
//! How: besides the normalised text, each post gets a *folded* view that
//! keeps only letters and digits, maps leetspeak digits and symbols to the
//! letters they stand for ([`LEETSPEAK`]: `4`→`a`, `1`→`i`, `(`→`c`, and `l`
//! to `i` too, since `1` stands for both), and collapses runs of one
//! letter. Terms are folded the same way into a second automaton. A folded
//! match is only a candidate: it is accepted when [`TermShape::accepts`]
//! can align the original (normalised) characters with the term under
//! these rules:
//!
//! - each letter is the term's letter or one of its leetspeak stand-ins,
//!   and the region has at least one real letter (a number is not a word);
//! - a letter repeated in the term is repeated as often in the text, or at
//!   least three times (`guaranteeeed`, `riiisk`; but `good` is not `god`);
//! - inside a word, either nothing separates the letters (an apostrophe may:
//!   `can't`/`cant`), or one space between every two letters (`r i s k`),
//!   or any single mark here and there (`g.u_a+r|a,n~t·e•e/d`);
//! - between two words of the term: nothing (`#riskfree`), up to three
//!   spaces, or one `-`, `_`, `/`, `+`, `|`, `.` or `·` (possibly with
//!   spaces around, but a `.` only without: `risk. Free coffee` is two
//!   sentences, not `risk-free`).
//!
//! Symbols are read both ways: as letters (`|0se`, `+he`, `in$ider`) and
//! as marks (`b|r|e|a|k`, `risk+free`, `g!u!a!r`). The folded view can
//! hold one reading, so a post with `|` or `+`, or another symbol between
//! two letters, gets a second view that drops them ([`Reading::Marks`]);
//! the verifier accepts either reading of each.
//!
//! Whole-word semantics still hold: the region must start and end on a word
//! boundary, or on a camel-case boundary inside a hashtag or handle
//! (`#GuaranteedReturnsDaily`); a symbol standing for a letter must begin
//! or end a word, not follow or precede a letter of another one.

mod shape;

use std::ops::Range;

pub(crate) use shape::{edges_ok, past_markdown, TermShape};

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
    /// The text has a symbol that may be a mark rather than a letter
    /// (`|` or `+` anywhere, another symbol between two letters): it
    /// needs the [`Reading::Marks`] view too.
    ambiguous: bool,
}

/// How the folded view reads the symbols that stand for a letter but may
/// also separate letters ([`is_symbol`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reading {
    /// As the letters they stand for (`|0se`, `+he`).
    Letters,
    /// As marks, left out of the view (`b|r|e|a|k`, `risk+free`).
    Marks,
}

/// Flags in the byte tables, above the folded letter (0: none): an
/// [`ambiguous`] byte, and another symbol stand-in.
const AMBIGUOUS: u16 = 0x100;
const SYMBOL: u16 = 0x200;

/// The leetspeak table that evasion matching reads: each stand-in, in
/// character order, with the letters it may stand for (`4`→`a`, `1`→`i`
/// or `l`, `€`→`e`). The folded view maps a stand-in to the first of them
/// (and `l` to `i`, since `1` and `|` stand for both); the verifier
/// accepts any of them. A symbol at the start of a word stands for a
/// letter too (`!nsider`, `(an't`, `|0se`, `+he`, `€m8arg0`), except `@`
/// and `$`, which begin handles and cashtags there (`@ble`, `$ELL`), and
/// a `(` that closes (`(ash)`), which is a bracket. Every symbol may also
/// be read as a mark between letters (`b|r|e|a|k`). Sources: the
/// leetspeak tables of the trick classes in
/// `tests/data/disguises/CLASSES.md` (rows 26 and 27) and of the first
/// evasion generator.
///
/// ```
/// assert!(preclear::LEETSPEAK.contains(&('4', "a")));
/// ```
pub const LEETSPEAK: &[(char, &str)] = &[
    ('!', "il"),
    ('$', "s"),
    ('(', "c"),
    ('+', "t"),
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
    LEETSPEAK
        .binary_search_by_key(&c, |&(s, _)| s)
        .ok()
        .map(|i| LEETSPEAK[i].1)
}

/// Stand-ins that are as often marks (`r|i|s|k`, `risk+free`,
/// `||spoiler||`, `c++`) as letters, wherever they stand.
pub(crate) fn ambiguous(c: char) -> bool {
    matches!(c, '|' | '+')
}

/// A symbol that stands for a letter (`$`, `€`, `|`), not a letter or
/// digit itself.
pub(crate) fn is_symbol(c: char) -> bool {
    !c.is_alphanumeric() && leet(c).is_some()
}

/// Whether a symbol stand-in stands between two letters or digits
/// (`g!u!a`, `in$ider`): one that may be a mark injected there.
fn symbol_inside_word(norm: &str) -> bool {
    if norm.is_ascii() {
        // Byte by byte, looking around symbols only: `!` ends many a
        // post, so this runs often, and decoding characters cost as much
        // as the fold itself.
        // The table's flags first: one load rules out most bytes.
        let flags = &ascii_tables()[0];
        return norm.as_bytes().windows(3).any(|w| {
            flags[w[1] as usize] & (SYMBOL | AMBIGUOUS) != 0
                && w[1].is_ascii_punctuation()
                && w[0].is_ascii_alphanumeric()
                && w[2].is_ascii_alphanumeric()
                && is_symbol(w[1] as char)
        });
    }
    let mut chars = norm.chars();
    let (mut a, mut b) = (None, chars.next());
    for c in chars {
        if a.is_some_and(char::is_alphanumeric)
            && b.is_some_and(is_symbol)
            && c.is_alphanumeric()
        {
            return true;
        }
        (a, b) = (b, Some(c));
    }
    false
}

/// For every byte, per [`Reading`]: `fold_char` of it (0: not folded),
/// plus [`AMBIGUOUS`] or [`SYMBOL`]. Non-ASCII bytes are 0; the tables
/// are only used on ASCII bytes.
fn ascii_tables() -> &'static [[u16; 256]; 2] {
    static TABLES: std::sync::OnceLock<[[u16; 256]; 2]> =
        std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = [[0u16; 256]; 2];
        for b in 0..128u8 {
            let c = b as char;
            let flag = match c {
                c if ambiguous(c) => AMBIGUOUS,
                c if is_symbol(c) => SYMBOL,
                _ => 0,
            };
            for (reading, table) in
                [Reading::Letters, Reading::Marks].into_iter().zip(&mut t)
            {
                let f = fold_char(c, reading).map_or(0, |f| f as u16);
                table[b as usize] = f | flag;
            }
        }
        t
    })
}

/// What `c` folds to, if it is a letter, a digit or a leetspeak stand-in
/// (a symbol only when read as a letter).
fn fold_char(c: char, reading: Reading) -> Option<char> {
    Some(match c {
        'l' => 'i',
        'a'..='z' => c,
        c if reading == Reading::Marks && is_symbol(c) => return None,
        c => match leet(c) {
            Some(l) => match l.chars().next()? {
                'l' => 'i',
                f => f,
            },
            // Accented letters fold to their base (`guarantéed`).
            None if c.is_alphanumeric() => shape::base(c),
            None => return None,
        },
    })
}

impl Folded {
    /// Folds the normalised text `norm`, reading `|` and `+` as `reading`
    /// says.
    pub(crate) fn fill(&mut self, norm: &str, reading: Reading) {
        let table = &ascii_tables()[reading as usize];
        if norm.is_ascii() {
            return self.fill_ascii(norm, table);
        }
        self.fill_mixed(norm, table, reading);
    }

    /// Whether the text last filled has a character that the other
    /// [`Reading`] reads differently.
    pub(crate) fn ambiguous(&self) -> bool {
        self.ambiguous
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
    fn fill_mixed(
        &mut self,
        norm: &str,
        table: &[u16; 256],
        reading: Reading,
    ) {
        let src = norm.as_bytes();
        let n = src.len();
        self.reserve(n);
        let (out, starts, ends) =
            (&mut self.bytes[..n], &mut self.starts[..n], &mut self.ends[..n]);
        let mut k = 0;
        let mut seen = 0u16;
        // The last folded character (`u32::MAX`: none yet) and its length.
        let mut last = u32::MAX;
        let mut last_len = 0;
        let mut i = 0;
        while i < n {
            let b = src[i];
            let start = i as u32;
            if b.is_ascii() {
                // As in `fill_ascii`: most of a mixed post is ASCII.
                let t = table[b as usize];
                seen |= t;
                let f = t as u8;
                i += 1;
                if f == 0 {
                    continue;
                }
                if last == u32::from(f) {
                    ends[k - last_len..k].fill(i as u32);
                    continue;
                }
                if k >= n {
                    break;
                }
                out[k] = f;
                starts[k] = start;
                ends[k] = i as u32;
                k += 1;
                last = u32::from(f);
                last_len = 1;
                continue;
            }
            // `i` is always on a character boundary.
            let Some(c) = norm[i..].chars().next() else { break };
            if is_symbol(c) {
                seen |= SYMBOL;
            }
            i += c.len_utf8();
            let Some(f) = fold_char(c, reading) else { continue };
            let end = i as u32;
            if last == u32::from(f) {
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
            last = u32::from(f);
            last_len = len;
        }
        self.len = k;
        self.ambiguous = needs_marks(seen, norm);
    }

    /// [`Folded::fill`] for ASCII text (most posts), a byte at a time
    /// through a table.
    fn fill_ascii(&mut self, norm: &str, table: &[u16; 256]) {
        // Folded bytes are ASCII letters, so `text` stays UTF-8. The
        // buffers are sized up front and written by index: this loop runs
        // over every byte of every post.
        let n = norm.len();
        self.reserve(n);
        let (out, starts, ends) =
            (&mut self.bytes[..n], &mut self.starts[..n], &mut self.ends[..n]);
        let mut k = 0;
        let mut seen = 0u16;
        let mut last = 0u8;
        for (i, &b) in norm.as_bytes().iter().enumerate() {
            let t = table[b as usize];
            seen |= t;
            let f = t as u8;
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
        self.ambiguous = needs_marks(seen, norm);
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

/// Whether a text whose bytes set the flags `seen` needs the
/// [`Reading::Marks`] view: it has `|` or `+`, or another symbol between
/// two letters (looked for only when it has such a symbol at all).
fn needs_marks(seen: u16, norm: &str) -> bool {
    seen & AMBIGUOUS != 0 || (seen & SYMBOL != 0 && symbol_inside_word(norm))
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
    f.fill(term, Reading::Letters);
    f.text().to_string()
}

#[cfg(test)]
mod tests {
    use super::shape::spelled_edges_ok;
    use super::*;

    /// Whether `region` as a whole spells `term`: found in either folded
    /// view, then verified.
    fn matches(term: &str, region: &str) -> bool {
        let shape = TermShape::new(term);
        let mut f = Folded::default();
        let found = [Reading::Letters, Reading::Marks].iter().any(|&r| {
            f.fill(region, r);
            f.text().contains(&fold_term(term))
        });
        found && shape.accepts(region) == Some(0..region.len())
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
            ("risk free", "risk+free"),
            ("cash", "(ash"),
            ("risk free", "r.i.s.k.-.f.r.e.e"),
            ("break the", "break|| ||the"),
            ("zero risk investment", "zero|| ||risk|| ||investment"),
            ("zero risk", "zero|| ||risk"),
            ("risk investment", "risk|| ||investment"),
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
            ("risk free", "risk. - free"),
            ("you", "y''ou"),
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
        for (text, word) in [
            ("h e l l o", "h e l l"),
            ("a c l a s s act", "a s s"),
            ("a c|l|a|s|s act", "a|s|s"),
        ] {
            let at = text.find(word).unwrap();
            assert!(!spelled_edges_ok(text, at..at + word.len()), "{text:?}");
        }
        let text = "r i s k - f r e e investment";
        assert!(spelled_edges_ok(text, 0..17));
        let text = "r|e|t|u|r|n|s f|o|r you";
        assert!(spelled_edges_ok(text, 0..13));
    }

    #[test]
    fn symbols_at_word_edges() {
        // (text, region start, region end, accepted)
        for (text, at, word, ok) in [
            ("you (an't lose", 4, "(an't lose", true),
            ("my (ash) here", 3, "(ash", false),
            ("x!nsider info", 1, "!nsider", false),
            ("a !nsider info", 2, "!nsider", true),
            ("d0ub|€ y0ur", 0, "d0ub|€", true),
            ("d0ub|€y0ur", 0, "d0ub|€", false),
        ] {
            let range = at..at + word.len();
            assert_eq!(&text[range.clone()], word);
            assert_eq!(edges_ok(text, range), ok, "{word:?} in {text:?}");
        }
    }

    #[test]
    fn letters_merged_across_a_gap_are_trimmed() {
        let shape = TermShape::new("internal");
        assert_eq!(shape.accepts("internallll l"), Some(0..11));
        assert_eq!(shape.accepts("l internal"), Some(2..10));
        assert_eq!(shape.accepts("internal|"), Some(0..8));
        let shape = TermShape::new("investment");
        assert_eq!(shape.accepts("investment|| t"), Some(0..10));
        assert_eq!(TermShape::new("cash").accepts("(cash"), Some(1..5));
        assert_eq!(TermShape::new("lol").accepts("lol"), Some(0..3));
    }

    #[test]
    fn leet_table_is_sorted() {
        assert!(LEETSPEAK.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn folding_maps_back() {
        let mut f = Folded::default();
        let norm = "gu4r4nteeeed!";
        f.fill(norm, Reading::Letters);
        // `!` after a word is a stray `i`, which no whole word takes.
        assert_eq!(f.text(), "guarantedi");
        assert!(!f.ambiguous());
        let at = f.text().find("te").unwrap();
        assert_eq!(&norm[f.span(at..at + 2)], "teeee");
        for (norm, inside) in
            [("g!u!a", true), ("ca$h", true), ("oh! (a) $5", false)]
        {
            f.fill(norm, Reading::Letters);
            assert_eq!(f.ambiguous(), inside, "{norm:?}");
        }
    }

    #[test]
    fn both_readings_of_bars_and_pluses() {
        let mut f = Folded::default();
        for (norm, letters, marks) in [
            ("b|r|e|a|k +he", "birieiaikthe", "breakhe"),
            ("|0se risk+free", "ioserisktfre", "oseriskfre"),
            ("\u{e9}|\u{e9}", "eie", "e"),
        ] {
            f.fill(norm, Reading::Letters);
            assert_eq!(f.text(), letters, "{norm:?}");
            assert!(f.ambiguous(), "{norm:?}");
            f.fill(norm, Reading::Marks);
            assert_eq!(f.text(), marks, "{norm:?}");
        }
    }
}
