//! The query language: text → [`lexer`] and [`parser`] → [`ast`] →
//! planner → plan → executor → [`Output`].

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

pub use context::Context;
pub use output::{ClaimList, ClaimSink, Output, TrackRecord};

use crate::error::Result;
use crate::Db;

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
    /// in order as they are found instead of collecting them: the returned
    /// [`Output::Claims`] then holds no claims, only `matched` when a limit
    /// cut the list. Every other statement returns what
    /// [`Db::execute_with`] returns.
    pub fn execute_streaming(
        &self,
        statement: &str,
        context: &Context<'_>,
        sink: &mut dyn ClaimSink,
    ) -> Result<Output> {
        // For now the claims are collected and then handed over; the
        // executor will produce them one at a time.
        match self.execute_with(statement, context)? {
            Output::Claims(list) => {
                let matched = list.matched;
                for claim in list {
                    sink.claim(claim)?;
                }
                Ok(Output::Claims(ClaimList { claims: Vec::new(), matched }))
            }
            other => Ok(other),
        }
    }
}
