//! restJson1 server plumbing shared by every generated service: routing,
//! label and query decoding, strict scalar parsing, content negotiation,
//! protocol errors, response building, panic containment, and the
//! `tower::Service` adapter.
//!
//! Status codes and error type names follow smithy-rs's restJson1 servers.

pub use bytes::Bytes;
pub use http;

use http::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use http::{HeaderMap, Method, Response, StatusCode};
use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// The response header that names a modelled or protocol error.
pub const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";

/// Largest request body the `tower::Service` adapter reads (8 MiB).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

// ---------------------------------------------------------------- routing

/// One segment of a route's path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seg {
    /// Literal text, compared exactly.
    Literal(&'static str),
    /// A `{label}`: one non-empty segment.
    Label,
    /// A `{label+}`: the rest of the path (one or more segments).
    Greedy,
}

/// A route: method, path segments and query literals.
#[derive(Clone, Debug)]
pub struct Route {
    /// The HTTP method.
    pub method: Method,
    /// The path segments.
    pub segments: &'static [Seg],
    /// Query literals the request must carry: `(name, Some(value))`, or
    /// `(name, None)` for a bare `?name`.
    pub query: &'static [(&'static str, Option<&'static str>)],
}

/// Why a request matched no route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteError {
    /// No route has this path: 404 `UnknownOperationException`.
    NotFound,
    /// Some route has this path, but not with this method: 405.
    MethodNotAllowed,
}

/// The most labels one route may have.
pub const MAX_LABELS: usize = 8;

/// The labels of a matched route, in URI order, still percent-encoded
/// (borrowed from the request). [`Labels::get`] decodes one.
#[derive(Clone, Debug)]
pub struct Labels<'a> {
    path: &'a str,
    /// `(start, end)` byte offsets of each label in `path`.
    spans: [(u32, u32); MAX_LABELS],
    len: usize,
}

impl<'a> Labels<'a> {
    /// The `i`-th label, percent-decoded: a 400 `SerializationException`
    /// when it is not UTF-8 once decoded. `%2F` decodes to `/` (data, not a
    /// separator).
    pub fn get(&self, i: usize, member: &str) -> Result<Cow<'a, str>, Rejection> {
        let raw = self.spans[..self.len]
            .get(i)
            .map_or("", |&(start, end)| &self.path[start as usize..end as usize]);
        percent_decode(raw).ok_or_else(|| {
            Rejection::serialization(format!(
                "label {member} is not valid UTF-8 once percent-decoded"
            ))
        })
    }

    /// How many labels there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A static route table, matched segment by segment. Building it costs
/// nothing (it is a `const`); matching allocates nothing.
#[derive(Clone, Copy, Debug)]
pub struct Router {
    routes: &'static [Route],
}

impl Router {
    /// A router over `routes`. The generator has checked that no two routes
    /// can match the same request, except that a route with more query
    /// literals wins over one with fewer.
    pub const fn new(routes: &'static [Route]) -> Self {
        Self { routes }
    }

    /// The index of the route matching `method`, `path` and `query`, and its
    /// labels. Only routes with the request's method are compared (segment by
    /// segment, lazily); the others only decide between 404 and 405.
    #[inline]
    pub fn route<'a>(
        &self,
        method: &Method,
        path: &'a str,
        query: Option<&'a str>,
    ) -> Result<(usize, Labels<'a>), RouteError> {
        let path = path.strip_prefix('/').unwrap_or(path);
        // A trailing slash is tolerated.
        let path = path.strip_suffix('/').unwrap_or(path);
        // One pass over the routes of the request's method; the labels of
        // the best match so far are kept, so the winner is not matched twice.
        let mut best: Option<(usize, Labels<'a>)> = None;
        let mut scratch = Labels::new(path);
        for (i, route) in self.routes.iter().enumerate() {
            if route.method != *method {
                continue;
            }
            let better = best
                .as_ref()
                .is_none_or(|(j, _)| route.query.len() > self.routes[*j].query.len());
            if !better || !route.query.iter().all(|lit| query_has(query, *lit)) {
                continue;
            }
            scratch.len = 0;
            if match_path(path, route.segments, &mut scratch) {
                best = Some((i, scratch.clone()));
            }
        }
        if let Some(found) = best {
            return Ok(found);
        }
        let other_method = self.routes.iter().any(|route| {
            route.query.iter().all(|lit| query_has(query, *lit))
                && match_path(path, route.segments, &mut Labels::new(path))
        });
        Err(if other_method {
            RouteError::MethodNotAllowed
        } else {
            RouteError::NotFound
        })
    }
}

