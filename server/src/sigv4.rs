//! AWS Signature Version 4 verification of incoming requests, as the real
//! service does it for `Authorization`-header signing: the runtime's
//! verifier (`smithy_rt::sigv4::verify`), which shares its canonical request
//! with the signer of the runtime's client, so that what a generated client
//! signs is what this server checks. Canonical request (the path normalized
//! and URI-encoded once more, as for every service but S3), string to sign,
//! derived key, constant-time comparison, and a 15-minute clock skew.

pub use smithy_rt::sigv4::verify::{AuthError, Verifier};

#[cfg(test)]
use smithy_rt::sigv4::{parse_amz_date, uri_encode};

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
