//! Judging candidate hits: which count, and how they are explained.

use std::ops::Range;

use crate::verdict::noted;

use super::compile::{CompiledRule, Use};
use super::scan::{Hit, Mark};

/// "(triggered by “returned 12%” at line 1, column 5)": where a required
/// rule's trigger is, after the rule's message, for its whole-post
/// reason.
pub(super) fn trigger_note(
    post: &str,
    span: Range<usize>,
    rule: &CompiledRule,
) -> String {
    let (line, column) = crate::error::line_column(post, span.start);
    let message = &rule.info.message;
    if rule.info.mask {
        return noted(
            message,
            format_args!("(triggered at line {line}, column {column})"),
        );
    }
    /// The first 40 characters, on one line.
    struct Quoted<'a>(&'a str);
    impl std::fmt::Display for Quoted<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            use std::fmt::Write;
            for c in self.0.chars().take(40) {
                f.write_char(if matches!(c, '\n' | '\r') { ' ' } else { c })?;
            }
            Ok(())
        }
    }
    noted(
        message,
        format_args!(
            "(triggered by \u{201c}{}\u{201d} at line {line}, column \
             {column})",
            Quoted(&post[span])
        ),
    )
}

/// True if a mark for which `wanted` holds overlaps `hit` (`window`
/// `None`) or stands within `window` words of it. `marks` are sorted by
/// start; the search walks outwards from the hit and stops where marks
/// can no longer be near, so a long post costs what its neighbourhoods
/// cost. `reach` is the longest of the marks, in bytes.
pub(super) fn any_near(
    marks: &[Mark],
    text: &str,
    hit: Hit,
    window: Option<u32>,
    reach: usize,
    wanted: impl Fn(Use) -> bool,
) -> bool {
    let close = |m: &Mark| match window {
        None => m.start < hit.end && hit.start < m.end,
        Some(w) => near(text, m, hit, w),
    };
    let at = marks.partition_point(|m| m.start < hit.start);
    for m in &marks[at..] {
        if !close(m) {
            // Later marks start later still: none is nearer.
            break;
        }
        if wanted(m.what) {
            return true;
        }
    }
    for m in marks[..at].iter().rev() {
        if close(m) {
            if wanted(m.what) {
                return true;
            }
        } else if m.start + reach < hit.start {
            // No earlier mark can reach the hit any more.
            break;
        }
    }
    false
}

/// True if at most `window` words stand between the mark and the hit.
fn near(text: &str, m: &Mark, hit: Hit, window: u32) -> bool {
    let (a, b) = if m.end <= hit.start {
        (m.end, hit.start)
    } else if hit.end <= m.start {
        (hit.end, m.start)
    } else {
        return true; // overlapping
    };
    let mut words = 0u32;
    let mut in_word = false;
    for c in text[a..b].chars() {
        let w = c.is_alphanumeric();
        if w && !in_word {
            words += 1;
            if words > window {
                return false;
            }
        }
        in_word = w;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearness_counts_words_between() {
        let text = "my social security number is 078051123";
        let m = Mark { what: Use::Unless(0), start: 3, end: 18 };
        let hit = Hit { rule: 0, start: 29, end: 38, imitates: 0 };
        assert!(near(text, &m, hit, 2));
        assert!(!near(text, &m, hit, 1));
    }
}