impl<'a> Labels<'a> {
    fn new(path: &'a str) -> Self {
        Labels {
            path,
            spans: [(0, 0); MAX_LABELS],
            len: 0,
        }
    }

    /// Records `text` (a slice of the path) as the next label; `false` when
    /// there are already [`MAX_LABELS`].
    fn push(&mut self, text: &str) -> bool {
        let Some(slot) = self.spans.get_mut(self.len) else {
            return false;
        };
        let start = (text.as_ptr() as usize - self.path.as_ptr() as usize) as u32;
        *slot = (start, start + text.len() as u32);
        self.len += 1;
        true
    }
}

/// Whether `path` (without its leading and trailing slash) matches a
/// route's segments, its labels recorded in `labels`. Segments are found as
/// the walk goes: a literal is compared in place, a label runs to the next
/// `/`, and a final greedy label takes the rest.
#[inline]
fn match_path<'a>(path: &'a str, route: &[Seg], labels: &mut Labels<'a>) -> bool {
    // The unmatched rest of the path; `None` once every segment is used.
    let mut rest = (!path.is_empty()).then_some(path);
    for (k, seg) in route.iter().enumerate() {
        if matches!(seg, Seg::Greedy) && k + 1 < route.len() {
            labels.len = 0;
            return match_inner_greedy(path, route, k, labels);
        }
        let Some(tail) = rest else { return false };
        let (text, after) = match seg {
            Seg::Greedy => (tail, None),
            Seg::Literal(lit) => {
                // In place: the literal, then the end or a `/`.
                let Some(after) = tail.strip_prefix(lit) else {
                    return false;
                };
                match after.strip_prefix('/') {
                    Some(next) => (&tail[..lit.len()], Some(next)),
                    None if after.is_empty() => (tail, None),
                    None => return false,
                }
            }
            Seg::Label => match tail.find('/') {
                Some(slash) => (&tail[..slash], Some(&tail[slash + 1..])),
                None => (tail, None),
            },
        };
        // A literal was compared in place.
        if !matches!(seg, Seg::Literal(_)) && !fill(seg, text, labels) {
            return false;
        }
        rest = after;
    }
    rest.is_none()
}

/// Matching for a route whose greedy label is followed by more segments
/// (`/{Bucket}/{Key+}/tagging`): the segments after it are matched against
/// the end of the path, and the greedy label takes the one or more segments
/// in between. Such routes are rare; their segments are collected into a
/// `Vec`.
fn match_inner_greedy<'a>(path: &'a str, route: &[Seg], g: usize, labels: &mut Labels<'a>) -> bool {
    let parts: Vec<&'a str> = if path.is_empty() {
        Vec::new()
    } else {
        path.split('/').collect()
    };
    let after = route.len() - g - 1;
    if parts.len() < g + 1 + after {
        return false;
    }
    let greedy_end = parts.len() - after;
    for (k, seg) in route.iter().enumerate() {
        let text: &'a str = if k < g {
            parts[k]
        } else if k == g {
            let start = parts[g].as_ptr() as usize - path.as_ptr() as usize;
            let last = parts[greedy_end - 1];
            let end = last.as_ptr() as usize - path.as_ptr() as usize + last.len();
            &path[start..end]
        } else {
            parts[greedy_end + (k - g - 1)]
        };
        if !fill(seg, text, labels) {
            return false;
        }
    }
    true
}

/// Whether `text` (a slice of the path) fills `seg`: the same literal, a
/// non-empty label, or a greedy label of non-empty segments. Labels are
/// recorded in `labels`.
#[inline]
fn fill<'a>(seg: &Seg, text: &'a str, labels: &mut Labels<'a>) -> bool {
    match seg {
        Seg::Literal(lit) => text == *lit,
        Seg::Label => !text.is_empty() && labels.push(text),
        Seg::Greedy => !text.split('/').any(str::is_empty) && labels.push(text),
    }
}

