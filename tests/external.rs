//! Third-party cases (Microsoft Presidio's recognizer tests and
//! python-stdnum's doctests, extracted to JSON Lines in
//! `tests/data/external/`, see its README.md for source and licence) run against preclear:
//!
//! - every Presidio case for CREDIT_CARD, IBAN_CODE, US_SSN,
//!   ABA_ROUTING_NUMBER and US_BANK_NUMBER is screened with the
//!   financial-institution pack; a case expecting N matches expects N
//!   reasons from the matching rule family, at `expected_spans_utf8` when
//!   the upstream test checks spans;
//! - every python-stdnum `iban` and `be.iban` value goes through preclear's
//!   `iban` validator (a one-rule pack whose pattern takes the whole post),
//!   and every `luhn` value through the tests' own Luhn check (preclear's
//!   `luhn` validator is a payment-card check, and none of these values is
//!   a card number; see `stdnum_iban_and_luhn`).
//!
//! Where preclear deliberately differs from the source, the case sits in a
//! table of expected differences keyed by its text, with a one-line reason
//! and what preclear answers instead. The difference itself is asserted: if
//! behaviour changes (either way) the test fails and the table must be
//! revisited.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

use preclear::{Decision, Policy, Screener};
use serde_json::Value;

use crate::support::luhn;

pub(crate) const PRESIDIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/external/presidio-cases.jsonl"
);
const STDNUM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/external/stdnum-cases.jsonl"
);

/// Every row of a JSON Lines file.
pub(crate) fn rows(path: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{path}:{}: {e}", i + 1))
        })
        .collect()
}

pub(crate) fn financial() -> &'static Screener {
    static SCREENER: OnceLock<Screener> = OnceLock::new();
    SCREENER.get_or_init(|| {
        let mut policy = Policy::new();
        policy
            .add_bundled("financial-institution")
            .expect("the financial-institution pack loads");
        Screener::new(&policy)
            .expect("the financial-institution pack compiles")
    })
}

// ---------------------------------------------------------------------------
// Presidio: text → expected matches, through the financial pack.

/// A Presidio case where preclear deliberately answers differently.
pub(crate) struct Difference {
    /// The case's `text` (the key).
    pub(crate) text: &'static str,
    /// The spans preclear reports from the entity's rule family instead.
    pub(crate) preclear: &'static [(usize, usize)],
    /// Why.
    pub(crate) why: &'static str,
}

const BARE_ROUTING: &str = "a bare 9-digit number passes the ABA checksum \
    one time in ~30; preclear flags a routing number only next to banking \
    words";
const BARE_SSN: &str = "a bare 9-digit number passes the SSA rules most of \
    the time; preclear flags an unformatted SSN only next to SSN words";
const MIXED_SSN: &str = "mixed or partial separators (078-051121, \
    07805-1121) are not an SSN layout anyone writes; preclear needs 3-2-4 \
    with one separator throughout";
const EVASION: &str = "SPEC §5: a number split by any mix of spaces, \
    dots, dashes or slashes is still that number (authors split numbers to \
    slip them past filters), so preclear matches what upstream rejects";
const BARE_ACCOUNT: &str =
    "any 8-17 digit run would match; preclear flags an \
    account number only next to account words";

const CREDIT_CARD_DIFFERENCES: &[Difference] = &[];

const IBAN_DIFFERENCES: &[Difference] = &[
    Difference {
        text: "LV80 bANK 0000 4351 9500 1",
        preclear: &[(0, 26)],
        why: "preclear matches IBANs case-insensitively (people type them \
            in lower case); upper-cased this is the valid LV80 BANK 0000 \
            4351 9500 1",
    },
    Difference {
        text: "Slash as iban separator: AL47/2121/1009/0000/0002/3569/8741",
        preclear: &[(25, 59)],
        why: EVASION,
    },
];

const US_SSN_DIFFERENCES: &[Difference] = &[
    Difference {
        text: "078-051121 07805-1121",
        preclear: &[],
        why: MIXED_SSN,
    },
    Difference { text: "078051121", preclear: &[], why: BARE_SSN },
    Difference { text: "693-09.4444", preclear: &[(0, 11)], why: EVASION },
];

