//! The REPL in a real pseudo-terminal (rexpect): banner, prompt, help,
//! completion, multi-line input, Ctrl-C, Ctrl-D, history across sessions,
//! and highlighting only when colour is allowed.
//!
//! Every session gets its own database and history file in a temp dir.
//! Tests marked `needs the query executor` are ignored until `Db::execute`
//! is implemented.

use rexpect::reader::Options;
use rexpect::session::PtySession;
use std::path::PathBuf;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_claimdb");
/// Generous, as the machine may be busy; a passing test never waits this.
const TIMEOUT_MS: u64 = 20_000;
const PROMPT: &str = "claimdb> ";
const CONTINUATION: &str = "   ...> ";
const UP: &str = "\x1b[A";

type Result<T = ()> = std::result::Result<T, rexpect::error::Error>;

struct Repl {
    dir: tempfile::TempDir,
}

impl Repl {
    fn new() -> Repl {
        Repl { dir: tempfile::tempdir().expect("temp dir") }
    }

    fn history(&self) -> PathBuf {
        self.dir.path().join("hist/history")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.current_dir(self.dir.path())
            .args(args)
            .env("CLAIMDB_HISTORY", self.history())
            .env("TERM", "xterm")
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS");
        cmd
    }

    /// Starts the REPL on a database in the temp dir, ANSI codes stripped.
    fn start(&self) -> Result<PtySession> {
        self.start_with(self.command(&["test.db"]), true)
    }

    fn start_with(&self, cmd: Command, strip_ansi: bool) -> Result<PtySession> {
        let options = Options::new().timeout_ms(Some(TIMEOUT_MS)).strip_ansi_escape_codes(strip_ansi);
        let mut p = rexpect::spawn_with_options(cmd, options)?;
        p.exp_string(PROMPT)?;
        Ok(p)
    }
}

/// Ends a session with Ctrl-D and checks that it exits with status 0.
fn quit(mut p: PtySession) -> Result {
    p.send_control('d')?;
    p.exp_eof()?;
    let status = format!("{:?}", p.process().wait()?);
    assert!(status.starts_with("Exited(") && status.ends_with(", 0)"), "{status}");
    Ok(())
}

#[test]
fn banner_shows_version_database_and_a_hint() -> Result {
    let repl = Repl::new();
    let options = Options::new().timeout_ms(Some(TIMEOUT_MS)).strip_ansi_escape_codes(true);
    let mut p = rexpect::spawn_with_options(repl.command(&["test.db"]), options)?;
    p.exp_string(&format!("claimdb {}", env!("CARGO_PKG_VERSION")))?;
    p.exp_string("database test.db")?;
    p.exp_string("Type .help for help")?;
    p.exp_string(PROMPT)?;
    quit(p)
}

#[test]
fn help_prints_examples_and_topics() -> Result {
    let repl = Repl::new();
    let mut p = repl.start()?;
    p.send_line(".help")?;
    p.exp_string("claims by anonymous officials after 2024-11-01")?;
    p.exp_string("questions")?;
    p.exp_string(".import FILE [skip bad]")?;
    p.exp_string(PROMPT)?;
    p.send_line(".help writes")?;
    p.exp_string("link claim 4 contradicts claim 7")?;
    p.exp_string(PROMPT)?;
    quit(p)
}

#[test]
fn tab_completes_meta_commands() -> Result {
    let repl = Repl::new();
    let mut p = repl.start()?;
    p.send(".he")?;
    p.send("\t")?;
    p.send("meta\r")?;
    p.flush()?;
    // Only `.help meta` prints this; `.hemeta` would be an error.
    p.exp_string("Meta commands (one line each")?;
    p.exp_string(PROMPT)?;
    quit(p)
}

#[test]
fn tab_completes_keywords() -> Result {
    let repl = Repl::new();
    let mut p = repl.start()?;
    p.send("hist")?;
    p.send("\t")?;
    p.send("of claim 3")?;
    p.flush()?;
    // Without completion the line would read `histof claim 3`.
    p.exp_string("history of claim 3")?;
    p.send_control('c')?;
    p.exp_string(PROMPT)?;
    quit(p)
}

