//! A second disguise generator, written from public descriptions of how
//! people hide card numbers, SSNs, IBANs, keys, links and banned phrases
//! from filters (`tests/data/disguises/CLASSES.md` lists each class with
//! where it was found) before looking at the matcher, and kept apart from
//! `tests/evasion.rs`: it must not learn what the matcher already folds.
//!
//! Each base violation (a test card, an SSN, an IBAN, phrases from the
//! financial and music packs, an AWS key and a GitHub token, a piracy link)
//! goes through every class that applies to it, and through some pairs of
//! classes, inside a plausible sentence. A disguise is caught when the
//! bundled pack does not allow the post and one of the base's rules fires.
//!
//! Only disguises a reader still reads as the original are generated (the
//! criterion is in CLASSES.md): hiding a card from a person is not a
//! disguise, it is a different post.
//!
//! `cargo test --test integration disguise::report -- --ignored --nocapture`
//! prints the catch rate of every class.

mod tricks;

use std::collections::BTreeMap;

use preclear::{Decision, Policy, Screener};

use tricks::{Trick, PAIRS, TRICKS};

/// The overall catch rate, rounded down. Measured when the generator was
/// written (2026-12-01, main at f39380a: 2020 of 3573 disguised posts =
/// 56.54%), then after the reader's view and links landed (3100 of 3573 =
/// 86.76%), then after numbers were read as a reader reads them and
/// Markdown and injected punctuation were skipped in terms, and Lisu and
/// Cherokee words read as Latin (3360 of 3573 = 94.04%). Raise it when the
/// matcher improves; it must never fall.
const FLOOR_PERCENT: f64 = 99.8;

/// Disguised posts per (base, class) and per (base, pair).
const SAMPLES: u64 = 4;

/// The kind of violation, which decides the classes that apply.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Card,
    Ssn,
    Iban,
    Term,
    Secret,
    Link,
}

/// A violation as it is normally written, the pack that must catch it, the
/// rules any one of which counts as caught, and sentences to carry it.
struct Base {
    text: &'static str,
    pack: &'static str,
    kind: Kind,
    rules: &'static [&'static str],
    frames: &'static [&'static str],
}

const FIN: &str = "financial-institution";
const MUSIC: &str = "music-label";

const CARD_FRAMES: &[&str] = &[
    "Please charge card {} for the deposit, thanks!",
    "pls use my card {} for the order",
    "Customer card number: {} (expires 09/27)",
    "{} is the corporate visa, use it for the booking",
];
const SSN_FRAMES: &[&str] = &[
    "my SSN is {} if you need it for the form",
    "Applicant SSN {}, please file today",
    "social security number {} for the new hire",
];
const IBAN_FRAMES: &[&str] = &[
    "wire the refund to {} please",
    "Our IBAN: {} (business account)",
    "send it to {} by Friday",
];
const FIN_TERM_FRAMES: &[&str] = &[
    "Our new fund offers {} to every client!",
    "Join today: {} for everyone who signs up",
    "DM me, {} this quarter",
];
const MUSIC_TERM_FRAMES: &[&str] = &[
    "ok so {} tonight, dm me",
    "{} for the new record, link in bio",
    "lol who's up for it: {}",
];
const SECRET_FRAMES: &[&str] = &[
    "creds for the demo box: {}",
    "use key {} for the stems bucket",
    "Config for the workshop {} (rotate later)",
];
const LINK_FRAMES: &[&str] = &[
    "grab it here before it's gone: {}",
    "full album at {} enjoy",
    "Link: {}",
];

