//! CSV import with a column mapping, and CSV export.
//!
//! The mapping says where each claim field comes from: a column of the file
//! (by header name) or a constant, optionally split into a list, with coded
//! values translated (`0 = "pants-fire"`), and how to read ambiguous dates.
//!
//! Import checks the mapping against the header first, then hands the rows to
//! [`Db::import_records`], so a file with any bad row writes nothing (unless
//! bad rows are to be skipped). Rows are read as bytes and converted here, so
//! that every problem — a bad date, a wrong number of columns, an unclosed
//! quote, invalid UTF-8 — is reported with the physical line the row starts
//! on and the column at fault. Memory stays flat: rows are streamed.
//!
//! Export writes the flat columns of [`EXPORT_COLUMNS`];
//! [`CsvMapping::claimdb_export`] reads them back.

use super::ImportRecord;
use crate::engine::{ImportOptions, ImportReport, Progress, ReadError};
use crate::error::{Error, RecordError, Result};
use crate::model::{closest, date, Claim, Date, Evidence, Kind, NewClaim, Source, Status};
use crate::Db;
use ::csv::ByteRecord;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// How to turn the rows of a CSV file into claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvMapping {
    /// One entry per mapped field, in the order written.
    pub fields: Vec<FieldMap>,
    /// How to read dates such as `03/04/2022`; `None` accepts only
    /// unambiguous forms (`2022-04-03`, `April 3, 2022`).
    pub date_order: Option<DateOrder>,
    /// The field separator (default `,`).
    pub delimiter: u8,
}

impl Default for CsvMapping {
    fn default() -> Self {
        CsvMapping { fields: Vec::new(), date_order: None, delimiter: b',' }
    }
}

/// Where one claim field comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMap {
    /// The claim field.
    pub field: CsvField,
    /// The column or constant it is read from.
    pub from: ValueFrom,
    /// For list fields (outlets, topics): the separator within the cell.
    pub split: Option<String>,
    /// Translations of coded values, e.g. `("0", "pants-fire")`; values not
    /// listed are kept as they are.
    pub values: Vec<(String, String)>,
}

/// A column of the file or a constant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueFrom {
    /// The column with this header (compared case-insensitively).
    Column(String),
    /// The same value for every row.
    Constant(String),
}

/// The claim fields a CSV column can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvField {
    /// The claim id, kept as given (an id already in the database makes
    /// the row bad, as with JSONL).
    Id,
    /// The claim text (required).
    Text,
    /// The source's name (required).
    Source,
    /// The source's kind.
    Kind,
    /// Whether the source is anonymous (`true`/`false`, `yes`/`no`, `1`/`0`).
    Anonymous,
    /// The source's affiliation.
    Affiliation,
    /// The source's description.
    SourceDescription,
    /// Outlets (a list).
    Outlets,
    /// The date (required).
    Date,
    /// The status.
    Status,
    /// The rating.
    Rating,
    /// Topics (a list).
    Topics,
    /// Notes.
    Notes,
    /// An evidence URL.
    Evidence,
}

impl CsvField {
    /// Every field with its name in the language.
    pub const NAMES: [(CsvField, &'static str); 14] = [
        (CsvField::Id, "id"),
        (CsvField::Text, "text"),
        (CsvField::Source, "source"),
        (CsvField::Kind, "kind"),
        (CsvField::Anonymous, "anonymous"),
        (CsvField::Affiliation, "affiliation"),
        (CsvField::SourceDescription, "description"),
        (CsvField::Outlets, "outlets"),
        (CsvField::Date, "date"),
        (CsvField::Status, "status"),
        (CsvField::Rating, "rating"),
        (CsvField::Topics, "topics"),
        (CsvField::Notes, "notes"),
        (CsvField::Evidence, "evidence"),
    ];

    /// The field's name in the language.
    pub fn name(self) -> &'static str {
        CsvField::NAMES.iter().find(|(f, _)| *f == self).map_or("?", |(_, n)| n)
    }

    /// The field called `name` (also accepts `outlet` and `topic`).
    pub fn parse(name: &str) -> Option<CsvField> {
        let lower = name.to_lowercase();
        let lower = match lower.as_str() {
            "outlet" => "outlets",
            "topic" => "topics",
            other => other,
        };
        CsvField::NAMES.iter().find(|(_, n)| *n == lower).map(|(f, _)| *f)
    }
}

