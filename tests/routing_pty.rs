//! The REPL in a real pseudo-terminal (rexpect) while `claimdb serve` holds
//! its database: the note and the banner say so, answers and errors are
//! those of a REPL on a twin database opened directly, a `-c` script can
//! write at the same time, completion offers the server's names (and learns
//! new ones after a write), Ctrl-C stops a read running on the server, and
//! a server that is killed ends the session with exit status 2.

mod server_support;

use rexpect::reader::Options;
use rexpect::session::PtySession;
use server_support::{claims_jsonl, sample_db, Server, BIN, NOW};
use std::path::Path;
use std::process::Command;

/// Generous, as the machine may be busy; a passing test never waits this.
const TIMEOUT_MS: u64 = 30_000;
const PROMPT: &str = "claimdb> ";

type Result<T = ()> = std::result::Result<T, rexpect::error::Error>;

/// `claimdb ARGS…` in `dir`, with the fixed clock and its own history.
fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .args(args)
        .env("CLAIMDB_NOW", NOW)
        .env("CLAIMDB_HISTORY", dir.join(".history"))
        .env("TERM", "xterm")
        // Without colour the line editor echoes keys as they are typed,
        // rather than redrawing the prompt and line at each one, so the
        // next prompt marks the end of an answer.
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS");
    cmd
}

/// The REPL on `news.db` in `dir`, ANSI codes stripped; returns the
/// session and what it printed before its first prompt.
fn repl(dir: &Path) -> Result<(PtySession, String)> {
    let options = Options::new().timeout_ms(Some(TIMEOUT_MS)).strip_ansi_escape_codes(true);
    let mut p = rexpect::spawn_with_options(command(dir, &["news.db"]), options)?;
    let before = p.exp_string(PROMPT)?;
    Ok((p, before))
}

/// Types `line` and returns what came back before the next prompt (the
/// line as the terminal echoed it, then the answer).
fn ask(p: &mut PtySession, line: &str) -> Result<String> {
    p.send_line(line)?;
    p.exp_string(PROMPT)
}

/// Ends a session with Ctrl-D and returns its exit status as rexpect
/// shows it.
fn leave(mut p: PtySession) -> Result<String> {
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(format!("{:?}", p.process().wait()?))
}

#[test]
fn a_repl_and_a_script_share_the_database_through_the_server() -> Result {
    let root = tempfile::tempdir().unwrap();
    let (served, plain) = (root.path().join("served"), root.path().join("plain"));
    for dir in [&served, &plain] {
        std::fs::create_dir(dir).unwrap();
        sample_db(dir, "news.db");
    }
    let server = Server::start(&served, Path::new("news.db"), &[]);
    let (mut routed, before) = repl(&served)?;
    assert!(before.contains("note: news.db is held by claimdb serve (pid "), "{before}");
    assert!(before.contains("statements go through it"), "{before}");
    assert!(before.contains("database news.db (through claimdb serve (pid "), "{before}");
    let (mut direct, before) = repl(&plain)?;
    assert!(!before.contains("claimdb serve"), "{before}");

    // (Each line is short enough not to wrap on the terminal: a wrapped
    // line is redrawn with its prompt, which would end an answer early.)
    let steps = [
        ("count claims via Reuters per status", "(3 statuses; 3 claims)"),
        ("claims by anonymous officials after 2024-11-01 limit 3", "(3 of 6 claims)"),
        ("claims with status disputd", "did you mean 'disputed'?"),
        ("claims mentioning \"Hamas\n political office\" limit 1", "(1 of 2 claims)"),
        ("claim 42", "no claim #42"),
        (".mode csv", ""),
        ("claims via AFP limit 2", "id,text,source"),
        (".mode table", ""),
        ("set status of claim 3 to disputed on 2024-11-10", "claim #3 is now disputed"),
        ("history of claim 3", "2024-11-10  disputed"),
        (".check", "ok: no problems found"),
    ];
    for (step, shows) in steps {
        let (got, want) = (ask(&mut routed, step)?, ask(&mut direct, step)?);
        assert_eq!(got, want, "{step:?} in the REPL through the server, then directly");
        assert!(got.contains(shows), "{step:?} shows {shows:?}: {got:?}");
    }

    // A script writes while the REPL is open; the REPL sees the claim at
    // once. (The twin gets the same write from its REPL, which holds it.)
    let add = "add claim \"Meanwhile\" by desk via Kyodo on 2024-11-15";
    let script = command(&served, &["news.db", "-c", add]).output().expect("run the script");
    assert_eq!(script.status.code(), Some(0), "{}", String::from_utf8_lossy(&script.stderr));
    assert_eq!(String::from_utf8_lossy(&script.stdout), "added claim #11\n");
    assert!(String::from_utf8_lossy(&script.stderr).contains("statements go through it"));
    assert!(ask(&mut direct, add)?.contains("added claim #11"));
    for (step, shows) in [("count claims", "11 claims"), ("claims via Kyodo", "#11")] {
        let (got, want) = (ask(&mut routed, step)?, ask(&mut direct, step)?);
        assert_eq!(got, want, "{step:?} after the script's write");
        assert!(got.contains(shows), "{step:?} shows {shows:?}: {got:?}");
    }

    // Completion offers the server's names.
    routed.send("claims via Reu")?;
    routed.send("\t")?;
    routed.flush()?;
    routed.exp_string("claims via Reuters")?;
    routed.send_control('c')?;
    routed.exp_string(PROMPT)?;
    // A write of the REPL's own fetches them again, with the script's.
    let rate = "rate claim 3 \"half-true\"";
    let (got, want) = (ask(&mut routed, rate)?, ask(&mut direct, rate)?);
    assert_eq!(got, want);
    routed.send("claims via Kyo")?;
    routed.send("\t")?;
    routed.flush()?;
    routed.exp_string("claims via Kyodo")?;
    routed.send_control('c')?;
    routed.exp_string(PROMPT)?;

    for p in [routed, direct] {
        let status = leave(p)?;
        assert!(status.starts_with("Exited(") && status.ends_with(", 0)"), "{status}");
    }
    let (code, log) = server.stop();
    assert_eq!(code, Some(0), "{log}");
    let all = |dir: &Path| command(dir, &["news.db", "--format", "jsonl", "-c", "claims"]).output().unwrap().stdout;
    assert_eq!(all(&served), all(&plain), "the twins hold the same claims");
    Ok(())
}

