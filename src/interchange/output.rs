//! Writing an export or a backup safely.
//!
//! The file is written under a temporary name beside the target
//! (`.NAME.partial`), synced to disk and renamed over the target only when
//! complete, so a failure, a full disk or Ctrl-C never leaves a half-written
//! file under the target's name (the temporary file is removed). The
//! temporary file is created exclusively and never through a symbolic link
//! (`O_CREAT | O_EXCL | O_NOFOLLOW`), so a link planted under that name
//! cannot redirect the write onto another file. Paths inside the open
//! database's directory are refused ([`Db::refuse_inside`]). A target that
//! is not a regular file — a FIFO, `/dev/stdout`, a terminal — is written
//! directly (also through a link), as there is nothing to replace. A
//! symbolic link to a regular file is replaced by the new file; the file it
//! pointed to is left as it was.

use crate::error::{Error, Result};
use crate::Db;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// An output file being written; see the module documentation.
pub struct OutputFile {
    writer: BufWriter<File>,
    /// The temporary file, until it is renamed (`None` for special files).
    temp: Option<PathBuf>,
    path: PathBuf,
    /// `the export`, `the backup`: for messages.
    what: &'static str,
}

impl OutputFile {
    /// Starts writing `what` (`the export`, `the backup`) to `path`.
    pub fn create(db: &Db, path: &Path, what: &'static str) -> Result<OutputFile> {
        db.refuse_inside(path, what)?;
        let fail = |e: &std::io::Error| Error::io_context(e, format_args!("cannot write {what} {}", path.display()));
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(Error::io(
                    std::io::ErrorKind::IsADirectory,
                    format!("cannot write {what} {}: it is a directory", path.display()),
                ))
            }
            Ok(meta) if !meta.is_file() => {
                let file = OpenOptions::new().write(true).open(path).map_err(|e| fail(&e))?;
                return Ok(OutputFile { writer: BufWriter::new(file), temp: None, path: path.to_path_buf(), what });
            }
            _ => {}
        }
        let name = path.file_name().ok_or_else(|| Error::Input {
            message: format!("{} is not a file name", path.display()),
            span: None,
            help: None,
        })?;
        let temp_name = format!(".{}.partial", name.to_string_lossy());
        let temp = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.join(temp_name),
            _ => PathBuf::from(temp_name),
        };
        let file = create_exclusive(&temp).map_err(|e| match e {
            Refused::Link => Error::io(
                std::io::ErrorKind::AlreadyExists,
                format!(
                    "cannot write {what} {}: {} is a symbolic link, and claimdb does not write through a link there; remove it if you did not make it",
                    path.display(),
                    temp.display()
                ),
            ),
            Refused::Io(e) => fail(&e),
        })?;
        Ok(OutputFile {
            writer: BufWriter::with_capacity(1 << 16, file),
            temp: Some(temp),
            path: path.to_path_buf(),
            what,
        })
    }

    /// Where to write.
    pub fn writer(&mut self) -> &mut BufWriter<File> {
        &mut self.writer
    }

    /// The error for a failed write to this file.
    pub fn write_error(&self, e: &std::io::Error) -> Error {
        Error::io_context(e, format_args!("cannot write {} {}", self.what, self.path.display()))
    }

    /// Finishes the file: flushed, synced and renamed over the target, the
    /// rename itself made durable.
    pub fn commit(mut self) -> Result<()> {
        self.writer.flush().map_err(|e| self.write_error(&e))?;
        let file = self.writer.get_ref();
        let Some(temp) = self.temp.take() else {
            return Ok(()); // a FIFO or a device: nothing to sync or rename
        };
        let synced = file.sync_all().and_then(|()| std::fs::rename(&temp, &self.path));
        if let Err(e) = synced {
            let _ = std::fs::remove_file(&temp);
            return Err(self.write_error(&e));
        }
        if let Ok(dir) = File::open(parent(&self.path)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

impl Drop for OutputFile {
    /// An output file dropped before [`OutputFile::commit`] failed: its
    /// temporary file goes, the target is untouched.
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = std::fs::remove_file(temp);
        }
    }
}

fn parent(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

enum Refused {
    /// The temporary name is a symbolic link.
    Link,
    Io(std::io::Error),
}

/// Creates `temp` new, never through a symbolic link. A regular file left
/// there by an interrupted export is replaced (removing a name never
/// touches another file); a symbolic link is refused.
fn create_exclusive(temp: &Path) -> std::result::Result<File, Refused> {
    let open = || OpenOptions::new().write(true).create_new(true).custom_flags(libc::O_NOFOLLOW).open(temp);
    match open() {
        Ok(file) => Ok(file),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => match std::fs::symlink_metadata(temp) {
            Ok(meta) if meta.file_type().is_symlink() => Err(Refused::Link),
            Ok(meta) if meta.is_file() => {
                std::fs::remove_file(temp).map_err(Refused::Io)?;
                // If something is planted again in between, this fails.
                open().map_err(Refused::Io)
            }
            _ => Err(Refused::Io(e)),
        },
        Err(e) => Err(Refused::Io(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_no_file_and_a_commit_replaces_the_target() {
        let db = Db::temporary().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        std::fs::write(&path, "old").unwrap();
        let mut out = OutputFile::create(&db, &path, "the export").unwrap();
        out.writer().write_all(b"half").unwrap();
        drop(out);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert!(!dir.path().join(".out.jsonl.partial").exists());

        // A stale temporary file (a regular one) is replaced.
        std::fs::write(dir.path().join(".out.jsonl.partial"), "stale").unwrap();
        let mut out = OutputFile::create(&db, &path, "the export").unwrap();
        out.writer().write_all(b"new").unwrap();
        out.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert!(!dir.path().join(".out.jsonl.partial").exists());
    }
}
