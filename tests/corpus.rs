//! Detection quality on generated social-media posts.
//!
//! A deterministic generator (splitmix64, fixed seed) writes realistic
//! posts of four classes:
//!
//! - **pii**: a customer's payment card (Visa, Mastercard 5- and 2-series,
//!   Amex, Discover, Diners, JCB, UnionPay; Luhn-valid; compact, 4-4-4-4,
//!   4-6-5 / 4-6-4 and dashed), US SSN (dashes, spaces, or bare next to SSN
//!   words), IBAN (40 countries, computed mod-97 check digits, compact or in
//!   groups of four) or ABA routing / account number next to banking words,
//!   or several of these in one post; now and then with no-break spaces or
//!   en dashes between the groups, as pasted from a web page;
//! - **promissory**: guarantee and no-risk language ("guaranteed returns",
//!   "risk-free investment", "can't lose", "double your money" and kin) in
//!   lower, UPPER and Title case, with straight or typographic apostrophes
//!   (and the odd non-breaking hyphen);
//! - **ordinary**: a bank's everyday posts, full of hard negatives: order,
//!   invoice and tracking numbers that fail Luhn, SSN-shaped numbers in
//!   never-issued ranges, IBAN-shaped strings with bad check digits, prices,
//!   dates, branch phone numbers, tickers, ISBNs, percentages, and near
//!   misses of the promissory phrases ("free returns", "double your
//!   impact", "a guaranteed seat", "risk of rain");
//! - **music**: a label's and artists' promotion (tour dates, merch,
//!   streaming links, explicit lyrics, and the music pack's near misses).
//!
//! Hard negatives are checked to be what they claim: order and tracking
//! numbers fail Luhn and no run of their digit groups is a card number,
//! SSN-shaped numbers break the SSA rules, IBAN-shaped strings fail mod-97
//! (and hide no card number in their groups either).
//!
//! Thresholds: financial-institution blocks >= 99% of PII and of
//! promissory posts, allows >= 98% of ordinary posts and blocks <= 0.5%;
//! music-label warns or blocks >= 99% of the PII posts (and, per SPEC §4,
//! blocks < 1% of them) and allows >= 98% of promotional posts.
//!
//! Spans: a planted value counts as found only when some reason's span is
//! **exactly** the planted bytes (the validators trim their matches to the
//! valid number, so nothing less precise is needed; an excerpt masked
//! around the wrong bytes would leak digits).
//!
//! Every failure message gives the rate, a breakdown by kind and the first
//! failing posts with their reasons.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::OnceLock;

use preclear::{Decision, Policy, Screener, Verdict};

use crate::support::{card_brand_ok, iban_length, iban_mod97, luhn, Rng};

const SEED: u64 = 0x7072_6563_6c65_6172; // "preclear"

const CARD_POSTS: usize = 800;
const SSN_POSTS: usize = 700;
const IBAN_POSTS: usize = 800;
const BANK_POSTS: usize = 700;
const COMBO_POSTS: usize = 200;
const PROMISSORY_POSTS: usize = 1500;
const ORDINARY_POSTS: usize = 2000;
const MUSIC_POSTS: usize = 1500;

// ---------------------------------------------------------------------------
// Numbers: valid ones to plant, invalid ones for hard negatives.

fn to_digits(s: &str) -> Vec<u8> {
    s.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect()
}

/// The digit that makes `payload` followed by it pass Luhn.
pub(crate) fn luhn_check_digit(payload: &[u8]) -> u8 {
    let mut digits = payload.to_vec();
    digits.push(0);
    let last = digits.len() - 1;
    (0..10)
        .find(|&d| {
            digits[last] = d;
            luhn(&digits)
        })
        .expect("one of ten check digits passes Luhn")
}

/// True if some run of whole groups of `s` (digit groups split by single
/// spaces, dots or dashes; a group with a letter ends a run) is a card
/// number: 12-19 digits, a known brand prefix and length, Luhn-valid.
fn has_card_run(s: &str) -> bool {
    let mut runs: Vec<Vec<Vec<u8>>> = vec![Vec::new()];
    for token in s.split([' ', '.', '-', '/', ',', '(', ')', '+', '#']) {
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            runs.last_mut().unwrap().push(to_digits(token));
        } else {
            runs.push(Vec::new());
        }
    }
    runs.iter().any(|groups| {
        (0..groups.len()).any(|a| {
            (a + 1..=groups.len()).any(|b| {
                let ds: Vec<u8> = groups[a..b].concat();
                (12..=19).contains(&ds.len())
                    && card_brand_ok(&ds)
                    && luhn(&ds)
            })
        })
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Brand {
    Visa,
    Mastercard5,
    Mastercard2,
    Amex,
    Discover,
    Diners,
    Jcb,
    UnionPay,
}

const BRANDS: &[Brand] = &[
    Brand::Visa,
    Brand::Mastercard5,
    Brand::Mastercard2,
    Brand::Amex,
    Brand::Discover,
    Brand::Diners,
    Brand::Jcb,
    Brand::UnionPay,
];

impl Brand {
    fn label(self, rng: &mut Rng) -> &'static str {
        match self {
            Brand::Visa => {
                rng_pick_owned(rng, &["Visa", "VISA", "visa", "Visa debit"])
            }
            Brand::Mastercard5 | Brand::Mastercard2 => rng_pick_owned(
                rng,
                &["Mastercard", "MasterCard", "mastercard", "MC"],
            ),
            Brand::Amex => {
                rng_pick_owned(rng, &["Amex", "AmEx", "American Express"])
            }
            Brand::Discover => rng_pick_owned(rng, &["Discover", "discover"]),
            Brand::Diners => {
                rng_pick_owned(rng, &["Diners Club", "Diners", "diners"])
            }
            Brand::Jcb => rng_pick_owned(rng, &["JCB", "jcb"]),
            Brand::UnionPay => {
                rng_pick_owned(rng, &["UnionPay", "China UnionPay"])
            }
        }
    }
}

/// A Luhn-valid card number of `brand`, digits only.
fn card_number(rng: &mut Rng, brand: Brand) -> String {
    let (prefix, len) = match brand {
        Brand::Visa => ("4".to_string(), 16),
        Brand::Mastercard5 => (format!("5{}", rng.range(1, 5)), 16),
        Brand::Mastercard2 => (rng.range(2221, 2720).to_string(), 16),
        Brand::Amex => (rng.pick(&["34", "37"]).to_string(), 15),
        Brand::Discover => {
            let p = match rng.below(3) {
                0 => "6011".to_string(),
                1 => format!("64{}", rng.range(4, 9)),
                _ => "65".to_string(),
            };
            (p, 16)
        }
        Brand::Diners => {
            let p = match rng.below(3) {
                0 => format!("30{}", rng.range(0, 5)),
                1 => "36".to_string(),
                _ => "38".to_string(),
            };
            (p, 14)
        }
        Brand::Jcb => (rng.range(3528, 3589).to_string(), 16),
        Brand::UnionPay => {
            ("62".to_string(), if rng.chance(0.2) { 19 } else { 16 })
        }
    };
    let mut payload = to_digits(&prefix);
    while payload.len() < len - 1 {
        payload.push(rng.digit());
    }
    let check = luhn_check_digit(&payload);
    payload.push(check);
    payload.iter().map(|d| char::from(b'0' + d)).collect()
}

fn group(digits: &str, sizes: &[usize], sep: &str) -> String {
    let mut out = String::new();
    let mut at = 0;
    for (i, &n) in sizes.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(&digits[at..at + n]);
        at += n;
    }
    assert_eq!(at, digits.len(), "grouping {sizes:?} of {digits}");
    out
}

/// Now and then a value pasted from a web page or a word processor comes
/// with no-break spaces or en dashes between its groups.
fn typographic(rng: &mut Rng, value: String) -> String {
    if !rng.chance(0.05) {
        value
    } else if value.contains(' ') {
        value.replace(' ', "\u{a0}")
    } else {
        value.replace('-', "\u{2013}")
    }
}

/// How a card is written: compact, in its usual groups with spaces, or
/// with dashes.
fn format_card(rng: &mut Rng, digits: &str) -> (String, &'static str) {
    let sizes: &[usize] = match digits.len() {
        14 => &[4, 6, 4],
        15 => &[4, 6, 5],
        16 => &[4, 4, 4, 4],
        19 => &[4, 4, 4, 4, 3],
        n => panic!("card length {n}"),
    };
    match rng.below(20) {
        0..=5 => (digits.to_string(), "compact"),
        6..=14 => (group(digits, sizes, " "), "spaced"),
        _ => (group(digits, sizes, "-"), "dashed"),
    }
}

