//! Plans: how a query will be answered. The planner builds them, the
//! executor runs them and `explain` prints them.

use crate::engine::terms::Term;
use crate::model::{ClaimId, Date};
use crate::query::ast::{DateRange, Filter, GroupBy, Order};

/// A set of claim ids that an index can produce.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    /// The union of these terms' posting lists.
    Terms(Vec<Term>),
    /// Every word starting with this stem (`negotiat*`).
    Stem(String),
    /// Claims dated within the range, from the date index.
    Dates(DateRange),
    /// These ids (from relations or `id = N`).
    Ids(Vec<ClaimId>),
    /// Any of these.
    Union(Vec<Lookup>),
    /// All of these.
    Intersect(Vec<Lookup>),
}

impl Lookup {
    /// A one-line description for `explain`.
    pub fn describe(&self) -> String {
        match self {
            Lookup::Terms(terms) => {
                let parts: Vec<String> = terms.iter().map(Term::describe).collect();
                if parts.is_empty() {
                    "nothing (no such name)".into()
                } else {
                    format!("{} index: {}", terms[0].index_name(), parts.join(" | "))
                }
            }
            Lookup::Stem(stem) => format!("text words index: words starting with {stem:?}"),
            Lookup::Dates(r) => format!("date index: {}", describe_range(r)),
            Lookup::Ids(ids) => format!("ids {}", ids.iter().map(|i| format!("#{i}")).collect::<Vec<_>>().join(", ")),
            Lookup::Union(parts) => {
                format!("union of ({})", parts.iter().map(Lookup::describe).collect::<Vec<_>>().join("; "))
            }
            Lookup::Intersect(parts) => {
                format!("intersection of ({})", parts.iter().map(Lookup::describe).collect::<Vec<_>>().join("; "))
            }
        }
    }
}

/// A date range written for people: `2024-11-02 ..`, `.. 2024-10-31`.
pub fn describe_range(r: &DateRange) -> String {
    let show = |d: Option<Date>| d.map_or(String::new(), |d| d.to_string());
    if r.from.is_some() && r.from == r.to {
        return show(r.from);
    }
    format!("{} .. {}", show(r.from), show(r.to)).trim().to_string()
}

/// One index lookup the planner considered, with its estimated size.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// The lookup.
    pub lookup: Lookup,
    /// Estimated number of ids it yields.
    pub estimate: u64,
    /// Whether the lookup answers its filter exactly (no re-check needed).
    pub exact: bool,
    /// The filters it answers (indexes into the query's filters): one,
    /// or several for a composite index.
    pub covers: Vec<usize>,
}

/// How the candidate claims are found.
#[derive(Clone, Debug, PartialEq)]
pub enum Access {
    /// Walk every claim in date order (within a date range, if any),
    /// stopping early at the limit.
    DateScan(DateRange),
    /// Walk every claim in id order.
    IdScan,
    /// Intersect these index lookups (smallest first).
    Index(Vec<Candidate>),
    /// The filters contradict each other: nothing can match.
    Nothing(String),
}

/// How a claims query or count will run.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// How candidates are found.
    pub access: Access,
    /// Lookups the planner decided not to use (too large to be worth it).
    pub skipped: Vec<Candidate>,
    /// Filters checked on each loaded claim.
    pub residual: Vec<Filter>,
    /// Result order.
    pub order: Order,
    /// At most this many results.
    pub limit: Option<u64>,
    /// Evaluate statuses as of this day.
    pub as_of: Option<Date>,
    /// For counts: what to group by.
    pub group: Option<GroupBy>,
    /// For counts: whether the answer comes from index counts alone.
    pub counts_from_index: bool,
    /// Whether to walk the date index in order and keep the candidates met,
    /// instead of loading every candidate and sorting (good for a small
    /// limit over many candidates).
    pub ordered_walk: bool,
    /// The number of claims in the database when planned.
    pub total: u64,
    /// Whether the plan counts claims rather than returning them.
    pub counting: bool,
    /// The dates every result lies within (all date filters together): an
    /// ordered walk of the date index covers only these.
    pub dates: DateRange,
}
