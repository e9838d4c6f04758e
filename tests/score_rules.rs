//! Score rules (`kind = "score"`): a post's score is the bias plus the
//! weights of the phrases it holds, each once; what fires, what the
//! reason lists, and the pack mistakes a score rule can make.

use preclear::{Decision, Policy, Screener};

fn pack(body: &str) -> String {
    format!("[pack]\nname = \"p\"\nversion = \"1\"\n{body}")
}

const SCORED: &str = r#"
[[rules]]
id = "promise.scored"
kind = "score"
category = "promissory"
action = "block"
score = 100
message = "Reads like a promise."
threshold = 1.0
bias = -3.0
[rules.weights]
"income" = 2.0
"every year" = 1.5
"grow" = 0.8
"nobody can" = -2.5
"#;

fn screener(body: &str) -> Result<Screener, preclear::Error> {
    let mut policy = Policy::new();
    policy.add_toml("p.toml", &pack(body))?;
    Screener::new(&policy)
}

#[test]
fn a_score_rule_fires_when_its_phrases_reach_the_threshold() {
    let s = screener(SCORED).unwrap();
    // (post, decision): -3 + 2 + 1.5 + 0.8 = 1.3 fires; -3 + 2 + 1.5 = 0.5
    // does not; a phrase counts once however often it occurs; a negative
    // weight takes a post back under.
    let cases = [
        ("Steady income that will grow every year.", Decision::Block),
        ("Steady income every year.", Decision::Allow),
        ("income income income, grow grow", Decision::Allow),
        (
            "Nobody can promise income that will grow every year.",
            Decision::Allow,
        ),
        ("INCOME that grows, no: that will GROW, Every Year", Decision::Block),
        ("", Decision::Allow),
        // Positive weights count within one sentence; negative ones
        // anywhere in the post.
        ("Steady income. It will grow every year.", Decision::Allow),
        ("Steady income that will\ngrow every year.", Decision::Allow),
        (
            "Nobody can say that. Steady income that will grow every year.",
            Decision::Allow,
        ),
        (
            "Hello! Steady income that will grow every year. Call us.",
            Decision::Block,
        ),
    ];
    for (post, want) in cases {
        assert_eq!(s.screen(post).unwrap().decision(), want, "{post}");
    }
}

#[test]
fn a_score_reason_names_its_score_and_heaviest_phrases() {
    let s = screener(SCORED).unwrap();
    let post = "Steady income that will grow every year.";
    let v = s.screen(post).unwrap();
    let r = &v.reasons()[0];
    assert_eq!(r.rule(), "promise.scored");
    // The hit is the heaviest phrase.
    assert_eq!(r.span(), Some(7..13));
    assert_eq!(
        r.message(),
        "Reads like a promise. (score +1.30 for a threshold of +1.00: \
         \u{201c}income\u{201d} +2.00, \u{201c}every year\u{201d} +1.50, \
         \u{201c}grow\u{201d} +0.80)"
    );
}

/// Each pack body is refused with an error that says `want` and where.
fn refused(cases: &[(String, &str)]) {
    for (body, want) in cases {
        let Err(e) = screener(body) else { panic!("accepted:\n{body}") };
        let msg = e.to_string();
        assert!(msg.contains(want), "{msg}\nwanted: {want}");
        assert!(msg.contains("p.toml:"), "{msg}");
    }
}

#[test]
fn score_rule_mistakes_are_pack_errors() {
    let base = SCORED.replace("\"grow\" = 0.8\n", "");
    let cases = [
        (base.replace("bias = -3.0", "bias = 2.0"), "`bias` must be below `threshold`"),
        (base.replace("[rules.weights]", "[rules.nothing]"), "unknown key `nothing`"),
        (
            base.replace("[rules.weights]\n\"income\" = 2.0\n\"every year\" = 1.5\n\"nobody can\" = -2.5\n", ""),
            "a score rule needs `weights`",
        ),
        (base.replace("\"income\" = 2.0", "\"income\" = 2000.0"), "weight of \"income\""),
        (base.replace("\"income\" = 2.0", "\"…\" = 2.0"), "has no letter or digit"),
        (base.replace("kind = \"score\"", "kind = \"terms\""), "does not take `weights`"),
        (base.replace("\"income\" = 2.0", "\"@Income!\" = 2.0"), "names no concept"),
    ];
    refused(&cases);
}

