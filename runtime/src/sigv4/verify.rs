//! Verifying SigV4 `Authorization` headers, as an AWS service does for
//! every service but S3: the same canonical request the signer computes
//! (path normalized and encoded once more, see the [module](super)
//! documentation), string to sign, derived key, a constant-time
//! comparison, and a limit on clock skew.
//!
//! The path is normalized (no `.`/`..` segments, no repeated slashes)
//! before it is encoded, as the real services do and as the AWS SDKs, the
//! AWS CLI and this crate's client sign by default: a request to
//! `/connectors/./x` or `//connectors` verifies when its signer normalized
//! the path, and does not when it signed the path as it was. A signer that
//! doesn't normalize (S3-style signing) agrees on every path that has no
//! dot segments and no repeated slashes, which is every path a Smithy
//! client writes for labels other than `.` and `..`.

use super::canonical::{self, CanonicalHeader, HeaderValues, PathStyle};
use super::{crypto, parse_amz_date, string_to_sign};
use std::collections::BTreeMap;
use std::fmt;

/// Why a request is not authenticated; each maps to an AWS common error
/// name the SDKs and CLI know (`IncompleteSignature` and
/// `UnrecognizedClientException` as the API reference's Common Errors list
/// them). All are answered with 403, a clock skew included (AWS JSON
/// services answer `InvalidSignatureException: Signature expired`).
/// Messages never quote secrets or signatures.
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

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error_type(), self.message())
    }
}

impl std::error::Error for AuthError {}

/// What the verifier checks against. `Debug` shows the access key IDs, not
/// their secrets.
#[derive(Clone)]
pub struct Verifier {
    /// Access key ID to secret.
    pub credentials: BTreeMap<String, String>,
    /// The signing name the credential scope must carry.
    pub service: String,
    /// Largest allowed difference between `X-Amz-Date` and now, in seconds
    /// (AWS allows 15 minutes: 900).
    pub max_skew_secs: i64,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Keys<'a>(&'a BTreeMap<String, String>);
        impl fmt::Debug for Keys<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_map()
                    .entries(self.0.keys().map(|k| (k, crate::Redacted)))
                    .finish()
            }
        }
        f.debug_struct("Verifier")
            .field("credentials", &Keys(&self.credentials))
            .field("service", &self.service)
            .field("max_skew_secs", &self.max_skew_secs)
            .finish()
    }
}

fn incomplete(m: &str) -> AuthError {
    AuthError::IncompleteSignature(m.to_owned())
}

impl Verifier {
    /// Verifies `request` (with its whole body) at time `now` (Unix seconds).
    ///
    /// The payload hash is that of `body`; a request that carries an
    /// `x-amz-content-sha256` header is signed with that header's value, so
    /// the value must be the body's hash too (S3's `UNSIGNED-PAYLOAD` is
    /// not accepted: the body is always covered).
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
        if amz_date.get(..8) != Some(date) {
            return Err(AuthError::InvalidSignature(
                "Credential date does not match X-Amz-Date".into(),
            ));
        }
        if now.abs_diff(signed_at) > self.max_skew_secs.max(0).unsigned_abs() {
            return Err(AuthError::InvalidSignature(format!(
                "Signature expired: {amz_date} is more than {} minutes from the server's time",
                self.max_skew_secs / 60
            )));
        }
        let names: Vec<&str> = signed_headers.split(';').collect();
        if !names.contains(&"host") {
            return Err(incomplete("'Host' must be a signed header"));
        }