fn ssn_valid(area: u32, group: u32, serial: u32) -> bool {
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && group < 100
        && serial < 10000
}

fn valid_ssn(rng: &mut Rng) -> (u32, u32, u32) {
    loop {
        let area = rng.range(1, 899);
        let (group, serial) = (rng.range(1, 99), rng.range(1, 9999));
        if ssn_valid(area, group, serial) {
            return (area, group, serial);
        }
    }
}

/// An SSN-shaped number that the SSA never issues.
fn invalid_ssn(rng: &mut Rng) -> (u32, u32, u32) {
    let (mut area, mut group, mut serial) = valid_ssn(rng);
    match rng.below(5) {
        0 => area = 0,
        1 => area = 666,
        2 => area = rng.range(900, 999),
        3 => group = 0,
        _ => serial = 0,
    }
    assert!(!ssn_valid(area, group, serial));
    (area, group, serial)
}

fn format_ssn((a, g, s): (u32, u32, u32), sep: &str) -> String {
    format!("{a:03}{sep}{g:02}{sep}{s:04}")
}

/// Countries and their BBAN layout (SWIFT IBAN registry: `n` digits, `a`
/// upper-case letters, `c` letters or digits).
pub(crate) const IBAN_COUNTRIES: &[(&str, &str)] = &[
    ("AD", "4n4n12c"),
    ("AE", "3n16n"),
    ("AL", "8n16c"),
    ("AT", "5n11n"),
    ("BA", "3n3n8n2n"),
    ("BE", "3n7n2n"),
    ("BG", "4a4n2n8c"),
    ("BR", "8n5n10n1a1c"),
    ("CH", "5n12c"),
    ("CY", "3n5n16c"),
    ("CZ", "4n6n10n"),
    ("DE", "8n10n"),
    ("DK", "4n9n1n"),
    ("EE", "2n2n11n1n"),
    ("ES", "4n4n1n1n10n"),
    ("FI", "3n11n"),
    ("FR", "5n5n11c2n"),
    ("GB", "4a6n8n"),
    ("GR", "3n4n16c"),
    ("HR", "7n10n"),
    ("HU", "3n4n1n15n1n"),
    ("IE", "4a6n8n"),
    ("IS", "4n2n6n10n"),
    ("IT", "1a5n5n12c"),
    ("LT", "5n11n"),
    ("LU", "3n13c"),
    ("LV", "4a13c"),
    ("MT", "4a5n18c"),
    ("NL", "4a10n"),
    ("NO", "4n6n1n"),
    ("PK", "4a16c"),
    ("PL", "8n16n"),
    ("PT", "4n4n11n2n"),
    ("QA", "4a21c"),
    ("RO", "4a16c"),
    ("SA", "2n18c"),
    ("SE", "3n16n1n"),
    ("SI", "5n8n2n"),
    ("SK", "4n6n10n"),
    ("TR", "5n1n16c"),
];

fn bban(rng: &mut Rng, layout: &str) -> String {
    let mut out = String::new();
    let mut n = 0usize;
    for c in layout.chars() {
        if let Some(d) = c.to_digit(10) {
            n = n * 10 + d as usize;
            continue;
        }
        for _ in 0..n {
            let ch = match c {
                'n' => char::from(b'0' + rng.digit()),
                'a' => rng.upper(),
                'c' if rng.chance(0.15) => rng.upper(),
                'c' => char::from(b'0' + rng.digit()),
                _ => panic!("layout {layout}"),
            };
            out.push(ch);
        }
        n = 0;
    }
    out
}

pub(crate) fn mod97(s: &str) -> u32 {
    s.bytes().fold(0u32, |rem, b| match b {
        b'0'..=b'9' => (rem * 10 + u32::from(b - b'0')) % 97,
        b'A'..=b'Z' => (rem * 100 + u32::from(b - b'A') + 10) % 97,
        _ => panic!("not alphanumeric: {s}"),
    })
}

/// A valid compact IBAN of `cc`, check digits computed.
fn iban(rng: &mut Rng, cc: &str, layout: &str) -> String {
    let bban = bban(rng, layout);
    let check = 98 - mod97(&format!("{bban}{cc}00"));
    let iban = format!("{cc}{check:02}{bban}");
    let cc2 = [cc.as_bytes()[0], cc.as_bytes()[1]];
    assert_eq!(iban_length(&cc2), Some(iban.len()), "{iban}");
    assert!(iban_mod97(iban.as_bytes()), "{iban}");
    iban
}

