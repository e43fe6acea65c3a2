//! The questions both engines answer, and the engine-neutral form of their
//! answers, which is what the agreement check compares.
//!
//! Each question is written twice: as a claimdb statement and as the SQL a
//! competent SQLite user would write against the normalised schema. Both
//! must return the same claims in the same order (date, then id), with the
//! same columns, so that neither side is timed doing less work.

use super::corpus::Params;
use rusqlite::types::Value;
use std::fmt;

/// What a question returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Claim rows, in date then id order.
    Claims,
    /// `(value, count)` rows, biggest count first, ties by value ascending.
    Groups,
    /// One number.
    Count,
    /// Claim rows ranked by text similarity, best first: the two engines'
    /// rankings (claimdb's BM25, FTS5's `bm25()`) are compared loosely
    /// ([`disagreement_ranked`]).
    Ranked,
}

/// One question, in both languages.
#[derive(Clone, Debug)]
pub struct Question {
    /// The claimdb statement; also the question's label in the report.
    pub statement: String,
    /// The SQLite query.
    pub sql: String,
    /// The SQLite query's parameters (`?1`, `?2`…).
    pub args: Vec<Value>,
    /// What it returns.
    pub shape: Shape,
}

/// The columns of a claim both engines materialise: claimdb's `Claim` holds
/// them (and more: history, evidence, notes), so the SQL fetches all of them
/// too, outlets and topics included.
pub const CLAIM_COLUMNS: &str = "c.id, c.text, c.date, c.status, c.rating, \
     s.name, s.kind, s.anonymous, s.affiliation, \
     (SELECT group_concat(outlet, char(31)) FROM claim_outlets o WHERE o.claim_id = c.id), \
     (SELECT group_concat(topic, char(31)) FROM claim_topics t WHERE t.claim_id = c.id)";

fn claims_sql(condition: &str, limit: bool) -> String {
    format!(
        "SELECT {CLAIM_COLUMNS} FROM claims c JOIN sources s ON s.id = c.source_id \
         WHERE {condition} ORDER BY c.date, c.id{}",
        if limit { " LIMIT 20" } else { "" }
    )
}

/// The first and last day of a `YYYY-MM` month, as ISO dates.
fn month_bounds(month: &str) -> (String, String) {
    let year: i32 = month[..4].parse().expect("YYYY-MM");
    let m: u32 = month[5..7].parse().expect("YYYY-MM");
    let first = chrono::NaiveDate::from_ymd_opt(year, m, 1).expect("valid month");
    let next = first.checked_add_months(chrono::Months::new(1)).expect("in range");
    let last = next.pred_opt().expect("in range");
    (first.to_string(), last.to_string())
}

/// The SQL for `claim N`, also used for the start-to-first-answer figure.
pub fn claim_by_id_sql() -> String {
    claims_sql("c.id = ?1", false)
}

/// Text parameters.
fn text<const N: usize>(values: [&String; N]) -> Vec<Value> {
    values.iter().map(|v| Value::Text(v.to_string())).collect()
}

