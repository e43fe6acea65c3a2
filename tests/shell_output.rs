//! What the shell prints when the output is read by a program or a narrow
//! terminal: nothing dropped or cut, one JSON document per statement (and
//! a note when there are several), errors with the caret on the fault.
//! Driven through the real binary on the bundled sample.

mod common;

use common::{repo_file, Dir};

/// A directory with the sample claims loaded.
fn sample() -> Dir {
    let dir = Dir::with_database();
    let script = repo_file("examples/qatar-mediation.cq");
    dir.run(&["-f", script.to_str().expect("path")]).code(0);
    dir
}

#[test]
fn piped_tables_in_80_columns_keep_every_outlet_and_word() {
    let dir = sample();
    let mut cmd = dir.cmd();
    cmd.arg(dir.db()).env("COLUMNS", "80").args(["-c", "claims order by id"]);
    let run = common::Run::from(cmd.output().expect("run"));
    run.code(0);
    for line in run.stdout.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
    assert!(!run.stdout.contains('…'), "{}", run.stdout);
    assert!(run.stdout.contains("by example Hamas official (anon., Hamas) via Reuters, AFP"), "{}", run.stdout);
    let flat = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Qatar will cease its efforts to broker a Gaza ceasefire agreement until Hamas and Israel will show willingness to return to the negotiating table"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with("(10 claims)\n"), "{}", run.stdout);
}

#[test]
fn several_json_results_come_with_a_note_naming_jsonl() {
    let dir = sample();
    let run = dir.run(&["--format", "json", "-c", "count claims", "-c", "claims by US officials"]);
    run.code(0);
    assert!(run.stdout.starts_with("[\n{\"count\":10}\n]\n[\n"), "{}", run.stdout);
    assert!(run.stderr.contains("several JSON documents; use --format jsonl"), "{}", run.stderr);
    // One statement: one document, and no note.
    let run = dir.run(&["--format", "json", "-c", "claims by US officials"]);
    let parsed: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    assert_eq!(parsed.as_array().map(Vec::len), Some(2));
    assert_eq!(run.stderr, "");
    // JSONL reads as one stream however many statements.
    let run = dir.run(&["--format", "jsonl", "-c", "count claims", "-c", "claims by US officials"]);
    assert_eq!(run.stdout.lines().count(), 3);
    assert_eq!(run.stderr, "");
}

#[test]
fn a_nul_byte_in_a_write_is_pointed_at() {
    let dir = sample();
    // A NUL cannot be passed as an argument: it comes in a script.
    let script = dir.file("nul.cq", b"count claims\nadd claim \"a\0b\" by x on 2024-11-09\n");
    let run = dir.run(&["-f", script.to_str().expect("path")]);
    run.code(1);
    let at = format!("{}:2:13: error: this statement contains a NUL byte", script.display());
    assert!(run.stderr.starts_with(&at), "{}", run.stderr);
    assert!(run.stderr.contains("            ^"), "the caret is under the NUL:\n{}", run.stderr);
}

#[test]
fn the_lines_format_prints_every_value_in_full() {
    let dir = sample();
    let run = dir.run(&["--format", "lines", "-c", "claims by US officials", "-c", "count claims per outlet"]);
    run.code(0);
    assert_eq!(
        run.stdout,
        "#4 | 2024-11-09 | retracted | US officials (anon., US) |  | Hamas political office, open in Doha since 2012, “no longer serves its purpose”\n\
         #5 | 2024-11-09 | denied | US officials (anon., US) |  | There is an impasse in the negotiations\n\
         (2 claims)\n\
         AFP | 4\n\
         Reuters | 3\n\
         AP | 2\n\
         (3 outlets)\n"
    );
}