fn iban_groups(compact: &str) -> String {
    let chars: Vec<char> = compact.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An IBAN as people write it: mostly in groups of four, sometimes compact,
/// rarely in lower case.
fn format_iban(rng: &mut Rng, compact: &str) -> (String, &'static str) {
    let (s, how) = if rng.chance(0.55) {
        (iban_groups(compact), "grouped")
    } else {
        (compact.to_string(), "compact")
    };
    if rng.chance(0.05) {
        (s.to_lowercase(), "lower")
    } else {
        (s, how)
    }
}

/// An IBAN-shaped string whose check digits are wrong, with no card
/// number hiding in its digit groups.
fn bad_iban(rng: &mut Rng) -> String {
    loop {
        let &(cc, layout) = rng.pick(IBAN_COUNTRIES);
        let good = iban(rng, cc, layout);
        let mut b = good.into_bytes();
        if rng.chance(0.5) {
            // Other check digits.
            let old = u32::from(b[2] - b'0') * 10 + u32::from(b[3] - b'0');
            let mut new = rng.range(2, 98);
            if new == old {
                new = if old == 98 { 2 } else { old + 1 };
            }
            b[2] = b'0' + (new / 10) as u8;
            b[3] = b'0' + (new % 10) as u8;
        } else {
            // One mistyped digit in the account part.
            let digits: Vec<usize> =
                (4..b.len()).filter(|&i| b[i].is_ascii_digit()).collect();
            let &i = rng.pick(&digits);
            b[i] = b'0' + (b[i] - b'0' + 1 + rng.below(9) as u8) % 10;
        }
        if iban_mod97(&b) {
            continue;
        }
        let s = String::from_utf8(b).unwrap();
        let s = if rng.chance(0.6) { iban_groups(&s) } else { s };
        if !has_card_run(&s) {
            return s;
        }
    }
}

fn aba_valid(ds: &[u8]) -> bool {
    if ds.len() != 9 {
        return false;
    }
    let prefix = ds[0] * 10 + ds[1];
    let w = [3u32, 7, 1];
    let sum: u32 =
        ds.iter().enumerate().map(|(i, &d)| w[i % 3] * u32::from(d)).sum();
    matches!(prefix, 0..=12 | 21..=32 | 61..=72 | 80)
        && ds.iter().any(|&d| d != 0)
        && sum % 10 == 0
}

/// A routing number with a Federal Reserve prefix and the 3-7-1 checksum.
fn routing_number(rng: &mut Rng) -> String {
    let prefixes: Vec<u32> =
        (1..=12).chain(21..=32).chain(61..=72).chain([80]).collect();
    let mut ds = to_digits(&format!("{:02}", rng.pick(&prefixes)));
    while ds.len() < 8 {
        ds.push(rng.digit());
    }
    let w = [3u32, 7, 1];
    let sum: u32 =
        ds.iter().enumerate().map(|(i, &d)| w[i % 3] * u32::from(d)).sum();
    ds.push(((10 - sum % 10) % 10) as u8);
    assert!(aba_valid(&ds));
    let s: String = ds.iter().map(|d| char::from(b'0' + d)).collect();
    if rng.chance(0.1) {
        group(&s, &[4, 4, 1], "-")
    } else {
        s
    }
}

/// An account number: 8-17 digits, now and then written in groups
/// (`1234-5678-90`, `0012 3456 7890`) as statements print them.
fn account_number(rng: &mut Rng) -> (String, bool) {
    let n = rng.range(8, 17) as usize;
    let ds = rng.digits(n);
    if n >= 10 && rng.chance(0.08) {
        let mut sizes = vec![4; n / 4];
        if n % 4 != 0 {
            sizes.push(n % 4);
        }
        let sep = if rng.chance(0.5) { "-" } else { " " };
        (group(&ds, &sizes, sep), true)
    } else {
        (ds, false)
    }
}

/// An order, invoice or case number: 8-19 digits that are not a card
/// number (the whole number fails Luhn, and no run of its groups passes).
fn order_number(rng: &mut Rng) -> String {
    loop {
        let n = rng.range(8, 19) as usize;
        let mut ds = to_digits(&rng.digits(n));
        ds[0] = ds[0].max(1);
        if luhn(&ds) {
            ds[n - 1] = (ds[n - 1] + 1) % 10;
        }
        assert!(!luhn(&ds));
        let s: String = ds.iter().map(|d| char::from(b'0' + d)).collect();
        let s = if n == 16 && rng.chance(0.4) {
            group(&s, &[4, 4, 4, 4], " ")
        } else {
            s
        };
        if !has_card_run(&s) {
            return s;
        }
    }
}

/// A parcel tracking number: USPS (22 digits, often in groups of four),
/// UPS (1Z…), FedEx (12 digits); never a card number.
fn tracking_number(rng: &mut Rng) -> String {
    loop {
        let s = match rng.below(4) {
            0 => format!("94{}", rng.digits(20)),
            1 => group(
                &format!("94{}", rng.digits(20)),
                &[4, 4, 4, 4, 4, 2],
                " ",
            ),
            2 => format!(
                "1Z{}{}{}",
                rng.alnum(3).to_uppercase(),
                rng.upper(),
                rng.digits(10)
            ),
            _ => rng.digits(12),
        };
        if !has_card_run(&s) && !luhn(&to_digits(&s)) {
            return s;
        }
    }
}

/// A valid ISBN-13 (978/979), hyphenated or not, or an ISBN-10.
fn isbn(rng: &mut Rng) -> String {
    if rng.chance(0.25) {
        let mut ds = to_digits(&rng.digits(9));
        let sum: u32 = ds
            .iter()
            .enumerate()
            .map(|(i, &d)| (10 - i as u32) * u32::from(d))
            .sum();
        let check = (11 - sum % 11) % 11;
        let c = if check == 10 { 'X' } else { char::from(b'0' + check as u8) };
        ds.truncate(9);
        let s: String = ds.iter().map(|d| char::from(b'0' + d)).collect();
        return format!("{}-{}-{}-{c}", &s[..1], &s[1..4], &s[4..9]);
    }
    let mut ds = to_digits(rng_pick_owned(rng, &["978", "979"]));
    while ds.len() < 12 {
        ds.push(rng.digit());
    }
    ds.push(ean_check_digit(&ds));
    let s: String = ds.iter().map(|d| char::from(b'0' + d)).collect();
    if rng.chance(0.6) {
        format!(
            "{}-{}-{}-{}-{}",
            &s[..3],
            &s[3..4],
            &s[4..7],
            &s[7..12],
            &s[12..]
        )
    } else {
        s
    }
}

/// The EAN-13 (and ISBN-13) check digit of 12 digits: weights 1, 3, 1, …
fn ean_check_digit(ds: &[u8]) -> u8 {
    let sum: u32 = ds
        .iter()
        .enumerate()
        .map(|(i, &d)| u32::from(d) * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// A valid EAN-13 barcode that is not also a card number.
fn ean13(rng: &mut Rng) -> String {
    loop {
        let mut ds =
            to_digits(rng_pick_owned(rng, &["50", "40", "87", "00", "76"]));
        while ds.len() < 12 {
            ds.push(rng.digit());
        }
        ds.push(ean_check_digit(&ds));
        let s: String = ds.iter().map(|d| char::from(b'0' + d)).collect();
        if !has_card_run(&s) {
            return s;
        }
    }
}

// ---------------------------------------------------------------------------
// Filler words.

const NAMES: &[&str] = &[
    "Maria", "James", "Priya", "Chen", "Fatima", "Tom", "Aisha", "Lukas",
    "Sofia", "Dave", "Olu", "Hannah", "Mateo", "Yuki", "Grace", "Ahmed",
    "Zoë", "Björn", "Nadia", "Kevin",
];
const CITIES: &[&str] = &[
    "Austin",
    "Boston",
    "Denver",
    "Miami",
    "Chicago",
    "Seattle",
    "Zürich",
    "São Paulo",
    "Montréal",
    "München",
    "Leeds",
    "Lyon",
    "Dublin",
    "Tampa",
    "Phoenix",
    "Oakland",
    "Brooklyn",
    "Portland",
    "Málaga",
    "Kraków",
];
const EMOJI: &[&str] = &[
    "🎉", "🙌", "😬", "💳", "🏦", "✅", "🙏", "😅", "👀", "🔥", "📈", "💸",
    "❤️", "🚀", "☕", "😂", "🥳", "👏",
];
const DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "tomorrow",
    "next week",
];
const MONTHS: &[&str] = &[
    "Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept",
    "Oct", "Nov", "Dec",
];
const BANK_TAGS: &[&str] = &[
    "#BankLocal",
    "#MoneyMonday",
    "#FinTech",
    "#SmallBusiness",
    "#Community",
    "#PersonalFinance",
    "#CustomerService",
    "#TeamWork",
    "#FraudAwareness",
    "#Savings",
];
const TICKERS: &[&str] = &[
    "$AAPL", "$MSFT", "$TSLA", "$JPM", "$GS", "$NVDA", "$AMZN", "$BAC",
    "$SPY", "$QQQ", "$BRK.B", "$WFC",
];
const FUNDS: &[&str] = &[
    "Growth Fund",
    "income fund",
    "managed portfolio",
    "crypto basket",
    "Gold Plus account",
    "real-estate fund",
    "AI trading program",
    "dividend strategy",
    "Premier Wealth plan",
];
const ARTISTS: &[&str] = &[
    "glasshours",
    "the-velvet-static",
    "nightwalk",
    "kilo-kaira",
    "mothcity",
    "paper-lungs",
    "deltasun",
    "ruby-overdrive",
];
const ALBUMS: &[&str] = &[
    "Glass Hours",
    "Static Bloom",
    "NIGHTWALK",
    "Paper Lungs",
    "Delta Sun",
    "Overdrive Heart",
    "Moth City Lights",
    "Kaira",
];
const SONGS: &[&str] = &[
    "Neon Teeth",
    "Bad Idea (Again)",
    "Cherry Smoke",
    "Midnight Laundromat",
    "Fuck the Weather",
    "Satellite",
    "Crybaby Summer",
    "Holy Mess",
    "No Signal",
    "Velvet Knife",
];
const MUSIC_TAGS: &[&str] = &[
    "#NewMusic",
    "#OnTour",
    "#Vinyl",
    "#NowPlaying",
    "#NewMusicFriday",
    "#Merch",
    "#LiveMusic",
    "#Indie",
    "#HipHop",
];

/// Fills `{slot}`s in templates: `planted` slots are recorded, the others
/// come from the filler lists and the negative generators.
struct Filler<'r> {
    rng: &'r mut Rng,
}

impl Filler<'_> {
    fn slot(&mut self, name: &str) -> String {
        let rng = &mut *self.rng;
        match name {
            "name" => rng.pick(NAMES).to_string(),
            "city" => rng.pick(CITIES).to_string(),
            "emoji" => rng.pick(EMOJI).to_string(),
            "day" => rng.pick(DAYS).to_string(),
            "tag" => rng.pick(BANK_TAGS).to_string(),
            "mtag" => rng.pick(MUSIC_TAGS).to_string(),
            "fund" => rng.pick(FUNDS).to_string(),
            "ticker" => rng.pick(TICKERS).to_string(),
            "date" => match rng.below(5) {
                0 => format!(
                    "2025-{:02}-{:02}",
                    rng.range(1, 12),
                    rng.range(1, 28)
                ),
                1 => format!(
                    "{:02}/{:02}/2025",
                    rng.range(1, 12),
                    rng.range(1, 28)
                ),
                2 => format!("{} {}", rng.pick(MONTHS), rng.range(1, 28)),
                3 => format!("{} {} 2025", rng.range(1, 28), rng.pick(MONTHS)),
                _ => format!(
                    "{:02}.{:02}.2025",
                    rng.range(1, 28),
                    rng.range(1, 12)
                ),
            },
            "hours" => rng_pick_owned(
                rng,
                &["9am–5pm", "8:30am–6pm", "10:00–16:00", "9–5", "9am-1pm"],
            )
            .to_string(),
            "rate" => format!("{}.{:02}%", rng.range(5, 7), rng.below(100)),
            "fee" => format!("${}.99", rng.range(2, 19)),
            "zip" => format!(
                "{} {:05}",
                rng_pick_owned(rng, &["TX", "CA", "NY", "FL", "IL"]),
                rng.range(10001, 99950)
            ),
            "bic" => format!(
                "{}{}{}{}",
                rng.alnum(4).to_uppercase(),
                rng_pick_owned(rng, &["DE", "GB", "FR", "NL", "ES"]),
                rng.alnum(2).to_uppercase(),
                rng_pick_owned(rng, &["", "XXX"])
            ),
            "bank" => rng_pick_owned(
                rng,
                &[
                    "Deutsche Bank",
                    "ING",
                    "Santander",
                    "BNP Paribas",
                    "Nordea",
                ],
            )
            .to_string(),
            "time" => match rng.below(3) {
                0 => format!("{}am", rng.range(7, 11)),
                1 => format!("{}:{:02}pm", rng.range(1, 8), rng.below(4) * 15),
                _ => format!("{}:00", rng.range(9, 19)),
            },
            "price" => match rng.below(5) {
                0 => format!("${}.99", rng.range(1, 99)),
                1 => format!("${},{:03}", rng.range(1, 9), rng.below(1000)),
                2 => format!("€{}", rng.range(5, 500)),
                3 => format!("£{}.{:02}", rng.range(1, 80), rng.below(100)),
                _ => format!("${}", rng.range(10, 250)),
            },
            "pct" => match rng.below(3) {
                0 => format!("{}.{:02}%", rng.range(0, 6), rng.below(100)),
                1 => format!("{}%", rng.range(1, 40)),
                _ => format!("{}.{}%", rng.range(0, 9), rng.below(10)),
            },
            "n" => rng.range(2, 40).to_string(),
            "bign" => format!("{},{:03}", rng.range(1, 99), rng.below(1000)),
            "ord" => rng_pick_owned(rng, &["10th", "25th", "50th", "100th"])
                .to_string(),
            "phone" => match rng.below(7) {
                0 => format!("(212) 555-{:04}", rng.below(10000)),
                1 => format!("1-800-555-{:04}", rng.below(10000)),
                2 => format!(
                    "{}-555-{:04}",
                    rng.range(201, 989),
                    rng.below(10000)
                ),
                3 => format!(
                    "+1 {} 555 {:04}",
                    rng.range(201, 989),
                    rng.below(10000)
                ),
                4 => format!("+44 20 7946 {:04}", rng.below(10000)),
                5 => format!(
                    "{}.555.{:04}",
                    rng.range(201, 989),
                    rng.below(10000)
                ),
                _ => format!("+49 30 {}", rng.digits(8)),
            },
            "order" => order_number(rng),
            "tracking" => tracking_number(rng),
            "badssn" => {
                let sep = if rng.chance(0.8) { "-" } else { " " };
                format_ssn(invalid_ssn(rng), sep)
            }
            "badiban" => bad_iban(rng),
            "isbn" => isbn(rng),
            "ean" => ean13(rng),
            "exp" => format!("{:02}/{}", rng.range(1, 12), rng.range(25, 31)),
            "cvv" => rng.digits(3),
            "artist" => rng.pick(ARTISTS).to_string(),
            "album" => rng.pick(ALBUMS).to_string(),
            "song" => rng.pick(SONGS).to_string(),
            "spotify" => format!(
                "https://open.spotify.com/{}/{}",
                rng.pick(&["album", "track"]),
                rng.alnum(22)
            ),
            "apple" => format!(
                "https://music.apple.com/us/album/{}/{}",
                rng.pick(ARTISTS),
                rng.range(1_000_000_000, 1_799_999_999)
            ),
            "youtube" => {
                let id = rng.alnum(11);
                if rng.chance(0.5) {
                    format!("https://youtu.be/{id}")
                } else {
                    format!("https://www.youtube.com/watch?v={id}")
                }
            }
            "tidal" => {
                format!("https://tidal.com/browse/album/{}", rng.digits(9))
            }
            "deezer" => {
                format!("https://www.deezer.com/album/{}", rng.digits(9))
            }
            "soundcloud" => format!(
                "https://soundcloud.com/{}/{}",
                rng.pick(ARTISTS),
                rng.pick(SONGS).to_lowercase().replace([' ', '(', ')'], "-")
            ),
            "bandcamp" => format!(
                "https://{}.bandcamp.com/album/{}",
                rng.pick(ARTISTS).replace('-', ""),
                rng.pick(ALBUMS).to_lowercase().replace(' ', "-")
            ),
            "tickets" => match rng.below(3) {
                0 => format!(
                    "https://www.ticketmaster.com/event/{}",
                    rng.alnum(16).to_uppercase()
                ),
                1 => format!("https://dice.fm/event/{}", rng.alnum(8)),
                _ => format!(
                    "https://www.eventbrite.com/e/{}-tickets-{}",
                    rng.pick(ARTISTS),
                    rng.digits(12)
                ),
            },
            "presave" => format!(
                "https://distrokid.com/hyperfollow/{}/{}",
                rng.pick(ARTISTS),
                rng.alnum(6).to_lowercase()
            ),
            "shop" => format!("https://{}.store", rng.pick(ARTISTS)),
            "tour" => {
                let n = rng.range(3, 6);
                let mut parts = Vec::new();
                let (mut m, mut d) = (rng.range(3, 10), rng.range(1, 20));
                for _ in 0..n {
                    parts.push(format!(
                        "{m}/{d} {}",
                        Filler { rng: &mut *rng }.slot("city")
                    ));
                    d += rng.range(1, 4);
                    if d > 28 {
                        d -= 28;
                        m += 1;
                    }
                }
                parts.join(", ")
            }
            other => panic!("no filler for slot {{{other}}}"),
        }
    }

    /// Expands `template`; `planted` slots are filled with the given values
    /// and their byte ranges returned in template order.
    fn fill(
        &mut self,
        template: &str,
        planted: &[(&str, &str)],
    ) -> (String, Vec<Range<usize>>) {
        let mut out = String::new();
        let mut spans = Vec::new();
        let mut used = vec![false; planted.len()];
        let mut rest = template;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let j = i + rest[i..].find('}').expect("closing brace");
            let name = &rest[i + 1..j];
            match planted.iter().position(|(n, _)| *n == name) {
                Some(k) => {
                    used[k] = true;
                    let start = out.len();
                    out.push_str(planted[k].1);
                    spans.push(start..out.len());
                }
                None => {
                    let v = self.slot(name);
                    out.push_str(&v);
                }
            }
            rest = &rest[j + 1..];
        }
        out.push_str(rest);
        assert!(used.iter().all(|&u| u), "{template}: unused planted slot");
        (out, spans)
    }
}