#[test]
fn open_quote_continues_on_the_next_line() -> Result {
    let repl = Repl::new();
    let mut p = repl.start()?;
    p.send_line("claims mentioning \"political")?;
    p.exp_string(QUOTE_CONTINUATION)?;
    p.send_line("office\"")?;
    // The statement is complete now: it runs (the stub engine refuses it,
    // the real one answers) and the main prompt comes back.
    p.exp_string(PROMPT)?;
    p.send_line("count claims where (status disputed")?;
    p.exp_string(CONTINUATION)?;
    p.send_line("or status denied)")?;
    p.exp_string(PROMPT)?;
    quit(p)
}

#[test]
fn meta_commands_never_continue() -> Result {
    let repl = Repl::new();
    let mut p = repl.start()?;
    p.send_line(".help \"formats")?;
    p.exp_string("Output formats")?;
    p.exp_string(PROMPT)?;
    quit(p)
}

#[test]
fn ctrl_c_clears_the_line_and_the_prompt_returns() -> Result {
    let repl = Repl::new();
    let mut p = repl.start()?;
    p.send("claims by Reu")?;
    p.flush()?;
    p.exp_string("claims by Reu")?;
    p.send_control('c')?;
    p.exp_string(PROMPT)?;
    p.send_line(".mode")?;
    // Had the line survived, this would be `claims by Reu.mode`.
    p.exp_string("mode table")?;
    p.exp_string(PROMPT)?;
    // Ctrl-C also abandons a statement under way.
    p.send_line("add claim \"half")?;
    p.exp_string(QUOTE_CONTINUATION)?;
    p.send_control('c')?;
    p.exp_string(PROMPT)?;
    p.send_line(".timer")?;
    p.exp_string("timer off")?;
    p.exp_string(PROMPT)?;
    quit(p)
}

#[test]
fn ctrl_d_exits_cleanly() -> Result {
    let repl = Repl::new();
    let p = repl.start()?;
    quit(p)
}

