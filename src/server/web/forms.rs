//! The forms that write: add a claim, change a status, rate, add evidence,
//! link two claims; and signing in with the server's token. Each form
//! becomes a statement of the language (names quoted, choices checked
//! against the language's own words) and runs under the same rules as
//! the API, after its CSRF token is checked. Success goes back to the
//! claim's page (303); a failure shows the error with the caret.

use super::layout::{page, quoted};
use super::query_page::PageSink;
use super::{error_box, error_page, run, sign_in_first, signed};
use crate::model::{Kind, Relation, Status};
use crate::query::Output;
use crate::server::auth::{self, check_csrf, COOKIE};
use crate::server::error::ApiError;
use crate::server::exec::Answer;
use crate::server::state::State;
use axum::extract::{Form, Path, State as Shared};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::html;
use std::collections::HashMap;

type Fields = HashMap<String, String>;

/// A field, trimmed; `None` when empty or missing.
fn field<'a>(form: &'a Fields, name: &str) -> Option<&'a str> {
    form.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())
}

fn bad(message: String, help: &str) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, message, Some(help.to_string()))
}

/// `a, "b c"` from a comma-separated field.
fn name_list(text: &str) -> String {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(quoted).collect::<Vec<_>>().join(", ")
}

/// Runs the statement a form built, and answers with the claim's page
/// (or the page of the claim it added).
async fn submit(
    state: &State,
    headers: &HeaderMap,
    form: &Fields,
    id: Option<u64>,
    statement: Result<String, ApiError>,
) -> Response {
    if let Err(err) = check_csrf(state, form.get("csrf").map(String::as_str)) {
        return error_page(state, headers, &err);
    }
    let statement = match statement {
        Ok(s) => s,
        Err(err) => return error_page(state, headers, &err),
    };
    match run::<PageSink>(state, headers, true, &statement, None).await {
        Ok((Answer::Output(Output::Added(new)), _)) => {
            Redirect::to(&format!("/claims/{new}?done={}", super::layout::encode(&format!("Added claim #{new}."))))
                .into_response()
        }
        Ok((Answer::Output(Output::Done(message)), _)) if id.is_some() => {
            let id = id.unwrap_or_default();
            Redirect::to(&format!("/claims/{id}?done={}", super::layout::encode(&message))).into_response()
        }
        Ok(_) => Redirect::to("/").into_response(),
        Err(err) => {
            let body = html! {
                h1 { "The change was not made" }
                p { "The form became this statement:" }
                pre { (statement) }
                (error_box(&err))
                p { @if let Some(id) = id { a href={ "/claims/" (id) } { "back to claim #" (id) } } @else { a href="/add" { "back to the form" } } }
            };
            (err.status, Html(page("not changed", signed(state, headers), body).into_string())).into_response()
        }
    }
}

/// `POST /claims/{id}/status`.
pub async fn set_status(
    Shared(state): Shared<State>,
    headers: HeaderMap,
    Path(id): Path<u64>,
    Form(form): Form<Fields>,
) -> Response {
    let statement = (|| {
        let status = field(&form, "status").and_then(Status::parse).ok_or_else(|| {
            bad(
                "choose a status".into(),
                "one of unverified, corroborated, confirmed, disputed, denied, false, retracted",
            )
        })?;
        let mut s = format!("set status of claim {id} to {}", status.name());
        if let Some(date) = field(&form, "date") {
            s.push_str(&format!(" on {date}"));
        }
        if let Some(because) = field(&form, "because") {
            s.push_str(&format!(" because {}", quoted(because)));
        }
        Ok(s)
    })();
    submit(&state, &headers, &form, Some(id), statement).await
}

/// `POST /claims/{id}/rating` (an empty rating clears it).
pub async fn rate(
    Shared(state): Shared<State>,
    headers: HeaderMap,
    Path(id): Path<u64>,
    Form(form): Form<Fields>,
) -> Response {
    let statement = Ok(match field(&form, "rating") {
        Some(r) => format!("rate claim {id} {}", quoted(r)),
        None => format!("clear rating of claim {id}"),
    });
    submit(&state, &headers, &form, Some(id), statement).await
}

/// `POST /claims/{id}/evidence`.
pub async fn add_evidence(
    Shared(state): Shared<State>,
    headers: HeaderMap,
    Path(id): Path<u64>,
    Form(form): Form<Fields>,
) -> Response {
    let statement = field(&form, "url")
        .map(|url| {
            let mut s = format!("add evidence {}", quoted(url));
            if let Some(note) = field(&form, "note") {
                s.push_str(&format!(" note {}", quoted(note)));
            }
            s.push_str(&format!(" to claim {id}"));
            s
        })
        .ok_or_else(|| bad("the evidence needs a URL".into(), "paste the address of the report"));
    submit(&state, &headers, &form, Some(id), statement).await
}

/// `POST /claims/{id}/link`.
pub async fn link(
    Shared(state): Shared<State>,
    headers: HeaderMap,
    Path(id): Path<u64>,
    Form(form): Form<Fields>,
) -> Response {
    let statement = (|| {
        let relation = field(&form, "relation")
            .and_then(Relation::parse)
            .ok_or_else(|| bad("choose a relation".into(), "supports, contradicts, updates or duplicates"))?;
        let other = field(&form, "other")
            .and_then(|o| o.trim_start_matches('#').parse::<u64>().ok())
            .ok_or_else(|| bad("the other claim's number is missing".into(), "type the number, like 7"))?;
        Ok(format!("link claim {id} {} claim {other}", relation.name()))
    })();
    submit(&state, &headers, &form, Some(id), statement).await
}