fn query_has(query: Option<&str>, (name, value): (&str, Option<&str>)) -> bool {
    query.into_iter().flat_map(|q| q.split('&')).any(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        percent_decode(k).as_deref() == Some(name)
            && value.is_none_or(|value| percent_decode(v).as_deref() == Some(value))
    })
}

/// Percent-decodes `s` (RFC 3986: `+` stays `+`). `None` when the result is
/// not UTF-8. Borrows when there is nothing to decode.
pub fn percent_decode(s: &str) -> Option<Cow<'_, str>> {
    let Some(first) = s.find('%') else {
        return Some(Cow::Borrowed(s));
    };
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..first]);
    let mut i = first;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex_value(*b)),
                bytes.get(i + 2).and_then(|b| hex_value(*b)),
            ) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        // Copy the run up to the next `%` in one go.
        let next = bytes[i + 1..]
            .iter()
            .position(|&b| b == b'%')
            .map_or(bytes.len(), |p| i + 1 + p);
        out.extend_from_slice(&bytes[i..next]);
        i = next;
    }
    String::from_utf8(out).ok().map(Cow::Owned)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

// ---------------------------------------------------------------- query

/// The decoded `name=value` pairs of a query string, in order.
#[derive(Clone, Debug, Default)]
pub struct Query<'a> {
    pairs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl<'a> Query<'a> {
    /// Parses a query string; a pair that is not UTF-8 once decoded is a 400
    /// `SerializationException`.
    pub fn parse(query: Option<&'a str>) -> Result<Self, Rejection> {
        let mut pairs = Vec::new();
        for pair in query
            .into_iter()
            .flat_map(|q| q.split('&'))
            .filter(|p| !p.is_empty())
        {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let bad =
                || Rejection::serialization("query string is not valid UTF-8 once percent-decoded");
            pairs.push((
                percent_decode(k).ok_or_else(bad)?,
                percent_decode(v).ok_or_else(bad)?,
            ));
        }
        Ok(Self { pairs })
    }

    /// The first value of `name`.
    pub fn first<'s>(&'s self, name: &'s str) -> Option<&'s str> {
        self.all(name).next()
    }

    /// Every `(name, value)` pair, in order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// Every value of `name`, in order (lists repeat the key).
    pub fn all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
    }
}

// ---------------------------------------------------------------- requests

/// A request the protocol layer turns away before (or instead of) the
/// handler.
#[derive(Debug)]
pub enum Rejection {
    /// Malformed JSON, number, union or label: 400 `SerializationException`.
    Serialization(String),
    /// A body whose `Content-Type` the operation does not take: 415, with
    /// what was expected and what came.
    UnsupportedMediaType(String),
    /// An `Accept` header that excludes JSON: 406.
    NotAcceptable,
    /// A body larger than the adapter reads: 413.
    PayloadTooLarge,
    /// Constraint violations: 400 with the model's `ValidationException`.
    Validation(crate::validation::Violations),
}

impl Rejection {
    /// A `SerializationException` with this message.
    pub fn serialization(message: impl Into<String>) -> Self {
        Rejection::Serialization(message.into())
    }

    /// The response for protocol rejections (`Validation` is answered by the
    /// generated code with the model's own error shape; this is the fallback
    /// for models without one).
    pub fn into_response(self) -> Response<Bytes> {
        let (status, error_type, message) = match self {
            Rejection::Serialization(m) => (400, "SerializationException", m),
            Rejection::UnsupportedMediaType(m) => (415, "UnsupportedMediaTypeException", m),
            Rejection::NotAcceptable => (
                406,
                "NotAcceptableException",
                "the response can only be application/json".to_owned(),
            ),
            Rejection::PayloadTooLarge => (
                413,
                "RequestEntityTooLargeException",
                format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
            ),
            Rejection::Validation(v) => (400, "ValidationException", v.message()),
        };
        error_response(
            status,
            error_type,
            &serde_json::json!({ "message": message }),
        )
    }
}

impl From<RouteError> for Response<Bytes> {
    fn from(e: RouteError) -> Self {
        match e {
            RouteError::NotFound => error_response(
                404,
                "UnknownOperationException",
                &serde_json::json!({"message": "no operation matches this request"}),
            ),
            RouteError::MethodNotAllowed => error_response(
                405,
                "MethodNotAllowedException",
                &serde_json::json!({"message": "the operation at this path does not accept this method"}),
            ),
        }
    }
}

