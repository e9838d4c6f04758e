//! Concepts, built-in entities, proximity (`near`) rules and inflection,
//! through the public API and the binary: what fires, what the reasons
//! say, how packs layer concepts, and where pack mistakes are reported.

use std::process::Command;

use preclear::{Decision, Policy, Screener};

/// A pack with the given concepts and rules, after a `[pack]` header.
fn pack(name: &str, body: &str) -> String {
    format!("[pack]\nname = \"{name}\"\nversion = \"1\"\n{body}")
}

const PROMISE: &str = r#"
[concepts.certainty]
terms = ["guarantee", "locks in", "garantizado", "garantiert"]
inflect = "en"
[concepts.return]
terms = ["return", "yield"]
entities = ["percent"]
[[rules]]
id = "promise"
kind = "near"
near = ["certainty", "return"]
within = 4
category = "promissory"
score = 100
action = "block"
message = "No promised returns."
"#;

fn screener(sources: &[&str]) -> Result<Screener, preclear::Error> {
    let mut policy = Policy::new();
    for (i, s) in sources.iter().enumerate() {
        policy.add_toml(&format!("p{i}.toml"), s)?;
    }
    Screener::new(&policy)
}

fn fired(s: &Screener, post: &str) -> Vec<String> {
    s.screen(post)
        .unwrap()
        .reasons()
        .iter()
        .map(|r| r.rule().to_string())
        .collect()
}

#[test]
fn near_rules_fire_on_concepts_close_together_in_one_sentence() {
    let s = screener(&[&pack("p", PROMISE)]).unwrap();
    let cases: &[(&str, &str, bool)] = &[
        ("inflected_term_and_entity", "With us you are guaranteed 6% a year.", true),
        ("either_order", "A 6% yield, guaranteed.", true),
        ("phrase_term", "This note locks in 8% for you", true),
        ("spanish", "Rentabilidad garantizada del 6%", false),
        ("german", "bringt Ihnen garantiert 9 % im Jahr", true),
        ("too_many_words_between", "We guarantee that our friendly staff will always answer with a 6% smile", false),
        ("other_sentence", "We guarantee service. Savings pay 2%.", false),
        ("one_concept_only", "Savings pay 2% this year", false),
        ("look_alike_percent_word", "guaranteed 6 pcs a year", false),
    ];
    for (name, post, want) in cases {
        assert_eq!(
            fired(&s, post).contains(&"promise".to_string()),
            *want,
            "{name}: {post}"
        );
    }
}

#[test]
fn reasons_name_the_concepts_and_where_they_are() {
    let s = screener(&[&pack("p", PROMISE)]).unwrap();
    let post = "With us you are guaranteed 6% a year.";
    let v = s.screen(post).unwrap();
    assert_eq!(v.decision(), Decision::Block);
    let r = &v.reasons()[0];
    let found: Vec<(&str, &str)> =
        r.concepts().iter().map(|c| (c.concept(), &post[c.span()])).collect();
    assert_eq!(found, [("certainty", "guaranteed"), ("return", "6%")]);
    // The hit covers both occurrences.
    assert_eq!(r.span().map(|s| &post[s]), Some("guaranteed 6%"));
    assert!(
        r.message().contains("certainty \u{201c}guaranteed\u{201d} near return \u{201c}6%\u{201d}"),
        "{}",
        r.message()
    );
    let json: serde_json::Value =
        serde_json::from_str(&v.to_json("x")).unwrap();
    let concepts = &json["reasons"][0]["concepts"];
    assert_eq!(concepts[0]["concept"], "certainty");
    assert_eq!(concepts[1]["concept"], "return");
    assert_eq!(concepts[1]["start"], post.find("6%").unwrap());
}

#[test]
fn other_rules_json_lines_have_no_concepts_field() {
    let body = r#"
[[rules]]
id = "word"
kind = "terms"
terms = ["moonshot"]
action = "warn"
"#;
    let s = screener(&[&pack("p", body)]).unwrap();
    let v = s.screen("a moonshot").unwrap();
    assert!(v.reasons()[0].concepts().is_empty());
    assert!(!v.to_json("x").contains("concepts"));
}

