//! What the indexes can say about one condition: an [`IdNode`] whose ids
//! are exactly the claims meeting it, or a superset of them (then the
//! condition is checked on each loaded claim), or nothing.
//!
//! `and` intersects, `or` unites (only when every operand has a node) and
//! `not` subtracts from every claim (only an exact node: the complement of
//! a superset says nothing). Sizes are estimated from block headers; no
//! posting list is decoded and no claim is read here.

use crate::engine::terms::{Term, TAG_AFFILIATION, TAG_OUTLET_COUNT, TAG_RATING};
use crate::engine::Engine;
use crate::error::Result;
use crate::model::{ClaimId, Kind, Status};
use crate::query::ast::{DateRange, Expr, Field, Filter, Op, SourcePattern, Value};
use crate::query::plan::{IdNode, IdSet};
use std::collections::HashSet;

/// Reads estimates from block headers while building nodes.
pub struct Estimator<'a> {
    /// The database.
    pub engine: &'a Engine,
    /// The number of claims.
    pub total: u64,
    /// Whether statuses are taken as of a past day (then the status index,
    /// which holds current statuses, cannot answer status conditions).
    pub as_of: bool,
}

impl Estimator<'_> {
    /// A node for a set found in one index, with its size from the headers.
    pub fn leaf(&self, set: IdSet, exact: bool) -> Result<IdNode> {
        let estimate = match &set {
            IdSet::Terms(terms) => {
                let mut n = 0u64;
                for t in terms {
                    n = n.saturating_add(self.engine.count_term(t)?);
                }
                Some(n.min(self.total))
            }
            IdSet::WordPrefix(stem) => Some(self.engine.count_under(&Term::word_stem_prefix(stem))?.min(self.total)),
            IdSet::AnyOf(tag) => Some(self.engine.count_under(&[*tag])?.min(self.total)),
            IdSet::Dates(r) => Some(self.engine.count_dates(r.from, r.to)?),
            IdSet::Phrase(words) => Some(self.engine.phrase_estimate(&phrase_words(words))?.min(self.total)),
            IdSet::Existing(ids) => Some(ids.len() as u64),
            IdSet::IdRange(from, to) => Some(to.saturating_sub(*from).saturating_add(1).min(self.total)),
            IdSet::All => Some(self.total),
            IdSet::Related { .. } | IdSet::Duplicates => None,
            IdSet::Union(_) | IdSet::Intersect(_) | IdSet::Minus(..) => None,
        };
        Ok(IdNode { set, estimate, exact })
    }

    fn terms(&self, terms: Vec<Term>) -> Result<IdNode> {
        self.leaf(IdSet::Terms(terms), true)
    }

    /// Every claim not in `node` (exact only if `node` is). The complement
    /// of a complement is what was taken out: `not not X` is X.
    fn complement(&self, node: IdNode) -> Result<IdNode> {
        let IdNode { set, estimate, exact } = node;
        match set {
            IdSet::Minus(first, rest) if first.set == IdSet::All => Ok(union(rest, exact, self.total)),
            // `not (not A or B)`: A without B.
            IdSet::Union(parts) if parts.iter().any(negated_all) => {
                let mut taken_out = Vec::new();
                let mut others = Vec::new();
                for p in parts {
                    match p.set {
                        IdSet::Minus(first, rest) if first.set == IdSet::All => {
                            taken_out.push(union(rest, p.exact, self.total));
                        }
                        set => others.push(IdNode { set, ..p }),
                    }
                }
                let mut nodes = taken_out;
                for o in others {
                    nodes.push(self.complement(o)?);
                }
                Ok(intersect(nodes, exact))
            }
            set => {
                let all = self.leaf(IdSet::All, true)?;
                let left = estimate.map_or(self.total, |n| self.total.saturating_sub(n));
                let node = IdNode { set, estimate, exact };
                Ok(IdNode { set: IdSet::Minus(Box::new(all), vec![node]), estimate: Some(left), exact })
            }
        }
    }

    /// The node for a clause filter.
    pub fn filter(&self, filter: &Filter) -> Result<Option<IdNode>> {
        Ok(Some(match filter {
            Filter::Source(p) => return self.source(p),
            Filter::Outlet(o) => self.terms(vec![Term::Outlet(o.to_lowercase())])?,
            Filter::Topic(t) => self.terms(vec![Term::Topic(t.to_lowercase())])?,
            Filter::Rated(r) => self.terms(vec![Term::Rating(r.to_lowercase())])?,
            Filter::Status(list) if !self.as_of => self.terms(status_terms(list))?,
            // Statuses in the past: only claims that ever held one of them.
            Filter::Status(list) => self.leaf(IdSet::Terms(ever_terms(list)), false)?,
            Filter::Date(r) => self.leaf(IdSet::Dates(*r), true)?,
            Filter::Mentioning(phrase) => match phrase.as_slice() {
                [] => self.terms(Vec::new())?,
                [one] if one.prefix => self.leaf(IdSet::WordPrefix(one.word.clone()), true)?,
                [one] => self.terms(vec![Term::Word(one.word.clone())])?,
                _ => self.leaf(IdSet::Phrase(phrase.clone()), true)?,
            },
            Filter::Where(e) => return self.expr(e),
            Filter::Related { relation, id, passive } => {
                self.leaf(IdSet::Related { relation: *relation, id: *id, passive: *passive }, true)?
            }
            // Corroboration: claims linked as duplicates count together, so
            // they are candidates whatever their own outlets or sources.
            Filter::MinOutlets(n) => {
                // Outlet counts are indexed up to 255; claims with more are
                // under 255, so a larger N looks there and checks.
                let least = (*n).min(u64::from(u8::MAX));
                let terms: Vec<Term> = self
                    .engine
                    .count_terms_under(&[TAG_OUTLET_COUNT])?
                    .into_iter()
                    .filter_map(|(t, _)| match t {
                        Term::OutletCount(c) if u64::from(c) >= least => Some(t),
                        _ => None,
                    })
                    .collect();
                self.with_duplicates(self.leaf(IdSet::Terms(terms), false)?)?
            }
            Filter::OnlyOutlet(o) => {
                self.with_duplicates(self.leaf(IdSet::Terms(vec![Term::Outlet(o.to_lowercase())]), false)?)?
            }
            Filter::OnlyAnonymousSources => {
                let anonymous = Kind::ALL.iter().map(|k| Term::Kind(*k, true)).collect();
                self.with_duplicates(self.leaf(IdSet::Terms(anonymous), false)?)?
            }
            Filter::StatusAsOf { statuses, date } => {
                let ever = self.leaf(IdSet::Terms(ever_terms(statuses)), false)?;
                let made = self.leaf(IdSet::Dates(DateRange { from: None, to: Some(*date) }), true)?;
                intersect(vec![ever, made], false)
            }
            Filter::Stale { statuses, .. } if !statuses.is_empty() => {
                let terms = if self.as_of { ever_terms(statuses) } else { status_terms(statuses) };
                self.leaf(IdSet::Terms(terms), false)?
            }
            Filter::Stale { .. } => return Ok(None),
        }))
    }

    /// A superset for a corroboration filter, widened by every claim linked
    /// as a duplicate (found when the plan runs).
    fn with_duplicates(&self, node: IdNode) -> Result<IdNode> {
        let duplicates = self.leaf(IdSet::Duplicates, false)?;
        Ok(union(vec![node, duplicates], false, self.total))
    }

    /// The node for a source pattern: the intersection of its parts.
    fn source(&self, p: &SourcePattern) -> Result<Option<IdNode>> {
        let mut parts = Vec::new();
        if let Some(name) = &p.name {
            parts.push(self.source_named(name)?);
        }
        match (p.kind, p.anonymous) {
            (Some(k), Some(a)) => parts.push(self.terms(vec![Term::Kind(k, a)])?),
            (Some(k), None) => parts.push(self.terms(vec![Term::Kind(k, false), Term::Kind(k, true)])?),
            (None, Some(a)) => parts.push(self.terms(Kind::ALL.iter().map(|k| Term::Kind(*k, a)).collect())?),
            (None, None) => {}
        }
        if let Some(a) = &p.affiliation {
            parts.push(self.terms(vec![Term::Affiliation(a.to_lowercase())])?);
        }
        Ok(if parts.is_empty() { None } else { Some(intersect(parts, true)) })
    }

    /// The claims of every source record with this name (a name may have
    /// several records, one per kind and affiliation). Reading the source
    /// keys is how a name becomes index terms, as a word does.
    fn source_named(&self, name: &str) -> Result<IdNode> {
        let ids = self.engine.sources_named(&name.to_lowercase())?;
        self.terms(ids.into_iter().map(Term::Source).collect())
    }

    /// The node for a `where` condition.
    pub fn expr(&self, e: &Expr) -> Result<Option<IdNode>> {
        Ok(match e {
            Expr::And(parts) => {
                let mut nodes = Vec::new();
                let mut exact = true;
                for p in distinct(parts) {
                    match self.expr(p)? {
                        Some(n) => {
                            exact &= n.exact;
                            nodes.push(n);
                        }
                        None => exact = false,
                    }
                }
                if nodes.is_empty() {
                    None
                } else {
                    Some(intersect(nodes, exact))
                }
            }
            Expr::Or(parts) => {
                let mut nodes = Vec::new();
                for p in distinct(parts) {
                    match self.expr(p)? {
                        Some(n) => nodes.push(n),
                        // One operand no index narrows: any claim may match.
                        None => return Ok(None),
                    }
                }
                let exact = nodes.iter().all(|n| n.exact);
                Some(union(nodes, exact, self.total))
            }
            Expr::Not(inner) => match self.expr(inner)? {
                Some(n) if n.exact => Some(self.complement(n)?),
                _ => None,
            },
            Expr::Flag(_) => Some(self.terms(Kind::ALL.iter().map(|k| Term::Kind(*k, true)).collect())?),
            Expr::Compare { field, op, value } => self.compare(*field, *op, value)?,
        })
    }

    /// The node for one comparison.
    fn compare(&self, field: Field, op: Op, value: &Value) -> Result<Option<IdNode>> {
        // `=` and `!=` on a field with an index: the posting lists, or every
        // claim but them. (`!=` on a list field holds when no entry equals
        // the value, which is the complement of `=` too.)
        let equal = match (field, value) {
            _ if !matches!(op, Op::Eq | Op::Ne) => None,
            (Field::Status, Value::Status(s)) if !self.as_of => Some(self.terms(vec![Term::Status(*s)])?),
            // As of a past day: only claims that ever held it (a superset).
            (Field::Status, Value::Status(s)) => Some(self.leaf(IdSet::Terms(vec![Term::Ever(*s)]), false)?),
            (Field::Outlet, Value::Text(t)) => Some(self.terms(vec![Term::Outlet(t.to_lowercase())])?),
            (Field::Topic, Value::Text(t)) => Some(self.terms(vec![Term::Topic(t.to_lowercase())])?),
            (Field::Rating, Value::Text(t)) => Some(self.terms(vec![Term::Rating(t.to_lowercase())])?),
            (Field::SourceAffiliation, Value::Text(t)) => Some(self.terms(vec![Term::Affiliation(t.to_lowercase())])?),
            (Field::Rating, Value::None) => Some(self.complement(self.leaf(IdSet::AnyOf(TAG_RATING), true)?)?),
            (Field::SourceAffiliation, Value::None) => {
                Some(self.complement(self.leaf(IdSet::AnyOf(TAG_AFFILIATION), true)?)?)
            }
            (Field::SourceKind, Value::Kind(k)) => Some(self.terms(vec![Term::Kind(*k, false), Term::Kind(*k, true)])?),
            (Field::SourceAnonymous, Value::Bool(b)) => {
                Some(self.terms(Kind::ALL.iter().map(|k| Term::Kind(*k, *b)).collect())?)
            }
            (Field::Source, Value::Text(name)) => Some(self.source_named(name)?),
            (Field::Date, Value::Date(d)) => {
                Some(self.leaf(IdSet::Dates(DateRange { from: Some(*d), to: Some(*d) }), true)?)
            }
            (Field::Id, Value::Number(n)) => Some(self.leaf(IdSet::Existing(vec![*n]), true)?),
            _ => None,
        };
        Ok(match op {
            Op::Eq => equal,
            // The complement of a superset says nothing.
            Op::Ne => match equal {
                Some(n) if n.exact => Some(self.complement(n)?),
                _ => None,
            },
            Op::Lt | Op::Le | Op::Gt | Op::Ge => match value {
                Value::Date(d) => {
                    let range = match op {
                        Op::Lt => d.pred_opt().map(|to| DateRange { from: None, to: Some(to) }),
                        Op::Le => Some(DateRange { from: None, to: Some(*d) }),
                        Op::Gt => d.succ_opt().map(|from| DateRange { from: Some(from), to: None }),
                        _ => Some(DateRange { from: Some(*d), to: None }),
                    };
                    // Before the first representable day: nothing.
                    Some(match range {
                        Some(r) => self.leaf(IdSet::Dates(r), true)?,
                        None => self.terms(Vec::new())?,
                    })
                }
                Value::Number(n) => {
                    let range: Option<(ClaimId, ClaimId)> = match op {
                        Op::Lt => n.checked_sub(1).map(|to| (0, to)),
                        Op::Le => Some((0, *n)),
                        Op::Gt => n.checked_add(1).map(|from| (from, u64::MAX)),
                        _ => Some((*n, u64::MAX)),
                    };
                    Some(match range {
                        Some((from, to)) => self.leaf(IdSet::IdRange(from, to), true)?,
                        None => self.terms(Vec::new())?,
                    })
                }
                _ => None,
            },
            Op::Contains => match (field, value) {
                (Field::Text, Value::Text(t)) => self.contained_words(t)?,
                _ => None,
            },
        })
    }

    /// `text contains "…"`: the whole words strictly inside the searched
    /// text must appear as words of the claim (the first and last may be
    /// parts of longer words). A superset: the substring is checked.
    fn contained_words(&self, t: &str) -> Result<Option<IdNode>> {
        let inner: Vec<String> = crate::engine::terms::words(t).collect();
        let trimmed_start = t.starts_with(|c: char| !c.is_alphanumeric());
        let trimmed_end = t.ends_with(|c: char| !c.is_alphanumeric());
        let mut whole = Vec::new();
        for (i, w) in inner.iter().enumerate() {
            if (i > 0 || trimmed_start) && (i + 1 < inner.len() || trimmed_end) {
                whole.push(self.leaf(IdSet::Terms(vec![Term::Word(w.clone())]), false)?);
            }
        }
        Ok(if whole.is_empty() { None } else { Some(intersect(whole, false)) })
    }
}

