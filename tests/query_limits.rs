//! Queries of any size stay bounded: long chains of `or` neither overflow
//! the stack nor run without limit, numbers out of range are refused at the
//! number, repeated conditions are merged, and corroboration over large
//! clusters of duplicates is answered. Through the library, on a thread
//! with a small stack, and through the real binary.

mod common;

use claimdb::query::Output;
use claimdb::{Db, Error, Kind, NewClaim, Source};
use common::Dir;

fn chain(n: usize, term: impl Fn(usize) -> String, joiner: &str) -> String {
    (0..n).map(term).collect::<Vec<_>>().join(joiner)
}

/// A database with claims via outlets `o0` … `o9`.
fn small_db() -> Db {
    let db = Db::temporary().unwrap();
    let day = claimdb::model::date::parse_iso("2024-11-09").unwrap();
    let claims =
        (0..10).map(|i| NewClaim::new(format!("claim {i}"), Source::new("US officials"), day).outlet(format!("o{i}")));
    db.insert_many(claims.collect()).unwrap();
    db
}

#[test]
fn a_chain_longer_than_the_bound_is_refused_with_a_message() {
    let db = small_db();
    let statement = format!("count claims where {}", chain(17_000, |_| "outlet = o1".into(), " or "));
    let err = db.execute(&statement).unwrap_err();
    let Error::Input { message, span, .. } = &err else { panic!("{err:?}") };
    assert!(message.contains("more than 10000 comparisons"), "{message}");
    // The caret is at the first comparison past the bound.
    let at = span.expect("a span").start;
    assert_eq!(&statement[at..at + 6], "outlet");
    assert_eq!(statement[..at].matches("outlet").count(), 10_000);
}

#[test]
fn long_chains_run_on_a_small_stack() {
    // 9,000 distinct terms in one `or`, 9,000 in one `and` inside it, and
    // the plan printed: every stage loops over a chain instead of
    // recursing per term, so 256 KiB of stack is plenty.
    let db = small_db();
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let ors = chain(9_000, |i| format!("outlet = o{}", i % 12), " or ");
            let Output::Count(n) = db.execute(&format!("count claims where {ors}")).unwrap() else { panic!() };
            assert_eq!(n, 10);
            let ands = chain(9_000, |i| format!("outlet != o{}", 100 + i), " and ");
            let Output::Count(n) = db.execute(&format!("count claims where outlet = o3 or ({ands})")).unwrap() else {
                panic!()
            };
            assert_eq!(n, 10);
            let Output::Claims(found) = db.execute(&format!("claims where ({ors}) and id > 5")).unwrap() else {
                panic!()
            };
            assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [6, 7, 8, 9, 10]);
            let Output::Plan(steps) = db.execute(&format!("explain claims where {ors}")).unwrap() else { panic!() };
            assert!(steps.len() < 20, "one step per lookup group, not per term: {}", steps.len());
        })
        .unwrap();
    handle.join().expect("no stack overflow");
}

#[test]
fn the_binary_survives_long_chains_and_deep_explains() {
    let dir = Dir::new();
    dir.run(&["-c", "add claim \"x\" by \"a\" on 2024-01-01 via AP"]).code(0);
    // (A script file: one argument may not be that long.)
    let long = format!("count claims where {}", chain(17_000, |_| "outlet = AP".into(), " or "));
    let script = dir.file("long.cq", long.as_bytes());
    let run = dir.run(&["-f", &script.display().to_string()]);
    run.code(1);
    assert!(run.stderr.contains("more than 10000 comparisons"), "{}", run.stderr);
    // The same through a script on standard input: the process goes on to
    // the next statement.
    let script = format!("{long}\ncount claims where {}\n", chain(9_000, |_| "outlet = AP".into(), " or "));
    let run = dir.pipe(&["--keep-going"], script.as_bytes());
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stdout.contains("1 claim"), "{}", run.stdout);
    let deep = dir.file("deep.cq", format!("{}claims via AP", "explain ".repeat(20_000)).as_bytes());
    let run = dir.run(&["-f", &deep.display().to_string()]);
    run.code(0);
    assert!(run.stdout.contains("look up outlet index"), "{}", run.stdout);
}

