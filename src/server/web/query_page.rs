//! The query page (`/`): the box, the examples, and the answer, with
//! paging, facets that refine the query and export links for claims. A
//! statement that writes is not run from a link: the page asks to confirm
//! it with a form (POST, with the CSRF token).

use super::layout::{encode, page, query_link};
use super::results::{self, clause_for};
use super::{error_box, run, sign_in_first, signed, PageCollect};
use crate::query::{ClaimSink, Output};
use crate::server::classify::classify;
use crate::server::error::ApiError;
use crate::server::exec::Answer;
use crate::server::state::State;
use crate::{Claim, Result};
use axum::extract::{Form, Query, State as Shared};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::HashMap;
use std::time::Duration;

/// Claims shown per page.
pub const PAGE_SIZE: u64 = 50;

/// The facets shown beside claims, and how many values of each.
const FACETS: [&str; 4] = ["status", "outlet", "source", "topic"];
const FACET_VALUES: usize = 8;

/// Keeps the claims of one page, and stops the query at the first claim
/// after them (the number of claims in all comes from a `count`).
#[derive(Debug, Default)]
pub struct PageSink {
    skip: u64,
    keep: u64,
    /// The claims of the page.
    pub claims: Vec<Claim>,
    /// How many claims the query gave before it ended or was stopped.
    pub seen: u64,
    /// Whether it was stopped, with more claims to come.
    pub more: bool,
}

impl PageSink {
    /// The sink for page `page` (from 1).
    pub fn new(page: u64) -> PageSink {
        PageSink { skip: (page.max(1) - 1).saturating_mul(PAGE_SIZE), keep: PAGE_SIZE, ..PageSink::default() }
    }
}

impl ClaimSink for PageSink {
    fn claim(&mut self, claim: Claim) -> Result<()> {
        if self.seen >= self.skip + self.keep {
            self.more = true;
            return Err(crate::Error::Cancelled);
        }
        if self.seen >= self.skip {
            self.claims.push(claim);
        }
        self.seen += 1;
        Ok(())
    }
}

impl PageCollect for PageSink {
    fn had_enough(&self) -> bool {
        self.more
    }
}

/// Everything the whole claims list would hold, for the ClaimReview export.
#[derive(Default)]
struct AllSink(Vec<Claim>);

impl ClaimSink for AllSink {
    fn claim(&mut self, claim: Claim) -> Result<()> {
        self.0.push(claim);
        Ok(())
    }
}

impl PageCollect for AllSink {}

/// The query box, filled with `q`.
fn query_box(q: &str) -> Markup {
    let examples = crate::shell::help::examples();
    html! {
        form.query method="get" action="/" {
            label for="q" { strong { "Ask a question" } " in claimdb's language" }
            textarea #q name="q" rows="2" autofocus placeholder="claims by anonymous officials after 2024-11-01" { (q) }
            div.row {
                button type="submit" { "Run" }
                span { "e.g. " a href=(query_link("count claims via Reuters per status")) { "count claims via Reuters per status" } }
            }
        }
        details.examples {
            summary { "Examples (" (examples.len()) ")" }
            ul { @for e in &examples { li { a href=(query_link(e)) { (e) } } } }
        }
    }
}

/// `GET /?q=…&page=N`.
pub async fn show(
    Shared(state): Shared<State>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    if let Some(to_login) = sign_in_first(&state, &headers) {
        return to_login;
    }
    let who = signed(&state, &headers);
    let q = params.get("q").map(|s| s.trim().to_string()).unwrap_or_default();
    let page_no = params.get("page").and_then(|p| p.parse::<u64>().ok()).unwrap_or(1).max(1);
    if q.is_empty() {
        let body = html! {
            (query_box(""))
            p { "Start with " a href=(query_link("claims order by date desc limit 50")) { "the latest claims" } ", "
                a href=(query_link("count claims per status")) { "the claims per status" } " or "
                a href=(query_link(".stats")) { "the figures of the database" } "." }
        };
        return Html(page("claims", who, body).into_string()).into_response();
    }
    // A statement that writes runs only from a form, never from a link.
    match classify(&q) {
        Ok(c) if c.writes => return confirm_write(&state, &headers, &q),
        _ => {}
    }
    let (status, answer) = match run(&state, &headers, false, &paged(&q, page_no), Some(PageSink::new(page_no))).await {
        Ok((answer, sink)) => (StatusCode::OK, answer_html(&state, &headers, &q, page_no, answer, sink).await),
        Err(err) => (err.status, error_box(&err)),
    };
    let body = html! { (query_box(&q)) (answer) };
    (status, Html(page(&q, who, body).into_string())).into_response()
}

/// The statement that fetches page `page_no` of `q`: a claims query
/// without a limit gets one just past the page, so that the executor can
/// stop there instead of finding every match (how many there are in all
/// comes from a `count`). The limit goes on a line of its own, after any
/// comment at the end of `q`.
fn paged(q: &str, page_no: u64) -> String {
    let unlimited = matches!(classify(q).map(|c| c.item), Ok(crate::server::classify::Item::Statement(s))
        if matches!(&*s, crate::query::ast::Statement::Claims(query) if query.limit.is_none()));
    if !unlimited {
        return q.to_string();
    }
    let upto = page_no.saturating_mul(PAGE_SIZE).saturating_add(1);
    format!("{}\nlimit {upto}", q.trim().trim_end_matches(';'))
}

