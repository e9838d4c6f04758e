//! "Did you mean …?": the closest known name to a misspelt one, for keys,
//! values, validators and the rule ids and categories that overrides and
//! exceptions name.

/// The candidate closest to `word` by edit distance (a swap of two
/// neighbouring letters counts once), if one is close enough to be a typo:
/// at most a third of the word's letters off, and at least one right.
/// Ties go to the earliest candidate, so the answer is stable.
pub(crate) fn closest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    // Edit distance costs the product of the lengths; keys and rule ids a
    // person mistypes are short, and a hostile pack's are not.
    const LONGEST: usize = 64;
    if word.len() > LONGEST {
        return None;
    }
    let lower = word.to_lowercase();
    let limit = (lower.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != word && c.len() <= LONGEST)
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|&(d, c)| d <= limit && d < c.chars().count())
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// ` (did you mean `x`?)` when a candidate is close to `word`, else "".
pub(crate) fn did_you_mean<'a, I>(word: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    closest(word, candidates)
        .map_or_else(String::new, |c| format!(" (did you mean `{c}`?)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_word_and_strangers_find_none() {
        let keys = ["score", "action", "mask", "message", "terms", "unless"];
        let cases: &[(&str, Option<&str>)] = &[
            ("scroe", Some("score")),
            ("mak", Some("mask")),
            ("Mask", Some("mask")),
            ("masks", Some("mask")),
            ("acton", Some("action")),
            ("term", Some("terms")),
            ("mesage", Some("message")),
            ("owner", None),
            ("x", None),
            ("", None),
            ("completely-unrelated", None),
        ];
        for (word, want) in cases {
            assert_eq!(closest(word, keys), *want, "{word}");
        }
        assert_eq!(
            did_you_mean("pii.paymnet-card", ["pii.payment-card", "pii.iban"]),
            " (did you mean `pii.payment-card`?)"
        );
        assert_eq!(did_you_mean("owner", keys), "");
    }

    #[test]
    fn long_words_are_not_compared() {
        // A near-copy of a long id: close, but past the length worth the
        // quadratic comparison, so no suggestion rather than a long wait.
        let long = "a".repeat(65);
        let near = format!("{}b", "a".repeat(64));
        assert_eq!(closest(&near, [long.as_str()]), None);
        assert_eq!(closest(&long, ["a"]), None);
        let short = "a".repeat(63);
        let typo = format!("{}b", "a".repeat(62));
        assert_eq!(closest(&typo, [short.as_str()]), Some(short.as_str()));
    }
}
