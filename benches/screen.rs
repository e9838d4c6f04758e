//! preclear's benchmarks, with same-run baselines.
//!
//! - `build`: compiling each bundled pack into a screener.
//! - `screen`: one post at a time through `financial-institution`: tweets
//!   with and without a hit, a ~2 KB post, a ~20 KB thread.
//! - `throughput`: one generated ~8 MiB text (ordinary sentences, a little
//!   non-ASCII, a Luhn-valid card planted every ~100 KB and a promissory
//!   phrase every ~250 KB) through preclear — as one post and line by line
//!   — and through three baselines: (a) a naive screener running every
//!   rule's terms and regex one by one over the lower-cased text, (b) a raw
//!   Aho-Corasick scan of the same terms, (c) the same patterns through a
//!   `RegexSet` alone.
//!
//! Like rebar's definitions carry a `count`, every benchmark checks its
//! answer once before it is timed, so a faster wrong engine cannot pass.
//!
//! `cargo bench --bench screen` takes about 90 s; add `-- --quick`
//! for a rough pass. The `throughput` group sets its own sample size and
//! measurement time (its inputs are large), so `--measurement-time` does
//! not apply to it.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode,
    Throughput,
};
use preclear::{
    bundled_names, validate, Decision, Policy, RuleKind, Screener, Verdict,
};
use regex::bytes::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

/// The pack the `screen` and `throughput` groups run.
const PACK: &str = "financial-institution";
const CARD_RULE: &str = "pii.payment-card";
const SSN_RULE: &str = "pii.us-ssn";
const PHRASE_RULE: &str = "promissory.get-rich";

/// Size of the `throughput` text, and how often things are planted in it.
const LARGE_LEN: usize = 8 * 1024 * 1024;
const CARD_EVERY: usize = 100 * 1024;
const PHRASE_EVERY: usize = 250 * 1024;

/// The limits preclear compiles patterns with; the baselines use the same.
const REGEX_SIZE_LIMIT: usize = 16 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Inputs.

/// Ordinary posts of a bank's social-media team. None of them may fire a
/// rule of `financial-institution` (the `throughput` check fails if one
/// does). They start with a letter and end with punctuation or an emoji,
/// so numbers in neighbouring sentences never join into a longer one.
const SENTENCES: &[&str] = &[
    "Our new branch on Elm Street opens Monday at 9am, come say hello!",
    "Coffee and pastries are on us this Friday morning \u{2615}",
    "Congratulations to the volunteers who planted 120 trees along the \
     river last weekend.",
    "The community choir rehearses every Thursday at 7:30pm in the town \
     hall.",
    "We are hiring tellers and advisors in three cities, apply on our \
     careers page.",
    "Thanks to everyone who joined the charity run; together we raised \
     $18,450 for the food bank!",
    "Learn the basics of budgeting at our free workshop on March 14.",
    "Our team in Z\u{fc}rich says gr\u{fc}ezi \u{1f44b} and welcomes two new \
     colleagues.",
    "Caf\u{e9} au lait Fridays are back in the lobby, bring your own mug.",
    "The quarterly newsletter is out now with tips for first-time home \
     buyers.",
    "Storm warning: the downtown office will close at 3pm today, stay safe \
     everyone.",
    "Did you know you can deposit cheques from your phone in under a \
     minute?",
    "Happy Lunar New Year to all our customers celebrating this week \
     \u{1f9e7}",
    "Our mobile app update adds dark mode and faster sign-in.",
    "Meet Priya, who has helped small businesses in our town for 12 years.",
    "We are cheering for the under-12 football league again this season \
     \u{26bd}",
    "Fraud tip: we will never ask for your PIN by text or email.",
    "The S\u{e3}o Paulo office celebrates its tenth anniversary with a \
     street festival.",
    "Join our webinar on saving for college next Tuesday at noon.",
    "Our call centre is open from 8am to 8pm, seven days a week.",
    "A big thank you to the crew who repainted the youth centre mural \
     \u{1f3a8}",
    "Check out photos from the open day, more than 300 families stopped by.",
    "Tell us your favourite local bakery in the replies, we will visit a \
     few.",
    "We have updated our accessibility features for screen reader users.",
    "Remember to review your budget before the holiday shopping season \
     starts.",
    "Our na\u{ef}ve first attempt at latte art is in the next photo, be kind \
     \u{1f605}",
    "The school savings club welcomed 45 new members this month.",
    "Wishing a happy retirement to Tom after 31 years with the team.",
    "Parking at the north entrance is closed for repairs until June 2.",
    "Our interns built a recycling station for the whole floor, great work!",
    "Ask our advisors anything during the live Q&A this evening.",
    "The bike-to-work challenge starts on Monday; 62 people have signed up \
     so far.",
    "Weekend hours: Saturday 9:00\u{2013}13:00, closed on Sunday.",
    "Photos from the riverside cleanup are up on the community board.",
    "Our branch staff speak over 20 languages, just ask at the counter.",
    "Spring is here \u{1f337} and so are the new opening hours at the Oak \
     Road branch.",
    "Thank you for 10,000 followers, we read every message!",
    "Financial literacy week starts with a quiz for students at 4pm.",
    "Our CEO will visit the Leeds office on Wednesday to meet the teams.",
    "The lost-and-found box at reception has three umbrellas and one very \
     nice scarf.",
    "Tap to pay works on most phones and watches, ask us how to set it up.",
    "Our volunteers read stories at the city library every Saturday \
     morning \u{1f4da}",
    "Track the construction of our new headquarters in this short video.",
    "Order your free debit card sleeve at any counter.",
    "Bonne ann\u{e9}e \u{e0} nos clients de Montr\u{e9}al ! \u{1f389}",
    "Reminder that the office is closed on bank holidays.",
    "Ten tips for spotting phishing emails, thread below \u{1f9f5}",
    "Our podcast this week: how to talk to kids about money.",
];

