//! The bodies an article names, for mentions that refer back to them: a
//! short name introduced in brackets ("the Confederation of African
//! Football (CAF)", "the Law and Justice (PiS) party"), and capitalised
//! names that say what they are ("the Nigeria Football Federation", "the
//! charity Libraries Connected"). "The federation's general secretary" or
//! "a party spokesman" later takes the body last named with that noun.

use super::article::{short_name, Article};
use super::gazetteer;
use super::tokens::{Tok, Token};
use crate::model::Kind;
use std::ops::Range;

/// A short name the article introduces in brackets after a full name.
#[derive(Clone, Debug)]
pub struct ShortName {
    /// The short name as written (`CAF`, `PiS`).
    pub short: String,
    /// The tokens of the full name (without a leading "the").
    pub full: Range<usize>,
}

/// Whether the article uses `short` as the short name of something else
/// than the outlet the gazetteer knows by it ("Pakistan Tehreek-e-Insaf
/// (PTI)" is not the Press Trust of India).
pub fn not_the_outlet(a: &Article, short: &str) -> bool {
    a.short_names.iter().any(|n| {
        n.short == short && {
            let full = &a.text[a.tokens[n.full.start].start..a.tokens[n.full.end - 1].end];
            gazetteer::get().outlet(full).is_none()
        }
    })
}

/// The short names introduced in brackets: `Full Name (SHORT)`, the full
/// name being capitalised words (with `of`, `for`, `and`, `&` inside).
pub fn short_names(text: &str, tokens: &[Token]) -> Vec<ShortName> {
    let word = |i: usize| tokens[i].text(text);
    let cap = |i: usize| tokens[i].kind == Tok::Word && word(i).chars().next().is_some_and(char::is_uppercase);
    let mut out = Vec::new();
    for o in 1..tokens.len().saturating_sub(2) {
        if tokens[o].kind != Tok::Open || tokens[o + 2].kind != Tok::Close || !short_name(word(o + 1)) || !cap(o - 1) {
            continue;
        }
        // A dateline ("LONDON (AP)", "Paris (AFP)") is a place, not a name.
        let single = o < 2 || !cap(o - 2);
        if word(o - 1).chars().all(|c| !c.is_lowercase()) || (single && gazetteer::get().outlet(word(o + 1)).is_some())
        {
            continue;
        }
        let mut start = o - 1;
        while start > 0
            && (cap(start - 1)
                || (matches!(word(start - 1), "of" | "for" | "and" | "&" | "de" | "du" | "des")
                    && start >= 2
                    && cap(start - 2)))
        {
            start -= 1;
        }
        while start < o && matches!(word(start), "The" | "A" | "An") {
            start += 1;
        }
        if start < o {
            out.push(ShortName { short: word(o + 1).to_string(), full: start..o });
        }
    }
    out
}

/// A body the article names.
#[derive(Clone, Debug)]
pub struct NamedBody {
    /// Byte offset of the name.
    pub at: usize,
    /// The name to record as an affiliation (the short name when the
    /// article gives one).
    pub name: String,
    /// The nouns it goes by, lower case: body nouns in its name
    /// (`federation`), and the one the text puts before or after it ("the
    /// charity Libraries Connected", "the Law and Justice (PiS) party").
    pub nouns: Vec<String>,
    /// The kind of source its nouns give (`federation`: organization).
    pub kind: Option<Kind>,
    /// The name as written in full (past a leading article).
    pub full: String,
    /// Whose state agency it is, when the text says: the country it is
    /// named with ("Nigeria's National Oil Spill Detection and Response
    /// Agency", "the Election Commission of Pakistan"), or the state or
    /// province ("the California Public Utilities Commission").
    pub country: Option<&'static str>,
    /// A state agency of a country the text leaves to the article ("the
    /// national statistics institute INDEC", "the state weather agency
    /// AEMET").
    pub national: bool,
}

/// Small words inside a body's name ("Ministry of Health", "Observatorio
/// Ciudadano del Noroeste", "Institut für Weltwirtschaft").
pub(crate) fn joins_a_name(w: &str) -> bool {
    matches!(w, "of" | "for" | "and" | "&" | "de" | "del" | "des" | "du" | "da" | "do" | "dos" | "di" | "für")
}

