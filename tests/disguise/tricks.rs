//! The trick classes of the second disguise generator, each written from a
//! public description of how people hide text from filters (the sources are
//! in `tests/data/disguises/CLASSES.md`), not from the matcher.
//!
//! Every trick keeps the violation readable: a person looking at the
//! rendered post still reads the same card digits, the same key, the same
//! words (case, styling, spacing and separators aside). Tricks that need a
//! decoding step (base64, ROT13, HTML entities, reversed text without a
//! right-to-left override, syllable swaps, dropped vowels) are left out.

use super::Kind::{self, Card, Iban, Link, Secret, Ssn, Term};
use super::Rng;

/// One class: its id (the row in the report), the kinds of violation it
/// applies to, and the transformation. `apply` returns `None` when the
/// class has nothing to work on in this text (no apostrophe to swap …).
pub(crate) struct Trick {
    pub(crate) id: &'static str,
    pub(crate) kinds: &'static [Kind],
    pub(crate) apply: fn(&str, &mut Rng) -> Option<String>,
}

const ALL: &[Kind] = &[Card, Ssn, Iban, Term, Secret, Link];
const NUMBERS: &[Kind] = &[Card, Ssn, Iban];
const SPACED: &[Kind] = &[Card, Ssn, Iban, Term];
const LETTERS: &[Kind] = &[Term, Secret, Iban, Link];

macro_rules! trick {
    ($id:literal, $kinds:expr, $f:expr) => {
        Trick { id: $id, kinds: $kinds, apply: $f }
    };
}

/// Every class, in the order of CLASSES.md.
pub(crate) const TRICKS: &[Trick] = &[
    trick!("zero-width", ALL, |s, r| insert(
        s,
        r,
        &[0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]
    )),
    trick!("soft-hyphen", ALL, |s, r| insert(s, r, &[0xAD])),
    trick!("invisible-operators", ALL, |s, r| insert(
        s,
        r,
        &[0x2061, 0x2062, 0x2063, 0x2064]
    )),
    trick!("tag-characters", ALL, tag_characters),
    trick!("variation-selectors", ALL, variation_selectors),
    trick!("bidi-marks", ALL, bidi_marks),
    trick!("rlo-reversed", ALL, rlo_reversed),
    trick!("combining-marks", ALL, combining_marks),
    trick!("overlay-marks", ALL, overlay_marks),
    trick!("enclosing-marks", ALL, enclosing_marks),
    trick!("precomposed-accents", &[Term], precomposed_accents),
    trick!("fullwidth", ALL, fullwidth),
    trick!("math-alphanumeric", ALL, math_alphanumeric),
    trick!("enclosed-alphanumerics", ALL, enclosed),
    trick!("negative-squared", ALL, negative_squared),
    trick!("keycap-digits", NUMBERS, keycap),
    trick!("regional-indicators", &[Term], regional_indicators),
    trick!("small-caps", LETTERS, small_caps),
    trick!("super-subscript-digits", NUMBERS, super_subscript),
    trick!("native-digits", NUMBERS, native_digits),
    trick!("compatibility-letters", &[Term, Link], compatibility_letters),
    trick!("cyrillic-mixed", LETTERS, |s, r| lookalikes(s, r, CYRILLIC, 0.5)),
    trick!("cyrillic-whole", LETTERS, |s, r| lookalikes(s, r, CYRILLIC, 1.0)),
    trick!("greek-lookalikes", LETTERS, |s, r| lookalikes(s, r, GREEK, 0.6)),
    trick!("other-lookalikes", LETTERS, other_lookalikes),
    trick!("leet-basic", &[Term], |s, r| leet(s, r, LEET_BASIC, 0.7)),
    trick!("leet-symbols", &[Term], |s, r| leet(s, r, LEET_SYMBOLS, 0.5)),
    trick!("letter-spacing", &[Term], letter_spacing),
    trick!("punctuation-injection", &[Term], punctuation_injection),
    trick!("elongation", &[Term], elongation),
    trick!("case-mixing", &[Term, Iban, Link], case_mixing),
    trick!("unicode-spaces", SPACED, |s, r| respace(s, r, SPACES)),
    trick!("invisible-fillers", SPACED, |s, r| respace(s, r, FILLERS)),
    trick!("line-break-split", ALL, line_break_split),
    trick!("emoji-separators", SPACED, emoji_separators),
    trick!("markdown", &[Term, Card, Ssn, Secret], markdown),
    trick!("apostrophe-variants", &[Term], apostrophes),
    trick!("dash-variants", &[Term, Card, Ssn], dashes),
    trick!("digit-separators", NUMBERS, digit_separators),
    trick!("letters-for-digits", NUMBERS, letters_for_digits),
    trick!("spelled-digits", &[Card, Ssn], spelled_digits),
    trick!("defanged-link", &[Link], defang),
    trick!("idn-dots", &[Link], idn_dots),
    trick!("secret-split", &[Secret], secret_split),
    trick!("iban-regroup", &[Iban], iban_regroup),
];

