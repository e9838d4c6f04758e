//! Turning the FILE|DIR arguments into the files to screen: a directory
//! is walked with ripgrep's `ignore` crate (.gitignore, .ignore and
//! .git/info/exclude honoured, hidden files skipped), in sorted order so
//! the output is the same on every machine.

use std::path::{Path, PathBuf};

use ignore::overrides::{Override, OverrideBuilder};
use ignore::{Match, WalkBuilder};

/// What a directory walk screens unless told otherwise: the formats drafts
/// of posts, newsletters and campaign copy are kept in. Others (`.rst`,
/// `.html`, `.adoc`) are one `--extension` or `paths.extensions` away.
pub const DEFAULT_EXTENSIONS: [&str; 3] = ["txt", "md", "markdown"];

/// One input to read, in order.
pub enum Entry {
    /// A file or `-`; `walked` when found in a directory (then a binary
    /// file is skipped with a note rather than screened).
    File { path: PathBuf, walked: bool },
    /// A directory entry that could not be read.
    Error(String),
}

/// Which walked files are screened.
pub struct Filter {
    extensions: Vec<String>,
    /// The config's `paths` include/exclude globs, rooted at its folder.
    paths: Option<Override>,
    /// The working directory, to root relative paths for the globs.
    cwd: PathBuf,
}

impl Filter {
    /// `root` is the config's folder; `include`/`exclude` are its globs.
    pub fn new(
        extensions: Vec<String>,
        root: Option<&Path>,
        include: &[String],
        exclude: &[String],
    ) -> Result<Filter, String> {
        let cwd = std::env::current_dir().unwrap_or_default();
        let paths = match root {
            Some(root) if !include.is_empty() || !exclude.is_empty() => {
                let mut b = OverrideBuilder::new(root);
                let globs = include
                    .iter()
                    .map(|g| g.to_string())
                    .chain(exclude.iter().map(|g| format!("!{g}")));
                for g in globs {
                    b.add(&g).map_err(|e| format!("paths: {e}"))?;
                }
                Some(b.build().map_err(|e| format!("paths: {e}"))?)
            }
            _ => None,
        };
        let extensions = extensions
            .into_iter()
            .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
            .collect();
        Ok(Filter { extensions, paths, cwd })
    }

    fn screens(&self, path: &Path) -> bool {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !ext.is_some_and(|e| self.extensions.contains(&e)) {
            return false;
        }
        match &self.paths {
            // Absolute, without `.` components: the globs' root is
            // stripped from it byte by byte.
            Some(ov) => {
                let abs: PathBuf = self.cwd.join(path).components().collect();
                !matches!(ov.matched(abs, false), Match::Ignore(_))
            }
            None => true,
        }
    }
}

/// The arguments as inputs: files as given, directories walked.
pub fn expand(args: &[PathBuf], filter: &Filter) -> Vec<Entry> {
    let mut out = Vec::new();
    for arg in args {
        if arg == Path::new("-") || !arg.is_dir() {
            out.push(Entry::File { path: arg.clone(), walked: false });
            continue;
        }
        let walk = WalkBuilder::new(arg)
            // A drafts folder need not be a git checkout to have a
            // .gitignore that means something.
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        for found in walk {
            match found {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                    if filter.screens(e.path()) {
                        out.push(Entry::File {
                            path: e.into_path(),
                            walked: true,
                        });
                    }
                }
                Ok(_) => {}
                Err(e) => out.push(Entry::Error(e.to_string())),
            }
        }
    }
    out
}
