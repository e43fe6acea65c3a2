//! The gazetteers: places (with demonyms and capitals), organisations and
//! government bodies, news outlets, and the nouns that tell a source's kind.
//! They are data files in `src/extract/data/`, compiled in with
//! `include_str!` and parsed once.

use super::tokens::{tokenize, Tok};
use crate::model::Kind;
use std::collections::HashMap;
use std::sync::OnceLock;

/// What a gazetteer entry names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// A country or territory.
    Place,
    /// An organisation speaking for itself (an affiliation of its own).
    Organisation,
    /// A body of a country's government (its country is the affiliation).
    Body,
    /// A news outlet.
    Outlet,
}

/// One entry: a country, an organisation, a body or an outlet.
#[derive(Debug)]
pub struct Entity {
    /// The short name recorded (`US`, `WHO`, `AP`).
    pub canonical: &'static str,
    /// What it is.
    pub class: Class,
    /// The kind of source it is when it speaks itself.
    pub kind: Kind,
    /// For a body, the country it belongs to.
    pub country: Option<&'static str>,
}

impl Entity {
    /// The affiliation a source gets from this entry.
    pub fn affiliation(&self) -> &'static str {
        self.country.unwrap_or(self.canonical)
    }
}

/// A noun that tells what sort of source a mention is.
#[derive(Clone, Copy, Debug, Default)]
pub struct Noun {
    /// The kind it gives.
    pub kind: Option<Kind>,
    /// A person or group of people.
    pub person: bool,
    /// A plural form.
    pub plural: bool,
    /// An institution.
    pub body: bool,
    /// A document or dataset.
    pub doc: bool,
    /// A national institution, whose country comes from the article.
    pub national: bool,
    /// May stand before a name.
    pub title: bool,
    /// Grammatical gender, when the noun says: `Some(true)` female.
    pub female: Option<bool>,
}

/// How one word of an alias must match the text.
#[derive(Debug)]
enum Case {
    /// An acronym (`WHO`, `AP`): exactly, so "who" is not the WHO.
    Exact(String),
    /// A capitalised word: capitalised in the text too.
    Capital(String),
    /// Any case.
    Any(String),
}

#[derive(Debug)]
struct Alias {
    words: Vec<Case>,
    entity: usize,
}

/// All gazetteers, ready for matching.
#[derive(Debug)]
pub struct Gazetteer {
    entities: Vec<Entity>,
    /// Aliases by their first word (lower case), longest first.
    aliases: HashMap<String, Vec<Alias>>,
    nouns: HashMap<&'static str, Noun>,
    capitals: HashMap<String, usize>,
    company_suffixes: Vec<&'static str>,
}

const PLACES: &str = include_str!("data/places.tsv");
const ORGANISATIONS: &str = include_str!("data/organisations.tsv");
const OUTLETS: &str = include_str!("data/outlets.tsv");
const NOUNS: &str = include_str!("data/nouns.tsv");
const COMPANY_SUFFIXES: &str = include_str!("data/company-suffixes.txt");

/// The gazetteers, parsed on first use.
pub fn get() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(Gazetteer::load)
}

fn rows(data: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    data.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).map(|l| l.split('\t').collect())
}

fn alias_words(alias: &str) -> Vec<Case> {
    tokenize(alias, 0, alias.len())
        .iter()
        .map(|t| {
            let w = t.text(alias);
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            if t.kind == Tok::Word && letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
                Case::Exact(w.to_string())
            } else if w.chars().next().is_some_and(char::is_uppercase) {
                Case::Capital(w.to_lowercase())
            } else {
                Case::Any(w.to_lowercase())
            }
        })
        .collect()
}

impl Case {
    fn matches(&self, word: &str) -> bool {
        match self {
            Case::Exact(w) => word == w,
            Case::Capital(w) => word.chars().next().is_some_and(char::is_uppercase) && word.to_lowercase() == *w,
            Case::Any(w) => word.to_lowercase() == *w,
        }
    }

    fn key(&self) -> String {
        match self {
            Case::Exact(w) => w.to_lowercase(),
            Case::Capital(w) | Case::Any(w) => w.clone(),
        }
    }
}

