//! The server's SigV4 verification: any `Authorization` header, date
//! headers, method, URI (its query string included) and body. Never a
//! panic; an error names an AWS error type.

#![no_main]

#[path = "request.rs"]
mod request;

use libfuzzer_sys::fuzz_target;
use pca_connector_scep_server::sigv4::Verifier;
use std::collections::BTreeMap;

fuzz_target!(|data: &[u8]| {
    let Some(request) = request::parse(data) else {
        return;
    };
    let verifier = Verifier {
        credentials: BTreeMap::from([("AKIDEXAMPLE".to_owned(), "secret".to_owned())]),
        service: "pca-connector-scep".to_owned(),
        max_skew_secs: 900,
    };
    let (parts, body) = request.into_parts();
    // 2024-01-01T00:00:00Z, the date of the seeds' signatures.
    if let Err(e) = verifier.verify(&parts, &body, 1_704_067_200) {
        assert!(!e.error_type().is_empty());
        let _ = e.message();
    }
});
