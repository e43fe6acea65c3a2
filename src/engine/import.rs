//! Bulk import: all or nothing, streaming, in one pass, safe across crashes.
//!
//! Records are checked and written in one pass, in large chunks. Before a
//! chunk is written, the ids it will use are appended to an import journal
//! in the meta tree and flushed; the journal is removed once the whole
//! import is durable. If a record is bad, reading goes on (every bad record
//! is reported) but writing stops, and at the end everything the import
//! wrote is rolled back: an import is all or nothing. The same rollback runs
//! when the database is next opened after a crash or a kill mid-import, so
//! an interrupted import leaves nothing behind either.
//!
//! Because the journal makes chunks undoable, chunks are written without a
//! multi-tree transaction (each tree's part is one batch): rollback does not
//! trust any of it, it removes the journal's ids from every index block and
//! deletes their records.
//!
//! Memory stays flat: the records of one chunk, the index entries of one
//! index batch, the ids of the file and its relation targets are held, never
//! the whole file. Index blocks are rewritten once per index batch rather
//! than once per chunk, since rewriting a term's last block is what makes
//! small batches slow.

use super::index::{self, IndexDelta};
use super::postings;
use super::read::claim_key;
use super::sources::PendingSources;
use super::terms::Term;
use super::write::{claim_terms, prepare, Prepared};
use super::{Db, Engine, META_JOURNAL};
use crate::error::{Error, RecordError, Result};
use crate::model::{ClaimId, Link, NewClaim};
use crate::storage::keycode::{KeyBuilder, KeyReader};
use crate::storage::{codec, Tree, WriteBatch};
use fxhash::FxHashMap;
use std::collections::HashMap;
use std::ops::Bound;
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
    /// Claims per write of records (each chunk is journaled first).
    pub chunk: usize,
    /// Claims whose index entries are gathered in memory before the index
    /// blocks are rewritten: more means fewer rewrites of the same blocks
    /// (a faster import, a smaller file) and more memory (about 300 bytes
    /// per claim).
    pub index_batch: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { skip_bad: false, chunk: 10_000, index_batch: 250_000 }
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

/// How a long-running operation (an import, a restore) is steered from
/// outside: a flag that stops it (set by Ctrl-C, or a server shutting
/// down) and a callback told how far it got (a progress bar).
#[derive(Clone, Copy)]
pub struct Control<'a> {
    /// Set to true to stop; the operation then fails with
    /// [`Error::Cancelled`] and changes nothing.
    pub cancel: &'a AtomicBool,
    /// Called with the phase and the records done so far.
    pub progress: Progress<'a>,
}

static NEVER_CANCELLED: AtomicBool = AtomicBool::new(false);

