//! Links in the reader's view: every way of writing a host that a reader
//! still follows resolves to that host, bare domains count on every TLD of
//! the Public Suffix List, and file names or code identifiers that look
//! like `name.tld` do not. One test per trick class, named after it; each
//! asserts the rule, the host judged (through allow lists) and that the
//! span covers the bytes the author wrote.

use std::process::{Command, Stdio};

use preclear::{Decision, Policy, Screener};

/// A policy whose link rule allows `ok.example` only, and protects
/// `paypal.com`: what a hit says about the host it judged.
const PACK: &str = r#"
[pack]
name = "links-test"
version = "1.0.0"
level = "organization"

[[rules]]
id = "link.unapproved"
kind = "link"
allow = ["ok.com", "acme.bank"]
category = "link"
score = 30
action = "warn"
message = "Unapproved link."

[[rules]]
id = "link.short"
kind = "link"
deny = ["lnkd.in", "bit.ly"]
category = "shortener"
score = 30
action = "warn"
message = "Shortener."

[[rules]]
id = "link.lookalike"
kind = "link"
protect = ["paypal.com"]
category = "phishing"
score = 100
action = "block"
message = "Look-alike."
"#;

fn screener() -> Screener {
    let mut policy = Policy::new();
    policy.add_toml("links-test.toml", PACK).unwrap();
    Screener::new(&policy).unwrap()
}

fn bundled(name: &str) -> Screener {
    let mut policy = Policy::new();
    policy.add_bundled(name).unwrap();
    Screener::new(&policy).unwrap()
}

/// `(rule, the bytes its span covers)` for every reason of `post`.
fn hits<'p>(s: &Screener, post: &'p str) -> Vec<(String, &'p str)> {
    let v = s.screen(post).unwrap();
    v.reasons()
        .iter()
        .map(|r| (r.rule().to_string(), r.span().map_or("", |sp| &post[sp])))
        .collect()
}

/// Each post: `(post, the URL as written)`. Every URL's host is
/// `evil.com` in disguise: it must be unapproved, with the whole
/// disguised URL as its span; the same trick on `ok.example` is allowed
/// (so the host was read correctly, not just something link-like).
fn assert_resolves(cases: &[(&str, &str)]) {
    let s = screener();
    for (post, url) in cases {
        assert_eq!(
            hits(&s, post),
            [("link.unapproved".to_string(), *url)],
            "{post:?}"
        );
        let approved = [
            ("evil", "ok"),
            ("EVIL", "OK"),
            ("ｅｖｉｌ", "ｏｋ"),
            ("ＥＶＩＬ", "ＯＫ"),
        ]
        .iter()
        .fold(post.to_string(), |p, (a, b)| p.replace(a, b));
        if approved != *post {
            assert_eq!(hits(&s, &approved), [], "{approved:?}");
        }
    }
}

#[test]
fn ideographic_full_stop() {
    assert_resolves(&[
        ("visit evil\u{3002}com now", "evil\u{3002}com"),
        ("see https://evil\u{3002}com/x", "https://evil\u{3002}com/x"),
    ]);
}

#[test]
fn fullwidth_full_stop() {
    assert_resolves(&[("visit evil\u{FF0E}com now", "evil\u{FF0E}com")]);
}

#[test]
fn halfwidth_ideographic_full_stop() {
    assert_resolves(&[("visit evil\u{FF61}com now", "evil\u{FF61}com")]);
}

#[test]
fn percent_encoded_dot() {
    assert_resolves(&[
        ("visit evil%2Ecom now", "evil%2Ecom"),
        ("visit evil%2ecom/x now", "evil%2ecom/x"),
    ]);
}

#[test]
fn bracketed_dot() {
    assert_resolves(&[
        ("visit evil[.]com now", "evil[.]com"),
        ("visit evil [.] com now", "evil [.] com"),
        ("visit evil{.}com now", "evil{.}com"),
        ("visit evil<.>com now", "evil<.>com"),
    ]);
}

#[test]
fn parenthesised_dot() {
    assert_resolves(&[
        ("visit evil(.)com now", "evil(.)com"),
        ("visit evil (.) com/x now", "evil (.) com/x"),
    ]);
}

