//! awsJson1_0 and awsJson1_1 servers: every request is `POST /` naming its
//! operation in `X-Amz-Target: {Service}.{Operation}`, bodies are JSON
//! objects of the protocol's media type, and errors carry their type in the
//! body's `__type` (the shape ID under 1.0, the shape name under 1.1).
//!
//! The generated server matches the operation name itself (a `match` on
//! the name [`target`] returns); everything else about the wire is here.

use super::Rejection;
use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{HeaderMap, Method, Response, StatusCode};

/// The request header that names the operation.
pub const TARGET_HEADER: HeaderName = HeaderName::from_static("x-amz-target");

/// The response header of an error of an `@awsQueryCompatible` service:
/// `{code};{Sender|Receiver}`.
pub const QUERY_ERROR_HEADER: &str = "x-amzn-query-error";

/// Which awsJson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// `aws.protocols#awsJson1_0`.
    V1_0,
    /// `aws.protocols#awsJson1_1`.
    V1_1,
}

impl Version {
    /// The media type of request and response bodies.
    pub const fn media_type(self) -> &'static str {
        match self {
            Version::V1_0 => "application/x-amz-json-1.0",
            Version::V1_1 => "application/x-amz-json-1.1",
        }
    }
}

/// Why a request names no operation of the service: answered as
/// `UnknownOperationException` (400), as AWS's JSON services do.
#[derive(Debug, PartialEq, Eq)]
pub struct UnknownOperation(String);

impl UnknownOperation {
    /// `operation` is no operation of the service.
    pub fn named(operation: &str) -> Self {
        Self(format!("the service has no operation `{operation}`"))
    }

    /// What is wrong with the request.
    pub fn message(&self) -> &str {
        &self.0
    }

    /// The 400 `UnknownOperationException` response.
    pub fn into_response(self, version: Version) -> Response<Bytes> {
        error_response(
            version,
            400,
            "UnknownOperationException",
            &serde_json::json!({ "message": self.0 }),
        )
    }
}

/// The operation name of a request to `service` (the service shape's
/// name): the request must be `POST /` with `X-Amz-Target:
/// {service}.{operation}`.
pub fn target<'r>(
    method: &Method,
    path: &str,
    headers: &'r HeaderMap,
    service: &str,
) -> Result<&'r str, UnknownOperation> {
    if path != "/" {
        return Err(UnknownOperation(format!(
            "requests go to `/`, not `{path}`; the operation is named by X-Amz-Target"
        )));
    }
    if method != Method::POST {
        return Err(UnknownOperation(format!("requests are POST, not {method}")));
    }
    // A `HeaderName` constant: the lookup skips parsing the name.
    let mut values = headers.get_all(&TARGET_HEADER).iter();
    let value = match (values.next(), values.next()) {
        (Some(v), None) => v,
        (None, _) => {
            return Err(UnknownOperation(
                "the request has no X-Amz-Target header".into(),
            ));
        }
        (Some(_), Some(_)) => {
            return Err(UnknownOperation(
                "the request has more than one X-Amz-Target header".into(),
            ));
        }
    };
    // `{service}.{operation}`, told without searching for the dot.
    let operation = value
        .as_bytes()
        .strip_prefix(service.as_bytes())
        .and_then(|rest| rest.strip_prefix(b"."));
    if let Some(operation) = operation.filter(|o| o.iter().all(u8::is_ascii_graphic)) {
        // Visible ASCII, so UTF-8.
        if let Ok(operation) = std::str::from_utf8(operation) {
            return Ok(operation);
        }
    }
    let value = value
        .to_str()
        .map_err(|_| UnknownOperation("X-Amz-Target is not visible ASCII".into()))?;
    match value.split_once('.') {
        Some((s, operation)) if s == service => Ok(operation),
        _ => Err(UnknownOperation(format!(
            "X-Amz-Target `{value}` names no operation of `{service}` (`{service}.<Operation>`)"
        ))),
    }
}

