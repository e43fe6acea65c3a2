//! The planner: chooses how to answer a query.
//!
//! Every filter that an index can answer becomes a candidate [`Lookup`] with
//! an estimated size, read from the posting blocks' headers (no ids are
//! decoded to estimate). The smallest candidate is always used; others are
//! intersected with it while they are small enough that decoding their ids
//! costs less than loading the claims they would rule out. Whatever the
//! chosen lookups do not answer exactly is checked on each loaded claim.
//! With no usable index the planner walks the date index (when a limit lets
//! it stop early) or the whole claims tree.

use crate::engine::terms::{self, words, Term};
use crate::engine::Engine;
use crate::errinput;
use crate::error::Result;
use crate::model::{ClaimId, Kind, Relation, Status};
use crate::query::ast::{DateRange, Expr, Field, Filter, GroupBy, Op, Order, OrderKey, Query, SourcePattern, Value};
use crate::query::plan::{Access, Candidate, Lookup, Plan};
use chrono::Datelike;

/// An index lookup is intersected with the current candidates only while it
/// is at most this many times larger: decoding an id costs about this much
/// less than loading a claim.
const INTERSECT_RATIO: u64 = 500;

/// Lookups yielding more than this share of all claims are not worth
/// intersecting (they rule out almost nothing).
const USELESS_SHARE: f64 = 0.9;

/// With a limit, walk the date index in order instead of loading and sorting
/// every candidate when there are more than this many candidates per row
/// asked for.
const ORDERED_WALK_FACTOR: u64 = 8;

/// Plans a claims query or a count.
pub fn plan(engine: &Engine, query: &Query, group: Option<GroupBy>, counting: bool) -> Result<Plan> {
    let total = engine.claim_count()?;
    let order = query.order.unwrap_or(Order { key: OrderKey::Date, descending: false });
    let mut filters = query.filters.clone();
    if let Some(day) = query.as_of {
        // Claims not made yet on that day do not exist as of it.
        filters.push(Filter::Date(DateRange { from: None, to: Some(day) }));
    }
    let date_range = combined_range(&filters);
    if let (Some(from), Some(to)) = (date_range.from, date_range.to) {
        if from > to {
            let why = format!("the dates exclude each other ({from} > {to})");
            return Ok(empty_plan(query, order, group, total, why, counting));
        }
    }

    let mut candidates = Vec::new();
    for (index, filter) in filters.iter().enumerate() {
        if let Some((lookup, exact)) = lookup_for(engine, filter, query.as_of.is_some())? {
            let estimate = estimate(engine, &lookup, total)?;
            candidates.push(Candidate { lookup, estimate, exact, covers: vec![index] });
        }
    }
    if let Some(c) = status_by_month(engine, &filters, &date_range, query.as_of.is_some(), total)? {
        candidates.push(c);
    }
    candidates.sort_by_key(|c| c.estimate);

    let mut chosen: Vec<Candidate> = Vec::new();
    let mut skipped = Vec::new();
    let mut expected_size = total;
    for c in candidates {
        // A lookup whose filters a chosen one already answers exactly adds
        // nothing (the composite status-by-month index makes the status and
        // date lookups redundant).
        let answered = |c: &Candidate, chosen: &[Candidate]| {
            c.covers.iter().all(|f| chosen.iter().any(|x| x.exact && x.covers.contains(f)))
        };
        if answered(&c, &chosen) {
            continue;
        }
        let useful = (c.estimate as f64) < (total as f64) * USELESS_SHARE || chosen.is_empty() && c.exact;
        if useful && (chosen.is_empty() || c.estimate <= INTERSECT_RATIO * expected_size.max(1)) {
            expected_size = if chosen.is_empty() {
                c.estimate
            } else {
                (expected_size as f64 * (c.estimate as f64 / total.max(1) as f64)).ceil() as u64
            };
            chosen.push(c);
        } else {
            skipped.push(c);
        }
    }

    let exact_filters: Vec<usize> = chosen.iter().filter(|c| c.exact).flat_map(|c| c.covers.clone()).collect();
    let residual: Vec<Filter> =
        filters.iter().enumerate().filter(|(i, _)| !exact_filters.contains(i)).map(|(_, f)| f.clone()).collect();

    let access = if !chosen.is_empty() {
        Access::Index(chosen)
    } else if !counting && order.key == OrderKey::Date && (query.limit.is_some() || narrow(engine, &date_range, total)?)
    {
        Access::DateScan(date_range)
    } else {
        Access::IdScan
    };
    // With no filter, every grouping can be counted from index block headers.
    let counts_from_index = counting && filters.is_empty() && group.is_some();
    let ordered_walk = match (&access, query.limit) {
        (Access::Index(_), Some(limit)) => {
            !counting && order.key == OrderKey::Date && expected_size > ORDERED_WALK_FACTOR * limit.max(1)
        }
        _ => false,
    };
    Ok(Plan {
        access,
        skipped,
        residual,
        order,
        limit: query.limit,
        as_of: query.as_of,
        group,
        counts_from_index,
        ordered_walk,
        total,
        counting,
        dates: date_range,
    })
}

