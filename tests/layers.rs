//! Policy layers: overrides, locks, explain; and the rule kinds that came
//! with them (`required`, `link`, dated rules). Pack files live in
//! `tests/data/layers/` and `rules/examples/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use preclear::{Date, Decision, Policy, Screener};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/layers").join(name)
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/examples").join(name)
}

fn screener(packs: &[&Path]) -> Screener {
    let mut policy = Policy::new();
    for p in packs {
        policy.add_file(p).unwrap();
    }
    Screener::new(&policy).unwrap()
}

fn fin() -> Screener {
    let mut policy = Policy::new();
    policy.add_bundled("financial-institution").unwrap();
    Screener::new(&policy).unwrap()
}

fn rules_fired(s: &Screener, post: &str) -> Vec<String> {
    s.screen(post)
        .unwrap()
        .reasons()
        .iter()
        .map(|r| r.rule().to_string())
        .collect()
}

// Each broken overlay, and the exact one-line error it must give.
const LOCK_ERRORS: &[(&str, &str)] = &[
    (
        "lower-card.toml",
        "lower-card.toml:7:1: individual pack 'dj-nova' cannot lower locked \
         rule 'pii.payment-card' (locked by organization pack \
         'financial-institution')",
    ),
    (
        "disable-card.toml",
        "disable-card.toml:7:1: team pack 'sloppy-team' cannot disable \
         locked rule 'pii.payment-card' (locked by organization pack \
         'financial-institution')",
    ),
    // A category's exception names the first enabled rule of the locked
    // category in policy order: base's national-ID rules (the bank locks
    // the `pii` category) come before the bank's own card rule; base's
    // card and SSN rules come earlier still, but the bank disables them.
    (
        "except-pii.toml",
        "except-pii.toml:7:1: team pack 'sloppy-team' cannot add an \
         exception to locked rule 'privacy.de-tax-id' (locked by \
         organization pack 'financial-institution')",
    ),
    (
        "raise-thresholds.toml",
        "raise-thresholds.toml:7:1: team pack 'lenient' cannot raise the \
         locked thresholds (warn 30 -> 50, block 100 -> 200; locked by \
         organization pack 'financial-institution')",
    ),
    (
        // The category lock of the organisation covers a rule a team added.
        "me-over-team-pii.toml",
        "me-over-team-pii.toml:8:1: individual pack 'alex' cannot disable \
         locked rule 'pii.ticket-email' (locked by organization pack \
         'financial-institution')",
    ),
    (
        "unknown-override.toml",
        "unknown-override.toml:7:1: no rule 'pii.paymentcard' to override \
         (did you mean `pii.payment-card`?)",
    ),
    (
        "misspelt-exception.toml",
        "misspelt-exception.toml:7:1: an exception names no rule \
         'promisory.guarantee' (did you mean `promissory.guarantee`?)",
    ),
];

// See: issue 3, "Done when": the unlocking overlay in rules/examples.
#[test]
fn the_unlocking_example_overlay_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_preclear"))
        .args(["check", "--pack", "financial-institution", "--pack"])
        .arg(example("unlock-cards.toml"))
        .arg(example("../../examples/post.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.trim_end().ends_with(
            "unlock-cards.toml:11:1: team pack 'growth-team' cannot unlock \
             locked rule 'pii.payment-card' (locked by organization pack \
             'financial-institution')"
        ),
        "{stderr}"
    );
}

#[test]
fn exceptions_below_a_lock_do_not_reach_it() {
    let mut policy = Policy::new();
    policy.add_file(data("exception-below.toml")).unwrap();
    policy.add_bundled("financial-institution").unwrap();
    let s = Screener::new(&policy).unwrap();
    // The lower pack's exception still works for its own, unlocked rule
    // (which fires where the exception does not reach)…
    assert!(rules_fired(&s, "some placeholder text").is_empty());
    assert_eq!(rules_fired(&s, "a placeholder"), ["sneaky.placeholder"]);
    // …but not for the organisation's locked card rule.
    assert_eq!(
        rules_fired(&s, "card 4111 1111 1111 1111"),
        ["pii.payment-card"]
    );
}

