//! Calendar days: the one place claimdb reads dates, in every form it
//! accepts, and explains the ones that cannot be.
//!
//! Claims are dated to the day; dates are stored as a day number so that
//! index keys sort in calendar order. The calendar is chrono's (days in a
//! month, leap years, month names); this module only decides which forms
//! are accepted where, and says what is wrong with the rest:
//!
//! - [`parse_iso`]: strictly `YYYY-MM-DD`, for JSON fields and stored data.
//! - [`parse_iso_day_time`]: `2024-11-09` or `2024-11-09T10:00:00Z`, the
//!   time ignored (schema.org `datePublished`).
//! - [`parse_day`]: every form people write a day in, as spreadsheets and
//!   statements hold them: `2024-11-09`, `2024/11/09`, `9 November 2024`,
//!   `November 9, 2024`, `Nov. 9th 2024`, and `09/11/2024` only when a
//!   [`DateOrder`] says which number is the day.
//! - [`parse_period`]: a year, a month or a day as a range (`2024`,
//!   `2024-11`, `November 2024`, any day form).
//! - [`last`]: a range ending today (`in the last 30 days`), against the
//!   statement's today ([`with_today`], [`statement_today`]).

use crate::error::{Error, Result};
use chrono::{Datelike, Months, NaiveDate, NaiveTime};
use std::cell::Cell;

/// A calendar day (the claim's date, a status change's effective date).
pub type Date = NaiveDate;

/// How to read numeric dates whose order is ambiguous (`03/04/2022`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    /// `28/07/2022` is 28 July.
    DayFirst,
    /// `07/28/2022` is 28 July.
    MonthFirst,
}

impl DateOrder {
    /// How messages say which order was used.
    fn note(self) -> &'static str {
        match self {
            DateOrder::DayFirst => " (dates are read day-first)",
            DateOrder::MonthFirst => " (dates are read month-first)",
        }
    }
}

fn input(message: String, help: Option<&str>) -> Error {
    Error::Input { message, span: None, help: help.map(str::to_string) }
}

// ---------------------------------------------------------------------------
// Shapes: what a word meant as a date looks like.

/// Whether `word` has the exact shape `YYYY-MM-DD` (all digits), for
/// colouring input; it may still be an impossible day.
pub fn looks_like_iso(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() == 10 && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

/// Whether `word` is clearly meant as a numeric date or period (four
/// digits, then only digits and `-` or `/`: `2024`, `2024-11`, `2024-02-30`,
/// `2024/11/09`), so that a mistake in it deserves the date's own message.
pub fn looks_numeric(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() >= 4
        && b[..4].iter().all(u8::is_ascii_digit)
        && b.iter().all(|c| c.is_ascii_digit() || matches!(c, b'-' | b'/'))
}

/// The month a word names: `November`, `nov`, `Nov.`, `Sept` (any case).
pub fn month_number(word: &str) -> Option<u32> {
    let word = word.strip_suffix('.').unwrap_or(word);
    let word = if word.eq_ignore_ascii_case("sept") { "sep" } else { word };
    word.parse::<chrono::Month>().ok().map(|m| m.number_from_month())
}

/// Whether `word` is the full English name of a day of the week or a month
/// (`Tuesday`, `March`; not `Sun`, a newspaper, nor `Jan`, a name).
pub fn names_a_day_or_month(word: &str) -> bool {
    let full_month = month_number(word).is_some_and(|m| month_name(m) == word);
    let full_day = word.len() >= 6 && word.ends_with("day") && word.parse::<chrono::Weekday>().is_ok();
    full_month || full_day
}

/// What one word of an English date is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatePart {
    /// A month's name (`November`, `Nov.`), as its number.
    Month(u32),
    /// A day of the month: one or two digits, maybe `9th`.
    Day(u32),
    /// A year: four digits.
    Year(i32),
}

