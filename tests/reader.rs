//! The reader's view, class by class (issue 13): every member of a Unicode
//! class, not the samples someone thought of. Each test iterates a whole
//! class from Unicode's data (`char::is_whitespace` is the White_Space
//! property; general categories come from `unicode-properties`;
//! look-alikes from UTS #39 through `unicode-security`), disguises a card,
//! an SSN, an IBAN and a term with each member, and checks that the
//! financial pack still reports the right rule with a span over the
//! disguised bytes. Each test is named after a class of the issue's list.

use std::ops::Range;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use preclear::{Decision, Policy, Screener, Verdict};
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

fn fin() -> &'static Screener {
    static S: OnceLock<Screener> = OnceLock::new();
    S.get_or_init(|| {
        let mut p = Policy::new();
        p.add_bundled("financial-institution").unwrap();
        Screener::new(&p).unwrap()
    })
}

fn all_chars() -> impl Iterator<Item = char> {
    (0x80..=0x10FFFFu32).filter_map(char::from_u32)
}

/// A post with `core` between `before` and `after`, and where `core` is.
fn plant(before: &str, core: &str, after: &str) -> (String, Range<usize>) {
    let post = format!("{before}{core}{after}");
    (post, before.len()..before.len() + core.len())
}

/// `None` if a reason of `rule` covers `core` of `post`, else what went
/// wrong.
fn miss(post: &str, core: Range<usize>, rule: &str) -> Option<String> {
    let v: Verdict = match fin().screen(post) {
        Ok(v) => v,
        Err(e) => return Some(format!("{post:?}: {e}")),
    };
    let hit = v.reasons().iter().any(|r| {
        r.rule() == rule
            && r.span()
                .is_some_and(|s| s.start <= core.start && s.end >= core.end)
    });
    if hit {
        return None;
    }
    let got: Vec<String> = v
        .reasons()
        .iter()
        .map(|r| format!("{} {:?}", r.rule(), r.span()))
        .collect();
    Some(format!("{post:?} wants {rule} over {core:?}, got {got:?}"))
}

/// Fails listing the first misses, if any.
fn check(class: &str, tried: usize, misses: Vec<String>) {
    assert!(tried > 0, "{class}: nothing tried");
    assert!(
        misses.is_empty(),
        "{class}: {} of {tried} missed, e.g.\n{}",
        misses.len(),
        misses.iter().take(12).cloned().collect::<Vec<_>>().join("\n")
    );
}

const CARD: [&str; 4] = ["4111", "1111", "1111", "1111"];
const SSN: [&str; 3] = ["536", "22", "1234"];
const IBAN: [&str; 6] = ["DE89", "3704", "0044", "0532", "0130", "00"];
const TERM: [&str; 2] = ["guaranteed", "returns"];

/// The four planted values, their rules, and how a disguise is built:
/// `between` joins the groups (or words), `inside` goes between the
/// characters of each group, `after` after each character.
fn plants(
    between: &str,
    inside: &str,
    after: &str,
) -> Vec<(String, Range<usize>, &'static str)> {
    let spell = |g: &str| {
        g.chars()
            .map(|c| format!("{c}{after}"))
            .collect::<Vec<_>>()
            .join(inside)
    };
    let join = |gs: &[&str], sep: &str| {
        gs.iter().map(|g| spell(g)).collect::<Vec<_>>().join(sep)
    };
    let mut out = Vec::new();
    for (before, groups, sep, rule) in [
        ("Please charge card ", &CARD[..], " ", "pii.payment-card"),
        ("Her SSN is ", &SSN[..], "-", "pii.us-ssn"),
        ("Send it to ", &IBAN[..], " ", "pii.iban"),
        ("Our fund has ", &TERM[..], " ", "promissory.guarantee"),
    ] {
        let sep = if between.is_empty() { sep } else { between };
        let (post, core) = plant(before, &join(groups, sep), " today.");
        out.push((post, core, rule));
    }
    out
}

/// Every White_Space character, and the blanks that are not (Hangul
/// fillers, the braille blank), separates groups and words like a space.
#[test]
fn white_space_and_invisible_fillers_act_as_spaces() {
    let blanks: Vec<char> = (0..=0x10FFFFu32)
        .filter_map(char::from_u32)
        .filter(|c| c.is_whitespace())
        .chain(['\u{115F}', '\u{1160}', '\u{3164}', '\u{FFA0}', '\u{2800}'])
        .collect();
    assert!(blanks.len() >= 30, "{}", blanks.len());
    let (mut tried, mut misses) = (0, Vec::new());
    for c in blanks {
        for (post, core, rule) in plants(&c.to_string(), "", "") {
            tried += 1;
            misses.extend(miss(&post, core, rule));
        }
    }
    check("White_Space", tried, misses);
}

/// Every format character (Cf) between every two characters is dropped,
/// except the bidi overrides, which reorder (see below).
#[test]
fn format_characters_are_dropped() {
    let (mut tried, mut misses) = (0, Vec::new());
    for c in all_chars().filter(|&c| {
        c.general_category() == GeneralCategory::Format
            && !matches!(c, '\u{202D}' | '\u{202E}')
    }) {
        for (post, core, rule) in plants("", &c.to_string(), "") {
            tried += 1;
            misses.extend(miss(&post, core, rule));
        }
    }
    assert!(tried >= 4 * 150, "{tried}");
    check("Cf", tried, misses);
}

/// Every nonspacing and enclosing mark (Mn, Me) after every character,
/// digits included, is removed (strike-through, underline, zalgo,
/// keycaps).
#[test]
fn combining_marks_on_every_character() {
    let (mut tried, mut misses) = (0, Vec::new());
    for c in all_chars().filter(|&c| {
        matches!(
            c.general_category(),
            GeneralCategory::NonspacingMark | GeneralCategory::EnclosingMark
        )
    }) {
        for (post, core, rule) in plants("", "", &c.to_string()) {
            tried += 1;
            misses.extend(miss(&post, core, rule));
        }
    }
    assert!(tried >= 4 * 1800, "{tried}");
    check("Mn/Me", tried, misses);
}

/// Luhn-valid cards that between them hold every digit.
const CARDS: &[&str] = &[
    "4111111111111111",
    "4539148803436467",
    "5555555555554444",
    "4012888888881881",
    "378282246310005",
    "6011000990139424",
];

/// The ways to write digit `d` as one enclosed, circled, parenthesised,
/// dotted or keycap form: every character whose NFKC, without brackets
/// and stops, is the digit, and the dingbat forms NFKC leaves alone.
fn digit_forms() -> Vec<(char, String)> {
    let mut out = Vec::new();
    for c in all_chars() {
        let cat = c.general_category();
        if !matches!(
            cat,
            GeneralCategory::OtherNumber | GeneralCategory::OtherSymbol
        ) {
            continue;
        }
        let n: String =
            c.nfkc().filter(|c| !matches!(c, '(' | ')' | '.' | ',')).collect();
        let named = n.len() == 1 && n.as_bytes()[0].is_ascii_digit();
        if named && n != c.to_string() {
            out.push((n.chars().next().unwrap(), c.to_string()));
        }
    }
    for (d, cp) in
        [('1', 0x2776u32), ('1', 0x2780), ('1', 0x278A), ('1', 0x24F5)]
    {
        for k in 0..9 {
            let c = char::from_u32(cp + k).unwrap();
            out.push((char::from(d as u8 + k as u8), c.to_string()));
        }
    }
    out.push(('0', "\u{24FF}".to_string()));
    out.push(('0', "\u{1F10C}".to_string()));
    for d in '0'..='9' {
        out.push((d, format!("{d}\u{FE0F}\u{20E3}")));
        out.push((d, format!("{d}\u{20E3}")));
    }
    out
}

