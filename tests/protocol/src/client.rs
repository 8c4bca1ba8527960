//! Support for the generated client-side compliance tests
//! (`tests/compliance/client/`): a client whose transport captures the
//! request it is given and answers with a canned response, and the
//! comparisons of a request with a case's expectations and of a call's
//! result with a case's output or error.

use crate::{Compare, block_on, check_body, finish, header_value};
use bytes::Bytes;
use smithy_rt::client::{Config, Credentials, Error, HttpTransport, transport};
use std::fmt::Debug;
use std::future::Future;
use std::sync::{Arc, Mutex};

/// The idempotency token every test client fills in.
pub const TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// What a request case expects the client to send.
#[derive(Clone, Copy, Debug)]
pub struct ExpectedRequest {
    /// The method.
    pub method: &'static str,
    /// The path, without the query.
    pub uri: &'static str,
    /// Query parameters that must be present, as encoded (`k=v`).
    pub query: &'static [&'static str],
    /// Query parameter names that must be absent.
    pub forbid_query: &'static [&'static str],
    /// Query parameter names that must be present.
    pub require_query: &'static [&'static str],
    /// Headers that must have these values.
    pub headers: &'static [(&'static str, &'static str)],
    /// Headers that must be absent.
    pub forbid_headers: &'static [&'static str],
    /// Headers that must be present.
    pub require_headers: &'static [&'static str],
    /// The body, when the case gives one.
    pub body: Option<&'static str>,
    /// The body's media type.
    pub media_type: Option<&'static str>,
    /// The host the request must go to, when the case gives one.
    pub resolved_host: Option<&'static str>,
}

/// A response case's HTTP response.
#[derive(Clone, Copy, Debug)]
pub struct CannedResponse {
    /// The status.
    pub code: u16,
    /// The headers.
    pub headers: &'static [(&'static str, &'static str)],
    /// The body.
    pub body: &'static str,
}

impl CannedResponse {
    fn to_http(self) -> http::Response<Bytes> {
        let mut r = http::Response::new(Bytes::from_static(self.body.as_bytes()));
        *r.status_mut() = http::StatusCode::from_u16(self.code).unwrap_or(http::StatusCode::OK);
        for (k, v) in self.headers {
            if let (Ok(k), Ok(v)) = (
                http::HeaderName::from_bytes(k.as_bytes()),
                http::HeaderValue::from_str(v),
            ) {
                r.headers_mut().append(k, v);
            }
        }
        r
    }
}

/// A transport that records each request and answers with a response.
#[derive(Debug)]
struct Capture {
    requests: Arc<Mutex<Vec<http::Request<Bytes>>>>,
    response: CannedResponse,
}

impl HttpTransport for Capture {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> transport::BoxFuture<'static, transport::TransportResult> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(request);
        let response = self.response.to_http();
        Box::pin(async move { Ok(response) })
    }
}

/// A test client's configuration: one attempt, fixed credentials and
/// token, requests to `https://{host}`, answered with `response`.
fn config(host: &str, response: CannedResponse) -> (Config, Arc<Mutex<Vec<http::Request<Bytes>>>>) {
    let requests = Arc::new(Mutex::new(Vec::new()));
    let config = Config::builder()
        .endpoint_url(format!("https://{host}"))
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
        .max_attempts(1)
        .idempotency_token_provider(|| TOKEN.to_owned())
        .transport(Capture {
            requests: requests.clone(),
            response,
        })
        .build();
    (config, requests)
}

/// The answer request cases get: an empty success.
const EMPTY: CannedResponse = CannedResponse {
    code: 200,
    headers: &[],
    body: "{}",
};

/// A request case: `call` makes the call on a client of the given
/// configuration; the request it sends is compared with `expected`.
pub fn request_case<F, Fut, T>(key: &str, host: Option<&str>, expected: &ExpectedRequest, call: F)
where
    F: FnOnce(Config) -> Fut,
    Fut: Future<Output = T>,
{
    let (config, requests) = config(host.unwrap_or("example.com"), EMPTY);
    let _ = block_on(call(config));
    let sent = requests.lock().unwrap_or_else(|e| e.into_inner()).pop();
    let outcome = match sent {
        None => Err("the client sent no request".to_owned()),
        Some(r) => compare_request(&r, expected),
    };
    finish(key, outcome);
}