/// The phrase words as the engine's phrase lookup takes them.
pub fn phrase_words(words: &[crate::query::ast::PhraseWord]) -> Vec<(String, bool)> {
    words.iter().map(|w| (w.word.clone(), w.prefix)).collect()
}

/// The operands without repeats, first occurrence kept: `a or a` is `a`.
/// Two operands are the same when they are written the same way.
pub fn distinct(parts: &[Expr]) -> Vec<&Expr> {
    let mut seen = HashSet::new();
    parts.iter().filter(|p| seen.insert(format!("{p:?}"))).collect()
}

/// The intersection of nodes (one node stands alone). Operands of the form
/// "every claim but X" become subtractions of X from the others, so every
/// claim is not read for them: `A and not B` is A without B.
pub fn intersect(nodes: Vec<IdNode>, exact: bool) -> IdNode {
    let (negated, mut kept): (Vec<IdNode>, Vec<IdNode>) =
        nodes.into_iter().partition(|n| matches!(&n.set, IdSet::Minus(first, _) if first.set == IdSet::All));
    let mut removed = Vec::new();
    for n in negated {
        if let IdSet::Minus(first, rest) = n.set {
            if kept.is_empty() && removed.is_empty() {
                // With nothing else to start from, every claim it is.
                kept.push(*first);
            }
            removed.extend(rest);
        }
    }
    let base = intersect_plain(kept, exact);
    if removed.is_empty() {
        return base;
    }
    let estimate = match base.set {
        IdSet::All => base.estimate.map(|n| n.saturating_sub(removed.iter().filter_map(|r| r.estimate).sum())),
        _ => base.estimate,
    };
    IdNode { set: IdSet::Minus(Box::new(base), removed), estimate, exact }
}

