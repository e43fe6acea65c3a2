//! The web page: a query box with the language's examples, results as
//! tables with paging, facets and export links ([`query_page`]), a page per
//! claim ([`claim_page`]), and forms that write ([`forms`]). Plain
//! server-rendered HTML (maud) with no JavaScript; every statement goes
//! through the same rules as the API ([`super::exec::prepare`]), and every
//! form carries the server's CSRF token.

pub mod claim_page;
pub mod forms;
pub mod layout;
pub mod query_page;
pub mod results;

use super::auth;
use super::error::ApiError;
use super::exec::{execute, guarded, prepare, Answer, Caller, Failure};
use super::state::State;
use crate::query::{ClaimList, ClaimSink, Output};
use crate::Error;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use layout::{page, SignIn, Signed};
use maud::{html, Markup};

/// The page routes.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/", get(query_page::show).post(query_page::run_write))
        .route("/export.jsonld", get(query_page::claimreview))
        .route("/claims/{id}", get(claim_page::show))
        .route("/claims/{id}/status", post(forms::set_status))
        .route("/claims/{id}/rating", post(forms::rate))
        .route("/claims/{id}/evidence", post(forms::add_evidence))
        .route("/claims/{id}/link", post(forms::link))
        .route("/add", get(forms::add_page).post(forms::add_claim))
        .route("/login", get(forms::login_page).post(forms::login))
        .route("/logout", post(forms::logout))
        .route("/style.css", get(layout::css))
}

/// What the visitor may do.
pub fn signed(state: &State, headers: &HeaderMap) -> Signed {
    let has_token = state.settings().token.is_some();
    let signed_in = auth::signed_in(state, headers);
    Signed {
        writes: !state.read_only() && signed_in,
        sign_in: match (has_token, signed_in) {
            (false, _) => SignIn::NotNeeded,
            (true, true) => SignIn::SignedIn,
            (true, false) => SignIn::SignedOut,
        },
        csrf: state.csrf().to_string(),
    }
}

/// For a private server whose visitor does not hold the token: the way to
/// the sign-in page.
pub fn sign_in_first(state: &State, headers: &HeaderMap) -> Option<Response> {
    auth::may_read(state, headers).err().map(|_| Redirect::to("/login").into_response())
}

/// Where a page puts the claims of a query: a sink that may stop the query
/// once it holds all that the page shows.
pub trait PageCollect: ClaimSink + Send + 'static {
    /// Whether the sink stopped the query because it had enough.
    fn had_enough(&self) -> bool {
        false
    }
}

/// Runs `text` for a page under the same rules as the API (`post`: the
/// request was a form's POST, so it may write); the claims of a claims
/// query go to `sink` when one is given, and it comes back.
pub async fn run<S: PageCollect>(
    state: &State,
    headers: &HeaderMap,
    post: bool,
    text: &str,
    sink: Option<S>,
) -> Result<(Answer, Option<S>), ApiError> {
    let caller = Caller::Http { headers: headers.clone(), post };
    let prepared = prepare(state, text, &caller).map_err(|f| f.into_api(text))?;
    let writes = prepared.classified.writes;
    let inner = state.clone();
    guarded(state, writes, move |cancel| {
        let mut sink = sink;
        let result = execute(&inner, &prepared, &caller, cancel, sink.as_mut().map(|s| s as &mut dyn ClaimSink));
        let answer = match result {
            // The sink stopped the query: the page has its claims.
            Err(Failure::Db(Error::Cancelled)) if sink.as_ref().is_some_and(|s| s.had_enough()) => {
                Answer::Output(Output::Claims(ClaimList::default()))
            }
            other => other?,
        };
        Ok((answer, sink))
    })
    .await
    .map_err(|f| f.into_api(text))
}

/// An error as a page: the shell's rendering (caret and help) in a box.
pub fn error_box(err: &ApiError) -> Markup {
    html! { pre.error role="alert" { (err.rendered) } }
}

/// A whole page for an error.
pub fn error_page(state: &State, headers: &HeaderMap, err: &ApiError) -> Response {
    let body = html! { h1 { "Something went wrong" } (error_box(err)) p { a href="/" { "back to the query box" } } };
    (err.status, Html(page("error", signed(state, headers), body).into_string())).into_response()
}

/// The 404 page for paths outside the API.
pub fn not_found(path: &str) -> Response {
    let body = html! {
        h1 { "Not found" }
        p { "There is no page at " code { (path) } ". " a href="/" { "Ask a question" } " instead." }
    };
    let signed = Signed { writes: false, sign_in: SignIn::NotNeeded, csrf: String::new() };
    (StatusCode::NOT_FOUND, Html(page("not found", signed, body).into_string())).into_response()
}
