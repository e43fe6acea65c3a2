//! End-to-end tests of statements on the sample data.

use crate::engine::Db;
use crate::query::Output;

/// The bundled sample, loaded statement by statement (each ends with `;`).
pub(crate) fn sample_db() -> Db {
    let db = Db::temporary().unwrap();
    let text = include_str!("../../examples/qatar-mediation.cq");
    let body: String = text.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n");
    for statement in body.split(';').filter(|s| !s.trim().is_empty()) {
        db.execute(statement).unwrap_or_else(|e| panic!("{}", e.render("sample", statement, 1)));
    }
    db
}

fn ids(output: Output) -> Vec<u64> {
    match output {
        Output::Claims(claims) => claims.iter().map(|c| c.id).collect(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn mission_query_returns_exactly_the_anonymous_officials() {
    let db = sample_db();
    let got = ids(db.execute("claims by anonymous officials after 2024-11-01").unwrap());
    let mut want = Vec::new();
    db.for_each_claim(|c| {
        if c.source.anonymous
            && c.source.kind == crate::Kind::Official
            && c.date > crate::model::date::parse_iso("2024-11-01").unwrap()
        {
            want.push(c.id);
        }
        Ok(())
    })
    .unwrap();
    assert!(!want.is_empty());
    assert_eq!(got, want);
    assert!(db.check().unwrap().is_ok());
}

#[test]
#[ignore = "scratch: prints outputs"]
fn scratch() {
    let db = sample_db();
    for q in std::env::var("Q").unwrap_or_default().split('|') {
        match db.execute(q) {
            Ok(o) => println!("{q}\n{}", serde_json::to_string(&o).unwrap()),
            Err(e) => println!("{}", e.render("", q, 1)),
        }
    }
}

#[test]
fn streaming_sends_the_same_claims_in_order() {
    let db = sample_db();
    let statement = "claims via AFP order by id desc";
    let Output::Claims(collected) = db.execute(statement).unwrap() else { panic!() };
    let mut streamed = Vec::new();
    let context = crate::query::Context::default();
    let mut sink = |c: crate::Claim| {
        streamed.push(c.id);
        Ok(())
    };
    let Output::Claims(rest) = db.execute_streaming(statement, &context, &mut sink).unwrap() else { panic!() };
    assert!(rest.is_empty());
    assert_eq!(streamed, collected.iter().map(|c| c.id).collect::<Vec<_>>());
    assert!(!streamed.is_empty());
    // A sink's error stops the query with that error.
    let mut failing = |_: crate::Claim| Err(crate::Error::Cancelled);
    assert_eq!(db.execute_streaming(statement, &context, &mut failing).unwrap_err(), crate::Error::Cancelled);
}
