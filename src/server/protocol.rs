//! What the shell and the server say to each other over the Unix socket:
//! a statement with the caller's output settings and working directory,
//! and back, as [`Frame`]s while the statement runs, exactly what a direct
//! run would have printed, then the error, if any, in a form that renders
//! exactly as the shell renders it.

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

/// The content type of a `/v1/shell` answer: a sequence of [`Frame`]s.
pub const SHELL_FRAMES: &str = "application/x-claimdb-shell";

/// How a `/v1/shell` answer ends, after all of its output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShellEnd {
    /// The failure, if the statement failed (after its output, if any, as
    /// `.check` fails after printing its report, and a query that fails
    /// part-way after the claims it printed).
    pub error: Option<RemoteError>,
    /// Whether the statement may have changed the database's names (the
    /// REPL then fetches its completions again).
    pub wrote: bool,
    /// The statement's notes beside its answer, as the shell prints them
    /// on standard error (`note: no source is named …`).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// One piece of a `/v1/shell` answer. The output comes as the statement
/// prints it (the claims of a query as they are found), then one end
/// frame; an answer cut off before its end frame is incomplete, which the
/// client can tell from a complete one.
///
/// On the wire a frame is a header line, `out LEN` or `end LEN`, then LEN
/// bytes: the output's bytes as they are, or the [`ShellEnd`] as JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    /// Bytes of standard output.
    Output(Vec<u8>),
    /// The end of the answer.
    End(ShellEnd),
}

/// The largest frame a client accepts; the server sends output in pieces
/// of about 64 KiB.
pub const MAX_FRAME: usize = 64 << 20;

/// The longest frame header (`out 67108864\n`).
const MAX_HEADER: usize = 24;

impl Frame {
    /// The frame's bytes on the wire.
    pub fn encode(&self) -> Vec<u8> {
        let (tag, payload) = match self {
            Frame::Output(bytes) => ("out", std::borrow::Cow::Borrowed(bytes.as_slice())),
            // Strings, numbers and booleans always serialise.
            Frame::End(end) => ("end", std::borrow::Cow::Owned(serde_json::to_vec(end).unwrap_or_default())),
        };
        let mut out = format!("{tag} {}\n", payload.len()).into_bytes();
        out.extend_from_slice(&payload);
        out
    }
}

/// Cuts the bytes of an answer, as they arrive, into [`Frame`]s.
#[derive(Debug, Default)]
pub struct FrameReader {
    buf: Vec<u8>,
}

impl FrameReader {
    /// Adds bytes that arrived.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next whole frame, `Ok(None)` when more bytes are needed, or
    /// what is wrong with the bytes (they are not a claimdb server's).
    pub fn next_frame(&mut self) -> Result<Option<Frame>, String> {
        let Some(newline) = self.buf.iter().take(MAX_HEADER).position(|&b| b == b'\n') else {
            return match self.buf.len() >= MAX_HEADER {
                true => {
                    Err(format!("a frame header is too long: {:?}", String::from_utf8_lossy(&self.buf[..MAX_HEADER])))
                }
                false => Ok(None),
            };
        };
        let header = std::str::from_utf8(&self.buf[..newline]).map_err(|_| "a frame header is not text".to_string())?;
        let (tag, len) =
            header.split_once(' ').ok_or_else(|| format!("a frame header is not 'out N' or 'end N': {header:?}"))?;
        let len: usize = len.parse().map_err(|_| format!("a frame length is not a number: {header:?}"))?;
        let output = match tag {
            "out" => true,
            "end" => false,
            other => return Err(format!("unknown frame '{other}'")),
        };
        if len > MAX_FRAME {
            return Err(format!("a frame of {len} bytes is larger than {MAX_FRAME}"));
        }
        let start = newline + 1;
        if self.buf.len() < start + len {
            return Ok(None);
        }
        let payload: Vec<u8> = self.buf[start..start + len].to_vec();
        self.buf.drain(..start + len);
        if output {
            return Ok(Some(Frame::Output(payload)));
        }
        serde_json::from_slice(&payload)
            .map(|end| Some(Frame::End(end)))
            .map_err(|e| format!("the end of the answer is not readable: {e}"))
    }

    /// Whether bytes of an unfinished frame are waiting.
    pub fn has_partial(&self) -> bool {
        !self.buf.is_empty()
    }
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

    #[test]
    fn frames_are_read_back_whatever_way_the_bytes_arrive() {
        let end = ShellEnd {
            error: Some(RemoteError { message: "no claim #9".into(), input: true, span: Some((6, 7)), help: None }),
            wrote: true,
            notes: vec!["note: no source is named \"x\"".into()],
        };
        let frames = vec![
            Frame::Output(b"id  date\n\n".to_vec()),
            Frame::Output(Vec::new()),
            Frame::Output("out 3\n\u{e9}\u{0}".as_bytes().to_vec()),
            Frame::End(end),
        ];
        let wire: Vec<u8> = frames.iter().flat_map(Frame::encode).collect();
        for piece in [1, 2, 7, wire.len()] {
            let mut reader = FrameReader::default();
            let mut back = Vec::new();
            for chunk in wire.chunks(piece) {
                reader.push(chunk);
                while let Some(frame) = reader.next_frame().unwrap() {
                    back.push(frame);
                }
            }
            assert_eq!(back, frames, "in pieces of {piece}");
            assert!(!reader.has_partial());
        }
        let mut cut = FrameReader::default();
        cut.push(&wire[..wire.len() - 1]);
        while cut.next_frame().unwrap().is_some() {}
        assert!(cut.has_partial(), "an answer cut short is seen to be");
    }

    #[test]
    fn bytes_that_are_not_frames_are_refused_without_waiting_forever() {
        for bad in [&b"HTTP/1.1 200 OK\r\n"[..], b"out x\n", b"zap 1\nx", b"out 99999999999\n", &[b'o'; 40]] {
            let mut reader = FrameReader::default();
            reader.push(bad);
            assert!(reader.next_frame().is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
