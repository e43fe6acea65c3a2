//! claimdb against SQLite, on the same synthetic data and the same
//! questions, in one run.
//!
//! ```text
//! cargo bench --bench vs_sqlite -- --n 10000              # quick (CI)
//! cargo bench --bench vs_sqlite                            # 1,000,000 claims
//! cargo bench --bench vs_sqlite -- --n 200000 --markdown   # for BENCHMARKS.md
//! ```
//!
//! Flags (after `--`):
//!
//! | flag | default | meaning |
//! |---|---|---|
//! | `--n N` | 1000000 | number of claims |
//! | `--seed S` | 42 | generator seed |
//! | `--iters K` | 50 | timed runs of each question per engine |
//! | `--warmup W` | 3 | untimed runs before timing |
//! | `--max-secs T` | 10 | stop a question early (after at least 5 runs) once both engines together spent 2×T seconds on it |
//! | `--first-runs R` | 5 | fresh processes for start-to-first-answer (median reported) |
//! | `--process-runs P` | 5 | whole-process runs of each question per engine (median reported; 0: none) |
//! | `--data-dir DIR` | `bench-data/` | corpus cache and databases |
//! | `--keep-dbs` | off | keep both databases after the run |
//! | `--markdown` | off | print the table as Markdown, with machine info |
//! | `--explain` | off | print SQLite's query plan of each question (stderr) |
//!
//! What happens:
//!
//! 1. A seeded generator writes N claims as JSONL (the interchange format)
//!    under `bench-data/`, reused by later runs with the same N and seed.
//! 2. Each engine imports that file in its own child process (this binary
//!    re-invoked with a hidden subcommand), timed, with its peak memory read
//!    from `/proc/self/status` (VmHWM). claimdb imports through
//!    `interchange::import`; SQLite loads a normalised schema
//!    with indexes and FTS5 in one transaction (see `vs_sqlite/sqlite_side.rs`).
//! 3. Size on disk of each database, and start to first answer: a fresh
//!    process opens the database and answers `claim 1` (warm OS cache).
//! 4. The imports are compared through each engine's typed read path (so
//!    this works even while claimdb's query language does not): the claim
//!    count, and 1,000 claims spread over the ids, field by field.
//! 5. Whole process: every question is asked `P` times of each engine in a
//!    fresh process, the way a script runs `claimdb DB -c '…'`: the real
//!    `claimdb` binary, against a fresh process of this benchmark that opens
//!    SQLite with rusqlite and runs the question; both print their rows, are
//!    timed from spawn to exit, and must give the same ids (or groups).
//!    See `vs_sqlite/process.rs`.
//! 6. Every question (see `vs_sqlite/questions.rs`) is asked of both
//!    engines in this process; their answers must agree: same claims in the
//!    same order, same columns, same counts. Then each is timed, the engines
//!    alternating, and p50/p95 latency reported.
//! 7. claimdb's storage: keys per sled tree, and the size of sled's snapshot
//!    (what sled reads on every open), printed under the table.
//!
//! Exit status: 0 when everything ran and agreed; 1 when the engines
//! disagree on any answer or on what was imported (both answers are
//! printed); 3 when an engine failed (errors are listed under the table,
//! and the rest of the run still happens); 2 for bad flags.

#[path = "vs_sqlite/child.rs"]
mod child;
#[path = "vs_sqlite/claimdb_side.rs"]
mod claimdb_side;
#[path = "vs_sqlite/corpus.rs"]
mod corpus;
#[path = "vs_sqlite/process.rs"]
mod process;
#[path = "vs_sqlite/questions.rs"]
mod questions;
#[path = "vs_sqlite/report.rs"]
mod report;
#[path = "vs_sqlite/rng.rs"]
mod rng;
#[path = "vs_sqlite/sqlite_side.rs"]
mod sqlite_side;

use questions::Answer;
use report::{Cell, Figure, Unit};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// A question stops being timed after this many runs once over budget.
const MIN_ITERS: usize = 5;

/// The command-line options.
#[derive(Debug)]
struct Options {
    n: u64,
    seed: u64,
    iters: usize,
    warmup: usize,
    max_secs: f64,
    first_runs: usize,
    process_runs: usize,
    data_dir: PathBuf,
    keep_dbs: bool,
    markdown: bool,
    explain: bool,
}

