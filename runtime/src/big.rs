//! Smithy's `bigInteger` and `bigDecimal`: exact, arbitrary-size numbers.
//!
//! Both keep the number's text as it was given (validated, so it is always
//! a well-formed number) and compare by value (`1.50` equals `1.5e0`). They
//! do no arithmetic: the generated code only carries them between the wire
//! and the caller, which converts them to a bignum library of its choice
//! through [`as_str`](BigDecimal::as_str) and `FromStr`.
//!
//! In JSON they are numbers, read exactly (digits beyond `f64` or `u64`
//! precision are kept) and written back verbatim. Reading captures the
//! number's raw text with `serde_json`'s `RawValue`, so deserialization
//! requires `serde_json` as the deserializer (`from_str`, `from_slice`,
//! `from_reader`; not `from_value`). Serializing with another serializer
//! than `serde_json` writes the number as a string.

use crate::number::{ParseError, ParseStrict};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// An integer of any size (Smithy `bigInteger`): an optional `-` and
/// ASCII digits.
#[derive(Clone)]
pub struct BigInteger(String);

/// A decimal number of any size and precision (Smithy `bigDecimal`): a
/// JSON number, `-?digits[.digits][(e|E)[+|-]digits]`.
#[derive(Clone)]
pub struct BigDecimal(String);

/// The value of a decimal: sign, significant digits without leading or
/// trailing zeros, and the power of ten of the last digit. Zero is
/// `(false, "", 0)`.
fn normalize(s: &str) -> (bool, String, i64) {
    let (negative, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    // The syntax check bounds the exponent to 18 digits.
    let (mantissa, exp) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], rest[i + 1..].parse::<i64>().unwrap_or(0)),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    let significant = digits.trim_start_matches('0');
    let trimmed = significant.trim_end_matches('0');
    if trimmed.is_empty() {
        return (false, String::new(), 0);
    }
    let trailing = (significant.len() - trimmed.len()) as i64;
    let exponent = exp - frac.len() as i64 + trailing;
    (negative, trimmed.to_owned(), exponent)
}

use crate::number::is_integer;

/// A JSON number whose exponent, if any, has at most 18 digits (so that it
/// fits an `i64` when values are compared).
fn is_big_decimal(s: &str) -> bool {
    crate::number::is_decimal(s)
        && s.find(['e', 'E'])
            .is_none_or(|i| s[i + 1..].trim_start_matches(['+', '-']).len() <= 18)
}

macro_rules! big {
    ($t:ident, $check:ident, $what:literal) => {
        impl $t {
            /// The number as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// A number the generator has already checked (a model's
            /// `default`); text that is not a number reads as zero.
            #[doc(hidden)]
            pub fn literal(s: &str) -> Self {
                Self::parse_strict(s).unwrap_or_else(|_| Self("0".to_owned()))
            }

            fn key(&self) -> (bool, String, i64) {
                normalize(&self.0)
            }
        }

        impl FromStr for $t {
            type Err = ParseError;
            fn from_str(s: &str) -> Result<Self, ParseError> {
                Self::parse_strict(s)
            }
        }

        impl ParseStrict for $t {
            fn parse_strict(s: &str) -> Result<Self, ParseError> {
                if $check(s) {
                    Ok(Self(s.to_owned()))
                } else {
                    Err(ParseError::new(format!(concat!("`{}` is not ", $what), s)))
                }
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// Equal values are equal whatever their spelling (`-0` and `0`).
        impl PartialEq for $t {
            fn eq(&self, other: &Self) -> bool {
                self.key() == other.key()
            }
        }

        impl Eq for $t {}

        impl Hash for $t {
            fn hash<H: Hasher>(&self, state: &mut H) {
                self.key().hash(state);
            }
        }

        impl Default for $t {
            fn default() -> Self {
                Self("0".to_owned())
            }
        }

        impl From<i64> for $t {
            fn from(v: i64) -> Self {
                Self(v.to_string())
            }
        }

        impl From<u64> for $t {
            fn from(v: u64) -> Self {
                Self(v.to_string())
            }
        }

        impl From<i128> for $t {
            fn from(v: i128) -> Self {
                Self(v.to_string())
            }
        }

        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match RawValue::from_string(self.0.clone()) {
                    Ok(raw) => raw.serialize(serializer),
                    Err(e) => Err(serde::ser::Error::custom(e)),
                }
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = Box::<RawValue>::deserialize(deserializer)?;
                let text = raw.get().trim();
                Self::parse_strict(text).map_err(|_| {
                    serde::de::Error::custom(format_args!(
                        concat!("invalid value: `{}`, expected ", $what, " as a JSON number"),
                        text
                    ))
                })
            }
        }
    };
}

big!(BigInteger, is_integer, "an integer");
big!(BigDecimal, is_big_decimal, "a decimal number");

impl BigInteger {
    /// The value as an `i64`, if it fits.
    pub fn to_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }
}

