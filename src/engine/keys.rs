//! The stored layout, format version 2: every tree, every key shape and
//! every value shape of a claimdb database, with their encoders and
//! decoders. Nothing else in claimdb builds or parses stored bytes.
//!
//! sled's cost grows with the number of keys (its page table, loaded on
//! every open, has about one entry per 12 keys) far more than with their
//! size, so records are packed: 64 claims per key, and index blocks in
//! pages of 16 KiB. Measured at 200,000 claims (import, then size on disk):
//! 16 claims and 6 KiB pages, 18.8 s and 149 MiB; 64 claims and 6 KiB,
//! 10.8 s and 126 MiB; 64 claims and 16 KiB, 8.9 s and 108 MiB. Larger
//! values make sled write a leaf (up to 17 values) as a separate blob file,
//! which it replaces whole instead of leaving garbage in its log for its
//! cleaner: less space and less writing, at the price of a larger page
//! rewritten by each single-claim write.
//!
//! ```text
//! tree          key                               value
//! ------------  --------------------------------  ------------------------------------------
//! meta          "format_version"                  u32 BE: 2
//!               "next_claim_id", "next_source_id" u64 BE: the next id to give out
//!               "claim_count"                     u64 BE: how many claims there are
//!               "write_seq"                       u64 BE: acknowledged writes so far (the
//!                                                 witness file holds the same number)
//!               "undo_open"                       empty: an undoable unit (an import, an
//!                                                 atomic unit) is under way; see `undo`
//! claim_pages   page u64 BE (= claim id / 64)     id page of claim records
//! source_pages  page u64 BE (= source id / 64)    id page of source records
//! source_names  packed page, keyed by its first   entries: identity key → source id u64 BE
//! index         entry's key (see below)           entries: term key ++ first id u64 BE →
//!                                                 posting block
//! relations                                       entries: direction u8 (0 from, 1 to),
//!                                                 claim u64 BE, relation u8, other u64 BE → ""
//! undo          tree code u8 ++ key               0 (the key was absent) | 1 ++ old value
//!
//! id page        [2] [n] n × ([slot u8] [end u32 LE]) record bytes…
//!                slots ascending; record i is bytes[end(i-1)..end(i)] of the
//!                record area; a record is bincode, decoded alone
//! packed page    [2] then per entry: [shared varint] [suffix len varint]
//!                [suffix] [value len varint] [value]
//!                keys strictly ascending; `shared` bytes come from the
//!                previous key (the first entry's shared is 0)
//! posting block  [flags] [count varint] then per id: [gap varint], and
//!                with flags & 1 (text words): each position (the first, then
//!                gaps) as a varint of (position << 1 | more), more = 1 while
//!                positions of the same id follow; the first gap is the id itself
//! term key       tag byte + value (keycode): D date i32, S source u64,
//!                K kind u8 anonymous u8, A affiliation str, T status u8,
//!                O outlet str, P topic str, R rating str, W word str,
//!                E ever-status u8, N outlet count u8, M status u8 month i32
//! identity key   lower-cased name str, kind u8, anonymous u8, lower-cased
//!                affiliation str ("" for none)
//! ```
//!
//! A packed tree is an ordered map of small entries stored as pages: a
//! page holds a run of consecutive entries and is stored under the key of
//! its first entry, so the page holding a key is the last page whose key
//! is at or before it (see [`super::packed`]).
//!
//! Format version 1 (one sled key per claim, source, index block and
//! relation) is read only by the upgrade; its shapes are at the end.

use super::postings::PostingList;
use super::terms::Term;
use crate::errcorrupt;
use crate::error::Result;
use crate::model::{Kind, Relation, Source, Status};
use crate::storage::keycode::{KeyBuilder, KeyReader};

/// The format of the values of format version 2 (pages and blocks).
pub const PAGE_FORMAT: u8 = 2;

/// Meta key: the database format version.
pub const META_FORMAT: &[u8] = b"format_version";
/// Meta key: the next claim id.
pub const META_NEXT_CLAIM: &[u8] = b"next_claim_id";
/// Meta key: the next source id.
pub const META_NEXT_SOURCE: &[u8] = b"next_source_id";
/// Meta key: the number of claims.
pub const META_CLAIM_COUNT: &[u8] = b"claim_count";
/// Meta key: the number of acknowledged writes.
pub const META_WRITE_SEQ: &[u8] = b"write_seq";
/// Meta key: present while an undoable unit is under way.
pub const META_UNDO_OPEN: &[u8] = b"undo_open";
/// Meta key: the database's rating scale, a codec value (see
/// `engine::rating_scale`); absent means PolitiFact's.
pub const META_RATING_SCALE: &[u8] = b"rating_scale";

