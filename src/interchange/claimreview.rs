//! schema.org ClaimReview (JSON-LD), the format fact-checkers publish their
//! verdicts in, read and written.
//!
//! Import reads a document holding one ClaimReview object, an array of
//! them, or an object whose `@graph` holds them (other node types in an
//! array or graph, such as `WebPage`, are passed over). It expects the
//! compact form with the schema.org context, as fact-checkers publish it:
//!
//! | ClaimReview | claim |
//! |---|---|
//! | `claimReviewed` | text |
//! | `itemReviewed.author.name` (`@type` Person, Organization, …) | source name (and kind) |
//! | `itemReviewed.datePublished`, else `datePublished` | date (a time after the day is ignored) |
//! | `reviewRating.alternateName` | rating |
//! | `url`, with the review's `author.name` | evidence, with the fact-checker as its author |
//! | `itemReviewed.firstAppearance.url`, `itemReviewed.appearance[].url` | evidence |
//!
//! ClaimReview has no place for much of what claimdb records, so export adds
//! `additionalProperty` entries named `claimdb:…` (id, source kind,
//! anonymity, affiliation, description, outlets, topics, status, history,
//! relations, notes, full evidence, recording time, edits), and import reads
//! them back: export then import into an empty database reproduces the
//! claims. Where a `claimdb:` property and the schema.org field say the same
//! thing (kind, evidence), the `claimdb:` property wins, being exact.
//!
//! Memory: an array of ClaimReview objects (what export writes) is read
//! one item at a time. A document whose top level is an object (one
//! ClaimReview, or a `@graph`) is one JSON value, so it is read and parsed
//! whole, up to 256 MiB; that is fine for the feeds and page extracts
//! ClaimReview comes in.

use super::{json, ImportRecord, Input};
use crate::engine::ReadError;
use crate::error::{Error, RecordError, Result};
use crate::model::{closest, date, Change, Claim, Date, Evidence, HistoryEntry, Kind, Link, NewClaim, Source, Status};
use crate::Db;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use std::io::Write;

/// The prefix of claimdb's own `additionalProperty` names.
pub const PROPERTY_PREFIX: &str = "claimdb:";

/// claimdb's own properties (without the prefix), in the order exported.
pub const PROPERTIES: [&str; 14] = [
    "id",
    "kind",
    "anonymous",
    "affiliation",
    "description",
    "outlets",
    "topics",
    "status",
    "history",
    "relations",
    "notes",
    "evidence",
    "recordedAt",
    "changes",
];

// ---------------------------------------------------------------------------
// Reading the document.

/// The items of a ClaimReview document: an array is read one item at a
/// time; an object (one ClaimReview, or a `@graph` of them) is read whole,
/// within [`MAX_DOCUMENT_BYTES`](super::input::MAX_DOCUMENT_BYTES).
fn items(mut input: Input) -> Result<Box<dyn Iterator<Item = Result<Value, ReadError>> + Send>> {
    if input.first_non_space()? == Some(b'[') {
        let mut items = json::Items::new(input);
        return Ok(Box::new(std::iter::from_fn(move || {
            Some(match items.next()? {
                Ok(item) => serde_json::from_slice(&item.bytes)
                    .map_err(|e| ReadError::Fatal(items.item_syntax_error(&item, &e))),
                Err(e) => Err(ReadError::Fatal(e)),
            })
        })));
    }
    let name = input.name().to_string();
    let items = match super::input::read_json_document(input)? {
        Value::Object(mut object) => match object.remove("@graph") {
            Some(Value::Array(items)) => items,
            Some(single) => vec![single],
            None => vec![Value::Object(object)],
        },
        other => {
            return Err(Error::Input {
                message: format!("{name} holds {}, not a ClaimReview object or an array of them", describe(&other)),
                span: None,
                help: None,
            })
        }
    };
    Ok(Box::new(items.into_iter().map(Ok)))
}

/// "a string", "an array"... for messages.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// JSON-LD lets any property hold one value or an array of them.
fn values(value: Option<&Value>) -> Vec<&Value> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    }
}

