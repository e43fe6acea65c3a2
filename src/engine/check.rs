//! The integrity check: walks every stored page (claim and source pages,
//! the packed pages of the index, source identities and relations), checks
//! each one's own structure, and reports every entry that does not match
//! the records; it also compares the database with the witness in its
//! marker.
//!
//! Index entries are compared through fingerprints (per term: the number of
//! ids and an order-independent hash of every id with its positions), so
//! the check needs memory per term, not per entry; the terms that differ
//! are then read again to name the ids at fault.

use super::keys::{
    self, decode_block, decode_packed, identity_key, IdPage, CLAIMS_PER_PAGE, META_CLAIM_COUNT, META_FORMAT,
    META_NEXT_CLAIM, META_NEXT_SOURCE, META_UNDO_OPEN, META_WRITE_SEQ, PACKED_PAGE_BYTES, SOURCES_PER_PAGE,
};
use super::postings::PostingList;
use super::records::{StoredClaim, StoredSource};
use super::terms::{Entry, Term};
use super::write::claim_entries;
use super::{Db, Engine, FORMAT_VERSION};
use crate::error::Result;
use crate::storage::{codec, Tree};
use fxhash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

/// What the integrity check found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Claim records read.
    pub claims: u64,
    /// Source records read.
    pub sources: u64,
    /// Index entries (claim ids in posting blocks) read.
    pub index_entries: u64,
    /// Relations read.
    pub links: u64,
    /// Every problem found, one line each; empty when all is well.
    pub problems: Vec<String>,
}

impl CheckReport {
    /// Whether no problem was found.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The most problems listed before the check stops collecting them.
const MAX_PROBLEMS: usize = 1000;
/// The most index terms whose ids at fault are named.
const MAX_DETAILED_TERMS: usize = 20;

impl CheckReport {
    fn problem(&mut self, text: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(text);
        }
    }
}

impl Db {
    /// Checks that every stored page is well formed, that every index entry
    /// matches the primary data and vice versa, that relations are recorded
    /// in both directions, that the counters are ahead of every id in use,
    /// and that no acknowledged write is missing (against the witness).
    pub fn check(&self) -> Result<CheckReport> {
        let _guard = self.read_lock();
        self.engine.check()
    }
}

/// An order-independent fingerprint of a set of (id, positions).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Print {
    count: u64,
    sum: u64,
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Print {
    fn add(&mut self, id: u64, positions: &[u32]) {
        let mut h = mix(id);
        for &p in positions {
            h = mix(h ^ u64::from(p));
        }
        self.count += 1;
        self.sum = self.sum.wrapping_add(h);
    }
}

/// Calls `f` with every entry of the packed tree `tree`, after checking
/// each page: its key is its first entry's key, its entries are in order
/// and below the next page's key, and it is within size.
fn walk_packed(
    engine: &Engine,
    tree: Tree,
    report: &mut CheckReport,
    mut f: impl FnMut(&[u8], &[u8], &mut CheckReport),
) -> Result<()> {
    let mut last: Option<Vec<u8>> = None;
    for item in engine.store.scan(tree, Bound::Unbounded, Bound::Unbounded) {
        let (page_key, page) = item?;
        let what = format!("{} page {:?}", tree.name(), String::from_utf8_lossy(&page_key));
        let entries = match decode_packed(&page, &what) {
            Ok(e) => e,
            Err(e) => {
                report.problem(e.to_string());
                continue;
            }
        };
        if entries[0].0.as_slice() != &page_key[..] {
            report.problem(format!("{what} is not keyed by its first entry"));
        }
        if last.as_ref().is_some_and(|l| l.as_slice() >= entries[0].0.as_slice()) {
            report.problem(format!("{what} overlaps the page before it"));
        }
        if page.len() > PACKED_PAGE_BYTES && entries.len() > 1 {
            report.problem(format!("{what} holds {} bytes, more than a page may", page.len()));
        }
        for (key, range) in &entries {
            f(key, &page[range.clone()], report);
        }
        last = entries.last().map(|(k, _)| k.clone());
    }
    Ok(())
}

