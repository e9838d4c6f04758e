//! serde's messages about a pack, in the words of the person who wrote it:
//! "did you mean `score`?" rather than every key of a rule, "expected a
//! whole number" rather than `u32`, "a list" rather than "a sequence".

use super::near::did_you_mean;

/// How many expected keys or values are still worth listing when none is
/// close to what was written.
const LIST_AT_MOST: usize = 7;

/// The keys of a rule (`RawRule`'s fields), for "an override cannot
/// change `pattern`". A test checks it against serde's own list.
pub(super) const RULE_KEYS: &[&str] = &[
    "id",
    "kind",
    "terms",
    "pattern",
    "validator",
    "category",
    "score",
    "action",
    "message",
    "suggest",
    "enabled",
    "locked",
    "mask",
    "whole_word",
    "evasion",
    "context",
    "unless",
    "active_from",
    "active_until",
    "trigger",
    "require",
    "allow",
    "deny",
    "protect",
    "negated",
    "quoted",
    "reported",
    "near",
    "within",
    "scope",
    "ordered",
    "inflect",
    "weights",
    "grams",
    "bias",
    "threshold",
];

/// `message` (from serde, through toml) in plain words. `table` is the
/// header of the TOML table the error is in (`rules`, `overrides`, …), if
/// known.
pub(super) fn plain(message: &str, table: Option<&str>) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return unknown("key", rest, table);
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return unknown("value", rest, None);
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("missing key {rest}");
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            if let Some((found, expected)) = rest.rsplit_once(", expected ") {
                return format!(
                    "expected {}, found {}",
                    expectation(expected),
                    found_value(found)
                );
            }
        }
    }
    message.to_string()
}

/// "unknown field `scroe`, expected one of `score`, …" → "unknown key
/// `scroe` (did you mean `score`?)".
fn unknown(what: &str, rest: &str, table: Option<&str>) -> String {
    let quoted = backticked(rest);
    let Some((word, expected)) = quoted.split_first() else {
        return format!("unknown {what} {rest}");
    };
    // Only for the override's own keys, not those of a table inside it.
    let override_keys =
        table == Some("overrides") && expected.contains(&"rule");
    if override_keys && RULE_KEYS.contains(word) {
        return format!(
            "an override cannot change `{word}`: only the pack that \
             defines a rule sets it"
        );
    }
    let hint = did_you_mean(word, expected.iter().copied());
    if !hint.is_empty() {
        return format!("unknown {what} `{word}`{hint}");
    }
    match expected.len() {
        0 => format!("unknown {what} `{word}`: this table takes no keys"),
        n if n <= LIST_AT_MOST => {
            format!("unknown {what} `{word}` (expected {})", one_of(expected))
        }
        _ => format!(
            "unknown {what} `{word}`: {} has no such key",
            table_name(table)
        ),
    }
}

/// The words between backticks, in order.
fn backticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// "`a`", "`a` or `b`", "one of `a`, `b`, `c`".
fn one_of(words: &[&str]) -> String {
    let q: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match q.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        _ => format!("one of {}", q.join(", ")),
    }
}

fn table_name(table: Option<&str>) -> &'static str {
    match table {
        Some("rules") => "a rule",
        Some("overrides") => "an override",
        Some("exceptions") => "an exception",
        Some("examples") => "an example",
        Some("pack") => "`[pack]`",
        Some("thresholds") => "`[thresholds]`",
        _ => "this table",
    }
}

/// serde's name of an expected type, in plain words.
fn expectation(expected: &str) -> String {
    let whole =
        |lo: i128, hi: i128| format!("a whole number from {lo} to {hi}");
    match expected {
        "u8" => whole(0, u8::MAX.into()),
        "u16" => whole(0, u16::MAX.into()),
        "u32" => whole(0, u32::MAX.into()),
        "u64" | "usize" => whole(0, u64::MAX.into()),
        "i8" => whole(i8::MIN.into(), i8::MAX.into()),
        "i16" => whole(i16::MIN.into(), i16::MAX.into()),
        "i32" => whole(i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => whole(i64::MIN.into(), i64::MAX.into()),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list (`[…]`)".into(),
        "a map" => "a table".into(),
        e if e.starts_with("struct ") => "a table (`{ … }`)".into(),
        e => e.into(),
    }
}

/// serde's description of the value found, in plain words.
fn found_value(found: &str) -> String {
    let inner = |s: &str| s.trim_matches('`').to_string();
    if let Some(s) = found.strip_prefix("string ") {
        return format!("the string {s}");
    }
    for prefix in ["integer ", "floating point ", "boolean "] {
        if let Some(v) = found.strip_prefix(prefix) {
            return inner(v);
        }
    }
    match found {
        "sequence" => "a list".into(),
        "map" => "a table".into(),
        f => f.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_become_plain_words() {
        let cases: &[(&str, Option<&str>, &str)] = &[
            (
                "invalid type: string \"100\", expected u32",
                Some("rules"),
                "expected a whole number from 0 to 4294967295, found the \
                 string \"100\"",
            ),
            (
                "invalid value: integer `-5`, expected u32",
                None,
                "expected a whole number from 0 to 4294967295, found -5",
            ),
            (
                "invalid type: floating point `1.5`, expected i32",
                None,
                "expected a whole number from -2147483648 to 2147483647, \
                 found 1.5",
            ),
            (
                "invalid type: string \"yes\", expected a boolean",
                None,
                "expected true or false, found the string \"yes\"",
            ),
            (
                "invalid type: string \"x\", expected a sequence",
                None,
                "expected a list (`[…]`), found the string \"x\"",
            ),
            (
                "invalid type: integer `5`, expected struct Unless",
                None,
                "expected a table (`{ … }`), found 5",
            ),
            (
                "invalid type: map, expected a string",
                None,
                "expected a string, found a table",
            ),
            (
                "unknown field `scroe`, expected one of `id`, `kind`, \
                 `terms`, `pattern`, `validator`, `category`, `score`",
                Some("rules"),
                "unknown key `scroe` (did you mean `score`?)",
            ),
            (
                "unknown field `frobnicate`, expected one of `id`, `kind`, \
                 `terms`, `pattern`, `validator`, `category`, `score`, `action`",
                Some("rules"),
                "unknown key `frobnicate`: a rule has no such key",
            ),
            (
                "unknown field `owner`, expected one of `pack`, \
                 `thresholds`, `rules`",
                None,
                "unknown key `owner` (expected one of `pack`, `thresholds`, \
                 `rules`)",
            ),
            (
                "unknown field `pattern`, expected one of `rule`, \
                 `category`, `enabled`",
                Some("overrides"),
                "an override cannot change `pattern`: only the pack that \
                 defines a rule sets it",
            ),
            (
                "unknown variant `blok`, expected one of `allow`, `warn`, \
                 `block`",
                None,
                "unknown value `blok` (did you mean `block`?)",
            ),
            ("missing field `name`", None, "missing key `name`"),
            ("invalid basic string", None, "invalid basic string"),
        ];
        for (message, table, want) in cases {
            assert_eq!(plain(message, *table), *want, "{message}");
        }
    }
}
