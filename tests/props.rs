//! Property tests of the library's invariants, on the bundled packs and on
//! small generated packs (terms and patterns from a safe alphabet, masked
//! rules, validators), over arbitrary posts:
//!
//! - every span lies within the post, on character boundaries, with its
//!   line and column, and reasons come in text order;
//! - a masked rule's match shows at most four of its letters and digits in
//!   any excerpt;
//! - the decision is the higher of the thresholds' answer and the
//!   strongest action, and the score is each rule's best hit, summed;
//! - screening is deterministic, across calls and across screeners;
//! - adding a rule never lowers a verdict;
//! - spans map back to exactly the bytes the author wrote, whatever
//!   normalisation did before them (the offset map is monotone and covers
//!   every byte).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use preclear::{Decision, Policy, Screener, ScreenerBuilder, Verdict};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config;

/// Cases per property: enough to find what the shrinker then explains, few
/// enough that each property takes a second or two.
pub(crate) fn config(cases: u32) -> Config {
    Config { cases, failure_persistence: None, ..Config::default() }
}

// ---------------------------------------------------------------------------
// Posts.

/// Text with what the bundled packs look for, plainly and disguised, and
/// what normalisation rewrites (expansions, drops, case changes).
pub(crate) const SNIPPETS: &[&str] = &[
    "guaranteed returns",
    "gu4r4nt33d returns",
    "g.u.a.r.a.n.t.e.e.d",
    "ɡuaranteed",
    "ｇｕａｒａｎｔｅｅｄ",
    "guar\u{200b}anteed",
    "#GuaranteedReturns",
    "risk-free",
    "risk. Free coffee",
    "can't lose",
    "123-45-6789",
    "SSN 078-05-1120",
    "DE89 3704 0044 0532 0130 00",
    "GB82WEST12345698765432",
    "routing 021000021 account 12345678",
    "AKIAIOSFODNN7EXAMPLE",
    "password: hunter2",
    "https://bit.ly/3xYz",
    "https://paypa1.com/x",
    "http://аpple.com",
    "INTERNAL ONLY",
    "our fund returned 12%",
    "#ad",
    "unreleased track",
    "🚀🚀",
    "日本語",
    "e\u{301}",
    "İstanbul",
    "ﬁnance",
    "\u{feff}",
    "Ⅻ",
    "½",
    "ẞ",
    "\u{200d}",
    "🇫🇷",
    "\r\n",
    "\n",
];

/// A Luhn-valid card number from 15 digits, in one of several layouts.
pub(crate) fn card() -> impl Strategy<Value = String> {
    (prop::collection::vec(0u8..10, 15), 0usize..5).prop_map(
        |(mut d, layout)| {
            let sum: u32 = d
                .iter()
                .rev()
                .enumerate()
                .map(|(i, &x)| {
                    let x = u32::from(x);
                    // The check digit goes last: these are doubled.
                    if i % 2 == 0 {
                        (2 * x) % 10 + (2 * x) / 10
                    } else {
                        x
                    }
                })
                .sum();
            d.push(((10 - sum % 10) % 10) as u8);
            let sep = ["", " ", "-", ".", "🔥"][layout];
            d.chunks(4)
                .map(|g| {
                    g.iter().map(|x| char::from(b'0' + x)).collect::<String>()
                })
                .collect::<Vec<_>>()
                .join(sep)
        },
    )
}

/// One piece of a post.
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(SNIPPETS).prop_map(str::to_string),
        2 => card(),
        2 => "[a-z]{1,8}( [a-z]{1,8}){0,3}",
        1 => "[0-9]{1,20}",
        1 => "[0-9 .-]{4,24}",
        2 => "\\PC{0,10}",
    ]
}

/// A post of pieces joined by spaces, newlines or nothing.
fn post_of(
    segment: impl Strategy<Value = String>,
) -> impl Strategy<Value = String> {
    prop::collection::vec(
        (segment, select(&[" ", " ", "\n", "", ". "][..])),
        0..10,
    )
    .prop_map(|parts| parts.into_iter().map(|(s, sep)| s + sep).collect())
}

// ---------------------------------------------------------------------------
// Generated packs.

