//! Evasion (SPEC §5, issue 4 point 6 "Measured").
//!
//! 1. **Disguised posts.** A generator (splitmix64, fixed seed) takes every
//!    term of every `terms` rule of the bundled packs, and valid PII values
//!    (Luhn-valid cards of eight brands, SSNs, IBANs of 40 countries with
//!    computed check digits), and disguises each with every trick — alone
//!    and two and three at once: leetspeak, separators between letters,
//!    repeated letters, look-alike letters, fullwidth and mathematical bold
//!    letters, zero-width characters, `risk_free`, hashtags (camel case,
//!    lower case, underscores), handles, emoji between words or digit
//!    groups, digit groups split by mixed separators, and fullwidth,
//!    Arabic-Indic, Devanagari and bold digits. Each disguised value is
//!    planted in a realistic post; the same post with the plain value gives
//!    the expected verdict. At least 97% of the disguised posts (overall,
//!    and for terms, cards, SSNs and IBANs each) must get that verdict
//!    **and** a reason whose span covers the disguised bytes.
//! 2. **Clean corpus.** Ordinary English prose that nobody on this project
//!    wrote — the Jargon File (public domain, Debian's `jargon-text`) —
//!    split into sentences and screened with every bundled pack, with and
//!    without evasion handling: evasion handling must not flag more
//!    sentences.
//!
//! Every failure message reports the rates per trick, per kind, per number
//! of tricks, per rule and per term, and failing posts with their reasons;
//! `PRECLEAR_EVASION_FAILURES=FILE` writes every failing post to FILE (one
//! a line: kind, rule, tricks, post, verdict, plain verdict).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;
use std::process::Command;

use crate::corpus::{luhn_check_digit, mod97, IBAN_COUNTRIES};
use crate::support::{card_brand_ok, iban_length, iban_mod97, luhn, Rng};
use preclear::{
    bundled_names, bundled_pack, Date, Decision, Policy, RuleKind, Screener,
    ScreenerBuilder, Verdict,
};

const SEED: u64 = 0x6576_6173_696f_6e21; // "evasion!"

/// The share of disguised posts that must keep the plain verdict.
const MIN_RATE: f64 = 0.97;
/// The generator must produce at least this many disguised posts…
const MIN_POSTS: usize = 3_000;
/// …and every trick must take part in at least this many.
const MIN_POSTS_PER_TRICK: usize = 100;

const CARDS_PER_BRAND: usize = 24;
const SSNS: usize = 200;
const IBANS_PER_COUNTRY: usize = 5;

/// Screening date: the bundled packs have no dated rules today, but the
/// measurement must not change with the calendar.
const NOW: &str = "2026-06-01";

// ---------------------------------------------------------------------------
// The tricks.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Trick {
    Leet,
    Confusable,
    Repeat,
    ZeroWidth,
    Fullwidth,
    MathBold,
    ArabicIndic,
    Devanagari,
    Separators,
    Underscore,
    Emoji,
    HashtagCamel,
    HashtagLower,
    HashtagUnderscore,
    Handle,
    DigitSeparators,
}

/// Tricks of one group but `Free` exclude each other: a value has one
/// style (fullwidth, bold, a digit script) and one layout (separators,
/// hashtag, …).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Free,
    Style,
    Layout,
}

impl Trick {
    fn name(self) -> &'static str {
        match self {
            Trick::Leet => "leetspeak",
            Trick::Confusable => "look-alike letters",
            Trick::Repeat => "repeated letters",
            Trick::ZeroWidth => "zero-width chars",
            Trick::Fullwidth => "fullwidth",
            Trick::MathBold => "math bold",
            Trick::ArabicIndic => "arabic-indic digits",
            Trick::Devanagari => "devanagari digits",
            Trick::Separators => "separators between letters",
            Trick::Underscore => "underscore_joined",
            Trick::Emoji => "emoji between words/groups",
            Trick::HashtagCamel => "#CamelCase",
            Trick::HashtagLower => "#lowercase",
            Trick::HashtagUnderscore => "#under_score",
            Trick::Handle => "@Handle",
            Trick::DigitSeparators => "mixed digit separators",
        }
    }

    fn group(self) -> Group {
        match self {
            Trick::Leet
            | Trick::Confusable
            | Trick::Repeat
            | Trick::ZeroWidth => Group::Free,
            Trick::Fullwidth
            | Trick::MathBold
            | Trick::ArabicIndic
            | Trick::Devanagari => Group::Style,
            _ => Group::Layout,
        }
    }
}

const TERM_TRICKS: &[Trick] = &[
    Trick::Leet,
    Trick::Confusable,
    Trick::Repeat,
    Trick::ZeroWidth,
    Trick::Fullwidth,
    Trick::MathBold,
    Trick::Separators,
    Trick::Underscore,
    Trick::Emoji,
    Trick::HashtagCamel,
    Trick::HashtagLower,
    Trick::HashtagUnderscore,
    Trick::Handle,
];

const DIGIT_TRICKS: &[Trick] = &[
    Trick::ZeroWidth,
    Trick::Fullwidth,
    Trick::MathBold,
    Trick::ArabicIndic,
    Trick::Devanagari,
    Trick::DigitSeparators,
    Trick::Emoji,
];

fn compatible(combo: &[Trick]) -> bool {
    let count = |g: Group| combo.iter().filter(|t| t.group() == g).count();
    count(Group::Style) <= 1
        && count(Group::Layout) <= 1
        // Repeats between separators (`r.i.i.i.s.k`) are not emphasis.
        && !(combo.contains(&Trick::Repeat)
            && combo.contains(&Trick::Separators))
}

/// Every compatible combination of one, two and three of `tricks`.
fn combos(tricks: &[Trick]) -> Vec<Vec<Trick>> {
    let mut out: Vec<Vec<Trick>> = tricks.iter().map(|&t| vec![t]).collect();
    for (i, &a) in tricks.iter().enumerate() {
        for (j, &b) in tricks.iter().enumerate().skip(i + 1) {
            if compatible(&[a, b]) {
                out.push(vec![a, b]);
            }
            for &c in &tricks[j + 1..] {
                if compatible(&[a, b, c]) {
                    out.push(vec![a, b, c]);
                }
            }
        }
    }
    out.sort_by_key(Vec::len);
    out
}

fn combo_name(combo: &[Trick]) -> String {
    combo.iter().map(|t| t.name()).collect::<Vec<_>>().join(" + ")
}

const ZERO_WIDTH: &[char] =
    &['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{00AD}', '\u{FEFF}'];

const EMOJI: &[&str] =
    &["🚀", "🔥", "💰", "📈", "✨", "👀", "💯", "✅", "🤑", "💎", "❤️"];

