//! Packs rendered to TOML from their specs.

use std::fmt::Write as _;
use std::sync::OnceLock;

use preclear::{bundled_names, Policy};

use super::spec::*;

/// For each bundled pack, the ids of its rules and of the rules of what
/// it extends: targets for overrides and exceptions.
pub(super) fn bundled_ids(name: &str) -> &'static [String] {
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
#[derive(Default)]
pub(super) struct Render {
    /// Terms, words and hosts of the packs, for posts.
    pub(super) own: Vec<String>,
    /// Ids of the rules rendered so far and of the bundled packs.
    pub(super) ids: Vec<String>,
    /// Concepts the packs beneath define: what `add_terms` can extend.
    pub(super) concepts: Vec<String>,
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
                    window(&c.window),
                    c.score,
                    c.required.is_multiple_of(4)
                )
            })
            .collect();
        format!("[{}]", entries.join(", "))
    }

    fn unless(&mut self, u: &UnlessSpec) -> String {
        let words = list(&self.some_texts(&u.words));
        match &u.window {
            Some(w) => {
                format!("{{ words = {words}, window = {} }}", window(w))
            }
            None => format!("{{ words = {words} }}"),
        }
    }

    /// `[concepts.NAME]`: a new concept, or words added to one beneath.
    /// Writes the table to `out` and returns the concept's name.
    fn concept(&mut self, out: &mut String, c: &ConceptSpec) -> String {
        // Adding to a concept beneath (one in four when there is one);
        // otherwise defining one.
        if c.add.is_multiple_of(4) && !self.concepts.is_empty() {
            let name = self.concepts
                [usize::from(c.name) % self.concepts.len()]
            .clone();
            let _ = writeln!(out, "\n[concepts.{name}]");
            let terms = self.some_texts(&c.terms);
            let _ = writeln!(out, "add_terms = {}", list(&terms));
            return name;
        }
        let name = pick(CONCEPTS, c.name);
        let _ = writeln!(out, "\n[concepts.{name}]");
        let entities: Vec<String> = c
            .entities
            .iter()
            .take(3)
            .map(|e| pick(ENTITIES, *e).to_string())
            .collect();
        let patterns = self.patterns(&c.patterns);
        let terms = if entities.is_empty() && patterns.is_empty() {
            self.some_texts(&c.terms)
        } else {
            self.texts(&c.terms)
        };
        let _ = writeln!(
            out,
            "terms = {}\nentities = {}\npatterns = {}",
            list(&terms),
            list(&entities),
            list(&patterns)
        );
        if let Some(l) = c.inflect {
            let _ = writeln!(out, "inflect = {}", quote(pick(LANGUAGES, l)));
        }
        name.to_string()
    }

    /// `negated`, `quoted` and `reported`, those given.
    fn stance(out: &mut String, s: &StanceSpec) {
        for (key, v) in [
            ("negated", s.negated),
            ("quoted", s.quoted),
            ("reported", s.reported),
        ] {
            if let Some(v) = v {
                let _ = writeln!(out, "{key} = {}", quote(pick(STANCES, v)));
            }
        }
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
        self.kind(out, r, twist, &raw);
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
        if let Some(st) = &r.stance {
            Render::stance(out, st);
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

    /// The `kind` of a rule and the keys that belong to it.
    fn kind(&mut self, out: &mut String, r: &RuleSpec, twist: u8, raw: &str) {
        match &r.kind {
            Kind::Terms(ts) => {
                let ts = self.some_texts(ts);
                let _ =
                    writeln!(out, "kind = \"terms\"\nterms = {}", list(&ts));
                if let Some(l) = r.inflect {
                    let _ = writeln!(
                        out,
                        "inflect = {}",
                        quote(pick(LANGUAGES, l))
                    );
                }
            }
            Kind::Pattern(atoms, v) => {
                let mut p = self.pattern(atoms);
                if p.is_empty() {
                    p = r"\d{4}".into();
                }
                // A random string as a regex: mostly invalid.
                if twist == 2 {
                    p.push_str(raw);
                }
                let _ = writeln!(
                    out,
                    "kind = \"pattern\"\npattern = {}",
                    quote(&p)
                );
                let v = match (twist, v) {
                    (3, _) => Some(raw),
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
            Kind::Near { near, within, scope, ordered } => {
                // Mostly concepts that exist; one name in four from the
                // fixed list, which may not.
                let known = &self.concepts;
                let mut names: Vec<String> = near
                    .iter()
                    .take(4)
                    .map(|&c| match known.len() {
                        n if n > 0 && c % 4 != 0 => {
                            known[usize::from(c) % n].clone()
                        }
                        _ => pick(CONCEPTS, c).to_string(),
                    })
                    .collect();
                if names.is_empty() {
                    names.push(CONCEPTS[0].to_string());
                }
                let _ =
                    writeln!(out, "kind = \"near\"\nnear = {}", list(&names));
                if let Some(w) = within {
                    let _ = writeln!(out, "within = {}", w % 20);
                }
                if let Some(sc) = scope {
                    let _ =
                        writeln!(out, "scope = {}", quote(pick(SCOPES, *sc)));
                }
                if let Some(o) = ordered {
                    let _ = writeln!(out, "ordered = {o}");
                }
            }
            Kind::Score { weights, bias, threshold } => {
                // Inline: a `[rules.weights]` table would take the keys
                // written after it. A phrase given twice is a TOML error,
                // as in a pack; big values test the ±1000 limit.
                // One phrase in five is a concept (`@name`) when there is
                // one, so that concept features are built and screened.
                let known = self.concepts.clone();
                let entries: Vec<String> = weights
                    .iter()
                    .take(MAX_ITEMS)
                    .map(|(t, w)| {
                        let phrase = match known.len() {
                            n if n > 0 && w % 5 == 0 => format!(
                                "@{}",
                                known[usize::from(w.unsigned_abs()) % n]
                            ),
                            _ => self.text(t),
                        };
                        format!("{} = {}", quote(&phrase), tenths(*w))
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "kind = \"score\"\nbias = {}\nthreshold = {}\n\
                     weights = {{ {} }}",
                    tenths(*bias),
                    tenths(*threshold),
                    entries.join(", ")
                );
            }
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
                Change::Stance(st) => {
                    Render::stance(out, st);
                    Ok(())
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
        if let Some(w) = &e.window {
            let _ = writeln!(out, "window = {}", window(w));
        }
    }

    pub(super) fn pack(
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
        // A table given twice is a TOML error: the first of a name wins
        // (the others are still rendered, so they draw the same strings).
        let mut seen: Vec<String> = Vec::new();
        let beneath = self.concepts.len();
        for c in spec.concepts.iter().take(4) {
            let mut table = String::new();
            let name = self.concept(&mut table, c);
            if !seen.contains(&name) {
                out.push_str(&table);
                seen.push(name);
            }
        }
        // Concepts this pack defines can be added to by the next.
        for name in seen {
            if !self.concepts[..beneath].contains(&name) {
                self.concepts.push(name);
            }
        }
        let prefix = format!("{name}.r");
        for (i, r) in spec.rules.iter().take(MAX_RULES).enumerate() {
            self.rule(&mut out, &prefix, i, r);
        }
        out
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

/// A window as TOML: a number of words (three in four) or a scope.
fn window(w: &Window) -> String {
    match w.0 % 16 {
        n @ 0..12 => n.to_string(),
        n => quote(pick(SCOPES, n)),
    }
}

/// `v` tenths as a TOML float.
fn tenths(v: i16) -> String {
    format!("{:.1}", f64::from(v) / 10.0)
}
