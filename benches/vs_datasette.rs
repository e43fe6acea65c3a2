//! `claimdb serve` against Datasette serving the same data as SQLite:
//! requests per second and latency at 8 concurrent clients, for the
//! benchmark's questions, each through its own JSON API.
//!
//! ```text
//! cargo bench --bench vs_datasette -- --n 200000 --secs 10 --markdown
//! ```
//!
//! Flags (after `--`):
//!
//! | flag | default | meaning |
//! |---|---|---|
//! | `--n N` | 1000000 | number of claims (the corpus of `vs_sqlite`, same generator) |
//! | `--seed S` | 42 | generator seed |
//! | `--clients C` | 8 | concurrent clients, each on its own keep-alive connection |
//! | `--secs T` | 10 | how long each question is loaded, per server |
//! | `--max-requests R` | 200000 | stop a question's load after this many requests |
//! | `--data-dir DIR` | `bench-data/` | corpus and databases, built once and reused |
//! | `--one-shot-runs K` | 30 | timed one-shot runs per question and side (0 skips them) |
//! | `--markdown` | off | print the table as Markdown |
//!
//! What happens: the corpus of `benches/vs_sqlite` (same generator, same
//! parameters) is imported into a claimdb database and, with the schema,
//! indexes and FTS5 table of `vs_sqlite/sqlite_side.rs`, into SQLite. Then
//! `claimdb serve` (this build's binary) and `datasette serve --immutable`
//! (PyPI's `datasette`, when installed: without Python or Datasette the
//! Datasette rows are skipped with a note) each serve their database on a
//! free loopback port. For each question both answers are fetched once and
//! must agree (the same claim ids in the same order, or the same counts);
//! then C clients send the question back to back for T seconds, and the
//! throughput and the p50/p99 of the answer times are reported. Datasette
//! is given room to answer in full: `max_returned_rows` above any answer's
//! size and a 60 s SQL time limit.
//!
//! Then the one-shot figures ([`one_shot`]): for the `limit 20` questions,
//! the count and the claim by id, a fresh `claimdb DB -c STATEMENT` while
//! `claimdb serve` holds DB (so it goes through the server), against a
//! fresh process that opens the SQLite file and asks the same, and the
//! `sqlite3` shell when installed; the p50 and p95 of the wall time from
//! spawn to exit.
//!
//! Exit status: 0 when everything ran and agreed, 1 when the answers
//! disagree, 2 for bad flags, 3 when a server failed.

#![allow(dead_code)] // the shared modules have parts only vs_sqlite uses

#[path = "vs_sqlite/claimdb_side.rs"]
mod claimdb_side;
#[path = "vs_sqlite/corpus.rs"]
mod corpus;
#[path = "vs_datasette/one_shot.rs"]
mod one_shot;
#[path = "vs_sqlite/questions.rs"]
mod questions;
#[path = "vs_sqlite/rng.rs"]
mod rng;
#[path = "vs_sqlite/sqlite_side.rs"]
mod sqlite_side;

