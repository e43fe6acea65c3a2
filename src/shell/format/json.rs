//! The `json` and `jsonl` formats. Every output becomes a list of objects:
//! `json` prints them as one JSON array (one object per line, so the output
//! is also greppable), `jsonl` one object per line. Claims are written
//! exactly as serde serialises [`Claim`], the interchange object; other
//! outputs get small objects whose keys keep a readable order.

use crate::model::Claim;
use crate::query::Output;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Value};
use std::io::{self, Write};

/// One object of the output.
pub enum Object<'a> {
    /// A claim, as the interchange format writes it.
    Claim(&'a Claim),
    /// Keys and values, in this order.
    Fields(Vec<(String, Field)>),
    /// A claim of a ranking: the claim's fields, then `score` and
    /// `similarity`.
    Ranked(&'a crate::query::article::RankedClaim),
    /// A proposal of `extract from`, in the interchange shape with its
    /// `extraction`.
    Proposal(&'a crate::query::article::ProposedClaim),
}

/// A value in an object: plain JSON, or counts that must keep their order
/// (statuses in canonical order, outlets most first), which a
/// `serde_json::Value` object would sort by key.
pub enum Field {
    /// Any JSON value.
    Json(Value),
    /// `{"name": n, …}` in this order.
    Counts(Vec<(String, u64)>),
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Json(v) => v.serialize(serializer),
            Field::Counts(pairs) => {
                let mut map = serializer.serialize_map(Some(pairs.len()))?;
                for (k, n) in pairs {
                    map.serialize_entry(k, n)?;
                }
                map.end()
            }
        }
    }
}

impl From<Value> for Field {
    fn from(v: Value) -> Field {
        Field::Json(v)
    }
}

impl Serialize for Object<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Object::Claim(c) => c.serialize(serializer),
            Object::Ranked(r) => r.serialize(serializer),
            Object::Proposal(p) => p.serialize(serializer),
            Object::Fields(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

fn fields<const N: usize>(pairs: [(&str, Field); N]) -> Object<'static> {
    Object::Fields(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// `[[name, n], …]` as `{"name": n, …}`, keeping the order.
fn counts<'a>(pairs: impl IntoIterator<Item = (&'a str, u64)>) -> Field {
    Field::Counts(pairs.into_iter().map(|(k, n)| (k.to_string(), n)).collect())
}

fn to_value<T: Serialize>(value: &T) -> Field {
    // Serialising plain data structs to a Value cannot fail (no maps with
    // non-string keys among them); null is a harmless fallback.
    Field::Json(serde_json::to_value(value).unwrap_or(Value::Null))
}

