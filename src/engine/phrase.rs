//! Phrases from the index: the claims whose text has given words in a row,
//! found from the positions the text-word index keeps, without loading a
//! claim.
//!
//! The rarest word gives the candidates and where the phrase would start
//! in each; every other word keeps the candidates that have it at the right
//! distance from a start. Only the blocks of the commoner words that can
//! hold a remaining candidate are decoded. A prefix word (`negotiat*`)
//! stands for every word starting with it, its positions merged.

use super::keys::decode_block;
use super::postings::PostingList;
use super::terms::Term;
use super::Engine;
use crate::error::Result;

// Called by the planner's phrase lookups (`query::planner`).
#[allow(dead_code)]
impl Engine {
    /// The ids (sorted) of claims whose text has these words in a row; a
    /// word with `true` matches every word starting with it (`negotiat*`).
    /// Exact, from the index alone: no claim is loaded.
    pub(crate) fn phrase_postings(&self, words: &[(String, bool)]) -> Result<Vec<u64>> {
        match words {
            [] => Ok(Vec::new()),
            [(word, false)] => self.postings(&Term::Word(word.clone())),
            [(stem, true)] => self.postings_under(&Term::word_stem_prefix(stem)),
            _ => self.phrase_positions(words),
        }
    }

    /// An upper bound on `phrase_postings(words).len()`, from block headers only.
    pub(crate) fn phrase_estimate(&self, words: &[(String, bool)]) -> Result<u64> {
        let mut least: Option<u64> = None;
        for word in words {
            let n = self.word_count(word)?;
            least = Some(least.map_or(n, |l| l.min(n)));
        }
        Ok(least.unwrap_or(0))
    }

    /// How many claims have the word (for a prefix word: the sum over every
    /// word it stands for, an upper bound on the claims that have one).
    fn word_count(&self, (word, prefix): &(String, bool)) -> Result<u64> {
        if *prefix {
            self.count_under(&Term::word_stem_prefix(word))
        } else {
            self.count_term(&Term::Word(word.clone()))
        }
    }

    fn phrase_positions(&self, words: &[(String, bool)]) -> Result<Vec<u64>> {
        let mut order: Vec<(u64, usize)> =
            words.iter().enumerate().map(|(i, w)| Ok((self.word_count(w)?, i))).collect::<Result<_>>()?;
        order.sort_unstable();
        // Candidates: claim ids, each with the positions where the phrase
        // may start (positions of the rarest word, less its offset).
        let (_, first) = order[0];
        let mut starts = PostingList::new(true);
        let mut buf = Vec::new();
        let mut add_starts = |list: &PostingList, starts: &mut PostingList| {
            for i in 0..list.len() {
                buf.clear();
                buf.extend(list.positions_of(i).iter().filter_map(|p| p.checked_sub(first as u32)));
                if !buf.is_empty() {
                    starts.push(list.ids[i], &buf);
                }
            }
        };
        match &words[first] {
            // Block by block, through one reused buffer.
            (word, false) => {
                let mut block = PostingList::new(true);
                for entry in self.blocks_under(&Term::Word(word.clone()).prefix())? {
                    let entry = entry?;
                    block.ids.clear();
                    block.ends.clear();
                    block.positions.clear();
                    decode_block(entry.value(), &mut block)?;
                    add_starts(&block, &mut starts);
                }
            }
            prefix => add_starts(&self.word_list(prefix, None)?, &mut starts),
        }
        for &(_, at) in &order[1..] {
            if starts.is_empty() {
                break;
            }
            starts = match &words[at] {
                (word, false) => self.keep_word_at_offset(&starts, word, at as u32)?,
                prefix => keep_at_offset(&starts, &self.word_list(prefix, Some(&starts.ids))?, at as u32),
            };
        }
        Ok(starts.ids)
    }

