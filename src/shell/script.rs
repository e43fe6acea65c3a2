//! Splitting script text into statements and meta commands.
//!
//! The rules, shared by script files, `-c`, stdin and the REPL:
//!
//! * `;` ends a statement (a trailing `;` is fine, empty statements are
//!   skipped).
//! * A newline ends a statement too, unless a quote or a parenthesis is still
//!   open, or the next line continues it. A line continues the statement
//!   before it when it is indented or when its first word cannot start a
//!   statement (`by …`, `about …`, `note …`), which is how the sample script
//!   lays out long `add claim` statements.
//! * Quotes, comments, words and parentheses are found by the query
//!   language's own lexer ([`crate::query::lexer`]): `--` starts a comment
//!   running to the end of the line anywhere outside quotes, `#` only as
//!   the first non-blank character of a line (`claim #12` is an id).
//! * A line whose first non-blank character is `.` (when no statement is
//!   under way) is a meta command; it ends at the end of its line.
//!
//! Comments are blanked out with spaces rather than removed, so that byte
//! offsets in a statement are byte offsets in the original text and error
//! spans can be moved back with [`crate::Error::shifted`].

use crate::query::keywords::STATEMENT_STARTS;
use crate::query::lexer::{self, string_value, Lexer, TokenKind};

/// What a piece of a script is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// A statement of the query language, for `Db::execute`.
    Statement,
    /// A meta command such as `.mode json`, handled by the shell.
    Meta,
}

/// Something left open at the end of an item, which makes it incomplete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Open {
    /// A `"` at this byte offset was never closed.
    Quote(usize),
    /// A `(` at this byte offset was never closed.
    Paren(usize),
}

/// One statement or meta command cut out of a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Statement or meta command.
    pub kind: ItemKind,
    /// The text, comments blanked, without the terminating `;`, trimmed.
    pub text: String,
    /// The byte offset of `text` in the whole script.
    pub offset: usize,
    /// A quote or parenthesis still open at the end of the text, if any.
    pub open: Option<Open>,
}

/// Splits a script into statements and meta commands, in order.
pub fn split(text: &str) -> Vec<Item> {
    Splitter::new(text).run()
}

/// Whether typed input is complete: no quote or parenthesis is open. The
/// REPL asks for a continuation line until it is. Meta commands are always
/// complete.
pub fn is_complete(text: &str) -> bool {
    split(text).iter().all(|item| item.open.is_none())
}

struct Splitter<'a> {
    text: &'a str,
    blanked: Vec<u8>,
    items: Vec<Item>,
    /// Offset of the first byte of the item under way.
    start: Option<usize>,
    quote: Option<usize>,
    parens: Vec<usize>,
    /// The last answer of [`Splitter::next_line_starts_statement`]: the
    /// offset of the line it looked at, and the answer. Newlines before
    /// that line get the same answer, so runs of blank or comment lines
    /// are looked through once (splitting stays linear).
    lookahead: Option<(usize, bool)>,
}

