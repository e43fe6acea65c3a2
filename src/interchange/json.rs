//! JSON arrays, read and written one item at a time: claimdb's array of
//! claims (`export to "x.json"`, what `--format json` prints) and arrays of
//! ClaimReview objects.
//!
//! Reading finds where each item of the top-level array begins and ends
//! (following strings, escapes and nesting) and parses the items one by
//! one, so memory holds one item, never the document, and an item larger
//! than [`MAX_RECORD_BYTES`] stops the reading with a message. Syntax
//! errors anywhere are reported against the whole document's line and
//! column; an item that is valid JSON but not a claim is a bad record
//! numbered by its place in the array.

use super::input::{json_syntax_error, mib, MAX_RECORD_BYTES};
use super::{jsonl, ImportRecord, Input};
use crate::engine::ReadError;
use crate::error::{Error, Result};
use crate::model::Claim;
use serde::Serialize;
use std::io::{BufRead, BufReader, Write};

/// One item of a JSON array: its place (from 1), where it starts, and its
/// bytes.
pub struct Item {
    /// Its place in the array, from 1.
    pub number: u64,
    /// The line and column (1-based) of its first byte in the document.
    pub line: u64,
    /// See `line`.
    pub column: u64,
    /// The item's JSON text.
    pub bytes: Vec<u8>,
}

/// The items of the top-level JSON array of an input.
pub struct Items {
    reader: BufReader<Input>,
    name: String,
    line: u64,
    column: u64,
    number: u64,
    state: State,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the `[`.
    Start,
    /// After `[` or `,`: an item (or, after `[`, the `]`) comes next.
    Item {
        first: bool,
    },
    /// After an item: `,` or `]` comes next.
    Separator,
    Done,
}

impl Items {
    /// The items of `input`, which must hold a JSON array.
    pub fn new(input: Input) -> Items {
        let name = input.name().to_string();
        Items { reader: input.buffered(), name, line: 1, column: 1, number: 0, state: State::Start }
    }

    fn peek(&mut self) -> Result<Option<u8>> {
        loop {
            match self.reader.fill_buf() {
                Ok(buf) => return Ok(buf.first().copied()),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::io_context(&e, format_args!("cannot read {}", self.name))),
            }
        }
    }

    fn advance(&mut self, byte: u8) {
        self.reader.consume(1);
        if byte == b'\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
    }

    /// The next byte that is not white space, not consumed.
    fn skip_space(&mut self) -> Result<Option<u8>> {
        while let Some(b) = self.peek()? {
            if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                return Ok(Some(b));
            }
            self.advance(b);
        }
        Ok(None)
    }

    fn syntax(&self, what: &str) -> Error {
        Error::Input {
            message: format!("{} is not valid JSON: {what} at line {}, column {}", self.name, self.line, self.column),
            span: None,
            help: None,
        }
    }

    /// Reads one item, which starts at the current byte.
    fn item(&mut self) -> Result<Item> {
        let (line, column) = (self.line, self.column);
        let mut bytes = Vec::new();
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        let scalar = !matches!(self.peek()?, Some(b'{' | b'[' | b'"'));
        loop {
            let Some(b) = self.peek()? else {
                return Err(self.syntax(if depth > 0 || in_string {
                    "EOF while parsing a value"
                } else {
                    "EOF while parsing a list"
                }));
            };
            if scalar && matches!(b, b',' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                break;
            }
            self.advance(b);
            bytes.push(b);
            if bytes.len() > MAX_RECORD_BYTES {
                return Err(Error::Input {
                    message: format!(
                        "item {} of {} (from line {line}) is larger than {}, the most one record may take; nothing was imported",
                        self.number + 1,
                        self.name,
                        mib(MAX_RECORD_BYTES)
                    ),
                    span: None,
                    help: Some("is it the right file? each item of the array should be one claim".into()),
                });
            }
            if in_string {
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
            } else {
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            if !scalar && depth == 0 && !in_string {
                break;
            }
        }
        self.number += 1;
        Ok(Item { number: self.number, line, column, bytes })
    }

    /// The next item, `None` after the closing `]`.
    fn next_item(&mut self) -> Result<Option<Item>> {
        loop {
            match self.state {
                State::Done => return Ok(None),
                State::Start => match self.skip_space()? {
                    Some(b'[') => {
                        self.advance(b'[');
                        self.state = State::Item { first: true };
                    }
                    None => return Err(self.syntax("EOF while parsing a value")),
                    Some(_) => return Err(not_an_array(&self.name)),
                },
                State::Item { first } => match self.skip_space()? {
                    Some(b']') if first => {
                        self.advance(b']');
                        self.end()?;
                    }
                    Some(b']') => return Err(self.syntax("trailing comma")),
                    None => return Err(self.syntax("EOF while parsing a list")),
                    Some(_) => {
                        let item = self.item()?;
                        self.state = State::Separator;
                        return Ok(Some(item));
                    }
                },
                State::Separator => match self.skip_space()? {
                    Some(b',') => {
                        self.advance(b',');
                        self.state = State::Item { first: false };
                    }
                    Some(b']') => {
                        self.advance(b']');
                        self.end()?;
                    }
                    None => return Err(self.syntax("EOF while parsing a list")),
                    Some(_) => return Err(self.syntax("expected `,` or `]`")),
                },
            }
        }
    }

    /// After the closing `]`: only white space may follow.
    fn end(&mut self) -> Result<()> {
        self.state = State::Done;
        match self.skip_space()? {
            None => Ok(()),
            Some(_) => Err(self.syntax("trailing characters")),
        }
    }

    /// The error for an item's JSON that does not parse, at its place in the
    /// document.
    pub fn item_syntax_error(&self, item: &Item, err: &serde_json::Error) -> Error {
        let (line, column) = if err.line() <= 1 {
            (item.line, item.column + err.column().saturating_sub(1) as u64)
        } else {
            (item.line + err.line() as u64 - 1, err.column() as u64)
        };
        json_syntax_error(&self.name, err, line, column)
    }
}

