//! Regions and towns an article names ("the province of Albay", "Lagos
//! state", "Los Angeles County", "the town of Écija", "the mayor of
//! Lviv"), for the sources of regional and city governments: "provincial
//! officials", "the state's civil defence agency" and "the mayor" speak for
//! the region or town the article is about (the gold rule in
//! tests/data/articles/README.md), which the gazetteer cannot list.

use super::article::Article;
use super::names;
use super::tokens::Tok;

/// How far down a state a region is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// A province, a federal state, a region, a county.
    Region,
    /// A city, a town, a village, an island with its own mayor.
    Town,
}

/// A region or town the article names.
#[derive(Clone, Debug)]
pub struct Region {
    /// Byte offset of the name.
    pub at: usize,
    /// The name as an affiliation (`Albay`, `Los Angeles County`).
    pub name: String,
    /// Whether it is a region or a town.
    pub level: Level,
    /// The noun it was named with (`province`, `state`, `county`, `town`,
    /// `mayor`…), lower case.
    pub noun: String,
}

/// Nouns a region is named with ("the province of Albay", "Lagos state"),
/// lower case; a region the text names through its governor ("the
/// governor of Basra") has the noun `governor`.
const REGION_NOUNS: &[&str] = &[
    "province",
    "state",
    "region",
    "county",
    "prefecture",
    "canton",
    "territory",
    "department",
    "governorate",
    "oblast",
    "voivodeship",
    "governor",
];

/// Nouns a town is named with ("the town of Écija"), lower case; `mayor`
/// for a town named through its mayor ("the mayor of Lviv").
const TOWN_NOUNS: &[&str] = &["city", "town", "village", "municipality", "island", "mayor"];

/// The regions a governor heads, for "Governor Mazin al-Timimi" (a county
/// or a canton has none).
const GOVERNED: &[&str] = &["province", "state", "governor", "region", "prefecture", "department", "governorate"];

/// Nouns that say a region or a town, lower case (not the offices).
fn level_noun(w: &str) -> Option<Level> {
    if matches!(w, "governor" | "mayor") {
        None
    } else if REGION_NOUNS.contains(&w) {
        Some(Level::Region)
    } else if TOWN_NOUNS.contains(&w) {
        Some(Level::Town)
    } else {
        None
    }
}

/// Whether `w` is a noun for a region or a town (`province`, `island`).
pub fn is_region_noun(w: &str) -> bool {
    level_noun(w).is_some()
}

