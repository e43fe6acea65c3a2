//! Writing statements: adding and changing claims, evidence, relations,
//! deletion, import and export.

use super::error::{Expected, PError, PResult};
use super::lexeme::{at_end, claim_ref, cut_err, date, kind_strict, kw, name, name_list, status, string, sym, ws};
use super::read::clauses;
use crate::interchange::csv::{CsvField, CsvMapping, DateOrder, FieldMap, ValueFrom};
use crate::interchange::Format;
use crate::model::{Kind, Relation, Status};
use crate::query::ast::{AddClaim, Edit, Import, ImportFormat, Query, Statement};
use std::path::PathBuf;

/// `add claim "TEXT" by SOURCE [as [anonymous] KIND] [of AFFILIATION]
/// [via OUTLET, …] on DATE [about TOPIC, …] [status STATUS] [rated RATING]
/// [notes "…"]`, the clauses after the text in any order.
fn add_claim(input: &str) -> PResult<'_, Statement> {
    let (i, _) = kw("claim")(input)?;
    let (mut i, text) = cut_err(|i| {
        string(i).map_err(|e| e.map(|e| PError { expected: vec![Expected::Thing("the claim's text in quotes")], ..e }))
    })(i)?;
    let mut add = AddClaim {
        text,
        source: String::new(),
        kind: Kind::Unknown,
        anonymous: false,
        affiliation: None,
        outlets: Vec::new(),
        date: chrono::NaiveDate::MIN,
        topics: Vec::new(),
        status: Status::Unverified,
        rating: None,
        notes: None,
    };
    let mut seen: Vec<&'static str> = Vec::new();
    while !at_end(i) {
        let at = ws(i);
        let word = ["by", "as", "of", "via", "on", "about", "status", "rated", "notes"]
            .into_iter()
            .find(|w| kw(w)(at).is_ok());
        let Some(word) = word else {
            let mut e = PError::expected(at, Expected::Keyword("by"));
            for k in ["as", "of", "via", "on", "about", "status", "rated", "notes"] {
                e.expected.push(Expected::Keyword(k));
            }
            return e.cut();
        };
        if seen.contains(&word) {
            return PError::message(at, word.len(), format!("'{word}' is given twice")).cut();
        }
        seen.push(word);
        let (rest, _) = kw(word)(at)?;
        i = match word {
            "by" => {
                let (r, v) = cut_err(name("the source's name, like Reuters or \"US officials\""))(rest)?;
                add.source = v;
                r
            }
            "as" => {
                let (r, anonymous) = match kw("anonymous")(rest) {
                    Ok((r, _)) => (r, true),
                    Err(_) => (rest, false),
                };
                let (r, kind) =
                    if anonymous && at_clause_end(r) { (r, Kind::Unknown) } else { cut_err(kind_strict)(r)? };
                add.anonymous = anonymous;
                add.kind = kind;
                r
            }
            "of" => {
                let (r, v) = cut_err(name("an affiliation, like US or Qatar"))(rest)?;
                add.affiliation = Some(v);
                r
            }
            "via" => {
                let (r, v) = cut_err(name_list("an outlet, like Reuters"))(rest)?;
                add.outlets = v;
                r
            }
            "on" => {
                let (r, d) = cut_err(date)(rest)?;
                add.date = d;
                r
            }
            "about" => {
                let (r, v) = cut_err(name_list("a topic"))(rest)?;
                add.topics = v;
                r
            }
            "status" => {
                let (r, s) = cut_err(status)(rest)?;
                add.status = s;
                r
            }
            "rated" => {
                let (r, v) = cut_err(name("a rating, like \"half-true\""))(rest)?;
                add.rating = Some(v);
                r
            }
            _ => {
                let (r, v) = cut_err(string)(rest)?;
                add.notes = Some(v);
                r
            }
        };
    }
    for (needed, what) in [("by", "by SOURCE"), ("on", "on DATE")] {
        if !seen.contains(&needed) {
            return PError::message(ws(i), 0, format!("a new claim needs '{what}'"))
                .help("e.g. add claim \"…\" by \"US officials\" as anonymous official on 2024-11-09")
                .cut();
        }
    }
    Ok((i, Statement::Add(add)))
}

