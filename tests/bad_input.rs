//! The bad-input catalogue: every kind of wrong input gets a clear message
//! and changes nothing. Each case checks the message and compares a full
//! export of the database before and after.

mod common;

use claimdb::storage::{Store, StoreOptions, Tree, WriteBatch};
use claimdb::{Db, Error};
use common::export;
use std::path::Path;
use std::process::Command;

use common::BIN;

fn sample_db() -> Db {
    let db = Db::temporary().unwrap();
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/qatar-mediation.cq")).unwrap();
    let body: String = text.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n");
    for statement in body.split(';').filter(|s| !s.trim().is_empty()) {
        db.execute(statement).unwrap();
    }
    db
}

/// Runs a statement that must fail; returns its rendered message and checks
/// that the database did not change.
#[track_caller]
fn fails(db: &Db, statement: &str) -> String {
    let before = export(db);
    let err = match db.execute(statement) {
        Ok(out) => panic!("{:.80} succeeded: {out:?}", statement),
        Err(e) => e,
    };
    assert_eq!(export(db), before, "{statement:.80} changed the database");
    assert!(db.check().unwrap().is_ok());
    err.render("", statement, 1)
}

#[test]
fn malformed_statements_of_every_kind() {
    let db = sample_db();
    let cases = [
        ("clams", "'clams' does not start a statement"),
        ("claims aftr 2024-11-01", "did you mean 'after'?"),
        ("count claims per stauts", "did you mean 'status'?"),
        ("claim", "expected a claim number"),
        ("history claim 3", "expected 'of'"),
        ("sources ranked retracted", "expected 'by'"),
        ("explain", "a statement starts with a word such as claims"),
        ("add claim Qatar by x on 2024-11-09", "expected the claim's text in quotes"),
        ("add claim \"x\" on 2024-11-09", "needs 'by SOURCE'"),
        ("set status of claim 1 to maybe", "unknown status 'maybe'"),
        ("set colour of claim 1 to red", "expected 'status'"),
        ("rate claim 1", "expected a rating"),
        ("clear status of claim 1", "expected 'rating' or 'notes'"),
        ("add evidence to claim 1", "expected a quoted string"),
        ("link claim 1 claim 2", "expected 'supports'"),
        ("unlink claim 1 supports", "expected 'claim'"),
        ("delete 3", "expected 'claim'"),
        ("remove source x from claim 1", "expected 'outlet' or 'topic'"),
        ("import", "expected a file name in quotes"),
        ("import csv \"x.csv\" map colour = c", "'colour' is not a claim field"),
        ("export claims by Reuters", "expected 'to \"FILE\"'"),
        ("claims where", "expected a field"),
        ("claims where status =", "expected a status"),
        ("claims where (status = false", "expected ')'"),
        ("claims order by colour", "expected 'date', 'id', 'status' or 'source'"),
        ("claims; claims", "after the end of the statement"),
    ];
    for (statement, want) in cases {
        let got = fails(&db, statement);
        assert!(got.contains(want), "{statement}:\n{got}\nwanted: {want}");
        assert!(got.contains('^'), "no caret for {statement}:\n{got}");
    }
}

