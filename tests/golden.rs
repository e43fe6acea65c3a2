//! Golden tests: each `tests/golden/NAME.cq` script runs through the shell's
//! script runner on a fresh database, with every statement echoed before
//! its output, results and errors in one stream, the clock fixed at
//! 2024-11-20T12:00:00Z and tables 100 columns wide. The output must equal
//! `tests/golden/NAME.out` exactly.
//!
//! After a deliberate change, regenerate the expected files with
//!
//!     UPDATE_GOLDEN=1 cargo test --test golden
//!
//! and review the diff before committing it.

use claimdb::shell::runner::Runner;
use claimdb::Db;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

static NEVER: AtomicBool = AtomicBool::new(false);

/// The time golden scripts run at.
const NOW: &str = "2024-11-20T12:00:00Z";

/// Output and errors, interleaved in the order they are written.
#[derive(Clone, Default)]
struct Transcript(Arc<Mutex<Vec<u8>>>);

impl Write for Transcript {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("transcript lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn run_script(name: &str, script: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    // Scratch files the scripts write (exports) go to a fixed place, so
    // that messages naming them are the same on every run.
    let scratch = PathBuf::from("target/golden").join(name);
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch dir");
    let db = Db::open(dir.path().join("golden.db")).expect("open");
    db.set_clock(Some(chrono::DateTime::parse_from_rfc3339(NOW).expect("time").into()));
    let transcript = Transcript::default();
    let mut runner = Runner::new(db, Box::new(transcript.clone()), Box::new(transcript.clone()), &NEVER);
    runner.echo = true;
    runner.keep_going = true;
    runner.width = Some(100);
    runner.run_text(&format!("tests/golden/{name}.cq"), script);
    runner.finish();
    drop(runner);
    let bytes = transcript.0.lock().expect("transcript lock").clone();
    String::from_utf8(bytes).expect("output is UTF-8")
}

#[test]
fn golden_scripts() {
    let dir = Path::new("tests/golden");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/golden")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "cq"))
        .collect();
    scripts.sort();
    assert!(!scripts.is_empty(), "no golden scripts");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failed = Vec::new();
    for script in &scripts {
        let name = script.file_stem().and_then(|s| s.to_str()).expect("name");
        let text = std::fs::read_to_string(script).expect("script");
        let got = run_script(name, &text);
        let expected_path = script.with_extension("out");
        if update {
            std::fs::write(&expected_path, &got).expect("write golden");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            let actual_path = PathBuf::from("target/golden").join(format!("{name}.actual"));
            std::fs::write(&actual_path, &got).expect("write actual");
            failed.push(format!(
                "{} differs from {} (got {}; diff them, or UPDATE_GOLDEN=1 after review)",
                script.display(),
                expected_path.display(),
                actual_path.display()
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
