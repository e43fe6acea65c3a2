//! Every example in grammar/claimdb.ebnf parses, so the grammar and the
//! parser cannot drift apart.

use claimdb::query::parser::parse;

#[test]
fn every_grammar_example_parses() {
    let grammar = include_str!("../grammar/claimdb.ebnf");
    let examples: Vec<&str> = grammar
        .lines()
        .filter_map(|line| line.trim().strip_prefix("(* example:"))
        .map(|rest| rest.trim().trim_end_matches("*)").trim())
        .collect();
    assert!(examples.len() > 60, "found only {} examples", examples.len());
    let mut failures = Vec::new();
    for example in &examples {
        if let Err(e) = parse(example) {
            failures.push(e.render("grammar", example, 1));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
