//! Built-in entities a concept can include (`entities = ["percent"]` in a
//! pack): percentages, money amounts, dates and relative times, tickers,
//! links, e-mail addresses, phone numbers, street addresses, wallet
//! recovery phrases, people's full names and password-shaped words.
//!
//! Each recognizer is a hand-written scan of the normalised post (lower
//! case, ASCII punctuation and digits, accents removed), not a regex: they
//! run only on posts where a proximity rule could fire, and only for the
//! entities the policy uses, so they must cost little and allocate nothing.
//! Links are the link scanner's (`crate::link`), found by the screener.

use std::ops::Range;

use self::dates::dates;
pub(crate) use self::password::passwords;
use self::person::is_given_name;
pub(crate) use self::person::{given_names_in, people};
use self::phone_plan::is_service_number;
use self::seed_words::seed_phrases;
use self::streets::{
    STREET_AFTER, STREET_BEFORE, STREET_PARTICLES, STREET_SUFFIX,
};

mod dates;
mod password;
mod person;
mod phone_plan;
mod seed_words;
mod streets;

/// A built-in entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Entity {
    /// `6%`, `6 %`, `6 percent`, `6 Prozent`, `6 por ciento`.
    Percent,
    /// `€5,000`, `$1.2m`, `5.000 EUR`, `300 dollars`.
    Money,
    /// `12 June`, `2026-06-12`, `Q3`, `tomorrow`, `next week`, `by
    /// Friday`, `mañana`, `nächste Woche`.
    Date,
    /// `$ABCD`.
    Ticker,
    /// A link, as the link scanner finds them.
    Url,
    /// `name@host.tld`.
    Email,
    /// `lucia.ferrer84@…`, `dana.whit88@…`: an e-mail address whose local
    /// part is a listed given name, perhaps more letters, and two to four
    /// digits — how people pick a private address (a shop owner and a
    /// numbered work address look the same: the rule reading it says
    /// which posts those are).
    NamedEmail,
    /// `+44 20 7946 0958`, `(555) 123-4567`.
    Phone,
    /// `221B Baker Street`, `Calle Mayor 5`, `Hauptstraße 12`.
    Address,
    /// Twelve to 24 words of a BIP-39 list in a row: a wallet's recovery
    /// phrase.
    SeedPhrase,
    /// `Greta Lindqvist`, `Lucía Ferrer`: a listed given name and a
    /// surname, both capitalised as written.
    Person,
    /// `Kyle`, `Lucía`: a listed given name, capitalised as written, alone
    /// or before a surname.
    GivenName,
    /// `Titr4tion!2026`: letters, a digit and a symbol in one word, both
    /// cases as written.
    Password,
}

/// Every entity with its name in a pack.
pub(crate) const ENTITIES: [(&str, Entity); 13] = [
    ("percent", Entity::Percent),
    ("money", Entity::Money),
    ("date", Entity::Date),
    ("ticker", Entity::Ticker),
    ("url", Entity::Url),
    ("email", Entity::Email),
    ("named_email", Entity::NamedEmail),
    ("phone", Entity::Phone),
    ("address", Entity::Address),
    ("seed_phrase", Entity::SeedPhrase),
    ("person", Entity::Person),
    ("given_name", Entity::GivenName),
    ("password", Entity::Password),
];

impl Entity {
    /// The entity a pack names `name`, if any.
    pub(crate) fn by_name(name: &str) -> Option<Entity> {
        ENTITIES.iter().find(|(n, _)| *n == name).map(|&(_, e)| e)
    }

    /// Its bit in a set of entities.
    pub(crate) fn bit(self) -> u16 {
        1 << (self as u16)
    }