const USAGE: &str = "usage: cargo bench --bench vs_sqlite -- [--n N] [--seed S] [--iters K] \
[--warmup W] [--max-secs T] [--first-runs R] [--process-runs P] [--data-dir DIR] [--keep-dbs] [--markdown] [--explain]";

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        n: 1_000_000,
        seed: 42,
        iters: 50,
        warmup: 3,
        max_secs: 10.0,
        first_runs: 5,
        process_runs: 5,
        data_dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("bench-data"),
        keep_dbs: false,
        markdown: false,
        explain: false,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value =
            |name: &str| it.next().map(|v| v.replace(['_', ','], "")).ok_or_else(|| format!("{name} needs a value"));
        let bad = |name: &str, v: &str| format!("{name}: '{v}' is not a valid value");
        match flag.as_str() {
            // cargo passes --bench to every bench binary.
            "--bench" => {}
            "--n" => {
                let v = value("--n")?;
                o.n = v.parse().map_err(|_| bad("--n", &v))?;
                if o.n == 0 {
                    return Err("--n must be at least 1".into());
                }
            }
            "--seed" => {
                let v = value("--seed")?;
                o.seed = v.parse().map_err(|_| bad("--seed", &v))?;
            }
            "--iters" => {
                let v = value("--iters")?;
                o.iters = v.parse().map_err(|_| bad("--iters", &v))?;
                o.iters = o.iters.max(1);
            }
            "--warmup" => {
                let v = value("--warmup")?;
                o.warmup = v.parse().map_err(|_| bad("--warmup", &v))?;
            }
            "--max-secs" => {
                let v = value("--max-secs")?;
                o.max_secs = v.parse().map_err(|_| bad("--max-secs", &v))?;
            }
            "--first-runs" => {
                let v = value("--first-runs")?;
                o.first_runs = v.parse().map_err(|_| bad("--first-runs", &v))?;
                o.first_runs = o.first_runs.max(1);
            }
            "--process-runs" => {
                let v = value("--process-runs")?;
                o.process_runs = v.parse().map_err(|_| bad("--process-runs", &v))?;
            }
            "--data-dir" => {
                o.data_dir = it.next().ok_or("--data-dir needs a value")?.into();
            }
            "--keep-dbs" => o.keep_dbs = true,
            "--markdown" => o.markdown = true,
            "--explain" => o.explain = true,
            "--help" | "-h" => return Err("help".into()),
            other => return Err(format!("unknown flag '{other}'")),
        }
    }
    Ok(o)
}

/// Total size of the files under `path` (a directory or a single file).
fn dir_size(path: &Path) -> u64 {
    let Ok(meta) = std::fs::metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.len();
    }
    std::fs::read_dir(path).map(|entries| entries.flatten().map(|e| dir_size(&e.path())).sum()).unwrap_or(0)
}

/// The value at percentile `p` (0..1) of sorted samples, nearest rank.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    percentile(&xs, 0.5)
}

/// Latency samples of one engine on one question, or why there are none.
type Samples = Result<Vec<f64>, String>;

/// Everything that went wrong, decided at the end into the exit status.
#[derive(Default)]
struct Problems {
    /// The engines disagree (exit 1).
    disagreements: usize,
    /// An engine failed (exit 3).
    errors: usize,
}

fn progress(msg: &str) {
    eprintln!("[vs_sqlite] {msg}");
}

/// Runs a child task, turning every failure into an error string.
fn child_task(task: &child::Task) -> Result<child::ChildReport, String> {
    let report = child::spawn(task)?;
    match &report.error {
        Some(e) => Err(e.clone()),
        None => Ok(report),
    }
}

/// Import figures (time, peak memory) of one engine, and whether it
/// imported all N claims.
fn import_figures(report: &Result<child::ChildReport, String>, n: u64, problems: &mut Problems) -> (Cell, Cell, bool) {
    match report {
        Ok(r) if r.count == Some(n) => (
            Cell::Value(r.secs),
            r.peak_kib.map_or(Cell::Error("VmHWM not available".into()), |k| Cell::Value(k as f64 * 1024.0)),
            true,
        ),
        Ok(r) => {
            problems.disagreements += 1;
            let e = format!("imported {:?} claims, expected {n}", r.count);
            (Cell::Error(e.clone()), Cell::Error(e), false)
        }
        Err(e) => {
            problems.errors += 1;
            (Cell::Error(e.clone()), Cell::Error(e.clone()), false)
        }
    }
}

