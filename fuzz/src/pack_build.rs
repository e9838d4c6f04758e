//! The `pack_build` target: packs built from structured input (decoded
//! with `arbitrary`), so that most of them load and compile and the fuzzer
//! spends its time in the screener, not in the TOML parser. A lower pack
//! (optionally over a bundled one) and an upper pack with overrides and
//! exceptions are rendered to TOML, layered, compiled and used to screen
//! posts made mostly of the packs' own terms, numbers that validators
//! accept, Unicode and noise, so that rules fire.

use std::fmt::Write as _;
use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use preclear::{bundled_names, Date, ErrorKind, Policy};
use preclear::{Screener, Verdict};

use crate::{check_error, check_verdict, debug, Outcome, MAX_INPUT};

/// Words for terms, context, exceptions and posts: phrases the bundled
/// packs know, short and one-letter words, apostrophes and hyphens,
/// ligatures, case-folding oddities, other scripts, digits, an emoji.
const WORDS: &[&str] = &[
    "guaranteed",
    "guaranteed returns",
    "card",
    "ssn",
    "iban",
    "account",
    "routing",
    "project falcon",
    "can't lose",
    "insider",
    "#ad",
    "sponsored",
    "past performance",
    "internal use only",
    "password",
    "a",
    "ab",
    "x-ray",
    "o'neil",
    "über",
    "naïve",
    "ﬁnance",
    "straße",
    "İstanbul",
    "数字",
    "пароль",
    "ΑΒΓ",
    "١٢٣",
    "42",
    "2026",
    "the",
    "a b",
    "🚀",
    "e\u{301}",
];

/// Numbers that validators accept (and a few they reject), in the
/// groupings people write.
const NUMBERS: &[&str] = &[
    "4111 1111 1111 1111",
    "4111111111111111",
    "5500-0000-0000-0004",
    "3782 822463 10005",
    "4111 1111 1111 1112",
    "DE89 3704 0044 0532 0130 00",
    "GB82WEST12345698765432",
    "078-05-1120",
    "219 09 9999",
    "123456789",
    "011000015",
    "021000021",
    "12345678",
    "2026-01-15",
    "+1 (555) 010-9999",
    "０７８-０５-１１２０",
    "４１１１ １１１１ １１１１ １１１１",
    "4111\u{200b}1111\u{200b}1111\u{200b}1111",
    "٤١١١١١١١١١١١١١١١",
];

/// Unicode that normalisation has opinions about.
const UNICODE: &[&str] = &[
    "\u{200b}",
    "\u{200d}",
    "\u{feff}",
    "\u{301}",
    "\u{a0}",
    "\u{2009}",
    "\u{3000}",
    "\u{202e}",
    "\u{85}",
    "\u{2028}",
    "\r\n",
    "🎉",
    "👍🏽",
    "🇺🇸",
    "ß",
    "İ",
    "ﬁ",
    "Ⅻ",
    "①",
    "𝐠𝐮𝐚𝐫",
    "ǅ",
    "ｇｕａｒ",
    "א",
    "한국어",
    "ꙮ",
    "\u{fffd}",
];

/// Hosts for link rules and URLs in posts.
const HOSTS: &[&str] = &[
    "example.com",
    "sub.example.com",
    "bit.ly",
    "paypal.com",
    "paypa1.com",
    "acmebank.com",
    "xn--pple-43d.com",
    "аpple.com",
    "münchen.de",
    "localhost",
    "1.2.3.4",
    "a.b.c.d.e.f",
];

const CATEGORIES: &[&str] =
    &["", "pii", "secret", "promissory", "internal", "link", "fuzz"];

/// Dates around the fixed dates screened as of (the first four).
const DATES: &[&str] =
    &["2025-12-31", "2026-01-01", "2026-01-15", "2026-06-30", "2024-02-29"];

const SCORES: &[u32] = &[0, 1, 10, 29, 30, 50, 99, 100, 150, u32::MAX];

/// Separators between the pieces of a post.
const SEPARATORS: &[&str] =
    &["\n", "-", ", ", "  ", "\t", "/", "_", ".", "\u{200b}", ": "];

