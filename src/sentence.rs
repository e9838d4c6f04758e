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
//! coordinates, where hits are. Only the sentences around hits (and
//! concept occurrences) are segmented, from the nearest place where the
//! segmentation is certain to start afresh ([`View`]).

use std::cell::RefCell;
use std::ops::Range;

use unicode_properties::{UnicodeEmoji, UnicodeGeneralCategory};
use unicode_segmentation::UnicodeSegmentation;

use crate::normalize::Normalized;
use crate::pack::Scope;
use crate::text::near;

mod ascii;
mod classes;
mod shadow;

/// Words that open a new clause: a contrast or concession turns what
/// follows away from what came before ("nobody can promise that, but
/// we aim for 6%"), and a consequence is a statement of its own
/// ("couldn't find it anywhere so I just pulled it off a torrent site":
/// the negation is not the download's). Only where the word can open
/// nothing else: "so" before "I" or "here" ("not so sure", "not so we
/// can guarantee" stay one clause; "told not to post it so here's 12
/// seconds" is two), not "therefore" or "deshalb", which also
/// stand inside a clause ("we cannot therefore guarantee"). English,
/// Spanish, German, filed by first letter (this is looked up after every
/// space of a segmented post).
fn clause_words(first: u8) -> &'static [&'static str] {
    match first.to_ascii_lowercase() {
        b'a' => &["although", "aunque", "aber", "asi que", "así que"],
        b'b' => &["but"],
        b'h' => &["however"],
        b'j' => &["jedoch"],
        b'o' => &["obwohl"],
        b'p' => &["pero", "por eso"],
        b's' => &["sino", "sin embargo", "sondern", "so i", "so here"],
        b't' => &["though"],
        b'w' => &["whereas"],
        b'y' => &["yet"],
        _ => &[],
    }
}

/// Sentence and clause boundaries of one post, in normalised byte
/// offsets, found only around the places asked about (see [`View`]).
/// Reused between posts (the buffers keep their capacity).
#[derive(Default, Debug)]
pub(crate) struct Sentences {
    /// Sentence starts in the regions segmented so far, ascending.
    sentences: Vec<usize>,
    /// Clause starts there, ascending; includes every sentence start.
    clauses: Vec<usize>,
    /// The normalised ranges segmented so far, ascending and disjoint.
    regions: Vec<(usize, usize)>,
    /// The length of the normalised text.
    len: usize,
    /// Boundaries in source offsets, before mapping (kept for their
    /// capacity: a warm screening allocates nothing here).
    source_sentences: Vec<usize>,
    source_clauses: Vec<usize>,
    /// A stretch with non-ASCII characters written as ASCII (see
    /// [`shadow`]), kept for its capacity.
    shadow: Vec<u8>,
}

/// Past this many regions a post is segmented whole: a post with hits
/// everywhere then costs one pass, not one search per hit.
const MAX_REGIONS: usize = 32;

impl Sentences {
    /// Forgets the last post and answers for this one, segmenting only
    /// the regions around the positions asked about.
    pub(crate) fn view<'a>(
        &'a mut self,
        norm: &'a Normalized,
        source: &'a str,
    ) -> View<'a> {
        self.sentences.clear();
        self.clauses.clear();
        self.regions.clear();
        self.len = norm.text().len();
        View { known: RefCell::new(self), norm, source }
    }

    /// Segments the whole post at once, as every post was before
    /// segmentation became local: the reference the local answers are
    /// tested against.
    #[cfg(test)]
    pub(crate) fn fill(&mut self, norm: &Normalized, source: &str) {
        self.sentences.clear();
        self.clauses.clear();
        self.regions.clear();
        self.len = norm.text().len();
        self.segment(norm, source, 0, source.len());
    }

    /// Makes sure the region holding normalised byte `pos` is segmented.
    fn ensure(&mut self, norm: &Normalized, source: &str, pos: usize) {
        if self.len == 0 {
            return;
        }
        let pos = pos.min(self.len - 1);
        let i = self.regions.partition_point(|r| r.0 <= pos);
        if i > 0 && pos < self.regions[i - 1].1 {
            return;
        }
        if self.regions.len() >= MAX_REGIONS {
            self.sentences.clear();
            self.clauses.clear();
            self.regions.clear();
            self.segment(norm, source, 0, source.len());
            return;
        }
        // The first source byte of `pos`: the region runs from the last
        // cut at or before it to the first cut after it, so it holds
        // `pos` in normalised offsets too (the map is monotone).
        let at = norm.source_span(pos..pos).start;
        self.segment(
            norm,
            source,
            cut_before(source, at),
            cut_after(source, at),
        );
    }

    /// Segments the source region `lo..hi`, whose ends are cuts (see
    /// [`is_cut`]) or the ends of the post, and merges its boundaries in.
    fn segment(
        &mut self,
        norm: &Normalized,
        source: &str,
        lo: usize,
        hi: usize,
    ) {
        let mut sentence_starts = std::mem::take(&mut self.source_sentences);
        let mut clause_starts = std::mem::take(&mut self.source_clauses);
        sentence_starts.clear();
        clause_starts.clear();
        let shadow = &mut self.shadow;
        let (sentences, clauses) = (&mut sentence_starts, &mut clause_starts);
        split(source, lo..hi, sentences, clauses, shadow);
        // Source offsets to normalised ones: the first normalised byte that
        // came from at or after the boundary.
        let to_norm = |b: usize| norm.normalized_span(b..b).0;
        let nlo = to_norm(lo);
        let nhi = if hi < source.len() { to_norm(hi) } else { self.len };
        // A cut starts a sentence, as the start of the post does.
        let ends = [Some(nlo), (hi < source.len()).then_some(nhi)];
        let ends = ends.into_iter().flatten();
        let sentences =
            ends.clone().chain(sentence_starts.iter().map(|&b| to_norm(b)));
        merge(&mut self.sentences, nlo, sentences.clone());
        let clauses =
            sentences.chain(clause_starts.iter().map(|&b| to_norm(b)));
        merge(&mut self.clauses, nlo, clauses);
        let at = self.regions.partition_point(|r| r.0 <= nlo);
        self.regions.insert(at, (nlo, nhi));
        self.source_sentences = sentence_starts;
        self.source_clauses = clause_starts;
    }
}

