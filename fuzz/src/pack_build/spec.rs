//! What a `pack_build` input decodes to: packs, rules, overrides,
//! exceptions and posts, as `arbitrary` types, and the lists their
//! indices pick from.

use arbitrary::Arbitrary;

/// Words for terms, context, exceptions and posts: phrases the bundled
/// packs know, short and one-letter words, apostrophes and hyphens,
/// ligatures, case-folding oddities, other scripts, digits, an emoji.
pub(super) const WORDS: &[&str] = &[
    "guaranteed",
    "guaranteed returns",
    "card",
    "ssn",
    "iban",
    "account",
    "routing",
    "project falcon",
    "can't lose",
    "insider",
    "#ad",
    "sponsored",
    "past performance",
    "internal use only",
    "password",
    "a",
    "ab",
    "x-ray",
    "o'neil",
    "über",
    "naïve",
    "ﬁnance",
    "straße",
    "İstanbul",
    "数字",
    "пароль",
    "ΑΒΓ",
    "١٢٣",
    "42",
    "2026",
    "the",
    "a b",
    "🚀",
    "e\u{301}",
];

/// Numbers that validators accept (and a few they reject), in the
/// groupings people write.
pub(super) const NUMBERS: &[&str] = &[
    "4111 1111 1111 1111",
    "4111111111111111",
    "5500-0000-0000-0004",
    "3782 822463 10005",
    "4111 1111 1111 1112",
    "DE89 3704 0044 0532 0130 00",
    "GB82WEST12345698765432",
    "078-05-1120",
    "219 09 9999",
    "123456789",
    "011000015",
    "021000021",
    "12345678",
    "2026-01-15",
    "+1 (555) 010-9999",
    "０７８-０５-１１２０",
    "４１１１ １１１１ １１１１ １１１１",
    "4111\u{200b}1111\u{200b}1111\u{200b}1111",
    "٤١١١١١١١١١١١١١١١",
];

/// Unicode that normalisation has opinions about.
pub(super) const UNICODE: &[&str] = &[
    "\u{200b}",
    "\u{200d}",
    "\u{feff}",
    "\u{301}",
    "\u{a0}",
    "\u{2009}",
    "\u{3000}",
    "\u{202e}",
    "\u{85}",
    "\u{2028}",
    "\r\n",
    "🎉",
    "👍🏽",
    "🇺🇸",
    "ß",
    "İ",
    "ﬁ",
    "Ⅻ",
    "①",
    "𝐠𝐮𝐚𝐫",
    "ǅ",
    "ｇｕａｒ",
    "א",
    "한국어",
    "ꙮ",
    "\u{fffd}",
];

/// Hosts for link rules and URLs in posts.
pub(super) const HOSTS: &[&str] = &[
    "example.com",
    "sub.example.com",
    "bit.ly",
    "paypal.com",
    "paypa1.com",
    "acmebank.com",
    "xn--pple-43d.com",
    "аpple.com",
    "münchen.de",
    "localhost",
    "1.2.3.4",
    "a.b.c.d.e.f",
];

pub(super) const CATEGORIES: &[&str] =
    &["", "pii", "secret", "promissory", "internal", "link", "fuzz"];

/// Dates around the fixed dates screened as of (the first four).
pub(super) const DATES: &[&str] =
    &["2025-12-31", "2026-01-01", "2026-01-15", "2026-06-30", "2024-02-29"];

/// Concept names: the bundled packs' (so `add_terms` extends them) and
/// new ones.
pub(super) const CONCEPTS: &[&str] = &[
    "certainty",
    "return",
    "secrecy",
    "material-event",
    "gain",
    "figure",
    "contact",
    "fuzz-a",
    "fuzz-b",
    "fuzz-c",
];

/// Built-in entities (and one that does not exist, rarely picked).
pub(super) const ENTITIES: &[&str] = &[
    "percent", "money", "date", "ticker", "url", "email", "phone", "address",
    "seed_phrase", "person", "password", "percent", "money", "nonsense",
];

/// Languages for `inflect` (and one that is refused).
pub(super) const LANGUAGES: &[&str] =
    &["en", "es", "de", "en", "es", "de", "en", "fr"];

/// What a negated, quoted or reported hit does.
pub(super) const STANCES: &[&str] = &["keep", "warn", "ignore"];

/// Windows beyond numbers.
pub(super) const SCOPES: &[&str] = &["clause", "sentence", "post"];

