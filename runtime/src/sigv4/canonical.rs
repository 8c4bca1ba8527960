//! The canonical request, written once for signing and verification.
//!
//! ```text
//! Method \n CanonicalPath \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload
//! ```
//!
//! Written as bytes: a request being verified may carry header values that
//! are not UTF-8, and they are signed as they are.

use std::borrow::Cow;

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// RFC 3986's unreserved characters: the only ones SigV4 leaves as they
/// are.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Appends `bytes` with every byte but the unreserved characters (and `/`,
/// unless `encode_slash`) written as `%XX`, upper-case.
fn push_encoded(out: &mut Vec<u8>, bytes: &[u8], encode_slash: bool) {
    out.reserve(bytes.len());
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if is_unreserved(b) || (b == b'/' && !encode_slash) {
            continue;
        }
        out.extend_from_slice(&bytes[run..i]);
        out.extend_from_slice(&[
            b'%',
            HEX_UPPER[usize::from(b >> 4)],
            HEX_UPPER[usize::from(b & 0xf)],
        ]);
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
}

/// SigV4's URI encoding: every byte of `s` but the RFC 3986 unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`) as `%XX` (upper-case hex), and `/`
/// kept unless `encode_slash`. Percent signs are encoded too (`%3A`
/// becomes `%253A`), which is what makes the path "double-encoded".
pub fn uri_encode(s: &str, encode_slash: bool) -> String {
    let mut out = Vec::with_capacity(s.len());
    push_encoded(&mut out, s.as_bytes(), encode_slash);
    // Only ASCII was written, or `s`'s own (UTF-8) unreserved characters.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A path with RFC 3986's dot segments (`.`, `..`) removed and runs of
/// slashes collapsed into one, as every AWS service but S3 canonicalizes
/// it (and as the SDKs sign it): `//a/./b/../c/` becomes `/a/c/`. The
/// result starts with `/`, and ends with one when `path` ends with `/`,
/// `/.` or `/..`. Percent-escapes are left alone (`%2E` is not a dot).
pub fn normalize_path(path: &str) -> Cow<'_, str> {
    let plain = path.starts_with('/')
        && !path.contains("//")
        && !path.split('/').any(|s| s == "." || s == "..");
    if plain {
        return Cow::Borrowed(path);
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::with_capacity(path.len() + 1);
    for s in &segments {
        out.push('/');
        out.push_str(s);
    }
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    if out.is_empty() || trailing {
        out.push('/');
    }
    Cow::Owned(out)
}

/// How the path is canonicalized: every service but S3 normalizes it and
/// encodes it once more; S3 does neither.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PathStyle {
    pub(crate) double_encode: bool,
    pub(crate) normalize: bool,
}

fn push_canonical_path(out: &mut Vec<u8>, path: &str, style: PathStyle) {
    let path = if path.is_empty() { "/" } else { path };
    let path = if style.normalize {
        normalize_path(path)
    } else {
        Cow::Borrowed(path)
    };
    if style.double_encode {
        push_encoded(out, path.as_bytes(), false);
    } else {
        out.extend_from_slice(path.as_bytes());
    }
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a
/// byte, and a `%` not followed by two hex digits stays as it is.
fn form_decode(s: &str) -> Cow<'_, [u8]> {
    let b = s.as_bytes();
    if !b.iter().any(|&c| c == b'%' || c == b'+') {
        return Cow::Borrowed(b);
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = b.get(i + 1).copied().and_then(hex_value);
                let lo = b.get(i + 2).copied().and_then(hex_value);
                if let (Some(hi), Some(lo)) = (hi, lo) {
                    out.push(hi << 4 | lo);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            c => out.push(c),
        }
        i += 1;
    }
    Cow::Owned(out)
}

