//! The client orchestrator's retries, retry quota, timeouts and per-attempt
//! headers, against a fault-injecting HTTP/1.1 server on loopback, over the
//! default transport (hyper), through `Handle::invoke` as generated clients
//! call it.

use smithy_rt::client::http::{self, Method};
use smithy_rt::client::hyper_transport::HyperTransport;
use smithy_rt::client::rest_json;
use smithy_rt::client::transport::{BoxFuture, TransportResult};
use smithy_rt::client::{
    Auth, Bytes, Config, Credentials, Error, Handle, HttpTransport, ModeledError, OperationInfo,
    Request, RetryConfig, RetryKind, ServiceInfo, TimeoutKind, TransportErrorKind,
};
use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

// ------------------------------------------------------------ the server

/// What the server does with one request.
#[derive(Clone, Debug)]
enum Action {
    /// Answers after `delay`.
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
        delay: Duration,
    },
    /// Closes the connection without answering.
    Drop,
}

fn respond(status: u16, body: &str) -> Action {
    Action::Respond {
        status,
        headers: Vec::new(),
        body: body.to_owned(),
        delay: Duration::ZERO,
    }
}

fn ok() -> Action {
    respond(200, r#"{"ok":true}"#)
}

/// An error response of type `code` (`X-Amzn-Errortype`).
fn error(status: u16, code: &str) -> Action {
    Action::Respond {
        status,
        headers: vec![("x-amzn-errortype", code.to_owned())],
        body: format!(r#"{{"message":"{code} from the script"}}"#),
        delay: Duration::ZERO,
    }
}

fn delayed(action: Action, by: Duration) -> Action {
    match action {
        Action::Respond {
            status,
            headers,
            body,
            ..
        } => Action::Respond {
            status,
            headers,
            body,
            delay: by,
        },
        Action::Drop => Action::Drop,
    }
}

/// A request as the server read it.
#[derive(Clone, Debug)]
struct Recorded {
    method: String,
    target: String,
    /// Names lower-cased, in arrival order.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    at: Instant,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The request as `http` parts, for the SigV4 verifier.
    fn parts(&self) -> http::request::Parts {
        let mut b = http::Request::builder()
            .method(self.method.as_str())
            .uri(self.target.as_str());
        for (n, v) in &self.headers {
            b = b.header(n.as_str(), v.as_str());
        }
        b.body(()).unwrap().into_parts().0
    }
}

#[derive(Default)]
struct Script {
    /// Consumed in order, one per request.
    next: std::collections::VecDeque<Action>,
    /// What every request gets once `next` is empty.
    otherwise: Option<Action>,
    seen: Vec<Recorded>,
}

/// A loopback HTTP/1.1 server answering from a script and recording every
/// request. One request per connection (`Connection: close`).
struct FaultServer {
    addr: SocketAddr,
    script: Arc<Mutex<Script>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultServer {
    async fn start(actions: Vec<Action>, otherwise: Action) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let script = Arc::new(Mutex::new(Script {
            next: actions.into(),
            otherwise: Some(otherwise),
            seen: Vec::new(),
        }));
        let shared = script.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let script = shared.clone();
                tokio::spawn(async move {
                    let _ = serve_one(stream, script).await;
                });
            }
        });
        FaultServer { addr, script, task }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<Recorded> {
        self.script.lock().unwrap().seen.clone()
    }

    fn count(&self) -> usize {
        self.script.lock().unwrap().seen.len()
    }

    /// Replaces the script.
    fn set(&self, actions: Vec<Action>, otherwise: Action) {
        let mut s = self.script.lock().unwrap();
        s.next = actions.into();
        s.otherwise = Some(otherwise);
    }
}