impl<'a> Splitter<'a> {
    fn new(text: &'a str) -> Splitter<'a> {
        Splitter {
            text,
            blanked: text.as_bytes().to_vec(),
            items: Vec::new(),
            start: None,
            quote: None,
            parens: Vec::new(),
            lookahead: None,
        }
    }

    fn run(mut self) -> Vec<Item> {
        let mut tokens = Lexer::new(self.text);
        while let Some(token) = tokens.next() {
            let span = token.span.clone();
            match token.kind {
                TokenKind::Blank => {
                    // A line that starts a statement ends the one before, even
                    // with a parenthesis left open: the error then points at
                    // that parenthesis instead of swallowing the script.
                    if let Some(newline) = self.text[span.clone()].find('\n') {
                        let newline = span.start + newline;
                        if self.start.is_some() && self.next_line_starts_statement(newline + 1) {
                            self.finish(newline);
                        }
                    }
                    continue;
                }
                TokenKind::Comment => {
                    self.blank(span);
                    continue;
                }
                _ => {}
            }
            if self.start.is_none() {
                self.start = Some(span.start);
                if self.text[span.clone()].starts_with('.') {
                    let end = self.meta_line(span.start);
                    tokens = Lexer::resume(self.text, end);
                    continue;
                }
            }
            match token.kind {
                TokenKind::String { closed: false } => self.quote = Some(span.start),
                TokenKind::Open => self.parens.push(span.start),
                TokenKind::Close => {
                    // An unmatched `)` is left for the parser to complain about.
                    self.parens.pop();
                }
                TokenKind::Semicolon if self.parens.is_empty() => self.finish(span.start),
                _ => {}
            }
        }
        self.finish(self.text.len());
        self.items
    }

    /// Blanks a comment. Whole characters are replaced (a comment starts
    /// with an ASCII byte and runs to a newline or the end), so the text
    /// stays UTF-8 and offsets stay put.
    fn blank(&mut self, span: std::ops::Range<usize>) {
        self.blanked[span].fill(b' ');
    }

    /// Reads a meta command starting at `i` up to the end of its line,
    /// blanking comments; returns the newline's offset.
    fn meta_line(&mut self, i: usize) -> usize {
        let end = self.text[i..].find('\n').map_or(self.text.len(), |p| i + p);
        for token in Lexer::mid_line(&self.text[i..end]) {
            if token.kind == TokenKind::Comment {
                self.blank(i + token.span.start..i + token.span.end);
            }
        }
        let mut item = self.item(i, end, ItemKind::Meta);
        if let Some(item) = item.as_mut() {
            // `.mode json;` is forgiven: meta commands end at the line's end.
            while item.text.ends_with(';') {
                item.text.pop();
                item.text.truncate(item.text.trim_end().len());
            }
            self.items.push(item.clone());
        }
        self.start = None;
        end
    }

    /// Ends the statement under way just before `end`.
    fn finish(&mut self, end: usize) {
        let Some(start) = self.start.take() else {
            return;
        };
        let open = match (self.quote.take(), self.parens.first()) {
            (Some(q), _) => Some(Open::Quote(q)),
            (None, Some(&p)) => Some(Open::Paren(p)),
            (None, None) => None,
        };
        self.parens.clear();
        if let Some(mut item) = self.item(start, end, ItemKind::Statement) {
            item.open = open;
            self.items.push(item);
        }
    }

    fn item(&self, start: usize, end: usize, kind: ItemKind) -> Option<Item> {
        let text = String::from_utf8_lossy(&self.blanked[start..end]);
        let trimmed = text.trim_end();
        if trimmed.is_empty() {
            return None;
        }
        Some(Item { kind, text: trimmed.to_string(), offset: start, open: None })
    }

    /// Whether the first line with content from `from` on starts a new
    /// statement (or there is none), so that the newline before it ends the
    /// current one.
    fn next_line_starts_statement(&mut self, from: usize) -> bool {
        if let Some((line, answer)) = self.lookahead {
            if from <= line {
                return answer;
            }
        }
        let (line, answer) = line_starting_statement(self.text, from);
        self.lookahead = Some((line, answer));
        answer
    }
}

/// The first line from `from` on that has more than blanks and comments
/// (its offset; the text's length if there is none), and whether it starts
/// a new statement: a meta command, or an unindented line whose first word
/// can start a statement. Other lines continue the statement before them.
fn line_starting_statement(text: &str, from: usize) -> (usize, bool) {
    let mut at = from;
    while at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |p| at + p);
        let line = &text[at..end];
        let content = lexer::skip_blanks(line, true);
        if !content.is_empty() {
            if content.starts_with('.') {
                return (at, true);
            }
            if line.starts_with([' ', '\t']) {
                return (at, false);
            }
            let word: String =
                content.chars().take_while(char::is_ascii_alphabetic).map(|c| c.to_ascii_lowercase()).collect();
            return (at, STATEMENT_STARTS.contains(&word.as_str()));
        }
        at = end + 1;
    }
    (text.len(), true)
}

/// Where the quote left open in `text` most likely is: the open quote of
/// the first line that leaves one open, each line read on its own by the
/// lexer's rules. When a quote is left open, the quotes after it pair up
/// wrongly, and the first line out of balance is almost always where the
/// mistake is.
pub fn likely_open_quote(text: &str) -> Option<usize> {
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(quote) = lexer::open_quote(line) {
            return Some(line_start + quote);
        }
        line_start += line.len();
    }
    None
}

