//! What the shell asks of a database, in one small interface: the runner
//! holds a [`Backend`], either a [`Database`] it goes through for
//! everything (statements, meta commands, the REPL's completion words), or
//! the server that holds the database ([`Served`]), which runs statements
//! and prints their answers itself.

use super::served::Served;
use crate::engine::Db;
use crate::engine::{CheckReport, ImportReport, Stats, Vocabulary};
use crate::model::{Date, SourceCount};
use crate::query::ast::Statement;
use crate::query::{ClaimSink, Context, Output};
use crate::Result;
use std::path::Path;

/// Where the shell's statements go.
pub enum Backend {
    /// A database this process opened (or a temporary one).
    Open(Box<dyn Database>),
    /// A database held by a running `claimdb serve`: statements and the
    /// meta commands that reach the database are sent to it.
    Served(Box<Served>),
}

impl Backend {
    /// The database this process opened. The runner sends everything for
    /// a served database to the server before it would get here, so the
    /// error means a bug, not a user's mistake.
    pub fn direct(&self) -> Result<&dyn Database> {
        match self {
            Backend::Open(db) => Ok(&**db),
            Backend::Served(_) => Err(crate::errio!(
                "(a bug) the shell tried to use a database that claimdb serve holds as if it had opened it"
            )),
        }
    }

    /// The server, for a served database.
    pub fn served(&self) -> Option<&Served> {
        match self {
            Backend::Open(_) => None,
            Backend::Served(served) => Some(served),
        }
    }

    /// The day taken as today. A served database's statements run with
    /// the server's, so this day goes into no answer; it is the UTC day,
    /// which needs no time zone file read.
    pub fn today(&self) -> Date {
        match self {
            Backend::Open(db) => db.today(),
            Backend::Served(_) => chrono::Utc::now().date_naive(),
        }
    }

    /// Fails when `path` lies inside the database's own directory.
    pub fn refuse_inside(&self, path: &Path, what: &str) -> Result<()> {
        match self {
            Backend::Open(db) => db.refuse_inside(path, what),
            Backend::Served(served) => served.refuse_inside(path, what),
        }
    }

    /// The names the REPL completes.
    pub fn vocabulary(&self) -> Result<Vocabulary> {
        match self {
            Backend::Open(db) => db.vocabulary(),
            Backend::Served(served) => served.vocabulary(),
        }
    }
}

/// A database the shell can work with.
pub trait Database {
    /// Runs statement text; the claims of a claims query go to `sink` as
    /// they are found (the returned output then holds none of them).
    fn execute(&self, statement: &str, context: &Context<'_>, sink: &mut dyn ClaimSink) -> Result<Output>;
    /// Runs a statement built by the shell rather than typed (`.import`,
    /// `.export`), so that no file name has to be quoted into text.
    fn execute_statement(&self, statement: Statement, context: &Context<'_>) -> Result<Output>;
    /// Every source with its number of claims (`.sources`).
    fn sources(&self) -> Result<Vec<SourceCount>>;
    /// Figures about the database (`.stats`).
    fn stats(&self) -> Result<Stats>;
    /// The integrity check (`.check`).
    fn check(&self) -> Result<CheckReport>;
    /// The names the REPL completes: sources, outlets, topics.
    fn vocabulary(&self) -> Result<Vocabulary>;
    /// Writes a backup to `path`; returns how many claims it holds.
    fn backup(&self, path: &Path) -> Result<u64>;
    /// Loads a backup into an empty database.
    fn restore(&self, path: &Path, context: &Context<'_>) -> Result<ImportReport>;
    /// The day taken as today (fixed by `CLAIMDB_NOW`).
    fn today(&self) -> Date;
    /// Fails when `path` lies inside the database's own directory, where
    /// writing would damage it; `what` names the file in the message.
    fn refuse_inside(&self, path: &Path, what: &str) -> Result<()>;
}

impl Database for Db {
    fn execute(&self, statement: &str, context: &Context<'_>, sink: &mut dyn ClaimSink) -> Result<Output> {
        self.execute_streaming(statement, context, sink)
    }

    fn execute_statement(&self, statement: Statement, context: &Context<'_>) -> Result<Output> {
        self.execute_parsed(statement, context)
    }

    fn sources(&self) -> Result<Vec<SourceCount>> {
        Db::sources(self)
    }

    fn stats(&self) -> Result<Stats> {
        Db::stats(self)
    }

    fn check(&self) -> Result<CheckReport> {
        Db::check(self)
    }

    fn vocabulary(&self) -> Result<Vocabulary> {
        Db::vocabulary(self)
    }

    fn backup(&self, path: &Path) -> Result<u64> {
        crate::interchange::backup::backup(self, path)
    }

    fn restore(&self, path: &Path, context: &Context<'_>) -> Result<ImportReport> {
        crate::interchange::backup::restore(self, path, &context.control())
    }

    fn today(&self) -> Date {
        Db::today(self)
    }

    fn refuse_inside(&self, path: &Path, what: &str) -> Result<()> {
        Db::refuse_inside(self, path, what)
    }
}