/// Calls `f` with every (id, record) of the id tree `tree`, after checking
/// each page's table.
fn walk_ids(
    engine: &Engine,
    tree: Tree,
    per_page: u64,
    report: &mut CheckReport,
    mut f: impl FnMut(u64, &[u8], &mut CheckReport) -> Result<()>,
) -> Result<()> {
    for item in engine.store.scan(tree, Bound::Unbounded, Bound::Unbounded) {
        let (key, page) = item?;
        let Ok(number) = keys::decode_page_key(&key) else {
            report.problem(format!("{} holds a key {key:?} that is not a page number", tree.name()));
            continue;
        };
        match IdPage::parse(&page, per_page, &format!("{} page {number}", tree.name())) {
            Err(e) => report.problem(e.to_string()),
            Ok(view) => {
                for (slot, record) in view.records() {
                    f(number * per_page + u64::from(slot), record, report)?;
                }
            }
        }
    }
    Ok(())
}

impl Engine {
    fn check(&self) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        self.check_meta(&mut report)?;
        let source_ids = self.check_sources(&mut report)?;
        let (claim_ids, expected) = self.check_claims(&source_ids, &mut report)?;
        self.check_index(expected, &mut report)?;
        self.check_relations(&claim_ids, &mut report)?;
        Ok(report)
    }

    fn check_meta(&self, report: &mut CheckReport) -> Result<()> {
        match self.store.get(Tree::Meta, META_FORMAT)? {
            Some(v) if keys::decode_format(&v).ok() == Some(FORMAT_VERSION) => {}
            _ => report.problem(format!("the format version is not {FORMAT_VERSION}")),
        }
        for key in [META_NEXT_CLAIM, META_NEXT_SOURCE, META_CLAIM_COUNT, META_WRITE_SEQ] {
            if let Err(e) = self.meta_u64(key) {
                report.problem(e.to_string());
            }
        }
        if self.store.get(Tree::Meta, META_UNDO_OPEN)?.is_some() && !self.in_unit() {
            report.problem("an import or atomic unit was left unfinished (it is rolled back at the next open)".into());
        }
        if let Some(marker) = &self.marker {
            match marker.read() {
                Err(e) => report.problem(e.to_string()),
                Ok(w) => {
                    let seq = self.meta_u64(META_WRITE_SEQ).unwrap_or(0);
                    if seq < w.seq {
                        report.problem(format!(
                            "{} acknowledged writes are missing: the marker witnessed write #{}, the database \
                             holds #{seq}; restore the latest backup (.restore)",
                            w.seq - seq,
                            w.seq
                        ));
                    }
                    let next = self.meta_u64(META_NEXT_CLAIM).unwrap_or(0);
                    if next < w.next_claim {
                        report.problem(format!(
                            "claim ids up to #{} were given out, but the id counter is at #{next}",
                            w.next_claim - 1
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    fn check_sources(&self, report: &mut CheckReport) -> Result<FxHashMap<u64, crate::model::Source>> {
        let next_source = self.meta_u64(META_NEXT_SOURCE).unwrap_or(u64::MAX);
        let mut sources = FxHashMap::default();
        walk_ids(self, Tree::SourcePages, SOURCES_PER_PAGE, report, |id, bytes, report| {
            report.sources += 1;
            if id >= next_source {
                report.problem(format!("source @{id} is not below the source counter {next_source}"));
            }
            match codec::decode_body::<StoredSource>(bytes, &format!("source @{id}")).and_then(|s| s.to_source()) {
                Err(e) => report.problem(e.to_string()),
                Ok(source) => {
                    sources.insert(id, source);
                }
            }
            Ok(())
        })?;
        let mut named: FxHashSet<u64> = FxHashSet::default();
        walk_packed(self, Tree::SourceNames, report, |key, value, report| {
            let Ok(id) = keys::decode_u64(value, "a source identity") else {
                report.problem(format!("a source identity entry {key:?} holds a damaged id"));
                return;
            };
            match sources.get(&id) {
                Some(source) if identity_key(source) == key => {
                    named.insert(id);
                }
                Some(source) => {
                    report.problem(format!("the identity entry of source @{id} ({}) is wrong", source.name))
                }
                None => report.problem(format!("a source identity entry points at missing source @{id}")),
            }
        })?;
        let mut unnamed: Vec<&u64> = sources.keys().filter(|id| !named.contains(id)).collect();
        unnamed.sort();
        for id in unnamed {
            report.problem(format!("source @{id} ({}) has no identity entry", sources[id].name));
        }
        Ok(sources)
    }

    #[allow(clippy::type_complexity)]
    fn check_claims(
        &self,
        sources: &FxHashMap<u64, crate::model::Source>,
        report: &mut CheckReport,
    ) -> Result<(FxHashSet<u64>, FxHashMap<Term, Print>)> {
        let next_claim = self.meta_u64(META_NEXT_CLAIM).unwrap_or(u64::MAX);
        let mut ids = FxHashSet::default();
        let mut expected: FxHashMap<Term, Print> = FxHashMap::default();
        walk_ids(self, Tree::ClaimPages, CLAIMS_PER_PAGE, report, |id, bytes, report| {
            report.claims += 1;
            ids.insert(id);
            if id >= next_claim {
                report.problem(format!("claim #{id} is not below the id counter {next_claim}"));
            }
            match self.claim_entries_checked(id, bytes, sources) {
                Ok(entries) => {
                    for (term, positions) in entries {
                        expected.entry(term).or_default().add(id, &positions);
                    }
                }
                Err(e) => report.problem(e.to_string()),
            }
            Ok(())
        })?;
        if let Ok(count) = self.meta_u64(META_CLAIM_COUNT) {
            if count != report.claims {
                report.problem(format!("the claim count says {count}, but there are {} claims", report.claims));
            }
        }
        Ok((ids, expected))
    }

    /// A claim record decoded and checked whole, and its index entries.
    fn claim_entries_checked(
        &self,
        id: u64,
        bytes: &[u8],
        sources: &FxHashMap<u64, crate::model::Source>,
    ) -> Result<Vec<Entry>> {
        let record: StoredClaim = codec::decode_body(bytes, &format!("claim #{id}"))?;
        let source = sources
            .get(&record.source)
            .ok_or_else(|| crate::errcorrupt!("claim #{id} refers to missing source @{}", record.source))?;
        // Decoding the whole claim checks every code and date in it.
        record.to_claim(id, source.clone(), vec![], vec![])?;
        claim_entries(&record, source)
    }

    fn check_index(&self, expected: FxHashMap<Term, Print>, report: &mut CheckReport) -> Result<()> {
        let mut seen: FxHashMap<Term, Print> = FxHashMap::default();
        let mut last: Option<(Term, u64)> = None;
        walk_packed(self, Tree::Index, report, |key, value, report| {
            let (term, first) = match Term::parse_block_key(key) {
                Ok(parsed) => parsed,
                Err(e) => {
                    report.problem(e.to_string());
                    return;
                }
            };
            let mut list = PostingList::new(term.is_positional());
            if let Err(e) = decode_block(value, &mut list) {
                report.problem(format!("index block {}: {e}", term.describe()));
                return;
            }
            report.index_entries += list.len() as u64;
            if list.ids[0] != first {
                report.problem(format!(
                    "index block {} starts at #{}, its key says #{first}",
                    term.describe(),
                    list.ids[0]
                ));
            }
            if let Some((last_term, last_id)) = &last {
                if *last_term == term && *last_id >= list.ids[0] {
                    report.problem(format!("index blocks of {} overlap", term.describe()));
                }
            }
            let print = seen.entry(term.clone()).or_default();
            for i in 0..list.len() {
                print.add(list.ids[i], list.positions_of(i));
            }
            last = Some((term, *list.ids.last().expect("blocks are never empty")));
        })?;
        let mut differing: BTreeSet<Term> = BTreeSet::new();
        for (term, print) in &seen {
            if expected.get(term) != Some(print) {
                differing.insert(term.clone());
            }
        }
        for term in expected.keys() {
            if !seen.contains_key(term) {
                differing.insert(term.clone());
            }
        }
        for term in differing.iter().skip(MAX_DETAILED_TERMS) {
            report.problem(format!("index {} does not match the claims", term.describe()));
        }
        let detailed: BTreeSet<Term> = differing.into_iter().take(MAX_DETAILED_TERMS).collect();
        if !detailed.is_empty() {
            self.name_index_faults(&detailed, report)?;
        }
        Ok(())
    }

    /// For terms whose index does not match, the ids at fault.
    fn name_index_faults(&self, terms: &BTreeSet<Term>, report: &mut CheckReport) -> Result<()> {
        let mut want: BTreeMap<Term, BTreeMap<u64, Vec<u32>>> =
            terms.iter().map(|t| (t.clone(), BTreeMap::new())).collect();
        for id in self.claim_ids(false) {
            let id = id?;
            let Ok(Some(record)) = self.stored_claim(id) else { continue };
            let Ok(source) = self.source(record.source) else { continue };
            let Ok(entries) = claim_entries(&record, &source) else { continue };
            for (term, positions) in entries {
                if let Some(list) = want.get_mut(&term) {
                    list.insert(id, positions);
                }
            }
        }
        for (term, want) in want {
            let mut have = PostingList::new(term.is_positional());
            for entry in self.blocks_under(&term.prefix())? {
                let entry = entry?;
                if Term::parse_block_key(&entry.key).is_ok_and(|(t, _)| t == term) {
                    let _ = decode_block(entry.value(), &mut have);
                }
            }
            let have_ids: BTreeSet<u64> = have.ids.iter().copied().collect();
            let stray: Vec<u64> = have.ids.iter().filter(|id| !want.contains_key(id)).take(5).copied().collect();
            let missing: Vec<u64> = want.keys().filter(|id| !have_ids.contains(id)).take(5).copied().collect();
            let moved: Vec<u64> = (0..have.len())
                .filter(|&i| want.get(&have.ids[i]).is_some_and(|p| p.as_slice() != have.positions_of(i)))
                .map(|i| have.ids[i])
                .take(5)
                .collect();
            let mut text = format!(
                "index {} does not match the claims (stray ids {stray:?}, missing ids {missing:?}",
                term.describe()
            );
            if !moved.is_empty() {
                text.push_str(&format!(", wrong positions for {moved:?}"));
            }
            text.push(')');
            report.problem(text);
        }
        Ok(())
    }

    fn check_relations(&self, claims: &FxHashSet<u64>, report: &mut CheckReport) -> Result<()> {
        let mut entries: FxHashSet<Vec<u8>> = FxHashSet::default();
        let mut parsed = Vec::new();
        walk_packed(self, Tree::Relations, report, |key, _, report| match keys::parse_relation_key(key) {
            Ok(p) => {
                entries.insert(key.to_vec());
                parsed.push(p);
            }
            Err(_) => report.problem(format!("relation key {key:?} is damaged")),
        })?;
        for (direction, a, relation, b) in parsed {
            let (from, to) = match direction {
                keys::Direction::From => {
                    report.links += 1;
                    (a, b)
                }
                keys::Direction::To => (b, a),
            };
            if !claims.contains(&from) || !claims.contains(&to) {
                report.problem(format!("relation between #{from} and #{to} refers to a missing claim"));
            }
            let (fwd, back) = keys::relation_keys(from, relation, to);
            let mirror = if direction == keys::Direction::From { back } else { fwd };
            if !entries.contains(&mirror) {
                report.problem(format!("relation between #{from} and #{to} is recorded in one direction only"));
            }
        }
        Ok(())
    }
}
