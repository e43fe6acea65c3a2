//! Tests of the engine through the embedding API.

use super::keys::META_FORMAT;
use super::*;
use crate::model::{date::parse_iso, Evidence, Kind, NewClaim, Relation, Source, Status};
use crate::Error;

fn day(s: &str) -> crate::model::Date {
    parse_iso(s).unwrap()
}

fn sample() -> NewClaim {
    NewClaim::new(
        "Qatar will cease its efforts to broker a Gaza ceasefire agreement",
        Source::new("diplomatic official").kind(Kind::Official).anonymous(true),
        day("2024-11-09"),
    )
    .outlet("Reuters")
    .topic("Qatar")
    .topic("Gaza ceasefire")
}

fn assert_consistent(db: &Db) {
    let report = db.check().unwrap();
    assert!(report.is_ok(), "{:#?}", report.problems);
}

#[test]
fn insert_get_and_sources_are_shared() {
    let db = Db::temporary().unwrap();
    let a = db.insert(sample()).unwrap();
    let b = db
        .insert(NewClaim::new(
            "second",
            Source::new("Diplomatic Official").kind(Kind::Official).anonymous(true),
            day("2024-11-10"),
        ))
        .unwrap();
    assert_eq!((a, b), (1, 2));
    let claim = db.get(a).unwrap().unwrap();
    assert_eq!(claim.source.name, "diplomatic official");
    assert_eq!(claim.outlets, vec!["Reuters"]);
    assert_eq!(claim.history.len(), 1);
    assert_eq!(claim.status, Status::Unverified);
    let sources = db.sources().unwrap();
    assert_eq!(sources.len(), 1, "same identity, one source: {sources:?}");
    assert_eq!(sources[0].claims, 2);
    assert_consistent(&db);
}

#[test]
fn updates_keep_indexes_consistent() {
    let db = Db::temporary().unwrap();
    let id = db.insert(sample()).unwrap();
    let other = db.insert(sample()).unwrap();
    db.set_status(
        id,
        StatusChange { status: Status::Disputed, date: Some(day("2024-11-10")), note: Some("denied".into()) },
    )
    .unwrap();
    db.edit(id, ClaimEdit::Text("Qatar suspends mediation".into())).unwrap();
    db.edit(id, ClaimEdit::AddOutlets(vec!["AFP".into(), "reuters".into()])).unwrap();
    db.edit(id, ClaimEdit::RemoveTopics(vec!["qatar".into()])).unwrap();
    db.edit(id, ClaimEdit::Rating(Some("half-true".into()))).unwrap();
    db.edit(id, ClaimEdit::Source(Source::new("US officials").kind(Kind::Official).affiliation("US"))).unwrap();
    db.add_evidence(id, Evidence { url: "https://example.org".into(), note: None, author: None }).unwrap();
    db.link(id, Relation::Contradicts, other).unwrap();
    assert_consistent(&db);
    let claim = db.get(id).unwrap().unwrap();
    assert_eq!(claim.status, Status::Disputed);
    assert_eq!(claim.history.len(), 2);
    assert_eq!(claim.outlets, vec!["Reuters", "AFP"]);
    assert_eq!(claim.topics, vec!["Gaza ceasefire"]);
    assert_eq!(claim.changes.len(), 5);
    assert_eq!(claim.relations, vec![crate::model::Link { relation: Relation::Contradicts, claim: other }]);
    let back = db.get(other).unwrap().unwrap();
    assert_eq!(back.linked_from, vec![crate::model::Link { relation: Relation::Contradicts, claim: id }]);

    db.delete(other).unwrap();
    assert!(db.get(other).unwrap().is_none());
    assert!(db.get(id).unwrap().unwrap().relations.is_empty());
    assert_consistent(&db);
    // Ids are never reused.
    assert_eq!(db.insert(sample()).unwrap(), 3);
}