/// At most this many of each list item are rendered: keeps packs small
/// and compiles fast.
const MAX_RULES: usize = 8;
const MAX_ITEMS: usize = 6;
const MAX_POSTS: usize = 6;
const MAX_PIECES: usize = 32;

/// A word, phrase or random string.
#[derive(Arbitrary, Debug)]
enum Text {
    Word(u8),
    Phrase(u8, u8),
    Raw(String),
}

/// One piece of a regular expression; random strings are mostly invalid
/// or trivial, so patterns are built from pieces that compile.
#[derive(Arbitrary, Debug)]
enum Atom {
    Literal(Text),
    Digits(u8),
    DigitRange(u8, u8),
    Letters(u8),
    Separator,
    Boundary,
    Alternation(Text, Text),
    Optional(Text),
    UnicodeWord,
    Any(u8),
    /// A random string, as a literal.
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum Validator {
    None,
    Luhn,
    Iban,
    Aba,
    UsSsn,
}

#[derive(Arbitrary, Debug)]
enum Host {
    Known(u8),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum Score {
    Common(u8),
    Any(u32),
}

#[derive(Arbitrary, Debug)]
struct ContextSpec {
    words: Vec<Text>,
    window: u8,
    score: i8,
    /// One in four is `required` (it suppresses most hits).
    required: u8,
}

#[derive(Arbitrary, Debug)]
struct UnlessSpec {
    words: Vec<Text>,
    window: u8,
}

#[derive(Arbitrary, Debug)]
enum Kind {
    Terms(Vec<Text>),
    Pattern(Vec<Atom>, Validator),
    Required {
        trigger_terms: Vec<Text>,
        trigger_patterns: Vec<Vec<Atom>>,
        require_terms: Vec<Text>,
        require_patterns: Vec<Vec<Atom>>,
        within: Option<u16>,
    },
    Link {
        allow: Vec<Host>,
        deny: Vec<Host>,
        protect: Vec<Host>,
    },
}

/// Rarely, something invalid in a rule, so that error paths run too
/// without making most packs fail.
#[derive(Arbitrary, Debug)]
struct Twist {
    what: u8,
    text: String,
}

#[derive(Arbitrary, Debug)]
struct RuleSpec {
    twist: Twist,
    kind: Kind,
    category: u8,
    score: Option<Score>,
    action: Option<u8>,
    mask: bool,
    locked: bool,
    whole_word: Option<bool>,
    evasion: Option<bool>,
    context: Vec<ContextSpec>,
    unless: Option<UnlessSpec>,
    active_from: Option<u8>,
    active_until: Option<u8>,
    message: Option<Text>,
}

/// What an override names: a rule of the packs beneath, a category, or
/// anything.
#[derive(Arbitrary, Debug)]
enum Target {
    Rule(u16),
    Category(u8),
    Raw(Text),
}

/// One change of an override. Several fields apply to one kind of rule
/// only, so an override makes few changes (most often one) to have a
/// chance to apply.
#[derive(Arbitrary, Debug)]
enum Change {
    Enabled(bool),
    Action(u8),
    Score(Score),
    Message(Text),
    Terms(Vec<Text>),
    AddTerms(Vec<Text>),
    AddAllow(Vec<Host>),
    AddDeny(Vec<Host>),
    Context(Vec<ContextSpec>),
    Unless(UnlessSpec),
    Locked(bool),
    ActiveFrom(u8),
    ActiveUntil(u8),
}

#[derive(Arbitrary, Debug)]
struct OverrideSpec {
    target: Target,
    changes: Vec<Change>,
}

#[derive(Arbitrary, Debug)]
struct ExceptionSpec {
    rules: Vec<u16>,
    categories: Vec<u8>,
    terms: Vec<Text>,
    patterns: Vec<Vec<Atom>>,
}

#[derive(Arbitrary, Debug)]
struct PackSpec {
    level: u8,
    /// `warn`, how far `block` is above it, `locked`.
    thresholds: Option<(u8, u8, bool)>,
    locked_categories: Vec<u8>,
    rules: Vec<RuleSpec>,
    overrides: Vec<OverrideSpec>,
    exceptions: Vec<ExceptionSpec>,
}

/// How a term of the pack is disguised in a post.
#[derive(Arbitrary, Debug)]
enum Style {
    Plain,
    Upper,
    Spaced,
    Dotted,
    Fullwidth,
    Leet,
    Repeated,
    Hashtag,
}

#[derive(Arbitrary, Debug)]
enum Piece {
    /// A string of the packs (term, word, host, …), maybe disguised.
    Own(u16, Style),
    Word(u8),
    Number(u8),
    Digits(u64, u8),
    Unicode(u8),
    Url(u8, u8),
    Separator(u8),
    /// No space before the next piece.
    Glue,
    Raw(String),
}

/// A post starts with a string of the packs, so that rules fire.
#[derive(Arbitrary, Debug)]
struct Post {
    lead: u16,
    style: Style,
    pieces: Vec<Piece>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    /// One in eight: a bundled pack beneath the lower pack. Compiling a
    /// bundled pack is most of an input's time, hence rarely.
    under: u8,
    /// One in eight: the lower pack `extends` a bundled pack.
    extends: u8,
    lower: PackSpec,
    upper: Option<PackSpec>,
    now: u8,
    reveal: bool,
    evasion: bool,
    /// Some(n) with n a multiple of 4 (one input in eight): a size limit
    /// of n bytes, so some posts are refused.
    limit: Option<u8>,
    posts: Vec<Post>,
}

fn pick<'a>(list: &[&'a str], i: impl Into<usize>) -> &'a str {
    list[i.into() % list.len()]
}

