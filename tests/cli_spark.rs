//! The README's Spark `rdd.pipe` example, run for real: Spark's local mode
//! (pyspark from PyPI, Java 17) pipes an archive split into several files
//! through the documented command (examples/spark/rescreen.py), and the
//! verdicts equal one preclear process's, id for id. CI installs pyspark
//! and Java (.ci/run) and must run it; a machine without them skips.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::cli_pipeline::{preclear, run, Tree};

const PLAIN: [&str; 5] = [
    "Our new branch on Main Street opens Monday at 9am.",
    "Thanks to everyone who came to the budgeting workshop! 🎉",
    "Café et croissants offerts à l’agence de Lyon ce samedi.",
    "We are hiring advisors in Austin, Denver and Porto.",
    "Five tips for an emergency fund, from our planners 📈",
];
const RISKY: [&str; 5] = [
    "Please charge card 4111 1111 1111 1111 today.",
    "Guaranteed returns of 12% a year, no risk at all!",
    "Double your money in 30 days with our risk-free plan.",
    "Card 5500-0000-0000-0004 is on file for the renewal.",
    "Sign up at http://bit.ly/free-money before Friday.",
];
const POSTS: usize = 2_000;
const FILES: usize = 4;

/// Whether Java and pyspark are here; CI must have both.
fn spark_available() -> bool {
    let java = Command::new("java").arg("-version").output();
    let pyspark =
        Command::new("python3").args(["-c", "import pyspark"]).output();
    let missing: Vec<&str> = [
        (
            java.is_ok_and(|o| o.status.success()),
            "java (apt-get install openjdk-17-jre-headless)",
        ),
        (
            pyspark.is_ok_and(|o| o.status.success()),
            "pyspark (pip install pyspark)",
        ),
    ]
    .into_iter()
    .filter(|(ok, _)| !ok)
    .map(|(_, what)| what)
    .collect();
    if missing.is_empty() {
        return true;
    }
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    assert!(!ci, "the Spark example needs {}", missing.join(" and "));
    eprintln!("Spark example skipped: {} missing", missing.join(" and "));
    false
}

/// A deterministic archive: one JSON record a line, about one in four
/// posts with a card, a promise or a link (Park-Miller, as the GNU
/// parallel example's generator).
fn archive() -> Vec<String> {
    let mut x: u64 = 20261201;
    let mut next = || {
        x = x * 16807 % 2147483647;
        x as usize
    };
    (1..=POSTS)
        .map(|i| {
            let mut text = PLAIN[next() % 5].to_string();
            if next() % 4 == 0 {
                text = format!("{text} {}", RISKY[next() % 5]);
            }
            serde_json::json!({"id": format!("post-{i:05}"), "text": text})
                .to_string()
        })
        .collect()
}

/// Verdict lines by id; every id once.
fn by_id<'a>(
    lines: impl Iterator<Item = &'a str>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = v["id"].as_str().unwrap().to_string();
        assert!(
            out.insert(id.clone(), line.to_string()).is_none(),
            "{id} twice"
        );
    }
    out
}

#[test]
fn spark_pipe_example_matches_one_process() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = root.join("examples/spark/rescreen.py");
    // The example runs the README's command, word for word.
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let example = std::fs::read_to_string(&script).unwrap();
    for part in [
        "check --pack financial-institution \"",
        "\"--input jsonl --format json --jobs 1; test $? -le 2'\"",
        "checkCode=True",
    ] {
        assert!(readme.contains(part) && example.contains(part), "{part}");
    }
    if !spark_available() {
        return;
    }
    let t = Tree::new("spark");
    let posts = archive();
    let per = POSTS.div_ceil(FILES);
    for (n, chunk) in posts.chunks(per).enumerate() {
        t.file(&format!("in/posts-{n}.jsonl"), chunk.join("\n") + "\n");
    }
    let single = run(preclear(&t.0)
        .args(["check", "--pack", "financial-institution", "--input", "jsonl"])
        .args(["--format", "json", "--jobs", "1"])
        .arg(t.path("in"))
        .args(["--extension", "jsonl"]));
    assert!(single.code <= 2, "{}", single.stderr);
    let want = by_id(single.stdout.lines());
    assert_eq!(want.len(), POSTS);
    let out = Command::new("python3")
        .arg(&script)
        .arg(t.path("in").join("posts-*.jsonl"))
        .arg(t.path("out"))
        .env("PRECLEAR", env!("CARGO_BIN_EXE_preclear"))
        .env("SPARK_MASTER", "local[2]")
        // Spark on the loopback interface only.
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut parts: Vec<_> = std::fs::read_dir(t.path("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name().unwrap().to_string_lossy().starts_with("part-")
        })
        .collect();
    parts.sort();
    assert!(parts.len() >= FILES, "a partition per file at least: {parts:?}");
    let text: String =
        parts.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    let got = by_id(text.lines());
    assert_eq!(got.len(), want.len());
    for (id, line) in &want {
        assert_eq!(got.get(id), Some(line), "{id}");
    }
    let blocked =
        want.values().filter(|l| l.contains("\"verdict\":\"block\"")).count();
    assert!(blocked > 0, "the archive has blocked posts");
}
