//! The vocabulary of person keys (METRICS.md §1): name keys, URL keys, anonymity.
//!
//! Shared by reading (blank and duplicate connection rows need URL keys) and identity.

use std::borrow::Cow;

/// Trimmed, inner whitespace collapsed, Unicode-lowercased.
///
/// ```
/// assert_eq!(orchard::keys::normalise_name("  Ümit \t TEKCAN "), "ümit tekcan");
/// ```
pub fn normalise_name(name: &str) -> String {
    // Most names are tidy already, and most of those ASCII: lowercased as they are, without
    // splitting them into words character by character.
    if is_tidy(name) {
        if name.is_ascii() {
            return name.to_ascii_lowercase();
        }
        return lowercase_words(name.split(' '), name.len());
    }
    lowercase_words(name.split_whitespace(), name.len())
}

/// Words each lowercased character by character, joined by single spaces.
fn lowercase_words<'a>(words: impl Iterator<Item = &'a str>, room: usize) -> String {
    let mut out = String::with_capacity(room);
    for word in words {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            // What `char::to_lowercase` gives an ASCII character, without decoding.
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            for c in word.chars() {
                match latin1_lowercase(c) {
                    Some(lower) => out.push(lower),
                    None => out.extend(c.to_lowercase()),
                }
            }
        }
    }
    out
}

/// What `char::to_lowercase` gives a character of Latin-1 (U+0000–U+00FF, the accented
/// letters of most western names), without its table search: `A`–`Z` and `À`–`Þ` but `×`
/// are 32 below their lowercase, every other one is its own. `None` beyond Latin-1.
fn latin1_lowercase(c: char) -> Option<char> {
    match c {
        'A'..='Z' | '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{de}' => char::from_u32(c as u32 + 32),
        '\0'..='\u{ff}' => Some(c),
        _ => None,
    }
}

/// Whether `text` is tidy ([`tidy`]) as its bytes show it: not empty, words of no whitespace
/// between single spaces. Text with a byte that may begin a whitespace character beyond ASCII
/// (`0xC2`: U+0085, U+00A0; `0xE1`, `0xE2`, `0xE3`: U+1680, U+2000–U+205F, U+3000) is left
/// to the character-wise way, however its characters turn out; accented Latin letters
/// (`0xC3 …`) and most scripts are not.
fn is_tidy(text: &str) -> bool {
    // A space "before" the text: a leading space fails as a double one does.
    let mut before = b' ';
    for &b in text.as_bytes() {
        if b == b' ' {
            if before == b' ' {
                return false;
            }
        } else if (b'\t'..=b'\r').contains(&b) || matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
            return false;
        }
        before = b;
    }
    before != b' '
}

/// Trimmed with inner whitespace collapsed, case kept: how a name is shown.
///
/// ```
/// assert_eq!(orchard::keys::tidy("  Ada \t  Lovelace\n"), "Ada Lovelace");
/// assert_eq!(orchard::keys::tidy(" \u{a0} "), "");
/// ```
pub fn tidy(text: &str) -> String {
    if is_tidy(text) {
        return text.to_string();
    }
    tidy_words(text.len(), text.split_whitespace())
}

/// [`tidy`] of `first`, a space and `last`: a connection's name from its two columns.
pub fn tidy_pair(first: &str, last: &str) -> String {
    let tidy_or_empty = |t: &str| t.is_empty() || is_tidy(t);
    if tidy_or_empty(first) && tidy_or_empty(last) {
        let mut out = String::with_capacity(first.len() + 1 + last.len());
        out.push_str(first);
        if !first.is_empty() && !last.is_empty() {
            out.push(' ');
        }
        out.push_str(last);
        return out;
    }
    tidy_words(
        first.len() + 1 + last.len(),
        first.split_whitespace().chain(last.split_whitespace()),
    )
}

