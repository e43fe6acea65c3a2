//! The JSON API, version 1: `/v1/query` (POST and GET), `/v1/claims/{id}`,
//! `/v1/health`, `/v1/stats` and `/v1/vocabulary`. A query answers exactly
//! what `claimdb --format json` prints for the statement (or jsonl, csv,
//! table with `?format=` or an `Accept` header); the claims of a large
//! query are streamed as they are found.

use super::auth;
use super::error::ApiError;
use super::exec::{execute, guarded, prepare, Answer, Caller, Failure, Notebook};
use super::state::State;
use super::stream::{print, StreamSink, CHUNK};
use crate::query::Output;
use crate::shell::format::{json, Format, DEFAULT_WIDTH};
use crate::Status;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State as Shared};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;
use tokio::sync::mpsc;
use tokio_stream::StreamExt;

/// The body of `POST /v1/query`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryBody {
    /// One statement of the language (or `.stats`, `.sources`, `.check`,
    /// `.backup`, `.restore`, `.read`).
    pub statement: String,
    /// `json` (the default), `jsonl`, `csv` or `table`.
    #[serde(default)]
    pub format: Option<String>,
    /// The width tables are fitted to.
    #[serde(default)]
    pub width: Option<usize>,
}

/// The content type of each format.
pub fn content_type(format: Format) -> &'static str {
    match format {
        Format::Json => "application/json",
        Format::Jsonl => "application/x-ndjson",
        Format::Csv => "text/csv; charset=utf-8",
        Format::Table | Format::Lines | Format::Cq => "text/plain; charset=utf-8",
    }
}

/// The format asked for: `?format=` (or the body's), else `Accept`, else
/// json.
fn negotiate(named: Option<&str>, headers: &HeaderMap) -> Result<Format, ApiError> {
    if let Some(name) = named {
        return Format::parse(name).ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("unknown format '{name}'"),
                Some("expected one of: json, jsonl, csv, table, lines".into()),
            )
        });
    }
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    Ok(if accept.contains("text/csv") {
        Format::Csv
    } else if accept.contains("application/x-ndjson") || accept.contains("application/jsonl") {
        Format::Jsonl
    } else {
        Format::Json
    })
}

/// `POST /v1/query`.
pub async fn query_post(
    Shared(state): Shared<State>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let body = body.map_err(|e| match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::too_large(state.settings().options.max_body),
            status => ApiError::new(status, e.body_text(), None),
        })?;
        let json_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("application/json"));
        if !json_type {
            // Also what keeps another web site's form from posting here.
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "the body must be JSON, sent with Content-Type: application/json",
                Some(r#"send {"statement": "claims via Reuters"}"#.into()),
            ));
        }
        let body: QueryBody = serde_json::from_slice(&body).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("the body is not a query: {e}"),
                Some(r#"send {"statement": "…"}, optionally with "format": "json|jsonl|csv|table""#.into()),
            )
        })?;
        let format = negotiate(body.format.as_deref(), &headers)?;
        Ok((body.statement, format, body.width.unwrap_or(DEFAULT_WIDTH)))
    }
    .await;
    match result {
        Ok((statement, format, width)) => run_query(state, headers, statement, format, width, true).await,
        Err(err) => err.into_response(),
    }
}

/// `GET /v1/query?q=…[&format=…][&width=…]`.
pub async fn query_get(
    Shared(state): Shared<State>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(statement) = params.get("q").cloned() else {
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            "the query parameter q is missing",
            Some("GET /v1/query?q=claims%20via%20Reuters".into()),
        )
        .into_response();
    };
    let format = match negotiate(params.get("format").map(String::as_str), &headers) {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    let width = params.get("width").and_then(|w| w.parse().ok()).unwrap_or(DEFAULT_WIDTH);
    run_query(state, headers, statement, format, width, false).await
}

