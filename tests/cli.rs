//! The `preclear` command line (SPEC §2): exit codes, JSON Lines, human
//! diagnostics, input modes and errors. Every run also checks that the
//! binary did not panic.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

const CARD_POST: &str = "Please charge card 4111 1111 1111 1111 today";
const CARD: &str = "4111 1111 1111 1111";
const MASKED_CARD: &str = "•••• •••• •••• 1111";
const BRANCH_POST: &str = "Our new branch opens Monday at 9am!";

/// A scratch folder under the system temp dir, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        Scratch(crate::support::fresh_dir(&format!("cli-{name}")))
    }

    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> &Self {
        std::fs::write(self.0.join(name), contents).unwrap();
        self
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The stdout lines, each parsed as JSON.
    fn json(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("not JSON ({e}): {l:?}"))
            })
            .collect()
    }

    fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}

/// Runs `preclear ARGS` in `dir` with `stdin`.
fn run_in(dir: Option<&Path>, args: &[&str], stdin: &[u8]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_preclear"));
    cmd.args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    let mut child = cmd.spawn().expect("preclear runs");
    let mut input = child.stdin.take().unwrap();
    // The binary may exit before reading (a usage error): ignore EPIPE.
    let _ = input.write_all(stdin);
    drop(input);
    let out = child.wait_with_output().unwrap();
    let run = Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "preclear {args:?} panicked:\n{}",
        run.stderr
    );
    run
}

fn run(args: &[&str], stdin: &str) -> Run {
    run_in(None, args, stdin.as_bytes())
}

fn data(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/packs")
        .join(path)
        .display()
        .to_string()
}

fn ids(values: &[Value]) -> Vec<&str> {
    values.iter().map(|v| v["id"].as_str().unwrap()).collect()
}

// ---------------------------------------------------------------------------
// SPEC §2 "done when" cases.

