//! The query language: text → [`parser`] → [`ast`] → planner → plan →
//! executor → [`Output`].

pub mod ast;
mod context;
mod executor;
pub mod keywords;
mod output;
pub mod parser;
pub(crate) mod plan;
pub(crate) mod planner;
#[cfg(test)]
mod tests;

pub use context::Context;
pub use output::{Output, TrackRecord};

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
        let parsed = parser::parse(statement)?;
        executor::execute(self, parsed, context)
    }
}