fn media_type(value: &str) -> (&str, &str) {
    let essence = value.split(';').next().unwrap_or("").trim();
    essence.split_once('/').unwrap_or((essence, ""))
}

/// A non-empty body must be declared as JSON (`application/json`, any
/// parameters).
pub fn check_content_type(headers: &HeaderMap, body: &[u8]) -> Result<(), Rejection> {
    if body.is_empty() {
        return Ok(());
    }
    let json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(media_type)
        .is_some_and(|(t, s)| {
            t.eq_ignore_ascii_case("application") && s.eq_ignore_ascii_case("json")
        });
    if json {
        Ok(())
    } else {
        Err(Rejection::UnsupportedMediaType(format!(
            "the request body must be sent as application/json, not {}",
            content_type_text(headers)
        )))
    }
}

/// The request's `Content-Type` as a message names it.
pub(crate) fn content_type_text(headers: &HeaderMap) -> String {
    match headers.get(CONTENT_TYPE).map(|v| v.to_str()) {
        None => "a body without a Content-Type".to_owned(),
        Some(Ok(v)) => format!("`{v}`"),
        Some(Err(_)) => "a Content-Type that is not visible ASCII".to_owned(),
    }
}

/// An operation without a modelled body must not be sent one declared with
/// a `Content-Type` (415), as the restJson1 protocol tests require
/// (RestJsonWithoutBodyExpectsEmptyContentType). A body without a type, or
/// a type without a body, is ignored.
pub fn check_no_content_type(headers: &HeaderMap, body: &[u8]) -> Result<(), Rejection> {
    if headers.contains_key(CONTENT_TYPE) && !body.is_empty() {
        Err(Rejection::UnsupportedMediaType(format!(
            "this operation takes no request body, but one was sent as {}",
            content_type_text(headers)
        )))
    } else {
        Ok(())
    }
}

/// An `Accept` header must admit `application/json` (absent admits all).
pub fn check_accept(headers: &HeaderMap) -> Result<(), Rejection> {
    check_accept_media(headers, "application/json")
}

/// An `Accept` header must admit `media` (absent admits all): the media
/// type of an operation whose response is a payload of another type than
/// JSON (RestJsonStringPayloadUnsatisfiableAccept).
pub fn check_accept_media(headers: &HeaderMap, media: &str) -> Result<(), Rejection> {
    let mut values = headers.get_all(ACCEPT).iter().peekable();
    if values.peek().is_none() {
        return Ok(());
    }
    let (want_t, want_s) = media_type(media);
    let (want_t, want_s) = (want_t.to_ascii_lowercase(), want_s.to_ascii_lowercase());
    let admits = values
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|range| {
            let mut parts = range.split(';');
            let (t, s) = media_type(parts.next().unwrap_or(""));
            let q_zero = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            let (t, s) = (t.to_ascii_lowercase(), s.to_ascii_lowercase());
            !q_zero && (t == "*" && s == "*" || t == want_t && (s == "*" || s == want_s))
        });
    if admits {
        Ok(())
    } else {
        Err(Rejection::NotAcceptable)
    }
}

/// Deserializes a JSON body, which must be an object; an empty body reads
/// as `{}`.
pub fn json_body<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> Result<T, Rejection> {
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        None => return Ok(T::default()),
        Some(b'{') => {}
        Some(_) => {
            return Err(Rejection::serialization(
                "the request body must be a JSON object",
            ));
        }
    }
    serde_json::from_slice(body)
        .map_err(|e| Rejection::serialization(format!("invalid request body: {e}")))
}

// ---------------------------------------------------------------- responses

/// A JSON response. Serialization failures (e.g. the `Unknown` variant of a
/// union) are answered by `internal`, with a 500.
pub fn json_response<T: serde::Serialize>(
    status: u16,
    value: &T,
    internal: impl FnOnce(&str) -> Response<Bytes>,
) -> Response<Bytes> {
    match serde_json::to_vec(value) {
        Ok(body) => with_body(status, Some(body)),
        Err(e) => internal(&format!("the response could not be serialized: {e}")),
    }
}

