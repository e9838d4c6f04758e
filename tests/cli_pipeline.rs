//! The command line in content pipelines (issue 16): `--fail-on`,
//! `--format redacted`, `.preclear.toml`, directories, `--quiet` and
//! `--stats`, each through the binary.

use std::path::{Path, PathBuf};

use serde_json::Value;

pub const CARD_POST: &str = "Please charge card 4111 1111 1111 1111 today";
pub const CARD: &str = "4111 1111 1111 1111";
pub const MASKED_CARD: &str = "•••• •••• •••• 1111";
pub const PROMISE: &str = "Guaranteed returns of 12% a year, no risk at all!";
pub const CLEAN: &str = "Our new branch opens Monday at 9am!";

/// `preclear` in a folder with no `.preclear.toml` above it (a config in
/// the checkout's parents must not leak into the tests), colours off.
pub fn preclear(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_preclear"));
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

/// What a run gave: status, stdout, stderr (never a panic).
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn json(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect()
    }
}

pub fn run(cmd: &mut assert_cmd::Command) -> Out {
    let out = cmd.output().expect("preclear runs");
    let out = Out {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    };
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    out
}

/// A scratch folder, removed on drop; `.preclear.toml` lookups stop in it
/// only if the test puts one there (the temp dir has none above it).
pub struct Tree(pub PathBuf);

impl Tree {
    pub fn new(name: &str) -> Tree {
        Tree(crate::support::fresh_dir(name))
    }

    pub fn file(&self, path: &str, contents: impl AsRef<[u8]>) -> &Tree {
        let p = self.0.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
        self
    }

    pub fn path(&self, path: &str) -> PathBuf {
        self.0.join(path)
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------
// Item 1: --fail-on.

/// The issue's "done when" lines.
#[test]
fn done_when_commands() {
    let t = Tree::new("done-when");
    let r = run(preclear(&t.0)
        .args(["check", "--pack", "music-label", "--fail-on", "block"])
        .write_stdin(format!("{CARD_POST}\n")));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = run(preclear(&t.0)
        .args(["check", "--pack", "financial-institution"])
        .args(["--format", "redacted"])
        .write_stdin(format!("{CARD_POST}\n")));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stdout, format!("Please charge card {MASKED_CARD} today\n"));
}

#[test]
fn fail_on_sets_which_verdicts_exit_non_zero() {
    let t = Tree::new("fail-on");
    // (pack, post, fail_on, status)
    let table = [
        ("music-label", CARD_POST, "warn", 1),
        ("music-label", CARD_POST, "block", 0),
        ("music-label", CARD_POST, "never", 0),
        ("financial-institution", CARD_POST, "warn", 2),
        ("financial-institution", CARD_POST, "block", 2),
        ("financial-institution", CARD_POST, "never", 0),
        ("financial-institution", CLEAN, "warn", 0),
        ("financial-institution", CLEAN, "block", 0),
    ];
    for (pack, post, fail_on, want) in table {
        let r = run(preclear(&t.0)
            .args(["check", "--pack", pack, "--fail-on", fail_on])
            .write_stdin(post));
        assert_eq!(r.code, want, "{pack} {fail_on} {post:?}: {}", r.stderr);
    }
    // Errors still exit 3, whatever --fail-on says.
    let r = run(preclear(&t.0).args([
        "check",
        "--fail-on",
        "never",
        "missing.txt",
    ]));
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("missing.txt"), "{}", r.stderr);
    let r = run(preclear(&t.0).args(["check", "--fail-on", "sometimes"]));
    assert_eq!(r.code, 3, "a usage error: {}", r.stderr);
}

// ---------------------------------------------------------------------------
// Item 2: --format redacted, in the input's own form.

