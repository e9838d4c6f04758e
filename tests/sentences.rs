//! Sentence and clause scopes in long posts: a post with a hit is
//! segmented only around its hits (src/sentence.rs), so a finding deep in
//! a long document must get the verdict and reasons it gets alone, however
//! the document around it is laid out, and a document with hits in many
//! places (past the point where the whole post is segmented at once) must
//! get each of them. The equality of the local and the whole-post
//! segmentation itself is tested in src/sentence.rs, on the gold posts,
//! every pack example and generated posts.

use std::ops::Range;

use preclear::{Policy, Screener};

const PACK: &str = r#"
[pack]
name = "sentences"
version = "1"

[concepts.certainty]
terms = ["guarantee"]
inflect = "en"
[concepts.return]
terms = ["return", "yield"]
entities = ["percent"]

[[rules]]
id = "promise"
kind = "near"
near = ["certainty", "return"]
scope = "clause"
category = "promissory"
score = 100
action = "block"
negated = "ignore"
message = "No promised returns."

[[rules]]
id = "project"
kind = "terms"
terms = ["project falcon"]
category = "confidential"
score = 100
action = "block"
context = [{ words = ["launch date"], window = "sentence", required = true }]
unless = { words = ["rumour"], window = "clause" }
message = "Project Falcon is not public yet."
"#;

fn screener() -> Screener {
    let mut policy = Policy::new();
    policy.add_toml("sentences.toml", PACK).unwrap();
    Screener::new(&policy).unwrap()
}

/// Each reason as (rule, span), sorted.
fn reasons(s: &Screener, post: &str) -> Vec<(String, Option<Range<usize>>)> {
    let v = s.screen(post).unwrap();
    let mut out: Vec<_> =
        v.reasons().iter().map(|r| (r.rule().to_string(), r.span())).collect();
    out.sort_by_key(|(rule, span)| {
        (span.as_ref().map(|s| s.start), rule.clone())
    });
    out
}

/// Short posts and the rules they fire: sentence and clause scopes,
/// wrapped lines, and a negation read in the hit's sentence.
const CASES: &[(&str, &[&str])] = &[
    ("Project Falcon has a launch date.", &["project"]),
    ("Project Falcon is fine. The launch date is secret.", &[]),
    ("Project Falcon rumour has a launch date", &[]),
    ("Project Falcon, they say, has a rumour and a launch date", &["project"]),
    ("Project Falcon\nhas a launch date soon", &["project"]),
    ("Project Falcon.\nThe launch date is soon", &[]),
    ("Project Falcon 👀 The launch date is soon", &[]),
    ("We guarantee a 6% return.", &["promise"]),
    ("Nobody can guarantee a 6% return.", &[]),
    ("We guarantee service, and a 6% return", &[]),
    // A line break inside a sentence still starts a clause.
    ("We guarantee\na 6% yield for you", &[]),
    ("We guarantee a 6% yield\nfor you", &["promise"]),
];

/// What surrounds a post in a long document: a filler unit repeated
/// before and after it, the post closed by a blank line.
const LAYOUTS: &[(&str, &str)] = &[
    ("one line", "Plain text about nothing in particular. "),
    ("no cut", "plain text about nothing in particular, "),
    ("wrapped lines", "Wrapped text about nothing\nin particular.\n"),
    ("paragraphs", "a paragraph about nothing\n\n"),
    ("bullets", "- a bullet about nothing\n"),
    ("crlf", "A line about nothing.\r\n"),
    ("emoji", "Nothing here 🙂 "),
];

#[test]
fn a_hit_deep_in_a_long_post_reads_its_own_sentence() {
    let s = screener();
    for (post, want) in CASES {
        let alone = reasons(&s, post);
        let fired: Vec<&str> = alone.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(&fired, want, "alone: {post:?}");
        for (layout, unit) in LAYOUTS {
            let before = unit.repeat(150);
            let long = format!("{before}{post}\n\n{}", unit.repeat(150));
            let shifted: Vec<_> = alone
                .iter()
                .map(|(r, span)| {
                    let span = span
                        .clone()
                        .map(|s| s.start + before.len()..s.end + before.len());
                    (r.clone(), span)
                })
                .collect();
            assert_eq!(reasons(&s, &long), shifted, "{layout}: {post:?}");
        }
    }
}

/// More hits than the local search keeps regions for (the whole post is
/// then segmented at once): every case still gets its own answer.
#[test]
fn many_hits_in_one_post_each_read_their_own_sentence() {
    let s = screener();
    for (layout, unit) in LAYOUTS {
        let mut long = String::new();
        let mut want = Vec::new();
        for round in 0..8 {
            for (post, _) in CASES {
                long.push_str(&unit.repeat(3 + round));
                let at = long.len();
                for (r, span) in reasons(&s, post) {
                    want.push((r, span.map(|s| s.start + at..s.end + at)));
                }
                long.push_str(post);
                long.push_str("\n\n");
            }
        }
        assert!(want.len() > 32, "{layout}: too few hits to pass the limit");
        assert_eq!(reasons(&s, &long), want, "{layout}");
    }
}
