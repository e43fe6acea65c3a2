//! What extraction returns: proposals, each a claim in the interchange
//! shape with a record of how it was found.

use crate::model::{Date, NewClaim};
use serde::Serialize;
use serde_json::Value;

/// How the content is given in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// In quotation marks.
    Direct,
    /// Reported speech, no quotation marks.
    Indirect,
    /// Partly quoted.
    Mixed,
}

impl QuoteKind {
    /// The name used in JSON and the gold files.
    pub fn name(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Indirect => "indirect",
            QuoteKind::Mixed => "mixed",
        }
    }
}

/// The pattern that found an attribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "&'static str")]
pub enum Rule {
    /// `SOURCE said (that) CONTENT`, `SOURCE told OUTLET: “…”`.
    SourceCueContent,
    /// `CONTENT, SOURCE said.`
    ContentSourceCue,
    /// `CONTENT, said SOURCE, …`
    ContentCueSource,
    /// `CONTENT, SOURCE said, CONTENT.`
    Parenthetical,
    /// `according to SOURCE, CONTENT` / `CONTENT, according to SOURCE`.
    AccordingTo,
    /// `SOURCE was quoted by OUTLET as saying (that) CONTENT`.
    QuotedAsSaying,
    /// `OUTLET reported, citing SOURCE, (that) CONTENT`.
    ReportedCiting,
    /// `…, adding (that) CONTENT`, `…, saying …`: the clause's source again.
    Participle,
}

impl Rule {
    /// The rule's name as shown in proposals.
    pub fn name(self) -> &'static str {
        match self {
            Rule::SourceCueContent => "source-cue-content",
            Rule::ContentSourceCue => "content-source-cue",
            Rule::ContentCueSource => "content-cue-source",
            Rule::Parenthetical => "parenthetical",
            Rule::AccordingTo => "according-to",
            Rule::QuotedAsSaying => "quoted-as-saying",
            Rule::ReportedCiting => "reported-citing",
            Rule::Participle => "participle",
        }
    }
}

impl From<Rule> for &'static str {
    fn from(rule: Rule) -> &'static str {
        rule.name()
    }
}

/// A range of the article in characters (Unicode scalar values), end
/// exclusive: `text.chars().skip(start).take(end - start)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CharSpan {
    /// The first character.
    pub start: usize,
    /// Just past the last character.
    pub end: usize,
}

/// How a proposal was found in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Record {
    /// The reporting verb or phrase as written (`said`, `told Reuters`,
    /// `according to`, `was quoted by … as saying`).
    pub cue: String,
    /// Direct, indirect or mixed.
    pub quote: QuoteKind,
    /// The content, from its first to its last character (a quotation that
    /// goes on over sentences spans the attribution between them).
    pub span: CharSpan,
    /// The source's mention; for a pronoun, the mention it refers to.
    pub source_span: CharSpan,
    /// The source as the sentence names it (`he`, `the spokesman`), when
    /// that is not the name given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_as_written: Option<String>,
    /// The outlets the text names for this claim (`told Reuters`); the
    /// claim's outlets add the statement's `via` to these.
    pub outlets_in_text: Vec<String>,
    /// The pattern that fired.
    pub rule: Rule,
}

/// One attributed claim found in an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    /// The claim, ready to insert.
    pub claim: NewClaim,
    /// How it was found.
    pub record: Record,
}

impl Proposal {
    /// The proposal in the interchange shape of a claim (as `--format json`
    /// prints claims, fields in the same order) plus an `extraction` object,
    /// ready for serde: `serde_json::to_string(&p.json())`.
    pub fn json(&self) -> ProposalJson<'_> {
        let c = &self.claim;
        ProposalJson {
            text: &c.text,
            source: SourceJson {
                name: &c.source.name,
                kind: c.source.kind.name(),
                anonymous: c.source.anonymous,
                affiliation: c.source.affiliation.as_deref(),
                description: c.source.description.as_deref(),
            },
            outlets: &c.outlets,
            date: c.date.to_string(),
            status: c.status.name(),
            topics: &c.topics,
            extraction: &self.record,
        }
    }

    /// [`Proposal::json`] as a JSON value (its object keys sorted).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.json()).unwrap_or(Value::Null)
    }
}

/// A proposal as JSON, fields in the interchange order.
#[derive(Debug, Serialize)]
pub struct ProposalJson<'a> {
    /// The claim's text.
    pub text: &'a str,
    /// Its source.
    pub source: SourceJson<'a>,
    /// Outlets: those the text names, then the statement's `via`.
    pub outlets: &'a [String],
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// Always `unverified` for a proposal.
    pub status: &'static str,
    /// Topics the text makes evident.
    pub topics: &'a [String],
    /// How it was found.
    pub extraction: &'a Record,
}

/// A proposal's source as JSON.
#[derive(Debug, Serialize)]
pub struct SourceJson<'a> {
    /// The name as written.
    pub name: &'a str,
    /// The kind's name.
    pub kind: &'static str,
    /// Whether the source is anonymous.
    pub anonymous: bool,
    /// Its affiliation.
    pub affiliation: Option<&'a str>,
    /// An apposition or description, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
}

/// Where an extraction's date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateOrigin {
    /// The statement's `dated DATE`.
    Given,
    /// A date line at the top of the article (`date 2024-11-09`,
    /// `Published February 20, 2025`).
    DateLine,
    /// The dateline (`GENEVA, Nov 12, 2024 (Reuters) -`).
    Dateline,
}

/// The result of reading one article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extraction {
    /// The date every proposal carries; `None` only when there are no
    /// proposals and the article gives no date.
    pub date: Option<Date>,
    /// Where the date came from.
    pub date_origin: Option<DateOrigin>,
    /// The outlet the dateline names (`DOHA (Reuters) -`), a default for
    /// the statement's `via`.
    pub publisher: Option<String>,
    /// The proposals, in text order. Empty means no claims were found.
    pub proposals: Vec<Proposal>,
}
