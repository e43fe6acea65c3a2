//! The staging area of a write: every change a statement (or an import
//! chunk) makes, collected in memory and turned into one storage batch.
//!
//! Claims and sources live in pages of several records, and index blocks
//! and relations in packed pages shared by many entries, so two changes of
//! one write may touch the same stored page. Staging applies them all to
//! one in-memory copy of each touched page (reads during staging see the
//! staged state), and [`Staged::into_batch`] writes each page once.

use super::index::IndexDelta;
use super::keys::{
    self, encode_id_page, encode_u64, id_slot, IdPage, CLAIMS_PER_PAGE, META_CLAIM_COUNT, SOURCES_PER_PAGE,
};
use super::packed::{self, Changes};
use super::records::{StoredClaim, StoredSource};
use super::Engine;
use crate::errcorrupt;
use crate::error::Result;
use crate::model::{ClaimId, Relation};
use crate::storage::{codec, Store, Tree, WriteBatch};
use std::collections::BTreeMap;

/// The most bytes one stored claim record may take (the decoder's limit,
/// 16 MiB, is far above it, so that every record written can be read).
pub(crate) const MAX_RECORD_BYTES: usize = 1 << 20;

/// The records of one id page as they will be written: slot → record.
type PageEdit = BTreeMap<u8, Vec<u8>>;

/// Every change of one write, not yet written.
#[derive(Default)]
pub(crate) struct Staged {
    claim_pages: BTreeMap<u64, PageEdit>,
    source_pages: BTreeMap<u64, PageEdit>,
    /// Source identity entries.
    pub(crate) source_names: Changes,
    /// Relation entries, both directions.
    pub(crate) relations: Changes,
    /// Index entries gained and lost.
    pub(crate) index: IndexDelta,
    meta: BTreeMap<Vec<u8>, Vec<u8>>,
    claim_count_delta: i64,
}

/// Reads the page `page` of an id tree into an editable copy.
fn load_page(store: &Store, tree: Tree, page: u64, per_page: u64) -> Result<PageEdit> {
    let mut out = PageEdit::new();
    if let Some(bytes) = store.get(tree, &page.to_be_bytes())? {
        let view = IdPage::parse(&bytes, per_page, &format!("{} page {page}", tree.name()))?;
        for (slot, record) in view.records() {
            out.insert(slot, record.to_vec());
        }
    }
    Ok(out)
}