/// Every region and town `a` names, in text order.
pub fn regions(a: &Article) -> Vec<Region> {
    let cap = |i: usize| a.tokens[i].kind == Tok::Word && a.word(i).chars().next().is_some_and(char::is_uppercase);
    let mut out = Vec::new();
    for s in &a.sentences {
        let (start, end) = (s.tokens.start, s.tokens.end);
        // A capitalised run of one to three words from `from`.
        let run_from = |from: usize| {
            let mut k = from;
            while k < end && k - from < 3 && cap(k) {
                k += 1;
            }
            (k > from).then_some(from..k)
        };
        let text = |r: &std::ops::Range<usize>| a.text[a.tokens[r.start].start..a.tokens[r.end - 1].end].to_string();
        // "No family in Michigan …", "Santa Catarina's civil defence":
        // a state or province of a federation the list knows, named alone.
        let mut k = start;
        while k < end {
            if !cap(k) || (k > start && cap(k - 1)) || !begins_a_subdivision(a.word(k)) {
                k += 1;
                continue;
            }
            let found = (1..=3).rev().filter(|n| k + n <= end).find_map(|n| {
                let words: Vec<&str> = (k..k + n).map(|i| a.word(i)).collect();
                let sub = subdivision(&words.join(" "))?;
                // ("Victoria Pike": a given name before a surname.)
                let given_name = n == 1 && names::before_a_surname(a, k, end);
                (!given_name).then_some((n, sub))
            });
            match found {
                Some((n, sub)) => {
                    out.push(Region {
                        at: a.tokens[k].start,
                        name: sub.name.to_string(),
                        level: Level::Region,
                        noun: sub.noun.to_string(),
                    });
                    k += n;
                }
                None => k += 1,
            }
        }
        // "In Chalhuanca, a district of 5,000 people, …", "In Lviv, the
        // mayor said …": a place a sentence opens on.
        if end > start + 2 && a.word(start) == "In" {
            if let Some(r) = run_from(start + 1).filter(|r| r.end < end && a.tokens[r.end].kind == Tok::Comma) {
                let name = text(&r);
                // (Not "In Brussels," or "In Parliament,": places and bodies
                // the gazetteer knows.)
                let g = super::gazetteer::get();
                let known =
                    g.match_at(&[a.word(r.start)], 0).is_some() || g.noun(&a.word(r.start).to_lowercase()).is_some();
                if !known && !crate::model::date::names_a_day_or_month(&name) {
                    out.push(Region {
                        at: a.tokens[r.start].start,
                        name,
                        level: Level::Town,
                        noun: "town".to_string(),
                    });
                }
            }
        }
        for i in start..end {
            let w = a.word(i);
            let lower = w.to_lowercase();
            // "the province of Albay", "the town of Écija", "mayor of Lviv",
            // "governor of Lagos".
            let office = match lower.as_str() {
                "mayor" => Some(Level::Town),
                "governor" => Some(Level::Region),
                _ => None,
            };
            let noun_level = level_noun(&lower).filter(|_| !cap(i) || lower == "county").or(office);
            if let Some(level) = noun_level {
                if i + 2 < end && a.word(i + 1) == "of" {
                    if let Some(r) = run_from(i + 2) {
                        let name = text(&r);
                        if names::country_word(&name).is_none() && !name.contains("Bank") {
                            out.push(Region { at: a.tokens[r.start].start, name, level, noun: lower.clone() });
                        }
                    }
                }
            }
            // "Lagos state", "Albay province", "Los Angeles County" (not "the
            // northern Manitoba town": a town noun after a name may follow its
            // region).
            // "Quito's city council", "Thunder Bay city council": a town.
            if lower == "city" && i + 1 < end && a.word(i + 1).eq_ignore_ascii_case("council") && i > start {
                let possessive = a.tokens[i - 1].kind == Tok::Possessive;
                let name_end = if possessive { i - 1 } else { i };
                let mut from = name_end;
                while from > start && name_end - from < 3 && cap(from - 1) {
                    from -= 1;
                }
                if from < name_end && !matches!(a.word(from), "The" | "A" | "An") {
                    let name = text(&(from..name_end));
                    // (A capital is a city: "Quito's city council".)
                    let capital = super::gazetteer::get().capital(&name).is_some();
                    if names::country_word(&name).is_none() || capital {
                        out.push(Region { at: a.tokens[from].start, name, level: Level::Town, noun: "city".into() });
                    }
                }
            }
            // ("the Basra provincial council": the adjective says a province.)
            let noun = match lower.as_str() {
                "provincial" => "province",
                "prefectural" => "prefecture",
                other => other,
            };
            let after_name = level_noun(noun)
                .filter(|l| *l == Level::Region)
                .filter(|_| !cap(i) || matches!(w, "County" | "Province" | "Prefecture"));
            if let (Some(level), true) = (after_name, i > start && cap(i - 1)) {
                let mut from = i - 1;
                while from > start && i - from < 3 && cap(from - 1) && !a.starts_sentence(from - 1) {
                    from -= 1;
                }
                let r = from..i;
                let name = if w == "County" { text(&(from..i + 1)) } else { text(&r) };
                let country = names::country_word(&text(&r)).is_some();
                // ("the Republican-led state House": who runs it, not its
                // name.)
                let led = ["-led", "-controlled", "-run", "-held", "-dominated"]
                    .iter()
                    .any(|s| a.word(i - 1).to_lowercase().ends_with(s));
                if !country && !led && !matches!(a.word(from), "The" | "A" | "An") {
                    out.push(Region { at: a.tokens[from].start, name, level, noun: noun.to_string() });
                }
            }
        }
    }
    out
}

