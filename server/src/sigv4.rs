//! AWS Signature Version 4 verification of incoming requests, as the real
//! service does it for `Authorization`-header signing: canonical request
//! (the path URI-encoded once more, as for every service but S3), string to
//! sign, derived key, constant-time comparison, and a 15-minute clock skew.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

type HmacSha256 = Hmac<Sha256>;

/// Why a request is not authenticated; each maps to an AWS common error
/// name the SDKs and CLI know (`IncompleteSignature` and
/// `UnrecognizedClientException` as the API reference's Common Errors list
/// them). All are answered with 403, a clock skew included (AWS JSON
/// services answer `InvalidSignatureException: Signature expired`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// No `Authorization` header.
    MissingAuthenticationToken,
    /// The header or a required part of it is missing or malformed.
    IncompleteSignature(String),
    /// The access key is not one the server knows.
    UnrecognizedClient,
    /// The signature does not match, or the request is too old or too new.
    InvalidSignature(String),
}

impl AuthError {
    /// The error type name (`X-Amzn-Errortype`).
    pub fn error_type(&self) -> &'static str {
        match self {
            AuthError::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            AuthError::IncompleteSignature(_) => "IncompleteSignature",
            AuthError::UnrecognizedClient => "UnrecognizedClientException",
            AuthError::InvalidSignature(_) => "InvalidSignatureException",
        }
    }

    /// The message.
    pub fn message(&self) -> String {
        match self {
            AuthError::MissingAuthenticationToken => "Missing Authentication Token".into(),
            AuthError::IncompleteSignature(m) | AuthError::InvalidSignature(m) => m.clone(),
            AuthError::UnrecognizedClient => {
                "The security token included in the request is invalid.".into()
            }
        }
    }
}

/// What the verifier checks against.
#[derive(Clone, Debug)]
pub struct Verifier {
    /// Access key ID to secret.
    pub credentials: BTreeMap<String, String>,
    /// The signing name the credential scope must carry.
    pub service: String,
    /// Largest allowed difference between `X-Amz-Date` and now, in seconds.
    pub max_skew_secs: i64,
}

impl Verifier {
    /// Verifies `request` (with its whole body) at time `now` (Unix seconds).
    pub fn verify(
        &self,
        parts: &http::request::Parts,
        body: &[u8],
        now: i64,
    ) -> Result<(), AuthError> {
        let header = parts
            .headers
            .get(http::header::AUTHORIZATION)
            .ok_or(AuthError::MissingAuthenticationToken)?
            .to_str()
            .map_err(|_| incomplete("Authorization header is not valid ASCII"))?;
        let rest = header.strip_prefix("AWS4-HMAC-SHA256 ").ok_or_else(|| {
            incomplete("Authorization header requires the AWS4-HMAC-SHA256 algorithm")
        })?;
        let mut credential = None;
        let mut signed_headers = None;
        let mut signature = None;
        for part in rest.split(',') {
            let (k, v) = part
                .trim()
                .split_once('=')
                .ok_or_else(|| incomplete("malformed Authorization header"))?;
            match k {
                "Credential" => credential = Some(v),
                "SignedHeaders" => signed_headers = Some(v),
                "Signature" => signature = Some(v),
                _ => {}
            }
        }
        let (credential, signed_headers, signature) = match (credential, signed_headers, signature)
        {
            (Some(c), Some(h), Some(s)) => (c, h, s),
            _ => {
                return Err(incomplete(
                    "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters",
                ));
            }
        };
        let scope: Vec<&str> = credential.split('/').collect();
        let [key_id, date, region, service, terminator] = scope[..] else {
            return Err(incomplete(
                "Credential must be <key>/<date>/<region>/<service>/aws4_request",
            ));
        };
        if terminator != "aws4_request" {
            return Err(incomplete(
                "Credential should be scoped with a valid terminator: 'aws4_request'",
            ));
        }
        let secret = self
            .credentials
            .get(key_id)
            .ok_or(AuthError::UnrecognizedClient)?;
        if service != self.service {
            return Err(AuthError::InvalidSignature(format!(
                "Credential should be scoped to correct service: '{}'",
                self.service
            )));
        }
        let amz_date = parts
            .headers
            .get("x-amz-date")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| incomplete("Authorization requires an X-Amz-Date header"))?;
        let signed_at = parse_amz_date(amz_date)
            .ok_or_else(|| incomplete("X-Amz-Date is not yyyyMMddTHHmmssZ"))?;
        if !amz_date.starts_with(date) {
            return Err(AuthError::InvalidSignature(
                "Credential date does not match X-Amz-Date".into(),
            ));
        }
        if (now - signed_at).abs() > self.max_skew_secs {
            return Err(AuthError::InvalidSignature(format!(
                "Signature expired: {amz_date} is more than {} minutes from the server's time",
                self.max_skew_secs / 60
            )));
        }
        let names: Vec<&str> = signed_headers.split(';').collect();
        if !names.contains(&"host") {
            return Err(incomplete("'Host' must be a signed header"));
        }
        let canonical = canonical_request(parts, body, &names)?;
        let scope = format!("{date}/{region}/{service}/aws4_request");
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
            hex(&Sha256::digest(canonical.as_bytes()))
        );
        let mut key = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
        for part in [region, service, "aws4_request"] {
            key = hmac(&key, part.as_bytes());
        }
        let expected = hex(&hmac(&key, string_to_sign.as_bytes()));
        if !constant_time_eq(expected.as_bytes(), signature.as_bytes()) {
            return Err(AuthError::InvalidSignature(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.".into(),
            ));
        }
        Ok(())
    }
}

