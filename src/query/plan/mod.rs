//! Plans: how a statement will be answered, decided entirely by the
//! [planner](crate::query::planner) before anything is read.
//!
//! A plan records every choice: which index lookups produce the candidate
//! ids and how they combine ([`IdNode`]: unions, intersections, differences,
//! phrase and relation lookups), what is left to check on each loaded claim,
//! how the results are put in order, how a `limit` is met and how many
//! matched in all is found, and how a count is taken. The executor carries
//! the plan out and decides nothing; `explain` prints the plan's
//! [`Display`](std::fmt::Display) ([`display`]), so it shows exactly what
//! runs.

mod display;

use crate::engine::terms::Term;
use crate::model::{ClaimId, Date, Relation};
use crate::query::ast::{DateRange, Filter, GroupBy, IdRef, Order, PhraseWord, SourcePattern, TrackRecordQuery};
use std::path::PathBuf;

/// What a statement will do.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// `claims …`: the claims, sent one at a time in order.
    Claims(QueryPlan),
    /// `count claims … [per X]`.
    Count(CountPlan),
    /// `claim N`, or `history of claim N` when `history`.
    Claim {
        /// The claim.
        id: IdRef,
        /// Only its status history.
        history: bool,
    },
    /// `sources [pattern]`: every source with its claim count, filtered.
    Sources(SourcePattern),
    /// `track record of …`, `sources ranked by …`.
    TrackRecords {
        /// The claims the records are counted over.
        select: Selection,
        /// The grouping, ranking and cut-offs.
        query: TrackRecordQuery,
    },
    /// `unresolved contradictions`.
    Contradictions,
    /// `export [query] to FILE`.
    Export {
        /// The claims to write, in order.
        query: QueryPlan,
        /// The file.
        path: PathBuf,
    },
    /// A write or an import: one atomic batch, flushed before it returns.
    Write,
}

/// Which claims a query selects: the candidates, and what is checked on
/// each loaded one.
#[derive(Clone, Debug, PartialEq)]
pub struct Selection {
    /// Where the candidates come from.
    pub candidates: Candidates,
    /// Lookups the planner considered and left out: decoding them would
    /// cost more than the loads they save. Shown by `explain`.
    pub skipped: Vec<IdNode>,
    /// Conditions checked on each loaded candidate: what no chosen lookup
    /// answers exactly. Empty when the candidates are the answer.
    pub checks: Vec<Filter>,
    /// Whether the checks read each claim's relations (relation and
    /// corroboration conditions).
    pub checks_need_links: bool,
    /// Whether to build the clusters of claims linked as duplicates before
    /// checking (corroboration questions count a cluster as one claim).
    pub clusters: bool,
    /// Statuses are taken as they stood at the end of this day.
    pub as_of: Option<Date>,
    /// The number of claims when planned (for `explain`).
    pub total: u64,
}

/// Where a query's candidate claims come from.
#[derive(Clone, Debug, PartialEq)]
pub enum Candidates {
    /// Nothing can match, for the reason given.
    Nothing(String),
    /// Every claim, in id order.
    AllById,
    /// Every claim dated within the range, walking the date index in date
    /// order (then id order within a day).
    AllByDate(DateRange),
    /// The ids an index expression yields.
    Ids(IdNode),
}

/// A set of claim ids computed from the indexes, with its estimated size.
#[derive(Clone, Debug, PartialEq)]
pub struct IdNode {
    /// How the ids are found.
    pub set: IdSet,
    /// How many ids it holds, from block headers: an upper bound, or `None`
    /// when only running the lookup tells (relations).
    pub estimate: Option<u64>,
    /// Whether these are exactly the claims meeting the condition it stands
    /// for (otherwise a superset, checked on each loaded claim).
    pub exact: bool,
}