/// Whether the token after `i` (before `end`) is a surname: a capitalised
/// word that is no noun and no name the gazetteer knows. A place's name
/// before one is a given name ("Jordan Pike", "Victoria Pike"), not the
/// place ("Kenya Police", "Victoria Police").
pub(crate) fn before_a_surname(a: &Article, i: usize, end: usize) -> bool {
    let g = gazetteer::get();
    i + 1 < end && a.tokens[i + 1].kind == Tok::Word && {
        let next = a.word(i + 1);
        next.chars().next().is_some_and(char::is_uppercase)
            && g.noun(&next.to_lowercase()).is_none()
            && g.match_at(&[next], 0).is_none()
    }
}

/// The bodies `a` names: every short name in brackets, and every run of
/// capitalised words that has, or is described by, the noun of a body that
/// is not a national institution.
pub fn bodies(a: &Article) -> Vec<NamedBody> {
    let g = gazetteer::get();
    let body_noun = |w: &str| g.noun(w).is_some_and(|n| n.body && !n.national && !n.plural);
    let cap = |i: usize| a.tokens[i].kind == Tok::Word && a.word(i).chars().next().is_some_and(char::is_uppercase);
    let lower_noun = |i: usize| {
        let w = a.word(i);
        (a.tokens[i].kind == Tok::Word && w.chars().all(char::is_lowercase) && body_noun(w)).then(|| w.to_string())
    };
    let mut out = Vec::new();
    for s in &a.sentences {
        let mut i = s.tokens.start;
        while i < s.tokens.end {
            if !cap(i) || a.starts_sentence(i) && !(i + 1 < s.tokens.end && cap(i + 1)) {
                i += 1;
                continue;
            }
            let start = i;
            // ("the Chattogram Port Dock Workers’ Union": a plural's
            // apostrophe inside the name.)
            let inner = |i: usize| {
                i + 1 < s.tokens.end
                    && cap(i + 1)
                    && (joins_a_name(a.word(i)) || (i > start && a.tokens[i].kind == Tok::Possessive))
            };
            while i < s.tokens.end && (cap(i) || inner(i)) {
                i += 1;
            }
            let run = start..i;
            let short = a.short_names.iter().find(|n| n.full.end == run.end || n.full == run);
            let mut nouns: Vec<String> =
                run.clone().map(|k| a.word(k).to_lowercase()).filter(|w| body_noun(w)).collect();
            if start > s.tokens.start {
                nouns.extend(lower_noun(start - 1));
            }
            // After the name, or after its short name in brackets.
            let after =
                if short.is_some() && i + 2 < s.tokens.end && a.tokens[i].kind == Tok::Open { i + 3 } else { i };
            if after < s.tokens.end {
                nouns.extend(lower_noun(after));
            }
            let national = run.clone().any(|k| g.noun(&a.word(k).to_lowercase()).is_some_and(|n| n.national));
            if nouns.is_empty() || national {
                continue;
            }
            let name = match short {
                Some(n) => n.short.clone(),
                None => {
                    let mut from = run.start;
                    // ("Several Supreme Court justices": a quantifier that
                    // starts the sentence is not the name.)
                    while from < run.end
                        && (matches!(a.word(from), "The" | "A" | "An")
                            || (a.starts_sentence(from)
                                && matches!(
                                    a.word(from),
                                    "Several" | "Some" | "Many" | "Most" | "Both" | "All" | "Two" | "Three"
                                )))
                    {
                        from += 1;
                    }
                    // "the Strasbourg-based European Court …": the place
                    // adjective is not part of the name.
                    if let Some(p) = (from..run.end).rev().find(|&k| super::source::located_adjective(a.word(k))) {
                        from = p + 1;
                    }
                    if from == run.end {
                        continue;
                    }
                    // "the Chinese embassy": a place made an adjective names
                    // no body; nor does "the Court" alone.
                    let rest: Vec<&str> = (from..run.end).map(|k| a.word(k)).collect();
                    if rest.len() == 1 && body_noun(&rest[0].to_lowercase()) {
                        continue;
                    }
                    if g.match_at(&rest, 0).is_some_and(|(n, e)| n == rest.len() && e.class == gazetteer::Class::Place)
                    {
                        continue;
                    }
                    // "the 9th U.S. Circuit Court of Appeals": an ordinal
                    // before the name is part of it.
                    if from == run.start && from > s.tokens.start && ordinal(a.word(from - 1)) {
                        from -= 1;
                    }
                    a.text[a.tokens[from].start..a.tokens[run.end - 1].end].to_string()
                }
            };
            let words: Vec<&str> = run.clone().map(|k| a.word(k)).collect();
            let full = {
                let from = run.start + words.iter().take_while(|w| matches!(**w, "The" | "A" | "An")).count();
                a.text[a.tokens[from.min(run.end - 1)].start..a.tokens[run.end - 1].end].to_string()
            };
            // "the national statistics institute INDEC", "the state weather
            // agency AEMET": described as a state's.
            let described_national = (start.saturating_sub(3).max(s.tokens.start)..start)
                .any(|k| matches!(a.word(k), "national" | "state" | "federal" | "government"));
            // An agency's noun in its name ("the Met Office"), or one the
            // text puts beside it when it says whose ("the state weather
            // agency AEMET"; not "the grocery service DashCart"). Not a
            // company's ("Utility Arizona Public Service").
            let in_name = |n: &String| words.iter().any(|w| w.to_lowercase() == *n);
            let company = nouns.iter().any(|n| COMPANY_NOUNS.contains(&n.as_str()));
            let agency =
                (nouns.iter().any(|n| STATE_AGENCY_NOUNS.contains(&n.as_str()) && (in_name(n) || described_national))
                    || (described_national && nouns.iter().any(|n| n == "institute"))
                    || words.iter().any(|w| matches!(*w, "Statistical" | "Statistics"))
                    || central_bank(&words)
                    || national_institution(&words)
                    || nouns.iter().any(|n| matches!(n.as_str(), "court" | "tribunal")))
                    && !company
                    && !of_several_states(&words);
            // "Nigeria's National Oil Spill … Agency": the country before it.
            let owner = (start >= s.tokens.start + 2 && a.tokens[start - 1].kind == Tok::Possessive)
                .then(|| country_word(a.word(start - 2)))
                .flatten();
            // "the Election Commission of Pakistan": the country ending it.
            let of_country =
                (run.len() >= 3 && a.word(run.end - 2) == "of").then(|| country_word(a.word(run.end - 1))).flatten();
            // "the California Public Utilities Commission", "the Ontario
            // Energy Board": the state or province it opens with.
            let subdivision = super::regions::opening_subdivision(&words);
            let country =
                if agency { state_agency_country(&words).or(owner).or(of_country).or(subdivision) } else { None };
            // "the national statistics institute INDEC", "the Nuclear
            // Regulation Authority": a state's, whose country the article
            // gives (its dateline, else the country it names most).
            let national = agency && country.is_none();
            let kind = nouns.iter().rev().find_map(|w| g.noun(w).and_then(|n| n.kind));
            out.push(NamedBody { at: a.tokens[run.start].start, name, nouns, kind, full, country, national });
        }
    }
    out
}

