//! Smithy's `timestamp`: the [`DateTime`] type, its three text formats
//! ([`TimestampFormat`]) and serde adapters for JSON bodies in each
//! ([`date_time`], [`http_date`], [`epoch_seconds`]).

mod body;
mod format;

pub use body::{date_time, epoch_seconds, http_date};
pub use format::{TimestampFormat, with_utc_offsets};

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NANOS_PER_SEC: u32 = 1_000_000_000;

/// A point in time, as Smithy's `timestamp` type.
///
/// Stored as whole seconds since the Unix epoch plus a non-negative
/// nanosecond offset, so ordering and equality are exact.
///
/// In restJson1 bodies a timestamp is `epoch-seconds`: a JSON number of
/// seconds since the epoch, with an optional fraction. Whole seconds are
/// written as an integer (`1700000000`), others as a decimal
/// (`1700000000.123`). Reading accepts integers, decimals and exponent forms
/// (`1.7e9`). A JSON number with a fraction arrives as an `f64`, whose
/// precision near the present is about a quarter of a microsecond, so the
/// fraction is rounded to whole microseconds: every value with microsecond
/// precision or coarser round-trips exactly.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    seconds: i64,
    subsec_nanos: u32,
}

/// Why a value could not be turned into a [`DateTime`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeError(String);

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateTimeError {}

impl DateTime {
    /// Whole seconds since the Unix epoch.
    pub const fn from_secs(seconds: i64) -> Self {
        Self {
            seconds,
            subsec_nanos: 0,
        }
    }

    /// Seconds since the epoch plus nanoseconds; `nanos` of a second or more
    /// carry into the seconds.
    pub const fn from_secs_and_nanos(seconds: i64, nanos: u32) -> Self {
        Self {
            seconds: seconds + (nanos / NANOS_PER_SEC) as i64,
            subsec_nanos: nanos % NANOS_PER_SEC,
        }
    }

    /// Fractional seconds since the epoch, rounded to whole microseconds.
    pub fn from_fractional_secs(value: f64) -> Result<Self, DateTimeError> {
        // i64::MIN as f64 is exact; i64::MAX as f64 rounds up to 2^63.
        if !value.is_finite() || value < i64::MIN as f64 || value >= i64::MAX as f64 {
            return Err(DateTimeError(format!(
                "timestamp {value} is out of range for epoch seconds"
            )));
        }
        let whole = value.floor();
        let micros = ((value - whole) * 1e6).round() as u32;
        let seconds = whole as i64;
        Ok(Self::from_secs_and_nanos(seconds, micros * 1_000))
    }

    /// Whole seconds since the epoch (rounded towards negative infinity).
    pub const fn secs(&self) -> i64 {
        self.seconds
    }

    /// The nanoseconds past [`secs`](Self::secs), in `0..1_000_000_000`.
    pub const fn subsec_nanos(&self) -> u32 {
        self.subsec_nanos
    }

    /// Seconds since the epoch as a float (loses precision below a
    /// microsecond for present-day values).
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.subsec_nanos) / f64::from(NANOS_PER_SEC)
    }

    /// The current time.
    pub fn now() -> Self {
        SystemTime::now().into()
    }
}

impl From<SystemTime> for DateTime {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => Self::from_secs_and_nanos(d.as_secs() as i64, d.subsec_nanos()),
            Err(e) => {
                let d = e.duration();
                let (s, n) = (d.as_secs() as i64, d.subsec_nanos());
                if n == 0 {
                    Self::from_secs(-s)
                } else {
                    Self::from_secs_and_nanos(-s - 1, NANOS_PER_SEC - n)
                }
            }
        }
    }
}

