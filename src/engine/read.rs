//! Reading: claims by id, posting lists, counts and statistics.

use super::keys::{
    self, block_count, decode_block_ids, decode_u64, id_page_key, id_slot, Direction, IdPage, CLAIMS_PER_PAGE,
    META_CLAIM_COUNT, META_NEXT_CLAIM, SOURCES_PER_PAGE,
};
use super::packed;
use super::postings;
use super::records::{ClaimHead, StoredClaim, StoredSource};
use super::terms::{Term, TAG_OUTLET, TAG_SOURCE, TAG_TOPIC};
use super::{Db, Engine};
use crate::errcorrupt;
use crate::error::Result;
use crate::model::{Claim, ClaimId, Link, Relation, Source, SourceCount, Status};
use crate::storage::keycode::prefix_end;
use crate::storage::{codec, Bytes, Tree};
use serde::Serialize;
use std::ops::Bound;
use std::sync::Arc;

/// Figures about a database, for `.stats`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// How many claims there are.
    pub claims: u64,
    /// Claims per status, in the order of [`Status::ALL`].
    pub per_status: Vec<(Status, u64)>,
    /// How many sources have at least one claim.
    pub sources: u64,
    /// Claims per outlet, most first.
    pub per_outlet: Vec<(String, u64)>,
    /// Bytes on disk.
    pub size_on_disk: u64,
    /// The next id a new claim will get.
    pub next_id: u64,
}

/// The key range of the date index between two day numbers (inclusive).
fn date_bounds(from: Option<i32>, to: Option<i32>) -> (Vec<u8>, Option<Vec<u8>>) {
    let start = match from {
        Some(d) => Term::Date(d).prefix(),
        None => Term::date_tag(),
    };
    let end = match to {
        Some(d) => prefix_end(&Term::Date(d).prefix()),
        None => prefix_end(&Term::date_tag()),
    };
    (start, end)
}

fn end_bound(end: &Option<Vec<u8>>) -> Bound<&[u8]> {
    match end {
        Some(e) => Bound::Excluded(e.as_slice()),
        None => Bound::Unbounded,
    }
}

impl Engine {
    /// The stored page holding `id` in an id tree, if any.
    fn id_page(&self, tree: Tree, id: u64, per_page: u64) -> Result<Option<Bytes>> {
        self.store.get(tree, &id_page_key(id, per_page))
    }

    /// The record bytes of claim `id`, handed to `f` while the page is held.
    fn with_claim_bytes<T>(&self, id: ClaimId, f: impl FnOnce(&[u8]) -> Result<T>) -> Result<Option<T>> {
        let Some(page) = self.id_page(Tree::ClaimPages, id, CLAIMS_PER_PAGE)? else { return Ok(None) };
        let view = IdPage::parse(&page, CLAIMS_PER_PAGE, &format!("the page of claim #{id}"))?;
        match view.get(id_slot(id, CLAIMS_PER_PAGE)) {
            Some(bytes) => f(bytes).map(Some),
            None => Ok(None),
        }
    }

    /// The stored record of claim `id`.
    pub(crate) fn stored_claim(&self, id: ClaimId) -> Result<Option<StoredClaim>> {
        self.with_claim_bytes(id, |bytes| codec::decode_body(bytes, &format!("claim #{id}")))
    }

    /// Whether claim `id` exists.
    pub(crate) fn has_claim(&self, id: ClaimId) -> Result<bool> {
        Ok(self.with_claim_bytes(id, |_| Ok(()))?.is_some())
    }

    /// The date, status and source of claim `id`, without decoding the rest.
    pub(crate) fn claim_head(&self, id: ClaimId) -> Result<Option<ClaimHead>> {
        self.with_claim_bytes(id, |bytes| codec::decode_body_head(bytes, &format!("claim #{id}")))
    }

    /// The source record `id`, from the cache when possible.
    pub(crate) fn source(&self, id: u64) -> Result<Arc<Source>> {
        if let Some(s) = self.source_cache.read().unwrap_or_else(|e| e.into_inner()).get(&id) {
            return Ok(s.clone());
        }
        let missing = || errcorrupt!("source @{id} is referenced but missing");
        let page = self.id_page(Tree::SourcePages, id, SOURCES_PER_PAGE)?.ok_or_else(missing)?;
        let view = IdPage::parse(&page, SOURCES_PER_PAGE, &format!("the page of source @{id}"))?;
        let bytes = view.get(id_slot(id, SOURCES_PER_PAGE)).ok_or_else(missing)?;
        let stored: StoredSource = codec::decode_body(bytes, &format!("source @{id}"))?;
        let source = Arc::new(stored.to_source()?);
        self.source_cache.write().unwrap_or_else(|e| e.into_inner()).insert(id, source.clone());
        Ok(source)
    }

