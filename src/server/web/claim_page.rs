//! A claim's page (`/claims/{id}`): everything recorded about it (text,
//! source, outlets, status with its history, rating, topics, evidence,
//! relations both ways, edits) and, when writes are allowed, the forms to
//! change its status, rate it, add evidence and link it to another claim.

use super::layout::{page, query_link, quoted, Signed};
use super::results::claim_link;
use super::{error_page, sign_in_first, signed};
use crate::model::{Relation, Status};
use crate::server::error::ApiError;
use crate::server::exec::guarded;
use crate::server::state::State;
use crate::Claim;
use axum::extract::{Path, Query, State as Shared};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup};
use std::collections::HashMap;

/// `GET /claims/{id}` (`?done=…` shows what a form just did).
pub async fn show(
    Shared(state): Shared<State>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    if let Some(to_login) = sign_in_first(&state, &headers) {
        return to_login;
    }
    let Ok(id) = id.trim_start_matches('#').parse::<u64>() else {
        let err = ApiError::new(StatusCode::NOT_FOUND, format!("'{id}' is not a claim number"), None);
        return error_page(&state, &headers, &err);
    };
    let db = state.db().clone();
    let claim = match guarded(&state, false, move |_| Ok(db.get(id)?)).await {
        Ok(Some(c)) => c,
        Ok(None) => {
            let err = ApiError::new(StatusCode::NOT_FOUND, format!("there is no claim #{id}"), None);
            return error_page(&state, &headers, &err);
        }
        Err(f) => return error_page(&state, &headers, &f.into_api("")),
    };
    let who = signed(&state, &headers);
    let body = html! {
        @if let Some(done) = params.get("done") { p.note role="status" { (done) } }
        (details(&claim))
        @if who.writes { (forms(&claim, &who)) }
    };
    Html(page(&format!("claim #{id}"), who, body).into_string()).into_response()
}

/// Whether a URL may be a link (no `javascript:` and the like).
fn linkable(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

fn details(c: &Claim) -> Markup {
    let source = &c.source;
    html! {
        h1 { "Claim #" (c.id) }
        blockquote { p { (c.text) } }
        dl.claim {
            dt { "source" }
            dd { a href=(query_link(&format!("claims by {}", quoted(&source.name)))) { (source.name) }
                 ", " @if source.anonymous { "anonymous " } (source.kind.name())
                 @if let Some(a) = &source.affiliation { " of " (a) }
                 " · " a href=(query_link(&format!("track record of {}", quoted(&source.name)))) { "track record" } }
            dt { "reported" }
            dd { (c.date) @if !c.outlets.is_empty() { " via " }
                 @for (i, o) in c.outlets.iter().enumerate() { @if i > 0 { ", " }
                     a href=(query_link(&format!("claims via {}", quoted(o)))) { (o) } } }
            dt { "status" }
            dd { span.status { (c.status.name()) } " since " (c.status_since()) }
            @if let Some(r) = &c.rating { dt { "rating" } dd { (r) } }
            @if !c.topics.is_empty() {
                dt { "topics" }
                dd { @for (i, t) in c.topics.iter().enumerate() { @if i > 0 { ", " }
                    a href=(query_link(&format!("claims about {}", quoted(t)))) { (t) } } }
            }
            @if let Some(n) = &c.notes { dt { "notes" } dd { (n) } }
            dt { "recorded" }
            dd { (c.recorded_at.format("%Y-%m-%d %H:%M UTC")) }
        }
        h2 { "History" }
        div.scroll { table {
            thead { tr { th { "date" } th { "status" } th { "because" } th { "recorded" } } }
            tbody { @for h in &c.history { tr {
                td { (h.date) } td.status { (h.status.name()) } td { (h.note.as_deref().unwrap_or("")) }
                td { (h.recorded_at.format("%Y-%m-%d %H:%M UTC")) }
            } } }
        } }
        h2 { "Evidence" }
        @if c.evidence.is_empty() { p { "None yet." } }
        ul { @for e in &c.evidence { li {
            @if linkable(&e.url) { a href=(e.url) rel="noopener noreferrer nofollow" { (e.url) } } @else { code { (e.url) } }
            @if let Some(n) = &e.note { " — " (n) }
            @if let Some(a) = &e.author { " (" (a) ")" }
        } } }
        h2 { "Relations" }
        @if c.relations.is_empty() && c.linked_from.is_empty() { p { "None." } }
        ul {
            @for l in &c.relations { li { "this claim " (l.relation.name()) " " (claim_link(l.claim)) } }
            @for l in &c.linked_from { li { (claim_link(l.claim)) " " (l.relation.name()) " this claim" } }
        }
        @if !c.changes.is_empty() {
            h2 { "Edits" }
            div.scroll { table {
                thead { tr { th { "field" } th { "before" } th { "after" } th { "recorded" } } }
                tbody { @for ch in &c.changes { tr {
                    td { (ch.field) } td { (ch.before.as_deref().unwrap_or("—")) } td { (ch.after.as_deref().unwrap_or("—")) }
                    td { (ch.recorded_at.format("%Y-%m-%d %H:%M UTC")) }
                } } }
            } }
        }
    }
}

fn forms(c: &Claim, who: &Signed) -> Markup {
    let id = c.id;
    html! {
        h2 { "Change this claim" }
        form method="post" action={ "/claims/" (id) "/status" } {
            fieldset { legend { "Status" }
                input type="hidden" name="csrf" value=(who.csrf);
                label { "new status " select name="status" {
                    @for s in Status::ALL { option value=(s.name()) selected[*s == c.status] { (s.name()) } } } }
                label { "on (empty: today) " input type="date" name="date"; }
                label { "because " input type="text" name="because" placeholder="Qatar denied the report"; }
                button type="submit" { "Change status" }
            }
        }
        form method="post" action={ "/claims/" (id) "/rating" } {
            fieldset { legend { "Rating" }
                input type="hidden" name="csrf" value=(who.csrf);
                label { "rating (empty: none) " input type="text" name="rating" value=(c.rating.as_deref().unwrap_or("")) placeholder="half-true"; }
                button type="submit" { "Rate" }
            }
        }
        form method="post" action={ "/claims/" (id) "/evidence" } {
            fieldset { legend { "Evidence" }
                input type="hidden" name="csrf" value=(who.csrf);
                label { "URL " input type="url" name="url" required placeholder="https://example.org/report"; }
                label { "note " input type="text" name="note" placeholder="wire copy"; }
                button type="submit" { "Add evidence" }
            }
        }
        form method="post" action={ "/claims/" (id) "/link" } {
            fieldset { legend { "Relation" }
                input type="hidden" name="csrf" value=(who.csrf);
                label { "this claim " select name="relation" {
                    @for r in Relation::ALL { option value=(r.name()) { (r.name()) } } } }
                label { "claim number " input type="text" name="other" inputmode="numeric" required placeholder="7"; }
                button type="submit" { "Link" }
            }
        }
    }
}
