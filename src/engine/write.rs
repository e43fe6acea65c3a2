//! Writing: adding, changing, linking and deleting claims.
//!
//! Every public write takes the writer lock, stages all of its changes
//! (record, source, index blocks, counters) in one [`Staged`], writes them
//! as one atomic storage batch, flushes it and records it in the witness
//! before returning. A failure at any point before the write leaves the
//! database untouched; the write itself is one storage transaction.

use super::keys::{self, META_NEXT_CLAIM};
use super::packed;
use super::records::{
    store_change, store_evidence, store_history, to_micros, StoredChange, StoredClaim, StoredHistory,
};
use super::sources::PendingSources;
use super::staged::Staged;
use super::terms::{entries_of, Entry};
use super::{Db, Engine};
use crate::errinput;
use crate::error::{Error, Result};
use crate::model::{
    check_list_len, clean_list, clean_optional, clean_text, current_status, date, ClaimId, Date, Evidence,
    HistoryEntry, NewClaim, Relation, Source, Status, MAX_NAME_BYTES, MAX_TEXT_BYTES,
};
use crate::storage::Tree;
use chrono::{DateTime, Utc};
use std::collections::HashSet;

/// The largest claim id: 2^53 − 1, the largest integer that every JSON
/// reader keeps exactly.
pub const MAX_CLAIM_ID: ClaimId = (1 << 53) - 1;

/// The largest id a claim may be given (by an import, or `with_id`): 2^52.
/// Ids are never reused, so the next id given out is always past every id
/// used; this leaves at least 2^52 ids for the claims added after the
/// highest one given, so one far-off id cannot use up the id space.
pub const MAX_GIVEN_ID: ClaimId = 1 << 52;

/// A change of a claim's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusChange {
    /// The new status.
    pub status: Status,
    /// The day it takes effect; `None` means today.
    pub date: Option<Date>,
    /// Why, e.g. `Qatar denied the report`.
    pub note: Option<String>,
}

/// An edit of a claim field other than its status. Each edit is recorded in
/// the claim's list of changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimEdit {
    /// Replace the text.
    Text(String),
    /// Add outlets that reported the claim.
    AddOutlets(Vec<String>),
    /// Remove outlets.
    RemoveOutlets(Vec<String>),
    /// Add topics.
    AddTopics(Vec<String>),
    /// Remove topics.
    RemoveTopics(Vec<String>),
    /// Set or clear the rating.
    Rating(Option<String>),
    /// Set or clear the notes.
    Notes(Option<String>),
    /// Change the date.
    Date(Date),
    /// Attribute the claim to another source.
    Source(Source),
}

/// A claim checked and normalised, ready to be staged.
pub(crate) struct Prepared {
    pub id: Option<ClaimId>,
    pub record: StoredClaim,
    pub source: Source,
}

fn clean_source(source: &Source) -> Result<Source> {
    Ok(Source {
        name: clean_text("source name", &source.name, MAX_NAME_BYTES)?,
        kind: source.kind,
        anonymous: source.anonymous,
        affiliation: clean_optional("affiliation", source.affiliation.as_deref(), MAX_NAME_BYTES)?,
        description: clean_optional("source description", source.description.as_deref(), MAX_TEXT_BYTES)?,
    })
}

fn clean_evidence(e: &Evidence) -> Result<Evidence> {
    Ok(Evidence {
        url: clean_text("evidence url", &e.url, MAX_TEXT_BYTES)?,
        note: clean_optional("evidence note", e.note.as_deref(), MAX_TEXT_BYTES)?,
        author: clean_optional("evidence author", e.author.as_deref(), MAX_NAME_BYTES)?,
    })
}