/// Adds the odd emoji, hashtag or greeting around a template.
fn decorate(rng: &mut Rng, template: &str, tag: &str) -> String {
    let mut t = String::new();
    if rng.chance(0.08) {
        t.push_str(rng_pick_owned(
            rng,
            &["PSA: ", "Update: ", "Quick one: ", "Heads up! "],
        ));
    }
    t.push_str(template);
    if rng.chance(0.25) {
        t.push_str(" {emoji}");
    }
    if rng.chance(0.15) {
        t.push(' ');
        t.push_str(tag);
    }
    if rng.chance(0.05) {
        t.push_str("\n\nMore soon!");
    }
    t
}

// ---------------------------------------------------------------------------
// Templates.

const CARD_TEMPLATES: &[&str] = &[
    "Customer says card {V} keeps getting declined at the {city} branch, can someone look?",
    "Can someone in ops check why {V} was charged twice? Client is really upset",
    "Finally got my new {brand}!! {V} 🎉 so pretty",
    "Reissued {V} for {name} today, she's all set",
    "{name} asked us to update the card on file to {V}, exp {exp}",
    "Test purchase with {V} went through, thanks team!",
    "Can you refund the {price} charge on {V}? Order from {date}",
    "my {brand} number is {V} lol pls don't steal it",
    "Fraud team flagged {V} after a {price} charge in {city}",
    "DM'd you the card: {V} exp {exp} cvv {cvv}",
    "Please charge {V} for the {price} deposit",
    "Chargeback on {V} resolved ✅",
    "Limit increase approved for {V} — congrats {name}!",
    "pls help, my card {V} got blocked while I was travelling in {city}",
    "Found a {brand} card ({V}) in the {city} branch lobby, owner can pick it up at the desk",
    "{brand} {V} {exp} — client asked us to keep it on file",
    "Why is {V} showing as expired? It says {exp} on the front",
    "Paying for the team lunch with {V}, thanks {name}! 🍕",
    "Card: {V}\nName: {name}\nExp: {exp}",
    "Hi! I tried to pay with {V} twice and it failed both times, help?",
    "{V} is the card on the account, can you check the limit?",
    "card#{V} declined again 😤",
    "Card number:{V}",
    "New card arrived ({V}) but the app still shows the old one",
    "Customer read me her card over the phone: {V}.",
    "Backup card for the {city} trip is {V} {exp}",
    "Hey {name}, use my {brand} for the deposit: {V}, security code {cvv}",
    "Why does {V} show a pending charge of {price}?",
];

