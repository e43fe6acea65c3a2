//! Dates as people write them in statements (issue 14): the forms the
//! importers read (`9 November 2024`, `Nov 1, 2024`, `November 2024`) and
//! ranges relative to the statement's today (`in the last 30 days`), through
//! the binary with `CLAIMDB_NOW` and through the library with
//! `Context::today`; and the messages for dates that cannot be.

mod common;

use claimdb::query::{Context, Output};
use claimdb::Db;
use common::{Dir, Run};

/// Claims dated across a few months, one per day given.
const DAYS: [&str; 6] = ["2024-08-15", "2024-10-31", "2024-11-01", "2024-11-09", "2024-11-20", "2024-12-02"];

fn seeded() -> Dir {
    let dir = Dir::new();
    let mut args = Vec::new();
    for (n, day) in DAYS.iter().enumerate() {
        args.push("-c".to_string());
        args.push(format!("add claim \"claim {n}\" by someone on {day}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    dir.run(&args).code(0);
    dir
}

/// Runs claimdb on the database with today fixed at 2024-11-20.
fn at_today(dir: &Dir, args: &[&str]) -> Run {
    let mut cmd = dir.cmd();
    cmd.env("CLAIMDB_NOW", "2024-11-20T12:00:00Z").arg(dir.db()).args(args);
    let run = Run::from(cmd.output().unwrap());
    run.code(0);
    run
}

/// The dates of the claims a statement selects, as the JSON output lists them.
fn dates(dir: &Dir, statement: &str) -> Vec<String> {
    let run = at_today(dir, &["--format", "json", "-c", statement]);
    let claims: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON output");
    claims.as_array().unwrap().iter().map(|c| c["date"].as_str().unwrap().to_string()).collect()
}

fn error(dir: &Dir, statement: &str) -> String {
    let run = dir.run(&["-c", statement]);
    run.code(1);
    run.stderr
}

#[test]
fn english_days_months_and_years_in_statements() {
    let dir = seeded();
    let cases: [(&str, &[&str]); 10] = [
        ("claims since 9 November 2024", &["2024-11-09", "2024-11-20", "2024-12-02"]),
        ("claims after Nov 1, 2024", &["2024-11-09", "2024-11-20", "2024-12-02"]),
        ("claims in November 2024", &["2024-11-01", "2024-11-09", "2024-11-20"]),
        ("claims in nov. 2024", &["2024-11-01", "2024-11-09", "2024-11-20"]),
        ("claims on 9th November 2024", &["2024-11-09"]),
        ("claims before November 2024", &["2024-08-15", "2024-10-31"]),
        ("claims after November 2024", &["2024-12-02"]),
        ("claims until October 31, 2024", &["2024-08-15", "2024-10-31"]),
        ("claims between 1 November 2024 and 2024/11/20", &["2024-11-01", "2024-11-09", "2024-11-20"]),
        ("claims between October 2024 and November 2024", &["2024-10-31", "2024-11-01", "2024-11-09", "2024-11-20"]),
    ];
    for (statement, want) in cases {
        assert_eq!(dates(&dir, statement), want, "{statement}");
    }
    // The ISO forms keep working, and `as of` and writes read English days too.
    assert_eq!(dates(&dir, "claims in 2024-11 after 2024-11-01"), ["2024-11-09", "2024-11-20"]);
    dir.run(&["-c", "add claim \"late\" by someone on December 3, 2024"]).code(0);
    assert_eq!(dates(&dir, "claims on 2024-12-03"), ["2024-12-03"]);
}

#[test]
fn relative_ranges_end_on_the_statements_today() {
    let dir = seeded();
    // CLAIMDB_NOW is 2024-11-20: the last 30 days are 2024-10-22 ..= 2024-11-20.
    assert_eq!(dates(&dir, "claims in the last 30 days"), ["2024-10-31", "2024-11-01", "2024-11-09", "2024-11-20"]);
    assert_eq!(dates(&dir, "claims in the last 12 days"), ["2024-11-09", "2024-11-20"]);
    assert_eq!(dates(&dir, "claims in the last day"), ["2024-11-20"]);
    assert_eq!(dates(&dir, "claims in the past 2 weeks"), ["2024-11-09", "2024-11-20"]);
    assert_eq!(
        dates(&dir, "claims in last 4 months"),
        ["2024-08-15", "2024-10-31", "2024-11-01", "2024-11-09", "2024-11-20"]
    );
    let run = at_today(&dir, &["-c", "count claims in the last year"]);
    assert!(run.stdout.contains("5 claims"), "{}", run.stdout);
    let run = at_today(&dir, &["-c", "explain claims in the last 30 days"]);
    assert!(run.stdout.contains("2024-10-22"), "explain shows the fixed days:\n{}", run.stdout);

    // Through the library, Context::today decides.
    let db = Db::temporary().unwrap();
    for day in DAYS {
        db.execute(&format!("add claim \"x\" by someone on {day}")).unwrap();
    }
    let today = claimdb::model::date::parse_iso("2024-11-02").unwrap();
    let context = Context { today, ..Context::default() };
    let Output::Claims(list) = db.execute_with("claims in the last 3 days", &context).unwrap() else { panic!() };
    let got: Vec<String> = list.iter().map(|c| c.date.to_string()).collect();
    assert_eq!(got, ["2024-10-31", "2024-11-01"]);
}

#[test]
fn impossible_and_unfinished_dates_are_explained() {
    let dir = seeded();
    let e = error(&dir, "claims after 2024-01-00");
    assert!(e.contains("2024-01-00 is not a date: there is no day 0"), "{e}");
    assert!(!e.contains("has 31 days"), "{e}");
    let e = error(&dir, "claims since 30 February 2024");
    assert!(e.contains("'30 February 2024' is not a date: February 2024 has 29 days"), "{e}");
    assert!(e.contains("^^^^^^^^^^^^^^^^"), "the caret covers the whole date:\n{e}");
    let e = error(&dir, "claims since 9 November");
    assert!(e.contains("expected a year after '9 November'"), "{e}");
    let e = error(&dir, "claims on November");
    assert!(e.contains("expected a day and a year after 'November'"), "{e}");
    let e = error(&dir, "add claim \"x\" by y on November 2024");
    assert!(e.contains("'November 2024' is a month, not a day"), "{e}");
    let e = error(&dir, "claims in the last 0 days");
    assert!(e.contains("the last 0 days hold no days"), "{e}");
    let e = error(&dir, "claims in the last 3 fortnights");
    assert!(e.contains("expected days, weeks, months or years, found 'fortnights'"), "{e}");
    let e = error(&dir, "claims in the last 99999999999 days");
    assert!(e.contains("before the calendar claimdb knows"), "{e}");
    let e = error(&dir, "claims between 9 November 2024 and Nov 1, 2024");
    assert!(e.contains("Nov 1, 2024 is before 9 November 2024"), "{e}");
    // Unchanged: a word that is not a date at all.
    let e = error(&dir, "claims after yesterday");
    assert!(e.contains("expected a date like 2024-11-01, found 'yesterday'"), "{e}");
}
