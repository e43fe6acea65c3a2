//! A CSV import with a column mapping: the mapping is checked against the
//! header first (errors name what is missing, list the columns and suggest
//! near misses, and a constant is checked once), then each row is turned
//! into a claim, every problem — a bad date, an unknown status, invalid
//! UTF-8 — reported with the line the row starts on and the column at
//! fault. A file without a mapping must be claimdb's own CSV ([`super::own`]).

use super::mapping::{CsvField, CsvMapping, DateOrder, FieldMap, ValueFrom};
use super::rows::Rows;
use crate::engine::ReadError;
use crate::error::{Error, RecordError, Result};
use crate::interchange::input::describe_utf8_error;
use crate::interchange::{ImportRecord, Input};
use crate::model::{closest, date, Date, Evidence, Kind, NewClaim, Source, Status};
use ::csv::ByteRecord;

/// The claims of a CSV input. With a mapping, its rows are read as the
/// mapping says; without one (no fields), the file must be claimdb's own
/// CSV export, recognised by its header.
pub fn records(
    input: Input,
    mapping: &CsvMapping,
) -> Result<Box<dyn Iterator<Item = std::result::Result<ImportRecord, ReadError>> + Send>> {
    let name = input.name().to_string();
    let rows = Rows::open(input, mapping.delimiter)?;
    if mapping.fields.is_empty() {
        return super::own::records(rows, &name);
    }
    let plan = resolve(mapping, rows.header(), &name)?;
    Ok(Box::new(rows.records(move |record, line| convert(&plan, record, line))))
}

fn input_error(message: String, help: Option<String>) -> Error {
    Error::Input { message, span: None, help }
}

/// Where a mapped value is read from, once the header is known.
#[derive(Debug)]
enum Cell {
    /// The column at this index.
    Column(usize),
    /// The same text on every row.
    Constant(String),
}

/// One mapped field, resolved against the header.
#[derive(Debug)]
struct Resolved {
    map: FieldMap,
    cell: Cell,
    /// The name used in errors: the column as the header spells it, or the
    /// field's name for a constant.
    label: String,
}

/// A mapping checked against a file's header.
#[derive(Debug)]
struct Plan {
    fields: Vec<Resolved>,
    date_order: Option<DateOrder>,
}

/// Checks the mapping against the header: required fields present, fields
/// not given twice, columns that exist, constants that parse.
fn resolve(mapping: &CsvMapping, header: &[String], origin: &str) -> Result<Plan> {
    check_required(mapping, header, origin)?;
    let mut fields = Vec::with_capacity(mapping.fields.len());
    for (i, map) in mapping.fields.iter().enumerate() {
        let name = map.field.name();
        if !map.field.is_list() && mapping.fields[..i].iter().any(|earlier| earlier.field == map.field) {
            return Err(input_error(
                format!("the mapping gives {name} twice"),
                Some(format!("{name} can come from only one column")),
            ));
        }
        if map.split.is_some() && !map.field.is_list() {
            return Err(input_error(
                format!("{name} is not a list, so it cannot be split"),
                Some("only outlets, topics and evidence can be split".into()),
            ));
        }
        if map.split.as_deref() == Some("") {
            return Err(input_error(format!("the separator to split {name} at is empty"), None));
        }
        let (cell, label) = match &map.from {
            ValueFrom::Column(column) => {
                let index = find_column(header, column, name, origin)?;
                (Cell::Column(index), header[index].clone())
            }
            ValueFrom::Constant(value) => {
                check_constant(map, value, mapping.date_order)?;
                (Cell::Constant(value.clone()), name.to_string())
            }
        };
        fields.push(Resolved { map: map.clone(), cell, label });
    }
    Ok(Plan { fields, date_order: mapping.date_order })
}