/// Runs a statement for the API and answers it, streaming large lists of
/// claims. `post` says whether the request may write.
async fn run_query(
    state: State,
    headers: HeaderMap,
    text: String,
    format: Format,
    width: usize,
    post: bool,
) -> Response {
    if let Err(e) = auth::may_read(&state, &headers) {
        return e.into_response();
    }
    let caller = Caller::Http { headers, post };
    let prepared = match prepare(&state, &text, &caller) {
        Ok(p) => p,
        Err(f) => return f.into_api(&text).into_response(),
    };
    let writes = prepared.classified.writes;
    let stream = prepared.classified.is_claims_query() && StreamSink::streams(format);
    let (tx, mut rx) = mpsc::channel::<Vec<u8>>(4);
    let worker_state = state.clone();
    let mut task = Worker(tokio::spawn(async move {
        let inner = worker_state.clone();
        guarded(&worker_state, writes, move |cancel| {
            let mut out = Vec::new();
            let notes = Notebook::default();
            if stream {
                let mut sink = StreamSink::new(format, tx);
                let answer = execute(&inner, &prepared, &caller, cancel, Some(&mut sink), &notes)?;
                let matched = match answer {
                    Answer::Output(Output::Claims(list)) => list.matched,
                    _ => None,
                };
                out = sink.finish(matched).map_err(Failure::Db)?;
            } else {
                let answer = execute(&inner, &prepared, &caller, cancel, None, &notes)?;
                print(&answer, format, width, false, &mut out).map_err(Failure::Db)?;
            }
            Ok((out, notes.take()))
        })
        .await
    }));
    // Gather what comes until the answer is complete (then it goes out in
    // one piece, with its length) or too large to hold (then it streams).
    let mut head = Vec::new();
    loop {
        tokio::select! {
            chunk = rx.recv() => match chunk {
                Some(chunk) => {
                    head.extend(chunk);
                    if head.len() >= CHUNK {
                        return streaming(format, head, rx, task);
                    }
                }
                None => {
                    let result = (&mut task.0).await;
                    return whole(format, &text, head, result);
                }
            },
            result = &mut task.0 => {
                while let Ok(chunk) = rx.try_recv() {
                    head.extend(chunk);
                }
                return whole(format, &text, head, result);
            }
        }
    }
}

/// The task that runs a query's statement. Dropped before it is done (the
/// client went away), it is aborted, which stops a read (see
/// [`guarded`]); a write still runs to its end.
struct Worker(tokio::task::JoinHandle<Result<Printed, Failure>>);

/// What a statement's task gives back: the bytes not yet sent, and the
/// statement's notes.
type Printed = (Vec<u8>, Vec<String>);

impl Drop for Worker {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn whole(
    format: Format,
    text: &str,
    mut head: Vec<u8>,
    result: Result<Result<Printed, Failure>, tokio::task::JoinError>,
) -> Response {
    match result {
        Ok(Ok((tail, notes))) => {
            head.extend(tail);
            let mut response = Response::new(Body::from(head));
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(format)));
            if let Some(value) = notes_header(&notes) {
                response.headers_mut().insert(NOTES_HEADER, value);
            }
            response
        }
        Ok(Err(failure)) => failure.into_api(text).into_response(),
        Err(_) => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the statement's task failed", None).into_response(),
    }
}

/// The header that carries a statement's notes: a JSON array of strings,
/// written in ASCII (other characters as `\uXXXX` escapes) so that any
/// note fits a header.
pub const NOTES_HEADER: &str = "x-claimdb-notes";

