//! Reading statements: `claims …`, `count claims …`, `claim 12`,
//! `history of claim 12`, `sources …`, track records and contradictions.
//!
//! A claims query is `claims` followed by clauses in any order. The clause
//! loop tries each clause at the current position; when none fits, the
//! error lists every clause keyword so the message can say what was
//! expected and suggest the nearest one.

use super::error::{farthest, Expected, PError, PResult};
use super::expr::expr;
use super::lexeme::{
    at_end, claim_ref, cut_err, date, is_reserved, kind_word, kw, name, number, peek_kw, period, status, status_list,
    string, ws, CLAUSE_KEYWORDS,
};
use crate::model::Kind;
use crate::query::ast::{
    DateRange, Filter, GroupBy, Order, OrderKey, PhraseWord, Query, Rank, RecordGroup, SourcePattern, Statement,
    TrackRecordQuery,
};

/// What a clause parser found.
enum Clause {
    Filter(Filter),
    Order(Order),
    Limit(u64),
    AsOf(crate::model::Date),
    Per(GroupBy),
}

/// `claims …` (the `claims` keyword already read or not: this reads it).
pub fn claims<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |i| {
        let (i, _) = kw("claims")(i)?;
        let (i, (query, _)) = clauses(full, false, false)(i)?;
        Ok((i, Statement::Claims(query)))
    }
}

/// `count claims … [per X]`.
pub fn count<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |i| {
        let (i, _) = kw("count")(i)?;
        let (i, _) = cut_err(kw("claims"))(i)?;
        let (i, (query, per)) = clauses(full, true, false)(i)?;
        Ok((i, Statement::Count { query, per }))
    }
}

