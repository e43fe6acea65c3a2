//! What running a statement gives back: typed results, which the shell
//! prints as tables, JSON, JSONL or CSV, and which embedding programs use
//! directly.

use crate::engine::rating_scale::{Leaning, RatingScale};
use crate::engine::{CheckReport, ImportReport, Stats};
use crate::model::{Claim, ClaimId, HistoryEntry, SourceCount};
use serde::Serialize;

/// The result of one statement.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Output {
    /// Claims matching a query, in the query's order.
    Claims(ClaimList),
    /// One claim in full (`claim 12`).
    Claim(Box<Claim>),
    /// The status history of one claim (`history of claim 12`).
    History {
        /// The claim.
        id: ClaimId,
        /// Its history, oldest first.
        entries: Vec<HistoryEntry>,
    },
    /// A number of claims (`count claims ...`).
    Count(u64),
    /// Counts per value (`count claims ... per status`), biggest first.
    Groups {
        /// What was grouped by: `status`, `source`, `month`...
        by: String,
        /// Each value with its count; `None` counts the claims without a
        /// value (no rating, no affiliation).
        rows: Vec<(Option<String>, u64)>,
    },
    /// Sources with their number of claims.
    Sources(Vec<SourceCount>),
    /// Track records: per source (or kind, outlet...) counts per status.
    Records(Vec<TrackRecord>),
    /// Pairs of contradicting claims.
    Pairs(Vec<(Claim, Claim)>),
    /// The plan of a query (`explain ...`), one line per step.
    Plan(Vec<String>),
    /// A claim was added.
    Added(ClaimId),
    /// A write succeeded; the message says what it did.
    Done(String),
    /// An import finished.
    Imported(ImportReport),
    /// Figures about the database.
    Stats(Stats),
    /// The integrity check's findings.
    Check(CheckReport),
    /// The rating scale, with the claims rated on it (`rating scale`).
    Scale(Box<ScaleView>),
    /// Claims ranked by how much their text resembles a text (`claims
    /// like`, `claims similar to claim N`), most similar first.
    Ranked(crate::query::article::Ranking),
    /// What an article proposes (`extract from`); nothing was stored.
    Proposals(Box<crate::query::article::ProposalList>),
    /// What recording an article did (`import article`, `review article`).
    ArticleImported(Box<crate::query::article::ArticleReport>),
    /// A claim was added, and the same source has claims with
    /// near-identical text: each with its similarity (0..1).
    AddedNearDuplicate {
        /// The new claim.
        id: ClaimId,
        /// The existing claims that look the same, most similar first.
        duplicates: Vec<(ClaimId, f64)>,
    },
}

/// The rating scale with the claims per grade, as `rating scale` shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScaleView {
    /// The scale.
    pub scale: RatingScale,
    /// Per grade, in the scale's order: the claims rated with any of its
    /// spellings.
    pub claims: Vec<u64>,
    /// Ratings claims have that are no grade of the scale (ratings given
    /// through the typed API, or before the scale changed), with their
    /// claims.
    pub off_scale: Vec<(String, u64)>,
}

impl ScaleView {
    /// The view of `scale` over the ratings in use (as
    /// [`crate::Db::ratings_in_use`] gives them).
    pub fn new(scale: RatingScale, in_use: Vec<(String, u64)>) -> ScaleView {
        let mut claims = vec![0; scale.grades.len()];
        let mut off_scale = Vec::new();
        for (rating, n) in in_use {
            match scale.grade(&rating).and_then(|g| scale.grades.iter().position(|x| x == g)) {
                Some(i) => claims[i] += n,
                None => off_scale.push((rating, n)),
            }
        }
        ScaleView { scale, claims, off_scale }
    }
}

