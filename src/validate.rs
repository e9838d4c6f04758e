//! Checksum validators that confirm a pattern's candidate match.
//!
//! A validator gets the text a pattern matched and answers with the byte
//! range inside it that is a valid number, or `None`. Returning a range
//! lets a validator trim what the pattern over-matched: an IBAN followed by
//! one more word, a card number followed by an expiry year. Whatever the
//! pattern let through between the digits (spaces, dots, dashes, slashes,
//! underscores) is skipped; only digits and letters count.

use std::ops::Range;

/// The names a pack may give as `validator = "…"`.
pub(crate) const NAMES: &[&str] =
    &["luhn", "iban", "aba", "us_ssn", "us_tin", "es_ccc", "code"];

/// A validator: candidate text → the valid part of it.
pub(crate) type Validator = fn(&str) -> Option<Range<usize>>;

/// The validator called `name`, if there is one.
pub(crate) fn by_name(name: &str) -> Option<Validator> {
    Some(match name {
        "luhn" => payment_card,
        "iban" => iban,
        "aba" => aba,
        "us_ssn" => us_ssn,
        "us_tin" => us_tin,
        "es_ccc" => es_ccc,
        "code" => code,
        _ => return None,
    })
}

/// The most digits a candidate may have (a card run of several groups).
const MAX_DIGITS: usize = 64;

/// The digits of a candidate and the byte offset where each one ends, on
/// the stack: validators run on every candidate of every post.
struct Digits {
    ds: [u8; MAX_DIGITS],
    ends: [usize; MAX_DIGITS],
    len: usize,
}

impl Digits {
    fn ds(&self) -> &[u8] {
        &self.ds[..self.len]
    }

    fn ends(&self) -> &[usize] {
        &self.ends[..self.len]
    }
}

/// The digits of `s`, or `None` if there are more than `max` (at most
/// [`MAX_DIGITS`]).
fn digits(s: &str, max: usize) -> Option<Digits> {
    let max = max.min(MAX_DIGITS);
    let mut d = Digits { ds: [0; MAX_DIGITS], ends: [0; MAX_DIGITS], len: 0 };
    for (i, b) in s.bytes().enumerate() {
        if b.is_ascii_digit() {
            if d.len == max {
                return None;
            }
            d.ds[d.len] = b - b'0';
            d.ends[d.len] = i + 1;
            d.len += 1;
        }
    }
    Some(d)
}

/// True if the digits pass the Luhn (mod 10) check.
fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &d) in digits.iter().rev().enumerate() {
        let d = u32::from(d);
        sum += if i % 2 == 1 {
            let x = d * 2;
            if x > 9 {
                x - 9
            } else {
                x
            }
        } else {
            d
        };
    }
    !digits.is_empty() && sum % 10 == 0
}

/// True if a card number of `digits` has an issuer prefix and a length that
/// some card scheme issues (Visa, Mastercard, Amex, Discover, Diners, JCB,
/// UnionPay, Maestro, Mir, UATP).
fn card_brand_ok(digits: &[u8]) -> bool {
    let n = digits.len();
    let prefix = |k: usize| -> u32 {
        digits.iter().take(k).fold(0, |acc, &d| acc * 10 + u32::from(d))
    };
    let (p1, p2, p3, p4) = (prefix(1), prefix(2), prefix(3), prefix(4));
    match p1 {
        // UATP (airline cards).
        1 => n == 15,
        // Mastercard 2-series and Mir.
        2 => {
            (2221..=2720).contains(&p4) && n == 16
                || (2200..=2204).contains(&p4) && (16..=19).contains(&n)
        }
        3 => match p2 {
            34 | 37 => n == 15,
            36 | 38 | 39 => (14..=19).contains(&n),
            30 => {
                (300..=305).contains(&p3) && (14..=19).contains(&n)
                    || p4 == 3095 && (14..=19).contains(&n)
            }
            35 => (3528..=3589).contains(&p4) && (16..=19).contains(&n),
            _ => false,
        },
        4 => n == 13 || n == 16 || n == 19,
        5 => match p2 {
            51..=55 => n == 16,
            // Maestro. The scheme allows 12 to 19 digits, but cards in
            // circulation have 16 or more, and a 12-digit id in a link
            // (an event, an order) would pass one time in ten.
            50 | 56..=59 => (16..=19).contains(&n),
            _ => false,
        },
        // Discover, UnionPay, Maestro 6-series.
        6 => (16..=19).contains(&n),
        _ => false,
    }
}

