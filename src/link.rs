//! Links in posts: finding URLs with or without a scheme, normalising their
//! hosts (lower case, IDNA punycode) and recognising hosts that imitate a
//! protected one (UTS #39 confusable skeletons: `paypa1.com`, a Cyrillic
//! `аpple.com`, their punycode forms).

use std::ops::Range;

mod view;

use crate::normalize::{reader_fold, Normalized};
use view::View;

/// A link found in a post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Link {
    /// Byte range of the whole URL in the normalised post.
    pub(crate) span: Range<usize>,
    /// The host, lower-case ASCII (punycode for international names).
    pub(crate) host: String,
    /// The host as a reader reads it (the normal form), where that is
    /// another name: `mega.nz` for `m̀ega.nz`, whose IDNA form `host` is
    /// a different host. A deny list judges both; an allow list only
    /// `host`, so a look-alike of an approved host is not approved.
    pub(crate) read: Option<String>,
    /// A bare `name.ext` whose suffix is a common file extension
    /// (`setup.py`, `control.in`): a link only when a link rule lists its
    /// host (`lnkd.in`).
    pub(crate) file_like: bool,
    /// Written defanged (`hxxps://`, `example[.]com`, `example (dot)
    /// com`), the way security warnings name a host so that nobody can
    /// click it. Every list still reads it (a defanged link still says
    /// where to go); only inside a negated, quoted or reported frame is
    /// it dropped (the judge).
    pub(crate) defanged: bool,
}

/// Top-level domains that are also common file extensions. Without a
/// scheme, `www.` or a path, `name.ext` on one of them is a file name
/// unless a rule lists the host. Chosen from data (README, "Links"): the
/// TLDs of the Public Suffix List that end the names of at least ten
/// installed Debian files, or of at least ten file names inside paths in
/// the real-text corpus; and `ac` and `rs`, autoconf inputs
/// (`configure.ac`, 88 bare mentions in the corpus) and Rust sources, rare
/// among the installed files but common in READMEs.
const FILE_TLDS: &[&str] = &[
    "ac",
    "am",
    "at",
    "build",
    "cc",
    "dev",
    "download",
    "in",
    "inc",
    "map",
    "md",
    "mk",
    "mo",
    "name",
    "ph",
    "pid",
    "pl",
    "pm",
    "properties",
    "ps",
    "py",
    "rs",
    "sh",
    "so",
    "st",
    "style",
    "tab",
    "target",
    "td",
    // RFC 2606's reserved `test` (see `RESERVED_TLDS`) ends test scripts'
    // names (`nlattr.test`: 32 lines of the real-text corpus).
    "test",
    "tm",
];

/// TLDs that are also common words: without a scheme, `www.` or a path
/// they count only when the host is all lower case.
const WORDY_TLDS: &[&str] = &[
    "us", "in", "it", "to", "at", "be", "no", "me", "la", "am", "is", "so",
    "as", "do", "my", "by", "id",
];

/// First labels that name an object in code, not a host (`self.name`).
const CODE_RECEIVERS: &[&str] = &["self", "cls", "this", "super", "obj"];

fn is_host_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}
/// The host in the form lists are compared in: lower case, IDNA ASCII,
/// without a trailing dot or a leading `www.`. `None` if it is not a
/// valid host name.
pub(crate) fn normalize_host(host: &str) -> Option<String> {
    let host = host.trim().trim_end_matches('.');
    if host.is_empty() || !host.contains('.') {
        return None;
    }
    let ascii = idna::domain_to_ascii(host).ok()?;
    // IDNA maps `⒨` to `(m)` and keeps `/` and `:` (text stored reversed
    // reads `zn.agem//:sptth`): a host name has letters, digits, hyphens
    // (and underscores, seen in real subdomains) only.
    let name =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
    if ascii.is_empty()
        || !ascii.bytes().all(name)
        || ascii.split('.').any(|l| l.is_empty() || l.len() > 63)
    {
        return None;
    }
    Some(ascii.strip_prefix("www.").map(str::to_string).unwrap_or(ascii))
}

/// True if `host` is `entry` or one of its subdomains.
pub(crate) fn host_matches(host: &str, entry: &str) -> bool {
    host == entry
        || (host.len() > entry.len()
            && host.ends_with(entry)
            && host.as_bytes()[host.len() - entry.len() - 1] == b'.')
}

/// The confusable skeleton of a host (ASCII, as `normalize_host` gives it),
/// for look-alike comparison: UTS #39's skeleton of the host as a reader
/// takes it ([`reader_fold`]), so that marks, enclosed and small-capital
/// letters and look-alikes UTS #39 maps elsewhere (`η`, Lisu `ꓟ`) make a
/// look-alike of the host they imitate (`m̀ega.nz`, `ᴍᴇɢᴀ.ɴᴢ`, `mega.ηz`).
pub(crate) fn skeleton(host: &str) -> String {
    let (unicode, _) = idna::domain_to_unicode(host);
    let s: String =
        unicode_security::skeleton(&reader_fold(&unicode)).collect();
    s.to_lowercase()
}

