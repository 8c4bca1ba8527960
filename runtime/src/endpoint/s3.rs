//! `aws.isVirtualHostableS3Bucket`: whether a bucket name can be the first
//! label(s) of an S3 host name.

use super::url::is_ipv4;

/// Whether `b` is a lower-case ASCII letter or a digit.
fn is_lower_alphanumeric(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `aws.isVirtualHostableS3Bucket`: whether `value` is a bucket name that
/// can be put in front of an S3 host name.
///
/// `value` must be 3 to 63 characters long (the whole name, dots included),
/// of lower-case ASCII letters, digits and hyphens, starting and ending with
/// a letter or digit. With `allow_sub_domains`, it may also contain dots
/// between such labels (no leading, trailing or doubled dot, no hyphen next
/// to a dot), and must then not look like an IPv4 address (`192.168.5.4`).
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    if !(3..=63).contains(&value.len()) {
        return false;
    }
    // One pass: each byte is checked against the one before it (a virtual
    // dot before the first byte, so that a name cannot start with `.`/`-`).
    let mut previous = b'.';
    let mut dots = false;
    for &b in value.as_bytes() {
        let ok = if b == b'.' {
            dots = true;
            allow_sub_domains && is_lower_alphanumeric(previous)
        } else if b == b'-' {
            previous != b'.'
        } else {
            is_lower_alphanumeric(b)
        };
        if !ok {
            return false;
        }
        previous = b;
    }
    is_lower_alphanumeric(previous) && !(dots && is_ipv4(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_engine_test_cases() {
        // (name, without sub-domains, with sub-domains)
        for (name, plain, dotted) in [
            ("bucket-name", true, true),
            ("bucket-with-number-1", true, true),
            ("BucketName", false, false),
            ("bucket_name", false, false),
            ("bucket.name", false, true),
            ("bucket.name.multiple.dots1", false, true),
            ("-bucket-name", false, false),
            ("bucket-name-", false, false),
            ("aa", false, false),
            (&"a".repeat(64), false, false),
            (".bucket-name", false, false),
            ("bucket-name.", false, false),
            ("192.168.5.4", false, false),
            ("bucket-.name", false, false),
            ("bucket.-name", false, false),
        ] {
            assert_eq!(
                is_virtual_hostable_s3_bucket(name, false),
                plain,
                "{name:?}, false"
            );
            assert_eq!(
                is_virtual_hostable_s3_bucket(name, true),
                dotted,
                "{name:?}, true"
            );
        }
    }

    #[test]
    fn lengths() {
        assert!(is_virtual_hostable_s3_bucket("abc", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", true));
        assert!(is_virtual_hostable_s3_bucket(&"a".repeat(63), false));
        // The limit counts the whole name, dots included.
        let long = format!("{}.{}", "a".repeat(31), "b".repeat(31));
        assert_eq!(long.len(), 63);
        assert!(is_virtual_hostable_s3_bucket(&long, true));
        assert!(!is_virtual_hostable_s3_bucket(&format!("{long}c"), true));
        // Labels themselves may be short.
        assert!(is_virtual_hostable_s3_bucket("a.b", true));
        assert!(is_virtual_hostable_s3_bucket("a.b.c", true));
    }

    #[test]
    fn characters_and_ip_like_names() {
        assert!(is_virtual_hostable_s3_bucket("a--b", false));
        assert!(!is_virtual_hostable_s3_bucket("a..b", true));
        assert!(!is_virtual_hostable_s3_bucket("abc\u{e9}", false));
        assert!(!is_virtual_hostable_s3_bucket("ab c", false));
        assert!(!is_virtual_hostable_s3_bucket("abC", true));
        assert!(!is_virtual_hostable_s3_bucket("10.0.0.1", true));
        // Not an address: a part above 255, or not four parts.
        assert!(is_virtual_hostable_s3_bucket("256.0.0.1", true));
        assert!(is_virtual_hostable_s3_bucket("10.0.0", true));
        assert!(is_virtual_hostable_s3_bucket("10.0.0.1.5", true));
    }
}