#[test]
fn redacted_text_keeps_the_file_as_written() {
    let t = Tree::new("redacted-text");
    let post = format!("Hello!\n{PROMISE}\r\nCard: {CARD}.\n\nBye");
    t.file("post.txt", &post);
    let r = run(preclear(&t.0).args([
        "check",
        "--pack",
        "financial-institution",
        "--format",
        "redacted",
        "post.txt",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    // Same bytes but the findings: line breaks, punctuation, the rest.
    assert_eq!(r.stdout.lines().count(), post.lines().count());
    assert!(r.stdout.starts_with("Hello!\n"), "{:?}", r.stdout);
    assert!(r.stdout.ends_with(".\n\nBye"), "{:?}", r.stdout);
    assert!(r.stdout.contains(&format!("Card: {MASKED_CARD}.")));
    assert!(r.stdout.contains("\r\n"), "CRLF kept");
    // An unmasked finding is hidden whole: no letter of "Guaranteed".
    assert!(!r.stdout.contains("Guaranteed"), "{}", r.stdout);
    assert!(r.stdout.contains("••••••••••"), "{}", r.stdout);
    assert!(!r.stdout.contains(CARD));
}

#[test]
fn redacted_lines_and_jsonl_can_be_piped_on() {
    let t = Tree::new("redacted-lines");
    let lines = format!("{CLEAN}\n{CARD_POST}\n{PROMISE}\n");
    let r = run(preclear(&t.0)
        .args(["check", "--pack", "financial-institution"])
        .args(["--input", "lines", "--format", "redacted"])
        .write_stdin(lines));
    assert_eq!(r.code, 2, "{}", r.stderr);
    let out: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(out.len(), 3, "{}", r.stdout);
    assert_eq!(out[0], CLEAN);
    assert_eq!(out[1], format!("Please charge card {MASKED_CARD} today"));
    assert!(out[2].ends_with("a year, no risk at all!"), "{}", out[2]);
    assert!(!out[2].contains("Guaranteed"));

    let records = [("a", CLEAN), ("b", CARD_POST), ("c", PROMISE)]
        .map(|(id, text)| serde_json::json!({"id": id, "text": text}))
        .map(|v| v.to_string())
        .join("\n");
    let r = run(preclear(&t.0)
        .args(["check", "--pack", "financial-institution"])
        .args(["--input", "jsonl", "--format", "redacted"])
        .write_stdin(records));
    assert_eq!(r.code, 2, "{}", r.stderr);
    let out = r.json();
    let ids: Vec<&str> =
        out.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(out[0]["text"], CLEAN);
    assert_eq!(
        out[1]["text"],
        format!("Please charge card {MASKED_CARD} today")
    );
    assert!(!r.stdout.contains(CARD) && !r.stdout.contains("Guaranteed"));
    // Piped on: the redacted records screen again as records.
    let again = run(preclear(&t.0)
        .args(["check", "--pack", "financial-institution"])
        .args(["--input", "jsonl", "--format", "json"])
        .write_stdin(r.stdout.clone()));
    assert_ne!(again.code, 3, "{}", again.stderr);
    assert_eq!(again.json().len(), 3);
    // --unmask shows masked values in full, and only then.
    let r = run(preclear(&t.0)
        .args(["check", "--pack", "financial-institution", "--unmask"])
        .args(["--format", "redacted"])
        .write_stdin(CARD_POST));
    assert!(r.stdout.contains("•••• •••• •••• ••••"), "{}", r.stdout);
}

// ---------------------------------------------------------------------------
// Item 4: .preclear.toml.

const ORG_PACK: &str = r#"
[pack]
name = "acme"
version = "1.0.0"
level = "organization"
extends = ["financial-institution"]

[[rules]]
id = "acme.falcon"
kind = "terms"
terms = ["project falcon"]
category = "confidential"
score = 40
action = "warn"
message = "Project Falcon is not public yet."
"#;

#[test]
fn config_is_found_in_the_nearest_parent() {
    let t = Tree::new("config");
    t.file(
        ".preclear.toml",
        "packs = [\"compliance/acme.toml\"]\nfail_on = \"block\"\n\
         format = \"json\"\nmax_post_bytes = 200\n",
    )
    .file("compliance/acme.toml", ORG_PACK)
    .file("drafts/deep/falcon.txt", "Excited about Project Falcon!")
    .file("drafts/deep/long.txt", "word ".repeat(100));
    let deep = t.path("drafts/deep");
    // From two folders down: the pack path is relative to the config.
    let r = run(preclear(&deep).args(["check", "falcon.txt", "long.txt"]));
    let out = r.json();
    assert_eq!(out.len(), 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(out[0]["verdict"], "warn");
    assert_eq!(out[0]["reasons"][0]["rule"], "acme.falcon");
    assert!(out[0]["packs"].to_string().contains("acme@1.0.0"));
    // max_post_bytes = 200 refuses the 500-byte post.
    assert!(r.stderr.contains("long.txt: post is 500 bytes"), "{}", r.stderr);
    assert_eq!(r.code, 3);
    // fail_on = "block": the warn alone exits 0.
    let r = run(preclear(&deep).args(["check", "falcon.txt"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Flags win over the config…
    let r = run(preclear(&deep).args([
        "check",
        "--fail-on",
        "warn",
        "--format",
        "human",
        "--pack",
        "base",
        "falcon.txt",
    ]));
    assert_eq!(r.code, 0, "base has no falcon rule: {}", r.stdout);
    assert!(r.stdout.contains("policy base@1.0.0 ·"), "{}", r.stdout);
    // …and --no-config ignores it (base pack, human output, fail on warn).
    let r = run(preclear(&deep).args(["check", "--no-config", "long.txt"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("long.txt: allow"), "{}", r.stdout);
}

#[test]
fn policy_names_the_config_it_used() {
    let t = Tree::new("config-policy");
    t.file(".preclear.toml", "packs = [\"acme.toml\"]\n")
        .file("acme.toml", ORG_PACK);
    let r = run(preclear(&t.0).args(["policy"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let config = t.path(".preclear.toml").display().to_string();
    assert!(r.stdout.contains(&format!("config       {config}")));
    assert!(r.stdout.contains("acme.falcon"), "{}", r.stdout);
    let r = run(preclear(&t.0).args(["policy", "--format", "json"]));
    let v: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(v["config"], config.as_str());
    let r = run(preclear(&t.0).args(["policy", "--no-config"]));
    assert!(r.stdout.starts_with("config       none\n"), "{}", r.stdout);
    assert!(!r.stdout.contains("acme.falcon"));
}

#[test]
fn broken_configs_are_located_errors() {
    // (config, what the error line says)
    let table = [
        ("fail_on = \"sometimes\"\n", ":1:11: unknown fail_on 'sometimes'"),
        ("\nformat = \"xml\"\n", ":2:10: unknown format 'xml'"),
        ("max_post_bytes = 0\n", ":1:18: max_post_bytes must be a whole"),
        ("packs = [\"nope.toml\"]\n", "nope.toml"),
        ("pack = [\"base\"]\n", ":1:1: unknown field `pack`"),
        ("[paths]\ninclude = [\"a[\"]\n", "paths:"),
    ];
    for (config, want) in table {
        let t = Tree::new("config-broken");
        t.file(".preclear.toml", config).file("a.txt", CLEAN);
        let r = run(preclear(&t.0).args(["check", "."]));
        assert_eq!(r.code, 3, "{config:?}: {}", r.stderr);
        assert!(r.stderr.contains(want), "{config:?}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(r.stdout.is_empty());
    }
}

// ---------------------------------------------------------------------------
// Item 5: directories.

fn drafts() -> Tree {
    let t = Tree::new("walk");
    t.file("drafts/b.md", PROMISE)
        .file("drafts/a.txt", CLEAN)
        .file("drafts/Z.markdown", CLEAN)
        .file("drafts/sub/c.txt", CARD_POST)
        .file("drafts/sub/notes.rst", PROMISE)
        .file("drafts/logo.png", [0x89, b'P', b'N', b'G', 0, 0])
        .file("drafts/broken.md", b"# title\0\x01\x02")
        .file("drafts/.hidden.md", PROMISE)
        .file("drafts/.gitignore", "ignored-by-git.md\n")
        .file("drafts/ignored-by-git.md", CARD_POST)
        .file("drafts/sub/.ignore", "*.txt\n!c.txt\nskip/\n")
        .file("drafts/sub/skip/x.md", CARD_POST)
        .file("drafts/sub/d.txt", CARD_POST);
    t
}

fn walked_ids(r: &Out) -> Vec<String> {
    r.json().iter().map(|v| v["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_directory_is_walked_in_sorted_order_honouring_ignore_files() {
    let t = drafts();
    let r = run(preclear(&t.0)
        .args(["check", "--pack", "financial-institution"])
        .args(["--format", "json", "drafts"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    // Byte order of names, folders where their names sort; .gitignore,
    // .ignore (with its re-include), hidden files, other extensions.
    assert_eq!(
        walked_ids(&r),
        [
            "drafts/Z.markdown",
            "drafts/a.txt",
            "drafts/b.md",
            "drafts/sub/c.txt"
        ]
    );
    assert_eq!(
        r.stderr, "preclear: drafts/broken.md: binary file, skipped\n",
        "one note, not an error"
    );
    // The same again: a stable order.
    let again = run(preclear(&t.0)
        .args(["check", "--pack", "financial-institution"])
        .args(["--format", "json", "drafts"]));
    assert_eq!(again.stdout, r.stdout);
    // A walked file is one post, as --input text reads it.
    let one = run(preclear(&t.0)
        .args(["check", "--pack", "financial-institution"])
        .args(["--format", "json", "drafts/b.md"]));
    assert_eq!(one.json()[0], r.json()[2]);
    // A binary file named on the command line is screened as asked.
    let named = run(preclear(&t.0).args(["check", "drafts/broken.md"]));
    assert_eq!(named.code, 0, "{}", named.stderr);
}

#[test]
fn extensions_and_paths_come_from_flags_or_config() {
    let t = drafts();
    let r = run(preclear(&t.0)
        .args(["check", "--pack", "financial-institution"])
        .args(["--format", "json", "--extension", "rst", "drafts"]));
    assert_eq!(walked_ids(&r), ["drafts/sub/notes.rst"]);
    t.file(
        ".preclear.toml",
        "[paths]\nextensions = [\"txt\", \"rst\"]\ninclude = [\"drafts/sub/**\"]\n\
         exclude = [\"*.rst\"]\n",
    );
    let r = run(preclear(&t.0).args(["check", "--format", "json", "."]));
    assert_eq!(walked_ids(&r), ["./drafts/sub/c.txt"], "{}", r.stderr);
    // The globs are relative to the config, wherever preclear runs.
    let r =
        run(preclear(&t.path("drafts"))
            .args(["check", "--format", "json", "."]));
    assert_eq!(walked_ids(&r), ["./sub/c.txt"], "{}", r.stderr);
}

// ---------------------------------------------------------------------------
// Item 6: --quiet and --stats.

#[test]
fn quiet_prints_findings_only() {
    let t = Tree::new("quiet");
    let input = format!("{CLEAN}\n{CARD_POST}\n");
    let human = |extra: &[&str]| {
        run(preclear(&t.0)
            .args(["check", "--pack", "financial-institution"])
            .args(["--input", "lines"])
            .args(extra)
            .write_stdin(input.clone()))
    };
    let loud = human(&[]);
    assert!(loud.stdout.contains("-:1: allow"), "{}", loud.stdout);
    assert!(loud.stdout.contains("-:2: block"), "{}", loud.stdout);
    let quiet = human(&["--quiet"]);
    assert_eq!(quiet.code, 2);
    assert!(!quiet.stdout.contains(": allow"), "{}", quiet.stdout);
    assert!(!quiet.stdout.contains(": block (score"), "{}", quiet.stdout);
    assert!(quiet.stdout.contains("pii.payment-card"), "{}", quiet.stdout);
    assert!(quiet.stdout.contains(MASKED_CARD));
    let json = human(&["-q", "--format", "json"]);
    assert_eq!(walked_ids(&json), ["-:2"], "only posts with findings");
}

#[test]
fn stats_is_one_line_on_stderr_at_the_end() {
    let t = Tree::new("stats");
    // Three posts and a line that is not UTF-8.
    let mut input = format!("{CLEAN}\n{CARD_POST}\n{PROMISE}\n").into_bytes();
    input.extend_from_slice(b"caf\xe9\n");
    let r = run(preclear(&t.0)
        .args(["check", "--pack", "music-label", "--input", "lines"])
        .args(["--format", "json", "--stats"])
        .write_stdin(input));
    assert_eq!(r.code, 3, "an invalid line: {}", r.stderr);
    assert_eq!(r.json().len(), 3);
    let last = r.stderr.lines().last().unwrap();
    assert!(
        last.starts_with(
            "preclear: stats: 4 posts: 2 allow, 1 warn, 0 block, 1 errors; "
        ),
        "{}",
        r.stderr
    );
    assert!(last.contains(" MB in ") && last.ends_with(" MB/s)"), "{last}");
    let quiet = run(preclear(&t.0).args(["check"]).write_stdin(CLEAN));
    assert!(quiet.stderr.is_empty(), "no stats unless asked");
}

// ---------------------------------------------------------------------------
// The README's pre-commit hook, in a scratch git repository.

/// The README's hook script, word for word.
fn readme_hook() -> String {
    let readme = include_str!("../README.md");
    let from = readme.find("**A pre-commit hook**").expect("the section");
    let block = &readme[from..];
    let start = block.find("```sh\n").unwrap() + "```sh\n".len();
    let end = start + block[start..].find("```").unwrap();
    block[start..end].to_string()
}

#[test]
fn readme_pre_commit_hook_fails_on_blocks_only() {
    let git_here = std::process::Command::new("git").arg("--version").output();
    if !git_here.is_ok_and(|o| o.status.success()) {
        eprintln!("pre-commit hook test skipped: git is missing");
        return;
    }
    let t = Tree::new("hook");
    let bin = Path::new(env!("CARGO_BIN_EXE_preclear")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(&t.0)
            .env("PATH", &path)
            .output()
            .unwrap()
    };
    assert!(git(&["init", "-q"]).status.success());
    t.file(
        ".preclear.toml",
        "packs = [\"financial-institution\"]\nfail_on = \"block\"\n",
    )
    .file(".git/hooks/pre-commit", readme_hook());
    let hook = t.path(".git/hooks/pre-commit");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755))
        .unwrap();
    // A warn (the pack's own warn example) and a binary file: committed.
    let pack = preclear::bundled_pack("financial-institution").unwrap();
    let warn = pack
        .examples()
        .iter()
        .find(|e| e.verdict == preclear::Decision::Warn && e.now.is_none())
        .expect("a warn example");
    t.file("drafts/my post.md", &warn.text)
        .file("drafts/logo.png", [0u8, 1, 2]);
    git(&["add", "."]);
    let ok = git(&["commit", "-q", "-m", "warn only"]);
    let out = String::from_utf8_lossy(&ok.stdout).to_string()
        + &String::from_utf8_lossy(&ok.stderr);
    assert!(ok.status.success(), "{out}");
    assert!(out.contains("warning["), "the warn is shown: {out}");
    // A card number: refused, with the diagnostic.
    t.file("drafts/sub/card.txt", CARD_POST);
    git(&["add", "."]);
    let refused = git(&["commit", "-q", "-m", "card"]);
    let out = String::from_utf8_lossy(&refused.stdout).to_string()
        + &String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "{out}");
    assert!(out.contains("pii.payment-card"), "{out}");
    assert!(!out.contains(CARD), "{out}");
}
