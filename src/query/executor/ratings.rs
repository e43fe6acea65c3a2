//! Ratings in questions read as the rating scale spells them: `rated "Half
//! True"` asks for the claims rated `half-true`, the scale's spelling of
//! that rating (as the language stores it), and for any stored as written.
//! The statement is rewritten before it is planned, so the plan, `explain`
//! and the check on a loaded claim all see the same ratings.

use crate::engine::rating_scale::RatingScale;
use crate::query::ast::{Filter, Name, Query, Statement};

/// Whether the statement asks for a rating by name (so the scale is worth
/// reading).
pub fn asks_for_ratings(statement: &Statement) -> bool {
    match query_of(statement) {
        Some(q) => q.filters.iter().any(names_a_rating),
        None => false,
    }
}

/// Rewrites every `rated X` whose scale spelling is not X (case aside)
/// into `rated X or SPELLING`.
pub fn resolve(scale: &RatingScale, statement: &mut Statement) {
    if let Some(q) = query_of_mut(statement) {
        for f in &mut q.filters {
            resolve_filter(scale, f);
        }
    }
}

fn query_of(statement: &Statement) -> Option<&Query> {
    match statement {
        Statement::Claims(q) | Statement::Count { query: q, .. } | Statement::Export { query: q, .. } => Some(q),
        Statement::Explain(inner) => query_of(inner),
        _ => None,
    }
}

fn query_of_mut(statement: &mut Statement) -> Option<&mut Query> {
    match statement {
        Statement::Claims(q) | Statement::Count { query: q, .. } | Statement::Export { query: q, .. } => Some(q),
        Statement::Explain(inner) => query_of_mut(inner),
        _ => None,
    }
}

fn names_a_rating(f: &Filter) -> bool {
    match f {
        Filter::Rated(_) => true,
        Filter::Any(parts) => parts.iter().any(names_a_rating),
        Filter::Not(inner) => names_a_rating(inner),
        _ => false,
    }
}

fn resolve_filter(scale: &RatingScale, f: &mut Filter) {
    match f {
        Filter::Rated(name) => {
            if let Some(spelling) = scale.spelling(name) {
                if spelling.to_lowercase() != name.text.to_lowercase() {
                    let scale_spelling = Name { text: spelling.to_string(), span: name.span, clause: None };
                    *f = Filter::Any(vec![Filter::Rated(name.clone()), Filter::Rated(scale_spelling)]);
                }
            }
        }
        Filter::Any(parts) => parts.iter_mut().for_each(|p| resolve_filter(scale, p)),
        Filter::Not(inner) => resolve_filter(scale, inner),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_take_the_scale_spelling_too() {
        let mut s = crate::query::parser::parse("claims rated \"Half True\" or false").unwrap();
        assert!(asks_for_ratings(&s));
        resolve(&RatingScale::politifact(), &mut s);
        let Statement::Claims(q) = s else { panic!() };
        let rated = |t: &str| Filter::Rated(Name::new(t));
        assert_eq!(
            q.filters,
            vec![Filter::Any(vec![Filter::Any(vec![rated("Half True"), rated("half-true")]), rated("false")])]
        );
    }
}