#[test]
fn ctrl_c_stops_a_read_on_the_server_and_the_session_goes_on() -> Result {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("many.jsonl"), claims_jsonl(20_000)).unwrap();
    let load = command(dir.path(), &["news.db", "--create", "-c", "import \"many.jsonl\""]).output().unwrap();
    assert_eq!(load.status.code(), Some(0), "{}", String::from_utf8_lossy(&load.stderr));
    // A write waits for the reads running when it arrives, up to the time
    // limit: with ten minutes, a read left running would hold the write
    // below far past the test's patience.
    let server = Server::start(dir.path(), Path::new("news.db"), &["--statement-timeout", "600"]);
    let (mut p, _) = repl(dir.path())?;
    // Tens of megabytes of table: the first page arrives long before the
    // server is done, and the terminal is read only as the test asks.
    p.send_line("claims")?;
    p.exp_regex(r"id +date +status")?;
    p.send_control('c')?;
    p.exp_string("error: cancelled")?;
    p.exp_string(PROMPT)?;
    let added = ask(&mut p, "add claim \"After the stop\" by \"desk\" on 2024-11-15")?;
    assert!(added.contains("added claim #20001"), "{added}");
    let counted = ask(&mut p, "count claims")?;
    assert!(counted.contains("20001 claims"), "{counted}");
    let status = leave(p)?;
    assert!(status.ends_with(", 0)"), "{status}");
    drop(server);
    Ok(())
}

#[test]
fn a_server_killed_under_the_repl_ends_the_session_with_status_2() -> Result {
    let dir = tempfile::tempdir().unwrap();
    sample_db(dir.path(), "news.db");
    let server = Server::start(dir.path(), Path::new("news.db"), &[]);
    let (mut p, _) = repl(dir.path())?;
    assert!(ask(&mut p, "count claims")?.contains("10 claims"));
    server.kill();
    p.send_line("count claims")?;
    p.exp_string("error: the claimdb server (pid ")?;
    p.exp_string("cannot be reached")?;
    p.exp_string("the statement did not run")?;
    p.exp_eof()?;
    let status = format!("{:?}", p.process().wait()?);
    assert!(status.ends_with(", 2)"), "{status}");
    // The database is free again, and whole.
    let check = command(dir.path(), &["news.db", "-c", ".check"]).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stderr));
    Ok(())
}