/// For each bundled pack, the ids of its rules and of the rules of what
/// it extends: targets for overrides and exceptions.
fn bundled_ids(name: &str) -> &'static [String] {
    static IDS: OnceLock<Vec<(&str, Vec<String>)>> = OnceLock::new();
    let all = IDS.get_or_init(|| {
        bundled_names()
            .map(|n| {
                let mut p = Policy::new();
                p.add_bundled(n).expect("bundled pack loads");
                let ids = p.packs().iter().flat_map(|p| p.rules());
                (n, ids.map(|r| r.id.clone()).collect())
            })
            .collect()
    });
    all.iter().find(|(n, _)| *n == name).map_or(&[], |(_, ids)| ids)
}

/// `s` as a TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// `s` as a regex literal (regex's meta characters escaped).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Renders packs to TOML and remembers every string a post could quote.
struct Render {
    /// Terms, words and hosts of the packs, for posts.
    own: Vec<String>,
    /// Ids of the rules rendered so far and of the bundled packs.
    ids: Vec<String>,
}

impl Render {
    fn text(&mut self, t: &Text) -> String {
        let s = match t {
            Text::Word(i) => pick(WORDS, *i).to_string(),
            Text::Phrase(a, b) => {
                format!("{} {}", pick(WORDS, *a), pick(WORDS, *b))
            }
            // Blank terms are refused at load time; say so once
            // (`Twist`), not in every other rule.
            Text::Raw(s) if s.trim().is_empty() => "x".to_string(),
            Text::Raw(s) => s.chars().take(16).collect(),
        };
        self.own.push(s.clone());
        s
    }

    fn texts(&mut self, ts: &[Text]) -> Vec<String> {
        ts.iter().take(MAX_ITEMS).map(|t| self.text(t)).collect()
    }

    /// Like `texts`, never empty (an empty list is refused at load time).
    fn some_texts(&mut self, ts: &[Text]) -> Vec<String> {
        let mut v = self.texts(ts);
        if v.is_empty() {
            v.push(self.text(&Text::Word(0)));
        }
        v
    }

    fn host(&mut self, h: &Host) -> String {
        let s = match h {
            Host::Known(i) => pick(HOSTS, *i).to_string(),
            Host::Raw(s) if s.trim().is_empty() => "example.org".into(),
            Host::Raw(s) => s.chars().take(24).collect(),
        };
        self.own.push(s.clone());
        s
    }

    fn hosts(&mut self, hs: &[Host]) -> Vec<String> {
        hs.iter().take(MAX_ITEMS).map(|h| self.host(h)).collect()
    }

