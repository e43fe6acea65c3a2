//! Whole-process mode: what a script feels when it runs one process per
//! question. claimdb is the real binary, `claimdb DB --format jsonl -c
//! STATEMENT`; SQLite is the same question in a fresh process of this
//! benchmark (rusqlite: open the database, prepare, run, print each row as a
//! JSON line). Each is timed from spawn to exit, as a shell would see it,
//! and their answers are compared (claim ids in order, groups, counts).

use super::child::{self, Task};
use super::questions::{Question, Shape};
use rusqlite::types::Value;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// The claimdb binary built with this benchmark.
const CLAIMDB: &str = env!("CARGO_BIN_EXE_claimdb");

/// What a process answered, reduced to what both print alike.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Digest {
    /// Claim ids, in the order printed.
    Ids(Vec<u64>),
    /// `(value, count)` rows, in the order printed.
    Groups(Vec<(String, u64)>),
}

/// The digest of claimdb's JSONL output: one object per claim (with its
/// `id`), or per group (`{"status": …, "count": N}`).
fn claimdb_digest(stdout: &str) -> Result<Digest, String> {
    let mut ids = Vec::new();
    let mut groups = Vec::new();
    for line in stdout.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("unreadable output {line:?}: {e}"))?;
        let obj = v.as_object().ok_or_else(|| format!("unexpected output {line}"))?;
        if let Some(id) = obj.get("id").and_then(|v| v.as_u64()) {
            ids.push(id);
        } else if let (Some(n), 1) = (obj.get("count").and_then(|v| v.as_u64()), obj.len()) {
            groups.push((String::new(), n));
        } else if let (Some(n), 2) = (obj.get("count").and_then(|v| v.as_u64()), obj.len()) {
            let value = obj
                .iter()
                .find(|(k, _)| k.as_str() != "count")
                .map(|(_, v)| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .unwrap_or_default();
            groups.push((value, n));
        } else {
            return Err(format!("unexpected output {line}"));
        }
    }
    Ok(if groups.is_empty() { Digest::Ids(ids) } else { Digest::Groups(groups) })
}

/// Runs `claimdb DB --format jsonl -c STATEMENT`; seconds and digest.
pub fn claimdb_once(db: &Path, statement: &str) -> Result<(f64, Digest), String> {
    let t = Instant::now();
    let out = Command::new(CLAIMDB)
        .arg(db)
        .args(["--format", "jsonl", "-c", statement])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run claimdb: {e}"))?;
    let secs = t.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(format!("claimdb failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok((secs, claimdb_digest(&String::from_utf8_lossy(&out.stdout))?))
}

/// The question's parameters as child arguments.
fn encode_args(args: &[Value]) -> String {
    let list: Vec<serde_json::Value> = args
        .iter()
        .map(|a| match a {
            Value::Integer(i) => serde_json::json!({ "i": i }),
            Value::Text(s) => serde_json::json!({ "t": s }),
            other => serde_json::json!({ "t": format!("{other:?}") }),
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

/// The child's side: the parameters back from [`encode_args`].
pub fn decode_args(json: &str) -> Result<Vec<Value>, String> {
    let list: Vec<serde_json::Value> = serde_json::from_str(json).map_err(|e| e.to_string())?;
    list.into_iter()
        .map(|v| match (v.get("i").and_then(|i| i.as_i64()), v.get("t").and_then(|t| t.as_str())) {
            (Some(i), _) => Ok(Value::Integer(i)),
            (None, Some(t)) => Ok(Value::Text(t.to_string())),
            _ => Err(format!("bad argument {v}")),
        })
        .collect()
}

/// Runs the question in a fresh SQLite process; seconds and digest.
pub fn sqlite_once(db: &Path, q: &Question) -> Result<(f64, Digest), String> {
    let task = Task::QuerySqlite {
        db: db.to_path_buf(),
        sql: q.sql.clone(),
        args: encode_args(&q.args),
        shape: match q.shape {
            Shape::Claims | Shape::Ranked => "claims",
            Shape::Groups => "groups",
            Shape::Count => "count",
        }
        .into(),
    };
    let t = Instant::now();
    let report = child::spawn(&task)?;
    let secs = t.elapsed().as_secs_f64();
    if let Some(e) = report.error {
        return Err(e);
    }
    Ok((
        secs,
        if matches!(q.shape, Shape::Claims | Shape::Ranked) {
            Digest::Ids(report.ids)
        } else {
            Digest::Groups(report.groups)
        },
    ))
}
