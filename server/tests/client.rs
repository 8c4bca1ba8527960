//! The generated client (`pca_connector_scep::client`) end to end: the
//! server binary on loopback, every operation over the default transport
//! (hyper, plain HTTP) with SigV4 checked by the server, the modelled
//! errors as their variants, pagination, retries of idempotent creates,
//! and settings from the environment and the shared AWS files.

use pca_connector_scep::client::{Client, Config, Credentials, Error, RetryConfig};
use pca_connector_scep::input::*;
use pca_connector_scep::operation::*;
use pca_connector_scep::types::{
    ConnectorStatus, ConnectorType, IntuneConfiguration, MobileDeviceManagement,
};
use smithy_rt::client::env::Env;
use smithy_rt::client::http;
use smithy_rt::client::hyper_transport::HyperTransport;
use smithy_rt::client::transport::{BoxFuture, TransportResult};
use smithy_rt::client::{Bytes, HttpTransport, TransportError, TransportErrorKind};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CA: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";
const OTHER_CA: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/99999999-2222-3333-4444-555555555555";
const CONNECTOR_PREFIX: &str = "arn:aws:pca-connector-scep:us-east-1:000000000000:connector/";

/// A server process on a free port, killed when dropped.
struct Spawned {
    child: Child,
    addr: String,
}

