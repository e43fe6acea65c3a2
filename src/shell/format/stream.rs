//! Claims printed as a query finds them: [`ClaimStream`] is the
//! [`ClaimSink`] the runner gives `execute_streaming`, so a million claims
//! never sit in memory at once. JSON, JSONL, CSV and lines write each
//! claim as it arrives (a JSON array stays one document: the brackets are
//! written around the stream); a table buffers one page of claims to fit
//! its columns to them, and starts a new header for the next page.

use super::{claims_footer, json, lines, table, Format};
use crate::error::{Error, Result};
use crate::interchange::csv::{export_row, EXPORT_COLUMNS};
use crate::model::Claim;
use crate::query::ClaimSink;
use std::io::Write;

/// How many claims a table fits its columns to before printing them.
pub const TABLE_PAGE: usize = 500;

/// Writes claims in a format as they come; call [`ClaimStream::finish`]
/// after the query. The shell writes to its output; the server writes to
/// a writer that sends chunks to the client.
pub struct ClaimStream<W: Write> {
    out: W,
    format: Format,
    width: usize,
    /// Claims of the table page under way.
    page: Vec<Claim>,
    /// How many claims have been received.
    count: u64,
}

impl<W: Write> ClaimStream<W> {
    /// A stream writing to `out` in `format`, tables `width` wide.
    pub fn new(out: W, format: Format, width: usize) -> ClaimStream<W> {
        ClaimStream { out, format, width, page: Vec::new(), count: 0 }
    }

    /// How many claims have been received so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.out.write_all(bytes).map_err(|e| Error::io_context(&e, "cannot write the output"))
    }

    fn csv_row<I, S>(&mut self, cells: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let mut row = ::csv::WriterBuilder::new().buffer_capacity(512).from_writer(Vec::new());
        // Writing to memory fails only on a bug; keep its words if it does.
        row.write_record(cells).map_err(|e| crate::errio!("cannot write a CSV row: {e}"))?;
        let bytes = row.into_inner().map_err(|e| crate::errio!("cannot write a CSV row: {e}"))?;
        self.write(&bytes)
    }

    /// Ends the list: closes the JSON array, prints the table's last page
    /// and the count (`matched` when a limit kept fewer), or the CSV header
    /// of an empty result.
    pub fn finish(self, matched: Option<u64>) -> Result<()> {
        self.finish_into(matched).map(|_| ())
    }

    /// [`ClaimStream::finish`], giving the writer back.
    pub fn finish_into(mut self, matched: Option<u64>) -> Result<W> {
        match self.format {
            Format::Cq => return Err(super::article::cq_refusal()),
            Format::Json => self.write(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?,
            Format::Jsonl => {}
            Format::Csv if self.count == 0 => self.csv_row(EXPORT_COLUMNS)?,
            Format::Csv => {}
            Format::Lines | Format::Table if self.count == 0 => self.write(b"no claims\n")?,
            Format::Lines => self.write(claims_footer(self.count, matched).as_bytes())?,
            Format::Table => {
                let page = std::mem::take(&mut self.page);
                let mut text = if page.is_empty() { String::new() } else { table::claims_page(&page, self.width) };
                text.push_str(&claims_footer(self.count, matched));
                self.write(text.as_bytes())?;
            }
        }
        self.out.flush().map_err(|e| Error::io_context(&e, "cannot write the output"))?;
        Ok(self.out)
    }
}

impl<W: Write> ClaimSink for ClaimStream<W> {
    fn claim(&mut self, claim: Claim) -> Result<()> {
        let first = self.count == 0;
        self.count += 1;
        match self.format {
            Format::Cq => Err(super::article::cq_refusal()),
            Format::Json => {
                let mut bytes = if first { b"[\n".to_vec() } else { b",\n".to_vec() };
                json::write_claim(&mut bytes, &claim)?;
                self.write(&bytes)
            }
            Format::Jsonl => {
                let mut bytes = Vec::new();
                json::write_claim(&mut bytes, &claim)?;
                bytes.push(b'\n');
                self.write(&bytes)
            }
            Format::Csv => {
                if first {
                    self.csv_row(EXPORT_COLUMNS)?;
                }
                self.csv_row(export_row(&claim))
            }
            Format::Lines => self.write(lines::claim_line(&claim).as_bytes()),
            Format::Table => {
                self.page.push(claim);
                if self.page.len() >= TABLE_PAGE {
                    let page = std::mem::take(&mut self.page);
                    self.write(table::claims_page(&page, self.width).as_bytes())?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{ClaimList, Output};
    use crate::shell::format::table::tests::sample_claim;

    /// What the stream prints for `claims`, and what printing them whole does.
    fn both(format: Format, claims: Vec<Claim>, matched: Option<u64>) -> (String, String) {
        let mut streamed = Vec::new();
        let mut stream = ClaimStream::new(&mut streamed, format, 100);
        for c in claims.clone() {
            stream.claim(c).unwrap();
        }
        stream.finish(matched).unwrap();
        let mut whole = Vec::new();
        super::super::write(&mut whole, &Output::Claims(ClaimList { claims, matched }), format, 100).unwrap();
        (String::from_utf8(streamed).unwrap(), String::from_utf8(whole).unwrap())
    }

    #[test]
    fn streaming_prints_what_printing_whole_prints() {
        let claims = vec![sample_claim(1, "first \"quoted\", text"), sample_claim(2, "second")];
        for format in Format::ALL.iter().filter(|f| **f != Format::Cq) {
            for list in [vec![], claims.clone()] {
                let (streamed, whole) = both(*format, list, None);
                assert_eq!(streamed, whole, "{format:?}");
            }
        }
        let (streamed, whole) = both(Format::Table, claims, Some(9));
        assert_eq!(streamed, whole);
        assert!(streamed.ends_with("(2 of 9 claims)\n"), "{streamed}");
    }

    #[test]
    fn one_json_document_however_many_claims() {
        let many: Vec<Claim> = (1..=1200).map(|id| sample_claim(id, "text")).collect();
        let (streamed, _) = both(Format::Json, many.clone(), None);
        let parsed: serde_json::Value = serde_json::from_str(&streamed).unwrap();
        assert_eq!(parsed.as_array().map(Vec::len), Some(1200));
        let (table, _) = both(Format::Table, many, None);
        // Pages of TABLE_PAGE claims, each with its header, one count.
        assert_eq!(table.matches("id  date").count(), 3, "{:.300}", table);
        assert!(table.ends_with("(1200 claims)\n"));
    }
}