impl Control<'static> {
    /// Never cancelled, reporting no progress.
    pub fn none() -> Control<'static> {
        Control { cancel: &NEVER_CANCELLED, progress: &|_, _| {} }
    }
}

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
    /// Imports `records`, read once, in order. `origin` names the input in
    /// messages. Cancelling through `control` stops the import between
    /// chunks; what was written is then rolled back.
    pub fn import_records<I>(
        &self,
        origin: &str,
        records: I,
        options: &ImportOptions,
        control: &Control<'_>,
    ) -> Result<ImportReport>
    where
        I: Iterator<Item = Result<ImportRecord, ReadError>> + Send,
    {
        let result = {
            let _guard = self.write_lock();
            let mut run = Importer::new(&self.engine, options, control.progress, control.cancel)?;
            run.all(records).and_then(|()| run.finish())
        };
        match result {
            Ok(Outcome::Done(report)) => Ok(report),
            Ok(Outcome::Bad(records)) => {
                self.recover_interrupted_import()?;
                Err(Error::Import { origin: origin.to_string(), records })
            }
            Err(e) => {
                // Undo whatever the chunks wrote; the journal says what.
                self.recover_interrupted_import()?;
                Err(e)
            }
        }
    }

    /// Rolls back an import that did not finish (a crash, a kill, a bad
    /// record, a failed write): the ids in the import journal are removed
    /// from every index block, their records and relations are deleted, and
    /// the journal goes. Nothing the import wrote is trusted.
    pub(crate) fn recover_interrupted_import(&self) -> Result<()> {
        let _guard = self.write_lock();
        let engine = &self.engine;
        let Some(journal) = engine.store.get(Tree::Meta, META_JOURNAL)? else { return Ok(()) };
        let mut ranges: Vec<(u64, u64)> = codec::decode(&journal, "import journal")?;
        if ranges.iter().any(|(first, last)| last < first) {
            return Err(crate::errcorrupt!("the import journal holds a backwards range"));
        }
        ranges.sort_unstable();
        let in_import = |id: u64| {
            let i = ranges.partition_point(|(first, _)| *first <= id);
            i > 0 && id <= ranges[i - 1].1
        };

        // Index blocks: every block of every term, without the import's ids.
        let mut batch = WriteBatch::new();
        for item in engine.store.scan_prefix(Tree::Postings, &[]) {
            let (key, value) = item?;
            let ids = postings::decode(&value)?;
            if !ids.iter().any(|id| in_import(*id)) {
                continue;
            }
            let kept: Vec<u64> = ids.into_iter().filter(|id| !in_import(*id)).collect();
            if kept.is_empty() {
                batch.delete(Tree::Postings, key.to_vec());
            } else {
                batch.put(Tree::Postings, key.to_vec(), postings::encode(&kept));
            }
            flush_if_large(engine, &mut batch)?;
        }
        // Records and relations (in both directions).
        for &(first, last) in &ranges {
            let scan = engine.store.scan(
                Tree::Claims,
                Bound::Included(claim_key(first).to_vec()),
                Bound::Included(claim_key(last).to_vec()),
            );
            for item in scan {
                let (key, _) = item?;
                batch.delete(Tree::Claims, key.to_vec());
                flush_if_large(engine, &mut batch)?;
            }
            for (tree, other) in [(Tree::Links, Tree::LinksBack), (Tree::LinksBack, Tree::Links)] {
                let scan = engine.store.scan(
                    tree,
                    Bound::Included(claim_key(first).to_vec()),
                    Bound::Excluded(KeyBuilder::default().u64(last).u8(u8::MAX).u64(u64::MAX).u8(0).build()),
                );
                for item in scan {
                    let (key, _) = item?;
                    let mut r = KeyReader::new(&key);
                    let (a, rel, b) = (r.u64()?, r.u8()?, r.u64()?);
                    batch.delete(tree, key.to_vec());
                    batch.delete(other, KeyBuilder::default().u64(b).u8(rel).u64(a).build());
                }
            }
        }
        batch.delete(Tree::Meta, META_JOURNAL.to_vec());
        engine.store.write(&batch)?;
        engine.store.flush()
    }
}

/// Writes a rollback batch once it is large, to keep memory flat. Rollback
/// is idempotent, so a crash between its batches is safe: the journal stays
/// until the last one.
fn flush_if_large(engine: &Engine, batch: &mut WriteBatch) -> Result<()> {
    if batch.len() >= 50_000 {
        engine.store.write_parts(&std::mem::take(batch))?;
    }
    Ok(())
}

/// How an import ended before its journal is dropped.
enum Outcome {
    /// Everything written.
    Done(ImportReport),
    /// Bad records and no `skip_bad`: everything must be rolled back.
    Bad(Vec<RecordError>),
}

