//! Meta commands: the lines starting with `.` that talk to the shell rather
//! than the database language (`.mode json`, `.read FILE`, `.stats`…).
//!
//! Errors carry spans relative to the command's text, which the runner moves
//! to the command's place in its script.

use super::format::Format;
use super::help;
use super::runner::{FileError, Runner};
use super::script::meta_args;
use crate::model::closest;
use crate::query::Output;
use crate::{errinput, Error, Result, Span};
use std::path::Path;

/// An on/off setting: shows it without an argument, else parses on or off.
fn switch(r: &mut Runner, text: &str, args: &[String], name: &str, current: bool) -> Result<bool> {
    arity(text, args, 0, 1)?;
    match args.get(1).map(|s| s.to_lowercase()) {
        None => {
            r.say(&format!("{name} {}", if current { "on" } else { "off" }))?;
            Ok(current)
        }
        Some(v) if v == "on" => Ok(true),
        Some(v) if v == "off" => Ok(false),
        Some(_) => {
            let arg = &args[1];
            Err(errinput!(span_of(text, arg); "expected on or off, not '{arg}'"))
        }
    }
}

/// Every meta command with its arguments, for help and completion.
pub const COMMANDS: &[(&str, &str)] = &[
    (".help", "[topic]"),
    (".mode", "table|json|jsonl|csv|lines"),
    (".timer", "on|off"),
    (".echo", "on|off"),
    (".read", "FILE"),
    (".import", "FILE [skip bad]"),
    (".export", "FILE"),
    (".backup", "FILE"),
    (".restore", "FILE"),
    (".output", "FILE|stdout"),
    (".sources", ""),
    (".stats", ""),
    (".check", ""),
    (".quit", ""),
    (".exit", ""),
];

/// The names of the meta commands.
pub fn names() -> impl Iterator<Item = &'static str> {
    COMMANDS.iter().map(|(name, _)| *name)
}

/// Where `arg` appears in `text`, to point at it.
fn span_of(text: &str, arg: &str) -> Span {
    match text.find(arg).filter(|_| !arg.is_empty()) {
        Some(at) => Span::new(at, at + arg.len()),
        None => Span::new(0, text.len()),
    }
}

/// Checks the number of arguments of `name`.
fn arity(text: &str, args: &[String], min: usize, max: usize) -> Result<()> {
    let given = args.len() - 1;
    if given < min {
        let (name, usage) = COMMANDS.iter().find(|(n, _)| *n == args[0]).copied().unwrap_or((".?", ""));
        return Err(
            errinput!(Span::new(0, text.len()); "{name} needs an argument").with_help(format!("usage: {name} {usage}"))
        );
    }
    if given > max {
        let extra = &args[max + 1];
        return Err(errinput!(span_of(text, extra); "unexpected argument '{extra}'"));
    }
    Ok(())
}

/// Drops a span that points into text the user did not type (the statement
/// that `.import` and `.export` build), so the caret is not misplaced.
fn without_span(err: Error) -> Error {
    match err {
        Error::Input { message, help, .. } => Error::Input { message, span: None, help },
        other => other,
    }
}

/// The `import "FILE"` statement for `.import`, refusing file names that
/// cannot be written inside a quoted string.
fn quoted_path(text: &str, path: &str) -> Result<String> {
    if path.contains('"') || path.contains('\n') {
        return Err(errinput!(span_of(text, path); "file names containing quotes or newlines cannot be used here")
            .with_help("rename the file"));
    }
    Ok(format!("\"{path}\""))
}

