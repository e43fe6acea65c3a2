//! The planner: decides how a statement will be answered, and records every
//! decision in a [`Plan`].
//!
//! A query's filters are taken apart into conjuncts (clauses, and the
//! operands of a top-level `and` in `where`), repeats merged. For each,
//! [`conditions`] builds the id expression the indexes give, exact or a
//! superset, with its size estimated from block headers. The smallest is
//! the base; each other is intersected (or, for `not …`, subtracted) while
//! decoding it costs less than loading the claims it rules out; what no
//! chosen lookup answers exactly is checked on each loaded claim. Then the
//! planner picks how the order is produced (the candidates' own order, a
//! walk of the date index, or a sort of record heads), how a limit's "how
//! many matched" is found, and how a count is taken.
//!
//! The planner reads block headers (sizes) and name keys (a source name
//! becomes source ids, as a word becomes a term), never a claim and never
//! a posting list: the executor does that, following the plan.

mod conditions;
#[cfg(test)]
mod tests;

use crate::engine::terms::{self, Term};
use crate::engine::Engine;
use crate::error::Result;
use crate::query::ast::{DateRange, Expr, Filter, GroupBy, Order, OrderKey, Query, Statement};
use crate::query::plan::{
    Candidates, CountMethod, CountPlan, IdNode, IdSet, Matched, Plan, QueryPlan, Selection, Sequence,
};
use chrono::Datelike;
pub use conditions::phrase_words;
use conditions::{intersect, Estimator};
use std::collections::HashSet;

/// Loading (and checking) a claim costs about as much as decoding this many
/// ids from posting blocks: a lookup is worth applying while the ids it
/// decodes are fewer than this many times the loads it saves.
const LOAD_COST: f64 = 500.0;

/// Reading the head of a record costs about as much as decoding and
/// testing this many ids on a walk of the date index.
const HEAD_COST: u64 = 32;

/// With a limit and a check, how many matched in all is found by checking
/// every candidate when there are at most this many (or twice the limit).
const CHECK_REST_MAX: u64 = 1_000;

/// A base lookup that is only a superset is not worth it above this share
/// of all claims: a scan loads hardly more.
const SUPERSET_SHARE: f64 = 0.9;

/// Plans a statement. Writes get [`Plan::Write`]: they run as one call of
/// the engine's write API each.
pub fn plan(engine: &Engine, statement: &Statement) -> Result<Plan> {
    Ok(match statement {
        Statement::Claims(query) => Plan::Claims(plan_query(engine, query)?),
        Statement::Count { query, per } => Plan::Count(plan_count(engine, query, *per)?),
        Statement::Show(id) => Plan::Claim { id: *id, history: false },
        Statement::History(id) => Plan::Claim { id: *id, history: true },
        Statement::Sources(pattern) => Plan::Sources(pattern.clone()),
        Statement::Explain(inner) => {
            // `explain explain …` explains the statement itself.
            let mut inner = &**inner;
            while let Statement::Explain(next) = inner {
                inner = next;
            }
            plan(engine, inner)?
        }
        Statement::TrackRecords(q) => {
            let query = track_record_query(q);
            Plan::TrackRecords { select: select(engine, &query, Purpose::LoadAll, None)?.0, query: q.clone() }
        }
        Statement::Contradictions => Plan::Contradictions,
        Statement::Export { query, path } => Plan::Export { query: plan_query(engine, query)?, path: path.clone() },
        _ => Plan::Write,
    })
}

/// The claims a track-record question counts over.
fn track_record_query(q: &crate::query::ast::TrackRecordQuery) -> Query {
    let mut filters = Vec::new();
    if let Some(p) = &q.subject {
        filters.push(Filter::Source(p.clone()));
    }
    if q.dates.from.is_some() || q.dates.to.is_some() {
        filters.push(Filter::Date(q.dates));
    }
    Query { filters, ..Default::default() }
}