/// Leetspeak for a letter. `symbols` allows `@` and `$`, which are used
/// only right after a letter or digit of the same word and never in a
/// hashtag: elsewhere they start a handle or a `$TICKER` cashtag (a token
/// of its own) rather than spell a letter.
fn leet(c: char, symbols: bool) -> &'static [char] {
    match c.to_ascii_lowercase() {
        'a' if symbols => &['4', '@'],
        'a' => &['4'],
        'e' => &['3'],
        'i' | 'l' => &['1'],
        'o' => &['0'],
        's' if symbols => &['5', '$'],
        's' => &['5'],
        't' => &['7'],
        _ => &[],
    }
}

/// Look-alike letters (Unicode TS #39 confusables): Cyrillic а е о р с х,
/// Greek ο, Latin ɡ and dotless ı.
fn confusable(c: char) -> &'static [char] {
    match c {
        'a' => &['\u{0430}'],
        'c' => &['\u{0441}'],
        'e' => &['\u{0435}'],
        'o' => &['\u{043E}', '\u{03BF}'],
        'p' => &['\u{0440}'],
        'x' => &['\u{0445}'],
        'g' => &['\u{0261}'],
        'i' => &['\u{0131}'],
        'A' => &['\u{0410}'],
        'C' => &['\u{0421}'],
        'E' => &['\u{0415}'],
        'O' => &['\u{041E}', '\u{039F}'],
        'P' => &['\u{0420}'],
        'X' => &['\u{0425}'],
        _ => &[],
    }
}

/// `c` in the style of `trick` (fullwidth, bold, or a digit script);
/// characters the style has no form for are kept.
fn styled(trick: Trick, c: char) -> char {
    let shift = |base: u32, from: char| {
        char::from_u32(base + (c as u32 - from as u32)).unwrap()
    };
    match (trick, c) {
        (Trick::Fullwidth, '!'..='~') => shift(0xFF01, '!'),
        (Trick::MathBold, 'a'..='z') => shift(0x1D41A, 'a'),
        (Trick::MathBold, 'A'..='Z') => shift(0x1D400, 'A'),
        (Trick::MathBold, '0'..='9') => shift(0x1D7CE, '0'),
        (Trick::ArabicIndic, '0'..='9') => shift(0x0660, '0'),
        (Trick::Devanagari, '0'..='9') => shift(0x0966, '0'),
        _ => c,
    }
}

/// A value as planted in a post: its text, and the bytes a reason's span
/// must cover (a hashtag's or handle's sigil is not part of them).
#[derive(Clone, Debug)]
struct Planted {
    text: String,
    core: Range<usize>,
}

impl Planted {
    fn plain(text: String) -> Planted {
        let core = 0..text.len();
        Planted { text, core }
    }
}

// ---------------------------------------------------------------------------
// Disguising a term.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Letter,
    Digit,
    Other,
    /// Between two words: a space, or a hyphen between letters.
    Gap,
}

#[derive(Clone)]
struct Piece {
    text: String,
    kind: Kind,
    /// First piece of its word.
    initial: bool,
    /// The index of its word.
    word: usize,
    /// Already substituted (leet or look-alike).
    touched: bool,
}

fn pieces(term: &str) -> Vec<Piece> {
    let chars: Vec<char> = term.chars().collect();
    let mut out = Vec::new();
    let mut initial = true;
    let mut word = 0;
    for (i, &c) in chars.iter().enumerate() {
        let hyphen_gap = c == '-'
            && i > 0
            && i + 1 < chars.len()
            && chars[i - 1].is_ascii_alphanumeric()
            && chars[i + 1].is_ascii_alphanumeric();
        let kind = if c == ' ' || hyphen_gap {
            Kind::Gap
        } else if c.is_ascii_alphabetic() {
            Kind::Letter
        } else if c.is_ascii_digit() {
            Kind::Digit
        } else {
            Kind::Other
        };
        out.push(Piece {
            text: c.to_string(),
            kind,
            initial: initial && kind != Kind::Gap,
            word,
            touched: false,
        });
        initial = kind == Kind::Gap;
        word += usize::from(kind == Kind::Gap);
    }
    out
}

#[derive(Clone, Copy)]
enum Casing {
    Lower,
    Title,
    Upper,
}

fn cased(term: &str, casing: Casing) -> String {
    match casing {
        Casing::Lower => term.to_string(),
        Casing::Upper => term.to_uppercase(),
        Casing::Title => term
            .split(' ')
            .map(|w| {
                let mut cs = w.chars();
                match cs.next() {
                    Some(c) => c.to_uppercase().chain(cs).collect(),
                    None => String::new(),
                }
            })
            .collect::<Vec<String>>()
            .join(" "),
    }
}

