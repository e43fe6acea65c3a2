//! Output formats: which one is in use and the text helpers they share.
//!
//! [`write`](fn@write) prints any [`Output`] in the chosen [`Format`]: `table` for
//! people ([`table`] and [`record`], both on the [`grid`]), `json`/`jsonl`
//! ([`json`]), `csv` ([`csv`]) and `lines` ([`lines`]) for programs, grep
//! and diff; [`stream`] prints claims as a query finds them. The text
//! helpers they share (flattening, wrapping, how a source reads, footers)
//! are here.

pub mod article;
pub mod csv;
pub mod grid;
pub mod json;
pub mod lines;
pub mod record;
pub mod scale;
pub mod stream;
pub mod table;

use crate::model::{Kind, Source};
use crate::query::Output;
use std::io::{self, Write};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned tables and readable records, fitted to the terminal.
    Table,
    /// A JSON array of objects (claims exactly as serde writes them).
    Json,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// One line per row, every value in full, fields separated by ` | `:
    /// for grep and diff.
    Lines,
    /// The proposals of `extract from` as `add claim` statements, to edit
    /// and run with `-f` (other results are refused, or, for writes, said
    /// in comments).
    Cq,
}

impl Format {
    /// Every format, in the order help lists them.
    pub const ALL: &'static [Format] =
        &[Format::Table, Format::Json, Format::Jsonl, Format::Csv, Format::Lines, Format::Cq];

    /// The name used on the command line and by `.mode`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Lines => "lines",
            Format::Cq => "cq",
        }
    }

    /// The format called `name`, if any.
    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

/// Writes `output` in `format`; tables are fitted to `width` columns.
pub fn write(out: &mut dyn Write, output: &Output, format: Format, width: usize) -> io::Result<()> {
    match format {
        Format::Table => table::write(out, output, width),
        Format::Json => json::write_array(out, output),
        Format::Jsonl => json::write_lines(out, output),
        Format::Csv => csv::write(out, output),
        Format::Lines => lines::write(out, output),
        Format::Cq => article::write_cq(out, output),
    }
}

/// The width to fit tables to: the terminal's, else `$COLUMNS`, else 100.
pub fn terminal_width() -> usize {
    if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
        if w > 0 {
            return usize::from(w);
        }
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| w > 0)
        .unwrap_or(DEFAULT_WIDTH)
}

/// The width used when nothing says how wide the output is.
pub const DEFAULT_WIDTH: usize = 100;

/// The narrowest width tables are fitted to; narrower terminals wrap.
pub const MIN_WIDTH: usize = 40;

/// The number of terminal columns `text` takes.
pub fn width_of(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Makes stored text safe and flat for one table cell: control characters
/// (newlines, tabs, escape sequences that could drive the terminal) become
/// spaces, and runs of blanks become one.
pub fn flatten(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for c in text.chars() {
        let c = if c.is_control() { ' ' } else { c };
        if c == ' ' {
            if !blank {
                out.push(' ');
            }
            blank = true;
        } else {
            out.push(c);
            blank = false;
        }
    }
    out.trim().to_string()
}

/// Pads `text` with spaces to `width` columns (on the right, or on the left
/// when `right` is set).
pub fn pad(text: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(width_of(text)));
    if right {
        format!("{fill}{text}")
    } else {
        format!("{text}{fill}")
    }
}