/// The intersection of nodes, as they are.
fn intersect_plain(mut nodes: Vec<IdNode>, exact: bool) -> IdNode {
    if nodes.len() == 1 {
        let mut only = nodes.remove(0);
        only.exact &= exact;
        return only;
    }
    let estimate = nodes.iter().filter_map(|n| n.estimate).min();
    // Smallest first: the running intersection shrinks fastest, and an
    // empty one stops early.
    nodes.sort_by_key(|n| n.estimate.unwrap_or(0));
    IdNode { set: IdSet::Intersect(nodes), estimate, exact }
}

/// The union of nodes (one node stands alone).
pub fn union(mut nodes: Vec<IdNode>, exact: bool, total: u64) -> IdNode {
    if nodes.len() == 1 {
        let mut only = nodes.remove(0);
        only.exact &= exact;
        return only;
    }
    let known: Vec<u64> = nodes.iter().filter_map(|n| n.estimate).collect();
    let estimate =
        if known.is_empty() { None } else { Some(known.iter().fold(0u64, |a, b| a.saturating_add(*b)).min(total)) };
    IdNode { set: IdSet::Union(nodes), estimate, exact }
}

/// Whether the node is "every claim but …".
fn negated_all(node: &IdNode) -> bool {
    matches!(&node.set, IdSet::Minus(first, _) if first.set == IdSet::All)
}

fn status_terms(list: &[Status]) -> Vec<Term> {
    list.iter().map(|s| Term::Status(*s)).collect()
}

/// Claims that ever held one of these statuses.
fn ever_terms(list: &[Status]) -> Vec<Term> {
    list.iter().map(|s| Term::Ever(*s)).collect()
}
