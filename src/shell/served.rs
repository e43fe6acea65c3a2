//! A database held by a running `claimdb serve`: the shell sends it every
//! statement and the meta commands that reach the database (`.import`,
//! `.export`, `.backup`, `.restore`, `.sources`, `.stats`, `.check`), and
//! writes what comes back to its current output, so that a script or the
//! REPL behaves as if it had opened the database itself. Everything else
//! (`.read`, `.output`, `.mode`, echo, error positions, exit codes) stays
//! the shell's own, in [`super::runner`].
//!
//! What differs, and why, is listed in docs/server.md ("The shell and
//! scripts through the server"): the server's clock, time limit and
//! read-only setting apply; an import draws no progress bar; Ctrl-C stops
//! a read but a write runs to its end.

use crate::query::ast::Statement;
use crate::query::lexer::{Lexer, TokenKind};
use crate::server::classify::{classify, Item};
use crate::server::client::{Client, Outcome, Settings};
use crate::shell::format::Format;
use crate::{errinput, Result, Vocabulary};
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// The server that holds a database, as the shell uses it.
pub struct Served {
    client: Client,
    /// The database directory as the user named it.
    path: PathBuf,
    /// The working directory, which relative file names mean.
    cwd: PathBuf,
}

impl Served {
    /// The server holding the database at `path`, if one answers there.
    pub fn find(path: &Path) -> Option<Served> {
        let client = Client::for_database(path)?;
        let cwd = std::env::current_dir().ok()?;
        Some(Served { client, path: path.to_path_buf(), cwd })
    }

    /// The one line said on stderr when statements go through the server.
    pub fn note(&self) -> String {
        format!("note: {} is held by {}; statements go through it", self.path.display(), self.server())
    }

    /// The database as the REPL's banner names it.
    pub fn label(&self) -> String {
        format!("{} (through {})", self.path.display(), self.server())
    }

    fn server(&self) -> String {
        match self.client.address() {
            Some(a) => format!("claimdb serve (pid {}, http://{}/)", a.pid, a.http),
            None => "claimdb serve".to_string(),
        }
    }

    /// Runs a statement or a database meta command on the server, writing
    /// what it prints to `out`. With `skip_bad` (`--skip-bad`), an import
    /// skips bad records as if it said `skip bad`. An export to a file
    /// inside the database directory is refused here, with the message a
    /// direct run gives.
    pub fn run(
        &self,
        text: &str,
        format: Format,
        width: usize,
        skip_bad: bool,
        out: &mut dyn Write,
        cancel: &AtomicBool,
    ) -> Result<Outcome> {
        let text = self.prepare(text, skip_bad)?;
        self.client.run_to(&text, Settings { format, width, cwd: &self.cwd }, out, cancel)
    }

    /// The names the REPL completes, from the server.
    pub fn vocabulary(&self) -> Result<Vocabulary> {
        self.client.vocabulary()
    }

    /// Fails when `path` lies inside the database's directory, as
    /// [`crate::Db::refuse_inside`] does for a database opened here.
    pub fn refuse_inside(&self, path: &Path, what: &str) -> Result<()> {
        crate::engine::paths::refuse_inside(&self.path, path, what)
    }

    /// The text to send for `text`: a statement that does not parse goes
    /// as it is (the server's answer is the parser's error, with its
    /// span); an export is checked against the database directory here;
    /// an import gets `skip bad` when `skip_bad`.
    fn prepare<'t>(&self, text: &'t str, skip_bad: bool) -> Result<Cow<'t, str>> {
        let Ok(classified) = classify(text) else { return Ok(Cow::Borrowed(text)) };
        let Item::Statement(statement) = &classified.item else { return Ok(Cow::Borrowed(text)) };
        match &**statement {
            Statement::Export { path, .. } => {
                // What interchange::output checks, under the same name.
                self.refuse_inside(path, "the export")?;
                Ok(Cow::Borrowed(text))
            }
            Statement::Import(import) if skip_bad && !import.skip_bad => Ok(Cow::Owned(with_skip_bad(text))),
            _ => Ok(Cow::Borrowed(text)),
        }
    }
}

/// An import statement with `skip bad` added after its last word (before
/// any `;` or comment that ends it), so that spans into the rest of it do
/// not move.
fn with_skip_bad(text: &str) -> String {
    let end = Lexer::new(text)
        .filter(|t| !matches!(t.kind, TokenKind::Blank | TokenKind::Comment | TokenKind::Semicolon))
        .last()
        .map_or(text.len(), |t| t.span.end);
    format!("{} skip bad{}", &text[..end], &text[end..])
}

/// A file name as a string of the language (`"…"`, with `\` and `"`
/// escaped), for statements the shell sends in place of `.import FILE`
/// and `.export FILE`.
pub fn quoted(path: &Path) -> Result<String> {
    let Some(text) = path.to_str() else {
        return Err(errinput!(
            "the file name {} is not valid UTF-8, which a claimdb server cannot be sent",
            path.display()
        )
        .with_help("rename the file, or run claimdb with --no-server once the server is stopped"));
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_bad_goes_after_the_last_word() {
        assert_eq!(with_skip_bad("import \"a.jsonl\""), "import \"a.jsonl\" skip bad");
        assert_eq!(
            with_skip_bad("import \"a.jsonl\"; -- today's wire\n"),
            "import \"a.jsonl\" skip bad; -- today's wire\n"
        );
        let csv = "import csv \"a.csv\" map text = statement, source = \"x\"\n  -- done";
        let with = with_skip_bad(csv);
        assert!(with.starts_with("import csv \"a.csv\" map text = statement, source = \"x\" skip bad\n"), "{with}");
        match crate::query::parser::parse(&with).unwrap() {
            Statement::Import(import) => assert!(import.skip_bad),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn file_names_are_quoted_so_the_parser_reads_them_back() {
        for name in ["plain.jsonl", "a \"quoted\" name.jsonl", "back\\slash.csv", "tab\tand\nnewline.jsonl", "é.jsonl"]
        {
            let statement = format!("import {}", quoted(Path::new(name)).unwrap());
            match crate::query::parser::parse(&statement).unwrap() {
                Statement::Import(import) => assert_eq!(import.path, Path::new(name), "{statement}"),
                other => panic!("{other:?}"),
            }
        }
        use std::os::unix::ffi::OsStrExt;
        let bad = Path::new(std::ffi::OsStr::from_bytes(b"\xff.jsonl"));
        assert!(quoted(bad).unwrap_err().to_string().contains("not valid UTF-8"));
    }
}
