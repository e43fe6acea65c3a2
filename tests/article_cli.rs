//! The article statements through the real binary and the library: what
//! `extract from` prints in JSON (character offsets into the file), that
//! its `--format cq` output runs as a script, that `import article` is one
//! write (a failure in it leaves the database as it was), that bad files
//! change nothing, and that `claims like` finds a claim by other words.

mod common;

use claimdb::Db;
use common::{export, repo_file, Dir};

const SEED: &str = "tests/data/articles/dev/qatar-mediation-2024-11-09.txt";

fn seed_text() -> String {
    std::fs::read_to_string(repo_file(SEED)).unwrap()
}

/// The characters `start..end` of `text` (offsets in Unicode scalar values).
fn chars(text: &str, start: u64, end: u64) -> String {
    text.chars().skip(start as usize).take((end - start) as usize).collect()
}

#[test]
fn json_proposals_carry_their_extraction_with_character_offsets() {
    let dir = Dir::with_database();
    let article = dir.file("seed.txt", seed_text().as_bytes());
    let statement = format!("extract from \"{}\"", article.display());
    let run = dir.run(&["--format", "json", "-c", &statement]);
    run.code(0);
    let proposals: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let proposals = proposals.as_array().unwrap();
    assert_eq!(proposals.len(), 7, "{}", run.stdout);
    let text = seed_text();
    for p in proposals {
        let x = &p["extraction"];
        for key in ["cue", "quote", "span", "source_span", "rule", "matches"] {
            assert!(!x[key].is_null(), "{key} missing: {p}");
        }
        // The source's span is its words as the article writes them.
        let source =
            chars(&text, x["source_span"]["start"].as_u64().unwrap(), x["source_span"]["end"].as_u64().unwrap());
        assert!(source.contains(p["source"]["name"].as_str().unwrap()), "{source:?} vs {p}");
        // The content's span holds the claim's words.
        let content = chars(&text, x["span"]["start"].as_u64().unwrap(), x["span"]["end"].as_u64().unwrap());
        let first = p["text"].as_str().unwrap().split_whitespace().nth(1).unwrap();
        assert!(content.contains(first), "{content:?} vs {p}");
        assert_eq!(p["date"], "2024-11-09");
        assert_eq!(p["status"], "unverified");
    }
    // The curly quotes of the article are counted as one character each.
    let second = &proposals[1]["extraction"];
    assert_eq!(second["cue"], "said");
    assert_eq!(second["quote"], "direct");
    assert_eq!(chars(&text, 724, 725), "“");
    assert_eq!(second["span"]["start"], 725);
    // Nothing was stored.
    let count = dir.run(&["--format", "json", "-c", "count claims"]);
    assert!(count.stdout.contains("\"count\":0"), "{}", count.stdout);
}

#[test]
fn cq_output_runs_as_a_script_and_adds_the_proposals() {
    let dir = Dir::with_database();
    let statement = format!("extract from \"{}\" via AP", repo_file(SEED).display());
    let run = dir.run(&["--format", "cq", "-c", &statement]);
    run.code(0);
    assert!(run.stdout.starts_with("-- 7 proposals from"), "{}", run.stdout);
    let script = dir.file("proposals.cq", run.stdout.as_bytes());
    dir.run(&["-f", script.to_str().unwrap()]).code(0);
    let claims = dir.run(&["--format", "lines", "-c", "claims via AP order by id"]);
    assert!(claims.stdout.ends_with("(7 claims)\n"), "{}", claims.stdout);
    assert!(claims
        .stdout
        .contains("#2 | 2024-11-09 | unverified | diplomatic official (anon.) | Reuters, AP | Qatar will cease"));
}

