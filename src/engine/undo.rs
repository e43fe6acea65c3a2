//! Units of several writes that are all or nothing, even across a crash:
//! imports, and the atomic units of [`Db::atomic`].
//!
//! A unit keeps an undo journal. Before a stored key is changed for the
//! first time in the unit, its old value (or its absence) is saved in the
//! undo tree and flushed; only then is the change written. A marker key in
//! the meta tree says that a unit is under way:
//!
//! - **commit**: flush everything, then remove the marker and count the
//!   unit as one acknowledged write in one atomic batch, flush, witness;
//!   the journal is then cleared (a journal without a marker is stale and
//!   is cleared at the next open);
//! - **rollback** (a failure, a cancellation, or the next open after a
//!   crash): every saved value is put back, flushed, and the marker goes.
//!   Putting old values back is idempotent, so a crash during a rollback
//!   is rolled back again at the next open.
//!
//! The unit holds the writer lock from start to end: other threads' reads
//! and writes on the same database wait until it commits or rolls back,
//! while the unit's own reads see its writes.

use super::keys::{self, encode_u64, META_UNDO_OPEN, META_WRITE_SEQ};
use super::{Db, Engine};
use crate::error::{Error, Result};
use crate::storage::marker::Witness;
use crate::storage::{Tree, WriteBatch};
use std::collections::HashSet;

/// The state of the unit under way.
pub(crate) struct Unit {
    /// Every (tree, key) whose old value is saved.
    saved: HashSet<(Tree, Vec<u8>)>,
    /// Set when a write inside the unit failed part-way: the unit can only
    /// be rolled back.
    broken: bool,
}

/// Undo entries are written in batches of about this many bytes.
const UNDO_BATCH_BYTES: usize = 8 << 20;

impl Engine {
    /// Whether a unit is under way.
    pub(crate) fn in_unit(&self) -> bool {
        self.unit.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    /// Starts a unit. The caller holds the writer lock until the unit ends.
    pub(crate) fn begin_unit(&self) -> Result<()> {
        // A journal left by a unit that committed just before a crash.
        if self.store.scan(Tree::Undo, std::ops::Bound::Unbounded, std::ops::Bound::Unbounded).next().is_some() {
            self.store.clear(Tree::Undo)?;
        }
        let mut batch = WriteBatch::new();
        batch.put(Tree::Meta, META_UNDO_OPEN.to_vec(), Vec::new());
        self.store.write(&batch)?;
        self.store.flush()?;
        *self.unit.lock().unwrap_or_else(|e| e.into_inner()) = Some(Unit { saved: HashSet::new(), broken: false });
        Ok(())
    }

    /// Saves, durably, the old value of every key `batch` changes that the
    /// unit has not saved yet.
    fn protect(&self, batch: &WriteBatch) -> Result<()> {
        let mut unit = self.unit.lock().unwrap_or_else(|e| e.into_inner());
        let unit = unit.as_mut().ok_or_else(|| crate::errcorrupt!("a unit write outside a unit"))?;
        let mut undo = WriteBatch::new();
        let mut bytes = 0;
        for (tree, key, _) in batch.ops() {
            if unit.saved.contains(&(tree, key.to_vec())) {
                continue;
            }
            let old = self.store.get(tree, key)?;
            bytes += key.len() + old.as_ref().map_or(0, |v| v.len());
            undo.put(Tree::Undo, keys::undo_key(tree.code(), key), keys::undo_value(old.as_deref()));
            unit.saved.insert((tree, key.to_vec()));
            if bytes > UNDO_BATCH_BYTES {
                self.store.write_parts(&std::mem::take(&mut undo))?;
                bytes = 0;
            }
        }
        if !undo.is_empty() {
            self.store.write_parts(&undo)?;
        }
        // The journal must be on disk before anything it covers.
        self.store.flush()
    }

    /// Writes `batch` inside the unit, after saving what it overwrites. Not
    /// durable until the unit commits. `atomic`: the batch is one storage
    /// transaction (a statement inside a unit), or written tree by tree (an
    /// import's chunk, which the journal alone makes undoable).
    pub(crate) fn write_in_unit(&self, batch: &WriteBatch, atomic: bool) -> Result<()> {
        let result =
            self.protect(batch).and_then(
                |()| {
                    if atomic {
                        self.store.write(batch)
                    } else {
                        self.store.write_parts(batch)
                    }
                },
            );
        if result.is_err() && !atomic {
            if let Some(unit) = self.unit.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
                unit.broken = true;
            }
        }
        result
    }

