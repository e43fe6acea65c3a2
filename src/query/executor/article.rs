//! The article statements and the similarity queries: `extract from`
//! proposes an article's claims with the claims each may repeat,
//! `import article` records them (merging repeats) in one write, `claims
//! like` and `claims similar to` rank claims by their text, and `add claim`
//! notes a near-identical claim of the same source. The ranking is
//! [`super::similar`]'s; the reading of articles is [`crate::extract`]'s.

use super::read;
use super::similar::{self, Ranker, MATCH_FLOOR, MAX_MATCHES, MERGE_SIMILARITY};
use crate::engine::{Db, Engine};
use crate::error::{Error, Result};
use crate::extract::{self, ExtractOptions, Proposal, MAX_ARTICLE_BYTES};
use crate::model::{clean_list, ClaimId, Evidence, NewClaim};
use crate::query::article::{
    Action, ArticleReport, Match, Outcome, ProposalList, ProposedClaim, RankedClaim, Ranking, Recorded, Reviewed,
};
use crate::query::ast::{ArticleRef, ImportArticle, LikeQuery, LikeTarget, Statement};
use crate::query::{Context, Output};
use crate::{errinput, Span};
use std::io::Read;
use std::path::Path;

/// Runs an article statement or a similarity query.
pub fn execute(db: &Db, statement: Statement, context: &Context<'_>) -> Result<Output> {
    match statement {
        Statement::Like(q) => read(db, |engine| like(engine, &q)),
        Statement::Extract(article) => Ok(Output::Proposals(Box::new(propose(db, &article)?))),
        Statement::ImportArticle(import) => import_article(db, import, context),
        Statement::ReviewArticle(article) => Err(errinput!(
            "review article steps through {}'s proposals in the interactive shell, one at a time",
            article.path.display()
        )
        .with_help("in a script, record them all with import article \"…\", or print them to edit with extract from \"…\" and --format cq")),
        other => Err(crate::errcorrupt!("{other:?} is not an article statement")),
    }
}

/// The statement `explain` explains, past any repeated `explain`.
fn innermost(statement: &Statement) -> &Statement {
    let mut s = statement;
    while let Statement::Explain(inner) = s {
        s = inner;
    }
    s
}

/// Whether `explain` of this statement is told here rather than by the
/// planner (which plans the language's queries and writes).
pub fn explains(statement: &Statement) -> bool {
    matches!(
        innermost(statement),
        Statement::Extract(_) | Statement::ImportArticle(_) | Statement::ReviewArticle(_) | Statement::Like(_)
    )
}

