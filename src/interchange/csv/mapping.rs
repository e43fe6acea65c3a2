//! The column mapping of a CSV import: where each claim field comes from
//! (a column of the file, by header name, or a constant), how a cell is
//! split into a list, which coded values are translated, and how ambiguous
//! dates are read. These are plain data: the statement parser builds them
//! (`import csv "x.csv" map text = statement, …`) and the importer
//! ([`super::import`]) checks them against the file's header.

pub use crate::model::date::DateOrder;

/// How to turn the rows of a CSV file into claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvMapping {
    /// One entry per mapped field, in the order written.
    pub fields: Vec<FieldMap>,
    /// How to read dates such as `03/04/2022`; `None` accepts only
    /// unambiguous forms (`2022-04-03`, `April 3, 2022`).
    pub date_order: Option<DateOrder>,
    /// The field separator (default `,`).
    pub delimiter: u8,
}

impl CsvMapping {
    /// A mapping with no fields for the file at `path` (which then must be
    /// claimdb's own CSV): fields separated by tabs in a `.tsv` file, by
    /// commas otherwise.
    pub fn for_file(path: &std::path::Path) -> CsvMapping {
        let tsv = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
        CsvMapping { delimiter: if tsv { b'\t' } else { b',' }, ..CsvMapping::default() }
    }
}

impl Default for CsvMapping {
    fn default() -> Self {
        CsvMapping { fields: Vec::new(), date_order: None, delimiter: b',' }
    }
}

/// Where one claim field comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMap {
    /// The claim field.
    pub field: CsvField,
    /// The column or constant it is read from.
    pub from: ValueFrom,
    /// For list fields (outlets, topics): the separator within the cell.
    pub split: Option<String>,
    /// Translations of coded values, e.g. `("0", "pants-fire")`; values not
    /// listed are kept as they are.
    pub values: Vec<(String, String)>,
}

/// A column of the file or a constant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueFrom {
    /// The column with this header (compared case-insensitively).
    Column(String),
    /// The same value for every row.
    Constant(String),
}

/// The claim fields a CSV column can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvField {
    /// The claim id, kept as given (an id already in the database makes
    /// the row bad, as with JSONL).
    Id,
    /// The claim text (required).
    Text,
    /// The source's name (required).
    Source,
    /// The source's kind.
    Kind,
    /// Whether the source is anonymous (`true`/`false`, `yes`/`no`, `1`/`0`).
    Anonymous,
    /// The source's affiliation.
    Affiliation,
    /// The source's description.
    SourceDescription,
    /// Outlets (a list).
    Outlets,
    /// The date (required).
    Date,
    /// The status.
    Status,
    /// The rating.
    Rating,
    /// Topics (a list).
    Topics,
    /// Notes.
    Notes,
    /// An evidence URL.
    Evidence,
}

impl CsvField {
    /// Every field with its name in the language.
    pub const NAMES: [(CsvField, &'static str); 14] = [
        (CsvField::Id, "id"),
        (CsvField::Text, "text"),
        (CsvField::Source, "source"),
        (CsvField::Kind, "kind"),
        (CsvField::Anonymous, "anonymous"),
        (CsvField::Affiliation, "affiliation"),
        (CsvField::SourceDescription, "description"),
        (CsvField::Outlets, "outlets"),
        (CsvField::Date, "date"),
        (CsvField::Status, "status"),
        (CsvField::Rating, "rating"),
        (CsvField::Topics, "topics"),
        (CsvField::Notes, "notes"),
        (CsvField::Evidence, "evidence"),
    ];

    /// The field's name in the language.
    pub fn name(self) -> &'static str {
        CsvField::NAMES.iter().find(|(f, _)| *f == self).map_or("?", |(_, n)| n)
    }

    /// The field called `name` (also accepts `outlet` and `topic`).
    pub fn parse(name: &str) -> Option<CsvField> {
        let lower = name.to_lowercase();
        let lower = match lower.as_str() {
            "outlet" => "outlets",
            "topic" => "topics",
            other => other,
        };
        CsvField::NAMES.iter().find(|(_, n)| *n == lower).map(|(f, _)| *f)
    }
}

impl CsvField {
    /// Whether the field holds a list, so that a cell may be split.
    pub fn is_list(self) -> bool {
        matches!(self, CsvField::Outlets | CsvField::Topics | CsvField::Evidence)
    }
}

impl FieldMap {
    /// The field read from the column called `name`.
    pub fn column(field: CsvField, name: impl Into<String>) -> FieldMap {
        FieldMap { field, from: ValueFrom::Column(name.into()), split: None, values: Vec::new() }
    }

    /// The field set to `value` on every row.
    pub fn constant(field: CsvField, value: impl Into<String>) -> FieldMap {
        FieldMap { field, from: ValueFrom::Constant(value.into()), split: None, values: Vec::new() }
    }

    /// Splits each cell into a list at `separator` (list fields only).
    pub fn split_on(mut self, separator: impl Into<String>) -> FieldMap {
        self.split = Some(separator.into());
        self
    }

    /// Reads the coded value `from` as `to`, e.g. `("0", "pants-fire")`.
    pub fn translate(mut self, from: impl Into<String>, to: impl Into<String>) -> FieldMap {
        self.values.push((from.into(), to.into()));
        self
    }

    /// `value` after the translations (codes are matched trimmed and
    /// case-insensitively; unknown values pass through).
    pub(crate) fn translated<'v>(&'v self, value: &'v str) -> &'v str {
        let key = value.trim();
        self.values
            .iter()
            .find(|(from, _)| from.trim().to_lowercase() == key.to_lowercase())
            .map_or(value, |(_, to)| to.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_codes_trimmed_and_case_insensitively() {
        let map = FieldMap::column(CsvField::Rating, "label").translate("0", "pants-fire").translate("T", "true");
        assert_eq!(map.translated(" 0 "), "pants-fire");
        assert_eq!(map.translated("t"), "true");
        assert_eq!(map.translated("1"), "1");
        assert_eq!(CsvField::parse("Topic"), Some(CsvField::Topics));
        assert_eq!(CsvField::Evidence.name(), "evidence");
        assert!(CsvField::Outlets.is_list() && !CsvField::Date.is_list());
    }
}