/// What `word` can be in an English date (`9`, `November`, `2024`), for
/// finding where one ends in a statement.
pub fn date_part(word: &str) -> Option<DatePart> {
    if let Some(m) = month_number(word) {
        return Some(DatePart::Month(m));
    }
    year(word).map(DatePart::Year).or_else(|| day_number(word).map(DatePart::Day))
}

/// The English name of a month (1-based).
pub fn month_name(month: u32) -> &'static str {
    u8::try_from(month).ok().and_then(|m| chrono::Month::try_from(m).ok()).map_or("?", |m| m.name())
}

/// The number of days in a month.
pub fn last_day_of_month(year: i32, month: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(year, month, 1);
    first.and_then(|d| d.checked_add_months(Months::new(1))).and_then(|d| d.pred_opt()).map_or(31, |d| d.day())
}

// ---------------------------------------------------------------------------
// Days from their parts.

/// Why `year-month-day` is not a day, or `None` when it is one.
fn impossible(year: i32, month: u32, day: u32) -> Option<String> {
    if !(1..=12).contains(&month) {
        return Some(format!("there is no month {month}"));
    }
    if day == 0 {
        return Some("there is no day 0 (days of the month start at 1)".into());
    }
    NaiveDate::from_ymd_opt(year, month, day)
        .is_none()
        .then(|| format!("{} {year} has {} days", month_name(month), last_day_of_month(year, month)))
}

/// Builds a date from its parts, explaining which part is impossible.
pub fn check_ymd(year: i32, month: u32, day: u32) -> Result<Date> {
    match impossible(year, month, day) {
        None => NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| crate::errinput!("not a date")),
        Some(reason) => {
            let help = (!(1..=12).contains(&month)).then_some("months run from 01 to 12");
            Err(input(format!("{year:04}-{month:02}-{day:02} is not a date: {reason}"), help))
        }
    }
}

/// The day of parts read from `text`, with `'text' is not a date: …` when
/// there is none (`note` says how an ambiguous order was read).
fn day_of(text: &str, year: i32, month: u32, day: u32, note: &str) -> Result<Date> {
    match impossible(year, month, day) {
        None => check_ymd(year, month, day),
        Some(reason) => Err(input(format!("'{text}' is not a date: {reason}{note}"), None)),
    }
}

/// A whole number of one to `max_len` ASCII digits.
fn digits(part: &str, max_len: usize) -> Option<u32> {
    if part.is_empty() || part.len() > max_len || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// A year: exactly four digits.
fn year(part: &str) -> Option<i32> {
    (part.len() == 4).then(|| digits(part, 4)).flatten().and_then(|y| i32::try_from(y).ok())
}

/// A day of the month, allowing an English ordinal suffix (`28th`).
fn day_number(part: &str) -> Option<u32> {
    let lower = part.to_ascii_lowercase();
    let bare = ["st", "nd", "rd", "th"].iter().find_map(|s| lower.strip_suffix(s)).unwrap_or(&lower);
    digits(bare, 2)
}

// ---------------------------------------------------------------------------
// The accepted forms.

/// Parses a strict ISO date `YYYY-MM-DD`, rejecting impossible days such as
/// `2024-02-30` with a message that says why.
pub fn parse_iso(text: &str) -> Result<Date> {
    if !looks_like_iso(text) {
        return Err(input(format!("'{text}' is not a date"), Some("write dates as YYYY-MM-DD, like 2024-11-09")));
    }
    // The shape guarantees the digits; chrono's reader does the rest.
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(day) => Ok(day),
        Err(_) => check_ymd(
            text[0..4].parse().unwrap_or(0),
            text[5..7].parse().unwrap_or(0),
            text[8..10].parse().unwrap_or(0),
        ),
    }
}