/// The steps of a ranking of `text`: its words rarest first, with how
/// many claims hold each.
fn ranking_steps(engine: &Engine, text: &str, limit: u64, exclude: Option<ClaimId>) -> Result<Vec<String>> {
    let mut words: Vec<(u64, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for w in crate::engine::terms::words(text) {
        if seen.insert(w.clone()) {
            words.push((engine.count_term(&crate::engine::terms::Term::Word(w.clone()))?, w));
        }
    }
    words.sort();
    let known: Vec<String> = words.iter().filter(|(n, _)| *n > 0).map(|(n, w)| format!("{w} (≈ {n})")).collect();
    let unknown = words.iter().filter(|(n, _)| *n == 0).count();
    let mut steps = vec![format!(
        "look up the text's {} in the text words index, rarest first: {}{}",
        crate::query::article::words_phrase(words.len() - unknown),
        if known.is_empty() { "none".to_string() } else { known.join(", ") },
        if unknown > 0 { format!(" ({unknown} more in no claim)") } else { String::new() }
    )];
    steps.push(
        "weigh each claim by the idf of the words it holds; once no claim not yet seen can reach the best \
         candidates, the commoner words only add to those held"
            .to_string(),
    );
    steps.push(format!(
        "load the best {} candidates and score them with BM25 (k1 1.2, b 0.75; lengths against an even \
         sample of claims){}",
        (limit as usize * 4).max(64),
        exclude.map(|id| format!(", leaving out claim #{id}")).unwrap_or_default()
    ));
    steps.push(format!("keep the best {limit}, most similar first, each with its similarity (0..1)"));
    Ok(steps)
}

/// `explain` of an article statement or a ranking.
pub fn explain(engine: &Engine, statement: &Statement) -> Result<Output> {
    let steps = match innermost(statement) {
        Statement::Like(q) => {
            let limit = q.limit.unwrap_or(similar::DEFAULT_LIMIT).min(similar::MAX_LIMIT);
            match &q.target {
                LikeTarget::Text(t) => ranking_steps(engine, t, limit, None)?,
                LikeTarget::Claim(id) => {
                    let record =
                        engine.stored_claim(id.id)?.ok_or_else(|| errinput!(id.span; "no claim #{}", id.id))?;
                    let mut steps = vec![format!("read claim #{}'s text", id.id)];
                    steps.extend(ranking_steps(engine, &record.text, limit, Some(id.id))?);
                    steps
                }
            }
        }
        Statement::Extract(a)
        | Statement::ReviewArticle(a)
        | Statement::ImportArticle(ImportArticle { article: a, .. }) => {
            let mut steps = vec![
                format!("read {} (at most {MAX_ARTICLE_BYTES} bytes of UTF-8 text)", a.path.display()),
                "find the attributions in its sentences (the extractor: no database access)".to_string(),
                format!(
                    "rank each proposal's text against the claims as claims like does; keep the best {MAX_MATCHES} \
                     at least {:.0}% similar as its matches",
                    MATCH_FLOOR * 100.0
                ),
            ];
            match innermost(statement) {
                Statement::Extract(_) => steps.push("nothing is written".to_string()),
                Statement::ReviewArticle(_) => steps.push(
                    "in the shell, ask for each proposal; record the decisions as one atomic write at the end"
                        .to_string(),
                ),
                _ => steps.push(format!(
                    "one atomic write, flushed before it returns: a new claim per proposal, except one at least \
                     {:.0}% similar to a claim of an agreeing source, whose outlets and the article (as evidence) \
                     go to that claim",
                    MERGE_SIMILARITY * 100.0
                )),
            }
            steps
        }
        other => return Err(crate::errcorrupt!("{other:?} is not explained here")),
    };
    Ok(Output::Plan(steps))
}

/// `claims like "TEXT"`, `claims similar to claim N`.
fn like(engine: &Engine, q: &LikeQuery) -> Result<Output> {
    let limit = q.limit.unwrap_or(similar::DEFAULT_LIMIT);
    if limit > similar::MAX_LIMIT {
        let err =
            errinput!("a ranking by similarity gives at most {} claims; {limit} were asked for", similar::MAX_LIMIT)
                .with_help("ask for fewer with limit N; the best come first");
        return Err(match q.spans.1 {
            Some(span) => err.with_span(span),
            None => err,
        });
    }
    let (text, exclude, like) = match &q.target {
        LikeTarget::Text(t) => (t.clone(), None, t.clone()),
        LikeTarget::Claim(id) => {
            let record = engine.stored_claim(id.id)?.ok_or_else(|| errinput!(id.span; "no claim #{}", id.id))?;
            (record.text, Some(id.id), format!("claim #{}", id.id))
        }
    };
    if crate::engine::terms::words(&text).next().is_none() {
        return Err(errinput!(q.spans.0; "there is no word to compare in {text:?}")
            .with_help("give some of the claim's words: claims like \"Qatar suspends mediation\""));
    }
    let mut ranker = Ranker::new(engine)?;
    let mut claims = Vec::new();
    for s in ranker.rank(&text, limit as usize, exclude)? {
        if let Some(claim) = engine.claim(s.id)? {
            claims.push(RankedClaim { claim, score: s.score, similarity: s.similarity });
        }
    }
    Ok(Output::Ranked(Ranking { like, claims }))
}

/// `add claim …`: adds the claim, and says which claims of the same source
/// have near-identical text (it is added all the same: the same words may
/// be a new claim).
pub fn add_claim(db: &Db, claim: NewClaim) -> Result<Output> {
    let duplicates = read(db, |engine| Ranker::new(engine)?.near_duplicates(&claim.text, &claim.source))?;
    let id = db.insert(claim)?;
    if duplicates.is_empty() {
        Ok(Output::Added(id))
    } else {
        Ok(Output::AddedNearDuplicate { id, duplicates: duplicates.into_iter().map(|(c, s)| (c.id, s)).collect() })
    }
}

/// Reads the article's file, extracts its proposals and finds the claims
/// each may repeat. Nothing is written.
fn propose(db: &Db, article: &ArticleRef) -> Result<ProposalList> {
    let file = article.path.display().to_string();
    let bytes = read_article(&article.path, article.span)?;
    let options = ExtractOptions { dated: article.dated, via: article.via.clone() };
    let text = extract::article_text(&file, &bytes).map_err(|e| e.with_span(article.span))?;
    if text.trim().is_empty() {
        return Err(errinput!(article.span; "{file} is empty: no claims found")
            .with_help("give the article as plain text, one article per file"));
    }
    let extraction = extract::extract(text, &options).map_err(|e| e.with_span(article.span))?;
    // Without `via`, the outlet the dateline names carried the article.
    let via = if article.via.is_empty() {
        extraction.publisher.iter().cloned().collect()
    } else {
        clean_list("outlet", &article.via)?
    };
    let mut proposals: Vec<Proposal> = extraction.proposals;
    if article.via.is_empty() && !via.is_empty() {
        for p in &mut proposals {
            let mut outlets = p.claim.outlets.clone();
            outlets.extend(via.iter().cloned());
            p.claim.outlets = clean_list("outlet", &outlets)?;
        }
    }
    let proposed = read(db, |engine| {
        let mut ranker = Ranker::new(engine)?;
        proposals
            .into_iter()
            .map(|p| {
                let matches = matches(engine, &mut ranker, &p)?;
                let (start, end) = where_named(text, &p);
                let context = context(text, start, end);
                Ok(ProposedClaim { proposal: p, matches, context })
            })
            .collect::<Result<Vec<_>>>()
    })?;
    Ok(ProposalList { file, date: extraction.date, date_origin: extraction.date_origin, via, proposals: proposed })
}

/// The claims a proposal may repeat: the best of the ranking against its
/// text, similar enough to mention, and whether each would take a merge.
fn matches(engine: &Engine, ranker: &mut Ranker<'_>, p: &Proposal) -> Result<Vec<Match>> {
    let mut out = Vec::new();
    for s in ranker.rank(&p.claim.text, MAX_MATCHES, None)? {
        if s.similarity < MATCH_FLOOR {
            continue;
        }
        let Some(claim) = engine.claim(s.id)? else { continue };
        let merge = s.similarity >= MERGE_SIMILARITY && similar::sources_agree(&p.claim.source, &claim.source);
        out.push(Match {
            claim: claim.id,
            score: s.score,
            similarity: s.similarity,
            text: claim.text,
            source: claim.source.clone(),
            merge,
        });
    }
    // At most one claim takes the merge: the most similar that may.
    let mut taken = false;
    for m in &mut out {
        m.merge &= !taken;
        taken |= m.merge;
    }
    Ok(out)
}

/// Reads an article file whole, refusing directories and anything larger
/// than an article can be before reading it (and while reading, for
/// devices and pipes that do not say their size).
fn read_article(path: &Path, span: Span) -> Result<Vec<u8>> {
    let name = path.display().to_string();
    let cannot = |e: std::io::Error| -> Error {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        errinput!(span; "cannot read the article {name}: {why}")
            .with_help("name a plain-text file; a relative name is read from the directory claimdb runs in")
    };
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if meta.is_dir() {
        return Err(errinput!(span; "{name} is a directory, not an article")
            .with_help("name one article's text file, like \"articles/qatar-2024-11-09.txt\""));
    }
    extract::check_size(&name, meta.len()).map_err(|e| e.with_span(span))?;
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|f| f.take(MAX_ARTICLE_BYTES + 1).read_to_end(&mut bytes)).map_err(cannot)?;
    extract::check_size(&name, bytes.len() as u64).map_err(|e| e.with_span(span))?;
    Ok(bytes)
}

