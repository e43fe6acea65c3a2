//! Writing claims as claimdb's own CSV: a header of every column
//! ([`super::own`]), then one row per claim, each cell guarded against
//! being run as a spreadsheet formula.

use super::own::{all_columns, full_row};
use crate::error::{Error, Result};
use crate::model::Claim;
use crate::Db;
use std::io::Write;

/// Writes claims as CSV, one row per claim, with every column of
/// claimdb's CSV, so that the file imports back whole.
pub struct CsvExporter<W: Write> {
    writer: ::csv::Writer<W>,
    header_written: bool,
}

impl<W: Write> CsvExporter<W> {
    /// An exporter writing to `out`. The header is written with the first
    /// claim (or by [`CsvExporter::finish`] when there is none).
    pub fn new(out: W) -> CsvExporter<W> {
        CsvExporter { writer: ::csv::Writer::from_writer(out), header_written: false }
    }

    fn header(&mut self) -> Result<()> {
        if !self.header_written {
            self.writer.write_record(all_columns()).map_err(write_error)?;
            self.header_written = true;
        }
        Ok(())
    }

    /// Writes one claim.
    pub fn write(&mut self, claim: &Claim) -> Result<()> {
        self.header()?;
        self.writer.write_record(full_row(claim)?).map_err(write_error)
    }

    /// Writes the header if no claim was written, flushes, and gives the
    /// output back.
    pub fn finish(mut self) -> Result<W> {
        self.header()?;
        let mut out = self.writer.into_inner().map_err(|e| Error::io_context(e.error(), "CSV write failed"))?;
        out.flush()?;
        Ok(out)
    }
}

impl<W: Write> crate::interchange::ClaimWriter for CsvExporter<W> {
    fn write(&mut self, claim: &Claim) -> Result<()> {
        CsvExporter::write(self, claim)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        CsvExporter::finish(*self).map(drop)
    }
}

fn write_error(err: ::csv::Error) -> Error {
    match err.kind() {
        ::csv::ErrorKind::Io(e) => Error::io_context(e, "CSV write failed"),
        _ => crate::errio!("CSV write failed: {err}"),
    }
}

/// Exports every claim of the database, in id order; returns how many.
pub fn export(db: &Db, out: &mut dyn Write) -> Result<u64> {
    let mut exporter = CsvExporter::new(out);
    let mut n = 0;
    db.for_each_claim(|claim| {
        n += 1;
        exporter.write(&claim)
    })?;
    exporter.finish()?;
    Ok(n)
}