impl Spawned {
    fn start(name: &str, extra: &[&str]) -> Self {
        let data_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("client-{name}"));
        let _ = std::fs::remove_dir_all(&data_dir);
        let mut child = Command::new(env!("CARGO_BIN_EXE_pca-connector-scep-server"))
            .args(["--listen", "127.0.0.1:0", "--data-dir"])
            .arg(&data_dir)
            .args(["--create-delay-ms", "100"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Self { child, addr }
    }

    fn config(&self) -> smithy_rt::client::ConfigBuilder {
        Config::builder()
            .endpoint_url(&self.addr)
            .region("us-east-1")
            .credentials(Credentials::new("test", "test", None))
            .retry(RetryConfig::disabled())
    }

    fn client(&self) -> Client {
        Client::new(self.config().build())
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn create_connector(c: &Client, ca: &str) -> String {
    let arn = c
        .create_connector(CreateConnectorRequest::new(ca))
        .await
        .unwrap()
        .connector_arn
        .unwrap();
    assert!(arn.starts_with(CONNECTOR_PREFIX), "{arn}");
    arn
}

/// Polls `GetConnector` until the connector is no longer `CREATING`.
async fn wait_active(c: &Client, arn: &str) -> pca_connector_scep::types::Connector {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let connector = c
            .get_connector(GetConnectorRequest::new(arn))
            .await
            .unwrap()
            .connector
            .unwrap();
        if connector.status != Some(ConnectorStatus::Creating) {
            assert_eq!(connector.status, Some(ConnectorStatus::Active));
            return connector;
        }
        assert!(Instant::now() < deadline, "{arn} stays CREATING");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn is_request_id(id: Option<&str>) -> bool {
    id.is_some_and(|id| id.len() == 36 && id.bytes().filter(|&b| b == b'-').count() == 4)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_through_the_generated_client() {
    let s = Spawned::start("lifecycle", &["--create-delay-ms", "300"]);
    let c = s.client();

    let mut create = CreateConnectorRequest::new(CA);
    create.tags = Some(BTreeMap::from([("team".to_owned(), "pki".to_owned())]));
    let arn = c
        .create_connector(create)
        .await
        .unwrap()
        .connector_arn
        .unwrap();
    assert!(arn.starts_with(CONNECTOR_PREFIX), "{arn}");
    let id = arn.rsplit('/').next().unwrap().to_owned();

    let got = c
        .get_connector(GetConnectorRequest::new(&arn))
        .await
        .unwrap()
        .connector
        .unwrap();
    assert_eq!(got.arn.as_deref(), Some(arn.as_str()));
    assert_eq!(got.certificate_authority_arn.as_deref(), Some(CA));
    assert_eq!(got.r#type, Some(ConnectorType::GeneralPurpose));
    assert_eq!(
        got.endpoint.as_deref(),
        Some(format!("{}/scep/{id}", s.addr).as_str())
    );
    assert!(got.mobile_device_management.is_none() && got.open_id_configuration.is_none());
    assert!(matches!(
        got.status,
        Some(ConnectorStatus::Creating | ConnectorStatus::Active)
    ));
    let created_at = got.created_at.unwrap();

    let active = wait_active(&c, &arn).await;
    assert_eq!(active.created_at, Some(created_at));
    assert!(active.updated_at.unwrap() > created_at);
    assert_eq!(active.status_reason, None);

    let listed = c
        .list_connectors(ListConnectorsRequest::new())
        .await
        .unwrap();
    assert_eq!(listed.next_token, None);
    let summaries = listed.connectors.unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].arn.as_deref(), Some(arn.as_str()));
    assert_eq!(summaries[0].status, Some(ConnectorStatus::Active));
    assert_eq!(summaries[0].endpoint, active.endpoint);

    let challenge = c
        .create_challenge(CreateChallengeRequest::new(&arn))
        .await
        .unwrap()
        .challenge
        .unwrap();
    let challenge_arn = challenge.arn.clone().unwrap();
    assert!(
        challenge_arn.starts_with(&format!("{arn}/challenge/")),
        "{challenge_arn}"
    );
    assert_eq!(challenge.connector_arn.as_deref(), Some(arn.as_str()));
    let password = challenge.password.clone().unwrap();
    assert_eq!(password.len(), 36);
    assert!(
        !format!("{challenge:?}").contains(&password),
        "the password is redacted in Debug"
    );

    let meta = c
        .get_challenge_metadata(GetChallengeMetadataRequest::new(&challenge_arn))
        .await
        .unwrap()
        .challenge_metadata
        .unwrap();
    assert_eq!(meta.arn.as_deref(), Some(challenge_arn.as_str()));
    assert_eq!(meta.connector_arn.as_deref(), Some(arn.as_str()));
    assert_eq!(meta.created_at, challenge.created_at);

    let got_password = c
        .get_challenge_password(GetChallengePasswordRequest::new(&challenge_arn))
        .await
        .unwrap()
        .password;
    assert_eq!(got_password.as_deref(), Some(password.as_str()));

    let challenges = c
        .list_challenge_metadata(ListChallengeMetadataRequest::new(&arn))
        .await
        .unwrap();
    assert_eq!(challenges.next_token, None);
    let challenges = challenges.challenges.unwrap();
    assert_eq!(challenges.len(), 1);
    assert_eq!(challenges[0].arn.as_deref(), Some(challenge_arn.as_str()));
    assert_eq!(challenges[0].connector_arn.as_deref(), Some(arn.as_str()));

    // Tags: keys and values that need escaping in the URI and the body.
    c.tag_resource(TagResourceRequest::new(
        &arn,
        BTreeMap::from([
            ("env".to_owned(), "prod".to_owned()),
            ("k 1/ü".to_owned(), "v&=+".to_owned()),
        ]),
    ))
    .await
    .unwrap();
    let tags = c
        .list_tags_for_resource(ListTagsForResourceRequest::new(&arn))
        .await
        .unwrap()
        .tags
        .unwrap();
    assert_eq!(
        tags,
        [("env", "prod"), ("k 1/ü", "v&=+"), ("team", "pki")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    );
    c.untag_resource(UntagResourceRequest::new(
        &arn,
        vec!["team".to_owned(), "k 1/ü".to_owned()],
    ))
    .await
    .unwrap();
    let tags = c
        .list_tags_for_resource(ListTagsForResourceRequest::new(&arn))
        .await
        .unwrap()
        .tags
        .unwrap();
    assert_eq!(
        tags,
        BTreeMap::from([("env".to_owned(), "prod".to_owned())])
    );

    c.delete_challenge(DeleteChallengeRequest::new(&challenge_arn))
        .await
        .unwrap();
    let err = c
        .get_challenge_password(GetChallengePasswordRequest::new(&challenge_arn))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Modeled(GetChallengePasswordError::ResourceNotFoundException(e), meta)
                if e.resource_id == challenge_arn && meta.status == 404
        ),
        "{err:?}"
    );
    c.delete_connector(DeleteConnectorRequest::new(&arn))
        .await
        .unwrap();
    let err = c
        .get_connector(GetConnectorRequest::new(&arn))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Modeled(GetConnectorError::ResourceNotFoundException(e), _)
                if e.resource_id == arn && e.resource_type == "Connector"
        ),
        "{err:?}"
    );
    let listed = c
        .list_connectors(ListConnectorsRequest::new())
        .await
        .unwrap();
    assert_eq!(listed.connectors, Some(Vec::new()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn modelled_errors_arrive_as_their_variants() {
    let s = Spawned::start(
        "errors",
        &[
            "--create-delay-ms",
            "1000",
            "--max-connectors",
            "3",
            "--max-challenges-per-connector",
            "1",
        ],
    );
    let c = s.client();
    let missing = format!("{CONNECTOR_PREFIX}00000000-0000-0000-0000-000000000000");

    // ResourceNotFoundException, with its members and the request id.
    let err = c
        .get_connector(GetConnectorRequest::new(&missing))
        .await
        .unwrap_err();
    let Error::Modeled(GetConnectorError::ResourceNotFoundException(e), meta) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.message, format!("Connector {missing} does not exist."));
    assert_eq!(
        (e.resource_id.as_str(), e.resource_type.as_str()),
        (missing.as_str(), "Connector")
    );
    assert_eq!(meta.status, 404);
    assert!(is_request_id(meta.request_id.as_deref()), "{meta:?}");
    assert_eq!(err.request_id(), meta.request_id.as_deref());
    assert_eq!(
        err.to_string(),
        format!(
            "ResourceNotFoundException: Connector {missing} does not exist. (HTTP 404, request id {})",
            meta.request_id.as_deref().unwrap()
        )
    );
    for (what, err) in [
        (
            "ListChallengeMetadata",
            c.list_challenge_metadata(ListChallengeMetadataRequest::new(&missing))
                .await
                .unwrap_err()
                .map_modeled(|e| format!("{e:?}")),
        ),
        (
            "ListTagsForResource",
            c.list_tags_for_resource(ListTagsForResourceRequest::new(&missing))
                .await
                .unwrap_err()
                .map_modeled(|e| format!("{e:?}")),
        ),
        (
            "DeleteConnector",
            c.delete_connector(DeleteConnectorRequest::new(&missing))
                .await
                .unwrap_err()
                .map_modeled(|e| format!("{e:?}")),
        ),
    ] {
        let Error::Modeled(debug, meta) = &err else {
            panic!("{what}: {err:?}")
        };
        assert!(
            debug.starts_with("ResourceNotFoundException("),
            "{what}: {debug}"
        );
        assert_eq!(meta.status, 404, "{what}");
    }
    let missing_challenge = format!("{missing}/challenge/00000000-0000-0000-0000-000000000000");
    let err = c
        .delete_challenge(DeleteChallengeRequest::new(&missing_challenge))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Modeled(DeleteChallengeError::ResourceNotFoundException(e), _)
                if e.resource_type == "Challenge" && e.resource_id == missing_challenge
        ),
        "{err:?}"
    );
    let err = c
        .create_challenge(CreateChallengeRequest::new(&missing))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Modeled(CreateChallengeError::ResourceNotFoundException(e), _)
                if e.resource_type == "Connector"
        ),
        "{err:?}"
    );

    // ValidationException: a malformed ARN (checked by the server against
    // the model's pattern; the client sends what it is given).
    let err = c
        .get_connector(GetConnectorRequest::new("arn:nope"))
        .await
        .unwrap_err();
    let Error::Modeled(GetConnectorError::ValidationException(e), meta) = &err else {
        panic!("{err:?}")
    };
    assert!(
        e.message.starts_with(
            "1 validation error detected. Value at '/ConnectorArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:"
        ),
        "{}",
        e.message
    );
    assert_eq!(e.reason, None);
    assert_eq!(meta.status, 400);
    assert!(is_request_id(meta.request_id.as_deref()));
    let mut zero = ListConnectorsRequest::new();
    zero.max_results = Some(0);
    let err = c.list_connectors(zero).await.unwrap_err();
    let Error::Modeled(ListConnectorsError::ValidationException(e), _) = &err else {
        panic!("{err:?}")
    };
    assert!(e.message.contains("'/MaxResults'"), "{}", e.message);
    let mut forged = ListConnectorsRequest::new();
    forged.next_token = Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_owned());
    let err = c.list_connectors(forged).await.unwrap_err();
    let Error::Modeled(ListConnectorsError::ValidationException(e), _) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.message, "The pagination token is invalid or has expired.");

    let general = create_connector(&c, CA).await;
    let err = c
        .tag_resource(TagResourceRequest::new(
            &general,
            BTreeMap::from([("aws:reserved".to_owned(), "v".to_owned())]),
        ))
        .await
        .unwrap_err();
    let Error::Modeled(TagResourceError::ValidationException(e), _) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        e.message,
        "Tag keys may not start with the reserved prefix 'aws:'."
    );

    // BadRequestException: a challenge for a connector still CREATING, and
    // for an Intune connector.
    let err = c
        .create_challenge(CreateChallengeRequest::new(&general))
        .await
        .unwrap_err();
    let Error::Modeled(CreateChallengeError::BadRequestException(e), meta) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        e.message,
        "The connector is CREATING; challenges can be created only for ACTIVE connectors."
    );
    assert_eq!(meta.status, 400);
    let mut intune = CreateConnectorRequest::new(CA);
    intune.mobile_device_management =
        Some(MobileDeviceManagement::Intune(IntuneConfiguration::new(
            "6c1f6e9a-0e5a-4b5e-9a2b-2c3d4e5f6a7b",
            "login.microsoftonline.com",
        )));
    let intune = c
        .create_connector(intune)
        .await
        .unwrap()
        .connector_arn
        .unwrap();
    let connector = wait_active(&c, &intune).await;
    assert_eq!(connector.r#type, Some(ConnectorType::Intune));
    let err = c
        .create_challenge(CreateChallengeRequest::new(&intune))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Modeled(CreateChallengeError::BadRequestException(e), _)
                if e.message.contains("Intune")
        ),
        "{err:?}"
    );

    // ConflictException: a client token reused with other parameters.
    let mut first = CreateConnectorRequest::new(CA);
    first.client_token = Some("reused-token".to_owned());
    let third = c
        .create_connector(first.clone())
        .await
        .unwrap()
        .connector_arn
        .unwrap();
    let mut other = CreateConnectorRequest::new(OTHER_CA);
    other.client_token = Some("reused-token".to_owned());
    let err = c.create_connector(other).await.unwrap_err();
    let Error::Modeled(CreateConnectorError::ConflictException(e), meta) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (e.resource_id.as_str(), e.resource_type.as_str()),
        ("reused-token", "ClientToken")
    );
    assert!(e.message.contains("different parameters"), "{}", e.message);
    assert_eq!(meta.status, 409);
    // The same parameters replay the first answer, even at the quota.
    let again = c
        .create_connector(first)
        .await
        .unwrap()
        .connector_arn
        .unwrap();
    assert_eq!(again, third);

    // ServiceQuotaExceededException: 3 connectors, 1 challenge each.
    let err = c
        .create_connector(CreateConnectorRequest::new(CA))
        .await
        .unwrap_err();
    let Error::Modeled(CreateConnectorError::ServiceQuotaExceededException(e), meta) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (
            e.resource_type.as_str(),
            e.service_code.as_str(),
            e.quota_code.as_str()
        ),
        ("Connector", "pca-connector-scep", "L-SCEP-CONNECTORS")
    );
    assert_eq!(meta.status, 402);
    wait_active(&c, &general).await;
    c.create_challenge(CreateChallengeRequest::new(&general))
        .await
        .unwrap();
    let err = c
        .create_challenge(CreateChallengeRequest::new(&general))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Modeled(CreateChallengeError::ServiceQuotaExceededException(e), _)
                if e.resource_type == "Challenge" && e.quota_code == "L-SCEP-CHALLENGES"
        ),
        "{err:?}"
    );

    // Authentication failures are not modelled: `Error::Service` with the
    // server's error type.
    let wrong_secret = Client::new(
        s.config()
            .credentials(Credentials::new("test", "wrong", None))
            .build(),
    );
    let err = wrong_secret
        .list_connectors(ListConnectorsRequest::new())
        .await
        .unwrap_err();
    let Error::Service(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.code.as_deref(), Some("InvalidSignatureException"));
    assert!(e.message.is_some(), "{e:?}");
    assert_eq!(e.meta.status, 403);
    assert!(is_request_id(e.meta.request_id.as_deref()), "{e:?}");
    let unknown_key = Client::new(
        s.config()
            .credentials(Credentials::new("nobody", "test", None))
            .build(),
    );
    let err = unknown_key
        .get_connector(GetConnectorRequest::new(&general))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Service(e) if e.code.as_deref() == Some("UnrecognizedClientException") && e.meta.status == 403),
        "{err:?}"
    );
    // No credentials at all: nothing is sent.
    let anonymous = Client::new(s.config().no_credentials().build());
    let err = anonymous
        .list_connectors(ListConnectorsRequest::new())
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Build(_)), "{err:?}");
    // An empty label cannot be sent.
    let err = c
        .get_connector(GetConnectorRequest::new(""))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Build(e) if e.message().contains("ConnectorArn")),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paginators_walk_every_page_once() {
    let s = Spawned::start("pages", &[]);
    let c = s.client();
    let mut created = Vec::new();
    for _ in 0..7 {
        created.push(create_connector(&c, CA).await);
    }

    let mut input = ListConnectorsRequest::new();
    input.max_results = Some(2);
    let mut pages = c.list_connectors_paginator(input.clone());
    let mut sizes = Vec::new();
    let mut from_pages = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        let connectors = page.connectors.unwrap();
        sizes.push(connectors.len());
        from_pages.extend(connectors.into_iter().map(|c| c.arn.unwrap()));
    }
    assert_eq!(sizes, [2, 2, 2, 1]);
    assert_eq!(
        from_pages, created,
        "every connector once, in creation order"
    );
    assert!(pages.next().await.is_none(), "done stays done");

    let mut items = c.list_connectors_items(input.clone());
    let mut from_items = Vec::new();
    while let Some(item) = items.next().await {
        from_items.push(item.unwrap().arn.unwrap());
    }
    assert_eq!(from_items, created);
    assert_eq!(
        from_items.iter().collect::<BTreeSet<_>>().len(),
        7,
        "no duplicates"
    );

    // Starting from a token resumes there.
    let first = c.list_connectors(input.clone()).await.unwrap();
    let mut rest = input.clone();
    rest.next_token = first.next_token;
    let mut items = c.list_connectors_items(rest);
    let mut tail = Vec::new();
    while let Some(item) = items.next().await {
        tail.push(item.unwrap().arn.unwrap());
    }
    assert_eq!(tail, created[2..]);

    // An error ends the stream after it is returned.
    let mut bad = input;
    bad.next_token = Some("AAAA".to_owned());
    let mut pages = c.list_connectors_paginator(bad);
    let err = pages.next().await.unwrap().unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Modeled(ListConnectorsError::ValidationException(_), _)
        ),
        "{err:?}"
    );
    assert!(pages.next().await.is_none());

    // Challenges of one connector.
    let connector = created[3].clone();
    wait_active(&c, &connector).await;
    let mut challenges = Vec::new();
    for _ in 0..5 {
        let ch = c
            .create_challenge(CreateChallengeRequest::new(&connector))
            .await
            .unwrap()
            .challenge
            .unwrap();
        challenges.push(ch.arn.unwrap());
    }
    c.create_challenge(CreateChallengeRequest::new(&created[4]))
        .await
        .unwrap();
    let mut input = ListChallengeMetadataRequest::new(&connector);
    input.max_results = Some(2);
    let mut pages = c.list_challenge_metadata_paginator(input.clone());
    let mut count = 0;
    let mut seen = Vec::new();
    while let Some(page) = pages.next().await {
        count += 1;
        let page = page.unwrap();
        seen.extend(page.challenges.unwrap().into_iter().map(|m| m.arn.unwrap()));
    }
    assert_eq!(count, 3);
    assert_eq!(seen, challenges);
    let mut items = c.list_challenge_metadata_items(input);
    let mut unique = BTreeSet::new();
    let mut n = 0;
    while let Some(item) = items.next().await {
        let item = item.unwrap();
        assert_eq!(item.connector_arn.as_deref(), Some(connector.as_str()));
        unique.insert(item.arn.unwrap());
        n += 1;
    }
    assert_eq!((n, unique.len()), (5, 5));
    assert_eq!(unique, challenges.into_iter().collect());
}

