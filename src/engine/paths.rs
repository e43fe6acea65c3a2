//! Keeping a database's own files safe from its outputs: `.output`,
//! `export … to`, `.backup` and the server's file access refuse any path
//! inside the database directory, after resolving symlinks, because
//! writing there would truncate or replace sled's files.

use super::Db;
use crate::error::{Error, Result};
use std::path::{Component, Path, PathBuf};

/// `path` made absolute with every symlink of its existing part resolved;
/// the part that does not exist yet (a file about to be created) is
/// appended as written, without `.` and with `..` applied.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    let mut existing = absolute.clone();
    let mut missing: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(&existing) {
            let mut out = real;
            for part in missing.iter().rev() {
                match Path::new(part).components().next() {
                    Some(Component::ParentDir) => {
                        out.pop();
                    }
                    Some(Component::CurDir) | None => {}
                    _ => out.push(part),
                }
            }
            return out;
        }
        // The last component, `..` included (which `file_name` skips).
        match (existing.components().next_back(), existing.parent()) {
            (Some(last), Some(parent)) => {
                missing.push(last.as_os_str().to_os_string());
                existing = parent.to_path_buf();
            }
            _ => return absolute,
        }
    }
}

impl Db {
    /// Fails when `path` lies inside this database's directory (after
    /// resolving symlinks): `what` (`the output file`, `the backup`) names
    /// the output in the message. Temporary databases have no directory a
    /// user could name, so every path is fine for them.
    pub fn refuse_inside(&self, path: &Path, what: &str) -> Result<()> {
        match self.path() {
            Some(dir) => refuse_inside(dir, path, what),
            None => Ok(()),
        }
    }
}

/// [`Db::refuse_inside`] for the database directory `dir`, for a process
/// that reaches the database through a server rather than opening it.
pub fn refuse_inside(dir: &Path, path: &Path, what: &str) -> Result<()> {
    let dir = resolve(dir);
    let target = resolve(path);
    if target.starts_with(&dir) {
        return Err(Error::Input {
            message: format!(
                "{what} {} is inside the database directory {}; writing there would damage the database",
                path.display(),
                dir.display()
            ),
            span: None,
            help: Some(format!("choose a file outside {}", dir.display())),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_inside_the_database_are_refused_even_through_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let db_path = dir.path().join("news.db");
        let db = Db::open(&db_path).unwrap();
        assert!(db.refuse_inside(&db_path.join("db"), "the output file").is_err());
        assert!(db.refuse_inside(&db_path.join("new/deeper.csv"), "the output file").is_err());
        assert!(db.refuse_inside(&dir.path().join("x/../news.db/conf"), "the backup").is_err());
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&db_path, &link).unwrap();
        let err = db.refuse_inside(&link.join("db"), "the backup").unwrap_err();
        assert!(err.to_string().contains("inside the database directory"), "{err}");
        assert!(db.refuse_inside(&dir.path().join("out.csv"), "the output file").is_ok());
        assert!(db.refuse_inside(&dir.path().join("news.db2"), "the output file").is_ok());
        assert!(Db::temporary().unwrap().refuse_inside(&db_path, "x").is_ok());
    }
}
