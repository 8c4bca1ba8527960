//! Support for the generated protocol compliance tests (`tests/compliance/`):
//! building a case's HTTP request, a handler that records what it is
//! called with, comparing responses, and the list of expected failures
//! (`expected-failures.txt`), and the corrections of cases that are wrong
//! for the side they run on (`case-corrections.txt`).
//!
//! Every case ends in [`finish`]: a failure of a case that is not on the
//! list panics with what differs; a listed case that passes panics too, so
//! the list can only shrink.

#![forbid(unsafe_code)]

pub mod client;

use bytes::Bytes;
use smithy_rt::server::Dispatch;
use std::any::Any;
use std::fmt::Debug;
use std::future::Future;
use std::sync::{Mutex, Once};
use std::task::{Context, Poll, Waker};

/// The cases expected to fail, with the reason for each.
pub const EXPECTED_FAILURES: &str = include_str!("../expected-failures.txt");

/// The reason `key` (`request RestJsonFoo`, `malformed RestJsonBar_case2`) is
/// expected to fail, if it is.
pub fn expected_failure(key: &str) -> Option<&'static str> {
    EXPECTED_FAILURES
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .find_map(|l| {
            let (k, reason) = l.split_once(": ")?;
            (k.trim() == key).then_some(reason.trim())
        })
}

/// Corrections of cases that are wrong for the side they run on, with the
/// reason for each.
pub const CASE_CORRECTIONS: &str = include_str!("../case-corrections.txt");

/// The headers whose expectation is taken out of case `key`
/// (`case-corrections.txt`).
pub fn corrected_headers(key: &str) -> Vec<&'static str> {
    CASE_CORRECTIONS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (k, rest) = l.split_once(": ")?;
            let (header, _reason) = rest.strip_prefix("without header ")?.split_once(": ")?;
            (k.trim() == key).then_some(header.trim())
        })
        .collect()
}

/// Ends a case: panics when the outcome is not the expected one. With
/// `PROTOCOL_TESTS_ALL=1` in the environment, the list is ignored (every
/// failure is reported, for working on the list).
pub fn finish(key: &str, outcome: Result<(), String>) {
    let expected = match std::env::var_os("PROTOCOL_TESTS_ALL") {
        Some(_) => None,
        None => expected_failure(key),
    };
    match (outcome, expected) {
        (Ok(()), None) => {}
        (Err(e), None) => panic!("{key} failed:\n{e}"),
        (Err(_), Some(_)) => {}
        (Ok(()), Some(reason)) => panic!(
            "{key} passes but is listed in expected-failures.txt ({reason}): remove it from the list"
        ),
    }
}

/// Raised by [`Recorder::call`] when the test prepared no response; the
/// generated server answers 500, which request tests do not look at.
struct NoResponse;

fn quiet_no_response_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<NoResponse>().is_none() {
                default(info);
            }
        }));
    });
}

/// What a handler was called with, and what it returns.
#[derive(Default)]
pub struct Recorder {
    calls: Mutex<Vec<Box<dyn Any + Send>>>,
    response: Mutex<Option<Box<dyn Any + Send>>>,
}

impl Recorder {
    /// Records `input`, then returns the prepared response (which must be of
    /// type `O`), or unwinds when there is none.
    pub fn call<I: Any + Send, O: Any>(&self, input: I) -> O {
        self.calls
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Box::new(input));
        let prepared = self
            .response
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        match prepared.map(|r| r.downcast::<O>()) {
            Some(Ok(o)) => *o,
            _ => {
                quiet_no_response_panics();
                std::panic::panic_any(NoResponse)
            }
        }
    }

    /// How many times the handler was called.
    pub fn calls(&self) -> usize {
        self.calls.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// The input of the first call, if it was an `I`.
    fn first_input<I: Any>(&self) -> Result<I, String> {
        let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        if calls.is_empty() {
            return Err("the handler was not called".into());
        }
        calls
            .remove(0)
            .downcast::<I>()
            .map(|b| *b)
            .map_err(|_| "the handler got an input of another type".into())
    }
}

