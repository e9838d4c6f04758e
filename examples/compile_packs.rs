//! Compiles one policy `--repeat` times, for instruction counts of a
//! compile (wall time swings on a shared machine; instructions do not):
//!
//! ```sh
//! cargo build --release --example compile_packs
//! for n in 1 11; do
//!   valgrind --tool=callgrind --callgrind-out-file=cg.$n \
//!     --toggle-collect='compile_packs::compile_once' \
//!     target/release/examples/compile_packs --repeat $n financial-institution
//! done
//! ```
//!
//! One compile costs (total of 11 − total of 1) / 10. Each repetition
//! builds the policy and its screener as the `compile` bench's `from-toml`
//! does: a bundled pack by name (`base`, `financial-institution`,
//! `music-label`), `synthetic` (the bench's 10,000 terms and 200
//! patterns), `rules-20k` (two packs of 10,000 one-term rules) or
//! `overrides-20k` (the same with 200 category overrides, each touching
//! every rule). It prints the median wall time of one compile, a second
//! opinion beside the instruction counts.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use preclear::{Policy, Screener};

#[allow(dead_code)]
#[path = "../benches/peers/posts.rs"]
mod posts;
#[allow(dead_code)]
#[path = "../benches/peers/synthetic.rs"]
mod synthetic;

const USAGE: &str = "usage: compile_packs [--repeat N] PACK|synthetic|\
                     rules-20k|overrides-20k";

/// Rules per pack of the 20,000-rule policy (the per-pack limit).
const HALF: usize = 10_000;

/// What to compile: bundled pack names, or TOML sources.
enum Source {
    Bundled(String),
    Toml(Vec<String>),
}

/// `n` one-term rules with ids `{prefix}.0`…, in ten categories.
fn many_rules(prefix: &str, n: usize) -> String {
    let mut s = format!("[pack]\nname = \"{prefix}\"\nversion = \"1\"\n");
    for i in 0..n {
        s.push_str(&format!(
            "\n[[rules]]\nid = \"{prefix}.{i}\"\nkind = \"terms\"\n\
             terms = [\"{prefix}w{i}x\"]\ncategory = \"c{}\"\nscore = 1\n",
            i % 10
        ));
    }
    s
}

/// A pack of 200 category overrides over the ten categories.
fn category_overrides() -> String {
    let mut s = String::from("[pack]\nname = \"team\"\nversion = \"1\"\n");
    for i in 0..200 {
        s.push_str(&format!(
            "\n[[overrides]]\ncategory = \"c{}\"\nscore = {}\n",
            i % 10,
            2 + i
        ));
    }
    s
}

fn source(what: &str) -> Source {
    match what {
        "synthetic" => Source::Toml(vec![synthetic::synthetic().toml]),
        "rules-20k" => {
            Source::Toml(vec![many_rules("a", HALF), many_rules("b", HALF)])
        }
        "overrides-20k" => Source::Toml(vec![
            many_rules("a", HALF),
            many_rules("b", HALF),
            category_overrides(),
        ]),
        name => Source::Bundled(name.to_string()),
    }
}

/// One compile, from the sources to a screener.
#[inline(never)]
fn compile_once(src: &Source) -> Screener {
    let mut policy = Policy::new();
    match src {
        Source::Bundled(name) => {
            policy.add_bundled(name).expect("bundled pack loads");
        }
        Source::Toml(packs) => {
            for (i, toml) in packs.iter().enumerate() {
                policy.add_toml(&format!("p{i}.toml"), toml).expect("loads");
            }
        }
    }
    Screener::new(&policy).expect("compiles")
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (repeat, what) = match &args[..] {
        [flag, n, what] if flag == "--repeat" => match n.parse::<usize>() {
            Ok(n) if n > 0 => (n, what),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        },
        [what] => (1, what),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let src = source(what);
    let mut times = Vec::with_capacity(repeat);
    for _ in 0..repeat {
        let start = Instant::now();
        black_box(compile_once(black_box(&src)));
        times.push(start.elapsed());
    }
    times.sort();
    println!("{what}: median {:?} of {repeat}", times[repeat / 2]);
    ExitCode::SUCCESS
}
