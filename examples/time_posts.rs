//! Times preclear one `Screener::screen` call at a time on the posts of a
//! JSON Lines file, for the peer comparison (`benches/peers/presidio.sh`),
//! and writes those posts: the very ones the criterion benches measure.
//!
//! ```sh
//! cargo run --release --example time_posts -- write DIR [--mib N]
//! cargo run --release --example time_posts -- time [--pack NAME]... \
//!     [--repeat N] FILE.jsonl
//! ```
//!
//! `write` puts into DIR `latency.jsonl` (the `financial-institution`
//! latency posts of `cargo bench`: tweet, 2 KB post, 20 KB thread, clean
//! and with planted findings, each with the findings preclear must
//! report), `posts.jsonl` (the first N MiB, default 50, of the throughput
//! text cut into posts of at most 2 KB) and `planted.json`.
//!
//! `time` screens every post once untimed (checking its `want`, if it has
//! one), then `--repeat` times (default 1) timed, and prints one JSON
//! object: the median over posts of each post's median time, throughput
//! (bytes over the sum of those medians), the findings per rule, and each
//! post's figures. `benches/peers/presidio_bench.py` prints the same for
//! Presidio.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use preclear::{Policy, Screener};
use serde_json::{json, Value};

// The benches use parts of it that this example does not.
#[allow(dead_code)]
#[path = "../benches/peers/posts.rs"]
mod posts;

const USAGE: &str = "usage: time_posts write DIR [--mib N]\n       \
                     time_posts time [--pack NAME]... [--repeat N] FILE";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("write") => write(&args[1..]),
        Some("time") => time(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("time_posts: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--flag VALUE` pairs, then the positional arguments.
type Args = (Vec<(String, String)>, Vec<String>);

fn parse(args: &[String]) -> Result<Args, String> {
    let mut flags = Vec::new();
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(name) = a.strip_prefix("--") {
            let v = it.next().ok_or(format!("--{name} needs a value"))?;
            flags.push((name.to_string(), v.clone()));
        } else {
            rest.push(a.clone());
        }
    }
    Ok((flags, rest))
}

fn number(v: &str) -> Result<usize, String> {
    v.parse().map_err(|_| format!("not a number: {v}"))
}

fn write(args: &[String]) -> Result<(), String> {
    let (flags, rest) = parse(args)?;
    let [dir] = rest.as_slice() else {
        return Err(USAGE.into());
    };
    let mut mib = posts::LARGE_LEN >> 20;
    for (name, v) in &flags {
        match name.as_str() {
            "mib" => mib = number(v)?,
            _ => return Err(format!("unknown flag --{name}")),
        }
    }
    let dir = Path::new(dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let io = |e: std::io::Error| e.to_string();

    let mut out = jsonl(&dir.join("latency.jsonl"))?;
    for case in posts::latency_cases(posts::FINANCIAL) {
        let want: BTreeMap<_, _> = case.want.iter().copied().collect();
        let rec = json!({"id": case.name(), "text": case.text, "want": want});
        writeln!(out, "{rec}").map_err(io)?;
    }
    out.flush().map_err(io)?;

    // The same generator and seed as the bench: its first N MiB are the
    // bench's, bar the last line.
    let large = posts::large_text(mib << 20);
    let split = posts::split_posts(&large.text, posts::POST_MAX);
    let mut out = jsonl(&dir.join("posts.jsonl"))?;
    for (i, p) in split.iter().enumerate() {
        let rec = json!({"id": format!("post-{:05}", i + 1), "text": p});
        writeln!(out, "{rec}").map_err(io)?;
    }
    out.flush().map_err(io)?;

    let want: BTreeMap<_, _> = large.want().into_iter().collect();
    let planted = json!({
        "bytes": large.text.len(),
        "posts": split.len(),
        "want": want,
    });
    std::fs::write(dir.join("planted.json"), planted.to_string()).map_err(io)
}

fn jsonl(path: &Path) -> Result<BufWriter<File>, String> {
    File::create(path)
        .map(BufWriter::new)
        .map_err(|e| format!("{}: {e}", path.display()))
}

struct Post {
    id: String,
    text: String,
    want: Option<BTreeMap<String, usize>>,
}

fn read(path: &str) -> Result<Vec<Post>, String> {
    let f = File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let mut posts = Vec::new();
    for (n, line) in BufReader::new(f).lines().enumerate() {
        let line = line.map_err(|e| format!("{path}: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&line)
            .map_err(|e| format!("{path}:{}: {e}", n + 1))?;
        let text =
            v["text"].as_str().ok_or(format!("{path}:{}: no text", n + 1))?;
        let want = v.get("want").map(|w| {
            w.as_object()
                .into_iter()
                .flatten()
                .map(|(k, n)| (k.clone(), n.as_u64().unwrap_or(0) as usize))
                .collect()
        });
        posts.push(Post {
            id: v["id"]
                .as_str()
                .map_or_else(|| (n + 1).to_string(), String::from),
            text: text.to_string(),
            want,
        });
    }
    Ok(posts)
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

fn time(args: &[String]) -> Result<(), String> {
    let (flags, rest) = parse(args)?;
    let [file] = rest.as_slice() else {
        return Err(USAGE.into());
    };
    let mut packs = Vec::new();
    let mut repeat = 1;
    for (name, v) in &flags {
        match name.as_str() {
            "pack" => packs.push(v.clone()),
            "repeat" => repeat = number(v)?.max(1),
            _ => return Err(format!("unknown flag --{name}")),
        }
    }
    if packs.is_empty() {
        packs.push(posts::FINANCIAL.to_string());
    }
    let mut policy = Policy::new();
    for p in &packs {
        policy.add(p).map_err(|e| e.to_string())?;
    }
    let screener = Screener::new(&policy).map_err(|e| e.to_string())?;
    let posts = read(file)?;

    // Untimed pass: warms the screener's scratch space and checks answers.
    let mut findings: BTreeMap<String, usize> = BTreeMap::new();
    for p in &posts {
        let v =
            screener.screen(&p.text).map_err(|e| format!("{}: {e}", p.id))?;
        let mut mine = BTreeMap::new();
        for r in v.reasons() {
            *mine.entry(r.rule().to_string()).or_insert(0) += 1;
            *findings.entry(r.rule().to_string()).or_insert(0) += 1;
        }
        if let Some(want) = &p.want {
            if *want != mine {
                return Err(format!(
                    "{}: found {mine:?}, want {want:?}",
                    p.id
                ));
            }
        }
    }

    let mut per_post = Vec::new();
    let mut medians = Vec::new();
    let mut times = Vec::with_capacity(repeat);
    for p in &posts {
        times.clear();
        for _ in 0..repeat {
            let t = Instant::now();
            let v = screener.screen(std::hint::black_box(&p.text));
            times.push(t.elapsed().as_secs_f64() * 1e6);
            std::hint::black_box(v.map(|v| v.reasons().len()).ok());
        }
        let m = median(&mut times);
        medians.push(m);
        per_post.push(json!({
            "id": p.id,
            "bytes": p.text.len(),
            "median_us": m,
        }));
    }
    let bytes: usize = posts.iter().map(|p| p.text.len()).sum();
    let total_us: f64 = medians.iter().sum();
    let out = json!({
        "tool": "preclear",
        "config": packs.join("+"),
        "file": file,
        "posts": posts.len(),
        "bytes": bytes,
        "repeat": repeat,
        "median_us": median(&mut medians),
        "mb_per_s": bytes as f64 / total_us,
        "findings": findings,
        "per_post": per_post,
    });
    println!("{out}");
    Ok(())
}
