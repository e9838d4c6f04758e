//! `--help` (exit codes and examples for every command), shell completions
//! and the man pages rendered at build time.

use std::process::Command;

use crate::cli_pipeline::{preclear, run, Tree};

const COMMANDS: [&str; 6] =
    ["check", "test", "packs", "policy", "completions", "man"];

#[test]
fn every_help_shows_exit_status_and_two_examples() {
    let t = Tree::new("help");
    let mut helps = vec![(String::new(), run(preclear(&t.0).arg("--help")))];
    for c in COMMANDS {
        helps.push((c.to_string(), run(preclear(&t.0).args([c, "--help"]))));
    }
    for (cmd, r) in &helps {
        assert_eq!(r.code, 0, "{cmd}: {}", r.stderr);
        let help = &r.stdout;
        assert!(help.contains("\nExit status:\n"), "{cmd}:\n{help}");
        let examples = help
            .split("\nExamples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{cmd} has no examples:\n{help}"));
        let shown: Vec<&str> = examples
            .lines()
            .take_while(|l| !l.is_empty())
            .filter(|l| {
                l.trim_start().starts_with("preclear ")
                    || l.contains("| preclear ")
            })
            .collect();
        assert_eq!(shown.len(), 2, "{cmd}: {shown:?}");
        // Each example names its own command.
        assert!(
            cmd.is_empty()
                || shown
                    .iter()
                    .all(|l| l.contains(&format!("preclear {cmd}"))),
            "{cmd}: {shown:?}"
        );
    }
    // packs and policy describe their own output, not check's.
    for cmd in ["packs", "policy"] {
        let r = run(preclear(&t.0).args([cmd, "--help"]));
        assert!(!r.stdout.contains("Compiler-style"), "{cmd}:\n{}", r.stdout);
        assert!(!r.stdout.contains("one object per post"), "{}", r.stdout);
    }
    let check = &helps[1].1.stdout;
    for flag in
        ["--fail-on", "--no-config", "--quiet", "--stats", "redacted", "sarif"]
    {
        assert!(check.contains(flag), "check --help lacks {flag}");
    }
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    let t = Tree::new("completions");
    for (shell, marker) in [
        ("bash", "complete -F _preclear"),
        ("zsh", "#compdef preclear"),
        ("fish", "complete -c preclear"),
    ] {
        let r = run(preclear(&t.0).args(["completions", shell]));
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.contains(marker), "{shell}:\n{}", r.stdout);
        for word in ["check", "fail-on", "sarif"] {
            assert!(r.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    // The bash script parses.
    let r = run(preclear(&t.0).args(["completions", "bash"]));
    let script = t.path("preclear.bash");
    std::fs::write(&script, r.stdout).unwrap();
    if let Ok(out) = Command::new("bash").arg("-n").arg(&script).output() {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let r = run(preclear(&t.0).args(["completions", "powershell"]));
    assert_eq!(r.code, 3);
}

#[test]
fn man_pages_are_rendered_at_build_time() {
    let t = Tree::new("man");
    let main = run(preclear(&t.0).arg("man"));
    assert_eq!(main.code, 0);
    assert!(main.stdout.contains(".TH preclear 1"), "{}", main.stdout);
    assert!(main.stdout.contains("Exit status"), "the exit codes");
    let check = run(preclear(&t.0).args(["man", "check"]));
    assert!(check.stdout.contains(".TH preclear-check 1"), "{}", check.stdout);
    for flag in ["fail\\-on", "no\\-config", "redacted"] {
        assert!(check.stdout.contains(flag), "preclear-check(1) lacks {flag}");
    }
    assert_ne!(check.stdout, main.stdout);
}
