//! The upgrade of a database of format version 1 (one sled key per claim,
//! source, index block and relation) to format version 2, in place.
//!
//! The new layout is built beside the old, in trees of other names, from
//! the old records (checked as they are read); then one atomic write
//! switches the format version, and the old trees are dropped. A crash
//! before the switch leaves the old database whole (the next open starts
//! the upgrade again, clearing what the last attempt built); a crash after
//! it leaves the new one whole (the next open drops the old trees). So a
//! database is always either the old or the new, never a mix.
//!
//! What an import left unfinished (the ids in version 1's import journal)
//! is left out, as version 1 would have rolled it back; so are sources no
//! claim refers to (version 1 left those behind after rolled-back imports).

use super::index::IndexDelta;
use super::keys::{self, encode_u64, identity_key, v1};
use super::packed;
use super::records::{StoredClaim, StoredSource};
use super::staged::Staged;
use super::write::claim_entries;
use super::FORMAT_VERSION;
use crate::errcorrupt;
use crate::error::Result;
use crate::storage::{codec, Store, Tree, WriteBatch};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// Claims written per batch of records.
const CHUNK: usize = 10_000;
/// Claims whose index entries are gathered before the index is written.
const INDEX_BATCH: usize = 250_000;

/// Writes staged changes tree by tree: nothing the upgrade writes is live
/// until the format switches, so no transaction is needed.
fn write(store: &Store, batch: &WriteBatch) -> Result<()> {
    store.write_parts(batch)
}

/// Upgrades the version-1 database in `store`; returns the note to show.
pub(crate) fn run(store: &Store, path: &Path) -> Result<String> {
    let started = std::time::Instant::now();
    // What an earlier, interrupted attempt built.
    for tree in Tree::ALL {
        if tree != Tree::Meta {
            store.clear(tree)?;
        }
    }
    let meta = |key: &[u8]| -> Result<u64> {
        match store.get(Tree::Meta, key)? {
            Some(b) => keys::decode_u64(&b, "a version-1 counter"),
            None => Ok(0),
        }
    };
    let next_claim = meta(keys::META_NEXT_CLAIM)?.max(1);
    let next_source = meta(keys::META_NEXT_SOURCE)?.max(1);
    let unfinished: Vec<(u64, u64)> = match store.get(Tree::Meta, v1::META_JOURNAL)? {
        Some(bytes) => codec::decode(&bytes, "the version-1 import journal")?,
        None => Vec::new(),
    };
    let left_out = |id: u64| unfinished.iter().any(|(first, last)| (*first..=*last).contains(&id));

    // Pass 1: which sources the kept claims refer to.
    let mut referenced = BTreeSet::new();
    for item in store.legacy_scan(v1::CLAIMS)? {
        let (key, value) = item?;
        let id = v1::parse_id(&key)?;
        if left_out(id) {
            continue;
        }
        let head: super::records::ClaimHead = codec::decode_head(&value, &format!("claim #{id}"))?;
        referenced.insert(head.source);
    }

    // Sources: one record per identity (version 1 could hold two records
    // of one identity after a rolled-back import; claims move to the first).
    let mut staged = Staged::default();
    let mut by_identity: HashMap<Vec<u8>, u64> = HashMap::new();
    let mut remap: HashMap<u64, u64> = HashMap::new();
    let mut sources: HashMap<u64, crate::model::Source> = HashMap::new();
    for &id in &referenced {
        let bytes = store
            .legacy_get(v1::SOURCES, &id.to_be_bytes())?
            .ok_or_else(|| errcorrupt!("a claim refers to source @{id}, which is missing"))?;
        let record: StoredSource = codec::decode(&bytes, &format!("source @{id}"))?;
        let source = record.to_source()?;
        let key = identity_key(&source);
        match by_identity.get(&key) {
            Some(&first) => {
                remap.insert(id, first);
            }
            None => {
                by_identity.insert(key.clone(), id);
                sources.insert(id, source);
                staged.put_source(store, id, &record)?;
                staged.source_names.insert(key, Some(encode_u64(id)));
            }
        }
        if staged.source_names.len() >= CHUNK {
            write(store, &std::mem::take(&mut staged).into_batch(store, |_| Ok(()))?)?;
        }
    }
    write(store, &staged.into_batch(store, |_| Ok(()))?)?;

    // Pass 2: the claims, checked whole, with their index entries.
    let mut kept = BTreeSet::new();
    let mut staged = Staged::default();
    let mut index = IndexDelta::default();
    let (mut in_chunk, mut in_index) = (0, 0);
    let mut highest = 0;
    for item in store.legacy_scan(v1::CLAIMS)? {
        let (key, value) = item?;
        let id = v1::parse_id(&key)?;
        if left_out(id) {
            continue;
        }
        let mut record: StoredClaim = codec::decode(&value, &format!("claim #{id}"))?;
        record.source = remap.get(&record.source).copied().unwrap_or(record.source);
        let source = sources.get(&record.source).ok_or_else(|| errcorrupt!("claim #{id} lost its source"))?;
        // Decoding the public form checks every code, date and time.
        record.to_claim(id, source.clone(), Vec::new(), Vec::new())?;
        index.add_all(id, claim_entries(&record, source)?);
        // Counted at the switch: the claim count is a key of the new format.
        staged.put_claim(store, id, &record, false)?;
        kept.insert(id);
        highest = highest.max(id);
        in_chunk += 1;
        in_index += 1;
        if in_chunk == CHUNK {
            write(store, &std::mem::take(&mut staged).into_batch(store, |_| Ok(()))?)?;
            in_chunk = 0;
        }
        if in_index == INDEX_BATCH {
            write_index(store, std::mem::take(&mut index))?;
            in_index = 0;
        }
    }
    write(store, &std::mem::take(&mut staged).into_batch(store, |_| Ok(()))?)?;
    write_index(store, index)?;

    // Relations whose both ends are kept, in both directions.
    let mut staged = Staged::default();
    let mut links = 0;
    for item in store.legacy_scan(v1::LINKS)? {
        let (key, _) = item?;
        let (from, relation, to) = v1::parse_link(&key)?;
        if kept.contains(&from) && kept.contains(&to) {
            staged.link(from, relation, to);
            links += 1;
        }
    }
    write(store, &staged.into_batch(store, |_| Ok(()))?)?;

    // The switch: from here on the database is of the new format.
    let claims = kept.len() as u64;
    let mut batch = WriteBatch::new();
    batch.put(Tree::Meta, keys::META_FORMAT.to_vec(), FORMAT_VERSION.to_be_bytes().to_vec());
    batch.put(Tree::Meta, keys::META_NEXT_CLAIM.to_vec(), encode_u64(next_claim.max(highest + 1)));
    batch.put(Tree::Meta, keys::META_NEXT_SOURCE.to_vec(), encode_u64(next_source));
    batch.put(Tree::Meta, keys::META_CLAIM_COUNT.to_vec(), encode_u64(claims));
    batch.put(Tree::Meta, keys::META_WRITE_SEQ.to_vec(), encode_u64(0));
    batch.delete(Tree::Meta, v1::META_JOURNAL.to_vec());
    store.flush()?;
    store.write(&batch)?;
    store.flush()?;
    for name in store.other_tree_names() {
        store.drop_legacy(&name)?;
    }
    let mut note = format!(
        "upgraded {} from format 1 to format {FORMAT_VERSION} ({claims} claims, {} sources, {links} relations, \
         {:.1} s); claimdb builds older than this one can no longer open it",
        path.display(),
        by_identity.len(),
        started.elapsed().as_secs_f64()
    );
    if !unfinished.is_empty() {
        note.push_str("; an import left unfinished by a crash was rolled back");
    }
    Ok(note)
}