/// What the claims selected are for: it changes what a lookup saves.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// Returned in order, up to a limit: a lookup saves the loads of the
    /// candidates it rules out.
    List,
    /// Counted: when every condition has an exact lookup, applying them all
    /// saves every load.
    Count,
    /// Every claim selected is loaded anyway (groups that need the claim,
    /// track records): as for a list.
    LoadAll,
}

/// Plans a claims query.
pub fn plan_query(engine: &Engine, query: &Query) -> Result<QueryPlan> {
    let order = query.order.unwrap_or(Order { key: OrderKey::Date, descending: false });
    let (select, dates) = select(engine, query, Purpose::List, Some(order.key))?;
    let sequence = sequence(engine, &select, order, query.limit, dates)?;
    let matched = match (query.limit, &select.candidates) {
        (None, _) | (_, Candidates::Nothing(_)) => Matched::NotNeeded,
        (Some(_), _) if select.checks.is_empty() => Matched::Candidates,
        // Every candidate is checked before the sort anyway.
        (Some(_), _) if sequence == Sequence::SortChecked => Matched::CheckRest,
        (Some(limit), c) => {
            let candidates = match c {
                Candidates::Ids(node) => node.estimate.unwrap_or(0),
                _ => u64::MAX,
            };
            if candidates <= CHECK_REST_MAX.max(limit.saturating_mul(2)) {
                Matched::CheckRest
            } else {
                Matched::NotCounted
            }
        }
    };
    Ok(QueryPlan { select, order, sequence, limit: query.limit, matched })
}

/// Plans a count.
pub fn plan_count(engine: &Engine, query: &Query, group: Option<GroupBy>) -> Result<CountPlan> {
    // Groups that need the claims themselves load every candidate anyway.
    let from_ids = match group {
        None | Some(GroupBy::Kind | GroupBy::Month | GroupBy::Year) => true,
        Some(GroupBy::Status) => query.as_of.is_none(),
        Some(_) => false,
    };
    let purpose = if from_ids { Purpose::Count } else { Purpose::LoadAll };
    let (select, _) = select(engine, query, purpose, None)?;
    let exact = select.checks.is_empty();
    let method = match (&select.candidates, group) {
        (Candidates::Nothing(_), _) => CountMethod::Ids,
        (_, Some(_)) if query.filters.is_empty() && query.as_of.is_none() => CountMethod::GroupHeaders,
        (Candidates::Ids(_), Some(_)) if exact && from_ids => CountMethod::GroupTerms,
        (_, Some(_)) => CountMethod::GroupLoad,
        (Candidates::AllById | Candidates::AllByDate(_), None) if exact => CountMethod::Headers,
        (Candidates::Ids(node), None) if exact && counted_by_headers(node) => CountMethod::Headers,
        (Candidates::Ids(_), None) if exact => CountMethod::Ids,
        (_, None) => CountMethod::Check,
    };
    Ok(CountPlan { select, group, method, limit: query.limit })
}

/// Whether a node's size is the sum of its block headers: one lookup whose
/// terms no claim has two of (one status, one date, one source...).
fn counted_by_headers(node: &IdNode) -> bool {
    match &node.set {
        IdSet::Dates(_) => true,
        IdSet::Terms(terms) => terms.len() <= 1 || terms.iter().all(single_valued),
        _ => false,
    }
}

/// Whether a claim is indexed under at most one term of this term's index.
fn single_valued(term: &Term) -> bool {
    matches!(
        term,
        Term::Date(_)
            | Term::Source(_)
            | Term::Kind(..)
            | Term::Status(_)
            | Term::Rating(_)
            | Term::Affiliation(_)
            | Term::OutletCount(_)
            | Term::StatusMonth(..)
    )
}

/// One condition of the query and what the indexes say about it.
struct Conjunct {
    filter: Filter,
    node: Option<IdNode>,
}