/// Words joined by single spaces, into a string with room for `room` bytes: [`tidy`] of
/// text whose words they are.
fn tidy_words<'a>(room: usize, words: impl Iterator<Item = &'a str>) -> String {
    // Into one string of the right size: a million connections tidy three texts each.
    let mut out = String::with_capacity(room);
    for word in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `name:<normalised name>`.
pub fn name_key(name: &str) -> String {
    format!("name:{}", normalise_name(name))
}

/// The URL key `linkedin.com/in/<slug>` of a profile URL, when usable (METRICS.md §1).
///
/// ```
/// use orchard::keys::url_key;
/// // Connections.csv percent-encodes what messages.csv writes raw: both are one person.
/// assert_eq!(
///     url_key("https://www.linkedin.com/in/%C3%BCmit-tekcan-1/"),
///     url_key("https://uk.linkedin.com/in/Ümit-Tekcan-1?trk=x"),
/// );
/// assert_eq!(url_key("https://www.linkedin.com/in"), None); // truncated: not usable
/// ```
pub fn url_key(url: &str) -> Option<String> {
    // Searched byte by byte for the ASCII marks (never inside a multi-byte character): the
    // `str` patterns this was written with cost thousands of instructions a URL, and it runs
    // for every connection, invitation and sender URL.
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    // The form LinkedIn writes: only the slug is decoded, lowercased and checked. (The
    // prefix has no `%`, no capital and no `?` or `#`, and its `/` ends any context the
    // lowercasing of a final sigma looks back to: the key is the one the whole URL gives.)
    if let Some(slug) = url.strip_prefix("https://www.linkedin.com/in/") {
        let slug = lowercase(decode(slug));
        let mut slug: &str = &slug;
        if let Some(i) = memchr::memchr2(b'?', b'#', slug.as_bytes()) {
            slug = &slug[..i];
        }
        return slug_key(slug.trim_end_matches('/'));
    }
    let lower = lowercase(decode(url));
    let mut s: &str = &lower;
    // A scheme only at the start: `://` inside a query (`?trk=https://…`) is not one.
    if let Some(i) = find_scheme_end(s.as_bytes()) {
        if !s.as_bytes()[..i]
            .iter()
            .any(|b| matches!(b, b'/' | b'?' | b'#'))
        {
            s = &s[i + 3..];
        }
    }
    if let Some(i) = memchr::memchr2(b'?', b'#', s.as_bytes()) {
        s = &s[..i];
    }
    s = s.trim_end_matches('/');
    let slash = memchr::memchr(b'/', s.as_bytes())?;
    let (host, path) = (&s[..slash], &s[slash + 1..]);
    // A leading `www.` or a two/three-letter country subdomain (`uk.`), not both.
    let host = match memchr::memchr(b'.', host.as_bytes()).map(|i| (&host[..i], &host[i + 1..])) {
        Some(("www", rest)) => rest,
        Some((sub, rest))
            if rest == "linkedin.com"
                && (2..=3).contains(&sub.len())
                && sub.bytes().all(|b| b.is_ascii_alphabetic()) =>
        {
            rest
        }
        _ => host,
    };
    if host != "linkedin.com" {
        return None;
    }
    slug_key(path.strip_prefix("in/")?)
}

/// Percent-decoded, as UTF-8 with invalid bytes replaced.
fn decode(text: &str) -> Cow<'_, str> {
    if memchr::memchr(b'%', text.as_bytes()).is_some() {
        percent_encoding::percent_decode_str(text).decode_utf8_lossy()
    } else {
        Cow::Borrowed(text)
    }
}

/// Unicode-lowercased (`str::to_lowercase`), without a copy when nothing changes.
fn lowercase(text: Cow<'_, str>) -> Cow<'_, str> {
    if !text.is_ascii() {
        // Latin-1 text (an accented name's slug) lowercases a character at a time: the
        // context `str::to_lowercase` looks at is only for a capital sigma.
        let latin1: Option<String> = text.chars().map(latin1_lowercase).collect();
        Cow::Owned(latin1.unwrap_or_else(|| text.to_lowercase()))
    } else if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        text
    }
}

/// The key of a profile's slug (the path after `in/`, decoded, lowercased, cut at `?` or
/// `#`, trailing `/` trimmed): none when it is empty, blank or has a further `/`.
fn slug_key(slug: &str) -> Option<String> {
    if slug.is_empty() || memchr::memchr(b'/', slug.as_bytes()).is_some() || slug.trim().is_empty()
    {
        return None;
    }
    let mut key = String::with_capacity(16 + slug.len());
    key.push_str("linkedin.com/in/");
    key.push_str(slug);
    Some(key)
}