/// Start to first answer: the median over `runs` fresh processes per
/// engine, alternating engines. Both must find the claim.
fn first_answer(
    o: &Options,
    claimdb_db: Option<&Path>,
    sqlite_db: Option<&Path>,
    problems: &mut Problems,
) -> (Cell, Cell) {
    let tasks = [
        claimdb_db.map(|db| child::Task::FirstClaimdb { db: db.to_path_buf(), id: 1 }),
        sqlite_db.map(|db| child::Task::FirstSqlite { db: db.to_path_buf(), id: 1 }),
    ];
    let mut secs: [Result<Vec<f64>, String>; 2] = [Ok(Vec::new()), Ok(Vec::new())];
    for _ in 0..o.first_runs {
        for (task, out) in tasks.iter().zip(secs.iter_mut()) {
            let (Some(task), Ok(samples)) = (task, out.as_mut()) else {
                continue;
            };
            match child_task(task) {
                Ok(r) if r.ids == [1] => samples.push(r.secs),
                Ok(r) => {
                    problems.disagreements += 1;
                    *out = Err(format!("`claim 1` answered with claims {:?}", r.ids));
                }
                Err(e) => {
                    problems.errors += 1;
                    *out = Err(e);
                }
            }
        }
    }
    let cell = |task: &Option<child::Task>, s: &Result<Vec<f64>, String>| match (task, s) {
        (None, _) => Cell::Error("no database (import failed)".into()),
        (_, Ok(v)) => Cell::Value(median(v.clone())),
        (_, Err(e)) => Cell::Error(e.clone()),
    };
    (cell(&tasks[0], &secs[0]), cell(&tasks[1], &secs[1]))
}

/// Whole-process latency of every question: the median over `runs` fresh
/// processes per engine, engines alternating; the answers must agree.
fn whole_process(
    o: &Options,
    questions: &[questions::Question],
    claimdb_db: Option<&Path>,
    sqlite_db: Option<&Path>,
    problems: &mut Problems,
) -> Vec<(Cell, Cell)> {
    let mut out = Vec::new();
    for q in questions {
        let mut c: Result<Vec<f64>, String> = Ok(Vec::new());
        let mut s: Result<Vec<f64>, String> = Ok(Vec::new());
        let mut answers: (Option<process::Digest>, Option<process::Digest>) = (None, None);
        for _ in 0..o.process_runs {
            if let (Some(db), Ok(samples)) = (claimdb_db, c.as_mut()) {
                match process::claimdb_once(db, &q.statement) {
                    Ok((secs, digest)) => {
                        samples.push(secs);
                        answers.0.get_or_insert(digest);
                    }
                    Err(e) => {
                        problems.errors += 1;
                        c = Err(e);
                    }
                }
            }
            if let (Some(db), Ok(samples)) = (sqlite_db, s.as_mut()) {
                match process::sqlite_once(db, q) {
                    Ok((secs, digest)) => {
                        samples.push(secs);
                        answers.1.get_or_insert(digest);
                    }
                    Err(e) => {
                        problems.errors += 1;
                        s = Err(e);
                    }
                }
            }
        }
        // Rankings are compared loosely, in process (see
        // disagreement_ranked); here only exact answers are.
        if let (Some(a), Some(b)) = &answers {
            if a != b && q.shape != questions::Shape::Ranked {
                problems.disagreements += 1;
                let show = |d: &process::Digest| match d {
                    process::Digest::Ids(ids) => format!("{} ids, first {:?}", ids.len(), &ids[..ids.len().min(10)]),
                    process::Digest::Groups(g) => format!("{} groups, first {:?}", g.len(), &g[..g.len().min(5)]),
                };
                eprintln!(
                    "\nDISAGREEMENT (whole process) on `{}`:\nclaimdb: {}\nSQLite:  {}",
                    q.statement,
                    show(a),
                    show(b)
                );
            }
        }
        let cell = |db: Option<&Path>, r: &Result<Vec<f64>, String>| match (db, r) {
            (None, _) => Cell::Error("no database (import failed)".into()),
            (_, Ok(v)) if v.is_empty() => Cell::Error("no samples".into()),
            (_, Ok(v)) => Cell::Value(median(v.clone())),
            (_, Err(e)) => Cell::Error(e.clone()),
        };
        out.push((cell(claimdb_db, &c), cell(sqlite_db, &s)));
    }
    out
}