/// Every enclosed, circled, parenthesised, dotted, dingbat and keycap
/// digit stands for its digit inside a card number.
#[test]
fn enclosed_and_keycap_digits() {
    let forms = digit_forms();
    assert!(forms.len() >= 100, "{}", forms.len());
    let (mut tried, mut misses) = (0, Vec::new());
    for (d, form) in &forms {
        let Some(card) = CARDS.iter().find(|c| c.contains(*d)) else {
            panic!("no card holds {d}");
        };
        let written: String = card
            .chars()
            .enumerate()
            .map(|(i, c)| {
                let sep = if i > 0 && i % 4 == 0 { " " } else { "" };
                if c == *d {
                    format!("{sep}{form}")
                } else {
                    format!("{sep}{c}")
                }
            })
            .collect();
        let (post, core) = plant("card ", &written, " thanks");
        tried += 1;
        misses.extend(miss(&post, core, "pii.payment-card"));
    }
    check("enclosed digits", tried, misses);
}

/// Enclosed, circled, squared, parenthesised and regional-indicator
/// letters stand for their letter.
#[test]
fn enclosed_and_regional_indicator_letters() {
    let mut forms: Vec<(char, char)> = Vec::new();
    for c in all_chars() {
        let n: String = c.nfkc().filter(|c| !matches!(c, '(' | ')')).collect();
        let cat = c.general_category();
        if matches!(
            cat,
            GeneralCategory::OtherSymbol | GeneralCategory::OtherNumber
        ) && n.len() == 1
            && n.as_bytes()[0].is_ascii_alphabetic()
        {
            forms.push((n.to_ascii_lowercase().chars().next().unwrap(), c));
        }
    }
    for k in 0..26u32 {
        let l = char::from(b'a' + k as u8);
        for base in [0x1F150, 0x1F170, 0x1F1E6] {
            forms.push((l, char::from_u32(base + k).unwrap()));
        }
    }
    let (mut tried, mut misses) = (0, Vec::new());
    for &(l, form) in &forms {
        if !"guaranteed returns".contains(l) {
            continue;
        }
        let written = "guaranteed returns".replace(l, &form.to_string());
        let (post, core) = plant("Our fund has ", &written, " now.");
        tried += 1;
        misses.extend(miss(&post, core, "promissory.guarantee"));
    }
    assert!(tried >= 30, "{tried}");
    check("enclosed letters", tried, misses);
}

/// Text stored reversed under a right-to-left override reads in display
/// order; the span covers the stored bytes.
#[test]
fn right_to_left_override() {
    let (mut tried, mut misses) = (0, Vec::new());
    for (post, core, rule) in plants("", "", "") {
        let reversed: String = post[core.clone()].chars().rev().collect();
        let (post, core) = plant(
            &post[..core.start],
            &format!("\u{202E}{reversed}\u{202C}"),
            &post[core.end..],
        );
        tried += 1;
        misses.extend(miss(&post, core.start + 3..core.end - 3, rule));
    }
    check("RLO", tried, misses);
}

/// Terms the financial pack holds, by rule: between them they use 22 of
/// the 26 letters.
const TERMS: &[(&str, &str)] = &[
    ("guaranteed returns", "promissory.guarantee"),
    ("guaranteed payout", "promissory.guarantee"),
    ("double your money", "promissory.get-rich"),
    ("get rich quick", "promissory.get-rich"),
    ("overnight millionaire", "promissory.get-rich"),
    ("zero risk investment", "promissory.no-risk"),
    ("confidential merger", "mnpi.nonpublic"),
    ("before we announce", "mnpi.announcement"),
];

/// Every entry of UTS #39's confusables whose skeleton is one Latin
/// letter, and every small capital, written for every occurrence of that
/// letter in a term.
#[test]
fn confusables_for_every_latin_letter() {
    let mut tried_letters = std::collections::BTreeSet::new();
    let (mut tried, mut misses) = (0, Vec::new());
    for c in all_chars().filter(|c| c.is_alphabetic()) {
        let skel: String =
            unicode_security::skeleton(&c.to_string()).collect();
        let l = match skel.as_bytes() {
            [b] if b.is_ascii_alphabetic() => b.to_ascii_lowercase() as char,
            _ => continue,
        };
        // NFKC's answer wins where it has one (`ſ` is `s`, not `f`), and
        // a cased `I`/`l` look-alike is as much one as the other (not counted).
        let nfkc: String = c.nfkc().collect();
        if nfkc.is_ascii() && nfkc.to_ascii_lowercase() != l.to_string() {
            continue;
        }
        // Lisu's `ꓲ` is the capital I of a script written in capitals,
        // read as `i` (src/confusable.rs).
        let cased =
            c.is_uppercase() || c.to_uppercase().ne([c]) || c == '\u{A4F2}';
        if matches!(l, 'l' | 'i') && cased {
            continue;
        }
        for &(term, rule) in TERMS {
            if !term.contains(l) {
                continue;
            }
            let written = term.replace(l, &c.to_string());
            let (post, core) = plant("Our plan: ", &written, " now.");
            tried += 1;
            tried_letters.insert(l);
            misses.extend(miss(&post, core, rule));
            break;
        }
    }
    assert!(tried_letters.len() >= 20, "{tried_letters:?}");
    check("confusables", tried, misses);
}

/// Small capitals, Greek letters inside Latin words, and whole words in
/// Cyrillic or Greek look-alikes.
#[test]
fn small_capitals_greek_and_whole_word_lookalikes() {
    let cases = [
        ("ᴅᴏᴜʙʟᴇ ʏᴏᴜʀ ᴍᴏɴᴇʏ", "promissory.get-rich"),
        ("guαrαnτeed returns", "promissory.guarantee"),
        ("gυαrαnτεεd rεturns", "promissory.guarantee"),
    ];
    let mut misses = Vec::new();
    for (written, rule) in cases {
        let (post, core) = plant("Our fund: ", written, " now.");
        misses.extend(miss(&post, core, rule));
    }
    // A whole word in Cyrillic look-alikes, every letter one by UTS #39.
    let whole =
        "\u{0455}\u{0430}\u{0455}\u{0455}\u{0443} and guaranteed returns";
    let (post, core) = plant("Now ", whole, " fast");
    misses.extend(miss(
        &post,
        core.end - 18..core.end,
        "promissory.guarantee",
    ));
    check("look-alikes", cases.len(), misses);
}

/// Genuine Russian, Greek and Polish sentences stay allowed: look-alike
/// folding must not turn real words into terms.
#[test]
fn genuine_cyrillic_greek_and_polish_stay_clean() {
    let sentences = [
        "Мы открываем новое отделение в понедельник, приходите на кофе.",
        "Сор в избе, рост цен и курс рубля обсуждаем на встрече в среду.",
        "Наш банк работает с девяти утра до шести вечера по будням.",
        "Это не инвестиционный совет; прошлые результаты не гарантируют доход.",
        "Η τράπεζα μας ανοίγει νέο κατάστημα στην Αθήνα τη Δευτέρα.",
        "Και το καφέ είναι δωρεάν για όλους τους πελάτες μας.",
        "Οι αποδόσεις του παρελθόντος δεν εγγυώνται μελλοντικές αποδόσεις.",
        "Nasz oddział w Krakowie jest otwarty od poniedziałku do piątku.",
        "Zapraszamy na kawę i rozmowę o oszczędzaniu na emeryturę.",
        "Wyniki z przeszłości nie gwarantują przyszłych zysków.",
    ];
    for s in sentences {
        let v = fin().screen(s).unwrap();
        assert_eq!(
            v.decision(),
            Decision::Allow,
            "{s:?}: {:?}",
            v.reasons()
                .iter()
                .map(|r| r.rule().to_string())
                .collect::<Vec<_>>()
        );
    }
}

