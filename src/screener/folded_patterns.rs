//! Numbers as a reader reads them, for pattern rules: a second view of
//! the normalised text in which what a reader skips between the digits
//! of a number is gone, and the pattern set runs once more over it.
//!
//! The view differs from the normalised text only where a number is
//! disguised (issue 13, item 4):
//! - digit groups joined by a short run of spaces and punctuation
//!   (` . `, ` / `, ` | `, `, `, a line break with a bullet or a `> `
//!   quote marker, Markdown `**`/`__`/`~~`/`` ` ``/`||` around groups)
//!   are joined by one space;
//! - letters standing for digits inside a group (`4l11`, `||11`, `O78`,
//!   Cyrillic `З`, `б`, `ӏ`) become the digits;
//! - runs of nine or more digits spelled out in English, Spanish or
//!   German (`four one one one …`, `cuatro uno uno …`) become digits.
//!
//! A separator the patterns already accept (one `.`, `/`, `_`, `-`, or up
//! to three spaces) is kept as written, so a run that continues a decimal
//! number (`2.718281828459045`), a version or a timestamp reads the same
//! in both views. Hits found only in the view are mapped back to the
//! normalised text; a post whose view equals its text is not searched
//! twice.

mod iban;
mod isolated;
mod secrets;

pub(super) use self::secrets::key_cut_words;

use std::ops::Range;

use regex_automata::PatternSet;

use super::scan::{pattern_set, Found};
use super::Post;

/// The view: its text, and for each of its bytes the normalised range it
/// came from.
#[derive(Default)]
struct View {
    text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
    found: Found,
    tokens: Vec<Token>,
    reads: Vec<Read>,
    /// The bytes a joined key keeps (secrets view).
    kept: Vec<Range<usize>>,
    /// Read `|` between digits as a separator, not as a `1`.
    bar_splits: bool,
    /// The compact form of an IBAN candidate (IBAN groups).
    compact: String,
    /// Text that `copy` was asked to copy and has not written yet: a
    /// view is written only once it differs from the text (most posts'
    /// never does), and then in long runs rather than a token at a time.
    pending: Range<usize>,
}

thread_local! {
    static VIEW: std::cell::RefCell<View> =
        std::cell::RefCell::new(View::default());
}

/// The digit a word spells, in English, Spanish or German (a card read
/// out over the phone: "cuatro uno uno uno …", "vier eins eins eins …";
/// German spells two `zwo` so it is not heard as `drei`). The normal form
/// keeps `ü`, so `fünf` comes with its ASCII spellings.
#[inline(always)]
pub(super) fn spelled_digit(word: &[u8]) -> Option<u8> {
    // This runs on every word of a post with a number: most words are
    // ruled out by their length and first two letters (one bit test),
    // the rest looked up.
    if !(3..=6).contains(&word.len())
        || PAIRS[letter(word[0])] & (1 << letter(word[1])) == 0
    {
        return None;
    }
    lookup(word)
}

/// The digit of a word among [`SPELLED`]: packed into one integer and
/// looked up among the sorted keys.
fn lookup(word: &[u8]) -> Option<u8> {
    let k = key(word);
    SPELLED_KEYS
        .binary_search_by_key(&k, |&(k, _)| k)
        .ok()
        .map(|i| SPELLED_KEYS[i].1)
}

const SPELLED: [(&[u8], u8); 33] = [
    (b"zero", 0),
    (b"cero", 0),
    (b"null", 0),
    (b"one", 1),
    (b"uno", 1),
    (b"eins", 1),
    (b"two", 2),
    (b"dos", 2),
    (b"zwei", 2),
    (b"zwo", 2),
    (b"three", 3),
    (b"tres", 3),
    (b"drei", 3),
    (b"four", 4),
    (b"cuatro", 4),
    (b"vier", 4),
    (b"five", 5),
    (b"cinco", 5),
    (b"f\xc3\xbcnf", 5),
    (b"funf", 5),
    (b"fuenf", 5),
    (b"six", 6),
    (b"seis", 6),
    (b"sechs", 6),
    (b"seven", 7),
    (b"siete", 7),
    (b"sieben", 7),
    (b"eight", 8),
    (b"ocho", 8),
    (b"acht", 8),
    (b"nine", 9),
    (b"nueve", 9),
    (b"neun", 9),
];

