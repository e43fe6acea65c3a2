//! The attribution extractor against the gold sets in tests/data/articles/
//! (format: tests/data/articles/README.md).
//!
//! For each set (`dev`, `heldout`), every `NAME.txt` with a `NAME.gold.json`
//! is extracted through the library (as `extract from` will) and its
//! proposals are matched one to one with the gold attributions: a proposal
//! matches when the content words overlap by at least half both ways and
//! the source agrees (shares a content word with the gold source, ignoring
//! articles and case; a pronoun counts by the name it was resolved to, and
//! a mention resolved to an earlier one, like "the statement", also by its
//! own words).
//! Affiliations compare after normalising case, dots and a leading "the",
//! through the gazetteer's short names ("United States" = "US"); an
//! acronym equals the name it abbreviates ("NAO", "National Audit Office"),
//! a short form the full name it begins or ends ("Ostwald", "Ostwald AG"),
//! and a plural its singular ("Conservatives"). A body whose affiliation is
//! exactly itself (its name, or the short name it gives in brackets) counts
//! as having none, in the proposal and in the gold alike.
//! Printed per set: precision and recall on explicit-cue attributions (a
//! proposal matching a non-explicit one is not a false positive), and the
//! accuracy of anonymous, affiliation and outlets (also kind, quote, and
//! the article date) on matched pairs.
//!
//! `cargo test --test extract_gold -- --nocapture` prints the figures;
//! `EXTRACT_SHOW=1` adds every miss and unmatched proposal per dev article
//! (never for the held-out set, which is only reported in aggregate);
//! `EXTRACT_SHOW=NAME` prints the proposals of the dev article NAME as
//! `add claim` statements; `EXTRACT_GOLD_DIR=DIR` scores `DIR/dev` and
//! `DIR/heldout` instead of the bundled sets. The dev set must stay above
//! the floors below (a little under the figures reached); the held-out set
//! is reported against the targets and fails only with
//! EXTRACT_HELDOUT_STRICT=1.

mod common;

use claimdb::extract::{self, gazetteer, ExtractOptions, Extraction, Proposal};
use claimdb::model::date::parse_iso;
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Floors on the dev set, a little under what it reaches (precision 0.956,
/// recall 0.932, anonymous 0.983, affiliation 0.881, outlets 0.970 on 161
/// articles, 2,463 gold attributions): a regression below these fails the
/// test.
const FLOOR_PRECISION: f64 = 0.950;
const FLOOR_RECALL: f64 = 0.925;
const FLOOR_ANONYMOUS: f64 = 0.975;
const FLOOR_AFFILIATION: f64 = 0.875;
const FLOOR_OUTLETS: f64 = 0.965;

/// The targets, against which the held-out set is reported.
const TARGET_PRECISION: f64 = 0.90;
const TARGET_RECALL: f64 = 0.80;
const TARGET_ANONYMOUS: f64 = 0.95;
const TARGET_AFFILIATION: f64 = 0.85;
const TARGET_OUTLETS: f64 = 0.85;

#[derive(Deserialize)]
struct Gold {
    article: String,
    date: Option<String>,
    #[allow(dead_code)]
    publisher: Option<String>,
    attributions: Vec<GoldAttribution>,
}

#[derive(Deserialize, Clone)]
struct GoldAttribution {
    content: String,
    source: String,
    /// `null` (or `""`) for an attribution with no cue (`explicit: false`).
    #[allow(dead_code)]
    cue: Option<String>,
    quote: String,
    explicit: bool,
    kind: String,
    anonymous: bool,
    affiliation: Option<String>,
    outlets: Vec<String>,
}

const STOPWORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "with", "by", "and", "or", "but", "from", "that", "this",
    "is", "was", "were", "be", "been", "are", "it", "its", "as", "had", "has", "have", "will", "would", "s", "which",
    "who", "their", "there", "they", "he", "she", "his", "her", "we", "our", "not", "than", "so",
];

