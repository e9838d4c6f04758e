//! The one error type of the crate: what went wrong, and where.

use std::fmt::{self, Write as _};

/// An error from loading packs, compiling a policy or reading input.
///
/// `Display` gives one line that names the location first (pack file, line,
/// column, rule), then the problem, e.g.
/// `acme.toml:12:11: rule 'acme.id': invalid regex: …`. It never contains
/// the text of a post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    pack: Option<String>,
    rule: Option<String>,
    position: Option<(usize, usize)>,
}

/// What kind of problem an [`Error`] reports.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The pack is not valid TOML, has an unknown key or a value of the
    /// wrong type.
    #[error("{0}")]
    Toml(String),
    /// A pack is well-formed TOML but says something invalid (an empty
    /// term list, thresholds out of order, a bad date…).
    #[error("{0}")]
    InvalidPack(String),
    /// A pattern does not compile.
    #[error("invalid regex: {0}")]
    Regex(String),
    /// A pattern names a validator that does not exist.
    #[error("unknown validator '{0}' (known: {known})", known = crate::validate::NAMES.join(", "))]
    UnknownValidator(String),
    /// Two rules of a policy share an id.
    #[error("duplicate rule id (first defined in pack '{first}')")]
    DuplicateRule {
        /// The pack that defined the id first.
        first: String,
    },
    /// A pack tries to weaken what an earlier pack locked.
    #[error("{0}")]
    Locked(String),
    /// `extends` or a bundled-pack name names a pack that does not exist.
    #[error("no bundled pack or file named '{0}'")]
    MissingPack(String),
    /// `extends` loops back on itself.
    #[error("`extends` cycle: {0}")]
    Cycle(String),
    /// A file could not be read.
    #[error("cannot read: {0}")]
    Io(String),
    /// Input is not valid UTF-8.
    #[error("invalid UTF-8 at byte {offset}")]
    Utf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// A value given by the caller is invalid (a date, a pack name…).
    #[error("{0}")]
    InvalidArgument(String),
    /// An input is over one of preclear's limits (post size, pack size,
    /// rules per pack…; README "Limits and guarantees"). Nothing is
    /// truncated: the input is refused whole.
    #[error("{0}")]
    Limit(String),
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Error {
        Error { kind, pack: None, rule: None, position: None }
    }

    pub(crate) fn with_pack(mut self, pack: impl Into<String>) -> Error {
        if self.pack.is_none() {
            self.pack = Some(pack.into());
        }
        self
    }

    pub(crate) fn with_rule(mut self, rule: impl Into<String>) -> Error {
        self.rule = Some(rule.into());
        self
    }

    pub(crate) fn with_position(
        mut self,
        line: usize,
        column: usize,
    ) -> Error {
        self.position = Some((line, column));
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The pack (file path, or `bundled:NAME`) the error is in, if any.
    pub fn pack(&self) -> Option<&str> {
        self.pack.as_deref()
    }

    /// The id of the rule the error is about, if any.
    pub fn rule(&self) -> Option<&str> {
        self.rule.as_deref()
    }

    /// 1-based line in the pack file, if known.
    pub fn line(&self) -> Option<usize> {
        self.position.map(|p| p.0)
    }

    /// 1-based column (in characters) in the pack file, if known.
    pub fn column(&self) -> Option<usize> {
        self.position.map(|p| p.1)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Names and values come from pack files: control characters are
        // escaped so that an error stays one line.
        let mut out = OneLine(f);
        if let Some(pack) = &self.pack {
            write!(out, "{pack}")?;
            if let Some((line, col)) = self.position {
                write!(out, ":{line}:{col}")?;
            }
            out.write_str(": ")?;
        }
        if let Some(rule) = &self.rule {
            write!(out, "rule '{rule}': ")?;
        }
        write!(out, "{}", self.kind)
    }
}

/// Writes through to a formatter with control characters escaped.
struct OneLine<'a, 'b>(&'a mut fmt::Formatter<'b>);

impl fmt::Write for OneLine<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for part in s.split_inclusive(char::is_control) {
            match part.char_indices().last() {
                Some((i, c)) if c.is_control() => {
                    self.0.write_str(&part[..i])?;
                    write!(self.0, "{}", c.escape_default())?;
                }
                _ => self.0.write_str(part)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// 1-based line and column (in characters) of byte `offset` in `src`.
pub(crate) fn line_column(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start =
        before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    // Count characters, tolerating an offset inside a character.
    let column = src.as_bytes()[line_start..offset]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
        + 1;
    (line, column)
}

/// Line and column of many offsets of one source, each in time
/// proportional to its distance from the previous one (plus a binary
/// search), not to the offset: a pack asks for a position per rule, and
/// counting from the start each time made a 10,000-rule pack take seconds
/// to load.
pub(crate) struct Positions<'a> {
    src: &'a [u8],
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// The last answer: `(offset, line, column)`.
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> Positions<'a> {
    pub(crate) fn new(src: &'a str) -> Positions<'a> {
        let src = src.as_bytes();
        let starts = std::iter::once(0)
            .chain(
                src.iter()
                    .enumerate()
                    .filter_map(|(i, &b)| (b == b'\n').then_some(i + 1)),
            )
            .collect();
        Positions { src, starts, last: std::cell::Cell::new((0, 1, 1)) }
    }

    /// 1-based line and column (in characters) of byte `offset`, as
    /// [`line_column`] gives them.
    pub(crate) fn at(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let chars = |a: usize, b: usize| {
            self.src[a..b].iter().filter(|&&b| (b & 0xC0) != 0x80).count()
        };
        let (last, last_line, last_col) = self.last.get();
        let column = if last_line != line {
            chars(self.starts[line - 1], offset) + 1
        } else if last <= offset {
            last_col + chars(last, offset)
        } else {
            last_col - chars(offset, last)
        };
        self.last.set((offset, line, column));
        (line, column)
    }
}

/// 1-based line and column of each of `offsets` (sorted) in `src`, in one
/// pass over the text up to the last of them, into `out` (cleared first).
pub(crate) fn line_columns(
    src: &str,
    offsets: impl Iterator<Item = usize>,
    out: &mut Vec<(usize, usize)>,
) {
    out.clear();
    let (mut line, mut column) = (1, 1);
    let mut chars = src.char_indices().peekable();
    for offset in offsets {
        while let Some(&(i, c)) = chars.peek() {
            if i >= offset {
                break;
            }
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
            chars.next();
        }
        out.push((line, column));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Positions` answers what `line_column` does, in any order of
    /// offsets, including offsets inside a character.
    #[test]
    fn positions_agree_with_line_column() {
        let src = "ab\nçé x\n\n🙂 z\nlast";
        let positions = Positions::new(src);
        let mut offsets: Vec<usize> = (0..=src.len() + 2).collect();
        offsets.extend((0..=src.len()).rev());
        offsets.extend([7, 2, 15, 3, 0, 9, 9, 1]);
        for offset in offsets {
            assert_eq!(
                positions.at(offset),
                line_column(src, offset),
                "offset {offset}"
            );
        }
    }
}
