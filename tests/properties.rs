//! Property tests: random statements never panic the parser or the
//! executor; random sequences of writes keep every index consistent with the
//! primary data; export then import reproduces the database.

use claimdb::interchange::jsonl;
use claimdb::model::date::parse_iso;
use claimdb::query::parser::parse;
use claimdb::{ClaimEdit, Db, Evidence, Kind, NewClaim, Relation, Source, Status, StatusChange};
use proptest::prelude::*;

/// Pieces of the language, to build statements that get deep into the parser.
const PIECES: &[&str] = &[
    "claims",
    "count",
    "claim",
    "by",
    "anonymous",
    "officials",
    "of",
    "Qatar",
    "after",
    "2024-11-01",
    "before",
    "via",
    "Reuters",
    "about",
    "\"Gaza ceasefire\"",
    "mentioning",
    "\"political office\"",
    "negotiat*",
    "with",
    "status",
    "disputed",
    "or",
    "denied",
    "rated",
    "\"half-true\"",
    "where",
    "(",
    ")",
    "and",
    "not",
    "=",
    "!=",
    "<",
    ">=",
    "contains",
    "source.kind",
    "source.anonymous",
    "text",
    "date",
    "order",
    "desc",
    "limit",
    "10",
    "per",
    "month",
    "as",
    "2024-02-30",
    "2024-13-01",
    "#3",
    "99999999999999999999",
    "\"",
    "'",
    ";",
    "--",
    "add",
    "set",
    "to",
    "link",
    "contradicts",
    "explain",
    "sources",
    "in",
    "2024",
    "2024-11",
    "between",
    "history",
    "import",
    "csv",
    "map",
    "split",
    "\0",
    "é",
    "\u{202e}",
    "track",
    "record",
    "unresolved",
    "contradictions",
];

fn statement_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..24).prop_map(|p| p.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics_the_parser(text in ".{0,200}") {
        let _ = parse(&text);
    }

    #[test]
    fn random_statements_never_panic_the_parser(text in statement_strategy()) {
        if let Err(e) = parse(&text) {
            // Every error can be rendered with its caret.
            let _ = e.render("prop", &text, 1);
        }
    }

    #[test]
    fn mutated_valid_statements_never_panic(
        base in prop::sample::select(&[
            "claims by anonymous officials after 2024-11-01",
            "count claims via Reuters per status",
            "claims where (source.kind = official and not source.anonymous) or status = false",
            "add claim \"x\" by \"US officials\" as anonymous official of US via Reuters, AFP on 2024-11-09",
        ][..]),
        at in 0usize..120,
        insert in ".{0,3}",
        cut in 0usize..4,
    ) {
        let mut text = base.to_string();
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) { at -= 1; }
        let mut end = (at + cut).min(text.len());
        while !text.is_char_boundary(end) { end += 1; }
        text.replace_range(at..end, &insert);
        let _ = parse(&text);
    }
}

/// A database with a few claims, to run random read statements against.
fn small_db() -> Db {
    let db = Db::temporary().unwrap();
    for (i, name) in ["diplomatic official", "US officials", "Reuters"].iter().enumerate() {
        let source = Source::new(*name).kind(Kind::ALL[i]).anonymous(i != 2);
        let claim =
            NewClaim::new(format!("claim number {i} about political office"), source, parse_iso("2024-11-09").unwrap())
                .outlet("Reuters")
                .topic("Qatar");
        db.insert(claim).unwrap();
    }
    db
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_read_statements_never_panic_the_executor(text in statement_strategy()) {
        thread_local!(static DB: Db = small_db());
        let reads = ["claims", "count", "claim", "sources", "explain", "history", "track", "unresolved"];
        if reads.iter().any(|r| text.trim_start().starts_with(r)) {
            DB.with(|db| { let _ = db.execute(&text); });
        }
    }
}

/// One random write.
#[derive(Clone, Debug)]
enum Op {
    Insert {
        text: usize,
        source: usize,
        kind: usize,
        anonymous: bool,
        outlets: Vec<usize>,
        topics: Vec<usize>,
        day: u32,
    },
    Status {
        target: usize,
        status: usize,
        day: u32,
    },
    Text {
        target: usize,
        text: usize,
    },
    AddOutlet {
        target: usize,
        outlet: usize,
    },
    RemoveTopic {
        target: usize,
        topic: usize,
    },
    Rate {
        target: usize,
        rating: Option<usize>,
    },
    Source {
        target: usize,
        source: usize,
    },
    Evidence {
        target: usize,
        n: usize,
    },
    Link {
        from: usize,
        to: usize,
        relation: usize,
    },
    Delete {
        target: usize,
    },
}

const WORDS: &[&str] = &[
    "Qatar will stop mediating",
    "the Hamas office",
    "no longer serves its purpose",
    "US pressure",
    "ceasefire talks stall",
];
const NAMES: &[&str] = &["Reuters", "AFP", "AP", "Al Jazeera", "reuters"];

fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..5usize, 0..5usize, 0..8usize, any::<bool>(), prop::collection::vec(0..5usize, 0..3), prop::collection::vec(0..5usize, 0..3), 0..60u32)
            .prop_map(|(text, source, kind, anonymous, outlets, topics, day)| Op::Insert { text, source, kind, anonymous, outlets, topics, day }),
        1 => (0..40usize, 0..7usize, 0..90u32).prop_map(|(target, status, day)| Op::Status { target, status, day }),
        1 => (0..40usize, 0..5usize).prop_map(|(target, text)| Op::Text { target, text }),
        1 => (0..40usize, 0..5usize).prop_map(|(target, outlet)| Op::AddOutlet { target, outlet }),
        1 => (0..40usize, 0..5usize).prop_map(|(target, topic)| Op::RemoveTopic { target, topic }),
        1 => (0..40usize, prop::option::of(0..5usize)).prop_map(|(target, rating)| Op::Rate { target, rating }),
        1 => (0..40usize, 0..5usize).prop_map(|(target, source)| Op::Source { target, source }),
        1 => (0..40usize, 0..3usize).prop_map(|(target, n)| Op::Evidence { target, n }),
        1 => (0..40usize, 0..40usize, 0..4usize).prop_map(|(from, to, relation)| Op::Link { from, to, relation }),
        1 => (0..40usize).prop_map(|target| Op::Delete { target }),
    ]
}

fn apply(db: &Db, op: &Op) {
    let base = parse_iso("2024-01-01").unwrap();
    let id = |t: &usize| (*t as u64 % 30) + 1;
    // Writes may fail (no such claim, nothing changed): that is fine, they
    // must just leave everything consistent.
    let _ = match op {
        Op::Insert { text, source, kind, anonymous, outlets, topics, day } => {
            let mut claim = NewClaim::new(
                WORDS[*text],
                Source::new(NAMES[*source]).kind(Kind::ALL[*kind]).anonymous(*anonymous),
                base + chrono::Days::new(u64::from(*day)),
            );
            claim.outlets = outlets.iter().map(|o| NAMES[*o].to_string()).collect();
            claim.topics = topics.iter().map(|t| WORDS[*t].to_string()).collect();
            db.insert(claim).map(|_| ())
        }
        Op::Status { target, status, day } => db.set_status(
            id(target),
            StatusChange {
                status: Status::ALL[*status],
                date: Some(base + chrono::Days::new(u64::from(*day))),
                note: None,
            },
        ),
        Op::Text { target, text } => db.edit(id(target), ClaimEdit::Text(WORDS[*text].into())),
        Op::AddOutlet { target, outlet } => db.edit(id(target), ClaimEdit::AddOutlets(vec![NAMES[*outlet].into()])),
        Op::RemoveTopic { target, topic } => db.edit(id(target), ClaimEdit::RemoveTopics(vec![WORDS[*topic].into()])),
        Op::Rate { target, rating } => db.edit(id(target), ClaimEdit::Rating(rating.map(|r| NAMES[r].to_string()))),
        Op::Source { target, source } => db.edit(id(target), ClaimEdit::Source(Source::new(NAMES[*source]))),
        Op::Evidence { target, n } => {
            db.add_evidence(id(target), Evidence { url: format!("https://example.org/{n}"), note: None, author: None })
        }
        Op::Link { from, to, relation } => db.link(id(from), Relation::ALL[*relation], id(to)),
        Op::Delete { target } => db.delete(id(target)),
    };
}

fn export_text(db: &Db) -> String {
    let mut out = Vec::new();
    jsonl::export(db, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_writes_keep_indexes_consistent_and_export_round_trips(ops in prop::collection::vec(op_strategy(), 1..60)) {
        let db = Db::temporary().unwrap();
        for op in &ops {
            apply(&db, op);
        }
        let report = db.check().unwrap();
        prop_assert!(report.is_ok(), "{:?}", report.problems);

        // Every index answers like a scan of the claims would.
        // (`not not` hides a condition from the planner, forcing a scan.)
        let pairs = [
            ("claims via reuters", "claims where not not outlet = \"reuters\""),
            ("claims about \"the Hamas office\"", "claims where not not topic = \"the Hamas office\""),
            ("claims with status disputed", "claims where not not status = disputed"),
            ("claims mentioning \"hamas office\"", "claims where not not text contains \"hamas office\""),
            ("claims by reuters", "claims where not not source = reuters"),
            ("claims after 2024-01-20", "claims where not not date > 2024-01-20"),
        ];
        for (indexed, scanned) in pairs {
            let claimdb::query::Output::Claims(found) = db.execute(indexed).unwrap() else { panic!() };
            let claimdb::query::Output::Claims(all) = db.execute(scanned).unwrap() else { panic!() };
            prop_assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), all.iter().map(|c| c.id).collect::<Vec<_>>());
        }

        // Export, import into an empty database, export again: identical.
        let exported = export_text(&db);
        let copy = Db::temporary().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.jsonl");
        std::fs::write(&path, &exported).unwrap();
        claimdb::interchange::import(&copy, &path, &claimdb::interchange::ImportFormat::Jsonl, &Default::default(), &claimdb::engine::Control::none()).unwrap();
        prop_assert_eq!(export_text(&copy), exported);
        prop_assert!(copy.check().unwrap().is_ok());
    }
}