    fn links(&self, direction: Direction, id: ClaimId) -> Result<Vec<Link>> {
        let prefix = keys::relation_prefix(direction, id);
        let mut out = Vec::new();
        for entry in packed::prefix(&self.store, Tree::Relations, &prefix)? {
            let (_, _, relation, claim) = keys::parse_relation_key(&entry?.key)?;
            out.push(Link { relation, claim });
        }
        Ok(out)
    }

    /// Relations starting at claim `id`.
    pub(crate) fn links_from(&self, id: ClaimId) -> Result<Vec<Link>> {
        self.links(Direction::From, id)
    }

    /// Relations pointing at claim `id` (each `Link` names the other claim).
    pub(crate) fn links_to(&self, id: ClaimId) -> Result<Vec<Link>> {
        self.links(Direction::To, id)
    }

    /// Every relation, as (from, relation, to), in order of `from`.
    pub(crate) fn all_links(&self) -> Result<Vec<(ClaimId, Relation, ClaimId)>> {
        let mut out = Vec::new();
        for entry in packed::prefix(&self.store, Tree::Relations, &[Direction::From as u8])? {
            let (_, from, relation, to) = keys::parse_relation_key(&entry?.key)?;
            out.push((from, relation, to));
        }
        Ok(out)
    }

    /// The whole claim `id`, with its relations in both directions.
    pub(crate) fn claim(&self, id: ClaimId) -> Result<Option<Claim>> {
        let Some(mut claim) = self.claim_without_links(id)? else {
            return Ok(None);
        };
        self.attach_links(&mut claim)?;
        Ok(Some(claim))
    }

    /// Claim `id` without its relations (two scans fewer), for checking
    /// filters before deciding to return it.
    pub(crate) fn claim_without_links(&self, id: ClaimId) -> Result<Option<Claim>> {
        let Some(stored) = self.stored_claim(id)? else {
            return Ok(None);
        };
        let source = self.source(stored.source)?;
        Ok(Some(stored.to_claim(id, (*source).clone(), Vec::new(), Vec::new())?))
    }

    /// Reads a claim's relations in both directions into it.
    pub(crate) fn attach_links(&self, claim: &mut Claim) -> Result<()> {
        if self.may_be_linked(claim.id) {
            claim.relations = self.links_from(claim.id)?;
            claim.linked_from = self.links_to(claim.id)?;
        }
        Ok(())
    }

    /// The index entries (posting blocks) whose keys start with `prefix`.
    pub(crate) fn blocks_under(&self, prefix: &[u8]) -> Result<packed::Iter> {
        packed::prefix(&self.store, Tree::Index, prefix)
    }

    /// Every id under `term`, sorted.
    pub(crate) fn postings(&self, term: &Term) -> Result<Vec<u64>> {
        self.postings_under(&term.prefix())
    }

    /// Every id under every term whose key starts with `prefix`, sorted and
    /// without repeats.
    pub(crate) fn postings_under(&self, prefix: &[u8]) -> Result<Vec<u64>> {
        let mut ids = Vec::new();
        let mut runs = 0;
        let mut last_term: Vec<u8> = Vec::new();
        for entry in self.blocks_under(prefix)? {
            let entry = entry?;
            // A new term starts a new sorted run; several runs need a sort.
            let term_part = &entry.key[..entry.key.len().saturating_sub(8)];
            if term_part != last_term.as_slice() {
                runs += 1;
                last_term = term_part.to_vec();
            }
            decode_block_ids(entry.value(), &mut ids)?;
        }
        if runs > 1 {
            ids = postings::normalize(ids);
        }
        Ok(ids)
    }

    /// The smallest id under `term`, if any.
    pub(crate) fn first_posting(&self, term: &Term) -> Result<Option<u64>> {
        match self.blocks_under(&term.prefix())?.next() {
            Some(entry) => {
                let mut ids = Vec::new();
                decode_block_ids(entry?.value(), &mut ids)?;
                Ok(ids.first().copied())
            }
            None => Ok(None),
        }
    }

    /// The spelling of a lower-cased index value (outlet, topic, rating,
    /// affiliation) as written on the first claim that has it.
    pub(crate) fn display_name(&self, term: &Term) -> Result<String> {
        let (lower, list): (&str, fn(&Claim) -> Vec<String>) = match term {
            Term::Outlet(s) => (s, |c| c.outlets.clone()),
            Term::Topic(s) => (s, |c| c.topics.clone()),
            Term::Rating(s) => (s, |c| c.rating.clone().into_iter().collect()),
            Term::Affiliation(s) => (s, |c| c.source.affiliation.clone().into_iter().collect()),
            _ => return Ok(term.describe()),
        };
        let claim = match self.first_posting(term)? {
            Some(id) => self.claim_without_links(id)?,
            None => None,
        };
        Ok(claim
            .and_then(|c| list(&c).into_iter().find(|v| v.to_lowercase() == lower))
            .unwrap_or_else(|| lower.to_string()))
    }

