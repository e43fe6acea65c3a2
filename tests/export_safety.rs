//! Exports and backups that cannot hurt: never inside the database, never
//! through a planted link, never half-written, and CSV cells that a
//! spreadsheet will not run as formulas (issue 13, items 2, 12 and 13),
//! through the real binary.
//!
//! Before: `.backup y.db/db` reported success, a later `add claim` was
//! acknowledged and lost, and the next open said the database was damaged;
//! a planted `.NAME.partial` symlink had its target overwritten; and
//! `=HYPERLINK(…)` from wire text was written into CSV as it was.

mod common;

use common::Dir;
use std::path::Path;

fn seeded() -> Dir {
    let dir = Dir::new();
    dir.run(&[
        "-c",
        "add claim \"first\" by someone via Reuters on 2024-11-09",
        "-c",
        "add claim \"second\" by \"someone else\" on 2024-11-10",
    ])
    .code(0);
    dir
}

fn claims(dir: &Dir) -> String {
    dir.run(&["--format", "jsonl", "-c", "claims order by id"]).code(0).stdout.clone()
}

#[test]
fn backups_and_exports_inside_the_database_are_refused_and_nothing_is_lost() {
    let dir = seeded();
    let db = dir.db();
    let db_name = db.file_name().unwrap().to_str().unwrap().to_string();
    std::os::unix::fs::symlink(&db, dir.path().join("alias")).unwrap();
    let attempts = [
        format!(".backup {db_name}/db"),
        format!(".backup {db_name}/conf"),
        format!(".backup {db_name}/fresh.jsonl"),
        "export to \"alias/db.csv\"".to_string(),
        format!("export claims by someone to \"{}/db.jsonl\"", db.display()),
        format!("export to \"{db_name}/../{db_name}/snap.json\""),
    ];
    for statement in &attempts {
        let run = dir.run(&["-c", statement]);
        run.code(1);
        assert!(run.stderr.contains("is inside the database directory"), "{statement}:\n{}", run.stderr);
        assert!(run.stderr.contains("choose a file outside"), "{statement}:\n{}", run.stderr);
    }
    let ours: Vec<String> = listing(&db)
        .into_iter()
        .filter(|n| n.starts_with('.') || n.ends_with(".jsonl") || n.ends_with(".csv") || n.ends_with(".json"))
        .collect();
    assert!(ours.is_empty(), "nothing was written in the database directory: {ours:?}");
    // The database is whole: a later write is kept, and it reopens clean.
    dir.run(&["-c", "add claim \"third\" by someone on 2024-11-11"]).code(0);
    let run = dir.run(&["-c", "count claims", "-c", ".check"]);
    run.code(0);
    assert!(run.stdout.starts_with("3 claims\n"), "{}", run.stdout);
    assert!(run.stdout.contains("ok"), "{}", run.stdout);
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn a_planted_partial_link_is_never_written_through() {
    let dir = seeded();
    let precious = dir.file("precious.txt", b"keep me\n");
    for (statement, target) in [(".backup backup.jsonl", "backup.jsonl"), ("export to \"out.csv\"", "out.csv")] {
        let partial = dir.path().join(format!(".{target}.partial"));
        std::os::unix::fs::symlink(&precious, &partial).unwrap();
        let run = dir.run(&["-c", statement]);
        run.code(1);
        assert!(
            run.stderr.contains("is a symbolic link, and claimdb does not write through a link there"),
            "{}",
            run.stderr
        );
        assert_eq!(std::fs::read(&precious).unwrap(), b"keep me\n", "{statement}");
        assert!(!dir.path().join(target).exists(), "{statement}");
        // Once the link is gone, the same statement works.
        std::fs::remove_file(&partial).unwrap();
        dir.run(&["-c", statement]).code(0);
        assert!(!partial.exists(), "the temporary file was renamed away");
        assert_eq!(std::fs::read(&precious).unwrap(), b"keep me\n");
    }
    // A dangling link planted there is refused too (it would create its target).
    let partial = dir.path().join(".dangling.jsonl.partial");
    std::os::unix::fs::symlink(dir.path().join("would-be-created"), &partial).unwrap();
    dir.run(&["-c", ".backup dangling.jsonl"]).code(1);
    assert!(!dir.path().join("would-be-created").exists());
}

#[test]
fn a_failed_export_leaves_the_old_file_and_no_debris() {
    let dir = seeded();
    let target = dir.file("out.jsonl", b"the old export\n");
    // /dev/full accepts the open and fails every write, like a full disk.
    let run = dir.run(&["-c", ".backup /dev/full"]);
    run.code(1);
    assert!(run.stderr.contains("cannot write the backup /dev/full: the disk is full"), "{}", run.stderr);
    assert!(!run.stderr.contains("os error"), "{}", run.stderr);
    // An export whose query fails writes nothing either.
    let run = dir.run(&["-c", "export claims where id = \"x\" to \"out.jsonl\""]);
    run.code(1);
    assert_eq!(std::fs::read(&target).unwrap(), b"the old export\n");
    assert!(!dir.path().join(".out.jsonl.partial").exists());
    // And a good one replaces it whole.
    dir.run(&["-c", "export to \"out.jsonl\""]).code(0);
    assert_eq!(std::fs::read_to_string(&target).unwrap().lines().count(), 2);
}

#[test]
fn exports_to_a_fifo_or_device_are_written_directly() {
    let dir = seeded();
    // The format comes from the name, so a device needs a link with an
    // extension.
    std::os::unix::fs::symlink("/dev/stdout", dir.path().join("stdout.jsonl")).unwrap();
    let run = dir.run(&["-c", "export to \"stdout.jsonl\""]);
    run.code(0);
    assert_eq!(run.stdout.lines().filter(|l| l.starts_with("{\"id\":")).count(), 2, "{}", run.stdout);
    assert!(run.stdout.ends_with("exported 2 claims to stdout.jsonl\n"), "{}", run.stdout);
}

/// Cells that begin a formula in Excel, LibreOffice or Google Sheets
/// (OWASP's list), and one that begins with the guard itself.
const DANGEROUS: [&str; 6] = [
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "+1-555-0100 called",
    "-5% growth was claimed",
    "@SUM(A1:A9)",
    "'Tis the season",
    "''quoted twice",
];

#[test]
fn csv_cells_are_guarded_against_formulas_and_read_back_exactly() {
    let dir = Dir::new();
    for text in DANGEROUS {
        let statement = format!(
            "add claim \"{}\" by \"=cmd|' /C calc'!A0\" via \"@wire\" on 2024-11-09 about \"-topic\" rated \"+true\" notes \"=1+1\"",
            text.replace('"', "\\\"")
        );
        dir.run(&["-c", &statement]).code(0);
    }
    dir.run(&["-c", "export to \"out.csv\""]).code(0);
    let exported = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    let shell = dir.run(&["--format", "csv", "-c", "claims"]).code(0).stdout.clone();
    for text in [&exported, &shell] {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "unguarded cell {cell:?}");
            }
        }
    }
    assert!(exported.contains("'=HYPERLINK("), "{exported}");
    assert!(exported.contains("''Tis the season"), "{exported}");

    // claimdb's own import takes the guard away again: exactly the same claims.
    let other = Dir::new();
    std::fs::copy(dir.path().join("out.csv"), other.path().join("out.csv")).unwrap();
    other.run(&["-c", "import \"out.csv\""]).code(0);
    assert_eq!(claims(&other), claims(&dir));
    let texts: Vec<String> = serde_json::Deserializer::from_str(&claims(&other))
        .into_iter::<serde_json::Value>()
        .map(|c| c.unwrap()["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(texts, DANGEROUS);
}

#[test]
fn exports_write_each_claim_as_it_comes() {
    // Through the library: a source of claims that checks, midway, that
    // what was handed over is already on its way to the disk (in the
    // temporary file), so an export never holds its claims in memory.
    let db = claimdb::Db::temporary().unwrap();
    let day = claimdb::model::date::parse_iso("2024-11-09").unwrap();
    let id =
        db.insert(claimdb::NewClaim::new("a claim of some length, repeated", claimdb::Source::new("x"), day)).unwrap();
    let claim = db.get(id).unwrap().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for name in ["out.jsonl", "out.json", "out.csv", "out.jsonld"] {
        let path = dir.path().join(name);
        let partial = dir.path().join(format!(".{name}.partial"));
        let mut seen_on_disk = 0;
        let n = claimdb::interchange::export(&db, &path, |write| {
            for i in 1..=20_000u64 {
                write(claimdb::Claim { id: i, ..claim.clone() })?;
                if i == 10_000 {
                    seen_on_disk = std::fs::metadata(&partial).map(|m| m.len()).unwrap_or(0);
                    assert!(!path.exists(), "{name}: the target appears only when complete");
                }
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(n, 20_000);
        assert!(seen_on_disk > 100_000, "{name}: only {seen_on_disk} bytes written after 10,000 claims");
        assert!(path.exists() && !partial.exists(), "{name}");
    }
}

#[test]
fn a_cancelled_export_leaves_nothing() {
    let db = claimdb::Db::temporary().unwrap();
    let day = claimdb::model::date::parse_iso("2024-11-09").unwrap();
    for n in 0..10 {
        db.insert(claimdb::NewClaim::new(format!("claim {n}"), claimdb::Source::new("x"), day)).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.json");
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let context = claimdb::query::Context { cancel: &cancel, ..Default::default() };
    let err = db.execute_with(&format!("export to \"{}\"", path.display()), &context).unwrap_err();
    assert_eq!(err, claimdb::Error::Cancelled);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no file, no .partial");
}