/// Where the proposal's source is named for it, in characters: the
/// source's mention, or for a pronoun or a short mention resolved to an
/// earlier one ("the official, who spoke…, said"), the words as written
/// nearest the content, so that the context shown is the attribution's
/// own sentence.
fn where_named(text: &str, p: &Proposal) -> (usize, usize) {
    let r = &p.record;
    let fallback = (r.source_span.start, r.source_span.end);
    let Some(written) = r.source_as_written.as_deref().filter(|w| !w.trim().is_empty()) else {
        return fallback;
    };
    // Byte offsets of the content, from its character offsets.
    let byte_of = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
    let (content_start, content_end) = (byte_of(r.span.start), byte_of(r.span.end));
    let window_start = text.floor_char_boundary(content_start.saturating_sub(400));
    let window_end = text.ceil_char_boundary((content_end + 400).min(text.len()));
    let window = &text[window_start..window_end];
    let lower_window = window.to_lowercase();
    if lower_window.len() != window.len() {
        return fallback; // lower-casing moved bytes: offsets would not line up
    }
    let needle = written.to_lowercase();
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let best = lower_window
        .match_indices(&needle)
        .map(|(at, _)| (window_start + at, window_start + at + needle.len()))
        .filter(|&(a, b)| !is_word(text[..a].chars().next_back()) && !is_word(text[b..].chars().next()))
        .min_by_key(|&(a, b)| if b <= content_start { content_start - b } else { a.saturating_sub(content_end) });
    match best {
        Some((a, b)) => (text[..a].chars().count(), text[..b].chars().count()),
        None => fallback,
    }
}