/// Where the first `://` of `s` is.
fn find_scheme_end(s: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(k) = memchr::memchr(b':', &s[at..]) {
        let i = at + k;
        if s[i + 1..].starts_with(b"//") {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

/// `LinkedIn Member`, the name LinkedIn shows for hidden and sponsored senders.
pub fn is_linkedin_member(name: &str) -> bool {
    // `normalise_name(name) == "linkedin member"`, word by word without building the string:
    // this runs for every message row. Most names are turned away at once: the name takes 15
    // bytes at least (each of the 15 ASCII characters comes from a character of its own, of a
    // byte or more), and only `l` and `L` lowercase to `l`.
    let first = name.trim_start().as_bytes().first();
    if name.len() < 15 || !matches!(first, Some(b'l' | b'L')) {
        return false;
    }
    let mut words = name.split_whitespace();
    let mut next_is = |want: &str| {
        words
            .next()
            .is_some_and(|w| w.chars().flat_map(char::to_lowercase).eq(want.chars()))
    };
    next_is("linkedin") && next_is("member") && words.next().is_none()
}

/// Anonymous: `LinkedIn Member`, or an empty name with no usable URL. Never a person.
pub fn is_anonymous(name: &str, url: &str) -> bool {
    is_linkedin_member(name) || (name.trim().is_empty() && url_key(url).is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise() {
        assert_eq!(normalise_name("  Jane \t  DOE "), "jane doe");
        assert_eq!(normalise_name("ÜMIT Tekcan"), "ümit tekcan");
        assert_eq!(name_key(" Ada  Lovelace"), "name:ada lovelace");
        assert_eq!(tidy("  Ada   Lovelace "), "Ada Lovelace");
    }

    /// `url_key` as first written, with `str` patterns: the definition the byte searches
    /// must keep to.
    fn url_key_by_str(url: &str) -> Option<String> {
        let url = url.trim();
        if url.is_empty() {
            return None;
        }
        let decoded = percent_encoding::percent_decode_str(url).decode_utf8_lossy();
        let lower = decoded.to_lowercase();
        let mut s = lower.as_str();
        if let Some(i) = s.find("://") {
            if !s[..i].contains(['/', '?', '#']) {
                s = &s[i + 3..];
            }
        }
        if let Some(i) = s.find(['?', '#']) {
            s = &s[..i];
        }
        s = s.trim_end_matches('/');
        let (host, path) = s.split_once('/')?;
        let host = match host.split_once('.') {
            Some(("www", rest)) => rest,
            Some((sub, rest))
                if rest == "linkedin.com"
                    && (2..=3).contains(&sub.len())
                    && sub.chars().all(|c| c.is_ascii_alphabetic()) =>
            {
                rest
            }
            _ => host,
        };
        if host != "linkedin.com" {
            return None;
        }
        let slug = path.strip_prefix("in/")?;
        if slug.is_empty() || slug.contains('/') || slug.trim().is_empty() {
            return None;
        }
        Some(format!("linkedin.com/in/{slug}"))
    }

    /// Random texts made of the pieces URLs and names are made of.
    fn random_texts(pieces: &[&str], n: usize) -> Vec<String> {
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        (0..n)
            .map(|_| {
                let len = next() % 9;
                (0..len)
                    .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn url_keys_are_those_of_the_str_definition() {
        let pieces = [
            "https://www.linkedin.com/in/",
            "https://www.linkedin.com/in/",
            "ΣΑΣ",
            "https://",
            "http://",
            "://",
            ":",
            "/",
            "//",
            "www.",
            "uk.",
            "m1.",
            "linkedin.com",
            "LinkedIn.COM",
            "in/",
            "/in/",
            "?",
            "#",
            "trk=",
            "%C3%BC",
            "%2F",
            "%E2%82",
            "%zz",
            "Ü",
            "İ",
            "ẞ",
            "a",
            "B",
            "-1",
            " ",
            "\t",
            ".",
            "in",
        ];
        for text in random_texts(&pieces, 50_000) {
            assert_eq!(url_key(&text), url_key_by_str(&text), "{text:?}");
        }
    }

    #[test]
    fn names_normalise_as_each_character_lowercases() {
        let pieces = [
            "Ada", "LOVELACE", " ", " ", " ", "\t", "\u{a0}", "\u{b}", "\u{85}", "\u{3000}",
            "\u{2003}", "·", "Ümit", "İ", "ΣΑΣ", "ẞ", "x", "-", "O'Neil",
        ];
        for text in random_texts(&pieces, 20_000) {
            let by_char: Vec<String> = text
                .split_whitespace()
                .map(|w| w.chars().flat_map(char::to_lowercase).collect())
                .collect();
            assert_eq!(normalise_name(&text), by_char.join(" "), "{text:?}");
            let words: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(tidy(&text), words.join(" "), "{text:?}");
            for at in 0..=text.len() {
                if let (Some(first), Some(last)) = (text.get(..at), text.get(at..)) {
                    let both = format!("{first} {last}");
                    let words: Vec<&str> = both.split_whitespace().collect();
                    assert_eq!(
                        tidy_pair(first, last),
                        words.join(" "),
                        "{first:?} {last:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn latin1_lowercases_as_char_does() {
        for c in (0..=0x17f).filter_map(char::from_u32) {
            let want: Vec<char> = c.to_lowercase().collect();
            match latin1_lowercase(c) {
                Some(lower) => assert_eq!(vec![lower], want, "{c:?}"),
                None => assert!(c as u32 > 0xff, "{c:?}"),
            }
        }
    }

    #[test]
    fn every_whitespace_character_is_seen_in_its_bytes() {
        // `is_tidy` judges by bytes: each whitespace character must be one it sends away.
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            if c.is_whitespace() && c != ' ' {
                let text = format!("a{c}b");
                assert!(!is_tidy(&text), "{c:?}");
            }
        }
        assert!(is_tidy("Ada Lovelace") && is_tidy("Fernández") && is_tidy("x"));
        assert!(!is_tidy("") && !is_tidy(" a") && !is_tidy("a ") && !is_tidy("a  b"));
    }

    #[test]
    fn url_keys_normalise() {
        let k = |s| url_key(s);
        let want = Some("linkedin.com/in/jane-doe-12ab".to_string());
        assert_eq!(k("https://www.linkedin.com/in/jane-doe-12ab"), want);
        assert_eq!(k("http://uk.linkedin.com/in/Jane-Doe-12ab/?trk=x#y"), want);
        assert_eq!(k("www.linkedin.com/in/jane-doe-12ab/"), want);
        assert_eq!(k("linkedin.com/in/jane-doe-12ab"), want);
        assert_eq!(
            k("www.linkedin.com/in/jane-doe-12ab?trk=https://x.com"),
            want
        );
        assert_eq!(k("https://linkedin.com/in/jane-doe-12ab#https://a"), want);
        assert_eq!(
            k("https://www.linkedin.com/in/%C3%BCmit-tekcan-1"),
            k("https://www.linkedin.com/in/ümit-tekcan-1")
        );
        assert_eq!(
            k("https://www.linkedin.com/in/ÜMIT-tekcan-1").unwrap(),
            "linkedin.com/in/ümit-tekcan-1"
        );
    }

    #[test]
    fn unusable_urls() {
        for s in [
            "",
            "https://www.linkedin.com/in",
            "https://www.linkedin.com/in/",
            "https://www.linkedin.com/company/acme",
            "urn:li:member:610150649",
            "https://example.com/in/jane",
            "https://www.linkedin.com/in/jane/details",
            "https://www.uk.linkedin.com/in/jane",
            "https://m1.linkedin.com/in/jane",
        ] {
            assert_eq!(url_key(s), None, "{s}");
        }
    }

    #[test]
    fn anonymity() {
        assert!(is_anonymous("LinkedIn Member", ""));
        for member in ["LinkedIn Member", " linkedin \t MEMBER ", "LINKEDİN Member"] {
            assert_eq!(
                is_linkedin_member(member),
                normalise_name(member) == "linkedin member",
                "{member:?}"
            );
        }
        for other in [
            "LinkedIn",
            "LinkedIn Members",
            "LinkedIn Member X",
            "Linked In Member",
            "",
        ] {
            assert!(!is_linkedin_member(other), "{other:?}");
        }
        assert!(is_linkedin_member(" linkedin \t MEMBER "));
        // The Kelvin sign lowercases to `k`: three bytes for one.
        assert!(is_linkedin_member("LIN\u{212a}EDIN MEMBER"));
        assert!(!is_linkedin_member("linkedin membe"));
        assert!(is_anonymous(
            " linkedin  member ",
            "https://www.linkedin.com/in/x"
        ));
        assert!(is_anonymous("", ""));
        assert!(!is_anonymous("", "https://www.linkedin.com/in/x"));
        assert!(!is_anonymous("Ada", ""));
    }
}
