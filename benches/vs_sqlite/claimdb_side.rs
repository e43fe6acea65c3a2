//! The claimdb side: import through the real JSONL path, questions through
//! `Db::execute`, and the conversion of its outputs to engine-neutral
//! answers.
//!
//! Errors are values here, never panics: when `execute` fails (or is not
//! built yet), the benchmark reports the error in its table and carries on
//! with the SQLite side.

use super::questions::{Answer, Row};
use claimdb::engine::ImportOptions;
use claimdb::query::Output;
use claimdb::{Claim, Db};
use std::path::Path;

/// Imports the corpus into a new database at `path` (removing any old one);
/// returns the number of claims imported. Opening and closing (the final
/// flush) are part of the import.
pub fn import(corpus: &Path, path: &Path) -> Result<u64, String> {
    if path.exists() {
        std::fs::remove_dir_all(path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let db = Db::open(path).map_err(|e| e.to_string())?;
    let report = claimdb::interchange::import(
        &db,
        corpus,
        &claimdb::interchange::ImportFormat::Jsonl,
        &ImportOptions::default(),
        &claimdb::engine::Control::none(),
    )
    .map_err(|e| e.to_string())?;
    if !report.rejected.is_empty() {
        return Err(format!("{} records rejected, first: {}", report.rejected.len(), report.rejected[0]));
    }
    drop(db);
    Ok(report.imported)
}

/// Runs a statement. The `Output` is returned whole so that the caller
/// times only `execute` (building the claims is part of answering).
pub fn run(db: &Db, statement: &str) -> Result<Output, String> {
    db.execute(statement).map_err(|e| e.to_string())
}

fn row(c: &Claim) -> Row {
    let mut outlets = c.outlets.clone();
    outlets.sort();
    let mut topics = c.topics.clone();
    topics.sort();
    Row {
        id: c.id,
        text: c.text.clone(),
        date: c.date.to_string(),
        status: c.status.name().to_string(),
        rating: c.rating.clone(),
        source: c.source.name.clone(),
        kind: c.source.kind.name().to_string(),
        anonymous: c.source.anonymous,
        affiliation: c.source.affiliation.clone(),
        outlets,
        topics,
    }
}

/// The engine-neutral form of an output, or an error for outputs no
/// benchmark question should produce.
pub fn answer(output: &Output) -> Result<Answer, String> {
    match output {
        Output::Claims(claims) => Ok(Answer::Claims(claims.iter().map(row).collect())),
        Output::Claim(claim) => Ok(Answer::Claims(vec![row(claim)])),
        Output::Ranked(r) => Ok(Answer::Claims(r.claims.iter().map(|c| row(&c.claim)).collect())),
        Output::Count(n) => Ok(Answer::Count(*n)),
        Output::Groups { rows, .. } => {
            Ok(Answer::Groups(rows.iter().map(|(v, n)| (v.clone().unwrap_or_default(), *n)).collect()))
        }
        other => Err(format!("unexpected output: {}", serde_json::to_string(other).unwrap_or_else(|_| "?".into()))),
    }
}

/// Opens the database and answers one statement: the start-to-first-answer
/// figure's claimdb side.
pub fn first_answer(path: &Path, statement: &str) -> Result<Answer, String> {
    let db = Db::open(path).map_err(|e| e.to_string())?;
    answer(&run(&db, statement)?)
}

/// The number of claims in the database, through the typed API (which
/// works whatever the state of the query language).
pub fn count(db: &Db) -> Result<u64, String> {
    db.count().map_err(|e| e.to_string())
}

/// One claim through the typed API, as an answer, for the import check.
pub fn get(db: &Db, id: u64) -> Result<Answer, String> {
    let claim = db.get(id).map_err(|e| e.to_string())?;
    Ok(Answer::Claims(claim.iter().map(row).collect()))
}