/// What a wrapped transport saw of one attempt.
#[derive(Debug, Clone)]
struct Attempt {
    headers: http::HeaderMap,
    body: Bytes,
    /// The status and body the server answered with.
    answer: Option<(u16, Bytes)>,
}

/// How the first attempt fails after the server has processed it.
#[derive(Debug, Clone, Copy)]
enum Failure {
    /// The connection "drops" before the answer reaches the client.
    Drop,
    /// The answer is replaced by a 503.
    Unavailable,
}

/// The default transport, with the first attempt's answer lost.
#[derive(Debug)]
struct LoseFirstAnswer {
    inner: HyperTransport,
    failure: Failure,
    attempts: Arc<Mutex<Vec<Attempt>>>,
}

impl HttpTransport for LoseFirstAnswer {
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'static, TransportResult> {
        let (inner, failure, attempts) = (self.inner.clone(), self.failure, self.attempts.clone());
        Box::pin(async move {
            let (headers, body) = (request.headers().clone(), request.body().clone());
            let response = inner.send(request).await;
            let n = {
                let mut a = attempts.lock().unwrap();
                a.push(Attempt {
                    headers,
                    body,
                    answer: response
                        .as_ref()
                        .ok()
                        .map(|r| (r.status().as_u16(), r.body().clone())),
                });
                a.len()
            };
            if n > 1 {
                return response;
            }
            match failure {
                Failure::Drop => Err(TransportError::new(
                    TransportErrorKind::Io,
                    "connection reset (injected after the server answered)",
                )),
                Failure::Unavailable => Ok(http::Response::builder()
                    .status(503)
                    .body(Bytes::new())
                    .unwrap()),
            }
        })
    }
}

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).unwrap()
}

