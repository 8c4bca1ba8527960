//! What a request must be before its handler runs: protocol rejections,
//! content negotiation (`Content-Type`, `Accept`) and JSON bodies.

use super::{MAX_BODY_BYTES, RouteError, error_response};
use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use http::{HeaderMap, Response};

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
        let (status, error_type, message) = self.parts();
        error_response(
            status,
            error_type,
            &serde_json::json!({ "message": message }),
        )
    }

    /// The status, error type and message the rejection is answered with,
    /// in any protocol.
    pub fn parts(self) -> (u16, &'static str, String) {
        match self {
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
        }
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
    let essence = essence(value);
    essence.split_once('/').unwrap_or((essence, ""))
}

/// A media type without its parameters or surrounding whitespace.
fn essence(value: &str) -> &str {
    value.split(';').next().unwrap_or("").trim()
}

/// Whether a `Content-Type` value names `media` (`type/subtype`, in any
/// case), with or without parameters. A value of visible ASCII only, as
/// `HeaderValue::to_str` has it; the common exact value is told without
/// parsing.
pub(crate) fn is_media_type(value: &HeaderValue, media: &str) -> bool {
    value.as_bytes().eq_ignore_ascii_case(media.as_bytes())
        || value
            .to_str()
            .is_ok_and(|text| essence(text).eq_ignore_ascii_case(media))
}

/// A non-empty body must be declared as JSON (`application/json`, any
/// parameters).
pub fn check_content_type(headers: &HeaderMap, body: &[u8]) -> Result<(), Rejection> {
    if body.is_empty() {
        return Ok(());
    }
    let json = headers
        .get(CONTENT_TYPE)
        .is_some_and(|v| is_media_type(v, "application/json"));
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
    crate::from_json_slice(body)
        .map_err(|e| Rejection::serialization(format!("invalid request body: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_ignore_case_parameters_and_spaces() {
        let is = |v: &[u8], media| is_media_type(&HeaderValue::from_bytes(v).unwrap(), media);
        assert!(is(b"application/json", "application/json"));
        assert!(is(b"Application/JSON", "application/json"));
        assert!(is(b" application/json ; charset=utf-8", "application/json"));
        assert!(is(
            b"application/x-amz-json-1.1",
            "application/x-amz-json-1.1"
        ));
        assert!(!is(b"application/json-seq", "application/json"));
        assert!(!is(b"application/jso", "application/json"));
        assert!(!is(b"text/plain", "application/json"));
        assert!(!is(b"application / json", "application/json"));
        // Not visible ASCII, even in a parameter: not a media type we read.
        assert!(!is(b"application/json; x=\xff", "application/json"));
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
}