fn first(value: Option<&Value>) -> Option<&Value> {
    values(value).into_iter().next()
}

/// The last part of a type name: `ClaimReview` for `schema:ClaimReview` or
/// `https://schema.org/ClaimReview`.
fn local_name(name: &str) -> &str {
    name.rsplit(['/', ':', '#']).next().unwrap_or(name)
}

fn types(node: &Map<String, Value>) -> Vec<&str> {
    values(node.get("@type")).into_iter().filter_map(Value::as_str).map(local_name).collect()
}

/// A thing's name: the string itself, or an object's `name`.
fn name_of(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("name").and_then(Value::as_str),
        _ => None,
    }
}

/// A web page's address: the string itself, or an object's `url`.
fn url_of(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("url").and_then(Value::as_str),
        _ => None,
    }
}

/// The source kind an author's `@type` implies.
fn kind_of_type(types: &[&str]) -> Kind {
    for t in types {
        let kind = match *t {
            "Person" => Kind::Person,
            "GovernmentOrganization" => Kind::Government,
            "NewsMediaOrganization" => Kind::Media,
            "Organization" | "Corporation" | "NGO" | "PoliticalParty" | "EducationalOrganization" => Kind::Organization,
            "CreativeWork" | "Report" | "Dataset" | "Article" => Kind::Document,
            _ => continue,
        };
        return kind;
    }
    Kind::Unknown
}

/// The schema.org type written for a source kind.
fn type_of_kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Person | Kind::Official | Kind::Spokesperson => "Person",
        Kind::Organization => "Organization",
        Kind::Government => "GovernmentOrganization",
        Kind::Media => "NewsMediaOrganization",
        Kind::Document => "CreativeWork",
        Kind::Unknown => "Thing",
    }
}

// ---------------------------------------------------------------------------
// One item.

/// Builds the errors of item `n`.
struct ItemErrors {
    n: u64,
}

impl ItemErrors {
    fn at(&self, field: &str, detail: impl std::fmt::Display) -> RecordError {
        RecordError { line: self.n, field: Some(field.to_string()), message: format!("item {}: {detail}", self.n) }
    }
}

/// The record of item `n` (1-based), or `None` for a node that is not a
/// ClaimReview (a `WebPage` in a `@graph`, say).
fn read_item(n: u64, item: &Value) -> Option<Result<ImportRecord, RecordError>> {
    let errors = ItemErrors { n };
    let Value::Object(node) = item else {
        let detail = format!("expected a ClaimReview object, found {}", describe(item));
        return Some(Err(errors.at("@type", detail)));
    };
    let types = types(node);
    if !types.is_empty() && !types.contains(&"ClaimReview") {
        return None;
    }
    Some(build(&errors, node))
}

fn build(errors: &ItemErrors, node: &Map<String, Value>) -> Result<ImportRecord, RecordError> {
    let text = match node.get("claimReviewed") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::String(_)) => return Err(errors.at("claimReviewed", "the text is empty")),
        None | Some(Value::Null) => return Err(errors.at("claimReviewed", "missing (the text of the claim)")),
        Some(other) => {
            let detail = format!("expected text, found {}", describe(other));
            return Err(errors.at("claimReviewed", detail));
        }
    };
    let reviewed = first(node.get("itemReviewed")).and_then(Value::as_object);
    let source = read_author(errors, reviewed)?;
    let day = read_date(errors, node, reviewed)?;
    let mut claim = NewClaim::new(text, source, day);
    claim.rating = first(node.get("reviewRating"))
        .and_then(|r| r.get("alternateName"))
        .and_then(Value::as_str)
        .map(str::to_string);
    claim.evidence = read_evidence(node, reviewed);
    let mut links = Vec::new();
    for property in values(node.get("additionalProperty")) {
        let Some(name) = property.get("name").and_then(Value::as_str) else {
            continue;
        };
        let Some(key) = name.strip_prefix(PROPERTY_PREFIX) else {
            continue; // someone else's property
        };
        let value = property.get("value").unwrap_or(&Value::Null);
        apply_property(&mut claim, &mut links, key, value).map_err(|e| errors.at(name, e))?;
    }
    Ok(ImportRecord { line: errors.n, claim, links })
}

