//! The C ABI from the outside: the header is current and declares only
//! prefixed names, and C programs compiled against it (shared and static),
//! a pthreads stress test under valgrind when it is installed, and the
//! Python ctypes client all pass.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Regenerates the header from `src/ffi.rs` alone, as `cbindgen.toml`
/// says; with `PRECLEAR_BLESS=1` writes it.
#[test]
fn header_is_current() {
    let config =
        cbindgen::Config::from_file(root().join("cbindgen.toml")).unwrap();
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_src(root().join("src/ffi.rs"))
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

/// The names a C header declares, with what each is: macros, struct, enum
/// and union tags, enumerators, typedefs, functions and variables. A small
/// scanner, enough for what cbindgen writes.
fn declared_names(header: &str) -> Vec<(&'static str, String)> {
    let mut names = Vec::new();
    let mut code = String::new();
    for line in strip_comments(header).lines() {
        match line.trim_start().strip_prefix('#') {
            Some(directive) => {
                if let Some(rest) =
                    directive.trim_start().strip_prefix("define")
                {
                    let name = rest.trim_start();
                    let end = name
                        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .unwrap_or(name.len());
                    names.push(("macro", name[..end].to_string()));
                }
            }
            None => {
                code.push_str(line);
                code.push('\n');
            }
        }
    }
    let tokens = tokenize(&code);
    let is_ident =
        |t: &str| t.starts_with(|c: char| c.is_alphabetic() || c == '_');
    // Open braces: `Some(is_enum)` for a struct, enum or union body, None
    // for `extern "C" {`, whose contents are top-level declarations.
    let mut frames: Vec<Option<bool>> = Vec::new();
    let mut statement: Vec<&str> = Vec::new();
    let mut enumerator_next = false;
    for (i, &t) in tokens.iter().enumerate() {
        let in_body = frames.iter().any(Option::is_some);
        match t {
            "{" => {
                let is_extern = i >= 2 && tokens[i - 2] == "extern";
                let is_enum = statement.contains(&"enum") && !in_body;
                frames.push((!is_extern).then_some(is_enum));
                enumerator_next = is_enum;
                if is_extern {
                    statement.clear();
                }
                continue;
            }
            "}" => {
                frames.pop();
                continue;
            }
            _ => {}
        }
        if in_body {
            if frames.last() == Some(&Some(true)) {
                if enumerator_next && is_ident(t) {
                    names.push(("enumerator", t.to_string()));
                }
                enumerator_next = t == ",";
            }
            continue;
        }
        if t != ";" {
            statement.push(t);
            continue;
        }
        for w in statement.windows(2) {
            if matches!(w[0], "struct" | "enum" | "union") && is_ident(w[1]) {
                names.push(("tag", w[1].to_string()));
            }
        }
        // The last identifier, unless it is a tag (`struct preclear_x;`).
        let last = statement
            .iter()
            .rposition(|t| is_ident(t))
            .filter(|&i| {
                i == 0
                    || !matches!(statement[i - 1], "struct" | "enum" | "union")
            })
            .map(|i| statement[i]);
        // The name before the first `(` (a function), or after `(*` (a
        // function pointer), or else the last identifier.
        let open = statement.iter().position(|&t| t == "(");
        let declared = match open {
            Some(k) if statement.get(k + 1) == Some(&"*") => {
                statement.get(k + 2).map(|n| ("variable", *n))
            }
            Some(k) => k.checked_sub(1).map(|j| ("function", statement[j])),
            None => last.map(|n| ("variable", n)),
        };
        if let Some((kind, name)) = declared {
            let kind =
                if statement[0] == "typedef" { "typedef" } else { kind };
            names.push((kind, name.to_string()));
        }
        statement.clear();
    }
    names
}

/// `src` without its `//` and `/* */` comments.
fn strip_comments(src: &str) -> String {
    let mut out = String::new();
    let mut rest = src;
    loop {
        let line = rest.find("//").unwrap_or(rest.len());
        let block = rest.find("/*").unwrap_or(rest.len());
        let start = line.min(block);
        out.push_str(&rest[..start]);
        if start == rest.len() {
            return out;
        }
        let (close, skip) = if line < block { ("\n", 0) } else { ("*/", 2) };
        let end = rest[start + 2..]
            .find(close)
            .map_or(rest.len(), |e| start + 2 + e + skip);
        out.push(' ');
        rest = &rest[end..];
    }
}

/// C tokens, roughly: identifiers and numbers, string literals, and single
/// punctuation characters.
fn tokenize(code: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut chars = code.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        if c.is_whitespace() {
            continue;
        } else if c.is_alphanumeric() || c == '_' {
            while let Some(&(i, c)) = chars.peek() {
                if !(c.is_alphanumeric() || c == '_') {
                    break;
                }
                end = i + c.len_utf8();
                chars.next();
            }
        } else if c == '"' {
            for (i, c) in chars.by_ref() {
                end = i + 1;
                if c == '"' {
                    break;
                }
            }
        }
        tokens.push(&code[start..end]);
    }
    tokens
}

