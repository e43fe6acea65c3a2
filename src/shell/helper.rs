//! The REPL's line-editor helper: tab completion (keywords, statuses, kinds,
//! meta commands, file names after `.read`/`.import`…, and the sources,
//! outlets and topics in the database, also inside an opened quote), hints
//! from history, and ANSI highlighting of keywords, strings and dates.
//!
//! Hints and highlighting are off when colour is off (`NO_COLOR`, or stdout
//! is not a terminal), so nothing but the typed text reaches a dumb screen.

use super::format::Format;
use super::{help, meta};
use crate::model::{Kind, Status};
use crate::query::keywords::{KEYWORDS, STATEMENT_STARTS};
use crate::query::lexer::{self, Lexer, Token, TokenKind};
use crate::query::parser::lexeme::is_reserved;
use crate::Vocabulary;
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};
use std::borrow::Cow;

const KEYWORD: &str = "\x1b[1;34m";
const STRING: &str = "\x1b[32m";
const DATE: &str = "\x1b[33m";
const NUMBER: &str = "\x1b[36m";
const COMMENT: &str = "\x1b[2m";
const META: &str = "\x1b[35m";
const HINT: &str = "\x1b[2;37m";
const RESET: &str = "\x1b[0m";

/// The longest line (in bytes) that is coloured and hinted as it is typed.
/// Longer lines are shown plain, so that each key costs the same however
/// long the line is.
pub const MAX_LIVE_LINE: usize = 512;

/// The helper given to the rustyline editor.
pub struct ClaimHelper {
    color: bool,
    vocabulary: Vocabulary,
    hinter: HistoryHinter,
    files: FilenameCompleter,
}

impl ClaimHelper {
    /// A helper; `color` turns hints and highlighting on.
    pub fn new(color: bool, vocabulary: Vocabulary) -> ClaimHelper {
        ClaimHelper { color, vocabulary, hinter: HistoryHinter::new(), files: FilenameCompleter::new() }
    }

    /// Replaces the database names offered for completion (after writes).
    pub fn set_vocabulary(&mut self, vocabulary: Vocabulary) {
        self.vocabulary = vocabulary;
    }

    /// Source names, outlets and topics, each once.
    fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        let all = self.vocabulary.sources.iter().chain(&self.vocabulary.outlets).chain(&self.vocabulary.topics);
        for name in all {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name);
            }
        }
        names
    }

    fn complete_meta(&self, line: &str, pos: usize, ctx: &Context<'_>) -> (usize, Vec<Pair>) {
        let before = &line[..pos];
        let lead = before.len() - before.trim_start().len();
        let body = &before[lead..];
        let Some(space) = body.find(char::is_whitespace) else {
            let found = matching(body, meta::names());
            return (lead, finish_single(found, " "));
        };
        let command = body[..space].to_lowercase();
        let arg_start = before.rfind(char::is_whitespace).map_or(pos, |i| i + 1);
        let word = &before[arg_start..];
        let choices: Vec<&str> = match command.as_str() {
            ".mode" => Format::ALL.iter().map(|f| f.name()).collect(),
            ".timer" | ".echo" => vec!["on", "off"],
            ".help" => help::TOPICS.iter().map(|(n, _)| *n).collect(),
            ".output" if !word.contains('/') => {
                let mut files = self.file_candidates(line, pos, ctx);
                if "stdout".starts_with(word) {
                    files.1.insert(0, pair("stdout"));
                }
                return files;
            }
            ".read" | ".import" | ".export" | ".output" => {
                return self.file_candidates(line, pos, ctx);
            }
            _ => Vec::new(),
        };
        (arg_start, finish_single(matching(word, choices), ""))
    }

    fn file_candidates(&self, line: &str, pos: usize, ctx: &Context<'_>) -> (usize, Vec<Pair>) {
        // File name completion failing (an unreadable directory) only means
        // no candidates.
        self.files.complete(line, pos, ctx).unwrap_or((pos, Vec::new()))
    }

    fn complete_statement(&self, line: &str, pos: usize) -> (usize, Vec<Pair>) {
        let before = &line[..pos];
        let tokens: Vec<Token> = Lexer::new(before).collect();
        let last = tokens.last().map(|t| t.kind);
        if let Some(TokenKind::String { closed: false }) = last {
            // Inside a quote: database names, closing the quote on a match.
            let start = tokens.last().map_or(pos, |t| t.span.start + 1);
            let word = &before[start..];
            let names: Vec<Pair> = matching(word, self.names())
                .into_iter()
                .map(|p| Pair { replacement: format!("{}\"", p.display), display: p.display })
                .collect();
            return (start, names);
        }
        if last == Some(TokenKind::Comment) {
            return (pos, Vec::new());
        }
        let (start, earlier) = match tokens.split_last() {
            Some((t, earlier)) if t.kind == TokenKind::Word => (t.span.start, earlier),
            _ => (pos, &tokens[..]),
        };
        let word = &before[start..];
        if word.starts_with('#') || word.starts_with(|c: char| c.is_ascii_digit()) {
            return (start, Vec::new());
        }
        let at_statement_start = earlier
            .iter()
            .rev()
            .take_while(|t| t.kind != TokenKind::Semicolon)
            .all(|t| matches!(t.kind, TokenKind::Blank | TokenKind::Comment));
        if at_statement_start {
            let found = matching(word, STATEMENT_STARTS.iter().copied());
            return (start, finish_single(found, " "));
        }
        if word.is_empty() {
            // Offering all of the language at once helps nobody.
            return (start, Vec::new());
        }
        let mut candidates: Vec<String> = Vec::new();
        let words =
            KEYWORDS.iter().copied().chain(Status::ALL.iter().map(|s| s.name())).chain(Kind::SPELLINGS.iter().copied());
        for w in matching(word, words) {
            candidates.push(w.display);
        }
        for name in matching(word, self.names()) {
            candidates.push(quote_if_needed(&name.display));
        }
        candidates.sort();
        candidates.dedup();
        let pairs = candidates.iter().map(|c| pair(c)).collect();
        (start, finish_single(pairs, " "))
    }
}

