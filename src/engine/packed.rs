//! Packed trees: ordered maps of small entries, stored as pages of
//! consecutive entries so that sled holds a few keys instead of one per
//! entry (see [`super::keys`] for the page format).
//!
//! A page is stored under the key of its first entry, so the page that
//! holds (or would hold) a key is the last page whose key is at or before
//! it, or the first page when the key sorts before every page. Changes are
//! applied page by page: each touched page is decoded, merged with the
//! changes that fall in it, and written back, split evenly when it grows
//! past [`PACKED_PAGE_BYTES`] and deleted when it empties.

use super::keys::{decode_packed, encode_packed, packed_entry_len, PACKED_PAGE_BYTES};
use crate::error::Result;
use crate::storage::{Bytes, Scan, Store, Tree, WriteBatch};
use std::collections::BTreeMap;
use std::ops::{Bound, Range};

/// Changes to a packed tree: each key set to a value, or removed (`None`).
pub(crate) type Changes = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// One entry read from a packed tree. Its value is a slice of the page
/// (no copy).
pub(crate) struct Entry {
    /// The entry's key.
    pub key: Vec<u8>,
    page: Bytes,
    range: Range<usize>,
}

impl Entry {
    /// The entry's value.
    pub fn value(&self) -> &[u8] {
        &self.page[self.range.clone()]
    }
}

fn what(tree: Tree) -> String {
    format!("a page of the {} tree", tree.name())
}

/// The sled key range of the pages that may hold entries in `(from, to)`.
fn page_range(store: &Store, tree: Tree, from: Bound<&[u8]>, to: Bound<&[u8]>) -> Result<Scan> {
    let start = match from {
        Bound::Unbounded => Bound::Unbounded,
        Bound::Included(k) | Bound::Excluded(k) => match store.at_or_before(tree, k)? {
            Some((page, _)) => Bound::Included(page.to_vec()),
            None => Bound::Unbounded,
        },
    };
    let end = match to {
        Bound::Unbounded => Bound::Unbounded,
        // A page whose key is at or past the end holds nothing before it.
        Bound::Included(k) => Bound::Included(k.to_vec()),
        Bound::Excluded(k) => Bound::Excluded(k.to_vec()),
    };
    Ok(store.scan(tree, start, end))
}

fn after_start(key: &[u8], from: &Bound<Vec<u8>>) -> bool {
    match from {
        Bound::Unbounded => true,
        Bound::Included(k) => key >= k.as_slice(),
        Bound::Excluded(k) => key > k.as_slice(),
    }
}

fn before_end(key: &[u8], to: &Bound<Vec<u8>>) -> bool {
    match to {
        Bound::Unbounded => true,
        Bound::Included(k) => key <= k.as_slice(),
        Bound::Excluded(k) => key < k.as_slice(),
    }
}

fn owned(b: Bound<&[u8]>) -> Bound<Vec<u8>> {
    match b {
        Bound::Unbounded => Bound::Unbounded,
        Bound::Included(k) => Bound::Included(k.to_vec()),
        Bound::Excluded(k) => Bound::Excluded(k.to_vec()),
    }
}

/// An entry's key and where its value lies in its page.
type Located = (Vec<u8>, Range<usize>);

/// The entries of `tree` with keys in `(from, to)`, in key order (or
/// reverse key order).
pub(crate) struct Iter {
    tree: Tree,
    pages: Scan,
    from: Bound<Vec<u8>>,
    to: Bound<Vec<u8>>,
    reverse: bool,
    page: Option<(Bytes, std::vec::IntoIter<Located>)>,
    done: bool,
}

impl Iterator for Iter {
    type Item = Result<Entry>;

    fn next(&mut self) -> Option<Result<Entry>> {
        loop {
            if self.done {
                return None;
            }
            if let Some((page, entries)) = &mut self.page {
                let next = if self.reverse { entries.next_back() } else { entries.next() };
                match next {
                    Some((key, range)) => {
                        let (start_ok, end_ok) = (after_start(&key, &self.from), before_end(&key, &self.to));
                        if start_ok && end_ok {
                            return Some(Ok(Entry { key, page: page.clone(), range }));
                        }
                        // Outside the range: skip towards it, or stop once past it.
                        if (self.reverse && !start_ok) || (!self.reverse && !end_ok) {
                            self.done = true;
                        }
                        continue;
                    }
                    None => self.page = None,
                }
            }
            let item = if self.reverse { self.pages.next_back() } else { self.pages.next() };
            match item {
                None => return None,
                Some(Err(e)) => return Some(Err(e)),
                Some(Ok((_, bytes))) => match decode_packed(&bytes, &what(self.tree)) {
                    Ok(entries) => self.page = Some((bytes, entries.into_iter())),
                    Err(e) => return Some(Err(e)),
                },
            }
        }
    }
}

