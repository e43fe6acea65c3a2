//! What an article says around its sources, gathered once per article:
//! the places, bodies, companies, regions and people it names, with where
//! it names them, for the affiliations of sources that give none.

use super::same_noun;
use crate::extract::article::Article;
use crate::extract::gazetteer::{self, Class, Entity};
use crate::extract::names;
use crate::extract::regions;
use crate::extract::rules;
use crate::extract::source::{self, Form};
use crate::extract::tokens::Tok;

/// A person the article names, and what the naming says about them.
pub(super) struct Person {
    /// Byte offset of the mention.
    pub(super) at: usize,
    /// The surname a later mention would use.
    pub(super) surname: String,
    /// The body they were introduced with at the head of a sentence
    /// ("Professor Graham Tane, vice-chancellor of the University of
    /// Canterbury, welcomed …"), whatever the sentence attributes.
    pub(super) affiliation: Option<String>,
    /// Whether they were named under a national title ("Prime Minister
    /// Kenji Morioka's party"), anywhere.
    pub(super) national: bool,
}

/// What the article says about places, for affiliations from context.
pub(super) struct Places {
    /// Every place named, with its byte offset.
    pub(super) named: Vec<(usize, &'static str)>,
    /// Every organisation or body named: byte range, text, entry.
    pub(super) bodies: Vec<(usize, usize, String, &'static Entity)>,
    /// The dateline city's country.
    pub(super) home: Option<&'static str>,
    /// The dateline city, as written.
    pub(super) city: Option<String>,
    /// Company names ("Kaiyo Heavy Industries"), with their byte offsets.
    pub(super) companies: Vec<(usize, String)>,
    /// Bodies named with what they are ("the Nigeria Football Federation
    /// (NFF)"), for "the federation" later.
    pub(super) named_bodies: Vec<names::NamedBody>,
    /// People the article names with what it says about them, in text
    /// order, for a later bare surname ("Tane said").
    pub(super) people: Vec<Person>,
    /// Regions and towns the article names, for "provincial officials" and
    /// "the mayor".
    pub(super) regions: Vec<regions::Region>,
    /// Acronyms that are no place, outlet or title ("the CFDT"), with their
    /// byte offsets: bodies, for "its leader".
    pub(super) acronyms: Vec<(usize, String)>,
}

impl Places {
    pub(super) fn new(a: &Article, city: Option<&str>, region: Option<&str>) -> Places {
        let g = gazetteer::get();
        let mut named = Vec::new();
        let mut bodies = Vec::new();
        for s in &a.sentences {
            let words: Vec<&str> = s.tokens.clone().map(|i| a.word(i)).collect();
            for (i, n, e) in g.find_all(&words) {
                let t0 = s.tokens.start + i;
                let t1 = t0 + n - 1;
                // ("Jordan Pike, a warehouse supervisor": a place whose
                // name is also a given name, before a name, is a person,
                // not a place the article is about; "Kenya Police" still
                // is.)
                let given_name = n == 1
                    && matches!(
                        a.word(t0),
                        "Jordan" | "Chad" | "Georgia" | "India" | "Israel" | "Kenya" | "Paris" | "Sydney" | "Victoria"
                    )
                    && names::before_a_surname(a, t1, s.tokens.end);
                match e.class {
                    Class::Place if given_name => {}
                    Class::Place => named.push((a.tokens[t0].start, e.canonical)),
                    Class::Organisation | Class::Body => {
                        let (from, to) = (a.tokens[t0].start, a.tokens[t1].end);
                        bodies.push((from, to, a.text[from..to].to_string(), e));
                    }
                    Class::Outlet => {}
                }
            }
        }
        // "GENEVA (Reuters)": a capital's country; "LAUSANNE, Switzerland":
        // the country the dateline names; "SAN JOSE, Calif.": not Costa
        // Rica's capital, and no country the gazetteer knows.
        let named_region = region.map(|r| {
            let words: Vec<&str> = r.split_whitespace().collect();
            g.match_at(&words, 0)
                .filter(|(n, e)| *n == words.len() && e.class == Class::Place)
                .map(|(_, e)| e.canonical)
        });
        // ("LANSING, Mich. (AP)": a state's country.)
        let state_country = region.and_then(regions::subdivision).map(|s| s.country);
        let home = match named_region {
            Some(Some(country)) => Some(country),
            _ => state_country.or_else(|| city.and_then(|c| g.capital(c)).map(|e| e.canonical)),
        };
        // Capitalised names ending in a company word.
        let mut companies = Vec::new();
        for s in &a.sentences {
            let mut i = s.tokens.start;
            while i < s.tokens.end {
                let cap = |k: usize| {
                    a.tokens[k].kind == Tok::Word && a.word(k).chars().next().is_some_and(char::is_uppercase)
                };
                if !cap(i) {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < s.tokens.end && (cap(i) || (a.word(i) == "&" && i > start)) {
                    i += 1;
                }
                let described = start > s.tokens.start
                    && g.noun(&a.word(start - 1).to_lowercase()).is_some_and(|n| n.body && !n.national && !n.plural)
                    && a.word(start - 1).chars().all(char::is_lowercase);
                if (i - start >= 2 && g.company_suffix(a.word(i - 1))) || (described && i - start <= 3) {
                    let from = a.tokens[start].start;
                    companies.push((from, a.text[from..a.tokens[i - 1].end].to_string()));
                }
            }
        }
        let mut people: Vec<Person> = (0..a.sentences.len())
            .filter_map(|si| {
                let sref = rules::opening_subject(a, si)?;
                sref.appos.as_ref()?;
                let m = source::analyse(a, &sref);
                let affiliation = m.affiliation.filter(|_| m.named && m.person && m.form == Form::Plain)?;
                let surname = source::surname(&m.name).to_string();
                Some(Person { at: m.span.0, surname, affiliation: Some(affiliation), national: false })
            })
            .chain(titled_people(a))
            .collect();
        people.sort_by_key(|p| p.at);
        Places {
            named,
            bodies,
            home,
            city: city.map(str::to_string),
            companies,
            named_bodies: names::bodies(a),
            people,
            regions: regions::regions(a),
            acronyms: acronyms(a),
        }
    }

    /// The body last named before byte `at` that goes by `noun`.
    pub(super) fn named_body(&self, noun: &str, at: usize) -> Option<&names::NamedBody> {
        self.named_bodies.iter().rev().filter(|b| b.at < at).find(|b| b.nouns.iter().any(|n| same_noun(n, noun)))
    }

    /// The affiliation of the last body the gazetteer knows named before
    /// byte `at` whose text passes `named`.
    pub(super) fn body_before(&self, at: usize, named: impl Fn(&str) -> bool) -> Option<String> {
        self.bodies
            .iter()
            .rev()
            .filter(|(from, _, _, _)| *from < at)
            .find(|(_, _, text, _)| named(text))
            .map(|(_, _, _, e)| e.affiliation().to_string())
    }

    /// The article's country: the dateline's, else the one it names most.
    pub(super) fn country(&self) -> Option<&'static str> {
        self.home.or_else(|| self.most_named(usize::MAX))
    }

    /// The country named most often before byte `at` (the latest on a tie).
    pub(super) fn most_named(&self, at: usize) -> Option<&'static str> {
        let mut counts: Vec<(&'static str, usize, usize)> = Vec::new();
        for &(pos, c) in self.named.iter().filter(|(p, _)| *p < at) {
            match counts.iter_mut().find(|(n, _, _)| *n == c) {
                Some(entry) => {
                    entry.1 += 1;
                    entry.2 = pos;
                }
                None => counts.push((c, 1, pos)),
            }
        }
        counts.into_iter().max_by_key(|&(_, n, last)| (n, last)).map(|(c, _, _)| c)
    }
}

/// The people `a` names under a national title ("Prime Minister Kenji
/// Morioka", "President Lula"), wherever the name stands.
fn titled_people(a: &Article) -> Vec<Person> {
    let g = gazetteer::get();
    let cap = |i: usize| a.tokens[i].kind == Tok::Word && a.word(i).chars().next().is_some_and(char::is_uppercase);
    let title = |i: usize| g.noun(&a.word(i).to_lowercase()).is_some_and(|n| n.title && n.national && !n.plural);
    let mut out = Vec::new();
    let mut i = 0;
    while i < a.tokens.len() {
        if !(cap(i) && title(i)) {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < a.tokens.len() && cap(end) && !title(end) && end - i <= 3 {
            end += 1;
        }
        let name = i + 1..end;
        // ("Prime Minister Morioka"; not "President Biden's administration
        // said", whose name is one word too few to be sure of.)
        if !name.is_empty() && name.clone().all(|k| g.noun(&a.word(k).to_lowercase()).is_none()) {
            let words: Vec<&str> = name.clone().map(|k| a.word(k)).collect();
            let known = g.match_at(&words, 0).is_some();
            if !known {
                let surname = source::surname(&words.join(" ")).to_string();
                out.push(Person { at: a.tokens[i].start, surname, affiliation: None, national: true });
            }
        }
        i = end;
    }
    out
}

/// The acronyms `a` uses that name no place, outlet or title, with their
/// byte offsets (not words of a headline or a dateline in capitals).
fn acronyms(a: &Article) -> Vec<(usize, String)> {
    let g = gazetteer::get();
    let capitals = |i: usize| {
        let w = a.word(i);
        a.tokens[i].kind == Tok::Word && w.chars().count() >= 2 && w.chars().all(|c| c.is_uppercase())
    };
    // ("EV", "DG": two letters are as often a thing or a title.)
    (0..a.tokens.len())
        .filter(|&i| {
            let w = a.word(i);
            let shouting = (i > 0 && capitals(i - 1)) || (i + 1 < a.tokens.len() && capitals(i + 1));
            capitals(i)
                && (3..=6).contains(&w.chars().count())
                && !shouting
                && !source::TITLE_ACRONYMS.contains(&w)
                && !g.match_at(&[w], 0).is_some_and(|(_, e)| matches!(e.class, Class::Place | Class::Outlet))
        })
        .map(|i| (a.tokens[i].start, a.word(i).to_string()))
        .collect()
}