const ABA_DIFFERENCES: &[Difference] = &[
    Difference { text: "121000358", preclear: &[], why: BARE_ROUTING },
    Difference { text: "3222-7162-7", preclear: &[], why: BARE_ROUTING },
    Difference { text: "121042882", preclear: &[], why: BARE_ROUTING },
    Difference { text: "0711-0130-7", preclear: &[], why: BARE_ROUTING },
];

const US_BANK_DIFFERENCES: &[Difference] =
    &[Difference { text: "945456787654", preclear: &[], why: BARE_ACCOUNT }];

/// What one entity's cases gave.
pub(crate) struct Tally {
    pub(crate) agreed: usize,
    pub(crate) differed: usize,
    pub(crate) failures: Vec<String>,
}

fn spans_of(v: &Value) -> Vec<(usize, usize)> {
    v.as_array()
        .expect("spans are an array")
        .iter()
        .map(|s| {
            let s = s.as_array().expect("a span is [start, end]");
            (
                s[0].as_u64().expect("start") as usize,
                s[1].as_u64().expect("end") as usize,
            )
        })
        .collect()
}

fn show(text: &str, spans: &[(usize, usize)]) -> String {
    let parts: Vec<String> = spans
        .iter()
        .map(|&(a, b)| match text.get(a..b) {
            Some(s) => format!("{a}..{b} {s:?}"),
            None => format!("{a}..{b} (not on a char boundary)"),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// Screens every case of `entity` and compares the reasons of the rules
/// whose id starts with one of `family` with the upstream expectation.
/// Each case's text is screened after `lead` (the words a rule may need
/// beside a number); spans are given in the case's own text.
pub(crate) fn run_presidio_after(
    entity: &str,
    lead: &str,
    family: &[&str],
    differences: &[Difference],
) -> Tally {
    let screener = financial();
    let cases: Vec<Value> =
        rows(PRESIDIO).into_iter().filter(|r| r["entity"] == entity).collect();
    assert!(!cases.is_empty(), "no {entity} cases in {PRESIDIO}");
    let mut tally = Tally { agreed: 0, differed: 0, failures: Vec::new() };
    let mut used = vec![false; differences.len()];
    for case in &cases {
        let text = case["text"].as_str().expect("text");
        let line = case["upstream_line"].as_u64().unwrap_or(0);
        let want_n = case["expected_count"].as_u64().expect("count") as usize;
        let checked = case["spans_checked"].as_bool().unwrap_or(false);
        let want = spans_of(&case["expected_spans_utf8"]);
        let verdict = screener.screen(&format!("{lead}{text}")).unwrap();
        let mut got: Vec<(usize, usize)> = verdict
            .reasons()
            .iter()
            .filter(|r| family.iter().any(|f| r.rule().starts_with(f)))
            .filter_map(|r| r.span())
            .map(|s: Range<usize>| {
                // The lead holds words only: a hit starting in it is a bug
                // to see, not a span to clamp to the case's start.
                assert!(
                    s.start >= lead.len(),
                    "{entity}: a hit in the lead {lead:?}"
                );
                (s.start - lead.len(), s.end - lead.len())
            })
            .collect();
        got.sort_unstable();
        let mut want_sorted = want.clone();
        want_sorted.sort_unstable();
        let agrees = got.len() == want_n && (!checked || got == want_sorted);
        let rules: Vec<&str> =
            verdict.reasons().iter().map(|r| r.rule()).collect();
        match differences.iter().position(|d| d.text == text) {
            Some(i) => {
                used[i] = true;
                let d = &differences[i];
                let mut expected_here = d.preclear.to_vec();
                expected_here.sort_unstable();
                if agrees {
                    tally.failures.push(format!(
                        "line {line} {text:?}: now agrees with upstream \
                         ({}), remove it from the differences table",
                        show(text, &got)
                    ));
                } else if got != expected_here {
                    tally.failures.push(format!(
                        "line {line} {text:?}: listed difference ({}) \
                         expects preclear to report {} but it reports {} \
                         (rules {rules:?})",
                        d.why,
                        show(text, &expected_here),
                        show(text, &got)
                    ));
                } else {
                    tally.differed += 1;
                }
            }
            None if agrees => tally.agreed += 1,
            None => tally.failures.push(format!(
                "line {line} {text:?}: upstream expects {want_n} match(es) \
                 {}; preclear reports {} (decision {}, rules {rules:?})",
                if checked { show(text, &want) } else { String::new() },
                show(text, &got),
                verdict.decision()
            )),
        }
    }
    for (d, used) in differences.iter().zip(used) {
        if !used {
            tally.failures.push(format!(
                "difference {:?} matches no {entity} case",
                d.text
            ));
        }
    }
    tally
}

fn check_presidio(
    entity: &str,
    family: &[&str],
    differences: &[Difference],
    min_agreed: usize,
) {
    check_presidio_after(entity, "", family, differences, min_agreed);
}

/// [`check_presidio`] with each case's text after `lead`.
pub(crate) fn check_presidio_after(
    entity: &str,
    lead: &str,
    family: &[&str],
    differences: &[Difference],
    min_agreed: usize,
) {
    let t = run_presidio_after(entity, lead, family, differences);
    assert!(
        t.failures.is_empty(),
        "{entity}: {} case(s) fail ({} agree, {} listed differences):\n{}",
        t.failures.len(),
        t.agreed,
        t.differed,
        t.failures.join("\n")
    );
    assert_eq!(t.differed, differences.len(), "{entity}: differences");
    assert!(
        t.agreed >= min_agreed,
        "{entity}: {} cases agree with upstream, expected at least \
         {min_agreed}",
        t.agreed
    );
}

// Measured: 19 of 19 cases agree (three cards in one line, separated by
// single spaces, gave only the first card until the engine was fixed).
#[test]
fn presidio_credit_card() {
    check_presidio(
        "CREDIT_CARD",
        &["pii.payment-card"],
        CREDIT_CARD_DIFFERENCES,
        19,
    );
}

// Measured: 328 of 330 cases agree, 2 listed differences.
#[test]
fn presidio_iban() {
    check_presidio("IBAN_CODE", &["pii.iban"], IBAN_DIFFERENCES, 328);
}

// Measured: 10 of 13 cases agree, 3 listed differences.
#[test]
fn presidio_us_ssn() {
    check_presidio("US_SSN", &["pii.us-ssn"], US_SSN_DIFFERENCES, 10);
}

// Measured: 2 of 6 cases agree, 4 listed differences (bare numbers).
#[test]
fn presidio_aba_routing() {
    check_presidio(
        "ABA_ROUTING_NUMBER",
        &["pii.aba-routing"],
        ABA_DIFFERENCES,
        2,
    );
}

// Measured: 1 of 2 cases agree, 1 listed difference (bare number).
#[test]
fn presidio_us_bank_number() {
    check_presidio(
        "US_BANK_NUMBER",
        &["pii.account-number"],
        US_BANK_DIFFERENCES,
        1,
    );
}

/// A case that expects no match of its entity must not be blocked by some
/// other rule either: an IBAN with a typo is not a card number because
/// four of its digit groups happen to pass Luhn.
#[test]
fn presidio_negatives_are_not_blocked_by_other_rules() {
    let entities = [
        "CREDIT_CARD",
        "IBAN_CODE",
        "US_SSN",
        "ABA_ROUTING_NUMBER",
        "US_BANK_NUMBER",
    ];
    let mut n = 0;
    let mut failures = Vec::new();
    for case in rows(PRESIDIO) {
        let entity = case["entity"].as_str().expect("entity");
        let text = case["text"].as_str().expect("text");
        let listed = [
            CREDIT_CARD_DIFFERENCES,
            IBAN_DIFFERENCES,
            US_SSN_DIFFERENCES,
            ABA_DIFFERENCES,
            US_BANK_DIFFERENCES,
        ]
        .iter()
        .any(|t| t.iter().any(|d| d.text == text));
        if !entities.contains(&entity) || case["expected_count"] != 0 || listed
        {
            continue;
        }
        n += 1;
        let v = financial().screen(text).unwrap();
        if v.decision() != Decision::Allow {
            let rules: Vec<_> = v
                .reasons()
                .iter()
                .map(|r| {
                    let s = r.span().unwrap_or(0..0);
                    format!("{} {:?}", r.rule(), &text[s])
                })
                .collect();
            failures.push(format!(
                "{entity} {text:?}: {} {rules:?}",
                v.decision()
            ));
        }
    }
    // Measured: 185 negatives (188 less the listed lower-case IBAN, the
    // slash-separated IBAN and the mixed-separator SSN), all allowed (`RS35 2600 0560 1001 6113 70`, an IBAN with a bad check
    // digit, was blocked as a Mastercard until the engine was fixed).
    assert!(n >= 185, "only {n} negative cases");
    assert!(
        failures.is_empty(),
        "{} of {n} negative cases are not allowed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The product's reason for not flagging a bare number must hold the other
/// way round too: the same numbers next to the right words are flagged,
/// with the span on the number.
#[test]
fn presidio_bare_numbers_are_flagged_next_to_their_words() {
    let cases: &[(&str, &str, &str)] = &[
        ("routing number 121000358", "121000358", "pii.aba-routing"),
        ("Chase routing number 3222-7162-7", "3222-7162-7", "pii.aba-routing"),
        ("wire via ABA 121042882 today", "121042882", "pii.aba-routing"),
        ("routing 0711-0130-7 for ACH", "0711-0130-7", "pii.aba-routing"),
        ("my SSN is 078051121", "078051121", "pii.us-ssn"),
        ("account number 945456787654", "945456787654", "pii.account-number"),
    ];
    let mut failures = Vec::new();
    for &(text, value, rule) in cases {
        let v = financial().screen(text).unwrap();
        let at = text.find(value).expect("value in text");
        let hit = v.reasons().iter().any(|r| {
            r.rule().starts_with(rule)
                && r.span() == Some(at..at + value.len())
        });
        if !hit || v.decision() != Decision::Block {
            let rules: Vec<_> = v
                .reasons()
                .iter()
                .map(|r| (r.rule().to_string(), r.span()))
                .collect();
            failures.push(format!("{text:?}: {} {rules:?}", v.decision()));
        }
    }
    assert!(failures.is_empty(), "not flagged:\n{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------
// python-stdnum: value → valid, through preclear's validators.

/// A screener of one pattern rule, `validate.whole`, that takes a whole
/// post of characters `class` and confirms it with `validator`.
fn validator_screener(class: &str, validator: &str) -> Screener {
    let pack = format!(
        "[pack]\nname = \"validate\"\nversion = \"1.0.0\"\n\n\
         [[rules]]\nid = \"validate.whole\"\nkind = \"pattern\"\n\
         pattern = '\\A[{class}]+\\z'\nvalidator = \"{validator}\"\n\
         category = \"pii\"\nscore = 100\naction = \"block\"\n"
    );
    let mut policy = Policy::new();
    policy.add_toml("validate.toml", &pack).expect("the pack loads");
    Screener::new(&policy).expect("the pack compiles")
}

/// True if `screener` (a [`validator_screener`]) confirms `value` from its
/// first letter or digit to its last: the validator neither refused it
/// nor trimmed it.
fn confirms(screener: &Screener, value: &str) -> bool {
    let alnum = |c: char| c.is_ascii_alphanumeric();
    let (Some(start), Some(last)) = (value.find(alnum), value.rfind(alnum))
    else {
        return false;
    };
    let v = screener.screen(value).unwrap();
    v.reasons().iter().any(|r| r.span() == Some(start..last + 1))
}

/// preclear's `iban` validator, on a whole post of letters and digits.
fn iban_validator() -> &'static Screener {
    static SCREENER: OnceLock<Screener> = OnceLock::new();
    SCREENER.get_or_init(|| validator_screener("a-z0-9", "iban"))
}

/// preclear's `luhn` (payment card) validator, on a whole post of digits,
/// spaces and dashes.
fn card_validator() -> &'static Screener {
    static SCREENER: OnceLock<Screener> = OnceLock::new();
    SCREENER.get_or_init(|| validator_screener("0-9 -", "luhn"))
}

/// A stdnum value where preclear's validators deliberately answer
/// differently.
struct StdnumDifference {
    scheme: &'static str,
    value: &'static str,
    /// What preclear's validators answer.
    preclear_valid: bool,
    why: &'static str,
}

const BBAN_LAYOUT: &str = "preclear checks country, length and mod-97, not \
    each country's BBAN layout (a letter where the registry wants a digit)";
const NATIONAL_CHECK: &str = "preclear checks the IBAN's mod-97, not the \
    national check digits inside the BBAN";

const STDNUM_DIFFERENCES: &[StdnumDifference] = &[
    StdnumDifference {
        scheme: "iban",
        value: "BG93 BNBG 9661 1A20 3456 78",
        preclear_valid: true,
        why: BBAN_LAYOUT,
    },
    StdnumDifference {
        scheme: "iban",
        value: "GI22 NW3K 0000 0000 7099 453",
        preclear_valid: true,
        why: BBAN_LAYOUT,
    },
    StdnumDifference {
        scheme: "iban",
        value: "NL56 3003 0A17 1643 00",
        preclear_valid: true,
        why: BBAN_LAYOUT,
    },
    StdnumDifference {
        scheme: "iban",
        value: "ES2121000418450200051331",
        preclear_valid: true,
        why: NATIONAL_CHECK,
    },
    StdnumDifference {
        scheme: "iban",
        value: "ES89 3183 1500 9500 0121 0562",
        preclear_valid: true,
        why: NATIONAL_CHECK,
    },
    StdnumDifference {
        scheme: "be.iban",
        value: "BE54310100270000",
        preclear_valid: true,
        why: NATIONAL_CHECK,
    },
];

/// Drops the separators stdnum drops (`clean(number, ' -.')`) and
/// upper-cases.
fn compact(value: &str) -> String {
    value
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.'))
        .collect::<String>()
        .trim()
        .to_ascii_uppercase()
}

/// An IBAN by preclear's `iban` validator (known country, its registered
/// length, two check digits, mod-97): the compact value, letters and
/// digits only, confirmed whole.
fn iban_valid(compact: &str) -> bool {
    confirms(iban_validator(), compact)
}

/// The Luhn check alone, by the tests' own helper: preclear has no bare
/// Luhn validator. Its `luhn` validator is a payment-card check (an
/// issuer prefix, a length the scheme issues), and none of stdnum's Luhn
/// values is a card number (7 to 37 digits; the 15-digit one has a Visa
/// prefix, and Visa issues 13, 16 or 19). preclear's Luhn is checked on
/// card numbers by `presidio_card_values_through_the_card_validator`.
fn luhn_valid(compact: &str) -> bool {
    let ds: Option<Vec<u8>> = compact
        .bytes()
        .map(|b| b.is_ascii_digit().then(|| b - b'0'))
        .collect();
    ds.is_some_and(|ds| luhn(&ds))
}

/// What preclear's validators say about a stdnum value of `scheme` (for
/// `luhn`, the tests' own check; see [`luhn_valid`]).
fn preclear_valid(scheme: &str, value: &str) -> bool {
    let c = compact(value);
    match scheme {
        "iban" => iban_valid(&c),
        "be.iban" => c.starts_with("BE") && iban_valid(&c),
        "luhn" => luhn_valid(&c),
        _ => unreachable!("scheme {scheme}"),
    }
}

/// Every valid Spanish IBAN carries a Spanish account number (CCC) after
/// its check digits, and stdnum checks it (its country-specific
/// validation): a Spanish IBAN stdnum calls valid holds a CCC preclear's
/// `es_ccc` must confirm, and one it refuses although its mod-97 passes
/// (preclear's `iban`) holds a CCC `es_ccc` must refuse. Rows with
/// `params` turn that country check off.
#[test]
fn stdnum_spanish_ibans_hold_their_ccc() {
    let ccc = validator_screener("0-9", "es_ccc");
    let (mut valid, mut refused) = (0, 0);
    for row in rows(STDNUM) {
        let value = row["value"].as_str().expect("value");
        let c = compact(value);
        let spanish = row["scheme"] == "iban" && c.starts_with("ES");
        let params = row.get("params").is_some_and(|p| !p.is_null());
        if !spanish || params || c.len() != 24 {
            continue;
        }
        let account = &c[4..];
        if row["valid"] == true {
            assert!(confirms(&ccc, account), "{value}: CCC {account} refused");
            valid += 1;
        } else if iban_valid(&c) {
            assert!(
                !confirms(&ccc, account),
                "{value}: CCC {account} confirmed"
            );
            refused += 1;
        }
    }
    assert!(valid >= 20 && refused >= 1, "{valid} valid, {refused} refused");
}

#[test]
fn stdnum_iban_and_luhn() {
    let schemes = ["iban", "be.iban", "luhn"];
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut used = vec![false; STDNUM_DIFFERENCES.len()];
    let mut skipped = 0;
    for row in rows(STDNUM) {
        let scheme = row["scheme"].as_str().expect("scheme");
        let Some(&scheme) = schemes.iter().find(|&&s| s == scheme) else {
            continue;
        };
        // Rows with `params` are valid only with non-default arguments
        // (`check_country = false`, a custom Luhn alphabet), which
        // preclear's validators do not have; the same IBAN values also
        // appear without params.
        if row.get("params").is_some_and(|p| !p.is_null()) {
            skipped += 1;
            continue;
        }
        let value = row["value"].as_str().expect("value");
        let want = row["valid"].as_bool().expect("valid");
        let got = preclear_valid(scheme, value);
        let entry = counts.entry(scheme).or_default();
        let line = row["upstream_line"].as_u64().unwrap_or(0);
        let diff = STDNUM_DIFFERENCES
            .iter()
            .position(|d| d.scheme == scheme && d.value == value);
        match diff {
            Some(i) => {
                used[i] = true;
                let d = &STDNUM_DIFFERENCES[i];
                if got == want {
                    failures.push(format!(
                        "{scheme} {value:?} (line {line}): now agrees with \
                         stdnum ({want}), remove it from the differences"
                    ));
                } else if got != d.preclear_valid {
                    failures.push(format!(
                        "{scheme} {value:?}: listed difference ({}) says \
                         preclear answers {}, it answers {got}",
                        d.why, d.preclear_valid
                    ));
                } else {
                    entry.1 += 1;
                }
            }
            None if got == want => entry.0 += 1,
            None => failures.push(format!(
                "{scheme} {value:?} (line {line}): stdnum says valid={want}, \
                 preclear's validators say {got}{}",
                row["error"]
                    .as_str()
                    .map(|e| format!(" (stdnum error {e})"))
                    .unwrap_or_default()
            )),
        }
    }
    for (d, used) in STDNUM_DIFFERENCES.iter().zip(used) {
        if !used {
            failures.push(format!("difference {:?} unused", d.value));
        }
    }
    assert!(
        failures.is_empty(),
        "{} stdnum value(s) fail ({counts:?} agreed/differed):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(skipped, 3, "rows with params");
    // Measured: iban 212 agree + 5 listed differences (of 217 without
    // params), be.iban 112 + 1 (of 113), luhn 5 (of 5).
    let agreed = |s: &str| counts.get(s).map_or(0, |c| c.0);
    assert!(agreed("iban") >= 212, "iban: {counts:?}");
    assert!(agreed("be.iban") >= 112, "be.iban: {counts:?}");
    assert!(agreed("luhn") >= 5, "luhn: {counts:?}");
}

/// The financial pack's IBAN rule agrees with the `iban` validator alone
/// on every stdnum IBAN value, written compact inside a sentence.
#[test]
fn stdnum_ibans_in_a_post_match_the_iban_validator() {
    let mut failures = Vec::new();
    let mut n = 0;
    for row in rows(STDNUM) {
        let scheme = row["scheme"].as_str().expect("scheme");
        if !matches!(scheme, "iban" | "be.iban")
            || row.get("params").is_some_and(|p| !p.is_null())
        {
            continue;
        }
        let value = compact(row["value"].as_str().expect("value"));
        let want = iban_valid(&value);
        let text = format!("Please send the refund to {value} by Friday");
        let at = "Please send the refund to ".len();
        let v = financial().screen(&text).unwrap();
        let got = v.reasons().iter().any(|r| {
            r.rule() == "pii.iban" && r.span() == Some(at..at + value.len())
        });
        n += 1;
        if got != want {
            let rules: Vec<_> = v
                .reasons()
                .iter()
                .map(|r| (r.rule().to_string(), r.span()))
                .collect();
            failures.push(format!(
                "{text:?}: the iban validator says {want}, the pack says \
                 {got} {rules:?}"
            ));
        }
    }
    assert!(n > 300, "only {n} IBAN values");
    assert!(
        failures.is_empty(),
        "{} of {n} disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Card brand and length rules on the Presidio card values: preclear's
/// `luhn` (payment card) validator confirms each positive whole, and no
/// negative whole (issuer prefix and length, or Luhn, fail).
#[test]
fn presidio_card_values_through_the_card_validator() {
    let mut failures = Vec::new();
    for case in rows(PRESIDIO) {
        if case["entity"] != "CREDIT_CARD" {
            continue;
        }
        let text = case["text"].as_str().expect("text");
        // Only single bare values (possibly grouped).
        if !text.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
            || text.len() > 19 + 3
        {
            continue;
        }
        let want = case["expected_count"].as_u64() == Some(1);
        let got = confirms(card_validator(), text);
        if got != want {
            failures.push(format!("{text:?}: want {want}, got {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
