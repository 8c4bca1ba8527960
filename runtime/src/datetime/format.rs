//! The three text forms of Smithy's `timestampFormat` trait, parsed strictly
//! and written the way Smithy's protocol tests expect.

use super::{DateTime, DateTimeError, civil_from_days};
use std::fmt::Write as _;

/// A value of Smithy's `timestampFormat` trait.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    /// `date-time`: RFC 3339 in UTC, `2019-12-16T23:48:18Z`.
    DateTime,
    /// `http-date`: RFC 9110's IMF-fixdate, `Mon, 16 Dec 2019 23:48:18 GMT`.
    HttpDate,
    /// `epoch-seconds`: seconds since the Unix epoch, `1576540098.123`.
    EpochSeconds,
}

impl TimestampFormat {
    /// Parses `s` strictly in this format.
    pub fn parse(self, s: &str) -> Result<DateTime, DateTimeError> {
        match self {
            Self::DateTime => DateTime::parse_date_time(s),
            Self::HttpDate => DateTime::parse_http_date(s),
            Self::EpochSeconds => DateTime::parse_epoch_seconds(s),
        }
    }

    /// Writes `t` in this format.
    pub fn format(self, t: &DateTime) -> String {
        match self {
            Self::DateTime => t.fmt_date_time(),
            Self::HttpDate => t.fmt_http_date(),
            Self::EpochSeconds => t.fmt_epoch_seconds(),
        }
    }
}

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn err(what: &str, s: &str) -> DateTimeError {
    DateTimeError(format!("`{s}` is not a valid {what} timestamp"))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A fixed number of ASCII digits.
fn digits(s: &[u8], n: usize) -> Option<u32> {
    let d = s.get(..n)?;
    d.iter()
        .all(u8::is_ascii_digit)
        .then(|| d.iter().fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0')))
}

/// `.ddd…` (one or more digits) as nanoseconds; digits past the ninth are
/// dropped. Returns the nanoseconds and the bytes consumed (0 when there is
/// no fraction).
fn fraction(s: &[u8]) -> Option<(u32, usize)> {
    if s.first() != Some(&b'.') {
        return Some((0, 0));
    }
    let n = s[1..].iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 {
        return None;
    }
    let mut nanos = 0u32;
    for i in 0..9 {
        let d = s
            .get(1 + i)
            .filter(|_| i < n)
            .map_or(0, |b| u32::from(b - b'0'));
        nanos = nanos * 10 + d;
    }
    Some((nanos, n + 1))
}

/// Seconds since the epoch of a validated calendar date and time.
fn to_datetime(
    (y, mo, d): (i64, u32, u32),
    (h, mi, s): (u32, u32, u32),
    nanos: u32,
) -> Option<DateTime> {
    let valid = (1..=12).contains(&mo)
        && (1..=days_in_month(y, mo)).contains(&d)
        && h <= 23
        && mi <= 59
        && s <= 59;
    valid.then(|| {
        let secs = days_from_civil(y, mo, d) * 86_400
            + i64::from(h) * 3600
            + i64::from(mi) * 60
            + i64::from(s);
        DateTime::from_secs_and_nanos(secs, nanos)
    })
}

/// `.123`, `.123456` or `.123456789`, or nothing for whole seconds.
fn write_fraction(out: &mut String, n: u32) {
    let _ = if n == 0 {
        Ok(())
    } else if n % 1_000_000 == 0 {
        write!(out, ".{:03}", n / 1_000_000)
    } else if n % 1_000 == 0 {
        write!(out, ".{:06}", n / 1_000)
    } else {
        write!(out, ".{n:09}")
    };
}

thread_local! {
    static OFFSETS_ALLOWED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn offsets_allowed() -> bool {
    OFFSETS_ALLOWED.with(std::cell::Cell::get)
}

/// Runs `f` with `date-time` values that carry a UTC offset
/// (`2019-12-16T22:48:18-01:00`) accepted, as Smithy asks of clients
/// reading a response; everywhere else (a server reading a request) they
/// are rejected.
pub fn with_utc_offsets<T>(f: impl FnOnce() -> T) -> T {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            OFFSETS_ALLOWED.with(|c| c.set(self.0));
        }
    }
    let _reset = Reset(OFFSETS_ALLOWED.with(|c| c.replace(true)));
    f()
}

impl DateTime {
    /// Parses a Smithy `date-time`: RFC 3339 in UTC, exactly
    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with an upper-case `T` and `Z`
    /// (`2019-12-16T23:48:18Z`, `1985-04-12T23:20:50.52Z`). UTC offsets
    /// (`-08:00`, `+00`), other ISO 8601 forms (`19961219T163957Z`, no
    /// seconds, a space for `T`), leap seconds and impossible dates are
    /// rejected. Fraction digits past nanoseconds are dropped.
    pub fn parse_date_time(s: &str) -> Result<Self, DateTimeError> {
        let b = s.as_bytes();
        let e = || err("date-time", s);
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(e());
        }
        let y = digits(b, 4).ok_or_else(e)?;
        let mo = digits(&b[5..], 2).ok_or_else(e)?;
        let d = digits(&b[8..], 2).ok_or_else(e)?;
        let h = digits(&b[11..], 2).ok_or_else(e)?;
        let mi = digits(&b[14..], 2).ok_or_else(e)?;
        let sec = digits(&b[17..], 2).ok_or_else(e)?;
        let (nanos, used) = fraction(&b[19..]).ok_or_else(e)?;
        let zone = &b[19 + used..];
        let offset = match zone {
            b"Z" => 0,
            [sign @ (b'+' | b'-'), rest @ ..]
                if offsets_allowed() && rest.len() == 5 && rest[2] == b':' =>
            {
                let oh = digits(rest, 2).filter(|h| *h < 24).ok_or_else(e)?;
                let om = digits(&rest[3..], 2).filter(|m| *m < 60).ok_or_else(e)?;
                let secs = i64::from(oh * 3600 + om * 60);
                if *sign == b'+' { secs } else { -secs }
            }
            _ => return Err(e()),
        };
        let t = to_datetime((i64::from(y), mo, d), (h, mi, sec), nanos).ok_or_else(e)?;
        if offset == 0 {
            return Ok(t);
        }
        Ok(DateTime::from_secs_and_nanos(
            t.secs() - offset,
            t.subsec_nanos(),
        ))
    }

    /// Writes a Smithy `date-time`: `2019-12-16T23:48:18Z`, with a fraction
    /// only when there is one (`.123Z`, or 6 or 9 digits when needed). Same
    /// as `Display`.
    pub fn fmt_date_time(&self) -> String {
        self.to_string()
    }

    /// Parses a Smithy `http-date`: IMF-fixdate,
    /// `Tue, 29 Apr 2014 18:30:38 GMT`, optionally with fractional seconds
    /// (`Sun, 02 Jan 2000 20:34:56.000 GMT`). The day name must be the
    /// date's; other RFC 9110 forms (RFC 850, asctime), other zones,
    /// lower-case names and missing leading zeros are rejected.
    pub fn parse_http_date(s: &str) -> Result<Self, DateTimeError> {
        let b = s.as_bytes();
        let e = || err("http-date", s);
        // "Tue, 29 Apr 2014 18:30:38" is 25 bytes, then [.f] " GMT".
        if b.len() < 29
            || &b[3..5] != b", "
            || b[7] != b' '
            || b[11] != b' '
            || b[16] != b' '
            || b[19] != b':'
            || b[22] != b':'
        {
            return Err(e());
        }
        let day_name = &s[..3];
        let d = digits(&b[5..], 2).ok_or_else(e)?;
        let mo = MONTHS
            .iter()
            .position(|m| m.as_bytes() == &b[8..11])
            .ok_or_else(e)? as u32
            + 1;
        let y = digits(&b[12..], 4).ok_or_else(e)?;
        let h = digits(&b[17..], 2).ok_or_else(e)?;
        let mi = digits(&b[20..], 2).ok_or_else(e)?;
        let sec = digits(&b[23..], 2).ok_or_else(e)?;
        let (nanos, used) = fraction(&b[25..]).ok_or_else(e)?;
        if &b[25 + used..] != b" GMT" {
            return Err(e());
        }
        let t = to_datetime((i64::from(y), mo, d), (h, mi, sec), nanos).ok_or_else(e)?;
        let weekday = DAYS[t.secs().div_euclid(86_400).rem_euclid(7) as usize];
        if weekday != day_name {
            return Err(DateTimeError(format!(
                "`{s}` is not a valid http-date timestamp: that day is a {weekday}"
            )));
        }
        Ok(t)
    }

    /// Writes a Smithy `http-date`: `Tue, 29 Apr 2014 18:30:38 GMT`, with
    /// a fraction only when there is one (`18:30:38.123 GMT`).
    pub fn fmt_http_date(&self) -> String {
        let days = self.secs().div_euclid(86_400);
        let secs_of_day = self.secs().rem_euclid(86_400);
        let (y, mo, d) = civil_from_days(days);
        let mut out = String::with_capacity(29);
        let _ = write!(
            out,
            "{}, {d:02} {} {y:04} {:02}:{:02}:{:02}",
            DAYS[days.rem_euclid(7) as usize],
            MONTHS[mo as usize - 1],
            secs_of_day / 3600,
            secs_of_day / 60 % 60,
            secs_of_day % 60
        );
        write_fraction(&mut out, self.subsec_nanos());
        out.push_str(" GMT");
        out
    }

    /// Parses `epoch-seconds` from text (a header, query value or label):
    /// `1576540098`, `-1.5`, `1576540098.123`. Only an optional `-`, digits
    /// and an optional fraction of digits: exponents, `+`, hex, `Infinity`,
    /// `NaN` and trailing characters are rejected. Fraction digits past
    /// nanoseconds are dropped.
    pub fn parse_epoch_seconds(s: &str) -> Result<Self, DateTimeError> {
        let e = || err("epoch-seconds", s);
        let (negative, rest) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let b = rest.as_bytes();
        let n = b.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return Err(e());
        }
        let (nanos, used) = fraction(&b[n..]).ok_or_else(e)?;
        if n + used != b.len() {
            return Err(e());
        }
        let whole: i64 = rest[..n]
            .parse()
            .map_err(|_| DateTimeError(format!("epoch-seconds timestamp `{s}` is out of range")))?;
        Ok(match (negative, nanos) {
            (false, _) => Self::from_secs_and_nanos(whole, nanos),
            (true, 0) => Self::from_secs(-whole),
            (true, _) => Self::from_secs_and_nanos(-whole - 1, 1_000_000_000 - nanos),
        })
    }

    /// Writes `epoch-seconds` as text: `1576540098`, or with the exact
    /// fraction and no trailing zeros (`1576540098.12`, `-1.5`).
    pub fn fmt_epoch_seconds(&self) -> String {
        let (secs, nanos) = (self.secs(), self.subsec_nanos());
        if nanos == 0 {
            return secs.to_string();
        }
        let (sign, whole, frac) = if secs < 0 {
            ("-", -(secs + 1), 1_000_000_000 - nanos)
        } else {
            ("", secs, nanos)
        };
        let frac = format!("{frac:09}");
        format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: DateTime = DateTime::from_secs(1_576_540_098);

    #[test]
    fn date_time_vectors_of_the_protocol_tests() {
        assert_eq!(DateTime::parse_date_time("2019-12-16T23:48:18Z"), Ok(T));
        assert_eq!(
            DateTime::parse_date_time("2014-04-29T18:30:38Z"),
            Ok(DateTime::from_secs(1_398_796_238))
        );
        assert_eq!(
            DateTime::parse_date_time("1985-04-12T23:20:50.52Z"),
            Ok(DateTime::from_secs_and_nanos(482_196_050, 520_000_000))
        );
        assert_eq!(
            DateTime::parse_date_time("1985-04-12T23:20:50.123456789123Z"),
            Ok(DateTime::from_secs_and_nanos(482_196_050, 123_456_789))
        );
        assert_eq!(T.fmt_date_time(), "2019-12-16T23:48:18Z");
        assert_eq!(
            DateTime::from_secs_and_nanos(1_576_540_098, 123_000_000).fmt_date_time(),
            "2019-12-16T23:48:18.123Z"
        );
    }

    #[test]
    fn date_time_rejects_what_the_malformed_cases_reject() {
        // RestJson{Body,Header,Path,Query}TimestampDateTimeRejects* and the
        // Default cases of path and query.
        for bad in [
            "Tue, 29 Apr 2014 18:30:38 GMT",
            "1515531081.1234",
            "1515531081",
            "1996-12-19T16:39:57-08:00",
            "1996-12-19T16:39:57+00",
            "1996-12-19T16:39:57+00Z",
            "1996-12-19T16:39:57",
            "1996-12-19T163957",
            "19961219T163957Z",
            "19961219T163957",
            "19961219T16:39:57Z",
            "19961219T16:39:57",
            "1996-12-19T16:39Z",
            "1996-12-19T16:39",
            "1996-12-19T1639",
            "1996-12-19T16Z",
            "1996-12-19T16",
            "1996-12-19 16:39:57Z",
            "2011-12-03T10:15:30+01:00[Europe/Paris]",
            // Also: lower case, no fraction digits, impossible dates.
            "1996-12-19t16:39:57z",
            "1996-12-19T16:39:57.Z",
            "1996-02-30T16:39:57Z",
            "1996-13-19T16:39:57Z",
            "1996-12-19T24:00:00Z",
            "1996-12-19T23:59:60Z",
            "",
        ] {
            let e = DateTime::parse_date_time(bad).unwrap_err();
            assert!(e.to_string().contains("date-time"), "{bad}: {e}");
        }
    }

    #[test]
    fn http_date_vectors_of_the_protocol_tests() {
        assert_eq!(
            DateTime::parse_http_date("Mon, 16 Dec 2019 23:48:18 GMT"),
            Ok(T)
        );
        assert_eq!(
            DateTime::parse_http_date("Tue, 29 Apr 2014 18:30:38 GMT"),
            Ok(DateTime::from_secs(1_398_796_238))
        );
        assert_eq!(
            DateTime::parse_http_date("Sun, 02 Jan 2000 20:34:56.000 GMT"),
            Ok(DateTime::from_secs(946_845_296))
        );
        assert_eq!(T.fmt_http_date(), "Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(
            DateTime::from_secs(1_398_796_238).fmt_http_date(),
            "Tue, 29 Apr 2014 18:30:38 GMT"
        );
        assert_eq!(
            DateTime::from_secs_and_nanos(1_576_540_098, 120_000_000).fmt_http_date(),
            "Mon, 16 Dec 2019 23:48:18.120 GMT"
        );
        assert_eq!(
            DateTime::from_secs(0).fmt_http_date(),
            "Thu, 01 Jan 1970 00:00:00 GMT"
        );
    }

    #[test]
    fn http_date_rejects_what_the_malformed_cases_reject() {
        for bad in [
            "1985-04-12T23:20:50.52Z",
            "1985-04-12T23:20:50Z",
            "1996-12-19T16:39:57-08:00",
            "1515531081.1234",
            "1515531081",
            // Also: wrong weekday, other zones and RFC 9110's obsolete forms.
            "Wed, 16 Dec 2019 23:48:18 GMT",
            "Mon, 16 Dec 2019 23:48:18 UTC",
            "Mon, 16 Dec 2019 23:48:18 +0000",
            "Monday, 16-Dec-19 23:48:18 GMT",
            "Mon Dec 16 23:48:18 2019",
            "mon, 16 dec 2019 23:48:18 GMT",
            "Mon, 6 Dec 2019 23:48:18 GMT",
            "Mon, 16 Dec 2019 23:48:18 GMT ",
        ] {
            assert!(DateTime::parse_http_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn epoch_seconds_text() {
        assert_eq!(DateTime::parse_epoch_seconds("1576540098"), Ok(T));
        assert_eq!(
            DateTime::parse_epoch_seconds("1576540098.123"),
            Ok(DateTime::from_secs_and_nanos(1_576_540_098, 123_000_000))
        );
        assert_eq!(
            DateTime::parse_epoch_seconds("-1.5"),
            Ok(DateTime::from_secs_and_nanos(-2, 500_000_000))
        );
        assert_eq!(
            DateTime::parse_epoch_seconds("-3"),
            Ok(DateTime::from_secs(-3))
        );
        assert_eq!(T.fmt_epoch_seconds(), "1576540098");
        for (t, s) in [
            (
                DateTime::from_secs_and_nanos(1_576_540_098, 123_000_000),
                "1576540098.123",
            ),
            (DateTime::from_secs_and_nanos(-2, 500_000_000), "-1.5"),
            (DateTime::from_secs_and_nanos(0, 1), "0.000000001"),
            (DateTime::from_secs(-7), "-7"),
        ] {
            assert_eq!(t.fmt_epoch_seconds(), s);
            assert_eq!(DateTime::parse_epoch_seconds(s), Ok(t), "{s}");
        }
        // RestJson{Header,Path,Query}TimestampEpochRejects*.
        for bad in [
            "1985-04-12T23:20:50.52Z",
            "1985-04-12T23:20:50Z",
            "1996-12-19T16:39:57-08:00",
            "Tue, 29 Apr 2014 18:30:38 GMT",
            "Sun, 02 Jan 2000 20:34:56.000 GMT",
            "true",
            "1515531081ABC",
            "0x42",
            "1515531081.123.456",
            "Infinity",
            "-Infinity",
            "NaN",
            // Also:
            "",
            "-",
            "1.",
            ".5",
            "+1",
            "1e9",
            " 1",
            "99999999999999999999",
        ] {
            assert!(DateTime::parse_epoch_seconds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formats_round_trip_through_the_enum() {
        for t in [
            T,
            DateTime::from_secs_and_nanos(1_576_540_098, 123_456_789),
            DateTime::from_secs(951_782_400),
            DateTime::from_secs(0),
        ] {
            for f in [
                TimestampFormat::DateTime,
                TimestampFormat::HttpDate,
                TimestampFormat::EpochSeconds,
            ] {
                assert_eq!(f.parse(&f.format(&t)), Ok(t), "{f:?} {t}");
            }
        }
    }
}