async fn serve_one(
    stream: tokio::net::TcpStream,
    script: Arc<Mutex<Script>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).await?;
    let mut words = line.split_whitespace();
    let (Some(method), Some(target)) = (words.next(), words.next()) else {
        return Ok(());
    };
    let (method, target) = (method.to_owned(), target.to_owned());
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).await?;
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        let (n, v) = l.split_once(':').expect("a header line");
        headers.push((n.trim().to_ascii_lowercase(), v.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map_or(0, |(_, v)| v.parse::<usize>().unwrap());
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await?;
    let action = {
        let mut s = script.lock().unwrap();
        s.seen.push(Recorded {
            method,
            target,
            headers,
            body,
            at: Instant::now(),
        });
        match s.next.pop_front() {
            Some(a) => a,
            None => s.otherwise.clone().expect("a default action"),
        }
    };
    let mut stream = reader.into_inner();
    match action {
        Action::Drop => Ok(()),
        Action::Respond {
            status,
            headers,
            body,
            delay,
        } => {
            tokio::time::sleep(delay).await;
            let mut out = format!(
                "HTTP/1.1 {status} Scripted\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\nx-amzn-requestid: req-{}\r\n",
                body.len(),
                script.lock().unwrap().seen.len()
            );
            for (n, v) in headers {
                out.push_str(&format!("{n}: {v}\r\n"));
            }
            out.push_str("\r\n");
            out.push_str(&body);
            stream.write_all(out.as_bytes()).await?;
            stream.shutdown().await
        }
    }
}

// ------------------------------------------------------------ the client side

/// The operation's modelled errors: one retryable as throttling (under a
/// name the SDKs' code list does not know), one not retryable.
#[derive(Debug, PartialEq, Eq)]
enum TestError {
    SlowDownPlease(String),
    NotFound(String),
}

impl fmt::Display for TestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TestError::SlowDownPlease(m) => write!(f, "SlowDownPlease: {m}"),
            TestError::NotFound(m) => write!(f, "NotFound: {m}"),
        }
    }
}

impl std::error::Error for TestError {}

impl ModeledError for TestError {
    fn retry_kind(&self) -> Option<RetryKind> {
        match self {
            TestError::SlowDownPlease(_) => Some(RetryKind::Throttling),
            TestError::NotFound(_) => None,
        }
    }

    fn code(&self) -> &str {
        match self {
            TestError::SlowDownPlease(_) => "SlowDownPlease",
            TestError::NotFound(_) => "ResourceNotFoundException",
        }
    }
}