#[test]
fn spelled_out_dot() {
    assert_resolves(&[
        ("visit evil dot com now", "evil dot com"),
        ("visit evil DOT com now", "evil DOT com"),
    ]);
}

#[test]
fn bracketed_spelled_out_dot() {
    assert_resolves(&[
        ("visit evil[dot]com now", "evil[dot]com"),
        ("visit evil (dot) com now", "evil (dot) com"),
        ("visit evil{dot}com now", "evil{dot}com"),
    ]);
}

#[test]
fn zero_width_characters() {
    assert_resolves(&[
        ("visit ev\u{200B}il.com now", "ev\u{200B}il.com"),
        ("visit evil.\u{200D}com now", "evil.\u{200D}com"),
        ("visit e\u{2060}vil.c\u{FEFF}om now", "e\u{2060}vil.c\u{FEFF}om"),
        ("visit evil\u{00AD}.com now", "evil\u{00AD}.com"),
    ]);
}

#[test]
fn fullwidth_letters() {
    assert_resolves(&[
        ("visit ｅｖｉｌ.ｃｏｍ now", "ｅｖｉｌ.ｃｏｍ"),
        ("visit ＥＶＩＬ．ＣＯＭ now", "ＥＶＩＬ．ＣＯＭ"),
        ("visit ｈｔｔｐｓ://evil.com/x", "ｈｔｔｐｓ://evil.com/x"),
    ]);
}

#[test]
fn mixed_host_tricks() {
    assert_resolves(&[(
        "visit ｅv\u{200B}il [dot] exa\u{200C}mple\u{3002}ｃｏｍ now",
        "ｅv\u{200B}il [dot] exa\u{200C}mple\u{3002}ｃｏｍ",
    )]);
}

#[test]
fn defanged_scheme() {
    assert_resolves(&[
        ("see hxxps://evil.com/x", "hxxps://evil.com/x"),
        ("see hxxp://evil[.]com/x", "hxxp://evil[.]com/x"),
        ("see hxxps[://]evil.com/x", "hxxps[://]evil.com/x"),
        ("see https[://]evil[.]com/x", "https[://]evil[.]com/x"),
        ("see hxxps[:]//evil.com/x", "hxxps[:]//evil.com/x"),
    ]);
}

/// A dot set off by spaces counts before a path only: ` . ` also ends
/// sentences.
#[test]
fn spaced_dot() {
    assert_resolves(&[
        ("visit evil . com/x now", "evil . com/x"),
        ("visit www . evil . com/x now", "www . evil . com/x"),
        (
            "see ｈｘｘｐｓ［：／／］ｅｖｉｌ ． ｃｏｍ／ｘ",
            "ｈｘｘｐｓ［：／／］ｅｖｉｌ ． ｃｏｍ／ｘ",
        ),
    ]);
    let s = screener();
    for post in ["it is evil . com is a word", "done . Then we left"] {
        assert_eq!(hits(&s, post), [], "{post:?}");
    }
}

/// A URL stored backwards under a right-to-left override reads in
/// display order; the span covers the stored bytes.
#[test]
fn right_to_left_override() {
    assert_resolves(&[
        ("see \u{202E}x/moc.live//:sptth\u{202C} now", "x/moc.live//:sptth"),
        ("see \u{202E}moc.live\u{202C} now", "moc.live"),
    ]);
    let s = screener();
    let post = "see \u{2067}\u{202E}x/moc.ko//:sptth\u{202C}\u{2069} now";
    assert_eq!(hits(&s, post), [], "{post:?}");
}

#[test]
fn bare_domains_on_public_suffix_tlds() {
    let s = screener();
    for tld in ["world", "finance", "bank", "money", "xyz", "museum", "рф"] {
        let post = format!("visit acme-growth.{tld} today");
        let url = format!("acme-growth.{tld}");
        assert_eq!(
            hits(&s, &post),
            [("link.unapproved".to_string(), url.as_str())],
            "{post}"
        );
    }
    // A subdomain of an approved host on a new TLD is approved.
    assert_eq!(hits(&s, "visit www.acme.bank and news.acme.bank"), []);
    // Not on the list: not a domain.
    for post in ["visit acme-growth.notatld today", "see e.g. this, i.e. that"]
    {
        assert_eq!(hits(&s, post), [], "{post}");
    }
}