#[test]
fn bundled_score_rules_fire_and_are_explained() {
    let mut policy = Policy::new();
    policy.add_bundled("financial-institution").unwrap();
    let s = Screener::new(&policy).unwrap();
    let v = s
        .screen("Trabajo en banca y os digo una cosa: el oro nunca le ha hecho perder dinero a nadie en diez años; en el peor escenario os quedáis igual.")
        .unwrap();
    assert_eq!(v.decision(), Decision::Block);
    let r =
        v.reasons().iter().find(|r| r.rule() == "promissory.scored").unwrap();
    assert!(r.message().contains("(score +"), "{}", r.message());
    assert!(r.message().contains("a learnt scorer"), "{}", r.message());
}

#[test]
fn a_concept_counts_as_one_phrase_whatever_term_of_it_occurs() {
    let body = SCORED.replace("\"income\" = 2.0", "\"@payout\" = 2.0")
        + "\n[concepts.payout]\ninflect = \"en\"\nterms = [\"income\", \"dividend\", \"coupon\"]\n";
    let s = screener(&body).unwrap();
    let cases = [
        // Any term of the concept, with its forms, in place of "income".
        ("Steady income that will grow every year.", Decision::Block),
        ("Steady dividends that will grow every year.", Decision::Block),
        ("A coupon that will grow every year.", Decision::Block),
        // Two terms of one concept are one phrase: -3 + 2 + 0.8 < 1.
        ("Income and dividends that grow.", Decision::Allow),
        ("Steady pay that will grow every year.", Decision::Allow),
    ];
    for (post, want) in cases {
        assert_eq!(s.screen(post).unwrap().decision(), want, "{post}");
    }
    let v = s.screen("Steady dividends that will grow every year.").unwrap();
    assert!(
        v.reasons()[0].message().contains("\u{201c}@payout\u{201d} +2.00"),
        "{}",
        v.reasons()[0].message()
    );
    // A concept no pack defines is an error at the rule, with a hint.
    let typo = body.replace("\"@payout\"", "\"@payot\"");
    let Err(e) = screener(&typo) else {
        panic!("accepted an unknown concept")
    };
    let msg = e.to_string();
    assert!(msg.contains("unknown concept `payot`"), "{msg}");
    assert!(msg.contains("promise.scored"), "{msg}");
}

#[test]
fn a_sentence_of_thousands_of_heavy_phrases_does_not_overflow() {
    // 70 distinct words and every run of them as a phrase of weight 1000:
    // 2,485 phrases in one sentence sum to 2.485 × 10⁹ thousandths, past
    // an i32.
    let words: Vec<String> = (0..70).map(|i| format!("w{i}")).collect();
    let mut body = SCORED.split("[rules.weights]").next().unwrap().to_string()
        + "[rules.weights]\n";
    for i in 0..words.len() {
        for j in i + 1..=words.len() {
            body += &format!("\"{}\" = 1000.0\n", words[i..j].join(" "));
        }
    }
    let s = screener(&body).unwrap();
    let v = s.screen(&words.join(" ")).unwrap();
    assert_eq!(v.decision(), Decision::Block);
}

/// A gram rule: two grams of "guaranteed" and one of "never"'s negation
/// partner, with idf 1 so the arithmetic is by hand.
const GRAMS: &str = r#"
[[rules]]
id = "promise.grams"
kind = "score"
category = "promissory"
action = "warn"
score = 0
message = "Reads like a promise."
threshold = 0.6
bias = -0.5
[rules.grams]
" gua" = [2.0, 1.0]
"eed " = [1.0, 1.0]
" no " = [-3.0, 2.0]
"#;

