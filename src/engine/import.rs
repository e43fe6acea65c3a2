//! Bulk import: all or nothing, streaming, and safe across crashes.
//!
//! An import reads its input twice. The first pass checks every record and
//! collects every problem without writing anything, so a bad file changes
//! nothing and its report lists every bad record. The second pass writes the
//! claims in large chunks, one atomic batch each. Before the first chunk, the
//! ids about to be written are recorded in an import journal in the meta
//! tree; the journal is removed when the last chunk is durable. If the
//! process dies in between, the next open finds the journal and removes what
//! the import had written, so an interrupted import leaves nothing behind.
//!
//! Memory stays flat: only the ids and link targets of the file are held,
//! never the records themselves.

use super::index::IndexDelta;
use super::read::claim_key;
use super::sources::PendingSources;
use super::write::prepare;
use super::{Db, META_JOURNAL};
use crate::error::{Error, RecordError, Result};
use crate::model::{ClaimId, Link, NewClaim};
use crate::storage::keycode::KeyBuilder;
use crate::storage::{codec, Tree, WriteBatch};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};

/// One record read from an import file.
#[derive(Clone, Debug)]
pub struct ImportRecord {
    /// The line (or record number) it was read from, for error reports.
    pub line: u64,
    /// The claim.
    pub claim: NewClaim,
    /// Relations from this claim to others (by id).
    pub links: Vec<Link>,
}

/// What reading one record can fail with.
#[derive(Clone, Debug)]
pub enum ReadError {
    /// This record is bad; the others may be fine.
    Record(RecordError),
    /// The input as a whole cannot be read any further.
    Fatal(Error),
}

/// How to import.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// Import the good records and report the bad ones, instead of importing
    /// nothing when any record is bad.
    pub skip_bad: bool,
    /// Claims per atomic write.
    pub chunk: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { skip_bad: false, chunk: 100_000 }
    }
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Claims written.
    pub imported: u64,
    /// Records skipped as bad (only with `skip_bad`).
    pub rejected: Vec<RecordError>,
    /// The ids given to the imported claims, as (first, last) ranges.
    pub id_ranges: Vec<(ClaimId, ClaimId)>,
}

/// Progress of an import: the phase (`checking`, `importing`) and records
/// done so far.
pub type Progress<'a> = &'a dyn Fn(&str, u64);

fn record_error(line: u64, err: &Error) -> RecordError {
    let (field, message) = match err {
        Error::Input { message, help: Some(help), .. } => (None, format!("{message} ({help})")),
        other => (None, other.to_string()),
    };
    RecordError { line, field, message }
}

/// Ranges of consecutive ids.
fn ranges(ids: impl IntoIterator<Item = u64>) -> Vec<(u64, u64)> {
    let mut out: Vec<(u64, u64)> = Vec::new();
    for id in ids {
        match out.last_mut() {
            Some((_, last)) if *last + 1 == id => *last = id,
            _ => out.push((id, id)),
        }
    }
    out
}

