//! Names that match nothing get a note beside the answer, through the real
//! binary: on the demo, `count claims by outlet`, `claims by Reuters`,
//! `claims via Reuter` and `claims by "US officals"` answered a confident
//! zero; on LIAR2, `track record of "donald-trump"` did. The note says so,
//! names the role the name has here and the statement to try; it goes to
//! stderr, never into JSON, JSONL or CSV output; and a name that exists
//! gets no note, however empty its answer.

mod common;

use common::{repo_file, Dir, Run};

fn demo(args: &[&str]) -> Run {
    let dir = Dir::new();
    let mut cmd = dir.cmd();
    cmd.arg("--demo").args(args);
    Run::from(cmd.output().expect("run claimdb"))
}

/// Runs one statement on the demo: stdout, stderr.
fn on_demo(statement: &str) -> (String, String) {
    let run = demo(&["-c", statement]);
    run.code(0);
    (run.stdout, run.stderr)
}

#[test]
fn count_claims_by_outlet_points_to_per_outlet() {
    let (out, err) = on_demo("count claims by outlet");
    assert_eq!(out, "0 claims\n");
    assert!(err.contains("note: no source is named \"outlet\"; `per outlet` counts claims per outlet"), "{err}");
    assert!(err.contains("  try: count claims per outlet\n"), "{err}");
    let (_, err) = on_demo("claims by outlet");
    assert!(err.contains("  try: count claims per outlet\n"), "a list becomes a count: {err}");
}

#[test]
fn a_name_in_another_role_says_which() {
    let (out, err) = on_demo("claims by Reuters");
    assert_eq!(out, "no claims\n");
    assert!(err.contains("note: no source is named \"Reuters\"; Reuters is an outlet here\n"), "{err}");
    assert!(err.contains("  try: claims via Reuters\n"), "{err}");
    // The suggestion is the whole statement, other clauses kept.
    let (_, err) = on_demo("count claims by Reuters per status");
    assert!(err.contains("  try: count claims via Reuters per status\n"), "{err}");
    let (_, err) = on_demo("claims by Hamas");
    assert!(err.contains("Hamas is a topic and an affiliation here"), "{err}");
    assert!(err.contains("  try: claims about Hamas\n  try: claims by sources of Hamas\n"), "{err}");
    // And the suggestions answer: they are real statements.
    let (out, err) = on_demo("claims via Reuters");
    assert!(out.ends_with("(3 claims)\n"), "{out}");
    assert_eq!(err, "");
}

#[test]
fn misspelt_names_get_the_close_ones() {
    let (out, err) = on_demo("claims via Reuter");
    assert_eq!(out, "no claims\n");
    assert!(err.contains("note: no claim was reported via \"Reuter\"\n  try: claims via Reuters\n"), "{err}");
    let (_, err) = on_demo("claims by \"US officals\"");
    assert!(err.contains("note: no source is named \"US officals\""), "{err}");
    assert!(err.contains("  try: claims by \"US officials\"\n"), "{err}");
    let (_, err) = on_demo("claims about Qatr");
    assert!(err.contains("  try: claims about Qatar\n"), "{err}");
    let (_, err) = on_demo("claims by USA officials");
    assert!(err.contains("no source is affiliated with \"USA\"\n  try: claims by US officials\n"), "{err}");
    // Beside other names, only the misspelt one changes.
    let (out, err) = on_demo("claims via AFP or Reuter");
    assert!(out.ends_with("(4 claims)\n"), "AFP's claims are still the answer: {out}");
    assert!(err.contains("  try: claims via AFP or Reuters\n"), "{err}");
    // Nothing close: say where the names are listed.
    let (_, err) = on_demo("claims via Xyzzy");
    assert!(err.contains("note: no claim was reported via \"Xyzzy\" (`outlets` lists them)\n"), "{err}");
}

#[test]
fn a_name_that_exists_gets_no_note_however_empty_the_answer() {
    for statement in [
        "claims via Reuters with status false",
        "count claims about Qatar before 2020",
        "claims by \"US officials\" rated false",
        "track record of \"US officials\"",
        "claims rated \"pants-fire\"",
    ] {
        let (_, err) = on_demo(statement);
        assert_eq!(err, "", "{statement}");
    }
}

#[test]
fn notes_never_go_into_the_data() {
    for format in ["json", "jsonl", "csv"] {
        let run = demo(&["--format", format, "-c", "claims by Reuters", "-c", "count claims by outlet per status"]);
        run.code(0);
        assert!(!run.stdout.contains("note:"), "{format}: {}", run.stdout);
        assert!(!run.stdout.contains("try:"), "{format}: {}", run.stdout);
        assert!(run.stderr.contains("note: no source is named \"Reuters\""), "{format}: {}", run.stderr);
        assert!(
            run.stderr.contains("note: no source is named \"outlet\" (`sources` lists them)"),
            "{format}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("per outlet per status"), "no statement with two pers: {}", run.stderr);
        if format == "json" {
            let first = run.stdout.split("]\n").next().unwrap().to_string() + "]";
            let parsed: serde_json::Value = serde_json::from_str(&first).expect("the data is JSON");
            assert_eq!(parsed, serde_json::json!([]));
        }
    }
}

#[test]
fn a_track_record_of_a_misspelt_source_on_liar2() {
    let dir = Dir::new();
    let import = format!(
        "import csv \"{}\" map text = statement, source = speaker, date = date, rating = label (0 = \"pants-fire\", \
         1 = \"false\", 2 = \"barely-true\", 3 = \"half-true\", 4 = \"mostly-true\", 5 = \"true\"), \
         topics = subject split \";\", kind = \"person\"",
        repo_file("tests/data/liar2/test.csv").display()
    );
    dir.run(&["--create", "-c", &import]).code(0);
    let run = dir.run(&["-c", "track record of \"donald-trump\""]);
    run.code(0);
    assert_eq!(run.stdout, "no claims\n");
    assert!(run.stderr.contains("note: no source is named \"donald-trump\"\n"), "{}", run.stderr);
    assert!(run.stderr.contains("  try: track record of \"donald trump\"\n"), "{}", run.stderr);
    // A rating on the scale no claim has, where claims have its grade
    // under another spelling.
    let run = dir.run(&["-c", "count claims rated mostly-false"]);
    assert_eq!(run.stdout, "0 claims\n");
    assert!(
        run.stderr.contains("claims are rated \"barely-true\", the same grade on the politifact scale"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("  try: count claims rated barely-true\n"), "{}", run.stderr);
    let run = dir.run(&["-c", "count claims rated barely-true"]);
    assert_eq!(run.stdout, "360 claims\n");
}

#[test]
fn notes_are_told_through_the_library_too() {
    use claimdb::query::{Context, Note};
    use std::cell::RefCell;
    let db = claimdb::Db::temporary().unwrap();
    db.execute("add claim \"x\" by someone via Reuters on 2024-11-09").unwrap();
    let notes: RefCell<Vec<Note>> = RefCell::new(Vec::new());
    let keep = |n: Note| notes.borrow_mut().push(n);
    let text = "claims by Reuters";
    let out = db.execute_with(text, &Context { notes: &keep, ..Context::default() }).unwrap();
    assert!(out.claims().unwrap().is_empty());
    let notes = notes.into_inner();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].try_instead(text), vec!["claims via Reuters".to_string()]);
    let span = notes[0].span.unwrap();
    assert_eq!(&text[span.start..span.end], "Reuters");
    // Without a callback, nothing is told and nothing fails.
    db.execute(text).unwrap();
}
