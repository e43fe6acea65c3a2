//! Running one request's statement: the server's rules applied before
//! anything runs ([`prepare`]), the statement run on a blocking thread
//! under the time limit ([`guarded`]), and its answer ([`execute`]).
//!
//! The time limit and the shutdown cancel reads through the statement's
//! cancellation flag. A write is never reported as failed when it may have
//! happened: a write (only an import is long enough to be cancelled) is
//! waited for, and its real outcome is the answer.

use super::auth;
use super::classify::{classify, too_long, Classified, Item, Meta};
use super::error::ApiError;
use super::files::{allowed_path, rewrite_statement, FileAccess};
use super::state::State;
use crate::engine::Db;
use crate::query::ast::Statement;
use crate::query::{ClaimSink, Context, Output};
use crate::shell::format::plural;
use crate::Error;
use axum::http::{HeaderMap, StatusCode};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How long a cancelled read may take to notice before the server answers
/// without it (its result is then dropped; it has no effect to wait for).
const READ_GRACE: Duration = Duration::from_secs(2);

/// How deeply `.read` scripts may read each other.
const MAX_READ_DEPTH: usize = 16;

/// Who is asking, which decides what they may do.
#[derive(Clone, Debug)]
pub enum Caller {
    /// A client over TCP, with its request headers (for the token), and
    /// whether the request was a POST: statements that write are refused
    /// on GET, which a link or an image on another site can send.
    Http {
        /// The request's headers.
        headers: HeaderMap,
        /// Whether the method was POST.
        post: bool,
    },
    /// A local user over the Unix socket in the database directory, with
    /// the working directory that their relative file names mean.
    Local(PathBuf),
}

impl Caller {
    fn file_access(&self, state: &State) -> FileAccess {
        match self {
            Caller::Http { .. } => state.settings().files.clone().map_or(FileAccess::Refused, FileAccess::Inside),
            Caller::Local(cwd) => FileAccess::Local(cwd.clone()),
        }
    }

    fn may_write(&self, state: &State) -> Result<(), ApiError> {
        match self {
            Caller::Http { post: false, .. } => Err(ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "a statement that changes the database must be sent with POST",
                Some(r#"POST /v1/query with {"statement": "…"}"#.into()),
            )),
            Caller::Http { headers, post: true } => auth::may_write(state, headers),
            // The socket's file permissions decide who is local; the
            // read-only promise holds for them too.
            Caller::Local(_) => match state.read_only() {
                true => auth::may_write(state, &HeaderMap::new()),
                false => Ok(()),
            },
        }
    }
}

/// A request that passed the rules, ready to run.
#[derive(Debug)]
pub struct Prepared {
    /// The statement as it will run (file names replaced by real paths).
    pub text: String,
    /// What it is.
    pub classified: Classified,
    /// The file name as written, and the path it was resolved to.
    pub file: Option<(PathBuf, PathBuf)>,
}

/// What a statement gave back.
#[derive(Debug)]
pub enum Answer {
    /// A result, printed in the requested format.
    Output(Output),
    /// A line of text (`.backup` says what it wrote).
    Text(String),
    /// The answers of a script's items (`.read`), in order.
    Many(Vec<Answer>),
}

/// Why a request failed.
#[derive(Debug)]
pub enum Failure {
    /// The database's error, about the statement's text.
    Db(Error),
    /// Refused or stopped by the server.
    Api(ApiError),
}

impl Failure {
    /// The response for the failure of `text`.
    pub fn into_api(self, text: &str) -> ApiError {
        match self {
            Failure::Db(err) => ApiError::from_error(&err, text),
            Failure::Api(api) => api,
        }
    }
}

impl From<Error> for Failure {
    fn from(err: Error) -> Failure {
        Failure::Db(err)
    }
}