    /// Marks the unit under way as one that can only be rolled back.
    pub(crate) fn break_unit(&self) {
        if let Some(unit) = self.unit.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
            unit.broken = true;
        }
    }

    /// Commits the unit under way: everything it wrote becomes durable and
    /// counts as one acknowledged write.
    pub(crate) fn commit_unit(&self) -> Result<()> {
        if self.unit.lock().unwrap_or_else(|e| e.into_inner()).as_ref().is_some_and(|u| u.broken) {
            return Err(Error::Storage("a write inside the unit failed part-way; nothing of the unit is kept".into()));
        }
        self.store.flush()?;
        let seq = self.meta_u64(META_WRITE_SEQ)? + 1;
        let mut batch = WriteBatch::new();
        batch.delete(Tree::Meta, META_UNDO_OPEN.to_vec());
        batch.put(Tree::Meta, META_WRITE_SEQ.to_vec(), encode_u64(seq));
        self.store.write(&batch)?;
        self.store.flush()?;
        *self.unit.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.witness(seq)?;
        // Committed: the journal is of no further use (a crash before it is
        // cleared leaves a stale journal, cleared at the next open).
        self.store.clear(Tree::Undo)
    }

    /// Rolls back the unit under way, or the one a crash interrupted.
    pub(crate) fn rollback_unit(&self) -> Result<()> {
        let mut restore = WriteBatch::new();
        let mut bytes = 0;
        for item in self.store.scan(Tree::Undo, std::ops::Bound::Unbounded, std::ops::Bound::Unbounded) {
            let (key, value) = item?;
            let (code, key) = keys::parse_undo_key(&key)?;
            let tree = Tree::from_code(code)
                .filter(|t| *t != Tree::Undo)
                .ok_or_else(|| crate::errcorrupt!("the undo journal names an unknown tree {code}"))?;
            match keys::parse_undo_value(&value)? {
                Some(old) => {
                    bytes += key.len() + old.len();
                    restore.put(tree, key.to_vec(), old.to_vec());
                }
                None => {
                    bytes += key.len();
                    restore.delete(tree, key.to_vec());
                }
            }
            if bytes > UNDO_BATCH_BYTES {
                self.store.write_parts(&std::mem::take(&mut restore))?;
                bytes = 0;
            }
        }
        self.store.write_parts(&restore)?;
        self.store.flush()?;
        let mut batch = WriteBatch::new();
        batch.delete(Tree::Meta, META_UNDO_OPEN.to_vec());
        self.store.write(&batch)?;
        self.store.flush()?;
        *self.unit.lock().unwrap_or_else(|e| e.into_inner()) = None;
        // Ids the unit gave to new sources are free again.
        self.source_cache.write().unwrap_or_else(|e| e.into_inner()).clear();
        self.store.clear(Tree::Undo)
    }

    /// Ends the unit under way after a failure: rolls it back, or, when the
    /// store stopped after a failed write (a full disk), leaves its journal
    /// for the next open to roll back, since writing more could leave the
    /// files unreadable. Returns `e`, saying so in the second case.
    pub(crate) fn abandon_unit(&self, e: Error, what: &str) -> Error {
        if self.store.stopped().is_some() {
            *self.unit.lock().unwrap_or_else(|e| e.into_inner()) = None;
            return match e {
                Error::Io { kind, message } => Error::Io {
                    kind,
                    message: format!(
                        "{message}; the {what} stopped and none of it is kept: it is rolled back when the \
                         database is next opened"
                    ),
                },
                other => other,
            };
        }
        match self.rollback_unit() {
            Ok(()) => e,
            Err(rollback) => rollback,
        }
    }

    /// At open: rolls back a unit a crash interrupted, and clears a stale
    /// journal. Returns whether a unit was rolled back.
    pub(crate) fn recover_unit(&self) -> Result<bool> {
        if self.store.get(Tree::Meta, META_UNDO_OPEN)?.is_some() {
            self.rollback_unit()?;
            return Ok(true);
        }
        if self.store.scan(Tree::Undo, std::ops::Bound::Unbounded, std::ops::Bound::Unbounded).next().is_some() {
            self.store.clear(Tree::Undo)?;
        }
        Ok(false)
    }

    /// Writes a batch as one acknowledged write: atomically, flushed, and
    /// recorded in the witness; inside a unit, under its journal instead.
    pub(crate) fn write_acknowledged(&self, mut batch: WriteBatch) -> Result<()> {
        if self.in_unit() {
            return self.write_in_unit(&batch, true);
        }
        let seq = self.meta_u64(META_WRITE_SEQ)? + 1;
        batch.put(Tree::Meta, META_WRITE_SEQ.to_vec(), encode_u64(seq));
        self.store.write(&batch)?;
        self.store.flush()?;
        self.witness(seq)
    }

    /// Records acknowledged write `seq` and the counters as they are now in
    /// the marker, durably.
    pub(crate) fn witness(&self, seq: u64) -> Result<()> {
        let Some(marker) = &self.marker else { return Ok(()) };
        let w = Witness {
            seq,
            next_claim: self.meta_u64(keys::META_NEXT_CLAIM)?,
            next_source: self.meta_u64(keys::META_NEXT_SOURCE)?,
        };
        marker.record(&w)
    }
}

impl Db {
    /// Runs `f` as one atomic unit: every write it makes through `db` (typed
    /// writes, [`Db::execute`], imports) is kept if `f` returns `Ok`, and
    /// none of them if it returns an error or panics, or if the process
    /// dies before the unit ends (the next open rolls it back). Reads inside
    /// `f` see the unit's own writes.
    ///
    /// The unit holds the database's writer lock throughout: other threads
    /// using the same `Db` (clones included) wait, for reads and writes
    /// alike, until it ends. A write inside the unit that fails changes
    /// nothing and `f` may go on, except an import that fails after writing
    /// part of its records: the unit can then only end in a rollback.
    /// A unit inside a unit is part of the outer one.
    pub fn atomic<T>(&self, f: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
        if self.engine.in_unit_here() {
            return f(self);
        }
        let _guard = self.write_lock();
        self.engine.begin_unit()?;
        *self.engine.unit_owner.lock().unwrap_or_else(|e| e.into_inner()) = Some(std::thread::current().id());
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self)));
        *self.engine.unit_owner.lock().unwrap_or_else(|e| e.into_inner()) = None;
        match outcome {
            Ok(Ok(value)) => match self.engine.commit_unit() {
                Ok(()) => Ok(value),
                Err(e) => Err(self.engine.abandon_unit(e, "atomic unit")),
            },
            Ok(Err(e)) => Err(self.engine.abandon_unit(e, "atomic unit")),
            Err(panic) => {
                let _ = self.engine.abandon_unit(Error::Cancelled, "atomic unit");
                std::panic::resume_unwind(panic)
            }
        }
    }
}
