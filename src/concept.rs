//! Concepts: named, reusable lists of terms, built-in entities and
//! patterns that proximity (`near`) rules combine ("certainty near
//! return"), and inflection, which expands a term into its forms when the
//! pack loads so matching them costs nothing more at run time.
//!
//! A pack defines `[concepts.NAME]`; a later pack in the stack may add
//! terms to it with `add_terms` (and nothing else), and defining a name an
//! earlier pack defined is an error, so no pack silently replaces a
//! concept another pack's rules rely on.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::entity::{Entity, ENTITIES};
use crate::error::{Error, ErrorKind};
use crate::pack::{did_you_mean, Pack, Scope};

/// The languages `inflect` knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Inflect {
    /// English: `guarantee` → `guarantees`, `guaranteed`, `guaranteeing`.
    En,
    /// Spanish: `garantizado` → `garantizada`, `garantizados`…
    Es,
    /// German: `garantiert` → `garantierte`, `garantierten`…
    De,
}

impl Inflect {
    /// `"en"`, `"es"` or `"de"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Inflect::En => "en",
            Inflect::Es => "es",
            Inflect::De => "de",
        }
    }

    fn by_name(name: &str) -> Option<Inflect> {
        match name {
            "en" => Some(Inflect::En),
            "es" => Some(Inflect::Es),
            "de" => Some(Inflect::De),
            _ => None,
        }
    }
}

/// `[concepts.NAME]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConcept {
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default)]
    add_terms: Vec<String>,
    #[serde(default)]
    entities: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    inflect: Option<Languages>,
}

/// `inflect = "es"` or `inflect = ["en", "es", "de"]`: a concept holds
/// the three languages' terms in one list, so it may inflect in all.
pub(crate) type Languages = Spanned<OneOrMany>;

/// One language or a list of them, as written.
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// The languages `inflect` names, or an error at it for an unknown one.
pub(crate) fn languages(
    langs: Languages,
    invalid: impl Fn(String, usize) -> Error,
) -> Result<Vec<Inflect>, Error> {
    let at = langs.span().start;
    let names = match langs.into_inner() {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    };
    let mut out = Vec::with_capacity(names.len());
    for name in &names {
        let lang = Inflect::by_name(name).ok_or_else(|| {
            invalid(
                format!(
                    "unknown language '{name}' for `inflect` (expected en, \
                     es or de)"
                ),
                at,
            )
        })?;
        if !out.contains(&lang) {
            out.push(lang);
        }
    }
    Ok(out)
}

impl RawConcept {
    /// Its terms, as the pack limits count them.
    pub(crate) fn term_count(&self) -> usize {
        self.terms.len() + self.add_terms.len()
    }

    /// Its patterns, as written.
    pub(crate) fn patterns(&self) -> &[Spanned<String>] {
        &self.patterns
    }
}

/// The concepts of a pack file, by name.
pub(crate) type RawConcepts = BTreeMap<String, Spanned<RawConcept>>;

/// A concept of a pack: terms (with their forms when `inflect` is set),
/// built-in entities and patterns, any of which is an occurrence of it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Concept {
    /// Its name, which `near` rules use.
    pub name: String,
    /// The terms as written (`add_terms` for an addition).
    pub terms: Vec<String>,
    /// Built-in entities: `percent`, `money`, `date`, `ticker`, `url`,
    /// `email`, `phone`, `address`, `seed_phrase`, `person`, `password`.
    pub entities: Vec<String>,
    /// Regular expressions (run only on posts where a near rule could
    /// fire).
    pub patterns: Vec<String>,
    /// Expand each term into its inflected forms in these languages.
    pub inflect: Vec<Inflect>,
    /// True for `add_terms`: an addition to an earlier pack's concept.
    pub adds: bool,
    /// 1-based line and column of the concept's table in the pack file.
    pub position: (usize, usize),
}

impl Concept {
    /// Every term with its forms, as matched.
    pub fn forms(&self) -> Vec<String> {
        all_forms(&self.terms, &self.inflect)
    }
}

/// Concepts per pack at most, and terms per concept: the same bounds as
/// rules and terms (`crate::limits`), so concepts add no new way to make a
/// pack costly.
const MAX_CONCEPTS: usize = 1_000;

