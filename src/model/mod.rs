//! The data model: claims, sources, statuses, kinds and relations, as the
//! embedding API and the query language see them. How they are stored is the
//! business of [`crate::engine`].

mod claim;
pub mod date;
mod validate;
mod vocab;

pub use claim::{
    current_status, latest_entry, Change, Claim, ClaimId, Evidence, HistoryEntry, Link, NewClaim, Source, SourceCount,
};
pub use date::Date;
pub use validate::{
    check_list_len, clean_list, clean_optional, clean_text, MAX_LIST_ITEMS, MAX_NAME_BYTES, MAX_TEXT_BYTES,
};
pub use vocab::{closest, Kind, Relation, Status};