/// The quote left open at the end of typed input, if any (the REPL says
/// where it is): its 1-based line and column.
pub fn open_quote_at(text: &str) -> Option<(usize, usize)> {
    match split(text).last()?.open? {
        Open::Quote(at) => Some(line_col(text, likely_open_quote(text).unwrap_or(at))),
        Open::Paren(_) => None,
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Splits the arguments of a meta command on blanks. A quoted part is a
/// string as in statements (the lexer's rule, escapes and all), so
/// `"my file.jsonl"` is one argument; quoted and bare parts that touch
/// make one argument.
pub fn meta_args(text: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current: Option<String> = None;
    for token in Lexer::mid_line(text) {
        let part = &text[token.span];
        match token.kind {
            TokenKind::Blank => args.extend(current.take()),
            TokenKind::String { closed: true } => current.get_or_insert_with(String::new).push_str(&string_value(part)),
            // An open quote keeps the rest of the line, as typed.
            TokenKind::String { closed: false } => current.get_or_insert_with(String::new).push_str(&part[1..]),
            _ => current.get_or_insert_with(String::new).push_str(part),
        }
    }
    args.extend(current);
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(script: &str) -> Vec<String> {
        split(script).into_iter().map(|i| i.text).collect()
    }

    #[test]
    fn one_statement_per_line() {
        assert_eq!(
            texts("claims by Reuters\ncount claims\n\nsources\n"),
            ["claims by Reuters", "count claims", "sources"]
        );
    }

    #[test]
    fn semicolons_separate_and_may_trail() {
        assert_eq!(texts("claim 3; history of claim 3;;\nsources;"), ["claim 3", "history of claim 3", "sources"]);
    }

    #[test]
    fn semicolons_and_newlines_inside_quotes_do_not_split() {
        let items = split("add claim \"a; b\nc\" by \"x\" on 2024-11-09\nclaims");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].text, "add claim \"a; b\nc\" by \"x\" on 2024-11-09");
        assert_eq!(items[0].open, None);
        assert_eq!(items[1].text, "claims");
    }

    #[test]
    fn escaped_quote_stays_inside_the_string() {
        assert_eq!(
            texts("add claim \"say \\\"no\\\"; ok\" by x\nclaims"),
            ["add claim \"say \\\"no\\\"; ok\" by x", "claims"]
        );
    }

    #[test]
    fn open_parentheses_continue_the_statement() {
        assert_eq!(
            texts("claims where (status disputed\nor status denied)\nsources"),
            ["claims where (status disputed\nor status denied)", "sources"]
        );
    }

    #[test]
    fn continuation_lines_join_the_statement_before() {
        let script =
            "add claim \"x\"\n    by \"y\" via Reuters\n    about Qatar;\nclaims\nwith status disputed\nclaims by AFP";
        assert_eq!(
            texts(script),
            [
                "add claim \"x\"\n    by \"y\" via Reuters\n    about Qatar",
                "claims\nwith status disputed",
                "claims by AFP"
            ]
        );
    }

    #[test]
    fn comments_are_blanked_keeping_offsets() {
        let script = "-- header\nclaims by Reuters -- the wire\n# a note\ncount claims";
        let items = split(script);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].text, "claims by Reuters");
        assert_eq!(&script[items[0].offset..][..6], "claims");
        assert_eq!(items[1].text, "count claims");
        assert_eq!(line_col(script, items[1].offset), (4, 1));
    }

    #[test]
    fn comment_inside_a_multi_line_statement_is_blank() {
        let items = split("add claim \"x\" -- what was said\n  by \"y\";");
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].text, "add claim \"x\"                 \n  by \"y\"");
    }

    #[test]
    fn a_comment_may_follow_a_word_directly() {
        assert_eq!(texts("claims rated half-true--the wire\ncount claims"), ["claims rated half-true", "count claims"]);
    }

    #[test]
    fn blank_and_comment_lines_are_looked_through_once() {
        // Thousands of comment lines inside a statement: still one statement,
        // split in one pass.
        let script = format!("claims\n{}  with status disputed\nsources", "-- c\n\n".repeat(20_000));
        let items = split(&script);
        assert_eq!(items.len(), 2);
        assert!(items[0].text.ends_with("with status disputed"));
    }

    #[test]
    fn dashes_inside_quotes_are_not_comments() {
        assert_eq!(texts("claims mentioning \"a -- b\""), ["claims mentioning \"a -- b\""]);
    }

    #[test]
    fn hash_is_a_comment_only_at_line_start() {
        assert_eq!(texts("  # comment\nclaim #12\nhistory of claim #3 -- x"), ["claim #12", "history of claim #3"]);
    }

    #[test]
    fn meta_commands_take_their_line() {
        let items = split(".mode json\nclaims\n  .timer on;  -- why\n");
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].kind, ItemKind::Meta);
        assert_eq!(items[0].text, ".mode json");
        assert_eq!(items[1].kind, ItemKind::Statement);
        assert_eq!(items[2].kind, ItemKind::Meta);
        assert_eq!(items[2].text, ".timer on");
        assert_eq!(line_col(".mode json\nclaims\n  .timer on", items[2].offset), (3, 3));
    }

    #[test]
    fn a_meta_line_ends_a_statement_before_it() {
        assert_eq!(texts("claims\n.mode csv"), ["claims", ".mode csv"]);
    }

    #[test]
    fn unclosed_quote_and_paren_are_reported() {
        let items = split("claims\nadd claim \"never closed\nsources");
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].open, Some(Open::Quote(17)));
        let items = split("claims where (status disputed");
        assert_eq!(items[0].open, Some(Open::Paren(13)));
    }

    #[test]
    fn the_open_quote_is_found_for_the_repl() {
        assert_eq!(open_quote_at("claims by \"x"), Some((1, 11)));
        assert_eq!(open_quote_at("claims mentioning \"a\"\nabout \"b\nc"), Some((2, 7)));
        assert_eq!(open_quote_at("claims where (x"), None);
        assert_eq!(open_quote_at("claims"), None);
    }

    #[test]
    fn completeness_for_the_repl() {
        assert!(is_complete("claims by Reuters"));
        assert!(is_complete(""));
        assert!(!is_complete("add claim \"half"));
        assert!(is_complete("add claim \"half\nwhole\" by x"));
        assert!(!is_complete("claims where (status disputed"));
        assert!(is_complete("claims -- don't \"worry"));
        assert!(is_complete(".help \"x"));
    }

    #[test]
    fn line_and_column_count_characters() {
        let text = "é\nab\"c";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 5), (2, 3));
        assert_eq!(line_col(text, 99), (2, 5));
        assert_eq!(line_col("éx", 1), (1, 1));
    }

    #[test]
    fn empty_and_blank_input_has_no_items() {
        assert!(split("").is_empty());
        assert!(split("\n  \n-- only a comment\n# and another\n;;").is_empty());
    }

    #[test]
    fn multibyte_text_survives_comment_blanking() {
        let items = split("claims mentioning \"Doha\" -- «commentaire» é\nsources");
        assert_eq!(items[0].text, "claims mentioning \"Doha\"");
        assert_eq!(items[1].text, "sources");
    }

    #[test]
    fn meta_arguments_split_on_blanks_and_quotes() {
        assert_eq!(meta_args(".import \"my file.jsonl\" skip bad"), [".import", "my file.jsonl", "skip", "bad"]);
        assert_eq!(meta_args("  .mode   json "), [".mode", "json"]);
        assert_eq!(meta_args(".read \"\""), [".read", ""]);
    }

    proptest::proptest! {
        #[test]
        fn splitting_any_text_keeps_offsets_honest(
            text in "[a-z \"#;().\\\\\n\té€-]{0,80}"
        ) {
            for item in split(&text) {
                proptest::prop_assert!(text.is_char_boundary(item.offset));
                let end = item.offset + item.text.len();
                proptest::prop_assert!(end <= text.len());
                // Blanking only ever turns comment characters into spaces.
                for (a, b) in item.text.bytes().zip(text[item.offset..].bytes()) {
                    proptest::prop_assert!(a == b || a == b' ');
                }
            }
            let _ = is_complete(&text);
            let _ = meta_args(&text);
            let _ = line_col(&text, text.len() / 2);
        }
    }
}