/// The state of one import.
struct Importer<'a> {
    engine: &'a Engine,
    options: &'a ImportOptions,
    progress: Progress<'a>,
    cancel: &'a AtomicBool,
    now: chrono::DateTime<chrono::Utc>,
    /// The next automatic id.
    next_id: u64,
    /// The id counter when the import began.
    first_auto: u64,
    /// Ids given out by this import, with the line that got each.
    used: HashMap<u64, u64>,
    /// Records checked and waiting to be written, with their index terms
    /// (numbers in `terms`).
    chunk: Vec<(Prepared, Vec<u32>, Vec<Link>)>,
    /// Every index term met so far, by the number the reading thread gave it.
    terms: Vec<Term>,
    /// Claims written but not yet indexed, per term number.
    postings: Vec<Vec<u64>>,
    /// Claims written but not yet indexed, per source id (known only here).
    source_postings: FxHashMap<u64, Vec<u64>>,
    /// How many claims are waiting to be indexed.
    pending_index: usize,
    /// Relations whose target must exist once everything is in: (line, from,
    /// link).
    links: Vec<(u64, u64, Link)>,
    bad: Vec<RecordError>,
    sources: PendingSources,
    /// The journal as written so far.
    journal: Vec<(u64, u64)>,
    seen: u64,
}