fn header<'a>(a: &'a Attempt, name: &str) -> &'a str {
    a.headers.get(name).unwrap().to_str().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_retried_after_a_lost_answer_keep_their_client_token() {
    let s = Spawned::start("retries", &["--create-delay-ms", "0"]);
    let flaky = |failure| {
        let attempts = Arc::new(Mutex::new(Vec::new()));
        let client = Client::new(
            s.config()
                .retry(RetryConfig {
                    max_attempts: 3,
                    initial_backoff: Duration::from_millis(5),
                    ..RetryConfig::default()
                })
                .transport(LoseFirstAnswer {
                    inner: HyperTransport::new(Some(Duration::from_secs(2))),
                    failure,
                    attempts: attempts.clone(),
                })
                .build(),
        );
        (client, attempts)
    };

    // CreateConnector: the first answer is lost on the way back.
    let (client, attempts) = flaky(Failure::Drop);
    let arn = client
        .create_connector(CreateConnectorRequest::new(CA))
        .await
        .unwrap()
        .connector_arn
        .unwrap();
    let seen = attempts.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "one retry");
    let token = json(&seen[0].body)["ClientToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(token.len(), 36, "a generated UUID: {token}");
    assert_eq!(json(&seen[1].body)["ClientToken"], token.as_str());
    assert_eq!(seen[0].body, seen[1].body);
    assert_eq!(
        header(&seen[0], "amz-sdk-invocation-id"),
        header(&seen[1], "amz-sdk-invocation-id")
    );
    assert_eq!(header(&seen[0], "amz-sdk-request"), "attempt=1; max=3");
    assert_eq!(header(&seen[1], "amz-sdk-request"), "attempt=2; max=3");
    // The server created the connector the first time and replayed it.
    let (status, body) = seen[0].answer.clone().unwrap();
    assert_eq!(status, 202);
    assert_eq!(json(&body)["ConnectorArn"], arn.as_str());
    assert_eq!(seen[1].answer.as_ref().unwrap().0, 202);
    let all = s
        .client()
        .list_connectors(ListConnectorsRequest::new())
        .await
        .unwrap()
        .connectors
        .unwrap();
    assert_eq!(all.len(), 1, "created once");
    assert_eq!(all[0].arn.as_deref(), Some(arn.as_str()));

    // CreateChallenge: the first answer comes back as a 503.
    let (client, attempts) = flaky(Failure::Unavailable);
    let challenge = client
        .create_challenge(CreateChallengeRequest::new(&arn))
        .await
        .unwrap()
        .challenge
        .unwrap();
    let seen = attempts.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    let token = &json(&seen[0].body)["ClientToken"];
    assert!(token.is_string());
    assert_eq!(&json(&seen[1].body)["ClientToken"], token);
    assert_eq!(
        header(&seen[0], "amz-sdk-invocation-id"),
        header(&seen[1], "amz-sdk-invocation-id")
    );
    assert_eq!(header(&seen[0], "amz-sdk-request"), "attempt=1; max=3");
    assert_eq!(header(&seen[1], "amz-sdk-request"), "attempt=2; max=3");
    let first = json(&seen[0].answer.clone().unwrap().1);
    assert_eq!(first["Challenge"]["Arn"], challenge.arn.as_deref().unwrap());
    assert_eq!(
        first["Challenge"]["Password"],
        challenge.password.as_deref().unwrap()
    );
    let listed = s
        .client()
        .list_challenge_metadata(ListChallengeMetadataRequest::new(&arn))
        .await
        .unwrap()
        .challenges
        .unwrap();
    assert_eq!(listed.len(), 1, "created once");

    // A token given by the caller is sent as it is; without retries the
    // lost answer is the error.
    let attempts = Arc::new(Mutex::new(Vec::new()));
    let once = Client::new(
        s.config()
            .transport(LoseFirstAnswer {
                inner: HyperTransport::new(None),
                failure: Failure::Drop,
                attempts: attempts.clone(),
            })
            .build(),
    );
    let mut input = CreateChallengeRequest::new(&arn);
    input.client_token = Some("caller-token".to_owned());
    let err = once.create_challenge(input.clone()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.kind() == TransportErrorKind::Io),
        "{err:?}"
    );
    assert_eq!(attempts.lock().unwrap().len(), 1);
    assert_eq!(
        json(&attempts.lock().unwrap()[0].body)["ClientToken"],
        "caller-token"
    );
    // The caller's own retry with the same token gets the same challenge.
    let lost = json(&attempts.lock().unwrap()[0].answer.clone().unwrap().1);
    let replayed = s.client().create_challenge(input).await.unwrap();
    assert_eq!(
        lost["Challenge"]["Arn"],
        replayed.challenge.unwrap().arn.unwrap().as_str()
    );
}

