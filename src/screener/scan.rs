//! Scanning a post: what each engine finds before anything is judged.
//! One pass per engine over the whole post (terms, folded terms, the
//! pattern set, links), never a pass per rule; each stage appends to the
//! same [`Found`], so a clean post ends here having allocated nothing.

use regex::bytes::Regex;
use regex_automata::PatternSet;

use crate::evasion::{self, Folded, Reading};
use crate::link::{self, Link};
use crate::normalize::Form;
use crate::pattern::Lazy;
use crate::stance::Stance;
use crate::text::{
    camel_edges, possessive_after, snap, whole_term, word_edges,
};
use crate::validate::Validator;

use super::compile::{LinkLists, Pattern, Role, RuleIdx, Shape, Use};
use super::Post;

/// A candidate hit, in normalised coordinates.
#[derive(Clone, Copy, Debug)]
pub(super) struct Hit {
    pub(super) rule: RuleIdx,
    pub(super) start: usize,
    pub(super) end: usize,
    /// What a link imitates, if anything.
    pub(super) imitates: Imitation,
    /// A link written defanged (`paypa1[.]com`): inside a warning, that is
    /// how a host is named safely (see the judge).
    pub(super) defanged: bool,
    /// The frame that changed the hit (negated, quoted, reported), once
    /// judged.
    pub(super) stance: Option<Stance>,
}

impl Hit {
    /// A hit of `rule` at `start..end`, plain.
    pub(super) fn new(rule: RuleIdx, start: usize, end: usize) -> Hit {
        let imitates = Imitation::Nothing;
        Hit { rule, start, end, imitates, defanged: false, stance: None }
    }
}

/// What a link hit's host imitates. Either kind is an imitation: a warning
/// that names the link live lowers it (see the judge).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Imitation {
    /// Nothing (every hit that is no link's, and a link flagged otherwise).
    Nothing,
    /// A protected host: its index in the rule's `protect` list.
    Protected(u32),
    /// Another site's whole domain, hidden in front of the host's own
    /// (`deepl.com.pro-traductores.info`).
    HiddenDomain,
}

/// A context, unless, required or exception word found in the post.
#[derive(Clone, Copy, Debug)]
pub(super) struct Mark {
    pub(super) what: Use,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// What the engines found in one post.
#[derive(Default)]
pub(super) struct Found {
    /// Candidate hits, in the order the engines found them.
    pub(super) hits: Vec<Hit>,
    /// The words that qualify hits; judging sorts them.
    pub(super) marks: Vec<Mark>,
    /// Whether the post has a key prefix or a Markdown mark that may cut
    /// a key ([`Use::KeyCut`]).
    pub(super) key_cut: bool,
    /// The gates ([`Use::Gate`]) a word of the post opened, as bits.
    gates: Vec<u64>,
}

impl Found {
    pub(super) fn clear(&mut self) {
        self.hits.clear();
        self.marks.clear();
        self.key_cut = false;
        self.gates.clear();
    }

    fn open(&mut self, gate: u32) {
        let (word, bit) = (gate as usize / 64, gate % 64);
        if self.gates.len() <= word {
            self.gates.resize(word + 1, 0);
        }
        self.gates[word] |= 1 << bit;
    }

    /// Whether a word of `gate` is in the post.
    pub(super) fn opened(&self, gate: u32) -> bool {
        let (word, bit) = (gate as usize / 64, gate % 64);
        self.gates.get(word).is_some_and(|w| w & (1 << bit) != 0)
    }