fn read_author(errors: &ItemErrors, reviewed: Option<&Map<String, Value>>) -> Result<Source, RecordError> {
    let author = reviewed.and_then(|r| first(r.get("author")));
    let name = author
        .and_then(name_of)
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| errors.at("itemReviewed.author.name", "missing (who made the claim?)"))?;
    let kind = match author {
        Some(Value::Object(o)) => kind_of_type(&types(o)),
        _ => Kind::Unknown,
    };
    Ok(Source::new(name).kind(kind))
}

fn read_date(
    errors: &ItemErrors,
    node: &Map<String, Value>,
    reviewed: Option<&Map<String, Value>>,
) -> Result<Date, RecordError> {
    let (field, value) = match reviewed.and_then(|r| r.get("datePublished")) {
        Some(v) => ("itemReviewed.datePublished", v),
        None => match node.get("datePublished") {
            Some(v) => ("datePublished", v),
            None => {
                return Err(errors
                    .at("datePublished", "missing (neither itemReviewed.datePublished nor datePublished is given)"))
            }
        },
    };
    let text = value.as_str().ok_or_else(|| errors.at(field, format!("expected a date, found {}", describe(value))))?;
    date::parse_iso_day_time(text.trim()).map_err(|e| errors.at(field, e))
}

/// The fact-check itself first (with the fact-checker as author), then
/// where the claim appeared; each address once.
fn read_evidence(node: &Map<String, Value>, reviewed: Option<&Map<String, Value>>) -> Vec<Evidence> {
    let mut evidence: Vec<Evidence> = Vec::new();
    let mut add = |url: &str, author: Option<&str>| {
        let url = url.trim();
        if !url.is_empty() && !evidence.iter().any(|e| e.url == url) {
            evidence.push(Evidence { url: url.to_string(), note: None, author: author.map(str::to_string) });
        }
    };
    if let Some(url) = node.get("url").and_then(Value::as_str) {
        add(url, first(node.get("author")).and_then(name_of));
    }
    if let Some(reviewed) = reviewed {
        let appearances = values(reviewed.get("firstAppearance")).into_iter().chain(values(reviewed.get("appearance")));
        for appearance in appearances {
            if let Some(url) = url_of(appearance) {
                add(url, None);
            }
        }
    }
    evidence
}

fn typed<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    T::deserialize(value).map_err(|e| e.to_string())
}

fn text_value(value: &Value) -> Result<Option<String>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        other => Err(format!("expected text, found {}", describe(other))),
    }
}

/// Applies one `claimdb:` property to the claim.
fn apply_property(claim: &mut NewClaim, links: &mut Vec<Link>, key: &str, value: &Value) -> Result<(), String> {
    let text =
        || -> Result<String, String> { text_value(value)?.ok_or_else(|| "expected text, found null".to_string()) };
    match key {
        "id" => {
            let id = value
                .as_u64()
                .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
                .filter(|id| *id > 0)
                .ok_or_else(|| format!("'{value}' is not a claim id (expected a whole number from 1)"))?;
            claim.id = Some(id);
        }
        "kind" => claim.source.kind = Kind::parse_or_explain(&text()?).map_err(|e| e.to_string())?,
        "anonymous" => claim.source.anonymous = typed(value)?,
        "affiliation" => claim.source.affiliation = text_value(value)?,
        "description" => claim.source.description = text_value(value)?,
        "outlets" => claim.outlets = typed(value)?,
        "topics" => claim.topics = typed(value)?,
        "status" => claim.status = Status::parse_or_explain(&text()?).map_err(|e| e.to_string())?,
        "history" => claim.history = typed::<Vec<HistoryEntry>>(value)?,
        "relations" => *links = typed::<Vec<Link>>(value)?,
        "notes" => claim.notes = text_value(value)?,
        "evidence" => claim.evidence = typed::<Vec<Evidence>>(value)?,
        "recordedAt" => claim.recorded_at = Some(typed::<DateTime<Utc>>(value)?),
        "changes" => claim.changes = typed::<Vec<Change>>(value)?,
        unknown => {
            let mut message = format!("unknown claimdb property '{PROPERTY_PREFIX}{unknown}'");
            if let Some(near) = closest(unknown, PROPERTIES) {
                message.push_str(&format!(" (did you mean '{PROPERTY_PREFIX}{near}'?)"));
            }
            return Err(message);
        }
    }
    Ok(())
}