pub use crate::model::date::DateOrder;

impl CsvField {
    /// Whether the field holds a list, so that a cell may be split.
    pub fn is_list(self) -> bool {
        matches!(self, CsvField::Outlets | CsvField::Topics | CsvField::Evidence)
    }
}

impl FieldMap {
    /// The field read from the column called `name`.
    pub fn column(field: CsvField, name: impl Into<String>) -> FieldMap {
        FieldMap { field, from: ValueFrom::Column(name.into()), split: None, values: Vec::new() }
    }

    /// The field set to `value` on every row.
    pub fn constant(field: CsvField, value: impl Into<String>) -> FieldMap {
        FieldMap { field, from: ValueFrom::Constant(value.into()), split: None, values: Vec::new() }
    }

    /// Splits each cell into a list at `separator` (list fields only).
    pub fn split_on(mut self, separator: impl Into<String>) -> FieldMap {
        self.split = Some(separator.into());
        self
    }

    /// Reads the coded value `from` as `to`, e.g. `("0", "pants-fire")`.
    pub fn translate(mut self, from: impl Into<String>, to: impl Into<String>) -> FieldMap {
        self.values.push((from.into(), to.into()));
        self
    }

    /// `value` after the translations (codes are matched trimmed and
    /// case-insensitively; unknown values pass through).
    fn translated<'v>(&'v self, value: &'v str) -> &'v str {
        let key = value.trim();
        self.values
            .iter()
            .find(|(from, _)| from.trim().to_lowercase() == key.to_lowercase())
            .map_or(value, |(_, to)| to.as_str())
    }
}

/// The columns of a CSV export, in order.
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

/// How list cells (outlets, topics) are joined in an export.
pub const LIST_JOIN: &str = "; ";

/// A claim's cells under [`EXPORT_COLUMNS`].
pub fn export_row(claim: &Claim) -> [String; 12] {
    [
        claim.id.to_string(),
        claim.text.clone(),
        claim.source.name.clone(),
        claim.source.kind.name().to_string(),
        claim.source.anonymous.to_string(),
        claim.source.affiliation.clone().unwrap_or_default(),
        claim.outlets.join(LIST_JOIN),
        claim.date.to_string(),
        claim.status.name().to_string(),
        claim.rating.clone().unwrap_or_default(),
        claim.topics.join(LIST_JOIN),
        claim.notes.clone().unwrap_or_default(),
    ]
}

impl CsvMapping {
    /// The mapping that reads back a CSV written by [`CsvExporter`]: every
    /// column of [`EXPORT_COLUMNS`], lists split at `;`. Ids are kept, so
    /// re-importing into a database that has those ids reports them as bad.
    pub fn claimdb_export() -> CsvMapping {
        let column = FieldMap::column;
        CsvMapping {
            fields: vec![
                column(CsvField::Id, "id"),
                column(CsvField::Text, "text"),
                column(CsvField::Source, "source"),
                column(CsvField::Kind, "kind"),
                column(CsvField::Anonymous, "anonymous"),
                column(CsvField::Affiliation, "affiliation"),
                column(CsvField::Outlets, "outlets").split_on(";"),
                column(CsvField::Date, "date"),
                column(CsvField::Status, "status"),
                column(CsvField::Rating, "rating"),
                column(CsvField::Topics, "topics").split_on(";"),
                column(CsvField::Notes, "notes"),
            ],
            date_order: None,
            delimiter: b',',
        }
    }
}

// ---------------------------------------------------------------------------
// Checking the mapping against the header.

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
struct Resolved<'m> {
    map: &'m FieldMap,
    cell: Cell,
    /// The name used in errors: the column as the header spells it, or the
    /// field's name for a constant.
    label: String,
}

/// A mapping checked against a file's header.
#[derive(Debug)]
struct Plan<'m> {
    fields: Vec<Resolved<'m>>,
    date_order: Option<DateOrder>,
    /// The header, to name the column of an unclosed quote.
    header: Vec<String>,
}

fn input_error(message: String, help: Option<String>) -> Error {
    Error::Input { message, span: None, help }
}

