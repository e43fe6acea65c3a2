//! The top of an article: a date line (`date 2024-11-09`, `Published
//! February 20, 2025`, `Tuesday, April 22, 2025`) and the dateline
//! (`GENEVA, Nov 12, 2024 (Reuters) -`), which give the article's date,
//! its publisher and the city it was filed from. Dates further down are
//! about events, never the article's.

use super::article::Article;
use super::gazetteer;
use super::proposal::DateOrigin;
use crate::model::date::check_ymd;
use crate::model::Date;

/// What the top of an article says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Head {
    /// The article's date and where it was read.
    pub date: Option<(Date, DateOrigin)>,
    /// The outlet of the dateline, canonical (`Reuters`, `AP`).
    pub publisher: Option<&'static str>,
    /// The dateline's city as written (`GENEVA`).
    pub city: Option<String>,
    /// What the dateline names after the city, as written (`Switzerland`
    /// in "LAUSANNE, Switzerland, Feb 11"), when it is not the date.
    pub region: Option<String>,
}

/// How many paragraphs from the top may hold the date line or dateline.
const HEAD_PARAGRAPHS: usize = 3;

/// Reads the date line and dateline of an article.
pub fn read(a: &Article) -> Head {
    let mut head = Head::default();
    for &(from, to) in a.paragraphs.iter().take(HEAD_PARAGRAPHS) {
        let para = &a.text[from..to];
        let top: String = para.chars().take(200).collect();
        let dateline = dateline(&top);
        if let Some((city, outlet, before)) = &dateline {
            if head.publisher.is_none() {
                head.publisher = Some(outlet);
                head.city = Some(city.clone());
                head.region = before
                    .split(',')
                    .nth(1)
                    .map(str::trim)
                    .filter(|r| r.chars().next().is_some_and(char::is_uppercase) && find_date(r).is_none())
                    .filter(|r| !r.chars().any(|c| c.is_ascii_digit()))
                    .map(str::to_string);
            }
            if head.date.is_none() {
                if let Some(d) = find_date(before) {
                    head.date = Some((d, DateOrigin::Dateline));
                }
            }
        }
        if head.date.is_none() {
            head.date = date_line(para).map(|d| (d, DateOrigin::DateLine));
        }
        if head.publisher.is_some() {
            break;
        }
    }
    // "This report by The Canadian Press was first published June 9, 2025.":
    // a date line at the foot.
    if head.date.is_none() {
        for &(from, to) in a.paragraphs.iter().rev().take(2) {
            let para = &a.text[from..to];
            // (Not "the study, published June 9, 2025, found …".)
            let foot = para.starts_with("This ") || para.contains("first published");
            if let Some(at) = para.find("published").filter(|_| foot) {
                let rest: String = para[at + "published".len()..].chars().take(60).collect();
                if let Some(d) = find_date(&rest) {
                    head.date = Some((d, DateOrigin::DateLine));
                    break;
                }
            }
        }
    }
    head
}

/// The date line of a paragraph at the top. A byline and a date line may
/// share a paragraph, a line each ("By Helen Marsh, Science
/// Correspondent\n22 September 2025"), or a line, between bars ("By Priya
/// Natarajan | August 19, 2025", "Mar 6th 2025|BERLIN|4 min read"). The
/// first publication beats an update listed above it ("Updated: March 8 …
/// Published: March 7 …"); a newspaper's running head in capitals ("12 THE
/// MERIDIAN HERALD FRIDAY, JANUARY 17, 2025") counts too.
fn date_line(para: &str) -> Option<Date> {
    let mut updated = None;
    for line in para.lines().take(4) {
        let line: String = line.chars().take(200).collect();
        let running_head = !line.chars().any(char::is_lowercase) && line.chars().any(char::is_uppercase);
        let found = line.split('|').find_map(leading_date).or_else(|| running_head.then(|| find_date(&line)).flatten());
        let Some(d) = found else { continue };
        let lower = line.trim_start().to_lowercase();
        if lower.starts_with("updated") || lower.starts_with("last updated") || lower.starts_with("last modified") {
            updated.get_or_insert(d);
        } else {
            return Some(d);
        }
    }
    updated
}