/// Writes the gathered index entries.
fn write_index(store: &Store, index: IndexDelta) -> Result<()> {
    let changes = index.stage(store)?;
    let mut batch = WriteBatch::new();
    packed::stage(store, Tree::Index, &changes, &mut batch, |b| {
        if b.bytes() > 16 << 20 {
            write(store, &std::mem::take(b))?;
        }
        Ok(())
    })?;
    write(store, &batch)
}

/// Writes a database of format version 1 at `path` (a new directory)
/// holding `claims` (ids as given, or numbered from 1) and relations
/// `links`, the way version 1 stored them: records, sources, source
/// identities, relations and counters. Its index is left out (the upgrade
/// rebuilds the index from the records, without reading it). For tests of
/// the upgrade on databases larger than the committed fixtures.
#[doc(hidden)]
pub fn write_version_1(
    path: &Path,
    claims: impl IntoIterator<Item = crate::model::NewClaim>,
    links: &[(u64, crate::model::Relation, u64)],
) -> Result<()> {
    use crate::storage::keycode::KeyBuilder;
    let store = Store::open(path, &crate::storage::StoreOptions::default())?;
    let apply = |batch: &[(&str, Vec<u8>, Vec<u8>)]| -> Result<()> {
        for (tree, key, value) in batch {
            store.legacy_put(tree, key, value)?;
        }
        Ok(())
    };
    let now = chrono::Utc::now();
    let mut sources: HashMap<Vec<u8>, u64> = HashMap::new();
    let mut next_id = 1u64;
    let mut batch: Vec<(&str, Vec<u8>, Vec<u8>)> = Vec::new();
    for claim in claims {
        let prepared = super::write::prepare(&claim, now)?;
        let id = prepared.id.unwrap_or(next_id);
        next_id = next_id.max(id + 1);
        let key = identity_key(&prepared.source);
        let next_source = sources.len() as u64 + 1;
        let source = *sources.entry(key.clone()).or_insert_with(|| {
            let record = StoredSource::from_source(&prepared.source);
            batch.push((v1::SOURCES, next_source.to_be_bytes().to_vec(), codec::encode(&record)));
            batch.push(("source_keys", key, next_source.to_be_bytes().to_vec()));
            next_source
        });
        let mut record = prepared.record;
        record.source = source;
        batch.push((v1::CLAIMS, id.to_be_bytes().to_vec(), codec::encode(&record)));
        if batch.len() > 20_000 {
            apply(&std::mem::take(&mut batch))?;
        }
    }
    for &(from, relation, to) in links {
        batch.push((v1::LINKS, KeyBuilder::default().u64(from).u8(relation.code()).u64(to).build(), Vec::new()));
        batch.push(("links_back", KeyBuilder::default().u64(to).u8(relation.code()).u64(from).build(), Vec::new()));
    }
    batch.push(("meta", keys::META_FORMAT.to_vec(), 1u32.to_be_bytes().to_vec()));
    batch.push(("meta", keys::META_NEXT_CLAIM.to_vec(), encode_u64(next_id)));
    batch.push(("meta", keys::META_NEXT_SOURCE.to_vec(), encode_u64(sources.len() as u64 + 1)));
    apply(&batch)?;
    store.flush()
}
