//! claimdb's own CSV: the columns an export writes and how each cell holds
//! its value, both ways, so that `export to "x.csv"` then `import "x.csv"`
//! (no mapping needed) gives back the same claims.
//!
//! The flat columns come first, readable in any spreadsheet:
//! `id,text,source,kind,anonymous,affiliation,outlets,date,status,rating,topics,notes`
//! ([`EXPORT_COLUMNS`], also what `--format csv` prints). Then what a flat
//! row cannot hold ([`MORE_COLUMNS`]): `description` (the source's),
//! `evidence`, `history`, `relations`, `recorded_at` and `changes`, the
//! lists written as JSON arrays of the same objects JSONL has. A row is
//! read back through the JSONL reader, so both formats accept the same
//! claims with the same messages.
//!
//! Cells:
//! - An empty cell is no value (or an empty list).
//! - Outlets and topics are joined with `; `; when a name holds a `;`, or
//!   the cell would begin with `[`, the list is written as a JSON array.
//! - **Formula guard.** A cell that begins with `=`, `+`, `-`, `@`, a tab
//!   or a carriage return would be run as a formula by Excel, LibreOffice
//!   or Google Sheets (CSV injection), so it is written with a `'` in
//!   front, as OWASP recommends; a spreadsheet shows the text as it was. A
//!   cell that begins with `'` gets one more, so that reading claimdb's own
//!   CSV can always take exactly one leading `'` away. (A CSV read with a
//!   mapping is someone else's, and is read as it is.)

use super::rows::Rows;
use crate::engine::ReadError;
use crate::error::{Error, RecordError, Result};
use crate::interchange::input::describe_utf8_error;
use crate::interchange::{jsonl, ImportRecord};
use crate::model::Claim;
use ::csv::ByteRecord;
use serde_json::{Map, Value};

/// The flat columns of claimdb's CSV, in order: every export and
/// `--format csv` start with these.
pub const EXPORT_COLUMNS: [&str; 12] = [
    "id",
    "text",
    "source",
    "kind",
    "anonymous",
    "affiliation",
    "outlets",
    "date",
    "status",
    "rating",
    "topics",
    "notes",
];

/// The columns an export adds after [`EXPORT_COLUMNS`], so that it imports
/// back whole.
pub const MORE_COLUMNS: [&str; 6] = ["description", "evidence", "history", "relations", "recorded_at", "changes"];

/// How list cells (outlets, topics) are joined.
pub const LIST_JOIN: &str = "; ";

/// Every column of an export, in order.
pub fn all_columns() -> impl Iterator<Item = &'static str> {
    EXPORT_COLUMNS.into_iter().chain(MORE_COLUMNS)
}

// ---------------------------------------------------------------------------
// Cells, written.