/// Claims per claim page.
pub const CLAIMS_PER_PAGE: u64 = 64;
/// Sources per source page.
pub const SOURCES_PER_PAGE: u64 = 64;
/// The size a packed page is split at.
pub const PACKED_PAGE_BYTES: usize = 16 * 1024;
/// The most ids a posting block holds.
pub const BLOCK_MAX: usize = 1024;
/// The most bytes a posting block grows to before another is started
/// (blocks of text words hold positions too).
pub const BLOCK_BYTES: usize = 3 * 1024;

/// A u64 counter as stored in the meta tree.
pub fn encode_u64(v: u64) -> Vec<u8> {
    v.to_be_bytes().to_vec()
}

/// Reads a u64 counter of the meta tree; `what` names it in errors.
pub fn decode_u64(bytes: &[u8], what: &str) -> Result<u64> {
    Ok(u64::from_be_bytes(bytes.try_into().map_err(|_| errcorrupt!("{what} is damaged ({} bytes)", bytes.len()))?))
}

/// Reads the format version of the meta tree.
pub fn decode_format(bytes: &[u8]) -> Result<u32> {
    Ok(u32::from_be_bytes(bytes.try_into().map_err(|_| errcorrupt!("the format version key is damaged"))?))
}

// ---------------------------------------------------------------------------
// Varints (LEB128).

/// Appends `v` as an LEB128 varint.
pub fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The number of bytes `v` takes as a varint.
pub fn varint_len(v: u64) -> usize {
    (64 - (v | 1).leading_zeros() as usize).div_ceil(7)
}

/// Reads a varint at `*pos`, moving `pos` past it. `what` names the value
/// in errors.
#[inline]
pub fn read_varint(bytes: &[u8], pos: &mut usize, what: &str) -> Result<u64> {
    // Most numbers of a posting block fit one byte.
    if let Some(&b) = bytes.get(*pos) {
        if b < 0x80 {
            *pos += 1;
            return Ok(u64::from(b));
        }
    }
    read_varint_long(bytes, pos, what)
}

fn read_varint_long(bytes: &[u8], pos: &mut usize, what: &str) -> Result<u64> {
    let mut value: u64 = 0;
    for shift in (0..64).step_by(7) {
        let Some(&b) = bytes.get(*pos) else {
            return Err(errcorrupt!("{what} is truncated"));
        };
        *pos += 1;
        let part = u64::from(b & 0x7f);
        if shift == 63 && part > 1 {
            return Err(errcorrupt!("{what} holds a number that overflows"));
        }
        value |= part << shift;
        if b & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(errcorrupt!("{what} holds an overlong number"))
}

fn read_len(bytes: &[u8], pos: &mut usize, what: &str) -> Result<usize> {
    let n = read_varint(bytes, pos, what)?;
    usize::try_from(n).ok().filter(|n| *n <= bytes.len()).ok_or_else(|| errcorrupt!("{what} claims {n} bytes"))
}

// ---------------------------------------------------------------------------
// Id pages: claim and source records by id.

/// The page key of the page holding `id`, with `per_page` ids a page.
pub fn id_page_key(id: u64, per_page: u64) -> [u8; 8] {
    (id / per_page).to_be_bytes()
}

/// The slot of `id` in its page.
pub fn id_slot(id: u64, per_page: u64) -> u8 {
    (id % per_page) as u8
}

/// The page number in an id page's key.
pub fn decode_page_key(key: &[u8]) -> Result<u64> {
    decode_u64(key, "a page key")
}

const ID_ENTRY: usize = 5;

/// Encodes the records of one id page, in slot order.
pub fn encode_id_page(records: &[(u8, &[u8])]) -> Vec<u8> {
    debug_assert!(records.windows(2).all(|w| w[0].0 < w[1].0), "slots ascending");
    let body: usize = records.iter().map(|(_, r)| r.len()).sum();
    let mut out = Vec::with_capacity(2 + ID_ENTRY * records.len() + body);
    out.push(PAGE_FORMAT);
    out.push(records.len() as u8);
    let mut end = 0u32;
    for (slot, record) in records {
        end += record.len() as u32;
        out.push(*slot);
        out.extend_from_slice(&end.to_le_bytes());
    }
    for (_, record) in records {
        out.extend_from_slice(record);
    }
    out
}

/// A checked view of an id page: its slots and where each record is.
#[derive(Clone, Copy, Debug)]
pub struct IdPage<'a> {
    bytes: &'a [u8],
    n: usize,
}

