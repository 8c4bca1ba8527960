//! What SigV4 verification adds to a request (the load benchmark runs
//! without it). `cargo bench -p pca-connector-scep-server --bench sigv4`

use pca_connector_scep_server::sigv4::Verifier;

fn main() {
    divan::main();
}

#[divan::bench]
fn verify_get_vanilla(bencher: divan::Bencher) {
    let verifier = Verifier {
        credentials: [(
            "AKIDEXAMPLE".to_owned(),
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".to_owned(),
        )]
        .into(),
        service: "service".into(),
        max_skew_secs: 900,
    };
    let (parts, ()) = http::Request::get("/")
        .header("host", "example.amazonaws.com")
        .header("x-amz-date", "20150830T123600Z")
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        )
        .body(())
        .unwrap()
        .into_parts();
    bencher.bench_local(|| {
        verifier
            .verify(divan::black_box(&parts), b"", 1_440_938_160)
            .unwrap()
    });
}
