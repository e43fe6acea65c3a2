//! JSONL, the canonical interchange format: one claim per line, the same
//! object `--format json` prints.
//!
//! Only `text`, `source.name` and `date` are required. Unknown fields, bad
//! dates and unknown kinds, statuses or relations are errors naming the line
//! and the field. Export writes every field, with history, evidence and
//! relations, so that export then import reproduces the database.

use super::input::{mib, Input, Lines, MAX_RECORD_BYTES};
use super::ImportRecord;
use crate::engine::ReadError;
use crate::error::{Error, RecordError, Result};
use crate::model::{date, Change, Claim, Evidence, HistoryEntry, Kind, Link, NewClaim, Relation, Source, Status};
use crate::Db;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::io::Write;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimRecord {
    id: Option<u64>,
    text: String,
    source: SourceField,
    #[serde(default)]
    outlets: Vec<String>,
    date: String,
    status: Option<String>,
    rating: Option<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    evidence: Vec<Evidence>,
    #[serde(default)]
    history: Vec<HistoryRecord>,
    notes: Option<String>,
    #[serde(default)]
    relations: Vec<LinkRecord>,
    recorded_at: Option<String>,
    #[serde(default)]
    changes: Vec<ChangeRecord>,
}

/// A source written in full, or just its name.
#[derive(Deserialize)]
#[serde(untagged)]
enum SourceField {
    Name(String),
    Full(SourceRecord),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceRecord {
    name: String,
    kind: Option<String>,
    anonymous: Option<bool>,
    affiliation: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryRecord {
    status: String,
    date: String,
    note: Option<String>,
    recorded_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkRecord {
    relation: String,
    claim: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeRecord {
    field: String,
    before: Option<String>,
    after: Option<String>,
    recorded_at: String,
}

fn field_error(line: u64, field: &str, err: Error) -> RecordError {
    RecordError { line, field: Some(field.to_string()), message: err.to_string() }
}

fn parse_time(line: u64, field: &str, text: &str) -> Result<DateTime<Utc>, RecordError> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|_| RecordError {
        line,
        field: Some(field.to_string()),
        message: format!("'{text}' is not a time like 2024-11-09T12:00:00Z"),
    })
}

/// Parses one JSONL line into a record.
pub fn parse_line(line: u64, text: &str) -> Result<ImportRecord, RecordError> {
    let record: ClaimRecord = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = match message.rfind(" at line ") {
            Some(i) => format!("{} (column {})", &message[..i], e.column()),
            None => message,
        };
        RecordError { line, field: None, message }
    })?;
    import_record(line, record)
}

/// Parses one already-parsed JSON object (an item of a JSON array, a row
/// of claimdb's own CSV) as record number `number`.
pub(crate) fn parse_value(number: u64, value: serde_json::Value) -> Result<ImportRecord, RecordError> {
    let record = ClaimRecord::deserialize(value).map_err(|e| RecordError {
        line: number,
        field: None,
        message: e.to_string(),
    })?;
    import_record(number, record)
}

/// Checks the shape of one list field of a claim object (`evidence`,
/// `history`, `relations`, `changes`) for a reader that holds it apart, a
/// cell of claimdb's CSV: the message says what is wrong inside it.
pub(crate) fn check_list_field(field: &str, value: &serde_json::Value) -> Result<(), String> {
    let checked = match field {
        "evidence" => Vec::<Evidence>::deserialize(value).map(drop),
        "history" => Vec::<HistoryRecord>::deserialize(value).map(drop),
        "relations" => Vec::<LinkRecord>::deserialize(value).map(drop),
        "changes" => Vec::<ChangeRecord>::deserialize(value).map(drop),
        _ => Ok(()),
    };
    checked.map_err(|e| e.to_string())
}

/// Checks a record's fields and builds the claim it describes.
fn import_record(line: u64, record: ClaimRecord) -> Result<ImportRecord, RecordError> {
    let source = match record.source {
        SourceField::Name(name) => Source::new(name),
        SourceField::Full(s) => Source {
            name: s.name,
            kind: match s.kind {
                Some(k) => Kind::parse_or_explain(&k).map_err(|e| field_error(line, "source.kind", e))?,
                None => Kind::Unknown,
            },
            anonymous: s.anonymous.unwrap_or(false),
            affiliation: s.affiliation,
            description: s.description,
        },
    };
    let claim_date = date::parse_iso(&record.date).map_err(|e| field_error(line, "date", e))?;
    let mut claim = NewClaim::new(record.text, source, claim_date);
    claim.id = record.id;
    claim.outlets = record.outlets;
    claim.topics = record.topics;
    claim.rating = record.rating;
    claim.evidence = record.evidence;
    claim.notes = record.notes;
    if let Some(status) = record.status {
        claim.status = Status::parse_or_explain(&status).map_err(|e| field_error(line, "status", e))?;
    }
    for (i, h) in record.history.into_iter().enumerate() {
        let field = format!("history[{i}]");
        claim.history.push(HistoryEntry {
            status: Status::parse_or_explain(&h.status)
                .map_err(|e| field_error(line, &format!("{field}.status"), e))?,
            date: date::parse_iso(&h.date).map_err(|e| field_error(line, &format!("{field}.date"), e))?,
            note: h.note,
            recorded_at: match h.recorded_at {
                Some(t) => parse_time(line, &format!("{field}.recorded_at"), &t)?,
                None => Utc::now(),
            },
        });
    }
    if let Some(t) = record.recorded_at {
        claim.recorded_at = Some(parse_time(line, "recorded_at", &t)?);
    }
    for (i, c) in record.changes.into_iter().enumerate() {
        claim.changes.push(Change {
            recorded_at: parse_time(line, &format!("changes[{i}].recorded_at"), &c.recorded_at)?,
            field: c.field,
            before: c.before,
            after: c.after,
        });
    }
    let mut links = Vec::new();
    for (i, l) in record.relations.into_iter().enumerate() {
        let relation = Relation::parse_or_explain(&l.relation)
            .map_err(|e| field_error(line, &format!("relations[{i}].relation"), e))?;
        links.push(Link { relation, claim: l.claim });
    }
    Ok(ImportRecord { line, claim, links })
}

