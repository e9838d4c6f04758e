//! preclear's benchmarks, with same-run baselines (README "Performance").
//!
//! - `compile`: each bundled pack, and a synthetic pack of 10,000 terms
//!   and 200 patterns, from TOML to a screener (`from-toml`) and from a
//!   parsed policy (`from-policy`).
//! - `latency`: one post at a time — a tweet (≤ 280 bytes), a ~2 KB post,
//!   a ~20 KB thread, each clean and with planted findings — through each
//!   bundled pack, and through `financial-institution` with evasion
//!   handling off.
//! - `throughput`: a generated 50 MiB text (bank posts, a little non-ASCII,
//!   a card or an SSN every ~100 KB, a promissory phrase every ~250 KB)
//!   through `financial-institution`, as one post and as ≤ 2 KB posts, and
//!   through three baselines: (a) a naive screener running every rule's
//!   terms and regex one by one (`tests/naive.rs`, the tests' oracle of
//!   the real screener), (b) a raw Aho-Corasick scan of the same terms,
//!   (c) the same patterns through a `RegexSet` alone.
//!
//! Like rebar's definitions carry a `count`, every benchmark checks its
//! answer once before it is timed, so a faster wrong engine cannot pass.
//! After the groups, a summary reads criterion's medians of this run
//! (`target/criterion/**/new/estimates.json`) and prints the figures, the
//! ratios and the targets as Markdown tables.
//!
//! `cargo bench --bench screen` takes 5 to 8 minutes; `-- --quick` about
//! two and a half. `PRECLEAR_BENCH_CLOCK=cpu` measures the bench thread's
//! CPU time instead of wall time: on a shared machine, wall time also
//! counts the time other processes take. The posts come from
//! `benches/peers/posts.rs`, which the peer comparison
//! (`benches/peers/presidio.sh`) shares.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::{Once, OnceLock};
use std::time::{Duration, SystemTime};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{
    criterion_group, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use preclear::limits::REGEX_SIZE_LIMIT;
use preclear::{Decision, Policy, RuleKind, Screener, Verdict};
use regex::bytes::{RegexSet, RegexSetBuilder};

// `time_posts` uses parts of it that the benches do not.
#[allow(dead_code)]
#[path = "peers/posts.rs"]
mod posts;

use posts::{Large, FINANCIAL, PACKS};

#[path = "peers/synthetic.rs"]
mod synthetic;

use synthetic::{synthetic, SYN_PATTERNS, SYN_TERM_RULES};

// Baseline (a), the naive screener, is the tests' oracle of the real one
// (`tests/oracle.rs`); it checks digits with the tests' own helpers.
#[allow(dead_code)]
#[path = "../tests/naive.rs"]
mod naive;
#[allow(dead_code)]
#[path = "../tests/support.rs"]
mod support;

use naive::Naive;

const SYNTHETIC: &str = "synthetic-10k";

/// The targets.
const TARGET_TWEET_US: f64 = 1.5;
const TARGET_OF_RAW_AC: f64 = 0.40;
const TARGET_X_NAIVE: f64 = 20.0;
const TARGET_COMPILE_FIN_MS: f64 = 5.0;
const TARGET_COMPILE_10K_MS: f64 = 100.0;

// ---------------------------------------------------------------------------
// Helpers.

fn args() -> Vec<String> {
    std::env::args().collect()
}

/// `cargo bench` passes `--bench`; `cargo test --benches` does not, and
/// criterion then runs every bench once as a test.
fn timing() -> bool {
    let a = args();
    a.iter().any(|x| x == "--bench") && !a.iter().any(|x| x == "--test")
}

fn quick() -> bool {
    args().iter().any(|x| x == "--quick")
}

/// The number of reasons per rule id.
fn by_rule(v: &Verdict) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in v.reasons() {
        *m.entry(r.rule().to_string()).or_insert(0) += 1;
    }
    m
}

fn expect<S: AsRef<str>>(pairs: &[(S, usize)]) -> BTreeMap<String, usize> {
    pairs
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(r, n)| (r.as_ref().to_string(), *n))
        .collect()
}

fn policy(pack: &str) -> Policy {
    let mut policy = Policy::new();
    policy.add_bundled(pack).expect("bundled pack loads");
    policy
}

fn screener(pack: &str) -> Screener {
    Screener::new(&policy(pack)).expect("bundled pack compiles")
}

