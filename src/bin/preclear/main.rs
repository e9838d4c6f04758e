//! The `preclear` command line: glue between flags, input, the library and
//! the printers. Exit status: 0 allow, 1 warn, 2 block, 3 error.

mod args;
mod check;
mod config;
mod explain;
mod input;
mod man;
mod print;
mod progress;
mod record;
mod sarif;
mod test;
mod walk;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use preclear::{Error, Policy};

use crate::args::{Cli, Command, Format, PackArgs, Packs};

pub(crate) const EXIT_ERROR: u8 = 3;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Usage errors are errors (3), not "blocked" (clap's 2).
            return ExitCode::from(if e.use_stderr() {
                EXIT_ERROR
            } else {
                0
            });
        }
    };
    let code = match cli.command {
        Command::Check(c) => check::check(&c),
        Command::Test(t) => test::test(&t),
        Command::Packs(p) => packs(&p),
        Command::Policy(p) => explain::policy(&p),
        Command::Completions(c) => man::completions(&c),
        Command::Man(m) => man::man(&m),
    };
    ExitCode::from(code)
}

/// Prints one error line. A failing stderr is ignored: there is nowhere
/// left to report it, and it must not panic.
pub(crate) fn error(msg: impl std::fmt::Display) {
    let _ = writeln!(io::stderr().lock(), "preclear: error: {msg}");
}

/// Prints one line on stderr that is not an error (a skipped file, the
/// `--stats` line).
pub(crate) fn note(msg: impl std::fmt::Display) {
    let _ = writeln!(io::stderr().lock(), "preclear: {msg}");
}

/// The policy named by `--pack` flags (`base` when there are none).
pub(crate) fn policy(args: &PackArgs) -> Result<Policy, Error> {
    let mut policy = Policy::new();
    if args.packs.is_empty() {
        policy.add_bundled("base")?;
    }
    for p in &args.packs {
        policy.add(p)?;
    }
    Ok(policy)
}

/// The policy for `check` and `policy`: the `--pack` flags, else the
/// config's `packs`, else `base`.
pub(crate) fn configured_policy(
    args: &PackArgs,
    config: Option<&config::Config>,
) -> Result<Policy, Error> {
    match config {
        Some(c) if args.packs.is_empty() && !c.packs.is_empty() => {
            let mut policy = Policy::new();
            for p in &c.packs {
                policy.add(p)?;
            }
            Ok(policy)
        }
        _ => policy(args),
    }
}

fn packs(p: &Packs) -> u8 {
    let mut out = io::stdout().lock();
    for name in preclear::bundled_names() {
        let pack = match preclear::bundled_pack(name) {
            Ok(pack) => pack,
            Err(e) => {
                error(e);
                return EXIT_ERROR;
            }
        };
        let line = match p.format {
            Format::Human => format!(
                "{:<24} {:<8} {:<13} {}",
                pack.name(),
                pack.version(),
                pack.level().as_str(),
                pack.description()
            ),
            Format::Json => serde_json::json!({
                "name": pack.name(),
                "version": pack.version(),
                "level": pack.level().as_str(),
                "description": pack.description(),
                "rules": pack.rules().len(),
                "examples": pack.examples().len(),
            })
            .to_string(),
        };
        if writeln!(out, "{line}").is_err() {
            break;
        }
    }
    0
}