/// The records of a JSONL input (blank lines are skipped).
pub fn records(input: Input) -> impl Iterator<Item = Result<ImportRecord, ReadError>> + Send {
    let name = input.name().to_string();
    Lines::new(input.buffered(), &name).filter_map(|item| match item {
        Err(e) => Some(Err(e)),
        Ok((_, text)) if text.trim().is_empty() => None,
        Ok((line, text)) => Some(parse_line(line, &text).map_err(ReadError::Record)),
    })
}

/// Writes claims as JSONL, one object per line. A claim whose line would be
/// longer than an import reads ([`MAX_RECORD_BYTES`]) is refused, so that
/// everything written (a backup above all) can be read back.
pub struct JsonlWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
}

impl<W: Write> JsonlWriter<W> {
    /// Claims as JSONL on `out`.
    pub fn new(out: W) -> JsonlWriter<W> {
        JsonlWriter { out, buf: Vec::new() }
    }

    /// Writes one claim on its own line.
    pub fn write(&mut self, claim: &Claim) -> Result<()> {
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, claim).map_err(|e| crate::errio!("cannot write a claim: {e}"))?;
        if self.buf.len() > MAX_RECORD_BYTES {
            return Err(crate::errio!(
                "claim #{} takes {} bytes as JSON, more than the {} an import reads back; nothing was written",
                claim.id,
                self.buf.len(),
                mib(MAX_RECORD_BYTES)
            ));
        }
        self.buf.push(b'\n');
        self.out.write_all(&self.buf)?;
        Ok(())
    }

    /// Flushes and gives the output back.
    pub fn finish(mut self) -> Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> super::ClaimWriter for JsonlWriter<W> {
    fn write(&mut self, claim: &Claim) -> Result<()> {
        JsonlWriter::write(self, claim)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        JsonlWriter::finish(*self).map(drop)
    }
}

/// Exports every claim of the database, in id order (the canonical
/// export, and what a backup holds); returns how many were written.
pub fn export(db: &Db, out: &mut dyn Write) -> Result<u64> {
    let mut writer = JsonlWriter::new(out);
    let mut n = 0;
    db.for_each_claim(|claim| {
        n += 1;
        writer.write(&claim)
    })?;
    writer.finish()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        let line = r#"{"id": 4, "text": "Qatar will cease its efforts to broker a Gaza ceasefire agreement ...", "source": {"name": "diplomatic official", "kind": "official", "anonymous": true, "affiliation": null}, "outlets": ["Reuters"], "date": "2024-11-09", "status": "unverified", "rating": null, "topics": ["Qatar", "Gaza ceasefire"], "evidence": [], "history": [{"status": "unverified", "date": "2024-11-09", "note": null}], "notes": null}"#;
        let record = parse_line(1, line).unwrap();
        assert_eq!(record.claim.id, Some(4));
        assert_eq!(record.claim.source.kind, Kind::Official);
        assert!(record.claim.source.anonymous);
        assert_eq!(record.claim.history.len(), 1);
    }

    #[test]
    fn errors_name_the_field() {
        let cases = [
            (
                r#"{"text": "x", "source": "s", "date": "2024-02-30"}"#,
                "line 3: date: 2024-02-30 is not a date: February 2024 has 29 days",
            ),
            (
                r#"{"text": "x", "source": {"name": "s", "kind": "oficial"}, "date": "2024-02-03"}"#,
                "line 3: source.kind: unknown kind 'oficial' (did you mean 'official'?)",
            ),
            (
                r#"{"text": "x", "source": "s", "date": "2024-02-03", "status": "bogus"}"#,
                "line 3: status: unknown status 'bogus'",
            ),
            (r#"{"text": "x", "source": "s", "date": "2024-02-03", "colour": 1}"#, "line 3: unknown field `colour`"),
            (r#"{"source": "s", "date": "2024-02-03"}"#, "line 3: missing field `text`"),
            (r#"{"text": "x", "source": "s", "date": "2024-02-03""#, "line 3: EOF while parsing an object"),
        ];
        for (line, want) in cases {
            let got = parse_line(3, line).unwrap_err().to_string();
            assert!(got.starts_with(want), "{got}\nwanted: {want}");
        }
    }
}
