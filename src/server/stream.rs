//! Printing answers for the API: whole outputs through the shell's own
//! formatters ([`crate::shell::format::write`]), and the claims of a large
//! query one at a time as the executor finds them, in bytes identical to
//! what `--format json|jsonl|csv` prints for the whole list.

use super::exec::Answer;
use crate::query::{ClaimSink, Output};
use crate::shell::format::stream::ClaimStream;
use crate::shell::format::{self, Format};
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
/// the formatter frames a whole list: the shell's own [`ClaimStream`]
/// writing into a [`ChunkWriter`], so the CLI and the API print claims in
/// one place.
pub struct StreamSink(ClaimStream<ChunkWriter>);

/// Gathers bytes and sends them on to the client in chunks of [`CHUNK`].
pub struct ChunkWriter {
    buf: Vec<u8>,
    tx: mpsc::Sender<Vec<u8>>,
}

impl ChunkWriter {
    /// A writer sending to `tx`.
    pub fn new(tx: mpsc::Sender<Vec<u8>>) -> ChunkWriter {
        ChunkWriter { buf: Vec::with_capacity(CHUNK + 4096), tx }
    }

    /// Sends what is gathered (on the statement's blocking thread).
    pub fn send_rest(&mut self) {
        if !self.buf.is_empty() {
            let _ = self.tx.blocking_send(std::mem::take(&mut self.buf));
        }
    }
}

impl std::io::Write for ChunkWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK {
            let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK + 4096));
            // The receiver is gone when the client went away: stop the query.
            self.tx
                .blocking_send(chunk)
                .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away"))?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        // What is left goes out with the end of the answer.
        Ok(())
    }
}

impl StreamSink {
    /// A sink printing in `format` (json, jsonl, csv or lines) to `tx`.
    pub fn new(format: Format, tx: mpsc::Sender<Vec<u8>>) -> StreamSink {
        StreamSink(ClaimStream::new(ChunkWriter::new(tx), format, 0))
    }

    /// Whether claims of this format can be streamed (a table fits its
    /// columns to the page it prints, for a terminal: it goes out whole).
    pub fn streams(format: Format) -> bool {
        matches!(format, Format::Json | Format::Jsonl | Format::Csv | Format::Lines)
    }

    /// Ends the list (`matched` as the query returned it); returns the
    /// bytes not yet sent.
    pub fn finish(self, matched: Option<u64>) -> Result<Vec<u8>> {
        Ok(self.0.finish_into(matched)?.buf)
    }
}

impl ClaimSink for StreamSink {
    fn claim(&mut self, claim: Claim) -> Result<()> {
        self.0.claim(claim).map_err(|e| match e {
            Error::Io { kind: std::io::ErrorKind::BrokenPipe, .. } => Error::Cancelled,
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::ClaimList;
    use crate::shell::format::table::tests::sample_claim;

    /// Streams `claims` and returns every byte sent.
    fn streamed(format: Format, claims: &[Claim]) -> Vec<u8> {
        let (tx, mut rx) = mpsc::channel(1024);
        let mut sink = StreamSink::new(format, tx);
        for c in claims {
            sink.claim(c.clone()).unwrap();
        }
        let mut out = Vec::new();
        let tail = sink.finish(None).unwrap();
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
            for format in [Format::Json, Format::Jsonl, Format::Csv, Format::Lines] {
                let mut whole = Vec::new();
                format::write(&mut whole, &Output::Claims(ClaimList::new(claims.to_vec())), format, 80).unwrap();
                assert_eq!(streamed(format, claims), whole, "{format:?} with {n} claims");
            }
        }
    }
}