/// The query's conditions as a flat list of conjuncts: clauses, and the
/// operands of `and` at the top of a `where` (nested `and`s too), each
/// written the same way only once; the date clauses as one range, in the
/// place of the first. `as of D` adds "made by D".
fn conjuncts(query: &Query) -> Vec<Filter> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut push = |f: Filter, out: &mut Vec<Filter>| {
        if seen.insert(format!("{f:?}")) {
            out.push(f);
        }
    };
    let mut extra = Vec::new();
    if let Some(day) = query.as_of {
        // Claims not made yet on that day do not exist as of it.
        extra.push(Filter::Date(DateRange { from: None, to: Some(day) }));
    }
    let dates = combined_range(query.filters.iter().chain(&extra));
    let mut dates_placed = false;
    for filter in query.filters.iter().chain(&extra) {
        match filter {
            Filter::Date(_) if dates_placed => {}
            Filter::Date(_) => {
                dates_placed = true;
                push(Filter::Date(dates), &mut out);
            }
            Filter::Where(Expr::And(parts)) => {
                let mut stack: Vec<&Expr> = parts.iter().rev().collect();
                while let Some(e) = stack.pop() {
                    match e {
                        Expr::And(inner) => stack.extend(inner.iter().rev()),
                        other => push(Filter::Where(other.clone()), &mut out),
                    }
                }
            }
            other => push(other.clone(), &mut out),
        }
    }
    out
}

/// The intersection of every date filter: where every result's date lies.
fn combined_range<'a>(filters: impl IntoIterator<Item = &'a Filter>) -> DateRange {
    filters.into_iter().fold(DateRange::default(), |range, f| match f {
        Filter::Date(r) => range.intersect(*r),
        _ => range,
    })
}