/// Adds `new` (boundaries of one region starting at `lo`) to the sorted
/// `starts`, which holds none strictly inside that region: appended,
/// sorted among themselves, rotated into place.
fn merge(
    starts: &mut Vec<usize>,
    lo: usize,
    new: impl Iterator<Item = usize>,
) {
    let old = starts.len();
    starts.extend(new);
    starts[old..].sort_unstable();
    let at = starts[..old].partition_point(|&s| s <= lo);
    let added = starts.len() - old;
    starts[at..].rotate_right(added);
    starts.dedup();
}

/// Sentences and clauses of one post, segmented on demand: a post with a
/// hit pays for the sentences around its hits, not for the whole post.
///
/// Why the answers equal segmenting the whole post: a region runs between
/// two cuts (or the ends of the post), and a cut is a place where (1)
/// UAX #29 always breaks, whatever comes before or after, and no UAX #29
/// rule for a later position looks back across it, nor one for an earlier
/// position ahead across it, so UAX #29 splits the region exactly as it
/// splits the whole post there; (2) our adjustments (line breaks, emoji,
/// bullets, clause marks) read only the piece at hand and the whitespace
/// gap and character before it, so they decide the same inside the
/// region; and (3) the whole-post segmentation starts a sentence there,
/// so no sentence or clause straddles it. See [`is_cut`] for the two kinds
/// of cut. Tests compare both on the gold posts, every pack example and
/// generated posts.
pub(crate) struct View<'a> {
    known: RefCell<&'a mut Sentences>,
    norm: &'a Normalized,
    source: &'a str,
}

impl View<'_> {
    /// The sentence holding normalised byte `pos`.
    pub(crate) fn sentence(&self, pos: usize) -> Range<usize> {
        let mut s = self.known.borrow_mut();
        s.ensure(self.norm, self.source, pos);
        around(&s.sentences, s.len, pos)
    }

    /// The clause holding normalised byte `pos`.
    pub(crate) fn clause(&self, pos: usize) -> Range<usize> {
        let mut s = self.known.borrow_mut();
        s.ensure(self.norm, self.source, pos);
        around(&s.clauses, s.len, pos)
    }

    /// The part of the post `scope` lets a window around `a` reach, for
    /// the scopes that are parts of the post (`None` for words). The post
    /// itself needs no segmenting.
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
            Scope::SentenceAndPrevious => {
                let first = self.sentence(a.start).start;
                let start = match first.checked_sub(1) {
                    Some(before) => self.sentence(before).start,
                    None => 0,
                };
                Some(start..self.sentence(last).end)
            }
            Scope::Post => Some(0..self.norm.text().len()),
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