/// `GET /add`: the form for a new claim.
pub async fn add_page(Shared(state): Shared<State>, headers: HeaderMap) -> Response {
    if let Some(to_login) = sign_in_first(&state, &headers) {
        return to_login;
    }
    let who = signed(&state, &headers);
    let today = state.db().today();
    let body = html! {
        h1 { "Add a claim" }
        @if !who.writes {
            p.note { @if state.read_only() { "This server is read-only." } @else { "Adding claims needs the server's token: " a href="/login" { "sign in" } "." } }
        } @else {
            form method="post" action="/add" {
                input type="hidden" name="csrf" value=(who.csrf);
                fieldset { legend { "The claim" }
                    label { "text " textarea name="text" rows="3" required placeholder="The Hamas political office no longer serves its purpose" {} }
                    label { "date " input type="date" name="date" required value=(today); }
                    label { "status " select name="status" { @for s in Status::ALL { option value=(s.name()) { (s.name()) } } } }
                    label { "rating " input type="text" name="rating" placeholder="half-true"; }
                    label { "topics (comma-separated) " input type="text" name="topics" placeholder="Qatar, Gaza ceasefire"; }
                    label { "notes " input type="text" name="notes"; }
                }
                fieldset { legend { "Who said it, and who reported it" }
                    label { "source " input type="text" name="source" required placeholder="US officials"; }
                    label { "kind " select name="kind" { @for k in Kind::ALL { option value=(k.name()) selected[k.name() == "unknown"] { (k.name()) } } } }
                    label { input type="checkbox" name="anonymous" value="yes"; " anonymous" }
                    label { "affiliation " input type="text" name="affiliation" placeholder="US"; }
                    label { "outlets (comma-separated) " input type="text" name="outlets" placeholder="Reuters, AFP"; }
                }
                button type="submit" { "Add claim" }
            }
        }
    };
    Html(page("add a claim", who, body).into_string()).into_response()
}

/// `POST /add`.
pub async fn add_claim(Shared(state): Shared<State>, headers: HeaderMap, Form(form): Form<Fields>) -> Response {
    let statement = (|| {
        let text =
            field(&form, "text").ok_or_else(|| bad("the claim needs its text".into(), "write what was claimed"))?;
        let source = field(&form, "source")
            .ok_or_else(|| bad("the claim needs a source".into(), "who said it, like \"US officials\""))?;
        let date = field(&form, "date")
            .ok_or_else(|| bad("the claim needs a date".into(), "the day it was made, like 2024-11-09"))?;
        let mut s = format!("add claim {} by {} on {date}", quoted(text), quoted(source));
        let kind = field(&form, "kind").and_then(Kind::parse).unwrap_or(Kind::Unknown);
        let anonymous = field(&form, "anonymous").is_some();
        if anonymous || kind != Kind::Unknown {
            s.push_str(if anonymous { " as anonymous " } else { " as " });
            s.push_str(kind.name());
        }
        if let Some(a) = field(&form, "affiliation") {
            s.push_str(&format!(" of {}", quoted(a)));
        }
        if let Some(o) = field(&form, "outlets").map(name_list).filter(|l| !l.is_empty()) {
            s.push_str(&format!(" via {o}"));
        }
        if let Some(t) = field(&form, "topics").map(name_list).filter(|l| !l.is_empty()) {
            s.push_str(&format!(" about {t}"));
        }
        if let Some(st) = field(&form, "status").and_then(Status::parse) {
            s.push_str(&format!(" status {}", st.name()));
        }
        if let Some(r) = field(&form, "rating") {
            s.push_str(&format!(" rated {}", quoted(r)));
        }
        if let Some(n) = field(&form, "notes") {
            s.push_str(&format!(" notes {}", quoted(n)));
        }
        Ok(s)
    })();
    submit(&state, &headers, &form, None, statement).await
}

/// `GET /login`.
pub async fn login_page(Shared(state): Shared<State>, headers: HeaderMap) -> Response {
    let who = signed(&state, &headers);
    let body = html! {
        h1 { "Sign in" }
        @if state.settings().token.is_none() {
            p { "This server has no token: there is nothing to sign in to." }
        } @else {
            form method="post" action="/login" {
                input type="hidden" name="csrf" value=(who.csrf);
                fieldset { legend { "The server's token" }
                    label { "token " input type="password" name="token" required autocomplete="current-password"; }
                    button type="submit" { "Sign in" }
                }
            }
            p { "The token is kept in a cookie of this browser for 30 days." }
        }
    };
    Html(page("sign in", who, body).into_string()).into_response()
}

/// `POST /login`.
pub async fn login(Shared(state): Shared<State>, headers: HeaderMap, Form(form): Form<Fields>) -> Response {
    if let Err(err) = check_csrf(&state, form.get("csrf").map(String::as_str)) {
        return error_page(&state, &headers, &err);
    }
    let given = form.get("token").map(|t| t.trim()).unwrap_or("");
    match &state.settings().token {
        Some(token) if auth::same_secret(given, token) => {
            let cookie = format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=2592000");
            ([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response()
        }
        _ => {
            error_page(&state, &headers, &ApiError::forbidden("that is not the server's token", "check the token file"))
        }
    }
}

/// `POST /logout`.
pub async fn logout(Shared(state): Shared<State>, headers: HeaderMap, Form(form): Form<Fields>) -> Response {
    if let Err(err) = check_csrf(&state, form.get("csrf").map(String::as_str)) {
        return error_page(&state, &headers, &err);
    }
    let cookie = format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    ([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response()
}
