//! `review article "FILE" [dated D] [via …]` in the interactive shell: the
//! article's proposals one at a time, each with the claims it may repeat,
//! and a choice for each — accept it, edit its fields first, merge it into
//! a claim it repeats, or skip it. Nothing is written while reviewing; at
//! the end the decisions are recorded in one write (`import article` with
//! the reviewed proposals), after a last confirmation. Ctrl-C or Ctrl-D
//! leaves the review with nothing recorded.
//!
//! The proposals come from the database as `extract from` gives them, and
//! the decisions go back as one built statement, both through the shell's
//! [`Database`](super::database::Database), so a review works wherever a
//! statement does.

use super::format::{self, article::proposal_block};
use super::runner::Runner;
use crate::model::{clean_list, date, ClaimId, Kind, NewClaim};
use crate::query::article::{Action, ProposalList, ProposedClaim, Reviewed};
use crate::query::ast::{ArticleRef, ImportArticle, Statement};
use crate::query::{Context, Output};
use rustyline::error::ReadlineError;
use rustyline::DefaultEditor;

/// Runs `entry` as a review when it is one `review article` statement;
/// returns false (having done nothing) for anything else.
pub fn try_run(runner: &mut Runner, entry: &str) -> bool {
    let Ok(Statement::ReviewArticle(article)) = crate::query::parser::parse(entry) else {
        return false;
    };
    if runner.backend().served().is_some() {
        // The review's questions are asked here, between its reads and its
        // one write; the server's protocol runs whole statements only.
        runner.error_text(
            "error: review article needs the database opened by this shell, and claimdb serve holds it\n  \
             = help: see the proposals with extract from \"FILE\" and record them with import article \"FILE\" \
             (both go through the server), or stop the server and review again",
        );
        return true;
    }
    let extracted = runner.backend().direct().and_then(|db| {
        let context = Context { today: db.today(), ..Context::default() };
        db.execute_statement(Statement::Extract(article.clone()), &context)
    });
    let list = match extracted {
        Ok(Output::Proposals(list)) => list,
        Ok(_) => return true,
        Err(e) => {
            runner.report("", entry, &e);
            return true;
        }
    };
    if list.proposals.is_empty() {
        let _ = runner.say(&format!("no claims found in {}; nothing to review", list.file));
        return true;
    }
    let mut editor = match DefaultEditor::new() {
        Ok(e) => e,
        Err(e) => {
            runner.error_text(&format!("claimdb: cannot set up line editing for the review: {e}"));
            return true;
        }
    };
    let mut review = Review { runner, editor: &mut editor, list: &list, colour: super::repl::color_enabled() };
    match review.run() {
        Ok(Some(decisions)) => review.record(article, decisions, entry),
        Ok(None) => {}
        Err(Stop) => review.runner.error_text("review stopped; nothing was recorded"),
    }
    true
}

/// Ctrl-C or Ctrl-D at a prompt: the review ends, recording nothing.
struct Stop;

/// A review under way.
struct Review<'a> {
    runner: &'a mut Runner,
    editor: &'a mut DefaultEditor,
    list: &'a ProposalList,
    colour: bool,
}