/// Whether a body's name makes it a state's ("the Met Office", "Ministry
/// of Public Security", "Parliament", "Sri Lanka Police", "the Central
/// Bank of Egypt"): a capitalised agency or institution noun, and no sign
/// that several states or none own it.
pub(crate) fn state_body(words: &[&str]) -> bool {
    let g = gazetteer::get();
    let noun = words.iter().any(|w| {
        let lower = w.to_lowercase();
        w.chars().next().is_some_and(char::is_uppercase)
            && (STATE_AGENCY_NOUNS.contains(&lower.as_str())
                || matches!(lower.as_str(), "court" | "tribunal" | "inspectorate")
                || g.noun(&lower).is_some_and(|n| n.national && n.body))
    });
    (noun || central_bank(words) || national_institution(words)) && !of_several_states(words)
}

/// "the National Cyber Security Centre", "the Federal Institute for Risk
/// Assessment": a centre, board or institute named as the nation's is a
/// state's (not "the National Pharmacy Association", "National Rally" or
/// "the National Student Council").
fn national_institution(words: &[&str]) -> bool {
    let first = words.iter().find(|w| !matches!(**w, "the" | "The")).copied().unwrap_or("");
    matches!(first, "National" | "Federal")
        && words.iter().any(|w| matches!(*w, "Centre" | "Center" | "Board" | "Institute"))
}

