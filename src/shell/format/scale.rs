//! The rating scale (`rating scale`) as a table and as lines: its name and
//! whether other ratings are accepted, then one row per grade (its other
//! spellings, its leaning, its claims) and one per rating claims have that
//! is off the scale.

use super::grid::{self, Column};
use super::plural;
use crate::query::ScaleView;

/// What a leaning cell says for a rating that is no grade of the scale.
pub const OFF_SCALE: &str = "off the scale";

/// One row per grade, then per rating off the scale: rating, other
/// spellings (joined by `, `), leaning, claims.
pub fn rows(view: &ScaleView) -> Vec<[String; 4]> {
    let mut rows: Vec<[String; 4]> = view
        .scale
        .grades
        .iter()
        .zip(&view.claims)
        .map(|(g, n)| [g.name.clone(), g.also.join(", "), g.leaning.name().to_string(), n.to_string()])
        .collect();
    for (rating, n) in &view.off_scale {
        rows.push([rating.clone(), String::new(), OFF_SCALE.to_string(), n.to_string()]);
    }
    rows
}

/// The first line: `rating scale politifact: other ratings are refused`.
fn heading(view: &ScaleView) -> String {
    let rule = match (view.scale.open, view.scale.grades.is_empty()) {
        (true, true) => "every rating is accepted, none leans either way",
        (true, false) => "other ratings are accepted too, and lean neither way",
        (false, _) => "other ratings are refused",
    };
    format!("rating scale {}: {rule}\n", view.scale.name)
}

/// The last line: `(6 grades; 2296 rated claims)`.
fn footer(view: &ScaleView) -> String {
    let rated: u64 = view.claims.iter().sum::<u64>() + view.off_scale.iter().map(|(_, n)| n).sum::<u64>();
    format!(
        "({}; {})\n",
        plural(view.scale.grades.len() as u64, "grade", "grades"),
        plural(rated, "rated claim", "rated claims")
    )
}

/// The scale as a table fitted to `width`.
pub fn table(view: &ScaleView, width: usize) -> String {
    let mut out = heading(view);
    let rows: Vec<Vec<String>> = rows(view).into_iter().map(Vec::from).collect();
    if !rows.is_empty() {
        let columns =
            [Column::flex("rating"), Column::left("also", 24), Column::fixed("leaning"), Column::right("claims")];
        out.push_str(&grid::render(&columns, &rows, width.min(80)));
    }
    out.push_str(&footer(view));
    out
}

/// The scale one row per line, fields separated by ` | `.
pub fn lines(view: &ScaleView) -> String {
    let mut out = heading(view);
    for [rating, also, leaning, n] in rows(view) {
        let also = if also.is_empty() { "-".to_string() } else { also };
        out.push_str(&format!("{rating} | {also} | {leaning} | {n}\n"));
    }
    out.push_str(&footer(view));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rating_scale::RatingScale;

    #[test]
    fn grades_then_ratings_off_the_scale() {
        let view = ScaleView::new(
            RatingScale::politifact(),
            vec![("false".into(), 5), ("barely-true".into(), 2), ("Mostly False".into(), 1), ("banana".into(), 3)],
        );
        let text = lines(&view);
        assert!(text.starts_with("rating scale politifact: other ratings are refused\n"), "{text}");
        assert!(text.contains("\nmostly-false | barely-true | false-ish | 3\n"), "{text}");
        assert!(text.contains("\nbanana | - | off the scale | 3\n"), "{text}");
        assert!(text.ends_with("(6 grades; 11 rated claims)\n"), "{text}");
        let table = table(&view, 80);
        assert!(table.contains("pants-fire"), "{table}");
    }
}
