//! CSV: imports with a column mapping, and claimdb's own CSV, written by
//! exports and read back without one.
//!
//! - [`mapping`]: the mapping types the statement parser builds.
//! - `rows`: reading rows once, with the line each starts on, within the
//!   size limit.
//! - [`import`]: a mapped import, checked against the header, row by row.
//! - [`own`]: claimdb's own columns and cells, both ways (with the formula
//!   guard).
//! - [`export`]: the CSV writer.
//!
//! Import hands the rows to [`Db::import_records`](crate::Db::import_records),
//! so a file with any bad row writes nothing (unless bad rows are to be
//! skipped), and memory stays flat: rows are streamed.

pub mod export;
pub mod import;
pub mod mapping;
pub mod own;
mod rows;

pub use export::CsvExporter;
pub use import::records;
pub use mapping::{CsvField, CsvMapping, DateOrder, FieldMap, ValueFrom};
pub use own::{export_row, guard, EXPORT_COLUMNS, LIST_JOIN};
