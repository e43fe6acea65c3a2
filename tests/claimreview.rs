//! schema.org ClaimReview: importing hand-written documents shaped like the
//! markup fact-checkers publish (single object, array, `@graph`), export then
//! import reproducing claims, and bad items reported by number.
//!
//! The documents are written for these tests; their addresses are examples.

mod common;

use claimdb::engine::{ImportOptions, ImportReport};
use claimdb::interchange::{claimreview, jsonl};
use claimdb::model::date::parse_iso;
use claimdb::{ClaimEdit, Db, Error, Evidence, Kind, NewClaim, Relation, Source, Status, StatusChange};
use common::all_claims;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn file(dir: &TempDir, name: &str, content: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn import(db: &Db, path: &Path, skip_bad: bool) -> claimdb::Result<ImportReport> {
    claimdb::interchange::import(
        db,
        path,
        &claimdb::interchange::ImportFormat::ClaimReview,
        &ImportOptions { skip_bad, ..Default::default() },
        &claimdb::engine::Control::none(),
    )
}

fn import_text(db: &Db, content: &str) -> claimdb::Result<ImportReport> {
    let dir = tempfile::tempdir().unwrap();
    import(db, &file(&dir, "reviews.json", content), false)
}

fn snapshot(db: &Db) -> (u64, Vec<u8>) {
    let mut out = Vec::new();
    jsonl::export(db, &mut out).unwrap();
    (db.count().unwrap(), out)
}

/// One review as a fact-checker's page would carry it.
const SINGLE: &str = r#"{
  "@context": "https://schema.org",
  "@type": "ClaimReview",
  "url": "https://factcheck.example/2022/jul/28/three-doctors/",
  "datePublished": "2022-08-01T14:32:00-04:00",
  "author": {
    "@type": "Organization",
    "name": "PolitiFact",
    "url": "https://factcheck.example/"
  },
  "claimReviewed": "Three doctors from the same hospital 'die suddenly' in the same week after the hospital mandated a fourth COVID-19 vaccine for employees.",
  "itemReviewed": {
    "@type": "Claim",
    "author": {
      "@type": "Organization",
      "name": "The Gateway Pundit",
      "sameAs": "https://news.example/"
    },
    "datePublished": "2022-07-28",
    "firstAppearance": {
      "@type": "CreativeWork",
      "url": "https://news.example/2022/07/three-doctors/"
    },
    "appearance": [
      {"@type": "CreativeWork", "url": "https://social.example/p/abc123"},
      {"@type": "CreativeWork", "url": "https://news.example/2022/07/three-doctors/"}
    ]
  },
  "reviewRating": {
    "@type": "Rating",
    "ratingValue": 2,
    "bestRating": 6,
    "worstRating": 1,
    "alternateName": "False",
    "image": "https://factcheck.example/meter/false.png"
  }
}"#;

#[test]
fn imports_a_single_review() {
    let db = Db::temporary().unwrap();
    let report = import_text(&db, SINGLE).unwrap();
    assert_eq!(report.imported, 1);
    let claim = db.get(1).unwrap().unwrap();
    assert!(claim.text.starts_with("Three doctors from the same hospital"));
    assert_eq!(claim.source.name, "The Gateway Pundit");
    assert_eq!(claim.source.kind, Kind::Organization);
    assert_eq!(claim.date.to_string(), "2022-07-28");
    assert_eq!(claim.rating.as_deref(), Some("False"));
    assert_eq!(claim.status, Status::Unverified);
    let evidence: Vec<(&str, Option<&str>)> =
        claim.evidence.iter().map(|e| (e.url.as_str(), e.author.as_deref())).collect();
    assert_eq!(
        evidence,
        vec![
            ("https://factcheck.example/2022/jul/28/three-doctors/", Some("PolitiFact")),
            ("https://news.example/2022/07/three-doctors/", None),
            ("https://social.example/p/abc123", None),
        ]
    );
    assert!(db.check().unwrap().is_ok());
}