/// The clauses of a query, until the end of the statement.
/// The clauses of a query, until the end of the statement (or, with
/// `until_to`, until the keyword `to`, for `export … to "FILE"`).
pub fn clauses<'a>(
    full: &'a str,
    allow_per: bool,
    until_to: bool,
) -> impl Fn(&'a str) -> PResult<'a, (Query, Option<GroupBy>)> {
    move |mut i| {
        let mut query = Query::default();
        let mut per = None;
        let ends = |i: &str| at_end(i) || until_to && peek_kw(i, "to");
        while !ends(i) {
            let start = ws(i);
            match clause(full, allow_per)(start) {
                Ok((rest, c)) => {
                    match c {
                        Clause::Filter(f) => query.filters.push(f),
                        Clause::Order(o) => {
                            if query.order.replace(o).is_some() {
                                return PError::message(start, 5, "'order by' is given twice").cut();
                            }
                        }
                        Clause::Limit(n) => {
                            if query.limit.replace(n).is_some() {
                                return PError::message(start, 5, "'limit' is given twice").cut();
                            }
                        }
                        Clause::AsOf(d) => {
                            if query.as_of.replace(d).is_some() {
                                return PError::message(start, 2, "'as of' is given twice").cut();
                            }
                        }
                        Clause::Per(g) => {
                            if per.replace(g).is_some() {
                                return PError::message(start, 3, "'per' is given twice").cut();
                            }
                        }
                    }
                    i = rest;
                }
                Err(nom::Err::Error(e)) => {
                    let mut expected: Vec<Expected> = CLAUSE_KEYWORDS.iter().map(|k| Expected::Keyword(k)).collect();
                    if allow_per {
                        expected.push(Expected::Keyword("per"));
                    }
                    let mut listed = PError { input: start, expected, message: None, help: None, len: 0 };
                    if after_bare_name(full, start) {
                        listed = listed.help("a name of several words needs quotes, like \"Gaza ceasefire\"");
                    }
                    let mut e = farthest(listed, e);
                    if e.input.len() == start.len() && e.message.is_none() {
                        let found = super::error::found_word(start);
                        e.message = Some(format!(
                            "expected a clause such as by, via, about, mentioning, with status, rated, after, before, on, \
                             since, until, between, in, where{}, order by or limit; found '{found}'",
                            if allow_per { ", per" } else { "" }
                        ));
                    }
                    return Err(nom::Err::Failure(e));
                }
                Err(other) => return Err(other),
            }
        }
        Ok((i, (query, per)))
    }
}

/// Whether the word before `at` is a bare name (so the user may have meant
/// a name of several words without quotes).
fn after_bare_name(full: &str, at: &str) -> bool {
    let Some(before) = full.get(..full.len().saturating_sub(at.len())) else { return false };
    let before = before.trim_end();
    let last = before.rsplit(char::is_whitespace).next().unwrap_or("");
    !last.is_empty()
        && !last.ends_with('"')
        && last.chars().any(char::is_alphabetic)
        && !is_reserved(last)
        && !last.eq_ignore_ascii_case("claims")
}

fn clause<'a>(full: &'a str, allow_per: bool) -> impl Fn(&'a str) -> PResult<'a, Clause> {
    move |i| {
        let filter = |f: Filter| Clause::Filter(f);
        let attempts: [&dyn Fn(&'a str) -> PResult<'a, Clause>; 9] = [
            &|i| source_clause(i).map(|(r, f)| (r, filter(f))),
            &|i| outlet_clause(i).map(|(r, f)| (r, filter(f))),
            &|i| simple_filter(i).map(|(r, f)| (r, filter(f))),
            &|i| date_clause(i).map(|(r, f)| (r, filter(Filter::Date(f)))),
            &|i| relation_clause(full)(i).map(|(r, f)| (r, filter(f))),
            &|i| status_word_clause(i).map(|(r, f)| (r, filter(f))),
            &|i| order_clause(i),
            &|i| {
                let (i, _) = kw("limit")(i)?;
                let (i, n) = cut_err(number)(i)?;
                Ok((i, Clause::Limit(n)))
            },
            &|i| {
                let (i, _) = kw("as")(i)?;
                let (i, _) = cut_err(kw("of"))(i)?;
                let (i, d) = cut_err(date)(i)?;
                Ok((i, Clause::AsOf(d)))
            },
        ];
        let mut best: Option<PError<'a>> = None;
        for attempt in attempts {
            match attempt(i) {
                Ok(found) => return Ok(found),
                Err(nom::Err::Error(e)) => best = Some(best.map_or(e.clone(), |b| farthest(b, e))),
                Err(other) => return Err(other),
            }
        }
        if allow_per {
            match per_clause(i) {
                Ok((rest, g)) => return Ok((rest, Clause::Per(g))),
                Err(nom::Err::Error(e)) => best = Some(best.map_or(e.clone(), |b| farthest(b, e))),
                Err(other) => return Err(other),
            }
        }
        Err(nom::Err::Error(best.unwrap_or_else(|| PError::expected(i, Expected::Thing("a clause")))))
    }
}

/// `by [anonymous|named] …`: the source pattern.
fn source_clause(i: &str) -> PResult<'_, Filter> {
    let (i, _) = kw("by")(i)?;
    let (i, pattern) = cut_err(source_pattern(true))(i)?;
    Ok((i, Filter::Source(pattern)))
}

/// A source pattern: `[anonymous|named] [AFFILIATION] KIND [of AFFILIATION]`
/// or a source name (`Reuters`, `"diplomatic official"`). With
/// `need_subject` false (for `sources …`), an empty pattern is allowed.
pub fn source_pattern<'a>(need_subject: bool) -> impl Fn(&'a str) -> PResult<'a, SourcePattern> {
    move |input| {
        let mut p = SourcePattern::default();
        let mut i = input;
        if let Ok((rest, _)) = kw("anonymous")(i) {
            p.anonymous = Some(true);
            i = rest;
        } else if let Ok((rest, _)) = kw("named")(i) {
            p.anonymous = Some(false);
            i = rest;
        }
        if let Ok((rest, kind)) = kind_or_any(i) {
            p.kind = kind;
            i = rest;
        } else {
            // A bare word that is nearly a kind (`oficials`) is a typo far
            // more often than a source's name: say so, and how to mean the name.
            if p.anonymous.is_some() {
                misspelt_kind(i)?;
            }
            match name("a source, like Reuters or anonymous officials")(i) {
                Ok((rest, first)) => match kind_or_any(rest) {
                    // `by US officials`: the name was the affiliation.
                    Ok((rest2, kind)) => {
                        p.affiliation = Some(first);
                        p.kind = kind;
                        i = rest2;
                    }
                    // `by Reuters`: a name (bare words that are kinds were
                    // taken above).
                    Err(_) => {
                        misspelt_kind(rest)?;
                        p.name = Some(first);
                        i = rest;
                    }
                },
                Err(nom::Err::Error(_)) => {
                    let at = ws(i);
                    let anonymous_alone = p.anonymous.is_some() && at_end(at);
                    let affiliation_only = !need_subject && peek_kw(at, "of");
                    if anonymous_alone {
                        // `sources anonymous`
                        return Ok((i, p));
                    }
                    if !affiliation_only && (need_subject || p.anonymous.is_some()) {
                        let what = Expected::Thing("a source, like Reuters or anonymous officials");
                        return PError::expected(at, what).fail();
                    }
                }
                Err(e) => return Err(e),
            }
        }
        if let Ok((rest, _)) = kw("of")(i) {
            let (rest, affiliation) = cut_err(name("an affiliation, like US or Qatar"))(rest)?;
            if p.affiliation.is_some() {
                return PError::message(ws(i), 2, "the affiliation is given twice").cut();
            }
            p.affiliation = Some(affiliation);
            i = rest;
        }
        Ok((i, p))
    }
}