/// `term` disguised with every trick of `combo`, or `None` when one of
/// them has nothing to work on (no letter to repeat, one word only, …).
fn disguise_term(
    rng: &mut Rng,
    term: &str,
    combo: &[Trick],
) -> Option<Planted> {
    let has = |t: Trick| combo.contains(&t);
    let layout = combo.iter().copied().find(|t| t.group() == Group::Layout);
    let style = combo.iter().copied().find(|t| t.group() == Group::Style);
    let tag = matches!(
        layout,
        Some(
            Trick::HashtagCamel
                | Trick::HashtagLower
                | Trick::HashtagUnderscore
                | Trick::Handle
        )
    );
    let camel = matches!(layout, Some(Trick::HashtagCamel | Trick::Handle));
    let mut ps = pieces(term);

    // What the layout needs.
    let alnum = |p: &Piece| matches!(p.kind, Kind::Letter | Kind::Digit);
    // A word of symbols only (the dash of `confidential - internal`) is
    // not joined to its neighbours.
    let symbol_word = ps
        .split(|p| p.kind == Kind::Gap)
        .any(|w| !w.is_empty() && !w.iter().any(alnum));
    // `confidential:_internal` and `100%_safe` are not how anyone writes.
    let marked = ps.iter().any(|p| p.kind == Kind::Other && p.text != "'");
    match layout {
        Some(Trick::Underscore | Trick::Emoji) if symbol_word => return None,
        Some(Trick::Underscore) if marked => return None,
        // A hashtag or handle spells letters and digits only.
        _ if tag && ps.iter().any(|p| p.kind == Kind::Other) => return None,
        Some(Trick::Underscore) if !ps.iter().any(|p| p.kind == Kind::Gap) => {
            return None
        }
        Some(Trick::Emoji)
            if !ps.iter().any(|p| p.kind == Kind::Gap && p.text == " ") =>
        {
            return None
        }
        Some(Trick::Separators)
            if !ps.windows(2).any(|w| {
                w[0].kind == Kind::Letter && w[1].kind == Kind::Letter
            }) =>
        {
            return None
        }
        _ => {}
    }
    if tag {
        for p in ps.iter_mut().filter(|p| p.kind == Kind::Letter) {
            p.text = if camel && p.initial {
                p.text.to_uppercase()
            } else {
                p.text.to_lowercase()
            };
        }
    }
    // In camel case the capital that starts each word stays as it is: it is
    // what splits the words.
    let free = |p: &Piece| p.kind == Kind::Letter && !(camel && p.initial);
    let letter = |p: &Piece| p.text.chars().next().unwrap();

    if has(Trick::Repeat) {
        let at: Vec<usize> = (0..ps.len())
            .filter(|&i| free(&ps[i]) && !ps[i].initial)
            .collect();
        if at.is_empty() {
            return None;
        }
        let i = *rng.pick(&at);
        ps[i].text = ps[i].text.repeat(rng.range(3, 5) as usize);
    }

    // One look-alike letter is kept back from leetspeak, so that both
    // tricks show when they are combined.
    let reserved = if has(Trick::Confusable) {
        let at: Vec<usize> = (0..ps.len())
            .filter(|&i| {
                free(&ps[i]) && !confusable(letter(&ps[i])).is_empty()
            })
            .collect();
        if at.is_empty() {
            return None;
        }
        Some(*rng.pick(&at))
    } else {
        None
    };
    if has(Trick::Leet) {
        let eligible = |i: usize| {
            free(&ps[i])
                && Some(i) != reserved
                && !leet(letter(&ps[i]), false).is_empty()
        };
        let letters = |w: usize| {
            ps.iter().filter(|p| p.word == w && p.kind == Kind::Letter).count()
        };
        let words = ps.last().map_or(0, |p| p.word + 1);
        let mut chosen = Vec::new();
        for w in 0..words {
            let at: Vec<usize> = (0..ps.len())
                .filter(|&i| ps[i].word == w && eligible(i))
                .collect();
            let mut pick = rng.sample(&at, at.len());
            pick.retain(|_| rng.chance(0.5));
            // Every word keeps a real letter: `70` is a number, not `to`.
            pick.truncate(letters(w).saturating_sub(1));
            chosen.extend(pick);
        }
        if chosen.is_empty() {
            let at: Vec<usize> = (0..ps.len())
                .filter(|&i| eligible(i) && letters(ps[i].word) >= 2)
                .collect();
            if at.is_empty() {
                return None;
            }
            chosen.push(*rng.pick(&at));
        }
        chosen.sort_unstable();
        for i in chosen {
            // (`$$$` is no `sss`: a repeated letter takes a digit.)
            let symbols = !tag
                && layout != Some(Trick::Separators)
                && ps[i].text.chars().count() == 1
                && i > 0
                && ps[i - 1].kind != Kind::Gap
                && ps[i - 1].text.chars().all(|c| c.is_ascii_alphanumeric());
            let to = *rng.pick(leet(letter(&ps[i]), symbols));
            let p = &mut ps[i];
            p.text = p.text.chars().map(|_| to).collect();
            p.touched = true;
        }
    }
    if let Some(r) = reserved {
        let at: Vec<usize> = (0..ps.len())
            .filter(|&i| {
                free(&ps[i])
                    && !ps[i].touched
                    && i != r
                    && !confusable(letter(&ps[i])).is_empty()
            })
            .collect();
        let mut chosen =
            if at.is_empty() { Vec::new() } else { rng.subset(&at) };
        chosen.push(r);
        for i in chosen {
            let p = &mut ps[i];
            let to = *rng.pick(confusable(letter(p)));
            p.text = p.text.chars().map(|_| to).collect();
            p.touched = true;
        }
    }
    if let Some(style) = style {
        for p in ps.iter_mut().filter(|p| p.text != " ") {
            p.text = p.text.chars().map(|c| styled(style, c)).collect();
        }
    }

    // Layout.
    let sep = *rng.pick(&[".", "-", "_", " ", "*"]);
    let emoji_spaced = rng.chance(0.3);
    let sigil = match layout {
        Some(Trick::Handle) => "@",
        _ if tag => "#",
        _ => "",
    };
    let words = ps.last().map_or(0, |p| p.word + 1);
    let lettered: Vec<bool> = (0..words)
        .map(|w| ps.iter().any(|p| p.word == w && p.kind == Kind::Letter))
        .collect();
    let mut out = String::from(sigil);
    // Byte offsets between two pieces of one word: where zero-width
    // characters may go.
    let mut slots = Vec::new();
    for i in 0..ps.len() {
        let p = &ps[i];
        if p.kind == Kind::Gap {
            match layout {
                Some(Trick::Underscore | Trick::HashtagUnderscore) => {
                    out.push('_')
                }
                _ if tag => {}
                Some(Trick::Emoji) if p.text == " " => {
                    let e = *rng.pick(EMOJI);
                    if emoji_spaced {
                        write!(out, " {e} ").unwrap();
                    } else {
                        out.push_str(e);
                    }
                }
                _ => out.push_str(&p.text),
            }
            continue;
        }
        if i > 0 && ps[i - 1].kind != Kind::Gap {
            slots.push(out.len());
            // Between every two letters or digits of a word that has a
            // letter (`m.p.3`); `1-0-0%` is not how anyone writes 100%.
            if layout == Some(Trick::Separators)
                && alnum(&ps[i - 1])
                && alnum(p)
                && lettered[p.word]
            {
                out.push_str(sep);
            }
        }
        out.push_str(&p.text);
    }
    if has(Trick::ZeroWidth) {
        if slots.is_empty() {
            return None;
        }
        let k = rng.range(1, 3) as usize;
        let mut at = rng.sample(&slots, k);
        at.sort_unstable_by(|a, b| b.cmp(a));
        for i in at {
            out.insert(i, *rng.pick(ZERO_WIDTH));
        }
    }
    let core = sigil.len()..out.len();
    Some(Planted { text: out, core })
}

// ---------------------------------------------------------------------------
// Disguising a number (digit groups, and an IBAN's letters).

