//! The lexer: statement text cut into spans (blanks, comments, words,
//! strings, parentheses, semicolons and other symbols). It is the one
//! place that knows where a word, a string or a comment begins and ends:
//! the parser skips blanks and reads words with it, and the shell uses it
//! to split scripts into statements, to find an open quote, and to
//! complete and colour what is typed.
//!
//! The rules:
//!
//! * A **string** is `"…"`; a backslash escapes the character after it. A
//!   string left open runs to the end of the text (and says so).
//! * A **comment** is `--` to the end of the line, anywhere outside a
//!   string (also right after a word: `half-true--x` is the word
//!   `half-true` and a comment), or `#` to the end of the line when it is
//!   the first thing on its line; elsewhere `#` starts a claim id (`#12`).
//! * A **word** starts with a letter, digit, `_`, `-`, `.`, `&`, `/`, `+`,
//!   `@`, `*` or `#` and goes on over letters, digits and
//!   `_ - . ' & / + @ * ’` (names like `O'Brien`, `half-true`, dates,
//!   `source.kind`, prefixes like `negotiat*`).
//! * **Blanks** are whitespace; everything else is a one-character symbol,
//!   with `(`, `)` and `;` told apart because statements nest and end on
//!   them.
//!
//! Every span covers whole characters, and the spans of a text cover it
//! exactly, in order, so consumers can rebuild it or blank parts of it.
//! Lexing is one pass: linear in the text, with no backtracking.

use std::ops::Range;

/// What a span of text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Whitespace (newlines included).
    Blank,
    /// A comment, without the newline that ends it.
    Comment,
    /// A bare word.
    Word,
    /// A quoted string, quotes included.
    String {
        /// Whether the closing quote is there.
        closed: bool,
    },
    /// `(`.
    Open,
    /// `)`.
    Close,
    /// `;`, which ends a statement.
    Semicolon,
    /// Any other character: `,`, `=`, `<`, `!`…
    Symbol,
}

/// One span of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Its byte range in the text.
    pub span: Range<usize>,
}

/// Whether `c` may go on a bare word.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\'' | '&' | '/' | '+' | '@' | '*' | '’')
}

/// Whether `c` may start a bare word (apostrophes may not: they are part
/// of names, not quotes; `#` starts a claim id).
pub fn is_word_start(c: char) -> bool {
    (is_word_char(c) && c != '\'' && c != '’') || c == '#'
}

/// The length in bytes of the word at the start of `text` (0 if none).
/// A word stops before `--`, which starts a comment.
pub fn word_len(text: &str) -> usize {
    let mut chars = text.char_indices().peekable();
    match chars.peek() {
        Some(&(_, c)) if is_word_start(c) && !text.starts_with("--") => {}
        _ => return 0,
    }
    let mut end = 0;
    while let Some((i, c)) = chars.next() {
        let comment = c == '-' && matches!(chars.peek(), Some((_, '-')));
        let part_of_word = if i == 0 { is_word_start(c) } else { is_word_char(c) };
        if comment || !part_of_word {
            return i;
        }
        end = i + c.len_utf8();
    }
    end
}

/// The length in bytes of the string at the start of `text` (which starts
/// with `"`), and whether it is closed.
pub fn string_len(text: &str) -> (usize, bool) {
    let mut chars = text.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            // A backslash at the very end escapes nothing: still open.
            '\\' if chars.next().is_none() => break,
            '"' => return (i + 1, true),
            _ => {}
        }
    }
    (text.len(), false)
}

/// The value of a closed string token (quotes included): the text between
/// the quotes with `\"`, `\\`, `\n` and `\t` escapes read (a backslash
/// before any other character stands for that character).
pub fn string_value(token: &str) -> String {
    let inner = token.strip_prefix('"').unwrap_or(token);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            },
            c => out.push(c),
        }
    }
    out
}

/// Cuts text into [`Token`]s.
#[derive(Clone, Debug)]
pub struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    /// Only blanks since the last newline (or the start): `#` is a comment.
    line_start: bool,
}