use questions::{Question, Shape};
use rusqlite::types::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Options {
    n: u64,
    seed: u64,
    clients: usize,
    secs: f64,
    max_requests: u64,
    data_dir: PathBuf,
    one_shot_runs: usize,
    markdown: bool,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        n: 1_000_000,
        seed: 42,
        clients: 8,
        secs: 10.0,
        max_requests: 200_000,
        data_dir: PathBuf::from("bench-data"),
        one_shot_runs: 30,
        markdown: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--n" => o.n = value("--n")?.parse().map_err(|e| format!("--n: {e}"))?,
            "--seed" => o.seed = value("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--clients" => o.clients = value("--clients")?.parse().map_err(|e| format!("--clients: {e}"))?,
            "--secs" => o.secs = value("--secs")?.parse().map_err(|e| format!("--secs: {e}"))?,
            "--max-requests" => {
                o.max_requests = value("--max-requests")?.parse().map_err(|e| format!("--max-requests: {e}"))?
            }
            "--data-dir" => o.data_dir = PathBuf::from(value("--data-dir")?),
            "--one-shot-runs" => {
                o.one_shot_runs = value("--one-shot-runs")?.parse().map_err(|e| format!("--one-shot-runs: {e}"))?
            }
            "--markdown" => o.markdown = true,
            "--bench" => {} // cargo bench passes it
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if o.clients == 0 || o.secs <= 0.0 {
        return Err("--clients and --secs must be above 0".into());
    }
    Ok(o)
}

/// A server under test, killed when dropped.
struct Served {
    child: Child,
    base: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(0)
}

fn start_claimdb(db: &Path) -> Result<Served, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_claimdb"))
        .arg("serve")
        .arg(db)
        .args(["--listen", "127.0.0.1:0", "--statement-timeout", "120"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null()) // one log line per request would be the bottleneck's noise
        .spawn()
        .map_err(|e| format!("cannot start claimdb serve: {e}"))?;
    let mut lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
    let addr = loop {
        let line = lines.next().ok_or("claimdb serve exited")?.map_err(|e| e.to_string())?;
        if let Some(at) = line.find("http://") {
            break line[at + 7..].trim_end_matches('/').split('/').next().unwrap_or("").to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Ok(Served { child, base: format!("http://{addr}") })
}

fn start_datasette(db: &Path) -> Result<Served, String> {
    let port = free_port();
    let child = Command::new("datasette")
        .arg("serve")
        .arg("--immutable")
        .arg(db)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--setting", "max_returned_rows", "1000000"])
        .args(["--setting", "sql_time_limit_ms", "60000"])
        .args(["--setting", "num_sql_threads", "3"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("datasette is not installed ({e}); pip install datasette"))?;
    let served = Served { child, base: format!("http://127.0.0.1:{port}") };
    let agent = agent();
    for _ in 0..600 {
        if agent.get(format!("{}/-/versions.json", served.base)).call().is_ok() {
            return Ok(served);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err("datasette did not start answering".into())
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(300))).build().into()
}

fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The request URL of a question for each server.
fn claimdb_url(base: &str, q: &Question) -> String {
    format!("{base}/v1/query?q={}", encode(&q.statement))
}

fn datasette_url(base: &str, db_name: &str, q: &Question) -> String {
    // Datasette takes named parameters: ?1 becomes :p1.
    let mut sql = q.sql.clone();
    for i in (1..=q.args.len()).rev() {
        sql = sql.replace(&format!("?{i}"), &format!(":p{i}"));
    }
    let mut url = format!("{base}/{db_name}.json?_shape=arrays&sql={}", encode(&sql));
    for (i, arg) in q.args.iter().enumerate() {
        let value = match arg {
            Value::Text(t) => t.clone(),
            Value::Integer(n) => n.to_string(),
            other => format!("{other:?}"),
        };
        url.push_str(&format!("&p{}={}", i + 1, encode(&value)));
    }
    url
}

/// An answer reduced to what both APIs must agree on: claim ids in order,
/// or (value, count) pairs.
fn claimdb_answer(body: &str, shape: Shape) -> Result<Vec<String>, String> {
    let v: serde_json::Value = serde_json::from_str(body).map_err(|e| format!("claimdb: {e}"))?;
    let rows = v.as_array().ok_or("claimdb: not an array")?;
    Ok(rows
        .iter()
        .map(|r| match shape {
            Shape::Claims | Shape::Ranked => r["id"].to_string(),
            Shape::Count => r["count"].to_string(),
            Shape::Groups => {
                let value = r.as_object().and_then(|o| o.iter().find(|(k, _)| *k != "count")).map(|(_, v)| v.clone());
                format!("{}={}", value.unwrap_or_default().as_str().unwrap_or(""), r["count"])
            }
        })
        .collect())
}

fn datasette_answer(body: &str, shape: Shape) -> Result<Vec<String>, String> {
    let v: serde_json::Value = serde_json::from_str(body).map_err(|e| format!("datasette: {e}"))?;
    if v["ok"] == false {
        return Err(format!("datasette: {}", v["error"]));
    }
    if v["truncated"] == true {
        return Err("datasette truncated the answer".into());
    }
    let rows = v["rows"].as_array().ok_or("datasette: no rows")?;
    Ok(rows
        .iter()
        .map(|r| match shape {
            Shape::Claims | Shape::Ranked | Shape::Count => r[0].to_string(),
            Shape::Groups => format!("{}={}", r[0].as_str().unwrap_or(""), r[1]),
        })
        .collect())
}

/// What loading one URL gave.
struct Load {
    requests: u64,
    failures: u64,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Load {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
    fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let i = ((self.latencies.len() as f64 * p).ceil() as usize).clamp(1, self.latencies.len()) - 1;
        self.latencies[i]
    }
}

/// `clients` threads sending `url` back to back, for `secs` or until
/// `max` requests in all.
fn load(url: &str, clients: usize, secs: f64, max: u64) -> Load {
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(secs);
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let (url, stop, sent) = (url.to_string(), stop.clone(), sent.clone());
            std::thread::spawn(move || {
                let agent = agent();
                let mut latencies = Vec::new();
                let mut failures = 0;
                while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                    if sent.fetch_add(1, Ordering::Relaxed) >= max {
                        break;
                    }
                    let t = Instant::now();
                    let ok = agent
                        .get(&url)
                        .call()
                        .and_then(|mut r| r.body_mut().with_config().limit(1 << 30).read_to_vec())
                        .is_ok();
                    if ok {
                        latencies.push(t.elapsed());
                    } else {
                        failures += 1;
                    }
                }
                (latencies, failures)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut failures = 0;
    for h in handles {
        let (l, f) = h.join().unwrap_or_default();
        latencies.extend(l);
        failures += f;
    }
    stop.store(true, Ordering::Relaxed);
    let elapsed = started.elapsed();
    latencies.sort();
    Load { requests: latencies.len() as u64, failures, elapsed, latencies }
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

/// The questions loaded: a list with its full answer, the `limit 20`
/// forms of four kinds of question, a count and a claim by id.
fn chosen(all: Vec<Question>) -> Vec<Question> {
    let wanted = |s: &str| {
        (s.starts_with("claims with status") && !s.ends_with("limit 20"))
            || (s.ends_with("limit 20")
                && (s.starts_with("claims by \"")
                    || s.starts_with("claims with status")
                    || s.starts_with("claims mentioning")
                    || s.starts_with("claims by anonymous")))
            || s == "count claims per status"
            || s.starts_with("claim ")
    };
    all.into_iter().filter(|q| wanted(&q.statement)).collect()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(one_shot::SUBCOMMAND) {
        return one_shot::child_main(&args[1..]);
    }
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("vs_datasette: {e}");
            return ExitCode::from(2);
        }
    };
    let (corpus, made) = match corpus::ensure(&o.data_dir, o.n, o.seed) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("vs_datasette: cannot make the corpus: {e}");
            return ExitCode::from(3);
        }
    };
    eprintln!("corpus: {} ({})", corpus.path.display(), if made { "generated" } else { "cached" });
    let claimdb_db = o.data_dir.join(format!("serve-claimdb-n{}-s{}.db", o.n, o.seed));
    let sqlite_db = o.data_dir.join(format!("serve-sqlite-n{}-s{}.sqlite", o.n, o.seed));
    if !claimdb_db.join("conf").exists() {
        eprintln!("importing into claimdb…");
        if let Err(e) = claimdb_side::import(&corpus.path, &claimdb_db) {
            eprintln!("vs_datasette: claimdb import: {e}");
            return ExitCode::from(3);
        }
    }
    if !sqlite_db.exists() {
        eprintln!("importing into SQLite…");
        let tmp = sqlite_db.with_extension("sqlite.partial");
        let _ = sqlite_side::remove(&tmp);
        if let Err(e) = sqlite_side::import(&corpus.path, &tmp).map_err(|e| e.to_string()).and_then(|_| {
            // Datasette opens it read-only: fold the WAL in first.
            let conn = sqlite_side::open(&tmp).map_err(|e| e.to_string())?;
            conn.pragma_update(None, "journal_mode", "DELETE").map_err(|e| e.to_string())?;
            drop(conn);
            std::fs::rename(&tmp, &sqlite_db).map_err(|e| e.to_string())
        }) {
            eprintln!("vs_datasette: SQLite import: {e}");
            return ExitCode::from(3);
        }
    }
    // A ranking is compared loosely (see vs_sqlite); the server table
    // compares exact answers only.
    let all = questions::all(&corpus.params).into_iter().filter(|q| !matches!(q.shape, Shape::Ranked)).collect();
    let questions = chosen(all);
    let claimdb = match start_claimdb(&claimdb_db) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("vs_datasette: {e}");
            return ExitCode::from(3);
        }
    };
    let datasette = match start_datasette(&sqlite_db) {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("vs_datasette: note: Datasette rows skipped: {e}");
            None
        }
    };
    let db_name = sqlite_db.file_stem().and_then(|s| s.to_str()).unwrap_or("db").to_string();
    let agent = agent();
    let fetch = |url: &str| -> Result<String, String> {
        agent
            .get(url)
            .call()
            .map_err(|e| e.to_string())?
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_string()
            .map_err(|e| e.to_string())
    };
    let mut rows = Vec::new();
    let mut disagree = false;
    for q in &questions {
        let curl = claimdb_url(&claimdb.base, q);
        let mine = fetch(&curl).and_then(|b| claimdb_answer(&b, q.shape));
        let theirs = datasette
            .as_ref()
            .map(|d| fetch(&datasette_url(&d.base, &db_name, q)).and_then(|b| datasette_answer(&b, q.shape)));
        let size = match &mine {
            Ok(a) => a.len(),
            Err(e) => {
                eprintln!("vs_datasette: claimdb failed on {}: {e}", q.statement);
                return ExitCode::from(3);
            }
        };
        if let Some(Err(e)) = &theirs {
            eprintln!("vs_datasette: Datasette failed on {}: {e}", q.statement);
            return ExitCode::from(3);
        }
        if let Some(Ok(t)) = &theirs {
            if mine.as_ref().ok() != Some(t) {
                eprintln!("vs_datasette: the answers to {} disagree ({} rows against {})", q.statement, size, t.len());
                disagree = true;
                continue;
            }
        }
        eprintln!("loading {} ({size} rows)…", q.statement);
        let c = load(&curl, o.clients, o.secs, o.max_requests);
        let d =
            datasette.as_ref().map(|d| load(&datasette_url(&d.base, &db_name, q), o.clients, o.secs, o.max_requests));
        rows.push((q.statement.clone(), size, c, d));
    }
    print_table(&o, &rows, datasette.is_some());
    drop(datasette);
    if o.one_shot_runs > 0 {
        let one_shot_questions: Vec<&Question> = questions
            .iter()
            .filter(|q| {
                q.statement.ends_with("limit 20") || q.shape == Shape::Groups || q.statement.starts_with("claim ")
            })
            .collect();
        let mut timed = Vec::new();
        for q in one_shot_questions {
            eprintln!("one-shot runs of {}…", q.statement);
            match one_shot::measure(&claimdb_db, &sqlite_db, q, o.one_shot_runs) {
                Ok(t) => timed.push((q.statement.clone(), t)),
                Err(e) => {
                    eprintln!("vs_datasette: one-shot {}: {e}", q.statement);
                    return ExitCode::from(3);
                }
            }
        }
        print_one_shot(&o, &timed);
    }
    drop(claimdb);
    if disagree {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_one_shot(o: &Options, rows: &[(String, one_shot::Times)]) {
    println!(
        "\nOne-shot: a fresh process per question, spawn to exit, {} runs each (after 3 warm-up runs), in turn; \
         claimdb through the running server",
        o.one_shot_runs
    );
    let shell = rows.iter().any(|(_, t)| t.shell.is_some());
    if o.markdown {
        println!();
        println!("| question | `claimdb DB -c` via server p50 (p95) | SQLite, fresh process p50 (p95) | claimdb/SQLite | `sqlite3` shell p50 (p95) | claimdb/`sqlite3` |");
        println!("|---|---:|---:|---:|---:|---:|");
    }
    for (statement, t) in rows {
        let (c50, c95) = one_shot::p50_p95(&t.claimdb);
        let (r50, r95) = one_shot::p50_p95(&t.rusqlite);
        let ratio = |a: Duration, b: Duration| format!("{:.2}", a.as_secs_f64() / b.as_secs_f64().max(1e-9));
        let (s, sratio) = match &t.shell {
            Some(s) => {
                let (s50, s95) = one_shot::p50_p95(s);
                (format!("{} ({})", ms(s50), ms(s95)), ratio(c50, s50))
            }
            None => ("–".into(), "–".into()),
        };
        if o.markdown {
            println!(
                "| `{statement}` | {} ({}) | {} ({}) | {} | {s} | {sratio} |",
                ms(c50),
                ms(c95),
                ms(r50),
                ms(r95),
                ratio(c50, r50)
            );
        } else {
            println!(
                "{statement}\n  claimdb -c via server {:>9} (p95 {:>9})\n  SQLite fresh process  {:>9} (p95 {:>9})  claimdb/SQLite {}{}",
                ms(c50),
                ms(c95),
                ms(r50),
                ms(r95),
                ratio(c50, r50),
                if shell { format!("\n  sqlite3 shell         {s}  claimdb/sqlite3 {sratio}") } else { String::new() }
            );
        }
    }
}

fn print_table(o: &Options, rows: &[(String, usize, Load, Option<Load>)], with_datasette: bool) {
    let head = format!(
        "N = {} claims, {} clients, {} s per question and server; {}",
        o.n,
        o.clients,
        o.secs,
        if with_datasette { "Datasette serving the same data as SQLite" } else { "Datasette not run" }
    );
    if o.markdown {
        println!("{head}\n");
        println!("| question (rows) | claimdb req/s | Datasette req/s | claimdb/Datasette | claimdb p50 | claimdb p99 | Datasette p50 | Datasette p99 |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    } else {
        println!("{head}");
    }
    for (statement, size, c, d) in rows {
        let (drps, ratio, dp50, dp99) = match d {
            Some(d) => (
                format!("{:.0}", d.rps()),
                format!("{:.2}", c.rps() / d.rps().max(1e-9)),
                ms(d.percentile(0.5)),
                ms(d.percentile(0.99)),
            ),
            None => ("–".into(), "–".into(), "–".into(), "–".into()),
        };
        let failures = c.failures + d.as_ref().map_or(0, |d| d.failures);
        let note = if failures > 0 { format!(" ({failures} failed requests)") } else { String::new() };
        if o.markdown {
            println!(
                "| `{statement}` ({size}){note} | {:.0} | {drps} | {ratio} | {} | {} | {dp50} | {dp99} |",
                c.rps(),
                ms(c.percentile(0.5)),
                ms(c.percentile(0.99))
            );
        } else {
            println!(
                "{statement} ({size} rows){note}\n  claimdb   {:>8.0} req/s  p50 {:>9}  p99 {:>9}\n  Datasette {:>8} req/s  p50 {:>9}  p99 {:>9}  (claimdb/Datasette {ratio})",
                c.rps(),
                ms(c.percentile(0.5)),
                ms(c.percentile(0.99)),
                drps,
                dp50,
                dp99
            );
        }
    }
}
