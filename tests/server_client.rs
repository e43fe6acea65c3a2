//! The shell's route through a running server: `claimdb::server::client`
//! over the Unix socket in the database directory gives exactly what a
//! direct run prints (output in every format, errors rendered with the same
//! caret, the same failures), with file names relative to the caller's
//! working directory. Checked against a twin database opened directly.

mod server_support;

use claimdb::server::client::Client;
use claimdb::shell::format::Format;
use server_support::{direct, sample_db, Server};
use std::path::Path;

/// What a direct run printed, or the client's equivalent: (ok, stdout,
/// the error as the shell renders it).
fn via_client(client: &Client, text: &str, format: Format, cwd: &Path) -> (bool, String, String) {
    let ran = client.run(text, format, 100, cwd).expect("the server answers");
    let rendered = ran.error.as_ref().map(|e| e.render("", text, 1)).unwrap_or_default();
    (ran.error.is_none(), ran.stdout, rendered)
}

fn via_cli(cwd: &Path, db: &Path, text: &str, format: Format) -> (bool, String, String) {
    let (code, out, err) = direct(cwd, db, &["--format", format.name(), "-c", text]);
    (code == Some(0), out, err.trim_end().to_string())
}

#[test]
fn statements_through_the_server_print_what_a_direct_run_prints() {
    let dir = tempfile::tempdir().unwrap();
    let served = sample_db(dir.path(), "served.db");
    let plain = sample_db(dir.path(), "plain.db");
    let server = Server::start(dir.path(), &served, &[]);
    let client = Client::for_database(&served).expect("a server is recorded and answers");
    assert!(Client::for_database(&plain).is_none(), "no server holds the other database");
    let steps = [
        "claims by anonymous officials after 2024-11-01",
        "count claims via Reuters per status",
        "claim 3",
        "claims with status disputd",
        "clams by Reuters",
        // (A quote left open is found by the shell's script splitter before
        // anything is sent: not the server's to answer.)
        "claim 42",
        "set status of claim 3 to confirmed on 2024-11-11",
        "set status of claim 3 to retracted on 2024-11-15 because \"withdrawn\"",
        "link claim 6 contradicts claim 7",
        "add claim \"Routed through the server\" by \"US officials\" as anonymous official of US via Reuters on 2024-11-12",
        "claims confirmed as of 2024-11-12 with status retracted",
        "sources ranked by retracted limit 3",
        "unresolved contradictions",
        "explain claims by anonymous officials after 2024-11-01",
        "delete claim 1",
        ".sources",
        ".check",
        "history of claim 3",
        "claim 11",
    ];
    for text in steps {
        for format in [Format::Table, Format::Json, Format::Jsonl, Format::Csv] {
            let writes = !text.starts_with("claim")
                && !text.starts_with('.')
                && !text.starts_with("count")
                && !text.starts_with("sources")
                && !text.starts_with("history")
                && !text.starts_with("explain")
                && !text.starts_with("unresolved")
                && !text.starts_with("clams");
            if writes && format != Format::Table {
                continue; // run each write once
            }
            let want = via_cli(dir.path(), &plain, text, format);
            let got = via_client(&client, text, format, dir.path());
            assert_eq!(got, want, "{text} as {}", format.name());
        }
    }
    // Both databases now hold the same claims.
    let export = |db: &Path| direct(dir.path(), db, &["--format", "jsonl", "-c", "claims"]).1;
    drop(client);
    drop(server);
    assert_eq!(export(&served), export(&plain));
}

#[test]
fn file_names_are_the_callers_and_the_rules_still_hold() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    std::fs::write(work.join("more.jsonl"), server_support::claims_jsonl(4)).unwrap();
    let server = Server::start(dir.path(), &db, &[]);
    let client = Client::for_database(&db).unwrap();
    // Relative to the working directory the caller sent, not the server's.
    let ran = client.run("import \"more.jsonl\"", Format::Table, 100, &work).unwrap();
    assert!(ran.error.is_none(), "{:?}", ran.error);
    assert!(ran.stdout.starts_with("imported 4 claims"), "{}", ran.stdout);
    assert!(ran.wrote);
    let ran = client.run(".backup copy.jsonl", Format::Table, 100, &work).unwrap();
    assert_eq!(ran.stdout, "backed up 14 claims to copy.jsonl\n");
    assert_eq!(std::fs::read_to_string(work.join("copy.jsonl")).unwrap().lines().count(), 14);
    let ran = client.run("export to \"news.db/oops.jsonl\"", Format::Table, 100, dir.path()).unwrap();
    let err = ran.error.expect("refused");
    assert!(err.to_string().contains("inside the database directory"), "{err}");
    // Shell settings are the shell's own business.
    let ran = client.run(".mode csv", Format::Table, 100, &work).unwrap();
    assert!(ran.error.is_some());
    let names = client.vocabulary().unwrap();
    assert!(names.outlets.iter().any(|o| o == "Reuters"));
    drop(server);

    // A read-only server refuses writes to local callers too.
    let server = Server::start(dir.path(), &db, &["--read-only"]);
    let client = Client::for_database(&db).unwrap();
    let ran = client.run("delete claim 1", Format::Table, 100, &work).unwrap();
    let err = ran.error.expect("refused");
    // An input error without a span: the shell points at the first word.
    let claimdb::Error::Input { message, span: None, help: Some(_) } = err else { panic!("{err:?}") };
    assert_eq!(message, "this server is read-only: the statement would change the database");
    drop(server);
}

#[test]
fn a_killed_server_leaves_no_working_route() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let server = Server::start(dir.path(), &db, &[]);
    assert!(Client::for_database(&db).is_some());
    server.kill();
    // server.json and the socket are left behind, but nothing answers: the
    // shell opens the database itself.
    assert!(db.join("server.json").exists());
    assert!(Client::for_database(&db).is_none());
    let (code, _, err) = direct(dir.path(), &db, &["-c", "count claims"]);
    assert_eq!(code, Some(0), "{err}");
    // The next server replaces the stale marks.
    let server = Server::start(dir.path(), &db, &[]);
    assert!(Client::for_database(&db).is_some());
    drop(server);
}

#[test]
fn ctrl_c_gives_up_a_read_but_never_a_write() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let server = Server::start(dir.path(), &db, &[]);
    let client = Client::for_database(&db).unwrap();
    // Ctrl-C already pressed: a read is given up at once.
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let slow = "claims where text contains \"zzz\" or source contains \"qqq\"";
    let err = client.run_cancellable(slow, Format::Table, 100, dir.path(), &cancel).unwrap_err();
    assert_eq!(err, claimdb::Error::Cancelled);
    // With the flag already set, a write still runs and says what it did.
    let add = "add claim \"Written despite Ctrl-C\" by \"x\" on 2024-11-12";
    let ran = client.run_cancellable(add, Format::Table, 100, dir.path(), &cancel).unwrap();
    assert!(ran.error.is_none() && ran.stdout.contains("11"), "{ran:?}");
    drop(server);
}