/// Pairs of classes applied one after the other (first, then second):
/// the combinations the sources show together.
pub(crate) const PAIRS: &[(&str, &str)] = &[
    ("cyrillic-mixed", "zero-width"),
    ("leet-basic", "letter-spacing"),
    ("fullwidth", "zero-width"),
    ("math-alphanumeric", "combining-marks"),
    ("small-caps", "punctuation-injection"),
    ("greek-lookalikes", "soft-hyphen"),
    ("case-mixing", "elongation"),
    ("precomposed-accents", "markdown"),
    ("digit-separators", "zero-width"),
    ("letters-for-digits", "digit-separators"),
    ("keycap-digits", "unicode-spaces"),
    ("super-subscript-digits", "line-break-split"),
    ("spelled-digits", "line-break-split"),
    ("fullwidth", "unicode-spaces"),
    ("enclosed-alphanumerics", "emoji-separators"),
    ("zero-width", "rlo-reversed"),
    ("defanged-link", "fullwidth"),
    ("idn-dots", "cyrillic-mixed"),
    ("secret-split", "cyrillic-mixed"),
    ("tag-characters", "variation-selectors"),
    ("bidi-marks", "overlay-marks"),
    ("iban-regroup", "zero-width"),
    ("leet-symbols", "emoji-separators"),
    ("dash-variants", "native-digits"),
];

pub(crate) fn find(id: &str) -> &'static Trick {
    TRICKS
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no trick {id}"))
}

// ---------------------------------------------------------------------------
// Helpers.

fn ch(cp: u32) -> char {
    char::from_u32(cp).unwrap_or_else(|| panic!("not a char: {cp:X}"))
}

/// A letter or digit of any script: later tricks of a pair work on what
/// earlier ones produced.
fn alnum(c: char) -> bool {
    c.is_alphanumeric()
}

/// `Some(out)` when the trick changed something, else `None`.
fn changed(s: &str, out: String) -> Option<String> {
    (out != s).then_some(out)
}

/// Maps every character through `f` (`None` keeps it).
fn map(s: &str, mut f: impl FnMut(char) -> Option<String>) -> String {
    s.chars().map(|c| f(c).unwrap_or_else(|| c.to_string())).collect()
}

/// Inserts one of `cps` between neighbouring letters or digits: everywhere
/// or at random places (at least one).
fn insert(s: &str, r: &mut Rng, cps: &[u32]) -> Option<String> {
    let every = r.chance(0.5);
    let chars: Vec<char> = s.chars().collect();
    let gaps: Vec<usize> = (1..chars.len())
        .filter(|&i| alnum(chars[i - 1]) && alnum(chars[i]))
        .collect();
    if gaps.is_empty() {
        return None;
    }
    let forced = *r.pick(&gaps);
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if gaps.contains(&i) && (every || i == forced || r.chance(0.4)) {
            out.push(ch(*r.pick(cps)));
        }
        out.push(c);
    }
    changed(s, out)
}

fn tag_characters(s: &str, r: &mut Rng) -> Option<String> {
    let tags: Vec<u32> = (0xE0020..=0xE007E).collect();
    let mut out = insert(s, r, &tags)?;
    // A run of tags, as smuggled text arrives, not one at a time.
    out.extend((0..r.range(1, 4)).map(|_| ch(*r.pick(&tags))));
    Some(out)
}

fn variation_selectors(s: &str, r: &mut Rng) -> Option<String> {
    let vs: Vec<u32> = (0xFE00..=0xFE0F).chain(0xE0100..=0xE01EF).collect();
    let out = map(s, |c| {
        (alnum(c) && r.chance(0.5)).then(|| {
            (0..r.range(1, 3)).fold(c.to_string(), |mut a, _| {
                a.push(ch(*r.pick(&vs)));
                a
            })
        })
    });
    changed(s, out).or_else(|| insert(s, r, &vs))
}