#[derive(Clone, Debug)]
pub(crate) enum Kind {
    Terms(Vec<String>),
    Pattern(String, Option<&'static str>),
}

#[derive(Clone, Debug)]
pub(crate) struct GenRule {
    pub(crate) kind: Kind,
    pub(crate) category: String,
    pub(crate) score: u32,
    pub(crate) action: &'static str,
    pub(crate) mask: bool,
    /// Always true here; the oracle turns it off for some rules.
    pub(crate) whole_word: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct GenPack {
    pub(crate) rules: Vec<GenRule>,
    pub(crate) warn: u32,
    pub(crate) block: u32,
}

/// Words that terms share often, so that hits overlap across rules.
const POOL: &[&str] = &["bead", "cafe", "deaf", "face", "head", "badge"];

/// A word of letters a–h: terms never contain what filler is made of
/// (see `planted_terms_keep_their_exact_spans`).
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => select(POOL).prop_map(str::to_string),
        1 => "[a-h]{3,7}",
    ]
}

fn term() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => word(),
        1 => (word(), word()).prop_map(|(a, b)| format!("{a} {b}")),
    ]
}

/// Pieces of patterns that are valid alone and in any sequence.
const ATOMS: &[&str] = &[
    "[a-h]{3}", r"\d{4}", r"\d{2,6}", "-", "[ -]?", "abc", "x+", r"\d+",
    "[a-z]+",
];

fn pattern() -> impl Strategy<Value = (String, Option<&'static str>)> {
    prop_oneof![
        4 => prop::collection::vec(select(ATOMS), 1..4)
            .prop_map(|a| (format!(r"\b{}\b", a.concat()), None)),
        1 => Just((r"\b(?:\d[ .-]?){12,18}\d\b".to_string(), Some("luhn"))),
        1 => Just((r"\b\d{3}-\d{2}-\d{4}\b".to_string(), Some("us_ssn"))),
        1 => Just((r"\b\d{9}\b".to_string(), Some("aba"))),
        1 => Just((
            r"\b[a-z]{2}\d{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,4})?\b"
                .to_string(),
            Some("iban"),
        )),
    ]
}

fn rule(category: BoxedStrategy<String>) -> impl Strategy<Value = GenRule> {
    let kind = prop_oneof![
        3 => prop::collection::vec(term(), 1..4).prop_map(Kind::Terms),
        2 => pattern().prop_map(|(p, v)| Kind::Pattern(p, v)),
    ];
    (
        kind,
        category,
        0u32..=100,
        select(&["allow", "warn", "block"][..]),
        any::<bool>(),
    )
        .prop_map(|(kind, category, score, action, mask)| GenRule {
            kind,
            category,
            score,
            // A rule that can never change a verdict does not load.
            action: if score == 0 && action == "allow" {
                "warn"
            } else {
                action
            },
            mask,
            whole_word: true,
        })
}

/// Categories from a small set, so that rules share them.
fn shared_category() -> BoxedStrategy<String> {
    select(&["c1", "c2", "c3"][..]).prop_map(str::to_string).boxed()
}

pub(crate) fn gen_pack() -> impl Strategy<Value = GenPack> {
    (
        prop::collection::vec(rule(shared_category()), 1..6),
        1u32..=100,
        0u32..=100,
    )
        .prop_map(|(rules, warn, extra)| GenPack {
            rules,
            warn,
            block: warn + extra,
        })
}

impl GenRule {
    fn toml(&self, id: &str) -> String {
        let kind = match &self.kind {
            Kind::Terms(terms) => {
                let terms: Vec<String> =
                    terms.iter().map(|t| format!("\"{t}\"")).collect();
                format!("kind = \"terms\"\nterms = [{}]\n", terms.join(", "))
            }
            Kind::Pattern(p, v) => {
                let v = v.map_or(String::new(), |v| {
                    format!("validator = \"{v}\"\n")
                });
                format!("kind = \"pattern\"\npattern = '{p}'\n{v}")
            }
        };
        let whole_word =
            if self.whole_word { "" } else { "whole_word = false\n" };
        format!(
            "[[rules]]\nid = \"{id}\"\n{kind}category = \"{}\"\nscore = {}\n\
             action = \"{}\"\nmask = {}\n{whole_word}\n",
            self.category, self.score, self.action, self.mask
        )
    }

