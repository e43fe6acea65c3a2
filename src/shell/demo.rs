//! `--demo`: a temporary database loaded with the bundled sample claims, so
//! that the examples in the help work on the first try from any directory.

use super::runner::Runner;
use crate::engine::Db;
use std::sync::atomic::AtomicBool;

/// The sample script, built into the binary.
pub const SAMPLE: &str = include_str!("../../examples/qatar-mediation.cq");

/// The name the sample goes by in error messages.
pub const SAMPLE_NAME: &str = "examples/qatar-mediation.cq";

static NEVER: AtomicBool = AtomicBool::new(false);

/// Opens a temporary database and runs the sample script into it. The
/// statements' own results (`added claim #1`…) are not shown; errors are
/// returned as text.
pub fn open(clock: Option<chrono::DateTime<chrono::Utc>>) -> Result<Db, String> {
    let db = Db::temporary().map_err(|e| format!("cannot open a temporary database: {e}"))?;
    db.set_clock(clock);
    let errors = ErrorText::default();
    let mut loader = Runner::new(db.clone(), Box::new(std::io::sink()), Box::new(errors.clone()), &NEVER);
    if loader.run_text(SAMPLE_NAME, SAMPLE) {
        Ok(db)
    } else {
        Err(format!(
            "cannot load the demo data:\n{}",
            errors.0.lock().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
        ))
    }
}

/// Collects the loader's error messages.
#[derive(Clone, Default)]
struct ErrorText(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for ErrorText {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_splits_into_its_statements() {
        let items = super::super::script::split(SAMPLE);
        assert_eq!(
            items.len(),
            27,
            "the article's 7 claims and their evidence, then 3 illustrative claims, 5 status changes, 3 ratings, 2 links"
        );
        assert!(items.iter().all(|i| i.open.is_none()));
        assert!(items[0].text.starts_with("add claim \"Doha is frustrated"));
        assert!(items[0].text.ends_with("\"Gaza ceasefire\""));
    }

    #[test]
    fn the_sample_loads() {
        let db = open(None).unwrap();
        assert_eq!(db.count().unwrap(), 10);
    }

    /// The article's claims in the demo are what the extractor proposes
    /// for the seed article, as reviewed: the same sources, outlets and
    /// date, and the same text but for the review's one correction.
    #[test]
    fn the_demo_holds_the_seed_article_as_extracted_and_reviewed() {
        let bytes = include_bytes!("../../tests/data/articles/dev/qatar-mediation-2024-11-09.txt");
        let x = crate::extract::extract_bytes("seed", bytes, &Default::default()).unwrap();
        let db = open(None).unwrap();
        assert_eq!(x.proposals.len(), 7);
        for (i, p) in x.proposals.iter().enumerate() {
            let claim = db.get(i as u64 + 1).unwrap().unwrap();
            let want = if i == 5 { p.claim.text.replacen("It ", "Qatar ", 1) } else { p.claim.text.clone() };
            assert_eq!(claim.text, want, "claim {}", i + 1);
            assert!(claim.source.same_identity(&p.claim.source), "claim {}: {:?}", i + 1, claim.source);
            assert_eq!(claim.outlets, p.claim.outlets, "claim {}", i + 1);
            assert_eq!(claim.date, p.claim.date);
            assert_eq!(claim.evidence.len(), 1, "claim {}: the article as evidence", i + 1);
        }
    }
}