/// Left-to-right marks, embeddings, overrides and isolates around or inside
/// the text: none changes the display of left-to-right text.
fn bidi_marks(s: &str, r: &mut Rng) -> Option<String> {
    let mut out = insert(s, r, &[0x200E])?;
    let (open, close) = *r.pick(&[
        (0x2066, 0x2069),
        (0x2068, 0x2069),
        (0x202A, 0x202C),
        (0x202D, 0x202C),
    ]);
    let n = out.chars().count();
    let cut = r.below(n);
    let (a, b): (String, String) =
        (out.chars().take(cut).collect(), out.chars().skip(cut).collect());
    out = format!("{a}{}{b}{}", ch(open), ch(close));
    Some(out)
}

/// Trojan Source: the text stored backwards inside a right-to-left
/// override, so it displays in its original order.
fn rlo_reversed(s: &str, r: &mut Rng) -> Option<String> {
    let rev: String = s.chars().rev().collect();
    // RLO…PDF displays its content reversed; an isolate around it (RLI…PDI)
    // keeps the rest of the sentence out of it.
    let inner = format!("\u{202E}{rev}\u{202C}");
    Some(if r.chance(0.5) {
        inner
    } else {
        format!("\u{2067}{inner}\u{2069}")
    })
}

fn combining_marks(s: &str, r: &mut Rng) -> Option<String> {
    // U+034F (grapheme joiner) is invisible, the rest are diacritics.
    let marks: Vec<u32> = (0x300..=0x36F).collect();
    let out = map(s, |c| {
        (alnum(c) && r.chance(0.7)).then(|| {
            let mut a = c.to_string();
            a.extend((0..r.range(1, 3)).map(|_| ch(*r.pick(&marks))));
            a
        })
    });
    changed(s, out)
}

fn overlay_marks(s: &str, r: &mut Rng) -> Option<String> {
    // strike (long, short), slash, underline, double underline
    let m = ch(*r.pick(&[0x336, 0x335, 0x338, 0x332, 0x333]));
    changed(s, map(s, |c| (c != ' ').then(|| format!("{c}{m}"))))
}

fn enclosing_marks(s: &str, r: &mut Rng) -> Option<String> {
    // combining enclosing circle, square, keycap
    let m = ch(*r.pick(&[0x20DD, 0x20DE, 0x20E3]));
    changed(s, map(s, |c| alnum(c).then(|| format!("{c}{m}"))))
}

fn precomposed_accents(s: &str, r: &mut Rng) -> Option<String> {
    const ACC: &[(char, &str)] = &[
        ('a', "áàâäãå"),
        ('e', "éèêë"),
        ('i', "íìîï"),
        ('o', "óòôöõ"),
        ('u', "úùûü"),
        ('c', "ç"),
        ('n', "ñ"),
        ('s', "š"),
        ('y', "ýÿ"),
        ('z', "ž"),
    ];
    let out = map(s, |c| {
        let alts = ACC.iter().find(|(k, _)| *k == c)?.1;
        r.chance(0.5)
            .then(|| r.pick(&alts.chars().collect::<Vec<_>>()).to_string())
    });
    changed(s, out)
}

fn fullwidth(s: &str, _: &mut Rng) -> Option<String> {
    changed(
        s,
        map(s, |c| {
            ('!'..='~').contains(&c).then(|| ch(c as u32 + 0xFEE0).to_string())
        }),
    )
}

/// One style of the Mathematical Alphanumeric Symbols block: (capital A,
/// small a, digit zero or 0 when the style has no digits).
const MATH: &[(u32, u32, u32)] = &[
    (0x1D400, 0x1D41A, 0x1D7CE), // bold
    (0x1D434, 0x1D44E, 0),       // italic
    (0x1D468, 0x1D482, 0x1D7CE), // bold italic (bold digits)
    (0x1D4D0, 0x1D4EA, 0),       // bold script
    (0x1D56C, 0x1D586, 0),       // bold fraktur
    (0x1D538, 0x1D552, 0x1D7D8), // double-struck
    (0x1D5A0, 0x1D5BA, 0x1D7E2), // sans-serif
    (0x1D5D4, 0x1D5EE, 0x1D7EC), // sans-serif bold
    (0x1D670, 0x1D68A, 0x1D7F6), // monospace
];

fn math_alphanumeric(s: &str, r: &mut Rng) -> Option<String> {
    let (cap, small, zero) = *r.pick(MATH);
    let out = map(s, |c| {
        let cp = match c {
            // The letters Unicode encoded earlier, in Letterlike Symbols.
            'h' if small == 0x1D44E => 0x210E,
            'C' | 'H' | 'N' | 'P' | 'Q' | 'R' | 'Z' if cap == 0x1D538 => {
                [0x2102, 0x210D, 0x2115, 0x2119, 0x211A, 0x211D, 0x2124]
                    ["CHNPQRZ".find(c).unwrap_or(0)]
            }
            'A'..='Z' => cap + (c as u32 - 'A' as u32),
            'a'..='z' => small + (c as u32 - 'a' as u32),
            '0'..='9' if zero != 0 => zero + (c as u32 - '0' as u32),
            _ => return None,
        };
        Some(ch(cp).to_string())
    });
    changed(s, out)
}

