//! Pack authoring through the binary: the mistakes `preclear policy` and
//! `preclear test` catch and how they say so, failing examples with their
//! line, `test --coverage`, what `policy` shows a rule matches, and
//! suggestions in verdicts.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// A scratch folder of pack files, removed on drop.
struct Packs(PathBuf);

impl Packs {
    fn new(name: &str) -> Packs {
        Packs(crate::support::fresh_dir(&format!("authoring-{name}")))
    }

    /// Writes `name` and returns its path as the CLI is given it.
    fn write(&self, name: &str, source: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, source).unwrap();
        path.display().to_string()
    }
}

impl Drop for Packs {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn preclear(args: &[&str], stdin: &str) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_preclear"))
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    let run = Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    };
    assert!(!run.stderr.contains("panicked"), "{args:?}: {}", run.stderr);
    run
}

const HEAD: &str = "[pack]\nname = \"t\"\nversion = \"1.0.0\"\n";

/// 1-based line and column of the first `marker` in `source`.
fn at(source: &str, marker: &str) -> (usize, usize) {
    let i = source.find(marker).unwrap_or_else(|| panic!("no {marker:?}"));
    let before = &source[..i];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, column)
}

/// A broken pack: its body (after `HEAD`, or whole when it has its own
/// `[pack]`), the text its error is located at, and what the error says
/// after `FILE:LINE:COLUMN: `.
struct Broken {
    name: &'static str,
    body: &'static str,
    at: &'static str,
    says: &'static str,
}

const EXTENDS_FIN: &str = "[pack]\nname = \"team\"\nversion = \"1\"\n\
                           level = \"team\"\n\
                           extends = [\"financial-institution\"]\n";

