//! Index maintenance: turning "claim 7 gains term X, loses term Y" into
//! rewritten posting blocks in a write batch.
//!
//! Changes are collected per term in an [`IndexDelta`] and applied once per
//! term, so that a bulk import of many claims rewrites each block once rather
//! than once per claim.

use super::postings;
use super::terms::Term;
use crate::error::Result;
use crate::storage::{Store, Tree, WriteBatch};
use fxhash::FxHashMap;
use std::collections::BTreeSet;
use std::ops::Bound;

/// Ids added to and removed from one term.
type Change = (Vec<u64>, Vec<u64>);

/// Pending additions and removals of claim ids, per term.
#[derive(Debug, Default)]
pub struct IndexDelta {
    changes: FxHashMap<Term, Change>,
}

impl IndexDelta {
    /// Records that claim `id` is now indexed under `term`.
    pub fn add(&mut self, term: Term, id: u64) {
        self.changes.entry(term).or_default().0.push(id);
    }

    /// Records that claim `id` is no longer indexed under `term`.
    pub fn remove(&mut self, term: Term, id: u64) {
        self.changes.entry(term).or_default().1.push(id);
    }

    /// Records the change of claim `id` from the `old` terms to the `new`
    /// (both sorted, as [`terms_of`](super::terms::terms_of) gives them).
    pub fn replace(&mut self, id: u64, old: &[Term], new: &[Term]) {
        for term in old.iter().filter(|t| new.binary_search(t).is_err()) {
            self.remove(term.clone(), id);
        }
        for term in new.iter().filter(|t| old.binary_search(t).is_err()) {
            self.add(term.clone(), id);
        }
    }

    /// Reads the blocks each change touches and adds their rewritten forms to
    /// `batch`. The store must not change between this call and the write
    /// of the batch (the database's writer lock guarantees it).
    pub fn stage(self, store: &Store, batch: &mut WriteBatch) -> Result<()> {
        // In key order, so that the storage engine's tree is walked in order.
        let mut changes: Vec<(Vec<u8>, Term, Change)> =
            self.changes.into_iter().map(|(term, c)| (term.prefix(), term, c)).collect();
        changes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (_, term, (adds, removes)) in changes {
            stage_term(store, batch, &term, postings::normalize(adds), postings::normalize(removes))?;
        }
        Ok(())
    }
}

/// Rewrites the blocks of one term for ids added and removed (both sorted,
/// without repeats).
pub(crate) fn stage_term(
    store: &Store,
    batch: &mut WriteBatch,
    term: &Term,
    adds: Vec<u64>,
    removes: Vec<u64>,
) -> Result<()> {
    let lo = match (adds.first(), removes.first()) {
        (Some(&a), Some(&r)) => a.min(r),
        (Some(&a), None) => a,
        (None, Some(&r)) => r,
        (None, None) => return Ok(()),
    };
    let hi = adds.last().copied().unwrap_or(0).max(removes.last().copied().unwrap_or(0));
    let prefix = term.prefix();
    // The touched blocks: the one that may hold `lo`, and every block that
    // starts at or before `hi` after it.
    let start = match store.last_at_or_before(Tree::Postings, &prefix, &term.block_key(lo))? {
        Some((key, _)) => key.to_vec(),
        None => prefix.clone(),
    };
    let mut ids = Vec::new();
    let mut old_keys = Vec::new();
    for item in store.scan(Tree::Postings, Bound::Included(start), Bound::Included(term.block_key(hi))) {
        let (key, value) = item?;
        postings::decode_into(&value, &mut ids)?;
        old_keys.push(key.to_vec());
    }
    let mut merged = Vec::with_capacity(ids.len() + adds.len());
    let (mut i, mut j) = (0, 0);
    while i < ids.len() || j < adds.len() {
        let next = match (ids.get(i), adds.get(j)) {
            (Some(&a), Some(&b)) if a == b => {
                i += 1;
                j += 1;
                a
            }
            (Some(&a), Some(&b)) if a < b => {
                i += 1;
                a
            }
            (Some(_), Some(&b)) | (None, Some(&b)) => {
                j += 1;
                b
            }
            (Some(&a), None) => {
                i += 1;
                a
            }
            (None, None) => unreachable!("loop condition"),
        };
        if removes.binary_search(&next).is_err() {
            merged.push(next);
        }
    }
    let mut new_keys = BTreeSet::new();
    for chunk in postings::chunks(&merged) {
        let key = term.block_key(chunk[0]);
        new_keys.insert(key.clone());
        batch.put(Tree::Postings, key, postings::encode(chunk));
    }
    for key in old_keys {
        if !new_keys.contains(&key) {
            batch.delete(Tree::Postings, key);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(store: &Store, term: &Term) -> (Vec<u64>, usize) {
        let mut ids = Vec::new();
        let mut blocks = 0;
        for item in store.scan_prefix(Tree::Postings, &term.prefix()) {
            let (key, value) = item.unwrap();
            let (t, first) = Term::parse_block_key(&key).unwrap();
            assert_eq!(&t, term);
            let block = postings::decode(&value).unwrap();
            assert!(block[0] >= first);
            ids.extend(block);
            blocks += 1;
        }
        (ids, blocks)
    }

    fn apply(store: &Store, delta: IndexDelta) {
        let mut batch = WriteBatch::new();
        delta.stage(store, &mut batch).unwrap();
        store.write(&batch).unwrap();
    }

    #[test]
    fn appends_fill_blocks_and_removals_shrink_them() {
        let store = Store::temporary().unwrap();
        let term = Term::Word("qatar".into());
        for start in (0..3000u64).step_by(100) {
            let mut delta = IndexDelta::default();
            for id in start..start + 100 {
                delta.add(term.clone(), id);
            }
            apply(&store, delta);
        }
        let (ids, blocks) = read_all(&store, &term);
        assert_eq!(ids, (0..3000).collect::<Vec<_>>());
        assert_eq!(blocks, 3);

        let mut delta = IndexDelta::default();
        for id in (0..3000).filter(|i| i % 2 == 0) {
            delta.remove(term.clone(), id);
        }
        delta.add(term.clone(), 5000);
        apply(&store, delta);
        let (ids, _) = read_all(&store, &term);
        let mut expected: Vec<u64> = (0..3000).filter(|i| i % 2 == 1).collect();
        expected.push(5000);
        assert_eq!(ids, expected);

        let mut delta = IndexDelta::default();
        for id in expected {
            delta.remove(term.clone(), id);
        }
        apply(&store, delta);
        assert_eq!(read_all(&store, &term).1, 0);
    }

    #[test]
    fn inserting_below_the_first_block_rekeys_it() {
        let store = Store::temporary().unwrap();
        let term = Term::Outlet("afp".into());
        let mut delta = IndexDelta::default();
        delta.add(term.clone(), 50);
        apply(&store, delta);
        let mut delta = IndexDelta::default();
        delta.add(term.clone(), 10);
        apply(&store, delta);
        assert_eq!(read_all(&store, &term).0, vec![10, 50]);
    }
}
