//! Reading the rows of a CSV input once, with the line each starts on.
//!
//! The csv crate reads the records; a [`Scanner`] watching the same bytes
//! finds the physical line each record starts on (what users see in their
//! editor), notices a quote still open at the end of the file, and stops a
//! record that grows past [`MAX_RECORD_BYTES`] (input without line ends,
//! such as `/dev/zero`) before it fills memory. The header is read from the
//! same reader as the rows, so a pipe or FIFO is read exactly once.

use crate::engine::ReadError;
use crate::error::{Error, RecordError, Result};
use crate::interchange::input::{describe_utf8_error, mib, Input, BOM, MAX_RECORD_BYTES};
use crate::interchange::ImportRecord;
use ::csv::ByteRecord;
use std::collections::VecDeque;
use std::io::{BufReader, Read};

/// Where records start, found by following the CSV quoting rules over the
/// bytes as the csv reader pulls them in.
///
/// The csv crate's record positions count lines only at `\n` and point
/// before any blank lines or the `\n` of a `\r\n`, so they drift on files
/// with Windows line ends or blank lines. Lines are what users see in their
/// editor, and the importer needs one distinct line per record, so the
/// scanner counts them itself: `\n` and `\r\n` end a line, and so does a
/// lone `\r` outside quotes (old Mac files end records with it).
/// It follows the rules of `csv_core` for the settings used here (quote `"`,
/// doubled quotes, no escape character, no comments), so it sees the same
/// records; it also notices a quote that is still open at the end.
#[derive(Debug)]
struct Scanner {
    delimiter: u8,
    state: ScanState,
    line: u64,
    after_cr: bool,
    /// The field (0-based) being read, and the line and field of the last
    /// opening quote.
    field: usize,
    quote_line: u64,
    quote_field: usize,
    /// Start lines of records read by the scanner but not yet taken.
    starts: VecDeque<u64>,
    /// Bytes of the record being read, and the most one may have: past
    /// that, `overlong` holds the line the record started on.
    record_bytes: usize,
    limit: usize,
    overlong: Option<u64>,
    /// The first bytes, held until it is known whether they are a UTF-8
    /// byte order mark, which csv_core skips.
    head: Vec<u8>,
    head_done: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ScanState {
    /// Between records (line ends and blank lines are skipped here).
    RecordStart,
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: either the closing quote or the first
    /// of a doubled one.
    QuoteInQuoted,
}

impl Scanner {
    fn new(delimiter: u8, limit: usize) -> Scanner {
        Scanner {
            delimiter,
            state: ScanState::RecordStart,
            line: 1,
            after_cr: false,
            field: 0,
            quote_line: 0,
            quote_field: 0,
            starts: VecDeque::new(),
            record_bytes: 0,
            limit,
            overlong: None,
            head: Vec::with_capacity(BOM.len()),
            head_done: false,
        }
    }

    fn feed(&mut self, mut bytes: &[u8]) {
        if !self.head_done {
            let take = (BOM.len() - self.head.len()).min(bytes.len());
            self.head.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.head.len() < BOM.len() {
                return;
            }
            self.finish();
        }
        self.scan(bytes);
    }

    /// The input is over (or the first bytes are known): let the held bytes
    /// through unless they are a byte order mark.
    fn finish(&mut self) {
        if !self.head_done {
            self.head_done = true;
            let head = std::mem::take(&mut self.head);
            if head != BOM {
                self.scan(&head);
            }
        }
    }

    fn scan(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.step(b);
            match b {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' => self.line += 1,
                // A stray `\r` inside a quoted field is data (LIAR2 has
                // `\r\r\n` in its texts): counting it would disagree with
                // grep, sed and most editors.
                b'\r' if self.state == ScanState::Quoted => self.after_cr = false,
                b'\r' => {
                    self.line += 1;
                    self.after_cr = true;
                }
                _ => self.after_cr = false,
            }
        }
    }