/// Applies the server's rules to `text` for `caller`: the size limit,
/// read-only and tokens for writes, and where files may be.
/// A statement that does not parse fails with the parser's error (with
/// its span); a refusal fails with the server's answer.
pub fn prepare(state: &State, text: &str, caller: &Caller) -> Result<Prepared, Failure> {
    let limit = state.settings().options.max_statement;
    if text.len() > limit {
        let err = ApiError::from_error(&too_long(text.len(), limit), "");
        return Err(Failure::Api(err.with_status(StatusCode::PAYLOAD_TOO_LARGE)));
    }
    let classified = classify(text)?;
    if classified.writes {
        caller.may_write(state).map_err(Failure::Api)?;
    }
    let Some(file) = &classified.file else {
        return Ok(Prepared { text: text.to_string(), classified, file: None });
    };
    let forbid = |e: Error| Failure::Api(ApiError::from_error(&e, "").with_status(StatusCode::FORBIDDEN));
    let real = allowed_path(&caller.file_access(state), &file.path).map_err(forbid)?;
    if file.writes {
        state.db().refuse_inside(&real, "the output file").map_err(forbid)?;
    }
    let text = match &classified.item {
        Item::Statement(s) => {
            let is_export = matches!(**s, Statement::Export { .. });
            rewrite_statement(text, &file.path, &real, is_export).map_err(Failure::Db)?
        }
        Item::Meta(_) => text.to_string(),
    };
    let file = Some((file.path.clone(), real));
    Ok(Prepared { text, classified, file })
}

/// Runs `work` on a blocking thread under the statement time limit and
/// the shutdown. `writes` says whether it may change the database: then
/// it is always waited for, and its real result is returned.
pub async fn guarded<T: Send + 'static>(
    state: &State,
    writes: bool,
    work: impl FnOnce(&AtomicBool) -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    let limit = state.settings().timeout;
    if writes {
        state.wait_for_running_reads(limit).await;
    }
    // A read counts as running until its thread is done with it, even when
    // the answer went out without it (after the grace below).
    let ticket = (!writes).then(|| state.read_started());
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let mut handle = tokio::task::spawn_blocking(move || {
        let _running = ticket;
        work(&flag)
    });
    // When the client goes away, this future is dropped: a read it was
    // waiting for is then stopped (a write runs to its end regardless).
    let _stop_read_on_drop = CancelOnDrop { flag: cancel.clone(), armed: !writes };
    let stopped_by = tokio::select! {
        result = &mut handle => return joined(result),
        _ = tokio::time::sleep(limit) => ApiError::timed_out(limit),
        _ = state.stopped(), if !writes => ApiError::shutting_down(),
    };
    cancel.store(true, Ordering::SeqCst);
    let result = if writes {
        handle.await
    } else {
        match tokio::time::timeout(READ_GRACE, &mut handle).await {
            Ok(result) => result,
            Err(_) => return Err(Failure::Api(stopped_by)),
        }
    };
    match joined(result) {
        Err(Failure::Db(Error::Cancelled)) => Err(Failure::Api(stopped_by)),
        other => other,
    }
}

struct CancelOnDrop {
    flag: Arc<AtomicBool>,
    armed: bool,
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if self.armed {
            self.flag.store(true, Ordering::SeqCst);
        }
    }
}

fn joined<T>(result: Result<Result<T, Failure>, tokio::task::JoinError>) -> Result<T, Failure> {
    result.unwrap_or_else(|_| {
        Err(Failure::Api(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the statement failed unexpectedly inside the server (a bug); a write, if it was one, was not half done",
            Some("please report it with the statement".into()),
        )))
    })
}

/// The notes a statement made beside its answer ("no source is named
/// Reuters; Reuters is an outlet here"), as the shell prints them: the API
/// sends them in the `X-Claimdb-Notes` header, the web page above the
/// answer, never in the data.
#[derive(Default)]
pub struct Notebook(std::sync::Mutex<Vec<String>>);

impl Notebook {
    fn push(&self, note: String) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(note);
    }

    /// The notes so far, taken out.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// A context for a statement run by the server.
pub fn context<'a>(db: &Db, cancel: &'a AtomicBool) -> Context<'a> {
    Context { cancel, progress: &|_, _| {}, today: db.today(), skip_bad: false, ..Context::default() }
}