/// Checks that the request's `Content-Type` is the protocol's media type
/// (parameters allowed): required even without a body, since it is how a
/// service tells the protocol.
pub fn check_content_type(version: Version, headers: &HeaderMap) -> Result<(), Rejection> {
    let want = version.media_type();
    let Some(value) = headers.get(CONTENT_TYPE) else {
        return Err(Rejection::UnsupportedMediaType(format!(
            "the request has no Content-Type; expected {want}"
        )));
    };
    if super::request::is_media_type(value, want) {
        Ok(())
    } else {
        Err(Rejection::UnsupportedMediaType(format!(
            "expected Content-Type {want}, got {}",
            super::content_type_text(headers)
        )))
    }
}

/// A 200 response with `value` as its JSON body. Serialization failures
/// (e.g. the `Unknown` variant of a union) are answered by `internal`.
pub fn response<T: serde::Serialize>(
    version: Version,
    value: &T,
    internal: impl FnOnce(&str) -> Response<Bytes>,
) -> Response<Bytes> {
    match serde_json::to_vec(value) {
        Ok(body) => with_body(version, 200, body),
        Err(e) => internal(&format!("the response could not be serialized: {e}")),
    }
}

/// The 200 response of an operation without output: an empty body, still
/// of the protocol's media type.
pub fn empty_response(version: Version) -> Response<Bytes> {
    with_body(version, 200, Vec::new())
}

/// An error response: `status`, and `body`'s JSON object with `__type`
/// first.
pub fn error_response<T: serde::Serialize>(
    version: Version,
    status: u16,
    error_type: &str,
    body: &T,
) -> Response<Bytes> {
    let members = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut out = Vec::with_capacity(members.len() + error_type.len() + 16);
    out.extend_from_slice(b"{\"__type\":");
    // A string always serializes.
    serde_json::to_writer(&mut out, error_type).expect("a string serializes");
    match members.strip_prefix(b"{") {
        Some(b"}") | None => out.push(b'}'),
        Some(rest) => {
            out.push(b',');
            out.extend_from_slice(rest);
        }
    }
    with_body(version, status, out)
}

/// [`error_response`] for an `@awsQueryCompatible` service: with
/// `x-amzn-query-error: {code};{Sender|Receiver}`.
pub fn query_compatible_error_response<T: serde::Serialize>(
    version: Version,
    status: u16,
    error_type: &str,
    body: &T,
    query_code: &str,
    client_fault: bool,
) -> Response<Bytes> {
    let mut response = error_response(version, status, error_type, body);
    let fault = if client_fault { "Sender" } else { "Receiver" };
    if let Ok(v) = HeaderValue::from_str(&format!("{query_code};{fault}")) {
        response.headers_mut().insert(QUERY_ERROR_HEADER, v);
    }
    response
}

/// The response for a protocol rejection, for a service without its own
/// `ValidationException` shape.
pub fn rejection_response(version: Version, rejection: Rejection) -> Response<Bytes> {
    let (status, error_type, message) = rejection.parts();
    error_response(
        version,
        status,
        error_type,
        &serde_json::json!({ "message": message }),
    )
}

