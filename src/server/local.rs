//! `POST /v1/shell`, served only on the Unix socket: runs one statement or
//! database meta command for a local `claimdb` and answers what it would
//! have printed itself, in its format and table width, with file names
//! resolved against its working directory.
//!
//! The answer streams ([`Frame`]s): the claims of a query go out as the
//! executor finds them, through the shell's own [`ClaimStream`], so a
//! million claims never sit in the server's memory and `claimdb … | head`
//! stops the query; the end frame carries the error, if any. A client that
//! goes away stops a read (as [`guarded`] does for every request); a write
//! runs to its end whatever the client does.

use super::error::ApiError;
use super::exec::{execute, guarded, prepare, Answer, Caller, Failure, Notebook, Prepared};
use super::protocol::{Frame, RemoteError, ShellEnd, ShellRequest, SHELL_FRAMES};
use super::state::State;
use super::stream::{print, ChunkWriter};
use crate::query::Output;
use crate::shell::format::stream::ClaimStream;
use crate::shell::format::Format;
use crate::{errinput, Error, Span};
use axum::body::{Body, Bytes};
use axum::extract::State as Shared;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::io::Write;
use tokio::sync::mpsc;
use tokio_stream::StreamExt;

/// `POST /v1/shell`.
pub async fn shell(Shared(state): Shared<State>, body: Bytes) -> Response {
    let request: ShellRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return ApiError::new(StatusCode::BAD_REQUEST, format!("not a shell request: {e}"), None).into_response()
        }
    };
    let Some(format) = Format::parse(&request.format) else {
        return ApiError::new(StatusCode::BAD_REQUEST, format!("unknown format '{}'", request.format), None)
            .into_response();
    };
    if !request.cwd.is_absolute() {
        return ApiError::new(StatusCode::BAD_REQUEST, "the working directory must be absolute", None).into_response();
    }
    let (tx, mut rx) = mpsc::channel::<Result<Bytes, std::convert::Infallible>>(4);
    tokio::spawn(answer(state, request, format, tx));
    // The head goes out with the first frames: a short answer (most are)
    // then reaches the client in one piece. (Dropped while waiting, when
    // the client goes away, this closes `rx`, which stops the statement.)
    let Some(first) = rx.recv().await else {
        return ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the statement's task failed", None).into_response();
    };
    let rest = tokio_stream::wrappers::ReceiverStream::new(rx);
    let mut response = Response::new(Body::from_stream(tokio_stream::once(first).chain(rest)));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(SHELL_FRAMES));
    response
}

/// The frames of the answer, sent to `body` until the end frame or until
/// the client goes away (then `body` is closed, and this stops: the
/// statement's task is aborted, which stops a read).
async fn answer(
    state: State,
    request: ShellRequest,
    format: Format,
    body: mpsc::Sender<Result<Bytes, std::convert::Infallible>>,
) {
    let send = |bytes: Vec<u8>| {
        let body = body.clone();
        async move { body.send(Ok(Bytes::from(bytes))).await.is_ok() }
    };
    let caller = Caller::Local(request.cwd.clone());
    let prepared = match prepare(&state, &request.text, &caller) {
        Ok(p) => p,
        Err(failure) => {
            let end =
                ShellEnd { error: Some(failure_error(failure, None, &request.text)), wrote: false, notes: Vec::new() };
            send(Frame::End(end).encode()).await;
            return;
        }
    };
    let wrote = prepared.classified.writes;
    let width = request.width.clamp(1, 10_000);
    let (tx, mut rx) = mpsc::channel::<Vec<u8>>(4);
    let inner = state.clone();
    let prepared = std::sync::Arc::new(prepared);
    let running = prepared.clone();
    let notes = std::sync::Arc::new(Notebook::default());
    let noted = notes.clone();
    let mut task = Worker(tokio::spawn(async move {
        guarded(&state, wrote, move |cancel| {
            let mut out = ChunkWriter::new(tx);
            let result = run(&inner, &running, &caller, cancel, format, width, &mut out, &noted);
            // What the statement printed before it failed goes out too, as
            // a direct run leaves it on the terminal.
            out.send_rest();
            result
        })
        .await
    }));
    let result = loop {
        tokio::select! {
            chunk = rx.recv() => match chunk {
                Some(chunk) => {
                    if !send(Frame::Output(chunk).encode()).await {
                        return; // The client went away: `task` is aborted.
                    }
                }
                None => break (&mut task.0).await,
            },
            result = &mut task.0 => break result,
        }
    };
    // The last output (all of a short answer) and the end go out together.
    let mut last = Vec::new();
    while let Ok(chunk) = rx.try_recv() {
        last.extend(Frame::Output(chunk).encode());
    }
    let error = match result {
        Ok(Ok(0)) => None,
        // The shell fails `.check` when it finds problems, after printing
        // the report (see shell::meta).
        Ok(Ok(problems)) => Some(RemoteError::from(&errinput!("the integrity check found {problems} problem(s)"))),
        Ok(Err(failure)) => Some(failure_error(failure, Some(&prepared), &request.text)),
        Err(_) => Some(RemoteError::from(&Error::Remote(
            "the statement failed unexpectedly inside the server (a bug); a write, if it was one, was not half done"
                .into(),
        ))),
    };
    // Notes are the shell's for an answer, not for a failure (as a direct
    // run prints them only after its output).
    // Their suggestions quote the statement: with the file name as the
    // client wrote it.
    let notes = match error {
        None => notes.take().iter().map(|n| as_written(n, &prepared)).collect(),
        Some(_) => Vec::new(),
    };
    last.extend(Frame::End(ShellEnd { error, wrote, notes }).encode());
    send(last).await;
}