/// The names `header` declares without the `preclear_`/`PRECLEAR_` prefix.
fn unprefixed(header: &str) -> Vec<String> {
    declared_names(header)
        .into_iter()
        .filter(|(_, n)| {
            !(n.starts_with("preclear_") || n.starts_with("PRECLEAR_"))
        })
        .map(|(kind, n)| format!("{kind} {n}"))
        .collect()
}

/// Every name the header gives C (macros, types, functions) carries the
/// prefix, and no Rust intra-doc link reaches its comments.
#[test]
fn header_declares_only_prefixed_names() {
    let header =
        std::fs::read_to_string(root().join("include/preclear.h")).unwrap();
    let names = declared_names(&header);
    for want in ["PRECLEAR_BLOCK", "preclear_reason", "preclear_screen"] {
        assert!(
            names.iter().any(|(_, n)| n == want),
            "the scanner missed {want}: {names:?}"
        );
    }
    assert_eq!(unprefixed(&header), Vec::<String>::new());
    for link in ["[`", "]("] {
        assert!(!header.contains(link), "a Rust doc link ({link}) in C");
    }
}

/// The scanner behind the test above finds a leaked name in every place a
/// header can declare one.
#[test]
fn header_scanner_finds_unprefixed_names() {
    let cases = [
        ("#define MAX_POST_BYTES 65536", "macro MAX_POST_BYTES"),
        ("  #  define  MIN(a, b) a", "macro MIN"),
        ("typedef struct Screener Screener;", "tag Screener"),
        ("typedef struct preclear_x { int32_t a; } X;", "typedef X"),
        ("typedef uint32_t Level;", "typedef Level"),
        ("enum preclear_e { PRECLEAR_A, B = 2 };", "enumerator B"),
        ("struct Span { int64_t start; };", "tag Span"),
        ("int screen(const char *p, size_t n);", "function screen"),
        ("void preclear_f(struct Foo *p);", "tag Foo"),
        ("extern \"C\" {\nvoid go(void);\n}", "function go"),
        ("extern const uint32_t LIMIT;", "variable LIMIT"),
        ("typedef void (*callback)(int32_t code);", "typedef callback"),
    ];
    assert_eq!(declared_names("struct preclear_p;").len(), 1);
    for (src, leak) in cases {
        let found = unprefixed(src);
        assert!(found.iter().any(|f| f == leak), "{src:?}: {found:?}");
    }
    let clean = "#ifndef PRECLEAR_H\n#define PRECLEAR_H\n// MAX a(b);\n\
                 /* FOO; */ typedef struct preclear_r { int32_t score; } \
                 preclear_r;\nint preclear_f(struct preclear_r *r);\n\
                 void preclear_g(void (*cb)(int32_t code));\n";
    assert_eq!(unprefixed(clean), Vec::<String>::new());
}

