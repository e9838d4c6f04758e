//! Stage 1 of loading a pack: serde structs that mirror the TOML file as
//! written, holding strings and spans only (checked in `check`).

use serde::Deserialize;
use toml::Spanned;

use super::plain::plain;
use super::rule::{Context, Example, Level, Suggestion, Thresholds, Unless};
use crate::error::{Error, ErrorKind};
use crate::stance::StanceAction;
use crate::text::Positions;
use crate::verdict::Decision;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPack {
    pub(super) pack: RawMeta,
    pub(super) thresholds: Option<Spanned<Thresholds>>,
    #[serde(default)]
    pub(super) rules: Vec<Spanned<RawRule>>,
    #[serde(default)]
    pub(super) exceptions: Vec<Spanned<RawException>>,
    #[serde(default)]
    pub(super) overrides: Vec<Spanned<RawOverride>>,
    #[serde(default)]
    pub(super) examples: Vec<Spanned<Example>>,
    #[serde(default)]
    pub(super) concepts: crate::concept::RawConcepts,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMeta {
    pub(super) name: Spanned<String>,
    pub(super) version: String,
    #[serde(default)]
    pub(super) description: String,
    #[serde(default)]
    pub(super) level: Level,
    #[serde(default)]
    pub(super) extends: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) locked_categories: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    pub(super) id: Spanned<String>,
    pub(super) kind: Spanned<String>,
    #[serde(default)]
    pub(super) terms: Vec<String>,
    pub(super) pattern: Option<Spanned<String>>,
    pub(super) validator: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) category: String,
    #[serde(default)]
    pub(super) score: u32,
    #[serde(default)]
    pub(super) action: Decision,
    #[serde(default)]
    pub(super) message: String,
    pub(super) suggest: Option<Spanned<Suggestion>>,
    #[serde(default = "yes")]
    pub(super) enabled: bool,
    #[serde(default)]
    pub(super) locked: bool,
    #[serde(default)]
    pub(super) mask: bool,
    #[serde(default = "yes")]
    pub(super) whole_word: bool,
    #[serde(default = "yes")]
    pub(super) evasion: bool,
    #[serde(default)]
    pub(super) context: Vec<Context>,
    pub(super) unless: Option<Unless>,
    pub(super) active_from: Option<Spanned<String>>,
    pub(super) active_until: Option<Spanned<String>>,
    pub(super) trigger: Option<RawMatchers>,
    pub(super) require: Option<RawMatchers>,
    #[serde(default)]
    pub(super) allow: Vec<String>,
    #[serde(default)]
    pub(super) deny: Vec<String>,
    #[serde(default)]
    pub(super) protect: Vec<String>,
    /// What a negated, quoted or reported hit does (see `stance`).
    #[serde(default)]
    pub(super) negated: StanceAction,
    #[serde(default)]
    pub(super) quoted: StanceAction,
    #[serde(default)]
    pub(super) reported: StanceAction,
    /// A near rule's concepts, and how close they must be.
    #[serde(default)]
    pub(super) near: Vec<String>,
    pub(super) within: Option<u32>,
    pub(super) scope: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) ordered: bool,
    /// Expand a terms rule's terms into their forms in these languages.
    pub(super) inflect: Option<crate::concept::Languages>,
    /// A score rule's phrases and their weights, bias and threshold.
    pub(super) weights:
        Option<Spanned<std::collections::BTreeMap<String, f64>>>,
    /// A score rule's character n-grams: `[weight, idf]` each.
    pub(super) grams:
        Option<Spanned<std::collections::BTreeMap<String, [f64; 2]>>>,
    pub(super) bias: Option<Spanned<f64>>,
    pub(super) threshold: Option<Spanned<f64>>,
}

/// `trigger = {…}` / `require = {…}` of a required rule.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMatchers {
    #[serde(default)]
    pub(super) terms: Vec<String>,
    #[serde(default)]
    pub(super) patterns: Vec<Spanned<String>>,
    /// Only for `require`: the element must start within the first N
    /// characters of the post.
    pub(super) within: Option<u32>,
}

