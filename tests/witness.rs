//! The witness of acknowledged writes, and claimdb's own marker.
//!
//! sled treats everything after a damaged byte of its log as a torn write
//! and opens without it. These tests damage a database the way the
//! adversarial run did (a flipped byte in the part of sled's `db` file
//! written since the last reopen, a truncated file, deleted snapshots) and
//! show that claimdb refuses to open it, naming how many acknowledged
//! writes are missing, instead of silently losing them and giving their
//! ids out again. They also show that a directory that is not a claimdb
//! database is refused and left untouched.

mod common;

use claimdb::storage::marker::{Marker, Witness};
use claimdb::{Db, Error};
use common::{Dir, Run};
use std::path::Path;

/// Adds `n` claims in one process; returns their acknowledged ids.
fn add_claims(dir: &Dir, first: usize, n: usize) -> Vec<u64> {
    let mut args: Vec<String> = Vec::new();
    for i in first..first + n {
        args.push("-c".into());
        args.push(format!(
            "add claim \"acknowledged claim {i}, with some words to take up space in the log\" by \"source {}\" via Reuters on 2024-11-09 about \"topic {}\"",
            i % 5,
            i % 3
        ));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = dir.run(&args);
    run.code(0);
    let ids: Vec<u64> =
        run.stdout.lines().filter_map(|l| l.strip_prefix("added claim #")?.trim().parse().ok()).collect();
    assert_eq!(ids.len(), n, "{}", run.stdout);
    ids
}

/// Opens through the binary: the ids it holds, or the error it printed.
fn ids_or_refusal(dir: &Dir) -> Result<Vec<u64>, Run> {
    let run = dir.run(&["--format", "jsonl", "-c", "claims order by id"]);
    if run.code != Some(0) {
        return Err(run);
    }
    Ok(run.stdout.lines().filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()?["id"].as_u64()).collect())
}

fn db_file(dir: &Dir) -> std::path::PathBuf {
    dir.db().join("db")
}

/// Opens the database through the binary once, so that what follows is
/// "written since the last reopen".
fn reopen(dir: &Dir) {
    dir.run(&["-c", "count claims"]).code(0);
}

/// The byte offsets of sled's `db` file that changed between `before` and
/// now (or were added).
fn changed_offsets(dir: &Dir, before: &[u8]) -> Vec<usize> {
    let after = std::fs::read(db_file(dir)).unwrap();
    (0..after.len()).filter(|&i| before.get(i) != Some(&after[i])).collect()
}

/// A database with 10 claims, reopened, then 30 more claims added: the
/// bytes those 30 wrote, and every acknowledged id.
fn damaged_candidate(dir: &Dir) -> (Vec<usize>, Vec<u64>) {
    let mut ids = add_claims(dir, 0, 10);
    reopen(dir);
    let before = std::fs::read(db_file(dir)).unwrap();
    ids.extend(add_claims(dir, 10, 30));
    let changed = changed_offsets(dir, &before);
    assert!(!changed.is_empty());
    (changed, ids)
}

