//! Meta commands: the lines starting with `.` that talk to the shell rather
//! than the database language (`.mode json`, `.read FILE`, `.stats`…).
//!
//! [`parse`] reads one into a [`Meta`], which the runner carries out; this
//! module knows nothing of the runner or the database. Errors carry spans
//! relative to the command's text, which the runner moves to the command's
//! place in its script.

use super::format::Format;
use super::help;
use super::script::meta_args;
use crate::model::closest;
use crate::{errinput, Result, Span};
use std::path::PathBuf;

/// A meta command, parsed.
#[derive(Clone, Debug, PartialEq)]
pub enum Meta {
    /// `.help [topic]`: the text to print.
    Help(&'static str),
    /// `.help` alone: the overview.
    Overview,
    /// `.mode` alone: say the format in use.
    ShowMode,
    /// `.mode FORMAT`.
    Mode(Format),
    /// `.timer [on|off]`: `None` says the setting.
    Timer(Option<bool>),
    /// `.echo [on|off]`: `None` says the setting.
    Echo(Option<bool>),
    /// `.read FILE`.
    Read(Argument),
    /// `.import FILE [skip bad]`.
    Import {
        /// The file.
        file: Argument,
        /// Whether `skip bad` was given.
        skip_bad: bool,
    },
    /// `.export FILE`: every claim.
    Export(Argument),
    /// `.backup FILE`.
    Backup(Argument),
    /// `.restore FILE`.
    Restore(Argument),
    /// `.output` alone: say where results go.
    ShowOutput,
    /// `.output FILE`, or `None` for `.output stdout`.
    Output(Option<Argument>),
    /// `.sources`.
    Sources,
    /// `.stats`.
    Stats,
    /// `.check`.
    Check,
    /// `.quit`, `.exit`.
    Quit,
}

/// A file named in a meta command, with where it was written (to point at
/// it in errors).
#[derive(Clone, Debug, PartialEq)]
pub struct Argument {
    /// The path as given.
    pub path: PathBuf,
    /// Its place in the command's text.
    pub span: Span,
}

/// An on/off setting: `None` without an argument, else on or off.
fn switch(text: &str, args: &[String]) -> Result<Option<bool>> {
    arity(text, args, 0, 1)?;
    match args.get(1).map(|s| s.to_lowercase()) {
        None => Ok(None),
        Some(v) if v == "on" => Ok(Some(true)),
        Some(v) if v == "off" => Ok(Some(false)),
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

/// The file argument `args[at]`.
fn argument(text: &str, args: &[String], at: usize) -> Argument {
    Argument { path: PathBuf::from(&args[at]), span: span_of(text, &args[at]) }
}

/// Parses one meta command (`text` starts with `.`).
pub fn parse(text: &str) -> Result<Meta> {
    let args = meta_args(text);
    let Some(first) = args.first() else {
        return Err(errinput!(Span::new(0, text.len()); "a meta command needs a name")
            .with_help("type .help for the list of meta commands"));
    };
    let name = first.to_lowercase();
    Ok(match name.as_str() {
        ".help" => {
            arity(text, &args, 0, 1)?;
            match args.get(1) {
                None => Meta::Overview,
                Some(topic) => Meta::Help(help::topic(topic).ok_or_else(|| {
                    let names = help::TOPICS.iter().map(|(n, _)| *n);
                    let err = errinput!(span_of(text, topic); "no help topic '{topic}'");
                    match closest(topic, names) {
                        Some(near) => err.with_help(format!("did you mean .help {near}?")),
                        None => err.with_help("topics: queries, writes, import, formats, meta".to_string()),
                    }
                })?),
            }
        }
        ".mode" => {
            arity(text, &args, 0, 1)?;
            match args.get(1) {
                None => Meta::ShowMode,
                Some(name) => Meta::Mode(Format::parse(name).ok_or_else(|| {
                    let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                    errinput!(span_of(text, name); "unknown output format '{name}'")
                        .with_help(format!("expected one of: {}", names.join(", ")))
                })?),
            }
        }
        ".timer" => Meta::Timer(switch(text, &args)?),
        ".echo" => Meta::Echo(switch(text, &args)?),
        ".read" => {
            arity(text, &args, 1, 1)?;
            Meta::Read(argument(text, &args, 1))
        }
        ".import" => {
            arity(text, &args, 1, 3)?;
            let skip_bad = match &args[2..] {
                [] => false,
                [skip, bad] if skip.eq_ignore_ascii_case("skip") && bad.eq_ignore_ascii_case("bad") => true,
                [other, ..] => {
                    return Err(errinput!(span_of(text, other); "unexpected '{other}'")
                        .with_help("usage: .import FILE [skip bad]"));
                }
            };
            Meta::Import { file: argument(text, &args, 1), skip_bad }
        }
        ".export" => {
            arity(text, &args, 1, 1)?;
            Meta::Export(argument(text, &args, 1))
        }
        ".backup" => {
            arity(text, &args, 1, 1)?;
            Meta::Backup(argument(text, &args, 1))
        }
        ".restore" => {
            arity(text, &args, 1, 1)?;
            Meta::Restore(argument(text, &args, 1))
        }
        ".output" => {
            arity(text, &args, 0, 1)?;
            match args.get(1).map(String::as_str) {
                None => Meta::ShowOutput,
                Some("stdout") | Some("-") => Meta::Output(None),
                Some(_) => Meta::Output(Some(argument(text, &args, 1))),
            }
        }
        ".sources" => {
            arity(text, &args, 0, 0)?;
            Meta::Sources
        }
        ".stats" => {
            arity(text, &args, 0, 0)?;
            Meta::Stats
        }
        ".check" => {
            arity(text, &args, 0, 0)?;
            Meta::Check
        }
        ".quit" | ".exit" => {
            arity(text, &args, 0, 0)?;
            Meta::Quit
        }
        _ => {
            let err = errinput!(Span::new(0, first.len()); "unknown meta command {first}");
            return Err(match closest(&name, names()) {
                Some(near) => err.with_help(format!("did you mean {near}?")),
                None => err.with_help("type .help for the list of meta commands"),
            });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn unknown_command_suggests_the_nearest() {
        assert_eq!(error(".hlep"), "unknown meta command .hlep (did you mean .help?)");
        assert!(error(".zzzzzzzz").contains("type .help"));
    }

    #[test]
    fn settings_parse() {
        assert_eq!(parse(".mode jsonl").unwrap(), Meta::Mode(Format::Jsonl));
        assert_eq!(parse(".MODE").unwrap(), Meta::ShowMode);
        assert!(parse(".mode xml").is_err());
        assert_eq!(parse(".timer on").unwrap(), Meta::Timer(Some(true)));
        assert_eq!(parse(".echo").unwrap(), Meta::Echo(None));
        let err = parse(".timer maybe").unwrap_err();
        assert_eq!(
            err.render("", ".timer maybe", 1),
            "error at line 1, column 8: expected on or off, not 'maybe'\n  |\n1 | .timer maybe\n  |        ^^^^^"
        );
    }

    #[test]
    fn help_topics_and_misspellings() {
        assert!(matches!(parse(".help formats").unwrap(), Meta::Help(t) if t.starts_with("Output formats")));
        assert!(error(".help fromats").contains("did you mean .help formats?"));
    }

    #[test]
    fn arguments_are_counted() {
        assert_eq!(error(".read"), ".read needs an argument (usage: .read FILE)");
        assert!(parse(".stats now").is_err());
        assert!(parse(".import a.jsonl skip good").is_err());
    }

    #[test]
    fn files_keep_their_place() {
        let Meta::Import { file, skip_bad } = parse(".import \"my \\\"odd\\\" file.jsonl\" skip bad").unwrap() else {
            panic!()
        };
        assert!(skip_bad);
        assert_eq!(file.path, PathBuf::from("my \"odd\" file.jsonl"));
        let Meta::Output(Some(arg)) = parse(".output  out.json").unwrap() else { panic!() };
        assert_eq!(arg.span, Span::new(9, 17));
        assert_eq!(parse(".output stdout").unwrap(), Meta::Output(None));
    }
}
