//! The generated awsJson1_1 server and the generated client of one real
//! model, ACM Private CA (`../shared/corpus-json-rpc/acm-pca.json`,
//! generated into `tests/protocol/acm-pca`), talking over loopback HTTP:
//! the client's requests (`POST /`, `X-Amz-Target`, the awsJson media type,
//! SigV4) are what the server routes and reads, and the server's outputs and
//! `__type` errors are what the client reads back.

use acm_pca_sample::client::{Client, Config, Credentials, Error, RetryConfig};
use acm_pca_sample::error::ResourceNotFoundException;
use acm_pca_sample::input::{GetCertificateRequest, IssueCertificateRequest};
use acm_pca_sample::operation::*;
use acm_pca_sample::output;
use acm_pca_sample::server::{AcmPrivateCa, Server};
use acm_pca_sample::types::{SigningAlgorithm, Validity, ValidityPeriodType};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

const CA: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";

/// Operations this test does not call: a panic, which the generated server
/// answers with a 500.
macro_rules! unused {
    ($($f:ident($input:ident) -> $out:ty, $err:ident;)*) => {
        $(
            fn $f(
                &self,
                _: acm_pca_sample::input::$input,
            ) -> impl Future<Output = Result<$out, $err>> + Send {
                async { panic!(concat!(stringify!($f), " is not served by this test")) }
            }
        )*
    };
}

/// A CA that "issues" a certificate naming the CSR's length, and keeps it.
#[derive(Clone, Default)]
struct Pca {
    issued: Arc<Mutex<HashMap<String, String>>>,
}

impl AcmPrivateCa for Pca {
    fn issue_certificate(
        &self,
        input: IssueCertificateRequest,
    ) -> impl Future<Output = Result<output::IssueCertificateResponse, IssueCertificateError>> + Send
    {
        let mut issued = self.issued.lock().unwrap();
        let arn = format!(
            "{}/certificate/{:032}",
            input.certificate_authority_arn,
            issued.len()
        );
        let pem = format!(
            "certificate for {} bytes of CSR, {} {:?}, {:?}",
            input.csr.as_ref().len(),
            input.validity.value,
            input.validity.r#type,
            input.signing_algorithm
        );
        issued.insert(arn.clone(), pem);
        let mut out = output::IssueCertificateResponse::new();
        out.certificate_arn = Some(arn);
        std::future::ready(Ok(out))
    }

    fn get_certificate(
        &self,
        input: GetCertificateRequest,
    ) -> impl Future<Output = Result<output::GetCertificateResponse, GetCertificateError>> + Send
    {
        let found = self
            .issued
            .lock()
            .unwrap()
            .get(&input.certificate_arn)
            .cloned();
        std::future::ready(match found {
            Some(pem) => {
                let mut out = output::GetCertificateResponse::new();
                out.certificate = Some(pem);
                out.certificate_chain = Some("chain".into());
                Ok(out)
            }
            None => {
                let mut e = ResourceNotFoundException::new();
                e.message = Some(format!("no certificate {}", input.certificate_arn));
                Err(e.into())
            }
        })
    }

    unused! {
        create_certificate_authority(CreateCertificateAuthorityRequest) -> output::CreateCertificateAuthorityResponse, CreateCertificateAuthorityError;
        create_certificate_authority_audit_report(CreateCertificateAuthorityAuditReportRequest) -> output::CreateCertificateAuthorityAuditReportResponse, CreateCertificateAuthorityAuditReportError;
        create_permission(CreatePermissionRequest) -> (), CreatePermissionError;
        delete_certificate_authority(DeleteCertificateAuthorityRequest) -> (), DeleteCertificateAuthorityError;
        delete_permission(DeletePermissionRequest) -> (), DeletePermissionError;
        delete_policy(DeletePolicyRequest) -> (), DeletePolicyError;
        describe_certificate_authority(DescribeCertificateAuthorityRequest) -> output::DescribeCertificateAuthorityResponse, DescribeCertificateAuthorityError;
        describe_certificate_authority_audit_report(DescribeCertificateAuthorityAuditReportRequest) -> output::DescribeCertificateAuthorityAuditReportResponse, DescribeCertificateAuthorityAuditReportError;
        get_certificate_authority_certificate(GetCertificateAuthorityCertificateRequest) -> output::GetCertificateAuthorityCertificateResponse, GetCertificateAuthorityCertificateError;
        get_certificate_authority_csr(GetCertificateAuthorityCsrRequest) -> output::GetCertificateAuthorityCsrResponse, GetCertificateAuthorityCsrError;
        get_policy(GetPolicyRequest) -> output::GetPolicyResponse, GetPolicyError;
        import_certificate_authority_certificate(ImportCertificateAuthorityCertificateRequest) -> (), ImportCertificateAuthorityCertificateError;
        list_certificate_authorities(ListCertificateAuthoritiesRequest) -> output::ListCertificateAuthoritiesResponse, ListCertificateAuthoritiesError;
        list_permissions(ListPermissionsRequest) -> output::ListPermissionsResponse, ListPermissionsError;
        list_tags(ListTagsRequest) -> output::ListTagsResponse, ListTagsError;
        put_policy(PutPolicyRequest) -> (), PutPolicyError;
        restore_certificate_authority(RestoreCertificateAuthorityRequest) -> (), RestoreCertificateAuthorityError;
        revoke_certificate(RevokeCertificateRequest) -> (), RevokeCertificateError;
        tag_certificate_authority(TagCertificateAuthorityRequest) -> (), TagCertificateAuthorityError;
        untag_certificate_authority(UntagCertificateAuthorityRequest) -> (), UntagCertificateAuthorityError;
        update_certificate_authority(UpdateCertificateAuthorityRequest) -> (), UpdateCertificateAuthorityError;
    }
}

