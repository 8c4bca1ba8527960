//! The two time formats of SigV4: `yyyyMMddTHHmmssZ` (`X-Amz-Date`) and
//! its first eight characters (the credential scope's date).

use super::SigningError;
use std::time::{SystemTime, UNIX_EPOCH};

/// `time` as `yyyyMMddTHHmmssZ` (UTC); an error for times before 1970 or
/// after 9999.
pub(crate) fn format_amz_date(time: SystemTime) -> Result<String, SigningError> {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_err(|_| SigningError::InvalidTime)?
        .as_secs();
    let days = i64::try_from(secs / 86_400).map_err(|_| SigningError::InvalidTime)?;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    if y > 9999 {
        return Err(SigningError::InvalidTime);
    }
    let mut out = String::with_capacity(16);
    push_digits(&mut out, y as u64, 4);
    push_digits(&mut out, m as u64, 2);
    push_digits(&mut out, d as u64, 2);
    out.push('T');
    push_digits(&mut out, rem / 3600, 2);
    push_digits(&mut out, rem / 60 % 60, 2);
    push_digits(&mut out, rem % 60, 2);
    out.push('Z');
    Ok(out)
}

fn push_digits(out: &mut String, value: u64, width: u32) {
    for i in (0..width).rev() {
        let digit = (value / 10u64.pow(i) % 10) as u8;
        out.push(char::from(b'0' + digit));
    }
}

/// Parses `X-Amz-Date`'s `yyyyMMddTHHmmssZ` (UTC) into Unix seconds;
/// `None` unless the text is exactly that, with a valid month, day, hour,
/// minute and second (60 for a leap second).
pub fn parse_amz_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(r)?;
        digits.iter().try_fold(0i64, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, sec) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec)
}

/// Howard Hinnant's `days_from_civil`: days since 1970-01-01.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's `civil_from_days`: the inverse, for days since
/// 1970-01-01 that are not negative.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn formats_and_parses() {
        let at = |s: u64| UNIX_EPOCH + Duration::from_secs(s);
        assert_eq!(format_amz_date(at(0)).unwrap(), "19700101T000000Z");
        assert_eq!(
            format_amz_date(at(1_440_938_160)).unwrap(),
            "20150830T123600Z"
        );
        assert_eq!(
            format_amz_date(at(951_825_599)).unwrap(),
            "20000229T115959Z"
        );
        assert_eq!(
            format_amz_date(at(253_402_300_799)).unwrap(),
            "99991231T235959Z"
        );
        assert_eq!(
            format_amz_date(at(253_402_300_800)),
            Err(SigningError::InvalidTime)
        );
        assert_eq!(
            format_amz_date(UNIX_EPOCH - Duration::from_secs(1)),
            Err(SigningError::InvalidTime)
        );
        // Every day of four centuries round-trips.
        for day in (0..146_097 * 4).step_by(7) {
            let secs = day * 86_400 + 45_296;
            let text = format_amz_date(at(secs)).unwrap();
            assert_eq!(parse_amz_date(&text), Some(secs as i64), "{text}");
        }
    }

    #[test]
    fn rejects_malformed_dates() {
        for bad in [
            "",
            "20150830T123600",
            "20150830 123600Z",
            "2015083OT123600Z",
            "+0150830T123600Z",
            "20151330T123600Z",
            "20150800T123600Z",
            "20150830T243600Z",
            "20150830T126000Z",
            "20150830T123661Z",
            "20150830T123600Zx",
            "２0150830T12360Z",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad:?}");
        }
    }
}
