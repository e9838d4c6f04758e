//! Dates and relative times: `12 June`, `2026-06-12`, `Q3`, `tomorrow`,
//! `next week`, `by Friday`, `mañana`, `nächste Woche`.

use std::ops::Range;

use super::{is_word_byte, next_word, word_after_space};

pub(super) const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "januar",
    "februar",
    "marz",
    "mai",
    "juni",
    "juli",
    "oktober",
    "dezember",
];
pub(super) const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "lunes",
    "martes",
    "miercoles",
    "jueves",
    "viernes",
    "sabado",
    "domingo",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
];
const UNITS: &[&str] = &[
    "week",
    "month",
    "quarter",
    "year",
    "weekend",
    "semana",
    "mes",
    "trimestre",
    "ano",
    "woche",
    "monat",
    "quartal",
    "jahr",
    "wochenende",
    "days",
    "weeks",
    "months",
    "dias",
    "semanas",
    "tagen",
    "wochen",
];
/// Words that are a date on their own.
const ALONE_WORDS: &[&str] = &[
    "tomorrow",
    "tmrw",
    "tmr",
    "manana",
    "morgen",
    "ubermorgen",
    "uebermorgen",
    "q1",
    "q2",
    "q3",
    "q4",
    "h1",
    "h2",
    "eod",
    "eow",
];
/// Words that make the next weekday, month or unit a date.
const LEADS: &[&str] = &[
    "next",
    "by",
    "before",
    "this",
    "coming",
    "until",
    "till",
    "on",
    "proxima",
    "proximo",
    "el",
    "antes",
    "hasta",
    "este",
    "esta",
    "nachste",
    "naechste",
    "nachsten",
    "bis",
    "vor",
    "am",
    "kommende",
    "kommenden",
    "diese",
    "diesen",
    "in",
    "within",
    "en",
    // From a day on: "ab Freitag", "from Monday", "desde el lunes".
    "ab",
    "from",
    "desde",
];

/// What a word is to the date finder, as bits (a word could be in several
/// lists; none is today).
const MONTH: u8 = 1;
const WEEKDAY: u8 = 2;
const UNIT: u8 = 4;
const ALONE: u8 = 8;
const LEAD: u8 = 16;

/// Each list with its bit.
const LISTS: [(&[&str], u8); 5] = [
    (MONTHS, MONTH),
    (WEEKDAYS, WEEKDAY),
    (UNITS, UNIT),
    (ALONE_WORDS, ALONE),
    (LEADS, LEAD),
];

/// Slots of the word table: a power of two, four times the words or
/// more, so that a word in no list mostly meets an empty slot at once.
const SLOTS: usize = 1024;

/// The lists' words by hash, with their bits, open addressing: each word
/// of a post is looked up once, at the cost of a hash and mostly no
/// comparison, instead of a comparison with every word of five lists.
static TABLE: [Option<(&str, u8)>; SLOTS] = {
    let mut t: [Option<(&str, u8)>; SLOTS] = [None; SLOTS];
    let lists = LISTS;
    let mut used = 0;
    let mut l = 0;
    while l < lists.len() {
        let (words, bit) = lists[l];
        let mut i = 0;
        while i < words.len() {
            let w = words[i];
            let mut slot = hash(w.as_bytes()) & (SLOTS - 1);
            loop {
                match t[slot] {
                    None => {
                        t[slot] = Some((w, bit));
                        used += 1;
                        break;
                    }
                    Some((x, bits)) if same(x.as_bytes(), w.as_bytes()) => {
                        t[slot] = Some((x, bits | bit));
                        break;
                    }
                    Some(_) => slot = (slot + 1) & (SLOTS - 1),
                }
            }
            i += 1;
        }
        l += 1;
    }
    assert!(used * 4 <= SLOTS, "the date word table is too full");
    t
};

/// FNV-1a of the word.
const fn hash(w: &[u8]) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < w.len() {
        h = (h ^ w[i] as u32).wrapping_mul(0x0100_0193);
        i += 1;
    }
    h as usize
}

const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The lists `word` is in, as bits (0: none).
fn kind_of(word: &str) -> u8 {
    let mut slot = hash(word.as_bytes()) & (SLOTS - 1);
    while let Some((w, bits)) = TABLE[slot] {
        if w == word {
            return bits;
        }
        slot = (slot + 1) & (SLOTS - 1);
    }
    0
}

