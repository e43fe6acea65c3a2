//! Work done in child processes: the bench binary re-invokes itself with a
//! hidden `__child` subcommand, so that each import's peak memory (VmHWM) is
//! that engine's alone, and so that start-to-first-answer is measured in a
//! process that has never touched the database.
//!
//! The child prints one JSON line ([`ChildReport`]) on stdout; its stderr
//! goes straight to the terminal. An engine error is a report, not a crash:
//! only a panic or a signal makes the child itself fail.

use super::{claimdb_side, sqlite_side};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The hidden subcommand.
pub const SUBCOMMAND: &str = "__child";

/// What a child did.
#[derive(Debug, Serialize, Deserialize)]
pub struct ChildReport {
    /// Seconds the task took, measured inside the child (process start-up
    /// is the same binary for both engines, so it is left out).
    pub secs: f64,
    /// Peak resident memory of the child, in KiB (`VmHWM`), if known.
    pub peak_kib: Option<u64>,
    /// Claims imported (imports).
    pub count: Option<u64>,
    /// Ids of the claims answered (first answers, whole-process questions),
    /// for the agreement check.
    pub ids: Vec<u64>,
    /// `(value, count)` rows answered (whole-process questions).
    #[serde(default)]
    pub groups: Vec<(String, u64)>,
    /// The engine's error, if the task failed.
    pub error: Option<String>,
}

/// A task for a child.
#[derive(Debug, Clone)]
pub enum Task {
    /// Import the corpus into claimdb.
    ImportClaimdb {
        /// The JSONL corpus.
        corpus: PathBuf,
        /// The database directory (replaced).
        db: PathBuf,
    },
    /// Import the corpus into SQLite.
    ImportSqlite {
        /// The JSONL corpus.
        corpus: PathBuf,
        /// The database file (replaced).
        db: PathBuf,
    },
    /// Open claimdb and answer `claim <id>`.
    FirstClaimdb {
        /// The database directory.
        db: PathBuf,
        /// The claim to fetch.
        id: u64,
    },
    /// Open SQLite and answer the same.
    FirstSqlite {
        /// The database file.
        db: PathBuf,
        /// The claim to fetch.
        id: u64,
    },
    /// Open SQLite, run one question, print its rows (whole-process mode).
    QuerySqlite {
        /// The database file.
        db: PathBuf,
        /// The SQL.
        sql: String,
        /// Its parameters, as `process::decode_args` reads them.
        args: String,
        /// What it returns: `claims`, `groups` or `count`.
        shape: String,
    },
}

impl Task {
    fn to_args(&self) -> Vec<String> {
        let p = |p: &Path| p.display().to_string();
        match self {
            Task::ImportClaimdb { corpus, db } => vec!["import-claimdb".into(), p(corpus), p(db)],
            Task::ImportSqlite { corpus, db } => vec!["import-sqlite".into(), p(corpus), p(db)],
            Task::FirstClaimdb { db, id } => vec!["first-claimdb".into(), p(db), id.to_string()],
            Task::FirstSqlite { db, id } => vec!["first-sqlite".into(), p(db), id.to_string()],
            Task::QuerySqlite { db, sql, args, shape } => {
                vec!["query-sqlite".into(), p(db), sql.clone(), args.clone(), shape.clone()]
            }
        }
    }

    fn from_args(args: &[String]) -> Option<Task> {
        let id = |s: &String| s.parse().ok();
        Some(match args {
            [t, corpus, db] if t == "import-claimdb" => Task::ImportClaimdb { corpus: corpus.into(), db: db.into() },
            [t, corpus, db] if t == "import-sqlite" => Task::ImportSqlite { corpus: corpus.into(), db: db.into() },
            [t, db, n] if t == "first-claimdb" => Task::FirstClaimdb { db: db.into(), id: id(n)? },
            [t, db, n] if t == "first-sqlite" => Task::FirstSqlite { db: db.into(), id: id(n)? },
            [t, db, sql, args, shape] if t == "query-sqlite" => {
                Task::QuerySqlite { db: db.into(), sql: sql.clone(), args: args.clone(), shape: shape.clone() }
            }
            _ => return None,
        })
    }
}

