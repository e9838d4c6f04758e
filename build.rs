//! Renders the man pages (`preclear man`) from the CLI's own flag
//! definitions, so they cannot drift from `--help`. Only with the `cli`
//! feature: library users (`default-features = false`) build neither clap
//! nor clap_mangen here, and this script does nothing.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/bin/preclear/args.rs");
    #[cfg(feature = "cli")]
    if let Err(e) = man::render() {
        // A build script's panic is how Cargo reports its failure.
        panic!("cannot render the man pages: {e}");
    }
}

// The binary's flags, compiled here too. Only their definitions are used:
// the parsed values are the binary's business.
#[cfg(feature = "cli")]
#[allow(dead_code)]
#[path = "src/bin/preclear/args.rs"]
mod args;

#[cfg(feature = "cli")]
mod man {
    use std::path::PathBuf;

    use clap::CommandFactory;

    use crate::args;

    pub fn render() -> std::io::Result<()> {
        let out = std::env::var_os("OUT_DIR").map(PathBuf::from);
        let dir = out.unwrap_or_default().join("man");
        std::fs::create_dir_all(&dir)?;
        let cli = args::Cli::command();
        let mut pages = vec![("preclear".to_string(), cli.clone())];
        for sub in cli.get_subcommands().filter(|s| s.get_name() != "man") {
            let name = format!("preclear-{}", sub.get_name());
            // clap takes `&'static str` names (without its `string`
            // feature); a build script runs once, so leaking is harmless.
            let title: &'static str = Box::leak(name.clone().into_boxed_str());
            pages.push((name, sub.clone().name(title)));
        }
        for (name, cmd) in pages {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut page)?;
            std::fs::write(dir.join(format!("{name}.1")), page)?;
        }
        Ok(())
    }
}