#[test]
fn masked_near_rules_show_no_matched_text() {
    let body = r#"
[concepts.cue]
terms = ["password"]
[concepts.token]
patterns = ['[a-z]*[0-9][a-z0-9]*']
[[rules]]
id = "secret"
kind = "near"
near = ["cue", "token"]
within = 3
ordered = true
mask = true
action = "block"
"#;
    let s = screener(&[&pack("p", body)]).unwrap();
    let post = "the password is lakeside2025 ok";
    let v = s.screen(post).unwrap();
    assert_eq!(v.decision(), Decision::Block);
    let r = &v.reasons()[0];
    assert!(!r.message().contains("lakeside"), "{}", r.message());
    assert!(r.message().contains("cue near token"), "{}", r.message());
    assert!(!r.excerpt().unwrap_or("").contains("lakeside"));
    assert!(!v.to_json("x").contains("lakeside"));
    // Ordered: the token before the cue does not count.
    assert!(fired(&s, "lakeside2025 is the password").is_empty());
}

#[test]
fn chains_of_three_concepts_need_each_link() {
    let body = r#"
[concepts.who]
terms = ["clients", "fund"]
[concepts.gain]
terms = ["made", "returned"]
[concepts.figure]
entities = ["percent", "money"]
[[rules]]
id = "performance"
kind = "near"
near = ["who", "gain", "figure"]
within = 3
action = "warn"
"#;
    let s = screener(&[&pack("p", body)]).unwrap();
    let cases: &[(&str, bool)] = &[
        ("Our clients made 14% last year", true),
        ("The fund returned €5,000 for each saver", true),
        ("Our clients are happy. It made 14% of them smile", false),
        ("The index made 14% last year", false),
        ("Our clients made friends", false),
    ];
    for (post, want) in cases {
        assert_eq!(!fired(&s, post).is_empty(), *want, "{post}");
    }
}

/// Entities and patterns are looked for lazily, once a post, cheapest
/// first, and shared by the concepts that include them: a rule of
/// entity concepts alone must still find its chains, two concepts of one
/// entity must see the same occurrences, and a rule that a missing
/// concept rules out must not hide another rule's hit.
#[test]
fn concepts_of_entities_and_patterns_alone_share_what_is_found() {
    let body = r#"
[concepts.amount]
entities = ["money"]
[concepts.later-amount]
entities = ["money"]
[concepts.when]
entities = ["date"]
[concepts.tag]
patterns = ['#[a-z]+']
[concepts.word]
terms = ["invested"]
[concepts.sure]
terms = ["guaranteed"]
[concepts.ret]
terms = ["yield"]
entities = ["percent"]
[[rules]]
id = "certain"
kind = "near"
near = ["sure", "ret"]
within = 2
category = "promissory"
action = "block"
[[rules]]
id = "story"
kind = "near"
near = ["amount", "when", "later-amount"]
ordered = true
scope = "post"
category = "performance"
action = "warn"
[[rules]]
id = "tagged"
kind = "near"
near = ["word", "tag", "amount"]
scope = "sentence"
category = "sponsorship"
action = "warn"
"#;
    let s = screener(&[&pack("p", body)]).unwrap();
    let cases: &[(&str, &[&str])] = &[
        ("Put in $1,000 in March. Next week it was $1,800.", &["story"]),
        ("Put in $1,000 and $1,800 but never said when.", &[]),
        ("next week, $1,000", &[]),
        ("I invested $500 #winning", &["tagged"]),
        (
            "I invested $500 and next week it was $900 #winning",
            &["story", "tagged"],
        ),
        ("I invested #winning", &[]),
        ("Nothing to see here #winning", &[]),
        // A concept of terms and entities, its term marked far away: its
        // entities are still looked for.
        ("The yield talk ran long, but guaranteed 6% for you", &["certain"]),
        ("The yield talk ran long, but guaranteed for you", &[]),
    ];
    for (post, want) in cases {
        let mut got = fired(&s, post);
        got.sort();
        got.dedup();
        assert_eq!(got, *want, "{post}");
    }
}

