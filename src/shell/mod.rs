//! The program around the engine: the command line, the REPL, script files
//! and output formats.
//!
//! * [`args`] parses the command line;
//! * [`input`] reads scripts within limits, [`script`] cuts them into
//!   statements and meta commands;
//! * [`runner`] runs them, printing results and errors, and reaches the
//!   database only through [`database::Database`], or through the server
//!   that holds it ([`served`]) when `claimdb serve` runs on it;
//! * [`meta`] parses the dot commands (the runner carries them out),
//!   [`help`] is their help text;
//! * [`format`](mod@format) prints results as tables, JSON, JSONL or CSV;
//! * [`repl`] is the interactive loop, with [`helper`] (completion, hints,
//!   highlighting) and [`history`] (where history is kept);
//! * [`demo`] loads the bundled sample for `--demo`;
//! * [`review`] steps through an article's proposals (`review article`).
//!
//! [`main`] ties them together and decides the exit status: 0 when all
//! went well, 1 when a statement of a script or `-c` failed, 2 for usage
//! errors, databases or scripts that cannot be opened, and a server that
//! went away while it held the database. The REPL exits 0 otherwise: a
//! failed statement there has already been answered.

pub mod args;
pub mod database;
pub mod demo;
pub mod format;
pub mod help;
pub mod helper;
pub mod history;
pub mod input;
pub mod meta;
pub mod repl;
pub mod review;
pub mod runner;
pub mod script;
pub mod served;

use crate::{Db, Error};
use args::Args;
use clap::Parser;
use runner::{FileError, Runner};
use served::Served;
use std::io::{self, BufWriter, IsTerminal};
use std::path::Path;
use std::process::ExitCode;

/// Exit status: everything ran.
pub const EXIT_OK: u8 = 0;
/// Exit status: a statement or meta command failed.
pub const EXIT_FAILED: u8 = 1;
/// Exit status: usage error, or the database or a script cannot be opened.
pub const EXIT_USAGE: u8 = 2;

/// The `claimdb` program.
pub fn main() -> ExitCode {
    // `claimdb serve …` holds the database and serves it (see crate::server).
    if std::env::args_os().nth(1).is_some_and(|a| a == "serve") {
        return ExitCode::from(crate::server::main(std::env::args_os().skip(2)));
    }
    // clap prints usage errors and exits with status 2 by itself.
    let args = Args::parse();
    ExitCode::from(run(args))
}

/// Runs the program for parsed arguments; returns the exit status.
pub fn run(args: Args) -> u8 {
    let stdin_is_terminal = io::stdin().is_terminal();
    let opened = clock_from_env().and_then(|clock| {
        if args.demo {
            let db = demo::open(clock)?;
            db.set_clock(clock);
            return Ok((Opened::Here(db), "(demo, temporary)".to_string()));
        }
        let path = args.database();
        match connect_or_open(&path, &args, stdin_is_terminal)? {
            Opened::Here(db) => {
                db.set_clock(clock);
                Ok((Opened::Here(db), path.display().to_string()))
            }
            Opened::Served(served) => {
                let label = served.label();
                Ok((Opened::Served(served), label))
            }
        }
    });
    let (opened, label) = match opened {
        Ok(x) => x,
        Err(message) => {
            eprintln!("claimdb: {message}");
            return EXIT_USAGE;
        }
    };

    let batch = args.is_batch(stdin_is_terminal);
    // The database an atomic run's unit is held on (a clone shares it).
    let unit = match (&opened, args.atomic) {
        (_, false) => None,
        (Opened::Served(_), true) => {
            eprintln!(
                "claimdb: --atomic needs the database opened by this claimdb, and claimdb serve holds it; \
                 stop the server, or run without --atomic (each statement is still atomic on its own)"
            );
            return EXIT_USAGE;
        }
        (Opened::Here(_), true) if !batch => {
            eprintln!("claimdb: --atomic is for scripts (-f, -c or piped input), not the interactive shell");
            return EXIT_USAGE;
        }
        (Opened::Here(db), true) => Some(db.clone()),
    };
    let (out, err): (Box<dyn io::Write>, Box<dyn io::Write>) =
        (Box::new(BufWriter::new(io::stdout())), Box::new(io::stderr()));
    let mut runner = match opened {
        Opened::Here(db) => Runner::new(db, out, err, &repl::CANCEL),
        Opened::Served(served) => {
            eprintln!("{}", served.note());
            Runner::served(served, out, err, &repl::CANCEL)
        }
    };
    runner.format = args.format;
    runner.keep_going = args.keep_going;
    runner.echo = args.echo;
    runner.skip_bad = args.skip_bad;
    runner.show_progress = io::stderr().is_terminal();

    let status = if let Some(db) = unit {
        run_atomic(&db, &mut runner, &args)
    } else if batch {
        run_script(&mut runner, &args)
    } else {
        let usable = repl::run(&mut runner, &label);
        Some(if usable { EXIT_OK } else { EXIT_USAGE })
    };
    runner.finish();
    if runner.server_lost() {
        return EXIT_USAGE;
    }
    status.unwrap_or(if runner.failures() > 0 { EXIT_FAILED } else { EXIT_OK })
}

