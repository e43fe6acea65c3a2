//! Golden tests, one per script: each `tests/golden/FEATURE/NAME.cq` runs
//! through the shell's script runner on a fresh database, with every
//! statement echoed before its output, results and errors in one stream
//! and the clock fixed at 2024-11-20T12:00:00Z. The output must equal
//! `tests/golden/FEATURE/NAME.out` exactly.
//!
//! * `FEATURE/setup.cq`, when there is one, runs first, silently, on the
//!   same database (its statements are context, not what is tested; a
//!   failure in it fails the test with its transcript).
//! * Only `formats/` prints tables (100 columns wide), so only its files
//!   change when the table layout does. Every other folder prints in the
//!   `lines` format (`.mode lines`): one line per row, every value in full,
//!   fields separated by ` | `, nothing padded, wrapped or cut; a claim is
//!   `#ID | DATE | STATUS | SOURCE | OUTLETS | TEXT`, so planner scripts
//!   show the ids a plan finds.
//! * Files a script writes (exports) go under `target/golden/FEATURE/NAME/`,
//!   emptied before the run.
//!
//! Each script is one `#[test]` named after it (`cargo test --test golden
//! queries::dates`); `every_script_has_a_test` fails when a `.cq` file is
//! not listed below. After a deliberate change, regenerate the expected
//! files with
//!
//!     UPDATE_GOLDEN=1 cargo test --test golden
//!
//! and review the diff before committing it.

use claimdb::shell::format::Format;
use claimdb::shell::runner::Runner;
use claimdb::Db;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

static NEVER: AtomicBool = AtomicBool::new(false);

/// The time golden scripts run at.
const NOW: &str = "2024-11-20T12:00:00Z";

/// Where the scripts are.
const ROOT: &str = "tests/golden";

/// Output and errors, interleaved in the order they are written.
#[derive(Clone, Default)]
struct Transcript(Arc<Mutex<Vec<u8>>>);

impl Transcript {
    fn text(&self) -> String {
        let bytes = self.0.lock().expect("transcript lock").clone();
        String::from_utf8(bytes).expect("output is UTF-8")
    }
}

impl Write for Transcript {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("transcript lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A runner on `db` writing into a new transcript, in the folder's format.
fn runner(db: &Db, feature: &str) -> (Runner, Transcript) {
    let transcript = Transcript::default();
    let mut runner = Runner::new(db.clone(), Box::new(transcript.clone()), Box::new(transcript.clone()), &NEVER);
    runner.keep_going = true;
    runner.width = Some(100);
    runner.format = if feature == "formats" { Format::Table } else { Format::Lines };
    (runner, transcript)
}

/// Runs `FEATURE/NAME.cq` (after the folder's setup) and returns what it
/// printed.
fn run_script(script: &str) -> String {
    let (feature, name) = script.split_once('/').expect("FEATURE/NAME");
    let dir = tempfile::tempdir().expect("temp dir");
    // Scratch files the scripts write (exports) go to a fixed place, so
    // that messages naming them are the same on every run.
    let scratch = PathBuf::from("target/golden").join(feature).join(name);
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch dir");
    let db = Db::open(dir.path().join("golden.db")).expect("open");
    db.set_clock(Some(chrono::DateTime::parse_from_rfc3339(NOW).expect("time").into()));

    let setup = Path::new(ROOT).join(feature).join("setup.cq");
    if setup.exists() {
        let (mut runner, transcript) = runner(&db, feature);
        runner.keep_going = false;
        let ok = runner.run_file(&setup).expect("setup script readable");
        runner.finish();
        assert!(ok, "{} failed:\n{}", setup.display(), transcript.text());
    }

    let path = format!("{ROOT}/{script}.cq");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (mut runner, transcript) = runner(&db, feature);
    runner.echo = true;
    runner.run_text(&path, &text);
    runner.finish();
    drop(runner);
    transcript.text()
}

/// Runs one script and compares (or, with `UPDATE_GOLDEN`, writes) its
/// expected output.
fn check(script: &str) {
    let got = run_script(script);
    let expected_path = PathBuf::from(format!("{ROOT}/{script}.out"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&expected_path, &got).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if got != expected {
        let actual_path = PathBuf::from("target/golden").join(format!("{script}.actual"));
        std::fs::write(&actual_path, &got).expect("write actual");
        panic!(
            "{ROOT}/{script}.cq: the output differs from {} (got {}; diff them, or UPDATE_GOLDEN=1 after review)",
            expected_path.display(),
            actual_path.display()
        );
    }
}

/// One `#[test]` per script, in a module per folder, and the list of them.
macro_rules! golden {
    ($($feature:ident { $($test:ident: $file:literal,)* })*) => {
        $(mod $feature {
            $(#[test]
            fn $test() {
                super::check(concat!(stringify!($feature), "/", $file));
            })*
        })*
        /// Every script with a test, as `FEATURE/NAME`.
        const SCRIPTS: &[&str] = &[$($(concat!(stringify!($feature), "/", $file),)*)*];
    };
}

golden! {
    queries {
        all: "all",
        source_patterns: "source-patterns",
        outlets_topics: "outlets-topics",
        mentioning: "mentioning",
        status_rating: "status-rating",
        dates: "dates",
        where_conditions: "where",
        relations: "relations",
        counts: "counts",
        one_claim: "one-claim",
        sources: "sources",
        name_clauses: "name-clauses",
        lists: "lists",
        notes: "notes",
    }
    planner {
        filters: "filters",
        counts: "counts",
        order_limit: "order-limit",
    }
    writes {
        add: "add",
        status: "status",
        rating_evidence_relations: "rating-evidence-relations",
        edits: "edits",
        delete: "delete",
        rating_scale: "rating-scale",
        no_op_edits: "no-op-edits",
    }
    errors {
        misspellings: "misspellings",
        dates: "dates",
        names_numbers: "names-numbers",
        structure: "structure",
        missing_claims: "missing-claims",
        impossible_writes: "impossible-writes",
        meta: "meta",
        unclosed_quote: "unclosed-quote",
    }
    formats {
        json: "json",
        jsonl: "jsonl",
        csv: "csv",
        exports: "exports",
        scale: "scale",
        articles: "articles",
    }
    articles {
        extract: "extract",
        import: "import",
        like: "like",
        errors: "errors",
    }
    questions {
        as_of: "as-of",
        corroboration: "corroboration",
        track_records: "track-records",
        staleness: "staleness",
        contradictions: "contradictions",
        rated_track_records: "rated-track-records",
    }
}

#[test]
fn every_script_has_a_test() {
    let mut found = Vec::new();
    for feature in std::fs::read_dir(ROOT).expect(ROOT) {
        let feature = feature.expect("entry").path();
        assert!(feature.is_dir(), "{}: scripts go in a folder per feature", feature.display());
        for file in std::fs::read_dir(&feature).expect("feature folder") {
            let path = file.expect("entry").path();
            let stem = path.file_stem().and_then(|s| s.to_str()).expect("name").to_string();
            match path.extension().and_then(|e| e.to_str()) {
                Some("cq") if stem != "setup" => {
                    let folder = feature.file_name().and_then(|s| s.to_str()).expect("folder");
                    found.push(format!("{folder}/{stem}"));
                }
                Some("cq") | Some("out") => {}
                _ => panic!("{}: only .cq scripts and their .out files belong here", path.display()),
            }
        }
    }
    found.sort();
    let mut listed: Vec<String> = SCRIPTS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(found, listed, "every tests/golden/FEATURE/NAME.cq needs a line in golden! (and no other)");
}
