//! Phrase lookups: the claims whose text has some words in a row.
//!
//! This version is a stand-in with the final signatures and exact results:
//! it intersects the words' posting lists and then reads each candidate's
//! text to check that the words are adjacent. The stored layout with word
//! positions answers the same from the index alone and replaces it.

use super::postings;
use super::terms::{words, Term};
use super::Engine;
use crate::error::Result;

impl Engine {
    /// The ids (sorted) of claims whose text has these words in a row; a
    /// word with `true` matches every word starting with it (`negotiat*`).
    pub(crate) fn phrase_postings(&self, phrase: &[(String, bool)]) -> Result<Vec<u64>> {
        if phrase.is_empty() {
            return Ok(Vec::new());
        }
        let mut lists = Vec::with_capacity(phrase.len());
        for (word, prefix) in phrase {
            lists.push(if *prefix {
                self.postings_under(&Term::word_stem_prefix(word))?
            } else {
                self.postings(&Term::Word(word.clone()))?
            });
        }
        lists.sort_by_key(Vec::len);
        let mut candidates = lists[0].clone();
        for list in &lists[1..] {
            if candidates.is_empty() {
                break;
            }
            candidates = postings::intersect(&candidates, list);
        }
        if phrase.len() == 1 {
            return Ok(candidates);
        }
        let mut out = Vec::with_capacity(candidates.len());
        for id in candidates {
            if let Some(stored) = self.stored_claim(id)? {
                if in_a_row(&stored.text, phrase) {
                    out.push(id);
                }
            }
        }
        Ok(out)
    }

    /// An upper bound on `phrase_postings(phrase).len()`, from block
    /// headers only: the smallest word's count.
    pub(crate) fn phrase_estimate(&self, phrase: &[(String, bool)]) -> Result<u64> {
        let mut least = u64::MAX;
        for (word, prefix) in phrase {
            let n = if *prefix {
                self.count_under(&Term::word_stem_prefix(word))?
            } else {
                self.count_term(&Term::Word(word.clone()))?
            };
            least = least.min(n);
        }
        Ok(if phrase.is_empty() { 0 } else { least })
    }
}

/// Whether the phrase's words appear consecutively among the text's words.
fn in_a_row(text: &str, phrase: &[(String, bool)]) -> bool {
    let text_words: Vec<String> = words(text).collect();
    text_words.len() >= phrase.len()
        && text_words.windows(phrase.len()).any(|window| {
            window.iter().zip(phrase).all(|(w, (p, prefix))| if *prefix { w.starts_with(p.as_str()) } else { w == p })
        })
}
