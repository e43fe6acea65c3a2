//! Running a plan: producing candidate ids from indexes, loading claims,
//! checking the residual filters, ordering, stopping at the limit, and
//! counting (from index headers when the plan allows).

use super::filter::{matches_all, needs_cluster, Cluster, FilterContext};
use crate::engine::postings;
use crate::engine::terms::{self, Term};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::model::{Claim, ClaimId};
use crate::query::ast::{Filter, GroupBy, OrderKey};
use crate::query::plan::{Access, Candidate, Lookup, Plan};
use crate::query::Context;
use std::cmp::Ordering as CmpOrdering;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;

/// How often (in claims loaded) to look at the cancellation flag.
const CANCEL_CHECK_EVERY: usize = 256;

/// The ids a lookup yields, sorted and without repeats.
pub fn lookup_ids(engine: &Engine, lookup: &Lookup) -> Result<Vec<ClaimId>> {
    Ok(match lookup {
        Lookup::Terms(terms) if terms.len() == 1 => engine.postings(&terms[0])?,
        Lookup::Terms(terms) => {
            let mut all = Vec::new();
            for t in terms {
                all.extend(engine.postings(t)?);
            }
            postings::normalize(all)
        }
        Lookup::Stem(stem) => engine.postings_under(&Term::word_stem_prefix(stem))?,
        Lookup::Dates(r) => {
            let from = r.from.map(crate::model::date::to_day_number);
            let to = r.to.map(crate::model::date::to_day_number);
            let mut all = Vec::new();
            for block in engine.date_blocks(from, to, false) {
                all.extend(block?.1);
            }
            postings::normalize(all)
        }
        Lookup::Ids(ids) => postings::normalize(ids.clone()),
        Lookup::Union(parts) => {
            let mut all = Vec::new();
            for p in parts {
                all.extend(lookup_ids(engine, p)?);
            }
            postings::normalize(all)
        }
        Lookup::Intersect(parts) => intersect_all(engine, parts.iter())?,
    })
}

fn intersect_all<'a>(engine: &Engine, mut parts: impl Iterator<Item = &'a Lookup>) -> Result<Vec<ClaimId>> {
    let Some(first) = parts.next() else {
        return Ok(Vec::new());
    };
    let mut ids = lookup_ids(engine, first)?;
    for p in parts {
        if ids.is_empty() {
            break;
        }
        ids = postings::intersect(&ids, &lookup_ids(engine, p)?);
    }
    Ok(ids)
}

/// The candidate ids of an index plan (the chosen lookups intersected,
/// smallest first).
pub fn candidate_ids(engine: &Engine, chosen: &[Candidate]) -> Result<Vec<ClaimId>> {
    intersect_all(engine, chosen.iter().map(|c| &c.lookup))
}

/// Loads claims and checks the residual filters.
struct Loader<'a> {
    engine: &'a Engine,
    filters: Vec<(usize, &'a Filter)>,
    cx: FilterContext<'a>,
    context: &'a Context<'a>,
    loaded: usize,
    /// Whether the filters ask about corroboration (clusters of duplicates).
    wants_cluster: bool,
    /// Whether the claims returned need their relations (not for counts).
    with_links: bool,
}

impl<'a> Loader<'a> {
    /// The claim with the claims linked to it as duplicates, transitively.
    fn cluster(&self, claim: &Claim) -> Result<Cluster> {
        let linked = |c: &Claim| {
            c.relations.iter().chain(&c.linked_from).any(|l| l.relation == crate::model::Relation::Duplicates)
        };
        if !linked(claim) {
            return Ok(Cluster::of(claim, std::slice::from_ref(claim)));
        }
        let mut members = vec![claim.clone()];
        let mut queue = vec![claim.clone()];
        while let Some(c) = queue.pop() {
            for link in c.relations.iter().chain(&c.linked_from) {
                if link.relation != crate::model::Relation::Duplicates || members.iter().any(|m| m.id == link.claim) {
                    continue;
                }
                if let Some(other) = self.engine.claim(link.claim)? {
                    members.push(other.clone());
                    queue.push(other);
                }
            }
        }
        Ok(Cluster::of(claim, &members))
    }