/// Sentences that carry a card (`{}`); the card is the only hit.
const CARD_SENTENCES: &[&str] = &[
    "A customer read out card {} on the chat, please scrub the transcript.",
    "Reminder: the card {} was handed in at the front desk today.",
    "Someone posted card {} in the comments, we have hidden it.",
];

/// A sentence whose only hit is one term of [`PHRASE_RULE`].
const PHRASE_SENTENCE: &str =
    "Be wary of anyone online who says they can double your money by Friday.";

/// A sentence whose only hit is a formatted SSN ([`SSN_RULE`]).
const SSN_SENTENCE: &str =
    "New hire paperwork is done and her SSN 078-05-1120 is on file.";

const TWEET_HIT: &str = "Heads up team: the customer at the Elm St branch \
                         read their card 4539 1488 0343 6467 out loud on the \
                         phone. Please do not repeat it anywhere!";
const TWEET_CLEAN: &str = "Our new branch on Elm Street opens Monday at 9am! \
                           Coffee and pastries are on us all week, and the \
                           first 50 visitors get a free tote bag. See you \
                           there.";
const TWEET_CLEAN_EMOJI: &str = "Spring is here \u{1f337} and so are the new \
                                 opening hours at the Oak Road branch: \
                                 Saturday 9:00\u{2013}13:00. Caf\u{e9} au \
                                 lait on us \u{2615} See you there \u{1f44b}";

/// SplitMix64: deterministic, so every run screens the same text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A Luhn-valid 16-digit Visa or Mastercard number, grouped in one of the
/// ways people write them.
fn card(rng: &mut Rng) -> String {
    let mut d: Vec<u8> = if rng.below(2) == 0 {
        vec![4]
    } else {
        vec![5, 1 + rng.below(5) as u8]
    };
    while d.len() < 15 {
        d.push(rng.below(10) as u8);
    }
    // The check digit: double every second digit from the right, starting
    // with the one next to it.
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 0 {
                let y = x * 2;
                if y > 9 {
                    y - 9
                } else {
                    y
                }
            } else {
                x
            }
        })
        .sum();
    d.push(((10 - sum % 10) % 10) as u8);
    assert!(validate::luhn(&d) && validate::card_brand_ok(&d));
    let sep = ["", " ", "-", "."][rng.below(4)];
    let mut out = String::new();
    for (i, x) in d.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push_str(sep);
        }
        out.push(char::from(b'0' + x));
    }
    out
}

fn card_sentence(rng: &mut Rng) -> String {
    let s = CARD_SENTENCES[rng.below(CARD_SENTENCES.len())];
    s.replace("{}", &card(rng))
}

/// A paragraph (one line, no newline) of 2 to 9 ordinary sentences.
fn paragraph(rng: &mut Rng, out: &mut String) {
    for i in 0..2 + rng.below(8) {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(SENTENCES[rng.below(SENTENCES.len())]);
    }
}

/// What was planted in a generated text.
#[derive(Debug, Default)]
struct Planted {
    cards: usize,
    phrases: usize,
}

