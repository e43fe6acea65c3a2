//! Write statements: each maps onto one call of the engine's write API.

use super::at_span;
use crate::engine::rating_scale::{RatingScale, Spellings};
use crate::engine::Db;
use crate::engine::{ClaimEdit, ImportOptions, ImportRecord, StatusChange};
use crate::errinput;
use crate::error::{Error, RecordError, Result};
use crate::interchange;
use crate::model::{Evidence, NewClaim, Source};
use crate::query::ast::{Edit, IdRef, Name, Query, ScaleStatement, Statement};
use crate::query::{Context, Output};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

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
            claim.rating = match &add.rating {
                Some(r) => Some(on_the_scale(db, r)?),
                None => None,
            };
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
        Statement::Edit { id, edit } => edit_claim(db, id, edit),
        Statement::Scale(change) => change_scale(db, change),
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
            let scale = db.rating_scale()?;
            let check = rating_check(&scale);
            let report =
                interchange::import_checked(db, &import.path, &import.format, &options, &context.control(), &check)?;
            Ok(Output::Imported(report))
        }
        other => Err(errinput!("{other:?} is not a write statement")),
    }
}

/// The check an import statement runs on each record: its rating must be
/// on the scale, and is stored as the scale spells it. The first record
/// with a rating off the scale says how to widen it; later ones with the
/// same rating point back to it.
fn rating_check(scale: &RatingScale) -> impl Fn(&mut ImportRecord) -> std::result::Result<(), RecordError> + Sync + '_ {
    let first_seen: Mutex<HashMap<String, u64>> = Mutex::new(HashMap::new());
    let spellings = Spellings::new(scale);
    move |record: &mut ImportRecord| {
        let Some(rating) = record.claim.rating.as_deref() else { return Ok(()) };
        if rating.trim().is_empty() {
            return Ok(());
        }
        match spellings.accept(rating) {
            Ok(spelling) => {
                record.claim.rating = Some(spelling);
                Ok(())
            }
            Err(e) => {
                let key = crate::engine::rating_scale::key(rating);
                let mut seen = first_seen.lock().unwrap_or_else(|e| e.into_inner());
                let message = match seen.get(&key) {
                    Some(line) => format!("{rating:?} is not on the rating scale either (see line {line})"),
                    None => {
                        seen.insert(key, record.line);
                        match e {
                            Error::Input { message, help: Some(help), .. } => format!("{message}; {help}"),
                            other => other.to_string(),
                        }
                    }
                };
                Err(RecordError { line: record.line, field: Some("rating".into()), message })
            }
        }
    }
}

/// The rating to store for `rating`: the scale's spelling of it, or an
/// error pointing at it when the scale does not have it.
fn on_the_scale(db: &Db, rating: &Name) -> Result<String> {
    db.rating_scale()?.accept(rating).map_err(|e| e.with_span(rating.span))
}

/// A change of one field of a claim. Giving a claim what it has already
/// (a topic it has, the rating it has) changes nothing and says so; the
/// rest goes to the engine, one atomic write.
fn edit_claim(db: &Db, id: IdRef, edit: Edit) -> Result<Output> {
    let claim = db.get(id.id)?.ok_or_else(|| errinput!(id.span; "no claim #{}", id.id))?;
    let n = id.id;
    let unchanged = |what: String| Ok(Output::Done(format!("claim #{n} {what}; nothing changed")));
    let (what, edit) = match edit {
        Edit::Text(t) if t.trim() == claim.text => return unchanged("already has that text".into()),
        Edit::Text(t) => ("text changed".to_string(), ClaimEdit::Text(t)),
        Edit::Date(d) if d == claim.date => return unchanged(format!("is already dated {d}")),
        Edit::Date(d) => ("date changed".into(), ClaimEdit::Date(d)),
        Edit::Notes(Some(t)) if Some(t.trim()) == claim.notes.as_deref() => {
            return unchanged("already has those notes".into());
        }
        Edit::Notes(Some(t)) => ("notes changed".into(), ClaimEdit::Notes(Some(t))),
        Edit::Notes(None) if claim.notes.is_none() => return unchanged("has no notes".into()),
        Edit::Notes(None) => ("notes cleared".into(), ClaimEdit::Notes(None)),
        Edit::Rating(Some(r)) => {
            let rating = on_the_scale(db, &r)?;
            if let Some(old) = claim.rating.as_deref().filter(|old| old.to_lowercase() == rating.to_lowercase()) {
                return unchanged(format!("is already rated {old}"));
            }
            (format!("rated {rating}"), ClaimEdit::Rating(Some(rating)))
        }
        Edit::Rating(None) if claim.rating.is_none() => return unchanged("has no rating".into()),
        Edit::Rating(None) => ("rating cleared".into(), ClaimEdit::Rating(None)),
        Edit::Source { name, kind, anonymous, affiliation } => {
            let source = Source { name, kind, anonymous, affiliation, description: None };
            let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
            let old = &claim.source;
            if same(&old.name, &source.name)
                && (old.kind, old.anonymous) == (source.kind, source.anonymous)
                && match (&old.affiliation, &source.affiliation) {
                    (Some(a), Some(b)) => same(a, b),
                    (a, b) => a.is_none() && b.is_none(),
                }
            {
                return unchanged(format!("is already attributed to {}", old.name));
            }
            ("source changed".into(), ClaimEdit::Source(source))
        }
        Edit::AddOutlets(list) => match new_names(&claim.outlets, list) {
            (new, had) if new.is_empty() => return unchanged(format!("already has {}", names("outlet", &had))),
            (new, had) => (added(&new, &had, "outlet"), ClaimEdit::AddOutlets(new)),
        },
        Edit::AddTopics(list) => match new_names(&claim.topics, list) {
            (new, had) if new.is_empty() => return unchanged(format!("already has {}", names("topic", &had))),
            (new, had) => (added(&new, &had, "topic"), ClaimEdit::AddTopics(new)),
        },
        Edit::RemoveOutlets(l) => (format!("{} removed", names("outlet", &l)), ClaimEdit::RemoveOutlets(l)),
        Edit::RemoveTopics(l) => (format!("{} removed", names("topic", &l)), ClaimEdit::RemoveTopics(l)),
    };
    db.edit(n, edit).map_err(|e| at_span(e, id.span))?;
    Ok(Output::Done(format!("claim #{n}: {what}")))
}