#[test]
fn imports_an_array_and_a_graph() {
    let db = Db::temporary().unwrap();
    // An array: the second review has no date on the claim (the review's
    // datetime is used), a list of authors and a bare string appearance.
    let array = r#"[
      {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "The unemployment rate is the lowest in 50 years.",
        "itemReviewed": {
          "@type": "Claim",
          "author": {"@type": "Person", "name": "Joe Biden"},
          "datePublished": "2022-06-10"
        },
        "reviewRating": {"@type": "Rating", "alternateName": "Mostly True"}
      },
      {
        "@context": "https://schema.org",
        "@type": ["ClaimReview"],
        "datePublished": "2023-03-02T09:00:00Z",
        "claimReviewed": "Wind turbines cause more bird deaths than any other human structure.",
        "itemReviewed": {
          "@type": "Claim",
          "author": [
            {"@type": "GovernmentOrganization", "name": "Ministry of Energy"},
            {"@type": "Person", "name": "A spokesperson"}
          ],
          "appearance": "https://video.example/watch?v=xyz"
        }
      }
    ]"#;
    assert_eq!(import_text(&db, array).unwrap().imported, 2);
    let second = db.get(2).unwrap().unwrap();
    assert_eq!(second.source.name, "Ministry of Energy");
    assert_eq!(second.source.kind, Kind::Government);
    assert_eq!(second.date.to_string(), "2023-03-02");
    assert_eq!(second.rating, None);
    assert_eq!(second.evidence[0].url, "https://video.example/watch?v=xyz");
    assert_eq!(db.get(1).unwrap().unwrap().source.kind, Kind::Person);

    // A page's @graph, with other nodes around the review.
    let graph = r#"{
      "@context": "https://schema.org",
      "@graph": [
        {"@type": "WebPage", "@id": "https://factcheck.example/page", "name": "Fact check"},
        {"@type": "Organization", "name": "Full Fact", "url": "https://factcheck.example/"},
        {
          "@type": "ClaimReview",
          "url": "https://factcheck.example/page",
          "author": {"@type": "Organization", "name": "Full Fact"},
          "claimReviewed": "Drinking hot water kills the virus.",
          "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "social media users"},
            "datePublished": "2020-03-15T00:00:00Z"
          },
          "reviewRating": {"@type": "Rating", "alternateName": "Incorrect"}
        }
      ]
    }"#;
    assert_eq!(import_text(&db, graph).unwrap().imported, 1);
    let third = db.get(3).unwrap().unwrap();
    assert_eq!(third.text, "Drinking hot water kills the virus.");
    assert_eq!(third.date.to_string(), "2020-03-15");
    assert_eq!(third.evidence[0].author.as_deref(), Some("Full Fact"));
    assert_eq!(db.count().unwrap(), 3);
    assert!(db.check().unwrap().is_ok());
}

fn day(text: &str) -> claimdb::Date {
    parse_iso(text).unwrap()
}

