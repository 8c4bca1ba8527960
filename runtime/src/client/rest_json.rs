//! restJson1 on the client side: writing a request's URI, query string,
//! headers and body from an input, and reading a response's headers, body
//! and error type. The mirror image of [`crate::server`] and
//! [`crate::bindings`]; the text forms of header values are shared with
//! them ([`crate::http_bindings`]).

use super::error::{BuildError, Error, ResponseError, ResponseMeta, ServiceError};
use crate::datetime::TimestampFormat;
use crate::number::ParseStrict;
use crate::{Blob, DateTime};
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};

/// Percent-encodes `s` for a URI: everything but RFC 3986's unreserved
/// characters (and `/` when `keep_slash`).
pub fn percent_encode(s: &str, keep_slash: bool, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            b'/' if keep_slash => out.push('/'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
}

/// Appends a URI label's value to `path`: percent-encoded, with `/` kept
/// for a greedy label. An empty value (or, for a greedy label, one with
/// an empty segment) cannot be sent.
pub fn push_label(
    path: &mut String,
    value: &str,
    member: &str,
    greedy: bool,
) -> Result<(), BuildError> {
    if value.is_empty() {
        return Err(BuildError::empty_label(member));
    }
    if greedy && value.trim_start_matches('/').split('/').any(str::is_empty) {
        return Err(BuildError::new(format!(
            "`{member}` is bound to a greedy URI label and must not have an empty path segment (`{value}`)"
        )));
    }
    percent_encode(
        if greedy {
            value.trim_start_matches('/')
        } else {
            value
        },
        greedy,
        path,
    );
    Ok(())
}

/// Writes a query string: the route's literals first, then bound
/// parameters, each name and value percent-encoded.
#[derive(Debug, Default)]
pub struct QueryWriter {
    out: String,
}

impl QueryWriter {
    /// A query holding `literal` (the route's own `a=b&c`, as written).
    pub fn new(literal: &str) -> Self {
        QueryWriter {
            out: literal.to_owned(),
        }
    }

    /// Adds `name=value`.
    pub fn push(&mut self, name: &str, value: &str) {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        percent_encode(name, false, &mut self.out);
        self.out.push('=');
        percent_encode(value, false, &mut self.out);
    }

    /// Appends the query (with its `?`) to `path`, when there is one.
    pub fn finish(self, path: &mut String) {
        if !self.out.is_empty() {
            path.push('?');
            path.push_str(&self.out);
        }
    }
}

/// Sets header `name` to `value`; a value that cannot be a header
/// (control characters) is an error naming the member.
pub fn set_header(
    headers: &mut HeaderMap,
    name: &str,
    value: &str,
    member: &str,
) -> Result<(), BuildError> {
    let n = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        BuildError::new(format!(
            "`{name}` is not a valid header name (member `{member}`)"
        ))
    })?;
    let v = HeaderValue::from_str(value).map_err(|_| {
        BuildError::new(format!(
            "`{member}` is bound to header `{name}` and its value has characters a header cannot carry"
        ))
    })?;
    headers.insert(n, v);
    Ok(())
}

/// Sets a list header: items quoted where needed and joined with `", "`;
/// HTTP dates are never quoted. An empty list is an empty header
/// (RestJsonNullAndEmptyHeaders).
pub fn set_header_list(
    headers: &mut HeaderMap,
    name: &str,
    items: impl IntoIterator<Item = String>,
    http_date: bool,
    member: &str,
) -> Result<(), BuildError> {
    let items: Vec<String> = items.into_iter().collect();
    let value = if http_date {
        items.join(", ")
    } else {
        crate::http_bindings::join_list(&items)
    };
    set_header(headers, name, &value, member)
}

/// A JSON body: `value` serialized, with its `Content-Type`.
pub fn json_body<T: serde::Serialize + ?Sized>(
    headers: &mut HeaderMap,
    value: &T,
) -> Result<Bytes, BuildError> {
    let body = serde_json::to_vec(value)
        .map_err(|e| BuildError::new(format!("the body could not be serialized: {e}")))?;
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(Bytes::from(body))
}

/// A payload body with its `Content-Type` (unless the input set one in a
/// bound header).
pub fn payload_body(headers: &mut HeaderMap, content_type: &str, body: Bytes) -> Bytes {
    if !headers.contains_key(http::header::CONTENT_TYPE) {
        if let Ok(v) = HeaderValue::from_str(content_type) {
            headers.insert(http::header::CONTENT_TYPE, v);
        }
    }
    body
}

// ---------------------------------------------------------------- responses

/// Whether `response` is a success (2xx); anything else is read as an
/// error.
pub fn is_success<B>(response: &http::Response<B>) -> bool {
    response.status().is_success()
}

/// A response that could not be read as `what`, because of `source`.
pub fn unreadable(
    response: &http::Response<Bytes>,
    what: impl Into<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
) -> ResponseError {
    ResponseError::new(
        ResponseMeta::of(response),
        response.body().clone(),
        what,
        source,
    )
}

