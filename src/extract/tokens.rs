//! Words and punctuation with their byte positions. The rules look at
//! tokens, never at raw characters, so that "U.S." is one word, "Ukraine's"
//! is the word "Ukraine" and a possessive, and a quotation mark is told
//! apart from an apostrophe (by the quote pass, see [`super::quotes`]).

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    /// A word or number: letters and digits with inner `.'’-`, `+` after a
    /// capital (OPEC+), a trailing `%`, and the dot of a known abbreviation.
    Word,
    /// `'s` or `’s`, or a lone apostrophe after a plural (Hamas’).
    Possessive,
    /// `,`
    Comma,
    /// `.`, `!`, `?` or `…`.
    Stop,
    /// `:`
    Colon,
    /// `;`
    Semicolon,
    /// A dash between words: `-` or `–` or `—` standing alone.
    Dash,
    /// `(` or `[`.
    Open,
    /// `)` or `]`.
    Close,
    /// A quotation mark (set by the quote pass).
    Quote,
    /// Anything else (`$`, `&`, `/`, …).
    Other,
}

/// A token: its kind and byte range in the article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: Tok,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
}

impl Token {
    /// The token's text.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// Abbreviations whose dot does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Capt", "Sgt", "Maj", "Adm", "Rep", "Sen", "Gov", "St", "Jr",
    "Sr", "Inc", "Corp", "Ltd", "Co", "No", "vs", "etc", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec", "Mt", "Ft", "approx", "Coun", "Supt", "Insp", "Det", "Cpl", "Hon", "Atty", "Ald",
];

/// Whether a word followed by a dot keeps the dot as part of itself.
fn keeps_dot(word: &str) -> bool {
    ABBREVIATIONS.contains(&word)
        || (word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase()))
        || (word.contains('.') && word.chars().filter(|c| c.is_alphabetic()).count() <= 4)
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Splits `text[range]` into tokens (positions are offsets in `text`).
/// Quotation marks come out as [`Tok::Other`] or [`Tok::Possessive`]; the
/// quote pass marks the real ones.
pub fn tokenize(text: &str, from: usize, to: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text[from..to].char_indices().map(|(i, c)| (i + from, c)).collect();
    let next_byte = |k: usize| chars.get(k).map_or(to, |&(i, _)| i);
    let mut k = 0;
    while k < chars.len() {
        let (at, c) = chars[k];
        if c.is_whitespace() {
            k += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let mut j = k + 1;
            while j < chars.len() {
                let (_, d) = chars[j];
                let next_alnum = chars.get(j + 1).is_some_and(|&(_, e)| e.is_alphanumeric());
                if d.is_alphanumeric()
                    || (matches!(d, '.' | '-' | '\'' | '’' | '‑') && next_alnum)
                    || (d == '+' && chars[j - 1].1.is_uppercase())
                {
                    j += 1;
                } else if d == '%' {
                    j += 1;
                    break;
                } else {
                    break;
                }
            }
            let mut end = next_byte(j);
            let word = &text[at..end];
            // A possessive 's is a token of its own: "Ukraine's" is Ukraine + 's.
            let lower_end = word.to_lowercase();
            if word.chars().count() > 2 && (lower_end.ends_with("'s") || lower_end.ends_with("’s")) {
                let cut = word.char_indices().rev().nth(1).map_or(0, |(i, _)| i);
                out.push(Token { kind: Tok::Word, start: at, end: at + cut });
                out.push(Token { kind: Tok::Possessive, start: at + cut, end });
                k = j;
                continue;
            }
            if chars.get(j).is_some_and(|&(_, d)| d == '.') && keeps_dot(word) {
                j += 1;
                end = next_byte(j);
            }
            out.push(Token { kind: Tok::Word, start: at, end });
            k = j;
            continue;
        }
        let end = next_byte(k + 1);
        let kind = match c {
            ',' => Tok::Comma,
            '.' | '!' | '?' | '…' => Tok::Stop,
            ':' => Tok::Colon,
            ';' => Tok::Semicolon,
            '-' | '–' | '—' | '‑' => Tok::Dash,
            '(' | '[' => Tok::Open,
            ')' | ']' => Tok::Close,
            c if is_apostrophe(c) && out.last().is_some_and(|t: &Token| t.end == at && t.kind == Tok::Word) => {
                let prev = &text[out.last().map_or(at, |t| t.start)..at];
                if prev.ends_with('s') || prev.ends_with('S') {
                    Tok::Possessive
                } else {
                    Tok::Other
                }
            }
            _ => Tok::Other,
        };
        out.push(Token { kind, start: at, end });
        k += 1;
    }
    out
}

/// The words of a text, lower-cased, for matching names: punctuation other
/// than a possessive is dropped.
pub fn words_lower(text: &str) -> Vec<String> {
    tokenize(text, 0, text.len())
        .iter()
        .filter(|t| matches!(t.kind, Tok::Word | Tok::Possessive | Tok::Other))
        .map(|t| t.text(text).to_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> Vec<String> {
        tokenize(text, 0, text.len()).iter().map(|t| format!("{:?}:{}", t.kind, t.text(text))).collect()
    }

    #[test]
    fn words_abbreviations_and_possessives() {
        assert_eq!(
            show("U.S. officials' view, Ukraine's OPEC+ 20% Dr. Solberg said."),
            vec![
                "Word:U.S.",
                "Word:officials",
                "Possessive:'",
                "Word:view",
                "Comma:,",
                "Word:Ukraine",
                "Possessive:'s",
                "Word:OPEC+",
                "Word:20%",
                "Word:Dr.",
                "Word:Solberg",
                "Word:said",
                "Stop:."
            ]
        );
    }

    #[test]
    fn inner_apostrophes_and_hyphens_stay_in_the_word() {
        assert_eq!(show("al-Ansari N'Djamena don’t"), vec!["Word:al-Ansari", "Word:N'Djamena", "Word:don’t"]);
    }
}
