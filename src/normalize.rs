//! The one normalisation pass run on every post before matching, and the
//! map from normalised bytes back to the original ones.
//!
//! Terms are compiled in the same normal form, so matching happens on the
//! normalised text; every span found there is mapped back through
//! [`Normalized::source_span`], so reasons always point at the bytes the
//! author wrote.
//!
//! The full form (the default) applies, per character cluster (a character
//! and the combining marks after it): NFKC (fullwidth `ｇ`, styled `𝐠`,
//! ligatures), full lower-casing, the UTS #39 confusable skeleton for
//! non-ASCII letters that imitate ASCII ones (Cyrillic `а`, Greek `ο`,
//! `ɡ`), every Unicode decimal digit to its ASCII digit, typographic
//! apostrophes, quotes, dashes and spaces to ASCII, emoji and other symbols
//! to a space (they separate words and digit groups), and drops zero-width
//! and other invisible format characters. The basic form, used when
//! evasion handling is off, only lower-cases, unifies punctuation and drops
//! zero-width characters.

use std::ops::Range;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Which normal form to produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    /// Lower case, ASCII punctuation, no zero-width characters.
    Basic,
    /// Everything evasion handling needs (see the module docs).
    Full,
}

/// A normalised post and its offset map. Reused between posts (the buffers
/// keep their capacity), so screening allocates nothing once warm.
#[derive(Default)]
pub(crate) struct Normalized {
    text: String,
    /// For each byte of `text`: the source byte range of the character
    /// cluster it came from. Empty when the text is ASCII (the map is the
    /// identity).
    starts: Vec<u32>,
    ends: Vec<u32>,
    identity: bool,
    source_len: usize,
}

impl Normalized {
    /// Normalises `src` into this buffer.
    pub(crate) fn fill(&mut self, src: &str, form: Form) {
        self.text.clear();
        self.starts.clear();
        self.ends.clear();
        self.source_len = src.len();
        if src.is_ascii() {
            // Byte for byte, so the offset map stays the identity.
            self.identity = true;
            let mut bytes = std::mem::take(&mut self.text).into_bytes();
            bytes.extend_from_slice(src.as_bytes());
            for b in bytes.iter_mut() {
                *b = ascii_char(*b);
            }
            // Still ASCII, so this cannot fail.
            self.text = String::from_utf8(bytes).unwrap_or_default();
            return;
        }
        self.identity = false;
        let bytes = src.as_bytes();
        // The current word (words end at whitespace): where it starts, and
        // whether it has Latin letters, once a character needed to know.
        let mut word_start = 0;
        let mut word_latin: Option<bool> = None;
        let mut i = 0;
        while i < bytes.len() {
            // A run of ASCII, copied through the byte table in one go. Its
            // last byte waits for the slow path when a character follows:
            // a combining mark after it belongs to its cluster.
            let run = bytes[i..]
                .iter()
                .position(|b| !b.is_ascii())
                .unwrap_or(bytes.len() - i);
            let run = if i + run < bytes.len() && form == Form::Full {
                run.saturating_sub(1)
            } else {
                run
            };
            if run > 0 {
                let end = i + run;
                let ascii = &bytes[i..end];
                // ASCII bytes are whole characters.
                // Copied whole between line breaks and tabs (which
                // become spaces), then lower-cased in place.
                let from = self.text.len();
                let mut seg = i;
                for (j, &b) in ascii.iter().enumerate() {
                    if ascii_char(b) == b' ' && b != b' ' {
                        self.text.push_str(&src[seg..i + j]);
                        self.text.push(' ');
                        seg = i + j + 1;
                    }
                }
                self.text.push_str(&src[seg..end]);
                self.text[from..].make_ascii_lowercase();
                self.starts.extend(i as u32..end as u32);
                self.ends.extend(i as u32 + 1..end as u32 + 1);
                if let Some(w) =
                    ascii.iter().rposition(|&b| (b as char).is_whitespace())
                {
                    word_start = i + w + 1;
                    word_latin = None;
                }
                i = end;
                continue;
            }
            let Some(c) = src[i..].chars().next() else { break };
            let mut end = i + c.len_utf8();
            let before = self.text.len();
            let marked =
                src[end..].chars().next().is_some_and(is_combining_mark);
            if c.is_ascii() && !(marked && form == Form::Full) {
                self.text.push(ascii_char(c as u8) as char);
            } else if form == Form::Basic {
                basic_char(c, &mut self.text);
            } else {
                // A cluster: the character and the combining marks after
                // it, normalised together ("e" + U+0301 is "é").
                for m in src[end..].chars() {
                    if !is_combining_mark(m) {
                        break;
                    }
                    end += m.len_utf8();
                }
                // Look-alikes fold only in words with Latin letters:
                // `аpple` is a disguise, `Вот` is Russian.
                let latin = *word_latin
                    .get_or_insert_with(|| latin_word(&src[word_start..]));
                for n in src[i..end].nfkc() {
                    full_char(n, latin, &mut self.text);
                }
            }
            if c.is_whitespace() {
                word_start = i + c.len_utf8();
                word_latin = None;
            }
            let added = self.text.len() - before;
            self.starts.extend(std::iter::repeat_n(i as u32, added));
            self.ends.extend(std::iter::repeat_n(end as u32, added));
            i = end;
        }
    }

