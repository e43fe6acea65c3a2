//! CSV import with a column mapping, and CSV export.
//!
//! The mapping says where each claim field comes from: a column of the file
//! (by header name) or a constant, optionally split into a list, with coded
//! values translated (`0 = "pants-fire"`), and how to read ambiguous dates.

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
    /// The claim id (kept when free).
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

/// How to read numeric dates whose order is ambiguous.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    /// `28/07/2022` is 28 July.
    DayFirst,
    /// `07/28/2022` is 28 July.
    MonthFirst,
}
