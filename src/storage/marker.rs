//! claimdb's own file in a database directory, `claimdb.marker`.
//!
//! It does two jobs that sled's files cannot do for themselves:
//!
//! - **It marks the directory as a claimdb database.** A directory without
//!   it is refused (nothing is written in it) unless it is empty, or holds
//!   exactly the files of a database made by claimdb's first format, which
//!   had no marker (see [`classify`]).
//! - **It witnesses acknowledged writes.** sled treats everything after a
//!   damaged byte of its log as a torn write and opens without it, so a
//!   flipped byte or a truncated file silently loses every later write. The
//!   marker holds the number of acknowledged writes and the next ids, fsynced
//!   after every write and before the write is reported done; at open the
//!   database's own counters are compared with it, and a database that is
//!   behind its witness is refused instead of handing out lost ids again.
//!
//! ```text
//! offset  size  content
//! 0       512   a line of text saying what the file is, then zeros
//! 512     64    slot 0 ┐ magic "CLDBWIT1", write sequence u64 LE,
//! 1024    64    slot 1 ┘ next claim id u64 LE, next source id u64 LE,
//!                        zeros, FNV-1a 64 of the first 56 bytes (u64 LE)
//! ```
//!
//! A write sequence `s` goes to slot `s % 2`, so a write torn by a crash can
//! damage only the slot being written; the other still holds the previous,
//! acknowledged state. Reading takes the valid slot with the higher
//! sequence.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The marker's file name in the database directory.
pub const MARKER_FILE: &str = "claimdb.marker";

const HEADER: &[u8] = b"claimdb database: this file marks the directory as a claimdb database and records its last \
acknowledged write. Do not edit, move or delete it.\n";
const SLOT_OFFSETS: [u64; 2] = [512, 1024];
const SLOT_LEN: usize = 64;
const FILE_LEN: usize = 1024 + SLOT_LEN;
const MAGIC: &[u8; 8] = b"CLDBWIT1";

/// What the database had acknowledged at its last write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Witness {
    /// Acknowledged writes so far.
    pub seq: u64,
    /// The next claim id to give out.
    pub next_claim: u64,
    /// The next source id to give out.
    pub next_source: u64,
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The 64 bytes of a slot holding `w`.
pub fn encode_slot(w: &Witness) -> [u8; SLOT_LEN] {
    let mut out = [0u8; SLOT_LEN];
    out[..8].copy_from_slice(MAGIC);
    out[8..16].copy_from_slice(&w.seq.to_le_bytes());
    out[16..24].copy_from_slice(&w.next_claim.to_le_bytes());
    out[24..32].copy_from_slice(&w.next_source.to_le_bytes());
    let sum = fnv1a(&out[..56]);
    out[56..].copy_from_slice(&sum.to_le_bytes());
    out
}

/// The witness in a slot, or `None` when the slot is not valid (never
/// written, torn, damaged).
pub fn decode_slot(bytes: &[u8]) -> Option<Witness> {
    if bytes.len() != SLOT_LEN || &bytes[..8] != MAGIC {
        return None;
    }
    let u = |r: std::ops::Range<usize>| u64::from_le_bytes(bytes[r].try_into().expect("8 bytes"));
    if u(56..64) != fnv1a(&bytes[..56]) {
        return None;
    }
    Some(Witness { seq: u(8..16), next_claim: u(16..24), next_source: u(24..32) })
}

/// The open marker file of a database.
pub struct Marker {
    file: Mutex<File>,
    path: PathBuf,
}

impl Marker {
    /// Creates the marker of a new database in `dir`, holding `w`, durably
    /// (the file and its directory entry are synced). Fails if one exists.
    pub fn create(dir: &Path, w: &Witness) -> Result<Marker> {
        let path = dir.join(MARKER_FILE);
        let io = |e: std::io::Error| Error::io_context(&e, format_args!("cannot create {}", path.display()));
        let file = OpenOptions::new().read(true).write(true).create_new(true).open(&path).map_err(io)?;
        let mut bytes = vec![0u8; FILE_LEN];
        bytes[..HEADER.len()].copy_from_slice(HEADER);
        let slot = encode_slot(w);
        let at = SLOT_OFFSETS[(w.seq % 2) as usize] as usize;
        bytes[at..at + SLOT_LEN].copy_from_slice(&slot);
        file.write_all_at(&bytes, 0).map_err(io)?;
        file.sync_all().map_err(io)?;
        File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
        Ok(Marker { file: Mutex::new(file), path })
    }

    /// Opens the marker in `dir`.
    pub fn open(dir: &Path) -> Result<Marker> {
        let path = dir.join(MARKER_FILE);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io_context(&e, format_args!("cannot open {}", path.display())))?;
        Ok(Marker { file: Mutex::new(file), path })
    }

    /// The last witness written, from the valid slot with the higher
    /// sequence. A marker with no valid slot is damage.
    pub fn read(&self) -> Result<Witness> {
        let file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let mut best: Option<Witness> = None;
        for at in SLOT_OFFSETS {
            let mut buf = [0u8; SLOT_LEN];
            let n = read_at_most(&file, &mut buf, at)
                .map_err(|e| Error::io_context(&e, format_args!("cannot read {}", self.path.display())))?;
            if let Some(w) = decode_slot(&buf[..n]) {
                if best.is_none_or(|b| w.seq > b.seq) {
                    best = Some(w);
                }
            }
        }
        best.ok_or_else(|| {
            Error::Corrupt(format!(
                "its marker file {} is damaged, so claimdb cannot tell whether acknowledged writes were lost; \
                 restore the database from a backup",
                self.path.display()
            ))
        })
    }

    /// Records `w` durably (written to its slot, then synced).
    pub fn record(&self, w: &Witness) -> Result<()> {
        let file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let io = |e: std::io::Error| Error::io_context(&e, format_args!("cannot write {}", self.path.display()));
        file.write_all_at(&encode_slot(w), SLOT_OFFSETS[(w.seq % 2) as usize]).map_err(io)?;
        file.sync_data().map_err(io)
    }

    /// The marker's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn read_at_most(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        match file.read_at(&mut buf[done..], at + done as u64)? {
            0 => break,
            n => done += n,
        }
    }
    Ok(done)
}

