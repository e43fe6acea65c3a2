//! The parser: statement text → [`Statement`].
//!
//! Written with nom 8 over `&str`. Keywords are case-insensitive and end at
//! a word boundary; once a keyword commits the parser to one statement or
//! clause, later failures are cut (no backtracking into other readings), so
//! the error reported is the one at the real mistake. Errors carry the
//! position, what was expected there, and a suggestion for near misses.

mod article;
mod error;
mod expr;
pub mod lexeme;
mod read;
mod scale;
mod write;

pub use expr::MAX_DEPTH;

use self::error::{Expected, PError, PResult};
use self::lexeme::{bare_word, kw, ws};
use crate::error::{Error, Result};
use crate::query::ast::Statement;
use crate::query::keywords::{KEYWORDS, STATEMENT_STARTS};

/// Parses one statement (a trailing `;` is allowed).
pub fn parse(text: &str) -> Result<Statement> {
    let start = crate::query::lexer::skip_blanks(text, true);
    if start.is_empty() || start == ";" {
        return Err(Error::Input {
            message: "there is no statement here".into(),
            span: Some(crate::Span::new(0, 0)),
            help: Some("try: claims, or .help".into()),
        });
    }
    match statement(text)(start) {
        Ok((rest, stmt)) => {
            let rest = ws(rest);
            let rest = rest.strip_prefix(';').map(ws).unwrap_or(rest);
            if rest.is_empty() {
                refuse_nul_in_writes(text, &stmt)?;
                Ok(stmt)
            } else {
                let found = error::found_word(rest);
                let e = PError::message(rest, 0, format!("unexpected '{found}' after the end of the statement"))
                    .help(after_the_end(found));
                Err(e.into_error(text))
            }
        }
        Err(nom::Err::Error(e)) | Err(nom::Err::Failure(e)) => Err(e.into_error(text)),
        Err(nom::Err::Incomplete(_)) => Err(crate::errinput!("the statement is incomplete")),
    }
}

/// The help for a word left over after a whole statement: a misspelt
/// keyword (`becuase`) gets its spelling; anything else is most likely a
/// second statement.
fn after_the_end(found: &str) -> String {
    let lower = found.to_lowercase();
    let known = KEYWORDS.contains(&lower.as_str()) || STATEMENT_STARTS.contains(&lower.as_str());
    match crate::model::closest(&lower, KEYWORDS.iter().copied()) {
        Some(k) if !known && !STATEMENT_STARTS.contains(&k) => format!("did you mean '{k}'?"),
        _ => "run one statement at a time, or separate statements with ';' in a script".into(),
    }
}

/// The help for a first word that does not start a statement. Words from
/// other tools in front of a real statement (`list sources`, `show claims`,
/// `select claims`) are left out; `exit` and `quit` are the meta command;
/// anything else is compared with the words that do start statements.
fn not_a_statement_start(word: &str, next: &str) -> String {
    if matches!(word, "exit" | "quit" | "bye") {
        return "to leave the shell, type .quit (or press Ctrl-D)".into();
    }
    if STATEMENT_STARTS.contains(&next) {
        return format!("statements start with their own word: write '{next} …' without '{word}'");
    }
    if lexeme::CLAUSE_KEYWORDS.contains(&word) {
        // Typically the second line of a statement pasted into a terminal
        // that sends each line on its own.
        return format!(
            "'{word}' continues a statement: put it on the line of the statement it belongs to \
             (in a script, an indented line continues the one before)"
        );
    }
    match crate::model::closest(word, STATEMENT_STARTS.iter().copied()) {
        Some(k) => format!("did you mean '{k}'?"),
        None => "statements start with claims, count, claim, sources, add, set, ... (see .help)".into(),
    }
}