/// The entries with keys in `(from, to)`, in order (`reverse`: last first).
pub(crate) fn range(store: &Store, tree: Tree, from: Bound<&[u8]>, to: Bound<&[u8]>, reverse: bool) -> Result<Iter> {
    let pages = page_range(store, tree, from, to)?;
    Ok(Iter { tree, pages, from: owned(from), to: owned(to), reverse, page: None, done: false })
}

/// The entries whose keys start with `prefix`, in order.
pub(crate) fn prefix(store: &Store, tree: Tree, prefix: &[u8]) -> Result<Iter> {
    let end = crate::storage::keycode::prefix_end(prefix);
    let to = match &end {
        Some(e) => Bound::Excluded(e.as_slice()),
        None => Bound::Unbounded,
    };
    range(store, tree, Bound::Included(prefix), to, false)
}

/// The value of `key`.
pub(crate) fn get(store: &Store, tree: Tree, key: &[u8]) -> Result<Option<Vec<u8>>> {
    let Some((_, bytes)) = store.at_or_before(tree, key)? else { return Ok(None) };
    for (k, range) in decode_packed(&bytes, &what(tree))? {
        if k.as_slice() == key {
            return Ok(Some(bytes[range].to_vec()));
        }
    }
    Ok(None)
}

/// Adds to `batch` the page writes that apply `changes` to `tree`. The tree
/// must not change between this call and the write of the batch (the
/// writer lock guarantees it). Pages are handed to `batch` in key order;
/// `flush` is called between pages, so that a caller writing a large
/// change in parts can write what is staged so far.
pub(crate) fn stage(
    store: &Store,
    tree: Tree,
    changes: &Changes,
    batch: &mut WriteBatch,
    mut flush: impl FnMut(&mut WriteBatch) -> Result<()>,
) -> Result<()> {
    let changes: Vec<(&Vec<u8>, &Option<Vec<u8>>)> = changes.iter().collect();
    let mut i = 0;
    while i < changes.len() {
        let key = changes[i].0.as_slice();
        let page = match store.at_or_before(tree, key)? {
            Some(p) => Some(p),
            None => store.scan(tree, Bound::Unbounded, Bound::Unbounded).next().transpose()?,
        };
        let next = match &page {
            Some((k, _)) => store.after(tree, k)?.map(|(k, _)| k),
            None => None,
        };
        let mut j = i;
        while j < changes.len() && next.as_ref().is_none_or(|n| changes[j].0.as_slice() < &n[..]) {
            j += 1;
        }
        let old: Vec<(Vec<u8>, Vec<u8>)> = match &page {
            Some((_, bytes)) => {
                decode_packed(bytes, &what(tree))?.into_iter().map(|(k, r)| (k, bytes[r].to_vec())).collect()
            }
            None => Vec::new(),
        };
        let merged = merge(old, &changes[i..j]);
        let old_key = page.map(|(k, _)| k.to_vec());
        let mut kept_old_key = false;
        for part in split(&merged) {
            let first = part[0].0.clone();
            kept_old_key |= old_key.as_ref() == Some(&first);
            batch.put(tree, first, encode_packed(part));
        }
        if let (Some(old), false) = (old_key, kept_old_key) {
            batch.delete(tree, old);
        }
        flush(batch)?;
        i = j;
    }
    Ok(())
}

/// Sorted entries with sorted changes applied.
fn merge(old: Vec<(Vec<u8>, Vec<u8>)>, changes: &[(&Vec<u8>, &Option<Vec<u8>>)]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = Vec::with_capacity(old.len() + changes.len());
    let mut old = old.into_iter().peekable();
    for (key, value) in changes {
        while let Some((k, _)) = old.peek() {
            if k < *key {
                out.push(old.next().expect("peeked"));
            } else {
                break;
            }
        }
        if old.peek().is_some_and(|(k, _)| k == *key) {
            old.next();
        }
        if let Some(v) = value {
            out.push(((*key).clone(), v.clone()));
        }
    }
    out.extend(old);
    out
}