/// A byte's place in [`PAIRS`]: `a`–`z` are 0–25, anything else 26.
const fn letter(b: u8) -> usize {
    if b.is_ascii_lowercase() {
        (b - b'a') as usize
    } else {
        26
    }
}

/// For each first letter of a [`SPELLED`] word, the second letters it
/// has, as bits.
const PAIRS: [u32; 27] = {
    let mut t = [0; 27];
    let mut i = 0;
    while i < SPELLED.len() {
        let w = SPELLED[i].0;
        t[letter(w[0])] |= 1 << letter(w[1]);
        i += 1;
    }
    t
};

/// A word of up to eight bytes as one integer (zero-padded).
const fn key(word: &[u8]) -> u64 {
    let mut k = 0;
    let mut i = 0;
    while i < word.len() {
        k |= (word[i] as u64) << (8 * i);
        i += 1;
    }
    k
}

/// [`SPELLED`] as keys, sorted at compile time.
const SPELLED_KEYS: [(u64, u8); SPELLED.len()] = {
    let mut t = [(0, 0); SPELLED.len()];
    let mut i = 0;
    while i < t.len() {
        t[i] = (key(SPELLED[i].0), SPELLED[i].1);
        i += 1;
    }
    // Insertion sort: a const context has no `sort`.
    let mut j = 1;
    while j < t.len() {
        let mut k = j;
        while k > 0 && t[k - 1].0 > t[k].0 {
            let x = t[k];
            t[k] = t[k - 1];
            t[k - 1] = x;
            k -= 1;
        }
        j += 1;
    }
    t
};

/// What a token of the normalised text reads as.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Read {
    /// Digits, possibly with letters standing for digits.
    Digits,
    /// Letters that stand for digits only next to digits (`|ӏl|`).
    MaybeDigits,
    /// One ASCII letter that may stand for a digit (`l`, `i`, `o`) only
    /// between digit groups with no blank around it (`1l/I/17`).
    Weak,
    /// A digit spelled out (`four`).
    Word(u8),
    /// Digits in a chain with a decimal point: kept as written.
    Decimal,
    /// A group of an IBAN that the validator accepts once its groups are
    /// joined: written without the gaps.
    Iban,
    /// Anything else.
    Other,
}

/// A token (a run of letters, digits and `|`) or the gap after it.
struct Token {
    at: Range<usize>,
    read: Read,
}

/// The digit a letter stands for inside a number.
fn digit_for(c: char) -> Option<char> {
    Some(match c {
        'o' | '\u{03BF}' | '\u{043E}' => '0',
        'l' | 'i' | '|' | '\u{04CF}' | '\u{0456}' => '1',
        '\u{0437}' => '3',
        '\u{0431}' => '6',
        _ => return None,
    })
}

fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || c == '|'
}

/// What a token's characters are, gathered while it is scanned, so a
/// token is read without a second pass over it.
#[derive(Clone, Copy)]
struct Shape {
    chars: usize,
    digits: usize,
    /// Every character is a digit or stands for one.
    stand: bool,
    ascii: bool,
}

impl Shape {
    const EMPTY: Shape =
        Shape { chars: 0, digits: 0, stand: true, ascii: true };

    fn add(&mut self, c: char) {
        self.chars += 1;
        if c.is_ascii_digit() {
            self.digits += 1;
        } else if digit_for(c).is_none() {
            self.stand = false;
        }
        self.ascii &= c.is_ascii();
    }
}

fn read(tok: &str, s: Shape) -> Read {
    if let Some(d) = spelled_digit(tok.as_bytes()) {
        return Read::Word(d);
    }
    match (s.digits, s.stand) {
        (0, true) if s.chars >= 2 || !s.ascii => Read::MaybeDigits,
        (0, true) if tok != "|" => Read::Weak,
        (1.., true) => Read::Digits,
        _ => Read::Other,
    }
}

/// Whether `gap` (between two tokens) is what a reader skips inside a
/// number: a short run of spaces and punctuation.
fn joiner(gap: &str) -> bool {
    let marks = gap.chars().filter(|&c| c != ' ').count();
    // Spaces alone are table columns; `->` is an arrow; a comma makes a
    // list (`9600, 19200, 38400`).
    gap.chars().count() <= 6
        // Up to four marks: `__ __` closes one Markdown span and opens
        // the next.
        && (1..=4).contains(&marks)
        && !gap.contains("->")
        && !gap.contains(',')
        && gap.chars().all(|c| {
            matches!(
                c,
                ' ' | '.'
                    | ','
                    | '/'
                    | '|'
                    | '~'
                    | '-'
                    | '_'
                    | '>'
                    | '*'
                    | '`'
                    | '\u{2022}'
                    | '\u{B7}'
            )
        })
}

