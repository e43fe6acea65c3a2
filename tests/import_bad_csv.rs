//! Bad CSV input: every problem is reported clearly (line, column, what is
//! wrong, what would be right) and leaves the database exactly as it was.

use claimdb::engine::{ImportOptions, ImportReport};
use claimdb::interchange::csv::{CsvField, CsvMapping, DateOrder, FieldMap};
use claimdb::interchange::jsonl;
use claimdb::{Db, Error, NewClaim, Source, Status};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const HEADER: &str = "id,statement,speaker,date,status\n";

/// A database holding one claim already, so that "unchanged" means
/// something.
fn db() -> Db {
    let db = Db::temporary().unwrap();
    db.insert(
        NewClaim::new(
            "Qatar will cease its mediation efforts",
            Source::new("diplomatic official").anonymous(true),
            claimdb::model::date::parse_iso("2024-11-09").unwrap(),
        )
        .outlet("Reuters"),
    )
    .unwrap();
    db
}

fn mapping() -> CsvMapping {
    CsvMapping {
        fields: vec![
            FieldMap::column(CsvField::Text, "statement"),
            FieldMap::column(CsvField::Source, "speaker"),
            FieldMap::column(CsvField::Date, "date"),
            FieldMap::column(CsvField::Status, "status"),
        ],
        ..Default::default()
    }
}

