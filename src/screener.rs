//! The compiled screener: one Aho-Corasick automaton for every term and
//! context word of every rule, one `RegexSet` for every pattern, validators
//! on candidates only; then scoring.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use regex::bytes::{Regex, RegexBuilder};
use regex_automata::meta::Regex as MultiRegex;
use regex_automata::{Input, PatternSet};
use unicode_segmentation::UnicodeSegmentation;

use crate::automaton::Terms;
use crate::error::{Error, ErrorKind};
use crate::evasion::{self, Folded, TermShape};
use crate::limits::{MAX_POST_BYTES, REGEX_SIZE_LIMIT};
use crate::link::{self, Link};
use crate::normalize::{normalize_term, Form, Normalized};
use crate::pack::{Date, Decision, RuleKind, Thresholds};
use crate::policy::Policy;
use crate::validate::{self, Validator};
use crate::verdict::{noted, Masks, PolicyInfo, Reason, RuleInfo, Verdict};

/// Builds a [`Screener`] with options. One builder can build many
/// screeners.
#[derive(Clone, Debug)]
pub struct ScreenerBuilder {
    now: Option<Date>,
    reveal: bool,
    evasion: bool,
    max_post: usize,
}

impl Default for ScreenerBuilder {
    fn default() -> ScreenerBuilder {
        ScreenerBuilder {
            now: None,
            reveal: false,
            evasion: true,
            max_post: MAX_POST_BYTES,
        }
    }
}

impl ScreenerBuilder {
    /// A builder with the defaults.
    pub fn new() -> ScreenerBuilder {
        ScreenerBuilder::default()
    }

    /// The date against which `active_from` / `active_until` are checked.
    /// Default: none, meaning today (UTC) at the time of each screening.
    pub fn now(&mut self, date: Date) -> &mut ScreenerBuilder {
        self.now = Some(date);
        self
    }

    /// Show the full text of masked hits in excerpts. Default `false`:
    /// only the last four letters or digits of a masked hit are shown.
    pub fn reveal_masked(&mut self, yes: bool) -> &mut ScreenerBuilder {
        self.reveal = yes;
        self
    }

    /// Match what a reader sees, not only the bytes: look-alike and
    /// styled letters, Unicode digits, leetspeak, spelled-out and repeated
    /// letters, words run together in hashtags (SPEC §5; rules opt out with
    /// `evasion = false`). Default `true`; `false` matches the lower-cased
    /// text as written, which is faster and what evasion handling is
    /// measured against.
    pub fn evasion(&mut self, yes: bool) -> &mut ScreenerBuilder {
        self.evasion = yes;
        self
    }

    /// The largest post, in bytes, that [`Screener::screen`] accepts; a
    /// longer one is an [`ErrorKind::Limit`] error, never a truncation.
    /// Default [`MAX_POST_BYTES`] (10 MiB). Screening time and scratch
    /// memory grow linearly with the post.
    pub fn max_post_bytes(&mut self, bytes: usize) -> &mut ScreenerBuilder {
        self.max_post = bytes;
        self
    }

    /// Compiles `policy` into a screener.
    pub fn build(&self, policy: &Policy) -> Result<Screener, Error> {
        compile(self, policy)
    }
}

/// A compiled policy. Immutable, `Send + Sync`, and cheap to clone (an
/// `Arc`): build it once and share it between threads.
///
/// ```
/// use preclear::{Decision, Policy, Screener};
///
/// let mut policy = Policy::new();
/// policy.add_bundled("financial-institution")?;
/// let screener = Screener::new(&policy)?;
/// let v = screener.screen("Please charge card 4111 1111 1111 1111 today")?;
/// assert_eq!(v.decision(), Decision::Block);
/// assert_eq!(v.reasons()[0].span(), Some(19..38));
/// # Ok::<(), preclear::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Screener {
    inner: Arc<Inner>,
}

/// Index of a rule in the compiled policy.
type RuleIdx = u32;