fn enclosed(s: &str, r: &mut Rng) -> Option<String> {
    // Parenthesized letters exist in small letters only: not for a key.
    let paren = r.chance(0.4) && !matches_key(s);
    let out = map(s, |c| {
        let cp = match c {
            '0' => 0x24EA,
            '1'..='9' if paren => 0x2474 + (c as u32 - '1' as u32),
            '1'..='9' => 0x2460 + (c as u32 - '1' as u32),
            'a'..='z' | 'A'..='Z' if paren => {
                0x249C + (c.to_ascii_lowercase() as u32 - 'a' as u32)
            }
            'A'..='Z' => 0x24B6 + (c as u32 - 'A' as u32),
            'a'..='z' => 0x24D0 + (c as u32 - 'a' as u32),
            _ => return None,
        };
        Some(ch(cp).to_string())
    });
    changed(s, out)
}

fn negative_squared(s: &str, r: &mut Rng) -> Option<String> {
    // negative circled, squared, negative squared capitals
    let base = *r.pick(&[0x1F150, 0x1F130, 0x1F170]);
    let digits = *r.pick(&[0x2776, 0x2780, 0x278A]); // ❶ ➀ ➊ (1..9)
    let out = map(s, |c| {
        let cp = match c {
            '0' => 0x24FF,
            '1'..='9' => digits + (c as u32 - '1' as u32),
            // Capitals only: a key's small letters stay small.
            'a'..='z' if matches_key(s) => return None,
            'a'..='z' | 'A'..='Z' => {
                base + (c.to_ascii_uppercase() as u32 - 'A' as u32)
            }
            _ => return None,
        };
        Some(ch(cp).to_string())
    });
    changed(s, out)
}

fn keycap(s: &str, r: &mut Rng) -> Option<String> {
    let vs16 = r.chance(0.8);
    let out = map(s, |c| {
        c.is_ascii_digit().then(|| {
            format!("{c}{}{}", if vs16 { "\u{FE0F}" } else { "" }, '\u{20E3}')
        })
    });
    changed(s, out)
}

fn regional_indicators(s: &str, r: &mut Rng) -> Option<String> {
    // Two neighbouring indicators would render as a flag, so each letter
    // stands apart (a space or a zero-width space), as generators do.
    let sep = if r.chance(0.5) { " " } else { "\u{200B}" };
    let mut out = String::new();
    for w in s.split(' ') {
        if !out.is_empty() {
            out.push_str("   ");
        }
        let letters: Vec<String> = w
            .chars()
            .map(|c| match c {
                'a'..='z' | 'A'..='Z' => {
                    ch(0x1F1E6 + (c.to_ascii_lowercase() as u32 - 'a' as u32))
                        .to_string()
                }
                _ => c.to_string(),
            })
            .collect();
        out.push_str(&letters.join(sep));
    }
    changed(s, out)
}

fn small_caps(s: &str, _: &mut Rng) -> Option<String> {
    const SC: &str = "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘqʀꜱᴛᴜᴠᴡxʏᴢ";
    let sc: Vec<char> = SC.chars().collect();
    changed(
        s,
        map(s, |c| {
            // Small capitals look like capitals: a key's small letters
            // stay, and so do Q and X, which have none.
            let keep = matches!(c, 'q' | 'x' | 'Q' | 'X')
                || (matches_key(s) && c.is_ascii_lowercase());
            (c.is_ascii_alphabetic() && !keep).then(|| {
                sc[(c.to_ascii_lowercase() as u8 - b'a') as usize].to_string()
            })
        }),
    )
}

fn super_subscript(s: &str, r: &mut Rng) -> Option<String> {
    const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let sub = r.chance(0.5);
    let out = map(s, |c| {
        let d = c.to_digit(10)?;
        Some(if sub { ch(0x2080 + d) } else { SUP[d as usize] }.to_string())
    });
    changed(s, out)
}

fn native_digits(s: &str, r: &mut Rng) -> Option<String> {
    // Arabic-Indic, Extended Arabic-Indic (Persian), Devanagari, Bengali, Thai
    let zero = *r.pick(&[0x660, 0x6F0, 0x966, 0x9E6, 0xE50]);
    changed(s, map(s, |c| c.to_digit(10).map(|d| ch(zero + d).to_string())))
}

