//! Responses: JSON bodies, empty bodies, and errors named by
//! `X-Amzn-Errortype`.

use super::ERROR_TYPE_HEADER;
use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{Response, StatusCode};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::Rejection;

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
}