/// A database with what ClaimReview has no place for: anonymous sources
/// with affiliations, outlets, topics, a status history with notes,
/// evidence with notes and authors, relations, notes and edits.
fn rich_db() -> Db {
    let db = Db::temporary().unwrap();
    let qatar = db
        .insert(
            NewClaim::new(
                "Qatar will cease its efforts to broker a Gaza ceasefire agreement",
                Source::new("diplomatic official")
                    .kind(Kind::Official)
                    .anonymous(true)
                    .affiliation("Qatar")
                    .description("a diplomat briefed on the talks"),
                day("2024-11-09"),
            )
            .outlet("Reuters")
            .outlet("AFP")
            .topic("Qatar")
            .topic("Gaza ceasefire")
            .notes("Two outlets, same wording: likely the same briefing."),
        )
        .unwrap();
    db.set_status(
        qatar,
        StatusChange {
            status: Status::Corroborated,
            date: Some(day("2024-11-10")),
            note: Some("second diplomat confirmed to AFP".into()),
        },
    )
    .unwrap();
    db.set_status(
        qatar,
        StatusChange {
            status: Status::Denied,
            date: Some(day("2024-11-12")),
            note: Some("Qatar's foreign ministry denied the report".into()),
        },
    )
    .unwrap();
    db.add_evidence(
        qatar,
        Evidence {
            url: "https://wire.example/qatar-mediation".into(),
            note: Some("original report".into()),
            author: None,
        },
    )
    .unwrap();
    db.add_evidence(
        qatar,
        Evidence {
            url: "https://factcheck.example/qatar".into(),
            note: Some("checked against the ministry statement".into()),
            author: Some("Check Desk".into()),
        },
    )
    .unwrap();
    let denial = db
        .insert(
            NewClaim::new(
                "Reports that Qatar is withdrawing from mediation are inaccurate",
                Source::new("Qatar foreign ministry").kind(Kind::Government),
                day("2024-11-12"),
            )
            .rating("accurate"),
        )
        .unwrap();
    db.link(denial, Relation::Contradicts, qatar).unwrap();
    db.edit(denial, ClaimEdit::Text("Reports that Qatar is withdrawing from its mediation role are inaccurate".into()))
        .unwrap();
    db.insert(NewClaim::new("Plain claim with nothing else", Source::new("someone"), day("2024-01-01"))).unwrap();
    db
}

fn export(db: &Db) -> Vec<u8> {
    let mut out = Vec::new();
    assert_eq!(claimreview::export(db, &mut out).unwrap(), db.count().unwrap());
    out
}