/// The policy lists what a lock cuts: the lower pack's exceptions that
/// name a locked rule, by rule and locking pack; an exception that
/// reaches all its rules, and disabled rules, are not listed.
#[test]
fn the_policy_lists_exceptions_a_lock_cuts() {
    let mut policy = Policy::new();
    policy.add_file(data("exception-below.toml")).unwrap();
    policy.add_bundled("financial-institution").unwrap();
    let e = policy.effective().unwrap();
    let cut: Vec<(&str, &str, &str)> = e
        .unreached()
        .into_iter()
        .map(|(i, rule, locker)| (e.exceptions[i].0.as_str(), rule, locker))
        .collect();
    assert!(
        cut.contains(&("sneaky", "pii.payment-card", "financial-institution")),
        "{cut:?}"
    );
    assert!(cut.iter().all(|&(pack, ..)| pack != "financial-institution"));
    for (_, rule, _) in &cut {
        let r = e.rules.iter().find(|r| r.rule.id == *rule).unwrap();
        assert!(r.enabled, "{rule} is disabled");
    }
    // base alone locks nothing.
    let mut base = Policy::new();
    base.add_bundled("base").unwrap();
    assert!(base.effective().unwrap().unreached().is_empty());
}

#[test]
fn weakening_a_lock_is_a_compile_error() {
    for (file, want) in LOCK_ERRORS {
        let mut policy = Policy::new();
        policy.add_file(data(file)).unwrap();
        let err = Screener::new(&policy).unwrap_err().to_string();
        assert!(err.ends_with(want), "{file}:\n got {err}\nwant …{want}");
    }
}

