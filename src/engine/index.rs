//! Index maintenance: turning "claim 7 gains term X, loses term Y" into
//! rewritten posting blocks.
//!
//! Changes are collected per term in an [`IndexDelta`] and applied once per
//! term, so that a bulk write of many claims rewrites each block once rather
//! than once per claim. The result is a set of block changes for the packed
//! index tree (see [`super::packed`]), which groups them by page.

use super::keys::{decode_block, encode_block};
use super::packed::{self, Changes};
use super::postings::PostingList;
use super::terms::{Entry, Term};
use crate::error::Result;
use crate::storage::{Store, Tree};
use fxhash::FxHashMap;
use std::collections::BTreeSet;
use std::ops::Bound;

/// Ids (with positions, for words) added to one term, and ids removed.
#[derive(Debug)]
struct Change {
    adds: PostingList,
    removes: Vec<u64>,
}

/// Pending additions and removals of claim ids, per term.
#[derive(Debug, Default)]
pub struct IndexDelta {
    changes: FxHashMap<Term, Change>,
}

impl IndexDelta {
    fn change(&mut self, term: Term) -> &mut Change {
        self.changes
            .entry(term)
            .or_insert_with_key(|t| Change { adds: PostingList::new(t.is_positional()), removes: Vec::new() })
    }

    /// Records that claim `id` is now indexed under `term` (with the
    /// positions of the word, for word terms).
    pub fn add(&mut self, term: Term, id: u64, positions: &[u32]) {
        self.change(term).adds.push(id, positions);
    }

    /// Records that claim `id` is no longer indexed under `term`.
    pub fn remove(&mut self, term: Term, id: u64) {
        self.change(term).removes.push(id);
    }

    /// Records every entry of claim `id`.
    pub fn add_all(&mut self, id: u64, entries: Vec<Entry>) {
        for (term, positions) in entries {
            self.add(term, id, &positions);
        }
    }

    /// Records the removal of every entry of claim `id`.
    pub fn remove_all(&mut self, id: u64, entries: Vec<Entry>) {
        for (term, _) in entries {
            self.remove(term, id);
        }
    }

