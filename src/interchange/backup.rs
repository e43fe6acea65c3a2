//! Backups: a whole database written as JSONL, safely, and read back.
//!
//! A backup is the canonical export (every claim with its history,
//! evidence, relations and edits) written to a temporary file beside the
//! target, synced to disk and renamed over it, so that a crash never leaves
//! a half-written backup under the backup's name. Restoring imports it into
//! an empty database; export then import reproduces the data exactly.

use super::jsonl;
use crate::engine::{ImportOptions, ImportReport, Progress};
use crate::error::{Error, Result};
use crate::Db;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// Writes every claim to `path` as JSONL, atomically; returns how many.
pub fn backup(db: &Db, path: &Path) -> Result<u64> {
    let io = |e: std::io::Error| Error::io_context(&e, format_args!("cannot write backup {}", path.display()));
    let name = path.file_name().ok_or_else(|| crate::errio!("{} is not a file name", path.display()))?;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let temp = dir.join(format!(".{}.partial", name.to_string_lossy()));
    let file = std::fs::File::create(&temp).map_err(io)?;
    let mut out = std::io::BufWriter::new(file);
    let written = jsonl::export(db, &mut out).and_then(|n| {
        let file = out.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        Ok(n)
    });
    match written {
        Ok(n) => {
            std::fs::rename(&temp, path).map_err(io)?;
            // Make the rename itself durable.
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
            Ok(n)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}

/// Restores a backup into `db`, which must hold no claims.
pub fn restore(db: &Db, path: &Path, progress: Progress<'_>, cancel: &AtomicBool) -> Result<ImportReport> {
    let existing = db.count()?;
    if existing > 0 {
        return Err(Error::Input {
            message: format!("this database already holds {existing} claims; a backup is restored into an empty one"),
            span: None,
            help: Some(format!("open a new database, e.g. claimdb restored.db -c '.restore {}'", path.display())),
        });
    }
    jsonl::import_file(db, path, &ImportOptions::default(), progress, cancel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{date::parse_iso, NewClaim, Relation, Source};
    use crate::StatusChange;

    #[test]
    fn backup_then_restore_reproduces_the_database() {
        let db = Db::temporary().unwrap();
        let day = parse_iso("2024-11-09").unwrap();
        let a = db.insert(NewClaim::new("a", Source::new("x"), day).outlet("AFP")).unwrap();
        let b = db.insert(NewClaim::new("b", Source::new("y"), day).topic("t")).unwrap();
        db.set_status(a, StatusChange { status: crate::Status::False, date: Some(day), note: Some("n".into()) })
            .unwrap();
        db.link(a, Relation::Contradicts, b).unwrap();
        db.delete(db.insert(NewClaim::new("gone", Source::new("z"), day)).unwrap()).unwrap();

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("backup.jsonl");
        assert_eq!(backup(&db, &path).unwrap(), 2);
        assert!(!dir.path().join(".backup.jsonl.partial").exists());

        let copy = Db::temporary().unwrap();
        let never = AtomicBool::new(false);
        restore(&copy, &path, &|_, _| {}, &never).unwrap();
        let mut before = Vec::new();
        let mut after = Vec::new();
        jsonl::export(&db, &mut before).unwrap();
        jsonl::export(&copy, &mut after).unwrap();
        assert_eq!(before, after);
        assert!(copy.check().unwrap().is_ok());

        let err = restore(&copy, &path, &|_, _| {}, &never).unwrap_err();
        assert!(err.to_string().contains("already holds 2 claims"), "{err}");
    }
}
