//! A calendar date (UTC): rules' `active_from` / `active_until` and the
//! `--now` of a screening.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorKind};

/// A calendar date (UTC), for `active_from` / `active_until` and `--now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// Today's date in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }

    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }
}

impl FromStr for Date {
    type Err = Error;
    /// Parses `YYYY-MM-DD`. A day that does not exist (`2026-02-30`,
    /// month 13) says why, not only that the form is wrong.
    fn from_str(s: &str) -> Result<Date, Error> {
        let bad = |why: String| {
            Error::new(ErrorKind::InvalidArgument(format!(
                "invalid date '{s}'{why}"
            )))
        };
        let b = s.as_bytes();
        if b.len() != 10
            || b[4] != b'-'
            || b[7] != b'-'
            || !b
                .iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        {
            return Err(bad(" (expected YYYY-MM-DD)".into()));
        }
        // Four, two and two ASCII digits: these parse.
        let year: u16 = s[0..4].parse().unwrap_or(0);
        let month: u8 = s[5..7].parse().unwrap_or(0);
        let day: u8 = s[8..10].parse().unwrap_or(0);
        let Some(days) = days_in_month(year, month) else {
            return Err(bad(format!(": there is no month {month}")));
        };
        if day == 0 {
            return Err(bad(": days of the month start at 1".into()));
        }
        if day > days {
            let name = MONTHS[usize::from(month) - 1];
            return Err(bad(format!(
                ": {name} {year} has {days} days, there is no {name} {day}"
            )));
        }
        Ok(Date { year, month, day })
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The number of days of `month` (1 to 12) of `year`; `None` for a month
/// that does not exist.
fn days_in_month(year: u16, month: u8) -> Option<u8> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    Some(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    })
}

/// Why a rule active from `from` until `until` can never be active, if it
/// cannot: for a pack's own dates and for dates an override sets.
pub(crate) fn empty_span(
    from: Option<Date>,
    until: Option<Date>,
) -> Option<String> {
    match (from, until) {
        (Some(f), Some(u)) if u < f => {
            Some(format!("active_until {u} is before active_from {f}"))
        }
        _ => None,
    }
}

/// A pack's dates are strings; a bad one is a TOML error at its value.
impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(|e: Error| serde::de::Error::custom(e.kind()))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_order() {
        let d: Date = "2026-02-28".parse().unwrap();
        assert_eq!(d.to_string(), "2026-02-28");
        assert!("2024-02-29".parse::<Date>().is_ok());
        let cases = [
            (
                "2026-02-29",
                "invalid date '2026-02-29': February 2026 has 28 days, \
                 there is no February 29",
            ),
            (
                "2026-04-31",
                "invalid date '2026-04-31': April 2026 has 30 days, there \
                 is no April 31",
            ),
            ("2026-13-01", "invalid date '2026-13-01': there is no month 13"),
            ("2026-00-10", "invalid date '2026-00-10': there is no month 0"),
            (
                "2026-01-00",
                "invalid date '2026-01-00': days of the month start at 1",
            ),
            ("26-01-01", "invalid date '26-01-01' (expected YYYY-MM-DD)"),
            ("2026/01/01", "invalid date '2026/01/01' (expected YYYY-MM-DD)"),
        ];
        for (text, want) in cases {
            let err = text.parse::<Date>().unwrap_err();
            assert_eq!(err.to_string(), want);
        }
        assert!(d < "2026-03-01".parse().unwrap());
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(20_513).to_string(),
            "2026-03-01"
        );
    }
}
