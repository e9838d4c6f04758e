//! The `pack_build` target: packs built from structured input (decoded
//! with `arbitrary`), so that most of them load and compile and the fuzzer
//! spends its time in the screener, not in the TOML parser. A lower pack
//! (optionally over a bundled one) and an upper pack with overrides and
//! exceptions are rendered to TOML, layered, compiled and used to screen
//! posts made mostly of the packs' own terms, numbers that validators
//! accept, Unicode and noise, so that rules fire.

mod post;
mod render;
mod spec;

use arbitrary::{Arbitrary, Unstructured};
use preclear::{bundled_names, Date, ErrorKind, Policy};
use preclear::{Screener, Verdict};

use crate::{check_error, check_verdict, debug, Outcome, MAX_INPUT};
use render::{bundled_ids, Render};
use spec::{pick, Input, Piece, Post, Style, DATES, MAX_POSTS};

/// The bundled pack `under` (if any) and the two rendered packs, as one
/// policy; a pack that fails to load leaves the policy as it was.
fn load(under: Option<&str>, lower: &str, upper: Option<&String>) -> Policy {
    let mut policy = Policy::new();
    if let Some(name) = under {
        policy.add_bundled(name).expect("bundled pack loads");
    }
    for (origin, src) in [
        ("lower.toml", Some(lower)),
        ("upper.toml", upper.map(String::as_str)),
    ] {
        let Some(src) = src else { continue };
        let before = policy.packs().len();
        if let Err(e) = policy.add_toml(origin, src) {
            check_error(&e, &[]);
            assert_eq!(
                policy.packs().len(),
                before,
                "a failed add_toml changed the policy: {src}"
            );
        }
    }
    policy
}

/// `data`, decoded with `arbitrary`, as two packs layered (optionally)
/// over a bundled one, and posts. Loading and compiling may fail but must
/// not panic ([`check_error`]); a policy that compiles screens every post
/// and each verdict satisfies [`check_verdict`] (spans inside the post on
/// character boundaries, masked digits hidden, decision at least every
/// action, JSON that parses); screening is deterministic: the posts
/// screened again, in reverse order and through `screen_at` with the
/// screener's own date, give the same JSON; a post over the size limit is
/// refused with an error that does not quote it.
pub fn check_pack_build(data: &[u8]) -> Outcome {
    if data.len() > MAX_INPUT {
        return Outcome::Reject;
    }
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) else {
        return Outcome::Reject;
    };
    let bundled: Vec<&str> = bundled_names().collect();
    let under =
        input.under.is_multiple_of(8).then(|| pick(&bundled, input.under / 8));
    let extends = input
        .extends
        .is_multiple_of(8)
        .then(|| pick(&bundled, input.extends / 8));
    let mut r = Render::default();
    for name in under.iter().chain(&extends) {
        r.ids.extend_from_slice(bundled_ids(name));
        // Every bundled pack is or extends `base`, which defines it.
        r.concepts.push("contact".into());
    }
    let lower = r.pack("fuzz-lower", extends, &input.lower);
    let upper = input.upper.as_ref().map(|u| r.pack("fuzz-upper", None, u));
    let mut posts: Vec<String> =
        input.posts.iter().take(MAX_POSTS).map(|p| r.post(p)).collect();
    if posts.is_empty() {
        let number = Piece::Number(input.now);
        posts.push(r.post(&Post {
            lead: 0,
            style: Style::Plain,
            pieces: vec![number],
        }));
    }

    if debug() {
        eprintln!("lower:\n{lower}\nupper:\n{upper:?}\nposts: {posts:#?}");
    }

    let policy = load(under, &lower, upper.as_ref());

    let now: Date = pick(DATES, input.now % 4).parse().expect("valid date");
    let mut builder = Screener::builder();
    builder.now(now).reveal_masked(input.reveal).evasion(input.evasion);
    if let Some(n) = input.limit.filter(|n| n.is_multiple_of(4)) {
        builder.max_post_bytes(usize::from(n));
    }
    // A lock or override error in the top pack should not stop the posts
    // from being screened: fall back to the layers beneath it.
    let mut screener = None;
    for n in [policy.packs().len(), policy.packs().len().saturating_sub(1)] {
        if n == 0 {
            break;
        }
        let layers = policy.first(n);
        match builder.build(&layers) {
            Ok(s) => {
                assert!(
                    layers.effective().is_ok(),
                    "compiles but does not layer:\n{lower}\n{upper:?}"
                );
                screener = Some(s);
                break;
            }
            Err(e) => check_error(&e, &[]),
        }
    }
    if debug() {
        eprintln!("compiled: {}", screener.is_some());
    }
    let Some(screener) = screener else {
        return Outcome::Keep;
    };

    let ctx = || format!("lower:\n{lower}\nupper:\n{upper:?}");
    let screen = |post: &str, v: Result<Verdict, preclear::Error>| match v {
        Ok(v) => {
            assert!(post.len() <= screener.max_post_bytes(), "{}", ctx());
            check_verdict("pack_build", &screener, post, &v, !input.reveal);
            Some(v.to_json("p"))
        }
        Err(e) => {
            assert!(
                post.len() > screener.max_post_bytes()
                    && matches!(e.kind(), ErrorKind::Limit(_)),
                "screening failed: {e}: {}",
                ctx()
            );
            // A short post may be a piece of the message's own words.
            let quoted: &[&str] = if post.len() > 40 { &[post] } else { &[] };
            check_error(&e, quoted);
            None
        }
    };
    let first: Vec<Option<String>> =
        posts.iter().map(|p| screen(p, screener.screen(p))).collect();
    if debug() {
        let fired = first.iter().flatten().filter(|j| j.contains("\"rule\""));
        eprintln!("posts with reasons: {}/{}", fired.count(), posts.len());
    }
    for (post, want) in posts.iter().zip(&first).rev() {
        let again = screen(post, screener.screen_at(post, now));
        assert_eq!(&again, want, "not deterministic on {post:?}: {}", ctx());
    }
    Outcome::Keep
}
