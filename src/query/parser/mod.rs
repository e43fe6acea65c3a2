//! The parser: statement text → [`Statement`](crate::query::ast::Statement).
//!
//! Written with nom 8 over `&str`. Keywords are case-insensitive and end at
//! a word boundary; once a keyword commits the parser to one statement or
//! clause, later failures are cut (no backtracking into other readings), so
//! the error reported is the one at the real mistake. Errors carry the
//! position, what was expected there, and a suggestion for near misses.

mod error;
mod expr;
pub mod lexeme;
mod read;
mod write;

pub use expr::MAX_DEPTH;

use self::error::{Expected, PError, PResult};
use self::lexeme::{bare_word, kw, ws};
use crate::error::{Error, Result};
use crate::query::ast::Statement;
use crate::query::keywords::STATEMENT_STARTS;

/// Parses one statement (a trailing `;` is allowed).
pub fn parse(text: &str) -> Result<Statement> {
    let start = ws(text);
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
                Ok(stmt)
            } else {
                let e = PError::message(
                    rest,
                    0,
                    format!("unexpected '{}' after the end of the statement", error::found_word(rest)),
                )
                .help("run one statement at a time, or separate statements with ';' in a script");
                Err(e.into_error(text))
            }
        }
        Err(nom::Err::Error(e)) | Err(nom::Err::Failure(e)) => Err(e.into_error(text)),
        Err(nom::Err::Incomplete(_)) => Err(crate::errinput!("the statement is incomplete")),
    }
}

fn statement<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |i| {
        let word = bare_word(i).map(|(_, w)| w.to_lowercase()).unwrap_or_default();
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
            "claims" => read::claims(full)(i),
            "count" => read::count(full)(i),
            "claim" | "show" => read::show(full)(i),
            "history" => read::history(full)(i),
            "sources" => read::sources(i),
            "track" | "kinds" | "affiliations" | "outlets" | "unresolved" => read::records(i),
            "add" => write::add(full)(i),
            "remove" => write::remove(full)(i),
            "set" => write::set(full)(i),
            "rate" => write::rate(full)(i),
            "clear" => write::clear(full)(i),
            "link" | "unlink" => write::link(full)(i),
            "delete" => write::delete(full)(i),
            "import" => write::import(i),
            "export" => write::export(full)(i),
            _ => {
                let mut e = PError::expected(i, Expected::Keyword(STATEMENT_STARTS[0]));
                e.expected = STATEMENT_STARTS.iter().map(|k| Expected::Keyword(k)).collect();
                if word.is_empty() {
                    e.message = Some("a statement starts with a word such as claims, count or add".into());
                } else {
                    e.message = Some(format!("'{word}' does not start a statement"));
                    let near = crate::model::closest(&word, STATEMENT_STARTS.iter().copied());
                    e.help = Some(match near {
                        Some(k) => format!("did you mean '{k}'?"),
                        None => "statements start with claims, count, claim, sources, add, set, ... (see .help)".into(),
                    });
                }
                e.fail()
            }
        }
    }
}

#[cfg(test)]
mod tests;
