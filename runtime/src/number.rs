//! Numbers and booleans on the wire, protocol-neutral: strict parsing from
//! text (HTTP headers, query values and labels) and the float encoding of
//! Smithy's JSON protocols, where NaN and the infinities are the strings
//! `"NaN"`, `"Infinity"` and `"-Infinity"`.
//!
//! Text is parsed as strictly as a JSON number would be: `1.5` or `1e3` for
//! an integer, `2ABC`, `0x42`, `+1`, spaces, `True`, `1` for a boolean, and
//! values out of the type's range are all rejected (the `RestJsonMalformed*`
//! cases of the protocol tests).

use crate::nested::{Codec, nested_scalar};
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};
use std::fmt;

/// Why a text value is not a valid number or boolean.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError(String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    pub(crate) fn new(message: String) -> Self {
        Self(message)
    }
}

/// Strict parsing of a scalar from text (a header, query value or label).
pub trait ParseStrict: Sized {
    /// Parses `s`, or says what is wrong with it (the value is quoted).
    fn parse_strict(s: &str) -> Result<Self, ParseError>;
}

/// `true` or `false`, nothing else (`True`, `1`, `yes`, `on` are errors).
impl ParseStrict for bool {
    fn parse_strict(s: &str) -> Result<Self, ParseError> {
        match s {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(ParseError(format!(
                "`{s}` is not a boolean (true or false)"
            ))),
        }
    }
}

/// Whether `s` is `-?[0-9]+`.
pub(crate) fn is_integer(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `s` is a JSON number without the leading-zero rule:
/// `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
pub(crate) fn is_decimal(s: &str) -> bool {
    let b = s.strip_prefix('-').unwrap_or(s).as_bytes();
    let run = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = run(0);
    if i == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        let n = run(i + 1);
        if n == 0 {
            return false;
        }
        i += 1 + n;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let n = run(i);
        if n == 0 {
            return false;
        }
        i += n;
    }
    i == b.len()
}

macro_rules! strict_int {
    ($($t:ty => $name:literal),*) => {$(
        /// An optional `-` and ASCII digits, within the type's range.
        impl ParseStrict for $t {
            fn parse_strict(s: &str) -> Result<Self, ParseError> {
                if !is_integer(s) {
                    return Err(ParseError(format!("`{s}` is not an integer")));
                }
                s.parse().map_err(|_| {
                    ParseError(format!("`{s}` is out of range for a {}", $name))
                })
            }
        }
    )*};
}
strict_int!(i8 => "byte", i16 => "short", i32 => "integer", i64 => "long");

macro_rules! strict_float {
    ($($t:ty => $name:literal),*) => {$(
        /// `NaN`, `Infinity`, `-Infinity`, or a decimal number (optional
        /// `-`, digits, optional fraction and exponent) that is finite in
        /// the type.
        impl ParseStrict for $t {
            fn parse_strict(s: &str) -> Result<Self, ParseError> {
                match s {
                    "NaN" => return Ok(<$t>::NAN),
                    "Infinity" => return Ok(<$t>::INFINITY),
                    "-Infinity" => return Ok(<$t>::NEG_INFINITY),
                    _ => {}
                }
                if !is_decimal(s) {
                    return Err(ParseError(format!("`{s}` is not a number")));
                }
                s.parse::<$t>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| ParseError(format!("`{s}` is out of range for a {}", $name)))
            }
        }
    )*};
}
strict_float!(f32 => "float", f64 => "double");

/// Writes a float as text: `NaN`, `Infinity`, `-Infinity`, or the shortest
/// decimal that reads back as the same value (`1.1`, `-0`, `100`).
pub fn format_f64(v: f64) -> String {
    non_finite(v).map_or_else(|| v.to_string(), str::to_owned)
}

/// [`format_f64`] for `f32` (`1.1f32` is `1.1`).
pub fn format_f32(v: f32) -> String {
    non_finite(f64::from(v)).map_or_else(|| v.to_string(), str::to_owned)
}

fn non_finite(v: f64) -> Option<&'static str> {
    if v.is_nan() {
        Some("NaN")
    } else if v == f64::INFINITY {
        Some("Infinity")
    } else if v == f64::NEG_INFINITY {
        Some("-Infinity")
    } else {
        None
    }
}

/// Serde adapter for `float` and `double` members in JSON bodies: finite
/// values are JSON numbers, NaN and the infinities the strings `"NaN"`,
/// `"Infinity"` and `"-Infinity"`. Reading accepts any JSON number and those
/// three strings; other strings, booleans and so on are errors. One adapter
/// serves `f32` and `f64` in any nesting (`Option<Vec<Option<f64>>>`,
/// `BTreeMap<String, f32>`, …), so the generator can put
/// `#[serde(with = "smithy_rt::number::float")]` on every float field (and
/// `default` on optional ones).
pub mod float {
    use super::*;

    /// The float codec.
    pub struct Format;

    /// Serializes a finite value with `finite`, others as their string.
    fn write<S: Serializer>(
        v: f64,
        serializer: S,
        finite: impl FnOnce(S) -> Result<S::Ok, S::Error>,
    ) -> Result<S::Ok, S::Error> {
        match non_finite(v) {
            Some(text) => serializer.serialize_str(text),
            None => finite(serializer),
        }
    }

