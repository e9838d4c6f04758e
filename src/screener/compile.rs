//! Compiling a policy: the effective rules of a [`Policy`] become the
//! form a screening reads (one automaton of terms, one of folded terms,
//! one pattern set, per-rule tables). Separate from screening because it
//! runs once per screener, where screening runs once per post.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use regex_syntax::hir::Hir;

use crate::automaton::{Terms, DFA_BYTES, GATE_ROOM, KEY_CUT_ROOM};
use crate::date::Date;
use crate::error::{Error, ErrorKind};
use crate::evasion::{self, TermShape};
use crate::link;
use crate::normalize::{normalize_pattern, normalize_term, Form};
use crate::pack::{origin_of, Exception, Rule, RuleKind, Scope, Thresholds};
use crate::pattern::{parse_normal, regex_message, Lazy, Set};
use crate::policy::EffectiveRule;
use crate::policy::Policy;
use crate::stance::{Lexicon, StanceRule};
use crate::validate::{self, Validator};
use crate::verdict::{PolicyInfo, RuleInfo};

use super::near::Concepts;
use super::ScreenerBuilder;

mod exceptions;
mod unless;
use exceptions::exceptions_for;
pub(super) use exceptions::CompiledException;

/// Index of a rule in the compiled policy.
pub(super) type RuleIdx = u32;

/// `lazy`, a rule's or an exception's pattern, unless it has a group
/// named `at`: that group narrows only a concept's pattern (whose matches
/// are occurrences a chain places); a rule's hit or an exception's reach
/// is the whole match, so the group would be ignored without a word.
fn whole_match(lazy: Lazy) -> Result<Lazy, ErrorKind> {
    if lazy.narrows() {
        return Err(ErrorKind::InvalidPack(
            "a group named `at` marks the occurrence only in a concept's \
             pattern; here the whole match counts — rename the group, or \
             put the pattern in a concept"
                .into(),
        ));
    }
    Ok(lazy)
}

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
    /// A term of concept `.0` (see `near`).
    Concept(u32),
    /// A key prefix or a Markdown mark that may cut a key (the split-key
    /// join of `folded_patterns` runs only in a post that has one).
    KeyCut,
    /// A word of which every match of concept pattern `.0` (its gate, see
    /// `near`) holds one: the pattern runs only in a post that has one.
    Gate(u32),
    /// Phrase `.1` of score rule `.0`.
    Score(RuleIdx, u16),
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
    /// A `near` rule: hits come from the near stage.
    Near(super::near::NearSpec),
    /// A `score` rule: its hit comes from the score stage.
    Score(super::score::ScoreSpec),
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
    /// The category as a number: rules of one category have the same.
    pub(super) category: u32,
    pub(super) validator: Option<Validator>,
    pub(super) whole_word: bool,
    /// `(window, score, required)` per context entry.
    pub(super) context: Vec<(Scope, i32, bool)>,
    pub(super) any_required: bool,
    pub(super) unless_window: Option<Scope>,
    /// Exceptions that apply to this rule.
    pub(super) exceptions: Vec<u32>,
    pub(super) active_from: Option<Date>,
    pub(super) active_until: Option<Date>,
    pub(super) shape: Shape,
    /// What negated, quoted or reported hits do.
    pub(super) stance: StanceRule,
    /// Lexicon cues in the rule's own terms and patterns ("can't" of
    /// "can't lose"), which do not frame its hits.
    pub(super) own_cues: Vec<u32>,
}

impl CompiledRule {
    /// Whether the rule is in force on `now` (`None`: undated screening).
    #[inline]
    pub(super) fn active(&self, now: Option<Date>) -> bool {
        match now {
            None => true,
            Some(d) => {
                self.active_from.is_none_or(|f| d >= f)
                    && self.active_until.is_none_or(|u| d <= u)
            }
        }
    }
}