/// Checks a pack's concepts; `error` locates an error at a byte offset of
/// the file, `checked_regex` checks a pattern's syntax.
pub(crate) fn check(
    raw: RawConcepts,
    position: impl Fn(usize) -> (usize, usize),
    error: impl Fn(ErrorKind, usize) -> Error,
    checked_regex: impl Fn(Spanned<String>) -> Result<String, Error>,
) -> Result<Vec<Concept>, Error> {
    let mut out = Vec::with_capacity(raw.len());
    let invalid = |m: String, at: usize| error(ErrorKind::InvalidPack(m), at);
    for (i, (name, spanned)) in raw.into_iter().enumerate() {
        let at = spanned.span().start;
        if i >= MAX_CONCEPTS {
            let m = format!("over {MAX_CONCEPTS} concepts in one pack");
            return Err(error(ErrorKind::Limit(m), at));
        }
        let c = spanned.into_inner();
        if !is_name(&name) {
            return Err(invalid(
                format!(
                    "concept name '{name}' must be lower-case letters, \
                     digits, '_' or '-'"
                ),
                at,
            ));
        }
        let adds = !c.add_terms.is_empty();
        let defines = !c.terms.is_empty()
            || !c.entities.is_empty()
            || !c.patterns.is_empty();
        if adds && defines {
            return Err(invalid(
                format!(
                    "concept `{name}`: `add_terms` adds to an earlier pack's \
                     concept and takes no `terms`, `entities` or `patterns`"
                ),
                at,
            ));
        }
        if !adds && !defines {
            return Err(invalid(
                format!(
                    "concept `{name}` needs `terms`, `entities` or `patterns`"
                ),
                at,
            ));
        }
        let terms = if adds { c.add_terms } else { c.terms };
        if terms.len() > crate::limits::MAX_TERMS_PER_RULE {
            let m = format!("concept `{name}` has too many terms");
            return Err(error(ErrorKind::Limit(m), at));
        }
        if let Some(t) = terms.iter().find(|t| blank(t)) {
            return Err(invalid(
                format!("concept `{name}`: term {t:?} has nothing to match"),
                at,
            ));
        }
        let mut entities = Vec::with_capacity(c.entities.len());
        for e in c.entities {
            if Entity::by_name(e.get_ref()).is_none() {
                let hint = did_you_mean(e.get_ref(), ENTITIES.map(|(n, _)| n));
                let list = ENTITIES.map(|(n, _)| n).join(", ");
                return Err(invalid(
                    format!(
                        "unknown entity '{}'{hint} (the built-in entities \
                         are {list})",
                        e.get_ref()
                    ),
                    e.span().start,
                ));
            }
            entities.push(e.into_inner());
        }
        let inflect = match c.inflect {
            None => Vec::new(),
            Some(langs) => languages(langs, invalid)?,
        };
        let patterns = c
            .patterns
            .into_iter()
            .map(&checked_regex)
            .collect::<Result<_, _>>()?;
        out.push(Concept {
            name,
            terms,
            entities,
            patterns,
            inflect,
            adds,
            position: position(at),
        });
    }
    Ok(out)
}

/// `scope = "…"` of a near rule: the clause, the sentence or the post
/// (a number of words is `within`). `sentence-and-previous` is a window's
/// reach back from a hit; a chain has no direction to reach back in.
pub(crate) fn scope_named(
    s: &Spanned<String>,
    invalid: impl Fn(String, usize) -> Error,
) -> Result<Scope, Error> {
    match Scope::from_name(s.get_ref()) {
        Some(Scope::SentenceAndPrevious) => Err(invalid(
            "scope 'sentence-and-previous' is for the windows of context, \
             unless and exceptions; a near rule's scope is clause, sentence \
             or post"
                .into(),
            s.span().start,
        )),
        Some(scope) => Ok(scope),
        None => Err(invalid(
            format!(
                "unknown scope '{}' (expected clause, sentence or post)",
                s.get_ref(),
            ),
            s.span().start,
        )),
    }
}

pub(crate) fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_lowercase()
                || b.is_ascii_digit()
                || b == b'_'
                || b == b'-'
        })
}

fn blank(word: &str) -> bool {
    crate::normalize::normalize_term(word, crate::normalize::Form::Full)
        .trim()
        .is_empty()
}

