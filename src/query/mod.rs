//! The query language: text → [`parser`] → [`ast`] → [`planner`] → plan →
//! [`executor`] → [`Output`].

pub mod ast;
mod context;
pub mod keywords;
mod output;
pub mod parser;

pub use context::Context;
pub use output::{Output, TrackRecord};

use crate::error::Result;
use crate::Db;

impl Db {
    /// Runs one statement of the query language.
    pub fn execute(&self, statement: &str) -> Result<Output> {
        Err(crate::errinput!(
            "the query language is not built yet: {statement}"
        ))
    }
}