/// About `len` bytes of paragraphs, one per line, with a card every
/// `card_every` bytes and a promissory phrase every `phrase_every` bytes,
/// each on a line of its own between paragraphs.
fn prose(
    seed: u64,
    len: usize,
    card_every: usize,
    phrase_every: usize,
) -> (String, Planted) {
    let mut rng = Rng(seed);
    let mut text = String::with_capacity(len + 1024);
    let mut planted = Planted::default();
    let (mut next_card, mut next_phrase) = (card_every / 2, phrase_every / 2);
    while text.len() < len {
        if text.len() >= next_card {
            text.push_str(&card_sentence(&mut rng));
            planted.cards += 1;
            next_card += card_every;
        } else if text.len() >= next_phrase {
            text.push_str(PHRASE_SENTENCE);
            planted.phrases += 1;
            next_phrase += phrase_every;
        } else {
            paragraph(&mut rng, &mut text);
        }
        text.push('\n');
    }
    (text, planted)
}

/// The number of reasons per rule id.
fn by_rule(v: &Verdict) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in v.reasons() {
        *m.entry(r.rule().to_string()).or_insert(0) += 1;
    }
    m
}

fn expect(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(r, n)| (r.to_string(), *n))
        .collect()
}

fn compile(pack: &str) -> Screener {
    let mut policy = Policy::new();
    policy.add_bundled(pack).expect("bundled pack loads");
    Screener::new(&policy).expect("bundled pack compiles")
}

// ---------------------------------------------------------------------------
// Baselines.

/// (a) What a screener without shared matchers does: every term of every
/// terms rule with `str::match_indices`, every pattern with its own regex,
/// one after the other over the lower-cased text; validators confirm
/// pattern hits. No context, exceptions, normalisation or scoring.
struct Naive {
    ids: Vec<String>,
    /// `(rule index, lower-cased term)`.
    terms: Vec<(usize, String)>,
    /// `(rule index, regex, validator)`.
    patterns: Vec<(usize, Regex, Option<String>)>,
}

impl Naive {
    fn new(policy: &Policy) -> Naive {
        let mut naive =
            Naive { ids: Vec::new(), terms: Vec::new(), patterns: Vec::new() };
        for rule in policy.packs().iter().flat_map(|p| p.rules()) {
            let r = naive.ids.len();
            naive.ids.push(rule.id.clone());
            match &rule.kind {
                RuleKind::Terms(terms) => naive.terms.extend(
                    terms.iter().map(|t| (r, t.trim().to_lowercase())),
                ),
                RuleKind::Pattern { pattern, validator } => {
                    naive.patterns.push((
                        r,
                        regex(pattern),
                        validator.clone(),
                    ));
                }
                _ => {}
            }
        }
        naive
    }

    /// The number of findings per rule id (rules with none left out).
    fn scan(&self, text: &str) -> BTreeMap<String, usize> {
        let lower = text.to_lowercase();
        let mut counts = vec![0usize; self.ids.len()];
        for (r, term) in &self.terms {
            for (at, _) in lower.match_indices(term.as_str()) {
                if whole_word(&lower, at, at + term.len()) {
                    counts[*r] += 1;
                }
            }
        }
        let bytes = lower.as_bytes();
        for (r, re, v) in &self.patterns {
            for m in re.find_iter(bytes) {
                if v.as_deref().is_none_or(|v| valid(v, m.as_bytes())) {
                    counts[*r] += 1;
                }
            }
        }
        self.ids
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(id, n)| (id.clone(), n))
            .collect()
    }
}

fn regex(pattern: &str) -> Regex {
    RegexBuilder::new(pattern)
        .unicode(false)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .expect("bundled patterns compile")
}

fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let word = |i: Option<&u8>| i.is_some_and(|c| c.is_ascii_alphanumeric());
    !word(start.checked_sub(1).and_then(|i| b.get(i))) && !word(b.get(end))
}

/// The validators, written plainly over the whole match.
fn valid(validator: &str, m: &[u8]) -> bool {
    let digits: Vec<u8> =
        m.iter().filter(|c| c.is_ascii_digit()).map(|c| c - b'0').collect();
    let num = |ds: &[u8]| ds.iter().fold(0u32, |a, &d| a * 10 + u32::from(d));
    match validator {
        "luhn" => validate::card_brand_ok(&digits) && validate::luhn(&digits),
        "iban" => {
            let compact: Vec<u8> = m
                .iter()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(u8::to_ascii_uppercase)
                .collect();
            compact.len() >= 4
                && validate::iban_length(&[compact[0], compact[1]])
                    == Some(compact.len())
                && validate::iban_mod97(&compact)
        }
        "aba" => {
            digits.len() == 9
                && digits
                    .iter()
                    .zip([3, 7, 1].iter().cycle())
                    .map(|(&d, &w)| u32::from(d) * w)
                    .sum::<u32>()
                    % 10
                    == 0
        }
        "us_ssn" => {
            digits.len() == 9 && {
                let area = num(&digits[..3]);
                area != 0
                    && area != 666
                    && area < 900
                    && num(&digits[3..5]) != 0
                    && num(&digits[5..]) != 0
            }
        }
        _ => true,
    }
}

