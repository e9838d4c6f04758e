//! The street-type words the address entity knows, in English, Spanish,
//! Catalan, French, Portuguese and German: the common suffixes of USPS
//! Publication 28 and Royal Mail, the Spanish types of way, the German
//! endings of street names. Words that also end ordinary phrases before
//! a number ("trail", "walk", "ronda") are left out.

/// Street-type words written after the name ("221b baker street").
pub(super) const STREET_AFTER: &[&str] = &[
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "lane",
    "ln",
    "boulevard",
    "blvd",
    "drive",
    "dr",
    "way",
    "court",
    "ct",
    "place",
    "pl",
    "terrace",
    "close",
    "crescent",
    "row",
    "grove",
    "gardens",
    // More of the common suffixes of USPS Publication 28 and Royal Mail.
    "square",
    "mews",
    "parkway",
    "pkwy",
    "heights",
    "highway",
    "hwy",
    "circle",
    "rise",
    "wharf",
    "sq",
    "alley",
    "esplanade",
    "parade",
    "quay",
    "embankment",
];
/// Street-type words written before the name ("calle mayor 5").
pub(super) const STREET_BEFORE: &[&str] = &[
    "calle",
    "avenida",
    "avda",
    "av",
    "plaza",
    "paseo",
    "carrer",
    "c",
    "travesia",
    "rambla",
    "glorieta",
    "camino",
    "pasaje",
    "carretera",
    "ctra",
    "callejon",
    "bulevar",
    "rue",
    "rua",
];
/// Street-type endings of one-word street names ("hauptstrasse 12").
pub(super) const STREET_SUFFIX: &[&str] = &[
    "strasse",
    "stra\u{df}e",
    "str",
    "weg",
    "platz",
    "allee",
    "gasse",
    "damm",
    "ufer",
    "steig",
    "chaussee",
    "zeile",
    "graben",
];

/// Words inside a street's name that do not count among its words: "calle
/// de los almendros 14", "rua das flores 12", "avenida de la paz 3".
pub(super) const STREET_PARTICLES: &[&str] = &[
    "de", "del", "la", "las", "los", "el", "y", "i", "dels", "les", "du",
    "des", "da", "do", "das", "dos",
];
