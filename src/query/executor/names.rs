//! Names that match nothing. A source, outlet, topic, rating or affiliation
//! named in a question that the database does not have in that role gets a
//! [`Note`]: that it matches nothing, the roles the name does have here
//! (`Reuters is an outlet here`), and statements to try (`claims via
//! Reuters`, the close names of the role, `per outlet` for `by outlet`).
//! An empty answer for a name that exists gets no note.
//!
//! A name that exists costs nothing here: the planner, estimating each
//! clause from block headers and name keys as it always does, notes the
//! names whose lookups are empty ([`Selection::unmatched`]), and only those
//! are looked at. (A statement that is not planned, `sources PATTERN` or a
//! ranking by rating, has its names looked up: one key each.) Only a name
//! that matches nothing reads more: the other roles' keys, and the names of
//! its role to find close ones.
//!
//! [`Selection::unmatched`]: crate::query::plan::Selection

use crate::engine::rating_scale::RatingScale;
use crate::engine::terms::{Term, TAG_AFFILIATION, TAG_OUTLET, TAG_RATING, TAG_TOPIC};
use crate::engine::Engine;
use crate::error::Result;
use crate::query::ast::{Filter, GroupBy, Name, Query, Rank, SourcePattern, Statement};
use crate::query::parser::lexeme::written_name;
use crate::query::{Note, Suggestion, TextEdit};

/// The most close names a note suggests.
const MAX_CLOSE: usize = 3;

use crate::query::plan::{NameRole as Role, Unmatched};

/// How notes word each role.
trait RoleText: Sized {
    const ALL: [Self; 5];
    fn noun(self) -> &'static str;
    fn missing(self, name: &str) -> String;
    fn clause(self, name: &str) -> String;
    fn listing(self) -> &'static str;
    fn term(self, lower: &str) -> Option<Term>;
    fn tag(self) -> Option<u8>;
}

impl RoleText for Role {
    const ALL: [Role; 5] = [Role::Source, Role::Outlet, Role::Topic, Role::Affiliation, Role::Rating];

    /// `an outlet`, `a topic`.
    fn noun(self) -> &'static str {
        match self {
            Role::Source => "a source",
            Role::Outlet => "an outlet",
            Role::Topic => "a topic",
            Role::Rating => "a rating",
            Role::Affiliation => "an affiliation",
        }
    }

    /// That nothing has the name in this role.
    fn missing(self, name: &str) -> String {
        let name = format!("{name:?}");
        match self {
            Role::Source => format!("no source is named {name}"),
            Role::Outlet => format!("no claim was reported via {name}"),
            Role::Topic => format!("no claim is about {name}"),
            Role::Rating => format!("no claim is rated {name}, which is not on the rating scale"),
            Role::Affiliation => format!("no source is affiliated with {name}"),
        }
    }

    /// The clause that asks for the name in this role.
    fn clause(self, name: &str) -> String {
        let name = written_name(name);
        match self {
            Role::Source => format!("by {name}"),
            Role::Outlet => format!("via {name}"),
            Role::Topic => format!("about {name}"),
            Role::Rating => format!("rated {name}"),
            Role::Affiliation => format!("by sources of {name}"),
        }
    }

    /// The statement that lists the names of this role.
    fn listing(self) -> &'static str {
        match self {
            Role::Source => "sources",
            Role::Outlet => "outlets",
            Role::Topic => "topics",
            Role::Rating => "ratings",
            Role::Affiliation => "affiliations",
        }
    }

    /// The index term for a lower-cased name (none for sources, which are
    /// found through their name keys).
    fn term(self, lower: &str) -> Option<Term> {
        let lower = lower.to_string();
        match self {
            Role::Source => None,
            Role::Outlet => Some(Term::Outlet(lower)),
            Role::Topic => Some(Term::Topic(lower)),
            Role::Rating => Some(Term::Rating(lower)),
            Role::Affiliation => Some(Term::Affiliation(lower)),
        }
    }

    fn tag(self) -> Option<u8> {
        match self {
            Role::Source => None,
            Role::Outlet => Some(TAG_OUTLET),
            Role::Topic => Some(TAG_TOPIC),
            Role::Rating => Some(TAG_RATING),
            Role::Affiliation => Some(TAG_AFFILIATION),
        }
    }
}

/// A name of the question, with its role.
struct Named<'a> {
    role: Role,
    name: &'a Name,
}