const BASES: &[Base] = &[
    Base {
        text: "4111 1111 1111 1111",
        pack: FIN,
        kind: Kind::Card,
        rules: &["pii.payment-card"],
        frames: CARD_FRAMES,
    },
    Base {
        text: "5555 5555 5555 4444",
        pack: FIN,
        kind: Kind::Card,
        rules: &["pii.payment-card"],
        frames: CARD_FRAMES,
    },
    Base {
        text: "3782 822463 10005",
        pack: FIN,
        kind: Kind::Card,
        rules: &["pii.payment-card"],
        frames: CARD_FRAMES,
    },
    Base {
        text: "6011-1111-1111-1117",
        pack: FIN,
        kind: Kind::Card,
        rules: &["pii.payment-card"],
        frames: CARD_FRAMES,
    },
    Base {
        text: "078-05-1123",
        pack: FIN,
        kind: Kind::Ssn,
        rules: SSN_RULES,
        frames: SSN_FRAMES,
    },
    Base {
        text: "536 22 8147",
        pack: FIN,
        kind: Kind::Ssn,
        rules: SSN_RULES,
        frames: SSN_FRAMES,
    },
    Base {
        text: "GB82 WEST 1234 5698 7654 32",
        pack: FIN,
        kind: Kind::Iban,
        rules: &["pii.iban"],
        frames: IBAN_FRAMES,
    },
    Base {
        text: "DE89 3704 0044 0532 0130 00",
        pack: FIN,
        kind: Kind::Iban,
        rules: &["pii.iban"],
        frames: IBAN_FRAMES,
    },
    Base {
        text: "guaranteed returns",
        pack: FIN,
        kind: Kind::Term,
        rules: &["promissory.guarantee"],
        frames: FIN_TERM_FRAMES,
    },
    Base {
        text: "risk-free investment",
        pack: FIN,
        kind: Kind::Term,
        rules: &["promissory.no-risk", "promissory.risk-free"],
        frames: FIN_TERM_FRAMES,
    },
    Base {
        text: "double your money",
        pack: FIN,
        kind: Kind::Term,
        rules: &["promissory.get-rich"],
        frames: FIN_TERM_FRAMES,
    },
    Base {
        text: "you can't lose",
        pack: FIN,
        kind: Kind::Term,
        rules: &["promissory.no-risk"],
        frames: FIN_TERM_FRAMES,
    },
    Base {
        text: "guaranteed profits",
        pack: FIN,
        kind: Kind::Term,
        rules: &["promissory.guarantee"],
        frames: FIN_TERM_FRAMES,
    },
    Base {
        text: "insider information",
        pack: FIN,
        kind: Kind::Term,
        rules: &["mnpi.nonpublic"],
        frames: FIN_TERM_FRAMES,
    },
    Base {
        text: "pirate bay",
        pack: MUSIC,
        kind: Kind::Term,
        rules: &["piracy.site"],
        frames: MUSIC_TERM_FRAMES,
    },
    Base {
        text: "free mp3 download",
        pack: MUSIC,
        kind: Kind::Term,
        rules: &["piracy.download"],
        frames: MUSIC_TERM_FRAMES,
    },
    Base {
        text: "break the embargo",
        pack: MUSIC,
        kind: Kind::Term,
        rules: &["embargo.break"],
        frames: MUSIC_TERM_FRAMES,
    },
    Base {
        text: "flac rip",
        pack: MUSIC,
        kind: Kind::Term,
        rules: &["piracy.download"],
        frames: MUSIC_TERM_FRAMES,
    },
    Base {
        text: "AKIA4QWERTYZ7UIOP2XC",
        pack: FIN,
        kind: Kind::Secret,
        rules: &["secret.aws-access-key"],
        frames: SECRET_FRAMES,
    },
    Base {
        text: "ghp_R2d4E8f0G1h3J5k7L9m2N4p6Q8r0S2t4V6w8",
        pack: FIN,
        kind: Kind::Secret,
        rules: &["secret.github-token"],
        frames: SECRET_FRAMES,
    },
    Base {
        text: "https://mega.nz/file/Zx81kLmN",
        pack: MUSIC,
        kind: Kind::Link,
        rules: &["piracy.host"],
        frames: LINK_FRAMES,
    },
    Base {
        text: "https://www.mediafire.com/file/abc123/album.zip",
        pack: MUSIC,
        kind: Kind::Link,
        rules: &["piracy.host"],
        frames: LINK_FRAMES,
    },
];

const SSN_RULES: &[&str] = &["pii.us-ssn", "pii.us-ssn-unformatted"];

/// splitmix64: the generator's own, so that it shares nothing with the
/// other tests' data.
pub(crate) struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0xD15C_0153_5EED_0001)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// `k` distinct items of `xs`.
    pub(crate) fn sample<T: Copy>(&mut self, xs: &[T], k: usize) -> Vec<T> {
        let mut v = xs.to_vec();
        for i in 0..k.min(v.len()) {
            let j = i + self.below(v.len() - i);
            v.swap(i, j);
        }
        v.truncate(k);
        v
    }
}

/// One disguised post and what screening it gave.
struct Outcome {
    class: String,
    base: &'static str,
    /// The disguised violation, before framing.
    text: String,
    post: String,
    caught: bool,
}

fn screeners() -> BTreeMap<&'static str, Screener> {
    [FIN, MUSIC]
        .into_iter()
        .map(|pack| {
            let mut policy = Policy::new();
            policy.add_bundled(pack).expect("bundled pack loads");
            (pack, Screener::new(&policy).expect("bundled pack compiles"))
        })
        .collect()
}

fn caught(s: &Screener, base: &Base, post: &str) -> bool {
    let v = s.screen(post).expect("post under the size limit");
    v.decision() != Decision::Allow
        && v.reasons().iter().any(|r| base.rules.contains(&r.rule()))
}

/// A stable seed per (base, class, sample), so every run screens the same
/// posts.
fn seed(base: &str, class: &str, i: u64) -> u64 {
    let h = base
        .bytes()
        .chain(class.bytes())
        .fold(0xCBF2_9CE4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
        });
    h ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Applies `chain` to `base` (every trick must apply): the disguised text
/// and the post that carries it.
fn disguise(
    base: &Base,
    chain: &[&Trick],
    r: &mut Rng,
) -> Option<(String, String)> {
    let mut text = base.text.to_string();
    for t in chain {
        if !t.kinds.contains(&base.kind) {
            return None;
        }
        text = (t.apply)(&text, r)?;
    }
    let post = r.pick(base.frames).replace("{}", &text);
    Some((text, post))
}