/// Whether a number goes on across `gap`; `spelled`: a spelled digit
/// stands on one side, and then a comma joins too (`four, one`).
fn continues(gap: &str, spelled: bool) -> bool {
    accepted(gap) || joiner(gap) || spelled && comma(gap)
}

fn comma(gap: &str) -> bool {
    gap.trim_matches(' ') == "," && gap.len() <= 3
}

fn spelled_pair(a: &Token, b: &Token) -> bool {
    matches!(a.read, Read::Word(_)) || matches!(b.read, Read::Word(_))
}

/// Whether the patterns already accept `gap` between two digits.
fn accepted(gap: &str) -> bool {
    matches!(gap, "." | "/" | "_" | "-")
        || (!gap.is_empty()
            && gap.len() <= 3
            && gap.bytes().all(|b| b == b' '))
}

/// Whether a token read as `r` is part of a number.
fn number(r: Read) -> bool {
    matches!(r, Read::Digits | Read::Decimal | Read::Iban)
}

impl View {
    /// Empties the view before a fill.
    fn reset(&mut self) {
        self.text.clear();
        self.starts.clear();
        self.ends.clear();
        self.pending = 0..0;
    }

    /// Builds the view of `text`; false if it equals `text` (the view is
    /// then empty or partly written, and not to be read).
    fn fill(&mut self, text: &str) -> bool {
        self.reset();
        // One pass over the bytes settles most posts (their digits stand
        // alone, or they have none).
        if !isolated::may_differ(text) {
            return false;
        }
        self.build(text)
    }

    /// Builds the view of `text`, token by token, whatever it holds.
    fn build(&mut self, text: &str) -> bool {
        let mut tokens = std::mem::take(&mut self.tokens);
        let mut reads = std::mem::take(&mut self.reads);
        tokenize(text, &mut tokens, self.bar_splits);
        resolve(text, &tokens, &mut reads);
        self.ibans(text, &tokens, &mut reads);
        let changed = self.rewrite(text, &tokens, &reads);
        self.tokens = tokens;
        self.reads = reads;
        changed
    }

    /// Writes the view from the tokens and what they read as; true if it
    /// differs from `text`.
    fn rewrite(
        &mut self,
        text: &str,
        tokens: &[Token],
        reads: &[Read],
    ) -> bool {
        let mut changed = false;
        let mut last = 0;
        for (k, t) in tokens.iter().enumerate() {
            // A token read as nothing, not after a number: it and the gap
            // before it are copied as they are.
            let after = k > 0 && number(reads[k - 1]);
            if reads[k] == Read::Other && !after {
                self.copy(text, last..t.at.end);
                last = t.at.end;
                continue;
            }
            let gap = &text[last..t.at.start];
            let joins = k > 0
                && reads[k - 1] == Read::Digits
                && reads[k] == Read::Digits
                && !accepted(gap)
                && (joiner(gap)
                    || comma(gap) && spelled_pair(&tokens[k - 1], t));
            let compact =
                k > 0 && reads[k - 1] == Read::Iban && reads[k] == Read::Iban;
            if compact {
                changed = true;
            } else if joins {
                self.push(text, " ", last..t.at.start);
                changed = true;
            } else {
                changed |= self.copy_gap(
                    text,
                    last..t.at.start,
                    after,
                    number(reads[k]),
                );
            }
            changed |= self.write_token(text, t, reads[k]);
            last = t.at.end;
        }
        let after = reads.last().is_some_and(|&r| number(r));
        changed |= self.copy_gap(text, last..text.len(), after, false);
        if changed {
            self.flush(text);
        }
        changed
    }

