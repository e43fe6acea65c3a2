//! A proposal as an `add claim` statement of the query language (the
//! `--format cq` of `extract from`), for a user to edit and run with `-f`.

use super::proposal::Proposal;

/// A string literal of the language: `"…"` with `\"` and `\\` escaped and
/// line breaks written as spaces (claim texts are one line).
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(names: &[String]) -> String {
    names.iter().map(|n| quoted(n)).collect::<Vec<_>>().join(", ")
}

/// The proposal as `add claim "…" by "…" as [anonymous] KIND [of "…"] [via
/// "…", …] on DATE [about "…", …];`, with a comment line giving the cue,
/// the rule and where the content is in the article.
pub fn to_cq(p: &Proposal) -> String {
    let c = &p.claim;
    let r = &p.record;
    let mut out =
        format!("-- {} ({}, {}), characters {}..{}\n", r.cue, r.quote.name(), r.rule.name(), r.span.start, r.span.end);
    out.push_str(&format!("add claim {}\n    by {} as ", quoted(&c.text), quoted(&c.source.name)));
    if c.source.anonymous {
        out.push_str("anonymous ");
    }
    out.push_str(c.source.kind.name());
    if let Some(aff) = &c.source.affiliation {
        out.push_str(&format!(" of {}", quoted(aff)));
    }
    if !c.outlets.is_empty() {
        out.push_str(&format!(" via {}", list(&c.outlets)));
    }
    out.push_str(&format!(" on {}", c.date));
    if !c.topics.is_empty() {
        out.push_str(&format!("\n    about {}", list(&c.topics)));
    }
    out.push_str(";\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(quoted("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c d\"");
    }
}