/// Wraps a database name in quotes when the parser would not read it as
/// one bare name: more than one word by the lexer's rule, or a reserved
/// keyword (`in`, `by`).
fn quote_if_needed(name: &str) -> String {
    let one_word = !name.starts_with('#') && lexer::word_len(name) == name.len() && !name.is_empty();
    if one_word && !is_reserved(name) {
        name.to_string()
    } else {
        format!("\"{name}\"")
    }
}

fn pair(text: &str) -> Pair {
    Pair { display: text.to_string(), replacement: text.to_string() }
}

/// The candidates starting with `word`, ignoring case, each once (ignoring
/// case), in their order.
fn matching<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<Pair> {
    let lower = word.to_lowercase();
    let mut out: Vec<Pair> = Vec::new();
    for c in candidates {
        if c.to_lowercase().starts_with(&lower) && !out.iter().any(|p| p.display.eq_ignore_ascii_case(c)) {
            out.push(pair(c));
        }
    }
    out
}

/// A single candidate gets `suffix` (a space), so the next word can follow.
fn finish_single(mut pairs: Vec<Pair>, suffix: &str) -> Vec<Pair> {
    if pairs.len() == 1 {
        pairs[0].replacement.push_str(suffix);
    }
    pairs
}

impl Completer for ClaimHelper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, ctx: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let pos = pos.min(line.len());
        if line.trim_start().starts_with('.') {
            return Ok(self.complete_meta(line, pos, ctx));
        }
        Ok(self.complete_statement(line, pos))
    }
}

impl Hinter for ClaimHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        if !self.color || line.len() > MAX_LIVE_LINE {
            return None;
        }
        self.hinter.hint(line, pos, ctx)
    }
}

impl Highlighter for ClaimHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.color || line.len() > MAX_LIVE_LINE {
            return Cow::Borrowed(line);
        }
        Cow::Owned(highlight(line))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if !self.color {
            return Cow::Borrowed(hint);
        }
        Cow::Owned(format!("{HINT}{hint}{RESET}"))
    }

    fn highlight_char(&self, line: &str, _pos: usize, _kind: CmdKind) -> bool {
        // Re-highlight on every key so that a quote typed in the middle
        // recolours the rest, as long as the line is short: redrawing a
        // long line on every key makes a paste quadratic (a 5 KB line
        // pasted without bracketed paste took two minutes), so past
        // MAX_LIVE_LINE keys only add their character.
        self.color && line.len() <= MAX_LIVE_LINE
    }
}

/// The validator accepts every line: the REPL itself decides whether a
/// statement is complete (see [`super::script::is_complete`]) and, if not,
/// reads a continuation line under the `   ...> ` prompt, which rustyline's
/// own multi-line mode cannot show.
impl Validator for ClaimHelper {
    fn validate(&self, _ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(ValidationResult::Valid(None))
    }
}

impl Helper for ClaimHelper {}