/// Every term of every terms rule, lower-cased, once each.
fn all_terms(policy: &Policy) -> Vec<String> {
    let mut terms: Vec<String> = policy
        .packs()
        .iter()
        .flat_map(|p| p.rules())
        .filter_map(|r| match &r.kind {
            RuleKind::Terms(t) => Some(t),
            _ => None,
        })
        .flatten()
        .map(|t| t.trim().to_lowercase())
        .collect();
    terms.sort();
    terms.dedup();
    terms
}

/// Every pattern of every pattern rule, with the rule's id.
fn all_patterns(policy: &Policy) -> Vec<(String, String)> {
    policy
        .packs()
        .iter()
        .flat_map(|p| p.rules())
        .filter_map(|r| match &r.kind {
            RuleKind::Pattern { pattern, .. } => {
                Some((r.id.clone(), pattern.clone()))
            }
            _ => None,
        })
        .collect()
}

/// (b) The terms in one automaton, configured as preclear configures its
/// own (DFA, standard semantics, overlapping matches), but over the raw
/// text with ASCII case folding instead of normalisation.
fn raw_automaton(terms: &[String]) -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::DFA))
        .build(terms)
        .expect("terms fit in an automaton")
}

/// (c) The patterns in one `RegexSet`, compiled as preclear compiles them.
fn raw_set(patterns: &[(String, String)]) -> RegexSet {
    RegexSetBuilder::new(patterns.iter().map(|(_, p)| p))
        .unicode(false)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .expect("bundled patterns compile")
}

// ---------------------------------------------------------------------------
// Benchmarks.

fn build(c: &mut Criterion) {
    let mut g = c.benchmark_group("build");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    // Every bundled pack is or extends `base`, so each one blocks a leaked
    // AWS key, with exactly that reason.
    let key = "creds for the demo box: AKIA4QWERTYZ7UIOP2XC";
    for name in bundled_names() {
        let v = compile(name).screen(key).unwrap();
        assert_eq!(v.decision(), Decision::Block, "{name}");
        assert_eq!(by_rule(&v), expect(&[("secret.aws-access-key", 1)]));
        g.bench_function(name, |b| b.iter(|| compile(black_box(name))));
    }
    g.finish();
}

fn screen(c: &mut Criterion) {
    let screener = compile(PACK);
    let mut rng = Rng(2);

    // ~2 KB: paragraphs with one card in the middle.
    let mut post_2k = String::new();
    while post_2k.len() < 1000 {
        paragraph(&mut rng, &mut post_2k);
        post_2k.push(' ');
    }
    post_2k.push_str(&card_sentence(&mut rng));
    while post_2k.len() < 2000 {
        post_2k.push(' ');
        paragraph(&mut rng, &mut post_2k);
    }

    // ~20 KB: a thread of tweets, one per paragraph, with a card, an SSN
    // and a promissory phrase in it.
    let mut thread = String::new();
    let mut tweet = 0;
    while thread.len() < 20_000 {
        tweet += 1;
        let mut t = format!("{tweet}/");
        match tweet {
            7 => t.push_str(&format!(" {}", card_sentence(&mut rng))),
            19 => t.push_str(&format!(" {SSN_SENTENCE}")),
            31 => t.push_str(&format!(" {PHRASE_SENTENCE}")),
            // Whole sentences, up to a tweet's 280 bytes.
            _ => loop {
                let s = SENTENCES[rng.below(SENTENCES.len())];
                if t.len() + 1 + s.len() > 280 {
                    break;
                }
                t.push(' ');
                t.push_str(s);
            },
        }
        thread.push_str(&t);
        thread.push_str("\n\n");
    }

    let cases: [(&str, &str, BTreeMap<String, usize>); 5] = [
        ("tweet-hit", TWEET_HIT, expect(&[(CARD_RULE, 1)])),
        ("tweet-clean", TWEET_CLEAN, expect(&[])),
        ("tweet-clean-emoji", TWEET_CLEAN_EMOJI, expect(&[])),
        ("post-2k", &post_2k, expect(&[(CARD_RULE, 1)])),
        (
            "thread-20k",
            &thread,
            expect(&[(CARD_RULE, 1), (SSN_RULE, 1), (PHRASE_RULE, 1)]),
        ),
    ];

    let mut g = c.benchmark_group("screen");
    g.sample_size(50).measurement_time(Duration::from_secs(3));
    for (name, post, want) in &cases {
        if name.starts_with("tweet") {
            assert!(post.len() <= 280, "{name} is {} bytes", post.len());
        }
        let v = screener.screen(post).unwrap();
        assert_eq!(&by_rule(&v), want, "{name}");
        g.throughput(Throughput::Bytes(post.len() as u64));
        g.bench_with_input(BenchmarkId::new(PACK, name), *post, |b, p| {
            b.iter(|| screener.screen(black_box(p)).unwrap())
        });
    }
    g.finish();
}

