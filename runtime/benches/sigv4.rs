//! Signing one realistic request (`POST /connectors` with a 300-byte JSON
//! body and the headers the client sends) with `smithy_rt::sigv4` and with
//! the AWS SDK for Rust's `aws-sigv4`, configured alike (double encoding,
//! path normalization, the same unsigned headers) so that both produce the
//! same `Authorization`.
//!
//! `cargo bench -p smithy-rt --features sigv4 --bench sigv4`

use smithy_rt::sigv4::{self, SigningParams, UNSIGNED_HEADERS};
use std::borrow::Cow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn main() {
    divan::main();
}

const ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// About the length of an STS session token.
const TOKEN: &str = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletokenexampletoken==";
const REGION: &str = "us-east-1";
const SERVICE: &str = "pca-connector-scep";

fn time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_767_225_600)
}

/// A `CreateConnector` call as the client sends it.
fn request() -> (http::request::Parts, Vec<u8>) {
    let body = br#"{"CertificateAuthorityArn":"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/6c1f6e9a-0e5a-4b5e-9a2b-2c3d4e5f6a7b","ClientToken":"5a1e3c1b-9d2f-4b8e-8f4a-0c6d7e8f9a0b","MobileDeviceManagement":{"Intune":{"AzureApplicationId":"6c1f6e9a-0e5a-4b5e-9a2b-2c3d4e5f6a7b","Domain":"login.microsoftonline.com"}},"Tags":{"team":"pki"}}"#.to_vec();
    let parts =
        http::Request::post("https://pca-connector-scep.us-east-1.amazonaws.com/connectors")
            .header("content-type", "application/json")
            .header("content-length", body.len())
            .header(
                "user-agent",
                "smithy-rs-client/0.1.0 os/linux lang/rust/1.95.0",
            )
            .header(
                "x-amz-user-agent",
                "smithy-rs-client/0.1.0 api/pca-connector-scep/0.1.0",
            )
            .header(
                "amz-sdk-invocation-id",
                "b1e7d0a8-3f2c-4c1e-9b5a-7d6e5f4a3b2c",
            )
            .header("amz-sdk-request", "attempt=1; max=3")
            .body(())
            .unwrap()
            .into_parts()
            .0;
    (parts, body)
}

fn params(token: Option<&'static str>) -> SigningParams<'static> {
    SigningParams {
        access_key_id: ACCESS_KEY_ID,
        secret_access_key: SECRET,
        session_token: token,
        region: REGION,
        service: SERVICE,
        time: time(),
    }
}

fn identity(token: Option<&'static str>) -> aws_smithy_runtime_api::client::identity::Identity {
    aws_credential_types::Credentials::new(
        ACCESS_KEY_ID,
        SECRET,
        token.map(str::to_owned),
        None,
        "bench",
    )
    .into()
}

/// What the AWS SDK does for each request: settings, parameters, the
/// signable view of the request, signing, applying.
fn aws_sign(
    request: &mut http::Request<()>,
    body: &[u8],
    identity: &aws_smithy_runtime_api::client::identity::Identity,
) {
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings};
    let mut settings = SigningSettings::default();
    settings.excluded_headers = Some(UNSIGNED_HEADERS.iter().map(|h| Cow::Borrowed(*h)).collect());
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(identity)
        .region(REGION)
        .name(SERVICE)
        .time(time())
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let signable = SignableRequest::new(
        request.method().as_str(),
        request.uri().to_string(),
        request
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str(), v.to_str().unwrap())),
        SignableBody::Bytes(body),
    )
    .unwrap();
    let (instructions, _signature) = aws_sigv4::http_request::sign(signable, &params)
        .unwrap()
        .into_parts();
    instructions.apply_to_request_http1x(request);
}

/// Both sign alike: checked before timing.
fn same_authorization(token: Option<&'static str>) {
    let (mut parts, body) = request();
    let mut theirs = http::Request::from_parts(parts.clone(), ());
    sigv4::sign_request(&mut parts, &body, &params(token)).unwrap();
    aws_sign(&mut theirs, &body, &identity(token));
    assert_eq!(
        parts.headers["authorization"],
        theirs.headers()["authorization"]
    );
}

fn ours(bencher: divan::Bencher, token: Option<&'static str>) {
    same_authorization(token);
    let (parts, body) = request();
    let params = params(token);
    bencher
        .with_inputs(|| parts.clone())
        .bench_local_values(|mut parts| {
            sigv4::sign_request(&mut parts, divan::black_box(&body), &params).unwrap();
            parts
        });
}

fn aws(bencher: divan::Bencher, token: Option<&'static str>) {
    let (parts, body) = request();
    // The SDK keeps the identity from one call to the next.
    let identity = identity(token);
    bencher
        .with_inputs(|| http::Request::from_parts(parts.clone(), ()))
        .bench_local_values(|mut request| {
            aws_sign(&mut request, divan::black_box(&body), &identity);
            request
        });
}

#[divan::bench_group(sample_count = 2000)]
mod sign_create_connector {
    use super::*;

    #[divan::bench]
    fn smithy_rt(bencher: divan::Bencher) {
        ours(bencher, None);
    }

    #[divan::bench]
    fn aws_sigv4(bencher: divan::Bencher) {
        aws(bencher, None);
    }

    #[divan::bench]
    fn smithy_rt_session_token(bencher: divan::Bencher) {
        ours(bencher, Some(TOKEN));
    }

    #[divan::bench]
    fn aws_sigv4_session_token(bencher: divan::Bencher) {
        aws(bencher, Some(TOKEN));
    }
}