#[test]
fn card_number_blocks_with_json_span() {
    let r = run(
        &["check", "--pack", "financial-institution", "--format", "json"],
        &format!("{CARD_POST}\n"),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1, "one JSON line: {}", r.stdout);
    let v = &r.json()[0];
    assert_eq!(v["id"], "-");
    assert_eq!(v["verdict"], "block");
    let reasons = v["reasons"].as_array().unwrap();
    let card = reasons
        .iter()
        .find(|x| x["start"] == 19 && x["end"] == 38)
        .unwrap_or_else(|| panic!("no reason at 19..38: {}", r.stdout));
    assert_eq!(card["rule"], "pii.payment-card");
    assert_eq!(card["line"], 1);
    assert_eq!(card["column"], 20);
    assert!(!r.stdout.contains(CARD), "{}", r.stdout);
    assert!(r.stdout.contains(MASKED_CARD), "{}", r.stdout);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn card_number_only_warns_for_music_label() {
    let r = run(
        &["check", "--pack", "music-label", "--format", "json"],
        &format!("{CARD_POST}\n"),
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.json()[0]["verdict"], "warn");
}

#[test]
fn ordinary_post_is_allowed() {
    let r = run(
        &["check", "--pack", "financial-institution", "--format", "json"],
        &format!("{BRANCH_POST}\n"),
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v = &r.json()[0];
    assert_eq!(v["verdict"], "allow");
    assert_eq!(v["reasons"], serde_json::json!([]));
    assert_eq!(
        v["packs"],
        serde_json::json!(["base@1.0.0", "financial-institution@1.0.0"])
    );
}

/// A warn example of the financial pack exits 1.
#[test]
fn warn_exits_one() {
    let pack = preclear::bundled_pack("financial-institution").unwrap();
    let ex = pack
        .examples()
        .iter()
        .find(|e| e.verdict == preclear::Decision::Warn && e.now.is_none())
        .expect("a warn example");
    let r = run(&["check", "--pack", "financial-institution"], &ex.text);
    assert_eq!(r.code, 1, "{:?}\n{}{}", ex.text, r.stdout, r.stderr);
}

/// With no --pack, base is used: it warns about the card, where the
/// bank's pack would block it.
#[test]
fn default_pack_is_base() {
    let r = run(&["check", "--format", "json"], CARD_POST);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let line = &r.json()[0];
    assert_eq!(line["packs"], serde_json::json!(["base@1.0.0"]));
    assert_eq!(line["reasons"][0]["rule"], "privacy.payment-card");
    assert_eq!(line["reasons"][0]["pack"], "base");
}

// ---------------------------------------------------------------------------
// Input modes.

#[test]
fn text_input_one_post_per_file_in_order() {
    let s = Scratch::new("text");
    s.file("a.txt", BRANCH_POST).file("b.txt", CARD_POST);
    let r = run_in(
        Some(&s.0),
        &[
            "check",
            "--pack",
            "financial-institution",
            "--format",
            "json",
            "a.txt",
            "b.txt",
            "a.txt",
        ],
        b"",
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let v = r.json();
    assert_eq!(ids(&v), ["a.txt", "b.txt", "a.txt"]);
    let verdicts: Vec<&str> =
        v.iter().map(|x| x["verdict"].as_str().unwrap()).collect();
    assert_eq!(verdicts, ["allow", "block", "allow"]);
}

#[test]
fn lines_input_ids_are_file_and_line() {
    let s = Scratch::new("lines");
    s.file("posts.txt", format!("{BRANCH_POST}\n\n{CARD_POST}\nhello\n"));
    let r = run_in(
        Some(&s.0),
        &[
            "check",
            "--pack",
            "financial-institution",
            "--input",
            "lines",
            "--format",
            "json",
            "posts.txt",
        ],
        b"",
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let v = r.json();
    assert_eq!(
        ids(&v),
        ["posts.txt:1", "posts.txt:2", "posts.txt:3", "posts.txt:4"]
    );
    assert_eq!(v[2]["verdict"], "block");
    // Offsets are into the line's post.
    assert_eq!(v[2]["reasons"][0]["start"], 19);
    assert_eq!(v[2]["reasons"][0]["line"], 1);
}

#[test]
fn lines_input_from_stdin() {
    let r =
        run(&["check", "--input", "lines", "--format", "json"], "one\ntwo\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(ids(&r.json()), ["-:1", "-:2"]);
}

#[test]
fn jsonl_keeps_ids_and_reports_broken_lines() {
    let s = Scratch::new("jsonl");
    s.file(
        "posts.jsonl",
        format!(
            "{{\"id\": \"draft-1\", \"text\": \"{BRANCH_POST}\"}}\n\
             {{\"id\": \"draft-2\", \"text\": broken}}\n\
             {{\"id\": \"draft-3\", \"text\": \"{CARD_POST}\"}}\n\
             {{\"id\": \"draft-4\", \"text\": \"fine\"}}\n"
        ),
    );
    let r = run_in(
        Some(&s.0),
        &[
            "check",
            "--pack",
            "financial-institution",
            "--input",
            "jsonl",
            "--format",
            "json",
            "posts.jsonl",
        ],
        b"",
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    let v = r.json();
    assert_eq!(ids(&v), ["draft-1", "draft-3", "draft-4"]);
    assert_eq!(v[1]["verdict"], "block");
    assert_eq!(v[1]["reasons"][0]["start"], 19);
    let err = r.stderr_lines();
    assert_eq!(err.len(), 1, "{}", r.stderr);
    assert!(err[0].contains("posts.jsonl:2"), "{}", r.stderr);
}

#[test]
fn jsonl_offsets_are_into_the_text_field() {
    // Escapes in the JSON line must not shift the offsets.
    let line =
        "{\"id\": \"q\", \"text\": \"\\\"Quote\\\" \\u00e9 charge card \
                4111 1111 1111 1111\"}\n";
    let r = run(
        &[
            "check",
            "--pack",
            "financial-institution",
            "--input",
            "jsonl",
            "--format",
            "json",
        ],
        line,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let text = "\"Quote\" é charge card 4111 1111 1111 1111";
    let start = text.find(CARD).unwrap();
    let reason = &r.json()[0]["reasons"][0];
    assert_eq!(reason["start"], start);
    assert_eq!(reason["end"], start + CARD.len());
    assert_eq!(reason["column"], 23);
}

/// An error about a malformed record must not quote the post: a card
/// number typed as a JSON number ends up on stderr otherwise.
#[test]
fn jsonl_errors_do_not_quote_the_post() {
    let input = "{\"id\": \"a\", \"text\": 4111111111111111}\n\
                 {\"id\": \"b\", \"text\": \"fine\"}\n";
    let r = run(&["check", "--input", "jsonl", "--format", "json"], input);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(ids(&r.json()), ["b"]);
    assert!(r.stderr.contains("-:1"), "{}", r.stderr);
    assert!(!r.stderr.contains("41111111"), "post leaked: {}", r.stderr);
}

/// Ids are read without copies where they can be; what is printed stays
/// what it always was: a string as it is, any other JSON value as its
/// JSON, `null` or no id as `FILE:LINE`; an error line quotes a given id.
#[test]
fn jsonl_ids_of_any_json_type() {
    let s = Scratch::new("jsonl-ids");
    s.file(
        "posts.jsonl",
        "{\"id\": 17, \"text\": \"fine\"}\n\
         {\"id\": 1.5e3, \"text\": \"fine\"}\n\
         {\"id\": {\"z\": 1, \"a\": [true]}, \"text\": \"fine\"}\n\
         {\"id\": null, \"text\": \"fine\"}\n\
         {\"text\": \"fine\"}\n\
         {\"id\": \"q\\\"t\\u00e9\", \"text\": \"fine\"}\n\
         {\"id\": \"long\", \"text\": \"far too long a post\"}\n",
    );
    let args = [
        "--input",
        "jsonl",
        "--format",
        "json",
        "--max-post-bytes",
        "10",
        "posts.jsonl",
    ];
    let r = check_jobs(&s.0, &args);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let v = r.json();
    assert_eq!(
        ids(&v),
        [
            "17",
            "1500.0",
            "{\"a\":[true],\"z\":1}",
            "posts.jsonl:4",
            "posts.jsonl:5",
            "q\"t\u{e9}",
        ]
    );
    let err = r.stderr_lines();
    assert_eq!(err.len(), 1, "{}", r.stderr);
    assert!(err[0].contains("posts.jsonl:7 (id \"long\")"), "{}", r.stderr);
}

/// `--pack` files resolve `extends` relative to themselves, and repeated
/// `--pack` flags layer in order.
#[test]
fn pack_files_and_layering() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = run_in(
        Some(root),
        &[
            "check",
            "--pack",
            "tests/data/packs/valid/sub/me.toml",
            "--format",
            "json",
        ],
        b"ask the boss",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = &r.json()[0];
    assert_eq!(
        v["packs"],
        serde_json::json!([
            "base@1.0.0",
            "test-org@2.0.0",
            "test-team@1.1.0",
            "test-me@0.1.0"
        ])
    );
    assert_eq!(v["reasons"][0]["rule"], "me.nickname");

    let r = run_in(
        Some(root),
        &[
            "check",
            "--pack",
            "financial-institution",
            "--pack",
            "tests/data/packs/valid/org.toml",
            "--format",
            "json",
        ],
        b"Project Falcon",
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.json()[0]["packs"],
        serde_json::json!([
            "base@1.0.0",
            "financial-institution@1.0.0",
            "test-org@2.0.0"
        ])
    );
}

#[test]
fn unreadable_file_among_readable_ones() {
    let s = Scratch::new("unreadable");
    s.file("a.txt", BRANCH_POST).file("b.txt", CARD_POST);
    std::fs::create_dir(s.0.join("folder.txt")).unwrap();
    let r = run_in(
        Some(&s.0),
        &[
            "check",
            "--pack",
            "financial-institution",
            "--format",
            "json",
            "a.txt",
            "missing.txt",
            "b.txt",
            "folder.txt",
            "a.txt",
        ],
        b"",
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(ids(&r.json()), ["a.txt", "b.txt", "a.txt"]);
    // A directory is walked (it has no files here), not an error.
    let err = r.stderr_lines();
    assert_eq!(err.len(), 1, "{}", r.stderr);
    assert!(err[0].contains("missing.txt"), "{}", r.stderr);
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let s = Scratch::new("utf8");
    s.file("a.txt", BRANCH_POST)
        .file("bad.txt", b"caf\xe9 au lait\n")
        .file("lines.txt", b"fine\nna\xefve\n");
    let r = run_in(
        Some(&s.0),
        &["check", "--format", "json", "a.txt", "bad.txt", "a.txt"],
        b"",
    );
    assert_eq!(r.code, 3);
    assert_eq!(ids(&r.json()), ["a.txt", "a.txt"]);
    let err = r.stderr_lines();
    assert_eq!(err.len(), 1, "{}", r.stderr);
    assert!(err[0].contains("bad.txt"), "{}", r.stderr);
    assert!(err[0].contains("byte 3"), "{}", r.stderr);

    let r = run_in(
        Some(&s.0),
        &["check", "--format", "json", "--input", "lines", "lines.txt"],
        b"",
    );
    assert_eq!(r.code, 3);
    assert_eq!(ids(&r.json()), ["lines.txt:1"]);
    let err = r.stderr_lines();
    assert_eq!(err.len(), 1, "{}", r.stderr);
    assert!(err[0].contains("lines.txt:2"), "{}", r.stderr);
    // Byte 2 of the line, byte 7 of the file.
    assert!(err[0].contains("byte 2"), "{}", r.stderr);
    assert!(err[0].contains("byte 7"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------
// Errors.

#[test]
fn broken_pack_is_one_located_error_line() {
    let pack = data("invalid/invalid-regex.toml");
    let r = run(&["check", "--pack", &pack], BRANCH_POST);
    assert_eq!(r.code, 3);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let err = r.stderr_lines();
    assert_eq!(err.len(), 1, "{}", r.stderr);
    assert!(err[0].contains(&format!("{pack}:8:11:")), "{}", r.stderr);
    assert!(err[0].contains("rule 'pii.customer-id'"), "{}", r.stderr);
    assert!(err[0].contains("invalid regex"), "{}", r.stderr);
}

#[test]
fn unknown_pack_name_is_an_error() {
    let r = run(&["check", "--pack", "no-such-pack"], BRANCH_POST);
    assert_eq!(r.code, 3);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_eq!(r.stderr_lines().len(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("no-such-pack"), "{}", r.stderr);
}

#[test]
fn usage_errors_exit_three() {
    let cases: &[&[&str]] = &[
        &[],
        &["frobnicate"],
        &["check", "--format", "xml"],
        &["check", "--input", "csv"],
        &["check", "--no-such-flag"],
        &["check", "--now", "2026-13-01"],
        &["check", "--now", "tomorrow"],
    ];
    for args in cases {
        let r = run(args, BRANCH_POST);
        assert_eq!(r.code, 3, "preclear {args:?}: {}", r.stderr);
        assert!(!r.stderr.is_empty(), "preclear {args:?}: silent");
        assert!(r.stdout.is_empty(), "preclear {args:?}: {}", r.stdout);
    }
    // Help and version are not errors.
    assert_eq!(run(&["--help"], "").code, 0);
    assert_eq!(run(&["--version"], "").code, 0);
}

// ---------------------------------------------------------------------------
// Human format.

#[test]
fn human_format_reads_like_a_diagnostic() {
    let s = Scratch::new("human");
    s.file("post.txt", format!("Hello team,\n{CARD_POST}\n"));
    let r = run_in(
        Some(&s.0),
        &["check", "--pack", "financial-institution", "post.txt"],
        b"",
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let out = &r.stdout;
    assert!(out.contains("post.txt:2:20"), "{out}");
    assert!(out.contains("pii.payment-card"), "{out}");
    let pack = preclear::bundled_pack("financial-institution").unwrap();
    let rule =
        pack.rules().iter().find(|r| r.id == "pii.payment-card").unwrap();
    assert!(out.contains(&rule.message), "{out}");
    assert!(out.contains(MASKED_CARD), "{out}");
    assert!(!out.contains(CARD), "{out}");
    assert!(!out.contains("4111"), "{out}");
    assert!(!out.contains('\x1b'), "ANSI codes off a terminal: {out:?}");
    assert!(out.contains("block"), "{out}");
}

/// A rule's suggestion is a `help:` line under its diagnostic.
#[test]
fn human_format_shows_the_suggestion_as_help() {
    let r = run_in(
        None,
        &["check", "--pack", "financial-institution", "--no-config"],
        b"With us you get guaranteed returns.",
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let pack = preclear::bundled_pack("financial-institution").unwrap();
    let rule =
        pack.rules().iter().find(|r| r.id == "promissory.guarantee").unwrap();
    let hint =
        rule.suggest.as_ref().expect("the rule has a suggestion").to_string();
    assert!(r.stdout.contains(&format!("help: {hint}")), "{}", r.stdout);
}

#[test]
fn human_format_for_lines_names_the_line() {
    let s = Scratch::new("human-lines");
    s.file("posts.txt", format!("{BRANCH_POST}\n{CARD_POST}\n"));
    let r = run_in(
        Some(&s.0),
        &[
            "check",
            "--pack",
            "financial-institution",
            "--input",
            "lines",
            "posts.txt",
        ],
        b"",
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.contains("posts.txt:2:20"), "{}", r.stdout);
    assert!(!r.stdout.contains(CARD), "{}", r.stdout);
    assert!(!r.stdout.contains('\x1b'), "{:?}", r.stdout);
}

/// Columns count characters, in both formats, also after wide characters.
#[test]
fn human_and_json_columns_agree() {
    let s = Scratch::new("columns");
    s.file("cjk.txt", format!("東京 café: {CARD_POST}\n"));
    let args = ["check", "--pack", "financial-institution", "cjk.txt"];
    let human = run_in(Some(&s.0), &args, b"");
    let json =
        run_in(Some(&s.0), &[&args[..], &["--format", "json"]].concat(), b"");
    let card = json.json()[0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "pii.payment-card")
        .cloned()
        .expect("the card fires");
    assert_eq!(card["column"], 29);
    assert_eq!(card["start"], "東京 café: Please charge card ".len());
    assert!(human.stdout.contains("cjk.txt:1:29"), "{}", human.stdout);
}

#[test]
fn unmask_shows_the_number() {
    let r = run(
        &["check", "--pack", "financial-institution", "--unmask"],
        CARD_POST,
    );
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains(CARD), "{}", r.stdout);
    let r = run(
        &[
            "check",
            "--pack",
            "financial-institution",
            "--unmask",
            "--format",
            "json",
        ],
        CARD_POST,
    );
    assert_eq!(r.code, 2);
    let excerpt = r.json()[0]["reasons"][0]["excerpt"].clone();
    assert_eq!(excerpt, format!("charge card {CARD} today"));
}

#[test]
fn now_activates_and_deactivates_dated_rules() {
    let pack = data("valid/dated.toml");
    let post = "The Midnight Album drops soon";
    let cases = [
        ("2026-02-28", 0),
        ("2026-03-01", 2),
        ("2026-03-31", 2),
        ("2026-04-01", 0),
    ];
    for (now, want) in cases {
        let r = run(&["check", "--pack", &pack, "--now", now], post);
        assert_eq!(r.code, want, "--now {now}: {}{}", r.stdout, r.stderr);
    }
}

// ---------------------------------------------------------------------------
// packs, test, policy.

#[test]
fn packs_lists_bundled_packs_with_versions_and_levels() {
    let r = run(&["packs"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let names: Vec<&str> = preclear::bundled_names().collect();
    assert!(names.len() >= 3);
    for name in names {
        let pack = preclear::bundled_pack(name).unwrap();
        let line = r
            .stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name} not listed:\n{}", r.stdout));
        assert!(line.contains(pack.version()), "{line}");
        assert!(line.contains(pack.level().as_str()), "{line}");
    }
}

#[test]
fn test_passes_for_bundled_packs() {
    let r = run(&["test"], "");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(" 0 failed"), "{}", r.stdout);
}

#[test]
fn test_fails_for_a_wrong_example() {
    let r = run(&["test", "--pack", &data("valid/wrong-example.toml")], "");
    assert_ne!(r.code, 0, "{}", r.stdout);
    assert_ne!(r.code, 3, "a failing example is not an error: {}", r.stderr);
    assert!(r.stdout.contains("FAIL"), "{}", r.stdout);
    assert!(r.stdout.contains("1 failed"), "{}", r.stdout);

    // Examples with `now` are screened as of that date.
    let r = run(&["test", "--pack", &data("valid/dated.toml")], "");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn test_reports_a_broken_pack() {
    let r = run(&["test", "--pack", &data("invalid/bad-kind.toml")], "");
    assert_eq!(r.code, 3);
    assert_eq!(r.stderr_lines().len(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("bad-kind.toml:7:8"), "{}", r.stderr);
}

/// SPEC §2: `preclear policy` prints the effective policy.
#[test]
fn policy_prints_the_effective_policy() {
    let r = run(&["policy", "--pack", "financial-institution"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("pii.payment-card"), "{}", r.stdout);
    let r = run(
        &["policy", "--pack", "financial-institution", "--format", "json"],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let parsed: Result<Value, _> = serde_json::from_str(&r.stdout);
    let lines_ok =
        r.stdout.lines().all(|l| serde_json::from_str::<Value>(l).is_ok());
    assert!(
        parsed.is_ok() || (lines_ok && !r.stdout.is_empty()),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("pii.payment-card"), "{}", r.stdout);
    // Each concept lists the forms it matches: its terms, inflected where
    // it says so (a trainer of score rules reads them).
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let concepts = v["concepts"].as_array().unwrap();
    let certainty =
        concepts.iter().find(|c| c["name"] == "certainty").unwrap();
    let forms: Vec<&str> = certainty["forms"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for f in ["guarantee", "guaranteed", "guarantees", "promising"] {
        assert!(forms.contains(&f), "{f} missing from {forms:?}");
    }
    // base's exception for HMRC's never-issued prefixes does not reach
    // the bank's locked NINO rule: the policy says so, in both formats.
    let cut: Vec<(&Value, &Value)> = v["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| {
            let unreached = e["unreached"].as_array().unwrap();
            unreached.iter().map(move |u| (&e["pack"], &u["rule"]))
        })
        .collect();
    assert!(
        cut.contains(&(
            &serde_json::json!("base"),
            &serde_json::json!("privacy.uk-nino")
        )),
        "{cut:?}"
    );
    // The gram rule shows how many grams it weighs and its heaviest.
    let rules = v["rules"].as_array().unwrap();
    let grams = rules.iter().find(|r| r["id"] == "review.scored").unwrap();
    let score = grams.to_string();
    assert!(score.contains("\"grams\":"), "{score}");
    assert!(score.contains("\"first_grams\":[["), "{score}");
    let r = run(&["policy", "--pack", "financial-institution"], "");
    let want =
        "does not reach privacy.uk-nino (locked by financial-institution)";
    assert!(r.stdout.contains(want), "{}", r.stdout);
    assert!(r.stdout.contains("character grams"), "{}", r.stdout);
}

// ---------------------------------------------------------------------------
// At scale and under faults. Every case runs with --jobs 1 (no thread pool)
// and --jobs 2 (batches screened on a pool): both must print the same.

const JOBS: [&str; 2] = ["1", "2"];

/// A fault case: the input mode, the files given, the ids printed and
/// what the error lines say.
type Case = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

/// `preclear check --jobs N ARGS` in `dir` for N = 1 and 2; asserts that
/// both printed the same, byte for byte, and returns one of them.
fn check_jobs(dir: &Path, args: &[&str]) -> Run {
    let mut runs = JOBS.iter().map(|j| {
        run_in(Some(dir), &[&["check", "--jobs", j], args].concat(), b"")
    });
    let (one, two) = (runs.next().unwrap(), runs.next().unwrap());
    assert_eq!(one.code, two.code, "{args:?}: {}{}", one.stderr, two.stderr);
    assert_eq!(one.stderr, two.stderr, "{args:?}");
    assert!(one.stdout == two.stdout, "{args:?}: stdout differs by --jobs");
    // Progress is for a terminal only.
    assert!(!one.stderr.contains('\r'), "{args:?}: {:?}", one.stderr);
    one
}

/// Stdout and stderr of `preclear ARGS` through one file, in the order
/// they were written: errors must sit among the results where they occur.
fn run_merged(dir: &Path, args: &[&str]) -> (i32, String) {
    let path = dir.join(".merged");
    let file = std::fs::File::create(&path).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_preclear"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .status()
        .unwrap();
    let merged = std::fs::read_to_string(&path).unwrap();
    assert!(!merged.contains("panicked"), "{args:?}: {merged}");
    (status.code().expect("exited"), merged)
}

#[test]
fn check_help_documents_jobs_and_post_limit() {
    let r = run(&["check", "--help"], "");
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("--jobs <N>"), "{}", r.stdout);
    assert!(r.stdout.contains("--max-post-bytes <BYTES>"), "{}", r.stdout);
    for bad in
        [&["--jobs", "0"][..], &["--jobs", "x"], &["--max-post-bytes", "0"]]
    {
        let r = run(&[&["check"], bad].concat(), BRANCH_POST);
        assert_eq!(r.code, 3, "{bad:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{bad:?}: {}", r.stdout);
    }
}

/// Many batches of mixed posts, in both formats and three thread counts:
/// the output is the same, in input order.
#[test]
fn jobs_keep_input_order_over_many_batches() {
    let s = Scratch::new("jobs-order");
    let mut posts = String::new();
    for i in 0..12_000 {
        let text = match i % 5 {
            0 => CARD_POST.to_string(),
            1 => format!("Guaranteed returns for post {i}!"),
            _ => format!("{BRANCH_POST} ({i})"),
        };
        posts += &format!("{text}\n");
    }
    s.file("posts.txt", &posts);
    for format in ["json", "human"] {
        let args = [
            "--pack",
            "financial-institution",
            "--input",
            "lines",
            "--format",
            format,
            "posts.txt",
        ];
        let r = check_jobs(&s.0, &args);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.is_empty(), "{}", r.stderr);
        let three = run_in(
            Some(&s.0),
            &[&["check", "--jobs", "3"], &args[..]].concat(),
            b"",
        );
        assert!(three.stdout == r.stdout, "--jobs 3 differs ({format})");
        if format == "json" {
            let v = r.json();
            let want: Vec<String> =
                (1..=12_000).map(|n| format!("posts.txt:{n}")).collect();
            assert_eq!(ids(&v), want);
            assert_eq!(v[0]["verdict"], "block");
            assert_eq!(v[11_995]["verdict"], "block");
        }
    }
}

#[test]
fn faults_unreadable_inputs_among_readable_ones() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new("faults-unreadable");
    s.file("a.txt", BRANCH_POST)
        .file("b.txt", CARD_POST)
        .file("locked.txt", CARD_POST);
    // An (empty) directory is walked, not a fault.
    std::fs::create_dir(s.0.join("folder")).unwrap();
    let locked = s.0.join("locked.txt");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000))
        .unwrap();
    // Root reads a mode-000 file anyway: then it is not a fault to test.
    let lockable = std::fs::read(&locked).is_err();
    let mut files = vec!["a.txt", "missing.txt", "folder", "b.txt"];
    if lockable {
        files.push("locked.txt");
    }
    files.push("a.txt");
    let bad: Vec<&str> = files
        .iter()
        .copied()
        .filter(|f| !f.starts_with(['a', 'b', 'f']))
        .collect();
    for input in ["text", "lines"] {
        let args = [
            &["--pack", "financial-institution", "--format", "json"][..],
            &["--input", input],
            &files,
        ]
        .concat();
        let r = check_jobs(&s.0, &args);
        assert_eq!(r.code, 3, "{input}: {}", r.stderr);
        let suffix = if input == "lines" { ":1" } else { "" };
        let want: Vec<String> = ["a.txt", "b.txt", "a.txt"]
            .iter()
            .map(|f| format!("{f}{suffix}"))
            .collect();
        assert_eq!(ids(&r.json()), want, "{input}");
        let err = r.stderr_lines();
        assert_eq!(err.len(), bad.len(), "{input}: {}", r.stderr);
        for (line, name) in err.iter().zip(&bad) {
            let named = format!("preclear: error: {name}");
            assert!(line.starts_with(&named), "{input}: {line}");
            assert!(line.contains("cannot read"), "{input}: {line}");
        }
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o600))
        .unwrap();
}

#[test]
fn faults_broken_jsonl_lines_mid_stream() {
    let s = Scratch::new("faults-broken");
    // 10,000 records over three batches; broken ones first, inside the
    // second batch and last. Their byte offsets go in the error lines.
    let broken = [2usize, 5_000, 10_000];
    let (mut input, mut offsets) = (String::new(), Vec::new());
    for i in 1..=10_000 {
        if broken.contains(&i) {
            offsets.push(input.len());
            input += &format!("{{\"id\": \"p{i}\", \"text\": oops}}\n");
        } else {
            let text = if i % 7 == 0 { CARD_POST } else { BRANCH_POST };
            input += &format!("{{\"id\": \"p{i}\", \"text\": \"{text}\"}}\n");
        }
    }
    s.file("posts.jsonl", &input);
    let args = [
        "--pack",
        "financial-institution",
        "--input",
        "jsonl",
        "--format",
        "json",
        "posts.jsonl",
    ];
    let r = check_jobs(&s.0, &args);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let want: Vec<String> = (1..=10_000)
        .filter(|i| !broken.contains(i))
        .map(|i| format!("p{i}"))
        .collect();
    assert_eq!(ids(&r.json()), want);
    let err = r.stderr_lines();
    assert_eq!(err.len(), 3, "{}", r.stderr);
    for ((line, n), at) in err.iter().zip(broken).zip(offsets) {
        assert!(line.contains(&format!("posts.jsonl:{n}: ")), "{line}");
        assert!(line.contains(&format!("byte {at} ")), "{line}");
        assert!(!line.contains("oops"), "quotes the record: {line}");
    }
    // Each error comes right after the result of the record before it.
    for jobs in JOBS {
        let (code, merged) = run_merged(
            &s.0,
            &[&["check", "--jobs", jobs], &args[..]].concat(),
        );
        assert_eq!(code, 3);
        let lines: Vec<&str> = merged.lines().collect();
        assert_eq!(lines.len(), 10_000, "--jobs {jobs}");
        for n in broken {
            let line = lines[n - 1];
            assert!(line.starts_with("preclear: error: "), "{n}: {line}");
            assert!(line.contains(&format!("posts.jsonl:{n}: ")), "{line}");
            let before = format!("{{\"id\":\"p{}\",", n - 1);
            assert!(lines[n - 2].starts_with(&before), "{}", lines[n - 2]);
        }
    }
}

#[test]
fn faults_closed_stdout_stops_quietly() {
    let s = Scratch::new("faults-pipe");
    // 200,000 posts, tens of MB of output: far more than a pipe holds, so
    // `head -1` closes it while preclear is still writing.
    let mut big = String::new();
    for i in 0..200_000 {
        big += &format!("post {i}: {BRANCH_POST}\n");
    }
    s.file("big.txt", &big);
    for format in ["json", "human"] {
        for jobs in JOBS {
            let out = Command::new("sh")
                .arg("-c")
                .arg(
                    "{ \"$0\" check --input lines --format \"$1\" \
                     --jobs \"$2\" big.txt 2>err.txt; echo $? >status.txt; \
                     } | head -1",
                )
                .args([env!("CARGO_BIN_EXE_preclear"), format, jobs])
                .current_dir(&s.0)
                .output()
                .unwrap();
            let stdout = String::from_utf8(out.stdout).unwrap();
            assert_eq!(stdout.lines().count(), 1, "{stdout}");
            assert!(stdout.contains("big.txt:1"), "{stdout}");
            let err = std::fs::read_to_string(s.0.join("err.txt")).unwrap();
            // Not a panic, and not an error either: the reader left.
            assert!(err.is_empty(), "{format} --jobs {jobs}: {err}");
            let status = std::fs::read_to_string(s.0.join("status.txt"));
            assert_eq!(status.unwrap().trim(), "0", "allowed posts: exit 0");
        }
    }
}

#[test]
fn faults_invalid_utf8_in_one_post() {
    let s = Scratch::new("faults-utf8");
    s.file("a.txt", BRANCH_POST)
        .file("bad.txt", b"caf\xe9 au lait\n")
        .file("lines.txt", b"fine\nna\xefve\nok\n")
        .file(
            "posts.jsonl",
            b"{\"id\": \"a\", \"text\": \"ok\"}\n\
              {\"id\": \"b\", \"text\": \"na\xefve\"}\n\
              {\"id\": \"c\", \"text\": \"ok\"}\n",
        );
    let cases: [Case; 3] = [
        (
            "text",
            &["a.txt", "bad.txt", "a.txt"],
            &["a.txt", "a.txt"],
            &["bad.txt: ", "byte 3"],
        ),
        (
            "lines",
            &["lines.txt"],
            &["lines.txt:1", "lines.txt:3"],
            &["lines.txt:2: ", "byte 2 of the line", "byte 7 of the file"],
        ),
        (
            "jsonl",
            &["posts.jsonl"],
            &["a", "c"],
            &["posts.jsonl:2: ", "byte 23 of the line", "byte 49 of the file"],
        ),
    ];
    for (input, files, want, error) in cases {
        let args =
            [&["--format", "json", "--input", input][..], files].concat();
        let r = check_jobs(&s.0, &args);
        assert_eq!(r.code, 3, "{input}: {}", r.stderr);
        assert_eq!(ids(&r.json()), want, "{input}");
        let err = r.stderr_lines();
        assert_eq!(err.len(), 1, "{input}: {}", r.stderr);
        for part in error {
            assert!(err[0].contains(part), "{input}: {part:?} in {}", err[0]);
        }
        assert!(err[0].contains("invalid UTF-8"), "{}", err[0]);
    }
}

/// `--max-post-bytes`: a post over the limit is an error line and the
/// others are screened; a line far over it is skipped without being held
/// in memory, with the same message.
#[test]
fn faults_post_over_the_limit() {
    let s = Scratch::new("faults-limit");
    let (at_limit, over) = ("x".repeat(64), "y".repeat(65));
    let huge = "z".repeat(1_000_000);
    s.file("ok.txt", BRANCH_POST)
        .file("over.txt", &over)
        .file("huge.txt", &huge)
        .file("lines.txt", format!("{at_limit}\n{over}\nok\n{huge}\nok\n"))
        .file(
            "posts.jsonl",
            format!(
                "{{\"id\": \"a\", \"text\": \"{at_limit}\"}}\n\
                 {{\"id\": \"b\", \"text\": \"{over}\"}}\n\
                 {{\"id\": \"c\", \"text\": \"{huge}\"}}\n\
                 {{\"id\": \"d\", \"text\": \"ok\"}}\n"
            ),
        );
    let cases: [Case; 3] = [
        ("text", &["ok.txt", "over.txt", "huge.txt", "ok.txt"], &[
            "ok.txt", "ok.txt",
        ], &[
            "over.txt: post is 65 bytes, over the limit of 64 bytes",
            "huge.txt: post is 1000000 bytes, over the limit of 64 bytes",
        ]),
        ("lines", &["lines.txt"], &[
            "lines.txt:1",
            "lines.txt:3",
            "lines.txt:5",
        ], &[
            "lines.txt:2: post is 65 bytes, over the limit of 64 bytes",
            "lines.txt:4: post is 1000000 bytes, over the limit of 64 bytes",
        ]),
        ("jsonl", &["posts.jsonl"], &["a", "d"], &[
            "posts.jsonl:2 (id \"b\"): post is 65 bytes, over the limit of \
             64 bytes",
            "posts.jsonl:3: record is 1000023 bytes, too long for a post \
             within the limit of 64 bytes",
        ]),
    ];
    for (input, files, want, errors) in cases {
        let args = [
            &["--format", "json", "--max-post-bytes", "64", "--input", input]
                [..],
            files,
        ]
        .concat();
        let r = check_jobs(&s.0, &args);
        assert_eq!(r.code, 3, "{input}: {}", r.stderr);
        assert_eq!(ids(&r.json()), want, "{input}");
        let got: Vec<&str> = r
            .stderr_lines()
            .iter()
            .map(|l| l.trim_start_matches("preclear: error: "))
            .collect();
        assert_eq!(got, errors, "{input}");
    }
}

/// A slow stream (`tail -f | preclear`): a post's result is printed when
/// its line arrives, not when a batch or the output buffer fills up.
#[test]
fn streamed_lines_are_answered_as_they_arrive() {
    use std::io::BufRead;
    for jobs in JOBS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_preclear"))
            .args(["check", "--input", "lines", "--format", "json"])
            .args(["--jobs", jobs])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"first post\n").unwrap();
        stdin.flush().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        // Stdin is still open: the answer must come anyway.
        let line = rx.recv_timeout(std::time::Duration::from_secs(30));
        drop(stdin);
        let status = child.wait().unwrap();
        let line = line.unwrap_or_else(|_| panic!("--jobs {jobs}: no answer"));
        assert!(line.contains("\"id\":\"-:1\""), "{line}");
        assert_eq!(status.code(), Some(0));
    }
}

/// examples/parallel/check-archive.sh: GNU parallel over chunks prints
/// the same bytes as one process. CI installs `parallel` and must run it;
/// a developer machine without it skips.
#[test]
fn gnu_parallel_example_matches_one_process() {
    let has_parallel = Command::new("parallel")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_parallel {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        assert!(!ci, "GNU parallel is missing: apt-get install -y parallel");
        eprintln!("GNU parallel example skipped: `parallel` is missing");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("bash")
        .arg(root.join("examples/parallel/check-archive.sh"))
        .env("PRECLEAR", env!("CARGO_BIN_EXE_preclear"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("byte-identical"), "{stdout}");
}