/// Words that make a hit negated, quoted or reported, and sentence and
/// clause breaks, for posts.
pub(super) const STANCE_WORDS: &[&str] = &[
    "not",
    "never",
    "nobody can",
    "there is no such thing as a",
    "no way you can",
    "\"",
    "\u{201c}",
    "\u{201d}",
    "phrases like",
    "scam",
    "report it",
    "is banned",
    "if someone promises",
    "no",
    "nunca",
    "nicht",
    ". ",
    "; ",
    ", but",
    " \u{2014} ",
    "\n\n",
    "\n- ",
];

/// Text the built-in entities recognise.
pub(super) const ENTITY_TEXTS: &[&str] = &[
    "6%",
    "12,5 %",
    "$5m",
    "€1.200",
    "12 June",
    "next week",
    "by Friday",
    "Q3",
    "$ABCD",
    "https://x.example/y",
    "jane.doe@example.com",
    "+1 (555) 010-9999",
    "221B Baker Street",
    "Calle Mayor 5",
];

pub(super) const SCORES: &[u32] =
    &[0, 1, 10, 29, 30, 50, 99, 100, 150, u32::MAX];

/// Separators between the pieces of a post.
pub(super) const SEPARATORS: &[&str] =
    &["\n", "-", ", ", "  ", "\t", "/", "_", ".", "\u{200b}", ": "];

/// At most this many of each list item are rendered: keeps packs small
/// and compiles fast.
pub(super) const MAX_RULES: usize = 8;
pub(super) const MAX_ITEMS: usize = 6;
pub(super) const MAX_POSTS: usize = 6;
pub(super) const MAX_PIECES: usize = 32;

/// A word, phrase or random string.
#[derive(Arbitrary, Debug)]
pub(super) enum Text {
    Word(u8),
    Phrase(u8, u8),
    Raw(String),
}

/// One piece of a regular expression; random strings are mostly invalid
/// or trivial, so patterns are built from pieces that compile.
#[derive(Arbitrary, Debug)]
pub(super) enum Atom {
    Literal(Text),
    Digits(u8),
    DigitRange(u8, u8),
    Letters(u8),
    Separator,
    Boundary,
    Alternation(Text, Text),
    Optional(Text),
    UnicodeWord,
    Any(u8),
    /// A random string, as a literal.
    Raw(String),
}

#[derive(Arbitrary, Debug)]
pub(super) enum Validator {
    None,
    Luhn,
    Iban,
    Aba,
    UsSsn,
}

