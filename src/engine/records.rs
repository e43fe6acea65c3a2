//! The stored forms of claims and sources.
//!
//! Stored records differ from the public model: a claim refers to its source
//! by id, enums are stored as their byte codes and times as integers. Every
//! field is always written (bincode has no field names, so nothing may be
//! skipped), and a decoded record is checked before it is trusted.

use crate::errcorrupt;
use crate::error::Result;
use crate::model::{date, Change, Claim, ClaimId, Evidence, HistoryEntry, Kind, Link, Source, Status};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A claim as stored: a record of a claim page (format 2), or the value of
/// its own key behind a format byte (format 1, read by the upgrade).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredClaim {
    /// The day number of the claim's date. (Date, status and source come
    /// first so that [`ClaimHead`] can read them without the rest.)
    pub date: i32,
    /// The current status's code.
    pub status: u8,
    /// The source record's id.
    pub source: u64,
    /// The claim text.
    pub text: String,
    /// Outlets, as given.
    pub outlets: Vec<String>,
    /// The rating.
    pub rating: Option<String>,
    /// Topics, as given.
    pub topics: Vec<String>,
    /// Evidence.
    pub evidence: Vec<StoredEvidence>,
    /// Notes.
    pub notes: Option<String>,
    /// When the claim was entered, in microseconds since the Unix epoch.
    pub recorded_at: i64,
    /// The status history, oldest first.
    pub history: Vec<StoredHistory>,
    /// Edits to other fields, oldest first.
    pub changes: Vec<StoredChange>,
}

/// The first fields of a stored claim, decoded without the rest: enough to
/// order candidates by date before loading only the ones returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub struct ClaimHead {
    /// The day number of the claim's date.
    pub date: i32,
    /// The current status's code.
    pub status: u8,
    /// The source record's id.
    pub source: u64,
}

/// Evidence as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEvidence {
    /// Where the evidence is.
    pub url: String,
    /// What it shows.
    pub note: Option<String>,
    /// Who published it.
    pub author: Option<String>,
}

/// A history entry as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredHistory {
    /// The status code.
    pub status: u8,
    /// The effective day number.
    pub date: i32,
    /// Why.
    pub note: Option<String>,
    /// When it was entered (microseconds).
    pub recorded_at: i64,
}

/// An edit trace as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredChange {
    /// The field.
    pub field: String,
    /// The old value.
    pub before: Option<String>,
    /// The new value.
    pub after: Option<String>,
    /// When (microseconds).
    pub recorded_at: i64,
}

/// A source as stored: a record of a source page (format 2), or the value
/// of its own key behind a format byte (format 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSource {
    /// The name as first written.
    pub name: String,
    /// The kind's code.
    pub kind: u8,
    /// Whether anonymous.
    pub anonymous: bool,
    /// The affiliation.
    pub affiliation: Option<String>,
    /// The description.
    pub description: Option<String>,
}

/// Microseconds since the epoch.
pub fn to_micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// The time `micros` stands for, or a corruption error.
pub fn from_micros(micros: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros).ok_or_else(|| errcorrupt!("stored time {micros} is out of range"))
}

fn status(code: u8) -> Result<Status> {
    Status::from_code(code).ok_or_else(|| errcorrupt!("unknown status code {code}"))
}

fn day(days: i32) -> Result<crate::model::Date> {
    date::from_day_number(days).ok_or_else(|| errcorrupt!("stored day {days} is out of range"))
}

impl StoredSource {
    /// From the public model.
    pub fn from_source(s: &Source) -> StoredSource {
        StoredSource {
            name: s.name.clone(),
            kind: s.kind.code(),
            anonymous: s.anonymous,
            affiliation: s.affiliation.clone(),
            description: s.description.clone(),
        }
    }

    /// To the public model, checking the stored codes.
    pub fn to_source(&self) -> Result<Source> {
        Ok(Source {
            name: self.name.clone(),
            kind: Kind::from_code(self.kind).ok_or_else(|| errcorrupt!("unknown kind code {}", self.kind))?,
            anonymous: self.anonymous,
            affiliation: self.affiliation.clone(),
            description: self.description.clone(),
        })
    }
}

impl StoredClaim {
    /// The claim's date.
    pub fn date(&self) -> Result<crate::model::Date> {
        day(self.date)
    }

    /// The current status.
    pub fn status(&self) -> Result<Status> {
        status(self.status)
    }

    /// The public claim, given its source and relations.
    pub fn to_claim(&self, id: ClaimId, source: Source, relations: Vec<Link>, linked_from: Vec<Link>) -> Result<Claim> {
        let history = self
            .history
            .iter()
            .map(|h| {
                Ok(HistoryEntry {
                    status: status(h.status)?,
                    date: day(h.date)?,
                    note: h.note.clone(),
                    recorded_at: from_micros(h.recorded_at)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let changes = self
            .changes
            .iter()
            .map(|c| {
                Ok(Change {
                    field: c.field.clone(),
                    before: c.before.clone(),
                    after: c.after.clone(),
                    recorded_at: from_micros(c.recorded_at)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Claim {
            id,
            text: self.text.clone(),
            source,
            outlets: self.outlets.clone(),
            date: self.date()?,
            status: self.status()?,
            rating: self.rating.clone(),
            topics: self.topics.clone(),
            evidence: self
                .evidence
                .iter()
                .map(|e| Evidence { url: e.url.clone(), note: e.note.clone(), author: e.author.clone() })
                .collect(),
            history,
            notes: self.notes.clone(),
            relations,
            recorded_at: from_micros(self.recorded_at)?,
            changes,
            linked_from,
        })
    }
}

/// Stored history from the public model.
pub fn store_history(h: &HistoryEntry) -> StoredHistory {
    StoredHistory {
        status: h.status.code(),
        date: date::to_day_number(h.date),
        note: h.note.clone(),
        recorded_at: to_micros(h.recorded_at),
    }
}

/// Stored evidence from the public model.
pub fn store_evidence(e: &Evidence) -> StoredEvidence {
    StoredEvidence { url: e.url.clone(), note: e.note.clone(), author: e.author.clone() }
}

/// Stored change from the public model.
pub fn store_change(c: &Change) -> StoredChange {
    StoredChange {
        field: c.field.clone(),
        before: c.before.clone(),
        after: c.after.clone(),
        recorded_at: to_micros(c.recorded_at),
    }
}
