//! The language consistent with itself, through the real binary on the
//! demo (issue 14): what queries accept, writes accept (`as anonymous
//! source`); `or` and `not` in every name clause, not only `with status`;
//! bare `kinds`, `affiliations`, `outlets`, `topics` list like `sources`;
//! giving a claim what it has is a no-op that says so; an empty rating says
//! what is wrong.

mod common;

use common::{Dir, Run};

/// Runs statements on one temporary copy of the demo; each `-c` is one
/// statement.
fn demo(statements: &[&str]) -> Run {
    let dir = Dir::new();
    let mut cmd = dir.cmd();
    cmd.arg("--demo").env("CLAIMDB_NOW", "2024-11-20T12:00:00Z");
    for s in statements {
        cmd.args(["-c", s]);
    }
    Run::from(cmd.output().expect("run claimdb"))
}

/// The ids a claims query prints in the `lines` format, in order.
fn ids(statement: &str) -> Vec<u64> {
    let run = demo(&[".mode lines", statement]);
    run.code(0);
    run.stdout.lines().filter_map(|l| l.strip_prefix('#')).filter_map(|l| l.split(' ').next()?.parse().ok()).collect()
}

fn count(statement: &str) -> u64 {
    let run = demo(&[statement]);
    run.code(0);
    run.stdout.trim().trim_end_matches(" claims").trim_end_matches(" claim").parse().expect(&run.stdout)
}

#[test]
fn name_clauses_take_or_and_not() {
    // These failed with "a name of several words needs quotes".
    let either = ids("claims via AFP or Reuters");
    let mut both: Vec<u64> = ids("claims via AFP").into_iter().chain(ids("claims via Reuters")).collect();
    both.sort();
    both.dedup();
    let mut sorted = either.clone();
    sorted.sort();
    assert_eq!(sorted, both);
    assert_eq!(ids("claims about Qatar or Hamas").len(), ids("claims where topic = Qatar or topic = Hamas").len());
    assert_eq!(count("count claims about not Qatar"), count("count claims") - count("count claims about Qatar"));
    assert_eq!(ids("claims by \"US officials\" or Qatar"), vec![4, 5, 6]);
    assert_eq!(
        count("count claims via not AFP or Reuters"),
        count("count claims") - count("count claims via AFP or Reuters")
    );
    // Answered by the index algebra, and explain shows it.
    let run = demo(&["explain claims via AFP or Reuters"]);
    assert!(run.stdout.contains("add outlet index: outlet=\"reuters\""), "{}", run.stdout);
    assert!(run.stdout.contains("exactly the claims asked for"), "{}", run.stdout);
    let run = demo(&["explain count claims about not Qatar"]);
    assert!(run.stdout.contains("take out topic index: topic=\"qatar\""), "{}", run.stdout);
    // `not` after `or` is ambiguous English: refused, saying what to write.
    let run = demo(&["claims via AFP or not Reuters"]);
    run.code(1);
    assert!(run.stderr.contains("'not' goes right after 'via'"), "{}", run.stderr);
}

#[test]
fn rated_takes_or_too() {
    // The demo rates claim 4 false already.
    let run = demo(&[
        "rate claim 1 false",
        "rate claim 2 \"pants-fire\"",
        "rate claim 3 \"half-true\"",
        "claims rated false or \"pants-fire\"",
        "count claims rated not false",
    ]);
    run.code(0);
    assert!(run.stdout.contains("(3 claims)\n"), "{}", run.stdout);
    assert!(run.stdout.ends_with("8 claims\n"), "unrated claims are not rated false: {}", run.stdout);
}

#[test]
fn bare_lists_list_with_their_claims() {
    for (list, per) in [("kinds", "kind"), ("affiliations", "affiliation"), ("outlets", "outlet"), ("topics", "topic")]
    {
        // These failed with "expected 'ranked'".
        let bare = demo(&[list]);
        bare.code(0);
        let counted = demo(&[&format!("count claims per {per}")]);
        assert_eq!(bare.stdout, counted.stdout, "{list}");
        assert!(bare.stdout.starts_with(per), "{list}: {}", bare.stdout);
    }
    let run = demo(&["outlets"]);
    assert!(run.stdout.contains("AFP          4\nReuters      3\nAP           2\n"), "{}", run.stdout);
    let run = demo(&["explain topics"]);
    assert!(run.stdout.contains("from the index block headers (no claim is loaded)"), "{}", run.stdout);
}

#[test]
fn a_write_accepts_the_sources_a_query_accepts() {
    let run = demo(&[
        "add claim \"Talks may resume in Cairo\" by \"a diplomat\" as anonymous source via AFP on 2024-11-10",
        ".mode lines",
        "claims by anonymous sources after 2024-11-09",
    ]);
    run.code(0);
    assert!(
        run.stdout.contains("#11 | 2024-11-10 | unverified | a diplomat (anon.) | AFP | Talks may resume in Cairo"),
        "{}",
        run.stdout
    );
    let run = demo(&["add claim \"x\" by y as anonymous sauce on 2024-11-10"]);
    run.code(1);
    assert!(run.stderr.contains("did you mean 'source'?"), "{}", run.stderr);
}

#[test]
fn giving_a_claim_what_it_has_changes_nothing_and_says_so() {
    let run = demo(&[
        "add topics Doha to claim 1",
        "add topics Doha to claim 1",
        "add topic doha, Gaza to claim 1",
        ".mode lines",
        "claim 1",
    ]);
    run.code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "claim #1: topic Doha added");
    assert_eq!(lines[1], "claim #1 already has topic Doha; nothing changed");
    assert_eq!(lines[2], "claim #1: topic Gaza added (it had Doha already)");
    assert!(!run.stdout.contains("already has that"), "{}", run.stdout);
    // Two edits recorded, not three; Doha once.
    assert_eq!(run.stdout.matches("  edit: 2024-11-20 topics: ").count(), 2, "{}", run.stdout);
    assert!(run.stdout.contains("  topics: Qatar, Hamas, Israel, Gaza ceasefire, Doha, Gaza\n"), "{}", run.stdout);
    let run = demo(&["rate claim 3 \"half-true\"", "rate claim 3 \"half-true\"", "clear rating of claim 1"]);
    run.code(0);
    assert!(run.stdout.contains("claim #3 is already rated half-true; nothing changed\n"), "{}", run.stdout);
    assert!(run.stdout.contains("claim #1 has no rating; nothing changed\n"), "{}", run.stdout);
}

#[test]
fn an_empty_rating_says_what_is_wrong() {
    let run = demo(&["rate claim 3 \"\""]);
    run.code(1);
    assert!(run.stderr.contains("error at line 1, column 14: a rating cannot be empty"), "{}", run.stderr);
    assert!(run.stderr.contains("clear rating of claim N removes a claim's rating"), "{}", run.stderr);
    assert!(!run.stderr.contains("already has that rating"), "{}", run.stderr);
}