/// Whether a spreadsheet would take a cell beginning with `c` for a formula
/// (OWASP's list: `=`, `+`, `-`, `@`, tab, carriage return).
fn starts_formula(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// The cell as written: a `'` in front when it would otherwise begin a
/// formula, or begins with `'` itself (see the module documentation).
pub fn guard(cell: String) -> String {
    match cell.chars().next() {
        Some(c) if starts_formula(c) || c == '\'' => format!("'{cell}"),
        _ => cell,
    }
}

/// A list cell: names joined with `; `, or a JSON array when joining could
/// not be undone.
fn list_cell(items: &[String]) -> String {
    let joined = items.join(LIST_JOIN);
    if items.iter().any(|i| i.contains(';')) || joined.starts_with('[') {
        serde_json::to_string(items).unwrap_or(joined)
    } else {
        joined
    }
}

/// A claim's cells under [`EXPORT_COLUMNS`], guarded.
pub fn export_row(claim: &Claim) -> [String; 12] {
    [
        claim.id.to_string(),
        claim.text.clone(),
        claim.source.name.clone(),
        claim.source.kind.name().to_string(),
        claim.source.anonymous.to_string(),
        claim.source.affiliation.clone().unwrap_or_default(),
        list_cell(&claim.outlets),
        claim.date.to_string(),
        claim.status.name().to_string(),
        claim.rating.clone().unwrap_or_default(),
        list_cell(&claim.topics),
        claim.notes.clone().unwrap_or_default(),
    ]
    .map(guard)
}

/// A JSON cell: the value as JSONL writes it, empty for an empty list.
fn json_cell<T: serde::Serialize>(value: &[T]) -> Result<String> {
    if value.is_empty() {
        return Ok(String::new());
    }
    serde_json::to_string(value).map_err(|e| crate::errio!("JSON encoding failed: {e}"))
}

/// A claim's cells under every column of an export, guarded.
pub fn full_row(claim: &Claim) -> Result<Vec<String>> {
    let mut cells = export_row(claim).to_vec();
    let recorded_at = match serde_json::to_value(claim.recorded_at) {
        Ok(Value::String(s)) => s,
        _ => claim.recorded_at.to_rfc3339(),
    };
    let more = [
        claim.source.description.clone().unwrap_or_default(),
        json_cell(&claim.evidence)?,
        json_cell(&claim.history)?,
        json_cell(&claim.relations)?,
        recorded_at,
        json_cell(&claim.changes)?,
    ];
    cells.extend(more.map(guard));
    Ok(cells)
}

// ---------------------------------------------------------------------------
// Reading claimdb's CSV back.

/// The records of `rows`, which must carry claimdb's own header (checked
/// here: a file without a mapping is either that or an error saying what
/// to do).
pub(super) fn records(
    rows: Rows,
    name: &str,
) -> Result<Box<dyn Iterator<Item = std::result::Result<ImportRecord, ReadError>> + Send>> {
    let layout = Layout::of(rows.header(), name)?;
    Ok(Box::new(rows.records(move |record, line| layout.read(record, line))))
}

/// Where each column of claimdb's CSV is in a file.
#[derive(Debug)]
struct Layout {
    /// For each of [`all_columns`], its index in the file.
    index: Vec<usize>,
}

impl Layout {
    /// The layout of a header that is claimdb's own (in any order, any
    /// case), or the error that says why the file needs a mapping.
    fn of(header: &[String], name: &str) -> Result<Layout> {
        let position = |column: &str| {
            let mut found = header.iter().enumerate().filter(|(_, h)| h.eq_ignore_ascii_case(column));
            match (found.next(), found.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        };
        let flat = EXPORT_COLUMNS.iter().all(|c| position(c).is_some());
        let missing: Vec<&str> = MORE_COLUMNS.into_iter().filter(|c| position(c).is_none()).collect();
        if flat && missing.is_empty() && header.len() == EXPORT_COLUMNS.len() + MORE_COLUMNS.len() {
            return Ok(Layout { index: all_columns().filter_map(position).collect() });
        }
        if flat {
            return Err(Error::Input {
                message: format!(
                    "{name} has claimdb's flat columns but not {}, so it cannot be imported whole: each claim's history would start at its current status",
                    missing.join(", ")
                ),
                span: None,
                help: Some(
                    "export with `export to \"FILE.csv\"`, which writes every column; or, to import only these columns, give a mapping: map text = text, source = source, date = date, …"
                        .into(),
                ),
            });
        }
        Err(Error::Input {
            message: format!(
                "a CSV import needs a column mapping: {name} is not a claimdb export (its columns are: {})",
                header.join(", ")
            ),
            span: None,
            help: Some("add: map text = COLUMN, source = COLUMN, date = COLUMN".into()),
        })
    }

    /// One row as a claim, read as the JSONL object it stands for.
    fn read(&self, record: &ByteRecord, line: u64) -> std::result::Result<ImportRecord, RecordError> {
        let mut cells = Vec::with_capacity(self.index.len());
        for (column, &i) in all_columns().zip(&self.index) {
            let bytes = record.get(i).unwrap_or_default();
            let text = std::str::from_utf8(bytes).map_err(|e| RecordError {
                line,
                field: Some(column.to_string()),
                message: format!(
                    "not valid UTF-8 ({}); save the file as UTF-8",
                    describe_utf8_error(bytes, &e, "character")
                ),
            })?;
            // Undo the formula guard: exactly one leading `'`.
            cells.push(text.strip_prefix('\'').unwrap_or(text));
        }
        let value = object(&cells).map_err(|(column, message)| RecordError {
            line,
            field: Some(column.to_string()),
            message,
        })?;
        jsonl::parse_value(line, value).map_err(|mut e| {
            if let Some(field) = e.field.take() {
                let column = column_of(&field);
                if field.contains('[') {
                    e.message = format!("{field}: {}", e.message);
                }
                e.field = Some(column);
            }
            e
        })
    }
}

/// The column a JSONL field's error belongs to: `source.kind` is `kind`,
/// `history[2].date` is `history`.
fn column_of(field: &str) -> String {
    match field.strip_prefix("source.") {
        Some("name") => "source".into(),
        Some(other) => other.into(),
        None => field.split(['[', '.']).next().unwrap_or(field).to_string(),
    }
}

/// The JSONL object of a row's cells (in the order of [`all_columns`]),
/// or the column at fault and why.
fn object(cells: &[&str]) -> std::result::Result<Value, (&'static str, String)> {
    let cell = |column: &str| -> &str {
        let i = all_columns().position(|c| c == column).unwrap_or(usize::MAX);
        cells.get(i).copied().unwrap_or("")
    };
    let text_or_null = |column: &str| match cell(column) {
        "" => Value::Null,
        text => Value::String(text.to_string()),
    };
    let list = |column: &'static str| -> std::result::Result<Value, (&'static str, String)> {
        let text = cell(column).trim();
        if text.starts_with('[') {
            let items: Vec<String> = serde_json::from_str(text)
                .map_err(|e| (column, format!("not a list of names: {} (column {})", short(&e), e.column())))?;
            return Ok(items.into());
        }
        Ok(text.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect::<Vec<_>>().into())
    };
    let json = |column: &'static str| -> std::result::Result<Value, (&'static str, String)> {
        match cell(column).trim() {
            "" => Ok(Value::Array(Vec::new())),
            text => match serde_json::from_str::<Value>(text) {
                Ok(v @ Value::Array(_)) => jsonl::check_list_field(column, &v).map(|()| v).map_err(|m| (column, m)),
                Ok(_) => Err((column, "expected a JSON array, as claimdb writes it".into())),
                Err(e) => Err((column, format!("not valid JSON: {} (column {})", short(&e), e.column()))),
            },
        }
    };
    let id = match cell("id").trim() {
        "" => Value::Null,
        text => text
            .parse::<u64>()
            .map(Value::from)
            .map_err(|_| ("id", format!("'{text}' is not a claim id (expected a whole number such as 12)")))?,
    };
    let anonymous = match cell("anonymous").trim().to_ascii_lowercase().as_str() {
        "" | "false" => false,
        "true" => true,
        other => return Err(("anonymous", format!("'{other}' is not true or false"))),
    };
    let mut source = Map::new();
    source.insert("name".into(), Value::String(cell("source").to_string()));
    source.insert("kind".into(), text_or_null("kind"));
    source.insert("anonymous".into(), Value::Bool(anonymous));
    source.insert("affiliation".into(), text_or_null("affiliation"));
    source.insert("description".into(), text_or_null("description"));
    let mut claim = Map::new();
    claim.insert("id".into(), id);
    claim.insert("text".into(), Value::String(cell("text").to_string()));
    claim.insert("source".into(), Value::Object(source));
    claim.insert("outlets".into(), list("outlets")?);
    claim.insert("date".into(), Value::String(cell("date").to_string()));
    claim.insert("status".into(), text_or_null("status"));
    claim.insert("rating".into(), text_or_null("rating"));
    claim.insert("topics".into(), list("topics")?);
    claim.insert("notes".into(), text_or_null("notes"));
    claim.insert("evidence".into(), json("evidence")?);
    claim.insert("history".into(), json("history")?);
    claim.insert("relations".into(), json("relations")?);
    claim.insert("recorded_at".into(), text_or_null("recorded_at"));
    claim.insert("changes".into(), json("changes")?);
    Ok(Value::Object(claim))
}

