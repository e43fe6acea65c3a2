//! Index terms: the values a claim is indexed under. Text values are
//! lower-cased so that lookups are case-insensitive; the words of the text
//! are indexed with their positions, so that phrases are answered from the
//! index. How terms are keyed is in [`super::keys`].

use crate::model::{date, Date, Kind, Status};

// The tags are part of the terms' interface (the planner groups counts by
// them); their values are laid out in `keys`.
#[allow(unused_imports)]
pub use super::keys::{
    TAG_AFFILIATION, TAG_DATE, TAG_EVER, TAG_KIND, TAG_OUTLET, TAG_OUTLET_COUNT, TAG_RATING, TAG_SOURCE, TAG_STATUS,
    TAG_STATUS_MONTH, TAG_TOPIC, TAG_WORD,
};

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

/// One index entry of a claim: a term, with the positions of the word in
/// the text for word terms (empty for every other term).
pub type Entry = (Term, Vec<u32>);

/// Each word of `text` with its positions among the text's words (as
/// [`words`] splits it), in word order.
pub fn word_positions(text: &str) -> Vec<(String, Vec<u32>)> {
    let mut all: Vec<(String, u32)> = words(text).enumerate().map(|(i, w)| (w, i as u32)).collect();
    all.sort_unstable();
    let mut out: Vec<(String, Vec<u32>)> = Vec::new();
    for (word, pos) in all {
        match out.last_mut() {
            Some((last, list)) if *last == word => list.push(pos),
            _ => out.push((word, vec![pos])),
        }
    }
    out
}

/// Calls `f` with each word of `text` (lower-cased, exactly as [`words`]
/// gives it) and its position, reusing one buffer: no allocation per word
/// for ASCII words. For bulk imports, where this runs for every word.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str, u32)) {
    let mut buf = String::new();
    for (i, word) in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).enumerate() {
        if word.is_ascii() {
            buf.clear();
            buf.extend(word.chars().map(|c| c.to_ascii_lowercase()));
            f(&buf, i as u32);
        } else {
            f(&word.to_lowercase(), i as u32);
        }
    }
}

/// The terms a claim is indexed under other than the words of its text,
/// unsorted and possibly with repeats.
#[allow(clippy::too_many_arguments)]
pub fn field_terms_of(
    date: Date,
    source_id: u64,
    kind: Kind,
    anonymous: bool,
    affiliation: Option<&str>,
    status: Status,
    outlets: &[String],
    topics: &[String],
    rating: Option<&str>,
    ever: &[Status],
) -> Vec<Term> {
    let mut terms = Vec::with_capacity(8 + outlets.len() + topics.len() + ever.len());
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
    for s in ever {
        terms.push(Term::Ever(*s));
    }
    terms.push(Term::OutletCount(u8::try_from(outlets.len()).unwrap_or(u8::MAX)));
    terms.push(Term::StatusMonth(status, month_number(date)));
    terms
}

/// Everything a claim with these values is indexed under, sorted by term
/// and without repeats: the field terms, and each word with its positions.
#[allow(clippy::too_many_arguments)]
pub fn entries_of(
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
) -> Vec<Entry> {
    let terms = field_terms_of(date, source_id, kind, anonymous, affiliation, status, outlets, topics, rating, ever);
    let mut entries: Vec<Entry> = terms.into_iter().map(|t| (t, Vec::new())).collect();
    entries.extend(word_positions(text).into_iter().map(|(w, pos)| (Term::Word(w), pos)));
    // Sorted and without repeats: a set, cheaper to build than a BTreeSet.
    entries.sort_unstable();
    entries.dedup_by(|a, b| a.0 == b.0);
    entries
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
    fn the_word_walk_lowercases_exactly_as_words_does() {
        let text = "ΟΔΟΣ Ödön, İstanbul ǅemal — ﬁnal ΣΊΣΥΦΟΣ 2024 Qatar's";
        let mut walked = Vec::new();
        for_each_word(text, |w, i| walked.push((w.to_string(), i)));
        let want: Vec<(String, u32)> = words(text).enumerate().map(|(i, w)| (w, i as u32)).collect();
        assert_eq!(walked, want);
    }

    #[test]
    fn words_have_their_positions() {
        let got = word_positions("Qatar, said Qatar: no");
        assert_eq!(got, vec![("no".into(), vec![3]), ("qatar".into(), vec![0, 2]), ("said".into(), vec![1])]);
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
            Term::StatusMonth(Status::False, 24_300),
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
