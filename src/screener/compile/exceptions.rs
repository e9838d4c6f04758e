//! Exceptions, compiled: their terms join the one automaton, their
//! patterns (and those of the concepts they borrow) are checked now and
//! built the first time a hit could use them.

use crate::error::{Error, ErrorKind};
use crate::normalize::normalize_pattern;
use crate::pack::{Exception, Scope};
use crate::pattern::{regex_message, Lazy};
use crate::policy::EffectiveRule;

use super::{whole_match, Compiler, Use};

#[derive(Debug)]
pub(in crate::screener) struct CompiledException {
    pub(in crate::screener) patterns: Vec<Lazy>,
    /// `None`: an occurrence must overlap the hit.
    pub(in crate::screener) window: Option<Scope>,
}

impl Compiler<'_> {
    /// Exception terms join the automaton; their patterns are checked
    /// now and built the first time a hit could use them. A named
    /// concept lends its terms and patterns, as if written here.
    pub(super) fn add_exceptions(
        &mut self,
        exceptions: &[(String, Exception)],
    ) -> Result<Vec<CompiledException>, Error> {
        let mut compiled = Vec::with_capacity(exceptions.len());
        for (e, (pack, ex)) in exceptions.iter().enumerate() {
            // Errors name the exception's pack and position.
            let origin = self.origin(pack);
            let located = |kind| {
                Error::new(kind)
                    .with_pack(origin.clone())
                    .with_position(ex.position.0, ex.position.1)
            };
            let mut sources = ex.patterns.clone();
            let mut words: Vec<String> = Vec::new();
            for name in &ex.concepts {
                let i = self
                    .lent_concept(name)
                    .map_err(|m| located(ErrorKind::InvalidPack(m)))?;
                words.extend(self.concept_normal(i).iter().cloned());
                sources.extend_from_slice(&self.concepts.resolved[i].patterns);
            }
            for t in &ex.terms {
                self.add_word(t, Use::Exception(e as u32));
            }
            for w in words {
                self.add_normal(w, Use::Exception(e as u32));
            }
            let mut patterns = Vec::new();
            for p in &sources {
                let p = normalize_pattern(p, self.form);
                let lazy = Lazy::checked(p).map_err(|err| {
                    let kind = ErrorKind::Regex(regex_message(&err));
                    located(kind).with_source(err)
                })?;
                patterns.push(whole_match(lazy).map_err(located)?);
            }
            compiled.push(CompiledException { patterns, window: ex.window });
        }
        Ok(compiled)
    }

    /// The index of concept `name`, which an exception borrows: it must
    /// exist and have no entities (an exception's reach is a term's or a
    /// pattern's match).
    fn lent_concept(&self, name: &str) -> Result<usize, String> {
        let i = self.concepts.find(name).map_err(|tail| {
            format!("an exception names no concept `{name}`{tail}")
        })?;
        if self.concepts.resolved[i].entities != 0 {
            return Err(format!(
                "an exception takes a concept's terms and patterns, and \
                 concept `{name}` has entities: give the exception a \
                 concept of terms and patterns only"
            ));
        }
        Ok(i)
    }
}

/// The exceptions that apply to `er`, by index.
pub(super) fn exceptions_for(
    er: &EffectiveRule,
    exceptions: &[(String, Exception)],
) -> Vec<u32> {
    // A locked rule answers only to the exceptions of the pack that
    // locked it: those of earlier packs (a pack stacked below the
    // organisation's) do not reach it, and later ones are refused when the
    // policy is resolved.
    exceptions
        .iter()
        .enumerate()
        .filter(|(_, (pack, e))| er.answers_to(pack, e))
        .map(|(i, _)| i as u32)
        .collect()
}