/// Builds the shared and static libraries once (release, with the `capi`
/// feature and without the CLI) in their own target directory, so the
/// build does not wait on the lock of the `cargo test` that runs us;
/// returns the directory holding them.
fn library_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let target = root().join("target/capi");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .current_dir(root())
            .args(["build", "--release", "--lib", "--no-default-features"])
            .args(["--features", "capi"])
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
    // `cargo test` puts target/debug/deps on LD_LIBRARY_PATH, ahead of the
    // executables' rpath; the libpreclear.so there has no `capi`.
    cmd.env("LD_LIBRARY_PATH", library_dir());
    // ETXTBSY (seen once in a full run, cause not established: the
    // linker, a child process, wrote the file; perhaps another test run
    // sharing the output directory): the file is whole, so try again.
    let mut tries = 0;
    let out = loop {
        match cmd.output() {
            Err(e)
                if e.kind() == std::io::ErrorKind::ExecutableFileBusy
                    && tries < 20 =>
            {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            r => break r.expect("the test program runs"),
        }
    };
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
fn c_accessors_shared() {
    run(&mut Command::new(compile("accessors.c", true)), "all checks passed");
}

#[test]
fn c_accessors_static() {
    run(&mut Command::new(compile("accessors.c", false)), "all checks passed");
}

#[test]
fn c_accessors_under_valgrind() {
    if let Some(mut cmd) = valgrind() {
        run(cmd.arg(compile("accessors.c", true)), "all checks passed");
    }
}

#[test]
fn c_threads_under_valgrind() {
    if let Some(mut cmd) = valgrind() {
        run(cmd.arg(compile("threads.c", true)).arg("200"), "all equal");
    }
}

/// The ctypes client's tests, and its loader: it finds the library from
/// any directory, and says what to do when it cannot.
#[test]
fn python_client() {
    let lib = library_dir().join("libpreclear.so");
    let script = root().join("examples/python/test_preclear_ctypes.py");
    let tmp = std::env::temp_dir();
    run(
        Command::new("python3")
            .arg(&script)
            .current_dir(&tmp)
            .env("PRECLEAR_LIB", &lib),
        "OK",
    );
    let out = Command::new("python3")
        .arg(root().join("examples/python/screen.py"))
        .arg("Please charge card 4111 1111 1111 1111 today")
        .current_dir(&tmp)
        .env("PRECLEAR_LIB", &lib)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.starts_with("block (score 100)\n  pii.payment-card at 1:20")
    );
    assert!(stdout.contains("•••• 1111") && !stdout.contains("4111 1111"));
    // A library that is not there: an ImportError naming what was tried
    // and how to build or install it, not a bare OSError.
    let out = Command::new("python3")
        .args(["-c", "import preclear_ctypes"])
        .current_dir(&tmp)
        .env("PYTHONPATH", root().join("examples/python"))
        .env("PRECLEAR_LIB", "/nonexistent/libpreclear.so")
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    for want in [
        "preclear_ctypes.LibraryNotFound",
        "/nonexistent/libpreclear.so",
        "cargo build --release --features capi",
        "cargo cinstall",
    ] {
        assert!(stderr.contains(want), "{want:?} not in:\n{stderr}");
    }
    assert!(!stderr.contains("\nOSError"), "{stderr}");
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

/// `examples/c/example.c` answers as documented: one line per post, the
/// reasons under it, the exit status of the worst decision.
fn check_example_output(out: &std::process::Output) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(stdout.starts_with("block (score 100)\n"), "{stdout}");
    assert!(stdout.contains("promissory.guarantee [0..18)"), "{stdout}");
    assert!(stdout.ends_with("allow (score 0)\n"), "{stdout}");
}

