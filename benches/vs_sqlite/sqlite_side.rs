//! The SQLite side: the schema a competent user would design for the same
//! data, the bulk import of the same JSONL file, and the questions in SQL.
//!
//! Schema: `sources`, `claims`, and one row per outlet and per topic in
//! `claim_outlets` / `claim_topics` (WITHOUT ROWID, keyed by claim then
//! value, so a claim's outlets are one range read). Dates are ISO text, which
//! sorts in calendar order. Indexes are created after the rows are loaded
//! (faster than maintaining them row by row, as any bulk loader does):
//! claims(date), claims(source_id), claims(status, date),
//! sources(kind, anonymous), sources(lower(name)), outlets and topics by
//! value (NOCASE, as claimdb compares them case-insensitively).
//!
//! Text search: an FTS5 table with *external content* on `claims` (the text
//! is stored once, in `claims`; the index holds only tokens and positions),
//! built in one `rebuild` after the load. The `unicode61` tokenizer splits on
//! anything that is not a letter or digit and folds case, which is claimdb's
//! definition of a word.
//!
//! The connection runs in WAL mode with `synchronous = NORMAL`, and gets the
//! same page cache as claimdb's sled (256 MiB), so neither engine wins by
//! being given more memory. The import is one transaction, then `ANALYZE`
//! so the planner knows the data; all of it is timed.

use super::questions::{Answer, Question, Row, Shape};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

/// Page cache in KiB (negative `cache_size` is KiB): claimdb's sled default.
const CACHE_KIB: i64 = 256 * 1024;

#[derive(Deserialize)]
struct SourceIn {
    name: String,
    kind: Option<String>,
    anonymous: Option<bool>,
    affiliation: Option<String>,
}

#[derive(Deserialize)]
struct ClaimIn {
    id: i64,
    text: String,
    source: SourceIn,
    #[serde(default)]
    outlets: Vec<String>,
    date: String,
    status: Option<String>,
    rating: Option<String>,
    #[serde(default)]
    topics: Vec<String>,
}

type BoxError = Box<dyn std::error::Error>;

/// Opens a connection with the benchmark's settings.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    Ok(conn)
}

/// Removes a database and its WAL files, if present.
pub fn remove(path: &Path) -> std::io::Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// The database's size on disk: the file and its WAL side files.
pub fn size_on_disk(path: &Path) -> u64 {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            std::fs::metadata(p).ok().map(|m| m.len())
        })
        .sum()
}

/// Imports the JSONL corpus into a new database at `path`; returns the
/// number of claims imported.
pub fn import(corpus: &Path, path: &Path) -> Result<u64, BoxError> {
    remove(path)?;
    let mut conn = open(path)?;
    conn.execute_batch(
        "CREATE TABLE sources (
             id INTEGER PRIMARY KEY,
             name TEXT NOT NULL,
             kind TEXT NOT NULL,
             anonymous INTEGER NOT NULL,
             affiliation TEXT
         );
         CREATE TABLE claims (
             id INTEGER PRIMARY KEY,
             text TEXT NOT NULL,
             source_id INTEGER NOT NULL REFERENCES sources(id),
             date TEXT NOT NULL,
             status TEXT NOT NULL,
             rating TEXT
         );
         CREATE TABLE claim_outlets (
             claim_id INTEGER NOT NULL REFERENCES claims(id),
             outlet TEXT NOT NULL,
             PRIMARY KEY (claim_id, outlet)
         ) WITHOUT ROWID;
         CREATE TABLE claim_topics (
             claim_id INTEGER NOT NULL REFERENCES claims(id),
             topic TEXT NOT NULL,
             PRIMARY KEY (claim_id, topic)
         ) WITHOUT ROWID;
         CREATE VIRTUAL TABLE claims_fts USING fts5(
             text, content = 'claims', content_rowid = 'id', tokenize = 'unicode61'
         );",
    )?;
    let tx = conn.transaction()?;
    let mut n = 0u64;
    {
        let mut insert_source =
            tx.prepare("INSERT INTO sources (id, name, kind, anonymous, affiliation) VALUES (?1, ?2, ?3, ?4, ?5)")?;
        let mut insert_claim = tx.prepare(
            "INSERT INTO claims (id, text, source_id, date, status, rating) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut insert_outlet = tx.prepare("INSERT INTO claim_outlets (claim_id, outlet) VALUES (?1, ?2)")?;
        let mut insert_topic = tx.prepare("INSERT INTO claim_topics (claim_id, topic) VALUES (?1, ?2)")?;
        // Sources are shared records, identified like claimdb identifies
        // them: name, kind, anonymity and affiliation, ignoring case.
        let mut sources: HashMap<(String, String, bool, Option<String>), i64> = HashMap::new();
        let reader = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(corpus)?);
        for line in reader.lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let c: ClaimIn = serde_json::from_str(&line)?;
            let kind = c.source.kind.unwrap_or_else(|| "unknown".into());
            let anonymous = c.source.anonymous.unwrap_or(false);
            let key = (
                c.source.name.to_lowercase(),
                kind.clone(),
                anonymous,
                c.source.affiliation.as_ref().map(|a| a.to_lowercase()),
            );
            let source_id = match sources.get(&key) {
                Some(&id) => id,
                None => {
                    let id = sources.len() as i64 + 1;
                    insert_source.execute(params![id, c.source.name, kind, anonymous, c.source.affiliation])?;
                    sources.insert(key, id);
                    id
                }
            };
            insert_claim.execute(params![
                c.id,
                c.text,
                source_id,
                c.date,
                c.status.as_deref().unwrap_or("unverified"),
                c.rating
            ])?;
            for outlet in &c.outlets {
                insert_outlet.execute(params![c.id, outlet])?;
            }
            for topic in &c.topics {
                insert_topic.execute(params![c.id, topic])?;
            }
            n += 1;
        }
    }
    tx.execute_batch(
        "CREATE INDEX claims_date ON claims(date);
         CREATE INDEX claims_source ON claims(source_id);
         CREATE INDEX claims_status_date ON claims(status, date);
         CREATE INDEX sources_kind ON sources(kind, anonymous);
         CREATE INDEX sources_name ON sources(lower(name));
         CREATE INDEX outlets_value ON claim_outlets(outlet COLLATE NOCASE);
         CREATE INDEX topics_value ON claim_topics(topic COLLATE NOCASE);
         INSERT INTO claims_fts(claims_fts) VALUES ('rebuild');",
    )?;
    tx.commit()?;
    conn.execute_batch("ANALYZE;")?;
    // Closing checkpoints the WAL into the database file: part of the import.
    conn.close().map_err(|(_, e)| e)?;
    Ok(n)
}

