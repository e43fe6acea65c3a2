//! Reading an import file: opened once and read once (so that pipes,
//! FIFOs and `/dev/stdin` work like files), a leading UTF-8 byte order mark
//! passed over, a look at the first bytes for telling formats apart, and
//! the size limits applied while reading — a line, a record, a document —
//! so that input without line ends (`/dev/zero`) fails with a message
//! instead of filling memory.

use crate::engine::ReadError;
use crate::error::{Error, RecordError, Result};
use std::fs::File;
use std::io::{BufRead, Read};
use std::path::Path;

/// The most one record may take: a JSONL line, a CSV row, an item of a JSON
/// array. Far above any real claim (the text is at most 64 KiB), far below
/// what would strain memory.
pub const MAX_RECORD_BYTES: usize = 64 << 20;

/// The most a JSON document read whole (a ClaimReview object or `@graph`)
/// may take.
pub const MAX_DOCUMENT_BYTES: usize = 256 << 20;

/// The UTF-8 byte order mark some programs (Excel, Notepad) write first.
pub const BOM: &[u8] = b"\xef\xbb\xbf";

/// "64 MiB", for messages about limits.
pub fn mib(bytes: usize) -> String {
    format!("{} MiB", bytes >> 20)
}

/// An import file, open for reading once from the start. The bytes looked
/// at by [`Input::peek`] are kept and read again from memory, never from the
/// file, so a pipe loses nothing; a byte order mark is skipped.
pub struct Input {
    file: File,
    /// The first bytes of the file, read ahead.
    head: Vec<u8>,
    /// How much of `head` has been read (or skipped, for the mark).
    pos: usize,
    name: String,
}

impl Input {
    /// Opens `path`, with messages for the common mistakes.
    pub fn open(path: &Path) -> Result<Input> {
        let name = path.display().to_string();
        if path.is_dir() {
            return Err(Error::io(
                std::io::ErrorKind::IsADirectory,
                format!("{name} is a directory, not a file to import"),
            ));
        }
        let file = File::open(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::io(e.kind(), format!("cannot import {name}: no such file")),
            std::io::ErrorKind::PermissionDenied => {
                Error::io(e.kind(), format!("cannot import {name}: permission denied"))
            }
            _ => Error::io_context(&e, format_args!("cannot import {name}")),
        })?;
        let mut input = Input { file, head: Vec::new(), pos: 0, name };
        if input.peek(BOM.len())? == BOM {
            input.pos = BOM.len();
        }
        Ok(input)
    }

    /// The file's name as given, for messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Up to `n` of the next bytes (fewer only at the end of the input),
    /// without consuming them.
    pub fn peek(&mut self, n: usize) -> Result<&[u8]> {
        let want = self.pos + n;
        let mut chunk = [0u8; 8192];
        while self.head.len() < want {
            let take = (want - self.head.len()).min(chunk.len());
            match self.file.read(&mut chunk[..take]) {
                Ok(0) => break,
                Ok(got) => self.head.extend_from_slice(&chunk[..got]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::io_context(&e, format_args!("cannot read {}", self.name))),
            }
        }
        let end = want.min(self.head.len());
        Ok(&self.head[self.pos..end])
    }

    /// The first byte that is not white space, without consuming anything
    /// (looking at most 64 KiB ahead).
    pub fn first_non_space(&mut self) -> Result<Option<u8>> {
        Ok(self.peek(64 * 1024)?.iter().copied().find(|b| !b.is_ascii_whitespace()))
    }

    /// A buffered reader over the rest of the input.
    pub fn buffered(self) -> std::io::BufReader<Input> {
        std::io::BufReader::with_capacity(1 << 16, self)
    }
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos < self.head.len() {
            let n = (self.head.len() - self.pos).min(buf.len());
            buf[..n].copy_from_slice(&self.head[self.pos..self.pos + n]);
            self.pos += n;
            if self.pos == self.head.len() {
                // Read ahead no more: free it.
                self.head = Vec::new();
                self.pos = 0;
            }
            return Ok(n);
        }
        self.file.read(buf)
    }
}

/// Reads one line (through `\n`, which is dropped with any `\r` before it)
/// into `buf`, failing once it passes `limit` bytes rather than reading on.
/// Returns whether a line was read (`false` at the end of the input).
fn read_line_limited(reader: &mut impl BufRead, buf: &mut Vec<u8>, limit: usize) -> std::io::Result<Option<bool>> {
    buf.clear();
    loop {
        let available = match reader.fill_buf() {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            // The last line, without a line end.
            let any = !buf.is_empty();
            while matches!(buf.last(), Some(b'\r')) {
                buf.pop();
            }
            return Ok(Some(any));
        }
        let (take, done) = match available.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        if buf.len() + take > limit + 1 {
            return Ok(None);
        }
        buf.extend_from_slice(&available[..take]);
        reader.consume(take);
        if done {
            while matches!(buf.last(), Some(b'\n' | b'\r')) {
                buf.pop();
            }
            return Ok(Some(true));
        }
    }
}

/// The lines of a reader, numbered from 1, as strings. A line that is not
/// valid UTF-8 is a bad record naming the line and column of the bad byte;
/// a line longer than [`MAX_RECORD_BYTES`] ends the reading.
pub struct Lines<R> {
    reader: R,
    line: u64,
    buf: Vec<u8>,
    /// Shown in messages about the whole input.
    name: String,
    done: bool,
}

