//! The rules engine's standard library functions that are more than an
//! operator: `isValidHostLabel`, `substring` and `uriEncode`. (`parseURL`
//! is in its own module; `booleanEquals`, `stringEquals`, `isSet`, `not`,
//! `coalesce` and `getAttr` are plain Rust in generated code.)

/// `isValidHostLabel`: whether `value` is an RFC 1123 host label (1 to 63
/// ASCII letters, digits and hyphens, not starting or ending with a hyphen).
///
/// With `allow_sub_domains`, `value` may be several such labels joined by
/// single dots; each label is checked on its own (the 63-character limit is
/// per label), and a leading, trailing or doubled dot makes it invalid.
pub fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    // One pass over the bytes: the current label's length and the previous
    // byte are all the state needed.
    let mut label_len = 0usize;
    let mut previous = b'.';
    for &b in value.as_bytes() {
        if b == b'.' && allow_sub_domains {
            if label_len == 0 || previous == b'-' {
                return false;
            }
            label_len = 0;
        } else if b.is_ascii_alphanumeric() || (b == b'-' && label_len > 0) {
            label_len += 1;
            if label_len > 63 {
                return false;
            }
        } else {
            return false;
        }
        previous = b;
    }
    label_len > 0 && previous != b'-'
}

/// `substring`: the characters of `value` from `start` (inclusive) to
/// `stop` (exclusive); with `reverse`, both count from the end of `value`
/// (`substring("abcdefg", 0, 4, true)` is `"defg"`).
///
/// `None` when `value` has any non-ASCII character, when `start >= stop`,
/// or when `value` is shorter than `stop`.
pub fn substring(value: &str, start: usize, stop: usize, reverse: bool) -> Option<&str> {
    if !value.is_ascii() || start >= stop || value.len() < stop {
        return None;
    }
    if reverse {
        value.get(value.len() - stop..value.len() - start)
    } else {
        value.get(start..stop)
    }
}

/// Whether `b` is an RFC 3986 unreserved character.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// `uriEncode`: percent-encodes every byte of `value`'s UTF-8 form except
/// the RFC 3986 unreserved characters (`A-Z a-z 0-9 - _ . ~`), with
/// upper-case hexadecimal digits (a space is `%20`).
pub fn uri_encode(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0F)]));
        }
    }
    out
}

/// A template's pieces joined into one string, allocated once at its
/// final size (what generated code makes of `"https://{Region}.{Suffix}"`).
pub fn concat(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for p in pieces {
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_joins_in_order_at_the_final_size() {
        let s = concat(&["https://svc.", "us-east-1", ".", "amazonaws.com"]);
        assert_eq!(s, "https://svc.us-east-1.amazonaws.com");
        assert_eq!(s.capacity(), s.len());
        assert_eq!(concat(&[]), "");
    }

    #[test]
    fn host_label_single() {
        for ok in ["us-east-1", "3aws4", "a", "A-1-b", "xn--bcher-kva"] {
            assert!(is_valid_host_label(ok, false), "{ok:?} should be valid");
        }
        for bad in [
            "",
            "part1 part2",
            "part1.part2",
            "-leading",
            "trailing-",
            "-",
            "under_score",
            "ünïcode",
            "a/b",
        ] {
            assert!(
                !is_valid_host_label(bad, false),
                "{bad:?} should be invalid"
            );
        }
    }

    #[test]
    fn host_label_length_limit() {
        let max = "a".repeat(63);
        assert!(is_valid_host_label(&max, false));
        assert!(is_valid_host_label(&max, true));
        let over = "a".repeat(64);
        assert!(!is_valid_host_label(&over, false));
        assert!(!is_valid_host_label(&over, true));
        // With sub-domains the limit applies to each label.
        let two = format!("{max}.{max}");
        assert!(is_valid_host_label(&two, true));
        assert!(!is_valid_host_label(&format!("{max}.{over}"), true));
    }

    #[test]
    fn host_label_sub_domains() {
        for ok in ["part1.part2", "us-east-1", "a.b.c", "3aws4.x-1"] {
            assert!(is_valid_host_label(ok, true), "{ok:?} should be valid");
        }
        for bad in [
            "",
            ".",
            "part1.",
            ".part1",
            "part1..part2",
            "part1.-part2",
            "part1-.part2",
            "part1 part2",
            "a.b_c",
        ] {
            assert!(!is_valid_host_label(bad, true), "{bad:?} should be invalid");
        }
    }

    #[test]
    fn substring_forward() {
        assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcd", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("", 0, 4, false), None);
        assert_eq!(substring("defg", 1, 3, false), Some("ef"));
        assert_eq!(substring("def", 1, 3, false), Some("ef"));
        assert_eq!(substring("ab", 1, 3, false), None);
        assert_eq!(substring("", 1, 3, false), None);
    }

    #[test]
    fn substring_reverse() {
        assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
        assert_eq!(substring("defg", 0, 4, true), Some("defg"));
        assert_eq!(substring("abc", 0, 4, true), None);
        assert_eq!(substring("", 0, 4, true), None);
        assert_eq!(substring("abcdefg", 1, 3, true), Some("ef"));
    }

    #[test]
    fn substring_rejects_bad_ranges_and_non_ascii() {
        assert_eq!(substring("abcdef", 2, 2, false), None);
        assert_eq!(substring("abcdef", 3, 2, false), None);
        assert_eq!(substring("abcdef", 3, 2, true), None);
        assert_eq!(substring("abcdef", usize::MAX, 2, true), None);
        assert_eq!(substring("abcdef", 0, usize::MAX, true), None);
        assert_eq!(substring("\u{fdfd}", 0, 4, false), None);
        assert_eq!(substring("\u{fdfd}", 0, 4, true), None);
        assert_eq!(substring("\u{fdfd}", 1, 3, false), None);
        assert_eq!(substring("abcdef\u{1F431}", 0, 4, false), None);
        assert_eq!(substring("abcdef\u{80}", 0, 4, false), None);
        // The whole of ASCII counts, non-printable characters included.
        assert_eq!(substring("\u{7f}abcdef", 0, 4, false), Some("\u{7f}abc"));
    }

    #[test]
    fn uri_encode_spec_examples() {
        assert_eq!(uri_encode("abcdefg"), "abcdefg");
        assert_eq!(uri_encode("abc:defg"), "abc%3Adefg");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(
            uri_encode("0123456789.underscore_dash-Tilda~"),
            "0123456789.underscore_dash-Tilda~"
        );
        assert_eq!(uri_encode("\u{1F639}"), "%F0%9F%98%B9");
        assert_eq!(uri_encode(""), "");
    }

    #[test]
    fn uri_encode_all_printable_ascii() {
        let printable: String = (0x20u8..0x7f).map(char::from).collect();
        assert_eq!(
            uri_encode(&printable),
            "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40\
             ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D~"
        );
        // Control characters and DEL are encoded too, upper-case.
        assert_eq!(uri_encode("\n\u{7f}\u{e9}"), "%0A%7F%C3%A9");
    }
}