/// Whether the next word ends an `as` clause without a kind (`as anonymous`
/// followed by another clause or the end).
fn at_clause_end(i: &str) -> bool {
    at_end(i) || ["by", "of", "via", "on", "about", "status", "rated", "notes"].iter().any(|w| kw(w)(i).is_ok())
}

/// `add …` statements.
pub fn add<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |input| {
        let (i, _) = kw("add")(input)?;
        if kw("claim")(i).is_ok() {
            return add_claim(i);
        }
        if let Ok((rest, _)) = kw("evidence")(i) {
            let (rest, url) = cut_err(string)(rest)?;
            let (rest, note) = match kw("note")(rest) {
                Ok((r, _)) => {
                    let (r, n) = cut_err(string)(r)?;
                    (r, Some(n))
                }
                Err(_) => (rest, None),
            };
            let (rest, _) = cut_err(kw("to"))(rest)?;
            let (rest, id) = cut_err(claim_ref(full))(rest)?;
            return Ok((rest, Statement::AddEvidence { id, url, note }));
        }
        for (words, make) in [
            (["outlets", "outlet"], Edit::AddOutlets as fn(Vec<String>) -> Edit),
            (["topics", "topic"], Edit::AddTopics),
        ] {
            if let Some(rest) = words.iter().find_map(|w| kw(w)(i).ok().map(|(r, _)| r)) {
                let (rest, list) = cut_err(name_list("a name"))(rest)?;
                let (rest, _) = cut_err(kw("to"))(rest)?;
                let (rest, id) = cut_err(claim_ref(full))(rest)?;
                return Ok((rest, Statement::Edit { id, edit: make(list) }));
            }
        }
        let mut e = PError::expected(ws(i), Expected::Keyword("claim"));
        e.expected.extend([Expected::Keyword("evidence"), Expected::Keyword("outlet"), Expected::Keyword("topic")]);
        e.cut()
    }
}

/// `remove outlet X from claim N`, `remove topic X from claim N`.
pub fn remove<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |input| {
        let (i, _) = kw("remove")(input)?;
        for (words, make) in [
            (["outlets", "outlet"], Edit::RemoveOutlets as fn(Vec<String>) -> Edit),
            (["topics", "topic"], Edit::RemoveTopics),
        ] {
            if let Some(rest) = words.iter().find_map(|w| kw(w)(i).ok().map(|(r, _)| r)) {
                let (rest, list) = cut_err(name_list("a name"))(rest)?;
                let (rest, _) = cut_err(kw("from"))(rest)?;
                let (rest, id) = cut_err(claim_ref(full))(rest)?;
                return Ok((rest, Statement::Edit { id, edit: make(list) }));
            }
        }
        let mut e = PError::expected(ws(i), Expected::Keyword("outlet"));
        e.expected.push(Expected::Keyword("topic"));
        e.cut()
    }
}