fn compatibility_letters(s: &str, r: &mut Rng) -> Option<String> {
    const LIG: &[(&str, char)] = &[
        ("ffi", 'ﬃ'),
        ("ffl", 'ﬄ'),
        ("ff", 'ﬀ'),
        ("fi", 'ﬁ'),
        ("fl", 'ﬂ'),
        ("st", 'ﬆ'),
    ];
    const SYM: &[(char, char)] = &[
        ('e', 'ℯ'),
        ('g', 'ℊ'),
        ('h', 'ℎ'),
        ('l', 'ℓ'),
        ('i', 'ⅰ'),
        ('c', 'ⅽ'),
        ('d', 'ⅾ'),
        ('m', 'ⅿ'),
        ('v', 'ⅴ'),
        ('x', 'ⅹ'),
    ];
    let mut out = s.to_string();
    for (from, to) in LIG {
        out = out.replace(from, &to.to_string());
    }
    let out = map(&out, |c| {
        let to = SYM.iter().find(|(k, _)| *k == c)?.1;
        r.chance(0.6).then(|| to.to_string())
    });
    changed(s, out)
}

// ---------------------------------------------------------------------------
// Look-alikes and leetspeak.

const CYRILLIC: &[(char, &str)] = &[
    ('a', "а"),
    ('c', "с"),
    ('e', "е"),
    ('o', "о"),
    ('p', "р"),
    ('x', "х"),
    ('y', "у"),
    ('i', "і"),
    ('j', "ј"),
    ('s', "ѕ"),
    ('h', "һ"),
    ('d', "ԁ"),
    ('q', "ԛ"),
    ('w', "ԝ"),
    ('l', "ӏ"),
    ('A', "А"),
    ('B', "В"),
    ('C', "С"),
    ('E', "Е"),
    ('H', "Н"),
    ('I', "І"),
    ('J', "Ј"),
    ('K', "К"),
    ('M', "М"),
    ('O', "О"),
    ('P', "Р"),
    ('S', "Ѕ"),
    ('T', "Т"),
    ('X', "Х"),
    ('Y', "Ү"),
];

const GREEK: &[(char, &str)] = &[
    ('o', "ο"),
    ('v', "ν"),
    ('p', "ρ"),
    ('i', "ι"),
    ('k', "κ"),
    ('u', "υ"),
    ('a', "α"),
    ('t', "τ"),
    ('n', "η"),
    ('x', "χ"),
    ('y', "γ"),
    ('A', "Α"),
    ('B', "Β"),
    ('E', "Ε"),
    ('H', "Η"),
    ('I', "Ι"),
    ('K', "Κ"),
    ('M', "Μ"),
    ('N', "Ν"),
    ('O', "Ο"),
    ('P', "Ρ"),
    ('T', "Τ"),
    ('X', "Χ"),
    ('Y', "Υ"),
    ('Z', "Ζ"),
];

/// Armenian, Latin IPA letters and symbols for small letters; Cherokee and
/// Lisu capitals for capital letters (a small word reads the same in
/// capitals).
const OTHER_SMALL: &[(char, &str)] = &[
    ('o', "օ"),
    ('u', "ս∪"),
    ('h', "հ"),
    ('n', "ո"),
    ('a', "ɑ"),
    ('g', "ɡ"),
    ('i', "ı"),
];
const OTHER_CAPS: &[(char, &str)] = &[
    ('A', "Ꭺꓮ"),
    ('B', "Ᏼꓐ"),
    ('C', "Ꮯꓚ"),
    ('D', "ꓓ"),
    ('E', "Ꭼꓰ"),
    ('F', "ꓝ"),
    ('G', "Ꮐꓖ"),
    ('H', "Ꮋꓧ"),
    ('I', "ꓲ"),
    ('J', "Ꭻꓙ"),
    ('K', "Ꮶꓗ"),
    ('L', "Ꮮꓡ"),
    ('M', "Ꮇꓟ"),
    ('N', "ꓠ"),
    ('P', "Ꮲꓑ"),
    ('R', "ꓣ"),
    ('S', "Ꮪꓢ"),
    ('T', "Ꭲꓔ"),
    ('U', "ꓴ"),
    ('V', "Ꮩꓦ"),
    ('W', "Ꮃꓪ"),
    ('X', "ꓫ"),
    ('Y', "ꓬ"),
    ('Z', "Ꮓꓜ"),
];

