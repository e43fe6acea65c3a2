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

fn list(db: &Db, statement: &str) -> crate::query::ClaimList {
    match db.execute(statement).unwrap() {
        Output::Claims(list) => list,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_limit_says_how_many_matched_when_the_plan_can_tell() {
    let db = sample_db();
    let all = list(&db, "claims via AFP").len() as u64;
    assert!(all > 2);
    // Exact ids: the number of ids, no claim loaded for it.
    let cut = list(&db, "claims via AFP limit 2");
    assert_eq!((cut.len(), cut.matched), (2, Some(all)));
    assert_eq!(list(&db, "claims via AFP limit 0").matched, Some(all));
    // Not cut: nothing to say.
    assert_eq!(list(&db, &format!("claims via AFP limit {all}")).matched, None);
    // Few candidates and a check: the rest are checked too.
    let checked = list(&db, "claims mentioning qatar where text contains \"Qatar\"").len() as u64;
    let cut = list(&db, "claims mentioning qatar where text contains \"Qatar\" limit 1");
    assert_eq!(cut.matched, (checked > 1).then_some(checked));
    // A scan with a check: not counted (it would load every claim).
    assert_eq!(list(&db, "claims where text contains \"Qatar\" limit 1").matched, None);
    // A scan without a check: from the block headers.
    assert_eq!(list(&db, "claims limit 1").matched, Some(db.count().unwrap()));
}

#[test]
fn streaming_follows_every_order_strategy() {
    use crate::Claim;
    let db = sample_db();
    let context = crate::query::Context::default();
    let date_id = |c: &Claim| (c.date, c.id);
    type InOrder<'a> = &'a dyn Fn(&Claim, &Claim) -> bool;
    let cases: [(&str, InOrder); 5] = [
        ("claims order by source desc", &|a, b| {
            (a.source.name.to_lowercase(), date_id(a)) >= (b.source.name.to_lowercase(), date_id(b))
        }),
        ("claims via Reuters order by status", &|a, b| (a.status, date_id(a)) <= (b.status, date_id(b))),
        ("claims by anonymous officials order by date desc", &|a, b| date_id(a) >= date_id(b)),
        ("claims where status = unverified or outlet = AP", &|a, b| date_id(a) <= date_id(b)),
        ("claims order by status as of 2024-11-09", &|a, b| (a.status, date_id(a)) <= (b.status, date_id(b))),
    ];
    for (statement, in_order) in cases {
        let mut streamed: Vec<Claim> = Vec::new();
        let mut sink = |c: Claim| {
            streamed.push(c);
            Ok(())
        };
        db.execute_streaming(statement, &context, &mut sink).unwrap();
        assert!(streamed.len() > 1, "{statement}");
        assert!(streamed.windows(2).all(|w| in_order(&w[0], &w[1])), "{statement}: out of order");
        // The same claims as the question in id order (another plan).
        let base = statement.split(" order by").next().unwrap_or(statement);
        let by_id: Vec<u64> = list(&db, &format!("{base} order by id")).iter().map(|c| c.id).collect();
        let mut ids: Vec<u64> = streamed.iter().map(|c| c.id).collect();
        ids.sort_unstable();
        assert_eq!(ids, by_id, "{statement}");
    }
}