impl<'a> Importer<'a> {
    fn new(
        engine: &'a Engine,
        options: &'a ImportOptions,
        progress: Progress<'a>,
        cancel: &'a AtomicBool,
    ) -> Result<Importer<'a>> {
        Ok(Importer {
            engine,
            options,
            progress,
            cancel,
            now: engine.now(),
            next_id: engine.next_claim_id()?,
            first_auto: engine.next_claim_id()?,
            used: HashMap::new(),
            chunk: Vec::new(),
            terms: Vec::new(),
            postings: Vec::new(),
            source_postings: FxHashMap::default(),
            pending_index: 0,
            links: Vec::new(),
            bad: Vec::new(),
            sources: PendingSources::default(),
            journal: Vec::new(),
            seen: 0,
        })
    }

    /// Whether records are still being written (no bad record has made the
    /// import fail).
    fn writing(&self) -> bool {
        self.options.skip_bad || self.bad.is_empty()
    }

    /// Reads every record and writes the good ones. Reading, parsing,
    /// checking a record and working out its index terms happen on a second
    /// thread, so that they overlap with the writing on this one.
    fn all(&mut self, records: impl Iterator<Item = Result<ImportRecord, ReadError>> + Send) -> Result<()> {
        let now = self.now;
        let stop = AtomicBool::new(false);
        let mut dictionary = Dictionary::default();
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Checked>>(PIPELINE_DEPTH);
            let stop = &stop;
            scope.spawn(move || {
                // Handed over in batches: one synchronisation per batch.
                let mut batch = Vec::with_capacity(PIPELINE_BATCH);
                for item in records {
                    batch.push(match item {
                        Ok(record) => Checked::Record(Box::new(check(record, now, &mut dictionary))),
                        Err(e) => Checked::Unreadable(e),
                    });
                    if batch.len() == PIPELINE_BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(PIPELINE_BATCH));
                        if stop.load(Ordering::Relaxed) || tx.send(full).is_err() {
                            return;
                        }
                    }
                }
                let _ = tx.send(batch);
            });
            let result = self.consume(rx);
            // Stop the reader early if writing failed.
            stop.store(true, Ordering::Relaxed);
            result
        })
    }

    fn consume(&mut self, rx: std::sync::mpsc::Receiver<Vec<Checked>>) -> Result<()> {
        for item in rx.into_iter().flatten() {
            self.seen += 1;
            if self.seen.is_multiple_of(1000) {
                (self.progress)(if self.writing() { "importing" } else { "checking" }, self.seen);
                if self.cancel.load(Ordering::Relaxed) {
                    return Err(Error::Cancelled);
                }
            }
            match item {
                Checked::Record(record) => self.record(*record)?,
                Checked::Unreadable(ReadError::Record(e)) => self.bad.push(e),
                Checked::Unreadable(ReadError::Fatal(e)) => return Err(e),
            }
            if self.chunk.len() >= self.options.chunk.max(1) {
                self.write_chunk()?;
            }
        }
        (self.progress)("importing", self.seen);
        Ok(())
    }

    /// Checks one record and queues it for writing.
    fn record(&mut self, record: CheckedRecord) -> Result<()> {
        // New terms come numbered in order.
        for term in record.new_terms {
            self.terms.push(term);
            self.postings.push(Vec::new());
        }
        let line = record.line;
        let (mut prepared, terms) = match record.prepared {
            Ok(p) => p,
            Err(e) => {
                self.bad.push(record_error(line, &e));
                return Ok(());
            }
        };
        let id = match prepared.id {
            Some(id) => {
                if let Some(first) = self.used.get(&id) {
                    self.bad.push(RecordError {
                        line,
                        field: Some("id".into()),
                        message: format!("claim #{id} appears twice (first on line {first})"),
                    });
                    return Ok(());
                }
                // Ids at or above the counter were never given out.
                if id < self.first_auto && self.engine.store.contains(Tree::Claims, &claim_key(id))? {
                    self.bad.push(RecordError {
                        line,
                        field: Some("id".into()),
                        message: format!("claim #{id} already exists in the database"),
                    });
                    return Ok(());
                }
                id
            }
            None => {
                while self.used.contains_key(&self.next_id) {
                    self.next_id += 1;
                }
                self.next_id
            }
        };
        self.next_id =
            self.next_id.max(id.checked_add(1).ok_or_else(|| crate::errinput!("claim id #{id} is too large"))?);
        self.used.insert(id, line);
        prepared.id = Some(id);
        for link in &record.links {
            self.links.push((line, id, *link));
        }
        if self.writing() {
            self.chunk.push((prepared, terms, record.links));
        }
        Ok(())
    }

    /// Journals the ids of the queued records, then writes them.
    fn write_chunk(&mut self) -> Result<()> {
        if !self.writing() {
            self.chunk.clear();
            return Ok(());
        }
        if self.chunk.is_empty() {
            return Ok(());
        }
        let engine = self.engine;
        let mut ids: Vec<u64> = self.chunk.iter().map(|(p, _, _)| p.id.unwrap_or(0)).collect();
        ids.sort_unstable();
        self.journal.extend(ranges(ids));
        self.journal = merge_ranges(std::mem::take(&mut self.journal));
        let mut batch = WriteBatch::new();
        batch.put(Tree::Meta, META_JOURNAL.to_vec(), codec::encode(&self.journal));
        engine.store.write_parts(&batch)?;
        // The journal must be on disk before anything it covers.
        engine.store.flush()?;

        let mut batch = WriteBatch::new();
        let chunk = std::mem::take(&mut self.chunk);
        self.pending_index += chunk.len();
        for (mut claim, terms, links) in chunk {
            let id = claim.id.unwrap_or(0);
            for link in links {
                let fwd = KeyBuilder::default().u64(id).u8(link.relation.code()).u64(link.claim).build();
                let back = KeyBuilder::default().u64(link.claim).u8(link.relation.code()).u64(id).build();
                batch.put(Tree::Links, fwd, vec![]);
                batch.put(Tree::LinksBack, back, vec![]);
                engine.mark_linked([id, link.claim]);
            }
            claim.record.source = engine.stage_source(&claim.source, &mut self.sources, &mut batch)?;
            for t in terms {
                self.postings[t as usize].push(id);
            }
            self.source_postings.entry(claim.record.source).or_default().push(id);
            batch.put(Tree::Claims, claim_key(id).to_vec(), codec::encode(&claim.record));
        }
        batch.put(Tree::Meta, super::META_NEXT_CLAIM.to_vec(), self.next_id.to_be_bytes().to_vec());
        engine.store.write_parts(&batch)?;
        if self.pending_index >= self.options.index_batch.max(1) {
            self.write_index()?;
        }
        Ok(())
    }

    /// Rewrites the index blocks for the claims written since the last time.
    fn write_index(&mut self) -> Result<()> {
        let mut changes: Vec<(Vec<u8>, Term, Vec<u64>)> = Vec::new();
        for (term, ids) in self.terms.iter().zip(self.postings.iter_mut()) {
            if !ids.is_empty() {
                changes.push((term.prefix(), term.clone(), std::mem::take(ids)));
            }
        }
        for (source, ids) in self.source_postings.drain() {
            let term = Term::Source(source);
            changes.push((term.prefix(), term, ids));
        }
        // In key order, so that the storage engine's tree is walked in order.
        changes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut batch = WriteBatch::new();
        for (_, term, ids) in changes {
            index::stage_term(&self.engine.store, &mut batch, &term, postings::normalize(ids), Vec::new())?;
        }
        self.pending_index = 0;
        self.engine.store.write_parts(&batch)
    }

    /// Writes what is left, checks relation targets, and either drops the
    /// journal (done) or reports the bad records (to be rolled back).
    fn finish(&mut self) -> Result<Outcome> {
        self.write_chunk()?;
        if self.writing() {
            self.write_index()?;
        }
        // Relations may point forward in the file: check them now.
        let mut dangling: Vec<(u64, u64)> = Vec::new();
        for (line, from, link) in &self.links {
            if !self.engine.store.contains(Tree::Claims, &claim_key(link.claim))? {
                self.bad.push(RecordError {
                    line: *line,
                    field: Some("relations".into()),
                    message: format!(
                        "relation to claim #{}, which is neither in the file nor in the database",
                        link.claim
                    ),
                });
                dangling.push((*line, *from));
            }
        }
        self.bad.sort_by_key(|e| e.line);
        if !self.bad.is_empty() && !self.options.skip_bad {
            return Ok(Outcome::Bad(std::mem::take(&mut self.bad)));
        }
        // With skip_bad, a record whose relation dangles is left out too.
        let mut batch = WriteBatch::new();
        let mut delta = IndexDelta::default();
        for (_, from) in &dangling {
            if self.used.remove(from).is_some() {
                if let Some(record) = self.engine.stored_claim(*from)? {
                    self.engine.stage_delete(*from, &record, &mut batch, &mut delta)?;
                }
            }
        }
        delta.stage(&self.engine.store, &mut batch)?;
        batch.delete(Tree::Meta, META_JOURNAL.to_vec());
        self.engine.store.write(&batch)?;
        self.engine.store.flush()?;
        // Every id given out was written (bad records get none).
        let mut ids: Vec<u64> = self.used.keys().copied().collect();
        ids.sort_unstable();
        Ok(Outcome::Done(ImportReport {
            imported: ids.len() as u64,
            rejected: std::mem::take(&mut self.bad),
            id_ranges: ranges(ids),
        }))
    }
}