/// The page for a statement that writes, typed in the box: a button that
/// sends it (or why it cannot be sent).
fn confirm_write(state: &State, headers: &HeaderMap, q: &str) -> Response {
    let who = signed(state, headers);
    let body = html! {
        (query_box(q))
        @if who.writes {
            form method="post" action="/" {
                p { "This statement changes the database." }
                input type="hidden" name="q" value=(q);
                input type="hidden" name="csrf" value=(who.csrf);
                button type="submit" { "Run this change" }
            }
        } @else if state.read_only() {
            p.note { "This server is read-only: statements that change the database are refused." }
        } @else {
            p.note { "Changes need the server's token: " a href="/login" { "sign in" } " first." }
        }
    };
    Html(page(q, signed(state, headers), body).into_string()).into_response()
}

/// The form that runs a write typed in the box.
#[derive(Deserialize)]
pub struct WriteForm {
    q: String,
    csrf: Option<String>,
}

/// `POST /`: runs a statement that writes, from the confirmation form.
pub async fn run_write(Shared(state): Shared<State>, headers: HeaderMap, Form(form): Form<WriteForm>) -> Response {
    if let Err(err) = crate::server::auth::check_csrf(&state, form.csrf.as_deref()) {
        return super::error_page(&state, &headers, &err);
    }
    let q = form.q.trim().to_string();
    let (status, answer) = match run::<PageSink>(&state, &headers, true, &q, None).await {
        Ok((answer, _)) => (StatusCode::OK, plain_answer(&q, &answer)),
        Err(err) => (err.status, error_box(&err)),
    };
    let body = html! { (query_box("")) h2 { "Ran: " code { (q) } } (answer) };
    (status, Html(page("changed", signed(&state, &headers), body).into_string())).into_response()
}

fn plain_answer(q: &str, answer: &Answer) -> Markup {
    match answer {
        Answer::Output(out) => results::output(out, q),
        Answer::Text(text) => html! { p.note { (text) } },
        Answer::Many(list) => html! { @for a in list { (plain_answer(q, a)) } },
    }
}

/// The answer of a read: claims with paging, facets and exports, or any
/// other output as a table.
async fn answer_html(
    state: &State,
    headers: &HeaderMap,
    q: &str,
    page_no: u64,
    answer: Answer,
    sink: Option<PageSink>,
) -> Markup {
    let (Answer::Output(Output::Claims(list)), Some(sink)) = (&answer, sink) else {
        return plain_answer(q, &answer);
    };
    let matched = list.matched;
    // Stopped after the page: the count says how many there are (`count`
    // keeps to a `limit` as the list does).
    let counted = if sink.more { count(state, headers, q).await } else { Some(sink.seen) };
    // `count … per` counts every matching claim, so facets beside a
    // list cut by `limit` would count claims that are not shown.
    let limited = matches!(classify(q).map(|c| c.item), Ok(crate::server::classify::Item::Statement(s))
        if matches!(&*s, crate::query::ast::Statement::Claims(query) if query.limit.is_some()));
    let (facets, slow) = if limited { (Vec::new(), Vec::new()) } else { facets(state, headers, q).await };
    let first = (page_no - 1) * PAGE_SIZE + 1;
    let last = first + sink.claims.len() as u64 - 1;
    let pages = counted.map(|n| n.div_ceil(PAGE_SIZE).max(1));
    let has_next = match pages {
        Some(p) => page_no < p,
        None => sink.more,
    };
    let link = |p: u64| format!("{}&page={p}", query_link(q));
    html! {
        div.layout {
            section.results {
                p {
                    @if sink.claims.is_empty() && page_no == 1 { "No claims." }
                    @else if sink.claims.is_empty() { "No claims on this page." }
                    @else {
                        "Claims " strong { (first) "–" (last) }
                        @match counted { Some(n) => { " of " strong { (n) } }, None => " (more follow)" }
                    }
                    @if let (Some(m), false) = (matched, sink.more) { " (the limit kept " (sink.seen) " of " (m) " matching)" }
                    @if !sink.claims.is_empty() {
                        span.exports { " · export: "
                            a href={ "/v1/query?format=csv&q=" (encode(q)) } download="claims.csv" { "CSV" } " · "
                            a href={ "/v1/query?format=jsonl&q=" (encode(q)) } download="claims.jsonl" { "JSONL" } " · "
                            a href={ "/export.jsonld?q=" (encode(q)) } download="claims.jsonld" { "ClaimReview" } }
                    }
                }
                (results::claims_table(&sink.claims))
                @if page_no > 1 || has_next {
                    nav.pages aria-label="pages" {
                        @if page_no > 1 { a rel="prev" href=(link(page_no - 1)) { "← previous" } }
                        span { "page " (page_no) @if let Some(p) = pages { " of " (p) } }
                        @if has_next { a rel="next" href=(link(page_no + 1)) { "next →" } }
                    }
                }
            }
            @if !facets.is_empty() || !slow.is_empty() {
                aside.facets aria-label="facets" {
                    h2 { "Refine" }
                    @if !slow.is_empty() { p { "Not counted (too slow to count here): " (slow.join(", ")) } }
                    @for (by, rows) in &facets {
                        h3 { "by " (by) }
                        ul { @for (value, n) in rows.iter().take(FACET_VALUES) {
                            li {
                                @match value.as_deref().and_then(|v| clause_for(by, v).map(|c| (v, c))) {
                                    Some((v, clause)) => a.facet href=(query_link(&format!("{} {clause}", q.trim_end_matches(';')))) { (v) },
                                    None => em { "(none)" },
                                }
                                span.n { (n) }
                            }
                        } }
                    }
                }
            }
        }
    }
}