/// One query key or value, canonical: decoded as a form would be, the
/// bytes read as UTF-8 (a malformed sequence becomes U+FFFD, as the AWS
/// SDK for Rust reads it), then encoded again with [`uri_encode`]'s rule.
fn canonical_component(s: &str) -> Cow<'_, [u8]> {
    if s.bytes().all(is_unreserved) {
        return Cow::Borrowed(s.as_bytes());
    }
    let decoded = form_decode(s);
    let text = String::from_utf8_lossy(&decoded);
    let mut out = Vec::with_capacity(text.len() + 16);
    push_encoded(&mut out, text.as_bytes(), true);
    Cow::Owned(out)
}

/// A canonical query key and value.
type QueryPair<'a> = (Cow<'a, [u8]>, Cow<'a, [u8]>);

/// The canonical query string of `query` (the text after `?`, as it is on
/// the wire): each `key=value` pair (a pair without `=` has an empty value,
/// empty pairs are skipped) decoded and re-encoded
/// ([`canonical_component`]), sorted by key and then value, written as
/// `key=value` joined by `&`.
fn push_canonical_query(out: &mut Vec<u8>, query: &str) {
    if query.is_empty() {
        return;
    }
    let mut pairs: Vec<QueryPair<'_>> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (canonical_component(k), canonical_component(v))
        })
        .collect();
    pairs.sort_unstable();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        out.extend_from_slice(k);
        out.push(b'=');
        out.extend_from_slice(v);
    }
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// A header value, canonical: leading and trailing spaces and tabs
/// removed, and each run of them inside written as one space.
fn push_header_value(out: &mut Vec<u8>, value: &[u8]) {
    let Some(start) = value.iter().position(|&b| !is_blank(b)) else {
        return;
    };
    let end = value
        .iter()
        .rposition(|&b| !is_blank(b))
        .map_or(start, |e| e + 1);
    let value = &value[start..end];
    let mut run = 0;
    let mut i = 0;
    while i < value.len() {
        if !is_blank(value[i]) {
            i += 1;
            continue;
        }
        let blanks = value[i..].iter().take_while(|&&b| is_blank(b)).count();
        if blanks > 1 || value[i] == b'\t' {
            out.extend_from_slice(&value[run..i]);
            out.push(b' ');
            run = i + blanks;
        }
        i += blanks;
    }
    out.extend_from_slice(&value[run..]);
}

/// Where a canonical header's values come from.
pub(crate) enum HeaderValues<'a> {
    /// One value the signer adds (or the host taken from the URI).
    One(&'a [u8]),
    /// Every value of a header of the request, in order.
    All(http::header::GetAll<'a, http::HeaderValue>),
}

/// One line of the canonical headers: `name:value1,value2`.
pub(crate) struct CanonicalHeader<'a> {
    /// Lower-case, as `SignedHeaders` lists it.
    pub(crate) name: &'a str,
    pub(crate) values: HeaderValues<'a>,
}

/// What a canonical request is made of.
pub(crate) struct Parts<'a> {
    pub(crate) method: &'a str,
    /// The path as it is on the wire (still percent-encoded).
    pub(crate) path: &'a str,
    /// The query as it is on the wire, without `?` (empty for none).
    pub(crate) query: &'a str,
    /// In `SignedHeaders` order.
    pub(crate) headers: &'a [CanonicalHeader<'a>],
    /// The names of `headers`, joined by `;`.
    pub(crate) signed_headers: &'a str,
    pub(crate) payload_hash: &'a str,
    pub(crate) style: PathStyle,
}

