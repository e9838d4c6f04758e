//! Command-line flags (SPEC §2), parsed with clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Screen social-media posts against a compliance policy before they are
/// published.
///
/// Exit status: 0 every post allowed, 1 at least one warn and no block,
/// 2 at least one block, 3 an error.
#[derive(Debug, Parser)]
#[command(name = "preclear", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Screen posts and print a verdict for each.
    Check(Check),
    /// Run the packs' own examples (every bundled pack when no --pack).
    Test(TestArgs),
    /// List the bundled packs.
    Packs(Packs),
    /// Print the effective policy after layering: every rule, the pack it
    /// comes from, the overrides applied to it, locks and thresholds.
    Policy(PolicyArgs),
}

#[derive(Debug, clap::Args)]
pub struct PolicyArgs {
    #[command(flatten)]
    pub pack: PackArgs,
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
pub struct Check {
    #[command(flatten)]
    pub pack: PackArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
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
    /// limit is skipped without being read into memory.
    #[arg(
        long,
        value_name = "BYTES",
        default_value_t = preclear::limits::MAX_POST_BYTES,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new()
            .range(1..)
    )]
    pub max_post_bytes: usize,
    /// Input files; none or `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct Packs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Compiler-style diagnostics (coloured on a terminal).
    Human,
    /// JSON Lines: one object per post.
    Json,
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
