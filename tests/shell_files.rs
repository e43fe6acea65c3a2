//! The shell's own file outputs (`.output`, `.export`, `.backup`) never
//! write inside the open database's directory: `.output x.db/db` used to
//! truncate the database to 0 bytes. Driven through the real binary.

mod common;

use common::Dir;

/// The names of sled's files in the database directory (their sizes
/// change as sled works; their names show nothing was added or removed).
fn files_of(dir: &std::path::Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .expect("database directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("snap."))
        .collect();
    out.sort();
    out
}

/// The database opens, holds its one claim and passes `.check`.
fn intact(dir: &Dir) {
    let run = dir.run(&["--format", "lines", "-c", "claims", "-c", ".check"]);
    run.code(0);
    assert!(run.stdout.contains("| kept\n(1 claim)\n"), "{}", run.stdout);
    assert!(run.stdout.contains("ok: no problems found"), "{}", run.stdout);
}

#[test]
fn outputs_inside_the_database_are_refused_and_change_nothing() {
    let dir = Dir::new();
    dir.run(&["-c", "add claim \"kept\" by x on 2024-11-09"]).code(0);
    let db = dir.db();
    let before = files_of(&db);
    for (command, what) in [
        (format!(".output {}", db.join("db").display()), "the output file"),
        (format!(".output {}", db.join("conf").display()), "the output file"),
        (format!(".backup {}", db.join("db").display()), "the backup"),
        (format!(".export {}", db.join("new.jsonl").display()), "the export file"),
        // A relative path through the directory and back in.
        (format!(".output {}/../{}/db", db.display(), db.file_name().unwrap().to_string_lossy()), "the output file"),
    ] {
        let run = dir.run(&["-c", &command, "-c", "claims"]);
        run.code(1);
        assert!(run.stderr.contains(&format!("error at line 1, column 9: {what}")), "{command}:\n{}", run.stderr);
        assert!(run.stderr.contains("is inside the database directory"), "{}", run.stderr);
        assert!(run.stderr.contains("choose a file outside"), "{}", run.stderr);
        assert_eq!(run.stdout, "", "nothing after the refusal runs");
        assert_eq!(files_of(&db), before, "{command}: no file added to the database");
        intact(&dir);
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_into_the_database_is_refused() {
    let dir = Dir::new();
    dir.run(&["-c", "add claim \"kept\" by x on 2024-11-09"]).code(0);
    let link = dir.path().join("innocent");
    std::os::unix::fs::symlink(dir.db(), &link).expect("symlink");
    let before = files_of(&dir.db());
    let run = dir.run(&["-c", ".output innocent/db"]);
    run.code(1);
    assert!(run.stderr.contains("is inside the database directory"), "{}", run.stderr);
    assert_eq!(files_of(&dir.db()), before);
    intact(&dir);
}

#[test]
fn outputs_beside_the_database_work() {
    let dir = Dir::new();
    dir.run(&["-c", "add claim \"kept\" by x on 2024-11-09"]).code(0);
    let run = dir.run(&["-c", ".output out.txt", "-c", "count claims", "-c", ".backup b.jsonl"]);
    run.code(0);
    assert_eq!(std::fs::read_to_string(dir.path().join("out.txt")).unwrap(), "1 claim\nbacked up 1 claim to b.jsonl\n");
}
