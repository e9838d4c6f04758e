//! Links in posts: finding URLs with or without a scheme, normalising their
//! hosts (lower case, IDNA punycode) and recognising hosts that imitate a
//! protected one (UTS #39 confusable skeletons: `paypa1.com`, a Cyrillic
//! `аpple.com`, their punycode forms).

use std::ops::Range;

/// A link found in a post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Link {
    /// Byte range of the whole URL in the post.
    pub(crate) span: Range<usize>,
    /// The host, lower-case ASCII (punycode for international names).
    pub(crate) host: String,
}

/// Top-level domains accepted without a scheme or `www.`: common ones
/// only, so that `end.Then` or `file.txt` in a sentence is not a link.
const BARE_TLDS: &[&str] = &[
    "com", "net", "org", "edu", "gov", "io", "co", "ly", "gl", "me", "app",
    "dev", "info", "biz", "ai", "tv", "fm", "gg", "sh", "xyz", "site",
    "online", "store", "shop", "link", "live", "news", "blog", "page",
    "cloud", "tech", "ws", "cc", "nz", "uk", "de", "fr", "es", "nl", "ru",
    "cn", "jp", "br", "au", "ca", "eu", "ch", "se", "pl", "dk", "fi", "ie",
    "za", "mx", "ar", "kr", "tw", "hk", "sg", "su", "tk", "ml", "ga", "cf",
    "gd", "re", "st", "vc", "ms", "pw", "top", "club", "us", "in", "it", "to",
    "at", "be", "no", "la", "am", "is",
];

/// TLDs that are also common words: without a scheme, `www.` or a path
/// they count only when the host is all lower case.
const WORDY_TLDS: &[&str] =
    &["us", "in", "it", "to", "at", "be", "no", "me", "la", "am", "is", "so"];

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
    if ascii.is_empty()
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
/// for look-alike comparison.
pub(crate) fn skeleton(host: &str) -> String {
    let (unicode, _) = idna::domain_to_unicode(host);
    let s: String = unicode_security::skeleton(&unicode).collect();
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
        (skeleton(&tail) == *skel).then_some(p.as_str())
    })
}

/// Appends every link of `text` to `out`.
pub(crate) fn find_links(text: &str, out: &mut Vec<Link>) {
    let mut from = 0;
    while let Some(i) = text[from..].find('.') {
        let dot = from + i;
        let (scanned, link) = link_around(text, dot);
        // Past every dot of this host, so a host is found once.
        from = scanned.max(dot + 1);
        if let Some(link) = link {
            from = from.max(link.span.end);
            out.push(link);
        }
    }
}

/// The end of the host-like run of characters around the dot at `dot`, and
/// the link whose host contains that dot, if there is one.
fn link_around(text: &str, dot: usize) -> (usize, Option<Link>) {
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
        let word = text[..start - 1]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
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
    let labels = host.split('.').count();
    if labels < 2 || host.split('.').any(bad_label) {
        return (end, None);
    }
    let tld = host.rsplit('.').next().unwrap_or(host);
    let www =
        host.split('.').next().is_some_and(|l| l.eq_ignore_ascii_case("www"));
    // An IP address is a host only in a URL with a scheme.
    let ip = labels == 4
        && host
            .split('.')
            .all(|l| l.len() <= 3 && l.bytes().all(|b| b.is_ascii_digit()));
    if ip {
        return match scheme {
            Some(s) => {
                let url_end = url_tail(text, host_end);
                (end, Some(Link { span: s..url_end, host: host.to_string() }))
            }
            None => (end, None),
        };
    }
    let punycode =
        tld.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--"));
    let listed =
        |list: &[&str]| list.iter().any(|t| t.eq_ignore_ascii_case(tld));
    let tld_ok = punycode
        || (tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
    if !tld_ok {
        return (end, None);
    }
    // The path, query or port: up to whitespace, without the punctuation
    // that ends a sentence or closes a bracket the URL did not open.
    let has_path = text[host_end..].starts_with(['/', '?', '#', ':']);
    let url_end = url_tail(text, host_end);
    if scheme.is_none() && !www {
        let lower = host.chars().all(|c| !c.is_uppercase());
        let known = listed(BARE_TLDS) || punycode;
        let wordy = listed(WORDY_TLDS);
        if !known || (wordy && !lower && !has_path) {
            return (end, None);
        }
    }
    let Some(host) = normalize_host(host) else { return (end, None) };
    (end, Some(Link { span: scheme.unwrap_or(start)..url_end, host }))
}

/// The scheme (`https://`) that ends at `at`, as the byte where it starts.
fn scheme_before(text: &str, at: usize) -> Option<usize> {
    ["https://", "http://"]
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
    let lower = word.get(..8).unwrap_or(word).to_ascii_lowercase();
    ["https://", "http://"]
        .iter()
        .find(|s| lower.starts_with(*s))
        .map_or(0, |s| s.len())
}

/// Where the URL whose host ends at `host_end` ends: its path, query or
/// port, up to whitespace, without the punctuation that ends a sentence or
/// closes a bracket the URL did not open.
fn url_tail(text: &str, host_end: usize) -> usize {
    if !text[host_end..].starts_with(['/', '?', '#', ':']) {
        return host_end;
    }
    let rest = &text[host_end..];
    let stop = rest
        .find(|c: char| {
            c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`')
        })
        .unwrap_or(rest.len());
    host_end + trim_url_tail(&rest[..stop])
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

    fn links(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        find_links(text, &mut out);
        out.into_iter().map(|l| (text[l.span].to_string(), l.host)).collect()
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
    fn look_alikes_are_recognised() {
        let protected: Vec<(String, String)> = ["paypal.com", "apple.com"]
            .iter()
            .map(|h| (h.to_string(), skeleton(h)))
            .collect();
        for host in ["paypa1.com", "xn--pple-43d.com", "login.paypa1.com"] {
            assert!(imitated(host, &protected).is_some(), "{host}");
        }
        for host in ["paypal.com", "www.apple.com.evil.io", "example.com"] {
            let host = normalize_host(host).unwrap();
            assert_eq!(imitated(&host, &protected), None, "{host}");
        }
    }
}