    /// Records the change of claim `id` from the `old` entries to the `new`
    /// (both sorted, as [`entries_of`](super::terms::entries_of) gives
    /// them). A word whose positions changed is added again, which replaces
    /// its positions.
    pub fn replace(&mut self, id: u64, old: &[Entry], new: &[Entry]) {
        let find = |list: &[Entry], term: &Term| list.binary_search_by(|(t, _)| t.cmp(term)).ok();
        for (term, _) in old.iter().filter(|(t, _)| find(new, t).is_none()) {
            self.remove(term.clone(), id);
        }
        for (term, positions) in new {
            match find(old, term) {
                Some(i) if old[i].1 == *positions => {}
                _ => self.add(term.clone(), id, positions),
            }
        }
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Reads the blocks each change touches and returns their rewritten
    /// forms, as changes of the index tree. The store must not change
    /// before they are written (the writer lock guarantees it).
    pub fn stage(self, store: &Store) -> Result<Changes> {
        let mut out = Changes::new();
        let mut changes: Vec<(Term, Change)> = self.changes.into_iter().collect();
        // In key order, so that the index is read in order.
        changes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (term, change) in changes {
            let mut removes = change.removes;
            removes.sort_unstable();
            removes.dedup();
            stage_term(store, &term, &change.adds.sorted(), &removes, &mut out)?;
        }
        Ok(out)
    }
}

/// Rewrites the blocks of one term for the ids added (sorted, with their
/// positions for words) and removed (sorted, distinct), adding the block
/// changes to `out`.
pub(crate) fn stage_term(
    store: &Store,
    term: &Term,
    adds: &PostingList,
    removes: &[u64],
    out: &mut Changes,
) -> Result<()> {
    let lo = match (adds.ids.first(), removes.first()) {
        (Some(&a), Some(&r)) => a.min(r),
        (Some(&a), None) => a,
        (None, Some(&r)) => r,
        (None, None) => return Ok(()),
    };
    let hi = adds.ids.last().copied().unwrap_or(0).max(removes.last().copied().unwrap_or(0));
    let prefix = term.prefix();
    let lo_key = term.block_key(lo);
    let hi_key = term.block_key(hi);
    // The touched blocks: the one that may hold `lo`, and every block that
    // starts at or before `hi` after it.
    let start =
        match packed::range(store, Tree::Index, Bound::Included(&prefix), Bound::Included(&lo_key), true)?.next() {
            Some(entry) => entry?.key,
            None => prefix.clone(),
        };
    let mut existing = PostingList::new(term.is_positional());
    let mut old_keys = Vec::new();
    for entry in packed::range(store, Tree::Index, Bound::Included(&start), Bound::Included(&hi_key), false)? {
        let entry = entry?;
        decode_block(entry.value(), &mut existing)?;
        old_keys.push(entry.key);
    }
    let merged = existing.merge(adds, removes);
    let mut new_keys = BTreeSet::new();
    for range in merged.block_ranges() {
        let key = term.block_key(merged.ids[range.start]);
        new_keys.insert(key.clone());
        out.insert(key, Some(encode_block(&merged, range)));
    }
    for key in old_keys {
        if !new_keys.contains(&key) {
            out.insert(key, None);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::keys::decode_block_ids;
    use crate::storage::WriteBatch;

    fn read_all(store: &Store, term: &Term) -> (Vec<u64>, usize) {
        let mut ids = Vec::new();
        let mut blocks = 0;
        for entry in packed::prefix(store, Tree::Index, &term.prefix()).unwrap() {
            let entry = entry.unwrap();
            let (t, first) = Term::parse_block_key(&entry.key).unwrap();
            assert_eq!(&t, term);
            let before = ids.len();
            decode_block_ids(entry.value(), &mut ids).unwrap();
            assert!(ids[before] >= first);
            blocks += 1;
        }
        (ids, blocks)
    }

    fn apply(store: &Store, delta: IndexDelta) {
        let changes = delta.stage(store).unwrap();
        let mut batch = WriteBatch::new();
        packed::stage(store, Tree::Index, &changes, &mut batch, |_| Ok(())).unwrap();
        store.write(&batch).unwrap();
    }

    #[test]
    fn appends_fill_blocks_and_removals_shrink_them() {
        let store = Store::temporary().unwrap();
        let term = Term::Status(crate::model::Status::Unverified);
        for start in (0..3000u64).step_by(100) {
            let mut delta = IndexDelta::default();
            for id in start..start + 100 {
                delta.add(term.clone(), id, &[]);
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
        delta.add(term.clone(), 5000, &[]);
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
        delta.add(term.clone(), 50, &[]);
        apply(&store, delta);
        let mut delta = IndexDelta::default();
        delta.add(term.clone(), 10, &[]);
        apply(&store, delta);
        assert_eq!(read_all(&store, &term).0, vec![10, 50]);
    }

    #[test]
    fn words_keep_positions_and_replacing_changes_them() {
        let store = Store::temporary().unwrap();
        let word = Term::Word("qatar".into());
        let mut delta = IndexDelta::default();
        delta.add(word.clone(), 3, &[0, 5]);
        apply(&store, delta);
        let old = vec![(word.clone(), vec![0, 5])];
        let new = vec![(word.clone(), vec![2])];
        let mut delta = IndexDelta::default();
        delta.replace(3, &old, &new);
        apply(&store, delta);
        let entry = packed::prefix(&store, Tree::Index, &word.prefix()).unwrap().next().unwrap().unwrap();
        let mut list = PostingList::new(true);
        decode_block(entry.value(), &mut list).unwrap();
        assert_eq!(list.ids, vec![3]);
        assert_eq!(list.positions_of(0), &[2]);
    }
}