    /// Writes token `t` as read; true if that differs from the text.
    fn write_token(&mut self, text: &str, t: &Token, read: Read) -> bool {
        let convert =
            matches!(t.read, Read::Digits | Read::MaybeDigits | Read::Weak);
        match (read, t.read) {
            (Read::Digits, Read::Word(d)) => {
                let digit = [b'0' + d];
                self.push(
                    text,
                    std::str::from_utf8(&digit).unwrap_or("0"),
                    t.at.clone(),
                );
                true
            }
            (Read::Digits | Read::Decimal | Read::Iban, _) if convert => {
                let mut changed = false;
                for (i, c) in text[t.at.clone()].char_indices() {
                    let at = t.at.start + i..t.at.start + i + c.len_utf8();
                    match digit_for(c) {
                        Some(d) if !c.is_ascii_digit() => {
                            self.push(text, d.encode_utf8(&mut [0; 4]), at);
                            changed = true;
                        }
                        _ => self.copy(text, at),
                    }
                }
                changed
            }
            _ => {
                self.copy(text, t.at.clone());
                false
            }
        }
    }

    /// Copies the gap `g`; a Markdown `_` run that opens a number after it
    /// (` _5555 …`) or closes the one before it (`… 4444_ `) reads as a
    /// space, or `\b` would not see the number's edge. An `_` between a
    /// word and digits (`id_4111`) stays.
    fn copy_gap(
        &mut self,
        text: &str,
        g: Range<usize>,
        after: bool,
        before: bool,
    ) -> bool {
        let gap = &text[g.clone()];
        let lead = if after && !before {
            gap.bytes().take_while(|&b| b == b'_').count()
        } else {
            0
        };
        let trail = if before && !after {
            gap.bytes().rev().take_while(|&b| b == b'_').count()
        } else {
            0
        };
        // The run must not touch a word on its other side.
        let lead =
            if lead == gap.len() && g.end < text.len() { 0 } else { lead };
        let trail = if trail == gap.len() && g.start > 0 { 0 } else { trail };
        if lead + trail == 0 || lead + trail > gap.len() {
            self.copy(text, g);
            return false;
        }
        let (a, b) = (g.start + lead, g.end - trail);
        if lead > 0 {
            self.push(text, " ", g.start..a);
        }
        self.copy(text, a..b);
        if trail > 0 {
            self.push(text, " ", b..g.end);
        }
        true
    }

    fn push(&mut self, text: &str, s: &str, from: Range<usize>) {
        self.flush(text);
        self.text.push_str(s);
        self.starts.extend(std::iter::repeat_n(from.start as u32, s.len()));
        self.ends.extend(std::iter::repeat_n(from.end as u32, s.len()));
    }

    /// Copies `text[r]`, once the view is known to differ.
    fn copy(&mut self, text: &str, r: Range<usize>) {
        if r.start != self.pending.end {
            self.flush(text);
            self.pending.start = r.start;
        }
        self.pending.end = r.end;
    }

    /// Writes what is pending: the view differs from the text.
    fn flush(&mut self, text: &str) {
        let r = std::mem::replace(&mut self.pending, 0..0);
        self.text.push_str(&text[r.clone()]);
        self.starts.extend(r.start as u32..r.end as u32);
        self.ends.extend(r.start as u32 + 1..r.end as u32 + 1);
    }

    /// The normalised range of the view's range `r`.
    fn span(&self, r: Range<usize>) -> Range<usize> {
        if r.start >= r.end || r.end > self.starts.len() {
            return 0..0;
        }
        self.starts[r.start] as usize..self.ends[r.end - 1] as usize
    }
}