/// Reads the header row. The header is read on its own, before any row, so
/// that a mapping error is reported before anything else.
fn read_header(path: &Path, delimiter: u8) -> Result<Vec<String>> {
    let file = super::open_input(path)?;
    let mut reader =
        ::csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).from_reader(BufReader::new(file));
    let mut record = ByteRecord::new();
    let origin = path.display();
    if !reader.read_byte_record(&mut record).map_err(csv_error)? {
        return Err(input_error(
            format!("{origin} is empty: a CSV import needs a header row naming the columns"),
            None,
        ));
    }
    let mut header = Vec::with_capacity(record.len());
    for (i, name) in record.iter().enumerate() {
        let name = std::str::from_utf8(name).map_err(|e| {
            input_error(
                format!(
                    "the header of {origin} is not valid UTF-8 (column {}, {})",
                    i + 1,
                    describe_utf8_error(name, &e)
                ),
                Some("save the file as UTF-8".into()),
            )
        })?;
        if name.contains(['\n', '\r']) {
            // Only a quote can put a line break in a column name: the most
            // likely cause is a quote opened in the header and never closed.
            return Err(input_error(
                format!(
                    "column {} of the header of {origin} runs over several lines; a quote in line 1 is probably not closed",
                    i + 1
                ),
                None,
            ));
        }
        header.push(name.trim().to_string());
    }
    Ok(header)
}

/// Checks the mapping against the header: required fields present, fields
/// not given twice, columns that exist, constants that parse.
fn resolve<'m>(mapping: &'m CsvMapping, header: Vec<String>, origin: &str) -> Result<Plan<'m>> {
    check_required(mapping, &header, origin)?;
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
                let index = find_column(&header, column, name, origin)?;
                (Cell::Column(index), header[index].clone())
            }
            ValueFrom::Constant(value) => {
                check_constant(map, value, mapping.date_order)?;
                (Cell::Constant(value.clone()), name.to_string())
            }
        };
        fields.push(Resolved { map, cell, label });
    }
    Ok(Plan { fields, date_order: mapping.date_order, header })
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

// ---------------------------------------------------------------------------
// Reading rows.

/// Where records start, found by following the CSV quoting rules over the
/// bytes as the csv reader pulls them in.
///
/// The csv crate's record positions count lines only at `\n` and point
/// before any blank lines or the `\n` of a `\r\n`, so they drift on files
/// with Windows line ends or blank lines. Lines are what users see in their
/// editor, and the importer needs one distinct line per record, so the
/// scanner counts them itself: `\n` and `\r\n` end a line, and so does a
/// lone `\r` outside quotes (old Mac files end records with it).
/// It follows the rules of `csv_core` for the settings used here (quote `"`,
/// doubled quotes, no escape character, no comments), so it sees the same
/// records; it also notices a quote that is still open at the end.
#[derive(Debug)]
struct Scanner {
    delimiter: u8,
    state: ScanState,
    line: u64,
    after_cr: bool,
    /// The field (0-based) being read, and the line and field of the last
    /// opening quote.
    field: usize,
    quote_line: u64,
    quote_field: usize,
    /// Start lines of records read by the scanner but not yet taken.
    starts: VecDeque<u64>,
    /// The first bytes, held until it is known whether they are a UTF-8
    /// byte order mark, which csv_core skips.
    head: Vec<u8>,
    head_done: bool,
}

/// The UTF-8 byte order mark some programs (Excel) put before the header.
const BOM: &[u8] = b"\xef\xbb\xbf";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ScanState {
    /// Between records (line ends and blank lines are skipped here).
    RecordStart,
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: either the closing quote or the first
    /// of a doubled one.
    QuoteInQuoted,
}

impl Scanner {
    fn new(delimiter: u8) -> Scanner {
        Scanner {
            delimiter,
            state: ScanState::RecordStart,
            line: 1,
            after_cr: false,
            field: 0,
            quote_line: 0,
            quote_field: 0,
            starts: VecDeque::new(),
            head: Vec::with_capacity(BOM.len()),
            head_done: false,
        }
    }

    fn feed(&mut self, mut bytes: &[u8]) {
        if !self.head_done {
            let take = (BOM.len() - self.head.len()).min(bytes.len());
            self.head.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.head.len() < BOM.len() {
                return;
            }
            self.finish();
        }
        self.scan(bytes);
    }

    /// The input is over (or the first bytes are known): let the held bytes
    /// through unless they are a byte order mark.
    fn finish(&mut self) {
        if !self.head_done {
            self.head_done = true;
            let head = std::mem::take(&mut self.head);
            if head != BOM {
                self.scan(&head);
            }
        }
    }