/// `CITY[, …] (OUTLET) -`: the city, the outlet and the text before `(`.
fn dateline(top: &str) -> Option<(String, &'static str, &str)> {
    let open = top.find('(')?;
    let close = open + top[open..].find(')')?;
    let outlet = gazetteer::get().outlet(&top[open + 1..close])?;
    let rest = top[close + 1..].trim_start();
    if !rest.starts_with(['-', '–', '—']) {
        return None;
    }
    let before = &top[..open];
    let city = before.split(',').next().unwrap_or("").trim().to_string();
    // A dateline city is written in capitals.
    if city.is_empty() || city.chars().any(char::is_lowercase) {
        return None;
    }
    Some((city, outlet, before))
}

/// Words that may stand before a date line's date.
fn lead_word(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    // A time of day ("10:32", "10:32am") before the date.
    let time = w.contains(':') || word.chars().next().is_some_and(|c| c.is_ascii_digit()) && word.contains(':');
    w.is_empty()
        || time
        // "GMT+2", "UTC-5"
        || ((w.starts_with("gmt") || w.starts_with("utc"))
            && w[3..].chars().all(|c| matches!(c, '+' | '-' | ':') || c.is_ascii_digit()))
        || matches!(
            w.as_str(),
            "date"
                | "dated"
                | "published"
                | "posted"
                | "updated"
                | "filed"
                | "on"
                | "last"
                | "first"
                | "at"
                | "am"
                | "pm"
                | "a.m"
                | "p.m"
                | "gmt"
                | "utc"
                | "est"
                | "edt"
                | "cet"
                | "bst"
        )
        || weekday(&w)
}

fn weekday(w: &str) -> bool {
    matches!(
        w,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "mon"
            | "tue"
            | "wed"
            | "thu"
            | "fri"
            | "sat"
            | "sun"
    )
}

/// A date at the very start of a paragraph, after only lead words.
fn leading_date(top: &str) -> Option<Date> {
    let words: Vec<&str> = top.split_whitespace().collect();
    // "Thiruvananthapuram, April 24, 2026", "NEW YORK, Feb. 24, 2025
    // /PRNewswire/ --": a place of up to three words, then the date at once
    // (not "However, on June 4, 2025, …").
    let place_end = (0..words.len().min(3)).find(|&j| words[j].ends_with(','));
    if let Some(j) = place_end {
        let capitalised = words[..=j].iter().all(|w| w.chars().next().is_some_and(char::is_uppercase));
        let adverb = matches!(words[0], "However," | "Meanwhile," | "Still," | "Instead," | "Yet," | "Now," | "Then,");
        if capitalised && !adverb && !weekday(&words[0].trim_end_matches(',').to_lowercase()) {
            if let Some(d) = date_at(&words[j + 1..]) {
                return Some(d);
            }
        }
    }
    let mut i = 0;
    while i < words.len() && i < 8 {
        if let Some(d) = date_at(&words[i..]) {
            return Some(d);
        }
        // "Wednesday 05/03/2025": the weekday says which order is meant.
        if weekday(&words[i].trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()) {
            if let Some(d) = words.get(i + 1).and_then(|w| by_weekday(words[i], w.trim_end_matches(','))) {
                return Some(d);
            }
        }
        if !lead_word(words[i]) {
            return None;
        }
        i += 1;
    }
    None
}

/// The first date anywhere in a short text (a dateline's head).
fn find_date(text: &str) -> Option<Date> {
    let words: Vec<&str> = text.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).collect();
    (0..words.len()).find_map(|i| date_at(&words[i..]))
}

fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(['.', ',']).to_lowercase();
    const NAMES: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let m = NAMES.iter().position(|n| w.starts_with(n))? as u32 + 1;
    let full = crate::model::date::month_name(m).to_lowercase();
    (w.len() == 3 || w == "sept" || w == full).then_some(m)
}

