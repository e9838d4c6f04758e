//! The synthetic pack of the `compile` bench: 10,000 made-up terms in 100
//! rules and 200 patterns. Its own file so that `examples/compile_packs.rs`
//! compiles the very pack the bench times (under callgrind, for
//! instruction counts).

use std::collections::HashSet;

use super::posts;

/// The synthetic pack: 100 terms rules of 100 terms, 200 pattern rules.
pub const SYN_TERM_RULES: usize = 100;
pub const SYN_TERMS_PER_RULE: usize = 100;
pub const SYN_PATTERNS: usize = 200;

/// Syllables of made-up words, so that no term is an English word.
const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "zu", "ter", "van", "qui", "dor", "shel", "bri", "nox",
    "fal", "ren", "tis", "gor", "pe", "lun", "vy", "xan", "ro", "sem", "tu",
    "bex", "dra", "wol", "fi", "gan", "hu", "jor", "kel",
];

pub struct Synthetic {
    pub toml: String,
    /// A post with two of its terms and two of its patterns.
    pub probe: String,
    pub want: Vec<(String, usize)>,
}

/// A TOML pack of 10,000 made-up terms (one to three words) in 100 rules
/// and 200 patterns of four shapes, each with its own prefix.
pub fn synthetic() -> Synthetic {
    let mut rng = posts::Rng(10_000);
    let word = |rng: &mut posts::Rng| {
        let mut w = String::new();
        for _ in 0..2 + rng.below(3) {
            w.push_str(SYLLABLES[rng.below(SYLLABLES.len())]);
        }
        w
    };
    // Unique on letters alone: preclear also matches terms run together.
    let mut seen = HashSet::new();
    let mut terms = Vec::new();
    while terms.len() < SYN_TERM_RULES * SYN_TERMS_PER_RULE {
        let n = 1 + rng.below(3);
        let t: Vec<String> = (0..n).map(|_| word(&mut rng)).collect();
        if seen.insert(t.concat()) {
            terms.push(t.join(" "));
        }
    }
    let mut toml = String::from(
        "[pack]\nname = \"synthetic\"\nversion = \"1.0.0\"\n\n\
         [thresholds]\nwarn = 30\nblock = 100\n",
    );
    for (r, chunk) in terms.chunks(SYN_TERMS_PER_RULE).enumerate() {
        let list: Vec<String> =
            chunk.iter().map(|t| format!("\"{t}\"")).collect();
        toml.push_str(&format!(
            "\n[[rules]]\nid = \"syn.terms-{r:03}\"\nkind = \"terms\"\n\
             terms = [{}]\ncategory = \"synthetic\"\nscore = 10\n\
             action = \"warn\"\nmessage = \"A synthetic term.\"\n",
            list.join(", ")
        ));
    }
    // Prefixes zqaa, zqab, …: nothing in ordinary text starts so.
    let prefix = |i: usize| {
        let a = char::from(b'a' + (i / 26) as u8);
        let b = char::from(b'a' + (i % 26) as u8);
        format!("zq{a}{b}")
    };
    for i in 0..SYN_PATTERNS {
        let p = prefix(i);
        let pattern = match i % 4 {
            0 => format!(r"\b{p}-\d{{6}}\b"),
            1 => format!(r"\b{p}_[a-z0-9]{{20,40}}\b"),
            2 => format!(r"\b{p}(?:[ -]?\d{{3}}){{3}}\b"),
            _ => format!(r"\b(?:{p}|x{p})#\d{{4,8}}\b"),
        };
        toml.push_str(&format!(
            "\n[[rules]]\nid = \"syn.pattern-{i:03}\"\nkind = \"pattern\"\n\
             pattern = '{pattern}'\ncategory = \"synthetic\"\nscore = 10\n\
             action = \"warn\"\nmessage = \"A synthetic pattern.\"\n"
        ));
    }
    // Probe terms: three-word terms none of whose shorter runs of words is
    // a term too, so each fires exactly its own rule.
    let all: HashSet<&str> = terms.iter().map(String::as_str).collect();
    let alone = |t: &str| {
        let w: Vec<&str> = t.split(' ').collect();
        w.len() == 3
            && [&w[..1], &w[1..2], &w[2..], &w[..2], &w[1..]]
                .iter()
                .all(|s| !all.contains(s.join(" ").as_str()))
    };
    let a = (0..terms.len() / 2).find(|&i| alone(&terms[i])).unwrap();
    let b =
        (terms.len() / 2..terms.len()).find(|&i| alone(&terms[i])).unwrap();
    let probe = format!(
        "Status update: {} and {} are done, see ticket {}-123456 and key \
         {}_abcdef0123456789abcdef.",
        terms[a],
        terms[b],
        prefix(8),
        prefix(13)
    );
    let rule = |i: usize| format!("syn.terms-{:03}", i / SYN_TERMS_PER_RULE);
    let want = vec![
        (rule(a), 1),
        (rule(b), 1),
        ("syn.pattern-008".to_string(), 1),
        ("syn.pattern-013".to_string(), 1),
    ];
    Synthetic { toml, probe, want }
}