/// The objects that represent `output`.
pub fn objects(output: &Output) -> Vec<Object<'_>> {
    match output {
        Output::Claims(list) => list.iter().map(Object::Claim).collect(),
        Output::Claim(c) => vec![Object::Claim(c)],
        Output::History { id, entries } => entries
            .iter()
            .map(|h| {
                fields([
                    ("id", json!(id).into()),
                    ("status", json!(h.status).into()),
                    ("date", json!(h.date).into()),
                    ("note", json!(h.note).into()),
                    ("recorded_at", json!(h.recorded_at).into()),
                ])
            })
            .collect(),
        Output::Count(n) => vec![fields([("count", json!(n).into())])],
        Output::Groups { by, rows } => rows
            .iter()
            .map(|(value, n)| {
                Object::Fields(vec![(by.clone(), json!(value).into()), ("count".into(), json!(n).into())])
            })
            .collect(),
        Output::Sources(list) => list
            .iter()
            .map(|s| {
                fields([
                    ("name", json!(s.source.name).into()),
                    ("kind", json!(s.source.kind).into()),
                    ("anonymous", json!(s.source.anonymous).into()),
                    ("affiliation", json!(s.source.affiliation).into()),
                    ("claims", json!(s.claims).into()),
                ])
            })
            .collect(),
        Output::Records(list) => list
            .iter()
            .map(|r| {
                fields([
                    ("group", json!(r.group).into()),
                    ("name", json!(r.name).into()),
                    ("claims", json!(r.claims).into()),
                    ("ranked_by", json!(r.ranked.as_ref().map(|(l, _)| l)).into()),
                    ("ranked_share", json!(r.ranked.as_ref().and_then(|(_, s)| *s)).into()),
                    ("per_status", counts(r.per_status.iter().map(|(s, n)| (s.as_str(), *n)))),
                    ("per_rating", counts(r.per_rating.iter().map(|(s, n)| (s.as_str(), *n)))),
                    ("confirmed_share", json!(r.confirmed_share).into()),
                    ("retracted_share", json!(r.retracted_share).into()),
                    ("rated", json!(r.rated).into()),
                    ("per_leaning", counts(r.per_leaning.iter().map(|(l, n)| (l.name(), *n)))),
                    ("rated_true_share", json!(r.rated_true_share).into()),
                    ("rated_false_share", json!(r.rated_false_share).into()),
                ])
            })
            .collect(),
        Output::Pairs(list) => {
            list.iter().map(|(a, b)| fields([("claim", to_value(a)), ("other", to_value(b))])).collect()
        }
        Output::Plan(steps) => steps
            .iter()
            .enumerate()
            .map(|(i, s)| fields([("step", json!(i + 1).into()), ("text", json!(s).into())]))
            .collect(),
        Output::Added(id) => vec![fields([("added", json!(id).into())])],
        Output::Done(message) => vec![fields([("done", json!(message).into())])],
        Output::Imported(report) => vec![fields([
            ("imported", json!(report.imported).into()),
            ("rejected", json!(report.rejected.len()).into()),
            ("rejected_records", to_value(&report.rejected)),
            ("id_ranges", to_value(&report.id_ranges)),
        ])],
        Output::Stats(s) => vec![fields([
            ("claims", json!(s.claims).into()),
            ("per_status", counts(s.per_status.iter().map(|(st, n)| (st.name(), *n)))),
            ("sources", json!(s.sources).into()),
            ("per_outlet", counts(s.per_outlet.iter().map(|(o, n)| (o.as_str(), *n)))),
            ("size_on_disk", json!(s.size_on_disk).into()),
            ("next_id", json!(s.next_id).into()),
        ])],
        Output::Scale(view) => vec![fields([
            ("scale", json!(view.scale.name).into()),
            ("open", json!(view.scale.open).into()),
            (
                "grades",
                Field::Json(Value::Array(
                    view.scale
                        .grades
                        .iter()
                        .zip(&view.claims)
                        .map(|(g, n)| json!({"rating": g.name, "also": g.also, "leaning": g.leaning, "claims": n}))
                        .collect(),
                )),
            ),
            (
                "off_scale",
                Field::Json(Value::Array(
                    view.off_scale.iter().map(|(r, n)| json!({"rating": r, "claims": n})).collect(),
                )),
            ),
        ])],
        Output::Check(report) => vec![fields([
            ("ok", json!(report.is_ok()).into()),
            ("claims", json!(report.claims).into()),
            ("sources", json!(report.sources).into()),
            ("index_entries", json!(report.index_entries).into()),
            ("links", json!(report.links).into()),
            ("problems", json!(report.problems).into()),
        ])],
        Output::Ranked(r) => r.claims.iter().map(Object::Ranked).collect(),
        Output::Proposals(list) => list.proposals.iter().map(Object::Proposal).collect(),
        Output::ArticleImported(r) => r
            .entries
            .iter()
            .map(|e| {
                Object::Fields(vec![
                    ("file".into(), json!(r.file).into()),
                    ("proposal".into(), json!(e.proposal).into()),
                    ("outcome".into(), json!(e.outcome).into()),
                    ("claim".into(), json!(e.claim).into()),
                    ("similarity".into(), json!(e.similarity).into()),
                    ("outlets_added".into(), json!(e.outlets_added).into()),
                    ("text".into(), json!(e.text).into()),
                ])
            })
            .collect(),
        Output::AddedNearDuplicate { id, duplicates } => vec![fields([
            ("added", json!(id).into()),
            (
                "near_duplicates",
                json!(duplicates.iter().map(|(d, s)| json!({"claim": d, "similarity": s})).collect::<Vec<_>>()).into(),
            ),
        ])],
    }
}