/// The content words of a text: lower-case letters and digits, without
/// stop words, plurals folded ("diplomats" = "diplomat"). An acronym is
/// never a stop word ("the WHO").
fn content_words(text: &str) -> HashSet<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(['\'', '’']))
        .map(|w| (w.len() >= 2 && w.chars().all(|c| c.is_uppercase()), w.to_lowercase()))
        .map(|(acronym, w)| {
            (acronym, w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")).map(str::to_string).unwrap_or(w))
        })
        .filter(|(acronym, w)| !w.is_empty() && (*acronym || !STOPWORDS.contains(&w.as_str())))
        .map(|(_, w)| w)
        .map(|w| if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") { w[..w.len() - 1].to_string() } else { w })
        .collect()
}

/// How well a proposal's content covers a gold content: the smaller of the
/// two overlaps, or `None` below one half either way.
fn overlap(proposal: &str, gold: &str) -> Option<f64> {
    let p = content_words(proposal);
    let g = content_words(gold);
    if p.is_empty() || g.is_empty() {
        return None;
    }
    let both = p.intersection(&g).count() as f64;
    let (a, b) = (both / g.len() as f64, both / p.len() as f64);
    (a >= 0.5 && b >= 0.5).then_some(a.min(b))
}

fn source_agrees(p: &Proposal, gold: &str) -> bool {
    let g = content_words(gold);
    let names = [
        Some(p.claim.source.name.as_str()),
        p.claim.source.description.as_deref(),
        p.record.source_as_written.as_deref(),
    ];
    names.iter().flatten().any(|n| !content_words(n).is_disjoint(&g))
}

fn norm_affiliation(a: &Option<String>) -> Option<String> {
    let a = a.as_deref()?.trim();
    let g = gazetteer::get();
    let canonical = g.affiliation(a).map(str::to_string).unwrap_or_else(|| a.to_string());
    Some(canonical.to_lowercase().replace(['.', '’'], "").replace('\'', "").trim_start_matches("the ").to_string())
}

/// Whether a proposal's affiliation agrees with the gold one, each taken
/// with its own source: a body that speaks for itself ("DashCart said",
/// affiliation `DashCart`) says as much with its own name as with `null`,
/// so both count as no affiliation. Only the body's exact name or its
/// bracketed short name counts as itself: "IMF mission chief Helena Varga"
/// with `IMF` keeps its affiliation.
fn same_affiliation_of(p_source: &str, p: &Option<String>, g_source: &str, g: &Option<String>) -> bool {
    let own = |source: &str, aff: &Option<String>| aff.clone().filter(|a| !is_itself(source, a));
    same_affiliation(p, g) || same_affiliation(&own(p_source, p), &own(g_source, g))
}

/// Whether `aff` is the source's own name: the source past a leading
/// article, or the short name it gives in brackets ("The Northern Nurses'
/// Union (NNU)" and `NNU`).
fn is_itself(source: &str, aff: &str) -> bool {
    let name = source.trim();
    let name = ["the ", "The ", "a ", "A ", "an ", "An "].iter().find_map(|p| name.strip_prefix(p)).unwrap_or(name);
    let (full, short) = match name.strip_suffix(')').and_then(|n| n.rsplit_once(" (")) {
        Some((full, short)) => (full, Some(short)),
        None => (name, None),
    };
    let norm = |s: &str| norm_affiliation(&Some(s.to_string()));
    norm(aff) == norm(full) || short.is_some_and(|s| norm(aff) == norm(s))
}

/// Whether two affiliations name the same body: equal once normalised, one
/// the other's initials ("NAO" for "National Audit Office"), a short form
/// that begins or ends the full name, or a plural of the other (words
/// compared without their punctuation).
fn same_affiliation(a: &Option<String>, b: &Option<String>) -> bool {
    let (na, nb) = (norm_affiliation(a), norm_affiliation(b));
    if na == nb {
        return true;
    }
    let initials = |s: &str| -> String {
        s.split_whitespace()
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .filter_map(|w| w.chars().next())
            .collect()
    };
    match (a, b) {
        (Some(x), Some(y)) => {
            let acronym = |short: &str, long: &str| {
                short.len() >= 2 && short.chars().all(char::is_uppercase) && initials(long) == short
            };
            // "Ostwald" and "Ostwald AG": a short form that begins or ends
            // the full name.
            let words = |s: &str| -> Vec<String> {
                s.split_whitespace()
                    .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
                    .filter(|w| !matches!(w.as_str(), "the" | "a" | "an"))
                    .collect()
            };
            let part = |short: &[String], long: &[String]| {
                !short.is_empty() && short.len() < long.len() && (long.starts_with(short) || long.ends_with(short))
            };
            let (wx, wy) = (words(x), words(y));
            // "Conservative" and "Conservatives": one party.
            let singular = |ws: &[String]| -> Vec<String> {
                ws.iter()
                    .map(|w| if w.len() > 4 { w.strip_suffix('s').unwrap_or(w).to_string() } else { w.clone() })
                    .collect()
            };
            acronym(x, y) || acronym(y, x) || part(&wx, &wy) || part(&wy, &wx) || singular(&wx) == singular(&wy)
        }
        _ => false,
    }
}

fn norm_outlets(list: &[String]) -> Vec<String> {
    let g = gazetteer::get();
    let mut out: Vec<String> = list.iter().map(|o| g.outlet(o).unwrap_or(o).to_lowercase()).collect();
    out.sort();
    out.dedup();
    out
}

#[derive(Default)]
struct Tally {
    articles: usize,
    gold: usize,
    explicit: usize,
    proposals: usize,
    true_positive: usize,
    false_positive: usize,
    false_negative: usize,
    matched: usize,
    anonymous: usize,
    affiliation: usize,
    outlets: usize,
    kind: usize,
    quote: usize,
    dates: usize,
    dates_right: usize,
    /// Affiliation errors by shape: none where the gold has one, one where
    /// the gold has none, a different one.
    affiliation_missing: usize,
    affiliation_extra: usize,
    affiliation_other: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

impl Tally {
    fn precision(&self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_positive)
    }
    fn recall(&self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_negative)
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn anonymous(&self) -> f64 {
        ratio(self.anonymous, self.matched)
    }
    fn affiliation(&self) -> f64 {
        ratio(self.affiliation, self.matched)
    }
    fn outlets(&self) -> f64 {
        ratio(self.outlets, self.matched)
    }
}

/// The directory of a set: under tests/data/articles, or under
/// `EXTRACT_GOLD_DIR` when set (to score other gold sets the same way).
fn articles_dir(set: &str) -> PathBuf {
    match std::env::var_os("EXTRACT_GOLD_DIR") {
        Some(dir) => PathBuf::from(dir).join(set),
        None => common::repo_file("tests/data/articles").join(set),
    }
}

/// The gold files of a set, sorted by name.
fn gold_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".gold.json"))
        .collect();
    files.sort();
    files
}