const BROKEN: &[Broken] = &[
    Broken {
        name: "typo_in_a_rule_key",
        body: "[[rules]]\nid = \"a.b\"\nkind = \"terms\"\nterms = [\"x\"]\n\
               score = 10\nmak = true\n",
        at: "mak",
        says: "rule 'a.b': unknown key `mak` (did you mean `mask`?)",
    },
    Broken {
        name: "typo_in_a_context_key",
        body: "[[rules]]\nid = \"a.b\"\nkind = \"terms\"\nterms = [\"x\"]\n\
               score = 10\ncontext = [{ wrds = [\"y\"] }]\n",
        at: "wrds",
        says: "rule 'a.b': unknown key `wrds` (did you mean `words`?)",
    },
    Broken {
        name: "typo_in_an_override_key",
        body:
            "[[overrides]]\nrule = \"mnpi.announcement\"\nacton = \"block\"\n",
        at: "acton",
        says: "rule 'mnpi.announcement': unknown key `acton` (did you \
               mean `action`?)",
    },
    Broken {
        name: "an_override_of_a_rule_only_key",
        body: "[[overrides]]\nrule = \"mnpi.announcement\"\npattern = \"x\"\n",
        at: "pattern",
        says: "rule 'mnpi.announcement': an override cannot change \
               `pattern`: only the pack that defines a rule sets it",
    },
    Broken {
        name: "misspelt_override_target",
        body:
            "[[overrides]]\nrule = \"pii.paymnet-card\"\naction = \"block\"\n",
        at: "[[overrides]]",
        says: "no rule 'pii.paymnet-card' to override (did you mean \
               `pii.payment-card`?)",
    },
    Broken {
        name: "misspelt_override_category",
        body: "[[overrides]]\ncategory = \"promisory\"\nscore = 150\n",
        at: "[[overrides]]",
        says: "no rule of category 'promisory' to override (did you mean \
               `promissory`?)",
    },
    Broken {
        name: "misspelt_exception_rule",
        body: "[[exceptions]]\nrules = [\"promissory.guarante\"]\n\
               terms = [\"guaranteed returns\"]\n",
        at: "[[exceptions]]",
        says: "an exception names no rule 'promissory.guarante' (did you \
               mean `promissory.guarantee`?)",
    },
    Broken {
        name: "bad_regex",
        body: "[[rules]]\nid = \"a.id\"\nkind = \"pattern\"\n\
               pattern = '\\bAC-(\\d{8}\\b'\nscore = 10\n",
        at: "'\\bAC",
        says: "rule 'a.id': invalid regex: unclosed group at character 6 \
               of the pattern",
    },
    Broken {
        name: "bad_trigger_regex",
        body: "[[rules]]\nid = \"a.disclosure\"\nkind = \"required\"\n\
               trigger = { patterns = ['returned \\d+%', 'ret(urns'] }\n\
               require = { terms = [\"past performance\"] }\nscore = 40\n",
        at: "'ret(",
        says: "rule 'a.disclosure': invalid regex: unclosed group at \
               character 4 of the pattern",
    },
    Broken {
        name: "misspelt_validator",
        body: "[[rules]]\nid = \"a.card\"\nkind = \"pattern\"\n\
               pattern = '\\b\\d{16}\\b'\nvalidator = \"lunh\"\nscore = 10\n",
        at: "\"lunh\"",
        says: "rule 'a.card': unknown validator 'lunh' (did you mean \
               `luhn`?)",
    },
    Broken {
        name: "score_in_words",
        body: "[[rules]]\nid = \"a.b\"\nkind = \"terms\"\nterms = [\"x\"]\n\
               score = \"ten\"\n",
        at: "\"ten\"",
        says: "rule 'a.b': expected a whole number from 0 to 4294967295, \
               found the string \"ten\"",
    },
    Broken {
        name: "negative_window",
        body: "[[rules]]\nid = \"a.b\"\nkind = \"terms\"\nterms = [\"x\"]\n\
               score = 10\nunless = { words = [\"y\"], window = -1 }\n",
        at: "-1",
        says: "rule 'a.b': expected a number of words from 0 to 4294967295, \
               found -1",
    },
    Broken {
        name: "terms_not_a_list",
        body: "[[rules]]\nid = \"a.b\"\nkind = \"terms\"\nterms = \"x\"\n",
        at: "\"x\"",
        says: "rule 'a.b': expected a list (`[…]`), found the string \"x\"",
    },
    Broken {
        name: "misspelt_action",
        body: "[[rules]]\nid = \"a.b\"\nkind = \"terms\"\nterms = [\"x\"]\n\
               action = \"blok\"\n",
        at: "\"blok\"",
        says: "rule 'a.b': unknown value `blok` (did you mean `block`?)",
    },
    Broken {
        name: "a_day_that_does_not_exist",
        body: "[[rules]]\nid = \"a.b\"\nkind = \"terms\"\nterms = [\"x\"]\n\
               score = 10\nactive_until = \"2026-02-30\"\n",
        at: "\"2026-02-30\"",
        says: "rule 'a.b': invalid date '2026-02-30': February 2026 has 28 \
               days, there is no February 30",
    },
    Broken {
        name: "a_month_that_does_not_exist",
        body: "[[rules]]\nid = \"a.b\"\nkind = \"terms\"\nterms = [\"x\"]\n\
               score = 10\n\n[[examples]]\ntext = \"x\"\nverdict = \"allow\"\n\
               now = \"2026-13-01\"\n",
        at: "\"2026-13-01\"",
        says: "invalid date '2026-13-01': there is no month 13",
    },
    Broken {
        name: "a_rule_that_can_never_change_a_verdict",
        body:
            "[[rules]]\nid = \"a.quiet\"\nkind = \"terms\"\nterms = [\"x\"]\n",
        at: "\"a.quiet\"",
        says: "rule 'a.quiet': this rule can never change a verdict: its \
               score is 0 and its action is allow (give it a `score` or an \
               `action`, or say `enabled = false` to keep it switched off)",
    },
    Broken {
        name: "score_0_and_action_allow_said_out_loud",
        body: "[[rules]]\nid = \"a.quiet\"\nkind = \"pattern\"\n\
               pattern = 'x+'\nscore = 0\naction = \"allow\"\n",
        at: "\"a.quiet\"",
        says: "rule 'a.quiet': this rule can never change a verdict",
    },
    Broken {
        name: "an_override_that_makes_a_rule_inert",
        body: "[[overrides]]\nrule = \"mnpi.nonpublic\"\nscore = 0\n\
               action = \"allow\"\n",
        at: "[[overrides]]",
        says: "rule 'mnpi.nonpublic': after this override, this rule can \
               never change a verdict",
    },
    Broken {
        name: "a_replacement_for_a_whole_post_reason",
        body: "[[rules]]\nid = \"a.disclosure\"\nkind = \"required\"\n\
               trigger = { terms = [\"returned\"] }\n\
               require = { terms = [\"past performance\"] }\nscore = 40\n\
               suggest = { replace = \"x\" }\n",
        at: "{ replace",
        says: "rule 'a.disclosure': a required rule fires about the whole \
               post, so there is no text to replace: write its `suggest` as \
               a hint",
    },
    Broken {
        name: "a_misspelt_suggestion_kind",
        body: "[[rules]]\nid = \"a.b\"\nkind = \"terms\"\nterms = [\"x\"]\n\
               score = 10\nsuggest = { replce = \"y\" }\n",
        at: "{ replce",
        says: "rule 'a.b': unknown key `replce` (did you mean `replace`?)",
    },
];