fn check_required(mapping: &CsvMapping, header: &[String], origin: &str) -> Result<()> {
    let missing: Vec<&str> = [CsvField::Text, CsvField::Source, CsvField::Date]
        .into_iter()
        .filter(|f| !mapping.fields.iter().any(|m| m.field == *f))
        .map(CsvField::name)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let (list, verb) = match missing.as_slice() {
        [one] => (one.to_string(), "comes"),
        [rest @ .., last] => (format!("{} and {last}", rest.join(", ")), "come"),
        [] => (String::new(), "comes"),
    };
    Err(input_error(
        format!(
            "the mapping does not say where the {list} of each claim {verb} from; text, source and date are required"
        ),
        Some(format!("the columns of {origin} are: {}", header.join(", "))),
    ))
}

/// The index of `column` in the header, compared case-insensitively.
fn find_column(header: &[String], column: &str, field: &str, origin: &str) -> Result<usize> {
    let wanted = column.trim().to_lowercase();
    let lower: Vec<String> = header.iter().map(|h| h.to_lowercase()).collect();
    let matches: Vec<usize> = (0..lower.len()).filter(|&i| lower[i] == wanted).collect();
    match matches.as_slice() {
        [index] => Ok(*index),
        [first, second, ..] => Err(input_error(
            format!(
                "column '{column}' (for {field}) appears more than once in the header of {origin}: columns {} and {}",
                first + 1,
                second + 1
            ),
            Some("rename one of them in the file".into()),
        )),
        [] => {
            let help = closest(&wanted, lower.iter().map(String::as_str))
                .and_then(|near| lower.iter().position(|l| l == near))
                .map(|i| format!("did you mean '{}'?", header[i]));
            Err(input_error(
                format!("{origin} has no column '{column}' (for {field}); its columns are: {}", header.join(", ")),
                help,
            ))
        }
    }
}

/// A constant is the same on every row: check it once, up front, rather
/// than reporting the same mistake on every row.
fn check_constant(map: &FieldMap, value: &str, order: Option<DateOrder>) -> Result<()> {
    let mut row = Row::default();
    apply(&mut row, map, value, order)
        .map_err(|message| input_error(format!("the constant '{value}' for {}: {message}", map.field.name()), None))
}

// ---------------------------------------------------------------------------
// Reading values.

/// The values of one row, gathered field by field.
#[derive(Default)]
struct Row {
    id: Option<u64>,
    text: Option<String>,
    source: Option<String>,
    kind: Option<Kind>,
    anonymous: bool,
    affiliation: Option<String>,
    description: Option<String>,
    outlets: Vec<String>,
    date: Option<Date>,
    status: Option<Status>,
    rating: Option<String>,
    topics: Vec<String>,
    notes: Option<String>,
    evidence: Vec<Evidence>,
}

