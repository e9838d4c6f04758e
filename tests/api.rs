//! The library through its public API, with small inline packs.
//!
//! Most behaviour is in tables of named cases: a pack (its rules, under a
//! fixed `[pack]` header), a post, and the verdict, score and rules that
//! must fire (in text order). Every table reports all its failures at once.

use std::path::{Path, PathBuf};

use preclear::{Date, Decision, Error, ErrorKind, Policy, Screener};
use serde_json::Value;

const HEAD: &str = "[pack]\nname = \"t\"\nversion = \"1.0.0\"\n";

/// A pack's source: the fixed header, then `body`.
fn pack_source(body: &str) -> String {
    format!("{HEAD}{body}")
}

/// Compiles one inline pack (under the fixed header).
fn screener(body: &str) -> Screener {
    compile(&[("t.toml", &pack_source(body))])
        .unwrap_or_else(|e| panic!("pack does not compile: {e}"))
}

/// Compiles a stack of `(origin, source)` packs, most general first.
fn compile(packs: &[(&str, &str)]) -> Result<Screener, Error> {
    let mut policy = Policy::new();
    for (origin, src) in packs {
        policy.add_toml(origin, src)?;
    }
    Screener::new(&policy)
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn valid_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/packs/valid")
}

struct Case {
    name: &'static str,
    pack: &'static str,
    post: &'static str,
    verdict: Decision,
    score: u32,
    /// Rule ids of the reasons, in order.
    fired: &'static [&'static str],
}

/// `t!("name": PACK, "post" => Verdict score ["rule", …])`
macro_rules! t {
    ($name:literal: $pack:ident, $post:expr
     => $verdict:ident $score:literal [$($rule:literal),* $(,)?]) => {
        Case {
            name: $name,
            pack: $pack,
            post: $post,
            verdict: Decision::$verdict,
            score: $score,
            fired: &[$($rule),*],
        }
    };
}