#[test]
fn impossible_dates() {
    let db = sample_db();
    for (statement, want) in [
        ("claims on 2024-02-30", "February 2024 has 29 days"),
        ("claims after 2023-02-29", "February 2023 has 28 days"),
        ("claims before 2024-13-01", "there is no month 13"),
        ("claims in 2024-00", "there is no month 0"),
        ("add claim \"x\" by y on 2024-04-31", "April 2024 has 30 days"),
        ("set status of claim 1 to false on 2024-11-31", "November 2024 has 30 days"),
    ] {
        let got = fails(&db, statement);
        assert!(got.contains(want), "{statement}:\n{got}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dates.jsonl");
    std::fs::write(&path, "{\"text\": \"x\", \"source\": \"s\", \"date\": \"2024-02-30\"}\n").unwrap();
    let before = export(&db);
    let err = claimdb::interchange::import(
        &db,
        &path,
        &claimdb::interchange::ImportFormat::Jsonl,
        &Default::default(),
        &claimdb::engine::Control::none(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("line 1: date: 2024-02-30 is not a date"), "{err}");
    assert_eq!(export(&db), before);
}

#[test]
fn huge_numbers() {
    let db = sample_db();
    for statement in [
        "claim 99999999999999999999999",
        "claims limit 99999999999999999999999",
        "claims reported by at least 99999999999999999999999 outlets",
        "claims unverified for more than 99999999999999999999999 days",
        "delete claim #18446744073709551616",
    ] {
        assert!(fails(&db, statement).contains("too large a number"), "{statement}");
    }
    // The largest id that fits is simply not there.
    assert!(fails(&db, "claim 18446744073709551615").contains("no claim #18446744073709551615"));
}

#[test]
fn deeply_nested_parentheses_are_refused_not_a_stack_overflow() {
    let db = sample_db();
    for depth in [65, 1_000, 100_000] {
        let statement = format!("claims where {}status = false{}", "(".repeat(depth), ")".repeat(depth));
        assert!(fails(&db, &statement).contains("nested more than 64 levels"));
        let statement = format!("claims where {}source.anonymous", "not ".repeat(depth));
        assert!(fails(&db, &statement).contains("nested more than 64 levels"));
    }
    // Through the real binary (its main thread's stack) as well.
    let dir = tempfile::tempdir().unwrap();
    let statement = format!("claims where {}status = false{}", "(".repeat(100_000), ")".repeat(100_000));
    let script = dir.path().join("deep.cq");
    std::fs::write(&script, statement).unwrap();
    let out = Command::new(BIN).arg(dir.path().join("db")).arg("-f").arg(&script).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nested more than 64 levels"));
}

#[test]
fn strings_with_nul_bytes() {
    let db = sample_db();
    for statement in [
        "add claim \"a\0b\" by x on 2024-11-09",
        "add claim \"ab\" by \"x\0\" on 2024-11-09",
        "add claim \"ab\" by x via \"A\0P\" on 2024-11-09",
        "set text of claim 1 to \"\0\"",
        "add evidence \"https://x\0\" to claim 1",
    ] {
        let got = fails(&db, statement);
        assert!(got.contains("NUL byte"), "{statement:?}:\n{got}");
    }
    // NUL in a query is just text that matches nothing.
    assert!(db.execute("claims by \"x\0\"").is_ok());
}

#[test]
fn very_long_strings() {
    let db = sample_db();
    let mega = "x".repeat(1 << 20);
    let got = fails(&db, &format!("add claim \"{mega}\" by x on 2024-11-09"));
    assert!(got.contains("claim text is 1048576 bytes long; the limit is 65536"), "{:.200}", got);
    let got = fails(&db, &format!("add claim \"x\" by \"{mega}\" on 2024-11-09"));
    assert!(got.contains("source name is 1048576 bytes long; the limit is 1024"), "{:.200}", got);
    // A megabyte of garbage is a quick, clear parse error.
    let garbage = "claims ".to_string() + &"by ".repeat(1 << 18);
    assert!(fails(&db, &garbage).contains("expected a source"));
    // Long but allowed: found again in full.
    let long = "word ".repeat(10_000);
    db.execute(&format!("add claim \"{long}\" by x on 2024-11-09")).unwrap();
    let claimdb::query::Output::Claims(found) = db.execute("claims by x").unwrap() else { panic!() };
    assert_eq!(found[0].text, long.trim());
}

#[test]
fn files_that_are_not_what_they_should_be() {
    let db = sample_db();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display();
    let got = fails(&db, &format!("import \"{d}\""));
    assert!(got.contains("is a directory, not a file to import"), "{got}");
    let got = fails(&db, &format!("import \"{d}/missing.jsonl\""));
    assert!(got.contains("no such file"), "{got}");
    let got = fails(&db, &format!("export to \"{d}/no/such/dir/x.jsonl\""));
    assert!(got.contains("cannot write"), "{got}");

    // Invalid UTF-8 and an empty file, imported.
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, b"{\"text\": \"caf\xe9\", \"source\": \"s\", \"date\": \"2024-11-09\"}\n").unwrap();
    let got = fails(&db, &format!("import \"{}\"", bad.display()));
    assert!(got.contains("line 1: not valid UTF-8 (byte 0xe9 at column 14)"), "{got}");
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, b"").unwrap();
    let before = export(&db);
    let out = db.execute(&format!("import \"{}\"", empty.display())).unwrap();
    assert!(matches!(out, claimdb::query::Output::Imported(ref r) if r.imported == 0), "{out:?}");
    assert_eq!(export(&db), before);

    // A JSON array import: broken JSON, not an array, and bad items, each
    // named by its place in the array; nothing is written.
    for (name, content, expected) in [
        ("broken.json", "[{\"text\": \"a\",}]", "is not valid JSON: trailing comma at line 1, column 15"),
        ("object.json", "{\"text\": \"a\"}", "is not a JSON array of claims"),
        (
            "items.json",
            "[{\"text\": \"a\", \"source\": \"s\", \"date\": \"2024-11-09\"}, {\"text\": \"b\", \"source\": \"s\"}]",
            "line 2: missing field `date`",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let got = fails(&db, &format!("import \"{}\"", path.display()));
        assert!(got.contains(expected), "{name}: {got}");
        assert_eq!(export(&db), before, "{name}");
    }

    // A database path that is a file, or cannot be created.
    let file = dir.path().join("plain-file");
    std::fs::write(&file, b"not a database").unwrap();
    let err = Db::open(&file).err().unwrap();
    assert!(err.to_string().contains("is a file, not a claimdb database"), "{err}");
    let err = Db::open("/proc/claimdb-cannot-exist/db").err().unwrap();
    assert!(err.to_string().starts_with("cannot open database /proc/claimdb-cannot-exist/db"), "{err}");
}

#[test]
fn a_database_directory_without_write_permission() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let parent = dir.path().join("locked");
    std::fs::create_dir(&parent).unwrap();
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).unwrap();
    let result = Db::open(parent.join("claims.db"));
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Root ignores permissions; then the open simply works.
    let is_root =
        std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0).unwrap_or(false);
    match result {
        Ok(_) => assert!(is_root, "opened a database in a read-only directory"),
        Err(e) => {
            assert!(e.to_string().contains("permission denied") || e.to_string().contains("Permission denied"), "{e}")
        }
    }
}

