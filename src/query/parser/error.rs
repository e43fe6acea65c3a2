//! Parse errors that know where they happened and what was expected.
//!
//! Alternatives that fail are merged keeping the error that got farthest
//! into the input (it is almost always the one the user meant), and at equal
//! distance their expectations are merged, so the message can say
//! "expected 'by', 'via' or a date".

use crate::error::{Error, Span};
use crate::model::closest;
use crate::query::keywords::{KEYWORDS, STATEMENT_STARTS};
use crate::query::lexer;
use nom::error::{ErrorKind, ParseError};

/// Something the parser was looking for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// A keyword, shown quoted: `'by'`.
    Keyword(&'static str),
    /// A described thing: `a date like 2024-11-01`.
    Thing(&'static str),
}

impl Expected {
    fn show(self) -> String {
        match self {
            Expected::Keyword(k) => format!("'{k}'"),
            Expected::Thing(t) => t.to_string(),
        }
    }
}

/// A parse error at `input` (the unparsed rest of the statement).
#[derive(Clone, Debug)]
pub struct PError<'a> {
    /// The input where the error is.
    pub input: &'a str,
    /// What would have been accepted here.
    pub expected: Vec<Expected>,
    /// A specific message, which replaces the list of expectations.
    pub message: Option<String>,
    /// A suggestion.
    pub help: Option<String>,
    /// How many bytes to underline (0: the word at `input`).
    pub len: usize,
}

/// The result of a parser.
pub type PResult<'a, T> = nom::IResult<&'a str, T, PError<'a>>;

impl<'a> PError<'a> {
    /// An error expecting one thing.
    pub fn expected(input: &'a str, what: Expected) -> PError<'a> {
        PError { input, expected: vec![what], message: None, help: None, len: 0 }
    }

    /// An error with a specific message, underlining `len` bytes.
    pub fn message(input: &'a str, len: usize, message: impl Into<String>) -> PError<'a> {
        PError { input, expected: Vec::new(), message: Some(message.into()), help: None, len }
    }

    /// Adds a suggestion.
    pub fn help(mut self, help: impl Into<String>) -> PError<'a> {
        self.help = Some(help.into());
        self
    }

    /// As a recoverable nom error.
    pub fn fail<T>(self) -> PResult<'a, T> {
        Err(nom::Err::Error(self))
    }

    /// As an unrecoverable nom error (after a committing keyword).
    pub fn cut<T>(self) -> PResult<'a, T> {
        Err(nom::Err::Failure(self))
    }

    /// The error as a claimdb error about `full`, the whole statement text.
    pub fn into_error(self, full: &str) -> Error {
        let start = full.len().saturating_sub(self.input.len());
        let found = found_word(self.input);
        let len = if self.len > 0 { self.len } else { found.len() };
        let span = Span::new(start, start + len);
        let message = match self.message {
            Some(m) => m,
            None => {
                let mut list: Vec<String> = Vec::new();
                for e in &self.expected {
                    let shown = e.show();
                    if !list.contains(&shown) {
                        list.push(shown);
                    }
                }
                let wanted = match list.len() {
                    0 => "something else".to_string(),
                    1 => list[0].clone(),
                    n => format!("{} or {}", list[..n - 1].join(", "), list[n - 1]),
                };
                if found.is_empty() {
                    format!("expected {wanted}, but the statement ended")
                } else {
                    format!("expected {wanted}, found '{found}'")
                }
            }
        };
        let help = self.help.or_else(|| {
            let keywords = self.expected.iter().filter_map(|e| match e {
                Expected::Keyword(k) => Some(*k),
                Expected::Thing(_) => None,
            });
            let word = found.trim_matches(|c: char| !c.is_alphanumeric());
            if word.is_empty() {
                return None;
            }
            // A word of the language in the wrong place is not a misspelling
            // of another one (`claims` is not a misspelt `claim`).
            let lower = word.to_lowercase();
            if KEYWORDS.contains(&lower.as_str()) || STATEMENT_STARTS.contains(&lower.as_str()) {
                return None;
            }
            closest(word, keywords).filter(|k| !k.eq_ignore_ascii_case(word)).map(|k| format!("did you mean '{k}'?"))
        });
        Error::Input { message, span: Some(span), help }
    }
}

/// The word (or quoted string, or symbol) at the start of `input`.
pub fn found_word(input: &str) -> &str {
    let Some(first) = input.chars().next() else {
        return "";
    };
    if first == '"' {
        return &input[..lexer::string_len(input).0];
    }
    let word = lexer::word_len(input);
    if word > 0 {
        return &input[..word];
    }
    let end =
        input.find(|c: char| c.is_whitespace() || c.is_alphanumeric()).unwrap_or(input.len()).max(first.len_utf8());
    &input[..end]
}

impl<'a> ParseError<&'a str> for PError<'a> {
    fn from_error_kind(input: &'a str, _kind: ErrorKind) -> Self {
        PError { input, expected: Vec::new(), message: None, help: None, len: 0 }
    }

    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }

    fn or(self, other: Self) -> Self {
        farthest(self, other)
    }
}

/// Of two errors, the one that got farther; at the same spot, both merged.
pub fn farthest<'a>(a: PError<'a>, b: PError<'a>) -> PError<'a> {
    use std::cmp::Ordering;
    match a.input.len().cmp(&b.input.len()) {
        Ordering::Less => a,
        Ordering::Greater => b,
        Ordering::Equal => {
            // A specific message beats a list of expectations.
            if a.message.is_some() {
                return a;
            }
            if b.message.is_some() {
                return b;
            }
            let mut merged = a;
            merged.expected.extend(b.expected);
            merged.help = merged.help.or(b.help);
            merged
        }
    }
}