#[test]
fn export_then_import_reproduces_the_claims() {
    let first = rich_db();
    let exported = export(&first);
    let text = String::from_utf8(exported.clone()).unwrap();
    // It is ClaimReview first, claimdb second.
    assert!(text.contains(r#""@type": "ClaimReview""#), "{text}");
    assert!(text.contains(r#""alternateName": "accurate""#), "{text}");
    assert!(
        text.contains(
            r#""name": "claimdb:anonymous",
        "value": true"#
        ),
        "{text}"
    );

    let dir = tempfile::tempdir().unwrap();
    let path = file(&dir, "export.json", &text);
    let second = Db::temporary().unwrap();
    let report = import(&second, &path, false).unwrap();
    assert_eq!(report.imported, 3);

    // Everything: ids, text, sources, dates, ratings, outlets, topics,
    // evidence with notes and authors, status and its history, notes,
    // relations (both ways), recording times and edits.
    assert_eq!(all_claims(&second), all_claims(&first));
    assert_eq!(export(&second), exported);
    assert!(second.check().unwrap().is_ok());

    // The slice export writes the same document.
    let mut sliced = Vec::new();
    let mut writer = claimreview::ClaimReviewWriter::new(&mut sliced);
    for claim in all_claims(&first) {
        writer.write(&claim).unwrap();
    }
    writer.finish().unwrap();
    assert_eq!(sliced, exported);

    // The ids are kept, so importing into the database they came from
    // reports every claim as already there and changes nothing.
    let before = snapshot(&first);
    let err = import(&first, &path, false).unwrap_err();
    assert!(err.to_string().contains("line 1: id: claim #1 already exists in the database"), "{err}");
    assert_eq!(snapshot(&first), before);
}

#[test]
fn an_empty_database_exports_an_empty_array() {
    let db = Db::temporary().unwrap();
    let exported = export(&db);
    assert_eq!(exported, b"[]\n");
    let other = Db::temporary().unwrap();
    assert_eq!(import_text(&other, std::str::from_utf8(&exported).unwrap()).unwrap().imported, 0);
}

/// Four items: one good, then three bad ones.
const BAD_ITEMS: &str = r#"[
  {"@type": "ClaimReview", "claimReviewed": "Fine.",
   "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A"}, "datePublished": "2024-01-02"}},
  {"@type": "ClaimReview",
   "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "B"}, "datePublished": "2024-01-02"}},
  {"@type": "ClaimReview", "claimReviewed": "Bad date.",
   "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "C"}, "datePublished": "2024-02-30"}},
  {"@type": "ClaimReview", "claimReviewed": "No author.",
   "itemReviewed": {"@type": "Claim", "datePublished": "2024-01-02"}},
  {"@type": "ClaimReview", "claimReviewed": "Bad status.",
   "itemReviewed": {"@type": "Claim", "author": "D", "datePublished": "2024-01-02"},
   "additionalProperty": [{"@type": "PropertyValue", "name": "claimdb:status", "value": "disputd"}]},
  "not an object"
]"#;

#[test]
fn bad_items_are_reported_by_number() {
    let db = rich_db();
    let before = snapshot(&db);
    let err = import_text(&db, BAD_ITEMS).unwrap_err();
    let Error::Import { records, .. } = &err else {
        panic!("{err}");
    };
    let got: Vec<String> = records.iter().map(|r| r.to_string()).collect();
    assert_eq!(
        got,
        vec![
            "line 2: claimReviewed: item 2: missing (the text of the claim)",
            "line 3: itemReviewed.datePublished: item 3: 2024-02-30 is not a date: February 2024 has 29 days",
            "line 4: itemReviewed.author.name: item 4: missing (who made the claim?)",
            "line 5: claimdb:status: item 5: unknown status 'disputd' (did you mean 'disputed'?)",
            "line 6: @type: item 6: expected a ClaimReview object, found a string",
        ]
    );
    assert_eq!(snapshot(&db), before);

    let report = {
        let dir = tempfile::tempdir().unwrap();
        import(&db, &file(&dir, "reviews.json", BAD_ITEMS), true).unwrap()
    };
    assert_eq!(report.imported, 1);
    assert_eq!(report.rejected.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 3, 4, 5, 6]);
    assert_eq!(db.count().unwrap(), before.0 + 1);
    assert!(db.check().unwrap().is_ok());
}

#[test]
fn a_malformed_document_is_one_clear_error() {
    let db = rich_db();
    let before = snapshot(&db);
    let broken = "[\n  {\"@type\": \"ClaimReview\",\n    \"claimReviewed\": \"x\"\n    \"itemReviewed\": {}\n  }\n]";
    let err = import_text(&db, broken).unwrap_err();
    assert!(matches!(err, Error::Input { .. }), "{err:?}");
    assert!(err.to_string().ends_with("is not valid JSON: expected `,` or `}` at line 4, column 5"), "{err}");

    let err = import_text(&db, r#"{"@type": "WebPage", "name": "no reviews here"}"#).unwrap_err();
    assert!(err.to_string().contains("holds no ClaimReview objects"), "{err}");
    let err = import_text(&db, "42").unwrap_err();
    assert!(err.to_string().contains("holds a number, not a ClaimReview object or an array of them"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let err = import(&db, &dir.path().join("missing.json"), false).unwrap_err();
    assert!(err.to_string().contains("missing.json: no such file"), "{err}");
    let err = import(&db, dir.path(), false).unwrap_err();
    assert!(err.to_string().contains("is a directory"), "{err}");
    assert_eq!(snapshot(&db), before);
}

#[test]
fn unknown_claimdb_properties_are_errors_and_others_are_ignored() {
    let db = Db::temporary().unwrap();
    let doc = r#"{"@type": "ClaimReview", "claimReviewed": "x",
      "itemReviewed": {"@type": "Claim", "author": "y", "datePublished": "2024-01-02"},
      "additionalProperty": [
        {"@type": "PropertyValue", "name": "publisher:internalId", "value": 7},
        {"@type": "PropertyValue", "name": "claimdb:anonymus", "value": true}
      ]}"#;
    let err = import_text(&db, doc).unwrap_err();
    assert!(
        err.to_string().contains(
            "line 1: claimdb:anonymus: item 1: unknown claimdb property 'claimdb:anonymus' (did you mean 'claimdb:anonymous'?)"
        ),
        "{err}"
    );
    assert_eq!(db.count().unwrap(), 0);
}