const SSN_TEMPLATES: &[&str] = &[
    "New hire paperwork done! {name}'s SSN {V} is on file, welcome aboard",
    "Can someone verify {V} for the loan application? Applicant is {name}",
    "Client's social is {V}, please call her back about the account",
    "Tax forms ready for {name} — SSN {V}",
    "Applicant {name}, DOB {date}, SSN: {V}",
    "Typo on the W-2: it should be {V}, not the old number",
    "{name} from {city} called, she needs her 1099 reissued to {V}",
    "Benefits enrollment for {name} ({V}) is complete ✅",
    "the number on the form is {V} if that helps",
    "Social Security #: {V} — can you run the credit check?",
    "my social security number is {V} if you need it for the account",
    "SSN#{V}",
    "{V} is {name}'s SSN, please add it to the file.",
    "Onboarding checklist ✅ ID ✅ SSN ({V}) ✅ direct deposit form",
];

const BARE_SSN_TEMPLATES: &[&str] = &[
    "my SSN is {V}, what else do you need?",
    "SSN: {V}",
    "Please verify ssn {V} for the loan file",
    "Social security number: {V}",
    "{name}'s social security no. {V} is on the form",
    "SS# {V} for the new hire in {city}",
    "Her SSN {V} doesn't match the W-2, can you check?",
    "Can you run a credit check? SSN {V}, applicant {name}",
    "Taxpayer ID {V} — please update the account",
    "SSN on file: {V}",
    "ssn:{V} dob {date}",
    "Her SSN is {V}.",
    "SSN (new hire): {V}",
];

const IBAN_TEMPLATES: &[&str] = &[
    "Send the deposit to {V} by {day}",
    "Refund went to {V} — thanks for your patience!",
    "Virement vers {V} effectué ✅",
    "IBAN: {V}",
    "Please pay the invoice into {V}, thanks!",
    "Überweisung an {V}, Verwendungszweck: Miete {date}",
    "{name} wants her payouts moved to {V} from now on",
    "Can you double-check {V}? The transfer bounced",
    "bonifico su {V} grazie mille",
    "transferencia a {V} hecha, {name}",
    "Our client in {city} still hasn't received the wire to {V}",
    "Winner's prize ({price}) goes to {V} — congrats {name}!",
    "iban {V} pls, need the money by {day}",
    "Updated beneficiary account: {V} ({name})",
    "Please send the {price} to my IBAN {V}.",
    "IBAN:{V} BIC: {bic}",
    "Account holder: {name}\nIBAN: {V}\nBank: {bank}",
    "Rent for {city} goes to {V} (landlord changed banks)",
];

/// Several values in one post: cards `V` and `W`, SSN `S`, IBAN `I`.
const COMBO_TEMPLATES: &[&str] = &[
    "New account for {name}: SSN {S}, card {V}",
    "Both of her cards are blocked: {V} and {W}",
    "Cards on file: {V}, {W}",
    "{name} — SSN {S} — IBAN {I}",
    "Refund the {price} from {V} to {I} please",
    "💳{V}💳 and the backup is {W}",
    "Applicant: {name}\nSSN: {S}\nCard: {V}\nIBAN: {I}",
    "Charged {V} by mistake, should have been {W} 🙈",
];

/// Routing (`R`) and/or account (`A`) numbers next to banking words.
const BANK_TEMPLATES: &[&str] = &[
    "For the wire use routing number {R} and account {A}",
    "Direct deposit info for {name}: routing {R}, acct # {A}",
    "Please wire to account {A} at our {city} branch, routing number {R}",
    "Wire to account {A} today please, client is waiting",
    "ABA {R} for incoming ACH transfers",
    "Routing number: {R}\nAccount number: {A}",
    "Client asked why acct # {A} was charged twice",
    "Moved {price} from checking {A} to savings",
    "{name}'s savings account {A} is frozen, can someone in {city} help?",
    "Transit number {R}, account no. {A}",
    "My direct deposit isn't showing, routing number {R} right?",
    "Can you check why the wire to acct {A} bounced? Routing {R}",
    "{name}'s IRA account {A} needs a beneficiary update",
    "Brokerage account {A} was opened twice, please merge",
    "routing {R} / checking {A} for payroll",
    "Account number {A} is the one on the statement, {name}",
    "acct#{A} routing #{R}",
    "Deposit it to account: {A}, routing: {R}. Thanks!",
    "RTN {R} and acct no {A}, {name} from {city} needs the wire today",
    "Please wire {price} to account {A}.",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// "guaranteed returns": fits "offers {P}".
    Plural,
    /// "a risk-free investment": fits "this is {P}".
    Singular,
    /// "you can't lose": a clause.
    Clause,
    /// "double your money": fits "want to {P}?".
    Verb,
}

const PROMISSORY: &[(&str, Shape)] = &[
    ("guaranteed returns", Shape::Plural),
    ("guaranteed profits", Shape::Plural),
    ("guaranteed income", Shape::Plural),
    ("guaranteed monthly income", Shape::Plural),
    ("guaranteed gains", Shape::Plural),
    ("guaranteed {n}% returns", Shape::Plural),
    ("guaranteed {n}% annual returns", Shape::Plural),
    ("guaranteed double-digit returns", Shape::Plural),
    ("risk-free returns", Shape::Plural),
    ("risk-free profits", Shape::Plural),
    ("risk free returns", Shape::Plural),
    ("zero-risk returns", Shape::Plural),
    ("a risk-free investment", Shape::Singular),
    ("a risk free investment", Shape::Singular),
    ("a no-risk investment", Shape::Singular),
    ("a zero-risk investment", Shape::Singular),
    ("a 100% safe investment", Shape::Singular),
    ("a sure-fire investment", Shape::Singular),
    ("a guaranteed return", Shape::Singular),
    ("you can't lose", Shape::Clause),
    ("you cannot lose", Shape::Clause),
    ("you cant lose", Shape::Clause),
    ("you can't lose money", Shape::Clause),
    ("you will never lose money", Shape::Clause),
    ("you won't lose money", Shape::Clause),
    ("your returns are guaranteed", Shape::Clause),
    ("profits are guaranteed", Shape::Clause),
    ("your money will double", Shape::Clause),
    ("it's impossible to lose", Shape::Clause),
    ("there's zero risk", Shape::Clause),
    ("double your money", Shape::Verb),
    ("triple your money", Shape::Verb),
    ("double your investment", Shape::Verb),
    ("10x your money", Shape::Verb),
    ("get rich quick", Shape::Verb),
    ("100% guaranteed returns", Shape::Plural),
    ("guaranteed profit every month", Shape::Plural),
    ("risk-free investing", Shape::Plural),
    ("a can't-lose investment", Shape::Singular),
    ("a no-lose investment", Shape::Singular),
    ("your returns are 100% guaranteed", Shape::Clause),
    ("you'll never lose a penny", Shape::Clause),
    ("it's guaranteed to double your money", Shape::Clause),
    ("the fund is completely risk-free", Shape::Clause),
];

const PLURAL_TEMPLATES: &[&str] = &[
    "Our new {fund} offers {P} for every client. Ask me how!",
    "Looking for {P}? Our {fund} delivers.",
    "{P} with our {fund} — book a call this week",
    "We deliver {P}, year after year, in any market",
    "Tired of market swings? Get {P} with the {fund}",
    "{P}!!! link in bio",
    "Retire early with {P} — ask {name} at our {city} branch",
    "Join {bign} investors already earning {P} 📈",
    "This {fund} means {P}, no matter what the market does",
    "Only a few spots left for {P} — DM me before {day}",
];

const SINGULAR_TEMPLATES: &[&str] = &[
    "Honestly the {fund} is {P}, I moved my savings in last year",
    "Looking for {P}? Our {fund} is exactly that.",
    "This is {P}. Seriously, DM me",
    "Crypto is {P} if you hold long enough 🚀",
    "Gold has always been {P} — talk to {name} in {city}",
    "We built the {fund} to be {P} for retirees",
];

const CLAUSE_TEMPLATES: &[&str] = &[
    "Invest in our {fund} now — {P}.",
    "With the {fund}, {P}. Seriously.",
    "Trust me, {P} with this one 🚀",
    "Markets are wild but {P} with our strategy",
    "Join {bign} happy clients: {P}!",
    "Our advisors in {city} will show you why {P}",
    "{P} — that's the promise of the {fund}",
    "Stop worrying about the market: {P} with us",
];

const VERB_TEMPLATES: &[&str] = &[
    "{P} in 6 months with our {fund}",
    "Want to {P}? Our {fund} is live",
    "Learn how to {P} at our free seminar on {date}",
    "{P} — we'll show you how",
    "Ready to {P}? Book a call with {name}",
    "Here's how our clients learned to {P} in under a year 🧵",
];

