//! `review article` in the REPL, in a real pseudo-terminal (rexpect): the
//! seed article's proposals one at a time — skip one, merge one into the
//! claim it repeats, edit one (with a bad date refused and asked again),
//! accept one, stop — then one write, checked afterwards with the real
//! binary; and Ctrl-C in the middle, which records nothing.

mod common;

use common::{repo_file, Dir, BIN};
use rexpect::reader::Options;
use rexpect::session::PtySession;
use std::process::Command;

const TIMEOUT_MS: u64 = 30_000;
const PROMPT: &str = "claimdb> ";
type Result<T = ()> = std::result::Result<T, rexpect::error::Error>;

/// A directory with the seed article as `a.txt` and a database holding one
/// claim that proposal 2 repeats (in other words).
fn setup() -> Dir {
    let dir = Dir::new();
    let article = std::fs::read(repo_file("tests/data/articles/dev/qatar-mediation-2024-11-09.txt")).unwrap();
    dir.file("a.txt", &article);
    dir.run(&[
        "--create",
        "-c",
        "add claim \"Qatar will stop its efforts to mediate a Gaza ceasefire until Israel and Hamas show \
         willingness to return to negotiations\" by \"diplomatic official\" as anonymous official via AFP \
         on 2024-11-09",
    ])
    .code(0);
    dir
}

fn start(dir: &Dir) -> Result<PtySession> {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir.path())
        .arg("test.db")
        .env("CLAIMDB_HISTORY", dir.path().join("history"))
        .env("CLAIMDB_NOW", "2024-11-20T12:00:00Z")
        .env("TERM", "xterm")
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS");
    let options = Options::new().timeout_ms(Some(TIMEOUT_MS)).strip_ansi_escape_codes(true);
    let mut p = rexpect::spawn_with_options(cmd, options)?;
    p.exp_string(PROMPT)?;
    Ok(p)
}

/// Clears the line being edited (Ctrl-U) and types `text` with Enter.
fn replace(p: &mut PtySession, text: &str) -> Result {
    p.send_control('u')?;
    p.send_line(text)?;
    Ok(())
}

#[test]
fn a_review_skips_merges_edits_and_accepts_then_records_once() -> Result {
    let dir = setup();
    let mut p = start(&dir)?;
    p.send_line("review article \"a.txt\"")?;
    p.exp_string("7 proposals to review")?;

    // 1: sources close to the situation; nothing like it yet.
    p.exp_string("1/7")?;
    p.exp_string("[sources close to the situation]")?;
    p.exp_string(" [a] ")?;
    p.send_line("s")?;

    // 2: the diplomatic official's words, which claim #1 says otherwise.
    p.exp_string("2/7")?;
    p.exp_string("import article merges into it")?;
    p.exp_string("a/e/m/s/q [m] ")?;
    p.send_line("")?;
    p.exp_string("merge into claim [#1] ")?;
    p.send_line("")?;

    // 3: Washington; edited: a new text, a bad date refused, then a good one.
    p.exp_string("3/7")?;
    p.exp_string("[Washington]")?;
    p.exp_string(" [a] ")?;
    p.send_line("e")?;
    p.exp_string("text")?;
    replace(&mut p, "Hamas's office in Doha is no longer acceptable to Washington")?;
    for field in ["source", "kind", "anonymous", "affiliation", "outlets"] {
        p.exp_string(field)?;
        p.send_line("")?;
    }
    p.exp_string("date")?;
    replace(&mut p, "2024-02-30")?;
    p.exp_string("2024-11-09")?;
    p.exp_string("date")?;
    replace(&mut p, "2024-11-10")?;
    p.exp_string("topics")?;
    p.send_line("")?;

    // 4: accepted as it is; 5: an unknown answer gets help, then stop.
    p.exp_string("4/7")?;
    p.send_line("a")?;
    p.exp_string("5/7")?;
    p.send_line("x")?;
    p.exp_string("m merges into a claim it repeats")?;
    p.send_line("q")?;

    p.exp_string("record 2 new claims and 1 merge in one write? [Y/n] ")?;
    p.send_line("y")?;
    p.exp_string("recorded a.txt in one write: 2 added, 1 merged, 4 skipped")?;
    p.exp_string(PROMPT)?;
    p.send_line(".quit")?;
    p.exp_eof()?;

    let out = dir.run(&["--format", "lines", "-c", "claims order by id"]);
    out.code(0);
    assert!(out.stdout.contains("(3 claims)"), "{}", out.stdout);
    assert!(out.stdout.contains("Hamas's office in Doha is no longer acceptable"), "{}", out.stdout);
    assert!(out.stdout.contains("2024-11-10"), "{}", out.stdout);
    assert!(out.stdout.contains("US officials"), "{}", out.stdout);
    let one = dir.run(&["--format", "json", "-c", "claim 1"]);
    one.code(0);
    assert!(one.stdout.contains("\"outlets\":[\"AFP\",\"Reuters\"]"), "{}", one.stdout);
    assert!(one.stdout.contains("\"url\":\"a.txt\""), "the article is evidence: {}", one.stdout);
    Ok(())
}

#[test]
fn ctrl_c_in_a_review_records_nothing() -> Result {
    let dir = setup();
    let mut p = start(&dir)?;
    p.send_line("review article \"a.txt\"")?;
    p.exp_string("1/7")?;
    p.send_line("a")?;
    p.exp_string("2/7")?;
    p.send_control('c')?;
    p.exp_string("review stopped; nothing was recorded")?;
    p.exp_string(PROMPT)?;
    p.send_line("count claims")?;
    p.exp_string("1 claim")?;
    p.exp_string(PROMPT)?;
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn outside_the_shell_a_review_says_what_to_use() {
    let dir = setup();
    let out = dir.run(&["-c", "review article \"a.txt\""]);
    out.code(1);
    assert!(out.stderr.contains("in the interactive shell") && out.stderr.contains("import article"), "{}", out.stderr);
    let out = dir.run(&["--format", "json", "-c", "count claims"]);
    assert!(out.stdout.contains("\"count\":1") || out.stdout.contains("\"count\": 1"), "{}", out.stdout);
}