impl BigDecimal {
    /// The nearest `f64` (inexact for most values; infinite when out of
    /// range).
    pub fn to_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }
}

impl From<BigInteger> for BigDecimal {
    fn from(v: BigInteger) -> Self {
        Self(v.0)
    }
}

/// Orders by value.
impl PartialOrd for BigInteger {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for BigInteger {
    fn cmp(&self, other: &Self) -> Ordering {
        let (an, ad) = self.key_int();
        let (bn, bd) = other.key_int();
        let magnitude = ad.len().cmp(&bd.len()).then_with(|| ad.cmp(bd));
        match (an, bn) {
            (false, false) => magnitude,
            (true, true) => magnitude.reverse(),
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
        }
    }
}

impl BigInteger {
    /// Sign and digits without leading zeros (zero is positive and empty).
    fn key_int(&self) -> (bool, &str) {
        let (negative, digits) = match self.0.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, self.0.as_str()),
        };
        let digits = digits.trim_start_matches('0');
        (negative && !digits.is_empty(), digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_integers_round_trip_exactly() {
        let json = r#"{"v":123456789012345678901234567890,"w":-0}"#;
        let m: std::collections::BTreeMap<String, BigInteger> = serde_json::from_str(json).unwrap();
        assert_eq!(m["v"].as_str(), "123456789012345678901234567890");
        assert_eq!(m["w"], BigInteger::from(0i64));
        assert_eq!(serde_json::to_string(&m).unwrap(), json);
        let v: Vec<BigInteger> = serde_json::from_slice(b"[1, -9223372036854775809]").unwrap();
        assert_eq!(v[1].to_string(), "-9223372036854775809");
        assert_eq!(v[1].to_i64(), None);
        assert_eq!(v[0].to_i64(), Some(1));
    }

    #[test]
    fn big_decimals_round_trip_exactly() {
        let text = "[3.141592653589793238462643383279, 1e400, -0.000000000000000000000001, 10]";
        let v: Vec<BigDecimal> = serde_json::from_str(text).unwrap();
        assert_eq!(v[0].as_str(), "3.141592653589793238462643383279");
        assert_eq!(v[1].as_str(), "1e400");
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            "[3.141592653589793238462643383279,1e400,-0.000000000000000000000001,10]"
        );
    }

    #[test]
    fn wrong_json_types_are_rejected() {
        for bad in [r#""123""#, "true", "null", "[1]", "{}"] {
            let e = serde_json::from_str::<BigInteger>(bad).unwrap_err();
            assert!(
                e.to_string()
                    .contains("expected an integer as a JSON number"),
                "{bad}: {e}"
            );
            assert!(serde_json::from_str::<BigDecimal>(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<BigInteger>("1.5").is_err());
        assert!(serde_json::from_str::<BigInteger>("1e3").is_err());
        assert!(serde_json::from_str::<BigDecimal>("1.5e3").is_ok());
        let o: Option<BigInteger> = serde_json::from_str("null").unwrap();
        assert_eq!(o, None);
    }

    #[test]
    fn text_syntax() {
        assert!("123".parse::<BigInteger>().is_ok());
        assert!("-123".parse::<BigInteger>().is_ok());
        for bad in [
            "", "-", "+1", "1.0", "0x42", "2ABC", " 1", "NaN", "Infinity",
        ] {
            assert!(bad.parse::<BigInteger>().is_err(), "{bad:?}");
        }
        for ok in [
            "1",
            "-1.5",
            "1e3",
            "1.5E-7",
            "123456789012345678901234567890.5",
            "1e400",
        ] {
            assert!(ok.parse::<BigDecimal>().is_ok(), "{ok}");
        }
        for bad in [
            "",
            ".5",
            "1.",
            "1e",
            "+1",
            "NaN",
            "Infinity",
            "-Infinity",
            "0x1",
            "1e1000000000000000000000",
        ] {
            assert!(bad.parse::<BigDecimal>().is_err(), "{bad:?}");
        }
        assert_eq!(
            "2ABC".parse::<BigInteger>().unwrap_err().to_string(),
            "`2ABC` is not an integer"
        );
    }

    #[test]
    fn equality_and_order_by_value() {
        let d = |s: &str| s.parse::<BigDecimal>().unwrap();
        assert_eq!(d("1.50"), d("1.5"));
        assert_eq!(d("1.5e0"), d("15e-1"));
        assert_eq!(d("100"), d("1e2"));
        assert_eq!(d("0.0"), d("-0"));
        assert_ne!(d("1.5"), d("-1.5"));
        assert_ne!(d("1"), d("10"));
        let i = |s: &str| s.parse::<BigInteger>().unwrap();
        assert_eq!(i("-0"), i("0"));
        assert!(i("-10") < i("-9"));
        assert!(i("9") < i("10"));
        assert!(i("-1") < i("0"));
        assert!(i("123456789012345678901234567890") > i(&i64::MAX.to_string()));
    }
}