#[derive(Debug)]
pub(super) struct Inner {
    pub(super) rules: Vec<CompiledRule>,
    pub(super) words: Option<Terms>,
    /// The bytes of the terms in `words`, gate and key-cut words aside:
    /// how much of the automaton's term room they fill.
    #[cfg(test)]
    pub(super) term_bytes: usize,
    /// `word_uses.of(p)` are the uses of automaton pattern `p`.
    pub(super) word_uses: Uses<Use>,
    /// The automaton of folded terms (see `evasion`), and for each of its
    /// patterns the terms it stands for: `(rule, shape)`.
    pub(super) folded: Option<Terms>,
    pub(super) folded_uses: Uses<(RuleIdx, u32)>,
    pub(super) shapes: Vec<TermShape>,
    pub(super) form: Form,
    /// Every pattern at once, to learn which ones match a post.
    pub(super) pattern_set: Option<Set>,
    /// Pattern `i` of the set.
    pub(super) patterns: Vec<Pattern>,
    pub(super) link_rules: Vec<RuleIdx>,
    /// The score rules that weigh grams: they score every post.
    pub(super) gram_rules: Vec<RuleIdx>,
    /// The concepts and near rules.
    pub(super) concepts: Concepts,
    pub(super) exceptions: Vec<CompiledException>,
    pub(super) thresholds: Thresholds,
    pub(super) policy: Arc<PolicyInfo>,
    pub(super) now: Option<Date>,
    pub(super) dated: bool,
    pub(super) max_post: usize,
    /// Keep ignored hits as reasons (`ScreenerBuilder::show_ignored`).
    pub(super) show_ignored: bool,
}

/// Compiles `policy` with the builder's options.
pub(super) fn compile(
    opts: &ScreenerBuilder,
    policy: &Policy,
) -> Result<Inner, Error> {
    let effective = policy.effective()?;
    let mut c = Compiler::new(opts, policy);
    c.concepts = Concepts::new(crate::concept::resolve(policy.packs())?);
    for er in effective.rules.iter().filter(|r| r.enabled) {
        c.add_rule(er, &effective.exceptions)?;
    }
    let exceptions = c.add_exceptions(&effective.exceptions)?;
    c.finish(exceptions, effective.thresholds)
}

/// Unique keys (normalised or folded words) in the order first seen, each
/// with what it is used for: pattern `i` of an automaton is key `i`.
struct Table<U> {
    /// Each key and its number, the only copy of the key.
    index: HashMap<String, u32>,
    /// Each use with its key's number, in the order added: one vector
    /// rather than one a key (a pack has thousands of keys).
    uses: Vec<(u32, U)>,
    /// The keys' bytes, together.
    bytes: usize,
}

impl<U> Default for Table<U> {
    fn default() -> Table<U> {
        Table { index: HashMap::new(), uses: Vec::new(), bytes: 0 }
    }
}

impl<U> Table<U> {
    fn add(&mut self, key: String, u: U) {
        // Looked up before inserting: a key seen before is not moved in.
        let i = match self.index.get(&key) {
            Some(&i) => i,
            None => {
                let i = self.index.len() as u32;
                self.bytes += key.len();
                self.index.insert(key, i);
                i
            }
        };
        self.uses.push((i, u));
    }

    /// The automaton over the keys; `None` if there are none.
    fn automaton(&self) -> Result<Option<Terms>, Error> {
        if self.index.is_empty() {
            return Ok(None);
        }
        let mut keys = vec![""; self.index.len()];
        for (k, &i) in &self.index {
            keys[i as usize] = k;
        }
        Terms::new(&keys).map(Some).map_err(too_many)
    }

    /// Each key's uses, in the order added.
    fn into_uses(mut self) -> Uses<U> {
        // Stable: a key's uses keep their order.
        self.uses.sort_by_key(|&(k, _)| k);
        let mut ranges = Vec::with_capacity(self.index.len());
        let mut all = Vec::with_capacity(self.uses.len());
        let mut uses = self.uses.into_iter().peekable();
        for k in 0..self.index.len() as u32 {
            let start = all.len() as u32;
            while let Some((_, u)) = uses.next_if(|&(j, _)| j == k) {
                all.push(u);
            }
            ranges.push(start..all.len() as u32);
        }
        Uses { ranges, all }
    }
}

/// What each key of an automaton is used for, all in one vector.
#[derive(Debug)]
pub(super) struct Uses<U> {
    ranges: Vec<Range<u32>>,
    all: Vec<U>,
}

impl<U> Uses<U> {
    /// The uses of key (automaton pattern) `key`.
    #[inline]
    pub(super) fn of(&self, key: usize) -> &[U] {
        let r = &self.ranges[key];
        &self.all[r.start as usize..r.end as usize]
    }
}

