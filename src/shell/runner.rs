//! Running scripts: each statement goes to the database, each meta command
//! is parsed by [`super::meta`] and carried out here; results are printed
//! in the current format (claims as they are found) and errors are
//! rendered with a caret under the fault, `FILE:LINE:COL` for files.
//!
//! The same runner serves `-c`, `-f`, stdin and the REPL, so a statement
//! behaves the same wherever it is typed. Everything it asks of the
//! database goes through one [`Database`], the only way the shell reaches
//! the engine, or, when `claimdb serve` holds the database, to that server
//! ([`Served`]): statements and the meta commands that reach the database
//! are sent there and what comes back is written to the current output;
//! the rest (`.read`, `.output`, `.mode`, echo, errors) stays here, so a
//! script behaves the same either way.

use super::database::{Backend, Database};
use super::format::stream::ClaimStream;
use super::format::{self, Format};
use super::help;
use super::meta::{self, Argument, Meta};
use super::script::{self, ItemKind, Open};
use super::served::{self, Served};
use crate::query::ast::Statement;
use crate::query::{Context, Note, Output};
use crate::{errinput, Error, Result, Span, Vocabulary};
use std::cell::{OnceCell, RefCell};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How deeply `.read` may nest, so a script that reads itself stops.
const MAX_READ_DEPTH: usize = 16;

/// Where results go when `.output FILE` is in force.
struct Redirect {
    path: PathBuf,
    file: BufWriter<File>,
}

/// Why a script file could not be run at all.
#[derive(Debug)]
pub enum FileError {
    /// It could not be read (missing, a directory, no permission): a usage
    /// problem, exit code 2 from the command line.
    Unreadable(String),
}

/// Runs statements and meta commands against one database.
pub struct Runner {
    db: Backend,
    /// How results are printed (`--format`, `.mode`).
    pub format: Format,
    /// Whether to print the time each statement took (`.timer`).
    pub timer: bool,
    /// Whether to print each statement before its result (`.echo`,
    /// `--echo`), so that a script's output reads on its own.
    pub echo: bool,
    /// Whether every import skips bad records (`--skip-bad`).
    pub skip_bad: bool,
    /// Whether a script carries on after a failed statement (`--keep-going`).
    pub keep_going: bool,
    /// A fixed table width; `None` asks the terminal before every result.
    pub width: Option<usize>,
    /// Whether import progress may be drawn (stderr is a terminal).
    pub show_progress: bool,
    /// Whether a person reads the results as they come (the REPL), rather
    /// than a program reading the whole output.
    pub interactive: bool,
    out: Box<dyn Write>,
    err: Box<dyn Write>,
    redirect: Option<Redirect>,
    cancel: &'static AtomicBool,
    depth: usize,
    failures: usize,
    quit: bool,
    /// Whether the server that held the database went away.
    server_lost: bool,
    vocabulary_changed: bool,
    /// How many JSON documents have gone to the current destination.
    json_documents: usize,
}

/// Whether what a statement sent to the server prints counts as a JSON
/// document on the destination, as it does when the runner prints it
/// itself (see [`Runner::count_document`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Document {
    /// When the statement succeeds (results).
    WhenDone,
    /// Whenever the server answers (`.check`, which fails after printing
    /// its report).
    Always,
    /// Never (`.backup`, which says what it wrote in a line of text).
    Never,
}

impl Runner {
    /// A runner printing results to `out` and errors to `err`; `cancel` is
    /// the flag Ctrl-C sets.
    pub fn new(
        db: impl Database + 'static,
        out: Box<dyn Write>,
        err: Box<dyn Write>,
        cancel: &'static AtomicBool,
    ) -> Runner {
        Runner::with_backend(Backend::Open(Box::new(db)), out, err, cancel)
    }

    /// A runner that sends statements to the server holding the database.
    pub fn served(
        served: Box<Served>,
        out: Box<dyn Write>,
        err: Box<dyn Write>,
        cancel: &'static AtomicBool,
    ) -> Runner {
        Runner::with_backend(Backend::Served(served), out, err, cancel)
    }

