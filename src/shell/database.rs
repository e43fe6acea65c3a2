//! What the shell asks of a database, in one small interface: the runner
//! holds a [`Database`] and goes through it for everything (statements,
//! meta commands, the REPL's completion words), so that a front end that
//! talks to a running server instead of an open [`Db`] only has to
//! implement this trait.

use crate::engine::{CheckReport, ImportReport, Stats, Vocabulary};
use crate::model::{Date, SourceCount};
use crate::query::ast::Statement;
use crate::query::{ClaimSink, Context, Output};
use crate::{Db, Result};
use std::path::Path;

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
