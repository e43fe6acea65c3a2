//! The smallest pieces of the language: whitespace and comments, keywords
//! (case-insensitive, ending at a word boundary), names (bare words or
//! quoted strings), numbers, claim ids, dates, statuses and kinds. Every
//! parser here skips the whitespace in front of what it reads, so that an
//! error points at the start of the offending token.

use super::error::{Expected, PError, PResult};
use crate::error::Error;
use crate::model::{date, Date, Kind, Status};
use crate::query::ast::{DateRange, IdRef};
use crate::Span;

use crate::query::lexer;

/// Keywords that start a clause of a query, for the parser's "expected …"
/// lists.
pub const CLAUSE_KEYWORDS: &[&str] = &[
    "by",
    "via",
    "reported",
    "about",
    "mentioning",
    "with",
    "rated",
    "after",
    "before",
    "on",
    "since",
    "until",
    "between",
    "in",
    "where",
    "order",
    "limit",
    "as",
    "contradicting",
    "supporting",
    "updating",
    "duplicating",
    "contradicted",
    "supported",
    "updated",
    "duplicated",
    "whose",
    "only",
];

/// Other keywords that end a bare name.
const OTHER_RESERVED: &[&str] = &[
    "and",
    "because",
    "for",
    "from",
    "not",
    "note",
    "of",
    "or",
    "per",
    "status",
    "to",
    "ranked",
    "map",
    "skip",
    "dates",
    "delimiter",
];

/// Skips blanks and comments (the lexer's rules: `--` anywhere, `#` at
/// the start of a line).
pub fn ws(i: &str) -> &str {
    lexer::skip_blanks(i, false)
}

/// Whether the input, after whitespace, is at its end (or at a `;`).
pub fn at_end(i: &str) -> bool {
    let i = ws(i);
    i.is_empty() || i.starts_with(';')
}

/// A keyword, case-insensitive, not followed by more word characters.
pub fn kw<'a>(word: &'static str) -> impl Fn(&'a str) -> PResult<'a, &'a str> {
    move |input: &'a str| {
        let i = ws(input);
        let n = word.len();
        let matches = i.get(..n).is_some_and(|w| w.eq_ignore_ascii_case(word)) && lexer::word_len(i) == n;
        if matches {
            Ok((&i[n..], &i[..n]))
        } else {
            PError::expected(i, Expected::Keyword(word)).fail()
        }
    }
}

/// Whether the next word is the keyword `word` (consumes nothing).
pub fn peek_kw(i: &str, word: &'static str) -> bool {
    kw(word)(i).is_ok()
}

/// A symbol such as `(`, `,` or `<=`.
pub fn sym<'a>(s: &'static str, what: &'static str) -> impl Fn(&'a str) -> PResult<'a, &'a str> {
    move |input: &'a str| {
        let i = ws(input);
        match i.strip_prefix(s) {
            Some(rest) => Ok((rest, &i[..s.len()])),
            None => PError::expected(i, Expected::Thing(what)).fail(),
        }
    }
}

/// A bare word (no quotes), as written.
pub fn bare_word(input: &str) -> PResult<'_, &str> {
    let i = ws(input);
    // `#12` is a claim id, read by `claim_id`, not a word.
    let end = if i.starts_with('#') { 0 } else { lexer::word_len(i) };
    if end == 0 {
        return PError::expected(i, Expected::Thing("a word")).fail();
    }
    Ok((&i[end..], &i[..end]))
}

/// A quoted string, `"…"`, with `\"`, `\\`, `\n` and `\t` escapes. An
/// unterminated string is an unrecoverable error. (Only double quotes make
/// strings: apostrophes appear in names, like `O'Brien`.)
pub fn string(input: &str) -> PResult<'_, String> {
    let i = ws(input);
    if !i.starts_with('"') {
        return PError::expected(i, Expected::Thing("a quoted string")).fail();
    }
    let (len, closed) = lexer::string_len(i);
    if !closed {
        return PError::message(i, 1, "this string has no closing \"").help("end the string with \"").cut();
    }
    let out = lexer::string_value(&i[..len]);
    Ok((&i[len..], out))
}

