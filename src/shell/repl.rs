//! The interactive loop: prompt, line editing (rustyline), history across
//! sessions, multi-line statements, Ctrl-C and Ctrl-D.
//!
//! Only built when stdin is a terminal; scripts never see an editor.
//!
//! Pasted text: with bracketed paste (most terminals) a pasted block is one
//! entry, run with the script rules, so its continuation lines join their
//! statement. Without it, each pasted line arrives as if typed and runs on
//! its own; none is lost (the editor keeps what it read ahead), but lines
//! that continue a statement are refused with a note saying so, because
//! the line editor cannot tell that more input is already waiting.
//!
//! A statement continues while a quote or parenthesis is open: the loop
//! reads another line under the `   ...> ` prompt (`   .."> ` inside a
//! quote) and joins it on. An empty line inside a quote says where the
//! quote was opened; `;` alone on a line ends the statement there (and
//! the error shows the open quote). Meta commands are always one line.
//! `exit` and `quit` leave, like `.quit`. Ctrl-C at the prompt clears the
//! line (and any statement under way); Ctrl-C while a statement runs sets
//! the cancel flag the statement was given; Ctrl-D on an empty line leaves.
//!
//! Completion offers the database's names, fetched again after a statement
//! that writes; on a database that `claimdb serve` holds, where others add
//! names too, also after any statement once they are 30 s old.

use super::helper::ClaimHelper;
use super::runner::Runner;
use super::{history, script};
use rustyline::config::{ColorMode, CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::Editor;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;
use std::time::{Duration, Instant};

/// The prompt for a new statement.
pub const PROMPT: &str = "claimdb> ";
/// The prompt for a line continuing a statement.
pub const CONTINUATION: &str = "   ...> ";
/// The prompt for a line continuing a statement inside an open quote.
pub const QUOTE_CONTINUATION: &str = "   ..\"> ";

/// The flag Ctrl-C sets while a statement runs.
pub static CANCEL: AtomicBool = AtomicBool::new(false);

/// How many entries the history keeps.
const HISTORY_SIZE: usize = 5000;

/// How old the completion names of a database that a server holds may get
/// before a statement fetches them again: others may have added names
/// since (the REPL's own writes fetch them at once).
const SERVED_NAMES_MAX_AGE: Duration = Duration::from_secs(30);

/// Whether names fetched at `fetched` are too old at `now`.
fn names_are_stale(fetched: Instant, now: Instant) -> bool {
    now.saturating_duration_since(fetched) > SERVED_NAMES_MAX_AGE
}

/// Installs the Ctrl-C handler (once per process). While the editor reads a
/// line the terminal is in raw mode and Ctrl-C reaches rustyline as a key,
/// so the handler only ever fires while a statement runs.
fn install_interrupt_handler(runner: &mut Runner) {
    static INSTALL: Once = Once::new();
    let mut failure = None;
    INSTALL.call_once(|| {
        failure = ctrlc::set_handler(|| CANCEL.store(true, Ordering::SeqCst)).err();
    });
    if let Some(e) = failure {
        runner.error_text(&format!("warning: Ctrl-C will end claimdb instead of stopping a statement: {e}"));
    }
}

/// Whether colour (hints, highlighting) may be used.
pub fn color_enabled() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    !no_color && std::io::stdout().is_terminal()
}

/// The banner printed when the REPL starts.
pub fn banner(db_label: &str) -> String {
    format!(
        "claimdb {} - database {db_label}\n\
         Type .help for help, .quit (or exit, or Ctrl-D) to leave. Try: claims by anonymous officials after 2024-11-01",
        env!("CARGO_PKG_VERSION")
    )
}

