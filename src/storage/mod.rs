//! Storage: the one module that knows about sled.
//!
//! The rest of claimdb sees a [`Store`] of named, ordered [`Tree`]s with point
//! reads, range scans, one atomic multi-tree write ([`Store::write`]) and an
//! explicit [`Store::flush`] that makes written data durable. Keys are built
//! with [`keycode`] and values with [`codec`]; what the trees hold is laid
//! out in [`crate::engine`]'s `keys` module. [`marker`] is claimdb's own file
//! in the database directory: what makes a directory a claimdb database,
//! and the witness of acknowledged writes that sled's log cannot lose.

pub mod codec;
pub mod keycode;
pub mod marker;

use crate::error::{Error, Result};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;
use std::collections::BTreeSet;
use std::ops::{Bound, Deref};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// The trees of a claimdb database (format version 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tree {
    /// Format version, counters, the write sequence and the undo marker.
    Meta,
    /// Claim records, in pages by id.
    ClaimPages,
    /// Source records, in pages by id.
    SourcePages,
    /// Source identities (packed pages): identity key to source id.
    SourceNames,
    /// Secondary indexes (packed pages): posting blocks per term.
    Index,
    /// Relations in both directions (packed pages).
    Relations,
    /// The undo journal of the unit under way.
    Undo,
}

impl Tree {
    /// Every tree, in the order they are opened.
    pub const ALL: [Tree; 7] =
        [Tree::Meta, Tree::ClaimPages, Tree::SourcePages, Tree::SourceNames, Tree::Index, Tree::Relations, Tree::Undo];

    /// The tree's name in sled.
    pub fn name(self) -> &'static str {
        match self {
            Tree::Meta => "meta",
            Tree::ClaimPages => "claim_pages",
            Tree::SourcePages => "source_pages",
            Tree::SourceNames => "source_names",
            Tree::Index => "index",
            Tree::Relations => "relations",
            Tree::Undo => "undo",
        }
    }

    /// A one-byte code for the tree (its place in [`Tree::ALL`]), used in
    /// undo journal keys.
    pub fn code(self) -> u8 {
        Tree::ALL.iter().position(|t| *t == self).expect("every tree is in ALL") as u8
    }

    /// The tree with this code.
    pub fn from_code(code: u8) -> Option<Tree> {
        Tree::ALL.get(code as usize).copied()
    }

    fn index(self) -> usize {
        self.code() as usize
    }
}

/// Stored bytes, shared with the storage engine's cache (no copy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bytes(sled::IVec);

impl Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

/// A set of puts and deletes over several trees, applied all at once.
#[derive(Clone, Debug, Default)]
pub struct WriteBatch {
    ops: Vec<(Tree, Vec<u8>, Option<Vec<u8>>)>,
}

impl WriteBatch {
    /// An empty batch.
    pub fn new() -> WriteBatch {
        WriteBatch::default()
    }

    /// Sets `key` to `value` in `tree`.
    pub fn put(&mut self, tree: Tree, key: Vec<u8>, value: Vec<u8>) {
        self.ops.push((tree, key, Some(value)));
    }

    /// Removes `key` from `tree`.
    pub fn delete(&mut self, tree: Tree, key: Vec<u8>) {
        self.ops.push((tree, key, None));
    }

    /// Every operation: (tree, key, the new value or `None` for a delete).
    pub fn ops(&self) -> impl Iterator<Item = (Tree, &[u8], Option<&[u8]>)> + '_ {
        self.ops.iter().map(|(t, k, v)| (*t, k.as_slice(), v.as_deref()))
    }

    /// The bytes of keys and values the batch holds.
    pub fn bytes(&self) -> usize {
        self.ops.iter().map(|(_, k, v)| k.len() + v.as_ref().map_or(0, Vec::len)).sum()
    }

    /// How many operations the batch holds.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether the batch holds nothing.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

