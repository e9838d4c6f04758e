//! Adding packs to a policy: reading pack files, following `extends`
//! (bundled packs and files), and the per-policy limits.

use std::path::{Path, PathBuf};

use super::{bundled_pack, is_bundled};
use crate::error::{Error, ErrorKind};
use crate::limits::within;
use crate::limits::{
    MAX_EXCEPTIONS_PER_POLICY, MAX_EXTENDS_DEPTH, MAX_OVERRIDES_PER_POLICY,
    MAX_PACKS_PER_POLICY, MAX_PACK_BYTES, MAX_PATTERNS_PER_POLICY,
    MAX_RULES_PER_POLICY, MAX_TERMS_PER_POLICY,
};
use crate::pack::{pack_too_large, Pack, Sizes};

/// Checks the per-policy totals of `packs`. The error names the pack at
/// which a total crosses its limit.
pub(super) fn check_policy_limits(packs: &[Pack]) -> Result<(), Error> {
    let total = |what: &str, max: usize, count: fn(&Sizes) -> usize| {
        let (total, crossing) = match within(packs, max, |p| count(&p.sizes)) {
            Ok(_) => return Ok(()),
            Err(over) => over,
        };
        Err(Error::new(ErrorKind::Limit(format!(
            "policy has {total} {what}, over the limit of {max} {what} per \
             policy"
        )))
        .with_pack(crossing.origin.clone()))
    };
    total("rules", MAX_RULES_PER_POLICY, |s| s.rules)?;
    total("overrides", MAX_OVERRIDES_PER_POLICY, |s| s.overrides)?;
    total("exceptions", MAX_EXCEPTIONS_PER_POLICY, |s| s.exceptions)?;
    total("terms", MAX_TERMS_PER_POLICY, |s| s.terms)?;
    total("patterns", MAX_PATTERNS_PER_POLICY, |s| s.patterns)
}

pub(super) fn read_pack_file(path: &Path) -> Result<Pack, Error> {
    use std::io::Read;
    let origin = path.display().to_string();
    let io = |e: std::io::Error| {
        Error::new(ErrorKind::Io(e.to_string()))
            .with_pack(origin.clone())
            .with_source(e)
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(Error::new(ErrorKind::Io("not a regular file".into()))
            .with_pack(origin));
    }
    // Refused on its size before a byte is read; the read is bounded too,
    // for a file that grows meanwhile.
    if meta.len() > MAX_PACK_BYTES {
        return Err(pack_too_large(meta.len()).with_pack(origin));
    }
    let mut bytes = Vec::new();
    file.take(MAX_PACK_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_PACK_BYTES {
        return Err(Error::new(ErrorKind::Limit(format!(
            "pack is more than {MAX_PACK_BYTES} bytes (it grew while being \
             read), over the limit of {MAX_PACK_BYTES} bytes per pack"
        )))
        .with_pack(origin));
    }
    let source = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&e.as_bytes()[..offset]).unwrap_or("");
        let (line, column) = crate::text::line_column(valid, offset);
        Error::new(ErrorKind::Utf8 { offset })
            .with_pack(origin.clone())
            .with_position(line, column)
    })?;
    Pack::from_toml(&origin, &source)
}

/// Pushes what `pack` extends (depth first), then `pack`, onto `stack`.
pub(super) fn push_with_extends(
    stack: &mut Vec<Pack>,
    visiting: &mut Vec<String>,
    pack: Pack,
    dir: Option<&Path>,
) -> Result<(), Error> {
    if let Some(have) = stack.iter().find(|p| p.name == pack.name) {
        if have.source == pack.source {
            return Ok(());
        }
        return Err(Error::new(ErrorKind::InvalidPack(format!(
            "two different packs are named '{}' ({} and {})",
            pack.name, have.origin, pack.origin
        )))
        .with_pack(pack.origin.clone()));
    }
    // Counted before what it extends is read: a pack extending a thousand
    // files stops at the limit.
    let packs = stack.len() + visiting.len() + 1;
    if packs > MAX_PACKS_PER_POLICY {
        return Err(Error::new(ErrorKind::Limit(format!(
            "policy has {packs} packs, over the limit of \
             {MAX_PACKS_PER_POLICY} packs per policy"
        )))
        .with_pack(pack.origin.clone()));
    }
    visiting.push(pack.name.clone());
    for (parent, (line, col)) in &pack.extends {
        let located = |e: Error| {
            e.with_pack(pack.origin.clone()).with_position(*line, *col)
        };
        // Checked before the parent is read: a chain of files is not
        // followed past the limit (nor is the recursion).
        if visiting.len() >= MAX_EXTENDS_DEPTH {
            return Err(located(Error::new(ErrorKind::Limit(format!(
                "`extends` chain is over the limit of {MAX_EXTENDS_DEPTH} \
                 packs: {} -> {parent}",
                visiting.join(" -> ")
            )))));
        }
        let (parent_pack, parent_dir) = if is_bundled(parent) {
            (bundled_pack(parent).map_err(located)?, None)
        } else {
            let path =
                dir.map_or_else(|| PathBuf::from(parent), |d| d.join(parent));
            if !path.exists() {
                return Err(located(Error::new(ErrorKind::MissingPack(
                    parent.clone(),
                ))));
            }
            let parent_dir = path.parent().map(Path::to_path_buf);
            (read_pack_file(&path)?, parent_dir)
        };
        // The entry that closes a loop is where the cycle is reported.
        if let Some(i) = visiting.iter().position(|n| *n == parent_pack.name) {
            let mut chain = visiting[i..].to_vec();
            chain.push(parent_pack.name.clone());
            return Err(located(Error::new(ErrorKind::Cycle(
                chain.join(" -> "),
            ))));
        }
        push_with_extends(
            stack,
            visiting,
            parent_pack,
            parent_dir.as_deref(),
        )?;
    }
    visiting.pop();
    stack.push(pack);
    Ok(())
}
