//! Compiling a policy: the effective rules of a [`Policy`] become the
//! form a screening reads (one automaton of terms, one of folded terms,
//! one pattern set, per-rule tables). Separate from screening because it
//! runs once per screener, where screening runs once per post.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use regex::bytes::{Regex, RegexBuilder};
use regex_automata::meta::Regex as MultiRegex;

use crate::automaton::Terms;
use crate::error::{Error, ErrorKind};
use crate::evasion::{self, TermShape};
use crate::limits::REGEX_SIZE_LIMIT;
use crate::link;
use crate::normalize::{normalize_term, Form};
use crate::pack::{Date, RuleKind, Thresholds};
use crate::policy::Policy;
use crate::validate::{self, Validator};
use crate::verdict::{PolicyInfo, RuleInfo};

use super::{Screener, ScreenerBuilder};

/// Index of a rule in the compiled policy.
pub(super) type RuleIdx = u32;

/// What an automaton pattern (a unique normalised word) is used for.
#[derive(Clone, Copy, Debug)]
pub(super) enum Use {
    /// A term of a terms rule.
    Term(RuleIdx),
    /// A word of context entry `.1` of a rule.
    Context(RuleIdx, u16),
    /// A word of a rule's `unless`.
    Unless(RuleIdx),
    /// A term of exception `.0`.
    Exception(u32),
    /// A required element of a `required` rule.
    Required(RuleIdx),
}

/// What a pattern of the shared set is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    /// A hit of its rule (a pattern rule, or a required rule's trigger).
    Hit,
    /// A required element of its rule.
    Required,
}

/// How a rule turns hits into reasons.
#[derive(Debug)]
pub(super) enum Shape {
    /// Every hit is a reason with a span.
    Spans,
    /// A `required` rule: its hits are triggers; it fires, once and with
    /// no span, when no required element is present (within the first
    /// `within` characters).
    Required { within: Option<u32> },
    /// A `link` rule: hits come from the link scanner.
    Link(LinkLists),
}

#[derive(Debug)]
pub(super) struct LinkLists {
    pub(super) allow: Vec<String>,
    pub(super) deny: Vec<String>,
    /// `(host, skeleton)` of the denied hosts: a look-alike of a denied
    /// host (a Cyrillic `mеga.nz`) is denied too.
    pub(super) deny_skeletons: Vec<(String, String)>,
    /// `(host, skeleton)` of every host whose look-alikes are flagged.
    pub(super) protect: Vec<(String, String)>,
}

#[derive(Debug)]
pub(super) struct CompiledRule {
    pub(super) info: Arc<RuleInfo>,
    pub(super) validator: Option<Validator>,
    pub(super) whole_word: bool,
    /// `(window, score, required)` per context entry.
    pub(super) context: Vec<(u32, i32, bool)>,
    pub(super) any_required: bool,
    pub(super) unless_window: Option<u32>,
    /// Exceptions that apply to this rule.
    pub(super) exceptions: Vec<u32>,
    pub(super) active_from: Option<Date>,
    pub(super) active_until: Option<Date>,
    pub(super) shape: Shape,
}

#[derive(Debug)]
pub(super) struct CompiledException {
    pub(super) patterns: Vec<Regex>,
}

#[derive(Debug)]
pub(super) struct Inner {
    pub(super) rules: Vec<CompiledRule>,
    pub(super) words: Option<Terms>,
    /// `uses[word_uses[p].clone()]` are the uses of automaton pattern `p`.
    pub(super) word_uses: Vec<Range<u32>>,
    pub(super) uses: Vec<Use>,
    /// The automaton of folded terms (see `evasion`), and for each of its
    /// patterns the terms it stands for: `(rule, shape)`.
    pub(super) folded: Option<Terms>,
    pub(super) folded_uses: Vec<Vec<(RuleIdx, u32)>>,
    pub(super) shapes: Vec<TermShape>,
    pub(super) form: Form,
    /// Every pattern at once, to learn which ones match a post.
    pub(super) pattern_set: Option<MultiRegex>,
    /// Pattern `i` of the set.
    pub(super) patterns: Vec<Pattern>,
    pub(super) link_rules: Vec<RuleIdx>,
    pub(super) exceptions: Vec<CompiledException>,
    pub(super) thresholds: Thresholds,
    pub(super) policy: Arc<PolicyInfo>,
    pub(super) now: Option<Date>,
    pub(super) dated: bool,
    pub(super) max_post: usize,
}

