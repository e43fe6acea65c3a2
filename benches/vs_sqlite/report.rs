//! The result table (figure | claimdb | SQLite | ratio), printed as aligned
//! text or as Markdown, and the description of the machine it was run on.

use std::fmt::Write as _;

/// What a figure measures, which decides how its values print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A duration in seconds.
    Seconds,
    /// A size in bytes.
    Bytes,
}

/// One engine's value for a figure.
#[derive(Clone, Debug)]
pub enum Cell {
    /// A measurement.
    Value(f64),
    /// The engine failed; the text says how (listed under the table).
    Error(String),
}

/// One line of the table.
#[derive(Clone, Debug)]
pub struct Figure {
    /// What is measured.
    pub label: String,
    /// What errors are reported under: the question (both percentiles of a
    /// question share one note). The label starts with it.
    pub subject: String,
    /// Whether the subject is a claimdb statement (set in code in Markdown).
    pub statement: bool,
    /// How to print it.
    pub unit: Unit,
    /// claimdb's value.
    pub claimdb: Cell,
    /// SQLite's value.
    pub sqlite: Cell,
}

fn format_value(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Seconds if v >= 1.0 => format!("{v:.2} s"),
        Unit::Seconds if v >= 1e-3 => format!("{:.2} ms", v * 1e3),
        Unit::Seconds => format!("{:.1} µs", v * 1e6),
        Unit::Bytes if v >= (1 << 30) as f64 => format!("{:.2} GiB", v / (1u64 << 30) as f64),
        Unit::Bytes => format!("{:.1} MiB", v / (1u64 << 20) as f64),
    }
}

fn format_cell(cell: &Cell, unit: Unit) -> String {
    match cell {
        Cell::Value(v) => format_value(*v, unit),
        Cell::Error(_) => "error".into(),
    }
}

fn ratio(f: &Figure) -> String {
    match (&f.claimdb, &f.sqlite) {
        (Cell::Value(a), Cell::Value(b)) if *b > 0.0 => format!("{:.2}", a / b),
        _ => "–".into(),
    }
}

const HEADER: [&str; 4] = ["figure", "claimdb", "SQLite", "claimdb/SQLite"];

fn rows(figures: &[Figure]) -> Vec<[String; 4]> {
    figures
        .iter()
        .map(|f| [f.label.clone(), format_cell(&f.claimdb, f.unit), format_cell(&f.sqlite, f.unit), ratio(f)])
        .collect()
}

/// The errors behind `error` cells, one line each, without repeats.
fn error_notes(figures: &[Figure]) -> Vec<String> {
    let mut notes = Vec::new();
    for f in figures {
        for (engine, cell) in [("claimdb", &f.claimdb), ("SQLite", &f.sqlite)] {
            if let Cell::Error(e) = cell {
                let note = format!("{engine}, {}: {e}", f.subject);
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
    }
    notes
}

/// The table as aligned plain text.
pub fn text(figures: &[Figure]) -> String {
    let rows = rows(figures);
    let mut widths = HEADER.map(|h| h.chars().count());
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String; 4]| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let pad = w - cell.chars().count();
            if i == 0 {
                s.push_str(cell);
                s.push_str(&" ".repeat(pad));
            } else {
                s.push_str("  ");
                s.push_str(&" ".repeat(pad));
                s.push_str(cell);
            }
        }
        s.trim_end().to_string()
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", line(&HEADER.map(String::from)));
    let _ = writeln!(out, "{}", "-".repeat(widths.iter().sum::<usize>() + 6));
    for r in &rows {
        let _ = writeln!(out, "{}", line(r));
    }
    for note in error_notes(figures) {
        let _ = writeln!(out, "! {note}");
    }
    out
}

/// Escapes a cell for a Markdown table.
fn md(cell: &str) -> String {
    cell.replace('|', "\\|")
}

/// The table in Markdown, for BENCHMARKS.md.
pub fn markdown(figures: &[Figure]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| {} |", HEADER.join(" | "));
    let _ = writeln!(out, "|---|---:|---:|---:|");
    for (f, r) in figures.iter().zip(rows(figures)) {
        let label = match r[0].strip_prefix(f.subject.as_str()) {
            Some(rest) if f.statement => format!("`{}`{rest}", f.subject),
            _ => r[0].clone(),
        };
        let _ = writeln!(out, "| {} | {} | {} | {} |", md(&label), r[1], r[2], r[3]);
    }
    let notes = error_notes(figures);
    if !notes.is_empty() {
        out.push('\n');
        for note in notes {
            let _ = writeln!(out, "- {}", md(&note));
        }
    }
    out
}

/// The machine, as `(name, value)` pairs: cores, CPU model, RAM, kernel.
pub fn machine() -> Vec<(&'static str, String)> {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or_else(|| "unknown".to_string(), |(_, v)| v.trim().to_string());
    let meminfo = read("/proc/meminfo");
    let ram = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kib| kib.parse::<f64>().ok())
        .map_or_else(|| "unknown".to_string(), |kib| format!("{:.1} GiB", kib / (1u64 << 20) as f64));
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    vec![
        ("nproc", cores.to_string()),
        ("CPU", cpu),
        ("RAM", ram),
        ("kernel", read("/proc/sys/kernel/osrelease").trim().to_string()),
        ("SQLite", rusqlite::version().to_string()),
    ]
}