/// `bar_splits`: every `|` separates (the second reading of `4|1|1…`).
fn tokenize(text: &str, tokens: &mut Vec<Token>, bar_splits: bool) {
    tokens.clear();
    // Two or more `||` are Markdown spoiler marks (`||6011-1111||`), not
    // ones standing for digits.
    let spoilers = text.contains('|') && text.matches("||").nth(1).is_some();
    let bytes = text.as_bytes();
    let paired = |i: usize| {
        spoilers
            && (bytes.get(i + 1) == Some(&b'|')
                || i.checked_sub(1).is_some_and(|k| bytes[k] == b'|'))
    };
    // Whether the character at `i` belongs to a token, and its length.
    let at = |i: usize| match CLASS[bytes[i] as usize] {
        SEP => (false, 1),
        BAR => (!(bar_splits || paired(i)), 1),
        NON_ASCII => {
            let c = text[i..].chars().next().unwrap_or(' ');
            (is_token_char(c), c.len_utf8())
        }
        _ => (true, 1),
    };
    let mut i = 0;
    while i < bytes.len() {
        // Separators inline; `at` (a call) for what starts a token, and
        // inside one only for `|` and non-ASCII.
        if CLASS[bytes[i] as usize] == SEP {
            i += 1;
            continue;
        }
        let (inside, len) = at(i);
        if !inside {
            i += len;
            continue;
        }
        let start = i;
        let mut shape = Shape::EMPTY;
        while i < bytes.len() {
            let (stand, digit) = match CLASS[bytes[i] as usize] {
                LETTER => (false, false),
                DIGIT => (true, true),
                STANDS => (true, false),
                SEP => break,
                _ => {
                    let (inside, len) = at(i);
                    if !inside {
                        break;
                    }
                    let c = text[i..].chars().next().unwrap_or(' ');
                    shape.add(c);
                    i += len;
                    continue;
                }
            };
            shape.chars += 1;
            shape.digits += usize::from(digit);
            shape.stand &= stand;
            i += 1;
        }
        // A lone `|` before a separator separates (`4111 | 1111`); one
        // that ends the post stays a token (read as nothing).
        if &text[start..i] != "|" || i == bytes.len() {
            let read = read(&text[start..i], shape);
            tokens.push(Token { at: start..i, read });
        }
    }
}

// What an ASCII byte is to the tokenizer, in one lookup: most bytes of a
// post are plain letters or separators.
const SEP: u8 = 0;
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
/// `o`, `l`, `i`: letters that stand for digits.
const STANDS: u8 = 3;
const BAR: u8 = 4;
const NON_ASCII: u8 = 5;
const CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = match c {
            b'0'..=b'9' => DIGIT,
            b'o' | b'l' | b'i' => STANDS,
            b'a'..=b'z' | b'A'..=b'Z' => LETTER,
            b'|' => BAR,
            _ => SEP,
        };
        b += 1;
    }
    t
};

/// A [`Read::Weak`] letter joins only across a gap with no blank.
fn weak_ok(text: &str, a: &Token, b: &Token) -> bool {
    let weak = a.read == Read::Weak || b.read == Read::Weak;
    !weak || !text[a.at.end..b.at.start].contains(char::is_whitespace)
}

/// What each token reads as in context: a chain of tokens joined by
/// joiners reads as a number when it holds a real digit, and spelled
/// digits count when the chain has nine or more of them.
fn resolve(text: &str, tokens: &[Token], reads: &mut Vec<Read>) {
    reads.clear();
    reads.extend(tokens.iter().map(|t| t.read));
    let mut i = 0;
    while i < tokens.len() {
        if matches!(tokens[i].read, Read::Other | Read::Weak) {
            i += 1;
            continue;
        }
        // The chain i..j of number-like tokens joined by joiners.
        let mut j = i + 1;
        while j < tokens.len()
            && tokens[j].read != Read::Other
            && continues(
                &text[tokens[j - 1].at.end..tokens[j].at.start],
                spelled_pair(&tokens[j - 1], &tokens[j]),
            )
            && weak_ok(text, &tokens[j - 1], &tokens[j])
        {
            j += 1;
        }
        let chain = &tokens[i..j];
        let words = chain.iter().filter(|t| matches!(t.read, Read::Word(_)));
        let digits: usize = chain
            .iter()
            .map(|t| match t.read {
                Read::Word(_) => 1,
                Read::Digits => text[t.at.clone()].chars().count(),
                _ => 0,
            })
            .sum();
        let real = chain.iter().any(|t| t.read == Read::Digits);
        // Decimals, versions and addresses (`2.412`, `5.15.19`,
        // `162.222.181.197`) in a list are not one number: a chain with a
        // `.` between digits is only read as written.
        let decimal =
            chain.windows(2).any(|w| &text[w[0].at.end..w[1].at.start] == ".");
        let spelled = words.count() > 0 && digits >= 9;
        for (k, t) in chain.iter().enumerate() {
            reads[i + k] = match t.read {
                Read::Word(_) if spelled => Read::Digits,
                Read::MaybeDigits | Read::Weak if real && chain.len() > 1 => {
                    Read::Digits
                }
                Read::Digits if decimal => Read::Decimal,
                Read::Digits => Read::Digits,
                _ => Read::Other,
            };
        }
        i = j;
    }
}

fn bar_next_to_digit(text: &str) -> bool {
    text.contains('|')
        && text.as_bytes().windows(2).any(|w| {
            (w[0] == b'|' && w[1].is_ascii_digit())
                || (w[1] == b'|' && w[0].is_ascii_digit())
        })
}

