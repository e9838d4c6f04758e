//! Command-line flags (SPEC §2), parsed with clap.
//!
//! Self-contained (clap only, nothing from the crate): build.rs compiles
//! this same file to render the man pages.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// The exit statuses of `check`, shown by the main and `check` help.
macro_rules! check_exit_status {
    () => {
        "Exit status:
  0  every post allowed (or nothing reached --fail-on)
  1  at least one warn and no block (with --fail-on warn, the default)
  2  at least one block (unless --fail-on never)
  3  an error: bad pack or config, unreadable file, invalid input, usage"
    };
}

const MAIN_HELP: &str = concat!(
    "Examples:
  preclear check --pack financial-institution drafts/
  echo 'Guaranteed returns!' | preclear check --pack financial-institution

",
    check_exit_status!(),
    "

A .preclear.toml in the working directory or the nearest parent sets
defaults for check and policy (packs, fail_on, format, max_post_bytes,
paths); flags win, --no-config ignores it."
);

const CHECK_HELP: &str = concat!(
    "Examples:
  preclear check --pack financial-institution --fail-on block drafts/
  preclear check --input jsonl --format json --jobs 4 < archive.jsonl

",
    check_exit_status!()
);

const TEST_HELP: &str = "\
Examples:
  preclear test
  preclear test --pack rules/examples/acme-marketing.toml

Exit status:
  0  every example gave its expected verdict
  1  at least one example failed
  3  an error: a pack cannot be read or compiled, usage";

const PACKS_HELP: &str = "\
Examples:
  preclear packs
  preclear packs --format json

Exit status:
  0  listed
  3  an error (usage)";

const POLICY_HELP: &str = "\
Examples:
  preclear policy --pack financial-institution
  preclear policy --pack acme-bank.toml --pack me.toml --format json

Exit status:
  0  printed
  3  an error: bad pack or config, a lock refused, usage";

const COMPLETIONS_HELP: &str = "\
Examples:
  preclear completions bash > /etc/bash_completion.d/preclear
  preclear completions zsh > \"${fpath[1]}/_preclear\"

Exit status:
  0  printed
  3  an error (usage)";

const MAN_HELP: &str = "\
Examples:
  preclear man | man -l -
  preclear man check > preclear-check.1

Exit status:
  0  printed
  3  an error (usage)";

/// Screen social-media posts against a compliance policy before they are
/// published.
#[derive(Debug, Parser)]
#[command(
    name = "preclear",
    version,
    about,
    long_about = None,
    after_help = MAIN_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Screen posts (files, directories or standard input) and print a
    /// verdict for each.
    #[command(after_help = CHECK_HELP)]
    Check(Check),
    /// Run the packs' own examples (every bundled pack when no --pack).
    #[command(after_help = TEST_HELP)]
    Test(TestArgs),
    /// List the bundled packs: name, version, level and description.
    #[command(after_help = PACKS_HELP)]
    Packs(Packs),
    /// Print the effective policy after layering: every rule, the pack it
    /// comes from, the overrides applied to it, locks and thresholds.
    #[command(after_help = POLICY_HELP)]
    Policy(PolicyArgs),
    /// Print a shell completion script.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(Completions),
    /// Print the man page (rendered when preclear was built).
    #[command(after_help = MAN_HELP)]
    Man(ManArgs),
}

#[derive(Debug, clap::Args)]
pub struct PolicyArgs {
    #[command(flatten)]
    pub pack: PackArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    #[command(flatten)]
    pub pack: PackArgs,
    /// Also list the rules that no example makes fire.
    #[arg(long)]
    pub coverage: bool,
    /// With --coverage: exit 1 when a rule fires in no example.
    #[arg(long, requires = "coverage")]
    pub strict: bool,
}

#[derive(Debug, clap::Args)]
pub struct PackArgs {
    /// A bundled pack name or a pack file; repeat to layer packs,
    /// organization first.
    #[arg(long = "pack", value_name = "NAME|FILE")]
    pub packs: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct ConfigArgs {
    /// Ignore .preclear.toml (otherwise read from the working directory
    /// or its nearest parent that has one).
    #[arg(long)]
    pub no_config: bool,
}

#[derive(Debug, clap::Args)]
pub struct Check {
    #[command(flatten)]
    pub pack: PackArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output format [default: human, or the config's `format`].
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,
    /// Which verdicts make the exit status non-zero [default: warn, or
    /// the config's `fail_on`].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,
    /// How to split the input into posts.
    #[arg(long, value_enum, default_value_t = Input::Text)]
    pub input: Input,
    /// Screen as of this date (for rules with active_from/active_until).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub now: Option<String>,
    /// Show masked values (card numbers, secrets) in full. Only for the
    /// person entitled to see them.
    #[arg(long)]
    pub unmask: bool,
    /// Also list the hits a rule's stance ignored (negated, quoted or
    /// reported), as notes that do not change the verdict.
    #[arg(long)]
    pub explain: bool,
    /// Findings only: no summary line for each post (human), no line for
    /// a post without reasons (json).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// One summary line on stderr at the end: posts, allow/warn/block
    /// counts, errors, megabytes and time.
    #[arg(long)]
    pub stats: bool,
    /// Screening threads for `--input lines|jsonl` [default: the number
    /// of cores]. 1 screens on the main thread, without a thread pool.
    /// Output is in input order whatever the number.
    #[arg(
        long,
        short = 'j',
        value_name = "N",
        value_parser = clap::value_parser!(u16).range(1..)
    )]
    pub jobs: Option<u16>,
    /// Refuse (exit 3) any post longer than this many bytes; other posts
    /// are still screened. A line too long to hold a post within the
    /// limit is skipped without being read into memory [default:
    /// 10485760 (10 MiB), or the config's `max_post_bytes`].
    #[arg(
        long,
        value_name = "BYTES",
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new()
            .range(1..)
    )]
    pub max_post_bytes: Option<usize>,
    /// File extension screened when walking a directory; repeat for more
    /// [default: txt, md, markdown, or the config's `paths.extensions`].
    #[arg(long = "extension", value_name = "EXT")]
    pub extensions: Vec<String>,
    /// Input files and directories; none or `-` reads standard input. A
    /// directory is walked in sorted order, honouring .gitignore and
    /// .ignore; each text file in it is screened like a FILE.
    #[arg(value_name = "FILE|DIR")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct Packs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct Completions {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// A command's own page (`preclear-check(1)`…) instead of the main
    /// page.
    #[arg(value_enum)]
    pub command: Option<ManPage>,
}

/// Output of `packs` and `policy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text for reading.
    Human,
    /// JSON for programs.
    Json,
}

/// Output of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Compiler-style diagnostics (coloured on a terminal).
    Human,
    /// JSON Lines: one object per post.
    Json,
    /// Each post with every finding hidden, in the input's own form
    /// (text, one line per line, or {"id","text"} records).
    Redacted,
    /// One SARIF 2.1.0 log for code-scanning dashboards.
    Sarif,
}

/// The least verdict that makes `check` exit non-zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// A warn exits 1, a block 2.
    Warn,
    /// Only a block exits non-zero (2); warns exit 0.
    Block,
    /// Verdicts never change the exit status; only errors do (3).
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Input {
    /// Each file is one post.
    Text,
    /// Each line is one post, id FILE:LINE.
    Lines,
    /// Each line is {"id": ..., "text": ...}.
    Jsonl,
}

/// Shells `completions` writes for (clap_complete's own enum would make
/// build.rs depend on clap_complete too).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// The man pages build.rs renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ManPage {
    Check,
    Test,
    Packs,
    Policy,
    Completions,
}