/// The level of government a mention's words name, when they name one
/// below the state ("provincial officials", "the state's civil defence
/// agency", "state prosecutors", "the mayor", "the town's mayor"), and the
/// nouns a region of it must have been named with (`state` for "state
/// officials"; any region's for "regional"); lower case words.
pub fn level_of(words: &[String]) -> Option<(Level, &'static [&'static str])> {
    let government = |w: &str| {
        matches!(
            w,
            "officials"
                | "official"
                | "prosecutors"
                | "prosecutor"
                | "prosecutor's"
                | "governor"
                | "legislature"
                | "police"
                | "government"
                | "agency"
                | "authorities"
                | "assembly"
                | "civil"
        )
    };
    // ("the federal Ministry of Integration and Regional Development" is
    // the state's.)
    if words.iter().any(|w| matches!(w.as_str(), "federal" | "national" | "ministry")) {
        return None;
    }
    let mut level = None;
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).map(String::as_str).unwrap_or("");
        match w.as_str() {
            "provincial" | "province's" => level = Some((Level::Region, &["province", "governor"][..])),
            "county" => level = Some((Level::Region, &["county"][..])),
            "state's" => level = Some((Level::Region, &["state", "governor"][..])),
            "state" if government(next) => level = Some((Level::Region, &["state", "governor"][..])),
            // ("regional officials"; not "the agency's regional spokesperson")
            "region's" => level = Some((Level::Region, REGION_NOUNS)),
            "regional" if government(next) => level = Some((Level::Region, REGION_NOUNS)),
            // ("Governor Mazin al-Timimi")
            "governor" | "gov." => level = Some((Level::Region, GOVERNED)),
            "mayor" | "mayor's" | "municipal" | "town's" | "city's" | "island's" | "councillor" | "councilor"
            | "coun." | "cllr" | "alderman" => {
                return Some((Level::Town, TOWN_NOUNS));
            }
            _ => {}
        }
    }
    level
}

/// A first-level state or province of a federation or large country
/// (`data/regions.tsv`).
#[derive(Debug)]
pub struct Subdivision {
    /// The country it is part of (`US`).
    pub country: &'static str,
    /// Its usual name (`Michigan`), the affiliation it gives.
    pub name: &'static str,
    /// The noun the country calls it by (`state`, `province`).
    pub noun: &'static str,
}

/// The state or province `name` (as written, or an abbreviation such as
/// `Mich.`) names. Names that are also a country or a capital ("Georgia",
/// "Mexico", "Buenos Aires") are left out: the gazetteer reads them as
/// the country.
pub fn subdivision(name: &str) -> Option<&'static Subdivision> {
    subdivisions().get(name)
}

/// The state or province a body's name opens with ("the California
/// Public Utilities Commission", "Ontario's Ministry of Health" →
/// `California`, `Ontario`), past a leading "The"; never the whole name.
pub fn opening_subdivision(words: &[&str]) -> Option<&'static str> {
    let named = if matches!(words.first(), Some(&"The" | &"the")) { &words[1..] } else { words };
    (1..=3.min(named.len().saturating_sub(1))).rev().find_map(|n| {
        let opening = named[..n].join(" ");
        let opening = opening.trim_end_matches("'s").trim_end_matches("’s");
        subdivision(opening).map(|s| s.name)
    })
}

/// Whether some state or province's name begins with `word` (so that the
/// scan of an article looks up only runs that may be one).
fn begins_a_subdivision(word: &str) -> bool {
    static FIRST: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    FIRST.get_or_init(|| subdivisions().keys().filter_map(|k| k.split_whitespace().next()).collect()).contains(word)
}

/// The table of `data/regions.tsv`, by every name and alias as written.
fn subdivisions() -> &'static std::collections::HashMap<&'static str, Subdivision> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<&'static str, Subdivision>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let g = super::gazetteer::get();
        let mut t = std::collections::HashMap::new();
        for line in include_str!("data/regions.tsv").lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let f: Vec<&'static str> = line.split('\t').collect();
            let [country, canonical, aliases, noun] = f[..] else { continue };
            let words: Vec<&str> = canonical.split_whitespace().collect();
            let place = g.match_at(&words, 0).is_some_and(|(n, _)| n == words.len()) || g.capital(canonical).is_some();
            if place {
                continue;
            }
            // (Two-letter codes are left out: "KP", "NY" stand for too much.)
            for written in std::iter::once(canonical).chain(aliases.split('|').filter(|s| s.chars().count() > 2)) {
                t.entry(written).or_insert(Subdivision { country, name: canonical, noun });
            }
        }
        t
    })
}
