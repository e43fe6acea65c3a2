//! What a statement runs with besides the database: a cancellation flag
//! (set by Ctrl-C), an import progress callback, the date taken as today,
//! and where notes about the answer go.

use crate::engine::Progress;
use crate::error::Span;
use crate::model::{date, Date};
use std::sync::atomic::AtomicBool;

static NEVER: AtomicBool = AtomicBool::new(false);

/// Receives the notes a statement's answer comes with, as they arise.
pub type Notes<'a> = &'a dyn Fn(Note);

/// The environment a statement runs in.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// Set to true to stop a running statement; it then fails with
    /// [`Error::Cancelled`](crate::Error::Cancelled) and changes nothing.
    pub cancel: &'a AtomicBool,
    /// Called during imports with the phase and the records done.
    pub progress: Progress<'a>,
    /// The day staleness and default status-change dates are measured from.
    pub today: Date,
    /// Make every import skip bad records (as if it said `skip bad`).
    pub skip_bad: bool,
    /// Called with each [`Note`] about the answer (a name that matches
    /// nothing, and what was meant). Notes are told beside the answer,
    /// never in it: the shell prints them on stderr, a server passes them
    /// on. By default they are dropped.
    pub notes: Notes<'a>,
}

impl<'a> Context<'a> {
    /// The cancellation flag and progress callback, for long operations.
    pub fn control(&self) -> crate::engine::Control<'a> {
        crate::engine::Control { cancel: self.cancel, progress: self.progress }
    }
}

impl Default for Context<'_> {
    fn default() -> Self {
        Context { cancel: &NEVER, progress: &|_, _| {}, today: date::today(), skip_bad: false, notes: &|_| {} }
    }
}

/// Something to read an answer with, that is not part of it: `claims by
/// Reuters` answers no claims, and the note says that no source is named
/// Reuters, that Reuters is an outlet here, and to try `claims via Reuters`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// What was found: `no source is named "Reuters"; Reuters is an outlet
    /// here`.
    pub message: String,
    /// The part of the statement the note is about.
    pub span: Option<Span>,
    /// Statements to try instead, most likely first, each as changes to
    /// the statement's text ([`Suggestion::apply`] writes it out).
    pub suggestions: Vec<Suggestion>,
}

/// A statement to try instead of the one given, as changes to its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// The changes, in any order; spans do not overlap.
    pub edits: Vec<TextEdit>,
}

/// One change to a statement's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextEdit {
    /// Put this text in the place of the span (`by Reuters` → `via Reuters`).
    Replace(Span, String),
    /// Put this text (and a space) before the statement's first word
    /// (`count` before `claims …`).
    Prefix(String),
}

impl Suggestion {
    /// A suggestion of one replacement.
    pub fn replace(span: Span, text: impl Into<String>) -> Suggestion {
        Suggestion { edits: vec![TextEdit::Replace(span, text.into())] }
    }

    /// The statement with the changes made, or `None` when a span does not
    /// fit `statement` (the note was made for other text).
    pub fn apply(&self, statement: &str) -> Option<String> {
        let start = statement.len() - crate::query::lexer::skip_blanks(statement, true).len();
        let mut edits: Vec<(Span, &str, bool)> = self
            .edits
            .iter()
            .map(|e| match e {
                TextEdit::Replace(span, text) => (*span, text.as_str(), false),
                TextEdit::Prefix(text) => (Span::new(start, start), text.as_str(), true),
            })
            .collect();
        // From the end, so that earlier offsets stay right.
        edits.sort_by_key(|(span, _, _)| std::cmp::Reverse(span.start));
        let mut out = statement.to_string();
        for (span, text, prefix) in edits {
            if span.start > span.end || !out.is_char_boundary(span.start) || out.get(span.start..span.end).is_none() {
                return None;
            }
            let text = if prefix { format!("{text} ") } else { text.to_string() };
            out.replace_range(span.start..span.end, &text);
        }
        Some(out.trim().trim_end_matches(';').trim_end().to_string())
    }
}

impl Note {
    /// The note as people read it: `note: …`, then each statement to try
    /// (written out against `statement`, the text the note's spans point
    /// into, when it is known). The shell prints this on stderr; the
    /// server sends it beside the answer.
    pub fn render(&self, statement: Option<&str>) -> String {
        let mut out = format!("note: {}", self.message);
        for suggestion in statement.map(|s| self.try_instead(s)).unwrap_or_default() {
            out.push_str(&format!("\n  try: {}", suggestion.replace('\n', "\n       ")));
        }
        out
    }

    /// The statements to try, written out against `statement` (the text the
    /// note's spans point into), without repeats.
    pub fn try_instead(&self, statement: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in &self.suggestions {
            if let Some(text) = s.apply(statement) {
                if !out.contains(&text) {
                    out.push(text);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_written_out_against_the_statement() {
        let text = "  count claims by outlet;";
        let per = Suggestion::replace(Span::new(15, 24), "per outlet");
        assert_eq!(per.apply(text).as_deref(), Some("count claims per outlet"));
        let text = "-- why\nclaims by outlet";
        let count = Suggestion {
            edits: vec![TextEdit::Replace(Span::new(14, 23), "per outlet".into()), TextEdit::Prefix("count".into())],
        };
        assert_eq!(count.apply(text).as_deref(), Some("-- why\ncount claims per outlet"));
        assert_eq!(Suggestion::replace(Span::new(40, 50), "x").apply(text), None, "a span past the end");
    }
}