const ORDINARY_TEMPLATES: &[&str] = &[
    "Our new savings account pays {pct} APY with no monthly fee.",
    "Questions about your statement? Call {phone}, Mon–Fri {hours}.",
    "The {city} branch reopens on {date} after renovations! Come say hi",
    "Your new debit card is on its way — USPS tracking {tracking}. Activate it in the app when it arrives.",
    "Merch store update: order #{order} and everything placed before {date} has shipped",
    "Reading list: ISBN {isbn} — a great primer on personal finance. What are you reading?",
    "{ticker} and {ticker} report after the close today. Join our live markets recap at {time}.",
    "Mortgage rates are at {rate} this week. Talk to an advisor at {phone}.",
    "Happy {ord} birthday to our {city} branch! Cake and coffee at {time} on {date}",
    "Scam alert: fake forms ask for SSNs like {badssn}. Numbers starting with 000, 666 or 9 are never issued — report them at {phone}.",
    "Typo in an IBAN? Our app checks the digits before you send: {badiban} would be rejected.",
    "Invoice {order} for {price} is due on {date}. Pay in the app, no fees.",
    "Case {order} is closed — thanks for your patience, {name}!",
    "Free returns on all orders from our merch store 🛍️",
    "Double your impact: every gift to the {city} food bank is matched 2:1 until {date}",
    "Save a guaranteed seat at our retirement-planning webinar on {date} at {time}. It's free!",
    "Risk of rain on {day}, but the {city} charity 5K is still on!",
    "Try our budgeting app risk-free for 30 days. Investing involves risk, including loss of principal.",
    "Lock in a guaranteed {pct} APY on our 12-month CD. FDIC insured up to $250,000.",
    "We can't lose sight of what matters most: our customers.",
    "Money-back guarantee on our premium plan: {fee}/month, cancel anytime.",
    "Tax returns are due {date}. Our advisors in {city} can help you file.",
    "Double points on every card purchase this weekend!",
    "Our {city} team ran {n} miles for charity on {date} 🏃",
    "Inflation was {pct} last month. Here are 3 ways to stretch your budget 🧵",
    "Branch hours for {day}: {hours}. Call {phone} for an appointment.",
    "Congrats to {name}, our {city} employee of the month!",
    "Gas is {price} a gallon in {city} today — here's how to budget for your road trip.",
    "The jobs report is out: unemployment at {pct}. Our economist breaks it down at {time}.",
    "Shipping update: tracking {tracking} shows your welcome kit arriving {day}.",
    "No risk of missing out: the replay of the {date} webinar is online until {day}.",
    "Win a {price} gift card! Comment with your favourite {city} coffee shop by {date}.",
    "Zero fees, zero hassle: open a checking account in 5 minutes.",
    "Reminder: we will never ask for your card number, PIN or SSN by DM. Call {phone} if in doubt.",
    "Ticket #{order} resolved. Thanks for flagging the app bug, {name}!",
    "Fun fact: our first branch opened on {date} in {city} with 3 employees.",
    "Markets are closed on {date} for the holiday; our branches open {hours}.",
    "Our {city} branch ({phone}) is closed on {date} for the holiday.",
    "Book club pick for {date}: ISBN {isbn}. Copies at every branch!",
    "Your order {order} from our rewards catalog ships {day}.",
    "Sample form for our payroll workshop uses {badssn} — never a real number.",
    "Wire transfer fees drop to {price} from {date}. Details at any branch.",
    "Reference {order}: your dispute was resolved in your favour, {name}!",
    "Double your savings habit, not your spending: round-ups start at {price}.",
    "Our tellers in {city} collected {bign} cans for the food drive 🥫",
    "{pct} cashback on groceries through {date}. Terms apply.",
    "Hiring! Join our {city} team — open day on {date} at {time}.",
    "Please pay IBAN-style transfers only to accounts you know. Example of a mistyped one: {badiban}",
    "Log in to your account to track order {order} and see delivery updates",
    "Visit us at 200 Main St, {city}, {zip}. Open {hours}.",
    "Over {bign} customers now bank with us. Thank you! 🙏",
    "Our guarantee: no hidden fees, ever. Questions? {phone}",
    "We guarantee a reply within 24 hours on weekdays. DM us or call {phone}.",
    "Double your rewards: earn 2x points at {city} restaurants through {date}",
    "Guaranteed delivery by {date} on all merch orders over {price}",
    "Lost your card? Freeze it in the app or call {phone} any time.",
    "New ISBN {isbn} in our library: 'Money Basics for Teens', {price}",
    "Q3 earnings call is on {date} at {time} ET. Dial-in: {phone}.",
    "Refinance calculator: a {rate} rate on {price}k saves more than you think.",
    "Your statement for {date} is ready in the app. Questions? {phone}",
    "Questions about your account? Our {city} branch is at {phone}.",
    "Savings account questions: {phone} ({hours})",
];

const MUSIC_TEMPLATES: &[&str] = &[
    "NEW ALBUM '{album}' OUT NOW 🔥 stream it on Spotify: {spotify}",
    "Tour dates: {tour} — tickets at {tickets}",
    "Merch drop {day}: hoodies {price}, vinyl {price}, signed posters while they last 🖤 {shop}",
    "'{album}' is out everywhere: {spotify} | {apple} | {youtube}",
    "Parental advisory: explicit lyrics. Track {n} is the filthiest thing we've ever made, you're welcome",
    "this shit goes so fucking hard, new single '{song}' out now",
    "Playing {n} unreleased songs live tonight in {city} — see you at the front!",
    "Pre-save '{song}' now: {presave}",
    "Music video for '{song}' premieres {day} at {time} on YouTube: {youtube}",
    "{city}!!! Night {n} was insane. Thank you for screaming every word 😭",
    "Vinyl pre-order: 180g, gatefold, catalogue no. {ean}",
    "Spotify Wrapped says you streamed '{song}' {bign} times?? love you guys",
    "Listen on Apple Music: {apple} 🎧",
    "Tickets for {city} ({date}) on sale {day} at {time} local: {tickets}",
    "Soundcheck in {city} 🎸 doors at {time}",
    "RIP my voice after last night 😂 {city} you were loud",
    "A torrent of love from {city} last night. Mega thanks to everyone who came!",
    "Free download of my remix on Bandcamp — name your price: {bandcamp}",
    "Our pirate-themed video drops {day} ☠️ pre-save link in bio",
    "Lyrics for '{song}' are up on Genius — yes, the second verse is that explicit 😈",
    "Stream '{song}' on Tidal: {tidal} or Deezer: {deezer}",
    "SoundCloud remix of '{song}' out now: {soundcloud}",
    "We ripped through a 2-hour set in {city} and the crowd was unreal",
    "{n} days until '{album}'. Pre-order the signed CD at {shop}",
    "Merch restock: tees {price}, caps {price}. Ships worldwide, free returns within 30 days",
    "Call the tour hotline {phone} for accessibility tickets. Doors 7pm, {date}.",
    "Behind the scenes of the '{song}' shoot 🎬 {youtube}",
    "the bridge on '{song}' is so fucking filthy I can't play it for my mom 💀",
    "Sold out in {city}!!! Extra date added {date}, tickets: {tickets}",
    "'{album}' hit {bign} streams in the first week. We love you. 😭🙏",
    "Stream the full album free on YouTube: {youtube} 🔥",
    "Promo code TOUR20 gets you 20% off merch at {shop} until {date}",
    "Our tour bus has a leak and we still made it to {city} 😂 doors {time}",
    "Exclusive first listen of '{song}' on Apple Music tonight: {apple}",
    "Barcode for the record stores: EAN {ean} — ask your local shop to order it!",
    "Fan order #{order} (signed test pressing) ships {day}. Thanks for your patience!",
    "New lyric video for '{song}' — explicit, obviously: {youtube}",
];

// ---------------------------------------------------------------------------
// The corpus.

struct Post {
    class: &'static str,
    /// What was planted or which template family it came from.
    kind: String,
    text: String,
    /// Byte ranges of the planted values (PII) or phrase (promissory).
    planted: Vec<Range<usize>>,
}

struct Corpus {
    pii: Vec<Post>,
    promissory: Vec<Post>,
    ordinary: Vec<Post>,
    music: Vec<Post>,
}

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(c) => c.to_uppercase().chain(cs).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Upper-cases the text of a template but not its `{slot}` names.
fn upper_template(t: &str) -> String {
    let mut out = String::new();
    let mut in_slot = false;
    for c in t.chars() {
        match c {
            '{' => in_slot = true,
            '}' => in_slot = false,
            _ => {}
        }
        if in_slot {
            out.push(c);
        } else {
            out.extend(c.to_uppercase());
        }
    }
    out
}

