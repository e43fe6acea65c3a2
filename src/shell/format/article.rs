//! How the article statements and the similarity queries print, in every
//! format: claims ranked by similarity (`claims like`), an article's
//! proposals (`extract from`), what recording an article did (`import
//! article`), and the note of `add claim` on a near-identical claim. The
//! `cq` format ([`write_cq`]) prints proposals as `add claim` statements
//! to edit and run with `-f`.
//!
//! In a table the proposals are numbered, each with the article's words
//! around its source, the source's own words in brackets:
//! `…the Associated Press, [sources close to the situation] reported Doha…`.

use super::grid::{self, Column};
use super::{flatten, plural, source_cell, source_line, wrap};
use crate::model::ClaimId;
use crate::query::article::{ArticleReport, Match, Outcome, ProposalList, ProposedClaim, Ranking};
use crate::query::Output;
use std::io::{self, Write};

/// A similarity as a percentage: `87%`.
fn percent(similarity: f64) -> String {
    format!("{:.0}%", similarity * 100.0)
}

/// A BM25 score with two decimals.
fn score(score: f64) -> String {
    format!("{score:.2}")
}

/// What a ranking was compared with, for its footer: `claim #4` or the
/// text in quotes.
fn compared_with(r: &Ranking) -> String {
    if r.like.starts_with("claim #") {
        r.like.clone()
    } else {
        format!("{:?}", flatten(&r.like))
    }
}

/// `claims like` as a table: the claims with their score and similarity.
pub fn ranked_table(r: &Ranking, width: usize) -> String {
    if r.claims.is_empty() {
        return format!("no claims like {}\n", compared_with(r));
    }
    let columns = [
        Column::right("id"),
        Column::right("score"),
        Column::right("similar"),
        Column::fixed("date"),
        Column::fixed("status"),
        Column::left("source", 24),
        Column::left("outlets", 16),
        Column { min: (width / 3).max(24), ..Column::flex("text") },
    ];
    let rows: Vec<Vec<String>> = r
        .claims
        .iter()
        .map(|c| {
            vec![
                format!("#{}", c.claim.id),
                score(c.score),
                percent(c.similarity),
                c.claim.date.to_string(),
                c.claim.status.name().to_string(),
                source_cell(&c.claim.source),
                c.claim.outlets.join(", "),
                c.claim.text.clone(),
            ]
        })
        .collect();
    let mut out = grid::render(&columns, &rows, width);
    out.push_str(&format!(
        "({} like {}, most similar first)\n",
        plural(r.claims.len() as u64, "claim", "claims"),
        compared_with(r)
    ));
    out
}

/// `claims like` one claim a line: `score | similar | #ID | DATE | …`.
pub fn ranked_lines(r: &Ranking) -> String {
    if r.claims.is_empty() {
        return format!("no claims like {}\n", compared_with(r));
    }
    let mut out = String::new();
    for c in &r.claims {
        out.push_str(&format!(
            "{} | {} | {}",
            score(c.score),
            percent(c.similarity),
            super::lines::claim_line(&c.claim)
        ));
    }
    out.push_str(&format!("({} like {})\n", plural(r.claims.len() as u64, "claim", "claims"), compared_with(r)));
    out
}

/// The CSV columns of a ranking: the claim's, then score and similarity.
pub fn ranked_csv(r: &Ranking) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = crate::interchange::csv::EXPORT_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.push("score".into());
    header.push("similarity".into());
    let rows = r
        .claims
        .iter()
        .map(|c| {
            let mut row = crate::interchange::csv::export_row(&c.claim).to_vec();
            row.push(format!("{:.4}", c.score));
            row.push(format!("{:.4}", c.similarity));
            row
        })
        .collect();
    (header, rows)
}

/// Where the date of a list came from, in words.
fn date_line(list: &ProposalList) -> String {
    use crate::extract::DateOrigin;
    match (list.date, list.date_origin) {
        (Some(d), Some(DateOrigin::Given)) => format!("dated {d} (as given)"),
        (Some(d), Some(DateOrigin::DateLine)) => format!("dated {d} (from its date line)"),
        (Some(d), Some(DateOrigin::Dateline)) => format!("dated {d} (from its dateline)"),
        (Some(d), None) => format!("dated {d}"),
        (None, _) => "undated".to_string(),
    }
}

/// A match as a short phrase: `#3 (62% similar, would be merged into)`.
fn match_head(m: &Match) -> String {
    if m.merge {
        format!("#{} ({} similar; import article merges into it)", m.claim, percent(m.similarity))
    } else {
        format!("#{} ({} similar)", m.claim, percent(m.similarity))
    }
}