#[test]
fn bad_writes_change_nothing() {
    let db = Db::temporary().unwrap();
    let id = db.insert(sample()).unwrap();
    let before = db.get(id).unwrap();
    let early = StatusChange { status: Status::False, date: Some(day("2024-01-01")), note: None };
    assert!(db.set_status(id, early).unwrap_err().to_string().contains("cannot change before"));
    assert!(db.set_status(99, StatusChange { status: Status::False, date: None, note: None }).is_err());
    assert!(db.insert(sample().with_id(id)).unwrap_err().to_string().contains("already exists"));
    assert!(db.insert(NewClaim::new("  ", Source::new("x"), day("2024-01-01"))).is_err());
    assert!(db.link(id, Relation::Supports, id).is_err());
    assert_eq!(db.get(id).unwrap(), before);
    assert_eq!(db.count().unwrap(), 1);
}

#[test]
fn a_write_failing_half_way_leaves_nothing() {
    let db = Db::temporary().unwrap();
    db.insert(sample()).unwrap();
    for ops in [1, 2, 5, 10] {
        db.inject_write_failure(ops);
        assert!(db.insert(sample().outlet("AFP")).is_err());
        assert_eq!(db.count().unwrap(), 1);
        assert_consistent(&db);
    }
    assert_eq!(db.insert(sample()).unwrap(), 2);
}

#[test]
fn persists_across_reopen_and_refuses_a_second_opener() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claims.db");
    {
        let db = Db::open(&path).unwrap();
        db.insert(sample()).unwrap();
        let err = Db::open(&path).err().unwrap();
        assert_eq!(
            err.to_string(),
            format!("database {} is in use by another process; close the other claimdb first", path.display())
        );
    }
    let db = Db::open(&path).unwrap();
    assert_eq!(db.get(1).unwrap().unwrap().outlets, vec!["Reuters"]);
    assert_consistent(&db);
}

#[test]
fn newer_format_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claims.db");
    {
        let store = crate::storage::Store::open(&path, &Default::default()).unwrap();
        let mut batch = crate::storage::WriteBatch::new();
        batch.put(crate::storage::Tree::Meta, META_FORMAT.to_vec(), 99u32.to_be_bytes().to_vec());
        store.write(&batch).unwrap();
        store.flush().unwrap();
    }
    let err = Db::open(&path).err().unwrap();
    assert!(matches!(err, Error::NewerFormat { found: 99, supported: FORMAT_VERSION, .. }), "{err}");
    assert!(err.to_string().contains("upgrade claimdb"));
}

#[test]
fn corrupt_values_are_errors_not_panics() {
    let db = Db::temporary().unwrap();
    let id = db.insert(sample()).unwrap();
    let key = keys::id_page_key(id, keys::CLAIMS_PER_PAGE);
    let tree = crate::storage::Tree::ClaimPages;
    let good = db.engine.store.get(tree, &key).unwrap().unwrap().to_vec();
    for i in 0..good.len() {
        let mut bad = good.clone();
        bad[i] ^= 0x5a;
        let mut batch = crate::storage::WriteBatch::new();
        batch.put(tree, key.to_vec(), bad);
        db.engine.store.write(&batch).unwrap();
        // Either the damage is caught or it decoded to some other valid claim.
        let _ = db.get(id);
        let _ = db.check();
    }
    let mut batch = crate::storage::WriteBatch::new();
    batch.put(tree, key.to_vec(), vec![keys::PAGE_FORMAT, 1, 1, 5, 0, 0, 0, 255, 255, 255, 255, 255]);
    db.engine.store.write(&batch).unwrap();
    assert!(matches!(db.get(id), Err(Error::Corrupt(_))), "{:?}", db.get(id));
    assert!(!db.check().unwrap().is_ok());
}

#[test]
fn many_threads_write_and_read() {
    let db = Db::temporary().unwrap();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let db = db.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    let claim = sample().outlet(format!("outlet{t}")).topic(format!("t{i}"));
                    let id = db.insert(claim).unwrap();
                    assert!(db.get(id).unwrap().is_some());
                    if i % 5 == 0 {
                        db.set_status(id, StatusChange { status: Status::Confirmed, date: None, note: None }).unwrap();
                    }
                    db.count().unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(db.count().unwrap(), 200);
    let stats = db.stats().unwrap();
    assert_eq!(stats.per_status[Status::Confirmed.code() as usize].1, 40);
    assert_consistent(&db);
}
