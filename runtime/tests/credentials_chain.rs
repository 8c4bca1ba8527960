//! The default credentials chain end to end: a configuration built with
//! `Builder::from_env_of` and nothing else finds its region and credentials
//! in a temporary profile (a `credential_process` as the source of a role
//! assumed through a fake STS), at a fake container endpoint, or at a fake
//! IMDSv2, each a loopback HTTP server reached through the default
//! transport. Every `tracing` event and span of these tests is recorded,
//! and none may hold a secret.

use smithy_rt::client::config::Builder;
use smithy_rt::client::credentials::{CredentialsErrorKind, ProvideCredentials};
use smithy_rt::client::env::Env;
use smithy_rt::client::http;
use smithy_rt::client::transport;
use smithy_rt::client::{Bytes, Config};
use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN";
const AUTH_TOKEN: &str = "container-authorization-EXAMPLETOKEN";
const IMDS_TOKEN: &str = "imds-session-EXAMPLETOKEN";

fn assert_no_secret(text: &str) {
    for secret in [SECRET, TOKEN, AUTH_TOKEN, IMDS_TOKEN] {
        assert!(!text.contains(secret), "a secret in: {text}");
    }
}

// ------------------------------------------------------------ the log

/// Records every event's and span's fields, as text.
struct Recorder(Mutex<String>);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut log = self.0.lock().unwrap();
        span.record(&mut Fields(&mut log));
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Fields(&mut self.0.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut log = self.0.lock().unwrap();
        event.record(&mut Fields(&mut log));
        log.push('\n');
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// The log of every test of this file (one process-wide subscriber).
fn log() -> &'static Recorder {
    static RECORDER: OnceLock<&'static Recorder> = OnceLock::new();
    RECORDER.get_or_init(|| {
        let recorder: &'static Recorder = Box::leak(Box::new(Recorder(Mutex::new(String::new()))));
        struct Shared(&'static Recorder);
        impl tracing::Subscriber for Shared {
            fn enabled(&self, m: &tracing::Metadata<'_>) -> bool {
                self.0.enabled(m)
            }
            fn new_span(&self, s: &tracing::span::Attributes<'_>) -> tracing::span::Id {
                self.0.new_span(s)
            }
            fn record(&self, i: &tracing::span::Id, v: &tracing::span::Record<'_>) {
                self.0.record(i, v)
            }
            fn record_follows_from(&self, a: &tracing::span::Id, b: &tracing::span::Id) {
                self.0.record_follows_from(a, b)
            }
            fn event(&self, e: &tracing::Event<'_>) {
                self.0.event(e)
            }
            fn enter(&self, i: &tracing::span::Id) {
                self.0.enter(i)
            }
            fn exit(&self, i: &tracing::span::Id) {
                self.0.exit(i)
            }
        }
        tracing::subscriber::set_global_default(Shared(recorder))
            .expect("the only global subscriber");
        recorder
    })
}

fn assert_log_has_no_secret() {
    let log = log().0.lock().unwrap();
    assert!(!log.is_empty(), "events were recorded");
    assert_no_secret(&log);
}

// ------------------------------------------------------------ fakes

/// A request as a fake server saw it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Handler = dyn Fn(&Seen) -> (u16, String) + Send + Sync;

/// An HTTP/1.1 server on loopback, on a thread and runtime of its own (so
/// that it answers while a test blocks in `Builder::build`), answering
/// each request with `handler`'s status and body.
struct Fake {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Fake {
    fn start(handler: impl Fn(&Seen) -> (u16, String) + Send + Sync + 'static) -> Fake {
        let listener = StdListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let handler: Arc<Handler> = Arc::new(handler);
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    let (handler, log) = (Arc::clone(&handler), Arc::clone(&log));
                    tokio::spawn(async move {
                        let _ = serve(stream, &*handler, &log).await;
                    });
                }
            });
        });
        Fake { url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(
    stream: tokio::net::TcpStream,
    handler: &Handler,
    log: &Mutex<Vec<Seen>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let path = parts.next().unwrap_or_default().to_owned();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).await?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((n, v)) = h.split_once(':') {
                headers.push((n.trim().to_owned(), v.trim().to_owned()));
            }
        }
        let length = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body).await?;
        let seen = Seen {
            method,
            path,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        };
        let (status, body) = handler(&seen);
        log.lock().unwrap().push(seen);
        let response = format!(
            "HTTP/1.1 {status} X\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        reader.get_mut().write_all(response.as_bytes()).await?;
    }
}

/// A port nothing listens on.
fn closed_port() -> String {
    let l = StdListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", l.local_addr().unwrap())
}

