//! Service numbers: freephone, shared-cost and premium-rate ranges of the
//! national numbering plans (NANP, Ofcom, Bundesnetzagentur, CNMC, RTR,
//! BAKOM, ARCEP, ComReg, IFT, AGCOM). Only an organisation has one, so a
//! number in these ranges is never a private person's contact detail
//! ("erreichen Sie unter 0800 555 0123", "call 1-800-555-0199").
//!
//! Only prefixes that no plan also gives to a town are listed: the UK's
//! 03 and 084 numbers are left out, because Germany's 0340–0349 are
//! geographic (Halle is 0345).

/// Country code and the national significant prefixes of its service
/// ranges, after `+`.
const INTERNATIONAL: &[(&str, &[&str])] = &[
    ("1", NANP),
    ("33", &["800", "801", "802", "803", "804", "805"]),
    ("34", &["800", "900", "901", "902", "905"]),
    ("39", &["800", "803"]),
    ("41", &["800", "840", "842", "844", "848", "900", "901", "906"]),
    ("43", &["800", "810", "820", "821", "900", "901", "930", "931", "939"]),
    ("44", &["800", "808", "90", "91"]),
    ("49", &["800", "180", "900", "137", "138"]),
    ("52", &["800"]),
    ("353", &["1800", "1850", "1890"]),
];

/// North American toll-free and premium area codes.
const NANP: &[&str] =
    &["800", "833", "844", "855", "866", "877", "888", "900"];

/// Written nationally with the trunk prefix 0 (France, Germany, Austria,
/// Switzerland, the UK, Italy): freephone and premium ranges.
const TRUNK_ZERO: &[&str] = &[
    "0800", "0801", "0802", "0803", "0804", "0805", "0808", "0810", "0820",
    "0840", "0842", "0844", "0848", "0180", "0137", "0138", "0900", "0901",
    "0906",
];

/// Spain's nine-digit numbers: freephone and shared-cost.
const SPAIN: &[&str] = &["800", "900", "901", "902", "905"];

/// Whether `run` (a phone number as written: digits, spaces, dashes, dots,
/// parentheses, a leading `+`) is in a service range.
pub(super) fn is_service_number(run: &[u8]) -> bool {
    // A phone number has at most 15 digits; no allocation.
    let mut buf = [0u8; 16];
    let mut n = 0;
    for &c in run.iter().filter(|c| c.is_ascii_digit()).take(buf.len()) {
        buf[n] = c;
        n += 1;
    }
    let d = &buf[..n];
    if d.is_empty() {
        return false;
    }
    let plus = run.iter().find(|c| !matches!(c, b' ' | b'(')) == Some(&b'+');
    if plus {
        return INTERNATIONAL.iter().any(|(cc, prefixes)| {
            d.strip_prefix(cc.as_bytes()).is_some_and(|rest| {
                prefixes.iter().any(|p| rest.starts_with(p.as_bytes()))
            })
        });
    }
    let starts = |list: &[&str], d: &[u8]| {
        list.iter().any(|p| d.starts_with(p.as_bytes()))
    };
    match d.len() {
        // 1-800-555-0199; Ireland's 1800 123 456.
        11 if d[0] == b'1' => starts(NANP, &d[1..]),
        10 if d.starts_with(b"18") => starts(&["1800", "1850", "1890"], d),
        // 800-555-0199, (888) 555 0100.
        10 if d[0] != b'0' => starts(NANP, d),
        9 if d[0] != b'0' => starts(SPAIN, d),
        _ => d[0] == b'0' && starts(TRUNK_ZERO, d),
    }
}

#[cfg(test)]
mod tests {
    use super::is_service_number;

    #[test]
    fn service_ranges_are_known_and_subscribers_are_not() {
        let cases: &[(&str, bool)] = &[
            ("0800 555 0123", true),
            ("0808 157 0192", true),
            ("01805 123456", true),
            ("0900 1 234567", true),
            ("1-800-555-0199", true),
            ("(888) 555-0100", true),
            ("+1 877 555 0100", true),
            ("900 123 456", true),
            ("+34 902 123 456", true),
            ("+49 800 1234567", true),
            ("+44 808 157 0192", true),
            ("1800 123 456", true),
            ("+353 1850 123 456", true),
            // Subscribers: a London, a Halle, a Memphis, a Madrid mobile,
            // a Spanish landline, a French mobile.
            ("+44 20 7946 0958", false),
            ("0345 1234567", false),
            ("901-555-0123", false),
            ("612 345 678", false),
            ("+34 912 345 678", false),
            ("06.12.34.56.78", false),
            ("(555) 123-4567", false),
            ("+1 917 555 0100", false),
        ];
        for (run, want) in cases {
            assert_eq!(is_service_number(run.as_bytes()), *want, "{run}");
        }
    }
}
