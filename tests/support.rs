//! What the tests share: a tiny deterministic PRNG (splitmix64), so every
//! run sees the same posts without a `rand` dependency, and the check
//! digits and registries the generated numbers must satisfy (Luhn, card
//! issuer prefixes and lengths, IBAN lengths per country, IBAN mod-97).
//!
//! The tests keep their own copies of these facts rather than reach into
//! the crate: a bug in preclear's validators must not also make the test
//! data agree with it. `benches/screen.rs` includes this file too (the
//! naive screener uses the checks).

pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    pub(crate) fn digit(&mut self) -> u8 {
        self.below(10) as u8
    }

    pub(crate) fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.digit())).collect()
    }

    pub(crate) fn upper(&mut self) -> char {
        char::from(b'A' + self.below(26) as u8)
    }

    pub(crate) fn alnum(&mut self, n: usize) -> String {
        const CS: &[u8] =
            b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        (0..n).map(|_| char::from(*self.pick(CS))).collect()
    }

    /// `k` distinct items of `xs`, in random order.
    pub(crate) fn sample<T: Copy>(&mut self, xs: &[T], k: usize) -> Vec<T> {
        let mut v = xs.to_vec();
        for i in 0..k.min(v.len()) {
            let j = i + self.below(v.len() - i);
            v.swap(i, j);
        }
        v.truncate(k);
        v
    }

    /// A random non-empty subset of `xs` (each item with probability ½).
    pub(crate) fn subset<T: Copy>(&mut self, xs: &[T]) -> Vec<T> {
        let mut v: Vec<T> =
            xs.iter().copied().filter(|_| self.chance(0.5)).collect();
        if v.is_empty() {
            v.push(*self.pick(xs));
        }
        v
    }
}

// ---------------------------------------------------------------------------
// Check digits and registries.

/// True if `digits` (each 0-9) pass the Luhn mod-10 check: from the right,
/// every second digit doubled (less 9 when over 9), the sum a multiple of
/// ten. No digits: false.
pub(crate) fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            match i % 2 {
                0 => d,
                _ if d * 2 > 9 => d * 2 - 9,
                _ => d * 2,
            }
        })
        .sum();
    !digits.is_empty() && sum % 10 == 0
}

/// Issuer prefixes (the first and last prefix of a range, as digits) and
/// the card lengths issued under them.
const CARD_SCHEMES: &[(&str, &str, &[usize])] = &[
    // UATP.
    ("1", "1", &[15]),
    // Mir, then Mastercard's 2-series.
    ("2200", "2204", &[16, 17, 18, 19]),
    ("2221", "2720", &[16]),
    // Diners Club.
    ("300", "305", &[14, 15, 16, 17, 18, 19]),
    ("3095", "3095", &[14, 15, 16, 17, 18, 19]),
    ("36", "36", &[14, 15, 16, 17, 18, 19]),
    ("38", "39", &[14, 15, 16, 17, 18, 19]),
    // American Express.
    ("34", "34", &[15]),
    ("37", "37", &[15]),
    // JCB.
    ("3528", "3589", &[16, 17, 18, 19]),
    // Visa.
    ("4", "4", &[13, 16, 19]),
    // Mastercard; Maestro (which also issues 12 to 15 digits, too rare in
    // circulation to tell from other ids).
    ("51", "55", &[16]),
    ("50", "50", &[16, 17, 18, 19]),
    ("56", "59", &[16, 17, 18, 19]),
    // Discover, UnionPay, Maestro.
    ("6", "6", &[16, 17, 18, 19]),
];

/// True if a card number of `digits` (each 0-9) starts with an issuer
/// prefix and has a length that scheme issues.
pub(crate) fn card_brand_ok(digits: &[u8]) -> bool {
    let leading = |n: usize| -> Option<String> {
        (digits.len() >= n).then(|| {
            digits[..n].iter().map(|&d| char::from(b'0' + d)).collect()
        })
    };
    CARD_SCHEMES.iter().any(|&(first, last, lengths)| {
        leading(first.len())
            .is_some_and(|p| first <= p.as_str() && p.as_str() <= last)
            && lengths.contains(&digits.len())
    })
}