/// The names of `list` the claim does not have yet (once each), and those
/// it has (compared as the engine compares them: trimmed, any case).
fn new_names(has: &[String], list: Vec<String>) -> (Vec<String>, Vec<String>) {
    let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    let (mut new, mut had): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for name in list {
        if let Some(existing) = has.iter().find(|h| same(h, &name)) {
            if !had.iter().any(|h| same(h, existing)) {
                had.push(existing.clone());
            }
        } else if !new.iter().any(|n| same(n, &name)) {
            new.push(name);
        }
    }
    (new, had)
}

/// `topic Doha`, `topics Doha, Gaza`.
fn names(what: &str, list: &[String]) -> String {
    let plural = if list.len() == 1 { "" } else { "s" };
    format!("{what}{plural} {}", list.join(", "))
}

/// `topic Gaza added`, `topic Gaza added (it had Doha already)`.
fn added(new: &[String], had: &[String], what: &str) -> String {
    let mut out = format!("{} added", names(what, new));
    if !had.is_empty() {
        out.push_str(&format!(" (it had {} already)", had.join(", ")));
    }
    out
}

/// `set rating scale to …`, `add rating … to rating scale`, `remove
/// rating … from rating scale`: one atomic write of the new scale, refused
/// when claims have ratings it would not have.
fn change_scale(db: &Db, change: ScaleStatement) -> Result<Output> {
    let texts = |list: &[Name]| list.iter().map(|n| n.text.trim().to_string()).collect::<Vec<_>>();
    let mut named: &[Name] = &[];
    let (scale, said) = match change {
        ScaleStatement::Set(scale) => {
            let said = format!("the rating scale is now {}", scale.describe());
            (scale, said)
        }
        ScaleStatement::Add { ref ratings, leaning } => {
            named = ratings;
            let old = db.rating_scale()?;
            let scale = old.widened(&texts(ratings), leaning).map_err(|e| at_first(e, ratings))?;
            let said = format!("the rating scale is now {}", scale.describe());
            (scale, said)
        }
        ScaleStatement::Remove(ref ratings) => {
            named = ratings;
            let old = db.rating_scale()?;
            let scale = old.narrowed(&texts(ratings)).map_err(|e| at_first(e, ratings))?;
            let said = format!("the rating scale is now {}", scale.describe());
            (scale, said)
        }
        ScaleStatement::Show => return Err(errinput!("showing the rating scale is not a write")),
    };
    db.set_rating_scale(&scale).map_err(|e| at_first(e, named))?;
    Ok(Output::Done(said))
}

/// An error about a list of names, pointing at the first (or at the one
/// it quotes).
fn at_first(err: Error, names: &[Name]) -> Error {
    let message = err.to_string();
    let named = names.iter().find(|n| message.contains(&format!("{:?}", n.text.trim()))).or(names.first());
    match named {
        Some(n) => err.with_span(n.span),
        None => err,
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
        let mut tell = |engine: &crate::engine::Engine, plan: &crate::query::plan::QueryPlan| {
            super::names::check_query(engine, query, false, Some(&plan.select.unmatched), context.notes)
        };
        super::stream_query(db, query, context, &mut sink, Some(&mut tell)).map(drop)
    })?;
    let noun = if n == 1 { "claim" } else { "claims" };
    Ok(Output::Done(format!("exported {n} {noun} to {}", path.display())))
}
