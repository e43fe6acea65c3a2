//! The questions other trackers do not answer: track records of sources
//! (and kinds, affiliations, outlets) and unresolved contradictions.

use super::run::for_each_match;
use crate::engine::Engine;
use crate::error::Result;
use crate::model::{Claim, Relation, Status};
use crate::query::ast::{Rank, RecordGroup, TrackRecordQuery};
use crate::query::output::TrackRecord;
use crate::query::plan::Selection;
use crate::query::Context;
use std::collections::BTreeMap;
use std::ops::ControlFlow;

/// The name of a track-record grouping.
pub fn group_name(group: RecordGroup) -> &'static str {
    match group {
        RecordGroup::Source => "source",
        RecordGroup::Kind => "kind",
        RecordGroup::Affiliation => "affiliation",
        RecordGroup::Outlet => "outlet",
    }
}

#[derive(Default)]
struct Tally {
    name: String,
    /// The date and id of the claim `name` is spelt as on.
    spelt_on: (crate::model::Date, crate::model::ClaimId),
    claims: u64,
    per_status: BTreeMap<Status, u64>,
    per_rating: BTreeMap<String, (String, u64)>,
}

/// Per source (kind, affiliation, outlet): claims per status and rating and
/// the shares confirmed and retracted or false. The claims are the plan's
/// selection, tallied one at a time as they are loaded; each name is shown
/// as written on its earliest claim (by date, then id).
pub fn track_records(
    engine: &Engine,
    select: &Selection,
    q: &TrackRecordQuery,
    context: &Context<'_>,
) -> Result<Vec<TrackRecord>> {
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for_each_match(engine, select, context, |claim| {
        let keys: Vec<String> = match q.group {
            RecordGroup::Source => vec![claim.source.name.clone()],
            RecordGroup::Kind => vec![claim.source.kind.name().to_string()],
            RecordGroup::Affiliation => {
                vec![claim.source.affiliation.clone().unwrap_or_else(|| "(none)".into())]
            }
            RecordGroup::Outlet => claim.outlets.clone(),
        };
        for key in keys {
            let first = (claim.date, claim.id);
            let tally = tallies.entry(key.to_lowercase()).or_insert_with(|| Tally {
                name: key.clone(),
                spelt_on: first,
                ..Default::default()
            });
            if first < tally.spelt_on {
                tally.name = key.clone();
                tally.spelt_on = first;
            }
            tally.claims += 1;
            *tally.per_status.entry(claim.status).or_default() += 1;
            if let Some(r) = &claim.rating {
                tally.per_rating.entry(r.to_lowercase()).or_insert_with(|| (r.clone(), 0)).1 += 1;
            }
        }
        Ok(ControlFlow::Continue(()))
    })?;
    let mut rows: Vec<TrackRecord> = tallies
        .into_values()
        .map(|t| {
            let get = |s: Status| t.per_status.get(&s).copied().unwrap_or(0);
            let share = |n: u64| {
                if t.claims == 0 {
                    0.0
                } else {
                    n as f64 / t.claims as f64
                }
            };
            let mut per_rating: Vec<(String, u64)> = t.per_rating.into_values().collect();
            per_rating.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let ranked = q.ranked_by.as_ref().map(|rank| {
                let n = match rank {
                    Rank::Status(s) => get(*s),
                    Rank::Rating(r) => {
                        per_rating.iter().find(|(name, _)| name.eq_ignore_ascii_case(r)).map_or(0, |x| x.1)
                    }
                };
                (rank.label(), share(n))
            });
            TrackRecord {
                group: group_name(q.group).to_string(),
                name: t.name,
                claims: t.claims,
                per_status: Status::ALL.iter().map(|s| (s.name().to_string(), get(*s))).collect(),
                per_rating,
                confirmed_share: share(get(Status::Confirmed)),
                retracted_share: share(get(Status::Retracted) + get(Status::False)),
                ranked,
            }
        })
        .collect();
    rows.retain(|r| r.claims >= q.min_claims);
    if q.ranked_by.is_some() {
        let share = |r: &TrackRecord| r.ranked.as_ref().map_or(0.0, |(_, s)| *s);
        rows.sort_by(|a, b| {
            share(b)
                .total_cmp(&share(a))
                .then(b.claims.cmp(&a.claims))
                .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
        });
    } else {
        rows.sort_by(|a, b| b.claims.cmp(&a.claims).then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase())));
    }
    rows.truncate(q.limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX)));
    Ok(rows)
}

/// Pairs linked `contradicts` where neither claim is confirmed or false.
pub fn unresolved_contradictions(engine: &Engine) -> Result<Vec<(Claim, Claim)>> {
    let mut pairs = Vec::new();
    for (from, relation, to) in engine.all_links()? {
        if relation != Relation::Contradicts {
            continue;
        }
        let (Some(a), Some(b)) = (engine.claim(from)?, engine.claim(to)?) else {
            continue;
        };
        let settled = |c: &Claim| matches!(c.status, Status::Confirmed | Status::False);
        if !settled(&a) && !settled(&b) {
            pairs.push((a, b));
        }
    }
    Ok(pairs)
}
