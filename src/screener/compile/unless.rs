//! A rule's unless list: its own words and the terms of the concepts it
//! borrows, all in the one automaton.

use crate::error::{Error, ErrorKind};
use crate::limits::MAX_TERMS_PER_POLICY;
use crate::policy::EffectiveRule;

use super::{Compiler, RuleIdx, Use};

impl Compiler<'_> {
    /// Adds `er`'s unless words and borrowed concept forms for rule `r`.
    pub(super) fn add_unless(
        &mut self,
        er: &EffectiveRule,
        r: RuleIdx,
    ) -> Result<(), Error> {
        let Some(u) = &er.rule.unless else { return Ok(()) };
        for w in &u.words {
            self.add_word(w, Use::Unless(r));
        }
        for name in &u.concepts {
            let forms = self.unless_concept(name).map_err(|m| {
                self.unless_error(ErrorKind::InvalidPack(m), er)
            })?;
            for f in forms {
                self.add_normal(f, Use::Unless(r));
            }
        }
        Ok(())
    }

    /// The normal forms of the concept an `unless` names: its terms (an
    /// unless list is words); a concept with patterns or entities is
    /// refused rather than half read. Each borrowed
    /// form is one more word in the automaton, so all borrowings of a
    /// policy together stay within [`MAX_TERMS_PER_POLICY`]: a pack could
    /// otherwise name one large concept in thousands of rules.
    fn unless_concept(&mut self, name: &str) -> Result<Vec<String>, String> {
        let i = self.concepts.find(name).map_err(|tail| {
            format!("an unless names no concept `{name}`{tail}")
        })?;
        let forms = self.concept_normal(i).to_vec();
        if forms.is_empty() {
            return Err(format!(
                "concept `{name}` has no terms to use as unless words"
            ));
        }
        // Patterns and entities an unless would skip without a word: a
        // shape added to such a concept would do nothing at all.
        let c = &self.concepts.resolved[i];
        if !c.patterns.is_empty() || c.entities != 0 {
            return Err(format!(
                "concept `{name}` has patterns or entities, which an unless \
                 does not read (it reads terms only): name a concept of \
                 terms, or put the patterns in an [[exceptions]] entry \
                 (which removes the hits it overlaps)"
            ));
        }
        self.borrowed += forms.len();
        if self.borrowed > MAX_TERMS_PER_POLICY {
            return Err(format!(
                "unless lists borrow more than {MAX_TERMS_PER_POLICY} concept \
                 forms in this policy (at concept `{name}`)"
            ));
        }
        Ok(forms)
    }

    /// `e` about `er`'s unless: in the pack that set it, at the rule when
    /// that is the defining pack (an override's own position is not kept).
    fn unless_error(&self, e: ErrorKind, er: &EffectiveRule) -> Error {
        let pack = er.set_by("unless");
        if pack == er.pack {
            return self.located(e, er);
        }
        Error::new(e)
            .with_pack(self.origin(pack))
            .with_rule(er.rule.id.clone())
    }
}
