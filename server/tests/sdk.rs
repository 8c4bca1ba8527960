//! The server binary on loopback, driven over real HTTP with SigV4 by the
//! official `aws-sdk-pcaconnectorscep`.

use aws_sdk_pcaconnectorscep as sdk;
use sdk::error::ProvideErrorMetadata;
use sdk::types::{
    ConnectorStatus, ConnectorStatusReason, ConnectorType, IntuneConfiguration,
    MobileDeviceManagement,
};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CA: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";
const FAILING_CA: &str = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/99999999-2222-3333-4444-555555555555";

/// A server process on a free port, killed when dropped.
struct Spawned {
    child: Child,
    addr: String,
    data_dir: PathBuf,
}

impl Spawned {
    fn start(name: &str, extra: &[&str]) -> Self {
        let data_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("server-{name}"));
        let _ = std::fs::remove_dir_all(&data_dir);
        Self::start_in(data_dir, extra)
    }

    fn start_in(data_dir: PathBuf, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pca-connector-scep-server"))
            .args(["--listen", "127.0.0.1:0", "--data-dir"])
            .arg(&data_dir)
            .args(["--create-delay-ms", "200"])
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
        Self {
            child,
            addr,
            data_dir,
        }
    }

    fn client_with(&self, key: &str, secret: &str) -> sdk::Client {
        let config = sdk::Config::builder()
            .http_client(aws_smithy_http_client::Builder::new().build_http())
            .endpoint_url(&self.addr)
            .region(sdk::config::Region::new("us-east-1"))
            .credentials_provider(sdk::config::Credentials::new(
                key, secret, None, None, "test",
            ))
            .retry_config(sdk::config::retry::RetryConfig::disabled())
            .build();
        sdk::Client::from_conf(config)
    }

    fn client(&self) -> sdk::Client {
        self.client_with("test", "test")
    }

    /// One raw HTTP/1.1 request: status line, headers and body.
    fn raw(&self, request: &str) -> String {
        let host = self.addr.trim_start_matches("http://");
        let mut stream = TcpStream::connect(host).unwrap();
        stream
            .write_all(request.replace("{host}", host).as_bytes())
            .unwrap();
        let mut out = String::new();
        stream.read_to_string(&mut out).unwrap();
        out
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn wait_active(client: &sdk::Client, arn: &str) -> sdk::types::Connector {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let c = client
            .get_connector()
            .connector_arn(arn)
            .send()
            .await
            .unwrap()
            .connector
            .unwrap();
        if c.status() != Some(&ConnectorStatus::Creating) || Instant::now() > deadline {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn connector(client: &sdk::Client) -> String {
    let out = client
        .create_connector()
        .certificate_authority_arn(CA)
        .send()
        .await
        .unwrap();
    out.connector_arn.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn full_lifecycle_of_a_general_purpose_connector() {
    // Long enough to see CREATING even on a loaded machine.
    let s = Spawned::start("lifecycle", &["--create-delay-ms", "1500"]);
    let c = s.client();
    let arn = c
        .create_connector()
        .certificate_authority_arn(CA)
        .tags("team", "pki")
        .send()
        .await
        .unwrap()
        .connector_arn
        .unwrap();
    assert!(
        arn.starts_with("arn:aws:pca-connector-scep:us-east-1:000000000000:connector/"),
        "{arn}"
    );
    let first = c
        .get_connector()
        .connector_arn(&arn)
        .send()
        .await
        .unwrap()
        .connector
        .unwrap();
    assert_eq!(first.status(), Some(&ConnectorStatus::Creating));
    assert_eq!(first.r#type(), Some(&ConnectorType::GeneralPurpose));
    assert!(
        first
            .endpoint()
            .unwrap()
            .starts_with(&format!("{}/scep/", s.addr))
    );
    assert!(first.created_at().is_some() && first.updated_at().is_some());
    let active = wait_active(&c, &arn).await;
    assert_eq!(active.status(), Some(&ConnectorStatus::Active));
    assert!(active.updated_at().unwrap() > active.created_at().unwrap());

    let challenge = c
        .create_challenge()
        .connector_arn(&arn)
        .send()
        .await
        .unwrap()
        .challenge
        .unwrap();
    let challenge_arn = challenge.arn().unwrap().to_owned();
    assert!(challenge_arn.starts_with(&format!("{arn}/challenge/")));
    let password = challenge.password().unwrap().to_owned();
    assert_eq!(password.len(), 36);
    let got = c
        .get_challenge_password()
        .challenge_arn(&challenge_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(got.password(), Some(password.as_str()));
    let meta = c
        .get_challenge_metadata()
        .challenge_arn(&challenge_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        meta.challenge_metadata().unwrap().connector_arn(),
        Some(arn.as_str())
    );
    let listed = c
        .list_challenge_metadata()
        .connector_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.challenges().len(), 1);
    // Metadata never carries the password.
    assert!(!format!("{listed:?}").contains(&password));

    let tags = c
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags().unwrap()["team"], "pki");
    c.tag_resource()
        .resource_arn(&challenge_arn)
        .tags("k 1", "v&=+")
        .send()
        .await
        .unwrap();
    c.untag_resource()
        .resource_arn(&arn)
        .tag_keys("team")
        .send()
        .await
        .unwrap();
    assert!(
        c.list_tags_for_resource()
            .resource_arn(&arn)
            .send()
            .await
            .unwrap()
            .tags()
            .unwrap()
            .is_empty()
    );

    c.delete_connector()
        .connector_arn(&arn)
        .send()
        .await
        .unwrap();
    let err = c
        .get_challenge_metadata()
        .challenge_arn(&challenge_arn)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let sdk::operation::get_challenge_metadata::GetChallengeMetadataError::ResourceNotFoundException(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (e.resource_id(), e.resource_type()),
        (challenge_arn.as_str(), "Challenge")
    );
    let err = c
        .delete_challenge()
        .challenge_arn(&challenge_arn)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
}

#[tokio::test(flavor = "multi_thread")]
async fn intune_connectors_and_missing_ones() {
    let s = Spawned::start("intune", &[]);
    let c = s.client();
    let arn = c
        .create_connector()
        .certificate_authority_arn(CA)
        .mobile_device_management(MobileDeviceManagement::Intune(
            IntuneConfiguration::builder()
                .azure_application_id("6c1f6e9a-0e5a-4b5e-9a2b-2c3d4e5f6a7b")
                .domain("login.microsoftonline.com")
                .build()
                .unwrap(),
        ))
        .send()
        .await
        .unwrap()
        .connector_arn
        .unwrap();
    let connector = wait_active(&c, &arn).await;
    assert_eq!(connector.r#type(), Some(&ConnectorType::Intune));
    assert!(
        connector
            .open_id_configuration()
            .unwrap()
            .issuer()
            .is_some()
    );
    let err = c
        .create_challenge()
        .connector_arn(&arn)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_bad_request_exception(), "{err:?}");

    let missing = arn.replace(&arn[arn.len() - 12..], "000000000000");
    let err = c
        .create_challenge()
        .connector_arn(&missing)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let sdk::operation::create_challenge::CreateChallengeError::ResourceNotFoundException(e) = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (e.resource_id(), e.resource_type()),
        (missing.as_str(), "Connector")
    );
    let err = c
        .list_challenge_metadata()
        .connector_arn(&missing)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    let err = c
        .list_tags_for_resource()
        .resource_arn(&missing)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
}

#[tokio::test(flavor = "multi_thread")]
async fn creation_can_fail_and_challenges_need_active_connectors() {
    let s = Spawned::start(
        "failing",
        &["--fail-ca-arn", FAILING_CA, "--create-delay-ms", "1500"],
    );
    let c = s.client();
    let arn = c
        .create_connector()
        .certificate_authority_arn(FAILING_CA)
        .send()
        .await
        .unwrap()
        .connector_arn
        .unwrap();
    let err = c
        .create_challenge()
        .connector_arn(&arn)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_bad_request_exception(), "CREATING: {err:?}");
    let failed = wait_active(&c, &arn).await;
    assert_eq!(failed.status(), Some(&ConnectorStatus::Failed));
    assert_eq!(
        failed.status_reason(),
        Some(&ConnectorStatusReason::PrivatecaResourceNotFound)
    );
    let err = c
        .create_challenge()
        .connector_arn(&arn)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_bad_request_exception(), "FAILED: {err:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn client_tokens_make_creates_idempotent() {
    let s = Spawned::start("idempotency", &[]);
    let c = s.client();
    let create = |token: Option<&str>, ca: &str| {
        c.create_connector()
            .certificate_authority_arn(ca)
            .set_client_token(token.map(str::to_owned))
            .send()
    };
    let a = create(Some("token-1"), CA)
        .await
        .unwrap()
        .connector_arn
        .unwrap();
    let b = create(Some("token-1"), CA)
        .await
        .unwrap()
        .connector_arn
        .unwrap();
    assert_eq!(a, b, "the same token returns the first result");
    let err = create(Some("token-1"), FAILING_CA)
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_conflict_exception(), "{err:?}");
    let listed = c.list_connectors().send().await.unwrap();
    assert_eq!(listed.connectors().len(), 1, "nothing was created twice");
    // The SDK fills a fresh token when none is given: every call creates.
    connector(&c).await;
    connector(&c).await;
    assert_eq!(
        c.list_connectors().send().await.unwrap().connectors().len(),
        3
    );

    let active = wait_active(&c, &a).await;
    assert_eq!(active.status(), Some(&ConnectorStatus::Active));
    let x = c
        .create_challenge()
        .connector_arn(&a)
        .client_token("ct")
        .send()
        .await
        .unwrap();
    let y = c
        .create_challenge()
        .connector_arn(&a)
        .client_token("ct")
        .send()
        .await
        .unwrap();
    assert_eq!(x.challenge().unwrap().arn(), y.challenge().unwrap().arn());
    assert_eq!(
        c.list_challenge_metadata()
            .connector_arn(&a)
            .send()
            .await
            .unwrap()
            .challenges()
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn pagination_is_stable_and_tokens_are_tamper_evident() {
    let s = Spawned::start("pages", &[]);
    let c = s.client();
    let mut created = Vec::new();
    for _ in 0..5 {
        created.push(connector(&c).await);
    }
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = c
            .list_connectors()
            .max_results(2)
            .set_next_token(token.clone())
            .send()
            .await
            .unwrap();
        assert!(page.connectors().len() <= 2);
        seen.extend(
            page.connectors()
                .iter()
                .map(|c| c.arn().unwrap().to_owned()),
        );
        token = page.next_token().map(str::to_owned);
        match &token {
            Some(t) => {
                let ok = t.len() % 4 == 0
                    && t.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b));
                assert!(ok, "token {t} must match the model's pattern");
            }
            None => break,
        }
    }
    assert_eq!(seen, created, "every connector once, in creation order");

    let page = c.list_connectors().max_results(1).send().await.unwrap();
    let good = page.next_token().unwrap().to_owned();
    let mut forged = good.clone().into_bytes();
    forged[2] = if forged[2] == b'A' { b'B' } else { b'A' };
    let err = c
        .list_connectors()
        .next_token(String::from_utf8(forged).unwrap())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_validation_exception(), "{err:?}");
    // A token of one listing is not valid for another.
    let err = c
        .list_challenge_metadata()
        .connector_arn(&created[0])
        .next_token(&good)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_validation_exception(), "{err:?}");
    let err = c
        .list_connectors()
        .max_results(0)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_validation_exception(), "{err:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn tagging_rules_and_quotas() {
    let s = Spawned::start("tags", &["--max-connectors", "2"]);
    let c = s.client();
    let arn = connector(&c).await;
    let fifty_one: std::collections::HashMap<String, String> =
        (0..51).map(|i| (format!("k{i}"), "v".to_owned())).collect();
    let err = c
        .tag_resource()
        .resource_arn(&arn)
        .set_tags(Some(fifty_one))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_validation_exception(), "{err:?}");
    let fifty: std::collections::HashMap<String, String> =
        (0..50).map(|i| (format!("k{i}"), "v".to_owned())).collect();
    c.tag_resource()
        .resource_arn(&arn)
        .set_tags(Some(fifty))
        .send()
        .await
        .unwrap();
    let err = c
        .tag_resource()
        .resource_arn(&arn)
        .tags("one-more", "v")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_validation_exception(), "51 after merging: {err:?}");
    for (k, v) in [
        ("aws:reserved", "v"),
        (&"k".repeat(129)[..], "v"),
        ("k", &"v".repeat(257)[..]),
        ("", "v"),
    ] {
        let err = c
            .tag_resource()
            .resource_arn(&arn)
            .tags(k, v)
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(err.is_validation_exception(), "{k:?}: {err:?}");
    }
    connector(&c).await;
    let err = c
        .create_connector()
        .certificate_authority_arn(CA)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let sdk::operation::create_connector::CreateConnectorError::ServiceQuotaExceededException(e) =
        err
    else {
        panic!("{err:?}")
    };
    assert_eq!(e.resource_type(), "Connector");
    assert_eq!(e.service_code(), "pca-connector-scep");
    assert!(!e.quota_code().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn signatures_are_verified() {
    let s = Spawned::start("auth", &[]);
    let err = s
        .client_with("test", "wrong")
        .list_connectors()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("InvalidSignatureException"), "{err:?}");
    let err = s
        .client_with("nobody", "test")
        .list_connectors()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("UnrecognizedClientException"), "{err:?}");
    let unsigned = s.raw("GET /connectors HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    assert!(unsigned.starts_with("HTTP/1.1 403"), "{unsigned}");
    assert!(
        unsigned
            .to_ascii_lowercase()
            .contains("x-amzn-errortype: missingauthenticationtokenexception"),
        "{unsigned}"
    );
    assert!(
        unsigned.to_ascii_lowercase().contains("x-amzn-requestid: "),
        "{unsigned}"
    );
    let stale = s.raw(
        "GET /connectors HTTP/1.1\r\nHost: {host}\r\nX-Amz-Date: 20200101T000000Z\r\nAuthorization: AWS4-HMAC-SHA256 Credential=test/20200101/us-east-1/pca-connector-scep/aws4_request, SignedHeaders=host;x-amz-date, Signature=00\r\nConnection: close\r\n\r\n",
    );
    assert!(
        stale.starts_with("HTTP/1.1 403") && stale.contains("Signature expired"),
        "{stale}"
    );

    let open = Spawned::start("no-auth", &["--no-auth"]);
    let unsigned =
        open.raw("GET /connectors HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    assert!(unsigned.starts_with("HTTP/1.1 200"), "{unsigned}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_2xx_survives_kill_9() {
    let s = Spawned::start("durable", &["--create-delay-ms", "0"]);
    let arn = connector(&s.client()).await;
    s.client()
        .tag_resource()
        .resource_arn(&arn)
        .tags("k", "v")
        .send()
        .await
        .unwrap();
    let data_dir = s.data_dir.clone();
    let mut s = s;
    s.child.kill().unwrap(); // SIGKILL: no shutdown code runs
    s.child.wait().unwrap();
    drop(s);
    let restarted = Spawned::start_in(data_dir, &[]);
    let c = restarted.client();
    let got = c
        .get_connector()
        .connector_arn(&arn)
        .send()
        .await
        .unwrap()
        .connector
        .unwrap();
    assert_eq!(got.arn(), Some(arn.as_str()));
    assert_eq!(
        c.list_tags_for_resource()
            .resource_arn(&arn)
            .send()
            .await
            .unwrap()
            .tags()
            .unwrap()["k"],
        "v"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_tag_updates_are_not_lost() {
    let s = Spawned::start("concurrency", &[]);
    let c = s.client();
    let arn = connector(&c).await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let (c, arn) = (c.clone(), arn.clone());
        tasks.push(tokio::spawn(async move {
            c.tag_resource()
                .resource_arn(arn)
                .tags(format!("key-{i}"), format!("{i}"))
                .send()
                .await
                .unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let tags = c
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags().unwrap().len(), 40);
}

#[test]
fn sigterm_stops_the_server_gracefully() {
    let mut s = Spawned::start("sigterm", &[]);
    let pid = s.child.id().to_string();
    let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(exit) = s.child.try_wait().unwrap() {
            assert!(exit.success(), "{exit:?}");
            break;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn bad_flags_exit_2_and_port_0_picks_a_port() {
    let out = Command::new(env!("CARGO_BIN_EXE_pca-connector-scep-server"))
        .arg("--frobnicate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown argument `--frobnicate`"));
    let out = Command::new(env!("CARGO_BIN_EXE_pca-connector-scep-server"))
        .args(["--account-id", "12"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let s = Spawned::start("port", &[]);
    let port: u16 = s.addr.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_challenge_quota_counts_live_challenges() {
    let s = Spawned::start(
        "challenge-quota",
        &[
            "--max-challenges-per-connector",
            "1",
            "--create-delay-ms",
            "0",
        ],
    );
    let c = s.client();
    let arn = connector(&c).await;
    let first = c
        .create_challenge()
        .connector_arn(&arn)
        .send()
        .await
        .unwrap()
        .challenge
        .unwrap();
    let err = c
        .create_challenge()
        .connector_arn(&arn)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let sdk::operation::create_challenge::CreateChallengeError::ServiceQuotaExceededException(e) =
        err
    else {
        panic!("{err:?}")
    };
    assert_eq!(e.resource_type(), "Challenge");
    c.delete_challenge()
        .challenge_arn(first.arn().unwrap())
        .send()
        .await
        .unwrap();
    c.create_challenge()
        .connector_arn(&arn)
        .send()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn one_structured_log_line_per_request_without_secrets() {
    let data_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("server-logs");
    let _ = std::fs::remove_dir_all(&data_dir);
    std::fs::create_dir_all(&data_dir).unwrap();
    let log_path = data_dir.join("stderr.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pca-connector-scep-server"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--create-delay-ms",
            "0",
            "--data-dir",
        ])
        .arg(data_dir.join("db"))
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let s = Spawned {
        child,
        addr: line.trim().trim_start_matches("listening on ").to_owned(),
        data_dir,
    };
    let c = s.client();
    let arn = connector(&c).await;
    let password = c
        .create_challenge()
        .connector_arn(&arn)
        .send()
        .await
        .unwrap()
        .challenge
        .unwrap()
        .password
        .unwrap();
    let _ = c.get_connector().connector_arn("arn:nope").send().await;
    drop(s);
    let logged = std::fs::read_to_string(&log_path).unwrap();
    let lines: Vec<serde_json::Value> = logged
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ops: Vec<&str> = lines
        .iter()
        .map(|l| l["operation"].as_str().unwrap())
        .collect();
    assert_eq!(ops, ["CreateConnector", "CreateChallenge", "GetConnector"]);
    let statuses: Vec<u64> = lines
        .iter()
        .map(|l| l["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [202, 202, 400]);
    assert_eq!(lines[2]["error"], "ValidationException");
    assert!(
        lines
            .iter()
            .all(|l| l["request_id"].as_str().unwrap().len() == 36 && l["latency_us"].is_u64())
    );
    assert!(!logged.contains(&password), "passwords are never logged");
    assert!(!logged.contains("test/"), "credentials are never logged");
}