/// The answer to an operation that streams events: the generated server
/// routes it but does not serve event streams (501 `NotImplemented`).
pub fn event_streams_unsupported(message: &str) -> Response<Bytes> {
    error_response(
        501,
        "NotImplemented",
        &serde_json::json!({ "message": message }),
    )
}

/// The body of a 500 for models that define no internal error shape.
#[derive(Debug)]
pub struct InternalFailure<'a> {
    /// What happened.
    pub message: &'a str,
}

impl serde::Serialize for InternalFailure<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut body = serializer.serialize_struct("InternalFailure", 1)?;
        body.serialize_field("message", self.message)?;
        body.end()
    }
}

/// A response without a body. It says `Content-Length: 0` itself, so that
/// the length is explicit whatever carries the response
/// (RestJsonHttpPayloadWithUnsetUnion).
pub fn empty_response(status: u16) -> Response<Bytes> {
    let mut response = with_body(status, None);
    response
        .headers_mut()
        .insert(http::header::CONTENT_LENGTH, HeaderValue::from_static("0"));
    response
}

/// An error response: status, `X-Amzn-Errortype`, JSON body.
pub fn error_response<T: serde::Serialize>(
    status: u16,
    error_type: &str,
    body: &T,
) -> Response<Bytes> {
    let body = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = with_body(status, Some(body));
    if let Ok(v) = HeaderValue::from_str(error_type) {
        response.headers_mut().insert(ERROR_TYPE_HEADER, v);
    }
    response
}

fn with_body(status: u16, body: Option<Vec<u8>>) -> Response<Bytes> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let has_body = body.is_some();
    let mut response = Response::new(body.map(Bytes::from).unwrap_or_default());
    *response.status_mut() = status;
    if has_body {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    response
}

// ---------------------------------------------------------------- handlers

/// Calls a handler and awaits its future: the value, or the message of a
/// panic, whether it happened while making the future or while polling it.
pub async fn catch_unwind<F: Future>(call: impl FnOnce() -> F) -> Result<F::Output, String> {
    let future = std::panic::catch_unwind(AssertUnwindSafe(call)).map_err(panic_message)?;
    CatchUnwind {
        inner: Box::pin(future),
    }
    .await
}

fn panic_message(panic: Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "handler panicked".to_owned())
}

struct CatchUnwind<F: Future> {
    inner: Pin<Box<F>>,
}

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, String>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.inner.as_mut();
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
            Err(panic) => Poll::Ready(Err(panic_message(panic))),
        }
    }
}

/// A generated service's request handler: implemented by the generated
/// `Server`.
pub trait Dispatch: Send + Sync + 'static {
    /// Routes, deserializes, validates, calls the handler, serializes.
    fn dispatch(
        &self,
        request: http::Request<Bytes>,
    ) -> impl Future<Output = Response<Bytes>> + Send;
}

/// A `tower::Service` over any request body, so a generated server mounts
/// in hyper (via hyper-util's `TowerToHyperService`) or axum as it is.
pub struct TowerService<D> {
    inner: Arc<D>,
}

impl<D> TowerService<D> {
    /// Wraps a dispatcher.
    pub fn new(inner: D) -> Self {
        Self {
            inner: Arc::new(inner),
        }
    }
}

impl<D> Clone for TowerService<D> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<D> fmt::Debug for TowerService<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TowerService")
    }
}

