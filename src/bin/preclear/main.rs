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
mod sarif;
mod walk;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use preclear::{Error, Policy, Screener};

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
        Command::Test(p) => test(&p),
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

/// Checks each pack's examples against the policy up to and including that
/// pack (its own layer and everything beneath it).
fn test(args: &PackArgs) -> u8 {
    // With no --pack, each bundled pack is tested on its own.
    let stacks: Vec<Vec<String>> = if args.packs.is_empty() {
        preclear::bundled_names().map(|n| vec![n.to_string()]).collect()
    } else {
        vec![args.packs.clone()]
    };
    let (mut total, mut failed) = (0usize, 0usize);
    let mut tested: Vec<String> = Vec::new();
    let mut out = io::stdout().lock();
    for stack in stacks {
        let mut policy = Policy::new();
        for name in &stack {
            let before = policy.packs().len();
            if let Err(e) = policy.add(name) {
                error(e);
                return EXIT_ERROR;
            }
            for k in before..policy.packs().len() {
                let pack = &policy.packs()[k];
                if tested.iter().any(|t| t == pack.name()) {
                    continue;
                }
                tested.push(pack.name().to_string());
                // A pack's examples describe the policy as of its layer.
                let screener = match Screener::new(&policy.first(k + 1)) {
                    Ok(s) => s,
                    Err(e) => {
                        error(e);
                        return EXIT_ERROR;
                    }
                };
                match run_examples(&mut out, pack, &screener) {
                    Ok((t, f)) => {
                        total += t;
                        failed += f;
                    }
                    Err(e) => {
                        error(e);
                        return EXIT_ERROR;
                    }
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "{} examples, {} passed, {} failed",
        total,
        total - failed,
        failed
    );
    u8::from(failed > 0)
}

/// Runs one pack's examples; returns (examples, failures).
fn run_examples(
    out: &mut impl Write,
    pack: &preclear::Pack,
    screener: &Screener,
) -> Result<(usize, usize), Error> {
    let failures = screener.check_examples(pack)?;
    for f in &failures {
        let ex = &pack.examples()[f.index()];
        let v = f.verdict();
        let fired: Vec<&str> = v.reasons().iter().map(|r| r.rule()).collect();
        let _ = writeln!(
            out,
            "FAIL {} example {}: expected {}, got {} (score {}); fired [{}]{}\n     {:?}",
            pack.name(),
            f.index() + 1,
            f.expected(),
            v.decision(),
            v.score(),
            fired.join(", "),
            if f.missing().is_empty() {
                String::new()
            } else {
                format!("; missing [{}]", f.missing().join(", "))
            },
            v.redact(&ex.text).text()
        );
    }
    let (n, failed) = (pack.examples().len(), failures.len());
    let _ = writeln!(
        out,
        "{} {}@{}: {} examples, {} failed",
        if failed == 0 { "ok  " } else { "FAIL" },
        pack.name(),
        pack.version(),
        n,
        failed
    );
    Ok((n, failed))
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
