//! `.preclear.toml`: a project's defaults for `check` and `policy`, found in
//! the working directory or its nearest parent that has one (as Vale finds
//! `.vale.ini` and gitleaks `.gitleaks.toml`). Flags win over it.
//!
//! ```toml
//! packs = ["financial-institution", "compliance/acme.toml"]
//! fail_on = "block"            # warn | block | never
//! format = "human"             # human | json | redacted | sarif
//! max_post_bytes = 100000
//! [paths]
//! include = ["drafts/**"]      # gitignore-style globs, relative to this file
//! exclude = ["drafts/old/**"]
//! extensions = ["txt", "md"]   # what a directory walk screens
//! ```

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::Deserialize;
use toml::Spanned;

use crate::args::{CheckFormat, FailOn};

pub const FILE_NAME: &str = ".preclear.toml";

/// A project config, its values checked and its pack paths resolved.
#[derive(Debug)]
pub struct Config {
    /// The file itself.
    pub path: PathBuf,
    /// Its folder: pack paths and `paths` globs are relative to it.
    pub dir: PathBuf,
    /// Bundled names as given, files joined onto `dir`.
    pub packs: Vec<String>,
    pub fail_on: Option<FailOn>,
    pub format: Option<CheckFormat>,
    pub max_post_bytes: Option<usize>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub extensions: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    packs: Vec<String>,
    fail_on: Option<Spanned<String>>,
    format: Option<Spanned<String>>,
    max_post_bytes: Option<Spanned<i64>>,
    #[serde(default)]
    paths: RawPaths,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPaths {
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    extensions: Option<Vec<String>>,
}

/// The config that applies here: `None` with `--no-config` or when no
/// folder from the working directory up has one.
pub fn discover(no_config: bool) -> Result<Option<Config>, String> {
    if no_config {
        return Ok(None);
    }
    let cwd = std::env::current_dir()
        .map_err(|e| format!("cannot read the working directory: {e}"))?;
    match cwd.ancestors().map(|d| d.join(FILE_NAME)).find(|p| p.is_file()) {
        Some(path) => load(&path).map(Some),
        None => Ok(None),
    }
}

/// Reads and checks one config file.
pub fn load(path: &Path) -> Result<Config, String> {
    let shown = path.display();
    let text = std::fs::read(path)
        .map_err(|e| format!("{shown}: cannot read: {e}"))?;
    let text = String::from_utf8(text).map_err(|e| {
        format!(
            "{shown}: invalid UTF-8 at byte {}",
            e.utf8_error().valid_up_to()
        )
    })?;
    let at = |offset: usize| {
        let (line, column) = line_column(&text, offset);
        format!("{shown}:{line}:{column}")
    };
    let raw: Raw = toml::from_str(&text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        format!("{}: {}", at(offset), e.message().trim_end())
    })?;
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let choice = |key: &str, v: &Spanned<String>, names: &str| {
        format!(
            "{}: unknown {key} '{}' (expected {names})",
            at(v.span().start),
            v.get_ref()
        )
    };
    let fail_on = match &raw.fail_on {
        Some(v) => Some(
            FailOn::from_str(v.get_ref(), false)
                .map_err(|_| choice("fail_on", v, "warn, block or never"))?,
        ),
        None => None,
    };
    let format = match &raw.format {
        Some(v) => {
            Some(CheckFormat::from_str(v.get_ref(), false).map_err(|_| {
                choice("format", v, "human, json, redacted or sarif")
            })?)
        }
        None => None,
    };
    let max_post_bytes = match &raw.max_post_bytes {
        Some(v) => match usize::try_from(*v.get_ref()) {
            Ok(n) if n > 0 => Some(n),
            _ => {
                return Err(format!(
                    "{}: max_post_bytes must be a whole number of bytes \
                     above 0",
                    at(v.span().start)
                ))
            }
        },
        None => None,
    };
    let packs = raw
        .packs
        .into_iter()
        .map(|p| {
            if preclear::bundled_names().any(|n| n == p) {
                p
            } else {
                dir.join(p).display().to_string()
            }
        })
        .collect();
    Ok(Config {
        path: path.to_path_buf(),
        dir,
        packs,
        fail_on,
        format,
        max_post_bytes,
        include: raw.paths.include,
        exclude: raw.paths.exclude,
        extensions: raw.paths.extensions,
    })
}

/// 1-based line and column (in characters) of byte `offset` of `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::line_column;

    #[test]
    fn positions_are_one_based_in_characters() {
        for (text, offset, want) in [
            ("abc", 0, (1, 1)),
            ("a\nbc", 3, (2, 2)),
            ("é=1", 2, (1, 2)),
            ("x", 99, (1, 2)),
        ] {
            assert_eq!(line_column(text, offset), want, "{text:?} @{offset}");
        }
    }
}
