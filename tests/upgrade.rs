//! Databases of the first stored format are upgraded in place when opened,
//! with everything in them; what an interrupted import left is dropped.
//! The fixtures were written by the code of that format (see
//! tests/fixtures/README.md).

mod common;

use claimdb::storage::{Store, StoreOptions};
use claimdb::{Claim, Db, Relation, Status};
use common::{all_claims, repo_file, Dir};
use std::path::{Path, PathBuf};

/// Copies a fixture database into `dir` (never opened in place).
fn copy_fixture(name: &str, dir: &Dir) -> PathBuf {
    let to = dir.path().join("news.db");
    std::fs::create_dir(&to).unwrap();
    for entry in std::fs::read_dir(repo_file(&format!("tests/fixtures/{name}"))).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
    to
}

/// The claims the fixture's own build exported, read into a new database:
/// what the upgraded database must hold, field by field.
fn expected_claims() -> Vec<Claim> {
    all_claims(&expected_db())
}

fn expected_db() -> Db {
    let db = Db::temporary().unwrap();
    let report = claimdb::interchange::import(
        &db,
        &repo_file("tests/fixtures/v1-sample.jsonl"),
        &claimdb::interchange::ImportFormat::Jsonl,
        &Default::default(),
        &claimdb::engine::Control::none(),
    )
    .unwrap();
    assert_eq!(report.imported, 11);
    db
}

fn tree_names(path: &Path) -> Vec<String> {
    let store = Store::open(path, &StoreOptions::default()).unwrap();
    let mut names = store.other_tree_names();
    names.sort();
    names
}

#[test]
fn a_version_1_database_is_upgraded_with_every_claim_history_evidence_and_relation() {
    let dir = Dir::new();
    let path = copy_fixture("v1-sample", &dir);
    let db = Db::open(&path).unwrap();
    let notes = db.open_notes().to_vec();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with(&format!("upgraded {} from format 1 to format 2 (11 claims", path.display())),
        "{}",
        notes[0]
    );
    let report = db.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!((report.claims, report.links), (11, 3));

    let claims = all_claims(&db);
    assert_eq!(claims, expected_claims());
    // A few facts spelled out, so that a mistake in both sides cannot hide.
    let three = db.get(3).unwrap().unwrap();
    let statuses: Vec<Status> = three.history.iter().map(|h| h.status).collect();
    assert_eq!(statuses, [Status::Unverified, Status::Confirmed, Status::Retracted]);
    assert_eq!(three.history[2].note.as_deref(), Some("Reuters withdrew the report"));
    assert!(db.get(11).unwrap().is_none(), "the deleted claim stays deleted");
    let six = db.get(6).unwrap().unwrap();
    assert_eq!(six.relations, vec![claimdb::Link { relation: Relation::Contradicts, claim: 7 }]);
    let two = db.get(2).unwrap().unwrap();
    assert_eq!(two.linked_from.len(), 2, "{:?}", two.linked_from);
    assert!(two.evidence.iter().any(|e| e.url == "https://example.org/afp"));
    let eight = db.get(8).unwrap().unwrap();
    assert_eq!(eight.changes.len(), 3);
    assert_eq!(db.get(12).unwrap().unwrap().rating.as_deref(), Some("false"));
    // Indexes answer as before, and ids go on where they stopped.
    let anonymous = db.execute("count claims by anonymous officials").unwrap();
    assert!(matches!(anonymous, claimdb::Output::Count(8)), "{anonymous:?}");
    let next = db
        .insert(claimdb::NewClaim::new(
            "after the upgrade",
            claimdb::Source::new("x"),
            claimdb::model::date::parse_iso("2024-11-21").unwrap(),
        ))
        .unwrap();
    assert_eq!(next, 13);
    drop(db);

    // The old trees are gone, the marker is there, and the next open has
    // nothing to say.
    assert!(tree_names(&path).is_empty(), "{:?}", tree_names(&path));
    assert!(path.join("claimdb.marker").is_file());
    let db = Db::open(&path).unwrap();
    assert!(db.open_notes().is_empty(), "{:?}", db.open_notes());
    assert_eq!(db.count().unwrap(), 12);
    assert!(db.check().unwrap().is_ok());
}