/// The compiled form while it is being filled, rule by rule.
struct Compiler<'p> {
    policy: &'p Policy,
    form: Form,
    /// Fold terms for the evasion pass (the builder's `evasion`).
    evasion: bool,
    reveal: bool,
    now: Option<Date>,
    max_post: usize,
    show_ignored: bool,
    rules: Vec<CompiledRule>,
    /// Normalised word -> its uses.
    words: Table<Use>,
    /// Folded term -> the terms it stands for, `(rule, shape)`.
    folded: Table<(RuleIdx, u32)>,
    shapes: Vec<TermShape>,
    patterns: Vec<Pattern>,
    /// Each pattern as its check parsed it, for the shared set.
    pattern_hirs: Vec<Option<Hir>>,
    link_rules: Vec<RuleIdx>,
    gram_rules: Vec<RuleIdx>,
    concepts: Concepts,
    /// Category -> its number.
    categories: HashMap<String, u32>,
    /// The current rule's terms in the normal form, kept for its stance
    /// cues (`own_cues`) when it has any, so they are not normalised
    /// again.
    own_words: Vec<String>,
    /// Per resolved concept, its stance cues once looked up.
    concept_cues: Vec<Option<Vec<u32>>>,
    /// Per concept id: its forms normalised, once asked for.
    concept_normal: Vec<Option<Vec<String>>>,
    /// Concept forms borrowed by unless lists so far (all rules).
    borrowed: usize,
}