impl<R: BufRead> Lines<R> {
    /// Lines of `reader`; `name` is the input's name for messages.
    pub fn new(reader: R, name: &str) -> Lines<R> {
        Lines { reader, line: 0, buf: Vec::new(), name: name.to_string(), done: false }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = std::result::Result<(u64, String), ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let read = read_line_limited(&mut self.reader, &mut self.buf, MAX_RECORD_BYTES);
        let fatal = |this: &mut Self, e: Error| {
            this.done = true;
            Some(Err(ReadError::Fatal(e)))
        };
        match read {
            Ok(Some(false)) => None,
            Err(e) => {
                let e = Error::io_context(&e, format_args!("cannot read {} after line {}", self.name, self.line));
                fatal(self, e)
            }
            Ok(None) => {
                let message = format!(
                    "line {} of {} is longer than {}, the most one record may take; nothing was imported",
                    self.line + 1,
                    self.name,
                    mib(MAX_RECORD_BYTES)
                );
                let help = "is it the right file? A JSONL file holds one claim per line";
                fatal(self, Error::Input { message, span: None, help: Some(help.into()) })
            }
            Ok(Some(true)) => {
                self.line += 1;
                match std::str::from_utf8(&self.buf) {
                    Ok(s) => Some(Ok((self.line, s.to_string()))),
                    Err(e) => Some(Err(ReadError::Record(RecordError {
                        line: self.line,
                        field: None,
                        message: format!(
                            "not valid UTF-8 ({}); save the file as UTF-8",
                            describe_utf8_error(&self.buf, &e, "column")
                        ),
                    }))),
                }
            }
        }
    }
}

/// Where in some bytes the invalid UTF-8 is: `byte 0xff at column 3`
/// (`unit` is `column` for a line, `character` for a cell).
pub fn describe_utf8_error(bytes: &[u8], err: &std::str::Utf8Error, unit: &str) -> String {
    let valid = err.valid_up_to();
    let place = String::from_utf8_lossy(&bytes[..valid]).chars().count() + 1;
    let byte = bytes.get(valid).copied().unwrap_or(0);
    format!("byte 0x{byte:02x} at {unit} {place}")
}

/// The message for JSON that does not parse: `NAME is not valid JSON:
/// trailing comma at line 1, column 15`, with serde_json's own position
/// (" at line L column C") replaced by the given one.
pub fn json_syntax_error(name: &str, err: &serde_json::Error, line: u64, column: u64) -> Error {
    let message = err.to_string();
    let message = message.rfind(" at line ").map_or(message.as_str(), |i| &message[..i]);
    Error::Input {
        message: format!("{name} is not valid JSON: {message} at line {line}, column {column}"),
        span: None,
        help: None,
    }
}

/// Reads the rest of `input` as one JSON document, parsing as it reads
/// (so that input that is not JSON fails at its first byte), and refusing
/// one larger than [`MAX_DOCUMENT_BYTES`]. JSON that does not parse is one
/// [`Error::Input`] naming the line and column.
pub fn read_json_document(input: Input) -> Result<serde_json::Value> {
    let name = input.name.clone();
    // serde_json reads a byte at a time: the buffer goes outside the count.
    let counted = Counted { inner: input.take(MAX_DOCUMENT_BYTES as u64 + 1), read: 0 };
    let mut reader = std::io::BufReader::with_capacity(1 << 16, counted);
    let parsed = serde_json::from_reader(&mut reader);
    if reader.get_ref().read > MAX_DOCUMENT_BYTES {
        return Err(Error::Input {
            message: format!(
                "{name} is larger than {}, the most a JSON document read whole may take",
                mib(MAX_DOCUMENT_BYTES)
            ),
            span: None,
            help: Some("split it, or write it as a JSON array or JSONL, which are read one claim at a time".into()),
        });
    }
    parsed.map_err(|e| match e.io_error_kind() {
        Some(kind) => Error::io(kind, format!("cannot read {name}: {e}")),
        None => json_syntax_error(&name, &e, e.line() as u64, e.column() as u64),
    })
}

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    read: usize,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_stop_at_the_limit_without_reading_on() {
        let mut reader = std::io::BufReader::with_capacity(4, &b"abc\r\ndefgh\nij"[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line_limited(&mut reader, &mut buf, 5).unwrap(), Some(true));
        assert_eq!(buf, b"abc");
        assert_eq!(read_line_limited(&mut reader, &mut buf, 5).unwrap(), Some(true));
        assert_eq!(buf, b"defgh");
        assert_eq!(read_line_limited(&mut reader, &mut buf, 5).unwrap(), Some(true));
        assert_eq!(buf, b"ij");
        assert_eq!(read_line_limited(&mut reader, &mut buf, 5).unwrap(), Some(false));
        let mut endless = std::io::BufReader::with_capacity(16, std::io::repeat(0));
        assert_eq!(read_line_limited(&mut endless, &mut buf, 1000).unwrap(), None);
        assert!(buf.len() <= 1001);
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_peeked_bytes_are_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x");
        std::fs::write(&path, b"\xef\xbb\xbf{\"a\": 1}\n").unwrap();
        let mut input = Input::open(&path).unwrap();
        assert_eq!(input.first_non_space().unwrap(), Some(b'{'));
        let mut all = String::new();
        input.read_to_string(&mut all).unwrap();
        assert_eq!(all, "{\"a\": 1}\n");
    }
}
