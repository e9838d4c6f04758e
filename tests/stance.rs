//! Stance (issue 12 item 3): negated, quoted and reported hits, and what
//! each rule does with them (`negated`, `quoted`, `reported` = keep |
//! warn | ignore), in English, Spanish and German.

use preclear::{Decision, Frame, Policy, Screener, StanceAction};

use Decision::{Allow, Block, Warn};

fn screener(packs: &[(&str, &str)]) -> Screener {
    let mut policy = Policy::new();
    for (name, toml) in packs {
        if toml.is_empty() {
            policy.add_bundled(name).unwrap();
        } else {
            policy.add_toml(name, toml).unwrap();
        }
    }
    Screener::new(&policy).unwrap()
}

/// A pack whose one rule ignores negated hits, lowers quoted ones to warn
/// and keeps reported ones; a second rule keeps every frame.
const PACK: &str = r#"
[pack]
name = "t"
version = "1"

[[rules]]
id = "p.promise"
kind = "terms"
terms = ["guaranteed returns", "can't lose", "make money", "sin riesgo",
         "rentabilidad garantizada", "garantierte rendite", "ohne risiko"]
category = "promissory"
score = 100
action = "block"
negated = "ignore"
quoted = "warn"

[[rules]]
id = "p.report"
kind = "terms"
terms = ["sure thing"]
category = "promissory"
score = 100
action = "block"
reported = "ignore"

[[rules]]
id = "p.plain"
kind = "terms"
terms = ["moonshot"]
category = "other"
score = 100
action = "block"
"#;