// ---------------------------------------------------------------------------
// Baselines.

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

fn compile(c: &mut Criterion<Clock>) {
    let mut g = c.benchmark_group("compile");
    // Flat: an iteration takes milliseconds, so linear sampling's growing
    // batches would overrun the measurement time.
    g.sample_size(20)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(3));
    // Every bundled pack is or extends `base`, so each one blocks a leaked
    // AWS key, with exactly that reason.
    let key = "creds for the demo box: AKIA4QWERTYZ7UIOP2XC";
    for name in PACKS {
        let v = screener(name).screen(key).unwrap();
        assert_eq!(v.decision(), Decision::Block, "{name}");
        assert_eq!(by_rule(&v), expect(&[(posts::AWS_RULE, 1)]), "{name}");
        g.bench_function(BenchmarkId::new("from-toml", name), |b| {
            b.iter(|| screener(black_box(name)))
        });
        let parsed = policy(name);
        g.bench_function(BenchmarkId::new("from-policy", name), |b| {
            b.iter(|| Screener::new(black_box(&parsed)).unwrap())
        });
    }

    let syn = synthetic();
    let from_toml = |toml: &str| {
        let mut p = Policy::new();
        p.add_toml("synthetic.toml", toml).expect("synthetic pack loads");
        p
    };
    let parsed = from_toml(&syn.toml);
    let rules: usize = parsed.packs().iter().map(|p| p.rules().len()).sum();
    assert_eq!(rules, SYN_TERM_RULES + SYN_PATTERNS);
    let v = Screener::new(&parsed).unwrap().screen(&syn.probe).unwrap();
    assert_eq!(by_rule(&v), expect(&syn.want), "{}", syn.probe);
    g.sample_size(10).measurement_time(Duration::from_secs(if quick() {
        3
    } else {
        8
    }));
    g.bench_function(BenchmarkId::new("from-toml", SYNTHETIC), |b| {
        b.iter(|| Screener::new(&from_toml(black_box(&syn.toml))).unwrap())
    });
    g.bench_function(BenchmarkId::new("from-policy", SYNTHETIC), |b| {
        b.iter(|| Screener::new(black_box(&parsed)).unwrap())
    });
    g.finish();
}

/// The `latency` rows: each bundled pack, then `financial-institution`
/// without evasion handling.
const NO_EVASION: &str = "financial-institution-no-evasion";

fn latency(c: &mut Criterion<Clock>) {
    let mut g = c.benchmark_group("latency");
    g.sample_size(50)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for row in PACKS.iter().copied().chain([NO_EVASION]) {
        let (pack, screener) = if row == NO_EVASION {
            let s = Screener::builder()
                .evasion(false)
                .build(&policy(FINANCIAL))
                .expect("bundled pack compiles");
            (FINANCIAL, s)
        } else {
            (row, screener(row))
        };
        for case in posts::latency_cases(pack) {
            let name = case.name();
            let post = case.text.as_str();
            let max = match case.size {
                "tweet" => posts::TWEET_MAX,
                "post-2k" => posts::POST_MAX,
                _ => posts::THREAD_MAX,
            };
            assert!(post.len() <= max && post.len() > max * 3 / 4, "{name}");
            let v = screener.screen(post).unwrap();
            assert_eq!(by_rule(&v), expect(&case.want), "{row} {name}");
            g.throughput(Throughput::Bytes(post.len() as u64));
            g.bench_with_input(BenchmarkId::new(row, &name), post, |b, p| {
                b.iter(|| screener.screen(black_box(p)).unwrap())
            });
        }
    }
    g.finish();
}

/// The throughput text: 50 MiB when timing, 2 MiB as a test.
fn large() -> &'static Large {
    static LARGE: OnceLock<Large> = OnceLock::new();
    LARGE.get_or_init(|| {
        let len = if timing() { posts::LARGE_LEN } else { 2 << 20 };
        posts::large_text(len)
    })
}