/// Runs a prepared request. Claims of a claims query go to `sink` when one
/// is given; the answer then holds none of them.
pub fn execute(
    state: &State,
    prepared: &Prepared,
    caller: &Caller,
    cancel: &AtomicBool,
    sink: Option<&mut dyn ClaimSink>,
    notes: &Notebook,
) -> Result<Answer, Failure> {
    execute_at(state, prepared, caller, cancel, sink, notes, 0)
}

fn execute_at(
    state: &State,
    prepared: &Prepared,
    caller: &Caller,
    cancel: &AtomicBool,
    sink: Option<&mut dyn ClaimSink>,
    notes: &Notebook,
    depth: usize,
) -> Result<Answer, Failure> {
    let db = state.db();
    let note = |n: crate::query::Note| notes.push(n.render(Some(&prepared.text)));
    let ctx = Context { notes: &note, ..context(db, cancel) };
    let real = || prepared.file.as_ref().map(|(_, real)| real.clone()).unwrap_or_default();
    let written = || prepared.file.as_ref().map(|(w, _)| w.display().to_string()).unwrap_or_default();
    let meta = match &prepared.classified.item {
        Item::Statement(_) => {
            let output = match sink {
                Some(sink) if prepared.classified.is_claims_query() => {
                    db.execute_streaming(&prepared.text, &ctx, sink)?
                }
                _ => db.execute_with(&prepared.text, &ctx)?,
            };
            return Ok(Answer::Output(output));
        }
        Item::Meta(meta) => meta,
    };
    Ok(match meta {
        Meta::Stats => Answer::Output(Output::Stats(db.stats()?)),
        Meta::Sources => Answer::Output(Output::Sources(db.sources()?)),
        Meta::Check => Answer::Output(Output::Check(db.check()?)),
        Meta::Backup(_) => {
            let n = crate::interchange::backup::backup(db, &real())?;
            Answer::Text(format!("backed up {} to {}", plural(n, "claim", "claims"), written()))
        }
        Meta::Restore(_) => Answer::Output(Output::Imported(crate::interchange::backup::restore(
            db,
            &real(),
            &crate::engine::Control { cancel, progress: &|_, _| {} },
        )?)),
        Meta::Read(_) => read_script(state, &real(), &written(), caller, cancel, notes, depth)?,
    })
}

/// `.read FILE`: every item of the script, each under the same rules as a
/// request of its own, stopping at the first failure (which names the
/// script's line and column).
fn read_script(
    state: &State,
    path: &std::path::Path,
    origin: &str,
    caller: &Caller,
    cancel: &AtomicBool,
    notes: &Notebook,
    depth: usize,
) -> Result<Answer, Failure> {
    if depth >= MAX_READ_DEPTH {
        return Err(Failure::Db(crate::errinput!(
            "{origin}: scripts read each other more than {MAX_READ_DEPTH} levels deep; does a script read itself?"
        )));
    }
    let bytes = crate::shell::runner::read_script(path).map_err(|m| Failure::Db(crate::errinput!("{m}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Failure::Db(crate::errinput!("{origin} is not valid UTF-8; nothing was run")))?;
    let mut answers = Vec::new();
    for item in crate::shell::script::split(&text) {
        let (line, col) = crate::shell::script::line_col(&text, item.offset);
        let at = |mut api: ApiError| {
            let (l, c) = (api.line.map_or(line, |l| line + l - 1), api.column.unwrap_or(col));
            api.message = format!("{origin}:{l}:{c}: {}", api.message);
            api.line = None;
            api.column = None;
            Failure::Api(api)
        };
        if item.open.is_some() {
            let err = crate::errinput!("a quote or parenthesis is never closed");
            return Err(at(ApiError::from_error(&err, "")));
        }
        let prepared = prepare(state, &item.text, caller).map_err(|f| at(f.into_api(&item.text)))?;
        match execute_at(state, &prepared, caller, cancel, None, notes, depth + 1) {
            Ok(answer) => answers.push(answer),
            Err(failure) => return Err(at(failure.into_api(&item.text))),
        }
    }
    Ok(Answer::Many(answers))
}