fn io_error(e: serde_json::Error) -> io::Error {
    io::Error::other(e)
}

/// Appends one claim as a JSON object (no newline), as the interchange
/// format writes it.
pub fn write_claim(out: &mut Vec<u8>, claim: &Claim) -> crate::Result<()> {
    serde_json::to_writer(out, claim).map_err(|e| crate::errio!("cannot write claim #{} as JSON: {e}", claim.id))
}

/// Writes `output` as a JSON array, one object per line.
pub fn write_array(out: &mut dyn Write, output: &Output) -> io::Result<()> {
    let objects = objects(output);
    if objects.is_empty() {
        return out.write_all(b"[]\n");
    }
    out.write_all(b"[\n")?;
    for (i, object) in objects.iter().enumerate() {
        serde_json::to_writer(&mut *out, object).map_err(io_error)?;
        out.write_all(if i + 1 < objects.len() { b",\n" } else { b"\n" })?;
    }
    out.write_all(b"]\n")
}

/// Writes `output` as JSON lines.
pub fn write_lines(out: &mut dyn Write, output: &Output) -> io::Result<()> {
    for object in objects(output) {
        serde_json::to_writer(&mut *out, &object).map_err(io_error)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::format::table::tests::sample_claim;

    fn array(output: &Output) -> Value {
        let mut out = Vec::new();
        write_array(&mut out, output).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn claims_are_written_exactly_as_serde_does() {
        let claim = sample_claim(3, "text");
        let mut out = Vec::new();
        write_array(&mut out, &Output::Claims(vec![claim.clone()].into())).unwrap();
        let expected = format!("[\n{}\n]\n", serde_json::to_string(&claim).unwrap());
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn counts_and_groups_have_the_documented_shape() {
        assert_eq!(array(&Output::Count(7)), json!([{"count": 7}]));
        let groups = Output::Groups { by: "status".into(), rows: vec![(Some("disputed".into()), 3)] };
        assert_eq!(array(&groups), json!([{"status": "disputed", "count": 3}]));
        let stats = Output::Stats(crate::Stats {
            claims: 3,
            per_status: vec![(crate::Status::Unverified, 2), (crate::Status::Disputed, 1)],
            sources: 1,
            per_outlet: vec![("reuters".into(), 3), ("afp".into(), 1)],
            size_on_disk: 10,
            next_id: 4,
        });
        let mut out = Vec::new();
        write_lines(&mut out, &stats).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\"per_status\":{\"unverified\":2,\"disputed\":1}"), "{text}");
        assert!(text.contains("\"per_outlet\":{\"reuters\":3,\"afp\":1}"));
        let mut out = Vec::new();
        write_lines(&mut out, &groups).unwrap();
        assert_eq!(out, b"{\"status\":\"disputed\",\"count\":3}\n");
    }

    #[test]
    fn empty_lists_are_empty_arrays() {
        assert_eq!(array(&Output::Claims(vec![].into())), json!([]));
        let mut out = Vec::new();
        write_lines(&mut out, &Output::Claims(vec![].into())).unwrap();
        assert!(out.is_empty());
    }

    #[test]
    fn jsonl_writes_one_claim_per_line() {
        let list = vec![sample_claim(1, "a"), sample_claim(2, "b")];
        let mut out = Vec::new();
        write_lines(&mut out, &Output::Claims(list.into())).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 2);
        for line in text.lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["source"]["name"], "US officials");
        }
    }
}