/// claimdb's keys per tree, and the size of sled's snapshot files.
fn storage_report(path: &Path) -> Result<Vec<(String, String)>, String> {
    use claimdb::storage::{Store, StoreOptions, Tree};
    let store = Store::open(path, &StoreOptions::default()).map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    let mut total = 0;
    for tree in Tree::ALL {
        let n = store.key_count(tree);
        total += n;
        rows.push((format!("keys in `{}`", tree.name()), n.to_string()));
    }
    rows.push(("keys in all trees".into(), total.to_string()));
    drop(store);
    let mut snap = 0;
    let mut log = 0;
    for entry in std::fs::read_dir(path).map_err(|e| e.to_string())?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
        if name.starts_with("snap.") {
            snap += len;
        } else if name == "db" {
            log += len;
        }
    }
    rows.push(("sled snapshot (`snap.*`, read on every open)".into(), format!("{:.1} KiB", snap as f64 / 1024.0)));
    let blobs: u64 = std::fs::read_dir(path.join("blobs"))
        .map(|d| d.flatten().map(|e| e.metadata().map(|m| m.len()).unwrap_or(0)).sum())
        .unwrap_or(0);
    let mib = |b: u64| format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64);
    rows.push(("sled log (`db`)".into(), mib(log)));
    rows.push(("sled blobs (`blobs/`: leaves larger than 128 KiB)".into(), mib(blobs)));
    Ok(rows)
}

/// How many claims the import check compares field by field.
const IMPORT_SAMPLE: u64 = 1000;

/// Checks that both engines hold the same data, through their typed read
/// paths (so it works whatever the state of claimdb's query language): the
/// same number of claims, and the same values for a sample of claims spread
/// over the id range.
fn check_imports(o: &Options, db: Option<&claimdb::Db>, conn: Option<&rusqlite::Connection>, problems: &mut Problems) {
    let (Some(db), Some(conn)) = (db, conn) else {
        return;
    };
    let counts = (claimdb_side::count(db), sqlite_side::count(conn));
    if !matches!(&counts, (Ok(a), Ok(b)) if *a == o.n && *b == o.n) {
        problems.disagreements += 1;
        eprintln!(
            "\nDISAGREEMENT on the number of claims (expected {}):\nclaimdb: {:?}\nSQLite:  {:?}",
            o.n, counts.0, counts.1
        );
    }
    let step = (o.n / IMPORT_SAMPLE).max(1);
    let ids = (1..=o.n).step_by(step as usize).chain([o.n]);
    let mut differing = 0;
    for id in ids {
        let a = claimdb_side::get(db, id);
        let b = sqlite_side::get(conn, id);
        let report = match (&a, &b) {
            (Ok(a), Ok(b)) => questions::disagreement(a, b),
            _ => Some(format!("claimdb: {a:?}\nSQLite:  {b:?}\n")),
        };
        if let Some(report) = report {
            differing += 1;
            // A systematic difference would repeat for every claim.
            if differing <= 3 {
                eprintln!("\nDISAGREEMENT on the stored claim #{id}:\n{report}");
            }
        }
    }
    if differing > 0 {
        problems.disagreements += 1;
        eprintln!("{differing} sampled claims differ between the two imports");
    } else {
        progress("imports agree (claim count, and a sample of claims field by field)");
    }
}