/// The claims of a ClaimReview JSON-LD document (see the module
/// documentation). Bad items are records numbered by their place in the
/// document (item 1, 2, …). A document that is not valid JSON is one
/// [`Error::Input`] with the line and column; one that holds items but no
/// ClaimReview among them is an error too, at its end.
pub fn records(input: Input) -> Result<impl Iterator<Item = Result<ImportRecord, ReadError>> + Send> {
    let name = input.name().to_string();
    let mut items = items(input)?.zip(1u64..);
    let (mut seen, mut reviews) = (0u64, 0u64);
    Ok(std::iter::from_fn(move || loop {
        let Some((item, n)) = items.next() else {
            if seen > 0 && reviews == 0 {
                seen = 0; // said once
                return Some(Err(ReadError::Fatal(Error::Input {
                    message: format!("{name} holds no ClaimReview objects"),
                    span: None,
                    help: Some("ClaimReview objects have \"@type\": \"ClaimReview\"".into()),
                })));
            }
            return None;
        };
        seen += 1;
        match item {
            Err(e) => return Some(Err(e)),
            Ok(item) => {
                if let Some(record) = read_item(n, &item) {
                    reviews += 1;
                    return Some(record.map_err(ReadError::Record));
                }
            }
        }
    }))
}

// ---------------------------------------------------------------------------
// Export.

#[derive(Serialize)]
struct ReviewOut<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "claimReviewed")]
    claim_reviewed: &'a str,
    #[serde(rename = "datePublished")]
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Named<'a>>,
    #[serde(rename = "reviewRating", skip_serializing_if = "Option::is_none")]
    review_rating: Option<RatingOut<'a>>,
    #[serde(rename = "itemReviewed")]
    item_reviewed: ClaimOut<'a>,
    #[serde(rename = "additionalProperty")]
    additional_property: Vec<PropertyOut>,
}

#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct RatingOut<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName")]
    alternate_name: &'a str,
}

#[derive(Serialize)]
struct ClaimOut<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    author: Named<'a>,
    #[serde(rename = "datePublished")]
    date_published: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    appearance: Vec<AppearanceOut<'a>>,
}

#[derive(Serialize)]
struct AppearanceOut<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: &'a str,
}

#[derive(Serialize)]
struct PropertyOut {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
    value: Value,
}

fn to_value(value: impl Serialize) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| crate::errio!("JSON encoding failed: {e}"))
}

/// claimdb's properties of a claim; empty lists and absent values are left
/// out (import reads them as empty).
fn properties(claim: &Claim) -> Result<Vec<PropertyOut>> {
    let source = &claim.source;
    let mut list: Vec<(&str, Value)> = vec![
        ("id", Value::from(claim.id)),
        ("kind", Value::from(source.kind.name())),
        ("anonymous", Value::from(source.anonymous)),
    ];
    let optional = [("affiliation", &source.affiliation), ("description", &source.description)];
    for (name, value) in optional {
        if let Some(value) = value {
            list.push((name, Value::from(value.as_str())));
        }
    }
    if !claim.outlets.is_empty() {
        list.push(("outlets", to_value(&claim.outlets)?));
    }
    if !claim.topics.is_empty() {
        list.push(("topics", to_value(&claim.topics)?));
    }
    list.push(("status", Value::from(claim.status.name())));
    list.push(("history", to_value(&claim.history)?));
    if !claim.relations.is_empty() {
        list.push(("relations", to_value(&claim.relations)?));
    }
    if let Some(notes) = &claim.notes {
        list.push(("notes", Value::from(notes.as_str())));
    }
    if !claim.evidence.is_empty() {
        list.push(("evidence", to_value(&claim.evidence)?));
    }
    list.push(("recordedAt", to_value(claim.recorded_at)?));
    if !claim.changes.is_empty() {
        list.push(("changes", to_value(&claim.changes)?));
    }
    Ok(list
        .into_iter()
        .map(|(name, value)| PropertyOut { kind: "PropertyValue", name: format!("{PROPERTY_PREFIX}{name}"), value })
        .collect())
}