    fn step(&mut self, b: u8) {
        use ScanState::*;
        let line_end = b == b'\n' || b == b'\r';
        if self.state == RecordStart {
            if line_end {
                return;
            }
            self.starts.push_back(self.line);
            self.record_bytes = 0;
            self.field = 0;
            self.state = FieldStart;
        }
        self.record_bytes += 1;
        if self.record_bytes > self.limit && self.overlong.is_none() {
            self.overlong = self.starts.back().copied();
        }
        self.state = match self.state {
            FieldStart | Unquoted | QuoteInQuoted if b == self.delimiter => {
                self.field += 1;
                FieldStart
            }
            FieldStart | Unquoted | QuoteInQuoted if line_end => RecordStart,
            FieldStart if b == b'"' => {
                self.quote_line = self.line;
                self.quote_field = self.field;
                Quoted
            }
            Quoted if b == b'"' => QuoteInQuoted,
            QuoteInQuoted if b == b'"' => Quoted,
            Quoted => Quoted,
            _ => Unquoted,
        };
    }

    /// Whether the input ended inside a quoted field.
    fn open_quote(&self) -> Option<(u64, usize)> {
        (self.state == ScanState::Quoted).then_some((self.quote_line, self.quote_field))
    }
}

/// A reader that shows every byte it passes on to a [`Scanner`], and stops
/// with an error once the scanner finds a record too long.
struct Scanned<R> {
    inner: R,
    scanner: Scanner,
}

impl<R: Read> Read for Scanned<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.scanner.overlong.is_some() {
            return Err(std::io::Error::other("a record is too long"));
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.scanner.finish();
        } else {
            self.scanner.feed(&buf[..n.min(buf.len())]);
        }
        Ok(n)
    }
}

/// A CSV input being read: its header, then its records.
pub struct Rows {
    reader: ::csv::Reader<Scanned<BufReader<Input>>>,
    header: Vec<String>,
    name: String,
}

impl Rows {
    /// Reads the header of `input` (fields separated by `delimiter`),
    /// explaining an empty file, a header that is not UTF-8 and a quote
    /// left open in it.
    pub fn open(input: Input, delimiter: u8) -> Result<Rows> {
        let name = input.name().to_string();
        let scanned = Scanned { inner: input.buffered(), scanner: Scanner::new(delimiter, MAX_RECORD_BYTES) };
        let mut reader =
            ::csv::ReaderBuilder::new().delimiter(delimiter).has_headers(true).flexible(false).from_reader(scanned);
        let record = match reader.byte_headers() {
            Ok(record) => record.clone(),
            Err(err) => return Err(read_error(&name, reader.get_ref(), err)),
        };
        if record.is_empty() {
            return Err(input_error(
                format!("{name} is empty: a CSV import needs a header row naming the columns"),
                None,
            ));
        }
        let mut header = Vec::with_capacity(record.len());
        for (i, column) in record.iter().enumerate() {
            let column = std::str::from_utf8(column).map_err(|e| {
                input_error(
                    format!(
                        "the header of {name} is not valid UTF-8 (column {}, {})",
                        i + 1,
                        describe_utf8_error(column, &e, "character")
                    ),
                    Some("save the file as UTF-8".into()),
                )
            })?;
            if column.contains(['\n', '\r']) {
                // Only a quote can put a line break in a column name: the most
                // likely cause is a quote opened in the header and never closed.
                return Err(input_error(
                    format!(
                        "column {} of the header of {name} runs over several lines; a quote in line 1 is probably not closed",
                        i + 1
                    ),
                    None,
                ));
            }
            header.push(column.trim().to_string());
        }
        reader.get_mut().scanner.starts.pop_front(); // the header's line
        Ok(Rows { reader, header, name })
    }

