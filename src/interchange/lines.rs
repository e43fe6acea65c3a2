//! Reading an input file: line by line with line numbers, turning invalid
//! UTF-8 into a per-line error that says where the bad byte is, or whole as
//! one JSON document.

use crate::error::{Error, RecordError, Result};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Opens a file for import, with messages for the common mistakes.
pub fn open_input(path: &Path) -> Result<File> {
    if path.is_dir() {
        return Err(Error::io(
            std::io::ErrorKind::IsADirectory,
            format!("{} is a directory, not a file to import", path.display()),
        ));
    }
    File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::io(e.kind(), format!("cannot import {}: no such file", path.display())),
        std::io::ErrorKind::PermissionDenied => {
            Error::io(e.kind(), format!("cannot import {}: permission denied", path.display()))
        }
        _ => Error::io_context(&e, format_args!("cannot import {}", path.display())),
    })
}

/// Reads a whole file as one JSON document. A document that is not valid
/// JSON is one [`Error::Input`] naming the line and column.
pub fn read_json_document(path: &Path) -> Result<serde_json::Value> {
    let origin = path.display();
    let mut bytes = Vec::new();
    open_input(path)?
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io_context(&e, format_args!("cannot read {origin}")))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        let message = e.to_string();
        // serde_json ends its messages with " at line L column C".
        let message = message.rfind(" at line ").map_or(message.as_str(), |i| &message[..i]);
        Error::Input {
            message: format!("{origin} is not valid JSON: {message} at line {}, column {}", e.line(), e.column()),
            span: None,
            help: None,
        }
    })
}

/// The lines of a reader, numbered from 1, as strings. A line that is not
/// valid UTF-8 yields an error naming the line and column of the bad byte.
pub struct InputLines<R> {
    reader: R,
    line: u64,
    buf: Vec<u8>,
}

impl<R: BufRead> InputLines<R> {
    /// Lines of `reader`.
    pub fn new(reader: R) -> InputLines<R> {
        InputLines { reader, line: 0, buf: Vec::new() }
    }
}

impl InputLines<BufReader<File>> {
    /// Lines of the file at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        Ok(InputLines::new(BufReader::with_capacity(1 << 16, open_input(path)?)))
    }
}

/// One line read, or why it could not be.
pub type LineResult = std::result::Result<(u64, String), LineError>;

/// A line that could not be read.
pub enum LineError {
    /// Not UTF-8.
    Encoding(RecordError),
    /// The file could not be read.
    Io(Error),
}

impl<R: BufRead> Iterator for InputLines<R> {
    type Item = LineResult;

    fn next(&mut self) -> Option<LineResult> {
        self.buf.clear();
        match self.reader.read_until(b'\n', &mut self.buf) {
            Ok(0) => None,
            Err(e) => {
                Some(Err(LineError::Io(Error::io_context(&e, format_args!("read failed after line {}", self.line)))))
            }
            Ok(_) => {
                self.line += 1;
                while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
                    self.buf.pop();
                }
                match std::str::from_utf8(&self.buf) {
                    Ok(s) => Some(Ok((self.line, s.to_string()))),
                    Err(e) => {
                        let col = String::from_utf8_lossy(&self.buf[..e.valid_up_to()]).chars().count() + 1;
                        Some(Err(LineError::Encoding(RecordError {
                            line: self.line,
                            field: None,
                            message: format!(
                                "not valid UTF-8 (byte 0x{:02x} at column {col}); save the file as UTF-8",
                                self.buf[e.valid_up_to()]
                            ),
                        })))
                    }
                }
            }
        }
    }
}