/// Payment cards: a Luhn-valid number with a known issuer prefix and
/// length. When the candidate is a run of several groups, the longest valid
/// run of whole groups wins, so `4111 1111 1111 1111 2027` yields the card.
///
/// A candidate with letters is not a card: patterns may take an IBAN-shaped
/// head (`RS35 2600 0560 …`) so that its digits are not read as one.
fn payment_card(s: &str) -> Option<Range<usize>> {
    if s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let d = digits(s, MAX_DIGITS)?;
    let (ds, ends) = (d.ds(), d.ends());
    // Group boundaries: indices into `ds` where a new group starts; the
    // groups end where the next starts, the last at the end.
    let mut bounds = [0usize; MAX_DIGITS + 1];
    let mut groups = 1;
    for i in 1..ds.len() {
        if ends[i] != ends[i - 1] + 1 {
            bounds[groups] = i;
            groups += 1;
        }
    }
    bounds[groups] = ds.len();
    let starts = &bounds[..groups];
    let group_ends = &bounds[1..=groups];
    for &a in starts {
        for &b in group_ends.iter().rev() {
            if b <= a || b - a > 19 {
                continue;
            }
            if b - a < 12 {
                break;
            }
            let card = &ds[a..b];
            if card_brand_ok(card) && luhn(card) {
                let start = ends[a] - 1;
                return Some(start..ends[b - 1]);
            }
        }
    }
    None
}

/// Whether the two letters `cc` (any case) are a country with IBANs.
pub(crate) fn iban_country(cc: [u8; 2]) -> bool {
    iban_length(&cc.map(|c| c.to_ascii_uppercase())).is_some()
}

/// The length of an IBAN for the country `cc` (ISO 13616 registry, plus
/// the countries that issue IBANs outside the SWIFT registry).
fn iban_length(cc: &[u8; 2]) -> Option<usize> {
    let len = match cc {
        b"AD" => 24,
        b"AE" => 23,
        b"AL" => 28,
        b"AT" => 20,
        b"AZ" => 28,
        b"BA" => 20,
        b"BE" => 16,
        b"BG" => 22,
        b"BH" => 22,
        b"BI" => 27,
        b"BR" => 29,
        b"BY" => 28,
        b"CH" => 21,
        b"CR" => 22,
        b"CY" => 28,
        b"CZ" => 24,
        b"DE" => 22,
        b"DJ" => 27,
        b"DK" => 18,
        b"DO" => 28,
        b"EE" => 20,
        b"EG" => 29,
        b"ES" => 24,
        b"FI" => 18,
        b"FK" => 18,
        b"FO" => 18,
        b"FR" => 27,
        b"GB" => 22,
        b"GE" => 22,
        b"GI" => 23,
        b"GL" => 18,
        b"GR" => 27,
        b"GT" => 28,
        b"HN" => 28,
        b"HR" => 21,
        b"HU" => 28,
        b"IE" => 22,
        b"IL" => 23,
        b"IQ" => 23,
        b"IS" => 26,
        b"IT" => 27,
        b"JO" => 30,
        b"KW" => 30,
        b"KZ" => 20,
        b"LB" => 28,
        b"LC" => 32,
        b"LI" => 21,
        b"LT" => 20,
        b"LU" => 20,
        b"LV" => 21,
        b"LY" => 25,
        b"MC" => 27,
        b"MD" => 24,
        b"ME" => 22,
        b"MK" => 19,
        b"MN" => 20,
        b"MR" => 27,
        b"MT" => 31,
        b"MU" => 30,
        b"NI" => 28,
        b"NL" => 18,
        b"NO" => 15,
        b"OM" => 23,
        b"PK" => 24,
        b"PL" => 28,
        b"PS" => 29,
        b"PT" => 25,
        b"QA" => 29,
        b"RO" => 24,
        b"RS" => 22,
        b"RU" => 33,
        b"SA" => 24,
        b"SC" => 31,
        b"SD" => 18,
        b"SE" => 24,
        b"SI" => 19,
        b"SK" => 24,
        b"SM" => 27,
        b"SO" => 23,
        b"ST" => 25,
        b"SV" => 28,
        b"TL" => 23,
        b"TN" => 24,
        b"TR" => 26,
        b"UA" => 29,
        b"VA" => 22,
        b"VG" => 24,
        b"XK" => 20,
        b"YE" => 30,
        // Issued nationally, not (yet) in the SWIFT registry.
        b"AO" => 25,
        b"BF" => 28,
        b"BJ" => 28,
        b"CF" => 27,
        b"CG" => 27,
        b"CI" => 28,
        b"CM" => 27,
        b"CV" => 25,
        b"DZ" => 26,
        b"GA" => 27,
        b"GQ" => 27,
        b"GW" => 25,
        b"IR" => 26,
        b"KM" => 27,
        b"MA" => 28,
        b"MG" => 27,
        b"ML" => 28,
        b"MZ" => 25,
        b"NE" => 28,
        b"SN" => 28,
        b"TD" => 27,
        b"TG" => 28,
        _ => return None,
    };
    Some(len)
}

