//! Printing verdicts: compiler-style diagnostics for people, JSON Lines for
//! programs (SPEC §2), the redacted posts, SARIF results.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use preclear::{Decision, Verdict};

use crate::args::{CheckFormat, Input};
use crate::input::Post;

/// Prints verdicts in one format.
pub struct Printer {
    format: CheckFormat,
    input: Input,
    /// Findings only (`--quiet`).
    quiet: bool,
    renderer: Renderer,
}

impl Printer {
    pub fn new(
        format: CheckFormat,
        input: Input,
        quiet: bool,
        color: bool,
    ) -> Printer {
        let renderer =
            if color { Renderer::styled() } else { Renderer::plain() };
        Printer { format, input, quiet, renderer }
    }

    /// Prints the verdict for post `id` whose text is `post`.
    pub fn verdict(
        &self,
        out: &mut Vec<u8>,
        post: &Post,
        text: &str,
        v: &Verdict,
    ) -> io::Result<()> {
        match self.format {
            CheckFormat::Json if self.quiet && v.reasons().is_empty() => {
                Ok(())
            }
            CheckFormat::Json => {
                v.write_json(&post.id, &mut *out)?;
                out.push(b'\n');
                Ok(())
            }
            CheckFormat::Human => self.human(out, post, text, v),
            CheckFormat::Redacted => self.redacted(out, post, text, v),
            CheckFormat::Sarif => {
                crate::sarif::results(out, post, v);
                Ok(())
            }
        }
    }

    /// The post with every finding hidden, in the input's own form, so it
    /// can be piped on.
    fn redacted(
        &self,
        out: &mut Vec<u8>,
        post: &Post,
        text: &str,
        v: &Verdict,
    ) -> io::Result<()> {
        let redacted = v.redact_findings(text);
        match self.input {
            // A file's own bytes, line breaks and all.
            Input::Text => out.write_all(redacted.text().as_bytes()),
            Input::Lines => writeln!(out, "{}", redacted.text()),
            Input::Jsonl => {
                let record = serde_json::json!({"id": post.id, "text": redacted.text()});
                writeln!(out, "{record}")
            }
        }
    }

    fn human(
        &self,
        out: &mut impl Write,
        post: &Post,
        text: &str,
        v: &Verdict,
    ) -> io::Result<()> {
        let id = &post.id;
        // The source shown under each diagnostic is the redacted post: a
        // masked value never reaches the terminal.
        let redacted = v.redact(text);
        for r in v.reasons() {
            let level = match r.action() {
                Decision::Block => Level::ERROR,
                Decision::Warn => Level::WARNING,
                Decision::Allow => Level::NOTE,
            };
            let message = if r.message().is_empty() {
                format!("rule {} fired", r.rule())
            } else {
                r.message().to_string()
            };
            let decided = if r.decided_by() == r.pack() {
                String::new()
            } else {
                format!(", decided by {}", r.decided_by())
            };
            let label = format!(
                "{}{}score {} · {} · pack {}{decided}",
                r.category(),
                if r.category().is_empty() { "" } else { " · " },
                r.score(),
                r.action(),
                r.pack()
            );
            let title = level.primary_title(message).id(r.rule());
            let mut group = match r.span() {
                Some(span) => title.element(
                    Snippet::source(redacted.text())
                        .path(post.origin().0)
                        .line_start(post.origin().1)
                        .annotation(
                            AnnotationKind::Primary
                                .span(
                                    redacted.offset(span.start)
                                        ..redacted.offset(span.end),
                                )
                                .label(label),
                        ),
                ),
                None => Group::with_title(title)
                    .element(Level::NOTE.message(format!("{id}: {label}"))),
            };
            if let Some(s) = r.stance() {
                group = group.element(Level::NOTE.message(s.to_string()));
            }
            if let Some(s) = r.suggestion() {
                group = group.element(Level::HELP.message(s.to_string()));
            }
            writeln!(out, "{}", self.renderer.render(&[group]))?;
        }
        if self.quiet {
            // Findings only, still one block per post.
            if !v.reasons().is_empty() {
                writeln!(out)?;
            }
            return Ok(());
        }
        writeln!(
            out,
            "{id}: {} (score {}) · policy {} · fingerprint {}",
            v.decision(),
            v.score(),
            v.packs().join(", "),
            &v.fingerprint()[..16.min(v.fingerprint().len())]
        )?;
        if !v.reasons().is_empty() {
            writeln!(out)?;
        }
        Ok(())
    }
}
