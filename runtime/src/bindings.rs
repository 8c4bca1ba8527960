//! Smithy's HTTP binding traits on the server side: reading members bound
//! to headers, prefixed headers, the query and the payload out of a request,
//! and writing output members into response headers and payloads.
//!
//! These are the rules of the HTTP binding traits (`httpHeader`,
//! `httpPrefixHeaders`, `httpQueryParams`, `httpPayload`,
//! `httpResponseCode`), which restJson1 follows; the JSON body itself is in
//! [`crate::server`]. Every failure is a [`Rejection`] naming the member.

use crate::datetime::TimestampFormat;
use crate::number::ParseStrict;
use crate::server::Rejection;
use crate::{Blob, DateTime};
use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use std::collections::BTreeMap;

fn bad(member: &str, what: impl std::fmt::Display) -> Rejection {
    Rejection::serialization(format!("{member}: {what}"))
}

/// The value of header `name`: its lines joined with `, ` as HTTP allows,
/// or `None` when absent. A value that is not visible ASCII/UTF-8 is a 400.
pub fn header(headers: &HeaderMap, name: &str, member: &str) -> Result<Option<String>, Rejection> {
    let mut out: Option<String> = None;
    for v in headers.get_all(name) {
        let v = v
            .to_str()
            .map_err(|_| bad(member, format!("header `{name}` is not valid text")))?;
        match &mut out {
            None => out = Some(v.to_owned()),
            Some(o) => {
                o.push_str(", ");
                o.push_str(v);
            }
        }
    }
    Ok(out)
}

/// The items of a list header: every line, split on commas outside double
/// quotes, each trimmed and unquoted (`\"` and `\\` unescaped). HTTP dates
/// contain a comma of their own, so with `http_date` the pieces are paired.
pub fn header_list(
    headers: &HeaderMap,
    name: &str,
    http_date: bool,
    member: &str,
) -> Result<Option<Vec<String>>, Rejection> {
    let Some(value) = header(headers, name, member)? else {
        return Ok(None);
    };
    let items = crate::http_bindings::split_list(&value).map_err(|e| bad(member, e))?;
    if !http_date {
        return Ok(Some(items));
    }
    if items.len() % 2 != 0 {
        return Err(bad(
            member,
            format!("header `{name}` is not a list of HTTP dates"),
        ));
    }
    Ok(Some(
        items
            .chunks(2)
            .map(|p| format!("{}, {}", p[0], p[1]))
            .collect(),
    ))
}

/// A scalar parsed strictly from header, query or label text.
pub fn parse<T: ParseStrict>(s: &str, member: &str) -> Result<T, Rejection> {
    T::parse_strict(s).map_err(|e| bad(member, e))
}

/// A timestamp from header, query or label text in `format`.
pub fn parse_timestamp(
    s: &str,
    format: TimestampFormat,
    member: &str,
) -> Result<DateTime, Rejection> {
    format.parse(s).map_err(|e| bad(member, e))
}

/// A blob from a header: base64.
pub fn parse_blob(s: &str, member: &str) -> Result<Blob, Rejection> {
    crate::http_bindings::decode_blob(s).map_err(|e| bad(member, e))
}

/// A string with a `mediaType` from a header: base64 of its text.
pub fn parse_media_type_string(s: &str, member: &str) -> Result<String, Rejection> {
    crate::http_bindings::decode_media_type(s).map_err(|e| bad(member, e))
}

/// Every header whose name starts with `prefix` (case-insensitively), keyed
/// by the rest of its name.
pub fn prefix_headers(
    headers: &HeaderMap,
    prefix: &str,
    member: &str,
) -> Result<Option<BTreeMap<String, String>>, Rejection> {
    let prefix = prefix.to_ascii_lowercase();
    let mut out = BTreeMap::new();
    for name in headers.keys() {
        if let Some(rest) = name.as_str().strip_prefix(&prefix) {
            if let Some(v) = header(headers, name.as_str(), member)? {
                out.insert(rest.to_owned(), v);
            }
        }
    }
    Ok((!out.is_empty()).then_some(out))
}

/// The query parameters but those named in `bound` (the route's literals),
/// each with all its values in order.
pub fn query_params<'q>(
    pairs: impl Iterator<Item = (&'q str, &'q str)>,
    bound: &[&str],
) -> Option<BTreeMap<String, Vec<String>>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in pairs {
        if !bound.contains(&k) {
            out.entry(k.to_owned()).or_default().push(v.to_owned());
        }
    }
    (!out.is_empty()).then_some(out)
}