    /// The normalised text.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The normalised range covering the source range `r`. (Links are
    /// now found in the normal form; kept for the tests of the map.)
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn normalized_span(&self, r: Range<usize>) -> (usize, usize) {
        if self.identity {
            return (r.start, r.end);
        }
        let start = self.starts.partition_point(|&s| (s as usize) < r.start);
        let end = self.ends.partition_point(|&e| (e as usize) <= r.end);
        (start, end.max(start))
    }

    /// The source byte range that the normalised range `r` came from.
    /// `r` must lie within the normalised text.
    pub(crate) fn source_span(&self, r: Range<usize>) -> Range<usize> {
        if self.identity {
            return r;
        }
        if r.start >= r.end {
            let at = self
                .starts
                .get(r.start)
                .map_or(self.source_len, |&s| s as usize);
            return at..at;
        }
        self.starts[r.start] as usize..self.ends[r.end - 1] as usize
    }
}

/// The normal form of an ASCII byte: lower case, and every whitespace
/// character a space, so a phrase or a number wrapped over two lines, or
/// split by tabs, still matches.
fn ascii_char(b: u8) -> u8 {
    match b {
        b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => b' ',
        b => b.to_ascii_lowercase(),
    }
}

/// Punctuation with an ASCII twin, in both forms; `None` if `c` is not
/// such punctuation.
fn punctuation(c: char) -> Option<Option<char>> {
    Some(match c {
        // Typographic apostrophes and primes: `can’t` is `can't`.
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '\u{2032}'
        | '\u{FF07}' | '\u{00B4}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}'
        | '\u{FF02}' => Some('"'),
        // A middle dot between digit groups is a dot.
        '\u{00B7}' | '\u{2027}' | '\u{30FB}' => Some('.'),
        // Hyphens and dashes.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => {
            Some('-')
        }
        // Spaces of every width.
        '\u{00A0}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}' => Some(' '),
        // Zero-width and invisible format characters, variation
        // selectors and tags: gone.
        '\u{00AD}'
        | '\u{034F}'
        | '\u{061C}'
        | '\u{115F}'
        | '\u{1160}'
        | '\u{17B4}'
        | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}'
        | '\u{FFA0}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{E0000}'..='\u{E0FFF}' => None,
        _ => return None,
    })
}

/// The basic form of a non-ASCII character.
fn basic_char(c: char, out: &mut String) {
    match punctuation(c) {
        Some(Some(p)) => out.push(p),
        Some(None) => {}
        None => out.extend(c.to_lowercase()),
    }
}

