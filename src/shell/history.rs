//! Where the REPL keeps its history across sessions:
//! `$CLAIMDB_HISTORY`, else `$XDG_DATA_HOME/claimdb/history`, else
//! `~/.local/share/claimdb/history`. Never the current directory: a history
//! file dropped next to a database would end up in someone's repository.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The history file for the environment of this process, if there is one.
pub fn path() -> Option<PathBuf> {
    resolve(|name| std::env::var_os(name))
}

/// The history file given a way to read environment variables (so tests
/// need not change the process environment).
pub fn resolve(var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let set = |name: &str| var(name).filter(|v| !v.is_empty());
    if let Some(explicit) = set("CLAIMDB_HISTORY") {
        return Some(PathBuf::from(explicit));
    }
    // The XDG spec says relative values are to be ignored.
    if let Some(data) = set("XDG_DATA_HOME").map(PathBuf::from) {
        if data.is_absolute() {
            return Some(data.join("claimdb").join("history"));
        }
    }
    let home = set("HOME").map(PathBuf::from)?;
    if !home.is_absolute() {
        return None;
    }
    Some(home.join(".local/share/claimdb/history"))
}

/// Creates the directory the history file goes in.
pub fn prepare(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| OsString::from(v))
    }

    #[test]
    fn explicit_variable_wins() {
        let vars = [("CLAIMDB_HISTORY", "/tmp/h"), ("XDG_DATA_HOME", "/x"), ("HOME", "/home/a")];
        assert_eq!(resolve(env(&vars)), Some(PathBuf::from("/tmp/h")));
    }

    #[test]
    fn xdg_then_home() {
        let vars = [("XDG_DATA_HOME", "/x"), ("HOME", "/home/a")];
        assert_eq!(resolve(env(&vars)), Some(PathBuf::from("/x/claimdb/history")));
        let vars = [("HOME", "/home/a")];
        assert_eq!(resolve(env(&vars)), Some(PathBuf::from("/home/a/.local/share/claimdb/history")));
    }

    #[test]
    fn never_the_current_directory() {
        let vars = [("XDG_DATA_HOME", "relative"), ("HOME", "")];
        assert_eq!(resolve(env(&vars)), None);
        assert_eq!(resolve(env(&[("HOME", "also/relative")])), None);
        assert_eq!(resolve(env(&[("CLAIMDB_HISTORY", "")])), None);
    }

    #[test]
    fn prepare_creates_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a/b/history");
        prepare(&file).unwrap();
        assert!(dir.path().join("a/b").is_dir());
    }
}