fn number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches([',', '.', ':']);
    let w = w.trim_end_matches("st").trim_end_matches("nd").trim_end_matches("rd").trim_end_matches("th");
    (!w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit())).then(|| w.parse().ok())?
}

/// A date starting at `words[0]`: `2024-11-09`, `November 9, 2024`,
/// `Nov. 9, 2024`, `9 November 2024`.
fn date_at(words: &[&str]) -> Option<Date> {
    let first = words.first()?.trim_end_matches([',', '.', ':']);
    // "2024-11-09", "2024-11-18T23:40:00Z", "2024/12/09".
    let b = first.as_bytes();
    let timed = b.len() == 10 || (b.len() > 10 && b[10] == b'T');
    if b.len() >= 10 && timed && b[4] == b[7] && matches!(b[4], b'-' | b'/') && first.is_char_boundary(10) {
        let y = first[0..4].parse().ok()?;
        let m = first[5..7].parse().ok()?;
        let d = first[8..10].parse().ok()?;
        return check_ymd(y, m, d).ok();
    }
    // "11.03.2026" (day first, as where dots are written), "21/11/2025"
    // (day first only when the day says so: "03/04/2025" could be either
    // and is not read).
    if let Some(d) = numeric_date(first) {
        return Some(d);
    }
    let second = words.get(1)?;
    let third = words.get(2)?;
    if let (Some(m), Some(d), Some(y)) = (month(first), number(second), number(third)) {
        return (y > 1900).then(|| check_ymd(y as i32, m, d).ok())?;
    }
    if let (Some(d), Some(m), Some(y)) = (number(first), month(second), number(third)) {
        return (y > 1900 && d <= 31).then(|| check_ymd(y as i32, m, d).ok())?;
    }
    None
}

/// A numeric date whose order only the weekday before it settles
/// ("Wednesday 05/03/2025" is 5 March, a Wednesday; 3 May was a Saturday).
fn by_weekday(day_name: &str, word: &str) -> Option<Date> {
    use chrono::Datelike;
    let wanted: chrono::Weekday = day_name.trim_end_matches([',', '.']).parse().ok()?;
    let parts: Vec<u32> = word.split(['/', '.']).map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let [a, b, y] = parts[..] else { return None };
    let y = i32::try_from(y).ok().filter(|y| *y > 1900)?;
    let fits: Vec<Date> = [(a, b), (b, a)]
        .into_iter()
        .filter_map(|(d, m)| check_ymd(y, m, d).ok())
        .filter(|d| d.weekday() == wanted)
        .collect();
    match fits[..] {
        [d] => Some(d),
        [d, e] if d == e => Some(d),
        _ => None,
    }
}