/// Replaces letters that have a look-alike in `table`, each with
/// probability `p` (at least one).
fn lookalikes(
    s: &str,
    r: &mut Rng,
    table: &[(char, &str)],
    p: f64,
) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let able: Vec<usize> = (0..chars.len())
        .filter(|&i| table.iter().any(|(k, _)| *k == chars[i]))
        .collect();
    if able.is_empty() {
        return None;
    }
    let forced = *r.pick(&able);
    let out = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| match table.iter().find(|(k, _)| *k == c) {
            Some((_, alts)) if i == forced || r.chance(p) => {
                r.pick(&alts.chars().collect::<Vec<_>>()).to_string()
            }
            _ => c.to_string(),
        })
        .collect();
    changed(s, out)
}

fn other_lookalikes(s: &str, r: &mut Rng) -> Option<String> {
    if s.chars().any(|c| c.is_ascii_lowercase()) && r.chance(0.5) {
        if let Some(out) = lookalikes(s, r, OTHER_SMALL, 0.7) {
            return Some(out);
        }
    }
    let caps = if s.chars().any(|c| c.is_ascii_lowercase()) && !matches_key(s)
    {
        s.to_uppercase()
    } else {
        s.to_string()
    };
    lookalikes(&caps, r, OTHER_CAPS, 0.7)
}

/// A secret keeps its case (changing it changes the key): the bases' keys
/// start with these prefixes.
fn matches_key(s: &str) -> bool {
    s.starts_with("ghp_") || s.starts_with("AKIA")
}

const LEET_BASIC: &[(char, &str)] =
    &[('a', "4"), ('e', "3"), ('i', "1"), ('o', "0"), ('s', "5"), ('t', "7")];
const LEET_SYMBOLS: &[(char, &str)] = &[
    ('a', "@"),
    ('s', "$"),
    ('i', "!"),
    ('l', "|"),
    ('g', "96"),
    ('b', "8"),
    ('c', "("),
    ('t', "+"),
    ('e', "€"),
    ('o', "0"),
];

fn leet(
    s: &str,
    r: &mut Rng,
    table: &[(char, &str)],
    p: f64,
) -> Option<String> {
    // Only the word part of a link: the scheme stays readable.
    let (head, body) = s.split_once("://").map_or(("", s), |(h, b)| (h, b));
    let body = lookalikes(&body.to_lowercase(), r, table, p)?;
    Some(if head.is_empty() { body } else { format!("{head}://{body}") })
}

// ---------------------------------------------------------------------------
// Spacing, separators and layout.

fn letter_spacing(s: &str, r: &mut Rng) -> Option<String> {
    let gap = *r.pick(&["   ", "  ", " / "]);
    let words: Vec<String> = s
        .split(' ')
        .map(|w| w.chars().map(String::from).collect::<Vec<_>>().join(" "))
        .collect();
    changed(s, words.join(gap))
}

fn punctuation_injection(s: &str, r: &mut Rng) -> Option<String> {
    let seps = [".", "-", "_", "*", "·", "•", "|", "/", "~", "+", ","];
    if r.chance(0.5) {
        // v.i.a.g.r.a: one separator between every letter of every word.
        let sep = *r.pick(&seps);
        let words: Vec<String> = s
            .split(' ')
            .map(|w| w.chars().map(String::from).collect::<Vec<_>>().join(sep))
            .collect();
        changed(s, words.join(" "))
    } else {
        // A few injections at random places (pyleetspeak's camouflage).
        let cps: Vec<u32> = seps
            .iter()
            .map(|p| p.chars().next().unwrap_or('.') as u32)
            .collect();
        insert(s, r, &cps)
    }
}

fn elongation(s: &str, r: &mut Rng) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let letters: Vec<usize> =
        (0..chars.len()).filter(|&i| chars[i].is_alphabetic()).collect();
    let k = r.range(1, 2) as usize;
    let picks = r.sample(&letters, k);
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        if picks.contains(&i) {
            out.extend(std::iter::repeat_n(c, r.range(2, 5) as usize));
        }
    }
    changed(s, out)
}

fn case_mixing(s: &str, r: &mut Rng) -> Option<String> {
    let mode = r.below(3);
    let mut up = r.chance(0.5);
    let out = map(s, |c| {
        up = !up;
        Some(match mode {
            0 => c.to_uppercase().to_string(),
            1 if up => c.to_uppercase().to_string(),
            1 => c.to_lowercase().to_string(),
            _ if r.chance(0.5) => c.to_uppercase().to_string(),
            _ => c.to_lowercase().to_string(),
        })
    });
    changed(s, out)
}

