//! The plan written for people: `explain` prints [`Plan::steps`], one line
//! per step in the order the executor runs them, numbered by whoever shows
//! them. [`Plan`]'s `Display` is the same steps, numbered.
//!
//! Index lookups are steps of their own ("look up …"); a lookup combined
//! with the running set reads "intersect with …", "add …" or "take out …";
//! a combination of earlier results names their step numbers.

use super::{Candidates, CountMethod, CountPlan, IdNode, IdSet, Matched, Plan, QueryPlan, Selection, Sequence};
use crate::engine::terms::{Term, TAG_AFFILIATION, TAG_RATING};
use crate::model::{Date, Kind};
use crate::query::ast::{DateRange, Expr, Field, Filter, GroupBy, Op, OrderKey, PhraseWord, RecordGroup, Value};
use std::fmt;

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.steps().iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}. {step}", i + 1)?;
        }
        Ok(())
    }
}

impl Plan {
    /// The steps of the plan, in the order they run.
    pub fn steps(&self) -> Vec<String> {
        let mut steps = Steps::default();
        match self {
            Plan::Claims(q) => query_steps(q, &mut steps),
            Plan::Count(c) => count_steps(c, &mut steps),
            Plan::Claim { id, history: _ } => {
                steps.push(format!("read claim #{} by id", id.id));
            }
            Plan::Sources(pattern) => {
                steps.push("read every source with its claim count from the source index".into());
                if *pattern != Default::default() {
                    steps.push(format!("keep the sources that fit: {}", source_words(pattern)));
                }
            }
            Plan::TrackRecords { select, query } => {
                if selection_steps(select, false, &mut steps) {
                    load_steps(select, None, &mut steps);
                    steps.push(format!("count per {} and status, rating", record_group_name(query.group)));
                }
            }
            Plan::Contradictions => {
                steps.push("scan the relations index for 'contradicts' links".into());
                steps.push("load both claims of each link and keep pairs where neither is confirmed or false".into());
            }
            Plan::Export { query, .. } => {
                query_steps(query, &mut steps);
                steps.push("write each claim to the file as it comes".into());
            }
            Plan::Write => {
                steps.push(
                    "a write: one atomic batch (record, indexes, counters), flushed to disk before it returns".into(),
                );
            }
        }
        steps.lines
    }
}

/// The steps written so far; a step is referred to by its number.
#[derive(Default)]
struct Steps {
    lines: Vec<String>,
}

impl Steps {
    fn push(&mut self, line: String) -> usize {
        self.lines.push(line);
        self.lines.len()
    }

    fn last(&self) -> usize {
        self.lines.len()
    }
}

fn query_steps(q: &QueryPlan, steps: &mut Steps) {
    if !selection_steps(&q.select, q.sequence == Sequence::AsFound, steps) {
        return;
    }
    let key = order_key(q.order.key);
    let direction = if q.order.descending { "descending" } else { "ascending" };
    match &q.sequence {
        Sequence::AsFound => {}
        Sequence::WalkDates(range) => {
            steps.push(format!("walk the date index{} in {direction} order, keeping the candidates", within(range)));
        }
        Sequence::SortHeads => {
            steps.push(format!(
                "sort the candidates by {key} ({direction}), reading only the head of each record (date, status, source)"
            ));
        }
        Sequence::SortChecked => {}
    }
    load_steps(&q.select, Some(q), steps);
    if let Sequence::AsFound = q.sequence {
        steps.push(format!("already in order by {key} ({direction})"));
    }
    if let Some(limit) = q.limit {
        steps.push(format!("stop after {limit}"));
        steps.push(
            match q.matched {
                Matched::NotNeeded => return,
                Matched::Candidates if matches!(q.select.candidates, Candidates::Ids(_)) => {
                    "how many matched in all: the number of candidate ids (no claim is loaded for it)"
                }
                Matched::Candidates => {
                    "how many matched in all: from the index block headers (no claim is loaded for it)"
                }
                Matched::CheckRest if q.sequence == Sequence::SortChecked => {
                    "how many matched in all: every candidate was checked before the sort"
                }
                Matched::CheckRest => {
                    "how many matched in all: check the remaining candidates too, without returning them"
                }
                Matched::NotCounted => {
                    "how many matched in all is not counted: it would load every remaining candidate"
                }
            }
            .into(),
        );
    }
}