#[test]
fn frames_in_three_languages() {
    let s = screener(&[("t.toml", PACK)]);
    // (post, decision, frame of the first reason if any)
    let cases: &[(&str, Decision, Option<Frame>)] = &[
        // Asserted.
        ("Guaranteed returns, every year.", Block, None),
        ("With us you can't lose.", Block, None),
        // Negated before the hit, in its clause.
        ("Nobody can offer guaranteed returns.", Allow, None),
        ("There is no such thing as guaranteed returns.", Allow, None),
        ("We never promise guaranteed returns.", Allow, None),
        ("We don't sell guaranteed returns.", Allow, None),
        // … or after it: "is a myth".
        ("Guaranteed returns are a myth.", Allow, None),
        // A negation in another clause or sentence, or cut off by "but",
        // does not reach.
        ("No fees. Guaranteed returns!", Block, None),
        ("We can't say much, but guaranteed returns are here.", Block, None),
        ("No hidden fees and guaranteed returns.", Block, None),
        // A negation word in an idiom negates nothing.
        ("Can't wait to tell you: guaranteed returns!", Block, None),
        ("No doubt about it, guaranteed returns.", Block, None),
        ("No puedo esperar: rentabilidad garantizada.", Block, None),
        ("Nicht nur garantierte Rendite!", Block, None),
        // Double negation is a promise again.
        ("You can't not make money here.", Block, None),
        // An "and" that opens a negation of its own denies again; it
        // does not double the first.
        (
            "We will never call you and never offer guaranteed returns.",
            Allow,
            None,
        ),
        (
            "Wir rufen nie an und versprechen nie eine garantierte Rendite.",
            Allow,
            None,
        ),
        // An urging's negation is the verb's: the promise stands.
        (
            "Don't settle for less and don't miss out on guaranteed returns.",
            Block,
            None,
        ),
        ("Verpass nicht unsere garantierte Rendite!", Block, None),
        // Without a negation after it, "and" changes nothing.
        ("We never call and guaranteed returns follow.", Allow, None),
        // A term's own negation does not negate it…
        ("Honestly, you can't lose.", Block, None),
        // …but one before it does.
        ("Nobody can say you can't lose.", Allow, None),
        // Spanish.
        ("Nadie puede ofrecer rentabilidad garantizada.", Allow, None),
        ("No existe la inversión sin riesgo.", Allow, None),
        ("Rentabilidad garantizada para todos.", Block, None),
        // Spanish negative concord: a negative word after a negation
        // agrees with it, it does not cancel it.
        ("No existe ninguna rentabilidad garantizada.", Allow, None),
        ("Aquí no te ofrece nadie rentabilidad garantizada.", Allow, None),
        // German.
        ("Niemand kann eine garantierte Rendite versprechen.", Allow, None),
        ("Eine Rendite ohne Risiko gibt es nicht.", Allow, None),
        ("Garantierte Rendite für alle!", Block, None),
        // Quoted: lowered to warn by this rule.
        (
            "Our policy bans \"guaranteed returns\" in posts.",
            Warn,
            Some(Frame::Quoted),
        ),
        ("Never write ‘guaranteed returns’, it's banned.", Allow, None),
        (
            "Frases prohibidas: «rentabilidad garantizada».",
            Warn,
            Some(Frame::Quoted),
        ),
        (
            "Formulierungen wie „garantierte Rendite“ sind tabu.",
            Warn,
            Some(Frame::Quoted),
        ),
        (
            "Avoid words like guaranteed returns in posts.",
            Warn,
            Some(Frame::Quoted),
        ),
        // Reported: this rule keeps reported hits.
        ("Guaranteed returns? It's a scam.", Block, None),
        // Reported, by a rule that ignores reported hits: in the
        // sentence, or the one after a question; "not a scam" is no
        // warning.
        ("Beware: a sure thing is how the scam starts.", Allow, None),
        ("A sure thing? Classic scam.", Allow, None),
        ("Not a scam, a sure thing.", Block, None),
        ("A sure thing. Beware of imitations!", Block, None),
        ("Si alguien te ofrece un sure thing, es una estafa.", Allow, None),
        ("Vorsicht: ein sure thing ist Betrug.", Allow, None),
        // Whoever says it is warned about, "if" or not.
        (
            "The moment someone tells you it's a sure thing, walk away.",
            Allow,
            None,
        ),
        ("Someone told me it's a sure thing.", Block, None),
        // What the reader cannot afford denies nothing after it.
        (
            "If you can't afford a house there are guaranteed returns here.",
            Block,
            None,
        ),
        ("You can't buy guaranteed returns here.", Allow, None),
        // What the poster once would have done is a memory.
        ("In 2015 I would've asked for a sure thing.", Allow, None),
        ("In 2015 I asked for a sure thing.", Block, None),
        // A reply quotes what it answers on lines that start with `>`;
        // the answer's own lines are not quoted.
        (
            "> guaranteed returns, my cousin says\n\nPlease don't.",
            Warn,
            Some(Frame::Quoted),
        ),
        ("> is it safe?\nGuaranteed returns, yes.", Block, None),
        // A post of `>` lines alone (greentext, `>` bullets) quotes
        // nobody: its lines are its author's.
        ("> guaranteed returns\n> 20% a month, DM me", Block, None),
        ("a > b, so guaranteed returns.", Block, None),
        // Someone else's promise, reported.
        ("They promised a sure thing and vanished.", Allow, None),
        ("¿Te prometieron un sure thing? Eso no existe.", Allow, None),
        (
            "Den Anlegern wurde versprochen, es sei ein sure thing.",
            Allow,
            None,
        ),
        ("The complaint alleges a sure thing was sold.", Allow, None),
        // A rule that keeps every frame is not judged at all.
        ("Nobody needs a moonshot.", Block, None),
    ];
    let mut failures = Vec::new();
    for &(post, want, frame) in cases {
        let v = s.screen(post).unwrap();
        let got_frame =
            v.reasons().first().and_then(|r| r.stance()).map(|s| s.frame());
        if v.decision() != want || got_frame != frame {
            failures.push(format!(
                "{post:?}: expected {want} {frame:?}, got {} {got_frame:?}",
                v.decision()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The bundled packs: promises, warnings, quotes, insider hints, piracy
/// talk — and PII, which no frame lets through.
#[test]
fn bundled_packs() {
    let fin = screener(&[("financial-institution", "")]);
    let music = screener(&[("music-label", "")]);
    let cases: &[(&Screener, &str, Decision)] = &[
        (&fin, "There is no such thing as a guaranteed return.", Allow),
        (&fin, "Nobody can guarantee returns.", Allow),
        (&fin, "If a stranger promises guaranteed profits, it's fraud — report it.", Allow),
        (&fin, "The rule bans phrases like 'guaranteed returns'.", Allow),
        (&fin, "Our CEO: \"we can't promise returns, we can promise service\"", Allow),
        (&fin, "Guaranteed returns of 12% a year!", Block),
        (&fin, "This is not a scam. Members of our club get guaranteed returns every month.", Block),
        (&fin, "There is no way you can lose with this fund.", Block),
        (&fin, "Never share non-public information.", Allow),
        (&fin, "Can't say much but the merger talks are going well.", Warn),
        // PII keeps every frame: quoted, negated or in a warning.
        (&fin, "Don't post \"4111 1111 1111 1111\" anywhere.", Block),
        (&fin, "Scam alert: someone posted card 4111 1111 1111 1111.", Block),
        (&music, "Being 14 and waiting on the pirate bay was a core memory.", Allow),
        (&music, "Please buy it on Bandcamp instead of the pirate bay.", Allow),
        (&music, "Full album on the pirate bay, go get it.", Block),
        (&music, "We would never break the embargo.", Allow),
        (&music, "Screw the embargo, here's the tracklist.", Block),
        // A proximity rule's hit runs over clauses: a negation in an
        // earlier clause is not the hint's (a sentence may start in lower
        // case), one after what it denies in its first clause is.
        (&fin, "I would never... ever... tell a client their capital is safe.", Allow),
        (&fin, "We cannot therefore guarantee returns.", Allow),
        (&fin, "We rebalance not so we can guarantee you 6% a year, but so your risk stays put.", Allow),
        (
            &music,
            "the feature on track 3 is Marlowe Kid. you'd never guess. you \
             didn't hear it from me",
            Warn,
        ),
        (&fin, "Eine Rendite ohne Risiko gibt es nicht. Wer Ihnen das verspricht, will Ihr Geld.", Allow),
        // A question asked is reported; the answer after its colon is the
        // poster's own.
        (&fin, "Para los que me preguntan: es imposible salir perdiendo con este fondo.", Block),
        (&fin, "Me preguntan si es imposible salir perdiendo con este fondo.", Allow),
        (&fin, "To everyone who asked me: with this fund there is no way you can lose money.", Block),
        (&fin, "A client asked me if there is no way to lose money with this fund.", Allow),
        // A verb of saying before a quotation frames the quoted claim.
        (
            &fin,
            "My neighbour lost £8,000 to a man who promised her 'guaranteed 30% a month'. It's a scam.",
            Allow,
        ),
        (&fin, "Scammers are sending messages promising \"guaranteed 20% a month\". Not us.", Allow),
        (&fin, "I promised my clients guaranteed 12% a year, and I deliver.", Block),
        // A hit that starts in the question and ends in the answer.
        (
            &fin,
            "I get asked whether clients can lose money with our bond \
             approach. Honestly? You'd have to try really hard not to make money here.",
            Block,
        ),
        // A question many ask is reported; a hit that runs on past the
        // question's sentence is the answer's.
        (&fin, "We get asked daily whether our 4.1% savings rate is guaranteed. It isn't.", Allow),
        (
            &fin,
            "ppl keep asking if our covered-call ladder is safe. look. there is no \
             scenario in which you walk away with less than you put in.",
            Block,
        ),
        // A longer cue that is no whole word ("clients ask" in "clients
        // asked") hides nothing: "asked whether" is still found.
        (&fin, "Clients asked whether our fund pays a guaranteed 6% a year.", Allow),
        // The Spanish and German forms that hold their "if"; the answer
        // after a colon is still the poster's own, and "asked" alone is no
        // question reported ("As you asked, our fund guarantees …").
        (&fin, "Mi nieto preguntó si su dinero estaba garantizado al 8 %.", Allow),
        (&fin, "Er fragte, ob die Rendite von 8 % garantiert ist.", Allow),
        // A list's last item denied after its noun; a promise limited by
        // "leider nicht für …" stays a promise.
        (&fin, "Betriebsausflug: Sonne garantiert, Bier garantiert, Rendite leider nicht.", Allow),
        (&fin, "Mit unserem Fonds sind 8 % Rendite garantiert, leider nicht für Neukunden.", Block),
        (&fin, "Clients asked, so here it is: with our fund you are guaranteed 6% a year.", Block),
        (&fin, "As you asked, our fund guarantees you 8% a year.", Block),
        // A question answered by a denial that opens the next sentence.
        (&fin, "Free money with our fund? No such thing. Every investment carries risk.", Allow),
        (&fin, "¿Dinero gratis con nuestro fondo? Eso no existe.", Allow),
        (&fin, "Free money with our fund? Yes, every single year.", Block),
        // A bare "No," answering denies the question too; "no way" opens
        // a promise of its own.
        (&fin, "Q: Can you guarantee I won't lose money?\nA: No, and nobody honest can.", Allow),
        (&fin, "Can you guarantee I won't lose money? No way you can lose with us.", Block),
        // So does a bare "None" ("Ninguna, …"); not "ninguna duda", a
        // promise's "no doubt".
        (&fin, "¿Rentabilidad garantizada? Ninguna, y quien te la prometa te miente.", Allow),
        (&fin, "Guaranteed returns? None. Nobody can promise them.", Allow),
        (&fin, "¿Rentabilidad garantizada con nuestro fondo? Ninguna duda: un 8 % al año.", Block),
        // Only of a question the hit opens: "None" here denies the catch;
        // and "None" with "no such thing" after it is one denial, not two.
        (&fin, "What's the catch with our guaranteed 9% return? None. Sign up today.", Block),
        (&fin, "Rentabilidad garantizada del 5 %, ¿comisiones? Ninguna. Abre tu cuenta.", Block),
        (&fin, "Risk-free returns? None, there is no such thing.", Allow),
        // Whoever says it is the one warned about.
        (&fin, "Anyone who tells you your capital is safe whatever happens is selling you something.", Allow),
        (&fin, "Quien te diga que tu capital está a salvo pase lo que pase te está vendiendo algo.", Allow),
        (&fin, "Your capital is safe whatever happens, I'll tell anyone who asks.", Block),
        // A consequence is a clause of its own: the negation before "so I"
        // is not the download's.
        (&music, "couldn't find it anywhere so I just pulled the discography off 1337x", Block),
        (
            &music,
            "told not to post the thing I played on today so here's 12 seconds of it 🤐",
            Warn,
        ),
        // Words that warn about a host and nothing else: a defanged link
        // is named so nobody clicks it, a live one is reported (a warn);
        // a call for attention alone reports no live link, and no cue of
        // either kind frames a promise.
        (&music, "PSA: spotlfy-premium[.]net isn't us, report the account.", Allow),
        (&music, "spotlfy-premium.net has the album early?? isn't us, report it", Warn),
        (&music, "PSA: the album is early at spotlfy-premium.net, grab it", Block),
        (&music, "PSA: the album is early at spotlfy-premium[.]net", Allow),
        (&fin, "The risk is not us: with us you are guaranteed 12% a year.", Block),
        (&fin, "Heads up: with our fund you are guaranteed 12% a year.", Block),
    ];
    let mut failures = Vec::new();
    for &(s, post, want) in cases {
        let v = s.screen(post).unwrap();
        if v.decision() != want {
            failures.push(format!(
                "{post:?}: expected {want}, got {}",
                v.decision()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A quotation is judged on the marks near it: a stray `"` a screen
/// earlier (a 12" record, a pasted inch mark) does not turn the quoted
/// claim into the poster's own.
#[test]
fn a_far_quote_mark_does_not_unbalance_a_quotation() {
    let fin = screener(&[("financial-institution", "")]);
    let filler =
        "We met the branch team for coffee and talked about pensions. "
            .repeat(8);
    let quoted = "A man who promised her \"30% a month\" called again.";
    let own = "I promised my clients 30% a month, and I deliver.";
    for (post, want) in [
        (format!("My 12\" vinyl shelf is full. {filler}{quoted}"), Allow),
        (format!("{filler}{quoted}"), Allow),
        (format!("My 12\" vinyl shelf is full. {filler}{own}"), Block),
    ] {
        assert_eq!(fin.screen(&post).unwrap().decision(), want, "{post}");
    }
}

/// The JSON line carries `stance` only for a framed hit; the reason's
/// action is the lowered one.
#[test]
fn reasons_record_their_stance() {
    let s = screener(&[("t.toml", PACK)]);
    let v = s.screen("Bans \"guaranteed returns\" here.").unwrap();
    let r = &v.reasons()[0];
    let st = r.stance().unwrap();
    assert_eq!(
        (st.frame(), st.cue(), st.effect()),
        (Frame::Quoted, "\"", StanceAction::Warn)
    );
    assert_eq!(r.action(), Warn);
    assert!(r.score() < 100);
    assert_eq!(st.to_string(), "quoted by '\"': lowered to warn");
    let json: serde_json::Value =
        serde_json::from_str(&v.to_json("1")).unwrap();
    assert_eq!(json["reasons"][0]["stance"]["effect"], "warn");
    assert_eq!(json["reasons"][0]["action"], "warn");
    let plain = s.screen("Guaranteed returns!").unwrap();
    assert!(plain.reasons()[0].stance().is_none());
    assert!(!plain.to_json("1").contains("stance"));
}

/// Overrides change a frame's action; a locked rule may not be weakened.
#[test]
fn overrides_and_locks() {
    let team = r#"
[pack]
name = "team"
version = "1"
[[overrides]]
rule = "p.promise"
negated = "warn"
"#;
    let s = screener(&[("t.toml", PACK), ("team.toml", team)]);
    assert_eq!(
        s.screen("Nobody offers guaranteed returns.").unwrap().decision(),
        Warn
    );
    let mut policy = Policy::new();
    policy.add_bundled("financial-institution").unwrap();
    policy
        .add_toml(
            "loose.toml",
            "[pack]\nname = \"loose\"\nversion = \"1\"\nlevel = \"team\"\n\
             [[overrides]]\nrule = \"pii.payment-card\"\nquoted = \"ignore\"\n",
        )
        .unwrap();
    let e = Screener::new(&policy).unwrap_err().to_string();
    assert!(
        e.contains("cannot let more negated, quoted or reported hits through"),
        "{e}"
    );
    assert!(e.contains("loose.toml:5:1"), "{e}");
}

/// A misspelt action is located and gets a did-you-mean.
#[test]
fn bad_actions_are_located() {
    let bad = "[pack]\nname = \"b\"\nversion = \"1\"\n[[rules]]\nid = \"b.x\"\n\
               kind = \"terms\"\nterms = [\"x\"]\naction = \"warn\"\nnegated = \"ignor\"\n";
    let mut policy = Policy::new();
    let e = policy.add_toml("b.toml", bad).unwrap_err().to_string();
    assert!(e.starts_with("b.toml:9:11"), "{e}");
    assert!(e.contains("did you mean `ignore`"), "{e}");
    assert!(e.contains("rule 'b.x'"), "{e}");
}

/// `check --explain` lists what a stance ignored, as a note that does not
/// change the verdict or the exit code; without it the post is clean.
#[test]
fn cli_explain_shows_ignored_hits() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let run = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_preclear"))
            .args(["check", "--no-config", "--pack", "financial-institution"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let post = b"There is no such thing as a guaranteed return.";
        child.stdin.take().unwrap().write_all(post).unwrap();
        let out = child.wait_with_output().unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, plain) = run(&[]);
    assert_eq!(code, Some(0), "{plain}");
    assert!(!plain.contains("promissory"), "{plain}");
    let (code, explained) = run(&["--explain"]);
    assert_eq!(code, Some(0), "{explained}");
    assert!(explained.contains("promissory.guarantee"), "{explained}");
    assert!(
        explained.contains("negated by 'there is no such thing as': ignored"),
        "{explained}"
    );
    let (code, json) = run(&["--explain", "--format", "json"]);
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(v["verdict"], "allow");
    assert_eq!(v["reasons"][0]["score"], 0);
    assert_eq!(v["reasons"][0]["action"], "allow");
    assert_eq!(v["reasons"][0]["stance"]["effect"], "ignore");
    // Spanish and German posts through the with-every-frame test pack.
    let s = screener(&[("t.toml", PACK)]);
    for post in [
        "Nunca prometemos rentabilidad garantizada.",
        "Wir versprechen nie eine garantierte Rendite.",
    ] {
        assert_eq!(
            s.screen(post).unwrap().decision(),
            Decision::Allow,
            "{post}"
        );
    }
}