fn notes_header(notes: &[String]) -> Option<HeaderValue> {
    if notes.is_empty() {
        return None;
    }
    let json = serde_json::to_string(notes).ok()?;
    let mut ascii = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            ' '..='~' => ascii.push(c),
            other => {
                let mut units = [0u16; 2];
                for unit in other.encode_utf16(&mut units) {
                    ascii.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    HeaderValue::from_str(&ascii).ok()
}

/// A 200 whose body is `head`, then every chunk the query sends, then its
/// tail. A failure part-way aborts the body, so that the client sees an
/// incomplete answer rather than a complete-looking wrong one.
fn streaming(format: Format, head: Vec<u8>, rx: mpsc::Receiver<Vec<u8>>, task: Worker) -> Response {
    let first = tokio_stream::once(Ok::<_, std::io::Error>(head));
    let rest = tokio_stream::wrappers::ReceiverStream::new(rx).map(Ok::<_, std::io::Error>);
    let mut task = Some(task);
    let tail = tokio_stream::once(()).then(move |()| {
        let task = task.take();
        async move {
            match task {
                Some(mut task) => match (&mut task.0).await {
                    // Notes come with answers small enough to go whole
                    // (a name that matched nothing); a stream has sent
                    // its headers already.
                    Ok(Ok((tail, _notes))) => Ok(tail),
                    Ok(Err(_)) | Err(_) => {
                        Err(std::io::Error::other("the query failed part-way; the answer is incomplete"))
                    }
                },
                None => Ok(Vec::new()),
            }
        }
    });
    let body = Body::from_stream(first.chain(rest).chain(tail).map(|r| r.map(Bytes::from)));
    let mut response = Response::new(body);
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(format)));
    response
}

/// `GET /v1/claims/{id}`: the claim with its history, evidence, relations
/// and edits, as the interchange object.
pub async fn claim(Shared(state): Shared<State>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Err(e) = auth::may_read(&state, &headers) {
        return e.into_response();
    }
    let Ok(id) = id.trim_start_matches('#').parse::<u64>() else {
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("'{id}' is not a claim id"),
            Some("claim ids are numbers: /v1/claims/12".into()),
        )
        .into_response();
    };
    let db = state.db().clone();
    match guarded(&state, false, move |_| Ok(db.get(id)?)).await {
        Ok(Some(claim)) => json_response(&claim),
        Ok(None) => ApiError::new(
            StatusCode::NOT_FOUND,
            format!("there is no claim #{id}"),
            Some("claims are numbered from 1; find them with GET /v1/query?q=claims".into()),
        )
        .into_response(),
        Err(f) => f.into_api("").into_response(),
    }
}

/// `GET /v1/health`: whether the server answers, and how.
pub async fn health(Shared(state): Shared<State>) -> Response {
    let body = serde_json::json!({
        "ok": true,
        "version": env!("CARGO_PKG_VERSION"),
        "read_only": state.read_only(),
        "private": state.settings().options.private,
        "files": state.settings().files.is_some(),
    });
    json_response(&body)
}

/// `GET /v1/stats`: what `.stats` prints, as one object.
pub async fn stats(Shared(state): Shared<State>, headers: HeaderMap) -> Response {
    if let Err(e) = auth::may_read(&state, &headers) {
        return e.into_response();
    }
    let db = state.db().clone();
    match guarded(&state, false, move |_| Ok(db.stats()?)).await {
        Ok(stats) => {
            let output = crate::query::Output::Stats(stats);
            let objects = json::objects(&output);
            match objects.first() {
                Some(object) => json_response(object),
                None => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "no statistics", None).into_response(),
            }
        }
        Err(f) => f.into_api("").into_response(),
    }
}

/// `GET /v1/vocabulary`: the names the database holds and the language's
/// fixed words, for completion.
pub async fn vocabulary(Shared(state): Shared<State>, headers: HeaderMap) -> Response {
    if let Err(e) = auth::may_read(&state, &headers) {
        return e.into_response();
    }
    let db = state.db().clone();
    match guarded(&state, false, move |_| Ok(db.vocabulary()?)).await {
        Ok(v) => json_response(&serde_json::json!({
            "outlets": v.outlets,
            "topics": v.topics,
            "sources": v.sources,
            "statuses": Status::ALL.iter().map(|s| s.name()).collect::<Vec<_>>(),
        })),
        Err(f) => f.into_api("").into_response(),
    }
}

/// Answers with `value` as JSON.
pub fn json_response(value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => ([(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(e) => {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("cannot write JSON: {e}"), None).into_response()
        }
    }
}
