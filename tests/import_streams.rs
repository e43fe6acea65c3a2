//! Imports from what is not a plain file, through the real binary: a pipe
//! (`/dev/stdin`), a FIFO, `/dev/zero`, and files starting with a byte
//! order mark (issue 13, items 4, 7 and 14).
//!
//! Before: a 3,000-row CSV through a pipe reported "imported 2744 claims"
//! (the header was read by a first open that swallowed 256 rows), a FIFO
//! hung, `/dev/zero` grew memory by 1.5 GB/s in every format, and a BOM
//! gave "expected value (column 1)".

mod common;

use common::{Dir, Run};
use std::io::Write;
use std::process::{Command, Stdio};

/// A CSV of `n` rows in the mapped layout.
fn mapped_csv(n: usize) -> String {
    let mut text = String::from("statement,speaker,date\n");
    for i in 0..n {
        text.push_str(&format!("\"claim number {i}, quoted\",speaker {},2024-11-{:02}\n", i % 7, i % 28 + 1));
    }
    text
}

const MAP: &str = "map text = statement, source = speaker, date = date";

fn count(dir: &Dir) -> String {
    dir.run(&["-c", "count claims"]).code(0).stdout.clone()
}

#[test]
fn a_csv_through_a_pipe_keeps_every_row() {
    let dir = Dir::new();
    let run = dir.pipe(&["-c", &format!("import csv \"/dev/stdin\" {MAP}")], mapped_csv(3000).as_bytes());
    run.code(0);
    assert_eq!(run.stdout.trim(), "imported 3000 claims (#1–#3000); rejected 0 records");
    assert_eq!(count(&dir).trim(), "3000 claims");
}

#[test]
fn every_format_reads_from_a_pipe() {
    let dir = Dir::new();
    dir.run(&["-c", "add claim \"piped\" by someone via Reuters on 2024-11-09 about Qatar"]).code(0);
    for (format, file) in
        [("jsonl", "all.jsonl"), ("json", "all.json"), ("csv", "all.csv"), ("claimreview", "all.jsonld")]
    {
        dir.run(&["-c", &format!("export to \"{file}\"")]).code(0);
        let other = Dir::new();
        let content = std::fs::read(dir.path().join(file)).unwrap();
        let run = other.pipe(&["-c", &format!("import {format} \"/dev/stdin\"")], &content);
        run.code(0);
        assert_eq!(run.stdout.trim(), "imported 1 claim (#1); rejected 0 records", "{format}");
        let shown = other.run(&["-c", "claims via Reuters about Qatar"]).code(0).stdout.clone();
        assert!(shown.contains("piped"), "{format}: {shown}");
    }
}

/// Runs `claimdb DB -c STATEMENT` while a thread writes `content` into the
/// FIFO `name`; a guard kills claimdb if it waits past a minute, so that a
/// regression fails instead of hanging the suite.
fn through_fifo(dir: &Dir, name: &str, content: Vec<u8>, statement: &str) -> Run {
    let fifo = dir.path().join(name);
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
    let writer = std::thread::spawn(move || {
        // Opening blocks until claimdb opens the FIFO for reading.
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&fifo) {
            let _ = f.write_all(&content);
        }
    });
    let mut cmd = dir.cmd();
    cmd.arg(dir.db()).args(["-c", statement]).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    for _ in 0..600 {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    if child.try_wait().unwrap().is_none() {
        let _ = child.kill();
        // Let the writer finish: open the FIFO for reading and drain it.
        let _ = std::fs::read(dir.path().join(name));
        panic!("claimdb still waiting on the FIFO after a minute: {statement}");
    }
    let run = Run::from(child.wait_with_output().unwrap());
    writer.join().unwrap();
    run
}

#[test]
fn a_csv_from_a_fifo_is_read_once_and_does_not_hang() {
    let dir = Dir::new();
    let run = through_fifo(&dir, "rows.csv", mapped_csv(500).into_bytes(), &format!("import csv \"rows.csv\" {MAP}"));
    run.code(0);
    assert_eq!(run.stdout.trim(), "imported 500 claims (#1–#500); rejected 0 records");
    // A FIFO named .json is looked at (array or ClaimReview?) and read once.
    let json = b"[{\"text\": \"from a fifo\", \"source\": \"s\", \"date\": \"2024-11-09\"}]".to_vec();
    let run = through_fifo(&dir, "claims.json", json, "import \"claims.json\"");
    run.code(0);
    assert_eq!(run.stdout.trim(), "imported 1 claim (#501); rejected 0 records");
}