/// What an automaton pattern (a unique normalised word) is used for.
#[derive(Clone, Copy, Debug)]
enum Use {
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
enum Role {
    /// A hit of its rule (a pattern rule, or a required rule's trigger).
    Hit,
    /// A required element of its rule.
    Required,
}

/// How a rule turns hits into reasons.
#[derive(Debug)]
enum Shape {
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
struct LinkLists {
    allow: Vec<String>,
    deny: Vec<String>,
    /// `(host, skeleton)` of the denied hosts: a look-alike of a denied
    /// host (a Cyrillic `mеga.nz`) is denied too.
    deny_skeletons: Vec<(String, String)>,
    /// `(host, skeleton)` of every host whose look-alikes are flagged.
    protect: Vec<(String, String)>,
}

#[derive(Debug)]
struct CompiledRule {
    info: Arc<RuleInfo>,
    validator: Option<Validator>,
    whole_word: bool,
    /// `(window, score, required)` per context entry.
    context: Vec<(u32, i32, bool)>,
    any_required: bool,
    unless_window: Option<u32>,
    /// Exceptions that apply to this rule.
    exceptions: Vec<u32>,
    active_from: Option<Date>,
    active_until: Option<Date>,
    shape: Shape,
}

#[derive(Debug)]
struct CompiledException {
    patterns: Vec<Regex>,
}

#[derive(Debug)]
struct Inner {
    rules: Vec<CompiledRule>,
    words: Option<Terms>,
    /// `uses[word_uses[p].clone()]` are the uses of automaton pattern `p`.
    word_uses: Vec<Range<u32>>,
    uses: Vec<Use>,
    /// The automaton of folded terms (see `evasion`), and for each of its
    /// patterns the terms it stands for: `(rule, shape)`.
    folded: Option<Terms>,
    folded_uses: Vec<Vec<(RuleIdx, u32)>>,
    shapes: Vec<TermShape>,
    form: Form,
    /// Every pattern at once, to learn which ones match a post.
    pattern_set: Option<MultiRegex>,
    /// Pattern `i` of the set.
    patterns: Vec<Pattern>,
    link_rules: Vec<RuleIdx>,
    exceptions: Vec<CompiledException>,
    thresholds: Thresholds,
    policy: Arc<PolicyInfo>,
    now: Option<Date>,
    dated: bool,
    max_post: usize,
}

fn compile(
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

fn too_many(e: aho_corasick::BuildError) -> Error {
    Error::new(ErrorKind::InvalidPack(format!(
        "terms do not fit in an automaton: {e}"
    )))
}

fn pattern_builder(pattern: &str) -> RegexBuilder {
    let mut b = RegexBuilder::new(pattern);
    b.unicode(false)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT);
    b
}

// The regex crate's messages span several lines; keep the last one, which
// says what is wrong.
/// The regex syntax every pattern is compiled with (see
/// [`pattern_builder`]).
fn syntax_config() -> regex_automata::util::syntax::Config {
    regex_automata::util::syntax::Config::new()
        .unicode(false)
        .utf8(false)
        .case_insensitive(true)
}

/// A pattern's own regex, compiled on first use.
type LazyRegex = std::sync::OnceLock<Option<Regex>>;

/// One pattern of the shared set.
#[derive(Debug)]
struct Pattern {
    source: String,
    rule: RuleIdx,
    role: Role,
    /// The pattern alone, for its spans: compiled the first time the set
    /// says it matches, since most patterns never match most posts and
    /// compiling them all would double the time to build a screener.
    alone: LazyRegex,
}

fn regex_message(e: &dyn std::fmt::Display) -> String {
    let s = e.to_string();
    let last = s.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
    last.trim().trim_start_matches("error: ").to_string()
}

/// A candidate hit, in normalised coordinates.
#[derive(Clone, Copy, Debug)]
struct Hit {
    rule: RuleIdx,
    start: usize,
    end: usize,
    /// For a link that imitates a protected host: 1 + its index in the
    /// rule's `protect` list; else 0.
    imitates: u32,
}

/// A context, unless or exception word found in the post.
#[derive(Clone, Copy, Debug)]
struct Mark {
    what: Use,
    start: usize,
    end: usize,
}

/// Scratch space reused by screenings on the same thread.
#[derive(Default)]
struct Scratch {
    norm: Normalized,
    hits: Vec<Hit>,
    marks: Vec<Mark>,
    kept: Vec<(Hit, u32)>,
    links: Vec<Link>,
    folded: Folded,
    /// Which patterns matched; sized for the largest set seen.
    patterns: Option<PatternSet>,
    /// The rest is for posts with findings, so that only the verdict
    /// allocates (once the buffers have grown).
    required: Vec<Option<bool>>,
    order: Vec<usize>,
    covered: Vec<bool>,
    category_reach: Vec<(Hit, u32)>,
    /// Masked text that no reason's span covers (dropped duplicate hits,
    /// a masked required rule's trigger), in normalised coordinates.
    hidden: Vec<Range<usize>>,
    spans: Vec<(Range<usize>, usize)>,
    positions: Vec<(usize, usize)>,
    masks: Masks,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Screener {
    /// Compiles `policy` with the default options.
    pub fn new(policy: &Policy) -> Result<Screener, Error> {
        ScreenerBuilder::new().build(policy)
    }

    /// A builder for options.
    pub fn builder() -> ScreenerBuilder {
        ScreenerBuilder::new()
    }

    /// `name@version` of each pack, most general first.
    pub fn packs(&self) -> &[String] {
        &self.inner.policy.packs
    }

    /// The policy's fingerprint (see [`Policy::fingerprint`]).
    pub fn fingerprint(&self) -> &str {
        &self.inner.policy.fingerprint
    }

    /// The thresholds in force.
    pub fn thresholds(&self) -> Thresholds {
        self.inner.thresholds
    }

    /// Screens one post, as of the builder's `now` (default today).
    ///
    /// The only error is a post longer than
    /// [`ScreenerBuilder::max_post_bytes`] ([`ErrorKind::Limit`]).
    pub fn screen(&self, post: &str) -> Result<Verdict, Error> {
        let now = match (self.inner.now, self.inner.dated) {
            (Some(d), _) => Some(d),
            (None, true) => Some(Date::today()),
            (None, false) => None,
        };
        self.screen_inner(post, now)
    }

    /// Screens one post as of `now` (for `active_from` / `active_until`).
    pub fn screen_at(&self, post: &str, now: Date) -> Result<Verdict, Error> {
        self.screen_inner(post, Some(now))
    }

    /// The largest post [`Screener::screen`] accepts, in bytes.
    pub fn max_post_bytes(&self) -> usize {
        self.inner.max_post
    }

    fn screen_inner(
        &self,
        post: &str,
        now: Option<Date>,
    ) -> Result<Verdict, Error> {
        if post.len() > self.inner.max_post {
            return Err(Error::new(ErrorKind::Limit(format!(
                "post is {} bytes, over the limit of {} bytes",
                post.len(),
                self.inner.max_post
            ))));
        }
        Ok(SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut s) => self.screen_with(&mut s, post, now),
            // Re-entered from a callback on the same thread: use fresh space.
            Err(_) => self.screen_with(&mut Scratch::default(), post, now),
        }))
    }

