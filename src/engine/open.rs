//! Opening a database: deciding whether the path may be used at all,
//! creating a new database, upgrading one of the first format, rolling back
//! a unit a crash interrupted, and comparing the database with the witness
//! in its marker.
//!
//! Nothing is written in a directory before it is known to be claimdb's:
//! one with the marker, an empty one, or one holding exactly the files of a
//! database of the first format (which had no marker).

use super::keys::{
    decode_format, encode_u64, META_CLAIM_COUNT, META_FORMAT, META_NEXT_CLAIM, META_NEXT_SOURCE, META_WRITE_SEQ,
};
use super::{upgrade, Db, Engine, FORMAT_VERSION};
use crate::error::{Error, Result};
use crate::storage::marker::{self, Marker, Place, Witness};
use crate::storage::{Store, StoreOptions, Tree, WriteBatch};
use fxhash::FxHashSet;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// What the database looked like when its store was opened.
enum Found {
    /// A new database: the store holds nothing yet.
    New,
    /// An existing database (maybe of an older format).
    Existing,
}

impl Db {
    /// Opens the database at `path` with storage options, creating it if
    /// the path does not exist or is an empty directory.
    pub fn open_with(path: impl AsRef<Path>, options: &StoreOptions) -> Result<Db> {
        let path = path.as_ref();
        let mut notes = Vec::new();
        let (store, marker) = match marker::classify(path)? {
            Place::File => {
                return Err(crate::errio!(
                    "{} is a file, not a claimdb database (a database is a directory)",
                    path.display()
                ))
            }
            Place::Foreign(found) => return Err(Error::NotADatabase { path: path.to_path_buf(), found }),
            Place::Missing | Place::Empty => {
                std::fs::create_dir_all(path).map_err(|e| {
                    Error::io_context(
                        &e,
                        format_args!(
                            "cannot open database {} (it does not exist and cannot be created)",
                            path.display()
                        ),
                    )
                })?;
                let marker = Marker::create(path, &Witness::default())?;
                (Store::open(path, options)?, Some(marker))
            }
            Place::Claimdb => {
                let store = Store::open(path, options)?;
                (store, Some(Marker::open(path)?))
            }
            Place::Unmarked => {
                let store = Store::open(path, options)?;
                let marker = unmarked(&store, path, options, &mut notes)?;
                (store, Some(marker))
            }
        };
        Db::init(store, marker, path.to_path_buf(), options, notes)
    }

    /// Opens an empty database in a temporary directory, removed on drop.
    pub fn temporary() -> Result<Db> {
        Db::init(Store::temporary()?, None, PathBuf::from("(temporary)"), &StoreOptions::default(), Vec::new())
    }

    fn init(
        store: Store,
        marker: Option<Marker>,
        path: PathBuf,
        options: &StoreOptions,
        mut notes: Vec<String>,
    ) -> Result<Db> {
        let witness = match &marker {
            Some(m) => Some(m.read()?),
            None => None,
        };
        let found = match store.get(Tree::Meta, META_FORMAT)? {
            Some(bytes) => {
                let version = decode_format(&bytes)?;
                if version > FORMAT_VERSION {
                    return Err(Error::NewerFormat { path, found: version, supported: FORMAT_VERSION });
                }
                if version < 1 {
                    return Err(crate::errcorrupt!("unknown format version {version}"));
                }
                if version == 1 {
                    notes.push(upgrade::run(&store, &path)?);
                } else {
                    // An upgrade that stopped after switching to the new
                    // format, before the old trees were dropped.
                    for name in store.other_tree_names() {
                        store.drop_legacy(&name)?;
                    }
                }
                Found::Existing
            }
            None if store.walk_all()? == 0 => Found::New,
            None => {
                return Err(Error::NotADatabase { path, found: vec!["storage files without a claimdb format".into()] })
            }
        };
        // A store that holds nothing, under a marker that witnessed writes,
        // has lost them: `lost` below refuses it (or, accepting the loss,
        // sets it up past the witnessed ids).
        let witnessed = witness.is_some_and(|w| w != Witness::default());
        if let (Found::New, false) = (found, witnessed) {
            let mut batch = WriteBatch::new();
            batch.put(Tree::Meta, META_FORMAT.to_vec(), FORMAT_VERSION.to_be_bytes().to_vec());
            for key in [META_NEXT_CLAIM, META_NEXT_SOURCE] {
                batch.put(Tree::Meta, key.to_vec(), encode_u64(1));
            }
            batch.put(Tree::Meta, META_CLAIM_COUNT.to_vec(), encode_u64(0));
            batch.put(Tree::Meta, META_WRITE_SEQ.to_vec(), encode_u64(0));
            store.write(&batch)?;
            store.flush()?;
        }
        if let Some(w) = &witness {
            lost(&store, &path, w, options, &mut notes)?;
        }
        let engine = Engine {
            store,
            gate: RwLock::new(()),
            unit_owner: Mutex::new(None),
            unit: Mutex::new(None),
            source_cache: RwLock::new(HashMap::new()),
            clock: RwLock::new(None),
            linked: RwLock::new(FxHashSet::default()),
            marker,
            notes,
        };
        let rolled_back = engine.recover_unit()?;
        // The files may be a write ahead of the witness (a crash between
        // the two), never behind: bring the witness up to date.
        let seq = engine.meta_u64(META_WRITE_SEQ)?;
        if let Some(w) = witness {
            if engine.current_witness(seq)? != w {
                engine.witness(seq)?;
            }
        }
        engine.load_linked()?;
        let mut engine = engine;
        if rolled_back {
            engine
                .notes
                .push("an import or atomic unit that a crash interrupted was rolled back: none of it was kept".into());
        }
        Ok(Db { engine: Arc::new(engine) })
    }
}

