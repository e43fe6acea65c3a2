//! claimdb against SQLite, on the same synthetic data and the same
//! questions, in one run. So far: the corpus generator only.
//!
//! ```text
//! cargo bench --bench vs_sqlite -- --n 10000
//! ```

#[path = "vs_sqlite/corpus.rs"]
mod corpus;
#[path = "vs_sqlite/rng.rs"]
mod rng;

use std::path::Path;

fn main() {
    let mut n = 1_000_000;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--n" {
            n = args.next().and_then(|v| v.parse().ok()).expect("--n N");
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench-data");
    let (corpus, _) = corpus::ensure(&dir, n, 42).expect("corpus");
    println!("{}", corpus.path.display());
    println!("{}", serde_json::to_string_pretty(&corpus.params).unwrap());
}