fn incomplete(m: &str) -> AuthError {
    AuthError::IncompleteSignature(m.to_owned())
}

fn canonical_request(
    parts: &http::request::Parts,
    body: &[u8],
    names: &[&str],
) -> Result<String, AuthError> {
    let mut out = String::new();
    out.push_str(parts.method.as_str());
    out.push('\n');
    // Every service but S3 signs the path URI-encoded once more.
    let path = parts.uri.path();
    out.push_str(&uri_encode(if path.is_empty() { "/" } else { path }, false));
    out.push('\n');
    let mut query: Vec<(String, String)> = parts
        .uri
        .query()
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                smithy_rt::server::percent_decode(s)
                    .map(|c| c.into_owned())
                    .unwrap_or_default()
            };
            (uri_encode(&decode(k), true), uri_encode(&decode(v), true))
        })
        .collect();
    query.sort();
    let query: Vec<String> = query.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    out.push_str(&query.join("&"));
    out.push('\n');
    for name in names {
        let values: Vec<String> = parts
            .headers
            .get_all(*name)
            .iter()
            .map(|v| {
                let s = String::from_utf8_lossy(v.as_bytes());
                s.split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .collect();
        if values.is_empty() && *name == "host" {
            // HTTP/2 carries the host in the URI authority.
            let host = parts
                .uri
                .authority()
                .map(|a| a.as_str())
                .unwrap_or_default();
            out.push_str(&format!("host:{host}\n"));
            continue;
        }
        out.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    out.push('\n');
    out.push_str(&names.join(";"));
    out.push('\n');
    let payload = match parts
        .headers
        .get("x-amz-content-sha256")
        .and_then(|v| v.to_str().ok())
    {
        Some(h) => h.to_owned(),
        None => hex(&Sha256::digest(body)),
    };
    out.push_str(&payload);
    Ok(out)
}

/// RFC 3986 encoding of everything but unreserved characters; `/` is kept
/// unless `slash` is true.
fn uri_encode(s: &str, slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b'/' if !slash => out.push('/'),
            _ => {
                const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(DIGITS[usize::from(b >> 4)] as char);
                out.push(DIGITS[usize::from(b & 0xf)] as char);
            }
        }
    }
    out
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any size");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `yyyyMMddTHHmmssZ` to Unix seconds.
fn parse_amz_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, sec) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec)
}

