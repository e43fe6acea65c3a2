//! `claimdb PATH …` while `claimdb serve` holds PATH: statements go through
//! the server, and everything a user sees is what a direct run shows.
//!
//! Each test makes twin databases, `served/news.db` (held by a real
//! `claimdb serve`) and `plain/news.db` (opened directly), loaded alike,
//! with the same files beside them, and runs the real binary on both from
//! their own directories: output, errors with their carets, exit codes and
//! the files written must be identical, apart from the one note on stderr
//! that says the server is used. Also: `--no-server` on a held database,
//! a server without a socket, and a server killed with SIGKILL in the
//! middle of an answer and in the middle of a write.

mod server_support;

use server_support::{claims_jsonl, sample_db, signal, Server, BIN, NOW};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// What one run of claimdb printed and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// A command running claimdb in `cwd` with the fixed clock and a history
/// file of its own.
fn claimdb(cwd: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(cwd)
        .env("CLAIMDB_NOW", NOW)
        .env("CLAIMDB_HISTORY", cwd.join(".history"))
        .env_remove("COLUMNS")
        .args(args);
    cmd
}

/// Runs claimdb in `cwd` with `stdin` piped in (closed when `None`).
fn run(cwd: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = claimdb(cwd, args);
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start claimdb");
    if let Some(input) = stdin {
        child.stdin.take().expect("stdin").write_all(input).expect("write stdin");
    }
    let out = child.wait_with_output().expect("wait for claimdb");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The served and the plain database, alike, each in its own directory.
struct Twin {
    _root: tempfile::TempDir,
    served: PathBuf,
    plain: PathBuf,
    server: Option<Server>,
}

impl Twin {
    /// Twins loaded with the sample, with `files` (name, contents) beside
    /// each; the served one's server started with `serve_args`.
    fn new(files: &[(&str, &str)], serve_args: &[&str]) -> Twin {
        let root = tempfile::tempdir().expect("temp dir");
        let (served, plain) = (root.path().join("served"), root.path().join("plain"));
        for dir in [&served, &plain] {
            std::fs::create_dir(dir).unwrap();
            sample_db(dir, "news.db");
            for (name, contents) in files {
                let path = dir.join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, contents).unwrap();
            }
        }
        let server = Server::start(&served, Path::new("news.db"), serve_args);
        Twin { _root: root, served, plain, server: Some(server) }
    }

    /// Runs `claimdb news.db ARGS…` on both, returns (served, plain) with
    /// each directory's path written as `<dir>`, and the note checked and
    /// taken out of the served run's stderr.
    fn both(&self, args: &[&str], stdin: Option<&[u8]>) -> (Run, Run) {
        let mut full = vec!["news.db"];
        full.extend_from_slice(args);
        let served = without_note(placeholder(run(&self.served, &full, stdin), &self.served));
        let plain = placeholder(run(&self.plain, &full, stdin), &self.plain);
        (served, plain)
    }

    /// Asserts that `claimdb news.db ARGS…` does the same on both; returns
    /// the run.
    #[track_caller]
    fn same(&self, args: &[&str]) -> Run {
        self.same_with_input(args, None)
    }

    #[track_caller]
    fn same_with_input(&self, args: &[&str], stdin: Option<&[u8]>) -> Run {
        let (served, plain) = self.both(args, stdin);
        assert_eq!(served, plain, "claimdb news.db {args:?}: through the server, then directly");
        plain
    }

    /// The file `name` in each directory, which must be the same.
    #[track_caller]
    fn same_file(&self, name: &str) -> String {
        let read = |dir: &Path| {
            std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
        };
        let (served, plain) = (read(&self.served), read(&self.plain));
        assert_eq!(served, plain, "{name} written through the server, then directly");
        plain
    }

    /// Stops the server and checks that both databases hold the same
    /// claims, field by field.
    fn stop_and_compare(mut self) {
        let (code, log) = self.server.take().expect("running").stop();
        assert_eq!(code, Some(0), "the server stops cleanly:\n{log}");
        let all = |dir: &Path| run(dir, &["news.db", "--format", "jsonl", "-c", "claims"], None);
        let (served, plain) = (all(&self.served), all(&self.plain));
        assert_eq!(served.code, Some(0), "{}", served.stderr);
        assert_eq!(served, plain, "the databases hold the same claims");
    }
}

