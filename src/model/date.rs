//! Calendar days. Claims are dated to the day; dates are stored as a day
//! number so that index keys sort in calendar order.

use crate::error::{Error, Result};
use chrono::{Datelike, NaiveDate};

/// A calendar day (the claim's date, a status change's effective date).
pub type Date = NaiveDate;

/// Parses a strict ISO date `YYYY-MM-DD`, rejecting impossible days such as
/// `2024-02-30` with a message that says why.
pub fn parse_iso(text: &str) -> Result<Date> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return Err(Error::Input {
            message: format!("'{text}' is not a date"),
            span: None,
            help: Some("write dates as YYYY-MM-DD, like 2024-11-09".into()),
        });
    }
    let year: i32 = text[0..4].parse().unwrap_or(0);
    let month: u32 = text[5..7].parse().unwrap_or(0);
    let day: u32 = text[8..10].parse().unwrap_or(0);
    check_ymd(year, month, day)
}

/// Builds a date from its parts, explaining which part is impossible.
pub fn check_ymd(year: i32, month: u32, day: u32) -> Result<Date> {
    if !(1..=12).contains(&month) {
        return Err(Error::Input {
            message: format!("{year:04}-{month:02}-{day:02} is not a date: there is no month {month}"),
            span: None,
            help: Some("months run from 01 to 12".into()),
        });
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        let last = last_day_of_month(year, month);
        Error::Input {
            message: format!(
                "{year:04}-{month:02}-{day:02} is not a date: {} {year} has {last} days",
                month_name(month)
            ),
            span: None,
            help: None,
        }
    })
}

/// The number of days in a month.
pub fn last_day_of_month(year: i32, month: u32) -> u32 {
    let (next_year, next_month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(next_year, next_month, 1).and_then(|d| d.pred_opt()).map_or(31, |d| d.day())
}

/// The English name of a month (1-based).
pub fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
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
    NAMES.get(month.wrapping_sub(1) as usize).copied().unwrap_or("?")
}

/// The day number stored in keys and records (days from 0001-01-01, day 1).
pub fn to_day_number(date: Date) -> i32 {
    date.num_days_from_ce()
}

/// The date of a stored day number, if it is one chrono can represent.
pub fn from_day_number(days: i32) -> Option<Date> {
    NaiveDate::from_num_days_from_ce_opt(days)
}

/// Today, in the local time zone.
pub fn today() -> Date {
    chrono::Local::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(parse_iso("2024-11-09").unwrap().to_string(), "2024-11-09");
        let err = parse_iso("2024-02-30").unwrap_err().to_string();
        assert_eq!(err, "2024-02-30 is not a date: February 2024 has 29 days");
        let err = parse_iso("2024-13-01").unwrap_err().to_string();
        assert!(err.contains("there is no month 13"), "{err}");
        assert!(parse_iso("2024-1-01").is_err());
        assert!(parse_iso("２０２４-11-09").is_err());
    }

    #[test]
    fn day_numbers_round_trip() {
        let d = parse_iso("2024-11-09").unwrap();
        assert_eq!(from_day_number(to_day_number(d)), Some(d));
        assert!(from_day_number(i32::MAX).is_none());
    }
}