/// A fresh temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "smithy-rt-creds-it-{tag}-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An RFC 3339 time `secs` seconds from now.
fn in_secs(secs: u64) -> String {
    let t = SystemTime::now() + Duration::from_secs(secs);
    let s = t.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    smithy_rt::DateTime::from_secs(s).to_string()
}

/// The variables of `dir` (no shared files in it unless written) plus
/// `extra`.
fn env(dir: &TempDir, extra: &[(&str, &str)]) -> Env {
    let mut vars = vec![
        ("HOME".to_owned(), dir.0.display().to_string()),
        (
            "AWS_CONFIG_FILE".to_owned(),
            dir.0.join("config").display().to_string(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
            dir.0.join("credentials").display().to_string(),
        ),
    ];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Env::from_vars(vars)
}

fn from_env(env: Env) -> Config {
    Builder::from_env_of(env).unwrap().build()
}

async fn credentials(config: &Config) -> smithy_rt::client::Credentials {
    config
        .credentials()
        .expect("a provider")
        .provide_credentials()
        .await
        .unwrap()
}

fn sts_answer(key: &str) -> String {
    format!(
        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
         <AssumeRoleResult><Credentials><AccessKeyId>{key}</AccessKeyId>\
         <SecretAccessKey>{SECRET}</SecretAccessKey><SessionToken>{TOKEN}</SessionToken>\
         <Expiration>{}</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>",
        in_secs(3600)
    )
}

// ------------------------------------------------------------ tests

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_with_a_process_and_a_role_through_sts() {
    log();
    let sts = Fake::start(|_| (200, sts_answer("ASIAROLE")));
    let dir = TempDir::new("profile");
    let out = dir.write(
        "process.json",
        &format!(
            "{{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"{SECRET}\", \
             \"SessionToken\": \"{TOKEN}\", \"Expiration\": \"{}\"}}",
            in_secs(3600)
        ),
    );
    dir.write(
        "config",
        &format!(
            "[default]\nregion = eu-west-1\nrole_arn = arn:aws:iam::123456789012:role/app\n\
             source_profile = base\nrole_session_name = it\n\
             [profile base]\ncredential_process = cat '{out}'\n"
        ),
    );
    let config = from_env(env(
        &dir,
        &[
            ("AWS_ENDPOINT_URL_STS", &sts.url),
            // Not asked: the profile has the region.
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &closed_port()),
        ],
    ));
    assert_eq!(config.region(), Some("eu-west-1"));
    let c = credentials(&config).await;
    assert_eq!(c.access_key_id(), "ASIAROLE");
    assert_eq!(c.session_token(), Some(TOKEN));
    let seen = sts.seen();
    assert_eq!(seen.len(), 1);
    let r = &seen[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/"));
    assert!(r.body.starts_with(
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fapp&RoleSessionName=it"
    ));
    // Signed with the process's credentials, for the profile's region.
    let auth = r.header("authorization").unwrap();
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDPROC/"),
        "{auth}"
    );
    assert!(auth.contains("/eu-west-1/sts/aws4_request"), "{auth}");
    assert_eq!(r.header("x-amz-security-token"), Some(TOKEN));
    // Cached: STS is not asked again.
    credentials(&config).await;
    assert_eq!(sts.seen().len(), 1);
    assert_no_secret(&format!("{config:?}"));
    assert_log_has_no_secret();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn container_endpoint_on_loopback() {
    log();
    let expiration = in_secs(3600);
    let container = Fake::start(move |_| {
        (
            200,
            format!(
                "{{\"AccessKeyId\": \"ASIACONTAINER\", \"SecretAccessKey\": \"{SECRET}\", \
                 \"Token\": \"{TOKEN}\", \"Expiration\": \"{expiration}\"}}"
            ),
        )
    });
    let dir = TempDir::new("container");
    let token_file = dir.write("token", AUTH_TOKEN);
    let uri = format!("{}/v1/credentials", container.url);
    let config = from_env(env(
        &dir,
        &[
            ("AWS_REGION", "us-west-2"),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &token_file),
        ],
    ));
    assert_eq!(config.region(), Some("us-west-2"));
    let c = credentials(&config).await;
    assert_eq!(c.access_key_id(), "ASIACONTAINER");
    assert!(c.expiry().is_some());
    let seen = container.seen();
    assert_eq!(seen[0].path, "/v1/credentials");
    assert_eq!(seen[0].header("authorization"), Some(AUTH_TOKEN));
    assert_no_secret(&format!("{config:?}"));
    assert_log_has_no_secret();
}