/// True if the compact, upper-case IBAN passes the ISO 7064 mod-97 check.
fn iban_mod97(compact: &[u8]) -> bool {
    if compact.len() < 5 {
        return false;
    }
    let mut rem = 0u32;
    let rotated = compact[4..].iter().chain(&compact[..4]);
    for &c in rotated {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return false,
        };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
}

/// IBANs: country code, the country's registered length, mod-97. Takes
/// exactly that many letters and digits from the start of the candidate
/// (skipping spaces, dashes, dots and slashes), which must end a group.
fn iban(s: &str) -> Option<Range<usize>> {
    let b = s.as_bytes();
    let mut compact = [0u8; 34];
    let mut n = 0;
    let mut need = 34;
    let mut end = 0;
    for (i, &c) in b.iter().enumerate() {
        if matches!(c, b' ' | b'-' | b'.' | b'/' | b'_') {
            continue;
        }
        if !c.is_ascii_alphanumeric() {
            break;
        }
        if n == need {
            // One more character in the same group: not a clean end.
            if end == i {
                return None;
            }
            break;
        }
        compact[n] = c.to_ascii_uppercase();
        n += 1;
        end = i + 1;
        if n == 2 {
            need = iban_length(&[compact[0], compact[1]])?;
        }
    }
    let ok = n == need
        && compact[2].is_ascii_digit()
        && compact[3].is_ascii_digit()
        && iban_mod97(&compact[..n]);
    ok.then_some(0..end)
}

/// Whether `compact` (letters and digits only) is one whole valid IBAN:
/// the number view asks before it joins groups into one.
pub(crate) fn whole_iban(compact: &str) -> bool {
    iban(compact).is_some_and(|r| r == (0..compact.len()))
}

/// ABA routing numbers: nine digits, a Federal Reserve prefix, and the
/// 3-7-1 weighted checksum.
fn aba(s: &str) -> Option<Range<usize>> {
    let d = digits(s, 9)?;
    let (ds, ends) = (d.ds(), d.ends());
    if ds.len() != 9 {
        return None;
    }
    let prefix = ds[0] * 10 + ds[1];
    if !matches!(prefix, 0..=12 | 21..=32 | 61..=72 | 80)
        || ds.iter().all(|&d| d == 0)
    {
        return None;
    }
    let w = [3u32, 7, 1];
    let sum: u32 =
        ds.iter().enumerate().map(|(i, &d)| w[i % 3] * u32::from(d)).sum();
    (sum % 10 == 0).then(|| (ends[0] - 1)..ends[8])
}

/// Numbers that were printed as examples and are nobody's SSN: the
/// Woolworth wallet card (078-05-1120), the SSA's own pamphlet number
/// (219-09-9999) and an advertising number (457-55-5462), as python-stdnum
/// lists them, and 123-45-6789, the form filler's sample that Presidio
/// rejects too.
const PUBLISHED_SSNS: &[u32] =
    &[78_051_120, 219_099_999, 457_555_462, 123_456_789];

