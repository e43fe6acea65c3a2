//! The `lines` format: one line per result row, every value in full,
//! fields separated by ` | `, nothing padded, wrapped or cut. It is for
//! reading with grep and diff (the golden tests print in it, so that only
//! the tests of the table format depend on the table's layout), and it
//! says the same things as the table format in the same words.

use super::record::{edit_line, evidence_line, history_cells, relation_lines};
use super::{claims_footer, flatten, groups_footer, plural, source_cell, source_line};
use crate::model::{Claim, ClaimId, HistoryEntry, SourceCount};
use crate::query::{Output, TrackRecord};
use crate::Stats;
use std::io::{self, Write};

/// The fields of a row, joined with ` | ` (each made flat and safe).
fn row<S: AsRef<str>>(fields: &[S]) -> String {
    let mut out = fields.iter().map(|f| flatten(f.as_ref())).collect::<Vec<_>>().join(" | ");
    out.push('\n');
    out
}

/// One claim as one line: `#3 | 2024-11-09 | disputed | source | outlets | text`.
pub fn claim_line(claim: &Claim) -> String {
    row(&[
        format!("#{}", claim.id),
        claim.date.to_string(),
        claim.status.name().to_string(),
        source_cell(&claim.source),
        claim.outlets.join(", "),
        claim.text.clone(),
    ])
}

fn claims(list: &crate::query::ClaimList) -> String {
    if list.is_empty() {
        return "no claims\n".to_string();
    }
    let mut out: String = list.iter().map(claim_line).collect();
    out.push_str(&claims_footer(list.len() as u64, list.matched));
    out
}

/// `  label: value`, the value made flat.
fn field(out: &mut String, label: &str, value: &str) {
    out.push_str(&format!("  {label}: {}\n", flatten(value)));
}

/// One claim with everything about it, one fact per line.
fn record(claim: &Claim) -> String {
    let mut out = format!("claim #{}\n", claim.id);
    field(&mut out, "text", &claim.text);
    field(&mut out, "source", &source_line(&claim.source));
    if let Some(desc) = &claim.source.description {
        field(&mut out, "about them", desc);
    }
    let reported = if claim.outlets.is_empty() {
        claim.date.to_string()
    } else {
        format!("{} via {}", claim.date, claim.outlets.join(", "))
    };
    field(&mut out, "reported", &reported);
    field(&mut out, "status", &format!("{} since {}", claim.status, claim.status_since()));
    if let Some(rating) = &claim.rating {
        field(&mut out, "rating", rating);
    }
    if !claim.topics.is_empty() {
        field(&mut out, "topics", &claim.topics.join(", "));
    }
    if let Some(notes) = &claim.notes {
        field(&mut out, "notes", notes);
    }
    field(&mut out, "recorded", &claim.recorded_at.format("%Y-%m-%d %H:%M UTC").to_string());
    for cells in history_cells(&claim.history) {
        field(&mut out, "history", &history_text(&cells));
    }
    for e in &claim.evidence {
        field(&mut out, "evidence", &evidence_line(e));
    }
    for line in relation_lines(claim) {
        field(&mut out, "relation", &line);
    }
    for c in &claim.changes {
        field(&mut out, "edit", &edit_line(c));
    }
    out
}

/// `2024-11-10 disputed | because`, the reason left out when there is none.
fn history_text(cells: &[String]) -> String {
    match cells {
        [date, status, note] if !note.is_empty() => format!("{date} {status} | {note}"),
        [date, status, ..] => format!("{date} {status}"),
        _ => cells.join(" "),
    }
}

fn history(id: ClaimId, entries: &[HistoryEntry]) -> String {
    let mut out = format!("history of claim #{id}\n");
    if entries.is_empty() {
        out.push_str("  (no entries)\n");
    }
    for cells in history_cells(entries) {
        out.push_str(&format!("  {}\n", flatten(&history_text(&cells))));
    }
    out
}

fn groups(by: &str, rows: &[(Option<String>, u64)]) -> String {
    if rows.is_empty() {
        return "no claims\n".to_string();
    }
    let mut out: String =
        rows.iter().map(|(value, n)| row(&[value.clone().unwrap_or_else(|| "(none)".into()), n.to_string()])).collect();
    out.push_str(&groups_footer(by, rows));
    out
}

fn sources(list: &[SourceCount]) -> String {
    if list.is_empty() {
        return "no sources\n".to_string();
    }
    let mut out: String = list
        .iter()
        .map(|s| {
            row(&[
                s.source.name.clone(),
                s.source.kind.name().to_string(),
                if s.source.anonymous { "anonymous" } else { "named" }.to_string(),
                s.source.affiliation.clone().unwrap_or_else(|| "-".into()),
                plural(s.claims, "claim", "claims"),
            ])
        })
        .collect();
    out.push_str(&format!("({})\n", plural(list.len() as u64, "source", "sources")));
    out
}