/// If `host` imitates one of `protected` (`(host, skeleton)` pairs): its
/// last labels have the same skeleton but are not the same host.
pub(crate) fn imitated<'a>(
    host: &str,
    protected: &'a [(String, String)],
) -> Option<&'a str> {
    protected.iter().find_map(|(p, skel)| {
        if host_matches(host, p) {
            return None;
        }
        let labels = p.split('.').count();
        let parts: Vec<&str> = host.split('.').collect();
        if parts.len() < labels {
            return None;
        }
        let tail = parts[parts.len() - labels..].join(".");
        let same = skeleton(&tail) == *skel;
        (same || carries_brand(host, p)).then_some(p.as_str())
    })
}

/// The registrable domain of `host` (its label before the public suffix,
/// with the suffix) and the length of that suffix, by the Public Suffix
/// List.
fn registrable(host: &str) -> Option<(&str, usize)> {
    use psl::Psl as _;
    let domain = psl::List.domain(host.as_bytes())?;
    let suffix = domain.suffix().as_bytes().len();
    let d = std::str::from_utf8(domain.as_bytes()).ok()?;
    Some((d, suffix))
}

/// Whether `host` carries the brand of protected `p` (the label before
/// its public suffix, `paypal` of `paypal.com`) where a phisher puts it:
/// disguised in any label or hyphenated part of one (`micros0ft-login`,
/// `rnicrosoft-teams`, `linkedln-jobs`, Cyrillic `gооgle-docs`) or at
/// the start of one (`rnicrosoft365-login`), or
/// written plainly with its suffix in a subdomain of another domain
/// (`paypal.com.evil.io`, `booking.com-secure-payments.info`), as part of
/// a hyphenated subdomain label (`paypal-konto.de.verify-login.com`) or
/// as a whole subdomain label of a hyphenated domain
/// (`santander.acceso.clientes-online.net`). A plain brand in the
/// registrable label (`google-analytics.com`) or as a whole subdomain
/// label of a plain domain (`apple.stackexchange.com`) may be the brand's
/// own and is left alone; so are brands under four letters, except with
/// their suffix.
fn carries_brand(host: &str, p: &str) -> bool {
    // A protected entry that is itself a public suffix (`gov.uk`, whose
    // sites are its subdomains) is its own domain: written in front of
    // another one (`gov.uk-cis-refund.com`) it is imitated all the same.
    let (p_domain, p_suffix) = registrable(p).unwrap_or((p, p.len()));
    let Some((domain, suffix)) = registrable(host) else { return false };
    if domain == p_domain {
        return false;
    }
    // The labels left of the registrable domain, then its own label. The
    // whole protected domain there (`dhl.com.parcel-reschedule.info`) is
    // an imitation whatever the brand's length.
    let sub = &host[..host.len() - domain.len()];
    if sub.starts_with(&format!("{p_domain}."))
        || sub.contains(&format!(".{p_domain}."))
    {
        return true;
    }
    // Or glued to a word by a hyphen, the dot of its suffix standing for
    // the domain's own (`booking.com-secure-payments.info`).
    let glued = |at: usize| {
        (at == 0 || host.as_bytes()[at - 1] == b'.')
            && host.as_bytes().get(at + p_domain.len()) == Some(&b'-')
    };
    if host.match_indices(p_domain).any(|(at, _)| glued(at)) {
        return true;
    }
    let brand = &p_domain[..p_domain.len().saturating_sub(p_suffix + 1)];
    if brand.len() >= 3 && brand_with_suffix(sub, brand, domain) {
        return true;
    }
    if brand.len() < 4 || brand.contains('.') {
        return false;
    }
    let glue = fold_skeleton(brand);
    let want = as_read(&glue);
    let own = &domain[..domain.len().saturating_sub(suffix + 1)];
    let in_sub = sub.split('.').filter(|l| !l.is_empty()).map(|l| (l, true));
    in_sub.chain([(own, false)]).any(|(label, is_sub)| {
        let (unicode, _) = idna::domain_to_unicode(label);
        let whole = std::iter::once(unicode.as_str());
        whole.chain(unicode.split('-')).any(|part| {
            // A plain brand counts only as part of a hyphenated subdomain
            // label (`paypal-konto.evil.de`), or as a whole one under a
            // hyphenated domain, as phishing kits name theirs
            // (`santander.seguridad-clientes.acceso-online.net`):
            // `apple.stackexchange.com` and `microsoft.github.io` are the
            // brands' own pages.
            let plain_ok =
                is_sub && (part.len() < unicode.len() || own.contains('-'));
            let skel = fold_skeleton(part);
            // A disguised brand glued to a word (`rnicrosoft365`,
            // `paypa1secure`): the plain one (`microsoft365`) may be the
            // brand's own, a disguised one never is. Without the `i`/`l`
            // reading, which would make `citlali` a glued `citi`.
            let glued = skel.len() > glue.len()
                && skel.starts_with(&glue)
                && !part.starts_with(brand);
            (as_read(&skel) == want && (part != brand || plain_ok)) || glued
        })
    })
}