/// Whether `word` is a keyword, status or kind of the language.
fn is_keyword(word: &str) -> bool {
    let lower = word.to_lowercase();
    KEYWORDS.contains(&lower.as_str())
        || STATEMENT_STARTS.contains(&lower.as_str())
        || Status::parse(&lower).is_some()
        || Kind::parse_any_number(&lower).is_some()
}

/// Whether `word` looks like a date `YYYY-MM-DD`.
fn is_date(word: &str) -> bool {
    crate::model::date::looks_like_iso(word)
}

/// Colours a line of input with ANSI escapes; the visible text is
/// unchanged, as rustyline requires.
pub fn highlight(line: &str) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    if line.trim_start().starts_with('.') {
        let lead = line.len() - line.trim_start().len();
        let end = line[lead..].find(char::is_whitespace).map_or(line.len(), |i| lead + i);
        out.push_str(&line[..lead]);
        out.push_str(META);
        out.push_str(&line[lead..end]);
        out.push_str(RESET);
        out.push_str(&line[end..]);
        return out;
    }
    for token in Lexer::new(line) {
        let text = &line[token.span];
        let color = match token.kind {
            TokenKind::String { .. } => Some(STRING),
            TokenKind::Comment => Some(COMMENT),
            TokenKind::Word if is_date(text) => Some(DATE),
            TokenKind::Word if text.starts_with('#') || text.chars().all(|c| c.is_ascii_digit()) => Some(NUMBER),
            TokenKind::Word if is_keyword(text) => Some(KEYWORD),
            _ => None,
        };
        match color {
            Some(color) => {
                out.push_str(color);
                out.push_str(text);
                out.push_str(RESET);
            }
            None => out.push_str(text),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustyline::history::DefaultHistory;

    fn helper() -> ClaimHelper {
        ClaimHelper::new(
            true,
            Vocabulary {
                outlets: vec!["reuters".into(), "afp".into()],
                topics: vec!["qatar".into(), "gaza ceasefire".into()],
                sources: vec!["US officials".into(), "diplomatic source".into()],
            },
        )
    }

    fn complete(h: &ClaimHelper, line: &str) -> (usize, Vec<String>) {
        let history = DefaultHistory::new();
        let ctx = Context::new(&history);
        let (start, pairs) = h.complete(line, line.len(), &ctx).unwrap();
        (start, pairs.into_iter().map(|p| p.replacement).collect())
    }

    #[test]
    fn completes_meta_commands() {
        let h = helper();
        assert_eq!(complete(&h, ".he"), (0, vec![".help ".to_string()]));
        let (_, found) = complete(&h, ".e");
        assert_eq!(found, [".echo", ".export", ".exit"]);
        assert_eq!(complete(&h, ".mode js"), (6, vec!["json".into(), "jsonl".into()]));
        assert_eq!(complete(&h, ".timer o").1, ["on", "off"]);
        assert_eq!(complete(&h, ".help wr").1, ["writes"]);
    }

    #[test]
    fn completes_statement_starts_and_keywords() {
        let h = helper();
        assert_eq!(complete(&h, "cla").1, ["claims", "claim"]);
        assert_eq!(complete(&h, "hist"), (0, vec!["history ".to_string()]));
        assert_eq!(complete(&h, "claims with status disp").1, ["disputed "]);
        assert_eq!(complete(&h, "claims by anonymous offic").1, ["official", "officials"]);
        assert_eq!(complete(&h, "claims; cou").1, ["count "]);
    }

    #[test]
    fn completes_database_names_quoting_them() {
        let h = helper();
        assert_eq!(complete(&h, "claims via reu").1, ["reuters "]);
        assert_eq!(complete(&h, "claims by US").1, ["\"US officials\" "]);
        assert_eq!(complete(&h, "claims about gaza").1, ["\"gaza ceasefire\" "]);
    }

    #[test]
    fn completes_inside_an_open_quote() {
        let h = helper();
        let (start, found) = complete(&h, "claims by \"dipl");
        assert_eq!(start, 11);
        assert_eq!(found, ["diplomatic source\""]);
        assert_eq!(complete(&h, "claims by \"").1.len(), 6);
    }

    #[test]
    fn names_are_quoted_by_the_parser_s_word_rule() {
        let h = ClaimHelper::new(
            true,
            Vocabulary {
                sources: vec!["O'Brien".into(), "in".into(), "AT&T".into(), "a b".into()],
                ..Vocabulary::default()
            },
        );
        assert_eq!(complete(&h, "claims by O'B").1, ["O'Brien "]);
        assert_eq!(complete(&h, "claims by AT&").1, ["AT&T "]);
        assert!(complete(&h, "claims about i").1.contains(&"\"in\"".to_string()));
        for name in ["O'Brien", "AT&T", "in", "a b"] {
            let written = quote_if_needed(name);
            let statement = format!("claims by {written}");
            let parsed = crate::query::parser::parse(&statement).unwrap_or_else(|e| panic!("{statement}: {e}"));
            assert!(format!("{parsed:?}").contains(&format!("{name:?}")), "{statement}: {parsed:?}");
        }
    }

    #[test]
    fn comments_are_the_lexer_s_comments() {
        let h = helper();
        assert!(complete(&h, "claims -- by \"dipl").1.is_empty(), "inside a comment");
        assert!(complete(&h, "# a note about \"dipl").1.is_empty(), "inside a # comment");
        assert_eq!(complete(&h, "claim #3 by \"dipl").1, ["diplomatic source\""]);
        let lit = highlight("# note \"x");
        assert_eq!(lit, format!("{COMMENT}# note \"x{RESET}"));
        assert!(highlight("rated half-true--why").contains(&format!("{COMMENT}--why{RESET}")));
    }

    #[test]
    fn long_lines_cost_the_same_on_every_key() {
        let h = helper();
        let long = "claims mentioning x ".repeat(40);
        assert!(long.len() > MAX_LIVE_LINE);
        assert!(!h.highlight_char(&long, long.len(), CmdKind::Other));
        assert_eq!(h.highlight(&long, 0), long.as_str());
        let history = DefaultHistory::new();
        assert_eq!(h.hint(&long, long.len(), &Context::new(&history)), None);
        assert!(h.highlight_char("claims", 6, CmdKind::Other));
    }

    #[test]
    fn no_completion_for_ids_or_empty_words() {
        let h = helper();
        assert!(complete(&h, "claim #1").1.is_empty());
        assert!(complete(&h, "claim 1").1.is_empty());
        assert!(complete(&h, "claims by ").1.is_empty());
    }

    #[test]
    fn vocabulary_can_be_refreshed() {
        let mut h = helper();
        assert!(complete(&h, "claims via dw").1.is_empty());
        h.set_vocabulary(Vocabulary { outlets: vec!["dw".into()], ..Vocabulary::default() });
        assert_eq!(complete(&h, "claims via dw").1, ["dw "]);
    }

    #[test]
    fn highlighting_colours_but_keeps_the_text() {
        let line = "claims mentioning \"Doha\" after 2024-11-01 -- note";
        let lit = highlight(line);
        assert!(lit.contains(&format!("{KEYWORD}claims{RESET}")));
        assert!(lit.contains(&format!("{STRING}\"Doha\"{RESET}")));
        assert!(lit.contains(&format!("{DATE}2024-11-01{RESET}")));
        assert!(lit.contains(&format!("{COMMENT}-- note{RESET}")));
        assert_eq!(strip_ansi(&lit), line);
        let meta = highlight(".mode json");
        assert_eq!(meta, format!("{META}.mode{RESET} json"));
        let id = highlight("claim #12");
        assert!(id.contains(&format!("{NUMBER}#12{RESET}")));
        for odd in ["\"open", "é \"x\\\"", "--", "#", "a-b -c"] {
            assert_eq!(strip_ansi(&highlight(odd)), odd);
        }
    }

    #[test]
    fn no_colour_means_no_hints_or_escapes() {
        let h = ClaimHelper::new(false, Vocabulary::default());
        assert_eq!(h.highlight("claims", 0), "claims");
        let mut history = DefaultHistory::new();
        rustyline::history::History::add(&mut history, "claims by Reuters").unwrap();
        let ctx = Context::new(&history);
        assert_eq!(h.hint("claims", 6, &ctx), None);
        let coloured = helper();
        assert_eq!(coloured.hint("claims", 6, &ctx).as_deref(), Some(" by Reuters"));
    }

    fn strip_ansi(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn completion_and_highlighting_survive_any_line(
            line in "[a-zA-Z .\"#;(),\\\\\né€0-9-]{0,60}",
            cut in 0usize..70,
        ) {
            let h = helper();
            let mut pos = cut.min(line.len());
            while !line.is_char_boundary(pos) {
                pos -= 1;
            }
            let history = DefaultHistory::new();
            let ctx = Context::new(&history);
            let (start, _) = h.complete(&line, pos, &ctx).unwrap();
            proptest::prop_assert!(start <= pos);
            proptest::prop_assert_eq!(strip_ansi(&highlight(&line)), line);
        }
    }
}
