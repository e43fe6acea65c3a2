//! claimdb: an embedded database for tracking claims made in news reporting.
//!
//! # The life of a statement
//!
//! Take `claims by anonymous officials after 2024-11-01`, typed at the REPL.
//!
//! 1. **Text → AST.** [`query::parser`] (nom) reads the text into a
//!    [`query::ast::Statement`], with [`query::lexer`] saying where each
//!    word, string and comment begins and ends (the shell splits scripts,
//!    completes and colours with the same lexer): a claims query with two filters, a source
//!    pattern (anonymous, kind official) and a date range. Errors carry a
//!    [`Span`] that [`Error::render`] turns into a line, a caret and a hint.
//! 2. **AST → plan.** [`query::planner`] looks at the filters, estimates how
//!    many claims each index would yield, and picks the cheapest access path:
//!    here the posting list of the source-kind index for anonymous officials,
//!    intersected with the date index from 2024-11-02 on. Everything the
//!    index cannot answer is kept as a residual filter. `explain` prints this
//!    plan.
//! 3. **Plan → results.** [`query::executor`] reads the posting lists, loads
//!    the candidate claims, applies the residual filter, sorts (date, then
//!    id) and stops early at a `limit`. It returns a typed
//!    [`query::Output`].
//! 4. **Storage.** Claims, sources and index posting blocks live in sled
//!    trees behind [`storage::Store`]; [`engine`] keeps the indexes in step
//!    on every write, each write being one atomic, flushed batch.
//! 5. **Output.** The shell ([`shell`]) asks the database through one
//!    interface ([`shell::database::Database`]) and prints claims as the
//!    query yields them ([`Db::execute_streaming`]), as a table fitted to
//!    the terminal, or as JSON, JSONL, CSV or lines.
//!
//! Embedding programs use [`Db`] directly: typed inserts and reads, or
//! [`Db::execute`] to run a statement of the query language.

#![warn(missing_docs)]

pub mod engine;
pub mod error;
pub mod extract;
pub mod interchange;
pub mod model;
pub mod query;
pub mod server;
pub mod shell;
pub mod storage;

pub use engine::{CheckReport, ClaimEdit, Db, Stats, StatusChange, Vocabulary};
pub use error::{Error, RecordError, Result, Span};
pub use model::{Claim, ClaimId, Date, Evidence, HistoryEntry, Kind, Link, NewClaim, Relation, Source, Status};
pub use query::{ClaimList, ClaimSink, Output};
