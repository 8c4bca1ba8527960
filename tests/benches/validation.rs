//! Validation cost against the cost of parsing the same input.
//! Run with `cargo bench -p workspace-tests --bench validation`.
//!
//! The allocation profiler prints allocations per iteration: validating a
//! valid input must show none.

use pca_connector_scep::input::CreateConnectorRequest;
use pca_connector_scep::unvalidated;
use smithy_rt::validation::Validate;

#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

const VALID: &str = r#"{
  "CertificateAuthorityArn": "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e",
  "ClientToken": "d6f2c2b0-6a8e-4b8e-9a3c-2f1e0d9c8b7a",
  "MobileDeviceManagement": {
    "Intune": {
      "AzureApplicationId": "6c1f6e9a-0e5a-4b5e-9a2b-2c3d4e5f6a7b",
      "Domain": "login.microsoftonline.com"
    }
  },
  "Tags": { "team": "pki", "env": "prod", "cost center": "1234" }
}"#;

const INVALID: &str = r#"{
  "CertificateAuthorityArn": "arn:aws:acm-pca:us-east-1:123456789012:connector/0b7f6e6a",
  "ClientToken": "",
  "MobileDeviceManagement": { "Intune": { "AzureApplicationId": "short", "Domain": "bad domain" } },
  "Tags": { "team": "pki" }
}"#;

fn main() {
    divan::main();
}

#[divan::bench]
fn validate_valid(bencher: divan::Bencher) {
    let input: CreateConnectorRequest = serde_json::from_str(VALID).unwrap();
    assert!(input.validate().is_ok());
    bencher.bench_local(|| divan::black_box(&input).validate());
}

#[divan::bench]
fn validate_invalid(bencher: divan::Bencher) {
    let input: CreateConnectorRequest = serde_json::from_str(INVALID).unwrap();
    assert_eq!(input.validate().unwrap_err().len(), 6);
    bencher.bench_local(|| divan::black_box(&input).validate());
}

/// Parsing the same input into the same type, and dropping it: each
/// iteration's value is freed in the iteration (returned, divan would keep
/// every sample's values alive until the sample ends, and a parse among
/// thousands of live values measured twice as slow).
#[divan::bench]
fn serde_json_parse_baseline(bencher: divan::Bencher) {
    bencher.bench_local(|| {
        let v: CreateConnectorRequest = serde_json::from_str(divan::black_box(VALID)).unwrap();
        drop(divan::black_box(v));
    });
}

#[divan::bench]
fn parse_unvalidated_and_build(bencher: divan::Bencher) {
    bencher.bench_local(|| {
        let raw: unvalidated::CreateConnectorRequest =
            serde_json::from_str(divan::black_box(VALID)).unwrap();
        drop(divan::black_box(raw.validate().unwrap()));
    });
}

/// One ARN (length and pattern): mostly the pattern's DFA walk.
#[divan::bench]
fn validate_one_arn(bencher: divan::Bencher) {
    let input = pca_connector_scep::input::GetConnectorRequest::new(
        "arn:aws:pca-connector-scep:us-east-1:123456789012:connector/0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e",
    );
    assert!(input.validate().is_ok());
    bencher.bench_local(|| divan::black_box(&input).validate());
}
