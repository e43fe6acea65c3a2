//! The engine: claims and sources on top of [`crate::storage`], with their
//! secondary indexes kept in step on every write.
//!
//! [`Db`] is the embedding API. It is cheap to clone and safe to share
//! between threads: reads share a lock, writes take it alone, and every write
//! is one atomic storage batch, flushed to disk before the call returns.

mod check;
mod import;
pub(crate) mod index;
pub mod paths;
mod phrase;
pub(crate) mod postings;
pub mod rating_scale;
mod read;
pub(crate) mod records;
mod sources;
pub(crate) mod terms;
mod write;

pub use check::CheckReport;
pub use import::{Control, ImportOptions, ImportRecord, ImportReport, Progress, ReadError};
pub use read::{Stats, Vocabulary};
pub use write::{ClaimEdit, StatusChange};

use crate::error::{Error, Result};
use crate::model::Source;
use crate::storage::{Store, StoreOptions, Tree, WriteBatch};
use chrono::{DateTime, Utc};
use fxhash::FxHashSet;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The newest database format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

pub(crate) const META_FORMAT: &[u8] = b"format_version";
pub(crate) const META_NEXT_CLAIM: &[u8] = b"next_claim_id";
pub(crate) const META_NEXT_SOURCE: &[u8] = b"next_source_id";
pub(crate) const META_JOURNAL: &[u8] = b"import_journal";

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
    /// Decoded source records by id. Sources never change once written, so
    /// entries never go stale.
    source_cache: RwLock<HashMap<u64, Arc<Source>>>,
    /// A fixed time to record writes at, instead of the system clock.
    clock: RwLock<Option<DateTime<Utc>>>,
    /// The number of claims, as of a store generation.
    count_cache: Mutex<Option<(u64, u64)>>,
    /// Every claim that has (or had) a relation: a superset, so that
    /// claims without relations need no scan of the relation trees.
    linked: RwLock<FxHashSet<u64>>,
}

impl Db {
    /// Opens the database at `path`, creating it if missing.
    pub fn open(path: impl AsRef<Path>) -> Result<Db> {
        Db::open_with(path, &StoreOptions::default())
    }

    /// Opens the database at `path` with storage options.
    pub fn open_with(path: impl AsRef<Path>, options: &StoreOptions) -> Result<Db> {
        let path = path.as_ref();
        let store = Store::open(path, options)?;
        Db::init(store, path.to_path_buf())
    }

    /// Opens an empty database in a temporary directory, removed on drop.
    pub fn temporary() -> Result<Db> {
        Db::init(Store::temporary()?, PathBuf::from("(temporary)"))
    }

    fn init(store: Store, path: PathBuf) -> Result<Db> {
        match store.get(Tree::Meta, META_FORMAT)? {
            Some(bytes) => {
                let found = u32::from_be_bytes(
                    bytes[..].try_into().map_err(|_| crate::errcorrupt!("format version key is damaged"))?,
                );
                if found > FORMAT_VERSION {
                    return Err(Error::NewerFormat { path, found, supported: FORMAT_VERSION });
                }
                if found < FORMAT_VERSION {
                    return Err(crate::errcorrupt!("unknown old format version {found}"));
                }
            }
            None => {
                if store.walk_all()? > 0 {
                    return Err(crate::errio!(
                        "{} holds data but no claimdb format version; it is not a claimdb database",
                        path.display()
                    ));
                }
                let mut batch = WriteBatch::new();
                batch.put(Tree::Meta, META_FORMAT.to_vec(), FORMAT_VERSION.to_be_bytes().to_vec());
                store.write(&batch)?;
                store.flush()?;
            }
        }
        let engine = Engine {
            store,
            gate: RwLock::new(()),
            source_cache: RwLock::new(HashMap::new()),
            clock: RwLock::new(None),
            count_cache: Mutex::new(None),
            linked: RwLock::new(FxHashSet::default()),
        };
        engine.load_linked()?;
        let db = Db { engine: Arc::new(engine) };
        db.recover_interrupted_import()?;
        Ok(db)
    }

    /// The directory holding the database (`None` for a temporary one).
    pub fn path(&self) -> Option<&Path> {
        self.engine.store.path()
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

    pub(crate) fn read_lock(&self) -> RwLockReadGuard<'_, ()> {
        // A poisoned lock only means another thread panicked while holding
        // it; the store itself is still consistent (writes are atomic).
        self.engine.gate.read().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn write_lock(&self) -> RwLockWriteGuard<'_, ()> {
        self.engine.gate.write().unwrap_or_else(|e| e.into_inner())
    }
}

impl Engine {
    /// Notes the claims of the relation trees as linked.
    fn load_linked(&self) -> Result<()> {
        let mut linked = self.linked.write().unwrap_or_else(|e| e.into_inner());
        for tree in [Tree::Links, Tree::LinksBack] {
            for item in self.store.scan_prefix(tree, &[]) {
                let (key, _) = item?;
                let id = key.get(..8).and_then(|b| b.try_into().ok()).map(u64::from_be_bytes);
                linked.insert(id.ok_or_else(|| crate::errcorrupt!("relation key {key:?} is damaged"))?);
            }
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

    /// The number of claims (every claim has exactly one status), cached
    /// until the next write.
    pub(crate) fn claim_count(&self) -> Result<u64> {
        let generation = self.store.generation();
        let mut cache = self.count_cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((g, n)) = *cache {
            if g == generation {
                return Ok(n);
            }
        }
        let n = self.count_terms_under(&terms::Term::status_tag())?.iter().map(|(_, n)| n).sum();
        *cache = Some((generation, n));
        Ok(n)
    }

    /// The time writes are recorded at: the fixed clock, or the system's.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.read().unwrap_or_else(|e| e.into_inner()).unwrap_or_else(Utc::now)
    }

    /// Reads a u64 counter from the meta tree (0 when unset).
    pub(crate) fn meta_u64(&self, key: &[u8]) -> Result<u64> {
        match self.store.get(Tree::Meta, key)? {
            None => Ok(0),
            Some(bytes) => Ok(u64::from_be_bytes(
                bytes[..].try_into().map_err(|_| crate::errcorrupt!("meta counter {key:?} is damaged"))?,
            )),
        }
    }
}

/// Decodes `data` as every kind of stored value and key, ignoring the
/// results: the entry point of the `decode` fuzz target and its regression
/// tests. Any panic here is a bug.
#[doc(hidden)]
pub fn fuzz_decode(data: &[u8]) {
    use crate::storage::codec;
    if let Ok(claim) = codec::decode::<records::StoredClaim>(data, "fuzz claim") {
        let _ = claim.to_claim(1, Source::new("fuzz"), Vec::new(), Vec::new());
        let _ = write::claim_terms(&claim, &Source::new("fuzz"));
    }
    let _ = codec::decode_head::<records::ClaimHead>(data, "fuzz claim head");
    if let Ok(source) = codec::decode::<records::StoredSource>(data, "fuzz source") {
        let _ = source.to_source();
    }
    let _ = codec::decode::<Vec<(u64, u64)>>(data, "fuzz journal");
    let _ = postings::decode(data);
    let _ = postings::count(data);
    let _ = terms::Term::parse_block_key(data);
    let mut reader = crate::storage::keycode::KeyReader::new(data);
    while reader.str().is_ok() {}
}

#[cfg(test)]
mod tests;
