//! `parseURL`: an endpoint URL split into the parts rule sets use.

use std::net::Ipv6Addr;

/// The parts of a URL, as `parseURL` returns them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    /// The scheme, `http` or `https`, in lower case, without `://`.
    pub scheme: String,
    /// The host, and the port when the URL has one, as written (a port equal
    /// to the scheme's default is kept when written, none is added).
    pub authority: String,
    /// The path as written: empty when the URL has none, else starting with
    /// `/`.
    pub path: String,
    /// The path, starting and ending with `/` (`/` for an empty path).
    pub normalized_path: String,
    /// Whether the host is an IPv4 address (four dot-separated decimal
    /// numbers of at most 255) or a bracketed IPv6 address.
    pub is_ip: bool,
}

/// Whether `host` is an IPv4 address written as four dot-separated decimal
/// numbers, each at most 255 (leading zeros allowed).
pub(crate) fn is_ipv4(host: &str) -> bool {
    let mut parts = 0;
    for part in host.split('.') {
        parts += 1;
        if parts > 4
            || part.is_empty()
            || part.len() > 3
            || !part.bytes().all(|b| b.is_ascii_digit())
        {
            return false;
        }
        let n = part.bytes().fold(0u16, |n, b| n * 10 + u16::from(b - b'0'));
        if n > 255 {
            return false;
        }
    }
    parts == 4
}

/// Whether `b` may appear in a host name (RFC 3986 `reg-name`: unreserved
/// characters, sub-delimiters and percent-encodings).
fn is_reg_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'%'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
        )
}

/// Whether `port` is a port number: 1 to 5 digits, at most 65535.
fn is_port(port: &str) -> bool {
    !port.is_empty()
        && port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.bytes().fold(0u32, |n, b| n * 10 + u32::from(b - b'0')) <= 65535
}

/// Checks an authority (`host[:port]`, no userinfo) and says whether its
/// host is an IP address; `None` when it is not valid.
fn check_authority(authority: &str) -> Option<bool> {
    if let Some(rest) = authority.strip_prefix('[') {
        // A bracketed IPv6 address, optionally followed by `:port`.
        let (inner, after) = rest.split_once(']')?;
        inner.parse::<Ipv6Addr>().ok()?;
        if !after.is_empty() && !is_port(after.strip_prefix(':')?) {
            return None;
        }
        return Some(true);
    }
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    if host.is_empty() || !host.bytes().all(is_reg_name_byte) {
        return None;
    }
    if port.is_some_and(|port| !is_port(port)) {
        return None;
    }
    Some(is_ipv4(host))
}

