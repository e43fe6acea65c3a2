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
//! 2. **AST → plan.** `query::planner` looks at the filters, estimates how
//!    many claims each index would yield (from block headers only; it
//!    reads no claim), and builds a `query::plan`: here the posting list
//!    of the source-kind index for anonymous officials, the date index
//!    judged too broad to help, a walk in date order, and the date kept
//!    as a residual check on each candidate. The plan is the one place
//!    where decisions are made (access paths, intersections, unions and
//!    differences of posting lists, residual checks, order, limit and
//!    count strategies); `explain` prints it, so it shows what runs.
//! 3. **Plan → results.** `query::executor` carries the plan out and
//!    decides nothing: it reads the posting lists, loads the candidate
//!    claims, applies the residual checks and sends the claims, in order,
//!    to a [`ClaimSink`], stopping early at a `limit`. It returns a typed
//!    [`query::Output`]; names that matched nothing become notes for the
//!    caller ([`query::Context`]).
//! 4. **Storage.** [`engine`] keeps the records and their indexes in step
//!    on every write, each write one atomic, flushed batch (imports and
//!    [`Db::atomic`] units under an undo journal); `engine::keys` owns
//!    every stored key and value layout; [`storage`] is sled, the codec and
//!    the marker that witnesses acknowledged writes.
//! 5. **Output.** The shell ([`shell`]) asks the database through one
//!    interface ([`shell::database::Database`]), or a running
//!    [`server`] through its socket, and prints claims as the query yields
//!    them ([`Db::execute_streaming`]), as a table fitted to the terminal,
//!    or as JSON, JSONL, CSV or lines. Files in and out go through
//!    [`interchange`] (one entry point per direction, one module per
//!    format); articles are read by [`extract`].
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
