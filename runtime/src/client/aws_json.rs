//! awsJson1_0 and awsJson1_1 requests: `POST /` with the operation in
//! `X-Amz-Target`, the body always a JSON object of the protocol's media
//! type (`{}` for an operation without input or with nothing set).
//!
//! The generated writer puts the input's members into the body as for any
//! JSON body (the awsJson lowering made every member a body member under
//! its own name), then [`finish`] makes the request awsJson's. Responses
//! read as restJson1's do: a JSON body, and an error type from
//! `X-Amzn-Errortype`, `code` or `__type`, sanitized the same way
//! ([`super::rest_json::read_error`]).

use super::Request;
use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};

/// The request header that names the operation.
pub const TARGET_HEADER: HeaderName = HeaderName::from_static("x-amz-target");

/// The request header a client of an `@awsQueryCompatible` service sends.
pub const QUERY_MODE_HEADER: HeaderName = HeaderName::from_static("x-amzn-query-mode");

/// Makes `request` an awsJson request: `media_type` (the protocol's),
/// `X-Amz-Target: target` (`{Service}.{Operation}`), `{}` for an empty
/// body, and `x-amzn-query-mode: true` for an `@awsQueryCompatible`
/// service.
pub fn finish(
    request: &mut Request,
    media_type: &'static str,
    target: &'static str,
    query_compatible: bool,
) {
    if request.body.is_empty() {
        request.body = Bytes::from_static(b"{}");
    }
    request
        .headers
        .insert(CONTENT_TYPE, HeaderValue::from_static(media_type));
    request
        .headers
        .insert(TARGET_HEADER, HeaderValue::from_static(target));
    if query_compatible {
        request
            .headers
            .insert(QUERY_MODE_HEADER, HeaderValue::from_static("true"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests() {
        let mut r = Request::new(http::Method::POST, "/".into());
        finish(&mut r, "application/x-amz-json-1.0", "Svc.Op", false);
        assert_eq!(r.body.as_ref(), b"{}");
        assert_eq!(r.headers[CONTENT_TYPE], "application/x-amz-json-1.0");
        assert_eq!(r.headers["x-amz-target"], "Svc.Op");
        assert!(r.headers.get("x-amzn-query-mode").is_none());
        let mut r = Request::new(http::Method::POST, "/".into());
        r.body = Bytes::from_static(br#"{"a":1}"#);
        r.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        finish(&mut r, "application/x-amz-json-1.1", "Svc.Op", true);
        assert_eq!(r.body.as_ref(), br#"{"a":1}"#);
        assert_eq!(r.headers[CONTENT_TYPE], "application/x-amz-json-1.1");
        assert_eq!(r.headers["x-amzn-query-mode"], "true");
    }
}
