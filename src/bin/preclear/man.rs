//! `preclear completions SHELL` (clap_complete, from the live command
//! definition) and `preclear man [COMMAND]` (the pages build.rs rendered
//! with clap_mangen when preclear was built).

use std::io::{self, Write};

use clap::CommandFactory;

use crate::args::{Cli, Completions, ManArgs, ManPage, Shell};
use crate::{error, EXIT_ERROR};

pub fn completions(c: &Completions) -> u8 {
    let shell = match c.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "preclear", &mut out);
    write(&out)
}

pub fn man(m: &ManArgs) -> u8 {
    macro_rules! page {
        ($name:literal) => {
            include_str!(concat!(env!("OUT_DIR"), "/man/", $name))
        };
    }
    let page = match m.command {
        None => page!("preclear.1"),
        Some(ManPage::Check) => page!("preclear-check.1"),
        Some(ManPage::Test) => page!("preclear-test.1"),
        Some(ManPage::Packs) => page!("preclear-packs.1"),
        Some(ManPage::Policy) => page!("preclear-policy.1"),
        Some(ManPage::Completions) => page!("preclear-completions.1"),
    };
    write(page.as_bytes())
}

fn write(bytes: &[u8]) -> u8 {
    match io::stdout().lock().write_all(bytes) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            error(format_args!("cannot write output: {e}"));
            EXIT_ERROR
        }
        _ => 0,
    }
}
