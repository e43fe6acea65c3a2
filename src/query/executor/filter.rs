//! Checking filters on a loaded claim: the part of a query that indexes did
//! not answer (or did not answer exactly).

use crate::engine::terms::words;
use crate::model::{Claim, Date, Link, Source, Status};
use crate::query::ast::{Expr, Field, Filter, Op, PhraseWord, SourcePattern, Value};

/// A claim's cluster of claims linked as duplicates, as the corroboration
/// questions see it: one claim with the union of the members' outlets and
/// sources.
#[derive(Clone, Debug, Default)]
pub struct Cluster {
    /// Whether the claim is the one that stands for its cluster (the lowest
    /// id); the others are left out of corroboration answers.
    pub representative: bool,
    /// The outlets of every claim in the cluster, without repeats.
    pub outlets: Vec<String>,
    /// Whether every claim in the cluster has an anonymous source.
    pub all_anonymous: bool,
}

impl Cluster {
    /// The cluster of `claim`, whose members are `claims` (it among them).
    pub fn of(claim: &Claim, claims: &[Claim]) -> Cluster {
        Cluster { representative: claims.iter().all(|c| c.id >= claim.id), ..Cluster::of_members(claims) }
    }

    /// The outlets and anonymity of a cluster with these members (whose
    /// representative is not decided here).
    pub fn of_members(claims: &[Claim]) -> Cluster {
        let mut outlets: Vec<String> = Vec::new();
        for c in claims {
            for o in &c.outlets {
                if !outlets.iter().any(|x| eq_ci(x, o)) {
                    outlets.push(o.clone());
                }
            }
        }
        Cluster { representative: false, outlets, all_anonymous: claims.iter().all(|c| c.source.anonymous) }
    }
}

/// What checks need besides the claim.
pub struct FilterContext {
    /// Statuses are evaluated as of this day, when set.
    pub as_of: Option<Date>,
    /// The day staleness is measured to.
    pub today: Date,
    /// For corroboration checks: the claim's cluster of duplicates.
    pub cluster: Option<Cluster>,
}

impl FilterContext {
    /// The status the claim is taken to have.
    pub fn status(&self, claim: &Claim) -> Option<Status> {
        match self.as_of {
            Some(day) => claim.status_as_of(day),
            None => Some(claim.status),
        }
    }

    fn cluster(&self, claim: &Claim) -> Cluster {
        self.cluster.clone().unwrap_or_else(|| Cluster::of(claim, std::slice::from_ref(claim)))
    }
}

