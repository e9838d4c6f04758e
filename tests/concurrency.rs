//! One screener shared by many threads gives every post the verdict it
//! gives on one thread: the screener is immutable and its per-thread
//! scratch space must never leak one post's state into another's.

use std::thread;

use preclear::{Policy, Screener, ScreenerBuilder};

use crate::corpus::luhn_check_digit;
use crate::support::Rng;

const THREADS: usize = 8;
const POSTS: usize = 100_000;

const WORDS: &[&str] = &[
    "our", "team", "branch", "opens", "monday", "new", "album", "tour",
    "dates", "thanks", "everyone", "for", "coming", "the", "fund", "market",
    "update", "coffee", "with", "clients", "today", "at", "9am", "join",
];

const PHRASES: &[&str] = &[
    "guaranteed returns",
    "gu4r4nt33d returns",
    "g.u.a.r.a.n.t.e.e.d returns",
    "ɡuaranteed returns",
    "ｇｕａｒａｎｔｅｅｄ returns",
    "guar\u{200b}anteed returns",
    "#GuaranteedReturns",
    "you can't lose",
    "risk-free investment",
    "risk. Free coffee",
    "double your money",
    "our fund returned 12% last year",
];

const LINKS: &[&str] = &[
    "https://bit.ly/3xYz",
    "https://example.com/offer",
    "https://paypa1.com/login",
    "https://www.sec.gov/edgar",
    "http://аpple.com/id",
];

const UNICODE: &[&str] = &[
    "🚀🚀",
    "café",
    "naïve",
    "日本語のテキスト",
    "مرحبا",
    "e\u{301}",
    "İstanbul",
    "ﬁnance",
    "\u{feff}",
    "🔥",
    "Ⅻ",
    "½",
];

/// A Luhn-valid 16-digit card number starting with 4.
fn card(rng: &mut Rng) -> String {
    let mut digits: Vec<u8> = vec![4];
    digits.extend((0..14).map(|_| rng.digit()));
    digits.push(luhn_check_digit(&digits));
    let sep = *rng.pick(&["", " ", "-", ".", "🔥"]);
    let groups: Vec<String> = digits
        .chunks(4)
        .map(|g| g.iter().map(|d| char::from(b'0' + d)).collect())
        .collect();
    let text = groups.join(sep);
    if rng.chance(0.2) {
        // Fullwidth digits.
        text.chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap(),
                c => c,
            })
            .collect()
    } else {
        text
    }
}

/// A German IBAN with valid check digits (ISO 13616 mod 97).
fn iban(rng: &mut Rng) -> String {
    let bban = rng.digits(18);
    // Rearranged: BBAN, then "DE" as 13 14, then "00".
    let rearranged = format!("{bban}131400");
    let rem = rearranged
        .bytes()
        .fold(0u32, |r, b| (r * 10 + u32::from(b - b'0')) % 97);
    let check = 98 - rem;
    let compact = format!("DE{check:02}{bban}");
    if rng.chance(0.5) {
        let b = compact.as_bytes();
        b.chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        compact
    }
}

/// A post of a few segments: ordinary words, and now and then a card, an
/// IBAN, a promissory phrase (plain or disguised), a link or Unicode.
fn post(rng: &mut Rng) -> String {
    let mut out = Vec::new();
    for _ in 0..rng.range(1, 6) {
        let segment = match rng.below(10) {
            0 => card(rng),
            1 => iban(rng),
            2 | 3 => rng.pick(PHRASES).to_string(),
            4 => rng.pick(LINKS).to_string(),
            5 => rng.pick(UNICODE).to_string(),
            _ => (0..rng.range(2, 8))
                .map(|_| *rng.pick(WORDS))
                .collect::<Vec<_>>()
                .join(" "),
        };
        out.push(segment);
    }
    let sep = *rng.pick(&[" ", ". ", "\n", " — "]);
    out.join(sep)
}

/// 8 threads share one screener (four borrow it, four use clones), each
/// screening all 100,000 posts from a different starting point so that
/// different posts are in flight at once; every JSON line equals the
/// single-threaded one for the same post.
#[test]
fn threads_sharing_a_screener_agree_with_one_thread() {
    let mut policy = Policy::new();
    policy.add_bundled("financial-institution").unwrap();
    // A fixed date: the pack has dated rules, and the answer must not
    // depend on when the test runs.
    let screener: Screener = ScreenerBuilder::new()
        .now("2026-06-01".parse().unwrap())
        .build(&policy)
        .unwrap();

    let mut rng = Rng(0x5eed_c0de);
    let posts: Vec<String> = (0..POSTS).map(|_| post(&mut rng)).collect();
    let json = |s: &Screener, i: usize| {
        s.screen(&posts[i]).unwrap().to_json(&i.to_string())
    };
    let expected: Vec<String> =
        (0..POSTS).map(|i| json(&screener, i)).collect();

    // The posts must exercise what the threads could get wrong: findings
    // of every kind, masked excerpts, and clean posts.
    let count =
        |needle: &str| expected.iter().filter(|j| j.contains(needle)).count();
    for needle in [
        "\"verdict\":\"allow\"",
        "\"verdict\":\"warn\"",
        "\"verdict\":\"block\"",
        "pii.payment-card",
        "pii.iban",
        "\"category\":\"promissory\"",
        "\u{2022}",
    ] {
        assert!(count(needle) > 1000, "too few posts with {needle}");
    }

    let mismatches: Vec<(usize, usize)> = thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let own = screener.clone();
                let (posts, expected, shared) = (&posts, &expected, &screener);
                scope.spawn(move || {
                    let s = if t % 2 == 0 { shared } else { &own };
                    let mut bad = Vec::new();
                    for k in 0..posts.len() {
                        let i = (k + t * POSTS / THREADS) % POSTS;
                        let got = s.screen(&posts[i]).unwrap();
                        if got.to_json(&i.to_string()) != expected[i] {
                            bad.push((t, i));
                        }
                    }
                    bad
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(
        mismatches.is_empty(),
        "{} mismatches, first (thread, post): {:?}\npost: {:?}",
        mismatches.len(),
        &mismatches[..mismatches.len().min(5)],
        posts[mismatches[0].1]
    );
}