/// Whether source byte `c` is a cut: a place where segmenting may start
/// afresh (see [`View`]). Two kinds:
/// - after a line feed, before a character that is not white space, a
///   mark or a format character, with text before it, where
///   [`ends_sentence`] starts a sentence. UAX #29 breaks after every line
///   feed (SB4), and its rules that look back over `SATerm Close* Sp*` or
///   ahead for a lower-case letter (SB8) stop at a paragraph separator;
/// - before an ASCII capital that follows `.`, `!` or `?` and spaces
///   (`Done. Next`): SB11 breaks there (SB6–SB10 need a digit, a letter
///   or punctuation right after the terminator, or a lower-case letter
///   ahead before any capital), and a capital is none of the classes the
///   look-backs run over. No line break in the gap: a sentence starts.
fn is_cut(source: &str, c: usize) -> bool {
    let b = source.as_bytes();
    if c == 0 || c >= b.len() {
        return false;
    }
    match b[c - 1] {
        b'\n' => {
            let rest = &source[c..];
            let before = &source[..c];
            rest.chars().next().is_some_and(plain)
                && !before.trim_end().is_empty()
                && ends_sentence(before, rest)
        }
        b' ' => {
            b[c].is_ascii_uppercase()
                && source[..c].trim_end_matches(' ').ends_with(['.', '!', '?'])
                && !ordinal(&source[..c], &source[c..])
                && !titled(&source[..c])
        }
        _ => false,
    }
}

/// A character UAX #29 treats as itself at the start of a line: not
/// white space, and not one it would fold into the character before
/// (marks, format characters; modifiers and unassigned code points to be
/// safe).
fn plain(c: char) -> bool {
    use unicode_properties::GeneralCategory as G;
    if c.is_ascii() {
        return c.is_ascii_graphic();
    }
    !c.is_whitespace()
        && !matches!(
            c.general_category(),
            G::NonspacingMark
                | G::SpacingMark
                | G::EnclosingMark
                | G::Format
                | G::Control
                | G::ModifierSymbol
                | G::ModifierLetter
                | G::PrivateUse
                | G::Surrogate
                | G::Unassigned
        )
}

/// The last cut at or before source byte `at`, or 0.
fn cut_before(source: &str, at: usize) -> usize {
    (1..=at.min(source.len())).rev().find(|&c| is_cut(source, c)).unwrap_or(0)
}

/// The first cut after source byte `at`, or the end of the post. A cut
/// follows a line feed or a space before a capital: one comparison rules
/// out most bytes (this walks a whole post that is segmented whole).
fn cut_after(source: &str, at: usize) -> usize {
    let b = source.as_bytes();
    (at + 1..b.len())
        .find(|&c| {
            let could = b[c - 1] == b'\n'
                || (b[c - 1] == b' ' && b[c].is_ascii_uppercase());
            could && is_cut(source, c)
        })
        .unwrap_or(b.len())
}

/// The segment of `starts` (ascending; before the first start, from 0)
/// holding `pos`.
fn around(starts: &[usize], len: usize, pos: usize) -> Range<usize> {
    let i = starts.partition_point(|&s| s <= pos);
    let start = if i == 0 { 0 } else { starts[i - 1] };
    let end = starts.get(i).copied().unwrap_or(len);
    start..end.max(start)
}

/// Sentence and clause starts of the region `range` of `source`, in
/// source offsets (the region's start not included).
fn split(
    source: &str,
    range: Range<usize>,
    sentences: &mut Vec<usize>,
    clauses: &mut Vec<usize>,
    shadow: &mut Vec<u8>,
) {
    // Where the piece before starts; blank pieces (a second line break)
    // join it, so that the gap before the next piece shows a blank line.
    let mut prev: Option<usize> = None;
    pieces(source, range, shadow, |at, piece| {
        if piece.trim().is_empty() {
            return;
        }
        if let Some(from) = prev {
            let before = &source[from..at];
            // "am 3. Oktober", "Mrs. Delacroix": no boundary at all. Both
            // read the whole text before, as `is_cut` does: a piece may
            // start inside the word they look at ("a. \u{ff9e}3. Oktober").
            let head = &source[..at];
            if !ordinal(head, piece) && !titled(head) {
                if ends_sentence(before, piece) {
                    sentences.push(at);
                } else {
                    clauses.push(at);
                }
            }
        }
        clause_breaks(at, piece, sentences, clauses);
        prev = Some(at);
    });
}

/// The UAX #29 sentence pieces of `source[range]` (whose ends are cuts or
/// the ends of the post), as `(source offset, piece)`. UAX #29 splits the
/// stretches between cuts as it splits the whole (see [`View`]), so each
/// stretch that is ASCII, or can be written as ASCII that splits the same
/// ([`shadow`]), takes the byte loop, and only the others the Unicode
/// state machine.
fn pieces(
    source: &str,
    range: Range<usize>,
    buf: &mut Vec<u8>,
    mut f: impl FnMut(usize, &str),
) {
    let (mut lo, end) = (range.start, range.end);
    if ascii_pieces(&source[range], buf, |i, p| f(lo + i, p)) {
        return;
    }
    while lo < end {
        let hi = cut_after(source, lo).min(end);
        let stretch = &source[lo..hi];
        if !ascii_pieces(stretch, buf, |i, p| f(lo + i, p)) {
            for (i, p) in stretch.split_sentence_bound_indices() {
                f(lo + i, p);
            }
        }
        lo = hi;
    }
}