pub(super) fn compile(
    opts: &ScreenerBuilder,
    policy: &Policy,
) -> Result<Screener, Error> {
    let effective = policy.effective()?;
    let form = if opts.evasion { Form::Full } else { Form::Basic };
    // Folded term -> its uses; the shapes of the terms.
    let mut folded_index: HashMap<String, usize> = HashMap::new();
    let mut folded_words: Vec<(String, Vec<(RuleIdx, u32)>)> = Vec::new();
    let mut shapes: Vec<TermShape> = Vec::new();
    let mut add_folded = |term: &str, r: RuleIdx| {
        let n = normalize_term(term, form);
        if !evasion::foldable(&n) {
            return;
        }
        let f = evasion::fold_term(&n);
        let shape = shapes.len() as u32;
        shapes.push(TermShape::new(&n));
        let i = *folded_index.entry(f.clone()).or_insert_with(|| {
            folded_words.push((f, Vec::new()));
            folded_words.len() - 1
        });
        folded_words[i].1.push((r, shape));
    };
    let origin = |pack: &str| {
        policy
            .packs()
            .iter()
            .find(|p| p.name == pack)
            .map_or_else(|| pack.to_string(), |p| p.origin.clone())
    };
    let mut rules = Vec::new();
    // Normalised word -> its uses, in a stable order.
    let mut word_index: HashMap<String, usize> = HashMap::new();
    let mut words: Vec<(String, Vec<Use>)> = Vec::new();
    let mut add_word = |w: &str, u: Use| {
        let n = normalize_term(w, form);
        // An empty word would match between every two bytes; packs refuse
        // such terms, and anything that slips through matches nothing.
        if n.is_empty() {
            return;
        }
        let i = *word_index.entry(n.clone()).or_insert_with(|| {
            words.push((n, Vec::new()));
            words.len() - 1
        });
        words[i].1.push(u);
    };
    let mut patterns: Vec<Pattern> = Vec::new();
    // Where each pattern is defined: pack and rule.
    let mut pattern_origins: Vec<(String, String, (usize, usize))> =
        Vec::new();
    let mut link_rules = Vec::new();

    for er in effective.rules.iter().filter(|r| r.enabled) {
        let rule = &er.rule;
        let idx = rules.len() as RuleIdx;
        let located = |e: Error, pos: (usize, usize)| {
            e.with_pack(origin(&er.pack))
                .with_rule(rule.id.clone())
                .with_position(pos.0, pos.1)
        };
        let mut add_pattern = |p: &str, role: Role| -> Result<(), Error> {
            // Parsed here for a located error; compiled on first use.
            regex_automata::util::syntax::parse_with(p, &syntax_config())
                .map_err(|e| {
                    located(
                        Error::new(ErrorKind::Regex(regex_message(&e))),
                        rule.pattern_position,
                    )
                })?;
            patterns.push(Pattern {
                source: p.to_string(),
                rule: idx,
                role,
                alone: LazyRegex::default(),
            });
            pattern_origins.push((
                origin(&er.pack).to_string(),
                rule.id.clone(),
                rule.pattern_position,
            ));
            Ok(())
        };
        let mut validator = None;
        let shape = match &rule.kind {
            RuleKind::Terms(terms) => {
                for t in terms {
                    add_word(t, Use::Term(idx));
                    if opts.evasion && rule.evasion && rule.whole_word {
                        add_folded(t, idx);
                    }
                }
                Shape::Spans
            }
            RuleKind::Pattern { pattern, validator: v } => {
                add_pattern(pattern, Role::Hit)?;
                if let Some(name) = v {
                    validator =
                        Some(validate::by_name(name).ok_or_else(|| {
                            located(
                                Error::new(ErrorKind::UnknownValidator(
                                    name.clone(),
                                )),
                                rule.pattern_position,
                            )
                        })?);
                }
                Shape::Spans
            }
            RuleKind::Required { trigger, require, within } => {
                for t in &trigger.terms {
                    add_word(t, Use::Term(idx));
                    if opts.evasion && rule.evasion && rule.whole_word {
                        add_folded(t, idx);
                    }
                }
                for p in &trigger.patterns {
                    add_pattern(p, Role::Hit)?;
                }
                for t in &require.terms {
                    add_word(t, Use::Required(idx));
                }
                for p in &require.patterns {
                    add_pattern(p, Role::Required)?;
                }
                Shape::Required { within: *within }
            }
            RuleKind::Link { allow, deny, protect } => {
                link_rules.push(idx);
                let protect = allow
                    .iter()
                    .chain(protect)
                    .map(|h| (h.clone(), link::skeleton(h)))
                    .collect();
                Shape::Link(LinkLists {
                    allow: allow.clone(),
                    deny: deny.clone(),
                    deny_skeletons: deny
                        .iter()
                        .map(|h| (h.clone(), link::skeleton(h)))
                        .collect(),
                    protect,
                })
            }
        };
        for (k, c) in rule.context.iter().enumerate() {
            for w in &c.words {
                add_word(w, Use::Context(idx, k as u16));
            }
        }
        if let Some(u) = &rule.unless {
            for w in &u.words {
                add_word(w, Use::Unless(idx));
            }
        }
        rules.push(CompiledRule {
            info: Arc::new(RuleInfo {
                id: rule.id.clone(),
                pack: er.pack.clone(),
                decided_by: er.decided_by.clone(),
                category: rule.category.clone(),
                action: rule.action,
                score: rule.score,
                message: rule.message.clone(),
                mask: rule.mask && !opts.reveal,
            }),
            validator,
            whole_word: rule.whole_word,
            context: rule
                .context
                .iter()
                .map(|c| (c.window, c.score, c.required))
                .collect(),
            any_required: rule.context.iter().any(|c| c.required),
            unless_window: rule.unless.as_ref().map(|u| u.window),
            // A locked rule answers only to the exceptions of the pack
            // that locked it: those of earlier packs (a pack stacked below
            // the organisation's) do not reach it, and later ones are
            // refused when the policy is resolved.
            exceptions: effective
                .exceptions
                .iter()
                .enumerate()
                .filter(|(_, (pack, e))| {
                    crate::layering::applies(e, rule)
                        && er.locked_by.as_ref().is_none_or(|l| l == pack)
                })
                .map(|(i, _)| i as u32)
                .collect(),
            active_from: rule.active_from,
            active_until: rule.active_until,
            shape,
        });
    }

    let mut exceptions = Vec::new();
    for (e, (pack, ex)) in effective.exceptions.iter().enumerate() {
        for t in &ex.terms {
            add_word(t, Use::Exception(e as u32));
        }
        let mut patterns = Vec::new();
        for p in &ex.patterns {
            patterns.push(pattern_builder(p).build().map_err(|err| {
                Error::new(ErrorKind::Regex(regex_message(&err)))
                    .with_pack(origin(pack))
                    .with_position(ex.position.0, ex.position.1)
            })?);
        }
        exceptions.push(CompiledException { patterns });
    }

    let automaton = if words.is_empty() {
        None
    } else {
        Some(Terms::new(words.iter().map(|(w, _)| w)).map_err(too_many)?)
    };
    let folded = if folded_words.is_empty() {
        None
    } else {
        Some(
            Terms::new(folded_words.iter().map(|(w, _)| w))
                .map_err(too_many)?,
        )
    };
    let folded_uses = folded_words.into_iter().map(|(_, u)| u).collect();
    let mut word_uses = Vec::with_capacity(words.len());
    let mut uses = Vec::new();
    for (_, u) in words {
        let start = uses.len() as u32;
        uses.extend(u);
        word_uses.push(start..uses.len() as u32);
    }

    let pattern_set = if patterns.is_empty() {
        None
    } else {
        // The options `pattern_builder` gives each pattern, with the
        // semantics of a regex set: every pattern that matches anywhere.
        let syntax = syntax_config();
        let config = MultiRegex::config()
            .match_kind(regex_automata::MatchKind::All)
            .utf8_empty(false)
            .which_captures(regex_automata::nfa::thompson::WhichCaptures::None)
            .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
            .hybrid_cache_capacity(REGEX_SIZE_LIMIT);
        Some(
            MultiRegex::builder()
                .configure(config)
                .syntax(syntax)
                .build_many(
                    &patterns.iter().map(|p| &p.source).collect::<Vec<_>>(),
                )
                .map_err(|e| {
                    // Name the pattern that is too big on its own, if one
                    // is; else they are too big together.
                    let alone = patterns
                        .iter()
                        .zip(&pattern_origins)
                        .find_map(|(p, origin)| {
                            let e =
                                pattern_builder(&p.source).build().err()?;
                            Some(
                                Error::new(ErrorKind::Regex(regex_message(
                                    &e,
                                )))
                                .with_pack(origin.0.clone())
                                .with_rule(origin.1.clone())
                                .with_position(origin.2 .0, origin.2 .1),
                            )
                        });
                    alone.unwrap_or_else(|| {
                        Error::new(ErrorKind::Regex(match e.size_limit() {
                            Some(n) => format!(
                                "the policy's patterns together compile to \
                                 more than {n} bytes"
                            ),
                            None => e.to_string(),
                        }))
                    })
                })?,
        )
    };

    let dated = rules
        .iter()
        .any(|r| r.active_from.is_some() || r.active_until.is_some());
    Ok(Screener {
        inner: Arc::new(Inner {
            rules,
            words: automaton,
            word_uses,
            uses,
            folded,
            folded_uses,
            shapes,
            form,
            pattern_set,
            patterns,
            link_rules,
            exceptions,
            thresholds: effective.thresholds,
            policy: Arc::new(PolicyInfo {
                packs: policy.pack_labels(),
                fingerprint: policy.fingerprint(),
            }),
            now: opts.now,
            dated,
            max_post: opts.max_post,
        }),
    })
}