fn throughput(c: &mut Criterion<Clock>) {
    let policy = policy(FINANCIAL);
    let naive = Naive::new(&policy);
    let terms = all_terms(&policy);
    let patterns = all_patterns(&policy);
    let automaton = raw_automaton(&terms);
    let set = raw_set(&patterns);

    // The text and its checks are built on first use, so that a filter
    // that skips this group (`cargo bench -- latency`) skips them too.
    let text = || large().text.as_str();
    let want = || {
        let l = large();
        assert!(l.cards > 4 && l.ssns > 4 && l.phrases > 4);
        expect(&l.want())
    };

    let mut g = c.benchmark_group("throughput");
    // Flat sampling, ten samples: an iteration takes up to seconds. Ten
    // samples are the least criterion takes, so on a slow or busy machine
    // it overruns these times (and says so).
    let secs = |full: u64| Duration::from_secs(if quick() { 5 } else { full });
    g.throughput(Throughput::Bytes(posts::LARGE_LEN as u64))
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(secs(20));

    // The whole text as one post: the post-size limit raised to fit.
    let one = Screener::builder()
        .max_post_bytes(posts::LARGE_LEN + (1 << 20))
        .build(&policy)
        .expect("bundled pack compiles");
    let checked = Once::new();
    g.bench_function("preclear-post", |b| {
        checked.call_once(|| {
            let v = one.screen(text()).unwrap();
            assert_eq!(by_rule(&v), want(), "preclear-post");
        });
        b.iter(|| one.screen(black_box(text())).unwrap().reasons().len())
    });

    // Posts of whole lines up to 2 KB, as a batch job would screen them.
    let screener = Screener::new(&policy).expect("bundled pack compiles");
    let split = OnceLock::new();
    let split = || split.get_or_init(|| posts::split_posts(text(), 2048));
    let checked = Once::new();
    g.bench_function("preclear-posts-2k", |b| {
        checked.call_once(|| {
            let mut m = BTreeMap::new();
            for post in split() {
                assert!(post.len() <= 2048);
                for (r, n) in by_rule(&screener.screen(post).unwrap()) {
                    *m.entry(r).or_insert(0) += n;
                }
            }
            assert_eq!(m, want(), "preclear-posts-2k");
        });
        b.iter(|| {
            split()
                .iter()
                .map(|p| {
                    screener.screen(black_box(p)).unwrap().reasons().len()
                })
                .sum::<usize>()
        })
    });

    // (a) The naive screener (`tests/naive.rs`): no evasion, context,
    // unless, exceptions, required or link rules, so a compact card also
    // counts as an account number and an SSN as an unformatted one; only
    // the planted rules are checked, and that no term fires except the
    // planted phrases.
    let checked = Once::new();
    g.measurement_time(secs(60));
    g.bench_function("naive", |b| {
        checked.call_once(|| {
            let found = naive.scan(text());
            let want = want();
            for (rule, _) in large().want() {
                assert_eq!(found.get(rule), want.get(rule), "naive: {rule}");
            }
            let term_hits: usize = found
                .iter()
                .filter(|(id, _)| !patterns.iter().any(|(p, _)| p == *id))
                .map(|(_, n)| n)
                .sum();
            assert_eq!(term_hits, large().phrases, "naive terms: {found:?}");
        });
        b.iter(|| naive.scan(black_box(text())).len())
    });
    g.measurement_time(secs(10));

    // (b) Raw Aho-Corasick: every occurrence of every term, overlapping,
    // whole word or not; the oracle is `str::matches` term by term.
    let checked = Once::new();
    g.bench_function("aho-corasick", |b| {
        checked.call_once(|| {
            let lower = text().to_lowercase();
            let oracle: usize =
                terms.iter().map(|t| lower.matches(t.as_str()).count()).sum();
            assert!(oracle >= large().phrases);
            let n = automaton.find_overlapping_iter(text()).count();
            assert_eq!(n, oracle, "aho-corasick");
        });
        b.iter(|| automaton.find_overlapping_iter(black_box(text())).count())
    });

    // (c) RegexSet alone: which patterns match anywhere in the text; the
    // oracle is each pattern's own regex, and the card pattern must be one.
    let checked = Once::new();
    g.bench_function("regexset", |b| {
        checked.call_once(|| {
            let bytes = text().as_bytes();
            let oracle = patterns
                .iter()
                .filter(|(_, p)| naive::regex(p).is_match(bytes))
                .count();
            // (`SetMatches::len` is the size of the set, not the number
            // matched.)
            let matched = set.matches(bytes);
            assert_eq!(matched.iter().count(), oracle, "regexset");
            let card =
                patterns.iter().position(|(id, _)| id == posts::CARD_RULE);
            assert!(card.is_some_and(|i| matched.matched(i)), "regexset");
        });
        b.iter(|| set.matches(black_box(text().as_bytes())).iter().count())
    });
    g.finish();
}