/// The ways a set of ids is found.
#[derive(Clone, Debug, PartialEq)]
pub enum IdSet {
    /// The union of these terms' posting lists (none: the empty set).
    Terms(Vec<Term>),
    /// Every claim with a word starting with this (`negotiat*`).
    WordPrefix(String),
    /// Every claim indexed under any term of this index (the tag byte): every
    /// rated claim, every claim whose source has an affiliation.
    AnyOf(u8),
    /// Claims dated within the range.
    Dates(DateRange),
    /// Claims whose text has these words in a row (a word marked as a prefix
    /// matches every word starting with it), from the text index alone.
    Phrase(Vec<PhraseWord>),
    /// These ids, those that name a stored claim (`id = 7`).
    Existing(Vec<ClaimId>),
    /// Every claim with an id in this inclusive range (`id < 100`).
    IdRange(ClaimId, ClaimId),
    /// The claims related to claim `id`, read from the relation index when
    /// the plan runs (an error then if claim `id` does not exist).
    Related {
        /// The relation.
        relation: Relation,
        /// The other claim, with where it was written.
        id: IdRef,
        /// `true`: claims that `id` has the relation to (`supported by
        /// claim 4`); `false`: claims with the relation to `id`.
        passive: bool,
    },
    /// Every claim linked as a duplicate, either way.
    Duplicates,
    /// Every claim: the union of the status postings (each claim has one
    /// status).
    All,
    /// In any of these.
    Union(Vec<IdNode>),
    /// In all of these.
    Intersect(Vec<IdNode>),
    /// In the first and in none of the others.
    Minus(Box<IdNode>, Vec<IdNode>),
}

/// How the results of a query are put in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Sequence {
    /// The candidates come in the order asked for already (id order from a
    /// sorted id list or the claims tree, date order from the date index).
    AsFound,
    /// Walk the date index within the range, in the direction asked, and
    /// take the candidates as they come: no sort, and it stops at the limit.
    WalkDates(DateRange),
    /// Read the head of each candidate's record (date, status, source, no
    /// full decode), sort the ids by it, then load them in that order.
    SortHeads,
    /// Load and check every candidate, keep the sort key and id of those
    /// that pass, sort, then load them again in that order (the key depends
    /// on the claim's history: status `as of` a day).
    SortChecked,
}

/// How a query with a `limit` finds how many claims matched in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matched {
    /// No limit: every match is returned.
    NotNeeded,
    /// The candidates are exactly the matches: their number, from the ids
    /// (or the block headers for a scan).
    Candidates,
    /// After the limit, keep checking the remaining candidates without
    /// returning them (there are few).
    CheckRest,
    /// Not counted: it would mean loading every remaining candidate.
    NotCounted,
}

/// How a claims query runs.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryPlan {
    /// The claims selected.
    pub select: Selection,
    /// The order asked for.
    pub order: Order,
    /// How that order is produced.
    pub sequence: Sequence,
    /// At most this many results.
    pub limit: Option<u64>,
    /// How the number matched in all is found when the limit cuts.
    pub matched: Matched,
}

/// How a count runs.
#[derive(Clone, Debug, PartialEq)]
pub struct CountPlan {
    /// The claims counted.
    pub select: Selection,
    /// What to count per, if anything.
    pub group: Option<GroupBy>,
    /// How the numbers are found.
    pub method: CountMethod,
    /// At most this many (a count), or the biggest this many groups.
    pub limit: Option<u64>,
}

/// The ways a count is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountMethod {
    /// Sum posting block headers (or the cached claim count): no id is
    /// decoded, no claim loaded. The candidates are every claim, or one
    /// lookup of terms no claim has two of.
    Headers,
    /// Count the candidate ids: no claim is loaded.
    Ids,
    /// Load each candidate and count those that pass the checks.
    Check,
    /// Per group, from the block headers of the grouping's index (no
    /// filter): no claim is loaded but one per name, for its spelling.
    GroupHeaders,
    /// Per group, intersecting the candidate ids with each posting list of
    /// the grouping's index (status, kind) or walking the date index
    /// (month, year): no claim is loaded.
    GroupTerms,
    /// Per group, loading each candidate.
    GroupLoad,
}
