//! `preclear policy`: the effective policy after layering, for the
//! compliance officer who must show what is enforced and who decided it.

use std::io::{self, Write};

use preclear::{EffectivePolicy, EffectiveRule, Policy, RuleKind, Scope};
use serde_json::{json, Value};

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
        for part in parts(r) {
            writeln!(out, "{}", part.human())?;
        }
    }
    concepts(out, policy)?;
    if !e.exceptions.is_empty() {
        writeln!(out, "\nexceptions")?;
        let unreached = e.unreached();
        for (i, (pack, ex)) in e.exceptions.iter().enumerate() {
            let scope: Vec<&str> = ex
                .rules
                .iter()
                .chain(&ex.categories)
                .map(String::as_str)
                .collect();
            writeln!(
                out,
                "  {} ({}): {} terms, {} patterns{}{}",
                if scope.is_empty() {
                    "all rules".into()
                } else {
                    scope.join(", ")
                },
                pack,
                ex.terms.len(),
                ex.patterns.len(),
                if ex.concepts.is_empty() {
                    String::new()
                } else {
                    format!(", concepts {}", ex.concepts.join(", "))
                },
                if ex.reason.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", ex.reason)
                }
            )?;
            for (_, rule, locker) in unreached.iter().filter(|u| u.0 == i) {
                writeln!(
                    out,
                    "    does not reach {rule} (locked by {locker})"
                )?;
            }
        }
    }
    Ok(())
}