fn eq_ci(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// Whether the claim meets every filter.
pub fn matches_all(claim: &Claim, filters: &[Filter], cx: &FilterContext) -> bool {
    filters.iter().all(|f| matches(claim, f, cx))
}

/// Whether the claim meets one filter. Relation filters read the claim's
/// relations, which must have been attached.
pub fn matches(claim: &Claim, filter: &Filter, cx: &FilterContext) -> bool {
    match filter {
        Filter::Source(p) => source_matches(&claim.source, p),
        Filter::Outlet(o) => claim.outlets.iter().any(|x| eq_ci(x, o)),
        Filter::Topic(t) => claim.topics.iter().any(|x| eq_ci(x, t)),
        Filter::Mentioning(phrase) => mentions(&claim.text, phrase),
        Filter::Status(list) => cx.status(claim).is_some_and(|s| list.contains(&s)),
        Filter::Rated(r) => claim.rating.as_deref().is_some_and(|x| eq_ci(x, r)),
        Filter::Date(r) => r.from.is_none_or(|d| claim.date >= d) && r.to.is_none_or(|d| claim.date <= d),
        Filter::Where(e) => eval(claim, e, cx),
        Filter::Related { relation, id, passive } => {
            let link = Link { relation: *relation, claim: id.id };
            // `supporting claim 4`: this claim has the relation to #4;
            // `supported by claim 4`: #4 has it to this claim; symmetric
            // relations either way.
            (!passive || relation.is_symmetric()) && claim.relations.contains(&link)
                || (*passive || relation.is_symmetric()) && claim.linked_from.contains(&link)
        }
        Filter::StatusAsOf { statuses, date } => claim.status_as_of(*date).is_some_and(|s| statuses.contains(&s)),
        Filter::MinOutlets(n) => {
            let cluster = cx.cluster(claim);
            cluster.representative && cluster.outlets.len() as u64 >= *n
        }
        Filter::OnlyOutlet(o) => {
            let cluster = cx.cluster(claim);
            cluster.representative && cluster.outlets.len() == 1 && eq_ci(&cluster.outlets[0], o)
        }
        Filter::OnlyAnonymousSources => {
            let cluster = cx.cluster(claim);
            cluster.representative && cluster.all_anonymous
        }
        Filter::Stale { statuses, days } => {
            let day = cx.as_of.unwrap_or(cx.today);
            let Some(status) = cx.status(claim) else {
                return false;
            };
            if !statuses.is_empty() && !statuses.contains(&status) {
                return false;
            }
            let since = claim.history.iter().filter(|h| h.date <= day).map(|h| h.date).max().unwrap_or(claim.date);
            // Compared as wide numbers: no count of days wraps.
            i128::from((day - since).num_days()) > i128::from(*days)
        }
    }
}

/// Whether a source fits the pattern (unset parts match anything; names
/// and affiliations compared case-insensitively).
pub fn source_matches(s: &Source, p: &SourcePattern) -> bool {
    p.anonymous.is_none_or(|a| s.anonymous == a)
        && p.kind.is_none_or(|k| s.kind == k)
        && p.name.as_deref().is_none_or(|n| eq_ci(&s.name, n))
        && p.affiliation.as_deref().is_none_or(|a| s.affiliation.as_deref().is_some_and(|x| eq_ci(x, a)))
}

/// Whether the phrase's words appear consecutively among the text's words.
pub fn mentions(text: &str, phrase: &[PhraseWord]) -> bool {
    let text_words: Vec<String> = words(text).collect();
    if phrase.is_empty() || text_words.len() < phrase.len() {
        return false;
    }
    text_words.windows(phrase.len()).any(|window| {
        window.iter().zip(phrase).all(|(w, p)| if p.prefix { w.starts_with(&p.word) } else { *w == p.word })
    })
}

fn compare_text(actual: Option<&str>, op: Op, value: &Value) -> bool {
    match (op, value) {
        (Op::Eq, Value::None) => actual.is_none(),
        (Op::Ne, Value::None) => actual.is_some(),
        (Op::Eq, Value::Text(v)) => actual.is_some_and(|a| eq_ci(a, v)),
        (Op::Ne, Value::Text(v)) => !actual.is_some_and(|a| eq_ci(a, v)),
        (Op::Contains, Value::Text(v)) => actual.is_some_and(|a| a.to_lowercase().contains(&v.to_lowercase())),
        _ => false,
    }
}

/// For list fields: `=` and `contains` hold when any entry does; `!=` when
/// no entry equals the value.
fn compare_list(list: &[String], op: Op, value: &Value) -> bool {
    match op {
        Op::Ne => list.iter().all(|x| compare_text(Some(x), Op::Ne, value)),
        _ => list.iter().any(|x| compare_text(Some(x), op, value)),
    }
}

fn ordered<T: Ord>(a: T, op: Op, b: T) -> bool {
    match op {
        Op::Eq => a == b,
        Op::Ne => a != b,
        Op::Lt => a < b,
        Op::Le => a <= b,
        Op::Gt => a > b,
        Op::Ge => a >= b,
        Op::Contains => false,
    }
}

/// Evaluates a `where` condition. A chain of `and` or `or` is one loop;
/// only parentheses and `not` recurse, and the parser bounds their depth.
pub fn eval(claim: &Claim, e: &Expr, cx: &FilterContext) -> bool {
    match e {
        Expr::And(parts) => parts.iter().all(|p| eval(claim, p, cx)),
        Expr::Or(parts) => parts.iter().any(|p| eval(claim, p, cx)),
        Expr::Not(a) => !eval(claim, a, cx),
        Expr::Flag(_) => claim.source.anonymous,
        Expr::Compare { field, op, value } => match (field, value) {
            (Field::Text, _) => compare_text(Some(&claim.text), *op, value),
            (Field::Source, _) => compare_text(Some(&claim.source.name), *op, value),
            (Field::SourceAffiliation, _) => compare_text(claim.source.affiliation.as_deref(), *op, value),
            (Field::Rating, _) => compare_text(claim.rating.as_deref(), *op, value),
            (Field::Outlet, _) => compare_list(&claim.outlets, *op, value),
            (Field::Topic, _) => compare_list(&claim.topics, *op, value),
            (Field::SourceKind, Value::Kind(k)) => ordered(claim.source.kind, *op, *k),
            (Field::SourceAnonymous, Value::Bool(b)) => ordered(claim.source.anonymous, *op, *b),
            (Field::Status, Value::Status(s)) => cx.status(claim).is_some_and(|x| ordered(x, *op, *s)),
            (Field::Date, Value::Date(d)) => ordered(claim.date, *op, *d),
            (Field::Id, Value::Number(n)) => ordered(claim.id, *op, *n),
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(text: &str) -> Vec<PhraseWord> {
        text.split(' ')
            .map(|w| PhraseWord { word: w.trim_end_matches('*').to_string(), prefix: w.ends_with('*') })
            .collect()
    }

    #[test]
    fn phrases_match_consecutive_words() {
        let text = "The Hamas political office, in Doha, no longer serves its purpose.";
        assert!(mentions(text, &phrase("political office")));
        assert!(mentions(text, &phrase("office in doha")));
        assert!(!mentions(text, &phrase("office political")));
        assert!(mentions(text, &phrase("serv* its")));
        assert!(!mentions(text, &phrase("purpose the")));
    }
}