/// Every question of the benchmark, for this corpus.
pub fn all(p: &Params) -> Vec<Question> {
    // (statement, condition, args) of the claim queries; each is asked in
    // full and with `limit 20`.
    let (first, last) = month_bounds(&p.month);
    let claim_queries: Vec<(String, &str, Vec<Value>)> = vec![
        (
            // The mission query: what have anonymous officials claimed lately?
            format!("claims by anonymous officials after {}", p.mission_after),
            "s.kind = 'official' AND s.anonymous = 1 AND c.date > ?1",
            text([&p.mission_after]),
        ),
        (format!("claims by \"{}\"", p.source_name), "lower(s.name) = lower(?1)", text([&p.source_name])),
        (
            format!("claims with status {} in {}", p.status, p.month),
            "c.status = ?1 AND c.date >= ?2 AND c.date <= ?3",
            text([&p.status, &first, &last]),
        ),
        (
            format!("claims about \"{}\" since {}", p.topic, p.topic_since),
            "c.id IN (SELECT claim_id FROM claim_topics WHERE topic = ?1 COLLATE NOCASE) \
             AND c.date >= ?2",
            text([&p.topic, &p.topic_since]),
        ),
        (
            format!("claims mentioning \"{}\"", p.phrase),
            "c.id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?1)",
            text([&format!("\"{}\"", p.phrase)]),
        ),
        (
            format!("claims mentioning {}", p.rare_word),
            "c.id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?1)",
            text([&format!("\"{}\"", p.rare_word)]),
        ),
        (
            format!("claims where status = {} or outlet = \"{}\"", p.or_status, p.or_outlet),
            // SQLite's OR optimisation only combines indexes of one table,
            // so a competent user writes the union by hand; a plain OR with
            // EXISTS would scan every claim.
            "c.id IN (SELECT id FROM claims WHERE status = ?1 \
             UNION SELECT claim_id FROM claim_outlets WHERE outlet = ?2 COLLATE NOCASE)",
            text([&p.or_status, &p.or_outlet]),
        ),
    ];
    let mut out = Vec::new();
    for (statement, condition, args) in &claim_queries {
        out.push(Question {
            statement: statement.clone(),
            sql: claims_sql(condition, false),
            args: args.clone(),
            shape: Shape::Claims,
        });
    }
    for (statement, condition, args) in &claim_queries {
        out.push(Question {
            statement: format!("{statement} limit 20"),
            sql: claims_sql(condition, true),
            args: args.clone(),
            shape: Shape::Claims,
        });
    }
    // Counts the plan can answer from the index alone: a phrase of the two
    // commonest words (most claims hold each of them), and an `or` of two
    // indexed filters.
    out.push(Question {
        statement: format!("count claims mentioning \"{}\"", p.common_phrase),
        sql: "SELECT count(*) FROM claims_fts WHERE claims_fts MATCH ?1".into(),
        args: text([&format!("\"{}\"", p.common_phrase)]),
        shape: Shape::Count,
    });
    out.push(Question {
        statement: format!("count claims where status = {} or outlet = \"{}\"", p.or_status, p.or_outlet),
        sql: "SELECT count(*) FROM (SELECT id FROM claims WHERE status = ?1 \
              UNION SELECT claim_id FROM claim_outlets WHERE outlet = ?2 COLLATE NOCASE)"
            .into(),
        args: text([&p.or_status, &p.or_outlet]),
        shape: Shape::Count,
    });
    out.push(Question {
        statement: "count claims per status".into(),
        sql: "SELECT status, count(*) FROM claims GROUP BY status ORDER BY 2 DESC, 1".into(),
        args: vec![],
        shape: Shape::Groups,
    });
    out.push(Question {
        statement: "count claims per month".into(),
        sql: "SELECT substr(date, 1, 7), count(*) FROM claims GROUP BY 1 ORDER BY 2 DESC, 1".into(),
        args: vec![],
        shape: Shape::Groups,
    });
    // "Have we recorded this claim already?": the ten claims most like a
    // claim told again, by BM25 on both sides (FTS5: any of the words).
    let words: Vec<String> = p.like_text.split_whitespace().map(|w| format!("\"{w}\"")).collect();
    out.push(Question {
        statement: format!("claims like \"{}\" limit 10", p.like_text),
        sql: format!(
            "SELECT {CLAIM_COLUMNS} FROM claims_fts JOIN claims c ON c.id = claims_fts.rowid \
             JOIN sources s ON s.id = c.source_id WHERE claims_fts MATCH ?1 ORDER BY bm25(claims_fts) LIMIT 10"
        ),
        args: vec![Value::Text(words.join(" OR "))],
        shape: Shape::Ranked,
    });
    out.push(Question {
        statement: format!("claim {}", p.claim_id),
        sql: claim_by_id_sql(),
        args: vec![Value::Integer(p.claim_id as i64)],
        shape: Shape::Claims,
    });
    out
}

/// A claim as both engines return it, reduced to comparable values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The id.
    pub id: u64,
    /// The text.
    pub text: String,
    /// ISO date.
    pub date: String,
    /// Status name.
    pub status: String,
    /// The rating.
    pub rating: Option<String>,
    /// The source's name.
    pub source: String,
    /// The source's kind.
    pub kind: String,
    /// Whether the source is anonymous.
    pub anonymous: bool,
    /// The source's affiliation.
    pub affiliation: Option<String>,
    /// Outlets; order is not part of the answer (SQLite returns them in key
    /// order), so they are compared sorted.
    pub outlets: Vec<String>,
    /// Topics, likewise.
    pub topics: Vec<String>,
}

/// An engine's answer to a question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Claims, in the engine's order.
    Claims(Vec<Row>),
    /// A number.
    Count(u64),
    /// Counts per value, in the engine's order.
    Groups(Vec<(String, u64)>),
}

