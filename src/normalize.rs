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

use std::cell::RefCell;
use std::ops::Range;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use crate::confusable::{
    ascii_lookalike, latin_shaped_script, letterlike_symbol, Strictness,
};
use crate::unicode_tables::{ENCLOSED, FILLERS};

/// RIGHT-TO-LEFT OVERRIDE: what follows is displayed reversed.
const RLO: char = '\u{202E}';

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
            if form == Form::Full {
                letters_in_numbers(&mut self.text);
            }
            return;
        }
        self.identity = false;
        let bytes = src.as_bytes();
        // The current word (words end at whitespace): where it starts, and
        // whether its look-alikes fold (see `folds_lookalikes`), once a
        // character needed to know.
        let mut word_start = 0;
        let mut word_folds: Option<bool> = None;
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
                self.push_ascii(src, i, end);
                let ascii = &bytes[i..end];
                if let Some(w) =
                    ascii.iter().rposition(|&b| (b as char).is_whitespace())
                {
                    word_start = i + w + 1;
                    word_folds = None;
                }
                i = end;
                continue;
            }
            let Some(c) = src[i..].chars().next() else { break };
            let mut end = i + c.len_utf8();
            if c == RLO && form == Form::Full {
                i = self.reversed(src, end);
                word_start = i;
                word_folds = None;
                continue;
            }
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
                let folds = *word_folds.get_or_insert_with(|| {
                    folds_lookalikes(&src[word_start..])
                });
                full_cluster(&src[i..end], folds, &mut self.text);
            }
            if c.is_whitespace() {
                word_start = i + c.len_utf8();
                word_folds = None;
            }
            let added = self.text.len() - before;
            self.starts.extend(std::iter::repeat_n(i as u32, added));
            self.ends.extend(std::iter::repeat_n(end as u32, added));
            i = end;
        }
        if form == Form::Full {
            letters_in_numbers(&mut self.text);
        }
    }

    /// Copies the ASCII `src[i..end]` through the byte table: whole between
    /// line breaks and tabs (which become spaces), then lower-cased in
    /// place.
    fn push_ascii(&mut self, src: &str, i: usize, end: usize) {
        let from = self.text.len();
        let mut seg = i;
        for (j, &b) in src.as_bytes()[i..end].iter().enumerate() {
            if ascii_char(b) != b.to_ascii_lowercase() {
                self.text.push_str(&src[seg..i + j]);
                self.text.push(ascii_char(b) as char);
                seg = i + j + 1;
            }
        }
        self.text.push_str(&src[seg..end]);
        self.text[from..].make_ascii_lowercase();
        self.starts.extend(i as u32..end as u32);
        self.ends.extend(i as u32 + 1..end as u32 + 1);
    }

    /// Text after a right-to-left override (U+202E) up to the next pop
    /// (U+202C), paragraph or line break is displayed reversed: it is read
    /// in display order. Every byte of it maps to the whole segment, so
    /// the offset map stays in order. Returns where the segment ends.
    fn reversed(&mut self, src: &str, from: usize) -> usize {
        let to = src[from..]
            .find(['\u{202C}', '\n', '\r', '\u{2029}', '\u{2028}'])
            .map_or(src.len(), |k| from + k);
        let seg = &src[from..to];
        let folds = folds_lookalikes(seg);
        let before = self.text.len();
        let mut buf = [0u8; 4];
        for c in seg.chars().rev() {
            full_cluster(c.encode_utf8(&mut buf), folds, &mut self.text);
        }
        let added = self.text.len() - before;
        self.starts.extend(std::iter::repeat_n(from as u32, added));
        self.ends.extend(std::iter::repeat_n(to as u32, added));
        to
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
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{2035}'
        | '\u{FF07}' | '\u{FF40}' | '\u{00B4}' | '\u{02B9}' | '\u{02BB}'
        | '\u{02BC}' | '\u{02BD}' | '\u{02CA}' | '\u{02CB}' | '\u{055A}'
        | '\u{A78C}' => Some('\''),
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

/// The full form of a cluster (a character and the combining marks after
/// it): NFKC with every nonspacing and enclosing mark removed after
/// decomposition (accents, strike-through, zalgo, keycaps `4️⃣`), then
/// each character by [`full_char`]. `folds`: whether look-alike letters
/// fold to ASCII in this word.
fn full_cluster(cluster: &str, folds: bool, out: &mut String) {
    let mut chars = cluster.chars();
    let Some(first) = chars.next() else { return };
    // Apostrophe and quote variants before NFKC, which turns `´` into a
    // space and a mark.
    if is_blank(first) {
        return out.push(' ');
    }
    if let Some(p) = punctuation(first) {
        out.extend(p);
        return;
    }
    // A letter imitates what it looks like as written: Greek `Η` is an
    // `H` (its small `η` an `n`), `ſ` an `f` (NFKC makes it `s`).
    // NFKC's answer wins when it has one (fullwidth `Ｉ` is `i`), and a
    // capital that UTS #39 reads as `l` is read by its small letter (`Ι`
    // is also an `I`).
    if folds
        && (first.is_alphabetic() || letterlike_symbol(first))
        && !first.is_ascii()
    {
        if let Some(s) = ascii_lookalike(first, Strictness::Loose)
            .filter(|s| s.as_str() != "l" && !nfkc_is_ascii(first))
        {
            return out.push_str(s.as_str());
        }
    }
    // Parenthesised, circled and dotted forms (`⑷`, `⒜`, `⒈`) become
    // what they enclose: their brackets and stops are not separators.
    let enclosed = !first.is_ascii()
        && matches!(
            first.general_category(),
            GeneralCategory::OtherNumber | GeneralCategory::OtherSymbol
        );
    for n in cluster.nfkd().filter(|&m| !is_mark(m)).nfc() {
        if enclosed && matches!(n, '(' | ')' | '.' | ',') {
            continue;
        }
        full_char(n, folds, out);
    }
}

/// Whether NFKC turns `c` into ASCII (fullwidth and styled letters).
fn nfkc_is_ascii(c: char) -> bool {
    let mut buf = [0u8; 4];
    c.encode_utf8(&mut buf).nfkc().all(|n| n.is_ascii())
}

/// Nonspacing and enclosing marks (general categories Mn, Me).
fn is_mark(c: char) -> bool {
    !c.is_ascii()
        && matches!(
            c.general_category(),
            GeneralCategory::NonspacingMark | GeneralCategory::EnclosingMark
        )
}

/// Characters that show as a blank: every `White_Space` character, and
/// the blank letters and symbols that are not (Hangul fillers, the
/// braille blank).
fn is_blank(c: char) -> bool {
    c.is_whitespace() || FILLERS.contains(&c)
}

/// The full form of one character of a cluster, after NFKC.
fn full_char(c: char, folds: bool, out: &mut String) {
    if c.is_ascii() {
        out.push(ascii_char(c as u8) as char);
        return;
    }
    if is_blank(c) {
        return out.push(' ');
    }
    match c.general_category() {
        // Format characters (zero-width spaces and joiners, bidi
        // controls, soft hyphens, tags) and marks show as nothing;
        // control characters are not text.
        GeneralCategory::Format
        | GeneralCategory::NonspacingMark
        | GeneralCategory::EnclosingMark
        | GeneralCategory::Control => return,
        _ => {}
    }
    match punctuation(c) {
        Some(Some(p)) => return out.push(p),
        Some(None) => return,
        None => {}
    }
    if let Some(d) = decimal_digit(c) {
        return out.push(d);
    }
    if let Ok(k) = ENCLOSED.binary_search_by_key(&c, |&(e, _)| e) {
        return out.push_str(ENCLOSED[k].1);
    }
    if let Some(l) = regional_indicator(c) {
        return out.push(l);
    }
    if let Some(w) = emoji_word(c) {
        return out.push_str(w);
    }
    if is_symbol(c) {
        return out.push(' ');
    }
    for l in c.to_lowercase() {
        match l {
            'ß' => out.push_str("ss"),
            'ς' => out.push('σ'),
            l if l.is_ascii() => out.push(l),
            l if !folds || !l.is_alphabetic() => out.push(l),
            // A letter imitates ASCII if it or its capital does (Cyrillic
            // `М` looks like `M`, its small `м` like nothing), so both
            // cases of a letter fold the same way.
            l => match ascii_lookalike(l, Strictness::Loose).or_else(|| {
                let mut upper = l.to_uppercase();
                match (upper.next(), upper.next()) {
                    (Some(u), None) => ascii_lookalike(u, Strictness::Loose),
                    _ => None,
                }
            }) {
                Some(s) => out.push_str(s.as_str()),
                None => out.push(l),
            },
        }
    }
}

/// A regional indicator symbol (the halves of flag emoji): its letter.
fn regional_indicator(c: char) -> Option<char> {
    let k = (c as u32).checked_sub(0x1F1E6)?;
    (k < 26).then(|| char::from(b'a' + k as u8))
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

/// Whether look-alike letters fold to ASCII in the word at the start of
/// `text` (up to whitespace, so that `g.u.а.r` with its separators is one
/// word): when it holds a Latin letter or digit (`аpple` is a disguise),
/// or when it has four or more letters and every one of them imitates ASCII
/// by UTS #39 as written (`рrоmіsе` in Cyrillic). Genuine Cyrillic or
/// Greek words nearly always hold a letter that imitates nothing (`Вот`,
/// `και`), and stay as they are.
fn folds_lookalikes(text: &str) -> bool {
    let mut letters = 0;
    let mut all = true;
    let mut shaped = false;
    for c in text.chars().take_while(|c| !c.is_whitespace()) {
        if is_latin(c) {
            return true;
        }
        shaped |= latin_shaped_script(c);
        if all && c.is_alphabetic() {
            letters += 1;
            // By the small letter, so that the decision is the same in
            // any case (`МОСКВА` is `москва`, whose `м` imitates nothing).
            all = c
                .to_lowercase()
                .all(|l| ascii_lookalike(l, Strictness::Strict).is_some());
        }
    }
    all && (letters >= 4 || shaped && letters >= 2)
}

/// Letters that stand for digits inside a number (`4l11`, `1O11`): in a
/// run of ASCII letters and digits that starts and ends with a digit, with
/// at least as many digits as letters and no two letters side by side,
/// where every letter is `o`, `l` or `i`, the letters become `0`, `1`,
/// `1`. Byte for byte, so the offset map holds.
fn letters_in_numbers(text: &mut String) {
    let stands = |b: u8| matches!(b, b'o' | b'l' | b'i');
    // Cheap first look, a table load a byte (this runs on every post): a
    // digit next to one of the letters. Classes: 1 digit, 2 letter.
    const CLASS: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut d = b'0';
        while d <= b'9' {
            t[d as usize] = 1;
            d += 1;
        }
        t[b'o' as usize] = 2;
        t[b'l' as usize] = 2;
        t[b'i' as usize] = 2;
        t
    };
    let mut prev = 0u8;
    let mut touching = false;
    for &b in text.as_bytes() {
        let c = CLASS[b as usize];
        if prev | c == 3 {
            touching = true;
            break;
        }
        prev = c;
    }
    if !touching {
        return;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        // The run must not go on in a non-ASCII letter (`lö1`).
        let bounded = |k: Option<&u8>| k.is_none_or(|b| b.is_ascii());
        let edges = bounded(start.checked_sub(1).and_then(|k| bytes.get(k)))
            && bounded(bytes.get(i));
        let run = &bytes[start..i];
        let digits = run.iter().filter(|b| b.is_ascii_digit()).count();
        let letters = run.len() - digits;
        // Two letters side by side are a word or a country code (`LI21`);
        // a letter that starts or ends the run may be part of an IBAN's
        // account code (`I295`): only letters between digits count.
        let lone = !run.windows(2).any(|w| stands(w[0]) && stands(w[1]))
            && run.first().is_some_and(u8::is_ascii_digit)
            && run.last().is_some_and(u8::is_ascii_digit);
        if letters > 0
            && lone
            && letters <= digits
            && run.iter().all(|&b| b.is_ascii_digit() || stands(b))
            && edges
        {
            for b in &mut bytes[start..i] {
                *b = match *b {
                    b'o' => b'0',
                    b'l' | b'i' => b'1',
                    b => b,
                };
            }
        }
        i += 1;
    }
    // Still UTF-8: ASCII bytes were replaced by ASCII bytes.
    *text = String::from_utf8(bytes).unwrap_or_default();
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

/// The few emoji that stand for a word, as that word between spaces, so
/// a pack can list the word (or the emoji) as a term: 🤫 (shushing face),
/// 🤐 (zipper-mouth face) and 🙊 (speak-no-evil monkey) all say "shh" —
/// in the hand-written gold set, 46 of the 52 readable posts that carry
/// one are violations. Every other emoji is a separator.
fn emoji_word(c: char) -> Option<&'static str> {
    match c {
        '\u{1F92B}' | '\u{1F910}' | '\u{1F64A}' => Some(" shh "),
        _ => None,
    }
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

/// A pattern's source in the normal form the text is in: each non-ASCII
/// letter as the text would hold it (lower case, marks removed: `été` is
/// `ete`), marks after a letter dropped; everything else (the regex
/// syntax) as written.
pub(crate) fn normalize_pattern(pattern: &str, form: Form) -> String {
    if form == Form::Basic || pattern.is_ascii() {
        return pattern.to_string();
    }
    let mut out = String::with_capacity(pattern.len());
    let mut after_letter = false;
    let mut buf = [0u8; 4];
    for c in pattern.chars() {
        if c.is_ascii() || !(c.is_alphabetic() || is_mark(c)) {
            after_letter = c.is_alphanumeric();
            out.push(c);
        } else if is_mark(c) {
            if !after_letter {
                out.push(c);
            }
        } else {
            let from = out.len();
            full_cluster(c.encode_utf8(&mut buf), false, &mut out);
            if !out[from..].chars().all(char::is_alphanumeric) {
                out.truncate(from);
                out.push(c);
            }
            after_letter = true;
        }
    }
    out
}

/// `s` as a reader takes it, character cluster by cluster, with every
/// look-alike folded whatever the word around it: marks removed, enclosed,
/// squared, styled and small-capital letters and Greek, Cyrillic, Lisu or
/// Cherokee look-alikes as the ASCII they imitate. For comparing a host
/// with a listed one (`m̀ega.nz`, `ᴍᴇɢᴀ.ɴᴢ`, `mega.ηz` all read `mega.nz`),
/// not for matching posts: genuine words of other scripts fold too.
pub(crate) fn reader_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let mut end = c.len_utf8();
        for m in rest[end..].chars() {
            if !is_combining_mark(m) {
                break;
            }
            end += m.len_utf8();
        }
        full_cluster(&rest[..end], true, &mut out);
        rest = &rest[end..];
    }
    out
}

