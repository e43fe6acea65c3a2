//! A rejected, cancelled or failed import leaves the database exactly as it
//! was: every stored key and value, byte for byte (records, sources and
//! their identities, index pages, relations, counters), so no orphan
//! source, no used-up id, no stray index entry. And ids that would leave no
//! room are refused per record, with their line.

mod common;

use claimdb::engine::{Control, ImportOptions, ImportReport};
use claimdb::storage::{Store, StoreOptions, Tree};
use claimdb::Db;
use common::Dir;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// Imports a JSONL file.
fn import_jsonl(db: &Db, file: &Path, options: &ImportOptions, control: &Control<'_>) -> claimdb::Result<ImportReport> {
    claimdb::interchange::import(db, file, &claimdb::interchange::ImportFormat::Jsonl, options, control)
}

/// Every key and value of every tree.
fn dump(path: &Path) -> BTreeMap<(String, Vec<u8>), Vec<u8>> {
    let store = Store::open(path, &StoreOptions::default()).unwrap();
    let mut out = BTreeMap::new();
    for tree in Tree::ALL {
        for item in store.scan_prefix(tree, &[]) {
            let (k, v) = item.unwrap();
            out.insert((tree.name().to_string(), k.to_vec()), v.to_vec());
        }
    }
    out
}

fn line(i: usize, id: Option<u64>) -> String {
    let mut v = serde_json::json!({
        "text": format!("imported claim {i} about the talks in Doha"),
        "source": {"name": format!("import source {}", i % 300), "kind": "official", "anonymous": i.is_multiple_of(2)},
        "outlets": ["Reuters", format!("Outlet {}", i % 40)],
        "topics": [format!("topic {}", i % 25)],
        "date": "2024-11-09",
    });
    if let Some(id) = id {
        v["id"] = id.into();
    }
    v.to_string()
}

fn existing(path: &Path) {
    let db = Db::open(path).unwrap();
    db.execute("add claim \"kept claim about talks in Doha\" by \"import source 3\" as anonymous official via Reuters on 2024-11-01 about \"topic 3\"").unwrap();
    db.execute("add claim \"another kept claim\" by \"someone\" via AP on 2024-11-02").unwrap();
    db.execute("link claim 1 supports claim 2").unwrap();
}

#[test]
fn a_rejected_import_of_thirty_thousand_claims_leaves_every_byte_as_it_was() {
    let dir = Dir::new();
    existing(&dir.db());
    let before = dump(&dir.db());
    let mut text: Vec<String> = (0..30_000).map(|i| line(i, None)).collect();
    text.push("{\"text\": \"no source\", \"date\": \"2024-11-09\"}".into());
    let file = dir.file("big.jsonl", text.join("\n").as_bytes());
    let run = dir.run(&["-c", &format!("import \"{}\"", file.display())]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("1 bad record; nothing was imported"), "{}", run.stderr);
    assert!(run.stderr.contains("big.jsonl:line 30001: "), "{}", run.stderr);
    let after = dump(&dir.db());
    assert_eq!(after.len(), before.len());
    assert!(after == before, "the database changed");
    dir.run(&["-c", ".check"]).code(0);
    let run = dir.run(&["-c", "add claim \"next\" by x on 2024-11-09"]);
    assert!(run.stdout.contains("added claim #3"), "{}", run.stdout);
}

#[test]
fn a_cancelled_or_failed_import_leaves_every_byte_as_it_was() {
    let dir = Dir::new();
    existing(&dir.db());
    let before = dump(&dir.db());
    let text: Vec<String> = (0..25_000).map(|i| line(i, None)).collect();
    let file = dir.file("big.jsonl", text.join("\n").as_bytes());
    {
        let db = Db::open(dir.db()).unwrap();
        // Cancelled after 12,000 records (past several written chunks).
        let cancel = AtomicBool::new(false);
        let progress = |_: &str, done: u64| {
            if done >= 12_000 {
                cancel.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        };
        let options = ImportOptions { chunk: 2_000, index_batch: 5_000, ..ImportOptions::default() };
        let err = import_jsonl(&db, &file, &options, &Control { cancel: &cancel, progress: &progress }).unwrap_err();
        assert_eq!(err, claimdb::Error::Cancelled);
        // A write failing half-way through a chunk, trees written in part.
        db.inject_write_failure(1_500);
        let err = import_jsonl(&db, &file, &options, &Control::none()).unwrap_err();
        assert!(err.to_string().contains("injected"), "{err}");
        assert!(db.check().unwrap().is_ok(), "{:?}", db.check().unwrap().problems);
    }
    assert!(dump(&dir.db()) == before, "the database changed");
}

#[test]
fn an_import_inside_an_atomic_unit_is_kept_or_dropped_with_it() {
    let dir = Dir::new();
    existing(&dir.db());
    let before = dump(&dir.db());
    let text: Vec<String> = (0..3_000).map(|i| line(i, None)).collect();
    let file = dir.file("some.jsonl", text.join("\n").as_bytes());
    {
        let db = Db::open(dir.db()).unwrap();
        let result: claimdb::Result<()> = db.atomic(|db| {
            let report = import_jsonl(db, &file, &ImportOptions::default(), &Control::none())?;
            assert_eq!(report.imported, 3_000);
            assert_eq!(db.count()?, 3_002);
            db.execute("set status of claim 1 to false on 2024-11-05")?;
            Err(claimdb::errinput!("changed my mind"))
        });
        assert!(result.is_err());
        assert_eq!(db.count().unwrap(), 2);
    }
    assert!(dump(&dir.db()) == before, "the database changed");
    let db = Db::open(dir.db()).unwrap();
    db.atomic(|db| {
        import_jsonl(db, &file, &ImportOptions::default(), &Control::none())?;
        db.execute("set status of claim 1 to false on 2024-11-05").map(|_| ())
    })
    .unwrap();
    assert_eq!(db.count().unwrap(), 3_002);
    assert!(db.check().unwrap().is_ok());
}

#[test]
fn ids_that_would_leave_no_room_are_refused_per_record_with_their_line() {
    let dir = Dir::new();
    existing(&dir.db());
    let max = claimdb::engine::MAX_GIVEN_ID;
    let text = [
        line(0, Some(100)),
        line(1, Some(u64::MAX)),
        line(2, Some(u64::MAX - 1)),
        line(3, Some(max + 1)),
        line(4, Some(max)),
        line(5, None),
    ]
    .join("\n");
    let file = dir.file("ids.jsonl", text.as_bytes());
    let run = dir.run(&["-c", &format!("import \"{}\"", file.display())]);
    assert_eq!(run.code, Some(1));
    for l in [2, 3, 4] {
        assert!(run.stderr.contains(&format!("ids.jsonl:line {l}: claim id #")), "line {l}: {}", run.stderr);
    }
    assert!(run.stderr.contains(&format!("given ids go up to #{max}")), "{}", run.stderr);
    assert!(run.stderr.contains("3 bad records; nothing was imported"), "{}", run.stderr);
    let run = dir.run(&["--skip-bad", "-c", &format!("import \"{}\"", file.display())]);
    run.code(0);
    assert!(run.stdout.contains("imported 3 claims"), "{}", run.stdout);
    // The largest id that may be given was taken; claims without ids still
    // get one, after it.
    let run = dir.run(&["--format", "jsonl", "-c", "claims order by id"]);
    let ids: Vec<u64> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, vec![1, 2, 100, max, max + 1]);
    let run = dir.run(&["-c", "add claim \"still room\" by x on 2024-11-09"]);
    assert!(run.stdout.contains(&format!("added claim #{}", max + 2)), "{}{}", run.stdout, run.stderr);
}
