//! The command line, parsed by clap.

use super::format::Format;
use clap::Parser;
use std::path::PathBuf;

/// The text after the options in `--help`.
const AFTER_HELP: &str = "\
Examples:
  claimdb --demo                         try it on sample data (nothing is saved)
  claimdb                                open ./claims.db in the interactive shell
  claimdb news.db                        open news.db (made if missing, and said so)
  claimdb news.db -f examples/qatar-mediation.cq
  claimdb news.db -c 'claims by anonymous officials after 2024-11-01'
  claimdb news.db --format json -c 'count claims via Reuters per status'
  claimdb news.db -c '.import wire.jsonl' -c .stats
  claimdb news.db --skip-bad -c 'import \"wire.jsonl\"'   import the good lines, list the bad
  claimdb news.db < corrections.cq       run a script from standard input
  claimdb serve news.db                  share it over HTTP: API and web page (see claimdb serve --help)
  claimdb news.db -c 'count claims'      while claimdb serve holds news.db: runs through the server
  claimdb news.db --no-server -c …       open news.db directly (fails while a server holds it)

In the shell, .help lists every statement and meta command.

While claimdb serve holds the database, statements go through it (a note on
stderr says so), with the same output, errors and exit status; the server's
clock, time limit and read-only setting apply, and Ctrl-C stops a read but
not a write.

Exit status:
  0  everything ran
  1  a statement or meta command failed
  2  usage error, the database or a script could not be opened, or the
     server holding the database went away";

/// An embedded database for tracking claims made in news reporting.
#[derive(Debug, Parser)]
#[command(name = "claimdb", version, about, after_help = AFTER_HELP)]
pub struct Args {
    /// The database directory (default ./claims.db). A missing one is
    /// created, and said so; its parent directory must exist unless
    /// --create is given. Without PATH, -c, -f and piped input need an
    /// existing ./claims.db, or --create.
    #[arg(value_name = "PATH", conflicts_with = "demo")]
    pub path: Option<PathBuf>,

    /// Create the database if it does not exist, with any missing parent
    /// directories.
    #[arg(long, conflicts_with = "demo")]
    pub create: bool,

    /// Open a temporary database loaded with the sample claims.
    #[arg(long)]
    pub demo: bool,

    /// Run a statement or meta command and exit (may be repeated).
    #[arg(short = 'c', long = "command", value_name = "STATEMENT")]
    pub commands: Vec<String>,

    /// Run a script file and exit (may be repeated; runs before -c).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// How results are printed.
    #[arg(long, value_enum, default_value = "table", value_name = "FORMAT")]
    pub format: Format,

    /// Carry on after a failed statement (the exit status is still 1).
    #[arg(long, conflicts_with = "atomic")]
    pub keep_going: bool,

    /// Run the whole script (-f, -c or piped input) as one atomic unit: if
    /// any statement fails, or the run is killed, none of its writes are
    /// kept. Needs the database opened here (not through claimdb serve).
    #[arg(long)]
    pub atomic: bool,

    /// Print each statement before its result.
    #[arg(long)]
    pub echo: bool,

    /// Imports take the good records and list the bad ones, instead of
    /// importing nothing when any record is bad.
    #[arg(long)]
    pub skip_bad: bool,

    /// Open the database directly even when `claimdb serve` holds it
    /// (which then fails, as the server holds its lock), rather than send
    /// the statements to the server.
    #[arg(long, conflicts_with = "demo")]
    pub no_server: bool,
}

/// The database used when no PATH is given.
pub const DEFAULT_DATABASE: &str = "claims.db";

impl Args {
    /// The database directory: PATH, else `claims.db`.
    pub fn database(&self) -> PathBuf {
        self.path.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_DATABASE))
    }

    /// Whether statements come from -c, -f or piped input rather than a
    /// person at the REPL (`stdin_is_terminal` says where stdin is).
    pub fn is_batch(&self, stdin_is_terminal: bool) -> bool {
        !self.commands.is_empty() || !self.files.is_empty() || !stdin_is_terminal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Args::command().debug_assert();
    }

    #[test]
    fn defaults_and_repeats() {
        let a = Args::parse_from(["claimdb"]);
        assert_eq!(a.path, None);
        assert_eq!(a.database(), PathBuf::from("claims.db"));
        assert_eq!(a.format, Format::Table);
        let a = Args::parse_from(["claimdb", "x.db", "-c", "a", "-c", "b", "--format", "csv"]);
        assert_eq!(a.commands, ["a", "b"]);
        assert_eq!(a.format, Format::Csv);
        assert!(Args::try_parse_from(["claimdb", "x.db", "--demo"]).is_err());
        assert!(Args::try_parse_from(["claimdb", "--format", "xml"]).is_err());
    }
}
