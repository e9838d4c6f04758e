//! The one integration test binary. Each module holds one concern.

/// Library behaviour through the public API, table-driven.
mod api;
/// Pack authoring through the binary: mistakes caught, with where and
/// "did you mean"; failing examples' lines; coverage; `policy` parts;
/// suggestions.
mod authoring;
/// The C ABI: header, C programs, threads, valgrind, Python.
mod capi;
/// The command line: exit codes, JSON, human output, errors.
mod cli;
/// --help, completions and the man pages.
mod cli_help;
/// The command line in pipelines: --fail-on, redacted output, the project
/// config, directories, --quiet and --stats.
mod cli_pipeline;
/// --format sarif, checked by the SARIF multitool.
mod cli_sarif;
/// The README's Spark `rdd.pipe` example, run in Spark's local mode.
mod cli_spark;
/// Concepts, entities, near rules and inflection: what fires, reasons,
/// layering, located pack errors.
mod concepts;
/// Threads sharing one screener agree with one thread.
mod concurrency;
/// Detection quality on generated posts with planted PII and promissory
/// language, and on hard negatives.
mod corpus;
/// A second disguise generator, written from public sources: catch rate
/// per trick class.
mod disguise;
/// Evasion: disguised terms and PII keep their verdict; no new clean hits.
mod evasion;
/// Third-party cases (Presidio, python-stdnum) against the validators and
/// the financial pack.
mod external;
/// Presidio's national-ID cases beside their names.
mod external_ids;
/// Hand-written gold posts: rates on the tune part and the held-out third.
mod gold;
/// Hostile packs and posts: every limit, and what happens over it.
mod hostile;
/// Policy layers, locks, explain; required, link and dated rules.
mod layers;
/// Links in the reader's view: every host trick class, bare domains on
/// Public Suffix List TLDs, file names and identifiers that are not links.
mod links;
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
/// Score rules: learnt weights of words and phrases.
mod score_rules;
/// Sentence and clause scopes deep in long posts, segmented only around
/// the hits: the verdict a post gets alone.
mod sentences;
/// Negated, quoted and reported hits, and what each rule does with them.
mod stance;
/// What the tests share: a PRNG, check digits and registries.
mod support;
