//! The one error type of the crate: what went wrong, and where.

use std::fmt::{self, Write as _};
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::Arc;

/// An error from loading packs, compiling a policy or reading input.
///
/// `Display` gives one line that names the location first (pack file, line,
/// column, rule), then the problem, e.g.
/// `acme.toml:12:11: rule 'acme.id': invalid regex: …`. It never contains
/// the text of a post.
#[derive(Clone, Debug)]
pub struct Error {
    kind: ErrorKind,
    pack: Option<String>,
    rule: Option<String>,
    position: Option<(usize, usize)>,
    source: Option<Source>,
}

/// Two errors are equal when they say the same thing at the same place;
/// the underlying error (an `io::Error` has no equality) is not compared.
impl PartialEq for Error {
    fn eq(&self, other: &Error) -> bool {
        (&self.kind, &self.pack, &self.rule, self.position)
            == (&other.kind, &other.pack, &other.rule, other.position)
    }
}

impl Eq for Error {}

/// The error underneath (an I/O or regex error), for
/// [`std::error::Error::source`]. Shared, so that `Error` stays `Clone`.
#[derive(Clone, Debug)]
struct Source(Arc<dyn std::error::Error + Send + Sync>);

// An `Error` is never mutated once made, and the source is only read
// through `&`, so a panic cannot leave it half-changed. (`io::Error` is
// not `RefUnwindSafe` only because it may box any error.)
impl UnwindSafe for Source {}
impl RefUnwindSafe for Source {}

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
    #[error("unknown validator '{0}'{hint}", hint = validator_hint(.0))]
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

impl ErrorKind {
    /// A stable, lower-case name for the kind (`"toml"`, `"invalid_pack"`,
    /// `"regex"`, `"unknown_validator"`, `"duplicate_rule"`, `"locked"`,
    /// `"missing_pack"`, `"cycle"`, `"io"`, `"utf8"`, `"invalid_argument"`,
    /// `"limit"`), for bindings that cannot match on the enum (Python's
    /// `preclear.Error.kind`).
    pub fn name(&self) -> &'static str {
        match self {
            ErrorKind::Toml(_) => "toml",
            ErrorKind::InvalidPack(_) => "invalid_pack",
            ErrorKind::Regex(_) => "regex",
            ErrorKind::UnknownValidator(_) => "unknown_validator",
            ErrorKind::DuplicateRule { .. } => "duplicate_rule",
            ErrorKind::Locked(_) => "locked",
            ErrorKind::MissingPack(_) => "missing_pack",
            ErrorKind::Cycle(_) => "cycle",
            ErrorKind::Io(_) => "io",
            ErrorKind::Utf8 { .. } => "utf8",
            ErrorKind::InvalidArgument(_) => "invalid_argument",
            ErrorKind::Limit(_) => "limit",
        }
    }
}

/// " (did you mean `luhn`?)" for a near miss, else the known names.
fn validator_hint(name: &str) -> String {
    let names = crate::validate::NAMES;
    let hint = crate::pack::did_you_mean(name, names.iter().copied());
    if hint.is_empty() {
        format!(" (known: {})", names.join(", "))
    } else {
        hint
    }
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Error {
        Error { kind, pack: None, rule: None, position: None, source: None }
    }

    /// Keeps the error this one reports, for `source()`.
    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        self.source = Some(Source(Arc::new(source)));
        self
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

impl std::error::Error for Error {
    /// The I/O error of a file that could not be read, or the regex
    /// crate's error for a pattern that does not compile.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        let source = self.source.as_ref()?;
        Some(&*source.0 as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorKind;

    /// Bindings hand these names to callers: they are distinct and stable.
    #[test]
    fn kind_names() {
        let s = String::new;
        let table = [
            (ErrorKind::Toml(s()), "toml"),
            (ErrorKind::InvalidPack(s()), "invalid_pack"),
            (ErrorKind::Regex(s()), "regex"),
            (ErrorKind::UnknownValidator(s()), "unknown_validator"),
            (ErrorKind::DuplicateRule { first: s() }, "duplicate_rule"),
            (ErrorKind::Locked(s()), "locked"),
            (ErrorKind::MissingPack(s()), "missing_pack"),
            (ErrorKind::Cycle(s()), "cycle"),
            (ErrorKind::Io(s()), "io"),
            (ErrorKind::Utf8 { offset: 0 }, "utf8"),
            (ErrorKind::InvalidArgument(s()), "invalid_argument"),
            (ErrorKind::Limit(s()), "limit"),
        ];
        for (kind, name) in &table {
            assert_eq!(kind.name(), *name, "{kind:?}");
        }
        let mut names: Vec<_> = table.iter().map(|(k, _)| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), table.len());
    }
}