/// The concepts near rules combine, one line each, with what later packs
/// added: `certainty (financial-institution): 24 terms (en forms):
/// guaranteed, …; entities percent`.
fn concepts(out: &mut impl Write, policy: &Policy) -> io::Result<()> {
    let all: Vec<_> = policy
        .packs()
        .iter()
        .flat_map(|p| p.concepts().iter().map(move |c| (p.name(), c)))
        .collect();
    if all.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nconcepts")?;
    for (pack, c) in all {
        let verb = if c.adds { "adds to" } else { "defines" };
        write!(out, "  {}  {pack} {verb}", c.name)?;
        if !c.terms.is_empty() {
            let shown: Vec<&str> =
                c.terms.iter().take(6).map(String::as_str).collect();
            let more = c.terms.len().saturating_sub(6);
            write!(out, ": {} terms", c.terms.len())?;
            if !c.inflect.is_empty() {
                let langs: Vec<&str> =
                    c.inflect.iter().map(|l| l.as_str()).collect();
                write!(out, " ({} forms)", langs.join("/"))?;
            }
            write!(out, " {}", shown.join(", "))?;
            if more > 0 {
                write!(out, " … and {more} more")?;
            }
        }
        if !c.entities.is_empty() {
            write!(out, "; entities {}", c.entities.join(", "))?;
        }
        if !c.patterns.is_empty() {
            write!(out, "; {} patterns", c.patterns.len())?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn concepts_json(policy: &Policy) -> Value {
    let all = policy.packs().iter().flat_map(|p| {
        p.concepts().iter().map(move |c| {
            json!({
                "name": c.name, "pack": p.name(), "adds": c.adds,
                "terms": c.terms, "entities": c.entities,
                "patterns": c.patterns,
                "inflect": c.inflect.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
                // What is matched: each term and its inflected forms.
                "forms": c.forms(),
            })
        })
    });
    Value::Array(all.collect())
}

fn to_json(policy: &Policy, e: &EffectivePolicy) -> serde_json::Value {
    let unreached = e.unreached();
    json!({
        "concepts": concepts_json(policy),
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
            "masked": r.rule.mask,
            "message": r.rule.message,
            "suggestion": r.rule.suggest.as_ref().map(|s| json!({
                "kind": s.kind(), "text": s.text(), "set_by": r.set_by("suggest"),
            })),
            "matches": parts(r).iter().map(|p| json!({
                "part": p.name, "pack": p.pack, "value": p.value,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "exceptions": e.exceptions.iter().enumerate().map(|(i, (pack, ex))| json!({
            "pack": pack,
            "unreached": unreached.iter().filter(|u| u.0 == i).map(|u| json!({
                "rule": u.1, "locked_by": u.2,
            })).collect::<Vec<_>>(),
            "rules": ex.rules,
            "categories": ex.categories,
            "terms": ex.terms,
            "patterns": ex.patterns,
            "concepts": ex.concepts,
            "reason": ex.reason,
        })).collect::<Vec<_>>(),
    })
}

/// One part of what a rule matches (its terms, pattern, context…), with
/// the pack that set it.
struct Part<'a> {
    name: &'static str,
    pack: &'a str,
    value: Value,
}

/// What `r` matches and what shapes its hits, part by part. Terms of a
/// masked rule are shown: they are the pattern, not anyone's data.
fn parts(r: &EffectiveRule) -> Vec<Part<'_>> {
    let rule = &r.rule;
    let mut parts = Vec::new();
    let mut push = |name, pack, value| parts.push(Part { name, pack, value });
    match &rule.kind {
        RuleKind::Terms(terms) => list(r, "terms", terms, &mut push),
        RuleKind::Pattern { pattern, validator } => {
            push("pattern", &r.pack, json!(pattern));
            if let Some(v) = validator {
                push("validator", &r.pack, json!(v));
            }
        }
        RuleKind::Required { trigger, require, within } => {
            push(
                "trigger",
                &r.pack,
                json!({"terms": trigger.terms, "patterns": trigger.patterns}),
            );
            push(
                "require",
                &r.pack,
                json!({"terms": require.terms, "patterns": require.patterns,
                       "within": within}),
            );
        }
        RuleKind::Link { allow, deny, protect } => {
            list(r, "allow", allow, &mut push);
            list(r, "deny", deny, &mut push);
            if !protect.is_empty() {
                push("protect", &r.pack, json!(protect));
            }
        }
        RuleKind::Near { concepts, within, scope, ordered } => {
            push(
                "near",
                &r.pack,
                json!({"concepts": concepts, "within": within,
                       "scope": scope.name(), "ordered": ordered}),
            );
        }
        RuleKind::Score(w) => {
            // (feature, its weight, how heavily it counts): a gram counts
            // by its weight times its idf, a phrase by its weight.
            let grams = w.grams.iter().map(|(g, v, idf)| {
                (g, *v, i64::from(v.abs()) * i64::from(*idf))
            });
            let phrases =
                w.terms.iter().map(|(t, v)| (t, *v, i64::from(v.abs())));
            let (kind, n, mut features): (&str, usize, Vec<_>) =
                match w.grams.is_empty() {
                    true => ("phrases", w.terms.len(), phrases.collect()),
                    false => ("grams", w.grams.len(), grams.collect()),
                };
            features
                .sort_by_key(|&(f, _, heavy)| (std::cmp::Reverse(heavy), f));
            let heaviest: Vec<Value> = features
                .into_iter()
                .take(8)
                .map(|(f, v, _)| json!([f, f64::from(v) / 1000.0]))
                .collect();
            push(
                "score",
                &r.pack,
                json!({kind: n,
                       "bias": f64::from(w.bias) / 1000.0,
                       "threshold": f64::from(w.threshold) / 1000.0,
                       format!("first_{kind}"): heaviest}),
            );
        }
        _ => {}
    }
    if !rule.context.is_empty() {
        let context: Vec<Value> = rule
            .context
            .iter()
            .map(|c| {
                json!({"words": c.words, "window": scope(c.window),
                       "score": c.score, "required": c.required})
            })
            .collect();
        push("context", r.set_by("context"), json!(context));
    }
    if let Some(u) = &rule.unless {
        push(
            "unless",
            r.set_by("unless"),
            json!({"words": u.words, "concepts": u.concepts,
                   "window": scope(u.window)}),
        );
    }
    for (name, default, value) in [
        ("whole_word", true, rule.whole_word),
        ("evasion", true, rule.evasion),
        ("mask", false, rule.mask),
    ] {
        if value != default {
            push(name, &r.pack, json!(value));
        }
    }
    if let Some(s) = &rule.suggest {
        push(
            "suggest",
            r.set_by("suggest"),
            json!({"kind": s.kind(), "text": s.text()}),
        );
    }
    parts
}

/// A list part of `r` (`terms`, `allow`, `deny`) as its own pack set it,
/// then what each later pack added to it.
fn list<'r>(
    r: &'r EffectiveRule,
    name: &'static str,
    all: &'r [String],
    push: &mut impl FnMut(&'static str, &'r str, Value),
) {
    let added: Vec<(&str, &[String])> = r
        .added()
        .filter(|(_, part, _)| *part == name)
        .map(|(pack, _, entries)| (pack, entries))
        .collect();
    let own: Vec<&String> = all
        .iter()
        .filter(|t| !added.iter().any(|(_, e)| e.contains(t)))
        .collect();
    if !own.is_empty() {
        push(name, r.set_by(name), json!(own));
    }
    for (pack, entries) in added {
        push(added_name(name), pack, json!(entries));
    }
}

fn added_name(part: &str) -> &'static str {
    match part {
        "terms" => "terms added",
        "allow" => "allow added",
        _ => "deny added",
    }
}

impl Part<'_> {
    /// `    terms (pack): "a", "b"`, wrapped.
    fn human(&self) -> String {
        let head = format!("    {} ({}): ", self.name, self.pack);
        let v = &self.value;
        let body = match self.name {
            "pattern" | "validator" => {
                return format!("{head}{}", v.as_str().unwrap_or(""));
            }
            "trigger" | "require" => {
                let mut s = words(&v["terms"]);
                if let Some(n) = v["within"].as_u64() {
                    s = format!("in the first {n} characters: {s}");
                }
                // Patterns on lines of their own: they are never wrapped.
                let patterns = v["patterns"].as_array().into_iter().flatten();
                let lines: String = patterns
                    .filter_map(Value::as_str)
                    .map(|p| format!("\n        pattern {p}"))
                    .collect();
                return format!("{}{lines}", wrap(&head, &s));
            }
            "context" => v
                .as_array()
                .map(|cs| {
                    cs.iter().map(context).collect::<Vec<_>>().join("; ")
                })
                .unwrap_or_default(),
            "unless" => {
                let mut parts = vec![words(&v["words"])];
                let concepts = words(&v["concepts"]);
                if !concepts.is_empty() {
                    parts.push(format!("the terms of {concepts}"));
                }
                parts.retain(|p| !p.is_empty());
                format!("{}: {}", within(&v["window"]), parts.join("; "))
            }
            "score" => {
                // A gram rule lists grams, a word rule phrases.
                let grams = v.get("grams").is_some();
                let key = if grams { "first_grams" } else { "first_phrases" };
                let first = v[key].as_array().into_iter().flatten();
                let first: Vec<String> = first
                    .map(|p| {
                        format!(
                            "\"{}\" {:+}",
                            p[0].as_str().unwrap_or(""),
                            p[1]
                        )
                    })
                    .collect();
                let what = if grams {
                    format!(
                        "a learnt model over {} character grams (3 and 4 \
                         letters of each word, padded with a space)",
                        v["grams"]
                    )
                } else {
                    format!("{} phrases", v["phrases"])
                };
                format!(
                    "{what}, bias {}, fires at {}; heaviest {}",
                    v["bias"],
                    v["threshold"],
                    first.join(", ")
                )
            }
            "whole_word" | "evasion" => "off".into(),
            "mask" => "yes: excerpts and logs hide the match".into(),
            "suggest" => format!(
                "{}: {}",
                v["kind"].as_str().unwrap_or(""),
                v["text"].as_str().unwrap_or("")
            ),
            _ => words(v),
        };
        wrap(&head, &body)
    }
}

/// `within 4 words, +20, required: "ssn", "tax id"`.
fn context(c: &Value) -> String {
    let mut s = within(&c["window"]);
    match c["score"].as_i64() {
        Some(0) | None => {}
        Some(n) => s.push_str(&format!(", {n:+}")),
    }
    if c["required"].as_bool() == Some(true) {
        s.push_str(", required");
    }
    format!("{s}: {}", words(&c["words"]))
}

/// A window in JSON as a pack writes it: a number of words or a name.
fn scope(s: Scope) -> Value {
    match s.name() {
        Some(name) => json!(name),
        None => json!(match s {
            Scope::Words(n) => n,
            _ => 0,
        }),
    }
}

/// `within 1 word`, `within 4 words`, `in the same sentence`.
fn within(window: &Value) -> String {
    let s = match (window.as_u64(), window.as_str()) {
        (Some(n), _) => Scope::Words(u32::try_from(n).unwrap_or(u32::MAX)),
        (None, Some(name)) => Scope::from_name(name).unwrap_or_default(),
        _ => Scope::Sentence,
    };
    s.to_string()
}

/// A list of strings, quoted and comma-separated.
fn words(v: &Value) -> String {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|w| format!("{w:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// `head` then `body`, broken between quoted words (never inside one,
/// nor inside a pattern) into lines of about 100 characters, continued
/// under the head's indent.
fn wrap(head: &str, body: &str) -> String {
    const WIDTH: usize = 100;
    let mut out = head.to_string();
    let mut col = head.chars().count();
    for (i, chunk) in body.split("\", ").enumerate() {
        // Each chunk but the last lost its `",` to the split.
        let len = chunk.chars().count();
        if i > 0 {
            out.push_str("\",");
            col += 2;
            if col + 1 + len > WIDTH {
                out.push_str("\n        ");
                col = 8;
            } else {
                out.push(' ');
                col += 1;
            }
        }
        out.push_str(chunk);
        col += len;
    }
    out
}