#[test]
fn quit_command_exits() -> Result {
    let repl = Repl::new();
    let mut p = repl.start()?;
    p.send_line(".quit")?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn errors_show_a_caret_and_the_repl_carries_on() -> Result {
    let repl = Repl::new();
    let mut p = repl.start()?;
    p.send_line(".mode yaml")?;
    p.exp_string("error at line 1, column 7: unknown output format 'yaml'")?;
    p.exp_string("^^^^")?;
    p.exp_string("= help: expected one of: table, json, jsonl, csv")?;
    p.exp_string(PROMPT)?;
    p.send_line(".hepl")?;
    p.exp_string("did you mean .help?")?;
    p.exp_string(PROMPT)?;
    p.send_line(".mode")?;
    p.exp_string("mode table")?;
    quit(p)
}

#[test]
fn history_is_recalled_after_a_restart() -> Result {
    let repl = Repl::new();
    let mut p = repl.start()?;
    p.send_line(".help writes")?;
    p.exp_string("rate claim 4")?;
    p.exp_string(PROMPT)?;
    quit(p)?;
    let saved = std::fs::read_to_string(repl.history()).expect("history file");
    assert!(saved.contains(".help writes"), "{saved}");

    let mut p = repl.start()?;
    p.send(UP)?;
    p.flush()?;
    p.exp_string(".help writes")?;
    p.send("\r")?;
    p.flush()?;
    p.flush()?;
    p.exp_string("rate claim 4")?;
    p.exp_string(PROMPT)?;
    quit(p)
}

#[test]
fn multi_line_statements_are_one_history_entry() -> Result {
    let repl = Repl::new();
    let mut p = repl.start()?;
    p.send_line("claims mentioning \"a")?;
    p.exp_string(QUOTE_CONTINUATION)?;
    p.send_line("b\"")?;
    p.exp_string(PROMPT)?;
    quit(p)?;
    let saved = std::fs::read_to_string(repl.history()).expect("history file");
    assert!(saved.contains("claims mentioning \"a\\nb\""), "{saved}");
    Ok(())
}

#[test]
fn keywords_are_highlighted_on_a_colour_terminal() -> Result {
    let repl = Repl::new();
    let mut p = repl.start_with(repl.command(&["test.db"]), false)?;
    p.send("claims after 2024-11-01")?;
    p.flush()?;
    p.exp_string("\x1b[1;34mclaims\x1b[0m")?;
    p.exp_string("\x1b[33m2024-11-01\x1b[0m")?;
    p.send_control('c')?;
    p.exp_string(PROMPT)?;
    quit(p)
}

#[test]
fn no_color_turns_highlighting_off() -> Result {
    let repl = Repl::new();
    let mut cmd = repl.command(&["test.db"]);
    cmd.env("NO_COLOR", "1");
    let mut p = repl.start_with(cmd, false)?;
    p.send("claims after 2024-11-01")?;
    p.flush()?;
    let typed = p.exp_string("2024-11-01")?;
    assert!(!typed.contains("\x1b[1;34m"), "{typed:?}");
    p.send_control('c')?;
    p.exp_string(PROMPT)?;
    quit(p)
}

#[test]

fn claims_table_in_the_demo() -> Result {
    let repl = Repl::new();
    let mut p = repl.start_with(repl.command(&["--demo"]), true)?;
    p.send_line("claims by anonymous officials after 2024-11-01")?;
    p.exp_string("id  date")?;
    p.exp_string("#2  2024-11-09  confirmed")?;
    p.exp_string("(6 claims)")?;
    p.exp_string(PROMPT)?;
    quit(p)
}

#[test]

fn tab_completes_a_source_name_from_the_demo() -> Result {
    let repl = Repl::new();
    let mut p = repl.start_with(repl.command(&["--demo"]), true)?;
    p.send("claims by \"example H")?;
    p.send("\t")?;
    p.flush()?;
    p.exp_string("claims by \"example Hamas official\"")?;
    p.send("\r")?;
    p.flush()?;
    p.exp_string("#10")?;
    p.exp_string(PROMPT)?;
    quit(p)
}

#[test]

fn completion_learns_names_added_by_writes() -> Result {
    let repl = Repl::new();
    let mut p = repl.start()?;
    p.send_line("add claim \"Talks resume\" by \"Egyptian mediator\" as anonymous official via Ahram on 2024-11-20")?;
    p.exp_string("added claim #1")?;
    p.exp_string(PROMPT)?;
    p.send("claims via Ahr")?;
    p.send("\t")?;
    p.flush()?;
    p.exp_string("claims via Ahram")?;
    p.send_control('c')?;
    p.exp_string(PROMPT)?;
    quit(p)
}

/// The prompt for a line inside an open quote.
const QUOTE_CONTINUATION: &str = "   ..\"> ";

#[test]
fn exit_and_quit_leave_like_dot_quit() -> Result {
    for word in ["exit", "quit;", "  QUIT  "] {
        let repl = Repl::new();
        let mut p = repl.start()?;
        p.send_line(word)?;
        p.exp_eof()?;
        let status = format!("{:?}", p.process().wait()?);
        assert!(status.ends_with(", 0)"), "{word}: {status}");
    }
    Ok(())
}

#[test]
fn an_open_quote_says_where_it_was_opened_and_semicolon_gets_out() -> Result {
    let repl = Repl::new();
    let mut p = repl.start()?;
    p.send_line("claims mentioning \"political")?;
    p.exp_string(QUOTE_CONTINUATION)?;
    p.send_line("office")?;
    p.exp_string(QUOTE_CONTINUATION)?;
    // An empty line: where the quote is, and how to get out.
    p.send_line("")?;
    p.exp_string("still inside the quote opened at line 1, column 19")?;
    p.exp_string("type ; alone on a line to stop here")?;
    p.exp_string(QUOTE_CONTINUATION)?;
    p.send_line(";")?;
    p.exp_string("this quote is never closed")?;
    p.exp_string(PROMPT)?;
    // The REPL is back to normal.
    p.send_line(".mode")?;
    p.exp_string("mode table")?;
    p.exp_string(PROMPT)?;
    quit(p)
}

#[test]
fn a_long_pasted_line_costs_the_same_per_key() -> Result {
    // Pasted without bracketed paste (a pseudo-terminal has none), a 5 KB
    // line arrives as 5,000 keys. Redrawing the whole line on each key
    // wrote megabytes to the terminal (two minutes for a person); past a
    // short line each key now adds its character, so what the terminal
    // receives stays close to the line itself.
    let repl = Repl::new();
    let mut p = repl.start_with(repl.command(&["test.db"]), false)?;
    let word = "x".repeat(5_000);
    p.send_line(&format!("claims mentioning \"{word}\""))?;
    let echoed = p.exp_string("no claims")?;
    // Redrawing on every key sent about 12.5 MB here; what is left is the
    // line editor redrawing once per screen row it wraps onto (5,000 / 80
    // rows), about 0.35 MB.
    assert!(echoed.len() < 1_000_000, "the terminal received {} bytes for a 5 KB line", echoed.len());
    p.exp_string(PROMPT)?;
    quit(p)
}

#[test]
fn claims_in_80_columns_keep_every_outlet_and_every_word() -> Result {
    let repl = Repl::new();
    let mut cmd = repl.command(&["--demo"]);
    cmd.env("COLUMNS", "80");
    let mut p = repl.start_with(cmd, true)?;
    p.send_line("claims order by id limit 3")?;
    p.exp_string("#1  2024-11-09  unverified")?;
    p.exp_string("by sources close to the situation (anon.) via AFP, Reuters, AP")?;
    p.exp_string("reach a ceasefire deal")?;
    p.exp_string("#2  2024-11-09  confirmed")?;
    p.exp_string("by diplomatic official (anon.) via Reuters")?;
    p.exp_string("return to the negotiating table")?;
    p.exp_string("#3  2024-11-09  unverified")?;
    p.exp_string("(3 of 10 claims)")?;
    p.exp_string(PROMPT)?;
    quit(p)
}

#[test]
fn a_pasted_block_of_lines_loses_none() -> Result {
    // Pasted without bracketed paste (a pseudo-terminal has none), every
    // line arrives at once; the line editor used to read them all and
    // keep only the first.
    let repl = Repl::new();
    let mut p = repl.start()?;
    p.send("add claim \"one\" by x on 2024-11-09\radd claim \"two\" by x on 2024-11-09\rcount claims\r")?;
    p.flush()?;
    p.exp_string("added claim #1")?;
    p.exp_string("added claim #2")?;
    p.exp_string("2 claims")?;
    p.exp_string(PROMPT)?;
    quit(p)
}

#[test]
fn a_new_database_is_announced_before_the_banner() -> Result {
    let repl = Repl::new();
    let mut p = rexpect::spawn_with_options(repl.command(&["fresh.db"]), plain_options())?;
    p.exp_string("created new database fresh.db")?;
    p.exp_string("database fresh.db")?;
    p.exp_string(PROMPT)?;
    quit(p)?;
    // The second time it is simply opened.
    let mut p = rexpect::spawn_with_options(repl.command(&["fresh.db"]), plain_options())?;
    let before = p.exp_string(PROMPT)?;
    assert!(!before.contains("created new database"), "{before}");
    quit(p)
}

/// Session options with ANSI codes stripped.
fn plain_options() -> Options {
    Options::new().timeout_ms(Some(TIMEOUT_MS)).strip_ansi_escape_codes(true)
}

#[test]
fn json_at_the_prompt_needs_no_note_about_documents() -> Result {
    let repl = Repl::new();
    let mut p = repl.start()?;
    p.send_line(".mode json")?;
    p.exp_string(PROMPT)?;
    // Wait for each answer, not only a prompt: the line editor redraws the
    // prompt as it echoes each key, and a Ctrl-D sent while a line is still
    // being echoed deletes a character instead of ending the session.
    p.send_line("count claims")?;
    p.exp_string("{\"count\":0}")?;
    p.exp_string(PROMPT)?;
    p.send_line("count claims")?;
    let shown = p.exp_string("{\"count\":0}")?;
    let shown = shown + &p.exp_string(PROMPT)?;
    assert!(!shown.contains("several JSON documents"), "{shown}");
    quit(p)
}
