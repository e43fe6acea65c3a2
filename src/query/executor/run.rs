//! Running a query plan: the candidates in the planned order, each loaded,
//! checked and sent on at once, stopping at the limit.
//!
//! Nothing here chooses: the order strategy, the limit strategy and the
//! way "how many matched" is found all come from the plan. A sort buffers
//! ids with their sort keys (read from record heads, or from the checked
//! claims for a status as of a day), never whole claims, and claims are
//! loaded a window of at most a few hundred ahead of the output, so a query
//! of a million claims holds no more than that.

use super::clusters::Clusters;
use super::filter::{matches_all, FilterContext};
use super::ids::Evaluator;
use crate::engine::Engine;
use crate::errcorrupt;
use crate::error::{Error, Result};
use crate::model::{date, Claim, ClaimId, Date, Status};
use crate::query::ast::{DateRange, Order, OrderKey};
use crate::query::plan::{Candidates, Matched, QueryPlan, Selection, Sequence};
use crate::query::{ClaimSink, Context};
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// How often (in claims loaded or heads read) to look at the cancellation
/// flag.
const CANCEL_CHECK_EVERY: u64 = 256;

/// Loads candidate claims and checks them against the plan's checks.
pub struct Loader<'a> {
    engine: &'a Engine,
    select: &'a Selection,
    context: &'a Context<'a>,
    cx: FilterContext,
    clusters: Option<Clusters>,
    loaded: u64,
}

impl<'a> Loader<'a> {
    /// A loader for the selection, with the clusters of duplicates built
    /// first when its checks need them.
    pub fn new(engine: &'a Engine, select: &'a Selection, context: &'a Context<'a>) -> Result<Loader<'a>> {
        let clusters = if select.clusters { Some(Clusters::build(engine)?) } else { None };
        let cx = FilterContext { as_of: select.as_of, today: context.today, cluster: None };
        Ok(Loader { engine, select, context, cx, clusters, loaded: 0 })
    }

    /// Looks at the cancellation flag every so often.
    fn tick(&mut self) -> Result<()> {
        self.loaded += 1;
        if self.loaded.is_multiple_of(CANCEL_CHECK_EVERY) && self.context.cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        Ok(())
    }

    /// Claim `id` if it exists and passes the checks, without its relations
    /// unless the checks read them.
    pub fn checked(&mut self, id: ClaimId) -> Result<Option<Claim>> {
        self.tick()?;
        let Some(mut claim) = self.engine.claim_without_links(id)? else {
            return Ok(None);
        };
        if self.select.checks.is_empty() {
            return Ok(Some(claim));
        }
        if self.select.checks_need_links {
            self.engine.attach_links(&mut claim)?;
        }
        self.cx.cluster = match &mut self.clusters {
            Some(clusters) => Some(clusters.of(self.engine, &claim)?),
            None => None,
        };
        Ok(matches_all(&claim, &self.select.checks, &self.cx).then_some(claim))
    }

    /// A checked claim made ready to return: its relations read (when
    /// `with_links`), and shown as it stood on the `as of` day.
    pub fn finish(&self, mut claim: Claim, with_links: bool) -> Result<Claim> {
        if with_links && !self.select.checks_need_links {
            self.engine.attach_links(&mut claim)?;
        }
        Ok(match self.select.as_of {
            Some(day) => as_of(claim, day),
            None => claim,
        })
    }
}

/// A claim as it stood at the end of `day`: its status then, and only the
/// history up to that day.
fn as_of(mut claim: Claim, day: Date) -> Claim {
    if let Some(status) = claim.status_as_of(day) {
        claim.status = status;
    }
    claim.history.retain(|h| h.date <= day);
    claim
}

/// Sends the claims of a query plan to `sink` in order, at most `limit`.
/// Returns how many matched in all when the limit cut the list and the
/// plan says how to know it.
pub fn stream(
    engine: &Engine,
    plan: &QueryPlan,
    context: &Context<'_>,
    sink: &mut dyn ClaimSink,
) -> Result<Option<u64>> {
    let limit = plan.limit.unwrap_or(u64::MAX);
    let mut loader = Loader::new(engine, &plan.select, context)?;
    let counting = plan.matched == Matched::CheckRest && plan.sequence != Sequence::SortChecked;
    let mut out = Window { ids: Vec::new(), sent: 0, passed: 0, limit, counting };
    let candidates = if plan.sequence == Sequence::SortChecked {
        // Check every candidate, keep the key of those that pass, sort,
        // and load the ones returned again.
        let mut keyed: Vec<(SortKey, ClaimId)> = Vec::new();
        let as_of = plan.select.as_of;
        let candidates = visit(engine, &plan.select, &Sequence::AsFound, ASCENDING_ID, context, |id| {
            if let Some(claim) = loader.checked(id)? {
                keyed.push((SortKey::of_claim(&claim, plan.order.key, as_of), id));
            }
            Ok(ControlFlow::Continue(()))
        })?;
        keyed.sort_unstable();
        if plan.order.descending {
            keyed.reverse();
        }
        let matches = keyed.len() as u64;
        for (_, id) in keyed {
            out.ids.push(id);
            if out.ids.len() as u64 >= out.size() && out.flush(&mut loader, sink)?.is_break() {
                break;
            }
        }
        let _ = out.flush(&mut loader, sink)?;
        out.passed = matches;
        candidates
    } else {
        let candidates = visit(engine, &plan.select, &plan.sequence, plan.order, context, |id| {
            out.ids.push(id);
            if out.ids.len() as u64 >= out.size() {
                return out.flush(&mut loader, sink);
            }
            Ok(ControlFlow::Continue(()))
        })?;
        // What is left after the last candidate (going on or not is moot).
        let _ = out.flush(&mut loader, sink)?;
        candidates
    };
    let (sent, passed) = (out.sent, out.passed);
    let matched = match plan.matched {
        Matched::NotNeeded | Matched::NotCounted => None,
        Matched::CheckRest => Some(passed),
        Matched::Candidates => Some(match candidates {
            Some(n) => n,
            None => scan_size(engine, &plan.select)?,
        }),
    };
    Ok(matched.filter(|&m| m > sent))
}

