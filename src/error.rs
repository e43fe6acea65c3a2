//! The one error type of claimdb.
//!
//! Every failure a user can meet is a variant here, so the REPL, scripts and
//! embedding programs all get the same messages. Errors about statement text
//! carry a [`Span`] so that [`Error::render`] can print the line, a caret under
//! the spot and a suggestion, the way a compiler would.

use std::fmt;
use std::path::PathBuf;

/// A byte range in a statement's text, used to point at the offending part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
}

impl Span {
    /// A span covering `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// A problem with one record of an imported file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RecordError {
    /// The 1-based line (JSONL, CSV) or record number where the problem is.
    pub line: u64,
    /// The field or column at fault, when one can be named.
    pub field: Option<String>,
    /// What is wrong and, where possible, what would be right.
    pub message: String,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "line {}: {}: {}", self.line, field, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// Everything that can go wrong in claimdb.
///
/// Embedding programs can match on the variant to decide what to do (show
/// an input error with its caret, retry after [`Error::Locked`], restore
/// after [`Error::Corrupt`]); the enum is `#[non_exhaustive]` so that a
/// later version may add variants without breaking them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The statement or value given by the user is wrong: a syntax error, an
    /// unknown status, an impossible date, a claim that does not exist.
    Input {
        /// What is wrong, e.g. `expected a date like 2024-11-01`.
        message: String,
        /// Where in the statement text, when it is known.
        span: Option<Span>,
        /// A suggestion, e.g. `did you mean 'disputed'?`.
        help: Option<String>,
    },
    /// An import found bad records; nothing was written (unless skipping bad
    /// records was asked for, in which case this is not returned).
    Import {
        /// The name of the file or stream being imported.
        origin: String,
        /// Every bad record found, in file order.
        records: Vec<RecordError>,
    },
    /// Another process holds the database open.
    Locked(PathBuf),
    /// The database was written by a newer claimdb with a format this one
    /// does not know.
    NewerFormat {
        /// The database path.
        path: PathBuf,
        /// The format version stored in the database.
        found: u32,
        /// The newest format this build understands.
        supported: u32,
    },
    /// Stored bytes that do not decode: the database is damaged.
    Corrupt(String),
    /// A file could not be read or written.
    Io {
        /// What the operating system reported (`NotFound`, `StorageFull`,
        /// …), so that a program can react to it; `Other` when the failure
        /// did not come from the operating system.
        kind: std::io::ErrorKind,
        /// What happened, in the user's terms, naming the file.
        message: String,
    },
    /// The storage engine failed.
    Storage(String),
    /// The user interrupted a running statement (Ctrl-C).
    Cancelled,
    /// An error that a claimdb server reported for a statement sent to it,
    /// as the server described it.
    Remote(String),
    /// The path names a directory that is not a claimdb database (it holds
    /// other files and no claimdb marker); nothing was written in it.
    NotADatabase {
        /// The directory.
        path: PathBuf,
        /// A few of the names found in it.
        found: Vec<String>,
    },
    /// The database's files hold fewer writes than its marker witnessed as
    /// acknowledged (damage to the storage engine's log, or files replaced
    /// by older copies): opening it would lose them silently and give their
    /// ids out again, so it is refused.
    LostWrites {
        /// The database path.
        path: PathBuf,
        /// How many acknowledged writes are missing.
        missing: u64,
        /// The claim ids the witness says were given out (the next id).
        next_claim: u64,
        /// The next claim id the files hold.
        found_next_claim: u64,
    },
    /// The claimdb server the shell was sending statements to cannot be
    /// reached any more (it stopped, or was killed): the message says what
    /// became of the statement under way and what to do.
    ServerLost(String),
}

/// The result type used throughout claimdb.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Builds an [`Error::Input`] from a format string, optionally with a span:
/// `errinput!("no claim #{id}")` or `errinput!(span; "no claim #{id}")`.
#[macro_export]
macro_rules! errinput {
    ($span:expr; $($args:tt)*) => {
        $crate::Error::Input { message: format!($($args)*), span: Some($span), help: None }
    };
    ($($args:tt)*) => {
        $crate::Error::Input { message: format!($($args)*), span: None, help: None }
    };
}