/// Fails when the next word is a bare near miss of a kind word.
fn misspelt_kind(i: &str) -> PResult<'_, ()> {
    let at = ws(i);
    let Ok((_, word)) = super::lexeme::bare_word(at) else { return Ok((i, ())) };
    if word.len() < 5 || Kind::parse_any_number(word).is_some() || is_reserved(word) {
        return Ok((i, ()));
    }
    match crate::model::closest(word, Kind::SPELLINGS.iter().copied()) {
        Some(kind) => PError::message(at, word.len(), format!("unknown kind of source '{word}'"))
            .help(format!("did you mean '{kind}'? (for a source named {word}, write it in quotes: \"{word}\")"))
            .cut(),
        None => Ok((i, ())),
    }
}

/// A kind word, or `sources` meaning any kind.
fn kind_or_any(i: &str) -> PResult<'_, Option<Kind>> {
    if let Ok((rest, _)) = kw("sources")(i) {
        return Ok((rest, None));
    }
    kind_word(i).map(|(rest, k)| (rest, Some(k)))
}

/// `via X`, `reported by X`, `reported by at least N outlets`,
/// `reported only via X`, `only via X`.
fn outlet_clause(i: &str) -> PResult<'_, Filter> {
    if let Ok((rest, _)) = kw("via")(i) {
        let (rest, outlet) = cut_err(name("an outlet, like Reuters"))(rest)?;
        return Ok((rest, Filter::Outlet(outlet)));
    }
    let (i, reported) = match kw("reported")(i) {
        Ok((rest, _)) => (rest, true),
        Err(_) => (i, false),
    };
    if let Ok((rest, _)) = kw("only")(i) {
        let (rest, _) = cut_err(kw("via"))(rest)?;
        let (rest, outlet) = cut_err(name("an outlet, like Reuters"))(rest)?;
        return Ok((rest, Filter::OnlyOutlet(outlet)));
    }
    if !reported {
        return PError::expected(ws(i), Expected::Keyword("via")).fail();
    }
    let (i, _) = cut_err(kw("by"))(i)?;
    if let Ok((rest, _)) = kw("at")(i) {
        let (rest, _) = cut_err(kw("least"))(rest)?;
        let (rest, n) = cut_err(number)(rest)?;
        let (rest, _) = cut_err(|i| kw("outlets")(i).or_else(|_| kw("outlet")(i)))(rest)?;
        return Ok((rest, Filter::MinOutlets(n)));
    }
    let (i, outlet) = cut_err(name("an outlet, like Reuters"))(i)?;
    Ok((i, Filter::Outlet(outlet)))
}

/// `about X`, `mentioning …`, `with status …`, `rated X`, `where …`,
/// `whose only sources are anonymous`.
fn simple_filter(i: &str) -> PResult<'_, Filter> {
    if let Ok((rest, _)) = kw("about")(i) {
        let (rest, topic) = cut_err(name("a topic, like Qatar or \"Gaza ceasefire\""))(rest)?;
        return Ok((rest, Filter::Topic(topic)));
    }
    if let Ok((rest, _)) = kw("mentioning")(i) {
        return cut_err(phrase)(rest);
    }
    if let Ok((rest, _)) = kw("with")(i) {
        let (rest, _) = cut_err(kw("status"))(rest)?;
        let (rest, statuses) = cut_err(status_list)(rest)?;
        return Ok((rest, Filter::Status(statuses)));
    }
    if let Ok((rest, _)) = kw("rated")(i) {
        let (rest, rating) = cut_err(name("a rating, like \"half-true\""))(rest)?;
        return Ok((rest, Filter::Rated(rating)));
    }
    if let Ok((rest, _)) = kw("where")(i) {
        let (rest, e) = cut_err(|i| expr(i, 0))(rest)?;
        return Ok((rest, Filter::Where(e)));
    }
    if let Ok((rest, _)) = kw("whose")(i) {
        let (rest, _) = cut_err(kw("only"))(rest)?;
        let (rest, _) = cut_err(kw("sources"))(rest)?;
        let (rest, _) = cut_err(kw("are"))(rest)?;
        let (rest, _) = cut_err(kw("anonymous"))(rest)?;
        return Ok((rest, Filter::OnlyAnonymousSources));
    }
    PError::expected(ws(i), Expected::Keyword("about")).fail()
}

