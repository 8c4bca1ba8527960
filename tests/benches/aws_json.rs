//! The generated awsJson1_1 bindings of a real model (ACM Private CA,
//! `tests/protocol/acm-pca`) against a hand-written baseline measured in
//! the same run. Run with
//! `cargo bench -p workspace-tests --bench aws_json -- --sample-size 2000`.
//!
//! - `router`: the operation an `X-Amz-Target` names, by the generated
//!   `match` (with the checks of method, path and service) against a
//!   `HashMap<&str, Op>` lookup of the same target alone.
//! - `get_certificate`: route, deserialize and validate `GetCertificate`
//!   (two ARNs, each with a length and a pattern) against a `HashMap`
//!   lookup, `serde_json` into a derived struct and the same constraints
//!   checked with the `regex` crate.

use acm_pca_sample::server;
use bytes::Bytes;
use std::collections::HashMap;
use std::sync::LazyLock;

const TARGET: &str = "ACMPrivateCA.GetCertificate";
const BODY: &str = r#"{"CertificateAuthorityArn":"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e","CertificateArn":"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e/certificate/6c1f6e9a0e5a4b5e9a2b2c3d4e5f6a7b"}"#;

fn main() {
    divan::main();
}

fn request() -> http::Request<Bytes> {
    http::Request::post("/")
        .header("x-amz-target", TARGET)
        .header("content-type", "application/x-amz-json-1.1")
        .body(Bytes::from_static(BODY.as_bytes()))
        .unwrap()
}

mod generated {
    use super::*;

    #[divan::bench]
    fn router(bencher: divan::Bencher) {
        let request = request();
        bencher.bench_local(|| server::route(divan::black_box(&request)).unwrap());
    }

    #[divan::bench]
    fn get_certificate(bencher: divan::Bencher) {
        let request = request();
        bencher.bench_local(|| {
            let r = divan::black_box(&request);
            let _ = server::route(r).unwrap();
            server::deserialize_get_certificate(r).unwrap()
        });
    }
}

mod baseline {
    use super::*;
    use regex::Regex;

    /// Every operation's target, from the generated `Operation` list.
    static TABLE: LazyLock<HashMap<String, usize>> = LazyLock::new(|| {
        acm_pca_sample::operation::Operation::ALL
            .iter()
            .enumerate()
            .map(|(i, op)| (format!("ACMPrivateCA.{}", op.name()), i))
            .collect()
    });

    static ARN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^arn:[\w+=/,.@-]+:acm-pca:[\w+=/,.@-]*:[0-9]*:[\w+=,.@-]+(/[\w+=,.@-]+)*$")
            .unwrap()
    });

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct GetCertificate {
        #[serde(rename = "CertificateAuthorityArn")]
        certificate_authority_arn: String,
        #[serde(rename = "CertificateArn")]
        certificate_arn: String,
    }

    fn check(value: &str) -> bool {
        let n = value.chars().count();
        (5..=200).contains(&n) && ARN.is_match(value)
    }

    fn route(request: &http::Request<Bytes>) -> Option<usize> {
        let target = request.headers().get("x-amz-target")?.to_str().ok()?;
        TABLE.get(target).copied()
    }

    #[divan::bench]
    fn router(bencher: divan::Bencher) {
        let request = request();
        bencher.bench_local(|| route(divan::black_box(&request)).unwrap());
    }

    #[divan::bench]
    fn get_certificate(bencher: divan::Bencher) {
        let request = request();
        bencher.bench_local(|| {
            let r = divan::black_box(&request);
            let _ = route(r).unwrap();
            assert!(
                r.headers()["content-type"]
                    .as_bytes()
                    .starts_with(b"application/x-amz-json-1.1")
            );
            let input: GetCertificate = serde_json::from_slice(r.body()).unwrap();
            assert!(check(&input.certificate_authority_arn));
            assert!(check(&input.certificate_arn));
            input
        });
    }
}
