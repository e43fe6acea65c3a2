//! Write statements: each maps onto one call of the engine's write API.

use super::at_span;
use crate::engine::Db;
use crate::engine::{ClaimEdit, ImportOptions, StatusChange};
use crate::errinput;
use crate::error::{Error, Result};
use crate::interchange;
use crate::model::{Evidence, NewClaim, Source};
use crate::query::ast::{Edit, Query, Statement};
use crate::query::{Context, Output};
use std::path::Path;

/// Runs a write statement (or import).
pub fn execute(db: &Db, statement: Statement, context: &Context<'_>) -> Result<Output> {
    match statement {
        Statement::Add(add) => {
            let source = Source {
                name: add.source,
                kind: add.kind,
                anonymous: add.anonymous,
                affiliation: add.affiliation,
                description: None,
            };
            let mut claim = NewClaim::new(add.text, source, add.date).status(add.status);
            claim.outlets = add.outlets;
            claim.topics = add.topics;
            claim.rating = add.rating;
            claim.notes = add.notes;
            super::article::add_claim(db, claim)
        }
        Statement::SetStatus { id, status, date, note } => {
            let date = date.or(Some(context.today));
            db.set_status(id.id, StatusChange { status, date, note }).map_err(|e| at_span(e, id.span))?;
            let since = date.map(|d| format!(" as of {d}")).unwrap_or_default();
            let claim = db.get(id.id)?.ok_or_else(|| errinput!(id.span; "no claim #{}", id.id))?;
            if claim.status == status {
                Ok(Output::Done(format!("claim #{} is now {status}{since}", id.id)))
            } else {
                // The change took effect before the latest one: recorded in
                // the history, but the status is still the later one.
                Ok(Output::Done(format!(
                    "claim #{}: {status}{since} recorded; its status stays {} (since {})",
                    id.id,
                    claim.status,
                    claim.status_since()
                )))
            }
        }
        Statement::Edit { id, edit } => {
            let (what, edit) = match edit {
                Edit::Text(t) => ("text changed", ClaimEdit::Text(t)),
                Edit::Date(d) => ("date changed", ClaimEdit::Date(d)),
                Edit::Notes(Some(n)) => ("notes changed", ClaimEdit::Notes(Some(n))),
                Edit::Notes(None) => ("notes cleared", ClaimEdit::Notes(None)),
                Edit::Rating(Some(r)) => ("rated", ClaimEdit::Rating(Some(r))),
                Edit::Rating(None) => ("rating cleared", ClaimEdit::Rating(None)),
                Edit::Source { name, kind, anonymous, affiliation } => (
                    "source changed",
                    ClaimEdit::Source(Source { name, kind, anonymous, affiliation, description: None }),
                ),
                Edit::AddOutlets(l) => ("outlets added", ClaimEdit::AddOutlets(l)),
                Edit::RemoveOutlets(l) => ("outlets removed", ClaimEdit::RemoveOutlets(l)),
                Edit::AddTopics(l) => ("topics added", ClaimEdit::AddTopics(l)),
                Edit::RemoveTopics(l) => ("topics removed", ClaimEdit::RemoveTopics(l)),
            };
            db.edit(id.id, edit).map_err(|e| at_span(e, id.span))?;
            Ok(Output::Done(format!("claim #{}: {what}", id.id)))
        }
        Statement::AddEvidence { id, url, note } => {
            db.add_evidence(id.id, Evidence { url, note, author: None }).map_err(|e| at_span(e, id.span))?;
            Ok(Output::Done(format!("claim #{}: evidence added", id.id)))
        }
        Statement::Link { from, relation, to, remove } => {
            for r in [from, to] {
                if db.get(r.id)?.is_none() {
                    return Err(errinput!(r.span; "no claim #{}", r.id));
                }
            }
            if remove {
                db.unlink(from.id, relation, to.id).map_err(|e| at_span(e, from.span))?;
                Ok(Output::Done(format!("claim #{} no longer {relation} claim #{}", from.id, to.id)))
            } else {
                db.link(from.id, relation, to.id).map_err(|e| at_span(e, from.span))?;
                Ok(Output::Done(format!("claim #{} {relation} claim #{}", from.id, to.id)))
            }
        }
        Statement::Delete(id) => {
            db.delete(id.id).map_err(|e| at_span(e, id.span))?;
            Ok(Output::Done(format!("deleted claim #{}", id.id)))
        }
        Statement::Import(import) => {
            let options = ImportOptions { skip_bad: import.skip_bad || context.skip_bad, ..Default::default() };
            let report = interchange::import(db, &import.path, &import.format, &options, &context.control())?;
            Ok(Output::Imported(report))
        }
        other => Err(errinput!("{other:?} is not a write statement")),
    }
}

/// `export [query] to "FILE"`: the format follows the file's extension
/// (see [`interchange::export`]); each claim is written as the query
/// yields it.
pub fn export(db: &Db, query: &Query, path: &Path, context: &Context<'_>) -> Result<Output> {
    let n = interchange::export(db, path, |write| {
        let mut sink = |claim| {
            if context.cancel.load(std::sync::atomic::Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            write(claim)
        };
        super::stream_query(db, query, context, &mut sink).map(drop)
    })?;
    let noun = if n == 1 { "claim" } else { "claims" };
    Ok(Output::Done(format!("exported {n} {noun} to {}", path.display())))
}