/// Blank cells mean "no value".
fn optional(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

fn required(value: &str, field: CsvField) -> Result<String, String> {
    optional(value).ok_or_else(|| format!("{} is empty", field.name()))
}

/// Puts the text of one mapped cell into the row, or says what is wrong
/// with it.
fn apply(row: &mut Row, map: &FieldMap, raw: &str, order: Option<DateOrder>) -> Result<(), String> {
    if map.field.is_list() {
        let items: Vec<&str> = match &map.split {
            Some(separator) => raw.split(separator.as_str()).collect(),
            None => vec![raw],
        };
        for item in items {
            let Some(item) = optional(map.translated(item)) else {
                continue;
            };
            match map.field {
                CsvField::Outlets => row.outlets.push(item),
                CsvField::Topics => row.topics.push(item),
                _ => row.evidence.push(Evidence { url: item, note: None, author: None }),
            }
        }
        return Ok(());
    }
    let value = map.translated(raw);
    match map.field {
        CsvField::Id => row.id = optional(value).map(|v| parse_id(&v)).transpose()?,
        CsvField::Text => row.text = Some(required(value, CsvField::Text)?),
        CsvField::Source => row.source = Some(required(value, CsvField::Source)?),
        CsvField::Kind => row.kind = optional(value).map(|v| parse_kind(&v)).transpose()?,
        CsvField::Anonymous => row.anonymous = parse_bool(value)?,
        CsvField::Affiliation => row.affiliation = optional(value),
        CsvField::SourceDescription => row.description = optional(value),
        CsvField::Date => {
            let text = required(value, CsvField::Date)?;
            row.date = Some(date::parse_day(&text, order).map_err(|e| e.to_string())?);
        }
        CsvField::Status => {
            row.status = optional(value).map(|v| Status::parse_or_explain(&v).map_err(|e| e.to_string())).transpose()?
        }
        CsvField::Rating => row.rating = optional(value),
        CsvField::Notes => row.notes = optional(value),
        CsvField::Outlets | CsvField::Topics | CsvField::Evidence => {}
    }
    Ok(())
}

fn parse_id(value: &str) -> Result<u64, String> {
    match value.parse::<u64>() {
        Ok(0) => Err("claim ids start at 1; 0 cannot be used".into()),
        Ok(id) => Ok(id),
        Err(_) => Err(format!("'{value}' is not a claim id (expected a whole number such as 12)")),
    }
}

fn parse_kind(value: &str) -> Result<Kind, String> {
    match Kind::parse_any_number(value) {
        Some(kind) => Ok(kind),
        None => Err(Kind::parse_or_explain(value)
            .err()
            .map_or_else(|| format!("unknown kind '{value}'"), |e| e.to_string())),
    }
}

fn parse_bool(value: &str) -> Result<bool, String> {
    match value.trim().to_lowercase().as_str() {
        "" | "false" | "no" | "0" => Ok(false),
        "true" | "yes" | "1" => Ok(true),
        _ => Err(format!("'{}' is not yes or no (expected true/false, yes/no or 1/0)", value.trim())),
    }
}
/// Turns one row into a claim.
fn convert(plan: &Plan, record: &ByteRecord, line: u64) -> Result<ImportRecord, RecordError> {
    let mut row = Row::default();
    for resolved in &plan.fields {
        let fail = |message: String| RecordError { line, field: Some(resolved.label.clone()), message };
        let raw = match &resolved.cell {
            Cell::Constant(value) => value.as_str(),
            Cell::Column(index) => {
                let bytes = record.get(*index).unwrap_or_default();
                std::str::from_utf8(bytes).map_err(|e| {
                    fail(format!(
                        "not valid UTF-8 ({}); save the file as UTF-8",
                        describe_utf8_error(bytes, &e, "character")
                    ))
                })?
            }
        };
        apply(&mut row, &resolved.map, raw, plan.date_order).map_err(fail)?;
    }
    build(row, line)
}

/// The claim of a complete row. Text, source and date are always mapped
/// (the mapping was checked), so their absence here is only defensive.
fn build(row: Row, line: u64) -> Result<ImportRecord, RecordError> {
    let missing = |field: &str| RecordError { line, field: Some(field.to_string()), message: format!("no {field}") };
    let source = Source {
        name: row.source.ok_or_else(|| missing("source"))?,
        kind: row.kind.unwrap_or_default(),
        anonymous: row.anonymous,
        affiliation: row.affiliation,
        description: row.description,
    };
    let text = row.text.ok_or_else(|| missing("text"))?;
    let day = row.date.ok_or_else(|| missing("date"))?;
    let mut claim = NewClaim::new(text, source, day);
    claim.id = row.id;
    claim.outlets = row.outlets;
    claim.topics = row.topics;
    claim.status = row.status.unwrap_or_default();
    claim.rating = row.rating;
    claim.notes = row.notes;
    claim.evidence = row.evidence;
    Ok(ImportRecord { line, claim, links: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_booleans() {
        assert_eq!(parse_bool("Yes"), Ok(true));
        assert_eq!(parse_bool("0"), Ok(false));
        assert!(parse_bool("maybe").unwrap_err().contains("'maybe'"));
    }
}