fn file(dir: &TempDir, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn import(db: &Db, path: &Path, mapping: &CsvMapping, skip_bad: bool) -> claimdb::Result<ImportReport> {
    claimdb::interchange::import(
        db,
        path,
        &claimdb::interchange::ImportFormat::Csv(mapping.clone()),
        &ImportOptions { skip_bad, ..Default::default() },
        &claimdb::engine::Control::none(),
    )
}

/// The count and a full JSONL export: equal snapshots mean nothing changed.
fn snapshot(db: &Db) -> (u64, Vec<u8>) {
    let mut out = Vec::new();
    jsonl::export(db, &mut out).unwrap();
    (db.count().unwrap(), out)
}

/// Imports `content` (all or nothing), expects it to fail with every one of
/// `wanted` in the message, and checks the database did not change.
fn fails_with(content: &[u8], mapping: &CsvMapping, wanted: &[&str]) -> Error {
    let dir = tempfile::tempdir().unwrap();
    let path = file(&dir, "claims.csv", content);
    fails_at(&path, mapping, wanted)
}

fn fails_at(path: &Path, mapping: &CsvMapping, wanted: &[&str]) -> Error {
    let db = db();
    let before = snapshot(&db);
    let err = import(&db, path, mapping, false).unwrap_err();
    let message = err.to_string();
    for want in wanted {
        assert!(message.contains(want), "message:\n{message}\nshould contain:\n{want}");
    }
    assert_eq!(snapshot(&db), before, "the database changed");
    assert!(db.check().unwrap().is_ok());
    err
}

/// The single bad record of an import error.
fn only_record(err: &Error) -> &claimdb::RecordError {
    match err {
        Error::Import { records, .. } if records.len() == 1 => &records[0],
        other => panic!("expected one bad record, got: {other}"),
    }
}

#[test]
fn unparseable_date() {
    let content =
        format!("{HEADER}1,Fine,a,2024-11-09,\n2,Fine too,b,\"July 28, 2022\",\n3,Bad,c,\"Julyy 28, 2022\",\n");
    let err = fails_with(
        content.as_bytes(),
        &mapping(),
        &[
            "failed: 1 bad record; nothing was imported",
            "claims.csv:line 4: date: 'Julyy 28, 2022' is not a date (expected forms like 2024-11-09 or July 28, 2022)",
        ],
    );
    let record = only_record(&err);
    assert_eq!(record.line, 4);
    assert_eq!(record.field.as_deref(), Some("date"));
}

#[test]
fn impossible_day() {
    let content = format!("{HEADER}1,Leap,a,\"February 29, 2023\",\n");
    fails_with(
        content.as_bytes(),
        &mapping(),
        &["line 2: date: 'February 29, 2023' is not a date: February 2023 has 28 days"],
    );
}

#[test]
fn missing_text() {
    let content = format!("{HEADER}1,Fine,a,2024-11-09,\n2,  ,b,2024-11-09,\n");
    let err = fails_with(content.as_bytes(), &mapping(), &["line 3: statement: text is empty"]);
    assert_eq!(only_record(&err).field.as_deref(), Some("statement"));
}

#[test]
fn unknown_status() {
    let content = format!("{HEADER}1,Fine,a,2024-11-09,disputd\n");
    fails_with(
        content.as_bytes(),
        &mapping(),
        &["line 2: status: unknown status 'disputd' (did you mean 'disputed'?)"],
    );
}

#[test]
fn wrong_column_count() {
    let content = format!("{HEADER}1,Fine,a,2024-11-09,\n2,Too,many,2024-11-09,,extra\n3,Few,c\n");
    let err = fails_with(
        content.as_bytes(),
        &mapping(),
        &[
            "2 bad records",
            "line 3: expected 5 columns (as in the header), found 6",
            "line 4: expected 5 columns (as in the header), found 3",
        ],
    );
    assert!(!err.to_string().contains("quote"), "{err}");
}

#[test]
fn misplaced_quote_spanning_lines_is_hinted() {
    // The stray quote on line 3 is closed by the first quote of line 4,
    // merging two rows into one with the wrong number of columns.
    let content = format!("{HEADER}1,Fine,a,2024-11-09,\n2,\"Oops,b,2024-11-09,\n3,Next,c,\"2024-11-09\",\n");
    fails_with(
        content.as_bytes(),
        &mapping(),
        &["line 3: expected 5 columns (as in the header), found 3; a quoted field in it runs over several lines, so a quote may not be closed where it should be"],
    );
}

#[test]
fn unterminated_quote() {
    // The quote opened on line 4 is never closed: the csv reader takes the
    // rest of the file as one field. The row then has too few columns, but
    // the message must be about the quote, the cause.
    let content = format!(
        "{HEADER}1,Fine,a,2024-11-09,\n2,Fine,b,2024-11-09,\n3,\"Unclosed,c,2024-11-09,\n4,More,d,2024-11-09,\n"
    );
    let err = fails_with(
        content.as_bytes(),
        &mapping(),
        &["line 4: statement: the quoted field starting on line 4 is never closed: the file ends inside it"],
    );
    assert_eq!(only_record(&err).line, 4);
}

#[test]
fn unterminated_quote_in_a_row_spanning_lines() {
    // A legitimately quoted multi-line text on lines 2-3, then a row whose
    // last field opens a quote on line 5 that never closes. Swallowing the
    // rest of the file leaves that row with the right number of columns, so
    // only the scanner's open quote at the end can tell.
    let content = format!(
        "{HEADER}1,\"Line one\nline two\",a,2024-11-09,\n2,Fine,b,2024-11-09,\n3,Fine,c,2024-11-09,\"confirmed\n4,x,y,2024-11-09,\n"
    );
    let err = fails_with(
        content.as_bytes(),
        &mapping(),
        &["line 5: status: the quoted field starting on line 5 is never closed"],
    );
    assert_eq!(only_record(&err).field.as_deref(), Some("status"));
}

#[test]
fn unterminated_quote_in_the_header() {
    fails_with(
        b"id,\"statement,speaker,date,status\n1,Fine,a,2024-11-09,\n",
        &mapping(),
        &["column 2 of the header of", "runs over several lines; a quote in line 1 is probably not closed"],
    );
}

#[test]
fn invalid_utf8() {
    let mut content = HEADER.as_bytes().to_vec();
    content.extend_from_slice(b"1,Fine,a,2024-11-09,\n2,Caf\xe9 owner says,b,2024-11-09,\n");
    let err = fails_with(
        &content,
        &mapping(),
        &["line 3: statement: not valid UTF-8 (byte 0xe9 at character 4); save the file as UTF-8"],
    );
    assert_eq!(only_record(&err).line, 3);
}

#[test]
fn invalid_utf8_in_an_unmapped_column_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let mut content = HEADER.as_bytes().to_vec();
    content.extend_from_slice(b"\xff,Fine,a,2024-11-09,\n");
    let path = file(&dir, "claims.csv", &content);
    let db = db();
    let report = import(&db, &path, &mapping(), false).unwrap();
    assert_eq!(report.imported, 1);
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope.csv");
    let err = fails_at(&path, &mapping(), &["cannot import", "nope.csv: no such file"]);
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
}