    /// The candidates of `starts` that have `word` at `offset` from one of
    /// their starts: the word's blocks are read one at a time (those that
    /// can hold a candidate), each decoded into one reused buffer, so that
    /// a word in most claims is walked without building its whole list.
    fn keep_word_at_offset(&self, starts: &PostingList, word: &str, offset: u32) -> Result<PostingList> {
        let term = Term::Word(word.to_string());
        let mut out = PostingList::new(true);
        let mut block = PostingList::new(true);
        let mut kept = Vec::new();
        let mut i = 0;
        let mut entries = self.blocks_under(&term.prefix())?.peekable();
        while let Some(entry) = entries.next() {
            let entry = entry?;
            if i >= starts.len() {
                break;
            }
            let next_first = match entries.peek() {
                Some(Ok(next)) => Term::parse_block_key(&next.key).ok().map(|(_, f)| f),
                _ => None,
            };
            // Candidates before this block are not in the word's list.
            let (_, first) = Term::parse_block_key(&entry.key)?;
            while i < starts.len() && starts.ids[i] < first {
                i += 1;
            }
            if i >= starts.len() || next_first.is_some_and(|n| starts.ids[i] >= n) {
                continue;
            }
            block.ids.clear();
            block.ends.clear();
            block.positions.clear();
            decode_block(entry.value(), &mut block)?;
            let mut j = 0;
            while i < starts.len() && j < block.len() {
                match starts.ids[i].cmp(&block.ids[j]) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        let positions = block.positions_of(j);
                        kept.clear();
                        kept.extend(
                            starts.positions_of(i).iter().filter(|&&s| positions.binary_search(&(s + offset)).is_ok()),
                        );
                        if !kept.is_empty() {
                            out.push(starts.ids[i], &kept);
                        }
                        i += 1;
                        j += 1;
                    }
                }
            }
        }
        Ok(out)
    }

    /// The positional list of a word (or of every word a prefix stands for,
    /// merged), decoding only the blocks that may hold one of `only` (all
    /// blocks when `None`).
    fn word_list(&self, (word, prefix): &(String, bool), only: Option<&[u64]>) -> Result<PostingList> {
        let key_prefix = if *prefix { Term::word_stem_prefix(word) } else { Term::Word(word.clone()).prefix() };
        // Collected per word term; a prefix merges several.
        let mut per_term: Vec<PostingList> = Vec::new();
        let mut current: Option<Vec<u8>> = None;
        let mut entries = self.blocks_under(&key_prefix)?.peekable();
        while let Some(entry) = entries.next() {
            let entry = entry?;
            let (term, first) = Term::parse_block_key(&entry.key)?;
            let term_key = term.prefix();
            if current.as_ref() != Some(&term_key) {
                per_term.push(PostingList::new(true));
                current = Some(term_key.clone());
            }
            if let Some(only) = only {
                // This block holds ids from `first` up to the next block's
                // first id (of the same term), if there is one.
                let next_first = match entries.peek() {
                    Some(Ok(next)) if next.key.starts_with(&term_key) => {
                        Term::parse_block_key(&next.key).ok().map(|(_, f)| f)
                    }
                    _ => None,
                };
                let from = only.partition_point(|&id| id < first);
                let wanted = from < only.len() && next_first.is_none_or(|n| only[from] < n);
                if !wanted {
                    continue;
                }
            }
            decode_block(entry.value(), per_term.last_mut().expect("pushed above"))?;
        }
        Ok(match per_term.len() {
            0 => PostingList::new(true),
            1 => per_term.pop().expect("one list"),
            _ => merge_words(&per_term),
        })
    }
}