/// A name: a quoted string, or a single bare word that is not a reserved
/// keyword. `what` describes it in errors (`a source name`).
pub fn name<'a>(what: &'static str) -> impl Fn(&'a str) -> PResult<'a, String> {
    move |input: &'a str| {
        let i = ws(input);
        if i.starts_with('"') {
            return string(i);
        }
        match bare_word(i) {
            Ok((rest, word)) if !is_reserved(word) => Ok((rest, word.to_string())),
            _ => PError::expected(i, Expected::Thing(what)).fail(),
        }
    }
}

/// Whether `word` is a keyword that cannot be a bare name.
///
/// A name that is one of these must be quoted (`"in"`), so that `claims via
/// AFP in 2024` reads as expected.
pub fn is_reserved(word: &str) -> bool {
    CLAUSE_KEYWORDS.iter().chain(OTHER_RESERVED).any(|r| r.eq_ignore_ascii_case(word))
}

/// Names separated by commas: `Reuters, AFP`.
pub fn name_list<'a>(what: &'static str) -> impl Fn(&'a str) -> PResult<'a, Vec<String>> {
    move |input: &'a str| {
        let (mut i, first) = name(what)(input)?;
        let mut out = vec![first];
        while let Ok((rest, _)) = sym(",", "','")(i) {
            let (rest, next) = cut_err(name(what))(rest)?;
            out.push(next);
            i = rest;
        }
        Ok((i, out))
    }
}

/// Turns a recoverable error into an unrecoverable one: used after a
/// keyword that commits to one reading of the statement.
pub fn cut_err<'a, T>(p: impl Fn(&'a str) -> PResult<'a, T>) -> impl Fn(&'a str) -> PResult<'a, T> {
    move |i| match p(i) {
        Err(nom::Err::Error(e)) => Err(nom::Err::Failure(e)),
        other => other,
    }
}

/// Converts a claimdb input error about the word at `at` into a parse error
/// underlining that word.
pub fn error_at<'a>(at: &'a str, len: usize, err: Error) -> PError<'a> {
    match err {
        Error::Input { message, help, .. } => {
            PError { input: at, expected: Vec::new(), message: Some(message), help, len }
        }
        other => PError::message(at, len, other.to_string()),
    }
}

/// A whole number.
pub fn number(input: &str) -> PResult<'_, u64> {
    let i = ws(input);
    let end = i.find(|c: char| !c.is_ascii_digit()).unwrap_or(i.len());
    if end == 0 || i[end..].starts_with(lexer::is_word_char) {
        return PError::expected(i, Expected::Thing("a number")).fail();
    }
    match i[..end].parse::<u64>() {
        Ok(n) => Ok((&i[end..], n)),
        Err(_) => PError::message(i, end, format!("{} is too large a number", &i[..end])).cut(),
    }
}

/// A claim id: `12` or `#12`, with its span relative to `full`.
pub fn claim_id<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, IdRef> {
    move |input: &'a str| {
        let i = ws(input);
        let (rest, id) = match i.strip_prefix('#') {
            Some(after) => cut_err(number)(after)?,
            None => number(i).map_err(|e| match e {
                nom::Err::Error(_) => nom::Err::Error(PError::expected(i, Expected::Thing("a claim number like 12"))),
                other => other,
            })?,
        };
        if id == 0 {
            return PError::message(i, i.len() - rest.len(), "claim numbers start at 1").cut();
        }
        let start = full.len() - i.len();
        Ok((rest, IdRef { id, span: Span::new(start, full.len() - rest.len()) }))
    }
}

/// `claim 12` (the keyword and the id).
pub fn claim_ref<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, IdRef> {
    move |input: &'a str| {
        let (i, _) = kw("claim")(input)?;
        cut_err(claim_id(full))(i)
    }
}