/// Characters with Unicode's White_Space property, other than the space.
const SPACES: &[u32] = &[
    0x9, 0xB, 0xC, 0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
    0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F,
    0x205F, 0x3000,
];
/// Blank letters and symbols used where a space is wanted.
const FILLERS: &[u32] = &[0x3164, 0xFFA0, 0x115F, 0x1160, 0x2800];

fn respace(s: &str, r: &mut Rng, with: &[u32]) -> Option<String> {
    changed(s, map(s, |c| (c == ' ').then(|| ch(*r.pick(with)).to_string())))
}

fn line_break_split(s: &str, r: &mut Rng) -> Option<String> {
    let brk = *r
        .pick(&["\n", "\r\n", "\n  ", "\n- ", "\n> ", "\n• ", "\n\t", "\n\n"]);
    let chars: Vec<char> = s.chars().collect();
    let spaces: Vec<usize> =
        (0..chars.len()).filter(|&i| chars[i] == ' ').collect();
    let (cut, skip) = if spaces.is_empty() {
        // One token (a key, a link): break it in the middle.
        (chars.len() / 2 + r.below(chars.len() / 4 + 1), 0)
    } else {
        (*r.pick(&spaces), 1)
    };
    let a: String = chars[..cut].iter().collect();
    let b: String = chars[cut + skip..].iter().collect();
    Some(format!("{a}{brk}{b}"))
}

fn emoji_separators(s: &str, r: &mut Rng) -> Option<String> {
    let e = *r.pick(&["👏", "🔥", "💳", "✨", "➡️", "💰", "🚀", "👉"]);
    let spaced = r.chance(0.6);
    let sep = if spaced { format!(" {e} ") } else { e.to_string() };
    changed(s, s.replace(' ', &sep))
}

