//! Index terms: the values a claim is indexed under, and their keys.
//!
//! Each term is a tag byte followed by the term's value encoded with
//! [`keycode`](crate::storage::keycode); a posting block's key is the term
//! followed by the block's first id. Text values are lower-cased so that
//! lookups are case-insensitive.

use crate::error::Result;
use crate::model::{date, Date, Kind, Status};
use crate::storage::keycode::{KeyBuilder, KeyReader};

/// The first byte of every date term's key.
pub const TAG_DATE: u8 = b'D';
/// The first byte of every source term's key.
pub const TAG_SOURCE: u8 = b'S';
/// The first byte of every kind term's key.
pub const TAG_KIND: u8 = b'K';
/// The first byte of every affiliation term's key.
pub const TAG_AFFILIATION: u8 = b'A';
/// The first byte of every status term's key.
pub const TAG_STATUS: u8 = b'T';
/// The first byte of every outlet term's key.
pub const TAG_OUTLET: u8 = b'O';
/// The first byte of every topic term's key.
pub const TAG_TOPIC: u8 = b'P';
/// The first byte of every rating term's key.
pub const TAG_RATING: u8 = b'R';
/// The first byte of every word term's key.
pub const TAG_WORD: u8 = b'W';
/// The first byte of every "status ever held" term's key.
pub const TAG_EVER: u8 = b'E';
/// The first byte of every outlet-count term's key.
pub const TAG_OUTLET_COUNT: u8 = b'N';
/// The first byte of every status-by-month term's key.
pub const TAG_STATUS_MONTH: u8 = b'M';

/// A month as one number (year × 12 + month − 1), for status-by-month terms.
pub fn month_number(date: Date) -> i32 {
    use chrono::Datelike;
    date.year() * 12 + date.month0() as i32
}

/// One value a claim is indexed under.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Term {
    /// The claim's date (day number).
    Date(i32),
    /// The claim's source record.
    Source(u64),
    /// The source's kind and anonymity.
    Kind(Kind, bool),
    /// The source's affiliation, lower-cased.
    Affiliation(String),
    /// The current status.
    Status(Status),
    /// An outlet, lower-cased.
    Outlet(String),
    /// A topic, lower-cased.
    Topic(String),
    /// The rating, lower-cased.
    Rating(String),
    /// A word of the text, lower-cased.
    Word(String),
    /// A status the claim has held at any time (from its history): narrows
    /// questions about statuses as of a past day.
    Ever(Status),
    /// How many outlets reported the claim (capped at 255): narrows
    /// `reported by at least N outlets`.
    OutletCount(u8),
    /// The current status in the claim's month (see [`month_number`]): a
    /// composite index for "status within a month".
    StatusMonth(Status, i32),
}

impl Term {
    /// The key prefix every block of this term starts with.
    pub fn prefix(&self) -> Vec<u8> {
        match self {
            Term::Date(d) => KeyBuilder::tag(TAG_DATE).i32(*d),
            Term::Source(id) => KeyBuilder::tag(TAG_SOURCE).u64(*id),
            Term::Kind(kind, anonymous) => KeyBuilder::tag(TAG_KIND).u8(kind.code()).u8(u8::from(*anonymous)),
            Term::Affiliation(s) => KeyBuilder::tag(TAG_AFFILIATION).str(s),
            Term::Status(s) => KeyBuilder::tag(TAG_STATUS).u8(s.code()),
            Term::Outlet(s) => KeyBuilder::tag(TAG_OUTLET).str(s),
            Term::Topic(s) => KeyBuilder::tag(TAG_TOPIC).str(s),
            Term::Rating(s) => KeyBuilder::tag(TAG_RATING).str(s),
            Term::Word(s) => KeyBuilder::tag(TAG_WORD).str(s),
            Term::Ever(s) => KeyBuilder::tag(TAG_EVER).u8(s.code()),
            Term::OutletCount(n) => KeyBuilder::tag(TAG_OUTLET_COUNT).u8(*n),
            Term::StatusMonth(s, m) => KeyBuilder::tag(TAG_STATUS_MONTH).u8(s.code()).i32(*m),
        }
        .build()
    }

    /// The key of this term's block that starts at `first_id`.
    pub fn block_key(&self, first_id: u64) -> Vec<u8> {
        let mut key = self.prefix();
        key.extend_from_slice(&first_id.to_be_bytes());
        key
    }

    /// Parses a block key back into its term and first id.
    pub fn parse_block_key(key: &[u8]) -> Result<(Term, u64)> {
        let mut r = KeyReader::new(key);
        let corrupt = || crate::errcorrupt!("index key {key:?} is not a posting key");
        let term = match r.u8()? {
            TAG_DATE => Term::Date(r.i32()?),
            TAG_SOURCE => Term::Source(r.u64()?),
            TAG_KIND => {
                let kind = Kind::from_code(r.u8()?).ok_or_else(corrupt)?;
                let anonymous = match r.u8()? {
                    0 => false,
                    1 => true,
                    _ => return Err(corrupt()),
                };
                Term::Kind(kind, anonymous)
            }
            TAG_AFFILIATION => Term::Affiliation(r.str()?),
            TAG_STATUS => Term::Status(Status::from_code(r.u8()?).ok_or_else(corrupt)?),
            TAG_OUTLET => Term::Outlet(r.str()?),
            TAG_TOPIC => Term::Topic(r.str()?),
            TAG_RATING => Term::Rating(r.str()?),
            TAG_WORD => Term::Word(r.str()?),
            TAG_EVER => Term::Ever(Status::from_code(r.u8()?).ok_or_else(corrupt)?),
            TAG_OUTLET_COUNT => Term::OutletCount(r.u8()?),
            TAG_STATUS_MONTH => Term::StatusMonth(Status::from_code(r.u8()?).ok_or_else(corrupt)?, r.i32()?),
            _ => return Err(corrupt()),
        };
        let first = r.u64()?;
        r.finish()?;
        Ok((term, first))
    }

