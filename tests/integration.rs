//! The one integration test binary. Each module holds one concern.

/// Library behaviour through the public API, table-driven.
mod api;
/// The C ABI: header, C programs, threads, valgrind, Python.
mod capi;
/// The command line: exit codes, JSON, human output, errors.
mod cli;
/// Threads sharing one screener agree with one thread.
mod concurrency;
/// Detection quality on generated posts with planted PII and promissory
/// language, and on hard negatives.
mod corpus;
/// Evasion: disguised terms and PII keep their verdict; no new clean hits.
mod evasion;
/// Third-party cases (Presidio, python-stdnum) against the validators and
/// the financial pack.
mod external;
/// Hostile packs and posts: every limit, and what happens over it.
mod hostile;
/// Policy layers, locks, explain; required, link and dated rules.
mod layers;
/// A naive screener: the oracle below, and the benchmarks' baseline.
mod naive;
/// The screener agrees with the naive one on generated packs and posts.
mod oracle;
/// Every bundled pack's examples; broken packs against their exact errors.
mod packs;
/// Property tests: spans, masks, decisions, determinism, monotonicity.
mod props;
/// The reader's view class by class: every White_Space, Cf, mark,
/// enclosed digit, confusable and leetspeak entry.
mod reader;
/// What the tests share: a PRNG, check digits and registries.
mod support;
