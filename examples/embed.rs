//! Embedding claimdb in a Rust program: typed writes, the query language,
//! and typed results. Run it with `cargo run --example embed`.

use claimdb::query::Output;
use claimdb::{Db, Evidence, Kind, NewClaim, Relation, Source, Status, StatusChange};

pub fn main() -> claimdb::Result<()> {
    // A database in a temporary directory; use Db::open("claims.db") to keep it.
    let db = Db::temporary()?;

    // Typed inserts: the builder mirrors `add claim … by … as … via … on …`.
    let day = claimdb::model::date::parse_iso("2024-11-09")?;
    let office = db.insert(
        NewClaim::new(
            "The Hamas political office no longer serves its purpose",
            Source::new("US officials").kind(Kind::Official).anonymous(true).affiliation("US"),
            day,
        )
        .outlet("Reuters")
        .outlet("AFP")
        .topic("Hamas office"),
    )?;
    let request = db.insert(
        NewClaim::new(
            "Hamas has not received any request from Qatar to leave the country",
            Source::new("senior Hamas official").kind(Kind::Official).anonymous(true).affiliation("Hamas"),
            day,
        )
        .outlet("AFP")
        .topic("Hamas office"),
    )?;

    // Status changes are appended to the history; nothing is overwritten.
    let next_day = day.succ_opt().expect("a next day");
    db.set_status(
        office,
        StatusChange { status: Status::Disputed, date: Some(next_day), note: Some("Qatar denied it".into()) },
    )?;
    db.add_evidence(office, Evidence { url: "https://example.org/wire".into(), note: None, author: None })?;
    db.link(request, Relation::Contradicts, office)?;

    // Typed reads.
    let claim = db.get(office)?.expect("the claim just added");
    println!(
        "#{} is {} since {}; {} history entries",
        claim.id,
        claim.status,
        claim.status_since(),
        claim.history.len()
    );

    // The query language, with typed results.
    match db.execute("claims by anonymous officials after 2024-11-01")? {
        Output::Claims(claims) => {
            for c in &claims {
                println!("#{} {} — {} ({})", c.id, c.date, c.text, c.source.name);
            }
        }
        other => println!("unexpected: {other:?}"),
    }
    if let Output::Groups { by, rows } = db.execute("count claims per status")? {
        for (value, n) in rows {
            println!("{by} {}: {n}", value.unwrap_or_default());
        }
    }

    // Mistakes come back as errors that can be shown with a caret.
    let bad = "claims with status disputd";
    if let Err(e) = db.execute(bad) {
        println!("{}", e.render("", bad, 1));
    }

    // The integrity check walks every index.
    assert!(db.check()?.is_ok());
    Ok(())
}
