//! claimdb's own CSV imports back whole (issue 14, "Round trips"): export →
//! import (no mapping) → export gives the same bytes, and the two databases
//! hold the same claims — history, evidence, relations, edits and all —
//! through the real binary.
//!
//! Before: `import "export.csv"` said "a CSV import needs a column
//! mapping", and with the mapping history, evidence and relations were
//! lost and each history was rewritten to the current status.

mod common;

use common::Dir;

/// A claim with everything a claim can have, as JSONL (source description
/// and evidence authors have no statement of their own).
const RICH: &str = r#"{"id": 7, "text": "Qatar \"will stop\" mediating;\nfor now — 停止", "source": {"name": "diplomatic official", "kind": "official", "anonymous": true, "affiliation": "Qatar", "description": "briefed reporters, Doha"}, "outlets": ["Reuters", "A;B wire", "[bracketed]"], "date": "2024-11-09", "status": "unverified", "rating": "half-true", "topics": ["Gaza ceasefire", "-minus"], "evidence": [{"url": "https://example.org/check", "note": "the fact-check", "author": "Example Checkers"}], "history": [{"status": "unverified", "date": "2024-11-09", "note": null, "recorded_at": "2024-11-20T12:00:00Z"}], "notes": "=cmd|' /C calc'!A0", "recorded_at": "2024-11-20T12:00:00Z"}
{"id": 8, "text": "Hamas has not received any request to leave", "source": "Hamas official", "date": "2024-11-09", "recorded_at": "2024-11-20T12:00:00Z", "history": [{"status": "unverified", "date": "2024-11-09", "recorded_at": "2024-11-20T12:00:00Z"}]}
"#;

fn now(dir: &Dir, args: &[&str]) -> common::Run {
    let mut cmd = dir.cmd();
    cmd.env("CLAIMDB_NOW", "2024-11-21T09:30:00Z").arg(dir.db()).args(args);
    let run = common::Run::from(cmd.output().unwrap());
    run.code(0);
    run
}

fn rich_database() -> Dir {
    let dir = Dir::new();
    dir.file("rich.jsonl", RICH.as_bytes());
    now(
        &dir,
        &[
            "-c",
            "import \"rich.jsonl\"",
            "-c",
            "set status of claim 7 to confirmed on 2024-11-11 because \"Qatar's foreign ministry, on the record\"",
            "-c",
            "set status of claim 7 to retracted on 2024-11-15",
            "-c",
            "add evidence \"https://example.org/wire\" note \"wire copy, 09:14\" to claim 7",
            "-c",
            "link claim 8 contradicts claim 7",
            "-c",
            "set text of claim 8 to \"Hamas has not received any request from Qatar to leave the country\"",
            "-c",
            "add outlets AFP to claim 8",
            "-c",
            "add claim \"plain\" by someone on 2024-11-12",
        ],
    );
    dir
}

fn jsonl(dir: &Dir) -> String {
    dir.run(&["--format", "jsonl", "-c", "claims order by id"]).code(0).stdout.clone()
}

#[test]
fn export_import_export_is_identical_and_keeps_everything() {
    let first = rich_database();
    now(&first, &["-c", "export to \"first.csv\""]);
    let exported = std::fs::read(first.path().join("first.csv")).unwrap();
    let header = String::from_utf8_lossy(&exported).lines().next().unwrap().to_string();
    assert_eq!(
        header,
        "id,text,source,kind,anonymous,affiliation,outlets,date,status,rating,topics,notes,description,evidence,history,relations,recorded_at,changes"
    );

    let second = Dir::new();
    std::fs::write(second.path().join("first.csv"), &exported).unwrap();
    let run = now(&second, &["-c", "import \"first.csv\""]);
    assert_eq!(run.stdout.trim(), "imported 3 claims (#7–#9); rejected 0 records");
    now(&second, &["-c", "export to \"second.csv\""]);
    assert_eq!(std::fs::read(second.path().join("second.csv")).unwrap(), exported, "export → import → export");

    // Everything, not only what the flat columns show.
    assert_eq!(jsonl(&second), jsonl(&first));
    let history = second.run(&["-c", "history of claim 7"]).code(0).stdout.clone();
    for want in ["unverified", "confirmed", "retracted", "Qatar's foreign ministry, on the record"] {
        assert!(history.contains(want), "{want}:\n{history}");
    }
    let shown = second.run(&["-c", "claim 8"]).code(0).stdout.clone();
    assert!(shown.contains("contradicts"), "{shown}");
    assert!(shown.contains("Hamas has not received any request to leave"), "the edit is kept:\n{shown}");
    assert!(second.run(&["-c", ".check"]).code(0).stdout.contains("ok"));

    // `import csv "…"` without a mapping reads it the same way.
    let third = Dir::new();
    std::fs::write(third.path().join("x.csv"), &exported).unwrap();
    now(&third, &["-c", "import csv \"x.csv\""]);
    assert_eq!(jsonl(&third), jsonl(&first));
}