    /// How many ids are under `term`, reading block headers only.
    pub(crate) fn count_term(&self, term: &Term) -> Result<u64> {
        self.count_under(&term.prefix())
    }

    /// How many ids are under every term whose key starts with `prefix`
    /// (block headers only; an id under two such terms counts twice).
    pub(crate) fn count_under(&self, prefix: &[u8]) -> Result<u64> {
        let mut n = 0;
        for entry in self.blocks_under(prefix)? {
            n += block_count(entry?.value())?;
        }
        Ok(n)
    }

    /// How many claims are dated within the inclusive day range (block
    /// headers only).
    pub(crate) fn count_dates(&self, from: Option<crate::model::Date>, to: Option<crate::model::Date>) -> Result<u64> {
        let (start, end) =
            date_bounds(from.map(crate::model::date::to_day_number), to.map(crate::model::date::to_day_number));
        let mut n = 0;
        for entry in packed::range(&self.store, Tree::Index, Bound::Included(&start), end_bound(&end), false)? {
            n += block_count(entry?.value())?;
        }
        Ok(n)
    }

    /// Counts per term for every term whose key starts with `prefix`.
    pub(crate) fn count_terms_under(&self, prefix: &[u8]) -> Result<Vec<(Term, u64)>> {
        let mut out: Vec<(Term, u64)> = Vec::new();
        for entry in self.blocks_under(prefix)? {
            let entry = entry?;
            let (term, _) = Term::parse_block_key(&entry.key)?;
            let n = block_count(entry.value())?;
            match out.last_mut() {
                Some((last, count)) if *last == term => *count += n,
                _ => out.push((term, n)),
            }
        }
        Ok(out)
    }

    /// Posting blocks of the date index between two day numbers (inclusive;
    /// `None` is open), in date order, then id order within a day.
    pub(crate) fn date_blocks(
        &self,
        from: Option<i32>,
        to: Option<i32>,
        reverse: bool,
    ) -> impl Iterator<Item = Result<(i32, Vec<u64>)>> + '_ {
        let (start, end) = date_bounds(from, to);
        let decode = move |entry: Result<packed::Entry>| {
            let entry = entry?;
            match Term::parse_block_key(&entry.key)? {
                (Term::Date(day), _) => {
                    let mut ids = Vec::new();
                    decode_block_ids(entry.value(), &mut ids)?;
                    if reverse {
                        ids.reverse();
                    }
                    Ok((day, ids))
                }
                _ => Err(errcorrupt!("date index holds a non-date key")),
            }
        };
        let entries = packed::range(&self.store, Tree::Index, Bound::Included(&start), end_bound(&end), reverse);
        let iter: Box<dyn Iterator<Item = Result<packed::Entry>>> = match entries {
            Ok(iter) => Box::new(iter),
            Err(e) => Box::new(std::iter::once(Err(e))),
        };
        iter.map(decode)
    }

    /// Every claim id in id order.
    pub(crate) fn claim_ids(&self, reverse: bool) -> impl Iterator<Item = Result<ClaimId>> + '_ {
        let scan = self.store.scan(Tree::ClaimPages, Bound::Unbounded, Bound::Unbounded);
        let pages: Box<dyn Iterator<Item = _>> = if reverse { Box::new(scan.rev()) } else { Box::new(scan) };
        pages.flat_map(move |item| {
            let ids = (|| {
                let (key, page) = item?;
                let number = keys::decode_page_key(&key)?;
                let view = IdPage::parse(&page, CLAIMS_PER_PAGE, &format!("claim page {number}"))?;
                let ids: Vec<u64> =
                    view.records().map(|(slot, _)| number * CLAIMS_PER_PAGE + u64::from(slot)).collect();
                Ok::<_, crate::Error>(ids)
            })();
            let list: Vec<Result<ClaimId>> = match ids {
                Ok(mut ids) => {
                    if reverse {
                        ids.reverse();
                    }
                    ids.into_iter().map(Ok).collect()
                }
                Err(e) => vec![Err(e)],
            };
            list
        })
    }

    /// Source ids whose lower-cased name is `name_lower`.
    pub(crate) fn sources_named(&self, name_lower: &str) -> Result<Vec<u64>> {
        let prefix = keys::identity_name_prefix(name_lower);
        let mut ids = Vec::new();
        for entry in packed::prefix(&self.store, Tree::SourceNames, &prefix)? {
            ids.push(decode_u64(entry?.value(), "a source identity")?);
        }
        Ok(ids)
    }

    /// Every source id with its record.
    pub(crate) fn all_sources(&self) -> Result<Vec<(u64, Arc<Source>)>> {
        let mut out = Vec::new();
        for item in self.store.scan(Tree::SourcePages, Bound::Unbounded, Bound::Unbounded) {
            let (key, page) = item?;
            let number = keys::decode_page_key(&key)?;
            let view = IdPage::parse(&page, SOURCES_PER_PAGE, &format!("source page {number}"))?;
            for (slot, _) in view.records() {
                let id = number * SOURCES_PER_PAGE + u64::from(slot);
                out.push((id, self.source(id)?));
            }
        }
        Ok(out)
    }

    /// The number of claims.
    pub(crate) fn claim_count(&self) -> Result<u64> {
        self.meta_u64(META_CLAIM_COUNT)
    }

    pub(crate) fn stats(&self) -> Result<Stats> {
        let mut per_status: Vec<(Status, u64)> = Status::ALL.iter().map(|s| (*s, 0)).collect();
        for (term, n) in self.count_terms_under(&Term::status_tag())? {
            if let Term::Status(s) = term {
                per_status[s.code() as usize].1 = n;
            }
        }
        let mut per_outlet: Vec<(String, u64)> = Vec::new();
        for (term, n) in self.count_terms_under(&[TAG_OUTLET])? {
            per_outlet.push((self.display_name(&term)?, n));
        }
        per_outlet.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let sources = self.count_terms_under(&[TAG_SOURCE])?.len() as u64;
        Ok(Stats {
            claims: per_status.iter().map(|(_, n)| n).sum(),
            per_status,
            sources,
            per_outlet,
            size_on_disk: self.store.size_on_disk()?,
            next_id: self.meta_u64(META_NEXT_CLAIM)?.max(1),
        })
    }
}
impl Db {
    /// The claim with this id, with its history, evidence and relations.
    pub fn get(&self, id: ClaimId) -> Result<Option<Claim>> {
        let _guard = self.read_lock();
        self.engine.claim(id)
    }

