//! Values of HTTP headers bound with Smithy's `httpHeader` trait, as every
//! HTTP-binding protocol (restJson1, restXml) writes them: lists are
//! comma-separated with optional double quotes, timestamps default to
//! `http-date` (whose own comma is not a separator), blobs and `mediaType`
//! strings are base64. Body formats are not here: this is the part of the
//! wire that does not depend on JSON.
//!
//! Scalars in headers are parsed with [`crate::number::ParseStrict`] and the
//! [`DateTime`] text formats; a header sent several times is one list,
//! the values joined with `", "` (RFC 9110 §5.3) before splitting.

use crate::number::ParseStrict;
use crate::{Blob, DateTime};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::fmt;

/// Why a header value could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderError(String);

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HeaderError {}

/// Splits a list header into its items: commas separate items, whitespace
/// around an item is dropped, and an item in double quotes keeps its commas
/// and spaces, with `\"` and `\\` unescaped inside the quotes.
/// `"b,c", "\"def\"", a` is `["b,c", "\"def\"", "a"]`; an empty (or blank)
/// value is the empty list. An unterminated quote or text after a closing
/// quote is an error. Not for `http-date` lists: see [`split_http_dates`].
pub fn split_list(value: &str) -> Result<Vec<String>, HeaderError> {
    let mut items = Vec::new();
    if value.trim().is_empty() {
        return Ok(items);
    }
    let mut chars = value.chars().peekable();
    loop {
        while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
        let mut item = String::new();
        if chars.next_if_eq(&'"').is_some() {
            loop {
                match chars.next() {
                    Some('"') => break,
                    Some('\\') => match chars.next() {
                        Some(c) => item.push(c),
                        None => return Err(unterminated(value)),
                    },
                    Some(c) => item.push(c),
                    None => return Err(unterminated(value)),
                }
            }
            while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
            if !matches!(chars.peek(), Some(',') | None) {
                return Err(HeaderError(format!(
                    "header list `{value}` has text after a quoted item"
                )));
            }
        } else {
            while let Some(c) = chars.next_if(|c| *c != ',') {
                item.push(c);
            }
            item.truncate(item.trim_end_matches([' ', '\t']).len());
        }
        items.push(item);
        if chars.next().is_none() {
            return Ok(items);
        }
    }
}

fn unterminated(value: &str) -> HeaderError {
    HeaderError(format!("header list `{value}` has an unterminated quote"))
}

/// Splits a list header and parses each item strictly (numbers, booleans):
/// `1, 2, 3` is `[1, 2, 3]`. The error names the bad item.
pub fn parse_list<T: ParseStrict>(value: &str) -> Result<Vec<T>, HeaderError> {
    split_list(value)?
        .iter()
        .map(|item| T::parse_strict(item).map_err(|e| HeaderError(e.to_string())))
        .collect()
}

/// Writes a list header: items joined with `", "`; an item that is empty,
/// contains a comma or a double quote, or starts or ends with whitespace is
/// put in double quotes with `"` and `\` escaped. `["b,c", "\"def\"", "a"]`
/// is `"b,c", "\"def\"", a`.
pub fn join_list<I>(items: I) -> String
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let mut out = String::new();
    for (n, item) in items.into_iter().enumerate() {
        if n > 0 {
            out.push_str(", ");
        }
        let item = item.as_ref();
        let quote = item.is_empty()
            || item.contains([',', '"'])
            || item.starts_with([' ', '\t'])
            || item.ends_with([' ', '\t']);
        if quote {
            out.push('"');
            for c in item.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        } else {
            out.push_str(item);
        }
    }
    out
}

/// Splits and parses a list of `http-date` timestamps, where each date
/// holds one comma of its own:
/// `Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT` is two
/// dates. An empty value is the empty list.
pub fn split_http_dates(value: &str) -> Result<Vec<DateTime>, HeaderError> {
    if value.trim().is_empty() {
        return Ok(Vec::new());
    }
    let parts: Vec<&str> = value
        .split(',')
        .map(|p| p.trim_matches([' ', '\t']))
        .collect();
    if parts.len() % 2 != 0 {
        return Err(HeaderError(format!(
            "`{value}` is not a list of http-date timestamps"
        )));
    }
    parts
        .chunks(2)
        .map(|pair| {
            DateTime::parse_http_date(&format!("{}, {}", pair[0], pair[1]))
                .map_err(|e| HeaderError(e.to_string()))
        })
        .collect()
}

/// Writes a list of `http-date` timestamps, joined with `", "` and not
/// quoted: `Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT`.
pub fn join_http_dates<'a>(dates: impl IntoIterator<Item = &'a DateTime>) -> String {
    let dates: Vec<String> = dates.into_iter().map(DateTime::fmt_http_date).collect();
    dates.join(", ")
}

