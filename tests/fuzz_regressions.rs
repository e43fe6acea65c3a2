//! Inputs kept from fuzzing (`fuzz/`), replayed in the ordinary test suite:
//! every file in `tests/fuzz-regressions/parse/` goes through the parser and
//! every file in `tests/fuzz-regressions/decode/` through the decoding of
//! stored values, exactly as the fuzz targets do. None may panic.

use std::path::Path;

fn inputs(kind: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions").join(kind);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("read input")))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn parser_regressions() {
    let cases = inputs("parse");
    assert!(!cases.is_empty(), "no parser regression inputs");
    for (name, bytes) in cases {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            if let Err(e) = claimdb::query::parser::parse(text) {
                let rendered = e.render("fuzz", text, 1);
                assert!(!rendered.is_empty(), "{name}");
            }
        }
    }
}

#[test]
fn decode_regressions() {
    let cases = inputs("decode");
    assert!(!cases.is_empty(), "no decode regression inputs");
    for (_, bytes) in cases {
        claimdb::engine::fuzz_decode(&bytes);
    }
}

/// Writes the stored values and keys of a small database into the decode
/// fuzzer's corpus: `cargo test --test fuzz_regressions -- --ignored`.
#[test]
#[ignore = "writes fuzz/corpus/decode"]
fn seed_the_decode_corpus() {
    use claimdb::storage::{Store, StoreOptions, Tree};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seed.db");
    {
        let db = claimdb::Db::open(&path).unwrap();
        let sample =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/qatar-mediation.cq")).unwrap();
        let body: String = sample.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n");
        for statement in body.split(';').filter(|s| !s.trim().is_empty()) {
            db.execute(statement).unwrap();
        }
        db.execute("set status of claim 3 to disputed on 2024-11-10 because \"denied\"").unwrap();
        db.execute("link claim 6 contradicts claim 7").unwrap();
    }
    let store = Store::open(&path, &StoreOptions::default()).unwrap();
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/decode");
    std::fs::create_dir_all(&out).unwrap();
    let mut n = 0;
    for tree in Tree::ALL {
        for item in store.scan_prefix(tree, &[]) {
            let (key, value) = item.unwrap();
            for bytes in [key.to_vec(), value.to_vec()] {
                std::fs::write(out.join(format!("seed{n}")), bytes).unwrap();
                n += 1;
            }
        }
    }
    eprintln!("wrote {n} seeds");
}