/// The database the shell works on: opened here, or held by a server.
enum Opened {
    Here(Db),
    Served(Box<Served>),
}

/// The server holding the database at `path`, unless `--no-server`; else
/// the database, opened here. A server that starts while this claimdb
/// waits for the database's lock is found once the lock is refused.
fn connect_or_open(path: &Path, args: &Args, stdin_is_terminal: bool) -> std::result::Result<Opened, String> {
    let find = || (!args.no_server).then(|| Served::find(path)).flatten();
    if let Some(served) = find() {
        return Ok(Opened::Served(Box::new(served)));
    }
    match open_database(path, args, stdin_is_terminal) {
        Ok(db) => Ok(Opened::Here(db)),
        Err(NotOpened::Held) => match find() {
            Some(served) => Ok(Opened::Served(Box::new(served))),
            None => Err(held_message(path, args)),
        },
        Err(NotOpened::Refused(message)) => Err(message),
    }
}

/// Why a database that another process holds cannot be used, naming the
/// server when one holds it.
fn held_message(path: &Path, args: &Args) -> String {
    let locked = Error::Locked(path.to_path_buf()).to_string();
    // A server killed without warning leaves server.json behind: name a
    // server only while its process is there.
    let Some(address) = crate::server::socket::recorded(path).filter(|a| process_exists(a.pid)) else {
        return locked;
    };
    let server = format!("claimdb serve (pid {}, http://{}/)", address.pid, address.http);
    match (args.no_server, &address.socket) {
        (true, _) => format!("{locked} ({server} holds it; without --no-server, claimdb sends the statements to it)"),
        (false, None) => format!(
            "{locked} ({server} holds it without a Unix socket, as started with --no-socket or because the \
             database's path is too long for one, so claimdb cannot send it statements; use its HTTP API or web page, \
             or restart it with a socket)"
        ),
        (false, Some(_)) => locked,
    }
}

