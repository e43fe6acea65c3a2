//! Reading: claims by id, posting lists, counts and statistics.

use super::postings;
use super::records::{StoredClaim, StoredSource};
use super::terms::{Term, TAG_OUTLET, TAG_SOURCE, TAG_TOPIC};
use super::{Db, Engine, META_NEXT_CLAIM};
use crate::errcorrupt;
use crate::error::Result;
use crate::model::{Claim, ClaimId, Link, Relation, Source, SourceCount, Status};
use crate::storage::codec;
use crate::storage::keycode::{prefix_end, KeyBuilder, KeyReader};
use crate::storage::Tree;
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
fn date_bounds(from: Option<i32>, to: Option<i32>) -> (Bound<Vec<u8>>, Bound<Vec<u8>>) {
    let start = match from {
        Some(d) => Term::Date(d).prefix(),
        None => Term::date_tag(),
    };
    let end = match to {
        Some(d) => prefix_end(&Term::Date(d).prefix()),
        None => prefix_end(&Term::date_tag()),
    };
    (Bound::Included(start), end.map_or(Bound::Unbounded, Bound::Excluded))
}

pub(crate) fn claim_key(id: ClaimId) -> [u8; 8] {
    id.to_be_bytes()
}

impl Engine {
    /// The stored record of claim `id`.
    pub(crate) fn stored_claim(&self, id: ClaimId) -> Result<Option<StoredClaim>> {
        match self.store.get(Tree::Claims, &claim_key(id))? {
            None => Ok(None),
            Some(bytes) => Ok(Some(codec::decode(&bytes, &format!("claim #{id}"))?)),
        }
    }

    /// The date, status and source of claim `id`, without decoding the rest.
    pub(crate) fn claim_head(&self, id: ClaimId) -> Result<Option<super::records::ClaimHead>> {
        match self.store.get(Tree::Claims, &claim_key(id))? {
            None => Ok(None),
            Some(bytes) => Ok(Some(codec::decode_head(&bytes, &format!("claim #{id}"))?)),
        }
    }

    /// The source record `id`, from the cache when possible.
    pub(crate) fn source(&self, id: u64) -> Result<Arc<Source>> {
        if let Some(s) = self.source_cache.read().unwrap_or_else(|e| e.into_inner()).get(&id) {
            return Ok(s.clone());
        }
        let bytes = self
            .store
            .get(Tree::Sources, &id.to_be_bytes())?
            .ok_or_else(|| errcorrupt!("source @{id} is referenced but missing"))?;
        let stored: StoredSource = codec::decode(&bytes, &format!("source @{id}"))?;
        let source = Arc::new(stored.to_source()?);
        self.source_cache.write().unwrap_or_else(|e| e.into_inner()).insert(id, source.clone());
        Ok(source)
    }

    fn links(&self, tree: Tree, id: ClaimId) -> Result<Vec<Link>> {
        let mut out = Vec::new();
        for item in self.store.scan_prefix(tree, &claim_key(id)) {
            let (key, _) = item?;
            let mut r = KeyReader::new(&key);
            r.u64()?;
            let relation = Relation::from_code(r.u8()?).ok_or_else(|| errcorrupt!("unknown relation code"))?;
            let claim = r.u64()?;
            r.finish()?;
            out.push(Link { relation, claim });
        }
        Ok(out)
    }

    /// Relations starting at claim `id`.
    pub(crate) fn links_from(&self, id: ClaimId) -> Result<Vec<Link>> {
        self.links(Tree::Links, id)
    }

    /// Relations pointing at claim `id` (each `Link` names the other claim).
    pub(crate) fn links_to(&self, id: ClaimId) -> Result<Vec<Link>> {
        self.links(Tree::LinksBack, id)
    }

