//! Printing answers for the API: whole outputs through the shell's own
//! formatters ([`crate::shell::format::write`]), and the claims of a large
//! query one at a time as the executor finds them, in bytes identical to
//! what `--format json|jsonl|csv` prints for the whole list.

use super::exec::Answer;
use crate::query::{ClaimList, ClaimSink, Output};
use crate::shell::format::{self, csv, json, Format};
use crate::{Claim, Error, Result};
use tokio::sync::mpsc;

/// How many bytes of claims are gathered before they are sent on.
pub const CHUNK: usize = 64 * 1024;

/// Prints an answer in `format`; text answers (`.backup`) are printed as
/// the shell prints them when `plain_text`, else as a `done` object.
pub fn print(answer: &Answer, format: Format, width: usize, plain_text: bool, out: &mut Vec<u8>) -> Result<()> {
    let io = |e: std::io::Error| Error::io_context(&e, "cannot print the answer");
    match answer {
        Answer::Output(output) => format::write(out, output, format, width).map_err(io),
        Answer::Text(text) if plain_text => {
            out.extend_from_slice(text.as_bytes());
            out.push(b'\n');
            Ok(())
        }
        Answer::Text(text) => format::write(out, &Output::Done(text.clone()), format, width).map_err(io),
        Answer::Many(answers) => answers.iter().try_for_each(|a| print(a, format, width, plain_text, out)),
    }
}

/// Receives the claims of a query and sends them on in chunks, framed as
/// the formatter frames a whole list.
pub struct StreamSink {
    format: Format,
    buf: Vec<u8>,
    count: u64,
    csv_header: Vec<u8>,
    tx: mpsc::Sender<Vec<u8>>,
}

impl StreamSink {
    /// A sink printing in `format` (json, jsonl or csv) to `tx`.
    pub fn new(format: Format, tx: mpsc::Sender<Vec<u8>>) -> StreamSink {
        let mut csv_header = Vec::new();
        if format == Format::Csv {
            // A list without claims prints exactly the header row.
            let _ = csv::write(&mut csv_header, &Output::Claims(ClaimList::default()));
        }
        StreamSink { format, buf: Vec::with_capacity(CHUNK + 4096), count: 0, csv_header, tx }
    }

    /// Whether claims of this format can be streamed.
    pub fn streams(format: Format) -> bool {
        matches!(format, Format::Json | Format::Jsonl | Format::Csv)
    }

    /// Ends the list; returns the bytes not yet sent.
    pub fn finish(mut self) -> Vec<u8> {
        match self.format {
            Format::Json if self.count == 0 => self.buf.extend_from_slice(b"[]\n"),
            Format::Json => self.buf.extend_from_slice(b"\n]\n"),
            Format::Csv if self.count == 0 => self.buf.extend_from_slice(&self.csv_header),
            _ => {}
        }
        self.buf
    }

    fn send(&mut self) -> Result<()> {
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK + 4096));
        // The receiver is gone when the client went away: stop the query.
        self.tx.blocking_send(chunk).map_err(|_| Error::Cancelled)
    }
}

impl ClaimSink for StreamSink {
    fn claim(&mut self, claim: Claim) -> Result<()> {
        let one = Output::Claims(ClaimList::new(vec![claim]));
        let io = |e: std::io::Error| Error::io_context(&e, "cannot print a claim");
        match self.format {
            Format::Json => {
                self.buf.extend_from_slice(if self.count == 0 { b"[\n" } else { b",\n" });
                json::write_lines(&mut self.buf, &one).map_err(io)?;
                self.buf.pop(); // the line's newline: the separator follows
            }
            Format::Jsonl => json::write_lines(&mut self.buf, &one).map_err(io)?,
            Format::Csv => {
                let mut row = Vec::new();
                csv::write(&mut row, &one).map_err(io)?;
                let start = if self.count == 0 { 0 } else { self.csv_header.len() };
                self.buf.extend_from_slice(&row[start..]);
            }
            Format::Table => return Err(crate::errinput!("tables are not streamed")),
        }
        self.count += 1;
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::format::table::tests::sample_claim;

    /// Streams `claims` and returns every byte sent.
    fn streamed(format: Format, claims: &[Claim]) -> Vec<u8> {
        let (tx, mut rx) = mpsc::channel(1024);
        let mut sink = StreamSink::new(format, tx);
        for c in claims {
            sink.claim(c.clone()).unwrap();
        }
        let mut out = Vec::new();
        let tail = sink.finish();
        while let Ok(chunk) = rx.try_recv() {
            out.extend(chunk);
        }
        out.extend(tail);
        out
    }

    #[test]
    fn streamed_claims_are_byte_for_byte_the_formatters_output() {
        let many: Vec<Claim> =
            (1..=3000).map(|i| sample_claim(i, &format!("claim \"{i}\",\nwith a newline"))).collect();
        for n in [0, 1, 2, 3000] {
            let claims = &many[..n];
            for format in [Format::Json, Format::Jsonl, Format::Csv] {
                let mut whole = Vec::new();
                format::write(&mut whole, &Output::Claims(ClaimList::new(claims.to_vec())), format, 80).unwrap();
                assert_eq!(streamed(format, claims), whole, "{format:?} with {n} claims");
            }
        }
    }
}
