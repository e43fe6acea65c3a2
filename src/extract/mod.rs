//! From article to claims: reads a plain-text news article and proposes the
//! claims it attributes, each with its source, outlets and date, and a
//! record of how it was found.
//!
//! # How an article is read
//!
//! 1. **Bytes → text.** [`article_text`] checks size, binary content and
//!    UTF-8 (errors give the byte offset) before anything else.
//! 2. **Text → sentences.** [`article`] splits paragraphs (blank lines),
//!    finds quotations ([`quotes`], curly and straight alike, across
//!    paragraphs) and sentences, which never split a quotation.
//! 3. **Sentences → attributions.** [`rules`] looks at every reporting cue
//!    outside quotation marks ([`cues`]) and applies the patterns of wire
//!    copy: `SOURCE said (that) …`, `…, SOURCE said`, `…,” said SOURCE, …`,
//!    `SOURCE told OUTLET: “…”`, `according to SOURCE, …`, `SOURCE was
//!    quoted by OUTLET as saying …`, `OUTLET reported, citing SOURCE, …`,
//!    `…, adding that …`, and quotations that go on over sentences.
//!    "Declined to comment" and "did not say" are not claims.
//! 4. **Sources.** [`source`] reads each mention's kind, anonymity and
//!    affiliation with the gazetteers ([`gazetteer`], data files in
//!    `src/extract/data/`); [`resolve`] settles pronouns and mentions that
//!    refer back ("the spokesman", "one of the diplomats"), and gives a
//!    state body, or a regional one ([`regions`]), its state.
//! 5. **Proposals.** Each becomes a [`NewClaim`] with a [`Record`] of its
//!    cue, quote kind, spans (in characters) and rule. The date is the
//!    statement's `dated`, else the article's date line or dateline
//!    ([`dateline`]); without one, extraction asks for `dated`.
//!
//! Everything is deterministic and offline.

pub mod article;
pub mod cues;
pub mod dateline;
pub mod gazetteer;
pub mod input;
pub mod names;
pub mod proposal;
pub mod quotes;
pub mod regions;
pub mod render;
pub mod resolve;
pub mod rules;
pub mod source;
pub mod tokens;

#[cfg(test)]
mod tests;

pub use input::{article_text, check_size, MAX_ARTICLE_BYTES};
pub use proposal::{CharSpan, DateOrigin, Extraction, Proposal, ProposalJson, QuoteKind, Record, Rule, SourceJson};
pub use render::to_cq;

use crate::error::{Error, Result};
use crate::model::{clean_list, Date, NewClaim, Source, MAX_NAME_BYTES, MAX_TEXT_BYTES};
use article::Article;
use gazetteer::Class;

/// What the statement adds to every proposal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExtractOptions {
    /// The article's date (`dated DATE`); without it the text's date line or
    /// dateline is used.
    pub dated: Option<Date>,
    /// Outlets that carried the article (`via OUTLET, …`), added to every
    /// proposal's outlets.
    pub via: Vec<String>,
}

/// Checks an article's bytes ([`article_text`]) and extracts from them.
/// `origin` names the file in error messages.
pub fn extract_bytes(origin: &str, bytes: &[u8], options: &ExtractOptions) -> Result<Extraction> {
    extract(article_text(origin, bytes)?, options)
}