#[test]
fn the_person_entity_reads_capitals_as_written() {
    let body = r#"
[concepts.who]
entities = ["person"]
[concepts.ill]
terms = ["chemo"]
[[rules]]
id = "named-health"
kind = "near"
near = ["who", "ill"]
within = 12
category = "privacy"
action = "warn"
"#;
    let s = screener(&[&pack("p", body)]).unwrap();
    let cases: &[(&str, &str, bool)] = &[
        ("given_and_surname", "Greta Lindqvist starts chemo today", true),
        ("accents_and_shouting", "LUCÍA FERRER empieza la chemo", true),
        ("particle", "Ludwig van Beethoven had chemo? no", true),
        // Full-width letters are capitals too once normalised.
        ("full_width", "Ｇreta Ｌindqvist starts chemo", true),
        ("lower_case_is_no_name", "greta lindqvist starts chemo", false),
        ("everyday_word_as_given_name", "Will Power starts chemo", false),
        ("given_name_alone", "Greta starts chemo", false),
        ("line_break_between", "Greta\nLindqvist starts chemo", false),
        ("institution", "Victoria Hospital offers chemo", false),
    ];
    for (name, post, want) in cases {
        assert_eq!(!fired(&s, post).is_empty(), *want, "{name}: {post}");
    }
}

#[test]
fn scope_post_reaches_across_sentences_and_clause_does_not_cross_commas() {
    let rule = |scope: &str| {
        pack(
            "p",
            &format!(
                r#"
[concepts.secret]
terms = ["can't say who"]
[concepts.event]
terms = ["acquisition"]
[[rules]]
id = "hint"
kind = "near"
near = ["secret", "event"]
scope = "{scope}"
action = "warn"
"#
            ),
        )
    };
    let post = "The acquisition closes soon. Can't say who.";
    let comma = "Can't say who, the acquisition closes soon";
    let cases: &[(&str, &str, bool)] = &[
        ("post", post, true),
        ("sentence", post, false),
        ("sentence", comma, true),
        ("clause", comma, false),
    ];
    for (scope, text, want) in cases {
        let s = screener(&[&rule(scope)]).unwrap();
        assert_eq!(!fired(&s, text).is_empty(), *want, "{scope}: {text}");
    }
}

#[test]
fn near_rules_take_unless_context_and_exceptions() {
    let body = format!(
        "{PROMISE}unless = {{ words = [\"nobody\"], window = 3 }}\n\
         [[exceptions]]\nrules = [\"promise\"]\nterms = [\"guaranteed 4% apy\"]\n"
    );
    let s = screener(&[&pack("p", &body)]).unwrap();
    assert_eq!(fired(&s, "we guarantee 6% a year"), ["promise"]);
    assert!(fired(&s, "nobody can guarantee 6% a year").is_empty());
    assert!(fired(&s, "a guaranteed 4% APY").is_empty());
}

#[test]
fn later_packs_add_terms_to_a_concept() {
    let team =
        pack("team", "[concepts.certainty]\nadd_terms = [\"sure thing\"]\n");
    let s = screener(&[&pack("p", PROMISE), &team]).unwrap();
    assert_eq!(fired(&s, "a sure thing: 7% yield"), ["promise"]);
    let alone = screener(&[&pack("p", PROMISE)]).unwrap();
    assert!(fired(&alone, "a sure thing: 7% yield").is_empty());
}

#[test]
fn inflect_expands_a_terms_rules_terms() {
    let body = r#"
[[rules]]
id = "promise"
kind = "terms"
terms = ["promise"]
inflect = "en"
action = "warn"
"#;
    let s = screener(&[&pack("p", body)]).unwrap();
    for post in ["we promise", "she promised", "he promises", "promising you"]
    {
        assert_eq!(fired(&s, post), ["promise"], "{post}");
    }
    assert!(fired(&s, "promisee").is_empty());
}

/// A concept that holds the three languages' terms inflects in all of
/// them: Spanish and German verbs conjugate from their infinitives.
#[test]
fn inflect_in_several_languages_conjugates_verbs() {
    let body = r#"
[concepts.multiply]
terms = ["double", "duplicar", "verdoppeln"]
inflect = ["en", "es", "de"]

[concepts.money]
terms = ["your money", "tu dinero", "ihr geld"]

[[rules]]
id = "multiply"
kind = "near"
near = ["multiply", "money"]
within = 4
action = "block"
"#;
    let s = screener(&[&pack("p", body)]).unwrap();
    for post in [
        "we doubled your money",
        "Garantizamos que duplicarás tu dinero.",
        "en dos años duplicamos tu dinero",
        "Wir verdoppeln Ihr Geld",
        "Ihr Geld verdoppelt sich",
    ] {
        assert_eq!(fired(&s, post), ["multiply"], "{post}");
    }
    assert!(fired(&s, "tu dinero, duplicado en el extracto").len() == 1);
    assert!(fired(&s, "Ihr Geld liegt sicher").is_empty());
}

