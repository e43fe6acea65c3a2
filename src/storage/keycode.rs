//! Order-preserving key encoding, written by hand.
//!
//! Index keys must sort, byte by byte, in the order of the values they hold,
//! so that sled's range scans walk dates and names in order. Integers are
//! big-endian (signed ones with the sign bit flipped); strings have every
//! 0x00 escaped as 0x00 0xff and end with 0x00 0x00, so that a string sorts
//! before any longer string it is a prefix of, and a terminated string can be
//! followed by more key parts. bincode is never used for keys: its output does
//! not sort like the values it encodes.

use crate::errcorrupt;
use crate::error::Result;

/// Builds a key part by part.
#[derive(Clone, Debug, Default)]
pub struct KeyBuilder(Vec<u8>);

impl KeyBuilder {
    /// A key starting with a one-byte tag.
    pub fn tag(tag: u8) -> KeyBuilder {
        KeyBuilder(vec![tag])
    }

    /// Appends a byte.
    pub fn u8(mut self, v: u8) -> KeyBuilder {
        self.0.push(v);
        self
    }

    /// Appends a big-endian u64.
    pub fn u64(mut self, v: u64) -> KeyBuilder {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// Appends an i32 that sorts correctly across the sign boundary.
    pub fn i32(mut self, v: i32) -> KeyBuilder {
        self.0.extend_from_slice(&((v as u32) ^ 0x8000_0000).to_be_bytes());
        self
    }

    /// Appends an escaped, terminated string.
    pub fn str(mut self, s: &str) -> KeyBuilder {
        push_str(&mut self.0, s);
        self
    }

    /// Appends an escaped string without its terminator: a prefix matching
    /// every string that starts with `s`.
    pub fn str_prefix(mut self, s: &str) -> KeyBuilder {
        for &b in s.as_bytes() {
            self.0.push(b);
            if b == 0 {
                self.0.push(0xff);
            }
        }
        self
    }

    /// The finished key.
    pub fn build(self) -> Vec<u8> {
        self.0
    }
}

fn push_str(buf: &mut Vec<u8>, s: &str) {
    for &b in s.as_bytes() {
        buf.push(b);
        if b == 0 {
            buf.push(0xff);
        }
    }
    buf.extend_from_slice(&[0, 0]);
}

/// Reads a key part by part, failing with a corruption error on bad bytes.
pub struct KeyReader<'a> {
    bytes: &'a [u8],
}

impl<'a> KeyReader<'a> {
    /// Reads `bytes`.
    pub fn new(bytes: &'a [u8]) -> KeyReader<'a> {
        KeyReader { bytes }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.bytes.len() < n {
            return Err(errcorrupt!("index key is truncated"));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    /// Reads a byte.
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    /// Reads a big-endian u64.
    pub fn u64(&mut self) -> Result<u64> {
        let bytes = self.take(8)?;
        Ok(u64::from_be_bytes(bytes.try_into().expect("8 bytes")))
    }

    /// Reads an i32 written by [`KeyBuilder::i32`].
    pub fn i32(&mut self) -> Result<i32> {
        let bytes = self.take(4)?;
        Ok((u32::from_be_bytes(bytes.try_into().expect("4 bytes")) ^ 0x8000_0000) as i32)
    }

    /// Reads an escaped, terminated string.
    pub fn str(&mut self) -> Result<String> {
        let mut out = Vec::new();
        loop {
            match self.take(1)?[0] {
                0 => match self.take(1)?[0] {
                    0 => break,
                    0xff => out.push(0),
                    b => return Err(errcorrupt!("bad escape 0x00 0x{b:02x} in index key")),
                },
                b => out.push(b),
            }
        }
        String::from_utf8(out).map_err(|_| errcorrupt!("index key holds invalid UTF-8"))
    }

    /// Whether every byte has been read.
    pub fn is_done(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Fails unless every byte has been read.
    pub fn finish(&self) -> Result<()> {
        if self.is_done() {
            Ok(())
        } else {
            Err(errcorrupt!("index key has {} trailing bytes", self.bytes.len()))
        }
    }
}

/// The smallest key greater than every key starting with `prefix`, or `None`
/// when no such key exists (the prefix is all 0xff).
pub fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn strings_sort_like_their_values() {
        let words = ["", "\0", "\0a", "a", "a\0", "a\0b", "ab", "b"];
        let keys: Vec<Vec<u8>> = words.iter().map(|w| KeyBuilder::tag(1).str(w).u64(7).build()).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn i32_sorts_across_zero() {
        let a = KeyBuilder::default().i32(-5).build();
        let b = KeyBuilder::default().i32(3).build();
        assert!(a < b);
        assert_eq!(KeyReader::new(&a).i32().unwrap(), -5);
    }

    #[test]
    fn prefix_end_skips_ff() {
        assert_eq!(prefix_end(&[1, 0xff]), Some(vec![2]));
        assert_eq!(prefix_end(&[0xff]), None);
    }

    #[test]
    fn rejects_garbage() {
        assert!(KeyReader::new(&[b'a', 0, 7]).str().is_err());
        assert!(KeyReader::new(&[1, 2]).u64().is_err());
    }

    proptest! {
        #[test]
        fn order_and_round_trip(a in ".*", b in ".*", x in any::<u64>(), y in any::<i32>()) {
            let ka = KeyBuilder::tag(0).str(&a).u64(x).i32(y).build();
            let kb = KeyBuilder::tag(0).str(&b).u64(x).i32(y).build();
            prop_assert_eq!(a.as_bytes().cmp(b.as_bytes()), ka.cmp(&kb));
            let mut r = KeyReader::new(&ka);
            prop_assert_eq!(r.u8().unwrap(), 0);
            prop_assert_eq!(r.str().unwrap(), a);
            prop_assert_eq!(r.u64().unwrap(), x);
            prop_assert_eq!(r.i32().unwrap(), y);
            prop_assert!(r.finish().is_ok());
        }
    }
}
