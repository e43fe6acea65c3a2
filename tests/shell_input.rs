//! Script input is read within limits, applied while reading: `-f
//! /dev/zero` and standard input that never sends a newline used to grow
//! memory at about 1.5 GB/s until the machine gave out. Driven through the
//! real binary.

mod common;

use common::{Dir, Run};
use std::io::Write;
use std::process::Stdio;

#[cfg(unix)]
#[test]
fn an_endless_script_file_is_refused_with_the_limit_named() {
    let dir = Dir::with_database();
    let run = dir.run(&["-f", "/dev/zero"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "claimdb: cannot run /dev/zero: line 1 is longer than 1.0 MiB (the limit for one line of a script); nothing was run\n"
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn standard_input_without_newlines_is_refused_and_nothing_runs() {
    let dir = Dir::with_database();
    let mut child = dir
        .cmd()
        .arg(dir.db())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn claimdb");
    let mut stdin = child.stdin.take().expect("stdin");
    // A statement that would write, then 2 MiB on one line: the write must
    // not happen, as nothing of a refused script runs. claimdb stops
    // reading at the limit, so the rest of the write may find the pipe
    // closed.
    let mut input = b"add claim \"should not be added\" by x on 2024-11-09\n".to_vec();
    input.extend(std::iter::repeat_n(b'x', 2 << 20));
    let _ = stdin.write_all(&input);
    drop(stdin);
    let run = Run::from(child.wait_with_output().expect("wait for claimdb"));
    run.code(2);
    assert!(run.stderr.contains("cannot run standard input: line 2 is longer than 1.0 MiB"), "{}", run.stderr);
    let count = dir.run(&["-c", "count claims"]);
    assert_eq!(count.stdout, "0 claims\n");
}

#[test]
fn long_but_reasonable_lines_still_run() {
    let dir = Dir::with_database();
    let text = "word ".repeat(10_000);
    let script =
        dir.file("long.cq", format!("add claim \"{}\" by x on 2024-11-09\ncount claims\n", text.trim()).as_bytes());
    let run = dir.run(&["-f", script.to_str().unwrap()]);
    run.code(0);
    assert_eq!(run.stdout, "added claim #1\n1 claim\n");
}