/// Where an English date at `i` ends, and whether it names a whole month:
/// `9 November 2024` and `Nov 9, 2024` are days, `November 2024` a month.
/// `None` when `i` does not start like one; an error when it starts like
/// one (a month's name, or a day then a month) but stops short. What the
/// words mean is for [`date::parse_day`] and [`date::parse_period`].
fn english_date(i: &str) -> Option<Result<(usize, bool), PError<'_>>> {
    use date::DatePart::{Day, Month, Year};
    let mut parts = Vec::new();
    let mut ends = Vec::new();
    let mut rest = i;
    while parts.len() < 3 {
        let mut at = ws(rest);
        if !parts.is_empty() {
            // `November 9, 2024`: one comma may follow a word.
            at = at.strip_prefix(',').map_or(at, ws);
        }
        let Some((after, part)) = bare_word(at).ok().and_then(|(after, w)| Some((after, date::date_part(w)?))) else {
            break;
        };
        parts.push(part);
        rest = after;
        ends.push(i.len() - after.len());
    }
    let short = |len: usize, what: &str| {
        let message = format!("expected {what} after '{}'", &i[..len]);
        Some(Err(PError::message(i, len, message).help("write a day like 9 November 2024 or 2024-11-09")))
    };
    match parts.as_slice() {
        [Month(_), Year(_), ..] => Some(Ok((ends[1], true))),
        [Month(_), Day(_), Year(_)] | [Day(_), Month(_), Year(_)] => Some(Ok((ends[2], false))),
        [Month(_), Day(_), ..] | [Day(_), Month(_), ..] => short(ends[1], "a year"),
        [Month(_), ..] => short(ends[0], "a day and a year"),
        _ => None,
    }
}

/// Reads a date or a period at `i` (after whitespace), as `read` says
/// (`date::parse_day`, `date::parse_period`): a numeric word (`2024-11-09`,
/// `2024-11`, `2024/11/09`) or English words (`9 November 2024`,
/// `November 2024`). `what` is what an error says was expected.
fn dated<'a, T>(
    input: &'a str,
    what: &'static str,
    read: impl Fn(&str, bool) -> crate::error::Result<T>,
) -> PResult<'a, T> {
    let i = ws(input);
    let word = bare_word(i).map(|(_, w)| w).unwrap_or("");
    let len = if date::looks_numeric(word) {
        word.len()
    } else {
        match english_date(i) {
            Some(Ok((len, _))) => len,
            Some(Err(e)) => return Err(nom::Err::Failure(e)),
            None => return PError::expected(i, Expected::Thing(what)).fail(),
        }
    };
    match read(&i[..len], date::looks_numeric(word) && !word.contains('/')) {
        Ok(found) => Ok((&i[len..], found)),
        Err(e) => Err(nom::Err::Failure(error_at(i, len, e))),
    }
}

/// A day: `2024-11-09`, `2024/11/09`, `9 November 2024`, `Nov 9, 2024`. A
/// date that is impossible (`2024-02-30`) or unfinished (`9 November`) is
/// an unrecoverable error saying why.
pub fn date(input: &str) -> PResult<'_, Date> {
    // ISO words get the ISO reader's messages (`2024-02-30 is not a date`).
    dated(
        input,
        "a date like 2024-11-01",
        |text, iso| if iso { date::parse_iso(text) } else { date::parse_day(text, None) },
    )
}

/// A year, month or day as a range: `2024`, `2024-11`, `November 2024`,
/// `2024-11-09`, `9 November 2024`. `what` is what an error says was
/// expected.
pub fn period_of<'a>(what: &'static str) -> impl Fn(&'a str) -> PResult<'a, DateRange> {
    move |input| {
        dated(input, what, |text, _| date::parse_period(text))
            .map(|(rest, (from, to))| (rest, DateRange { from: Some(from), to: Some(to) }))
    }
}

/// A year, month or day as a range (see [`period_of`]).
pub fn period(input: &str) -> PResult<'_, DateRange> {
    period_of("a year, month or day like 2024, 2024-11 or 2024-11-09")(input)
}

/// `the last 30 days`, `last week`, `the past 3 months`: the days up to and
/// including the statement's today ([`date::statement_today`], which
/// `Db::execute_with` sets from its context). `Ok(None)` when `input` does
/// not start with `last` or `the last`.
pub fn relative_period(input: &str) -> PResult<'_, Option<DateRange>> {
    let i = ws(input);
    let after_the = kw("the")(i).map_or(i, |(r, _)| r);
    let Ok((r, _)) = kw("last")(after_the).or_else(|_| kw("past")(after_the)) else {
        return Ok((input, None));
    };
    let (r, n) = match number(r) {
        Ok((r, n)) => (r, n),
        Err(nom::Err::Failure(e)) => return Err(nom::Err::Failure(e)),
        Err(_) => (r, 1),
    };
    let at = ws(r);
    let unit = bare_word(at).ok().and_then(|(rest, w)| Some((rest, date::Unit::parse(w)?)));
    let Some((rest, unit)) = unit else {
        return PError::expected(at, Expected::Thing("days, weeks, months or years")).cut();
    };
    match date::last(date::statement_today(), n, unit) {
        Ok((from, to)) => Ok((rest, Some(DateRange { from: Some(from), to: Some(to) }))),
        Err(e) => Err(nom::Err::Failure(error_at(i, i.len() - rest.len(), e))),
    }
}