/// IBAN lengths by country: the ISO 13616 registry, plus the countries
/// that issue IBANs nationally outside it (AO, BF, BJ, CF, CG, CI, CM, CV,
/// DZ, GA, GQ, GW, IR, KM, MA, MG, ML, MZ, NE, SN, TD, TG). Sorted.
#[rustfmt::skip]
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24), ("AE", 23), ("AL", 28), ("AO", 25), ("AT", 20), ("AZ", 28),
    ("BA", 20), ("BE", 16), ("BF", 28), ("BG", 22), ("BH", 22), ("BI", 27),
    ("BJ", 28), ("BR", 29), ("BY", 28), ("CF", 27), ("CG", 27), ("CH", 21),
    ("CI", 28), ("CM", 27), ("CR", 22), ("CV", 25), ("CY", 28), ("CZ", 24),
    ("DE", 22), ("DJ", 27), ("DK", 18), ("DO", 28), ("DZ", 26), ("EE", 20),
    ("EG", 29), ("ES", 24), ("FI", 18), ("FK", 18), ("FO", 18), ("FR", 27),
    ("GA", 27), ("GB", 22), ("GE", 22), ("GI", 23), ("GL", 18), ("GQ", 27),
    ("GR", 27), ("GT", 28), ("GW", 25), ("HN", 28), ("HR", 21), ("HU", 28),
    ("IE", 22), ("IL", 23), ("IQ", 23), ("IR", 26), ("IS", 26), ("IT", 27),
    ("JO", 30), ("KM", 27), ("KW", 30), ("KZ", 20), ("LB", 28), ("LC", 32),
    ("LI", 21), ("LT", 20), ("LU", 20), ("LV", 21), ("LY", 25), ("MA", 28),
    ("MC", 27), ("MD", 24), ("ME", 22), ("MG", 27), ("MK", 19), ("ML", 28),
    ("MN", 20), ("MR", 27), ("MT", 31), ("MU", 30), ("MZ", 25), ("NE", 28),
    ("NI", 28), ("NL", 18), ("NO", 15), ("OM", 23), ("PK", 24), ("PL", 28),
    ("PS", 29), ("PT", 25), ("QA", 29), ("RO", 24), ("RS", 22), ("RU", 33),
    ("SA", 24), ("SC", 31), ("SD", 18), ("SE", 24), ("SI", 19), ("SK", 24),
    ("SM", 27), ("SN", 28), ("SO", 23), ("ST", 25), ("SV", 28), ("TD", 27),
    ("TG", 28), ("TL", 23), ("TN", 24), ("TR", 26), ("UA", 29), ("VA", 22),
    ("VG", 24), ("XK", 20), ("YE", 30),
];

/// The length of an IBAN of country `cc` (upper case), if it has IBANs.
pub(crate) fn iban_length(cc: &[u8; 2]) -> Option<usize> {
    let cc = std::str::from_utf8(cc).ok()?;
    IBAN_LENGTHS
        .binary_search_by_key(&cc, |&(c, _)| c)
        .ok()
        .map(|i| IBAN_LENGTHS[i].1)
}

/// True if a compact, upper-case IBAN passes ISO 7064 mod 97-10: the
/// first four characters moved to the end, each letter read as two digits
/// (A = 10 … Z = 35), the number modulo 97 is 1. Anything but digits and
/// capitals, or fewer than five characters: false.
pub(crate) fn iban_mod97(iban: &[u8]) -> bool {
    if iban.len() < 5 {
        return false;
    }
    let mut rem = 0u32;
    for &c in iban[4..].iter().chain(&iban[..4]) {
        let value = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return false,
        };
        if value >= 10 {
            rem = (rem * 10 + value / 10) % 97;
        }
        rem = (rem * 10 + value % 10) % 97;
    }
    rem == 1
}

#[test]
fn iban_lengths_are_sorted() {
    assert!(IBAN_LENGTHS.windows(2).all(|w| w[0].0 < w[1].0));
}

/// A fresh, empty directory under the system temp dir, named after the
/// process, a counter and `name`. The tests run on parallel threads of one
/// process, so two scratch directories of the same name must not share
/// (and so remove) one path. The benches include this file and need none.
#[allow(dead_code)]
pub(crate) fn fresh_dir(name: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir()
        .join(format!("preclear-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