/// Dates and relative times, word by word: a word that is one alone
/// (`tomorrow`, `q3`), a lead and a weekday, month or unit (`next week`,
/// `by friday`, `nächste woche`), a day and a month (`12 june`, `june 12`),
/// or a numeric date (`2026-06-12`, `12/06`, `12.06.`).
pub(super) fn dates(text: &str, out: &mut impl FnMut(Range<usize>)) {
    let mut at = 0;
    let mut lead: Option<usize> = None;
    while let Some(w) = next_word(text, at) {
        at = w.end;
        let word = &text[w.clone()];
        let kind = kind_of(word);
        if kind == 0 && !word.as_bytes()[0].is_ascii_digit() {
            // In no list and no number: no date, and no lead.
            lead = None;
            continue;
        }
        if let Some(end) = numeric_date(text, w.start) {
            out(w.start..end);
            at = end;
            lead = None;
            continue;
        }
        let day = |s: &str| {
            s.len() <= 4
                && s.as_bytes()[0].is_ascii_digit()
                && matches!(
                    s.trim_start_matches(|c: char| c.is_ascii_digit()),
                    "" | "st" | "nd" | "rd" | "th"
                )
        };
        if kind & ALONE != 0 {
            out(w.start..w.end);
        } else if kind & MONTH != 0 {
            // `june 12`, or a month after a lead or a day.
            match word_after_space(text, w.end)
                .filter(|n| day(&text[n.clone()]))
            {
                Some(n) => {
                    out(lead.unwrap_or(w.start)..n.end);
                    at = n.end;
                }
                // "this may be" is not a date.
                None if lead.is_some() && word != "may" => {
                    out(lead.unwrap_or(w.start)..w.end)
                }
                None => {}
            }
        } else if kind & (WEEKDAY | UNIT) != 0 && lead.is_some() {
            out(lead.unwrap_or(w.start)..w.end);
        } else if day(word) {
            // `12 june`, `12 de junio`, `12. juni`.
            let mut n = word_after_space(
                text,
                w.end + usize::from(text.as_bytes().get(w.end) == Some(&b'.')),
            );
            if n.as_ref().is_some_and(|n| {
                &text[n.clone()] == "de" || &text[n.clone()] == "of"
            }) {
                n = n.and_then(|n| word_after_space(text, n.end));
            }
            if let Some(n) =
                n.filter(|n| kind_of(&text[n.clone()]) & MONTH != 0)
            {
                out(lead.unwrap_or(w.start)..n.end);
                at = n.end;
                lead = None;
                continue;
            }
            // `in 3 weeks`, `en 2 semanas`.
            if lead.is_some() {
                if let Some(n) = word_after_space(text, w.end)
                    .filter(|n| kind_of(&text[n.clone()]) & UNIT != 0)
                {
                    out(lead.unwrap_or(w.start)..n.end);
                    at = n.end;
                    lead = None;
                    continue;
                }
            }
        }
        lead = (kind & LEAD != 0).then_some(lead.unwrap_or(w.start));
    }
}

/// `2026-06-12`, `12/06/2026`, `12/06`, `12.06.2026` at `i`: its end.
fn numeric_date(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut groups = [0usize; 3];
    let mut n = 0;
    let mut j = i;
    let mut sep = 0u8;
    while n < 3 {
        let s = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let len = j - s;
        if len == 0 || len > 4 {
            return None;
        }
        groups[n] = len;
        n += 1;
        match b.get(j) {
            Some(&c)
                if matches!(c, b'-' | b'/' | b'.')
                    && (sep == 0 || sep == c)
                    && b.get(j + 1).is_some_and(u8::is_ascii_digit)
                    && n < 3 =>
            {
                sep = c;
                j += 1;
            }
            _ => break,
        }
    }
    let ok = match (n, groups) {
        (3, [4, 1..=2, 1..=2]) | (3, [1..=2, 1..=2, 2 | 4]) => true,
        // `12/06` with a slash; `12.06` is a number, but a German day and
        // month close with a dot of their own (`den 14.03.`), and then
        // they must be a day and a month.
        (2, [1..=2, 1..=2, _]) => sep == b'/' || german_day_month(text, i, j),
        _ => false,
    };
    let glued = b.get(j).is_some_and(|&c| is_word_byte(c));
    (ok && !glued).then_some(j)
}

/// `dd.mm.` at `i..j` (`j` at the closing dot): a day (01–31) and a
/// month (01–12) in two digits each, the dot not glued to a word and no
/// dot or digit before them (`12.1.` and `3.14.` close versions, the tail
/// of `192.168.1.10.` is an address).
fn german_day_month(text: &str, i: usize, j: usize) -> bool {
    let b = text.as_bytes();
    let free_before = i == 0 || !matches!(b[i - 1], b'.' | b'0'..=b'9');
    let free_after = !b.get(j + 1).is_some_and(|&c| is_word_byte(c));
    let (d, m) = text[i..j].split_once('.').unwrap_or_default();
    let two = |s: &str, hi: u8| {
        s.len() == 2 && s.parse::<u8>().is_ok_and(|n| (1..=hi).contains(&n))
    };
    b.get(j) == Some(&b'.')
        && free_before
        && free_after
        && two(d, 31)
        && two(m, 12)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_table_knows_every_list_word_and_nothing_else() {
        for (words, bit) in LISTS {
            for w in words {
                assert_eq!(kind_of(w), bit, "{w}");
            }
        }
        assert_eq!(kind_of("may"), MONTH);
        for w in ["the", "mays", "ma", "weekly", "x", "junio2", "ü"] {
            assert_eq!(kind_of(w), 0, "{w}");
        }
    }
}
