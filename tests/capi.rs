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
    let out = cmd
        .env("LD_LIBRARY_PATH", library_dir())
        .output()
        .expect("the test program runs");
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
