//! Random statements made of the words issue 14 added (`or` and `not` in
//! name clauses, the rating scale's statements, bare lists, names that
//! match nothing): the parser never panics and every error renders; run
//! against a database they never panic; and every statement a note
//! suggests is one that parses.

use claimdb::query::parser::parse;
use claimdb::query::{Context, Note};
use claimdb::Db;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use std::cell::RefCell;

const PIECES: &[&str] = &[
    "claims",
    "count",
    "claims",
    "via",
    "by",
    "about",
    "rated",
    "reported",
    "or",
    "or",
    "not",
    "and",
    "AFP",
    "Reuters",
    "Reuter",
    "\"US officals\"",
    "\"US officials\"",
    "outlet",
    "outlets",
    "per",
    "status",
    "rating",
    "scale",
    "set",
    "add",
    "remove",
    "to",
    "from",
    "as",
    "false",
    "false-ish",
    "true-ish",
    "mixed",
    "(",
    ")",
    ":",
    ";",
    ",",
    "politifact",
    "snopes",
    "any",
    "allowing",
    "others",
    "kinds",
    "topics",
    "ratings",
    "track",
    "record",
    "of",
    "sources",
    "ranked",
    "explain",
    "Qatar",
    "Qatr",
    "anonymous",
    "officials",
    "\"half-true\"",
    "\"\"",
    "banana",
    "claim",
    "1",
    "rate",
    "limit",
    "2",
    "with",
    "at",
    "least",
];

fn statement() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..14).prop_map(|p| p.join(" "))
}

/// A read statement built from name clauses, with names that exist, near
/// misses and names of other roles.
fn question() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec![
        "AFP",
        "Reuters",
        "Reuter",
        "Qatar",
        "Qatr",
        "Hamas",
        "\"US officials\"",
        "\"US officals\"",
        "outlet",
        "false",
        "\"half-true\"",
        "\"Half True\"",
        "mostly-false",
        "banana",
        "\"diplomatic official\"",
        "US",
    ]);
    let clause = (
        prop::sample::select(vec!["by", "via", "about", "rated", "reported by", "by anonymous officials of"]),
        any::<bool>(),
        prop::collection::vec(name, 1..3),
    )
        .prop_map(|(keyword, not, names)| {
            let not = if not && !keyword.ends_with("of") { "not " } else { "" };
            let names = if keyword.ends_with("of") { names[..1].join("") } else { names.join(" or ") };
            format!("{keyword} {not}{names}")
        });
    let head = prop::sample::select(vec!["claims", "count claims", "explain claims", "export claims"]);
    let tail = prop::sample::select(vec!["", "after 2024-11-01", "per status", "limit 1"]);
    (head, prop::collection::vec(clause, 1..3), tail).prop_map(|(head, clauses, tail)| {
        let tail = if tail == "per status" && head != "count claims" { "" } else { tail };
        let end = if head == "export claims" { " to \"/nonexistent/x.jsonl\"" } else { "" };
        format!("{head} {} {tail}{end}", clauses.join(" "))
    })
}

fn sample_db() -> Db {
    let db = Db::temporary().unwrap();
    for s in [
        "add claim \"Qatar will stop mediating\" by \"diplomatic official\" as anonymous official of Qatar via Reuters on 2024-11-09 about Qatar rated false",
        "add claim \"The Hamas office no longer serves its purpose\" by \"US officials\" as anonymous official of US via Reuters, AFP on 2024-11-09 about Hamas",
        "add claim \"Hamas has not been asked to leave\" by \"senior Hamas official\" as anonymous source via AFP on 2024-11-09 rated \"half-true\"",
    ] {
        db.execute(s).unwrap();
    }
    db
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn random_statements_parse_or_fail_with_a_rendered_error(text in statement()) {
        if let Err(e) = parse(&text) {
            let rendered = e.render("prop", &text, 1);
            prop_assert!(!rendered.is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn random_statements_run_and_every_suggestion_parses(text in prop_oneof![statement(), question()]) {
        thread_local!(static DB: Db = sample_db());
        DB.with(|db| {
            let notes: RefCell<Vec<Note>> = RefCell::new(Vec::new());
            let keep = |n: Note| notes.borrow_mut().push(n);
            let context = Context { notes: &keep, ..Context::default() };
            // Writes may run too (rate, set rating scale, add rating …):
            // whatever they do, nothing panics and the database stays whole.
            let _ = db.execute_with(&text, &context);
            for note in notes.take() {
                for suggestion in note.try_instead(&text) {
                    if let Err(e) = parse(&suggestion) {
                        panic!("{text}\nsuggested {suggestion}\n{}", e.render("suggestion", &suggestion, 1));
                    }
                }
            }
        });
    }
}

#[test]
fn the_database_stays_whole_after_the_random_statements() {
    let db = sample_db();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut suggested = 0;
    let mut ran = 0;
    for i in 0..2000 {
        let text = if i % 2 == 0 {
            statement().new_tree(&mut runner).unwrap().current()
        } else {
            question().new_tree(&mut runner).unwrap().current()
        };
        let notes: RefCell<Vec<Note>> = RefCell::new(Vec::new());
        let keep = |n: Note| notes.borrow_mut().push(n);
        if db.execute_with(&text, &Context { notes: &keep, ..Context::default() }).is_ok() {
            ran += 1;
        }
        for note in notes.take() {
            for suggestion in note.try_instead(&text) {
                assert!(parse(&suggestion).is_ok(), "{text}: suggested {suggestion}");
                suggested += 1;
            }
        }
    }
    // The random statements reach the parts under test.
    assert!(ran > 20 && suggested > 5, "{ran} ran, {suggested} suggestions");
    let report = db.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert!(db.rating_scale().unwrap().validate().is_ok());
}