/// Pack mistakes name the file, line, column and (for rules) the rule.
#[test]
fn pack_errors_are_located() {
    let cases: &[(&str, &[&str], &str, Option<usize>)] = &[
        (
            "unknown_concept_with_hint",
            &["[concepts.certainty]\nterms = [\"x\"]\n[[rules]]\nid = \"r\"\nkind = \"near\"\nnear = [\"certanty\"]\naction = \"warn\"\n"],
            "unknown concept `certanty` (did you mean `certainty`?)",
            Some(7),
        ),
        (
            "unknown_entity",
            &["[concepts.c]\nentities = [\"percentage\"]\n"],
            "unknown entity 'percentage' (did you mean `percent`?)",
            Some(5),
        ),
        (
            "unknown_inflection",
            &["[concepts.c]\nterms = [\"x\"]\ninflect = \"fr\"\n"],
            "unknown language 'fr'",
            Some(6),
        ),
        (
            "unknown_inflection_in_a_list",
            &["[concepts.c]\nterms = [\"x\"]\ninflect = [\"en\", \"fr\"]\n"],
            "unknown language 'fr'",
            Some(6),
        ),
        (
            "empty_concept",
            &["[concepts.c]\ninflect = \"en\"\n"],
            "concept `c` needs `terms`, `entities` or `patterns`",
            Some(4),
        ),
        (
            "add_and_define",
            &["[concepts.c]\nterms = [\"x\"]\nadd_terms = [\"y\"]\n"],
            "takes no `terms`",
            Some(4),
        ),
        (
            "near_without_concepts",
            &["[[rules]]\nid = \"r\"\nkind = \"near\"\nwithin = 3\naction = \"warn\"\n"],
            "a near rule needs `near`",
            Some(6),
        ),
        (
            "bad_scope",
            &["[[rules]]\nid = \"r\"\nkind = \"near\"\nnear = [\"a\"]\nscope = \"paragraph\"\naction = \"warn\"\n"],
            "unknown scope 'paragraph'",
            Some(8),
        ),
        (
            "window_scope_on_a_near_rule",
            &["[[rules]]\nid = \"r\"\nkind = \"near\"\nnear = [\"a\"]\nscope = \"sentence-and-previous\"\naction = \"warn\"\n"],
            "a near rule's scope is clause, sentence or post",
            Some(8),
        ),
        (
            "near_keys_on_a_terms_rule",
            &["[[rules]]\nid = \"r\"\nkind = \"terms\"\nterms = [\"a\"]\nwithin = 3\naction = \"warn\"\n"],
            "a terms rule does not take `within`",
            Some(6),
        ),
        (
            "duplicate_across_packs",
            &["[concepts.c]\nterms = [\"x\"]\n", "[concepts.c]\nterms = [\"y\"]\n"],
            "concept `c` is already defined by pack 'p0'",
            Some(4),
        ),
        (
            "exception_names_an_unknown_concept",
            &["[concepts.test-value]\npatterns = ['4111']\n[[rules]]\nid = \"r\"\nkind = \"terms\"\nterms = [\"card\"]\naction = \"warn\"\n[[exceptions]]\nconcepts = [\"test-valu\"]\n"],
            "an exception names no concept `test-valu` (did you mean `test-value`?)",
            Some(11),
        ),
        (
            "exception_borrows_a_concept_of_entities",
            &["[concepts.rate]\nentities = [\"percent\"]\n[[rules]]\nid = \"r\"\nkind = \"terms\"\nterms = [\"card\"]\naction = \"warn\"\n[[exceptions]]\nconcepts = [\"rate\"]\n"],
            "concept `rate` has entities",
            Some(11),
        ),
        (
            "unless_names_an_unknown_concept",
            &["[concepts.deposit]\nterms = [\"fixed saver\"]\n[[rules]]\nid = \"r\"\nkind = \"terms\"\nterms = [\"guaranteed\"]\naction = \"warn\"\nunless = { concepts = [\"deposits\"] }\n"],
            "an unless names no concept `deposits` (did you mean `deposit`?)",
            Some(7),
        ),
        (
            "unless_borrows_a_concept_without_terms",
            &["[concepts.rate]\nentities = [\"percent\"]\n[[rules]]\nid = \"r\"\nkind = \"terms\"\nterms = [\"guaranteed\"]\naction = \"warn\"\nunless = { concepts = [\"rate\"] }\n"],
            "concept `rate` has no terms to use as unless words",
            Some(7),
        ),
        (
            // Its terms would be read and its patterns skipped without a
            // word: a shape added to it would do nothing.
            "unless_borrows_a_concept_with_patterns",
            &["[concepts.deposit]\nterms = [\"fixed saver\"]\npatterns = ['save \\d+%']\n[[rules]]\nid = \"r\"\nkind = \"terms\"\nterms = [\"guaranteed\"]\naction = \"warn\"\nunless = { concepts = [\"deposit\"] }\n"],
            "concept `deposit` has patterns or entities, which an unless does not read",
            Some(8),
        ),
        (
            "unless_with_nothing",
            &["[[rules]]\nid = \"r\"\nkind = \"terms\"\nterms = [\"guaranteed\"]\naction = \"warn\"\nunless = { window = 3 }\n"],
            "unless needs non-empty words or concepts",
            Some(4),
        ),
        (
            "unless_names_a_concept_twice",
            &["[concepts.deposit]\nterms = [\"fixed saver\"]\n[[rules]]\nid = \"r\"\nkind = \"terms\"\nterms = [\"guaranteed\"]\naction = \"warn\"\nunless = { concepts = [\"deposit\", \"deposit\"] }\n"],
            "unless names concept `deposit` twice",
            Some(6),
        ),
        (
            // An override's unless replaces the rule's: an empty one would
            // quietly drop it.
            "override_with_an_empty_unless",
            &[
                "[[rules]]\nid = \"r\"\nkind = \"terms\"\nterms = [\"guaranteed\"]\naction = \"warn\"\nunless = { words = [\"scam\"] }\n",
                "[[overrides]]\nrule = \"r\"\nunless = {}\n",
            ],
            "unless needs non-empty words or concepts",
            Some(4),
        ),
        (
            "add_to_unknown",
            &["[concepts.c]\nterms = [\"x\"]\n", "[concepts.d]\nadd_terms = [\"y\"]\n"],
            "`add_terms` to concept `d`, which no earlier pack defines",
            Some(4),
        ),
    ];
    for (name, bodies, want, line) in cases {
        let sources: Vec<String> = bodies
            .iter()
            .enumerate()
            .map(|(i, b)| pack(&format!("p{i}"), b))
            .collect();
        let refs: Vec<&str> = sources.iter().map(String::as_str).collect();
        let Err(e) = screener(&refs) else { panic!("{name}: no error") };
        let text = e.to_string();
        assert!(text.contains(want), "{name}: {text}");
        assert_eq!(e.line(), *line, "{name}: {text}");
        assert!(
            e.pack().is_some_and(|p| p.starts_with('p')),
            "{name}: {text}"
        );
    }
}

