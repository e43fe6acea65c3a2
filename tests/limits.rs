//! Limits on what one claim may hold, so that no input makes a write
//! super-linear or a record too large to read back: a claim with 100,000
//! topics or outlets is refused with a clear message (and in an import,
//! with its line), as is one whose stored record would pass 1 MiB.

mod common;

use claimdb::model::date::parse_iso;
use claimdb::{Db, Evidence, NewClaim, Source};
use common::{export, Dir};

#[test]
fn a_claim_with_100000_topics_or_outlets_is_refused_with_its_line() {
    let dir = Dir::new();
    let topics: Vec<String> = (0..100_000).map(|i| format!("topic {i}")).collect();
    let outlets: Vec<String> = (0..100_000).map(|i| format!("outlet {i}")).collect();
    let lines = [
        serde_json::json!({"text": "fine", "source": "s", "date": "2024-11-09", "topics": ["a", "b"]}).to_string(),
        serde_json::json!({"text": "too many topics", "source": "s", "date": "2024-11-09", "topics": topics})
            .to_string(),
        serde_json::json!({"text": "too many outlets", "source": "s", "date": "2024-11-09", "outlets": outlets})
            .to_string(),
    ];
    let file = dir.file("many.jsonl", lines.join("\n").as_bytes());
    let run = dir.run(&["-c", &format!("import \"{}\"", file.display())]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("line 2: a claim may have at most 1000 topics; this one would have 100000"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("line 3: a claim may have at most 1000 outlets"), "{}", run.stderr);
    let run = dir.run(&["--skip-bad", "-c", &format!("import \"{}\"", file.display()), "-c", ".check"]);
    run.code(0);
    assert!(run.stdout.contains("imported 1 claim"), "{}", run.stdout);
}

#[test]
fn limits_hold_for_edits_and_the_typed_api_and_change_nothing() {
    let db = Db::temporary().unwrap();
    let day = parse_iso("2024-11-09").unwrap();
    let id = db.insert(NewClaim::new("a claim", Source::new("s"), day).topic("first")).unwrap();
    let before = export(&db);
    let mut claim = NewClaim::new("many", Source::new("s"), day);
    claim.topics = (0..1001).map(|i| format!("t{i}")).collect();
    let err = db.insert(claim).unwrap_err().to_string();
    assert!(err.contains("at most 1000 topics; this one would have 1001"), "{err}");
    let err = db.edit(id, claimdb::ClaimEdit::AddOutlets((0..1500).map(|i| format!("o{i}")).collect())).unwrap_err();
    assert!(err.to_string().contains("at most 1000 outlets"), "{err}");
    let list = (0..2000).map(|i| format!("t{i}")).collect::<Vec<_>>().join(", ");
    let err = db.execute(&format!("add topics {list} to claim {id}")).unwrap_err();
    assert!(err.to_string().contains("at most 1000 topics"), "{err}");
    assert_eq!(export(&db), before);

    // A record past 1 MiB: 1,000 pieces of evidence with long notes.
    let mut claim = NewClaim::new("heavy", Source::new("s"), day);
    claim.evidence = (0..1000)
        .map(|i| Evidence { url: format!("https://example.org/{i}"), note: Some("n".repeat(2000)), author: None })
        .collect();
    let err = db.insert(claim).unwrap_err().to_string();
    assert!(
        err.contains("KiB stored; a claim with its history, evidence and edits may take at most 1024 KiB"),
        "{err}"
    );
    for i in 0..500 {
        db.add_evidence(
            id,
            Evidence { url: format!("https://example.org/{i}"), note: Some("n".repeat(4000)), author: None },
        )
        .or_else(|e| if e.to_string().contains("at most 1024 KiB") { Ok(()) } else { Err(e) })
        .unwrap();
    }
    let stored = db.get(id).unwrap().unwrap();
    assert!(stored.evidence.len() < 500, "the evidence stopped at the limit ({})", stored.evidence.len());
    assert!(db.check().unwrap().is_ok());
}