/// `run` with the directory's path (as given and resolved) written as
/// `<dir>`.
fn placeholder(mut r: Run, dir: &Path) -> Run {
    let resolved = std::fs::canonicalize(dir).unwrap();
    for path in [resolved, dir.to_path_buf()] {
        let text = path.display().to_string();
        r.stdout = r.stdout.replace(&text, "<dir>");
        r.stderr = r.stderr.replace(&text, "<dir>");
    }
    r
}

/// The run with the note that says the server is used taken out of its
/// stderr, where it must be once, first.
#[track_caller]
fn without_note(mut r: Run) -> Run {
    let first = r.stderr.lines().next().unwrap_or_default().to_string();
    assert!(
        first.starts_with("note: news.db is held by claimdb serve (pid ")
            && first.ends_with("; statements go through it"),
        "the note comes first on stderr: {}",
        r.stderr
    );
    r.stderr = r.stderr[first.len() + 1..].to_string();
    assert!(!r.stderr.contains("is held by claimdb serve"), "one note only: {}", r.stderr);
    r
}

#[test]
fn reads_and_errors_through_the_server_are_what_a_direct_run_prints() {
    let twin = Twin::new(&[], &[]);
    let reads = [
        "claims by anonymous officials after 2024-11-01",
        "count claims via Reuters per status",
        "claim 3",
        "history of claim 3",
        "sources",
        "explain claims by anonymous officials after 2024-11-01",
        "claims mentioning \"political office\" with status unverified",
        ".stats",
        ".sources",
        ".check",
    ];
    for statement in reads {
        for format in ["table", "json", "jsonl", "csv", "lines"] {
            let r = twin.same(&["--format", format, "-c", statement]);
            assert_eq!(r.code, Some(0), "{statement}: {}", r.stderr);
            assert!(!r.stdout.is_empty(), "{statement} prints something");
        }
    }
    // A name that matches nothing gets its note on stderr, never in the
    // data, through the server as directly.
    for format in ["table", "json"] {
        let r = twin.same(&["--format", format, "-c", "claims by Reuters", "-c", "count claims via Reutrs"]);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        assert!(r.stderr.contains("Reuters is an outlet here"), "{}", r.stderr);
        assert!(r.stderr.contains("did you mean") || r.stderr.contains("Reuters"), "{}", r.stderr);
        assert!(!r.stdout.contains("note"), "{}", r.stdout);
    }
    // A note's suggestion quotes the file name as the client wrote it,
    // though the server ran the statement with the resolved path.
    let r = twin.same(&["-c", "export claims by Reuters to \"by-reuters.csv\""]);
    assert!(r.stderr.contains("  try: export claims via Reuters to \"by-reuters.csv\"\n"), "{}", r.stderr);
    // Errors, with their carets and help; each fails the run (exit 1).
    let errors = [
        "claims with status disputd",
        "clams by Reuters",
        "claim 42",
        "claims mentioning \"Doha",
        "claims\n  via AFP\n  with status nonsense",
        ".nope",
        ".stats now",
        "history of claim 0",
    ];
    for statement in errors {
        let r = twin.same(&["-c", statement]);
        assert_eq!(r.code, Some(1), "{statement}");
        assert!(r.stderr.contains("error"), "{statement}: {}", r.stderr);
    }
    let r = twin.same(&["-c", "claims with status disputd"]);
    assert!(r.stderr.contains("  |                    ^^^^^^^\n  = help: did you mean 'disputed'?"), "{}", r.stderr);
    // Several statements: the first failure stops the rest, unless
    // --keep-going; several JSON documents get their note.
    let three = ["-c", "count claims", "-c", "claim 99", "-c", "count claims per outlet"];
    let r = twin.same(&three);
    assert_eq!(r.code, Some(1));
    assert_eq!(r.stdout, "10 claims\n", "nothing after the failure runs");
    let r = twin.same(&[&["--keep-going"][..], &three].concat());
    assert_eq!(r.code, Some(1));
    assert!(r.stdout.contains("outlet") && r.stdout.starts_with("10 claims\n"), "{}", r.stdout);
    let r = twin.same(&["--format", "json", "--echo", "-c", "count claims", "-c", "claims via AFP limit 1"]);
    assert!(r.stderr.contains("several JSON documents"), "{}", r.stderr);
    assert!(r.stdout.starts_with("> count claims\n"), "{}", r.stdout);
    // A script on stdin, one with a bad byte, and `.timer` (whose figure
    // differs: only its presence is compared).
    let script = b"count claims per status;\n\n-- a comment\nclaims via Reuters limit 2;\nclaim 77\ncount claims\n";
    let r = twin.same_with_input(&[], Some(script));
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.starts_with("<stdin>:5:7: error: no claim #77"), "{}", r.stderr);
    let r = twin.same_with_input(&[], Some(b"count claims\nclaims \xff\n"));
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("not valid UTF-8"), "{}", r.stderr);
    let (served, plain) = twin.both(&["-c", ".timer on", "-c", "count claims"], None);
    assert_eq!((served.code, &served.stdout), (plain.code, &plain.stdout));
    assert!(served.stderr.starts_with("time: ") && plain.stderr.starts_with("time: "), "{served:?}");
    // Writing to a closed pipe stops quietly, as it does directly.
    for dir in [&twin.served, &twin.plain] {
        let mut child = claimdb(dir, &["news.db", "--format", "jsonl", "-c", "claims", "-c", "claims"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 10];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // stdout is dropped here: the next write fails with EPIPE.
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{}", stderr);
        assert!(!stderr.contains("error"), "{stderr}");
    }
    twin.stop_and_compare();
}