/// The normal form of a term or context word, as the automaton holds it.
pub(crate) fn normalize_term(term: &str, form: Form) -> String {
    // One buffer for the thousands of terms a pack compiles: a fresh one
    // a term was most of what normalising a term cost.
    thread_local! {
        static BUFFER: RefCell<Normalized> = RefCell::default();
    }
    BUFFER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut n) => term_form(&mut n, term, form),
        Err(_) => term_form(&mut Normalized::default(), term, form),
    })
}

fn term_form(n: &mut Normalized, term: &str, form: Form) -> String {
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

    /// No character, alone, inside a word or with an accent, leaves an
    /// ASCII capital in either form: patterns' words are looked for in
    /// lower case (`pattern::required`), and the term automata hold only
    /// lower case.
    #[test]
    fn the_normal_form_has_no_ascii_capitals() {
        let mut n = Normalized::default();
        let mut post = String::new();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for form in [Form::Basic, Form::Full] {
                for (before, after) in [("", ""), ("a", "a"), ("", "\u{301}")]
                {
                    post.clear();
                    post.push_str(before);
                    post.push(c);
                    post.push_str(after);
                    n.fill(&post, form);
                    assert!(
                        !n.text().bytes().any(|b| b.is_ascii_uppercase()),
                        "{c:?} ({:X}) in {form:?}: {:?}",
                        c as u32,
                        n.text()
                    );
                }
            }
        }
    }

    fn full(s: &str) -> String {
        let mut n = Normalized::default();
        n.fill(s, Form::Full);
        n.text().to_string()
    }

    /// The emoji that say "shh" are that word, with the source span of
    /// the emoji; every other emoji separates like a space.
    #[test]
    fn hush_emoji_are_a_word() {
        let cases: &[(&str, &str)] = &[
            ("out friday \u{1F92B}", "out friday  shh "),
            ("track 7\u{1F910}\u{1F3B8}", "track 7 shh  "),
            ("oops\u{1F64A}", "oops shh "),
            ("out friday \u{1F440}", "out friday  "),
        ];
        for &(src, want) in cases {
            assert_eq!(full(src), want, "{src:?}");
        }
        let src = "ok \u{1F92B} now";
        let mut n = Normalized::default();
        n.fill(src, Form::Full);
        let at = n.text().find("shh").unwrap();
        assert_eq!(&src[n.source_span(at..at + 3)], "\u{1F92B}");
    }

    #[test]
    fn spans_map_back_to_source_bytes() {
        let src = "Can\u{2019}t L\u{200B}OSE \u{00C9}t\u{00C9}";
        let mut n = Normalized::default();
        n.fill(src, Form::Full);
        assert_eq!(n.text(), "can't lose ete");
        let at = n.text().find("can't lose").unwrap();
        let r = n.source_span(at..at + "can't lose".len());
        assert_eq!(&src[r], "Can\u{2019}t L\u{200B}OSE");
        let at = n.text().find('t').unwrap();
        assert_eq!(&src[n.source_span(at..at + 1)], "t");
        let e = n.text().rfind('e').unwrap();
        assert_eq!(&src[n.source_span(e..e + 1)], "\u{00C9}");
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
                "\u{0432}\u{043E}\u{0442} \u{043C}\u{043E}\u{0438}",
            ), // Russian stays (its marks go: й is и)
            ("\u{0440}r\u{043E}mise", "promise"), // Cyrillic р, о
            ("\u{0455}\u{0435}\u{0441}\u{0440}\u{0435}t", "secpet"), // mixed
            ("\u{0455}\u{0435}\u{0441}\u{0440}\u{0435}", "secpe"), // whole
            ("\u{1D05}\u{1D0F}\u{1D1C}\u{0299}\u{029F}\u{1D07}", "double"),
            ("4\u{FE0F}\u{20E3}1\u{20E3}", "41"), // keycaps
            ("\u{278D}\u{2474}\u{2488}", "411"),  // ➍ ⑴ ⒈
            ("\u{1F1EC}\u{1F1FA}", "gu"),         // regional indicators
            ("a\u{2028}b\u{0085}c\u{2800}d", "a b c d"),
            ("g\u{0336}o\u{0332}", "go"),
            ("can\u{00B4}t", "can't"),
            ("\u{FF29}\u{FF26}", "if"), // fullwidth capitals: NFKC wins
            ("4l11 O78 lol 1o1 i295", "4111 o78 lol 101 i295"),
            ("gua\u{200D}ran\u{00AD}teed", "guaranteed"),
            ("\u{0664}\u{0661}\u{0661}\u{0661}", "4111"), // Arabic-Indic
            ("\u{096A}\u{0967}", "41"),                   // Devanagari
            ("４１１１", "4111"),                         // fullwidth
            ("guaranteed\u{1F680}returns", "guaranteed returns"),
            ("\u{1F176}\u{1F184}\u{1F170}", "gua"), // negative squared
            ("\u{1F146}\u{1F144}", "wu"),           // squared
            ("STRASSE Straße", "strasse strasse"),
            ("cafe\u{0301}", "cafe"),
            ("東京", "東京"),
            ("ÉTÉ", "ete"),
            ("\u{A4D0}\u{A4EE}\u{A4EC}", "bay"), // Lisu ꓐꓮꓬ
            ("ret\u{222A}rns", "returns"),       // ∪ for u
            ("\u{A4F2}\u{A4E0}S", "ins"),        // Lisu ꓲꓠ
        ];
        for (src, want) in cases {
            assert_eq!(full(src), *want, "{src:?}");
        }
    }

    #[test]
    fn the_reader_fold_reads_every_look_alike() {
        for (src, want) in [
            ("m\u{0300}e\u{20DD}ga.nz", "mega.nz"),
            ("\u{1D0D}\u{1D07}\u{0262}\u{1D00}.\u{0274}\u{1D22}", "mega.nz"),
            ("mega.\u{03B7}z", "mega.nz"),
            ("\u{A4DF}\u{13AC}G\u{A4EE}.\u{A4E0}Z", "mega.nz"),
            ("\u{1F15C}\u{1F154}\u{1F156}\u{1F150}", "mega"),
            // A whole word in look-alikes folds here, unlike in posts.
            ("\u{0440}\u{0435}", "pe"),
        ] {
            assert_eq!(reader_fold(src), want, "{src:?}");
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
