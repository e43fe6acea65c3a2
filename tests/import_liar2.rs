//! Importing real data: the LIAR2 test split (2,296 PolitiFact-rated claims,
//! see tests/data/liar2/README.md) through the CSV importer, and a CSV export
//! of it read back.

mod common;

use claimdb::engine::{ImportOptions, ImportReport};
use claimdb::interchange::csv::{self as csv_io, CsvField, CsvMapping, FieldMap};
use claimdb::{Claim, Db, Error, Kind, Status};
use common::all_claims;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// LIAR2's verdicts, by their code in the `label` column.
const LABELS: [&str; 6] = ["pants-fire", "false", "barely-true", "half-true", "mostly-true", "true"];

const ROWS: u64 = 2_296;

fn liar2() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/liar2/test.csv")
}

fn liar2_mapping() -> CsvMapping {
    let mut rating = FieldMap::column(CsvField::Rating, "label");
    for (code, name) in LABELS.iter().enumerate() {
        rating = rating.translate(code.to_string(), *name);
    }
    CsvMapping {
        fields: vec![
            FieldMap::column(CsvField::Text, "statement"),
            FieldMap::column(CsvField::Source, "speaker"),
            FieldMap::column(CsvField::Date, "date"),
            rating,
            FieldMap::column(CsvField::Topics, "subject").split_on(";"),
            FieldMap::constant(CsvField::Kind, "person"),
        ],
        ..Default::default()
    }
}

fn import(db: &Db, path: &Path, mapping: &CsvMapping) -> claimdb::Result<ImportReport> {
    claimdb::interchange::import(
        db,
        path,
        &claimdb::interchange::ImportFormat::Csv(mapping.clone()),
        &ImportOptions { skip_bad: false, ..Default::default() },
        &claimdb::engine::Control::none(),
    )
}

fn claim(db: &Db, id: u64) -> Claim {
    db.get(id).unwrap().unwrap_or_else(|| panic!("no claim #{id}"))
}