/// The largest resident set of any child process waited for so far, in KiB.
fn children_peak_kib() -> i64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) }, 0);
    usage.ru_maxrss
}

#[test]
fn dev_zero_is_refused_with_the_limit_named_in_every_format() {
    let dir = Dir::new();
    dir.run(&["-c", "add claim \"kept\" by someone on 2024-11-09"]).code(0);
    dir.run(&["-c", "export to \"before.jsonl\""]).code(0);
    let cases = [
        ("import \"/dev/zero\"", "line 1 of /dev/zero is longer than 64 MiB, the most one record may take"),
        ("import json \"/dev/zero\"", "/dev/zero is not a JSON array of claims"),
        (
            "import csv \"/dev/zero\" map text = a, source = b, date = c",
            "line 1 of /dev/zero starts a row longer than 64 MiB, the most one record may take",
        ),
        ("import csv \"/dev/zero\"", "line 1 of /dev/zero starts a row longer than 64 MiB"),
        ("import claimreview \"/dev/zero\"", "/dev/zero is not valid JSON: expected value at line 1, column 1"),
    ];
    for (statement, want) in cases {
        let run = dir.run(&["-c", statement]);
        run.code(1);
        assert!(run.stderr.contains(want), "{statement}:\n{}", run.stderr);
    }
    // Memory stayed within the limits (64 MiB a record, read into buffers
    // that may double), nowhere near "1.5 GB a second".
    let peak = children_peak_kib();
    assert!(peak < 400 * 1024, "a claimdb process peaked at {peak} KiB");
    // Nothing changed.
    dir.run(&["-c", "export to \"after.jsonl\""]).code(0);
    assert_eq!(
        std::fs::read(dir.path().join("before.jsonl")).unwrap(),
        std::fs::read(dir.path().join("after.jsonl")).unwrap()
    );
}

#[test]
fn a_byte_order_mark_is_passed_over_in_every_format() {
    let dir = Dir::new();
    let bom = "\u{feff}";
    let files = [
        ("bom.jsonl", format!("{bom}{{\"text\": \"jsonl\", \"source\": \"s\", \"date\": \"2024-11-09\"}}\n")),
        ("bom.json", format!("{bom}[{{\"text\": \"json\", \"source\": \"s\", \"date\": \"2024-11-09\"}}]")),
        (
            "bom.jsonld",
            format!(
                "{bom}{{\"@context\": \"https://schema.org\", \"@type\": \"ClaimReview\", \"claimReviewed\": \"jsonld\", \"itemReviewed\": {{\"author\": {{\"name\": \"s\"}}, \"datePublished\": \"2024-11-09\"}}}}"
            ),
        ),
        ("bom.csv", format!("{bom}statement,speaker,date\ncsv,s,2024-11-09\n")),
    ];
    for (name, content) in &files {
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    for statement in [
        "import \"bom.jsonl\"".to_string(),
        "import \"bom.json\"".to_string(),
        "import \"bom.jsonld\"".to_string(),
        format!("import \"bom.csv\" {MAP}"),
    ] {
        let run = dir.run(&["-c", &statement]);
        run.code(0);
        assert!(run.stdout.starts_with("imported 1 claim"), "{statement}: {}{}", run.stdout, run.stderr);
    }
    let texts = dir.run(&["--format", "csv", "-c", "claims"]).code(0).stdout.clone();
    for text in ["jsonl", "json", "jsonld", "csv"] {
        assert!(texts.contains(&format!(",{text},")), "{text} missing:\n{texts}");
    }
    // The CSV header's first column is `statement`, not `\u{feff}statement`.
    let run = dir.run(&["-c", "import \"bom.csv\" map text = statment, source = speaker, date = date"]);
    assert!(run.stderr.contains("its columns are: statement, speaker, date"), "{}", run.stderr);
}

#[test]
fn the_restore_of_a_pipe_reads_it_whole() {
    let dir = Dir::new();
    for n in 0..50 {
        dir.run(&["-c", &format!("add claim \"claim {n}\" by someone on 2024-11-09")]).code(0);
    }
    dir.run(&["-c", ".backup backup.jsonl"]).code(0);
    let backup = std::fs::read(dir.path().join("backup.jsonl")).unwrap();
    let other = Dir::new();
    let mut cmd = Command::new(common::BIN);
    cmd.current_dir(other.path())
        .env("CLAIMDB_HISTORY", other.path().join("history"))
        .arg(other.db())
        .args(["-c", ".restore /dev/stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(&backup).unwrap();
    let run = Run::from(child.wait_with_output().unwrap());
    run.code(0);
    assert!(run.stdout.contains("imported 50 claims"), "{}", run.stdout);
}