fn disguise_digits(
    rng: &mut Rng,
    groups: &[String],
    plain_sep: &str,
    combo: &[Trick],
) -> Planted {
    let has = |t: Trick| combo.contains(&t);
    let layout = combo.iter().copied().find(|t| t.group() == Group::Layout);
    let style = combo.iter().copied().find(|t| t.group() == Group::Style);
    let mut gs: Vec<Vec<char>> = groups
        .iter()
        .map(|g| {
            g.chars().map(|c| style.map_or(c, |s| styled(s, c))).collect()
        })
        .collect();
    if has(Trick::ZeroWidth) {
        let long: Vec<usize> =
            (0..gs.len()).filter(|&i| gs[i].len() >= 2).collect();
        let k = rng.range(1, 2) as usize;
        for g in rng.sample(&long, k) {
            let at = 1 + rng.below(gs[g].len() - 1);
            gs[g].insert(at, *rng.pick(ZERO_WIDTH));
        }
    }
    let n = gs.len() - 1;
    let gaps: Vec<String> = match layout {
        Some(Trick::DigitSeparators) => {
            let mut opts: Vec<String> =
                [" ", ".", "-", "/"].iter().map(|s| s.to_string()).collect();
            opts.push(rng.pick(ZERO_WIDTH).to_string());
            let mut gaps: Vec<String> =
                (0..n).map(|_| rng.pick(&opts).clone()).collect();
            // Mixed: never one separator throughout.
            while (n > 1 && gaps.iter().all(|g| *g == gaps[0]))
                || gaps.iter().all(|g| g == plain_sep)
            {
                let i = rng.below(n);
                gaps[i] = rng.pick(&opts).clone();
            }
            gaps
        }
        Some(Trick::Emoji) => {
            (0..n).map(|_| rng.pick(EMOJI).to_string()).collect()
        }
        None => vec![plain_sep.to_string(); n],
        Some(t) => panic!("{t:?} is no digit layout"),
    };
    let mut text: String = gs[0].iter().collect();
    for (gap, g) in gaps.iter().zip(&gs[1..]) {
        text.push_str(gap);
        text.extend(g.iter());
    }
    Planted::plain(text)
}

// ---------------------------------------------------------------------------
// Valid PII values.

const BRANDS: &[&str] = &[
    "visa",
    "mastercard",
    "mastercard-2",
    "amex",
    "discover",
    "diners",
    "jcb",
    "unionpay",
];

/// A Luhn-valid card number of `brand`, digits only.
fn card_number(rng: &mut Rng, brand: &str) -> Vec<u8> {
    let (prefix, len) = match brand {
        "visa" => (4, 16),
        "mastercard" => (rng.range(51, 55), 16),
        "mastercard-2" => (rng.range(2221, 2720), 16),
        "amex" => (*rng.pick(&[34, 37]), 15),
        "discover" => (*rng.pick(&[6011, 644, 649, 65]), 16),
        "diners" => (*rng.pick(&[300, 305, 36, 38]), 14),
        "jcb" => (rng.range(3528, 3589), 16),
        "unionpay" => (62, if rng.chance(0.2) { 19 } else { 16 }),
        _ => panic!("brand {brand}"),
    };
    let mut ds: Vec<u8> =
        prefix.to_string().bytes().map(|b| b - b'0').collect();
    while ds.len() < len - 1 {
        ds.push(rng.digit());
    }
    ds.push(luhn_check_digit(&ds));
    assert!(luhn(&ds) && card_brand_ok(&ds), "{brand} {ds:?}");
    ds
}

fn card_groups(ds: &[u8]) -> Vec<String> {
    let sizes: &[usize] = match ds.len() {
        14 => &[4, 6, 4],
        15 => &[4, 6, 5],
        16 => &[4, 4, 4, 4],
        19 => &[4, 4, 4, 4, 3],
        n => panic!("card length {n}"),
    };
    let mut at = 0;
    sizes
        .iter()
        .map(|&n| {
            let g = ds[at..at + n].iter().map(|d| char::from(b'0' + d));
            at += n;
            g.collect()
        })
        .collect()
}

/// A valid US SSN (no area 000, 666 or 900-999, no group 00, no serial
/// 0000), in its three groups.
fn ssn_groups(rng: &mut Rng) -> Vec<String> {
    let area = loop {
        let a = rng.range(1, 899);
        if a != 666 {
            break a;
        }
    };
    let (group, serial) = (rng.range(1, 99), rng.range(1, 9999));
    vec![format!("{area:03}"), format!("{group:02}"), format!("{serial:04}")]
}

/// A valid IBAN of `cc` (check digits computed), in groups of four.
fn iban_groups(rng: &mut Rng, cc: &str, layout: &str) -> Vec<String> {
    let mut bban = String::new();
    let mut n = 0usize;
    for c in layout.chars() {
        if let Some(d) = c.to_digit(10) {
            n = n * 10 + d as usize;
            continue;
        }
        for _ in 0..n {
            let upper = char::from(b'A' + rng.below(26) as u8);
            let digit = char::from(b'0' + rng.digit());
            bban.push(match c {
                'n' => digit,
                'a' => upper,
                'c' if rng.chance(0.15) => upper,
                'c' => digit,
                _ => panic!("layout {layout}"),
            });
        }
        n = 0;
    }
    let check = 98 - mod97(&format!("{bban}{cc}00"));
    let iban = format!("{cc}{check:02}{bban}");
    let cc2 = [cc.as_bytes()[0], cc.as_bytes()[1]];
    assert_eq!(iban_length(&cc2), Some(iban.len()), "{iban}");
    assert!(iban_mod97(iban.as_bytes()), "{iban}");
    let chars: Vec<char> = iban.chars().collect();
    chars.chunks(4).map(|c| c.iter().collect()).collect()
}

// ---------------------------------------------------------------------------
// Posts.

/// Templates that read naturally around any phrase. `{}` is the slot.
const ANY_TEMPLATES: &[&str] = &[
    "Heard from a friend today: {}. Thoughts?",
    "Not sure I should post this, but {} 👀",
    // Not in quotation marks: rules that ignore quoted hits (stance)
    // would leave the plain post nothing to measure against.
    "Our team lead literally said {} in the meeting",
    "{} - more on the blog later this week",
    "ok so apparently {} lol",
    "Can confirm: {}!",
    "Thread 🧵 about {} below",
    "Screenshot from the group chat says {}, make of that what you will",
    "Friday mood: {} 🎉",
    "{}",
];

fn pack_templates(pack: &str) -> &'static [&'static str] {
    match pack {
        "financial-institution" => &[
            "Stop by any branch and ask about {} this week!",
            "Client update: {} on the Growth Plus plan.",
            "Our advisors are excited about {} for 2026 📈",
        ],
        "music-label" => &[
            "omg {} 😭😭",
            "the label team is NOT going to like this: {}",
            "DM me about {} before Friday",
        ],
        _ => {
            &["Footer on the handout: {}", "Slide 12 of the deck reads {} 😅"]
        }
    }
}

const CARD_TEMPLATES: &[&str] = &[
    "Customer read out card {} to me, can someone run the payment?",
    "Found a receipt in the lobby with {} on it. Whose is it?",
    "Please update Mrs. Patel's card to {} before Friday",
    "Test payment with {} went through 🎉",
    "Card: {} exp 09/28, details in DM",
];