/// What a path given as a database is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// Nothing is there: a new database is made.
    Missing,
    /// An empty directory: a new database is made in it.
    Empty,
    /// A claimdb database (it has a marker).
    Claimdb,
    /// A directory holding exactly what a database of claimdb's first
    /// format holds (sled's files and no marker).
    Unmarked,
    /// A file, not a directory.
    File,
    /// A directory with other things in it: not a database. Holds a few of
    /// the names found, for the message.
    Foreign(Vec<String>),
}

/// The names sled keeps in a database directory.
fn is_sled_entry(name: &str) -> bool {
    matches!(name, "conf" | "db" | "blobs") || name.starts_with("snap.")
}

/// Whether `conf` is a settings file written by sled: three known lines and
/// a checksum, nothing else.
fn is_sled_conf(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else { return false };
    if bytes.len() < 8 || bytes.len() > 256 {
        return false;
    }
    let Ok(text) = std::str::from_utf8(&bytes[..bytes.len() - 4]) else { return false };
    let lines: Vec<&str> = text.lines().collect();
    lines.len() == 3
        && lines[0].starts_with("segment_size: ")
        && lines[1].starts_with("use_compression: ")
        && lines[2].starts_with("version: ")
}

/// Looks at `path` without writing anything, to decide whether claimdb may
/// open it as a database.
pub fn classify(path: &Path) -> Result<Place> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Place::Missing),
        Err(e) => return Err(Error::io_context(&e, format_args!("cannot open database {}", path.display()))),
    };
    if !meta.is_dir() {
        return Ok(Place::File);
    }
    let entries = std::fs::read_dir(path)
        .map_err(|e| Error::io_context(&e, format_args!("cannot open database {}", path.display())))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|e| Error::io_context(&e, format_args!("cannot open database {}", path.display())))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    if names.iter().any(|n| n == MARKER_FILE) {
        return Ok(Place::Claimdb);
    }
    if names.is_empty() {
        return Ok(Place::Empty);
    }
    let sled_like = names.iter().all(|n| is_sled_entry(n))
        && names.iter().any(|n| n == "db")
        && path.join("db").is_file()
        && is_sled_conf(&path.join("conf"));
    if sled_like {
        return Ok(Place::Unmarked);
    }
    names.sort();
    names.truncate(5);
    Ok(Place::Foreign(names))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_round_trip_and_damage_is_noticed() {
        let w = Witness { seq: 7, next_claim: 100, next_source: 3 };
        let slot = encode_slot(&w);
        assert_eq!(decode_slot(&slot), Some(w));
        for i in 0..SLOT_LEN {
            let mut bad = slot;
            bad[i] ^= 0x10;
            assert_eq!(decode_slot(&bad), None, "byte {i}");
        }
        assert_eq!(decode_slot(&slot[..10]), None);
    }

    #[test]
    fn the_newest_valid_slot_wins_and_a_torn_one_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let marker = Marker::create(dir.path(), &Witness::default()).unwrap();
        marker.record(&Witness { seq: 1, next_claim: 2, next_source: 2 }).unwrap();
        marker.record(&Witness { seq: 2, next_claim: 3, next_source: 2 }).unwrap();
        assert_eq!(marker.read().unwrap().seq, 2);
        // Tear slot 0 (seq 2): slot 1 (seq 1) is what is left.
        let file = OpenOptions::new().write(true).open(dir.path().join(MARKER_FILE)).unwrap();
        file.write_all_at(&[0xff; 20], SLOT_OFFSETS[0] + 10).unwrap();
        assert_eq!(Marker::open(dir.path()).unwrap().read().unwrap().seq, 1);
        file.write_all_at(&[0xff; 20], SLOT_OFFSETS[1] + 10).unwrap();
        assert!(Marker::open(dir.path()).unwrap().read().is_err());
        assert!(Marker::create(dir.path(), &Witness::default()).is_err(), "never overwritten");
    }

    #[test]
    fn directories_are_classified_without_writing() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(classify(&dir.path().join("new")).unwrap(), Place::Missing);
        assert_eq!(classify(dir.path()).unwrap(), Place::Empty);
        std::fs::write(dir.path().join("db"), b"my own notes").unwrap();
        std::fs::write(dir.path().join("conf"), b"my own settings").unwrap();
        assert_eq!(classify(dir.path()).unwrap(), Place::Foreign(vec!["conf".into(), "db".into()]));
        let mut conf = b"segment_size: 524288\nuse_compression: false\nversion: 0.34\n".to_vec();
        conf.extend_from_slice(&[1, 2, 3, 4]);
        std::fs::write(dir.path().join("conf"), conf).unwrap();
        assert_eq!(classify(dir.path()).unwrap(), Place::Unmarked);
        std::fs::write(dir.path().join("notes.txt"), b"x").unwrap();
        assert!(matches!(classify(dir.path()).unwrap(), Place::Foreign(_)));
        std::fs::write(dir.path().join(MARKER_FILE), b"").unwrap();
        assert_eq!(classify(dir.path()).unwrap(), Place::Claimdb);
        assert_eq!(classify(&dir.path().join("notes.txt")).unwrap(), Place::File);
        assert_eq!(std::fs::read(dir.path().join("db")).unwrap(), b"my own notes");
    }
}