/// Writes `config` and `credentials` files for one test.
fn shared_files(name: &str, config: &str, credentials: &str) -> (String, String) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("client-files-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (c, k) = (dir.join("config"), dir.join("credentials"));
    std::fs::write(&c, config).unwrap();
    std::fs::write(&k, credentials).unwrap();
    (
        c.to_str().unwrap().to_owned(),
        k.to_str().unwrap().to_owned(),
    )
}

fn client_of(vars: &[(&str, &str)]) -> Client {
    // Never the instance metadata service of whatever machine runs this.
    let env = Env::from_vars(
        vars.iter()
            .copied()
            .chain([("AWS_EC2_METADATA_DISABLED", "true")]),
    );
    let config = smithy_rt::client::config::Builder::from_env_of(env)
        .unwrap()
        .max_attempts(1)
        .build();
    Client::new(config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_from_shared_files_and_environment_variables() {
    let s = Spawned::start("settings", &[]);
    let arn = create_connector(&s.client(), CA).await;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let config = format!(
        "[default]\nregion = eu-west-1\n\n\
         [profile local]\nregion = us-east-1\nendpoint_url = {addr}\nmax_attempts = 2\n\n\
         [profile elsewhere]\nregion = us-east-1\nendpoint_url = {closed}\n\n\
         [profile with-services]\nregion = us-east-1\nservices = local-scep\n\n\
         [services local-scep]\npca_connector_scep =\n  endpoint_url = {addr}\n",
        addr = s.addr
    );
    let credentials = "[default]\naws_access_key_id = default-key\naws_secret_access_key = nope\n\n\
         [local]\naws_access_key_id = test\naws_secret_access_key = test\n\n\
         [elsewhere]\naws_access_key_id = test\naws_secret_access_key = test\n\n\
         [with-services]\naws_access_key_id = test\naws_secret_access_key = test\n";
    let (config_file, credentials_file) = shared_files("profiles", &config, credentials);
    let files = [
        ("AWS_CONFIG_FILE", config_file.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials_file.as_str()),
    ];
    let with = |extra: &[(&'static str, &str)]| {
        let mut vars: Vec<(&str, &str)> = files.to_vec();
        vars.extend_from_slice(extra);
        client_of(&vars)
    };

    // The profile AWS_PROFILE names: its keys, region and endpoint_url.
    let c = with(&[("AWS_PROFILE", "local")]);
    assert_eq!(c.config().region(), Some("us-east-1"));
    assert_eq!(c.config().retry().max_attempts, 1, "set after from_env_of");
    let got = c
        .get_connector(GetConnectorRequest::new(&arn))
        .await
        .unwrap();
    assert_eq!(got.connector.unwrap().arn.as_deref(), Some(arn.as_str()));
    let env = Env::from_vars(files.iter().copied().chain([("AWS_PROFILE", "local")]));
    let built = smithy_rt::client::config::Builder::from_env_of(env)
        .unwrap()
        .build();
    assert_eq!(built.retry().max_attempts, 2, "the profile's max_attempts");

    // The profile's `services` section.
    let c = with(&[("AWS_PROFILE", "with-services")]);
    let listed = c
        .list_connectors(ListConnectorsRequest::new())
        .await
        .unwrap();
    assert_eq!(listed.connectors.unwrap().len(), 1);

    // AWS_ENDPOINT_URL_PCA_CONNECTOR_SCEP wins over the profile's
    // endpoint_url (a closed port here).
    let c = with(&[("AWS_PROFILE", "elsewhere")]);
    let err = c
        .list_connectors(ListConnectorsRequest::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.kind() == TransportErrorKind::Connect),
        "{err:?}"
    );
    let c = with(&[
        ("AWS_PROFILE", "elsewhere"),
        ("AWS_ENDPOINT_URL_PCA_CONNECTOR_SCEP", s.addr.as_str()),
    ]);
    c.list_connectors(ListConnectorsRequest::new())
        .await
        .unwrap();

    // Without AWS_PROFILE, the default profile's keys, which the server
    // does not know.
    let c = with(&[("AWS_ENDPOINT_URL", s.addr.as_str())]);
    assert_eq!(c.config().region(), Some("eu-west-1"));
    let err = c
        .list_connectors(ListConnectorsRequest::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Service(e) if e.code.as_deref() == Some("UnrecognizedClientException")),
        "{err:?}"
    );
    // Environment keys come before the profile's.
    let c = with(&[
        ("AWS_ENDPOINT_URL", s.addr.as_str()),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-east-1"),
    ]);
    c.list_connectors(ListConnectorsRequest::new())
        .await
        .unwrap();

    // Environment variables alone (no shared files).
    let nowhere = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("client-files-none");
    let (no_config, no_credentials) = (
        nowhere.join("config").to_str().unwrap().to_owned(),
        nowhere.join("credentials").to_str().unwrap().to_owned(),
    );
    let bare = [
        ("AWS_CONFIG_FILE", no_config.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", no_credentials.as_str()),
    ];
    let mut vars = bare.to_vec();
    vars.extend([
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL_PCA_CONNECTOR_SCEP", s.addr.as_str()),
    ]);
    let c = client_of(&vars);
    assert_eq!(c.config().region(), Some("us-east-1"));
    let tags = c
        .list_tags_for_resource(ListTagsForResourceRequest::new(&arn))
        .await
        .unwrap();
    assert_eq!(tags.tags, Some(BTreeMap::new()));
    // The wrong secret in the environment is refused by the server.
    let mut vars = bare.to_vec();
    vars.extend([
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "not-test"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL", s.addr.as_str()),
    ]);
    let err = client_of(&vars)
        .list_connectors(ListConnectorsRequest::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Service(e) if e.code.as_deref() == Some("InvalidSignatureException")),
        "{err:?}"
    );
    // No keys anywhere: a credentials error, nothing sent.
    let mut vars = bare.to_vec();
    vars.extend([
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL", s.addr.as_str()),
    ]);
    let err = client_of(&vars)
        .list_connectors(ListConnectorsRequest::new())
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Credentials(_)), "{err:?}");
}

