//! What a request asks the database to do, decided before anything runs:
//! whether it reads or writes, and which file of the server's it touches.
//! The server's rules (read-only, tokens, `--files`) are applied to this
//! answer, so a statement is refused before it can change anything.
//!
//! Statements are parsed with the language's own parser and matched on
//! their [`Statement`] variant; the few meta commands that reach the
//! database (`.stats`, `.sources`, `.check`, `.backup`, `.restore`,
//! `.read`) are recognised here too. Meta commands that change the shell's
//! settings have no meaning over HTTP and are refused with a pointer to
//! the equivalent.

use crate::query::ast::{ImportArticle, Statement};
use crate::shell::script::meta_args;
use crate::{errinput, Error, Result, Span};
use std::path::PathBuf;

/// A request, understood.
#[derive(Debug)]
pub struct Classified {
    /// What runs.
    pub item: Item,
    /// Whether it changes the database.
    pub writes: bool,
    /// The file it reads or writes, as written in the statement.
    pub file: Option<FileUse>,
}

/// What runs: a statement of the language, or a meta command.
#[derive(Debug)]
pub enum Item {
    /// A statement, parsed.
    Statement(Box<Statement>),
    /// A meta command that reaches the database.
    Meta(Meta),
}

/// The meta commands the server runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meta {
    /// `.stats`
    Stats,
    /// `.sources`
    Sources,
    /// `.check`
    Check,
    /// `.backup FILE`
    Backup(PathBuf),
    /// `.restore FILE`
    Restore(PathBuf),
    /// `.read FILE`
    Read(PathBuf),
}

/// A file a request touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileUse {
    /// The path as written.
    pub path: PathBuf,
    /// Whether the file is written (export, backup) rather than read.
    pub writes: bool,
}

impl Classified {
    /// Whether this is a claims query, whose claims can be streamed.
    pub fn is_claims_query(&self) -> bool {
        matches!(&self.item, Item::Statement(s) if matches!(**s, Statement::Claims(_)))
    }
}

/// Whether a statement changes the database.
pub fn statement_writes(statement: &Statement) -> bool {
    statement.writes()
}

/// The file a statement touches, if any.
pub fn statement_file(statement: &Statement) -> Option<FileUse> {
    match statement {
        Statement::Import(import) => Some(FileUse { path: import.path.clone(), writes: false }),
        Statement::Export { path, .. } => Some(FileUse { path: path.clone(), writes: true }),
        Statement::Extract(a)
        | Statement::ReviewArticle(a)
        | Statement::ImportArticle(ImportArticle { article: a, .. }) => {
            Some(FileUse { path: a.path.clone(), writes: false })
        }
        _ => None,
    }
}

/// Understands `text`: one statement or one meta command. Errors are the
/// parser's (with their spans) or say why a meta command cannot be used
/// here.
pub fn classify(text: &str) -> Result<Classified> {
    if text.trim_start().starts_with('.') {
        return classify_meta(text);
    }
    let statement = crate::query::parser::parse(text)?;
    let writes = statement_writes(&statement);
    let file = statement_file(&statement);
    Ok(Classified { item: Item::Statement(Box::new(statement)), writes, file })
}

