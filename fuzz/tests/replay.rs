//! Replays the seeds (`seeds/<target>/`), the saved crashes
//! (`regressions/<target>/`) and any local libFuzzer finds
//! (`artifacts/<target>/`, not committed) through the fuzz targets'
//! checks, on stable and without libFuzzer:
//!
//! ```text
//! cargo test --manifest-path fuzz/Cargo.toml --no-default-features
//! ```

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use preclear_fuzz::{
    check_capi, check_pack, check_pack_build, check_screen, Outcome,
};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["seeds", "regressions", "artifacts"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target))
        else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .filter(|p| {
                p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    !n.starts_with('.') && !n.ends_with(".md")
                })
            })
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

fn replay(target: &str, check: fn(&[u8]) -> Outcome) {
    let files = inputs(target);
    assert!(!files.is_empty(), "no seeds for {target}");
    let mut failed = Vec::new();
    for path in &files {
        let data = std::fs::read(path).expect("readable input");
        if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: {} of {} inputs failed (messages above):\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}

#[test]
fn screen() {
    replay("screen", check_screen);
}

#[test]
fn pack_parse() {
    replay("pack_parse", check_pack);
}

#[test]
fn pack_build() {
    replay("pack_build", check_pack_build);
}

#[test]
fn capi() {
    replay("capi", check_capi);
}