/// Howard Hinnant's `days_from_civil`.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verifier() -> Verifier {
        Verifier {
            credentials: [(
                "AKIDEXAMPLE".to_owned(),
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".to_owned(),
            )]
            .into(),
            service: "service".into(),
            max_skew_secs: 900,
        }
    }

    /// The `get-vanilla` case of AWS's SigV4 test suite.
    fn vanilla(signature: &str, date: &str) -> http::request::Parts {
        let request = http::Request::get("/")
            .header("host", "example.amazonaws.com")
            .header("x-amz-date", date)
            .header(
                "authorization",
                format!(
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}"
                ),
            )
            .body(())
            .unwrap();
        request.into_parts().0
    }

    const GOOD: &str = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    const SIGNED_AT: i64 = 1_440_938_160; // 2015-08-30T12:36:00Z

    #[test]
    fn accepts_the_aws_test_vector() {
        assert_eq!(parse_amz_date("20150830T123600Z"), Some(SIGNED_AT));
        assert_eq!(
            verifier().verify(&vanilla(GOOD, "20150830T123600Z"), b"", SIGNED_AT + 60),
            Ok(())
        );
    }

    #[test]
    fn rejects_wrong_signatures_keys_and_clocks() {
        let v = verifier();
        let bad = GOOD.replace('5', "6");
        assert!(matches!(
            v.verify(&vanilla(&bad, "20150830T123600Z"), b"", SIGNED_AT),
            Err(AuthError::InvalidSignature(_))
        ));
        let late = v.verify(&vanilla(GOOD, "20150830T123600Z"), b"", SIGNED_AT + 901);
        assert!(
            matches!(&late, Err(AuthError::InvalidSignature(m)) if m.starts_with("Signature expired")),
            "{late:?}"
        );
        let early = v.verify(&vanilla(GOOD, "20150830T123600Z"), b"", SIGNED_AT - 901);
        assert!(matches!(early, Err(AuthError::InvalidSignature(_))));
        let mut other = v.clone();
        other.credentials = [("OTHER".to_owned(), "x".to_owned())].into();
        assert_eq!(
            other.verify(&vanilla(GOOD, "20150830T123600Z"), b"", SIGNED_AT),
            Err(AuthError::UnrecognizedClient)
        );
        // A body the signature did not cover.
        assert!(matches!(
            v.verify(&vanilla(GOOD, "20150830T123600Z"), b"x", SIGNED_AT),
            Err(AuthError::InvalidSignature(_))
        ));
    }

    #[test]
    fn missing_or_malformed_headers() {
        let v = verifier();
        let none = http::Request::get("/").body(()).unwrap().into_parts().0;
        assert_eq!(
            v.verify(&none, b"", 0),
            Err(AuthError::MissingAuthenticationToken)
        );
        let bad = http::Request::get("/")
            .header(
                "authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request",
            )
            .body(())
            .unwrap()
            .into_parts()
            .0;
        assert!(matches!(
            v.verify(&bad, b"", 0),
            Err(AuthError::IncompleteSignature(_))
        ));
        let basic = http::Request::get("/")
            .header("authorization", "Basic abc")
            .body(())
            .unwrap()
            .into_parts()
            .0;
        assert!(matches!(
            v.verify(&basic, b"", 0),
            Err(AuthError::IncompleteSignature(_))
        ));
        let mut no_date = vanilla(GOOD, "20150830T123600Z");
        no_date.headers.remove("x-amz-date");
        assert!(matches!(
            v.verify(&no_date, b"", SIGNED_AT),
            Err(AuthError::IncompleteSignature(_))
        ));
        assert_eq!(
            AuthError::UnrecognizedClient.error_type(),
            "UnrecognizedClientException"
        );
    }

    #[test]
    fn encoding() {
        assert_eq!(uri_encode("/tags/arn%3Aaws", false), "/tags/arn%253Aaws");
        assert_eq!(uri_encode("a b/c~", true), "a%20b%2Fc~");
    }
}