/// Subdomain labels that name a server's role, not a site
/// (`www.com.shop-name.net` is no `www.com`).
const ROLE_LABELS: [&str; 20] = [
    "api", "www", "app", "apps", "web", "cdn", "mail", "smtp", "static",
    "img", "images", "auth", "login", "sso", "portal", "dev", "stage",
    "staging", "test", "prod",
];

/// Whether `host` hides a whole domain in front of its own, any site's
/// (`deepl.com.pro-traductores.info`,
/// `dhl-parcel-redelivery.com.de-track.info`): its subdomain labels end
/// in a name and a known public suffix, `com`, `net`, `org`, `gov`, `edu`
/// or one of two labels (`co.uk`, `com.mx`), under a hyphenated domain,
/// as phishing kits name theirs. The protected brands are caught under
/// any domain; this catches the rest, by the Public Suffix List. A bare
/// country code is a language's or a region's subdomain as often
/// (`tienda.es.moda-sostenible.com`, `console.eu.acme-cloud.com`), and a
/// cloud's bucket or CDN host (`my.site.com.s3.amazonaws.com`) has no
/// hyphen in its domain.
pub(crate) fn hides_domain(host: &str) -> bool {
    use psl::Psl as _;
    let Some((domain, suffix)) = registrable(host) else { return false };
    // A hyphen of the name, not of an IDN's `xn--`; under a public suffix
    // (or the reserved `.example` that test posts write), not an intranet's
    // `.internal`.
    let own = domain.split('.').next().unwrap_or("");
    let hyphen = if own.starts_with("xn--") {
        idna::domain_to_unicode(own).0.contains('-')
    } else {
        own.contains('-')
    };
    let public =
        psl::List.suffix(host.as_bytes()).is_some_and(|s| s.is_known())
            || domain[domain.len() - suffix..] == *"example";
    let sub = host.strip_suffix(domain).and_then(|s| s.strip_suffix('.'));
    let Some(sub) = sub.filter(|_| hyphen && public) else { return false };
    let Some(suffix) = psl::List.suffix(sub.as_bytes()) else { return false };
    let s = suffix.as_bytes();
    let last = s.rsplit(|&c| c == b'.').next().unwrap_or(s);
    let name = sub[..sub.len() - s.len()]
        .strip_suffix('.')
        .map(|n| n.rsplit('.').next().unwrap_or(n));
    let site = s.contains(&b'.')
        || matches!(last, b"com" | b"net" | b"org" | b"gov" | b"edu");
    suffix.is_known()
        && site
        && name.is_some_and(|n| {
            // Letters as read, not an IDN's `xn--` bytes.
            let letters = idna::domain_to_unicode(n).0.chars().count();
            letters >= 3 && !ROLE_LABELS.contains(&n)
        })
}

/// Whether the subdomain labels `sub` (each with its dot) of the
/// registrable `domain` hold `brand` as a whole label followed by a
/// country's or a generic public suffix, the brand's site in another
/// country written plainly (`amazon.es.socios-prime.com`,
/// `paypal.co.uk.verify.io`). A known suffix only, ending in a country
/// code or `com`, `net`, `org`: every unknown label is a suffix to the
/// list's default rule, and `apple.recipes.example.com` is about food. A
/// bare country code there is also a cloud tenant's region
/// (`paypal.my.salesforce.com`, `amazon.us.auth0.com`): it counts only
/// under a hyphenated domain, as phishing kits name theirs
/// (`socios-prime-regalo.com`, `auth-verify.info`), a heuristic.
fn brand_with_suffix(sub: &str, brand: &str, domain: &str) -> bool {
    use psl::Psl as _;
    let b = sub.as_bytes();
    let mut at = 0;
    while let Some(i) = sub[at..].find(brand) {
        let start = at + i;
        at = start + 1;
        let end = start + brand.len();
        if (start > 0 && b[start - 1] != b'.') || b.get(end) != Some(&b'.') {
            continue;
        }
        // The brand and one, two or three more labels.
        let mut stop = end + 1;
        for _ in 0..3 {
            let Some(dot) = sub[stop..].find('.') else { break };
            stop += dot;
            let name = &sub[start..stop];
            let suffix = psl::List.suffix(name.as_bytes());
            let fits = suffix.is_some_and(|suffix| {
                let s = suffix.as_bytes();
                let last = s.rsplit(|&c| c == b'.').next().unwrap_or(s);
                let country = last.len() == 2;
                let region = country && !s.contains(&b'.');
                suffix.is_known()
                    && s.len() == name.len() - brand.len() - 1
                    && (country || matches!(last, b"com" | b"net" | b"org"))
                    && (!region || domain.contains('-'))
            });
            if fits {
                return true;
            }
            stop += 1;
        }
    }
    false
}

