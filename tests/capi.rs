//! The C ABI from the outside: the header is current, and C programs
//! compiled against it (shared and static), a pthreads stress test under
//! valgrind when it is installed, and the Python ctypes client all pass.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Regenerates the header; with `PRECLEAR_BLESS=1` writes it.
#[test]
fn header_is_current() {
    let config =
        cbindgen::Config::from_file(root().join("cbindgen.toml")).unwrap();
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(root())
        .with_config(config)
        .generate()
        .expect("cbindgen runs")
        .write(&mut generated);
    let path = root().join("include/preclear.h");
    if std::env::var_os("PRECLEAR_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let current = std::fs::read(&path).unwrap_or_default();
    assert!(
        current == generated,
        "include/preclear.h is stale: run PRECLEAR_BLESS=1 cargo test \
         --test integration capi::header_is_current"
    );
}

/// Builds the shared and static libraries once (release, without the CLI)
/// in their own target directory, so the build does not wait on the lock
/// of the `cargo test` that runs us; returns the directory holding them.
fn library_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let target = root().join("target/capi");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .current_dir(root())
            .args(["build", "--release", "--lib", "--no-default-features"])
            .arg("--target-dir")
            .arg(&target)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building libpreclear failed");
        target.join("release")
    })
}

/// Compiles a C program from `tests/c/` against the header and the library
/// (`shared` or static), once per test run; returns the executable.
fn compile(source: &str, shared: bool) -> PathBuf {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static BUILT: Mutex<Option<HashMap<(String, bool), PathBuf>>> =
        Mutex::new(None);
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    built
        .get_or_insert_with(HashMap::new)
        .entry((source.to_string(), shared))
        .or_insert_with(|| compile_now(source, shared))
        .clone()
}

fn compile_now(source: &str, shared: bool) -> PathBuf {
    let lib = library_dir();
    let out_dir = lib.join("ctest");
    std::fs::create_dir_all(&out_dir).unwrap();
    let exe = out_dir.join(format!(
        "{}-{}",
        source.trim_end_matches(".c"),
        if shared { "shared" } else { "static" }
    ));
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let mut cmd = Command::new(cc);
    cmd.arg(root().join("tests/c").join(source))
        .args(["-std=c11", "-D_DEFAULT_SOURCE", "-Wall", "-Wextra", "-Werror"])
        .arg("-I")
        .arg(root().join("include"))
        .arg("-o")
        .arg(&exe)
        .arg("-pthread");
    if shared {
        cmd.arg(format!("-L{}", lib.display()))
            .arg("-lpreclear")
            .arg(format!("-Wl,-rpath,{}", lib.display()));
    } else {
        cmd.arg(lib.join("libpreclear.a")).args(["-ldl", "-lm"]);
    }
    let out = cmd.output().expect("the C compiler runs");
    assert!(
        out.status.success(),
        "compiling {source} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    exe
}

/// Runs `exe` (optionally under valgrind) and asserts it passes.
fn run(cmd: &mut Command, expect: &str) {
    let out = cmd.output().expect("the test program runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains(expect),
        "{cmd:?} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
}

#[test]
fn c_smoke_shared() {
    run(&mut Command::new(compile("smoke.c", true)), "all checks passed");
}

#[test]
fn c_smoke_static() {
    run(&mut Command::new(compile("smoke.c", false)), "all checks passed");
}

#[test]
fn c_threads_share_one_screener() {
    run(Command::new(compile("threads.c", true)).arg("5000"), "all equal");
}

fn valgrind() -> Option<Command> {
    let found = Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        // CI installs valgrind (.ci/run); a developer machine may not have
        // it, and then this check has nothing to run.
        assert!(
            std::env::var_os("CI").is_none(),
            "valgrind must be installed in CI"
        );
        return None;
    }
    let mut cmd = Command::new("valgrind");
    cmd.args([
        "--quiet",
        "--error-exitcode=99",
        "--leak-check=full",
        "--errors-for-leak-kinds=definite,indirect",
    ]);
    Some(cmd)
}

#[test]
fn c_smoke_under_valgrind() {
    if let Some(mut cmd) = valgrind() {
        run(cmd.arg(compile("smoke.c", true)), "all checks passed");
    }
}

#[test]
fn c_threads_under_valgrind() {
    if let Some(mut cmd) = valgrind() {
        run(cmd.arg(compile("threads.c", true)).arg("200"), "all equal");
    }
}

#[test]
fn python_client() {
    let lib = library_dir().join("libpreclear.so");
    run(
        Command::new("python3")
            .arg(root().join("examples/python/test_preclear.py"))
            .env("PRECLEAR_LIB", lib),
        "OK",
    );
}

/// Compiles `source` with the README's command line (`cc FILE -Iinclude
/// -L… -lpreclear -o …`); returns the executable.
fn compile_as_documented(source: &Path, name: &str) -> PathBuf {
    let lib = library_dir();
    std::fs::create_dir_all(lib.join("ctest")).unwrap();
    let exe = lib.join("ctest").join(name);
    let out =
        Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
            .arg(source)
            .arg(format!("-I{}", root().join("include").display()))
            .arg(format!("-L{}", lib.display()))
            .arg("-lpreclear")
            .arg("-o")
            .arg(&exe)
            .output()
            .expect("the C compiler runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    exe
}

/// The README's C example builds with the README's command line and
/// answers as documented.
#[test]
fn c_readme_example() {
    let lib = library_dir();
    let exe = compile_as_documented(
        &root().join("examples/c/example.c"),
        "readme-example",
    );
    let out = Command::new(&exe)
        .env("LD_LIBRARY_PATH", lib)
        .args(["Guaranteed returns, act now!", "Branch opens at 9am"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(stdout.starts_with("block (score 100)\n"), "{stdout}");
    assert!(stdout.contains("promissory.guarantee [0..18)"), "{stdout}");
    assert!(stdout.ends_with("allow (score 0)\n"), "{stdout}");
}

/// The C program shown in the README compiles and prints what its comments
/// say.
#[test]
fn c_readme_snippet() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find("```c\n").expect("README has a C example") + 5;
    let len = readme[start..].find("```").unwrap();
    let lib = library_dir();
    let source = lib.join("ctest/readme-snippet.c");
    std::fs::create_dir_all(source.parent().unwrap()).unwrap();
    std::fs::write(&source, &readme[start..start + len]).unwrap();
    let exe = compile_as_documented(&source, "readme-snippet");
    let out = Command::new(&exe).env("LD_LIBRARY_PATH", lib).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.starts_with("decision 2, score 100\n"), "{stdout}");
    assert!(stdout.contains("pii.payment-card at [19, 38)\n"), "{stdout}");
    assert!(stdout.contains("\"verdict\":\"block\""), "{stdout}");
}