#[test]
fn a_gram_rule_scores_the_scaled_vector_of_its_grams() {
    let s = screener(GRAMS).unwrap();
    // "guaranteed": " gua" and "eed ", tf 1 each: (2 + 1) / √2 = 2.12,
    // minus 0.5 fires; "freed" (1 / 1 − 0.5) does not. With " no " (idf 2): (2 + 1 − 6) / √6 < 0.
    // Grams the rule does not know are not in the vector: "Guaranteed
    // income" scores as "guaranteed". Case and accents read as the
    // normal form: "GUARANTÉED".
    let cases = [
        ("guaranteed", Decision::Warn),
        ("Guaranteed income, every year", Decision::Warn),
        ("GUARANTÉED", Decision::Warn),
        ("no guaranteed returns", Decision::Allow),
        ("guard", Decision::Warn),
        ("freed", Decision::Allow),
        ("nothing here", Decision::Allow),
        ("", Decision::Allow),
        ("regua", Decision::Allow),
    ];
    for (post, want) in cases {
        assert_eq!(s.screen(post).unwrap().decision(), want, "{post}");
    }
    // "guard": " gua" alone is 2 / 1 − 0.5 = 1.5; its reason lists the
    // word and its part of the score, and the hit is that word.
    let v = s.screen("on guard").unwrap();
    let r = &v.reasons()[0];
    assert_eq!(r.span(), Some(3..8));
    assert_eq!(
        r.message(),
        "Reads like a promise. (score +1.50 for a threshold of +0.60: \
         \u{201c}guard\u{201d} +2.00)"
    );
}

#[test]
fn gram_rule_mistakes_are_pack_errors() {
    let cases = [
        (GRAMS.replace("\" gua\"", "\" Gua\""), "is no gram"),
        (GRAMS.replace("\" gua\"", "\"guara\""), "is no gram"),
        (GRAMS.replace("\" gua\"", "\"g-a\""), "is no gram"),
        (GRAMS.replace("\" gua\"", "\"  g\""), "is no gram"),
        (GRAMS.replace("\"eed \"", "\"ee1 \""), "is no gram"),
        (GRAMS.replace("[2.0, 1.0]", "[2.0, 0.0]"), "needs [weight, idf]"),
        (GRAMS.replace("[2.0, 1.0]", "[2000.0, 1.0]"), "needs [weight, idf]"),
        (GRAMS.replace("[2.0, 1.0]", "[2.0]"), "p.toml:"),
        (
            GRAMS.replace(
                "[rules.grams]",
                "[rules.weights]\n\"x\" = 1.0\n[rules.grams]",
            ),
            "`weights` or `grams`, not both",
        ),
        (
            GRAMS.replace("kind = \"score\"", "kind = \"terms\""),
            "does not take `grams`",
        ),
    ];
    refused(&cases);
}

#[test]
fn a_policy_holds_at_most_eight_gram_rules() {
    let rules = |n: usize| -> String {
        (0..n)
            .map(|i| GRAMS.replace("promise.grams", &format!("g{i}.grams")))
            .collect()
    };
    assert!(screener(&rules(8)).is_ok());
    let Err(e) = screener(&rules(9)) else { panic!("nine gram rules") };
    let msg = e.to_string();
    assert!(msg.contains("at most 8 gram rules"), "{msg}");
    assert!(msg.contains("g8.grams"), "{msg}");
}

#[test]
fn the_bank_gram_rule_warns_and_never_adds_to_other_findings() {
    let mut policy = Policy::new();
    policy.add_bundled("financial-institution").unwrap();
    let s = Screener::new(&policy).unwrap();
    // An insider hint without one of the rules' words: the gram rule alone.
    let hint = "No os digo nada y os lo digo todo, los números del trimestre \
                salen el jueves muy por encima del consenso. Ahí lo dejo 🤫";
    let v = s.screen(hint).unwrap();
    assert_eq!(v.decision(), Decision::Warn);
    let r = v.reasons().iter().find(|r| r.rule() == "review.scored").unwrap();
    assert_eq!(r.score(), 0);
    assert!(r.message().contains("(score +"), "{}", r.message());
    // Score 0: beside a performance claim's warn it does not tip the post
    // into a block (with score 30 it did, on six readable gold posts).
    let claim = "My conservative income sleeve returned 9.4% over the past \
                 twelve months while paying out monthly. Not bad for the \
                 \"boring\" part of the portfolio 😎";
    assert_eq!(s.screen(claim).unwrap().decision(), Decision::Warn);
    // Ordinary prose of the real-text corpus stays allowed.
    let prose = "Returns the number of elements in the vector.";
    assert_eq!(s.screen(prose).unwrap().decision(), Decision::Allow);
}