    fn pattern(&mut self, atoms: &[Atom]) -> String {
        let mut p = String::new();
        for a in atoms.iter().take(MAX_ITEMS) {
            match a {
                Atom::Literal(t) => p.push_str(&escape(&self.text(t))),
                Atom::Digits(n) => {
                    let _ = write!(p, r"\d{{{}}}", n % 20 + 1);
                }
                Atom::DigitRange(a, b) => {
                    let lo = a % 8;
                    let _ = write!(p, r"\d{{{lo},{}}}", lo + b % 12);
                }
                Atom::Letters(n) => {
                    let _ = write!(p, "[a-z]{{1,{}}}", n % 10 + 1);
                }
                Atom::Separator => p.push_str("[ ./-]?"),
                Atom::Boundary => p.push_str(r"\b"),
                Atom::Alternation(a, b) => {
                    let (a, b) = (self.text(a), self.text(b));
                    let _ = write!(p, "(?:{}|{})", escape(&a), escape(&b));
                }
                Atom::Optional(t) => {
                    let _ = write!(p, "(?:{})?", escape(&self.text(t)));
                }
                Atom::UnicodeWord => p.push_str(r"(?u:\w+)"),
                Atom::Any(n) => {
                    let _ = write!(p, ".{{0,{}}}", n % 6);
                }
                Atom::Raw(s) => {
                    let s: String = s.chars().take(12).collect();
                    p.push_str(&escape(&s));
                }
            }
        }
        p
    }

    fn patterns(&mut self, ps: &[Vec<Atom>]) -> Vec<String> {
        ps.iter().take(MAX_ITEMS).map(|p| self.pattern(p)).collect()
    }

    fn score(s: &Score) -> u32 {
        match s {
            Score::Common(i) => SCORES[usize::from(*i) % SCORES.len()],
            Score::Any(n) => *n,
        }
    }