/// Every mistake fails `preclear policy` (human and JSON) and `preclear
/// test` with exit 3 and one line: the file, line and column, the rule,
/// and what is wrong in plain words.
#[test]
fn pack_mistakes_fail_policy_and_test_where_they_are() {
    let dir = Packs::new("broken");
    let mut failures = Vec::new();
    for case in BROKEN {
        let overlay = case.body.starts_with("[[overrides]]")
            || case.body.starts_with("[[exceptions]]");
        let head = if overlay { EXTENDS_FIN } else { HEAD };
        let source = format!("{head}\n{}", case.body);
        let file = dir.write(&format!("{}.toml", case.name), &source);
        let (line, column) = at(&source, case.at);
        let want =
            format!("preclear: error: {file}:{line}:{column}: {}", case.says);
        for args in [
            &["policy", "--pack", &file][..],
            &["policy", "--format", "json", "--pack", &file],
            &["test", "--pack", &file],
            &["test", "--coverage", "--pack", &file],
        ] {
            let r = preclear(args, "");
            let lines: Vec<&str> = r.stderr.lines().collect();
            if r.code != 3 || lines.len() != 1 || !lines[0].starts_with(&want)
            {
                failures.push(format!(
                    "{} ({}): exit {}\n   got: {}\n  want: {want}",
                    case.name,
                    args[0],
                    r.code,
                    r.stderr.trim_end()
                ));
            }
            for jargon in
                ["u32", "i32", "sequence", "struct ", "expected one of"]
            {
                if r.stderr.contains(jargon) {
                    failures.push(format!(
                        "{}: says {jargon}: {}",
                        case.name, r.stderr
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// A rule that is off on purpose loads, is shown as disabled, and a later
/// pack may switch it on.
#[test]
fn a_switched_off_rule_loads_and_can_be_switched_on() {
    let dir = Packs::new("switched-off");
    let org = dir.write(
        "org.toml",
        &format!(
            "{HEAD}[[rules]]\nid = \"a.later\"\nkind = \"terms\"\n\
             terms = [\"moonshot\"]\nenabled = false\n"
        ),
    );
    let r = preclear(&["policy", "--pack", &org], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("a.later (disabled)"), "{}", r.stdout);
    let r = preclear(&["check", "--pack", &org], "moonshot");
    assert_eq!(r.code, 0, "{}", r.stderr);

    // Switched on, it still can never change a verdict: refused.
    let on = |extra: &str| {
        format!(
            "[pack]\nname = \"team\"\nversion = \"1\"\nextends = \
             [\"org.toml\"]\n\n[[overrides]]\nrule = \"a.later\"\n\
             enabled = true\n{extra}"
        )
    };
    let team = dir.write("team.toml", &on(""));
    let r = preclear(&["policy", "--pack", &team], "");
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("can never change a verdict"), "{}", r.stderr);
    let team = dir.write("team.toml", &on("action = \"warn\"\n"));
    let r = preclear(&["check", "--pack", &team], "moonshot");
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
}

/// A failing example is named by its pack file and line; its text is
/// shown with masked findings hidden, or not at all when the masked rule
/// it is about did not fire.
#[test]
fn failing_examples_name_their_file_and_line() {
    let dir = Packs::new("examples");
    let source = format!(
        "{HEAD}\n[[rules]]\nid = \"a.card\"\nkind = \"pattern\"\n\
         pattern = '\\b4111(?: ?1111){{3}}\\b'\nscore = 100\naction = \"block\"\n\
         mask = true\n\n\
         [[rules]]\nid = \"a.moon\"\nkind = \"terms\"\nterms = [\"moon\"]\n\
         score = 40\n\n\
         [[examples]]\ntext = \"to the moon\"\nverdict = \"warn\"\n\n\
         [[examples]]\ntext = \"card 4111 1111 1111 1111 to the moon\"\n\
         verdict = \"warn\"\n\n\
         [[examples]]\ntext = \"card 4111 1111 1111 1112\"\nverdict = \"block\"\n\
         rules = [\"a.card\"]\n"
    );
    let file = dir.write("ex.toml", &source);
    let r = preclear(&["test", "--pack", &file], "");
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let second = source.match_indices("[[examples]]").nth(1).unwrap().0;
    let third = source.match_indices("[[examples]]").nth(2).unwrap().0;
    let line = |i: usize| source[..i].matches('\n').count() + 1;
    let want = [
        format!(
            "FAIL {file}:{}:1: example 2: expected warn, got block (score \
             140); fired [a.card, a.moon]",
            line(second)
        ),
        "     \"card •••• •••• •••• 1111 to the moon\"".to_string(),
        format!(
            "FAIL {file}:{}:1: example 3: expected block, got allow (score \
             0); fired []; missing [a.card]",
            line(third)
        ),
        "     (text not shown: it is for a masked rule that did not fire)"
            .to_string(),
        "FAIL t@1.0.0: 3 examples, 2 failed".to_string(),
        "3 examples, 1 passed, 2 failed".to_string(),
    ];
    let got: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(got, want);
    assert!(!r.stdout.contains("4111 1111"), "{}", r.stdout);
}

/// `test --coverage` lists the rules no example makes fire (with where
/// they are defined), and `--strict` fails on them.
#[test]
fn coverage_lists_rules_no_example_fires() {
    let dir = Packs::new("coverage");
    let rules = "[[rules]]\nid = \"a.moon\"\nkind = \"terms\"\n\
                 terms = [\"moon\"]\nscore = 40\n\n\
                 [[rules]]\nid = \"a.rocket\"\nkind = \"terms\"\n\
                 terms = [\"rocket\"]\nscore = 40\n\n\
                 [[rules]]\nid = \"a.off\"\nkind = \"terms\"\n\
                 terms = [\"off\"]\nenabled = false\n\n\
                 [[examples]]\ntext = \"to the moon\"\nverdict = \"warn\"\n";
    let source = format!("{HEAD}\n{rules}");
    let file = dir.write("cov.toml", &source);
    let (line, column) = at(&source, "\"a.rocket\"");

    let plain = preclear(&["test", "--pack", &file], "");
    assert_eq!(plain.code, 0, "{}", plain.stdout);
    assert!(!plain.stdout.contains("uncovered"), "{}", plain.stdout);

    let r = preclear(&["test", "--coverage", "--pack", &file], "");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let tail: Vec<&str> = r.stdout.lines().rev().take(2).collect();
    assert_eq!(
        tail,
        [
            "coverage: 1 of 2 rules fire in an example, 1 uncovered",
            &format!(
                "uncovered {file}:{line}:{column}: rule 'a.rocket' (t) fires \
                 in no example"
            ),
        ]
    );
    let r = preclear(&["test", "--coverage", "--strict", "--pack", &file], "");
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);

    let covered = format!(
        "{source}\n[[examples]]\ntext = \"rocket\"\nverdict = \"warn\"\n"
    );
    let file = dir.write("cov.toml", &covered);
    let r = preclear(&["test", "--coverage", "--strict", "--pack", &file], "");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("2 of 2 rules"), "{}", r.stdout);

    // --strict is about coverage.
    assert_eq!(preclear(&["test", "--strict"], "").code, 3);
    // Every bundled rule fires in one of the bundled examples.
    let r = preclear(&["test", "--coverage", "--strict"], "");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(" 0 uncovered"), "{}", r.stdout);
}

/// `preclear policy` shows what each rule matches, with the pack that set
/// each part, in both formats.
#[test]
fn policy_shows_what_each_rule_matches_and_who_set_it() {
    let dir = Packs::new("policy-parts");
    let team = dir.write(
        "team.toml",
        "[pack]\nname = \"team\"\nversion = \"1\"\nlevel = \"team\"\n\
         extends = [\"financial-institution\"]\n\n\
         [[overrides]]\nrule = \"mnpi.announcement\"\n\
         add_terms = [\"hush-hush deal\"]\n\
         suggest = \"Wait for the press release.\"\n\n\
         [[overrides]]\nrule = \"link.unapproved\"\nadd_allow = [\"team.example\"]\n",
    );
    let r = preclear(&["policy", "--pack", &team], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = &r.stdout;
    for want in [
        "    pattern (financial-institution): \\b(?:[a-z]{2}\\d{2}[ -]?)?",
        "    validator (financial-institution): luhn",
        "    mask (financial-institution): yes",
        "    context (financial-institution): in the same sentence or the one before, required: \"ssn\"",
        "    unless (financial-institution): within 4 words: \"beware\"",
        "    terms (financial-institution): \"guaranteed return\", ",
        "    terms added (team): \"hush-hush deal\"",
        "    allow added (team): \"team.example\"",
        "    suggest (team): hint: Wait for the press release.",
        "    suggest (financial-institution): hint: Write 'aims to'",
        "    trigger (financial-institution): \"outperformed the market\"",
        "        pattern \\breturned\\s+",
        "    require (financial-institution): \"past performance\"",
        "    deny (base): \"bit.ly\"",
        "    protect (base): \"paypal.com\"",
    ] {
        assert!(text.contains(want), "no {want:?} in:\n{text}");
    }

    let r = preclear(&["policy", "--format", "json", "--pack", &team], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let rule = |id: &str| {
        v["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    let part = |rule: &Value, name: &str| {
        rule["matches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["part"] == name)
            .unwrap_or_else(|| panic!("no {name} in {rule}"))
            .clone()
    };
    let card = rule("pii.payment-card");
    assert_eq!(card["masked"], true);
    assert_eq!(part(&card, "validator")["value"], "luhn");
    assert_eq!(part(&card, "pattern")["pack"], "financial-institution");
    let mnpi = rule("mnpi.announcement");
    assert_eq!(part(&mnpi, "terms added")["pack"], "team");
    assert_eq!(part(&mnpi, "terms added")["value"][0], "hush-hush deal");
    assert_eq!(part(&mnpi, "suggest")["pack"], "team");
    assert_eq!(mnpi["suggestion"]["set_by"], "team");
    assert_eq!(mnpi["suggestion"]["kind"], "hint");
    let ssn = rule("pii.us-ssn-unformatted");
    let context = part(&ssn, "context");
    assert_eq!(context["value"][0]["required"], true);
    assert_eq!(context["value"][0]["window"], "sentence-and-previous");
    assert_eq!(context["value"][1]["window"], 1);
    let guarantee = rule("promissory.guarantee");
    assert_eq!(part(&guarantee, "unless")["value"]["words"][0], "beware");
}

/// Suggestions reach the JSON line; the bundled packs give them for their
/// promissory, link and disclosure rules.
#[test]
fn suggestions_reach_the_json_line() {
    let r = preclear(
        &["check", "--pack", "financial-institution", "--format", "json"],
        "Guaranteed returns of 12%! Our fund returned 30% last year. bit.ly/x",
    );
    let v: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    let reasons = v["reasons"].as_array().unwrap();
    let by = |id: &str| reasons.iter().find(|r| r["rule"] == id).unwrap();
    let hint = &by("promissory.guarantee")["suggestion"];
    assert_eq!(hint["kind"], "hint");
    assert!(hint["text"].as_str().unwrap().contains("'aims to'"), "{hint}");
    assert!(by("disclosure.performance-risk")["suggestion"]["text"]
        .as_str()
        .unwrap()
        .contains("Past performance"));
    assert_eq!(by("link.shortener")["suggestion"]["kind"], "hint");

    let r = preclear(
        &["check", "--pack", "music-label", "--format", "json"],
        "Loving these headphones, use my code NOVA10 for 10% off",
    );
    let v: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(
        v["reasons"][0]["suggestion"]["text"],
        "Add #ad at the start of the post."
    );

    // A replacement, from the example organisation pack.
    let pack = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("rules/examples/acme-bank.toml");
    let r = preclear(
        &["check", "--format", "json", "--pack", &pack.display().to_string()],
        "Open a Gold Saver account today",
    );
    let v: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(v["reasons"][0]["rule"], "acme.retired-name");
    assert_eq!(
        v["reasons"][0]["suggestion"],
        serde_json::json!({"kind": "replace", "text": "Acme Saver account"})
    );
    // A rule without one adds no field: SPEC's line is unchanged.
    let r = preclear(
        &["check", "--pack", "financial-institution", "--format", "json"],
        "Please charge card 4111 1111 1111 1111 today",
    );
    let v: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert!(v["reasons"][0].get("suggestion").is_none(), "{v}");
}