fn compare_request(r: &http::Request<Bytes>, e: &ExpectedRequest) -> Result<(), String> {
    let mut errors = Vec::new();
    if r.method().as_str() != e.method {
        errors.push(format!("method: got {}, expected {}", r.method(), e.method));
    }
    if r.uri().path() != e.uri {
        errors.push(format!("path: got {}, expected {}", r.uri().path(), e.uri));
    }
    let pairs: Vec<&str> = r
        .uri()
        .query()
        .map(|q| q.split('&').filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    let names: Vec<&str> = pairs
        .iter()
        .map(|p| p.split('=').next().unwrap_or(""))
        .collect();
    for q in e.query {
        if !pairs.contains(q) {
            errors.push(format!("query: {q} is missing from {pairs:?}"));
        }
    }
    for q in e.forbid_query {
        if names.contains(q) {
            errors.push(format!("query: {q} must be absent from {pairs:?}"));
        }
    }
    for q in e.require_query {
        if !names.contains(q) {
            errors.push(format!("query: {q} must be present in {pairs:?}"));
        }
    }
    for (name, value) in e.headers {
        match header_value(r.headers(), name) {
            Some(v) if v == *value => {}
            Some(v) => errors.push(format!("header {name}: got {v:?}, expected {value:?}")),
            None => errors.push(format!("header {name}: missing, expected {value:?}")),
        }
    }
    for name in e.forbid_headers {
        if r.headers().contains_key(*name) {
            errors.push(format!("header {name} must be absent"));
        }
    }
    for name in e.require_headers {
        if !r.headers().contains_key(*name) {
            errors.push(format!("header {name} must be present"));
        }
    }
    if let Some(host) = e.resolved_host {
        if r.uri().host() != Some(host) {
            errors.push(format!("host: got {:?}, expected {host}", r.uri().host()));
        }
    }
    if let Some(body) = e.body {
        check_body(r.body(), body, e.media_type, &mut errors);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\nthe request: {} {}, headers {:?}, body {}",
            errors.join("\n"),
            r.method(),
            r.uri(),
            r.headers(),
            String::from_utf8_lossy(r.body())
        ))
    }
}

/// A response case: `call` makes a call on a client whose transport answers
/// with `response`; `check` judges what the call returned.
pub fn response_case<F, Fut, T>(
    key: &str,
    response: &CannedResponse,
    call: F,
    check: impl FnOnce(T) -> Result<(), String>,
) where
    F: FnOnce(Config) -> Fut,
    Fut: Future<Output = T>,
{
    let (config, _) = config("example.com", *response);
    let result = block_on(call(config));
    finish(key, check(result));
}

fn same<T: PartialEq + Debug>(got: &T, expected: &T, compare: Compare) -> bool {
    match compare {
        Compare::Eq => got == expected,
        Compare::Debug => format!("{got:?}") == format!("{expected:?}"),
    }
}

/// The call must have returned `expected`.
pub fn expect_output<O: PartialEq + Debug, E: Debug>(
    result: Result<O, Error<E>>,
    expected: O,
    compare: Compare,
) -> Result<(), String> {
    match result {
        Ok(got) if same(&got, &expected, compare) => Ok(()),
        Ok(got) => Err(format!("output: got {got:#?}\nexpected {expected:#?}")),
        Err(e) => Err(format!("the call failed: {e:?}\nexpected {expected:#?}")),
    }
}

/// The call must have failed with the modelled error `expected`.
pub fn expect_error<O: Debug, E: PartialEq + Debug>(
    result: Result<O, Error<E>>,
    expected: E,
    compare: Compare,
) -> Result<(), String> {
    match result {
        Err(Error::Modeled(got, _)) if same(&got, &expected, compare) => Ok(()),
        Err(Error::Modeled(got, _)) => Err(format!("error: got {got:#?}\nexpected {expected:#?}")),
        Err(other) => Err(format!(
            "the call failed with {other:?}\nexpected {expected:#?}"
        )),
        Ok(o) => Err(format!(
            "the call succeeded with {o:?}\nexpected {expected:#?}"
        )),
    }
}