impl Iterator for Items {
    type Item = Result<Item>;

    fn next(&mut self) -> Option<Result<Item>> {
        match self.next_item() {
            Ok(item) => item.map(Ok),
            Err(e) => {
                self.state = State::Done;
                Some(Err(e))
            }
        }
    }
}

fn not_an_array(name: &str) -> Error {
    Error::Input {
        message: format!("{name} is not a JSON array of claims"),
        span: None,
        help: Some("a JSON import holds [ {claim}, {claim}, … ] as written by export to \"x.json\"".into()),
    }
}

/// The claims of a JSON array (what `--format json` and `export to
/// "x.json"` write), numbered by their place in the array.
pub fn records(input: Input) -> impl Iterator<Item = Result<ImportRecord, ReadError>> + Send {
    let mut items = Items::new(input);
    std::iter::from_fn(move || {
        let item = match items.next()? {
            Ok(item) => item,
            Err(e) => return Some(Err(ReadError::Fatal(e))),
        };
        Some(match serde_json::from_slice::<serde_json::Value>(&item.bytes) {
            Ok(value) => jsonl::parse_value(item.number, value).map_err(ReadError::Record),
            Err(e) => Err(ReadError::Fatal(items.item_syntax_error(&item, &e))),
        })
    })
}

/// Whether the start of a JSON input holds schema.org markup (ClaimReview)
/// rather than claimdb's own array of claims, judged from its first 64 KiB.
pub fn looks_like_json_ld(input: &mut Input) -> Result<bool> {
    let head = String::from_utf8_lossy(input.peek(64 * 1024)?);
    Ok(["\"@context\"", "\"@type\"", "\"@graph\"", "\"claimReviewed\""].iter().any(|k| head.contains(k)))
}

/// Writes a JSON array one item at a time, laid out as serde_json's pretty
/// printer lays out a whole array (two spaces of indent per level), so that
/// streaming changes nothing in the output.
pub struct ArrayWriter<W: Write> {
    out: W,
    written: u64,
    buf: Vec<u8>,
}