/// The pieces of `text` by the byte loop, if it is ASCII or has a shadow;
/// false (and no piece) if not.
fn ascii_pieces(
    text: &str,
    buf: &mut Vec<u8>,
    mut f: impl FnMut(usize, &str),
) -> bool {
    if text.is_ascii() {
        ascii::pieces(text, f);
        return true;
    }
    let Some(written) = shadow::shadow(text, buf) else { return false };
    // The shadow has the text's offsets, and pieces start only where a
    // character does (never inside one character's stand-in run).
    ascii::pieces(written, |i, p| {
        debug_assert!(text.is_char_boundary(i), "{text:?} at {i}");
        if let Some(piece) = text.get(i..i + p.len()) {
            f(i, piece);
        }
    });
    true
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

/// Whether the full stop that ends `before` is a German ordinal's ("am
/// 3. Oktober", "Hinterhaus 3. OG", "im 3. Quartal"): one or two digits
/// standing alone, then a noun an ordinal counts that is no English word,
/// or one that is ("April", "Stock") after a German preposition or
/// article. UAX #29 ends a sentence there, which would cut a date or a
/// floor off its sentence; English dates ("since Jan 1. April is here")
/// stay two sentences.
fn ordinal(before: &str, after: &str) -> bool {
    let Some(number) = before.trim_end_matches(' ').strip_suffix('.') else {
        return false;
    };
    let head = number.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = number.len() - head.len();
    let alone = head.is_empty() || head.ends_with(' ');
    let word = after.split(|c: char| !c.is_alphabetic()).next().unwrap_or("");
    let german = || {
        let lead = last_word(head.trim_end_matches(' '));
        ORDINAL_LEADS.iter().any(|w| lead.eq_ignore_ascii_case(w))
    };
    (1..=2).contains(&digits)
        && alone
        && (ORDINAL_NOUNS.contains(&word)
            || ORDINAL_NOUNS_SHARED.contains(&word) && german())
}

/// German prepositions and articles before an ordinal number.
const ORDINAL_LEADS: &[&str] = &[
    "am", "im", "vom", "zum", "zur", "bis", "ab", "seit", "dem", "den", "der",
    "die", "das", "des", "beim", "ins", "jeden", "jedem",
];

/// German months and nouns that follow an ordinal number written with a
/// full stop, and are no English words.
const ORDINAL_NOUNS: &[&str] = &[
    "Januar",
    "Jänner",
    "Februar",
    "März",
    "Maerz",
    "Mai",
    "Juni",
    "Juli",
    "Oktober",
    "Dezember",
    "Mär",
    "Okt",
    "Dez",
    "OG",
    "UG",
    "Stockwerk",
    "Etage",
    "Obergeschoss",
    "Untergeschoss",
    "Quartal",
    "Halbjahr",
    "Platz",
    "Liga",
    "Bundesliga",
    "Klasse",
    "Runde",
    "Woche",
    "Monat",
    "Geburtstag",
    "Jahrestag",
    "Auflage",
    "Staffel",
    "Kapitel",
    "Reihe",
    "Hinterhof",
    "Jahrhundert",
];

/// The same, but English words too: only after [`ORDINAL_LEADS`].
const ORDINAL_NOUNS_SHARED: &[&str] = &[
    "April",
    "August",
    "September",
    "November",
    "Jan",
    "Feb",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Nov",
    "Stock",
    "Advent",
    "Mal",
    "Tag",
];

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

/// An emoji that points at what follows it ("so here 👉 MOTHS-PRESALE-7731",
/// "details 👇 Tickets at ten"): it introduces the next words, so a
/// capital after it starts no sentence.
fn points(c: char) -> bool {
    matches!(c, '👉' | '👇' | '⬇' | '➡' | '⤵' | '🔽')
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
    let bytes = piece.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Most bytes are letters and digits, which mark nothing: one
        // lookup each, no decoding.
        if CLAUSE_PLAIN[bytes[i] as usize] {
            i += 1;
            continue;
        }
        let Some(c) = piece[i..].chars().next() else { break };
        let start = i;
        i += c.len_utf8();
        let next = piece[i..].chars().next();
        let then_space = next.is_none_or(char::is_whitespace);
        let breaks = match c {
            ',' | ';' | ':' => then_space,
            '—' | '–' | '(' | ')' | '[' | ']' => true,
            // An arrow leads to the next step ("never touch it → 500k"):
            // what comes before it does not negate what comes after.
            '→' | '⇒' | '⟶' | '⟹' => true,
            '>' => {
                then_space
                    && (piece[..start].ends_with(" -")
                        || piece[..start].ends_with(" ="))
            }
            '-' => then_space && piece[..start].ends_with(' '),
            c if is_emoji(c) => {
                let rest = piece[i..].trim_start();
                let capital =
                    rest.chars().next().is_some_and(char::is_uppercase);
                // A skin tone after a pointing hand is part of it.
                let pointing = points(c)
                    || ('\u{1f3fb}'..='\u{1f3ff}').contains(&c)
                        && piece[..start]
                            .chars()
                            .next_back()
                            .is_some_and(points);
                if capital && !pointing && rest.len() < piece.len() - i {
                    sentences.push(at + piece.len() - rest.len());
                    continue;
                }
                true
            }
            '.' | '!' | '?' if then_space && ends_word(&piece[..start]) => {
                // UAX #29 reads "jam. 3% a month" and "Marlowe Kid. you'd
                // never guess" as one sentence (a number or a lower-case
                // word follows a full stop); in a post, where sentences
                // often start in lower case, both start the next one,
                // unless the full stop ends an abbreviation ("etc. and").
                let rest = piece[i..].trim_start();
                let next = rest.chars().next();
                if next.is_some_and(|d| d.is_ascii_digit())
                    || next.is_some_and(char::is_lowercase)
                        && !abbreviation(&piece[..start])
                {
                    sentences.push(at + piece.len() - rest.len());
                }
                continue;
            }
            c if c.is_whitespace() => {
                if opens_clause(&piece[i..]) {
                    clauses.push(at + i);
                }
                false
            }
            _ => false,
        };
        if breaks {
            // The clause starts at its first word, not at the space.
            let after = &piece[i..];
            clauses.push(at + piece.len() - after.trim_start().len());
        }
    }
}

