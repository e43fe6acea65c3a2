//! Source records: one record per distinct (name, kind, anonymity,
//! affiliation), found through an identity key that compares names and
//! affiliations case-insensitively.

use super::keys::{decode_u64, encode_u64, identity_key, META_NEXT_SOURCE};
use super::packed;
use super::records::StoredSource;
use super::staged::Staged;
use super::Engine;
use crate::errinput;
use crate::error::Result;
use crate::model::Source;
use crate::storage::Tree;
use std::collections::HashMap;

/// Sources found or created by a write that is not yet written, so that two
/// claims of one write (or one import) with the same source share one
/// record.
#[derive(Default)]
pub(crate) struct PendingSources {
    by_key: HashMap<Vec<u8>, u64>,
    next_id: Option<u64>,
}

impl Engine {
    /// The id of `source`, staging a new record when it is new.
    pub(crate) fn stage_source(
        &self,
        source: &Source,
        pending: &mut PendingSources,
        staged: &mut Staged,
    ) -> Result<u64> {
        let key = identity_key(source);
        if let Some(&id) = pending.by_key.get(&key) {
            return Ok(id);
        }
        if let Some(value) = packed::get(&self.store, Tree::SourceNames, &key)? {
            let id = decode_u64(&value, "a source identity")?;
            pending.by_key.insert(key, id);
            return Ok(id);
        }
        let id = match pending.next_id {
            Some(id) => id,
            None => self.meta_u64(META_NEXT_SOURCE)?.max(1),
        };
        let next = id.checked_add(1).ok_or_else(|| errinput!("no source ids are left"))?;
        pending.next_id = Some(next);
        staged.put_source(&self.store, id, &StoredSource::from_source(source))?;
        staged.source_names.insert(key.clone(), Some(encode_u64(id)));
        staged.set_meta(META_NEXT_SOURCE, next);
        pending.by_key.insert(key, id);
        Ok(id)
    }
}