/// The full form of one NFKC-normalised character.
fn full_char(c: char, latin: bool, out: &mut String) {
    if c.is_ascii() {
        out.push(ascii_char(c as u8) as char);
        return;
    }
    match punctuation(c) {
        Some(Some(p)) => return out.push(p),
        Some(None) => return,
        None => {}
    }
    if let Some(d) = decimal_digit(c) {
        return out.push(d);
    }
    // Squared and circled capitals (🅶🆄🅰…), which NFKC leaves alone.
    let cp = c as u32;
    for base in [0x1F130, 0x1F150, 0x1F170] {
        if (base..base + 26).contains(&cp) {
            return out.push(char::from(b'a' + (cp - base) as u8));
        }
    }
    if is_symbol(c) {
        return out.push(' ');
    }
    for l in c.to_lowercase() {
        match l {
            'ß' => out.push_str("ss"),
            'ς' => out.push('σ'),
            l if l.is_ascii() => out.push(l),
            // A letter imitates ASCII if it or its capital does (Cyrillic
            // `М` looks like `M`, its small `м` like nothing), so both
            // cases of a letter fold the same way.
            l if !latin => out.push(l),
            l => match ascii_skeleton(l).or_else(|| {
                let mut upper = l.to_uppercase();
                match (upper.next(), upper.next()) {
                    (Some(u), None) => ascii_skeleton(u),
                    _ => None,
                }
            }) {
                Some(s) => out.push_str(s.as_str()),
                None => out.push(l),
            },
        }
    }
}

/// True for Latin letters and digits (ASCII, accented, IPA, fullwidth,
/// mathematical).
fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c as u32,
            0x00C0..=0x024F | 0x0250..=0x02AF | 0x1D00..=0x1DBF
            | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF
            | 0xAB30..=0xAB6F | 0xFF10..=0xFF19 | 0xFF21..=0xFF3A
            | 0xFF41..=0xFF5A | 0x1D400..=0x1D7FF)
}

/// Whether the word at the start of `text` (up to whitespace, so that
/// `g.u.а.r` with its separators is one word) holds a Latin letter or
/// digit.
fn latin_word(text: &str) -> bool {
    text.chars().take_while(|c| !c.is_whitespace()).any(is_latin)
}

/// The ASCII letters a non-ASCII letter imitates (UTS #39 skeleton), if it
/// imitates ASCII letters or digits at all: up to three, on the stack.
fn ascii_skeleton(c: char) -> Option<Skeleton> {
    let mut buf = [0u8; 4];
    let mut out = Skeleton { bytes: [0; 3], len: 0 };
    for s in unicode_security::skeleton(c.encode_utf8(&mut buf)) {
        if !s.is_ascii_alphanumeric() || out.len >= 3 {
            return None;
        }
        out.bytes[out.len] = s.to_ascii_lowercase() as u8;
        out.len += 1;
    }
    // The skeleton of `m` is `rn`: a Cyrillic `м` imitates `m`.
    if out.as_str() == "rn" {
        out = Skeleton { bytes: [b'm', 0, 0], len: 1 };
    }
    (out.len > 0).then_some(out)
}

/// Up to three ASCII letters or digits.
struct Skeleton {
    bytes: [u8; 3],
    len: usize,
}