#[test]
fn a_database_from_a_newer_claimdb_is_refused_by_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claims.db");
    Db::open(&path).unwrap();
    {
        let store = Store::open(&path, &StoreOptions::default()).unwrap();
        let mut batch = WriteBatch::new();
        batch.put(Tree::Meta, b"format_version".to_vec(), 7u32.to_be_bytes().to_vec());
        store.write(&batch).unwrap();
        store.flush().unwrap();
    }
    let out = Command::new(BIN).arg(&path).args(["-c", "claims"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("has format version 7, but this claimdb understands versions up to 2"), "{stderr}");
    assert!(matches!(Db::open(&path), Err(Error::NewerFormat { found: 7, .. })));
}

#[test]
fn stored_values_with_flipped_bytes_are_errors_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claims.db");
    {
        let db = Db::open(&path).unwrap();
        db.execute("add claim \"Qatar will stop mediating\" by \"diplomatic official\" as anonymous official via Reuters on 2024-11-09 about Qatar").unwrap();
    }
    // Damage every stored value in turn (claims, sources, index blocks) and
    // read everything back through the binary: an error, never a crash.
    let trees = [Tree::ClaimPages, Tree::SourcePages, Tree::Index];
    for tree in trees {
        let entries: Vec<(Vec<u8>, Vec<u8>)> = {
            let store = Store::open(&path, &StoreOptions::default()).unwrap();
            store.scan_prefix(tree, &[]).map(|r| r.map(|(k, v)| (k.to_vec(), v.to_vec())).unwrap()).collect()
        };
        for (key, value) in entries.iter().take(8) {
            for position in [0, 1, value.len() / 2, value.len().saturating_sub(1)] {
                let mut damaged = value.clone();
                damaged[position.min(value.len() - 1)] ^= 0xa5;
                {
                    let store = Store::open(&path, &StoreOptions::default()).unwrap();
                    let mut batch = WriteBatch::new();
                    batch.put(tree, key.clone(), damaged);
                    store.write(&batch).unwrap();
                    store.flush().unwrap();
                }
                for statement in ["claims", "claim 1", "count claims per outlet", ".check", "claims mentioning qatar"] {
                    let out = Command::new(BIN).arg(&path).args(["-c", statement]).output().unwrap();
                    assert!(matches!(out.status.code(), Some(0..=2)), "{statement} crashed: {out:?}");
                    let stderr = String::from_utf8_lossy(&out.stderr);
                    assert!(!stderr.contains("panicked"), "{statement} panicked: {stderr}");
                }
                let store = Store::open(&path, &StoreOptions::default()).unwrap();
                let mut batch = WriteBatch::new();
                batch.put(tree, key.clone(), value.clone());
                store.write(&batch).unwrap();
                store.flush().unwrap();
            }
        }
    }
    let out = Command::new(BIN).arg(&path).args(["-c", ".check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}