/// serde_json's message without its position.
fn short(err: &serde_json::Error) -> String {
    let message = err.to_string();
    message.rfind(" at line ").map_or(message.clone(), |i| message[..i].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formula_guard_is_undone_exactly() {
        for text in ["=HYPERLINK(\"x\")", "+1", "-5% growth", "@SUM(A1)", "\tx", "\rx", "'Tis", "''", "plain", ""] {
            let written = guard(text.to_string());
            assert!(!written.starts_with(starts_formula), "{written:?}");
            assert_eq!(written.strip_prefix('\'').unwrap_or(&written), text);
        }
        assert_eq!(guard("=1+1".into()), "'=1+1");
        assert_eq!(guard("plain".into()), "plain");
    }

    #[test]
    fn lists_that_joining_would_change_are_written_as_json() {
        assert_eq!(list_cell(&["Reuters".into(), "AFP".into()]), "Reuters; AFP");
        assert_eq!(list_cell(&["A;B".into(), "C".into()]), r#"["A;B","C"]"#);
        assert_eq!(list_cell(&["[x]".into()]), r#"["[x]"]"#);
        assert_eq!(list_cell(&[]), "");
    }

    #[test]
    fn headers_are_recognised_or_explained() {
        let header = |cols: &[&str]| cols.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let all: Vec<&str> = all_columns().collect();
        assert!(Layout::of(&header(&all), "x.csv").is_ok());
        let mut reversed = all.clone();
        reversed.reverse();
        let layout = Layout::of(&header(&reversed), "x.csv").unwrap();
        assert_eq!(layout.index[0], all.len() - 1);
        let err = Layout::of(&header(&EXPORT_COLUMNS), "x.csv").unwrap_err().to_string();
        assert!(err.contains("has claimdb's flat columns but not description, evidence, history"), "{err}");
        let err = Layout::of(&header(&["statement", "speaker"]), "x.csv").unwrap_err().to_string();
        assert!(err.starts_with("a CSV import needs a column mapping: x.csv is not a claimdb export (its columns are: statement, speaker)"), "{err}");
    }
}