/// The error type of an error response, as restJson1 reads it: the
/// `X-Amzn-Errortype` header, else the body's `code`, else its `__type`;
/// anything from the first `:` on is dropped, and so is a namespace
/// (everything up to the last `#`).
pub fn error_code(response: &http::Response<Bytes>) -> Option<String> {
    let header = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let raw = header.or_else(|| {
        let body: serde_json::Value = serde_json::from_slice(response.body()).ok()?;
        ["code", "__type"]
            .iter()
            .find_map(|k| body.get(*k).and_then(|v| v.as_str()).map(str::to_owned))
    })?;
    let code = sanitize_error_code(&raw);
    (!code.is_empty()).then(|| code.to_owned())
}

/// `aws.protocoltests.restjson#FooError:http://internal.amazon.com/...` is
/// `FooError`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or("");
    let name = before_colon.rsplit('#').next().unwrap_or("");
    name.trim()
}

/// The message of an error body (`message` or `Message`), when it has one.
fn error_message(body: &[u8]) -> Option<String> {
    let body: serde_json::Value = serde_json::from_slice(body).ok()?;
    ["message", "Message", "errorMessage"]
        .iter()
        .find_map(|k| body.get(*k).and_then(|v| v.as_str()).map(str::to_owned))
}

/// Reads an error response: `modeled` is given the error type and the
/// response and returns the operation's error when it models that type;
/// anything else is a [`ServiceError`].
pub fn read_error<E>(
    response: http::Response<Bytes>,
    modeled: impl FnOnce(&str, &http::Response<Bytes>) -> Option<Result<E, ResponseError>>,
) -> Error<E> {
    let meta = ResponseMeta::of(&response);
    let code = error_code(&response);
    if let Some(code) = &code {
        match modeled(code, &response) {
            Some(Ok(e)) => return Error::Modeled(e, meta),
            Some(Err(e)) => return Error::Response(e),
            None => {}
        }
    }
    Error::Service(ServiceError {
        code,
        message: error_message(response.body()),
        meta,
    })
}

/// The JSON body of `response` as a `T`; an empty body is `{}`.
pub fn read_json<T: serde::de::DeserializeOwned>(
    response: &http::Response<Bytes>,
) -> Result<T, ResponseError> {
    let body = response.body();
    let result = crate::datetime::with_utc_offsets(|| {
        if body.iter().all(u8::is_ascii_whitespace) {
            serde_json::from_slice(b"{}")
        } else {
            crate::from_json_slice(body)
        }
    });
    result.map_err(|e| {
        unreadable(
            response,
            format!("the JSON body is not what the model describes: {e}"),
            Some(Box::new(e)),
        )
    })
}

/// The JSON payload of `response` as a `T`; an empty body is `None`.
pub fn read_json_payload<T: serde::de::DeserializeOwned>(
    response: &http::Response<Bytes>,
) -> Result<Option<T>, ResponseError> {
    if response.body().is_empty() {
        return Ok(None);
    }
    read_json(response).map(Some)
}

/// The body of `response` as text; an empty body is `None`.
pub fn read_text_payload(
    response: &http::Response<Bytes>,
) -> Result<Option<String>, ResponseError> {
    if response.body().is_empty() {
        return Ok(None);
    }
    String::from_utf8(response.body().to_vec())
        .map(Some)
        .map_err(|e| unreadable(response, "the payload is not UTF-8 text", Some(Box::new(e))))
}

/// The value of header `name`, when present (several are joined by `", "`).
pub fn header(
    response: &http::Response<Bytes>,
    name: &str,
) -> Result<Option<String>, ResponseError> {
    let mut values = response.headers().get_all(name).iter().peekable();
    if values.peek().is_none() {
        return Ok(None);
    }
    let mut out = String::new();
    for (n, v) in values.enumerate() {
        let s = v
            .to_str()
            .map_err(|_| unreadable(response, format!("header `{name}` is not text"), None))?;
        if n > 0 {
            out.push_str(", ");
        }
        out.push_str(s);
    }
    Ok(Some(out))
}

/// Splits a list header's value into its items (see
/// [`crate::http_bindings::split_list`]); `http_date` lists split on
/// every second comma.
pub fn header_items(
    response: &http::Response<Bytes>,
    value: &str,
    http_date: bool,
    name: &str,
) -> Result<Vec<String>, ResponseError> {
    let bad = |e: crate::http_bindings::HeaderError| {
        unreadable(response, format!("header `{name}`: {e}"), Some(Box::new(e)))
    };
    if http_date {
        Ok(crate::http_bindings::split_http_dates(value)
            .map_err(bad)?
            .iter()
            .map(|d| d.fmt_http_date())
            .collect())
    } else {
        crate::http_bindings::split_list(value).map_err(bad)
    }
}

/// Headers whose names start with `prefix` (case-insensitively), the
/// prefix removed from each name.
pub fn prefix_headers(
    response: &http::Response<Bytes>,
    prefix: &str,
) -> Result<std::collections::BTreeMap<String, String>, ResponseError> {
    let prefix = prefix.to_ascii_lowercase();
    let mut out = std::collections::BTreeMap::new();
    for name in response.headers().keys() {
        if let Some(rest) = name.as_str().strip_prefix(prefix.as_str()) {
            if let Some(v) = header(response, name.as_str())? {
                out.insert(rest.to_owned(), v);
            }
        }
    }
    Ok(out)
}