/// Splits `2024-11-09T10:00:00Z` (or with a space) into the day part and
/// what follows the separator, which must read as a time (`HH:MM…`,
/// seconds and zone ignored). `None` when something follows that is not a
/// time.
fn split_time(text: &str) -> Option<(&str, bool)> {
    match text.find(['T', ' ']) {
        None => Some((text, false)),
        Some(i) => {
            let time = text[i + 1..].trim_start();
            NaiveTime::parse_and_remainder(time, "%H:%M").ok().map(|_| (&text[..i], true))
        }
    }
}

/// A day written `2024-11-09` or `2024-11-09T10:00:00Z` (any time after the
/// day is ignored: the day is the one written, in its own time zone).
pub fn parse_iso_day_time(text: &str) -> Result<Date> {
    match split_time(text) {
        Some((day, _)) if looks_like_iso(day) => parse_iso(day),
        _ => Err(input(format!("'{text}' is not a date like 2024-11-09 or 2024-11-09T10:00:00Z"), None)),
    }
}

const FORMS_HELP: &str = "expected forms like 2024-11-09 or July 28, 2022";

fn not_a_date(text: &str) -> Error {
    input(format!("'{text}' is not a date"), Some(FORMS_HELP))
}

/// Reads a day in any accepted form: `2024-11-09` (optionally with a time
/// after it, which is ignored), `2024/11/09`, `July 28, 2022`, `Jul. 28
/// 2022`, `28 July 2022`, `28th July, 2022`, and — only when `order` is
/// given — `28/07/2022` or `07/28/2022` (also with `.` or `-`).
pub fn parse_day(text: &str, order: Option<DateOrder>) -> Result<Date> {
    let text = text.trim();
    if let Some(found) = parse_year_first(text) {
        return found;
    }
    if let Some(found) = parse_numeric(text, order) {
        return found;
    }
    match words(text).as_slice() {
        [a, b, c] => match english_day(text, a, b, c) {
            Some(found) => found,
            None => Err(not_a_date(text)),
        },
        [a, b] if month_number(a).is_some() && year(b).is_some() => Err(input(
            format!("'{text}' is a month, not a day"),
            Some(&format!("give the day too, like 9 {}", words(text)[0..2].join(" "))),
        )),
        _ => Err(not_a_date(text)),
    }
}

/// The words of an English date: split at spaces and commas.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect()
}

/// `July 28 2022` or `28 July 2022` (as words), `None` when the words are
/// not that shape.
fn english_day(text: &str, a: &str, b: &str, c: &str) -> Option<Result<Date>> {
    let y = year(c)?;
    let (m, d) = match (month_number(a), month_number(b)) {
        (Some(m), None) => (m, day_number(b)?),
        (None, Some(m)) => (m, day_number(a)?),
        _ => return None,
    };
    Some(day_of(text, y, m, d, ""))
}

/// `2024-11-09`, `2024-11-09T10:00:00Z`, `2024-11-09 10:00`, `2024/11/09`.
fn parse_year_first(text: &str) -> Option<Result<Date>> {
    let (day_part, _) = split_time(text)?;
    let separator = if day_part.contains('-') { '-' } else { '/' };
    let parts: Vec<&str> = day_part.split(separator).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let y = year(y)?;
    let (Some(m), Some(d)) = (digits(m, 2), digits(d, 2)) else {
        return Some(Err(not_a_date(text)));
    };
    Some(day_of(text, y, m, d, ""))
}

/// `28/07/2022`, `07/28/2022`, `28.07.2022`, `28-07-2022`: the order must be
/// given, since `03/04/2022` means different days in different countries.
fn parse_numeric(text: &str, order: Option<DateOrder>) -> Option<Result<Date>> {
    let separator = ['/', '.', '-'].into_iter().find(|s| text.contains(*s))?;
    let parts: Vec<&str> = text.split(separator).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let (a, b, y) = (digits(a, 2)?, digits(b, 2)?, year(y)?);
    let Some(order) = order else {
        return Some(Err(input(
            format!(
                "'{text}' could be day-first or month-first; add `dates day-first` or `dates month-first` to the mapping"
            ),
            None,
        )));
    };
    Some(match order {
        DateOrder::DayFirst => day_of(text, y, b, a, order.note()),
        DateOrder::MonthFirst => day_of(text, y, a, b, order.note()),
    })
}