/// `[[overrides]]`: a later pack's change to earlier rules.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOverride {
    pub(super) rule: Option<String>,
    pub(super) category: Option<String>,
    pub(super) enabled: Option<bool>,
    pub(super) action: Option<Decision>,
    pub(super) score: Option<u32>,
    pub(super) message: Option<String>,
    pub(super) suggest: Option<Spanned<Suggestion>>,
    pub(super) terms: Option<Vec<String>>,
    #[serde(default)]
    pub(super) add_terms: Vec<String>,
    #[serde(default)]
    pub(super) add_allow: Vec<String>,
    #[serde(default)]
    pub(super) add_deny: Vec<String>,
    pub(super) context: Option<Vec<Context>>,
    pub(super) unless: Option<Unless>,
    pub(super) locked: Option<bool>,
    pub(super) active_from: Option<Spanned<String>>,
    pub(super) active_until: Option<Spanned<String>>,
    pub(super) negated: Option<StanceAction>,
    pub(super) quoted: Option<StanceAction>,
    pub(super) reported: Option<StanceAction>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawException {
    #[serde(default)]
    pub(super) rules: Vec<String>,
    #[serde(default)]
    pub(super) categories: Vec<String>,
    #[serde(default)]
    pub(super) terms: Vec<String>,
    #[serde(default)]
    pub(super) patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) concepts: Vec<String>,
    #[serde(default)]
    pub(super) window: Option<super::rule::Scope>,
    #[serde(default)]
    pub(super) reason: String,
}

/// Parses `source` as a pack file; a TOML error is located, names the
/// rule it is in and says what is wrong in plain words.
pub(super) fn parse(
    origin: &str,
    source: &str,
    positions: &Positions,
) -> Result<RawPack, Error> {
    toml::from_str(source).map_err(|e| {
        let message = e.message().trim_end_matches('\n');
        let Some(span) = e.span() else {
            return Error::new(ErrorKind::Toml(plain(message, None)))
                .with_pack(origin);
        };
        let header = enclosing_header(source, span.start);
        let table = header.map(|(_, name)| name);
        let mut err = Error::new(ErrorKind::Toml(plain(message, table)))
            .with_pack(origin);
        let (l, c) = positions.at(span.start);
        err = err.with_position(l, c);
        // Named as the checks name it: a rule by its id, an override by
        // the rule (or category) it changes.
        let named = header.and_then(|(at, name)| match name {
            "rules" => key_value(&source[at..], "id"),
            "overrides" => key_value(&source[at..], "rule").or_else(|| {
                key_value(&source[at..], "category")
                    .map(|c| format!("category {c}"))
            }),
            _ => None,
        });
        if let Some(id) = named {
            err = err.with_rule(id);
        }
        err
    })
}

/// Where the table header (`[pack]`, `[[rules]]`…) above byte `offset` of
/// `source` starts, and the table's name: TOML errors come with a position
/// only, and naming the table and rule makes a typo easy to find.
fn enclosing_header(source: &str, offset: usize) -> Option<(usize, &str)> {
    let before = &source[..offset.min(source.len())];
    let at = before
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .chain(std::iter::once(0))
        .filter(|&i| source[i..].trim_start().starts_with('['))
        .max()?;
    let line = source[at..].trim_start();
    let line = line.split_once('\n').map_or(line, |(l, _)| l);
    let name = line.trim_start_matches('[').split(']').next()?.trim();
    Some((at, name))
}

/// The string value of `key` in the table whose header starts `table`.
fn key_value(table: &str, key: &str) -> Option<String> {
    let body = table.split_once('\n').map_or("", |(_, b)| b);
    for line in body.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            break;
        }
        if let Some(rest) = line.strip_prefix(key) {
            let Some(value) = rest.trim_start().strip_prefix('=') else {
                continue;
            };
            let value = value.trim();
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            return Some(value.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `plain::RULE_KEYS` is the list serde knows.
    #[test]
    fn rule_keys_are_the_raw_rules_fields() {
        let src =
            "[pack]\nname = \"p\"\nversion = \"1\"\n[[rules]]\nzzz = 1\n";
        let Err(e) = toml::from_str::<RawPack>(src) else {
            panic!("an unknown key parsed")
        };
        let message = e.message();
        let listed: Vec<&str> = message
            .split_once("expected one of ")
            .map_or("", |(_, l)| l)
            .split('`')
            .skip(1)
            .step_by(2)
            .collect();
        assert_eq!(listed, super::super::plain::RULE_KEYS, "{message}");
    }

    #[test]
    fn errors_name_their_table_and_rule() {
        let src = "[pack]\nname = \"p\"\n\n[[rules]]\nid = 'a.b'\nx = 1\n";
        assert_eq!(enclosing_header(src, 0), Some((0, "pack")));
        assert_eq!(enclosing_header(src, 8), Some((0, "pack")));
        let at = src.find("x =").unwrap();
        let (start, name) = enclosing_header(src, at).unwrap();
        assert_eq!(name, "rules");
        assert_eq!(key_value(&src[start..], "id").as_deref(), Some("a.b"));
        let table = "[[overrides]]\nrules_x = 1\nrule = 'r.s'\n";
        assert_eq!(key_value(table, "rule").as_deref(), Some("r.s"));
    }
}