impl<'a> IdPage<'a> {
    /// Checks the page's table (format, slot order, offsets within the page,
    /// no empty record, no trailing bytes) and returns a view of it. `what`
    /// names the page in errors.
    pub fn parse(bytes: &'a [u8], per_page: u64, what: &str) -> Result<IdPage<'a>> {
        match bytes.first() {
            Some(&PAGE_FORMAT) => {}
            Some(other) => return Err(errcorrupt!("{what} has unknown format {other}")),
            None => return Err(errcorrupt!("{what} is empty")),
        }
        let n = *bytes.get(1).ok_or_else(|| errcorrupt!("{what} is truncated"))? as usize;
        if n == 0 || n as u64 > per_page {
            return Err(errcorrupt!("{what} claims {n} records"));
        }
        let table_end = 2 + ID_ENTRY * n;
        if bytes.len() < table_end {
            return Err(errcorrupt!("{what} is truncated"));
        }
        let page = IdPage { bytes, n };
        let (mut last_slot, mut last_end) = (None, 0usize);
        for i in 0..n {
            let (slot, end) = page.entry(i);
            if u64::from(slot) >= per_page || last_slot.is_some_and(|s| s >= slot) {
                return Err(errcorrupt!("{what} has its slots out of order"));
            }
            if end <= last_end {
                return Err(errcorrupt!("{what} has a record table out of order"));
            }
            last_slot = Some(slot);
            last_end = end;
        }
        if table_end + last_end != bytes.len() {
            return Err(errcorrupt!("{what} has {} bytes, its table says {}", bytes.len(), table_end + last_end));
        }
        Ok(page)
    }

    fn entry(&self, i: usize) -> (u8, usize) {
        let at = 2 + ID_ENTRY * i;
        let end = u32::from_le_bytes(self.bytes[at + 1..at + 5].try_into().expect("4 bytes"));
        (self.bytes[at], end as usize)
    }

    fn record_at(&self, i: usize) -> &'a [u8] {
        let base = 2 + ID_ENTRY * self.n;
        let start = if i == 0 { 0 } else { self.entry(i - 1).1 };
        &self.bytes[base + start..base + self.entry(i).1]
    }

    /// The record in `slot`, if any.
    pub fn get(&self, slot: u8) -> Option<&'a [u8]> {
        (0..self.n).find(|&i| self.entry(i).0 == slot).map(|i| self.record_at(i))
    }

    /// Every (slot, record), in slot order.
    pub fn records(&self) -> impl DoubleEndedIterator<Item = (u8, &'a [u8])> + '_ {
        (0..self.n).map(|i| (self.entry(i).0, self.record_at(i)))
    }
}

// ---------------------------------------------------------------------------
// Packed pages: runs of small sorted entries.

/// The bytes an entry adds to a packed page after `previous` (its key).
pub fn packed_entry_len(previous: &[u8], key: &[u8], value: &[u8]) -> usize {
    let shared = shared_prefix(previous, key);
    let suffix = key.len() - shared;
    varint_len(shared as u64) + varint_len(suffix as u64) + suffix + varint_len(value.len() as u64) + value.len()
}

fn shared_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Encodes sorted entries as a packed page.
pub fn encode_packed<K: AsRef<[u8]>, V: AsRef<[u8]>>(entries: &[(K, V)]) -> Vec<u8> {
    let mut out = vec![PAGE_FORMAT];
    let mut previous: &[u8] = &[];
    for (key, value) in entries {
        let (key, value) = (key.as_ref(), value.as_ref());
        debug_assert!(previous < key || previous.is_empty(), "packed keys ascending");
        let shared = shared_prefix(previous, key);
        push_varint(&mut out, shared as u64);
        push_varint(&mut out, (key.len() - shared) as u64);
        out.extend_from_slice(&key[shared..]);
        push_varint(&mut out, value.len() as u64);
        out.extend_from_slice(value);
        previous = key;
    }
    out
}