    /// Every occurrence in the normalised `text`, to `out` (links, and
    /// names and passwords, which need the post as written, are found by
    /// the screener with [`people`] and [`passwords`], not here).
    pub(crate) fn find(self, text: &str, out: &mut impl FnMut(Range<usize>)) {
        match self {
            Entity::Percent => numbers(text, |n| percent(text, n), out),
            Entity::Money => money(text, out),
            Entity::Date => dates(text, out),
            Entity::Ticker => tickers(text, out),
            Entity::Url
            | Entity::Person
            | Entity::GivenName
            | Entity::Password => {}
            Entity::Email => emails(text, out),
            Entity::NamedEmail => emails(text, &mut |r: Range<usize>| {
                // Not a link's user (`https://maria1990@host/…`) nor the
                // user of a fediverse handle (`@jonas.beat88@host`).
                let before = &text[..r.start];
                let handle = before.ends_with("//") || before.ends_with('@');
                if !handle && named_local(&text[r.clone()]) {
                    out(r)
                }
            }),
            Entity::Phone => phones(text, out),
            Entity::Address => addresses(text, out),
            Entity::SeedPhrase => seed_phrases(text, out),
        }
    }
}

fn is_word_byte(b: u8) -> bool {
    // One load rather than three comparisons: the finders walk every
    // word of a post.
    const WORD: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 256 {
            t[b] = (b as u8).is_ascii_alphanumeric() || b >= 0x80;
            b += 1;
        }
        t
    };
    WORD[b as usize]
}

/// The next word (a run of letters and digits, non-ASCII letters
/// included) at or after byte `from`.
fn next_word(text: &str, from: usize) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let mut i = from;
    while i < b.len() && !is_word_byte(b[i]) {
        i += 1;
    }
    if i >= b.len() {
        return None;
    }
    let start = i;
    while i < b.len() && is_word_byte(b[i]) {
        i += 1;
    }
    Some(start..i)
}

/// The word that follows `at` with only spaces between.
fn word_after_space(text: &str, at: usize) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let mut i = at;
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    if i == at && i < b.len() && !is_word_byte(b[i]) {
        return None;
    }
    next_word(text, i).filter(|w| w.start == i)
}

/// Each number (`12`, `1,200.50`, `6.5`, `-3`) not glued to letters before
/// it; `check` says whether and where an entity ends after it.
fn numbers(
    text: &str,
    check: impl Fn(Range<usize>) -> Option<usize>,
    out: &mut impl FnMut(Range<usize>),
) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && is_word_byte(b[i - 1])) {
            i += 1;
            continue;
        }
        let n = number_at(b, i);
        let start =
            if i > 0 && matches!(b[i - 1], b'+' | b'-') { i - 1 } else { i };
        if let Some(end) = check(i..n) {
            out(start..end);
            i = end.max(n);
        } else {
            i = n;
        }
    }
}