/// Whether a process with this id runs here (where `/proc` lists them;
/// elsewhere the server is not named).
fn process_exists(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Runs the script (`-f` files, then `-c` statements, or standard input)
/// as one atomic unit on `db`: kept whole when every statement succeeded,
/// rolled back whole otherwise (and at the next open, if the process dies
/// first).
fn run_atomic(db: &Db, runner: &mut Runner, args: &Args) -> Option<u8> {
    let mut status = None;
    let outcome = db.atomic(|_| {
        status = run_script(runner, args);
        if runner.failures() > 0 || status.is_some() {
            return Err(Error::Cancelled);
        }
        Ok(())
    });
    match outcome {
        Ok(()) => status,
        Err(Error::Cancelled) => {
            runner.error_text("claimdb: the script failed, so none of its writes were kept (--atomic)");
            status
        }
        Err(e) => {
            runner.error_text(&format!("claimdb: the script's writes were not kept (--atomic): {e}"));
            Some(status.unwrap_or(EXIT_FAILED))
        }
    }
}

/// Runs the script: `-f` files, then `-c` statements, or else standard
/// input. Returns a status when a script could not be read at all.
fn run_script(runner: &mut Runner, args: &Args) -> Option<u8> {
    if !args.files.is_empty() || !args.commands.is_empty() {
        return run_batch(runner, args);
    }
    match input::read_script(io::stdin().lock(), "standard input") {
        Ok(bytes) => {
            runner.run_bytes("<stdin>", &bytes);
            None
        }
        Err(message) => {
            runner.error_text(&format!("claimdb: {message}"));
            Some(EXIT_USAGE)
        }
    }
}

/// Runs `-f` files, then `-c` statements. Returns a status when a script
/// could not be read at all.
fn run_batch(runner: &mut Runner, args: &Args) -> Option<u8> {
    for file in &args.files {
        match runner.run_file(file) {
            Err(FileError::Unreadable(message)) => {
                runner.error_text(&format!("claimdb: {message}"));
                return Some(EXIT_USAGE);
            }
            Ok(ok) => {
                if (!ok && !runner.keep_going) || runner.quit_requested() {
                    return None;
                }
            }
        }
    }
    for command in &args.commands {
        let ok = runner.run_text("", command);
        if (!ok && !runner.keep_going) || runner.quit_requested() {
            break;
        }
    }
    None
}

/// The environment variable that fixes the clock (`2024-11-20T12:00:00Z`):
/// writes are recorded at that time and "today" is its day, so that scripts
/// and tests give the same output on every run.
pub const NOW_VARIABLE: &str = "CLAIMDB_NOW";

/// The fixed clock from `CLAIMDB_NOW`, if set.
fn clock_from_env() -> std::result::Result<Option<chrono::DateTime<chrono::Utc>>, String> {
    let Ok(value) = std::env::var(NOW_VARIABLE) else { return Ok(None) };
    let now = chrono::DateTime::parse_from_rfc3339(value.trim())
        .map_err(|_| format!("{NOW_VARIABLE}={value} is not a time like 2024-11-20T12:00:00Z"))?;
    Ok(Some(now.with_timezone(&chrono::Utc)))
}

/// Opens the database at `path`, creating it only when that is what the
/// user asked for: a named database that does not exist yet is created
/// (and said so on stderr) if its parent directory exists, or with
/// `--create`; the default `./claims.db` is created without asking only
/// for the REPL, where the note is seen. A mistyped path thus never
/// becomes a silent empty database that answers `no claims`.
fn open_database(path: &Path, args: &Args, stdin_is_terminal: bool) -> std::result::Result<Db, NotOpened> {
    let exists = path.symlink_metadata().is_ok();
    if !exists && !args.create {
        if args.path.is_none() && args.is_batch(stdin_is_terminal) {
            return Err(NotOpened::Refused(format!(
                "there is no database {} here; name the database to use (claimdb news.db -c …), \
                 or pass --create to make {} in this directory",
                path.display(),
                path.display()
            )));
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !parent.is_dir() {
                return Err(NotOpened::Refused(format!(
                    "cannot create the database {}: the directory {} does not exist; \
                     check the path, or pass --create to create it",
                    path.display(),
                    parent.display()
                )));
            }
        }
    }
    let db = Db::open(path).map_err(|e| match e {
        Error::Locked(_) => NotOpened::Held,
        other => NotOpened::Refused(open_error(&other)),
    })?;
    if !exists {
        eprintln!("created new database {}", path.display());
    }
    // An upgrade, a rolled-back import, lost writes accepted: said once.
    for note in db.open_notes() {
        eprintln!("claimdb: {note}");
    }
    Ok(db)
}

/// Why [`open_database`] did not open the database.
enum NotOpened {
    /// Another process holds it.
    Held,
    /// Anything else, said for the user.
    Refused(String),
}

/// The message for a database that cannot be opened.
fn open_error(err: &Error) -> String {
    match err {
        // These messages already name the database and say what to do.
        Error::Locked(_) | Error::NewerFormat { .. } | Error::Io { .. } => err.to_string(),
        other => format!("cannot open the database: {other}"),
    }
}