impl<D, B> tower_service::Service<http::Request<B>> for TowerService<D>
where
    D: Dispatch,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = Response<http_body_util::Full<Bytes>>;
    type Error = std::convert::Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        use http_body_util::BodyExt as _;
        let inner = Arc::clone(&self.inner);
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let response = match http_body_util::Limited::new(body, MAX_BODY_BYTES)
                .collect()
                .await
            {
                Ok(collected) => {
                    inner
                        .dispatch(http::Request::from_parts(parts, collected.to_bytes()))
                        .await
                }
                Err(e)
                    if e.downcast_ref::<http_body_util::LengthLimitError>()
                        .is_some() =>
                {
                    Rejection::PayloadTooLarge.into_response()
                }
                Err(e) => {
                    Rejection::serialization(format!("the request body could not be read: {e}"))
                        .into_response()
                }
            };
            Ok(response.map(http_body_util::Full::new))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_failure_body() {
        let body = InternalFailure {
            message: "a \"quoted\" failure",
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"message":"a \"quoted\" failure"}"#
        );
    }

    static ROUTES: &[Route] = &[
        Route {
            method: Method::GET,
            segments: &[Seg::Literal("connectors")],
            query: &[],
        },
        Route {
            method: Method::POST,
            segments: &[Seg::Literal("connectors")],
            query: &[],
        },
        Route {
            method: Method::GET,
            segments: &[Seg::Literal("connectors"), Seg::Label],
            query: &[],
        },
        Route {
            method: Method::GET,
            segments: &[Seg::Literal("files"), Seg::Greedy],
            query: &[],
        },
        Route {
            method: Method::GET,
            segments: &[Seg::Literal("q")],
            query: &[("x-id", Some("Get"))],
        },
        Route {
            method: Method::GET,
            segments: &[Seg::Literal("q")],
            query: &[("x-id", Some("Get")), ("flag", None)],
        },
        Route {
            method: Method::GET,
            segments: &[
                Seg::Literal("a"),
                Seg::Literal("b"),
                Seg::Literal("c"),
                Seg::Literal("d"),
                Seg::Literal("e"),
                Seg::Literal("f"),
                Seg::Literal("g"),
                Seg::Literal("h"),
                Seg::Label,
                Seg::Literal("j"),
            ],
            query: &[],
        },
        Route {
            method: Method::PUT,
            segments: &[
                Seg::Literal("a"),
                Seg::Literal("b"),
                Seg::Literal("c"),
                Seg::Literal("d"),
                Seg::Literal("e"),
                Seg::Literal("f"),
                Seg::Literal("g"),
                Seg::Literal("h"),
                Seg::Literal("i"),
                Seg::Greedy,
            ],
            query: &[],
        },
        Route {
            method: Method::PUT,
            segments: &[Seg::Literal("g"), Seg::Greedy],
            query: &[],
        },
    ];
    const ROUTER: Router = Router::new(ROUTES);

    fn route(method: Method, uri: &str) -> Result<(usize, Vec<String>), RouteError> {
        let (path, query) = uri
            .split_once('?')
            .map_or((uri, None), |(p, q)| (p, Some(q)));
        ROUTER.route(&method, path, query).map(|(i, labels)| {
            (
                i,
                (0..labels.len())
                    .map(|j| labels.get(j, "x").unwrap().into_owned())
                    .collect(),
            )
        })
    }

    #[test]
    fn matches_segment_by_segment_and_decodes_labels_after_the_split() {
        assert_eq!(route(Method::GET, "/connectors"), Ok((0, vec![])));
        assert_eq!(route(Method::POST, "/connectors"), Ok((1, vec![])));
        assert_eq!(
            route(
                Method::GET,
                "/connectors/arn%3Aaws%3Apca%3Aus-east-1%3A1%3Aconnector%2Fabc"
            ),
            Ok((2, vec!["arn:aws:pca:us-east-1:1:connector/abc".to_owned()]))
        );
        // An unencoded slash is a separator: no route has three segments.
        assert_eq!(
            route(Method::GET, "/connectors/a/b"),
            Err(RouteError::NotFound)
        );
        assert_eq!(route(Method::GET, "/connectors/"), Ok((0, vec![])));
        assert_eq!(
            route(Method::GET, "/files/a/b%2Fc"),
            Ok((3, vec!["a/b/c".to_owned()]))
        );
        assert_eq!(route(Method::GET, "/files"), Err(RouteError::NotFound));
    }

    #[test]
    fn long_paths_past_the_pre_split_segments() {
        assert_eq!(
            route(Method::GET, "/a/b/c/d/e/f/g/h/x%2Fy/j"),
            Ok((6, vec!["x/y".to_owned()]))
        );
        assert_eq!(
            route(Method::GET, "/a/b/c/d/e/f/g/h/x/j/k"),
            Err(RouteError::NotFound)
        );
        assert_eq!(
            route(Method::GET, "/a/b/c/d/e/f/g/h/x"),
            Err(RouteError::NotFound)
        );
        assert_eq!(
            route(Method::PUT, "/a/b/c/d/e/f/g/h/i/1/2/3"),
            Ok((7, vec!["1/2/3".to_owned()]))
        );
        assert_eq!(
            route(Method::PUT, "/a/b/c/d/e/f/g/h/i"),
            Err(RouteError::NotFound)
        );
        assert_eq!(
            route(Method::PUT, "/g/1/2/3/4/5/6/7/8/9/10"),
            Ok((8, vec!["1/2/3/4/5/6/7/8/9/10".to_owned()]))
        );
        assert_eq!(route(Method::PUT, "/g/1//2"), Err(RouteError::NotFound));
        assert_eq!(
            route(Method::GET, "/g/1"),
            Err(RouteError::MethodNotAllowed)
        );
    }

    #[test]
    fn unknown_paths_and_wrong_methods() {
        assert_eq!(route(Method::GET, "/nope"), Err(RouteError::NotFound));
        assert_eq!(route(Method::GET, "/"), Err(RouteError::NotFound));
        assert_eq!(
            route(Method::DELETE, "/connectors"),
            Err(RouteError::MethodNotAllowed)
        );
        let response: Response<Bytes> = RouteError::NotFound.into();
        assert_eq!(response.status(), 404);
        assert_eq!(
            response.headers()[ERROR_TYPE_HEADER],
            "UnknownOperationException"
        );
        let response: Response<Bytes> = RouteError::MethodNotAllowed.into();
        assert_eq!(response.status(), 405);
    }

    #[test]
    fn query_literals_are_honoured_and_the_most_specific_wins() {
        assert_eq!(route(Method::GET, "/q"), Err(RouteError::NotFound));
        assert_eq!(route(Method::GET, "/q?x-id=Get"), Ok((4, vec![])));
        assert_eq!(route(Method::GET, "/q?a=1&x-id=Get&flag"), Ok((5, vec![])));
        assert_eq!(route(Method::GET, "/q?x-id=Put"), Err(RouteError::NotFound));
    }

    #[test]
    fn labels_that_are_not_utf8_are_rejected() {
        let (_, labels) = ROUTER.route(&Method::GET, "/connectors/%FF", None).unwrap();
        assert!(matches!(
            labels.get(0, "ConnectorArn"),
            Err(Rejection::Serialization(_))
        ));
    }

    #[test]
    fn query_values_repeat_and_decode() {
        assert_eq!(percent_decode("a%2").unwrap(), "a%2");
        assert_eq!(percent_decode("%zz%41b").unwrap(), "%zzAb");
        assert_eq!(percent_decode("%E2%9C%93 ok").unwrap(), "✓ ok");
        assert!(percent_decode("%C3").is_none());
        let q = Query::parse(Some("tagKeys=a%20b&tagKeys=c%26d%3De%2Bf&x=1&tagKeys=")).unwrap();
        assert_eq!(q.all("tagKeys").collect::<Vec<_>>(), ["a b", "c&d=e+f", ""]);
        assert_eq!(q.first("x"), Some("1"));
        assert_eq!(q.first("y"), None);
        assert!(Query::parse(Some("a=%C3%28")).is_err());
    }

    #[test]
    fn greedy_labels_before_other_segments() {
        static ROUTES: &[Route] = &[Route {
            method: Method::GET,
            segments: &[
                Seg::Literal("b"),
                Seg::Label,
                Seg::Greedy,
                Seg::Literal("tagging"),
            ],
            query: &[],
        }];
        let router = Router::new(ROUTES);
        let (i, labels) = router
            .route(&Method::GET, "/b/bucket/a/b%2Fc/d/tagging", None)
            .unwrap();
        assert_eq!(i, 0);
        assert_eq!(labels.get(0, "Bucket").unwrap(), "bucket");
        assert_eq!(labels.get(1, "Key").unwrap(), "a/b/c/d");
        let (_, labels) = router
            .route(&Method::GET, "/b/bucket/k/tagging", None)
            .unwrap();
        assert_eq!(labels.get(1, "Key").unwrap(), "k");
        for missing in [
            "/b/bucket/tagging",
            "/b/bucket/a//tagging",
            "/b/bucket/a/b",
            "/b//a/tagging",
        ] {
            assert_eq!(
                router.route(&Method::GET, missing, None).unwrap_err(),
                RouteError::NotFound,
                "{missing}"
            );
        }
    }

    #[test]
    fn strict_numbers() {
        assert_eq!(crate::bindings::parse::<i32>("1000", "M").unwrap(), 1000);
        assert_eq!(crate::bindings::parse::<i32>("-5", "M").unwrap(), -5);
        for bad in [
            "1.5",
            "2ABC",
            "0x42",
            "",
            " 1",
            "+",
            "-",
            "2147483648",
            "1e3",
        ] {
            assert!(crate::bindings::parse::<i32>(bad, "M").is_err(), "{bad}");
        }
        assert_eq!(crate::bindings::parse::<f64>("1.5e3", "F").unwrap(), 1500.0);
        assert!(crate::bindings::parse::<f64>("NaN", "F").unwrap().is_nan());
        assert!(crate::bindings::parse::<f64>("0x1", "F").is_err());
        assert!(crate::bindings::parse::<f64>("inf", "F").is_err());
        assert!(crate::bindings::parse::<bool>("true", "B").unwrap());
        assert!(crate::bindings::parse::<bool>("True", "B").is_err());
    }

    #[test]
    fn content_negotiation() {
        let mut h = HeaderMap::new();
        assert!(check_content_type(&h, b"").is_ok());
        assert!(matches!(
            check_content_type(&h, b"{}"),
            Err(Rejection::UnsupportedMediaType(m)) if m.contains("without a Content-Type")
        ));
        h.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        assert!(check_content_type(&h, b"{}").is_ok());
        h.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(check_content_type(&h, b"{}").is_err());

        let mut h = HeaderMap::new();
        assert!(check_accept(&h).is_ok());
        for ok in [
            "application/json",
            "*/*",
            "text/html, application/*;q=0.5",
            "APPLICATION/JSON",
        ] {
            h.insert(ACCEPT, HeaderValue::from_static(ok));
            assert!(check_accept(&h).is_ok(), "{ok}");
        }
        for bad in ["text/html", "application/xml", "application/json;q=0"] {
            h.insert(ACCEPT, HeaderValue::from_static(bad));
            assert!(
                matches!(check_accept(&h), Err(Rejection::NotAcceptable)),
                "{bad}"
            );
        }
    }

    #[test]
    fn bodies() {
        #[derive(Default, serde::Deserialize)]
        struct B {
            a: Option<u8>,
        }
        assert!(json_body::<B>(b"").unwrap().a.is_none());
        assert_eq!(json_body::<B>(br#"{"a": 1, "z": 2}"#).unwrap().a, Some(1));
        assert!(matches!(
            json_body::<B>(b"{"),
            Err(Rejection::Serialization(_))
        ));
        assert!(matches!(
            json_body::<B>(b"[]"),
            Err(Rejection::Serialization(_))
        ));
    }

    #[test]
    fn responses() {
        let r = error_response(
            404,
            "ResourceNotFoundException",
            &serde_json::json!({"Message": "m"}),
        );
        assert_eq!(r.status(), 404);
        assert_eq!(r.headers()[ERROR_TYPE_HEADER], "ResourceNotFoundException");
        assert_eq!(r.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(r.body().as_ref(), br#"{"Message":"m"}"#);
        let r = empty_response(204);
        assert!(r.body().is_empty());
        assert!(r.headers().get(CONTENT_TYPE).is_none());
        let r = Rejection::UnsupportedMediaType("m".into()).into_response();
        assert_eq!(r.status(), 415);
        assert_eq!(
            r.headers()[ERROR_TYPE_HEADER],
            "UnsupportedMediaTypeException"
        );
        let r = Rejection::NotAcceptable.into_response();
        assert_eq!(r.status(), 406);
    }

    #[test]
    fn panics_become_errors() {
        let out = block_on(catch_unwind(|| async { panic!("boom") }));
        assert_eq!(out.unwrap_err(), "boom");
        fn sync_panic() -> std::future::Ready<u8> {
            panic!("before the future")
        }
        let out = block_on(catch_unwind(sync_panic));
        assert_eq!(out.unwrap_err(), "before the future");
        let out = block_on(catch_unwind(|| async { 7 }));
        assert_eq!(out.unwrap(), 7);
    }

    /// Polls a future that never waits to completion.
    fn block_on<F: Future>(f: F) -> F::Output {
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        let mut f = Box::pin(f);
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }
}
