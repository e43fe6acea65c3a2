//! The README's tours run on the demo and answer something: every
//! statement in the tables of "A tour of the language" and "Questions other
//! trackers do not answer" is run by the real binary on `--demo`, and must
//! succeed with a non-empty answer and no note (a note means a name in it
//! matches nothing). A tour row answering `no claims` taught new users that
//! the tool was broken; this keeps the README and the demo in step.

mod common;

use common::BIN;
use std::process::Command;

/// The words a read begins with.
const READS: &[&str] = &[
    "claims",
    "count",
    "claim",
    "history",
    "sources",
    "outlets",
    "topics",
    "kinds",
    "affiliations",
    "ratings",
    "track",
    "explain",
    "unresolved",
];

/// The statements in the second column of the README's tour tables.
fn tour_statements() -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let mut out = Vec::new();
    let mut in_tour = false;
    for line in readme.lines() {
        if line.starts_with("## ") || line.starts_with("### ") {
            in_tour = line.contains("A tour of the language") || line.contains("Questions other trackers");
            continue;
        }
        if !in_tour || !line.starts_with("| ") || line.starts_with("| question") {
            continue;
        }
        let Some(cell) = line.split(" | ").nth(1) else { continue };
        // Backticked pieces that begin a read; a piece with `…` is a
        // pattern, and `as of` or `duplicates` are words of one.
        for (i, piece) in cell.split('`').enumerate() {
            let first = piece.split_whitespace().next().unwrap_or("");
            if i % 2 == 1 && !piece.contains('…') && READS.contains(&first) {
                out.push(piece.to_string());
            }
        }
    }
    out
}

#[test]
fn every_statement_of_the_readme_tours_answers_something_on_the_demo() {
    let statements = tour_statements();
    assert!(statements.len() > 40, "the tables were found: {statements:?}");
    let mut failures = Vec::new();
    for statement in &statements {
        let out = Command::new(BIN)
            .args(["--demo", "--format", "lines", "-c", statement])
            .env("CLAIMDB_NOW", "2024-11-20T12:00:00Z")
            .output()
            .expect("run claimdb");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let empty = stdout.trim().is_empty()
            || stdout.starts_with("no ")
            || stdout.trim() == "0 claims"
            || stdout.contains("(0 ");
        if out.status.code() != Some(0) || empty || stderr.contains("note:") {
            failures.push(format!("{statement}\n  exit {:?}\n  stdout: {stdout}  stderr: {stderr}", out.status.code()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} tour statements:\n{}",
        failures.len(),
        statements.len(),
        failures.join("\n")
    );
}