/// A nine-digit candidate: its area, group and serial, and the range from
/// the first digit to the last.
fn tin_parts(s: &str) -> Option<((u32, u32, u32), Range<usize>)> {
    let d = digits(s, 9)?;
    let (ds, ends) = (d.ds(), d.ends());
    if ds.len() != 9 {
        return None;
    }
    let num = |r: Range<usize>| {
        ds[r].iter().fold(0u32, |acc, &d| acc * 10 + u32::from(d))
    };
    Some(((num(0..3), num(3..5), num(5..9)), (ends[0] - 1)..ends[8]))
}

/// US social security numbers: nine digits; area not 000, 666 or 900-999;
/// group not 00; serial not 0000 (the SSA never issues these); not one of
/// the [`PUBLISHED_SSNS`].
fn us_ssn(s: &str) -> Option<Range<usize>> {
    let ((area, group, serial), range) = tin_parts(s)?;
    let whole = area * 1_000_000 + group * 10_000 + serial;
    let ok = area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && !PUBLISHED_SSNS.contains(&whole);
    ok.then_some(range)
}

/// US taxpayer numbers: an SSN ([`us_ssn`]) or an ITIN, which the IRS
/// issues with area 900-999 and group 50-65, 70-88, 90-92 or 94-99.
fn us_tin(s: &str) -> Option<Range<usize>> {
    us_ssn(s).or_else(|| {
        let ((area, group, _), range) = tin_parts(s)?;
        let itin_group =
            matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99);
        (area >= 900 && itin_group).then_some(range)
    })
}

/// The weights of a Spanish account number's control digits (the CCC's
/// "dígitos de control", as the Spanish banks' association publishes them).
const CCC_WEIGHTS: [u32; 10] = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];

/// One control digit of a CCC over ten digits: 11 less the weighted sum
/// mod 11, where 11 is written 0 and 10 is written 1.
fn ccc_digit(ds: &[u8]) -> u8 {
    let sum: u32 =
        ds.iter().zip(CCC_WEIGHTS).map(|(&d, w)| u32::from(d) * w).sum();
    match 11 - sum % 11 {
        11 => 0,
        10 => 1,
        d => d as u8,
    }
}

/// Spanish account numbers (CCC, the 20 digits after an ES IBAN's check
/// digits): bank 4, branch 4, two control digits, account 10. The first
/// control digit covers "00" + bank + branch, the second the account; an
/// account of zeros is nobody's.
fn es_ccc(s: &str) -> Option<Range<usize>> {
    let d = digits(s, 20)?;
    let (ds, ends) = (d.ds(), d.ends());
    if ds.len() != 20 || ds[10..].iter().all(|&d| d == 0) {
        return None;
    }
    let mut head = [0u8; 10];
    head[2..].copy_from_slice(&ds[..8]);
    let ok = ccc_digit(&head) == ds[8] && ccc_digit(&ds[10..]) == ds[9];
    ok.then(|| (ends[0] - 1)..ends[19])
}