#[test]
fn directory() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails_at(dir.path(), &mapping(), &["is a directory, not a file to import"]);
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
}

#[test]
fn empty_file() {
    fails_with(b"", &mapping(), &["is empty: a CSV import needs a header row naming the columns"]);
}

#[test]
fn unknown_mapped_column_with_suggestion() {
    let mut mapping = mapping();
    mapping.fields[1] = FieldMap::column(CsvField::Source, "speakr");
    let content = format!("{HEADER}1,Fine,a,2024-11-09,\n");
    let err = fails_with(
        content.as_bytes(),
        &mapping,
        &[
            "has no column 'speakr' (for source); its columns are: id, statement, speaker, date, status",
            "(did you mean 'speaker'?)",
        ],
    );
    assert!(matches!(err, Error::Input { .. }), "{err:?}");
}

#[test]
fn columns_match_case_insensitively() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(&dir, "claims.csv", b"ID,Statement,SPEAKER,Date,Status\n1,Fine,a,2024-11-09,confirmed\n");
    let db = db();
    import(&db, &path, &mapping(), false).unwrap();
    assert_eq!(db.get(2).unwrap().unwrap().status, Status::Confirmed);
}

#[test]
fn missing_required_mapping() {
    let mapping = CsvMapping { fields: vec![FieldMap::column(CsvField::Text, "statement")], ..Default::default() };
    let content = format!("{HEADER}1,Fine,a,2024-11-09,\n");
    let err = fails_with(
        content.as_bytes(),
        &mapping,
        &[
            "the mapping does not say where the source and date of each claim come from; text, source and date are required",
            "(the columns of",
            "claims.csv are: id, statement, speaker, date, status)",
        ],
    );
    assert!(matches!(err, Error::Input { .. }), "{err:?}");
}

#[test]
fn bad_constant_is_reported_once() {
    let mut mapping = mapping();
    mapping.fields.push(FieldMap::constant(CsvField::Kind, "persn"));
    let content = format!("{HEADER}1,Fine,a,2024-11-09,\n2,Fine,b,2024-11-09,\n");
    let err = fails_with(
        content.as_bytes(),
        &mapping,
        &["the constant 'persn' for kind: unknown kind 'persn' (did you mean 'person'?)"],
    );
    assert!(matches!(err, Error::Input { .. }), "{err:?}");
}

#[test]
fn ambiguous_numeric_date() {
    let content = format!("{HEADER}1,Fine,a,03/04/2022,\n");
    fails_with(
        content.as_bytes(),
        &mapping(),
        &["line 2: date: '03/04/2022' could be day-first or month-first; add `dates day-first` or `dates month-first` to the mapping"],
    );

    // With the order given, the same file imports.
    let dir = tempfile::tempdir().unwrap();
    let path = file(&dir, "claims.csv", content.as_bytes());
    let db = db();
    let day_first = CsvMapping { date_order: Some(DateOrder::DayFirst), ..mapping() };
    import(&db, &path, &day_first, false).unwrap();
    assert_eq!(db.get(2).unwrap().unwrap().date.to_string(), "2022-04-03");
}

