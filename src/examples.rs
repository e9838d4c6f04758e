//! A pack's examples, checked against a screener: the same check for
//! `preclear test`, the test suite and any integrator's CI.

use crate::error::Error;
use crate::pack::Pack;
use crate::screener::Screener;
use crate::verdict::{Decision, Verdict};

/// One example of a pack that the policy does not answer as the pack says:
/// a different decision, or a listed rule that did not fire.
///
/// `Display` gives one line that names the pack file and the example's
/// line first, like an error, and never the example's text (it may hold
/// what a masked rule hides):
/// `acme.toml:40:1: example 4: expected block, got warn (score 40); fired
/// [mnpi.announcement]`.
#[derive(Clone, Debug)]
pub struct ExampleFailure {
    index: usize,
    origin: String,
    position: (usize, usize),
    expected: Decision,
    missing: Vec<String>,
    verdict: Verdict,
}

impl ExampleFailure {
    /// The example's position in [`Pack::examples`], from 0.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Where the pack came from (a file path, or `bundled:NAME`).
    pub fn pack(&self) -> &str {
        &self.origin
    }

    /// 1-based line of the example in the pack file.
    pub fn line(&self) -> usize {
        self.position.0
    }

    /// 1-based column of the example in the pack file.
    pub fn column(&self) -> usize {
        self.position.1
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

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = &self.verdict;
        let (line, column) = self.position;
        write!(
            f,
            "{}:{line}:{column}: example {}: expected {}, got {} (score {})",
            self.origin,
            self.index + 1,
            self.expected,
            v.decision(),
            v.score()
        )?;
        let fired: Vec<&str> = v.reasons().iter().map(|r| r.rule()).collect();
        write!(f, "; fired [{}]", fired.join(", "))?;
        if !self.missing.is_empty() {
            write!(f, "; missing [{}]", self.missing.join(", "))?;
        }
        Ok(())
    }
}

/// What screening a pack's examples found: the failures, and which rules
/// fired in any example (for coverage).
#[derive(Clone, Debug, Default)]
pub struct ExampleReport {
    examples: usize,
    failures: Vec<ExampleFailure>,
    fired: Vec<(String, String)>,
}

impl ExampleReport {
    /// How many examples were screened.
    pub fn examples(&self) -> usize {
        self.examples
    }

    /// The examples the policy does not answer as the pack says.
    pub fn failures(&self) -> &[ExampleFailure] {
        &self.failures
    }

    /// `(pack, rule)` of every rule that gave a reason in at least one
    /// example, the pack being the one that defines the rule; sorted, once
    /// each.
    pub fn fired(&self) -> &[(String, String)] {
        &self.fired
    }
}

impl Screener {
    /// Screens every example of `pack` like
    /// [`check_examples`](Screener::check_examples), and also reports which
    /// rules fired in them: `preclear test --coverage` lists the rules that
    /// no example makes fire.
    ///
    /// # Errors
    ///
    /// A post the screener refuses (over its size limit).
    pub fn screen_examples(
        &self,
        pack: &Pack,
    ) -> Result<ExampleReport, Error> {
        let mut report = ExampleReport {
            examples: pack.examples().len(),
            ..ExampleReport::default()
        };
        let mut fired = std::collections::BTreeSet::new();
        for (index, ex) in pack.examples().iter().enumerate() {
            let verdict = match ex.now {
                Some(d) => self.screen_at(&ex.text, d)?,
                None => self.screen(&ex.text)?,
            };
            for r in verdict.reasons() {
                fired.insert((r.pack().to_string(), r.rule().to_string()));
            }
            let missing: Vec<String> = ex
                .rules
                .iter()
                .filter(|r| !verdict.reasons().iter().any(|x| x.rule() == *r))
                .cloned()
                .collect();
            if verdict.decision() != ex.verdict || !missing.is_empty() {
                report.failures.push(ExampleFailure {
                    index,
                    origin: pack.origin().to_string(),
                    position: ex.position,
                    expected: ex.verdict,
                    missing,
                    verdict,
                });
            }
        }
        report.fired = fired.into_iter().collect();
        Ok(report)
    }

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
        Ok(self.screen_examples(pack)?.failures)
    }
}