/// `set status|text|date|notes|rating|source of claim N to …`.
pub fn set<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |input| {
        let (i, _) = kw("set")(input)?;
        let fields = ["status", "text", "date", "notes", "rating", "source"];
        let Some((i, field)) = fields.iter().find_map(|f| kw(f)(i).ok().map(|(r, _)| (r, *f))) else {
            let mut e = PError::expected(ws(i), Expected::Keyword("status"));
            e.expected.extend(fields[1..].iter().map(|f| Expected::Keyword(f)));
            return e.cut();
        };
        let (i, _) = cut_err(kw("of"))(i)?;
        let (i, id) = cut_err(claim_ref(full))(i)?;
        let (i, _) = cut_err(kw("to"))(i)?;
        let (i, statement) = match field {
            "status" => {
                let (i, s) = cut_err(status)(i)?;
                let (i, on) = match kw("on")(i) {
                    Ok((r, _)) => cut_err(date)(r).map(|(r, d)| (r, Some(d)))?,
                    Err(_) => (i, None),
                };
                let (i, note) = match kw("because")(i) {
                    Ok((r, _)) => cut_err(string)(r).map(|(r, n)| (r, Some(n)))?,
                    Err(_) => (i, None),
                };
                (i, Statement::SetStatus { id, status: s, date: on, note })
            }
            "text" => cut_err(string)(i).map(|(r, t)| (r, Statement::Edit { id, edit: Edit::Text(t) }))?,
            "date" => cut_err(date)(i).map(|(r, d)| (r, Statement::Edit { id, edit: Edit::Date(d) }))?,
            "notes" => cut_err(string)(i).map(|(r, t)| (r, Statement::Edit { id, edit: Edit::Notes(Some(t)) }))?,
            "rating" => {
                cut_err(name("a rating"))(i).map(|(r, t)| (r, Statement::Edit { id, edit: Edit::Rating(Some(t)) }))?
            }
            _ => {
                let (i, source) = cut_err(name("the source's name"))(i)?;
                let (i, (kind, anonymous)) = match kw("as")(i) {
                    Ok((r, _)) => {
                        let (r, anonymous) = match kw("anonymous")(r) {
                            Ok((r, _)) => (r, true),
                            Err(_) => (r, false),
                        };
                        let (r, kind) = if anonymous && (at_end(r) || kw("of")(r).is_ok()) {
                            (r, Kind::Unknown)
                        } else {
                            cut_err(kind_strict)(r)?
                        };
                        (r, (kind, anonymous))
                    }
                    Err(_) => (i, (Kind::Unknown, false)),
                };
                let (i, affiliation) = match kw("of")(i) {
                    Ok((r, _)) => cut_err(name("an affiliation"))(r).map(|(r, a)| (r, Some(a)))?,
                    Err(_) => (i, None),
                };
                (i, Statement::Edit { id, edit: Edit::Source { name: source, kind, anonymous, affiliation } })
            }
        };
        Ok((i, statement))
    }
}

/// `rate claim N "RATING"`.
pub fn rate<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |input| {
        let (i, _) = kw("rate")(input)?;
        let (i, id) = cut_err(claim_ref(full))(i)?;
        let (i, rating) = cut_err(name("a rating, like \"half-true\""))(i)?;
        Ok((i, Statement::Edit { id, edit: Edit::Rating(Some(rating)) }))
    }
}

/// `clear rating of claim N`, `clear notes of claim N`.
pub fn clear<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |input| {
        let (i, _) = kw("clear")(input)?;
        let (i, edit) = if let Ok((r, _)) = kw("rating")(i) {
            (r, Edit::Rating(None))
        } else if let Ok((r, _)) = kw("notes")(i) {
            (r, Edit::Notes(None))
        } else {
            let mut e = PError::expected(ws(i), Expected::Keyword("rating"));
            e.expected.push(Expected::Keyword("notes"));
            return e.cut();
        };
        let (i, _) = cut_err(kw("of"))(i)?;
        let (i, id) = cut_err(claim_ref(full))(i)?;
        Ok((i, Statement::Edit { id, edit }))
    }
}

/// `link claim N RELATION claim M`, `unlink …`.
pub fn link<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |input| {
        let (i, remove) = match kw("link")(input) {
            Ok((r, _)) => (r, false),
            Err(_) => {
                let (r, _) = kw("unlink")(input)?;
                (r, true)
            }
        };
        let (i, from) = cut_err(claim_ref(full))(i)?;
        let at = ws(i);
        let Some((i, relation)) = Relation::ALL.iter().find_map(|r| kw(r.name())(at).ok().map(|(rest, _)| (rest, *r)))
        else {
            let mut e = PError::expected(at, Expected::Keyword("supports"));
            e.expected.extend(Relation::ALL[1..].iter().map(|r| Expected::Keyword(r.name())));
            return e.cut();
        };
        let (i, to) = cut_err(claim_ref(full))(i)?;
        Ok((i, Statement::Link { from, relation, to, remove }))
    }
}