/// Checks a new claim and turns it into its stored form.
pub(crate) fn prepare(new: &NewClaim, now: DateTime<Utc>) -> Result<Prepared> {
    let recorded_at = new.recorded_at.unwrap_or(now);
    let history: Vec<HistoryEntry> = if new.history.is_empty() {
        vec![HistoryEntry { status: new.status, date: new.date, note: None, recorded_at }]
    } else {
        new.history.clone()
    };
    check_list_len("pieces of evidence", new.evidence.len())?;
    check_list_len("status changes", history.len())?;
    for h in &history {
        if h.date < new.date {
            return Err(errinput!("a status change dated {} is before the claim's date {}", h.date, new.date));
        }
        clean_optional("history note", h.note.as_deref(), MAX_TEXT_BYTES)?;
    }
    let status = current_status(history.iter()).unwrap_or_default();
    if !new.history.is_empty() && new.status != status && new.status != Status::Unverified {
        return Err(errinput!("status '{}' does not match the latest status in the history, '{status}'", new.status));
    }
    let record = StoredClaim {
        text: clean_text("claim text", &new.text, MAX_TEXT_BYTES)?,
        source: 0,
        outlets: clean_list("outlet", &new.outlets)?,
        date: date::to_day_number(new.date),
        status: status.code(),
        rating: clean_optional("rating", new.rating.as_deref(), MAX_NAME_BYTES)?,
        topics: clean_list("topic", &new.topics)?,
        evidence: new.evidence.iter().map(|e| clean_evidence(e).map(|e| store_evidence(&e))).collect::<Result<_>>()?,
        notes: clean_optional("notes", new.notes.as_deref(), MAX_TEXT_BYTES)?,
        recorded_at: to_micros(recorded_at),
        history: history.iter().map(store_history).collect(),
        changes: new.changes.iter().map(store_change).collect(),
    };
    check_id(new.id)?;
    Ok(Prepared { id: new.id, record, source: clean_source(&new.source)? })
}

/// Refuses ids outside 1..=[`MAX_CLAIM_ID`].
fn check_id(id: Option<ClaimId>) -> Result<()> {
    match id {
        Some(0) => Err(errinput!("claim ids start at 1; #0 cannot be used")),
        Some(id) if id > MAX_GIVEN_ID => Err(Error::Input {
            message: format!(
                "claim id #{id} is too large: given ids go up to #{MAX_GIVEN_ID}, to leave ids for the claims added \
                 after it"
            ),
            span: None,
            help: Some("leave the id out to have one given, or use a smaller one".into()),
        }),
        _ => Ok(()),
    }
}

/// The index entries of a stored claim whose source is `source`.
pub(crate) fn claim_entries(record: &StoredClaim, source: &Source) -> Result<Vec<Entry>> {
    Ok(entries_of(
        record.date()?,
        record.source,
        source.kind,
        source.anonymous,
        source.affiliation.as_deref(),
        record.status()?,
        &record.outlets,
        &record.topics,
        record.rating.as_deref(),
        &record.text,
        &record
            .history
            .iter()
            .map(|h| crate::model::Status::from_code(h.status))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| crate::errcorrupt!("unknown status code in a history"))?,
    ))
}

fn render_list(list: &[String]) -> Option<String> {
    if list.is_empty() {
        None
    } else {
        Some(list.join(", "))
    }
}

/// The next automatic id after `id`, or an error when none is left.
pub(crate) fn id_after(id: ClaimId) -> Result<ClaimId> {
    match id.checked_add(1) {
        Some(next) if next <= MAX_CLAIM_ID + 1 => Ok(next),
        _ => Err(errinput!("no claim ids are left (the largest is #{MAX_CLAIM_ID})")),
    }
}