/// The phrase after `mentioning`: a quoted phrase or one bare word; a
/// trailing `*` on a word matches by prefix.
fn phrase(input: &str) -> PResult<'_, Filter> {
    let i = ws(input);
    let (rest, text) = match string(i) {
        Ok(found) => found,
        Err(nom::Err::Error(_)) => {
            let (rest, word) = super::lexeme::bare_word(i)
                .map_err(|_| nom::Err::Error(PError::expected(i, Expected::Thing("a word or a quoted phrase"))))?;
            (rest, word.to_string())
        }
        Err(e) => return Err(e),
    };
    let mut words = Vec::new();
    for piece in text.split(|c: char| !c.is_alphanumeric() && c != '*') {
        let prefix = piece.ends_with('*');
        let core = piece.trim_matches('*');
        if core.contains('*') {
            return PError::message(i, i.len() - rest.len(), "'*' may only end a word, as in negotiat*").cut();
        }
        let in_piece: Vec<String> = crate::engine::terms::words(core).collect();
        let n = in_piece.len();
        for (i, w) in in_piece.into_iter().enumerate() {
            words.push(PhraseWord { word: w, prefix: prefix && i + 1 == n });
        }
    }
    if words.is_empty() {
        return PError::message(i, i.len() - rest.len(), "this phrase has no words to look for").cut();
    }
    Ok((rest, Filter::Mentioning(words)))
}

/// A date clause: `after`, `before`, `on`, `since` or `until` a day, month
/// or year (`since 9 November 2024`, `after November 2024`: from December
/// on, `before 2024`), `between A and B` (from the start of A to the end of
/// B), `in` a period (`in 2024-11`, `in November 2024`), or `in the last N
/// days` (weeks, months, years) up to the statement's today, which is
/// resolved to fixed days here.
pub fn date_clause(i: &str) -> PResult<'_, DateRange> {
    type Make = fn(DateRange) -> DateRange;
    let singles: [(&str, Make); 5] = [
        ("after", |p| DateRange { from: p.to.and_then(|d| d.succ_opt()), to: None }),
        ("before", |p| DateRange { from: None, to: p.from.and_then(|d| d.pred_opt()) }),
        ("on", |p| p),
        ("since", |p| DateRange { from: p.from, to: None }),
        ("until", |p| DateRange { from: None, to: p.to }),
    ];
    let day = super::lexeme::period_of("a date like 2024-11-01");
    for (word, make) in singles {
        if let Ok((rest, _)) = kw(word)(i) {
            let (rest, p) = cut_err(&day)(rest)?;
            return Ok((rest, make(p)));
        }
    }
    if let Ok((rest, _)) = kw("between")(i) {
        let a_at = ws(rest);
        let (rest, a) = cut_err(&day)(rest)?;
        let a_text = &a_at[..a_at.len() - rest.len()];
        let (rest, _) = cut_err(kw("and"))(rest)?;
        let b_at = ws(rest);
        let (rest, b) = cut_err(&day)(rest)?;
        let b_text = &b_at[..b_at.len() - rest.len()];
        if b.to < a.from {
            return PError::message(ws(i), i.len() - rest.len(), format!("{b_text} is before {a_text}"))
                .help("write the earlier date first")
                .cut();
        }
        return Ok((rest, DateRange { from: a.from, to: b.to }));
    }
    if let Ok((rest, _)) = kw("in")(i) {
        if let (rest, Some(range)) = super::lexeme::relative_period(rest)? {
            return Ok((rest, range));
        }
        return cut_err(period)(rest);
    }
    // Errors from the `one(...)` attempts are all "expected 'after'" etc.:
    // report them together.
    let at = ws(i);
    let mut e = PError::expected(at, Expected::Keyword("after"));
    for k in ["before", "on", "since", "until", "between", "in"] {
        e.expected.push(Expected::Keyword(k));
    }
    e.fail()
}

