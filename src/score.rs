//! Score rules: a linear scorer over the words of a post. Each word or
//! two-word phrase of the rule has a weight; a post's score is the rule's
//! bias plus the weights of the phrases it contains, each counted once,
//! and the rule fires when the score reaches its threshold.
//!
//! Hand-written rules caught about half of the violations that a writer
//! who had not seen them wrote (issue 12, ten batches); weights learnt
//! from every labelled post carry further, because they sum many weak
//! signs where a rule needs one strong one. The phrases join the one
//! automaton as any term does, so a score rule costs a screening a few
//! additions, whatever the number of its phrases. Weights are written as
//! decimals and kept in thousandths, so that a rule is `Eq` and `Hash`
//! (the policy's fingerprint hashes rules). A phrase `@name` is concept
//! `name`: any of its terms counts, so that a weight learnt from a few
//! posts carries to the synonyms the pack lists.

use std::collections::BTreeMap;

use toml::Spanned;

use crate::error::Error;
use crate::grams::MAX_GRAMS;

/// The most phrases a score rule may weigh.
pub const MAX_WEIGHTS: usize = 20_000;

/// The largest weight, bias or threshold, in absolute value.
const MAX_ABS: f64 = 1_000.0;

/// A score rule's phrases and numbers, in thousandths.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Weights {
    /// Each phrase as written, with its weight in thousandths.
    pub terms: Vec<(String, i32)>,
    /// Or each character n-gram, with its weight and its inverse
    /// document frequency in thousandths (see `grams`): a rule weighs
    /// phrases or grams, not both.
    pub grams: Vec<(String, i32, i32)>,
    /// Added to every post's score, in thousandths.
    pub bias: i32,
    /// The score at which the rule fires, in thousandths.
    pub threshold: i32,
}

/// `weights`, `bias` and `threshold` of a `[[rules]]` entry, as written.
#[derive(serde::Deserialize, Default)]
pub(crate) struct RawScore {
    pub(crate) weights: Option<Spanned<BTreeMap<String, f64>>>,
    pub(crate) grams: Option<Spanned<BTreeMap<String, [f64; 2]>>>,
    pub(crate) bias: Option<Spanned<f64>>,
    pub(crate) threshold: Option<Spanned<f64>>,
}

impl RawScore {
    /// The checked weights; `invalid(message, byte offset)` makes the
    /// error, `at` is the rule's `kind`.
    pub(crate) fn check(
        self,
        at: usize,
        invalid: impl Fn(String, usize) -> Error,
    ) -> Result<Weights, Error> {
        let (terms, grams) = match (self.weights, self.grams) {
            (Some(weights), None) => (phrases(weights, &invalid)?, Vec::new()),
            (None, Some(grams)) => {
                (Vec::new(), checked_grams(grams, &invalid)?)
            }
            (Some(_), Some(g)) => {
                return Err(invalid(
                    "a score rule weighs `weights` or `grams`, not both"
                        .into(),
                    g.span().start,
                ))
            }
            (None, None) => {
                return Err(invalid(
                    "a score rule needs `weights`, a table of phrase = \
                     weight, or `grams`, a table of gram = [weight, idf]"
                        .into(),
                    at,
                ))
            }
        };
        let number = |v: Option<Spanned<f64>>, name: &str| {
            let Some(v) = v else { return Ok(0) };
            let at = v.span().start;
            thousandths(*v.get_ref()).ok_or_else(|| {
                invalid(
                    format!("`{name}` is not a number within ±{MAX_ABS}"),
                    at,
                )
            })
        };
        let bias = number(self.bias, "bias")?;
        let threshold = number(self.threshold, "threshold")?;
        if bias >= threshold {
            return Err(invalid(
                "`bias` must be below `threshold`: the rule would fire on \
                 any post with one of its phrases, whatever its weight"
                    .into(),
                at,
            ));
        }
        Ok(Weights { terms, grams, bias, threshold })
    }
}

/// Whether a rule's `n` phrases or grams are 1 to `max`.
fn how_many(
    n: usize,
    max: usize,
    what: &str,
    at: usize,
    invalid: &impl Fn(String, usize) -> Error,
) -> Result<(), Error> {
    if n == 0 || n > max {
        let msg = format!("a score rule weighs 1 to {max} {what}, not {n}");
        return Err(invalid(msg, at));
    }
    Ok(())
}