/// Apostrophe and quote variants stand for the apostrophe.
#[test]
fn apostrophe_variants() {
    let (mut tried, mut misses) = (0, Vec::new());
    for a in [
        '\u{00B4}', '`', '\u{02BC}', '\u{2032}', '\u{2019}', '\u{2018}',
        '\u{FF07}', '\u{02B9}', '\u{02BB}', '\u{02CA}', '\u{02CB}',
        '\u{2035}', '\u{A78C}',
    ] {
        let (post, core) =
            plant("With us you can", &format!("{a}t lose"), " a cent.");
        tried += 1;
        let core = core.start - 3..core.end;
        misses.extend(miss(&post, core, "promissory.no-risk"));
    }
    check("apostrophes", tried, misses);
}

/// The documented leetspeak table, every entry, on every term letter it
/// stands for.
#[test]
fn leetspeak_table() {
    let table: &[(char, &str)] = &[
        ('0', "o"),
        ('1', "il"),
        ('2', "z"),
        ('3', "e"),
        ('4', "a"),
        ('5', "s"),
        ('6', "g"),
        ('7', "t"),
        ('8', "b"),
        ('9', "g"),
        ('!', "il"),
        ('$', "s"),
        ('(', "c"),
        ('@', "a"),
        ('|', "il"),
        ('\u{A1}', "il"),
        ('\u{A2}', "c"),
        ('\u{A3}', "l"),
        ('\u{20AC}', "e"),
    ];
    let (mut tried, mut misses) = (0, Vec::new());
    for &(leet, letters) in table {
        for l in letters.chars() {
            // A term with the letter inside a word (symbols stand for
            // letters only there).
            let Some(&(term, rule)) = TERMS
                .iter()
                .find(|(t, _)| t.split(' ').any(|w| w[1..].contains(l)))
            else {
                continue;
            };
            let written: String = term
                .split(' ')
                .map(|w| {
                    format!(
                        "{}{}",
                        &w[..1],
                        w[1..].replace(l, &leet.to_string())
                    )
                })
                .collect::<Vec<_>>()
                .join(" ");
            let (post, core) = plant("Our plan: ", &written, " now.");
            tried += 1;
            misses.extend(miss(&post, core, rule));
        }
    }
    assert!(tried >= 20, "{tried}");
    check("leetspeak", tried, misses);
}

/// Letters standing for digits inside a run of digits.
#[test]
fn letters_standing_for_digits() {
    let mut misses = Vec::new();
    let cases = [
        ("card ", "4l11 1111 1111 1111", "pii.payment-card"),
        ("card ", "4111 11l1 1I11 1111", "pii.payment-card"),
        ("card ", "4O12 8888 8888 1881", "pii.payment-card"),
        ("SSN ", "536-22-1l34", "pii.us-ssn"),
    ];
    for (before, written, rule) in cases {
        let (post, core) = plant(before, written, " ok");
        misses.extend(miss(&post, core, rule));
    }
    check("letters for digits", cases.len(), misses);
}

/// Numbers that are not cards stay unflagged.
#[test]
fn decimals_versions_and_timestamps_stay_clean() {
    for s in [
        "e is 2.718281828459045235360287471352662497757 to 42 places",
        "pi = 3.14159265358979323846264338327950288419716939937510",
        "upgrade to version 10.4.1.2024.11.30.1 today",
        "logged at 2024-05-01 12:30:45.123456 and 2024-05-01 12:31:02.654321",
        "the lollipop costs 10 lol",
        "meet me at 10 o'clock, i1 is fine",
    ] {
        let v = fin().screen(s).unwrap();
        assert_eq!(v.decision(), Decision::Allow, "{s:?}: {:?}", v.reasons());
    }
}