/// A blob in a header: standard base64 with padding.
pub fn encode_blob(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Reads a base64 blob header (standard alphabet, padded; `-_==` and
/// `YmxvYg=` are errors).
pub fn decode_blob(value: &str) -> Result<Blob, HeaderError> {
    STANDARD
        .decode(value)
        .map(Blob::new)
        .map_err(|e| HeaderError(format!("header value `{value}` is not valid base64: {e}")))
}

/// A string with the `mediaType` trait in a header: its UTF-8 bytes in
/// base64 (`true` is `dHJ1ZQ==`).
pub fn encode_media_type(value: &str) -> String {
    STANDARD.encode(value)
}

/// Reads a `mediaType` string header: base64 of UTF-8 text.
pub fn decode_media_type(value: &str) -> Result<String, HeaderError> {
    String::from_utf8(decode_blob(value)?.into_inner()).map_err(|_| {
        HeaderError(format!(
            "header value `{value}` is not base64 of UTF-8 text"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_lists_of_the_protocol_tests() {
        // RestJsonInputAndOutputWithStringHeaders.
        assert_eq!(split_list("a, b, c").unwrap(), ["a", "b", "c"]);
        assert_eq!(join_list(["a", "b", "c"]), "a, b, c");
        // RestJsonInputAndOutputWithQuotedStringHeaders.
        let quoted = r#""b,c", "\"def\"", a"#;
        assert_eq!(split_list(quoted).unwrap(), ["b,c", "\"def\"", "a"]);
        assert_eq!(join_list(["b,c", "\"def\"", "a"]), quoted);
        // RestJsonInputAndOutputWithEnumHeaders.
        assert_eq!(split_list("Foo, Bar, Baz").unwrap(), ["Foo", "Bar", "Baz"]);
        // RestJsonNullAndEmptyHeaders: an empty list is an empty value.
        assert_eq!(split_list("").unwrap(), Vec::<String>::new());
        assert_eq!(join_list(Vec::<String>::new()), "");
    }

    #[test]
    fn quoting_edge_cases_round_trip() {
        for items in [
            vec![" padded ", "back\\slash\"", "", "tab\t"],
            vec!["a b", "x,y,z"],
            vec![""],
        ] {
            let header = join_list(&items);
            assert_eq!(split_list(&header).unwrap(), items, "{header}");
        }
        assert_eq!(join_list([" x"]), r#"" x""#);
        assert_eq!(split_list("a,,b").unwrap(), ["a", "", "b"]);
        assert_eq!(split_list(" a ,\tb").unwrap(), ["a", "b"]);
        assert_eq!(split_list(r#""a"  , b"#).unwrap(), ["a", "b"]);
        assert!(
            split_list(r#""abc"#)
                .unwrap_err()
                .to_string()
                .contains("unterminated")
        );
        assert!(split_list(r#""a\"#).is_err());
        assert!(
            split_list(r#""a"b, c"#)
                .unwrap_err()
                .to_string()
                .contains("after a quoted")
        );
    }

    #[test]
    fn scalar_lists() {
        // RestJsonInputAndOutputWithNumericHeaders / BooleanHeaders / IntEnumHeaders.
        assert_eq!(parse_list::<i32>("1, 2, 3").unwrap(), [1, 2, 3]);
        assert_eq!(
            parse_list::<bool>("true, false, true").unwrap(),
            [true, false, true]
        );
        let e = parse_list::<i32>("1, 2ABC").unwrap_err();
        assert_eq!(e.to_string(), "`2ABC` is not an integer");
        assert!(parse_list::<bool>("true, True").is_err());
    }

    #[test]
    fn http_date_lists() {
        // RestJsonInputAndOutputWithTimestampHeaders.
        let t = DateTime::from_secs(1_576_540_098);
        let header = "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT";
        assert_eq!(split_http_dates(header).unwrap(), [t, t]);
        assert_eq!(join_http_dates(&[t, t]), header);
        let two = "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT";
        assert_eq!(
            split_http_dates(two).unwrap(),
            [t, DateTime::from_secs(1_576_540_098 + 86_400)]
        );
        assert_eq!(split_http_dates("").unwrap(), []);
        assert!(split_http_dates("Mon, 16 Dec 2019 23:48:18 GMT, Mon").is_err());
        assert!(split_http_dates("1576540098, 1576540098").is_err());
    }

    #[test]
    fn blobs_and_media_types() {
        // MediaTypeHeaderInputBase64 / MediaTypeHeaderOutputBase64.
        assert_eq!(encode_media_type("true"), "dHJ1ZQ==");
        assert_eq!(decode_media_type("dHJ1ZQ==").unwrap(), "true");
        // RestJsonHeaderMalformedStringInvalidBase64MediaType.
        for bad in ["xyz", "YmxvYg=", "[][]", "-_=="] {
            let e = decode_media_type(bad).unwrap_err();
            assert!(e.to_string().contains("not valid base64"), "{bad}: {e}");
        }
        assert!(
            decode_media_type("/w==")
                .unwrap_err()
                .to_string()
                .contains("UTF-8")
        );
        assert_eq!(encode_blob(b"blob"), "YmxvYg==");
        assert_eq!(decode_blob("YmxvYg==").unwrap().as_bytes(), b"blob");
    }
}