impl Engine {
    /// Stages claims (already prepared) with their sources and index entries.
    /// Returns the ids given to them.
    pub(crate) fn stage_inserts(
        &self,
        claims: Vec<Prepared>,
        staged: &mut Staged,
        sources: &mut PendingSources,
        next_id: &mut u64,
    ) -> Result<Vec<ClaimId>> {
        let mut ids = Vec::with_capacity(claims.len());
        let mut used = HashSet::new();
        for mut claim in claims {
            let id = match claim.id {
                Some(id) => {
                    if !used.insert(id) || staged.has_claim(self, id)? {
                        return Err(errinput!("claim #{id} already exists"));
                    }
                    id
                }
                None => loop {
                    // Skip ids taken explicitly earlier in this batch.
                    let id = *next_id;
                    if id > MAX_CLAIM_ID {
                        return Err(errinput!("no claim ids are left (the largest is #{MAX_CLAIM_ID})"));
                    }
                    *next_id += 1;
                    if used.insert(id) {
                        break id;
                    }
                },
            };
            *next_id = (*next_id).max(id_after(id)?);
            claim.id = Some(id);
            self.stage_claim(id, claim, staged, sources)?;
            ids.push(id);
        }
        staged.set_meta(META_NEXT_CLAIM, *next_id);
        Ok(ids)
    }

    /// Stages one checked claim under `id` (which must be free): its source,
    /// record and index entries. The caller moves the id counter.
    pub(crate) fn stage_claim(
        &self,
        id: ClaimId,
        mut claim: Prepared,
        staged: &mut Staged,
        sources: &mut PendingSources,
    ) -> Result<()> {
        claim.record.source = self.stage_source(&claim.source, sources, staged)?;
        staged.index.add_all(id, claim_entries(&claim.record, &claim.source)?);
        staged.put_claim(&self.store, id, &claim.record, true)
    }

    /// The next id to hand out (ids start at 1).
    pub(crate) fn next_claim_id(&self) -> Result<u64> {
        Ok(self.meta_u64(META_NEXT_CLAIM)?.max(1))
    }

    /// Stages the removal of claim `id` with its index entries and relations.
    pub(crate) fn stage_delete(&self, id: ClaimId, record: &StoredClaim, staged: &mut Staged) -> Result<()> {
        let source = self.source(record.source)?;
        staged.index.remove_all(id, claim_entries(record, &source)?);
        for link in self.links_from(id)? {
            staged.unlink(id, link.relation, link.claim);
        }
        for link in self.links_to(id)? {
            staged.unlink(link.claim, link.relation, id);
        }
        staged.remove_claim(&self.store, id)
    }

    /// Writes a staged change, makes it durable and records it in the
    /// witness (inside an atomic unit: writes it under the unit's undo
    /// journal instead, to be made durable when the unit commits).
    pub(crate) fn commit(&self, staged: Staged) -> Result<()> {
        let batch = staged.into_batch(&self.store, |_| Ok(()))?;
        self.write_acknowledged(batch)
    }

    fn existing(&self, id: ClaimId) -> Result<StoredClaim> {
        self.stored_claim(id)?.ok_or_else(|| errinput!("no claim #{id}"))
    }

    /// Whether relation `from relation to` is recorded.
    fn has_link(&self, from: ClaimId, relation: Relation, to: ClaimId) -> Result<bool> {
        let (fwd, _) = keys::relation_keys(from, relation, to);
        Ok(packed::get(&self.store, Tree::Relations, &fwd)?.is_some())
    }
}

impl Db {
    /// Adds a claim; returns its id.
    pub fn insert(&self, claim: NewClaim) -> Result<ClaimId> {
        Ok(self.insert_many(vec![claim])?[0])
    }

    /// Adds several claims in one atomic write; returns their ids in order.
    /// If any claim is invalid, none is added.
    pub fn insert_many(&self, claims: Vec<NewClaim>) -> Result<Vec<ClaimId>> {
        let now = self.engine.now();
        let prepared = claims.iter().map(|c| prepare(c, now)).collect::<Result<Vec<_>>>()?;
        let _guard = self.write_lock();
        let engine = &self.engine;
        let mut staged = Staged::default();
        let mut next_id = engine.next_claim_id()?;
        let ids = engine.stage_inserts(prepared, &mut staged, &mut PendingSources::default(), &mut next_id)?;
        engine.commit(staged)?;
        Ok(ids)
    }

