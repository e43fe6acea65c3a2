//! `explain`: the plan of a statement, written for people.

use crate::query::ast::{Filter, OrderKey};
use crate::query::plan::{describe_range, Access, Plan};

fn about(n: u64) -> String {
    if n == 1 {
        "≈ 1 claim".into()
    } else {
        format!("≈ {n} claims")
    }
}

/// A short description of a filter, for the "then check" line.
pub fn describe_filter(f: &Filter) -> String {
    match f {
        Filter::Source(p) => {
            let mut parts = Vec::new();
            if let Some(a) = p.anonymous {
                parts.push(if a { "anonymous".to_string() } else { "named".to_string() });
            }
            if let Some(k) = p.kind {
                parts.push(k.name().to_string());
            }
            if let Some(n) = &p.name {
                parts.push(format!("{n:?}"));
            }
            if let Some(a) = &p.affiliation {
                parts.push(format!("of {a:?}"));
            }
            format!("source is {}", parts.join(" "))
        }
        Filter::Outlet(o) => format!("an outlet is {o:?}"),
        Filter::Topic(t) => format!("a topic is {t:?}"),
        Filter::Mentioning(words) => {
            let phrase: Vec<String> =
                words.iter().map(|w| format!("{}{}", w.word, if w.prefix { "*" } else { "" })).collect();
            format!("text has the words \"{}\" in a row", phrase.join(" "))
        }
        Filter::Status(list) => {
            format!("status is {}", list.iter().map(|s| s.name()).collect::<Vec<_>>().join(" or "))
        }
        Filter::Rated(r) => format!("rating is {r:?}"),
        Filter::Date(r) => format!("date in {}", describe_range(r)),
        Filter::Where(_) => "the where condition".into(),
        Filter::Related { relation, id, passive } => {
            if *passive {
                format!("{} by claim #{}", relation.passive(), id.id)
            } else {
                format!("{} claim #{}", relation.participle(), id.id)
            }
        }
        Filter::StatusAsOf { statuses, date } => {
            format!("status on {date} was {}", statuses.iter().map(|s| s.name()).collect::<Vec<_>>().join(" or "))
        }
        Filter::MinOutlets(n) => format!("reported by at least {n} outlets"),
        Filter::OnlyOutlet(o) => format!("{o:?} is the only outlet"),
        Filter::OnlyAnonymousSources => "the source is anonymous".into(),
        Filter::Stale { days, .. } => format!("status unchanged for more than {days} days"),
    }
}

/// The plan as lines of text.
pub fn render(plan: &Plan, counting: bool) -> Vec<String> {
    let mut lines = Vec::new();
    if counting && plan.counts_from_index {
        let what = plan.group.map_or("claims", |g| g.name());
        lines.push(format!("count per {what} from the index block headers (no claim is loaded)"));
        return lines;
    }
    match &plan.access {
        Access::Nothing(why) => {
            lines.push(format!("nothing can match: {why}"));
            return lines;
        }
        Access::DateScan(range) => {
            let within = if range.from.is_some() || range.to.is_some() {
                format!(" within {}", describe_range(range))
            } else {
                String::new()
            };
            lines.push(format!("walk the date index{within}, loading each claim in date order"));
        }
        Access::IdScan => {
            lines.push(format!("scan all {} claims in id order (no index narrows this query)", plan.total))
        }
        Access::Index(chosen) => {
            for (i, c) in chosen.iter().enumerate() {
                let verb = if i == 0 { "look up" } else { "intersect with" };
                lines.push(format!("{verb} {} ({})", c.lookup.describe(), about(c.estimate)));
            }
        }
    }
    for c in &plan.skipped {
        lines.push(format!("not used, too broad to help: {} ({})", c.lookup.describe(), about(c.estimate)));
    }
    if counting && plan.residual.is_empty() && plan.group.is_none() {
        lines.push("count the ids (no claim is loaded)".into());
        return lines;
    }
    if plan.residual.is_empty() && !matches!(plan.access, Access::Index(_)) {
        lines.push("load each claim".into());
    } else if plan.residual.is_empty() {
        lines.push("load each candidate claim (every filter was answered by the indexes)".into());
    } else {
        let checks: Vec<String> = plan.residual.iter().map(describe_filter).collect();
        lines.push(format!("load each candidate claim and check: {}", checks.join("; ")));
    }
    if let Some(day) = plan.as_of {
        lines.push(format!("statuses are taken as they stood on {day}, from each claim's history"));
    }
    if counting {
        match plan.group {
            Some(g) => lines.push(format!("count per {}, biggest first", g.name())),
            None => lines.push("count them".into()),
        }
        return lines;
    }
    let key = match plan.order.key {
        OrderKey::Date => "date, then id",
        OrderKey::Id => "id",
        OrderKey::Status => "status, then date",
        OrderKey::Source => "source, then date",
    };
    let direction = if plan.order.descending { "descending" } else { "ascending" };
    if plan.ordered_walk {
        lines.push(format!(
            "walk the date index in {direction} order, keeping candidates, until {} are found",
            plan.limit.unwrap_or(0)
        ));
    } else {
        let streamed = matches!(plan.access, Access::DateScan(_))
            || plan.order.key == OrderKey::Id && matches!(plan.access, Access::IdScan | Access::Index(_));
        if streamed {
            lines.push(format!("already in order by {key} ({direction})"));
        } else {
            lines.push(format!("sort by {key} ({direction})"));
        }
    }
    if let Some(limit) = plan.limit {
        lines.push(format!("stop after {limit}"));
    }
    lines
}
