//! One claim printed as a readable record (`claim N`): the text wrapped to
//! the terminal, then source, outlets, status, topics, and the history,
//! evidence and relations that a one-line table row has no room for.

use super::grid::{self, Column};
use super::{flatten, source_line, wrap};
use crate::model::{Change, Claim, ClaimId, Evidence, HistoryEntry};

/// The indent of wrapped text and of field values.
const INDENT: &str = "    ";

/// `label  value` with the value wrapped under itself.
fn field(out: &mut String, label: &str, value: &str, width: usize) {
    let lead = format!("  {label:<10} ");
    let room = width.saturating_sub(lead.len());
    for (i, line) in wrap(value, room).iter().enumerate() {
        if i == 0 {
            out.push_str(&lead);
        } else {
            out.push_str(&" ".repeat(lead.len()));
        }
        out.push_str(line);
        out.push('\n');
    }
}

/// A whole claim, for people.
pub fn claim(claim: &Claim, width: usize) -> String {
    let width = width.max(super::MIN_WIDTH);
    let mut out = format!("claim #{}\n", claim.id);
    for line in wrap(&claim.text, width - INDENT.len()) {
        out.push_str(INDENT);
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
    field(&mut out, "source", &source_line(&claim.source), width);
    if let Some(desc) = &claim.source.description {
        field(&mut out, "about them", desc, width);
    }
    let reported = if claim.outlets.is_empty() {
        claim.date.to_string()
    } else {
        format!("{} via {}", claim.date, claim.outlets.join(", "))
    };
    field(&mut out, "reported", &reported, width);
    field(&mut out, "status", &format!("{} since {}", claim.status, claim.status_since()), width);
    if let Some(rating) = &claim.rating {
        field(&mut out, "rating", rating, width);
    }
    if !claim.topics.is_empty() {
        field(&mut out, "topics", &claim.topics.join(", "), width);
    }
    if let Some(notes) = &claim.notes {
        field(&mut out, "notes", notes, width);
    }
    field(&mut out, "recorded", &claim.recorded_at.format("%Y-%m-%d %H:%M UTC").to_string(), width);

    out.push_str("\n  history\n");
    out.push_str(&history_rows(&claim.history, width));

    if !claim.evidence.is_empty() {
        out.push_str("\n  evidence\n");
        for e in &claim.evidence {
            for (i, l) in wrap(&evidence_line(e), width - 6).iter().enumerate() {
                out.push_str(if i == 0 { "    - " } else { "      " });
                out.push_str(l);
                out.push('\n');
            }
        }
    }

    if !claim.relations.is_empty() || !claim.linked_from.is_empty() {
        out.push_str("\n  relations\n");
        for line in relation_lines(claim) {
            out.push_str(&format!("    {line}\n"));
        }
    }

    if !claim.changes.is_empty() {
        out.push_str("\n  edits\n");
        for c in &claim.changes {
            for line in wrap(&edit_line(c), width - INDENT.len() - 2).iter().enumerate() {
                out.push_str(if line.0 == 0 { INDENT } else { "      " });
                out.push_str(line.1);
                out.push('\n');
            }
        }
    }
    out
}

/// A claim's history as `[date, status, because]` rows, in the order the
/// changes took effect; a change entered late (dated before an earlier
/// entry) says when it was entered.
pub fn history_cells(entries: &[HistoryEntry]) -> Vec<Vec<String>> {
    let mut order: Vec<(usize, &HistoryEntry)> = entries.iter().enumerate().collect();
    order.sort_by_key(|(i, h)| (h.date, *i));
    let late = |i: usize, h: &HistoryEntry| entries[..i].iter().any(|e| e.date > h.date);
    order
        .iter()
        .map(|&(i, h)| {
            let mut note = h.note.clone().unwrap_or_default();
            if late(i, h) {
                let entered = format!("(entered {})", h.recorded_at.format("%Y-%m-%d"));
                note = if note.is_empty() { entered } else { format!("{note} {entered}") };
            }
            vec![h.date.to_string(), h.status.name().to_string(), note]
        })
        .collect()
}

/// A claim's relations in words, both ways: `contradicts #7`,
/// `supported by #9`.
pub fn relation_lines(claim: &Claim) -> Vec<String> {
    let mut out: Vec<String> = claim.relations.iter().map(|l| format!("{} #{}", l.relation, l.claim)).collect();
    for link in &claim.linked_from {
        let words = if link.relation.is_symmetric() {
            link.relation.name().to_string()
        } else {
            format!("{} by", link.relation.passive())
        };
        out.push(format!("{words} #{}", link.claim));
    }
    out
}

/// One piece of evidence in words: `URL (note) by author`.
pub fn evidence_line(e: &Evidence) -> String {
    let mut line = flatten(&e.url);
    if let Some(note) = &e.note {
        line.push_str(&format!(" ({})", flatten(note)));
    }
    if let Some(author) = &e.author {
        line.push_str(&format!(" by {}", flatten(author)));
    }
    line
}

/// One edit in words: `2024-11-20 rating: (none) → half-true`.
pub fn edit_line(c: &Change) -> String {
    let line = format!(
        "{} {}: {} → {}",
        c.recorded_at.format("%Y-%m-%d"),
        c.field,
        c.before.as_deref().unwrap_or("(none)"),
        c.after.as_deref().unwrap_or("(none)")
    );
    flatten(&line)
}

fn history_rows(entries: &[HistoryEntry], width: usize) -> String {
    let rows = history_cells(entries);
    let columns = [Column::fixed("date"), Column::fixed("status"), Column::flex("because")];
    grid::render(&columns, &rows, width - INDENT.len()).lines().map(|l| format!("{INDENT}{l}\n")).collect()
}

/// The status history of a claim (`history of claim N`).
pub fn history(id: ClaimId, entries: &[HistoryEntry], width: usize) -> String {
    let width = width.max(super::MIN_WIDTH);
    let mut out = format!("history of claim #{id}\n");
    if entries.is_empty() {
        out.push_str("    (no entries)\n");
    } else {
        out.push_str(&history_rows(entries, width));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Evidence, Link, Relation, Status};

    fn full_claim() -> Claim {
        let mut c = super::super::table::tests::sample_claim(4, &"Qatar will stop mediating. ".repeat(8));
        let date = c.date.succ_opt().expect("valid date");
        c.history.push(HistoryEntry {
            status: Status::Disputed,
            date,
            note: Some("Qatar denied the report".into()),
            recorded_at: c.recorded_at,
        });
        c.status = Status::Disputed;
        c.rating = Some("half-true".into());
        c.evidence.push(Evidence {
            url: "https://example.org/wire".into(),
            note: Some("wire copy".into()),
            author: None,
        });
        c.relations.push(Link { relation: Relation::Contradicts, claim: 7 });
        c.linked_from.push(Link { relation: Relation::Supports, claim: 9 });
        c
    }

    #[test]
    fn a_record_shows_everything_wrapped() {
        let text = claim(&full_claim(), 60);
        for line in text.lines() {
            assert!(super::super::width_of(line) <= 60, "too wide: {line}");
        }
        for want in [
            "claim #4",
            "source     US officials, anonymous official of US",
            "reported   2024-11-09 via Reuters, AFP",
            "status     disputed since 2024-11-10",
            "rating     half-true",
            "2024-11-10  disputed    Qatar denied the report",
            "- https://example.org/wire (wire copy)",
            "contradicts #7",
            "supported by #9",
        ] {
            assert!(text.contains(want), "missing {want:?} in\n{text}");
        }
    }

    #[test]
    fn history_lists_entries() {
        let c = full_claim();
        let text = history(4, &c.history, 80);
        assert!(text.starts_with("history of claim #4\n"));
        assert!(text.contains("2024-11-09  unverified"), "{text}");
        assert_eq!(history(4, &[], 80), "history of claim #4\n    (no entries)\n");
    }
}