/// A concept of the policy, with the additions of later packs.
#[derive(Clone, Debug)]
pub(crate) struct Resolved {
    pub(crate) name: String,
    /// The pack that defined it.
    pub(crate) pack: String,
    /// Where: the pack's file (or name) and the definition's line and
    /// column, for errors found when the screener compiles.
    pub(crate) origin: String,
    pub(crate) position: (usize, usize),
    /// Every term with its forms.
    pub(crate) forms: Vec<String>,
    /// Entity bits (`Entity::bit`).
    pub(crate) entities: u16,
    pub(crate) patterns: Vec<String>,
    /// `(pack, terms)` added by later packs.
    pub(crate) added: Vec<(String, Vec<String>)>,
}

/// The policy's concepts, most general pack first: a later pack's
/// `add_terms` joins the concept; a second definition is an error at it.
pub(crate) fn resolve(packs: &[Pack]) -> Result<Vec<Resolved>, Error> {
    let mut out: Vec<Resolved> = Vec::new();
    for pack in packs {
        for c in &pack.concepts {
            let at = c.position;
            let located = |m: String| {
                Error::new(ErrorKind::InvalidPack(m))
                    .with_pack(pack.origin.clone())
                    .with_position(at.0, at.1)
            };
            let known = out.iter().position(|r| r.name == c.name);
            match (known, c.adds) {
                (Some(i), true) => {
                    out[i].forms.extend(c.forms());
                    out[i].added.push((pack.name.clone(), c.terms.clone()));
                }
                (None, true) => {
                    let hint = did_you_mean(
                        &c.name,
                        out.iter().map(|r| r.name.as_str()),
                    );
                    return Err(located(format!(
                        "`add_terms` to concept `{}`, which no earlier pack \
                         defines{hint}",
                        c.name
                    )));
                }
                (Some(i), false) => {
                    return Err(located(format!(
                        "concept `{}` is already defined by pack '{}' (a \
                         later pack adds to it with `add_terms`)",
                        c.name, out[i].pack
                    )));
                }
                (None, false) => out.push(Resolved {
                    name: c.name.clone(),
                    pack: pack.name.clone(),
                    origin: pack.origin.clone(),
                    position: at,
                    forms: c.forms(),
                    entities: c
                        .entities
                        .iter()
                        .filter_map(|e| Entity::by_name(e))
                        .fold(0, |bits, e| bits | e.bit()),
                    patterns: c.patterns.clone(),
                    added: Vec::new(),
                }),
            }
        }
    }
    Ok(out)
}

/// Every term of `terms` with its inflected forms in each of `langs`:
/// then sorted and without duplicates (sorted once at the end, not after
/// each term, which made a concept of a thousand forms cost milliseconds
/// to compile).
pub(crate) fn all_forms(terms: &[String], langs: &[Inflect]) -> Vec<String> {
    let mut out = Vec::with_capacity(terms.len() * (1 + 4 * langs.len()));
    for t in terms {
        out.push(t.clone());
        for &lang in langs {
            push_forms(t, lang, &mut out);
        }
    }
    if !langs.is_empty() {
        out.sort_unstable();
        out.dedup();
    }
    out
}

/// The inflected forms of `term` in `lang`, to `out` (unsorted:
/// [`all_forms`] sorts). In a phrase the first and the last word inflect
/// (`lock in` → `locked in`, `guaranteed return` → `guaranteed returns`).
fn push_forms(term: &str, lang: Inflect, out: &mut Vec<String>) {
    let words: Vec<&str> = term.split(' ').collect();
    let last = words.len() - 1;
    let firsts = word_forms(words[0], lang);
    let lasts =
        if last > 0 { word_forms(words[last], lang) } else { Vec::new() };
    let rest = |from: usize, to: usize| words[from..to].join(" ");
    for f in &firsts {
        let mut s = f.clone();
        if last > 0 {
            s.push(' ');
            s.push_str(&rest(1, last + 1));
        }
        out.push(s);
    }
    for l in &lasts {
        let head = rest(0, last);
        out.push(format!("{head} {l}"));
    }
}