/// Chooses the candidates and the checks. `order` is the order wanted for
/// a list (a walk of the date index then answers date filters itself).
/// Returns the selection and the range every result's date lies in.
fn select(engine: &Engine, query: &Query, purpose: Purpose, order: Option<OrderKey>) -> Result<(Selection, DateRange)> {
    let total = engine.claim_count()?;
    let filters = conjuncts(query);
    let dates = combined_range(&filters);
    let mut selection = Selection {
        candidates: Candidates::AllById,
        skipped: Vec::new(),
        checks: Vec::new(),
        checks_need_links: false,
        clusters: false,
        as_of: query.as_of,
        total,
    };
    if let (Some(from), Some(to)) = (dates.from, dates.to) {
        if from > to {
            selection.candidates = Candidates::Nothing(format!("the dates exclude each other ({from} > {to})"));
            return Ok((selection, dates));
        }
    }
    let estimator = Estimator { engine, total, as_of: query.as_of.is_some() };
    let mut all = Vec::new();
    for filter in filters {
        let node = estimator.filter(&filter)?;
        all.push(Conjunct { filter, node });
    }
    let all_exact = all.iter().all(|c| c.node.as_ref().is_some_and(|n| n.exact));
    let counting = purpose == Purpose::Count && all_exact;

    let mut lookups: Vec<Lookup> = all
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.node.clone().map(|node| Lookup { node, covers: vec![i] }))
        .collect();
    if let Some(composite) = status_by_month(&estimator, &all)? {
        lookups.push(composite);
    }
    // Positive lookups by size (relations, of unknown size, first: they are
    // small); then the negated ones, `not X`, which subtract X, the one
    // leaving fewest claims first (with no positive lookup it is the base).
    let (mut positives, mut negatives): (Vec<Lookup>, Vec<Lookup>) =
        lookups.into_iter().partition(|l| negated(&l.node).is_none());
    let size = |l: &Lookup| l.node.estimate.unwrap_or(0);
    positives.sort_by_key(size);
    negatives.sort_by_key(size);

    let mut chosen: Vec<Lookup> = Vec::new();
    let mut subtracted: Vec<Lookup> = Vec::new();
    let mut expected = total;
    let share = |n: u64| if total == 0 { 1.0 } else { n as f64 / total as f64 };
    // Whether decoding `cost` ids is worth ruling out `removed` of the
    // `expected` candidates (for an exact count, every load is saved).
    let worth = |cost: u64, removed: f64, expected: u64| {
        let saved = if counting { expected as f64 } else { removed };
        (cost as f64) <= LOAD_COST * saved
    };
    for l in positives {
        // A lookup whose conjuncts a chosen one answers exactly adds
        // nothing (the status-by-month index makes status and date
        // lookups redundant).
        if l.covers.iter().all(|i| answers(&chosen, *i)) {
            continue;
        }
        let n = size(&l);
        let take = if chosen.is_empty() {
            l.node.exact || share(n) < SUPERSET_SHARE
        } else {
            worth(n, expected as f64 * (1.0 - share(n)), expected)
        };
        if take {
            expected = if chosen.is_empty() { n } else { (expected as f64 * share(n)).ceil() as u64 };
            chosen.push(l);
        } else {
            selection.skipped.push(l.node);
        }
    }
    for l in negatives {
        let removed_ids: u64 = negated(&l.node).map_or(0, |x| x.iter().filter_map(|n| n.estimate).sum());
        let take = chosen.is_empty() && subtracted.is_empty()
            || worth(removed_ids, expected as f64 * share(removed_ids), expected);
        if take {
            expected = l.node.estimate.map_or(expected, |n| n.min(expected));
            subtracted.push(l);
        } else {
            selection.skipped.push(l.node);
        }
    }

    let answered: HashSet<usize> =
        chosen.iter().chain(&subtracted).filter(|l| l.node.exact).flat_map(|l| l.covers.iter().copied()).collect();
    let node = combine(chosen, subtracted, total);
    let mut checks: Vec<Filter> = Vec::new();
    let mut dates_answered = false;
    selection.candidates = match node {
        None => {
            // No lookup: walk the date index when the order or the dates
            // make it the better scan; it answers the date filters itself.
            let by_date = match order {
                Some(OrderKey::Date) => true,
                Some(_) => false,
                None => dates.from.is_some() || dates.to.is_some(),
            };
            if by_date {
                dates_answered = true;
                Candidates::AllByDate(dates)
            } else {
                Candidates::AllById
            }
        }
        // The date index alone, for a list in date order: walk it. (It
        // answers its own conjunct, already counted as answered; a date
        // clause it does not cover stays a check.)
        Some(IdNode { set: IdSet::Dates(range), .. }) if order == Some(OrderKey::Date) => Candidates::AllByDate(range),
        Some(node) => Candidates::Ids(node),
    };
    for (i, c) in all.into_iter().enumerate() {
        let answered_by_walk = dates_answered && matches!(c.filter, Filter::Date(_));
        if !answered.contains(&i) && !answered_by_walk {
            checks.push(c.filter);
        }
    }
    selection.checks_need_links = checks.iter().any(needs_links);
    selection.clusters = checks.iter().any(needs_clusters);
    selection.checks = checks;
    Ok((selection, dates))
}

/// For `not X` (every claim minus X): the X.
fn negated(node: &IdNode) -> Option<&[IdNode]> {
    match &node.set {
        IdSet::Minus(first, rest) if first.set == IdSet::All => Some(rest),
        _ => None,
    }
}

/// A lookup the planner may use, and the conjuncts it stands for: it
/// answers them when its node is exact, else it narrows them.
struct Lookup {
    node: IdNode,
    covers: Vec<usize>,
}

/// Whether a chosen lookup answers conjunct `i` exactly.
fn answers(chosen: &[Lookup], i: usize) -> bool {
    chosen.iter().any(|l| l.node.exact && l.covers.contains(&i))
}

/// The most months the status-by-month index is used for.
const MAX_MONTHS: i32 = 36;