    fn scan(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.step(b);
            match b {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' => self.line += 1,
                // A stray `\r` inside a quoted field is data (LIAR2 has
                // `\r\r\n` in its texts): counting it would disagree with
                // grep, sed and most editors.
                b'\r' if self.state == ScanState::Quoted => self.after_cr = false,
                b'\r' => {
                    self.line += 1;
                    self.after_cr = true;
                }
                _ => self.after_cr = false,
            }
        }
    }

    fn step(&mut self, b: u8) {
        use ScanState::*;
        let line_end = b == b'\n' || b == b'\r';
        if self.state == RecordStart {
            if line_end {
                return;
            }
            self.starts.push_back(self.line);
            self.field = 0;
            self.state = FieldStart;
        }
        self.state = match self.state {
            FieldStart | Unquoted | QuoteInQuoted if b == self.delimiter => {
                self.field += 1;
                FieldStart
            }
            FieldStart | Unquoted | QuoteInQuoted if line_end => RecordStart,
            FieldStart if b == b'"' => {
                self.quote_line = self.line;
                self.quote_field = self.field;
                Quoted
            }
            Quoted if b == b'"' => QuoteInQuoted,
            QuoteInQuoted if b == b'"' => Quoted,
            Quoted => Quoted,
            _ => Unquoted,
        };
    }

    /// Whether the input ended inside a quoted field.
    fn open_quote(&self) -> Option<(u64, usize)> {
        (self.state == ScanState::Quoted).then_some((self.quote_line, self.quote_field))
    }
}

/// A reader that shows every byte it passes on to a [`Scanner`].
struct Scanned<R> {
    inner: R,
    scanner: Scanner,
}

impl<R: Read> Read for Scanned<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.scanner.finish();
        } else {
            self.scanner.feed(&buf[..n.min(buf.len())]);
        }
        Ok(n)
    }
}

fn csv_error(err: ::csv::Error) -> Error {
    crate::errio!("CSV read failed: {err}")
}

/// Where in a cell the invalid UTF-8 is.
fn describe_utf8_error(bytes: &[u8], err: &std::str::Utf8Error) -> String {
    let valid = err.valid_up_to();
    let character = String::from_utf8_lossy(&bytes[..valid]).chars().count() + 1;
    let byte = bytes.get(valid).copied().unwrap_or(0);
    format!("byte 0x{byte:02x} at character {character}")
}

/// The rows of a CSV file as import records.
struct CsvRecords<'p> {
    reader: ::csv::Reader<Scanned<BufReader<File>>>,
    plan: &'p Plan<'p>,
    record: ByteRecord,
    /// The last item read and its line, held back one step: only when the
    /// reader reports the end is it known whether the last record ran into
    /// an unclosed quote.
    pending: Option<(u64, Result<ImportRecord, ReadError>)>,
    done: bool,
}

impl<'p> CsvRecords<'p> {
    fn open(path: &Path, plan: &'p Plan<'p>, delimiter: u8) -> Result<CsvRecords<'p>> {
        let file = super::open_input(path)?;
        let scanned = Scanned { inner: BufReader::with_capacity(1 << 16, file), scanner: Scanner::new(delimiter) };
        let mut reader =
            ::csv::ReaderBuilder::new().delimiter(delimiter).has_headers(true).flexible(false).from_reader(scanned);
        reader.byte_headers().map_err(csv_error)?;
        let mut records = CsvRecords { reader, plan, record: ByteRecord::new(), pending: None, done: false };
        records.next_line(); // the header's
        Ok(records)
    }

    /// The line where the record just read starts.
    fn next_line(&mut self) -> u64 {
        match self.reader.get_mut().scanner.starts.pop_front() {
            Some(line) => line,
            // Cannot happen while the scanner agrees with csv_core; the
            // csv crate's own count is a fair fallback.
            None => self.record.position().map_or(0, |p| p.line()),
        }
    }

    /// Reads the next record (or error), `None` at the end.
    fn read(&mut self) -> Option<(u64, Result<ImportRecord, ReadError>)> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => {
                let line = self.next_line();
                let item = convert(self.plan, &self.record, line).map_err(ReadError::Record);
                Some((line, item))
            }
            Ok(false) => {
                self.done = true;
                None
            }
            Err(err) => {
                if let ::csv::ErrorKind::UnequalLengths { expected_len, len, .. } = err.kind() {
                    let line = self.next_line();
                    let error = wrong_length(line, *expected_len, *len, &self.record);
                    return Some((line, Err(ReadError::Record(error))));
                }
                self.done = true;
                Some((0, Err(ReadError::Fatal(csv_error(err)))))
            }
        }
    }

    /// At the end: if the input ended inside a quoted field, the last
    /// record is that field's fault, whatever else was wrong with it.
    fn check_open_quote(&mut self) {
        let Some((quote_line, field)) = self.reader.get_mut().scanner.open_quote() else {
            return;
        };
        let line = self.pending.as_ref().map_or(quote_line, |(line, _)| *line);
        if let Some((_, Err(ReadError::Fatal(_)))) = self.pending {
            return;
        }
        let error = RecordError {
            line,
            field: self.plan.header.get(field).cloned(),
            message: format!(
                "the quoted field starting on line {quote_line} is never closed: the file ends inside it (close it with \", and write a \" inside a quoted field as \"\")"
            ),
        };
        self.pending = Some((line, Err(ReadError::Record(error))));
    }
}

