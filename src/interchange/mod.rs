//! Getting claims in and out: the JSONL interchange format (the canonical
//! one), JSON arrays, CSV (with a column mapping, or claimdb's own), and
//! schema.org ClaimReview JSON-LD; backups.
//!
//! This module owns the formats: [`Format`] says which a file name implies,
//! [`import`] and [`export`] dispatch to the format modules, each of which
//! offers a record iterator (read once, streamed, within the size limits of
//! [`input`]) and a [`ClaimWriter`]. Every import hands its records to
//! [`Db::import_records`](crate::Db::import_records), which checks
//! everything before keeping anything, steered by one
//! [`Control`] (Ctrl-C, a progress bar). Every
//! export and backup is written through [`output::OutputFile`]: whole or
//! not at all, never inside the database, never through a planted link.

pub mod backup;
pub mod claimreview;
pub mod csv;
pub mod input;
pub mod json;
pub mod jsonl;
pub mod output;

pub use input::Input;

use crate::engine::{Control, ImportOptions, ImportRecord, ImportReport, ReadError};
use crate::error::{Error, Result};
use crate::model::Claim;
use crate::Db;
use csv::CsvMapping;
use std::io::Write;
use std::path::Path;

/// The file formats claimdb reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One claim object per line (`.jsonl`, `.ndjson`): the canonical format.
    Jsonl,
    /// A JSON array of claim objects (`.json`); on import, a `.json` file
    /// holding ClaimReview markup is read as ClaimReview.
    Json,
    /// CSV (`.csv`; `.tsv` is read with tabs).
    Csv,
    /// schema.org ClaimReview JSON-LD (`.jsonld`).
    ClaimReview,
}

impl Format {
    /// The name a statement uses for the format (`import csv …`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::ClaimReview => "claimreview",
        }
    }

    /// The format a file's extension implies, if any.
    pub fn of_path(path: &Path) -> Option<Format> {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        match extension.as_str() {
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "json" => Some(Format::Json),
            "csv" | "tsv" => Some(Format::Csv),
            "jsonld" => Some(Format::ClaimReview),
            _ => None,
        }
    }

    /// The format to import `path` in: the one named in the statement, else
    /// the one its extension implies, else JSONL.
    pub fn for_import(named: Option<Format>, path: &Path) -> Format {
        named.or_else(|| Format::of_path(path)).unwrap_or(Format::Jsonl)
    }

    /// The format to export to `path` in, which its extension must say.
    pub fn for_export(path: &Path) -> Result<Format> {
        match Format::of_path(path) {
            Some(format) if !path_is_tsv(path) => Ok(format),
            _ => Err(Error::Input {
                message: format!("cannot tell the export format of {}", path.display()),
                span: None,
                help: Some("name the file .jsonl, .json, .csv or .jsonld".into()),
            }),
        }
    }
}

fn path_is_tsv(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
}

/// How to read an import file.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportFormat {
    /// JSONL.
    Jsonl,
    /// A `.json` file: claimdb's JSON array of claims or ClaimReview
    /// markup, told apart by its content.
    Json,
    /// CSV with a column mapping; a mapping with no fields reads claimdb's
    /// own CSV export, recognised by its header.
    Csv(CsvMapping),
    /// schema.org ClaimReview JSON-LD.
    ClaimReview,
}

impl ImportFormat {
    /// How a file is read when the statement says nothing but its name: by
    /// extension, CSV without a mapping (claimdb's own), JSONL otherwise.
    pub fn of_path(path: &Path) -> ImportFormat {
        match Format::for_import(None, path) {
            Format::Jsonl => ImportFormat::Jsonl,
            Format::Json => ImportFormat::Json,
            Format::Csv => ImportFormat::Csv(CsvMapping::for_file(path)),
            Format::ClaimReview => ImportFormat::ClaimReview,
        }
    }
}

/// The record iterator every format offers.
type Records<'a> = Box<dyn Iterator<Item = Result<ImportRecord, ReadError>> + Send + 'a>;

/// Imports the file at `path` (read once, from the start: a pipe or FIFO
/// works) in `format`. All or nothing unless `options.skip_bad`; `control`
/// stops it (nothing is kept) and is told the progress.
pub fn import(
    db: &Db,
    path: &Path,
    format: &ImportFormat,
    options: &ImportOptions,
    control: &Control<'_>,
) -> Result<ImportReport> {
    let mut input = Input::open(path)?;
    let origin = input.name().to_string();
    let records: Records<'_> = match format {
        ImportFormat::Jsonl => Box::new(jsonl::records(input)),
        ImportFormat::Json if json::looks_like_json_ld(&mut input)? => Box::new(claimreview::records(input)?),
        ImportFormat::Json => Box::new(json::records(input)),
        ImportFormat::ClaimReview => Box::new(claimreview::records(input)?),
        ImportFormat::Csv(mapping) => csv::records(input, mapping)?,
    };
    db.import_records(&origin, records, options, control)
}

/// Writes claims in one format, one at a time.
pub trait ClaimWriter {
    /// Writes the next claim.
    fn write(&mut self, claim: &Claim) -> Result<()>;
    /// Ends the output (a closing `]`, a header when nothing was written)
    /// and flushes it.
    fn finish(self: Box<Self>) -> Result<()>;
}

/// The writer of `format` on `out`.
pub fn writer<'w>(format: Format, out: &'w mut dyn Write) -> Box<dyn ClaimWriter + 'w> {
    match format {
        Format::Jsonl => Box::new(jsonl::JsonlWriter::new(out)),
        Format::Json => Box::new(json::ClaimsWriter::new(out)),
        Format::Csv => Box::new(csv::CsvExporter::new(out)),
        Format::ClaimReview => Box::new(claimreview::ClaimReviewWriter::new(out)),
    }
}

/// Exports to `path`, in the format its extension says, the claims that
/// `claims` hands to the function it is given, writing each as it comes;
/// returns how many. The file appears whole or not at all.
pub fn export(
    db: &Db,
    path: &Path,
    claims: impl FnOnce(&mut dyn FnMut(Claim) -> Result<()>) -> Result<()>,
) -> Result<u64> {
    let format = Format::for_export(path)?;
    let mut file = output::OutputFile::create(db, path, "the export")?;
    let mut n = 0;
    let written = {
        let mut writer = writer(format, file.writer());
        claims(&mut |claim| {
            n += 1;
            writer.write(&claim)
        })
        .and_then(|()| writer.finish())
    };
    written.map_err(|e| naming(e, path))?;
    file.commit()?;
    Ok(n)
}

/// An I/O error of a writer, with the file named.
fn naming(err: Error, path: &Path) -> Error {
    match err {
        Error::Io { kind, message } => {
            Error::Io { kind, message: format!("cannot write the export {}: {message}", path.display()) }
        }
        other => other,
    }
}
