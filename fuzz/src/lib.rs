//! The checks behind preclear's fuzz targets, as plain functions: libFuzzer
//! drives them through `fuzz_targets/`, and `tests/replay.rs` replays the
//! seeds and saved crashes through the same code on stable, without
//! libFuzzer (`fuzz/replay.sh`).
//!
//! A failed check panics with a message that carries the input as a Rust
//! literal, so it can be pasted into a regression test.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use preclear::{bundled_names, Date, Decision, Policy, Screener, Verdict};

/// Larger inputs are rejected: they only slow the fuzzer down.
pub const MAX_INPUT: usize = 64 * 1024;

/// Whether the fuzzer should keep an input in its corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A useful input.
    Keep,
    /// Too large, or not UTF-8.
    Reject,
}

/// The fixed date the second screener of each pack screens as of.
const NOW: &str = "2026-01-15";

/// The posts every pack that compiles is tried on.
const POSTS: &[&str] = &[
    "",
    "Our new branch opens Monday at 9am \u{1f389}",
    "Please charge card 4111 1111 1111 1111 today",
    "gu4r4nt33d returns! \u{ff47}\u{ff55}\u{ff41}\u{ff52}\u{ff41}\u{ff4e}\
     \u{ff54}\u{ff45}\u{ff45}\u{ff44} g.u.a.r.a.n.t.e.e.d",
    "acct 12345678 ssn 078-05-1120\nIBAN DE89 3704 0044 0532 0130 00",
    "AKIA4QWERTYZ7UIOP2XC password=hunter2 internal use only",
];

struct Compiled {
    name: &'static str,
    /// The defaults: masked text hidden, dated rules as of today.
    plain: Screener,
    /// Masked text revealed, dated rules as of [`NOW`].
    reveal: Screener,
}

/// One pair of screeners per bundled pack, compiled once per process.
fn bundled() -> &'static [Compiled] {
    static SCREENERS: OnceLock<Vec<Compiled>> = OnceLock::new();
    SCREENERS.get_or_init(|| {
        let now: Date = NOW.parse().expect("a valid date");
        bundled_names()
            .map(|name| {
                let mut policy = Policy::new();
                policy.add_bundled(name).expect("bundled pack loads");
                Compiled {
                    name,
                    plain: Screener::new(&policy).expect("bundled compiles"),
                    reveal: Screener::builder()
                        .now(now)
                        .reveal_masked(true)
                        .build(&policy)
                        .expect("bundled compiles"),
                }
            })
            .collect()
    })
}

/// `data` as a post (if UTF-8), screened by every bundled pack, with and
/// without revealing masked text; [`check_verdict`] must hold for each
/// verdict. Never panics unless preclear breaks an invariant.
pub fn check_screen(data: &[u8]) -> Outcome {
    if data.len() > MAX_INPUT {
        return Outcome::Reject;
    }
    let Ok(post) = std::str::from_utf8(data) else {
        return Outcome::Reject;
    };
    let now: Date = NOW.parse().expect("a valid date");
    for c in bundled() {
        let v = c.plain.screen(post).unwrap();
        check_verdict(c.name, &c.plain, post, &v, true);
        let v = c.reveal.screen_at(post, now).unwrap();
        check_verdict(c.name, &c.reveal, post, &v, false);
    }
    Outcome::Keep
}

/// `data` as a pack's TOML (if UTF-8): parsing, adding to a policy and
/// compiling must not panic; a pack that compiles screens a few fixed posts
/// and its own examples, and [`check_verdict`] must hold for each verdict.
///
/// A pack whose `extends` names anything but bundled packs is only parsed:
/// the fuzzer must not read files (see the report on `/dev/zero`).
pub fn check_pack(data: &[u8]) -> Outcome {
    if data.len() > MAX_INPUT {
        return Outcome::Reject;
    }
    let Ok(src) = std::str::from_utf8(data) else {
        return Outcome::Reject;
    };
    let pack = match preclear::Pack::from_toml("fuzz.toml", src) {
        Ok(pack) => pack,
        Err(e) => {
            assert!(!e.to_string().is_empty(), "empty error for {src:?}");
            return Outcome::Keep;
        }
    };
    if !pack.extends().all(|e| bundled_names().any(|b| b == e)) {
        return Outcome::Keep;
    }

    let mut policy = Policy::new();
    if let Err(e) = policy.add_toml("fuzz.toml", src) {
        assert!(!e.to_string().is_empty(), "empty error for {src:?}");
        assert!(
            policy.packs().is_empty(),
            "a failed add_toml changed the policy: {src:?}"
        );
        return Outcome::Keep;
    }
    let screener = match Screener::new(&policy) {
        Ok(s) => s,
        Err(e) => {
            assert!(!e.to_string().is_empty(), "empty error for {src:?}");
            return Outcome::Keep;
        }
    };
    assert_eq!(screener.fingerprint(), policy.fingerprint(), "{src:?}");
    let examples = pack.examples().iter().take(16).map(|e| e.text.as_str());
    for post in POSTS.iter().copied().chain(examples) {
        let v = screener.screen(post).unwrap();
        check_verdict("fuzz.toml", &screener, post, &v, true);
    }
    Outcome::Keep
}