/// The end of the number starting at `i`: digits, with single `.` `,` or
/// `'` between digit groups.
fn number_at(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        let separator = matches!(b[i], b'.' | b',' | b'\'')
            && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        if b[i].is_ascii_digit() || separator {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// Whether `text[at..]` starts with one of `words` (then its end), the
/// word ending there.
fn word_from(text: &str, at: usize, words: &[&str]) -> Option<usize> {
    let rest = text.get(at..)?;
    words.iter().find_map(|w| {
        let end = at + w.len();
        (rest.starts_with(w)
            && !text.as_bytes().get(end).copied().is_some_and(is_word_byte))
        .then_some(end)
    })
}

/// After the number at `n`: a per-cent sign or word, then the end.
fn percent(text: &str, n: Range<usize>) -> Option<usize> {
    const WORDS: &[&str] = &[
        "percent",
        "per cent",
        "pct",
        "prozent",
        "por ciento",
        "porciento",
        "pc",
    ];
    let b = text.as_bytes();
    let mut at = n.end;
    if b.get(at) == Some(&b' ') {
        at += 1;
    }
    if b.get(at) == Some(&b'%') {
        return Some(at + 1);
    }
    word_from(text, at, WORDS)
}

const CURRENCY_SIGNS: &[&str] = &["$", "\u{20ac}", "\u{a3}", "\u{a5}"];
/// Currency codes, names and signs after a number, and the everyday
/// words for money that follow a number as nothing else ("200 quid",
/// "600 Tacken", "50 Euronen"). Not "grand", "Riesen", "Mäuse",
/// "Kröten", "pavos" or "lucas": after a number they are as often
/// pianos, Grand Slams, giants, mice, toads, turkeys or a name.
const CURRENCY_WORDS: &[&str] = &[
    "eur", "euro", "euros", "usd", "gbp", "chf", "dollars", "dollar",
    "dolares", "pounds", "bucks", "\u{20ac}", "$", "\u{a3}", "quid", "tacken",
    "euronen", "pesos",
];
const MAGNITUDES: &[&str] = &[
    "k",
    "m",
    "mn",
    "bn",
    "b",
    "million",
    "millions",
    "billion",
    "thousand",
    "mio",
    "mrd",
    "millones",
    "mil",
    "millionen",
    "milliarden",
];

/// `€5,000`, `$1.2m`, `5.000 EUR`, `€ 3 million`, `300 dollars`.
fn money(text: &str, out: &mut impl FnMut(Range<usize>)) {
    let b = text.as_bytes();
    // A sign before the number.
    for sign in CURRENCY_SIGNS {
        // memmem: `match_indices` costs five instructions a byte a sign.
        for at in memchr::memmem::find_iter(b, sign) {
            let mut i = at + sign.len();
            if b.get(i) == Some(&b' ') {
                i += 1;
            }
            if !b.get(i).is_some_and(u8::is_ascii_digit) {
                continue;
            }
            let n = number_at(b, i);
            let end = magnitude(text, n).unwrap_or(n);
            out(at..end);
        }
    }
    // A code or word after the number (with its magnitude between).
    numbers(
        text,
        |n| {
            let after = magnitude(text, n.end).unwrap_or(n.end);
            let at =
                if b.get(after) == Some(&b' ') { after + 1 } else { after };
            word_from(text, at, CURRENCY_WORDS)
        },
        out,
    );
}

/// The end of a magnitude word (`m`, `bn`, ` million`) right after `at`.
fn magnitude(text: &str, at: usize) -> Option<usize> {
    word_from(text, at, MAGNITUDES).or_else(|| {
        (text.as_bytes().get(at) == Some(&b' '))
            .then(|| word_from(text, at + 1, &MAGNITUDES[5..]))
            .flatten()
    })
}

/// `$` and one to five letters, alone: `$abcd`.
fn tickers(text: &str, out: &mut impl FnMut(Range<usize>)) {
    let b = text.as_bytes();
    for (at, _) in text.match_indices('$') {
        if at > 0 && is_word_byte(b[at - 1]) {
            continue;
        }
        let mut i = at + 1;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        let letters = i - at - 1;
        if (1..=5).contains(&letters)
            && !b.get(i).is_some_and(|&c| is_word_byte(c))
        {
            out(at..i);
        }
    }
}

/// `local@host.tld`.
fn emails(text: &str, out: &mut impl FnMut(Range<usize>)) {
    let b = text.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || b"._%+-".contains(&c);
    let host = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'.';
    let mut last_end = 0;
    for (at, _) in text.match_indices('@') {
        if at < last_end {
            continue;
        }
        let mut s = at;
        while s > last_end && local(b[s - 1]) {
            s -= 1;
        }
        let mut e = at + 1;
        while e < b.len() && host(b[e]) {
            e += 1;
        }
        // No trailing dot (a full stop), and a dot inside the host.
        while e > at + 1 && b[e - 1] == b'.' {
            e -= 1;
        }
        let domain = &text[at + 1..e];
        let tld_ok = domain.rsplit_once('.').is_some_and(|(h, t)| {
            !h.is_empty()
                && t.len() >= 2
                && t.bytes().all(|c| c.is_ascii_alphabetic())
        });
        // RFC 2606's documentation domains themselves (`user@example.com`)
        // are placeholders; hosts under them and the reserved `.example`
        // TLD stand in for real providers in test posts.
        let documentation = ["example.com", "example.org", "example.net"]
            .iter()
            .any(|d| domain.eq_ignore_ascii_case(d));
        if s < at && tld_ok && !documentation {
            out(s..e);
            last_end = e;
        }
    }
}

/// Whether an address's local part is a listed given name, up to two
/// more runs of letters (a surname, a word) and two to four digits at the
/// end ("lucia.ferrer84", "dana.whit88", "sabine.kessler1971"); not a
/// year of these decades, an event's or a campaign's ("maria2025@",
/// "london25@"), nor at a domain that holds one of its words, the
/// owner's own, nor a fediverse handle's server.
fn named_local(address: &str) -> bool {
    let (local, domain) = address.split_once('@').unwrap_or((address, ""));
    let digits = local.bytes().rev().take_while(u8::is_ascii_digit).count();
    let year = local[local.len() - digits..].parse::<u32>().ok();
    // An event's or a class's year, four digits or two after one word
    // ("maria2025@", "london25@", "abi25@"), and a fediverse server.
    let event = match digits {
        4 => year.is_some_and(|y| (2020..2040).contains(&y)),
        2 => {
            year.is_some_and(|y| (20..40).contains(&y))
                && !local.contains(['.', '_', '-'])
        }
        _ => false,
    };
    if event || domain.ends_with(".social") || domain.contains("mastodon") {
        return false;
    }
    let words =
        local[..local.len() - digits].trim_end_matches(['.', '_', '-']);
    let mut runs = words.split(['.', '_', '-']);
    // The owner's own domain ("maria.santos87@santos-music.com",
    // "luna25@salaluna.es") is a business's published address.
    let own = runs.clone().any(|r| r.len() >= 3 && domain.contains(r));
    let first = runs.next().unwrap_or("");
    !own && (2..=4).contains(&digits)
        && first.len() >= 3
        && first.bytes().all(|c| c.is_ascii_lowercase())
        && runs.clone().count() <= 2
        && runs.all(|r| {
            !r.is_empty() && r.bytes().all(|c| c.is_ascii_lowercase())
        })
        && is_given_name(first)
}

/// Runs of 9 to 15 digits in groups with single spaces, dashes, dots or
/// parentheses between, optionally after `+`: not a bare run of digits
/// shorter than 10 (an amount, an id) nor one glued to letters, a currency
/// or a per-cent sign, nor the 3-2-4 shape of a US social security
/// number (no phone plan groups its numbers so), nor a freephone or
/// premium-rate number (only organisations have one).
fn phones(text: &str, out: &mut impl FnMut(Range<usize>)) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let starts = c.is_ascii_digit()
            || (matches!(c, b'+' | b'(')
                && b.get(i + 1).is_some_and(u8::is_ascii_digit));
        let glued = i > 0
            && (is_word_byte(b[i - 1])
                || matches!(
                    b[i - 1],
                    b'$' | b'.' | b',' | b'+' | b'-' | b'/'
                ));
        if !starts || glued {
            i += 1;
            continue;
        }
        let start = i;
        let (mut digits, mut groups, mut end) = (0, 0usize, i);
        // The lengths of the first four groups.
        let mut sizes = [0u8; 4];
        let mut j = i;
        let mut prev_sep = true;
        let mut seps = 0;
        while j < b.len() {
            let c = b[j];
            if c.is_ascii_digit() {
                if prev_sep {
                    groups += 1;
                }
                if let Some(n) = sizes.get_mut(groups.saturating_sub(1)) {
                    *n = n.saturating_add(1);
                }
                digits += 1;
                prev_sep = false;
                seps = 0;
                j += 1;
                end = j;
            } else if (b"-. ()".contains(&c) || (c == b'+' && j == start))
                && seps < 2
            {
                // At most two in a row: `) ` between groups.
                seps += 1;
                prev_sep = true;
                j += 1;
                continue;
            } else {
                break;
            }
        }
        if end < b.len() && b[end] == b')' {
            end += 1;
        }
        let after = b.get(end).copied();
        let glued_after = after.is_some_and(|c| is_word_byte(c) || c == b'%');
        let per_cent = after == Some(b' ') && b.get(end + 1) == Some(&b'%');
        let tail_ok = !glued_after && !per_cent;
        let ssn_shaped = groups == 3 && sizes == [3, 2, 4, 0];
        let shaped = (9..=15).contains(&digits)
            && (groups > 1 || c == b'+' || digits >= 10)
            && !ssn_shaped
            && !dotted_quad(&b[start..end])
            && !is_service_number(&b[start..end]);
        // A payment card (16 digits) is not reached; a run of two-digit
        // groups, like a date, needs more groups than a date has.
        if shaped && tail_ok {
            out(start..end);
        }
        i = end.max(start + 1);
    }
}

