//! Sentences and clauses of a post, and the scopes a rule's context,
//! `unless` and proximity windows reach: a number of words, the clause, the
//! sentence or the whole post.
//!
//! Boundaries are found on the post as written (its case, line breaks and
//! emoji, which the normal form folds away), from UAX #29 sentence
//! boundaries, then adjusted for how posts are written: a line break ends a
//! sentence only after a full stop, an emoji, before a bullet or at a blank
//! line (a phrase wrapped over two lines stays one sentence); an emoji
//! followed by a capital letter ends one too ("coming 👀 Just saying").
//! Clauses end at `,` `;` `:`, dashes, brackets and before a contrasting
//! conjunction ("but", "pero", "aber" …). Offsets are stored in normalised
//! coordinates, where hits are. Only posts with hits are segmented.

use std::ops::Range;

use unicode_properties::UnicodeEmoji;
use unicode_segmentation::UnicodeSegmentation;

use crate::normalize::Normalized;
use crate::pack::Scope;
use crate::text::near;

/// Words that open a new clause: a contrast or concession turns what
/// follows away from what came before ("nobody can promise that, but
/// we aim for 6%"). English, Spanish, German.
const CLAUSE_WORDS: &[&str] = &[
    "but",
    "however",
    "although",
    "though",
    "whereas",
    "yet",
    "pero",
    "aunque",
    "sino",
    "sin embargo",
    "aber",
    "jedoch",
    "sondern",
    "obwohl",
];

/// Sentence and clause boundaries of one post, in normalised byte
/// offsets. Reused between posts (the buffers keep their capacity).
#[derive(Default, Debug)]
pub(crate) struct Sentences {
    /// Where each sentence starts, ascending; the first is 0.
    sentences: Vec<usize>,
    /// Where each clause starts, ascending; includes every sentence start.
    clauses: Vec<usize>,
    /// The length of the normalised text.
    len: usize,
    /// Boundaries in source offsets, before mapping (kept for their
    /// capacity: a warm screening allocates nothing here).
    source_sentences: Vec<usize>,
    source_clauses: Vec<usize>,
}

impl Sentences {
    /// Segments `source`, whose normal form is `norm`.
    pub(crate) fn fill(&mut self, norm: &Normalized, source: &str) {
        self.sentences.clear();
        self.clauses.clear();
        self.len = norm.text().len();
        let mut sentence_starts = std::mem::take(&mut self.source_sentences);
        let mut clause_starts = std::mem::take(&mut self.source_clauses);
        sentence_starts.clear();
        clause_starts.clear();
        split(source, &mut sentence_starts, &mut clause_starts);
        // Source offsets to normalised ones: the first normalised byte that
        // came from at or after the boundary.
        let to_norm = |b: usize| norm.normalized_span(b..b).0;
        self.sentences.push(0);
        self.sentences.extend(sentence_starts.iter().map(|&b| to_norm(b)));
        self.clauses.extend_from_slice(&self.sentences);
        self.clauses.extend(clause_starts.iter().map(|&b| to_norm(b)));
        for v in [&mut self.sentences, &mut self.clauses] {
            v.sort_unstable();
            v.dedup();
        }
        self.source_sentences = sentence_starts;
        self.source_clauses = clause_starts;
    }

    /// The sentence holding normalised byte `pos`.
    pub(crate) fn sentence(&self, pos: usize) -> Range<usize> {
        around(&self.sentences, self.len, pos)
    }

    /// The clause holding normalised byte `pos`.
    pub(crate) fn clause(&self, pos: usize) -> Range<usize> {
        around(&self.clauses, self.len, pos)
    }

    /// The part of the post `scope` lets a window around `a` reach, for
    /// the scopes that are parts of the post (`None` for words).
    pub(crate) fn reach(
        &self,
        scope: Scope,
        a: Range<usize>,
    ) -> Option<Range<usize>> {
        let last = a.end.max(a.start + 1) - 1;
        match scope {
            Scope::Words(_) => None,
            Scope::Clause => {
                Some(self.clause(a.start).start..self.clause(last).end)
            }
            Scope::Sentence => {
                Some(self.sentence(a.start).start..self.sentence(last).end)
            }
            Scope::Post => Some(0..self.len),
        }
    }