impl From<DateTime> for SystemTime {
    fn from(t: DateTime) -> Self {
        let nanos = Duration::from_nanos(u64::from(t.subsec_nanos));
        if t.seconds >= 0 {
            UNIX_EPOCH + Duration::from_secs(t.seconds as u64) + nanos
        } else {
            UNIX_EPOCH - Duration::from_secs(t.seconds.unsigned_abs()) + nanos
        }
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day).
/// Howard Hinnant's `civil_from_days`.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// RFC 3339 in UTC, with as many fraction digits as needed (none, 3, 6 or 9).
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.seconds.div_euclid(86_400);
        let secs_of_day = self.seconds.rem_euclid(86_400);
        let (y, mo, d) = civil_from_days(days);
        let (h, mi, s) = (secs_of_day / 3600, secs_of_day / 60 % 60, secs_of_day % 60);
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")?;
        let n = self.subsec_nanos;
        if n == 0 {
        } else if n % 1_000_000 == 0 {
            write!(f, ".{:03}", n / 1_000_000)?;
        } else if n % 1_000 == 0 {
            write!(f, ".{:06}", n / 1_000)?;
        } else {
            write!(f, ".{n:09}")?;
        }
        f.write_str("Z")
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.subsec_nanos == 0 {
            s.serialize_i64(self.seconds)
        } else {
            s.serialize_f64(self.as_secs_f64())
        }
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a timestamp as a number of epoch seconds")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
                Ok(DateTime::from_secs(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
                i64::try_from(v)
                    .map(DateTime::from_secs)
                    .map_err(|_| E::custom(format_args!("timestamp {v} is out of range")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
                DateTime::from_fractional_secs(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<DateTime, String> {
        serde_json::from_str::<DateTime>(json).map_err(|e| e.to_string())
    }

    #[test]
    fn accepts_integer_decimal_and_exponent_forms() {
        assert_eq!(
            parse("1700000000").unwrap(),
            DateTime::from_secs(1_700_000_000)
        );
        assert_eq!(
            parse("1700000000.123").unwrap(),
            DateTime::from_secs_and_nanos(1_700_000_000, 123_000_000)
        );
        assert_eq!(parse("1.7e9").unwrap(), DateTime::from_secs(1_700_000_000));
        assert_eq!(
            parse("1.7000000005E9").unwrap(),
            DateTime::from_secs_and_nanos(1_700_000_000, 500_000_000)
        );
        assert_eq!(
            parse("-1.5").unwrap(),
            DateTime::from_secs_and_nanos(-2, 500_000_000)
        );
    }

    #[test]
    fn rejects_non_numbers_and_out_of_range() {
        assert!(
            parse("\"2023-01-01T00:00:00Z\"")
                .unwrap_err()
                .contains("epoch seconds")
        );
        assert!(parse("1e300").unwrap_err().contains("out of range"));
        assert!(
            parse("18446744073709551615")
                .unwrap_err()
                .contains("out of range")
        );
    }

    #[test]
    fn serializes_whole_seconds_as_integers_and_keeps_fractions() {
        let whole = DateTime::from_secs(1_700_000_000);
        assert_eq!(serde_json::to_string(&whole).unwrap(), "1700000000");
        let frac = DateTime::from_secs_and_nanos(1_700_000_000, 123_000_000);
        assert_eq!(serde_json::to_string(&frac).unwrap(), "1700000000.123");
        let micros = DateTime::from_secs_and_nanos(1_700_000_000, 123_456_000);
        let json = serde_json::to_string(&micros).unwrap();
        assert_eq!(parse(&json).unwrap(), micros, "{json}");
    }

    #[test]
    fn displays_rfc3339() {
        assert_eq!(DateTime::from_secs(0).to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(
            DateTime::from_secs_and_nanos(1_700_000_000, 120_000_000).to_string(),
            "2023-11-14T22:13:20.120Z"
        );
        assert_eq!(
            DateTime::from_secs(951_782_400).to_string(),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(DateTime::from_secs(-1).to_string(), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn system_time_round_trip() {
        for t in [
            DateTime::from_secs_and_nanos(1_700_000_000, 5),
            DateTime::from_secs_and_nanos(-10, 999_999_999),
            DateTime::from_secs(-3),
        ] {
            assert_eq!(DateTime::from(SystemTime::from(t)), t);
        }
    }
}
