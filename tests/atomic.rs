//! Atomic units of several statements (`Db::atomic`), through the library:
//! all or nothing, reads inside see the unit's writes, a failed statement
//! inside changes nothing, a panic rolls back, and a process killed in the
//! middle of a unit leaves none of it.

mod common;

use claimdb::model::date::parse_iso;
use claimdb::{Db, NewClaim, Output, Source};
use common::{export, Dir};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn claim(text: &str) -> NewClaim {
    NewClaim::new(text, Source::new("unit source"), parse_iso("2024-11-09").unwrap())
}

#[test]
fn a_unit_is_kept_whole_or_not_at_all() {
    let dir = Dir::new();
    let db = Db::open(dir.db()).unwrap();
    db.insert(claim("before")).unwrap();
    let before = export(&db);

    let err = db
        .atomic(|db| {
            db.insert(claim("one"))?;
            db.execute("add claim \"two\" by \"unit source\" via Reuters on 2024-11-09")?;
            db.execute("set status of claim 1 to disputed on 2024-11-10")?;
            db.execute("link claim 2 supports claim 3")?;
            // Reads inside see the unit's writes.
            assert!(matches!(db.execute("count claims")?, Output::Count(3)));
            assert_eq!(db.get(2)?.unwrap().relations.len(), 1);
            // A statement that fails changes nothing, and the unit goes on.
            assert!(db.execute("delete claim 99").is_err());
            db.execute("delete claim 99").map(|_| ())
        })
        .unwrap_err();
    assert!(err.to_string().contains("no claim #99"), "{err}");
    assert_eq!(export(&db), before);
    assert_eq!(db.count().unwrap(), 1);
    // The ids the dropped unit used are free again.
    assert_eq!(db.insert(claim("after a dropped unit")).unwrap(), 2);

    let ids = db
        .atomic(|db| {
            let a = db.insert(claim("kept one"))?;
            assert!(db.execute("delete claim 99").is_err());
            let b = db.atomic(|db| db.insert(claim("kept two, from a nested unit")))?;
            Ok((a, b))
        })
        .unwrap();
    assert_eq!(ids, (3, 4));
    assert_eq!(db.count().unwrap(), 4);
    assert!(db.check().unwrap().is_ok());
    drop(db);
    let db = Db::open(dir.db()).unwrap();
    assert_eq!(db.count().unwrap(), 4);
    assert!(db.open_notes().is_empty());
}

#[test]
fn a_panic_inside_a_unit_rolls_it_back() {
    let db = Db::temporary().unwrap();
    db.insert(claim("before")).unwrap();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        db.atomic(|db| {
            db.insert(claim("inside"))?;
            panic!("the caller's code fails");
            #[allow(unreachable_code)]
            Ok(())
        })
    }));
    assert!(result.is_err());
    assert_eq!(db.count().unwrap(), 1);
    assert!(db.check().unwrap().is_ok());
    // The database is usable afterwards, from any thread.
    let other = db.clone();
    std::thread::spawn(move || other.insert(claim("from another thread")).unwrap()).join().unwrap();
    assert_eq!(db.count().unwrap(), 2);
}

/// Run as a child process by the test below: a unit that writes claims one
/// by one, reporting each, and waits to be killed before it would commit.
#[test]
fn unit_writer_child() {
    let Ok(path) = std::env::var("CLAIMDB_ATOMIC_CHILD") else { return };
    let db = Db::open(path).unwrap();
    let _ = db.atomic(|db| {
        for i in 0..100_000 {
            db.insert(claim(&format!("inside the unit {i}")))?;
            if i % 50 == 0 {
                println!("inside {i}");
            }
        }
        Ok(())
    });
    println!("committed");
}

#[test]
fn a_process_killed_inside_a_unit_leaves_none_of_it() {
    let dir = Dir::new();
    {
        let db = Db::open(dir.db()).unwrap();
        for i in 0..10 {
            db.insert(claim(&format!("before {i}"))).unwrap();
        }
    }
    let before = {
        let db = Db::open(dir.db()).unwrap();
        export(&db)
    };
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "unit_writer_child", "--nocapture", "--test-threads", "1"])
        .env("CLAIMDB_ATOMIC_CHILD", dir.db())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut seen = 0;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if line.starts_with("inside ") {
            seen += 1;
            if seen == 10 {
                break;
            }
        }
    }
    assert_eq!(seen, 10, "the child wrote inside its unit");
    child.kill().unwrap();
    child.wait().unwrap();
    let db = Db::open(dir.db()).unwrap();
    assert!(db.open_notes().iter().any(|n| n.contains("rolled back")), "{:?}", db.open_notes());
    assert_eq!(export(&db), before);
    assert!(db.check().unwrap().is_ok());
    assert_eq!(db.insert(claim("next")).unwrap(), 11);
}