impl<W: Write> ArrayWriter<W> {
    /// Starts an array on `out`.
    pub fn new(out: W) -> ArrayWriter<W> {
        ArrayWriter { out, written: 0, buf: Vec::new() }
    }

    /// Writes one item.
    pub fn write(&mut self, item: &impl Serialize) -> Result<()> {
        self.buf.clear();
        serde_json::to_writer_pretty(&mut self.buf, item).map_err(|e| crate::errio!("JSON encoding failed: {e}"))?;
        self.out.write_all(if self.written == 0 { b"[\n  " } else { b",\n  " })?;
        // JSON strings hold no raw line ends, so every line end is layout.
        for (i, line) in self.buf.split(|b| *b == b'\n').enumerate() {
            if i > 0 {
                self.out.write_all(b"\n  ")?;
            }
            self.out.write_all(line)?;
        }
        self.written += 1;
        Ok(())
    }

    /// Closes the array (and ends the line); returns the output and how many
    /// items were written.
    pub fn finish(mut self) -> Result<(W, u64)> {
        self.out.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })?;
        Ok((self.out, self.written))
    }
}

/// Writes claims as claimdb's JSON array of claim objects.
pub struct ClaimsWriter<W: Write>(ArrayWriter<W>);

impl<W: Write> ClaimsWriter<W> {
    /// An array of claims on `out`.
    pub fn new(out: W) -> ClaimsWriter<W> {
        ClaimsWriter(ArrayWriter::new(out))
    }
}

impl<W: Write> super::ClaimWriter for ClaimsWriter<W> {
    fn write(&mut self, claim: &Claim) -> Result<()> {
        self.0.write(claim)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        let (mut out, _) = self.0.finish()?;
        out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> Result<Vec<String>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        std::fs::write(&path, text).unwrap();
        Items::new(Input::open(&path).unwrap())
            .map(|item| {
                item.map(|i| format!("{}@{}:{}={}", i.number, i.line, i.column, String::from_utf8_lossy(&i.bytes)))
            })
            .collect()
    }

    #[test]
    fn finds_each_item_and_where_it_starts() {
        let got = items("[\n  {\"a\": \"]}\\\"\"},\n  [1, [2]], 3 ,\"x\"\n]\n").unwrap();
        assert_eq!(got, ["1@2:3={\"a\": \"]}\\\"\"}", "2@3:3=[1, [2]]", "3@3:13=3", "4@3:16=\"x\""]);
        assert_eq!(items(" [ ] ").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn syntax_errors_name_the_place_in_the_document() {
        let err = |text: &str| items(text).unwrap_err().to_string();
        assert!(err("{}").ends_with("is not a JSON array of claims (a JSON import holds [ {claim}, {claim}, … ] as written by export to \"x.json\")"));
        assert!(err("").ends_with("is not valid JSON: EOF while parsing a value at line 1, column 1"));
        assert!(err("[1,]").ends_with("is not valid JSON: trailing comma at line 1, column 4"));
        assert!(err("[1 2]").ends_with("is not valid JSON: expected `,` or `]` at line 1, column 4"));
        assert!(err("[1]\nx").ends_with("is not valid JSON: trailing characters at line 2, column 1"));
        assert!(err("[{\"a\": 1").ends_with("is not valid JSON: EOF while parsing a value at line 1, column 9"));
    }

    #[test]
    fn the_array_writer_writes_what_the_pretty_printer_writes() {
        let values = vec![serde_json::json!({"a": [1, {"b": "x\ny"}], "c": {}}), serde_json::json!(2)];
        let mut writer = ArrayWriter::new(Vec::new());
        for v in &values {
            writer.write(v).unwrap();
        }
        let (out, n) = writer.finish().unwrap();
        assert_eq!(n, 2);
        assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string_pretty(&values).unwrap() + "\n");
        let (out, _) = ArrayWriter::new(Vec::new()).finish().unwrap();
        assert_eq!(out, b"[]\n");
    }
}