#[test]
fn lock_errors_exit_3_in_the_cli() {
    let out = Command::new(env!("CARGO_BIN_EXE_preclear"))
        .args(["check", "--pack"])
        .arg(data("lower-card.toml"))
        .arg(example("../../examples/post.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("cannot lower locked rule 'pii.payment-card'"));
}

#[test]
fn tightening_is_allowed_and_explained() {
    let s = screener(&[&data("tighten.toml")]);
    let v = s.screen("Please charge card 4111 1111 1111 1111 today").unwrap();
    let r = &v.reasons()[0];
    assert_eq!(r.rule(), "pii.payment-card");
    assert_eq!(r.score(), 150);
    assert_eq!(r.pack(), "financial-institution");
    assert_eq!(r.decided_by(), "strict-team");
    assert_eq!(r.message(), "Card numbers never go on social media.");
    let json: serde_json::Value =
        serde_json::from_str(&v.to_json("p")).unwrap();
    assert_eq!(json["reasons"][0]["decided_by"], "strict-team");
    assert_eq!(json["reasons"][0]["pack"], "financial-institution");
    // Added terms and allowed hosts work; lowered thresholds apply.
    assert_eq!(
        rules_fired(&s, "This fund is a sure win"),
        ["promissory.no-risk"]
    );
    assert!(rules_fired(&s, "see strictbank.com/rates").is_empty());
    assert_eq!(s.thresholds().warn, 20);

    let mut policy = Policy::new();
    policy.add_file(data("tighten.toml")).unwrap();
    let e = policy.effective().unwrap();
    let card = e.rules.iter().find(|r| r.rule.id == "pii.payment-card");
    let card = card.unwrap();
    assert_eq!(card.locked_by.as_deref(), Some("financial-institution"));
    let changes: Vec<(&str, &str)> = card
        .changes
        .iter()
        .map(|c| (c.pack.as_str(), c.what.as_str()))
        .collect();
    assert_eq!(
        changes,
        [("strict-team", "score 100 -> 150"), ("strict-team", "message")]
    );
    assert_eq!(e.thresholds_from.as_deref(), Some("strict-team"));
    assert_eq!(
        e.thresholds_locked_by.as_deref(),
        Some("financial-institution")
    );
}

#[test]
fn a_stack_of_flags_equals_an_extends_chain() {
    let chain = {
        let mut p = Policy::new();
        p.add_file(example("acme-marketing.toml")).unwrap();
        p
    };
    let flags = {
        let mut p = Policy::new();
        p.add("financial-institution").unwrap();
        p.add_file(example("acme-bank.toml")).unwrap();
        p.add_file(example("acme-marketing.toml")).unwrap();
        p
    };
    assert_eq!(chain.pack_labels(), flags.pack_labels());
    assert_eq!(chain.fingerprint(), flags.fingerprint());
    let post =
        "Merger talks are going well, big news before the announcement!";
    let (a, b) =
        (Screener::new(&chain).unwrap(), Screener::new(&flags).unwrap());
    assert_eq!(
        a.screen(post).unwrap().to_json("x"),
        b.screen(post).unwrap().to_json("x")
    );
    assert_eq!(a.screen(post).unwrap().decision(), Decision::Block);
}

#[test]
fn team_exceptions_and_category_overrides() {
    let s = screener(&[&example("acme-marketing.toml")]);
    // The approved campaign name is excepted from the promissory rules…
    assert!(rules_fired(&s, "Our risk-free trial ends soon!").is_empty());
    // …which still catch the real thing.
    assert_eq!(
        rules_fired(&s, "A risk-free investment for you"),
        ["promissory.no-risk"]
    );
    // A category override reaches every rule of the category.
    let v = s.screen("Heard about merger talks at the bank").unwrap();
    assert_eq!(v.decision(), Decision::Block);
    assert_eq!(v.reasons()[0].decided_by(), "acme-marketing");
}

// (post, fires): the financial pack's performance-claim rule.
const PERFORMANCE: &[(&str, bool)] = &[
    ("Our Growth Fund returned 12% last year!", true),
    ("The portfolio gained 8.5% in Q3.", true),
    ("We outperformed the S&P 500 again.", true),
    (
        "Our fund returned 12% last year. Past performance is not \
         indicative of future results.",
        false,
    ),
    ("Savings rates are up 0.25% this month.", false),
    ("We returned 12 lost wallets to their owners.", false),
];

#[test]
fn required_rules_fire_as_whole_post_reasons() {
    let s = fin();
    let mut wrong = Vec::new();
    for (post, fires) in PERFORMANCE {
        let got = rules_fired(&s, post)
            .contains(&"disclosure.performance-risk".to_string());
        if got != *fires {
            wrong.push(*post);
        }
    }
    assert!(wrong.is_empty(), "wrong on: {wrong:#?}");

    let v =
        s.screen("Big year!\nOur Growth Fund returned 12% in 2025.").unwrap();
    let r = &v.reasons()[0];
    assert_eq!(r.rule(), "disclosure.performance-risk");
    assert_eq!(r.span(), None);
    assert_eq!((r.line(), r.column(), r.excerpt()), (None, None, None));
    assert!(
        r.message().ends_with(
            "(triggered by \u{201c}Fund returned 12%\u{201d} at line 2, \
             column 12)"
        ),
        "{}",
        r.message()
    );
    let json: serde_json::Value =
        serde_json::from_str(&v.to_json("p")).unwrap();
    let reason = &json["reasons"][0];
    assert!(reason["start"].is_null() && reason["end"].is_null());
    assert!(reason["line"].is_null() && reason["excerpt"].is_null());
}

fn music() -> Screener {
    let mut policy = Policy::new();
    policy.add_bundled("music-label").unwrap();
    Screener::new(&policy).unwrap()
}

#[test]
fn disclosure_must_come_before_the_cut() {
    let s = music();
    let fired = |post: &str| {
        rules_fired(&s, post).contains(&"disclosure.sponsored".to_string())
    };
    assert!(fired("Gifted by SoundCo, love them"));
    assert!(!fired("#ad Gifted by SoundCo, love them"));
    assert!(!fired("Gifted by SoundCo, love them #ad"));
    assert!(!fired("My grandma gifted me her old piano"));
    let late = format!("Gifted by SoundCo. {} #ad", "la ".repeat(40));
    assert!(late.len() > 120);
    assert!(fired(&late), "#ad after the first 100 characters is too late");
    // One reason however many triggers.
    let v = s.screen("Gifted by SoundCo, use my code NOVA10").unwrap();
    assert_eq!(v.reasons().len(), 1);
}

// (post, rule expected or "" for none, the span's text)
const LINKS: &[(&str, &str, &str)] = &[
    ("Pre-save: bit.ly/abc!", "link.shortener", "bit.ly/abc"),
    (
        "(see https://go.bit.ly/x?a=b).",
        "link.shortener",
        "https://go.bit.ly/x?a=b",
    ),
    ("Visit rabbit.ly today", "", ""),
    (
        "Login at https://paypa1.com/login",
        "link.lookalike",
        "https://paypa1.com/login",
    ),
    ("Login at xn--pple-43d.com", "link.lookalike", "xn--pple-43d.com"),
    ("Shop at аpple.com/store", "link.lookalike", "аpple.com/store"),
    ("Shop at apple.com/store", "", ""),
    ("mail me at bob@paypa1.com", "", ""),
];

#[test]
fn links_are_found_and_judged() {
    let mut policy = Policy::new();
    policy.add_bundled("base").unwrap();
    let s = Screener::new(&policy).unwrap();
    for (post, rule, span) in LINKS {
        let v = s.screen(post).unwrap();
        let got: Vec<(&str, &str)> = v
            .reasons()
            .iter()
            .map(|r| (r.rule(), &post[r.span().unwrap()]))
            .collect();
        let want: Vec<(&str, &str)> =
            if rule.is_empty() { vec![] } else { vec![(*rule, *span)] };
        assert_eq!(got, want, "{post:?}");
    }
    let v = s.screen("Login at https://paypa1.com/login").unwrap();
    assert!(v.reasons()[0].message().contains("imitates 'paypal.com'"));
}

#[test]
fn link_allow_lists_match_subdomains() {
    let s = screener(&[&example("acme-bank.toml")]);
    assert!(rules_fired(&s, "https://www.acmebank.com/open").is_empty());
    assert!(rules_fired(&s, "https://login.acmebank.co.uk/").is_empty());
    assert_eq!(
        rules_fired(&s, "https://acmebank.com.evil.io/"),
        ["link.unapproved"]
    );
    // The piracy deny list of the music pack, with and without a scheme.
    let m = music();
    for post in ["get it on mega.nz/file/abc", "https://www.mediafire.com/x"] {
        assert_eq!(rules_fired(&m, post), ["piracy.host"], "{post}");
    }
}

#[test]
fn embargoed_rules_lift_on_release_day() {
    let mut policy = Policy::new();
    policy.add_file(example("dj-nova.toml")).unwrap();
    let post = "New single Midnight Static drops Friday!";
    let before = Screener::builder()
        .now("2026-12-03".parse().unwrap())
        .build(&policy)
        .unwrap();
    let after = Screener::builder()
        .now("2026-12-04".parse().unwrap())
        .build(&policy)
        .unwrap();
    assert_eq!(before.screen(post).unwrap().decision(), Decision::Block);
    assert_eq!(after.screen(post).unwrap().decision(), Decision::Allow);
    let on: Date = "2026-12-01".parse().unwrap();
    assert_eq!(after.screen_at(post, on).unwrap().decision(), Decision::Block);

    for (now, code) in [("2026-12-03", 2), ("2026-12-04", 0)] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_preclear"));
        cmd.args(["check", "--now", now, "--pack"])
            .arg(example("dj-nova.toml"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null());
        let mut child = cmd.spawn().unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(post.as_bytes()).unwrap();
        assert_eq!(child.wait().unwrap().code(), Some(code), "--now {now}");
    }
}

#[test]
fn policy_command_explains_the_stack() {
    let out = Command::new(env!("CARGO_BIN_EXE_preclear"))
        .args(["policy", "--format", "json", "--pack"])
        .arg(example("acme-marketing.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["packs"],
        serde_json::json!([
            "base@1.0.0",
            "financial-institution@1.0.0",
            "acme-bank@1.2.0",
            "acme-marketing@0.3.0"
        ])
    );
    assert_eq!(v["thresholds"]["warn"], 25);
    assert_eq!(v["thresholds"]["set_by"], "acme-bank");
    assert_eq!(v["thresholds"]["locked_by"], "financial-institution");
    let rules = v["rules"].as_array().unwrap();
    let rule = |id: &str| rules.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(rule("pii.payment-card")["locked_by"], "financial-institution");
    assert_eq!(rule("mnpi.announcement")["decided_by"], "acme-marketing");
    assert_eq!(
        rule("mnpi.announcement")["changes"][0]["change"],
        "action warn -> block"
    );
    assert_eq!(rule("acme.project-falcon")["pack"], "acme-bank");
    let exceptions = v["exceptions"].as_array().unwrap();
    assert!(exceptions.iter().any(|e| e["pack"] == "acme-marketing"));

    let out = Command::new(env!("CARGO_BIN_EXE_preclear"))
        .args(["policy", "--pack"])
        .arg(example("acme-marketing.toml"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("acme-marketing: action warn -> block"), "{text}");
    assert!(text.contains("locked by financial-institution"), "{text}");
}
