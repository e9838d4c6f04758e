//! `--format sarif`: one SARIF 2.1.0 log (one run) for code-scanning
//! dashboards. It streams: the results are written post by post as they
//! are screened, and the tool, its rules (one per rule that fired) and the
//! run's properties follow them — JSON object keys have no order — so
//! memory stays flat over any number of posts.
//!
//! Masked values never appear: a result carries the rule's message and
//! where the hit is, never the post's text or an excerpt.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use preclear::{Decision, Reason, Verdict};
use serde_json::{json, Value};

use crate::input::Post;

/// Everything before the first result.
pub const HEAD: &str = concat!(
    r#"{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","#,
    r#""version":"2.1.0","runs":[{"results":["#
);

/// The rules that fired and the errors met, gathered for the log's end.
#[derive(Default)]
pub struct Run {
    rules: BTreeMap<String, Value>,
    errors: Vec<String>,
    /// Whether a result has been written (the next needs a comma).
    pub any_result: bool,
}

impl Run {
    pub fn rules(&mut self, rules: Vec<(String, Value)>) {
        for (id, rule) in rules {
            self.rules.entry(id).or_insert(rule);
        }
    }

    pub fn error(&mut self, msg: String) {
        self.errors.push(msg);
    }

    /// Everything after the last result.
    pub fn tail(&self, fingerprint: &str, packs: &[String]) -> String {
        let notes: Vec<Value> = self
            .errors
            .iter()
            .map(|m| json!({"level": "error", "message": {"text": m}}))
            .collect();
        let run = json!({
            "tool": {"driver": {
                "name": "preclear",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": self.rules.values().collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": self.errors.is_empty(),
                "toolExecutionNotifications": notes,
            }],
            "properties": {"fingerprint": fingerprint, "packs": packs},
        });
        // `run` is an object: splice its members in after the results.
        let members = run.to_string();
        let inner = &members[1..members.len() - 1];
        format!("],{inner}}}]}}\n")
    }
}

/// SARIF's level for a rule's action.
fn level(action: Decision) -> &'static str {
    match action {
        Decision::Block => "error",
        Decision::Warn => "warning",
        Decision::Allow => "note",
    }
}

/// The post's results, comma-separated, into `out`.
pub fn results(out: &mut Vec<u8>, post: &Post, v: &Verdict) {
    let uri = uri(post.file);
    for (i, r) in v.reasons().iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let mut location =
            json!({"physicalLocation": {"artifactLocation": {"uri": uri}}});
        let region = region(post, r);
        if let Some(region) = &region {
            location["physicalLocation"]["region"] = region.clone();
        }
        let mut props = json!({
            "post": post.id,
            "verdict": v.decision().as_str(),
            "score": r.score(),
            "pack": r.pack(),
            "decidedBy": r.decided_by(),
            "category": r.category(),
        });
        if let (None, Some(span)) = (post.offset, r.span()) {
            // A JSON record: the span is into its decoded text.
            props["start"] = span.start.into();
            props["end"] = span.end.into();
        }
        let mut result = json!({
            "ruleId": r.rule(),
            "level": level(r.action()),
            "message": {"text": message(r)},
            "locations": [location],
            "properties": props,
        });
        if let Some(fix) = fix(&uri, region.as_ref(), r) {
            result["fixes"] = json!([fix]);
        }
        // Writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, &result);
    }
}

/// A rule's replacement as a SARIF fix: only where the hit has a byte
/// region in its file (not inside a JSON record, whose span is into the
/// decoded text) and never for a masked rule, whose region is a secret.
fn fix(uri: &str, region: Option<&Value>, r: &Reason) -> Option<Value> {
    let text = r.replacement()?;
    let region =
        region.filter(|g| g.get("byteOffset").is_some() && !r.masked())?;
    Some(json!({
        "description": {"text": r.suggestion().map(|s| s.to_string())},
        "artifactChanges": [{
            "artifactLocation": {"uri": uri},
            "replacements": [{
                "deletedRegion": {
                    "byteOffset": region["byteOffset"],
                    "byteLength": region["byteLength"],
                },
                "insertedContent": {"text": text},
            }],
        }],
    }))
}

/// Where a reason's hit is in its file. For a JSON record only the line:
/// its span is into the decoded text, not the file's bytes.
fn region(post: &Post, r: &Reason) -> Option<Value> {
    let span = r.span()?;
    let line = post.line + r.line()? - 1;
    Some(match post.offset {
        Some(offset) => json!({
            "startLine": line,
            "startColumn": r.column()?,
            "byteOffset": offset + span.start as u64,
            "byteLength": span.len(),
        }),
        None => json!({"startLine": post.line}),
    })
}

fn message(r: &Reason) -> String {
    or_fired(r, r.message())
}

fn or_fired(r: &Reason, message: &str) -> String {
    if message.is_empty() {
        format!("rule {} fired", r.rule())
    } else {
        message.to_string()
    }
}

/// The `rules` entries for the reasons of `v`. A rule is described by
/// its pack's message, not by the hit that first fired it: the log keeps
/// one entry per rule, and a hit's details ("certainty 'guaranteed' near
/// …") belong to that post's result alone.
pub fn descriptors(v: &Verdict) -> Vec<(String, Value)> {
    v.reasons()
        .iter()
        .map(|r| {
            let described = or_fired(r, r.rule_message());
            let lead = match r.suggestion() {
                Some(s) => s.to_string(),
                None => described.clone(),
            };
            let help = format!(
                "{} Rule {} of pack {} ({}). `preclear policy` shows what \
                 it matches.",
                lead,
                r.rule(),
                r.pack(),
                if r.category().is_empty() { "-" } else { r.category() },
            );
            let rule = json!({
                "id": r.rule(),
                "shortDescription": {"text": described},
                "help": {"text": help},
                "defaultConfiguration": {"level": level(r.action())},
                "properties": {
                    "category": r.category(),
                    "pack": r.pack(),
                    "tags": [r.category()],
                },
            });
            (r.rule().to_string(), rule)
        })
        .collect()
}

/// A file name as a URI reference: relative paths stay relative (code
/// scanning resolves them against the checkout), absolute ones become
/// `file://` URIs; anything outside RFC 3986's unreserved set and `/` is
/// percent-encoded.
fn uri(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path);
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => out.push(b as char),
            b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_encoded_references() {
        for (path, want) in [
            ("drafts/a.md", "drafts/a.md"),
            ("./drafts/my post.md", "drafts/my%20post.md"),
            ("/abs/é.txt", "file:///abs/%C3%A9.txt"),
            ("-", "-"),
        ] {
            assert_eq!(uri(path), want);
        }
    }
}
