//! Claims, their sources and everything recorded about them.

use super::date::Date;
use super::vocab::{Kind, Relation, Status};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A claim's number, shown to users as `#12`. Ids are never reused.
pub type ClaimId = u64;

/// Who made a claim. Sources are shared: the same name, kind, anonymity and
/// affiliation (compared case-insensitively) are one source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// How the reporting names the source, e.g. `diplomatic official`.
    pub name: String,
    /// What sort of source it is.
    pub kind: Kind,
    /// Whether the source spoke on condition of anonymity.
    pub anonymous: bool,
    /// Whom the source belongs to or speaks for, e.g. `Qatar`, `US`.
    pub affiliation: Option<String>,
    /// Free text about the source; not part of its identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Source {
    /// A named source of unknown kind, not anonymous, without affiliation.
    pub fn new(name: impl Into<String>) -> Source {
        Source { name: name.into(), kind: Kind::Unknown, anonymous: false, affiliation: None, description: None }
    }

    /// Sets the kind.
    pub fn kind(mut self, kind: Kind) -> Source {
        self.kind = kind;
        self
    }

    /// Marks the source as anonymous (or not).
    pub fn anonymous(mut self, anonymous: bool) -> Source {
        self.anonymous = anonymous;
        self
    }

    /// Sets the affiliation.
    pub fn affiliation(mut self, affiliation: impl Into<String>) -> Source {
        self.affiliation = Some(affiliation.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Source {
        self.description = Some(description.into());
        self
    }

    /// Whether two sources are the same record: same name, kind, anonymity
    /// and affiliation, compared case-insensitively.
    pub fn same_identity(&self, other: &Source) -> bool {
        self.kind == other.kind
            && self.anonymous == other.anonymous
            && self.name.to_lowercase() == other.name.to_lowercase()
            && self.affiliation.as_ref().map(|a| a.to_lowercase())
                == other.affiliation.as_ref().map(|a| a.to_lowercase())
    }
}

/// A piece of evidence attached to a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Where the evidence is.
    pub url: String,
    /// What it shows.
    #[serde(default)]
    pub note: Option<String>,
    /// Who published it (for a fact-check, the fact-checker).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

/// One entry of a claim's append-only status history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The status the claim took.
    pub status: Status,
    /// The day the status took effect.
    pub date: Date,
    /// Why, e.g. `Qatar denied the report`.
    #[serde(default)]
    pub note: Option<String>,
    /// When the change was entered into the database.
    #[serde(default = "now")]
    pub recorded_at: DateTime<Utc>,
}

/// A trace of an edit to a field other than the status (text, outlets,
/// topics, rating, notes), so that nothing is overwritten without a trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The field that changed, e.g. `text`.
    pub field: String,
    /// Its value before, as text (`null` when there was none).
    pub before: Option<String>,
    /// Its value after, as text.
    pub after: Option<String>,
    /// When the change was entered.
    pub recorded_at: DateTime<Utc>,
}

/// A relation from one claim to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// How the claims relate.
    pub relation: Relation,
    /// The other claim.
    pub claim: ClaimId,
}

/// A claim as read from the database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Claim {
    /// The claim's number.
    pub id: ClaimId,
    /// What was claimed.
    pub text: String,
    /// Who claimed it.
    pub source: Source,
    /// The outlets that reported it, e.g. Reuters, AFP.
    pub outlets: Vec<String>,
    /// The day the claim was made or first reported.
    pub date: Date,
    /// The current status (the latest entry of the history).
    pub status: Status,
    /// A fact-checker's verdict as worded, e.g. `half-true`.
    pub rating: Option<String>,
    /// What the claim is about.
    pub topics: Vec<String>,
    /// Evidence gathered about the claim.
    pub evidence: Vec<Evidence>,
    /// The status history, oldest first.
    pub history: Vec<HistoryEntry>,
    /// Free-text notes.
    pub notes: Option<String>,
    /// Relations from this claim to others.
    pub relations: Vec<Link>,
    /// When the claim was entered.
    pub recorded_at: DateTime<Utc>,
    /// Edits to fields other than status, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// Relations from other claims to this one (not exported: they belong to
    /// the other claim's `relations`).
    #[serde(skip)]
    pub linked_from: Vec<Link>,
}