/// The source in its sentence, its words in brackets (and bold, when
/// `colour` says the output is a terminal that shows it).
fn in_text(p: &ProposedClaim, colour: bool) -> String {
    let (before, source, after) = &p.context;
    if colour {
        format!("{before}\x1b[1m[{source}]\x1b[0m{after}")
    } else {
        format!("{before}[{source}]{after}")
    }
}

/// `label    value`, the value wrapped under itself.
fn labelled(out: &mut String, label: &str, value: &str, width: usize) {
    const INDENT: usize = 4;
    const LABEL: usize = 9;
    let room = width.max(super::MIN_WIDTH).saturating_sub(INDENT + LABEL).max(20);
    for (i, line) in wrap(value, room).iter().enumerate() {
        let head = if i == 0 { format!("{:INDENT$}{label:<LABEL$}", "") } else { " ".repeat(INDENT + LABEL) };
        out.push_str(&head);
        out.push_str(line);
        out.push('\n');
    }
}

/// One proposal for people: its number (`3.`, or `3/7` when `total` is
/// given), the source in the article's words, every field, how it was
/// found and the claims it may repeat.
pub fn proposal_block(index: usize, total: usize, p: &ProposedClaim, width: usize, colour: bool) -> String {
    let c = &p.proposal.claim;
    let r = &p.proposal.record;
    let mut out = String::new();
    let number = if total > 0 { format!("{}/{total}", index + 1) } else { format!("{}.", index + 1) };
    let indent = number.len().max(3) + 1;
    let room = width.max(super::MIN_WIDTH).saturating_sub(indent).max(20);
    // Wrapped without the colour codes, which take no room on the screen.
    for (j, line) in wrap(&in_text(p, false), room).iter().enumerate() {
        let line = if colour {
            let (_, source, _) = &p.context;
            line.replacen(&format!("[{source}]"), &format!("\x1b[1m[{source}]\x1b[0m"), 1)
        } else {
            line.clone()
        };
        out.push_str(&if j == 0 { format!("{number:<indent$}") } else { " ".repeat(indent) });
        out.push_str(&line);
        out.push('\n');
    }
    labelled(&mut out, "text", &c.text, width);
    labelled(&mut out, "source", &source_line(&c.source), width);
    if !c.outlets.is_empty() {
        labelled(&mut out, "outlets", &c.outlets.join(", "), width);
    }
    labelled(&mut out, "date", &c.date.to_string(), width);
    if !c.topics.is_empty() {
        labelled(&mut out, "topics", &c.topics.join(", "), width);
    }
    let found = format!(
        "{} ({} quote, rule {}), characters {}..{}",
        r.cue,
        r.quote.name(),
        r.rule.name(),
        r.span.start,
        r.span.end
    );
    labelled(&mut out, "found", &found, width);
    if p.matches.is_empty() {
        labelled(&mut out, "matches", "none", width);
    }
    for (j, m) in p.matches.iter().enumerate() {
        let text = format!("{} {}: {}", match_head(m), source_cell(&m.source), m.text);
        labelled(&mut out, if j == 0 { "matches" } else { "" }, &text, width);
    }
    out
}

/// `extract from` for people: each proposal numbered, with its source in
/// the article's words, every field, and the claims it may repeat.
pub fn proposals_table(list: &ProposalList, width: usize) -> String {
    if list.proposals.is_empty() {
        return format!("no claims found in {}\n", list.file);
    }
    let mut out = format!(
        "{}: {}, {}; nothing is recorded\n\n",
        list.file,
        plural(list.proposals.len() as u64, "proposal", "proposals"),
        date_line(list)
    );
    for (i, p) in list.proposals.iter().enumerate() {
        out.push_str(&proposal_block(i, 0, p, width, false));
        out.push('\n');
    }
    let them = if list.proposals.len() == 1 { "it" } else { "them" };
    out.push_str(&format!(
        "({}; import article {:?} records {them}, review article {:?} steps through {them})\n",
        plural(list.proposals.len() as u64, "proposal", "proposals"),
        list.file,
        list.file
    ));
    out
}