    fn action(a: u8) -> &'static str {
        ["allow", "warn", "block"][usize::from(a % 3)]
    }

    fn context(&mut self, cs: &[ContextSpec]) -> String {
        let entries: Vec<String> = cs
            .iter()
            .take(2)
            .map(|c| {
                format!(
                    "{{ words = {}, window = {}, score = {}, required = {} }}",
                    list(&self.some_texts(&c.words)),
                    c.window % 12,
                    c.score,
                    c.required.is_multiple_of(4)
                )
            })
            .collect();
        format!("[{}]", entries.join(", "))
    }

    fn unless(&mut self, u: &UnlessSpec) -> String {
        format!(
            "{{ words = {}, window = {} }}",
            list(&self.some_texts(&u.words)),
            u.window % 12
        )
    }

    fn rule(
        &mut self,
        out: &mut String,
        prefix: &str,
        i: usize,
        r: &RuleSpec,
    ) {
        // One rule in 32 gets a twist; the rest are valid.
        let twist = if r.twist.what < 8 { r.twist.what } else { u8::MAX };
        let raw: String = r.twist.text.chars().take(24).collect();
        let id = match twist {
            0 if i > 0 => format!("{prefix}{}", i - 1),
            1 => format!("Fuzz Rule {i}"),
            _ => format!("{prefix}{i}"),
        };
        let _ = writeln!(out, "\n[[rules]]\nid = {}", quote(&id));
        self.ids.push(id);
        match &r.kind {
            Kind::Terms(ts) => {
                let ts = self.some_texts(ts);
                let _ =
                    writeln!(out, "kind = \"terms\"\nterms = {}", list(&ts));
            }
            Kind::Pattern(atoms, v) => {
                let mut p = self.pattern(atoms);
                if p.is_empty() {
                    p = r"\d{4}".into();
                }
                // A random string as a regex: mostly invalid.
                if twist == 2 {
                    p.push_str(&raw);
                }
                let _ = writeln!(
                    out,
                    "kind = \"pattern\"\npattern = {}",
                    quote(&p)
                );
                let v = match (twist, v) {
                    (3, _) => Some(raw.as_str()),
                    (_, Validator::None) => None,
                    (_, Validator::Luhn) => Some("luhn"),
                    (_, Validator::Iban) => Some("iban"),
                    (_, Validator::Aba) => Some("aba"),
                    (_, Validator::UsSsn) => Some("us_ssn"),
                };
                if let Some(v) = v {
                    let _ = writeln!(out, "validator = {}", quote(v));
                }
            }
            Kind::Required {
                trigger_terms,
                trigger_patterns,
                require_terms,
                require_patterns,
                within,
            } => {
                let mut tt = self.texts(trigger_terms);
                let tp = self.patterns(trigger_patterns);
                let mut rt = self.texts(require_terms);
                let rp = self.patterns(require_patterns);
                if tp.is_empty() && tt.is_empty() {
                    tt = self.some_texts(&[]);
                }
                if rp.is_empty() && rt.is_empty() {
                    rt.push(self.text(&Text::Word(10)));
                }
                let within = within.map_or(String::new(), |w| {
                    format!(", within = {}", w % 400)
                });
                let _ = writeln!(
                    out,
                    "kind = \"required\"\n\
                     trigger = {{ terms = {}, patterns = {} }}\n\
                     require = {{ terms = {}, patterns = {}{within} }}",
                    list(&tt),
                    list(&tp),
                    list(&rt),
                    list(&rp)
                );
            }
            Kind::Link { allow, deny, protect } => {
                let (a, mut d, p) =
                    (self.hosts(allow), self.hosts(deny), self.hosts(protect));
                if a.is_empty() && d.is_empty() && p.is_empty() {
                    d.push(self.host(&Host::Known(2)));
                }
                let _ = writeln!(
                    out,
                    "kind = \"link\"\nallow = {}\ndeny = {}\nprotect = {}",
                    list(&a),
                    list(&d),
                    list(&p)
                );
            }
        }
        let category = pick(CATEGORIES, r.category);
        let _ = writeln!(out, "category = {}", quote(category));
        if let Some(s) = &r.score {
            let _ = writeln!(out, "score = {}", Render::score(s));
        }
        match (twist, r.action) {
            (4, _) => {
                let _ = writeln!(out, "action = {}", quote(&raw));
            }
            (_, Some(a)) => {
                let _ = writeln!(out, "action = \"{}\"", Render::action(a));
            }
            _ => {}
        }
        let _ = writeln!(out, "mask = {}\nlocked = {}", r.mask, r.locked);
        if let Some(w) = r.whole_word {
            let _ = writeln!(out, "whole_word = {w}");
        }
        if let Some(e) = r.evasion {
            let _ = writeln!(out, "evasion = {e}");
        }
        if !r.context.is_empty() {
            let _ = writeln!(out, "context = {}", self.context(&r.context));
        }
        if let Some(u) = &r.unless {
            let _ = writeln!(out, "unless = {}", self.unless(u));
        }
        match twist {
            // A date that does not exist, or dates out of order.
            5 => out.push_str("active_from = \"2026-02-30\"\n"),
            6 => out.push_str(
                "active_from = \"2026-06-30\"\n\
                 active_until = \"2026-01-01\"\n",
            ),
            _ => dates(out, r.active_from, r.active_until),
        }
        if let Some(m) = &r.message {
            let _ = writeln!(out, "message = {}", quote(&self.text(m)));
        }
        // A blank term.
        if twist == 7 {
            out.push_str("[[rules]]\nid = \"blank\"\nkind = \"terms\"\n");
            out.push_str("terms = [\" \"]\n");
        }
    }

    fn override_(&mut self, out: &mut String, o: &OverrideSpec) {
        out.push_str("\n[[overrides]]\n");
        let _ = match &o.target {
            Target::Rule(i) => {
                let id = &self.ids[usize::from(*i) % self.ids.len()];
                writeln!(out, "rule = {}", quote(id))
            }
            Target::Category(c) => {
                writeln!(out, "category = {}", quote(pick(CATEGORIES, *c)))
            }
            Target::Raw(t) => writeln!(out, "rule = {}", quote(&self.text(t))),
        };
        // A key given twice is a TOML error: the first change of each
        // kind wins.
        let mut seen = Vec::new();
        for c in o.changes.iter().take(4) {
            let key = std::mem::discriminant(c);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let _ = match c {
                Change::Enabled(e) => writeln!(out, "enabled = {e}"),
                Change::Action(a) => {
                    writeln!(out, "action = \"{}\"", Render::action(*a))
                }
                Change::Score(s) => {
                    writeln!(out, "score = {}", Render::score(s))
                }
                Change::Message(m) => {
                    writeln!(out, "message = {}", quote(&self.text(m)))
                }
                Change::Terms(ts) => {
                    writeln!(out, "terms = {}", list(&self.some_texts(ts)))
                }
                Change::AddTerms(ts) => {
                    writeln!(out, "add_terms = {}", list(&self.some_texts(ts)))
                }
                Change::AddAllow(hs) => {
                    writeln!(out, "add_allow = {}", list(&self.hosts(hs)))
                }
                Change::AddDeny(hs) => {
                    writeln!(out, "add_deny = {}", list(&self.hosts(hs)))
                }
                Change::Context(cs) => {
                    writeln!(out, "context = {}", self.context(cs))
                }
                Change::Unless(u) => {
                    writeln!(out, "unless = {}", self.unless(u))
                }
                Change::Locked(l) => writeln!(out, "locked = {l}"),
                Change::ActiveFrom(d) => {
                    writeln!(out, "active_from = \"{}\"", pick(DATES, *d))
                }
                Change::ActiveUntil(d) => {
                    writeln!(out, "active_until = \"{}\"", pick(DATES, *d))
                }
            };
        }
    }

    fn exception(&mut self, out: &mut String, e: &ExceptionSpec) {
        let rules: Vec<String> = e
            .rules
            .iter()
            .take(MAX_ITEMS)
            .map(|i| self.ids[usize::from(*i) % self.ids.len()].clone())
            .collect();
        let categories: Vec<String> = e
            .categories
            .iter()
            .take(MAX_ITEMS)
            .map(|c| pick(CATEGORIES, *c).to_string())
            .collect();
        let patterns = self.patterns(&e.patterns);
        let terms = if patterns.is_empty() {
            self.some_texts(&e.terms)
        } else {
            self.texts(&e.terms)
        };
        let _ = writeln!(
            out,
            "\n[[exceptions]]\nrules = {}\ncategories = {}\nterms = {}\n\
             patterns = {}\nreason = \"fuzz\"",
            list(&rules),
            list(&categories),
            list(&terms),
            list(&patterns)
        );
    }

    fn pack(
        &mut self,
        name: &str,
        extends: Option<&str>,
        spec: &PackSpec,
    ) -> String {
        let level = ["organization", "team", "individual"]
            [usize::from(spec.level % 3)];
        let mut out = format!(
            "[pack]\nname = \"{name}\"\nversion = \"1.0.0\"\n\
             level = \"{level}\"\n"
        );
        if let Some(e) = extends {
            let _ = writeln!(out, "extends = [{}]", quote(e));
        }
        if !spec.locked_categories.is_empty() {
            let cats: Vec<String> = spec
                .locked_categories
                .iter()
                .take(3)
                .map(|c| pick(CATEGORIES, *c).to_string())
                .collect();
            let _ = writeln!(out, "locked_categories = {}", list(&cats));
        }
        if let Some((warn, above, locked)) = spec.thresholds {
            // warn = 0 is refused; so is block < warn (not generated).
            let block = u32::from(warn) + u32::from(above);
            let _ = writeln!(
                out,
                "\n[thresholds]\nwarn = {warn}\nblock = {block}\n\
                 locked = {locked}"
            );
        }
        // Overrides and exceptions name rules of the packs beneath, so
        // they are rendered before this pack's own rules join `ids`.
        for o in spec.overrides.iter().take(4) {
            if !self.ids.is_empty() {
                self.override_(&mut out, o);
            }
        }
        for e in spec.exceptions.iter().take(3) {
            if !self.ids.is_empty() {
                self.exception(&mut out, e);
            }
        }
        let prefix = format!("{name}.r");
        for (i, r) in spec.rules.iter().take(MAX_RULES).enumerate() {
            self.rule(&mut out, &prefix, i, r);
        }
        out
    }

    fn post(&self, p: &Post) -> String {
        let mut post = String::new();
        if !self.own.is_empty() {
            let s = &self.own[usize::from(p.lead) % self.own.len()];
            disguise(&mut post, s, &p.style);
        }
        let mut glue = post.is_empty();
        for p in p.pieces.iter().take(MAX_PIECES) {
            if !glue {
                post.push(' ');
            }
            glue = false;
            match p {
                Piece::Own(i, style) => {
                    if !self.own.is_empty() {
                        let s = &self.own[usize::from(*i) % self.own.len()];
                        disguise(&mut post, s, style);
                    }
                }
                Piece::Word(i) => post.push_str(pick(WORDS, *i)),
                Piece::Number(i) => post.push_str(pick(NUMBERS, *i)),
                Piece::Digits(n, g) => {
                    let group = usize::from(g % 5) + 2;
                    let sep = pick(&[" ", "-", ".", ""], g / 5);
                    for (k, d) in n.to_string().chars().enumerate() {
                        if k > 0 && k % group == 0 {
                            post.push_str(sep);
                        }
                        post.push(d);
                    }
                }
                Piece::Unicode(i) => post.push_str(pick(UNICODE, *i)),
                Piece::Url(h, form) => {
                    let h = pick(HOSTS, *h);
                    let _ = match form % 6 {
                        0 => write!(post, "https://{h}/x"),
                        1 => write!(post, "{h}"),
                        2 => write!(post, "www.{h}"),
                        3 => write!(post, "user@{h}"),
                        4 => write!(post, "http://{h}:8080/a?b=c)"),
                        _ => write!(post, "({h}/path)."),
                    };
                }
                Piece::Separator(i) => {
                    post.push_str(pick(SEPARATORS, *i));
                    glue = true;
                }
                Piece::Glue => glue = true,
                Piece::Raw(s) => post.extend(s.chars().take(32)),
            }
        }
        post
    }
}