fn count_steps(c: &CountPlan, steps: &mut Steps) {
    let what = c.group.map_or("claims", GroupBy::name);
    match c.method {
        CountMethod::GroupHeaders => {
            steps.push(format!("count per {what} from the index block headers (no claim is loaded)"));
        }
        CountMethod::Headers => match &c.select.candidates {
            Candidates::Ids(node) => {
                steps.push(format!(
                    "count {} from the block headers (no id is decoded, no claim is loaded)",
                    leaf_words(&node.set)
                ));
            }
            _ => {
                steps.push("count the claims from the index block headers (no claim is loaded)".into());
            }
        },
        CountMethod::Ids => {
            if selection_steps(&c.select, true, steps) {
                steps.push("count the ids (no claim is loaded)".into());
            }
        }
        CountMethod::GroupTerms => {
            if selection_steps(&c.select, true, steps) {
                steps.push(match c.group {
                    Some(GroupBy::Month | GroupBy::Year) => {
                        format!("walk the date index, counting the ids per {what} (no claim is loaded)")
                    }
                    _ => format!(
                        "count per {what}: intersect the ids with each {what}'s posting list (no claim is loaded)"
                    ),
                });
            }
        }
        CountMethod::Check | CountMethod::GroupLoad => {
            if selection_steps(&c.select, true, steps) {
                load_steps(&c.select, None, steps);
                steps.push(match c.group {
                    Some(g) => format!("count per {}, biggest first", g.name()),
                    None => "count them".into(),
                });
            }
        }
    }
    if let Some(limit) = c.limit {
        steps.push(match c.group {
            Some(_) => format!("keep the {limit} biggest groups"),
            None => format!("count at most {limit}"),
        });
    }
}

/// The steps that find the candidates; false when nothing can match (and
/// that is the only step).
fn selection_steps(select: &Selection, in_order: bool, steps: &mut Steps) -> bool {
    match &select.candidates {
        Candidates::Nothing(why) => {
            steps.push(format!("nothing can match: {why}"));
            return false;
        }
        Candidates::AllById => {
            steps.push(format!("scan all {} in id order (no index narrows this query)", claims(select.total)));
        }
        Candidates::AllByDate(range) => {
            let order = if in_order { ", in date order" } else { "" };
            let what = match range.from.is_some() || range.to.is_some() {
                true => within(range),
                false => format!(" over all {}", claims(select.total)),
            };
            steps.push(format!("walk the date index{what}{order}"));
        }
        Candidates::Ids(node) => {
            node_steps(node, steps);
            if node.exact && select.checks.is_empty() {
                let last = steps.lines.pop().unwrap_or_default();
                steps.push(format!("{last}: exactly the claims asked for"));
            }
        }
    }
    for s in &select.skipped {
        steps.push(format!("not used, too broad to help: {}", inline(s)));
    }
    true
}

/// The steps that load claims: clusters first if needed, then each claim
/// loaded, checked, shown as of a day.
fn load_steps(select: &Selection, query: Option<&QueryPlan>, steps: &mut Steps) {
    if select.clusters {
        steps.push("group the claims linked as duplicates into clusters, once, from the relation index".into());
    }
    let sorted_after = query.is_some_and(|q| q.sequence == Sequence::SortChecked);
    let line = match (select.checks.is_empty(), &select.candidates) {
        (true, Candidates::AllById | Candidates::AllByDate(_)) => "load each claim".to_string(),
        (true, _) => "load each claim returned (the ids are the answer: nothing to check)".to_string(),
        (false, _) => {
            let checks: Vec<String> = select.checks.iter().map(describe_filter).collect();
            format!("load each candidate claim and check: {}", checks.join("; "))
        }
    };
    steps.push(line);
    if let Some(day) = select.as_of {
        steps.push(format!("statuses are taken as they stood on {day}, from each claim's history"));
    }
    if let (true, Some(q)) = (sorted_after, query) {
        let direction = if q.order.descending { "descending" } else { "ascending" };
        steps.push(format!(
            "sort those that pass by {} ({direction}), keeping only the key and id, then load them again in that order",
            order_key(q.order.key)
        ));
    }
}

