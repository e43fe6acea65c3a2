//! The command line of `claimdb serve`, and the checks that make an unsafe
//! setup fail at start rather than at the first request: another address
//! than loopback needs a token (or the explicit `--insecure-no-token`), a
//! token file must hold a usable token, `--files` must be a directory.

use clap::Parser;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The text after the options in `claimdb serve --help`.
const AFTER_HELP: &str = "\
Examples:
  claimdb serve news.db                          the API and web page on http://127.0.0.1:7700/
  claimdb serve news.db --listen 127.0.0.1:0     pick a free port (printed)
  claimdb serve news.db --read-only              every write is refused (403)
  claimdb serve news.db --listen 0.0.0.0:7700 --token-file desk.token
  claimdb serve news.db --files ./wire           import/export only inside ./wire

While it runs, the server also answers on a Unix socket in the database
directory (server.sock), and records its addresses there (server.json).";

/// Serve one database over HTTP: a JSON API and a web page.
#[derive(Debug, Clone, Parser)]
#[command(name = "claimdb serve", version, after_help = AFTER_HELP)]
pub struct ServeOptions {
    /// The database directory (created if missing).
    #[arg(value_name = "PATH", default_value = "claims.db")]
    pub path: PathBuf,

    /// The address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7700")]
    pub listen: SocketAddr,

    /// Refuse every write (403).
    #[arg(long)]
    pub read_only: bool,

    /// A file holding the bearer token that writes (and, with --private,
    /// reads) must present as `Authorization: Bearer TOKEN`.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// Allow listening on a non-loopback address without a token.
    #[arg(long)]
    pub insecure_no_token: bool,

    /// Reads need the token too (needs --token-file).
    #[arg(long, requires = "token_file")]
    pub private: bool,

    /// Let import, export … to, .backup, .restore and .read use files in
    /// this directory (and only there); without it they are refused.
    #[arg(long, value_name = "DIR")]
    pub files: Option<PathBuf>,

    /// Stop a statement that runs longer than this many seconds (answered
    /// 503).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub statement_timeout: f64,

    /// The largest request body accepted, in bytes (larger: 413).
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
    pub max_body: usize,

    /// The longest statement accepted, in bytes (longer: 413).
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024)]
    pub max_statement: usize,

    /// Do not listen on the Unix socket in the database directory.
    #[arg(long)]
    pub no_socket: bool,
}

/// The checked settings the server runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The options as given.
    pub options: ServeOptions,
    /// The bearer token, when a token file was given.
    pub token: Option<String>,
    /// The `--files` directory, resolved (symlinks followed).
    pub files: Option<PathBuf>,
    /// The statement time limit.
    pub timeout: Duration,
}

/// The shortest token accepted: shorter ones are guessable.
pub const MIN_TOKEN_LEN: usize = 16;

impl ServeOptions {
    /// Checks the options and reads the token file. The message says what
    /// to change.
    pub fn check(self) -> Result<Settings, String> {
        let token = match &self.token_file {
            Some(path) => Some(read_token(path)?),
            None => None,
        };
        if !self.listen.ip().is_loopback() && token.is_none() && !self.insecure_no_token {
            return Err(format!(
                "refusing to listen on {} without a token: anyone who can reach it could change the database\n  \
                 = help: give --token-file FILE (a file holding a secret of at least {MIN_TOKEN_LEN} characters), \
                 or --insecure-no-token if the network is trusted, or listen on 127.0.0.1",
                self.listen
            ));
        }
        if !(self.statement_timeout.is_finite() && self.statement_timeout > 0.0) {
            return Err(format!("--statement-timeout {} must be a number of seconds above 0", self.statement_timeout));
        }
        let files = match &self.files {
            Some(dir) => Some(files_dir(dir)?),
            None => None,
        };
        let timeout = Duration::from_secs_f64(self.statement_timeout.min(86_400.0));
        Ok(Settings { options: self, token, files, timeout })
    }
}

/// The token in `path`: its text without surrounding blanks.
fn read_token(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the token file {}: {}", path.display(), crate::error::io_reason(&e)))?;
    let token = text.trim().to_string();
    // The web page keeps the token in a cookie: no blanks, quotes, `;`, `,`.
    let usable = |c: char| c.is_ascii_graphic() && !matches!(c, ';' | ',' | '"' | '\\');
    if token.len() < MIN_TOKEN_LEN || !token.chars().all(usable) {
        return Err(format!(
            "the token file {} must hold one secret of at least {MIN_TOKEN_LEN} ASCII characters without blanks, \
             quotes, ';' or ','\n  \
             = help: for example: head -c 24 /dev/urandom | base64 > {}",
            path.display(),
            path.display()
        ));
    }
    Ok(token)
}

/// The `--files` directory, which must exist, resolved.
fn files_dir(dir: &Path) -> Result<PathBuf, String> {
    let real = std::fs::canonicalize(dir)
        .map_err(|e| format!("--files {}: {}", dir.display(), crate::error::io_reason(&e)))?;
    if !real.is_dir() {
        return Err(format!("--files {} is not a directory", dir.display()));
    }
    Ok(real)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        ServeOptions::command().debug_assert();
    }

    fn parse(args: &[&str]) -> ServeOptions {
        ServeOptions::try_parse_from(std::iter::once("serve").chain(args.iter().copied())).unwrap()
    }

    #[test]
    fn loopback_is_the_default_and_other_addresses_need_a_token() {
        let o = parse(&["x.db"]);
        assert_eq!(o.listen.to_string(), "127.0.0.1:7700");
        assert!(o.check().is_ok());
        let err = parse(&["x.db", "--listen", "0.0.0.0:7700"]).check().unwrap_err();
        assert!(err.contains("without a token"), "{err}");
        assert!(parse(&["x.db", "--listen", "0.0.0.0:7700", "--insecure-no-token"]).check().is_ok());
    }

    #[test]
    fn short_tokens_and_missing_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let short = dir.path().join("short");
        std::fs::write(&short, "abc\n").unwrap();
        let err = parse(&["--token-file", short.to_str().unwrap()]).check().unwrap_err();
        assert!(err.contains("at least 16"), "{err}");
        let good = dir.path().join("good");
        std::fs::write(&good, "  0123456789abcdef0123\n").unwrap();
        let s = parse(&["--token-file", good.to_str().unwrap()]).check().unwrap();
        assert_eq!(s.token.as_deref(), Some("0123456789abcdef0123"));
        let err = parse(&["--files", "/no/such/dir"]).check().unwrap_err();
        assert!(err.contains("no such file"), "{err}");
        assert!(ServeOptions::try_parse_from(["serve", "--private"]).is_err(), "--private needs a token");
        assert!(parse(&["--statement-timeout", "0"]).check().is_err());
    }
}