fn assert_refused_for_lost_writes(run: &Run) {
    assert_eq!(run.code, Some(2), "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("has lost acknowledged writes"), "{}", run.stderr);
    assert!(run.stderr.contains("acknowledged write"), "{}", run.stderr);
    assert!(run.stderr.contains(".restore"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn a_flipped_byte_in_the_log_tail_is_refused_never_silently_lost() {
    let mut refused = 0;
    let seeds = 8;
    for seed in 0..seeds {
        let dir = Dir::new();
        let (changed, ids) = damaged_candidate(&dir);
        // Spread over the region written since the reopen.
        let at = changed[(changed.len() * (seed * 2 + 1)) / (seeds * 2)];
        let mut bytes = std::fs::read(db_file(&dir)).unwrap();
        bytes[at] ^= 0x40;
        std::fs::write(db_file(&dir), &bytes).unwrap();
        match ids_or_refusal(&dir) {
            // The damage hit nothing sled needs: everything is there.
            Ok(found) => assert_eq!(found, ids, "seed {seed}: opened with acknowledged claims missing"),
            Err(run) => {
                assert_refused_for_lost_writes(&run);
                refused += 1;
                // Refused again, and nothing was changed by trying.
                let Err(again) = ids_or_refusal(&dir) else { panic!("seed {seed}: opened the second time") };
                assert_eq!(again.stderr, run.stderr);
            }
        }
    }
    eprintln!("{refused} of {seeds} flips were refused; the others lost nothing");
    assert!(refused * 2 >= seeds, "only {refused} of {seeds} flips were noticed by sled at all");
}

#[test]
fn a_truncated_log_is_refused_and_the_count_of_lost_writes_is_named() {
    let dir = Dir::new();
    add_claims(&dir, 0, 10);
    reopen(&dir);
    let before = std::fs::read(db_file(&dir)).unwrap();
    add_claims(&dir, 10, 30);
    let changed = changed_offsets(&dir, &before);
    // Cut the file at the first byte the 30 adds wrote.
    let file = std::fs::OpenOptions::new().write(true).open(db_file(&dir)).unwrap();
    file.set_len(changed[0] as u64).unwrap();
    drop(file);
    let Err(run) = ids_or_refusal(&dir) else { panic!("opened with its log cut short") };
    assert_refused_for_lost_writes(&run);
    // The library says the same, with the numbers.
    match Db::open(dir.db()) {
        Err(Error::LostWrites { missing, next_claim, .. }) => {
            assert!((1..=30).contains(&missing), "{missing}");
            assert_eq!(next_claim, 41);
        }
        other => panic!("{:?}", other.err()),
    }
}

#[test]
fn deleted_snapshots_with_damage_are_refused() {
    let dir = Dir::new();
    let (changed, ids) = damaged_candidate(&dir);
    for entry in std::fs::read_dir(dir.db()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name().to_string_lossy().starts_with("snap.") {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    // Without its snapshot sled replays its log, which still holds
    // everything: nothing may be missing.
    assert_eq!(ids_or_refusal(&dir).map_err(|r| r.stderr), Ok(ids.clone()));
    // Now damage the tail as well, and delete the snapshot again.
    let mut bytes = std::fs::read(db_file(&dir)).unwrap();
    let at = changed[changed.len() / 2];
    bytes[at] ^= 0x40;
    std::fs::write(db_file(&dir), &bytes).unwrap();
    for entry in std::fs::read_dir(dir.db()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name().to_string_lossy().starts_with("snap.") {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    match ids_or_refusal(&dir) {
        Ok(found) => assert_eq!(found, ids),
        Err(run) => assert_refused_for_lost_writes(&run),
    }
}

#[test]
fn accepting_the_loss_opens_what_is_left_without_reusing_ids() {
    let dir = Dir::new();
    add_claims(&dir, 0, 10);
    reopen(&dir);
    let before = std::fs::read(db_file(&dir)).unwrap();
    add_claims(&dir, 10, 30);
    let changed = changed_offsets(&dir, &before);
    let file = std::fs::OpenOptions::new().write(true).open(db_file(&dir)).unwrap();
    file.set_len(changed[0] as u64).unwrap();
    drop(file);
    assert!(ids_or_refusal(&dir).is_err());
    let mut cmd = dir.cmd();
    cmd.arg(dir.db()).env("CLAIMDB_ACCEPT_LOST_WRITES", "1").args([
        "-c",
        "add claim \"after the loss\" by someone on 2024-11-10",
        "-c",
        ".check",
    ]);
    let run = Run::from(cmd.output().unwrap());
    run.code(0);
    // Claims #11–#40 were acknowledged before; whatever is lost of them,
    // their ids are not given out again.
    assert!(run.stdout.contains("added claim #41"), "{}", run.stdout);
    assert!(run.stdout.contains("ok: no problems found"), "{}", run.stdout);
    // And from now on the database opens normally.
    let ids = ids_or_refusal(&dir).map_err(|r| r.stderr).unwrap();
    assert_eq!(ids.last(), Some(&41));
}

#[test]
fn the_check_reports_writes_missing_against_the_witness() {
    let dir = Dir::new();
    add_claims(&dir, 0, 3);
    let db = Db::open(dir.db()).unwrap();
    assert!(db.check().unwrap().is_ok());
    // The witness moves ahead of the files (as if their tail were lost
    // while the database is open).
    let marker = Marker::open(&dir.db()).unwrap();
    let w = marker.read().unwrap();
    marker.record(&Witness { seq: w.seq + 2, next_claim: w.next_claim + 2, next_source: w.next_source }).unwrap();
    let report = db.check().unwrap();
    assert!(report.problems.iter().any(|p| p.contains("2 acknowledged writes are missing")), "{:?}", report.problems);
}

#[test]
fn every_acknowledged_write_moves_the_witness() {
    let dir = Dir::new();
    add_claims(&dir, 0, 4);
    let w = Marker::open(&dir.db()).unwrap().read().unwrap();
    assert_eq!(w.next_claim, 5);
    assert!(w.seq >= 4, "{w:?}");
    dir.run(&["-c", "set status of claim 2 to disputed on 2024-11-10", "-c", "delete claim 3"]).code(0);
    let after = Marker::open(&dir.db()).unwrap().read().unwrap();
    assert_eq!(after.seq, w.seq + 2);
    // A failed statement is not a write.
    dir.run(&["-c", "delete claim 3"]).code(1);
    assert_eq!(Marker::open(&dir.db()).unwrap().read().unwrap().seq, after.seq);
}

fn listing(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(path)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = if e.path().is_file() { std::fs::read(e.path()).unwrap() } else { Vec::new() };
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_directory_of_someone_elses_files_is_refused_and_left_alone() {
    let dir = Dir::new();
    let folder = dir.path().join("my-folder");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("db"), b"my database notes").unwrap();
    std::fs::write(folder.join("conf"), b"my settings").unwrap();
    let before = listing(&folder);
    let run = Run::from(dir.cmd().arg(&folder).args(["-c", "add claim \"x\" by y on 2024-11-09"]).output().unwrap());
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("is not a claimdb database"), "{}", run.stderr);
    assert!(run.stderr.contains("conf, db"), "{}", run.stderr);
    assert!(run.stderr.contains("name a new directory"), "{}", run.stderr);
    assert_eq!(listing(&folder), before, "nothing is written in it");
    assert!(matches!(Db::open(&folder), Err(Error::NotADatabase { .. })));
    assert_eq!(listing(&folder), before);

    // Any other non-empty directory too; the root most of all.
    let run = Run::from(dir.cmd().arg("/").args(["-c", "count claims"]).output().unwrap());
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("/ is not a claimdb database"), "{}", run.stderr);
    assert!(!Path::new("/claimdb.marker").exists() && !Path::new("/conf").exists());

    // An empty directory becomes a database, marked as claimdb's.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    Db::open(&empty).unwrap();
    assert!(empty.join("claimdb.marker").is_file());
}

#[test]
fn a_database_whose_marker_was_removed_is_refused_until_the_loss_is_accepted() {
    let dir = Dir::new();
    add_claims(&dir, 0, 2);
    std::fs::remove_file(dir.db().join("claimdb.marker")).unwrap();
    let run = dir.run(&["-c", "count claims"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("has lost its marker file claimdb.marker"), "{}", run.stderr);
    let mut cmd = dir.cmd();
    cmd.arg(dir.db()).env("CLAIMDB_ACCEPT_LOST_WRITES", "1").args(["-c", "count claims"]);
    Run::from(cmd.output().unwrap()).code(0);
    assert!(dir.db().join("claimdb.marker").is_file());
    dir.run(&["-c", "count claims"]).code(0);
}