/// How to open a store.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// Bytes of page cache sled may use.
    pub cache_bytes: u64,
    /// Open a database whose files have lost acknowledged writes (the
    /// witness in its marker is ahead of them) instead of refusing it: the
    /// lost writes stay lost, but their ids are not given out again. For
    /// saving what is left (`.backup`) after damage. The default is off,
    /// unless the environment variable `CLAIMDB_ACCEPT_LOST_WRITES` is `1`.
    pub accept_lost_writes: bool,
}

/// The environment variable that makes [`StoreOptions::default`] accept a
/// database that has lost acknowledged writes.
pub const ACCEPT_LOST_WRITES_VAR: &str = "CLAIMDB_ACCEPT_LOST_WRITES";

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            cache_bytes: 256 * 1024 * 1024,
            accept_lost_writes: std::env::var(ACCEPT_LOST_WRITES_VAR).is_ok_and(|v| v == "1"),
        }
    }
}

/// How long to wait for a lock that this process may still hold while a
/// just-dropped database shuts down.
const LOCK_PATIENCE: Duration = Duration::from_millis(1500);
const LOCK_RETRY: Duration = Duration::from_millis(20);

/// The databases this process has open (canonical paths).
static OPEN_HERE: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

fn open_here(key: &Path) -> bool {
    OPEN_HERE.lock().unwrap_or_else(|e| e.into_inner()).contains(key)
}

/// An open database: a sled instance and its trees.
pub struct Store {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    path: Option<PathBuf>,
    /// Test hook: abort the next write after this many operations (0 = off).
    fail_after: AtomicUsize,
    /// Counts writes, so that derived figures can be cached until the next.
    generation: AtomicU64,
    /// Set when a write failed in the storage engine's files (a full disk,
    /// an I/O error): sled's state in memory can no longer be trusted to
    /// match its files, and writing more (a rollback included) can leave
    /// them unreadable, so every later call fails until the database is
    /// opened again (which rolls back anything unfinished).
    stopped: Mutex<Option<Error>>,
    stopped_flag: AtomicBool,
}