    /// The claim `id` if it exists and passes the filters.
    fn load(&mut self, id: ClaimId) -> Result<Option<Claim>> {
        self.loaded += 1;
        if self.loaded.is_multiple_of(CANCEL_CHECK_EVERY) && self.context.cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        // Relations are read only when needed: for clusters of duplicates,
        // and for claims that pass the filters and are returned.
        let Some(mut claim) = self.engine.claim_without_links(id)? else {
            return Ok(None);
        };
        let mut linked = false;
        self.cx.cluster = match self.wants_cluster {
            true => {
                self.engine.attach_links(&mut claim)?;
                linked = true;
                Some(self.cluster(&claim)?)
            }
            false => None,
        };
        if !matches_all(&claim, &self.filters, &self.cx) {
            return Ok(None);
        }
        if self.with_links && !linked {
            self.engine.attach_links(&mut claim)?;
        }
        Ok(Some(match self.cx.as_of {
            Some(day) => as_of(claim, day),
            None => claim,
        }))
    }
}

/// Sets of ids for the `Related` filters among the residual ones.
fn related_sets(engine: &Engine, residual: &[Filter]) -> Result<Vec<(usize, HashSet<u64>)>> {
    let mut out = Vec::new();
    for (i, f) in residual.iter().enumerate() {
        if let Filter::Related { relation, id, passive } = f {
            let ids = crate::query::planner::related_ids(engine, *relation, id.id, *passive)?;
            out.push((i, ids.into_iter().collect()));
        }
    }
    Ok(out)
}

