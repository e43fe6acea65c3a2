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

        // Every index answers like a scan of the claims would. (`… or text
        // contains "~~~"`, which no text has and no index answers, makes the
        // whole condition be checked on every claim.)
        let pairs = [
            ("claims via reuters", "outlet = \"reuters\""),
            ("claims about \"the Hamas office\"", "topic = \"the Hamas office\""),
            ("claims with status disputed", "status = disputed"),
            ("claims mentioning \"hamas office\"", "text contains \"hamas office\""),
            ("claims by reuters", "source = reuters"),
            ("claims after 2024-01-20", "date > 2024-01-20"),
        ];
        for (indexed, condition) in pairs {
            let scanned = format!("claims where {condition} or text contains \"~~~\"");
            prop_assert_eq!(ids(&db, indexed), ids(&db, &scanned));
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

/// One comparison of a `where` condition, over the values the random
/// writes use.
fn atom_strategy() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "outlet = reuters",
        "outlet = AFP",
        "outlet != AP",
        "topic = \"the Hamas office\"",
        "topic != \"US pressure\"",
        "status = disputed",
        "status != unverified",
        "status = confirmed",
        "source = reuters",
        "source != AFP",
        "source.kind = official",
        "source.kind != person",
        "source.anonymous",
        "source.anonymous = false",
        "rating = none",
        "rating != none",
        "rating = reuters",
        "rating != AFP",
        "source.affiliation = none",
        "date > 2024-01-20",
        "date <= 2024-02-10",
        "date = 2024-01-05",
        "date != 2024-01-05",
        "id <= 10",
        "id > 5",
        "id = 3",
        "id != 4",
        "text contains \"office\"",
        "text contains \"talks stall\"",
        "text contains \" hamas \"",
    ])
    .prop_map(str::to_string)
}

/// The clauses of the property test written as a `where` condition.
fn clause_condition(clauses: &str) -> &'static str {
    match clauses {
        "after 2024-01-10" => "date > 2024-01-10",
        "via reuters" => "outlet = reuters",
        "with status unverified or disputed" => "status = unverified or status = disputed",
        "before 2024-02-01 about \"the Hamas office\"" => "date < 2024-02-01 and topic = \"the Hamas office\"",
        "between 2024-01-05 and 2024-01-25 by reuters" => {
            "date >= 2024-01-05 and date <= 2024-01-25 and source = reuters"
        }
        other => panic!("no condition for {other}"),
    }
}

/// A random condition: comparisons under `and`, `or`, `not`, parentheses.
fn condition_strategy() -> impl Strategy<Value = String> {
    atom_strategy().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| format!("({})", v.join(" and "))),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| format!("({})", v.join(" or "))),
            inner.prop_map(|e| format!("not {e}")),
        ]
    })
}

fn ids(db: &Db, statement: &str) -> Vec<u64> {
    match db.execute(statement) {
        Ok(claimdb::query::Output::Claims(found)) => found.iter().map(|c| c.id).collect(),
        other => panic!("{statement}: {other:?}"),
    }
}

fn output(db: &Db, statement: &str) -> claimdb::query::Output {
    db.execute(statement).unwrap_or_else(|e| panic!("{statement}: {e}"))
}

/// The words of a text as the index splits them.
fn text_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Whether the words of `phrase` (a trailing `*`: any word starting so)
/// appear in a row in `text`: the rule written out again, as the oracle.
fn has_phrase(text: &str, phrase: &str) -> bool {
    let words = text_words(text);
    let wanted: Vec<&str> = phrase.split(' ').collect();
    words.windows(wanted.len()).any(|w| {
        w.iter().zip(&wanted).all(|(have, want)| match want.strip_suffix('*') {
            Some(stem) => have.starts_with(stem),
            None => have == want,
        })
    })
}

/// The ids of `claims`, in the default order (date, then id), that `keep`
/// keeps.
fn oracle(claims: &[claimdb::Claim], keep: impl Fn(&claimdb::Claim) -> bool) -> Vec<u64> {
    let mut kept: Vec<&claimdb::Claim> = claims.iter().filter(|c| keep(c)).collect();
    kept.sort_by_key(|c| (c.date, c.id));
    kept.iter().map(|c| c.id).collect()
}

