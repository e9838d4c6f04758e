//! A policy: the ordered stack of packs (most general first) that a
//! screener is compiled from, with `extends` resolved, and its fingerprint.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind};
use crate::layering::EffectivePolicy;
use crate::limits::{
    MAX_EXCEPTIONS_PER_POLICY, MAX_EXTENDS_DEPTH, MAX_OVERRIDES_PER_POLICY,
    MAX_PACKS_PER_POLICY, MAX_PACK_BYTES, MAX_PATTERNS_PER_POLICY,
    MAX_RULES_PER_POLICY, MAX_TERMS_PER_POLICY,
};
use crate::pack::{pack_too_large, Pack, Sizes};

/// The packs that ship inside the library: `(name, TOML source)`.
const BUNDLED: &[(&str, &str)] = &[
    ("base", include_str!("../rules/base.toml")),
    (
        "financial-institution",
        include_str!("../rules/financial-institution.toml"),
    ),
    ("music-label", include_str!("../rules/music-label.toml")),
];

/// The names of the bundled packs.
pub fn bundled_names() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(n, _)| *n)
}

/// A bundled pack, parsed.
pub fn bundled_pack(name: &str) -> Result<Pack, Error> {
    let (_, src) = BUNDLED
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| Error::new(ErrorKind::MissingPack(name.to_string())))?;
    Pack::from_toml(&format!("bundled:{name}"), src)
}

/// An ordered stack of packs, most general first.
///
/// Adding a pack first adds, underneath it, every pack its `extends` names
/// that the stack does not hold yet, so `--pack financial-institution
/// --pack my-team.toml` (which extends `financial-institution`) holds
/// `base` once. A failed `add_*` leaves the policy as it was. What the
/// stack means — overrides, locks — is [`Policy::effective`].
#[derive(Clone, Debug, Default)]
pub struct Policy {
    packs: Vec<Pack>,
}

impl Policy {
    /// An empty policy.
    pub fn new() -> Policy {
        Policy::default()
    }

    /// Adds a bundled pack (and what it extends).
    pub fn add_bundled(&mut self, name: &str) -> Result<&mut Policy, Error> {
        let pack = bundled_pack(name)?;
        self.add_pack(pack, None)
    }

    /// Adds a pack from a file (and what it extends; relative `extends`
    /// paths are relative to this file).
    pub fn add_file(
        &mut self,
        path: impl AsRef<Path>,
    ) -> Result<&mut Policy, Error> {
        let path = path.as_ref();
        let pack = read_pack_file(path)?;
        self.add_pack(pack, path.parent().map(Path::to_path_buf))
    }

    /// Adds a pack from TOML source. `origin` names it in errors; relative
    /// `extends` paths are relative to the current directory.
    pub fn add_toml(
        &mut self,
        origin: &str,
        source: &str,
    ) -> Result<&mut Policy, Error> {
        let pack = Pack::from_toml(origin, source)?;
        self.add_pack(pack, None)
    }

    /// Adds `NAME` if it is a bundled pack, else the file at that path.
    pub fn add(&mut self, name_or_path: &str) -> Result<&mut Policy, Error> {
        if BUNDLED.iter().any(|(n, _)| *n == name_or_path) {
            self.add_bundled(name_or_path)
        } else if Path::new(name_or_path).exists() {
            self.add_file(name_or_path)
        } else {
            Err(Error::new(ErrorKind::MissingPack(name_or_path.to_string())))
        }
    }

    fn add_pack(
        &mut self,
        pack: Pack,
        dir: Option<PathBuf>,
    ) -> Result<&mut Policy, Error> {
        // Packs are only ever pushed, so a failure undoes by truncating.
        let before = self.packs.len();
        let mut visiting = Vec::new();
        let pushed = push_with_extends(
            &mut self.packs,
            &mut visiting,
            pack,
            dir.as_deref(),
        )
        .and_then(|()| check_policy_limits(&self.packs));
        if let Err(e) = pushed {
            self.packs.truncate(before);
            return Err(e);
        }
        Ok(self)
    }

    /// The policy made of the first `n` packs of this one: the layers up to
    /// one pack, for checking that pack's own examples.
    pub fn first(&self, n: usize) -> Policy {
        Policy { packs: self.packs[..n.min(self.packs.len())].to_vec() }
    }

    /// The packs, most general first.
    pub fn packs(&self) -> &[Pack] {
        &self.packs
    }

    /// The policy after layering: every rule with the overrides of later
    /// packs applied, the exceptions, the thresholds, and who decided
    /// what. Fails when a pack weakens what an earlier one locked.
    pub fn effective(&self) -> Result<EffectivePolicy, Error> {
        crate::layering::resolve(self)
    }

    /// `name@version` of each pack, most general first.
    pub fn pack_labels(&self) -> Vec<String> {
        self.packs
            .iter()
            .map(|p| format!("{}@{}", p.name, p.version))
            .collect()
    }

    /// A stable hash of the packs' names, versions and content, in order:
    /// the same packs give the same fingerprint on every machine.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        for p in &self.packs {
            for part in [&p.name, &p.version, &p.source] {
                h.update((part.len() as u64).to_le_bytes());
                h.update(part.as_bytes());
            }
        }
        let digest = h.finalize();
        let mut out = String::with_capacity(64);
        for b in digest {
            out.push_str(&format!("{b:02x}"));
        }
        out
    }
}

/// Checks the per-policy totals of `packs`. The error names the pack at
/// which a total crosses its limit.
fn check_policy_limits(packs: &[Pack]) -> Result<(), Error> {
    let total = |what: &str, max: usize, count: fn(&Sizes) -> usize| {
        let total: usize = packs.iter().map(|p| count(&p.sizes)).sum();
        if total <= max {
            return Ok(());
        }
        let mut sum = 0;
        let crossing = packs
            .iter()
            .find(|p| {
                sum += count(&p.sizes);
                sum > max
            })
            .expect("the running sum reaches the total");
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

fn read_pack_file(path: &Path) -> Result<Pack, Error> {
    use std::io::Read;
    let origin = path.display().to_string();
    let io = |e: std::io::Error| {
        Error::new(ErrorKind::Io(e.to_string())).with_pack(origin.clone())
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
        let (line, column) = crate::error::line_column(valid, offset);
        Error::new(ErrorKind::Utf8 { offset })
            .with_pack(origin.clone())
            .with_position(line, column)
    })?;
    Pack::from_toml(&origin, &source)
}

/// Pushes what `pack` extends (depth first), then `pack`, onto `stack`.
fn push_with_extends(
    stack: &mut Vec<Pack>,
    visiting: &mut Vec<String>,
    pack: Pack,
    dir: Option<&Path>,
) -> Result<(), Error> {
    if let Some(i) = visiting.iter().position(|n| *n == pack.name) {
        let mut chain = visiting[i..].to_vec();
        chain.push(pack.name.clone());
        return Err(Error::new(ErrorKind::Cycle(chain.join(" -> ")))
            .with_pack(pack.origin.clone()));
    }
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
        let is_bundled = BUNDLED.iter().any(|(n, _)| n == parent);
        let (parent_pack, parent_dir) = if is_bundled {
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