/// The most claims loaded ahead of sending them.
const WINDOW: u64 = 256;

/// The next candidates in the query's order, loaded together in id order
/// and sent on in the query's order: when ids follow dates (claims recorded
/// as they were reported), a date-ordered window reads neighbouring
/// records together. (On the benchmark corpus, whose dates are random by
/// id, it saves only about 7% of the simulated L1 data misses.) At most
/// [`WINDOW`] claims are held, and no more than the limit still needs, so a
/// limit loads no claim it does not return.
struct Window {
    ids: Vec<ClaimId>,
    sent: u64,
    passed: u64,
    limit: u64,
    /// Whether to keep checking past the limit, to count the matches.
    counting: bool,
}

impl Window {
    /// How many candidates to gather before loading them.
    fn size(&self) -> u64 {
        match self.limit.checked_sub(self.sent) {
            Some(needed) if needed > 0 => needed.min(WINDOW),
            _ => WINDOW,
        }
    }

    /// Loads and checks the gathered candidates, sends those that pass (up
    /// to the limit), and says whether to go on.
    fn flush(&mut self, loader: &mut Loader<'_>, sink: &mut dyn ClaimSink) -> Result<ControlFlow<()>> {
        let ids = std::mem::take(&mut self.ids);
        let mut by_id: Vec<usize> = (0..ids.len()).collect();
        by_id.sort_unstable_by_key(|&i| ids[i]);
        let mut loaded: Vec<Option<Claim>> = vec![None; ids.len()];
        for i in by_id {
            loaded[i] = loader.checked(ids[i])?;
        }
        for claim in loaded.into_iter().flatten() {
            self.passed += 1;
            if self.sent < self.limit {
                self.sent += 1;
                sink.claim(loader.finish(claim, true)?)?;
            }
        }
        self.ids = ids;
        self.ids.clear();
        Ok(if self.sent >= self.limit && !self.counting { ControlFlow::Break(()) } else { ControlFlow::Continue(()) })
    }
}

/// The number of claims a scan walks, from block headers.
fn scan_size(engine: &Engine, select: &Selection) -> Result<u64> {
    Ok(match &select.candidates {
        Candidates::Nothing(_) => 0,
        Candidates::AllByDate(DateRange { from: None, to: None }) | Candidates::AllById | Candidates::Ids(_) => {
            engine.claim_count()?
        }
        Candidates::AllByDate(r) => engine.count_dates(r.from, r.to)?,
    })
}

/// Calls `f` with every claim of the selection that passes its checks, in
/// the candidates' own order, without relations (unless the checks read
/// them), as it stood on the `as of` day; stops when `f` says so.
pub fn for_each_match(
    engine: &Engine,
    select: &Selection,
    context: &Context<'_>,
    mut f: impl FnMut(Claim) -> Result<ControlFlow<()>>,
) -> Result<()> {
    let mut loader = Loader::new(engine, select, context)?;
    visit(engine, select, &Sequence::AsFound, ASCENDING_ID, context, |id| match loader.checked(id)? {
        Some(claim) => f(loader.finish(claim, false)?),
        None => Ok(ControlFlow::Continue(())),
    })?;
    Ok(())
}

/// The candidates' own order, when the order does not matter.
const ASCENDING_ID: Order = Order { key: OrderKey::Id, descending: false };