    /// True if `b` lies within `scope` of `a` in the normalised `text`:
    /// at most N words between them, or overlapping `a`'s clause,
    /// sentence or post.
    pub(crate) fn within(
        &self,
        scope: Scope,
        text: &str,
        a: Range<usize>,
        b: Range<usize>,
    ) -> bool {
        match scope {
            Scope::Words(n) => near(text, a, b, n),
            _ => self.reach(scope, a).is_some_and(|r| {
                b.start < r.end && r.start < b.end.max(b.start + 1)
            }),
        }
    }
}

/// The segment of `starts` (ascending, beginning with 0) holding `pos`.
fn around(starts: &[usize], len: usize, pos: usize) -> Range<usize> {
    let i = starts.partition_point(|&s| s <= pos);
    let start = if i == 0 { 0 } else { starts[i - 1] };
    let end = starts.get(i).copied().unwrap_or(len);
    start..end.max(start)
}

/// Sentence and clause starts of `source`, in source offsets (the start of
/// the post not included).
fn split(source: &str, sentences: &mut Vec<usize>, clauses: &mut Vec<usize>) {
    // Where the piece before starts; blank pieces (a second line break)
    // join it, so that the gap before the next piece shows a blank line.
    let mut prev: Option<usize> = None;
    for (at, piece) in source.split_sentence_bound_indices() {
        if piece.trim().is_empty() {
            continue;
        }
        if let Some(from) = prev {
            if ends_sentence(&source[from..at], piece) {
                sentences.push(at);
            } else {
                clauses.push(at);
            }
        }
        clause_breaks(at, piece, sentences, clauses);
        prev = Some(at);
    }
}

/// Whether the UAX #29 boundary between `before` and `after` ends a
/// sentence. UAX #29 breaks after every line break; a post wraps phrases
/// and lists over lines, so a line break ends a sentence only after a
/// terminator or an emoji, at a blank line, or before a bullet.
fn ends_sentence(before: &str, after: &str) -> bool {
    let trimmed = before.trim_end();
    let gap = &before[trimmed.len()..];
    if !gap.contains(['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}']) {
        return true;
    }
    let blank_line = gap.matches('\n').count() > 1;
    let last = trimmed.chars().next_back();
    let terminated = last.is_some_and(|c| {
        matches!(
            c,
            '.' | '!' | '?' | '…' | '。' | '！' | '？' | '"' | '”' | ')'
        ) || is_emoji(c)
    });
    blank_line || terminated || starts_with_bullet(after)
}

/// A list item's marker at the start of a line: `-`, `*`, `•`, `>`, `1.`,
/// `2)`, or an emoji.
fn starts_with_bullet(line: &str) -> bool {
    let line = line.trim_start();
    let mut chars = line.chars();
    let Some(first) = chars.next() else { return false };
    if matches!(first, '-' | '*' | '•' | '·' | '>' | '–' | '—' | '+') {
        return true;
    }
    if first.is_ascii_digit() {
        let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
        return rest.starts_with(". ") || rest.starts_with(") ");
    }
    is_emoji(first)
}

/// A pictographic emoji (not the ASCII digits, `#` and `*` that are also
/// emoji components).
fn is_emoji(c: char) -> bool {
    !c.is_ascii() && c.is_emoji_char()
}

/// The clause starts inside one UAX #29 sentence `piece` at source offset
/// `at`, and the sentences that an emoji before a capital letter ends.
fn clause_breaks(
    at: usize,
    piece: &str,
    sentences: &mut Vec<usize>,
    clauses: &mut Vec<usize>,
) {
    let mut chars = piece.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let then_space = next.is_none_or(char::is_whitespace);
        let breaks = match c {
            ',' | ';' | ':' => then_space,
            '—' | '–' | '(' | ')' | '[' | ']' => true,
            '-' => then_space && piece[..i].ends_with(' '),
            c if is_emoji(c) => {
                let rest = piece[i + c.len_utf8()..].trim_start();
                let capital =
                    rest.chars().next().is_some_and(char::is_uppercase);
                if capital && rest.len() < piece.len() - i - c.len_utf8() {
                    sentences.push(at + piece.len() - rest.len());
                    continue;
                }
                true
            }
            c if c.is_whitespace() => {
                let rest = &piece[i + c.len_utf8()..];
                if opens_clause(rest) {
                    clauses.push(at + i + c.len_utf8());
                }
                false
            }
            _ => false,
        };
        if breaks {
            // The clause starts at its first word, not at the space.
            let after = &piece[i + c.len_utf8()..];
            clauses.push(at + piece.len() - after.trim_start().len());
        }
    }
}

