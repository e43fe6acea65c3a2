//! An article read into paragraphs, quotations, tokens and sentences.
//!
//! Paragraphs are separated by blank lines; a text without any blank line
//! has one paragraph per line (and a hard-wrapped text with blank lines
//! keeps its wrapped lines together). A sentence ends at `.`, `!` or `?`
//! outside quotation marks (or just before a closing mark) when the next
//! token starts a sentence; a quotation is never split, so a quote and its
//! attribution (`“A. B,” he said.`) are one sentence.

use super::quotes::{self, Quotation};
use super::tokens::{tokenize, Tok, Token};
use std::ops::Range;

/// A sentence: a range of the article's tokens.
#[derive(Clone, Debug)]
pub struct Sentence {
    /// Its tokens, as indices into [`Article::tokens`].
    pub tokens: Range<usize>,
    /// The paragraph it is in.
    pub paragraph: usize,
}

/// An article, segmented.
#[derive(Debug)]
pub struct Article<'a> {
    /// The whole text.
    pub text: &'a str,
    /// Paragraphs as byte ranges (trimmed).
    pub paragraphs: Vec<(usize, usize)>,
    /// Quotations, in text order.
    pub quotes: Vec<Quotation>,
    /// Every token.
    pub tokens: Vec<Token>,
    /// For each token, the quotation it is inside (marks are not inside).
    pub inside: Vec<Option<usize>>,
    /// Sentences, in text order.
    pub sentences: Vec<Sentence>,
    /// Each token folded for matching (see [`super::rules::fold`]).
    pub folded: Vec<String>,
    /// Short names the text introduces in brackets ("the Confederation of
    /// African Football (CAF)").
    pub short_names: Vec<super::names::ShortName>,
    /// Whether each token opens a quotation.
    opens: Vec<bool>,
    /// Whether each token starts a sentence.
    starts: Vec<bool>,
}

/// Whether a word reads as a short name (an acronym like `CAF`, `PiS`,
/// `U.N.`): two to eight letters, at least two of them capitals, starting
/// with one.
pub fn short_name(w: &str) -> bool {
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = w.chars().filter(|c| c.is_uppercase()).count();
    w.chars().next().is_some_and(char::is_uppercase)
        && (2..=8).contains(&letters)
        && capitals >= 2
        && w.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '&' | '-'))
}

fn paragraphs(text: &str) -> Vec<(usize, usize)> {
    let blank_lines =
        text.lines().any(|l| l.trim().is_empty()) && text.lines().filter(|l| !l.trim().is_empty()).count() > 1;
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_end = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let line_start = offset;
        offset += line.len();
        if content.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push((s, last_end));
            }
            continue;
        }
        let lead = content.len() - content.trim_start().len();
        let trail_end = line_start + content.trim_end().len();
        match start {
            Some(_) if blank_lines => {}
            Some(s) => {
                out.push((s, last_end));
                start = Some(line_start + lead);
            }
            None => start = Some(line_start + lead),
        }
        last_end = trail_end;
    }
    if let Some(s) = start {
        out.push((s, last_end));
    }
    out
}

impl<'a> Article<'a> {
    /// Segments `text`.
    pub fn new(text: &'a str) -> Article<'a> {
        let paragraphs = paragraphs(text);
        let quotes = quotes::find(text, &paragraphs);
        let mut tokens = Vec::new();
        let mut sentences = Vec::new();
        let mut inside = Vec::new();
        let mut marks: Vec<usize> = quotes.iter().flat_map(|q| q.marks.iter().copied()).collect();
        marks.sort_unstable();
        let mut q = 0;
        for (p, &(from, to)) in paragraphs.iter().enumerate() {
            let first = tokens.len();
            for mut t in tokenize(text, from, to) {
                if marks.binary_search(&t.start).is_ok() {
                    t.kind = Tok::Quote;
                }
                while q < quotes.len() && quotes[q].end < t.end {
                    q += 1;
                }
                let within =
                    quotes.get(q).is_some_and(|r| r.start <= t.start && t.end <= r.end) && t.kind != Tok::Quote;
                inside.push(if within { Some(q) } else { None });
                tokens.push(t);
            }
            split_sentences(text, &tokens, &inside, first, p, &mut sentences);
        }
        let folded = tokens.iter().map(|t| super::rules::fold(t.text(text))).collect();
        let firsts: Vec<usize> = quotes.iter().filter_map(|q| q.marks.first().copied()).collect();
        let opens = tokens.iter().map(|t| t.kind == Tok::Quote && firsts.binary_search(&t.start).is_ok()).collect();
        let mut starts = vec![false; tokens.len()];
        for s in &sentences {
            if let Some(first) = starts.get_mut(s.tokens.start) {
                *first = true;
            }
        }
        let short_names = super::names::short_names(text, &tokens);
        Article { text, paragraphs, quotes, tokens, inside, sentences, folded, short_names, opens, starts }
    }

    /// Whether token `i` starts a sentence.
    pub fn starts_sentence(&self, i: usize) -> bool {
        self.starts.get(i).copied().unwrap_or(false)
    }

    /// The text of token `i`.
    pub fn word(&self, i: usize) -> &'a str {
        self.tokens[i].text(self.text)
    }