/// Each request's URI and `Authorization` header.
type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// A transport that records each request's URI and `Authorization`
/// header and answers `GetConnector` with a 404, without any network.
fn recording() -> (impl HttpTransport, Seen) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let transport = smithy_rt::client::transport::from_fn(move |request: http::Request<Bytes>| {
        let auth = request
            .headers()
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        log.lock().unwrap().push((request.uri().to_string(), auth));
        std::future::ready(Ok(http::Response::builder()
            .status(404)
            .header("x-amzn-errortype", "ResourceNotFoundException")
            .body(Bytes::from_static(
                br#"{"Message":"no such connector","ResourceId":"x","ResourceType":"Connector"}"#,
            ))
            .unwrap()))
    });
    (transport, seen)
}

#[tokio::test]
async fn endpoints_come_from_the_rule_set() {
    let arn = format!("{CONNECTOR_PREFIX}11111111-2222-3333-4444-555555555555");
    let cases: &[(&str, bool, bool, &str)] = &[
        (
            "us-west-2",
            false,
            false,
            "https://pca-connector-scep.us-west-2.amazonaws.com/",
        ),
        (
            "us-west-2",
            true,
            false,
            "https://pca-connector-scep-fips.us-west-2.amazonaws.com/",
        ),
        (
            "cn-north-1",
            false,
            true,
            "https://pca-connector-scep.cn-north-1.api.amazonwebservices.com.cn/",
        ),
    ];
    for (region, fips, dual, prefix) in cases {
        let (transport, seen) = recording();
        let config = Config::builder()
            .region(*region)
            .use_fips(*fips)
            .use_dual_stack(*dual)
            .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
            .max_attempts(1)
            .transport(transport)
            .build();
        let err = Client::new(config)
            .get_connector(GetConnectorRequest::new(arn.clone()))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::Modeled(GetConnectorError::ResourceNotFoundException(_), _)
            ),
            "{err:?}"
        );
        let seen = seen.lock().unwrap();
        let (uri, auth) = &seen[0];
        assert!(
            uri.starts_with(prefix),
            "{uri} for {region} fips={fips} dual={dual}"
        );
        // Signed for the region, with the service's signing name.
        assert!(
            auth.contains(&format!("/{region}/pca-connector-scep/aws4_request")),
            "{auth}"
        );
    }

    // The rule set's errors are the call's, before anything is sent.
    let (transport, seen) = recording();
    let config = Config::builder()
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
        .transport(transport)
        .build();
    let err = Client::new(config)
        .get_connector(GetConnectorRequest::new(arn.clone()))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("Invalid Configuration: Missing Region"),
        "{err}"
    );
    let (transport, _) = recording();
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("https://example.com")
        .use_fips(true)
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
        .transport(transport)
        .build();
    let err = Client::new(config)
        .get_connector(GetConnectorRequest::new(arn))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("FIPS and custom endpoint are not supported"),
        "{err}"
    );
    assert!(seen.lock().unwrap().is_empty());
}
