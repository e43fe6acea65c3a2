//! Ranking claims by how much their text resembles a given text: BM25 over
//! the word index. One ranking serves `claims like "…"`, `claims similar
//! to claim N`, the matches of `extract from` proposals, the merges of
//! `import article` and the near-duplicate note of `add claim`.
//!
//! # How a text is ranked
//!
//! 1. **Words.** The text is split into index words ([`words`], the same
//!    split the index uses); each distinct word is looked up once. Its
//!    document frequency comes from the posting blocks' headers
//!    ([`Engine::count_term`]), its weight is BM25's idf,
//!    `ln(1 + (N − df + 0.5) / (df + 0.5))`.
//! 2. **Candidates.** The posting list of each word is read, rarest word
//!    first, and every claim in it gains the word's weight. Once the best
//!    [`pool`] claims so far score more than all the words still to read
//!    could give a claim not yet seen, later (common) words only add to
//!    claims already held (MaxScore pruning): `the` at a million claims is
//!    a list of hundreds of thousands, which then costs one binary search
//!    per candidate instead of one entry per claim.
//! 3. **BM25.** The best candidates are loaded and scored with BM25 as
//!    SQLite's FTS5 and Lucene score (k1 = 1.2, b = 0.75): term frequency
//!    and length normalisation come from the claim's own text, the average
//!    length from an even sample of the database (the index keeps no
//!    lengths; an engine that kept a claim's word count would make this
//!    exact and cheaper).
//! 4. **Similarity.** BM25 scores rank but do not compare across texts, so
//!    each result also gets a similarity in 0..1 — the idf-weighted share
//!    of words the two texts have in common (a weighted Dice coefficient:
//!    1 when they have the same words, 0 when they share none). Thresholds
//!    ([`MERGE_SIMILARITY`], [`NEAR_IDENTICAL`], [`MATCH_FLOOR`]) are on
//!    the similarity.

use crate::engine::terms::{words, Term};
use crate::engine::Engine;
use crate::error::Result;
use crate::model::{Claim, ClaimId, Source};
use fxhash::{FxHashMap, FxHashSet};

/// BM25's term-frequency saturation (FTS5's and Lucene's default).
const K1: f64 = 1.2;
/// BM25's length normalisation (FTS5's and Lucene's default).
const B: f64 = 0.75;

/// How many results `claims like` gives without a `limit`.
pub const DEFAULT_LIMIT: u64 = 10;

/// The most results one ranking gives (each is loaded and scored).
pub const MAX_LIMIT: u64 = 10_000;

/// A proposal whose text is at least this similar to a claim by an
/// agreeing source is that claim reported again: `import article` merges
/// it (adds its outlets and the article as evidence) instead of adding a
/// duplicate.
pub const MERGE_SIMILARITY: f64 = 0.6;

/// `add claim` notes an existing claim of the same source whose text is at
/// least this similar: near-identical, most likely the same claim typed
/// twice.
pub const NEAR_IDENTICAL: f64 = 0.9;

/// A proposal lists the claims at least this similar as `matches`.
pub const MATCH_FLOOR: f64 = 0.25;

/// How many matches a proposal lists at most.
pub const MAX_MATCHES: usize = 3;

/// A claim ranked against a text.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    /// The claim's id.
    pub id: ClaimId,
    /// Its BM25 score against the text (higher ranks first).
    pub score: f64,
    /// How similar the two texts are, 0..1 (see the module doc).
    pub similarity: f64,
}

/// A distinct word of the ranked text with its weight.
struct Word {
    word: String,
    df: u64,
    idf: f64,
}

/// How many candidates are scored in full for `limit` results: enough that
/// the length normalisation of BM25 can reorder the best ones.
fn pool(limit: usize) -> usize {
    (limit * 4).max(64)
}