    /// Adds claims and, in the same atomic write, adds outlets and a piece
    /// of evidence to existing claims (`import article`: proposals that
    /// repeat a claim are merged into it). The outlet change is recorded
    /// in the claim's changes; evidence it already has (the same URL) is
    /// not added again. If anything is invalid or a claim is missing,
    /// nothing is written. Returns the new claims' ids, in order.
    pub fn insert_and_amend(
        &self,
        claims: Vec<NewClaim>,
        amends: Vec<(ClaimId, Vec<String>, Evidence)>,
    ) -> Result<Vec<ClaimId>> {
        let now = self.engine.now();
        let prepared = claims.iter().map(|c| prepare(c, now)).collect::<Result<Vec<_>>>()?;
        let _guard = self.write_lock();
        let engine = &self.engine;
        let mut staged = Staged::default();
        let mut done: HashSet<ClaimId> = HashSet::new();
        for (id, outlets, evidence) in amends {
            if !done.insert(id) {
                return Err(errinput!("claim #{id} is amended twice in one write"));
            }
            let evidence = clean_evidence(&evidence)?;
            let mut record = engine.existing(id)?;
            let source = engine.source(record.source)?;
            let old_entries = claim_entries(&record, &source)?;
            let before = render_list(&record.outlets);
            let mut all = record.outlets.clone();
            all.extend(outlets);
            record.outlets = clean_list("outlet", &all)?;
            let after = render_list(&record.outlets);
            if before != after {
                record.changes.push(StoredChange {
                    field: "outlets".into(),
                    before,
                    after,
                    recorded_at: to_micros(now),
                });
            }
            if !record.evidence.iter().any(|e| e.url == evidence.url) {
                check_list_len("pieces of evidence", record.evidence.len() + 1)?;
                record.evidence.push(store_evidence(&evidence));
            }
            staged.index.replace(id, &old_entries, &claim_entries(&record, &source)?);
            staged.put_claim(&engine.store, id, &record, false)?;
        }
        let mut next_id = engine.next_claim_id()?;
        let ids = engine.stage_inserts(prepared, &mut staged, &mut PendingSources::default(), &mut next_id)?;
        engine.commit(staged)?;
        Ok(ids)
    }

    /// Changes a claim's status, appending to its history.
    pub fn set_status(&self, id: ClaimId, change: StatusChange) -> Result<()> {
        let note = clean_optional("note", change.note.as_deref(), MAX_TEXT_BYTES)?;
        let _guard = self.write_lock();
        let engine = &self.engine;
        let mut record = engine.existing(id)?;
        let effective = change.date.unwrap_or_else(date::today);
        let claim_date = record.date()?;
        if effective < claim_date {
            return Err(errinput!(
                "claim #{id} was made on {claim_date}; its status cannot change before that ({effective})"
            ));
        }
        let source = engine.source(record.source)?;
        let old_entries = claim_entries(&record, &source)?;
        check_list_len("status changes", record.history.len() + 1)?;
        record.history.push(StoredHistory {
            status: change.status.code(),
            date: date::to_day_number(effective),
            note,
            recorded_at: to_micros(engine.now()),
        });
        let claim = record.to_claim(id, (*source).clone(), vec![], vec![])?;
        record.status = current_status(claim.history.iter()).unwrap_or_default().code();
        let mut staged = Staged::default();
        staged.index.replace(id, &old_entries, &claim_entries(&record, &source)?);
        staged.put_claim(&engine.store, id, &record, false)?;
        engine.commit(staged)
    }