/// How many batches of checked records may wait between the reading thread
/// and the writing one, and how many records a batch holds.
const PIPELINE_DEPTH: usize = 16;
const PIPELINE_BATCH: usize = 256;

/// A record as the reading thread hands it over.
enum Checked {
    /// Read and checked (which may have failed).
    Record(Box<CheckedRecord>),
    /// Could not be read.
    Unreadable(ReadError),
}

/// A record read, checked and with its index terms worked out (all but the
/// source's, whose id is only known when it is written), as numbers.
struct CheckedRecord {
    line: u64,
    prepared: Result<(Prepared, Vec<u32>)>,
    /// Terms met for the first time in this record, numbered from where the
    /// previous ones stopped.
    new_terms: Vec<Term>,
    links: Vec<Link>,
}

/// Numbers for index terms, so that the writing thread files each claim
/// under plain numbers instead of hashing terms.
#[derive(Default)]
struct Dictionary {
    numbers: FxHashMap<Term, u32>,
}

impl Dictionary {
    fn number(&mut self, term: Term, new_terms: &mut Vec<Term>) -> u32 {
        let next = self.numbers.len() as u32;
        *self.numbers.entry(term).or_insert_with_key(|t| {
            new_terms.push(t.clone());
            next
        })
    }
}

/// Checks a record, off the writing thread.
fn check(record: ImportRecord, now: chrono::DateTime<chrono::Utc>, dictionary: &mut Dictionary) -> CheckedRecord {
    let mut new_terms = Vec::new();
    let prepared = prepare(&record.claim, now).and_then(|p| {
        let terms = claim_terms(&p.record, &p.source)?
            .into_iter()
            .filter(|t| !matches!(t, Term::Source(_)))
            .map(|t| dictionary.number(t, &mut new_terms))
            .collect();
        Ok((p, terms))
    });
    CheckedRecord { line: record.line, prepared, new_terms, links: record.links }
}

