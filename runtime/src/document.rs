//! Smithy's `document` type: an untyped JSON-like value.
//!
//! An own type rather than `serde_json::Value`, because `Value` turns a
//! number beyond `u64`/`i64` into an `f64` (`123456789012345678901234567890`
//! reads back as `1.2345678901234568e29`), and the one `serde_json` feature
//! that fixes it (`arbitrary_precision`) changes number handling for every
//! crate in a build. Here numbers are [`BigDecimal`]s: kept as written, so a
//! document in a body or payload round-trips exactly. Objects are
//! `BTreeMap`s (members in key order, like `serde_json::Map`).
//!
//! Reading a document uses `serde_json`'s `RawValue`, like [`BigDecimal`],
//! so it requires `serde_json` as the deserializer (`from_str`,
//! `from_slice`, `from_reader`). `From<serde_json::Value>` and
//! [`Document::to_value`] convert to and from `serde_json`.

use crate::BigDecimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// A Smithy `document`: null, a boolean, an exact number, a string, a list
/// or an object of documents.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Document {
    /// JSON `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, exactly as written.
    Number(BigDecimal),
    /// A string.
    String(String),
    /// A list of documents.
    Array(Vec<Document>),
    /// An object: member names to documents.
    Object(BTreeMap<String, Document>),
}

impl Document {
    /// Parses JSON text into a document, numbers exactly.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Converts to a `serde_json::Value` (numbers beyond `i64`/`u64` become
    /// the nearest `f64`; numbers out of `f64` range become `null`).
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Self::Null => Value::Null,
            Self::Bool(b) => Value::Bool(*b),
            Self::Number(n) => serde_json::from_str::<serde_json::Number>(n.as_str())
                .map(Value::Number)
                .unwrap_or_else(|_| {
                    serde_json::Number::from_f64(n.to_f64()).map_or(Value::Null, Value::Number)
                }),
            Self::String(s) => Value::String(s.clone()),
            Self::Array(items) => Value::Array(items.iter().map(Self::to_value).collect()),
            Self::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The member `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Document> {
        match self {
            Self::Object(members) => members.get(key),
            _ => None,
        }
    }

    /// Builds a document from the raw text of one JSON value.
    fn from_raw<E: serde::de::Error>(raw: &RawValue) -> Result<Self, E> {
        let text = raw.get().trim_start();
        let parsed = match text.as_bytes().first() {
            Some(b'{') => serde_json::from_str::<BTreeMap<String, Box<RawValue>>>(text).map(|m| {
                m.into_iter()
                    .map(|(k, v)| Ok((k, Self::from_raw(&v)?)))
                    .collect::<Result<_, E>>()
                    .map(Self::Object)
            }),
            Some(b'[') => serde_json::from_str::<Vec<Box<RawValue>>>(text).map(|items| {
                items
                    .iter()
                    .map(|v| Self::from_raw(v))
                    .collect::<Result<_, E>>()
                    .map(Self::Array)
            }),
            Some(b'"') => serde_json::from_str(text).map(|s| Ok(Self::String(s))),
            Some(b't' | b'f') => serde_json::from_str(text).map(|b| Ok(Self::Bool(b))),
            Some(b'n') => serde_json::from_str::<()>(text).map(|()| Ok(Self::Null)),
            _ => {
                return text.trim_end().parse().map(Self::Number).map_err(E::custom);
            }
        };
        parsed.map_err(E::custom)?
    }
}

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => serializer.serialize_unit(),
            Self::Bool(b) => serializer.serialize_bool(*b),
            Self::Number(n) => n.serialize(serializer),
            Self::String(s) => serializer.serialize_str(s),
            Self::Array(items) => serializer.collect_seq(items),
            Self::Object(members) => serializer.collect_map(members),
        }
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        Self::from_raw(&raw)
    }
}

impl From<serde_json::Value> for Document {
    fn from(v: serde_json::Value) -> Self {
        use serde_json::Value;
        match v {
            Value::Null => Self::Null,
            Value::Bool(b) => Self::Bool(b),
            Value::Number(n) => n.to_string().parse().map_or(Self::Null, Self::Number),
            Value::String(s) => Self::String(s),
            Value::Array(items) => Self::Array(items.into_iter().map(Self::from).collect()),
            Value::Object(members) => {
                Self::Object(members.into_iter().map(|(k, v)| (k, v.into())).collect())
            }
        }
    }
}

impl From<&str> for Document {
    fn from(s: &str) -> Self {
        Self::String(s.to_owned())
    }
}

impl From<String> for Document {
    fn from(s: String) -> Self {
        Self::String(s)
    }
}

impl From<bool> for Document {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}

impl From<i64> for Document {
    fn from(v: i64) -> Self {
        Self::Number(v.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_test_documents_round_trip() {
        // DocumentTypeInputWithObject, DocumentInputWithString/Number/
        // Boolean/List, DocumentTypeAsPayloadInputString,
        // DocumentTypeAsMapValueInput.
        for json in [
            r#"{"foo":"bar"}"#,
            r#""hello""#,
            "10",
            "true",
            "false",
            "null",
            r#"[true,"hi",[1,2],{"foo":{"baz":[3,4]}}]"#,
            r#"{"bar":["b","a","r"],"baz":"BAZ","foo":{"f":1,"o":2}}"#,
        ] {
            let d = Document::from_json(json).unwrap();
            assert_eq!(serde_json::to_string(&d).unwrap(), json);
        }
        let d = Document::from_json("{\n    \"foo\": \"bar\"\n}").unwrap();
        assert_eq!(d.get("foo").and_then(Document::as_str), Some("bar"));
    }

    #[test]
    fn numbers_stay_exact() {
        let json = r#"{"big":123456789012345678901234567890,"neg":-9223372036854775809,"pi":3.14159265358979323846264338327950288,"tiny":1e-400}"#;
        let d = Document::from_json(json).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), json);
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_ne!(v.to_string(), json, "serde_json::Value would lose digits");
        assert_eq!(
            Document::from_json("1.50").unwrap(),
            Document::from_json("1.5").unwrap()
        );
    }

    #[test]
    fn nested_in_structures_and_escapes() {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct S {
            #[serde(rename = "documentValue")]
            document_value: Option<Document>,
            #[serde(rename = "docValuedMap")]
            map: BTreeMap<String, Document>,
        }
        let json = r#"{"documentValue":{"a\"b":"\u00e9\n","n":[null,-0.5]},"docValuedMap":{"k":18446744073709551616}}"#;
        let s: S = serde_json::from_str(json).unwrap();
        let doc = s.document_value.as_ref().unwrap();
        assert_eq!(doc.get("a\"b").and_then(Document::as_str), Some("é\n"));
        let s2: S = serde_json::from_slice(serde_json::to_vec(&s).unwrap().as_slice()).unwrap();
        assert_eq!(s2.map["k"], s.map["k"]);
        assert_eq!(
            serde_json::to_string(&s2.map).unwrap(),
            r#"{"k":18446744073709551616}"#
        );
        let null: S = serde_json::from_str(r#"{"documentValue":null,"docValuedMap":{}}"#).unwrap();
        assert_eq!(null.document_value, None);
    }

    #[test]
    fn conversions_and_bad_json() {
        let v = serde_json::json!({"a": [1, 2.5, "x", null, true]});
        let d = Document::from(v.clone());
        assert_eq!(d.to_value(), v);
        assert!(Document::from_json("{").is_err());
        assert!(Document::from_json("[1,]").is_err());
        assert!(Document::from_json("NaN").is_err());
    }
}