impl<'a> Lexer<'a> {
    /// A lexer over `text`, which starts a line.
    pub fn new(text: &'a str) -> Lexer<'a> {
        Lexer { text, pos: 0, line_start: true }
    }

    /// A lexer over `text` that starts in the middle of a line (so a `#`
    /// at its start is an id, not a comment).
    pub fn mid_line(text: &'a str) -> Lexer<'a> {
        Lexer { text, pos: 0, line_start: false }
    }

    /// A lexer over `text` that goes on from byte `offset` (a character
    /// boundary, e.g. the newline after a line another reader took), in
    /// the middle of a line.
    pub fn resume(text: &'a str, offset: usize) -> Lexer<'a> {
        Lexer { text, pos: offset.min(text.len()), line_start: false }
    }

    /// The byte offset of the next token.
    pub fn offset(&self) -> usize {
        self.pos
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let rest = &self.text[self.pos..];
        let c = rest.chars().next()?;
        let (kind, len) = if c.is_whitespace() {
            let len = rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len());
            (TokenKind::Blank, len)
        } else if rest.starts_with("--") || (c == '#' && self.line_start) {
            (TokenKind::Comment, rest.find('\n').unwrap_or(rest.len()))
        } else if c == '"' {
            let (len, closed) = string_len(rest);
            (TokenKind::String { closed }, len)
        } else if is_word_start(c) {
            (TokenKind::Word, word_len(rest).max(c.len_utf8()))
        } else {
            let kind = match c {
                '(' => TokenKind::Open,
                ')' => TokenKind::Close,
                ';' => TokenKind::Semicolon,
                _ => TokenKind::Symbol,
            };
            (kind, c.len_utf8())
        };
        let span = self.pos..self.pos + len;
        self.line_start = match kind {
            TokenKind::Blank => self.line_start || rest[..len].contains('\n'),
            // A comment runs to the newline, which the next blank holds.
            TokenKind::Comment => self.line_start,
            _ => false,
        };
        self.pos += len;
        Some(Token { kind, span })
    }
}

/// `text` without the blanks and comments at its start. `line_start` says
/// whether `text` starts a line (then a `#` there is a comment).
pub fn skip_blanks(text: &str, line_start: bool) -> &str {
    let mut lexer = if line_start { Lexer::new(text) } else { Lexer::mid_line(text) };
    loop {
        let at = lexer.offset();
        match lexer.next() {
            Some(Token { kind: TokenKind::Blank | TokenKind::Comment, .. }) => {}
            _ => return &text[at..],
        }
    }
}

/// Where a string is left open at the end of `text`: the offset of its
/// opening quote.
pub fn open_quote(text: &str) -> Option<usize> {
    Lexer::new(text).find(|t| t.kind == TokenKind::String { closed: false }).map(|t| t.span.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        Lexer::new(text).map(|t| (t.kind, &text[t.span])).collect()
    }

    #[test]
    fn every_kind_of_span() {
        use TokenKind::*;
        assert_eq!(
            kinds("claims by \"US officials\" (x); -- why\n# note\nclaim #12, a=b"),
            [
                (Word, "claims"),
                (Blank, " "),
                (Word, "by"),
                (Blank, " "),
                (String { closed: true }, "\"US officials\""),
                (Blank, " "),
                (Open, "("),
                (Word, "x"),
                (Close, ")"),
                (Semicolon, ";"),
                (Blank, " "),
                (Comment, "-- why"),
                (Blank, "\n"),
                (Comment, "# note"),
                (Blank, "\n"),
                (Word, "claim"),
                (Blank, " "),
                (Word, "#12"),
                (Symbol, ","),
                (Blank, " "),
                (Word, "a"),
                (Symbol, "="),
                (Word, "b"),
            ]
        );
    }

    #[test]
    fn words_follow_one_rule() {
        for word in ["O'Brien", "half-true", "2024-11-09", "source.kind", "negotiat*", "AT&T", "’s-x", "#3"] {
            let first = Lexer::mid_line(word).next().unwrap();
            let expected = if word.starts_with('’') { TokenKind::Symbol } else { TokenKind::Word };
            assert_eq!(first.kind, expected, "{word}");
        }
        assert_eq!(word_len("half-true--comment"), "half-true".len());
        assert_eq!(word_len("'quoted"), 0);
        assert_eq!(word_len("--x"), 0);
        assert_eq!(word_len("é-b c"), "é-b".len());
    }

    #[test]
    fn strings_escape_and_may_stay_open() {
        assert_eq!(string_len(r#""a \"b\" c" rest"#), (11, true));
        assert_eq!(string_len("\"open"), (5, false));
        assert_eq!(string_len("\"trailing \\"), (11, false));
        assert_eq!(open_quote("claims by \"x\" mentioning \"y"), Some(25));
        assert_eq!(open_quote("claims -- don't \"worry"), None);
        assert_eq!(open_quote("claims\n# say \"hi\nby \"x\""), None);
    }

    #[test]
    fn string_values_read_escapes() {
        assert_eq!(string_value(r#""a \"b\" \\ \n c""#), "a \"b\" \\ \n c");
        assert_eq!(string_value("\"\""), "");
    }

    #[test]
    fn hash_is_a_comment_only_at_a_line_start() {
        assert_eq!(skip_blanks("  # c\n  claims", true), "claims");
        assert_eq!(skip_blanks("#12", false), "#12");
        assert_eq!(skip_blanks(" -- c\n #x\n#y", false), "");
        assert_eq!(skip_blanks(" #x", false), "#x");
    }

    proptest::proptest! {
        #[test]
        fn spans_cover_the_text_in_order(text in "[a-z \"#;(),\\\\\n\t*'’é€0-9-]{0,80}") {
            let mut at = 0;
            for token in Lexer::new(&text) {
                proptest::prop_assert_eq!(token.span.start, at);
                proptest::prop_assert!(token.span.end > at);
                proptest::prop_assert!(text.is_char_boundary(token.span.end));
                at = token.span.end;
            }
            proptest::prop_assert_eq!(at, text.len());
        }
    }
}