/// The confusable skeleton of a brand or a part of a label, lower case.
fn fold_skeleton(s: &str) -> String {
    let skel: String = unicode_security::skeleton(&reader_fold(s)).collect();
    skel.to_lowercase()
}

/// A skeleton with `i` read as `l` and `q` as `g` (UTS #39 keeps them
/// apart; a reader of `linkedln` or `bookinq` does not).
fn as_read(skel: &str) -> String {
    skel.replace('i', "l").replace('q', "g")
}

/// Appends every link of the normalised post `norm` (of `source`) to
/// `out`. Links are found in the normal form with mangled dots put back
/// (`view.rs`), so zero-width characters, fullwidth letters and dots,
/// `[.]`, `(dot)`, ` dot `, `%2E` and `。` do not hide a host; the host
/// itself is read from the characters the author wrote, so a Cyrillic
/// `аpple.com` stays a look-alike.
pub(crate) fn find_links(
    norm: &Normalized,
    source: &str,
    out: &mut Vec<Link>,
) {
    let view = View::new(norm.text());
    let text = view.text();
    let mut from = 0;
    let mut stops = Stops::default();
    while let Some(i) = text[from..].find('.') {
        let dot = from + i;
        let (scanned, found) = link_around(text, dot, &mut stops);
        // Past every dot of this host, so a host is found once.
        from = scanned.max(dot + 1);
        let Some(c) = found else { continue };
        // Read from the source only for a candidate that may be a link:
        // most dots in a post end a sentence or sit in a number. Text
        // stored reversed under a right-to-left override maps every
        // character to the whole segment: its host is read in display
        // order, from the view.
        let whole = norm.source_span(view.normalized(c.host.clone()));
        let shown = &text[c.host.clone()];
        let first = shown.chars().next().map_or(0, char::len_utf8);
        let at = c.host.start;
        let reordered = shown.len() > first
            && norm.source_span(view.normalized(at..at + first)).end
                >= whole.end;
        let raw = if reordered { shown } else { &source[whole] };
        let written = || match reordered {
            true => shown.to_string(),
            false => written_host(&view, norm, source, c.host.clone()),
        };
        if let Some(link) = judge(text, &view, &c, raw, written) {
            from = from.max(c.span.end);
            out.push(link);
        }
    }
}

/// A host-like run around a dot, before it is judged a link.
struct Candidate {
    /// The URL, scheme and path included (view coordinates).
    span: Range<usize>,
    /// The host alone.
    host: Range<usize>,
    scheme: bool,
    has_path: bool,
    /// The scheme is written defanged (`hxxp`, `[:]`, `[://]`).
    defanged_scheme: bool,
}

/// The end of the host-like run of characters around the dot at `dot`, and
/// the candidate whose host contains that dot, if there is one.
fn link_around(
    text: &str,
    dot: usize,
    stops: &mut Stops,
) -> (usize, Option<Candidate>) {
    // The host: host characters and dots either side of the dot.
    let mut start = dot;
    for (i, c) in text[..dot].char_indices().rev() {
        if is_host_char(c) || c == '.' {
            start = i;
        } else {
            break;
        }
    }
    let mut end = dot + 1;
    for (i, c) in text[dot + 1..].char_indices() {
        if is_host_char(c) || c == '.' {
            end = dot + 1 + i + c.len_utf8();
        } else {
            break;
        }
    }
    let host = text[start..end].trim_matches('.');
    let start = start + text[start..end].find(host).unwrap_or(0);
    let host_end = start + host.len();
    if host.is_empty() {
        return (end, None);
    }
    // `https://sec.gov@evil.com/`: what stands before an `@` in a URL is a
    // user name, and the host is what follows it.
    if text[host_end..].starts_with('@')
        && scheme_before(text, start).is_some()
    {
        return (end, None);
    }
    let scheme = if text[..start].ends_with('@') {
        // After `user@`: a link only if a scheme starts the word (else it
        // is an e-mail address).
        let word = stops.word_start(text, start - 1);
        match scheme_before(text, word + scheme_len(&text[word..])) {
            Some(s) if s == word => Some(s),
            _ => return (end, None),
        }
    } else {
        scheme_before(text, start)
    };
    // Checked without allocating: most dots in a post end a sentence.
    let bad_label =
        |l: &str| l.is_empty() || l.starts_with('-') || l.ends_with('-');
    if host.split('.').count() < 2 || host.split('.').any(bad_label) {
        return (end, None);
    }
    let url_end = url_tail(text, host_end, stops);
    // The scheme's own bytes only: a user name (`https://max@…`) is not.
    let defanged_scheme = scheme.is_some_and(|s| {
        let len = scheme_len(&text[s..]);
        text.as_bytes()[s..s + len]
            .iter()
            .any(|&b| matches!(b, b'x' | b'X' | b'['))
    });
    let c = Candidate {
        span: scheme.unwrap_or(start)..url_end,
        host: start..host_end,
        scheme: scheme.is_some(),
        defanged_scheme,
        // A port is not a path: `main.py:3` is a file and a line.
        has_path: text[host_end..].starts_with(['/', '?', '#']),
    };
    (end, Some(c))
}

