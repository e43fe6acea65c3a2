//! The query language: text → [`lexer`] and [`parser`] → [`ast`] →
//! planner → plan → executor → [`Output`].

pub mod article;
pub mod ast;
mod context;
mod executor;
pub mod keywords;
pub mod lexer;
mod output;
pub mod parser;
pub(crate) mod plan;
pub(crate) mod planner;
#[cfg(test)]
mod tests;

pub use context::{Context, Note, Notes, Suggestion, TextEdit};
pub use output::{ClaimList, ClaimSink, Output, ScaleView, TrackRecord};

use crate::engine::Db;
use crate::error::Result;

impl Db {
    /// Runs one statement of the query language.
    pub fn execute(&self, statement: &str) -> Result<Output> {
        self.execute_with(statement, &Context { today: self.today(), ..Context::default() })
    }

    /// Runs one statement with a cancellation flag, import progress
    /// reporting and a chosen "today".
    pub fn execute_with(&self, statement: &str, context: &Context<'_>) -> Result<Output> {
        // Relative dates (`in the last 30 days`) are read against the context's today.
        let parsed = crate::model::date::with_today(context.today, || parser::parse(statement))?;
        executor::execute(self, parsed, context)
    }

    /// Runs a statement that was built rather than parsed (the shell's
    /// `.import FILE` and `.export FILE`).
    pub fn execute_parsed(&self, statement: ast::Statement, context: &Context<'_>) -> Result<Output> {
        executor::execute(self, statement, context)
    }

    /// Runs one statement, sending the claims of a claims query to `sink`
    /// one at a time, in order, as they are found, instead of collecting
    /// them: the returned [`Output::Claims`] then holds no claims, only
    /// `matched` when a limit cut the list. Every other statement returns
    /// what [`Db::execute_with`] returns. The claims are read under the
    /// database's read lock, so writes wait until the query ends; the sink
    /// must not call back into this database.
    pub fn execute_streaming(
        &self,
        statement: &str,
        context: &Context<'_>,
        sink: &mut dyn ClaimSink,
    ) -> Result<Output> {
        let parsed = crate::model::date::with_today(context.today, || parser::parse(statement))?;
        executor::execute_streaming(self, parsed, context, sink)
    }
}