/// Writes the steps computing `node`; the last step holds its ids.
fn node_steps(node: &IdNode, steps: &mut Steps) {
    let (verb, operands): (&str, Vec<&IdNode>) = match &node.set {
        IdSet::Union(parts) => ("add", parts.iter().collect()),
        IdSet::Intersect(parts) => ("intersect with", parts.iter().collect()),
        IdSet::Minus(first, rest) => ("take out", std::iter::once(&**first).chain(rest).collect()),
        _ => {
            steps.push(format!("look up {}", leaf(node)));
            return;
        }
    };
    // Combinations inside this one get their steps first.
    let mut refs = Vec::new();
    for op in &operands {
        refs.push(if is_leaf(op) {
            None
        } else {
            node_steps(op, steps);
            Some(steps.last())
        });
    }
    let first_is_running = refs[0].is_some_and(|n| n == steps.last());
    let rest_are_leaves = refs[1..].iter().all(Option::is_none);
    if rest_are_leaves && (refs[0].is_none() || first_is_running) {
        // A running set: start from the first operand, fold in the others.
        if refs[0].is_none() {
            steps.push(format!("look up {}", leaf(operands[0])));
        }
        for op in &operands[1..] {
            steps.push(format!("{verb} {}", leaf(op)));
        }
        // The size of the result, unless the last step said it already.
        let estimate = combined_estimate(node);
        if !matches!(node.set, IdSet::Intersect(_))
            && (estimate.is_some() || operands[operands.len() - 1].estimate.is_some())
        {
            let last = steps.lines.pop().unwrap_or_default();
            steps.push(format!("{last} → {}", about(estimate)));
        }
        return;
    }
    let name = match node.set {
        IdSet::Union(_) => "union",
        IdSet::Intersect(_) => "intersection",
        _ => "difference",
    };
    let parts: Vec<String> = operands
        .iter()
        .zip(&refs)
        .map(|(op, r)| match r {
            Some(n) => format!("step {n}"),
            None => leaf(op),
        })
        .collect();
    let joined = match node.set {
        IdSet::Minus(..) => format!("{} without {}", parts[0], parts[1..].join(", ")),
        _ => parts.join(" and "),
    };
    steps.push(format!("{name} of {joined} → {}", about(combined_estimate(node))));
}

/// A combination's estimate, unknown when a united part's size is (the
/// planner still orders by the known parts).
fn combined_estimate(node: &IdNode) -> Option<u64> {
    match &node.set {
        IdSet::Union(parts) if parts.iter().any(|p| p.estimate.is_none()) => None,
        _ => node.estimate,
    }
}

fn is_leaf(node: &IdNode) -> bool {
    !matches!(node.set, IdSet::Union(_) | IdSet::Intersect(_) | IdSet::Minus(..))
}

/// A lookup in one index, with its estimate.
fn leaf(node: &IdNode) -> String {
    if !is_leaf(node) {
        return inline(node);
    }
    format!("{} ({})", leaf_words(&node.set), about(node.estimate))
}

/// A whole id expression on one line (for lookups not used).
fn inline(node: &IdNode) -> String {
    let list = |parts: &[IdNode]| parts.iter().map(inline).collect::<Vec<_>>().join("; ");
    match &node.set {
        IdSet::Union(parts) => format!("union of ({}) ({})", list(parts), about(combined_estimate(node))),
        IdSet::Intersect(parts) => format!("intersection of ({}) ({})", list(parts), about(node.estimate)),
        IdSet::Minus(first, rest) => {
            format!("{} without ({}) ({})", inline(first), list(rest), about(node.estimate))
        }
        _ => leaf(node),
    }
}