/// Builds an [`Error::Io`] of kind `Other` from a format string:
/// `errio!("{} is a directory", path.display())`.
#[macro_export]
macro_rules! errio {
    ($($args:tt)*) => { $crate::Error::io(std::io::ErrorKind::Other, format!($($args)*)) };
}

/// Builds an [`Error::Corrupt`] from a format string.
#[macro_export]
macro_rules! errcorrupt {
    ($($args:tt)*) => { $crate::Error::Corrupt(format!($($args)*)) };
}

impl Error {
    /// An I/O error of `kind` with a message for people.
    pub fn io(kind: std::io::ErrorKind, message: impl Into<String>) -> Error {
        Error::Io { kind, message: message.into() }
    }

    /// An I/O error from the operating system's `err`, with `context`
    /// (`cannot write out.csv`) in front of a plain-words reason.
    pub fn io_context(err: &std::io::Error, context: impl fmt::Display) -> Error {
        Error::Io { kind: err.kind(), message: format!("{context}: {}", io_reason(err)) }
    }

    /// The operating system's kind of failure, for I/O errors.
    pub fn io_kind(&self) -> Option<std::io::ErrorKind> {
        match self {
            Error::Io { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// Attaches a suggestion to an input error (other errors are unchanged).
    pub fn with_help(mut self, text: impl Into<String>) -> Error {
        if let Error::Input { help, .. } = &mut self {
            *help = Some(text.into());
        }
        self
    }

    /// Attaches a span to an input error that has none yet.
    pub fn with_span(mut self, at: Span) -> Error {
        if let Error::Input { span, .. } = &mut self {
            if span.is_none() {
                *span = Some(at);
            }
        }
        self
    }

    /// Moves the span of an input error by `offset` bytes, for statements
    /// that were parsed out of a larger text.
    pub fn shifted(mut self, offset: usize) -> Error {
        if let Error::Input { span: Some(span), .. } = &mut self {
            span.start += offset;
            span.end += offset;
        }
        self
    }

    /// Renders the error for a person: `origin:LINE:COL: error: message`, the
    /// offending line of `text` with a caret under the spot, and any help.
    /// `origin` names the file or is empty for typed input; `text` is the text
    /// the span refers to, whose first line is line `first_line` of `origin`.
    pub fn render(&self, origin: &str, text: &str, first_line: usize) -> String {
        let Error::Input { message, span: Some(span), help } = self else {
            let mut out = String::new();
            if !origin.is_empty() {
                out.push_str(origin);
                out.push_str(": ");
            }
            out.push_str("error: ");
            out.push_str(&self.to_string());
            return out;
        };
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line_no = first_line + text[..line_start].matches('\n').count();
        let col = text[line_start..start].chars().count() + 1;
        let line = &text[line_start..line_end];
        let end = span.end.clamp(start, line_end);
        let width = text[start..floor_char_boundary(text, end)].chars().count().max(1);
        let mut out = String::new();
        if origin.is_empty() {
            out.push_str(&format!("error at line {line_no}, column {col}: {message}\n"));
        } else {
            out.push_str(&format!("{origin}:{line_no}:{col}: error: {message}\n"));
        }
        let gutter = line_no.to_string().len();
        out.push_str(&format!("{:gutter$} |\n", ""));
        out.push_str(&format!("{line_no} | {}\n", line.replace('\t', " ")));
        let pad = " ".repeat(col - 1);
        out.push_str(&format!("{:gutter$} | {pad}{}", "", "^".repeat(width)));
        if let Some(help) = help {
            out.push_str(&format!("\n{:gutter$} = help: {help}", ""));
        }
        out
    }
}

/// The largest char boundary of `text` at or before `index`.
fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input { message, help, .. } => {
                write!(f, "{message}")?;
                if let Some(help) = help {
                    write!(f, " ({help})")?;
                }
                Ok(())
            }
            Error::Import { origin, records } => {
                let n = records.len();
                let noun = if n == 1 { "record" } else { "records" };
                write!(f, "import of {origin} failed: {n} bad {noun}; nothing was imported")?;
                for record in records.iter().take(MAX_LISTED_RECORD_ERRORS) {
                    write!(f, "\n  {origin}:{record}")?;
                }
                if n > MAX_LISTED_RECORD_ERRORS {
                    write!(f, "\n  ... and {} more", n - MAX_LISTED_RECORD_ERRORS)?;
                }
                Ok(())
            }
            Error::Locked(path) => write!(
                f,
                "database {} is in use by another process; close the other claimdb first",
                path.display()
            ),
            Error::NewerFormat { path, found, supported } => write!(
                f,
                "database {} has format version {found}, but this claimdb understands versions up to {supported}; upgrade claimdb to open it",
                path.display()
            ),
            Error::Corrupt(message) => write!(f, "the database is damaged: {message}"),
            Error::Io { message, .. } => write!(f, "{message}"),
            Error::Storage(message) => write!(f, "storage error: {message}"),
            Error::Cancelled => write!(f, "cancelled"),
            Error::Remote(message) => write!(f, "{message}"),
            Error::NotADatabase { path, found } => {
                write!(
                    f,
                    "{} is not a claimdb database: it is a directory holding other files ({}) and no claimdb \
                     marker, so claimdb will not write in it; name a new directory (it is created) or an empty one",
                    path.display(),
                    found.join(", ")
                )
            }
            Error::LostWrites { path, missing, next_claim, found_next_claim } => {
                let writes = if *missing == 1 { "write is" } else { "writes are" };
                write!(f, "database {} has lost acknowledged writes: {missing} acknowledged {writes} missing", path.display())?;
                if found_next_claim < next_claim {
                    if *found_next_claim <= 1 {
                        write!(f, " (claims up to #{} were given ids; the files hold none of them)", next_claim - 1)?;
                    } else {
                        write!(
                            f,
                            " (claims up to #{} were given ids; the files stop at #{})",
                            next_claim - 1,
                            found_next_claim - 1
                        )?;
                    }
                }
                write!(
                    f,
                    "; its files were damaged or replaced, so claimdb will not open it (that would give the lost \
                     ids out again). Restore your latest backup into a new database: \
                     claimdb NEW.db -c '.restore BACKUP.jsonl'. To save what is left first, open it once with \
                     CLAIMDB_ACCEPT_LOST_WRITES=1 and run .backup FILE"
                )
            }
            Error::ServerLost(message) => write!(f, "{message}"),
        }
    }
}