impl Claim {
    /// The status the claim had at the end of `day`, from its history, or
    /// `None` when the claim had not been made yet.
    pub fn status_as_of(&self, day: Date) -> Option<Status> {
        if self.date > day {
            return None;
        }
        current_status(self.history.iter().filter(|h| h.date <= day)).or(Some(Status::Unverified))
    }

    /// The day the current status took effect.
    pub fn status_since(&self) -> Date {
        latest_entry(self.history.iter()).map_or(self.date, |h| h.date)
    }
}

/// The entry that decides the status: the latest effective date, and among
/// entries of the same date the one recorded last.
pub fn latest_entry<'a>(entries: impl Iterator<Item = &'a HistoryEntry>) -> Option<&'a HistoryEntry> {
    // max_by_key keeps the last of equal keys, i.e. the one recorded last.
    entries.max_by_key(|h| h.date)
}

/// The status given by a set of history entries (see [`latest_entry`]).
pub fn current_status<'a>(entries: impl Iterator<Item = &'a HistoryEntry>) -> Option<Status> {
    latest_entry(entries).map(|h| h.status)
}

fn now() -> DateTime<Utc> {
    Utc::now()
}

/// A claim to be added. Only text, source and date are required.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewClaim {
    /// An id to use instead of the next free one (imports keep their ids).
    pub id: Option<ClaimId>,
    /// What was claimed.
    pub text: String,
    /// Who claimed it.
    pub source: Source,
    /// The outlets that reported it.
    pub outlets: Vec<String>,
    /// The day it was made or first reported.
    pub date: Date,
    /// The initial status, when `history` is empty.
    pub status: Status,
    /// A fact-checker's verdict.
    pub rating: Option<String>,
    /// What the claim is about.
    pub topics: Vec<String>,
    /// Evidence.
    pub evidence: Vec<Evidence>,
    /// Notes.
    pub notes: Option<String>,
    /// A full status history (imports); empty means one entry made from
    /// `status` and `date`.
    pub history: Vec<HistoryEntry>,
    /// Edits recorded earlier (imports).
    pub changes: Vec<Change>,
    /// When the claim was entered (imports); `None` means now.
    pub recorded_at: Option<DateTime<Utc>>,
}

impl NewClaim {
    /// A new unverified claim with no outlets, topics or evidence.
    pub fn new(text: impl Into<String>, source: Source, date: Date) -> NewClaim {
        NewClaim {
            id: None,
            text: text.into(),
            source,
            outlets: Vec::new(),
            date,
            status: Status::Unverified,
            rating: None,
            topics: Vec::new(),
            evidence: Vec::new(),
            notes: None,
            history: Vec::new(),
            changes: Vec::new(),
            recorded_at: None,
        }
    }

    /// Adds an outlet that reported the claim.
    pub fn outlet(mut self, outlet: impl Into<String>) -> NewClaim {
        self.outlets.push(outlet.into());
        self
    }

    /// Adds a topic.
    pub fn topic(mut self, topic: impl Into<String>) -> NewClaim {
        self.topics.push(topic.into());
        self
    }

    /// Sets the initial status.
    pub fn status(mut self, status: Status) -> NewClaim {
        self.status = status;
        self
    }

    /// Sets the rating.
    pub fn rating(mut self, rating: impl Into<String>) -> NewClaim {
        self.rating = Some(rating.into());
        self
    }

    /// Adds a piece of evidence.
    pub fn evidence(mut self, url: impl Into<String>, note: Option<String>) -> NewClaim {
        self.evidence.push(Evidence { url: url.into(), note, author: None });
        self
    }

    /// Sets the notes.
    pub fn notes(mut self, notes: impl Into<String>) -> NewClaim {
        self.notes = Some(notes.into());
        self
    }

    /// Asks for a specific id.
    pub fn with_id(mut self, id: ClaimId) -> NewClaim {
        self.id = Some(id);
        self
    }
}

/// A source with the number of claims attributed to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceCount {
    /// The source.
    #[serde(flatten)]
    pub source: Source,
    /// How many claims it made.
    pub claims: u64,
}