impl Review<'_> {
    /// Asks for each proposal in turn; returns the decisions to record, or
    /// `None` when the person chose to record nothing.
    fn run(&mut self) -> Result<Option<Vec<Reviewed>>, Stop> {
        let total = self.list.proposals.len();
        self.say(&format!(
            "{}: {} to review. For each: Enter takes the default in brackets; a accept, e edit, m merge, s skip, \
             q stop here.",
            self.list.file,
            format::plural(total as u64, "proposal", "proposals")
        ));
        let mut decisions = Vec::new();
        for (index, p) in self.list.proposals.iter().enumerate() {
            let width = format::terminal_width();
            self.say(&format!("\n{}", proposal_block(index, total, p, width, self.colour).trim_end()));
            match self.decide(p)? {
                Some(action) => decisions.push(Reviewed { index, action }),
                None => break,
            }
        }
        let count = |f: fn(&Action) -> bool| decisions.iter().filter(|d| f(&d.action)).count() as u64;
        let added = count(|a| matches!(a, Action::Add(_)));
        let merged = count(|a| matches!(a, Action::Merge(_)));
        if added + merged == 0 {
            self.say("nothing accepted; nothing was recorded");
            return Ok(None);
        }
        let question = format!(
            "record {} and {} in one write? [Y/n] ",
            format::plural(added, "new claim", "new claims"),
            format::plural(merged, "merge", "merges")
        );
        loop {
            match self.ask(&question, "")?.to_lowercase().as_str() {
                "" | "y" | "yes" => return Ok(Some(decisions)),
                "n" | "no" => {
                    self.say("nothing was recorded");
                    return Ok(None);
                }
                _ => self.say("answer y or n"),
            }
        }
    }

    /// The decision for one proposal; `None` when the person stops.
    fn decide(&mut self, p: &ProposedClaim) -> Result<Option<Action>, Stop> {
        let default = if p.merge_into().is_some() { "m" } else { "a" };
        let choices = if p.matches.is_empty() { "a/e/s/q" } else { "a/e/m/s/q" };
        loop {
            let answer = self.ask(&format!("{choices} [{default}] "), "")?.to_lowercase();
            let answer = if answer.is_empty() { default.to_string() } else { answer };
            match answer.as_str() {
                "a" | "accept" => return Ok(Some(Action::Add(Box::new(p.proposal.claim.clone())))),
                "e" | "edit" => return Ok(Some(Action::Add(Box::new(self.edit(&p.proposal.claim)?)))),
                "s" | "skip" => return Ok(Some(Action::Skip)),
                "q" | "quit" | "stop" => return Ok(None),
                "m" | "merge" => {
                    if let Some(id) = self.merge_target(p)? {
                        return Ok(Some(Action::Merge(id)));
                    }
                }
                other => {
                    // `m 3`, `#3`, `3`: merge into that claim.
                    match other.trim_start_matches(['m', ' ']).trim_start_matches('#').parse::<ClaimId>() {
                        Ok(id) if id > 0 => return Ok(Some(Action::Merge(id))),
                        _ => self.say("a accepts, e edits the fields first, m merges into a claim it repeats (m 3: into #3), s skips, q stops the review"),
                    }
                }
            }
        }
    }

    /// Which claim to merge into: the one the ranking chose, or another
    /// typed by number.
    fn merge_target(&mut self, p: &ProposedClaim) -> Result<Option<ClaimId>, Stop> {
        let suggested = p.merge_into().or_else(|| p.matches.first().map(|m| m.claim));
        let prompt = match suggested {
            Some(id) => format!("merge into claim [#{id}] "),
            None => "merge into claim number: ".to_string(),
        };
        loop {
            let answer = self.ask(&prompt, "")?;
            let answer = answer.trim().trim_start_matches('#');
            match (answer, suggested) {
                ("", Some(id)) => return Ok(Some(id)),
                ("", None) => return Ok(None),
                (n, _) => match n.parse::<ClaimId>() {
                    Ok(id) if id > 0 => return Ok(Some(id)),
                    _ => self.say("give a claim number like 3, or press Enter"),
                },
            }
        }
    }

    /// The proposal's fields, each offered for editing in turn (Enter keeps
    /// it); a value that cannot be used is asked again with the reason.
    fn edit(&mut self, claim: &NewClaim) -> Result<NewClaim, Stop> {
        let mut c = claim.clone();
        c.text = self.field("text", &c.text, |v| {
            let v = v.trim();
            if v.is_empty() {
                Err("the text cannot be empty".into())
            } else {
                Ok(v.to_string())
            }
        })?;
        c.source.name = self.field("source", &c.source.name, |v| {
            let v = v.trim();
            if v.is_empty() {
                Err("the source needs a name".into())
            } else {
                Ok(v.to_string())
            }
        })?;
        c.source.kind =
            self.field("kind", c.source.kind.name(), |v| Kind::parse_or_explain(v.trim()).map_err(|e| e.to_string()))?;
        let anonymous = if c.source.anonymous { "yes" } else { "no" };
        c.source.anonymous = self.field("anonymous", anonymous, |v| match v.trim().to_lowercase().as_str() {
            "y" | "yes" | "true" => Ok(true),
            "n" | "no" | "false" => Ok(false),
            _ => Err("answer yes or no".into()),
        })?;
        let affiliation = c.source.affiliation.clone().unwrap_or_default();
        c.source.affiliation = self.field("affiliation", &affiliation, |v| {
            let v = v.trim();
            Ok((!v.is_empty()).then(|| v.to_string()))
        })?;
        c.outlets = self.field("outlets", &c.outlets.join(", "), list)?;
        c.date = self.field("date", &c.date.to_string(), |v| {
            date::parse_iso(v.trim())
                .or_else(|_| date::parse_day(v.trim(), None))
                .map_err(|e| format!("{e} (write it like 2024-11-09)"))
        })?;
        c.topics = self.field("topics", &c.topics.join(", "), list)?;
        Ok(c)
    }

    /// One field, offered with its value for editing until `read` takes it.
    fn field<T>(&mut self, label: &str, value: &str, read: impl Fn(&str) -> Result<T, String>) -> Result<T, Stop> {
        loop {
            let answer = self.ask(&format!("  {label:<11} "), value)?;
            match read(&answer) {
                Ok(v) => return Ok(v),
                Err(why) => self.say(&format!("  {why}")),
            }
        }
    }

    /// Prints a line for the person reviewing.
    fn say(&mut self, text: &str) {
        let _ = self.runner.say(text);
    }

    /// Reads a line under `prompt`, with `initial` ready to edit.
    fn ask(&mut self, prompt: &str, initial: &str) -> Result<String, Stop> {
        match self.editor.readline_with_initial(prompt, (initial, "")) {
            Ok(line) => Ok(line),
            Err(ReadlineError::Interrupted | ReadlineError::Eof) => Err(Stop),
            Err(e) => {
                self.runner.error_text(&format!("claimdb: cannot read input: {e}"));
                Err(Stop)
            }
        }
    }

    /// Records the decisions as one write and prints what was done.
    fn record(&mut self, article: ArticleRef, decisions: Vec<Reviewed>, entry: &str) {
        let statement = Statement::ImportArticle(ImportArticle { article, reviewed: Some(decisions) });
        let done = self.runner.backend().direct().and_then(|db| {
            let context = Context { today: db.today(), ..Context::default() };
            db.execute_statement(statement, &context)
        });
        match done {
            Ok(output) => {
                let _ = self.runner.emit(&output);
            }
            Err(e) => self.runner.report("", entry, &e),
        }
    }
}

/// A list of names separated by commas (empty: none).
fn list(value: &str) -> Result<Vec<String>, String> {
    let names: Vec<String> = value.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    clean_list("name", &names).map_err(|e| e.to_string())
}