/// The checked phrases of `weights`.
fn phrases(
    weights: Spanned<BTreeMap<String, f64>>,
    invalid: &impl Fn(String, usize) -> Error,
) -> Result<Vec<(String, i32)>, Error> {
    let wat = weights.span().start;
    let weights = weights.into_inner();
    how_many(weights.len(), MAX_WEIGHTS, "phrases", wat, invalid)?;
    let mut terms = Vec::with_capacity(weights.len());
    for (term, w) in weights {
        if term.trim().is_empty() || term.chars().all(|c| !c.is_alphanumeric())
        {
            return Err(invalid(
                format!("score phrase {term:?} has no letter or digit"),
                wat,
            ));
        }
        if let Some(name) = term.strip_prefix('@') {
            if !crate::concept::is_name(name) {
                return Err(invalid(
                    format!(
                        "score feature {term:?} names no concept: after \
                         `@`, lower-case letters, digits, '_' or '-'"
                    ),
                    wat,
                ));
            }
        }
        let w = thousandths(w).ok_or_else(|| {
            invalid(
                format!(
                    "weight of {term:?} is not a number within ±{MAX_ABS}"
                ),
                wat,
            )
        })?;
        terms.push((term, w));
    }
    Ok(terms)
}

/// The checked grams of `grams`: each of the shape the features have
/// (`crate::grams`), with a weight and a positive idf.
fn checked_grams(
    grams: Spanned<BTreeMap<String, [f64; 2]>>,
    invalid: &impl Fn(String, usize) -> Error,
) -> Result<Vec<(String, i32, i32)>, Error> {
    let at = grams.span().start;
    let grams = grams.into_inner();
    how_many(grams.len(), MAX_GRAMS, "grams", at, invalid)?;
    let mut out = Vec::with_capacity(grams.len());
    for (gram, [w, idf]) in grams {
        if !crate::grams::is_gram(&gram) {
            return Err(invalid(
                format!(
                    "{gram:?} is no gram: 3 or 4 lower-case letters or \
                     digits (every digit written 0), a space allowed at \
                     either end"
                ),
                at,
            ));
        }
        match (thousandths(w), thousandths(idf)) {
            (Some(w), Some(idf)) if idf > 0 => out.push((gram, w, idf)),
            _ => {
                return Err(invalid(
                    format!(
                        "gram {gram:?} needs [weight, idf]: numbers within \
                         ±{MAX_ABS}, the idf above 0"
                    ),
                    at,
                ))
            }
        }
    }
    Ok(out)
}

/// `v` in thousandths, if it is a number within ±`MAX_ABS`.
fn thousandths(v: f64) -> Option<i32> {
    (v.is_finite() && v.abs() <= MAX_ABS).then(|| (v * 1000.0).round() as i32)
}

/// A score in thousandths as a decimal with a sign: `+1.82`, `-0.4`.
pub(crate) struct Signed(pub(crate) i32);

impl std::fmt::Display for Signed {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let v = self.0;
        let sign = if v < 0 { '\u{2212}' } else { '+' };
        let hundredths = (v.unsigned_abs() + 5) / 10;
        write!(f, "{sign}{}.{:02}", hundredths / 100, hundredths % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::{thousandths, Signed};

    #[test]
    fn weights_are_kept_in_thousandths() {
        let cases = [
            (1.8244, Some(1824)),
            (-0.0005, Some(-1)),
            (1000.0, Some(1_000_000)),
            (1000.5, None),
            (f64::NAN, None),
            (f64::INFINITY, None),
        ];
        for (v, want) in cases {
            assert_eq!(thousandths(v), want, "{v}");
        }
    }

    #[test]
    fn scores_print_with_a_sign_and_two_decimals() {
        let cases = [
            (1824, "+1.82"),
            (-400, "\u{2212}0.40"),
            (0, "+0.00"),
            (1995, "+2.00"),
        ];
        for (v, want) in cases {
            assert_eq!(Signed(v).to_string(), want);
        }
    }
}