fn markdown(s: &str, r: &mut Rng) -> Option<String> {
    let (open, close) = *r.pick(&[
        ("**", "**"),
        ("__", "__"),
        ("~~", "~~"),
        ("||", "||"),
        ("`", "`"),
        ("*", "*"),
        ("_", "_"),
    ]);
    let words: Vec<&str> = s.split(' ').collect();
    let out = if r.chance(0.4) || words.len() == 1 {
        // Part of one word: **guaran**teed, `AKIA`4QWERTY….
        let i = r.below(words.len());
        let w: Vec<char> = words[i].chars().collect();
        let cut = 1 + r.below(w.len().max(2) - 1);
        let mut ws: Vec<String> =
            words.iter().map(|w| w.to_string()).collect();
        ws[i] = format!(
            "{open}{}{close}{}",
            w[..cut].iter().collect::<String>(),
            w[cut..].iter().collect::<String>()
        );
        ws.join(" ")
    } else {
        words
            .iter()
            .map(|w| {
                if r.chance(0.5) {
                    format!("{open}{w}{close}")
                } else {
                    w.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    changed(s, out).or_else(|| Some(format!("{open}{s}{close}")))
}

fn apostrophes(s: &str, r: &mut Rng) -> Option<String> {
    let alt = *r.pick(&['’', 'ʼ', '´', '`', '′', '‘', '＇', 'ʹ', 'ꞌ']);
    changed(s, s.replace('\'', &alt.to_string()))
}

fn dashes(s: &str, r: &mut Rng) -> Option<String> {
    let alt = *r.pick(&['‐', '‑', '‒', '–', '—', '―', '−', '﹣', '－']);
    changed(s, s.replace('-', &alt.to_string()))
}

// ---------------------------------------------------------------------------
// Numbers.

/// The digits (or what stands for them) without their group separators.
fn digits_of(s: &str) -> Vec<char> {
    s.chars().filter(|c| !matches!(c, ' ' | '-')).collect()
}

fn digit_separators(s: &str, r: &mut Rng) -> Option<String> {
    let seps = [
        " . ", " / ", "_", "|", " | ", "~", " - ", ".", "/", "  ", "\t", ", ",
        " ", "-",
    ];
    let sep = *r.pick(&seps);
    if s.chars().take(2).all(|c| c.is_ascii_alphabetic()) {
        // An IBAN: keep its groups, change what joins them.
        return changed(s, s.replace(' ', sep));
    }
    let ds = digits_of(s);
    let mut out = String::new();
    let mut i = 0;
    while i < ds.len() {
        let n = if r.chance(0.2) { 1 } else { r.range(2, 5) as usize };
        if i > 0 {
            out.push_str(sep);
        }
        out.extend(&ds[i..(i + n).min(ds.len())]);
        i += n;
    }
    changed(s, out)
}

fn letters_for_digits(s: &str, r: &mut Rng) -> Option<String> {
    const FOR: &[(char, &str)] =
        &[('0', "OoОΟ"), ('1', "lI|ӏ"), ('3', "З"), ('6', "б")];
    // Only inside the digits: an IBAN's letters stay as they are.
    let chars: Vec<char> = s.chars().collect();
    let able: Vec<usize> = (0..chars.len())
        .filter(|&i| FOR.iter().any(|(k, _)| *k == chars[i]))
        .filter(|&i| {
            i >= 4 || !s.starts_with(|c: char| c.is_ascii_alphabetic())
        })
        .collect();
    if able.is_empty() {
        return None;
    }
    let forced = *r.pick(&able);
    let out = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| match FOR.iter().find(|(k, _)| *k == c) {
            Some((_, alts))
                if able.contains(&i) && (i == forced || r.chance(0.5)) =>
            {
                r.pick(&alts.chars().collect::<Vec<_>>()).to_string()
            }
            _ => c.to_string(),
        })
        .collect();
    changed(s, out)
}

fn spelled_digits(s: &str, r: &mut Rng) -> Option<String> {
    const WORDS: [&str; 10] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven",
        "eight", "nine",
    ];
    let mix = r.chance(0.25);
    let caps = r.chance(0.2);
    let group_sep = *r.pick(&[", ", " - ", " / ", "  ", " "]);
    let groups: Vec<String> = s
        .split([' ', '-'])
        .map(|g| {
            g.chars()
                .map(|c| match c.to_digit(10) {
                    Some(_) if mix && r.chance(0.4) => c.to_string(),
                    Some(d) if caps => WORDS[d as usize].to_uppercase(),
                    Some(d) => WORDS[d as usize].to_string(),
                    None => c.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    changed(s, groups.join(group_sep))
}

// ---------------------------------------------------------------------------
// Links, secrets, IBANs.

fn defang(s: &str, r: &mut Rng) -> Option<String> {
    let dot = *r.pick(&["[.]", "(.)", "[dot]", " dot ", "{.}", " . "]);
    let (scheme, rest) = s.split_once("://")?;
    let (host, path) =
        rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
    let scheme = if r.chance(0.7) {
        scheme.replace("tt", "xx")
    } else {
        scheme.to_string()
    };
    let sep = if r.chance(0.3) { "[://]" } else { "://" };
    let host = host.replace('.', dot);
    let path =
        if path.is_empty() { String::new() } else { format!("/{path}") };
    Some(if r.chance(0.2) {
        format!("{host}{path}")
    } else {
        format!("{scheme}{sep}{host}{path}")
    })
}

fn idn_dots(s: &str, r: &mut Rng) -> Option<String> {
    let dot = *r.pick(&['。', '．', '｡']);
    let (scheme, rest) = s.split_once("://")?;
    let (host, path) =
        rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
    let host =
        if r.chance(0.3) { fullwidth(host, r)? } else { host.to_string() };
    let host = host.replace(['.', '．'], &dot.to_string());
    let scheme =
        if r.chance(0.5) { format!("{scheme}://") } else { String::new() };
    Some(format!("{scheme}{host}/{path}"))
}

fn secret_split(s: &str, r: &mut Rng) -> Option<String> {
    let sep = *r.pick(&[" ", "  ", "\n", "\t", " - ", "\r\n"]);
    let chars: Vec<char> = s.chars().collect();
    let parts = r.range(2, 4) as usize;
    let size = chars.len().div_ceil(parts);
    Some(
        chars
            .chunks(size)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(sep),
    )
}

fn iban_regroup(s: &str, r: &mut Rng) -> Option<String> {
    let compact: String = s.chars().filter(|c| *c != ' ').collect();
    let compact = if r.chance(0.5) { compact.to_lowercase() } else { compact };
    let out = match r.below(3) {
        0 => compact,
        1 => {
            let size = r.range(2, 6) as usize;
            let cs: Vec<char> = compact.chars().collect();
            cs.chunks(size)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join(" ")
        }
        _ => {
            // Uneven groups, as typed from a letter.
            let cs: Vec<char> = compact.chars().collect();
            let mut out = String::new();
            let mut i = 0;
            while i < cs.len() {
                let n = r.range(3, 6) as usize;
                if i > 0 {
                    out.push(' ');
                }
                out.extend(&cs[i..(i + n).min(cs.len())]);
                i += n;
            }
            out
        }
    };
    changed(s, out)
}