fn media_type_of(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    Some(
        v.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}

/// A payload must be sent with the media type its member declares (any
/// `Content-Type` parameters allowed); an empty payload may omit it.
pub fn check_payload_type(
    headers: &HeaderMap,
    body: &[u8],
    expected: &str,
) -> Result<(), Rejection> {
    match media_type_of(headers) {
        None if body.is_empty() => Ok(()),
        Some(t)
            if t == expected.to_ascii_lowercase()
                || expected.ends_with("/*") && t.starts_with(expected.trim_end_matches('*')) =>
        {
            Ok(())
        }
        None if expected == "application/octet-stream" => Ok(()),
        _ => Err(Rejection::UnsupportedMediaType(format!(
            "the payload must be sent as {expected}, not {}",
            crate::server::content_type_text(headers)
        ))),
    }
}

/// A blob payload; an empty body is an absent member.
pub fn blob_payload(body: &Bytes) -> Option<Blob> {
    (!body.is_empty()).then(|| Blob::new(body.to_vec()))
}

/// A string payload, which must be UTF-8; an empty body is absent.
pub fn string_payload(body: &Bytes, member: &str) -> Result<Option<String>, Rejection> {
    if body.is_empty() {
        return Ok(None);
    }
    String::from_utf8(body.to_vec())
        .map(Some)
        .map_err(|_| bad(member, "the payload is not UTF-8 text"))
}

/// A structure, union or document payload: JSON; an empty body is absent.
pub fn json_payload<T: serde::de::DeserializeOwned>(
    body: &Bytes,
    member: &str,
) -> Result<Option<T>, Rejection> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    crate::from_json_slice(body)
        .map(Some)
        .map_err(|e| bad(member, format!("invalid payload: {e}")))
}

/// A request whose body arrived gzip-compressed (`Content-Encoding` ending
/// in `gzip`, as clients of a `@requestCompression` operation send it),
/// with the body decompressed (at most [`crate::server::MAX_BODY_BYTES`])
/// and `gzip` taken off `Content-Encoding`; `None` when the body is not
/// gzip-compressed. A body that does not decompress is a 400.
pub fn decompress(
    request: &http::Request<Bytes>,
) -> Result<Option<http::Request<Bytes>>, Rejection> {
    use std::io::Read as _;
    let Some(encoding) = request
        .headers()
        .get(http::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(None);
    };
    let mut codings: Vec<&str> = encoding
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    if !codings
        .last()
        .is_some_and(|c| c.eq_ignore_ascii_case("gzip"))
    {
        return Ok(None);
    }
    codings.pop();
    let limit = crate::server::MAX_BODY_BYTES as u64;
    let mut body = Vec::new();
    flate2::read::GzDecoder::new(request.body().as_ref())
        .take(limit + 1)
        .read_to_end(&mut body)
        .map_err(|e| {
            Rejection::serialization(format!("the gzip-compressed body does not decompress: {e}"))
        })?;
    if body.len() as u64 > limit {
        return Err(Rejection::PayloadTooLarge);
    }
    let mut out = http::Request::new(Bytes::from(body));
    *out.method_mut() = request.method().clone();
    *out.uri_mut() = request.uri().clone();
    *out.headers_mut() = request.headers().clone();
    if codings.is_empty() {
        out.headers_mut().remove(http::header::CONTENT_ENCODING);
    } else if let Ok(v) = HeaderValue::from_str(&codings.join(", ")) {
        out.headers_mut().insert(http::header::CONTENT_ENCODING, v);
    }
    out.headers_mut().remove(http::header::CONTENT_LENGTH);
    Ok(Some(out))
}

/// A structure payload: as [`json_payload`], and an empty object is an
/// absent member too, since that is how a client sends an unset structure
/// payload (RestJsonHttpWithEmptyStructurePayload).
pub fn structure_payload<T: serde::de::DeserializeOwned>(
    body: &Bytes,
    member: &str,
) -> Result<Option<T>, Rejection> {
    let empty_object = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body)
        .is_ok_and(|m| m.is_empty());
    if empty_object {
        return Ok(None);
    }
    json_payload(body, member)
}

// ---------------------------------------------------------------- responses

/// Sets header `name` to `value` (a value that isn't valid header text is
/// left out: it can only come from a handler's output).
pub fn set_header(headers: &mut HeaderMap, name: &str, value: &str) {
    if let (Ok(n), Ok(v)) = (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(value),
    ) {
        headers.insert(n, v);
    }
}