/// Runs the statement, printing its answer to `out`; returns the number
/// of problems `.check` found; the statement's notes go to `notes`.
#[allow(clippy::too_many_arguments)]
fn run(
    state: &State,
    prepared: &Prepared,
    caller: &Caller,
    cancel: &std::sync::atomic::AtomicBool,
    format: Format,
    width: usize,
    out: &mut ChunkWriter,
    notes: &Notebook,
) -> Result<usize, Failure> {
    if prepared.classified.is_claims_query() {
        let mut stream = ClaimStream::new(&mut *out, format, width);
        let answer = execute(state, prepared, caller, cancel, Some(&mut stream), notes)?;
        let matched = match answer {
            Answer::Output(Output::Claims(list)) => list.matched,
            _ => None,
        };
        stream.finish(matched)?;
        return Ok(0);
    }
    let answer = execute(state, prepared, caller, cancel, None, notes)?;
    let mut printed = Vec::new();
    print(&answer, format, width, true, &mut printed)?;
    let printed = as_written(&String::from_utf8_lossy(&printed), prepared);
    out.write_all(printed.as_bytes()).map_err(|e| Failure::Db(Error::io_context(&e, "cannot send the answer")))?;
    Ok(match &answer {
        Answer::Output(Output::Check(report)) => report.problems.len(),
        _ => 0,
    })
}

/// The task that runs a statement; aborted when dropped before it is done
/// (the client went away), which stops a read (see [`guarded`]).
struct Worker(tokio::task::JoinHandle<Result<usize, Failure>>);

impl Drop for Worker {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The error of a failed statement as the shell would have reported it
/// had it run the statement itself. `prepared` is the statement as it ran,
/// when it got that far; `text` is the statement as the client sent it.
fn failure_error(failure: Failure, prepared: Option<&Prepared>, text: &str) -> RemoteError {
    let err = match failure {
        Failure::Db(err) => err,
        // A refusal or a stop by the server, as an input error about the
        // whole statement (the shell points at its first word).
        Failure::Api(api) => Error::Input { message: api.message, span: None, help: api.help },
    };
    let mut remote = RemoteError::from(&err);
    if let Some(prepared) = prepared {
        remote.message = as_written(&remote.message, prepared);
        remote.help = remote.help.map(|h| as_written(&h, prepared));
        remote.span = remote.span.map(|(start, end)| span_in_sent(Span::new(start, end), &prepared.text, text));
    }
    remote
}

/// `text` (a message, or what a statement about a file printed) with the
/// resolved path of the statement's file put back as the client wrote it:
/// a direct run names the file as written (`imported 4 claims from
/// more.jsonl`), while the server ran it on the path it resolved against
/// the client's working directory.
fn as_written(text: &str, prepared: &Prepared) -> String {
    let Some((written, real)) = &prepared.file else { return text.to_string() };
    if written == real {
        return text.to_string();
    }
    text.replace(&real.display().to_string(), &written.display().to_string())
}

/// A span of `ran` (the statement as it ran, its file name replaced by the
/// resolved path) as a span of `sent` (the statement as the client sent
/// it): spans before the replaced part stay, spans after it move back by
/// the difference in length, and spans inside it cover the file name.
fn span_in_sent(span: Span, ran: &str, sent: &str) -> (usize, usize) {
    if ran == sent {
        return (span.start, span.end);
    }
    let prefix = ran.bytes().zip(sent.bytes()).take_while(|(a, b)| a == b).count();
    let suffix = ran.bytes().rev().zip(sent.bytes().rev()).take_while(|(a, b)| a == b).count();
    let suffix = suffix.min(ran.len().min(sent.len()) - prefix);
    let map = |at: usize| {
        if at <= prefix {
            at
        } else if at >= ran.len() - suffix {
            at - (ran.len() - suffix) + (sent.len() - suffix)
        } else {
            // Inside the replaced part: its start, or its end.
            if at - prefix < (ran.len() - suffix - prefix) / 2 {
                prefix
            } else {
                sent.len() - suffix
            }
        }
    };
    let (start, end) = (map(span.start.min(ran.len())), map(span.end.min(ran.len())));
    (start, end.max(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_a_rewritten_statement_point_into_the_one_sent() {
        let sent = "import \"a.csv\" map text = nope";
        let ran = "import \"/work/dir/a.csv\" map text = nope";
        let nope = ran.find("nope").unwrap();
        assert_eq!(span_in_sent(Span::new(nope, nope + 4), ran, sent), (26, 30));
        assert_eq!(&sent[26..30], "nope");
        assert_eq!(span_in_sent(Span::new(0, 6), ran, sent), (0, 6));
        let file = ran.find('"').unwrap();
        let literal = "\"/work/dir/a.csv\"".len();
        let (start, end) = span_in_sent(Span::new(file, file + literal), ran, sent);
        assert_eq!(&sent[start..end], "\"a.csv\"");
        assert_eq!(span_in_sent(Span::new(3, 5), sent, sent), (3, 5));
    }
}