/// The candidates of `starts` that have the word of `list` at `offset`
/// from one of their starts, with only those starts kept.
fn keep_at_offset(starts: &PostingList, list: &PostingList, offset: u32) -> PostingList {
    let mut out = PostingList::new(true);
    let (mut i, mut j) = (0, 0);
    let mut kept = Vec::new();
    while i < starts.len() && j < list.len() {
        match starts.ids[i].cmp(&list.ids[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let positions = list.positions_of(j);
                kept.clear();
                kept.extend(starts.positions_of(i).iter().filter(|&&s| positions.binary_search(&(s + offset)).is_ok()));
                if !kept.is_empty() {
                    out.push(starts.ids[i], &kept);
                }
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// The union of several words' positional lists: each id once, with the
/// positions of all the words merged in order.
fn merge_words(lists: &[PostingList]) -> PostingList {
    let mut all: Vec<(u64, u32)> = Vec::new();
    for list in lists {
        for i in 0..list.len() {
            all.extend(list.positions_of(i).iter().map(|&p| (list.ids[i], p)));
        }
    }
    all.sort_unstable();
    all.dedup();
    let mut out = PostingList::new(true);
    let mut k = 0;
    let mut positions = Vec::new();
    while k < all.len() {
        let id = all[k].0;
        positions.clear();
        while k < all.len() && all[k].0 == id {
            positions.push(all[k].1);
            k += 1;
        }
        out.push(id, &positions);
    }
    out
}

impl super::Db {
    /// The ids of claims whose text has these words in a row, from the
    /// index alone (see `phrase_postings`); for measurements and tests until
    /// the planner asks for phrases this way.
    #[doc(hidden)]
    pub fn phrase_ids(&self, words: &[(String, bool)]) -> Result<Vec<u64>> {
        let _guard = self.read_lock();
        self.engine.phrase_postings(words)
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::terms::words;
    use crate::engine::Db;
    use crate::model::{date::parse_iso, NewClaim, Source};
    use proptest::prelude::*;

    /// What `mentioning` means, checked on the text itself.
    fn mentions(text: &str, phrase: &[(String, bool)]) -> bool {
        let text: Vec<String> = words(text).collect();
        !phrase.is_empty()
            && text.windows(phrase.len()).any(|w| {
                w.iter().zip(phrase).all(|(t, (p, prefix))| if *prefix { t.starts_with(p.as_str()) } else { t == p })
            })
    }

    fn phrase(s: &str) -> Vec<(String, bool)> {
        s.split_whitespace().map(|w| (w.trim_end_matches('*').to_string(), w.ends_with('*'))).collect()
    }

    #[test]
    fn phrases_of_any_length_and_prefix_words() {
        let db = Db::temporary().unwrap();
        let day = parse_iso("2024-11-09").unwrap();
        let texts = [
            "The Hamas political office no longer serves its purpose",
            "Qatar said the office political is closed",
            "Negotiations in Doha; the political office in Doha stays",
            "political political office office",
            "office",
        ];
        for t in texts {
            db.insert(NewClaim::new(t, Source::new("s"), day)).unwrap();
        }
        let cases = [
            ("political office", vec![1, 3, 4]),
            ("office political", vec![2]),
            ("the political office in doha", vec![3]),
            ("political office no longer serves its purpose", vec![1]),
            ("negotiat* in doha", vec![3]),
            ("pol* off*", vec![1, 3, 4]),
            ("office office", vec![4]),
            ("doha stays", vec![3]),
            ("stays doha", vec![]),
            ("nothing here", vec![]),
            ("office", vec![1, 2, 3, 4, 5]),
            ("of*", vec![1, 2, 3, 4, 5]),
        ];
        for (p, want) in cases {
            let got = db.engine.phrase_postings(&phrase(p)).unwrap();
            assert_eq!(got, want, "{p}");
            assert!(db.engine.phrase_estimate(&phrase(p)).unwrap() >= want.len() as u64, "{p}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn the_index_agrees_with_the_texts(
            texts in proptest::collection::vec(proptest::collection::vec(0usize..6, 1..12), 1..30),
            query in proptest::collection::vec((0usize..6, any::<bool>()), 1..4),
        ) {
            const WORDS: [&str; 6] = ["a", "ab", "abc", "b", "ba", "c"];
            let db = Db::temporary().unwrap();
            let day = parse_iso("2024-11-09").unwrap();
            let texts: Vec<String> = texts.iter().map(|t| t.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" ")).collect();
            for t in &texts {
                db.insert(NewClaim::new(t.as_str(), Source::new("s"), day)).unwrap();
            }
            let phrase: Vec<(String, bool)> = query.iter().map(|&(w, p)| (WORDS[w].to_string(), p)).collect();
            let want: Vec<u64> = texts.iter().enumerate().filter(|(_, t)| mentions(t, &phrase)).map(|(i, _)| i as u64 + 1).collect();
            prop_assert_eq!(db.engine.phrase_postings(&phrase).unwrap(), want);
        }
    }
}