/// `delete claim N`.
pub fn delete<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |input| {
        let (i, _) = kw("delete")(input)?;
        let (i, id) = cut_err(claim_ref(full))(i)?;
        Ok((i, Statement::Delete(id)))
    }
}

/// `import [jsonl|json|csv|claimreview] "FILE" [map …] [dates day-first]
/// [delimiter ";"] [skip bad]`: the format named, else the one the file's
/// extension implies ([`Format::for_import`]). A CSV file without `map` must
/// be claimdb's own export (the importer checks its header).
pub fn import(input: &str) -> PResult<'_, Statement> {
    let (i, _) = kw("import")(input)?;
    let (i, named) = if let Ok((r, _)) = kw("jsonl")(i) {
        (r, Some(Format::Jsonl))
    } else if let Ok((r, _)) = kw("json")(i) {
        (r, Some(Format::Json))
    } else if let Ok((r, _)) = kw("csv")(i) {
        (r, Some(Format::Csv))
    } else if let Ok((r, _)) = kw("claimreview")(i) {
        (r, Some(Format::ClaimReview))
    } else {
        (i, None)
    };
    let (mut i, path) = cut_err(|i| {
        string(i).map_err(|e| e.map(|e| PError { expected: vec![Expected::Thing("a file name in quotes")], ..e }))
    })(i)?;
    let path = PathBuf::from(path);
    let format = Format::for_import(named, &path);
    let csv = format == Format::Csv;
    let mut mapping = CsvMapping::for_file(&path);
    let mut skip_bad = false;
    while !at_end(i) {
        if let Ok((r, _)) = kw("skip")(i) {
            let (r, _) = cut_err(kw("bad"))(r)?;
            skip_bad = true;
            i = r;
        } else if csv && kw("map")(i).is_ok() {
            let (r, fields) = csv_map(kw("map")(i)?.0)?;
            mapping.fields = fields;
            i = r;
        } else if csv && kw("dates")(i).is_ok() {
            let (r, _) = kw("dates")(i)?;
            let (r, order) = if let Ok((r, _)) = kw("day-first")(r) {
                (r, DateOrder::DayFirst)
            } else if let Ok((r, _)) = kw("month-first")(r) {
                (r, DateOrder::MonthFirst)
            } else {
                let mut e = PError::expected(ws(r), Expected::Keyword("day-first"));
                e.expected.push(Expected::Keyword("month-first"));
                return e.cut();
            };
            mapping.date_order = Some(order);
            i = r;
        } else if csv && kw("delimiter")(i).is_ok() {
            let (r, _) = kw("delimiter")(i)?;
            let at = ws(r);
            let (r, d) = cut_err(string)(r)?;
            let d = if d == "\\t" { "\t".to_string() } else { d };
            if d.len() != 1 {
                return PError::message(at, at.len() - r.len(), "the delimiter must be a single character").cut();
            }
            mapping.delimiter = d.as_bytes()[0];
            i = r;
        } else {
            let mut e = PError::expected(ws(i), Expected::Keyword("skip"));
            if csv {
                e.expected.extend([
                    Expected::Keyword("map"),
                    Expected::Keyword("dates"),
                    Expected::Keyword("delimiter"),
                ]);
            }
            return e.cut();
        }
    }
    // Without a mapping, a CSV file must be claimdb's own export: the
    // importer checks its header.
    let format = match format {
        Format::Csv => ImportFormat::Csv(mapping),
        Format::Jsonl => ImportFormat::Jsonl,
        Format::Json => ImportFormat::Json,
        Format::ClaimReview => ImportFormat::ClaimReview,
    };
    Ok((i, Statement::Import(Import { path, format, skip_bad })))
}