fn dates(out: &mut String, from: Option<u8>, until: Option<u8>) {
    if let Some(d) = from {
        let _ = writeln!(out, "active_from = \"{}\"", pick(DATES, d));
    }
    if let Some(d) = until {
        let _ = writeln!(out, "active_until = \"{}\"", pick(DATES, d));
    }
}

/// `s` as an author hiding it from a filter might write it.
fn disguise(post: &mut String, s: &str, style: &Style) {
    match style {
        Style::Plain => post.push_str(s),
        Style::Upper => post.push_str(&s.to_uppercase()),
        Style::Spaced | Style::Dotted => {
            let sep = if matches!(style, Style::Spaced) { ' ' } else { '.' };
            for (k, c) in s.chars().enumerate() {
                if k > 0 {
                    post.push(sep);
                }
                post.push(c);
            }
        }
        Style::Fullwidth => post.extend(s.chars().map(|c| match c {
            '!'..='~' => char::from_u32(u32::from(c) + 0xfee0).unwrap_or(c),
            c => c,
        })),
        Style::Leet => post.extend(s.chars().map(|c| match c {
            'a' => '4',
            'e' => '3',
            'i' => '1',
            'o' => '0',
            's' => '5',
            't' => '7',
            c => c,
        })),
        Style::Repeated => {
            for c in s.chars() {
                post.push(c);
                if c.is_alphabetic() {
                    post.push(c);
                    post.push(c);
                }
            }
        }
        Style::Hashtag => {
            post.push('#');
            post.extend(s.chars().filter(|c| !c.is_whitespace()));
        }
    }
}