/// Runs the REPL until `.quit` or Ctrl-D. Returns false when the terminal
/// could not be used (no line editor, unreadable input). Failed statements
/// do not count: at the REPL they are part of the conversation.
pub fn run(runner: &mut Runner, db_label: &str) -> bool {
    runner.interactive = true;
    install_interrupt_handler(runner);
    let color = color_enabled();
    let config = Config::builder()
        .auto_add_history(false)
        .completion_type(CompletionType::List)
        .color_mode(if color { ColorMode::Enabled } else { ColorMode::Disabled })
        .max_history_size(HISTORY_SIZE)
        .and_then(|b| b.history_ignore_dups(true))
        .map(|b| b.history_ignore_space(true).build());
    let config = match config {
        Ok(c) => c,
        Err(e) => {
            runner.error_text(&format!("claimdb: cannot set up line editing: {e}"));
            return false;
        }
    };
    let mut editor: Editor<ClaimHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(e) => e,
        Err(e) => {
            runner.error_text(&format!("claimdb: cannot set up line editing: {e}"));
            return false;
        }
    };
    let vocabulary = runner.vocabulary().unwrap_or_default();
    let mut fetched = Instant::now();
    editor.set_helper(Some(ClaimHelper::new(color, vocabulary)));

    let mut history_file = open_history(&mut editor, runner);
    // The banner is for the person at the terminal, not for `.output`.
    println!("{}", banner(db_label));

    let mut pending = String::new();
    let mut ok = true;
    loop {
        let open_quote = if pending.is_empty() { None } else { script::open_quote_at(&pending) };
        let prompt = match (pending.is_empty(), open_quote) {
            (true, _) => PROMPT,
            (false, Some(_)) => QUOTE_CONTINUATION,
            (false, None) => CONTINUATION,
        };
        match editor.readline(prompt) {
            Ok(line) => {
                let starts_statement = pending.is_empty();
                if starts_statement && line.trim().is_empty() {
                    continue;
                }
                if starts_statement && is_leave_word(&line) {
                    break;
                }
                if let (Some((at_line, at_col)), true) = (open_quote, line.trim().is_empty()) {
                    runner.error_text(&format!(
                        "(still inside the quote opened at line {at_line}, column {at_col}: end the text with \", \
                         or type ; alone on a line to stop here, or press Ctrl-C to drop the statement)"
                    ));
                }
                let give_up = open_quote.is_some() && line.trim() == ";";
                if !starts_statement && !give_up {
                    pending.push('\n');
                }
                if !give_up {
                    pending.push_str(&line);
                }
                let is_meta = starts_statement && line.trim_start().starts_with('.');
                if !is_meta && !give_up && !script::is_complete(&pending) {
                    continue;
                }
                let entry = std::mem::take(&mut pending);
                remember(&mut editor, &entry, &mut history_file, runner);
                if !super::review::try_run(runner, &entry) {
                    runner.run_text("", &entry);
                }
                let served = runner.backend().served().is_some();
                if runner.take_vocabulary_changed() || (served && names_are_stale(fetched, Instant::now())) {
                    if let (Ok(v), Some(h)) = (runner.vocabulary(), editor.helper_mut()) {
                        h.set_vocabulary(v);
                    }
                    fetched = Instant::now();
                }
                if runner.quit_requested() {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => {
                // Ctrl-C: drop the line and any statement under way.
                pending.clear();
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                runner.error_text(&format!("claimdb: cannot read input: {e}"));
                ok = false;
                break;
            }
        }
    }
    runner.finish();
    ok
}

/// Whether a line is `exit` or `quit` (what people type to leave a shell),
/// which the REPL takes as `.quit`.
fn is_leave_word(line: &str) -> bool {
    let word = line.trim().trim_end_matches(';').trim();
    word.eq_ignore_ascii_case("exit") || word.eq_ignore_ascii_case("quit")
}

/// Loads the history file, creating its directory; returns its path when
/// history can be kept.
fn open_history(editor: &mut Editor<ClaimHelper, DefaultHistory>, runner: &mut Runner) -> Option<PathBuf> {
    let path = history::path()?;
    if let Err(e) = history::prepare(&path) {
        runner.error_text(&format!(
            "warning: history will not be kept: cannot create the directory of {}: {e}",
            path.display()
        ));
        return None;
    }
    if path.exists() {
        if let Err(e) = editor.load_history(&path) {
            runner.error_text(&format!("warning: cannot read history {}: {e}", path.display()));
        }
    }
    Some(path)
}

/// Adds an entry to the history and appends it to the file at once, so
/// that a session that is killed loses nothing and two sessions interleave.
/// After a failed save the file is given up, with one warning.
fn remember(
    editor: &mut Editor<ClaimHelper, DefaultHistory>,
    entry: &str,
    file: &mut Option<PathBuf>,
    runner: &mut Runner,
) {
    // Completion leaves a space after the last word; the history need not.
    if editor.add_history_entry(entry.trim_end()).is_err() {
        return;
    }
    if let Some(path) = file.as_ref() {
        if let Err(e) = editor.append_history(path) {
            runner.error_text(&format!("warning: history will not be saved: cannot write {}: {e}", path.display()));
            *file = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn served_names_are_fetched_again_once_they_are_old() {
        let fetched = Instant::now();
        assert!(!names_are_stale(fetched, fetched));
        assert!(!names_are_stale(fetched, fetched + SERVED_NAMES_MAX_AGE));
        assert!(names_are_stale(fetched, fetched + SERVED_NAMES_MAX_AGE + Duration::from_millis(1)));
        assert!(!names_are_stale(fetched + Duration::from_secs(5), fetched), "a clock that went back is not stale");
    }
}