#[test]
fn the_flat_table_csv_is_refused_with_what_it_lacks() {
    let first = rich_database();
    let table = first.run(&["--format", "csv", "-c", "claims"]).code(0).stdout.clone();
    let other = Dir::new();
    other.file("table.csv", table.as_bytes());
    let run = other.run(&["-c", "import \"table.csv\""]);
    run.code(1);
    assert!(
        run.stderr.contains(
            "table.csv has claimdb's flat columns but not description, evidence, history, relations, recorded_at, changes"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("export with `export to \"FILE.csv\"`"), "{}", run.stderr);
    assert_eq!(other.run(&["-c", "count claims"]).code(0).stdout, "0 claims\n");
}

#[test]
fn bad_cells_of_claimdb_csv_name_their_line_and_column() {
    let first = rich_database();
    now(&first, &["-c", "export to \"good.csv\""]);
    let good = std::fs::read_to_string(first.path().join("good.csv")).unwrap();
    let other = Dir::new();
    let cases = [
        (
            good.replacen("2024-11-12", "2024-11-31", 1),
            "line 5: date: 2024-11-31 is not a date: November 2024 has 30 days",
        ),
        (good.replacen(",unknown,false,", ",unknown,perhaps,", 1), "line 4: anonymous: 'perhaps' is not true or false"),
        (
            good.replacen("\"[{\"\"status", "\"[{\"\"statuz", 1),
            "line 2: history: unknown field `statuz`, expected one of `status`, `date`, `note`, `recorded_at`",
        ),
        (
            good.replacen("\"\"status\"\":\"\"unverified\"\"", "\"\"status\"\":unverified", 1),
            "line 2: history: not valid JSON: expected value (column 12)",
        ),
    ];
    for (content, want) in cases {
        other.file("bad.csv", content.as_bytes());
        let run = other.run(&["-c", "import \"bad.csv\""]);
        run.code(1);
        assert!(run.stderr.contains(want), "wanted {want}:\n{}", run.stderr);
        assert_eq!(other.run(&["-c", "count claims"]).code(0).stdout, "0 claims\n");
    }
}

mod property {
    use claimdb::interchange::{self, csv::CsvMapping, ImportFormat};
    use claimdb::model::date::parse_iso;
    use claimdb::{ClaimEdit, Db, Evidence, NewClaim, Source, Status, StatusChange};
    use proptest::prelude::*;

    /// Text as the database keeps it (trimmed, not empty, no NUL), drawn from
    /// the characters that stress CSV and the formula guard.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just('='),
                Just('+'),
                Just('-'),
                Just('@'),
                Just('\''),
                Just('"'),
                Just(','),
                Just(';'),
                Just('['),
                Just(']'),
                Just('\n'),
                Just('\r'),
                Just('\t'),
                Just(' '),
                Just('a'),
                Just('é'),
                Just('停'),
                Just('{'),
            ],
            1..12,
        )
        .prop_map(|chars| chars.into_iter().collect::<String>().trim().to_string())
        .prop_filter("not empty once trimmed", |s| !s.is_empty())
    }

    fn all(db: &Db) -> Vec<claimdb::Claim> {
        let mut claims = Vec::new();
        db.for_each_claim(|c| {
            claims.push(c);
            Ok(())
        })
        .unwrap();
        claims
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

        /// Whatever the text, names, notes and history, claimdb's CSV
        /// imports back (no mapping) to the same claims.
        #[test]
        fn claimdb_csv_round_trips(
            claims in proptest::collection::vec(
                (text(), text(), proptest::collection::vec(text(), 0..3), proptest::collection::vec(text(), 0..3),
                 proptest::option::of(text()), proptest::option::of(text()), proptest::option::of(text())),
                1..5,
            )
        ) {
            let db = Db::temporary().unwrap();
            let day = parse_iso("2024-11-09").unwrap();
            for (body, source, outlets, topics, notes, rating, reason) in &claims {
                let mut claim = NewClaim::new(body.clone(), Source::new(source.clone()).description(body.clone()), day);
                claim.outlets = outlets.clone();
                claim.topics = topics.clone();
                claim.notes = notes.clone();
                claim.rating = rating.clone();
                claim.evidence = vec![Evidence { url: format!("https://example.org/{body}"), note: notes.clone(), author: rating.clone() }];
                let id = db.insert(claim).unwrap();
                db.set_status(id, StatusChange { status: Status::Disputed, date: Some(day), note: reason.clone() }).unwrap();
                db.edit(id, ClaimEdit::Text(format!("{body} (edited)"))).unwrap();
            }
            let mut out = Vec::new();
            interchange::csv::export::export(&db, &mut out).unwrap();
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("x.csv");
            std::fs::write(&path, &out).unwrap();
            let copy = Db::temporary().unwrap();
            interchange::import(&copy, &path, &ImportFormat::Csv(CsvMapping::default()), &Default::default(), &claimdb::engine::Control::none()).unwrap();
            prop_assert_eq!(all(&copy), all(&db));
        }
    }
}