/// The inflected forms of one word (the word itself not included).
/// Regular endings only: an irregular form (`won`, `sold`) is listed in
/// the terms by hand.
pub(crate) fn word_forms(w: &str, lang: Inflect) -> Vec<String> {
    // A hyphenated compound (`b-side`, `pre-order`) inflects its last part.
    if let Some((head, tail)) = w.rsplit_once('-') {
        return word_forms(tail, lang)
            .into_iter()
            .map(|f| format!("{head}-{f}"))
            .collect();
    }
    let mut v = Vec::new();
    // Digits, symbols and one-letter words do not inflect.
    if w.chars().count() < 2 || !w.chars().all(char::is_alphabetic) {
        return v;
    }
    let stem = |n: usize| &w[..w.len() - n];
    match lang {
        Inflect::En => {
            if w.ends_with("ee") || w.ends_with("ye") || w.ends_with("oe") {
                v.extend([
                    w.to_string() + "s",
                    w.to_string() + "d",
                    w.to_string() + "ing",
                ]);
            } else if w.ends_with('e') {
                v.extend([
                    w.to_string() + "s",
                    w.to_string() + "d",
                    stem(1).to_string() + "ing",
                ]);
            } else if w.ends_with('y') && !ends_vowel_y(w) {
                v.extend([
                    stem(1).to_string() + "ies",
                    stem(1).to_string() + "ied",
                    w.to_string() + "ing",
                ]);
            } else if ["s", "x", "z", "ch", "sh"]
                .iter()
                .any(|e| w.ends_with(e))
            {
                v.extend([
                    w.to_string() + "es",
                    w.to_string() + "ed",
                    w.to_string() + "ing",
                ]);
            } else {
                v.extend([
                    w.to_string() + "s",
                    w.to_string() + "ed",
                    w.to_string() + "ing",
                ]);
                if let Some(d) = doubled(w) {
                    v.extend([format!("{w}{d}ed"), format!("{w}{d}ing")]);
                }
            }
        }
        // A word that looks like an infinitive takes verb forms too: it
        // may be a noun (`konzern`, `vermogen`, `titular`) that needs its
        // own endings.
        Inflect::Es => {
            es_verb(w, &mut v);
            if let Some(s) = w.strip_suffix('o') {
                v.extend([
                    format!("{s}a"),
                    format!("{s}os"),
                    format!("{s}as"),
                ]);
            } else if w.ends_with(['a', 'e']) {
                v.push(format!("{w}s"));
            } else {
                v.push(format!("{w}es"));
            }
        }
        Inflect::De => {
            de_verb(w, &mut v);
            for e in ["e", "en", "er", "es", "em", "n", "s"] {
                if !(w.ends_with('e') && e.starts_with('e')) {
                    v.push(format!("{w}{e}"));
                }
            }
        }
    }
    v
}

/// A regular Spanish verb's forms from its infinitive (`duplicar` →
/// `duplico`, `duplicas`, `duplicaras`, `duplique`, `duplicando`,
/// `duplicado` …), without accents as the normal form writes them. Words
/// of four letters or fewer (`ser`, `mar`) are left alone.
fn es_verb(w: &str, v: &mut Vec<String>) {
    if w.len() < 5 || !w.is_ascii() {
        return;
    }
    let (stem, class) = w.split_at(w.len() - 2);
    // The stem before `e`: `c` → `qu`, `g` → `gu`, `z` → `c`.
    let soft = |stem: &str| -> String {
        for (from, to) in [("c", "qu"), ("g", "gu"), ("z", "c")] {
            if let Some(s) = stem.strip_suffix(from) {
                return format!("{s}{to}");
            }
        }
        stem.to_string()
    };
    let e = match class {
        "ar" => &AR,
        "er" | "ir" => &ER_IR,
        _ => return,
    };
    for end in e.present.iter().chain(e.past).chain(e.imperfect) {
        v.push(format!("{stem}{end}"));
    }
    let before_e = if class == "ar" { soft(stem) } else { stem.to_string() };
    for end in e.subjunctive {
        v.push(format!("{before_e}{end}"));
    }
    // Future and conditional: on the infinitive.
    for end in
        ["e", "as", "a", "emos", "eis", "an", "ia", "ias", "iamos", "ian"]
    {
        v.push(format!("{w}{end}"));
    }
    v.push(format!("{stem}{}", e.gerund));
    for end in ["o", "a", "os", "as"] {
        v.push(format!("{stem}{}{end}", e.participle));
    }
}

/// The endings of a Spanish verb class, after the stem.
struct Endings {
    present: &'static [&'static str],
    past: &'static [&'static str],
    imperfect: &'static [&'static str],
    subjunctive: &'static [&'static str],
    gerund: &'static str,
    /// The participle before its gender and number (`-ad-o`).
    participle: &'static str,
}

