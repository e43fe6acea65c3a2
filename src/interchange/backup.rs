//! Backups: a whole database written as JSONL, safely, and read back.
//!
//! A backup is the canonical export (every claim with its history,
//! evidence, relations and edits) written through [`OutputFile`]: to a
//! temporary file beside the target, created exclusively without following
//! links, synced to disk and renamed over it, so that a crash never leaves
//! a half-written backup under the backup's name. Restoring imports it into
//! an empty database; export then import reproduces the data exactly.

use super::output::OutputFile;
use super::{jsonl, ImportFormat};
use crate::engine::{Control, ImportOptions, ImportReport};
use crate::error::{Error, Result};
use crate::Db;
use std::path::Path;

/// Writes every claim to `path` as JSONL, whole or not at all (see
/// [`OutputFile`]: never inside the database, never through a planted
/// link); returns how many.
pub fn backup(db: &Db, path: &Path) -> Result<u64> {
    let mut file = OutputFile::create(db, path, "the backup")?;
    let n = jsonl::export(db, file.writer()).map_err(|e| match e {
        Error::Io { kind, message } => {
            Error::Io { kind, message: format!("cannot write the backup {}: {message}", path.display()) }
        }
        other => other,
    })?;
    file.commit()?;
    Ok(n)
}

/// Restores a backup into `db`, which must hold no claims; `control` stops
/// it (nothing is kept) and is told the progress, as for an import.
pub fn restore(db: &Db, path: &Path, control: &Control<'_>) -> Result<ImportReport> {
    let existing = db.count()?;
    if existing > 0 {
        return Err(Error::Input {
            message: format!("this database already holds {existing} claims; a backup is restored into an empty one"),
            span: None,
            help: Some(format!("open a new database, e.g. claimdb restored.db -c '.restore {}'", path.display())),
        });
    }
    super::import(db, path, &ImportFormat::Jsonl, &ImportOptions::default(), control)
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
        restore(&copy, &path, &Control::none()).unwrap();
        let mut before = Vec::new();
        let mut after = Vec::new();
        jsonl::export(&db, &mut before).unwrap();
        jsonl::export(&copy, &mut after).unwrap();
        assert_eq!(before, after);
        assert!(copy.check().unwrap().is_ok());

        let err = restore(&copy, &path, &Control::none()).unwrap_err();
        assert!(err.to_string().contains("already holds 2 claims"), "{err}");
    }
}
