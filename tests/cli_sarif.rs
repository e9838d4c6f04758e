//! `--format sarif`: the log's shape, its regions against the files' bytes,
//! no masked value anywhere, and the SARIF multitool's validation
//! (`npm install -g @microsoft/sarif-multitool`; .ci/run installs it).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::cli_pipeline::{
    preclear, run, Tree, CARD, CARD_POST, CLEAN, PROMISE,
};

fn sarif(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let r = run(preclear(dir).args(["check", "--format", "sarif"]).args(args));
    let log = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.stdout));
    assert!(!r.stdout.contains(CARD), "{}", r.stdout);
    assert!(!r.stdout.contains("1111 1111"), "{}", r.stdout);
    (r.code, log, r.stdout)
}

#[test]
fn sarif_log_points_at_the_bytes() {
    let t = Tree::new("sarif");
    let a = format!("Launch day!\n{PROMISE} Card {CARD}.\n");
    t.file("drafts/a.md", &a).file("drafts/b.txt", CLEAN);
    let lines = format!("{CLEAN}\nSee ya\n{CARD_POST}\n");
    t.file("lines.txt", &lines);
    let (code, log, _) =
        sarif(&t.0, &["--pack", "financial-institution", "drafts"]);
    assert_eq!(code, 2);
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run0 = &runs[0];
    let driver = &run0["tool"]["driver"];
    assert_eq!(driver["name"], "preclear");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let results = run0["results"].as_array().unwrap();
    let fired: BTreeSet<&str> =
        results.iter().map(|r| r["ruleId"].as_str().unwrap()).collect();
    let rules: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, fired.iter().copied().collect::<Vec<_>>(), "one each");
    for rule in driver["rules"].as_array().unwrap() {
        assert!(rule["shortDescription"]["text"].is_string(), "{rule}");
        assert!(rule["help"]["text"].is_string(), "{rule}");
        assert!(rule["properties"]["category"].is_string(), "{rule}");
    }
    // The card: level error, its region the card's bytes in the file.
    let card = results
        .iter()
        .find(|r| r["ruleId"] == "pii.payment-card")
        .expect("the card fired");
    assert_eq!(card["level"], "error");
    let loc = &card["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "drafts/a.md");
    let region = &loc["region"];
    let (off, len) = (
        region["byteOffset"].as_u64().unwrap() as usize,
        region["byteLength"].as_u64().unwrap() as usize,
    );
    assert_eq!(&a[off..off + len], CARD);
    assert_eq!(region["startLine"], 2);
    let col = a.lines().nth(1).unwrap().find(CARD).unwrap() + 1;
    assert_eq!(region["startColumn"], col, "ASCII: bytes = characters");
    // The policy's fingerprint, as `preclear policy` gives it.
    let policy = run(preclear(&t.0).args([
        "policy",
        "--pack",
        "financial-institution",
        "--format",
        "json",
    ]));
    let p: Value = serde_json::from_str(policy.stdout.trim()).unwrap();
    assert_eq!(run0["properties"]["fingerprint"], p["fingerprint"]);
    assert_eq!(run0["columnKind"], "unicodeCodePoints");

    // Lines: the region is in the file, not in the line.
    let (_, log, _) = sarif(
        &t.0,
        &["--input", "lines", "--pack", "music-label", "lines.txt"],
    );
    let r = &log["runs"][0]["results"][0];
    assert_eq!(r["level"], "warning", "a warn rule: {r}");
    let region = &r["locations"][0]["physicalLocation"]["region"];
    let off = region["byteOffset"].as_u64().unwrap() as usize;
    assert_eq!(&lines[off..off + CARD.len()], CARD);
    assert_eq!(region["startLine"], 3);
}

#[test]
fn sarif_for_json_records_names_the_record() {
    let t = Tree::new("sarif-jsonl");
    let records = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "p1", "text": CLEAN}),
        serde_json::json!({"id": "p2", "text": CARD_POST}),
    );
    t.file("posts.jsonl", records);
    let (code, log, _) = sarif(
        &t.0,
        &[
            "--pack",
            "financial-institution",
            "--input",
            "jsonl",
            "posts.jsonl",
        ],
    );
    assert_eq!(code, 2);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{results:?}");
    let r = &results[0];
    assert_eq!(r["properties"]["post"], "p2");
    assert_eq!(r["properties"]["start"], 19);
    assert_eq!(r["properties"]["end"], 38);
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region, &serde_json::json!({"startLine": 2}));
}