/// How many characters of the article are shown on each side of a source.
const CONTEXT_CHARS: usize = 60;

/// The article's words around the source's (character offsets `start..end`):
/// up to [`CONTEXT_CHARS`] on each side within its paragraph, cut at a
/// word, whitespace collapsed.
fn context(text: &str, start: usize, end: usize) -> (String, String, String) {
    let chars: Vec<char> = text.chars().collect();
    let end = end.min(chars.len());
    let start = start.min(end);
    let mut from = start;
    while from > 0 && start - from < CONTEXT_CHARS && chars[from - 1] != '\n' {
        from -= 1;
    }
    if from > 0 && chars[from - 1] != '\n' {
        while from < start && !chars[from].is_whitespace() {
            from += 1;
        }
    }
    let mut to = end;
    while to < chars.len() && to - end < CONTEXT_CHARS && chars[to] != '\n' {
        to += 1;
    }
    if to < chars.len() && chars[to] != '\n' {
        while to > end && !chars[to - 1].is_whitespace() {
            to -= 1;
        }
    }
    let flat =
        |a: usize, b: usize| chars[a..b].iter().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
    let mut before = flat(from, start);
    if from > 0 && chars[from - 1] != '\n' {
        before = format!("…{before}");
    }
    if start > from && chars[start - 1].is_whitespace() {
        before.push(' ');
    }
    let mut after = flat(end, to);
    if to > end && chars[end].is_whitespace() {
        after.insert(0, ' ');
    }
    if to < chars.len() && chars[to] != '\n' {
        after.push('…');
    }
    (before, flat(start, end), after)
}

/// The evidence an article gives a claim recorded from it.
fn article_evidence(list: &ProposalList, p: &Proposal) -> Evidence {
    let r = &p.record;
    let dated = list.date.map(|d| format!(", dated {d}")).unwrap_or_default();
    Evidence {
        url: list.file.clone(),
        note: Some(format!(
            "article{dated}: {} ({}), characters {}..{}",
            r.cue,
            r.quote.name(),
            r.span.start,
            r.span.end
        )),
        author: list.via.first().cloned(),
    }
}

/// A change to an existing claim: outlets and the article as evidence.
pub(crate) struct Amend {
    /// The claim.
    pub id: ClaimId,
    /// Outlets to add (those it has already are left out).
    pub outlets: Vec<String>,
    /// The article.
    pub evidence: Evidence,
}