/// BM25's idf for a word in `df` of `n` claims.
fn idf(n: u64, df: u64) -> f64 {
    let (n, df) = (n as f64, df as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The distinct words of `text`, in order of first appearance.
fn distinct_words(text: &str) -> Vec<String> {
    let mut seen = FxHashSet::default();
    words(text).filter(|w| seen.insert(w.clone())).collect()
}

/// Ranks claims against texts, for one statement: the number of claims,
/// the average length and the words' frequencies are read once.
pub struct Ranker<'a> {
    engine: &'a Engine,
    /// The number of claims.
    n: u64,
    /// The average number of words in a claim's text, once measured.
    average: Option<f64>,
    /// Document frequencies looked up so far.
    df: FxHashMap<String, u64>,
}

impl<'a> Ranker<'a> {
    /// A ranker over the claims `engine` holds now.
    pub fn new(engine: &'a Engine) -> Result<Ranker<'a>> {
        Ok(Ranker { engine, n: engine.claim_count()?, average: None, df: FxHashMap::default() })
    }

    /// How many claims hold `word`.
    fn df(&mut self, word: &str) -> Result<u64> {
        if let Some(&df) = self.df.get(word) {
            return Ok(df);
        }
        let df = self.engine.count_term(&Term::Word(word.to_string()))?;
        self.df.insert(word.to_string(), df);
        Ok(df)
    }

    /// Ranks the claims against `text` and returns the best `limit`, best
    /// first (ties by id), leaving out `exclude`. A text without any word
    /// the database knows ranks nothing.
    pub fn rank(&mut self, text: &str, limit: usize, exclude: Option<ClaimId>) -> Result<Vec<Scored>> {
        let limit = limit.min(MAX_LIMIT as usize);
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut query: Vec<Word> = Vec::new();
        for word in distinct_words(text) {
            let df = self.df(&word)?;
            if df > 0 {
                query.push(Word { idf: idf(self.n, df), word, df });
            }
        }
        if query.is_empty() {
            return Ok(Vec::new());
        }
        // Rarest first: they decide the candidates; the common ones only add.
        query.sort_by(|a, b| a.df.cmp(&b.df).then_with(|| a.word.cmp(&b.word)));
        let want = pool(limit) + usize::from(exclude.is_some());
        let average = match self.average {
            Some(a) => a,
            None => *self.average.insert(average_length(self.engine)?),
        };
        let mut scored: Vec<Scored> = Vec::new();
        for id in candidates(self.engine, &query, want)? {
            if Some(id) == exclude {
                continue;
            }
            let Some(record) = self.engine.stored_claim(id)? else { continue };
            let score = bm25(&query, &record.text, average);
            scored.push(Scored { id, score, similarity: 0.0 });
        }
        scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        scored.truncate(limit);
        for s in &mut scored {
            if let Some(record) = self.engine.stored_claim(s.id)? {
                s.similarity = self.similarity(text, &record.text)?;
            }
        }
        Ok(scored)
    }

    /// How similar two texts are: twice the idf weight of the words they
    /// share over the weight of both texts' words (each distinct word once).
    pub fn similarity(&mut self, a: &str, b: &str) -> Result<f64> {
        let a: FxHashSet<String> = distinct_words(a).into_iter().collect();
        let b: FxHashSet<String> = distinct_words(b).into_iter().collect();
        let (mut shared, mut total) = (0.0, 0.0);
        for w in &a {
            let x = self.weight(w)?;
            total += x;
            if b.contains(w) {
                shared += 2.0 * x;
            }
        }
        for w in &b {
            total += self.weight(w)?;
        }
        Ok(if total > 0.0 { (shared / total).clamp(0.0, 1.0) } else { 0.0 })
    }

    /// A word's weight for [`Ranker::similarity`]: its idf, a word no claim
    /// has yet (a new text's own) weighing as the rarest.
    fn weight(&mut self, word: &str) -> Result<f64> {
        let df = self.df(word)?;
        Ok(idf(self.n.max(1), df.max(1)))
    }

    /// Claims of the same source as `source` (same name, case aside) whose
    /// text is near-identical to `text` ([`NEAR_IDENTICAL`]), most similar
    /// first. Only that source's claims are compared (those holding one of
    /// the text's two rarest words, when it has many): a near-identical
    /// text shares its rarest words, which weigh the most.
    pub fn near_duplicates(&mut self, text: &str, source: &Source) -> Result<Vec<(Claim, f64)>> {
        let mut ids: Vec<ClaimId> = Vec::new();
        for s in self.engine.sources_named(&source.name.trim().to_lowercase())? {
            ids.extend(self.engine.postings(&Term::Source(s))?);
        }
        ids.sort_unstable();
        ids.dedup();
        if ids.len() > NARROW_ABOVE {
            let mut rare: Vec<(u64, String)> = Vec::new();
            for w in distinct_words(text) {
                let df = self.df(&w)?;
                if df > 0 {
                    rare.push((df, w));
                }
            }
            rare.sort();
            let mut with_words: Vec<ClaimId> = Vec::new();
            for (_, w) in rare.iter().take(2) {
                with_words.extend(self.engine.postings(&Term::Word(w.clone()))?);
            }
            with_words.sort_unstable();
            with_words.dedup();
            ids.retain(|id| with_words.binary_search(id).is_ok());
        }
        let mut out = Vec::new();
        for id in ids {
            let Some(record) = self.engine.stored_claim(id)? else { continue };
            let similarity = self.similarity(text, &record.text)?;
            if similarity >= NEAR_IDENTICAL {
                if let Some(claim) = self.engine.claim(id)? {
                    out.push((claim, similarity));
                }
            }
        }
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
        Ok(out)
    }
}

/// A source with more claims than this is compared only on the claims that
/// hold the text's rarest words.
const NARROW_ABOVE: usize = 256;

/// The ids of the `want` claims with the most weight of query words (each
/// word counted once), by posting lists, rarest word first, with MaxScore
/// pruning once no unseen claim can reach the pool.
fn candidates(engine: &Engine, query: &[Word], want: usize) -> Result<Vec<ClaimId>> {
    let mut scores: FxHashMap<ClaimId, f64> = FxHashMap::default();
    let mut rest: f64 = query.iter().map(|w| w.idf).sum();
    // Once pruning starts, candidates are kept sorted by id for binary search.
    let mut held: Option<Vec<(ClaimId, f64)>> = None;
    for word in query {
        rest -= word.idf;
        let ids = engine.postings(&Term::Word(word.word.clone()))?;
        match &mut held {
            Some(held) => {
                // Both lists are sorted: walk the candidates, searching the
                // rest of the postings from where the last one was found.
                let mut from = 0;
                for (id, score) in held.iter_mut() {
                    match ids[from..].binary_search(id) {
                        Ok(at) => {
                            *score += word.idf;
                            from += at + 1;
                        }
                        Err(at) => from += at,
                    }
                    if from >= ids.len() {
                        break;
                    }
                }
            }
            None => {
                for id in ids {
                    *scores.entry(id).or_insert(0.0) += word.idf;
                }
                if scores.len() > want && threshold(&scores, want) > rest {
                    let mut list: Vec<(ClaimId, f64)> = std::mem::take(&mut scores).into_iter().collect();
                    let cut = threshold_of(&mut list, want);
                    // Only a claim that can still reach the pool is kept.
                    list.retain(|&(_, s)| s + rest >= cut);
                    list.sort_unstable_by_key(|&(id, _)| id);
                    held = Some(list);
                }
            }
        }
    }
    let mut list: Vec<(ClaimId, f64)> = match held {
        Some(list) => list,
        None => scores.into_iter().collect(),
    };
    list.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    list.truncate(want);
    Ok(list.into_iter().map(|(id, _)| id).collect())
}

/// The `want`-th best score in `scores`.
fn threshold(scores: &FxHashMap<ClaimId, f64>, want: usize) -> f64 {
    let mut values: Vec<f64> = scores.values().copied().collect();
    let (_, nth, _) = values.select_nth_unstable_by(want - 1, |a, b| b.total_cmp(a));
    *nth
}

/// The `want`-th best score of `list` (which it reorders).
fn threshold_of(list: &mut [(ClaimId, f64)], want: usize) -> f64 {
    let (_, nth, _) = list.select_nth_unstable_by(want - 1, |a, b| b.1.total_cmp(&a.1));
    nth.1
}

/// BM25 of `text` for the query words, with the average length `avg`.
fn bm25(query: &[Word], text: &str, avg: f64) -> f64 {
    let mut tf: FxHashMap<String, u32> = FxHashMap::default();
    let mut len = 0u32;
    for w in words(text) {
        len += 1;
        *tf.entry(w).or_insert(0) += 1;
    }
    let norm = K1 * (1.0 - B + B * f64::from(len) / avg.max(1.0));
    query
        .iter()
        .filter_map(|q| tf.get(&q.word).map(|&f| (q.idf, f64::from(f))))
        .map(|(idf, f)| idf * f * (K1 + 1.0) / (f + norm))
        .sum()
}

/// How many claims the average length is sampled from.
const LENGTH_SAMPLE: u64 = 64;

/// The average number of words in a claim's text, from up to
/// [`LENGTH_SAMPLE`] claims spread evenly over the ids.
fn average_length(engine: &Engine) -> Result<f64> {
    let next = engine.next_claim_id()?;
    let step = (next / LENGTH_SAMPLE).max(1);
    let (mut words_seen, mut claims_seen) = (0u64, 0u64);
    let mut id = 1;
    while id < next && claims_seen < LENGTH_SAMPLE {
        if let Some(record) = engine.stored_claim(id)? {
            words_seen += words(&record.text).count() as u64;
            claims_seen += 1;
        }
        id += step;
    }
    Ok(if claims_seen == 0 { 1.0 } else { words_seen as f64 / claims_seen as f64 })
}

/// Whether two sources can have made the same claim, for merging a
/// proposal into a claim: the same name (case aside), or both anonymous
/// with the same kind and no conflicting affiliation ("a diplomatic
/// source" and "an official of the country", both of Qatar).
pub fn sources_agree(a: &Source, b: &Source) -> bool {
    if a.name.trim().eq_ignore_ascii_case(b.name.trim()) {
        return true;
    }
    let aff = |s: &Source| s.affiliation.as_ref().map(|x| x.to_lowercase());
    a.anonymous
        && b.anonymous
        && a.kind == b.kind
        && match (aff(a), aff(b)) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Db;
    use crate::model::{Kind, NewClaim};

    fn db_with(texts: &[&str]) -> Db {
        let db = Db::temporary().unwrap();
        let day = crate::model::date::parse_iso("2024-11-09").unwrap();
        let claims = texts.iter().map(|t| NewClaim::new(*t, Source::new("someone"), day)).collect();
        db.insert_many(claims).unwrap();
        db
    }

    fn ranked(db: &Db, text: &str, limit: usize) -> Vec<Scored> {
        let _guard = db.read_lock();
        Ranker::new(&db.engine).unwrap().rank(text, limit, None).unwrap()
    }

    #[test]
    fn the_claim_with_the_rare_words_ranks_first() {
        let db = db_with(&[
            "The talks will resume in Cairo next week",
            "Qatar will stop mediating the Gaza ceasefire talks",
            "The weather in Doha was hot",
            "Qatar has stopped its mediation of the talks",
        ]);
        let got = ranked(&db, "Qatar stops mediating Gaza talks", 10);
        assert_eq!(got[0].id, 2, "{got:?}");
        assert_eq!(got[1].id, 4, "{got:?}");
        assert!(got.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(!got.iter().any(|s| s.id == 3), "no shared word with claim 3: {got:?}");
    }

    #[test]
    fn similarity_is_one_for_the_same_words_and_zero_for_none() {
        let db = db_with(&["Hamas political office no longer serves its purpose", "Completely different words here"]);
        let got = ranked(&db, "hamas political office no longer serves its purpose", 10);
        assert_eq!(got.len(), 1);
        assert!((got[0].similarity - 1.0).abs() < 1e-9, "{got:?}");
        let got = ranked(&db, "Hamas office", 10);
        assert!(got[0].similarity > 0.0 && got[0].similarity < 0.6, "{got:?}");
    }

    #[test]
    fn a_text_of_unknown_words_ranks_nothing() {
        let db = db_with(&["Qatar said so"]);
        assert!(ranked(&db, "zebra xylophone", 5).is_empty());
        assert!(ranked(&db, "  ,;. ", 5).is_empty());
        assert!(ranked(&db, "Qatar", 0).is_empty());
    }

    /// Claims of words drawn from a skewed vocabulary (word `k` in about
    /// one claim in `k`), by a fixed pseudo-random sequence.
    fn skewed_texts(n: usize) -> Vec<String> {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..n)
            .map(|_| {
                let mut words = Vec::new();
                for k in 1..200u64 {
                    if next() % k == 0 {
                        words.push(format!("w{k}"));
                    }
                }
                words.join(" ")
            })
            .collect()
    }

    #[test]
    fn pruning_keeps_exactly_the_candidates_a_full_count_keeps() {
        let texts = skewed_texts(3000);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let db = db_with(&refs);
        let _guard = db.read_lock();
        let engine = &db.engine;
        let n = engine.claim_count().unwrap();
        for q in ["w1 w2 w3 w150 w170", "w1 w2 w90", "w5 w7 w11 w13 w1", "w199 w1"] {
            let mut query: Vec<Word> = distinct_words(q)
                .into_iter()
                .map(|w| {
                    let df = engine.count_term(&Term::Word(w.clone())).unwrap();
                    Word { idf: idf(n, df), word: w, df }
                })
                .filter(|w| w.df > 0)
                .collect();
            query.sort_by(|a, b| a.df.cmp(&b.df).then_with(|| a.word.cmp(&b.word)));
            for want in [1, 10, 64] {
                let got = candidates(engine, &query, want).unwrap();
                // Every claim's weight of query words, counted in full.
                let mut all: Vec<(u64, f64)> = (1..=n)
                    .map(|id| {
                        let has: FxHashSet<String> = words(&texts[id as usize - 1]).collect();
                        (id, query.iter().filter(|w| has.contains(&w.word)).map(|w| w.idf).sum::<f64>())
                    })
                    .filter(|(_, s)| *s > 0.0)
                    .collect();
                all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                let expected: Vec<u64> = all.iter().take(want).map(|x| x.0).collect();
                assert_eq!(got, expected, "{q} want {want}");
            }
        }
    }

    #[test]
    fn sources_agree_by_name_or_as_anonymous_people_of_one_side() {
        let named = Source::new("Majed al-Ansari").kind(Kind::Spokesperson);
        assert!(sources_agree(&named, &Source::new("majed al-ansari")));
        let a = Source::new("diplomatic source").kind(Kind::Official).anonymous(true).affiliation("Qatar");
        let b = Source::new("official of the country").kind(Kind::Official).anonymous(true).affiliation("Qatar");
        let c = Source::new("US official").kind(Kind::Official).anonymous(true).affiliation("US");
        assert!(sources_agree(&a, &b));
        assert!(!sources_agree(&a, &c));
        assert!(!sources_agree(&a, &named));
    }
}