    /// Every relation, as (from, relation, to), in order of `from`.
    pub(crate) fn all_links(&self) -> Result<Vec<(ClaimId, Relation, ClaimId)>> {
        let mut out = Vec::new();
        for item in self.store.scan_prefix(Tree::Links, &[]) {
            let (key, _) = item?;
            let mut r = KeyReader::new(&key);
            let from = r.u64()?;
            let relation = Relation::from_code(r.u8()?).ok_or_else(|| errcorrupt!("unknown relation code"))?;
            let to = r.u64()?;
            r.finish()?;
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

    /// Every id under `term`, sorted.
    pub(crate) fn postings(&self, term: &Term) -> Result<Vec<u64>> {
        self.postings_under(&term.prefix())
    }

    /// Every id under every term whose key starts with `prefix`, sorted and
    /// without repeats.
    pub(crate) fn postings_under(&self, prefix: &[u8]) -> Result<Vec<u64>> {
        let mut ids = Vec::new();
        let mut runs = 0;
        let mut last_term_end = Vec::new();
        for item in self.store.scan_prefix(Tree::Postings, prefix) {
            let (key, value) = item?;
            // A new term starts a new sorted run; several runs need a sort.
            let term_part = &key[..key.len().saturating_sub(8)];
            if term_part != last_term_end.as_slice() {
                runs += 1;
                last_term_end = term_part.to_vec();
            }
            postings::decode_into(&value, &mut ids)?;
        }
        if runs > 1 {
            ids = postings::normalize(ids);
        }
        Ok(ids)
    }

    /// The smallest id under `term`, if any.
    pub(crate) fn first_posting(&self, term: &Term) -> Result<Option<u64>> {
        match self.store.scan_prefix(Tree::Postings, &term.prefix()).next() {
            Some(item) => Ok(postings::decode(&item?.1)?.first().copied()),
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
        for item in self.store.scan_prefix(Tree::Postings, prefix) {
            n += postings::count(&item?.1)?;
        }
        Ok(n)
    }

    /// How many claims are dated within the inclusive day range (block
    /// headers only).
    pub(crate) fn count_dates(&self, from: Option<crate::model::Date>, to: Option<crate::model::Date>) -> Result<u64> {
        let (start, end) =
            date_bounds(from.map(crate::model::date::to_day_number), to.map(crate::model::date::to_day_number));
        let mut n = 0;
        for item in self.store.scan(Tree::Postings, start, end) {
            n += postings::count(&item?.1)?;
        }
        Ok(n)
    }

    /// Counts per term for every term whose key starts with `prefix`.
    pub(crate) fn count_terms_under(&self, prefix: &[u8]) -> Result<Vec<(Term, u64)>> {
        let mut out: Vec<(Term, u64)> = Vec::new();
        for item in self.store.scan_prefix(Tree::Postings, prefix) {
            let (key, value) = item?;
            let (term, _) = Term::parse_block_key(&key)?;
            let n = postings::count(&value)?;
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
        let scan = self.store.scan(Tree::Postings, start, end);
        let decode = move |item: Result<(crate::storage::Bytes, crate::storage::Bytes)>| {
            let (key, value) = item?;
            match Term::parse_block_key(&key)? {
                (Term::Date(day), _) => {
                    let mut ids = postings::decode(&value)?;
                    if reverse {
                        ids.reverse();
                    }
                    Ok((day, ids))
                }
                _ => Err(errcorrupt!("date index holds a non-date key")),
            }
        };
        let iter: Box<dyn Iterator<Item = _>> =
            if reverse { Box::new(scan.rev().map(decode)) } else { Box::new(scan.map(decode)) };
        iter
    }

    /// Every claim id in id order.
    pub(crate) fn claim_ids(&self, reverse: bool) -> impl Iterator<Item = Result<ClaimId>> + '_ {
        let scan = self.store.scan_prefix(Tree::Claims, &[]);
        let decode = |item: Result<(crate::storage::Bytes, crate::storage::Bytes)>| {
            let (key, _) = item?;
            let mut r = KeyReader::new(&key);
            let id = r.u64()?;
            r.finish()?;
            Ok(id)
        };
        let iter: Box<dyn Iterator<Item = _>> =
            if reverse { Box::new(scan.rev().map(decode)) } else { Box::new(scan.map(decode)) };
        iter
    }

    /// The number of claims (every claim has exactly one status).
    /// Source ids whose lower-cased name is `name_lower`.
    pub(crate) fn sources_named(&self, name_lower: &str) -> Result<Vec<u64>> {
        let prefix = KeyBuilder::default().str(name_lower).build();
        let mut ids = Vec::new();
        for item in self.store.scan_prefix(Tree::SourceKeys, &prefix) {
            let (_, value) = item?;
            ids.push(u64::from_be_bytes(value[..].try_into().map_err(|_| errcorrupt!("source key value is damaged"))?));
        }
        Ok(ids)
    }

    /// Every source id with its record.
    pub(crate) fn all_sources(&self) -> Result<Vec<(u64, Arc<Source>)>> {
        let mut out = Vec::new();
        for item in self.store.scan_prefix(Tree::Sources, &[]) {
            let (key, _) = item?;
            let mut r = KeyReader::new(&key);
            let id = r.u64()?;
            r.finish()?;
            out.push((id, self.source(id)?));
        }
        Ok(out)
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