const AR: Endings = Endings {
    present: &["o", "as", "a", "amos", "ais", "an"],
    past: &["aste", "o", "asteis", "aron"],
    imperfect: &["aba", "abas", "abamos", "abais", "aban"],
    subjunctive: &["e", "es", "emos", "eis", "en"],
    gerund: "ando",
    participle: "ad",
};

/// `-er` and `-ir` differ in two present forms; both are listed.
const ER_IR: Endings = Endings {
    present: &["o", "es", "e", "emos", "imos", "eis", "is", "en"],
    past: &["i", "iste", "io", "isteis", "ieron"],
    imperfect: &["ia", "ias", "iamos", "iais", "ian"],
    subjunctive: &["a", "as", "amos", "ais", "an"],
    gerund: "iendo",
    participle: "id",
};

/// A regular (weak) German verb's forms from its infinitive
/// (`verdoppeln` → `verdoppelt`, `verdopple`, `verdoppelte` …; `sichern`
/// → `sichert`, `gesichert`), as the normal form writes them. Words of
/// four letters or fewer are left alone.
fn de_verb(w: &str, v: &mut Vec<String>) {
    if w.len() < 5 || !w.ends_with('n') {
        return;
    }
    // `-eln`, `-ern`: the stem keeps its `e` (`verdoppel-t`), and the
    // first person drops it (`verdopple`).
    let el = w.ends_with("eln") || w.ends_with("ern");
    let stem = if el {
        &w[..w.len() - 1]
    } else if let Some(s) = w.strip_suffix("en") {
        s
    } else {
        return;
    };
    // `arbeit-et`, `rechn-et`, `atm-et`: an `e` before `t` and `st` after
    // `t`, `d`, or `m`/`n` after another consonant (not `lernt`, `wohnt`;
    // `ch` is a consonant).
    let b = stem.as_bytes();
    let n = b.len();
    let nasal = n >= 3
        && matches!(b[n - 1], b'm' | b'n')
        && !b"aeiouylrmn".contains(&b[n - 2])
        && (b[n - 2] != b'h' || b[n - 3] == b'c');
    let e =
        if !el && (stem.ends_with(['t', 'd']) || nasal) { "e" } else { "" };
    for end in ["st", "t", "te", "test", "ten", "tet"] {
        v.push(format!("{stem}{e}{end}"));
    }
    if el {
        let (head, tail) = w[..w.len() - 1].split_at(w.len() - 3);
        v.push(format!("{head}{}e", &tail[1..]));
    } else {
        v.push(format!("{stem}e"));
    }
    // The participle: `ge-` unless the verb has an unstressed prefix or
    // ends in `-ieren` (then it is the third person, listed above).
    const PREFIXES: [&str; 8] =
        ["be", "ge", "er", "ver", "zer", "ent", "emp", "miss"];
    if !PREFIXES.iter().any(|p| w.starts_with(p)) && !w.ends_with("ieren") {
        v.push(format!("ge{stem}{e}t"));
    }
}

fn ends_vowel_y(w: &str) -> bool {
    w.len() >= 2
        && matches!(w.as_bytes()[w.len() - 2], b'a' | b'e' | b'o' | b'u')
}

