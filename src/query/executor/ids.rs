//! Evaluating a plan's id expressions on posting lists: unions,
//! intersections and differences of sorted id lists, phrase and relation
//! lookups. No claim is loaded here, except the one record head per id
//! that `id = N` needs to know the claim exists.

use crate::engine::terms::Term;
use crate::engine::Engine;
use crate::errinput;
use crate::error::{Error, Result};
use crate::model::ClaimId;
use crate::query::plan::{IdNode, IdSet};
use crate::query::planner::phrase_words;
use crate::query::Context;
use std::sync::atomic::Ordering;

/// Evaluates id expressions for one plan run; every claim's id (the
/// universe `not` subtracts from) is read at most once.
pub struct Evaluator<'a> {
    engine: &'a Engine,
    context: &'a Context<'a>,
    all: Option<Vec<ClaimId>>,
}

impl<'a> Evaluator<'a> {
    /// An evaluator over `engine`, stopping when `context` is cancelled.
    pub fn new(engine: &'a Engine, context: &'a Context<'a>) -> Evaluator<'a> {
        Evaluator { engine, context, all: None }
    }

    /// The ids of `node`, sorted and without repeats.
    pub fn ids(&mut self, node: &IdNode) -> Result<Vec<ClaimId>> {
        if self.context.cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        let engine = self.engine;
        Ok(match &node.set {
            IdSet::Terms(terms) => match terms.as_slice() {
                [] => Vec::new(),
                [one] => engine.postings(one)?,
                many => {
                    let mut lists = Vec::with_capacity(many.len());
                    for t in many {
                        lists.push(engine.postings(t)?);
                    }
                    union_all(lists)
                }
            },
            IdSet::WordPrefix(stem) => engine.postings_under(&Term::word_stem_prefix(stem))?,
            IdSet::AnyOf(tag) => engine.postings_under(&[*tag])?,
            IdSet::Dates(r) => {
                let from = r.from.map(crate::model::date::to_day_number);
                let to = r.to.map(crate::model::date::to_day_number);
                let mut days = Vec::new();
                for block in engine.date_blocks(from, to, false) {
                    days.push(block?.1);
                }
                union_all(days)
            }
            IdSet::Phrase(words) => engine.phrase_postings(&phrase_words(words))?,
            IdSet::Existing(ids) => {
                let mut out = Vec::new();
                for &id in ids {
                    if engine.claim_head(id)?.is_some() {
                        out.push(id);
                    }
                }
                out.sort_unstable();
                out.dedup();
                out
            }
            IdSet::IdRange(from, to) => {
                let all = self.all()?;
                let start = all.partition_point(|id| id < from);
                let end = all.partition_point(|id| id <= to);
                all[start..end].to_vec()
            }
            IdSet::Related { relation, id, passive } => {
                if engine.claim_head(id.id)?.is_none() {
                    return Err(errinput!(id.span; "no claim #{}", id.id));
                }
                let mut ids = Vec::new();
                let mut add = |links: Vec<crate::model::Link>| {
                    ids.extend(links.into_iter().filter(|l| l.relation == *relation).map(|l| l.claim));
                };
                // Symmetric relations count both ways.
                if !passive || relation.is_symmetric() {
                    add(engine.links_to(id.id)?);
                }
                if *passive || relation.is_symmetric() {
                    add(engine.links_from(id.id)?);
                }
                ids.sort_unstable();
                ids.dedup();
                ids
            }
            IdSet::Duplicates => {
                let mut ids = Vec::new();
                for (from, relation, to) in engine.all_links()? {
                    if relation == crate::model::Relation::Duplicates {
                        ids.push(from);
                        ids.push(to);
                    }
                }
                ids.sort_unstable();
                ids.dedup();
                ids
            }
            IdSet::All => self.all()?.to_vec(),
            IdSet::Union(parts) => {
                let mut lists = Vec::with_capacity(parts.len());
                for p in parts {
                    lists.push(self.ids(p)?);
                }
                union_all(lists)
            }
            IdSet::Intersect(parts) => {
                // The planner put the smallest first; an empty running
                // intersection stops the rest being read.
                let mut iter = parts.iter();
                let mut ids = match iter.next() {
                    Some(first) => self.ids(first)?,
                    None => Vec::new(),
                };
                for p in iter {
                    if ids.is_empty() {
                        break;
                    }
                    ids = intersect(&ids, &self.ids(p)?);
                }
                ids
            }
            IdSet::Minus(first, rest) => {
                let mut ids = self.ids(first)?;
                for p in rest {
                    if ids.is_empty() {
                        break;
                    }
                    ids = difference(&ids, &self.ids(p)?);
                }
                ids
            }
        })
    }

    /// Every claim's id: the status postings together.
    fn all(&mut self) -> Result<&[ClaimId]> {
        if self.all.is_none() {
            let mut lists = Vec::new();
            for s in crate::model::Status::ALL {
                lists.push(self.engine.postings(&Term::Status(*s))?);
            }
            self.all = Some(union_all(lists));
        }
        Ok(self.all.as_deref().unwrap_or_default())
    }
}

/// The ids in both sorted lists.
pub fn intersect(a: &[u64], b: &[u64]) -> Vec<u64> {
    crate::engine::postings::intersect(a, b)
}

/// The ids of sorted `a` that are not in sorted `b`.
pub fn difference(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(a.len());
    let mut j = 0;
    for &id in a {
        while j < b.len() && b[j] < id {
            j += 1;
        }
        if j >= b.len() || b[j] != id {
            out.push(id);
        }
    }
    out
}

/// The union of sorted lists, sorted and without repeats: merged pairwise,
/// smallest first, so that the work is near-linear in the ids.
pub fn union_all(mut lists: Vec<Vec<u64>>) -> Vec<u64> {
    lists.retain(|l| !l.is_empty());
    match lists.len() {
        0 => return Vec::new(),
        1 => return lists.pop().unwrap_or_default(),
        _ => {}
    }
    // Many small lists (one per day, one per source record): one sort
    // costs less than many merges.
    if lists.len() > 16 {
        let mut all: Vec<u64> = lists.concat();
        all.sort_unstable();
        all.dedup();
        return all;
    }
    while lists.len() > 1 {
        lists.sort_by_key(|l| std::cmp::Reverse(l.len()));
        let a = lists.pop().unwrap_or_default();
        let b = lists.pop().unwrap_or_default();
        lists.push(merge(&a, &b));
    }
    lists.pop().unwrap_or_default()
}

/// The union of two sorted lists.
fn merge(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    proptest! {
        #[test]
        fn set_operations_match_btreesets(
            a in proptest::collection::btree_set(0u64..200, 0..60),
            b in proptest::collection::btree_set(0u64..200, 0..60),
            more in proptest::collection::vec(proptest::collection::btree_set(0u64..200, 0..20), 0..20),
        ) {
            let va: Vec<u64> = a.iter().copied().collect();
            let vb: Vec<u64> = b.iter().copied().collect();
            prop_assert_eq!(difference(&va, &vb), a.difference(&b).copied().collect::<Vec<_>>());
            prop_assert_eq!(intersect(&va, &vb), a.intersection(&b).copied().collect::<Vec<_>>());
            let mut lists = vec![va.clone(), vb.clone()];
            let mut want: BTreeSet<u64> = a.union(&b).copied().collect();
            for m in &more {
                lists.push(m.iter().copied().collect());
                want.extend(m);
            }
            prop_assert_eq!(union_all(lists), want.into_iter().collect::<Vec<_>>());
        }
    }
}
