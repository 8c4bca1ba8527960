//! Serde adapters for timestamps in JSON bodies, one per `timestampFormat`,
//! for a member of any container nesting (see [`crate::nested`]):
//!
//! ```
//! use smithy_rt::DateTime;
//! use std::collections::BTreeMap;
//!
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Example {
//!     #[serde(with = "smithy_rt::datetime::date_time")]
//!     created: DateTime,
//!     #[serde(with = "smithy_rt::datetime::http_date", default)]
//!     seen: Option<Vec<Option<DateTime>>>,
//!     #[serde(with = "smithy_rt::datetime::epoch_seconds")]
//!     by_name: BTreeMap<String, DateTime>,
//! }
//!
//! let json = r#"{"created":"2019-12-16T23:48:18Z","seen":["Mon, 16 Dec 2019 23:48:18 GMT",null],"by_name":{"a":1576540098.5}}"#;
//! let e: Example = serde_json::from_str(json).unwrap();
//! assert_eq!(e.created, DateTime::from_secs(1576540098));
//! assert_eq!(serde_json::to_string(&e).unwrap(), json);
//! ```
//!
//! `date-time` and `http-date` are JSON strings and `epoch-seconds` a JSON
//! number; any other JSON type is an error that names the format expected.

use super::{DateTime, TimestampFormat};
use crate::nested::{Codec, nested_scalar};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

nested_scalar!(DateTime);

/// Reads a string timestamp in `format`.
fn deserialize_string<'de, D: Deserializer<'de>>(
    deserializer: D,
    format: TimestampFormat,
    expecting: &'static str,
) -> Result<DateTime, D::Error> {
    struct V(TimestampFormat, &'static str);
    impl Visitor<'_> for V {
        type Value = DateTime;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.1)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
            self.0.parse(v).map_err(E::custom)
        }
    }
    deserializer.deserialize_str(V(format, expecting))
}

/// Timestamps as `date-time` strings (`"2019-12-16T23:48:18Z"`).
pub mod date_time {
    use super::*;

    /// The `date-time` codec.
    pub struct Format;

    impl Codec<DateTime> for Format {
        fn serialize<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_str(&value.fmt_date_time())
        }
        fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
            deserialize_string(
                deserializer,
                TimestampFormat::DateTime,
                "a date-time timestamp string",
            )
        }
    }

    /// `serialize_with` for any nesting of `DateTime`.
    pub fn serialize<T: crate::nested::Nested<Format>, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize_with(serializer)
    }

    /// `deserialize_with` for any nesting of `DateTime`.
    pub fn deserialize<'de, T: crate::nested::Nested<Format>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        T::deserialize_with(deserializer)
    }
}

/// Timestamps as `http-date` strings (`"Tue, 29 Apr 2014 18:30:38 GMT"`).
pub mod http_date {
    use super::*;

    /// The `http-date` codec.
    pub struct Format;

    impl Codec<DateTime> for Format {
        fn serialize<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_str(&value.fmt_http_date())
        }
        fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
            deserialize_string(
                deserializer,
                TimestampFormat::HttpDate,
                "an http-date timestamp string",
            )
        }
    }

    /// `serialize_with` for any nesting of `DateTime`.
    pub fn serialize<T: crate::nested::Nested<Format>, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize_with(serializer)
    }

    /// `deserialize_with` for any nesting of `DateTime`.
    pub fn deserialize<'de, T: crate::nested::Nested<Format>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        T::deserialize_with(deserializer)
    }
}

/// Timestamps as `epoch-seconds` numbers (`1576540098`, `1576540098.123`):
/// the same as `DateTime`'s own `Serialize`/`Deserialize`, for nestings.
pub mod epoch_seconds {
    use super::*;

    /// The `epoch-seconds` codec.
    pub struct Format;