impl<'p> Compiler<'p> {
    fn new(opts: &ScreenerBuilder, policy: &'p Policy) -> Compiler<'p> {
        Compiler {
            policy,
            form: if opts.evasion { Form::Full } else { Form::Basic },
            evasion: opts.evasion,
            reveal: opts.reveal,
            now: opts.now,
            max_post: opts.max_post,
            show_ignored: opts.show_ignored,
            rules: Vec::new(),
            categories: HashMap::new(),
            words: Table::default(),
            folded: Table::default(),
            shapes: Vec::new(),
            patterns: Vec::new(),
            pattern_hirs: Vec::new(),
            link_rules: Vec::new(),
            gram_rules: Vec::new(),
            concepts: Concepts::default(),
            own_words: Vec::new(),
            concept_cues: Vec::new(),
            concept_normal: Vec::new(),
            borrowed: 0,
        }
    }

    /// Where pack `name` was loaded from, for errors.
    fn origin(&self, pack: &str) -> String {
        origin_of(self.policy.packs(), pack)
    }

    /// `e`, located at `er`'s pattern.
    fn located(&self, e: ErrorKind, er: &EffectiveRule) -> Error {
        let (line, column) = er.rule.pattern_position;
        Error::new(e)
            .with_pack(self.origin(&er.pack))
            .with_rule(er.rule.id.clone())
            .with_position(line, column)
    }

    fn add_word(&mut self, w: &str, u: Use) {
        self.add_normal(normalize_term(w, self.form), u);
    }

    /// `add_word` of a word already in the normal form.
    fn add_normal(&mut self, n: String, u: Use) {
        // An empty word would match between every two bytes; packs refuse
        // such terms, and anything that slips through matches nothing.
        if !n.is_empty() {
            self.words.add(n, u);
        }
    }

    /// A rule's terms, and their folded forms for the evasion pass; each
    /// is normalised once for all three uses.
    fn add_terms(&mut self, terms: &[String], rule: &Rule, r: RuleIdx) {
        let fold = self.evasion && rule.evasion && rule.whole_word;
        let cues = !rule.stance.is_keep();
        for t in terms {
            let n = normalize_term(t, self.form);
            if fold {
                self.add_folded(&n, r);
            }
            if cues {
                self.own_words.push(n.clone());
            }
            self.add_normal(n, Use::Term(r));
        }
    }

    /// The folded form of normalised term `n`, if it has one.
    fn add_folded(&mut self, n: &str, r: RuleIdx) {
        if !evasion::foldable(n) {
            return;
        }
        let shape = self.shapes.len() as u32;
        self.shapes.push(TermShape::new(n));
        self.folded.add(evasion::fold_term(n), (r, shape));
    }

    /// A rule's pattern: checked alone now (as concept patterns are), so
    /// that the full regex built on first use is known to fit, and its
    /// parse kept for the shared set.
    fn add_pattern(
        &mut self,
        p: &str,
        role: Role,
        er: &'p EffectiveRule,
        r: RuleIdx,
    ) -> Result<(), Error> {
        let source = normalize_pattern(p, self.form);
        let (alone, parsed) =
            Lazy::checked_with_parse(source).map_err(|e| {
                let kind = ErrorKind::Regex(regex_message(&e));
                self.located(kind, er).with_source(e)
            })?;
        let alone = whole_match(alone).map_err(|k| self.located(k, er))?;
        self.patterns.push(Pattern { rule: r, role, alone });
        self.pattern_hirs.push(parsed);
        Ok(())
    }

    fn add_rule(
        &mut self,
        er: &'p EffectiveRule,
        exceptions: &[(String, Exception)],
    ) -> Result<(), Error> {
        let rule = &er.rule;
        let r = self.rules.len() as RuleIdx;
        let (shape, validator) = self.add_kind(er, r)?;
        for (k, c) in rule.context.iter().enumerate() {
            for w in &c.words {
                self.add_word(w, Use::Context(r, k as u16));
            }
        }
        self.add_unless(er, r)?;
        let next = self.categories.len() as u32;
        let category =
            *self.categories.entry(rule.category.clone()).or_insert(next);
        let own_cues = self.own_cues(rule);
        self.rules.push(CompiledRule {
            category,
            info: Arc::new(RuleInfo {
                id: rule.id.clone(),
                pack: er.pack.clone(),
                decided_by: er.decided_by.clone(),
                category: rule.category.clone(),
                action: rule.action,
                score: rule.score,
                message: rule.message.clone(),
                suggestion: rule.suggest.clone(),
                mask: rule.mask && !self.reveal,
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
            exceptions: exceptions_for(er, exceptions),
            active_from: rule.active_from,
            active_until: rule.active_until,
            shape,
            stance: rule.stance,
            own_cues,
        });
        self.own_words.clear();
        Ok(())
    }

    /// The stance cues in `rule`'s terms and patterns; none when the rule
    /// keeps every frame (then nothing is looked up). Its terms are in
    /// `own_words` already normalised (`add_terms`).
    fn own_cues(&mut self, rule: &Rule) -> Vec<u32> {
        if rule.stance.is_keep() {
            return Vec::new();
        }
        let lexicon = Lexicon::get(self.form);
        let normal = self.own_words.iter().map(String::as_str);
        let words: Vec<&str> = match &rule.kind {
            RuleKind::Terms(_) => return lexicon.own_normal(normal),
            RuleKind::Pattern { pattern, .. } => vec![pattern.as_str()],
            RuleKind::Required { trigger, .. } => {
                let mut own = lexicon.own(
                    &trigger
                        .patterns
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>(),
                    self.form,
                );
                own.extend(lexicon.own_normal(normal));
                own.sort_unstable();
                own.dedup();
                return own;
            }
            RuleKind::Link { .. } | RuleKind::Score(_) => Vec::new(),
            // A concept's own words ("can't lose") are not its negation.
            RuleKind::Near { concepts, .. } => {
                return self.concepts_cues(concepts);
            }
        };
        lexicon.own(&words, self.form)
    }

    /// The stance cues in the forms of `names`' concepts. Each concept's
    /// are looked up once, however many near rules use it: normalising
    /// every inflected form again per rule was a tenth of a compile.
    fn concepts_cues(&mut self, names: &[String]) -> Vec<u32> {
        let lexicon = Lexicon::get(self.form);
        self.concept_cues.resize(self.concepts.resolved.len(), None);
        let mut own = Vec::new();
        for i in 0..self.concepts.resolved.len() {
            if !names.contains(&self.concepts.resolved[i].name) {
                continue;
            }
            if self.concept_cues[i].is_none() {
                let normal = self.concept_normal(i).iter();
                let cues = lexicon.own_normal(normal.map(String::as_str));
                self.concept_cues[i] = Some(cues);
            }
            own.extend_from_slice(
                self.concept_cues[i].as_deref().unwrap_or(&[]),
            );
        }
        own.sort_unstable();
        own.dedup();
        own
    }

    /// Concept `i`'s forms in the normal form: normalised once, for its
    /// stance cues and for the automaton.
    fn concept_normal(&mut self, i: usize) -> &[String] {
        self.concept_normal.resize(self.concepts.resolved.len(), None);
        let (form, resolved) = (self.form, &self.concepts.resolved);
        self.concept_normal[i].get_or_insert_with(|| {
            resolved[i].forms.iter().map(|f| normalize_term(f, form)).collect()
        })
    }

    /// What the rule's kind adds to the engines, and how its hits become
    /// reasons.
    fn add_kind(
        &mut self,
        er: &'p EffectiveRule,
        r: RuleIdx,
    ) -> Result<(Shape, Option<Validator>), Error> {
        let rule = &er.rule;
        let mut validator = None;
        let shape = match &rule.kind {
            RuleKind::Terms(terms) => {
                self.add_terms(terms, rule, r);
                Shape::Spans
            }
            RuleKind::Pattern { pattern, validator: v } => {
                self.add_pattern(pattern, Role::Hit, er, r)?;
                if let Some(name) = v {
                    validator =
                        Some(validate::by_name(name).ok_or_else(|| {
                            self.located(
                                ErrorKind::UnknownValidator(name.clone()),
                                er,
                            )
                        })?);
                }
                Shape::Spans
            }
            RuleKind::Required { trigger, require, within } => {
                self.add_terms(&trigger.terms, rule, r);
                for p in &trigger.patterns {
                    self.add_pattern(p, Role::Hit, er, r)?;
                }
                for t in &require.terms {
                    self.add_word(t, Use::Required(r));
                }
                for p in &require.patterns {
                    self.add_pattern(p, Role::Required, er, r)?;
                }
                Shape::Required { within: *within }
            }
            RuleKind::Link { allow, deny, protect } => {
                self.link_rules.push(r);
                Shape::Link(link_lists(allow, deny, protect))
            }
            RuleKind::Near { concepts, within, scope, ordered } => {
                let spec = self
                    .concepts
                    .spec(r, concepts, *within, *scope, *ordered)
                    .map_err(|m| {
                        self.located(ErrorKind::InvalidPack(m), er)
                    })?;
                Shape::Near(spec)
            }
            RuleKind::Score(weights) => {
                if !weights.grams.is_empty() {
                    // Each walks every post: a policy of thousands would
                    // walk each post thousands of times.
                    if self.gram_rules.len() == crate::grams::MAX_GRAM_RULES {
                        let m = format!(
                            "a policy may hold at most {} gram rules",
                            crate::grams::MAX_GRAM_RULES
                        );
                        return Err(
                            self.located(ErrorKind::InvalidPack(m), er)
                        );
                    }
                    self.gram_rules.push(r);
                }
                for (k, (phrase, _)) in weights.terms.iter().enumerate() {
                    let k = k as u16;
                    // `@name` is a concept: its terms' marks count.
                    let Some(name) = phrase.strip_prefix('@') else {
                        self.add_word(phrase, Use::Score(r, k));
                        continue;
                    };
                    self.concepts.score_feature(r, k, name).map_err(|m| {
                        self.located(ErrorKind::InvalidPack(m), er)
                    })?;
                }
                let spec =
                    super::score::ScoreSpec::new(weights).map_err(|m| {
                        self.located(ErrorKind::InvalidPack(m), er)
                    })?;
                Shape::Score(spec)
            }
        };
        Ok((shape, validator))
    }

    /// Builds the engines over everything added.
    fn finish(
        mut self,
        exceptions: Vec<CompiledException>,
        thresholds: Thresholds,
    ) -> Result<Inner, Error> {
        // Concept terms join the one automaton: no pass of their own.
        let used: Vec<usize> = self.concepts.used().collect();
        for i in used {
            self.concept_normal(i);
            let normal = self.concept_normal[i].take().unwrap_or_default();
            for w in normal {
                self.add_normal(w, Use::Concept(i as u32));
            }
        }
        // Gate words have a room of their own in the dense automaton (see
        // `automaton::DFA_BYTES`): while the terms stay within theirs, every
        // gate fits. Terms past their room take the gates' first, so the
        // scan stays a DFA; a pattern whose words no longer fit gets no
        // gate and is searched as before.
        let term_bytes = self.words.bytes;
        let room =
            DFA_BYTES.saturating_sub(term_bytes + KEY_CUT_ROOM).min(GATE_ROOM);
        self.concepts.finish(self.form, room)?;
        // The split-key join's own look for where a key may be cut was an
        // Aho-Corasick pass over every post with a digit (4,400
        // instructions of a clean tweet); its words join the one
        // automaton instead.
        if self.form == Form::Full && !self.patterns.is_empty() {
            for w in super::folded_patterns::key_cut_words() {
                self.words.add(w.to_string(), Use::KeyCut);
            }
        }
        // Patterns run over the normal form, which their words are in.
        for (w, u) in self.concepts.gate_words() {
            self.words.add(w.to_string(), u);
        }
        let words = self.words.automaton()?;
        let folded = self.folded.automaton()?;
        let pattern_set = self.pattern_set()?;
        let dated = self
            .rules
            .iter()
            .any(|r| r.active_from.is_some() || r.active_until.is_some());
        Ok(Inner {
            rules: self.rules,
            words,
            #[cfg(test)]
            term_bytes,
            word_uses: self.words.into_uses(),
            folded,
            folded_uses: self.folded.into_uses(),
            shapes: self.shapes,
            form: self.form,
            pattern_set,
            patterns: self.patterns,
            link_rules: self.link_rules,
            gram_rules: self.gram_rules,
            concepts: self.concepts,
            exceptions,
            thresholds,
            policy: Arc::new(PolicyInfo {
                packs: self.policy.pack_labels(),
                fingerprint: self.policy.fingerprint(),
            }),
            now: self.now,
            dated,
            max_post: self.max_post,
            show_ignored: self.show_ignored,
        })
    }

    /// One automaton over every pattern, to learn which match a post.
    fn pattern_set(&mut self) -> Result<Option<Set>, Error> {
        if self.patterns.is_empty() {
            return Ok(None);
        }
        let parsed = std::mem::take(&mut self.pattern_hirs);
        let mut hirs = Vec::with_capacity(parsed.len());
        for (hir, p) in parsed.into_iter().zip(&self.patterns) {
            // A pattern the check built whole was not kept parsed (none
            // that fits: see `Lazy::checked_with_parse`).
            match hir {
                Some(hir) => hirs.push(hir),
                None => match parse_normal(p.alone.source()) {
                    Ok((hir, _)) => hirs.push(hir),
                    Err(e) => return Err(set_error(&e.to_string())),
                },
            }
        }
        // Each pattern fits alone (checked as it was added): the limit is
        // crossed by all of them together.
        Set::new(&hirs).map(Some).map_err(|e| {
            set_error(&match e.size_limit() {
                Some(n) => format!(
                    "the policy's patterns together compile to more than \
                     {n} bytes"
                ),
                None => e.to_string(),
            })
            .with_source(e)
        })
    }
}

fn set_error(message: &str) -> Error {
    Error::new(ErrorKind::Regex(message.to_string()))
}

fn link_lists(
    allow: &[String],
    deny: &[String],
    protect: &[String],
) -> LinkLists {
    LinkLists {
        allow: allow.to_vec(),
        deny: deny.to_vec(),
        deny_skeletons: with_skeletons(deny),
        // Look-alikes of an allowed host are flagged too.
        protect: with_skeletons(allow.iter().chain(protect)),
    }
}

/// `(host, skeleton)` of each host.
fn with_skeletons<'a>(
    hosts: impl IntoIterator<Item = &'a String>,
) -> Vec<(String, String)> {
    hosts.into_iter().map(|h| (h.clone(), link::skeleton(h))).collect()
}

fn too_many(e: aho_corasick::BuildError) -> Error {
    Error::new(ErrorKind::InvalidPack(format!(
        "terms do not fit in an automaton: {e}"
    )))
}

/// One pattern of the shared set.
#[derive(Debug)]
pub(super) struct Pattern {
    pub(super) rule: RuleIdx,
    pub(super) role: Role,
    /// The pattern alone, for its spans: compiled the first time the set
    /// says it matches, since most patterns never match most posts and
    /// compiling them all would double the time to build a screener.
    pub(super) alone: Lazy,
}