    fn screen_with(
        &self,
        s: &mut Scratch,
        post: &str,
        now: Option<Date>,
    ) -> Verdict {
        let inner = &*self.inner;
        let Scratch {
            norm,
            folded,
            hits,
            marks,
            kept,
            links,
            patterns,
            required,
            order,
            covered,
            category_reach,
            hidden,
            spans,
            positions,
            masks,
        } = s;
        hits.clear();
        marks.clear();
        kept.clear();
        norm.fill(post, inner.form);
        let text = norm.text();
        let active = |r: &CompiledRule| match now {
            None => true,
            Some(d) => {
                r.active_from.is_none_or(|f| d >= f)
                    && r.active_until.is_none_or(|u| d <= u)
            }
        };

        // 1. One automaton pass: terms, and the words that qualify them.
        if let Some(ac) = &inner.words {
            ac.for_each(text.as_bytes(), |pattern, start, end| {
                let mut whole: Option<bool> = None;
                let mut is_whole = || {
                    *whole.get_or_insert_with(|| whole_word(text, start, end))
                };
                let range = &inner.word_uses[pattern];
                for u in &inner.uses[range.start as usize..range.end as usize]
                {
                    match *u {
                        Use::Term(r) => {
                            let rule = &inner.rules[r as usize];
                            if (!rule.whole_word || is_whole()) && active(rule)
                            {
                                hits.push(Hit {
                                    rule: r,
                                    start,
                                    end,
                                    imitates: 0,
                                });
                            }
                        }
                        what => {
                            if is_whole() {
                                marks.push(Mark { what, start, end });
                            }
                        }
                    }
                }
            });
        }

        // 1b. Disguised terms: one pass over the folded view; each
        //     candidate is checked against its term's shape.
        if let Some(ac) = &inner.folded {
            folded.fill(text);
            let folded = &*folded;
            ac.for_each(folded.text().as_bytes(), |pattern, fstart, fend| {
                let region = folded.span(fstart..fend);
                let uses = &inner.folded_uses[pattern];
                for &(r, shape) in uses {
                    let rule = &inner.rules[r as usize];
                    if !active(rule) {
                        continue;
                    }
                    let shape = &inner.shapes[shape as usize];
                    let Some(part) = shape.accepts(&text[region.clone()])
                    else {
                        continue;
                    };
                    let (start, end) =
                        (region.start + part.start, region.start + part.end);
                    let (a, b) = word_edges(text, start, end);
                    let (ca, cb) = camel_edges(post, norm, start, end);
                    if (a || ca)
                        && (b || cb)
                        && evasion::spelled_edges_ok(text, start..end)
                    {
                        hits.push(Hit { rule: r, start, end, imitates: 0 });
                    }
                }
            });
        }

        // 2. One RegexSet pass says which patterns match; only those run
        //    for spans, and validators confirm them.
        if let Some(set) = &inner.pattern_set {
            let bytes = text.as_bytes();
            let n = set.pattern_len();
            let which = match patterns {
                Some(p) if p.capacity() >= n => p,
                _ => patterns.insert(PatternSet::new(n)),
            };
            which.clear();
            set.which_overlapping_matches(&Input::new(bytes), which);
            for i in which.iter() {
                let i = i.as_usize();
                let pattern = &inner.patterns[i];
                let (r, role) = (pattern.rule, pattern.role);
                let rule = &inner.rules[r as usize];
                if !active(rule) {
                    continue;
                }
                // Cannot fail: the set compiled this pattern with the same
                // syntax and size limits.
                let Some(re) = pattern.alone.get_or_init(|| {
                    pattern_builder(&pattern.source).build().ok()
                }) else {
                    continue;
                };
                let mut at = 0;
                while at <= bytes.len() {
                    let Some(m) = re.find_at(bytes, at) else { break };
                    let (mut start, mut end) = (m.start(), m.end());
                    // An empty match (`a?`) moves the search on by one.
                    at = if end > start { end } else { end + 1 };
                    if let Some(v) = rule.validator {
                        // The match may split a character (ASCII mode);
                        // validators see whole characters.
                        let (a, b) = snap(text, start, end);
                        match v(&text[a..b]) {
                            Some(sub) => {
                                end = a + sub.end;
                                start = a + sub.start;
                                // What the validator trimmed off may hold
                                // the next number ("4111… 5555…" as one
                                // run): search on from here.
                                at = end.max(start + 1);
                            }
                            None => continue,
                        }
                    }
                    let (start, end) = snap(text, start, end);
                    match role {
                        _ if start >= end => {}
                        Role::Hit => {
                            hits.push(Hit { rule: r, start, end, imitates: 0 })
                        }
                        Role::Required => marks.push(Mark {
                            what: Use::Required(r),
                            start,
                            end,
                        }),
                    }
                }
            }
        }

        // 3. Links, when the policy has link rules.
        if !inner.link_rules.is_empty() && post.contains('.') {
            links.clear();
            link::find_links(post, links);
            for l in links.iter() {
                for &r in &inner.link_rules {
                    let rule = &inner.rules[r as usize];
                    let Shape::Link(lists) = &rule.shape else { continue };
                    if !active(rule) {
                        continue;
                    }
                    let imitates = link::imitated(&l.host, &lists.protect)
                        .and_then(|p| {
                            lists.protect.iter().position(|(h, _)| h == p)
                        })
                        .map_or(0, |i| i as u32 + 1);
                    let denied = lists
                        .deny
                        .iter()
                        .any(|d| link::host_matches(&l.host, d))
                        || link::imitated(&l.host, &lists.deny_skeletons)
                            .is_some();
                    let unlisted = !lists.allow.is_empty()
                        && !lists
                            .allow
                            .iter()
                            .any(|a| link::host_matches(&l.host, a));
                    if imitates > 0 || denied || unlisted {
                        let (start, end) =
                            norm.normalized_span(l.span.clone());
                        hits.push(Hit { rule: r, start, end, imitates });
                    }
                }
            }
        }

        if hits.is_empty() {
            return Verdict::allow(inner.policy.clone());
        }

        // Exception patterns run once, and only when a hit could use them.
        for (e, ex) in inner.exceptions.iter().enumerate() {
            let e = e as u32;
            let needed = !ex.patterns.is_empty()
                && hits.iter().any(|h| {
                    inner.rules[h.rule as usize].exceptions.contains(&e)
                });
            if needed {
                for re in &ex.patterns {
                    for m in re.find_iter(text.as_bytes()) {
                        let (start, end) = snap(text, m.start(), m.end());
                        marks.push(Mark {
                            what: Use::Exception(e),
                            start,
                            end,
                        });
                    }
                }
            }
        }
        // Sorted, so each hit looks only at the marks around it.
        marks.sort_unstable_by_key(|m| (m.start, m.end));
        let marks = &marks[..];
        let reach = marks.iter().map(|m| m.end - m.start).max().unwrap_or(0);
        required.clear();

        // 4. Exceptions, unless, context: which hits count, and how much.
        for &hit in hits.iter() {
            let rule = &inner.rules[hit.rule as usize];
            let excepted = rule.exceptions.iter().any(|&e| {
                any_near(
                    marks,
                    text,
                    hit,
                    None,
                    reach,
                    |w| matches!(w, Use::Exception(x) if x == e),
                )
            });
            if excepted {
                continue;
            }
            if let Shape::Required { within } = rule.shape {
                // Whether the post has the required element: once per rule.
                if required.is_empty() {
                    required.resize(inner.rules.len(), None);
                }
                let present =
                    *required[hit.rule as usize].get_or_insert_with(|| {
                        marks.iter().any(|m| {
                            matches!(m.what, Use::Required(r) if r == hit.rule)
                                && within.is_none_or(|n| {
                                    let at =
                                        norm.source_span(m.start..m.end).start;
                                    post[..at].chars().count() < n as usize
                                })
                        })
                    });
                if present {
                    continue;
                }
            }
            if let Some(window) = rule.unless_window {
                let suppressed = any_near(
                    marks,
                    text,
                    hit,
                    Some(window),
                    reach,
                    |w| matches!(w, Use::Unless(r) if r == hit.rule),
                );
                if suppressed {
                    continue;
                }
            }
            let mut score = i64::from(rule.info.score);
            let mut required_met = !rule.any_required;
            for (k, &(window, delta, required)) in
                rule.context.iter().enumerate()
            {
                let found =
                    any_near(marks, text, hit, Some(window), reach, |w| {
                        matches!(w, Use::Context(r, j)
                            if r == hit.rule && j as usize == k)
                    });
                if found {
                    score += i64::from(delta);
                    required_met |= required;
                }
            }
            if !required_met {
                continue;
            }
            let score = score.clamp(0, i64::from(u32::MAX)) as u32;
            if score == 0 && rule.info.action == Decision::Allow {
                continue;
            }
            kept.push((hit, score));
        }

        // Overlapping hits of one rule ("about to acquire" inside "we are
        // about to acquire") are one finding, and a required rule fires
        // once: keep the earliest, longest.
        // (Unstable, so it does not allocate; among equal spans the
        // higher score comes first.)
        kept.sort_unstable_by_key(|&(h, score)| {
            (
                h.rule,
                h.start,
                std::cmp::Reverse(h.end),
                std::cmp::Reverse(score),
            )
        });
        let mut prev: Option<Hit> = None;
        hidden.clear();
        kept.retain(|(h, _)| {
            let rule = &inner.rules[h.rule as usize];
            let same_rule = prev.is_some_and(|p| p.rule == h.rule);
            let once = matches!(rule.shape, Shape::Required { .. });
            let drop =
                same_rule && (once || prev.is_some_and(|p| h.start < p.end));
            if !drop {
                prev = Some(*h);
            }
            // What a masked rule matched stays masked, reported or not.
            if rule.info.mask && (drop || once) {
                hidden.push(h.start..h.end);
            }
            !drop
        });

        // Two rules of one category on the same words are one finding: a
        // hit inside a longer hit of another rule of its category (a bare
        // "risk-free" inside "risk-free investment") is dropped, if that
        // rule weighs at least as much: a team's weaker rule must not hide
        // a locked one.
        if kept.len() > 1 {
            let category =
                |h: &Hit| inner.rules[h.rule as usize].info.category.as_str();
            // A sweep in text order, longest first, keeping per category
            // the hit that reaches furthest.
            order.clear();
            order.extend(0..kept.len());
            order.sort_unstable_by_key(|&i| {
                let h = kept[i].0;
                (h.start, std::cmp::Reverse(h.end), h.rule)
            });
            covered.clear();
            covered.resize(kept.len(), false);
            category_reach.clear();
            let action = |h: &Hit| inner.rules[h.rule as usize].info.action;
            for &i in order.iter() {
                let (h, score) = kept[i];
                match category_reach
                    .iter_mut()
                    .find(|c| category(&c.0) == category(&h))
                {
                    Some(c) => {
                        let heavier =
                            action(&c.0) >= action(&h) && c.1 >= score;
                        if c.0.rule != h.rule && h.end <= c.0.end && heavier {
                            covered[i] = true;
                            if inner.rules[h.rule as usize].info.mask {
                                hidden.push(h.start..h.end);
                            }
                        } else if h.end > c.0.end {
                            *c = (h, score);
                        }
                    }
                    None => category_reach.push((h, score)),
                }
            }
            let mut k = 0;
            kept.retain(|_| {
                k += 1;
                !covered[k - 1]
            });
        }

        // 5. Each rule counts once, with its best hit.
        let mut total: u64 = 0;
        let mut floor = Decision::Allow;
        let mut i = 0;
        while i < kept.len() {
            let rule = kept[i].0.rule;
            let mut best = 0;
            while i < kept.len() && kept[i].0.rule == rule {
                best = best.max(kept[i].1);
                i += 1;
            }
            total += u64::from(best);
            floor = floor.max(inner.rules[rule as usize].info.action);
        }
        let total = total.min(u64::from(u32::MAX)) as u32;
        let t = inner.thresholds;
        let by_score = if total >= t.block {
            Decision::Block
        } else if total >= t.warn {
            Decision::Warn
        } else {
            Decision::Allow
        };

        // 6. Reasons in text order; whole-post reasons first. Positions and
        //    masks are worked out in one pass over the post, whatever the
        //    number of reasons.
        spans.clear();
        spans.extend(
            kept.iter()
                .enumerate()
                .map(|(i, (h, _))| (norm.source_span(h.start..h.end), i)),
        );
        spans.sort_unstable_by_key(|(r, i)| (r.start, r.end, *i));
        crate::error::line_columns(
            post,
            spans.iter().map(|(r, _)| r.start),
            positions,
        );
        for r in hidden.iter_mut() {
            *r = norm.source_span(r.clone());
        }
        masks.fill(
            post,
            spans
                .iter()
                .filter(|(_, i)| {
                    inner.rules[kept[*i].0.rule as usize].info.mask
                })
                .map(|(r, _)| r.clone())
                .chain(hidden.iter().cloned()),
        );
        let masks = &*masks;
        let reason = |((span, i), &position): (&(Range<usize>, usize), _)| {
            let (h, sc) = &kept[*i];
            let rule = &inner.rules[h.rule as usize];
            let (span, message) = match &rule.shape {
                Shape::Required { .. } => {
                    (None, Some(trigger_note(post, span.clone(), rule)))
                }
                Shape::Link(lists) if h.imitates > 0 => (
                    Some(span.clone()),
                    Some(noted(
                        &rule.info.message,
                        format_args!(
                            "(the link's host imitates '{}')",
                            lists.protect[h.imitates as usize - 1].0
                        ),
                    )),
                ),
                _ => (Some(span.clone()), None),
            };
            Reason::new(
                rule.info.clone(),
                *sc,
                post,
                span,
                position,
                masks,
                message,
            )
        };
        // Whole-post reasons (required rules) first, then by span.
        let whole_post = |i: usize| {
            matches!(
                inner.rules[kept[i].0.rule as usize].shape,
                Shape::Required { .. }
            )
        };
        let both = || spans.iter().zip(positions.iter());
        let mut reasons = Vec::with_capacity(spans.len());
        reasons
            .extend(both().filter(|((_, i), _)| whole_post(*i)).map(reason));
        reasons
            .extend(both().filter(|((_, i), _)| !whole_post(*i)).map(reason));
        // Kept for `Verdict::redact`; empty (no allocation) as a rule.
        let hidden = hidden.to_vec();
        Verdict::new(
            by_score.max(floor),
            total,
            reasons,
            hidden,
            inner.policy.clone(),
        )
    }
}

