//! The engine: claims and sources on top of [`crate::storage`], with their
//! secondary indexes kept in step on every write.
//!
//! [`Db`] is the embedding API. It is cheap to clone and safe to share
//! between threads: reads share a lock, writes take it alone, and every write
//! is one atomic storage batch, flushed to disk and witnessed in the
//! database's marker before the call returns. Several writes can be made
//! one all-or-nothing unit with [`Db::atomic`].
//!
//! The stored layout is drawn in `keys.rs`; opening (creating, refusing,
//! upgrading, comparing with the witness) is in `open`.

mod check;
mod import;
pub(crate) mod index;
pub(crate) mod keys;
mod open;
pub(crate) mod packed;
pub mod paths;
mod phrase;
pub(crate) mod postings;
pub mod rating_scale;
mod read;
pub(crate) mod records;
mod sources;
pub(crate) mod staged;
pub(crate) mod terms;
mod undo;
mod upgrade;
mod write;

pub use check::CheckReport;
pub use import::{Control, ImportOptions, ImportRecord, ImportReport, Progress, ReadError};
pub use read::{Stats, Vocabulary};
#[doc(hidden)]
pub use upgrade::write_version_1;
pub use write::{ClaimEdit, StatusChange, MAX_CLAIM_ID, MAX_GIVEN_ID};

use crate::error::Result;
use crate::model::Source;
use crate::storage::marker::Marker;
use crate::storage::{Store, StoreOptions};
use chrono::{DateTime, Utc};
use fxhash::FxHashSet;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::thread::ThreadId;

/// The newest database format this build reads and writes.
pub const FORMAT_VERSION: u32 = 2;

/// An open claimdb database.
#[derive(Clone)]
pub struct Db {
    pub(crate) engine: Arc<Engine>,
}

/// The shared state behind a [`Db`]. Its methods do no locking: callers hold
/// the gate (shared for reads, exclusive for writes).
pub(crate) struct Engine {
    pub(crate) store: Store,
    gate: RwLock<()>,
    /// The thread running an atomic unit, which holds the gate exclusively
    /// for the whole unit: its own calls pass the gate without locking.
    unit_owner: Mutex<Option<ThreadId>>,
    /// The undo journal's state while a unit (an import, an atomic unit) is
    /// under way.
    unit: Mutex<Option<undo::Unit>>,
    /// Decoded source records by id. A source never changes once written;
    /// the cache is emptied when a unit is rolled back (its ids come free).
    source_cache: RwLock<HashMap<u64, Arc<Source>>>,
    /// A fixed time to record writes at, instead of the system clock.
    clock: RwLock<Option<DateTime<Utc>>>,
    /// Every claim that has (or had) a relation: a superset, so that
    /// claims without relations need no scan of the relations.
    linked: RwLock<FxHashSet<u64>>,
    /// The database's marker (none for a temporary database).
    marker: Option<Marker>,
    /// What opening the database did that a person should know about.
    notes: Vec<String>,
}