fn classify_meta(text: &str) -> Result<Classified> {
    let args = meta_args(text);
    let name = args.first().map(|s| s.to_lowercase()).unwrap_or_default();
    let at = text.len() - text.trim_start().len();
    let name_span = Span::new(at, at + name.len());
    let one_file = |usage: &str| -> Result<PathBuf> {
        match args.len() {
            2 => Ok(PathBuf::from(&args[1])),
            1 => Err(errinput!(name_span; "{name} needs a file name").with_help(format!("usage: {usage}"))),
            _ => Err(errinput!(name_span; "{name} takes one file name").with_help(format!("usage: {usage}"))),
        }
    };
    let none = || -> Result<()> {
        if args.len() > 1 {
            return Err(errinput!(name_span; "{name} takes no arguments"));
        }
        Ok(())
    };
    let (meta, writes) = match name.as_str() {
        ".stats" => (none().map(|()| Meta::Stats)?, false),
        ".sources" => (none().map(|()| Meta::Sources)?, false),
        ".check" => (none().map(|()| Meta::Check)?, false),
        ".backup" => (Meta::Backup(one_file(".backup FILE")?), false),
        ".restore" => (Meta::Restore(one_file(".restore FILE")?), true),
        ".read" => (Meta::Read(one_file(".read FILE")?), false),
        ".import" | ".export" => {
            let statement = if name == ".import" { "import \"FILE\"" } else { "export to \"FILE\"" };
            return Err(errinput!(name_span; "{name} is a shell command")
                .with_help(format!("send the statement {statement} instead")));
        }
        ".mode" | ".output" => {
            return Err(errinput!(name_span; "{name} changes the shell's output, which a server does not have")
                .with_help("choose the format with ?format=json|jsonl|csv or an Accept header"));
        }
        ".help" | ".timer" | ".echo" | ".quit" | ".exit" => {
            return Err(errinput!(name_span; "{name} is a shell command and means nothing to the server")
                .with_help("send statements such as: claims via Reuters"));
        }
        _ => {
            return Err(errinput!(name_span; "unknown meta command {name}")
                .with_help("the server runs statements and .stats, .sources, .check, .backup, .restore, .read"));
        }
    };
    let file = match &meta {
        Meta::Backup(p) => Some(FileUse { path: p.clone(), writes: true }),
        Meta::Restore(p) | Meta::Read(p) => Some(FileUse { path: p.clone(), writes: false }),
        _ => None,
    };
    Ok(Classified { item: Item::Meta(meta), writes, file })
}

/// The error for a statement that does not fit in the limit.
pub fn too_long(len: usize, limit: usize) -> Error {
    errinput!("the statement is {len} bytes long; this server accepts statements of up to {limit} bytes")
        .with_help("import large amounts of data from a file with import \"FILE\" (needs --files on the server)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_writes_and_files_are_told_apart() {
        let c = classify("claims via Reuters limit 3").unwrap();
        assert!(!c.writes && c.file.is_none() && c.is_claims_query());
        let c = classify("count claims per status").unwrap();
        assert!(!c.writes && !c.is_claims_query());
        for w in [
            "add claim \"x\" by \"y\" on 2024-11-09",
            "set status of claim 1 to disputed",
            "rate claim 1 \"false\"",
            "delete claim 1",
            "link claim 1 contradicts claim 2",
            "add evidence \"https://e.org\" to claim 1",
            "set text of claim 1 to \"z\"",
        ] {
            assert!(classify(w).unwrap().writes, "{w}");
        }
        let c = classify("import \"wire.jsonl\"").unwrap();
        assert!(c.writes);
        assert_eq!(c.file, Some(FileUse { path: "wire.jsonl".into(), writes: false }));
        let c = classify("export claims via AFP to \"../x.csv\"").unwrap();
        assert!(!c.writes);
        assert_eq!(c.file, Some(FileUse { path: "../x.csv".into(), writes: true }));
        assert!(!classify("explain claims via AFP").unwrap().writes);
    }

    #[test]
    fn meta_commands_that_reach_the_database_are_understood() {
        assert!(matches!(classify(".stats").unwrap().item, Item::Meta(Meta::Stats)));
        let c = classify(".restore backup.jsonl").unwrap();
        assert!(c.writes && c.file.is_some());
        let c = classify(".backup b.jsonl").unwrap();
        assert!(!c.writes && c.file.as_ref().unwrap().writes);
        assert!(matches!(classify(".read x.cq").unwrap().item, Item::Meta(Meta::Read(_))));
        let err = classify(".mode csv").unwrap_err();
        assert!(err.to_string().contains("?format="), "{err}");
        assert!(classify(".backup").unwrap_err().to_string().contains("needs a file name"));
        assert!(classify(".nope").is_err());
        assert!(classify(".stats now").is_err());
    }

    #[test]
    fn parse_errors_keep_their_span() {
        let Error::Input { span, .. } = classify("claims with status disputd").unwrap_err() else { panic!() };
        assert_eq!(span, Some(Span::new(19, 26)));
    }
}