fn leaf_words(set: &IdSet) -> String {
    match set {
        IdSet::Terms(terms) => {
            let every_kind = |anonymous: bool| {
                Kind::ALL.len() == terms.len() && Kind::ALL.iter().all(|k| terms.contains(&Term::Kind(*k, anonymous)))
            };
            if terms.is_empty() {
                "nothing (no such name)".into()
            } else if every_kind(true) || every_kind(false) {
                format!("source kind index: every {} kind", if every_kind(true) { "anonymous" } else { "named" })
            } else {
                let parts: Vec<String> = terms.iter().map(|t| t.describe()).collect();
                format!("{} index: {}", terms[0].index_name(), parts.join(" | "))
            }
        }
        IdSet::WordPrefix(stem) => format!("text words index: words starting with {stem:?}"),
        IdSet::AnyOf(tag) => match *tag {
            TAG_RATING => "rating index: every rated claim".into(),
            TAG_AFFILIATION => "affiliation index: every claim whose source has an affiliation".into(),
            other => format!("index {:?}: every entry", other as char),
        },
        IdSet::Dates(r) => format!("date index: {}", describe_range(r)),
        IdSet::Phrase(words) => format!("text index: the words \"{}\" in a row", phrase_text(words)),
        IdSet::Existing(ids) => {
            let list: Vec<String> = ids.iter().map(|i| format!("#{i}")).collect();
            format!("ids {} (those that exist)", list.join(", "))
        }
        IdSet::IdRange(from, to) => match (*from, *to) {
            (0, to) => format!("every claim: ids up to #{to}"),
            (from, u64::MAX) => format!("every claim: ids from #{from}"),
            (from, to) => format!("every claim: ids #{from} to #{to}"),
        },
        IdSet::Related { relation, id, passive } => {
            if *passive {
                format!("relation index: claims {} by claim #{}", relation.passive(), id.id)
            } else {
                format!("relation index: claims {} claim #{}", relation.participle(), id.id)
            }
        }
        IdSet::Duplicates => "relation index: every claim linked as a duplicate".into(),
        IdSet::All => "status index: every claim".into(),
        IdSet::Union(_) | IdSet::Intersect(_) | IdSet::Minus(..) => "a combination".into(),
    }
}

fn about(estimate: Option<u64>) -> String {
    match estimate {
        Some(n) => format!("≈ {}", claims(n)),
        None => "size known when run".into(),
    }
}

fn claims(n: u64) -> String {
    if n == 1 {
        "1 claim".into()
    } else {
        format!("{n} claims")
    }
}

fn within(range: &DateRange) -> String {
    if range.from.is_some() || range.to.is_some() {
        format!(" within {}", describe_range(range))
    } else {
        String::new()
    }
}

fn order_key(key: OrderKey) -> &'static str {
    match key {
        OrderKey::Date => "date, then id",
        OrderKey::Id => "id",
        OrderKey::Status => "status, then date",
        OrderKey::Source => "source, then date",
    }
}

fn record_group_name(group: RecordGroup) -> &'static str {
    match group {
        RecordGroup::Source => "source",
        RecordGroup::Kind => "kind",
        RecordGroup::Affiliation => "affiliation",
        RecordGroup::Outlet => "outlet",
    }
}

/// A date range written for people: `2024-11-02 ..`, `.. 2024-10-31`.
pub fn describe_range(r: &DateRange) -> String {
    let show = |d: Option<Date>| d.map_or(String::new(), |d| d.to_string());
    if r.from.is_some() && r.from == r.to {
        return show(r.from);
    }
    format!("{} .. {}", show(r.from), show(r.to)).trim().to_string()
}

fn phrase_text(words: &[PhraseWord]) -> String {
    words.iter().map(|w| format!("{}{}", w.word, if w.prefix { "*" } else { "" })).collect::<Vec<_>>().join(" ")
}