    fn hit(&mut self, rule: RuleIdx, start: usize, end: usize) {
        self.hits.push(Hit::new(rule, start, end));
    }
}

/// One automaton pass: terms, and the words that qualify them.
pub(super) fn terms(p: &Post, found: &mut Found) {
    let Some(ac) = &p.inner.words else { return };
    let mut sink = TermSink { p, found };
    ac.for_each(p.text.as_bytes(), |pattern, start, end| {
        sink.found(pattern, start, end)
    });
}

/// Disguised terms: one pass over the folded view; each candidate is
/// checked against its term's shape.
pub(super) fn folded(p: &Post, folded: &mut Folded, found: &mut Found) {
    let Some(ac) = &p.inner.folded else { return };
    folded.fill(p.text, Reading::Letters);
    let mut sink = FoldedSink { p, folded, hits: &mut found.hits };
    ac.for_each(folded.text().as_bytes(), |pattern, start, end| {
        sink.found(pattern, start, end)
    });
    // `|` and `+` also read as marks (`b|r|e|a|k`, `risk+free`): a second
    // view, only for the posts that have them.
    if folded.ambiguous() {
        folded.fill(p.text, Reading::Marks);
        let mut sink = FoldedSink { p, folded, hits: &mut found.hits };
        ac.for_each(folded.text().as_bytes(), |pattern, start, end| {
            sink.found(pattern, start, end)
        });
    }
}

// The automaton loops run once a byte and matches are rare. A match goes
// to a sink that the loop reaches through one pointer to the stack, and
// the sink's work is out of line: the loop then has little to keep live
// and keeps it in registers (callgrind: the folded pass went from 18 to
// 14 instructions a byte).

/// Where the term automaton reports a match.
struct TermSink<'s, 'p> {
    p: &'s Post<'p>,
    found: &'s mut Found,
}

impl TermSink<'_, '_> {
    /// Automaton pattern `pattern` at `start..end`: its uses.
    #[inline(never)]
    fn found(&mut self, pattern: usize, start: usize, end: usize) {
        let (inner, text) = (self.p.inner, self.p.text);
        // Decided once per match, and only if a use asks.
        let mut whole: Option<bool> = None;
        let mut is_whole =
            || *whole.get_or_insert_with(|| whole_term(text, start, end));
        for u in inner.word_uses.of(pattern) {
            match *u {
                Use::Term(r) => {
                    let rule = &inner.rules[r as usize];
                    if (!rule.whole_word || is_whole()) && self.p.active(rule)
                    {
                        self.found.hit(r, start, end);
                    }
                }
                Use::KeyCut => self.found.key_cut = true,
                Use::Gate(g) => self.found.open(g),
                what => {
                    if is_whole() {
                        self.found.marks.push(Mark { what, start, end });
                    }
                }
            }
        }
    }
}

/// Where the folded-term automaton reports a match.
struct FoldedSink<'s, 'p> {
    p: &'s Post<'p>,
    folded: &'s Folded,
    hits: &'s mut Vec<Hit>,
}

impl FoldedSink<'_, '_> {
    /// Folded pattern `pattern` at `fstart..fend` of the folded view: the
    /// terms whose shape the text there has.
    #[inline(never)]
    fn found(&mut self, pattern: usize, fstart: usize, fend: usize) {
        let p = self.p;
        let (inner, text) = (p.inner, p.text);
        let region = self.folded.span(fstart..fend);
        for &(r, shape) in inner.folded_uses.of(pattern) {
            if !p.active(&inner.rules[r as usize]) {
                continue;
            }
            let shape = &inner.shapes[shape as usize];
            let Some(part) = shape.accepts(&text[region.clone()]) else {
                continue;
            };
            let (start, end) =
                (region.start + part.start, region.start + part.end);
            // A word boundary, or a camel-case change in the post
            // (`#GuaranteedReturnsDaily`), on both sides.
            let (ms, me) = evasion::past_markdown(text, start, end);
            let (a, b) = word_edges(text, start, end);
            let (a, b) = (
                a || word_edges(text, ms, end).0,
                b || word_edges(text, start, me).1
                    || possessive_after(text, end),
            );
            let (ca, cb) = camel_edges(p.source, p.norm, start, end);
            if (a || ca) && (b || cb) && evasion::edges_ok(text, start..end) {
                self.hits.push(Hit::new(r, start, end));
            }
        }
    }
}

/// One pass of the pattern set says which patterns match; only those run
/// for spans, and validators confirm them.
pub(super) fn patterns(
    p: &Post,
    which: &mut Option<PatternSet>,
    found: &mut Found,
) {
    let Some(set) = &p.inner.pattern_set else { return };
    let n = set.pattern_len();
    let which = match which {
        Some(w) if w.capacity() >= n => w,
        _ => which.insert(PatternSet::new(n)),
    };
    pattern_set(p, p.text, which, found);
    if p.inner.form == Form::Full {
        super::folded_patterns::run(p, which, found);
    }
}

/// The pattern set over `text` (the normalised post, or a view of it):
/// the patterns that match run alone for spans, into `found`.
pub(super) fn pattern_set(
    p: &Post,
    text: &str,
    which: &mut PatternSet,
    found: &mut Found,
) {
    let Some(set) = &p.inner.pattern_set else { return };
    set.matches(text.as_bytes(), which);
    for i in which.iter() {
        let pattern = &p.inner.patterns[i.as_usize()];
        let rule = &p.inner.rules[pattern.rule as usize];
        if !p.active(rule) {
            continue;
        }
        // Cannot fail: each pattern was checked alone when the pack
        // compiled (its forward and reverse NFAs, as parsed).
        if let Some(re) = pattern.alone.get() {
            spans(text, re, rule.validator, pattern, found);
        }
    }
}

/// Every match of `re` in `text` that `validator` confirms, as a hit or
/// a required element by the pattern's role.
fn spans(
    text: &str,
    re: &Regex,
    validator: Option<Validator>,
    pattern: &Pattern,
    found: &mut Found,
) {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at <= bytes.len() {
        let Some(m) = re.find_at(bytes, at) else { break };
        let (mut start, mut end) = (m.start(), m.end());
        // An empty match (`a?`) moves the search on by one.
        at = if end > start { end } else { end + 1 };
        if let Some(v) = validator {
            // The match may split a character (ASCII mode); validators see
            // whole characters.
            let (a, b) = snap(text, start, end);
            let Some(sub) = v(&text[a..b]) else { continue };
            end = a + sub.end;
            start = a + sub.start;
            // What the validator trimmed off may hold the next number
            // ("4111… 5555…" as one run): search on from here.
            at = end.max(start + 1);
        }
        let (start, end) = snap(text, start, end);
        match pattern.role {
            _ if start >= end => {}
            Role::Hit => found.hit(pattern.rule, start, end),
            Role::Required => found.marks.push(Mark {
                what: Use::Required(pattern.rule),
                start,
                end,
            }),
        }
    }
}

/// Links, when the policy has link rules: each link against each link
/// rule's lists. A file-like link (`setup.py`) counts only when some
/// link rule lists its host (`lnkd.in`).
pub(super) fn links(p: &Post, links: &mut Vec<Link>, found: &mut Found) {
    if p.inner.link_rules.is_empty() {
        return;
    }
    links.clear();
    link::find_links(p.norm, p.source, links);
    for l in links.iter() {
        // Whether some link rule names the host: asked only of a file-like
        // link and of a host that hides a domain, not of every link.
        let listed = || listed_anywhere(p, &l.host);
        if l.file_like && !listed() {
            continue;
        }
        for &r in &p.inner.link_rules {
            let rule = &p.inner.rules[r as usize];
            let Shape::Link(lists) = &rule.shape else { continue };
            if !p.active(rule) {
                continue;
            }
            if let Some(imitates) = flagged(lists, l, &listed) {
                let (start, end) = (l.span.start, l.span.end);
                let hit = Hit::new(r, start, end);
                let defanged = l.defanged;
                found.hits.push(Hit { imitates, defanged, ..hit });
            }
        }
    }
}

/// Whether a link rule of the policy names `host` (or a parent of it).
fn listed_anywhere(p: &Post, host: &str) -> bool {
    p.inner.link_rules.iter().any(|&r| {
        let Shape::Link(lists) = &p.inner.rules[r as usize].shape else {
            return false;
        };
        let names = lists.allow.iter().chain(&lists.deny);
        let protected = lists.protect.iter().map(|(h, _)| h);
        names.chain(protected).any(|h| link::host_matches(host, h))
    })
}

/// Whether the link `l` (to `host`, that a reader reads as `read` if that
/// is another name) breaks the rule's lists: then `Some` of the hit's
/// `imitates`. A deny list judges both names, an allow list `host` only.
/// `listed`: whether some link rule of the policy names the host (the
/// organisation's own domain hides nothing), asked last.
fn flagged(
    lists: &LinkLists,
    l: &link::Link,
    listed: &dyn Fn() -> bool,
) -> Option<Imitation> {
    let (host, read) = (l.host.as_str(), l.read.as_deref());
    let protected = link::imitated(host, &lists.protect)
        .and_then(|p| lists.protect.iter().position(|(h, _)| h == p));
    let named = |d: &String| {
        link::host_matches(host, d)
            || read.is_some_and(|r| link::host_matches(r, d))
    };
    let denied = lists.deny.iter().any(named)
        || link::imitated(host, &lists.deny_skeletons).is_some();
    let unlisted = !lists.allow.is_empty()
        && !lists.allow.iter().any(|a| link::host_matches(host, a));
    // A rule that protects brands also flags any site's whole domain
    // hidden in front of a hyphenated one (`deepl.com.pro-traductores.info`).
    let imitates = match protected {
        Some(i) => Imitation::Protected(i as u32),
        None if !lists.protect.is_empty()
            && link::hides_domain(host)
            && !listed() =>
        {
            Imitation::HiddenDomain
        }
        None => Imitation::Nothing,
    };
    (imitates != Imitation::Nothing || denied || unlisted).then_some(imitates)
}

/// Exception patterns run once, and only when a hit could use them.
pub(super) fn exceptions(p: &Post, found: &mut Found) {
    let Found { hits, marks, .. } = found;
    for (e, ex) in p.inner.exceptions.iter().enumerate() {
        let e = e as u32;
        let needed = !ex.patterns.is_empty()
            && hits.iter().any(|h| {
                p.inner.rules[h.rule as usize].exceptions.contains(&e)
            });
        if !needed {
            continue;
        }
        for re in ex.patterns.iter().filter_map(Lazy::get) {
            for m in re.find_iter(p.text.as_bytes()) {
                let (start, end) = snap(p.text, m.start(), m.end());
                marks.push(Mark { what: Use::Exception(e), start, end });
            }
        }
    }
}