    fn with_backend(db: Backend, out: Box<dyn Write>, err: Box<dyn Write>, cancel: &'static AtomicBool) -> Runner {
        Runner {
            db,
            format: Format::Table,
            timer: false,
            echo: false,
            skip_bad: false,
            keep_going: false,
            width: None,
            show_progress: false,
            interactive: false,
            out,
            err,
            redirect: None,
            cancel,
            depth: 0,
            failures: 0,
            quit: false,
            server_lost: false,
            vocabulary_changed: false,
            json_documents: 0,
        }
    }

    /// Where statements go.
    pub fn backend(&self) -> &Backend {
        &self.db
    }

    /// The names the REPL completes: sources, outlets, topics.
    pub fn vocabulary(&self) -> Result<Vocabulary> {
        self.db.vocabulary()
    }

    /// Whether the server that held the database went away (the run then
    /// stops: nothing more can be sent, and the database may be free to
    /// open).
    pub fn server_lost(&self) -> bool {
        self.server_lost
    }

    /// How many statements or meta commands have failed so far.
    pub fn failures(&self) -> usize {
        self.failures
    }

    /// Whether `.quit` was given (or the output went away).
    pub fn quit_requested(&self) -> bool {
        self.quit
    }

    /// Whether a write may have added sources, outlets or topics since the
    /// last call (the REPL then refreshes its completions).
    pub fn take_vocabulary_changed(&mut self) -> bool {
        std::mem::take(&mut self.vocabulary_changed)
    }

    /// Runs script text. `origin` names it in error messages (empty for
    /// typed input). Stops at the first failure unless `keep_going`; returns
    /// whether everything succeeded.
    pub fn run_text(&mut self, origin: &str, text: &str) -> bool {
        let mut ok = true;
        for item in script::split(text) {
            if self.quit {
                break;
            }
            if self.echo {
                self.echo_item(&item.text);
            }
            let result = match (item.open, item.kind) {
                (Some(open), _) => Err(unclosed(open, item.offset, &item.text)),
                (None, ItemKind::Meta) => self.run_meta(&item.text),
                (None, ItemKind::Statement) => self.run_statement(&item.text).map(|()| true),
            };
            let succeeded = match result {
                Ok(succeeded) => succeeded,
                Err(err) => {
                    self.failures += 1;
                    if matches!(err, Error::ServerLost(_)) {
                        self.server_lost = true;
                        self.quit = true;
                    }
                    self.report_item(origin, text, err, &item);
                    false
                }
            };
            if !succeeded {
                ok = false;
                if !self.keep_going {
                    break;
                }
            }
        }
        ok
    }