/// The issue's own check, through the command line.
#[test]
fn keycap_card_blocks_on_the_command_line() {
    let post = "card 4\u{FE0F}\u{20E3}1\u{FE0F}\u{20E3}1\u{FE0F}\u{20E3}1\u{FE0F}\u{20E3} 1111 1111 1111";
    let mut child = Command::new(env!("CARGO_BIN_EXE_preclear"))
        .args(["check", "--pack", "financial-institution", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(post.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(
        out.stdout.split(|&b| b == b'\n').next().unwrap(),
    )
    .unwrap();
    let text = v.to_string();
    assert!(text.contains("pii.payment-card"), "{text}");
    let (post, core) = plant("card ", &post[5..], "");
    assert!(
        miss(&post, core.start..core.start + 7, "pii.payment-card").is_none()
    );
}

/// Runs `cases` (text before, the disguised value, its rule) and fails
/// on the first misses of `class`.
fn check_cases(class: &str, cases: &[(&str, &str, &str)]) {
    let mut misses = Vec::new();
    for &(before, written, rule) in cases {
        let (post, core) = plant(before, written, " today");
        misses.extend(miss(&post, core, rule));
    }
    check(class, cases.len(), misses);
}

/// Markdown emphasis inside words and digit runs: it does not show once
/// rendered.
#[test]
fn markdown_inside_words_and_digit_runs() {
    check_cases(
        "markdown",
        &[
            ("card ", "4111 **1111** 1111 1111", "pii.payment-card"),
            ("card ", "4111 _1111_ _1111_ 1111", "pii.payment-card"),
            ("card ", "4111 1111 *11*11 1111", "pii.payment-card"),
            ("card `", "378`2 822463 10005", "pii.payment-card"),
            ("card ||", "6011-1111-1111-11||17", "pii.payment-card"),
            ("card ", "5555 ~~55~~55 5555 4444", "pii.payment-card"),
            ("we offer ", "gua**ran**teed returns", "promissory.guarantee"),
            ("we offer _", "guaran_teed returns", "promissory.guarantee"),
            ("we offer ", "guaranteed__ __returns", "promissory.guarantee"),
            ("ok **", "double** **your** money", "promissory.get-rich"),
        ],
    );
}

/// Digits spelled out in English, Spanish or German words, for runs of
/// nine or more.
#[test]
fn digits_spelled_out_in_three_languages() {
    check_cases(
        "spelled digits",
        &[
            (
                "card ",
                "four one one one one one one one one one one one one one one one",
                "pii.payment-card",
            ),
            (
                "card ",
                "FOUR ONE ONE ONE, one 1 one one - 1 one one one / one one one 1",
                "pii.payment-card",
            ),
            (
                "my SSN is ",
                "zero seven eight  zero five  one one two three",
                "pii.us-ssn-unformatted",
            ),
            (
                "la tarjeta es ",
                "cuatro uno uno uno, uno uno uno uno, uno uno uno uno, uno uno uno uno",
                "pii.payment-card",
            ),
            (
                "Karte: ",
                "Fünf fünf fünf fünf, fünf fünf fünf fünf, fünf fünf fünf fünf, vier vier vier vier",
                "pii.payment-card",
            ),
            (
                "Kartennummer ",
                "vier eins eins eins eins eins eins eins eins eins eins eins eins eins eins eins",
                "pii.payment-card",
            ),
        ],
    );
}

/// Letters standing for digits at the edges of a group or next to
/// separators (`O78-O5-1123`, `41|| ӏlI1`).
#[test]
fn letters_for_digits_at_edges_and_next_to_separators() {
    check_cases(
        "letters for digits at edges",
        &[
            ("SSN ", "O78-O5-1123", "pii.us-ssn"),
            ("card ", "41|| \u{4CF}lI1 11II I11|", "pii.payment-card"),
            ("card ", "4111 ||11 |\u{4CF}l| 1Il1", "pii.payment-card"),
            (
                "card ",
                "3782 8224\u{431}3 1\u{41E}\u{39F}O5",
                "pii.payment-card",
            ),
            ("card ", "6O11-lII1-|\u{4CF}l1-1||7", "pii.payment-card"),
        ],
    );
}

/// A number split over a line break with indentation, a bullet or a
/// quote marker.
#[test]
fn bulleted_and_quoted_line_splits() {
    check_cases(
        "line splits",
        &[
            ("card ", "4111\n\u{2022} 1111 1111 1111", "pii.payment-card"),
            ("card ", "3782\n- 822463 10005", "pii.payment-card"),
            ("card ", "6011-1111\n> -1111-1117", "pii.payment-card"),
            ("SSN ", "078-05-\n\n1123", "pii.us-ssn"),
            ("SSN ", "536\n\u{2022} 22 8147", "pii.us-ssn"),
            ("we offer ", "guaranteed\n> returns", "promissory.guarantee"),
            (
                "we offer ",
                "guaranteed\n\u{2022} returns",
                "promissory.guarantee",
            ),
        ],
    );
}

/// Digit groups joined by irregular separator runs.
#[test]
fn irregular_separator_runs() {
    check_cases(
        "separator runs",
        &[
            ("card ", "411 | 1 | 111 | 11111 | 11 | 11", "pii.payment-card"),
            ("card ", "60 . 11 . 1111 . 11111 . 117", "pii.payment-card"),
            // Not `5555, 5555, …`: a comma makes a list (`9600, 19200,
            // 38400` in real texts), read as separate numbers.
            ("card ", "5555 - 5555 - 55554 - 4 - 44", "pii.payment-card"),
            ("card ", "60~11111~1~11111~117", "pii.payment-card"),
            (
                "card ",
                "4 / 1\u{200B}11 / 1111 / 1111 / 1111",
                "pii.payment-card",
            ),
            ("my SSN is ", "0780 - 5 - 1 - 123", "pii.us-ssn-unformatted"),
        ],
    );
}

/// Separators injected at random places inside words, and spaced-out
/// letters around an apostrophe.
#[test]
fn punctuation_injected_at_random_places() {
    check_cases(
        "punctuation injection",
        &[
            ("we offer ", "guar-an/t~eed returns", "promissory.guarantee"),
            (
                "we offer ",
                "gu*a,rantee-d ret/u,r\u{B7}ns",
                "promissory.guarantee",
            ),
            ("ok ", "d.oub-l,e you.r m+on-ey", "promissory.get-rich"),
            (
                "ok ",
                "r/i/s/k/-/f/r/e/e i/n/v/e/s/t/m/e/n/t",
                "promissory.no-risk",
            ),
            ("ok ", "y o u  c a n ' t  l o s e", "promissory.no-risk"),
        ],
    );
}

/// Lists of numbers, counting words and prose with the letters that can
/// stand for digits stay clean.
#[test]
fn number_lists_and_counting_stay_clean() {
    for s in [
        "steps 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 and 14 are done",
        "one two three four five six seven eight nine ten, here we go",
        "call 555-1234 - 555-9876 - 555-4321 tomorrow",
        "dates 2021/01/01 - 2021/12/31 / 2022/06/30",
        "see items 1 . 2 . 3 and lol oil ill io",
        // Real texts (Debian manpages) that a first cut flagged.
        "channels (2.412, 2.422, 2.425, 2.4305, 2.432, 2.442, 2.452, 2.460)",
        "9600, 19200, 38400, 57600 und 115200.",
        "--addresses 162.222.181.197,162.222.181.198 --region us-central1",
        "kernel versions: 5.17, 5.15.19, 5.10.96, 5.4.176, 4.19.228, 4.14.265.",
        "L1  397.4  6.1      412.5  5.2     100.0%      +3.8% L2  143.2",
        "| Bin 3692 -> 3904 bytes ...gids.30,31,32,33.otf | Bin 2292 -> 2316",
    ] {
        let v = fin().screen(s).unwrap();
        assert_eq!(v.decision(), Decision::Allow, "{s:?}: {:?}", v.reasons());
    }
}

// --- wt-links ---

/// The file-locker links the music pack blocks (`piracy.host`), as the
/// second disguise generator plants them.
const LOCKER_LINKS: [&str; 2] = [
    "https://mega.nz/file/Zx81kLmN",
    "https://www.mediafire.com/file/abc123/album.zip",
];

fn music() -> &'static Screener {
    static S: OnceLock<Screener> = OnceLock::new();
    S.get_or_init(|| {
        let mut p = Policy::new();
        p.add_bundled("music-label").unwrap();
        Screener::new(&p).unwrap()
    })
}

/// `None` if the music pack blocks `post` for a piracy host over all of
/// `post[core]`, else what went wrong.
fn link_miss(post: &str, core: Range<usize>) -> Option<String> {
    let v = music().screen(post).ok()?;
    let hit = v.reasons().iter().any(|r| {
        r.rule() == "piracy.host"
            && r.span()
                .is_some_and(|s| s.start <= core.start && s.end >= core.end)
    });
    if hit && v.decision() == Decision::Block {
        return None;
    }
    let got: Vec<String> = v
        .reasons()
        .iter()
        .map(|r| format!("{} {:?}", r.rule(), r.span()))
        .collect();
    Some(format!("{post:?} wants piracy.host over {core:?}, got {got:?}"))
}

/// Disguises every locker link with `disguise` (each character to its
/// disguise, `None`: as it is) and checks each post.
fn check_links(
    disguise: &mut dyn FnMut(char) -> Option<String>,
) -> (usize, Vec<String>) {
    let mut misses = Vec::new();
    for url in LOCKER_LINKS {
        let core: String = url
            .chars()
            .map(|c| disguise(c).unwrap_or_else(|| c.to_string()))
            .collect();
        let (post, at) = plant("full album at ", &core, " enjoy");
        misses.extend(link_miss(&post, at));
    }
    (LOCKER_LINKS.len(), misses)
}

/// Runs `check_links` once per member of a class, then `check`.
fn check_link_class<T: Copy>(
    class: &str,
    members: impl IntoIterator<Item = T>,
    mut disguise: impl FnMut(T, char) -> Option<String>,
) -> usize {
    let (mut tried, mut misses) = (0, Vec::new());
    for m in members {
        let (n, mut missed) = check_links(&mut |c| disguise(m, c));
        tried += n;
        misses.append(&mut missed);
    }
    check(class, tried, misses);
    tried
}

fn is_mark(c: char, category: GeneralCategory) -> bool {
    c.general_category() == category
}

/// combining-marks: every nonspacing mark (Mn) after every letter and
/// digit of a blocked link; IDNA would keep most of them in the host,
/// the reader does not.
#[test]
fn link_combining_marks() {
    let marks =
        all_chars().filter(|&c| is_mark(c, GeneralCategory::NonspacingMark));
    let tried = check_link_class("combining-marks", marks, |m, c| {
        c.is_ascii_alphanumeric().then(|| format!("{c}{m}"))
    });
    assert!(tried >= 2 * 1800, "{tried}");
}

/// enclosing-marks: every enclosing mark (Me: the circle, square and
/// keycap U+20DD, U+20DE, U+20E3 …) after every letter and digit.
#[test]
fn link_enclosing_marks() {
    let marks =
        all_chars().filter(|&c| is_mark(c, GeneralCategory::EnclosingMark));
    let tried = check_link_class("enclosing-marks", marks, |m, c| {
        c.is_ascii_alphanumeric().then(|| format!("{c}{m}"))
    });
    assert!(tried >= 2 * 10, "{tried}");
}

/// math-alphanumeric + combining-marks: every style of the Mathematical
/// Alphanumeric Symbols whose NFKC is the letter, with a mark after each.
#[test]
fn link_math_alphanumeric_with_combining_marks() {
    // Every styled letter (and digit) by the ASCII character it stands for.
    let styled: Vec<(char, char)> = (0x1D400..=0x1D7FFu32)
        .filter_map(char::from_u32)
        .filter_map(|m| {
            let n: String = m.to_string().nfkc().collect();
            let c = n.chars().next()?;
            (n.len() == 1 && c.is_ascii_alphanumeric()).then_some((m, c))
        })
        .collect();
    // One post per style: the k-th styled form of each character.
    let tried = check_link_class("math-alphanumeric", 0..13, |k, c| {
        let forms: Vec<char> =
            styled.iter().filter(|(_, a)| *a == c).map(|(m, _)| *m).collect();
        let m = *forms.get(k % forms.len().max(1))?;
        Some(format!("{m}\u{0334}\u{0301}"))
    });
    assert!(tried >= 2 * 13, "{tried}");
}

/// enclosed-alphanumerics and negative-squared: parenthesised, circled,
/// squared and negative circled or squared letters, and every dingbat or
/// enclosed digit, for each character of a blocked link.
#[test]
fn link_enclosed_and_negative_squared_letters() {
    // (first small letter or 0, first capital or 0, first digit 1 or 0)
    let styles: &[(u32, u32, u32)] = &[
        (0x249C, 0, 0x2474),       // ⒜ ⑴ parenthesised
        (0x24D0, 0x24B6, 0x2460),  // ⓐ Ⓐ ① circled
        (0, 0x1F130, 0x2776),      // 🄰 squared, ❶
        (0, 0x1F150, 0x2780),      // 🅐 negative circled, ➀
        (0, 0x1F170, 0x278A),      // 🅰 negative squared, ➊
        (0x249C, 0x1F170, 0x2488), // ⒜ 🅰 ⒈ mixed
    ];
    let at = |base: u32, k: u32| char::from_u32(base + k).map(String::from);
    let tried =
        check_link_class("enclosed-alphanumerics", styles.iter(), |s, c| {
            let (small, cap, one) = *s;
            match c {
                'a'..='z' | 'A'..='Z' => {
                    let k = c.to_ascii_lowercase() as u32 - 'a' as u32;
                    if small != 0 && (cap == 0 || c.is_ascii_lowercase()) {
                        at(small, k)
                    } else {
                        at(cap, k)
                    }
                }
                '1'..='9' => at(one, c as u32 - '1' as u32),
                _ => None,
            }
        });
    assert!(tried >= 2 * 6, "{tried}");
}

/// small-caps: every small capital letter of the generators' alphabet
/// (IPA and Phonetic Extensions), in the scheme, host and path.
#[test]
fn link_small_caps() {
    const SC: &str = "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘqʀꜱᴛᴜᴠᴡxʏᴢ";
    let sc: Vec<char> = SC.chars().collect();
    check_link_class("small-caps", [()], |(), c| {
        c.is_ascii_lowercase()
            .then(|| sc[(c as u8 - b'a') as usize].to_string())
    });
}

/// Every letter of `block` whose UTS #39 skeleton is one ASCII letter,
/// by that letter (lower case).
fn lookalikes_in(block: std::ops::RangeInclusive<u32>) -> Vec<(char, char)> {
    block
        .filter_map(char::from_u32)
        .filter(|c| c.is_alphabetic())
        .filter_map(|c| {
            let s: String =
                unicode_security::skeleton(&c.to_string()).collect();
            let mut letters = s.chars().filter(|l| l.is_alphanumeric());
            match (letters.next(), letters.next()) {
                (Some(l), None) if l.is_ascii_alphabetic() => {
                    Some((c, l.to_ascii_lowercase()))
                }
                _ => None,
            }
        })
        .collect()
}

/// Runs one post per look-alike of `table`: it stands for every
/// occurrence of its letter, in a link written in `case`.
fn check_lookalike_links(class: &str, table: &[(char, char)], upper: bool) {
    let (mut tried, mut misses) = (0, Vec::new());
    for &(look, letter) in table {
        for url in LOCKER_LINKS {
            let url = if upper { url.to_uppercase() } else { url.to_string() };
            if !url.to_ascii_lowercase().contains(letter) {
                continue;
            }
            let core: String = url
                .chars()
                .map(|c| match c.to_ascii_lowercase() == letter {
                    true => look,
                    false => c,
                })
                .collect();
            let (post, at) = plant("Link: ", &core, "");
            tried += 1;
            misses.extend(link_miss(&post, at));
        }
    }
    check(class, tried, misses);
}

/// other-lookalikes: every Lisu and Cherokee letter that UTS #39 reads
/// as a Latin letter, in a link written in capitals (both scripts look
/// like Latin capitals).
#[test]
fn link_lisu_and_cherokee_capitals() {
    let mut table = lookalikes_in(0xA4D0..=0xA4FF);
    table.extend(lookalikes_in(0x13A0..=0x13F5));
    assert!(table.len() >= 40, "{}", table.len());
    check_lookalike_links("other-lookalikes", &table, true);
}

/// greek-lookalikes (with soft hyphens): every Greek letter that UTS #39
/// reads as a Latin letter, including `η` (`n` with a mark) and `τ` (a
/// small capital `ᴛ`), with a soft hyphen after it.
#[test]
fn link_greek_lookalikes() {
    let table: Vec<(char, char)> = lookalikes_in(0x0370..=0x03FF)
        .into_iter()
        .chain([('\u{03B7}', 'n'), ('\u{03C4}', 't'), ('\u{03C1}', 'p')])
        .collect();
    assert!(table.len() >= 15, "{}", table.len());
    check_lookalike_links("greek-lookalikes", &table, false);
    let post = "full album at h\u{3C4}\u{3C4}\u{3C1}s://m\u{AD}eg\u{AD}a.\u{3B7}z/f\u{AD}\u{3B9}le";
    assert_eq!(link_miss(post, 14..post.len()), None);
}

/// rlo-reversed: a link stored backwards under a right-to-left override
/// (inside an isolate or not) is read in display order; the span covers
/// the stored bytes.
#[test]
fn link_rlo_reversed() {
    let (mut tried, mut misses) = (0, Vec::new());
    for url in LOCKER_LINKS {
        let rev: String = url.chars().rev().collect();
        for (open, close) in [("", ""), ("\u{2067}", "\u{2069}")] {
            let core = format!("{open}\u{202E}{rev}\u{202C}{close}");
            let (post, at) = plant("grab it here: ", &core, " enjoy");
            let inner = at.start + open.len() + 3..at.end - close.len() - 3;
            tried += 1;
            misses.extend(link_miss(&post, inner));
        }
    }
    check("rlo-reversed", tried, misses);
}

/// defanged-link: a dot set off by spaces before a path, `[://]` as the
/// scheme's separator, and both in fullwidth forms.
#[test]
fn link_defanged_spaced_dot() {
    let (mut tried, mut misses) = (0, Vec::new());
    for core in [
        "mega . nz/file/Zx81kLmN",
        "www . mediafire . com/file/abc123/album.zip",
        "hxxps[://]mega . nz/file/Zx81kLmN",
        "https[://]mega[.]nz/file/Zx81kLmN",
        "hxxp[:]//www.mediafire.com/file/abc123",
        "ｈｘｘｐｓ［：／／］ｍｅｇａ ． ｎｚ／ｆｉｌｅ／Ｚｘ８１ｋＬｍＮ",
    ] {
        let (post, at) = plant("full album at ", core, " enjoy");
        tried += 1;
        misses.extend(link_miss(&post, at));
    }
    check("defanged-link", tried, misses);
    // A spaced dot without a path after it ends a sentence.
    for post in [
        "It was done . Then we left",
        "the file . then run make",
        "cp -r . foo/bar",
    ] {
        let v = fin().screen(post).unwrap();
        assert_eq!(
            v.decision(),
            Decision::Allow,
            "{post:?}: {:?}",
            v.reasons()
        );
    }
}

// --- wt-digits ---

/// Keys with a published prefix and length, cut by spaces, tabs, line
/// breaks (with indentation, a bullet or a quote marker) or ` - `, also
/// with Cyrillic look-alikes: the split key is joined again.
#[test]
fn secret_split() {
    let aws = "secret.aws-access-key";
    let gh = "secret.github-token";
    check_cases(
        "secret-split",
        &[
            ("use key ", "AKIA4QWERT  YZ7UIOP2XC", aws),
            ("use key ", "AKIA4QW\r\nERTYZ7U\r\nIOP2XC", aws),
            ("use key ", "AKIA4QWERTYZ\n  7UIOP2XC", aws),
            ("use key ", "AKIA4QWERTYZ7UI\n- OP2XC", aws),
            ("use key ", "AKIA4QWERTYZ7U\n\u{2022} IOP2XC", aws),
            ("use key ", "ASIA4QWERTYZ7U\n> IOP2XC", aws),
            ("use key ", "AKIA4QWERTYZ7U\tIOP2XC", aws),
            ("use key ", "ghp_R2d4E8 f0G1h3J5k7 L9m2N4p6Q8 r0S2t4V6w8", gh),
            ("use key ", "ghp_R2d4E8  f0G1h3J5k7  L9m2N4p6Q8  r0S2t4V6w8", gh),
            ("use key ", "gho_R2d4E8f0G1h3J5k7L9m2N4p6Q8\nr0S2t4V6w8", gh),
            // Cyrillic look-alikes in the pieces.
            ("key ", "\u{410}KI\u{410}4QW\n\u{415}RTYZ7U\nI\u{41E}\u{420}2X\u{421}", aws),
            ("key ", "A\u{41A}\u{406}A4 - QW\u{415}R\u{422} - YZ7U\u{406} - OP2X\u{421}", aws),
            ("key ", "gh\u{440}_R2d4\u{415}8 - f0G1h3J5k7 - L9m2N4\u{440}6Q8 - r0S2t4V6w8", gh),
            (
                "token ",
                "npm_a8Kd02jfPq 91zXbV7yTn3 Lm0Wc5Hs2Qe4Rx7",
                "secret.service-token",
            ),
            ("token ", "glpat-Xy3k9 Lm2Pq8 Rt5Wz1Q9v", "secret.service-token"),
        ],
    );
}

/// Markdown marks inside a key, also inside its prefix (`||gh||p_`).
#[test]
fn secret_split_markdown() {
    let aws = "secret.aws-access-key";
    let gh = "secret.github-token";
    check_cases(
        "secret markdown",
        &[
            ("Config _", "AKIA4Q_WERTYZ7UIOP2XC", aws),
            ("key ~~", "AKIA4QWERTYZ7U~~IOP2XC", aws),
            ("key ~~", "AKIA4QWERTYZ7UIOP~~2XC", aws),
            ("key _", "AKIA4QW_ERTYZ7UIOP2XC", aws),
            ("key ~~", "A~~KIA4QWERTYZ7UIOP2XC", aws),
            ("key **", "ghp_R2d4E8f0G1**h3J5k7L9m2N4p6Q8r0S2t4V6w8", gh),
            ("key ||", "gh||p_R2d4E8f0G1h3J5k7L9m2N4p6Q8r0S2t4V6w8", gh),
            ("key __", "ghp_R2d4E8f0__G1h3J5k7L9m2N4p6Q8r0S2t4V6w8", gh),
            ("key `", "ghp_R2d4E8f0G`1h3J5k7L9m2N4p6Q8r0S2t4V6w8", gh),
        ],
    );
}

/// Prose that starts like a key prefix, and keys one character short or
/// long once joined, stay clean.
#[test]
fn secret_prefixes_in_prose_stay_clean() {
    for s in [
        "Asia Pacific 2024 tour, dates TBA soon",
        "asia 2024 q3 results for the region are in",
        "AKIA4QWERT YZ7UIOP2X for the stems bucket",
        "AKIA4QWERT YZ7UIOP2XCD for the stems bucket",
        "ghp_R2d4E8 is a placeholder and so is this",
        "the hf_ prefix is for Hugging Face tokens and more",
    ] {
        let v = fin().screen(s).unwrap();
        assert_eq!(v.decision(), Decision::Allow, "{s:?}: {:?}", v.reasons());
    }
}

/// Markdown `_`/`__` that opens or closes a digit run (` _5555 …4444_ `):
/// the number's edge is where the mark is.
#[test]
fn markdown_around_digit_groups() {
    check_cases(
        "markdown around digits",
        &[
            ("card __", "4111__ 1111 __1111__ __1111", "pii.payment-card"),
            ("card _", "5555 5555 5555 4444", "pii.payment-card"),
            ("card __", "6011-1111-11__11-1117", "pii.payment-card"),
            ("card _", "6011-1111-1111_-1117", "pii.payment-card"),
            ("SSN _", "078-05-11_23", "pii.us-ssn-unformatted"),
        ],
    );
}

/// `|` between digits read as a separator when reading it as a `1` gives
/// no number (`0|7\u{200C}8\u{200D}0…`).
#[test]
fn bar_between_digits_next_to_zero_width() {
    check_cases(
        "bar between digits",
        &[
            (
                "card ",
                "3\u{200D}7\u{200C}8\u{2060}2|8\u{2060}2\u{200C}2|4\u{FEFF}6\u{FEFF}3\u{200C}1|0|0\u{2060}0\u{200D}5",
                "pii.payment-card",
            ),
            (
                "social security number ",
                "0|7\u{200C}8\u{200D}0\u{2060}5\u{200B}1|1\u{FEFF}2\u{FEFF}3",
                "pii.us-ssn-unformatted",
            ),
            ("card ", "6011|1111|1111|1117", "pii.payment-card"),
        ],
    );
}

/// Letters for digits as whole groups next to separators (`| lΟ |`,
/// `-I-`), and inside a dotted run (`53.62.28.I4.7`).
#[test]
fn letters_for_digits_next_to_separators() {
    check_cases(
        "letters for digits next to separators",
        &[
            (
                "card ",
                "\u{417}78 | 282 | 24\u{431}3 | l\u{39F} | \u{39F}05",
                "pii.payment-card",
            ),
            (
                "card ",
                "\u{431}-0-l-\u{4CF}-I1I1-11-I11-I-I-7",
                "pii.payment-card",
            ),
            (
                "card ",
                "\u{431}/0I1|l/\u{4CF}/1l/I1||/I/17",
                "pii.payment-card",
            ),
            (
                "social security number ",
                "53.62.28.I4.7",
                "pii.us-ssn-unformatted",
            ),
        ],
    );
}

/// IBANs joined by ` / `, ` - `, `|`, `~`, `, ` or a bulleted line break,
/// regrouped in threes or odd groups, any case, with letters for digits.
#[test]
fn iban_any_grouping() {
    let iban = "pii.iban";
    check_cases(
        "iban grouping",
        &[
            ("send it to ", "GB82 / WEST / 1234 / 5698 / 7654 / 32", iban),
            ("send it to ", "GB82 - WEST - 1234 - 5698 - 7654 - 32", iban),
            ("send it to ", "GB82|WEST|1234|5698|7654|32", iban),
            ("send it to ", "DE89~3704~0044~0532~0130~00", iban),
            ("send it to ", "DE89, 3704, 0044, 0532, 0130, 00", iban),
            ("send it to ", "gb8 2we st1 234 569 876 543 2", iban),
            ("send it to ", "DE8 937 040 044 053 201 300 0", iban),
            ("send it to ", "de8937 040044 0532 01300 0", iban),
            ("send it to ", "DE89\n- 3704 0044 0532 0130 00", iban),
            (
                "send it to ",
                "DE89 37o4 0o44 o5\u{417}2 01\u{417}o \u{39F}o",
                iban,
            ),
            (
                "send it to ",
                "GB82 . WEST . I2\u{417}4 . 5698 . 7\u{431}54 . \u{417}2",
                iban,
            ),
        ],
    );
}

/// Groups that look like an IBAN's but fail its checksum, and words with
/// the letters that stand for digits between numbers, stay clean.
#[test]
fn iban_lookalikes_and_letter_groups_stay_clean() {
    for s in [
        "send it to DE89 / 3704 / 0044 / 0532 / 0130 / 01 by Friday",
        "gb8 2we st1 234 569 876 543 3 is not it",
        "at 10 30 2024 12 05 we meet, io 5 - 6 lo",
        "build_4111111111111111_x is a test id",
        "room 3 | lo | 5 and 6 | io | 7",
        // Real texts (jargon, a Spanish man page) a first cut read as IBANs.
        "(The next cartoon in the Crunchly saga is 75-10-04. The previous cartoon was 74-12-29.)",
        "El valor predeterminado de tam_buf es 32 kB, y el tama\u{F1}o m\u{E1}ximo",
    ] {
        let v = fin().screen(s).unwrap();
        assert_eq!(v.decision(), Decision::Allow, "{s:?}: {:?}", v.reasons());
    }
}

// --- wt-leet ---

/// [`miss`] with another screener.
fn miss_in(
    s: &Screener,
    post: &str,
    core: Range<usize>,
    rule: &str,
) -> Option<String> {
    let v = match s.screen(post) {
        Ok(v) => v,
        Err(e) => return Some(format!("{post:?}: {e}")),
    };
    let hit = v.reasons().iter().any(|r| {
        r.rule() == rule
            && r.span()
                .is_some_and(|s| s.start <= core.start && s.end >= core.end)
    });
    let got: Vec<String> = v
        .reasons()
        .iter()
        .map(|r| format!("{} {:?}", r.rule(), r.span()))
        .collect();
    (!hit).then(|| format!("{post:?} wants {rule} over {core:?}, got {got:?}"))
}

/// Terms of both bundled packs with their rules: between them every
/// letter that a leetspeak symbol stands for, at the start of a word, in
/// it and at its end.
const LEET_TERMS: &[(&str, &str, bool)] = &[
    // (term, rule, in the music pack)
    ("guaranteed returns", "promissory.guarantee", false),
    ("guaranteed profits", "promissory.guarantee", false),
    ("insider information", "mnpi.nonpublic", false),
    ("you can't lose", "promissory.no-risk", false),
    ("double your money", "promissory.get-rich", false),
    ("zero risk investment", "promissory.no-risk", false),
    ("get rich quick", "promissory.get-rich", false),
    ("break the embargo", "embargo.break", true),
    ("pirate bay", "piracy.site", true),
    ("flac rip", "piracy.download", true),
    ("free mp3 download", "piracy.download", true),
];

/// Every leetspeak disguise of the terms: each entry of the table for
/// each letter it stands for, in every place that letter has in a term
/// (all of them at once), joined by `join`. Yields the post, where the
/// disguise is, the rule, the screener, and whether a stand-in began a
/// word.
fn leet_posts(
    join: &str,
) -> Vec<(String, Range<usize>, &'static str, &'static Screener, bool)> {
    let mut out = Vec::new();
    for &(leet, letters) in preclear::LEETSPEAK {
        for l in letters.chars() {
            for &(term, rule, is_music) in LEET_TERMS {
                if !term.contains(l) {
                    continue;
                }
                let words: Vec<String> = term
                    .split(' ')
                    .map(|w| w.replace(l, &leet.to_string()))
                    .collect();
                let at_start = term.split(' ').any(|w| w.starts_with(l));
                let (post, core) =
                    plant("Join today: ", &words.join(join), " for everyone");
                let s = if is_music { music() } else { fin() };
                out.push((post, core, rule, s, at_start));
            }
        }
    }
    out
}

/// Class `leet-symbols`: every stand-in of the table wherever its letter
/// stands, at the start of a word too (`!nsider`, `(an't`, `|0se`, `+he`,
/// `€m8arg0`), and `+` for `t` (`re+urns`).
#[test]
fn leet_symbols() {
    let (mut tried, mut misses, mut starts) = (0, Vec::new(), 0);
    for (post, core, rule, s, at_start) in leet_posts(" ") {
        tried += 1;
        starts += usize::from(at_start);
        misses.extend(miss_in(s, &post, core, rule));
    }
    assert!(tried >= 60 && starts >= 20, "{tried} {starts}");
    check("leet-symbols", tried, misses);
}

/// Class `leet-symbols + emoji-separators`: the same, with words joined
/// by emoji, spaced or not.
#[test]
fn leet_symbols_with_emoji_separators() {
    let (mut tried, mut misses) = (0, Vec::new());
    for join in [" \u{1F44F} ", "\u{1F680}", " \u{27A1}\u{FE0F} ", "\u{1F525}"]
    {
        for (post, core, rule, s, _) in leet_posts(join) {
            tried += 1;
            misses.extend(miss_in(s, &post, core, rule));
        }
    }
    check("leet-symbols + emoji-separators", tried, misses);
}

/// The marks a reader skips when one is injected between two letters:
/// every ASCII punctuation and symbol character but the apostrophe and
/// the backtick (an apostrophe splits `I'll`, which is not `ill`), and
/// every punctuation character of Latin-1 and General Punctuation that
/// NFKC leaves a single mark and preclear does not read as an apostrophe,
/// a quote or a space.
fn injected_marks() -> Vec<char> {
    let apostrophes =
        ['\u{2018}', '\u{2019}', '\u{201B}', '\u{2032}', '\u{2035}', '\u{B4}'];
    let quotes = ['\u{201C}', '\u{201D}', '\u{201E}', '\u{201F}', '\u{2033}'];
    let ascii = (0x21..0x7Fu8)
        .map(char::from)
        .filter(|c| c.is_ascii_punctuation() && !matches!(c, '\'' | '`'));
    let unicode = (0xA1..=0xBFu32).chain(0x2010..=0x205E).filter_map(|cp| {
        let c = char::from_u32(cp)?;
        let punct = matches!(
            c.general_category(),
            GeneralCategory::DashPunctuation
                | GeneralCategory::OtherPunctuation
                | GeneralCategory::ConnectorPunctuation
                | GeneralCategory::MathSymbol
        );
        let n: Vec<char> = c.nfkc().collect();
        let single =
            n.len() == 1 && !n[0].is_alphanumeric() && !n[0].is_whitespace();
        (punct && single && !apostrophes.contains(&c) && !quotes.contains(&c))
            .then_some(c)
    });
    ascii.chain(unicode).collect()
}

/// `term` with `marks` injected between every two letters of each word,
/// taking them in turn from `marks[from..]`.
fn inject(term: &str, marks: &[char], from: usize) -> String {
    let mut i = from;
    term.split(' ')
        .map(|w| {
            let mut out = String::new();
            let mut prev = None;
            for c in w.chars() {
                // Not next to the apostrophe of `can't`.
                if prev.is_some_and(|p| p != '\'') && c != '\'' {
                    out.push(marks[i % marks.len()]);
                    i += 1;
                }
                out.push(c);
                prev = Some(c);
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Class `punctuation-injection`: any one mark between every two letters,
/// the same mark throughout (`v.i.a.g.r.a`) or a different one each time
/// (`y·o_u c+a,n't l|o~s-e`), `|` and `+` included though they also stand
/// for letters.
#[test]
fn punctuation_injection() {
    let marks = injected_marks();
    assert!(marks.len() >= 60, "{}", marks.len());
    let (mut tried, mut misses) = (0, Vec::new());
    for (n, &(term, rule, is_music)) in LEET_TERMS.iter().enumerate() {
        let s = if is_music { music() } else { fin() };
        let mut written: Vec<String> =
            marks.iter().map(|&m| inject(term, &[m], 0)).collect();
        written.push(inject(term, &marks, n));
        written.push(inject(term, &marks, 7 * n + 3));
        for w in written {
            let (post, core) = plant("Join today: ", &w, " for everyone");
            tried += 1;
            misses.extend(miss_in(s, &post, core, rule));
        }
    }
    check("punctuation-injection", tried, misses);
}

/// Class `small-caps + punctuation-injection`: small capitals with marks
/// injected, the same or mixed (`ɢ*ᴜ.ᴀ~ʀ.ᴀ•ɴ~ᴛ|ᴇ*ᴇ+ᴅ`).
#[test]
fn small_caps_with_punctuation_injection() {
    const SC: &str = "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘqʀꜱᴛᴜᴠᴡxʏᴢ";
    let sc: Vec<char> = SC.chars().collect();
    let small = |t: &str| -> String {
        t.chars()
            .map(|c| match c {
                'a'..='z' => sc[(c as u8 - b'a') as usize],
                c => c,
            })
            .collect()
    };
    let marks: Vec<char> = "._*-\u{B7}\u{2022}|/~+,".chars().collect();
    let (mut tried, mut misses) = (0, Vec::new());
    for (n, &(term, rule, is_music)) in LEET_TERMS.iter().enumerate() {
        let s = if is_music { music() } else { fin() };
        let mut written: Vec<String> =
            marks.iter().map(|&m| inject(&small(term), &[m], 0)).collect();
        written.push(inject(&small(term), &marks, n));
        for w in written {
            let (post, core) = plant("DM me, ", &w, " this quarter");
            tried += 1;
            misses.extend(miss_in(s, &post, core, rule));
        }
    }
    check("small-caps + punctuation-injection", tried, misses);
}

/// Class `markdown`, inside terms: Discord spoilers (`||…||`) and the
/// other delimiters around some words of a term or part of one, `|`
/// being a leetspeak letter too.
#[test]
fn markdown_around_words_of_a_term() {
    let (mut tried, mut misses) = (0, Vec::new());
    for (open, close) in
        [("||", "||"), ("**", "**"), ("__", "__"), ("~~", "~~"), ("`", "`")]
    {
        for &(term, rule, is_music) in LEET_TERMS {
            let s = if is_music { music() } else { fin() };
            let words: Vec<&str> = term.split(' ').collect();
            let wrap = |w: &str| format!("{open}{w}{close}");
            let mut written: Vec<String> = (0..words.len())
                .map(|i| {
                    let mut ws: Vec<String> =
                        words.iter().map(|w| w.to_string()).collect();
                    ws[i] = wrap(words[i]);
                    ws.join(" ")
                })
                .collect();
            written.push(
                words.iter().map(|w| wrap(w)).collect::<Vec<_>>().join(" "),
            );
            let first: Vec<char> = words[0].chars().collect();
            let cut = first.len() / 2;
            written.push(format!(
                "{open}{}{close}{}{}",
                first[..cut].iter().collect::<String>(),
                first[cut..].iter().collect::<String>(),
                &term[words[0].len()..]
            ));
            for w in written {
                let (post, core) = plant("ok so ", &w, " tonight");
                // The reason may start inside the opening delimiter.
                let core = core.start + open.len()..core.end - close.len();
                tried += 1;
                misses.extend(miss_in(s, &post, core, rule));
            }
        }
    }
    check("markdown inside terms", tried, misses);
}

/// What reading symbols at the start of words and `|`/`+` as marks must
/// not do: handles, cashtags, brackets, shell pipes and sums stay what
/// they are, a sentence break never joins words, and a spelled-out word
/// does not hold a shorter one.
#[test]
fn handles_cashtags_brackets_and_pipes_stay_clean() {
    let src = r#"
[pack]
name = "leet-clean"
version = "1.0.0"

[[rules]]
id = "t.words"
kind = "terms"
terms = ["cash", "sell", "able", "ill", "ass", "risk free", "insider"]
category = "test"
score = 100
message = "term"
"#;
    let mut p = Policy::new();
    p.add_toml("leet-clean.toml", src).unwrap();
    let s = Screener::new(&p).unwrap();
    for post in [
        "paid in (ash) and coins",
        "thanks @ble and @ss_team for the help",
        "$ELL and $ONE are up today",
        "a first class act, c|l|a|s|s even",
        "run ls |grep -v foo and c++ or g++ in a|b|c|d",
        "at risk. Free coffee for everyone",
        "at risk. - free coffee",
        "x!nsider news, our $ELL position",
        "2+2 is 4, i+l is ok",
    ] {
        let v = s.screen(post).unwrap();
        assert_eq!(
            v.decision(),
            Decision::Allow,
            "{post:?}: {:?}",
            v.reasons()
        );
    }
    // The same words, disguised, still count.
    for post in ["we (ash out", "ca$h now", "s|e|l|l now", "risk+free"] {
        let v = s.screen(post).unwrap();
        assert_ne!(v.decision(), Decision::Allow, "{post:?}");
    }
}