/// A year, month or day as an inclusive range of days: `2024`, `2024-11`,
/// `November 2024`, `Nov 2024`, or any form [`parse_day`] reads without an
/// order.
pub fn parse_period(text: &str) -> Result<(Date, Date)> {
    let text = text.trim();
    if let Some(y) = year(text) {
        return Ok((check_ymd(y, 1, 1)?, check_ymd(y, 12, 31)?));
    }
    let month = match text.split_once('-') {
        Some((y, m)) if !m.contains('-') => year(y).zip((m.len() == 2).then(|| digits(m, 2)).flatten()),
        _ => match words(text).as_slice() {
            [m, y] => month_number(m).zip(year(y)).map(|(m, y)| (y, m)),
            _ => None,
        },
    };
    match month {
        Some((y, m)) => {
            let from = check_ymd(y, m, 1)?;
            Ok((from, check_ymd(y, m, last_day_of_month(y, m))?))
        }
        // `2024-1`, `2024-11-9`: meant as ISO, so the ISO reader explains.
        None if looks_numeric(text) && !text.contains('/') => parse_iso(text).map(|d| (d, d)),
        None => parse_day(text, None).map(|d| (d, d)),
    }
}

// ---------------------------------------------------------------------------
// Relative ranges.

/// The unit of a relative range: `in the last 3 months`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Days.
    Day,
    /// Weeks of seven days.
    Week,
    /// Calendar months.
    Month,
    /// Calendar years.
    Year,
}

impl Unit {
    /// The unit a word names, singular or plural (`day`, `days`, …).
    pub fn parse(word: &str) -> Option<Unit> {
        let lower = word.to_ascii_lowercase();
        let singular = lower.strip_suffix('s').unwrap_or(&lower);
        match singular {
            "day" => Some(Unit::Day),
            "week" => Some(Unit::Week),
            "month" => Some(Unit::Month),
            "year" => Some(Unit::Year),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
        }
    }
}

/// The last `n` units up to and including `today`: the last 30 days are
/// `today` and the 29 days before it; the last 3 months start the day after
/// the same day three months back.
pub fn last(today: Date, n: u64, unit: Unit) -> Result<(Date, Date)> {
    let plural = if n == 1 { "" } else { "s" };
    if n == 0 {
        return Err(input(format!("the last 0 {}s hold no days", unit.name()), Some("give a number from 1")));
    }
    let too_far = || input(format!("{n} {}{plural} back is before the calendar claimdb knows", unit.name()), None);
    let n32 = u32::try_from(n).map_err(|_| too_far())?;
    let start = match unit {
        Unit::Day => today.checked_sub_days(chrono::Days::new(n - 1)),
        Unit::Week => n.checked_mul(7).and_then(|days| today.checked_sub_days(chrono::Days::new(days - 1))),
        Unit::Month => today.checked_sub_months(Months::new(n32)).and_then(|d| d.succ_opt()),
        Unit::Year => {
            n32.checked_mul(12).and_then(|m| today.checked_sub_months(Months::new(m))).and_then(|d| d.succ_opt())
        }
    };
    start.map(|from| (from, today)).ok_or_else(too_far)
}

thread_local! {
    /// The today of the statement being read on this thread, if one is set.
    static STATEMENT_TODAY: Cell<Option<Date>> = const { Cell::new(None) };
}

/// Runs `f` (reading a statement) with `day` as the today that relative
/// dates (`in the last 30 days`) are read against. The statement parser
/// has no context of its own, so [`crate::Db::execute_with`] sets its
/// [`Context::today`](crate::query::Context::today) here around parsing;
/// the ranges are fixed days from then on (`explain` shows them).
pub fn with_today<T>(day: Date, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Date>);
    impl Drop for Restore {
        fn drop(&mut self) {
            STATEMENT_TODAY.with(|t| t.set(self.0));
        }
    }
    let _restore = Restore(STATEMENT_TODAY.with(|t| t.replace(Some(day))));
    f()
}