impl Iterator for CsvRecords<'_> {
    type Item = Result<ImportRecord, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return self.pending.take().map(|(_, item)| item);
            }
            match self.read() {
                Some(item) => {
                    if let Some((_, previous)) = self.pending.replace(item) {
                        return Some(previous);
                    }
                }
                None => self.check_open_quote(),
            }
        }
    }
}

fn wrong_length(line: u64, expected: u64, found: u64, record: &ByteRecord) -> RecordError {
    let spans_lines = record.iter().any(|f| f.contains(&b'\n') || f.contains(&b'\r'));
    let hint = if spans_lines {
        "; a quoted field in it runs over several lines, so a quote may not be closed where it should be"
    } else {
        ""
    };
    RecordError {
        line,
        field: None,
        message: format!("expected {expected} columns (as in the header), found {found}{hint}"),
    }
}

/// Turns one row into a claim.
fn convert(plan: &Plan<'_>, record: &ByteRecord, line: u64) -> Result<ImportRecord, RecordError> {
    let mut row = Row::default();
    for resolved in &plan.fields {
        let fail = |message: String| RecordError { line, field: Some(resolved.label.clone()), message };
        let raw = match &resolved.cell {
            Cell::Constant(value) => value.as_str(),
            Cell::Column(index) => {
                let bytes = record.get(*index).unwrap_or_default();
                std::str::from_utf8(bytes).map_err(|e| {
                    fail(format!("not valid UTF-8 ({}); save the file as UTF-8", describe_utf8_error(bytes, &e)))
                })?
            }
        };
        apply(&mut row, resolved.map, raw, plan.date_order).map_err(fail)?;
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

/// Imports a CSV file with a column mapping. The mapping is checked against
/// the header first (errors name what is missing, list the columns and
/// suggest near misses); then every row is checked, and nothing is written
/// if any row is bad, unless `options.skip_bad` is set.
pub fn import_file(
    db: &Db,
    path: &Path,
    mapping: &CsvMapping,
    options: &ImportOptions,
    progress: Progress<'_>,
    cancel: &AtomicBool,
) -> Result<ImportReport> {
    let origin = path.display().to_string();
    let header = read_header(path, mapping.delimiter)?;
    let plan = resolve(mapping, header, &origin)?;
    db.import_records(
        &origin,
        CsvRecords::open(path, &plan, mapping.delimiter)?,
        options,
        &crate::engine::Control { cancel, progress },
    )
}

// ---------------------------------------------------------------------------
// Export.

/// Writes claims as CSV, one row per claim, with the columns of
/// [`EXPORT_COLUMNS`]. Lists are joined with `; `; evidence, history and
/// relations have no column (use JSONL or ClaimReview to keep them).
pub struct CsvExporter<W: Write> {
    writer: ::csv::Writer<W>,
    header_written: bool,
}

impl<W: Write> CsvExporter<W> {
    /// An exporter writing to `out`. The header is written with the first
    /// claim (or by [`CsvExporter::finish`] when there is none).
    pub fn new(out: W) -> CsvExporter<W> {
        CsvExporter { writer: ::csv::Writer::from_writer(out), header_written: false }
    }

    fn header(&mut self) -> Result<()> {
        if !self.header_written {
            self.writer.write_record(EXPORT_COLUMNS).map_err(csv_write_error)?;
            self.header_written = true;
        }
        Ok(())
    }

    /// Writes one claim.
    pub fn write(&mut self, claim: &Claim) -> Result<()> {
        self.header()?;
        self.writer.write_record(export_row(claim)).map_err(csv_write_error)
    }

    /// Writes the header if no claim was written, flushes, and gives the
    /// output back.
    pub fn finish(mut self) -> Result<W> {
        self.header()?;
        self.writer.into_inner().map_err(|e| Error::io_context(e.error(), "CSV write failed"))
    }
}

fn csv_write_error(err: ::csv::Error) -> Error {
    crate::errio!("CSV write failed: {err}")
}

/// Writes `claims` as CSV with a header row (see [`CsvExporter`]).
pub fn export_claims(out: &mut dyn Write, claims: &[Claim]) -> Result<()> {
    let mut exporter = CsvExporter::new(out);
    for claim in claims {
        exporter.write(claim)?;
    }
    exporter.finish()?.flush()?;
    Ok(())
}

/// Exports every claim of the database, in id order; returns how many.
pub fn export(db: &Db, out: &mut dyn Write) -> Result<u64> {
    let mut exporter = CsvExporter::new(out);
    let mut n = 0;
    db.for_each_claim(|claim| {
        n += 1;
        exporter.write(&claim)
    })?;
    exporter.finish()?.flush()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The start lines the scanner finds, and how many records csv_core
    /// reads, for the same bytes.
    fn scan_and_read(data: &[u8]) -> (Vec<u64>, usize, Option<(u64, usize)>) {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(Scanned { inner: data, scanner: Scanner::new(b',') });
        let mut record = ByteRecord::new();
        let mut count = 0;
        while let Ok(true) = reader.read_byte_record(&mut record) {
            count += 1;
        }
        let scanner = &reader.get_ref().scanner;
        (scanner.starts.iter().copied().collect(), count, scanner.open_quote())
    }

    #[test]
    fn scanner_counts_physical_lines() {
        let cases: [(&[u8], &[u64]); 7] = [
            (b"a,b\n1,2\n3,4\n", &[1, 2, 3]),
            (b"a,b\r\n1,2\r\n3,4\r\n", &[1, 2, 3]),
            (b"a,b\n\n\n1,2\n\r\n3,4", &[1, 4, 6]),
            (b"a,b\r1,2\r3,4\r", &[1, 2, 3]),
            (b"a,b\n1,\"x\r\ny\n\"\n3,4\n", &[1, 2, 5]),
            (b"a\n\"x\r\ry\r\r\n\"\nb\n", &[1, 2, 4]),
            (b"\xef\xbb\xbf\"a\",b\n1,\"\"\"\"\n", &[1, 2]),
        ];
        for (data, want) in cases {
            let (starts, count, open) = scan_and_read(data);
            assert_eq!(starts, want, "{:?}", String::from_utf8_lossy(data));
            assert_eq!(count, want.len());
            assert_eq!(open, None);
        }
    }

    #[test]
    fn scanner_sees_an_unclosed_quote() {
        let (_, _, open) = scan_and_read(b"a,b,c\n1,2,3\n4,\"5\n6,7,8\n");
        assert_eq!(open, Some((3, 1)));
        let (_, _, open) = scan_and_read(b"a,b\n1,\"2\"\"\n");
        assert_eq!(open, Some((2, 1)));
    }

    proptest! {
        /// Whatever the bytes, the scanner finds exactly the records the csv
        /// reader reads, so every record gets its own line.
        #[test]
        fn scanner_agrees_with_csv_core(
            data in proptest::collection::vec(
                prop_oneof![
                    Just(b'a'), Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'),
                    Just(0xef_u8), Just(0xbb_u8), Just(0xbf_u8),
                ],
                0..60,
            )
        ) {
            let (starts, count, _) = scan_and_read(&data);
            prop_assert_eq!(starts.len(), count);
            prop_assert!(starts.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn translates_codes_and_parses_booleans() {
        let map = FieldMap::column(CsvField::Rating, "label").translate("0", "pants-fire");
        assert_eq!(map.translated(" 0 "), "pants-fire");
        assert_eq!(map.translated("1"), "1");
        assert_eq!(parse_bool("Yes"), Ok(true));
        assert_eq!(parse_bool("0"), Ok(false));
        assert!(parse_bool("maybe").unwrap_err().contains("'maybe'"));
    }
}
