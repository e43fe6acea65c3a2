//! Many threads on one database at once, through the language
//! (`Db::execute`) and the typed API: adds, imports, status changes and
//! edits of the same claims, links, deletes, atomic units and readers. The
//! final state is exact (every acknowledged change is there, once), the
//! integrity check passes, and the database reopened from disk holds the
//! same.

mod common;

use claimdb::engine::ImportOptions;
use claimdb::model::date::parse_iso;
use claimdb::{ClaimEdit, Db, NewClaim, Output, Relation, Source, Status, StatusChange};
use common::{export, Dir};
use std::collections::BTreeSet;
use std::sync::{Arc, Barrier};

const SHARED: u64 = 50;
const DOOMED: u64 = 50;

fn day(s: &str) -> claimdb::Date {
    parse_iso(s).unwrap()
}

#[test]
fn threads_writing_the_same_claims_through_every_api_leave_an_exact_state() {
    let dir = Dir::new();
    let db = Db::open(dir.db()).unwrap();
    // Claims 1–50 are shared by the editing threads; 51–100 get deleted.
    for i in 1..=SHARED + DOOMED {
        db.insert(NewClaim::new(format!("seed claim {i}"), Source::new("seed source"), day("2024-11-01"))).unwrap();
    }
    let imports: Vec<_> = (0..3)
        .map(|f| {
            let lines: Vec<String> = (0..1000)
                .map(|i| {
                    serde_json::json!({
                        "text": format!("imported {f}-{i}"),
                        "source": format!("import source {}", i % 7),
                        "outlets": ["Reuters"],
                        "date": "2024-11-02",
                    })
                    .to_string()
                })
                .collect();
            dir.file(&format!("import-{f}.jsonl"), lines.join("\n").as_bytes())
        })
        .collect();

    let threads = 9;
    let barrier = Arc::new(Barrier::new(threads));
    let mut handles = Vec::new();
    let spawn = |handles: &mut Vec<std::thread::JoinHandle<()>>, f: Box<dyn FnOnce(Db) + Send>| {
        let db = db.clone();
        let barrier = barrier.clone();
        handles.push(std::thread::spawn(move || {
            barrier.wait();
            f(db)
        }));
    };
    // Adds through the language.
    spawn(
        &mut handles,
        Box::new(|db| {
            for i in 0..150 {
                let out = db
                    .execute(&format!("add claim \"language add {i}\" by \"lang source\" via AFP on 2024-11-03"))
                    .unwrap();
                assert!(matches!(out, Output::Added(_) | Output::AddedNearDuplicate { .. }), "{out:?}");
            }
        }),
    );
    // Adds through the typed API, some in batches.
    spawn(
        &mut handles,
        Box::new(|db| {
            for i in 0..100 {
                db.insert(NewClaim::new(format!("typed add {i}"), Source::new("typed source"), day("2024-11-03")))
                    .unwrap();
            }
            for b in 0..5 {
                let batch: Vec<NewClaim> = (0..10)
                    .map(|i| {
                        NewClaim::new(format!("batch {b} add {i}"), Source::new("typed source"), day("2024-11-03"))
                    })
                    .collect();
                db.insert_many(batch).unwrap();
            }
        }),
    );
    // Imports.
    let files = imports.clone();
    spawn(
        &mut handles,
        Box::new(move |db| {
            for file in files {
                let report = claimdb::interchange::import(
                    &db,
                    &file,
                    &claimdb::interchange::ImportFormat::Jsonl,
                    &ImportOptions { chunk: 300, index_batch: 600, ..ImportOptions::default() },
                    &claimdb::engine::Control::none(),
                )
                .unwrap();
                assert_eq!(report.imported, 1000);
            }
        }),
    );
    // Status changes of the shared claims, through the language.
    spawn(
        &mut handles,
        Box::new(|db| {
            for id in 1..=SHARED {
                db.execute(&format!(
                    "set status of claim {id} to disputed on 2024-11-04 because \"status thread {id}\""
                ))
                .unwrap();
            }
        }),
    );
    // Edits of the same claims, through the typed API.
    spawn(
        &mut handles,
        Box::new(|db| {
            for id in 1..=SHARED {
                db.edit(id, ClaimEdit::AddTopics(vec![format!("topic {id}")])).unwrap();
                db.edit(id, ClaimEdit::AddOutlets(vec!["AP".into()])).unwrap();
                db.set_status(
                    id,
                    StatusChange {
                        status: Status::Confirmed,
                        date: Some(day("2024-11-06")),
                        note: Some(format!("edit thread {id}")),
                    },
                )
                .unwrap();
            }
        }),
    );
    // Links among the shared claims, half of them removed again.
    spawn(
        &mut handles,
        Box::new(|db| {
            for id in 1..SHARED {
                db.link(id, Relation::Supports, id + 1).unwrap();
            }
            for id in (1..SHARED).step_by(2) {
                db.unlink(id, Relation::Supports, id + 1).unwrap();
            }
            db.execute("link claim 1 contradicts claim 50").unwrap();
        }),
    );
    // Deletes of the doomed claims, half through each API.
    spawn(
        &mut handles,
        Box::new(|db| {
            for id in SHARED + 1..=SHARED + DOOMED {
                if id % 2 == 0 {
                    db.delete(id).unwrap();
                } else {
                    db.execute(&format!("delete claim {id}")).unwrap();
                }
            }
        }),
    );
    // Atomic units: one kept, one dropped.
    spawn(
        &mut handles,
        Box::new(|db| {
            db.atomic(|db| {
                for i in 0..20 {
                    db.execute(&format!("add claim \"unit kept {i}\" by \"unit source\" on 2024-11-05"))?;
                }
                Ok(())
            })
            .unwrap();
            let dropped: claimdb::Result<()> = db.atomic(|db| {
                for i in 0..20 {
                    db.insert(NewClaim::new(
                        format!("unit dropped {i}"),
                        Source::new("unit source"),
                        day("2024-11-05"),
                    ))?;
                }
                Err(claimdb::errinput!("dropped on purpose"))
            });
            assert!(dropped.is_err());
        }),
    );
    // Readers, all along.
    spawn(
        &mut handles,
        Box::new(|db| {
            for _ in 0..60 {
                db.execute("count claims per status").unwrap();
                db.execute("claims via Reuters limit 5").unwrap();
                assert!(db.count().unwrap() >= SHARED);
                let _ = db.get(1).unwrap().unwrap();
            }
        }),
    );
    for h in handles {
        h.join().unwrap();
    }

    let check = |db: &Db| {
        let report = db.check().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
        assert_eq!(db.count().unwrap(), SHARED + 150 + 150 + 3000 + 20);
        for id in 1..=SHARED {
            let claim = db.get(id).unwrap().unwrap();
            let notes: BTreeSet<String> = claim.history.iter().filter_map(|h| h.note.clone()).collect();
            let want: BTreeSet<String> = [format!("status thread {id}"), format!("edit thread {id}")].into();
            assert_eq!(notes, want, "claim #{id}");
            assert_eq!(claim.status, Status::Confirmed, "claim #{id}: the later date wins");
            assert_eq!(claim.topics, vec![format!("topic {id}")]);
            assert_eq!(claim.outlets, vec!["AP".to_string()]);
            let supports: Vec<u64> =
                claim.relations.iter().filter(|l| l.relation == Relation::Supports).map(|l| l.claim).collect();
            let want: Vec<u64> = if id < SHARED && id % 2 == 0 { vec![id + 1] } else { vec![] };
            assert_eq!(supports, want, "claim #{id}");
        }
        for id in SHARED + 1..=SHARED + DOOMED {
            assert!(db.get(id).unwrap().is_none(), "claim #{id} was deleted");
        }
        assert!(matches!(db.execute("count claims mentioning \"unit dropped\"").unwrap(), Output::Count(0)));
        assert!(matches!(db.execute("count claims mentioning \"unit kept\"").unwrap(), Output::Count(20)));
        assert!(matches!(db.execute("count claims by \"import source 3\"").unwrap(), Output::Count(429)));
        let ids: BTreeSet<u64> = common::all_claims(db).iter().map(|c| c.id).collect();
        assert_eq!(ids.len() as u64, db.count().unwrap(), "every id once");
    };
    check(&db);
    let before = export(&db);
    drop(db);
    let db = Db::open(dir.db()).unwrap();
    check(&db);
    assert_eq!(export(&db), before);
}

#[test]
fn writers_and_an_atomic_unit_wait_for_each_other_and_lose_nothing() {
    let db = Db::temporary().unwrap();
    let writers: Vec<_> = (0..6)
        .map(|t| {
            let db = db.clone();
            std::thread::spawn(move || {
                for i in 0..40 {
                    if t % 2 == 0 {
                        db.atomic(|db| {
                            db.insert(NewClaim::new(
                                format!("t{t} a{i}"),
                                Source::new(format!("s{t}")),
                                day("2024-11-09"),
                            ))?;
                            db.insert(NewClaim::new(
                                format!("t{t} b{i}"),
                                Source::new(format!("s{t}")),
                                day("2024-11-09"),
                            ))?;
                            // Reads inside see the unit's own writes.
                            assert!(matches!(
                                db.execute(&format!("count claims mentioning \"t{t} a{i}\""))?,
                                Output::Count(1)
                            ));
                            Ok(())
                        })
                        .unwrap();
                    } else {
                        db.execute(&format!("add claim \"t{t} c{i}\" by \"s{t}\" on 2024-11-09")).unwrap();
                    }
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    assert_eq!(db.count().unwrap(), 3 * 80 + 3 * 40);
    assert!(db.check().unwrap().is_ok());
}
