//! Extraction time of a 1,000-word article.
//!
//! ```text
//! cargo bench --bench extract                 # 300 timed runs
//! cargo bench --bench extract -- --iters 2000
//! ```
//!
//! The article is made of the dev set's articles (tests/data/articles/dev),
//! paragraph by paragraph in name order, up to 1,000 words: real wire copy
//! with quotes, datelines and every attribution pattern. Each run extracts
//! it from its bytes (the UTF-8 and binary checks included) as `extract
//! from` will. Prints the median, mean, fastest and slowest run, and the
//! proposals found, so that a faster run that finds less is noticed.

use claimdb::extract::{extract_bytes, ExtractOptions};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

fn article(words: usize) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/articles/dev");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("the dev set")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    let mut out = String::new();
    let mut count = 0;
    'all: for name in names {
        let text = std::fs::read_to_string(&name).expect("read article");
        for para in text.split("\n\n") {
            let n = para.split_whitespace().count();
            if count + n > words && count > 0 {
                break 'all;
            }
            out.push_str(para.trim());
            out.push_str("\n\n");
            count += n;
        }
    }
    out
}

fn main() {
    let mut iters = 300usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--iters" {
            iters = args.next().and_then(|v| v.parse().ok()).unwrap_or(iters);
        }
    }
    let text = article(1000);
    let words = text.split_whitespace().count();
    let options =
        ExtractOptions { dated: claimdb::model::date::parse_iso("2024-11-09").ok(), via: vec!["Reuters".into()] };
    let mut proposals = 0;
    for _ in 0..10 {
        proposals = extract_bytes("bench", black_box(text.as_bytes()), &options).expect("extract").proposals.len();
    }
    let mut times: Vec<Duration> = Vec::with_capacity(iters);
    for _ in 0..iters {
        let start = Instant::now();
        let x = extract_bytes("bench", black_box(text.as_bytes()), &options).expect("extract");
        times.push(start.elapsed());
        black_box(x);
    }
    times.sort();
    let mean = times.iter().sum::<Duration>() / iters as u32;
    println!(
        "extract: {words} words, {} bytes, {proposals} proposals; {iters} runs: median {:.3} ms, mean {:.3} ms, fastest {:.3} ms, slowest {:.3} ms (target < 5 ms)",
        text.len(),
        times[iters / 2].as_secs_f64() * 1e3,
        mean.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[iters - 1].as_secs_f64() * 1e3,
    );
}
