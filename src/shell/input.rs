//! Reading script input with limits applied while reading: a script is
//! read in chunks, and a line longer than [`MAX_LINE`] or a script larger
//! than [`MAX_SCRIPT`] stops the read at once, so `-f /dev/zero` or a pipe
//! that never sends a newline ends with a message instead of filling
//! memory. Nothing of such a script runs.

use super::format::bytes;
use std::io::{self, Read};

/// The longest line a script may have: far more than the longest
/// statement (a claim's text is at most 64 KiB).
pub const MAX_LINE: usize = 1024 * 1024;

/// The largest script: bigger inputs are data, for `import`.
pub const MAX_SCRIPT: usize = 256 * 1024 * 1024;

/// Reads all of `reader` (named `name` in messages), refusing a line over
/// [`MAX_LINE`] or a total over [`MAX_SCRIPT`] as soon as it is seen.
pub fn read_script(mut reader: impl Read, name: &str) -> Result<Vec<u8>, String> {
    read_limited(&mut reader, name, MAX_LINE, MAX_SCRIPT)
}

fn read_limited(reader: &mut dyn Read, name: &str, max_line: usize, max_total: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut line = 1usize;
    let mut line_len = 0usize;
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(out),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("cannot read {name}: {e}")),
        };
        for &b in &chunk[..n] {
            if b == b'\n' {
                line += 1;
                line_len = 0;
            } else {
                line_len += 1;
                if line_len > max_line {
                    return Err(format!(
                        "cannot run {name}: line {line} is longer than {} (the limit for one line of a script); \
                         nothing was run",
                        bytes(max_line as u64)
                    ));
                }
            }
        }
        if out.len() + n > max_total {
            return Err(format!(
                "cannot run {name}: it is larger than {} (the limit for a script); nothing was run; \
                 split it, or load data with import",
                bytes(max_total as u64)
            ));
        }
        out.extend_from_slice(&chunk[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_line_stops_at_the_limit() {
        let mut zeros = io::repeat(0);
        let err = read_limited(&mut zeros, "/dev/zero", 1000, 1 << 20).unwrap_err();
        assert_eq!(
            err,
            "cannot run /dev/zero: line 1 is longer than 1000 B (the limit for one line of a script); nothing was run"
        );
    }

    #[test]
    fn an_endless_script_stops_at_the_limit() {
        let mut lines = io::repeat(b'\n');
        let err = read_limited(&mut lines, "<stdin>", 1000, 1 << 20).unwrap_err();
        assert!(err.contains("larger than 1.0 MiB (the limit for a script)"), "{err}");
    }

    #[test]
    fn scripts_within_the_limits_are_read_whole() {
        let text = "claims\n".repeat(10_000);
        assert_eq!(read_limited(&mut text.as_bytes(), "s", 100, 1 << 20).unwrap(), text.as_bytes());
        let long_line = format!("{}\nclaims", "x".repeat(100));
        assert!(read_limited(&mut long_line.as_bytes(), "s", 100, 1 << 20).is_ok());
    }
}