fn message(response: &http::Response<Bytes>) -> String {
    serde_json::from_slice::<serde_json::Value>(response.body())
        .ok()
        .and_then(|v| v["message"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The operation's reader: the body as text, or the error.
fn read(response: http::Response<Bytes>) -> Result<String, Error<TestError>> {
    if !rest_json::is_success(&response) {
        return Err(rest_json::read_error(response, |code, r| match code {
            "SlowDownPlease" => Some(Ok(TestError::SlowDownPlease(message(r)))),
            "ResourceNotFoundException" => Some(Ok(TestError::NotFound(message(r)))),
            _ => None,
        }));
    }
    Ok(String::from_utf8(response.body().to_vec()).unwrap())
}

static SERVICE: ServiceInfo = ServiceInfo {
    name: "RetryTestService",
    sdk_id: Some("Retry Test"),
    endpoint_prefix: Some("retry-test"),
    signing_name: Some("retrytest"),
    api_version: Some("2024-01-01"),
};

static OPERATION: OperationInfo = OperationInfo {
    name: "PutThing",
    auth: Auth::SigV4,
    gzip: false,
    checksum_required: false,
};

const BODY: &str = r#"{"ClientToken":"token-1","Name":"thing"}"#;

fn request() -> Request {
    let mut r = Request::new(Method::POST, "/things/a%20b?mode=fast".to_owned());
    r.headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    r.body = Bytes::from_static(BODY.as_bytes());
    r
}

/// Retries with tiny backoffs.
fn retry(max_attempts: u32) -> RetryConfig {
    RetryConfig {
        max_attempts,
        initial_backoff: Duration::from_millis(2),
        max_backoff: Duration::from_millis(5),
        ..RetryConfig::default()
    }
}

fn config(url: &str, retry: RetryConfig) -> smithy_rt::client::ConfigBuilder {
    Config::builder()
        .endpoint_url(url)
        .region("us-west-2")
        .credentials(Credentials::new("AKIDTEST", "secret-test", None))
        .retry(retry)
}

fn handle(url: &str, retry: RetryConfig) -> Handle {
    Handle::new(config(url, retry).build(), &SERVICE)
}

async fn call(h: &Handle) -> Result<String, Error<TestError>> {
    h.invoke(&OPERATION, request(), read).await
}

fn attempts(server: &FaultServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| r.header("amz-sdk-request").unwrap_or("").to_owned())
        .collect()
}

// ------------------------------------------------------------ retries

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_is_retried_until_success_with_bounded_backoff() {
    const INITIAL: Duration = Duration::from_millis(20);
    const CAP: Duration = Duration::from_millis(100);
    // Generous: a loaded 2-core machine schedules late.
    const SLACK: Duration = Duration::from_millis(400);
    for n in [0usize, 1, 2, 5] {
        let throttles = vec![error(400, "ThrottlingException"); n];
        let server = FaultServer::start(throttles, ok()).await;
        let h = handle(
            &server.url(),
            RetryConfig {
                max_attempts: 6,
                initial_backoff: INITIAL,
                max_backoff: CAP,
                ..RetryConfig::default()
            },
        );
        let started = Instant::now();
        let out = call(&h).await.unwrap();
        let elapsed = started.elapsed();
        assert_eq!(out, r#"{"ok":true}"#);
        let seen = server.requests();
        assert_eq!(seen.len(), n + 1, "{n} throttles, then a success");
        let expected: Vec<String> = (1..=n + 1).map(|a| format!("attempt={a}; max=6")).collect();
        assert_eq!(attempts(&server), expected);
        // Each backoff is at most min(initial * 2^(retry-1), cap).
        let mut budget = Duration::ZERO;
        for (i, pair) in seen.windows(2).enumerate() {
            let bound = (INITIAL * 2u32.pow(i as u32)).min(CAP);
            budget += bound;
            let gap = pair[1].at.duration_since(pair[0].at);
            assert!(
                gap <= bound + SLACK,
                "retry {}: {gap:?} after the previous attempt (bound {bound:?})",
                i + 1
            );
        }
        assert!(
            elapsed <= budget + SLACK,
            "{n} retries took {elapsed:?}, backoffs at most {budget:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_beyond_max_attempts_returns_the_last_error() {
    let server = FaultServer::start(Vec::new(), error(429, "ThrottlingException")).await;
    let h = handle(&server.url(), retry(4));
    let err = call(&h).await.unwrap_err();
    let Error::Service(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.code.as_deref(), Some("ThrottlingException"));
    assert_eq!(
        e.message.as_deref(),
        Some("ThrottlingException from the script")
    );
    assert_eq!(e.meta.status, 429);
    assert_eq!(
        e.meta.request_id.as_deref(),
        Some("req-4"),
        "the error of the last attempt"
    );
    assert_eq!(server.count(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_statuses_are_retried_and_others_are_not() {
    for status in [500u16, 502, 503, 504] {
        let server = FaultServer::start(vec![respond(status, "{}")], ok()).await;
        let h = handle(&server.url(), retry(3));
        assert_eq!(call(&h).await.unwrap(), r#"{"ok":true}"#, "{status}");
        assert_eq!(
            attempts(&server),
            ["attempt=1; max=3", "attempt=2; max=3"],
            "{status}"
        );
    }
    // Always failing: exactly max_attempts, the last response returned.
    for status in [500u16, 503] {
        let server = FaultServer::start(Vec::new(), respond(status, "{}")).await;
        let h = handle(&server.url(), retry(3));
        let err = call(&h).await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.request_id(), Some("req-3"));
        assert!(
            matches!(&err, Error::Service(e) if e.code.is_none()),
            "{err:?}"
        );
        assert_eq!(server.count(), 3, "{status}");
    }
    // Not retried: 501, other 4xx, an unknown error type.
    for (status, code) in [
        (501u16, None),
        (400, None),
        (403, Some("AccessDeniedException")),
        (400, Some("ValidationException")),
    ] {
        let action = match code {
            Some(c) => error(status, c),
            None => respond(status, "{}"),
        };
        let server = FaultServer::start(Vec::new(), action).await;
        let h = handle(&server.url(), retry(3));
        let err = call(&h).await.unwrap_err();
        let Error::Service(e) = &err else {
            panic!("{err:?}")
        };
        assert_eq!((e.meta.status, e.code.as_deref()), (status, code));
        assert_eq!(server.count(), 1, "{status} {code:?} is not retried");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn modelled_errors_are_retried_as_their_retry_kind_says() {
    // Retryable (throttling) by the model, under a code no list knows.
    let server = FaultServer::start(
        vec![error(400, "SlowDownPlease"), error(400, "SlowDownPlease")],
        ok(),
    )
    .await;
    let h = handle(&server.url(), retry(3));
    assert_eq!(call(&h).await.unwrap(), r#"{"ok":true}"#);
    assert_eq!(server.count(), 3);

    let server = FaultServer::start(Vec::new(), error(400, "SlowDownPlease")).await;
    let h = handle(&server.url(), retry(2));
    let err = call(&h).await.unwrap_err();
    let Error::Modeled(TestError::SlowDownPlease(m), meta) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(m, "SlowDownPlease from the script");
    assert_eq!(
        (meta.status, meta.request_id.as_deref()),
        (400, Some("req-2"))
    );
    assert_eq!(server.count(), 2);

    // Not retryable: one attempt, the modelled error returned.
    let server = FaultServer::start(vec![error(404, "ResourceNotFoundException")], ok()).await;
    let h = handle(&server.url(), retry(3));
    let err = call(&h).await.unwrap_err();
    let Error::Modeled(TestError::NotFound(m), meta) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(m, "ResourceNotFoundException from the script");
    assert_eq!(
        (meta.status, meta.request_id.as_deref()),
        (404, Some("req-1"))
    );
    assert_eq!(server.count(), 1);
    let m = m.clone();
    assert_eq!(err.into_modeled(), Some(TestError::NotFound(m)));

    // Not retryable by the model, but sent with a transient status: retried
    // as any error response with that status is.
    let server = FaultServer::start(vec![error(503, "ResourceNotFoundException")], ok()).await;
    let h = handle(&server.url(), retry(3));
    assert_eq!(call(&h).await.unwrap(), r#"{"ok":true}"#);
    assert_eq!(server.count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_is_retried() {
    let server = FaultServer::start(vec![Action::Drop], ok()).await;
    let h = handle(&server.url(), retry(3));
    assert_eq!(call(&h).await.unwrap(), r#"{"ok":true}"#);
    assert_eq!(attempts(&server), ["attempt=1; max=3", "attempt=2; max=3"]);

    let server = FaultServer::start(Vec::new(), Action::Drop).await;
    let h = handle(&server.url(), retry(3));
    let err = call(&h).await.unwrap_err();
    let Error::Transport(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind(), TransportErrorKind::Io, "{e}");
    assert_eq!(server.count(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_attempts_one_turns_retries_off() {
    let server = FaultServer::start(Vec::new(), respond(503, "{}")).await;
    let h = handle(&server.url(), RetryConfig::disabled());
    assert_eq!(call(&h).await.unwrap_err().status(), Some(503));
    assert_eq!(attempts(&server), ["attempt=1; max=1"]);
}

// ------------------------------------------------------------ the retry quota

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_retry_quota_stops_retries_and_successes_refill_it() {
    let server = FaultServer::start(Vec::new(), respond(500, "{}")).await;
    // Two attempts a call: each failing call spends one retry (5 tokens).
    let h = handle(
        &server.url(),
        RetryConfig {
            max_attempts: 2,
            initial_backoff: Duration::ZERO,
            ..RetryConfig::default()
        },
    );
    let mut per_call = Vec::new();
    for _ in 0..103 {
        let before = server.count();
        assert_eq!(call(&h).await.unwrap_err().status(), Some(500));
        per_call.push(server.count() - before);
    }
    // 500 tokens / 5 a retry: 100 calls retry, then none does.
    let first_unretried = per_call.iter().position(|&n| n == 1);
    assert_eq!(first_unretried, Some(100), "{per_call:?}");
    assert!(per_call[..100].iter().all(|&n| n == 2), "{per_call:?}");
    assert!(per_call[100..].iter().all(|&n| n == 1), "{per_call:?}");

    // A success on the first attempt gives back 1 token: after 4 there are
    // 4 (no retry yet), after the 5th there are 5 (one retry).
    server.set(Vec::new(), ok());
    for _ in 0..4 {
        call(&h).await.unwrap();
    }
    server.set(Vec::new(), respond(500, "{}"));
    let before = server.count();
    call(&h).await.unwrap_err();
    assert_eq!(server.count() - before, 1, "4 tokens pay for no retry");
    server.set(vec![ok()], respond(500, "{}"));
    call(&h).await.unwrap();
    let before = server.count();
    call(&h).await.unwrap_err();
    assert_eq!(server.count() - before, 2, "5 tokens pay for one retry");
    let before = server.count();
    call(&h).await.unwrap_err();
    assert_eq!(server.count() - before, 1, "and then the quota is empty");

    // Another client has its own quota; with the quota off, retries never stop.
    let fresh = handle(
        &server.url(),
        RetryConfig {
            max_attempts: 2,
            initial_backoff: Duration::ZERO,
            ..RetryConfig::default()
        },
    );
    let before = server.count();
    call(&fresh).await.unwrap_err();
    assert_eq!(server.count() - before, 2);
    let unlimited = handle(
        &server.url(),
        RetryConfig {
            max_attempts: 2,
            initial_backoff: Duration::ZERO,
            quota: false,
            ..RetryConfig::default()
        },
    );
    let before = server.count();
    for _ in 0..110 {
        call(&unlimited).await.unwrap_err();
    }
    assert_eq!(server.count() - before, 220);
}

// ------------------------------------------------------------ timeouts

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attempt_timeouts_are_retried_then_returned() {
    let slow = delayed(ok(), Duration::from_millis(400));
    let server = FaultServer::start(Vec::new(), slow.clone()).await;
    let limit = Duration::from_millis(80);
    let h = Handle::new(
        config(&server.url(), retry(2))
            .attempt_timeout(limit)
            .build(),
        &SERVICE,
    );
    let started = Instant::now();
    let err = call(&h).await.unwrap_err();
    let elapsed = started.elapsed();
    let Error::Timeout(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!((t.kind, t.after), (TimeoutKind::Attempt, limit));
    assert_eq!(attempts(&server), ["attempt=1; max=2", "attempt=2; max=2"]);
    assert!(
        elapsed >= limit * 2 && elapsed < Duration::from_millis(390),
        "two attempts of {limit:?}: {elapsed:?}"
    );

    // A timed-out attempt followed by a fast one succeeds.
    let server = FaultServer::start(vec![slow], ok()).await;
    let h = Handle::new(
        config(&server.url(), retry(3))
            .attempt_timeout(limit)
            .build(),
        &SERVICE,
    );
    assert_eq!(call(&h).await.unwrap(), r#"{"ok":true}"#);
    assert_eq!(server.count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operation_timeout_bounds_the_whole_call() {
    // One slow attempt.
    let server = FaultServer::start(Vec::new(), delayed(ok(), Duration::from_millis(600))).await;
    let limit = Duration::from_millis(150);
    let h = Handle::new(
        config(&server.url(), retry(3))
            .operation_timeout(limit)
            .build(),
        &SERVICE,
    );
    let started = Instant::now();
    let err = call(&h).await.unwrap_err();
    let elapsed = started.elapsed();
    let Error::Timeout(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!((t.kind, t.after), (TimeoutKind::Operation, limit));
    assert!(
        elapsed >= limit && elapsed < Duration::from_millis(550),
        "{elapsed:?}"
    );
    assert_eq!(server.count(), 1);

    // Retries that would outlast it: the operation timeout wins.
    let server = FaultServer::start(Vec::new(), respond(503, "{}")).await;
    let h = Handle::new(
        config(
            &server.url(),
            RetryConfig {
                max_attempts: 50,
                initial_backoff: Duration::from_millis(30),
                max_backoff: Duration::from_millis(30),
                ..RetryConfig::default()
            },
        )
        .operation_timeout(limit)
        .build(),
        &SERVICE,
    );
    let err = call(&h).await.unwrap_err();
    assert!(
        matches!(&err, Error::Timeout(t) if t.kind == TimeoutKind::Operation),
        "{err:?}"
    );
    let n = server.count();
    assert!((2..50).contains(&n), "{n} attempts within {limit:?}");
}

/// A transport that counts what it sends, around the default one.
#[derive(Debug)]
struct Counting {
    inner: HyperTransport,
    sent: Arc<AtomicUsize>,
}

impl HttpTransport for Counting {
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'static, TransportResult> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        self.inner.send(request)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_after_timeouts_cost_twice_as_much_quota() {
    // Every attempt times out: each call retries once, for 10 tokens.
    let server = FaultServer::start(Vec::new(), delayed(ok(), Duration::from_millis(300))).await;
    let sent = Arc::new(AtomicUsize::new(0));
    let h = Handle::new(
        config(
            &server.url(),
            RetryConfig {
                max_attempts: 2,
                initial_backoff: Duration::ZERO,
                ..RetryConfig::default()
            },
        )
        .attempt_timeout(Duration::from_millis(15))
        .transport(Counting {
            inner: HyperTransport::new(Some(Duration::from_secs(1))),
            sent: sent.clone(),
        })
        .build(),
        &SERVICE,
    );
    let mut per_call = Vec::new();
    for _ in 0..52 {
        let before = sent.load(Ordering::SeqCst);
        let err = call(&h).await.unwrap_err();
        assert!(
            matches!(&err, Error::Timeout(t) if t.kind == TimeoutKind::Attempt),
            "{err:?}"
        );
        per_call.push(sent.load(Ordering::SeqCst) - before);
    }
    // 500 tokens / 10 a retry.
    assert_eq!(
        per_call.iter().position(|&n| n == 1),
        Some(50),
        "{per_call:?}"
    );
    assert!(per_call[..50].iter().all(|&n| n == 2), "{per_call:?}");
    assert!(per_call[50..].iter().all(|&n| n == 1), "{per_call:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_refused_is_retried_then_a_connect_error() {
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let sent = Arc::new(AtomicUsize::new(0));
    let h = Handle::new(
        config(&format!("http://{closed}"), retry(3))
            .transport(Counting {
                inner: HyperTransport::new(Some(Duration::from_secs(1))),
                sent: sent.clone(),
            })
            .build(),
        &SERVICE,
    );
    let err = call(&h).await.unwrap_err();
    let Error::Transport(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind(), TransportErrorKind::Connect, "{e}");
    assert!(e.to_string().starts_with("could not connect"), "{e}");
    assert_eq!(sent.load(Ordering::SeqCst), 3);

    // The default transport gives the same error.
    let h = handle(&format!("http://{closed}"), retry(2));
    let err = call(&h).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.kind() == TransportErrorKind::Connect),
        "{err:?}"
    );
}

// ------------------------------------------------------------ headers

fn verifier() -> smithy_rt::sigv4::Verifier {
    smithy_rt::sigv4::Verifier {
        credentials: BTreeMap::from([("AKIDTEST".to_owned(), "secret-test".to_owned())]),
        service: "retrytest".to_owned(),
        max_skew_secs: 900,
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_attempt_carries_the_invocation_id_its_number_and_a_signature() {
    let server = FaultServer::start(
        vec![respond(503, "{}"), error(400, "ThrottlingException")],
        ok(),
    )
    .await;
    let h = handle(&server.url(), retry(3));
    call(&h).await.unwrap();
    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    assert_eq!(
        attempts(&server),
        ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"]
    );
    let id = seen[0].header("amz-sdk-invocation-id").unwrap().to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let v = verifier();
    for r in &seen {
        assert_eq!(r.header("amz-sdk-invocation-id"), Some(id.as_str()));
        assert_eq!(
            (r.method.as_str(), r.target.as_str()),
            ("POST", "/things/a%20b?mode=fast")
        );
        assert_eq!(r.body, BODY.as_bytes(), "the same body every attempt");
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(
            r.header("content-length"),
            Some(BODY.len().to_string().as_str())
        );
        for unique in [
            "content-length",
            "authorization",
            "x-amz-date",
            "amz-sdk-request",
        ] {
            let n = r.headers.iter().filter(|(n, _)| n == unique).count();
            assert_eq!(n, 1, "{unique} sent {n} times");
        }
        let auth = r.header("authorization").expect("signed");
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
                && auth.contains("/us-west-2/retrytest/aws4_request"),
            "{auth}"
        );
        assert!(r.header("x-amz-date").is_some());
        assert!(r.header("user-agent").unwrap().starts_with("smithy-rt/"));
        v.verify(&r.parts(), &r.body, unix_now())
            .unwrap_or_else(|e| panic!("attempt {:?}: {e}", r.header("amz-sdk-request")));
    }
    // Each call has its own invocation id.
    call(&h).await.unwrap();
    let next = server.requests()[3]
        .header("amz-sdk-invocation-id")
        .unwrap()
        .to_owned();
    assert_ne!(next, id);
    assert_eq!(
        server.requests()[3].header("amz-sdk-request"),
        Some("attempt=1; max=3")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_attempt_is_signed_when_it_is_sent() {
    // The first attempt times out across a second boundary, so a retry
    // signed afresh carries a later X-Amz-Date and another signature (one
    // signed once and re-sent would carry the first's).
    let server = FaultServer::start(vec![delayed(ok(), Duration::from_millis(700))], ok()).await;
    let h = Handle::new(
        config(&server.url(), retry(2))
            .attempt_timeout(Duration::from_millis(450))
            .build(),
        &SERVICE,
    );
    // Start 300-400 ms before a second ends: the retry comes ~450 ms later.
    loop {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .subsec_millis();
        if (600..680).contains(&ms) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    call(&h).await.unwrap();
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    let dates: Vec<&str> = seen
        .iter()
        .map(|r| r.header("x-amz-date").unwrap())
        .collect();
    assert!(dates[0] < dates[1], "re-signed later: {dates:?}");
    let auths: Vec<&str> = seen
        .iter()
        .map(|r| r.header("authorization").unwrap())
        .collect();
    assert_ne!(auths[0], auths[1]);
    let v = verifier();
    for r in &seen {
        v.verify(&r.parts(), &r.body, unix_now()).unwrap();
    }
}