#[test]
fn the_binary_opens_a_version_1_database_and_answers_from_it() {
    let dir = Dir::new();
    let path = copy_fixture("v1-sample", &dir);
    let out = dir.cmd().arg(&path).args(["-c", "count claims per status", "-c", ".check"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("retracted") && stdout.contains("(4 statuses; 11 claims)"), "{stdout}");
    assert!(stdout.contains("ok: no problems found"), "{stdout}");
    // The upgrade is said once, on stderr, and never again.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("claimdb: upgraded ") && stderr.contains("from format 1 to format 2"), "{stderr}");
    let again = dir.cmd().arg(&path).args(["-c", "count claims"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&again.stderr), "", "a second open says nothing");
}

#[test]
fn an_import_a_crash_left_in_a_version_1_database_is_left_out_with_its_sources() {
    let dir = Dir::new();
    let path = copy_fixture("v1-interrupted-import", &dir);
    let db = Db::open(&path).unwrap();
    assert!(
        db.open_notes()[0].contains("an import left unfinished by a crash was rolled back"),
        "{:?}",
        db.open_notes()
    );
    assert_eq!(all_claims(&db), expected_claims());
    // Sources no claim refers to (the import's, and those version 1 kept
    // after an edit or a delete) are not carried over.
    assert_eq!(db.sources().unwrap(), expected_db().sources().unwrap());
    assert_eq!(db.vocabulary().unwrap(), expected_db().vocabulary().unwrap());
    let vocabulary = db.vocabulary().unwrap();
    assert!(!vocabulary.sources.iter().any(|s| s.starts_with("import source")), "{:?}", vocabulary.sources);
    assert!(!vocabulary.outlets.iter().any(|o| o == "Import Wire"));
    assert!(db.check().unwrap().is_ok(), "{:?}", db.check().unwrap().problems);
    // Version 1 had used ids up to #522 for the import; they stay used.
    let next = db
        .insert(claimdb::NewClaim::new(
            "next",
            claimdb::Source::new("x"),
            claimdb::model::date::parse_iso("2024-11-21").unwrap(),
        ))
        .unwrap();
    assert_eq!(next, 523);
}

#[test]
fn an_upgrade_interrupted_before_its_switch_starts_again_from_the_old_database() {
    // What a crash half-way leaves: the old trees whole, and part of the
    // new ones. Simulated by writing a stray page into a new tree of the
    // fixture before the upgrade runs.
    let dir = Dir::new();
    let path = copy_fixture("v1-sample", &dir);
    {
        let store = Store::open(&path, &StoreOptions::default()).unwrap();
        let mut batch = claimdb::storage::WriteBatch::new();
        batch.put(claimdb::storage::Tree::ClaimPages, 0u64.to_be_bytes().to_vec(), b"half-written".to_vec());
        batch.put(claimdb::storage::Tree::Index, b"Wstray".to_vec(), b"junk".to_vec());
        store.write(&batch).unwrap();
        store.flush().unwrap();
    }
    let db = Db::open(&path).unwrap();
    assert!(db.check().unwrap().is_ok(), "{:?}", db.check().unwrap().problems);
    assert_eq!(all_claims(&db), expected_claims());
}

#[test]
fn a_larger_version_1_database_upgrades_exactly() {
    use claimdb::model::date::parse_iso;
    use claimdb::{Kind, NewClaim, Source};
    let dir = Dir::new();
    let path = dir.path().join("large.db");
    let day = parse_iso("2020-01-01").unwrap();
    let claims: Vec<NewClaim> = (0..5000u64)
        .map(|i| {
            let source = Source::new(format!("official {}", i % 97)).kind(Kind::Official).anonymous(i % 3 == 0);
            let mut claim = NewClaim::new(
                format!("claim {i} about talks in Doha, said word{}", i % 41),
                source,
                day + chrono::Days::new(i % 400),
            )
            .outlet(["Reuters", "AFP", "AP"][(i % 3) as usize])
            .topic(format!("topic {}", i % 13));
            claim.recorded_at = Some(chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap());
            claim
        })
        .collect();
    claimdb::engine::write_version_1(
        &path,
        claims.clone(),
        &[(1, Relation::Supports, 2), (10, Relation::Duplicates, 4000)],
    )
    .unwrap();
    let db = Db::open(&path).unwrap();
    assert!(db.open_notes()[0].contains("(5000 claims, 194 sources, 2 relations"), "{:?}", db.open_notes());
    assert!(db.check().unwrap().is_ok(), "{:?}", db.check().unwrap().problems);
    let fresh = Db::temporary().unwrap();
    fresh.insert_many(claims).unwrap();
    fresh.link(1, Relation::Supports, 2).unwrap();
    fresh.link(10, Relation::Duplicates, 4000).unwrap();
    for q in [
        "count claims mentioning \"talks in doha\"",
        "count claims by anonymous officials via AFP per month",
        "claims about \"topic 7\" mentioning word3* limit 5",
    ] {
        let a = serde_json::to_value(db.execute(q).unwrap()).unwrap();
        let b = serde_json::to_value(fresh.execute(q).unwrap()).unwrap();
        assert_eq!(a, b, "{q}");
    }
}