    /// Changes a field of a claim, keeping a trace of the old value.
    pub fn edit(&self, id: ClaimId, edit: ClaimEdit) -> Result<()> {
        let _guard = self.write_lock();
        let engine = &self.engine;
        let mut record = engine.existing(id)?;
        let old_source = engine.source(record.source)?;
        let old_entries = claim_entries(&record, &old_source)?;
        let mut staged = Staged::default();
        let mut new_source = (*old_source).clone();
        let (field, before, after) = match edit {
            ClaimEdit::Text(text) => {
                let text = clean_text("claim text", &text, MAX_TEXT_BYTES)?;
                ("text", Some(std::mem::replace(&mut record.text, text.clone())), Some(text))
            }
            ClaimEdit::AddOutlets(list) => {
                let (before, after) = edit_names(&mut record.outlets, list, Change::Add, "outlet", id)?;
                ("outlets", before, after)
            }
            ClaimEdit::RemoveOutlets(list) => {
                let (before, after) = edit_names(&mut record.outlets, list, Change::Remove, "outlet", id)?;
                ("outlets", before, after)
            }
            ClaimEdit::AddTopics(list) => {
                let (before, after) = edit_names(&mut record.topics, list, Change::Add, "topic", id)?;
                ("topics", before, after)
            }
            ClaimEdit::RemoveTopics(list) => {
                let (before, after) = edit_names(&mut record.topics, list, Change::Remove, "topic", id)?;
                ("topics", before, after)
            }
            ClaimEdit::Rating(Some(r)) if r.trim().is_empty() => {
                return Err(Error::Input {
                    message: "a rating cannot be empty".into(),
                    span: None,
                    help: Some(format!("give a rating such as \"false\", or remove it: clear rating of claim {id}")),
                });
            }
            ClaimEdit::Notes(Some(n)) if n.trim().is_empty() => {
                return Err(Error::Input {
                    message: "notes cannot be empty".into(),
                    span: None,
                    help: Some(format!("give some text, or remove the notes: clear notes of claim {id}")),
                });
            }
            ClaimEdit::Rating(rating) => {
                let rating = clean_optional("rating", rating.as_deref(), MAX_NAME_BYTES)?;
                ("rating", std::mem::replace(&mut record.rating, rating.clone()), rating)
            }
            ClaimEdit::Notes(notes) => {
                let notes = clean_optional("notes", notes.as_deref(), MAX_TEXT_BYTES)?;
                ("notes", std::mem::replace(&mut record.notes, notes.clone()), notes)
            }
            ClaimEdit::Date(new_date) => {
                let first_change = record.history.iter().skip(1).map(|h| h.date).min();
                if let Some(first) = first_change {
                    if date::to_day_number(new_date) > first {
                        return Err(errinput!(
                            "claim #{id} has a status change dated {}; its date cannot move after that",
                            date::from_day_number(first).map_or("?".into(), |d| d.to_string())
                        ));
                    }
                }
                let before = record.date()?.to_string();
                record.date = date::to_day_number(new_date);
                // The initial history entry is the claim's own date.
                if let Some(first) = record.history.first_mut() {
                    first.date = record.date;
                }
                ("date", Some(before), Some(new_date.to_string()))
            }
            ClaimEdit::Source(source) => {
                new_source = clean_source(&source)?;
                let before = describe_source(&old_source);
                record.source = engine.stage_source(&new_source, &mut PendingSources::default(), &mut staged)?;
                ("source", Some(before), Some(describe_source(&new_source)))
            }
        };
        if before == after {
            return Err(errinput!("claim #{id} already has that {field}; nothing changed"));
        }
        record.changes.push(StoredChange { field: field.into(), before, after, recorded_at: to_micros(engine.now()) });
        staged.index.replace(id, &old_entries, &claim_entries(&record, &new_source)?);
        staged.put_claim(&engine.store, id, &record, false)?;
        engine.commit(staged)
    }

