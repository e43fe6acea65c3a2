//! `claimdb DB --atomic …`: a whole script is one unit. Every statement
//! is atomic on its own; with `--atomic` a script that fails part-way, or
//! is killed, keeps none of its writes, and one that succeeds keeps all.

mod common;

use claimdb::Db;
use common::{export, Dir};
use std::io::{BufRead, BufReader};
use std::process::Stdio;

/// A database with one claim; returns the directory and its export.
fn one_claim() -> (Dir, Vec<u8>) {
    let dir = Dir::new();
    dir.run(&["--create", "-c", "add claim \"First\" by desk via AFP on 2024-11-01"]).code(0);
    let before = export(&Db::open(dir.db()).unwrap());
    (dir, before)
}

const WRITES: [&str; 4] = [
    "-c",
    "add claim \"Second\" by desk via Reuters on 2024-11-02",
    "-c",
    "set status of claim 1 to confirmed on 2024-11-03",
];

#[test]
fn a_script_that_fails_keeps_none_of_its_writes() {
    let (dir, before) = one_claim();
    let run = dir.run(&[&["--atomic"][..], &WRITES, &["-c", "claim 99"]].concat());
    run.code(1);
    // The statements ran and said so; then the unit was rolled back.
    assert!(
        run.stdout.contains("added claim #2") && run.stdout.contains("claim #1 is now confirmed"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("no claim #99"), "{}", run.stderr);
    assert!(run.stderr.contains("none of its writes were kept (--atomic)"), "{}", run.stderr);
    let db = Db::open(dir.db()).unwrap();
    assert_eq!(export(&db), before, "the database is as it was");
    assert!(db.check().unwrap().is_ok());
    // Without --atomic, the same script keeps what ran before the failure.
    drop(db);
    dir.run(&[&WRITES[..], &["-c", "claim 99"]].concat()).code(1);
    assert_eq!(dir.run(&["-c", "count claims"]).stdout, "2 claims\n");
}

#[test]
fn a_script_that_succeeds_keeps_all_its_writes_and_reads_see_them() {
    let (dir, _) = one_claim();
    let run = dir.run(&[&["--atomic"][..], &WRITES, &["-c", "count claims with status confirmed"]].concat());
    run.code(0);
    assert!(run.stdout.ends_with("1 claim\n"), "a read inside the unit sees its writes: {}", run.stdout);
    assert_eq!(dir.run(&["-c", "count claims"]).stdout, "2 claims\n");
    // Piped scripts and files too.
    let script = dir.file("s.cq", b"add claim \"Third\" by desk on 2024-11-04\nclaim 1\n");
    dir.run(&["--atomic", "-f", script.to_str().unwrap()]).code(0);
    let run = dir.pipe(&["--atomic"], b"add claim \"Fourth\" by desk on 2024-11-05\nclams\n");
    run.code(1);
    assert!(run.stderr.contains("<stdin>:2:1"), "{}", run.stderr);
    assert_eq!(dir.run(&["-c", "count claims"]).stdout, "3 claims\n", "the piped script kept nothing");
}

#[test]
fn a_failed_import_inside_the_unit_takes_the_rest_with_it() {
    let (dir, before) = one_claim();
    let good = dir.file("good.jsonl", b"{\"text\": \"Imported\", \"source\": \"wire\", \"date\": \"2024-11-06\"}\n");
    let bad = dir.file("bad.jsonl", b"{\"text\": \"no date\", \"source\": \"wire\"}\n");
    let import = |p: &std::path::Path| format!("import \"{}\"", p.display());
    let run =
        dir.run(&["--atomic", "-c", &import(&good), "-c", "add claim \"x\" by y on 2024-11-07", "-c", &import(&bad)]);
    run.code(1);
    assert!(run.stdout.contains("imported 1 claim"), "{}", run.stdout);
    assert_eq!(export(&Db::open(dir.db()).unwrap()), before);
}

#[test]
fn a_script_killed_inside_the_unit_is_rolled_back_at_the_next_open() {
    let (dir, before) = one_claim();
    // The script writes, then waits on a FIFO that nobody writes to: the
    // process is inside the unit, its writes made, when it is killed.
    let fifo = dir.path().join("wait.fifo");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
    let script = format!("add claim \"Second\" by desk on 2024-11-02\n.read {}\n", fifo.display());
    let script = dir.file("s.cq", script.as_bytes());
    let mut child = dir
        .cmd()
        .arg(dir.db())
        .args(["--atomic", "-f", script.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line, "added claim #2\n");
    child.kill().unwrap();
    child.wait().unwrap();
    let db = Db::open(dir.db()).unwrap();
    assert!(db.open_notes().iter().any(|n| n.contains("rolled back")), "{:?}", db.open_notes());
    assert_eq!(export(&db), before, "the killed unit left nothing");
    assert!(db.check().unwrap().is_ok());
}

#[test]
fn atomic_is_refused_where_it_cannot_hold() {
    let (dir, _) = one_claim();
    let run = dir.run(&["--atomic", "--keep-going", "-c", "count claims"]);
    run.code(2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}