/// "(triggered by “returned 12%” at line 1, column 5)": where a required
/// rule's trigger is, after the rule's message, for its whole-post
/// reason.
fn trigger_note(
    post: &str,
    span: Range<usize>,
    rule: &CompiledRule,
) -> String {
    let (line, column) = crate::error::line_column(post, span.start);
    let message = &rule.info.message;
    if rule.info.mask {
        return noted(
            message,
            format_args!("(triggered at line {line}, column {column})"),
        );
    }
    /// The first 40 characters, on one line.
    struct Quoted<'a>(&'a str);
    impl std::fmt::Display for Quoted<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            use std::fmt::Write;
            for c in self.0.chars().take(40) {
                f.write_char(if matches!(c, '\n' | '\r') { ' ' } else { c })?;
            }
            Ok(())
        }
    }
    noted(
        message,
        format_args!(
            "(triggered by \u{201c}{}\u{201d} at line {line}, column \
             {column})",
            Quoted(&post[span])
        ),
    )
}

/// Whether the normalised range `start..end` begins and ends on a
/// camel-case change in the original post (`#GuaranteedReturnsDaily`):
/// a lower-case letter before an upper-case one.
fn camel_edges(
    post: &str,
    norm: &Normalized,
    start: usize,
    end: usize,
) -> (bool, bool) {
    let src = norm.source_span(start..end);
    let before = post[..src.start].chars().next_back();
    let first = post[src.start..].chars().next();
    let last = post[..src.end].chars().next_back();
    let after = post[src.end..].chars().next();
    let change = |a: Option<char>, b: Option<char>| {
        a.is_some_and(char::is_lowercase) && b.is_some_and(char::is_uppercase)
    };
    (change(before, first), change(last, after))
}