pub(super) fn too_many(e: aho_corasick::BuildError) -> Error {
    Error::new(ErrorKind::InvalidPack(format!(
        "terms do not fit in an automaton: {e}"
    )))
}

pub(super) fn pattern_builder(pattern: &str) -> RegexBuilder {
    let mut b = RegexBuilder::new(pattern);
    b.unicode(false)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT);
    b
}

/// The regex syntax every pattern is compiled with (see
/// [`pattern_builder`]).
pub(super) fn syntax_config() -> regex_automata::util::syntax::Config {
    regex_automata::util::syntax::Config::new()
        .unicode(false)
        .utf8(false)
        .case_insensitive(true)
}

/// A pattern's own regex, compiled on first use.
pub(super) type LazyRegex = std::sync::OnceLock<Option<Regex>>;

/// One pattern of the shared set.
#[derive(Debug)]
pub(super) struct Pattern {
    pub(super) source: String,
    pub(super) rule: RuleIdx,
    pub(super) role: Role,
    /// The pattern alone, for its spans: compiled the first time the set
    /// says it matches, since most patterns never match most posts and
    /// compiling them all would double the time to build a screener.
    pub(super) alone: LazyRegex,
}

// The regex crate's messages span several lines; keep the last one, which
// says what is wrong.
pub(super) fn regex_message(e: &dyn std::fmt::Display) -> String {
    let s = e.to_string();
    let last = s.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
    last.trim().trim_start_matches("error: ").to_string()
}