/// Serves `service` on a loopback port; returns its URL.
async fn serve(service: Pca) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let tower = Server::new(service).into_service();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let service = hyper_util::service::TowerToHyperService::new(tower.clone());
            tokio::spawn(async move {
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            });
        }
    });
    url
}

fn client(url: &str) -> Client {
    Client::new(
        Config::builder()
            .endpoint_url(url)
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
            .retry(RetryConfig::disabled())
            .build(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_and_get_a_certificate_over_loopback() {
    let pca = Pca::default();
    let url = serve(pca.clone()).await;
    let client = client(&url);

    let issued = client
        .issue_certificate(IssueCertificateRequest::new(
            CA,
            b"-----BEGIN CERTIFICATE REQUEST-----".to_vec(),
            SigningAlgorithm::Sha256withrsa,
            Validity::new(365, ValidityPeriodType::Days),
        ))
        .await
        .expect("IssueCertificate succeeds");
    let arn = issued.certificate_arn.expect("an ARN");
    assert!(arn.starts_with(CA), "{arn}");

    let got = client
        .get_certificate(GetCertificateRequest::new(CA, arn.clone()))
        .await
        .expect("GetCertificate succeeds");
    assert_eq!(
        got.certificate.as_deref(),
        Some("certificate for 35 bytes of CSR, 365 Days, Sha256withrsa")
    );
    assert_eq!(got.certificate_chain.as_deref(), Some("chain"));
    assert_eq!(pca.issued.lock().unwrap().len(), 1);

    // A modelled error comes back as its variant, read from `__type`.
    let missing = format!("{CA}/certificate/{:032}", 7);
    match client
        .get_certificate(GetCertificateRequest::new(CA, missing.clone()))
        .await
    {
        Err(Error::Modeled(GetCertificateError::ResourceNotFoundException(e), meta)) => {
            assert_eq!(meta.status, 400);
            assert_eq!(e.message, Some(format!("no certificate {missing}")));
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }

    // Input the model's constraints refuse never reaches the handler: the
    // server's ValidationException, which this model does not declare, is
    // a service error with its code and message.
    match client
        .get_certificate(GetCertificateRequest::new("not-an-arn", "x"))
        .await
    {
        Err(Error::Service(e)) => {
            assert_eq!(e.code.as_deref(), Some("ValidationException"));
            assert!(
                e.message
                    .is_some_and(|m| m.contains("CertificateAuthorityArn"))
            );
        }
        other => panic!("expected a ValidationException, got {other:?}"),
    }

    // A handler that panics is a 500 the client reports, not a hang up.
    match client
        .get_policy(acm_pca_sample::input::GetPolicyRequest::new(CA))
        .await
    {
        Err(Error::Service(e)) => assert_eq!(e.meta.status, 500),
        other => panic!("expected a 500, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_refuses_what_is_not_awsjson() {
    let url = serve(Pca::default()).await;
    let http = |target: Option<&str>, content_type: &str, path: &str| {
        let mut request = http::Request::post(format!("{url}{path}"));
        if let Some(t) = target {
            request = request.header("x-amz-target", t);
        }
        request
            .header("content-type", content_type)
            .body(String::from("{}"))
            .unwrap()
    };
    let cases = [
        (
            http(
                Some("ACMPrivateCA.GetPolicy"),
                "application/x-amz-json-1.1",
                "/x",
            ),
            400,
            "UnknownOperationException",
        ),
        (
            http(None, "application/x-amz-json-1.1", "/"),
            400,
            "UnknownOperationException",
        ),
        (
            http(Some("ACMPrivateCA.Nope"), "application/x-amz-json-1.1", "/"),
            400,
            "UnknownOperationException",
        ),
        (
            http(Some("ACMPrivateCA.GetPolicy"), "application/json", "/"),
            415,
            "UnsupportedMediaTypeException",
        ),
    ];
    for (request, status, error) in cases {
        let described = format!("{request:?}");
        let (parts, body) = request.into_parts();
        let response = send(http::Request::from_parts(parts, body)).await;
        assert_eq!(response.0, status, "{described}: {}", response.1);
        let body: serde_json::Value = serde_json::from_str(&response.1).unwrap();
        assert_eq!(body["__type"], error, "{described}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

/// One request over a fresh connection: status and body text.
async fn send(request: http::Request<String>) -> (u16, String) {
    use http_body_util::BodyExt;
    let uri = request.uri().clone();
    let stream = tokio::net::TcpStream::connect(uri.authority().unwrap().as_str())
        .await
        .unwrap();
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(connection);
    let (mut parts, body) = request.into_parts();
    parts.uri = uri.path_and_query().unwrap().as_str().parse().unwrap();
    parts
        .headers
        .insert("host", uri.authority().unwrap().as_str().parse().unwrap());
    let response = sender
        .send_request(http::Request::from_parts(
            parts,
            http_body_util::Full::new(bytes::Bytes::from(body)),
        ))
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}
