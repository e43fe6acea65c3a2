//! Parser tests: statements to ASTs, and the errors for wrong input.

use super::parse;
use crate::model::{Kind, Status};
use crate::query::ast::*;

fn ok(text: &str) -> Statement {
    match parse(text) {
        Ok(s) => s,
        Err(e) => panic!("{text}: {}", e.render("", text, 1)),
    }
}

fn query(text: &str) -> Query {
    match ok(text) {
        Statement::Claims(q) => q,
        other => panic!("{text}: {other:?}"),
    }
}

fn err(text: &str) -> String {
    match parse(text) {
        Ok(s) => panic!("{text} parsed: {s:?}"),
        Err(e) => e.render("", text, 1),
    }
}

fn day(s: &str) -> crate::model::Date {
    crate::model::date::parse_iso(s).unwrap()
}

#[test]
fn mission_query() {
    let q = query("claims by anonymous officials after 2024-11-01");
    assert_eq!(
        q.filters,
        vec![
            Filter::Source(SourcePattern { anonymous: Some(true), kind: Some(Kind::Official), ..Default::default() }),
            Filter::Date(DateRange { from: Some(day("2024-11-02")), to: None }),
        ]
    );
}

#[test]
fn source_patterns() {
    let pattern = |text: &str| match &query(text).filters[0] {
        Filter::Source(p) => p.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(pattern("claims by named officials").anonymous, Some(false));
    let us = pattern("claims by US officials");
    assert_eq!((us.affiliation.as_deref(), us.kind), (Some("US"), Some(Kind::Official)));
    let q = pattern("CLAIMS BY anonymous officials of Qatar");
    assert_eq!((q.anonymous, q.affiliation.as_deref()), (Some(true), Some("Qatar")));
    assert_eq!(pattern("claims by Reuters").name.as_deref(), Some("Reuters"));
    assert_eq!(pattern("claims by \"diplomatic official\"").name.as_deref(), Some("diplomatic official"));
    assert_eq!(pattern("claims by \"official\"").name.as_deref(), Some("official"));
    assert_eq!(pattern("claims by spokespeople").kind, Some(Kind::Spokesperson));
    assert_eq!(pattern("claims by people").kind, Some(Kind::Person));
    assert_eq!(pattern("claims by anonymous sources"), SourcePattern { anonymous: Some(true), ..Default::default() });
}

#[test]
fn every_filter() {
    let q = query(
        "claims via Reuters reported by AFP about \"Gaza ceasefire\" mentioning \"political office\" \
         with status disputed or denied rated \"half-true\" since 2024-01-01 until 2024-12-31 \
         between 2024-02-01 and 2024-03-01 in 2024-11 on 2024-11-09 before 2025-01-01 \
         order by date desc limit 10",
    );
    assert_eq!(q.filters.len(), 12);
    assert_eq!(q.filters[0], Filter::Outlet("Reuters".into()));
    assert_eq!(q.filters[1], Filter::Outlet("AFP".into()));
    assert_eq!(q.filters[2], Filter::Topic("Gaza ceasefire".into()));
    assert_eq!(
        q.filters[3],
        Filter::Mentioning(vec![
            PhraseWord { word: "political".into(), prefix: false },
            PhraseWord { word: "office".into(), prefix: false }
        ])
    );
    assert_eq!(q.filters[4], Filter::Status(vec![Status::Disputed, Status::Denied]));
    assert_eq!(q.filters[9], Filter::Date(DateRange { from: Some(day("2024-11-01")), to: Some(day("2024-11-30")) }));
    assert_eq!(q.order, Some(Order { key: OrderKey::Date, descending: true }));
    assert_eq!(q.limit, Some(10));
    assert_eq!(
        query("claims mentioning negotiat*").filters[0],
        Filter::Mentioning(vec![PhraseWord { word: "negotiat".into(), prefix: true }])
    );
    assert_eq!(
        query("claims in 2024").filters[0],
        Filter::Date(DateRange { from: Some(day("2024-01-01")), to: Some(day("2024-12-31")) })
    );
}

#[test]
fn where_expressions() {
    let q = query("claims where (source.kind = official and not source.anonymous) or status = false");
    let Filter::Where(Expr::Or(operands)) = &q.filters[0] else { panic!("{q:?}") };
    assert!(matches!(operands[0], Expr::And(..)));
    assert_eq!(operands[1], Expr::Compare { field: Field::Status, op: Op::Eq, value: Value::Status(Status::False) });
    let q = query("claims where text contains \"Hamas\" and date >= 2024-11-01 and rating = none");
    assert!(matches!(q.filters[0], Filter::Where(Expr::And(..))));
}

#[test]
fn other_reads() {
    assert!(matches!(ok("count claims via Reuters per status"), Statement::Count { per: Some(GroupBy::Status), .. }));
    assert!(matches!(ok("count claims per month"), Statement::Count { per: Some(GroupBy::Month), .. }));
    assert!(matches!(ok("claim 12"), Statement::Show(IdRef { id: 12, .. })));
    assert!(matches!(ok("show claim #12;"), Statement::Show(IdRef { id: 12, .. })));
    assert!(matches!(ok("history of claim 12"), Statement::History(IdRef { id: 12, .. })));
    assert!(matches!(ok("sources"), Statement::Sources(_)));
    assert!(matches!(ok("sources anonymous"), Statement::Sources(SourcePattern { anonymous: Some(true), .. })));
    assert!(matches!(ok("sources of Qatar"), Statement::Sources(SourcePattern { affiliation: Some(_), .. })));
    assert!(matches!(ok("explain claims by Reuters"), Statement::Explain(_)));
    assert!(matches!(
        query("claims contradicting claim 12").filters[0],
        Filter::Related { passive: false, id: IdRef { id: 12, .. }, .. }
    ));
    assert!(matches!(query("claims supported by claim 3").filters[0], Filter::Related { passive: true, .. }));
    assert!(matches!(
        query("claims confirmed as of 2024-11-05 with status retracted").filters[0],
        Filter::StatusAsOf { .. }
    ));
    assert_eq!(query("claims with status disputed as of 2024-11-05").as_of, Some(day("2024-11-05")));
    assert_eq!(query("claims reported by at least 2 outlets").filters[0], Filter::MinOutlets(2));
    assert_eq!(query("claims reported only via Reuters").filters[0], Filter::OnlyOutlet("Reuters".into()));
    assert_eq!(query("claims whose only sources are anonymous").filters[0], Filter::OnlyAnonymousSources);
    assert_eq!(
        query("claims unverified for more than 14 days").filters[0],
        Filter::Stale { statuses: vec![Status::Unverified], days: 14 }
    );
    assert!(matches!(ok("sources ranked by retracted"), Statement::TrackRecords(_)));
    assert!(matches!(ok("track record of \"US officials\""), Statement::TrackRecords(_)));
    assert!(matches!(ok("unresolved contradictions"), Statement::Contradictions));
}

#[test]
fn writes() {
    let Statement::Add(add) = ok(
        "add claim \"The Hamas political office no longer serves its purpose\" by \"US officials\" as anonymous official of US via Reuters, AFP on 2024-11-09 status unverified",
    ) else {
        panic!()
    };
    assert_eq!((add.source.as_str(), add.kind, add.anonymous), ("US officials", Kind::Official, true));
    assert_eq!(add.outlets, vec!["Reuters", "AFP"]);
    assert_eq!(add.affiliation.as_deref(), Some("US"));
    assert!(matches!(
        ok("set status of claim 4 to disputed on 2024-11-10 because \"Qatar denied the report\""),
        Statement::SetStatus { status: Status::Disputed, .. }
    ));
    assert!(matches!(ok("rate claim 4 \"half-true\""), Statement::Edit { edit: Edit::Rating(Some(_)), .. }));
    assert!(matches!(
        ok("add evidence \"https://example.org/report\" note \"wire copy\" to claim 4"),
        Statement::AddEvidence { .. }
    ));
    assert!(matches!(ok("link claim 4 contradicts claim 7"), Statement::Link { remove: false, .. }));
    assert!(matches!(ok("unlink claim 4 contradicts claim 7"), Statement::Link { remove: true, .. }));
    assert!(matches!(ok("delete claim 4"), Statement::Delete(_)));
    assert!(matches!(ok("add outlet AP, AFP to claim 4"), Statement::Edit { edit: Edit::AddOutlets(_), .. }));
    assert!(matches!(ok("remove topic Qatar from claim 4"), Statement::Edit { edit: Edit::RemoveTopics(_), .. }));
    assert!(matches!(ok("set text of claim 4 to \"x\""), Statement::Edit { edit: Edit::Text(_), .. }));
    assert!(matches!(ok("set source of claim 4 to \"x\" as anonymous official of Qatar"), Statement::Edit { .. }));
    assert!(matches!(ok("clear rating of claim 4"), Statement::Edit { edit: Edit::Rating(None), .. }));
    assert!(matches!(ok("import \"a.jsonl\" skip bad"), Statement::Import(Import { skip_bad: true, .. })));
    let Statement::Import(import) = ok(
        "import csv \"t.csv\" map text = statement, source = speaker, date = date, rating = label (0 = \"pants-fire\", 1 = \"false\"), topics = subject split \";\", kind = \"person\" dates month-first",
    ) else {
        panic!()
    };
    let ImportFormat::Csv(mapping) = import.format else { panic!() };
    assert_eq!(mapping.fields.len(), 6);
    assert_eq!(mapping.fields[3].values.len(), 2);
    assert!(matches!(ok("export claims by Reuters to \"out.csv\""), Statement::Export { .. }));
    assert!(matches!(ok("export to \"all.jsonl\""), Statement::Export { .. }));
}

#[test]
fn error_messages() {
    assert_eq!(
        err("claims with status disputd"),
        "error at line 1, column 20: unknown status 'disputd'\n  |\n1 | claims with status disputd\n  |                    ^^^^^^^\n  = help: did you mean 'disputed'?"
    );
    let e = err("claims aftr 2024-11-01");
    assert!(e.contains("column 8") && e.contains("did you mean 'after'?"), "{e}");
    let e = err("claims after 2024-02-30");
    assert!(e.contains("February 2024 has 29 days"), "{e}");
    let e = err("claims after yesterday");
    assert!(e.contains("expected a date like 2024-11-01, found 'yesterday'"), "{e}");
    let e = err("claims about Gaza ceasefire");
    assert!(e.contains("needs quotes"), "{e}");
    let e = err("clams");
    assert!(e.contains("did you mean 'claims'?"), "{e}");
    let e = err("claims by \"open");
    assert!(e.contains("no closing \""), "{e}");
    let e = err("claims where statu = false");
    assert!(e.contains("did you mean 'status'?"), "{e}");
    let e = err("claims where date contains 2024");
    assert!(e.contains("contains cannot be used with date"), "{e}");
    let e = err("claim 99999999999999999999999");
    assert!(e.contains("too large"), "{e}");
    let e = err("add claim \"x\" by y");
    assert!(e.contains("needs 'on DATE'"), "{e}");
    let e = err("add claim \"x\" by y as anonymous oficial on 2024-01-01");
    assert!(e.contains("did you mean 'official'?"), "{e}");
    let e = err("claims limit 5 limit 6");
    assert!(e.contains("given twice"), "{e}");
    let e = err("claims; claims");
    assert!(e.contains("after the end of the statement"), "{e}");
    let e = err("");
    assert!(e.contains("no statement"), "{e}");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("claims where {}status = false{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(err(&deep).contains("nested more than"));
    let nots = format!("claims where {}source.anonymous", "not ".repeat(10_000));
    assert!(err(&nots).contains("nested more than"));
}

#[test]
fn a_nul_byte_in_a_write_is_pointed_at() {
    let got = err("add claim \"a\0b\" by x on 2024-11-09");
    assert!(got.starts_with("error at line 1, column 13: this statement contains a NUL byte"), "{got}");
    assert!(parse("claims by \"x\0\"").is_ok(), "a query may hold one: it matches nothing");
}

#[test]
fn hash_comments_at_a_line_start_are_comments_everywhere() {
    assert!(matches!(ok("# a note\nclaims"), Statement::Claims(_)));
    assert!(matches!(ok("claims\n  # a note\n  with status disputed"), Statement::Claims(_)));
    assert!(matches!(ok("claim #12"), Statement::Show(IdRef { id: 12, .. })));
    assert_eq!(query("claims rated half-true--x").filters[0], Filter::Rated("half-true".into()));
}

#[test]
fn suggestions_do_not_mislead() {
    let got = err("show claims by Reuters");
    assert!(got.contains("'show' shows one claim, not 'claims'"), "{got}");
    assert!(got.contains("write 'claims …' without 'show'"), "{got}");
    assert!(!got.contains("did you mean 'claim'"), "{got}");
    let got = err("list sources");
    assert!(got.contains("'list' does not start a statement"), "{got}");
    assert!(got.contains("write 'sources …' without 'list'"), "{got}");
    assert!(!got.contains("link"), "{got}");
    let got = err("set status of claim 1 to false becuase \"x\"");
    assert!(got.contains("did you mean 'because'?"), "{got}");
    let got = err("claim 3 claims");
    assert!(got.contains("separate statements with ';'"), "{got}");
    for word in ["exit", "quit"] {
        let got = err(word);
        assert!(got.contains("type .quit"), "{got}");
    }
    assert!(err("clams").contains("did you mean 'claims'?"));
    let got = err("with status disputed");
    assert!(got.contains("'with' continues a statement"), "{got}");
}
