//! Stage 1 of loading a pack: serde structs that mirror the TOML file as
//! written, holding strings and spans only (checked in `check`).

use serde::Deserialize;
use toml::Spanned;

use super::rule::{Context, Example, Level, Thresholds, Unless};
use crate::error::{Error, ErrorKind};
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
    pub(super) examples: Vec<Example>,
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
    pub(super) reason: String,
}

/// Parses `source` as a pack file; a TOML error is located and names the
/// rule it is in.
pub(super) fn parse(
    origin: &str,
    source: &str,
    positions: &Positions,
) -> Result<RawPack, Error> {
    toml::from_str(source).map_err(|e| {
        let mut err = Error::new(ErrorKind::Toml(
            e.message().trim_end_matches('\n').to_string(),
        ))
        .with_pack(origin);
        if let Some(span) = e.span() {
            let (l, c) = positions.at(span.start);
            err = err.with_position(l, c);
            if let Some(id) = enclosing_rule_id(source, span.start) {
                err = err.with_rule(id);
            }
        }
        err
    })
}

/// The `id` of the `[[rules]]` table that holds byte `offset` of `source`,
/// if any: TOML errors come with a position only, and naming the rule makes
/// a typo in a long pack easy to find.
fn enclosing_rule_id(source: &str, offset: usize) -> Option<String> {
    let before = &source[..offset.min(source.len())];
    let header = before
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .chain(std::iter::once(0))
        .filter(|&i| source[i..].trim_start().starts_with('['))
        .max()?;
    if !source[header..].trim_start().starts_with("[[rules]]") {
        return None;
    }
    let body = &source[header..];
    let body = body.split_once('\n').map_or("", |(_, b)| b);
    for line in body.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            break;
        }
        if let Some(rest) = line.strip_prefix("id") {
            let value = rest.trim_start().strip_prefix('=')?.trim();
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            return Some(value.to_string());
        }
    }
    None
}
