//! What the article statements and the similarity ranking give back:
//! claims ranked against a text (`claims like`), an article's proposals
//! with the claims each may repeat (`extract from`), and what recording
//! them did (`import article`, `review article`).

use crate::extract::{DateOrigin, Proposal};
use crate::model::{Claim, ClaimId, Date, NewClaim};
use serde::Serialize;

/// Claims ranked by similarity, most similar first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranking {
    /// What they were compared with: the text, or `claim #N`.
    pub like: String,
    /// The claims, best first.
    pub claims: Vec<RankedClaim>,
}

/// A claim with its place in a ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankedClaim {
    /// The claim.
    #[serde(flatten)]
    pub claim: Claim,
    /// Its BM25 score against the text (higher ranks first; scores of
    /// different texts do not compare).
    pub score: f64,
    /// How similar the two texts are, 0..1: the idf-weighted share of
    /// their words in common.
    pub similarity: f64,
}

/// An existing claim a proposal may repeat.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Match {
    /// The claim's id.
    pub claim: ClaimId,
    /// Its BM25 score against the proposal's text.
    pub score: f64,
    /// How similar the texts are, 0..1.
    pub similarity: f64,
    /// The claim's text.
    pub text: String,
    /// The claim's source.
    pub source: crate::model::Source,
    /// Whether `import article` would merge the proposal into this claim
    /// (similar enough, and the sources agree).
    pub merge: bool,
}

/// One proposal of an article, with what the database already holds.
#[derive(Clone, Debug, PartialEq)]
pub struct ProposedClaim {
    /// The proposal.
    pub proposal: Proposal,
    /// Claims it may repeat, most similar first.
    pub matches: Vec<Match>,
    /// The article's words around the source: before, the source's own
    /// words, after (one sentence at most), for showing where it was found.
    pub context: (String, String, String),
}

impl ProposedClaim {
    /// The claim `import article` would merge this proposal into, if any.
    pub fn merge_into(&self) -> Option<ClaimId> {
        self.matches.iter().find(|m| m.merge).map(|m| m.claim)
    }
}

/// What `extract from` found in an article.
#[derive(Clone, Debug, PartialEq)]
pub struct ProposalList {
    /// The file, as named in the statement.
    pub file: String,
    /// The date every proposal carries (none only when nothing was found).
    pub date: Option<Date>,
    /// Where the date came from.
    pub date_origin: Option<DateOrigin>,
    /// The outlets added to every proposal (`via`, else the dateline's).
    pub via: Vec<String>,
    /// The proposals, in text order.
    pub proposals: Vec<ProposedClaim>,
}

/// What a person decided for one proposal (`review article`).
#[derive(Clone, Debug, PartialEq)]
pub struct Reviewed {
    /// The proposal's number in the article (0-based, in text order).
    pub index: usize,
    /// What to do with it.
    pub action: Action,
}

/// What to do with a proposal.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Add it as a new claim, as given (possibly edited).
    Add(Box<NewClaim>),
    /// Merge it into an existing claim: its outlets and the article as
    /// evidence go to that claim.
    Merge(ClaimId),
    /// Leave it out.
    Skip,
}

/// What recording an article did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ArticleReport {
    /// The file, as named in the statement.
    pub file: String,
    /// One line per proposal, in text order.
    pub entries: Vec<Recorded>,
}

/// What became of one proposal.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Recorded {
    /// The proposal's number (1-based, as `extract from` shows it).
    pub proposal: usize,
    /// What was done.
    pub outcome: Outcome,
    /// The claim it went to (none when skipped).
    pub claim: Option<ClaimId>,
    /// The claim's text (the proposal's when it was added or skipped).
    pub text: String,
    /// Outlets the claim gained (a merge).
    pub outlets_added: Vec<String>,
    /// How similar the proposal was to the claim it merged into.
    pub similarity: Option<f64>,
}

/// What became of a proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Added as a new claim.
    Added,
    /// Merged into an existing claim.
    Merged,
    /// It repeats a claim that already has this article as evidence:
    /// nothing to record.
    AlreadyRecorded,
    /// Left out in review.
    Skipped,
}

impl Outcome {
    /// The word the report uses.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Added => "added",
            Outcome::Merged => "merged",
            Outcome::AlreadyRecorded => "already recorded",
            Outcome::Skipped => "skipped",
        }
    }
}

/// `1 word`, `3 words`.
pub fn words_phrase(n: usize) -> String {
    if n == 1 {
        "1 word".to_string()
    } else {
        format!("{n} words")
    }
}

impl ArticleReport {
    /// How many proposals had this outcome.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.entries.iter().filter(|e| e.outcome == outcome).count()
    }
}

/// A proposal as JSON: the claim in the interchange shape, then its
/// `extraction` with the claims it may repeat (`matches`).
#[derive(Serialize)]
struct ProposedJson<'a> {
    text: &'a str,
    source: crate::extract::SourceJson<'a>,
    outlets: &'a [String],
    date: String,
    status: &'static str,
    topics: &'a [String],
    extraction: ExtractionJson<'a>,
}

/// The `extraction` object: how the proposal was found, and its matches.
#[derive(Serialize)]
struct ExtractionJson<'a> {
    #[serde(flatten)]
    record: &'a crate::extract::Record,
    matches: &'a [Match],
}

impl Serialize for ProposedClaim {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let j = self.proposal.json();
        ProposedJson {
            text: j.text,
            source: j.source,
            outlets: j.outlets,
            date: j.date,
            status: j.status,
            topics: j.topics,
            extraction: ExtractionJson { record: j.extraction, matches: &self.matches },
        }
        .serialize(serializer)
    }
}

impl Serialize for ProposalList {
    /// As `--format json` prints it: the array of proposals.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.proposals.serialize(serializer)
    }
}