/// The consonant a short word doubles before `-ed`/`-ing` (`win` →
/// `winning`, `top` → `topped`): one vowel between consonants.
fn doubled(w: &str) -> Option<char> {
    let b = w.as_bytes();
    let vowel = |c: u8| b"aeiou".contains(&c);
    let n = b.len();
    ((3..=4).contains(&n)
        && !vowel(b[n - 1])
        && !b"wxy".contains(&b[n - 1])
        && vowel(b[n - 2])
        && !vowel(b[n - 3]))
    .then(|| b[n - 1] as char)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_inflect_by_language() {
        let cases: &[(&str, Inflect, &[&str])] = &[
            (
                "guarantee",
                Inflect::En,
                &["guarantees", "guaranteed", "guaranteeing"],
            ),
            ("promise", Inflect::En, &["promises", "promised", "promising"]),
            ("double", Inflect::En, &["doubles", "doubled", "doubling"]),
            ("lock", Inflect::En, &["locks", "locked", "locking"]),
            (
                "win",
                Inflect::En,
                &["wins", "wined", "wining", "winned", "winning"],
            ),
            ("rely", Inflect::En, &["relies", "relied", "relying"]),
            ("pay", Inflect::En, &["pays", "payed", "paying"]),
            ("cash", Inflect::En, &["cashes", "cashed", "cashing"]),
            (
                "garantizado",
                Inflect::Es,
                &["garantizada", "garantizados", "garantizadas"],
            ),
            ("rentabilidad", Inflect::Es, &["rentabilidades"]),
            (
                "garantiert",
                Inflect::De,
                &[
                    "garantierte",
                    "garantierten",
                    "garantierter",
                    "garantiertes",
                    "garantiertem",
                    "garantiertn",
                    "garantierts",
                ],
            ),
            ("rendite", Inflect::De, &["renditen", "rendites"]),
            ("6%", Inflect::En, &[]),
            ("x", Inflect::En, &[]),
            // A compound inflects its last part; a trailing or lone
            // hyphen leaves nothing to inflect.
            ("b-side", Inflect::En, &["b-sides", "b-sided", "b-siding"]),
            ("pre-", Inflect::En, &[]),
            ("-", Inflect::En, &[]),
        ];
        for (w, lang, want) in cases {
            assert_eq!(word_forms(w, *lang), *want, "{w}");
        }
    }

    #[test]
    fn verbs_conjugate_from_their_infinitive() {
        let cases: &[(&str, Inflect, &[&str])] = &[
            (
                "duplicar",
                Inflect::Es,
                &[
                    "duplico",
                    "duplicas",
                    "duplicamos",
                    "duplicaron",
                    "dupliquen",
                    "duplique",
                    "duplicaras",
                    "duplicaria",
                    "duplicando",
                    "duplicado",
                    "duplicadas",
                ],
            ),
            ("garantizar", Inflect::Es, &["garanticemos", "garantizamos"]),
            ("perder", Inflect::Es, &["perdemos", "perdido", "perderas"]),
            ("recibir", Inflect::Es, &["recibimos", "recibiras", "reciba"]),
            (
                "verdoppeln",
                Inflect::De,
                &["verdoppelt", "verdopple", "verdoppelte", "verdoppelst"],
            ),
            ("sichern", Inflect::De, &["sichert", "gesichert"]),
            ("garantieren", Inflect::De, &["garantiert", "garantierte"]),
            ("verdienen", Inflect::De, &["verdient", "verdienst"]),
            ("arbeiten", Inflect::De, &["arbeitet", "gearbeitet"]),
            ("rechnen", Inflect::De, &["rechnet", "gerechnet"]),
            ("lernen", Inflect::De, &["lernt", "gelernt"]),
            ("wohnen", Inflect::De, &["wohnt", "gewohnt"]),
            ("konzern", Inflect::De, &["konzerne", "konzerns"]),
            ("titular", Inflect::Es, &["titulares"]),
        ];
        for (w, lang, want) in cases {
            let got = word_forms(w, *lang);
            for f in *want {
                assert!(got.iter().any(|g| g == f), "{w}: no {f} in {got:?}");
            }
        }
        // Short words and words that are no infinitive get no verb forms.
        assert!(!word_forms("ser", Inflect::Es).contains(&"so".into()));
        assert!(!word_forms("mar", Inflect::Es).contains(&"mo".into()));
        assert!(!word_forms("verdienen", Inflect::De)
            .contains(&"geverdient".into()));
        assert!(!word_forms("garantiert", Inflect::De)
            .contains(&"garantiertt".into()));
    }

    #[test]
    fn a_concept_inflects_in_several_languages() {
        let terms = ["guarantee".to_string(), "duplicar".to_string()];
        let out = all_forms(&terms, &[Inflect::En, Inflect::Es]);
        for f in ["guaranteed", "duplicaras", "duplicar", "guarantee"] {
            assert!(out.contains(&f.to_string()), "{f}: {out:?}");
        }
    }

    #[test]
    fn phrases_inflect_their_first_and_last_words() {
        let out = all_forms(&["lock in".to_string()], &[Inflect::En]);
        for f in ["lock in", "locked in", "locking in", "locks in", "lock ins"]
        {
            assert!(out.contains(&f.to_string()), "{f}: {out:?}");
        }
        let plain = all_forms(&["lock in".to_string()], &[]);
        assert_eq!(plain, ["lock in"]);
    }
}