/// What every verdict must satisfy (SPEC §1 "Verdict", §2):
///
/// - every span lies within the post, on character boundaries, start <=
///   end, and spans come in text order; `line`/`column` are given exactly
///   when the span is, and are right (1-based, column in characters);
/// - the decision is at least every reason's action, and is exactly the
///   higher of the thresholds' verdict for the score and the highest
///   action; the score is the sum, over rules, of each rule's best hit;
/// - the JSON form parses and carries the same reasons;
/// - when masking is on (`masked`): no masked hit shows more than four of
///   its letters or digits in the redacted post, every excerpt is a piece
///   of the redacted post (so it shows nothing redaction hides), and — the
///   bound the brief asked for — a masked reason's excerpt holds at most 4
///   ASCII digits per masked hit plus the digits of the post that no hit
///   masks (the words around a hit may carry digits of their own);
/// - when masking is off, no reason is masked.
pub fn check_verdict(
    pack: &str,
    screener: &Screener,
    post: &str,
    v: &Verdict,
    masked: bool,
) {
    let ctx = || format!("pack {pack}, post {post:?}, verdict {v:#?}");
    // Line and column of `pos`, advanced reason by reason (they come in
    // text order), so long posts with many hits stay linear.
    let (mut pos, mut line, mut column) = (0, 1, 1);
    let mut best: BTreeMap<&str, u32> = BTreeMap::new();
    let mut floor = Decision::Allow;
    for r in v.reasons() {
        assert!(v.decision() >= r.action(), "decision < action: {}", ctx());
        floor = floor.max(r.action());
        let b = best.entry(r.rule()).or_insert(0);
        *b = (*b).max(r.score());
        let Some(span) = r.span() else {
            assert!(r.line().is_none() && r.column().is_none(), "{}", ctx());
            continue;
        };
        assert!(span.start <= span.end, "start > end: {}", ctx());
        assert!(span.end <= post.len(), "span past the end: {}", ctx());
        assert!(
            post.is_char_boundary(span.start)
                && post.is_char_boundary(span.end),
            "span splits a character: {}",
            ctx()
        );
        assert!(span.start >= pos, "reasons out of order: {}", ctx());
        for c in post[pos..span.start].chars() {
            if c == '\n' {
                (line, column) = (line + 1, 1);
            } else {
                column += 1;
            }
        }
        pos = span.start;
        assert_eq!(r.line(), Some(line), "line: {}", ctx());
        assert_eq!(r.column(), Some(column), "column: {}", ctx());
    }
    if !masked {
        assert!(v.reasons().iter().all(|r| !r.masked()), "{}", ctx());
    }

    let score = best
        .values()
        .fold(0u64, |a, &s| a + u64::from(s))
        .min(u64::from(u32::MAX)) as u32;
    assert_eq!(v.score(), score, "score: {}", ctx());
    let t = screener.thresholds();
    let by_score = if score >= t.block {
        Decision::Block
    } else if score >= t.warn {
        Decision::Warn
    } else {
        Decision::Allow
    };
    assert_eq!(v.decision(), by_score.max(floor), "decision: {}", ctx());

    let json: serde_json::Value =
        serde_json::from_str(&v.to_json("post")).expect("valid JSON");
    let reasons = json["reasons"].as_array().map_or(0, Vec::len);
    assert_eq!(reasons, v.reasons().len(), "JSON reasons: {}", ctx());
    assert_eq!(json["verdict"], v.decision().as_str(), "{}", ctx());

    if masked {
        check_masking(post, v, &ctx);
    }
}

fn check_masking(post: &str, v: &Verdict, ctx: &dyn Fn() -> String) {
    let spans: Vec<_> = v
        .reasons()
        .iter()
        .filter(|r| r.masked())
        .filter_map(|r| r.span())
        .collect();
    let red = v.redact(post);
    let text = red.text();
    for s in &spans {
        let shown = &text[red.offset(s.start)..red.offset(s.end)];
        let visible = shown.chars().filter(|c| c.is_alphanumeric()).count();
        assert!(visible <= 4, "{shown:?} shows too much: {}", ctx());
    }
    // ASCII digits of the post outside every masked hit.
    let mut covered = vec![false; post.len()];
    for s in &spans {
        covered[s.clone()].fill(true);
    }
    let free_digits = post
        .bytes()
        .zip(&covered)
        .filter(|&(b, &c)| b.is_ascii_digit() && !c)
        .count();
    for r in v.reasons() {
        let Some(excerpt) = r.excerpt() else { continue };
        assert!(
            text.contains(excerpt),
            "excerpt {excerpt:?} is not in the redacted post {text:?}: {}",
            ctx()
        );
        if r.masked() {
            let digits = excerpt.bytes().filter(u8::is_ascii_digit).count();
            assert!(
                digits <= 4 * spans.len() + free_digits,
                "excerpt {excerpt:?} shows {digits} digits: {}",
                ctx()
            );
        }
    }
}