    fn terms(&self) -> &[String] {
        match &self.kind {
            Kind::Terms(t) => t,
            Kind::Pattern(..) => &[],
        }
    }
}

impl GenPack {
    pub(crate) fn toml(&self, extra: Option<&GenRule>) -> String {
        let mut s = format!(
            "[pack]\nname = \"gen\"\nversion = \"1.0.0\"\n\n[thresholds]\n\
             warn = {}\nblock = {}\n\n",
            self.warn, self.block
        );
        for (i, r) in self.rules.iter().enumerate() {
            s += &r.toml(&format!("g.{i}"));
        }
        if let Some(r) = extra {
            s += &r.toml("extra.rule");
        }
        s
    }

    pub(crate) fn policy(&self, extra: Option<&GenRule>) -> Policy {
        let src = self.toml(extra);
        let mut policy = Policy::new();
        policy
            .add_toml("gen.toml", &src)
            .unwrap_or_else(|e| panic!("generated pack: {e}\n{src}"));
        policy
    }

    fn screener(&self, extra: Option<&GenRule>) -> Screener {
        let src = self.toml(extra);
        Screener::new(&self.policy(extra))
            .unwrap_or_else(|e| panic!("generated pack: {e}\n{src}"))
    }

    pub(crate) fn terms(&self) -> Vec<String> {
        self.rules.iter().flat_map(|r| r.terms().to_vec()).collect()
    }
}

/// Checks that `pack` plus `extra` screens `post` no lower than `pack`.
fn never_lower(
    pack: &GenPack,
    extra: &GenRule,
    post: &str,
) -> Result<(), TestCaseError> {
    let before = pack.screener(None).screen(post).unwrap();
    let after = pack.screener(Some(extra)).screen(post).unwrap();
    prop_assert!(
        after.decision() >= before.decision()
            && after.score() >= before.score(),
        "{} {} -> {} {}\npack:\n{}",
        before.decision(),
        before.score(),
        after.decision(),
        after.score(),
        pack.toml(Some(extra))
    );
    Ok(())
}

/// A post for `terms`: their occurrences (plain or upper-case) among the
/// usual segments.
fn post_with(terms: Vec<String>) -> impl Strategy<Value = String> {
    post_with_segments(terms, segment().boxed())
}

/// A post for `terms`: their occurrences (plain or upper-case) among
/// pieces of `segment`.
pub(crate) fn post_with_segments(
    terms: Vec<String>,
    segment: BoxedStrategy<String>,
) -> impl Strategy<Value = String> {
    let term = if terms.is_empty() {
        Just(String::new()).boxed()
    } else {
        (select(terms), any::<bool>())
            .prop_map(|(t, up)| if up { t.to_uppercase() } else { t })
            .boxed()
    };
    post_of(prop_oneof![2 => term, 3 => segment])
}

/// A generated pack and a post for it.
fn pack_and_post() -> impl Strategy<Value = (GenPack, String)> {
    gen_pack().prop_flat_map(|p| {
        let terms = p.terms();
        (Just(p), post_with(terms))
    })
}

/// Each bundled pack's screener (as of a fixed date).
fn compile_bundled() -> Vec<Screener> {
    preclear::bundled_names()
        .map(|name| {
            let mut policy = Policy::new();
            policy.add_bundled(name).unwrap();
            ScreenerBuilder::new()
                .now("2026-06-01".parse().unwrap())
                .build(&policy)
                .unwrap()
        })
        .collect()
}

/// The bundled packs' screeners, compiled once…
fn bundled() -> &'static [Screener] {
    static SCREENERS: OnceLock<Vec<Screener>> = OnceLock::new();
    SCREENERS.get_or_init(compile_bundled)
}

/// …and a second time, separately.
fn bundled_again() -> &'static [Screener] {
    static SCREENERS: OnceLock<Vec<Screener>> = OnceLock::new();
    SCREENERS.get_or_init(compile_bundled)
}

// ---------------------------------------------------------------------------
// The invariants, as checks that say what is wrong.

