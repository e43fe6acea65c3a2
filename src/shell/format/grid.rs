//! The generic grid under every table: columns with headers, fitted to a
//! width by squeezing the widest names first, every cell wrapped onto as
//! many lines as it needs. Nothing is ever cut: a cell too long for its
//! column wraps, and a caller whose table cannot fit (see [`fit`]) prints
//! another view instead.

use super::{flatten, pad, width_of};

/// One column of a grid.
#[derive(Clone, Copy, Debug)]
pub struct Column<'a> {
    /// The header.
    pub header: &'a str,
    /// Right-align the cells (numbers, ids).
    pub right: bool,
    /// The widest the column gets before its cells wrap; the flexible
    /// column takes whatever width is left instead.
    pub max: usize,
    /// Whether this column takes the width left over (at most one should).
    pub flex: bool,
    /// For the flexible column: the width other columns are squeezed to
    /// make room for.
    pub min: usize,
    /// Whether the column may be squeezed below its natural width when the
    /// terminal is narrow (names may; ids, dates and statuses may not).
    pub squeeze: bool,
}

impl<'a> Column<'a> {
    /// A left-aligned column of at most `max` columns, squeezed if need be.
    pub const fn left(header: &'a str, max: usize) -> Column<'a> {
        Column { header, right: false, max, flex: false, min: 0, squeeze: true }
    }

    /// A left-aligned column that is never squeezed (dates, statuses).
    pub const fn fixed(header: &'a str) -> Column<'a> {
        Column { header, right: false, max: usize::MAX, flex: false, min: 0, squeeze: false }
    }

    /// A right-aligned column that is never squeezed (numbers, ids).
    pub const fn right(header: &'a str) -> Column<'a> {
        Column { header, right: true, max: usize::MAX, flex: false, min: 0, squeeze: false }
    }

    /// The column that takes the width left over.
    pub const fn flex(header: &'a str) -> Column<'a> {
        Column { header, right: false, max: usize::MAX, flex: true, min: MIN_FLEX, squeeze: true }
    }
}

/// The gap between columns.
pub const GAP: &str = "  ";
/// The narrowest a flexible column is squeezed to.
pub const MIN_FLEX: usize = 16;
/// The narrowest the flexible column ever gets.
const MIN_TEXT: usize = 6;
/// The narrowest a squeezable column is squeezed to.
const MIN_SQUEEZED: usize = 12;
/// A squeezable column is squeezed no narrower than its longest word, up
/// to this width (so `16 barely-true` is not broken when it can be kept).
const MAX_WORD_FLOOR: usize = 14;

/// How a grid fits a width: each column's width, and whether the flexible
/// column got the room it asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fit {
    /// The width of each column.
    pub widths: Vec<usize>,
    /// Whether the flexible column has at least its `min` (or its natural
    /// width, if smaller).
    pub roomy: bool,
}

/// Cleans every cell for display.
fn clean(rows: &[Vec<String>]) -> Vec<Vec<String>> {
    rows.iter().map(|row| row.iter().map(|c| flatten(c)).collect()).collect()
}

fn layout(columns: &[Column<'_>], cells: &[Vec<String>], width: usize) -> Fit {
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
    let floors: Vec<usize> = (0..columns.len())
        .map(|i| {
            let longest_word =
                cells.iter().filter_map(|r| r.get(i)).flat_map(|c| c.split(' ')).map(width_of).max().unwrap_or(0);
            longest_word.clamp(MIN_SQUEEZED, MAX_WORD_FLOOR)
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
            .filter(|&i| Some(i) != flex && columns[i].squeeze && widths[i] > floors[i])
            .max_by_key(|&i| widths[i]);
        match widest {
            Some(i) => widths[i] -= 1,
            None => break,
        }
    }
    let roomy = fixed(&widths) + want_flex <= width;
    if let Some(f) = flex {
        // On a very narrow terminal the text gets what is left, down to a
        // few columns, rather than pushing lines past the edge.
        let left = width.saturating_sub(fixed(&widths));
        widths[f] = natural[f].min(left.max(MIN_TEXT));
    }
    Fit { widths, roomy }
}

/// How `rows` under `columns` fit within `width` (at least
/// [`super::MIN_WIDTH`]).
pub fn fit(columns: &[Column<'_>], rows: &[Vec<String>], width: usize) -> Fit {
    layout(columns, &clean(rows), width.max(super::MIN_WIDTH))
}

/// Renders rows under a header, fitted to `width` columns; every cell
/// wraps onto as many lines as it needs.
pub fn render(columns: &[Column<'_>], rows: &[Vec<String>], width: usize) -> String {
    let width = width.max(super::MIN_WIDTH);
    let cells = clean(rows);
    let widths = layout(columns, &cells, width).widths;
    let mut out = String::new();
    let line = |out: &mut String, texts: &mut dyn Iterator<Item = String>| {
        // Each cell becomes one or more lines; the row takes as many lines
        // as its tallest cell.
        let cells: Vec<Vec<String>> = texts.zip(&widths).map(|(text, &w)| cell_lines(&text, w)).collect();
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

/// A cell's text in lines of at most `width` columns.
fn cell_lines(text: &str, width: usize) -> Vec<String> {
    if width_of(text) <= width {
        return vec![text.to_string()];
    }
    super::wrap(text, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_wrap_and_are_never_cut() {
        let columns = [Column::right("n"), Column::left("name", 12), Column::flex("text")];
        let long = "word ".repeat(40);
        let rows = vec![vec!["1".to_string(), "a rather long source name".to_string(), long.clone()]];
        let text = render(&columns, &rows, 50);
        assert!(!text.contains('…'), "{text}");
        for line in text.lines() {
            assert!(width_of(line) <= 50, "too wide: {line}");
        }
        let words: usize = text.lines().skip(2).map(|l| l.matches("word").count()).sum();
        assert_eq!(words, 40, "{text}");
        for part in ["a", "rather", "long", "source", "name"] {
            assert!(text.split_whitespace().any(|w| w == part), "{part}: {text}");
        }
    }

    #[test]
    fn a_fit_says_when_the_text_has_no_room() {
        let columns = [Column::left("a", 30), Column::left("b", 30), Column { min: 40, ..Column::flex("text") }];
        let rows = vec![vec!["x".repeat(30), "y".repeat(30), "z".repeat(60)]];
        assert!(fit(&columns, &rows, 120).roomy);
        assert!(!fit(&columns, &rows, 60).roomy);
    }
}