#[test]
fn sarif_rule_is_described_by_its_pack_not_its_first_hit() {
    // Two posts fire the same near rule with different words; the log has
    // one entry for the rule, so it must not carry either post's details.
    let t = Tree::new("sarif-described");
    let records = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "p1", "text": "With us you are guaranteed 7% a year."}),
        serde_json::json!({"id": "p2", "text": "This note locks in 9% a year."}),
    );
    t.file("posts.jsonl", records);
    let args = ["--pack", "financial-institution", "--input", "jsonl"];
    let (code, log, _) = sarif(&t.0, &[&args[..], &["posts.jsonl"]].concat());
    assert_eq!(code, 2);
    let run0 = &log["runs"][0];
    let results = run0["results"].as_array().unwrap();
    let promise = "promissory.certain-return";
    let texts: Vec<&str> = results
        .iter()
        .filter(|r| r["ruleId"] == promise)
        .map(|r| r["message"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts.len(), 2, "{results:?}");
    assert!(texts[0].contains("7%") && texts[1].contains("9%"), "{texts:?}");
    let rule = run0["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == promise)
        .expect("the rule is described");
    let described = rule["shortDescription"]["text"].as_str().unwrap();
    assert!(described.starts_with("A return is promised"), "{described}");
    for detail in ["7%", "9%", "“guaranteed”", "locks in", "near"] {
        assert!(!described.contains(detail), "{detail} in {described}");
        let help = rule["help"]["text"].as_str().unwrap();
        assert!(!help.contains(detail), "{detail} in {help}");
    }
}

#[test]
fn sarif_log_reports_errors_and_stays_whole() {
    let t = Tree::new("sarif-errors");
    t.file("ok.txt", CLEAN);
    let (code, log, _) = sarif(&t.0, &["ok.txt", "missing.txt"]);
    assert_eq!(code, 3);
    let inv = &log["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let note = &inv["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    assert!(note["message"]["text"].as_str().unwrap().contains("missing.txt"));
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

/// The multitool, or `None` (skipped) on a machine without it; CI must
/// have it.
fn multitool() -> Option<&'static str> {
    let found = Command::new("sarif-multitool")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        assert!(
            !ci,
            "sarif-multitool is missing: npm install -g @microsoft/sarif-multitool"
        );
        eprintln!(
            "SARIF validation skipped: sarif-multitool is missing \
             (`npm install -g @microsoft/sarif-multitool`)"
        );
        return None;
    }
    Some("sarif-multitool")
}

/// The error-level findings of `sarif-multitool validate` on `log`.
fn validate(tool: &str, dir: &Path, log: &str) -> Vec<String> {
    let input = dir.join("in.sarif");
    let output = dir.join("validation.sarif");
    std::fs::write(&input, log).unwrap();
    let out = Command::new(tool)
        .arg("validate")
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .args(["--log", "ForceOverwrite"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let report: Value =
        serde_json::from_slice(&std::fs::read(&output).unwrap()).unwrap();
    report["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] == "error")
        .map(|r| r["message"].to_string())
        .collect()
}

#[test]
fn sarif_multitool_validates_the_log() {
    let Some(tool) = multitool() else { return };
    let t = Tree::new("sarif-validate");
    t.file("drafts/a.md", format!("Hi!\n{PROMISE}\n{CARD_POST}\n"))
        .file("drafts/b.txt", CLEAN)
        .file("drafts/c d.txt", "Join via http://bit.ly/free-money now")
        .file(
            "posts.jsonl",
            format!("{}\n", serde_json::json!({"id": 7, "text": CARD_POST})),
        );
    let (_, _, a) =
        sarif(&t.0, &["--pack", "financial-institution", "drafts"]);
    let (_, _, b) =
        sarif(&t.0, &["--input", "jsonl", "posts.jsonl", "nope.txt"]);
    for log in [&a, &b] {
        let errors = validate(tool, &t.0, log);
        assert!(errors.is_empty(), "{errors:?}\n{log}");
    }
    // The validator is live: it rejects a log without a driver name.
    let broken = a.replacen(r#""name":"preclear","#, "", 1);
    assert_ne!(broken, a);
    assert!(!validate(tool, &t.0, &broken).is_empty());
}

/// A rule's replacement becomes a SARIF fix whose region is the hit's
/// bytes, so applying it gives the corrected draft; a hint is only help.
#[test]
fn sarif_fix_replaces_the_hit() {
    let t = Tree::new("sarif-fix");
    let draft = "Ask about our Gold Saver account at any branch.\n";
    t.file("draft.txt", draft);
    let pack =
        concat!(env!("CARGO_MANIFEST_DIR"), "/rules/examples/acme-bank.toml");
    let (_, log, _) = sarif(&t.0, &["--pack", pack, "draft.txt"]);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let hit = results
        .iter()
        .find(|r| r["ruleId"] == "acme.retired-name")
        .expect("the retired name fired");
    let change = &hit["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "draft.txt");
    let rep = &change["replacements"][0];
    let at = rep["deletedRegion"]["byteOffset"].as_u64().unwrap() as usize;
    let len = rep["deletedRegion"]["byteLength"].as_u64().unwrap() as usize;
    let fixed = format!(
        "{}{}{}",
        &draft[..at],
        rep["insertedContent"]["text"].as_str().unwrap(),
        &draft[at + len..]
    );
    assert_eq!(fixed, "Ask about our Acme Saver account at any branch.\n");
    // The rule's help leads with the suggestion.
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let rule = rules.iter().find(|r| r["id"] == "acme.retired-name").unwrap();
    assert!(
        rule["help"]["text"].as_str().unwrap().starts_with("replace with"),
        "{rule}"
    );
    // A masked rule never gets a fix, and a hint is not one.
    for r in results.iter().filter(|r| r["ruleId"] != "acme.retired-name") {
        assert!(r.get("fixes").is_none(), "{r}");
    }
}
