//! Helpers shared by the integration tests: a temporary working directory
//! with a database path in it, running the real `claimdb` binary there, and
//! reading a database back. Each test file that wants them says `mod common;`.

// Every test file uses a different part of this module.
#![allow(dead_code)]

use claimdb::{Claim, Db};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The `claimdb` binary built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_claimdb");

/// A file of the repository, by its path from the top.
pub fn repo_file(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A temporary working directory with a database path in it.
pub struct Dir {
    dir: tempfile::TempDir,
}

impl Default for Dir {
    fn default() -> Dir {
        Dir::new()
    }
}

impl Dir {
    /// A new, empty directory, removed when dropped.
    pub fn new() -> Dir {
        Dir { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// A new directory holding an empty test database, so that runs on it
    /// open an existing database (and print no `created new database`).
    pub fn with_database() -> Dir {
        let dir = Dir::new();
        drop(Db::open(dir.db()).expect("create the test database"));
        dir
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The test database's path (`test.db` in the directory).
    pub fn db(&self) -> PathBuf {
        self.path().join("test.db")
    }

    /// Writes a file in the directory and returns its path.
    pub fn file(&self, name: &str, contents: &[u8]) -> PathBuf {
        let path = self.path().join(name);
        std::fs::write(&path, contents).expect("write fixture");
        path
    }

    /// A command in this directory with a predictable environment (no
    /// `COLUMNS`, history kept in the directory, stdin closed).
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.current_dir(self.path())
            .env_remove("COLUMNS")
            .env("CLAIMDB_HISTORY", self.path().join("history"))
            .stdin(Stdio::null());
        cmd
    }

    /// Runs claimdb on the test database with `args`.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = self.cmd();
        cmd.arg(self.db()).args(args);
        Run::from(cmd.output().expect("run claimdb"))
    }

    /// Runs claimdb on the test database with `stdin` piped in.
    pub fn pipe(&self, args: &[&str], stdin: &[u8]) -> Run {
        let mut cmd = self.cmd();
        cmd.arg(self.db()).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn claimdb");
        child.stdin.take().expect("stdin").write_all(stdin).expect("write stdin");
        Run::from(child.wait_with_output().expect("wait for claimdb"))
    }
}

/// What a run printed and how it ended.
pub struct Run {
    /// The exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts the exit code, showing both streams when it differs.
    #[track_caller]
    pub fn code(&self, want: i32) -> &Run {
        assert_eq!(self.code, Some(want), "exit code\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr);
        self
    }
}

/// Every claim of a database, in id order.
pub fn all_claims(db: &Db) -> Vec<Claim> {
    let mut claims = Vec::new();
    db.for_each_claim(|c| {
        claims.push(c);
        Ok(())
    })
    .expect("read every claim");
    claims
}

/// The whole database as JSONL (the canonical export), to compare before
/// and after an operation that must change nothing.
pub fn export(db: &Db) -> Vec<u8> {
    let mut out = Vec::new();
    claimdb::interchange::jsonl::export(db, &mut out).expect("export");
    out
}