/// `data`, decoded with `arbitrary`, as two packs layered (optionally)
/// over a bundled one, and posts. Loading and compiling may fail but must
/// not panic ([`check_error`]); a policy that compiles screens every post
/// and each verdict satisfies [`check_verdict`] (spans inside the post on
/// character boundaries, masked digits hidden, decision at least every
/// action, JSON that parses); screening is deterministic: the posts
/// screened again, in reverse order and through `screen_at` with the
/// screener's own date, give the same JSON; a post over the size limit is
/// refused with an error that does not quote it.
pub fn check_pack_build(data: &[u8]) -> Outcome {
    if data.len() > MAX_INPUT {
        return Outcome::Reject;
    }
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) else {
        return Outcome::Reject;
    };
    let bundled: Vec<&str> = bundled_names().collect();
    let under =
        input.under.is_multiple_of(8).then(|| pick(&bundled, input.under / 8));
    let extends = input
        .extends
        .is_multiple_of(8)
        .then(|| pick(&bundled, input.extends / 8));
    let mut r = Render { own: Vec::new(), ids: Vec::new() };
    for name in under.iter().chain(&extends) {
        r.ids.extend_from_slice(bundled_ids(name));
    }
    let lower = r.pack("fuzz-lower", extends, &input.lower);
    let upper = input.upper.as_ref().map(|u| r.pack("fuzz-upper", None, u));
    let mut posts: Vec<String> =
        input.posts.iter().take(MAX_POSTS).map(|p| r.post(p)).collect();
    if posts.is_empty() {
        let number = Piece::Number(input.now);
        posts.push(r.post(&Post {
            lead: 0,
            style: Style::Plain,
            pieces: vec![number],
        }));
    }

    if debug() {
        eprintln!("lower:\n{lower}\nupper:\n{upper:?}\nposts: {posts:#?}");
    }

    let mut policy = Policy::new();
    if let Some(name) = under {
        policy.add_bundled(name).expect("bundled pack loads");
    }
    for (origin, src) in
        [("lower.toml", Some(&lower)), ("upper.toml", upper.as_ref())]
    {
        let Some(src) = src else { continue };
        let before = policy.packs().len();
        if let Err(e) = policy.add_toml(origin, src) {
            check_error(&e, &[]);
            assert_eq!(
                policy.packs().len(),
                before,
                "a failed add_toml changed the policy: {src}"
            );
        }
    }

    let now: Date = pick(DATES, input.now % 4).parse().expect("valid date");
    let mut builder = Screener::builder();
    builder.now(now).reveal_masked(input.reveal).evasion(input.evasion);
    if let Some(n) = input.limit.filter(|n| n.is_multiple_of(4)) {
        builder.max_post_bytes(usize::from(n));
    }
    // A lock or override error in the top pack should not stop the posts
    // from being screened: fall back to the layers beneath it.
    let mut screener = None;
    for n in [policy.packs().len(), policy.packs().len().saturating_sub(1)] {
        if n == 0 {
            break;
        }
        let layers = policy.first(n);
        match builder.build(&layers) {
            Ok(s) => {
                assert!(
                    layers.effective().is_ok(),
                    "compiles but does not layer:\n{lower}\n{upper:?}"
                );
                screener = Some(s);
                break;
            }
            Err(e) => check_error(&e, &[]),
        }
    }
    if debug() {
        eprintln!("compiled: {}", screener.is_some());
    }
    let Some(screener) = screener else {
        return Outcome::Keep;
    };

    let ctx = || format!("lower:\n{lower}\nupper:\n{upper:?}");
    let screen = |post: &str, v: Result<Verdict, preclear::Error>| match v {
        Ok(v) => {
            assert!(post.len() <= screener.max_post_bytes(), "{}", ctx());
            check_verdict("pack_build", &screener, post, &v, !input.reveal);
            Some(v.to_json("p"))
        }
        Err(e) => {
            assert!(
                post.len() > screener.max_post_bytes()
                    && matches!(e.kind(), ErrorKind::Limit(_)),
                "screening failed: {e}: {}",
                ctx()
            );
            // A short post may be a piece of the message's own words.
            let quoted: &[&str] = if post.len() > 40 { &[post] } else { &[] };
            check_error(&e, quoted);
            None
        }
    };
    let first: Vec<Option<String>> =
        posts.iter().map(|p| screen(p, screener.screen(p))).collect();
    if debug() {
        let fired = first.iter().flatten().filter(|j| j.contains("\"rule\""));
        eprintln!("posts with reasons: {}/{}", fired.count(), posts.len());
    }
    for (post, want) in posts.iter().zip(&first).rev() {
        let again = screen(post, screener.screen_at(post, now));
        assert_eq!(&again, want, "not deterministic on {post:?}: {}", ctx());
    }
    Outcome::Keep
}