fn run(cases: &[Case]) {
    let mut failures = Vec::new();
    for c in cases {
        let s = match compile(&[("t.toml", &pack_source(c.pack))]) {
            Ok(s) => s,
            Err(e) => {
                failures
                    .push(format!("{}: pack does not compile: {e}", c.name));
                continue;
            }
        };
        let v = s.screen(c.post).unwrap();
        let fired: Vec<&str> = v.reasons().iter().map(|r| r.rule()).collect();
        if v.decision() != c.verdict
            || v.score() != c.score
            || fired != c.fired
        {
            failures.push(format!(
                "{}: {:?}\n   got {} {} {fired:?}\n  want {} {} {:?}",
                c.name,
                c.post,
                v.decision(),
                v.score(),
                c.verdict,
                c.score,
                c.fired
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------
// Matching: whole words, apostrophes, scripts, case.

const ASS: &str = r#"
[[rules]]
id = "w.ass"
kind = "terms"
terms = ["ass"]
score = 100
action = "block"
"#;

const ASS_PARTIAL: &str = r#"
[[rules]]
id = "w.ass"
kind = "terms"
terms = ["ass"]
whole_word = false
score = 100
action = "block"
"#;

const CANT_LOSE: &str = r#"
[[rules]]
id = "w.cant-lose"
kind = "terms"
terms = ["can't lose"]
score = 100
action = "block"
"#;

/// The term itself written with a typographic apostrophe and capitals.
const CANT_LOSE_TYPO: &str = r#"
[[rules]]
id = "w.cant-lose"
kind = "terms"
terms = ["Can’t  Lose"]
score = 100
action = "block"
"#;

const CAN: &str = r#"
[[rules]]
id = "w.can"
kind = "terms"
terms = ["can"]
score = 100
action = "block"
"#;

const CJK: &str = r#"
[[rules]]
id = "w.cjk"
kind = "terms"
terms = ["保证收益", "ギター", "서울"]
score = 100
action = "block"
"#;

const ETE: &str = r#"
[[rules]]
id = "c.ete"
kind = "terms"
terms = ["été"]
score = 100
action = "block"
"#;

const ETE_UPPER: &str = r#"
[[rules]]
id = "c.ete"
kind = "terms"
terms = ["ÉTÉ"]
score = 100
action = "block"
"#;

const MOSCOW: &str = r#"
[[rules]]
id = "c.moscow"
kind = "terms"
terms = ["москва"]
score = 100
action = "block"
"#;

const SECRET_PATTERN: &str = r#"
[[rules]]
id = "c.secret"
kind = "pattern"
pattern = '\bsecret-\d{3}\b'
score = 100
action = "block"

[[rules]]
id = "c.ete-pattern"
kind = "pattern"
pattern = 'été'
score = 40
"#;

#[test]
fn whole_word_matching() {
    run(&[
        t!("class does not contain ass": ASS, "a class act" => Allow 0 []),
        t!("passage does not contain ass": ASS, "passage" => Allow 0 []),
        t!("ass on its own": ASS, "what an ass!" => Block 100 ["w.ass"]),
        t!("ass before punctuation": ASS, "(ass)" => Block 100 ["w.ass"]),
        t!("whole_word = false matches inside": ASS_PARTIAL,
           "a class act" => Block 100 ["w.ass"]),
        t!("typographic apostrophe in the post": CANT_LOSE,
           "You can’t lose with us" => Block 100 ["w.cant-lose"]),
        t!("ASCII apostrophe in the post": CANT_LOSE,
           "you can't lose" => Block 100 ["w.cant-lose"]),
        t!("typographic apostrophe and spaces in the term": CANT_LOSE_TYPO,
           "YOU CAN'T LOSE" => Block 100 ["w.cant-lose"]),
        t!("no-break space in the post": CANT_LOSE,
           "you can't\u{a0}lose" => Block 100 ["w.cant-lose"]),
        t!("a longer word is not the term": CANT_LOSE,
           "you can't loser" => Allow 0 []),
        t!("can't is one word": CAN, "you can't" => Allow 0 []),
        t!("can on its own": CAN, "yes we can" => Block 100 ["w.can"]),
        t!("Han term inside a Han sentence": CJK,
           "我们保证收益！" => Block 100 ["w.cjk"]),
        t!("Katakana term inside a longer Katakana word": CJK,
           "エレキギター" => Allow 0 []),
        t!("Katakana term before Han": CJK,
           "ギター教室" => Block 100 ["w.cjk"]),
        t!("Hangul term inside a longer word": CJK,
           "서울시청" => Allow 0 []),
        t!("Hangul term as a word": CJK,
           "서울 시청" => Block 100 ["w.cjk"]),
    ]);
}

#[test]
fn case_insensitive_matching() {
    run(&[
        t!("lower-case term, upper-case post": ETE,
           "ÉTÉ 2026" => Block 100 ["c.ete"]),
        t!("upper-case term, lower-case post": ETE_UPPER,
           "un été chaud" => Block 100 ["c.ete"]),
        t!("mixed case": ETE, "Été" => Block 100 ["c.ete"]),
        t!("Cyrillic": MOSCOW, "МОСКВА ждёт" => Block 100 ["c.moscow"]),
        t!("pattern, ASCII": SECRET_PATTERN,
           "the code is SECRET-123" => Block 100 ["c.secret"]),
        t!("pattern with a non-ASCII literal": SECRET_PATTERN,
           "L'ÉTÉ" => Warn 40 ["c.ete-pattern"]),
    ]);
}

// ---------------------------------------------------------------------------
// Context, required context, unless.

const CONTEXT: &str = r#"
[[rules]]
id = "c.widget"
kind = "terms"
terms = ["widget"]
score = 20
context = [
  { words = ["buy", "order now"], window = 3, score = 30 },
  { words = ["sale"], window = 1, score = 40 },
]
"#;

const LOWER: &str = r#"
[[rules]]
id = "c.promo"
kind = "terms"
terms = ["promo"]
score = 100
context = [{ words = ["sample", "test"], window = 2, score = -80 }]

[[rules]]
id = "c.small"
kind = "terms"
terms = ["tiny"]
score = 10
context = [{ words = ["sample"], window = 2, score = -50 }]
"#;

const REQUIRED: &str = r#"
[[rules]]
id = "c.ssn"
kind = "pattern"
pattern = '\b\d{9}\b'
score = 100
action = "block"
context = [
  { words = ["ssn", "social security"], window = 3, required = true },
]
"#;

/// Two required entries are alternatives: either one's word in its own
/// window lets the hit count (rules/README.md, "context").
const REQUIRED_EITHER: &str = r#"
[[rules]]
id = "c.account"
kind = "pattern"
pattern = '\b\d{8}\b'
score = 100
action = "block"
context = [
  { words = ["iban"], window = "sentence", required = true },
  { words = ["account"], window = 2, required = true },
]
"#;

#[test]
fn context_raises_and_lowers_the_score() {
    run(&[
        t!("no context": CONTEXT, "new widget" => Allow 20 ["c.widget"]),
        t!("context word before": CONTEXT,
           "buy the widget" => Warn 50 ["c.widget"]),
        t!("context word after": CONTEXT,
           "widget: buy it" => Warn 50 ["c.widget"]),
        t!("context phrase": CONTEXT,
           "widget, order now" => Warn 50 ["c.widget"]),
        t!("three words between, window 3": CONTEXT,
           "buy one two three widget" => Warn 50 ["c.widget"]),
        t!("four words between, window 3": CONTEXT,
           "buy one two three four widget" => Allow 20 ["c.widget"]),
        t!("two words of one entry count once": CONTEXT,
           "buy widget, order now" => Warn 50 ["c.widget"]),
        t!("two entries add up": CONTEXT,
           "buy sale widget" => Warn 90 ["c.widget"]),
        t!("second entry outside its window": CONTEXT,
           "sale one two widget" => Allow 20 ["c.widget"]),
        t!("no lowering": LOWER, "promo" => Block 100 ["c.promo"]),
        t!("lowered": LOWER, "test promo" => Allow 20 ["c.promo"]),
        t!("lowered once": LOWER, "sample test promo" => Allow 20 ["c.promo"]),
        t!("lowered below zero is not reported": LOWER,
           "sample tiny" => Allow 0 []),
    ]);
}

#[test]
fn required_context() {
    run(&[
        t!("required word near": REQUIRED,
           "my ssn: 123456789" => Block 100 ["c.ssn"]),
        t!("required phrase near": REQUIRED,
           "social security number is 123456789" => Block 100 ["c.ssn"]),
        t!("required word absent": REQUIRED,
           "order 123456789 shipped" => Allow 0 []),
        t!("required word too far": REQUIRED,
           "ssn one two three four 123456789" => Allow 0 []),
        t!("first alternative, far in the sentence": REQUIRED_EITHER,
           "the iban was wrong, so here is the number again: 12345678" => Block 100 ["c.account"]),
        t!("second alternative, in its window": REQUIRED_EITHER,
           "account no 12345678" => Block 100 ["c.account"]),
        t!("second alternative outside its window, no first": REQUIRED_EITHER,
           "account was wrong, the right one is 12345678" => Allow 0 []),
        t!("neither alternative": REQUIRED_EITHER,
           "order 12345678 shipped" => Allow 0 []),
    ]);
}

const UNLESS: &str = r#"
[[rules]]
id = "u.leak"
kind = "terms"
terms = ["leak"]
score = 100
action = "block"
unless = { words = ["no", "fake news"], window = 2 }

[[rules]]
id = "u.ripper"
kind = "terms"
terms = ["spotify downloader"]
score = 100
action = "block"
unless = { words = ["spotify", "stream"], window = 3 }

[[rules]]
id = "u.tour"
kind = "terms"
terms = ["tour"]
score = 40
"#;

#[test]
fn unless_suppresses_within_its_window() {
    run(&[
        t!("no unless word": UNLESS, "big leak" => Block 100 ["u.leak"]),
        t!("unless word before": UNLESS, "no leak" => Allow 0 []),
        t!("unless phrase after": UNLESS,
           "leak? fake news" => Allow 0 []),
        t!("two words between, window 2": UNLESS,
           "no big bad leak" => Allow 0 []),
        t!("three words between, window 2": UNLESS,
           "no very big bad leak" => Block 100 ["u.leak"]),
        t!("only its own rule is suppressed": UNLESS,
           "no leak on tour" => Warn 40 ["u.tour"]),
        t!("the other rule's words do not suppress": UNLESS,
           "leak tour" => Block 140 ["u.leak", "u.tour"]),
        t!("a rule's own words do not suppress it": UNLESS,
           "get a Spotify-Downloader" => Block 100 ["u.ripper"]),
        t!("the same word outside the hit does": UNLESS,
           "a spotify downloader? stream it on spotify" => Allow 0 []),
    ]);
}

const SCOPES: &str = r#"
[[rules]]
id = "s.routing"
kind = "pattern"
pattern = '\b\d{9}\b'
score = 100
action = "block"
context = [{ words = ["routing number"], window = "sentence", required = true }]

[[rules]]
id = "s.promise"
kind = "terms"
terms = ["guaranteed"]
score = 100
action = "block"
unless = { words = ["refund"], window = "clause" }

[[rules]]
id = "s.secret"
kind = "terms"
terms = ["falcon"]
score = 40
context = [{ words = ["launch"], window = "post", score = 60 }]

[[rules]]
id = "s.default"
kind = "terms"
terms = ["moon"]
score = 40
context = [{ words = ["ticker"], score = 60 }]
"#;

/// Windows that are a clause, a sentence or the post, and the default
/// (the sentence) for context.
#[test]
fn windows_reach_a_clause_sentence_or_post() {
    run(&[
        t!("context far away in the same sentence": SCOPES,
           "the routing number I gave you yesterday was wrong, the correct \
            one is 021000021" => Block 100 ["s.routing"]),
        t!("context in the sentence before": SCOPES,
           "My routing number changed. Call 021000021 today." => Allow 0 []),
        t!("a wrapped line is one sentence": SCOPES,
           "routing number:\n021000021" => Block 100 ["s.routing"]),
        t!("a bullet starts a sentence": SCOPES,
           "routing number\n- 021000021" => Allow 0 []),
        t!("unless in the hit's clause": SCOPES,
           "guaranteed refund within 30 days" => Allow 0 []),
        t!("unless in another clause": SCOPES,
           "guaranteed 8% returns, refund policy on request"
            => Block 100 ["s.promise"]),
        t!("unless after a but": SCOPES,
           "guaranteed growth but no refund" => Block 100 ["s.promise"]),
        t!("post scope reaches other sentences": SCOPES,
           "Falcon is coming. The launch is Friday." => Block 100 ["s.secret"]),
        t!("default context scope is the sentence": SCOPES,
           "moon soon, says the ticker" => Block 100 ["s.default"]),
        t!("default context scope stops at the sentence": SCOPES,
           "To the moon! Check the ticker." => Warn 40 ["s.default"]),
        t!("an emoji before a capital ends a sentence": SCOPES,
           "routing number 👀 Call 021000021" => Allow 0 []),
    ]);
}

#[test]
fn a_window_must_be_words_or_a_scope_name() {
    for (window, want) in [
        ("\"paragraph\"", "unknown value `paragraph` (expected one of `clause`, `sentence`, `sentence-and-previous`, `post`)"),
        ("-1", "expected a number of words from 0 to 4294967295, found -1"),
        ("1.5", "a number of words, or \"clause\", \"sentence\", \"sentence-and-previous\" or \"post\""),
    ] {
        let body = format!(
            "[[rules]]\nid = \"w.x\"\nkind = \"terms\"\nterms = [\"x\"]\n\
             score = 10\ncontext = [{{ words = [\"y\"], window = {window} }}]\n"
        );
        let err = compile(&[("t.toml", &pack_source(&body))])
            .err()
            .unwrap_or_else(|| panic!("window = {window} compiled"));
        let msg = err.to_string();
        assert!(msg.starts_with("t.toml:9:"), "{window}: {msg}");
        assert!(msg.contains(want), "{window}: {msg}");
    }
}

// ---------------------------------------------------------------------------
// Exceptions.

const EXC_RULE: &str = r#"
[[rules]]
id = "x.id"
kind = "pattern"
pattern = '\bac-\d{8}\b'
category = "pii"
score = 100
action = "block"

[[rules]]
id = "x.zero"
kind = "pattern"
pattern = '\bac-0+\b'
category = "pii"
score = 40

[[exceptions]]
rules = ["x.id"]
terms = ["AC-00000000", "sample"]
reason = "The documented sample id is public."
"#;

const EXC_CATEGORY: &str = r#"
[[rules]]
id = "x.id"
kind = "pattern"
pattern = '\bac-\d{8}\b'
category = "pii"
score = 100
action = "block"

[[rules]]
id = "x.nine"
kind = "pattern"
pattern = '\bac-9+\b'
category = "demo"
score = 40

[[exceptions]]
categories = ["pii"]
patterns = ['AC-9{8}']
"#;

const EXC_ALL: &str = r#"
[[rules]]
id = "x.id"
kind = "pattern"
pattern = '\bac-\d{8}\b'
category = "pii"
score = 100
action = "block"

[[rules]]
id = "x.zero"
kind = "pattern"
pattern = '\bac-0+\b'
category = "demo"
score = 40

[[exceptions]]
terms = ["ac-00000000"]
"#;

#[test]
fn exceptions_by_rule_and_by_category() {
    run(&[
        t!("by rule, term: not excepted": EXC_RULE,
           "id AC-12345678" => Block 100 ["x.id"]),
        t!("by rule, term: excepted; other rule still fires": EXC_RULE,
           "id AC-00000000" => Warn 40 ["x.zero"]),
        t!("by rule, term: only the overlapping hit": EXC_RULE,
           "AC-00000000 and AC-12345678" => Block 140 ["x.zero", "x.id"]),
        t!("by rule, term elsewhere in the post": EXC_RULE,
           "sample AC-12345678" => Block 100 ["x.id"]),
        t!("by category, pattern: not excepted": EXC_CATEGORY,
           "id AC-12345678" => Block 100 ["x.id"]),
        t!("by category, pattern: excepted; other category fires":
           EXC_CATEGORY, "id ac-99999999" => Warn 40 ["x.nine"]),
        t!("no rules nor categories: every rule": EXC_ALL,
           "id AC-00000000" => Allow 0 []),
        t!("no rules nor categories: other hits stay": EXC_ALL,
           "id AC-00000001" => Block 100 ["x.id"]),
    ]);
}

const EXC_SENTENCE: &str = r#"
[[rules]]
id = "x.id"
kind = "pattern"
pattern = '\bac-\d{8}\b'
category = "pii"
score = 100
action = "block"

[[exceptions]]
rules = ["x.id"]
terms = ["sample", "training deck"]
window = "sentence"
reason = "Ids in training material are the documented samples."
"#;

#[test]
fn exceptions_with_a_window() {
    run(&[
        t!("word in the same sentence": EXC_SENTENCE,
           "the sample in our deck is AC-12345678" => Allow 0 []),
        t!("word in the next sentence": EXC_SENTENCE,
           "Your id is AC-12345678. See the training deck."
            => Block 100 ["x.id"]),
        t!("no word": EXC_SENTENCE,
           "my id is AC-12345678" => Block 100 ["x.id"]),
    ]);
}

/// An exception in a later pack applies to a rule of an earlier one.
#[test]
fn exception_in_overlay_applies_to_earlier_pack() {
    let org =
        pack_source(EXC_CATEGORY.split("[[exceptions]]").next().unwrap());
    let team = "[pack]\nname = \"team\"\nversion = \"1.0.0\"\nlevel = \
                \"team\"\n\n[[exceptions]]\nrules = [\"x.id\"]\nterms = \
                [\"AC-11111111\"]\n";
    let s = compile(&[("org.toml", &org), ("team.toml", team)]).unwrap();
    assert_eq!(s.screen("AC-11111111").unwrap().decision(), Decision::Allow);
    assert_eq!(s.screen("AC-12345678").unwrap().decision(), Decision::Block);
}

// ---------------------------------------------------------------------------
// Scoring.

const SCORING: &str = r#"
[[rules]]
id = "s.a"
kind = "terms"
terms = ["alpha"]
score = 20

[[rules]]
id = "s.b"
kind = "terms"
terms = ["beta"]
score = 20

[[rules]]
id = "s.c"
kind = "terms"
terms = ["gamma"]
score = 60

[[rules]]
id = "s.warn"
kind = "terms"
terms = ["delta"]
action = "warn"

[[rules]]
id = "s.block"
kind = "terms"
terms = ["epsilon"]
action = "block"

[[rules]]
id = "s.big-warn"
kind = "terms"
terms = ["zeta"]
score = 150
action = "warn"

[[rules]]
id = "s.ctx"
kind = "terms"
terms = ["eta"]
score = 20
context = [{ words = ["theta"], window = 1, score = 40 }]
"#;

const THRESHOLDS: &str = r#"
[thresholds]
warn = 10
block = 40

[[rules]]
id = "s.a"
kind = "terms"
terms = ["alpha"]
score = 20

[[rules]]
id = "s.b"
kind = "terms"
terms = ["beta"]
score = 20

[[rules]]
id = "s.c"
kind = "terms"
terms = ["gamma"]
score = 9
"#;

#[test]
fn score_aggregation_thresholds_and_action_floor() {
    run(&[
        t!("one rule": SCORING, "alpha" => Allow 20 ["s.a"]),
        t!("a rule counts once": SCORING,
           "alpha alpha alpha" => Allow 20 ["s.a", "s.a", "s.a"]),
        t!("sum over rules": SCORING,
           "alpha beta" => Warn 40 ["s.a", "s.b"]),
        t!("sum over rules, each once": SCORING,
           "beta alpha beta alpha" => Warn 40 ["s.b", "s.a", "s.b", "s.a"]),
        t!("sum reaches block": SCORING,
           "alpha beta gamma" => Block 100 ["s.a", "s.b", "s.c"]),
        t!("a rule's best hit counts": SCORING,
           "eta one two three theta eta" => Warn 60 ["s.ctx", "s.ctx"]),
        t!("action floor warn, score 0": SCORING,
           "delta" => Warn 0 ["s.warn"]),
        t!("action floor block, score 0": SCORING,
           "epsilon" => Block 0 ["s.block"]),
        t!("thresholds above the action": SCORING,
           "zeta" => Block 150 ["s.big-warn"]),
        t!("action above the thresholds": SCORING,
           "alpha epsilon" => Block 20 ["s.a", "s.block"]),
        t!("custom: below warn": THRESHOLDS, "gamma" => Allow 9 ["s.c"]),
        t!("custom: at warn": THRESHOLDS,
           "gamma alpha" => Warn 29 ["s.c", "s.a"]),
        t!("custom: at block": THRESHOLDS,
           "alpha beta" => Block 40 ["s.a", "s.b"]),
    ]);
}

/// The last pack that sets thresholds wins.
#[test]
fn later_thresholds_win() {
    let org = pack_source(THRESHOLDS);
    let team = "[pack]\nname = \"team\"\nversion = \"1.0.0\"\n\n\
                [thresholds]\nwarn = 50\nblock = 60\n";
    let s = compile(&[("org.toml", &org), ("team.toml", team)]).unwrap();
    assert_eq!(s.thresholds().warn, 50);
    assert_eq!(s.thresholds().block, 60);
    let v = s.screen("alpha beta").unwrap();
    assert_eq!((v.decision(), v.score()), (Decision::Allow, 40));
}

// ---------------------------------------------------------------------------
// Reasons: order, spans, positions, excerpts.

const POSITIONS: &str = r#"
[[rules]]
id = "p.buy"
kind = "terms"
terms = ["achetez"]
score = 10
message = "Pas d'appel à l'achat."

[[rules]]
id = "p.year"
kind = "pattern"
pattern = '\b20\d\d\b'
category = "date"
score = 5
action = "warn"

[[rules]]
id = "p.ete"
kind = "terms"
terms = ["été"]
score = 20
"#;

#[test]
fn reasons_in_text_order_with_spans_lines_and_columns() {
    let post =
        "Héllo wörld — notre été\n  Joyeux ÉTÉ, achetez maintenant 2026!";
    let v = screener(POSITIONS).screen(post).unwrap();
    let got: Vec<_> = v
        .reasons()
        .iter()
        .map(|r| (r.rule(), r.span().unwrap(), r.line(), r.column()))
        .collect();
    assert_eq!(
        got,
        [
            ("p.ete", 24..29, Some(1), Some(21)),
            ("p.ete", 39..44, Some(2), Some(10)),
            ("p.buy", 46..53, Some(2), Some(15)),
            ("p.year", 65..69, Some(2), Some(34)),
        ]
    );
    let texts: Vec<&str> =
        v.reasons().iter().map(|r| &post[r.span().unwrap()]).collect();
    assert_eq!(texts, ["été", "ÉTÉ", "achetez", "2026"]);
    assert_eq!(v.score(), 35);
    assert_eq!(v.decision(), Decision::Warn);

    let buy = &v.reasons()[2];
    assert_eq!(buy.pack(), "t");
    assert_eq!(buy.category(), "");
    assert_eq!(buy.action(), Decision::Allow);
    assert_eq!(buy.score(), 10);
    assert_eq!(buy.message(), "Pas d'appel à l'achat.");
    assert!(!buy.masked());
    // Excerpts stay on the hit's line and hold the hit.
    let e = v.reasons()[0].excerpt().unwrap();
    assert!(e.contains("notre été") && !e.contains("Joyeux"), "{e}");
    let e = buy.excerpt().unwrap();
    assert!(e.contains("achetez") && !e.contains("notre"), "{e}");
}

/// Spans point at the original bytes, whatever the normaliser did.
#[test]
fn spans_cover_the_original_bytes() {
    let post = "You CAN’T\u{200b} lose";
    let v = screener(CANT_LOSE_TYPO).screen(post).unwrap();
    assert_eq!(v.reasons().len(), 1);
    let span = v.reasons()[0].span().unwrap();
    assert_eq!(&post[span.clone()], "CAN’T\u{200b} lose");
    assert_eq!(span, 4..post.len());
    assert_eq!(v.reasons()[0].column(), Some(5));
}

const CARD: &str = r#"
[[rules]]
id = "m.card"
kind = "pattern"
pattern = '\b\d(?:[ -]?\d){12,18}\b'
validator = "luhn"
category = "pii"
score = 100
action = "block"
mask = true
message = "Remove the card number."
"#;

/// Unmasked rules whose hits overlap the card or whose excerpts reach it.
const CARD_AND_FRIENDS: &str = r#"
[[rules]]
id = "m.card"
kind = "pattern"
pattern = '\b\d(?:[ -]?\d){12,18}\b'
validator = "luhn"
category = "pii"
score = 100
action = "block"
mask = true

[[rules]]
id = "m.charge"
kind = "terms"
terms = ["charge"]
score = 10

[[rules]]
id = "m.groups"
kind = "pattern"
pattern = '\b\d{4} \d{4}\b'
score = 10

[[rules]]
id = "m.today"
kind = "terms"
terms = ["today"]
score = 10
"#;

const SECRET_CARD: &str = "4539 1488 0343 6467";
const SECRET_DIGITS: &str = "4539148803436467";

/// Every string in a JSON verdict but the fingerprint.
fn json_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        Value::Object(o) => {
            for (k, x) in o {
                if k != "fingerprint" {
                    json_strings(x, out);
                }
            }
        }
        _ => {}
    }
}

/// Fails if the JSON shows more than the last four digits of the card.
fn assert_card_hidden(json: &str) {
    let v: Value = serde_json::from_str(json).unwrap();
    let mut strings = Vec::new();
    json_strings(&v, &mut strings);
    for s in &strings {
        for group in SECRET_CARD.split(' ').take(3) {
            assert!(!s.contains(group), "{group} shown in {s:?}\n{json}");
        }
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        for w in SECRET_DIGITS.as_bytes().windows(5) {
            let w = std::str::from_utf8(w).unwrap();
            assert!(!digits.contains(w), "{w} shown in {s:?}\n{json}");
        }
    }
}

#[test]
fn masked_excerpts() {
    let post = "Please charge card 4111 1111 1111 1111 today";
    let v = screener(CARD).screen(post).unwrap();
    assert_eq!(v.decision(), Decision::Block);
    let r = &v.reasons()[0];
    assert_eq!(r.span(), Some(19..38));
    assert!(r.masked());
    assert_eq!(
        r.excerpt(),
        Some("charge card •••• •••• •••• 1111 today"),
        "excerpt"
    );
    let json = v.to_json("post");
    assert!(json.contains("•••• •••• •••• 1111"), "{json}");
    assert!(!json.contains("4111"), "{json}");
    // The CLI writes verdicts into a buffer it reuses, behind what it
    // already holds: the same bytes, appended.
    let mut buf = b"before\n".to_vec();
    v.write_json("post", &mut buf).unwrap();
    assert_eq!(buf, [b"before\n", json.as_bytes()].concat());

    let post = format!("Please charge card {SECRET_CARD} today");
    let v = screener(CARD).screen(&post).unwrap();
    assert_card_hidden(&v.to_json("post"));
    let redacted = v.redact(&post);
    assert_eq!(
        redacted.text(),
        "Please charge card •••• •••• •••• 6467 today"
    );
}

/// Redacting a text other than the one screened never panics, even when a
/// span would end inside one of its characters (the C ABI only checks the
/// length).
#[test]
fn redacting_another_text_of_the_same_length_does_not_panic() {
    let post = format!("{SECRET_CARD} x");
    let v = screener(CARD).screen(&post).unwrap();
    let end = v.reasons()[0].span().unwrap().end;
    // Same length; a two-byte character straddles the card's end.
    let other = format!(
        "{}é{}",
        "a".repeat(end - 1),
        "b".repeat(post.len() - end - 1)
    );
    assert_eq!(other.len(), post.len());
    assert!(!other.is_char_boundary(end));
    assert_eq!(v.redact(&other).text(), other);
    assert_eq!(v.redact_findings(&other).text(), other);
}

#[test]
fn masked_value_hidden_from_overlapping_unmasked_excerpts() {
    let post = format!("Please charge card {SECRET_CARD} today");
    let v = screener(CARD_AND_FRIENDS).screen(&post).unwrap();
    let fired: Vec<&str> = v.reasons().iter().map(|r| r.rule()).collect();
    for want in ["m.card", "m.charge", "m.groups", "m.today"] {
        assert!(fired.contains(&want), "{want} did not fire: {fired:?}");
    }
    // The unmasked rules' own matches lie in the card: shown masked.
    for r in v.reasons().iter().filter(|r| r.rule() == "m.groups") {
        assert!(r.excerpt().unwrap().contains("••••"), "{:?}", r.excerpt());
    }
    assert_card_hidden(&v.to_json("post"));
}

#[test]
fn reveal_masked_shows_the_value() {
    let mut policy = Policy::new();
    policy.add_toml("t.toml", &pack_source(CARD)).unwrap();
    let s = Screener::builder().reveal_masked(true).build(&policy).unwrap();
    let post = format!("Please charge card {SECRET_CARD} today");
    let v = s.screen(&post).unwrap();
    assert_eq!(v.decision(), Decision::Block);
    let expect = format!("charge card {SECRET_CARD} today");
    assert_eq!(v.reasons()[0].excerpt(), Some(expect.as_str()));
    assert!(v.to_json("p").contains(SECRET_CARD));
    // The default builder still masks.
    let s = Screener::builder().build(&policy).unwrap();
    assert!(!s.screen(&post).unwrap().to_json("p").contains(SECRET_CARD));
}

// ---------------------------------------------------------------------------
// Dates.

const DATED: &str = r#"
[[rules]]
id = "d.album"
kind = "terms"
terms = ["album"]
score = 100
action = "block"
active_from = "2026-03-01"
active_until = "2026-03-31"
"#;

const DATED_OPEN: &str = r#"
[[rules]]
id = "d.past"
kind = "terms"
terms = ["album"]
score = 10
active_until = "2000-01-01"

[[rules]]
id = "d.current"
kind = "terms"
terms = ["album"]
score = 20
active_from = "2000-01-01"

[[rules]]
id = "d.future"
kind = "terms"
terms = ["album"]
score = 40
active_from = "9999-01-01"
"#;

#[test]
fn active_dates_with_screen_at() {
    let s = screener(DATED);
    let cases = [
        ("2026-02-28", Decision::Allow),
        ("2026-03-01", Decision::Block),
        ("2026-03-15", Decision::Block),
        ("2026-03-31", Decision::Block),
        ("2026-04-01", Decision::Allow),
    ];
    for (day, want) in cases {
        let v = s.screen_at("new album", date(day)).unwrap();
        assert_eq!(v.decision(), want, "{day}");
    }
}

#[test]
fn active_dates_with_builder_now() {
    let mut policy = Policy::new();
    policy.add_toml("t.toml", &pack_source(DATED)).unwrap();
    let mut b = Screener::builder();
    let during = b.now(date("2026-03-31")).build(&policy).unwrap();
    let after = b.now(date("2026-04-01")).build(&policy).unwrap();
    assert_eq!(during.screen("album").unwrap().decision(), Decision::Block);
    assert_eq!(after.screen("album").unwrap().decision(), Decision::Allow);
    // screen_at takes precedence over the builder's date.
    let v = after.screen_at("album", date("2026-03-02")).unwrap();
    assert_eq!(v.decision(), Decision::Block);
}

#[test]
fn active_dates_default_to_today() {
    let v = screener(DATED_OPEN).screen("album").unwrap();
    let fired: Vec<&str> = v.reasons().iter().map(|r| r.rule()).collect();
    assert_eq!(fired, ["d.current"]);
    assert_eq!(v.score(), 20);
}

#[test]
fn dates_parse_strictly() {
    for bad in ["2026-02-30", "2026-13-01", "26-01-01", "2026/01/01", ""] {
        assert!(bad.parse::<Date>().is_err(), "{bad:?} parsed");
    }
    assert_eq!(date("2024-02-29").to_string(), "2024-02-29");
    assert!(date("2026-01-31") < date("2026-02-01"));
}

// ---------------------------------------------------------------------------
// Policies: extends, fingerprint, duplicate ids.

fn names(policy: &Policy) -> Vec<&str> {
    policy.packs().iter().map(|p| p.name()).collect()
}

#[test]
fn extends_bundled_name() {
    let src = "[pack]\nname = \"acme\"\nversion = \"1.2.0\"\nextends = \
               [\"financial-institution\"]\n";
    let mut policy = Policy::new();
    policy.add_toml("acme.toml", src).unwrap();
    assert_eq!(names(&policy), ["base", "financial-institution", "acme"]);
    assert_eq!(
        policy.pack_labels(),
        ["base@1.0.0", "financial-institution@1.0.0", "acme@1.2.0"]
    );
    let s = Screener::new(&policy).unwrap();
    let v = s.screen("Please charge card 4111 1111 1111 1111 today").unwrap();
    assert_eq!(v.decision(), Decision::Block);
    assert_eq!(v.reasons()[0].pack(), "financial-institution");
    assert_eq!(v.packs(), policy.pack_labels());
}

#[test]
fn shared_parents_are_added_once() {
    let mut policy = Policy::new();
    policy.add_bundled("financial-institution").unwrap();
    policy.add_file(valid_dir().join("org.toml")).unwrap();
    assert_eq!(names(&policy), ["base", "financial-institution", "test-org"]);
    Screener::new(&policy).unwrap();
}

#[test]
fn extends_relative_paths() {
    let mut policy = Policy::new();
    policy.add_file(valid_dir().join("sub/me.toml")).unwrap();
    assert_eq!(names(&policy), ["base", "test-org", "test-team", "test-me"]);
    let levels: Vec<&str> =
        policy.packs().iter().map(|p| p.level().as_str()).collect();
    assert_eq!(levels, ["organization", "organization", "team", "individual"]);
    let s = Screener::new(&policy).unwrap();
    let v = s.screen("Project Falcon, #RivalBank and the boss").unwrap();
    let fired: Vec<&str> = v.reasons().iter().map(|r| r.rule()).collect();
    assert_eq!(
        fired,
        ["org.project-falcon", "team.competitor", "me.nickname"]
    );
    assert_eq!(v.decision(), Decision::Block);

    // From inline TOML, relative paths are relative to the current
    // directory (the package root under `cargo test`).
    let src = "[pack]\nname = \"inline\"\nversion = \"1.0.0\"\nextends = \
               [\"tests/data/packs/valid/team.toml\"]\n";
    let mut policy = Policy::new();
    policy.add_toml("inline.toml", src).unwrap();
    assert_eq!(names(&policy), ["base", "test-org", "test-team", "inline"]);
}

#[test]
fn extends_cycles_and_missing_packs_are_errors() {
    let invalid = valid_dir().join("../invalid");
    let mut policy = Policy::new();
    let e = policy.add_file(invalid.join("cycle-a.toml")).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Cycle(_)), "{e}");
    let msg = e.to_string();
    assert!(msg.contains("cycle-a -> cycle-b -> cycle-a"), "{msg}");
    assert!(policy.packs().is_empty());

    // A pack that extends into a cycle.
    let src = "[pack]\nname = \"self\"\nversion = \"1.0.0\"\nextends = \
               [\"tests/data/packs/invalid/cycle-a.toml\"]\n";
    let e = Policy::new().add_toml("self.toml", src).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Cycle(_)), "{e}");

    let e = Policy::new().add_bundled("no-such-pack").unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::MissingPack(_)), "{e}");
    let e = Policy::new().add("no-such-pack").unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::MissingPack(_)), "{e}");
}