/// Spans within the post, on character boundaries, with the right line and
/// column; whole-post reasons first, then in text order.
fn check_spans(post: &str, v: &Verdict) -> Result<(), String> {
    let mut last = None;
    for r in v.reasons() {
        let Some(span) = r.span() else {
            if last.is_some() {
                return Err(format!(
                    "whole-post reason {} after spans",
                    r.rule()
                ));
            }
            continue;
        };
        if span.start >= span.end
            || span.end > post.len()
            || !post.is_char_boundary(span.start)
            || !post.is_char_boundary(span.end)
        {
            return Err(format!("{}: bad span {span:?}", r.rule()));
        }
        if last.is_some_and(|l| l > span.start) {
            return Err(format!("{}: out of text order", r.rule()));
        }
        last = Some(span.start);
        let before = &post[..span.start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = post[line_start..span.start].chars().count() + 1;
        if (r.line(), r.column()) != (Some(line), Some(column)) {
            return Err(format!(
                "{}: at {:?}:{:?}, want {line}:{column}",
                r.rule(),
                r.line(),
                r.column()
            ));
        }
    }
    Ok(())
}

/// Where `excerpt` lies in `post`, reading `•` as any letter or digit:
/// the byte ranges of every placement that covers `within`.
fn placements(
    post: &str,
    excerpt: &str,
    within: std::ops::Range<usize>,
) -> Vec<Vec<(usize, char, char)>> {
    let ex: Vec<char> = excerpt.chars().collect();
    let mut found = Vec::new();
    for (start, _) in post.char_indices().filter(|&(i, _)| i <= within.start) {
        let mut aligned = Vec::with_capacity(ex.len());
        for ((at, p), &e) in post[start..].char_indices().zip(&ex) {
            let fits = p == e || (e == '\u{2022}' && p.is_alphanumeric());
            if !fits {
                break;
            }
            aligned.push((start + at, p, e));
        }
        let end =
            aligned.last().map_or(start, |&(at, p, _)| at + p.len_utf8());
        if aligned.len() == ex.len() && end >= within.end {
            found.push(aligned);
        }
    }
    found
}

/// No excerpt shows more than four letters or digits of a masked match.
fn check_masks(post: &str, v: &Verdict) -> Result<(), String> {
    let masked: Vec<_> = v
        .reasons()
        .iter()
        .filter(|r| r.masked())
        .filter_map(|r| r.span())
        .collect();
    if masked.is_empty() {
        return Ok(());
    }
    for r in v.reasons() {
        let (Some(span), Some(excerpt)) = (r.span(), r.excerpt()) else {
            continue;
        };
        let found = placements(post, excerpt, span.clone());
        if found.is_empty() {
            return Err(format!(
                "{}: excerpt {excerpt:?} is not the post around {span:?}",
                r.rule()
            ));
        }
        for aligned in found {
            for m in &masked {
                let shown: Vec<char> = aligned
                    .iter()
                    .filter(|&&(at, p, e)| {
                        m.contains(&at) && p.is_alphanumeric() && e == p
                    })
                    .map(|&(_, p, _)| p)
                    .collect();
                if shown.len() > 4 {
                    return Err(format!(
                        "{}: excerpt {excerpt:?} shows {shown:?} of masked \
                         {:?}",
                        r.rule(),
                        &post[m.clone()]
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The decision is the thresholds' answer for the score or the strongest
/// action, whichever is higher; the score sums each rule's best hit.
fn check_decision(s: &Screener, v: &Verdict) -> Result<(), String> {
    let mut best: BTreeMap<&str, u32> = BTreeMap::new();
    for r in v.reasons() {
        let b = best.entry(r.rule()).or_default();
        *b = (*b).max(r.score());
    }
    let score = best.values().fold(0u32, |a, &b| a.saturating_add(b));
    if v.score() != score {
        return Err(format!("score {} is not the sum {score}", v.score()));
    }
    let by_score = s.thresholds().decision(score);
    let floor =
        v.reasons().iter().map(|r| r.action()).max().unwrap_or_default();
    if v.decision() != by_score.max(floor) {
        return Err(format!(
            "decision {} for score {score} ({by_score}) and actions up to \
             {floor}",
            v.decision()
        ));
    }
    Ok(())
}

fn check_all(s: &Screener, post: &str) -> Result<(), String> {
    let v = s.screen(post).map_err(|e| e.to_string())?;
    check_spans(post, &v)?;
    check_masks(post, &v)?;
    check_decision(s, &v)
}

// ---------------------------------------------------------------------------
// The properties.

proptest! {
    #![proptest_config(config(400))]

    /// Spans, masks and decisions on the bundled packs.
    #[test]
    fn bundled_packs_keep_the_invariants(post in post_of(segment())) {
        for s in bundled() {
            if let Err(e) = check_all(s, &post) {
                prop_assert!(false, "{}: {e}", s.packs().join(","));
            }
        }
    }

    /// Screening is deterministic: the same post gives the same JSON line
    /// twice, and from a second screener built from the same policy.
    #[test]
    fn bundled_screening_is_deterministic(post in post_of(segment())) {
        for (s, again) in bundled().iter().zip(bundled_again()) {
            let first = s.screen(&post).unwrap().to_json("p");
            prop_assert_eq!(&first, &s.screen(&post).unwrap().to_json("p"));
            prop_assert_eq!(&first, &again.screen(&post).unwrap().to_json("p"));
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Spans, masks and decisions on generated packs.
    #[test]
    fn generated_packs_keep_the_invariants((pack, post) in pack_and_post()) {
        let s = pack.screener(None);
        if let Err(e) = check_all(&s, &post) {
            prop_assert!(false, "{e}\npack:\n{}", pack.toml(None));
        }
    }

    /// Determinism on generated packs, also across a clone of the policy.
    #[test]
    fn generated_screening_is_deterministic(
        (pack, post) in pack_and_post()
    ) {
        let policy = pack.policy(None);
        let a = Screener::new(&policy).unwrap();
        let b = Screener::new(&policy.clone()).unwrap();
        let first = a.screen(&post).unwrap().to_json("p");
        prop_assert_eq!(&first, &a.screen(&post).unwrap().to_json("p"));
        prop_assert_eq!(&first, &b.screen(&post).unwrap().to_json("p"));
    }

    /// Adding a rule (in a category of its own) never lowers the decision
    /// or the score of any post.
    #[test]
    fn adding_a_rule_never_lowers_a_verdict(
        (pack, extra, post) in gen_pack().prop_flat_map(|p| {
            rule(Just("extra".to_string()).boxed()).prop_flat_map(
                move |r| {
                    let mut terms = p.terms();
                    terms.extend(r.terms().iter().cloned());
                    (Just(p.clone()), Just(r), post_with(terms))
                },
            )
        })
    ) {
        never_lower(&pack, &extra, &post)?;
    }
}

/// Filler for the exact-span property: nothing in it can spell a term
/// (terms are letters a–h), and it exercises every way normalisation
/// changes lengths: expansions, contractions, drops, case changes.
const FILLER: &[&str] = &[
    "x", "yz", "q", "ж", "ψ", "日本", "🚀", "\u{200b}", "\u{feff}",
    "\u{200d}", "ｘ", "Ⅻ", "™", "İ", "ẞ", "x\u{301}", "🇫🇷", "ß", "Ω", "Ｘ",
    "\u{ad}",
];

/// How a planted term is written.
fn styled(term: String) -> impl Strategy<Value = String> {
    select(&[0u8, 1, 2, 3][..]).prop_map(move |style| match style {
        0 => term.clone(),
        1 => term.to_uppercase(),
        // Fullwidth letters, one case or the other.
        s => term
            .chars()
            .map(|c| match c {
                'a'..='z' => {
                    let base = if s == 2 { 0xFF41 } else { 0xFF21 };
                    char::from_u32(base + (c as u32 - 'a' as u32)).unwrap()
                }
                c => c,
            })
            .collect(),
    })
}

proptest! {
    #![proptest_config(config(256))]

    /// Terms planted among filler that normalises to other lengths are
    /// each found with a span of exactly the bytes planted: the offset map
    /// is monotone and covers every byte.
    #[test]
    fn planted_terms_keep_their_exact_spans(
        (pack, plants) in prop::collection::vec(
            prop::collection::vec(term(), 1..3), 1..4
        )
        .prop_flat_map(|rules| {
            let terms: Vec<(usize, String)> = rules
                .iter()
                .enumerate()
                .flat_map(|(i, ts)| ts.iter().map(move |t| (i, t.clone())))
                .collect();
            let plant = select(terms).prop_flat_map(|(i, t)| {
                (Just(i), styled(t))
            });
            let filler = prop::collection::vec(select(FILLER), 1..6)
                .prop_map(|f| f.concat());
            let plants = prop::collection::vec(
                (filler.clone(), plant, filler),
                1..6,
            );
            (Just(rules), plants)
        })
    ) {
        let mut src =
            "[pack]\nname = \"p\"\nversion = \"1.0.0\"\n\n".to_string();
        for (i, terms) in pack.iter().enumerate() {
            let terms: Vec<String> =
                terms.iter().map(|t| format!("\"{t}\"")).collect();
            src += &format!(
                "[[rules]]\nid = \"r.{i}\"\nkind = \"terms\"\nterms = [{}]\n\
                 category = \"c{i}\"\nscore = 1\n\n",
                terms.join(", ")
            );
        }
        let mut policy = Policy::new();
        policy.add_toml("p.toml", &src).unwrap();
        let s = Screener::new(&policy).unwrap();
        // Filler words between plants always hold a visible letter, so no
        // two plants read as one phrase.
        let mut post = String::new();
        let mut want = Vec::new();
        for (before, (rule, text), after) in &plants {
            post += &format!("x{before} ");
            want.push((format!("r.{rule}"), post.len()..post.len() + text.len()));
            post += &format!("{text} {after}x ");
        }
        let v = s.screen(&post).unwrap();
        check_spans(&post, &v).map_err(TestCaseError::fail)?;
        for (rule, span) in &want {
            prop_assert!(
                v.reasons()
                    .iter()
                    .any(|r| r.rule() == rule && r.span() == Some(span.clone())),
                "{rule} at {span:?} ({:?}) not found in {post:?}: {}\n{src}",
                &post[span.clone()],
                v.to_json("p")
            );
        }
    }
}

/// A rule added in the same category as a stronger one must not hide it:
/// a hit inside a longer hit of another rule of its category is dropped
/// only when that rule weighs at least as much (README "Limits and
/// guarantees"). Else a team pack adding an `allow` rule of category
/// `promissory` would unblock "guaranteed returns", and one of category
/// `pii` would unblock — and unmask — a card number locked by
/// financial-institution.
#[test]
fn a_weaker_rule_of_the_same_category_does_not_hide_a_stronger_one() {
    let team = |category: &str, pattern: &str| {
        format!(
            "[pack]\nname = \"team\"\nversion = \"1.0.0\"\nlevel = \
             \"team\"\n\n[[rules]]\nid = \"team.note\"\nkind = \
             \"pattern\"\npattern = '{pattern}'\ncategory = \
             \"{category}\"\nscore = 1\naction = \"allow\"\n"
        )
    };
    let cases = [
        (
            "promissory",
            r"guaranteed returns policy",
            "Read our guaranteed returns policy",
        ),
        (
            "pii",
            r"\bcard\s+[\d ]{16,40}",
            "Please charge card 4111 1111 1111 1111 today",
        ),
    ];
    for (category, pattern, post) in cases {
        let mut policy = Policy::new();
        policy.add_bundled("financial-institution").unwrap();
        let before = Screener::new(&policy).unwrap().screen(post).unwrap();
        policy.add_toml("team.toml", &team(category, pattern)).unwrap();
        let after = Screener::new(&policy).unwrap().screen(post).unwrap();
        assert_eq!(before.decision(), Decision::Block, "{post}");
        assert_eq!(
            after.decision(),
            Decision::Block,
            "{}",
            after.to_json("p")
        );
        assert!(!after.to_json("p").contains("4111 1111 1111 1111"));
    }
}

/// The generated-pack version of the above: adding a rule in a category
/// the pack already uses never lowers a verdict.
#[test]
fn adding_a_rule_of_a_shared_category_never_lowers_a_verdict() {
    proptest!(config(256), |(
        (pack, extra, post) in gen_pack().prop_flat_map(|p| {
            rule(shared_category()).prop_flat_map(move |r| {
                let mut terms = p.terms();
                terms.extend(r.terms().iter().cloned());
                (Just(p.clone()), Just(r), post_with(terms))
            })
        })
    )| {
        never_lower(&pack, &extra, &post)?;
    });
}