#[test]
fn crlf_and_blank_lines_keep_line_numbers() {
    let content = format!(
        "{}1,Fine,a,2024-11-09,\r\n\r\n\r\n2,\"Two\r\nlines\",b,2024-11-09,\r\n3,Bad,c,2024-11-31,\r\n",
        HEADER.replace('\n', "\r\n")
    );
    let err = fails_with(
        content.as_bytes(),
        &mapping(),
        &["line 7: date: '2024-11-31' is not a date: November 2024 has 30 days"],
    );
    assert_eq!(only_record(&err).line, 7);
}

#[test]
fn skip_bad_imports_the_good_rows_and_reports_the_bad() {
    let dir = tempfile::tempdir().unwrap();
    let mut content = HEADER.as_bytes().to_vec();
    content.extend_from_slice(
        b"1,Good one,a,2024-11-09,\n\
          2,Bad date,b,2024-02-30,\n\
          3,\"Good, with a comma\",c,\"Nov 10, 2024\",corroborated\n\
          4,,d,2024-11-09,\n\
          5,Too,many,2024-11-09,,x\n\
          6,Bad \xff byte,f,2024-11-09,\n\
          7,Bad status,g,2024-11-09,bogus\n\
          8,\"Good\nover two lines\",h,2024-11-11,\n",
    );
    let path = file(&dir, "claims.csv", &content);
    let db = db();
    let report = import(&db, &path, &mapping(), true).unwrap();
    assert_eq!(report.imported, 3);
    let rejected: Vec<String> = report.rejected.iter().map(|r| r.to_string()).collect();
    assert_eq!(
        rejected,
        vec![
            "line 3: date: '2024-02-30' is not a date: February 2024 has 29 days",
            "line 5: statement: text is empty",
            "line 6: expected 5 columns (as in the header), found 6",
            "line 7: statement: not valid UTF-8 (byte 0xff at character 5); save the file as UTF-8",
            "line 8: status: unknown status 'bogus' (expected one of: unverified, corroborated, confirmed, disputed, denied, false, retracted)",
        ]
    );
    assert_eq!(db.count().unwrap(), 4);
    let texts: Vec<String> = (2..=4).map(|id| db.get(id).unwrap().unwrap().text).collect();
    assert_eq!(texts, vec!["Good one", "Good, with a comma", "Good\nover two lines"]);
    assert_eq!(db.get(3).unwrap().unwrap().status, Status::Corroborated);
    assert!(db.check().unwrap().is_ok());
}

#[test]
fn semicolons_and_old_mac_line_ends() {
    // Spreadsheets in many locales write `;`; classic Mac files end lines
    // with a lone CR. Lines must still be told apart.
    let dir = tempfile::tempdir().unwrap();
    let path = file(
        &dir,
        "claims.csv",
        b"id;statement;speaker;date;status\r1;Fine, with a comma;a;2024-11-09;\r2;Bad;b;2024-11-99;\r3;Fine;c;2024-11-10;false\r",
    );
    let mapping = CsvMapping { delimiter: b';', ..mapping() };
    let db = db();
    let report = import(&db, &path, &mapping, true).unwrap();
    assert_eq!(report.imported, 2);
    assert_eq!(
        report.rejected.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        vec!["line 3: date: '2024-11-99' is not a date: November 2024 has 30 days"]
    );
    assert_eq!(db.get(2).unwrap().unwrap().text, "Fine, with a comma");
    assert_eq!(db.get(3).unwrap().unwrap().status, Status::False);
}

#[test]
fn a_header_without_rows_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(&dir, "claims.csv", HEADER.as_bytes());
    let db = db();
    let before = snapshot(&db);
    assert_eq!(import(&db, &path, &mapping(), false).unwrap().imported, 0);
    assert_eq!(snapshot(&db), before);
}