impl Store {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: &Path, options: &StoreOptions) -> Result<Store> {
        if path.exists() && !path.is_dir() {
            return Err(crate::errio!(
                "{} is a file, not a claimdb database (a database is a directory)",
                path.display()
            ));
        }
        let config = sled::Config::new().path(path).cache_capacity(options.cache_bytes);
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut waited = Duration::ZERO;
        let db = loop {
            match config.open().map_err(|e| open_error(path, e)) {
                Ok(db) => break db,
                // sled's helper threads can hold a just-closed database's
                // lock for a moment after the last handle is dropped. If this
                // process does not have it open, wait briefly before deciding
                // that another process holds it.
                Err(Error::Locked(_)) if waited < LOCK_PATIENCE && !open_here(&key) => {
                    std::thread::sleep(LOCK_RETRY);
                    waited += LOCK_RETRY;
                }
                Err(e) => return Err(e),
            }
        };
        let store = Store::with_db(db, Some(path.to_path_buf()))?;
        OPEN_HERE.lock().unwrap_or_else(|e| e.into_inner()).insert(key);
        Ok(store)
    }

    /// Opens a store that lives in a temporary directory and is removed when
    /// dropped.
    pub fn temporary() -> Result<Store> {
        let db = sled::Config::new().temporary(true).open().map_err(storage_error)?;
        Store::with_db(db, None)
    }

    fn with_db(db: sled::Db, path: Option<PathBuf>) -> Result<Store> {
        let trees =
            Tree::ALL.iter().map(|t| db.open_tree(t.name()).map_err(storage_error)).collect::<Result<Vec<_>>>()?;
        Ok(Store {
            db,
            trees,
            path,
            fail_after: AtomicUsize::new(0),
            generation: AtomicU64::new(0),
            stopped: Mutex::new(None),
            stopped_flag: AtomicBool::new(false),
        })
    }

    /// The directory holding the database, unless it is temporary.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn tree(&self, tree: Tree) -> &sled::Tree {
        &self.trees[tree.index()]
    }

    /// Fails once a write has failed in the files (see [`Store::stopped`]).
    fn check_running(&self) -> Result<()> {
        if !self.stopped_flag.load(Ordering::Acquire) {
            return Ok(());
        }
        match &*self.stopped.lock().unwrap_or_else(|e| e.into_inner()) {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// The error that stopped the store, if a write failed in its files.
    pub fn stopped(&self) -> Option<Error> {
        self.stopped.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Notes a failed write: I/O errors stop the store (see
    /// [`Store::stopped`]); the error is returned for the caller to report.
    fn failed_write(&self, e: sled::Error) -> Error {
        let error = storage_error(e);
        if let Error::Io { kind, message } = &error {
            let stop = Error::Io {
                kind: *kind,
                message: format!(
                    "the database stopped after a failed write ({message}); open it again once that is fixed: \
                     anything unfinished is rolled back then"
                ),
            };
            *self.stopped.lock().unwrap_or_else(|e| e.into_inner()) = Some(stop);
            self.stopped_flag.store(true, Ordering::Release);
        }
        error
    }

    /// Reads one key.
    pub fn get(&self, tree: Tree, key: &[u8]) -> Result<Option<Bytes>> {
        self.check_running()?;
        Ok(self.tree(tree).get(key).map_err(storage_error)?.map(Bytes))
    }

    /// Whether `key` is present.
    pub fn contains(&self, tree: Tree, key: &[u8]) -> Result<bool> {
        self.check_running()?;
        self.tree(tree).contains_key(key).map_err(storage_error)
    }

    /// Scans keys in `[from, to)` order (`to = None`: to the end).
    pub fn scan(&self, tree: Tree, from: Bound<Vec<u8>>, to: Bound<Vec<u8>>) -> Scan {
        match self.check_running() {
            Ok(()) => Scan::Sled(Some(Box::new(self.tree(tree).range::<Vec<u8>, _>((from, to))))),
            Err(e) => Scan::Failed(Some(e)),
        }
    }

    /// Scans every key that starts with `prefix`, in order.
    pub fn scan_prefix(&self, tree: Tree, prefix: &[u8]) -> Scan {
        match self.check_running() {
            Ok(()) => Scan::Sled(Some(Box::new(self.tree(tree).scan_prefix(prefix)))),
            Err(e) => Scan::Failed(Some(e)),
        }
    }

    /// The last entry whose key starts with `prefix` and is at most `upto`.
    pub fn last_at_or_before(&self, tree: Tree, prefix: &[u8], upto: &[u8]) -> Result<Option<(Bytes, Bytes)>> {
        let range = (Bound::Included(prefix.to_vec()), Bound::Included(upto.to_vec()));
        self.scan(tree, range.0, range.1).next_back().transpose()
    }

    /// The last entry whose key is at or before `key`, in the whole tree.
    pub fn at_or_before(&self, tree: Tree, key: &[u8]) -> Result<Option<(Bytes, Bytes)>> {
        self.scan(tree, Bound::Unbounded, Bound::Included(key.to_vec())).next_back().transpose()
    }

    /// The first entry whose key is after `key`.
    pub fn after(&self, tree: Tree, key: &[u8]) -> Result<Option<(Bytes, Bytes)>> {
        self.scan(tree, Bound::Excluded(key.to_vec()), Bound::Unbounded).next().transpose()
    }

    /// Applies `batch` one tree at a time, each tree's part as one atomic
    /// batch, but not atomically across trees: after a crash some trees may
    /// have their part and others not. Faster than [`Store::write`] for bulk
    /// loads; only for writes the caller can roll back (the import journal).
    pub fn write_parts(&self, batch: &WriteBatch) -> Result<()> {
        self.check_running()?;
        self.generation.fetch_add(1, Ordering::SeqCst);
        let mut per_tree: Vec<sled::Batch> = Tree::ALL.iter().map(|_| sled::Batch::default()).collect();
        // An injected failure waits for a write long enough to fail in.
        let fail_after = match self.fail_after.load(Ordering::SeqCst) {
            n if n > 0 && batch.ops.len() > n => self.fail_after.swap(0, Ordering::SeqCst),
            _ => 0,
        };
        for (done, (tree, key, value)) in batch.ops.iter().enumerate() {
            if fail_after > 0 && done == fail_after {
                // A failure part-way, as a crash would leave it: the trees
                // written so far keep their part.
                for (t, b) in self.trees.iter().zip(per_tree) {
                    t.apply_batch(b).map_err(|e| self.failed_write(e))?;
                }
                return Err(Error::Storage("write aborted by an injected failure".into()));
            }
            match value {
                Some(v) => per_tree[tree.index()].insert(key.as_slice(), v.as_slice()),
                None => per_tree[tree.index()].remove(key.as_slice()),
            }
        }
        for (t, b) in self.trees.iter().zip(per_tree) {
            t.apply_batch(b).map_err(|e| self.failed_write(e))?;
        }
        Ok(())
    }

    /// Applies every operation of `batch` atomically: after a crash either
    /// all of them are there or none. Not durable until [`Store::flush`].
    pub fn write(&self, batch: &WriteBatch) -> Result<()> {
        self.check_running()?;
        self.generation.fetch_add(1, Ordering::SeqCst);
        if batch.is_empty() {
            return Ok(());
        }
        let mut per_tree: Vec<sled::Batch> = Tree::ALL.iter().map(|_| sled::Batch::default()).collect();
        for (tree, key, value) in &batch.ops {
            match value {
                Some(v) => per_tree[tree.index()].insert(key.as_slice(), v.as_slice()),
                None => per_tree[tree.index()].remove(key.as_slice()),
            }
        }
        let fail_after = self.fail_after.swap(0, Ordering::SeqCst);
        let result = Transactional::<()>::transaction(self.trees.as_slice(), |trees| {
            if fail_after > 0 {
                // Apply operations one by one and give up part-way, to prove
                // that an aborted write leaves nothing behind.
                for (done, (tree, key, value)) in batch.ops.iter().enumerate() {
                    if done == fail_after {
                        return Err(ConflictableTransactionError::Abort(()));
                    }
                    let t = &trees[tree.index()];
                    match value {
                        Some(v) => t.insert(key.as_slice(), v.as_slice())?,
                        None => t.remove(key.as_slice())?,
                    };
                }
                return Err(ConflictableTransactionError::Abort(()));
            }
            for (t, b) in trees.iter().zip(&per_tree) {
                t.apply_batch(b)?;
            }
            Ok(())
        });
        match result {
            Ok(()) => Ok(()),
            Err(TransactionError::Abort(())) => Err(Error::Storage("write aborted by an injected failure".into())),
            Err(TransactionError::Storage(e)) => Err(self.failed_write(e)),
        }
    }

    /// A number that changes with every write (for caches of derived data).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Makes every write so far durable.
    pub fn flush(&self) -> Result<()> {
        self.check_running()?;
        self.db.flush().map_err(|e| self.failed_write(e))?;
        Ok(())
    }

    /// The size of the database files on disk, in bytes.
    pub fn size_on_disk(&self) -> Result<u64> {
        self.db.size_on_disk().map_err(storage_error)
    }

    /// Test hook: make the next [`Store::write`] fail after `ops` operations
    /// have been applied inside its transaction.
    pub fn inject_write_failure(&self, ops: usize) {
        self.fail_after.store(ops.max(1), Ordering::SeqCst);
    }

    /// Removes every key of `tree`, one by one (not atomic: for trees whose
    /// content is not live, such as a finished undo journal).
    pub fn clear(&self, tree: Tree) -> Result<()> {
        self.check_running()?;
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.tree(tree).clear().map_err(|e| self.failed_write(e))
    }

    /// How many keys `tree` holds (walks the tree).
    pub fn key_count(&self, tree: Tree) -> u64 {
        self.tree(tree).len() as u64
    }

    /// The names of the trees in the database that are not trees of this
    /// format (those of an older format, left for an upgrade).
    pub fn other_tree_names(&self) -> Vec<String> {
        let ours: Vec<&str> = Tree::ALL.iter().map(|t| t.name()).collect();
        self.db
            .tree_names()
            .into_iter()
            .map(|n| String::from_utf8_lossy(&n).into_owned())
            .filter(|n| !ours.contains(&n.as_str()) && n != "__sled__default")
            .collect()
    }

    /// Scans the whole tree `name` of an older format (read only by the
    /// upgrade). A tree that does not exist is empty.
    pub fn legacy_scan(&self, name: &str) -> Result<Scan> {
        let exists = self.db.tree_names().iter().any(|n| &n[..] == name.as_bytes());
        if !exists {
            return Ok(Scan::Sled(None));
        }
        Ok(Scan::Sled(Some(Box::new(self.db.open_tree(name).map_err(storage_error)?.iter()))))
    }

    /// Reads one key of the tree `name` of an older format.
    pub fn legacy_get(&self, name: &str, key: &[u8]) -> Result<Option<Bytes>> {
        if !self.db.tree_names().iter().any(|n| &n[..] == name.as_bytes()) {
            return Ok(None);
        }
        Ok(self.db.open_tree(name).map_err(storage_error)?.get(key).map_err(storage_error)?.map(Bytes))
    }

    /// Writes one key of the tree `name` of an older format (tests of the
    /// upgrade write such databases).
    pub fn legacy_put(&self, name: &str, key: &[u8], value: &[u8]) -> Result<()> {
        self.db.open_tree(name).map_err(storage_error)?.insert(key, value).map_err(storage_error)?;
        Ok(())
    }

    /// Drops the tree `name` of an older format, once nothing reads it.
    pub fn drop_legacy(&self, name: &str) -> Result<()> {
        self.db.drop_tree(name).map_err(storage_error)?;
        Ok(())
    }

    /// Checks the storage engine's own structures (sled's tree invariants)
    /// by walking every tree; returns the number of entries seen.
    pub fn walk_all(&self) -> Result<u64> {
        let mut n = 0;
        for tree in &self.trees {
            for item in tree.iter() {
                item.map_err(storage_error)?;
                n += 1;
            }
        }
        Ok(n)
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            OPEN_HERE.lock().unwrap_or_else(|e| e.into_inner()).remove(&key);
        }
    }
}

/// An ordered scan over part of a tree.
pub enum Scan {
    /// Over sled's tree (`None`: a tree that does not exist, empty).
    Sled(Option<Box<sled::Iter>>),
    /// The store stopped after a failed write: one error, then nothing.
    Failed(Option<Error>),
}

impl Iterator for Scan {
    type Item = Result<(Bytes, Bytes)>;
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Scan::Sled(iter) => {
                iter.as_mut()?.next().map(|r| r.map(|(k, v)| (Bytes(k), Bytes(v))).map_err(storage_error))
            }
            Scan::Failed(e) => e.take().map(Err),
        }
    }
}

