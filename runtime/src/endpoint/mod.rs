//! Run-time support for Smithy endpoint rule sets compiled to Rust.
//!
//! The generator turns a service's `smithy.rules#endpointRuleSet` into
//! plain Rust that evaluates the rules and returns an [`Endpoint`] or a
//! [`ResolveError`]. What that code calls lives here, one concern per
//! module:
//!
//! - the result types: [`Endpoint`], its property [`Value`]s and
//!   [`ResolveError`];
//! - the standard library: [`is_valid_host_label`] (`isValidHostLabel`),
//!   [`substring`], [`uri_encode`] (`uriEncode`) and [`parse_url`]
//!   (`parseURL`, giving a [`Url`]), and [`concat()`] for templates; the other standard functions
//!   (`booleanEquals`, `stringEquals`, `isSet`, `not`, `coalesce`,
//!   `getAttr`) are plain Rust in generated code;
//! - the AWS extensions: [`partition`] (`aws.partition`, over a
//!   [`PartitionEntry`] table generated into each client, giving a
//!   [`Partition`]), [`parse_arn`] (`aws.parseArn`, giving an [`Arn`]) and
//!   [`is_virtual_hostable_s3_bucket`] (`aws.isVirtualHostableS3Bucket`).
//!
//! [`memoized`] keeps each thread's last resolution (generated `resolve`
//! functions go through it).
//!
//! No function here panics, whatever its input. The predicates,
//! [`substring`] and [`partition`] do not allocate; [`parse_url`],
//! [`parse_arn`] and [`uri_encode`] allocate only the values they return.

mod arn;
// The module of the `Endpoint` type shares the feature's name.
#[allow(clippy::module_inception)]
mod endpoint;
mod functions;
mod memo;
mod partition;
mod s3;
mod url;

pub use arn::{Arn, parse_arn};
pub use endpoint::{Endpoint, ResolveError, Value};
pub use functions::{concat, is_valid_host_label, substring, uri_encode};
pub use memo::{Memo, memoized};
pub use partition::{Partition, PartitionEntry, partition};
pub use s3::is_virtual_hostable_s3_bucket;
pub use url::{Url, parse_url};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string of up to `max_len` characters from `alphabet`.
    fn all_strings(alphabet: &[char], max_len: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..max_len {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    /// Undoes `uri_encode`.
    fn percent_decode(encoded: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let mut bytes = encoded.bytes();
        while let Some(b) = bytes.next() {
            if b == b'%' {
                let hex: String = bytes.by_ref().take(2).map(char::from).collect();
                assert_eq!(hex, hex.to_uppercase(), "lower-case hex in {encoded:?}");
                out.push(u8::from_str_radix(&hex, 16).expect("two hex digits"));
            } else {
                out.push(b);
            }
        }
        out
    }

    /// The functions' invariants over every short string of the characters
    /// that matter to them (and none of them panics).
    #[test]
    fn invariants_on_short_strings() {
        let alphabet = [
            'a', 'B', '1', '.', '-', ':', '/', '[', ']', '@', '?', '%', '\u{e9}',
        ];
        for s in all_strings(&alphabet, 4) {
            for allow in [false, true] {
                let host = is_valid_host_label(&s, allow);
                let bucket = is_virtual_hostable_s3_bucket(&s, allow);
                assert!(!bucket || host, "{s:?} is a bucket but not a host label");
                assert!(
                    !host || !s.is_empty() && !s.starts_with(['.', '-']),
                    "{s:?}"
                );
                assert!(allow || !host || !s.contains('.'), "{s:?}");
            }
            for (start, stop) in [(0, 1), (1, 3), (0, 4), (2, 2), (3, 1)] {
                for reverse in [false, true] {
                    if let Some(sub) = substring(&s, start, stop, reverse) {
                        assert_eq!(sub.len(), stop - start, "{s:?}");
                        assert!(s.contains(sub), "{s:?}");
                    }
                }
            }
            let encoded = uri_encode(&s);
            assert!(
                encoded
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)),
                "{encoded:?}"
            );
            assert_eq!(percent_decode(&encoded), s.as_bytes(), "{encoded:?}");
            for url in [format!("https://{s}"), format!("http://a{s}/{s}")] {
                if let Some(u) = parse_url(&url) {
                    assert!(u.normalized_path.starts_with('/'), "{url:?}");
                    assert!(u.normalized_path.ends_with('/'), "{url:?}");
                    assert_eq!(format!("{}://{}{}", u.scheme, u.authority, u.path), url);
                    assert!(!u.authority.contains(['@', '?', '/']), "{url:?}");
                }
            }
            let arn = format!("arn:{s}:{s}:{s}:{s}:{s}");
            match parse_arn(&arn) {
                Some(a) if !s.contains(':') => {
                    assert_eq!((a.partition, a.service, a.region), (&*s, &*s, &*s));
                    assert_eq!(a.resource_id.join("/"), s.replace(':', "/"), "{arn:?}");
                }
                Some(_) => {}
                None => assert!(s.is_empty() || s.contains(':'), "{arn:?}"),
            }
        }
    }

    /// `isValidHostLabel` written the obvious way: split, then check labels.
    fn host_label_by_split(value: &str, allow_sub_domains: bool) -> bool {
        let label_ok = |l: &str| {
            (1..=63).contains(&l.len())
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        };
        if allow_sub_domains {
            value.split('.').all(label_ok)
        } else {
            label_ok(value)
        }
    }

    /// `aws.isVirtualHostableS3Bucket` written the obvious way.
    fn bucket_by_split(value: &str, allow_sub_domains: bool) -> bool {
        let label_ok = |l: &str| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
        };
        (3..=63).contains(&value.len())
            && if allow_sub_domains {
                value.split('.').all(label_ok) && value.parse::<std::net::Ipv4Addr>().is_err()
            } else {
                label_ok(value)
            }
    }

    /// The one-pass predicates agree with the split-based definitions on
    /// every short string of the characters that matter, and at the length
    /// limits.
    #[test]
    fn predicates_match_split_definitions() {
        let mut inputs = all_strings(&['a', 'B', '1', '.', '-', '_'], 6);
        for n in [62, 63, 64] {
            inputs.push("a".repeat(n));
            inputs.push(format!("{}.b", "a".repeat(n)));
            inputs.push(format!("b.{}", "a".repeat(n)));
        }
        inputs.extend(["1.2.3.4", "1.2.3.256", "01.2.3.4", "1.2.3", "999.1.1.1"].map(String::from));
        for s in &inputs {
            for allow in [false, true] {
                assert_eq!(
                    is_valid_host_label(s, allow),
                    host_label_by_split(s, allow),
                    "{s:?} {allow}"
                );
                // `Ipv4Addr` refuses leading zeros, which S3 counts as an address.
                if !s.starts_with("01.") {
                    assert_eq!(
                        is_virtual_hostable_s3_bucket(s, allow),
                        bucket_by_split(s, allow),
                        "{s:?} {allow}"
                    );
                }
            }
        }
        assert!(!is_virtual_hostable_s3_bucket("01.2.3.4", true));
    }
}