/// Asks one question of both engines, checks that they agree, then times
/// it. Returns the samples of each engine, and the size of the answer.
fn ask(
    o: &Options,
    q: &questions::Question,
    db: Option<&claimdb::Db>,
    conn: Option<&rusqlite::Connection>,
    problems: &mut Problems,
) -> (Samples, Samples, Option<String>) {
    let run_claimdb = |db: &claimdb::Db| claimdb_side::run(db, &q.statement);
    let run_sqlite =
        |conn: &rusqlite::Connection| sqlite_side::run(conn, q).map_err(|e| format!("{e} (in: {})", q.sql));
    // First answers, for the agreement check.
    let c = match db {
        None => Err("no database (import failed)".to_string()),
        Some(db) => run_claimdb(db).and_then(|out| claimdb_side::answer(&out)),
    };
    let s = match conn {
        None => Err("no database (import failed)".to_string()),
        Some(conn) => run_sqlite(conn).map(sqlite_side::answer),
    };
    for r in [&c, &s] {
        if r.is_err() {
            problems.errors += 1;
        }
    }
    match (&c, &s) {
        (Ok(a), Ok(b)) if q.shape == questions::Shape::Ranked => match questions::disagreement_ranked(a, b) {
            Some(report) => {
                problems.disagreements += 1;
                eprintln!("\nDISAGREEMENT on `{}`:\n{report}", q.statement);
            }
            None => {
                let (shared, of, top) = questions::ranked_overlap(a, b).unwrap_or((0, 0, false));
                let top = if top { "the same first claim" } else { "different first claims" };
                progress(&format!("`{}`: rankings agree: {top}, {shared} of {of} in common", q.statement))
            }
        },
        (Ok(a), Ok(b)) => match questions::disagreement(a, b) {
            Some(report) => {
                problems.disagreements += 1;
                eprintln!("\nDISAGREEMENT on `{}`:\n{report}", q.statement);
            }
            None => progress(&format!("`{}`: both give {a}", q.statement)),
        },
        (a, b) => progress(&format!(
            "`{}`: claimdb: {}; SQLite: {}",
            q.statement,
            a.as_ref().map_or_else(|e| format!("error: {e}"), Answer::to_string),
            b.as_ref().map_or_else(|e| format!("error: {e}"), Answer::to_string),
        )),
    }
    let size = s.as_ref().or(c.as_ref()).ok().map(Answer::to_string);
    let mut claimdb_samples: Samples = c.map(|_| Vec::new());
    let mut sqlite_samples: Samples = s.map(|_| Vec::new());

    // Alternate the engines, and which goes first, so that neither is
    // systematically timed right after the other has warmed (or thrashed)
    // a cache, and machine noise hits both alike.
    let budget = Duration::from_secs_f64(o.max_secs * 2.0);
    let start = Instant::now();
    for i in 0..o.warmup + o.iters {
        let timed = i >= o.warmup;
        for turn in 0..2 {
            if (turn + i) % 2 == 0 {
                if let (Some(db), Ok(samples)) = (db, claimdb_samples.as_mut()) {
                    let t = Instant::now();
                    let result = run_claimdb(db);
                    let elapsed = t.elapsed().as_secs_f64();
                    match result {
                        Ok(out) => {
                            if timed {
                                samples.push(elapsed);
                            }
                            drop(out);
                        }
                        Err(e) => {
                            problems.errors += 1;
                            claimdb_samples = Err(e);
                        }
                    }
                }
            } else if let (Some(conn), Ok(samples)) = (conn, sqlite_samples.as_mut()) {
                let t = Instant::now();
                let result = run_sqlite(conn);
                let elapsed = t.elapsed().as_secs_f64();
                match result {
                    Ok(out) => {
                        if timed {
                            samples.push(elapsed);
                        }
                        drop(out);
                    }
                    Err(e) => {
                        problems.errors += 1;
                        sqlite_samples = Err(e);
                    }
                }
            }
        }
        if timed && i + 1 - o.warmup >= MIN_ITERS && start.elapsed() > budget {
            break;
        }
    }
    (claimdb_samples, sqlite_samples, size)
}

fn percentile_cell(samples: &Samples, p: f64) -> Cell {
    match samples {
        Ok(v) if v.is_empty() => Cell::Error("no samples".into()),
        Ok(v) => {
            let mut v = v.clone();
            v.sort_by(f64::total_cmp);
            Cell::Value(percentile(&v, p))
        }
        Err(e) => Cell::Error(e.clone()),
    }
}