/// Sends a note for every name in `statement` that matches nothing.
/// `unmatched` is what the plan found while estimating (the names whose
/// lookups were empty), so that names that exist cost nothing here; `None`
/// for a statement that was not planned, whose names are then looked up.
pub fn check(
    engine: &Engine,
    statement: &Statement,
    unmatched: Option<&[Unmatched]>,
    notes: &dyn Fn(Note),
) -> Result<()> {
    let mut names = Vec::new();
    let mut counting = false;
    match statement {
        Statement::Claims(q) => return check_query(engine, q, true, unmatched, notes),
        Statement::Export { query: q, .. } => return check_query(engine, q, false, unmatched, notes),
        Statement::Count { query, per } => {
            // `by outlet` can become `per outlet` only without a `per` of its own.
            counting = per.is_none();
            query_names(query, &mut names);
        }
        Statement::Sources(p) => pattern_names(p, &mut names),
        Statement::TrackRecords(q) => {
            if let Some(p) = &q.subject {
                pattern_names(p, &mut names);
            }
            if let Some(Rank::Rating(r)) = &q.ranked_by {
                names.push(Named { role: Role::Rating, name: r });
            }
        }
        // (`count` cannot be put in front of `explain claims …`: no
        // suggestion turns an explained list into a count.)
        Statement::Explain(inner) => match &**inner {
            Statement::Claims(q) => return check_query(engine, q, false, unmatched, notes),
            inner => return check(engine, inner, unmatched, notes),
        },
        _ => return Ok(()),
    }
    tell(engine, names, counting, false, unmatched, notes)
}

/// [`check`] for the query of a list of claims (`listing`) or an export.
pub fn check_query(
    engine: &Engine,
    query: &Query,
    listing: bool,
    unmatched: Option<&[Unmatched]>,
    notes: &dyn Fn(Note),
) -> Result<()> {
    let mut names = Vec::new();
    query_names(query, &mut names);
    tell(engine, names, false, listing, unmatched, notes)
}

/// Sends the notes about these names of a statement.
fn tell(
    engine: &Engine,
    names: Vec<Named<'_>>,
    counting: bool,
    listing: bool,
    unmatched: Option<&[Unmatched]>,
    notes: &dyn Fn(Note),
) -> Result<()> {
    if names.is_empty() || unmatched.is_some_and(<[Unmatched]>::is_empty) {
        return Ok(());
    }
    let mut cx = Checker { engine, scale: None };
    let mut told: Vec<String> = Vec::new();
    // The names the statement gives already: a close name among them is no
    // suggestion (`by "US officials" or "US official"`).
    let given: Vec<(Role, String)> = names.iter().map(|n| (n.role, n.name.text.to_lowercase())).collect();
    for named in names {
        let lower = named.name.text.to_lowercase();
        let planned_empty = |list: &[Unmatched]| list.iter().any(|u| u.role == named.role && u.name == lower);
        if unmatched.is_some_and(|list| !planned_empty(list)) {
            // Its lookup found claims: nothing to tell, nothing to read.
            continue;
        }
        if let Some(note) = cx.note(&named, counting, listing, &given)? {
            if !told.contains(&note.message) {
                told.push(note.message.clone());
                notes(note);
            }
        }
    }
    Ok(())
}

fn query_names<'a>(q: &'a Query, out: &mut Vec<Named<'a>>) {
    for f in &q.filters {
        filter_names(f, out);
    }
}

fn filter_names<'a>(f: &'a Filter, out: &mut Vec<Named<'a>>) {
    match f {
        Filter::Source(p) => pattern_names(p, out),
        Filter::Outlet(n) | Filter::OnlyOutlet(n) => out.push(Named { role: Role::Outlet, name: n }),
        Filter::Topic(n) => out.push(Named { role: Role::Topic, name: n }),
        Filter::Rated(n) => out.push(Named { role: Role::Rating, name: n }),
        Filter::Any(parts) => parts.iter().for_each(|p| filter_names(p, out)),
        Filter::Not(inner) => filter_names(inner, out),
        _ => {}
    }
}

fn pattern_names<'a>(p: &'a SourcePattern, out: &mut Vec<Named<'a>>) {
    if let Some(n) = &p.name {
        out.push(Named { role: Role::Source, name: n });
    }
    if let Some(a) = &p.affiliation {
        out.push(Named { role: Role::Affiliation, name: a });
    }
}