/// A claim's cluster of duplicates (itself included), found by following
/// the links one by one.
fn cluster_of<'a>(claims: &'a [claimdb::Claim], claim: &'a claimdb::Claim) -> Vec<&'a claimdb::Claim> {
    let mut members = vec![claim];
    let mut at = 0;
    while at < members.len() {
        let c = members[at];
        for link in c.relations.iter().chain(&c.linked_from) {
            if link.relation == Relation::Duplicates && !members.iter().any(|m| m.id == link.claim) {
                if let Some(other) = claims.iter().find(|x| x.id == link.claim) {
                    members.push(other);
                }
            }
        }
        at += 1;
    }
    members
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Index algebra against a forced scan: `… or text contains "~~~"`
    /// (which no claim's text has, and no index answers) makes the whole
    /// condition be checked on every claim.
    #[test]
    fn and_or_not_on_the_indexes_answer_like_a_scan(
        ops in prop::collection::vec(op_strategy(), 1..60),
        conditions in prop::collection::vec((condition_strategy(), prop::sample::select(vec![
            "",
            "after 2024-01-10",
            "via reuters",
            "with status unverified or disputed",
            "before 2024-02-01 about \"the Hamas office\"",
            "between 2024-01-05 and 2024-01-25 by reuters",
        ])), 1..6),
    ) {
        let db = Db::temporary().unwrap();
        for op in &ops {
            apply(&db, op);
        }
        for (e, clauses) in &conditions {
            let scan = |tail: &str| format!("claims {clauses} where ({e}) or text contains \"~~~\" {tail}");
            let all = ids(&db, &scan(""));
            prop_assert_eq!(ids(&db, &format!("claims {clauses} where {e}")), all.clone(), "{} {}", clauses, e);
            let e = &format!("{e} {}", if clauses.is_empty() { String::new() } else { format!("and ({})", clause_condition(clauses)) });
            let claimdb::query::Output::Count(n) = output(&db, &format!("count claims where {e}")) else { panic!() };
            prop_assert_eq!(n, all.len() as u64, "count of {}", e);
            prop_assert_eq!(
                ids(&db, &format!("claims where {e} order by id desc limit 3")),
                ids(&db, &scan("order by id desc limit 3")),
                "{}", e
            );
            prop_assert_eq!(
                ids(&db, &format!("claims via reuters where {e} order by source")),
                ids(&db, &format!("claims via reuters where ({e}) or text contains \"~~~\" order by source")),
                "{}", e
            );
            prop_assert_eq!(
                output(&db, &format!("count claims where {e} per status")),
                output(&db, &format!("count claims where ({e}) or text contains \"~~~\" per status")),
                "{}", e
            );
            // A limit that cuts says how many there were, when it says.
            let claimdb::query::Output::Claims(cut) = output(&db, &format!("claims where {e} limit 2")) else { panic!() };
            prop_assert_eq!(cut.iter().map(|c| c.id).collect::<Vec<_>>(), all.iter().copied().take(2).collect::<Vec<_>>());
            if let Some(m) = cut.matched {
                prop_assert_eq!(m, all.len() as u64, "matched for {}", e);
                prop_assert!(m > 2);
            }
        }
    }

    /// Phrases, prefixes, statuses as of a day, staleness and corroboration
    /// against the rules written out again over every claim.
    #[test]
    fn clause_answers_match_the_rules_over_every_claim(ops in prop::collection::vec(op_strategy(), 1..60)) {
        let db = Db::temporary().unwrap();
        for op in &ops {
            apply(&db, op);
        }
        let claims = {
            let mut all = Vec::new();
            db.for_each_claim(|c| { all.push(c); Ok(()) }).unwrap();
            all
        };
        for phrase in ["hamas office", "the hamas", "ceasefire talks stall", "hamas off*", "serv*", "no longer serves", "us pressure", "qatar", "stall ceasefire"] {
            let want = oracle(&claims, |c| has_phrase(&c.text, phrase));
            prop_assert_eq!(ids(&db, &format!("claims mentioning \"{phrase}\"")), want.clone(), "{}", phrase);
            let claimdb::query::Output::Count(n) = output(&db, &format!("count claims mentioning \"{phrase}\"")) else { panic!() };
            prop_assert_eq!(n, want.len() as u64);
            let claimdb::query::Output::Claims(cut) = output(&db, &format!("claims mentioning \"{phrase}\" limit 1")) else { panic!() };
            prop_assert_eq!(cut.iter().map(|c| c.id).collect::<Vec<_>>(), want.iter().copied().take(1).collect::<Vec<_>>());
            prop_assert_eq!(cut.matched, (want.len() > 1).then_some(want.len() as u64), "{}", phrase);
        }
        let base = parse_iso("2024-01-01").unwrap();
        for offset in [0u64, 20, 45, 80] {
            let day = base + chrono::Days::new(offset);
            for status in [Status::Unverified, Status::Disputed, Status::Confirmed] {
                let want = oracle(&claims, |c| c.status_as_of(day) == Some(status));
                prop_assert_eq!(ids(&db, &format!("claims with status {status} as of {day}")), want.clone());
                prop_assert_eq!(ids(&db, &format!("claims {status} as of {day}")), want);
            }
            let claimdb::query::Output::Groups { rows, .. } = output(&db, &format!("count claims per status as of {day}")) else { panic!() };
            let total: u64 = rows.iter().map(|(_, n)| n).sum();
            prop_assert_eq!(total, claims.iter().filter(|c| c.date <= day).count() as u64);
        }
        let today = parse_iso("2024-04-01").unwrap();
        let context = claimdb::query::Context { today, ..Default::default() };
        let claimdb::query::Output::Claims(stale) = db.execute_with("claims unverified for more than 30 days", &context).unwrap() else { panic!() };
        let want = oracle(&claims, |c| {
            let since = c.history.iter().map(|h| h.date).max().unwrap_or(c.date);
            c.status == Status::Unverified && (today - since).num_days() > 30
        });
        prop_assert_eq!(stale.iter().map(|c| c.id).collect::<Vec<_>>(), want);
        let outlets = |members: &[&claimdb::Claim]| {
            let mut all: Vec<String> = members.iter().flat_map(|m| m.outlets.iter().map(|o| o.to_lowercase())).collect();
            all.sort();
            all.dedup();
            all
        };
        let representative = |c: &claimdb::Claim| cluster_of(&claims, c).iter().all(|m| m.id >= c.id);
        prop_assert_eq!(
            ids(&db, "claims reported by at least 2 outlets"),
            oracle(&claims, |c| representative(c) && outlets(&cluster_of(&claims, c)).len() >= 2)
        );
        prop_assert_eq!(
            ids(&db, "claims reported only via reuters"),
            oracle(&claims, |c| representative(c) && outlets(&cluster_of(&claims, c)) == ["reuters"])
        );
        prop_assert_eq!(
            ids(&db, "claims whose only sources are anonymous"),
            oracle(&claims, |c| representative(c) && cluster_of(&claims, c).iter().all(|m| m.source.anonymous))
        );
    }
}
