//! `preclear test`: each pack's examples against the policy as of that
//! pack's layer, and with `--coverage` the rules no example makes fire.

use std::collections::BTreeSet;
use std::io::{self, Write};

use preclear::{
    EffectivePolicy, Error, ExampleFailure, Pack, Policy, Screener,
};

use crate::args::TestArgs;
use crate::{error, EXIT_ERROR};

/// A rule of a tested policy: `(pack, rule id)` and where it is defined.
type RuleAt = ((String, String), String);

/// What the examples of every tested pack found.
#[derive(Default)]
struct Tally {
    examples: usize,
    failed: usize,
    /// `(pack, rule)` of every rule that fired in an example.
    fired: BTreeSet<(String, String)>,
    /// Every enabled rule of the tested policies, once each, in order.
    rules: Vec<RuleAt>,
}

/// Checks each pack's examples against the policy up to and including that
/// pack (its own layer and everything beneath it).
pub fn test(args: &TestArgs) -> u8 {
    // With no --pack, each bundled pack is tested on its own.
    let stacks: Vec<Vec<String>> = if args.pack.packs.is_empty() {
        preclear::bundled_names().map(|n| vec![n.to_string()]).collect()
    } else {
        vec![args.pack.packs.clone()]
    };
    let mut tally = Tally::default();
    let mut tested: Vec<String> = Vec::new();
    let mut out = io::stdout().lock();
    for stack in stacks {
        if let Err(e) = test_stack(&mut out, &stack, &mut tested, &mut tally) {
            error(e);
            return EXIT_ERROR;
        }
    }
    let (total, failed) = (tally.examples, tally.failed);
    let _ = writeln!(
        out,
        "{} examples, {} passed, {} failed",
        total,
        total - failed,
        failed
    );
    let uncovered = if args.coverage { coverage(&mut out, &tally) } else { 0 };
    u8::from(failed > 0 || (args.strict && uncovered > 0))
}

/// Loads one stack of packs and runs the examples of each pack in it not
/// tested yet.
fn test_stack(
    out: &mut impl Write,
    stack: &[String],
    tested: &mut Vec<String>,
    tally: &mut Tally,
) -> Result<(), Error> {
    let mut policy = Policy::new();
    for name in stack {
        let before = policy.packs().len();
        policy.add(name)?;
        for k in before..policy.packs().len() {
            let pack = &policy.packs()[k];
            if tested.iter().any(|t| t == pack.name()) {
                continue;
            }
            tested.push(pack.name().to_string());
            // A pack's examples describe the policy as of its layer.
            let layer = policy.first(k + 1);
            let screener = Screener::new(&layer)?;
            run_examples(out, pack, &screener, &layer.effective()?, tally)?;
        }
    }
    let effective = policy.effective()?;
    for r in effective.rules.iter().filter(|r| r.enabled) {
        let key = (r.pack.clone(), r.rule.id.clone());
        if tally.rules.iter().any(|(k, _)| *k == key) {
            continue;
        }
        let origin = policy
            .packs()
            .iter()
            .find(|p| p.name() == r.pack)
            .map_or(r.pack.as_str(), |p| p.origin());
        let (line, column) = r.rule.position;
        tally.rules.push((key, format!("{origin}:{line}:{column}")));
    }
    Ok(())
}

/// Runs one pack's examples against `screener` (whose policy is
/// `effective`), prints the failures and adds to `tally`.
fn run_examples(
    out: &mut impl Write,
    pack: &Pack,
    screener: &Screener,
    effective: &EffectivePolicy,
    tally: &mut Tally,
) -> Result<(), Error> {
    let report = screener.screen_examples(pack)?;
    for f in report.failures() {
        let _ =
            writeln!(out, "FAIL {f}\n     {}", shown_text(pack, f, effective));
    }
    let (n, failed) = (report.examples(), report.failures().len());
    let _ = writeln!(
        out,
        "{} {}@{}: {} examples, {} failed",
        if failed == 0 { "ok  " } else { "FAIL" },
        pack.name(),
        pack.version(),
        n,
        failed
    );
    tally.examples += n;
    tally.failed += failed;
    tally.fired.extend(report.fired().iter().cloned());
    Ok(())
}

/// The failing example's text, with what masked rules found hidden. When
/// a masked rule the example lists did not fire, nothing hides its value:
/// the text is left out (the line number finds it).
fn shown_text(
    pack: &Pack,
    f: &ExampleFailure,
    effective: &EffectivePolicy,
) -> String {
    let masked = |id: &String| {
        effective.rules.iter().any(|r| r.rule.id == *id && r.rule.mask)
    };
    if f.missing().iter().any(masked) {
        return "(text not shown: it is for a masked rule that did not fire)"
            .into();
    }
    let text = &pack.examples()[f.index()].text;
    format!("{:?}", f.verdict().redact(text).text())
}

/// Prints the rules no example makes fire; returns how many.
fn coverage(out: &mut impl Write, tally: &Tally) -> usize {
    let uncovered: Vec<&RuleAt> =
        tally.rules.iter().filter(|(k, _)| !tally.fired.contains(k)).collect();
    for ((pack, id), at) in &uncovered {
        let _ = writeln!(
            out,
            "uncovered {at}: rule '{id}' ({pack}) fires in no example"
        );
    }
    let n = tally.rules.len();
    let _ = writeln!(
        out,
        "coverage: {} of {} rules fire in an example, {} uncovered",
        n - uncovered.len(),
        n,
        uncovered.len()
    );
    uncovered.len()
}