/// A metadata service with role `app`; without tokens when `v1_only`.
fn imds(v1_only: bool, expires_in: u64) -> Fake {
    Fake::start(move |r| {
        if r.method == "PUT" {
            if v1_only || r.path != "/latest/api/token" {
                return (404, String::new());
            }
            assert_eq!(
                r.header("x-aws-ec2-metadata-token-ttl-seconds"),
                Some("21600")
            );
            return (200, IMDS_TOKEN.to_owned());
        }
        if !v1_only && r.header("x-aws-ec2-metadata-token") != Some(IMDS_TOKEN) {
            return (401, String::new());
        }
        match r.path.as_str() {
            "/latest/meta-data/placement/region" => (200, "ap-southeast-2".to_owned()),
            "/latest/meta-data/iam/security-credentials-extended/" => (200, "app".to_owned()),
            "/latest/meta-data/iam/security-credentials-extended/app" => (
                200,
                format!(
                    "{{\"Code\": \"Success\", \"AccessKeyId\": \"ASIAIMDS\", \
                     \"SecretAccessKey\": \"{SECRET}\", \"Token\": \"{TOKEN}\", \
                     \"Expiration\": \"{}\"}}",
                    in_secs(expires_in)
                ),
            ),
            _ => (404, String::new()),
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imds_v2_region_and_credentials() {
    log();
    let service = imds(false, 3600);
    let dir = TempDir::new("imds");
    let config = from_env(env(
        &dir,
        &[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &service.url)],
    ));
    assert_eq!(config.region(), Some("ap-southeast-2"));
    let c = credentials(&config).await;
    assert_eq!(c.access_key_id(), "ASIAIMDS");
    let seen = service.seen();
    let requests: Vec<String> = seen
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        requests,
        [
            // The region, while building the configuration.
            "PUT /latest/api/token",
            "GET /latest/meta-data/placement/region",
            // The credentials: a token of the provider's own first.
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials-extended/",
            "GET /latest/meta-data/iam/security-credentials-extended/app",
        ]
    );
    assert!(
        seen.iter()
            .filter(|r| r.method == "GET")
            .all(|r| r.header("x-aws-ec2-metadata-token") == Some(IMDS_TOKEN))
    );
    assert_no_secret(&format!("{config:?}"));
    assert_log_has_no_secret();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imds_without_tokens_fails_clearly_and_is_never_asked_without_one() {
    log();
    let service = imds(true, 3600);
    let dir = TempDir::new("imds-v1");
    let config = from_env(env(
        &dir,
        &[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &service.url)],
    ));
    assert_eq!(config.region(), None);
    let e = config
        .credentials()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::ProviderError);
    assert_eq!(
        e.to_string(),
        "IMDS: the session token request (PUT /latest/api/token) was answered with status 404; \
         IMDSv1 (without a token) is not used"
    );
    assert!(service.seen().iter().all(|r| r.method == "PUT"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_are_refreshed_before_they_expire() {
    log();
    // Two minutes left: inside the five-minute refresh window, so each
    // call asks again; an hour left: asked once.
    for (expires_in, asked) in [(120, 3), (3600, 1)] {
        let service = imds(false, expires_in);
        let dir = TempDir::new("refresh");
        let config = from_env(env(
            &dir,
            &[
                ("AWS_REGION", "eu-west-1"),
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &service.url),
            ],
        ));
        for _ in 0..3 {
            credentials(&config).await;
        }
        let fetched = service
            .seen()
            .iter()
            .filter(|r| r.path.ends_with("/app"))
            .count();
        assert_eq!(fetched, asked, "expiring in {expires_in} s");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_error_lists_every_source_tried() {
    log();
    let dir = TempDir::new("none");
    let closed = closed_port();
    let config = from_env(env(
        &dir,
        &[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &closed),
        ],
    ));
    let e = config
        .credentials()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
    let text = e.to_string();
    let sources: Vec<&str> = text
        .trim_start_matches("no credentials: ")
        .split("; ")
        .map(|s| s.split(':').next().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "environment",
            "profile `default`",
            "web identity",
            "container",
            "IMDS"
        ],
        "{text}"
    );
    assert!(
        text.contains(&format!("IMDS: {closed}: could not connect")),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_configured_transport_is_the_chains() {
    log();
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let transport = transport::from_fn(move |request: http::Request<Bytes>| {
        counted.fetch_add(1, Ordering::SeqCst);
        assert_eq!(request.uri(), "http://127.0.0.1:9/creds");
        let body = format!(
            "{{\"AccessKeyId\": \"ASIAMINE\", \"SecretAccessKey\": \"{SECRET}\", \"Token\": \"{TOKEN}\"}}"
        );
        async move { Ok(http::Response::new(Bytes::from(body))) }
    });
    let dir = TempDir::new("transport");
    let config = Builder::from_env_of(env(
        &dir,
        &[
            ("AWS_REGION", "eu-west-1"),
            (
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://127.0.0.1:9/creds",
            ),
        ],
    ))
    .unwrap()
    .transport(transport)
    .build();
    assert_eq!(credentials(&config).await.access_key_id(), "ASIAMINE");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