/// `contradicting claim 4`, `supported by claim 4`, ...
fn relation_clause<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Filter> {
    move |i| {
        for relation in crate::model::Relation::ALL.iter().copied() {
            if let Ok((rest, _)) = kw(relation.participle())(i) {
                let (rest, id) = cut_err(claim_ref(full))(rest)?;
                return Ok((rest, Filter::Related { relation, id, passive: false }));
            }
            if let Ok((rest, _)) = kw(relation.passive())(i) {
                let (rest, _) = cut_err(kw("by"))(rest)?;
                let (rest, id) = cut_err(claim_ref(full))(rest)?;
                return Ok((rest, Filter::Related { relation, id, passive: true }));
            }
        }
        PError::expected(ws(i), Expected::Keyword("contradicting")).fail()
    }
}

/// A status word on its own: `claims disputed`, `claims confirmed as of D`,
/// `claims unverified for more than 14 days`.
fn status_word_clause(i: &str) -> PResult<'_, Filter> {
    let at = ws(i);
    let word = super::lexeme::bare_word(at).map(|(_, w)| w).unwrap_or("");
    if crate::model::Status::parse(word).is_none() {
        return PError::expected(at, Expected::Thing("a status")).fail();
    }
    let (rest, statuses) = status_list(at)?;
    if let Ok((r, _)) = kw("as")(rest) {
        if let Ok((r, _)) = kw("of")(r) {
            let (r, d) = cut_err(date)(r)?;
            return Ok((r, Filter::StatusAsOf { statuses, date: d }));
        }
    }
    if let Ok((r, _)) = kw("for")(rest) {
        let (r, _) = cut_err(kw("more"))(r)?;
        let (r, _) = cut_err(kw("than"))(r)?;
        let at = ws(r);
        let (r, days) = cut_err(number)(r)?;
        // No two days claimdb reads (years 0000 to 9999) are further apart.
        const MAX_DAYS: u64 = 3_652_424;
        if days > MAX_DAYS {
            let len = at.len() - r.len();
            return PError::message(at, len, format!("{days} days is more than any two dates are apart"))
                .help(format!("use at most {MAX_DAYS} days (about 10,000 years)"))
                .cut();
        }
        let (r, _) = cut_err(|i| kw("days")(i).or_else(|_| kw("day")(i)))(r)?;
        return Ok((r, Filter::Stale { statuses, days }));
    }
    Ok((rest, Filter::Status(statuses)))
}

/// `order by date|id|status|source [asc|desc]`.
fn order_clause(i: &str) -> PResult<'_, Clause> {
    let (i, _) = kw("order")(i)?;
    let (i, _) = cut_err(kw("by"))(i)?;
    let keys =
        [("date", OrderKey::Date), ("id", OrderKey::Id), ("status", OrderKey::Status), ("source", OrderKey::Source)];
    let mut found = None;
    for (word, key) in keys {
        if let Ok((rest, _)) = kw(word)(i) {
            found = Some((rest, key));
            break;
        }
    }
    let Some((i, key)) = found else {
        let at = ws(i);
        let mut e = PError::expected(at, Expected::Keyword("date"));
        e.expected.extend([Expected::Keyword("id"), Expected::Keyword("status"), Expected::Keyword("source")]);
        return e.cut();
    };
    let (i, descending) = if let Ok((rest, _)) = kw("desc")(i) {
        (rest, true)
    } else if let Ok((rest, _)) = kw("asc")(i) {
        (rest, false)
    } else {
        (i, false)
    };
    Ok((i, Clause::Order(Order { key, descending })))
}

/// `per status`, `per month`, ...
fn per_clause(i: &str) -> PResult<'_, GroupBy> {
    let (i, _) = kw("per")(i)?;
    for g in GroupBy::ALL {
        if let Ok((rest, _)) = kw(g.name())(i) {
            return Ok((rest, g));
        }
    }
    let at = ws(i);
    let mut e = PError::expected(at, Expected::Keyword("status"));
    e.expected.extend(GroupBy::ALL[1..].iter().map(|g| Expected::Keyword(g.name())));
    e.cut()
}

/// `claim 12`, `show claim 12`.
pub fn show<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |i| {
        let i = match kw("show")(i) {
            Ok((rest, _)) => {
                let (rest, id) = cut_err(claim_ref(full))(rest)?;
                return Ok((rest, Statement::Show(id)));
            }
            Err(_) => i,
        };
        let (i, id) = claim_ref(full)(i)?;
        Ok((i, Statement::Show(id)))
    }
}

