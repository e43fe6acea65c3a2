//! The `csv` format: a header row, then one row per result. Claims get the
//! columns `id,text,source,kind,anonymous,affiliation,outlets,date,status,
//! rating,topics,notes` with lists joined by `; `; `per X` groups get `X,count`.

use crate::interchange::csv::{export_row, EXPORT_COLUMNS, LIST_JOIN as LIST_SEPARATOR};
use crate::query::Output;
use std::io::{self, Write};

fn claim_row(c: &crate::Claim) -> Vec<String> {
    export_row(c).to_vec()
}

fn joined_counts<'a>(pairs: impl IntoIterator<Item = (&'a str, u64)>) -> String {
    pairs.into_iter().map(|(k, n)| format!("{k}: {n}")).collect::<Vec<_>>().join(LIST_SEPARATOR)
}

/// The header and rows that represent `output`.
pub fn table(output: &Output) -> (Vec<String>, Vec<Vec<String>>) {
    let header = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    match output {
        Output::Claims(list) => (header(&EXPORT_COLUMNS), list.iter().map(claim_row).collect()),
        Output::Claim(c) => (header(&EXPORT_COLUMNS), vec![claim_row(c)]),
        Output::History { id, entries } => (
            header(&["id", "status", "date", "note", "recorded_at"]),
            entries
                .iter()
                .map(|h| {
                    vec![
                        id.to_string(),
                        h.status.name().to_string(),
                        h.date.to_string(),
                        h.note.clone().unwrap_or_default(),
                        h.recorded_at.to_rfc3339(),
                    ]
                })
                .collect(),
        ),
        Output::Count(n) => (header(&["count"]), vec![vec![n.to_string()]]),
        Output::Groups { by, rows } => {
            let rows = rows.iter().map(|(v, n)| vec![v.clone().unwrap_or_default(), n.to_string()]).collect();
            (vec![by.clone(), "count".to_string()], rows)
        }
        Output::Sources(list) => (
            header(&["name", "kind", "anonymous", "affiliation", "claims"]),
            list.iter()
                .map(|s| {
                    vec![
                        s.source.name.clone(),
                        s.source.kind.name().to_string(),
                        s.source.anonymous.to_string(),
                        s.source.affiliation.clone().unwrap_or_default(),
                        s.claims.to_string(),
                    ]
                })
                .collect(),
        ),
        Output::Records(list) => (
            header(&[
                "group",
                "name",
                "claims",
                "per_status",
                "per_rating",
                "confirmed_share",
                "retracted_share",
                "ranked_share",
                "rated",
                "per_leaning",
                "rated_true_share",
                "rated_false_share",
            ]),
            list.iter()
                .map(|r| {
                    vec![
                        r.group.clone(),
                        r.name.clone(),
                        r.claims.to_string(),
                        joined_counts(r.per_status.iter().map(|(s, n)| (s.as_str(), *n))),
                        joined_counts(r.per_rating.iter().map(|(s, n)| (s.as_str(), *n))),
                        r.confirmed_share.to_string(),
                        r.retracted_share.to_string(),
                        r.ranked.as_ref().and_then(|(_, s)| *s).map(|s| s.to_string()).unwrap_or_default(),
                        r.rated.to_string(),
                        joined_counts(r.per_leaning.iter().map(|(l, n)| (l.name(), *n))),
                        r.rated_true_share.map(|s| s.to_string()).unwrap_or_default(),
                        r.rated_false_share.map(|s| s.to_string()).unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
        Output::Scale(view) => (
            header(&["scale", "rating", "also", "leaning", "claims"]),
            super::scale::rows(view)
                .into_iter()
                .map(|[rating, also, leaning, n]| {
                    vec![view.scale.name.clone(), rating, also.replace(", ", LIST_SEPARATOR), leaning, n]
                })
                .collect(),
        ),
        Output::Pairs(list) => (
            header(&["id", "text", "other_id", "other_text"]),
            list.iter()
                .map(|(a, b)| vec![a.id.to_string(), a.text.clone(), b.id.to_string(), b.text.clone()])
                .collect(),
        ),
        Output::Plan(steps) => (
            header(&["step", "text"]),
            steps.iter().enumerate().map(|(i, s)| vec![(i + 1).to_string(), s.clone()]).collect(),
        ),
        Output::Added(id) => (header(&["added"]), vec![vec![id.to_string()]]),
        Output::Done(message) => (header(&["done"]), vec![vec![message.clone()]]),
        Output::Imported(r) => (
            header(&["imported", "rejected", "rejected_records"]),
            vec![vec![
                r.imported.to_string(),
                r.rejected.len().to_string(),
                r.rejected.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(LIST_SEPARATOR),
            ]],
        ),
        Output::Stats(s) => (
            header(&["claims", "per_status", "sources", "per_outlet", "size_on_disk", "next_id"]),
            vec![vec![
                s.claims.to_string(),
                joined_counts(s.per_status.iter().map(|(st, n)| (st.name(), *n))),
                s.sources.to_string(),
                joined_counts(s.per_outlet.iter().map(|(o, n)| (o.as_str(), *n))),
                s.size_on_disk.to_string(),
                s.next_id.to_string(),
            ]],
        ),
        Output::Check(r) => (
            header(&["ok", "claims", "sources", "index_entries", "links", "problems"]),
            vec![vec![
                r.is_ok().to_string(),
                r.claims.to_string(),
                r.sources.to_string(),
                r.index_entries.to_string(),
                r.links.to_string(),
                r.problems.join(LIST_SEPARATOR),
            ]],
        ),
        Output::Ranked(r) => super::article::ranked_csv(r),
        Output::Proposals(list) => super::article::proposals_csv(list),
        Output::ArticleImported(r) => super::article::report_csv(r),
        Output::AddedNearDuplicate { id, duplicates } => (
            header(&["added", "near_duplicates"]),
            vec![vec![
                id.to_string(),
                duplicates.iter().map(|(d, _)| d.to_string()).collect::<Vec<_>>().join(LIST_SEPARATOR),
            ]],
        ),
    }
}

/// Writes `output` as CSV with a header row.
pub fn write(out: &mut dyn Write, output: &Output) -> io::Result<()> {
    let (header, rows) = table(output);
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(&header).map_err(io::Error::other)?;
    for row in rows {
        writer.write_record(&row).map_err(io::Error::other)?;
    }
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::format::table::tests::sample_claim;

    fn text(output: &Output) -> String {
        let mut out = Vec::new();
        write(&mut out, output).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn claims_have_the_documented_columns() {
        let c = sample_claim(3, "He said \"no\", twice");
        let csv = text(&Output::Claims(vec![c].into()));
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some("id,text,source,kind,anonymous,affiliation,outlets,date,status,rating,topics,notes")
        );
        assert_eq!(
            lines.next(),
            Some("3,\"He said \"\"no\"\", twice\",US officials,official,true,US,Reuters; AFP,2024-11-09,unverified,,qatar,")
        );
    }

    #[test]
    fn groups_are_value_and_count() {
        let csv = text(&Output::Groups {
            by: "status".into(),
            rows: vec![(Some("disputed".into()), 3), (Some("denied".into()), 1)],
        });
        assert_eq!(csv, "status,count\ndisputed,3\ndenied,1\n");
        assert_eq!(text(&Output::Count(4)), "count\n4\n");
    }

    #[test]
    fn empty_claims_still_have_a_header() {
        assert_eq!(text(&Output::Claims(vec![].into())).lines().count(), 1);
    }
}