/// The statement `import "PATH" [skip bad]` for a file named outside the
/// language (the shell's `.import`), reading the format the statement
/// would read.
pub fn import_statement(path: &std::path::Path, skip_bad: bool) -> Result<Statement> {
    use crate::interchange::csv::CsvMapping;
    use crate::interchange::Format;
    use crate::query::ast::{Import, ImportFormat};
    // Without a mapping, a CSV file must be claimdb's own export: the
    // importer checks its header and says what to do when it is not.
    let format = match Format::for_import(None, path) {
        Format::Csv => ImportFormat::Csv(CsvMapping::for_file(path)),
        Format::Jsonl => ImportFormat::Jsonl,
        Format::Json => ImportFormat::Json,
        Format::ClaimReview => ImportFormat::ClaimReview,
    };
    Ok(Statement::Import(Import { path: path.to_path_buf(), format, skip_bad }))
}

/// A write cannot store a NUL byte: say so with the caret on the NUL
/// itself (the engine's own check, made later, knows no position). A
/// query may hold one: it is text that matches nothing.
fn refuse_nul_in_writes(text: &str, stmt: &Statement) -> Result<()> {
    // An export's file name is stored nowhere, but it is no place for a
    // NUL either.
    let reads = !stmt.writes() && !matches!(stmt, Statement::Export { .. });
    match text.find('\0') {
        Some(at) if !reads => Err(crate::errinput!(crate::Span::new(at, at + 1); "this statement contains a NUL byte (\\0), which cannot be stored")
            .with_help("remove the NUL character; it usually comes from a binary file or a bad copy")),
        _ => Ok(()),
    }
}

fn statement<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |i| {
        let word = bare_word(i).map(|(_, w)| w.to_lowercase()).unwrap_or_default();
        let next =
            bare_word(i).and_then(|(rest, _)| bare_word(rest)).map(|(_, w)| w.to_lowercase()).unwrap_or_default();
        if word == "show" && next != "claim" && STATEMENT_STARTS.contains(&next.as_str()) {
            return PError::message(i, 4, format!("'show' shows one claim, not '{next}'"))
                .help(format!("write '{next} …' without 'show' (show claim 3 shows claim #3)"))
                .cut();
        }
        match word.as_str() {
            "explain" => {
                // `explain explain …` explains the same plan: the keywords
                // are read in a loop, so no run of them recurses.
                let (mut rest, _) = kw("explain")(i)?;
                while let Ok((after, _)) = kw("explain")(rest) {
                    rest = after;
                }
                let (rest, inner) = lexeme::cut_err(statement(full))(rest)?;
                Ok((rest, Statement::Explain(Box::new(inner))))
            }
            "claims" if matches!(next.as_str(), "like" | "similar") => article::like(full)(i),
            "claims" => read::claims(full)(i),
            "count" => read::count(full)(i),
            "claim" | "show" => read::show(full)(i),
            "history" => read::history(full)(i),
            "sources" => read::sources(full)(i),
            "track" | "kinds" | "affiliations" | "outlets" | "topics" | "ratings" | "unresolved" => {
                read::records(full)(i)
            }
            "add" => write::add(full)(i),
            "remove" => write::remove(full)(i),
            "set" => write::set(full)(i),
            "rate" => write::rate(full)(i),
            "rating" => scale::show(i),
            "clear" => write::clear(full)(i),
            "link" | "unlink" => write::link(full)(i),
            "delete" => write::delete(full)(i),
            "import" if next == "article" => article::import_article(full)(i),
            "import" => write::import(i),
            "extract" => article::extract(full)(i),
            "review" => article::review_article(full)(i),
            "export" => write::export(full)(i),
            _ => {
                let mut e = PError::expected(i, Expected::Keyword(STATEMENT_STARTS[0]));
                e.expected = STATEMENT_STARTS.iter().map(|k| Expected::Keyword(k)).collect();
                if word.is_empty() {
                    e.message = Some("a statement starts with a word such as claims, count or add".into());
                } else {
                    e.message = Some(format!("'{word}' does not start a statement"));
                    e.help = Some(not_a_statement_start(&word, &next));
                }
                e.fail()
            }
        }
    }
}

#[cfg(test)]
mod tests;