#[test]
fn fingerprint_is_stable_and_content_and_order_sensitive() {
    let a = pack_source(SCORING);
    let b = "[pack]\nname = \"other\"\nversion = \"1.0.0\"\n";
    let fp = |packs: &[(&str, &str)]| {
        let mut p = Policy::new();
        for (o, s) in packs {
            p.add_toml(o, s).unwrap();
        }
        p.fingerprint()
    };
    let first = fp(&[("a.toml", &a), ("b.toml", b)]);
    assert_eq!(first.len(), 64);
    assert!(
        first.chars().all(|c| c.is_ascii_hexdigit() && !c.is_uppercase()),
        "{first}"
    );
    assert_eq!(first, fp(&[("a.toml", &a), ("b.toml", b)]), "not stable");
    // The origin is not content: the same packs from elsewhere match.
    assert_eq!(first, fp(&[("elsewhere/a.toml", &a), ("b.toml", b)]));
    assert_ne!(first, fp(&[("b.toml", b), ("a.toml", &a)]), "order");
    let changed = a.replace("score = 60", "score = 61");
    assert_ne!(first, fp(&[("a.toml", &changed), ("b.toml", b)]), "content");
    let bumped = a.replace("version = \"1.0.0\"", "version = \"1.0.1\"");
    assert_ne!(first, fp(&[("a.toml", &bumped), ("b.toml", b)]), "version");

    // Bundled packs: stable across two loads; every verdict carries it.
    let mut p1 = Policy::new();
    p1.add_bundled("financial-institution").unwrap();
    let mut p2 = Policy::new();
    p2.add_bundled("financial-institution").unwrap();
    assert_eq!(p1.fingerprint(), p2.fingerprint());
    let s = Screener::new(&p1).unwrap();
    assert_eq!(s.fingerprint(), p1.fingerprint());
    assert_eq!(s.screen("hello").unwrap().fingerprint(), p1.fingerprint());
    let mut p3 = Policy::new();
    p3.add_bundled("music-label").unwrap();
    assert_ne!(p1.fingerprint(), p3.fingerprint());
}