#[test]
fn file_names_are_not_links() {
    let s = screener();
    for post in [
        "edit debian/control.in and run.sh",
        "run setup.py, then check README.md and Makefile.am",
        "see configure.ac, lib.rs and the Perl module Foo.pm",
        "libfoo.so is built; install.sh and script.pl too",
        "Unpack archive.tar.gz, then read /usr/share/doc/x/changes.world",
        "read src/link.finance and docs\\notes.bank",
    ] {
        assert_eq!(hits(&s, post), [], "{post}");
    }
    // With a scheme, `www.` or a path the same names are links.
    for (post, url) in [
        ("see https://setup.py/docs", "https://setup.py/docs"),
        ("see www.control.in today", "www.control.in"),
        ("see run.sh/install today", "run.sh/install"),
    ] {
        assert_eq!(hits(&s, post), [("link.unapproved".to_string(), url)]);
    }
}

#[test]
fn listed_hosts_on_file_extension_tlds_stay_links() {
    let s = screener();
    assert_eq!(
        hits(&s, "my profile: lnkd.in"),
        [
            ("link.unapproved".to_string(), "lnkd.in"),
            ("link.short".to_string(), "lnkd.in"),
        ]
    );
    // The bundled shortener rule wants a short code: a shortener named
    // bare is talk about shorteners (an exception in base.toml).
    let base = bundled("base");
    assert_eq!(
        hits(&base, "my profile: lnkd.in/e4Xk2q"),
        [("link.shortener".to_string(), "lnkd.in/e4Xk2q")]
    );
    assert_eq!(hits(&base, "no lnkd.in or bit.ly links, please"), []);
}

#[test]
fn code_identifiers_are_not_links() {
    let s = screener();
    for post in [
        "call app.run() once, then my_obj.name and self.data_dir",
        "set $HOME.world or %foo.bank% or x.world=1",
    ] {
        assert_eq!(hits(&s, post), [], "{post}");
    }
}

#[test]
fn sentences_run_together_are_not_links() {
    let s = screener();
    for post in ["Great news.Then we left", "It was done.It worked", "fin.Now"]
    {
        assert_eq!(hits(&s, post), [], "{post}");
    }
}

#[test]
fn look_alike_hosts_are_still_caught() {
    let s = screener();
    for (post, url) in [
        ("login at paypa1.com now", "paypa1.com"),
        ("login at \u{0440}aypal.com now", "\u{0440}aypal.com"),
        ("login at xn--pypal-4ve.com now", "xn--pypal-4ve.com"),
        ("login at https://paypa1[.]com/x", "https://paypa1[.]com/x"),
        ("login at p\u{200B}aypa1.com", "p\u{200B}aypa1.com"),
    ] {
        let got = hits(&s, post);
        assert!(
            got.contains(&("link.lookalike".to_string(), url)),
            "{post:?}: {got:?}"
        );
        assert_eq!(s.screen(post).unwrap().decision(), Decision::Block);
    }
    // The real host, however written, is not a look-alike of itself.
    for post in ["pay at paypal.com", "pay at ｐａｙｐａｌ．ｃｏｍ"]
    {
        let got = hits(&s, post);
        assert!(!got.iter().any(|(r, _)| r == "link.lookalike"), "{post}");
    }
}

#[test]
fn bundled_packs_keep_their_link_rules() {
    let fin = bundled("financial-institution");
    for post in
        ["See sec.gov/edgar", "www.investor.gov", "https://www.finra.org/x"]
    {
        assert_eq!(hits(&fin, post), [], "{post}");
    }
    assert_eq!(
        hits(&fin, "See sec[.]gov and https://example.com/x"),
        [("link.unapproved".to_string(), "https://example.com/x")]
    );
    let music = bundled("music-label");
    assert_eq!(
        hits(&music, "leak on mega(.)nz/file/x"),
        [("piracy.host".to_string(), "mega(.)nz/file/x")]
    );
}