#[test]
fn numbers_out_of_range_are_refused_at_the_number() {
    let db = small_db();
    let statement = "claims unverified for more than 9223372036854775808 days";
    let err = db.execute(statement).unwrap_err();
    let Error::Input { message, span, help } = &err else { panic!("{err:?}") };
    assert!(message.contains("more than any two dates are apart"), "{message}");
    let span = span.expect("a span");
    assert_eq!(&statement[span.start..span.end], "9223372036854775808");
    assert!(help.as_deref().is_some_and(|h| h.contains("3652424")));
    // The largest allowed number is an answer, not a wrap: nothing is that
    // old.
    let Output::Claims(none) = db.execute("claims unverified for more than 3652424 days").unwrap() else { panic!() };
    assert!(none.is_empty());
    // Numbers that cannot wrap keep their meaning at the top of the range.
    let Output::Claims(all) = db.execute("claims limit 18446744073709551615").unwrap() else { panic!() };
    assert_eq!(all.len(), 10);
    assert_eq!(all.matched, None);
    let Output::Claims(none) = db.execute("claims reported by at least 18446744073709551615 outlets").unwrap() else {
        panic!()
    };
    assert!(none.is_empty());
    let err = db.execute("claims limit 18446744073709551616").unwrap_err();
    assert!(err.to_string().contains("too large a number"), "{err}");
}

#[test]
fn more_outlets_than_the_outlet_count_index_holds_are_still_found() {
    // The outlet-count index stops at 255; a claim with 300 outlets is
    // filed there and must still answer "at least 300".
    let db = small_db();
    let day = claimdb::model::date::parse_iso("2024-11-10").unwrap();
    let mut many = NewClaim::new("widely carried", Source::new("a spokesperson").kind(Kind::Spokesperson), day);
    many.outlets = (0..300).map(|i| format!("outlet {i}")).collect();
    let id = db.insert(many).unwrap();
    for n in [255, 256, 300] {
        let Output::Claims(found) = db.execute(&format!("claims reported by at least {n} outlets")).unwrap() else {
            panic!()
        };
        assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [id], "at least {n}");
    }
    let Output::Claims(none) = db.execute("claims reported by at least 301 outlets").unwrap() else { panic!() };
    assert!(none.is_empty());
}

#[test]
fn a_filter_repeated_thousands_of_times_is_planned_once() {
    let db = small_db();
    let repeated = format!("claims {}", vec!["via o3"; 2_000].join(" "));
    let Output::Claims(found) = db.execute(&repeated).unwrap() else { panic!() };
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [4]);
    let Output::Plan(steps) = db.execute(&format!("explain {repeated}")).unwrap() else { panic!() };
    assert_eq!(steps.iter().filter(|s| s.contains("outlet index")).count(), 1, "{steps:?}");
    let condition = format!("claims where {}", vec!["(outlet = o3 and text contains \"claim\")"; 2_000].join(" or "));
    let Output::Plan(steps) = db.execute(&format!("explain {condition}")).unwrap() else { panic!() };
    assert!(steps.iter().any(|s| s.contains("check: outlet = \"o3\" and text contains \"claim\"")), "{steps:?}");
    let Output::Claims(found) = db.execute(&condition).unwrap() else { panic!() };
    assert_eq!(found.len(), 1);
}

#[test]
fn corroboration_over_a_large_cluster_of_duplicates() {
    // 4,000 claims linked as duplicates in a chain form one cluster: it
    // counts once, with the outlets of all its members.
    let dir = Dir::new();
    let mut jsonl = String::new();
    for i in 1..=4_000u64 {
        let relations =
            if i > 1 { format!(r#"[{{"relation": "duplicates", "claim": {}}}]"#, i - 1) } else { "[]".into() };
        let outlet = if i == 4_000 { "AFP" } else { "Reuters" };
        jsonl.push_str(&format!(
            r#"{{"id": {i}, "text": "copy {i}", "source": "wire", "date": "2024-11-09", "outlets": ["{outlet}"], "relations": {relations}}}"#
        ));
        jsonl.push('\n');
    }
    jsonl.push_str(r#"{"id": 4001, "text": "alone", "source": "wire", "date": "2024-11-10", "outlets": ["Reuters"]}"#);
    jsonl.push('\n');
    let path = dir.file("cluster.jsonl", jsonl.as_bytes());
    let db = Db::open(dir.db()).unwrap();
    let Output::Imported(report) = db.execute(&format!("import \"{}\"", path.display())).unwrap() else { panic!() };
    assert_eq!(report.imported, 4_001);
    let ids = |statement: &str| match db.execute(statement).unwrap() {
        Output::Claims(found) => found.iter().map(|c| c.id).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert_eq!(ids("claims reported by at least 2 outlets"), [1], "the cluster stands as its lowest id");
    assert_eq!(ids("claims reported only via Reuters"), [4001]);
    assert_eq!(ids("claims whose only sources are anonymous"), Vec::<u64>::new());
    let Output::Count(n) = db.execute("count claims reported by at least 1 outlet").unwrap() else { panic!() };
    assert_eq!(n, 2);
}