fn empty_plan(query: &Query, order: Order, group: Option<GroupBy>, total: u64, why: String, counting: bool) -> Plan {
    Plan {
        access: Access::Nothing(why),
        skipped: Vec::new(),
        residual: Vec::new(),
        order,
        limit: query.limit,
        as_of: query.as_of,
        group,
        counts_from_index: false,
        ordered_walk: false,
        total,
        counting,
        dates: DateRange::default(),
    }
}

/// The intersection of every date filter.
fn combined_range(filters: &[Filter]) -> DateRange {
    filters.iter().fold(DateRange::default(), |range, f| match f {
        Filter::Date(r) => range.intersect(*r),
        _ => range,
    })
}

/// Whether a date range holds less than half of the claims.
fn narrow(engine: &Engine, range: &DateRange, total: u64) -> Result<bool> {
    if range.from.is_none() && range.to.is_none() {
        return Ok(false);
    }
    Ok(estimate(engine, &Lookup::Dates(*range), total)? * 2 < total)
}

/// The index lookup for a filter, if an index can answer it, and whether it
/// answers it exactly.
fn lookup_for(engine: &Engine, filter: &Filter, as_of: bool) -> Result<Option<(Lookup, bool)>> {
    let found = match filter {
        Filter::Source(p) => source_lookup(engine, p)?.map(|l| (l, true)),
        Filter::Outlet(o) => Some((Lookup::Terms(vec![Term::Outlet(o.to_lowercase())]), true)),
        Filter::Topic(t) => Some((Lookup::Terms(vec![Term::Topic(t.to_lowercase())]), true)),
        Filter::Rated(r) => Some((Lookup::Terms(vec![Term::Rating(r.to_lowercase())]), true)),
        Filter::Status(list) if !as_of => Some((status_terms(list), true)),
        Filter::Date(r) => Some((Lookup::Dates(*r), true)),
        Filter::Mentioning(phrase) => {
            let parts: Vec<Lookup> = phrase
                .iter()
                .map(|w| {
                    if w.prefix {
                        Lookup::Stem(w.word.clone())
                    } else {
                        Lookup::Terms(vec![Term::Word(w.word.clone())])
                    }
                })
                .collect();
            let exact = parts.len() == 1;
            Some((intersect(parts), exact))
        }
        Filter::Where(e) => expr_lookup(engine, e, as_of)?.map(|l| (l, false)),
        Filter::Related { relation, id, passive } => {
            if engine.stored_claim(id.id)?.is_none() {
                return Err(errinput!(id.span; "no claim #{}", id.id));
            }
            Some((Lookup::Ids(related_ids(engine, *relation, id.id, *passive)?), true))
        }
        // Corroboration: claims linked as duplicates count together, so they
        // are candidates whatever their own outlets or sources.
        Filter::MinOutlets(n) => {
            let counts = engine.count_terms_under(&[crate::engine::terms::TAG_OUTLET_COUNT])?;
            let terms = counts
                .into_iter()
                .filter_map(|(t, _)| match t {
                    Term::OutletCount(c) if u64::from(c) >= *n => Some(t),
                    _ => None,
                })
                .collect();
            Some((with_duplicates(engine, Lookup::Terms(terms))?, false))
        }
        Filter::OnlyOutlet(o) => {
            Some((with_duplicates(engine, Lookup::Terms(vec![Term::Outlet(o.to_lowercase())]))?, false))
        }
        Filter::OnlyAnonymousSources => {
            let anonymous = Lookup::Terms(Kind::ALL.iter().map(|k| Term::Kind(*k, true)).collect());
            Some((with_duplicates(engine, anonymous)?, false))
        }
        // Statuses in the past: only claims that ever held one of them.
        Filter::Status(list) => Some((ever_terms(list), false)),
        Filter::StatusAsOf { statuses, date } => Some((
            Lookup::Intersect(vec![ever_terms(statuses), Lookup::Dates(DateRange { from: None, to: Some(*date) })]),
            false,
        )),
        Filter::Stale { statuses, .. } if !statuses.is_empty() => {
            Some((if as_of { ever_terms(statuses) } else { status_terms(statuses) }, false))
        }
        _ => None,
    };
    Ok(found)
}