/// Whether a name is a central bank's ("the Central Bank of Egypt", "the
/// Reserve Bank of India", "the Bank of Thailand"): a state body, though
/// "bank" alone names a lender.
fn central_bank(words: &[&str]) -> bool {
    let at = |i: usize| words.get(i).copied().unwrap_or("");
    words.iter().enumerate().any(|(i, w)| {
        *w == "Bank"
            && (matches!(at(i.wrapping_sub(1)), "Central" | "Reserve" | "National" | "People's")
                || (at(i + 1) == "of" && country_word(at(i + 2)).is_some()))
    })
}

/// Whether a body belongs to several states or to none, so that its
/// agency-like name ("the European Commission", "the International Court of
/// Justice", "the UN agency", "the World Anti-Doping Agency") gives no
/// country.
fn of_several_states(words: &[&str]) -> bool {
    let g = gazetteer::get();
    words
        .iter()
        .any(|w| matches!(*w, "International" | "European" | "World" | "Inter-American" | "Arbitration" | "Global"))
        || (0..words.len())
            .any(|i| g.match_at(words, i).is_some_and(|(_, e)| e.class == gazetteer::Class::Organisation))
}

/// Nouns that refer back to a company ("the company said").
pub(crate) const COMPANY_NOUNS: &[&str] = &[
    "company",
    "firm",
    "group",
    "utility",
    "operator",
    "carmaker",
    "truckmaker",
    "maker",
    "lender",
    "insurer",
    "airline",
    "retailer",
];

/// "9th", "21st": an ordinal that may begin a name.
fn ordinal(w: &str) -> bool {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && matches!(&w[digits.len()..], "st" | "nd" | "rd" | "th")
}

/// Nouns that end the name of a state's agency ("the U.S. Consumer Product
/// Safety Commission", "the Turkish Statistical Institute" by its
/// "Statistical").
pub(crate) const STATE_AGENCY_NOUNS: &[&str] = &[
    "administration",
    "agency",
    "authority",
    "bureau",
    "commission",
    "department",
    "directorate",
    "inspectorate",
    "ministry",
    "office",
    "service",
];

/// The country of a state agency whose name opens with it ("U.S. Consumer
/// Product Safety Commission" → `US`, "Turkish Statistical Institute" →
/// `Turkey`): a government body gives its country. Not for bodies that
/// only carry a country in their name ("British Retail Consortium",
/// "Kenya Red Cross").
pub fn state_agency_country(words: &[&str]) -> Option<&'static str> {
    let g = gazetteer::get();
    let skip = usize::from(words.first().is_some_and(|w| matches!(*w, "the" | "The")));
    let (n, e) = g.match_at(words, skip)?;
    let rest = &words[skip + n..];
    if e.class != gazetteer::Class::Place
        || rest.is_empty()
        || !rest.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase) || matches!(*w, "of" | "for" | "and"))
    {
        return None;
    }
    let last = rest.last()?.to_lowercase();
    let statistical = rest.iter().any(|w| matches!(*w, "Statistical" | "Statistics"));
    (STATE_AGENCY_NOUNS.contains(&last.as_str()) || statistical).then_some(e.canonical)
}

/// The country a single word names ("Nigeria", "Pakistan"), if any.
pub(crate) fn country_word(w: &str) -> Option<&'static str> {
    gazetteer::get()
        .match_at(&[w], 0)
        .filter(|(n, e)| *n == 1 && e.class == gazetteer::Class::Place)
        .map(|(_, e)| e.canonical)
}