/// What the checks read, read once.
struct Checker<'a> {
    engine: &'a Engine,
    scale: Option<RatingScale>,
}

impl Checker<'_> {
    fn scale(&mut self) -> Result<&RatingScale> {
        if self.scale.is_none() {
            self.scale = Some(self.engine.rating_scale()?);
        }
        Ok(self.scale.as_ref().expect("just read"))
    }

    /// Whether anything has the lower-cased name in this role: one key read
    /// (a rating on the scale exists whether or not a claim has it).
    fn exists(&mut self, role: Role, lower: &str) -> Result<bool> {
        if role == Role::Rating && self.scale()?.grade(lower).is_some() {
            return Ok(true);
        }
        self.indexed(role, lower)
    }

    /// Whether a claim has the lower-cased name in this role: one key read.
    fn indexed(&mut self, role: Role, lower: &str) -> Result<bool> {
        match role.term(lower) {
            None => Ok(!self.engine.sources_named(lower)?.is_empty()),
            Some(term) => Ok(self.engine.first_posting(&term)?.is_some()),
        }
    }

    /// The note for a name, if it matches nothing in its role.
    fn note(
        &mut self,
        named: &Named<'_>,
        counting: bool,
        listing: bool,
        given: &[(Role, String)],
    ) -> Result<Option<Note>> {
        let Named { role, name } = *named;
        let lower = name.text.to_lowercase();
        if role == Role::Rating && !self.indexed(role, &lower)? && self.scale()?.grade(&lower).is_some() {
            return self.same_grade(name, &lower);
        }
        if self.exists(role, &lower)? {
            return Ok(None);
        }
        let mut message = role.missing(&name.text);
        let mut suggestions = Vec::new();
        // The roles the name has here.
        let mut elsewhere = Vec::new();
        for other in Role::ALL {
            if other != role && self.exists(other, &lower)? {
                elsewhere.push(other);
            }
        }
        if !elsewhere.is_empty() {
            let spelt = self.spelling(elsewhere[0], &lower)?;
            let nouns: Vec<&str> = elsewhere.iter().map(|r| r.noun()).collect();
            message.push_str(&format!("; {spelt} is {} here", and_list(&nouns)));
            if let Some(clause) = name.clause {
                for other in &elsewhere {
                    suggestions.push(Suggestion::replace(clause, other.clause(&spelt)));
                }
            }
        }
        // `by outlet`: a grouping, not a source.
        let group = (role == Role::Source && (counting || listing)).then(|| grouping(&lower)).flatten();
        if let (Some(group), Some(clause)) = (group, name.clause) {
            message.push_str(&format!("; `per {}` counts claims per {}", group.name(), group.name()));
            let mut edits = vec![TextEdit::Replace(clause, format!("per {}", group.name()))];
            if listing {
                edits.push(TextEdit::Prefix("count".into()));
            }
            suggestions.insert(0, Suggestion { edits });
        }
        // Close names of the same role (a typo, other punctuation).
        for close in self.close(role, &lower)? {
            if given.contains(&(role, close.to_lowercase())) {
                continue;
            }
            suggestions.push(Suggestion::replace(name.span, written_name(&close)));
        }
        if role == Role::Rating {
            let scale = self.scale()?;
            message = format!("{message} ({})", scale.describe());
        }
        if suggestions.is_empty() && role != Role::Rating {
            message.push_str(&format!(" (`{}` lists them)", role.listing()));
        }
        Ok(Some(Note { message, span: Some(name.span), suggestions }))
    }

    /// The note for a rating on the scale that no claim has, when claims
    /// have its grade under another spelling (`mostly-false`, which LIAR2
    /// spells `barely-true`); none when no claim has the grade at all (a
    /// plain empty answer).
    fn same_grade(&mut self, name: &Name, lower: &str) -> Result<Option<Note>> {
        let scale = self.scale()?.clone();
        let Some(grade) = scale.grade(lower) else { return Ok(None) };
        let mut used = Vec::new();
        for spelling in grade.spellings() {
            if crate::engine::rating_scale::key(spelling) != crate::engine::rating_scale::key(lower)
                && self.indexed(Role::Rating, &spelling.to_lowercase())?
            {
                used.push(spelling.to_string());
            }
        }
        if used.is_empty() {
            return Ok(None);
        }
        let quoted: Vec<String> = used.iter().map(|u| format!("{u:?}")).collect();
        let message = format!(
            "no claim is rated {:?}; claims are rated {}, the same grade on the {} scale",
            name.text,
            and_list(&quoted.iter().map(String::as_str).collect::<Vec<_>>()),
            scale.name
        );
        let mut suggestions: Vec<Suggestion> =
            used.iter().map(|u| Suggestion::replace(name.span, written_name(u))).collect();
        let mut both = vec![written_name(&name.text)];
        both.extend(used.iter().map(|u| written_name(u)));
        suggestions.push(Suggestion::replace(name.span, both.join(" or ")));
        Ok(Some(Note { message, span: Some(name.span), suggestions }))
    }

    /// How a lower-cased name of a role is written in the database.
    fn spelling(&mut self, role: Role, lower: &str) -> Result<String> {
        if role == Role::Rating {
            if let Some(grade) = self.scale()?.spelling(lower) {
                return Ok(grade.to_string());
            }
        }
        match role.term(lower) {
            None => match self.engine.sources_named(lower)?.first() {
                Some(id) => Ok(self.engine.source(*id)?.name.clone()),
                None => Ok(lower.to_string()),
            },
            Some(term) => self.engine.display_name(&term),
        }
    }

    /// The names of a role closest to `lower`, as written, best first.
    fn close(&mut self, role: Role, lower: &str) -> Result<Vec<String>> {
        let mut names: Vec<String> = match role.tag() {
            None => self.source_names()?,
            Some(tag) => self
                .engine
                .count_terms_under(&[tag])?
                .into_iter()
                .filter_map(|(t, _)| match t {
                    Term::Outlet(s) | Term::Topic(s) | Term::Rating(s) | Term::Affiliation(s) => Some(s),
                    _ => None,
                })
                .collect(),
        };
        if role == Role::Rating {
            names.extend(self.scale()?.spellings().map(str::to_lowercase));
        }
        names.sort();
        names.dedup();
        let mut scored: Vec<(usize, String)> =
            names.into_iter().filter_map(|n| closeness(lower, &n).map(|d| (d, n))).collect();
        scored.sort();
        scored.truncate(MAX_CLOSE);
        scored.into_iter().map(|(_, n)| self.spelling(role, &n)).collect()
    }

    /// Every source name, lower-cased (only read when a name matched
    /// nothing, to find close ones).
    fn source_names(&self) -> Result<Vec<String>> {
        Ok(self.engine.all_sources()?.into_iter().map(|(_, s)| s.name.to_lowercase()).collect())
    }
}

