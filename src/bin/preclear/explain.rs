//! `preclear policy`: the effective policy after layering, for the
//! compliance officer who must show what is enforced and who decided it.

use std::io::{self, Write};

use preclear::{EffectivePolicy, Policy};
use serde_json::json;

use crate::args::{Format, PolicyArgs};
use crate::{error, EXIT_ERROR};

pub fn policy(args: &PolicyArgs) -> u8 {
    let config = match crate::config::discover(args.config.no_config) {
        Ok(c) => c,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let used = config.as_ref();
    let policy = match crate::configured_policy(&args.pack, used) {
        Ok(p) => p,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let effective = match policy.effective() {
        Ok(e) => e,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let mut out = io::stdout().lock();
    let written = match args.format {
        Format::Json => {
            let mut v = to_json(&policy, &effective);
            v["config"] = used.map(|c| c.path.display().to_string()).into();
            writeln!(out, "{v}")
        }
        Format::Human => {
            let shown = used.map_or_else(
                || "none".to_string(),
                |c| c.path.display().to_string(),
            );
            writeln!(out, "config       {shown}")
                .and_then(|()| human(&mut out, &policy, &effective))
        }
    };
    match written {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            error(format_args!("cannot write output: {e}"));
            EXIT_ERROR
        }
        _ => 0,
    }
}

fn human(
    out: &mut impl Write,
    policy: &Policy,
    e: &EffectivePolicy,
) -> io::Result<()> {
    writeln!(out, "policy       {}", policy.pack_labels().join(" > "))?;
    writeln!(out, "fingerprint  {}", policy.fingerprint())?;
    let t = e.thresholds;
    write!(out, "thresholds   warn {}, block {}", t.warn, t.block)?;
    match &e.thresholds_from {
        Some(p) => write!(out, " (set by {p}")?,
        None => write!(out, " (defaults")?,
    }
    match &e.thresholds_locked_by {
        Some(p) => writeln!(out, "; locked by {p})")?,
        None => writeln!(out, ")")?,
    }
    writeln!(out)?;
    for r in &e.rules {
        let rule = &r.rule;
        writeln!(
            out,
            "{}{}  {}  {}  {} {}{}",
            rule.id,
            if r.enabled { "" } else { " (disabled)" },
            rule.kind.as_str(),
            if rule.category.is_empty() { "-" } else { &rule.category },
            rule.action,
            rule.score,
            r.locked_by
                .as_ref()
                .map_or(String::new(), |p| format!("  locked by {p}")),
        )?;
        writeln!(out, "    defined by {}", r.pack)?;
        for c in &r.changes {
            writeln!(out, "    {}: {}", c.pack, c.what)?;
        }
        if rule.active_from.is_some() || rule.active_until.is_some() {
            writeln!(
                out,
                "    active {} to {}",
                rule.active_from.map_or("-".into(), |d| d.to_string()),
                rule.active_until.map_or("-".into(), |d| d.to_string())
            )?;
        }
    }
    if !e.exceptions.is_empty() {
        writeln!(out, "\nexceptions")?;
        for (pack, ex) in &e.exceptions {
            let scope: Vec<&str> = ex
                .rules
                .iter()
                .chain(&ex.categories)
                .map(String::as_str)
                .collect();
            writeln!(
                out,
                "  {} ({}): {} terms, {} patterns{}",
                if scope.is_empty() {
                    "all rules".into()
                } else {
                    scope.join(", ")
                },
                pack,
                ex.terms.len(),
                ex.patterns.len(),
                if ex.reason.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", ex.reason)
                }
            )?;
        }
    }
    Ok(())
}

fn to_json(policy: &Policy, e: &EffectivePolicy) -> serde_json::Value {
    json!({
        "packs": policy.pack_labels(),
        "fingerprint": policy.fingerprint(),
        "thresholds": {
            "warn": e.thresholds.warn,
            "block": e.thresholds.block,
            "set_by": e.thresholds_from,
            "locked_by": e.thresholds_locked_by,
        },
        "rules": e.rules.iter().map(|r| json!({
            "id": r.rule.id,
            "kind": r.rule.kind.as_str(),
            "category": r.rule.category,
            "action": r.rule.action.as_str(),
            "score": r.rule.score,
            "enabled": r.enabled,
            "pack": r.pack,
            "decided_by": r.decided_by,
            "locked_by": r.locked_by,
            "active_from": r.rule.active_from.map(|d| d.to_string()),
            "active_until": r.rule.active_until.map(|d| d.to_string()),
            "changes": r.changes.iter().map(|c| json!({
                "pack": c.pack, "change": c.what,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "exceptions": e.exceptions.iter().map(|(pack, ex)| json!({
            "pack": pack,
            "rules": ex.rules,
            "categories": ex.categories,
            "terms": ex.terms,
            "patterns": ex.patterns,
            "reason": ex.reason,
        })).collect::<Vec<_>>(),
    })
}