/// `import article …`: records the proposals (as reviewed, or each as a
/// new claim unless it repeats one, which it is merged into) in one write.
fn import_article(db: &Db, import: ImportArticle, context: &Context<'_>) -> Result<Output> {
    let list = propose(db, &import.article)?;
    let decisions: Vec<Action> = match import.reviewed {
        None => list
            .proposals
            .iter()
            .map(|p| match p.merge_into() {
                Some(id) => Action::Merge(id),
                None => Action::Add(Box::new(p.proposal.claim.clone())),
            })
            .collect(),
        Some(reviewed) => decisions_of(&list, reviewed)?,
    };
    if context.cancel.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    let mut entries: Vec<Recorded> = Vec::new();
    let mut adds: Vec<NewClaim> = Vec::new();
    let mut amends: Vec<Amend> = Vec::new();
    for (i, (proposed, action)) in list.proposals.iter().zip(decisions).enumerate() {
        let p = &proposed.proposal;
        let evidence = article_evidence(&list, p);
        let entry = |outcome, claim, text: &str| Recorded {
            proposal: i + 1,
            outcome,
            claim,
            text: text.to_string(),
            outlets_added: Vec::new(),
            similarity: None,
        };
        match action {
            Action::Skip => entries.push(entry(Outcome::Skipped, None, &p.claim.text)),
            Action::Add(mut claim) => {
                if !claim.evidence.iter().any(|e| e.url == evidence.url) {
                    claim.evidence.push(evidence);
                }
                entries.push(entry(Outcome::Added, None, &claim.text));
                adds.push(*claim);
            }
            Action::Merge(id) => {
                let existing =
                    db.get(id)?.ok_or_else(|| errinput!("no claim #{id} to merge proposal {} into", i + 1))?;
                let lower: Vec<String> = existing.outlets.iter().map(|o| o.to_lowercase()).collect();
                let mut new_outlets: Vec<String> = Vec::new();
                for o in &p.claim.outlets {
                    if !lower.contains(&o.to_lowercase()) && !new_outlets.iter().any(|n| n.eq_ignore_ascii_case(o)) {
                        new_outlets.push(o.clone());
                    }
                }
                let has_article = existing.evidence.iter().any(|e| e.url == evidence.url);
                let similarity = proposed.matches.iter().find(|m| m.claim == id).map(|m| m.similarity);
                let mut e = entry(Outcome::Merged, Some(id), &existing.text);
                e.similarity = similarity;
                if has_article && new_outlets.is_empty() {
                    e.outcome = Outcome::AlreadyRecorded;
                } else {
                    e.outlets_added = new_outlets.clone();
                    match amends.iter_mut().find(|a| a.id == id) {
                        // Two proposals of one article repeat the same claim.
                        Some(a) => a.outlets.extend(new_outlets),
                        None => amends.push(Amend { id, outlets: new_outlets, evidence }),
                    }
                }
                entries.push(e);
            }
        }
    }
    let ids = record(db, adds, amends)?;
    let mut ids = ids.into_iter();
    for e in &mut entries {
        if e.outcome == Outcome::Added {
            e.claim = ids.next();
        }
    }
    Ok(Output::ArticleImported(Box::new(ArticleReport { file: list.file, entries })))
}

/// What a person decided, checked against the article's proposals: every
/// proposal is decided at most once (those left out are skipped), and a
/// merge goes to a claim that exists.
fn decisions_of(list: &ProposalList, reviewed: Vec<Reviewed>) -> Result<Vec<Action>> {
    let mut out: Vec<Option<Action>> = vec![None; list.proposals.len()];
    for r in reviewed {
        let slot = out.get_mut(r.index).ok_or_else(|| {
            errinput!(
                "{} has {} proposals; there is no proposal {} (the file may have changed since it was reviewed)",
                list.file,
                list.proposals.len(),
                r.index + 1
            )
        })?;
        if slot.replace(r.action).is_some() {
            return Err(errinput!("proposal {} is decided twice", r.index + 1));
        }
    }
    Ok(out.into_iter().map(|a| a.unwrap_or(Action::Skip)).collect())
}

/// Writes the new claims and the changes to existing ones as one atomic,
/// flushed write: all of it or, on any failure, nothing. Returns the new
/// claims' ids, in order.
fn record(db: &Db, adds: Vec<NewClaim>, amends: Vec<Amend>) -> Result<Vec<ClaimId>> {
    db.insert_and_amend(adds, amends.into_iter().map(|a| (a.id, a.outlets, a.evidence)).collect())
}

#[cfg(test)]
mod tests {
    use super::context;

    #[test]
    fn context_is_cut_at_words_and_paragraphs() {
        let text = "First paragraph.\n\n“Qatar will cease its efforts,” said a diplomatic official speaking \
                    anonymously to Reuters on Saturday evening in Doha, where the talks were held.";
        let at = text.find("a diplomatic").unwrap();
        let start = text[..at].chars().count();
        let end = start + "a diplomatic official".chars().count();
        let (before, source, after) = context(text, start, end);
        assert_eq!(source, "a diplomatic official");
        assert_eq!(before, "“Qatar will cease its efforts,” said ");
        assert!(after.starts_with(" speaking anonymously to Reuters"), "{after}");
        assert!(after.ends_with('…') && !after.contains("talks"), "{after}");
    }
}