/// Runs one meta command. A script run by `.read` reports its own errors;
/// its failure comes back as `Ok(false)` so it is not reported twice.
pub fn run(r: &mut Runner, text: &str) -> Result<bool> {
    let args = meta_args(text);
    let Some(first) = args.first() else {
        return Ok(true);
    };
    let name = first.to_lowercase();
    match name.as_str() {
        ".help" => {
            arity(text, &args, 0, 1)?;
            let out = match args.get(1) {
                None => help::overview(),
                Some(topic) => help::topic(topic)
                    .ok_or_else(|| {
                        let names = help::TOPICS.iter().map(|(n, _)| *n);
                        let err = errinput!(span_of(text, topic); "no help topic '{topic}'");
                        match closest(topic, names) {
                            Some(near) => err.with_help(format!("did you mean .help {near}?")),
                            None => err.with_help("topics: queries, writes, import, formats, meta".to_string()),
                        }
                    })?
                    .to_string(),
            };
            r.say(&out)?;
        }
        ".mode" => {
            arity(text, &args, 0, 1)?;
            match args.get(1) {
                None => r.say(&format!("mode {}", r.format.name()))?,
                Some(name) => {
                    r.format = Format::parse(name).ok_or_else(|| {
                        errinput!(span_of(text, name); "unknown output format '{name}'").with_help(format!(
                            "expected one of: {}",
                            Format::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
                        ))
                    })?;
                }
            }
        }
        ".timer" => {
            let current = r.timer;
            r.timer = switch(r, text, &args, "timer", current)?;
        }
        ".echo" => {
            let current = r.echo;
            r.echo = switch(r, text, &args, "echo", current)?;
        }
        ".read" => {
            arity(text, &args, 1, 1)?;
            return match r.run_file(Path::new(&args[1])) {
                Ok(ok) => Ok(ok),
                Err(FileError::Unreadable(message)) => Err(errinput!(span_of(text, &args[1]); "{message}")),
            };
        }
        ".import" => {
            arity(text, &args, 1, 3)?;
            let mut statement = format!("import {}", quoted_path(text, &args[1])?);
            match &args[2..] {
                [] => {}
                [skip, bad] if skip.eq_ignore_ascii_case("skip") && bad.eq_ignore_ascii_case("bad") => {
                    statement.push_str(" skip bad");
                }
                [other, ..] => {
                    return Err(errinput!(span_of(text, other); "unexpected '{other}'")
                        .with_help("usage: .import FILE [skip bad]"));
                }
            }
            r.run_statement(&statement).map_err(without_span)?;
        }
        ".export" => {
            arity(text, &args, 1, 1)?;
            let statement = format!("export to {}", quoted_path(text, &args[1])?);
            r.run_statement(&statement).map_err(without_span)?;
        }
        ".backup" => {
            arity(text, &args, 1, 1)?;
            let n = crate::interchange::backup::backup(r.db(), Path::new(&args[1]))?;
            r.say(&format!("backed up {} to {}", super::format::plural(n, "claim", "claims"), args[1]))?;
        }
        ".restore" => {
            arity(text, &args, 1, 1)?;
            let never = std::sync::atomic::AtomicBool::new(false);
            let report = crate::interchange::backup::restore(r.db(), Path::new(&args[1]), &|_, _| {}, &never)?;
            r.emit(&Output::Imported(report))?;
        }
        ".output" => {
            arity(text, &args, 0, 1)?;
            match args.get(1).map(String::as_str) {
                None => {
                    let dest = match r.destination() {
                        Some(p) => p.display().to_string(),
                        None => "stdout".to_string(),
                    };
                    r.say(&format!("output goes to {dest}"))?;
                }
                Some("stdout") | Some("-") => r.redirect(None)?,
                Some(path) => r.redirect(Some(Path::new(path))).map_err(|e| errinput!(span_of(text, path); "{e}"))?,
            }
        }
        ".sources" => {
            arity(text, &args, 0, 0)?;
            let sources = r.db().sources()?;
            r.emit(&Output::Sources(sources))?;
        }
        ".stats" => {
            arity(text, &args, 0, 0)?;
            let stats = r.db().stats()?;
            r.emit(&Output::Stats(stats))?;
        }
        ".check" => {
            arity(text, &args, 0, 0)?;
            let report = r.db().check()?;
            let problems = report.problems.len();
            r.emit(&Output::Check(report))?;
            if problems > 0 {
                // A failed check fails the script, so `claimdb DB -c .check`
                // can guard a cron job.
                return Err(errinput!("the integrity check found {problems} problem(s)"));
            }
        }
        ".quit" | ".exit" => {
            arity(text, &args, 0, 0)?;
            r.request_quit();
        }
        _ => {
            let err = errinput!(Span::new(0, first.len()); "unknown meta command {first}");
            return Err(match closest(&name, names()) {
                Some(near) => err.with_help(format!("did you mean {near}?")),
                None => err.with_help("type .help for the list of meta commands"),
            });
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::super::runner::tests::runner;
    use super::*;

    #[test]
    fn unknown_command_suggests_the_nearest() {
        let (mut r, _, _) = runner();
        let err = run(&mut r, ".hlep").unwrap_err();
        assert_eq!(err.to_string(), "unknown meta command .hlep (did you mean .help?)");
        let err = run(&mut r, ".zzzzzzzz").unwrap_err();
        assert!(err.to_string().contains("type .help"));
    }

    #[test]
    fn mode_and_timer_change_settings() {
        let (mut r, out, _) = runner();
        run(&mut r, ".mode jsonl").unwrap();
        assert_eq!(r.format, Format::Jsonl);
        run(&mut r, ".mode").unwrap();
        assert_eq!(out.text(), "mode jsonl\n");
        assert!(run(&mut r, ".mode xml").is_err());
        run(&mut r, ".timer on").unwrap();
        assert!(r.timer);
        let err = run(&mut r, ".timer maybe").unwrap_err();
        assert_eq!(
            err.render("", ".timer maybe", 1),
            "error at line 1, column 8: expected on or off, not 'maybe'\n  |\n1 | .timer maybe\n  |        ^^^^^"
        );
    }

    #[test]
    fn help_topics_and_misspellings() {
        let (mut r, out, _) = runner();
        run(&mut r, ".help formats").unwrap();
        assert!(out.text().starts_with("Output formats"));
        let err = run(&mut r, ".help fromats").unwrap_err();
        assert!(err.to_string().contains("did you mean .help formats?"));
    }

    #[test]
    fn arguments_are_counted() {
        let (mut r, _, _) = runner();
        let err = run(&mut r, ".read").unwrap_err();
        assert_eq!(err.to_string(), ".read needs an argument (usage: .read FILE)");
        assert!(run(&mut r, ".stats now").is_err());
        assert!(run(&mut r, ".import a.jsonl skip good").is_err());
    }

    #[test]
    fn output_redirects_to_a_file_and_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out.json");
        let (mut r, out, _) = runner();
        run(&mut r, ".mode json").unwrap();
        run(&mut r, &format!(".output \"{}\"", file.display())).unwrap();
        run(&mut r, ".check").unwrap();
        run(&mut r, ".output stdout").unwrap();
        let written = std::fs::read_to_string(&file).unwrap();
        assert!(written.starts_with("[\n{\"ok\":true"), "{written}");
        assert_eq!(out.text(), "");
    }

    #[test]
    fn stats_and_sources_work_on_an_empty_database() {
        let (mut r, out, _) = runner();
        run(&mut r, ".mode csv").unwrap();
        run(&mut r, ".stats").unwrap();
        assert!(out.text().starts_with("claims,per_status,sources"), "{}", out.text());
        run(&mut r, ".mode table").unwrap();
        run(&mut r, ".sources").unwrap();
        assert!(out.text().ends_with("no sources\n"));
    }

    #[test]
    fn read_of_a_missing_file_is_an_error() {
        let (mut r, _, _) = runner();
        let err = run(&mut r, ".read /nonexistent/x.cq").unwrap_err();
        assert!(err.to_string().contains("no such file"), "{err}");
    }
}