impl Gazetteer {
    fn load() -> Gazetteer {
        let mut g = Gazetteer {
            entities: Vec::new(),
            aliases: HashMap::new(),
            nouns: HashMap::new(),
            capitals: HashMap::new(),
            company_suffixes: COMPANY_SUFFIXES.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).collect(),
        };
        for row in rows(PLACES) {
            let id = g.push(Entity { canonical: row[0], class: Class::Place, kind: Kind::Government, country: None });
            for alias in row.get(1).map_or("", |s| *s).split('|').filter(|a| !a.is_empty()) {
                g.add_alias(alias, id);
            }
            for capital in row.get(2).map_or("", |s| *s).split('|').filter(|a| !a.is_empty()) {
                g.capitals.insert(capital.to_lowercase(), id);
            }
        }
        for row in rows(ORGANISATIONS) {
            let kind = Kind::parse(row.get(1).copied().unwrap_or("organization")).unwrap_or(Kind::Organization);
            let country = row.get(2).copied().filter(|c| *c != "-");
            let class = if kind == Kind::Government { Class::Body } else { Class::Organisation };
            let id = g.push(Entity { canonical: row[0], class, kind, country });
            for alias in row.get(3).map_or("", |s| *s).split('|').filter(|a| !a.is_empty()) {
                g.add_alias(alias, id);
            }
        }
        for row in rows(OUTLETS) {
            let id = g.push(Entity { canonical: row[0], class: Class::Outlet, kind: Kind::Media, country: None });
            for alias in row.get(1).map_or("", |s| *s).split('|').filter(|a| !a.is_empty()) {
                g.add_alias(alias, id);
            }
        }
        for row in rows(NOUNS) {
            let flags: Vec<&str> = row.get(2).map_or("", |s| *s).split(',').collect();
            let has = |f: &str| flags.contains(&f);
            let female = if has("female") {
                Some(true)
            } else if has("male") {
                Some(false)
            } else {
                None
            };
            g.nouns.insert(
                row[0],
                Noun {
                    kind: row.get(1).and_then(|k| Kind::parse(k)),
                    person: has("person"),
                    plural: has("plural"),
                    body: has("body"),
                    doc: has("doc"),
                    national: has("national"),
                    title: has("title"),
                    female,
                },
            );
        }
        for list in g.aliases.values_mut() {
            list.sort_by_key(|a| std::cmp::Reverse(a.words.len()));
        }
        g
    }

    fn push(&mut self, entity: Entity) -> usize {
        self.entities.push(entity);
        self.entities.len() - 1
    }

    fn add_alias(&mut self, alias: &str, entity: usize) {
        let words = alias_words(alias);
        if let Some(first) = words.first() {
            self.aliases.entry(first.key()).or_default().push(Alias { words, entity });
        }
    }

    /// The longest alias starting at `words[i]`: how many words it covers
    /// and what it names.
    pub fn match_at(&self, words: &[&str], i: usize) -> Option<(usize, &Entity)> {
        let first = words.get(i)?.to_lowercase();
        let candidates = self.aliases.get(&first)?;
        candidates
            .iter()
            .find(|a| {
                a.words.len() <= words.len() - i && a.words.iter().zip(&words[i..]).all(|(case, w)| case.matches(w))
            })
            .map(|a| (a.words.len(), &self.entities[a.entity]))
    }

    /// Every entry named in `words`, left to right, longest match first.
    pub fn find_all<'g>(&'g self, words: &[&str]) -> Vec<(usize, usize, &'g Entity)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            match self.match_at(words, i) {
                // "Latin America", "South American": not the United States.
                Some((n, e))
                    if e.class == Class::Place
                        && words[i].starts_with("America")
                        && i > 0
                        && matches!(words[i - 1], "Latin" | "South" | "North" | "Central") =>
                {
                    i += n;
                }
                Some((n, e)) => {
                    out.push((i, n, e));
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }

    /// The noun entry for a lower-case word.
    pub fn noun(&self, word: &str) -> Option<Noun> {
        self.nouns.get(word).copied()
    }

    /// Whether a word ends company names ("Industries", "AG").
    pub fn company_suffix(&self, word: &str) -> bool {
        self.company_suffixes.contains(&word.replace('.', "").as_str())
    }

    /// The country whose capital is `city` (any case).
    pub fn capital(&self, city: &str) -> Option<&Entity> {
        // ("N’DJAMENA" with a curly apostrophe.)
        self.capitals.get(&city.to_lowercase().replace('’', "'")).map(|&id| &self.entities[id])
    }

    /// The canonical outlet name for an outlet's name as written, e.g.
    /// `The Associated Press` → `AP`; `None` when it is not a known outlet.
    pub fn outlet(&self, name: &str) -> Option<&'static str> {
        self.whole(name).filter(|e| e.class == Class::Outlet).map(|e| e.canonical)
    }

    /// The short affiliation for a name as written (`United States` → `US`,
    /// `European Central Bank` → `ECB`), or `None` when it is not known.
    pub fn affiliation(&self, name: &str) -> Option<&'static str> {
        self.whole(name).filter(|e| e.class != Class::Outlet).map(|e| e.affiliation())
    }

    /// The entry that `name` names as a whole (a leading "the" ignored).
    fn whole(&self, name: &str) -> Option<&Entity> {
        let tokens = tokenize(name, 0, name.len());
        let words: Vec<&str> = tokens.iter().map(|t| t.text(name)).collect();
        let skip = usize::from(words.first().is_some_and(|w| w.eq_ignore_ascii_case("the")));
        let rest = &words[skip..];
        match self.match_at(rest, 0) {
            Some((n, e)) if n == rest.len() => Some(e),
            _ => match self.match_at(&words, 0) {
                Some((n, e)) if n == words.len() => Some(e),
                _ => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_files_parse() {
        let g = get();
        assert_eq!(g.affiliation("United States"), Some("US"));
        assert_eq!(g.affiliation("the White House"), Some("US"));
        assert_eq!(g.affiliation("European Central Bank"), Some("ECB"));
        assert_eq!(g.outlet("The Associated Press"), Some("AP"));
        assert_eq!(g.outlet("Agence France-Presse"), Some("AFP"));
        assert_eq!(g.capital("Doha").map(|e| e.canonical), Some("Qatar"));
        assert!(g.noun("spokeswoman").is_some_and(|n| n.female == Some(true) && n.person));
    }

    #[test]
    fn acronyms_match_only_in_capitals() {
        let g = get();
        assert!(g.match_at(&["who"], 0).is_none());
        assert_eq!(g.match_at(&["WHO"], 0).map(|(_, e)| e.canonical), Some("WHO"));
        assert_eq!(g.match_at(&["Qatari", "official"], 0).map(|(n, e)| (n, e.canonical)), Some((1, "Qatar")));
        assert_eq!(g.match_at(&["OPEC+", "sources"], 0).map(|(_, e)| e.canonical), Some("OPEC+"));
    }
}