fn throughput(c: &mut Criterion) {
    let mut policy = Policy::new();
    policy.add_bundled(PACK).expect("bundled pack loads");
    let screener = Screener::new(&policy).expect("bundled pack compiles");
    let (text, planted) = prose(1, LARGE_LEN, CARD_EVERY, PHRASE_EVERY);
    let want =
        expect(&[(CARD_RULE, planted.cards), (PHRASE_RULE, planted.phrases)]);
    assert!(planted.cards >= 80 && planted.phrases >= 30, "{planted:?}");

    let naive = Naive::new(&policy);
    let terms = all_terms(&policy);
    let patterns = all_patterns(&policy);
    let automaton = raw_automaton(&terms);
    let set = raw_set(&patterns);

    let mut g = c.benchmark_group("throughput");
    g.throughput(Throughput::Bytes(text.len() as u64))
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));

    // The whole text as one post.
    assert_eq!(
        by_rule(&screener.screen(&text).unwrap()),
        want,
        "preclear/post"
    );
    g.bench_function("preclear/post", |b| {
        b.iter(|| screener.screen(black_box(&text)).unwrap().reasons().len())
    });

    // Every line a post, as `preclear check --input lines` screens it.
    let per_line = |text: &str| {
        let mut m = BTreeMap::new();
        for line in text.lines() {
            for (r, n) in by_rule(&screener.screen(line).unwrap()) {
                *m.entry(r).or_insert(0) += n;
            }
        }
        m
    };
    assert_eq!(per_line(&text), want, "preclear/lines");
    g.bench_function("preclear/lines", |b| {
        b.iter(|| {
            black_box(&text)
                .lines()
                .map(|l| screener.screen(l).unwrap().reasons().len())
                .sum::<usize>()
        })
    });

    // (a) The naive screener: it has no context rules, so compact cards
    // also count as account numbers; only the planted rules are checked.
    let found = naive.scan(&text);
    for rule in [CARD_RULE, PHRASE_RULE] {
        assert_eq!(found.get(rule), want.get(rule), "naive: {rule}");
    }
    let term_hits: usize = found
        .iter()
        .filter(|(id, _)| !patterns.iter().any(|(p, _)| p == *id))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(term_hits, planted.phrases, "naive: term hits {found:?}");
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("baseline/naive", |b| {
        b.iter(|| naive.scan(black_box(&text)).len())
    });
    g.measurement_time(Duration::from_secs(5));

    // (b) Raw Aho-Corasick: every occurrence of every term, overlapping,
    // whole word or not; the oracle is `str::matches` term by term.
    let lower = text.to_lowercase();
    let oracle: usize =
        terms.iter().map(|t| lower.matches(t.as_str()).count()).sum();
    assert!(oracle >= planted.phrases);
    assert_eq!(automaton.find_overlapping_iter(&text).count(), oracle);
    g.bench_function("baseline/aho-corasick", |b| {
        b.iter(|| automaton.find_overlapping_iter(black_box(&text)).count())
    });

    // (c) RegexSet alone: which patterns match anywhere in the text; the
    // oracle is each pattern's own regex, and the card pattern must be one.
    let oracle = patterns
        .iter()
        .filter(|(_, p)| regex(p).is_match(text.as_bytes()))
        .count();
    // (`SetMatches::len` is the size of the set, not the number matched.)
    let matched = set.matches(text.as_bytes());
    assert_eq!(matched.iter().count(), oracle);
    let card = patterns.iter().position(|(id, _)| id == CARD_RULE);
    assert!(card.is_some_and(|i| matched.matched(i)), "regexset: card");
    g.bench_function("baseline/regexset", |b| {
        b.iter(|| set.matches(black_box(text.as_bytes())).iter().count())
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .configure_from_args()
}

criterion_group! {
    name = benches;
    config = config();
    targets = build, screen, throughput
}
criterion_main!(benches);
