//! `Verdict` and `Reason`: the core types, with each span also in Python
//! string indices (code points), computed once per verdict.

use std::ops::Range;

use pyo3::prelude::*;

use crate::error::PostError;

/// The answer for one post.
#[pyclass(module = "preclear", frozen)]
pub(crate) struct Verdict {
    inner: preclear::Verdict,
    /// The post, for `redact()`.
    text: String,
    /// Each reason's span in code points, in the order of the reasons.
    spans: Vec<Option<Range<usize>>>,
}

impl Verdict {
    /// Screens `text` (no Python involved: runs with the GIL released).
    pub(crate) fn screen(
        screener: &preclear::Screener,
        text: String,
    ) -> Result<Verdict, PostError> {
        let inner = screener.screen(&text).map_err(PostError::Screen)?;
        let spans = char_spans(&text, inner.reasons());
        Ok(Verdict { inner, text, spans })
    }
}

/// The reasons' byte spans as code-point ranges of `text`, in one pass
/// over the text whatever the number of reasons.
fn char_spans(
    text: &str,
    reasons: &[preclear::Reason],
) -> Vec<Option<Range<usize>>> {
    let spans = || reasons.iter().map(|r| r.span());
    if text.is_ascii() {
        return spans().collect();
    }
    let mut offsets: Vec<usize> =
        spans().flatten().flat_map(|s| [s.start, s.end]).collect();
    offsets.sort_unstable();
    offsets.dedup();
    // Code points before each offset: count the bytes that start one (all
    // but UTF-8 continuation bytes). Slicing bytes cannot panic, whatever
    // the offset.
    let bytes = text.as_bytes();
    let (mut at, mut count) = (0, 0);
    let counts: Vec<usize> = offsets
        .iter()
        .map(|&o| {
            let o = o.min(bytes.len());
            count += bytes[at.min(o)..o]
                .iter()
                .filter(|&&b| (b as i8) >= -0x40)
                .count();
            at = o;
            count
        })
        .collect();
    let index = |o: usize| {
        offsets.binary_search(&o).map(|i| counts[i]).unwrap_or_default()
    };
    spans().map(|s| s.map(|s| index(s.start)..index(s.end))).collect()
}

#[pymethods]
impl Verdict {
    /// "allow", "warn" or "block".
    #[getter]
    fn decision(&self) -> &'static str {
        self.inner.decision().as_str()
    }

    /// The sum of the scores of the rules that fired (each rule once).
    #[getter]
    fn score(&self) -> u32 {
        self.inner.score()
    }

    /// The fingerprint of the policy that decided.
    #[getter]
    fn fingerprint(&self) -> &str {
        self.inner.fingerprint()
    }

    /// `name@version` of the policy's packs, most general first.
    #[getter]
    fn packs(&self) -> Vec<String> {
        self.inner.packs().to_vec()
    }

    /// The reasons, in text order (reasons about the whole post first).
    #[getter]
    fn reasons(&self) -> Vec<Reason> {
        self.inner
            .reasons()
            .iter()
            .zip(&self.spans)
            .map(|(r, s)| Reason { inner: r.clone(), span: s.clone() })
            .collect()
    }

    /// The verdict as the JSON line `preclear check --format json` prints
    /// (no newline); `id` is its "id" field ("-" is stdin's).
    #[pyo3(signature = (id = "-"))]
    fn to_json(&self, id: &str) -> String {
        self.inner.to_json(id)
    }

    /// The post with every masked finding's letters and digits replaced
    /// by "•" except its last four, as excerpts show it.
    fn redact(&self) -> String {
        self.inner.redact(&self.text).text().to_owned()
    }

    fn __repr__(&self) -> String {
        let rules: Vec<&str> =
            self.inner.reasons().iter().map(|r| r.rule()).collect();
        format!(
            "<Verdict {} score={} reasons={:?}>",
            self.inner.decision(),
            self.inner.score(),
            rules
        )
    }
}

/// One reason for a verdict: a rule that fired, where, and why.
#[pyclass(module = "preclear", frozen)]
pub(crate) struct Reason {
    inner: preclear::Reason,
    /// The span in code points.
    span: Option<Range<usize>>,
}

#[pymethods]
impl Reason {
    /// The id of the rule that fired.
    #[getter]
    fn rule(&self) -> &str {
        self.inner.rule()
    }

    /// The pack that defines the rule.
    #[getter]
    fn pack(&self) -> &str {
        self.inner.pack()
    }

    /// The last pack that overrode the rule, else `pack`.
    #[getter]
    fn decided_by(&self) -> &str {
        self.inner.decided_by()
    }

    /// The rule's category.
    #[getter]
    fn category(&self) -> &str {
        self.inner.category()
    }

    /// The rule's action: the least verdict it imposes.
    #[getter]
    fn action(&self) -> &'static str {
        self.inner.action().as_str()
    }

    /// The score this hit contributed.
    #[getter]
    fn score(&self) -> u32 {
        self.inner.score()
    }

    /// What the author should do.
    #[getter]
    fn message(&self) -> &str {
        self.inner.message()
    }

    /// Start of the hit as a str index (`text[start:end]` is the hit), or
    /// None for a reason about the whole post.
    #[getter]
    fn start(&self) -> Option<usize> {
        self.span.as_ref().map(|s| s.start)
    }

    /// End of the hit as a str index (exclusive), or None.
    #[getter]
    fn end(&self) -> Option<usize> {
        self.span.as_ref().map(|s| s.end)
    }

    /// Start of the hit as a UTF-8 byte offset (the JSON's "start").
    #[getter]
    fn byte_start(&self) -> Option<usize> {
        self.inner.span().map(|s| s.start)
    }

    /// End of the hit as a UTF-8 byte offset (exclusive).
    #[getter]
    fn byte_end(&self) -> Option<usize> {
        self.inner.span().map(|s| s.end)
    }

    /// 1-based line of the hit's start, or None.
    #[getter]
    fn line(&self) -> Option<usize> {
        self.inner.line()
    }

    /// 1-based column (in characters) of the hit's start, or None.
    #[getter]
    fn column(&self) -> Option<usize> {
        self.inner.column()
    }

    /// The hit with two words either side, masked where the rule asks.
    #[getter]
    fn excerpt(&self) -> Option<&str> {
        self.inner.excerpt()
    }

    /// What the rule suggests writing instead (its `suggest`), or None:
    /// the JSON line's "suggestion".
    #[getter]
    fn suggestion(&self) -> Option<Suggestion> {
        self.inner
            .suggestion()
            .map(|s| Suggestion { kind: s.kind(), text: s.text().to_owned() })
    }

    fn __repr__(&self) -> String {
        let at = match &self.span {
            Some(s) => format!(" {}:{}", s.start, s.end),
            None => String::new(),
        };
        format!(
            "<Reason {} {}{at} score={}>",
            self.inner.rule(),
            self.inner.action(),
            self.inner.score()
        )
    }
}

/// What a rule suggests the author write instead: a hint for a person
/// (`kind == "hint"`), or text that replaces the hit (`kind ==
/// "replace"`), as the JSON line's `{"kind", "text"}`.
#[pyclass(module = "preclear", frozen, eq, hash)]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct Suggestion {
    kind: &'static str,
    text: String,
}

#[pymethods]
impl Suggestion {
    /// "hint" or "replace".
    #[getter]
    fn kind(&self) -> &'static str {
        self.kind
    }

    /// The hint, or the replacement text.
    #[getter]
    fn text(&self) -> &str {
        &self.text
    }

    fn __repr__(&self) -> String {
        format!("<Suggestion {} {:?}>", self.kind, self.text)
    }
}
