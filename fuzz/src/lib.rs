//! The checks behind preclear's fuzz targets, as plain functions: libFuzzer
//! drives them through `fuzz_targets/`, and `tests/replay.rs` replays the
//! seeds and saved crashes through the same code on stable, without
//! libFuzzer (`fuzz/replay.sh`).
//!
//! Targets: `screen` and `pack_parse` (bytes as a post, as a pack; here),
//! `pack_build` (structured packs and posts, `pack_build.rs`) and `capi`
//! (structured programs of C ABI calls, `capi.rs`). See `README.md`.
//!
//! A failed check panics with a message that carries the input as a Rust
//! literal, so it can be pasted into a regression test.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use preclear::{bundled_names, Date, Decision, Policy, Screener, Verdict};

mod capi;
mod pack_build;

pub use capi::check_capi;
pub use pack_build::check_pack_build;

/// Larger inputs are rejected: they only slow the fuzzer down.
pub const MAX_INPUT: usize = 64 * 1024;

/// `PRECLEAR_FUZZ_DEBUG=1` makes the structured targets print what an
/// input decodes to (for looking at seeds and crashes:
/// `PRECLEAR_FUZZ_DEBUG=1 sh fuzz/replay.sh pack_build -- --nocapture`).
fn debug() -> bool {
    static DEBUG: OnceLock<bool> = OnceLock::new();
    *DEBUG.get_or_init(|| std::env::var_os("PRECLEAR_FUZZ_DEBUG").is_some())
}

/// Whether the fuzzer should keep an input in its corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A useful input.
    Keep,
    /// Too large, not UTF-8, or too short to decode.
    Reject,
}

/// The fixed date the second screener of each pack screens as of.
const NOW: &str = "2026-01-15";

/// The posts every pack that compiles is tried on.
pub(crate) const POSTS: &[&str] = &[
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
        let v = c.plain.screen(post).expect("under the size limit");
        check_verdict(c.name, &c.plain, post, &v, true);
        let v = c.reveal.screen_at(post, now).expect("under the limit");
        check_verdict(c.name, &c.reveal, post, &v, false);
    }
    Outcome::Keep
}

/// The bundled packs a fuzzed pack is also layered over: the one with
/// locked rules, categories and thresholds, and the one every bundled
/// pack extends.
const UNDER: &[&str] = &["financial-institution", "base"];

/// `data` as a pack's TOML (if UTF-8): parsing, adding to a policy and
/// compiling must not panic, alone and layered over each of [`UNDER`]; a
/// policy that compiles screens a few fixed posts and the pack's own
/// examples, and [`check_verdict`] must hold for each verdict. Errors are
/// fine; see [`check_error`] for what they must look like.
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
            check_error(&e, &[]);
            return Outcome::Keep;
        }
    };
    if !pack.extends().all(|e| bundled_names().any(|b| b == e)) {
        return Outcome::Keep;
    }
    let examples: Vec<&str> =
        pack.examples().iter().take(16).map(|e| e.text.as_str()).collect();

    for under in std::iter::once(None).chain(UNDER.iter().map(Some)) {
        let mut policy = Policy::new();
        if let Some(name) = under {
            policy.add_bundled(name).expect("bundled pack loads");
        }
        let before = policy.packs().len();
        if let Err(e) = policy.add_toml("fuzz.toml", src) {
            check_error(&e, &[]);
            assert_eq!(
                policy.packs().len(),
                before,
                "a failed add_toml changed the policy: {src:?}"
            );
            continue;
        }
        let label = format!("fuzz.toml over {under:?}");
        compile_and_screen(&label, &policy, &examples);
    }
    Outcome::Keep
}

/// Compiles `policy` (an error is fine) and screens [`POSTS`] and
/// `examples` under [`check_verdict`], each twice for determinism. The
/// screener's size limit is the longest of those posts, so one more post,
/// just over it, must fail with a limit error that quotes none of it.
fn compile_and_screen(label: &str, policy: &Policy, examples: &[&str]) {
    let posts: Vec<&str> =
        POSTS.iter().copied().chain(examples.iter().copied()).collect();
    let limit = posts.iter().map(|p| p.len()).max().unwrap_or(0);
    let screener =
        match Screener::builder().max_post_bytes(limit).build(policy) {
            Ok(s) => s,
            Err(e) => {
                check_error(&e, &[]);
                return;
            }
        };
    assert_eq!(screener.fingerprint(), policy.fingerprint(), "{label}");
    assert!(
        policy.effective().is_ok(),
        "{label}: the policy compiles but does not layer"
    );
    for post in &posts {
        let v = screener.screen(post).expect("a post within the limit");
        check_verdict(label, &screener, post, &v, true);
        check_same(label, &screener, post, &v);
    }
    let over = format!("{} {}", POSTS[2], "4".repeat(limit));
    match screener.screen(&over) {
        Ok(_) => panic!("{label}: a post over the limit was screened"),
        Err(e) => check_error(&e, &[&over, POSTS[2]]),
    }
}

/// Screening `post` again gives the same verdict, to the byte.
pub fn check_same(label: &str, screener: &Screener, post: &str, v: &Verdict) {
    let again = screener.screen(post).expect("a post within the limit");
    assert_eq!(
        again.to_json("post"),
        v.to_json("post"),
        "{label}: screening {post:?} twice differs"
    );
}

/// What every error must satisfy (`preclear::Error`'s contract): a
/// message, on one line (the CLI prints one line per error, SPEC §2), that
/// quotes none of `posts`: an error never carries a post's text.
pub fn check_error(e: &preclear::Error, posts: &[&str]) {
    let msg = e.to_string();
    assert!(!msg.trim().is_empty(), "empty error: {e:?}");
    assert!(!msg.contains('\n'), "a multi-line error: {msg:?}");
    for post in posts {
        assert!(
            !msg.contains(post),
            "the error {msg:?} quotes the post {post:?}"
        );
    }
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
    let by_score = screener.thresholds().decision(score);
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