fn records(list: &[TrackRecord]) -> String {
    let Some(first) = list.first() else {
        return "no claims\n".to_string();
    };
    let percent = |share: f64| format!("{:.0}%", share * 100.0);
    let mut out = String::new();
    for r in list {
        let mut fields = vec![
            r.name.clone(),
            plural(r.claims, "claim", "claims"),
            format!("statuses: {}", super::counts_phrase(&r.per_status)),
        ];
        if !r.per_rating.is_empty() {
            fields.push(format!("ratings: {}", super::counts_phrase(&r.per_rating)));
        }
        fields.push(format!("confirmed {}", percent(r.confirmed_share)));
        fields.push(format!("retracted/false {}", percent(r.retracted_share)));
        if let (Some(t), Some(f)) = (r.rated_true_share, r.rated_false_share) {
            fields.push(format!("rated true-ish {}", percent(t)));
            fields.push(format!("rated false-ish {}", percent(f)));
        }
        // A ranked share shown above already is not repeated; one with no
        // rated claim to be a share of says so.
        match &r.ranked {
            Some((label, _)) if matches!(label.as_str(), "confirmed" | "retracted/false") => {}
            Some((label, _)) if matches!(label.as_str(), "true-ish" | "false-ish") && r.rated > 0 => {}
            Some((label, Some(share))) => fields.push(format!("{label} {}", percent(*share))),
            Some((label, None)) => fields.push(format!("{label} - (no rated claims)")),
            None => {}
        }
        out.push_str(&row(&fields));
    }
    let many = if first.group.ends_with('s') { format!("{}es", first.group) } else { format!("{}s", first.group) };
    out.push_str(&format!("({})\n", plural(list.len() as u64, &first.group, &many)));
    out
}

fn pairs(list: &[(Claim, Claim)]) -> String {
    if list.is_empty() {
        return "no contradicting claims\n".to_string();
    }
    let mut out = String::new();
    for (a, b) in list {
        out.push_str(&claim_line(a));
        out.push_str("  vs ");
        out.push_str(&claim_line(b));
    }
    out.push_str(&format!("({})\n", plural(list.len() as u64, "pair", "pairs")));
    out
}

fn stats(s: &Stats) -> String {
    let mut out = format!("claims: {}\n", s.claims);
    for (status, n) in &s.per_status {
        out.push_str(&format!("  {status}: {n}\n"));
    }
    out.push_str(&format!("sources: {}\noutlets: {}\n", s.sources, s.per_outlet.len()));
    for (outlet, n) in &s.per_outlet {
        out.push_str(&format!("  {}: {n}\n", flatten(outlet)));
    }
    out.push_str(&format!("size on disk: {}\nnext id: #{}\n", super::bytes(s.size_on_disk), s.next_id));
    out
}

/// Writes `output` one row per line.
pub fn write(out: &mut dyn Write, output: &Output) -> io::Result<()> {
    let text = match output {
        Output::Claims(list) => claims(list),
        Output::Claim(claim) => record(claim),
        Output::History { id, entries } => history(*id, entries),
        Output::Groups { by, rows } => groups(by, rows),
        Output::Sources(list) => sources(list),
        Output::Records(list) => records(list),
        Output::Pairs(list) => pairs(list),
        Output::Stats(s) => stats(s),
        Output::Scale(view) => super::scale::lines(view),
        Output::Ranked(r) => super::article::ranked_lines(r),
        Output::Proposals(list) => super::article::proposals_lines(list),
        Output::ArticleImported(r) => super::article::report_lines(r),
        // These are already one fact per line, with nothing to fit.
        Output::Count(_)
        | Output::Plan(_)
        | Output::Added(_)
        | Output::Done(_)
        | Output::Imported(_)
        | Output::Check(_)
        | Output::AddedNearDuplicate { .. } => return super::table::write(out, output, super::DEFAULT_WIDTH),
    };
    out.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::format::table::tests::{engine_claims, sample_claim};

    fn text(output: &Output) -> String {
        let mut out = Vec::new();
        write(&mut out, output).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn claims_are_one_line_each_in_full() {
        let long = "The Hamas political office no longer serves its purpose ".repeat(5);
        let list = vec![sample_claim(3, &long), sample_claim(12, "a\nb")];
        let got = text(&Output::Claims(list.into()));
        let lines: Vec<&str> = got.lines().collect();
        assert_eq!(lines.len(), 3, "{got}");
        assert_eq!(
            lines[0],
            format!("#3 | 2024-11-09 | unverified | US officials (anon., US) | Reuters, AFP | {}", long.trim())
        );
        assert_eq!(lines[1], "#12 | 2024-11-09 | unverified | US officials (anon., US) | Reuters, AFP | a b");
        assert_eq!(lines[2], "(2 claims)");
        let cut = crate::query::ClaimList { claims: vec![sample_claim(1, "x")], matched: Some(7) };
        assert!(text(&Output::Claims(cut)).ends_with("(1 of 7 claims)\n"));
        assert_eq!(text(&Output::Claims(vec![].into())), "no claims\n");
    }

    #[test]
    fn a_record_is_one_fact_per_line() {
        let (_db, list) = engine_claims();
        let got = text(&Output::Claim(Box::new(list[1].clone())));
        for want in [
            "claim #2\n",
            "  text: The Hamas political office no longer serves its purpose\n",
            "  status: disputed since 2024-11-10\n",
            "  history: 2024-11-09 unverified\n",
            "  history: 2024-11-10 disputed | Qatar denied the report\n",
            "  evidence: https://example.org/wire (wire copy)\n",
            "  relation: contradicts #3\n",
        ] {
            assert!(got.contains(want), "missing {want:?} in\n{got}");
        }
    }

    #[test]
    fn groups_and_sources_keep_the_table_footers() {
        let groups = Output::Groups { by: "status".into(), rows: vec![(Some("disputed".into()), 3), (None, 1)] };
        assert_eq!(text(&groups), "disputed | 3\n(none) | 1\n(2 statuses; 4 claims)\n");
        assert_eq!(text(&Output::Count(2)), "2 claims\n");
    }
}