impl Answer {
    /// A one-line description: how many rows, and the first few.
    fn summary(&self) -> String {
        match self {
            Answer::Claims(rows) if rows.len() == 1 => "1 claim".into(),
            Answer::Claims(rows) => format!("{} claims", rows.len()),
            Answer::Count(n) => format!("count {n}"),
            Answer::Groups(rows) => format!("{} groups", rows.len()),
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.summary())
    }
}

/// How many items of each list a disagreement report shows; whole lists of
/// tens of thousands of ids would bury the difference.
const SHOW: usize = 30;

fn head<T: fmt::Debug>(items: &[T]) -> String {
    if items.len() <= SHOW {
        format!("{items:?}")
    } else {
        format!("{:?} … ({} more)", &items[..SHOW], items.len() - SHOW)
    }
}

/// Compares two rankings by similarity: they agree when they put the same
/// claim first or share at least half of their claims (BM25 scores differ
/// in detail: claimdb estimates the average length from a sample, and ties
/// fall in different orders). `None` when they agree.
pub fn disagreement_ranked(claimdb: &Answer, sqlite: &Answer) -> Option<String> {
    let (Answer::Claims(a), Answer::Claims(b)) = (claimdb, sqlite) else {
        return disagreement(claimdb, sqlite);
    };
    let ids_a: Vec<u64> = a.iter().map(|r| r.id).collect();
    let ids_b: Vec<u64> = b.iter().map(|r| r.id).collect();
    let shared = ids_a.iter().filter(|id| ids_b.contains(id)).count();
    let same_top = !ids_a.is_empty() && ids_a.first() == ids_b.first();
    if same_top || shared * 2 >= ids_a.len().max(ids_b.len()) {
        return None;
    }
    Some(format!(
        "claimdb ranks {}
SQLite ranks  {}
{shared} in common, different first claims
",
        head(&ids_a),
        head(&ids_b)
    ))
}

/// How many of the first claims of two rankings are the same.
pub fn ranked_overlap(claimdb: &Answer, sqlite: &Answer) -> Option<(usize, usize, bool)> {
    let (Answer::Claims(a), Answer::Claims(b)) = (claimdb, sqlite) else { return None };
    let shared = a.iter().filter(|r| b.iter().any(|s| s.id == r.id)).count();
    Some((shared, a.len().max(b.len()), a.first().map(|r| r.id) == b.first().map(|r| r.id)))
}

/// Compares two answers; `None` when they agree, otherwise a report showing
/// both sides and where they first differ.
pub fn disagreement(claimdb: &Answer, sqlite: &Answer) -> Option<String> {
    if claimdb == sqlite {
        return None;
    }
    let mut report = format!("claimdb: {claimdb}\nSQLite:  {sqlite}\n");
    match (claimdb, sqlite) {
        (Answer::Claims(a), Answer::Claims(b)) => {
            let ids_a: Vec<u64> = a.iter().map(|r| r.id).collect();
            let ids_b: Vec<u64> = b.iter().map(|r| r.id).collect();
            report.push_str(&format!("claimdb ids: {}\n", head(&ids_a)));
            report.push_str(&format!("SQLite ids:  {}\n", head(&ids_b)));
            let set_a: std::collections::BTreeSet<u64> = ids_a.iter().copied().collect();
            let set_b: std::collections::BTreeSet<u64> = ids_b.iter().copied().collect();
            let only_a: Vec<u64> = set_a.difference(&set_b).copied().collect();
            let only_b: Vec<u64> = set_b.difference(&set_a).copied().collect();
            report.push_str(&format!("only in claimdb: {}\n", head(&only_a)));
            report.push_str(&format!("only in SQLite:  {}\n", head(&only_b)));
            if let Some(i) = (0..a.len().min(b.len())).find(|&i| a[i] != b[i]) {
                report.push_str(&format!(
                    "first difference at position {i}:\n  claimdb: {:?}\n  SQLite:  {:?}\n",
                    a[i], b[i]
                ));
            }
        }
        (Answer::Groups(a), Answer::Groups(b)) => {
            report.push_str(&format!("claimdb: {}\nSQLite:  {}\n", head(a), head(b)));
        }
        (a, b) => report.push_str(&format!("claimdb: {a:?}\nSQLite:  {b:?}\n")),
    }
    Some(report)
}