    /// The column names, trimmed, as the header spells them.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The records, each turned into a claim by `convert` (given the
    /// record's cells and the line it starts on).
    pub fn records<C>(self, convert: C) -> Records<C>
    where
        C: FnMut(&ByteRecord, u64) -> std::result::Result<ImportRecord, RecordError>,
    {
        Records { rows: self, convert, record: ByteRecord::new(), pending: None, done: false }
    }
}

fn input_error(message: String, help: Option<String>) -> Error {
    Error::Input { message, span: None, help }
}

/// The error for a CSV read that failed: a record too long, or what the
/// csv crate says.
fn read_error(name: &str, scanned: &Scanned<BufReader<Input>>, err: ::csv::Error) -> Error {
    if let Some(line) = scanned.scanner.overlong {
        return input_error(
            format!(
                "line {line} of {name} starts a row longer than {}, the most one record may take; nothing was imported",
                mib(MAX_RECORD_BYTES)
            ),
            Some("is it the right file? a quote that is never closed also makes a row run on".into()),
        );
    }
    match err.kind() {
        ::csv::ErrorKind::Io(e) => Error::io_context(e, format_args!("cannot read {name}")),
        _ => crate::errio!("cannot read {name} as CSV: {err}"),
    }
}

/// The records of a CSV input as import records (see [`Rows::records`]).
pub struct Records<C> {
    rows: Rows,
    convert: C,
    record: ByteRecord,
    /// The last item read and its line, held back one step: only when the
    /// reader reports the end is it known whether the last record ran into
    /// an unclosed quote.
    pending: Option<(u64, std::result::Result<ImportRecord, ReadError>)>,
    done: bool,
}

impl<C> Records<C>
where
    C: FnMut(&ByteRecord, u64) -> std::result::Result<ImportRecord, RecordError>,
{
    /// The line where the record just read starts.
    fn next_line(&mut self) -> u64 {
        match self.rows.reader.get_mut().scanner.starts.pop_front() {
            Some(line) => line,
            // Cannot happen while the scanner agrees with csv_core; the
            // csv crate's own count is a fair fallback.
            None => self.record.position().map_or(0, |p| p.line()),
        }
    }

    /// Reads the next record (or error), `None` at the end.
    fn read(&mut self) -> Option<(u64, std::result::Result<ImportRecord, ReadError>)> {
        match self.rows.reader.read_byte_record(&mut self.record) {
            Ok(true) => {
                let line = self.next_line();
                let item = (self.convert)(&self.record, line).map_err(ReadError::Record);
                Some((line, item))
            }
            Ok(false) => {
                self.done = true;
                None
            }
            Err(err) => {
                if let ::csv::ErrorKind::UnequalLengths { expected_len, len, .. } = err.kind() {
                    let line = self.next_line();
                    let error = wrong_length(line, *expected_len, *len, &self.record);
                    return Some((line, Err(ReadError::Record(error))));
                }
                self.done = true;
                let error = read_error(&self.rows.name, self.rows.reader.get_ref(), err);
                Some((0, Err(ReadError::Fatal(error))))
            }
        }
    }

    /// At the end: if the input ended inside a quoted field, the last
    /// record is that field's fault, whatever else was wrong with it.
    fn check_open_quote(&mut self) {
        let Some((quote_line, field)) = self.rows.reader.get_mut().scanner.open_quote() else {
            return;
        };
        let line = self.pending.as_ref().map_or(quote_line, |(line, _)| *line);
        if let Some((_, Err(ReadError::Fatal(_)))) = self.pending {
            return;
        }
        let error = RecordError {
            line,
            field: self.rows.header.get(field).cloned(),
            message: format!(
                "the quoted field starting on line {quote_line} is never closed: the file ends inside it (close it with \", and write a \" inside a quoted field as \"\")"
            ),
        };
        self.pending = Some((line, Err(ReadError::Record(error))));
    }
}

