//! Bulk import: all or nothing, streaming, in one pass, safe across crashes.
//!
//! Records are checked and written in one pass, in large chunks, inside an
//! undoable unit (see [`super::undo`]): before a chunk changes a stored
//! page, the page's old value is saved in the undo journal and flushed. If
//! a record is bad, reading goes on (every bad record is reported) but
//! writing stops, and at the end everything the import wrote is rolled
//! back: records, sources, index pages, relations and counters are put back
//! as they were, byte for byte, and no id is used up. The same rollback runs
//! when the database is next opened after a crash or a kill mid-import, so
//! an interrupted import leaves nothing behind either.
//!
//! Because the journal makes chunks undoable, chunks are written without a
//! multi-tree transaction (each tree's part is one batch).
//!
//! Memory stays flat: the records of one chunk, the index entries of one
//! index batch, the ids of the file and its relation targets are held, never
//! the whole file. Index blocks are rewritten once per index batch rather
//! than once per chunk, since rewriting a term's last block is what makes
//! small batches slow.

use super::index;
use super::packed::{self, Changes};
use super::postings::PostingList;
use super::sources::PendingSources;
use super::staged::Staged;
use super::terms::{field_terms_of, for_each_word, Term};
#[cfg(doc)]
use super::write::claim_entries;
use super::write::{prepare, Prepared, MAX_CLAIM_ID};
use super::{Db, Engine};
use crate::error::{Error, RecordError, Result};
use crate::model::{ClaimId, Link, NewClaim};
use crate::storage::{Tree, WriteBatch};
use fxhash::FxHashMap;
use std::collections::HashMap;
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
    /// chunks; what was written is then rolled back. Inside an atomic unit
    /// ([`Db::atomic`]) the import is part of the unit.
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
        let _guard = self.write_lock();
        let engine = &self.engine;
        let own_unit = !engine.in_unit();
        if own_unit {
            engine.begin_unit()?;
        }
        let mut wrote = false;
        let result = Importer::new(engine, options, control.progress, control.cancel).and_then(|mut run| {
            let outcome = run.all(records).and_then(|()| run.finish());
            wrote = run.wrote;
            outcome
        });
        let result = match result {
            Ok(Outcome::Done(report)) => Ok(report),
            Ok(Outcome::Bad(records)) => Err(Error::Import { origin: origin.to_string(), records }),
            Err(e) => Err(e),
        };
        match (result, own_unit) {
            (Ok(report), true) => match engine.commit_unit() {
                Ok(()) => Ok(report),
                Err(e) => Err(engine.abandon_unit(e, "import")),
            },
            (Ok(report), false) => Ok(report),
            // Undo whatever the chunks wrote; the journal says what.
            (Err(e), true) => Err(engine.abandon_unit(e, "import")),
            (Err(e), false) => {
                if wrote {
                    engine.break_unit();
                }
                Err(e)
            }
        }
    }
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
    /// Records checked and waiting to be written, with their index entries
    /// (numbers in `terms`, and word positions).
    chunk: Vec<(Prepared, NumberedEntries, Vec<Link>)>,
    /// Every index term met so far, by the number the reading thread gave it.
    terms: Vec<Term>,
    /// Claims written but not yet indexed (with word positions), per term
    /// number.
    postings: Vec<PostingList>,
    /// Claims written but not yet indexed, per source id (known only here).
    source_postings: FxHashMap<u64, Vec<u64>>,
    /// How many claims are waiting to be indexed.
    pending_index: usize,
    /// Relations whose target must exist once everything is in: (line, from,
    /// link).
    links: Vec<(u64, u64, Link)>,
    bad: Vec<RecordError>,
    sources: PendingSources,
    /// Whether anything was written.
    wrote: bool,
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
            wrote: false,
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
        let mut scratch = Vec::new();
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Checked>>(PIPELINE_DEPTH);
            let stop = &stop;
            scope.spawn(move || {
                // Handed over in batches: one synchronisation per batch.
                let mut batch = Vec::with_capacity(PIPELINE_BATCH);
                for item in records {
                    batch.push(match item {
                        Ok(record) => Checked::Record(Box::new(check(record, now, &mut dictionary, &mut scratch))),
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
            self.postings.push(PostingList::new(term.is_positional()));
            self.terms.push(term);
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
                if id < self.first_auto && self.engine.has_claim(id)? {
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
                if self.next_id > MAX_CLAIM_ID {
                    self.bad.push(RecordError {
                        line,
                        field: None,
                        message: format!("no claim ids are left (the largest is #{MAX_CLAIM_ID})"),
                    });
                    return Ok(());
                }
                self.next_id
            }
        };
        // `prepare` refused ids past MAX_GIVEN_ID: this cannot overflow.
        self.next_id = self.next_id.max(id + 1);
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

    /// Writes the queued records, under the unit's undo journal.
    fn write_chunk(&mut self) -> Result<()> {
        if !self.writing() {
            self.chunk.clear();
            return Ok(());
        }
        if self.chunk.is_empty() {
            return Ok(());
        }
        let engine = self.engine;
        let mut staged = Staged::default();
        let chunk = std::mem::take(&mut self.chunk);
        self.pending_index += chunk.len();
        for (mut claim, entries, links) in chunk {
            let id = claim.id.unwrap_or(0);
            for link in links {
                staged.link(id, link.relation, link.claim);
                engine.mark_linked([id, link.claim]);
            }
            claim.record.source = engine.stage_source(&claim.source, &mut self.sources, &mut staged)?;
            for &(t, start, len) in &entries.terms {
                self.postings[t as usize].push(id, &entries.positions[start as usize..(start + len) as usize]);
            }
            self.source_postings.entry(claim.record.source).or_default().push(id);
            staged.put_claim(&engine.store, id, &claim.record, true)?;
        }
        staged.set_meta(super::keys::META_NEXT_CLAIM, self.next_id);
        let batch = staged.into_batch(&engine.store, |_| Ok(()))?;
        self.wrote = true;
        engine.write_in_unit(&batch, false)?;
        if self.pending_index >= self.options.index_batch.max(1) {
            self.write_index()?;
        }
        Ok(())
    }

    /// Rewrites the index blocks for the claims written since the last time.
    fn write_index(&mut self) -> Result<()> {
        let store = &self.engine.store;
        let mut changes = Changes::new();
        for (term, list) in self.terms.iter().zip(self.postings.iter_mut()) {
            if !list.is_empty() {
                let list = std::mem::replace(list, PostingList::new(term.is_positional()));
                index::stage_term(store, term, &list.sorted(), &[], &mut changes)?;
            }
        }
        let mut sources: Vec<(u64, Vec<u64>)> = self.source_postings.drain().collect();
        sources.sort_unstable();
        for (source, ids) in sources {
            let list = PostingList::from_ids(ids).sorted();
            index::stage_term(store, &Term::Source(source), &list, &[], &mut changes)?;
        }
        self.pending_index = 0;
        let engine = self.engine;
        let mut batch = WriteBatch::new();
        packed::stage(store, Tree::Index, &changes, &mut batch, |b| {
            if b.bytes() > INDEX_WRITE_BYTES {
                engine.write_in_unit(&std::mem::take(b), false)?;
            }
            Ok(())
        })?;
        self.wrote = true;
        engine.write_in_unit(&batch, false)
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
            if !self.engine.has_claim(link.claim)? {
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
        let mut staged = Staged::default();
        for (_, from) in &dangling {
            if self.used.remove(from).is_some() {
                if let Some(record) = self.engine.stored_claim(*from)? {
                    self.engine.stage_delete(*from, &record, &mut staged)?;
                }
            }
        }
        if !staged.is_empty() {
            let batch = staged.into_batch(&self.engine.store, |_| Ok(()))?;
            self.engine.write_in_unit(&batch, false)?;
        }
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

/// The index is written in parts of about this many bytes (each saved in
/// the undo journal first).
const INDEX_WRITE_BYTES: usize = 16 << 20;

/// How many batches of checked records may wait between the reading thread
/// and the writing one, and how many records a batch holds.
const PIPELINE_DEPTH: usize = 16;
const PIPELINE_BATCH: usize = 256;

/// A claim's index entries: term numbers (see [`Dictionary`]), each with
/// where its positions are in `positions` (words only).
#[derive(Default)]
struct NumberedEntries {
    /// (term number, first position, number of positions).
    terms: Vec<(u32, u32, u32)>,
    positions: Vec<u32>,
}

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
    prepared: Result<(Prepared, NumberedEntries)>,
    /// Terms met for the first time in this record, numbered from where the
    /// previous ones stopped.
    new_terms: Vec<Term>,
    links: Vec<Link>,
}

/// Numbers for index terms, so that the writing thread files each claim
/// under plain numbers instead of hashing terms. Words are looked up by
/// their text, so that a word met before costs no allocation.
#[derive(Default)]
struct Dictionary {
    numbers: FxHashMap<Term, u32>,
    words: FxHashMap<String, u32>,
    next: u32,
}

impl Dictionary {
    fn number(&mut self, term: Term, new_terms: &mut Vec<Term>) -> u32 {
        let next = &mut self.next;
        *self.numbers.entry(term).or_insert_with_key(|t| {
            new_terms.push(t.clone());
            *next += 1;
            *next - 1
        })
    }

    fn word(&mut self, word: &str, new_terms: &mut Vec<Term>) -> u32 {
        if let Some(&n) = self.words.get(word) {
            return n;
        }
        let n = self.next;
        self.next += 1;
        self.words.insert(word.to_string(), n);
        new_terms.push(Term::Word(word.to_string()));
        n
    }
}

/// The index entries of a claim (all but its source's), numbered: the same
/// entries as [`claim_entries`], built without an allocation per word.
fn numbered_entries(
    p: &Prepared,
    dictionary: &mut Dictionary,
    new_terms: &mut Vec<Term>,
    scratch: &mut Vec<(u32, u32)>,
) -> Result<NumberedEntries> {
    let r = &p.record;
    let ever = r
        .history
        .iter()
        .map(|h| crate::model::Status::from_code(h.status))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| crate::errcorrupt!("unknown status code in a history"))?;
    let terms = field_terms_of(
        r.date()?,
        0,
        p.source.kind,
        p.source.anonymous,
        p.source.affiliation.as_deref(),
        r.status()?,
        &r.outlets,
        &r.topics,
        r.rating.as_deref(),
        &ever,
    );
    let mut out = NumberedEntries::default();
    for term in terms {
        if !matches!(term, Term::Source(_)) {
            let n = dictionary.number(term, new_terms);
            out.terms.push((n, 0, 0));
        }
    }
    out.terms.sort_unstable();
    out.terms.dedup();
    scratch.clear();
    for_each_word(&r.text, |word, pos| scratch.push((dictionary.word(word, new_terms), pos)));
    scratch.sort_unstable();
    let mut i = 0;
    while i < scratch.len() {
        let word = scratch[i].0;
        let start = out.positions.len() as u32;
        while i < scratch.len() && scratch[i].0 == word {
            out.positions.push(scratch[i].1);
            i += 1;
        }
        out.terms.push((word, start, out.positions.len() as u32 - start));
    }
    Ok(out)
}

/// Checks a record, off the writing thread.
fn check(
    record: ImportRecord,
    now: chrono::DateTime<chrono::Utc>,
    dictionary: &mut Dictionary,
    scratch: &mut Vec<(u32, u32)>,
) -> CheckedRecord {
    let mut new_terms = Vec::new();
    let prepared = prepare(&record.claim, now).and_then(|p| {
        let entries = numbered_entries(&p, dictionary, &mut new_terms, scratch)?;
        Ok((p, entries))
    });
    CheckedRecord { line: record.line, prepared, new_terms, links: record.links }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::keys::META_UNDO_OPEN;
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
        assert!(db.engine.store.get(Tree::Meta, META_UNDO_OPEN).unwrap().is_none());
        assert_eq!(db.engine.store.key_count(Tree::Undo), 0);
        // The rolled-back import used up no id and left no source behind.
        let next = db.insert(NewClaim::new("after", Source::new("other"), parse_iso("2024-01-01").unwrap())).unwrap();
        assert_eq!(next, 2);
        assert_eq!(db.engine.all_sources().unwrap().len(), 2);
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
            db.engine.begin_unit().unwrap();
            let mut importer = Importer::new(&db.engine, &options, &|_, _| {}, &never).unwrap();
            assert!(importer.all(failing).is_err());
            assert!(db.engine.store.get(Tree::Meta, META_UNDO_OPEN).unwrap().is_some());
            db.engine.store.flush().unwrap();
        }
        let db = Db::open(&path).unwrap();
        assert_eq!(db.count().unwrap(), 1);
        assert!(db.check().unwrap().is_ok(), "{:?}", db.check().unwrap().problems);
        assert!(db.open_notes().iter().any(|n| n.contains("rolled back")), "{:?}", db.open_notes());
        assert_eq!(db.insert(NewClaim::new("next", Source::new("x"), parse_iso("2024-01-01").unwrap())).unwrap(), 2);
    }
}