// ---------------------------------------------------------------------------
// The clock.

/// What the benches measure with: criterion's wall clock by default, or,
/// with `PRECLEAR_BENCH_CLOCK=cpu` (Linux), the bench thread's CPU time.
/// On a shared machine criterion's batches of wall time also count the
/// time other processes take; CPU time does not.
struct Clock {
    cpu: bool,
    /// For its formatter: values are durations either way.
    wall: WallTime,
}

impl Clock {
    fn from_env() -> Clock {
        let cpu =
            std::env::var("PRECLEAR_BENCH_CLOCK").is_ok_and(|v| v == "cpu");
        if cpu && thread_cpu_time().is_none() {
            panic!("PRECLEAR_BENCH_CLOCK=cpu: no thread CPU clock here");
        }
        Clock { cpu, wall: WallTime }
    }

    fn name() -> &'static str {
        if Clock::from_env().cpu {
            "thread CPU time (PRECLEAR_BENCH_CLOCK=cpu)"
        } else {
            "wall time"
        }
    }

    /// A timestamp: since a fixed instant, or this thread's CPU time.
    fn now(&self) -> Duration {
        static EPOCH: OnceLock<std::time::Instant> = OnceLock::new();
        match self.cpu {
            true => thread_cpu_time().expect("checked in from_env"),
            false => EPOCH.get_or_init(std::time::Instant::now).elapsed(),
        }
    }
}

impl Measurement for Clock {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        self.now()
    }
    fn end(&self, start: Duration) -> Duration {
        self.now().saturating_sub(start)
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, d: &Duration) -> f64 {
        d.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}

/// `clock_gettime(CLOCK_THREAD_CPUTIME_ID)`: std has no thread CPU clock.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn thread_cpu_time() -> Option<Duration> {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec of the C layout.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| Duration::new(ts.sec as u64, ts.nsec as u32))
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn thread_cpu_time() -> Option<Duration> {
    None
}

fn config() -> Criterion<Clock> {
    Criterion::default()
        .with_measurement(Clock::from_env())
        .warm_up_time(Duration::from_secs(1))
        // Fewer resamples than the default 100,000: the analysis of some
        // thirty benches would otherwise take a minute of its own.
        .nresamples(20_000)
        .configure_from_args()
}

criterion_group! {
    name = benches;
    config = config();
    targets = compile, latency, throughput
}

fn main() {
    let started = SystemTime::now();
    let load = summary::load();
    benches();
    config().final_summary();
    summary::print(started, &load);
}

// ---------------------------------------------------------------------------
// The summary.

mod summary {
    //! Criterion's medians of this run, as Markdown tables ready for the
    //! README, with the ratios to the baselines and the targets.

    use super::*;

    /// Where criterion writes its estimates (as criterion finds it).
    fn home() -> PathBuf {
        if let Some(h) = std::env::var_os("CRITERION_HOME") {
            return h.into();
        }
        if let Some(t) = std::env::var_os("CARGO_TARGET_DIR") {
            return Path::new(&t).join("criterion");
        }
        let meta = std::env::var_os("CARGO").and_then(|cargo| {
            std::process::Command::new(cargo)
                .args(["metadata", "--format-version", "1", "--no-deps"])
                .output()
                .ok()
        });
        meta.and_then(|m| {
            serde_json::from_slice::<serde_json::Value>(&m.stdout).ok()
        })
        .and_then(|v| v["target_directory"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("target"))
        .join("criterion")
    }

    /// Median nanoseconds per iteration, written since `started`.
    struct Estimates {
        home: PathBuf,
        started: SystemTime,
    }

    impl Estimates {
        fn median(&self, group: &str, id: &str) -> Option<f64> {
            let path =
                self.home.join(group).join(id).join("new/estimates.json");
            let fresh = std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= self.started);
            if !fresh {
                return None;
            }
            let json = std::fs::read(&path).ok()?;
            let v: serde_json::Value = serde_json::from_slice(&json).ok()?;
            v["median"]["point_estimate"].as_f64()
        }
    }

