//! The JSON line of a verdict, in the object shape fixed by SPEC §2.

use std::io;

use serde::Serialize;

use super::Verdict;

impl Verdict {
    /// The verdict as one line of JSON (no newline), as `preclear check
    /// --format json` prints it, with `id` naming the post.
    pub fn to_json(&self, id: &str) -> String {
        let mut out = Vec::new();
        // Writing plain strings and numbers to a Vec cannot fail, and
        // serde_json writes only UTF-8.
        let _ = self.write_json(id, &mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// [`Verdict::to_json`] written straight into `out`: a caller that
    /// renders many verdicts into one reused buffer allocates no string
    /// per verdict.
    pub fn write_json<W: io::Write>(
        &self,
        id: &str,
        out: W,
    ) -> io::Result<()> {
        #[derive(Serialize)]
        struct Out<'a> {
            id: &'a str,
            verdict: &'static str,
            score: u32,
            packs: &'a [String],
            fingerprint: &'a str,
            reasons: Vec<OutReason<'a>>,
        }
        #[derive(Serialize)]
        struct OutReason<'a> {
            rule: &'a str,
            pack: &'a str,
            decided_by: &'a str,
            category: &'a str,
            action: &'static str,
            score: u32,
            message: &'a str,
            start: Option<usize>,
            end: Option<usize>,
            line: Option<usize>,
            column: Option<usize>,
            excerpt: Option<&'a str>,
            /// Only when the rule has one: lines of rules without
            /// suggestions keep SPEC's shape.
            #[serde(skip_serializing_if = "Option::is_none")]
            suggestion: Option<OutSuggestion<'a>>,
            /// Only for a negated, quoted or reported hit.
            #[serde(skip_serializing_if = "Option::is_none")]
            stance: Option<OutStance>,
            /// Only for a near rule's reason: which concepts matched where.
            #[serde(skip_serializing_if = "Vec::is_empty")]
            concepts: Vec<OutConcept<'a>>,
        }
        #[derive(Serialize)]
        struct OutStance {
            frame: &'static str,
            cue: &'static str,
            effect: &'static str,
        }
        #[derive(Serialize)]
        struct OutConcept<'a> {
            concept: &'a str,
            start: usize,
            end: usize,
        }
        #[derive(Serialize)]
        struct OutSuggestion<'a> {
            kind: &'static str,
            text: &'a str,
        }
        let value = Out {
            id,
            verdict: self.decision.as_str(),
            score: self.score,
            packs: &self.policy.packs,
            fingerprint: &self.policy.fingerprint,
            reasons: self
                .reasons
                .iter()
                .map(|r| OutReason {
                    rule: r.rule(),
                    pack: r.pack(),
                    decided_by: r.decided_by(),
                    category: r.category(),
                    action: r.action().as_str(),
                    score: r.score,
                    message: r.message(),
                    start: r.span.as_ref().map(|s| s.start),
                    end: r.span.as_ref().map(|s| s.end),
                    line: r.line(),
                    column: r.column(),
                    excerpt: r.excerpt(),
                    suggestion: r.suggestion().map(|s| OutSuggestion {
                        kind: s.kind(),
                        text: s.text(),
                    }),
                    stance: r.stance().map(|s| OutStance {
                        frame: s.frame().as_str(),
                        cue: s.cue(),
                        effect: s.effect().as_str(),
                    }),
                    concepts: r
                        .concepts()
                        .iter()
                        .map(|c| OutConcept {
                            concept: c.concept(),
                            start: c.span.start,
                            end: c.span.end,
                        })
                        .collect(),
                })
                .collect(),
        };
        serde_json::to_writer(out, &value).map_err(io::Error::from)
    }
}