/// The today relative dates are read against: the one [`with_today`] set,
/// else the local date.
pub fn statement_today() -> Date {
    STATEMENT_TODAY.with(Cell::get).unwrap_or_else(today)
}

// ---------------------------------------------------------------------------
// Storage and the clock.

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

    fn day(text: &str) -> String {
        parse_day(text, None).unwrap().to_string()
    }

    #[test]
    fn parses_and_rejects_iso() {
        assert_eq!(parse_iso("2024-11-09").unwrap().to_string(), "2024-11-09");
        let err = parse_iso("2024-02-30").unwrap_err().to_string();
        assert_eq!(err, "2024-02-30 is not a date: February 2024 has 29 days");
        let err = parse_iso("2024-13-01").unwrap_err().to_string();
        assert!(err.contains("there is no month 13"), "{err}");
        assert!(parse_iso("2024-1-01").is_err());
        assert!(parse_iso("２０２４-11-09").is_err());
    }

    #[test]
    fn day_zero_is_not_a_short_month() {
        let err = parse_iso("2024-01-00").unwrap_err().to_string();
        assert_eq!(err, "2024-01-00 is not a date: there is no day 0 (days of the month start at 1)");
        let err = parse_day("0 January 2024", None).unwrap_err().to_string();
        assert_eq!(err, "'0 January 2024' is not a date: there is no day 0 (days of the month start at 1)");
        assert!(parse_iso("2024-01-32").unwrap_err().to_string().contains("January 2024 has 31 days"));
    }

    #[test]
    fn reads_common_day_forms() {
        for text in [
            "2022-07-28",
            "2022/07/28",
            "2022-07-28T10:30:00Z",
            "2022-07-28 10:30",
            "July 28, 2022",
            "july 28 2022",
            "Jul 28, 2022",
            "Jul. 28, 2022",
            "28 July 2022",
            "28th July, 2022",
            " July 28, 2022 ",
        ] {
            assert_eq!(day(text), "2022-07-28", "{text}");
        }
        assert_eq!(day("Sept 1, 2022"), "2022-09-01");
        let day_first = Some(DateOrder::DayFirst);
        let month_first = Some(DateOrder::MonthFirst);
        assert_eq!(parse_day("28/07/2022", day_first).unwrap().to_string(), "2022-07-28");
        assert_eq!(parse_day("07/28/2022", month_first).unwrap().to_string(), "2022-07-28");
        assert_eq!(parse_day("28.07.2022", day_first).unwrap().to_string(), "2022-07-28");
    }

    #[test]
    fn explains_bad_days() {
        let forms = "is not a date (expected forms like 2024-11-09 or July 28, 2022)";
        let cases = [
            ("Julyy 28, 2022", None, format!("'Julyy 28, 2022' {forms}")),
            ("February 30, 2023", None, "'February 30, 2023' is not a date: February 2023 has 28 days".into()),
            ("2024-13-01", None, "'2024-13-01' is not a date: there is no month 13".into()),
            (
                "03/04/2022",
                None,
                "'03/04/2022' could be day-first or month-first; add `dates day-first` or `dates month-first` to the mapping".into(),
            ),
            (
                "28/07/2022",
                Some(DateOrder::MonthFirst),
                "'28/07/2022' is not a date: there is no month 28 (dates are read month-first)".into(),
            ),
            ("2022-07-28Tea", None, format!("'2022-07-28Tea' {forms}")),
            ("2022-07-28T25:00", None, format!("'2022-07-28T25:00' {forms}")),
            ("", None, format!("'' {forms}")),
            ("28 07 2022", None, format!("'28 07 2022' {forms}")),
            ("July 28, 22", None, format!("'July 28, 22' {forms}")),
            ("November 2024", None, "'November 2024' is a month, not a day (give the day too, like 9 November 2024)".into()),
        ];
        for (text, order, want) in cases {
            assert_eq!(parse_day(text, order).unwrap_err().to_string(), want);
        }
    }

    #[test]
    fn reads_days_with_times() {
        assert_eq!(parse_iso_day_time("2024-11-09").unwrap().to_string(), "2024-11-09");
        assert_eq!(parse_iso_day_time("2024-11-09T23:30:00+05:00").unwrap().to_string(), "2024-11-09");
        assert!(parse_iso_day_time("2024-02-30T00:00:00Z")
            .unwrap_err()
            .to_string()
            .contains("February 2024 has 29 days"));
        assert!(parse_iso_day_time("9 Nov 2024").is_err());
        assert!(parse_iso_day_time("2024-11-0é").is_err());
    }

    #[test]
    fn periods() {
        let range = |t: &str| parse_period(t).map(|(a, b)| format!("{a}..{b}")).map_err(|e| e.to_string());
        assert_eq!(range("2024").unwrap(), "2024-01-01..2024-12-31");
        assert_eq!(range("2024-02").unwrap(), "2024-02-01..2024-02-29");
        assert_eq!(range("November 2024").unwrap(), "2024-11-01..2024-11-30");
        assert_eq!(range("nov. 2024").unwrap(), "2024-11-01..2024-11-30");
        assert_eq!(range("9 November 2024").unwrap(), "2024-11-09..2024-11-09");
        assert_eq!(range("2024-11-09").unwrap(), "2024-11-09..2024-11-09");
        assert!(range("2024-13").unwrap_err().contains("there is no month 13"));
        assert!(range("2024-02-30").unwrap_err().contains("February 2024 has 29 days"));
    }

    #[test]
    fn relative_ranges_end_today() {
        let today = parse_iso("2024-11-20").unwrap();
        let range = |n, unit| last(today, n, unit).map(|(a, b)| format!("{a}..{b}"));
        assert_eq!(range(30, Unit::Day).unwrap(), "2024-10-22..2024-11-20");
        assert_eq!(range(1, Unit::Day).unwrap(), "2024-11-20..2024-11-20");
        assert_eq!(range(2, Unit::Week).unwrap(), "2024-11-07..2024-11-20");
        assert_eq!(range(3, Unit::Month).unwrap(), "2024-08-21..2024-11-20");
        assert_eq!(range(1, Unit::Year).unwrap(), "2023-11-21..2024-11-20");
        assert!(range(0, Unit::Day).unwrap_err().to_string().contains("hold no days"));
        assert!(range(u64::MAX, Unit::Day).is_err());
        assert!(range(u64::MAX, Unit::Week).is_err());
        assert!(range(u64::MAX / 2, Unit::Year).is_err());
        assert_eq!(Unit::parse("Months"), Some(Unit::Month));
    }

    #[test]
    fn statement_today_is_scoped() {
        let day = parse_iso("2001-02-03").unwrap();
        assert_eq!(with_today(day, statement_today), day);
        assert_eq!(with_today(day, || with_today(today(), statement_today)), today());
        assert_eq!(statement_today(), today());
    }

    #[test]
    fn month_names_and_shapes() {
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("DEC"), Some(12));
        assert_eq!(month_number("Decem"), None);
        assert_eq!(month_name(2), "February");
        assert_eq!(month_name(13), "?");
        assert_eq!(last_day_of_month(2023, 12), 31);
        assert!(looks_like_iso("2024-11-09") && !looks_like_iso("2024-11-9"));
        assert!(looks_numeric("2024-13") && looks_numeric("2024/11/09") && !looks_numeric("24-11"));
    }

    #[test]
    fn day_numbers_round_trip() {
        let d = parse_iso("2024-11-09").unwrap();
        assert_eq!(from_day_number(to_day_number(d)), Some(d));
        assert!(from_day_number(i32::MAX).is_none());
    }
}