/// Wraps `text` into lines of at most `width` columns, breaking at blanks
/// (and inside words longer than a line). Nothing is dropped.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in flatten(text).split(' ') {
        let mut word = word.to_string();
        loop {
            let sep = usize::from(!line.is_empty());
            if width_of(&line) + sep + width_of(&word) <= width {
                if sep == 1 {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            // A word longer than a whole line: cut it.
            let mut head = String::new();
            let mut used = 0;
            let mut rest = word.chars().peekable();
            while let Some(&c) = rest.peek() {
                let w = c.width().unwrap_or(0);
                if used + w > width && !head.is_empty() {
                    break;
                }
                head.push(c);
                used += w;
                rest.next();
            }
            lines.push(head);
            word = rest.collect();
            if word.is_empty() {
                break;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `n` followed by the noun, in the plural unless `n` is 1.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// How a source reads in a table cell or a line: `US officials (anon., US)`.
pub fn source_cell(source: &Source) -> String {
    let mut notes = Vec::new();
    if source.anonymous {
        notes.push("anon.".to_string());
    }
    if let Some(aff) = &source.affiliation {
        notes.push(aff.clone());
    }
    if notes.is_empty() {
        source.name.clone()
    } else {
        format!("{} ({})", source.name, notes.join(", "))
    }
}

/// How a source reads in full: `US officials, anonymous official of US`.
pub fn source_line(source: &Source) -> String {
    let mut what = Vec::new();
    if source.anonymous {
        what.push("anonymous");
    }
    if source.kind != Kind::Unknown {
        what.push(source.kind.name());
    }
    let mut out = source.name.clone();
    if !what.is_empty() || source.affiliation.is_some() {
        out.push_str(", ");
        let mut desc = what.join(" ");
        if let Some(aff) = &source.affiliation {
            if desc.is_empty() {
                desc = format!("of {aff}");
            } else {
                desc = format!("{desc} of {aff}");
            }
        }
        out.push_str(&desc);
    }
    out
}

/// Counts as one short phrase: `3 unverified, 1 retracted` (zeros left out).
fn counts_phrase(counts: &[(String, u64)]) -> String {
    let parts: Vec<String> = counts.iter().filter(|(_, n)| *n > 0).map(|(name, n)| format!("{n} {name}")).collect();
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join(", ")
    }
}

/// The line under a list of claims: `(3 claims)`, or `(3 of 7 claims)`
/// when a limit kept fewer than matched.
pub fn claims_footer(shown: u64, matched: Option<u64>) -> String {
    match matched {
        Some(all) if all > shown => format!("({shown} of {})\n", plural(all, "claim", "claims")),
        _ => format!("({})\n", plural(shown, "claim", "claims")),
    }
}

/// The line under counts per value: `(2 statuses; 15 claims)`. Outlets
/// and topics give no total: a claim with several counts under each.
pub fn groups_footer(by: &str, rows: &[(Option<String>, u64)]) -> String {
    let many = if by.ends_with('s') { format!("{by}es") } else { format!("{by}s") };
    let values = plural(rows.len() as u64, by, &many);
    if matches!(by, "outlet" | "topic") {
        format!("({values})\n")
    } else {
        let total: u64 = rows.iter().map(|(_, n)| n).sum();
        format!("({values}; {})\n", plural(total, "claim", "claims"))
    }
}

/// Bytes as a short human figure: `812 B`, `4.2 KiB`, `1.3 MiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flatten_removes_control_characters() {
        assert_eq!(flatten("a\n\tb \x1b[31mred"), "a b [31mred");
    }

    #[test]
    fn pad_aligns_both_ways() {
        assert_eq!(pad("#3", 4, true), "  #3");
        assert_eq!(pad("é", 3, false), "é  ");
    }

    #[test]
    fn wrap_breaks_at_blanks_and_long_words() {
        assert_eq!(wrap("the quick brown fox jumps", 10), ["the quick", "brown fox", "jumps"]);
        assert_eq!(wrap("abcdefghijklmnop", 10), ["abcdefghij", "klmnop"]);
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn byte_sizes_read_well() {
        assert_eq!(bytes(812), "812 B");
        assert_eq!(bytes(4300), "4.2 KiB");
        assert_eq!(bytes(3 * 1024 * 1024), "3.0 MiB");
    }

    #[test]
    fn formats_parse_by_name() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.name()), Some(*f));
        }
        assert_eq!(Format::parse("JSON"), Some(Format::Json));
        assert_eq!(Format::parse("xml"), None);
    }
}
