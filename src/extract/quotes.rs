//! Finding quotations: curly (“…”), straight ("…"), low (`„…“`), guillemets
//! («…») and single curly quotes (‘…’) alike, including a quote that goes on
//! over several paragraphs (wire style: each paragraph of it opens with a
//! quotation mark, and only the last one closes).

/// A quotation: where its marks are and what it encloses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quotation {
    /// Byte offset of the opening mark.
    pub open: usize,
    /// Byte offset of the first byte inside.
    pub start: usize,
    /// Byte offset just past the last byte inside (the closing mark, or the
    /// end of the paragraph when it is never closed).
    pub end: usize,
    /// Whether a closing mark was found.
    pub closed: bool,
    /// Byte offsets of every mark that belongs to it (opening, the
    /// re-opening marks of continued paragraphs, closing).
    pub marks: Vec<usize>,
}

fn opens_double(c: char) -> bool {
    matches!(c, '“' | '„' | '«' | '"')
}

/// Whether `c` closes a quotation opened with `open`: a curly one closes
/// with a curly mark (a straight mark inside is a nested quote), a straight
/// one with a straight mark.
fn closes_double(open: char, c: char) -> bool {
    if open == '"' {
        c == '"'
    } else {
        matches!(c, '”' | '»' | '“')
    }
}

/// Finds the quotations of a text split into paragraphs (byte ranges).
pub fn find(text: &str, paragraphs: &[(usize, usize)]) -> Vec<Quotation> {
    let mut out: Vec<Quotation> = Vec::new();
    // The quotation still open, and whether it is a single-quote one.
    let mut open: Option<(Quotation, bool)> = None;
    // For one opened with a straight single mark ('…'), the first mark that
    // could close it, taken when none closes it for sure before the end of
    // the paragraph ("'any mechanism that works' to stop …" against
    // "farmers' representatives").
    let mut maybe_close: Option<usize> = None;
    for (p, &(from, to)) in paragraphs.iter().enumerate() {
        let para = &text[from..to];
        let chars: Vec<(usize, char)> = para.char_indices().map(|(i, c)| (i + from, c)).collect();
        for (k, &(at, c)) in chars.iter().enumerate() {
            let prev = if k == 0 { None } else { Some(chars[k - 1].1) };
            let next = chars.get(k + 1).map(|&(_, c)| c);
            let after = at + c.len_utf8();
            match &mut open {
                Some((q, single)) => {
                    // The re-opening mark of a continued paragraph.
                    if k == 0 && q.open < from && !*single && opens_double(c) {
                        q.marks.push(at);
                        continue;
                    }
                    let straight = text[q.open..].starts_with('\'');
                    // "'…works' to stop it. 'Our …": a straight mark that
                    // opens a new quotation closes the one before where it
                    // could.
                    let reopens = *single
                        && straight
                        && c == '\''
                        && prev.is_none_or(char::is_whitespace)
                        && next.is_some_and(char::is_alphabetic);
                    if let (true, Some(close_at)) = (reopens, maybe_close) {
                        q.end = close_at;
                        q.closed = true;
                        q.marks.push(close_at);
                        if let Some((q, _)) = open.take() {
                            out.push(q);
                        }
                        open =
                            Some((Quotation { open: at, start: after, end: to, closed: false, marks: vec![at] }, true));
                        maybe_close = None;
                        continue;
                    }
                    let closes = if *single && straight {
                        let candidate = c == '\''
                            && !next.is_some_and(char::is_alphanumeric)
                            && !prev.is_some_and(char::is_whitespace);
                        let sure = candidate
                            && (prev.is_some_and(|p| matches!(p, ',' | '.' | '!' | '?' | '…'))
                                || next.is_none_or(|n| matches!(n, ',' | '.' | ';' | ':' | ')' | '!' | '?')));
                        if candidate && !sure && maybe_close.is_none() {
                            maybe_close = Some(at);
                        }
                        sure
                    } else if *single {
                        c == '’' && !next.is_some_and(char::is_alphanumeric) && !prev.is_some_and(char::is_whitespace)
                    } else {
                        // A curly opening mark inside an open quote is a
                        // typo for the closing one only when a word ends there.
                        let open = text[q.open..].chars().next().unwrap_or('"');
                        closes_double(open, c) && (c != '“' || prev.is_some_and(|p| !p.is_whitespace()))
                    };
                    if closes {
                        q.end = at;
                        q.closed = true;
                        q.marks.push(at);
                        if let Some((q, _)) = open.take() {
                            out.push(q);
                        }
                    }
                }
                None => {
                    let after_space =
                        prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '—' | '–' | '-' | '“' | '"'));
                    // A straight single mark opens before a letter ("'Our
                    // warehouses"), not a year ("the '90s").
                    let single = (c == '‘' && after_space)
                        || (c == '\'' && after_space && next.is_some_and(char::is_alphabetic));
                    maybe_close = None;
                    if single || (opens_double(c) && c != '"') || (c == '"' && !next.is_some_and(char::is_whitespace)) {
                        open = Some((
                            Quotation { open: at, start: after, end: to, closed: false, marks: vec![at] },
                            single,
                        ));
                    }
                }
            }
        }
        if let (Some((q, true)), Some(at)) = (&mut open, maybe_close) {
            q.end = at;
            q.closed = true;
            q.marks.push(at);
            if let Some((q, _)) = open.take() {
                out.push(q);
            }
        }
        maybe_close = None;
        if let Some((q, single)) = &mut open {
            q.end = to;
            let continues = !*single
                && paragraphs.get(p + 1).is_some_and(|&(f, t)| text[f..t].chars().next().is_some_and(opens_double));
            if !continues {
                if let Some((q, _)) = open.take() {
                    out.push(q);
                }
            }
        }
    }
    if let Some((q, _)) = open {
        out.push(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner(text: &str, paras: &[(usize, usize)]) -> Vec<String> {
        find(text, paras).iter().map(|q| text[q.start..q.end].to_string()).collect()
    }

    #[test]
    fn curly_straight_and_single() {
        let t = "“A b,” he said. \"C d\" and ‘e f’ but Hamas’ office.";
        assert_eq!(inner(t, &[(0, t.len())]), vec!["A b,", "C d", "e f"]);
    }

    #[test]
    fn straight_single_quotes_but_not_apostrophes() {
        let t = "Mr Wilk said 'any mechanism that works' to stop it. 'Our farmers' grain is here,' he said. The '90s.";
        assert_eq!(inner(t, &[(0, t.len())]), vec!["any mechanism that works", "Our farmers' grain is here,"]);
    }

    #[test]
    fn a_quote_continues_over_paragraphs() {
        let t = "\"One,\" she said. \"Two.\n\n\"Three.\"\n\nAfter.";
        let p1 = t.find("\n\n").unwrap();
        let p2 = t.rfind("\n\n").unwrap();
        let paras = [(0, p1), (p1 + 2, p2), (p2 + 2, t.len())];
        let qs = find(t, &paras);
        assert_eq!(qs.len(), 2);
        assert_eq!(&t[qs[1].start..qs[1].end], "Two.\n\n\"Three.");
        assert!(qs[1].closed);
        assert_eq!(qs[1].marks.len(), 3);
    }

    #[test]
    fn an_unclosed_quote_ends_with_its_paragraph() {
        let t = "“Never closed.\n\nNext paragraph.";
        let p = t.find("\n\n").unwrap();
        let qs = find(t, &[(0, p), (p + 2, t.len())]);
        assert_eq!(qs.len(), 1);
        assert!(!qs[0].closed);
        assert_eq!(&t[qs[0].start..qs[0].end], "Never closed.");
    }
}