/// Runs the pattern set over the views of `p`'s text (numbers as read,
/// split keys joined), when they differ from it, and adds the hits the
/// normalised text did not give.
pub(super) fn run(p: &Post, which: &mut PatternSet, found: &mut Found) {
    VIEW.with(|cell| {
        let Ok(mut view) = cell.try_borrow_mut() else { return };
        let view = &mut *view;
        if view.fill(p.text) {
            view.merge(p, which, found);
        }
        // `4|1|1…`: `|` is a `1` in one reading, a separator in the other;
        // the validators tell which gives a number.
        if bar_next_to_digit(p.text) {
            view.bar_splits = true;
            if view.fill(p.text) {
                view.merge(p, which, found);
            }
            view.bar_splits = false;
        }
        // A key of a format with digits is joined only if it holds one
        // (`split_key`), and only in a post where the term automaton saw a
        // key prefix or a mark that may cut one (`Use::KeyCut`).
        let digits = p.text.bytes().any(|b| b.is_ascii_digit());
        if found.key_cut && digits && view.fill_secrets(p, p.text) {
            view.merge(p, which, found);
        }
    })
}

impl View {
    /// The pattern set over the view; its new hits and its marks, mapped
    /// back to the normalised text, into `found`.
    fn merge(&mut self, p: &Post, which: &mut PatternSet, found: &mut Found) {
        self.found.clear();
        pattern_set(p, &self.text, which, &mut self.found);
        for h in &self.found.hits {
            let r = self.span(h.start..h.end);
            let known = found.hits.iter().any(|k| {
                k.rule == h.rule && k.start < r.end && r.start < k.end
            });
            if !known && r.start < r.end {
                found.hits.push(super::scan::Hit {
                    start: r.start,
                    end: r.end,
                    ..*h
                });
            }
        }
        for m in &self.found.marks {
            let r = self.span(m.start..m.end);
            if r.start < r.end {
                found.marks.push(super::scan::Mark {
                    start: r.start,
                    end: r.end,
                    ..*m
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(s: &str) -> Option<String> {
        let mut v = View::default();
        v.fill(s).then(|| v.text.clone())
    }

    #[test]
    fn numbers_as_read() {
        for (text, want) in [
            (
                "card 4111 | 1111 | 1111 | 1111 ok",
                "card 4111 1111 1111 1111 ok",
            ),
            ("4111 _1111_ _1111_ 1111", "4111 1111 1111 1111"),
            ("4111 1111 *11*11 1111", "4111 1111 11 11 1111"),
            ("4111 • 1111", "4111 1111"),
            ("41l1 ||11 |ӏl| 1il1", "4111 1111 1111 1111"),
            ("o78-o5-1120", "078-05-1120"),
            ("four one one one, one one one one, one", "4 1 1 1 1 1 1 1 1"),
            (
                "cero siete ocho cero cinco uno uno dos tres",
                "0 7 8 0 5 1 1 2 3",
            ),
            (
                "null sieben acht null fünf eins eins zwo drei",
                "0 7 8 0 5 1 1 2 3",
            ),
        ] {
            assert_eq!(view(text).as_deref(), Some(want), "{text:?}");
        }
    }

    #[test]
    fn every_spelled_digit_is_found_and_nothing_else() {
        for (word, digit) in SPELLED {
            assert_eq!(spelled_digit(word), Some(digit), "{word:?}");
        }
        let keys = SPELLED_KEYS.windows(2);
        assert!(keys.clone().all(|w| w[0].0 < w[1].0), "keys repeat");
        for word in
            ["zer", "zeros", "on", "ones", "nullen", "cuatros", "f\u{fc}n"]
        {
            assert_eq!(spelled_digit(word.as_bytes()), None, "{word}");
        }
    }

    #[test]
    fn what_stays() {
        for text in [
            "pi is 2.718281828459045 roughly",
            "version 1.2.3 on 2024-01-05 12:30:45",
            "one or two things",
            "uno, dos, tres y cuatro",
            "lol oil ill",
            "hello world",
            // A `|` that ends the post is a token: the `_` before it
            // touches it, so it is not a Markdown mark around the number.
            "card 4111 1111 1111 1111_|",
        ] {
            assert_eq!(view(text), None, "{text:?}");
        }
    }
}