/// `FIELD = SOURCE [split "SEP"] [(CODE = VALUE, …)], …`: a bare word is a
/// column, `column "…"` a column with spaces, a quoted string a constant.
fn csv_map(input: &str) -> PResult<'_, Vec<FieldMap>> {
    let mut fields = Vec::new();
    let mut i = input;
    loop {
        let at = ws(i);
        let (r, word) = cut_err(super::lexeme::bare_word)(at)
            .map_err(|_| nom::Err::Failure(PError::expected(at, Expected::Thing("a claim field, like text"))))?;
        let Some(field) = CsvField::parse(word) else {
            let names = CsvField::NAMES.iter().map(|(_, n)| *n);
            let help = match crate::model::closest(word, names) {
                Some(near) => format!("did you mean '{near}'?"),
                None => format!("fields are: {}", CsvField::NAMES.map(|(_, n)| n).join(", ")),
            };
            return PError::message(at, word.len(), format!("'{word}' is not a claim field")).help(help).cut();
        };
        if fields.iter().any(|f: &FieldMap| f.field == field) {
            return PError::message(at, word.len(), format!("'{word}' is mapped twice")).cut();
        }
        let (r, _) = cut_err(sym("=", "'='"))(r)?;
        let value_at = ws(r);
        let (mut r, from) = if let Ok((r2, _)) = kw("column")(r) {
            let (r2, c) = cut_err(string)(r2)?;
            (r2, ValueFrom::Column(c))
        } else if value_at.starts_with('"') {
            let (r2, c) = string(r)?;
            (r2, ValueFrom::Constant(c))
        } else {
            // Any bare word names a column here, keywords too (`status = status`).
            let (r2, c) = super::lexeme::bare_word(r).map_err(|_| {
                nom::Err::Failure(PError::expected(value_at, Expected::Thing("a column name, or a \"constant\"")))
            })?;
            (r2, ValueFrom::Column(c.to_string()))
        };
        let mut map = FieldMap { field, from, split: None, values: Vec::new() };
        if let Ok((r2, _)) = kw("split")(r) {
            let (r2, sep) = cut_err(string)(r2)?;
            map.split = Some(sep);
            r = r2;
        }
        if let Ok((mut r2, _)) = sym("(", "'('")(r) {
            loop {
                let (r3, code) = cut_err(name("a value in the file"))(r2)?;
                let (r3, _) = cut_err(sym("=", "'='"))(r3)?;
                let (r3, value) = cut_err(name("the value to use"))(r3)?;
                map.values.push((code, value));
                if let Ok((r4, _)) = sym(",", "','")(r3) {
                    r2 = r4;
                    continue;
                }
                let (r4, _) = cut_err(sym(")", "')'"))(r3)?;
                r = r4;
                break;
            }
        }
        fields.push(map);
        match sym(",", "','")(r) {
            Ok((r2, _)) => i = r2,
            Err(_) => return Ok((r, fields)),
        }
    }
}

/// `export [claims CLAUSES] to "FILE"`.
pub fn export<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |input| {
        let (i, _) = kw("export")(input)?;
        let (i, query) = match kw("claims")(i) {
            Ok((r, _)) => {
                let (r, (query, _)) = clauses(full, false, true)(r)?;
                (r, query)
            }
            Err(_) => (i, Query::default()),
        };
        let (i, _) = cut_err(|i| {
            kw("to")(i)
                .map_err(|e| e.map(|e| PError { message: Some("expected 'to \"FILE\"' at the end".into()), ..e }))
        })(i)?;
        let (i, path) = cut_err(string)(i)?;
        Ok((i, Statement::Export { query, path: PathBuf::from(path) }))
    }
}