/// `extract from` one proposal a line: `N | DATE | SOURCE | OUTLETS | CUE
/// | QUOTE | RULE | START..END | TEXT | MATCHES`.
pub fn proposals_lines(list: &ProposalList) -> String {
    if list.proposals.is_empty() {
        return format!("no claims found in {}\n", list.file);
    }
    let mut out = String::new();
    for (i, p) in list.proposals.iter().enumerate() {
        let c = &p.proposal.claim;
        let r = &p.proposal.record;
        let matches: Vec<String> = p
            .matches
            .iter()
            .map(|m| format!("#{} {}{}", m.claim, percent(m.similarity), if m.merge { " merge" } else { "" }))
            .collect();
        let fields = [
            (i + 1).to_string(),
            c.date.to_string(),
            source_cell(&c.source),
            c.outlets.join(", "),
            r.cue.clone(),
            r.quote.name().to_string(),
            r.rule.name().to_string(),
            format!("{}..{}", r.span.start, r.span.end),
            c.text.clone(),
            if matches.is_empty() { "no matches".to_string() } else { format!("matches {}", matches.join(", ")) },
        ];
        out.push_str(&fields.iter().map(|f| flatten(f)).collect::<Vec<_>>().join(" | "));
        out.push('\n');
    }
    out.push_str(&format!(
        "({} from {}, {})\n",
        plural(list.proposals.len() as u64, "proposal", "proposals"),
        list.file,
        date_line(list)
    ));
    out
}

/// The CSV columns of proposals: the claim's fields, then how each was
/// found and its matches.
pub fn proposals_csv(list: &ProposalList) -> (Vec<String>, Vec<Vec<String>>) {
    use crate::interchange::csv::LIST_JOIN;
    let header = [
        "proposal",
        "text",
        "source",
        "kind",
        "anonymous",
        "affiliation",
        "outlets",
        "date",
        "topics",
        "cue",
        "quote",
        "span_start",
        "span_end",
        "source_start",
        "source_end",
        "rule",
        "matches",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows = list
        .proposals
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let c = &p.proposal.claim;
            let r = &p.proposal.record;
            vec![
                (i + 1).to_string(),
                c.text.clone(),
                c.source.name.clone(),
                c.source.kind.name().to_string(),
                c.source.anonymous.to_string(),
                c.source.affiliation.clone().unwrap_or_default(),
                c.outlets.join(LIST_JOIN),
                c.date.to_string(),
                c.topics.join(LIST_JOIN),
                r.cue.clone(),
                r.quote.name().to_string(),
                r.span.start.to_string(),
                r.span.end.to_string(),
                r.source_span.start.to_string(),
                r.source_span.end.to_string(),
                r.rule.name().to_string(),
                p.matches
                    .iter()
                    .map(|m| format!("#{} {:.2}", m.claim, m.similarity))
                    .collect::<Vec<_>>()
                    .join(LIST_JOIN),
            ]
        })
        .collect();
    (header, rows)
}

/// One report entry's words: `added #11`, `merged into #3 (81% similar;
/// outlets + AFP)`.
fn entry_phrase(e: &crate::query::article::Recorded) -> String {
    let claim = e.claim.map(|id| format!("#{id}")).unwrap_or_default();
    let similar = e.similarity.map(|s| format!("{} similar", percent(s)));
    match e.outcome {
        Outcome::Added => format!("added {claim}"),
        Outcome::Skipped => "skipped".to_string(),
        Outcome::AlreadyRecorded => {
            format!(
                "already recorded from this article as {claim}{}",
                similar.map(|s| format!(" ({s})")).unwrap_or_default()
            )
        }
        Outcome::Merged => {
            let mut notes: Vec<String> = similar.into_iter().collect();
            if e.outlets_added.is_empty() {
                notes.push("the article added as evidence".into());
            } else {
                notes.push(format!("outlets + {}; the article added as evidence", e.outlets_added.join(", ")));
            }
            format!("merged into {claim} ({})", notes.join("; "))
        }
    }
}

/// The first line of a report: `recorded qatar.txt in one write: 5
/// added, 2 merged`.
fn report_head(r: &ArticleReport) -> String {
    if r.entries.is_empty() {
        return format!("no claims found in {}; nothing was recorded\n", r.file);
    }
    let parts: Vec<String> = [Outcome::Added, Outcome::Merged, Outcome::AlreadyRecorded, Outcome::Skipped]
        .into_iter()
        .filter(|o| r.count(*o) > 0)
        .map(|o| format!("{} {}", r.count(o), o.name()))
        .collect();
    let changed = r.count(Outcome::Added) + r.count(Outcome::Merged);
    if changed == 0 {
        format!("{}: nothing new to record ({})\n", r.file, parts.join(", "))
    } else {
        format!("recorded {} in one write: {}\n", r.file, parts.join(", "))
    }
}