/// Splits a `group_concat` list (unit separator) into sorted values.
fn split_list(list: Option<String>) -> Vec<String> {
    let mut items: Vec<String> = match list {
        Some(s) => s.split('\u{1f}').map(str::to_string).collect(),
        None => Vec::new(),
    };
    items.sort();
    items
}

/// A claim row as the SQL returns it: the owned values, as an application
/// would hold them (this is what is timed, like claimdb's `Vec<Claim>`).
pub struct SqlClaim {
    id: i64,
    text: String,
    date: String,
    status: String,
    rating: Option<String>,
    source: String,
    kind: String,
    anonymous: bool,
    affiliation: Option<String>,
    outlets: Option<String>,
    topics: Option<String>,
}

/// The raw result of one SQL question.
pub enum SqlResult {
    /// Claim rows.
    Claims(Vec<SqlClaim>),
    /// (value, count) rows.
    Groups(Vec<(String, i64)>),
    /// A number.
    Count(i64),
}

/// Reads a claim row of [`super::questions::CLAIM_COLUMNS`].
fn claim_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SqlClaim> {
    Ok(SqlClaim {
        id: r.get(0)?,
        text: r.get(1)?,
        date: r.get(2)?,
        status: r.get(3)?,
        rating: r.get(4)?,
        source: r.get(5)?,
        kind: r.get(6)?,
        anonymous: r.get(7)?,
        affiliation: r.get(8)?,
        outlets: r.get(9)?,
        topics: r.get(10)?,
    })
}

/// Runs a question. Statements are prepared once and cached, as an
/// application using SQLite well would do.
pub fn run(conn: &Connection, q: &Question) -> rusqlite::Result<SqlResult> {
    let mut stmt = conn.prepare_cached(&q.sql)?;
    let args = rusqlite::params_from_iter(q.args.iter());
    Ok(match q.shape {
        Shape::Claims | Shape::Ranked => {
            SqlResult::Claims(stmt.query_map(args, claim_row)?.collect::<rusqlite::Result<_>>()?)
        }
        Shape::Count => SqlResult::Count(stmt.query_row(args, |r| r.get(0))?),
        Shape::Groups => {
            SqlResult::Groups(stmt.query_map(args, |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?)
        }
    })
}

/// The engine-neutral form of a result, for the agreement check.
pub fn answer(result: SqlResult) -> Answer {
    match result {
        SqlResult::Claims(rows) => Answer::Claims(
            rows.into_iter()
                .map(|c| Row {
                    id: c.id as u64,
                    text: c.text,
                    date: c.date,
                    status: c.status,
                    rating: c.rating,
                    source: c.source,
                    kind: c.kind,
                    anonymous: c.anonymous,
                    affiliation: c.affiliation,
                    outlets: split_list(c.outlets),
                    topics: split_list(c.topics),
                })
                .collect(),
        ),
        SqlResult::Groups(rows) => Answer::Groups(rows.into_iter().map(|(v, n)| (v, n as u64)).collect()),
        SqlResult::Count(n) => Answer::Count(n as u64),
    }
}

/// The number of claims in the database (a sanity check of the import).
pub fn count(conn: &Connection) -> rusqlite::Result<u64> {
    conn.query_row("SELECT count(*) FROM claims", [], |r| r.get::<_, i64>(0)).map(|n| n as u64)
}

/// One claim by id, as an answer, for the import check.
pub fn get(conn: &Connection, id: u64) -> Result<Answer, String> {
    let mut stmt = conn.prepare_cached(&super::questions::claim_by_id_sql()).map_err(|e| e.to_string())?;
    let row = stmt.query_row([id as i64], claim_row).optional().map_err(|e| e.to_string())?;
    Ok(answer(SqlResult::Claims(row.into_iter().collect())))
}

/// The query plan SQLite picks for a question, one line per step.
pub fn explain(conn: &Connection, q: &Question) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {}", q.sql))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(q.args.iter()), |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(3)?))
    })?;
    // Indent each step under its parent, like the sqlite3 shell does.
    let mut depth: Vec<(i64, usize)> = Vec::new();
    let mut out = Vec::new();
    for row in rows {
        let (id, parent, detail) = row?;
        let level = depth.iter().find(|(i, _)| *i == parent).map_or(0, |(_, l)| l + 1);
        depth.push((id, level));
        out.push(format!("{}{detail}", "  ".repeat(level)));
    }
    Ok(out)
}

/// Answers `claim <id>` on a fresh connection: the start-to-first-answer
/// figure's SQLite side.
pub fn first_answer(path: &Path, id: u64) -> Result<Answer, BoxError> {
    // Open read-write like an application would (and like claimdb does).
    let conn = open(path)?;
    Ok(get(&conn, id)?)
}