/// The issue's two commands, through the binary.
#[test]
fn cli_reads_links_as_a_reader_does() {
    let check = |post: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_preclear"))
            .args([
                "check",
                "--pack",
                "financial-institution",
                "--format",
                "json",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().unwrap().write_all(post.as_bytes())?;
                c.wait_with_output()
            })
            .unwrap();
        let json: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), json)
    };
    let (code, v) = check("visit acme-growth.finance today");
    assert_eq!(code, Some(1));
    assert_eq!(v["verdict"], "warn");
    assert_eq!(v["reasons"][0]["rule"], "link.unapproved");
    assert_eq!(
        (v["reasons"][0]["start"].as_u64(), v["reasons"][0]["end"].as_u64()),
        (Some(6), Some(25))
    );
    let (code, v) = check("edit debian/control.in and run.sh");
    assert_eq!(code, Some(0));
    assert_eq!(v["verdict"], "allow");
}

/// A look-alike named defanged inside a phishing warning is how a
/// security team warns safely: allowed. Named live in the same warning
/// it is still clickable: a warn. As an instruction it blocks, defanged
/// or not (see `look_alike_hosts_are_still_caught`).
#[test]
fn defanged_look_alike_in_a_warning() {
    let base = bundled("base");
    let cases = [
        ("Phishing wave: mails point to paypa1-login[.]com. Don't click, report it.", Decision::Allow),
        ("Phishing wave: mails point to paypa1-login.com. Don't click, report it.", Decision::Warn),
        ("Log in at https://paypa1-login[.]com/verify to keep your account", Decision::Block),
        // A warning a sentence away excuses a defanged host, and lowers a
        // live one to a warn, as in the same sentence: the hand-written
        // gold posts of this shape (batches 8, 9, 11) all expect a warn.
        // The price: a phishing post that also warns about scams gets a
        // warn, not a block — still flagged for a human.
        ("Fans are getting DMs from paypa1-login[.]com (a one, not an l). It's a scam.", Decision::Allow),
        ("Fans are getting DMs from paypa1-login.com (a one, not an l). It's a scam.", Decision::Warn),
        ("Beware of scams. Secure your account at paypa1-login.com today.", Decision::Warn),
        // An asked question is no warning about a live look-alike; a
        // defanged one in a question is a mention. Nor is a contrast
        // ("instead of") a warning.
        ("A client asked me: the refund form is at paypa1-login.com.", Decision::Block),
        ("A client asked me if paypa1-login[.]com is the refund form.", Decision::Allow),
        ("Statt 99 € nur 9 €! Jetzt bei amaz0n-deals.de bestellen.", Decision::Block),
        ("New checkout: paypa1-login[.]com. Works on every phone.", Decision::Block),
    ];
    for (post, want) in cases {
        assert_eq!(base.screen(post).unwrap().decision(), want, "{post}");
    }
    // A user name with an x in it is no defanged scheme: still live.
    let post = "Phishing alert: https://max@paypa1-login.com/x, report it.";
    assert_eq!(base.screen(post).unwrap().decision(), Decision::Warn);
    // Showing ignored hits changes the reasons listed, never the verdict.
    let mut policy = Policy::new();
    policy.add_bundled("base").unwrap();
    let shown = Screener::builder().show_ignored(true).build(&policy).unwrap();
    let post = cases[0].0;
    let v = shown.screen(post).unwrap();
    assert_eq!(v.decision(), Decision::Allow, "{post}");
    assert!(v.reasons().iter().any(|r| r.rule() == "link.lookalike"));
    // The bank's allow list reads defanged hosts too, except in a warning.
    let fin = bundled("financial-institution");
    assert_eq!(
        fin.screen(
            "Phishing alert: the mail links to evil-host[.]com. Report it."
        )
        .unwrap()
        .decision(),
        Decision::Allow
    );
    assert_eq!(
        fin.screen("Our new page: evil-host[.]com").unwrap().decision(),
        Decision::Warn
    );
}

/// A protected domain written whole as the first labels of another
/// domain is a classic phishing host, however short the brand.
#[test]
fn protected_domain_as_a_subdomain() {
    let base = bundled("base");
    for post in [
        "Reschedule: https://dhl.com.parcel-reschedule.info/track?id=8821",
        "Verify at paypal.com.account-check.io now",
    ] {
        assert_eq!(
            base.screen(post).unwrap().decision(),
            Decision::Block,
            "{post}"
        );
    }
    for post in [
        "Track it at https://www.dhl.com/track",
        "dhl.de and ups.com both deliver",
    ] {
        assert_eq!(
            base.screen(post).unwrap().decision(),
            Decision::Allow,
            "{post}"
        );
    }
}
