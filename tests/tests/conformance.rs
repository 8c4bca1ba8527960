//! Conformance against the official AWS SDK for Rust. Every operation is
//! called with `aws-sdk-pcaconnectorscep`; its HTTP request goes, in
//! process, through the generated dispatcher into a recording handler,
//! which must receive exactly the input the SDK was given. The handler's
//! output (or each modelled error) is serialized by the generated bindings
//! and parsed back by the SDK, which must see the same values.

use aws_sdk_pcaconnectorscep as sdk;
use aws_smithy_http_client::test_util::infallible_client_fn;
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;
use pca_connector_scep::error::*;
use pca_connector_scep::input::*;
use pca_connector_scep::operation::*;
use pca_connector_scep::output::*;
use pca_connector_scep::primitives::DateTime;
use pca_connector_scep::server::Server;
use pca_connector_scep::types::*;
use sdk::error::ProvideErrorMetadata;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use workspace_tests::scep::{Recorder, block_on};

const CONNECTOR: &str = "arn:aws:pca-connector-scep:us-east-1:123456789012:connector/0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e";
const CHALLENGE: &str = "arn:aws:pca-connector-scep:us-east-1:123456789012:connector/0b7f6e6a-3c2d-4f7e-9a7b-1d2c3b4a5f6e/challenge/9f8e7d6c-5b4a-4321-8fed-cba987654321";
const CA: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";

struct Harness {
    server: Arc<Server<Recorder>>,
    client: sdk::Client,
    /// Raw requests as the SDK sent them.
    wire: Arc<Mutex<Vec<http::Request<Bytes>>>>,
}

impl Harness {
    fn new() -> Self {
        let server = Arc::new(Server::new(Recorder::default()));
        let wire = Arc::new(Mutex::new(Vec::new()));
        let (s, w) = (Arc::clone(&server), Arc::clone(&wire));
        let http_client = infallible_client_fn(move |request: http::Request<SdkBody>| {
            let (parts, body) = request.into_parts();
            let body = Bytes::copy_from_slice(body.bytes().expect("in-memory body"));
            let request = http::Request::from_parts(parts, body);
            w.lock().unwrap().push(request.clone());
            block_on(s.handle(request)).map(SdkBody::from)
        });
        let config = sdk::Config::builder()
            .http_client(http_client)
            .region(sdk::config::Region::new("us-east-1"))
            .credentials_provider(sdk::config::Credentials::new(
                "test", "test", None, None, "test",
            ))
            .endpoint_url("https://pca-connector-scep.us-east-1.amazonaws.com")
            .retry_config(sdk::config::retry::RetryConfig::disabled())
            .build();
        Self {
            server,
            client: sdk::Client::from_conf(config),
            wire,
        }
    }

    fn reply<R: Send + 'static>(&self, reply: R) {
        self.server
            .service()
            .replies
            .lock()
            .unwrap()
            .push(Box::new(reply));
    }

    fn input<I: 'static>(&self) -> I {
        let mut inputs = self.server.service().inputs.lock().unwrap();
        assert_eq!(inputs.len(), 1, "the handler was called once");
        *inputs
            .remove(0)
            .downcast::<I>()
            .expect("input of the operation's type")
    }

    fn last_request(&self) -> http::Request<Bytes> {
        self.wire
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("a request was sent")
    }
}

/// Asserts that the SDK read `expected`. The SDK reads epoch-seconds through
/// an `f64` and truncates, so `1700000000.123` arrives as `.122999906`:
/// compare to the microsecond.
#[track_caller]
fn assert_time(actual: Option<&aws_smithy_types::DateTime>, expected: DateTime) {
    let actual = actual.expect("a timestamp");
    let a = i128::from(actual.secs()) * 1_000_000_000 + i128::from(actual.subsec_nanos());
    let e = i128::from(expected.secs()) * 1_000_000_000 + i128::from(expected.subsec_nanos());
    assert!((a - e).abs() < 1_000, "{actual} != {expected}");
}

fn created() -> DateTime {
    DateTime::from_secs_and_nanos(1_700_000_000, 123_000_000)
}