/// Whether `before` ends with a word of two or more letters that is not
/// an abbreviation a number follows ("no. 5", "approx. 3%", "Nr. 12").
fn ends_word(before: &str) -> bool {
    let word = last_word(before);
    word.chars().count() >= 2
        && !NUMBER_ABBREVIATIONS.iter().any(|a| word.eq_ignore_ascii_case(a))
}

/// Whether `before` ends with an abbreviation that a lower-case word may
/// follow ("etc. and", "bzw. die", "approx. half").
fn abbreviation(before: &str) -> bool {
    let word = last_word(before);
    ABBREVIATIONS.iter().any(|a| word.eq_ignore_ascii_case(a))
}

/// The letters at the end of `before` (empty if it ends with another
/// character).
fn last_word(before: &str) -> &str {
    before.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or_default()
}

/// Whether `before` ends with a title's full stop ("Mrs. ", "Dr. ",
/// "Sra. "): the name after it is no new sentence, though it starts with
/// a capital.
fn titled(before: &str) -> bool {
    let trimmed = before.trim_end();
    // A line break after it ends the line's sentence as for any word.
    if before[trimmed.len()..].contains(['\n', '\r']) {
        return false;
    }
    let Some(stop) = trimmed.strip_suffix('.') else {
        return false;
    };
    let word = last_word(stop);
    // Written with its capital: "in ms. Problem" is a macro's name.
    word.starts_with(|c: char| c.is_ascii_uppercase())
        && TITLES.iter().any(|t| word.eq_ignore_ascii_case(t))
}

/// Titles written before a name, in the three languages ("Fr." is also
/// Friday, "St." a street: neither is here).
const TITLES: &[&str] =
    &["mr", "mrs", "ms", "mx", "dr", "dra", "prof", "sr", "sra", "srta", "hr"];

/// Abbreviations a lower-case word follows, in the three languages (those
/// written before a number, [`NUMBER_ABBREVIATIONS`], never reach it).
const ABBREVIATIONS: &[&str] = &[
    "etc", "incl", "excl", "esp", "mr", "mrs", "ms", "dr", "st", "jr", "sr",
    "sra", "srta", "inc", "ltd", "co", "corp", "dept", "min", "max", "aprox",
    "pag", "ej", "bzw", "usw", "ggf", "evtl", "inkl", "zzgl", "bspw", "ua",
    "vgl",
];

/// Abbreviations written before a number, in the three languages.
const NUMBER_ABBREVIATIONS: &[&str] = &[
    "no", "nos", "nr", "nro", "num", "approx", "ca", "vs", "pp", "fig", "art",
    "sec", "ch", "vol", "ed", "op", "tel", "ref", "abs", "bd",
];

/// ASCII bytes that [`clause_breaks`] passes over: all but white space
/// and the marks it reads (non-ASCII bytes are decoded and read).
const CLAUSE_PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = !matches!(
            b as u8,
            b',' | b';'
                | b':'
                | b'('
                | b')'
                | b'['
                | b']'
                | b'-'
                | b'>'
                | b'.'
                | b'!'
                | b'?'
                | b' '
                | b'\t'..=b'\r'
        );
        b += 1;
    }
    table
};