#[test]
fn duplicate_rule_ids() {
    let rule =
        "\n[[rules]]\nid = \"x.a\"\nkind = \"terms\"\nterms = [\"a\"]\nscore = 1\n";
    // Within one pack.
    let src = format!("{HEAD}{rule}{rule}");
    let e = Policy::new().add_toml("dup.toml", &src).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::DuplicateRule { .. }), "{e}");
    assert_eq!(e.rule(), Some("x.a"));
    assert_eq!(e.line(), Some(12), "{e}");
    assert_eq!(e.to_string().lines().count(), 1);

    // Across two packs: the error names both packs and the rule.
    let p1 = format!("[pack]\nname = \"p1\"\nversion = \"1.0.0\"\n{rule}");
    let p2 = format!("[pack]\nname = \"p2\"\nversion = \"1.0.0\"\n{rule}");
    let e = compile(&[("p1.toml", &p1), ("p2.toml", &p2)]).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::DuplicateRule { .. }), "{e}");
    assert_eq!(e.rule(), Some("x.a"));
    assert_eq!(e.pack(), Some("p2.toml"));
    let msg = e.to_string();
    assert!(msg.starts_with("p2.toml:6:6: rule 'x.a': "), "{msg}");
    assert!(msg.contains("'p1'"), "{msg}");

    // Redefining a locked bundled rule in an overlay.
    let overlay = "[pack]\nname = \"mine\"\nversion = \"1.0.0\"\nextends = \
                   [\"financial-institution\"]\n\n[[rules]]\nid = \
                   \"pii.payment-card\"\nkind = \"terms\"\nterms = \
                   [\"nothing\"]\nscore = 1\n";
    let e = compile(&[("mine.toml", overlay)]).unwrap_err();
    assert_eq!(e.rule(), Some("pii.payment-card"));
    let msg = e.to_string();
    assert!(msg.starts_with("mine.toml:7:6: "), "{msg}");
    assert!(msg.contains("financial-institution"), "{msg}");
}