impl DoubleEndedIterator for Scan {
    fn next_back(&mut self) -> Option<Self::Item> {
        match self {
            Scan::Sled(iter) => {
                iter.as_mut()?.next_back().map(|r| r.map(|(k, v)| (Bytes(k), Bytes(v))).map_err(storage_error))
            }
            Scan::Failed(e) => e.take().map(Err),
        }
    }
}

/// sled's errors in the user's terms: its own wording ("Read corrupted
/// data at file offset None backtrace ()", "Unsupported: …") never reaches
/// people.
fn storage_error(e: sled::Error) -> Error {
    match e {
        sled::Error::Corruption { .. } => {
            Error::Corrupt("stored data fails its checksum; restore the database from a backup".into())
        }
        sled::Error::Io(io) => Error::io_context(&io, "the database files could not be read or written"),
        sled::Error::Unsupported(_) | sled::Error::ReportableBug(_) | sled::Error::CollectionNotFound(_) => {
            Error::Storage(
                "the storage engine refused an operation on the database files; they may have been changed by \
                 another program"
                    .into(),
            )
        }
    }
}

/// Turns sled's open failures into messages a person can act on.
fn open_error(path: &Path, e: sled::Error) -> Error {
    match &e {
        sled::Error::Io(io) => {
            let text = io.to_string();
            if text.contains("could not acquire lock") || io.kind() == std::io::ErrorKind::WouldBlock {
                Error::Locked(path.to_path_buf())
            } else if io.kind() == std::io::ErrorKind::PermissionDenied {
                Error::io(
                    io.kind(),
                    format!(
                        "cannot open database {}: permission denied; check that you may write to it",
                        path.display()
                    ),
                )
            } else {
                Error::io_context(io, format_args!("cannot open database {}", path.display()))
            }
        }
        sled::Error::Corruption { .. } => Error::Corrupt(format!(
            "{} holds data that fails its checksum; restore it from a backup into a new database \
             (claimdb NEW.db -c '.restore BACKUP.jsonl')",
            path.display()
        )),
        // A settings file (`conf`) that was edited, damaged, or written by
        // another version of the storage engine.
        sled::Error::Unsupported(_) => Error::Corrupt(format!(
            "its settings file {} does not match its data (it was changed, damaged, or written by another \
             program); put the original file back, or restore the database from a backup",
            path.join("conf").display()
        )),
        sled::Error::ReportableBug(_) | sled::Error::CollectionNotFound(_) => Error::Storage(format!(
            "cannot open database {}: the storage engine failed while reading it; restore it from a backup",
            path.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_and_scan() {
        let store = Store::temporary().unwrap();
        let mut batch = WriteBatch::new();
        batch.put(Tree::ClaimPages, vec![1], vec![10]);
        batch.put(Tree::Index, vec![2, 1], vec![20]);
        batch.put(Tree::Index, vec![2, 2], vec![21]);
        store.write(&batch).unwrap();
        assert_eq!(store.get(Tree::ClaimPages, &[1]).unwrap().as_deref(), Some(&[10u8][..]));
        let keys: Vec<Vec<u8>> = store.scan_prefix(Tree::Index, &[2]).map(|r| r.unwrap().0.to_vec()).collect();
        assert_eq!(keys, vec![vec![2, 1], vec![2, 2]]);
        let last = store.last_at_or_before(Tree::Index, &[2], &[2, 1, 5]).unwrap().unwrap();
        assert_eq!(&*last.0, &[2, 1]);
    }

    #[test]
    fn injected_failure_leaves_nothing() {
        let store = Store::temporary().unwrap();
        let mut batch = WriteBatch::new();
        batch.put(Tree::ClaimPages, vec![1], vec![1]);
        batch.put(Tree::Index, vec![1], vec![1]);
        batch.put(Tree::Meta, vec![1], vec![1]);
        store.inject_write_failure(2);
        assert!(store.write(&batch).is_err());
        for tree in Tree::ALL {
            assert_eq!(store.scan_prefix(tree, &[]).count(), 0);
        }
        store.write(&batch).unwrap();
        assert_eq!(store.walk_all().unwrap(), 3);
    }

    #[test]
    fn second_open_is_a_lock_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let _first = Store::open(&path, &StoreOptions::default()).unwrap();
        let err = Store::open(&path, &StoreOptions::default()).err().unwrap();
        assert_eq!(err, Error::Locked(path));
    }
}