/// The lock a call holds: shared, exclusive, or none inside its own
/// thread's atomic unit (which holds the exclusive lock already).
pub(crate) enum Gate<'a> {
    /// Shared, for reads.
    #[allow(dead_code)]
    Read(RwLockReadGuard<'a, ()>),
    /// Exclusive, for writes.
    #[allow(dead_code)]
    Write(RwLockWriteGuard<'a, ()>),
    /// Inside this thread's unit.
    InUnit,
}

impl Db {
    /// Opens the database at `path`, creating it if missing.
    pub fn open(path: impl AsRef<Path>) -> Result<Db> {
        Db::open_with(path, &StoreOptions::default())
    }

    /// The directory holding the database (`None` for a temporary one).
    pub fn path(&self) -> Option<&Path> {
        self.engine.store.path()
    }

    /// What opening the database did that its user should be told, one line
    /// each: an upgrade from an older format, an interrupted import or
    /// atomic unit rolled back, lost writes accepted. Empty when there is
    /// nothing to say.
    pub fn open_notes(&self) -> &[String] {
        &self.engine.notes
    }

    /// The size of the database on disk, in bytes.
    pub fn size_on_disk(&self) -> Result<u64> {
        self.engine.store.size_on_disk()
    }

    /// Fixes the time recorded for writes (`recorded_at`), instead of the
    /// system clock; `None` goes back to the clock. For reproducible scripts
    /// and tests (the shell sets it from `CLAIMDB_NOW`).
    pub fn set_clock(&self, now: Option<DateTime<Utc>>) {
        *self.engine.clock.write().unwrap_or_else(|e| e.into_inner()) = now;
    }

    /// The time writes are recorded at.
    pub fn now(&self) -> DateTime<Utc> {
        self.engine.now()
    }

    /// Today: the fixed clock's day if one is set, else the local date.
    pub fn today(&self) -> crate::model::Date {
        match *self.engine.clock.read().unwrap_or_else(|e| e.into_inner()) {
            Some(now) => now.date_naive(),
            None => crate::model::date::today(),
        }
    }

    /// Test hook: the next write fails after `ops` storage operations, inside
    /// its transaction, to prove that a failed write leaves nothing behind.
    #[doc(hidden)]
    pub fn inject_write_failure(&self, ops: usize) {
        self.engine.store.inject_write_failure(ops);
    }

    pub(crate) fn read_lock(&self) -> Gate<'_> {
        if self.engine.in_unit_here() {
            return Gate::InUnit;
        }
        // A poisoned lock only means another thread panicked while holding
        // it; the store itself is still consistent (writes are atomic).
        Gate::Read(self.engine.gate.read().unwrap_or_else(|e| e.into_inner()))
    }

    pub(crate) fn write_lock(&self) -> Gate<'_> {
        if self.engine.in_unit_here() {
            return Gate::InUnit;
        }
        Gate::Write(self.engine.gate.write().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Engine {
    /// Notes the claims of the relations as linked.
    fn load_linked(&self) -> Result<()> {
        let mut linked = self.linked.write().unwrap_or_else(|e| e.into_inner());
        for (from, _, to) in self.all_links()? {
            linked.insert(from);
            linked.insert(to);
        }
        Ok(())
    }

    /// Notes that these claims have relations.
    pub(crate) fn mark_linked(&self, ids: impl IntoIterator<Item = u64>) {
        self.linked.write().unwrap_or_else(|e| e.into_inner()).extend(ids);
    }

    /// Whether a claim may have relations.
    pub(crate) fn may_be_linked(&self, id: u64) -> bool {
        self.linked.read().unwrap_or_else(|e| e.into_inner()).contains(&id)
    }

    /// Whether this thread runs the atomic unit under way.
    fn in_unit_here(&self) -> bool {
        *self.unit_owner.lock().unwrap_or_else(|e| e.into_inner()) == Some(std::thread::current().id())
    }

    /// The time writes are recorded at: the fixed clock, or the system's.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.read().unwrap_or_else(|e| e.into_inner()).unwrap_or_else(Utc::now)
    }

    /// Reads a u64 counter from the meta tree (0 when unset).
    pub(crate) fn meta_u64(&self, key: &[u8]) -> Result<u64> {
        match self.store.get(crate::storage::Tree::Meta, key)? {
            None => Ok(0),
            Some(bytes) => keys::decode_u64(&bytes, &format!("the counter {}", String::from_utf8_lossy(key))),
        }
    }
}

/// Decodes `data` as every kind of stored value and key, ignoring the
/// results: the entry point of the `decode` fuzz target and its regression
/// tests. Any panic here is a bug.
#[doc(hidden)]
pub fn fuzz_decode(data: &[u8]) {
    use crate::storage::codec;
    let fuzz_source = Source::new("fuzz");
    // Records, alone and in pages.
    let check_claim = |bytes: &[u8]| {
        if let Ok(claim) = codec::decode_body::<records::StoredClaim>(bytes, "fuzz claim") {
            let _ = claim.to_claim(1, fuzz_source.clone(), Vec::new(), Vec::new());
            let _ = write::claim_entries(&claim, &fuzz_source);
        }
        let _ = codec::decode_body_head::<records::ClaimHead>(bytes, "fuzz claim head");
        if let Ok(source) = codec::decode_body::<records::StoredSource>(bytes, "fuzz source") {
            let _ = source.to_source();
        }
    };
    check_claim(data);
    for per_page in [keys::CLAIMS_PER_PAGE, keys::SOURCES_PER_PAGE] {
        if let Ok(page) = keys::IdPage::parse(data, per_page, "fuzz page") {
            for (_, record) in page.records() {
                check_claim(record);
            }
        }
    }
    // Packed pages and the entries they hold.
    if let Ok(entries) = keys::decode_packed(data, "fuzz page") {
        for (key, range) in entries {
            let value = &data[range];
            let _ = terms::Term::parse_block_key(&key);
            let _ = keys::parse_relation_key(&key);
            for positional in [false, true] {
                let _ = keys::decode_block(value, &mut postings::PostingList::new(positional));
            }
        }
    }
    for positional in [false, true] {
        let _ = keys::decode_block(data, &mut postings::PostingList::new(positional));
    }
    let _ = keys::block_count(data);
    let _ = terms::Term::parse_block_key(data);
    let _ = keys::parse_relation_key(data);
    if let Ok((_, _)) = keys::parse_undo_key(data) {
        let _ = keys::parse_undo_value(data);
    }
    let _ = crate::storage::marker::decode_slot(data);
    // The stored forms of format version 1, read by the upgrade.
    if let Ok(claim) = codec::decode::<records::StoredClaim>(data, "fuzz v1 claim") {
        let _ = claim.to_claim(1, fuzz_source.clone(), Vec::new(), Vec::new());
    }
    let _ = codec::decode::<records::StoredSource>(data, "fuzz v1 source");
    let _ = codec::decode::<Vec<(u64, u64)>>(data, "fuzz journal");
    let _ = keys::v1::parse_link(data);
    let mut reader = crate::storage::keycode::KeyReader::new(data);
    while reader.str().is_ok() {}
}

#[cfg(test)]
mod tests;
