//! The compiled screener, the crate's public face: [`ScreenerBuilder`]
//! and [`Screener`], the per-thread scratch space a screening works in,
//! and the order of its stages. How a policy is compiled, how a post is
//! scanned for candidate hits, how those are judged and how the verdict
//! explains them each have their own room below.

mod compile;
mod explain;
mod folded_patterns;
mod judge;
mod near;
mod scan;
mod score;

use std::cell::RefCell;
use std::sync::Arc;

use regex_automata::PatternSet;

use crate::date::Date;
use crate::error::{Error, ErrorKind};
use crate::evasion::Folded;
use crate::limits::MAX_POST_BYTES;
use crate::link::Link;
use crate::normalize::Normalized;
use crate::pack::Thresholds;
use crate::policy::Policy;
use crate::sentence::Sentences;
use crate::verdict::Verdict;

use self::compile::{CompiledRule, Inner};
use self::explain::Explaining;
use self::judge::Judging;
use self::scan::Found;

/// Builds a [`Screener`] with options. One builder can build many
/// screeners.
#[derive(Clone, Debug)]
pub struct ScreenerBuilder {
    now: Option<Date>,
    reveal: bool,
    evasion: bool,
    max_post: usize,
    show_ignored: bool,
}

impl Default for ScreenerBuilder {
    fn default() -> ScreenerBuilder {
        ScreenerBuilder {
            now: None,
            reveal: false,
            evasion: true,
            max_post: MAX_POST_BYTES,
            show_ignored: false,
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
    /// a masked hit is all `•`, but for the last four letters or digits of
    /// a value of 12 or more (a card's, an IBAN's, a key's).
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

    /// Also list the hits that a rule's stance ignored (a negated,
    /// quoted or reported hit of a rule that says `negated = "ignore"`…),
    /// as reasons with score 0 and action allow, whose
    /// [`Reason::stance`](crate::Reason::stance) says why: for authors
    /// checking what their rules let through. They never change a
    /// decision. Default `false`.
    pub fn show_ignored(&mut self, yes: bool) -> &mut ScreenerBuilder {
        self.show_ignored = yes;
        self
    }

    /// Compiles `policy` into a screener.
    pub fn build(&self, policy: &Policy) -> Result<Screener, Error> {
        let inner = compile::compile(self, policy)?;
        Ok(Screener { inner: Arc::new(inner) })
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

/// Scratch space reused by screenings on the same thread: once its
/// buffers have grown, a clean post allocates nothing.
#[derive(Default)]
struct Scratch {
    norm: Normalized,
    folded: Folded,
    /// Which patterns matched; sized for the largest set seen.
    patterns: Option<PatternSet>,
    links: Vec<Link>,
    found: Found,
    nearing: near::Nearing,
    scoring: score::Scoring,
    sentences: Sentences,
    judging: Judging,
    explaining: Explaining,
}

/// The post being screened, as written and normalised, with the policy
/// and the date it is screened against: what every stage reads.
struct Post<'a> {
    inner: &'a Inner,
    /// The post as written.
    source: &'a str,
    norm: &'a Normalized,
    /// `norm`'s text, which the engines search.
    text: &'a str,
    now: Option<Date>,
}

impl Post<'_> {
    /// Whether `rule` is in force for this screening.
    #[inline]
    fn active(&self, rule: &CompiledRule) -> bool {
        rule.active(self.now)
    }
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

    /// The stages of a screening, in order: candidates from each engine,
    /// then, for a post with any, judging and the reasons.
    fn screen_with(
        &self,
        s: &mut Scratch,
        post: &str,
        now: Option<Date>,
    ) -> Verdict {
        let inner = &*self.inner;
        s.norm.fill(post, inner.form);
        let p = Post {
            inner,
            source: post,
            norm: &s.norm,
            text: s.norm.text(),
            now,
        };
        let found = &mut s.found;
        found.clear();
        scan::terms(&p, found);
        scan::folded(&p, &mut s.folded, found);
        scan::patterns(&p, &mut s.patterns, found);
        scan::links(&p, &mut s.links, found);
        // Sentences are segmented on demand, around the hits and concept
        // occurrences a scope or a stance asks about.
        let sentences = s.sentences.view(&s.norm, post);
        near::hits(&p, &mut s.nearing, &sentences, found);
        score::hits(&p, &mut s.scoring, found);
        if found.hits.is_empty() {
            return Verdict::allow(inner.policy.clone());
        }
        scan::exceptions(&p, found);
        let j = &mut s.judging;
        judge::weigh(&p, &sentences, found, j);
        judge::drop_overlaps(inner, j);
        judge::drop_covered(inner, j);
        let (decision, score) = judge::decide(inner, j);
        let notes =
            explain::Notes { nearing: &s.nearing, scoring: &s.scoring };
        explain::verdict(&p, j, &mut s.explaining, notes, decision, score)
    }
}

#[cfg(test)]
mod tests {
    use super::Screener;
    use crate::automaton::Terms;
    use crate::{bundled_names, Policy};

    /// Every bundled pack (over base) keeps its terms in the dense term
    /// DFA, and every pattern with words its gate: past the DFA's budget
    /// the scan falls back to an NFA (the bank pack passed 64 KiB of terms
    /// in issue 12's seventh round, and a clean tweet cost 21% more
    /// instructions), and a pattern without its gate runs on every post.
    #[test]
    fn bundled_packs_keep_their_terms_in_the_dfa() {
        for name in bundled_names() {
            let mut policy = Policy::new();
            policy.add_bundled(name).unwrap();
            let screener = Screener::new(&policy).unwrap();
            let words = screener.inner.words.as_ref();
            assert!(matches!(words, Some(Terms::Dfa(_))), "{name}");
            // Gate words have their own room (on 2026-12-04, when they
            // took what the terms left, fourteen more bank terms starved
            // them, and a clean tweet cost 12% more instructions).
            let starved = screener.inner.concepts.starved;
            assert_eq!(starved, 0, "{name}: patterns without their gate");
        }
    }

    /// The bank pack and an overlay of `n` 13-byte terms.
    fn bank_with_terms(n: usize) -> Screener {
        let terms: Vec<String> =
            (0..n).map(|i| format!("\"codename{i:04}x\"")).collect();
        let overlay = format!(
            "[pack]\nname = \"many\"\nversion = \"1\"\n\n[[rules]]\n\
             id = \"many.terms\"\nkind = \"terms\"\nterms = [{}]\n\
             action = \"warn\"\n",
            terms.join(", ")
        );
        let mut policy = Policy::new();
        policy.add_bundled("financial-institution").unwrap();
        policy.add_toml("many.toml", &overlay).unwrap();
        Screener::new(&policy).unwrap()
    }

    /// Terms within their room leave the gates theirs: the bank pack and
    /// as many more terms as its room still holds gate every pattern. Past
    /// the terms' room the gates give way first and the scan stays a DFA;
    /// every verdict stays the bank's own.
    #[test]
    fn gates_keep_their_room_while_the_terms_keep_theirs() {
        use crate::automaton::{GATE_ROOM, TERM_ROOM};
        let mut bank = Policy::new();
        bank.add_bundled("financial-institution").unwrap();
        let bank = Screener::new(&bank).unwrap();
        // The bank leaves room to grow: at least 8 KiB of its terms' room.
        let free = TERM_ROOM.checked_sub(bank.inner.term_bytes).unwrap();
        assert!(free >= 8 * 1024, "{free} bytes left");
        let within = bank_with_terms((free - 512) / 13);
        assert_eq!(within.inner.concepts.starved, 0);
        assert_eq!(within.inner.concepts.gates, bank.inner.concepts.gates);
        assert!(matches!(within.inner.words, Some(Terms::Dfa(_))));
        // 12 KiB past the room leaves the gates 4 KiB: too few.
        let past = bank_with_terms((free + GATE_ROOM * 3 / 4) / 13);
        assert!(past.inner.concepts.starved > 0);
        assert!(matches!(past.inner.words, Some(Terms::Dfa(_))));
        let post = "Our fund made +18.4% YTD, guaranteed again next year.";
        let want = bank.screen(post).unwrap().decision();
        assert!(want > crate::Decision::Allow);
        for grown in [&within, &past] {
            assert_eq!(grown.screen(post).unwrap().decision(), want);
        }
    }
}