/// Whether the candidate `c` of the view `text` is a link, given the
/// source bytes of its host (`raw`) and the host as written (`written`,
/// only asked for once the cheap checks pass: a clean post allocates
/// nothing): then the link.
fn judge(
    text: &str,
    view: &View,
    c: &Candidate,
    raw: &str,
    written: impl FnOnce() -> String,
) -> Option<Link> {
    let host = &text[c.host.clone()];
    let labels = host.split('.').count();
    let tld = host.rsplit('.').next().unwrap_or(host);
    let www =
        host.split('.').next().is_some_and(|l| l.eq_ignore_ascii_case("www"));
    let span = view.normalized(c.span.clone());
    let defanged =
        c.defanged_scheme || c.host.clone().any(|i| view.is_defanged_dot(i));
    // An IP address is a host only in a URL with a scheme.
    let ip = labels == 4
        && host
            .split('.')
            .all(|l| l.len() <= 3 && l.bytes().all(|b| b.is_ascii_digit()));
    if ip {
        let host = host.to_string();
        return c.scheme.then_some(Link {
            span,
            host,
            read: None,
            file_like: false,
            defanged,
        });
    }
    let punycode =
        tld.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--"));
    let tld_ok = punycode
        || (tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
    if !tld_ok {
        return None;
    }
    let bare = !c.scheme && !www;
    if bare && !bare_host_ok(text, view, c, raw) {
        return None;
    }
    // The view is lower case; an ASCII TLD there that is ASCII in the
    // source too is the TLD itself.
    let raw_tld = raw.rsplit(['.', '\u{3002}', '\u{FF0E}', '\u{FF61}']).next();
    if bare && raw_tld.is_some_and(str::is_ascii) && !public_tld(tld) {
        return None;
    }
    let written = written();
    let read = normalize_host(host);
    let host = normalize_host(&written).or_else(|| read.clone())?;
    let read = read.filter(|r| *r != host);
    // The TLD as IDNA has it: `рф` is `xn--p1ai`.
    let tld = host.rsplit('.').next().unwrap_or(&host);
    if bare && !public_tld(tld) {
        return None;
    }
    let file_like = bare && !c.has_path && listed(FILE_TLDS, tld);
    Some(Link { span, host, read, file_like, defanged })
}

/// Whether a host without a scheme or `www.` reads as one where it stands:
/// not a name inside a path (`debian/rules.d`), not a code identifier
/// (`my_obj.name`, `obj.run(`), not two sentences run together
/// (`news.Then`, `It.is`).
fn bare_host_ok(text: &str, view: &View, c: &Candidate, raw: &str) -> bool {
    let host = &text[c.host.clone()];
    let before = text[..c.host.start].chars().next_back();
    let after = text[c.host.end..].chars().next();
    // After `//` (`ftp://`, `git://`) a host; after one `/`, a path.
    let path = before == Some('/') && !text[..c.host.start].ends_with("//");
    // A dotfile's name (`.env.example`, `.config.test`): a dot that opens
    // a word starts a file, not a host.
    let dotfile = before == Some('.')
        && text[..c.host.start - 1]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
    if path
        || dotfile
        || matches!(before, Some('\\' | '_' | '$' | '%' | '~'))
        || matches!(after, Some('_' | '(' | '=' | '@'))
    {
        return false;
    }
    // A Catalan `l·l` or a pronunciation (`kee·be`): the middle dot is a
    // dot only between digit groups.
    if raw.contains(['\u{00B7}', '\u{2027}', '\u{30FB}']) {
        return false;
    }
    let first = host.split('.').next().unwrap_or(host);
    if listed(CODE_RECEIVERS, first) {
        return false;
    }
    // The letters of the host as written, without the `E` of `%2E`.
    let letters = || {
        raw.char_indices()
            .filter(|&(i, _)| !raw[..i].ends_with("%2"))
            .map(|(_, c)| c)
    };
    // A capital after the first label, unless the host is all capitals:
    // code (`threading.Thread.name`, `request.POST`) or a sentence that
    // begins without a space (`news.Then`).
    let first_dot = raw.find(['.', '\u{3002}', '\u{FF0E}', '\u{FF61}']);
    let all_caps = !letters().any(char::is_lowercase);
    let capital_after = first_dot.is_some_and(|d| {
        raw.char_indices()
            .filter(|&(i, _)| i > d && !raw[..i].ends_with("%2"))
            .any(|(_, c)| c.is_uppercase())
    });
    if !all_caps && !c.has_path && capital_after {
        return false;
    }
    let lower = !letters().any(char::is_uppercase);
    let tld = host.rsplit('.').next().unwrap_or("");
    let wordy = listed(WORDY_TLDS, tld);
    // `with dot as`: a written-out dot before a word is not a host.
    let restored = (c.host.start..c.host.end).any(|i| view.is_restored_dot(i));
    if wordy && restored {
        return false;
    }
    lower || !wordy || c.has_path
}

/// Whether `tld` (lower-case ASCII, punycode for international names) is
/// a top-level domain of the Public Suffix List, or one of those RFC 2606
/// reserves for documentation and tests (`shop.example`): examples and
/// test posts write a real link's stand-in with them, and a look-alike of
/// `paypal.com` must read the same there as under `.com`.
fn public_tld(tld: &str) -> bool {
    use psl::Psl as _;
    listed(RESERVED_TLDS, tld)
        || psl::List.suffix(tld.as_bytes()).is_some_and(|s| s.is_known())
}

/// RFC 2606's reserved top-level domains that name hosts (`localhost` is
/// one label, never a bare `name.tld`).
const RESERVED_TLDS: &[&str] = &["example", "test", "invalid"];

fn listed(list: &[&str], tld: &str) -> bool {
    list.iter().any(|t| t.eq_ignore_ascii_case(tld))
}

/// The host at `host` of the view as the author wrote it: the source
/// characters it came from, with mangled dots as dots and dropped
/// (invisible) characters left out.
fn written_host(
    view: &View,
    norm: &Normalized,
    source: &str,
    host: Range<usize>,
) -> String {
    let mut out = String::with_capacity(host.len());
    let mut done = 0;
    for (i, ch) in view.text()[host.clone()].char_indices() {
        let at = host.start + i;
        if view.is_restored_dot(at) {
            out.push('.');
            continue;
        }
        let r = norm.source_span(view.normalized(at..at + ch.len_utf8()));
        if r.start >= done {
            out.push_str(&source[r.clone()]);
            done = r.end;
        }
    }
    out
}

/// Schemes, and their defanged forms (`hxxps://`, `https[:]//`,
/// `hxxps[://]`): each of `http`, `https`, `hxxp`, `hxxps` with each
/// separator.
const SCHEMES: &[&str] = &[
    "https://",
    "http://",
    "hxxps://",
    "hxxp://",
    "https[:]//",
    "http[:]//",
    "hxxps[:]//",
    "hxxp[:]//",
    "https[://]",
    "http[://]",
    "hxxps[://]",
    "hxxp[://]",
];

/// The scheme (`https://`) that ends at `at`, as the byte where it starts.
fn scheme_before(text: &str, at: usize) -> Option<usize> {
    SCHEMES
        .iter()
        .find(|s| {
            at >= s.len()
                && text.as_bytes()[at - s.len()..at]
                    .eq_ignore_ascii_case(s.as_bytes())
        })
        .map(|s| at - s.len())
}

/// The length of the scheme at the start of `word`, or 0.
fn scheme_len(word: &str) -> usize {
    SCHEMES
        .iter()
        .find(|s| {
            word.len() >= s.len()
                && word.as_bytes()[..s.len()]
                    .eq_ignore_ascii_case(s.as_bytes())
        })
        .map_or(0, |s| s.len())
}

/// Where the URL whose host ends at `host_end` ends: its path, query or
/// port, up to whitespace, without the punctuation that ends a sentence or
/// closes a bracket the URL did not open.
fn url_tail(text: &str, host_end: usize, stops: &mut Stops) -> usize {
    if !text[host_end..].starts_with(['/', '?', '#', ':']) {
        return host_end;
    }
    let stop = stops.url_stop(text, host_end);
    host_end + trim_url_tail(&text[host_end..stop])
}

/// The whitespace around the candidates of one post, remembered from dot
/// to dot: each scan starts where the last one ended, so a post of a
/// million `a.bc/` with no space is read once, not once per dot.
#[derive(Default)]
struct Stops {
    /// `text[from..stop]` holds no character that ends a URL, and `stop`
    /// is one (or the end of the text).
    ahead: Option<(usize, usize)>,
    /// Scanned up to `.0`; the last word there starts at `.1`.
    behind: (usize, usize),
}

impl Stops {
    /// Where the URL whose path starts at `at` ends at the latest.
    fn url_stop(&mut self, text: &str, at: usize) -> usize {
        if let Some((from, stop)) = self.ahead {
            if from <= at && at <= stop {
                return stop;
            }
        }
        let stop = text[at..]
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`')
            })
            .map_or(text.len(), |i| at + i);
        self.ahead = Some((at, stop));
        stop
    }

    /// The start of the word that `text[..at]` ends in.
    fn word_start(&mut self, text: &str, at: usize) -> usize {
        let (mut from, mut start) = self.behind;
        if at < from {
            (from, start) = (0, 0);
        }
        for (i, c) in text[from..at].char_indices() {
            if c.is_whitespace() {
                start = from + i + c.len_utf8();
            }
        }
        self.behind = (at, start);
        start
    }
}

/// The length of `path` without trailing punctuation and unbalanced
/// closing brackets.
fn trim_url_tail(path: &str) -> usize {
    let mut end = path.len();
    loop {
        let Some(c) = path[..end].chars().next_back() else { return end };
        let trim = match c {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' => true,
            ')' | ']' | '}' => {
                let open = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                let body = &path[..end];
                body.matches(open).count() < body.matches(c).count()
            }
            _ => false,
        };
        if !trim {
            return end;
        }
        end -= c.len_utf8();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::normalize::Form;

    /// The links of `text` that count without a rule listing their host:
    /// the URL as written, and its host.
    fn links(text: &str) -> Vec<(String, String)> {
        let mut norm = Normalized::default();
        norm.fill(text, Form::Full);
        let mut out = Vec::new();
        find_links(&norm, text, &mut out);
        out.into_iter()
            .filter(|l| !l.file_like)
            .map(|l| (text[norm.source_span(l.span)].to_string(), l.host))
            .collect()
    }

    #[test]
    fn finds_urls_with_and_without_scheme() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("see example.com/x today", &[("example.com/x", "example.com")]),
            ("www.x.co.", &[("www.x.co", "x.co")]),
            (
                "(https://x.y.com/z?a=b)",
                &[("https://x.y.com/z?a=b", "x.y.com")],
            ),
            (
                "see https://en.wikipedia.org/wiki/Foo_(bar)!",
                &[(
                    "https://en.wikipedia.org/wiki/Foo_(bar)",
                    "en.wikipedia.org",
                )],
            ),
            ("mail bob@example.com now", &[]),
            // RFC 2606's reserved TLDs are hosts; a dotfile's name is not.
            ("pay at shop.example/pay", &[("shop.example/pay", "shop.example")]),
            ("see https://api.test today", &[("https://api.test", "api.test")]),
            ("see api.test/v1 today", &[("api.test/v1", "api.test")]),
            ("put it in .env.example first", &[]),
            ("see shop.examples today", &[]),
            ("e.g. this, i.e. that, 3.14, file.txt", &[]),
            ("Great news.Then we left", &[]),
            ("Visit Example.com today", &[("Example.com", "example.com")]),
            ("It was done.It worked", &[]),
            (
                "Visit example.COM/deals",
                &[("example.COM/deals", "example.com")],
            ),
            ("HTTPS://BIT.LY/abc", &[("HTTPS://BIT.LY/abc", "bit.ly")]),
            ("go to аpple.com now", &[("аpple.com", "xn--pple-43d.com")]),
            // Stored reversed under a right-to-left override: read in
            // display order, the span over the stored bytes.
            (
                "Link: \u{2067}\u{202E}x/elif/zn.agem//:sptth\u{202C}\u{2069}",
                &[("x/elif/zn.agem//:sptth", "mega.nz")],
            ),
            ("Link: \u{202E}zn.agem\u{202C} ok", &[("zn.agem", "mega.nz")]),
            ("at mega . nz/file/x ok", &[("mega . nz/file/x", "mega.nz")]),
            (
                "ｈｘｘｐｓ［：／／］ｍｅｇａ ． ｎｚ／ｆ",
                &[("ｈｘｘｐｓ［：／／］ｍｅｇａ ． ｎｚ／ｆ", "mega.nz")],
            ),
            (
                "\u{24A3}\u{24AF}\u{24AF}\u{24AB}\u{24AE}://\u{24A8}\u{24A0}\u{24A2}\u{249C}.\u{24A9}\u{24B5}/x",
                &[(
                    "\u{24A3}\u{24AF}\u{24AF}\u{24AB}\u{24AE}://\u{24A8}\u{24A0}\u{24A2}\u{249C}.\u{24A9}\u{24B5}/x",
                    "mega.nz",
                )],
            ),
        ];
        for (text, want) in cases {
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            assert_eq!(links(text), want, "{text:?}");
        }
    }

    #[test]
    fn hosts_match_subdomains_only() {
        assert!(host_matches("bit.ly", "bit.ly"));
        assert!(host_matches("go.bit.ly", "bit.ly"));
        assert!(!host_matches("rabbit.ly", "bit.ly"));
    }

    #[test]
    fn hidden_domains_are_recognised() {
        let cases = [
            ("deepl.com.pro-traductores.info", true),
            ("dhl-parcel-redelivery.com.de-track.info", true),
            ("login.microsoftonline.com.secure-hr-portal.net", true),
            ("amazon.co.uk.gift-claim.example", true),
            // No hyphen in the domain: a cloud's bucket or a CDN's host.
            ("my.site.com.s3.amazonaws.com", false),
            ("deepl.com.traductores.info", false),
            ("studentaid.gov.loan-relief-center.com", true),
            // An IDN's `xn--` is no hyphen; an intranet's TLD no suffix.
            ("angebote.com.xn--bcher-kva.de", false),
            ("grafana.acme.com.eu-prod.internal", false),
            ("xn--ida.com.xn----7sbb.com", false),
            // A language's or a region's subdomain, a server's role, a
            // suffix that is no site's.
            ("api.eu.acme-cloud.com", false),
            ("tienda.es.moda-sostenible.com", false),
            ("www.com.shop-name.net", false),
            ("docs.app.my-company.com", false),
            ("shop.online.my-store.com", false),
            // The domain itself, and plain subdomains.
            ("pro-traductores.info", false),
            ("deepl.pro-traductores.info", false),
        ];
        for (host, hides) in cases {
            assert_eq!(hides_domain(host), hides, "{host}");
        }
    }

    #[test]
    fn look_alikes_are_recognised() {
        let protected: Vec<(String, String)> = [
            "paypal.com",
            "apple.com",
            "microsoft.com",
            "citi.com",
            "booking.com",
            "gov.uk",
        ]
        .iter()
        .map(|h| (h.to_string(), skeleton(h)))
        .collect();
        for host in [
            "paypa1.com",
            "xn--pple-43d.com",
            "login.paypa1.com",
            "paypa1-premios.com",
            "www.apple.com.evil.io",
            "paypal-konto.de.verify-login.com",
            "\u{430}pple-login.com",
            "paypa1secure.com",
            "login.rnicrosoftonline.com",
            "www.apple.es.socios-regalo.com",
            "paypal.co.uk.verify-login.io",
            "microsoft.com.mx.x.net",
            // `q` read as `g`, as `i` is read as `l`.
            "bookinq.com",
            "bookinq-deals.com",
            // The domain glued on by a hyphen; the plain brand as a whole
            // label of a hyphenated domain, as phishing kits name theirs.
            "booking.com-secure-payments.info",
            "pay.booking.com-secure.net",
            "paypal.seguridad-clientes.verify-online.net",
            // A public suffix protected as a whole, glued or in front.
            "gov.uk-cis-refund.com",
            "gov.uk.tax-rebate.info",
        ] {
            let host = normalize_host(host).unwrap();
            assert!(imitated(&host, &protected).is_some(), "{host}");
        }
        // Marks, small capitals, `η` and Lisu capitals on a listed host.
        let denied = [("mega.nz".to_string(), skeleton("mega.nz"))];
        for host in [
            "m\u{0300}e\u{0361}ga.n\u{20DD}z",
            "\u{1D0D}\u{1D07}\u{0262}\u{1D00}.\u{0274}\u{1D22}",
            "mega.\u{03B7}z",
            "\u{A4DF}\u{13AC}G\u{A4EE}.\u{A4E0}Z",
        ] {
            let host = normalize_host(host).unwrap();
            assert!(imitated(&host, &denied).is_some(), "{host}");
        }
        assert_eq!(normalize_host("\u{24A8}\u{24A0}.\u{24A9}\u{24B5}"), None);
        for host in [
            "paypal.com",
            "example.com",
            "paypal-community.com",
            "applesauce.org",
            "pineapple.com",
            "login.paypal.com",
            "apple.stackexchange.com",
            "paypal.github.io",
            "paypalshop.com",
            "happiest.com",
            "citlali.mx",
            "apple.recipes.example.com",
            "apple.pie.example.com",
            "paypal.my.salesforce.com",
            "amazon.us.auth0.com",
            "microsoft.eu.qualtrics.com",
            "apple.es",
            "paypal.co.uk",
            "booking.com",
            "booking.example.com",
            "paypal.my-shop.com.booking.com",
            // Its own sites are its subdomains.
            "gov.uk",
            "www.gov.uk",
            "hmrc.gov.uk",
            "service.gov.uk",
        ] {
            let host = normalize_host(host).unwrap();
            assert_eq!(imitated(&host, &protected), None, "{host}");
        }
    }
}