    struct V(&'static str);

    impl Visitor<'_> for V {
        type Value = f64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(
                f,
                "a {} (a number, \"NaN\", \"Infinity\" or \"-Infinity\")",
                self.0
            )
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
            Ok(v as f64)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
            Ok(v as f64)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
            match v {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
            }
        }
    }

    impl Codec<f64> for Format {
        fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
            write(*value, serializer, |s| s.serialize_f64(*value))
        }
        fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
            deserializer.deserialize_any(V("double"))
        }
    }

    impl Codec<f32> for Format {
        fn serialize<S: Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
            write(f64::from(*value), serializer, |s| s.serialize_f32(*value))
        }
        fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f32, D::Error> {
            let v = deserializer.deserialize_any(V("float"))?;
            let narrow = v as f32;
            if v.is_finite() && !narrow.is_finite() {
                return Err(de::Error::custom(format_args!(
                    "{v} is out of range for a float"
                )));
            }
            Ok(narrow)
        }
    }

    /// `serialize_with` for any nesting of `f32` or `f64`.
    pub fn serialize<T: crate::nested::Nested<Format>, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize_with(serializer)
    }

    /// `deserialize_with` for any nesting of `f32` or `f64`.
    pub fn deserialize<'de, T: crate::nested::Nested<Format>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        T::deserialize_with(deserializer)
    }
}