/// How many bad records an import error lists before summarising the rest.
pub const MAX_LISTED_RECORD_ERRORS: usize = 50;

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Error {
        Error::Io { kind: err.kind(), message: io_reason(&err) }
    }
}

/// The reason for an I/O failure in plain words: the common kinds
/// explained with what to do, others as the operating system says them
/// (without Rust's debug text or the `(os error N)` suffix).
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file or directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::StorageFull => "the disk is full; free some space and try again".into(),
        ErrorKind::ReadOnlyFilesystem => "the file system is read-only".into(),
        ErrorKind::IsADirectory => "it is a directory".into(),
        ErrorKind::AlreadyExists => "it already exists".into(),
        _ => {
            let text = err.to_string();
            match text.rfind(" (os error ") {
                Some(i) if text.ends_with(')') => text[..i].to_string(),
                _ => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_caret_under_the_span() {
        let err = errinput!(Span::new(14, 21); "unknown status 'disputd'").with_help("did you mean 'disputed'?");
        let text = "claims\nstatus disputd";
        let out = err.render("q.cq", text, 3);
        assert_eq!(
            out,
            "q.cq:4:8: error: unknown status 'disputd'\n  |\n4 | status disputd\n  |        ^^^^^^^\n  = help: did you mean 'disputed'?"
        );
    }

    #[test]
    fn renders_non_input_errors_plainly() {
        assert_eq!(Error::Cancelled.render("", "x", 1), "error: cancelled");
    }

    #[test]
    fn render_survives_spans_outside_the_text() {
        let err = errinput!(Span::new(100, 200); "x");
        assert!(err.render("", "é", 1).contains("^"));
    }
}