/// Widens `start..end` to character boundaries of `text`.
fn snap(text: &str, mut start: usize, mut end: usize) -> (usize, usize) {
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end)
}

/// True if a mark for which `wanted` holds overlaps `hit` (`window`
/// `None`) or stands within `window` words of it. `marks` are sorted by
/// start; the search walks outwards from the hit and stops where marks
/// can no longer be near, so a long post costs what its neighbourhoods
/// cost. `reach` is the longest of the marks, in bytes.
fn any_near(
    marks: &[Mark],
    text: &str,
    hit: Hit,
    window: Option<u32>,
    reach: usize,
    wanted: impl Fn(Use) -> bool,
) -> bool {
    let close = |m: &Mark| match window {
        None => m.start < hit.end && hit.start < m.end,
        Some(w) => near(text, m, hit, w),
    };
    let at = marks.partition_point(|m| m.start < hit.start);
    for m in &marks[at..] {
        if !close(m) {
            // Later marks start later still: none is nearer.
            break;
        }
        if wanted(m.what) {
            return true;
        }
    }
    for m in marks[..at].iter().rev() {
        if close(m) {
            if wanted(m.what) {
                return true;
            }
        } else if m.start + reach < hit.start {
            // No earlier mark can reach the hit any more.
            break;
        }
    }
    false
}