        let body_hash = crypto::sha256_hex(body);
        if let Some(claimed) = parts.headers.get("x-amz-content-sha256") {
            if claimed.as_bytes() != body_hash.as_bytes() {
                return Err(AuthError::InvalidSignature(
                    "The provided 'x-amz-content-sha256' header does not match what was computed."
                        .into(),
                ));
            }
        }
        let authority = parts.uri.authority().map_or("", |a| a.as_str());
        let headers: Vec<CanonicalHeader<'_>> = names
            .iter()
            .map(|&name| {
                let values = parts.headers.get_all(name);
                let values = if name == "host" && values.iter().next().is_none() {
                    // HTTP/2 carries the host in the URI's authority.
                    HeaderValues::One(authority.as_bytes())
                } else {
                    HeaderValues::All(values)
                };
                CanonicalHeader { name, values }
            })
            .collect();
        let mut canonical_request = Vec::with_capacity(512);
        canonical::write(
            &mut canonical_request,
            &canonical::Parts {
                method: parts.method.as_str(),
                path: parts.uri.path(),
                query: parts.uri.query().unwrap_or(""),
                headers: &headers,
                signed_headers,
                payload_hash: &body_hash,
                style: PathStyle {
                    double_encode: true,
                    normalize: true,
                },
            },
        );
        let scope = credential.split_once('/').map_or("", |(_, scope)| scope);
        let string_to_sign = string_to_sign(amz_date, scope, &canonical_request);
        let expected =
            crypto::signing_key(secret, date, region, service).sign(string_to_sign.as_bytes());
        if !crypto::constant_time_eq(expected.as_bytes(), signature.as_bytes()) {
            return Err(AuthError::InvalidSignature(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sigv4::{SigningParams, sign_request};
    use std::time::{Duration, UNIX_EPOCH};

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    fn verifier() -> Verifier {
        Verifier {
            credentials: [("AKIDEXAMPLE".to_owned(), SECRET.to_owned())].into(),
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

    fn params(time: i64) -> SigningParams<'static> {
        SigningParams {
            access_key_id: "AKIDEXAMPLE",
            secret_access_key: SECRET,
            session_token: None,
            region: "us-east-1",
            service: "service",
            time: UNIX_EPOCH + Duration::from_secs(time as u64),
        }
    }

    #[test]
    fn accepts_the_aws_test_vector() {
        assert_eq!(
            verifier().verify(&vanilla(GOOD, "20150830T123600Z"), b"", SIGNED_AT + 60),
            Ok(())
        );
    }

    #[test]
    fn rejects_wrong_signatures_keys_dates_and_clocks() {
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
        assert!(
            v.verify(&vanilla(GOOD, "20150830T123600Z"), b"", SIGNED_AT + 900)
                .is_ok()
        );
        let early = v.verify(&vanilla(GOOD, "20150830T123600Z"), b"", SIGNED_AT - 901);
        assert!(matches!(early, Err(AuthError::InvalidSignature(_))));
        assert!(matches!(
            v.verify(&vanilla(GOOD, "20150830T123600Z"), b"", i64::MIN),
            Err(AuthError::InvalidSignature(_))
        ));
        // The credential's date must be X-Amz-Date's.
        assert!(matches!(
            v.verify(&vanilla(GOOD, "20150831T123600Z"), b"", SIGNED_AT + 86_400),
            Err(AuthError::InvalidSignature(m)) if m.contains("date")
        ));
        let mut other = v.clone();
        other.credentials = [("OTHER".to_owned(), "x".to_owned())].into();
        assert_eq!(
            other.verify(&vanilla(GOOD, "20150830T123600Z"), b"", SIGNED_AT),
            Err(AuthError::UnrecognizedClient)
        );
        let mut other = v.clone();
        other.service = "pca-connector-scep".into();
        assert!(matches!(
            other.verify(&vanilla(GOOD, "20150830T123600Z"), b"", SIGNED_AT),
            Err(AuthError::InvalidSignature(m)) if m.contains("pca-connector-scep")
        ));
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
        for authorization in [
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request",
            "Basic abc",
            "AWS4-HMAC-SHA256 Credential",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service, SignedHeaders=host, Signature=0",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws5_request, SignedHeaders=host, Signature=0",
        ] {
            let bad = http::Request::get("/")
                .header("authorization", authorization)
                .body(())
                .unwrap()
                .into_parts()
                .0;
            assert!(
                matches!(
                    v.verify(&bad, b"", 0),
                    Err(AuthError::IncompleteSignature(_))
                ),
                "{authorization}"
            );
        }
        let mut no_date = vanilla(GOOD, "20150830T123600Z");
        no_date.headers.remove("x-amz-date");
        assert!(matches!(
            v.verify(&no_date, b"", SIGNED_AT),
            Err(AuthError::IncompleteSignature(_))
        ));
        let mut no_host = vanilla(GOOD, "20150830T123600Z");
        no_host.headers.insert(
            "authorization",
            http::HeaderValue::from_str(
                &format!("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=x-amz-date, Signature={GOOD}"),
            )
            .unwrap(),
        );
        assert!(matches!(
            v.verify(&no_host, b"", SIGNED_AT),
            Err(AuthError::IncompleteSignature(m)) if m.contains("Host")
        ));
        assert_eq!(
            AuthError::UnrecognizedClient.error_type(),
            "UnrecognizedClientException"
        );
        assert_eq!(
            AuthError::MissingAuthenticationToken.to_string(),
            "MissingAuthenticationTokenException: Missing Authentication Token"
        );
    }

    fn signed(uri: &str, body: &[u8], time: i64) -> http::request::Parts {
        let mut parts = http::Request::post(uri)
            .header("content-type", "application/json")
            .header("x-amz-target", "  a   b ")
            .header("user-agent", "test")
            .body(())
            .unwrap()
            .into_parts()
            .0;
        sign_request(&mut parts, body, &params(time)).unwrap();
        parts
    }

    #[test]
    fn verifies_what_the_signer_signs() {
        let v = verifier();
        let body = br#"{"a":1}"#;
        for uri in [
            "https://example.amazonaws.com/",
            "https://example.amazonaws.com/connectors/arn%3Aaws%3Ax?b=2&a=1&a=&c=%20+x",
            "https://example.amazonaws.com/a/./b/../c//d/",
            "https://example.amazonaws.com:8443/%E1%88%B4/~x",
            "http://example.amazonaws.com:80/x?ሴ=bar",
        ] {
            let parts = signed(uri, body, SIGNED_AT);
            assert_eq!(v.verify(&parts, body, SIGNED_AT), Ok(()), "{uri}");
            assert!(v.verify(&parts, b"{}", SIGNED_AT).is_err(), "{uri}");
            // A header added after signing is not covered; one changed is.
            let mut extra = parts.clone();
            extra.headers.insert("x-other", "1".parse().unwrap());
            assert_eq!(v.verify(&extra, body, SIGNED_AT), Ok(()), "{uri}");
            let mut changed = parts.clone();
            changed
                .headers
                .insert("content-type", "text/plain".parse().unwrap());
            assert!(v.verify(&changed, body, SIGNED_AT).is_err(), "{uri}");
            // User-Agent is not signed: a proxy may change it.
            let mut agent = parts.clone();
            agent.headers.insert("user-agent", "proxy".parse().unwrap());
            assert_eq!(v.verify(&agent, body, SIGNED_AT), Ok(()), "{uri}");
        }
        // HTTP/2: no host header, the URI's authority instead.
        let mut h2 = signed("https://example.amazonaws.com/x", b"", SIGNED_AT);
        h2.headers.remove("host");
        assert_eq!(v.verify(&h2, b"", SIGNED_AT), Ok(()));
    }

    #[test]
    fn checks_the_claimed_payload_hash() {
        let v = verifier();
        let body = b"payload";
        let mut parts = http::Request::put("https://example.amazonaws.com/x")
            .header("x-amz-content-sha256", crypto::sha256_hex(body))
            .body(())
            .unwrap()
            .into_parts()
            .0;
        sign_request(&mut parts, body, &params(SIGNED_AT)).unwrap();
        assert_eq!(v.verify(&parts, body, SIGNED_AT), Ok(()));
        // The signature covers the header, but the body must match it.
        assert!(matches!(
            v.verify(&parts, b"tampered", SIGNED_AT),
            Err(AuthError::InvalidSignature(m)) if m.contains("x-amz-content-sha256")
        ));
        let mut unsigned = http::Request::put("https://example.amazonaws.com/x")
            .header("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
            .body(())
            .unwrap()
            .into_parts()
            .0;
        sign_request(&mut unsigned, body, &params(SIGNED_AT)).unwrap();
        assert!(v.verify(&unsigned, body, SIGNED_AT).is_err());
    }

    #[test]
    fn debug_shows_no_secret() {
        let text = format!("{:?}", verifier());
        assert!(text.contains("AKIDEXAMPLE"), "{text}");
        assert!(!text.contains(SECRET), "{text}");
    }
}