/// Extracts an article as `extract from` would, and reports whether the
/// date it read agrees with the gold (a missing date must be an error).
fn run(path: &Path, gold_date: Option<&str>) -> (Extraction, bool) {
    let bytes = std::fs::read(path).expect("read article");
    let name = path.display().to_string();
    match gold_date {
        Some(d) => {
            let day = parse_iso(d).expect("gold date");
            match extract::extract_bytes(&name, &bytes, &ExtractOptions::default()) {
                Ok(x) => {
                    let right = x.date == Some(day) || x.proposals.is_empty();
                    (x, right)
                }
                Err(_) => {
                    let opts = ExtractOptions { dated: Some(day), via: Vec::new() };
                    (extract::extract_bytes(&name, &bytes, &opts).expect("extract with a date"), false)
                }
            }
        }
        None => {
            let undated = extract::extract_bytes(&name, &bytes, &ExtractOptions::default());
            let right = match &undated {
                Err(e) => e.to_string().contains("no date"),
                Ok(x) => x.proposals.is_empty(),
            };
            let opts = ExtractOptions { dated: Some(parse_iso("2000-01-01").unwrap()), via: Vec::new() };
            (extract::extract_bytes(&name, &bytes, &opts).expect("extract with a date"), right)
        }
    }
}

fn score_set(set: &str, report: &mut String) -> Option<Tally> {
    let dir = articles_dir(set);
    let files = gold_files(&dir);
    if files.is_empty() {
        let _ = writeln!(report, "{set}: no articles in {}", dir.display());
        return None;
    }
    // Per-article details are printed for the dev set only: the held-out
    // set is written blind and must never be tuned on, so only its
    // aggregate figures are shown.
    let show = if set == "dev" { std::env::var("EXTRACT_SHOW").unwrap_or_default() } else { String::new() };
    let mut t = Tally::default();
    for gold_path in files {
        let gold: Gold = serde_json::from_str(&std::fs::read_to_string(&gold_path).expect("read gold"))
            .unwrap_or_else(|e| panic!("{}: {e}", gold_path.display()));
        let path = dir.join(&gold.article);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for g in &gold.attributions {
            assert!(text.contains(&g.content), "{}: gold content not in the text: {:?}", gold.article, g.content);
            assert!(text.contains(&g.source), "{}: gold source not in the text: {:?}", gold.article, g.source);
        }
        let (x, date_right) = run(&path, gold.date.as_deref());
        t.articles += 1;
        t.dates += 1;
        t.dates_right += usize::from(date_right);
        t.gold += gold.attributions.len();
        t.explicit += gold.attributions.iter().filter(|g| g.explicit).count();
        t.proposals += x.proposals.len();
        // Every candidate pair, best overlap first, matched one to one.
        let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
        for (i, p) in x.proposals.iter().enumerate() {
            let content: String = chars(&text, p.record.span.start, p.record.span.end);
            for (j, g) in gold.attributions.iter().enumerate() {
                if let Some(score) = overlap(&content, &g.content) {
                    if source_agrees(p, &g.source) {
                        pairs.push((score, i, j));
                    }
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut p_used = vec![false; x.proposals.len()];
        let mut g_used = vec![false; gold.attributions.len()];
        let mut notes = String::new();
        for (_, i, j) in pairs {
            if p_used[i] || g_used[j] {
                continue;
            }
            p_used[i] = true;
            g_used[j] = true;
            let (p, g) = (&x.proposals[i], &gold.attributions[j]);
            if g.explicit {
                t.true_positive += 1;
            }
            t.matched += 1;
            let checks = [
                ("anonymous", p.claim.source.anonymous == g.anonymous, &mut t.anonymous),
                (
                    "affiliation",
                    same_affiliation_of(&p.claim.source.name, &p.claim.source.affiliation, &g.source, &g.affiliation),
                    &mut t.affiliation,
                ),
                ("outlets", norm_outlets(&p.record.outlets_in_text) == norm_outlets(&g.outlets), &mut t.outlets),
                ("kind", p.claim.source.kind.name() == g.kind, &mut t.kind),
                ("quote", p.record.quote.name() == g.quote, &mut t.quote),
            ];
            if !checks[1].1 {
                match (&p.claim.source.affiliation, &g.affiliation) {
                    (None, Some(_)) => t.affiliation_missing += 1,
                    (Some(_), None) => t.affiliation_extra += 1,
                    _ => t.affiliation_other += 1,
                }
            }
            for (field, right, count) in checks {
                *count += usize::from(right);
                if !right && field != "kind" && field != "quote" {
                    let _ = writeln!(
                        notes,
                        "  field {field}: [{} | gold {}] {:?} — proposal {}/{:?}/{:?}, gold {}/{:?}/{:?}",
                        p.claim.source.name,
                        g.source,
                        short(&g.content),
                        p.claim.source.anonymous,
                        p.claim.source.affiliation,
                        p.record.outlets_in_text,
                        g.anonymous,
                        g.affiliation,
                        g.outlets
                    );
                }
            }
        }
        for (j, g) in gold.attributions.iter().enumerate() {
            if !g_used[j] && g.explicit {
                t.false_negative += 1;
                let _ = writeln!(notes, "  missed: [{}] {:?}", g.source, short(&g.content));
            }
        }
        for (i, p) in x.proposals.iter().enumerate() {
            if !p_used[i] {
                t.false_positive += 1;
                let _ = writeln!(
                    notes,
                    "  unmatched proposal ({}): [{}] {:?}",
                    p.record.rule.name(),
                    p.claim.source.name,
                    short(&p.claim.text)
                );
            }
        }
        if !date_right {
            let _ = writeln!(notes, "  date: read {:?}, gold {:?}", x.date, gold.date);
        }
        let stem = gold.article.trim_end_matches(".txt");
        if show == "1" && !notes.is_empty() {
            let _ = writeln!(report, "{set}/{}:\n{notes}", gold.article);
        } else if !show.is_empty() && stem.contains(show.as_str()) {
            let _ = writeln!(report, "{set}/{} — {} proposals:", gold.article, x.proposals.len());
            for p in &x.proposals {
                let _ = writeln!(report, "{}", extract::to_cq(p));
            }
        }
    }
    let _ = writeln!(
        report,
        "{set:<8} {:>3} articles  {:>4} gold ({} explicit)  {:>4} proposals  {:>4} matched  \
         precision {:.3}  recall {:.3}  F1 {:.3}  anonymous {:.3}  affiliation {:.3}  outlets {:.3}  \
         kind {:.3}  quote {:.3}  date {}/{}",
        t.articles,
        t.gold,
        t.explicit,
        t.proposals,
        t.matched,
        t.precision(),
        t.recall(),
        t.f1(),
        t.anonymous(),
        t.affiliation(),
        t.outlets(),
        ratio(t.kind, t.matched),
        ratio(t.quote, t.matched),
        t.dates_right,
        t.dates
    );
    let _ = writeln!(
        report,
        "{set:<8} affiliation errors: {} missing, {} where the gold has none, {} different",
        t.affiliation_missing, t.affiliation_extra, t.affiliation_other
    );
    Some(t)
}

fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}

fn short(s: &str) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 90 {
        format!("{}…", s.chars().take(90).collect::<String>())
    } else {
        s
    }
}

#[test]
fn gold_sets_score_above_their_floors() {
    let mut report = String::new();
    let dev = score_set("dev", &mut report);
    let heldout = score_set("heldout", &mut report);
    println!("{report}");
    let dev = dev.expect("the dev set is bundled");
    let floors = [
        ("precision", dev.precision(), FLOOR_PRECISION),
        ("recall", dev.recall(), FLOOR_RECALL),
        ("anonymous", dev.anonymous(), FLOOR_ANONYMOUS),
        ("affiliation", dev.affiliation(), FLOOR_AFFILIATION),
        ("outlets", dev.outlets(), FLOOR_OUTLETS),
    ];
    for (what, got, floor) in floors {
        assert!(got >= floor, "dev {what} {got:.3} is below its floor {floor:.3}\n{report}");
    }
    if let Some(h) = heldout {
        let targets = [
            ("precision", h.precision(), TARGET_PRECISION),
            ("recall", h.recall(), TARGET_RECALL),
            ("anonymous", h.anonymous(), TARGET_ANONYMOUS),
            ("affiliation", h.affiliation(), TARGET_AFFILIATION),
            ("outlets", h.outlets(), TARGET_OUTLETS),
        ];
        let strict = std::env::var("EXTRACT_HELDOUT_STRICT").is_ok_and(|v| v == "1");
        for (what, got, target) in targets {
            let verdict = if got >= target { "meets" } else { "BELOW" };
            println!("heldout {what} {got:.3} {verdict} the target {target:.2}");
            assert!(!strict || got >= target, "heldout {what} {got:.3} is below the target {target:.2}");
        }
    }
}

/// The seed article's proposals as `add claim` statements, kept in
/// `dev/qatar-mediation-2024-11-09.proposals.cq` for the lead to check
/// against the article (and, reviewed, for the demo). `UPDATE_GOLDEN=1`
/// rewrites the file after a deliberate change.
#[test]
fn the_seed_article_gives_its_reviewed_proposals() {
    let dir = articles_dir("dev");
    let bytes = std::fs::read(dir.join("qatar-mediation-2024-11-09.txt")).expect("the seed article");
    let x =
        extract::extract_bytes("qatar-mediation-2024-11-09.txt", &bytes, &ExtractOptions::default()).expect("extract");
    assert_eq!(x.date, Some(parse_iso("2024-11-09").unwrap()), "the seed's date line");
    let mut got = String::from(
        "-- The proposals claimdb's extractor gives for the seed article\n\
         -- (tests/data/articles/dev/qatar-mediation-2024-11-09.txt), rendered as\n\
         -- `add claim` statements. Regenerate with UPDATE_GOLDEN=1 cargo test --test extract_gold.\n\n",
    );
    for p in &x.proposals {
        got.push_str(&extract::to_cq(p));
        got.push('\n');
    }
    let path = dir.join("qatar-mediation-2024-11-09.proposals.cq");
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &got).expect("write the seed's proposals");
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(got, want, "the seed's proposals changed; check them against the article, then UPDATE_GOLDEN=1");
}

/// Every proposal of every dev article, rendered as `add claim`, is a
/// statement the real binary runs: the file adds exactly that many claims.
#[test]
fn proposals_render_as_statements_the_binary_runs() {
    let dir = common::Dir::new();
    let mut script = String::new();
    let mut expected = 0;
    for gold_path in gold_files(&articles_dir("dev")) {
        let gold: Gold = serde_json::from_str(&std::fs::read_to_string(&gold_path).unwrap()).unwrap();
        let (x, _) = run(&articles_dir("dev").join(&gold.article), gold.date.as_deref());
        for p in &x.proposals {
            script.push_str(&extract::to_cq(p));
            expected += 1;
        }
    }
    let file = dir.file("proposals.cq", script.as_bytes());
    dir.run(&["-f", file.to_str().unwrap()]).code(0);
    let count = dir.run(&["--format", "json", "-c", "count claims"]);
    count.code(0);
    assert!(
        count.stdout.contains(&format!("\"count\": {expected}"))
            || count.stdout.contains(&format!("\"count\":{expected}")),
        "expected {expected} claims, got {}",
        count.stdout
    );
}