/// An SSN word stands within four words of the number, so that an SSN
/// whose separators are all zero-width (a bare nine-digit run to the
/// reader) is still an SSN.
const SSN_TEMPLATES: &[&str] = &[
    "New client form: SSN {} and the address on file.",
    "Caller verified with SSN {} so I approved the change.",
    "Please fix the record, social security number {} was mistyped",
    "ssn {} - can someone check the file?",
];

const IBAN_TEMPLATES: &[&str] = &[
    "Payout goes to IBAN {} by Friday, thanks!",
    "Our supplier's new bank details: {} (please update the payee)",
    "Send the deposit to {} today please.",
    "Customer asked us to move funds to {} 🙏",
];

/// `template` with `value` in its slot, and where the value's core went.
fn fill(template: &str, value: &Planted) -> (String, Range<usize>) {
    let (before, after) = template.split_once("{}").expect("slot");
    let post = format!("{before}{}{after}", value.text);
    let at = before.len();
    (post, at + value.core.start..at + value.core.end)
}

fn date() -> Date {
    NOW.parse().unwrap()
}

fn screener(pack: &str, evasion: bool) -> Screener {
    let mut policy = Policy::new();
    policy.add_bundled(pack).unwrap();
    ScreenerBuilder::new()
        .now(date())
        .evasion(evasion)
        .build(&policy)
        .unwrap_or_else(|e| panic!("{pack}: {e}"))
}

/// The bytes a span may reach: `core` widened to the whitespace around it
/// (a hashtag's `#`, a quote or a comma may be in the span; the next word
/// may not).
fn extent(post: &str, core: &Range<usize>) -> Range<usize> {
    let start = post[..core.start]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = post[core.end..]
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(post.len(), |(i, _)| core.end + i);
    start.min(core.start)..end.max(core.end)
}

/// True if some reason's span covers `core` and stays within its extent.
fn covers(v: &Verdict, post: &str, core: &Range<usize>) -> bool {
    let ext = extent(post, core);
    v.reasons().iter().any(|r| {
        r.span().is_some_and(|s| {
            s.start <= core.start
                && s.end >= core.end
                && s.start >= ext.start
                && s.end <= ext.end
        })
    })
}

fn describe(v: &Verdict, post: &str) -> String {
    let reasons: Vec<String> = v
        .reasons()
        .iter()
        .map(|r| match r.span() {
            Some(s) => format!("{} {:?} {:?}", r.rule(), s, &post[s.clone()]),
            None => r.rule().to_string(),
        })
        .collect();
    format!("{} [{}]", v.decision(), reasons.join("; "))
}

// ---------------------------------------------------------------------------
// The measurement.

#[derive(Clone, Copy, Default)]
struct Tally {
    pass: usize,
    total: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.pass += usize::from(ok);
    }

    fn rate(self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.pass as f64 / self.total as f64
        }
    }

    fn show(self) -> String {
        format!("{:6.2}% ({}/{})", 100.0 * self.rate(), self.pass, self.total)
    }
}

/// One disguised post and its plain twin.
struct Case<'a> {
    kind: &'static str,
    /// The rule of a term; the brand or country of a number.
    label: String,
    /// The term itself (numbers are many: they are counted by label).
    item: String,
    combo: &'a [Trick],
    template: &'a str,
    plain: Planted,
    disguised: Planted,
}

#[derive(Default)]
struct Report {
    all: Tally,
    /// Failures with another verdict than the plain post's…
    wrong_verdict: usize,
    /// …and with the right verdict but no span over the disguised bytes
    /// (another, narrower rule decided).
    wrong_span: usize,
    kinds: BTreeMap<&'static str, Tally>,
    tricks: BTreeMap<&'static str, Tally>,
    alone: BTreeMap<&'static str, Tally>,
    arity: BTreeMap<usize, Tally>,
    rules: BTreeMap<String, Tally>,
    items: BTreeMap<String, Tally>,
    combos: BTreeMap<String, Tally>,
    /// Up to two failing posts (of different rules or kinds) for each
    /// combination of tricks.
    failures: BTreeMap<Vec<Trick>, Vec<(String, String)>>,
    /// Posts whose plain form got no reason over the plain value: the
    /// baseline is missing, so they are not measured.
    unmeasured: usize,
    unmeasured_examples: Vec<String>,
    plain_cache: HashMap<(String, usize, usize), (Decision, bool, String)>,
    /// Every failing post, one a line, when `PRECLEAR_EVASION_FAILURES`
    /// names a file to write them to.
    dump: Option<String>,
}

impl Report {
    fn check(&mut self, screener: &Screener, case: Case) {
        let (plain_post, plain_core) = fill(case.template, &case.plain);
        let key = (plain_post.clone(), plain_core.start, plain_core.end);
        let (expected, measurable, plain_why) = self
            .plain_cache
            .entry(key)
            .or_insert_with(|| {
                let v = screener.screen(&plain_post).unwrap();
                (
                    v.decision(),
                    covers(&v, &plain_post, &plain_core),
                    describe(&v, &plain_post),
                )
            })
            .clone();
        if !measurable {
            self.unmeasured += 1;
            if self.unmeasured_examples.len() < 20 {
                self.unmeasured_examples.push(format!(
                    "{} {}: {plain_post:?} -> {plain_why}",
                    case.kind, case.label
                ));
            }
            return;
        }
        let (post, core) = fill(case.template, &case.disguised);
        let v = screener.screen(&post).unwrap();
        let same = v.decision() == expected;
        let ok = same && covers(&v, &post, &core);
        self.wrong_verdict += usize::from(!same);
        self.wrong_span += usize::from(same && !ok);

        self.all.add(ok);
        self.kinds.entry(case.kind).or_default().add(ok);
        for t in case.combo {
            self.tricks.entry(t.name()).or_default().add(ok);
        }
        if let [t] = case.combo {
            self.alone.entry(t.name()).or_default().add(ok);
        }
        self.arity.entry(case.combo.len()).or_default().add(ok);
        self.rules.entry(case.label.clone()).or_default().add(ok);
        self.items.entry(case.item.clone()).or_default().add(ok);
        let name = combo_name(case.combo);
        self.combos.entry(name.clone()).or_default().add(ok);
        if let (false, Some(dump)) = (ok, &mut self.dump) {
            writeln!(
                dump,
                "{}\t{}\t{name}\t{post:?}\t{}\t{}",
                case.kind,
                case.label,
                describe(&v, &post),
                plain_why
            )
            .unwrap();
        }
        let examples = self.failures.entry(case.combo.to_vec()).or_default();
        if !ok
            && examples.len() < 2
            && examples.iter().all(|(label, _)| *label != case.label)
        {
            examples.push((
                case.label.clone(),
                format!(
                    "{} {} [{name}]\n      disguised: {post:?}\n      \
                     core {core:?} {:?}\n      got {}\n      plain: \
                     {plain_post:?}\n      plain got {plain_why}",
                    case.kind,
                    case.label,
                    &post[core.clone()],
                    describe(&v, &post),
                ),
            ));
        }
    }

