//! Checking an article's bytes before reading it: its size, that it is text
//! and not a binary file, and that it is valid UTF-8. The `extract from`
//! statement reads the file and hands the bytes here, so every caller gets
//! the same limits and the same messages.

use crate::error::{Error, Result};

/// The largest article accepted, in bytes (8 MiB). A long wire story is
/// 10 KB; anything this large is not one article.
pub const MAX_ARTICLE_BYTES: u64 = 8 * 1024 * 1024;

/// Checks a file's size before it is read, so that a huge file is refused
/// without reading it. `origin` names the file in the message.
pub fn check_size(origin: &str, len: u64) -> Result<()> {
    if len > MAX_ARTICLE_BYTES {
        return Err(Error::Input {
            message: format!(
                "{origin} is {} bytes ({:.1} MiB); an article may be at most {MAX_ARTICLE_BYTES} bytes (8 MiB)",
                len,
                len as f64 / (1024.0 * 1024.0)
            ),
            span: None,
            help: Some("give one article as plain text; split a collection into one file per article".into()),
        });
    }
    Ok(())
}

/// Checks an article's bytes and returns its text: at most
/// [`MAX_ARTICLE_BYTES`], no NUL byte (a binary file), valid UTF-8 (the
/// error gives the byte offset, line and column of the first bad byte). A
/// leading byte-order mark is dropped. An empty or blank article is not an
/// error: it has no claims, and extraction says so.
pub fn article_text<'a>(origin: &str, bytes: &'a [u8]) -> Result<&'a str> {
    check_size(origin, bytes.len() as u64)?;
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::Input {
            message: format!("{origin} looks like a binary file, not a text article (a NUL byte at byte offset {at})"),
            span: None,
            help: Some("give the article as plain UTF-8 text (copy the text out of a PDF or word processor)".into()),
        });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let at = err.valid_up_to();
            let before = &bytes[..at];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            // The column counts characters, and everything before `at` is valid.
            let column = std::str::from_utf8(&before[line_start..]).map_or(0, |s| s.chars().count()) + 1;
            return Err(Error::Input {
                message: format!(
                    "{origin} is not valid UTF-8: byte 0x{:02X} at byte offset {at} (line {line}, column {column})",
                    bytes[at]
                ),
                span: None,
                help: Some("convert the file to UTF-8, e.g. `iconv -f WINDOWS-1252 -t UTF-8`".into()),
            });
        }
    };
    if let Some(at) = text.find(|c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) {
        let line = text[..at].matches('\n').count() + 1;
        return Err(Error::Input {
            message: format!(
                "{origin} looks like a binary file, not a text article (control character {:?} at byte offset {at}, line {line})",
                text[at..].chars().next().unwrap_or('?')
            ),
            span: None,
            help: Some("give the article as plain UTF-8 text".into()),
        });
    }
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(err: Error) -> String {
        match err {
            Error::Input { message, .. } => message,
            other => other.to_string(),
        }
    }

    #[test]
    fn gives_the_byte_offset_line_and_column_of_bad_utf8() {
        let bytes = b"Qatar said\nit will \xE9cease";
        let msg = message(article_text("a.txt", bytes).unwrap_err());
        assert!(msg.contains("byte 0xE9 at byte offset 19 (line 2, column 9)"), "{msg}");
    }

    #[test]
    fn refuses_binary_files() {
        let msg = message(article_text("a.pdf", b"%PDF-1.4\n\x00\x01").unwrap_err());
        assert!(msg.contains("binary") && msg.contains("byte offset 9"), "{msg}");
        let msg = message(article_text("a.bin", b"text\x07more").unwrap_err());
        assert!(msg.contains("binary") && msg.contains("offset 4"), "{msg}");
    }

    #[test]
    fn refuses_huge_files_naming_the_limit() {
        let msg = message(check_size("big.txt", 50 * 1024 * 1024).unwrap_err());
        assert!(msg.contains("52428800 bytes (50.0 MiB)") && msg.contains("at most 8388608 bytes"), "{msg}");
        assert!(check_size("ok.txt", MAX_ARTICLE_BYTES).is_ok());
    }

    #[test]
    fn accepts_empty_text_and_drops_a_bom() {
        assert_eq!(article_text("e.txt", b"").unwrap(), "");
        assert_eq!(article_text("b.txt", "\u{feff}Hi".as_bytes()).unwrap(), "Hi");
    }
}