/// How long the facets may take before the page is sent without the
/// slow ones (their statements are then stopped).
const FACET_BUDGET: Duration = Duration::from_secs(3);

/// The counts per status, outlet, source and topic of the claims `q`
/// lists (the same statement with `count` in front and `per X` behind),
/// run at once; with the facets that were too slow to count. A facet whose
/// count fails is left out.
async fn facets(
    state: &State,
    headers: &HeaderMap,
    q: &str,
) -> (Vec<(String, Vec<(Option<String>, u64)>)>, Vec<String>) {
    let base = q.trim().trim_end_matches(';');
    let handles: Vec<_> = FACETS
        .iter()
        .map(|by| {
            let (state, headers, statement) = (state.clone(), headers.clone(), format!("count {base} per {by}"));
            tokio::spawn(async move { run::<PageSink>(&state, &headers, false, &statement, None).await })
        })
        .collect();
    let deadline = tokio::time::Instant::now() + FACET_BUDGET;
    let (mut out, mut slow) = (Vec::new(), Vec::new());
    for (by, mut handle) in FACETS.iter().zip(handles) {
        match tokio::time::timeout_at(deadline, &mut handle).await {
            Ok(Ok(Ok((Answer::Output(Output::Groups { rows, .. }), _)))) if !rows.is_empty() => {
                out.push((by.to_string(), rows))
            }
            Ok(_) => {}
            Err(_) => {
                // Dropping the statement's future cancels it (a read).
                handle.abort();
                slow.push(by.to_string());
            }
        }
    }
    (out, slow)
}

/// How many claims `q` lists (`count` in front of it), if that can be
/// counted.
async fn count(state: &State, headers: &HeaderMap, q: &str) -> Option<u64> {
    let statement = format!("count {}", q.trim().trim_end_matches(';'));
    match run::<PageSink>(state, headers, false, &statement, None).await {
        Ok((Answer::Output(Output::Count(n)), _)) => Some(n),
        _ => None,
    }
}

/// `GET /export.jsonld?q=…`: the claims of a claims query as schema.org
/// ClaimReview.
pub async fn claimreview(
    Shared(state): Shared<State>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    if let Err(e) = crate::server::auth::may_read(&state, &headers) {
        return e.into_response();
    }
    let q = params.get("q").cloned().unwrap_or_else(|| "claims".to_string());
    match classify(&q) {
        Ok(c) if c.is_claims_query() => {}
        _ => {
            return ApiError::new(
                StatusCode::BAD_REQUEST,
                "a ClaimReview export needs a claims query",
                Some("e.g. /export.jsonld?q=claims+via+Reuters".into()),
            )
            .into_response()
        }
    }
    match run(&state, &headers, false, &q, Some(AllSink::default())).await {
        Ok((_, Some(AllSink(claims)))) => {
            let mut out = Vec::new();
            let mut writer = crate::interchange::claimreview::ClaimReviewWriter::new(&mut out);
            let written = claims.iter().try_for_each(|c| writer.write(c)).and_then(|()| writer.finish());
            match written {
                Ok(_) => (
                    [
                        (header::CONTENT_TYPE, "application/ld+json"),
                        (header::CONTENT_DISPOSITION, "attachment; filename=\"claims.jsonld\""),
                    ],
                    out,
                )
                    .into_response(),
                Err(e) => ApiError::from_error(&e, &q).into_response(),
            }
        }
        Ok(_) => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "no claims came back", None).into_response(),
        Err(err) => err.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_unlimited_lists_stop_just_past_the_page() {
        assert_eq!(paged("claims via Reuters", 1), "claims via Reuters\nlimit 51");
        assert_eq!(paged("claims via Reuters -- wire;", 3), "claims via Reuters -- wire\nlimit 151");
        assert!(crate::query::parser::parse(&paged("claims via Reuters -- wire", 3)).is_ok());
        assert_eq!(paged("claims limit 7", 2), "claims limit 7");
        assert_eq!(paged("count claims", 1), "count claims");
        assert_eq!(paged("clams", 1), "clams");
    }
}