fn pii_posts(rng: &mut Rng) -> Vec<Post> {
    let mut posts = Vec::new();
    for i in 0..CARD_POSTS {
        let brand = BRANDS[i % BRANDS.len()];
        let digits = card_number(rng, brand);
        let (card, how) = format_card(rng, &digits);
        let card = typographic(rng, card);
        let label = brand.label(rng);
        let template = rng_pick_owned(rng, CARD_TEMPLATES);
        let t = decorate(rng, template, "{tag}");
        let t = t.replace("{brand}", label);
        let (text, planted) =
            Filler { rng: &mut *rng }.fill(&t, &[("V", &card)]);
        posts.push(Post {
            class: "pii",
            kind: format!("card {brand:?} {how}"),
            text,
            planted,
        });
    }
    for i in 0..SSN_POSTS {
        let ssn = valid_ssn(rng);
        let (value, template, kind) = match i % 7 {
            0..=2 => (
                format_ssn(ssn, "-"),
                rng_pick_owned(rng, SSN_TEMPLATES),
                "ssn dashed",
            ),
            3 | 4 => (
                format_ssn(ssn, " "),
                rng_pick_owned(rng, SSN_TEMPLATES),
                "ssn spaced",
            ),
            _ => (
                format_ssn(ssn, ""),
                rng_pick_owned(rng, BARE_SSN_TEMPLATES),
                "ssn bare",
            ),
        };
        let value = typographic(rng, value);
        let t = decorate(rng, template, "{tag}");
        let (text, planted) =
            Filler { rng: &mut *rng }.fill(&t, &[("V", &value)]);
        posts.push(Post { class: "pii", kind: kind.into(), text, planted });
    }
    for i in 0..IBAN_POSTS {
        let (cc, layout) = IBAN_COUNTRIES[i % IBAN_COUNTRIES.len()];
        let compact = iban(rng, cc, layout);
        let (value, how) = format_iban(rng, &compact);
        let value = typographic(rng, value);
        let template = rng_pick_owned(rng, IBAN_TEMPLATES);
        let t = decorate(rng, template, "{tag}");
        let (text, planted) =
            Filler { rng: &mut *rng }.fill(&t, &[("V", &value)]);
        posts.push(Post {
            class: "pii",
            kind: format!("iban {how}"),
            text,
            planted,
        });
    }
    for _ in 0..BANK_POSTS {
        let template = rng_pick_owned(rng, BANK_TEMPLATES);
        let routing = routing_number(rng);
        let (account, grouped) = account_number(rng);
        let mut slots: Vec<(&str, &str)> = Vec::new();
        let mut kind = Vec::new();
        if template.contains("{R}") {
            slots.push(("R", &routing));
            kind.push("routing");
        }
        if template.contains("{A}") {
            slots.push(("A", &account));
            kind.push(if grouped { "account(grouped)" } else { "account" });
        }
        let t = decorate(rng, template, "{tag}");
        let (text, planted) = Filler { rng: &mut *rng }.fill(&t, &slots);
        posts.push(Post {
            class: "pii",
            kind: format!("bank {}", kind.join("+")),
            text,
            planted,
        });
    }
    for i in 0..COMBO_POSTS {
        let template = rng_pick_owned(rng, COMBO_TEMPLATES);
        let brand = BRANDS[i % BRANDS.len()];
        let digits = card_number(rng, brand);
        let (card, _) = format_card(rng, &digits);
        let brand2 = *rng.pick(BRANDS);
        let digits2 = card_number(rng, brand2);
        let (card2, _) = format_card(rng, &digits2);
        let ssn = format_ssn(valid_ssn(rng), "-");
        let &(cc, layout) = rng.pick(IBAN_COUNTRIES);
        let compact = iban(rng, cc, layout);
        let (iban, _) = format_iban(rng, &compact);
        let all = [("V", &card), ("W", &card2), ("S", &ssn), ("I", &iban)];
        let slots: Vec<(&str, &str)> = all
            .iter()
            .filter(|(k, _)| template.contains(&format!("{{{k}}}")))
            .map(|(k, v)| (*k, v.as_str()))
            .collect();
        let t = decorate(rng, template, "{tag}");
        let (text, planted) = Filler { rng: &mut *rng }.fill(&t, &slots);
        posts.push(Post {
            class: "pii",
            kind: "combo several values".into(),
            text,
            planted,
        });
    }
    posts
}

fn rng_pick_owned(rng: &mut Rng, xs: &[&'static str]) -> &'static str {
    xs[rng.below(xs.len())]
}

fn promissory_posts(rng: &mut Rng) -> Vec<Post> {
    let mut posts = Vec::new();
    for i in 0..PROMISSORY_POSTS {
        let (phrase, shape) = PROMISSORY[i % PROMISSORY.len()];
        let phrase = phrase.replace("{n}", &rng.range(5, 30).to_string());
        let template = match shape {
            Shape::Plural => rng_pick_owned(rng, PLURAL_TEMPLATES),
            Shape::Singular => rng_pick_owned(rng, SINGULAR_TEMPLATES),
            Shape::Clause => rng_pick_owned(rng, CLAUSE_TEMPLATES),
            Shape::Verb => rng_pick_owned(rng, VERB_TEMPLATES),
        };
        let mut template = decorate(rng, template, "{tag}");
        let (mut phrase, case) = match rng.below(10) {
            0..=4 => (phrase, "lower"),
            5..=6 => (phrase.to_uppercase(), "UPPER"),
            _ => (title_case(&phrase), "Title"),
        };
        // A template starting with the phrase starts a sentence.
        if template.starts_with("{P}") && case == "lower" {
            phrase = title_case(&phrase[..1]) + &phrase[1..];
        }
        let shouting = rng.chance(0.08);
        if shouting {
            template = upper_template(&template);
            phrase = phrase.to_uppercase();
        }
        // Word processors turn hyphens into non-breaking ones.
        if rng.chance(0.08) {
            phrase = phrase.replace('-', "\u{2011}");
        }
        let curly = rng.chance(0.35);
        if curly {
            phrase = phrase.replace('\'', "\u{2019}");
            template = template.replace('\'', "\u{2019}");
        }
        let (text, planted) =
            Filler { rng: &mut *rng }.fill(&template, &[("P", &phrase)]);
        let kind = format!(
            "{}{}{}",
            PROMISSORY[i % PROMISSORY.len()].0,
            if shouting { " SHOUTING" } else { "" },
            if curly { " ’" } else { "" }
        );
        posts.push(Post { class: "promissory", kind, text, planted });
    }
    posts
}

fn template_posts(
    rng: &mut Rng,
    class: &'static str,
    templates: &[&'static str],
    tag: &str,
    n: usize,
) -> Vec<Post> {
    (0..n)
        .map(|i| {
            let template = templates[i % templates.len()];
            let t = decorate(rng, template, tag);
            let (text, _) = Filler { rng: &mut *rng }.fill(&t, &[]);
            let kind = template.chars().take(40).collect();
            Post { class, kind, text, planted: Vec::new() }
        })
        .collect()
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut rng = Rng(SEED);
        Corpus {
            pii: pii_posts(&mut rng),
            promissory: promissory_posts(&mut rng),
            ordinary: template_posts(
                &mut rng,
                "ordinary",
                ORDINARY_TEMPLATES,
                "{tag}",
                ORDINARY_POSTS,
            ),
            music: template_posts(
                &mut rng,
                "music",
                MUSIC_TEMPLATES,
                "{mtag}",
                MUSIC_POSTS,
            ),
        }
    })
}

// ---------------------------------------------------------------------------
// Screening and reporting.

fn screener(pack: &str) -> &'static Screener {
    static FINANCIAL: OnceLock<Screener> = OnceLock::new();
    static MUSIC: OnceLock<Screener> = OnceLock::new();
    let cell = match pack {
        "financial-institution" => &FINANCIAL,
        "music-label" => &MUSIC,
        _ => panic!("pack {pack}"),
    };
    cell.get_or_init(|| {
        let mut policy = Policy::new();
        policy.add_bundled(pack).expect("bundled pack loads");
        Screener::new(&policy).expect("bundled pack compiles")
    })
}

fn describe(post: &Post, v: &Verdict) -> String {
    let mut s =
        format!("  [{}] {:?}\n    -> {}", post.kind, post.text, v.decision());
    for r in v.reasons() {
        let span = r.span();
        let text = span
            .clone()
            .and_then(|sp| post.text.get(sp))
            .unwrap_or("<no span>");
        let _ = write!(s, " | {} {:?} {:?}", r.rule(), span, text);
    }
    for p in &post.planted {
        let _ = write!(s, "\n    planted {p:?} {:?}", &post.text[p.clone()]);
    }
    s
}

