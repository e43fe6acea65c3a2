//! Where the files that requests name are allowed to be, and rewriting a
//! statement so that it names the file the server decided on.
//!
//! Over HTTP, a statement that touches a file (`import`, `export … to`,
//! `.backup`, `.restore`, `.read`) is refused unless `--files DIR` was
//! given; then the path must be relative, without `..`, and must still lie
//! inside DIR once every symlink is resolved. Over the Unix socket the
//! caller is a local user with access to the database directory, so paths
//! are theirs, resolved against the working directory they sent.

use crate::engine::paths::resolve;
use crate::query::parser::lexeme;
use crate::{errinput, Error, Result};
use std::path::{Component, Path, PathBuf};

/// How paths of a request are resolved.
#[derive(Clone, Debug)]
pub enum FileAccess {
    /// No file may be touched (HTTP without `--files`).
    Refused,
    /// Only files inside this directory (resolved), named relative to it.
    Inside(PathBuf),
    /// Any file of the local caller, relative paths against this working
    /// directory (the Unix socket).
    Local(PathBuf),
}

/// The real path a request may use for `written`, or why not. The refusal
/// messages are for the person who wrote the statement: they say what the
/// server allows.
pub fn allowed_path(access: &FileAccess, written: &Path) -> Result<PathBuf> {
    match access {
        FileAccess::Refused => Err(Error::Input {
            message: format!("this server does not read or write files ({} was named)", written.display()),
            span: None,
            help: Some(
                "statements that use files (import, export … to, .backup, .restore, .read) need the server to be \
                 started with --files DIR"
                    .into(),
            ),
        }),
        FileAccess::Local(cwd) => Ok(if written.is_absolute() { written.to_path_buf() } else { cwd.join(written) }),
        FileAccess::Inside(dir) => {
            let plain = !written.as_os_str().is_empty()
                && written.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
            if !plain {
                return Err(errinput!("the file name {} is not allowed here", written.display()).with_help(
                    "name a file inside the server's files directory, relative to it, without '..' (like wire/day1.jsonl)",
                ));
            }
            let real = resolve(&dir.join(written));
            if !real.starts_with(dir) {
                return Err(errinput!("the file {} leads outside the server's files directory", written.display())
                    .with_help("a symlink there points elsewhere; only files inside the directory can be used"));
            }
            Ok(real)
        }
    }
}

/// `text` with its file name `written` (the first string literal holding
/// it, or for an export the one that ends the statement) replaced by
/// `real`. The result is parsed again and must name `real`, so a rewrite
/// that went wrong is refused rather than run.
pub fn rewrite_statement(text: &str, written: &Path, real: &Path, is_export: bool) -> Result<String> {
    let Some(real_text) = real.to_str() else {
        return Err(errinput!("the file name {} is not valid UTF-8", real.display()));
    };
    let wanted = written.to_string_lossy();
    let mut found = None;
    for (at, _) in text.match_indices('"') {
        if let Ok((rest, value)) = lexeme::string(&text[at..]) {
            if value == wanted {
                let end = text.len() - rest.len();
                let tail = lexeme::ws(rest);
                let last = tail.is_empty() || tail == ";";
                if !is_export || last {
                    found = Some((at, end));
                    if !is_export {
                        break;
                    }
                }
            }
        }
    }
    let Some((start, end)) = found else {
        return Err(errinput!("cannot find the file name {} in the statement", written.display()));
    };
    let quoted = format!("\"{}\"", real_text.replace('\\', "\\\\").replace('"', "\\\""));
    let rewritten = format!("{}{}{}", &text[..start], quoted, &text[end..]);
    let named =
        crate::query::parser::parse(&rewritten).ok().and_then(|s| super::classify::statement_file(&s)).map(|f| f.path);
    if named.as_deref() != Some(real) {
        return Err(errinput!("cannot rewrite the file name {} in this statement", written.display())
            .with_help("write the file name once, in double quotes"));
    }
    Ok(rewritten)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_files_directory() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(root.join("wire")).unwrap();
        let access = FileAccess::Inside(root.clone());
        assert_eq!(allowed_path(&access, Path::new("wire/a.jsonl")).unwrap(), root.join("wire/a.jsonl"));
        assert_eq!(allowed_path(&access, Path::new("./b.csv")).unwrap(), root.join("b.csv"));
        for bad in ["../x.jsonl", "/etc/passwd", "wire/../../x", ""] {
            let err = allowed_path(&access, Path::new(bad)).unwrap_err();
            assert!(err.to_string().contains("not allowed"), "{bad}: {err}");
        }
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("out")).unwrap();
        let err = allowed_path(&access, Path::new("out/x.jsonl")).unwrap_err();
        assert!(err.to_string().contains("leads outside"), "{err}");
        assert!(allowed_path(&FileAccess::Refused, Path::new("a")).unwrap_err().to_string().contains("--files"));
        let local = FileAccess::Local(PathBuf::from("/home/me"));
        assert_eq!(allowed_path(&local, Path::new("a.jsonl")).unwrap(), PathBuf::from("/home/me/a.jsonl"));
        assert_eq!(allowed_path(&local, Path::new("/tmp/a")).unwrap(), PathBuf::from("/tmp/a"));
    }

    #[test]
    fn the_file_name_is_replaced_and_checked() {
        let out =
            rewrite_statement("import \"a.jsonl\" skip bad", Path::new("a.jsonl"), Path::new("/d/a.jsonl"), false);
        assert_eq!(out.unwrap(), "import \"/d/a.jsonl\" skip bad");
        let text = "export claims mentioning \"x.csv\" to \"x.csv\";";
        let out = rewrite_statement(text, Path::new("x.csv"), Path::new("/d/q \"1\".csv"), true).unwrap();
        assert_eq!(out, "export claims mentioning \"x.csv\" to \"/d/q \\\"1\\\".csv\";");
        let csv = "import csv \"c.csv\" map text = statement, source = \"c.csv\", date = date";
        let out = rewrite_statement(csv, Path::new("c.csv"), Path::new("/d/c.csv"), false).unwrap();
        assert!(out.starts_with("import csv \"/d/c.csv\" map"), "{out}");
        assert!(out.ends_with("source = \"c.csv\", date = date"), "{out}");
    }
}