/// The grouping a word names (`outlet`, `outlets`, `month`), for `by outlet`.
fn grouping(word: &str) -> Option<GroupBy> {
    GroupBy::ALL.into_iter().find(|g| word == g.name() || word.strip_suffix('s') == Some(g.name()))
}

/// How far `candidate` is from the name asked for, when it is close enough
/// to suggest: 0 for the same words in other punctuation (`donald-trump`,
/// `donald trump`), the edit distance for a typo, and past those, names
/// that hold every word asked for (`trump` in `donald trump`).
fn closeness(asked: &str, candidate: &str) -> Option<usize> {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let (a, c) = (words(asked), words(candidate));
    if a.is_empty() || c.is_empty() {
        return None;
    }
    if a == c {
        return Some(0);
    }
    let d = strsim::damerau_levenshtein(asked, candidate);
    if d <= 2.max(candidate.chars().count() / 4) && d < candidate.chars().count() {
        return Some(d);
    }
    if a.iter().all(|w| c.contains(w)) {
        return Some(10 + c.len() - a.len());
    }
    None
}

/// `an outlet and a topic`, `a, b and c`.
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names() {
        assert_eq!(closeness("donald-trump", "donald trump"), Some(0));
        assert_eq!(closeness("us officals", "us officials"), Some(1));
        assert_eq!(closeness("reuter", "reuters"), Some(1));
        assert!(closeness("trump", "donald trump").is_some());
        assert_eq!(closeness("afp", "reuters"), None);
    }

    #[test]
    fn groupings_by_name() {
        assert_eq!(grouping("outlet"), Some(GroupBy::Outlet));
        assert_eq!(grouping("months"), Some(GroupBy::Month));
        assert_eq!(grouping("reuters"), None);
    }
}
