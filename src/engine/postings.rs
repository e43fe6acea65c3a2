//! Posting blocks: the sorted claim ids stored under one index term.
//!
//! An index term (a status, an outlet, a word of the text...) owns a run of
//! blocks in the postings tree, keyed by the term and the first id the block
//! may hold. Grouping ids in blocks instead of one key per (term, claim)
//! keeps the number of sled keys small, which is what makes bulk writes and
//! scans fast and the database compact.
//!
//! A block is encoded as: the value-format byte, the number of ids, the
//! first id, then the gaps between consecutive ids, all as LEB128 varints.
//! The count comes first so that counting needs no decoding of the ids.

use crate::errcorrupt;
use crate::error::Result;
use crate::storage::codec::VALUE_FORMAT;

/// The most ids a block holds before a new block is started.
pub const BLOCK_MAX: usize = 1024;

fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn read_varint(bytes: &[u8], pos: &mut usize) -> Result<u64> {
    let mut value: u64 = 0;
    for shift in (0..64).step_by(7) {
        let Some(&b) = bytes.get(*pos) else {
            return Err(errcorrupt!("posting block is truncated"));
        };
        *pos += 1;
        let part = u64::from(b & 0x7f);
        if shift == 63 && part > 1 {
            return Err(errcorrupt!("posting block holds a number that overflows"));
        }
        value |= part << shift;
        if b & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(errcorrupt!("posting block holds an overlong number"))
}

/// Encodes sorted, distinct ids as a block.
pub fn encode(ids: &[u64]) -> Vec<u8> {
    debug_assert!(ids.windows(2).all(|w| w[0] < w[1]), "block ids must be sorted and distinct");
    let mut out = Vec::with_capacity(ids.len() * 2 + 8);
    out.push(VALUE_FORMAT);
    push_varint(&mut out, ids.len() as u64);
    let mut prev = 0;
    for (i, &id) in ids.iter().enumerate() {
        push_varint(&mut out, if i == 0 { id } else { id - prev });
        prev = id;
    }
    out
}

fn header(bytes: &[u8]) -> Result<(u64, usize)> {
    match bytes.first() {
        Some(&VALUE_FORMAT) => {}
        Some(other) => return Err(errcorrupt!("posting block has unknown format {other}")),
        None => return Err(errcorrupt!("posting block is empty")),
    }
    let mut pos = 1;
    let count = read_varint(bytes, &mut pos)?;
    if count == 0 || count > (bytes.len() as u64) {
        return Err(errcorrupt!("posting block claims {count} ids in {} bytes", bytes.len()));
    }
    Ok((count, pos))
}

/// The number of ids in a block, read from its header only.
pub fn count(bytes: &[u8]) -> Result<u64> {
    Ok(header(bytes)?.0)
}

/// Decodes a block, appending its ids to `out`. Fails on any damage:
/// unsorted or repeated ids, overflow, trailing bytes.
pub fn decode_into(bytes: &[u8], out: &mut Vec<u64>) -> Result<()> {
    let (count, mut pos) = header(bytes)?;
    out.reserve(count as usize);
    let mut prev = 0u64;
    for i in 0..count {
        let v = read_varint(bytes, &mut pos)?;
        let id = if i == 0 {
            v
        } else {
            if v == 0 {
                return Err(errcorrupt!("posting block repeats an id"));
            }
            prev.checked_add(v).ok_or_else(|| errcorrupt!("posting block id overflows"))?
        };
        out.push(id);
        prev = id;
    }
    if pos != bytes.len() {
        return Err(errcorrupt!("posting block has {} trailing bytes", bytes.len() - pos));
    }
    Ok(())
}

/// Decodes a block into a new vector.
pub fn decode(bytes: &[u8]) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    decode_into(bytes, &mut out)?;
    Ok(out)
}

/// Splits sorted ids into blocks of at most [`BLOCK_MAX`], filling each block
/// before starting the next, so that appended ids leave full blocks behind.
pub fn chunks(ids: &[u64]) -> impl Iterator<Item = &[u64]> {
    ids.chunks(BLOCK_MAX)
}

/// The ids in both sorted lists.
pub fn intersect(a: &[u64], b: &[u64]) -> Vec<u64> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut out = Vec::with_capacity(small.len());
    if small.len() * 16 < large.len() {
        // Galloping: binary-search each id of the small list in the large one.
        let mut rest = large;
        for &id in small {
            match rest.binary_search(&id) {
                Ok(i) => {
                    out.push(id);
                    rest = &rest[i + 1..];
                }
                Err(i) => rest = &rest[i..],
            }
        }
        return out;
    }
    let (mut i, mut j) = (0, 0);
    while i < small.len() && j < large.len() {
        match small[i].cmp(&large[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(small[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Sorts and removes repeats: the union of lists appended together.
pub fn normalize(mut ids: Vec<u64>) -> Vec<u64> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn round_trip_and_count() {
        let ids = vec![1, 2, 300, 70_000, u64::MAX];
        let bytes = encode(&ids);
        assert_eq!(count(&bytes).unwrap(), 5);
        assert_eq!(decode(&bytes).unwrap(), ids);
    }

    #[test]
    fn damage_is_an_error() {
        let bytes = encode(&[5, 6, 7]);
        let mut trailing = bytes.clone();
        trailing.push(1);
        assert!(decode(&trailing).is_err());
        assert!(decode(&bytes[..bytes.len() - 1]).is_err());
        assert!(decode(&[VALUE_FORMAT, 2, 5, 0]).is_err(), "repeated id");
        assert!(decode(&[VALUE_FORMAT, 0]).is_err(), "empty block");
        assert!(decode(&[VALUE_FORMAT, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).is_err());
    }

    #[test]
    fn intersections() {
        assert_eq!(intersect(&[1, 3, 5, 7], &[3, 4, 5]), vec![3, 5]);
        let large: Vec<u64> = (0..1000).collect();
        assert_eq!(intersect(&[5, 500, 2000], &large), vec![5, 500]);
    }

    proptest! {
        #[test]
        fn any_sorted_ids_round_trip(set in proptest::collection::btree_set(any::<u64>(), 1..200)) {
            let ids: Vec<u64> = set.into_iter().collect();
            prop_assert_eq!(decode(&encode(&ids)).unwrap(), ids);
        }

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode(&bytes);
        }
    }
}