/// The track record of one source (or kind, affiliation, outlet).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrackRecord {
    /// What the row is about: `source`, `kind`, `affiliation` or `outlet`.
    pub group: String,
    /// The source's name (or the kind, affiliation, outlet).
    pub name: String,
    /// How many claims.
    pub claims: u64,
    /// Claims per current status, in the order of [`crate::Status::ALL`].
    pub per_status: Vec<(String, u64)>,
    /// Claims per rating, most first.
    pub per_rating: Vec<(String, u64)>,
    /// The share of claims now confirmed (0..1).
    pub confirmed_share: f64,
    /// The share of claims now retracted or false (0..1).
    pub retracted_share: f64,
    /// How many of the claims have a rating.
    pub rated: u64,
    /// The rated claims per leaning of their rating on the rating scale
    /// (true-ish, mixed, false-ish); a rating off the scale leans none.
    pub per_leaning: Vec<(Leaning, u64)>,
    /// The share of the rated claims whose rating is true-ish (0..1);
    /// `None` when no claim is rated (there is no share, not a share of 0).
    pub rated_true_share: Option<f64>,
    /// The share of the rated claims whose rating is false-ish (0..1);
    /// `None` when no claim is rated.
    pub rated_false_share: Option<f64>,
    /// What the rows are ranked by (`retracted`, `rated "false"`,
    /// `false-ish`) and this row's share of it (0..1), when ranked; the
    /// share of a rating or leaning is `None` when no claim is rated (such
    /// rows come last).
    pub ranked: Option<(String, Option<f64>)>,
}

/// The claims a query returned, and how many matched in all when a
/// `limit` kept fewer (so that output can say `3 of 7 claims` instead of
/// hiding the rest). It reads like the list itself: it derefs to
/// `[Claim]`, iterates, and serialises as a plain JSON array.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClaimList {
    /// The claims, in the query's order. Empty when the claims were sent to
    /// a [`ClaimSink`] as they were found.
    pub claims: Vec<Claim>,
    /// How many claims matched before a `limit` cut the list, when the
    /// limit did cut it and the number is known; `None` otherwise.
    pub matched: Option<u64>,
}

impl ClaimList {
    /// A list of exactly these claims (no limit cut it).
    pub fn new(claims: Vec<Claim>) -> ClaimList {
        ClaimList { claims, matched: None }
    }
}

impl From<Vec<Claim>> for ClaimList {
    fn from(claims: Vec<Claim>) -> ClaimList {
        ClaimList::new(claims)
    }
}

impl std::ops::Deref for ClaimList {
    type Target = [Claim];
    fn deref(&self) -> &[Claim] {
        &self.claims
    }
}

impl IntoIterator for ClaimList {
    type Item = Claim;
    type IntoIter = std::vec::IntoIter<Claim>;
    fn into_iter(self) -> Self::IntoIter {
        self.claims.into_iter()
    }
}

impl<'a> IntoIterator for &'a ClaimList {
    type Item = &'a Claim;
    type IntoIter = std::slice::Iter<'a, Claim>;
    fn into_iter(self) -> Self::IntoIter {
        self.claims.iter()
    }
}

impl Serialize for ClaimList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.claims.serialize(serializer)
    }
}

/// Receives the claims of a query one at a time, in the query's order, as
/// the executor finds them, so that a million claims never sit in memory
/// at once (see [`crate::engine::Db::execute_streaming`]). Returning an error stops
/// the query with that error (a closed pipe, a cancelled request).
pub trait ClaimSink {
    /// Takes the next claim.
    fn claim(&mut self, claim: Claim) -> crate::Result<()>;
}

impl<F: FnMut(Claim) -> crate::Result<()>> ClaimSink for F {
    fn claim(&mut self, claim: Claim) -> crate::Result<()> {
        self(claim)
    }
}

impl Output {
    /// The claims in this output, if it holds claims.
    pub fn claims(&self) -> Option<&[Claim]> {
        match self {
            Output::Claims(c) => Some(c),
            Output::Claim(c) => Some(std::slice::from_ref(c)),
            _ => None,
        }
    }
}