/// Four groups of one to three digits joined by dots: an IPv4 address
/// (`198.51.100.7`), which no numbering plan writes a phone number as.
fn dotted_quad(run: &[u8]) -> bool {
    let mut groups = run.split(|&c| c == b'.');
    let ok = |g: &[u8]| {
        (1..=3).contains(&g.len()) && g.iter().all(u8::is_ascii_digit)
    };
    (0..4).all(|_| groups.next().is_some_and(ok)) && groups.next().is_none()
}

/// `221b baker street` (a house number, one to three words, a street
/// word), `calle mayor 5` (a street word, one to three words, a number) and
/// `hauptstrasse 12` (a word ending in a street suffix, a number).
fn addresses(text: &str, out: &mut impl FnMut(Range<usize>)) {
    let b = text.as_bytes();
    let mut at = 0;
    while let Some(w) = next_word(text, at) {
        at = w.end;
        let word = &text[w.clone()];
        let is_number = b[w.start].is_ascii_digit()
            && word.len() <= 5
            && word.bytes().filter(u8::is_ascii_digit).count()
                >= word.len() - 1;
        if is_number {
            // Number, words, street word.
            let mut end = w.end;
            for _ in 0..3 {
                let Some(n) = word_after_space(text, end) else { break };
                if b[n.start].is_ascii_digit() {
                    break;
                }
                if n.start > w.end + 1
                    && STREET_AFTER.contains(&&text[n.clone()])
                {
                    out(w.start..n.end);
                    at = n.end;
                    break;
                }
                end = n.end;
            }
            continue;
        }
        // A street named after a person is hyphenated, the suffix its own
        // word after the dash; after one part only a street's own word:
        // "karl-heine-str. 45" and "ernst-reuter-platz 3" are streets,
        // "chart-platz 3" a ranking.
        let start = compound_start(b, w.start);
        let parts = b[start..w.start].iter().filter(|&&c| c == b'-').count();
        let glued = STREET_SUFFIX.iter().any(|s| {
            word.ends_with(s)
                && (word.len() > s.len() + 2
                    || parts >= 2
                    || parts == 1 && ONE_PART_STREETS.contains(&word))
        });
        let before = STREET_BEFORE.contains(&word)
            && (word != "c" || b.get(w.end) == Some(&b'/'));
        if !glued && !before {
            continue;
        }
        // Street word or name, up to three words (articles and "de" not
        // counted: "calle de los almendros tardios 14"), then a number.
        let mut end = w.end;
        let names = if glued { 0 } else { 3 };
        let mut named = 0;
        // Three names, their particles and the number: a bounded look.
        for _ in 0..8 {
            let Some(n) = next_word(text, end).filter(|n| n.start <= end + 2)
            else {
                break;
            };
            if b[n.start].is_ascii_digit() {
                if text[n.clone()].len() <= 4 && n.start > w.end {
                    out(start..n.end);
                    at = n.end;
                }
                break;
            }
            if glued || !STREET_PARTICLES.contains(&&text[n.clone()]) {
                named += 1;
                if named > names {
                    break;
                }
            }
            end = n.end;
        }
    }
}

