//! The `table` format: aligned columns fitted to the terminal width, for
//! people. Nothing is dropped or cut: long cells wrap, and when a list of
//! claims cannot fit as a table with room for its text (a narrow
//! terminal), each claim is printed as a short block instead. `claim N` is
//! printed as a record ([`super::record`]); the grid itself is
//! [`super::grid`].

use super::grid::{self, Column, MIN_FLEX};
use super::{counts_phrase, flatten, pad, plural, source_cell, width_of, wrap};
use crate::model::Claim;
use crate::query::{Output, TrackRecord};
use crate::{CheckReport, Stats};
use std::io::{self, Write};

/// The narrowest text column a claims table is printed with; below it,
/// claims are printed as blocks.
const MIN_TABLE_TEXT: usize = 30;

/// The columns of a claims table for a terminal `width` wide: always all
/// six.
fn claim_columns(width: usize) -> [Column<'static>; 6] {
    [
        Column::right("id"),
        Column::fixed("date"),
        Column::fixed("status"),
        Column::left("source", 24),
        Column::left("outlets", 16),
        // The text is what the table is for: names are squeezed (and wrap)
        // to keep a third of the width for it.
        Column { min: (width / 3).max(MIN_TABLE_TEXT), ..Column::flex("text") },
    ]
}

fn claim_row(claim: &Claim) -> Vec<String> {
    vec![
        format!("#{}", claim.id),
        claim.date.to_string(),
        claim.status.name().to_string(),
        source_cell(&claim.source),
        claim.outlets.join(", "),
        claim.text.clone(),
    ]
}

/// A table of claims, one row each, with a count under it.
pub fn claims(claims: &[Claim], width: usize) -> String {
    claims_table(claims, None, width)
}

/// A table of claims with a count under it that says how many matched
/// when a limit kept fewer.
fn claims_table(claims: &[Claim], matched: Option<u64>, width: usize) -> String {
    if claims.is_empty() {
        return "no claims\n".to_string();
    }
    let mut out = claims_page(claims, width);
    out.push_str(&super::claims_footer(claims.len() as u64, matched));
    out
}

/// The header and rows of a table of claims, without the count under it
/// (a stream prints a page at a time, and the count at the end); blocks
/// when the table leaves too little room for the text.
pub fn claims_page(claims: &[Claim], width: usize) -> String {
    let rows: Vec<Vec<String>> = claims.iter().map(claim_row).collect();
    let columns = claim_columns(width);
    let fit = grid::fit(&columns, &rows, width);
    let text_width = fit.widths[5];
    let longest_text = rows.iter().map(|r| width_of(&flatten(&r[5]))).max().unwrap_or(0);
    if fit.roomy || text_width >= longest_text.min(MIN_TABLE_TEXT) {
        grid::render(&columns, &rows, width)
    } else {
        claims.iter().map(|c| claim_block(c, width)).collect()
    }
}