/// True if at most `window` words stand between the mark and the hit.
fn near(text: &str, m: &Mark, hit: Hit, window: u32) -> bool {
    let (a, b) = if m.end <= hit.start {
        (m.end, hit.start)
    } else if hit.end <= m.start {
        (hit.end, m.start)
    } else {
        return true; // overlapping
    };
    let mut words = 0u32;
    let mut in_word = false;
    for c in text[a..b].chars() {
        let w = c.is_alphanumeric();
        if w && !in_word {
            words += 1;
            if words > window {
                return false;
            }
        }
        in_word = w;
    }
    true
}

/// How far to look either side of a match for the word segmentation that
/// decides whether it is a whole word.
const WORD_WINDOW: usize = 64;

/// True if `start..end` begins and ends on UAX #29 word boundaries.
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let (a, b) = word_edges(text, start, end);
    a && b
}

/// Whether `start` and `end` are UAX #29 word boundaries, around the
/// non-empty match `start..end`.
fn word_edges(text: &str, start: usize, end: usize) -> (bool, bool) {
    let bytes = text.as_bytes();
    // Fast paths for the common ASCII cases: a space on a side, or a
    // letter or digit continuing the word.
    if start >= end || end > bytes.len() {
        return (false, false);
    }
    let before = start.checked_sub(1).map(|i| bytes[i]);
    let after = bytes.get(end).copied();
    let first = bytes[start];
    let last = bytes[end - 1];
    let joins =
        |a: u8, b: u8| a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric();
    let plain = |c: Option<u8>| {
        c.is_none_or(|c| c == b' ' || c == b'\n' || c == b'\t' || c == b'\r')
    };
    let fast = |outside: Option<u8>, inside: u8| match outside {
        _ if plain(outside) => Some(true),
        Some(o) if o.is_ascii() && inside.is_ascii() && joins(o, inside) => {
            Some(false)
        }
        _ => None,
    };
    if let (Some(a), Some(b)) = (fast(before, first), fast(after, last)) {
        return (a, b);
    }
    let mut ws = start.saturating_sub(WORD_WINDOW);
    while !text.is_char_boundary(ws) {
        ws += 1;
    }
    if let Some(i) =
        bytes[ws..start].iter().rposition(|b| b.is_ascii_whitespace())
    {
        ws += i + 1;
    }
    let mut we = (end + WORD_WINDOW).min(text.len());
    while !text.is_char_boundary(we) {
        we -= 1;
    }
    if let Some(i) =
        bytes[end..we].iter().position(|b| b.is_ascii_whitespace())
    {
        we = end + i;
    }
    let mut start_ok = start == ws;
    let mut end_ok = end == we;
    for (i, _) in text[ws..we].split_word_bound_indices() {
        let at = ws + i;
        start_ok |= at == start;
        end_ok |= at == end;
        if at > end {
            break;
        }
    }
    (start_ok, end_ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words() {
        let cases: &[(&str, &str, bool)] = &[
            ("a class act", "ass", false),
            ("you can't lose", "can't lose", true),
            ("you can't lose", "can", false),
            ("#guaranteed!", "guaranteed", true),
            ("guaranteedreturns", "guaranteed", false),
            ("3.14 percent", "14", false),
            ("price: 14.", "14", true),
            ("東京で会いましょう", "東京", true),
            ("naïve", "na", false),
        ];
        for &(text, word, want) in cases {
            let s = text.find(word).unwrap();
            assert_eq!(
                whole_word(text, s, s + word.len()),
                want,
                "{word:?} in {text:?}"
            );
        }
    }

    #[test]
    fn nearness_counts_words_between() {
        let text = "my social security number is 078051123";
        let m = Mark { what: Use::Unless(0), start: 3, end: 18 };
        let hit = Hit { rule: 0, start: 29, end: 38, imitates: 0 };
        assert!(near(text, &m, hit, 2));
        assert!(!near(text, &m, hit, 1));
    }
}