/// The street words a single name joins with a dash ("goethe-str. 4",
/// "mozart-allee 2"): "platz", "ring" or "weg" after one part is as often
/// a rank or a product.
const ONE_PART_STREETS: &[&str] = &["str", "strasse", "allee", "gasse"];

/// Where the hyphenated compound that the word at `at` ends starts
/// ("karl-heine-" before "str"); `at` itself when no dash precedes it.
fn compound_start(b: &[u8], mut at: usize) -> usize {
    while at > 1 && b[at - 1] == b'-' && is_word_byte(b[at - 2]) {
        at -= 1;
        while at > 0 && is_word_byte(b[at - 1]) {
            at -= 1;
        }
    }
    at
}

/// For the tests of the finders that read the post as written (`people`,
/// `passwords`): what `find` finds in `source`, as written.
#[cfg(test)]
fn found_as_written(
    source: &str,
    find: impl Fn(
        &str,
        &str,
        &dyn Fn(Range<usize>) -> Range<usize>,
        &mut dyn FnMut(Range<usize>),
    ),
) -> Vec<String> {
    let mut norm = crate::normalize::Normalized::default();
    norm.fill(source, crate::normalize::Form::Full);
    let mut found = Vec::new();
    find(norm.text(), source, &|r| norm.source_span(r), &mut |r| {
        found.push(source[norm.source_span(r)].to_string())
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(e: Entity, text: &str) -> Vec<&str> {
        let mut v = Vec::new();
        e.find(text, &mut |r: Range<usize>| v.push(r));
        v.sort_by_key(|r| r.start);
        v.into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn entities_are_found_and_look_alikes_are_not() {
        use Entity::*;
        let cases: &[(Entity, &str, &[&str])] = &[
            (Percent, "guaranteed 6% a year", &["6%"]),
            (Percent, "up +18.4% ytd", &["+18.4%"]),
            (
                Percent,
                "6 % or 7 percent or 11 prozent",
                &["6 %", "7 percent", "11 prozent"],
            ),
            (Percent, "un 8 por ciento anual", &["8 por ciento"]),
            (Percent, "100 people, 6 pcs", &[]),
            (Percent, "covid19% x", &[]),
            (
                Money,
                "\u{20ac}5,000 or $1.2m or 5.000 eur",
                &["\u{20ac}5,000", "$1.2m", "5.000 eur"],
            ),
            (Money, "raised \u{a3} 3 million", &["\u{a3} 3 million"]),
            (Money, "300 dollars and 2 dogs", &["300 dollars"]),
            (
                Money,
                "200 quid, 600 tacken, 2 mil pesos, 2 grand pianos, 3 riesen",
                &["200 quid", "600 tacken", "2 mil pesos"],
            ),
            (Money, "$abcd to the moon", &[]),
            (Ticker, "something big for $abcd before friday", &["$abcd"]),
            (Ticker, "$5 and $toolongticker and a$bc", &[]),
            (
                Email,
                "write to jane.doe+x@mail.example.com.",
                &["jane.doe+x@mail.example.com"],
            ),
            (Email, "@handle and me@localhost", &[]),
            (Email, "use user@example.com or you@example.org", &[]),
            (
                NamedEmail,
                "te escribimos a lucia.ferrer84@correo.example o dana.whit88@mail.example",
                &["lucia.ferrer84@correo.example", "dana.whit88@mail.example"],
            ),
            (NamedEmail, "sabine.kessler1971@posteo.example", &["sabine.kessler1971@posteo.example"]),
            // No digits, no name, an initial, too many digits, an event's
            // year, a link's user, a handle's user.
            (NamedEmail, "jenna.marsh@mailbox.example", &[]),
            (NamedEmail, "events2025@venue.example", &[]),
            (NamedEmail, "slides to maria2025@summit.example", &[]),
            (NamedEmail, "https://maria1990@bitbucket.example/app.git", &[]),
            (NamedEmail, "follow @jonas.beat88@musician.social", &[]),
            (NamedEmail, "booking: maria.santos87@santos-music.example", &[]),
            (NamedEmail, "rsvp london25@events.example or lucia84@mail.example", &["lucia84@mail.example"]),
            (NamedEmail, "find me at jonas.beat88@musician.social", &[]),
            (
                NamedEmail,
                "te escribimos a mailto:lucia.ferrer84@correo.example",
                &["lucia.ferrer84@correo.example"],
            ),
            (NamedEmail, "m.kessler1978@webpost.example", &[]),
            (NamedEmail, "lucia123456@correo.example", &[]),
            (Phone, "call +44 20 7946 0958 now", &["+44 20 7946 0958"]),
            (Phone, "call (555) 123-4567", &["(555) 123-4567"]),
            (Phone, "0612345678", &["0612345678"]),
            (Phone, "card 4111 1111 1111 1111", &[]),
            (Phone, "order 12345 on 2026-06-12 for $120", &[]),
            (Phone, "up 123456789%", &[]),
            (Phone, "her SSN 394-61-5150 is on file", &[]),
            (Phone, "llama al 612 345 678", &["612 345 678"]),
            (Phone, "the old address 198.51.100.7 stays up", &[]),
            (Phone, "appelle le 06.12.34.56.78", &["06.12.34.56.78"]),
            (Phone, "erreichen sie unter 0800 555 0123", &[]),
            (Phone, "call 1-800-555-0199 or 555-0199", &[]),
            (
                Address,
                "send it to 221b baker street please",
                &["221b baker street"],
            ),
            (Address, "at 12 main st.", &["12 main st"]),
            (Address, "vivo en calle mayor 5", &["calle mayor 5"]),
            (
                Address,
                "dona remedios, calle de los almendros tardios 14, 3a",
                &["calle de los almendros tardios 14"],
            ),
            (Address, "la calle de la casa de mis viejos tios 12", &[]),
            (Address, "hauptstrasse 12 in berlin", &["hauptstrasse 12"]),
            (
                Address,
                "lena, karl-heine-str. 45, 04229 leipzig",
                &["karl-heine-str. 45"],
            ),
            (Address, "am ernst-reuter-platz 3", &["ernst-reuter-platz 3"]),
            (Address, "frau berger: chart-platz 3", &[]),
            (Address, "an der goethe-str. 4", &["goethe-str. 4"]),
            (Address, "12 people on the street", &[]),
            (Address, "left at 3 linden mews today", &["3 linden mews"]),
            (Address, "en rambla nova 12, tarragona", &["rambla nova 12"]),
            (Address, "the 10 mile trail, ronda 2", &[]),
            (Address, "vive en av. rivadavia 4817", &["av. rivadavia 4817"]),
            (
                Address,
                "2281 larkspur highway, dayton",
                &["2281 larkspur highway"],
            ),
            (Address, "am landwehrkanalufer 3", &["landwehrkanalufer 3"]),
            (
                Address,
                "am kurfurstendamm 21 in berlin",
                &["kurfurstendamm 21"],
            ),
            (Date, "closes next week", &["next week"]),
            (Date, "before friday", &["before friday"]),
            (Date, "out 12 june, or june 12th", &["12 june", "june 12th"]),
            (Date, "el 12 de junio", &["el 12 de junio"]),
            (Date, "results in q3", &["q3"]),
            (Date, "manana se anuncia", &["manana"]),
            (Date, "nachste woche", &["nachste woche"]),
            (Date, "on 2026-06-12 and 12/06", &["2026-06-12", "12/06"]),
            (Date, "in 3 weeks", &["in 3 weeks"]),
            (Date, "darf erst ab freitag online", &["ab freitag"]),
            (
                Date,
                "from monday or desde el lunes",
                &["from monday", "desde el lunes"],
            ),
            (Date, "ab und zu, from home", &[]),
            (Date, "next to me, 12.5 people, 2024", &[]),
            // A German day and month with their closing dot.
            (Date, "streicht euch den 14.03. an", &["14.03"]),
            (Date, "version 1.2. und 3.14. oder 12.13. oder 14.3.", &[]),
            (Date, "ip 192.168.10.10. und mix 12.05.wav", &[]),
            // A word in no list ends a lead: no date across it.
            (Date, "next big week, by the friday", &[]),
        ];
        for (e, text, want) in cases {
            assert_eq!(found(*e, text), *want, "{e:?} in {text:?}");
        }
    }

    #[test]
    fn names_round_trip() {
        for (name, e) in ENTITIES {
            assert_eq!(Entity::by_name(name), Some(e));
        }
        assert_eq!(Entity::by_name("percentage"), None);
    }

    #[test]
    fn hostile_text_does_not_panic() {
        let texts = [
            "$",
            "@",
            "@.",
            "1/",
            "+",
            "(",
            "\u{20ac}",
            "1.",
            "9\u{e9}%",
            "12 \u{e9}",
            "st 1",
            "c/ 1",
        ];
        for t in texts {
            for (_, e) in ENTITIES {
                let _ = found(e, t);
            }
        }
    }
}