/// Extracts the attributed claims of an article. An article without any is
/// not an error: the result has no proposals ("no claims found"). An
/// article with claims but no date (no `dated`, no date line, no dateline
/// with a year) is an error whose help says to add `dated YYYY-MM-DD`.
pub fn extract(text: &str, options: &ExtractOptions) -> Result<Extraction> {
    let article = Article::new(text);
    let head = dateline::read(&article);
    let found = rules::find(&article);
    let settled = resolve::settle(&article, &found, head.city.as_deref(), head.region.as_deref());
    let (date, date_origin) = match (options.dated, head.date) {
        (Some(d), _) => (Some(d), Some(DateOrigin::Given)),
        (None, Some((d, origin))) => (Some(d), Some(origin)),
        (None, None) => (None, None),
    };
    let via = clean_list("outlet", &options.via)?;
    let chars = CharIndex::new(text);
    let mut proposals: Vec<Proposal> = Vec::new();
    for (f, s) in found.iter().zip(settled) {
        let Some(s) = s else { continue };
        let Some(date) = date else {
            return Err(Error::Input {
                message: "the article gives no date: no date line (like `date 2024-11-09`) and no dateline with a \
                          year (like `GENEVA, Nov 12, 2024 (Reuters) -`)"
                    .into(),
                span: None,
                help: Some("add `dated YYYY-MM-DD`, the day the article was published".into()),
            });
        };
        let span = CharSpan {
            start: chars.at(f.pieces.first().map_or(0, |p| p.0)),
            end: chars.at(f.pieces.last().map_or(0, |p| p.1)),
        };
        if proposals.iter().any(|p| p.record.span == span) {
            continue;
        }
        let m = &s.mention;
        let mut in_text: Vec<String> = Vec::new();
        for o in f.outlets.iter().chain(&s.outlets).chain(&m.outlets) {
            if !in_text.iter().any(|t| t == o) {
                in_text.push(o.to_string());
            }
        }
        let mut outlets = in_text.clone();
        outlets.extend(via.iter().cloned());
        let outlets = clean_list("outlet", &outlets)?;
        let mut source = Source::new(clip(&m.name, MAX_NAME_BYTES)).kind(m.kind).anonymous(m.anonymous);
        source.affiliation = m.affiliation.as_deref().map(|a| clip(a, MAX_NAME_BYTES));
        source.description = m.description.as_deref().map(|d| clip(d, MAX_NAME_BYTES));
        let text_of_claim = claim_text(text, &f.pieces);
        let mut claim = NewClaim::new(clip(&text_of_claim, MAX_TEXT_BYTES), source, date);
        claim.outlets = outlets;
        claim.topics = topics(&text_of_claim);
        let record = Record {
            cue: cue_text(&article, f),
            quote: f.quote,
            span,
            source_span: CharSpan { start: chars.at(m.span.0), end: chars.at(m.span.1) },
            source_as_written: s.as_written.clone(),
            outlets_in_text: in_text,
            rule: f.rule,
        };
        proposals.push(Proposal { claim, record });
    }
    proposals.sort_by_key(|p| p.record.span.start);
    Ok(Extraction { date, date_origin, publisher: head.publisher.map(str::to_string), proposals })
}

/// Byte offsets to character offsets.
struct CharIndex {
    starts: Vec<usize>,
}

impl CharIndex {
    fn new(text: &str) -> CharIndex {
        CharIndex { starts: text.char_indices().map(|(i, _)| i).collect() }
    }

    fn at(&self, byte: usize) -> usize {
        self.starts.partition_point(|&b| b < byte)
    }
}

/// The claim's text: the content pieces joined, whitespace collapsed, the
/// first letter capitalised, without trailing punctuation.
fn claim_text(text: &str, pieces: &[(usize, usize)]) -> String {
    let joined = pieces.iter().map(|&(a, b)| &text[a..b]).collect::<Vec<_>>().join(" ");
    let mut out = joined.split_whitespace().collect::<Vec<_>>().join(" ");
    while out.ends_with(['.', ',', ';', ':']) {
        out.pop();
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

/// The cue as written: the verb, with its object when that is an outlet
/// (`told Reuters`), or the whole phrase (`was quoted by … as saying`).
fn cue_text(a: &Article, f: &rules::Found) -> String {
    let r = f.cue.clone();
    let words: Vec<&str> = r.clone().map(|i| a.word(i)).collect();
    let mut cue = if words.len() > 4 {
        format!("{} {} … {} {}", words[0], words[1], words[words.len() - 2], words[words.len() - 1])
    } else {
        words.join(" ")
    };
    let first = words.first().map(|w| w.to_lowercase()).unwrap_or_default();
    // "told Reuters", "said to AFP"
    let rest: Vec<&str> = (r.end..(r.end + 5).min(a.tokens.len())).map(|i| a.word(i)).collect();
    let object = match first.as_str() {
        "told" | "tells" => Some(0),
        "said" | "says" if rest.first() == Some(&"to") => Some(1),
        _ => None,
    };
    if let Some(skip) = object {
        if let Some((n, e)) = gazetteer::get().match_at(&rest, skip) {
            if e.class == Class::Outlet {
                cue = format!("{cue} {}", rest[..skip + n].join(" "));
            }
        }
    }
    // "has told", "have said"
    if r.start > 0 && matches!(a.word(r.start - 1), "has" | "have" | "had") && words.len() == 1 {
        cue = format!("{} {cue}", a.word(r.start - 1));
    }
    cue
}

/// Countries and organisations the claim names, as topics (at most four).
fn topics(text: &str) -> Vec<String> {
    let tokens = tokens::tokenize(text, 0, text.len());
    let words: Vec<&str> = tokens.iter().map(|t| t.text(text)).collect();
    let mut out: Vec<String> = Vec::new();
    for (_, _, e) in gazetteer::get().find_all(&words) {
        if e.class != Class::Outlet && !out.iter().any(|t| t == e.canonical) && out.len() < 4 {
            out.push(e.canonical.to_string());
        }
    }
    out
}

/// Cuts a string to at most `max` bytes on a character boundary.
fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}
