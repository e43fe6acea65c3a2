//! One-shot questions from the command line: a fresh `claimdb DB -c
//! STATEMENT` process while `claimdb serve` holds DB (so the statement goes
//! through the server's Unix socket), against a fresh process that opens
//! the SQLite file and asks the same question (this bench binary re-invoked
//! with a hidden subcommand: rusqlite, opened as `sqlite3 DB 'SQL'` opens
//! it, rows printed `|`-separated as the `sqlite3` shell prints them), and
//! the `sqlite3` shell itself when it is installed. Each figure is the wall
//! time from spawning the process to its exit, its output read and
//! dropped; the three are run in turn, so that load on the machine falls
//! on each alike.

use super::questions::Question;
use rusqlite::types::Value;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// The hidden subcommand of the SQLite side.
pub const SUBCOMMAND: &str = "__sqlite_one_shot";

/// Untimed runs of each before timing.
const WARMUP: usize = 3;

/// The SQLite side, in the child: `DB SQL ARGS_JSON`. Prints the rows.
pub fn child_main(args: &[String]) -> ExitCode {
    let [db, sql, params] = args else {
        eprintln!("usage: {SUBCOMMAND} DB SQL ARGS_JSON");
        return ExitCode::from(2);
    };
    match ask(Path::new(db), sql, params) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sqlite one-shot: {e}");
            ExitCode::from(1)
        }
    }
}

fn ask(db: &Path, sql: &str, params: &str) -> Result<(), Box<dyn std::error::Error>> {
    use std::io::Write;
    let params: Vec<serde_json::Value> = serde_json::from_str(params)?;
    let params: Vec<Value> = params
        .into_iter()
        .map(|v| match v {
            serde_json::Value::Number(n) => Value::Integer(n.as_i64().unwrap_or_default()),
            serde_json::Value::String(s) => Value::Text(s),
            other => Value::Text(other.to_string()),
        })
        .collect();
    let conn = rusqlite::Connection::open(db)?;
    let mut stmt = conn.prepare(sql)?;
    let columns = stmt.column_count();
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    while let Some(row) = rows.next()? {
        for i in 0..columns {
            if i > 0 {
                out.write_all(b"|")?;
            }
            match row.get_ref(i)? {
                rusqlite::types::ValueRef::Null => {}
                rusqlite::types::ValueRef::Integer(n) => write!(out, "{n}")?,
                rusqlite::types::ValueRef::Real(f) => write!(out, "{f}")?,
                rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => out.write_all(t)?,
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// The question's SQL with its parameters written in as literals, for the
/// `sqlite3` shell.
fn inlined(q: &Question) -> String {
    let mut sql = q.sql.clone();
    for (i, arg) in q.args.iter().enumerate().rev() {
        let literal = match arg {
            Value::Integer(n) => n.to_string(),
            Value::Text(t) => format!("'{}'", t.replace('\'', "''")),
            other => format!("'{other:?}'"),
        };
        sql = sql.replace(&format!("?{}", i + 1), &literal);
    }
    sql
}

/// Wall times of one question, per side.
pub struct Times {
    /// `claimdb DB -c STATEMENT`, through the server.
    pub claimdb: Vec<Duration>,
    /// A fresh rusqlite process.
    pub rusqlite: Vec<Duration>,
    /// The `sqlite3` shell, when installed.
    pub shell: Option<Vec<Duration>>,
}

/// Runs `cmd` to its end, its output read; the time it took, or why it
/// failed. `check` looks at (stdout, stderr) of a run that succeeded.
fn timed(mut cmd: Command, check: &dyn Fn(&str, &str) -> Result<(), String>) -> Result<Duration, String> {
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let start = Instant::now();
    let out = cmd.output().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let took = start.elapsed();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if !out.status.success() {
        return Err(format!("{cmd:?} failed ({}): {stderr}", out.status));
    }
    check(&stdout, &stderr)?;
    Ok(took)
}

/// Times `runs` one-shot runs of `q` on each side (after warm-up runs).
pub fn measure(claimdb_db: &Path, sqlite_db: &Path, q: &Question, runs: usize) -> Result<Times, String> {
    let claimdb = || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_claimdb"));
        cmd.arg(claimdb_db).arg("-c").arg(&q.statement).env_remove("COLUMNS");
        cmd
    };
    let through_server = |stdout: &str, stderr: &str| {
        if !stderr.contains("statements go through it") {
            return Err(format!("claimdb did not go through the server: {stderr}"));
        }
        if stdout.is_empty() {
            return Err("claimdb printed nothing".into());
        }
        Ok(())
    };
    let params = serde_json::Value::Array(
        q.args
            .iter()
            .map(|a| match a {
                Value::Integer(n) => serde_json::json!(n),
                Value::Text(t) => serde_json::json!(t),
                other => serde_json::json!(format!("{other:?}")),
            })
            .collect(),
    )
    .to_string();
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let rusqlite = || {
        let mut cmd = Command::new(&exe);
        cmd.arg(SUBCOMMAND).arg(sqlite_db).arg(&q.sql).arg(&params);
        cmd
    };
    let printed =
        |stdout: &str, _: &str| if stdout.is_empty() { Err("SQLite printed nothing".to_string()) } else { Ok(()) };
    let shell_sql = inlined(q);
    let shell = || {
        let mut cmd = Command::new("sqlite3");
        cmd.arg(sqlite_db).arg(&shell_sql);
        cmd
    };
    let has_shell = Command::new("sqlite3").arg("-version").output().is_ok_and(|o| o.status.success());
    let mut times = Times { claimdb: Vec::new(), rusqlite: Vec::new(), shell: has_shell.then(Vec::new) };
    for i in 0..WARMUP + runs {
        let c = timed(claimdb(), &through_server)?;
        let r = timed(rusqlite(), &printed)?;
        let s = match has_shell {
            true => Some(timed(shell(), &printed)?),
            false => None,
        };
        if i >= WARMUP {
            times.claimdb.push(c);
            times.rusqlite.push(r);
            if let (Some(all), Some(s)) = (times.shell.as_mut(), s) {
                all.push(s);
            }
        }
    }
    Ok(times)
}

/// The median and the 95th percentile.
pub fn p50_p95(times: &[Duration]) -> (Duration, Duration) {
    let mut sorted = times.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return (Duration::ZERO, Duration::ZERO);
    }
    let at = |p: f64| sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1];
    (at(0.5), at(0.95))
}