fn source_words(p: &crate::query::ast::SourcePattern) -> String {
    let mut parts = Vec::new();
    if let Some(a) = p.anonymous {
        parts.push(if a { "anonymous".to_string() } else { "named".to_string() });
    }
    if let Some(k) = p.kind {
        parts.push(k.name().to_string());
    }
    if let Some(n) = &p.name {
        parts.push(format!("{n:?}"));
    }
    if let Some(a) = &p.affiliation {
        parts.push(format!("of {a:?}"));
    }
    parts.join(" ")
}

/// A short description of a filter, for the "check" step.
pub fn describe_filter(f: &Filter) -> String {
    let statuses = |list: &[crate::model::Status]| list.iter().map(|s| s.name()).collect::<Vec<_>>().join(" or ");
    match f {
        Filter::Source(p) => format!("source is {}", source_words(p)),
        Filter::Outlet(o) => format!("an outlet is {o:?}"),
        Filter::Topic(t) => format!("a topic is {t:?}"),
        Filter::Mentioning(words) => format!("text has the words \"{}\" in a row", phrase_text(words)),
        Filter::Status(list) => format!("status is {}", statuses(list)),
        Filter::Rated(r) => format!("rating is {r:?}"),
        Filter::Date(r) => format!("date in {}", describe_range(r)),
        Filter::Where(e) => expr_text(e),
        Filter::Related { relation, id, passive } => {
            if *passive {
                format!("{} by claim #{}", relation.passive(), id.id)
            } else {
                format!("{} claim #{}", relation.participle(), id.id)
            }
        }
        Filter::StatusAsOf { statuses: list, date } => format!("status on {date} was {}", statuses(list)),
        Filter::MinOutlets(n) => format!("reported by at least {n} outlets"),
        Filter::OnlyOutlet(o) => format!("{o:?} is the only outlet"),
        Filter::OnlyAnonymousSources => "the source is anonymous".into(),
        Filter::Stale { days, .. } => format!("status unchanged for more than {days} days"),
    }
}

/// A `where` condition written back as the language reads it, with
/// parentheses where `or` sits inside `and` or `not`.
pub fn expr_text(e: &Expr) -> String {
    let mut out = String::new();
    write_expr(e, false, &mut out);
    out
}

fn write_expr(e: &Expr, tight: bool, out: &mut String) {
    let list = |parts: &[Expr], word: &str, inner_tight: bool, out: &mut String| {
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                out.push_str(word);
            }
            write_expr(p, inner_tight, out);
        }
    };
    match e {
        Expr::Or(parts) if tight => {
            out.push('(');
            list(parts, " or ", false, out);
            out.push(')');
        }
        Expr::Or(parts) => list(parts, " or ", false, out),
        Expr::And(parts) => list(parts, " and ", true, out),
        Expr::Not(inner) => {
            out.push_str("not ");
            let grouped = matches!(**inner, Expr::And(_) | Expr::Or(_));
            if grouped {
                out.push('(');
            }
            write_expr(inner, false, out);
            if grouped {
                out.push(')');
            }
        }
        Expr::Flag(field) => out.push_str(field.name()),
        Expr::Compare { field, op, value } => {
            out.push_str(field.name());
            out.push(' ');
            out.push_str(op_text(*op));
            out.push(' ');
            out.push_str(&value_text(*field, value));
        }
    }
}

fn op_text(op: Op) -> &'static str {
    match op {
        Op::Eq => "=",
        Op::Ne => "!=",
        Op::Lt => "<",
        Op::Le => "<=",
        Op::Gt => ">",
        Op::Ge => ">=",
        Op::Contains => "contains",
    }
}

fn value_text(_field: Field, value: &Value) -> String {
    match value {
        Value::Text(t) => format!("{t:?}"),
        Value::Date(d) => d.to_string(),
        Value::Status(s) => s.name().to_string(),
        Value::Kind(k) => k.name().to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::None => "none".into(),
    }
}