/// One claim as a block, for terminals too narrow for the table:
/// `#3  2024-11-09  disputed`, then `by SOURCE via OUTLETS` and the text,
/// each wrapped under an indent, and a blank line.
fn claim_block(claim: &Claim, width: usize) -> String {
    const INDENT: &str = "    ";
    let width = width.max(super::MIN_WIDTH);
    let mut out = format!("#{}  {}  {}\n", claim.id, claim.date, claim.status.name());
    let mut who = format!("by {}", source_cell(&claim.source));
    if !claim.outlets.is_empty() {
        who.push_str(&format!(" via {}", claim.outlets.join(", ")));
    }
    for text in [who.as_str(), claim.text.as_str()] {
        for line in wrap(text, width - INDENT.len()) {
            out.push_str(INDENT);
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

fn groups(by: &str, rows: &[(Option<String>, u64)], width: usize) -> String {
    if rows.is_empty() {
        return "no claims\n".to_string();
    }
    let columns = [Column::flex(by), Column::right("count")];
    let table: Vec<Vec<String>> =
        rows.iter().map(|(value, n)| vec![value.clone().unwrap_or_else(|| "(none)".into()), n.to_string()]).collect();
    let mut out = grid::render(&columns, &table, width.min(60));
    out.push_str(&super::groups_footer(by, rows));
    out
}

fn sources(list: &[crate::model::SourceCount], width: usize) -> String {
    if list.is_empty() {
        return "no sources\n".to_string();
    }
    let columns = [
        Column::right("claims"),
        Column::flex("source"),
        Column::fixed("kind"),
        Column::fixed("anonymous"),
        Column::left("affiliation", 24),
    ];
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|s| {
            vec![
                s.claims.to_string(),
                s.source.name.clone(),
                s.source.kind.name().to_string(),
                if s.source.anonymous { "yes" } else { "no" }.to_string(),
                s.source.affiliation.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let mut out = grid::render(&columns, &rows, width);
    out.push_str(&format!("({})\n", plural(list.len() as u64, "source", "sources")));
    out
}

/// Counts as a phrase for a table cell: each count and its name held
/// together by no-break spaces, so a cell wraps between counts, never
/// inside one (`16 barely-true` stays whole).
fn counts_cell(counts: &[(String, u64)]) -> String {
    counts_phrase(counts).split(", ").map(|part| part.replace(' ', "\u{a0}")).collect::<Vec<_>>().join(", ")
}

fn records(list: &[TrackRecord], width: usize) -> String {
    let Some(first) = list.first() else {
        return "no claims\n".to_string();
    };
    let any_rating = list.iter().any(|r| !r.per_rating.is_empty());
    let mut columns = vec![Column::left(&first.group, 28), Column::right("claims"), Column::left("statuses", 30)];
    if any_rating {
        columns.push(Column::left("ratings", 30));
    }
    columns.push(Column::right("confirmed"));
    columns.push(Column::right("retracted/false"));
    // What the ratings say, as shares of the rated claims.
    if any_rating {
        columns.push(Column::right("true-ish"));
        columns.push(Column::right("false-ish"));
    }
    // Ranked by a share already shown (`ranked by confirmed`): no second
    // column of the same figures.
    let ranked_header = first.ranked.as_ref().map(|(label, _)| label.clone());
    let shown: &[&str] = if any_rating {
        &["confirmed", "retracted/false", "true-ish", "false-ish"]
    } else {
        &["confirmed", "retracted/false"]
    };
    let extra = ranked_header.as_deref().filter(|h| !shown.contains(h));
    if let Some(header) = extra {
        columns.push(Column::right(header));
    }
    let percent = |share: f64| format!("{:.0}%", share * 100.0);
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|r| {
            let mut row = vec![r.name.clone(), r.claims.to_string(), counts_cell(&r.per_status)];
            if any_rating {
                row.push(counts_cell(&r.per_rating));
            }
            row.push(percent(r.confirmed_share));
            row.push(percent(r.retracted_share));
            if any_rating {
                row.push(share_or_dash(r.rated_true_share));
                row.push(share_or_dash(r.rated_false_share));
            }
            if let (Some(_), Some((_, share))) = (extra, &r.ranked) {
                row.push(share_or_dash(*share));
            }
            row
        })
        .collect();
    let fit = grid::fit(&columns, &rows, width);
    let total = fit.widths.iter().sum::<usize>() + grid::GAP.len() * columns.len().saturating_sub(1);
    let mut out = if total <= width.max(super::MIN_WIDTH) {
        grid::render(&columns, &rows, width)
    } else {
        // Too many figures for the width: one block per row instead, so
        // that no line runs past the edge.
        record_blocks(list, any_rating, width)
    };
    let many = if first.group.ends_with('s') { format!("{}es", first.group) } else { format!("{}s", first.group) };
    out.push_str(&format!("({})\n", plural(list.len() as u64, &first.group, &many)));
    out
}

/// Track records as blocks: the name and claims (and the ranked share),
/// then the statuses, the ratings and the shares, each wrapped to `width`.
fn record_blocks(list: &[TrackRecord], any_rating: bool, width: usize) -> String {
    let width = width.max(super::MIN_WIDTH);
    let percent = |share: f64| format!("{:.0}%", share * 100.0);
    let mut out = String::new();
    for (i, r) in list.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut head = format!("{}: {}", r.name, plural(r.claims, "claim", "claims"));
        // A ranked share the shares line shows anyway is not repeated.
        let shown = ["confirmed", "retracted/false", "true-ish", "false-ish"];
        if let Some((label, share)) = r.ranked.as_ref().filter(|(l, _)| !shown.contains(&l.as_str())) {
            head.push_str(&format!(", {label} {}", share_or_dash(*share)));
        }
        out.push_str(&head);
        out.push('\n');
        let mut shares =
            format!("confirmed {}, retracted/false {}", percent(r.confirmed_share), percent(r.retracted_share));
        if any_rating {
            shares.push_str(&format!(
                ", rated true-ish {}, false-ish {}",
                share_or_dash(r.rated_true_share),
                share_or_dash(r.rated_false_share)
            ));
        }
        let mut fields = vec![("statuses", counts_cell(&r.per_status))];
        if any_rating {
            let ratings = if r.per_rating.is_empty() { "none".to_string() } else { counts_cell(&r.per_rating) };
            fields.push(("ratings", ratings));
        }
        fields.push(("shares", shares));
        for (label, text) in fields {
            let indent = "  ".len() + "statuses".len() + 2;
            for (n, line) in super::wrap(&text, width.saturating_sub(indent).max(20)).iter().enumerate() {
                if n == 0 {
                    out.push_str(&format!("  {label:<8}  {line}\n"));
                } else {
                    out.push_str(&format!("{}{line}\n", " ".repeat(indent)));
                }
            }
        }
    }
    out
}

/// A share as a percentage, or `-` when there is none (no rated claim to
/// be a share of: no share at all, not a share of 0%).
fn share_or_dash(share: Option<f64>) -> String {
    share.map_or_else(|| "-".into(), |s| format!("{:.0}%", s * 100.0))
}

fn pairs(list: &[(Claim, Claim)], width: usize) -> String {
    if list.is_empty() {
        return "no contradicting claims\n".to_string();
    }
    let width = width.max(super::MIN_WIDTH);
    let mut out = String::new();
    for (a, b) in list {
        for (lead, claim) in [("", a), ("  vs ", b)] {
            let head = format!("{lead}#{} {} {}  ", claim.id, claim.date, claim.status);
            let indent = width_of(&head);
            let room = width.saturating_sub(indent).max(MIN_FLEX);
            for (i, line) in wrap(&claim.text, room).iter().enumerate() {
                out.push_str(&if i == 0 { head.clone() } else { " ".repeat(indent) });
                out.push_str(line);
                out.push('\n');
            }
        }
        out.push('\n');
    }
    out.push_str(&format!("({})\n", plural(list.len() as u64, "pair", "pairs")));
    out
}

fn stats(s: &Stats) -> String {
    // Label, value and indentation: sub-rows (per status, per outlet) are
    // indented under their total.
    let mut rows: Vec<(usize, String, String)> = vec![(0, "claims".into(), s.claims.to_string())];
    for (status, n) in &s.per_status {
        rows.push((2, status.to_string(), n.to_string()));
    }
    rows.push((0, "sources".into(), s.sources.to_string()));
    rows.push((0, "outlets".into(), s.per_outlet.len().to_string()));
    for (outlet, n) in s.per_outlet.iter().take(MAX_OUTLETS_LISTED) {
        rows.push((2, flatten(outlet), n.to_string()));
    }
    if s.per_outlet.len() > MAX_OUTLETS_LISTED {
        let more = s.per_outlet.len() - MAX_OUTLETS_LISTED;
        rows.push((2, format!("… {more} more"), String::new()));
    }
    rows.push((0, "size on disk".into(), super::bytes(s.size_on_disk)));
    rows.push((0, "next id".into(), format!("#{}", s.next_id)));
    let label_width = rows.iter().map(|(indent, label, _)| indent + width_of(label)).max().unwrap_or(0);
    let value_width = rows.iter().map(|(_, _, v)| width_of(v)).max().unwrap_or(0);
    rows.iter()
        .map(|(indent, label, value)| {
            let label = format!("{}{label}", " ".repeat(*indent));
            format!("{}  {}\n", pad(&label, label_width, false), pad(value, value_width, true))
        })
        .collect()
}

/// How many outlets `.stats` lists by name.
const MAX_OUTLETS_LISTED: usize = 10;

fn check(report: &CheckReport) -> String {
    let mut out = format!(
        "checked {}, {}, {} and {}\n",
        plural(report.claims, "claim", "claims"),
        plural(report.sources, "source", "sources"),
        plural(report.index_entries, "index entry", "index entries"),
        plural(report.links, "link", "links"),
    );
    if report.is_ok() {
        out.push_str("ok: no problems found\n");
    } else {
        out.push_str(&format!("{} found:\n", plural(report.problems.len() as u64, "problem", "problems")));
        for p in &report.problems {
            out.push_str(&format!("  - {}\n", flatten(p)));
        }
    }
    out
}

fn imported(report: &crate::engine::ImportReport) -> String {
    let mut out = format!("imported {}", plural(report.imported, "claim", "claims"));
    let ranges: Vec<String> =
        report.id_ranges.iter().map(|(a, b)| if a == b { format!("#{a}") } else { format!("#{a}–#{b}") }).collect();
    if ranges.len() > 10 {
        out.push_str(&format!(" ({}, … in {} runs)", ranges[..10].join(", "), ranges.len()));
    } else if !ranges.is_empty() {
        out.push_str(&format!(" ({})", ranges.join(", ")));
    }
    out.push_str(&format!("; rejected {}\n", plural(report.rejected.len() as u64, "record", "records")));
    for r in report.rejected.iter().take(crate::error::MAX_LISTED_RECORD_ERRORS) {
        out.push_str(&format!("  {}\n", flatten(&r.to_string())));
    }
    if report.rejected.len() > crate::error::MAX_LISTED_RECORD_ERRORS {
        out.push_str(&format!("  … and {} more\n", report.rejected.len() - crate::error::MAX_LISTED_RECORD_ERRORS));
    }
    out
}

/// Writes `output` for people, fitted to `width` columns.
pub fn write(out: &mut dyn Write, output: &Output, width: usize) -> io::Result<()> {
    let text = match output {
        Output::Claims(list) => claims_table(list, list.matched, width),
        Output::Claim(claim) => super::record::claim(claim, width),
        Output::History { id, entries } => super::record::history(*id, entries, width),
        Output::Count(n) => format!("{}\n", plural(*n, "claim", "claims")),
        Output::Groups { by, rows } => groups(by, rows, width),
        Output::Sources(list) => sources(list, width),
        Output::Records(list) => records(list, width),
        Output::Pairs(list) => pairs(list, width),
        Output::Plan(steps) => steps.iter().enumerate().map(|(i, s)| format!("{}. {}\n", i + 1, flatten(s))).collect(),
        Output::Added(id) => format!("added claim #{id}\n"),
        Output::Done(message) => format!("{}\n", flatten(message)),
        Output::Imported(report) => imported(report),
        Output::Stats(s) => stats(s),
        Output::Check(report) => check(report),
        Output::Scale(view) => super::scale::table(view, width),
        Output::Ranked(r) => super::article::ranked_table(r, width),
        Output::Proposals(list) => super::article::proposals_table(list, width),
        Output::ArticleImported(r) => super::article::report_table(r, width),
        Output::AddedNearDuplicate { id, duplicates } => super::article::added_near_duplicate(*id, duplicates),
    };
    out.write_all(text.as_bytes())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::engine::rating_scale::Leaning;
    use crate::model::Source;
    use crate::model::{HistoryEntry, SourceCount, Status};
    use crate::shell::format::source_line;
    use crate::Date;
    use crate::Kind;

    pub(crate) fn sample_claim(id: u64, text: &str) -> Claim {
        let date = Date::from_ymd_opt(2024, 11, 9).expect("valid date");
        let recorded_at = chrono::DateTime::from_timestamp(1_731_150_000, 0).expect("valid time");
        Claim {
            id,
            text: text.to_string(),
            source: Source::new("US officials").kind(Kind::Official).anonymous(true).affiliation("US"),
            outlets: vec!["Reuters".into(), "AFP".into()],
            date,
            status: Status::Unverified,
            rating: None,
            topics: vec!["qatar".into()],
            evidence: vec![],
            history: vec![HistoryEntry { status: Status::Unverified, date, note: None, recorded_at }],
            notes: None,
            relations: vec![],
            recorded_at,
            changes: vec![],
            linked_from: vec![],
        }
    }

    /// The words of `text` in order, wherever lines broke them.
    fn words(text: &str) -> Vec<&str> {
        text.split_whitespace().collect()
    }

    #[test]
    fn claims_fit_the_width_and_align_ids() {
        let long = "The Hamas political office no longer serves its purpose ".repeat(5);
        let list = vec![sample_claim(3, &long), sample_claim(12, "short")];
        let text = claims(&list, 100);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with(" id  date"), "{text}");
        assert!(lines[2].starts_with(" #3  2024-11-09"), "{text}");
        assert!(lines[2].contains("US officials (anon.,"), "{text}");
        for line in &lines {
            assert!(width_of(line) <= 100, "too wide: {line}");
        }
        // The long text wraps onto as many lines as it needs: every word is there.
        assert!(!text.contains('…'), "{text}");
        let text_column = lines[0].find("text").unwrap();
        let next = lines.iter().position(|l| l.starts_with("#12")).expect("the second row");
        let shown: String =
            lines[2..next].iter().map(|l| l.get(text_column..).unwrap_or("")).collect::<Vec<_>>().join(" ");
        assert_eq!(words(&shown), words(&long), "{text}");

        assert_eq!(lines.last(), Some(&"(2 claims)"));
    }

    #[test]
    fn narrow_terminals_never_lose_a_column_or_a_word() {
        let text = "Qatar notified both sides, Israel and Hamas, as well as the US administration, of its decision";
        let list = vec![sample_claim(3, text)];
        for width in [40, 50, 60, 70, 80, 90, 100, 120] {
            let out = claims(&list, width);
            for line in out.lines() {
                assert!(width_of(line) <= width, "too wide at {width}: {line}");
            }
            assert!(!out.contains('…'), "{out}");
            for word in words(text) {
                assert!(out.contains(word.trim_end_matches(',')), "{word} missing at {width}:\n{out}");
            }
            for part in ["#3", "2024-11-09", "unverified", "US officials", "Reuters, AFP"] {
                assert!(
                    out.replace('\n', " ").contains(part) || words(&out).join(" ").contains(part),
                    "{part} missing at {width}:\n{out}"
                );
            }
        }
        // Wide enough: a table with every column; too narrow: blocks.
        assert!(claims(&list, 100).starts_with("id  date        status      source"), "{}", claims(&list, 100));
        assert!(
            claims(&list, 80)
                .starts_with("#3  2024-11-09  unverified\n    by US officials (anon., US) via Reuters, AFP\n    Qatar"),
            "{}",
            claims(&list, 80)
        );
        // Short texts fit a table on a narrow terminal.
        assert!(
            claims(&[sample_claim(1, "short")], 70).starts_with("id  date"),
            "{}",
            claims(&[sample_claim(1, "short")], 70)
        );
    }

    #[test]
    fn ranked_tables_keep_counts_whole_and_show_a_share_once() {
        let record = |name: &str, ranked: &str| TrackRecord {
            group: "source".into(),
            name: name.into(),
            claims: 40,
            per_status: vec![("unverified".into(), 24), ("confirmed".into(), 16)],
            per_rating: vec![("barely-true".into(), 16), ("pants-fire".into(), 12), ("half-true".into(), 12)],
            confirmed_share: 0.4,
            retracted_share: 0.0,
            rated: 40,
            per_leaning: vec![(Leaning::True, 0), (Leaning::Mixed, 12), (Leaning::False, 28)],
            rated_true_share: Some(0.0),
            rated_false_share: Some(0.7),
            ranked: Some((ranked.into(), Some(0.4))),
        };
        let text = records(&[record("a source with a rather long name", "confirmed")], 130);
        assert_eq!(text.matches("confirmed").count(), 2, "the header and the status, once each:\n{text}");
        assert!(text.contains("16\u{a0}barely-true"), "{text}");
        assert!(!text.contains('…'), "{text}");
        let text = records(&[record("x", "retracted")], 130);
        assert!(text.lines().next().unwrap().ends_with("true-ish  false-ish  retracted"), "{text}");
        let text = records(&[record("x", "false-ish")], 130);
        assert!(text.lines().next().unwrap().ends_with("true-ish  false-ish"), "shown once: {text}");
        // Too narrow for the table: blocks, no line past the edge, the
        // counts whole, the ranked share once.
        let text = records(&[record("a source with a rather long name", "confirmed")], 80);
        assert!(text.lines().all(|l| width_of(l) <= 80), "{text}");
        assert!(text.contains("16\u{a0}barely-true"), "{text}");
        assert!(text.contains("rated true-ish 0%, false-ish 70%"), "{text}");
        assert_eq!(text.matches("confirmed").count(), 2, "the status and the share, once each:\n{text}");
    }

    #[test]
    fn control_characters_in_data_do_not_reach_the_terminal() {
        let list = vec![sample_claim(1, "evil\x1b[2J\nnext line")];
        let text = claims(&list, 100);
        assert!(!text.contains('\x1b'));
        assert_eq!(text.lines().count(), 4);
    }

    #[test]
    fn empty_results_say_so() {
        assert_eq!(claims(&[], 80), "no claims\n");
        let mut out = Vec::new();
        write(&mut out, &Output::Count(1), 80).unwrap();
        assert_eq!(out, b"1 claim\n");
    }

    #[test]
    fn groups_show_values_and_counts() {
        let text = groups("status", &[(Some("disputed".into()), 3), (Some("unverified".into()), 12)], 100);
        assert!(text.starts_with("status      count\n"), "{text}");
        assert!(text.contains("disputed        3\n"), "{text}");
        assert!(text.ends_with("statuses; 15 claims)\n"), "{text}");
    }

    #[test]
    fn sources_mark_anonymity() {
        let list = vec![SourceCount {
            source: Source::new("diplomatic source").kind(Kind::Official).anonymous(true).affiliation("Qatar"),
            claims: 3,
        }];
        let text = sources(&list, 100);
        assert!(text.contains("diplomatic source"), "{text}");
        assert!(text.contains("yes"), "{text}");
    }

    #[test]
    fn source_descriptions_read_naturally() {
        let s = Source::new("US officials").kind(Kind::Official).anonymous(true).affiliation("US");
        assert_eq!(source_line(&s), "US officials, anonymous official of US");
        assert_eq!(source_line(&Source::new("Reuters")), "Reuters");
        assert_eq!(source_line(&Source::new("X").affiliation("Y")), "X, of Y");
    }

    #[test]
    fn stats_indent_the_breakdowns() {
        let s = Stats {
            claims: 12,
            per_status: vec![(Status::Unverified, 10), (Status::Disputed, 2)],
            sources: 4,
            per_outlet: vec![("reuters".into(), 7)],
            size_on_disk: 2048,
            next_id: 13,
        };
        let text = stats(&s);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "claims             12");
        assert_eq!(lines[1], "  unverified       10");
        assert_eq!(lines[5], "  reuters           7");
        assert_eq!(lines[6], "size on disk  2.0 KiB");
        assert!(lines.iter().all(|l| width_of(l) == 21), "{text}");
    }

    #[test]
    fn check_report_lists_problems() {
        let ok = CheckReport { claims: 2, sources: 1, index_entries: 10, links: 0, problems: vec![] };
        assert!(check(&ok).contains("ok: no problems found"));
        let bad = CheckReport { problems: vec!["claim #3 missing from index".into()], ..ok };
        assert!(check(&bad).contains("1 problem found:\n  - claim #3 missing"));
    }

    /// Claims as the engine stores and returns them (not hand-built), so
    /// the table sees real normalisation of names, outlets and topics.
    pub(crate) fn engine_claims() -> (crate::Db, Vec<Claim>) {
        use crate::{Evidence, NewClaim, Relation, StatusChange};
        let db = crate::Db::temporary().unwrap();
        let day = Date::from_ymd_opt(2024, 11, 9).unwrap();
        let official = |name: &str| Source::new(name).kind(Kind::Official).anonymous(true);
        let claims = [
            NewClaim::new(
                "Qatar will stop its efforts to mediate a Gaza ceasefire and hostage release deal until Israel and Hamas show willingness and seriousness to return to negotiations",
                official("diplomatic official"),
                day,
            )
            .outlet("Reuters")
            .topic("Qatar")
            .topic("Gaza ceasefire"),
            NewClaim::new(
                "The Hamas political office no longer serves its purpose",
                official("US officials").affiliation("US"),
                day,
            )
            .outlet("Reuters")
            .outlet("AFP")
            .topic("Hamas office"),
            NewClaim::new(
                "Hamas has not received any request from Qatar to leave the country",
                official("senior Hamas official").affiliation("Hamas"),
                day,
            )
            .outlet("AFP"),
            NewClaim::new(
                "Israel's retaliatory military campaign has killed 43,552 people in Gaza, the majority of them civilians",
                Source::new("Gaza health ministry")
                    .kind(Kind::Government)
                    .affiliation("Hamas"),
                day,
            )
            .outlet("AFP"),
        ];
        for c in claims {
            db.insert(c).unwrap();
        }
        db.set_status(
            2,
            StatusChange {
                status: Status::Disputed,
                date: day.succ_opt(),
                note: Some("Qatar denied the report".into()),
            },
        )
        .unwrap();
        db.add_evidence(
            2,
            Evidence { url: "https://example.org/wire".into(), note: Some("wire copy".into()), author: None },
        )
        .unwrap();
        db.link(2, Relation::Contradicts, 3).unwrap();
        let list = (1..=4).map(|id| db.get(id).unwrap().unwrap()).collect();
        (db, list)
    }

    #[test]
    fn engine_claims_render_as_a_table_and_a_record() {
        let (_db, list) = engine_claims();
        let wide = claims(&list, 160);
        println!("{wide}");
        let lines: Vec<&str> = wide.lines().collect();
        let row = |id: &str| lines.iter().position(|l| l.starts_with(id)).unwrap_or_else(|| panic!("{wide}"));
        assert!(lines[row("#2")].starts_with("#2  2024-11-09  disputed    US officials (anon., US)"), "{wide}");
        assert!(lines[row("#3")].contains("senior Hamas official"), "{wide}");
        assert!(lines[row("#3") + 1].contains("(anon., Hamas)"), "{wide}");
        assert!(lines[row("#4")].contains("Gaza health ministry"), "{wide}");
        let text = claims(&list, 100);
        println!("{text}");
        for line in text.lines() {
            assert!(width_of(line) <= 100, "too wide: {line}");
        }
        assert!(text.contains("  The Hamas political office no\n"), "{text}");
        let record = super::super::record::claim(&list[1], 100);
        println!("{record}");
        assert!(record.contains("disputed since 2024-11-10"), "{record}");
        assert!(record.contains("contradicts #3"), "{record}");
        let other = super::super::record::claim(&list[2], 100);
        assert!(other.contains("contradicts #2"), "linked from:\n{other}");
    }
}
