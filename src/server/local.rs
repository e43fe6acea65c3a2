//! `POST /v1/shell`, served only on the Unix socket: runs one statement or
//! database meta command for a local `claimdb` and answers what it would
//! have printed itself, in its format and table width, with file names
//! resolved against its working directory.

use super::error::ApiError;
use super::exec::{execute, guarded, prepare, Answer, Caller, Failure};
use super::protocol::{RemoteError, ShellReply, ShellRequest};
use super::state::State;
use super::stream::print;
use crate::query::Output;
use crate::shell::format::Format;
use crate::{errinput, Error};
use axum::body::Bytes;
use axum::extract::State as Shared;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

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
    let reply = run(&state, request, format).await;
    super::api::json_response(&reply)
}

async fn run(state: &State, request: ShellRequest, format: Format) -> ShellReply {
    let failed = |err: Error| ShellReply { stdout: String::new(), error: Some(RemoteError::from(&err)), wrote: false };
    let caller = Caller::Local(request.cwd.clone());
    let prepared = match prepare(state, &request.text, &caller) {
        Ok(p) => p,
        Err(Failure::Db(err)) => return failed(err),
        Err(Failure::Api(api)) => return failed(refusal(&api)),
    };
    let wrote = prepared.classified.writes;
    let width = request.width.clamp(1, 10_000);
    let inner = state.clone();
    let result = guarded(state, wrote, move |cancel| {
        let answer = execute(&inner, &prepared, &caller, cancel, None)?;
        let mut out = Vec::new();
        print(&answer, format, width, true, &mut out).map_err(Failure::Db)?;
        // The shell fails `.check` when it finds problems, after printing
        // the report (see shell::meta).
        let problems = match &answer {
            Answer::Output(Output::Check(report)) => report.problems.len(),
            _ => 0,
        };
        Ok((out, problems))
    })
    .await;
    match result {
        Ok((out, problems)) => ShellReply {
            stdout: String::from_utf8_lossy(&out).into_owned(),
            error: (problems > 0)
                .then(|| RemoteError::from(&errinput!("the integrity check found {problems} problem(s)"))),
            wrote,
        },
        Err(Failure::Db(err)) => ShellReply { wrote, ..failed(err) },
        Err(Failure::Api(api)) => ShellReply { wrote, ..failed(refusal(&api)) },
    }
}

/// A refusal or a stop by the server, as an input error about the whole
/// statement (the shell points at its first word).
fn refusal(api: &ApiError) -> Error {
    Error::Input { message: api.message.clone(), span: None, help: api.help.clone() }
}
