//! A full disk, for real: a small tmpfs is mounted and filled by the real
//! binary. Adds acknowledged before the disk filled survive; an import cut
//! short by it is rolled back whole at the next open, leaving the database
//! exactly as it was (no orphan source, no id used up); the message says
//! the disk is full and what to do.
//!
//! Mounting needs root and a kernel that allows it in this environment;
//! where it cannot be done the tests say so and check nothing (the same
//! rollback paths are covered by injected failures in `engine::import` and
//! by the kills of `tests/crash.rs`).

mod common;

use common::{Dir, Run, BIN};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs of `mib` MiB, unmounted when dropped.
struct SmallDisk {
    at: PathBuf,
    _dir: Dir,
}

impl SmallDisk {
    fn mount(mib: u32) -> Option<SmallDisk> {
        let dir = Dir::new();
        let at = dir.path().join("disk");
        std::fs::create_dir(&at).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}m"), "tmpfs"])
            .arg(&at)
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("cannot mount a small file system here (needs root); the disk-full test checks nothing");
            return None;
        }
        Some(SmallDisk { at, _dir: dir })
    }

    fn grow(&self, mib: u32) {
        let out = Command::new("mount").args(["-o", &format!("remount,size={mib}m")]).arg(&self.at).output().unwrap();
        assert!(out.status.success(), "{out:?}");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.at).output();
    }
}

fn claimdb(db: &Path, args: &[&str]) -> Run {
    Run::from(Command::new(BIN).arg(db).args(args).env("CLAIMDB_NOW", "2024-11-20T12:00:00Z").output().unwrap())
}

fn write_import(path: &Path, n: usize) {
    let mut out = String::new();
    for i in 0..n {
        let line = serde_json::json!({
            "text": format!("imported claim {i}: the talks in Doha are paused and nobody knows when they resume"),
            "source": {"name": format!("import source {}", i % 700), "kind": "official", "anonymous": i % 2 == 0},
            "outlets": ["Reuters", "AFP"],
            "topics": [format!("topic {}", i % 50)],
            "date": "2024-11-09",
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

#[test]
fn an_import_into_a_full_disk_is_rolled_back_whole_and_says_the_disk_is_full() {
    let Some(disk) = SmallDisk::mount(6) else { return };
    let work = Dir::new();
    let db = disk.at.join("news.db");
    claimdb(&db, &["-c", "add claim \"before the import\" by \"a named source\" via AP on 2024-11-08"]).code(0);
    let before = claimdb(&db, &["--format", "jsonl", "-c", "claims", "-c", "sources", "-c", ".stats"]);
    before.code(0);
    let file = work.path().join("big.jsonl");
    write_import(&file, 30_000);
    let run = claimdb(&db, &["-c", &format!("import \"{}\"", file.display()), "-c", "count claims", "--keep-going"]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(run.stderr.contains("the disk is full; free some space and try again"), "{}", run.stderr);
    assert!(run.stderr.contains("none of it is kept"), "{}", run.stderr);
    assert!(!run.stderr.contains("Os {") && !run.stderr.contains("panicked"), "{}", run.stderr);
    // After the failed write nothing else runs on a store that may not
    // match its files.
    assert!(run.stderr.contains("the database stopped after a failed write"), "{}", run.stderr);

    disk.grow(64);
    let after = claimdb(&db, &["--format", "jsonl", "-c", "claims", "-c", "sources", "-c", ".stats"]);
    after.code(0);
    // Exactly as it was: the claims, the sources (no orphans), the next id.
    let strip = |s: &str| s.lines().filter(|l| !l.contains("size_on_disk")).collect::<Vec<_>>().join("\n");
    assert_eq!(strip(&after.stdout), strip(&before.stdout));
    claimdb(&db, &["-c", ".check"]).code(0);
    let run = claimdb(&db, &["-c", "add claim \"after\" by x on 2024-11-09"]);
    assert!(run.stdout.contains("added claim #2"), "{}", run.stdout);
}

#[test]
fn adds_acknowledged_before_the_disk_fills_are_kept() {
    let Some(disk) = SmallDisk::mount(3) else { return };
    let db = disk.at.join("news.db");
    let mut acknowledged = 0u64;
    let mut failed = None;
    for round in 0..400 {
        let mut args = Vec::new();
        for i in 0..25 {
            args.push("-c".to_string());
            args.push(format!(
                "add claim \"round {round} claim {i} {}\" by \"source {i}\" via Reuters on 2024-11-09",
                "padding words to fill the disk sooner ".repeat(8)
            ));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = claimdb(&db, &args);
        acknowledged += run.stdout.lines().filter(|l| l.starts_with("added claim #")).count() as u64;
        if run.code != Some(0) {
            failed = Some(run);
            break;
        }
    }
    let run = failed.expect("the disk filled up");
    assert!(run.stderr.contains("the disk is full"), "{}", run.stderr);
    disk.grow(64);
    let count = claimdb(&db, &["-c", "count claims"]);
    count.code(0);
    let n: u64 =
        count.stdout.split_whitespace().next().unwrap_or("").parse().unwrap_or_else(|_| panic!("{}", count.stdout));
    assert!(n >= acknowledged, "{acknowledged} acknowledged, {n} kept");
    claimdb(&db, &["-c", ".check"]).code(0);
}