/// Whether `rest` begins with one of the [`clause_words`] as a whole
/// word.
fn opens_clause(rest: &str) -> bool {
    let Some(&first) = rest.as_bytes().first() else { return false };
    clause_words(first).iter().any(|w| {
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
            ("it's Kid. you'd never", &["it's Kid.", "you'd never"]),
            (
                "Ab dem 3. Oktober im 2. OG. Neue Nummer",
                &["Ab dem 3. Oktober im 2. OG.", "Neue Nummer"],
            ),
            ("Im 3. Quartal kommt was", &["Im 3. Quartal kommt was"]),
            (
                "Wir kommen um 7. Dann essen",
                &["Wir kommen um 7.", "Dann essen"],
            ),
            ("Version 2.3. Oktober kam", &["Version 2.3.", "Oktober kam"]),
            (
                "Active since Jan 1. April is here",
                &["Active since Jan 1.", "April is here"],
            ),
            ("We hold 3. Stock is low", &["We hold 3.", "Stock is low"]),
            ("Hinterhaus 3. OG, klingeln", &["Hinterhaus 3. OG, klingeln"]),
            ("bis zum 1. April bitte", &["bis zum 1. April bitte"]),
            ("tea, milk etc. and cake", &["tea, milk etc. and cake"]),
            (
                "Cheers to Mr. & Mrs. Delacroix in room 512. Give them a cheer",
                &["Cheers to Mr. & Mrs. Delacroix in room 512.", "Give them a cheer"],
            ),
            ("Dear Sra. García, gracias", &["Dear Sra. García, gracias"]),
            ("La Dra. Prieto tiene cita", &["La Dra. Prieto tiene cita"]),
            ("macro in ms. Problem found", &["macro in ms.", "Problem found"]),
            ("intro\n- first\n- second", &["intro", "- first", "- second"]),
            ("para one\n\npara two", &["para one", "para two"]),
            ("big news 👀 Just saying", &["big news 👀", "Just saying"]),
            ("so here 👉 MOTHS-7731 now", &["so here 👉 MOTHS-7731 now"]),
            ("details 👇 Tickets at ten", &["details 👇 Tickets at ten"]),
            ("tickets ➡\u{fe0f} Link below", &["tickets ➡\u{fe0f} Link below"]),
            ("here 👉\u{1f3fd} CODE-77 now", &["here 👉\u{1f3fd} CODE-77 now"]),
            ("up 18% 🚀 last year", &["up 18% 🚀 last year"]),
            ("e.g. this one stays", &["e.g. this one stays"]),
            ("Wow! Really? Yes.", &["Wow!", "Really?", "Yes."]),
            ("¿Mañana? Sí. Morgen!", &["¿Mañana?", "Sí.", "Morgen!"]),
            (
                "It can't jam. 3% a month, like clockwork.",
                &["It can't jam.", "3% a month, like clockwork."],
            ),
            (
                "See no. 5 and approx. 3% more",
                &["See no. 5 and approx. 3% more"],
            ),
        ];
        for (post, want) in cases {
            let (got, _) = parts(post);
            assert_eq!(&got, want, "{post:?}");
        }
    }

    #[test]
    fn clause_words_are_filed_under_their_first_letter() {
        for first in 0..=255u8 {
            for w in clause_words(first) {
                assert_eq!(w.as_bytes()[0], first.to_ascii_lowercase(), "{w}");
                assert!(opens_clause(&format!("{w} then")), "{w}");
            }
        }
        assert!(opens_clause("Aber ja") && !opens_clause("abermals"));
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
            (
                "couldn't find it so I just pulled it",
                &["couldn't find it", "so I just pulled it"],
            ),
            ("I'm not so sure of it", &["I'm not so sure of it"]),
            (
                "nie wieder anfassen → ganz sicher 500.000 €",
                &["nie wieder anfassen →", "ganz sicher 500.000 €"],
            ),
            ("never sell -> 10x for sure", &["never sell ->", "10x for sure"]),
            ("a->b and x => y", &["a->b and x =>", "y"]),
            (
                "no lo encontré, así que lo bajé",
                &["no lo encontré,", "así que lo bajé"],
            ),
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
        let s = s.view(&norm, post);
        let second = norm.text().find("second").unwrap();
        assert_eq!(s.sentence(second), second..norm.text().len());
        assert_eq!(s.sentence(0).start, 0);
        assert!(s.sentence(0).end <= second);
    }

    /// Whether word `b` lies within `scope` of word `a` in `post`.
    fn within_words(post: &str, scope: Scope, a: &str, b: &str) -> bool {
        let mut norm = Normalized::default();
        norm.fill(post, Form::Full);
        let mut s = Sentences::default();
        let s = s.view(&norm, post);
        let t = norm.text();
        let find = |w: &str| {
            let i = t.find(w).unwrap();
            i..i + w.len()
        };
        s.within(scope, t, find(a), find(b))
    }

    #[test]
    fn scopes() {
        let post = "We guarantee it, honestly. Returns of 6% here";
        for (scope, a, b, want) in [
            (Scope::Sentence, "guarantee", "honestly", true),
            (Scope::Clause, "guarantee", "honestly", false),
            (Scope::Sentence, "guarantee", "returns", false),
            (Scope::Post, "guarantee", "returns", true),
            (Scope::Words(1), "guarantee", "honestly", true),
            (Scope::Words(0), "guarantee", "honestly", false),
        ] {
            assert_eq!(
                within_words(post, scope, a, b),
                want,
                "{scope:?} {a} {b}"
            );
        }
    }

    /// `sentence-and-previous` reaches back one sentence, not two, and
    /// not forward.
    #[test]
    fn sentence_and_previous_reaches_back_one_sentence() {
        let post = "Her SSN was wrong. Sorry. The right one is 1. Call me.";
        let scope = Scope::SentenceAndPrevious;
        for (a, b, want) in [
            ("sorry", "ssn", true),
            ("right", "sorry", true),
            ("right", "ssn", false),
            ("right", "call", false),
            ("ssn", "ssn", true),
        ] {
            assert_eq!(within_words(post, scope, a, b), want, "{a} {b}");
        }
        assert_eq!(Scope::from_name("sentence-and-previous"), Some(scope));
        assert_eq!(Scope::from_name("paragraph"), None);
    }

    /// Where the local view and the whole-post segmentation disagree on
    /// `post` in `form`: every position's sentence and clause, asked in
    /// three ways (in order from one view, scattered from one view, and
    /// each from a fresh view), against the whole post segmented at once.
    fn disagreement(post: &str, form: Form) -> Option<String> {
        let mut norm = Normalized::default();
        norm.fill(post, form);
        let len = norm.text().len();
        let mut whole = Sentences::default();
        whole.fill(&norm, post);
        let want = |pos: usize| {
            (
                around(&whole.sentences, len, pos),
                around(&whole.clauses, len, pos),
            )
        };
        let check = |v: &View, pos: usize| {
            let got = (v.sentence(pos), v.clause(pos));
            (got != want(pos)).then(|| {
                format!(
                    "{post:?} ({form:?}) at {pos}: {got:?}, want {:?}",
                    want(pos)
                )
            })
        };
        let mut scratch = Sentences::default();
        let v = scratch.view(&norm, post);
        if let Some(e) = (0..=len).find_map(|pos| check(&v, pos)) {
            return Some(e);
        }
        let mut scratch = Sentences::default();
        let v = scratch.view(&norm, post);
        // A step coprime with len + 1 visits every position once.
        let n = len + 1;
        let gcd = |mut a: usize, mut b: usize| {
            while b != 0 {
                (a, b) = (b, a % b);
            }
            a
        };
        let step = (7919 % n + 1..).find(|&s| gcd(s, n) == 1).unwrap_or(1);
        let scattered = (0..=len).map(|k| k * step % n);
        if let Some(e) = scattered.rev().find_map(|pos| check(&v, pos)) {
            return Some(e);
        }
        // Fresh views: each position's region is the first segmented.
        let stride = (len / 200).max(1);
        (0..=len).step_by(stride).find_map(|pos| {
            let mut scratch = Sentences::default();
            check(&scratch.view(&norm, post), pos)
        })
    }

    /// The posts the local view is checked on: the gold posts, every
    /// bundled pack's examples, and long posts made of them.
    fn posts() -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/gold");
        let mut posts = Vec::new();
        // Every part of the gold set (tune, holdout, later batches).
        let mut parts: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        parts.sort();
        for part in parts {
            for pack in crate::policy::bundled_names() {
                let path = part.join(format!("{pack}.jsonl"));
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let path = path.display();
                for line in text.lines().filter(|l| !l.trim().is_empty()) {
                    let v: serde_json::Value = serde_json::from_str(line)
                        .unwrap_or_else(|e| panic!("{path}: {e}"));
                    posts.push(v["text"].as_str().unwrap().to_string());
                }
            }
        }
        assert!(posts.len() > 1000, "gold posts not found under {dir}");
        for pack in crate::policy::bundled_names() {
            let pack = crate::policy::bundled_pack(pack).unwrap();
            posts.extend(pack.examples().iter().map(|e| e.text.clone()));
        }
        // Long posts: runs of the posts above, joined every way a thread
        // or a document joins them (and one way no cut is found).
        let mut long = Vec::new();
        for (k, sep) in [" ", "\n", "\n\n", ". ", "! ", "\r\n", "\n- ", " x "]
            .iter()
            .enumerate()
        {
            for chunk in posts.chunks(40).skip(k).step_by(8) {
                long.push(chunk.join(sep));
            }
        }
        posts.extend(long);
        posts
    }

    /// The pieces (through the byte loop where a stretch is ASCII or has
    /// a shadow) are UAX #29's, on the gold posts, the packs' examples and
    /// long posts made of them; and the shadow is what most of them take.
    #[test]
    fn pieces_are_unicode_segmentations() {
        let (mut buf, mut shadowed) = (Vec::new(), 0);
        for post in posts() {
            let mut got = Vec::new();
            pieces(&post, 0..post.len(), &mut buf, |i, _| got.push(i));
            let want: Vec<usize> =
                post.split_sentence_bound_indices().map(|(i, _)| i).collect();
            assert_eq!(got, want, "{post:?}");
            let mut b = Vec::new();
            shadowed += usize::from(
                !post.is_ascii() && shadow::shadow(&post, &mut b).is_some(),
            );
        }
        assert!(shadowed > 300, "only {shadowed} posts with a shadow");
    }

    #[test]
    fn local_equals_whole_on_gold_and_examples() {
        let posts = posts();
        let mut failures = Vec::new();
        for post in &posts {
            for form in [Form::Full, Form::Basic] {
                failures.extend(disagreement(post, form));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {}:\n{}",
            failures.len(),
            posts.len(),
            failures.join("\n")
        );
    }

    /// Posts the generated ones once found disagreeing on (kept as a
    /// table: proptest's own file stores only seeds).
    #[test]
    fn local_equals_whole_on_found_cases() {
        for post in [
            "Mr. \u{ff9e}Mr. T",
            "Mr. Mr. ",
            "Mr. \na",
            "a. \u{ff9e}3. Oktober",
            "a. \u{ff9e}3. Oktober. Mr. \u{ff9e}Mrs. Lee",
        ] {
            for form in [Form::Full, Form::Basic] {
                let d = disagreement(post, form);
                assert!(d.is_none(), "{}", d.unwrap_or_default());
            }
        }
    }

    /// Characters that sit at or next to cuts and the adjustments:
    /// terminators, closers, spaces, line breaks, bullets, emoji (with
    /// modifiers and joiners), marks, format characters, capitals.
    const ALPHABET: &[&str] = &[
        "a",
        "b",
        "T",
        "Z",
        "É",
        "ß",
        "1",
        "9",
        ".",
        "!",
        "?",
        "…",
        "。",
        ",",
        ";",
        ":",
        "-",
        "—",
        "(",
        ")",
        "\"",
        "”",
        "'",
        " ",
        " ",
        "  ",
        "\n",
        "\n",
        "\n\n",
        "\r",
        "\r\n",
        "\t",
        "\u{2028}",
        "\u{85}",
        "•",
        "* ",
        "1. ",
        "2) ",
        "👀",
        "🚀",
        "🏽",
        "\u{200d}",
        "\u{200b}",
        "\u{301}",
        "\u{ff9e}",
        "ｇ",
        "ℌ",
        "but ",
        "pero ",
        "sin embargo ",
        "Mr. ",
        "e.g. ",
        "U.S. ",
        "x",
        "word ",
        "Word ",
        "Mrs. ",
        "am 3. ",
        "Oktober",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn local_equals_whole_on_generated_posts(
            picks in proptest::collection::vec(0..ALPHABET.len(), 0..80)
        ) {
            let post: String = picks.iter().map(|&i| ALPHABET[i]).collect();
            for form in [Form::Full, Form::Basic] {
                let d = disagreement(&post, form);
                proptest::prop_assert!(d.is_none(), "{}", d.unwrap_or_default());
            }
        }
    }

    /// A hit in a long post segments the sentences around it, not the
    /// post: one region, a sentence or a paragraph long.
    #[test]
    fn segments_only_around_the_asked_place() {
        let cases: &[(&str, &str)] = &[
            ("one line", "Sentence number one is here. "),
            ("lines", "A phrase wrapped\nover two lines.\n"),
            ("paragraphs", "para with no stop\n\n"),
            ("bullets", "- an item of a list\n"),
        ];
        for (name, unit) in cases {
            let post = unit.repeat(500);
            let mut norm = Normalized::default();
            norm.fill(&post, Form::Full);
            let mut scratch = Sentences::default();
            let mid = norm.text().len() / 2;
            let got = scratch.view(&norm, &post).sentence(mid);
            assert!(got.contains(&mid), "{name}");
            assert_eq!(scratch.regions.len(), 1, "{name}");
            let (lo, hi) = scratch.regions[0];
            assert!(hi - lo <= 2 * unit.len(), "{name}: {lo}..{hi}");
        }
    }
}