    impl Codec<DateTime> for Format {
        fn serialize<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
            value.serialize(serializer)
        }
        fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
            DateTime::deserialize(deserializer)
        }
    }

    /// `serialize_with` for any nesting of `DateTime`.
    pub fn serialize<T: crate::nested::Nested<Format>, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize_with(serializer)
    }

    /// `deserialize_with` for any nesting of `DateTime`.
    pub fn deserialize<'de, T: crate::nested::Nested<Format>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        T::deserialize_with(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Shapes {
        #[serde(with = "date_time")]
        plain: DateTime,
        #[serde(with = "date_time", default, skip_serializing_if = "Option::is_none")]
        optional: Option<DateTime>,
        #[serde(with = "date_time", default, skip_serializing_if = "Option::is_none")]
        list: Option<Vec<DateTime>>,
        #[serde(with = "date_time", default, skip_serializing_if = "Option::is_none")]
        sparse: Option<Vec<Option<DateTime>>>,
        #[serde(with = "date_time", default, skip_serializing_if = "Option::is_none")]
        map: Option<BTreeMap<String, DateTime>>,
        #[serde(with = "date_time", default, skip_serializing_if = "Option::is_none")]
        nested: Option<Vec<Vec<DateTime>>>,
        #[serde(with = "date_time", default, skip_serializing_if = "Option::is_none")]
        boxed: Option<Box<DateTime>>,
    }

    const T: DateTime = DateTime::from_secs(1_398_796_238);

    #[test]
    fn date_time_in_every_container() {
        let json = r#"{"plain":"2014-04-29T18:30:38Z","optional":"2014-04-29T18:30:38Z","list":["2014-04-29T18:30:38Z"],"sparse":[null,"2014-04-29T18:30:38Z"],"map":{"k":"2014-04-29T18:30:38Z"},"nested":[[],["2014-04-29T18:30:38Z"]],"boxed":"2014-04-29T18:30:38Z"}"#;
        let v: Shapes = serde_json::from_str(json).unwrap();
        assert_eq!(
            v,
            Shapes {
                plain: T,
                optional: Some(T),
                list: Some(vec![T]),
                sparse: Some(vec![None, Some(T)]),
                map: Some(BTreeMap::from([("k".to_owned(), T)])),
                nested: Some(vec![vec![], vec![T]]),
                boxed: Some(Box::new(T)),
            }
        );
        assert_eq!(serde_json::to_string(&v).unwrap(), json);
        let only: Shapes = serde_json::from_str(r#"{"plain":"2014-04-29T18:30:38Z"}"#).unwrap();
        assert_eq!(only.optional, None);
        let null: Shapes =
            serde_json::from_str(r#"{"plain":"2014-04-29T18:30:38Z","list":null}"#).unwrap();
        assert_eq!(null.list, None);
    }

    #[test]
    fn wrong_json_types_and_bad_strings_are_clear_errors() {
        let e = serde_json::from_str::<Shapes>(r#"{"plain":1515531081}"#).unwrap_err();
        assert!(
            e.to_string().starts_with(
                "invalid type: integer `1515531081`, expected a date-time timestamp string"
            ),
            "{e}"
        );
        let e =
            serde_json::from_str::<Shapes>(r#"{"plain":"1996-12-19T16:39:57-08:00"}"#).unwrap_err();
        assert!(e.to_string().contains("is not a valid date-time"), "{e}");
        let e = serde_json::from_str::<Shapes>(r#"{"plain":"2014-04-29T18:30:38Z","list":[1]}"#)
            .unwrap_err();
        assert!(e.to_string().contains("date-time timestamp string"), "{e}");
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Formats {
        #[serde(rename = "httpDate", with = "http_date")]
        http_date: DateTime,
        #[serde(rename = "epochSeconds", with = "epoch_seconds")]
        epoch_seconds: Vec<Option<DateTime>>,
    }

    #[test]
    fn http_date_and_epoch_seconds_bodies() {
        // RestJsonJsonTimestampsWithHttpDateFormat and ...EpochSecondsFormat.
        let json =
            r#"{"httpDate":"Tue, 29 Apr 2014 18:30:38 GMT","epochSeconds":[1398796238,null]}"#;
        let v: Formats = serde_json::from_str(json).unwrap();
        assert_eq!(v.http_date, T);
        assert_eq!(v.epoch_seconds, vec![Some(T), None]);
        assert_eq!(serde_json::to_string(&v).unwrap(), json);
        // RestJsonBodyTimestampHttpDateRejects*, ...DefaultRejects*.
        for bad in [
            r#"{"httpDate":"1985-04-12T23:20:50.52Z","epochSeconds":[]}"#,
            r#"{"httpDate":1515531081,"epochSeconds":[]}"#,
            r#"{"httpDate":1515531081.1234,"epochSeconds":[]}"#,
            r#"{"httpDate":"Tue, 29 Apr 2014 18:30:38 GMT","epochSeconds":["1515531081"]}"#,
            r#"{"httpDate":"Tue, 29 Apr 2014 18:30:38 GMT","epochSeconds":["Infinity"]}"#,
            r#"{"httpDate":"Tue, 29 Apr 2014 18:30:38 GMT","epochSeconds":[true]}"#,
            r#"{"httpDate":"Tue, 29 Apr 2014 18:30:38 GMT","epochSeconds":["Tue, 29 Apr 2014 18:30:38 GMT"]}"#,
        ] {
            assert!(serde_json::from_str::<Formats>(bad).is_err(), "{bad}");
        }
    }
}
