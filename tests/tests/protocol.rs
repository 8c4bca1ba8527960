//! restJson1 protocol behaviour of the generated dispatcher, on raw HTTP
//! requests: routing errors, content negotiation, strict parsing, null and
//! empty bodies, status codes, and the `tower::Service` adapter.

use bytes::Bytes;
use pca_connector_scep::input::*;
use pca_connector_scep::operation::*;
use pca_connector_scep::output::*;
use pca_connector_scep::server::Server;
use pca_connector_scep::types::*;
use serde_json::{Value, json};
use workspace_tests::scep::{Recorder, block_on};

const CONNECTOR: &str = "arn:aws:pca-connector-scep:us-east-1:123456789012:connector/0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e";
const CONNECTOR_ENCODED: &str = "arn%3Aaws%3Apca-connector-scep%3Aus-east-1%3A123456789012%3Aconnector%2F0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e";
const CA: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";

fn server() -> Server<Recorder> {
    Server::new(Recorder::default())
}

fn request(method: &str, uri: &str, headers: &[(&str, &str)], body: &str) -> http::Request<Bytes> {
    let mut b = http::Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(Bytes::copy_from_slice(body.as_bytes())).unwrap()
}

const JSON: &[(&str, &str)] = &[("content-type", "application/json")];

struct Reply {
    status: u16,
    error_type: Option<String>,
    body: Bytes,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

fn send(s: &Server<Recorder>, r: http::Request<Bytes>) -> Reply {
    let response = block_on(s.handle(r));
    Reply {
        status: response.status().as_u16(),
        error_type: response
            .headers()
            .get("x-amzn-errortype")
            .map(|v| v.to_str().unwrap().to_owned()),
        body: response.into_body(),
    }
}

#[track_caller]
fn assert_error(reply: &Reply, status: u16, error_type: &str) {
    assert_eq!(
        (reply.status, reply.error_type.as_deref()),
        (status, Some(error_type)),
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
}

#[test]
fn unknown_paths_are_404_and_wrong_methods_405() {
    let s = server();
    assert_error(
        &send(&s, request("GET", "/nope", &[], "")),
        404,
        "UnknownOperationException",
    );
    assert_error(
        &send(&s, request("GET", "/connectors/a/b", &[], "")),
        404,
        "UnknownOperationException",
    );
    assert_error(
        &send(&s, request("PUT", "/connectors", &[], "")),
        405,
        "MethodNotAllowedException",
    );
    assert_error(
        &send(&s, request("PATCH", "/tags/x", &[], "")),
        405,
        "MethodNotAllowedException",
    );
}

#[test]
fn bodies_must_be_json() {
    let s = server();
    let body = format!(r#"{{"CertificateAuthorityArn": "{CA}"}}"#);
    let reply = send(
        &s,
        request(
            "POST",
            "/connectors",
            &[("content-type", "text/plain")],
            &body,
        ),
    );
    assert_error(&reply, 415, "UnsupportedMediaTypeException");
    let reply = send(&s, request("POST", "/connectors", &[], &body));
    assert_error(&reply, 415, "UnsupportedMediaTypeException");
    assert!(s.service().inputs.lock().unwrap().is_empty());
}

#[test]
fn accept_must_admit_json() {
    let s = server();
    let reply = send(
        &s,
        request("GET", "/connectors", &[("accept", "application/xml")], ""),
    );
    assert_error(&reply, 406, "NotAcceptableException");
    s.service()
        .reply::<Result<_, ListConnectorsError>>(Ok(ListConnectorsResponse::new()));
    let reply = send(
        &s,
        request(
            "GET",
            "/connectors",
            &[("accept", "text/html, application/json;q=0.9")],
            "",
        ),
    );
    assert_eq!(reply.status, 200);
}

#[test]
fn malformed_json_and_invalid_unions_are_serialization_exceptions() {
    let s = server();
    for body in [
        "{",
        "[]",
        r#"{"CertificateAuthorityArn": 5}"#,
        r#"{"CertificateAuthorityArn": "x", "MobileDeviceManagement": {}}"#,
        r#"{"CertificateAuthorityArn": "x", "MobileDeviceManagement": {"Intune": {"AzureApplicationId": "a", "Domain": "b"}, "Jamf": {}}}"#,
        r#"{"CertificateAuthorityArn": "x", "Tags": {"a": 1}}"#,
        // A structure is an object, never an array.
        r#"{"CertificateAuthorityArn": "x", "MobileDeviceManagement": {"Intune": ["a", "b"]}}"#,
    ] {
        let reply = send(&s, request("POST", "/connectors", JSON, body));
        assert_error(&reply, 400, "SerializationException");
    }
    assert!(s.service().inputs.lock().unwrap().is_empty());
}

#[test]
fn numbers_in_the_query_are_parsed_strictly() {
    let s = server();
    for bad in ["1.5", "2ABC", "0x42", "99999999999", "", "%201"] {
        let reply = send(
            &s,
            request("GET", &format!("/connectors?MaxResults={bad}"), &[], ""),
        );
        assert_error(&reply, 400, "SerializationException");
    }
    // A scalar takes the first value.
    s.service()
        .reply::<Result<_, ListConnectorsError>>(Ok(ListConnectorsResponse::new()));
    let reply = send(
        &s,
        request(
            "GET",
            "/connectors?MaxResults=5&MaxResults=7&NextToken=ab%3D%3D",
            &[],
            "",
        ),
    );
    assert_eq!(reply.status, 200);
    let mut expected = ListConnectorsRequest::new();
    expected.max_results = Some(5);
    expected.next_token = Some("ab==".into());
    assert_eq!(s.service().input::<ListConnectorsRequest>(), expected);
}

#[test]
fn labels_are_decoded_after_the_split_and_must_be_utf8() {
    let s = server();
    s.service()
        .reply::<Result<_, GetConnectorError>>(Ok(GetConnectorResponse::new()));
    let reply = send(
        &s,
        request("GET", &format!("/connectors/{CONNECTOR_ENCODED}"), &[], ""),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(
        s.service().input::<GetConnectorRequest>(),
        GetConnectorRequest::new(CONNECTOR)
    );
    let reply = send(&s, request("GET", "/connectors/%FF%FE", &[], ""));
    assert_error(&reply, 400, "SerializationException");
}

#[test]
fn repeated_query_keys_make_lists() {
    let s = server();
    s.service().reply::<Result<(), UntagResourceError>>(Ok(()));
    let uri = format!("/tags/{CONNECTOR_ENCODED}?tagKeys=a%20b&tagKeys=%C3%BC%26%3D%2B&tagKeys=c");
    let reply = send(&s, request("DELETE", &uri, &[], ""));
    assert_eq!((reply.status, reply.body.len()), (204, 0));
    assert_eq!(
        s.service().input::<UntagResourceRequest>(),
        UntagResourceRequest::new(
            CONNECTOR,
            vec!["a b".to_owned(), "ü&=+".to_owned(), "c".to_owned()]
        )
    );
    // A required list that is absent is a validation error, not a crash.
    let reply = send(
        &s,
        request("DELETE", &format!("/tags/{CONNECTOR_ENCODED}"), &[], ""),
    );
    assert_error(&reply, 400, "ValidationException");
    assert_eq!(
        reply.json(),
        json!({"Message": "1 validation error detected. Value at '/TagKeys' failed to satisfy constraint: Member must not be null"})
    );
}

#[test]
fn null_is_absent_unknown_members_are_ignored_and_labels_win_over_the_body() {
    let s = server();
    s.service()
        .reply::<Result<_, CreateConnectorError>>(Ok(CreateConnectorResponse::new()));
    let body = format!(
        r#"{{"CertificateAuthorityArn": "{CA}", "ClientToken": null, "MobileDeviceManagement": null, "Future": [1, 2]}}"#
    );
    let reply = send(&s, request("POST", "/connectors", JSON, &body));
    assert_eq!(reply.status, 202);
    assert_eq!(reply.json(), json!({}), "absent members are omitted");
    assert_eq!(
        s.service().input::<CreateConnectorRequest>(),
        CreateConnectorRequest::new(CA)
    );

    s.service().reply::<Result<(), TagResourceError>>(Ok(()));
    let body = r#"{"ResourceArn": "ignored", "Tags": {"k": "v"}}"#;
    let reply = send(
        &s,
        request("POST", &format!("/tags/{CONNECTOR_ENCODED}"), JSON, body),
    );
    assert_eq!(reply.status, 204);
    let input = s.service().input::<TagResourceRequest>();
    assert_eq!(input.resource_arn, CONNECTOR);
}

#[test]
fn an_empty_body_reads_as_an_empty_object() {
    let s = server();
    let reply = send(&s, request("POST", "/challenges", &[], ""));
    assert_error(&reply, 400, "ValidationException");
    assert_eq!(
        reply.json()["Message"],
        "1 validation error detected. Value at '/ConnectorArn' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn success_codes_and_bodies_follow_the_model() {
    let s = server();
    let mut out = CreateChallengeResponse::new();
    let mut challenge = Challenge::new();
    challenge.created_at = Some(
        pca_connector_scep::primitives::DateTime::from_secs_and_nanos(1_700_000_000, 500_000_000),
    );
    out.challenge = Some(challenge);
    s.service()
        .reply::<Result<_, CreateChallengeError>>(Ok(out));
    let body = format!(r#"{{"ConnectorArn": "{CONNECTOR}"}}"#);
    let reply = send(&s, request("POST", "/challenges", JSON, &body));
    assert_eq!(reply.status, 202);
    assert_eq!(
        reply.json(),
        json!({"Challenge": {"CreatedAt": 1_700_000_000.5}})
    );

    s.service()
        .reply::<Result<(), DeleteConnectorError>>(Ok(()));
    let reply = send(
        &s,
        request(
            "DELETE",
            &format!("/connectors/{CONNECTOR_ENCODED}"),
            &[],
            "",
        ),
    );
    assert_eq!(
        (reply.status, reply.body.len(), reply.error_type),
        (202, 0, None)
    );

    for op in Operation::ALL {
        let expected = match op.name() {
            n if n.starts_with("Create") || n.starts_with("Delete") => 202,
            "TagResource" | "UntagResource" => 204,
            _ => 200,
        };
        assert_eq!(op.success_code(), expected, "{op}");
    }
}

#[test]
fn modelled_errors_carry_status_type_and_members() {
    let s = server();
    s.service()
        .reply::<Result<GetConnectorResponse, _>>(Err(GetConnectorError::from(
            pca_connector_scep::error::ResourceNotFoundException::new(
                "gone",
                CONNECTOR,
                "Connector",
            ),
        )));
    let reply = send(
        &s,
        request("GET", &format!("/connectors/{CONNECTOR_ENCODED}"), &[], ""),
    );
    assert_error(&reply, 404, "ResourceNotFoundException");
    assert_eq!(
        reply.json(),
        json!({"Message": "gone", "ResourceId": CONNECTOR, "ResourceType": "Connector"})
    );
}

#[test]
fn operation_metadata() {
    assert_eq!(Operation::ALL.len(), 12);
    let op = Operation::UntagResource;
    assert_eq!(
        (op.name(), op.uri(), op.method()),
        ("UntagResource", "/tags/{ResourceArn}", http::Method::DELETE)
    );
    assert!(op.idempotent() && !op.readonly());
    assert!(Operation::GetConnector.readonly());
    assert!(
        Operation::CreateChallenge
            .errors()
            .contains(&"BadRequestException")
    );
    assert!(
        !Operation::CreateConnector
            .errors()
            .contains(&"BadRequestException")
    );
    let path = format!("/connectors/{CONNECTOR_ENCODED}");
    let (op, labels) = pca_connector_scep::server::route(&http::Method::GET, &path, None).unwrap();
    assert_eq!(op, Operation::GetConnector);
    assert_eq!(labels.get(0, "ConnectorArn").unwrap(), CONNECTOR);
}

#[test]
fn the_tower_service_reads_any_body() {
    use tower_service::Service as _;
    let s = Server::new(Recorder::default());
    s.service()
        .reply::<Result<_, ListConnectorsError>>(Ok(ListConnectorsResponse::new()));
    let mut service = s.into_service();
    let request = http::Request::get("/connectors?MaxResults=3")
        .body(http_body_util::Full::new(Bytes::new()))
        .unwrap();
    let response = block_on(service.call(request)).unwrap();
    assert_eq!(response.status(), 200);
    let big = http::Request::post("/connectors")
        .header("content-type", "application/json")
        .body(http_body_util::Full::new(Bytes::from(vec![
            b' ';
            9 * 1024 * 1024
        ])))
        .unwrap();
    let response = block_on(service.call(big)).unwrap();
    assert_eq!(response.status(), 413);
}

#[test]
fn responses_carry_the_operation_they_answered() {
    let s = server();
    s.service()
        .reply::<Result<_, ListConnectorsError>>(Ok(ListConnectorsResponse::new()));
    let response = block_on(s.handle(request("GET", "/connectors", &[], "")));
    assert_eq!(
        response.extensions().get::<Operation>(),
        Some(&Operation::ListConnectors)
    );
    let response = block_on(s.handle(request(
        "GET",
        "/connectors",
        &[("accept", "text/html")],
        "",
    )));
    assert_eq!(
        response.extensions().get::<Operation>(),
        Some(&Operation::ListConnectors)
    );
    let response = block_on(s.handle(request("GET", "/nope", &[], "")));
    assert_eq!(response.extensions().get::<Operation>(), None);
}
