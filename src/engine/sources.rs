//! Source records: one record per distinct (name, kind, anonymity,
//! affiliation), found through an identity key that compares names and
//! affiliations case-insensitively.

use super::records::StoredSource;
use super::{Engine, META_NEXT_SOURCE};
use crate::errcorrupt;
use crate::error::Result;
use crate::model::Source;
use crate::storage::keycode::KeyBuilder;
use crate::storage::{codec, Tree, WriteBatch};
use std::collections::HashMap;

/// The identity key of a source in the source-keys tree. It starts with the
/// lower-cased name so that all sources of one name can be found by prefix.
pub(crate) fn identity_key(source: &Source) -> Vec<u8> {
    KeyBuilder::default()
        .str(&source.name.to_lowercase())
        .u8(source.kind.code())
        .u8(u8::from(source.anonymous))
        .str(&source.affiliation.as_deref().unwrap_or("").to_lowercase())
        .build()
}

/// Sources created by a batch that is not yet written, so that two claims of
/// one batch with the same new source share one record.
#[derive(Default)]
pub(crate) struct PendingSources {
    by_key: HashMap<Vec<u8>, u64>,
    next_id: Option<u64>,
}

impl Engine {
    /// The id of `source`, staging a new record in `batch` when it is new.
    pub(crate) fn stage_source(
        &self,
        source: &Source,
        pending: &mut PendingSources,
        batch: &mut WriteBatch,
    ) -> Result<u64> {
        let key = identity_key(source);
        if let Some(&id) = pending.by_key.get(&key) {
            return Ok(id);
        }
        if let Some(value) = self.store.get(Tree::SourceKeys, &key)? {
            let id = u64::from_be_bytes(value[..].try_into().map_err(|_| errcorrupt!("source key value is damaged"))?);
            pending.by_key.insert(key, id);
            return Ok(id);
        }
        let id = match pending.next_id {
            Some(id) => id,
            None => self.meta_u64(META_NEXT_SOURCE)?.max(1),
        };
        pending.next_id = Some(id + 1);
        batch.put(Tree::Sources, id.to_be_bytes().to_vec(), codec::encode(&StoredSource::from_source(source)));
        batch.put(Tree::SourceKeys, key.clone(), id.to_be_bytes().to_vec());
        batch.put(Tree::Meta, META_NEXT_SOURCE.to_vec(), (id + 1).to_be_bytes().to_vec());
        pending.by_key.insert(key, id);
        Ok(id)
    }
}