/// `import article` for people: a line for the whole, then one per
/// proposal.
pub fn report_table(r: &ArticleReport, width: usize) -> String {
    let mut out = report_head(r);
    let room = width.max(super::MIN_WIDTH).saturating_sub(6);
    for e in &r.entries {
        let text = format!("{}. {}: {}", e.proposal, entry_phrase(e), flatten(&e.text));
        for (i, line) in wrap(&text, room).iter().enumerate() {
            out.push_str(if i == 0 { "  " } else { "      " });
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// `import article` one proposal a line: `N | OUTCOME | #ID | TEXT`.
pub fn report_lines(r: &ArticleReport) -> String {
    let mut out = report_head(r);
    for e in &r.entries {
        let fields = [e.proposal.to_string(), entry_phrase(e), e.text.clone()];
        out.push_str(&fields.iter().map(|f| flatten(f)).collect::<Vec<_>>().join(" | "));
        out.push('\n');
    }
    out
}

/// The CSV columns of a report.
pub fn report_csv(r: &ArticleReport) -> (Vec<String>, Vec<Vec<String>>) {
    let header = ["proposal", "outcome", "claim", "similarity", "outlets_added", "text"].map(String::from).to_vec();
    let rows = r
        .entries
        .iter()
        .map(|e| {
            vec![
                e.proposal.to_string(),
                e.outcome.name().to_string(),
                e.claim.map(|id| id.to_string()).unwrap_or_default(),
                e.similarity.map(|s| format!("{s:.4}")).unwrap_or_default(),
                e.outlets_added.join(crate::interchange::csv::LIST_JOIN),
                e.text.clone(),
            ]
        })
        .collect();
    (header, rows)
}

/// `add claim`'s answer when the same source has a near-identical claim.
pub fn added_near_duplicate(id: ClaimId, duplicates: &[(ClaimId, f64)]) -> String {
    let list: Vec<String> = duplicates.iter().map(|(d, s)| format!("#{d} ({} similar)", percent(*s))).collect();
    format!(
        "added claim #{id}\nnote: the same source has a claim with near-identical text: {}; \
         if #{id} repeats it, delete claim {id} (or link claim {id} duplicates claim {})\n",
        list.join(", "),
        duplicates.first().map_or(0, |d| d.0)
    )
}

/// Why `--format cq` prints no claims: they have no statement form that
/// keeps everything about them.
const CQ_REFUSAL: &str = "this result has no cq form (--format cq prints the proposals of extract from \
                          as add claim statements)";

/// The error for a result `--format cq` cannot print (nothing was changed:
/// only reads are refused).
pub fn cq_refusal() -> crate::Error {
    crate::errinput!("{CQ_REFUSAL}").with_help(
        "use --format table, json, jsonl, csv or lines for this (export … to \"FILE.jsonl\" keeps claims whole)",
    )
}

/// Writes `output` in the `cq` format: the proposals of `extract from` as
/// `add claim` statements, each after a comment saying how it was found
/// and what it may repeat. What a write did is said in comments (the
/// write is done: failing here would hide that); other results are
/// refused.
pub fn write_cq(out: &mut dyn Write, output: &Output) -> io::Result<()> {
    let list = match output {
        Output::Proposals(list) => list,
        Output::Added(_)
        | Output::Done(_)
        | Output::Imported(_)
        | Output::ArticleImported(_)
        | Output::AddedNearDuplicate { .. } => {
            let mut text = Vec::new();
            super::table::write(&mut text, output, super::DEFAULT_WIDTH)?;
            let comments: String = String::from_utf8_lossy(&text).lines().map(|l| format!("-- {l}\n")).collect();
            return out.write_all(comments.as_bytes());
        }
        _ => {
            let help = "use --format table, json, jsonl, csv or lines for it";
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{CQ_REFUSAL}; {help}")));
        }
    };
    let mut text = format!(
        "-- {} from {}, {}.\n-- Edit them, then run: claimdb DB -f THIS_FILE\n",
        plural(list.proposals.len() as u64, "proposal", "proposals"),
        list.file,
        date_line(list)
    );
    if list.proposals.is_empty() {
        text.push_str("-- no claims found\n");
    }
    for (i, p) in list.proposals.iter().enumerate() {
        text.push_str(&format!("\n-- {}. {}\n", i + 1, flatten(&in_text(p, false))));
        for m in &p.matches {
            text.push_str(&format!("-- may repeat {}: {}\n", match_head(m), flatten(&m.text)));
        }
        text.push_str(&crate::extract::to_cq(&p.proposal));
    }
    out.write_all(text.as_bytes())
}