const EXAMPLE_POSTS: [&str; 2] =
    ["Guaranteed returns, act now!", "Branch opens at 9am"];

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
        .args(EXAMPLE_POSTS)
        .output()
        .unwrap();
    check_example_output(&out);
}

/// The C program shown in the README, written to `dir`.
fn readme_snippet(dir: &Path) -> PathBuf {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find("```c\n").expect("README has a C example") + 5;
    let len = readme[start..].find("```").unwrap();
    std::fs::create_dir_all(dir).unwrap();
    let source = dir.join("example.c");
    std::fs::write(&source, &readme[start..start + len]).unwrap();
    source
}

/// What the README's C program prints, as its comments say; it exits 2
/// (block) on its card post.
fn check_snippet_output(out: &std::process::Output) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    let masked = "charge card •••• •••• •••• 1111 today";
    let first = format!("pii.payment-card at [19, 38): {masked}\n");
    assert!(stdout.starts_with(&first), "{stdout}");
    assert!(stdout.contains("{\"id\":\"post-1\",\"verdict\":\"block\""));
    assert!(!stdout.contains("4111 1111"), "{stdout}");
}

/// The C program shown in the README compiles against the source tree
/// and prints what its comments say.
#[test]
fn c_readme_snippet() {
    let lib = library_dir();
    let source = readme_snippet(&lib.join("ctest/readme-src"));
    let exe = compile_as_documented(&source, "readme-snippet");
    let out = Command::new(&exe).env("LD_LIBRARY_PATH", lib).output().unwrap();
    check_snippet_output(&out);
}

/// Whether `cmd --version` runs; when it does not, the test that needs it
/// skips locally with a message, and fails in CI (`.ci/run` installs it).
fn have(cmd: &str, args: &[&str], what: &str) -> bool {
    let found = Command::new(cmd)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{what} must be installed in CI"
        );
        eprintln!("skipped: {what} is not installed (.ci/run installs it)");
    }
    found
}

/// `cargo cinstall` into a fresh prefix, once per test run: the README's
/// command with `--prefix`, `--libdir` and a target directory of its own.
/// None when cargo-c or pkg-config is missing (see `have`).
fn installed() -> Option<&'static Path> {
    static PREFIX: std::sync::OnceLock<Option<PathBuf>> =
        std::sync::OnceLock::new();
    let prefix = PREFIX.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let cargo_c = have(&cargo, &["cinstall", "--version"], "cargo-c");
        if !(have("pkg-config", &["--version"], "pkg-config") && cargo_c) {
            return None;
        }
        let prefix = root().join("target/cinstall/prefix");
        let _ = std::fs::remove_dir_all(&prefix);
        let out = Command::new(cargo)
            .current_dir(root())
            .args(["cinstall", "--release", "--locked"])
            .arg(format!("--prefix={}", prefix.display()))
            .arg(format!("--libdir={}", prefix.join("lib").display()))
            .arg(format!(
                "--target-dir={}",
                root().join("target/cinstall").display()
            ))
            .output()
            .expect("cargo cinstall runs");
        assert!(
            out.status.success(),
            "cargo cinstall failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(prefix)
    });
    prefix.as_deref()
}

