//! The `claimdb` binary driven from outside: arguments, scripts, stdin,
//! formats, error messages and exit codes.
//!
//! Tests marked `needs the query executor` run real statements; they are
//! ignored until `Db::execute` is implemented.

mod common;

use common::{Dir, Run};
use std::path::{Path, PathBuf};

fn sample_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/qatar-mediation.cq")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts").join(name)
}

#[test]
fn help_shows_examples_and_exit_codes() {
    let dir = Dir::with_database();
    let run = Run::from(dir.cmd().arg("--help").output().unwrap());
    run.code(0);
    for want in [
        "--demo",
        "-c, --command <STATEMENT>",
        "-f, --file <FILE>",
        "--format <FORMAT>",
        "--keep-going",
        "Examples:",
        "claims by anonymous officials after 2024-11-01",
        "0  everything ran",
        "1  a statement or meta command failed",
        "2  usage error",
    ] {
        assert!(run.stdout.contains(want), "missing {want:?}:\n{}", run.stdout);
    }
}

#[test]
fn version_is_the_package_version() {
    let dir = Dir::with_database();
    let run = Run::from(dir.cmd().arg("--version").output().unwrap());
    run.code(0);
    assert_eq!(run.stdout.trim(), format!("claimdb {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn usage_errors_exit_2() {
    let dir = Dir::with_database();
    let run = dir.run(&["--format", "xml"]);
    run.code(2);
    assert!(run.stderr.contains("xml"), "{}", run.stderr);
    Run::from(dir.cmd().args(["--demo", "x.db"]).output().unwrap()).code(2);
    Run::from(dir.cmd().arg("--no-such-flag").output().unwrap()).code(2);
}

#[test]
fn command_runs_a_meta_command() {
    let dir = Dir::with_database();
    let run = dir.run(&["-c", ".stats"]);
    run.code(0);
    assert!(run.stdout.starts_with("claims "), "{}", run.stdout);
    assert!(run.stdout.contains("  unverified"), "{}", run.stdout);
    assert!(run.stdout.contains("size on disk"), "{}", run.stdout);
    assert_eq!(run.stderr, "");
}

#[test]
fn default_database_is_claims_db_in_the_current_directory() {
    let dir = Dir::new();
    // Without a PATH, a batch run needs ./claims.db or --create: a run in
    // the wrong directory must not answer from a new, empty database.
    let run = Run::from(dir.cmd().args(["-c", "count claims"]).output().unwrap());
    run.code(2);
    assert!(run.stderr.contains("there is no database claims.db here"), "{}", run.stderr);
    assert!(run.stderr.contains("--create"), "{}", run.stderr);
    assert!(!dir.path().join("claims.db").exists(), "nothing was created");
    let run = Run::from(dir.cmd().args(["--create", "-c", ".check"]).output().unwrap());
    run.code(0);
    assert_eq!(run.stderr, "created new database claims.db\n");
    assert!(run.stdout.contains("ok: no problems found"), "{}", run.stdout);
    assert!(dir.path().join("claims.db").is_dir());
    assert!(!dir.path().join("history").exists(), "no history outside the REPL");
    // Now it exists: used without a word.
    let run = Run::from(dir.cmd().args(["-c", "count claims"]).output().unwrap());
    run.code(0);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("0 claims\n", ""));
}

#[test]
fn a_new_database_is_announced_and_a_missing_directory_refused() {
    let dir = Dir::new();
    let run = Run::from(dir.cmd().args(["news.db", "-c", "count claims"]).output().unwrap());
    run.code(0);
    assert_eq!(run.stderr, "created new database news.db\n");
    let run = Run::from(dir.cmd().args(["news.db", "-c", "count claims"]).output().unwrap());
    assert_eq!(run.stderr, "", "an existing database is opened quietly");
    // A mistyped directory is not created along the way.
    let run = Run::from(dir.cmd().args(["nwes/today.db", "-c", "count claims"]).output().unwrap());
    run.code(2);
    assert!(
        run.stderr.contains("cannot create the database nwes/today.db: the directory nwes does not exist"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--create"), "{}", run.stderr);
    assert!(!dir.path().join("nwes").exists());
    let run = Run::from(dir.cmd().args(["--create", "new/dir/today.db", "-c", "count claims"]).output().unwrap());
    run.code(0);
    assert_eq!(run.stderr, "created new database new/dir/today.db\n");
    assert!(dir.path().join("new/dir/today.db").is_dir());
}

#[test]
fn script_file_runs_meta_commands() {
    let dir = Dir::with_database();
    let script = dir.file("s.cq", b"-- settings\n.mode csv\n\n.check;\n# done\n");
    let run = dir.run(&["-f", script.to_str().unwrap()]);
    run.code(0);
    assert_eq!(run.stdout, "ok,claims,sources,index_entries,links,problems\ntrue,0,0,0,0,\n");
}

#[test]
fn piped_stdin_is_a_script_without_banner_or_prompt() {
    let dir = Dir::with_database();
    let run = dir.pipe(&[], b".mode jsonl\n.check\n");
    run.code(0);
    assert_eq!(
        run.stdout,
        "{\"ok\":true,\"claims\":0,\"sources\":0,\"index_entries\":0,\"links\":0,\"problems\":[]}\n"
    );
    assert_eq!(run.stderr, "");
    assert!(!dir.path().join("history").exists());
}

#[test]
fn format_json_prints_an_array() {
    let dir = Dir::with_database();
    let run = dir.run(&["--format", "json", "-c", ".stats"]);
    run.code(0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let stats = &value[0];
    assert_eq!(stats["claims"], 0);
    assert_eq!(stats["next_id"], 1);
    let statuses: Vec<&String> = stats["per_status"].as_object().unwrap().keys().collect();
    assert_eq!(statuses.len(), 7);
}

#[test]
fn format_csv_has_a_header_row() {
    let dir = Dir::with_database();
    let run = dir.run(&["--format", "csv", "-c", ".stats"]);
    run.code(0);
    let mut lines = run.stdout.lines();
    assert_eq!(lines.next(), Some("claims,per_status,sources,per_outlet,size_on_disk,next_id"));
    assert!(lines.next().unwrap().starts_with("0,unverified: 0; corroborated: 0"));
}

#[test]
fn failing_script_line_reports_file_line_col_and_stops() {
    let dir = Dir::with_database();
    let script = dir.file("bad.cq", b"-- a script\n.mode csv\n\n  .mdoe json\n.check\n");
    let run = dir.run(&["-f", script.to_str().unwrap()]);
    run.code(1);
    let origin = script.display().to_string();
    assert!(run.stderr.starts_with(&format!("{origin}:4:3: error: unknown meta command .mdoe\n")), "{}", run.stderr);
    assert!(run.stderr.contains("4 |   .mdoe json\n"), "{}", run.stderr);
    assert!(run.stderr.contains("  |   ^^^^^\n"), "{}", run.stderr);
    assert!(run.stderr.contains("= help: did you mean .mode?"), "{}", run.stderr);
    assert_eq!(run.stdout, "", "nothing runs after the error");
}

#[test]
fn failing_statement_reports_its_position_in_the_file() {
    let dir = Dir::with_database();
    let script = dir.file("bad.cq", b".mode csv\n-- next: a typo\n   clams by Reuters\n.check\n");
    let run = dir.run(&["-f", script.to_str().unwrap()]);
    run.code(1);
    let origin = script.display().to_string();
    assert!(run.stderr.starts_with(&format!("{origin}:3:4: error: ")), "{}", run.stderr);
    assert!(run.stderr.contains("3 |    clams by Reuters"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn stdin_errors_are_named_stdin() {
    let dir = Dir::with_database();
    let run = dir.pipe(&[], b".check\n.zap\n");
    run.code(1);
    assert!(run.stderr.starts_with("<stdin>:2:1: error: unknown meta command .zap"), "{}", run.stderr);
}

#[test]
fn unclosed_quote_points_at_the_quote() {
    let dir = Dir::with_database();
    let script = dir.file("q.cq", b"claims mentioning \"Doha\n\n.check\n");
    let run = dir.run(&["-f", "q.cq"]);
    let _ = script;
    run.code(1);
    assert!(run.stderr.starts_with("q.cq:1:19: error: this quote is never closed"), "{}", run.stderr);
}

#[test]
fn keep_going_reports_every_error_and_still_fails() {
    let dir = Dir::with_database();
    let script = dir.file("k.cq", b".nope\n.mode csv\n.timer sometimes\n.check\n");
    let run = dir.run(&["--keep-going", "-f", "k.cq"]);
    let _ = script;
    run.code(1);
    assert!(run.stderr.contains("k.cq:1:1: error: unknown meta command .nope"));
    assert!(run.stderr.contains("k.cq:3:8: error: expected on or off, not 'sometimes'"), "{}", run.stderr);
    assert!(run.stdout.starts_with("ok,claims"), "{}", run.stdout);
}

#[test]
fn commands_stop_at_the_first_failure_unless_keep_going() {
    let dir = Dir::with_database();
    let run = dir.run(&["-c", ".bad", "-c", ".check"]);
    run.code(1);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.starts_with("error at line 1, column 1: unknown meta command .bad"));
    let run = dir.run(&["--keep-going", "-c", ".bad", "-c", ".check"]);
    run.code(1);
    assert!(run.stdout.contains("ok: no problems found"));
}

#[test]
fn empty_input_exits_0() {
    let dir = Dir::with_database();
    let run = dir.pipe(&[], b"");
    run.code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "");
    dir.file("empty.cq", b"");
    dir.run(&["-f", "empty.cq"]).code(0);
    dir.file("comments.cq", b"-- nothing\n# at all\n\n;\n");
    let run = dir.run(&["-f", "comments.cq"]);
    run.code(0);
    assert_eq!(run.stdout + &run.stderr, "");
}

#[test]
fn invalid_utf8_script_is_rejected_before_anything_runs() {
    let dir = Dir::with_database();
    dir.file("latin1.cq", b".mode csv\n.check\nclaims mentioning \"caf\xe9\"\n");
    let run = dir.run(&["-f", "latin1.cq"]);
    run.code(1);
    assert_eq!(run.stdout, "", "nothing runs");
    assert!(run.stderr.starts_with("latin1.cq:3:23: error: the script is not valid UTF-8"), "{}", run.stderr);
    let run = dir.pipe(&[], b"\xff");
    run.code(1);
    assert!(run.stderr.starts_with("<stdin>:1:1: error: the script is not valid UTF-8"));
}

#[test]
fn unreadable_scripts_exit_2() {
    let dir = Dir::with_database();
    let run = dir.run(&["-f", "missing.cq"]);
    run.code(2);
    assert_eq!(run.stderr.trim(), "claimdb: cannot read script missing.cq: no such file");
    std::fs::create_dir(dir.path().join("scripts")).unwrap();
    let run = dir.run(&["-f", "scripts"]);
    run.code(2);
    assert_eq!(run.stderr.trim(), "claimdb: cannot read script scripts: it is a directory");
}

#[test]
fn read_reports_errors_in_the_file_read() {
    let dir = Dir::with_database();
    dir.file("inner.cq", b".check\n\n.wat\n");
    dir.file("outer.cq", b".mode csv\n.read inner.cq\n.stats\n");
    let run = dir.run(&["-f", "outer.cq"]);
    run.code(1);
    assert!(run.stderr.starts_with("inner.cq:3:1: error: unknown meta command .wat"), "{}", run.stderr);
    assert_eq!(run.stderr.matches("error").count(), 1, "{}", run.stderr);
    assert!(run.stdout.starts_with("ok,claims"), "inner ran up to its error");
    assert!(!run.stdout.contains("per_status"), "outer stopped");
}

#[test]
fn a_script_that_reads_itself_stops() {
    let dir = Dir::with_database();
    dir.file("loop.cq", b".read loop.cq\n");
    let run = dir.run(&["-f", "loop.cq"]);
    run.code(1);
    assert!(run.stderr.contains("levels deep"), "{}", run.stderr);
}

#[test]
fn quit_stops_a_script_successfully() {
    let dir = Dir::with_database();
    let run = dir.pipe(&[], b".quit\n.nonsense\n");
    run.code(0);
    assert_eq!(run.stderr, "");
}

#[test]
fn output_sends_results_to_a_file() {
    let dir = Dir::with_database();
    let run = dir.run(&[
        "--format",
        "json",
        "-c",
        ".output result.json",
        "-c",
        ".check",
        "-c",
        ".output stdout",
        "-c",
        ".mode csv",
        "-c",
        ".check",
    ]);
    run.code(0);
    let written = std::fs::read_to_string(dir.path().join("result.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(value[0]["ok"], true);
    assert!(run.stdout.starts_with("ok,claims"), "{}", run.stdout);
}

#[test]
fn locked_database_exits_2_with_a_message() {
    let dir = Dir::with_database();
    let _held = claimdb::Db::open(dir.db()).expect("open in the test process");
    let run = dir.run(&["-c", ".check"]);
    run.code(2);
    assert!(run.stderr.contains("is in use by another process"), "{}", run.stderr);
}

#[test]
fn a_file_in_place_of_the_database_exits_2() {
    let dir = Dir::new();
    dir.file("test.db", b"not a database");
    let run = dir.run(&["-c", ".check"]);
    run.code(2);
    assert!(run.stderr.contains("is a file"), "{}", run.stderr);
}

#[test]
fn check_fails_the_run_only_when_it_finds_problems() {
    let dir = Dir::with_database();
    let run = dir.run(&["-c", ".check"]);
    run.code(0);
    assert!(run.stdout.starts_with("checked 0 claims, 0 sources"));
}

#[test]
fn help_meta_command_prints_topics() {
    let dir = Dir::with_database();
    let run = dir.run(&["-c", ".help"]);
    run.code(0);
    assert!(run.stdout.contains("count claims via Reuters per status"));
    assert!(run.stdout.contains("writes     adding claims"));
    let run = dir.run(&["-c", ".help writes"]);
    assert!(run.stdout.contains("link claim 4 contradicts claim 7"));
    let run = dir.run(&["-c", ".help formats"]);
    run.code(0);
    assert!(run.stdout.starts_with("Output formats"));
    let run = dir.run(&["-c", ".help fromats"]);
    run.code(1);
    assert!(run.stderr.contains("did you mean .help formats?"));
}

// ---- End to end: these need `Db::execute` ----

/// Loads the sample script into the test database.
fn load_sample(dir: &Dir) {
    let sample = sample_script();
    dir.run(&["-f", sample.to_str().unwrap()]).code(0);
}

#[test]

fn demo_answers_the_mission_query() {
    let dir = Dir::with_database();
    let run =
        Run::from(dir.cmd().args(["--demo", "-c", "claims by anonymous officials after 2024-11-01"]).output().unwrap());
    run.code(0);
    assert!(run.stdout.contains("diplomatic official"), "{}", run.stdout);
    assert!(run.stdout.contains("(6 claims)"), "{}", run.stdout);
    assert!(run.stdout.contains("claims)"), "{}", run.stdout);
    assert!(!dir.path().join("claims.db").exists(), "demo is temporary");
}

#[test]

fn sample_script_loads_and_queries_as_json() {
    let dir = Dir::with_database();
    load_sample(&dir);
    let run = dir.run(&["--format", "json", "-c", "claims by anonymous officials after 2024-11-01"]);
    run.code(0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let claims = value.as_array().unwrap();
    assert_eq!(claims.len(), 6, "{}", run.stdout);
    for c in claims {
        assert_eq!(c["source"]["anonymous"], true);
        assert_eq!(c["source"]["kind"], "official");
        assert!(c["history"].is_array());
    }
}

#[test]

fn count_per_status_as_json_and_csv() {
    let dir = Dir::with_database();
    load_sample(&dir);
    let run = dir.run(&["--format", "json", "-c", "count claims via Reuters per status"]);
    run.code(0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        value,
        serde_json::json!([
            {"status": "confirmed", "count": 1},
            {"status": "disputed", "count": 1},
            {"status": "unverified", "count": 1}
        ])
    );
    let run = dir.run(&["--format", "csv", "-c", "count claims via Reuters"]);
    run.code(0);
    assert_eq!(run.stdout, "count\n3\n");
}

#[test]

fn claims_as_csv_have_the_documented_columns() {
    let dir = Dir::with_database();
    load_sample(&dir);
    let run = dir.run(&["--format", "csv", "-c", "claims via AFP"]);
    run.code(0);
    let mut lines = run.stdout.lines();
    assert_eq!(lines.next(), Some("id,text,source,kind,anonymous,affiliation,outlets,date,status,rating,topics,notes"));
    assert!(run.stdout.contains("Reuters; AFP"), "{}", run.stdout);
}

#[test]

fn statements_and_writes_from_a_script() {
    let dir = Dir::with_database();
    load_sample(&dir);
    let run = dir.run(&["-f", fixture("writes.cq").to_str().unwrap()]);
    run.code(0);
    assert!(run.stdout.contains("disputed since 2024-11-10"), "{}", run.stdout);
    assert!(run.stdout.contains("Qatar denied the report"), "{}", run.stdout);
    assert!(run.stdout.contains("contradicts #7"), "{}", run.stdout);
}

#[test]

fn a_misspelt_status_gets_a_caret_and_a_suggestion() {
    let dir = Dir::with_database();
    load_sample(&dir);
    dir.file("typo.cq", b"-- typo on line 2\nclaims with status disputd\n");
    let run = dir.run(&["-f", "typo.cq"]);
    run.code(1);
    assert!(run.stderr.starts_with("typo.cq:2:20: error: "), "{}", run.stderr);
    assert!(run.stderr.contains("^^^^^^^"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean 'disputed'?"), "{}", run.stderr);
}

#[test]

fn timer_prints_elapsed_time_on_stderr() {
    let dir = Dir::with_database();
    let run = dir.run(&["-c", ".timer on", "-c", "count claims"]);
    run.code(0);
    assert_eq!(run.stdout, "0 claims\n");
    assert!(run.stderr.starts_with("time: "), "{}", run.stderr);
}

#[test]

fn import_and_export_round_trip_through_meta_commands() {
    let dir = Dir::with_database();
    load_sample(&dir);
    let run = dir.run(&["-c", ".export all.jsonl"]);
    run.code(0);
    let exported = std::fs::read_to_string(dir.path().join("all.jsonl")).unwrap();
    assert_eq!(exported.lines().count(), 10);
    let other = dir.path().join("other.db");
    let run =
        Run::from(dir.cmd().arg(&other).args(["-c", ".import all.jsonl", "-c", "count claims"]).output().unwrap());
    run.code(0);
    assert!(run.stdout.contains("imported 10 claims"), "{}", run.stdout);
    assert!(run.stdout.contains("rejected 0 records"), "{}", run.stdout);
    assert!(run.stdout.ends_with("10 claims\n"), "{}", run.stdout);
}

#[test]
fn backup_and_restore_reproduce_the_database() {
    let dir = Dir::with_database();
    load_sample(&dir);
    dir.run(&[
        "-c",
        "set status of claim 3 to disputed on 2024-11-10 because \"denied\"",
        "-c",
        "link claim 6 contradicts claim 7",
    ])
    .code(0);
    let run = dir.run(&["-c", ".backup backup.jsonl"]);
    run.code(0);
    assert_eq!(run.stdout, "backed up 10 claims to backup.jsonl\n");

    let restored = dir.path().join("restored.db");
    let run = Run::from(dir.cmd().arg(&restored).args(["-c", ".restore backup.jsonl"]).output().unwrap());
    run.code(0);
    assert!(run.stdout.starts_with("imported 10 claims"), "{}", run.stdout);
    let export = |db: &Path| {
        let run =
            Run::from(dir.cmd().arg(db).args(["--format", "jsonl", "-c", "claims order by id"]).output().unwrap());
        run.code(0);
        run.stdout
    };
    assert_eq!(export(&dir.db()), export(&restored));
    // Restoring over claims is refused.
    let run = Run::from(dir.cmd().arg(&restored).args(["-c", ".restore backup.jsonl"]).output().unwrap());
    run.code(1);
    assert!(run.stderr.contains("already holds 10 claims"), "{}", run.stderr);
}

#[test]
fn skip_bad_imports_the_good_records_and_lists_the_bad() {
    let dir = Dir::with_database();
    let file = dir.file(
        "wire.jsonl",
        b"{\"text\": \"good one\", \"source\": \"s\", \"date\": \"2024-11-09\"}\n\
          {\"text\": \"bad date\", \"source\": \"s\", \"date\": \"2024-02-30\"}\n\
          {\"text\": \"good two\", \"source\": \"s\", \"date\": \"2024-11-10\"}\n",
    );
    let statement = format!("import \"{}\"", file.display());
    let run = dir.run(&["-c", &statement]);
    run.code(1);
    assert!(run.stderr.contains("1 bad record; nothing was imported"), "{}", run.stderr);
    assert!(run.stderr.contains("line 2: date: 2024-02-30 is not a date"), "{}", run.stderr);
    dir.run(&["-c", "count claims"]).code(0);
    assert_eq!(dir.run(&["-c", "count claims"]).stdout, "0 claims\n");

    let run = dir.run(&["--skip-bad", "-c", &statement]);
    run.code(0);
    assert!(run.stdout.starts_with("imported 2 claims (#1–#2); rejected 1 record\n"), "{}", run.stdout);
    assert!(run.stdout.contains("line 2: date: 2024-02-30 is not a date"), "{}", run.stdout);
}