/// Sets a list header: the items, quoted where needed, joined with `, `.
/// HTTP dates are never quoted (their comma is part of the format).
pub fn set_header_list(
    headers: &mut HeaderMap,
    name: &str,
    items: impl IntoIterator<Item = String>,
    http_date: bool,
) {
    let items: Vec<String> = items.into_iter().collect();
    let value = if http_date {
        items.join(", ")
    } else {
        crate::http_bindings::join_list(&items)
    };
    set_header(headers, name, &value);
}

/// A timestamp as header text.
pub fn format_timestamp(t: &DateTime, format: TimestampFormat) -> String {
    format.format(t)
}

/// A blob as header text: base64.
pub fn format_blob(b: &Blob) -> String {
    crate::http_bindings::encode_blob(b.as_bytes())
}

/// A `mediaType` string as header text: base64 of the string.
pub fn format_media_type_string(s: &str) -> String {
    crate::http_bindings::encode_media_type(s)
}

/// A response with `body` as its payload, of media type `content_type`.
pub fn payload_response(status: u16, content_type: &str, body: Vec<u8>) -> http::Response<Bytes> {
    let mut response = http::Response::new(Bytes::from(body));
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    if let Ok(v) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(CONTENT_TYPE, v);
    }
    response
}

/// Replaces a response's status with the `httpResponseCode` member's value
/// (ignored when it is not a valid status code).
pub fn set_status(response: &mut http::Response<Bytes>, code: i32) {
    if let Some(s) = u16::try_from(code)
        .ok()
        .and_then(|c| http::StatusCode::from_u16(c).ok())
    {
        *response.status_mut() = s;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_numbers() {
        assert_eq!(parse::<i32>("1000", "M").unwrap(), 1000);
        assert_eq!(parse::<i32>("-5", "M").unwrap(), -5);
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
            assert!(parse::<i32>(bad, "M").is_err(), "{bad}");
        }
        assert_eq!(parse::<f64>("1.5e3", "F").unwrap(), 1500.0);
        assert!(parse::<f64>("NaN", "F").unwrap().is_nan());
        assert!(parse::<f64>("0x1", "F").is_err());
        assert!(parse::<f64>("inf", "F").is_err());
        assert!(parse::<bool>("true", "B").unwrap());
        assert!(parse::<bool>("True", "B").is_err());
    }

    #[test]
    fn list_headers_round_trip() {
        let mut h = HeaderMap::new();
        set_header_list(
            &mut h,
            "x-l",
            ["b,c".to_owned(), "\"def\"".to_owned(), "a".to_owned()],
            false,
        );
        assert_eq!(h["x-l"], r#""b,c", "\"def\"", a"#);
        let items = header_list(&h, "x-l", false, "l").unwrap().unwrap();
        assert_eq!(items, ["b,c", "\"def\"", "a"]);
    }

    #[test]
    fn gzip_bodies_are_decompressed() {
        use std::io::Write as _;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(br#"{"a":1}"#).unwrap();
        let compressed = gz.finish().unwrap();
        let request = http::Request::builder()
            .header("Content-Encoding", "custom, gzip")
            .body(Bytes::from(compressed))
            .unwrap();
        let out = decompress(&request).unwrap().expect("compressed");
        assert_eq!(out.body().as_ref(), br#"{"a":1}"#);
        assert_eq!(out.headers()["content-encoding"], "custom");
        let plain = http::Request::builder()
            .body(Bytes::from_static(b"{}"))
            .unwrap();
        assert!(decompress(&plain).unwrap().is_none());
        let broken = http::Request::builder()
            .header("Content-Encoding", "gzip")
            .body(Bytes::from_static(b"not gzip"))
            .unwrap();
        assert!(decompress(&broken).is_err());
    }

    #[test]
    fn pairs_http_dates() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-d",
            HeaderValue::from_static(
                "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT",
            ),
        );
        let v = header_list(&h, "x-d", true, "d").unwrap().unwrap();
        assert_eq!(
            v,
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Tue, 17 Dec 2019 23:48:18 GMT"
            ]
        );
    }

    #[test]
    fn prefix_headers_strip_the_prefix() {
        let mut h = HeaderMap::new();
        h.insert("x-foo-abc", HeaderValue::from_static("A"));
        h.insert("x-foo", HeaderValue::from_static("not prefixed"));
        let m = prefix_headers(&h, "X-Foo-", "m").unwrap().unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(m["abc"], "A");
    }
}
