//! Errors as the API answers them: a status code and
//! `{"error": {"message", "line", "column", "help"}}`. Line and column are
//! those [`Error::render`] shows under the caret, so the API, the web page
//! and the shell point at the same spot.

use crate::Error;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong.
    pub message: String,
    /// The 1-based line of the statement where it went wrong.
    pub line: Option<usize>,
    /// The 1-based column.
    pub column: Option<usize>,
    /// What to do about it.
    pub help: Option<String>,
    /// The error as the shell prints it (with the caret), for the web page.
    pub rendered: String,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Fields<'a>,
}

#[derive(Serialize)]
struct Fields<'a> {
    message: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<&'a str>,
}

impl ApiError {
    /// An error with a status and message, without position.
    pub fn new(status: StatusCode, message: impl Into<String>, help: Option<String>) -> ApiError {
        let message = message.into();
        let rendered = match &help {
            Some(h) => format!("error: {message}\n  = help: {h}"),
            None => format!("error: {message}"),
        };
        ApiError { status, message, line: None, column: None, help, rendered }
    }

    /// 401: a token is needed and none was given.
    pub fn unauthorized(why: &str) -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            why,
            Some("send the header Authorization: Bearer TOKEN (the web page: sign in at /login)".into()),
        )
    }

    /// 403 with a suggestion.
    pub fn forbidden(message: &str, help: &str) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, message, Some(help.into()))
    }

    /// 404 for a path the server does not have.
    pub fn no_route(path: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("there is nothing at {path}"),
            Some("the API is under /v1: query, claims/{id}, health, stats, vocabulary".into()),
        )
    }

    /// 413 for a body over the limit.
    pub fn too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than this server's limit of {limit} bytes"),
            Some("send a shorter statement, or import large data from a file".into()),
        )
    }

    /// 503 while the server shuts down.
    pub fn shutting_down() -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is shutting down",
            Some("try again when it is back".into()),
        )
    }

    /// 503 for a statement stopped at the time limit.
    pub fn timed_out(limit: std::time::Duration) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the statement ran longer than this server's limit of {} s and was stopped", limit.as_secs_f64()),
            Some("narrow the question or add a limit, e.g. … limit 100".into()),
        )
    }

    /// The answer for an error of the database about `text`, the statement.
    pub fn from_error(err: &Error, text: &str) -> ApiError {
        let status = match err {
            Error::Input { .. } | Error::Import { .. } => StatusCode::BAD_REQUEST,
            Error::Cancelled => StatusCode::SERVICE_UNAVAILABLE,
            Error::Io { kind: std::io::ErrorKind::NotFound, .. } => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let rendered = err.render("", text, 1);
        let (message, help) = match err {
            Error::Input { message, help, .. } => (message.clone(), help.clone()),
            other => (other.to_string(), None),
        };
        let (line, column) = position(&rendered);
        ApiError { status, message, line, column, help, rendered }
    }

    /// The same error with another status.
    pub fn with_status(mut self, status: StatusCode) -> ApiError {
        self.status = status;
        self
    }

    /// The JSON body.
    pub fn body(&self) -> String {
        let body = Body {
            error: Fields { message: &self.message, line: self.line, column: self.column, help: self.help.as_deref() },
        };
        // Plain strings and numbers always serialise.
        serde_json::to_string(&body).unwrap_or_default()
    }
}

/// The line and column that [`Error::render`] printed (`error at line L,
/// column C: …`), so that the rule for counting them lives in one place.
fn position(rendered: &str) -> (Option<usize>, Option<usize>) {
    let Some(rest) = rendered.strip_prefix("error at line ") else { return (None, None) };
    let Some((line, rest)) = rest.split_once(", column ") else { return (None, None) };
    let Some((column, _)) = rest.split_once(':') else { return (None, None) };
    (line.parse().ok(), column.parse().ok())
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body()).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"claimdb\""));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{errinput, Span};

    #[test]
    fn input_errors_carry_the_rendered_position() {
        let text = "claims\n  with status disputd";
        let err = errinput!(Span::new(21, 28); "unknown status 'disputd'").with_help("did you mean 'disputed'?");
        let api = ApiError::from_error(&err, text);
        assert_eq!(api.status, StatusCode::BAD_REQUEST);
        assert_eq!((api.line, api.column), (Some(2), Some(15)));
        assert_eq!(
            api.body(),
            r#"{"error":{"message":"unknown status 'disputd'","line":2,"column":15,"help":"did you mean 'disputed'?"}}"#
        );
        assert!(api.rendered.contains("^^^^^^^"));
    }

    #[test]
    fn other_errors_have_no_position() {
        let api = ApiError::from_error(&Error::Cancelled, "claims");
        assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(api.body(), r#"{"error":{"message":"cancelled","line":null,"column":null,"help":null}}"#);
    }
}