impl Engine {
    /// The witness the database's counters make now.
    fn current_witness(&self, seq: u64) -> Result<Witness> {
        Ok(Witness { seq, next_claim: self.meta_u64(META_NEXT_CLAIM)?, next_source: self.meta_u64(META_NEXT_SOURCE)? })
    }
}

fn counter(store: &Store, key: &[u8]) -> Result<u64> {
    match store.get(Tree::Meta, key)? {
        Some(b) => super::keys::decode_u64(&b, "a counter"),
        None => Ok(0),
    }
}

/// Compares the store with the witness: refuses a store that is behind it,
/// or (with `accept_lost_writes`) moves its counters past every id the
/// witness says was given out, so that no id is given out twice.
fn lost(store: &Store, path: &Path, w: &Witness, options: &StoreOptions, notes: &mut Vec<String>) -> Result<()> {
    let seq = counter(store, META_WRITE_SEQ)?;
    let next_claim = counter(store, META_NEXT_CLAIM)?;
    let next_source = counter(store, META_NEXT_SOURCE)?;
    if seq >= w.seq && next_claim >= w.next_claim && next_source >= w.next_source {
        return Ok(());
    }
    let missing = w.seq.saturating_sub(seq).max(1);
    if !options.accept_lost_writes {
        return Err(Error::LostWrites {
            path: path.to_path_buf(),
            missing,
            next_claim: w.next_claim,
            found_next_claim: next_claim,
        });
    }
    let mut batch = WriteBatch::new();
    if store.get(Tree::Meta, META_FORMAT)?.is_none() {
        batch.put(Tree::Meta, META_FORMAT.to_vec(), FORMAT_VERSION.to_be_bytes().to_vec());
        batch.put(Tree::Meta, META_CLAIM_COUNT.to_vec(), encode_u64(0));
    }
    batch.put(Tree::Meta, META_NEXT_CLAIM.to_vec(), encode_u64(next_claim.max(w.next_claim).max(1)));
    batch.put(Tree::Meta, META_NEXT_SOURCE.to_vec(), encode_u64(next_source.max(w.next_source).max(1)));
    batch.put(Tree::Meta, META_WRITE_SEQ.to_vec(), encode_u64(seq.max(w.seq)));
    store.write(&batch)?;
    store.flush()?;
    notes.push(format!(
        "opened with {missing} acknowledged write(s) missing, as asked (CLAIMDB_ACCEPT_LOST_WRITES): what was lost \
         stays lost; new claims get ids from #{} on. Make a backup now (.backup FILE)",
        next_claim.max(w.next_claim).max(1)
    ));
    Ok(())
}

/// A directory holding sled's files and no marker: a database of the first
/// format (upgraded by `init`), or a database whose marker was removed.
fn unmarked(store: &Store, path: &Path, options: &StoreOptions, notes: &mut Vec<String>) -> Result<Marker> {
    let format = match store.get(Tree::Meta, META_FORMAT)? {
        Some(bytes) => Some(decode_format(&bytes)?),
        None => None,
    };
    match format {
        // Format 1 had no marker; the upgrade starts from a marker that has
        // witnessed nothing yet.
        Some(1) => Marker::create(path, &Witness::default()),
        None if store.walk_all()? == 0 => Marker::create(path, &Witness::default()),
        None => Err(Error::NotADatabase {
            path: path.to_path_buf(),
            found: vec!["storage files without a claimdb format".into()],
        }),
        Some(v) if v > FORMAT_VERSION => {
            Err(Error::NewerFormat { path: path.to_path_buf(), found: v, supported: FORMAT_VERSION })
        }
        Some(_) if options.accept_lost_writes => {
            let seq = counter(store, META_WRITE_SEQ)?;
            let w = Witness {
                seq,
                next_claim: counter(store, META_NEXT_CLAIM)?,
                next_source: counter(store, META_NEXT_SOURCE)?,
            };
            notes.push(format!(
                "the marker file {} was missing and has been made again from the database's own counters; \
                 writes lost before now cannot be detected",
                marker::MARKER_FILE
            ));
            Marker::create(path, &w)
        }
        Some(_) => Err(Error::Corrupt(format!(
            "{} has lost its marker file {}, so claimdb cannot tell whether acknowledged writes were lost; put the \
             file back if it was moved, or open the database once with CLAIMDB_ACCEPT_LOST_WRITES=1 to make a new \
             one (then make a backup)",
            path.display(),
            marker::MARKER_FILE
        ))),
    }
}