/// Whether `rest` begins with one of [`CLAUSE_WORDS`] as a whole word.
fn opens_clause(rest: &str) -> bool {
    CLAUSE_WORDS.iter().any(|w| {
        rest.len() >= w.len()
            && rest.is_char_boundary(w.len())
            && rest[..w.len()].eq_ignore_ascii_case(w)
            && !rest[w.len()..].starts_with(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Form;

    /// The sentences and clauses of `post`, as the source text of each.
    fn parts(post: &str) -> (Vec<String>, Vec<String>) {
        let mut norm = Normalized::default();
        norm.fill(post, Form::Full);
        let mut s = Sentences::default();
        s.fill(&norm, post);
        let text = |starts: &[usize]| {
            let mut out = Vec::new();
            for (k, &st) in starts.iter().enumerate() {
                let end = starts.get(k + 1).copied().unwrap_or(s.len);
                let src = norm.source_span(st..end);
                out.push(post[src].trim().to_string());
            }
            out
        };
        (text(&s.sentences), text(&s.clauses))
    }

    #[test]
    fn sentences_by_case() {
        let cases: &[(&str, &[&str])] = &[
            (
                "It is risk. Free coffee for all.",
                &["It is risk.", "Free coffee for all."],
            ),
            ("Guaranteed\nreturns for you", &["Guaranteed\nreturns for you"]),
            ("Card:\n4111 1111 1111 1111", &["Card:\n4111 1111 1111 1111"]),
            ("Done.\nNext line", &["Done.", "Next line"]),
            ("intro\n- first\n- second", &["intro", "- first", "- second"]),
            ("para one\n\npara two", &["para one", "para two"]),
            ("big news 👀 Just saying", &["big news 👀", "Just saying"]),
            ("up 18% 🚀 last year", &["up 18% 🚀 last year"]),
            ("e.g. this one stays", &["e.g. this one stays"]),
            ("Wow! Really? Yes.", &["Wow!", "Really?", "Yes."]),
            ("¿Mañana? Sí. Morgen!", &["¿Mañana?", "Sí.", "Morgen!"]),
        ];
        for (post, want) in cases {
            let (got, _) = parts(post);
            assert_eq!(&got, want, "{post:?}");
        }
    }

    #[test]
    fn clauses_by_case() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Nobody can promise that, but we aim for 6%",
                &["Nobody can promise that,", "but we aim for 6%"],
            ),
            (
                "No fees; guaranteed returns",
                &["No fees;", "guaranteed returns"],
            ),
            ("pay 5,000 now", &["pay 5,000 now"]),
            (
                "a well-known fund — it never loses",
                &["a well-known fund —", "it never loses"],
            ),
            (
                "Nadie lo garantiza, pero ganamos",
                &["Nadie lo garantiza,", "pero ganamos"],
            ),
            ("nicht sicher aber gut", &["nicht sicher", "aber gut"]),
            ("butter is not a clause word", &["butter is not a clause word"]),
        ];
        for (post, want) in cases {
            let (_, got) = parts(post);
            assert_eq!(&got, want, "{post:?}");
        }
    }

    #[test]
    fn offsets_are_normalised() {
        // Fullwidth letters take three bytes in the source, one normalised.
        let post = "ｇｕａｒａｎｔｅｅｄ. Second one";
        let mut norm = Normalized::default();
        norm.fill(post, Form::Full);
        let mut s = Sentences::default();
        s.fill(&norm, post);
        let second = norm.text().find("second").unwrap();
        assert_eq!(s.sentence(second), second..norm.text().len());
        assert_eq!(s.sentence(0).start, 0);
        assert!(s.sentence(0).end <= second);
    }

    #[test]
    fn scopes() {
        let post = "We guarantee it, honestly. Returns of 6% here";
        let mut norm = Normalized::default();
        norm.fill(post, Form::Full);
        let mut s = Sentences::default();
        s.fill(&norm, post);
        let t = norm.text();
        let find = |w: &str| {
            let i = t.find(w).unwrap();
            i..i + w.len()
        };
        let (g, h, r) = (find("guarantee"), find("honestly"), find("returns"));
        assert!(s.within(Scope::Sentence, t, g.clone(), h.clone()));
        assert!(!s.within(Scope::Clause, t, g.clone(), h.clone()));
        assert!(!s.within(Scope::Sentence, t, g.clone(), r.clone()));
        assert!(s.within(Scope::Post, t, g.clone(), r.clone()));
        assert!(s.within(Scope::Words(1), t, g.clone(), h.clone()));
        assert!(!s.within(Scope::Words(0), t, g, h));
    }
}