/// Parses header text as a `T`.
pub fn parse<T: ParseStrict>(
    response: &http::Response<Bytes>,
    s: &str,
    name: &str,
) -> Result<T, ResponseError> {
    T::parse_strict(s)
        .map_err(|e| unreadable(response, format!("header `{name}` (`{s}`): {e}"), None))
}

/// Parses header text as a timestamp in `format`.
pub fn parse_timestamp(
    response: &http::Response<Bytes>,
    s: &str,
    format: TimestampFormat,
    name: &str,
) -> Result<DateTime, ResponseError> {
    crate::datetime::with_utc_offsets(|| format.parse(s))
        .map_err(|e| unreadable(response, format!("header `{name}`: {e}"), Some(Box::new(e))))
}

/// Parses header text as a base64 blob.
pub fn parse_blob(
    response: &http::Response<Bytes>,
    s: &str,
    name: &str,
) -> Result<Blob, ResponseError> {
    crate::http_bindings::decode_blob(s)
        .map_err(|e| unreadable(response, format!("header `{name}`: {e}"), Some(Box::new(e))))
}

/// Parses header text as a base64 `mediaType` string.
pub fn parse_media_type_string(
    response: &http::Response<Bytes>,
    s: &str,
    name: &str,
) -> Result<String, ResponseError> {
    crate::http_bindings::decode_media_type(s)
        .map_err(|e| unreadable(response, format!("header `{name}`: {e}"), Some(Box::new(e))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_queries() {
        let mut p = String::from("/EscapedLabel/");
        push_label(&mut p, "%:/?#[]@!$&'()*+,;=😹", "m", false).unwrap();
        assert_eq!(
            p,
            "/EscapedLabel/%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9"
        );
        let mut g = String::from("/g/");
        push_label(&mut g, "there/guy", "m", true).unwrap();
        assert_eq!(g, "/g/there/guy");
        assert!(
            push_label(&mut g, "", "Arn", false)
                .unwrap_err()
                .message()
                .contains("`Arn`")
        );
        assert!(push_label(&mut g, "a//b", "Key", true).is_err());
        let mut q = QueryWriter::new("flag");
        q.push("a b", "c&d");
        let mut path = String::from("/x");
        q.finish(&mut path);
        assert_eq!(path, "/x?flag&a%20b=c%26d");
        let mut empty = String::from("/x");
        QueryWriter::new("").finish(&mut empty);
        assert_eq!(empty, "/x");
    }

    #[test]
    fn error_codes() {
        let r = |h: Option<&str>, body: &str| {
            let mut b = http::Response::builder().status(400);
            if let Some(h) = h {
                b = b.header("X-Amzn-Errortype", h);
            }
            b.body(Bytes::from(body.to_owned())).unwrap()
        };
        assert_eq!(
            error_code(&r(Some("FooError"), "{}")).as_deref(),
            Some("FooError")
        );
        assert_eq!(
            error_code(&r(
                Some("FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
                ""
            ))
            .as_deref(),
            Some("FooError")
        );
        assert_eq!(
            error_code(&r(
                None,
                r#"{"__type": "aws.protocoltests.restjson#FooError:http://x/"}"#
            ))
            .as_deref(),
            Some("FooError")
        );
        assert_eq!(
            error_code(&r(None, r#"{"code": "FooError", "__type": "Other"}"#)).as_deref(),
            Some("FooError")
        );
        assert_eq!(error_code(&r(None, "not json")), None);
        let e: Error<std::fmt::Error> =
            read_error(r(None, r#"{"__type":"X","message":"m"}"#), |_, _| None);
        match e {
            Error::Service(s) => {
                assert_eq!(s.code.as_deref(), Some("X"));
                assert_eq!(s.message.as_deref(), Some("m"));
                assert_eq!(s.meta.status, 400);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn header_reading() {
        let r = http::Response::builder()
            .header("x-list", "a, \"b,c\"")
            .header("x-list", "d")
            .header(
                "x-dates",
                "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT",
            )
            .header("x-foo-abc", "1")
            .header("X-Foo-Def", "2")
            .body(Bytes::new())
            .unwrap();
        let v = header(&r, "x-list").unwrap().unwrap();
        assert_eq!(
            header_items(&r, &v, false, "x-list").unwrap(),
            ["a", "b,c", "d"]
        );
        let d = header(&r, "x-dates").unwrap().unwrap();
        assert_eq!(header_items(&r, &d, true, "x-dates").unwrap().len(), 2);
        let p = prefix_headers(&r, "X-Foo-").unwrap();
        assert_eq!(p.get("abc").map(String::as_str), Some("1"));
        assert_eq!(p.get("def").map(String::as_str), Some("2"));
        assert!(parse::<i32>(&r, "x", "h").is_err());
        assert!(read_json::<serde_json::Value>(&r).unwrap().is_object());
    }
}