/// `DD.MM.YYYY`; with slashes, `DD/MM/YYYY` when the first number is over
/// 12 and `MM/DD/YYYY` when the second is, else nothing (either could be
/// meant).
fn numeric_date(word: &str) -> Option<Date> {
    let sep = if word.contains('.') { '.' } else { '/' };
    let parts: Vec<&str> = word.split(sep).collect();
    if parts.len() != 3
        || parts[2].len() != 4
        || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (a, b, y): (u32, u32, i32) = (parts[0].parse().ok()?, parts[1].parse().ok()?, parts[2].parse().ok()?);
    let (d, m) = match sep {
        '.' => (a, b),
        _ if a > 12 => (a, b),
        _ if b > 12 => (b, a),
        _ => return None,
    };
    (y > 1900).then(|| check_ymd(y, m, d).ok())?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Head {
        read(&Article::new(text))
    }

    fn day(s: &str) -> Date {
        crate::model::date::parse_iso(s).unwrap()
    }

    #[test]
    fn date_lines() {
        assert_eq!(head(" date 2024-11-09 Qatar has withdrawn.").date, Some((day("2024-11-09"), DateOrigin::DateLine)));
        assert_eq!(head("Published February 20, 2025\n\nGENEVA (AP) — x").date.map(|d| d.0), Some(day("2025-02-20")));
        assert_eq!(head("Tuesday, April 22, 2025\n\nText.").date.map(|d| d.0), Some(day("2025-04-22")));
        assert_eq!(head("Posted 28 Jan 2025\n\nText.").date.map(|d| d.0), Some(day("2025-01-28")));
        assert_eq!(
            head("Updated 10:32 AM EST, Sat November 9, 2024\n\nText.").date.map(|d| d.0),
            Some(day("2024-11-09"))
        );
    }

    #[test]
    fn datelines_give_date_publisher_and_city() {
        let h = head("PORT SUDAN, Sudan, May 6, 2025 (AFP) – Shelling killed 14 people on October 7, 2023.");
        assert_eq!(h.date, Some((day("2025-05-06"), DateOrigin::Dateline)));
        assert_eq!(h.publisher, Some("AFP"));
        assert_eq!(h.city.as_deref(), Some("PORT SUDAN"));
        assert_eq!(h.region.as_deref(), Some("Sudan"));
        let h = head("LONDON, Nov 4 (Reuters) - A trial opened.");
        assert_eq!((h.date, h.publisher, h.region), (None, Some("Reuters"), None));
    }

    #[test]
    fn date_lines_under_a_byline_and_in_numbers() {
        let read = |t: &str| head(t).date.map(|(d, _)| d);
        let byline = "A headline\n\nBy Helen Marsh, Science Correspondent\n22 September 2025\n\nText.";
        assert_eq!(read(byline), Some(day("2025-09-22")));
        assert_eq!(read("A headline\n\nDate 11.03.2026\n\nText."), Some(day("2026-03-11")));
        assert_eq!(read("A headline\n\nPublished on: 21/11/2025 - 10:32\n\nText."), Some(day("2025-11-21")));
        assert_eq!(read("A headline\n\nPublished on: 03/04/2025\n\nText."), None, "day and month could be either");
        assert_eq!(read("A headline\n\nThiruvananthapuram, April 24, 2026\n\nText."), Some(day("2026-04-24")));
        assert_eq!(read("A headline\n\nHowever, on June 4, 2025, the court ruled.\n\nText."), None);
        assert_eq!(read("A headline\n\nPublished 11:20 AM GMT+2, June 4, 2025\n\nText."), Some(day("2025-06-04")));
        let foot =
            "A headline\n\nWINNIPEG — Text.\n\nThis report by The Canadian Press was first published June 9, 2025.";
        assert_eq!(read(foot), Some(day("2025-06-09")));
    }

    #[test]
    fn the_date_line_corpus() {
        // tests/data/datelines/README.md says where these come from.
        #[derive(serde::Deserialize)]
        struct Case {
            header: String,
            date: Option<String>,
            why: String,
        }
        let cases: Vec<Case> = serde_json::from_str(include_str!("../../tests/data/datelines/cases.json")).unwrap();
        let wrong: Vec<String> = cases
            .iter()
            .filter(|c| head(&format!("{}\n\nText.", c.header)).date.map(|d| d.0) != c.date.as_deref().map(day))
            .map(|c| format!("{}: {:?}", c.why, c.header))
            .collect();
        assert!(wrong.is_empty(), "{} of {} wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
    }

    #[test]
    fn weekdays_settle_a_numeric_order_and_updates_yield_to_publication() {
        let read = |t: &str| head(t).date.map(|(d, _)| d);
        assert_eq!(read("A headline\nWednesday 05/03/2025\n\nText."), Some(day("2025-03-05")));
        assert_eq!(
            read("A headline\nUpdated: March 8, 2025\nPublished: March 7, 2025\n\nText."),
            Some(day("2025-03-07"))
        );
        assert_eq!(read("A headline\nBy Priya Natarajan | August 19, 2025\n\nText."), Some(day("2025-08-19")));
        assert_eq!(read("A headline\n2024-11-18T23:40:00Z\n\nText."), Some(day("2024-11-18")));
        assert_eq!(read("NEW YORK, Feb. 24, 2025 /PRNewswire/ -- Text."), Some(day("2025-02-24")));
    }

    #[test]
    fn dates_in_the_story_are_not_the_article_date() {
        assert_eq!(head("The attack of October 7, 2023 killed 1,200 people.").date, None);
    }
}