    /// Whether token `i` is a quotation mark that opens a quotation.
    pub fn opens_quote(&self, i: usize) -> bool {
        self.opens.get(i).copied().unwrap_or(false)
    }
}

fn starts_sentence(text: &str, t: &Token) -> bool {
    match t.kind {
        Tok::Word => t.text(text).chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()),
        Tok::Quote | Tok::Open | Tok::Dash => true,
        _ => false,
    }
}

/// The number of tokens of a dateline at the start of a paragraph: words
/// in capitals (a city), dates and commas, `(OUTLET)`, a dash.
fn dateline_end(text: &str, tokens: &[Token]) -> Option<usize> {
    let open = tokens.iter().take(16).position(|t| t.kind == Tok::Open)?;
    let close = open + tokens[open..].iter().take(6).position(|t| t.kind == Tok::Close)?;
    if tokens.get(close + 1)?.kind != Tok::Dash || open == 0 {
        return None;
    }
    let first = tokens[0].text(text);
    if first.chars().any(char::is_lowercase) {
        return None;
    }
    let plain = tokens[..open].iter().all(|t| {
        let w = t.text(text);
        t.kind != Tok::Word || w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    });
    plain.then_some(close + 2)
}

fn split_sentences(
    text: &str,
    tokens: &[Token],
    inside: &[Option<usize>],
    first: usize,
    paragraph: usize,
    out: &mut Vec<Sentence>,
) {
    let end = tokens.len();
    let mut start = first;
    // A dateline ("GENEVA, Nov 12 (Reuters) -") is a sentence of its own.
    if let Some(after) = dateline_end(text, &tokens[first..end]) {
        out.push(Sentence { tokens: first..first + after, paragraph });
        start = first + after;
    }
    let mut i = start;
    while i < end {
        if tokens[i].kind == Tok::Stop {
            // Past closing marks and brackets that belong to this sentence.
            let mut j = i + 1;
            let in_quote = inside[i].is_some();
            if in_quote && !(j < end && tokens[j].kind == Tok::Quote) {
                i += 1;
                continue;
            }
            // A mark right after a stop inside a quotation closes it; after a
            // stop outside, a mark opens the next sentence.
            while j < end && (tokens[j].kind == Tok::Close || (tokens[j].kind == Tok::Quote && j == i + 1 && in_quote))
            {
                j += 1;
            }
            if j >= end || starts_sentence(text, &tokens[j]) {
                out.push(Sentence { tokens: start..j, paragraph });
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    if start < end {
        out.push(Sentence { tokens: start..end, paragraph });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<String> {
        let a = Article::new(text);
        a.sentences
            .iter()
            .map(|s| text[a.tokens[s.tokens.start].start..a.tokens[s.tokens.end - 1].end].to_string())
            .collect()
    }

    #[test]
    fn quotes_are_not_split_and_abbreviations_do_not_end_sentences() {
        let t = "“We are close. Very close,” Dr. Ansari said. U.S. officials agreed. “Next.” Then more.";
        assert_eq!(
            sentences(t),
            vec!["“We are close. Very close,” Dr. Ansari said.", "U.S. officials agreed.", "“Next.”", "Then more."]
        );
    }

    #[test]
    fn paragraphs_by_blank_lines_or_by_lines() {
        assert_eq!(paragraphs("a b\nc\n\nd\n").len(), 2);
        assert_eq!(paragraphs("a b\nc\nd\n").len(), 3);
        assert_eq!(paragraphs("  one  \r\n\r\n two").len(), 2);
    }
}