/// Screens `posts` with `pack` and returns the share that `ok` accepts,
/// with a report: the rate, a breakdown of the failures by kind and the
/// first failing posts with their reasons.
fn rate(
    what: &str,
    pack: &str,
    posts: &[Post],
    ok: impl Fn(&Post, &Verdict) -> bool,
) -> (f64, String) {
    let s = screener(pack);
    let mut failing = Vec::new();
    let mut by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for post in posts {
        let v = s.screen(&post.text).unwrap();
        let good = ok(post, &v);
        let family: String =
            post.kind.split(' ').take(2).collect::<Vec<_>>().join(" ");
        let e = by_kind.entry(family).or_default();
        e.1 += 1;
        if !good {
            e.0 += 1;
            failing.push(describe(post, &v));
        }
    }
    let r = 1.0 - failing.len() as f64 / posts.len() as f64;
    let mut msg = format!(
        "{what} with {pack}: {:.2}% ({} of {} posts fail)\n",
        r * 100.0,
        failing.len(),
        posts.len()
    );
    for (kind, (bad, n)) in &by_kind {
        if *bad > 0 {
            let _ = writeln!(msg, "  {kind}: {bad} of {n} fail");
        }
    }
    let _ = writeln!(msg, "first failing posts:");
    for f in failing.iter().take(12) {
        let _ = writeln!(msg, "{f}");
    }
    (r, msg)
}

fn assert_rate(
    what: &str,
    pack: &str,
    posts: &[Post],
    min: f64,
    ok: impl Fn(&Post, &Verdict) -> bool,
) {
    let (r, msg) = rate(what, pack, posts, ok);
    // The figure for the README: `cargo test --test integration corpus --
    // --nocapture` shows every rate.
    eprintln!("measured: {}", msg.lines().next().unwrap_or(""));
    assert!(r >= min, "{msg}need at least {:.1}%", min * 100.0);
}

// ---------------------------------------------------------------------------
// Tests.

/// The generator itself: deterministic, big enough, and every planted
/// value valid, every hard negative invalid.
#[test]
fn corpus_generator_is_sound() {
    let c = corpus();
    for (class, posts) in [
        ("pii", &c.pii),
        ("promissory", &c.promissory),
        ("ordinary", &c.ordinary),
        ("music", &c.music),
    ] {
        assert!(posts.len() >= 1000, "{class}: {} posts", posts.len());
        for p in posts.iter() {
            assert_eq!(p.class, class);
        }
    }
    // Same seed, same corpus.
    let mut rng = Rng(SEED);
    let again = pii_posts(&mut rng);
    assert!(again.iter().zip(&c.pii).all(|(a, b)| a.text == b.text));

    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut countries = std::collections::BTreeSet::new();
    for p in &c.pii {
        assert!(!p.planted.is_empty(), "{}", p.text);
        *kinds.entry(p.kind.clone()).or_default() += 1;
        for span in &p.planted {
            let v = &p.text[span.clone()];
            let ds = to_digits(v);
            let card = card_brand_ok(&ds) && luhn(&ds);
            let n = |r: Range<usize>| {
                ds[r].iter().fold(0u32, |a, &d| a * 10 + u32::from(d))
            };
            let ssn = ds.len() == 9 && ssn_valid(n(0..3), n(3..5), n(5..9));
            let compact: String =
                v.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            let compact = compact.to_uppercase();
            let b = compact.as_bytes();
            let iban = b.len() > 4
                && b[0].is_ascii_alphabetic()
                && iban_length(&[b[0], b[1]]) == Some(b.len())
                && iban_mod97(b);
            let ok = match p.kind.split(' ').next().unwrap() {
                "card" => card,
                "ssn" => ssn,
                "iban" => iban,
                "combo" => card || ssn || iban,
                "bank" => {
                    aba_valid(&ds)
                        || (8..=17).contains(&ds.len())
                            && p.kind.contains("account")
                }
                k => panic!("kind {k}"),
            };
            assert!(ok, "[{}] {v:?} in {:?}", p.kind, p.text);
            if iban {
                countries.insert(compact[..2].to_string());
            }
        }
    }
    assert!(countries.len() >= 20, "IBAN countries: {countries:?}");
    for brand in BRANDS {
        for how in ["compact", "spaced", "dashed"] {
            let k = format!("card {brand:?} {how}");
            assert!(
                kinds.get(&k).copied().unwrap_or(0) >= 10,
                "{k}: {kinds:?}"
            );
        }
    }
    for k in [
        "ssn dashed",
        "ssn spaced",
        "ssn bare",
        "iban grouped",
        "iban compact",
    ] {
        assert!(kinds.get(k).copied().unwrap_or(0) >= 50, "{k}: {kinds:?}");
    }

    // Hard negatives are what they claim to be.
    let mut rng = Rng(SEED ^ 1);
    for _ in 0..2000 {
        let o = order_number(&mut rng);
        assert!(!luhn(&to_digits(&o)) && !has_card_run(&o), "order {o}");
        let t = tracking_number(&mut rng);
        assert!(!has_card_run(&t), "tracking {t}");
        let s = format_ssn(invalid_ssn(&mut rng), "-");
        let ds = to_digits(&s);
        let n = |r: Range<usize>| {
            ds[r].iter().fold(0u32, |a, &d| a * 10 + u32::from(d))
        };
        assert!(!ssn_valid(n(0..3), n(3..5), n(5..9)), "ssn {s}");
        let b = bad_iban(&mut rng);
        let compact: String =
            b.chars().filter(|c| *c != ' ').collect::<String>();
        assert!(!iban_mod97(compact.as_bytes()), "iban {b}");
    }
    // The check-digit helper agrees with the Luhn check of support.rs
    // (written apart from it; preclear's own meets these cards through
    // the financial pack in the detection tests).
    let mut rng = Rng(SEED ^ 2);
    for _ in 0..1000 {
        let n = rng.range(12, 19) as usize;
        let mut ds = to_digits(&rng.digits(n - 1));
        ds.push(luhn_check_digit(&ds));
        assert!(luhn(&ds));
    }
    // Known values.
    assert!(has_card_run("4111 1111 1111 1111"));
    assert!(!has_card_run("4111 1111 1111 1112"));
    assert!(aba_valid(&to_digits("021000021")));
    assert_eq!(mod97("370400440532013000DE00"), 98 - 89);
}

fn is_pii(r: &preclear::Reason) -> bool {
    r.category() == "pii"
}

/// Every planted value is the exact span of some PII reason.
fn spans_exact(post: &Post, v: &Verdict) -> bool {
    post.planted.iter().all(|p| {
        v.reasons().iter().any(|r| is_pii(r) && r.span().as_ref() == Some(p))
    })
}

#[test]
fn financial_blocks_pii_posts() {
    assert_rate(
        "PII posts blocked",
        "financial-institution",
        &corpus().pii,
        0.99,
        |_, v| v.decision() == Decision::Block,
    );
}

#[test]
fn financial_pii_spans_are_the_planted_bytes() {
    assert_rate(
        "PII posts whose planted values are exact reason spans",
        "financial-institution",
        &corpus().pii,
        0.99,
        spans_exact,
    );
}

#[test]
fn financial_blocks_promissory_posts() {
    assert_rate(
        "promissory posts blocked (by a promissory reason on the phrase)",
        "financial-institution",
        &corpus().promissory,
        0.99,
        |post, v| {
            let phrase = &post.planted[0];
            v.decision() == Decision::Block
                && v.reasons().iter().any(|r| {
                    r.category() == "promissory"
                        && r.span().is_some_and(|s| {
                            s.start < phrase.end && phrase.start < s.end
                        })
                })
        },
    );
}

#[test]
fn financial_allows_ordinary_posts() {
    let posts = &corpus().ordinary;
    assert_rate(
        "ordinary posts allowed",
        "financial-institution",
        posts,
        0.98,
        |_, v| v.decision() == Decision::Allow,
    );
    assert_rate(
        "ordinary posts not blocked",
        "financial-institution",
        posts,
        0.995,
        |_, v| v.decision() != Decision::Block,
    );
}

#[test]
fn music_label_warns_on_pii_posts() {
    assert_rate(
        "PII posts at least warned",
        "music-label",
        &corpus().pii,
        0.99,
        |_, v| v.decision() >= Decision::Warn,
    );
}

/// The music pack treats fan PII leniently: warn, not block.
#[test]
fn music_label_does_not_block_pii_posts() {
    assert_rate(
        "PII posts not blocked",
        "music-label",
        &corpus().pii,
        0.99,
        |_, v| v.decision() != Decision::Block,
    );
}

#[test]
fn music_label_allows_promo_posts() {
    assert_rate(
        "music promo posts allowed",
        "music-label",
        &corpus().music,
        0.98,
        |_, v| v.decision() == Decision::Allow,
    );
}