impl Staged {
    fn claim_page(&mut self, store: &Store, id: ClaimId) -> Result<&mut PageEdit> {
        let page = id / CLAIMS_PER_PAGE;
        Ok(match self.claim_pages.entry(page) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(load_page(store, Tree::ClaimPages, page, CLAIMS_PER_PAGE)?)
            }
        })
    }

    /// Whether claim `id` exists, as staged.
    pub(crate) fn has_claim(&self, engine: &Engine, id: ClaimId) -> Result<bool> {
        match self.claim_pages.get(&(id / CLAIMS_PER_PAGE)) {
            Some(page) => Ok(page.contains_key(&id_slot(id, CLAIMS_PER_PAGE))),
            None => engine.has_claim(id),
        }
    }

    /// Writes claim `id` (new or replaced). `new` says whether it adds a
    /// claim (for the claim count). A record past [`MAX_RECORD_BYTES`] is
    /// refused: stored, it would be too large to read back.
    pub(crate) fn put_claim(&mut self, store: &Store, id: ClaimId, record: &StoredClaim, new: bool) -> Result<()> {
        let bytes = codec::encode_body(record);
        if bytes.len() > MAX_RECORD_BYTES {
            return Err(crate::Error::Input {
                message: format!(
                    "claim #{id} would take {} KiB stored; a claim with its history, evidence and edits may take \
                     at most {} KiB",
                    bytes.len() / 1024,
                    MAX_RECORD_BYTES / 1024
                ),
                span: None,
                help: Some("shorten its text, notes or evidence notes".into()),
            });
        }
        self.claim_page(store, id)?.insert(id_slot(id, CLAIMS_PER_PAGE), bytes);
        if new {
            self.claim_count_delta += 1;
        }
        Ok(())
    }

    /// Removes claim `id`.
    pub(crate) fn remove_claim(&mut self, store: &Store, id: ClaimId) -> Result<()> {
        if self.claim_page(store, id)?.remove(&id_slot(id, CLAIMS_PER_PAGE)).is_some() {
            self.claim_count_delta -= 1;
        }
        Ok(())
    }

    /// Writes source record `id`.
    pub(crate) fn put_source(&mut self, store: &Store, id: u64, record: &StoredSource) -> Result<()> {
        let page = id / SOURCES_PER_PAGE;
        let edit = match self.source_pages.entry(page) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(load_page(store, Tree::SourcePages, page, SOURCES_PER_PAGE)?)
            }
        };
        edit.insert(id_slot(id, SOURCES_PER_PAGE), codec::encode_body(record));
        Ok(())
    }

    /// Records relation `from relation to` in both directions.
    pub(crate) fn link(&mut self, from: ClaimId, relation: Relation, to: ClaimId) {
        let (fwd, back) = keys::relation_keys(from, relation, to);
        self.relations.insert(fwd, Some(Vec::new()));
        self.relations.insert(back, Some(Vec::new()));
    }

    /// Removes relation `from relation to` in both directions.
    pub(crate) fn unlink(&mut self, from: ClaimId, relation: Relation, to: ClaimId) {
        let (fwd, back) = keys::relation_keys(from, relation, to);
        self.relations.insert(fwd, None);
        self.relations.insert(back, None);
    }

    /// Sets a meta counter.
    pub(crate) fn set_meta(&mut self, key: &[u8], value: u64) {
        self.meta.insert(key.to_vec(), encode_u64(value));
    }

    /// Whether nothing is staged.
    pub(crate) fn is_empty(&self) -> bool {
        self.claim_pages.is_empty()
            && self.source_pages.is_empty()
            && self.source_names.is_empty()
            && self.relations.is_empty()
            && self.index.is_empty()
            && self.meta.is_empty()
    }

    /// The storage batch that makes every staged change, reading what it
    /// needs from `store` (which must not change before the batch is
    /// written). `flush` may write part of the batch between index pages
    /// (only writes protected by an undo journal may; others pass a no-op).
    pub(crate) fn into_batch(
        self,
        store: &Store,
        mut flush: impl FnMut(&mut WriteBatch) -> Result<()>,
    ) -> Result<WriteBatch> {
        let mut batch = WriteBatch::new();
        for (tree, pages) in [(Tree::ClaimPages, &self.claim_pages), (Tree::SourcePages, &self.source_pages)] {
            for (page, records) in pages {
                let key = page.to_be_bytes().to_vec();
                if records.is_empty() {
                    batch.delete(tree, key);
                } else {
                    let list: Vec<(u8, &[u8])> = records.iter().map(|(s, r)| (*s, r.as_slice())).collect();
                    batch.put(tree, key, encode_id_page(&list));
                }
            }
        }
        packed::stage(store, Tree::SourceNames, &self.source_names, &mut batch, |_| Ok(()))?;
        packed::stage(store, Tree::Relations, &self.relations, &mut batch, |_| Ok(()))?;
        let blocks = self.index.stage(store)?;
        packed::stage(store, Tree::Index, &blocks, &mut batch, &mut flush)?;
        for (key, value) in self.meta {
            batch.put(Tree::Meta, key, value);
        }
        if self.claim_count_delta != 0 {
            let count = match store.get(Tree::Meta, META_CLAIM_COUNT)? {
                Some(b) => keys::decode_u64(&b, "the claim count")?,
                None => 0,
            };
            let count = count.checked_add_signed(self.claim_count_delta).ok_or_else(|| {
                errcorrupt!("the claim count {count} does not match the claims ({:+})", self.claim_count_delta)
            })?;
            batch.put(Tree::Meta, META_CLAIM_COUNT.to_vec(), encode_u64(count));
        }
        Ok(batch)
    }
}