    fn summary(&self) -> String {
        let mut s = String::new();
        writeln!(s, "overall: {}", self.all.show()).unwrap();
        writeln!(
            s,
            "failures: {} with another verdict, {} with the plain verdict but \
             no reason whose span covers the disguised bytes",
            self.wrong_verdict, self.wrong_span
        )
        .unwrap();
        writeln!(s, "by kind:").unwrap();
        for (k, t) in &self.kinds {
            writeln!(s, "  {k:<8} {}", t.show()).unwrap();
        }
        writeln!(s, "by trick (alone | in any combination):").unwrap();
        for (k, t) in &self.tricks {
            let alone = self.alone.get(k).copied().unwrap_or_default();
            writeln!(s, "  {k:<28} {} | {}", alone.show(), t.show()).unwrap();
        }
        writeln!(s, "by number of tricks:").unwrap();
        for (k, t) in &self.arity {
            writeln!(s, "  {k} {}", t.show()).unwrap();
        }
        let mut rules: Vec<_> =
            self.rules.iter().filter(|(_, t)| t.pass < t.total).collect();
        rules.sort_by(|a, b| a.1.rate().total_cmp(&b.1.rate()));
        writeln!(s, "rules below 100%:").unwrap();
        for (k, t) in rules {
            writeln!(s, "  {k:<30} {}", t.show()).unwrap();
        }
        let mut combos: Vec<_> =
            self.combos.iter().filter(|(_, t)| t.pass < t.total).collect();
        combos.sort_by(|a, b| a.1.rate().total_cmp(&b.1.rate()));
        let mut items: Vec<_> =
            self.items.iter().filter(|(_, t)| t.pass < t.total).collect();
        items.sort_by(|a, b| a.1.rate().total_cmp(&b.1.rate()));
        writeln!(s, "worst terms and values:").unwrap();
        for (k, t) in items.iter().take(30) {
            writeln!(s, "  {k:<40} {}", t.show()).unwrap();
        }
        writeln!(s, "worst combinations:").unwrap();
        for (k, t) in combos.iter().take(25) {
            writeln!(s, "  {k:<60} {}", t.show()).unwrap();
        }
        writeln!(
            s,
            "not measured (the plain post got no reason over the plain \
             value): {}",
            self.unmeasured
        )
        .unwrap();
        for e in &self.unmeasured_examples {
            writeln!(s, "  {e}").unwrap();
        }
        writeln!(
            s,
            "failing posts: every single trick, then the worst combinations"
        )
        .unwrap();
        let mut keys: Vec<&Vec<Trick>> =
            self.failures.keys().filter(|c| c.len() == 1).collect();
        keys.extend(combos.iter().take(25).filter_map(|(name, _)| {
            self.failures
                .keys()
                .find(|c| c.len() > 1 && combo_name(c) == **name)
        }));
        for k in keys {
            for (_, f) in &self.failures[k] {
                writeln!(s, "  {f}").unwrap();
            }
        }
        s
    }
}

/// Every term of every `terms` rule of the bundled pack `pack`, with its
/// rule id.
fn pack_terms(pack: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for rule in bundled_pack(pack).unwrap().rules() {
        if let RuleKind::Terms(terms) = &rule.kind {
            for term in terms {
                // A term without letters (a number, a symbol) cannot be
                // spelled differently with letters; the digit tricks are
                // measured on the PII values.
                if !term.chars().any(char::is_alphabetic) {
                    continue;
                }
                out.push((rule.id.clone(), term.to_lowercase()));
            }
        }
    }
    out
}

/// Every word of every `unless` list of the bundled packs: templates must
/// not carry them, or they would suppress the hit they frame.
fn unless_words() -> Vec<String> {
    let mut out = Vec::new();
    for name in bundled_names() {
        for rule in bundled_pack(name).unwrap().rules() {
            if let Some(u) = &rule.unless {
                out.extend(u.words.iter().map(|w| w.to_lowercase()));
            }
        }
    }
    out
}

fn contains_phrase(text: &str, phrase: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (t, p) = (words(text), words(phrase));
    !p.is_empty() && t.windows(p.len()).any(|w| w == p.as_slice())
}

