//! The executor: runs a parsed statement against the database and returns
//! its [`Output`]. Reads plan their query ([`crate::query::planner`]) and
//! run the plan ([`scan`]) under the database's read lock; writes go through
//! the engine's write API, one atomic, flushed write each.

mod explain;
mod filter;
mod records;
mod scan;
mod write;

use crate::engine::Engine;
use crate::errinput;
use crate::error::{Error, Result};
use crate::query::ast::{Query, Statement};
use crate::query::{planner, Context, Output};
use crate::Db;

/// Runs one statement.
pub fn execute(db: &Db, statement: Statement, context: &Context<'_>) -> Result<Output> {
    match statement {
        Statement::Claims(query) => read(db, |engine| {
            let plan = planner::plan(engine, &query, None, false)?;
            Ok(Output::Claims(scan::claims(engine, &plan, context)?.into()))
        }),
        Statement::Count { query, per } => read(db, |engine| {
            let plan = planner::plan(engine, &query, per, true)?;
            Ok(match per {
                None => Output::Count(scan::count(engine, &plan, context)?),
                Some(g) => Output::Groups { by: g.name().to_string(), rows: scan::groups(engine, &plan, context)? },
            })
        }),
        Statement::Show(id) => read(db, |engine| match engine.claim(id.id)? {
            Some(claim) => Ok(Output::Claim(Box::new(claim))),
            None => Err(errinput!(id.span; "no claim #{}", id.id)),
        }),
        Statement::History(id) => read(db, |engine| match engine.claim(id.id)? {
            Some(claim) => Ok(Output::History { id: id.id, entries: claim.history }),
            None => Err(errinput!(id.span; "no claim #{}", id.id)),
        }),
        Statement::Sources(pattern) => {
            let all = db.sources()?;
            let kept = all.into_iter().filter(|s| records::source_fits(&s.source, &pattern)).collect();
            Ok(Output::Sources(kept))
        }
        Statement::Explain(inner) => read(db, |engine| Ok(Output::Plan(explain_statement(engine, &inner)?))),
        Statement::TrackRecords(q) => {
            read(db, |engine| Ok(Output::Records(records::track_records(engine, &q, context)?)))
        }
        Statement::Contradictions => read(db, |engine| Ok(Output::Pairs(records::unresolved_contradictions(engine)?))),
        Statement::Export { query, path } => write::export(db, &query, &path, context),
        other => write::execute(db, other, context),
    }
}

/// Runs `f` under the read lock.
fn read<T>(db: &Db, f: impl FnOnce(&Engine) -> Result<T>) -> Result<T> {
    let _guard = db.read_lock();
    f(&db.engine)
}

/// Sends the claims a query selects to `sink`, in the query's order (for
/// exports and streaming output); returns how many matched when a limit cut
/// the list, as [`crate::query::ClaimList::matched`] does.
pub(crate) fn stream_query(
    db: &Db,
    query: &Query,
    context: &Context<'_>,
    sink: &mut dyn crate::query::ClaimSink,
) -> Result<Option<u64>> {
    // For now the claims are collected under the read lock and handed over
    // after it; the executor will produce them one at a time.
    let claims = read(db, |engine| {
        let plan = planner::plan(engine, query, None, false)?;
        scan::claims(engine, &plan, context)
    })?;
    for claim in claims {
        sink.claim(claim)?;
    }
    Ok(None)
}

fn explain_statement(engine: &Engine, statement: &Statement) -> Result<Vec<String>> {
    Ok(match statement {
        Statement::Claims(query) => explain::render(&planner::plan(engine, query, None, false)?, false),
        Statement::Count { query, per } => explain::render(&planner::plan(engine, query, *per, true)?, true),
        Statement::Show(id) | Statement::History(id) => vec![format!("read claim #{} by id", id.id)],
        Statement::Sources(_) => vec!["read every source with its claim count from the source index".into()],
        Statement::Explain(inner) => explain_statement(engine, inner)?,
        Statement::TrackRecords(q) => {
            let query = records::claims_query(q);
            let mut lines = explain::render(&planner::plan(engine, &query, None, true)?, true);
            lines.push(format!("count per {} and status, rating", records::group_name(q.group)));
            lines
        }
        Statement::Contradictions => vec![
            "scan the relations index for 'contradicts' links".into(),
            "load both claims of each link and keep pairs where neither is confirmed or false".into(),
        ],
        Statement::Export { query, .. } => {
            let mut lines = explain::render(&planner::plan(engine, query, None, false)?, false);
            lines.push("write the claims to the file".into());
            lines
        }
        _ => vec!["a write: one atomic batch (record, indexes, counters), flushed to disk before it returns".into()],
    })
}

/// Turns an error about a claim into one pointing at where the claim's id
/// was written.
pub(crate) fn at_span(err: Error, span: crate::Span) -> Error {
    err.with_span(span)
}