/// Cuts sorted entries into pages of about equal size, none over
/// [`PACKED_PAGE_BYTES`] unless one entry alone is.
fn split(entries: &[(Vec<u8>, Vec<u8>)]) -> Vec<&[(Vec<u8>, Vec<u8>)]> {
    if entries.is_empty() {
        return Vec::new();
    }
    let sizes: Vec<usize> = entries
        .iter()
        .enumerate()
        .map(|(i, (k, v))| packed_entry_len(if i == 0 { &[] } else { &entries[i - 1].0 }, k, v))
        .collect();
    // Each page starts with its format byte.
    let total: usize = sizes.iter().sum::<usize>() + 1;
    let pages = total.div_ceil(PACKED_PAGE_BYTES).max(1);
    let target = total.div_ceil(pages);
    let mut out = Vec::with_capacity(pages);
    let mut start = 0;
    let mut bytes = 1;
    for (i, (k, v)) in entries.iter().enumerate() {
        // The first entry of a page shares nothing with the one before.
        let n = if i == start { packed_entry_len(&[], k, v) } else { sizes[i] };
        if i > start && (bytes + n > PACKED_PAGE_BYTES || (bytes >= target && out.len() + 1 < pages)) {
            out.push(&entries[start..i]);
            start = i;
            bytes = 1 + packed_entry_len(&[], k, v);
        } else {
            bytes += n;
        }
    }
    out.push(&entries[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn apply(store: &Store, changes: &Changes) {
        let mut batch = WriteBatch::new();
        stage(store, Tree::Index, changes, &mut batch, |_| Ok(())).unwrap();
        store.write(&batch).unwrap();
    }

    fn all(store: &Store) -> Vec<(Vec<u8>, Vec<u8>)> {
        range(store, Tree::Index, Bound::Unbounded, Bound::Unbounded, false)
            .unwrap()
            .map(|e| e.map(|e| (e.key.clone(), e.value().to_vec())))
            .collect::<Result<_>>()
            .unwrap()
    }

    fn key(i: u32) -> Vec<u8> {
        format!("key{i:08}").into_bytes()
    }

    #[test]
    fn many_entries_few_pages_and_exact_ranges() {
        let store = Store::temporary().unwrap();
        let mut changes = Changes::new();
        for i in (0..20_000).step_by(2) {
            changes.insert(key(i), Some(vec![7; 20]));
        }
        apply(&store, &changes);
        let pages = store.key_count(Tree::Index);
        assert!(pages < 100, "{pages} pages for 10,000 entries");
        // Insert in between, at the front and at the end; remove some.
        let mut changes = Changes::new();
        for i in (1..20_000).step_by(200) {
            changes.insert(key(i), Some(vec![1]));
        }
        changes.insert(b"a".to_vec(), Some(vec![2]));
        changes.insert(b"z".to_vec(), Some(vec![3]));
        for i in (0..1000).step_by(2) {
            changes.insert(key(i), None);
        }
        apply(&store, &changes);
        let got = all(&store);
        assert_eq!(got.len(), 10_000 + 100 + 2 - 500);
        assert!(got.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(get(&store, Tree::Index, &key(201)).unwrap(), Some(vec![1]));
        assert_eq!(get(&store, Tree::Index, &key(2)).unwrap(), None);
        assert_eq!(get(&store, Tree::Index, b"a").unwrap(), Some(vec![2]));
        let (from, to) = (key(5000), key(5010));
        let keys: Vec<Vec<u8>> = range(&store, Tree::Index, Bound::Included(&from), Bound::Excluded(&to), false)
            .unwrap()
            .map(|e| e.unwrap().key)
            .collect();
        assert_eq!(keys, vec![key(5000), key(5001), key(5002), key(5004), key(5006), key(5008)]);
        let rev: Vec<Vec<u8>> = range(&store, Tree::Index, Bound::Included(&from), Bound::Excluded(&to), true)
            .unwrap()
            .map(|e| e.unwrap().key)
            .collect();
        assert_eq!(rev, keys.iter().rev().cloned().collect::<Vec<_>>());
        // Removing everything leaves no page.
        let changes: Changes = got.into_iter().map(|(k, _)| (k, None)).collect();
        apply(&store, &changes);
        assert_eq!(store.key_count(Tree::Index), 0);
    }

    proptest! {
        #[test]
        fn behaves_like_a_btreemap(ops in proptest::collection::vec((0u16..400, proptest::option::of(proptest::collection::vec(any::<u8>(), 0..600))), 1..300), rounds in 1usize..4) {
            let store = Store::temporary().unwrap();
            let mut model: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
            for round in ops.chunks(ops.len().div_ceil(rounds)) {
                let mut changes = Changes::new();
                for (k, v) in round {
                    let key = format!("{k:05}").into_bytes();
                    changes.insert(key.clone(), v.clone());
                }
                for (k, v) in &changes {
                    match v { Some(v) => { model.insert(k.clone(), v.clone()); } None => { model.remove(k); } }
                }
                apply(&store, &changes);
                let got: BTreeMap<Vec<u8>, Vec<u8>> = all(&store).into_iter().collect();
                prop_assert_eq!(&got, &model);
                // Every page is keyed by its first entry and within size.
                for item in store.scan(Tree::Index, Bound::Unbounded, Bound::Unbounded) {
                    let (k, v) = item.unwrap();
                    let entries = decode_packed(&v, "p").unwrap();
                    prop_assert_eq!(&entries[0].0[..], &k[..]);
                    prop_assert!(v.len() <= PACKED_PAGE_BYTES || entries.len() == 1);
                }
            }
        }
    }
}