fn run(o: &Options) -> Result<ExitCode, String> {
    let mut problems = Problems::default();
    let mut figures: Vec<Figure> = Vec::new();

    progress(&format!("corpus: {} claims, seed {}", o.n, o.seed));
    let t = Instant::now();
    let (corpus, generated) =
        corpus::ensure(&o.data_dir, o.n, o.seed).map_err(|e| format!("cannot build the corpus: {e}"))?;
    progress(&format!(
        "{} {} ({:.1} MiB, {} sources) in {:.1} s",
        if generated { "generated" } else { "reusing" },
        corpus.path.display(),
        dir_size(&corpus.path) as f64 / (1u64 << 20) as f64,
        corpus.params.sources,
        t.elapsed().as_secs_f64()
    ));

    let run_dir = o.data_dir.join(format!("dbs-n{}-s{}", o.n, o.seed));
    std::fs::create_dir_all(&run_dir).map_err(|e| format!("{}: {e}", run_dir.display()))?;
    let claimdb_path = run_dir.join("claimdb");
    let sqlite_path = run_dir.join("sqlite.db");

    // Imports, each in its own process.
    progress("importing into claimdb…");
    let c = child_task(&child::Task::ImportClaimdb { corpus: corpus.path.clone(), db: claimdb_path.clone() });
    progress(&match &c {
        Ok(r) => format!("claimdb: {:?} claims in {:.2} s", r.count, r.secs),
        Err(e) => format!("claimdb import failed: {e}"),
    });
    progress("importing into SQLite…");
    let s = child_task(&child::Task::ImportSqlite { corpus: corpus.path.clone(), db: sqlite_path.clone() });
    progress(&match &s {
        Ok(r) => format!("SQLite: {:?} claims in {:.2} s", r.count, r.secs),
        Err(e) => format!("SQLite import failed: {e}"),
    });
    let (c_time, c_mem, c_ok) = import_figures(&c, o.n, &mut problems);
    let (s_time, s_mem, s_ok) = import_figures(&s, o.n, &mut problems);
    figures.push(Figure {
        label: "import time".into(),
        subject: "import".into(),
        statement: false,
        unit: Unit::Seconds,
        claimdb: c_time,
        sqlite: s_time,
    });
    figures.push(Figure {
        label: "peak import memory (VmHWM)".into(),
        subject: "import".into(),
        statement: false,
        unit: Unit::Bytes,
        claimdb: c_mem,
        sqlite: s_mem,
    });
    let size = |ok: bool, path: &Path, size: fn(&Path) -> u64| {
        if ok {
            Cell::Value(size(path) as f64)
        } else {
            Cell::Error("no database (import failed)".into())
        }
    };
    figures.push(Figure {
        label: "size on disk".into(),
        subject: "size on disk".into(),
        statement: false,
        unit: Unit::Bytes,
        claimdb: size(c_ok, &claimdb_path, dir_size),
        sqlite: size(s_ok, &sqlite_path, sqlite_side::size_on_disk),
    });

    // Before this process opens either database: sled locks its directory,
    // and the children must find both untouched by a running reader.
    progress("start to first answer…");
    let (c_first, s_first) =
        first_answer(o, c_ok.then_some(claimdb_path.as_path()), s_ok.then_some(sqlite_path.as_path()), &mut problems);
    figures.push(Figure {
        label: "start to first answer (open, then `claim 1`)".into(),
        subject: "start to first answer".into(),
        statement: false,
        unit: Unit::Seconds,
        claimdb: c_first,
        sqlite: s_first,
    });

    // Whole process, before this process opens either database (sled locks
    // its directory).
    let questions = questions::all(&corpus.params);
    let whole = if o.process_runs > 0 {
        progress(&format!(
            "whole process: {} questions, {} fresh processes each per engine…",
            questions.len(),
            o.process_runs
        ));
        whole_process(
            o,
            &questions,
            c_ok.then_some(claimdb_path.as_path()),
            s_ok.then_some(sqlite_path.as_path()),
            &mut problems,
        )
    } else {
        Vec::new()
    };

    // Questions, in this process.
    let db = if c_ok {
        match claimdb::Db::open(&claimdb_path) {
            Ok(db) => Some(db),
            Err(e) => {
                progress(&format!("cannot open claimdb: {e}"));
                problems.errors += 1;
                None
            }
        }
    } else {
        None
    };
    let conn = if s_ok {
        match sqlite_side::open(&sqlite_path) {
            Ok(conn) => Some(conn),
            Err(e) => {
                progress(&format!("cannot open SQLite: {e}"));
                problems.errors += 1;
                None
            }
        }
    } else {
        None
    };
    check_imports(o, db.as_ref(), conn.as_ref(), &mut problems);
    progress(&format!("asking {} questions, up to {} times each…", questions.len(), o.iters));
    let mut runs = Vec::new();
    for (n, q) in questions.iter().enumerate() {
        if let (true, Some(conn)) = (o.explain, &conn) {
            match sqlite_side::explain(conn, q) {
                Ok(plan) => eprintln!("SQLite plan of `{}`:\n  {}", q.statement, plan.join("\n  ")),
                Err(e) => eprintln!("SQLite cannot explain `{}`: {e}", q.statement),
            }
        }
        let (c, s, size) = ask(o, q, db.as_ref(), conn.as_ref(), &mut problems);
        let count = |s: &Samples| s.as_ref().ok().map(Vec::len);
        runs.push((q.statement.clone(), count(&c), count(&s)));
        for (p, name) in [(0.5, "p50"), (0.95, "p95")] {
            // The answer's size helps read the latency: say it once.
            let label = match (&size, name) {
                (Some(size), "p50") => format!("{} ({name}; {size})", q.statement),
                _ => format!("{} ({name})", q.statement),
            };
            figures.push(Figure {
                label,
                subject: q.statement.clone(),
                statement: true,
                unit: Unit::Seconds,
                claimdb: percentile_cell(&c, p),
                sqlite: percentile_cell(&s, p),
            });
        }
        if let Some((c, s)) = whole.get(n) {
            figures.push(Figure {
                label: format!("{} (whole process, p50)", q.statement),
                subject: q.statement.clone(),
                statement: true,
                unit: Unit::Seconds,
                claimdb: c.clone(),
                sqlite: s.clone(),
            });
        }
    }
    drop(db);
    drop(conn);
    let storage = if c_ok { storage_report(&claimdb_path) } else { Err("no database".into()) };

    // The table.
    let machine = report::machine();
    let short_runs: Vec<String> = runs
        .iter()
        .filter(|(_, c, s)| [c, s].iter().any(|n| n.is_some_and(|n| n < o.iters)))
        .map(|(q, c, s)| {
            let n = |n: &Option<usize>| n.map_or("no".to_string(), |n| n.to_string());
            format!("`{q}`: {} claimdb / {} SQLite runs", n(c), n(s))
        })
        .collect();
    let settings = format!(
        "N = {} claims, {} sources, seed {}; {} timed runs per question after {} warm-up \
         (fewer when over {} s); start to first answer: median of {} fresh processes, warm OS cache; \
         whole process: median of {} fresh processes per question and engine, spawn to exit",
        o.n, corpus.params.sources, o.seed, o.iters, o.warmup, o.max_secs, o.first_runs, o.process_runs
    );
    if o.markdown {
        println!("**Machine:** {}\n", {
            let parts: Vec<String> = machine.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            parts.join(" · ")
        });
        println!("**Run:** {settings}\n");
        print!("{}", report::markdown(&figures));
        if !short_runs.is_empty() {
            println!("\nCut short by the time budget: {}", short_runs.join("; "));
        }
        match &storage {
            Ok(rows) => {
                println!("\n| claimdb storage | |\n|---|---:|");
                for (k, v) in rows {
                    println!("| {k} | {v} |");
                }
            }
            Err(e) => println!("\nclaimdb storage: {e}"),
        }
    } else {
        println!();
        for (k, v) in &machine {
            println!("{k:>7}: {v}");
        }
        println!("    run: {settings}\n");
        print!("{}", report::text(&figures));
        if !short_runs.is_empty() {
            println!("\ncut short by the time budget: {}", short_runs.join("; "));
        }
        match &storage {
            Ok(rows) => {
                println!();
                for (k, v) in rows {
                    println!("{k}: {v}");
                }
            }
            Err(e) => println!("\nclaimdb storage: {e}"),
        }
    }

    if !o.keep_dbs {
        let _ = std::fs::remove_dir_all(&run_dir);
    }
    if problems.disagreements > 0 {
        eprintln!("\nFAILED: the engines disagree ({} disagreement(s), printed above).", problems.disagreements);
        Ok(ExitCode::from(1))
    } else if problems.errors > 0 {
        eprintln!("\nINCOMPLETE: {} engine error(s), listed under the table.", problems.errors);
        Ok(ExitCode::from(3))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(child::SUBCOMMAND) {
        return child::main(&args[1..]);
    }
    let options = match parse_options(&args) {
        Ok(o) => o,
        Err(e) if e == "help" => {
            println!("{USAGE}\n(see the top of benches/vs_sqlite.rs for what each flag does)");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("vs_sqlite: {e}");
            ExitCode::from(2)
        }
    }
}