/// Decodes a packed page into its entries: each key, and where its value
/// lies in `bytes`. Fails on any damage (keys out of order, lengths past
/// the end, an empty page). `what` names the page in errors.
pub fn decode_packed(bytes: &[u8], what: &str) -> Result<Vec<(Vec<u8>, std::ops::Range<usize>)>> {
    match bytes.first() {
        Some(&PAGE_FORMAT) => {}
        Some(other) => return Err(errcorrupt!("{what} has unknown format {other}")),
        None => return Err(errcorrupt!("{what} is empty")),
    }
    let mut out: Vec<(Vec<u8>, std::ops::Range<usize>)> = Vec::new();
    let mut pos = 1;
    while pos < bytes.len() {
        let shared = read_len(bytes, &mut pos, what)?;
        let suffix = read_len(bytes, &mut pos, what)?;
        let previous = out.last().map(|(k, _)| k.as_slice()).unwrap_or(&[]);
        if shared > previous.len() || pos + suffix > bytes.len() {
            return Err(errcorrupt!("{what} has a key that does not fit"));
        }
        let mut key = Vec::with_capacity(shared + suffix);
        key.extend_from_slice(&previous[..shared]);
        key.extend_from_slice(&bytes[pos..pos + suffix]);
        pos += suffix;
        if !out.is_empty() && key.as_slice() <= previous {
            return Err(errcorrupt!("{what} has its keys out of order"));
        }
        let len = read_len(bytes, &mut pos, what)?;
        if pos + len > bytes.len() {
            return Err(errcorrupt!("{what} has a value that does not fit"));
        }
        out.push((key, pos..pos + len));
        pos += len;
    }
    if out.is_empty() {
        return Err(errcorrupt!("{what} holds no entries"));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Posting blocks.

const BLOCK_POSITIONS: u8 = 1;

/// Encodes ids `range` of `list` as one posting block.
pub fn encode_block(list: &PostingList, range: std::ops::Range<usize>) -> Vec<u8> {
    let mut out = Vec::with_capacity(range.len() * 3 + 4);
    out.push(if list.positional { BLOCK_POSITIONS } else { 0 });
    push_varint(&mut out, range.len() as u64);
    let mut prev = 0;
    for (k, i) in range.enumerate() {
        let id = list.ids[i];
        push_varint(&mut out, if k == 0 { id } else { id - prev });
        prev = id;
        if list.positional {
            let pos = list.positions_of(i);
            let mut last = 0;
            for (j, &p) in pos.iter().enumerate() {
                push_varint(&mut out, position_code(if j == 0 { p } else { p - last }, j + 1 < pos.len()));
                last = p;
            }
        }
    }
    out
}

/// A position (or the gap from the one before) as stored: shifted left one
/// bit, the low bit saying whether more positions of the same id follow, so
/// that a word met once near the start of a text takes one byte.
fn position_code(delta: u32, more: bool) -> u64 {
    (u64::from(delta) << 1) | u64::from(more)
}

/// The encoded size of one more entry (`id` after `prev`, with `positions`)
/// in a block, for splitting lists into blocks.
pub fn block_entry_len(prev: Option<u64>, id: u64, positions: Option<&[u32]>) -> usize {
    let gap = match prev {
        Some(p) => id - p,
        None => id,
    };
    let mut n = varint_len(gap);
    if let Some(pos) = positions {
        let mut last = 0;
        for (j, &p) in pos.iter().enumerate() {
            n += varint_len(position_code(if j == 0 { p } else { p - last }, j + 1 < pos.len()));
            last = p;
        }
    }
    n
}

fn block_header(bytes: &[u8]) -> Result<(bool, u64, usize)> {
    let flags = *bytes.first().ok_or_else(|| errcorrupt!("a posting block is empty"))?;
    if flags & !BLOCK_POSITIONS != 0 {
        return Err(errcorrupt!("a posting block has unknown flags {flags:#x}"));
    }
    let mut pos = 1;
    let count = read_varint(bytes, &mut pos, "a posting block")?;
    if count == 0 || count > bytes.len() as u64 {
        return Err(errcorrupt!("a posting block claims {count} ids in {} bytes", bytes.len()));
    }
    Ok((flags & BLOCK_POSITIONS != 0, count, pos))
}

/// The number of ids in a block, from its header only.
pub fn block_count(bytes: &[u8]) -> Result<u64> {
    Ok(block_header(bytes)?.1)
}

/// Decodes a block, appending its ids (and positions, if it has them and
/// `list` keeps them) to `list`. Fails on any damage: ids not ascending,
/// positions not ascending, overflow, trailing bytes.
pub fn decode_block(bytes: &[u8], list: &mut PostingList) -> Result<()> {
    let lengths = (list.ids.len(), list.ends.len(), list.positions.len());
    let result = decode_block_into(bytes, list);
    if result.is_err() {
        // Nothing of a damaged block is kept.
        list.ids.truncate(lengths.0);
        list.ends.truncate(lengths.1);
        list.positions.truncate(lengths.2);
    }
    result
}

fn decode_block_into(bytes: &[u8], list: &mut PostingList) -> Result<()> {
    let (positional, count, mut pos) = block_header(bytes)?;
    const WHAT: &str = "a posting block";
    list.ids.reserve(count as usize);
    let mut prev = 0u64;
    for i in 0..count {
        let v = read_varint(bytes, &mut pos, WHAT)?;
        let id = if i == 0 {
            v
        } else {
            if v == 0 {
                return Err(errcorrupt!("a posting block repeats an id"));
            }
            prev.checked_add(v).ok_or_else(|| errcorrupt!("a posting block id overflows"))?
        };
        list.ids.push(id);
        prev = id;
        if positional {
            // Every position takes at least a byte, so this ends.
            let mut last = 0u64;
            for j in 0.. {
                let v = read_varint(bytes, &mut pos, WHAT)?;
                let delta = v >> 1;
                if j > 0 && delta == 0 {
                    return Err(errcorrupt!("a posting block repeats a position"));
                }
                last = last
                    .checked_add(delta)
                    .filter(|p| *p <= u64::from(u32::MAX))
                    .ok_or_else(|| errcorrupt!("a posting block holds a position out of range"))?;
                if list.positional {
                    list.positions.push(last as u32);
                }
                if v & 1 == 0 {
                    break;
                }
            }
        }
        if list.positional {
            if !positional {
                return Err(errcorrupt!("a posting block of a text word has no positions"));
            }
            list.ends.push(list.positions.len() as u32);
        }
    }
    if pos != bytes.len() {
        return Err(errcorrupt!("a posting block has {} trailing bytes", bytes.len() - pos));
    }
    Ok(())
}

/// Decodes only the ids of a block (skipping positions) into `out`.
pub fn decode_block_ids(bytes: &[u8], out: &mut Vec<u64>) -> Result<()> {
    let mut list = PostingList { ids: std::mem::take(out), ..PostingList::default() };
    let result = decode_block(bytes, &mut list);
    *out = list.ids;
    result
}

// ---------------------------------------------------------------------------
// Index entries: term keys and block keys.

/// The first byte of every date term's key.
pub const TAG_DATE: u8 = b'D';
/// The first byte of every source term's key.
pub const TAG_SOURCE: u8 = b'S';
/// The first byte of every kind term's key.
pub const TAG_KIND: u8 = b'K';
/// The first byte of every affiliation term's key.
pub const TAG_AFFILIATION: u8 = b'A';
/// The first byte of every status term's key.
pub const TAG_STATUS: u8 = b'T';
/// The first byte of every outlet term's key.
pub const TAG_OUTLET: u8 = b'O';
/// The first byte of every topic term's key.
pub const TAG_TOPIC: u8 = b'P';
/// The first byte of every rating term's key.
pub const TAG_RATING: u8 = b'R';
/// The first byte of every word term's key.
pub const TAG_WORD: u8 = b'W';
/// The first byte of every "status ever held" term's key.
pub const TAG_EVER: u8 = b'E';
/// The first byte of every outlet-count term's key.
pub const TAG_OUTLET_COUNT: u8 = b'N';
/// The first byte of every status-by-month term's key.
pub const TAG_STATUS_MONTH: u8 = b'M';

impl Term {
    /// The key prefix every block of this term starts with.
    pub fn prefix(&self) -> Vec<u8> {
        match self {
            Term::Date(d) => KeyBuilder::tag(TAG_DATE).i32(*d),
            Term::Source(id) => KeyBuilder::tag(TAG_SOURCE).u64(*id),
            Term::Kind(kind, anonymous) => KeyBuilder::tag(TAG_KIND).u8(kind.code()).u8(u8::from(*anonymous)),
            Term::Affiliation(s) => KeyBuilder::tag(TAG_AFFILIATION).str(s),
            Term::Status(s) => KeyBuilder::tag(TAG_STATUS).u8(s.code()),
            Term::Outlet(s) => KeyBuilder::tag(TAG_OUTLET).str(s),
            Term::Topic(s) => KeyBuilder::tag(TAG_TOPIC).str(s),
            Term::Rating(s) => KeyBuilder::tag(TAG_RATING).str(s),
            Term::Word(s) => KeyBuilder::tag(TAG_WORD).str(s),
            Term::Ever(s) => KeyBuilder::tag(TAG_EVER).u8(s.code()),
            Term::OutletCount(n) => KeyBuilder::tag(TAG_OUTLET_COUNT).u8(*n),
            Term::StatusMonth(s, m) => KeyBuilder::tag(TAG_STATUS_MONTH).u8(s.code()).i32(*m),
        }
        .build()
    }

    /// The key of this term's block that starts at `first_id`.
    pub fn block_key(&self, first_id: u64) -> Vec<u8> {
        let mut key = self.prefix();
        key.extend_from_slice(&first_id.to_be_bytes());
        key
    }

    /// Whether this term's blocks keep the positions of each occurrence
    /// (the words of the text, for phrases).
    pub fn is_positional(&self) -> bool {
        matches!(self, Term::Word(_))
    }

    /// Parses a block key back into its term and first id.
    pub fn parse_block_key(key: &[u8]) -> Result<(Term, u64)> {
        let mut r = KeyReader::new(key);
        let corrupt = || errcorrupt!("index key {key:?} is not a posting key");
        let term = match r.u8()? {
            TAG_DATE => Term::Date(r.i32()?),
            TAG_SOURCE => Term::Source(r.u64()?),
            TAG_KIND => {
                let kind = Kind::from_code(r.u8()?).ok_or_else(corrupt)?;
                let anonymous = match r.u8()? {
                    0 => false,
                    1 => true,
                    _ => return Err(corrupt()),
                };
                Term::Kind(kind, anonymous)
            }
            TAG_AFFILIATION => Term::Affiliation(r.str()?),
            TAG_STATUS => Term::Status(Status::from_code(r.u8()?).ok_or_else(corrupt)?),
            TAG_OUTLET => Term::Outlet(r.str()?),
            TAG_TOPIC => Term::Topic(r.str()?),
            TAG_RATING => Term::Rating(r.str()?),
            TAG_WORD => Term::Word(r.str()?),
            TAG_EVER => Term::Ever(Status::from_code(r.u8()?).ok_or_else(corrupt)?),
            TAG_OUTLET_COUNT => Term::OutletCount(r.u8()?),
            TAG_STATUS_MONTH => Term::StatusMonth(Status::from_code(r.u8()?).ok_or_else(corrupt)?, r.i32()?),
            _ => return Err(corrupt()),
        };
        let first = r.u64()?;
        r.finish()?;
        Ok((term, first))
    }

    /// The prefix of every word term starting with `stem` (for `negotiat*`).
    pub fn word_stem_prefix(stem: &str) -> Vec<u8> {
        KeyBuilder::tag(TAG_WORD).str_prefix(stem).build()
    }

    /// The key prefix of all date terms.
    pub fn date_tag() -> Vec<u8> {
        vec![TAG_DATE]
    }

    /// The key prefix of all status terms.
    pub fn status_tag() -> Vec<u8> {
        vec![TAG_STATUS]
    }
}

// ---------------------------------------------------------------------------
// Source identities and relations.

/// The identity key of a source. It starts with the lower-cased name so
/// that all sources of one name can be found by prefix.
pub fn identity_key(source: &Source) -> Vec<u8> {
    KeyBuilder::default()
        .str(&source.name.to_lowercase())
        .u8(source.kind.code())
        .u8(u8::from(source.anonymous))
        .str(&source.affiliation.as_deref().unwrap_or("").to_lowercase())
        .build()
}

/// The prefix of the identity keys of every source named `name_lower`.
pub fn identity_name_prefix(name_lower: &str) -> Vec<u8> {
    KeyBuilder::default().str(name_lower).build()
}

/// Which way a relation entry reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Keyed by the claim the relation starts at.
    From = 0,
    /// Keyed by the claim the relation points to.
    To = 1,
}

/// The two entries of relation `from relation to`: keyed from `from`, and
/// keyed from `to`.
pub fn relation_keys(from: u64, relation: Relation, to: u64) -> (Vec<u8>, Vec<u8>) {
    (
        KeyBuilder::tag(Direction::From as u8).u64(from).u8(relation.code()).u64(to).build(),
        KeyBuilder::tag(Direction::To as u8).u64(to).u8(relation.code()).u64(from).build(),
    )
}

/// The prefix of the relation entries of `claim` read `direction`.
pub fn relation_prefix(direction: Direction, claim: u64) -> Vec<u8> {
    KeyBuilder::tag(direction as u8).u64(claim).build()
}

/// A relation entry's key: (direction, claim, relation, other claim).
pub fn parse_relation_key(key: &[u8]) -> Result<(Direction, u64, Relation, u64)> {
    let mut r = KeyReader::new(key);
    let direction = match r.u8()? {
        0 => Direction::From,
        1 => Direction::To,
        d => return Err(errcorrupt!("relation key has unknown direction {d}")),
    };
    let claim = r.u64()?;
    let relation = Relation::from_code(r.u8()?).ok_or_else(|| errcorrupt!("unknown relation code in {key:?}"))?;
    let other = r.u64()?;
    r.finish()?;
    Ok((direction, claim, relation, other))
}

// ---------------------------------------------------------------------------
// The undo journal.

/// The undo key of `key` in the tree with `tree_code`.
pub fn undo_key(tree_code: u8, key: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(key.len() + 1);
    out.push(tree_code);
    out.extend_from_slice(key);
    out
}

/// Splits an undo key into the tree code and the key.
pub fn parse_undo_key(key: &[u8]) -> Result<(u8, &[u8])> {
    key.split_first().map(|(t, k)| (*t, k)).ok_or_else(|| errcorrupt!("an undo key is empty"))
}

/// The undo value saving `old` (`None`: the key did not exist).
pub fn undo_value(old: Option<&[u8]>) -> Vec<u8> {
    match old {
        None => vec![0],
        Some(v) => {
            let mut out = Vec::with_capacity(v.len() + 1);
            out.push(1);
            out.extend_from_slice(v);
            out
        }
    }
}

/// The old value an undo value saved.
pub fn parse_undo_value(bytes: &[u8]) -> Result<Option<&[u8]>> {
    match bytes.split_first() {
        Some((0, [])) => Ok(None),
        Some((1, old)) => Ok(Some(old)),
        _ => Err(errcorrupt!("an undo entry is damaged")),
    }
}

// ---------------------------------------------------------------------------
// Format version 1, read by the upgrade only.

/// The shapes of format version 1: one sled key per record.
pub mod v1 {
    use crate::errcorrupt;
    use crate::error::Result;
    use crate::model::Relation;
    use crate::storage::keycode::KeyReader;

    // The trees of a version-1 database besides these and `meta`:
    // "source_keys" (identity → id), "postings" (blocks with a format byte)
    // and "links_back"; the upgrade rebuilds them instead of reading them.
    /// The claims tree: claim id u64 BE → codec value (format byte 1) of a
    /// `StoredClaim`.
    pub const CLAIMS: &str = "claims";
    /// The sources tree: source id u64 BE → codec value of a `StoredSource`.
    pub const SOURCES: &str = "sources";
    /// Relations: from u64 BE, relation u8, to u64 BE → "".
    pub const LINKS: &str = "links";
    /// Meta key: the import journal, a codec value of `Vec<(u64, u64)>`
    /// ranges of claim ids an unfinished import wrote.
    pub const META_JOURNAL: &[u8] = b"import_journal";

    /// An id key (claims, sources).
    pub fn parse_id(key: &[u8]) -> Result<u64> {
        let mut r = KeyReader::new(key);
        let id = r.u64()?;
        r.finish()?;
        Ok(id)
    }

    /// A relation key: (from, relation, to).
    pub fn parse_link(key: &[u8]) -> Result<(u64, Relation, u64)> {
        let mut r = KeyReader::new(key);
        let from = r.u64()?;
        let relation = Relation::from_code(r.u8()?).ok_or_else(|| errcorrupt!("unknown relation code"))?;
        let to = r.u64()?;
        r.finish()?;
        Ok((from, relation, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn id_pages_round_trip_and_reject_damage() {
        let page = encode_id_page(&[(0, b"abc"), (3, b"de"), (15, b"f")]);
        let view = IdPage::parse(&page, 16, "page").unwrap();
        assert_eq!(view.get(3), Some(&b"de"[..]));
        assert_eq!(view.get(1), None);
        assert_eq!(view.records().map(|(s, _)| s).collect::<Vec<_>>(), vec![0, 3, 15]);
        assert!(IdPage::parse(&page, 8, "page").is_err(), "slot 15 does not fit 8 a page");
        assert!(IdPage::parse(&page[..page.len() - 1], 16, "page").is_err());
        let mut trailing = page.clone();
        trailing.push(0);
        assert!(IdPage::parse(&trailing, 16, "page").is_err());
        let mut unordered = page.clone();
        unordered[2 + 5] = 0;
        assert!(IdPage::parse(&unordered, 16, "page").is_err());
        assert!(IdPage::parse(&[PAGE_FORMAT, 0], 16, "page").is_err());
    }

    #[test]
    fn packed_pages_share_prefixes_and_reject_damage() {
        let entries: Vec<(Vec<u8>, Vec<u8>)> =
            vec![(b"Wqatar".to_vec(), b"1".to_vec()), (b"Wqatari".to_vec(), vec![]), (b"X".to_vec(), b"22".to_vec())];
        let page = encode_packed(&entries);
        let expected: usize = 1 + entries
            .iter()
            .scan(Vec::new(), |prev, (k, v)| {
                let n = packed_entry_len(prev, k, v);
                *prev = k.clone();
                Some(n)
            })
            .sum::<usize>();
        assert_eq!(page.len(), expected);
        let decoded = decode_packed(&page, "page").unwrap();
        let back: Vec<(Vec<u8>, Vec<u8>)> = decoded.into_iter().map(|(k, r)| (k, page[r].to_vec())).collect();
        assert_eq!(back, entries);
        assert!(decode_packed(&page[..page.len() - 1], "page").is_err());
        assert!(decode_packed(&[PAGE_FORMAT], "page").is_err());
        let swapped = [PAGE_FORMAT, 0, 1, b'b', 0, 0, 1, b'a', 0];
        assert!(decode_packed(&swapped, "page").is_err());
    }

    #[test]
    fn blocks_with_and_without_positions() {
        let mut list = PostingList::new(true);
        list.push(3, &[0, 4]);
        list.push(900, &[2]);
        let block = encode_block(&list, 0..2);
        assert_eq!(block_count(&block).unwrap(), 2);
        let mut back = PostingList::new(true);
        decode_block(&block, &mut back).unwrap();
        assert_eq!(back, list);
        let mut ids = Vec::new();
        decode_block_ids(&block, &mut ids).unwrap();
        assert_eq!(ids, vec![3, 900]);
        let expected: usize =
            1 + 1 + block_entry_len(None, 3, Some(&[0, 4])) + block_entry_len(Some(3), 900, Some(&[2]));
        assert_eq!(block.len(), expected);

        let plain = PostingList::from_ids(vec![1, 2, u64::MAX]);
        let block = encode_block(&plain, 0..3);
        let mut back = PostingList::new(false);
        decode_block(&block, &mut back).unwrap();
        assert_eq!(back, plain);
        assert!(decode_block(&block[..block.len() - 1], &mut PostingList::new(false)).is_err());
        assert!(decode_block(&[0, 2, 5, 0], &mut PostingList::new(false)).is_err(), "repeated id");
        assert!(decode_block(&[0, 0], &mut PostingList::new(false)).is_err(), "empty block");
        assert!(decode_block(&[9, 1, 1], &mut PostingList::new(false)).is_err(), "unknown flags");
    }

    #[test]
    fn varint_lengths() {
        for v in [0u64, 1, 127, 128, 16383, 16384, u64::MAX] {
            let mut out = Vec::new();
            push_varint(&mut out, v);
            assert_eq!(out.len(), varint_len(v), "{v}");
            let mut pos = 0;
            assert_eq!(read_varint(&out, &mut pos, "v").unwrap(), v);
        }
    }

    #[test]
    fn relation_and_undo_keys_parse_back() {
        let (fwd, back) = relation_keys(7, Relation::Contradicts, 9);
        assert_eq!(parse_relation_key(&fwd).unwrap(), (Direction::From, 7, Relation::Contradicts, 9));
        assert_eq!(parse_relation_key(&back).unwrap(), (Direction::To, 9, Relation::Contradicts, 7));
        assert!(fwd.starts_with(&relation_prefix(Direction::From, 7)));
        assert_eq!(parse_undo_value(&undo_value(Some(b"x"))).unwrap(), Some(&b"x"[..]));
        assert_eq!(parse_undo_value(&undo_value(None)).unwrap(), None);
        assert!(parse_undo_value(&[0, 1]).is_err());
        assert_eq!(parse_undo_key(&undo_key(3, b"k")).unwrap(), (3, &b"k"[..]));
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..96)) {
            let _ = IdPage::parse(&bytes, 16, "page").map(|p| p.records().count());
            let _ = decode_packed(&bytes, "page");
            let _ = decode_block(&bytes, &mut PostingList::new(true));
            let _ = decode_block(&bytes, &mut PostingList::new(false));
        }

        #[test]
        fn packed_round_trip(set in proptest::collection::btree_map(proptest::collection::vec(any::<u8>(), 0..12), proptest::collection::vec(any::<u8>(), 0..8), 1..40)) {
            let entries: Vec<(Vec<u8>, Vec<u8>)> = set.into_iter().collect();
            let page = encode_packed(&entries);
            let back: Vec<(Vec<u8>, Vec<u8>)> = decode_packed(&page, "p").unwrap().into_iter().map(|(k, r)| (k, page[r].to_vec())).collect();
            prop_assert_eq!(back, entries);
        }
    }
}