/// `parseURL`: splits an `http` or `https` URL into its scheme, authority
/// and path; `None` when `value` is not such a URL.
///
/// Rejected (`None`): a query (`?`), as the specification requires; a
/// fragment (`#`); userinfo (`user@`); a scheme other than `http` or
/// `https` (compared ignoring case); an empty host; a port that is not a
/// number up to 65535 (an empty one included); a bracketed address that is
/// not IPv6; and any character that is not visible ASCII (spaces, control
/// characters, non-ASCII: percent-encode them). Host names are otherwise
/// not validated (`99_ab-.com` is accepted).
pub fn parse_url(value: &str) -> Option<Url> {
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    let (scheme, rest) = value.split_once("://")?;
    let scheme = if scheme.eq_ignore_ascii_case("https") {
        "https"
    } else if scheme.eq_ignore_ascii_case("http") {
        "http"
    } else {
        return None;
    };
    // `@` (userinfo) is rejected by the authority check, which allows it
    // nowhere; in the path it is fine.
    if rest.contains(['?', '#']) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at_checked(i)?,
        None => (rest, ""),
    };
    let is_ip = check_authority(authority)?;
    let mut normalized_path = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized_path.push('/');
    }
    normalized_path.push_str(path);
    if !normalized_path.ends_with('/') {
        normalized_path.push('/');
    }
    Some(Url {
        scheme: scheme.to_owned(),
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path,
        is_ip,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(value: &str) -> Option<(String, String, String, String, bool)> {
        parse_url(value).map(|u| (u.scheme, u.authority, u.path, u.normalized_path, u.is_ip))
    }

    fn ok(
        scheme: &str,
        authority: &str,
        path: &str,
        normalized: &str,
        is_ip: bool,
    ) -> Option<(String, String, String, String, bool)> {
        Some((
            scheme.to_owned(),
            authority.to_owned(),
            path.to_owned(),
            normalized.to_owned(),
            is_ip,
        ))
    }

    #[test]
    fn spec_table() {
        // The specification's table shows `/` as the path of a URL without
        // one; the path is the unmodified one (empty), as the reference
        // implementation and rule sets' tests expect (`{url#path}`).
        assert_eq!(
            parts("https://example.com"),
            ok("https", "example.com", "", "/", false)
        );
        assert_eq!(parts("https://example.com:8443?foo=bar&faz=baz"), None);
        assert_eq!(
            parts("http://example.com:80/foo/bar"),
            ok("http", "example.com:80", "/foo/bar", "/foo/bar/", false)
        );
        assert_eq!(
            parts("https://127.0.0.1"),
            ok("https", "127.0.0.1", "", "/", true)
        );
        assert_eq!(
            parts("https://[fe80::1]"),
            ok("https", "[fe80::1]", "", "/", true)
        );
    }

    #[test]
    fn rules_engine_test_cases() {
        assert_eq!(
            parts("https://authority.com/custom-path"),
            ok(
                "https",
                "authority.com",
                "/custom-path",
                "/custom-path/",
                false
            )
        );
        assert_eq!(
            parts("https://authority.com/"),
            ok("https", "authority.com", "/", "/", false)
        );
        assert_eq!(
            parts("https://authority.com:8000/port"),
            ok("https", "authority.com:8000", "/port", "/port/", false)
        );
        assert_eq!(
            parts("http://authority.com:8000/port"),
            ok("http", "authority.com:8000", "/port", "/port/", false)
        );
        assert_eq!(parts("acbd://example.com"), None);
        assert_eq!(
            parts("http://99_ab.com"),
            ok("http", "99_ab.com", "", "/", false)
        );
        assert_eq!(
            parts("http://99_ab-.com"),
            ok("http", "99_ab-.com", "", "/", false)
        );
        assert_eq!(parts("http://abc.com:a/foo"), None);
        assert_eq!(
            parts("http://192.168.1.1/foo/"),
            ok("http", "192.168.1.1", "/foo/", "/foo/", true)
        );
        assert_eq!(
            parts("http://192.168.1.1:1234/foo/"),
            ok("http", "192.168.1.1:1234", "/foo/", "/foo/", true)
        );
        assert_eq!(
            parts("https://[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443"),
            ok(
                "https",
                "[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443",
                "",
                "/",
                true
            )
        );
        assert_eq!(
            parts("https://999.999.abc.blah"),
            ok("https", "999.999.abc.blah", "", "/", false)
        );
        assert_eq!(parts("https://example.com/path?query1=foo"), None);
    }

    #[test]
    fn scheme_is_lower_cased_authority_kept() {
        assert_eq!(
            parts("HTTPS://Example.COM/A"),
            ok("https", "Example.COM", "/A", "/A/", false)
        );
        assert_eq!(parts("wss://localhost:8443/path"), None);
        assert_eq!(parts("httpx://localhost"), None);
        assert_eq!(parts("://localhost"), None);
        assert_eq!(parts("example.com"), None);
        assert_eq!(parts("http:/example.com"), None);
    }

    #[test]
    fn authority_checks() {
        assert_eq!(parts("https://"), None);
        assert_eq!(parts("https:///path"), None);
        assert_eq!(parts("https://:443"), None);
        assert_eq!(parts("https://user:pass@example.com"), None);
        assert_eq!(parts("https://user@example.com"), None);
        assert_eq!(parts("https://example.com:"), None);
        assert_eq!(parts("https://example.com:65536"), None);
        assert_eq!(parts("https://example.com:123456"), None);
        assert_eq!(parts("https://example.com:1:2"), None);
        assert_eq!(
            parts("https://example.com:65535"),
            ok("https", "example.com:65535", "", "/", false)
        );
        assert_eq!(parts("https://[fe80::1"), None);
        assert_eq!(parts("https://[not-ip]"), None);
        assert_eq!(parts("https://[127.0.0.1]"), None);
        assert_eq!(parts("https://[fe80::1]x"), None);
        assert_eq!(parts("https://[fe80::1]:"), None);
        assert_eq!(
            parts("https://[::1]:8443/a"),
            ok("https", "[::1]:8443", "/a", "/a/", true)
        );
        assert_eq!(parts("https://exa[mple.com"), None);
        assert_eq!(parts("https://example.com#frag"), None);
        assert_eq!(parts("https://exa mple.com"), None);
        assert_eq!(parts("https://example.com/a b"), None);
        assert_eq!(parts("https://bücher.example"), None);
        assert_eq!(parts("https://example.com\n"), None);
    }

    #[test]
    fn ipv4_detection() {
        assert!(is_ipv4("0.0.0.0"));
        assert!(is_ipv4("255.255.255.255"));
        assert!(is_ipv4("010.1.1.1"));
        assert!(!is_ipv4("256.1.1.1"));
        assert!(!is_ipv4("1.1.1"));
        assert!(!is_ipv4("1.1.1.1.1"));
        assert!(!is_ipv4("1.1..1"));
        assert!(!is_ipv4("1.1.1.1."));
        assert!(!is_ipv4("1.1.1.a"));
        assert!(!is_ipv4("1.1.1.+1"));
        assert!(!is_ipv4("1.1.1.0001"));
        assert!(!is_ipv4(""));
        assert_eq!(parts("https://1.2.3.4.5").map(|p| p.4), Some(false));
    }

    #[test]
    fn paths_are_kept_and_normalized() {
        assert_eq!(
            parts("https://e.com//a//b"),
            ok("https", "e.com", "//a//b", "//a//b/", false)
        );
        assert_eq!(
            parts("https://e.com/a@b"),
            ok("https", "e.com", "/a@b", "/a@b/", false)
        );
        assert_eq!(
            parts("https://e.com/a%20b/"),
            ok("https", "e.com", "/a%20b/", "/a%20b/", false)
        );
    }
}