impl<C> Iterator for Records<C>
where
    C: FnMut(&ByteRecord, u64) -> std::result::Result<ImportRecord, RecordError>,
{
    type Item = std::result::Result<ImportRecord, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return self.pending.take().map(|(_, item)| item);
            }
            match self.read() {
                Some(item) => {
                    if let Some((_, previous)) = self.pending.replace(item) {
                        return Some(previous);
                    }
                }
                None => self.check_open_quote(),
            }
        }
    }
}

fn wrong_length(line: u64, expected: u64, found: u64, record: &ByteRecord) -> RecordError {
    let spans_lines = record.iter().any(|f| f.contains(&b'\n') || f.contains(&b'\r'));
    let hint = if spans_lines {
        "; a quoted field in it runs over several lines, so a quote may not be closed where it should be"
    } else {
        ""
    };
    RecordError {
        line,
        field: None,
        message: format!("expected {expected} columns (as in the header), found {found}{hint}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The start lines the scanner finds, and how many records csv_core
    /// reads, for the same bytes.
    fn scan_and_read(data: &[u8]) -> (Vec<u64>, usize, Option<(u64, usize)>) {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(Scanned { inner: data, scanner: Scanner::new(b',', MAX_RECORD_BYTES) });
        let mut record = ByteRecord::new();
        let mut count = 0;
        while let Ok(true) = reader.read_byte_record(&mut record) {
            count += 1;
        }
        let scanner = &reader.get_ref().scanner;
        (scanner.starts.iter().copied().collect(), count, scanner.open_quote())
    }

    #[test]
    fn scanner_counts_physical_lines() {
        let cases: [(&[u8], &[u64]); 7] = [
            (b"a,b\n1,2\n3,4\n", &[1, 2, 3]),
            (b"a,b\r\n1,2\r\n3,4\r\n", &[1, 2, 3]),
            (b"a,b\n\n\n1,2\n\r\n3,4", &[1, 4, 6]),
            (b"a,b\r1,2\r3,4\r", &[1, 2, 3]),
            (b"a,b\n1,\"x\r\ny\n\"\n3,4\n", &[1, 2, 5]),
            (b"a\n\"x\r\ry\r\r\n\"\nb\n", &[1, 2, 4]),
            (b"\xef\xbb\xbf\"a\",b\n1,\"\"\"\"\n", &[1, 2]),
        ];
        for (data, want) in cases {
            let (starts, count, open) = scan_and_read(data);
            assert_eq!(starts, want, "{:?}", String::from_utf8_lossy(data));
            assert_eq!(count, want.len());
            assert_eq!(open, None);
        }
    }

    #[test]
    fn scanner_sees_an_unclosed_quote() {
        let (_, _, open) = scan_and_read(b"a,b,c\n1,2,3\n4,\"5\n6,7,8\n");
        assert_eq!(open, Some((3, 1)));
        let (_, _, open) = scan_and_read(b"a,b\n1,\"2\"\"\n");
        assert_eq!(open, Some((2, 1)));
    }

    proptest! {
        /// Whatever the bytes, the scanner finds exactly the records the csv
        /// reader reads, so every record gets its own line.
        #[test]
        fn scanner_agrees_with_csv_core(
            data in proptest::collection::vec(
                prop_oneof![
                    Just(b'a'), Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'),
                    Just(0xef_u8), Just(0xbb_u8), Just(0xbf_u8),
                ],
                0..60,
            )
        ) {
            let (starts, count, _) = scan_and_read(&data);
            prop_assert_eq!(starts.len(), count);
            prop_assert!(starts.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn scanner_stops_a_record_that_grows_too_long() {
        let mut scanner = Scanner::new(b',', 10);
        scanner.feed(b"a,b\n1,2\n\"0123456789");
        assert_eq!(scanner.overlong, Some(3));
        let mut fine = Scanner::new(b',', 10);
        fine.feed(b"a,b\n0123,5678\n0123,5678\n\n\n\n\n\n\n\n\n\n");
        assert_eq!(fine.overlong, None);
    }
}