/// A machine-made code (a gift card's claim code, a voucher): at least two
/// letters and two digits, so that a word ("merry-christmas-every-one") or
/// a plain number is none.
fn code(s: &str) -> Option<Range<usize>> {
    let letters = s.bytes().filter(u8::is_ascii_alphabetic).count();
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    (letters >= 2 && digits >= 2).then_some(0..s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! t {
        ($name:ident, $v:expr, $input:expr, $want:expr) => {
            #[test]
            fn $name() {
                let got = by_name($v).unwrap()($input).map(|r| &$input[r]);
                assert_eq!(got, $want, "{} on {:?}", $v, $input);
            }
        };
    }

    t!(card_compact, "luhn", "4111111111111111", Some("4111111111111111"));
    t!(
        card_grouped,
        "luhn",
        "4111 1111 1111 1111",
        Some("4111 1111 1111 1111")
    );
    t!(card_amex_465, "luhn", "3714 496353 98431", Some("3714 496353 98431"));
    t!(
        card_trailing_year,
        "luhn",
        "4111 1111 1111 1111 2027",
        Some("4111 1111 1111 1111")
    );
    t!(
        card_leading_junk,
        "luhn",
        "12 4111 1111 1111 1111",
        Some("4111 1111 1111 1111")
    );
    t!(card_bad_luhn, "luhn", "4111 1111 1111 1112", None);
    t!(card_unknown_prefix, "luhn", "1748503543012", None);
    t!(card_uatp, "luhn", "122000000000003", Some("122000000000003"));
    t!(card_too_short, "luhn", "41111111111", None);
    t!(card_inside_an_iban, "luhn", "RS35 2600 0560 1001 6113 70", None);
    t!(
        iban_compact,
        "iban",
        "DE89370400440532013000",
        Some("DE89370400440532013000")
    );
    t!(
        iban_grouped_lower,
        "iban",
        "gb82 west 1234 5698 7654 32",
        Some("gb82 west 1234 5698 7654 32")
    );
    t!(
        iban_trailing_word,
        "iban",
        "GB82 WEST 1234 5698 7654 32 X",
        Some("GB82 WEST 1234 5698 7654 32")
    );
    t!(iban_too_long_group, "iban", "GB82 WEST 1234 5698 7654 3212", None);
    t!(iban_bad_check, "iban", "GB82 WEST 1234 5698 7654 33", None);
    t!(iban_unknown_country, "iban", "XX82 WEST 1234 5698 7654 32", None);
    // The CCC inside the published test IBANs ES91 2100 0418 4502 0005 1332
    // and ES79 2100 0813 6101 2345 6789.
    t!(
        ccc_grouped,
        "es_ccc",
        "2100 0418 45 0200051332",
        Some("2100 0418 45 0200051332")
    );
    t!(
        ccc_compact,
        "es_ccc",
        "21000813610123456789",
        Some("21000813610123456789")
    );
    t!(ccc_bad_first_control, "es_ccc", "2100 0418 55 0200051332", None);
    t!(ccc_bad_second_control, "es_ccc", "2100 0418 44 0200051332", None);
    t!(ccc_nineteen_digits, "es_ccc", "2100 0418 45 020005133", None);
    t!(ccc_zero_account, "es_ccc", "0000 0000 00 0000000000", None);
    t!(code_mixed, "code", "XK42-LM9P-QR7T", Some("XK42-LM9P-QR7T"));
    t!(code_one_digit, "code", "SUMMER-SALE2", None);
    t!(code_words, "code", "ready-steady-goes", None);
    t!(code_number, "code", "4471-2290-8831", None);
    t!(aba_ok, "aba", "121000358", Some("121000358"));
    t!(aba_dashed, "aba", "3222-7162-7", Some("3222-7162-7"));
    t!(aba_bad_sum, "aba", "421042111", None);
    t!(aba_zero, "aba", "000000000", None);
    t!(ssn_ok, "us_ssn", "078-05-1123", Some("078-05-1123"));
    t!(ssn_area_000, "us_ssn", "000-12-3456", None);
    t!(ssn_area_666, "us_ssn", "666-12-3456", None);
    t!(ssn_area_9xx, "us_ssn", "912-12-3456", None);
    t!(ssn_group_00, "us_ssn", "078-00-1123", None);
    t!(ssn_serial_0000, "us_ssn", "078-05-0000", None);
    t!(ssn_woolworth, "us_ssn", "078-05-1120", None);
    t!(ssn_pamphlet, "us_ssn", "219-09-9999", None);
    t!(ssn_advert, "us_ssn", "457-55-5462", None);
    t!(ssn_form_sample, "us_ssn", "123-45-6789", None);
    t!(ssn_not_itin, "us_ssn", "912-78-1234", None);
    t!(tin_ssn, "us_tin", "078-05-1123", Some("078-05-1123"));
    t!(tin_itin_7x, "us_tin", "912-78-1234", Some("912-78-1234"));
    t!(tin_itin_5x, "us_tin", "900 50 0001", Some("900 50 0001"));
    t!(tin_itin_9x, "us_tin", "999-94-1234", Some("999-94-1234"));
    t!(tin_9xx_group_66, "us_tin", "912-66-1234", None);
    t!(tin_9xx_group_93, "us_tin", "912-93-1234", None);
    t!(tin_9xx_group_12, "us_tin", "912-12-3456", None);
    t!(tin_published, "us_tin", "078-05-1120", None);
}