    /// Attaches a piece of evidence to a claim.
    pub fn add_evidence(&self, id: ClaimId, evidence: Evidence) -> Result<()> {
        let evidence = clean_evidence(&evidence)?;
        let _guard = self.write_lock();
        let engine = &self.engine;
        let mut record = engine.existing(id)?;
        if record.evidence.iter().any(|e| e.url == evidence.url) {
            return Err(errinput!("claim #{id} already has evidence {}", evidence.url));
        }
        check_list_len("pieces of evidence", record.evidence.len() + 1)?;
        record.evidence.push(store_evidence(&evidence));
        let mut staged = Staged::default();
        staged.put_claim(&engine.store, id, &record, false)?;
        engine.commit(staged)
    }

    /// Records that claim `from` relates to claim `to`.
    pub fn link(&self, from: ClaimId, relation: Relation, to: ClaimId) -> Result<()> {
        if from == to {
            return Err(errinput!("a claim cannot be linked to itself"));
        }
        let _guard = self.write_lock();
        let engine = &self.engine;
        engine.existing(from)?;
        engine.existing(to)?;
        if engine.has_link(from, relation, to)? {
            return Err(errinput!("claim #{from} already {relation} claim #{to}"));
        }
        let mut staged = Staged::default();
        staged.link(from, relation, to);
        engine.mark_linked([from, to]);
        engine.commit(staged)
    }

    /// Removes the relation from claim `from` to claim `to`.
    pub fn unlink(&self, from: ClaimId, relation: Relation, to: ClaimId) -> Result<()> {
        let _guard = self.write_lock();
        let engine = &self.engine;
        if !engine.has_link(from, relation, to)? {
            return Err(errinput!("claim #{from} is not linked: {relation} claim #{to}"));
        }
        let mut staged = Staged::default();
        staged.unlink(from, relation, to);
        engine.commit(staged)
    }

    /// Deletes a claim with its relations. Its id is never given out again.
    pub fn delete(&self, id: ClaimId) -> Result<()> {
        let _guard = self.write_lock();
        let engine = &self.engine;
        let record = engine.existing(id)?;
        let mut staged = Staged::default();
        engine.stage_delete(id, &record, &mut staged)?;
        engine.commit(staged)
    }
}

/// Whether an edit adds names to a list or takes them out.
#[derive(Clone, Copy)]
enum Change {
    Add,
    Remove,
}

/// Adds names to a claim's outlets or topics (`what`: "outlet", "topic"),
/// or takes them out; gives the list before and after, as change traces
/// keep them.
fn edit_names(
    list: &mut Vec<String>,
    names: Vec<String>,
    change: Change,
    what: &str,
    id: ClaimId,
) -> Result<(Option<String>, Option<String>)> {
    if names.is_empty() {
        return Err(errinput!("no {what}s given"));
    }
    let before = render_list(list);
    match change {
        Change::Add => {
            let mut all = std::mem::take(list);
            all.extend(names);
            *list = clean_list(what, &all)?;
        }
        Change::Remove => remove_names(list, &names, what, id)?,
    }
    Ok((before, render_list(list)))
}

fn remove_names(list: &mut Vec<String>, remove: &[String], what: &str, id: ClaimId) -> Result<()> {
    for name in remove {
        let before = list.len();
        let name = name.trim();
        let lower = name.to_lowercase();
        list.retain(|v| v.to_lowercase() != lower);
        if list.len() == before {
            return Err(errinput!("claim #{id} has no {what} '{name}'"));
        }
    }
    Ok(())
}

/// A one-line description of a source, as kept in change traces.
pub(crate) fn describe_source(s: &Source) -> String {
    let mut out = format!("{:?}", s.name);
    if s.anonymous || s.kind != crate::model::Kind::Unknown {
        out.push_str(" as ");
        if s.anonymous {
            out.push_str("anonymous ");
        }
        out.push_str(s.kind.name());
    }
    if let Some(a) = &s.affiliation {
        out.push_str(&format!(" of {a:?}"));
    }
    out
}