    /// The median of single `screen` calls on a financial-institution
    /// latency post. Unlike criterion's batches, a single call of a few
    /// microseconds is rarely cut by the scheduler, so on a busy machine
    /// this is the closer figure to what the code costs.
    fn per_call_us(name: &str) -> f64 {
        let cases = posts::latency_cases(FINANCIAL);
        let case = cases.iter().find(|c| c.name() == name).expect("a case");
        let s = screener(FINANCIAL);
        for _ in 0..1_000 {
            black_box(s.screen(&case.text).unwrap());
        }
        let mut t: Vec<f64> = (0..50_000)
            .map(|_| {
                let start = std::time::Instant::now();
                black_box(s.screen(black_box(&case.text)).unwrap());
                start.elapsed().as_secs_f64() * 1e6
            })
            .collect();
        t.sort_by(f64::total_cmp);
        t[t.len() / 2]
    }

    fn time(ns: f64) -> String {
        match ns {
            n if n < 1e3 => format!("{n:.0} ns"),
            n if n < 1e4 => format!("{:.2} µs", n / 1e3),
            n if n < 1e6 => format!("{:.1} µs", n / 1e3),
            n if n < 1e7 => format!("{:.2} ms", n / 1e6),
            n if n < 1e9 => format!("{:.1} ms", n / 1e6),
            n => format!("{:.2} s", n / 1e9),
        }
    }

    /// Decimal megabytes (10^6 bytes) per second.
    fn mbps(bytes: usize, ns: f64) -> f64 {
        bytes as f64 / ns * 1e3
    }

    fn or_dash(x: Option<String>) -> String {
        x.unwrap_or_else(|| "—".into())
    }