/// The most months the status-by-month index is used for.
const MAX_MONTHS: i32 = 36;

/// The composite lookup for a current status within a short date range:
/// the status-by-month index answers both at once, exactly when the range
/// is whole months.
fn status_by_month(
    engine: &Engine,
    filters: &[Filter],
    range: &DateRange,
    as_of: bool,
    total: u64,
) -> Result<Option<Candidate>> {
    let (Some(from), Some(to)) = (range.from, range.to) else { return Ok(None) };
    let Some((status_index, statuses)) = filters.iter().enumerate().find_map(|(i, f)| match f {
        Filter::Status(list) if !as_of => Some((i, list)),
        _ => None,
    }) else {
        return Ok(None);
    };
    let (first, last) = (terms::month_number(from), terms::month_number(to));
    if last - first >= MAX_MONTHS {
        return Ok(None);
    }
    let terms: Vec<Term> =
        statuses.iter().flat_map(|s| (first..=last).map(move |m| Term::StatusMonth(*s, m))).collect();
    let whole_months = from.day() == 1 && to.succ_opt().is_none_or(|next| next.day() == 1);
    let mut covers = vec![status_index];
    if whole_months {
        covers.extend(filters.iter().enumerate().filter(|(_, f)| matches!(f, Filter::Date(_))).map(|(i, _)| i));
    }
    let lookup = Lookup::Terms(terms);
    let estimate = estimate(engine, &lookup, total)?;
    Ok(Some(Candidate { lookup, estimate, exact: whole_months, covers }))
}