/// The composite lookup for a current status within a bounded date range:
/// the status-by-month index answers both at once, exactly when the range
/// is whole months (otherwise it answers the status and narrows the dates).
fn status_by_month(estimator: &Estimator<'_>, all: &[Conjunct]) -> Result<Option<Lookup>> {
    if estimator.as_of {
        return Ok(None);
    }
    let status = all.iter().enumerate().find_map(|(i, c)| match &c.filter {
        Filter::Status(list) => Some((i, list)),
        _ => None,
    });
    let dates = all.iter().enumerate().find_map(|(i, c)| match &c.filter {
        Filter::Date(DateRange { from: Some(from), to: Some(to) }) => Some((i, *from, *to)),
        _ => None,
    });
    let (Some((status_at, statuses)), Some((dates_at, from, to))) = (status, dates) else { return Ok(None) };
    let (first, last) = (terms::month_number(from), terms::month_number(to));
    if last - first >= MAX_MONTHS {
        return Ok(None);
    }
    let terms: Vec<Term> =
        statuses.iter().flat_map(|s| (first..=last).map(move |m| Term::StatusMonth(*s, m))).collect();
    let whole_months = from.day() == 1 && to.succ_opt().is_none_or(|next| next.day() == 1);
    let covers = if whole_months { vec![status_at, dates_at] } else { vec![status_at] };
    Ok(Some(Lookup { node: estimator.leaf(IdSet::Terms(terms), true)?, covers }))
}

/// The candidate ids: the chosen positive lookups intersected, the chosen
/// negated ones subtracted (from every claim when no positive was chosen).
fn combine(chosen: Vec<Lookup>, subtracted: Vec<Lookup>, total: u64) -> Option<IdNode> {
    let exact = chosen.iter().chain(&subtracted).all(|l| l.node.exact);
    let mut removed: Vec<IdNode> = Vec::new();
    let mut negations = subtracted.into_iter().map(|l| l.node);
    let mut base = if chosen.is_empty() {
        let first = negations.next()?;
        let IdSet::Minus(all_claims, rest) = first.set else { return Some(first) };
        removed.extend(rest);
        *all_claims
    } else {
        intersect(chosen.into_iter().map(|l| l.node).collect(), exact)
    };
    for n in negations {
        if let IdSet::Minus(_, rest) = n.set {
            removed.extend(rest);
        }
    }
    if removed.is_empty() {
        base.exact = exact;
        return Some(base);
    }
    let gone: u64 = removed.iter().filter_map(|n| n.estimate).sum();
    let estimate = match base.set {
        IdSet::All => Some(total.saturating_sub(gone)),
        _ => base.estimate,
    };
    Some(IdNode { set: IdSet::Minus(Box::new(base), removed), estimate, exact })
}

/// Whether checking the filter on a claim needs its relations.
fn needs_links(filter: &Filter) -> bool {
    matches!(filter, Filter::Related { .. })
}

/// Whether checking the filter needs the clusters of duplicates.
fn needs_clusters(filter: &Filter) -> bool {
    matches!(filter, Filter::MinOutlets(_) | Filter::OnlyOutlet(_) | Filter::OnlyAnonymousSources)
}

/// How a list's order is produced.
fn sequence(
    engine: &Engine,
    select: &Selection,
    order: Order,
    limit: Option<u64>,
    dates: DateRange,
) -> Result<Sequence> {
    // A status order as of a day needs each claim's history.
    let status_then = order.key == OrderKey::Status && select.as_of.is_some();
    Ok(match (&select.candidates, order.key) {
        (Candidates::Nothing(_), _) | (Candidates::AllByDate(_), OrderKey::Date) => Sequence::AsFound,
        (_, OrderKey::Id) => Sequence::AsFound,
        _ if status_then => Sequence::SortChecked,
        (Candidates::Ids(node), OrderKey::Date) => {
            // Walking the date index decodes every id in the range (up to
            // where the limit is met); sorting reads one head per candidate.
            let candidates = node.estimate.unwrap_or(1).max(1);
            let range = match (dates.from, dates.to) {
                (None, None) => select.total,
                (from, to) => engine.count_dates(from, to)?,
            };
            let walk = match limit {
                Some(l) => range.min(l.saturating_mul(range) / candidates),
                None => range,
            };
            if walk <= candidates.saturating_mul(HEAD_COST) {
                Sequence::WalkDates(dates)
            } else {
                Sequence::SortHeads
            }
        }
        _ => Sequence::SortHeads,
    })
}