/// An unless may borrow a concept's terms (with their forms), from its
/// own pack or an earlier one, beside its own words and in its window.
#[test]
fn unless_borrows_a_concepts_terms() {
    let base = pack(
        "base",
        r#"
[concepts.deposit]
inflect = "en"
terms = ["fixed saver", "deposit"]
"#,
    );
    let bank = pack(
        "bank",
        r#"
[[rules]]
id = "rate"
kind = "terms"
terms = ["guaranteed"]
category = "promissory"
action = "block"
score = 100
unless = { words = ["refund"], concepts = ["deposit"], window = 3 }
"#,
    );
    let s = screener(&[&base, &bank]).unwrap();
    let cases: &[(&str, &[&str])] = &[
        ("guaranteed returns on this fund", &["rate"]),
        ("our fixed saver rate is guaranteed", &[]),
        ("guaranteed on all deposits", &[]),
        ("guaranteed refund", &[]),
        ("a deposit, then many words later it is guaranteed", &["rate"]),
    ];
    for (post, want) in cases {
        assert_eq!(fired(&s, post), *want, "{post}");
    }
}

/// Every borrowing adds the concept's forms to the automaton again, so a
/// policy's borrowings together are capped: one large concept named in
/// many rules must not grow the screener without bound.
#[test]
fn borrowed_unless_forms_are_capped_per_policy() {
    let terms: Vec<String> =
        (0..40_000).map(|i| format!("\"w{i}x\"")).collect();
    let mut body = format!("[concepts.big]\nterms = [{}]\n", terms.join(", "));
    for r in 0..3 {
        body += &format!(
            "[[rules]]\nid = \"r{r}\"\nkind = \"terms\"\nterms = [\"bot\"]\naction = \"warn\"\nunless = {{ concepts = [\"big\"] }}\n"
        );
    }
    let Err(e) = screener(&[&pack("big", &body)]) else { panic!("accepted") };
    let text = e.to_string();
    assert!(text.contains("borrow more than 100000 concept forms"), "{text}");
    assert!(text.contains("rule 'r2'"), "{text}");
}

