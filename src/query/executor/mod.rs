//! The executor: carries out a statement's [`Plan`] and returns its
//! [`Output`]. Reads are planned ([`crate::query::planner`]) and run under
//! the database's read lock, claims sent on one at a time as they are found
//! ([`run`]); counts are taken as the plan says ([`count`]); writes go
//! through the engine's write API, one atomic, flushed write each
//! ([`write`]).
//!
//! The executor makes no choice of its own: which lookups, in what order,
//! what is checked, how the order and the limit are met and how a count is
//! taken all come from the plan, which is what `explain` prints.

mod article;
mod clusters;
mod count;
mod filter;
mod ids;
mod names;
mod ratings;
mod run;
mod similar;
mod track_records;
mod write;

use crate::engine::{Db, Engine};
use crate::errinput;
use crate::error::{Error, Result};
use crate::query::ast::{Query, Statement};
use crate::query::plan::{Plan, QueryPlan};
use crate::query::{planner, ClaimList, ClaimSink, Context, Output, ScaleView};

/// Runs one statement, collecting the claims of a claims query.
pub fn execute(db: &Db, statement: Statement, context: &Context<'_>) -> Result<Output> {
    let mut claims = Vec::new();
    let mut collect = |c| {
        claims.push(c);
        Ok(())
    };
    Ok(match execute_streaming(db, statement, context, &mut collect)? {
        Output::Claims(list) => Output::Claims(ClaimList { claims, matched: list.matched }),
        other => other,
    })
}

/// Runs one statement, sending the claims of a claims query to `sink` in
/// order as they are found; its [`Output::Claims`] then holds no claims,
/// only how many matched when a limit cut the list.
pub fn execute_streaming(
    db: &Db,
    statement: Statement,
    context: &Context<'_>,
    sink: &mut dyn ClaimSink,
) -> Result<Output> {
    let mut statement = statement;
    if ratings::asks_for_ratings(&statement) {
        let scale = read(db, |engine| engine.rating_scale())?;
        ratings::resolve(&scale, &mut statement);
    }
    match statement {
        Statement::Claims(query) => {
            let mut tell = |engine: &Engine, plan: &QueryPlan| {
                names::check_query(engine, &query, true, Some(&plan.select.unmatched), context.notes)
            };
            let matched = stream_query(db, &query, context, sink, Some(&mut tell))?;
            Ok(Output::Claims(ClaimList { claims: Vec::new(), matched }))
        }
        Statement::Export { query, path } => write::export(db, &query, &path, context),
        Statement::Explain(ref inner) if article::explains(inner) => read(db, |engine| article::explain(engine, inner)),
        Statement::Explain(ref inner) => read(db, |engine| {
            let plan = planner::plan(engine, inner)?;
            names::check(engine, &statement, unmatched_of(&plan), context.notes)?;
            Ok(Output::Plan(plan.steps()))
        }),
        Statement::Scale(crate::query::ast::ScaleStatement::Show) => read(db, |engine| {
            let view = ScaleView::new(engine.rating_scale()?, engine.ratings_in_use()?);
            Ok(Output::Scale(Box::new(view)))
        }),
        Statement::Sources(ref pattern) => {
            // Not planned: its names are looked up here.
            read(db, |engine| names::check(engine, &statement, None, context.notes))?;
            let pattern = pattern.clone();
            let all = db.sources()?;
            Ok(Output::Sources(all.into_iter().filter(|s| filter::source_matches(&s.source, &pattern)).collect()))
        }
        statement @ (Statement::Count { .. }
        | Statement::Show(_)
        | Statement::History(_)
        | Statement::TrackRecords(_)
        | Statement::Contradictions) => read(db, |engine| run_read(engine, &statement, context)),
        statement @ (Statement::Extract(_)
        | Statement::ImportArticle(_)
        | Statement::ReviewArticle(_)
        | Statement::Like(_)) => article::execute(db, statement, context),
        other => write::execute(db, other, context),
    }
}

/// Plans a read statement and carries the plan out.
fn run_read(engine: &Engine, statement: &Statement, context: &Context<'_>) -> Result<Output> {
    let plan = planner::plan(engine, statement)?;
    names::check(engine, statement, unmatched_of(&plan), context.notes)?;
    Ok(match plan {
        Plan::Count(plan) => match plan.group {
            None => Output::Count(count::count(engine, &plan, context)?),
            Some(g) => Output::Groups { by: g.name().to_string(), rows: count::groups(engine, &plan, context)? },
        },
        Plan::Claim { id, history } => match engine.claim(id.id)? {
            Some(claim) if history => Output::History { id: id.id, entries: claim.history },
            Some(claim) => Output::Claim(Box::new(claim)),
            None => return Err(errinput!(id.span; "no claim #{}", id.id)),
        },
        Plan::TrackRecords { select, query } => {
            Output::Records(track_records::track_records(engine, &select, &query, context)?)
        }
        Plan::Contradictions => Output::Pairs(track_records::unresolved_contradictions(engine)?),
        other => return Err(crate::errcorrupt!("a {other:?} plan is not run here")),
    })
}

/// The names a plan found no claim for, when the plan looked them up (a
/// ranking by rating is not looked up: `None` has them checked directly).
fn unmatched_of(plan: &Plan) -> Option<&[crate::query::plan::Unmatched]> {
    match plan {
        Plan::Claims(q) | Plan::Export { query: q, .. } => Some(&q.select.unmatched),
        Plan::Count(c) => Some(&c.select.unmatched),
        Plan::TrackRecords { query, .. } if matches!(query.ranked_by, Some(crate::query::ast::Rank::Rating(_))) => None,
        Plan::TrackRecords { select, .. } => Some(&select.unmatched),
        _ => None,
    }
}

/// Runs `f` under the read lock.
fn read<T>(db: &Db, f: impl FnOnce(&Engine) -> Result<T>) -> Result<T> {
    let _guard = db.read_lock();
    f(&db.engine)
}

/// Sends the claims a query selects to `sink`, one at a time in the
/// query's order, under the read lock (so they form one consistent view;
/// the sink must not call back into the database). Returns how many
/// matched when a limit cut the list and the plan counted them, as
/// [`ClaimList::matched`] does. Exports and streaming output use this.
/// What runs with a query's plan before any claim is sent (the notes about
/// the query's names).
pub(crate) type BeforeStream<'a> = &'a mut dyn FnMut(&Engine, &QueryPlan) -> Result<()>;

/// `before` runs with the plan before any claim is sent (the notes about
/// the query's names).
pub(crate) fn stream_query(
    db: &Db,
    query: &Query,
    context: &Context<'_>,
    sink: &mut dyn ClaimSink,
    before: Option<BeforeStream<'_>>,
) -> Result<Option<u64>> {
    read(db, |engine| {
        let plan = planner::plan_query(engine, query)?;
        if let Some(before) = before {
            before(engine, &plan)?;
        }
        run::stream(engine, &plan, context, sink)
    })
}

/// Turns an error about a claim into one pointing at where the claim's id
/// was written.
pub(crate) fn at_span(err: Error, span: crate::Span) -> Error {
    err.with_span(span)
}