const WIRE: &str = r#"{"text": "Routed claim one", "source": "wire official", "outlets": ["Kyodo"], "date": "2024-11-12"}
{"text": "Routed claim two", "source": {"name": "wire source", "kind": "official", "anonymous": true}, "outlets": ["AP"], "date": "2024-11-13", "topics": ["Doha"]}
"#;

const BAD: &str = r#"{"text": "good", "source": "s", "date": "2024-11-12"}
{"text": "no date", "source": "s"}
{"text": "bad status", "source": "s", "date": "2024-11-12", "status": "maybe"}
"#;

const SCRIPT: &str = "-- corrections of the day\n\
set status of claim 3 to disputed on 2024-11-10 because \"Qatar said the decision was its own\";\n\
rate claim 3 \"half-true\";\n\
add evidence \"https://example.org/report\" note \"wire copy\" to claim 3;\n\
link claim 6 contradicts claim 7;\n\
claims with status disputed;\n\
\n\
set status of claim 4 to confirmd on 2024-11-11;\n\
count claims per status;\n";

const INNER: &str = "count claims via AFP;\nadd claim \"From the inner script\" by \"US officials\" on 2024-11-14;\nclaim 11\nclaims mentioning \"never closed\n";

#[test]
fn scripts_files_and_writes_through_the_server_are_what_a_direct_run_does() {
    let files = [
        ("wire.jsonl", WIRE),
        ("bad.jsonl", BAD),
        ("fixes.cq", SCRIPT),
        ("sub/inner.cq", INNER),
        ("a \"quoted\" name.jsonl", WIRE),
    ];
    let twin = Twin::new(&files, &[]);
    // A script file: runs until its error, which names its line and
    // column; with --keep-going, all of it.
    let r = twin.same(&["-f", "fixes.cq"]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.starts_with("fixes.cq:8:26: error: unknown status 'confirmd'"), "{}", r.stderr);
    assert!(!r.stdout.contains("status      count"), "the rest did not run: {}", r.stdout);
    let r = twin.same(&["--keep-going", "-f", "fixes.cq"]);
    assert_eq!(r.code, Some(1));
    assert!(r.stdout.contains("status      count"), "{}", r.stdout);
    // A script read by .read (the shell's own file, relative to its
    // directory), errors inside it at their place in it.
    let r = twin.same(&["-c", ".read sub/inner.cq"]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.starts_with("sub/inner.cq:4:19: error: this quote is never closed"), "{}", r.stderr);
    // Imports of files beside the caller, named as written in every message.
    let r = twin.same(&["-c", "import \"wire.jsonl\""]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.starts_with("imported 2 claims"), "{}", r.stdout);
    let r = twin.same(&["-c", ".import \"a \\\"quoted\\\" name.jsonl\""]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r = twin.same(&["-c", "import \"bad.jsonl\""]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("import of bad.jsonl failed: 2 bad records"), "{}", r.stderr);
    assert!(r.stderr.contains("bad.jsonl:line 2"), "{}", r.stderr);
    let r = twin.same(&["--skip-bad", "-c", "import \"bad.jsonl\""]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("imported 1 claim"), "{}", r.stdout);
    let r = twin.same(&["-c", ".import bad.jsonl skip bad"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r = twin.same(&["-c", "import \"missing.jsonl\""]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("missing.jsonl"), "{}", r.stderr);
    // Files written: .output, export, .export, .backup; never inside the
    // database directory.
    let r = twin.same(&[
        "-c",
        ".output out.txt",
        "-c",
        "claims via AP",
        "-c",
        ".mode csv",
        "-c",
        "count claims per outlet",
    ]);
    assert_eq!((r.code, r.stdout.as_str()), (Some(0), ""), "{}", r.stderr);
    let out = twin.same_file("out.txt");
    assert!(out.contains("Routed claim two") && out.contains("outlet,count"), "{out}");
    let r =
        twin.same(&["-c", "export claims via AFP to \"afp.csv\"", "-c", ".export all.jsonl", "-c", ".backup b.jsonl"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("backed up"), "{}", r.stdout);
    twin.same_file("afp.csv");
    twin.same_file("all.jsonl");
    twin.same_file("b.jsonl");
    for inside in ["export to \"news.db/x.jsonl\"", ".export news.db/x.jsonl", ".backup news.db/b", ".output news.db/o"]
    {
        let r = twin.same(&["-c", inside]);
        assert_eq!(r.code, Some(1), "{inside}");
        assert!(r.stderr.contains("inside the database directory"), "{inside}: {}", r.stderr);
    }
    // Writes of every kind; their results and the database after them.
    let writes = [
        "add claim \"Routed through the server\" by \"US officials\" as anonymous official of US via Reuters on 2024-11-12",
        "set text of claim 12 to \"Routed, then corrected\"",
        "add outlets AP to claim 12",
        "remove outlet AP from claim 12",
        "delete claim 1",
        "delete claim 1",
        "link claim 2 contradicts claim 99",
    ];
    for w in writes {
        twin.same(&["-c", w]);
    }
    let r = twin.same(&["-c", "claim 12", "-c", ".check"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    twin.stop_and_compare();
}

#[test]
fn no_server_on_a_held_database_fails_with_the_lock_message() {
    let twin = Twin::new(&[], &[]);
    let before = run(&twin.served, &["news.db", "--format", "jsonl", "-c", "claims"], None);
    let r = run(&twin.served, &["news.db", "--no-server", "-c", "add claim \"x\" by \"y\" on 2024-11-12"], None);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(r.stderr.starts_with("claimdb: database news.db is in use by another process"), "{}", r.stderr);
    assert!(r.stderr.contains("claimdb serve (pid"), "the server is named: {}", r.stderr);
    assert_eq!(r.stdout, "");
    let after = run(&twin.served, &["news.db", "--format", "jsonl", "-c", "claims"], None);
    assert_eq!(without_note(before.clone()), without_note(after), "nothing changed");
    // A script that must be one unit cannot be sent statement by statement.
    let r = run(&twin.served, &["news.db", "--atomic", "-c", "add claim \"x\" by \"y\" on 2024-11-12"], None);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(r.stderr.contains("--atomic needs the database opened by this claimdb"), "{}", r.stderr);
    let after = run(&twin.served, &["news.db", "--format", "jsonl", "-c", "claims"], None);
    assert_eq!(without_note(before), without_note(after), "nothing changed");
    // Without a server, --no-server simply opens it.
    let r = run(&twin.plain, &["news.db", "--no-server", "-c", "count claims"], None);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (Some(0), "10 claims\n", ""));
    twin.stop_and_compare();
}

#[test]
fn a_server_without_a_socket_is_named_with_what_to_do() {
    let twin = Twin::new(&[], &["--no-socket"]);
    let r = run(&twin.served, &["news.db", "-c", "count claims"], None);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(r.stderr.contains("in use by another process"), "{}", r.stderr);
    assert!(r.stderr.contains("without a Unix socket") && r.stderr.contains("HTTP API"), "{}", r.stderr);
    twin.stop_and_compare();
}

/// A database of `n` generated claims in `dir`, imported directly.
fn generated(dir: &Path, n: usize) -> PathBuf {
    std::fs::write(dir.join("many.jsonl"), claims_jsonl(n)).unwrap();
    let r = run(dir, &["news.db", "--create", "-c", "import \"many.jsonl\""], None);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    dir.join("news.db")
}

#[test]
fn a_server_killed_in_the_middle_of_an_answer_is_said_and_the_output_is_a_true_prefix() {
    let dir = tempfile::tempdir().unwrap();
    generated(dir.path(), 6000);
    let whole = run(dir.path(), &["news.db", "--format", "jsonl", "-c", "claims"], None);
    assert_eq!(whole.code, Some(0));
    let server = Server::start(dir.path(), Path::new("news.db"), &[]);
    // The answer is far larger than every buffer between the two
    // processes: once the client has printed its first bytes and stopped
    // (nobody reads its output), the server is still in the middle of it.
    let mut child = claimdb(dir.path(), &["news.db", "--format", "jsonl", "-c", "claims"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = vec![0u8; 4096];
    stdout.read_exact(&mut first).unwrap();
    server.kill();
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("went away before it finished answering"), "{stderr}");
    assert!(stderr.contains("the answer is incomplete"), "{stderr}");
    first.extend(rest);
    let printed = String::from_utf8(first).unwrap();
    assert!(printed.len() < whole.stdout.len(), "the answer was cut");
    assert!(whole.stdout.starts_with(&printed), "what was printed is the start of the true answer");
    // The server is gone: the database opens directly and is whole.
    let r = run(dir.path(), &["news.db", "-c", "count claims", "-c", ".check"], None);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.starts_with("6000 claims\n"), "{}", r.stdout);
}

#[test]
fn a_server_killed_during_a_write_leaves_it_made_or_not_never_half() {
    let dir = tempfile::tempdir().unwrap();
    generated(dir.path(), 10);
    std::fs::write(dir.path().join("more.jsonl"), claims_jsonl(20_000)).unwrap();
    let server = Server::start(dir.path(), Path::new("news.db"), &[]);
    let mut child = claimdb(dir.path(), &["news.db", "-c", "import \"more.jsonl\""])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The client says it uses the server just before it sends the import,
    // which takes seconds here: the kill comes in the middle of it, or (on
    // a very busy machine) before or after it. Each case is checked.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut note = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut note).unwrap();
    assert!(note.contains("statements go through it"), "{note}");
    std::thread::sleep(Duration::from_millis(300));
    signal(server.pid(), "KILL");
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    drop(server);
    let r = run(dir.path(), &["news.db", "-c", "count claims", "-c", ".check"], None);
    assert_eq!(r.code, Some(0), "the database is whole: {}", r.stderr);
    match out.status.code() {
        // The import finished before the kill.
        Some(0) => assert!(r.stdout.starts_with("20010 claims\n"), "{}", r.stdout),
        Some(2) => {
            assert!(
                rest.contains("the change may or may not have been made") || rest.contains("the statement did not run"),
                "{rest}"
            );
            assert!(
                r.stdout.starts_with("10 claims\n") || r.stdout.starts_with("20010 claims\n"),
                "all of the import or none of it: {}",
                r.stdout
            );
        }
        other => panic!("exit {other:?}: {rest}"),
    }
}