fn measure() -> Report {
    let mut rng = Rng(SEED);
    let mut report = Report::default();
    let dump_to = std::env::var_os("PRECLEAR_EVASION_FAILURES");
    if dump_to.is_some() {
        report.dump = Some(String::new());
    }
    let unless = unless_words();

    // The templates alone are allowed, and carry no `unless` word.
    let fin = screener("financial-institution", true);
    for name in bundled_names() {
        let s = screener(name, true);
        let all: Vec<&str> = ANY_TEMPLATES
            .iter()
            .chain(pack_templates(name))
            .chain(CARD_TEMPLATES)
            .chain(SSN_TEMPLATES)
            .chain(IBAN_TEMPLATES)
            .copied()
            .collect();
        for t in all {
            let post = t.replace("{}", "our plans");
            let v = s.screen(&post).unwrap();
            assert_eq!(
                v.decision(),
                Decision::Allow,
                "{name}: template alone is not allowed: {}",
                describe(&v, &post)
            );
            for w in &unless {
                assert!(!contains_phrase(t, w), "template {t:?} has {w:?}");
            }
        }
    }

    // Terms.
    let term_combos = combos(TERM_TRICKS);
    for name in bundled_names() {
        let s = screener(name, true);
        let templates: Vec<&str> = ANY_TEMPLATES
            .iter()
            .chain(pack_templates(name))
            .copied()
            .collect();
        for (rule, term) in pack_terms(name) {
            for combo in &term_combos {
                let casing = match rng.below(100) {
                    0..=69 => Casing::Lower,
                    70..=84 => Casing::Title,
                    _ => Casing::Upper,
                };
                let term = cased(&term, casing);
                let Some(disguised) = disguise_term(&mut rng, &term, combo)
                else {
                    continue;
                };
                let template = *rng.pick(&templates);
                report.check(
                    &s,
                    Case {
                        kind: "term",
                        label: rule.clone(),
                        item: format!("{rule}: {}", term.to_lowercase()),
                        combo,
                        template,
                        plain: Planted::plain(term),
                        disguised,
                    },
                );
            }
        }
    }

    // PII values, screened with the financial pack.
    let digit_combos = combos(DIGIT_TRICKS);
    let mut values: Vec<(&'static str, String, Vec<String>, &str)> =
        Vec::new();
    for brand in BRANDS {
        for _ in 0..CARDS_PER_BRAND {
            let ds = card_number(&mut rng, brand);
            values.push((
                "card",
                format!("card/{brand}"),
                card_groups(&ds),
                " ",
            ));
        }
    }
    for _ in 0..SSNS {
        values.push(("ssn", "ssn".into(), ssn_groups(&mut rng), "-"));
    }
    for &(cc, layout) in IBAN_COUNTRIES {
        for _ in 0..IBANS_PER_COUNTRY {
            let groups = iban_groups(&mut rng, cc, layout);
            values.push(("iban", format!("iban/{cc}"), groups, " "));
        }
    }
    for (kind, label, groups, sep) in &values {
        let templates = match *kind {
            "card" => CARD_TEMPLATES,
            "ssn" => SSN_TEMPLATES,
            _ => IBAN_TEMPLATES,
        };
        for combo in &digit_combos {
            let disguised = disguise_digits(&mut rng, groups, sep, combo);
            let template = *rng.pick(templates);
            report.check(
                &fin,
                Case {
                    kind,
                    label: label.clone(),
                    item: label.clone(),
                    combo,
                    template,
                    plain: Planted::plain(groups.join(sep)),
                    disguised,
                },
            );
        }
    }
    if let (Some(path), Some(dump)) = (dump_to, &report.dump) {
        std::fs::write(&path, dump).unwrap();
    }
    report
}

#[test]
fn generator_disguises_as_intended() {
    let mut rng = Rng(SEED);
    let d = |rng: &mut Rng, term: &str, combo: &[Trick]| {
        disguise_term(rng, term, combo).map(|p| p.text)
    };
    assert_eq!(
        d(&mut rng, "guaranteed returns", &[Trick::HashtagCamel]).as_deref(),
        Some("#GuaranteedReturns")
    );
    assert_eq!(
        d(&mut rng, "risk-free", &[Trick::HashtagUnderscore]).as_deref(),
        Some("#risk_free")
    );
    assert_eq!(
        d(&mut rng, "double your money", &[Trick::Handle]).as_deref(),
        Some("@DoubleYourMoney")
    );
    assert_eq!(
        d(&mut rng, "risk free", &[Trick::Underscore]).as_deref(),
        Some("risk_free")
    );
    assert_eq!(
        d(&mut rng, "guaranteed", &[Trick::Fullwidth]).as_deref(),
        Some("ｇｕａｒａｎｔｅｅｄ")
    );
    assert_eq!(
        d(&mut rng, "g", &[Trick::MathBold]).as_deref(),
        Some("\u{1D420}")
    );
    for _ in 0..50 {
        let s = d(&mut rng, "guaranteed", &[Trick::Separators]).unwrap();
        let sep = s.chars().nth(1).unwrap();
        let spelled: Vec<String> =
            "guaranteed".chars().map(String::from).collect();
        assert_eq!(s, spelled.join(&sep.to_string()));

        let s = d(&mut rng, "guaranteed", &[Trick::Leet]).unwrap();
        assert_eq!(s.len(), "guaranteed".len());
        assert_ne!(s, "guaranteed");
        assert!(s.chars().all(|c| c.is_ascii_alphanumeric() || c == '@'));

        let s = d(&mut rng, "risk", &[Trick::Repeat]).unwrap();
        assert!(["iii", "sss", "kkk"].iter().any(|r| s.contains(r)), "{s}");

        let s = d(&mut rng, "guaranteed", &[Trick::ZeroWidth]).unwrap();
        let visible: String =
            s.chars().filter(|c| !ZERO_WIDTH.contains(c)).collect();
        assert_eq!(visible, "guaranteed");
        assert!(s.len() > "guaranteed".len());

        let s = d(&mut rng, "guaranteed", &[Trick::Confusable]).unwrap();
        assert!(!s.is_ascii() && s.chars().count() == 10, "{s}");

        let s = d(&mut rng, "guaranteed returns", &[Trick::Emoji]).unwrap();
        assert!(EMOJI.iter().any(|e| s.contains(e)), "{s}");

        let p = disguise_digits(
            &mut rng,
            &["4111".into(), "1111".into(), "1111".into(), "1111".into()],
            " ",
            &[Trick::DigitSeparators],
        );
        let digits: String =
            p.text.chars().filter(char::is_ascii_digit).collect();
        assert_eq!(digits, "4111111111111111");
        assert!(p.text.len() > 16 && p.text != "4111 1111 1111 1111");
    }
    let p = disguise_digits(
        &mut rng,
        &["4111".into(), "1111".into()],
        " ",
        &[Trick::Fullwidth],
    );
    assert_eq!(p.text, "４１１１ １１１１");
    let p = disguise_digits(
        &mut rng,
        &["078".into(), "05".into(), "1120".into()],
        "-",
        &[Trick::ArabicIndic],
    );
    assert_eq!(p.text, "٠٧٨-٠٥-١١٢٠");
    let p = disguise_digits(
        &mut rng,
        &["078".into(), "05".into(), "1120".into()],
        "-",
        &[Trick::Devanagari],
    );
    assert_eq!(p.text, "०७८-०५-११२०");

    // Combinations: one, two and three tricks, never two styles or two
    // layouts at once.
    let cs = combos(TERM_TRICKS);
    assert!(cs.iter().all(|c| (1..=3).contains(&c.len()) && compatible(c)));
    assert!(cs.iter().any(|c| c.len() == 3));
    assert_eq!(cs.iter().filter(|c| c.len() == 1).count(), TERM_TRICKS.len());
}

#[test]
fn disguised_terms_and_pii_keep_their_verdict() {
    let report = measure();
    let summary = report.summary();
    assert!(
        report.all.total >= MIN_POSTS,
        "only {} disguised posts were measured (need {MIN_POSTS})\n{summary}",
        report.all.total
    );
    for (trick, t) in &report.tricks {
        assert!(
            t.total >= MIN_POSTS_PER_TRICK,
            "trick {trick} is in only {} posts\n{summary}",
            t.total
        );
    }
    let measured = report.all.total + report.unmeasured;
    assert!(
        report.unmeasured * 100 <= measured,
        "{} of {measured} plain posts got no reason over the plain value, \
         so their disguised twins could not be measured\n{summary}",
        report.unmeasured
    );
    let low: Vec<String> = std::iter::once(("overall", report.all))
        .chain(report.kinds.iter().map(|(k, t)| (*k, *t)))
        .filter(|(_, t)| t.rate() < MIN_RATE)
        .map(|(k, t)| format!("{k} {}", t.show()))
        .collect();
    assert!(
        low.is_empty(),
        "disguised posts that keep the plain verdict with a span over the \
         disguised bytes: below {}% for {}\n{summary}",
        MIN_RATE * 100.0,
        low.join(", ")
    );
    eprintln!("{summary}");
}

// ---------------------------------------------------------------------------
// The clean corpus.

/// The Jargon File 4.4.7 (Eric S. Raymond et al., 2003), as Debian's
/// `jargon-text` package ships it. Its copyright file: "This document (the
/// Jargon File) is in the public domain, to be freely used, shared, and
/// modified." Modern English prose about computing culture — and, in its
/// entries on crackers and warez d00dz, real leetspeak: hard negatives
/// for evasion handling. `.ci/run` installs the package.
const CORPUS: &str = "/usr/share/doc/jargon-text/jargon.txt.gz";
const CORPUS_INSTALL: &str = "apt-get install -y jargon-text";
const MIN_SENTENCES: usize = 2_000;

/// The corpus's text, or `None` on a developer machine without the
/// package (CI installs it and must have it, like valgrind).
fn corpus_text() -> Option<String> {
    if !Path::new(CORPUS).exists() {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        assert!(
            !ci,
            "the clean corpus {CORPUS} is missing: install it with \
             `{CORPUS_INSTALL}`"
        );
        eprintln!(
            "clean corpus skipped: {CORPUS} is missing (`{CORPUS_INSTALL}`)"
        );
        return None;
    }
    let out = Command::new("gzip")
        .args(["-dc", CORPUS])
        .output()
        .unwrap_or_else(|e| panic!("cannot run gzip on {CORPUS}: {e}"));
    assert!(out.status.success(), "gzip -dc {CORPUS} failed");
    Some(String::from_utf8(out.stdout).expect("the corpus is UTF-8"))
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "esp", "etc", "cf", "vs", "mr", "mrs", "ms", "dr", "st",
    "jr", "sr", "prof", "no", "vol", "fig", "approx", "poss", "orig", "ca",
];

/// The corpus's prose, one sentence a line: paragraphs of the glossary,
/// introduction and appendices, without headwords, tables and the table of
/// contents; cross-reference braces removed.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split("\n\n") {
        let lines: Vec<&str> = para.lines().map(str::trim).collect();
        if lines.iter().any(|l| {
            l.starts_with(':')
                || l.chars().any(|c| ('\u{2500}'..='\u{257F}').contains(&c))
        }) {
            continue;
        }
        let joined = lines.join(" ").replace(['{', '}'], "");
        split_sentences(&joined, &mut out);
    }
    out.retain(|s| {
        let words = s.split_whitespace().count();
        let first = s.chars().find(|c| c.is_alphanumeric());
        (5..=80).contains(&words)
            && first.is_some_and(char::is_uppercase)
            && s.ends_with(['.', '!', '?', '”', '"', ')', '’'])
            && s.chars().filter(|c| c.is_alphabetic()).count() * 2 > s.len()
    });
    out
}