/// A concept an override's unless names wrongly is reported in the
/// overlay's file, not in the pack that defined the rule.
#[test]
fn an_overrides_unknown_unless_concept_names_the_overlay() {
    let base = pack(
        "base",
        "[concepts.warned]\nterms = [\"scam\"]\n[[rules]]\nid = \"r\"\nkind = \"terms\"\nterms = [\"bot\"]\naction = \"warn\"\n",
    );
    let overlay = pack(
        "overlay",
        "[[overrides]]\nrule = \"r\"\nunless = { concepts = [\"warnd\"] }\n",
    );
    let Err(e) = screener(&[&base, &overlay]) else { panic!("accepted") };
    let text = e.to_string();
    assert!(text.starts_with("p1.toml"), "{text}");
    assert!(
        text.contains("no concept `warnd` (did you mean `warned`?)"),
        "{text}"
    );
    // Borrowed through the override, the concept suppresses as words do.
    let fixed = overlay.replace("warnd", "warned");
    let s = screener(&[&base, &fixed]).unwrap();
    assert_eq!(fired(&s, "a bot"), ["r"]);
    assert!(fired(&s, "a scam bot").is_empty());
}

/// An exception may borrow a concept's terms and patterns, from its own
/// pack or an earlier one: a list written once serves every pack's
/// exceptions, and each exception keeps its own window.
#[test]
fn exceptions_borrow_a_concepts_terms_and_patterns() {
    let base = pack(
        "base",
        r#"
[concepts.test-value]
terms = ["sandbox card"]
patterns = ['\btest card 4111\b']
"#,
    );
    let bank = pack(
        "bank",
        r#"
[[rules]]
id = "card"
kind = "pattern"
pattern = '\b4111\b'
action = "block"
locked = true
[[exceptions]]
rules = ["card"]
concepts = ["test-value"]
"#,
    );
    let windowed = bank.replace(
        "concepts = [\"test-value\"]",
        "concepts = [\"test-value\"]\nwindow = \"sentence\"",
    );
    let cases: &[(&str, &str, bool, bool)] = &[
        (
            "pattern_overlaps_the_hit",
            "use the test card 4111 today",
            false,
            false,
        ),
        ("no_test_word", "my card 4111 today", true, true),
        (
            "term_elsewhere_in_the_sentence",
            "a sandbox card, or 4111",
            true,
            false,
        ),
        ("term_in_another_sentence", "a sandbox card. Mine: 4111", true, true),
    ];
    let plain = screener(&[&base, &bank]).unwrap();
    let wide = screener(&[&base, &windowed]).unwrap();
    for (name, post, overlap, window) in cases {
        assert_eq!(!fired(&plain, post).is_empty(), *overlap, "{name}");
        assert_eq!(!fired(&wide, post).is_empty(), *window, "{name}");
    }
}

/// The issue's done-when check, through the binary: the bank pack blocks
/// a guaranteed rate and names both concepts, and allows the negation.
#[test]
fn the_bank_pack_blocks_a_guaranteed_rate_naming_both_concepts() {
    let run = |post: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_preclear"))
            .args(["check", "--no-config", "--pack", "financial-institution"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(post.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run("With us you are guaranteed 6% a year.");
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("promissory.certain-return"), "{text}");
    assert!(
        text.contains("certainty") && text.contains("near return"),
        "{text}"
    );
    let out = run("There is no such thing as a guaranteed return.");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn policy_lists_concepts_and_near_rules() {
    let out = Command::new(env!("CARGO_BIN_EXE_preclear"))
        .args(["policy", "--no-config", "--pack", "financial-institution"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\nconcepts\n"), "{text}");
    assert!(
        text.contains("certainty  financial-institution defines"),
        "{text}"
    );
    assert!(
        text.contains("contact  base defines; entities email, phone, address"),
        "{text}"
    );
    assert!(text.contains("promissory.certain-return  near"), "{text}");
    // An exception that borrows a concept names it.
    assert!(
        text.contains(
            "pii.payment-card, pii.iban (financial-institution): 0 terms, \
             0 patterns, concepts published-test-value"
        ),
        "{text}"
    );
}