/// Runs a plan and calls `emit` with each matching claim in the plan's
/// order until it returns false. Plans whose order needs a sort collect
/// first; the others stream.
fn for_each_match(
    engine: &Engine,
    plan: &Plan,
    context: &Context<'_>,
    mut emit: impl FnMut(Claim) -> bool,
) -> Result<()> {
    let related = related_sets(engine, &plan.residual)?;
    let mut loader = Loader {
        engine,
        filters: plan.residual.iter().enumerate().collect(),
        cx: FilterContext { as_of: plan.as_of, today: context.today, related: &related, cluster: None },
        wants_cluster: plan.residual.iter().any(needs_cluster),
        with_links: plan.group.is_none() && !plan.counting,
        context,
        loaded: 0,
    };
    let descending = plan.order.descending;
    match &plan.access {
        Access::Nothing(_) => {}
        Access::DateScan(range) => {
            let from = range.from.map(crate::model::date::to_day_number);
            let to = range.to.map(crate::model::date::to_day_number);
            'days: for block in engine.date_blocks(from, to, descending) {
                for id in block?.1 {
                    if let Some(claim) = loader.load(id)? {
                        if !emit(claim) {
                            break 'days;
                        }
                    }
                }
            }
        }
        Access::IdScan => {
            for id in engine.claim_ids(descending) {
                if let Some(claim) = loader.load(id?)? {
                    if !emit(claim) {
                        break;
                    }
                }
            }
        }
        Access::Index(chosen) => {
            let ids = candidate_ids(engine, chosen)?;
            if plan.ordered_walk {
                let range = plan.dates;
                let from = range.from.map(crate::model::date::to_day_number);
                let to = range.to.map(crate::model::date::to_day_number);
                'walk: for block in engine.date_blocks(from, to, descending) {
                    for id in block?.1 {
                        if ids.binary_search(&id).is_ok() {
                            if let Some(claim) = loader.load(id)? {
                                if !emit(claim) {
                                    break 'walk;
                                }
                            }
                        }
                    }
                }
            } else {
                let iter: Box<dyn Iterator<Item = &ClaimId>> =
                    if descending { Box::new(ids.iter().rev()) } else { Box::new(ids.iter()) };
                for &id in iter {
                    if let Some(claim) = loader.load(id)? {
                        if !emit(claim) {
                            break;
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// Whether the plan produces claims already in the requested order.
fn streams_in_order(plan: &Plan) -> bool {
    match plan.access {
        Access::DateScan(_) => true,
        Access::Index(_) if plan.ordered_walk => true,
        Access::IdScan | Access::Index(_) => plan.order.key == OrderKey::Id,
        Access::Nothing(_) => true,
    }
}

/// Compares claims in the plan's order.
fn compare(plan: &Plan, a: &Claim, b: &Claim) -> CmpOrdering {
    let by_date = || a.date.cmp(&b.date).then(a.id.cmp(&b.id));
    let ordering = match plan.order.key {
        OrderKey::Date => by_date(),
        OrderKey::Id => a.id.cmp(&b.id),
        OrderKey::Status => a.status.cmp(&b.status).then_with(by_date),
        OrderKey::Source => a.source.name.to_lowercase().cmp(&b.source.name.to_lowercase()).then_with(by_date),
    };
    if plan.order.descending {
        ordering.reverse()
    } else {
        ordering
    }
}

/// A claim as it stood at the end of `day`: its status then, and only the
/// history up to that day.
fn as_of(mut claim: Claim, day: crate::model::Date) -> Claim {
    if let Some(status) = claim.status_as_of(day) {
        claim.status = status;
    }
    claim.history.retain(|h| h.date <= day);
    claim
}

/// The claims a plan selects, in order, at most `limit` of them. With `as
/// of`, each claim is shown as it stood on that day.
pub fn claims(engine: &Engine, plan: &Plan, context: &Context<'_>) -> Result<Vec<Claim>> {
    let limit = plan.limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    if limit == 0 {
        return Ok(Vec::new());
    }
    if let Some(out) = few_by_date(engine, plan, context, limit)? {
        return Ok(out);
    }
    let mut out = Vec::new();
    if streams_in_order(plan) {
        for_each_match(engine, plan, context, |c| {
            out.push(c);
            out.len() < limit
        })?;
    } else {
        for_each_match(engine, plan, context, |c| {
            out.push(c);
            true
        })?;
        out.sort_by(|a, b| compare(plan, a, b));
        out.truncate(limit);
    }
    Ok(out)
}

/// A limit over candidates that need no further check, in date order: the
/// candidates are ordered by reading only the head of each record (its
/// date), and only the claims returned are loaded in full.
fn few_by_date(engine: &Engine, plan: &Plan, context: &Context<'_>, limit: usize) -> Result<Option<Vec<Claim>>> {
    let Access::Index(chosen) = &plan.access else { return Ok(None) };
    if plan.ordered_walk || plan.order.key != OrderKey::Date || limit == usize::MAX || !plan.residual.is_empty() {
        return Ok(None);
    }
    let ids = candidate_ids(engine, chosen)?;
    if ids.len() <= limit {
        return Ok(None);
    }
    let mut dated = Vec::with_capacity(ids.len());
    for (n, id) in ids.into_iter().enumerate() {
        if n.is_multiple_of(CANCEL_CHECK_EVERY) && context.cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        if let Some(head) = engine.claim_head(id)? {
            dated.push((head.date, id));
        }
    }
    if plan.order.descending {
        dated.sort_unstable_by(|a, b| b.cmp(a));
    } else {
        dated.sort_unstable();
    }
    let mut out = Vec::with_capacity(limit);
    for (_, id) in dated.into_iter().take(limit) {
        if let Some(claim) = engine.claim(id)? {
            out.push(match plan.as_of {
                Some(day) => as_of(claim, day),
                None => claim,
            });
        }
    }
    Ok(Some(out))
}

/// The number of claims a plan selects (at most `limit`, if one is given).
pub fn count(engine: &Engine, plan: &Plan, context: &Context<'_>) -> Result<u64> {
    let cap = plan.limit.unwrap_or(u64::MAX);
    let n = match &plan.access {
        Access::Nothing(_) => 0,
        Access::Index(chosen) if plan.residual.is_empty() => candidate_ids(engine, chosen)?.len() as u64,
        Access::IdScan | Access::DateScan(_) if plan.residual.is_empty() => plan.total,
        _ => {
            let mut n = 0;
            for_each_match(engine, plan, context, |_| {
                n += 1;
                n < cap
            })?;
            n
        }
    };
    Ok(n.min(cap))
}

/// Counts per value of a grouping, biggest first (ties by value).
pub fn groups(engine: &Engine, plan: &Plan, context: &Context<'_>) -> Result<Vec<(Option<String>, u64)>> {
    let group = plan.group.unwrap_or(GroupBy::Status);
    let mut rows = if plan.counts_from_index {
        groups_from_index(engine, group, plan.total)?
    } else {
        let mut counts: HashMap<String, (String, ClaimId, u64)> = HashMap::new();
        let cx_as_of = plan.as_of;
        for_each_match(engine, plan, context, |claim| {
            for value in group_values(&claim, group, cx_as_of) {
                let entry = counts.entry(value.to_lowercase()).or_insert_with(|| (value.clone(), claim.id, 0));
                // Show the spelling of the lowest-numbered claim, as the
                // index path does.
                if claim.id < entry.1 {
                    entry.0 = value.clone();
                    entry.1 = claim.id;
                }
                entry.2 += 1;
            }
            true
        })?;
        counts.into_values().map(|(name, _, n)| (name, n)).collect()
    };
    // Biggest first; ties in alphabetical order, ignoring case.
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.to_lowercase().cmp(&b.0.to_lowercase())).then(a.0.cmp(&b.0)));
    // `limit` keeps the biggest groups.
    rows.truncate(plan.limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX)));
    Ok(rows.into_iter().map(|(value, n)| ((value != NONE_VALUE).then_some(value), n)).collect())
}

/// The key claims without a value are counted under (rating, affiliation);
/// it becomes `None` in the output. No real value can be it: stored names
/// never contain NUL.
const NONE_VALUE: &str = "\0none";

/// The values a claim is counted under.
fn group_values(claim: &Claim, group: GroupBy, as_of: Option<crate::model::Date>) -> Vec<String> {
    match group {
        GroupBy::Status => {
            let status = match as_of {
                Some(day) => claim.status_as_of(day).unwrap_or(claim.status),
                None => claim.status,
            };
            vec![status.name().to_string()]
        }
        GroupBy::Source => vec![claim.source.name.clone()],
        GroupBy::Outlet => claim.outlets.clone(),
        GroupBy::Topic => claim.topics.clone(),
        GroupBy::Rating => vec![claim.rating.clone().unwrap_or_else(|| NONE_VALUE.to_string())],
        GroupBy::Kind => vec![claim.source.kind.name().to_string()],
        GroupBy::Affiliation => vec![claim.source.affiliation.clone().unwrap_or_else(|| NONE_VALUE.to_string())],
        GroupBy::Month => vec![claim.date.format("%Y-%m").to_string()],
        GroupBy::Year => vec![claim.date.format("%Y").to_string()],
    }
}

/// Per-value counts read from posting block headers: no claim is loaded
/// except one per distinct name, to show it as first written.
fn groups_from_index(engine: &Engine, group: GroupBy, total: u64) -> Result<Vec<(String, u64)>> {
    let tag = match group {
        GroupBy::Status => terms::TAG_STATUS,
        GroupBy::Source => terms::TAG_SOURCE,
        GroupBy::Outlet => terms::TAG_OUTLET,
        GroupBy::Topic => terms::TAG_TOPIC,
        GroupBy::Rating => terms::TAG_RATING,
        GroupBy::Kind => terms::TAG_KIND,
        GroupBy::Affiliation => terms::TAG_AFFILIATION,
        GroupBy::Month | GroupBy::Year => terms::TAG_DATE,
    };
    let mut merged: Vec<(String, u64)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut add = |name: String, n: u64| {
        let key = name.to_lowercase();
        match index.get(&key) {
            Some(&i) => merged[i].1 += n,
            None => {
                index.insert(key, merged.len());
                merged.push((name, n));
            }
        }
    };
    let mut counted = 0;
    for (term, n) in engine.count_terms_under(&[tag])? {
        counted += n;
        let name = match &term {
            Term::Status(s) => s.name().to_string(),
            Term::Kind(k, _) => k.name().to_string(),
            Term::Date(day) => {
                let date = crate::model::date::from_day_number(*day)
                    .ok_or_else(|| crate::errcorrupt!("date index holds day {day}"))?;
                let format = if group == GroupBy::Year { "%Y" } else { "%Y-%m" };
                date.format(format).to_string()
            }
            Term::Source(id) => engine.source(*id)?.name.clone(),
            Term::Outlet(_) | Term::Topic(_) | Term::Rating(_) | Term::Affiliation(_) => engine.display_name(&term)?,
            Term::Word(_) | Term::Ever(_) | Term::OutletCount(_) | Term::StatusMonth(..) => continue,
        };
        add(name, n);
    }
    if matches!(group, GroupBy::Rating | GroupBy::Affiliation) && total > counted {
        add(NONE_VALUE.to_string(), total - counted);
    }
    Ok(merged)
}
