//! Getting claims in and out: the JSONL interchange format (the canonical
//! one), CSV with a column mapping, and schema.org ClaimReview JSON-LD.
//!
//! Every importer turns its input into [`ImportRecord`]s and hands them to
//! [`Db::import_records`](crate::Db::import_records), which checks everything
//! before writing anything.

pub mod backup;
pub mod claimreview;
pub mod csv;
pub mod jsonl;
mod lines;

pub use lines::{open_input, read_json_document, InputLines};

use crate::engine::ImportRecord;