/// `pkg-config ARGS preclear` against the installed prefix, split into
/// arguments.
fn pkg_config(prefix: &Path, args: &[&str]) -> Vec<String> {
    let out = Command::new("pkg-config")
        .args(args)
        .arg("preclear")
        .env("PKG_CONFIG_PATH", prefix.join("lib/pkgconfig"))
        .output()
        .expect("pkg-config runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// What `cargo cinstall` installs: the shared library with its SONAME and
/// version links, the static library, the header (the checked-in one)
/// and `preclear.pc`.
#[test]
fn cinstall_installs_a_c_library() {
    let Some(prefix) = installed() else { return };
    let lib = prefix.join("lib");
    let version = env!("CARGO_PKG_VERSION");
    let real = lib.join(format!("libpreclear.so.{version}"));
    assert!(real.is_file() && !real.is_symlink(), "{}", real.display());
    for link in ["libpreclear.so.0", "libpreclear.so"] {
        let path = lib.join(link);
        assert!(path.is_symlink(), "{link} is not a link");
        let resolved = std::fs::canonicalize(&path).unwrap();
        assert_eq!(resolved, std::fs::canonicalize(&real).unwrap(), "{link}");
    }
    assert!(lib.join("libpreclear.a").is_file());
    let out = Command::new("readelf")
        .arg("-d")
        .arg(&real)
        .output()
        .expect("readelf runs");
    let dynamic = String::from_utf8_lossy(&out.stdout);
    assert!(
        dynamic.contains("Library soname: [libpreclear.so.0]"),
        "{dynamic}"
    );
    let header =
        std::fs::read(prefix.join("include/preclear/preclear.h")).unwrap();
    assert_eq!(
        header,
        std::fs::read(root().join("include/preclear.h")).unwrap()
    );
    let pc =
        std::fs::read_to_string(lib.join("pkgconfig/preclear.pc")).unwrap();
    assert!(pc.contains(&format!("Version: {version}")), "{pc}");
    assert_eq!(pkg_config(prefix, &["--modversion"]), [version]);
}

/// The installed shared library exports every function the header
/// declares, and nothing without the `preclear_` prefix.
#[test]
fn cinstall_exports_only_prefixed_names() {
    let Some(prefix) = installed() else { return };
    let so = prefix.join("lib/libpreclear.so.0");
    let out = Command::new("nm")
        .args(["-D", "--defined-only", "--format=posix"])
        .arg(&so)
        .output()
        .expect("nm runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let exported: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(|name| name.split('@').next().unwrap_or(name).to_string())
        .collect();
    let foreign: Vec<&String> =
        exported.iter().filter(|n| !n.starts_with("preclear_")).collect();
    assert!(foreign.is_empty(), "exported without the prefix: {foreign:?}");
    let header =
        std::fs::read_to_string(root().join("include/preclear.h")).unwrap();
    let functions: Vec<String> = declared_names(&header)
        .into_iter()
        .filter(|(kind, _)| *kind == "function")
        .map(|(_, n)| n)
        .collect();
    assert!(functions.len() >= 36, "{functions:?}");
    for f in &functions {
        assert!(exported.contains(f), "{f} is declared but not exported");
    }
    for f in &exported {
        assert!(functions.contains(f), "{f} is exported but not declared");
    }
}

/// A C program, its arguments and the check of what it printed.
type Example<'a> = (&'a Path, &'a [&'a str], fn(&std::process::Output));

/// The README's C program and `examples/c/example.c` build against the
/// installed library with `cc FILE $(pkg-config --cflags --libs
/// preclear)` and nothing else, and run clean under valgrind.
#[test]
fn cinstall_examples_build_with_pkg_config() {
    let Some(prefix) = installed() else { return };
    let dir = prefix.parent().unwrap().join("examples");
    let snippet = readme_snippet(&dir);
    let flags = pkg_config(prefix, &["--cflags", "--libs"]);
    let cases: [Example; 2] = [
        (&snippet, &[], check_snippet_output),
        (
            &root().join("examples/c/example.c"),
            &EXAMPLE_POSTS,
            check_example_output,
        ),
    ];
    for (i, (source, args, check)) in cases.into_iter().enumerate() {
        let exe = dir.join(format!("example-{i}"));
        let out =
            Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
                .arg(source)
                .args(&flags)
                .arg("-o")
                .arg(&exe)
                .output()
                .expect("the C compiler runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Only running needs the prefix's lib on the loader's path.
        let mut cmd = valgrind().unwrap_or_else(|| Command::new("env"));
        let out = cmd
            .arg(&exe)
            .args(args)
            .env("LD_LIBRARY_PATH", prefix.join("lib"))
            .output()
            .unwrap();
        check(&out);
    }
}
