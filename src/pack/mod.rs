//! Rule packs: the checked [`Pack`], loaded in two stages (`raw`: serde
//! structs that mirror the TOML file; `check`: the checks that make rule
//! types of them, regex syntax and validator names included, so a broken
//! pack fails when it loads). Parsing and checking only; matching lives in
//! the screener.

// Crate-visible for `check::pattern_builder`, which the screener compiles
// patterns with.
mod check;
mod near;
mod plain;
mod raw;
mod rule;
mod size;

use self::check::Checker;
pub(crate) use self::near::did_you_mean;
use self::raw::RawPack;
pub(crate) use self::rule::INERT_RULE;
pub use self::rule::{
    Context, Example, Exception, Level, Matchers, Override, Rule, RuleKind,
    Scope, Suggestion, Thresholds, Unless,
};
use self::size::check_limits;
pub(crate) use self::size::{pack_too_large, Sizes};
use crate::error::Error;
use crate::limits::MAX_PACK_BYTES;
use crate::text::Positions;

/// Where the pack named `name` was loaded from (its file, or
/// `bundled:NAME`), for errors; the name itself if none is.
pub(crate) fn origin_of(packs: &[Pack], name: &str) -> String {
    packs
        .iter()
        .find(|p| p.name == name)
        .map_or_else(|| name.to_string(), |p| p.origin.clone())
}

/// A parsed and checked rule pack.
#[derive(Clone, Debug)]
pub struct Pack {
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) description: String,
    pub(crate) level: Level,
    pub(crate) extends: Vec<(String, (usize, usize))>,
    pub(crate) thresholds: Option<Thresholds>,
    pub(crate) thresholds_position: (usize, usize),
    pub(crate) rules: Vec<Rule>,
    pub(crate) exceptions: Vec<Exception>,
    pub(crate) overrides: Vec<Override>,
    pub(crate) locked_categories: Vec<String>,
    pub(crate) examples: Vec<Example>,
    pub(crate) concepts: Vec<crate::concept::Concept>,
    pub(crate) origin: String,
    pub(crate) source: String,
    pub(crate) sizes: Sizes,
}

impl Pack {
    /// Parses and checks a pack. `origin` names it in errors (a file path,
    /// or `bundled:NAME`).
    pub fn from_toml(origin: &str, source: &str) -> Result<Pack, Error> {
        if source.len() as u64 > MAX_PACK_BYTES {
            return Err(pack_too_large(source.len() as u64).with_pack(origin));
        }
        let positions = Positions::new(source);
        let raw = raw::parse(origin, source, &positions)?;
        let cx = Checker::new(origin, positions);
        // Counted before anything is built from the lists.
        let sizes = check_limits(&raw, &cx)?;
        let RawPack {
            pack: meta,
            thresholds,
            rules,
            exceptions,
            overrides,
            examples,
            concepts,
        } = raw;
        cx.name(&meta.name)?;
        let name = meta.name.into_inner();
        let (thresholds, thresholds_position) = cx.thresholds(thresholds)?;
        let rules = cx.rules(rules, &name)?;
        let exceptions = cx.exceptions(exceptions)?;
        let overrides = cx.overrides(overrides)?;
        let examples = cx.examples(examples);
        let concepts = cx.concepts(concepts)?;
        let extends = meta
            .extends
            .into_iter()
            .map(|s| {
                let at = cx.at(s.span().start);
                (s.into_inner(), at)
            })
            .collect();
        Ok(Pack {
            name,
            version: meta.version,
            description: meta.description,
            level: meta.level,
            extends,
            thresholds,
            thresholds_position,
            rules,
            exceptions,
            overrides,
            locked_categories: meta.locked_categories,
            examples,
            concepts,
            origin: origin.to_string(),
            source: source.to_string(),
            sizes,
        })
    }

    /// The pack's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The pack's version string.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The pack's description.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The pack's level.
    pub fn level(&self) -> Level {
        self.level
    }

    /// The packs this one extends, as written.
    pub fn extends(&self) -> impl Iterator<Item = &str> {
        self.extends.iter().map(|(s, _)| s.as_str())
    }

    /// The pack's own thresholds, if it sets them.
    pub fn thresholds(&self) -> Option<Thresholds> {
        self.thresholds
    }

    /// The pack's rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The pack's exceptions, in file order.
    pub fn exceptions(&self) -> &[Exception] {
        &self.exceptions
    }

    /// The pack's overrides of earlier packs' rules, in file order.
    pub fn overrides(&self) -> &[Override] {
        &self.overrides
    }

    /// Categories whose rules no later pack may weaken.
    pub fn locked_categories(&self) -> &[String] {
        &self.locked_categories
    }

    /// The pack's examples, in file order.
    pub fn examples(&self) -> &[Example] {
        &self.examples
    }

    /// The pack's concepts (`[concepts.NAME]`), by name.
    pub fn concepts(&self) -> &[crate::concept::Concept] {
        &self.concepts
    }

    /// Where the pack came from: a file path or `bundled:NAME`.
    pub fn origin(&self) -> &str {
        &self.origin
    }
}
