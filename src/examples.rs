//! A pack's examples, checked against a screener: the same check for
//! `preclear test`, the test suite and any integrator's CI.

use crate::error::Error;
use crate::pack::Pack;
use crate::screener::Screener;
use crate::verdict::{Decision, Verdict};

/// One example of a pack that the policy does not answer as the pack says:
/// a different decision, or a listed rule that did not fire.
#[derive(Clone, Debug)]
pub struct ExampleFailure {
    index: usize,
    expected: Decision,
    missing: Vec<String>,
    verdict: Verdict,
}

impl ExampleFailure {
    /// The example's position in [`Pack::examples`], from 0.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The decision the example expects.
    pub fn expected(&self) -> Decision {
        self.expected
    }

    /// The listed rules that did not fire.
    pub fn missing(&self) -> &[String] {
        &self.missing
    }

    /// What the screener answered.
    pub fn verdict(&self) -> &Verdict {
        &self.verdict
    }
}

impl Screener {
    /// Screens every example of `pack` (as of its `now` date, if it has
    /// one) and returns those that fail: a decision other than the
    /// example's, or a rule it lists that is not among the reasons.
    ///
    /// A pack's examples describe the policy as of its own layer, so
    /// screen them with a screener of the policy up to and including that
    /// pack ([`Policy::first`](crate::Policy::first)).
    ///
    /// ```
    /// use preclear::{Policy, Screener};
    ///
    /// let mut policy = Policy::new();
    /// policy.add_bundled("financial-institution")?;
    /// let screener = Screener::new(&policy)?;
    /// let pack = policy.packs().last().unwrap();
    /// assert!(screener.check_examples(pack)?.is_empty());
    /// # Ok::<(), preclear::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A post the screener refuses (over its size limit).
    pub fn check_examples(
        &self,
        pack: &Pack,
    ) -> Result<Vec<ExampleFailure>, Error> {
        let mut failures = Vec::new();
        for (index, ex) in pack.examples().iter().enumerate() {
            let verdict = match ex.now {
                Some(d) => self.screen_at(&ex.text, d)?,
                None => self.screen(&ex.text)?,
            };
            let missing: Vec<String> = ex
                .rules
                .iter()
                .filter(|r| !verdict.reasons().iter().any(|x| x.rule() == *r))
                .cloned()
                .collect();
            if verdict.decision() != ex.verdict || !missing.is_empty() {
                failures.push(ExampleFailure {
                    index,
                    expected: ex.verdict,
                    missing,
                    verdict,
                });
            }
        }
        Ok(failures)
    }
}