/// The claims related to claim `id`: those that have `relation` to it, or
/// (`passive`) those it has `relation` to. Symmetric relations count both
/// ways.
pub fn related_ids(engine: &Engine, relation: Relation, id: ClaimId, passive: bool) -> Result<Vec<ClaimId>> {
    let mut ids = Vec::new();
    let mut add = |links: Vec<crate::model::Link>| {
        ids.extend(links.into_iter().filter(|l| l.relation == relation).map(|l| l.claim));
    };
    if !passive || relation.is_symmetric() {
        add(engine.links_to(id)?);
    }
    if passive || relation.is_symmetric() {
        add(engine.links_from(id)?);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Claims that ever held one of these statuses.
fn ever_terms(list: &[Status]) -> Lookup {
    Lookup::Terms(list.iter().map(|s| Term::Ever(*s)).collect())
}

/// A lookup widened by every claim linked as a duplicate (of anything).
fn with_duplicates(engine: &Engine, lookup: Lookup) -> Result<Lookup> {
    let mut ids = Vec::new();
    for (from, relation, to) in engine.all_links()? {
        if relation == Relation::Duplicates {
            ids.push(from);
            ids.push(to);
        }
    }
    Ok(if ids.is_empty() { lookup } else { Lookup::Union(vec![lookup, Lookup::Ids(ids)]) })
}

fn status_terms(list: &[Status]) -> Lookup {
    Lookup::Terms(list.iter().map(|s| Term::Status(*s)).collect())
}

fn intersect(mut parts: Vec<Lookup>) -> Lookup {
    if parts.len() == 1 {
        parts.remove(0)
    } else {
        Lookup::Intersect(parts)
    }
}

/// The lookup for a source pattern: the intersection of its parts.
fn source_lookup(engine: &Engine, p: &SourcePattern) -> Result<Option<Lookup>> {
    let mut parts = Vec::new();
    if let Some(name) = &p.name {
        let ids = engine.sources_named(&name.to_lowercase())?;
        parts.push(Lookup::Terms(ids.into_iter().map(Term::Source).collect()));
    }
    match (p.kind, p.anonymous) {
        (Some(k), Some(a)) => parts.push(Lookup::Terms(vec![Term::Kind(k, a)])),
        (Some(k), None) => parts.push(Lookup::Terms(vec![Term::Kind(k, false), Term::Kind(k, true)])),
        (None, Some(a)) => parts.push(Lookup::Terms(Kind::ALL.iter().map(|k| Term::Kind(*k, a)).collect())),
        (None, None) => {}
    }
    if let Some(a) = &p.affiliation {
        parts.push(Lookup::Terms(vec![Term::Affiliation(a.to_lowercase())]));
    }
    Ok(if parts.is_empty() { None } else { Some(intersect(parts)) })
}

/// The lookup that narrows a `where` condition, if its shape allows one:
/// equalities on indexed fields, date and id ranges, combined with `and`
/// (intersection) and `or` (union, when both sides have one).
fn expr_lookup(engine: &Engine, e: &Expr, as_of: bool) -> Result<Option<Lookup>> {
    Ok(match e {
        Expr::And(a, b) => match (expr_lookup(engine, a, as_of)?, expr_lookup(engine, b, as_of)?) {
            (Some(x), Some(y)) => Some(Lookup::Intersect(vec![x, y])),
            (x, y) => x.or(y),
        },
        Expr::Or(a, b) => match (expr_lookup(engine, a, as_of)?, expr_lookup(engine, b, as_of)?) {
            (Some(x), Some(y)) => Some(Lookup::Union(vec![x, y])),
            _ => None,
        },
        Expr::Not(_) | Expr::Flag(_) => None,
        Expr::Compare { field, op, value } => match (field, op, value) {
            (Field::Status, Op::Eq, Value::Status(s)) if !as_of => Some(Lookup::Terms(vec![Term::Status(*s)])),
            (Field::Outlet, Op::Eq, Value::Text(t)) => Some(Lookup::Terms(vec![Term::Outlet(t.to_lowercase())])),
            (Field::Topic, Op::Eq, Value::Text(t)) => Some(Lookup::Terms(vec![Term::Topic(t.to_lowercase())])),
            (Field::Rating, Op::Eq, Value::Text(t)) => Some(Lookup::Terms(vec![Term::Rating(t.to_lowercase())])),
            (Field::SourceAffiliation, Op::Eq, Value::Text(t)) => {
                Some(Lookup::Terms(vec![Term::Affiliation(t.to_lowercase())]))
            }
            (Field::SourceKind, Op::Eq, Value::Kind(k)) => {
                Some(Lookup::Terms(vec![Term::Kind(*k, false), Term::Kind(*k, true)]))
            }
            (Field::Source, Op::Eq, Value::Text(name)) => {
                source_lookup(engine, &SourcePattern { name: Some(name.clone()), ..Default::default() })?
            }
            (Field::Text, Op::Contains, Value::Text(t)) => {
                // Whole words strictly inside the searched text must appear
                // as words of the claim; the first and last may be parts.
                let inner: Vec<String> = words(t).collect();
                let trimmed_start = t.starts_with(|c: char| !c.is_alphanumeric());
                let trimmed_end = t.ends_with(|c: char| !c.is_alphanumeric());
                let whole: Vec<Lookup> = inner
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| (*i > 0 || trimmed_start) && (*i + 1 < inner.len() || trimmed_end))
                    .map(|(_, w)| Lookup::Terms(vec![Term::Word(w.clone())]))
                    .collect();
                if whole.is_empty() {
                    None
                } else {
                    Some(intersect(whole))
                }
            }
            (Field::Date, _, Value::Date(d)) => {
                let range = match op {
                    Op::Eq => Some(DateRange { from: Some(*d), to: Some(*d) }),
                    Op::Lt => Some(DateRange { from: None, to: d.pred_opt() }),
                    Op::Le => Some(DateRange { from: None, to: Some(*d) }),
                    Op::Gt => Some(DateRange { from: d.succ_opt(), to: None }),
                    Op::Ge => Some(DateRange { from: Some(*d), to: None }),
                    _ => None,
                };
                range.map(Lookup::Dates)
            }
            (Field::Id, Op::Eq, Value::Number(n)) => Some(Lookup::Ids(vec![*n])),
            _ => None,
        },
    })
}

/// The estimated number of ids a lookup yields, from block headers.
pub fn estimate(engine: &Engine, lookup: &Lookup, total: u64) -> Result<u64> {
    Ok(match lookup {
        Lookup::Terms(terms) => {
            let mut n = 0;
            for t in terms {
                n += engine.count_term(t)?;
            }
            n
        }
        Lookup::Stem(stem) => engine.count_under(&Term::word_stem_prefix(stem))?,
        Lookup::Dates(r) => engine.count_dates(r.from, r.to)?,
        Lookup::Ids(ids) => ids.len() as u64,
        Lookup::Union(parts) => {
            let mut n = 0;
            for p in parts {
                n += estimate(engine, p, total)?;
            }
            n.min(total)
        }
        Lookup::Intersect(parts) => {
            let mut n = total;
            for p in parts {
                n = n.min(estimate(engine, p, total)?);
            }
            n
        }
    })
}