/// A case's HTTP request, as the trait gives it.
#[derive(Clone, Copy, Debug)]
pub struct Request {
    /// The method.
    pub method: &'static str,
    /// The path (and possibly a query string).
    pub uri: &'static str,
    /// Query parameters, already encoded (`key=value`, `key=`, `key`).
    pub query: &'static [&'static str],
    /// Headers.
    pub headers: &'static [(&'static str, &'static str)],
    /// The body.
    pub body: &'static [u8],
    /// Whether the body is sent gzip-compressed (the generator wrote it
    /// from the case's `params` because a compressed case gives none).
    pub gzip: bool,
}

impl Request {
    fn to_http(self) -> Result<http::Request<Bytes>, String> {
        let mut uri = self.uri.to_owned();
        for (i, q) in self.query.iter().enumerate() {
            let sep = if i == 0 && !self.uri.contains('?') {
                '?'
            } else {
                '&'
            };
            uri.push(sep);
            uri.push_str(q);
        }
        let mut b = http::Request::builder().method(self.method).uri(&uri);
        for (k, v) in self.headers {
            b = b.header(
                *k,
                http::HeaderValue::from_bytes(v.as_bytes()).map_err(|e| e.to_string())?,
            );
        }
        let body = if self.gzip {
            use std::io::Write as _;
            let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            z.write_all(self.body)
                .and_then(|()| z.finish())
                .map(Bytes::from)
                .map_err(|e| format!("the body cannot be compressed: {e}"))?
        } else {
            Bytes::from_static(self.body)
        };
        b.body(body)
            .map_err(|e| format!("the case's request cannot be built ({uri}): {e}"))
    }
}

/// Polls a future that never waits on I/O to completion.
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..10_000 {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
    panic!("the server's future did not complete")
}

/// How request params are compared with what the handler got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    /// `PartialEq`.
    Eq,
    /// Equal `Debug` forms: for values with NaN, which `PartialEq` never
    /// finds equal to itself.
    Debug,
}

fn describe(r: &http::Response<Bytes>) -> String {
    format!(
        "status {}, headers {:?}, body {}",
        r.status(),
        r.headers(),
        String::from_utf8_lossy(r.body())
    )
}

/// A request case: the server must call the handler once, with `expected`.
pub fn request_case<D: Dispatch, T: PartialEq + Debug + 'static>(
    key: &str,
    recorder: &Recorder,
    server: &D,
    request: &Request,
    expected: T,
    compare: Compare,
) {
    let outcome = (|| {
        let response = block_on(server.dispatch(request.to_http()?));
        let got: T = recorder
            .first_input()
            .map_err(|e| format!("{e}; the response: {}", describe(&response)))?;
        let same = match compare {
            Compare::Eq => got == expected,
            Compare::Debug => format!("{got:?}") == format!("{expected:?}"),
        };
        if same {
            Ok(())
        } else {
            Err(format!(
                "the handler got\n  {got:?}\nthe case expects\n  {expected:?}"
            ))
        }
    })();
    finish(key, outcome);
}

/// What a response case expects.
#[derive(Clone, Copy, Debug)]
pub struct ExpectedResponse {
    /// The status code.
    pub code: u16,
    /// Headers that must have these values.
    pub headers: &'static [(&'static str, &'static str)],
    /// Headers that must be absent.
    pub forbid_headers: &'static [&'static str],
    /// Headers that must be present.
    pub require_headers: &'static [&'static str],
    /// The body, when the case gives one.
    pub body: Option<&'static str>,
    /// The body's media type: JSON bodies are compared as JSON.
    pub media_type: Option<&'static str>,
}

/// The values of header `name`, joined with `", "`; `None` when absent.
pub(crate) fn header_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap_or("<not text>"))
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

fn check_status(r: &http::Response<Bytes>, code: u16, errors: &mut Vec<String>) {
    if r.status().as_u16() != code {
        errors.push(format!(
            "status: got {}, expected {code}",
            r.status().as_u16()
        ));
    }
}

fn check_headers(r: &http::Response<Bytes>, headers: &[(&str, &str)], errors: &mut Vec<String>) {
    for (name, value) in headers {
        match header_value(r.headers(), name) {
            Some(v) if v == *value => {}
            Some(v) => errors.push(format!("header {name}: got {v:?}, expected {value:?}")),
            None => errors.push(format!("header {name}: missing, expected {value:?}")),
        }
    }
}

pub(crate) fn is_json(media_type: Option<&str>) -> bool {
    media_type.is_some_and(|m| {
        let m = m.split(';').next().unwrap_or("").trim();
        m == "application/json" || m.ends_with("+json")
    })
}