    fn verdict(ok: bool) -> &'static str {
        if ok {
            "met"
        } else {
            "**not met**"
        }
    }

    /// The 1-minute load average: the machine is shared, and criterion's
    /// batches count the time other processes take from the bench.
    pub fn load() -> String {
        std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|s| s.split_whitespace().next().map(String::from))
            .unwrap_or_else(|| "?".into())
    }

    fn machine() -> String {
        let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
        let model = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split(':').nth(1))
                    .map(|m| m.trim().to_string())
            })
            .unwrap_or_else(|| "unknown CPU".into());
        format!("{model}, {cpus} CPUs (nproc), one thread")
    }

    pub fn print(started: SystemTime, load_before: &str) {
        let est = Estimates { home: home(), started };
        let mut any = false;
        let mut out = String::new();
        let mut line = |s: String| {
            out.push_str(&s);
            out.push('\n');
        };

        // Latency.
        let sizes = ["tweet", "post-2k", "thread-20k"];
        line(String::new());
        line("## preclear bench summary: medians of this run".into());
        line(String::new());
        line(format!(
            "machine: {}; load average {load_before} before, {} after; \
             clock: {}",
            machine(),
            load(),
            Clock::name()
        ));
        line(String::new());
        line("Latency per post (median; bytes in brackets):".into());
        line(String::new());
        line(
            "| pack | tweet clean | tweet hit | 2 KB clean | 2 KB hit | \
             20 KB clean | 20 KB hit |"
                .into(),
        );
        line("|---|---|---|---|---|---|---|".into());
        let mut tweet_fin = Vec::new();
        for row in PACKS.iter().copied().chain([NO_EVASION]) {
            let pack = if row == NO_EVASION { FINANCIAL } else { row };
            let cases = posts::latency_cases(pack);
            let mut cells = Vec::new();
            for size in sizes {
                for hit in [false, true] {
                    let case = cases
                        .iter()
                        .find(|c| c.size == size && c.hit == hit)
                        .expect("every size, clean and hit");
                    let name = case.name();
                    let m = est.median("latency", &format!("{row}/{name}"));
                    if row == FINANCIAL && size == "tweet" {
                        tweet_fin.push((name.clone(), m));
                    }
                    any |= m.is_some();
                    cells.push(or_dash(m.map(|ns| {
                        format!("{} ({} B)", time(ns), case.text.len())
                    })));
                }
            }
            let label = if row == NO_EVASION {
                "financial-institution, evasion off".to_string()
            } else {
                row.to_string()
            };
            line(format!("| {label} | {} |", cells.join(" | ")));
        }

        // Throughput.
        let bytes = posts::LARGE_LEN;
        let get = |id: &str| est.median("throughput", id);
        let (ac, naive) = (get("aho-corasick"), get("naive"));
        line(String::new());
        line(format!(
            "Throughput: {:.1} MB text ({} MiB), financial-institution \
             (MB/s = 10^6 bytes/s):",
            bytes as f64 / 1e6,
            bytes >> 20
        ));
        line(String::new());
        line("| what | time | MB/s | of raw AC (b) | × naive (a) |".into());
        line("|---|---|---|---|---|".into());
        let rows = [
            ("preclear, one post", "preclear-post"),
            ("preclear, ≤ 2 KB posts", "preclear-posts-2k"),
            ("(a) naive: each rule's terms and regex in turn", "naive"),
            (
                "(b) raw Aho-Corasick, same terms, no normalisation",
                "aho-corasick",
            ),
            ("(c) the same patterns through a bare RegexSet", "regexset"),
        ];
        let mut ratios = Vec::new();
        for (label, id) in rows {
            let Some(ns) = get(id) else {
                line(format!("| {label} | — | — | — | — |"));
                continue;
            };
            any = true;
            let of_ac = ac.map(|a| a / ns);
            let x_naive = naive.map(|n| n / ns);
            if id.starts_with("preclear") {
                ratios.push((label, mbps(bytes, ns), of_ac, x_naive));
            }
            line(format!(
                "| {label} | {} | {:.1} | {} | {} |",
                time(ns),
                mbps(bytes, ns),
                or_dash(of_ac.map(|r| format!("{:.1}%", r * 100.0))),
                or_dash(x_naive.map(|r| format!("{r:.1}×"))),
            ));
        }
        line(String::new());
        for (label, mb, of_ac, x_naive) in &ratios {
            line(format!(
                "throughput ({label}): preclear {mb:.1} MB/s = {} of raw AC, \
                 {} naive",
                or_dash(of_ac.map(|r| format!("{:.1}%", r * 100.0))),
                or_dash(x_naive.map(|r| format!("{r:.1}×"))),
            ));
        }

        // Compile.
        line(String::new());
        line("Compile (median):".into());
        line(String::new());
        line("| pack | from TOML | from a parsed policy |".into());
        line("|---|---|---|".into());
        let mut compile_ms = BTreeMap::new();
        for pack in PACKS.iter().copied().chain([SYNTHETIC]) {
            let full = est.median("compile", &format!("from-toml/{pack}"));
            let only = est.median("compile", &format!("from-policy/{pack}"));
            any |= full.is_some() || only.is_some();
            compile_ms.insert(pack, full.map(|ns| ns / 1e6));
            let label = if pack == SYNTHETIC {
                "synthetic: 10,000 terms, 200 patterns"
            } else {
                pack
            };
            line(format!(
                "| {label} | {} | {} |",
                or_dash(full.map(time)),
                or_dash(only.map(time))
            ));
        }

        // Targets.
        line(String::new());
        line("Targets (single thread):".into());
        line(String::new());
        line("| target | measured | |".into());
        line("|---|---|---|".into());
        for (name, m) in &tweet_fin {
            if let Some(ns) = m {
                let us = ns / 1e3;
                let call = per_call_us(name);
                line(format!(
                    "| tweet through financial-institution ≤ {TARGET_TWEET_US} \
                     µs ({name}) | {us:.2} µs (per-call median {call:.2} µs) \
                     | {} |",
                    verdict(us <= TARGET_TWEET_US)
                ));
            }
        }
        for (label, _, of_ac, x_naive) in &ratios {
            if let Some(r) = of_ac {
                line(format!(
                    "| throughput ≥ {:.0}% of raw AC ({label}) | {:.1}% | {} |",
                    TARGET_OF_RAW_AC * 100.0,
                    r * 100.0,
                    verdict(*r >= TARGET_OF_RAW_AC)
                ));
            }
            if let Some(r) = x_naive {
                line(format!(
                    "| throughput ≥ {TARGET_X_NAIVE:.0}× naive ({label}) | \
                     {r:.1}× | {} |",
                    verdict(*r >= TARGET_X_NAIVE)
                ));
            }
        }
        for (pack, target) in [
            (FINANCIAL, TARGET_COMPILE_FIN_MS),
            (SYNTHETIC, TARGET_COMPILE_10K_MS),
        ] {
            if let Some(Some(ms)) = compile_ms.get(pack) {
                line(format!(
                    "| compile {pack} (from TOML) ≤ {target} ms | {ms:.1} ms | \
                     {} |",
                    verdict(*ms <= target)
                ));
            }
        }

        if any {
            print!("{out}");
        } else {
            println!(
                "preclear bench summary: no criterion estimates from this \
                 run (test mode, --list, or a filter that matched nothing)."
            );
        }
    }
}