nested_scalar!(f32, f64);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn integers_from_text() {
        // RestJsonInputAndOutputWithNumericHeaders.
        assert_eq!(i8::parse_strict("1"), Ok(1));
        assert_eq!(i16::parse_strict("123"), Ok(123));
        assert_eq!(i32::parse_strict("123"), Ok(123));
        assert_eq!(i64::parse_strict("123"), Ok(123));
        assert_eq!(i32::parse_strict("-5"), Ok(-5));
        assert_eq!(i64::parse_strict("-9223372036854775808"), Ok(i64::MIN));
        // RestJson{Path,Query,Header}{Byte,Short,Integer,Long}MalformedValueRejected.
        for bad in [
            "true",
            "1.001",
            "2ABC",
            "0x42",
            "Infinity",
            "-Infinity",
            "NaN",
        ] {
            assert_eq!(
                i8::parse_strict(bad).unwrap_err().to_string(),
                format!("`{bad}` is not an integer")
            );
            assert!(i16::parse_strict(bad).is_err(), "{bad}");
            assert!(i32::parse_strict(bad).is_err(), "{bad}");
            assert!(i64::parse_strict(bad).is_err(), "{bad}");
        }
        // Also: signs, spaces, exponents, empty.
        for bad in ["+1", " 1", "1 ", "1e3", "", "-", "--1"] {
            assert!(i32::parse_strict(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn integer_overflow_and_underflow() {
        // RestJson*{Byte,Short,Integer,Long}UnderflowOverflow.
        for v in [
            "256",
            "-256",
            "-9223372000000000000",
            "9223372000000000000",
            "123000000000000000000000",
        ] {
            assert_eq!(
                i8::parse_strict(v).unwrap_err().to_string(),
                format!("`{v}` is out of range for a byte")
            );
        }
        for v in [
            "40000",
            "-40000",
            "-9223372000000000000",
            "9223372000000000000",
            "123000000000000000000000",
        ] {
            assert!(i16::parse_strict(v).is_err(), "{v}");
        }
        for v in [
            "-9223372000000000000",
            "9223372000000000000",
            "123000000000000000000000",
        ] {
            assert!(i32::parse_strict(v).is_err(), "{v}");
        }
        for v in [
            "-184467440737095500000",
            "184467440737095500000",
            "123000000000000000000000",
        ] {
            assert!(i64::parse_strict(v).is_err(), "{v}");
        }
        assert_eq!(i8::parse_strict("127"), Ok(127));
        assert_eq!(i8::parse_strict("-128"), Ok(-128));
    }

    #[test]
    fn floats_from_text() {
        assert_eq!(f32::parse_strict("1.1"), Ok(1.1));
        assert_eq!(f64::parse_strict("1.1"), Ok(1.1));
        assert_eq!(f64::parse_strict("-1.5e3"), Ok(-1500.0));
        assert_eq!(f64::parse_strict("10"), Ok(10.0));
        // RestJsonSupports{NaN,Infinity,NegativeInfinity}Float{Labels,QueryValues,HeaderInputs}.
        assert!(f32::parse_strict("NaN").unwrap().is_nan());
        assert!(f64::parse_strict("NaN").unwrap().is_nan());
        assert_eq!(f64::parse_strict("Infinity"), Ok(f64::INFINITY));
        assert_eq!(f32::parse_strict("-Infinity"), Ok(f32::NEG_INFINITY));
        // RestJson{Path,Query,Header}{Float,Double}MalformedValueRejected.
        for bad in ["true", "2ABC", "0x42"] {
            assert_eq!(
                f64::parse_strict(bad).unwrap_err().to_string(),
                format!("`{bad}` is not a number")
            );
            assert!(f32::parse_strict(bad).is_err(), "{bad}");
        }
        // Also: Rust's own spellings and partial forms.
        for bad in [
            "inf", "nan", "infinity", "+1", "1.", ".5", "1e", "1e+", " 1", "",
        ] {
            assert!(f64::parse_strict(bad).is_err(), "{bad:?}");
        }
        assert!(
            f64::parse_strict("1e999")
                .unwrap_err()
                .to_string()
                .contains("out of range")
        );
        assert!(
            f32::parse_strict("1e39")
                .unwrap_err()
                .to_string()
                .contains("out of range for a float")
        );
    }

    #[test]
    fn booleans_from_text() {
        // RestJsonInputAndOutputWithBooleanHeaders.
        assert_eq!(bool::parse_strict("true"), Ok(true));
        assert_eq!(bool::parse_strict("false"), Ok(false));
        // RestJson{Path,Query,Header}BooleanStringCoercion.
        for bad in [
            "True", "TRUE", "y", "Y", "yes", "Yes", "YES", "1", "on", "On", "ON", "False", "FALSE",
            "n", "N", "no", "No", "NO", "0", "off", "Off", "OFF",
        ] {
            assert!(bool::parse_strict(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn floats_to_text() {
        assert_eq!(format_f64(f64::NAN), "NaN");
        assert_eq!(format_f64(f64::INFINITY), "Infinity");
        assert_eq!(format_f32(f32::NEG_INFINITY), "-Infinity");
        assert_eq!(format_f64(1.1), "1.1");
        assert_eq!(format_f32(1.1), "1.1");
        assert_eq!(format_f64(100.0), "100");
        for v in [1.1, -0.5, 1e300, 5e-324, 123456789.125] {
            assert_eq!(f64::parse_strict(&format_f64(v)), Ok(v));
        }
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Floats {
        #[serde(rename = "floatValue", with = "float")]
        float_value: f32,
        #[serde(rename = "DoubleDribble", with = "float")]
        double_value: f64,
        #[serde(with = "float", default, skip_serializing_if = "Option::is_none")]
        optional: Option<f64>,
        #[serde(with = "float", default, skip_serializing_if = "Option::is_none")]
        sparse: Option<Vec<Option<f32>>>,
        #[serde(with = "float", default, skip_serializing_if = "Option::is_none")]
        map: Option<BTreeMap<String, Vec<f64>>>,
    }

    fn body(json: &str) -> Result<Floats, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn non_finite_floats_in_bodies() {
        // RestJsonSupportsNaNFloatInputs and friends.
        let v = body(r#"{"floatValue": "NaN", "DoubleDribble": "NaN"}"#).unwrap();
        assert!(v.float_value.is_nan() && v.double_value.is_nan());
        let v = body(r#"{"floatValue": "Infinity", "DoubleDribble": "-Infinity"}"#).unwrap();
        assert_eq!(
            (v.float_value, v.double_value),
            (f32::INFINITY, f64::NEG_INFINITY)
        );
        let json = r#"{"floatValue":"-Infinity","DoubleDribble":"NaN","optional":"Infinity","sparse":[null,1.5,"NaN"],"map":{"k":[2.0,"-Infinity"]}}"#;
        let v = body(json).unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), json);
        let v = body(r#"{"floatValue": 1.1, "DoubleDribble": 1.1, "optional": 7}"#).unwrap();
        assert_eq!(
            (v.float_value, v.double_value, v.optional),
            (1.1, 1.1, Some(7.0))
        );
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"floatValue":1.1,"DoubleDribble":1.1,"optional":7.0}"#
        );
    }

    #[test]
    fn malformed_floats_in_bodies() {
        // RestJsonBody{Float,Double}MalformedValueRejected ("123", true;
        // unquoted Infinity/NaN and 2ABC/0x42 are not JSON at all).
        for bad in [
            r#""123""#,
            "true",
            "Infinity",
            "NaN",
            "-Infinity",
            "2ABC",
            "0x42",
            r#""nan""#,
            r#""inf""#,
        ] {
            let e = body(&format!(r#"{{"floatValue": {bad}, "DoubleDribble": 1}}"#)).unwrap_err();
            assert!(!e.is_empty(), "{bad}");
            let e = body(&format!(r#"{{"floatValue": 1, "DoubleDribble": {bad}}}"#)).unwrap_err();
            assert!(!e.is_empty(), "{bad}");
        }
        let e = body(r#"{"floatValue": "123", "DoubleDribble": 1}"#).unwrap_err();
        assert!(
            e.starts_with(r#"invalid value: string "123", expected a float (a number, "NaN", "Infinity" or "-Infinity")"#),
            "{e}"
        );
        let e = body(r#"{"floatValue": true, "DoubleDribble": 1}"#).unwrap_err();
        assert!(
            e.starts_with("invalid type: boolean `true`, expected a float"),
            "{e}"
        );
        let e = body(r#"{"floatValue": 1e39, "DoubleDribble": 1}"#).unwrap_err();
        assert!(e.contains("out of range for a float"), "{e}");
    }
}