#[test]
fn import_article_is_one_write_that_a_failure_leaves_undone() {
    let db = Db::temporary().unwrap();
    db.execute("add claim \"Qatar will stop its efforts to mediate a Gaza ceasefire until Hamas and Israel show willingness to return to the negotiating table\" by \"diplomatic official\" as anonymous official via AFP on 2024-11-09").unwrap();
    let before = export(&db);
    let statement = format!("import article \"{}\"", repo_file(SEED).display());
    // Fail the write part-way: nothing of it may stay.
    for ops in [1, 3, 10] {
        db.inject_write_failure(ops);
        assert!(db.execute(&statement).is_err(), "the injected failure after {ops} operations");
        assert_eq!(export(&db), before, "a failed import article changed the database");
        assert!(db.check().unwrap().is_ok());
    }
    // Then it goes through: six new claims, one merge.
    let claimdb::Output::ArticleImported(report) = db.execute(&statement).unwrap() else { panic!() };
    use claimdb::query::article::Outcome;
    assert_eq!((report.count(Outcome::Added), report.count(Outcome::Merged)), (6, 1), "{report:?}");
    assert_eq!(db.count().unwrap(), 7);
    let merged = db.get(1).unwrap().unwrap();
    assert_eq!(merged.outlets, ["AFP", "Reuters"]);
    assert_eq!(merged.evidence.len(), 1);
    assert!(merged.changes.iter().any(|c| c.field == "outlets"), "the merge is in the claim's edits");
    assert!(db.check().unwrap().is_ok());
    // A second time: every proposal is already recorded; nothing changes.
    let after = export(&db);
    let claimdb::Output::ArticleImported(again) = db.execute(&statement).unwrap() else { panic!() };
    assert_eq!(again.count(Outcome::AlreadyRecorded), 7, "{again:?}");
    assert_eq!(export(&db), after);
}

#[test]
fn bad_article_files_are_refused_and_change_nothing() {
    let dir = Dir::with_database();
    dir.run(&["-c", "add claim \"x\" by y on 2024-11-09"]).code(0);
    // 50 MB, sparse: refused by its size before it is read.
    let big = dir.path().join("big.txt");
    std::fs::File::create(&big).unwrap().set_len(50 * 1024 * 1024).unwrap();
    let cases: Vec<(String, &str)> = vec![
        ("missing.txt".into(), "no such file"),
        (".".into(), "is a directory"),
        (big.display().to_string(), "52428800 bytes (50.0 MiB); an article may be at most 8388608 bytes"),
        (
            dir.file("latin1.txt", b"date 2024-11-10\n\nOfficials said caf\xe9 prices rose.").display().to_string(),
            "not valid UTF-8: byte 0xE9 at byte offset 35 (line 3, column 19)",
        ),
        (dir.file("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").display().to_string(), "binary file"),
        (dir.file("empty.txt", b"").display().to_string(), "is empty: no claims found"),
        (
            dir.file("undated.txt", b"Officials said the talks had stalled.").display().to_string(),
            "add `dated YYYY-MM-DD`",
        ),
    ];
    for (file, want) in cases {
        for statement in [format!("extract from \"{file}\""), format!("import article \"{file}\"")] {
            let run = dir.run(&["-c", &statement]);
            run.code(1);
            assert!(run.stderr.contains(want), "{statement}: {}", run.stderr);
            assert!(run.stderr.contains('^'), "the caret points at the file name: {}", run.stderr);
        }
    }
    let count = dir.run(&["--format", "json", "-c", "count claims"]);
    assert!(count.stdout.contains("\"count\":1"), "{}", count.stdout);
    let check = dir.run(&["-c", ".check"]);
    check.code(0);
}

#[test]
fn claims_like_finds_a_claim_in_other_words_and_add_claim_notes_a_near_duplicate() {
    let dir = Dir::with_database();
    let script = repo_file("examples/qatar-mediation.cq");
    dir.run(&["-f", script.to_str().unwrap()]).code(0);
    let run =
        dir.run(&["--format", "json", "-c", "claims like \"Hamas office in Doha no longer serves a purpose\" limit 2"]);
    run.code(0);
    let ranked: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(ranked[0]["id"], 4, "{}", run.stdout);
    assert!(ranked[0]["score"].as_f64().unwrap() > ranked[1]["score"].as_f64().unwrap());
    assert!(ranked[0]["similarity"].as_f64().unwrap() > 0.5);
    // The same text again from the same source: added, with a note naming #4.
    let add = "add claim \"Hamas political office, open in Doha since 2012, no longer serves its purpose\" \
               by \"US officials\" as anonymous official of US on 2024-11-10";
    let run = dir.run(&["-c", add]);
    run.code(0);
    assert!(run.stdout.contains("added claim #11") && run.stdout.contains("near-identical text: #4"), "{}", run.stdout);
    let run = dir.run(&["--format", "json", "-c", "claims similar to claim 11 limit 1"]);
    assert!(run.stdout.contains("\"id\":4"), "{}", run.stdout);
}