#[derive(Arbitrary, Debug)]
pub(super) enum Host {
    Known(u8),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
pub(super) enum Score {
    Common(u8),
    Any(u32),
}

/// A window: a number of words (most often) or a named scope.
#[derive(Arbitrary, Debug)]
pub(super) struct Window(pub(super) u8);

#[derive(Arbitrary, Debug)]
pub(super) struct ContextSpec {
    pub(super) words: Vec<Text>,
    pub(super) window: Window,
    pub(super) score: i8,
    /// One in four is `required` (it suppresses most hits).
    pub(super) required: u8,
}

#[derive(Arbitrary, Debug)]
pub(super) struct UnlessSpec {
    pub(super) words: Vec<Text>,
    pub(super) window: Option<Window>,
}

#[derive(Arbitrary, Debug)]
pub(super) enum Kind {
    Terms(Vec<Text>),
    Pattern(Vec<Atom>, Validator),
    Required {
        trigger_terms: Vec<Text>,
        trigger_patterns: Vec<Vec<Atom>>,
        require_terms: Vec<Text>,
        require_patterns: Vec<Vec<Atom>>,
        within: Option<u16>,
    },
    Link {
        allow: Vec<Host>,
        deny: Vec<Host>,
        protect: Vec<Host>,
    },
    /// Concepts near each other; indices into [`CONCEPTS`].
    Near {
        near: Vec<u8>,
        within: Option<u8>,
        scope: Option<u8>,
        ordered: Option<bool>,
    },
    /// Weighted phrases (weights in tenths), a bias and a threshold.
    Score {
        weights: Vec<(Text, i16)>,
        bias: i16,
        threshold: i16,
    },
}

/// A `[concepts.NAME]` table: new, or `add_terms` to one beneath.
#[derive(Arbitrary, Debug)]
pub(super) struct ConceptSpec {
    pub(super) name: u8,
    pub(super) add: u8,
    pub(super) terms: Vec<Text>,
    pub(super) entities: Vec<u8>,
    pub(super) patterns: Vec<Vec<Atom>>,
    pub(super) inflect: Option<u8>,
}

/// What a rule does with negated, quoted and reported hits.
#[derive(Arbitrary, Debug)]
pub(super) struct StanceSpec {
    pub(super) negated: Option<u8>,
    pub(super) quoted: Option<u8>,
    pub(super) reported: Option<u8>,
}

/// Rarely, something invalid in a rule, so that error paths run too
/// without making most packs fail.
#[derive(Arbitrary, Debug)]
pub(super) struct Twist {
    pub(super) what: u8,
    pub(super) text: String,
}

#[derive(Arbitrary, Debug)]
pub(super) struct RuleSpec {
    pub(super) twist: Twist,
    pub(super) kind: Kind,
    pub(super) category: u8,
    pub(super) score: Option<Score>,
    pub(super) action: Option<u8>,
    pub(super) mask: bool,
    pub(super) locked: bool,
    pub(super) whole_word: Option<bool>,
    pub(super) evasion: Option<bool>,
    pub(super) context: Vec<ContextSpec>,
    pub(super) unless: Option<UnlessSpec>,
    pub(super) stance: Option<StanceSpec>,
    pub(super) inflect: Option<u8>,
    pub(super) active_from: Option<u8>,
    pub(super) active_until: Option<u8>,
    pub(super) message: Option<Text>,
}

/// What an override names: a rule of the packs beneath, a category, or
/// anything.
#[derive(Arbitrary, Debug)]
pub(super) enum Target {
    Rule(u16),
    Category(u8),
    Raw(Text),
}

/// One change of an override. Several fields apply to one kind of rule
/// only, so an override makes few changes (most often one) to have a
/// chance to apply.
#[derive(Arbitrary, Debug)]
pub(super) enum Change {
    Enabled(bool),
    Action(u8),
    Score(Score),
    Message(Text),
    Terms(Vec<Text>),
    AddTerms(Vec<Text>),
    AddAllow(Vec<Host>),
    AddDeny(Vec<Host>),
    Context(Vec<ContextSpec>),
    Unless(UnlessSpec),
    Stance(StanceSpec),
    Locked(bool),
    ActiveFrom(u8),
    ActiveUntil(u8),
}

#[derive(Arbitrary, Debug)]
pub(super) struct OverrideSpec {
    pub(super) target: Target,
    pub(super) changes: Vec<Change>,
}

#[derive(Arbitrary, Debug)]
pub(super) struct ExceptionSpec {
    pub(super) rules: Vec<u16>,
    pub(super) categories: Vec<u8>,
    pub(super) terms: Vec<Text>,
    pub(super) patterns: Vec<Vec<Atom>>,
    pub(super) window: Option<Window>,
}

#[derive(Arbitrary, Debug)]
pub(super) struct PackSpec {
    pub(super) level: u8,
    /// `warn`, how far `block` is above it, `locked`.
    pub(super) thresholds: Option<(u8, u8, bool)>,
    pub(super) locked_categories: Vec<u8>,
    pub(super) concepts: Vec<ConceptSpec>,
    pub(super) rules: Vec<RuleSpec>,
    pub(super) overrides: Vec<OverrideSpec>,
    pub(super) exceptions: Vec<ExceptionSpec>,
}

/// How a term of the pack is disguised in a post.
#[derive(Arbitrary, Debug)]
pub(super) enum Style {
    Plain,
    Upper,
    Spaced,
    Dotted,
    Fullwidth,
    Leet,
    Repeated,
    Hashtag,
}

#[derive(Arbitrary, Debug)]
pub(super) enum Piece {
    /// A string of the packs (term, word, host, …), maybe disguised.
    Own(u16, Style),
    Word(u8),
    Number(u8),
    Digits(u64, u8),
    Unicode(u8),
    Url(u8, u8),
    Separator(u8),
    /// A negation, quote or report word, or a sentence or clause break.
    Stance(u8),
    /// Text a built-in entity recognises.
    Entity(u8),
    /// No space before the next piece.
    Glue,
    Raw(String),
}

/// A post starts with a string of the packs, so that rules fire.
#[derive(Arbitrary, Debug)]
pub(super) struct Post {
    pub(super) lead: u16,
    pub(super) style: Style,
    pub(super) pieces: Vec<Piece>,
}

#[derive(Arbitrary, Debug)]
pub(super) struct Input {
    /// One in eight: a bundled pack beneath the lower pack. Compiling a
    /// bundled pack is most of an input's time, hence rarely.
    pub(super) under: u8,
    /// One in eight: the lower pack `extends` a bundled pack.
    pub(super) extends: u8,
    pub(super) lower: PackSpec,
    pub(super) upper: Option<PackSpec>,
    pub(super) now: u8,
    pub(super) reveal: bool,
    pub(super) evasion: bool,
    /// Some(n) with n a multiple of 4 (one input in eight): a size limit
    /// of n bytes, so some posts are refused.
    pub(super) limit: Option<u8>,
    pub(super) posts: Vec<Post>,
}

pub(super) fn pick<'a>(list: &[&'a str], i: impl Into<usize>) -> &'a str {
    list[i.into() % list.len()]
}