impl Db {
    /// Imports records read by `open` (called once per pass; each call must
    /// yield the same records). `origin` names the input in messages.
    /// `cancel` stops the import between chunks (what was written is then
    /// rolled back).
    pub fn import_records<I, F>(
        &self,
        origin: &str,
        mut open: F,
        options: &ImportOptions,
        progress: Progress<'_>,
        cancel: &AtomicBool,
    ) -> Result<ImportReport>
    where
        F: FnMut() -> Result<I>,
        I: Iterator<Item = Result<ImportRecord, ReadError>>,
    {
        let _guard = self.write_lock();
        let engine = &self.engine;
        let now = engine.now();

        // Pass 1: check everything, write nothing.
        let mut bad: Vec<RecordError> = Vec::new();
        let mut explicit: Vec<u64> = Vec::new();
        let mut explicit_lines: Vec<(u64, u64)> = Vec::new();
        let mut link_targets: Vec<(u64, u64)> = Vec::new();
        let mut good = 0u64;
        let mut seen = 0u64;
        for item in open()? {
            seen += 1;
            if seen.is_multiple_of(1000) {
                progress("checking", seen);
                if cancel.load(Ordering::Relaxed) {
                    return Err(Error::Cancelled);
                }
            }
            let record = match item {
                Ok(r) => r,
                Err(ReadError::Record(e)) => {
                    bad.push(e);
                    continue;
                }
                Err(ReadError::Fatal(e)) => return Err(e),
            };
            if let Err(e) = prepare(&record.claim, now) {
                bad.push(record_error(record.line, &e));
                continue;
            }
            if let Some(id) = record.claim.id {
                if engine.store.contains(Tree::Claims, &claim_key(id))? {
                    bad.push(RecordError {
                        line: record.line,
                        field: Some("id".into()),
                        message: format!("claim #{id} already exists in the database"),
                    });
                    continue;
                }
                explicit.push(id);
                explicit_lines.push((id, record.line));
            }
            for link in &record.links {
                link_targets.push((record.line, link.claim));
            }
            good += 1;
        }
        progress("checking", seen);
        explicit_lines.sort_unstable();
        for pair in explicit_lines.windows(2) {
            if pair[0].0 == pair[1].0 {
                bad.push(RecordError {
                    line: pair[1].1,
                    field: Some("id".into()),
                    message: format!("claim #{} appears twice (first on line {})", pair[0].0, pair[0].1),
                });
            }
        }
        explicit.sort_unstable();
        explicit.dedup();
        drop(explicit_lines);
        for (line, target) in link_targets {
            let in_file = explicit.binary_search(&target).is_ok();
            if !in_file && !engine.store.contains(Tree::Claims, &claim_key(target))? {
                bad.push(RecordError {
                    line,
                    field: Some("relations".into()),
                    message: format!("relation to claim #{target}, which is neither in the file nor in the database"),
                });
            }
        }
        bad.sort_by_key(|e| e.line);
        if !bad.is_empty() && !options.skip_bad {
            return Err(Error::Import { origin: origin.to_string(), records: bad });
        }
        let bad_lines: HashSet<u64> = bad.iter().map(|e| e.line).collect();

        // The journal: every id this import may write.
        let mut next_id = engine.next_claim_id()?;
        let first_auto = next_id;
        let mut journal = ranges(explicit.iter().copied());
        // Automatic ids start at the counter and skip the file's own ids.
        journal.push((first_auto, first_auto.saturating_add(good + explicit.len() as u64)));
        let mut batch = WriteBatch::new();
        batch.put(Tree::Meta, META_JOURNAL.to_vec(), codec::encode(&journal));
        engine.store.write(&batch)?;
        engine.store.flush()?;

        // Pass 2: write in chunks.
        let result = (|| -> Result<Vec<u64>> {
            let mut written = Vec::new();
            let mut sources = PendingSources::default();
            let mut chunk: Vec<ImportRecord> = Vec::with_capacity(options.chunk.min(100_000));
            let mut done = 0u64;
            let mut flush_chunk = |chunk: &mut Vec<ImportRecord>, next_id: &mut u64| -> Result<()> {
                if chunk.is_empty() {
                    return Ok(());
                }
                let mut batch = WriteBatch::new();
                let mut delta = IndexDelta::default();
                let mut prepared = Vec::with_capacity(chunk.len());
                let mut links = Vec::new();
                for record in chunk.drain(..) {
                    let mut claim = prepare(&record.claim, now)?;
                    let id = match claim.id {
                        Some(id) => id,
                        None => {
                            while explicit.binary_search(next_id).is_ok() {
                                *next_id += 1;
                            }
                            let id = *next_id;
                            *next_id += 1;
                            id
                        }
                    };
                    claim.id = Some(id);
                    for link in record.links {
                        links.push((id, link));
                    }
                    prepared.push(claim);
                }
                let mut counter = *next_id;
                let ids = engine.stage_inserts(prepared, &mut batch, &mut delta, &mut sources, &mut counter)?;
                *next_id = (*next_id).max(counter);
                for (from, link) in links {
                    let fwd = KeyBuilder::default().u64(from).u8(link.relation.code()).u64(link.claim).build();
                    let back = KeyBuilder::default().u64(link.claim).u8(link.relation.code()).u64(from).build();
                    batch.put(Tree::Links, fwd, vec![]);
                    batch.put(Tree::LinksBack, back, vec![]);
                }
                delta.stage(&engine.store, &mut batch)?;
                engine.store.write(&batch)?;
                written.extend(ids);
                Ok(())
            };
            for item in open()? {
                let record = match item {
                    Ok(r) => r,
                    Err(ReadError::Record(_)) => continue,
                    Err(ReadError::Fatal(e)) => return Err(e),
                };
                if bad_lines.contains(&record.line) {
                    continue;
                }
                chunk.push(record);
                if chunk.len() >= options.chunk {
                    done += chunk.len() as u64;
                    flush_chunk(&mut chunk, &mut next_id)?;
                    progress("importing", done);
                    if cancel.load(Ordering::Relaxed) {
                        return Err(Error::Cancelled);
                    }
                }
            }
            done += chunk.len() as u64;
            flush_chunk(&mut chunk, &mut next_id)?;
            progress("importing", done);
            Ok(written)
        })();

        match result {
            Ok(mut ids) => {
                let mut batch = WriteBatch::new();
                batch.delete(Tree::Meta, META_JOURNAL.to_vec());
                engine.store.write(&batch)?;
                engine.store.flush()?;
                ids.sort_unstable();
                Ok(ImportReport { imported: ids.len() as u64, rejected: bad, id_ranges: ranges(ids) })
            }
            Err(e) => {
                drop(_guard);
                // Undo whatever the chunks wrote; the journal says what.
                self.recover_interrupted_import()?;
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{date::parse_iso, Relation, Source};

    fn record(line: u64, id: Option<u64>, text: &str) -> Result<ImportRecord, ReadError> {
        let mut claim = NewClaim::new(text, Source::new("someone"), parse_iso("2024-01-02").unwrap());
        claim.id = id;
        Ok(ImportRecord { line, claim, links: vec![] })
    }

    fn run(db: &Db, records: Vec<Result<ImportRecord, ReadError>>, skip_bad: bool) -> Result<ImportReport> {
        let options = ImportOptions { skip_bad, chunk: 3 };
        db.import_records("test", || Ok(records.clone().into_iter()), &options, &|_, _| {}, &AtomicBool::new(false))
    }

    #[test]
    fn all_or_nothing_then_skip_bad() {
        let db = Db::temporary().unwrap();
        db.insert(NewClaim::new("existing", Source::new("x"), parse_iso("2024-01-01").unwrap())).unwrap();
        let records = vec![
            record(1, None, "a"),
            record(2, Some(1), "clashes with the existing claim"),
            record(3, None, " "),
            record(4, Some(10), "b"),
            record(5, Some(10), "twice"),
            record(6, None, "c"),
        ];
        let err = run(&db, records.clone(), false).unwrap_err();
        let Error::Import { records: bad, .. } = &err else { panic!("{err}") };
        assert_eq!(bad.iter().map(|e| e.line).collect::<Vec<_>>(), vec![2, 3, 5]);
        assert_eq!(db.count().unwrap(), 1);

        let report = run(&db, records, true).unwrap();
        assert_eq!(report.imported, 3);
        assert_eq!(report.rejected.len(), 3);
        assert_eq!(db.count().unwrap(), 4);
        assert!(db.get(10).unwrap().is_some());
        assert!(db.check().unwrap().is_ok());
    }

    #[test]
    fn links_need_existing_targets() {
        let db = Db::temporary().unwrap();
        let mut linked = record(1, Some(5), "a").unwrap();
        linked.links.push(Link { relation: Relation::Supports, claim: 6 });
        let err = run(&db, vec![Ok(linked.clone()), record(2, Some(7), "b")], false).unwrap_err();
        assert!(err.to_string().contains("relation to claim #6"), "{err}");
        run(&db, vec![Ok(linked), record(2, Some(6), "b")], false).unwrap();
        assert_eq!(db.get(6).unwrap().unwrap().linked_from.len(), 1);
        assert!(db.check().unwrap().is_ok());
    }

    #[test]
    fn a_failure_mid_import_rolls_back() {
        let db = Db::temporary().unwrap();
        let records: Vec<_> = (1..=10).map(|i| record(i, None, &format!("claim {i}"))).collect();
        // The journal write succeeds, the first chunk succeeds, the second fails.
        let fail = std::cell::Cell::new(0);
        let result = db.import_records(
            "test",
            || Ok(records.clone().into_iter()),
            &ImportOptions { skip_bad: false, chunk: 3 },
            &|phase, n| {
                if phase == "importing" && n >= 3 && fail.get() == 0 {
                    fail.set(1);
                    db_inject(&db);
                }
            },
            &AtomicBool::new(false),
        );
        assert!(result.is_err());
        assert_eq!(db.count().unwrap(), 0);
        assert!(db.check().unwrap().is_ok());
        assert!(db.engine.store.get(Tree::Meta, META_JOURNAL).unwrap().is_none());
    }

    fn db_inject(db: &Db) {
        db.engine.store.inject_write_failure(1);
    }
}