/// The peak resident set size of this process, in KiB.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn ids(answer: &super::questions::Answer) -> Vec<u64> {
    match answer {
        super::questions::Answer::Claims(rows) => rows.iter().map(|r| r.id).collect(),
        _ => Vec::new(),
    }
}

/// Runs a task in this (child) process and prints its report. `args` are
/// the arguments after the subcommand.
pub fn main(args: &[String]) -> std::process::ExitCode {
    let Some(task) = Task::from_args(args) else {
        eprintln!("bad child arguments: {args:?}");
        return std::process::ExitCode::from(2);
    };
    let start = Instant::now();
    let mut report =
        ChildReport { secs: 0.0, peak_kib: None, count: None, ids: Vec::new(), groups: Vec::new(), error: None };
    let outcome: Result<(), String> = match &task {
        Task::ImportClaimdb { corpus, db } => claimdb_side::import(corpus, db).map(|n| report.count = Some(n)),
        Task::ImportSqlite { corpus, db } => {
            sqlite_side::import(corpus, db).map(|n| report.count = Some(n)).map_err(|e| e.to_string())
        }
        Task::FirstClaimdb { db, id } => {
            claimdb_side::first_answer(db, &format!("claim {id}")).map(|a| report.ids = ids(&a))
        }
        Task::FirstSqlite { db, id } => {
            sqlite_side::first_answer(db, *id).map(|a| report.ids = ids(&a)).map_err(|e| e.to_string())
        }
        Task::QuerySqlite { db, sql, args, shape } => query_sqlite(db, sql, args, shape, &mut report),
    };
    report.secs = start.elapsed().as_secs_f64();
    report.peak_kib = peak_kib();
    report.error = outcome.err();
    println!("{}", serde_json::to_string(&report).expect("reports serialise"));
    std::process::ExitCode::SUCCESS
}

/// Opens SQLite, runs one question and prints its rows as JSON lines, as
/// claimdb's `--format jsonl` does, recording the ids or groups.
fn query_sqlite(db: &Path, sql: &str, args: &str, shape: &str, report: &mut ChildReport) -> Result<(), String> {
    use super::questions::{Answer, Question, Shape};
    use std::io::Write;
    let conn = sqlite_side::open(db).map_err(|e| e.to_string())?;
    let q = Question {
        statement: String::new(),
        sql: sql.to_string(),
        args: super::process::decode_args(args)?,
        shape: match shape {
            "groups" => Shape::Groups,
            "count" => Shape::Count,
            _ => Shape::Claims,
        },
    };
    let answer = sqlite_side::answer(sqlite_side::run(&conn, &q).map_err(|e| e.to_string())?);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match answer {
        Answer::Claims(rows) => {
            for r in rows {
                let line = serde_json::json!({
                    "id": r.id, "text": r.text, "date": r.date, "status": r.status, "rating": r.rating,
                    "source": {"name": r.source, "kind": r.kind, "anonymous": r.anonymous, "affiliation": r.affiliation},
                    "outlets": r.outlets, "topics": r.topics,
                });
                let _ = writeln!(out, "{line}");
                report.ids.push(r.id);
            }
        }
        Answer::Groups(rows) => {
            for (value, n) in rows {
                let _ = writeln!(out, "{}", serde_json::json!({ "value": value, "count": n }));
                report.groups.push((value, n));
            }
        }
        Answer::Count(n) => {
            let _ = writeln!(out, "{}", serde_json::json!({ "count": n }));
            report.groups.push((String::new(), n));
        }
    }
    let _ = out.flush();
    Ok(())
}

/// Runs a task in a fresh child process and returns its report, or why the
/// child itself failed.
pub fn spawn(task: &Task) -> Result<ChildReport, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find own binary: {e}"))?;
    let output = Command::new(exe)
        .arg(SUBCOMMAND)
        .args(task.to_args())
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start child: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().rev().find(|l| !l.trim().is_empty());
    match (output.status.success(), last) {
        (true, Some(line)) => {
            serde_json::from_str(line).map_err(|e| format!("child printed an unreadable report ({e}): {line}"))
        }
        _ => Err(format!("child failed ({}) for {task:?}", output.status)),
    }
}