/// The ClaimReview of one claim. The review's `url` and `author` come from
/// the first evidence that has an author (a fact-check); the other evidence
/// is listed as appearances of the claim. Its `datePublished` is the day
/// the current status took effect.
fn review(claim: &Claim) -> Result<ReviewOut<'_>> {
    let fact_check = claim.evidence.iter().find(|e| e.author.is_some());
    let appearance = claim
        .evidence
        .iter()
        .filter(|e| !fact_check.is_some_and(|f| std::ptr::eq(*e, f)))
        .map(|e| AppearanceOut { kind: "CreativeWork", url: &e.url })
        .collect();
    Ok(ReviewOut {
        context: "https://schema.org",
        kind: "ClaimReview",
        claim_reviewed: &claim.text,
        date_published: claim.status_since().to_string(),
        url: fact_check.map(|e| e.url.as_str()),
        author: fact_check.and_then(|e| e.author.as_deref().map(|name| Named { kind: "Organization", name })),
        review_rating: claim.rating.as_deref().map(|r| RatingOut { kind: "Rating", alternate_name: r }),
        item_reviewed: ClaimOut {
            kind: "Claim",
            author: Named { kind: type_of_kind(claim.source.kind), name: &claim.source.name },
            date_published: claim.date.to_string(),
            appearance,
        },
        additional_property: properties(claim)?,
    })
}

/// Writes claims as a JSON array of ClaimReview objects.
pub struct ClaimReviewWriter<W: Write>(json::ArrayWriter<W>);

impl<W: Write> ClaimReviewWriter<W> {
    /// An array of ClaimReview objects on `out`.
    pub fn new(out: W) -> ClaimReviewWriter<W> {
        ClaimReviewWriter(json::ArrayWriter::new(out))
    }

    /// Writes one claim.
    pub fn write(&mut self, claim: &Claim) -> Result<()> {
        self.0.write(&review(claim)?)
    }

    /// Closes the array; returns how many were written.
    pub fn finish(self) -> Result<u64> {
        let (mut out, n) = self.0.finish()?;
        out.flush()?;
        Ok(n)
    }
}

impl<W: Write> super::ClaimWriter for ClaimReviewWriter<W> {
    fn write(&mut self, claim: &Claim) -> Result<()> {
        ClaimReviewWriter::write(self, claim)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        ClaimReviewWriter::finish(*self).map(drop)
    }
}

/// Exports every claim of the database as ClaimReview objects, in id
/// order, streaming; returns how many.
pub fn export(db: &Db, out: &mut dyn Write) -> Result<u64> {
    let mut writer = ClaimReviewWriter::new(out);
    db.for_each_claim(|claim| writer.write(&claim))?;
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_types() {
        assert_eq!(local_name("https://schema.org/ClaimReview"), "ClaimReview");
        assert_eq!(local_name("schema:Person"), "Person");
        assert_eq!(kind_of_type(&["Thing", "Person"]), Kind::Person);
        for kind in Kind::ALL {
            let back = kind_of_type(&[type_of_kind(*kind)]);
            assert!(back == *kind || matches!(kind, Kind::Official | Kind::Spokesperson), "{kind}");
        }
    }

    #[test]
    fn unknown_properties_are_explained() {
        let mut claim = NewClaim::new("x", Source::new("y"), date::parse_iso("2024-01-01").unwrap());
        let err = apply_property(&mut claim, &mut Vec::new(), "anonymus", &Value::Bool(true)).unwrap_err();
        assert_eq!(err, "unknown claimdb property 'claimdb:anonymus' (did you mean 'claimdb:anonymous'?)");
    }
}
