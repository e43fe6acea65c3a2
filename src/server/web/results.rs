//! Results as HTML: claims, counts, groups, sources and track records as
//! tables with links (a claim to its page, a group or a source to its
//! claims); plans, statistics and write reports as the shell prints them.

use super::layout::{query_link, quoted};
use crate::query::{Output, TrackRecord};
use crate::shell::format::{self, Format};
use crate::Claim;
use maud::{html, Markup};

/// A claim's link: `#12`, to its page.
pub fn claim_link(id: u64) -> Markup {
    html! { a href={ "/claims/" (id) } { "#" (id) } }
}

/// Claims as a table.
pub fn claims_table(claims: &[Claim]) -> Markup {
    html! {
        div.scroll { table.claims {
            thead { tr { th { "id" } th { "date" } th { "status" } th { "source" } th { "outlets" } th { "text" } } }
            tbody {
                @for c in claims {
                    tr {
                        td { (claim_link(c.id)) }
                        td.date data-label="date" { (c.date) }
                        td.status data-label="status" { (c.status.name()) }
                        td data-label="source" {
                            a href=(query_link(&format!("claims by {}", quoted(&c.source.name)))) { (c.source.name) }
                            @if c.source.anonymous { " (anon.)" } }
                        td data-label="outlets" { @for (i, o) in c.outlets.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href=(query_link(&format!("claims via {}", quoted(o)))) { (o) } } }
                        td.text { (c.text) }
                    }
                }
            }
        } }
    }
}

/// The clause that narrows claims to those with `value` for `by` (a
/// facet, or a group of `count … per by`), when the language can say it.
pub fn clause_for(by: &str, value: &str) -> Option<String> {
    let q = quoted(value);
    Some(match by {
        "status" => format!("with status {value}"),
        "outlet" => format!("via {q}"),
        "source" => format!("by {q}"),
        "topic" => format!("about {q}"),
        "rating" => format!("rated {q}"),
        "month" | "year" => format!("in {value}"),
        _ => return None,
    })
}

/// Renders any output; `statement` is what produced it, so that groups can
/// link to their claims.
pub fn output(out: &Output, statement: &str) -> Markup {
    match out {
        Output::Claims(list) => claims_table(list),
        Output::Claim(c) => claims_table(std::slice::from_ref(c)),
        Output::Count(n) => html! { p { strong { (n) } " " (if *n == 1 { "claim" } else { "claims" }) } },
        Output::Groups { by, rows } => {
            let base = claims_of_count(statement);
            html! { div.scroll { table {
                thead { tr { th { (by) } th { "claims" } } }
                tbody { @for (value, n) in rows {
                    tr {
                        td { @match (value, base.as_ref().zip(value.as_ref().and_then(|v| clause_for(by, v)))) {
                            (Some(v), Some((base, clause))) => a href=(query_link(&format!("{base} {clause}"))) { (v) },
                            (Some(v), None) => (v),
                            (None, _) => em { "(none)" },
                        } }
                        td.n { (n) }
                    }
                } }
            } } }
        }
        Output::Sources(list) => html! { div.scroll { table {
            thead { tr { th { "source" } th { "kind" } th { "anonymous" } th { "affiliation" } th { "claims" } } }
            tbody { @for s in list { tr {
                td { a href=(query_link(&format!("claims by {}", quoted(&s.source.name)))) { (s.source.name) } }
                td { (s.source.kind.name()) }
                td { (if s.source.anonymous { "yes" } else { "no" }) }
                td { (s.source.affiliation.as_deref().unwrap_or("")) }
                td.n { (s.claims) }
            } } }
        } } },
        Output::Records(list) => records(list),
        Output::Pairs(pairs) => html! { div.scroll { table {
            thead { tr { th { "claim" } th { "contradicts" } } }
            tbody { @for (a, b) in pairs { tr {
                td { (claim_link(a.id)) " " span.status { (a.status.name()) } " " (a.text) }
                td { (claim_link(b.id)) " " span.status { (b.status.name()) } " " (b.text) }
            } } }
        } } },
        Output::History { id, entries } => html! {
            p { "History of " (claim_link(*id)) }
            div.scroll { table {
                thead { tr { th { "date" } th { "status" } th { "because" } th { "recorded" } } }
                tbody { @for h in entries { tr {
                    td { (h.date) } td.status { (h.status.name()) } td { (h.note.as_deref().unwrap_or("")) }
                    td { (h.recorded_at.format("%Y-%m-%d %H:%M UTC")) }
                } } }
            } }
        },
        Output::Added(id) => html! { p.note { "Added claim " (claim_link(*id)) "." } },
        other => as_shell_prints(other),
    }
}

/// Track records: one row per source (or kind, outlet…).
fn records(list: &[TrackRecord]) -> Markup {
    let ranked = list.first().and_then(|r| r.ranked.as_ref()).map(|(label, _)| label.clone());
    html! { div.scroll { table {
        thead { tr {
            th { (list.first().map_or("source", |r| r.group.as_str())) } th { "claims" } th { "statuses" }
            th { "confirmed" } th { "retracted/false" }
            @if let Some(label) = &ranked { th { (label) } }
        } }
        tbody { @for r in list { tr {
            td { @if r.group == "source" {
                a href=(query_link(&format!("track record of {}", quoted(&r.name)))) { (r.name) }
            } @else { (r.name) } }
            td.n { (r.claims) }
            td { (r.per_status.iter().filter(|(_, n)| *n > 0).map(|(s, n)| format!("{n} {s}")).collect::<Vec<_>>().join(", ")) }
            td.n { (percent(r.confirmed_share)) }
            td.n { (percent(r.retracted_share)) }
            @if ranked.is_some() { td.n { (r.ranked.as_ref().map(|(_, s)| percent(*s)).unwrap_or_default()) } }
        } } }
    } } }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// The claims query that a `count claims …` statement counts, to link its
/// groups to (`None` for anything else).
fn claims_of_count(statement: &str) -> Option<String> {
    let trimmed = statement.trim().trim_end_matches(';');
    let rest = trimmed.strip_prefix("count").or_else(|| trimmed.strip_prefix("COUNT"))?;
    let rest = rest.trim_start();
    if !rest.to_lowercase().starts_with("claims") {
        return None;
    }
    // Drop the `per X` clause, the last one written.
    let lower = rest.to_lowercase();
    let cut = lower.rfind(" per ").map_or(rest.len(), |i| i);
    let base = rest[..cut].trim().to_string();
    crate::query::parser::parse(&base).ok().map(|_| base)
}

/// Anything else as the shell's table format prints it.
fn as_shell_prints(out: &Output) -> Markup {
    let mut text = Vec::new();
    let _ = format::write(&mut text, out, Format::Table, 100);
    html! { pre { (String::from_utf8_lossy(&text)) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_link_to_their_claims() {
        assert_eq!(claims_of_count("count claims via Reuters per status").as_deref(), Some("claims via Reuters"));
        assert_eq!(claims_of_count("count claims per month").as_deref(), Some("claims"));
        assert_eq!(claims_of_count("claims via AFP"), None);
        let html = output(
            &Output::Groups { by: "status".into(), rows: vec![(Some("disputed".into()), 2), (None, 1)] },
            "count claims via AFP per status",
        )
        .into_string();
        assert!(html.contains("href=\"/?q=claims+via+AFP+with+status+disputed\""), "{html}");
        assert!(html.contains("(none)"));
    }
}