/// Every disguised post of every base, with its outcome.
fn run() -> Vec<Outcome> {
    let screeners = screeners();
    let mut chains: Vec<(String, Vec<&Trick>)> =
        TRICKS.iter().map(|t| (t.id.to_string(), vec![t])).collect();
    chains.extend(PAIRS.iter().map(|(a, b)| {
        (format!("{a} + {b}"), vec![tricks::find(a), tricks::find(b)])
    }));
    let mut out = Vec::new();
    for base in BASES {
        let s = &screeners[base.pack];
        for (class, chain) in &chains {
            for i in 0..SAMPLES {
                let mut r = Rng::new(seed(base.text, class, i));
                if let Some((text, post)) = disguise(base, chain, &mut r) {
                    let caught = caught(s, base, &post);
                    out.push(Outcome {
                        class: class.clone(),
                        base: base.text,
                        text,
                        post,
                        caught,
                    });
                }
            }
        }
    }
    out
}

/// (caught, total) per class, in the order of `TRICKS` then `PAIRS`.
fn per_class(outcomes: &[Outcome]) -> Vec<(String, usize, usize)> {
    let mut rows: Vec<(String, usize, usize)> = Vec::new();
    for o in outcomes {
        match rows.iter_mut().find(|(c, _, _)| *c == o.class) {
            Some(row) => {
                row.1 += usize::from(o.caught);
                row.2 += 1;
            }
            None => rows.push((o.class.clone(), usize::from(o.caught), 1)),
        }
    }
    let order = |c: &str| {
        TRICKS.iter().position(|t| t.id == c).unwrap_or_else(|| {
            TRICKS.len()
                + PAIRS
                    .iter()
                    .position(|(a, b)| format!("{a} + {b}") == c)
                    .unwrap_or(0)
        })
    };
    rows.sort_by_key(|(c, _, _)| order(c));
    rows
}

fn rate(outcomes: &[Outcome]) -> f64 {
    let caught = outcomes.iter().filter(|o| o.caught).count();
    100.0 * caught as f64 / outcomes.len().max(1) as f64
}

// ---------------------------------------------------------------------------
// Tests.

/// The generator's own sanity: every undisguised base is caught by its pack
/// (else a miss would say nothing about disguises), every class and pair
/// produces posts for some base, and no disguise equals its base.
#[test]
fn bases_are_caught_and_every_class_generates() {
    let screeners = screeners();
    for base in BASES {
        for frame in base.frames {
            let post = frame.replace("{}", base.text);
            assert!(
                caught(&screeners[base.pack], base, &post),
                "undisguised base not caught: {post:?}"
            );
        }
    }
    let outcomes = run();
    let rows = per_class(&outcomes);
    let missing: Vec<&str> = TRICKS
        .iter()
        .map(|t| t.id)
        .filter(|id| !rows.iter().any(|(c, _, _)| c == id))
        .collect();
    assert!(missing.is_empty(), "classes that generated nothing: {missing:?}");
    assert_eq!(
        rows.len(),
        TRICKS.len() + PAIRS.len(),
        "a pair generated nothing"
    );
    assert!(TRICKS.len() >= 30, "fewer than 30 classes");
    for o in &outcomes {
        assert_ne!(o.text, o.base, "not disguised: {:?}", o.post);
    }
}

/// The overall catch rate never falls below the floor measured on main.
#[test]
fn catch_rate_at_least_floor() {
    let outcomes = run();
    let r = rate(&outcomes);
    assert!(
        r >= FLOOR_PERCENT,
        "catch rate {r:.2}% fell below the floor {FLOOR_PERCENT}% ({} posts)",
        outcomes.len()
    );
}

/// The per-class table (ignored by default: it prints, it does not assert).
/// `PRECLEAR_DISGUISE_MISSES=FILE` also writes every missed post to FILE.
#[test]
#[ignore = "report: run with --ignored --nocapture"]
fn report() {
    let outcomes = run();
    println!("{:<48} {:>7} {:>7} {:>8}", "class", "caught", "posts", "rate");
    for (class, c, n) in per_class(&outcomes) {
        println!(
            "{class:<48} {c:>7} {n:>7} {:>7.1}%",
            100.0 * c as f64 / n as f64
        );
    }
    let caught = outcomes.iter().filter(|o| o.caught).count();
    println!(
        "{:<48} {caught:>7} {:>7} {:>7.2}%",
        "overall",
        outcomes.len(),
        rate(&outcomes)
    );
    if let Some(path) = std::env::var_os("PRECLEAR_DISGUISE_MISSES") {
        let misses: Vec<String> = outcomes
            .iter()
            .filter(|o| !o.caught)
            .map(|o| format!("{}\t{:?}", o.class, o.post))
            .collect();
        std::fs::write(path, misses.join("\n")).expect("misses file writes");
    }
}
