//! Runtime support for Rust code generated from Smithy models.
//!
//! Generated crates stay thin: everything that is the same for every model
//! (timestamp and blob encodings, the catch-all of open enums, union
//! deserialization, redaction of sensitive values) lives here, written once
//! and tested here.
//!
//! # Features
//!
//! - `server`: the restJson1 server bindings (modules [`server`], [`bindings`],
//!   [`http_bindings`]) and their dependencies (`http`, `http-body`,
//!   `tower-service`). Without it the runtime is protocol-neutral: types, JSON
//!   adapters and validation, depending on `serde`, `serde_json`, `base64`
//!   and `bytes` only.
//! - `regex`, `fancy-regex`: run-time matching of patterns the generator
//!   could not compile into a DFA (see [`validation::Pattern`]).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod big;
#[cfg(feature = "server")]
pub mod bindings;
mod blob;
#[cfg(feature = "client")]
pub mod client;
pub mod datetime;
mod document;
#[cfg(feature = "endpoint")]
pub mod endpoint;
mod enums;
#[cfg(any(feature = "server", feature = "client"))]
pub mod http_bindings;
pub mod nested;
pub mod number;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "sigv4")]
pub mod sigv4;
mod stream;
pub mod union;
pub mod validation;

pub use big::{BigDecimal, BigInteger};
pub use blob::Blob;
pub use datetime::{DateTime, DateTimeError};
pub use document::Document;
pub use enums::UnknownVariantValue;
/// The `http` crate, for the generated code of either side.
#[cfg(any(feature = "server", feature = "client"))]
pub use http;
pub use stream::ByteStream;

/// A document written in the model (a `default`), from its JSON text, which
/// the generator has already parsed: it cannot fail.
#[doc(hidden)]
pub fn document_literal(json: &str) -> Document {
    Document::from_json(json).unwrap_or(Document::Null)
}

/// What `Debug` prints in place of a value marked `@sensitive`.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Re-exports that generated code refers to by absolute path, so that a
/// generated crate needs no direct dependency on them beyond `serde`.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use serde_json;
}

/// Prints [`REDACTED`] (without quotes) in `Debug` output, in place of a
/// sensitive value.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Reads `T` from JSON text in `bytes`. The text is checked to be UTF-8
/// once, as a whole (the standard library checks ASCII a word at a time),
/// instead of string by string as `serde_json::from_slice` does: the same
/// inputs are accepted, at a fraction of the cost for bodies of many
/// strings.
#[cfg(any(feature = "server", feature = "client"))]
pub(crate) fn from_json_slice<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
) -> serde_json::Result<T> {
    match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(e) => Err(serde::de::Error::custom(format_args!(
            "the JSON text is not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))),
    }
}

/// Deserializes a string, borrowing from the input when it can (used by
/// generated enums, which map the string to a variant).
pub fn deserialize_str<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<std::borrow::Cow<'de, str>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = std::borrow::Cow<'de, str>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Borrowed(v))
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Owned(v.to_owned()))
        }
        fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Owned(v))
        }
    }
    deserializer.deserialize_str(V)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacted_debug() {
        assert_eq!(format!("{:?}", Redacted), "*** Sensitive Data Redacted ***");
        assert_eq!(
            format!("{:?}", Some(Redacted)),
            "Some(*** Sensitive Data Redacted ***)"
        );
    }

    #[cfg(any(feature = "server", feature = "client"))]
    #[test]
    fn json_text_must_be_utf8_as_a_whole() {
        let v: serde_json::Value =
            from_json_slice(b"{\"a\":\"\\u00e9\",\"b\":\"\xc3\xa9\"}").unwrap();
        assert_eq!(v["a"], "\u{e9}");
        assert_eq!(v["b"], "\u{e9}");
        let e = from_json_slice::<serde_json::Value>(b"{\"a\":\"\xff\"}").unwrap_err();
        assert!(
            e.to_string()
                .contains("not UTF-8 (invalid byte at offset 6)"),
            "{e}"
        );
        // Outside a string too: JSON text is UTF-8 throughout.
        assert!(from_json_slice::<serde_json::Value>(b"{} \xff").is_err());
        assert!(from_json_slice::<serde_json::Value>(b"{\"a\":1,}").is_err());
    }

    #[test]
    fn deserialize_str_borrows_and_unescapes() {
        let mut de = serde_json::Deserializer::from_str("\"plain\"");
        assert!(matches!(
            deserialize_str(&mut de).unwrap(),
            std::borrow::Cow::Borrowed("plain")
        ));
        let mut de = serde_json::Deserializer::from_str("\"a\\u00e9\"");
        assert_eq!(deserialize_str(&mut de).unwrap(), "aé");
        let mut de = serde_json::Deserializer::from_str("1");
        assert!(deserialize_str(&mut de).is_err());
    }
}