// ---------------------------------------------------------------------------
// JSON.

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_u64() => "uint",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Field names and types of `obj`, sorted by name.
fn shape(obj: &Value) -> Vec<(String, &'static str)> {
    let mut out: Vec<_> = obj
        .as_object()
        .expect("an object")
        .iter()
        .map(|(k, v)| (k.clone(), kind(v)))
        .collect();
    out.sort();
    out
}

fn fields(pairs: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    let mut out: Vec<_> =
        pairs.iter().map(|(k, t)| (k.to_string(), *t)).collect();
    out.sort();
    out
}

#[test]
fn json_shape_matches_the_spec() {
    let mut policy = Policy::new();
    policy.add_bundled("financial-institution").unwrap();
    let s = Screener::new(&policy).unwrap();
    let post = "Please charge card 4111 1111 1111 1111 today";
    let v = s.screen(post).unwrap();
    let json = v.to_json("post.txt");
    assert!(!json.contains('\n'), "not one line: {json}");
    let obj: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        shape(&obj),
        fields(&[
            ("id", "string"),
            ("verdict", "string"),
            ("score", "uint"),
            ("packs", "array"),
            ("fingerprint", "string"),
            ("reasons", "array"),
        ]),
        "{json}"
    );
    assert_eq!(obj["id"], "post.txt");
    assert_eq!(obj["verdict"], "block");
    assert_eq!(obj["score"], 100);
    assert_eq!(
        obj["packs"],
        serde_json::json!(["base@1.0.0", "financial-institution@1.0.0"])
    );
    assert_eq!(obj["fingerprint"], policy.fingerprint());
    let reasons = obj["reasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 1, "{json}");
    let r = &reasons[0];
    assert_eq!(
        shape(r),
        fields(&[
            ("rule", "string"),
            ("pack", "string"),
            // Added with policy layers: the pack whose setting decided.
            ("decided_by", "string"),
            ("category", "string"),
            ("action", "string"),
            ("score", "uint"),
            ("message", "string"),
            ("start", "uint"),
            ("end", "uint"),
            ("line", "uint"),
            ("column", "uint"),
            ("excerpt", "string"),
        ]),
        "{json}"
    );
    assert_eq!(r["rule"], "pii.payment-card");
    assert_eq!(r["pack"], "financial-institution");
    assert_eq!(r["category"], "pii");
    assert_eq!(r["action"], "block");
    assert_eq!(r["score"], 100);
    assert_eq!(r["message"], v.reasons()[0].message());
    assert_eq!(r["start"], 19);
    assert_eq!(r["end"], 38);
    assert_eq!(r["line"], 1);
    assert_eq!(r["column"], 20);
    assert_eq!(r["excerpt"], "charge card •••• •••• •••• 1111 today");

    // An allowed post: no reasons, same top-level shape.
    let obj: Value =
        serde_json::from_str(&s.screen("hello").unwrap().to_json("-"))
            .expect("valid JSON");
    assert_eq!(obj["verdict"], "allow");
    assert_eq!(obj["score"], 0);
    assert_eq!(obj["reasons"], serde_json::json!([]));
    assert_eq!(obj["id"], "-");
}