fn with_body(version: Version, status: u16, body: Vec<u8>) -> Response<Bytes> {
    let mut response = Response::new(Bytes::from(body));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(version.media_type()));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn targets() {
        let h = headers(&[("x-amz-target", "JsonRpc10.GetThing")]);
        assert_eq!(target(&Method::POST, "/", &h, "JsonRpc10"), Ok("GetThing"));
        let wrong = |m: &Method, p: &str, h: &HeaderMap| target(m, p, h, "JsonRpc10").unwrap_err();
        assert!(wrong(&Method::GET, "/", &h).message().contains("POST"));
        assert!(wrong(&Method::POST, "/x", &h).message().contains("`/x`"));
        assert!(
            wrong(&Method::POST, "/", &HeaderMap::new())
                .message()
                .contains("no X-Amz-Target")
        );
        let other = headers(&[("x-amz-target", "Other.GetThing")]);
        assert!(
            wrong(&Method::POST, "/", &other)
                .message()
                .contains("Other.GetThing")
        );
        let bare = headers(&[("x-amz-target", "GetThing")]);
        assert!(
            wrong(&Method::POST, "/", &bare)
                .message()
                .contains("JsonRpc10.<Operation>")
        );
        // A prefix of the service's name is another service; text after
        // the operation (a space, more dots) stays part of its name.
        let prefix = headers(&[("x-amz-target", "JsonRpc1.GetThing")]);
        assert!(
            wrong(&Method::POST, "/", &prefix)
                .message()
                .contains("JsonRpc1.GetThing")
        );
        let spaced = headers(&[("x-amz-target", "JsonRpc10.Get Thing")]);
        assert_eq!(
            target(&Method::POST, "/", &spaced, "JsonRpc10"),
            Ok("Get Thing")
        );
        let dotted = headers(&[("x-amz-target", "JsonRpc10.Get.Thing")]);
        assert_eq!(
            target(&Method::POST, "/", &dotted, "JsonRpc10"),
            Ok("Get.Thing")
        );
        let mut binary = HeaderMap::new();
        binary.insert(
            "x-amz-target",
            http::HeaderValue::from_bytes(b"JsonRpc10.Get\xffThing").unwrap(),
        );
        assert!(
            wrong(&Method::POST, "/", &binary)
                .message()
                .contains("not visible ASCII")
        );
        let twice = headers(&[
            ("x-amz-target", "JsonRpc10.A"),
            ("x-amz-target", "JsonRpc10.B"),
        ]);
        assert!(
            wrong(&Method::POST, "/", &twice)
                .message()
                .contains("more than one")
        );
        let r = UnknownOperation::named("Nope").into_response(Version::V1_0);
        assert_eq!(r.status(), 400);
        assert_eq!(
            r.body().as_ref(),
            br#"{"__type":"UnknownOperationException","message":"the service has no operation `Nope`"}"#
        );
    }

    #[test]
    fn content_types() {
        let ok = headers(&[("content-type", "application/x-amz-json-1.1; charset=utf-8")]);
        assert!(check_content_type(Version::V1_1, &ok).is_ok());
        assert!(check_content_type(Version::V1_0, &ok).is_err());
        assert!(matches!(
            check_content_type(Version::V1_0, &HeaderMap::new()),
            Err(Rejection::UnsupportedMediaType(m)) if m.contains("no Content-Type")
        ));
        let json = headers(&[("content-type", "application/json")]);
        assert!(check_content_type(Version::V1_1, &json).is_err());
    }

    #[test]
    fn errors_put_their_type_first() {
        let r = error_response(
            Version::V1_1,
            400,
            "Bad",
            &serde_json::json!({"Message": "m"}),
        );
        assert_eq!(r.status(), 400);
        assert_eq!(r.headers()[CONTENT_TYPE], "application/x-amz-json-1.1");
        assert_eq!(r.body().as_ref(), br#"{"__type":"Bad","Message":"m"}"#);
        let r = error_response(Version::V1_0, 500, "ns#E", &serde_json::json!({}));
        assert_eq!(r.body().as_ref(), br#"{"__type":"ns#E"}"#);
        let r = query_compatible_error_response(
            Version::V1_0,
            400,
            "ns#E",
            &serde_json::json!({}),
            "Customized",
            true,
        );
        assert_eq!(r.headers()[QUERY_ERROR_HEADER], "Customized;Sender");
        let r = rejection_response(Version::V1_0, Rejection::serialization("bad"));
        assert_eq!(r.status(), 400);
        assert_eq!(
            r.body().as_ref(),
            br#"{"__type":"SerializationException","message":"bad"}"#
        );
        let r = empty_response(Version::V1_0);
        assert!(r.body().is_empty());
        assert_eq!(r.headers()[CONTENT_TYPE], "application/x-amz-json-1.0");
    }
}