    /// Every source that has claims, with its number of claims, most first.
    pub fn sources(&self) -> Result<Vec<SourceCount>> {
        let _guard = self.read_lock();
        let mut out = Vec::new();
        for (id, source) in self.engine.all_sources()? {
            let claims = self.engine.count_term(&Term::Source(id))?;
            if claims > 0 {
                out.push(SourceCount { source: (*source).clone(), claims });
            }
        }
        out.sort_by(|a, b| {
            b.claims.cmp(&a.claims).then_with(|| a.source.name.to_lowercase().cmp(&b.source.name.to_lowercase()))
        });
        Ok(out)
    }

    /// The number of claims.
    pub fn count(&self) -> Result<u64> {
        let _guard = self.read_lock();
        self.engine.claim_count()
    }

    /// Figures about the database.
    pub fn stats(&self) -> Result<Stats> {
        let _guard = self.read_lock();
        self.engine.stats()
    }

    /// The distinct outlets, topics and source names in the database, for
    /// completion in the REPL.
    pub fn vocabulary(&self) -> Result<Vocabulary> {
        let _guard = self.read_lock();
        let mut vocab = Vocabulary::default();
        for (term, _) in self.engine.count_terms_under(&[TAG_OUTLET])? {
            vocab.outlets.push(self.engine.display_name(&term)?);
        }
        for (term, _) in self.engine.count_terms_under(&[TAG_TOPIC])? {
            vocab.topics.push(self.engine.display_name(&term)?);
        }
        for (_, source) in self.engine.all_sources()? {
            if !vocab.sources.iter().any(|s: &String| s.eq_ignore_ascii_case(&source.name)) {
                vocab.sources.push(source.name.clone());
            }
        }
        Ok(vocab)
    }
}

/// Names present in a database.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vocabulary {
    /// Outlets, as first written.
    pub outlets: Vec<String>,
    /// Topics, as first written.
    pub topics: Vec<String>,
    /// Source names as first written.
    pub sources: Vec<String>,
}

impl Db {
    /// Calls `f` with every claim, in id order, while holding a consistent
    /// view of the database.
    pub fn for_each_claim(&self, mut f: impl FnMut(Claim) -> Result<()>) -> Result<()> {
        let _guard = self.read_lock();
        for id in self.engine.claim_ids(false) {
            let id = id?;
            let claim = self.engine.claim(id)?.ok_or_else(|| errcorrupt!("claim #{id} vanished during a scan"))?;
            f(claim)?;
        }
        Ok(())
    }
}