    /// Runs script bytes, which must be UTF-8: a script with invalid bytes
    /// is rejected whole, naming the line, before anything runs.
    pub fn run_bytes(&mut self, origin: &str, bytes: &[u8]) -> bool {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.run_text(origin, text),
            Err(e) => {
                let good = &bytes[..e.valid_up_to()];
                let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
                let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
                // The valid prefix is UTF-8, so this never loses anything.
                let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
                self.failures += 1;
                let message = format!(
                    "{origin}:{line}:{col}: error: the script is not valid UTF-8 (byte {}); nothing was run\n  = help: save the file as UTF-8",
                    e.valid_up_to() + 1
                );
                self.error_text(&message);
                false
            }
        }
    }

    /// Prints a statement as typed, each line after `> `.
    fn echo_item(&mut self, text: &str) {
        let mut echoed = String::new();
        for (i, line) in text.trim().lines().enumerate() {
            echoed.push_str(if i == 0 { "> " } else { "  " });
            echoed.push_str(line.trim_end());
            echoed.push('\n');
        }
        let _ = self.out.write_all(echoed.as_bytes());
    }

    /// Reads and runs a script file; `origin` in messages is the path as
    /// given.
    pub fn run_file(&mut self, path: &Path) -> std::result::Result<bool, FileError> {
        let bytes = read_script(path).map_err(FileError::Unreadable)?;
        if self.depth >= MAX_READ_DEPTH {
            return Err(FileError::Unreadable(format!(
                "{}: scripts read each other more than {MAX_READ_DEPTH} levels deep; does a script read itself?",
                path.display()
            )));
        }
        self.depth += 1;
        let ok = self.run_bytes(&path.display().to_string(), &bytes);
        self.depth -= 1;
        Ok(ok)
    }

    /// Runs one statement and prints its result; the claims of a query are
    /// printed as they are found.
    pub fn run_statement(&mut self, statement: &str) -> Result<()> {
        if self.db.served().is_some() {
            return self.run_served(statement, Document::WhenDone);
        }
        self.run_with_context(Some(statement), |runner, ctx| {
            let width = runner.width.unwrap_or_else(format::terminal_width);
            let sink: &mut dyn Write = match &mut runner.redirect {
                Some(r) => &mut r.file,
                None => &mut *runner.out,
            };
            let mut stream = ClaimStream::new(sink, runner.format, width);
            match runner.db.direct()?.execute(statement, ctx, &mut stream)? {
                Output::Claims(list) => {
                    let finished = stream.finish(list.matched);
                    runner.count_document();
                    finished.map(|()| None)
                }
                other => Ok(Some(other)),
            }
        })
    }

    /// Runs a statement the shell built (`.import`, `.export`); errors that
    /// point into statement text point at `arg`, the file as typed, instead.
    fn run_built(&mut self, statement: Statement, arg: &Argument) -> Result<()> {
        self.run_with_context(None, |runner, ctx| runner.db.direct()?.execute_statement(statement, ctx).map(Some))
            .map_err(|e| at_argument(e, arg))
    }

    /// Runs `f` with a context (Ctrl-C, a progress bar on a terminal,
    /// today, notes kept for later), prints the output it returns (`None`:
    /// it printed its own), then the notes about it on the error stream
    /// (never among the results, whatever the format), and the time it
    /// took when the timer is on. `text` is the statement's text, which the
    /// notes' suggestions are written against.
    fn run_with_context(
        &mut self,
        text: Option<&str>,
        f: impl FnOnce(&mut Runner, &Context<'_>) -> Result<Option<Output>>,
    ) -> Result<()> {
        self.cancel.store(false, Ordering::SeqCst);
        let bar: OnceCell<indicatif::ProgressBar> = OnceCell::new();
        let show = self.show_progress;
        let progress = |phase: &str, done: u64| {
            if show {
                let bar = bar.get_or_init(new_progress_bar);
                bar.set_message(phase.to_string());
                bar.set_position(done);
            }
        };
        let notes: RefCell<Vec<Note>> = RefCell::new(Vec::new());
        let keep = |note: Note| notes.borrow_mut().push(note);
        let ctx = Context {
            cancel: self.cancel,
            progress: &progress,
            today: self.db.today(),
            skip_bad: self.skip_bad,
            notes: &keep,
        };
        let started = Instant::now();
        let result = f(self, &ctx);
        let elapsed = started.elapsed();
        if let Some(bar) = bar.get() {
            bar.finish_and_clear();
        }
        let output = match result {
            Ok(output) => output,
            // The reader went away (`claimdb … | head`): stop quietly.
            Err(e) if e.io_kind() == Some(io::ErrorKind::BrokenPipe) => {
                self.quit = true;
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        if let Some(output) = output {
            if matches!(output, Output::Added(_) | Output::Done(_) | Output::Imported(_)) {
                self.vocabulary_changed = true;
            }
            self.emit(&output)?;
        }
        for note in notes.take() {
            self.error_text(&note.render(text));
        }
        if self.timer {
            self.error_text(&format!("time: {}", elapsed_text(elapsed)));
        }
        Ok(())
    }

    /// Notes one more JSON document on the current destination; at the
    /// second, says once that several documents are not one (a program
    /// reading the output as JSON would fail on it).
    fn count_document(&mut self) {
        if self.format != Format::Json {
            return;
        }
        self.json_documents += 1;
        if self.json_documents == 2 && !self.interactive {
            self.error_text(
                "note: each statement prints its own JSON array, so this output holds several JSON documents; \
                 use --format jsonl (one object per line) to read the results of several statements as one stream",
            );
        }
    }

    /// Parses and carries out a meta command. A script run by `.read`
    /// reports its own errors; its failure comes back as `Ok(false)` so it
    /// is not reported twice.
    fn run_meta(&mut self, text: &str) -> Result<bool> {
        let meta = meta::parse(text)?;
        if self.db.served().is_some() {
            if let Some(sent) = self.run_meta_served(&meta, text) {
                return sent.map(|()| true);
            }
        }
        match meta {
            Meta::Overview => self.say(&help::overview())?,
            Meta::Help(topic) => self.say(topic)?,
            Meta::ShowMode => self.say(&format!("mode {}", self.format.name()))?,
            Meta::Mode(format) => self.format = format,
            Meta::Timer(None) => self.say(&format!("timer {}", on_off(self.timer)))?,
            Meta::Timer(Some(on)) => self.timer = on,
            Meta::Echo(None) => self.say(&format!("echo {}", on_off(self.echo)))?,
            Meta::Echo(Some(on)) => self.echo = on,
            Meta::Read(arg) => {
                return match self.run_file(&arg.path) {
                    Ok(ok) => Ok(ok),
                    Err(FileError::Unreadable(message)) => Err(errinput!(arg.span; "{message}")),
                };
            }
            Meta::Import { file, skip_bad } => {
                let statement =
                    crate::query::parser::import_statement(&file.path, skip_bad).map_err(|e| at_argument(e, &file))?;
                self.run_built(statement, &file)?;
            }
            Meta::Export(arg) => {
                self.db.refuse_inside(&arg.path, "the export file").map_err(|e| at_argument(e, &arg))?;
                let statement = Statement::Export { query: Default::default(), path: arg.path.clone() };
                self.run_built(statement, &arg)?;
            }
            Meta::Backup(arg) => {
                self.db.refuse_inside(&arg.path, "the backup").map_err(|e| at_argument(e, &arg))?;
                let n = self.db.direct()?.backup(&arg.path)?;
                self.say(&format!("backed up {} to {}", format::plural(n, "claim", "claims"), arg.path.display()))?;
            }
            Meta::Restore(arg) => {
                self.run_with_context(None, |runner, ctx| {
                    Ok(Some(Output::Imported(runner.db.direct()?.restore(&arg.path, ctx)?)))
                })?;
            }
            Meta::ShowOutput => {
                let dest = match self.destination() {
                    Some(p) => p.display().to_string(),
                    None => "stdout".to_string(),
                };
                self.say(&format!("output goes to {dest}"))?;
            }
            Meta::Output(None) => self.redirect(None)?,
            Meta::Output(Some(arg)) => {
                self.db.refuse_inside(&arg.path, "the output file").map_err(|e| at_argument(e, &arg))?;
                self.redirect(Some(&arg.path)).map_err(|e| errinput!(arg.span; "{e}"))?;
            }
            Meta::Sources => {
                let sources = self.db.direct()?.sources()?;
                self.emit(&Output::Sources(sources))?;
            }
            Meta::Stats => {
                let stats = self.db.direct()?.stats()?;
                self.emit(&Output::Stats(stats))?;
            }
            Meta::Check => {
                let report = self.db.direct()?.check()?;
                let problems = report.problems.len();
                self.emit(&Output::Check(report))?;
                if problems > 0 {
                    // A failed check fails the script, so `claimdb DB -c .check`
                    // can guard a cron job.
                    return Err(errinput!("the integrity check found {problems} problem(s)"));
                }
            }
            Meta::Quit => self.request_quit(),
        }
        Ok(true)
    }

    /// Carries out a meta command that reaches the database by sending it
    /// to the server that holds the database; `None` for the meta commands
    /// the shell carries out itself. `.import FILE` and `.export FILE` go
    /// as the statements they stand for, with errors pointed at the file
    /// name as typed; files inside the database directory are refused
    /// here, with the messages of a direct run.
    fn run_meta_served(&mut self, meta: &Meta, text: &str) -> Option<Result<()>> {
        let statement = |word: &str, arg: &Argument, tail: &str| {
            served::quoted(&arg.path).map(|q| format!("{word} {q}{tail}")).map_err(|e| at_argument(e, arg))
        };
        Some(match meta {
            Meta::Import { file, skip_bad } => statement("import", file, if *skip_bad { " skip bad" } else { "" })
                .and_then(|text| self.run_served(&text, Document::WhenDone).map_err(|e| at_argument(e, file))),
            Meta::Export(arg) => self
                .db
                .refuse_inside(&arg.path, "the export file")
                .and_then(|()| statement("export to", arg, ""))
                .and_then(|text| self.run_served(&text, Document::WhenDone))
                .map_err(|e| at_argument(e, arg)),
            Meta::Backup(arg) => self
                .db
                .refuse_inside(&arg.path, "the backup")
                .map_err(|e| at_argument(e, arg))
                .and_then(|()| self.run_served(text, Document::Never)),
            Meta::Restore(_) | Meta::Sources | Meta::Stats => self.run_served(text, Document::WhenDone),
            Meta::Check => self.run_served(text, Document::Always),
            _ => return None,
        })
    }

    /// Runs `text` on the server that holds the database and writes what
    /// it prints to the current destination, as it arrives.
    fn run_served(&mut self, text: &str, document: Document) -> Result<()> {
        self.run_with_context(None, |runner, ctx| {
            let width = runner.width.unwrap_or_else(format::terminal_width);
            let (format, skip_bad) = (runner.format, runner.skip_bad);
            let served = runner.db.served().ok_or_else(|| crate::errio!("(a bug) no server to send to"))?;
            let sink: &mut dyn Write = match &mut runner.redirect {
                Some(r) => &mut r.file,
                None => &mut *runner.out,
            };
            let outcome = served.run(text, format, width, skip_bad, sink, ctx.cancel);
            let flushed = sink.flush();
            let outcome = outcome?;
            flushed.map_err(|e| Error::io_context(&e, "cannot write the output"))?;
            if outcome.wrote {
                runner.vocabulary_changed = true;
            }
            let counts = match document {
                Document::WhenDone => outcome.error.is_none(),
                Document::Always => true,
                Document::Never => false,
            };
            if counts {
                runner.count_document();
            }
            // After the output, as a direct run prints them; the server
            // worded them against the text it ran (see Note::render).
            for note in &outcome.notes {
                runner.error_text(note);
            }
            outcome.error.map_or(Ok(None), Err)
        })
    }

    /// Prints a result in the current format to the current destination.
    pub fn emit(&mut self, output: &Output) -> Result<()> {
        let width = self.width.unwrap_or_else(format::terminal_width);
        let format = self.format;
        let result = {
            let sink: &mut dyn Write = match &mut self.redirect {
                Some(r) => &mut r.file,
                None => &mut *self.out,
            };
            format::write(sink, output, format, width).and_then(|()| sink.flush())
        };
        self.count_document();
        self.output_result(result)
    }

    /// Prints plain text (help, settings) to the current destination.
    pub fn say(&mut self, text: &str) -> Result<()> {
        let result = {
            let sink: &mut dyn Write = match &mut self.redirect {
                Some(r) => &mut r.file,
                None => &mut *self.out,
            };
            sink.write_all(text.as_bytes()).and_then(|()| sink.write_all(b"\n")).and_then(|()| sink.flush())
        };
        self.output_result(result)
    }

    fn output_result(&mut self, result: io::Result<()>) -> Result<()> {
        match result {
            Ok(()) => Ok(()),
            // The reader went away (`claimdb … | head`): stop quietly.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.quit = true;
                Ok(())
            }
            Err(e) => Err(Error::io_context(&e, "cannot write the output")),
        }
    }

    /// Writes a line to the error stream, after flushing results so that
    /// the two interleave in order on a terminal.
    pub fn error_text(&mut self, text: &str) {
        let _ = self.out.flush();
        // Nothing sensible can be done when stderr itself is gone.
        let _ = writeln!(self.err, "{text}");
        let _ = self.err.flush();
    }

    /// Prints an error with its caret display.
    pub fn report(&mut self, origin: &str, text: &str, err: &Error) {
        let rendered = err.render(origin, text, 1);
        self.error_text(&rendered);
    }

    /// Prints the error of one item of a script, always saying where the
    /// item is: an input error without a span points at the item's first
    /// word, other errors (I/O, storage, a failed import) get the item's
    /// `FILE:LINE:COL` in front.
    fn report_item(&mut self, origin: &str, text: &str, err: Error, item: &script::Item) {
        // Without a span, point at the statement's first word: the message
        // is about the statement as a whole.
        let first_word = item.text.find(char::is_whitespace).unwrap_or(item.text.len());
        let err = match err {
            Error::Input { span: None, .. } => err.with_span(Span::new(0, first_word)),
            other => other,
        };
        if let Error::Input { .. } = err {
            return self.report(origin, text, &err.shifted(item.offset));
        }
        let message = if origin.is_empty() {
            format!("error: {err}")
        } else {
            let (line, col) = script::line_col(text, item.offset);
            format!("{origin}:{line}:{col}: error: {err}")
        };
        self.error_text(&message);
    }

    /// Sends results to a file from now on (`.output FILE`), or back to
    /// standard output (`None`).
    pub fn redirect(&mut self, path: Option<&Path>) -> Result<()> {
        if let Some(mut old) = self.redirect.take() {
            old.file.flush().map_err(|e| Error::io_context(&e, format_args!("cannot write {}", old.path.display())))?;
        }
        self.json_documents = 0;
        if let Some(path) = path {
            let file = File::create(path)
                .map_err(|e| Error::io_context(&e, format_args!("cannot write {}", path.display())))?;
            self.redirect = Some(Redirect { path: path.to_path_buf(), file: BufWriter::new(file) });
        }
        Ok(())
    }

    /// Where results go now: a file path, or `None` for standard output.
    pub fn destination(&self) -> Option<&Path> {
        self.redirect.as_ref().map(|r| r.path.as_path())
    }

    /// Asks the runner to stop (`.quit`).
    pub fn request_quit(&mut self) {
        self.quit = true;
    }

    /// Flushes any redirected output; call before exiting.
    pub fn finish(&mut self) {
        if let Some(r) = self.redirect.as_mut() {
            let _ = r.file.flush();
        }
        let _ = self.out.flush();
    }
}

fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

/// An input error of a statement the shell built, pointed at the file
/// argument the user typed (the statement's own text was never seen).
fn at_argument(err: Error, arg: &Argument) -> Error {
    match err {
        Error::Input { message, help, .. } => Error::Input { message, span: Some(arg.span), help },
        other => other,
    }
}

/// The error for a quote or parenthesis left open at the end of an item
/// that starts at `offset` (the span is made relative to the item, like a
/// parser's).
fn unclosed(open: Open, offset: usize, text: &str) -> Error {
    let open = match open {
        Open::Quote(at) => Open::Quote(script::likely_open_quote(text).unwrap_or(at - offset)),
        Open::Paren(at) => Open::Paren(at - offset),
    };
    match open {
        Open::Quote(at) => crate::errinput!(Span::new(at, at + 1); "this quote is never closed")
            .with_help("end the text with a closing \"; everything after this quote was read as part of it"),
        Open::Paren(at) => {
            crate::errinput!(Span::new(at, at + 1); "this parenthesis is never closed").with_help("add a closing )")
        }
    }
}

/// Reads a script file, explaining directories and missing files, with
/// the limits of [`super::input`] applied while reading.
pub fn read_script(path: &Path) -> std::result::Result<Vec<u8>, String> {
    if path.is_dir() {
        return Err(format!("cannot read script {}: it is a directory", path.display()));
    }
    let file = File::open(path).map_err(|e| {
        let why = match e.kind() {
            io::ErrorKind::NotFound => "no such file".to_string(),
            io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        format!("cannot read script {}: {why}", path.display())
    })?;
    super::input::read_script(file, &path.display().to_string())
}

fn new_progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    // The template is a constant known to be valid; fall back to the
    // default style rather than fail an import over a progress bar.
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {msg}: {human_pos} records ({per_sec}) {elapsed}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// A duration for `.timer`: milliseconds below a second, else seconds.
pub fn elapsed_text(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{:.3} ms", d.as_secs_f64() * 1000.0)
    } else {
        format!("{:.3} s", d.as_secs_f64())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::Db;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// A writer whose contents a test can read afterwards.
    #[derive(Clone, Default)]
    pub(crate) struct Captured(Rc<RefCell<Vec<u8>>>);

    impl Captured {
        pub(crate) fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.borrow()).into_owned()
        }
    }

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    static NEVER: AtomicBool = AtomicBool::new(false);

    pub(crate) fn runner() -> (Runner, Captured, Captured) {
        let out = Captured::default();
        let err = Captured::default();
        let db = Db::temporary().expect("temporary database");
        let mut r = Runner::new(db, Box::new(out.clone()), Box::new(err.clone()), &NEVER);
        r.width = Some(80);
        (r, out, err)
    }

    #[test]
    fn meta_commands_run_and_print() {
        let (mut r, out, err) = runner();
        assert!(r.run_text("t.cq", ".mode json\n.check\n"));
        assert!(out.text().starts_with("[\n{\"ok\":true"), "{}", out.text());
        assert_eq!(err.text(), "");
    }

    #[test]
    fn first_error_stops_the_script_with_file_position() {
        let (mut r, out, err) = runner();
        let ok = r.run_text("t.cq", ".mode csv\n\n  .nope\n.check\n");
        assert!(!ok);
        assert_eq!(r.failures(), 1);
        assert!(err.text().starts_with("t.cq:3:3: error: unknown meta command .nope"));
        assert_eq!(out.text(), "", "nothing after the error runs");
    }

    #[test]
    fn keep_going_reports_every_error() {
        let (mut r, out, err) = runner();
        r.keep_going = true;
        assert!(!r.run_text("t.cq", ".nope\n.mode csv\n.zap\n.check\n"));
        assert_eq!(r.failures(), 2);
        assert!(err.text().contains("t.cq:1:1:"));
        assert!(err.text().contains("t.cq:3:1:"));
        assert!(out.text().starts_with("ok,claims"), "{}", out.text());
    }

    #[test]
    fn unclosed_quote_points_at_the_quote() {
        let (mut r, _out, err) = runner();
        assert!(!r.run_text("s.cq", "-- x\nclaims mentioning \"Doha\n"));
        assert!(err.text().starts_with("s.cq:2:19: error: this quote is never closed"), "{}", err.text());
    }

    #[test]
    fn quotes_in_comments_do_not_count_when_finding_the_open_one() {
        let (mut r, _out, err) = runner();
        assert!(!r.run_text("s.cq", "claims -- it said \"odd\nclaims mentioning \"Doha\n"));
        assert!(err.text().starts_with("s.cq:2:19: error: this quote is never closed"), "{}", err.text());
    }

    #[test]
    fn statement_errors_are_shifted_to_the_file_position() {
        let (mut r, _out, err) = runner();
        assert!(!r.run_text("s.cq", "-- x\n\n   clams by Reuters\n     via AFP\n"));
        // A parse error points at `clams`; an error without a span points at
        // the statement's first line. Either way: line 3, column 4.
        assert!(err.text().starts_with("s.cq:3:4: error: "), "{}", err.text());
        assert!(err.text().contains("3 |    clams by Reuters\n"), "{}", err.text());
    }

    #[test]
    fn invalid_utf8_runs_nothing_and_names_the_line() {
        let (mut r, out, err) = runner();
        assert!(!r.run_bytes("bad.cq", b".check\n.check \xff\n"));
        assert_eq!(out.text(), "");
        assert!(err.text().starts_with("bad.cq:2:8: error: the script is not valid UTF-8"), "{}", err.text());
    }

    #[test]
    fn quit_stops_the_rest() {
        let (mut r, out, _err) = runner();
        assert!(r.run_text("t", ".quit\n.check"));
        assert!(r.quit_requested());
        assert_eq!(out.text(), "");
    }

    #[test]
    fn empty_input_is_fine() {
        let (mut r, out, err) = runner();
        assert!(r.run_text("t", ""));
        assert!(r.run_text("t", "-- nothing\n\n"));
        assert_eq!(out.text() + &err.text(), "");
    }

    #[test]
    fn settings_are_shown_and_changed() {
        let (mut r, out, _) = runner();
        assert!(r.run_text("t", ".mode jsonl\n.mode\n.timer\n.timer on\n.timer"));
        assert_eq!(r.format, Format::Jsonl);
        assert_eq!(out.text(), "mode jsonl\ntimer off\ntimer on\n");
    }

    #[test]
    fn output_redirects_to_a_file_and_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out.json");
        let (mut r, out, _) = runner();
        let script = format!(".mode json\n.output \"{}\"\n.check\n.output stdout\n", file.display());
        assert!(r.run_text("t", &script));
        let written = std::fs::read_to_string(&file).unwrap();
        assert!(written.starts_with("[\n{\"ok\":true"), "{written}");
        assert_eq!(out.text(), "");
    }

    #[test]
    fn stats_and_sources_work_on_an_empty_database() {
        let (mut r, out, _) = runner();
        assert!(r.run_text("t", ".mode csv\n.stats"));
        assert!(out.text().starts_with("claims,per_status,sources"), "{}", out.text());
        assert!(r.run_text("t", ".mode table\n.sources"));
        assert!(out.text().ends_with("no sources\n"));
    }

    #[test]
    fn read_of_a_missing_file_is_an_error_at_the_file_name() {
        let (mut r, _, err) = runner();
        assert!(!r.run_text("t.cq", ".read /nonexistent/x.cq"));
        assert!(
            err.text().starts_with("t.cq:1:7: error: cannot read script /nonexistent/x.cq: no such file"),
            "{}",
            err.text()
        );
    }

    #[test]
    fn import_takes_any_file_name_without_quoting_it_into_a_statement() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a \"quoted\" name.jsonl");
        std::fs::write(&file, "{\"text\": \"t\", \"source\": \"s\", \"date\": \"2024-11-09\"}\n").unwrap();
        let (mut r, out, err) = runner();
        let escaped = file.display().to_string().replace('"', "\\\"");
        assert!(r.run_text("t", &format!(".import \"{escaped}\"")), "{}", err.text());
        assert!(out.text().starts_with("imported 1 claim (#1)"), "{}", out.text());
        // A CSV file that is not claimdb's own export needs the statement's
        // column mapping.
        let csv = dir.path().join("data.csv");
        std::fs::write(&csv, "statement,speaker\nx,y\n").unwrap();
        assert!(!r.run_text("t.cq", &format!(".import {}", csv.display())));
        assert!(err.text().contains("error: a CSV import needs a column mapping"), "{}", err.text());
    }

    #[test]
    fn elapsed_is_readable() {
        assert_eq!(elapsed_text(Duration::from_micros(1500)), "1.500 ms");
        assert_eq!(elapsed_text(Duration::from_millis(2500)), "2.500 s");
    }
}