fn updated() -> DateTime {
    DateTime::from_secs_and_nanos(1_700_000_100, 456_789_000)
}

fn tags() -> BTreeMap<String, String> {
    [
        ("cost center", "a&b=c+d"),
        ("ünïcødé 🔑", "välue with spaces"),
        ("plus+key", "="),
        ("empty", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn sdk_tags(tags: &BTreeMap<String, String>) -> std::collections::HashMap<String, String> {
    tags.clone().into_iter().collect()
}

#[tokio::test]
async fn create_challenge() {
    let h = Harness::new();
    let mut challenge = Challenge::new();
    challenge.arn = Some(CHALLENGE.into());
    challenge.connector_arn = Some(CONNECTOR.into());
    challenge.created_at = Some(created());
    challenge.updated_at = Some(updated());
    challenge.password = Some("e2b4c6d8-1234-4abc-9def-0123456789ab".into());
    let mut output = CreateChallengeResponse::new();
    output.challenge = Some(challenge);
    h.reply::<Result<_, CreateChallengeError>>(Ok(output));

    let out = h
        .client
        .create_challenge()
        .connector_arn(CONNECTOR)
        .client_token("token-1")
        .set_tags(Some(sdk_tags(&tags())))
        .send()
        .await
        .unwrap();

    let mut expected = CreateChallengeRequest::new(CONNECTOR);
    expected.client_token = Some("token-1".into());
    expected.tags = Some(tags());
    assert_eq!(h.input::<CreateChallengeRequest>(), expected);
    let c = out.challenge().unwrap();
    assert_eq!(c.arn(), Some(CHALLENGE));
    assert_eq!(c.connector_arn(), Some(CONNECTOR));
    assert_eq!(c.password(), Some("e2b4c6d8-1234-4abc-9def-0123456789ab"));
    assert_time(c.created_at(), created());
    assert_time(c.updated_at(), updated());
}

#[tokio::test]
async fn create_challenge_without_a_token_gets_the_sdks_idempotency_token() {
    let h = Harness::new();
    h.reply::<Result<_, CreateChallengeError>>(Ok(CreateChallengeResponse::new()));
    let out = h
        .client
        .create_challenge()
        .connector_arn(CONNECTOR)
        .send()
        .await
        .unwrap();
    assert!(out.challenge().is_none());
    let input = h.input::<CreateChallengeRequest>();
    let token = input
        .client_token
        .expect("the SDK fills idempotency tokens");
    assert_eq!(token.len(), 36, "{token}");
    assert!(input.tags.is_none());
}

#[tokio::test]
async fn create_connector_with_and_without_intune() {
    let h = Harness::new();
    let mut output = CreateConnectorResponse::new();
    output.connector_arn = Some(CONNECTOR.into());
    h.reply::<Result<_, CreateConnectorError>>(Ok(output.clone()));
    let out = h
        .client
        .create_connector()
        .certificate_authority_arn(CA)
        .mobile_device_management(sdk::types::MobileDeviceManagement::Intune(
            sdk::types::IntuneConfiguration::builder()
                .azure_application_id("6c1f6e9a-0e5a-4b5e-9a2b-2c3d4e5f6a7b")
                .domain("login.microsoftonline.com")
                .build()
                .unwrap(),
        ))
        .client_token("tok")
        .tags("team", "pki")
        .send()
        .await
        .unwrap();
    assert_eq!(out.connector_arn(), Some(CONNECTOR));
    let mut expected = CreateConnectorRequest::new(CA);
    expected.client_token = Some("tok".into());
    expected.mobile_device_management =
        Some(MobileDeviceManagement::Intune(IntuneConfiguration::new(
            "6c1f6e9a-0e5a-4b5e-9a2b-2c3d4e5f6a7b",
            "login.microsoftonline.com",
        )));
    expected.tags = Some([("team".to_owned(), "pki".to_owned())].into());
    assert_eq!(h.input::<CreateConnectorRequest>(), expected);
    let request = h.last_request();
    assert_eq!(request.method(), "POST");
    assert_eq!(request.uri().path(), "/connectors");

    h.reply::<Result<_, CreateConnectorError>>(Ok(output));
    h.client
        .create_connector()
        .certificate_authority_arn(CA)
        .client_token("t2")
        .send()
        .await
        .unwrap();
    let mut expected = CreateConnectorRequest::new(CA);
    expected.client_token = Some("t2".into());
    assert_eq!(h.input::<CreateConnectorRequest>(), expected);
}

#[tokio::test]
async fn deletes_take_arns_with_colons_and_slashes_in_labels() {
    let h = Harness::new();
    h.reply::<Result<(), DeleteChallengeError>>(Ok(()));
    h.client
        .delete_challenge()
        .challenge_arn(CHALLENGE)
        .send()
        .await
        .unwrap();
    assert_eq!(
        h.input::<DeleteChallengeRequest>(),
        DeleteChallengeRequest::new(CHALLENGE)
    );
    let request = h.last_request();
    assert_eq!(request.method(), "DELETE");
    // The SDK percent-encodes the label: `/` inside it is data.
    assert!(
        request
            .uri()
            .path()
            .starts_with("/challenges/arn%3Aaws%3Apca-connector-scep%3A"),
        "{}",
        request.uri()
    );
    assert!(
        request.uri().path().contains("%2Fchallenge%2F"),
        "{}",
        request.uri()
    );

    h.reply::<Result<(), DeleteConnectorError>>(Ok(()));
    h.client
        .delete_connector()
        .connector_arn(CONNECTOR)
        .send()
        .await
        .unwrap();
    assert_eq!(
        h.input::<DeleteConnectorRequest>(),
        DeleteConnectorRequest::new(CONNECTOR)
    );
}

#[tokio::test]
async fn get_challenge_metadata_and_password() {
    let h = Harness::new();
    let mut m = ChallengeMetadata::new();
    m.arn = Some(CHALLENGE.into());
    m.connector_arn = Some(CONNECTOR.into());
    m.created_at = Some(created());
    m.updated_at = Some(updated());
    let mut output = GetChallengeMetadataResponse::new();
    output.challenge_metadata = Some(m);
    h.reply::<Result<_, GetChallengeMetadataError>>(Ok(output));
    let out = h
        .client
        .get_challenge_metadata()
        .challenge_arn(CHALLENGE)
        .send()
        .await
        .unwrap();
    assert_eq!(
        h.input::<GetChallengeMetadataRequest>(),
        GetChallengeMetadataRequest::new(CHALLENGE)
    );
    let m = out.challenge_metadata().unwrap();
    assert_eq!(
        (m.arn(), m.connector_arn()),
        (Some(CHALLENGE), Some(CONNECTOR))
    );
    assert_time(m.updated_at(), updated());

    let mut output = GetChallengePasswordResponse::new();
    output.password = Some("secret-password".into());
    h.reply::<Result<_, GetChallengePasswordError>>(Ok(output));
    let out = h
        .client
        .get_challenge_password()
        .challenge_arn(CHALLENGE)
        .send()
        .await
        .unwrap();
    assert_eq!(
        h.input::<GetChallengePasswordRequest>(),
        GetChallengePasswordRequest::new(CHALLENGE)
    );
    assert_eq!(out.password(), Some("secret-password"));
}

fn connector(intune: bool) -> Connector {
    let mut c = Connector::new();
    c.arn = Some(CONNECTOR.into());
    c.certificate_authority_arn = Some(CA.into());
    c.created_at = Some(created());
    c.updated_at = Some(updated());
    c.endpoint = Some("https://localhost/scep/0b7f6e6a".into());
    c.status = Some(ConnectorStatus::Active);
    c.r#type = Some(ConnectorType::GeneralPurpose);
    if intune {
        c.r#type = Some(ConnectorType::Intune);
        c.status = Some(ConnectorStatus::Failed);
        c.status_reason = Some(ConnectorStatusReason::PrivatecaResourceNotFound);
        c.mobile_device_management = Some(MobileDeviceManagement::Intune(
            IntuneConfiguration::new("app-id-1234567890", "example.com"),
        ));
        let mut oidc = OpenIdConfiguration::new();
        oidc.audience = Some("api://AzureADTokenExchange".into());
        oidc.issuer = Some("https://issuer".into());
        oidc.subject = Some("sub".into());
        c.open_id_configuration = Some(oidc);
    }
    c
}

#[tokio::test]
async fn get_connector_parses_every_field() {
    let h = Harness::new();
    for intune in [false, true] {
        let mut output = GetConnectorResponse::new();
        output.connector = Some(connector(intune));
        h.reply::<Result<_, GetConnectorError>>(Ok(output));
        let out = h
            .client
            .get_connector()
            .connector_arn(CONNECTOR)
            .send()
            .await
            .unwrap();
        assert_eq!(
            h.input::<GetConnectorRequest>(),
            GetConnectorRequest::new(CONNECTOR)
        );
        let c = out.connector().unwrap();
        assert_eq!(c.arn(), Some(CONNECTOR));
        assert_eq!(c.certificate_authority_arn(), Some(CA));
        assert_eq!(c.endpoint(), Some("https://localhost/scep/0b7f6e6a"));
        assert_time(c.created_at(), created());
        if intune {
            assert_eq!(c.r#type(), Some(&sdk::types::ConnectorType::Intune));
            assert_eq!(c.status(), Some(&sdk::types::ConnectorStatus::Failed));
            assert_eq!(
                c.status_reason(),
                Some(&sdk::types::ConnectorStatusReason::PrivatecaResourceNotFound)
            );
            let mdm = c.mobile_device_management().unwrap().as_intune().unwrap();
            assert_eq!(
                (mdm.azure_application_id(), mdm.domain()),
                ("app-id-1234567890", "example.com")
            );
            assert_eq!(
                c.open_id_configuration().unwrap().audience(),
                Some("api://AzureADTokenExchange")
            );
        } else {
            assert_eq!(c.r#type(), Some(&sdk::types::ConnectorType::GeneralPurpose));
            assert_eq!(c.status(), Some(&sdk::types::ConnectorStatus::Active));
            assert!(c.mobile_device_management().is_none());
            assert!(c.open_id_configuration().is_none());
        }
    }
}

#[tokio::test]
async fn list_operations_with_page_bounds_and_tokens() {
    let h = Harness::new();
    for (max, token) in [(1, "abc="), (1000, "ab=="), (500, "abcd")] {
        let mut summary = ConnectorSummary::new();
        summary.arn = Some(CONNECTOR.into());
        summary.created_at = Some(created());
        summary.r#type = Some(ConnectorType::Intune);
        let mut output = ListConnectorsResponse::new();
        output.connectors = Some(vec![summary]);
        output.next_token = Some("bmV4dA==".into());
        h.reply::<Result<_, ListConnectorsError>>(Ok(output));
        let out = h
            .client
            .list_connectors()
            .max_results(max)
            .next_token(token)
            .send()
            .await
            .unwrap();
        let mut expected = ListConnectorsRequest::new();
        expected.max_results = Some(max);
        expected.next_token = Some(token.into());
        assert_eq!(h.input::<ListConnectorsRequest>(), expected);
        assert_eq!(out.next_token(), Some("bmV4dA=="));
        assert_eq!(
            out.connectors()[0].r#type(),
            Some(&sdk::types::ConnectorType::Intune)
        );
    }

    let mut summary = ChallengeMetadataSummary::new();
    summary.arn = Some(CHALLENGE.into());
    summary.updated_at = Some(updated());
    let mut output = ListChallengeMetadataResponse::new();
    output.challenges = Some(vec![summary]);
    h.reply::<Result<_, ListChallengeMetadataError>>(Ok(output));
    let out = h
        .client
        .list_challenge_metadata()
        .connector_arn(CONNECTOR)
        .max_results(1000)
        .next_token("a_-9ab==")
        .send()
        .await
        .unwrap();
    let mut expected = ListChallengeMetadataRequest::new(CONNECTOR);
    expected.max_results = Some(1000);
    expected.next_token = Some("a_-9ab==".into());
    assert_eq!(h.input::<ListChallengeMetadataRequest>(), expected);
    assert_eq!(out.challenges()[0].arn(), Some(CHALLENGE));
    assert!(out.next_token().is_none());

    // Without paging parameters nothing is sent for them.
    h.reply::<Result<_, ListConnectorsError>>(Ok(ListConnectorsResponse::new()));
    let out = h.client.list_connectors().send().await.unwrap();
    assert_eq!(
        h.input::<ListConnectorsRequest>(),
        ListConnectorsRequest::new()
    );
    assert!(out.connectors().is_empty());
}

#[tokio::test]
async fn tagging_with_awkward_keys_and_values() {
    let h = Harness::new();
    for arn in [CONNECTOR, CHALLENGE] {
        h.reply::<Result<(), TagResourceError>>(Ok(()));
        h.client
            .tag_resource()
            .resource_arn(arn)
            .set_tags(Some(sdk_tags(&tags())))
            .send()
            .await
            .unwrap();
        assert_eq!(
            h.input::<TagResourceRequest>(),
            TagResourceRequest::new(arn, tags())
        );

        let mut output = ListTagsForResourceResponse::new();
        output.tags = Some(tags());
        h.reply::<Result<_, ListTagsForResourceError>>(Ok(output));
        let out = h
            .client
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .unwrap();
        assert_eq!(
            h.input::<ListTagsForResourceRequest>(),
            ListTagsForResourceRequest::new(arn)
        );
        assert_eq!(out.tags().unwrap(), &sdk_tags(&tags()));

        let keys: Vec<String> = tags().into_keys().collect();
        h.reply::<Result<(), UntagResourceError>>(Ok(()));
        h.client
            .untag_resource()
            .resource_arn(arn)
            .set_tag_keys(Some(keys.clone()))
            .send()
            .await
            .unwrap();
        assert_eq!(
            h.input::<UntagResourceRequest>(),
            UntagResourceRequest::new(arn, keys)
        );
        let request = h.last_request();
        assert!(
            request.uri().query().unwrap().starts_with("tagKeys="),
            "{}",
            request.uri()
        );
    }
}

/// Every modelled error of every operation reaches the SDK as that error,
/// with its message.
#[tokio::test]
async fn every_modelled_error_of_every_operation() {
    let h = Harness::new();
    let mut checked = 0;
    macro_rules! check {
        ($op:ident, $out:ty, $error:ident, $call:expr) => {{
            for name in Operation::$op.errors() {
                h.reply::<Result<$out, $error>>(Err($error::named(name)));
                let err = $call.await.expect_err("an error").into_service_error();
                assert_eq!(err.code(), Some(*name), "{}", stringify!($op));
                checked += 1;
                assert_eq!(err.message(), Some(format!("{name} happened").as_str()));
                let _ = h.server.service().inputs.lock().unwrap().pop();
            }
        }};
    }
    check!(
        CreateChallenge,
        CreateChallengeResponse,
        CreateChallengeError,
        h.client
            .create_challenge()
            .connector_arn(CONNECTOR)
            .client_token("t")
            .send()
    );
    check!(
        CreateConnector,
        CreateConnectorResponse,
        CreateConnectorError,
        h.client
            .create_connector()
            .certificate_authority_arn(CA)
            .client_token("t")
            .send()
    );
    check!(
        DeleteChallenge,
        (),
        DeleteChallengeError,
        h.client.delete_challenge().challenge_arn(CHALLENGE).send()
    );
    check!(
        DeleteConnector,
        (),
        DeleteConnectorError,
        h.client.delete_connector().connector_arn(CONNECTOR).send()
    );
    check!(
        GetChallengeMetadata,
        GetChallengeMetadataResponse,
        GetChallengeMetadataError,
        h.client
            .get_challenge_metadata()
            .challenge_arn(CHALLENGE)
            .send()
    );
    check!(
        GetChallengePassword,
        GetChallengePasswordResponse,
        GetChallengePasswordError,
        h.client
            .get_challenge_password()
            .challenge_arn(CHALLENGE)
            .send()
    );
    check!(
        GetConnector,
        GetConnectorResponse,
        GetConnectorError,
        h.client.get_connector().connector_arn(CONNECTOR).send()
    );
    check!(
        ListChallengeMetadata,
        ListChallengeMetadataResponse,
        ListChallengeMetadataError,
        h.client
            .list_challenge_metadata()
            .connector_arn(CONNECTOR)
            .send()
    );
    check!(
        ListConnectors,
        ListConnectorsResponse,
        ListConnectorsError,
        h.client.list_connectors().send()
    );
    check!(
        ListTagsForResource,
        ListTagsForResourceResponse,
        ListTagsForResourceError,
        h.client
            .list_tags_for_resource()
            .resource_arn(CONNECTOR)
            .send()
    );
    check!(
        TagResource,
        (),
        TagResourceError,
        h.client
            .tag_resource()
            .resource_arn(CONNECTOR)
            .tags("k", "v")
            .send()
    );
    check!(
        UntagResource,
        (),
        UntagResourceError,
        h.client
            .untag_resource()
            .resource_arn(CONNECTOR)
            .tag_keys("k")
            .send()
    );
    assert_eq!(checked, 8 + 7 + 6 + 6 + 5 * 4 + 4 + 5 * 3);
}

/// Each operation's error enum, built from an error's shape name. The lists
/// are the API reference's, written out here; `Operation::errors()` (from
/// the model) must agree with them.
trait Named: Sized {
    fn named(name: &str) -> Self;
}

#[allow(non_snake_case)]
mod build {
    use pca_connector_scep::error::*;
    use pca_connector_scep::types::ValidationExceptionReason;

    fn message(name: &str) -> String {
        format!("{name} happened")
    }
    pub fn AccessDeniedException(n: &str) -> AccessDeniedException {
        AccessDeniedException::new(message(n))
    }
    pub fn BadRequestException(n: &str) -> BadRequestException {
        BadRequestException::new(message(n))
    }
    pub fn ConflictException(n: &str) -> ConflictException {
        ConflictException::new(message(n), "res-1", "Connector")
    }
    pub fn InternalServerException(n: &str) -> InternalServerException {
        InternalServerException::new(message(n))
    }
    pub fn ResourceNotFoundException(n: &str) -> ResourceNotFoundException {
        ResourceNotFoundException::new(message(n), "res-1", "Challenge")
    }
    pub fn ServiceQuotaExceededException(n: &str) -> ServiceQuotaExceededException {
        ServiceQuotaExceededException::new(message(n), "L-1234", "Connector", "pca-connector-scep")
    }
    pub fn ThrottlingException(n: &str) -> ThrottlingException {
        ThrottlingException::new(message(n))
    }
    pub fn ValidationException(n: &str) -> ValidationException {
        let mut e = ValidationException::new(message(n));
        e.reason = Some(ValidationExceptionReason::InvalidState);
        e
    }
}

macro_rules! named {
    ($($e:ident => [$($v:ident),*];)*) => {$(
        impl Named for $e {
            fn named(name: &str) -> Self {
                match name {
                    $(stringify!($v) => Self::$v(build::$v(name)),)*
                    other => panic!("{} has no {other}", stringify!($e)),
                }
            }
        }
    )*};
}

named! {
    CreateChallengeError => [AccessDeniedException, BadRequestException, ConflictException, InternalServerException, ResourceNotFoundException, ServiceQuotaExceededException, ThrottlingException, ValidationException];
    CreateConnectorError => [AccessDeniedException, ConflictException, InternalServerException, ResourceNotFoundException, ServiceQuotaExceededException, ThrottlingException, ValidationException];
    DeleteChallengeError => [AccessDeniedException, ConflictException, InternalServerException, ResourceNotFoundException, ThrottlingException, ValidationException];
    DeleteConnectorError => [AccessDeniedException, ConflictException, InternalServerException, ResourceNotFoundException, ThrottlingException, ValidationException];
    GetChallengeMetadataError => [AccessDeniedException, InternalServerException, ResourceNotFoundException, ThrottlingException, ValidationException];
    GetChallengePasswordError => [AccessDeniedException, InternalServerException, ResourceNotFoundException, ThrottlingException, ValidationException];
    GetConnectorError => [AccessDeniedException, InternalServerException, ResourceNotFoundException, ThrottlingException, ValidationException];
    ListChallengeMetadataError => [AccessDeniedException, InternalServerException, ResourceNotFoundException, ThrottlingException, ValidationException];
    ListConnectorsError => [AccessDeniedException, InternalServerException, ThrottlingException, ValidationException];
    ListTagsForResourceError => [AccessDeniedException, InternalServerException, ResourceNotFoundException, ThrottlingException, ValidationException];
    TagResourceError => [AccessDeniedException, InternalServerException, ResourceNotFoundException, ThrottlingException, ValidationException];
    UntagResourceError => [AccessDeniedException, InternalServerException, ResourceNotFoundException, ThrottlingException, ValidationException];
}

#[tokio::test]
async fn error_members_reach_the_sdk() {
    let h = Harness::new();
    h.reply::<Result<GetConnectorResponse, _>>(Err(GetConnectorError::from(
        ResourceNotFoundException::new("no connector", CONNECTOR, "Connector"),
    )));
    let err = h
        .client
        .get_connector()
        .connector_arn(CONNECTOR)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let sdk::operation::get_connector::GetConnectorError::ResourceNotFoundException(e) = err else {
        panic!("expected ResourceNotFoundException, got {err:?}");
    };
    assert_eq!(
        (e.message(), e.resource_id(), e.resource_type()),
        ("no connector", CONNECTOR, "Connector")
    );

    h.reply::<Result<CreateConnectorResponse, _>>(Err(CreateConnectorError::from(
        ServiceQuotaExceededException::new("too many", "L-1", "Connector", "pca-connector-scep"),
    )));
    let err = h
        .client
        .create_connector()
        .certificate_authority_arn(CA)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let sdk::operation::create_connector::CreateConnectorError::ServiceQuotaExceededException(e) =
        err
    else {
        panic!("expected ServiceQuotaExceededException, got {err:?}");
    };
    assert_eq!(
        (e.quota_code(), e.resource_type(), e.service_code()),
        ("L-1", "Connector", "pca-connector-scep")
    );

    let mut v = ValidationException::new("bad");
    v.reason = Some(ValidationExceptionReason::InvalidState);
    h.reply::<Result<ListConnectorsResponse, _>>(Err(ListConnectorsError::from(v)));
    let err = h
        .client
        .list_connectors()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let sdk::operation::list_connectors::ListConnectorsError::ValidationException(e) = err else {
        panic!("expected ValidationException, got {err:?}");
    };
    assert_eq!(
        e.reason(),
        Some(&sdk::types::ValidationExceptionReason::InvalidState)
    );
}

#[tokio::test]
async fn invalid_input_from_the_sdk_gets_a_validation_exception() {
    let h = Harness::new();
    let err = h
        .client
        .get_connector()
        .connector_arn("arn:not-a-connector")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let sdk::operation::get_connector::GetConnectorError::ValidationException(e) = err else {
        panic!("expected ValidationException, got {err:?}");
    };
    assert_eq!(
        e.message(),
        (r"1 validation error detected. Value at '/ConnectorArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:aws(-[a-z]+)*:pca-connector-scep:[a-z]+(-[a-z]+)+-[1-9]\d*:\d{12}:connector\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$")
    );
    assert!(
        h.server.service().inputs.lock().unwrap().is_empty(),
        "the handler was not called"
    );

    let err = h
        .client
        .list_connectors()
        .max_results(1001)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("ValidationException"));
    assert!(
        err.message()
            .unwrap()
            .contains("Member must be between 1 and 1000, inclusive")
    );
}

#[tokio::test]
async fn a_panicking_handler_is_an_internal_server_exception() {
    let h = Harness::new(); // no reply queued: the handler panics
    let err = h
        .client
        .get_connector()
        .connector_arn(CONNECTOR)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(
            err,
            sdk::operation::get_connector::GetConnectorError::InternalServerException(_)
        ),
        "{err:?}"
    );
    assert_eq!(
        err.message(),
        Some("The server encountered an internal error.")
    );
}