/// Sorted ranges, with overlapping and touching ones joined.
fn merge_ranges(mut list: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    list.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::with_capacity(list.len());
    for (first, last) in list {
        match out.last_mut() {
            Some((_, end)) if first <= end.saturating_add(1) => *end = (*end).max(last),
            _ => out.push((first, last)),
        }
    }
    out
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
        let options = ImportOptions { skip_bad, chunk: 3, index_batch: 5 };
        db.import_records("test", records.into_iter(), &options, &Control::none())
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
        db.insert(NewClaim::new("before", Source::new("someone"), parse_iso("2024-01-01").unwrap())).unwrap();
        let records: Vec<_> = (1..=10).map(|i| record(i, None, &format!("claim {i}"))).collect();
        // The first chunk is written whole; the second fails part-way, the
        // way a crash would leave it (some trees written, others not).
        let mut read = 0;
        let failing = records.into_iter().inspect(|_| {
            read += 1;
            if read == 4 {
                db.engine.store.inject_write_failure(5);
            }
        });
        let result = db.import_records(
            "test",
            failing,
            &ImportOptions { skip_bad: false, chunk: 3, index_batch: 5 },
            &Control::none(),
        );
        assert!(result.is_err());
        assert_eq!(db.count().unwrap(), 1);
        assert!(db.check().unwrap().is_ok(), "{:?}", db.check().unwrap().problems);
        assert!(db.engine.store.get(Tree::Meta, META_JOURNAL).unwrap().is_none());
        // Ids are never reused, even those of a rolled-back import.
        let next = db.insert(NewClaim::new("after", Source::new("someone"), parse_iso("2024-01-01").unwrap())).unwrap();
        assert!(next > 1);
    }

    #[test]
    fn an_interrupted_import_is_rolled_back_when_the_database_opens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        {
            let db = Db::open(&path).unwrap();
            db.insert(NewClaim::new("kept", Source::new("someone"), parse_iso("2024-01-01").unwrap())).unwrap();
            let records: Vec<_> = (1..=10).map(|i| record(i, None, &format!("claim {i}"))).collect();
            let mut read = 0;
            let failing = records.into_iter().inspect(|_| {
                read += 1;
                if read == 7 {
                    // The process "dies": the next write stops half-way and
                    // nothing rolls it back before the database is closed.
                    db.engine.store.inject_write_failure(2);
                }
            });
            let options = ImportOptions { skip_bad: false, chunk: 3, index_batch: 5 };
            let never = AtomicBool::new(false);
            let mut importer = Importer::new(&db.engine, &options, &|_, _| {}, &never).unwrap();
            assert!(importer.all(failing).is_err());
            assert!(db.engine.store.get(Tree::Meta, META_JOURNAL).unwrap().is_some());
            db.engine.store.flush().unwrap();
        }
        let db = Db::open(&path).unwrap();
        assert_eq!(db.count().unwrap(), 1);
        assert!(db.check().unwrap().is_ok(), "{:?}", db.check().unwrap().problems);
    }
}