/// Calls `f` with each candidate id in the order `sequence` gives for
/// `order`. Returns the number of candidate ids when they were computed as
/// a list.
fn visit(
    engine: &Engine,
    select: &Selection,
    sequence: &Sequence,
    order: Order,
    context: &Context<'_>,
    mut f: impl FnMut(ClaimId) -> Result<ControlFlow<()>>,
) -> Result<Option<u64>> {
    let descending = order.descending;
    let ids: Vec<ClaimId> = match &select.candidates {
        Candidates::Nothing(_) => return Ok(Some(0)),
        Candidates::AllById if *sequence == Sequence::AsFound => {
            for id in engine.claim_ids(descending) {
                if f(id?)?.is_break() {
                    break;
                }
            }
            return Ok(None);
        }
        Candidates::AllByDate(range) if *sequence == Sequence::AsFound => {
            walk_dates(engine, range, descending, &mut f)?;
            return Ok(None);
        }
        Candidates::AllById => engine.claim_ids(false).collect::<Result<_>>()?,
        Candidates::AllByDate(range) => {
            let mut ids = Vec::new();
            walk_dates(engine, range, false, |id| {
                ids.push(id);
                Ok(ControlFlow::Continue(()))
            })?;
            ids.sort_unstable();
            ids
        }
        Candidates::Ids(node) => Evaluator::new(engine, context).ids(node)?,
    };
    let count = Some(ids.len() as u64);
    match sequence {
        Sequence::AsFound | Sequence::SortChecked => {
            let mut run = |id: ClaimId| f(id).map(|flow| flow.is_break());
            if descending {
                for &id in ids.iter().rev() {
                    if run(id)? {
                        break;
                    }
                }
            } else {
                for &id in &ids {
                    if run(id)? {
                        break;
                    }
                }
            }
        }
        Sequence::WalkDates(range) => {
            walk_dates(engine, range, descending, |id| {
                if ids.binary_search(&id).is_ok() {
                    f(id)
                } else {
                    Ok(ControlFlow::Continue(()))
                }
            })?;
        }
        Sequence::SortHeads => {
            for id in sort_by_heads(engine, ids, order, context)? {
                if f(id)?.is_break() {
                    break;
                }
            }
        }
    }
    Ok(count)
}

/// Walks the date index within `range`, calling `f` with each id.
fn walk_dates(
    engine: &Engine,
    range: &DateRange,
    descending: bool,
    mut f: impl FnMut(ClaimId) -> Result<ControlFlow<()>>,
) -> Result<()> {
    let from = range.from.map(date::to_day_number);
    let to = range.to.map(date::to_day_number);
    for block in engine.date_blocks(from, to, descending) {
        for id in block?.1 {
            if f(id)?.is_break() {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// What a sort compares: the first key (none for date order), then the
/// date, then the id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    /// By date, then id.
    Date(i32, ClaimId),
    /// By status, then date, then id.
    Status(Status, i32, ClaimId),
    /// By source name (lower-cased), then date, then id.
    Source(Arc<str>, i32, ClaimId),
    /// By id.
    Id(ClaimId),
}

impl SortKey {
    /// The key of a loaded claim, its status as of `as_of` when set.
    fn of_claim(claim: &Claim, key: OrderKey, as_of: Option<Date>) -> SortKey {
        let day = date::to_day_number(claim.date);
        match key {
            OrderKey::Date => SortKey::Date(day, claim.id),
            OrderKey::Id => SortKey::Id(claim.id),
            OrderKey::Status => {
                let status = as_of.and_then(|d| claim.status_as_of(d)).unwrap_or(claim.status);
                SortKey::Status(status, day, claim.id)
            }
            OrderKey::Source => SortKey::Source(claim.source.name.to_lowercase().into(), day, claim.id),
        }
    }
}

/// The ids in `order`, from the head of each record (date, status, source
/// id; source names from the source cache, lower-cased once per source).
fn sort_by_heads(engine: &Engine, ids: Vec<ClaimId>, order: Order, context: &Context<'_>) -> Result<Vec<ClaimId>> {
    let mut names: HashMap<u64, Arc<str>> = HashMap::new();
    let mut keyed: Vec<(SortKey, ClaimId)> = Vec::with_capacity(ids.len());
    for (n, id) in ids.into_iter().enumerate() {
        if (n as u64).is_multiple_of(CANCEL_CHECK_EVERY) && context.cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        // A candidate deleted since its ids were read is not a result.
        let Some(head) = engine.claim_head(id)? else { continue };
        let key = match order.key {
            OrderKey::Date => SortKey::Date(head.date, id),
            OrderKey::Id => SortKey::Id(id),
            OrderKey::Status => {
                let status = Status::from_code(head.status)
                    .ok_or_else(|| errcorrupt!("claim #{id} has unknown status code {}", head.status))?;
                SortKey::Status(status, head.date, id)
            }
            OrderKey::Source => {
                let name = match names.get(&head.source) {
                    Some(name) => name.clone(),
                    None => {
                        let name: Arc<str> = engine.source(head.source)?.name.to_lowercase().into();
                        names.insert(head.source, name.clone());
                        name
                    }
                };
                SortKey::Source(name, head.date, id)
            }
        };
        keyed.push((key, id));
    }
    keyed.sort_unstable();
    if order.descending {
        keyed.reverse();
    }
    Ok(keyed.into_iter().map(|(_, id)| id).collect())
}