impl Skeleton {
    fn as_str(&self) -> &str {
        // ASCII by construction.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

/// The first code point of each block of ten Unicode decimal digits (general
/// category Nd) outside ASCII and the blocks NFKC already folds.
const DIGIT_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6,
    0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090,
    0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,
    0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0x104A0,
    0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
    0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0,
    0x16A60, 0x16AC0, 0x16B50, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The ASCII digit for a Unicode decimal digit.
fn decimal_digit(c: char) -> Option<char> {
    let cp = c as u32;
    let i = DIGIT_ZEROS.partition_point(|&z| z <= cp);
    let zero = *DIGIT_ZEROS.get(i.checked_sub(1)?)?;
    (cp - zero < 10).then(|| char::from(b'0' + (cp - zero) as u8))
}

/// Emoji, pictographs, arrows, dingbats and other symbols: they separate
/// words and digit groups like a space.
fn is_symbol(c: char) -> bool {
    matches!(c as u32,
        0x00A9 | 0x00AE | 0x2122 | 0x2139
        | 0x2190..=0x21FF   // arrows
        | 0x2300..=0x23FF   // miscellaneous technical
        | 0x2460..=0x24FF   // enclosed alphanumerics (not folded by NFKC)
        | 0x2500..=0x27BF   // box drawing, shapes, symbols, dingbats
        | 0x2900..=0x297F   // supplemental arrows
        | 0x2B00..=0x2BFF   // miscellaneous symbols and arrows
        | 0x3297 | 0x3299
        | 0x1F000..=0x1FAFF // emoji and pictographs
    )
}

/// The normal form of a term or context word, as the automaton holds it.
pub(crate) fn normalize_term(term: &str, form: Form) -> String {
    let mut n = Normalized::default();
    n.fill(term.trim(), form);
    // Collapse runs of spaces so `"can't  lose"` is `"can't lose"`.
    let mut out = String::with_capacity(n.text.len());
    for w in n.text.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(s: &str) -> String {
        let mut n = Normalized::default();
        n.fill(s, Form::Full);
        n.text().to_string()
    }

    #[test]
    fn spans_map_back_to_source_bytes() {
        let src = "Can\u{2019}t L\u{200B}OSE \u{00C9}t\u{00C9}";
        let mut n = Normalized::default();
        n.fill(src, Form::Full);
        assert_eq!(n.text(), "can't lose \u{e9}t\u{e9}");
        let at = n.text().find("can't lose").unwrap();
        let r = n.source_span(at..at + "can't lose".len());
        assert_eq!(&src[r], "Can\u{2019}t L\u{200B}OSE");
        let at = n.text().find('t').unwrap();
        assert_eq!(&src[n.source_span(at..at + 1)], "t");
        let e = n.text().rfind('\u{e9}').unwrap();
        assert_eq!(&src[n.source_span(e..e + 2)], "\u{00C9}");
    }

    #[test]
    fn the_full_form_undoes_look_alikes() {
        let cases: &[(&str, &str)] = &[
            ("\u{0261}uaranteed", "guaranteed"), // Latin script g
            ("ｇｕａｒａｎｔｅｅｄ", "guaranteed"), // fullwidth
            ("\u{1D420}\u{1D42E}", "gu"),        // mathematical bold
            ("\u{0430}pple", "apple"),           // Cyrillic a
            ("g\u{03BF}od", "good"),             // Greek omicron
            ("\u{041C}ONEY \u{043C}oney", "money money"), // Cyrillic em
            (
                "\u{0412}\u{043E}\u{0442} \u{041C}\u{043E}\u{0439}",
                "\u{0432}\u{043E}\u{0442} \u{043C}\u{043E}\u{0439}",
            ), // Russian stays
            ("gua\u{200D}ran\u{00AD}teed", "guaranteed"),
            ("\u{0664}\u{0661}\u{0661}\u{0661}", "4111"), // Arabic-Indic
            ("\u{096A}\u{0967}", "41"),                   // Devanagari
            ("４１１１", "4111"),                         // fullwidth
            ("guaranteed\u{1F680}returns", "guaranteed returns"),
            ("\u{1F176}\u{1F184}\u{1F170}", "gua"), // negative squared
            ("\u{1F146}\u{1F144}", "wu"),           // squared
            ("STRASSE Straße", "strasse strasse"),
            ("cafe\u{0301}", "caf\u{e9}"),
            ("東京", "東京"),
            ("ÉTÉ", "\u{e9}t\u{e9}"),
        ];
        for (src, want) in cases {
            assert_eq!(full(src), *want, "{src:?}");
        }
    }

    #[test]
    fn the_basic_form_keeps_look_alikes() {
        let mut n = Normalized::default();
        n.fill("\u{0430}pple ＧＯ", Form::Basic);
        assert_eq!(n.text(), "\u{0430}pple ｇｏ");
    }

    #[test]
    fn source_spans_map_into_the_normal_form() {
        let src = "Go \u{200B}to EXAMPLE.com now";
        let mut n = Normalized::default();
        n.fill(src, Form::Full);
        let at = src.find("EXAMPLE").unwrap();
        let (s, e) = n.normalized_span(at..at + "EXAMPLE.com".len());
        assert_eq!(&n.text()[s..e], "example.com");
        assert_eq!(&src[n.source_span(s..e)], "EXAMPLE.com");
    }

    #[test]
    fn ascii_is_identity() {
        let mut n = Normalized::default();
        n.fill("Guaranteed RETURNS", Form::Full);
        assert_eq!(n.text(), "guaranteed returns");
        assert_eq!(n.source_span(3..7), 3..7);
    }

    #[test]
    fn terms_collapse_spaces() {
        assert_eq!(
            normalize_term("  Can\u{2019}t   Lose ", Form::Full),
            "can't lose"
        );
    }
}
