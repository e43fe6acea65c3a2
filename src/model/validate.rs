//! Checks and normalisation of the strings users give: trimming, length
//! limits, no NUL bytes, and case-insensitive de-duplication of lists, with
//! a limit on their length.

use crate::error::{Error, Result};
use std::collections::HashSet;

/// The longest claim text, notes or evidence note accepted, in bytes.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;
/// The longest name (source, outlet, topic, rating, affiliation), in bytes.
pub const MAX_NAME_BYTES: usize = 1024;
/// The most entries a list of a claim holds (outlets, topics, evidence,
/// status changes).
pub const MAX_LIST_ITEMS: usize = 1000;

/// Fails when a list of a claim would hold more than [`MAX_LIST_ITEMS`]
/// entries; `plural` names them (`topics`).
pub fn check_list_len(plural: &str, len: usize) -> Result<()> {
    if len > MAX_LIST_ITEMS {
        return Err(Error::Input {
            message: format!("a claim may have at most {MAX_LIST_ITEMS} {plural}; this one would have {len}"),
            span: None,
            help: Some(format!("keep the {plural} that matter, or record the rest in the notes")),
        });
    }
    Ok(())
}

fn check(field: &str, value: &str, max: usize) -> Result<()> {
    if value.contains('\0') {
        return Err(Error::Input {
            message: format!("{field} contains a NUL byte"),
            span: None,
            help: Some("remove the NUL (\\0) character".into()),
        });
    }
    if value.len() > max {
        return Err(Error::Input {
            message: format!("{field} is {} bytes long; the limit is {max}", value.len()),
            span: None,
            help: Some(format!("shorten the {field}")),
        });
    }
    Ok(())
}

/// Trims a required text field and checks it is non-empty and within `max`.
pub fn clean_text(field: &str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::Input { message: format!("{field} is empty"), span: None, help: None });
    }
    check(field, value, max)?;
    Ok(value.to_string())
}

/// Trims an optional field; blank becomes `None`.
pub fn clean_optional(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => {
            check(field, v, max)?;
            Ok(Some(v.to_string()))
        }
    }
}

/// Trims every entry of a list, drops blanks and case-insensitive repeats
/// (keeping the first spelling), and refuses more than [`MAX_LIST_ITEMS`]
/// entries. Linear in the list's length, however long.
pub fn clean_list(field: &str, values: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for value in values {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        check(field, value, MAX_NAME_BYTES)?;
        if seen.insert(value.to_lowercase()) {
            out.push(value.to_string());
        }
    }
    check_list_len(&format!("{field}s"), out.len())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_lists() {
        let got = clean_list("outlet", &["Reuters".into(), " reuters ".into(), "".into(), "AFP".into()]).unwrap();
        assert_eq!(got, vec!["Reuters", "AFP"]);
    }

    #[test]
    fn long_lists_are_refused_quickly() {
        let many: Vec<String> = (0..100_000).map(|i| format!("topic {i}")).collect();
        let err = clean_list("topic", &many).unwrap_err().to_string();
        assert!(err.contains("at most 1000 topics; this one would have 100000"), "{err}");
        let repeats: Vec<String> =
            (0..100_000).map(|i| if i % 2 == 0 { "Qatar" } else { "QATAR" }.to_string()).collect();
        assert_eq!(clean_list("topic", &repeats).unwrap(), vec!["Qatar"]);
    }

    #[test]
    fn rejects_nul_and_long() {
        assert!(clean_text("text", "a\0b", 10).unwrap_err().to_string().contains("NUL"));
        let long = "x".repeat(11);
        assert!(clean_text("text", &long, 10).unwrap_err().to_string().contains("limit is 10"));
        assert!(clean_text("text", "  ", 10).is_err());
    }
}