/// `history of claim 12`.
pub fn history<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |i| {
        let (i, _) = kw("history")(i)?;
        let (i, _) = cut_err(kw("of"))(i)?;
        let (i, id) = cut_err(claim_ref(full))(i)?;
        Ok((i, Statement::History(id)))
    }
}

/// `sources [pattern] [ranked by STATUS] [dates]`.
pub fn sources(i: &str) -> PResult<'_, Statement> {
    let (i, _) = kw("sources")(i)?;
    let (i, pattern) = source_pattern(false)(i)?;
    if let Ok((rest, _)) = kw("ranked")(i) {
        let (rest, rank) = ranked_tail(rest)?;
        let subject = if pattern == SourcePattern::default() { None } else { Some(pattern) };
        let query = TrackRecordQuery { subject, ranked_by: Some(rank), ..TrackRecordQuery::new(RecordGroup::Source) };
        let (rest, query) = record_clauses(query)(rest)?;
        return Ok((rest, Statement::TrackRecords(query)));
    }
    Ok((i, Statement::Sources(pattern)))
}

/// `by STATUS` or `by rating NAME` after `ranked`.
fn ranked_tail(i: &str) -> PResult<'_, Rank> {
    let (i, _) = cut_err(kw("by"))(i)?;
    match kw("rating")(i) {
        Ok((r, _)) => cut_err(name("a rating, like \"false\""))(r).map(|(r, n)| (r, Rank::Rating(n))),
        Err(_) => cut_err(status)(i).map(|(r, s)| (r, Rank::Status(s))),
    }
}

/// The clauses that may follow a track-record question: date clauses,
/// `with at least N claims`, `limit N`, in any order.
fn record_clauses(query: TrackRecordQuery) -> impl Fn(&str) -> PResult<'_, TrackRecordQuery> {
    move |mut i| {
        let mut q = query.clone();
        loop {
            match date_clause(i) {
                Ok((rest, r)) => {
                    q.dates = q.dates.intersect(r);
                    i = rest;
                    continue;
                }
                // `after 2024-02-30`: the date's own error, not a later one.
                Err(nom::Err::Failure(e)) => return Err(nom::Err::Failure(e)),
                Err(_) => {}
            }
            if let Ok((rest, _)) = kw("with")(i) {
                let (rest, _) = cut_err(kw("at"))(rest)?;
                let (rest, _) = cut_err(kw("least"))(rest)?;
                let (rest, n) = cut_err(number)(rest)?;
                let (rest, _) = cut_err(|i| kw("claims")(i).or_else(|_| kw("claim")(i)))(rest)?;
                q.min_claims = n;
                i = rest;
            } else if let Ok((rest, _)) = kw("limit")(i) {
                let (rest, n) = cut_err(number)(rest)?;
                q.limit = Some(n);
                i = rest;
            } else {
                return Ok((i, q));
            }
        }
    }
}

/// `track record of PATTERN [dates]`, `kinds|affiliations|outlets ranked by
/// STATUS [dates]`, `unresolved contradictions`.
pub fn records(i: &str) -> PResult<'_, Statement> {
    if let Ok((rest, _)) = kw("track")(i) {
        let (rest, _) = cut_err(kw("record"))(rest)?;
        let (rest, _) = cut_err(kw("of"))(rest)?;
        let (rest, subject) = cut_err(source_pattern(true))(rest)?;
        let query = TrackRecordQuery { subject: Some(subject), ..TrackRecordQuery::new(RecordGroup::Source) };
        let (rest, query) = record_clauses(query)(rest)?;
        return Ok((rest, Statement::TrackRecords(query)));
    }
    for (word, group) in
        [("kinds", RecordGroup::Kind), ("affiliations", RecordGroup::Affiliation), ("outlets", RecordGroup::Outlet)]
    {
        if let Ok((rest, _)) = kw(word)(i) {
            let (rest, _) = cut_err(kw("ranked"))(rest)?;
            let (rest, rank) = ranked_tail(rest)?;
            let (rest, query) =
                record_clauses(TrackRecordQuery { ranked_by: Some(rank), ..TrackRecordQuery::new(group) })(rest)?;
            return Ok((rest, Statement::TrackRecords(query)));
        }
    }
    if let Ok((rest, _)) = kw("unresolved")(i) {
        let (rest, _) = cut_err(kw("contradictions"))(rest)?;
        return Ok((rest, Statement::Contradictions));
    }
    PError::expected(ws(i), Expected::Keyword("track")).fail()
}