/// A status, with a suggestion for a misspelling.
pub fn status(input: &str) -> PResult<'_, Status> {
    let i = ws(input);
    let (rest, word) = bare_word(i).map_err(|_| nom::Err::Error(PError::expected(i, Expected::Thing("a status"))))?;
    match Status::parse_or_explain(word) {
        Ok(s) => Ok((rest, s)),
        Err(e) => Err(nom::Err::Failure(error_at(i, word.len(), e))),
    }
}

/// Statuses separated by `or` or commas: `disputed or denied`.
pub fn status_list(input: &str) -> PResult<'_, Vec<Status>> {
    let (mut i, first) = status(input)?;
    let mut out = vec![first];
    loop {
        let sep = kw("or")(i).or_else(|_| sym(",", "','")(i));
        match sep {
            Ok((rest, _)) if status(rest).is_ok() => {
                let (rest, s) = status(rest)?;
                out.push(s);
                i = rest;
            }
            _ => return Ok((i, out)),
        }
    }
}

/// A kind in the singular or plural (`official`, `officials`, `people`).
pub fn kind_word(input: &str) -> PResult<'_, Kind> {
    let i = ws(input);
    match bare_word(i) {
        Ok((rest, word)) => match Kind::parse_any_number(word) {
            Some(k) => Ok((rest, k)),
            None => PError::expected(i, Expected::Thing("a kind of source")).fail(),
        },
        Err(_) => PError::expected(i, Expected::Thing("a kind of source")).fail(),
    }
}

/// A kind, with a suggestion for a misspelling (after `as`, where a kind
/// must follow).
pub fn kind_strict(input: &str) -> PResult<'_, Kind> {
    let i = ws(input);
    if let Ok(r) = kind_word(i) {
        return Ok(r);
    }
    let (_, word) =
        bare_word(i).map_err(|_| nom::Err::Failure(PError::expected(i, Expected::Thing("a kind of source"))))?;
    match Kind::parse_or_explain(word) {
        Ok(k) => Ok((&i[word.len()..], k)),
        Err(e) => Err(nom::Err::Failure(error_at(i, word.len(), e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_need_a_word_boundary() {
        assert!(kw("by")("  BY x").is_ok());
        assert!(kw("by")("bypass").is_err());
        assert!(kw("in")("in-depth").is_err());
    }

    #[test]
    fn strings_and_names() {
        assert_eq!(string(r#" "a \"b\" c" rest"#).unwrap(), (" rest", "a \"b\" c".to_string()));
        assert!(matches!(string("\"open"), Err(nom::Err::Failure(_))));
        assert_eq!(name("x")("Reuters, AFP").unwrap().1, "Reuters");
        assert!(name("x")("after").is_err());
        assert_eq!(name_list("x")("Reuters, \"The AP\" on").unwrap().1, vec!["Reuters", "The AP"]);
    }

    #[test]
    fn dates_and_periods() {
        assert!(date("2024-11-09").is_ok());
        assert!(matches!(date("2024-02-30"), Err(nom::Err::Failure(_))));
        assert!(matches!(date("tomorrow"), Err(nom::Err::Error(_))));
        let (_, r) = period("2024-02").unwrap();
        assert_eq!(r.to.unwrap().to_string(), "2024-02-29");
        let (_, r) = period("2024").unwrap();
        assert_eq!(r.from.unwrap().to_string(), "2024-01-01");
        assert!(period("2024-13").is_err());
    }

    #[test]
    fn comments_are_whitespace() {
        assert_eq!(ws("  -- a comment\n  claims"), "claims");
        assert!(at_end(" -- only a comment"));
    }
}
