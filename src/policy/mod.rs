//! A policy: the ordered stack of packs (most general first) that a
//! screener is compiled from, with `extends` resolved, and its fingerprint.

mod layer;
mod load;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

pub use self::layer::{Change, EffectivePolicy, EffectiveRule};
use self::load::{check_policy_limits, push_with_extends, read_pack_file};
use crate::error::{Error, ErrorKind};
use crate::pack::Pack;

/// The packs that ship inside the library: `(name, TOML source)`.
const BUNDLED: &[(&str, &str)] = &[
    ("base", include_str!("../../rules/base.toml")),
    (
        "financial-institution",
        include_str!("../../rules/financial-institution.toml"),
    ),
    ("music-label", include_str!("../../rules/music-label.toml")),
];

/// The names of the bundled packs.
pub fn bundled_names() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(n, _)| *n)
}

/// Whether `name` is a bundled pack's name.
fn is_bundled(name: &str) -> bool {
    BUNDLED.iter().any(|(n, _)| *n == name)
}

/// A bundled pack, parsed.
pub fn bundled_pack(name: &str) -> Result<Pack, Error> {
    // Parsed once per process and cloned after: parsing one (its regexes
    // checked) takes milliseconds, for every policy a server, a binding or
    // a fuzzer builds; a clone is a copy.
    static PARSED: [OnceLock<Result<Pack, Error>>; BUNDLED.len()] =
        [const { OnceLock::new() }; BUNDLED.len()];
    let i = BUNDLED
        .iter()
        .position(|(n, _)| *n == name)
        .ok_or_else(|| Error::new(ErrorKind::MissingPack(name.to_string())))?;
    let src = BUNDLED[i].1;
    PARSED[i]
        .get_or_init(|| Pack::from_toml(&format!("bundled:{name}"), src))
        .clone()
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
        if is_bundled(name_or_path) {
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
        layer::resolve(&self.packs)
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