/// Writes the canonical request of `parts` to `out`.
pub(crate) fn write(out: &mut Vec<u8>, parts: &Parts<'_>) {
    out.extend_from_slice(parts.method.as_bytes());
    out.push(b'\n');
    push_canonical_path(out, parts.path, parts.style);
    out.push(b'\n');
    push_canonical_query(out, parts.query);
    out.push(b'\n');
    for header in parts.headers {
        out.extend_from_slice(header.name.as_bytes());
        out.push(b':');
        match &header.values {
            HeaderValues::One(value) => push_header_value(out, value),
            HeaderValues::All(values) => {
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    push_header_value(out, value.as_bytes());
                }
            }
        }
        out.push(b'\n');
    }
    out.push(b'\n');
    out.extend_from_slice(parts.signed_headers.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(parts.payload_hash.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str) -> String {
        let mut out = Vec::new();
        push_canonical_query(&mut out, q);
        String::from_utf8(out).unwrap()
    }

    fn header(v: &str) -> String {
        let mut out = Vec::new();
        push_header_value(&mut out, v.as_bytes());
        String::from_utf8(out).unwrap()
    }

    fn path(p: &str, double_encode: bool, normalize: bool) -> String {
        let mut out = Vec::new();
        push_canonical_path(
            &mut out,
            p,
            PathStyle {
                double_encode,
                normalize,
            },
        );
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn encodes() {
        assert_eq!(uri_encode("/tags/arn%3Aaws", false), "/tags/arn%253Aaws");
        assert_eq!(uri_encode("a b/c~", true), "a%20b%2Fc~");
        assert_eq!(uri_encode("ሴ", true), "%E1%88%B4");
        assert_eq!(
            uri_encode(":/?#[]@!$&'()*+,;=%", false),
            "%3A/%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%25"
        );
    }

    #[test]
    fn normalizes_paths() {
        for (input, expected) in [
            ("/", "/"),
            ("", "/"),
            ("/a/b", "/a/b"),
            ("a/b", "/a/b"),
            ("//", "/"),
            ("//a//b//", "/a/b/"),
            ("/./", "/"),
            ("/.", "/"),
            ("/..", "/"),
            ("/../a", "/a"),
            ("/a/..", "/"),
            ("/a/b/../..", "/"),
            ("/a/./b/../c/", "/a/c/"),
            ("/a/b/.", "/a/b/"),
            ("/a/b/..", "/a/"),
            ("/a/.b/..c/", "/a/.b/..c/"),
            ("/a/%2E%2E/b", "/a/%2E%2E/b"),
            (".", "/"),
        ] {
            assert_eq!(normalize_path(input), expected, "{input:?}");
        }
        assert!(matches!(normalize_path("/a/b.c"), Cow::Borrowed(_)));
    }

    #[test]
    fn canonical_paths() {
        assert_eq!(path("", true, true), "/");
        assert_eq!(path("/a b/./%3D//", true, true), "/a%20b/%253D/");
        assert_eq!(path("/a b/./%3D//", true, false), "/a%20b/./%253D//");
        assert_eq!(path("/a/./%3D//", false, false), "/a/./%3D//");
    }

    #[test]
    fn canonical_queries() {
        assert_eq!(query(""), "");
        assert_eq!(query("b=2&a=1&a=0"), "a=0&a=1&b=2");
        assert_eq!(query("a&b=&&c"), "a=&b=&c=");
        assert_eq!(query("k=a+b%20c%2fd%7E"), "k=a%20b%20c%2Fd~");
        assert_eq!(query("k=x=y"), "k=x%3Dy");
        assert_eq!(query("%zz=%4"), "%25zz=%254");
        assert_eq!(query("k=%FF"), "k=%EF%BF%BD");
        assert_eq!(query("ሴ=bar"), "%E1%88%B4=bar");
        // Sorted on the encoded bytes: upper case before lower, `%` first.
        assert_eq!(query("b=1&B=2&%41=3&_=4&+=5"), "%20=5&A=3&B=2&_=4&b=1");
    }

    #[test]
    fn header_values() {
        assert_eq!(header("value"), "value");
        assert_eq!(header("  a   b  c  "), "a b c");
        assert_eq!(header("\ta\t\tb \tc"), "a b c");
        assert_eq!(header("a\tb"), "a b");
        assert_eq!(header("   "), "");
        assert_eq!(header(""), "");
        assert_eq!(header("\"a   b   c\""), "\"a b c\"");
    }
}
