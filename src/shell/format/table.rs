//! The `table` format: aligned columns fitted to the terminal width, for
//! people. Long texts are shortened with `…` so that a list of claims is
//! never a wall of text; `claim N` is printed as a record ([`super::record`]).

use super::{counts_phrase, flatten, pad, plural, shorten, source_cell, width_of};
use crate::model::Claim;
use crate::query::{Output, TrackRecord};
use crate::{CheckReport, Stats};
use std::io::{self, Write};

/// One column of a table.
#[derive(Clone, Copy, Debug)]
pub struct Column<'a> {
    /// The header.
    pub header: &'a str,
    /// Right-align the cells (numbers, ids).
    pub right: bool,
    /// The widest the column may get before cells are shortened; the flexible
    /// column takes whatever width is left instead.
    pub max: usize,
    /// Whether this column takes the width left over (at most one should).
    pub flex: bool,
    /// For the flexible column: the width other columns are squeezed to
    /// make room for, before columns are dropped.
    pub min: usize,
    /// Whether the column may be squeezed below its natural width when the
    /// terminal is narrow (names may; ids, dates and statuses may not).
    pub squeeze: bool,
    /// How many lines a cell may wrap onto before it is shortened with `…`
    /// (1: never wraps).
    pub lines: usize,
}

impl<'a> Column<'a> {
    /// A left-aligned column of at most `max` columns, squeezed if need be.
    pub const fn left(header: &'a str, max: usize) -> Column<'a> {
        Column { header, right: false, max, flex: false, min: 0, squeeze: true, lines: 1 }
    }

    /// A left-aligned column that is never shortened (dates, statuses).
    pub const fn fixed(header: &'a str) -> Column<'a> {
        Column { header, right: false, max: usize::MAX, flex: false, min: 0, squeeze: false, lines: 1 }
    }

    /// A right-aligned column that is never shortened (numbers, ids).
    pub const fn right(header: &'a str) -> Column<'a> {
        Column { header, right: true, max: usize::MAX, flex: false, min: 0, squeeze: false, lines: 1 }
    }

    /// The column that takes the width left over.
    pub const fn flex(header: &'a str) -> Column<'a> {
        Column { header, right: false, max: usize::MAX, flex: true, min: MIN_FLEX, squeeze: true, lines: 1 }
    }
}

/// The gap between columns.
const GAP: &str = "  ";
/// The narrowest a flexible column is squeezed to.
const MIN_FLEX: usize = 16;
/// The narrowest the flexible column ever gets.
const MIN_TEXT: usize = 6;
/// The narrowest a squeezable column is squeezed to.
const MIN_SQUEEZED: usize = 12;

/// Column widths for `cells` within `width`, and whether they fit.
fn layout(columns: &[Column<'_>], cells: &[Vec<String>], width: usize) -> (Vec<usize>, bool) {
    let natural: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, col)| {
            cells
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| width_of(c))
                .chain(std::iter::once(width_of(col.header)))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut widths: Vec<usize> = columns.iter().zip(&natural).map(|(col, &n)| n.min(col.max)).collect();
    let gaps = GAP.len() * columns.len().saturating_sub(1);
    let flex = columns.iter().position(|c| c.flex);
    let fixed = |widths: &[usize]| -> usize {
        widths.iter().enumerate().filter(|(i, _)| Some(*i) != flex).map(|(_, w)| w).sum::<usize>() + gaps
    };
    // Squeeze the widest squeezable columns until the flexible one has room.
    let want_flex = flex.map_or(0, |f| natural[f].min(columns[f].min));
    while fixed(&widths) + want_flex > width {
        let widest = (0..columns.len())
            .filter(|&i| Some(i) != flex && columns[i].squeeze && widths[i] > MIN_SQUEEZED)
            .max_by_key(|&i| widths[i]);
        match widest {
            Some(i) => widths[i] -= 1,
            None => break,
        }
    }
    let fits = fixed(&widths) + want_flex <= width;
    if let Some(f) = flex {
        // On a very narrow terminal the text gets what is left, down to a
        // few columns, rather than pushing lines past the edge.
        let left = width.saturating_sub(fixed(&widths));
        widths[f] = natural[f].min(left.max(MIN_TEXT));
    }
    (widths, fits)
}

/// Cleans every cell for display.
fn clean(rows: &[Vec<String>]) -> Vec<Vec<String>> {
    rows.iter().map(|row| row.iter().map(|c| flatten(c)).collect()).collect()
}

/// Whether rows fit under these columns within `width` without squeezing
/// anything below its minimum.
pub fn fits(columns: &[Column<'_>], rows: &[Vec<String>], width: usize) -> bool {
    layout(columns, &clean(rows), width.max(super::MIN_WIDTH)).1
}

/// Renders rows under a header, fitted to `width` columns.
pub fn render(columns: &[Column<'_>], rows: &[Vec<String>], width: usize) -> String {
    let width = width.max(super::MIN_WIDTH);
    let cells = clean(rows);
    let (widths, _) = layout(columns, &cells, width);
    let mut out = String::new();
    let line = |out: &mut String, texts: &mut dyn Iterator<Item = String>| {
        // Each cell becomes one or more lines; the row takes as many lines
        // as its tallest cell.
        let cells: Vec<Vec<String>> =
            texts.zip(columns.iter().zip(&widths)).map(|(text, (col, &w))| cell_lines(&text, w, col.lines)).collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1);
        for n in 0..height {
            let parts: Vec<String> = cells
                .iter()
                .zip(columns.iter().zip(&widths))
                .map(|(lines, (col, &w))| pad(lines.get(n).map_or("", String::as_str), w, col.right))
                .collect();
            out.push_str(parts.join(GAP).trim_end());
            out.push('\n');
        }
    };
    line(&mut out, &mut columns.iter().map(|c| c.header.to_string()));
    line(&mut out, &mut widths.iter().map(|&w| "-".repeat(w)));
    for row in cells {
        line(&mut out, &mut row.into_iter());
    }
    out
}

/// A cell's text in lines of at most `width` columns: wrapped onto at most
/// `max_lines` lines, the last shortened with `…` if the text goes on.
fn cell_lines(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    if max_lines <= 1 || width_of(text) <= width || width < 10 {
        return vec![shorten(text, width)];
    }
    let mut lines = super::wrap(text, width);
    if lines.len() > max_lines {
        let rest = lines[max_lines - 1..].join(" ");
        lines.truncate(max_lines - 1);
        lines.push(shorten(&format!("{rest} …"), width));
    }
    lines
}

/// The columns of a claims table, widest layout first: narrower
/// terminals drop the outlets, then the source, before the text gets too
/// short to read.
const CLAIM_LAYOUTS: [&[usize]; 3] = [&[0, 1, 2, 3, 4, 5], &[0, 1, 2, 3, 5], &[0, 1, 2, 5]];

/// The columns of a claims table for a terminal `width` wide.
fn claim_columns(width: usize) -> [Column<'static>; 6] {
    [
        Column::right("id"),
        Column::fixed("date"),
        Column::fixed("status"),
        Column { lines: 2, ..Column::left("source", 24) },
        Column { lines: 2, ..Column::left("outlets", 16) },
        // The text is what the table is for: it wraps onto a few lines, and
        // names are squeezed, then dropped, to keep a third of the width.
        Column { min: (width / 3).max(MIN_FLEX), lines: 4, ..Column::flex("text") },
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

/// A table of claims, one line each, with a count under it.
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
/// (a stream prints a page at a time, and the count at the end).
pub fn claims_page(claims: &[Claim], width: usize) -> String {
    let full: Vec<Vec<String>> = claims.iter().map(claim_row).collect();
    let all = claim_columns(width);
    let pick = |keep: &[usize]| -> (Vec<Column<'static>>, Vec<Vec<String>>) {
        let columns = keep.iter().map(|&i| all[i]).collect();
        let rows = full.iter().map(|row| keep.iter().map(|&i| row[i].clone()).collect()).collect();
        (columns, rows)
    };
    let mut chosen = pick(CLAIM_LAYOUTS[CLAIM_LAYOUTS.len() - 1]);
    for keep in CLAIM_LAYOUTS {
        let (columns, rows) = pick(keep);
        if fits(&columns, &rows, width) {
            chosen = (columns, rows);
            break;
        }
    }
    render(&chosen.0, &chosen.1, width)
}

fn groups(by: &str, rows: &[(Option<String>, u64)], width: usize) -> String {
    if rows.is_empty() {
        return "no claims\n".to_string();
    }
    let columns = [Column::flex(by), Column::right("count")];
    let table: Vec<Vec<String>> =
        rows.iter().map(|(value, n)| vec![value.clone().unwrap_or_else(|| "(none)".into()), n.to_string()]).collect();
    let mut out = render(&columns, &table, width.min(60));
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
    let mut out = render(&columns, &rows, width);
    out.push_str(&format!("({})\n", plural(list.len() as u64, "source", "sources")));
    out
}

fn records(list: &[TrackRecord], width: usize) -> String {
    let Some(first) = list.first() else {
        return "no claims\n".to_string();
    };
    let any_rating = list.iter().any(|r| !r.per_rating.is_empty());
    let mut columns = vec![
        Column { lines: 2, ..Column::left(&first.group, 28) },
        Column::right("claims"),
        Column { lines: 3, ..Column::left("statuses", 30) },
    ];
    if any_rating {
        columns.push(Column { lines: 3, ..Column::left("ratings", 30) });
    }
    columns.push(Column::right("confirmed"));
    columns.push(Column::right("retracted/false"));
    let ranked_header = first.ranked.as_ref().map(|(label, _)| label.clone());
    if let Some(header) = &ranked_header {
        columns.push(Column::right(header));
    }
    let percent = |share: f64| format!("{:.0}%", share * 100.0);
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|r| {
            let mut row = vec![r.name.clone(), r.claims.to_string(), counts_phrase(&r.per_status)];
            if any_rating {
                row.push(counts_phrase(&r.per_rating));
            }
            row.push(percent(r.confirmed_share));
            row.push(percent(r.retracted_share));
            if let Some((_, share)) = &r.ranked {
                row.push(percent(*share));
            }
            row
        })
        .collect();
    let mut out = render(&columns, &rows, width);
    let many = if first.group.ends_with('s') { format!("{}es", first.group) } else { format!("{}s", first.group) };
    out.push_str(&format!("({})\n", plural(list.len() as u64, &first.group, &many)));
    out
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
            let room = width.saturating_sub(width_of(&head)).max(MIN_FLEX);
            out.push_str(&head);
            out.push_str(&shorten(&flatten(&claim.text), room));
            out.push('\n');
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
        rows.push((2, shorten(&flatten(outlet), 30), n.to_string()));
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
    };
    out.write_all(text.as_bytes())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
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

    #[test]
    fn claims_fit_the_width_and_align_ids() {
        let long = "The Hamas political office no longer serves its purpose ".repeat(5);
        let list = vec![sample_claim(3, &long), sample_claim(12, "short")];
        let text = claims(&list, 100);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with(" id  date"), "{text}");
        assert!(lines[2].starts_with(" #3  2024-11-09"), "{text}");
        // The long text wraps onto four lines, the last shortened.
        assert!(lines[5].ends_with('…'), "{text}");
        assert!(lines[6].starts_with("#12  2024-11-09"), "{text}");
        assert!(lines[2].contains("US officials (anon.,"), "{text}");
        for line in &lines {
            assert!(width_of(line) <= 100, "too wide: {line}");
        }
        assert_eq!(lines.last(), Some(&"(2 claims)"));
    }

    #[test]
    fn narrow_terminals_drop_columns_before_the_text() {
        let list = vec![sample_claim(3, "Qatar notified both sides of its decision")];
        for width in [40, 50, 60, 70, 80, 90] {
            let text = claims(&list, width);
            for line in text.lines() {
                assert!(width_of(line) <= width, "too wide at {width}: {line}");
            }
            assert!(text.contains("Qatar"), "{text}");
            assert!(text.contains("2024-11-09  unverified"), "{text}");
        }
        assert!(claims(&list, 90).contains("outlets"));
        assert!(!claims(&list, 70).contains("outlets"));
        assert!(claims(&list, 70).contains("source"));
        assert!(!claims(&list, 50).contains("source"));
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
