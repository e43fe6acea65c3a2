//! The integrity check: walks the primary records and every index and
//! reports each entry that does not match.

use super::postings;
use super::records::StoredSource;
use super::sources::identity_key;
use super::terms::Term;
use super::write::claim_terms;
use super::{Db, Engine, META_NEXT_CLAIM, META_NEXT_SOURCE};
use crate::error::Result;
use crate::storage::keycode::KeyReader;
use crate::storage::{codec, Tree};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

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

impl CheckReport {
    fn problem(&mut self, text: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(text);
        }
    }
}

impl Db {
    /// Checks that every index entry matches the primary data and vice
    /// versa, that relations are recorded in both directions and that the
    /// counters are ahead of every id in use.
    pub fn check(&self) -> Result<CheckReport> {
        let _guard = self.read_lock();
        self.engine.check()
    }
}

impl Engine {
    fn check(&self) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        let mut source_ids = HashSet::new();
        let next_source = self.meta_u64(META_NEXT_SOURCE)?;
        for item in self.store.scan_prefix(Tree::Sources, &[]) {
            let (key, value) = item?;
            report.sources += 1;
            let Ok(id) = read_id(&key) else {
                report.problem(format!("source key {key:?} is not an id"));
                continue;
            };
            if id >= next_source {
                report.problem(format!("source @{id} is not below the source counter {next_source}"));
            }
            match codec::decode::<StoredSource>(&value, &format!("source @{id}")).and_then(|s| s.to_source()) {
                Err(e) => report.problem(e.to_string()),
                Ok(source) => {
                    let key = identity_key(&source);
                    match self.store.get(Tree::SourceKeys, &key)? {
                        Some(v) if v[..] == id.to_be_bytes() => {}
                        _ => report.problem(format!("source @{id} ({}) has no identity key", source.name)),
                    }
                    source_ids.insert(id);
                }
            }
        }
        for item in self.store.scan_prefix(Tree::SourceKeys, &[]) {
            let (_, value) = item?;
            match read_id(&value) {
                Ok(id) if source_ids.contains(&id) => {}
                _ => report.problem(format!("a source identity key points at missing source {value:?}")),
            }
        }

        let mut expected: BTreeMap<Term, Vec<u64>> = BTreeMap::new();
        let mut claim_ids = HashSet::new();
        let next_claim = self.meta_u64(META_NEXT_CLAIM)?;
        for item in self.store.scan_prefix(Tree::Claims, &[]) {
            let (key, _) = item?;
            report.claims += 1;
            let Ok(id) = read_id(&key) else {
                report.problem(format!("claim key {key:?} is not an id"));
                continue;
            };
            if id >= next_claim {
                report.problem(format!("claim #{id} is not below the id counter {next_claim}"));
            }
            claim_ids.insert(id);
            let checked = self.stored_claim(id).and_then(|record| {
                let record = record.ok_or_else(|| crate::errcorrupt!("claim #{id} vanished"))?;
                if !source_ids.contains(&record.source) {
                    return Err(crate::errcorrupt!("claim #{id} refers to missing source @{}", record.source));
                }
                let source = self.source(record.source)?;
                // Decoding the whole claim checks every code and date in it.
                record.to_claim(id, (*source).clone(), vec![], vec![])?;
                claim_terms(&record, &source)
            });
            match checked {
                Ok(terms) => {
                    for term in terms {
                        expected.entry(term).or_default().push(id);
                    }
                }
                Err(e) => report.problem(e.to_string()),
            }
        }

        let mut seen: BTreeMap<Term, Vec<u64>> = BTreeMap::new();
        for item in self.store.scan_prefix(Tree::Postings, &[]) {
            let (key, value) = item?;
            let (term, first) = match Term::parse_block_key(&key) {
                Ok(parsed) => parsed,
                Err(e) => {
                    report.problem(e.to_string());
                    continue;
                }
            };
            match postings::decode(&value) {
                Err(e) => report.problem(format!("index block {}: {e}", term.describe())),
                Ok(ids) => {
                    report.index_entries += ids.len() as u64;
                    if ids[0] < first {
                        report.problem(format!(
                            "index block {} holds #{} below its key #{first}",
                            term.describe(),
                            ids[0]
                        ));
                    }
                    let list = seen.entry(term.clone()).or_default();
                    if list.last().is_some_and(|last| *last >= ids[0]) {
                        report.problem(format!("index blocks of {} overlap", term.describe()));
                    }
                    list.extend(ids);
                }
            }
        }
        for (term, ids) in &seen {
            let want = expected.get(term).map(Vec::as_slice).unwrap_or(&[]);
            if ids.as_slice() != want {
                let extra: Vec<_> = ids.iter().filter(|id| !want.contains(id)).take(5).collect();
                let missing: Vec<_> = want.iter().filter(|id| !ids.contains(id)).take(5).collect();
                report.problem(format!(
                    "index {} does not match the claims (stray ids {extra:?}, missing ids {missing:?})",
                    term.describe()
                ));
            }
        }
        for (term, ids) in &expected {
            if !seen.contains_key(term) {
                report.problem(format!(
                    "index {} is missing for claims {:?}",
                    term.describe(),
                    &ids[..ids.len().min(5)]
                ));
            }
        }

        for (tree, other, name) in
            [(Tree::Links, Tree::LinksBack, "relation"), (Tree::LinksBack, Tree::Links, "reverse relation")]
        {
            for item in self.store.scan_prefix(tree, &[]) {
                let (key, _) = item?;
                if tree == Tree::Links {
                    report.links += 1;
                }
                let mut r = KeyReader::new(&key);
                let parsed = (|| Ok::<_, crate::Error>((r.u64()?, r.u8()?, r.u64()?, r.finish()?)))();
                let Ok((a, rel, b, ())) = parsed else {
                    report.problem(format!("{name} key {key:?} is damaged"));
                    continue;
                };
                if !claim_ids.contains(&a) || !claim_ids.contains(&b) {
                    report.problem(format!("{name} between #{a} and #{b} refers to a missing claim"));
                }
                let mut mirror = b.to_be_bytes().to_vec();
                mirror.push(rel);
                mirror.extend_from_slice(&a.to_be_bytes());
                if !self.store.contains(other, &mirror)? {
                    report.problem(format!("{name} between #{a} and #{b} is recorded in one direction only"));
                }
            }
        }
        Ok(report)
    }
}

fn read_id(bytes: &[u8]) -> Result<u64> {
    let mut r = KeyReader::new(bytes);
    let id = r.u64()?;
    r.finish()?;
    Ok(id)
}