    /// The prefix of every word term starting with `stem` (for `negotiat*`).
    pub fn word_stem_prefix(stem: &str) -> Vec<u8> {
        KeyBuilder::tag(TAG_WORD).str_prefix(stem).build()
    }

    /// The key prefix of all date terms.
    pub fn date_tag() -> Vec<u8> {
        vec![TAG_DATE]
    }

    /// The key prefix of all status terms.
    pub fn status_tag() -> Vec<u8> {
        vec![TAG_STATUS]
    }

    /// A short human name of the index this term belongs to, for `explain`.
    pub fn index_name(&self) -> &'static str {
        match self {
            Term::Date(_) => "date",
            Term::Source(_) => "source",
            Term::Kind(..) => "source kind",
            Term::Affiliation(_) => "affiliation",
            Term::Status(_) => "status",
            Term::Outlet(_) => "outlet",
            Term::Topic(_) => "topic",
            Term::Rating(_) => "rating",
            Term::Word(_) => "text words",
            Term::Ever(_) => "status history",
            Term::OutletCount(_) => "outlet count",
            Term::StatusMonth(..) => "status by month",
        }
    }

    /// The term written as `index=value`, for `explain`.
    pub fn describe(&self) -> String {
        match self {
            Term::Date(d) => format!("date={}", date::from_day_number(*d).map_or("?".into(), |d| d.to_string())),
            Term::Source(id) => format!("source=@{id}"),
            Term::Kind(k, a) => format!("kind={}{}", if *a { "anonymous " } else { "named " }, k),
            Term::Affiliation(s) => format!("affiliation={s:?}"),
            Term::Status(s) => format!("status={s}"),
            Term::Outlet(s) => format!("outlet={s:?}"),
            Term::Topic(s) => format!("topic={s:?}"),
            Term::Rating(s) => format!("rating={s:?}"),
            Term::Word(s) => format!("word={s:?}"),
            Term::Ever(s) => format!("ever={s}"),
            Term::OutletCount(n) => format!("outlets={n}"),
            Term::StatusMonth(s, m) => format!("status={s} month={:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1),
        }
    }
}

/// Splits text into index words: runs of letters and digits, lower-cased.
/// Everything else (spaces, punctuation, apostrophes) separates words.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// Everything a claim with these values is indexed under.
#[allow(clippy::too_many_arguments)]
pub fn terms_of(
    date: Date,
    source_id: u64,
    kind: Kind,
    anonymous: bool,
    affiliation: Option<&str>,
    status: Status,
    outlets: &[String],
    topics: &[String],
    rating: Option<&str>,
    text: &str,
    ever: &[Status],
) -> Vec<Term> {
    let mut terms = Vec::with_capacity(16 + text.len() / 5);
    terms.push(Term::Date(date::to_day_number(date)));
    terms.push(Term::Source(source_id));
    terms.push(Term::Kind(kind, anonymous));
    if let Some(a) = affiliation {
        terms.push(Term::Affiliation(a.to_lowercase()));
    }
    terms.push(Term::Status(status));
    for o in outlets {
        terms.push(Term::Outlet(o.to_lowercase()));
    }
    for t in topics {
        terms.push(Term::Topic(t.to_lowercase()));
    }
    if let Some(r) = rating {
        terms.push(Term::Rating(r.to_lowercase()));
    }
    for w in words(text) {
        terms.push(Term::Word(w));
    }
    for s in ever {
        terms.push(Term::Ever(*s));
    }
    terms.push(Term::OutletCount(u8::try_from(outlets.len()).unwrap_or(u8::MAX)));
    terms.push(Term::StatusMonth(status, month_number(date)));
    // Sorted and without repeats: a set, cheaper to build than a BTreeSet.
    terms.sort_unstable();
    terms.dedup();
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_punctuation() {
        let got: Vec<String> = words("The Hamas political-office, no longer “serves” its purpose; 2024!").collect();
        assert_eq!(got, ["the", "hamas", "political", "office", "no", "longer", "serves", "its", "purpose", "2024"]);
    }

    #[test]
    fn block_keys_parse_back() {
        let terms = [
            Term::Date(-3),
            Term::Source(9),
            Term::Kind(Kind::Official, true),
            Term::Affiliation("us".into()),
            Term::Status(Status::Disputed),
            Term::Outlet("a\0b".into()),
            Term::Topic("gaza".into()),
            Term::Rating("half-true".into()),
            Term::Word("qatar".into()),
        ];
        for term in terms {
            let key = term.block_key(42);
            assert_eq!(Term::parse_block_key(&key).unwrap(), (term.clone(), 42));
            assert!(key.starts_with(&term.prefix()));
        }
        assert!(Term::parse_block_key(b"Zzz").is_err());
    }

    #[test]
    fn stem_prefix_matches_longer_words() {
        let stem = Term::word_stem_prefix("negotiat");
        assert!(Term::Word("negotiations".into()).prefix().starts_with(&stem));
        assert!(!Term::Word("negotiate".into()).prefix().starts_with(&Term::word_stem_prefix("negotiatz")));
    }
}