#[test]
fn imports_every_row_of_the_test_split() {
    let db = Db::temporary().unwrap();
    let started = Instant::now();
    let report = import(&db, &liar2(), &liar2_mapping()).unwrap();
    eprintln!("imported {} LIAR2 rows in {:.2?}", report.imported, started.elapsed());
    assert_eq!(report.imported, ROWS);
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!(report.id_ranges, vec![(1, ROWS)]);
    assert_eq!(db.count().unwrap(), ROWS);

    // Rows are imported in file order, so row N is claim #N.
    // Row 1 (LIAR2 id 21750): a doubled quote inside the statement.
    let first = claim(&db, 1);
    assert_eq!(
        first.text,
        "Three doctors from the same hospital 'die suddenly' in the same week,\" after the hospital mandated a fourth COVID-19 vaccine for employees."
    );
    assert_eq!(first.source.name, "the gateway pundit");
    assert_eq!(first.source.kind, Kind::Person);
    assert!(!first.source.anonymous);
    assert_eq!(first.date.to_string(), "2022-07-28");
    assert_eq!(first.rating.as_deref(), Some("false"));
    assert_eq!(first.topics, vec!["facebook fact-checks", "coronavirus"]);
    assert_eq!(first.status, Status::Unverified);

    // Row 2 (LIAR2 id 18173): label 0; a speaker description with a line
    // break in a column that is not mapped.
    let second = claim(&db, 2);
    assert_eq!(second.text, "Say Joe Biden is a pedophile.");
    assert_eq!(second.source.name, "facebook posts");
    assert_eq!(second.date.to_string(), "2020-07-17");
    assert_eq!(second.rating.as_deref(), Some("pants-fire"));
    assert_eq!(second.topics, vec!["facebook fact-checks"]);

    // The last row (LIAR2 id 16353), after rows with line breaks in them.
    let last = claim(&db, ROWS);
    assert!(last.text.starts_with("Quotes Rep. Kevin McCarthy as saying"));
    assert_eq!(last.date.to_string(), "2019-08-05");
    assert_eq!(last.rating.as_deref(), Some("pants-fire"));
    assert_eq!(last.topics, vec!["facebook fact-checks", "guns"]);

    // LIAR2 id 42: the one statement with a line break (CRLF) inside it.
    let mut multiline = Vec::new();
    db.for_each_claim(|c| {
        if c.text.contains('\n') {
            multiline.push(c);
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(multiline.len(), 1);
    assert_eq!(
        multiline[0].text,
        "When NAFTA was passed, there was an acceleration of immigration from Mexico because people were\r\nin search of jobs."
    );
    assert_eq!(multiline[0].source.name, "dennis kucinich");
    assert_eq!(multiline[0].date.to_string(), "2007-09-09");
    assert_eq!(multiline[0].rating.as_deref(), Some("half-true"));

    // Every verdict made it through the code map.
    let mut per_rating = std::collections::BTreeMap::new();
    db.for_each_claim(|c| {
        *per_rating.entry(c.rating.unwrap_or_default()).or_insert(0) += 1;
        Ok(())
    })
    .unwrap();
    let expected = [
        ("barely-true", 360),
        ("false", 660),
        ("half-true", 371),
        ("mostly-true", 343),
        ("pants-fire", 303),
        ("true", 259),
    ];
    assert_eq!(
        per_rating.into_iter().collect::<Vec<_>>(),
        expected.iter().map(|(r, n)| (r.to_string(), *n)).collect::<Vec<_>>()
    );

    assert!(db.check().unwrap().is_ok());
}

/// The file has Windows line ends, stray `\r\r\n` inside quoted texts and
/// statements spanning lines: errors must still name the line each row
/// starts on, as `grep -n` or an editor shows it. Mapping the dataset's `id`
/// column as the status makes every row bad, so every row reports its line;
/// and nothing is written.
#[test]
fn every_bad_row_names_its_physical_line() {
    let db = Db::temporary().unwrap();
    let mut mapping = liar2_mapping();
    mapping.fields.push(FieldMap::column(CsvField::Status, "id"));
    let err = import(&db, &liar2(), &mapping).unwrap_err();
    let Error::Import { records, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!(records.len() as u64, ROWS);
    let line_of = |liar_id: &str| {
        let wanted = format!("unknown status '{liar_id}'");
        records
            .iter()
            .find(|r| r.message.starts_with(&wanted))
            .map(|r| r.line)
            .unwrap_or_else(|| panic!("no error for {liar_id}"))
    };
    // Expected lines counted independently (Python, newlines outside and
    // inside quoted fields).
    assert_eq!(line_of("21750"), 2);
    assert_eq!(line_of("18173"), 3);
    assert_eq!(line_of("42"), 1968);
    assert_eq!(line_of("20219"), 1970);
    assert_eq!(line_of("16353"), 2766);
    assert!(records.windows(2).all(|w| w[0].line < w[1].line));
    assert_eq!(records[0].field.as_deref(), Some("id"));
    assert_eq!(db.count().unwrap(), 0);
}

fn export_csv(db: &Db) -> Vec<u8> {
    let mut out = Vec::new();
    let n = csv_io::export::export(db, &mut out).unwrap();
    assert_eq!(n, db.count().unwrap());
    out
}

#[test]
fn csv_export_reimports_to_the_same_claims() {
    let first = Db::temporary().unwrap();
    import(&first, &liar2(), &liar2_mapping()).unwrap();
    let exported = export_csv(&first);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(&path, &exported).unwrap();
    let second = Db::temporary().unwrap();
    let started = Instant::now();
    // claimdb's own CSV needs no mapping: its header is recognised.
    let report = import(&second, &path, &CsvMapping::default()).unwrap();
    eprintln!("re-imported {} exported rows ({} bytes) in {:.2?}", report.imported, exported.len(), started.elapsed());
    assert_eq!(report.imported, ROWS);

    // Everything, not only the flat columns: history, recording times.
    assert_eq!(all_claims(&first), all_claims(&second));
    assert_eq!(export_csv(&second), exported);
    assert!(second.check().unwrap().is_ok());
}