pub(crate) fn check_body(
    got: &[u8],
    expected: &str,
    media_type: Option<&str>,
    errors: &mut Vec<String>,
) {
    let text = String::from_utf8_lossy(got);
    if is_json(media_type) && !expected.is_empty() {
        let e: serde_json::Value = match serde_json::from_str(expected) {
            Ok(v) => v,
            Err(err) => {
                errors.push(format!("the case's body is not JSON: {err}"));
                return;
            }
        };
        match serde_json::from_slice::<serde_json::Value>(got) {
            Ok(g) if g == e => {}
            Ok(g) => errors.push(format!("body: got {g}, expected {e}")),
            Err(_) => errors.push(format!("body: got {text:?}, expected JSON {e}")),
        }
    } else if got != expected.as_bytes() {
        errors.push(format!("body: got {text:?}, expected {expected:?}"));
    }
}

fn errors_to_outcome(errors: Vec<String>, r: &http::Response<Bytes>) -> Result<(), String> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\nthe response: {}",
            errors.join("\n"),
            describe(r)
        ))
    }
}

/// A response case: the response serialized from the case's params.
pub fn response_case(key: &str, response: http::Response<Bytes>, expected: &ExpectedResponse) {
    let mut errors = Vec::new();
    check_status(&response, expected.code, &mut errors);
    let corrected = corrected_headers(key);
    for name in &corrected {
        if !expected
            .headers
            .iter()
            .any(|(h, _)| h.eq_ignore_ascii_case(name))
        {
            panic!(
                "{key}: case-corrections.txt takes out header {name}, which the case no longer expects: remove the correction"
            );
        }
    }
    let headers: Vec<(&str, &str)> = expected
        .headers
        .iter()
        .copied()
        .filter(|(h, _)| !corrected.iter().any(|c| c.eq_ignore_ascii_case(h)))
        .collect();
    check_headers(&response, &headers, &mut errors);
    for name in expected.forbid_headers {
        if response.headers().contains_key(*name) {
            errors.push(format!("header {name} must be absent"));
        }
    }
    for name in expected.require_headers {
        if !response.headers().contains_key(*name) {
            errors.push(format!("header {name} must be present"));
        }
    }
    if let Some(body) = expected.body {
        check_body(response.body(), body, expected.media_type, &mut errors);
    }
    let outcome = errors_to_outcome(errors, &response);
    finish(key, outcome);
}

/// What a malformed-request case expects.
#[derive(Clone, Copy, Debug)]
pub struct ExpectedMalformed {
    /// The status code.
    pub code: u16,
    /// Headers that must have these values (`X-Amzn-Errortype`).
    pub headers: &'static [(&'static str, &'static str)],
    /// The exact body, when the case gives one.
    pub body: Option<&'static str>,
    /// The body's media type.
    pub media_type: Option<&'static str>,
    /// A regex the body's `message` must match, when the case gives one.
    pub message_regex: Option<&'static str>,
}

/// A malformed-request case: the handler must not be called, and the
/// response must be the expected rejection.
pub fn malformed_case<D: Dispatch>(
    key: &str,
    recorder: &Recorder,
    server: &D,
    request: &Request,
    expected: &ExpectedMalformed,
) {
    let outcome = (|| {
        let response = block_on(server.dispatch(request.to_http()?));
        let mut errors = Vec::new();
        if recorder.calls() > 0 {
            errors.push("the handler was called".to_owned());
        }
        check_status(&response, expected.code, &mut errors);
        check_headers(&response, expected.headers, &mut errors);
        if let Some(body) = expected.body {
            check_body(response.body(), body, expected.media_type, &mut errors);
        }
        if let Some(pattern) = expected.message_regex {
            let re = regex::Regex::new(pattern).map_err(|e| e.to_string())?;
            let body: serde_json::Value =
                serde_json::from_slice(response.body()).unwrap_or_default();
            let message = ["message", "Message"]
                .iter()
                .find_map(|k| body.get(*k).and_then(serde_json::Value::as_str));
            match message {
                Some(m) if re.is_match(m) => {}
                Some(m) => errors.push(format!("message {m:?} does not match {pattern:?}")),
                None => errors.push(format!(
                    "no message in the body, expected one matching {pattern:?}"
                )),
            }
        }
        errors_to_outcome(errors, &response)
    })();
    finish(key, outcome);
}
