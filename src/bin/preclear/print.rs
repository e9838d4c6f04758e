//! Printing verdicts: compiler-style diagnostics for people, JSON Lines for
//! programs (SPEC §2).

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use preclear::{Decision, Verdict};

use crate::args::Format;
use crate::input::Post;

/// Prints verdicts in one format.
pub struct Printer {
    format: Format,
    renderer: Renderer,
}

impl Printer {
    pub fn new(format: Format, color: bool) -> Printer {
        let renderer =
            if color { Renderer::styled() } else { Renderer::plain() };
        Printer { format, renderer }
    }

    /// Prints the verdict for post `id` whose text is `post`.
    pub fn verdict(
        &self,
        out: &mut impl Write,
        post: &Post,
        text: &str,
        v: &Verdict,
    ) -> io::Result<()> {
        match self.format {
            Format::Json => writeln!(out, "{}", v.to_json(&post.id)),
            Format::Human => self.human(out, post, text, v),
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
            let group = match r.span() {
                Some(span) => title.element(
                    Snippet::source(redacted.text())
                        .path(post.origin.0.as_str())
                        .line_start(post.origin.1)
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
            writeln!(out, "{}", self.renderer.render(&[group]))?;
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
