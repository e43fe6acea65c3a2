//! Running a count plan: from block headers, from the candidate ids, from
//! posting lists per group, or by loading and checking each candidate, as
//! the plan says.

use super::ids::{intersect, Evaluator};
use super::run::for_each_match;
use crate::engine::terms::{self, Term};
use crate::engine::Engine;
use crate::errcorrupt;
use crate::error::Result;
use crate::model::{date, Claim, ClaimId, Kind, Status};
use crate::query::ast::GroupBy;
use crate::query::plan::{Candidates, CountMethod, CountPlan, IdSet};
use crate::query::Context;
use std::collections::HashMap;
use std::ops::ControlFlow;

/// The number of claims a count plan selects (at most its limit).
pub fn count(engine: &Engine, plan: &CountPlan, context: &Context<'_>) -> Result<u64> {
    let cap = plan.limit.unwrap_or(u64::MAX);
    let n = match (&plan.select.candidates, plan.method) {
        (Candidates::Nothing(_), _) => 0,
        (Candidates::AllById, CountMethod::Headers) => engine.claim_count()?,
        (Candidates::AllByDate(r), CountMethod::Headers) => engine.count_dates(r.from, r.to)?,
        (Candidates::Ids(node), CountMethod::Headers) => match &node.set {
            IdSet::Dates(r) => engine.count_dates(r.from, r.to)?,
            IdSet::Terms(terms) => {
                let mut n = 0u64;
                for t in terms {
                    n = n.saturating_add(engine.count_term(t)?);
                }
                n
            }
            _ => Evaluator::new(engine, context).ids(node)?.len() as u64,
        },
        (Candidates::Ids(node), CountMethod::Ids) => Evaluator::new(engine, context).ids(node)?.len() as u64,
        _ => {
            let mut n = 0u64;
            for_each_match(engine, &plan.select, context, |_| {
                n += 1;
                Ok(if n < cap { ControlFlow::Continue(()) } else { ControlFlow::Break(()) })
            })?;
            n
        }
    };
    Ok(n.min(cap))
}

/// Counts per value of the plan's grouping, biggest first (ties by value,
/// ignoring case), at most `limit` groups. `None` counts the claims without
/// a value (no rating, no affiliation).
pub fn groups(engine: &Engine, plan: &CountPlan, context: &Context<'_>) -> Result<Vec<(Option<String>, u64)>> {
    let group = plan.group.unwrap_or(GroupBy::Status);
    let mut rows = match (&plan.select.candidates, plan.method) {
        (Candidates::Nothing(_), _) => Vec::new(),
        (_, CountMethod::GroupHeaders) => groups_from_index(engine, group, plan.select.total)?,
        (Candidates::Ids(node), CountMethod::GroupTerms) => {
            let ids = Evaluator::new(engine, context).ids(node)?;
            groups_from_postings(engine, group, &ids)?
        }
        _ => groups_by_loading(engine, plan, group, context)?,
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

/// Groups of the loaded claims that pass the checks; each name is shown as
/// written on the lowest-numbered claim that has it.
fn groups_by_loading(
    engine: &Engine,
    plan: &CountPlan,
    group: GroupBy,
    context: &Context<'_>,
) -> Result<Vec<(String, u64)>> {
    let mut counts: HashMap<String, (String, ClaimId, u64)> = HashMap::new();
    let as_of = plan.select.as_of;
    for_each_match(engine, &plan.select, context, |claim| {
        for value in group_values(&claim, group, as_of) {
            let entry = counts.entry(value.to_lowercase()).or_insert_with(|| (value.clone(), claim.id, 0));
            if claim.id < entry.1 {
                entry.0 = value.clone();
                entry.1 = claim.id;
            }
            entry.2 += 1;
        }
        Ok(ControlFlow::Continue(()))
    })?;
    Ok(counts.into_values().map(|(name, _, n)| (name, n)).collect())
}

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

/// Groups of an exact id list from posting lists: each status's or kind's
/// list intersected with the ids, or the date index walked for months and
/// years. No claim is loaded.
fn groups_from_postings(engine: &Engine, group: GroupBy, ids: &[ClaimId]) -> Result<Vec<(String, u64)>> {
    let mut rows: Vec<(String, u64)> = Vec::new();
    let mut add = |name: String, n: u64| {
        if n == 0 {
            return;
        }
        match rows.iter_mut().find(|(x, _)| *x == name) {
            Some(row) => row.1 += n,
            None => rows.push((name, n)),
        }
    };
    match group {
        GroupBy::Status => {
            for s in Status::ALL {
                add(s.name().to_string(), intersect(ids, &engine.postings(&Term::Status(*s))?).len() as u64);
            }
        }
        GroupBy::Kind => {
            for k in Kind::ALL {
                for anonymous in [false, true] {
                    let list = engine.postings(&Term::Kind(*k, anonymous))?;
                    add(k.name().to_string(), intersect(ids, &list).len() as u64);
                }
            }
        }
        GroupBy::Month | GroupBy::Year => {
            let format = if group == GroupBy::Year { "%Y" } else { "%Y-%m" };
            let mut per_day: Vec<(i32, u64)> = Vec::new();
            for block in engine.date_blocks(None, None, false) {
                let (day, list) = block?;
                let n = list.iter().filter(|id| ids.binary_search(id).is_ok()).count() as u64;
                match per_day.last_mut() {
                    Some((d, count)) if *d == day => *count += n,
                    _ => per_day.push((day, n)),
                }
            }
            for (day, n) in per_day {
                let date = date::from_day_number(day).ok_or_else(|| errcorrupt!("date index holds day {day}"))?;
                add(date.format(format).to_string(), n);
            }
        }
        other => return Err(errcorrupt!("no posting-list grouping for {}", other.name())),
    }
    Ok(rows)
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
                let date = date::from_day_number(*day).ok_or_else(|| errcorrupt!("date index holds day {day}"))?;
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