fn split_sentences(para: &str, out: &mut Vec<String>) {
    let chars: Vec<(usize, char)> = para.char_indices().collect();
    let mut start = 0;
    for (k, &(i, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        // Closing quotes and brackets stay with the sentence.
        let mut j = k + 1;
        while j < chars.len() && matches!(chars[j].1, '”' | '"' | '’' | ')')
        {
            j += 1;
        }
        let end = chars.get(j).map_or(para.len(), |&(b, _)| b);
        let next_is_start = match (chars.get(j), chars.get(j + 1)) {
            (None, _) => true,
            (Some(&(_, ' ')), Some(&(_, n))) => {
                n.is_uppercase() || matches!(n, '“' | '"' | '‘')
            }
            _ => false,
        };
        if !next_is_start {
            continue;
        }
        if c == '.' {
            let word = para[start..i]
                .rsplit(|ch: char| ch.is_whitespace() || ch == '(')
                .next()
                .unwrap_or("")
                .to_lowercase();
            if ABBREVIATIONS.contains(&word.as_str())
                || word.chars().count() == 1
            {
                continue;
            }
        }
        let s = para[start..end].trim();
        if !s.is_empty() {
            out.push(s.to_string());
        }
        start = end;
    }
    let s = para[start..].trim();
    if !s.is_empty() {
        out.push(s.to_string());
    }
}

#[test]
fn sentence_splitter_splits_prose() {
    let mut out = Vec::new();
    split_sentences(
        "It won. “So it turned out fine!” See also lose. Use e.g. Foo \
         here. Done (mostly.) Next one",
        &mut out,
    );
    assert_eq!(
        out,
        [
            "It won.",
            "“So it turned out fine!”",
            "See also lose.",
            "Use e.g. Foo here.",
            "Done (mostly.)",
            "Next one"
        ]
    );
}

#[test]
fn evasion_handling_flags_no_more_clean_sentences() {
    let Some(text) = corpus_text() else { return };
    let sents = sentences(&text);
    assert!(
        sents.len() >= MIN_SENTENCES,
        "only {} sentences in {CORPUS} (need {MIN_SENTENCES})",
        sents.len()
    );
    let mut summary = format!("{} sentences from {CORPUS}\n", sents.len());
    let mut grew = Vec::new();
    for name in bundled_names() {
        let with = screener(name, true);
        let without = screener(name, false);
        let (mut n_with, mut n_without) = (0usize, 0usize);
        let mut new = Vec::new();
        for s in &sents {
            let a = with.screen(s).unwrap();
            let b = without.screen(s).unwrap();
            let (fa, fb) = (
                a.decision() != Decision::Allow,
                b.decision() != Decision::Allow,
            );
            n_with += usize::from(fa);
            n_without += usize::from(fb);
            if fa && !fb && new.len() < 25 {
                new.push(format!("    {s:?}\n      -> {}", describe(&a, s)));
            }
        }
        writeln!(
            summary,
            "{name}: not allowed with evasion handling {n_with}, without \
             {n_without}"
        )
        .unwrap();
        if !new.is_empty() {
            writeln!(summary, "  flagged only with evasion handling:")
                .unwrap();
            for n in &new {
                writeln!(summary, "{n}").unwrap();
            }
        }
        if n_with > n_without {
            grew.push(name);
        }
    }
    eprintln!("{summary}");
    assert!(
        grew.is_empty(),
        "evasion handling flags more clean sentences with {}\n{summary}",
        grew.join(", ")
    );
}