#[test]
fn json_escapes_ids_and_text() {
    let s = screener(ETE);
    let v = s.screen("\"Été\"\n\t\\ done").unwrap();
    let obj: Value =
        serde_json::from_str(&v.to_json("a \"quoted\"\nid")).unwrap();
    assert_eq!(obj["id"], "a \"quoted\"\nid");
    assert_eq!(obj["reasons"][0]["start"], 1);
    assert_eq!(obj["reasons"][0]["end"], 6);
}

/// `Screener::check_examples` reports exactly the examples the policy
/// answers otherwise: a wrong decision, a listed rule that did not fire,
/// or both; passing examples are not reported.
#[test]
fn check_examples_reports_each_failing_example() {
    let body = r#"
[[rules]]
id = "t.promise"
kind = "terms"
terms = ["guaranteed returns"]
score = 100
action = "block"
message = "No promises."

[[examples]]
text = "guaranteed returns for all"
verdict = "block"
rules = ["t.promise"]

[[examples]]
text = "guaranteed returns for all"
verdict = "allow"

[[examples]]
text = "a quiet day"
verdict = "allow"
rules = ["t.promise"]

[[examples]]
text = "a quiet day"
verdict = "allow"

[[examples]]
text = "guaranteed returns"
verdict = "block"
now = "not a date"
"#;
    // A bad date is refused when the pack loads, at its line.
    let err = Policy::new()
        .add_toml("t.toml", &pack_source(body))
        .map(|_| ())
        .unwrap_err();
    assert!(err.to_string().contains("invalid date 'not a date'"), "{err}");
    assert_eq!((err.pack(), err.line()), (Some("t.toml"), Some(34)));

    let mut policy = Policy::new();
    let body = body.rsplit_once("[[examples]]").unwrap().0;
    policy.add_toml("t.toml", &pack_source(body)).unwrap();
    let screener = Screener::new(&policy).unwrap();
    let failures = screener.check_examples(&policy.packs()[0]).unwrap();
    let got: Vec<(usize, Decision, Decision, Vec<String>)> = failures
        .iter()
        .map(|f| {
            (
                f.index(),
                f.expected(),
                f.verdict().decision(),
                f.missing().to_vec(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (1, Decision::Allow, Decision::Block, vec![]),
            (2, Decision::Allow, Decision::Allow, vec!["t.promise".into()]),
        ]
    );
}

/// An I/O or regex error keeps the error underneath as `source()`; other
/// errors have none.
#[test]
fn errors_keep_their_source() {
    use std::error::Error as _;

    let missing =
        Policy::new().add_file("no/such/pack.toml").map(|_| ()).unwrap_err();
    assert!(matches!(missing.kind(), ErrorKind::Io(_)), "{missing}");
    let io = missing.source().expect("an I/O error has a source");
    let io = io.downcast_ref::<std::io::Error>().expect("an io::Error");
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);

    let bad = r#"
[[rules]]
id = "t.bad"
kind = "pattern"
pattern = 'a{2,1}'
score = 10
message = "m"
"#;
    let regex = Policy::new()
        .add_toml("t.toml", &pack_source(bad))
        .map(|_| ())
        .unwrap_err();
    assert!(matches!(regex.kind(), ErrorKind::Regex(_)), "{regex}");
    let source = regex.source().expect("a regex error has a source");
    assert!(source.to_string().contains("repetition"), "{source}");

    let dup = "[pack]\nname = \"t\"\n";
    let toml = Policy::new().add_toml("t.toml", dup).map(|_| ()).unwrap_err();
    assert!(toml.source().is_none(), "{toml}");
}

// ---------------------------------------------------------------------------
// Suggestions, who set what, and failing examples.

/// A rule's `suggest` reaches its reasons: a hint, or a replacement for the
/// span; an overlay may change it.
#[test]
fn reasons_carry_the_rules_suggestion() {
    let body = r##"
[[rules]]
id = "a.old-name"
kind = "terms"
terms = ["gold saver"]
score = 30
suggest = { replace = "Acme Saver" }

[[rules]]
id = "a.promise"
kind = "terms"
terms = ["guaranteed"]
action = "block"
suggest = "Write 'aims to' instead."

[[rules]]
id = "a.disclose"
kind = "required"
trigger = { terms = ["sponsored by"] }
require = { terms = ["#ad"] }
score = 40
suggest = { hint = "Add #ad at the start." }

[[rules]]
id = "a.plain"
kind = "terms"
terms = ["moon"]
score = 10
"##;
    let s = screener(body);
    let v = s
        .screen("gold saver, guaranteed, to the moon, sponsored by us")
        .unwrap();
    let by = |id: &str| v.reasons().iter().find(|r| r.rule() == id).unwrap();
    let fix = by("a.old-name");
    let suggestion = fix.suggestion().unwrap();
    assert!(suggestion.is_replacement());
    assert_eq!(suggestion.text(), "Acme Saver");
    assert_eq!(suggestion.to_string(), "replace with \"Acme Saver\"");
    assert_eq!(fix.replacement(), Some("Acme Saver"));
    let hint = by("a.promise");
    assert_eq!(
        hint.suggestion().unwrap().to_string(),
        "Write 'aims to' instead."
    );
    assert_eq!(hint.replacement(), None);
    let whole_post = by("a.disclose");
    assert_eq!(whole_post.span(), None);
    assert_eq!(whole_post.suggestion().unwrap().kind(), "hint");
    assert!(by("a.plain").suggestion().is_none());

    let json: Value = serde_json::from_str(&v.to_json("p")).unwrap();
    let reasons = json["reasons"].as_array().unwrap();
    let j = |id: &str| reasons.iter().find(|r| r["rule"] == id).unwrap();
    assert_eq!(
        j("a.old-name")["suggestion"],
        serde_json::json!({"kind": "replace", "text": "Acme Saver"})
    );
    assert!(j("a.plain").get("suggestion").is_none());

    // An overlay replaces the suggestion, and says so.
    let overlay = "[pack]\nname = \"o\"\nversion = \"1\"\n\n\
                   [[overrides]]\nrule = \"a.promise\"\n\
                   suggest = { replace = \"aims to\" }\n";
    let mut policy = Policy::new();
    policy.add_toml("t.toml", &pack_source(body)).unwrap();
    policy.add_toml("o.toml", overlay).unwrap();
    let effective = policy.effective().unwrap();
    let rule =
        effective.rules.iter().find(|r| r.rule.id == "a.promise").unwrap();
    assert_eq!(rule.set_by("suggest"), "o");
    assert_eq!(rule.set_by("terms"), "t");
    assert_eq!(rule.changes.last().unwrap().what, "suggestion");
    let v = Screener::new(&policy).unwrap().screen("guaranteed").unwrap();
    assert_eq!(v.reasons()[0].replacement(), Some("aims to"));
}

/// `EffectiveRule::added` and `set_by` say which pack put what in a rule.
#[test]
fn effective_rules_say_who_set_each_part() {
    let mut policy = Policy::new();
    policy.add_bundled("financial-institution").unwrap();
    let team = "[pack]\nname = \"team\"\nversion = \"1\"\n\n\
                [[overrides]]\nrule = \"mnpi.announcement\"\n\
                add_terms = [\"hush deal\"]\nunless = { words = [\"training\"] }\n\n\
                [[overrides]]\nrule = \"link.unapproved\"\n\
                add_allow = [\"team.example\"]\n\n\
                [[overrides]]\nrule = \"mnpi.announcement\"\n\
                terms = [\"secret deal\"]\n";
    policy.add_toml("team.toml", team).unwrap();
    let e = policy.effective().unwrap();
    let rule = |id: &str| e.rules.iter().find(|r| r.rule.id == id).unwrap();
    let mnpi = rule("mnpi.announcement");
    assert_eq!(mnpi.set_by("unless"), "team");
    assert_eq!(mnpi.set_by("terms"), "team");
    assert_eq!(mnpi.set_by("pattern"), "financial-institution");
    // The terms were replaced after the addition: nothing added remains.
    assert_eq!(mnpi.added().count(), 0);
    let link = rule("link.unapproved");
    let added: Vec<_> = link.added().collect();
    assert_eq!(added, [("team", "allow", &["team.example".to_string()][..])]);
    assert_eq!(link.set_by("allow"), "financial-institution");
}

/// A failing example names its pack and line, and its `Display` never
/// holds the example's text.
#[test]
fn example_failures_name_pack_and_line() {
    let body = "\n[[rules]]\nid = \"a.moon\"\nkind = \"terms\"\n\
                terms = [\"moon\"]\nscore = 40\n\n\
                [[examples]]\ntext = \"to the moon\"\nverdict = \"warn\"\n\n\
                [[examples]]\ntext = \"a secret moon\"\nverdict = \"block\"\n\
                rules = [\"a.moon\", \"a.sun\"]\n";
    let mut policy = Policy::new();
    policy.add_toml("ex.toml", &pack_source(body)).unwrap();
    let pack = &policy.packs()[0];
    assert_eq!(pack.examples()[0].position, (11, 1));
    let s = Screener::new(&policy).unwrap();
    let report = s.screen_examples(pack).unwrap();
    assert_eq!(report.examples(), 2);
    assert_eq!(report.fired(), [("t".to_string(), "a.moon".to_string())]);
    let [f] = report.failures() else { panic!("{:?}", report.failures()) };
    assert_eq!(
        (f.pack(), f.line(), f.column(), f.index()),
        ("ex.toml", 15, 1, 1)
    );
    assert_eq!(
        f.to_string(),
        "ex.toml:15:1: example 2: expected block, got warn (score 40); \
         fired [a.moon]; missing [a.sun]"
    );
    assert_eq!(s.check_examples(pack).unwrap().len(), 1);
}
