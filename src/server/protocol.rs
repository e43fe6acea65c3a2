//! What the shell and the server say to each other over the Unix socket:
//! a statement with the caller's output settings and working directory,
//! and back exactly what a direct run would have printed and the error, if
//! any, in a form that renders exactly as the shell renders it.

use crate::{Error, Span};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The file in the database directory that records where a running
/// server answers.
pub const ADDRESS_FILE: &str = "server.json";

/// The Unix socket in the database directory.
pub const SOCKET_FILE: &str = "server.sock";

/// What `server.json` holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// The server's process id.
    pub pid: u32,
    /// Its HTTP address, e.g. `127.0.0.1:7700`.
    pub http: String,
    /// The path of its Unix socket, when it listens on one.
    pub socket: Option<PathBuf>,
}

/// One statement or meta command for the server to run as the shell
/// would (`POST /v1/shell`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShellRequest {
    /// The statement, or a meta command that reaches the database
    /// (`.stats`, `.sources`, `.check`, `.backup F`, `.restore F`).
    pub text: String,
    /// `table`, `json`, `jsonl` or `csv`.
    pub format: String,
    /// The width tables are fitted to.
    pub width: usize,
    /// The caller's working directory, which relative file names mean.
    pub cwd: PathBuf,
}

/// The server's answer to a [`ShellRequest`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShellReply {
    /// What the shell prints on standard output.
    pub stdout: String,
    /// The failure, if the statement failed (after printing `stdout`, as
    /// `.check` does when it finds problems).
    pub error: Option<RemoteError>,
    /// Whether the statement may have changed the database's names (the
    /// REPL then fetches its completions again).
    pub wrote: bool,
}

/// An error as it travels: an input error with its span and help (which
/// the shell renders with a caret), or any other error as its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteError {
    /// The message.
    pub message: String,
    /// Whether it is an input error (rendered with a caret).
    pub input: bool,
    /// The byte range of the statement it points at.
    pub span: Option<(usize, usize)>,
    /// The suggestion.
    pub help: Option<String>,
}

impl From<&Error> for RemoteError {
    fn from(err: &Error) -> RemoteError {
        match err {
            Error::Input { message, span, help } => RemoteError {
                message: message.clone(),
                input: true,
                span: span.map(|s| (s.start, s.end)),
                help: help.clone(),
            },
            other => RemoteError { message: other.to_string(), input: false, span: None, help: None },
        }
    }
}

impl From<RemoteError> for Error {
    fn from(remote: RemoteError) -> Error {
        if remote.input {
            Error::Input {
                message: remote.message,
                span: remote.span.map(|(start, end)| Span::new(start, end)),
                help: remote.help,
            }
        } else {
            Error::Remote(remote.message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_render_the_same_after_the_trip() {
        let text = "claims with status disputd";
        let errors = [
            crate::errinput!(Span::new(19, 26); "unknown status 'disputd'").with_help("did you mean 'disputed'?"),
            crate::errinput!("no claim #9"),
            Error::Cancelled,
            Error::Corrupt("claim #3 is damaged".into()),
        ];
        for err in errors {
            let json = serde_json::to_string(&RemoteError::from(&err)).unwrap();
            let back: Error = serde_json::from_str::<RemoteError>(&json).unwrap().into();
            assert_eq!(back.render("f.cq", text, 3), err.render("f.cq", text, 3));
            assert_eq!(back.to_string(), err.to_string());
        }
    }
}
