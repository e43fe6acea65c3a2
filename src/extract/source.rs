//! What a source mention says about the source: its name as written, its
//! kind, whether it is anonymous, and its affiliation, from the mention,
//! its apposition and the words near it ("speaking on condition of
//! anonymity"). Pronouns and mentions that refer back ("the spokesman") are
//! marked here and settled by [`super::resolve`].

use super::article::Article;
use super::cues;
use super::gazetteer::{self, Class, Entity};
use super::rules::SourceRef;
use super::tokens::Tok;
use crate::model::Kind;
use std::ops::Range;

/// How a mention names its source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// A name or a description that stands on its own.
    Plain,
    /// `he`, `she`, `it`, `they`.
    Pronoun,
    /// `the spokesman`, `the ministry`: refers back to an earlier mention.
    Definite,
    /// `one of the diplomats`: one of an earlier group.
    Partitive,
    /// One or two capitalised words that may be a surname (`Solberg`).
    Surname,
}

/// A source mention, analysed.
#[derive(Clone, Debug)]
pub struct Mention {
    /// The name recorded (leading "a", "an", "the" dropped).
    pub name: String,
    /// Byte range of the mention in the text.
    pub span: (usize, usize),
    /// An apposition or description (`a spokesman for the ministry`).
    pub description: Option<String>,
    /// The kind.
    pub kind: Kind,
    /// Whether the source is anonymous.
    pub anonymous: bool,
    /// Whether the mention has a proper name of a person or body.
    pub named: bool,
    /// The affiliation found in the mention itself.
    pub affiliation: Option<String>,
    /// A national institution or title without its country ("the interior
    /// minister"): the article's country applies.
    pub national: bool,
    /// "an official of the country": the country the article is about.
    pub of_the_country: bool,
    /// The head noun, lower case (`official`, `ministry`).
    pub head: Option<String>,
    /// A plural mention.
    pub plural: bool,
    /// A person or group of people (not a body or a document).
    pub person: bool,
    /// Female (`Some(true)`), male, or not known.
    pub female: Option<bool>,
    /// How it names the source.
    pub form: Form,
    /// The lower-case words of the mention and its description.
    pub words: Vec<String>,
    /// Outlets named inside the mention (`a draft seen by AFP`).
    pub outlets: Vec<String>,
    /// The gazetteer entry the whole mention names (`Hamas`, `the ECB`).
    pub entity: Option<&'static Entity>,
    /// Common nouns for bodies the mention belongs to ("the institute's
    /// director" → `institute`), to look up earlier mentions.
    pub refers: Vec<String>,
    /// Capitalised words that may be short for an earlier name
    /// ("Commission spokesperson" after "the European Commission").
    pub short_forms: Vec<String>,
}

/// Capitalised words that belong to titles and institutions, not names.
const TITLE_WORDS: &[&str] = &[
    "interior",
    "foreign",
    "treasury",
    "cabinet",
    "presiding",
    "acting",
    "interim",
    "former",
    "solicitor",
    "government",
    "presidential",
    "economy",
    "economic",
    "finance",
    "defence",
    "defense",
    "health",
    "energy",
    "trade",
    "justice",
    "labor",
    "labour",
    "deputy",
    "vice",
    "prime",
    "senior",
    "chief",
    "district",
    "federal",
    "state",
    "national",
    "independent",
    "supreme",
    "high",
    "secretary",
    "general",
    "attorney",
    "minister",
    "president",
    "executive",
    "officer",
    "director",
    "commissioner",
    "ambassador",
    "sheikh",
    "prince",
    "king",
    "queen",
    "emir",
    "crown",
    "dr",
    "dr.",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "prof",
    "prof.",
    "sir",
    "dame",
    "lord",
    "lady",
    "rev",
    "capt.",
    "gen.",
    "col.",
    "lt.",
    "sgt.",
    "sen.",
    "rep.",
    "gov.",
    "information",
    "education",
    "environment",
    "agriculture",
    "transport",
    "industry",
    "culture",
    "tourism",
    "housing",
    "communications",
    "home",
    "public",
    "security",
    "intelligence",
    "military",
    "army",
    "navy",
    "air",
    "force",
    "police",
    "central",
    "regional",
    "local",
    "acting",
    "caretaker",
    "interim",
    "former",
    "first",
    "speaker",
    "opposition",
    "leader",
    "commission",
    "ministry",
    "department",
    "office",
    "council",
    "court",
    "judge",
    "chairman",
    "chairwoman",
    "governor",
    "mayor",
    "senator",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "captain",
    "colonel",
    "major",
    "lieutenant",
    "sergeant",
    "commander",
    "chancellor",
    "premier",
    "bank",
    "economist",
    "analyst",
    "professor",
    "pope",
    "cardinal",
    "bishop",
    "imam",
    "rabbi",
    "representative",
    "delegate",
    "envoy",
    "special",
    "u.n.",
    "un",
    "eu",
    "us",
];

/// Capitalised abbreviations that are titles, not bodies ("Labour MP").
pub const TITLE_ACRONYMS: &[&str] =
    &["MP", "MPs", "MEP", "MEPs", "CEO", "CFO", "COO", "CTO", "MD", "PM", "DA", "KC", "QC", "SC", "OBE", "MBE", "CBE"];

/// Letters after a name ("Jonathan Whitcombe KC", "Martin Luther King
/// Jr"): not its surname.
pub fn post_nominal(w: &str) -> bool {
    matches!(w.trim_end_matches('.'), "KC" | "QC" | "SC" | "Jr" | "Sr" | "II" | "III" | "PhD" | "OBE" | "MBE")
}

/// A person's surname: the last word of the name past letters after it.
pub fn surname(name: &str) -> &str {
    name.split_whitespace().rev().find(|w| !post_nominal(w)).unwrap_or("")
}

/// Whether `later` (a bare surname as a later sentence writes it) names
/// the person named `full`: the same surname past an Arabic article
/// ("Zubaidi" for "Hassan al-Zubaidi"), or a family name written first
/// ("Guo" for "spokesman Guo Weiming", "Lim" for "Lim Boon Keat").
pub fn same_surname(full: &str, later: &str) -> bool {
    let bare = |w: &str| {
        let w = w.trim_end_matches("'s").trim_end_matches("’s").to_lowercase();
        ["al-", "el-"].iter().find_map(|p| w.strip_prefix(p).map(str::to_string)).unwrap_or(w)
    };
    let later = bare(later);
    let words: Vec<&str> = full.split_whitespace().filter(|w| !post_nominal(w)).collect();
    match words.as_slice() {
        [] => false,
        [.., last] if bare(last) == later => true,
        // (Family name first: the word before the given name, or the first
        // of a three-word name.)
        [.., second, _] if bare(second) == later => true,
        [first, _, _] => bare(first) == later,
        _ => false,
    }
}

/// Sectors a state names a body by ("Health Canada", "Transport Canada",
/// "Natural Resources Canada").
const SECTORS: &[&str] = &[
    "health",
    "environment",
    "statistics",
    "transport",
    "finance",
    "justice",
    "immigration",
    "natural",
    "resources",
    "fisheries",
    "agriculture",
    "employment",
    "industry",
    "infrastructure",
    "parks",
    "elections",
    "revenue",
    "heritage",
    "energy",
    "defence",
    "sport",
];

/// Titles of address before a surname ("Mr Davies").
const HONORIFICS: &[&str] =
    &["mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prof", "prof.", "miss", "sir", "dame"];

/// Words after a mention's core that start what is said about it.
fn post_modifier(w: &str) -> bool {
    matches!(
        w,
        "of" | "for"
            | "from"
            | "at"
            | "in"
            | "with"
            | "on"
            | "close"
            | "familiar"
            | "involved"
            | "who"
            | "which"
            | "whose"
            | "speaking"
            | "briefed"
            | "published"
            | "seen"
            | "released"
            | "posted"
            | "issued"
            | "filed"
            | "circulated"
            | "obtained"
            | "reviewed"
            | "by"
            | "to"
            | "working"
            | "based"
            | "reached"
            | "interviewed"
            | "asking"
            | "declining"
            | "that"
    )
}

/// Words that end a name and send the rest to the description.
fn ends_name(w: &str) -> bool {
    matches!(
        w,
        "who" | "whose" | "which" | "speaking" | "asking" | "declining" | "reached" | "interviewed" | "reached,"
    )
}

fn is_determiner(w: &str) -> bool {
    matches!(
        w,
        "a" | "an" | "the" | "one" | "his" | "her" | "their" | "its" | "our" | "two" | "three" | "four" | "five"
    )
}

fn pronoun(w: &str) -> bool {
    matches!(w, "he" | "she" | "they" | "it" | "we" | "i")
}

struct View<'a, 'b> {
    a: &'b Article<'a>,
}

impl View<'_, '_> {
    fn w(&self, i: usize) -> String {
        self.a.folded[i].clone()
    }

    fn cap(&self, i: usize) -> bool {
        self.a.word(i).chars().next().is_some_and(char::is_uppercase)
    }

    fn sentence_start(&self, i: usize) -> bool {
        self.a.starts_sentence(i) || (i > 0 && matches!(self.a.tokens[i - 1].kind, Tok::Quote | Tok::Colon))
    }

    fn text(&self, r: &Range<usize>) -> String {
        if r.is_empty() {
            return String::new();
        }
        let text = &self.a.text[self.a.tokens[r.start].start..self.a.tokens[r.end - 1].end];
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Whether token `i` is part of a proper name.
    fn name_word(&self, i: usize) -> bool {
        let t = &self.a.tokens[i];
        if t.kind != Tok::Word || !self.cap(i) {
            return false;
        }
        let w = self.w(i);
        let g = gazetteer::get();
        if TITLE_WORDS.contains(&w.as_str()) || g.noun(&w).is_some() || g.match_at(&[self.a.word(i)], 0).is_some() {
            return false;
        }
        // "the Strasbourg-based court": where a body is, not its name.
        if w.ends_with("-based") {
            return false;
        }
        if self.sentence_start(i) && (is_determiner(&w) || pronoun(&w) || cues::starts_intro(&w)) {
            return false;
        }
        // "Aid workers said", "Legal experts said": a capital that only
        // starts the sentence, before a common noun.
        let next_common = self.a.tokens.get(i + 1).is_some_and(|t| t.kind == Tok::Word)
            && !self.cap(i + 1)
            && gazetteer::get().noun(&self.w(i + 1)).is_some_and(|n| n.person || n.body);
        if self.sentence_start(i) && next_common {
            return false;
        }
        !matches!(w.as_str(), "the" | "a" | "an" | "one" | "some" | "several" | "both" | "many" | "all" | "most")
    }
}

/// Analyses a source mention found by a rule.
pub fn analyse(a: &Article, sref: &SourceRef) -> Mention {
    let v = View { a };
    let g = gazetteer::get();
    let mut head = sref.head.clone();
    while head.len() > 1 && matches!(v.w(head.start).as_str(), "and" | "but" | "or") {
        head.start += 1;
    }
    // "…, a move analysts said was needed": a reduced relative clause; the
    // source is the people after the noun it describes.
    if head.len() == 3
        && matches!(v.w(head.start).as_str(), "a" | "an")
        && !v.cap(head.start + 1)
        && !g.noun(&v.w(head.start + 1)).is_some_and(|n| n.person || n.body)
        && g.noun(&v.w(head.start + 2)).is_some_and(|n| n.person && n.plural)
    {
        head.start += 2;
    }
    // The name is the apposition when it is a proper name after a
    // description ("the headquarters' secretary, Dmytro Kovalenko,").
    let mut name = head.clone();
    let mut desc: Vec<Range<usize>> = Vec::new();
    if let Some(appos) = &sref.appos {
        // A person's name: capitalised words, maybe with "al", "bin", "de";
        // not a list ("Food and Rural Affairs").
        // ("…, Sheikh Waqas Akram,", "…, Dr Amal Haddad,": a title first.)
        let titled = |i: usize| {
            let w = v.w(i);
            v.cap(i)
                && (HONORIFICS.contains(&w.as_str())
                    || matches!(
                        w.as_str(),
                        "sheikh"
                            | "prince"
                            | "dr"
                            | "dr."
                            | "professor"
                            | "prof"
                            | "prof."
                            | "general"
                            | "gen."
                            | "colonel"
                            | "col."
                            | "commander"
                            | "captain"
                            | "major"
                            | "lieutenant"
                            | "admiral"
                            | "inspector"
                            | "superintendent"
                    ))
        };
        let lead = if titled(appos.start) && appos.start + 1 < appos.end && v.name_word(appos.start + 1) {
            appos.start + 1
        } else {
            appos.start
        };
        let appos_is_name = v.name_word(lead) && !is_determiner(&v.w(lead)) && {
            // The name's words, then perhaps "of the governing coalition".
            let particle = |i: usize| {
                matches!(v.w(i).as_str(), "al" | "bin" | "ibn" | "de" | "da" | "van" | "von" | "la" | "le" | "el")
            };
            let run_end = (lead..appos.end).find(|&i| !(v.cap(i) || particle(i))).unwrap_or(appos.end);
            run_end - lead <= 5 && (run_end == appos.end || post_modifier(&v.w(run_end)))
        };
        // The head is a description when it ends in a common noun ("her
        // rival", "a National Weather Service meteorologist").
        let head_core_end = (head.start + 1..head.end).find(|&i| post_modifier(&v.w(i))).unwrap_or(head.end);
        let head_is_name = (head.start..head_core_end).any(|i| v.name_word(i)) && v.cap(head_core_end - 1);
        // "…, Paraguayan diplomat Luis Benítez,": a title, then the name.
        let titled_name = (appos.start + 1..appos.end).find(|&i| {
            v.name_word(i)
                && !v.cap(i - 1)
                && g.noun(&v.w(i - 1)).is_some_and(|n| n.person)
                && (i..appos.end).all(|j| v.name_word(j))
        });
        if appos_is_name && !head_is_name {
            name = appos.clone();
            desc.push(head.clone());
        } else if let (Some(at), false) = (titled_name, head_is_name) {
            name = at..appos.end;
            desc.push(head.clone());
            desc.push(appos.start..at);
        } else {
            desc.push(appos.clone());
        }
    }
    // "two EU diplomats who spoke on condition of anonymity"
    if let Some(cut) = (name.start + 1..name.end).find(|&i| ends_name(&v.w(i))) {
        desc.insert(0, cut..name.end);
        name.end = cut;
    }
    // "one of the diplomats": the group is the core.
    let quantifier = |w: &str| {
        matches!(
            w,
            "one"
                | "two"
                | "three"
                | "four"
                | "five"
                | "some"
                | "several"
                | "both"
                | "many"
                | "most"
                | "each"
                | "another"
        )
    };
    let partitive = name.len() >= 3 && quantifier(&v.w(name.start)) && v.w(name.start + 1) == "of";
    let mut core_start = name.start;
    if partitive {
        core_start = name.start + 2;
        while core_start + 1 < name.end
            && matches!(v.w(core_start).as_str(), "the" | "its" | "those" | "these" | "their")
        {
            core_start += 1;
        }
    }
    // The core: the name up to its post-modifiers, keeping "of" inside
    // capitalised names ("Organization of American States").
    let mut core_end = name.end;
    for i in core_start + 1..name.end {
        let w = v.w(i);
        if post_modifier(&w) {
            let inside_name =
                matches!(w.as_str(), "of" | "for" | "and" | "&") && v.cap(i - 1) && i + 1 < name.end && v.cap(i + 1);
            if !inside_name {
                core_end = i;
                break;
            }
        }
    }
    let core = core_start..core_end;
    let lower: Vec<String> = core.clone().map(|i| v.w(i)).collect();
    let words_all: Vec<String> = std::iter::once(name.clone())
        .chain(desc.iter().cloned())
        .flat_map(|r| r.map(|i| v.w(i)).collect::<Vec<_>>())
        .collect();
    let raw_words: Vec<&str> = core.clone().map(|i| a.word(i)).collect();
    let entities = g.find_all(&raw_words);
    let covered: Vec<usize> = entities.iter().flat_map(|&(i, n, _)| (core.start + i)..(core.start + i + n)).collect();
    let proper = |i: usize| v.name_word(i) && !covered.contains(&i);
    let whole_entity =
        entities.first().filter(|(i, n, _)| *n + skip_article(&lower) == lower.len() && *i == skip_article(&lower));
    // ("Amnesty International Kenya", "Transparency International
    // Bangladesh": an organisation's national chapter is the organisation.)
    let chapter = match entities.as_slice() {
        [(i, n, org), (j, m, place)] => {
            *i == skip_article(&lower)
                && org.class == Class::Organisation
                && place.class == Class::Place
                && *j == i + n
                && j + m == lower.len()
        }
        _ => false,
    };
    let whole_entity = whole_entity.or(entities.first().filter(|_| chapter));
    let entity = whole_entity.map(|(_, _, e)| *e);

    let form = if lower.len() == 1 && pronoun(&lower[0]) {
        Form::Pronoun
    } else if partitive {
        Form::Partitive
    } else if lower.first().is_some_and(|w| w == "the")
        && !(core.clone()).any(proper)
        && entity.is_none()
        && !entities.iter().any(|(i, _, e)| e.class == Class::Place && *i > 1 && v.w(core.start + i - 1) == "of")
        && !entities.iter().any(|(_, _, e)| e.class == Class::Organisation && !v.cap(core.end - 1) && lower.len() > 2)
        // ("The U.S. embassy", "the Greek coastguard": a place says whose.)
        && !entities.iter().any(|(i, n, e)| e.class == Class::Place && core.start + i + n < core.end)
    {
        // ("The State Bank of Pakistan" is a name, not a noun that refers
        // back.)
        Form::Definite
    } else if !lower.is_empty()
        && lower.len() <= 3
        && (core.clone()).all(|i| proper(i) || (i == core.start && HONORIFICS.contains(&v.w(i).as_str())))
        && (core.clone()).any(proper)
        && entity.is_none()
    {
        Form::Surname
    } else {
        Form::Plain
    };

    // The head noun: the last word of the core.
    // ("the Office for Students (OfS)": the head is "office"'s run's last
    // word, not the short name in brackets.)
    let bracket_tail =
        core.len() >= 4 && a.tokens[core.end - 1].kind == Tok::Close && a.tokens[core.end - 3].kind == Tok::Open;
    let head_word = if bracket_tail { lower.get(lower.len() - 4).cloned() } else { lower.last().cloned() };
    // ("the Office for Students", "the Ministry of Health": a body's noun
    // before "for" or "of" inside its name is the head.)
    let head_word = (core.start + 1..core.end.saturating_sub(1))
        .find(|&j| {
            matches!(v.w(j).as_str(), "of" | "for")
                && v.cap(j - 1)
                && v.cap(j + 1)
                && g.noun(&v.w(j - 1)).is_some_and(|n| n.body && !n.plural)
                // ("the State Bank of Pakistan" is Pakistan's.)
                && !g.match_at(&[a.word(j + 1)], 0).is_some_and(|(_, e)| e.class == Class::Place)
        })
        .map(|j| v.w(j - 1))
        .or(head_word);
    let head_noun = head_word.as_deref().and_then(|w| g.noun(w));
    // "a Brightline spokesperson", "an Equinor engineer": capitalised words
    // between "a" and a person noun name the body the person belongs to,
    // not the person.
    let body_before_person = (lower.len() >= 3
        && matches!(lower[0].as_str(), "a" | "an")
        && head_noun.is_some_and(|n| n.person)
        && !v.cap(core.end - 1)
        && (core.start + 1..core.end - 1).all(|i| v.cap(i) && !TITLE_WORDS.contains(&v.w(i).as_str())))
    .then(|| core.start + 1..core.end - 1);
    let named = entity.is_none() && body_before_person.is_none() && (core.clone()).any(proper);

    // Nouns of the whole mention, to tell titles ("chief economist").
    let nouns: Vec<gazetteer::Noun> = lower.iter().filter_map(|w| g.noun(w)).collect();
    let desc_head_noun = desc
        .iter()
        .filter(|r| !matches!(v.w(r.start).as_str(), "who" | "whose" | "which" | "that"))
        .filter_map(|r| {
            let end = (r.start + 1..r.end).find(|&i| post_modifier(&v.w(i))).unwrap_or(r.end);
            (r.start..end).rev().find_map(|i| g.noun(&v.w(i)))
        })
        .next();

    // Outlets in the mention.
    let mut outlets = Vec::new();
    let name_words: Vec<&str> = name.clone().map(|i| a.word(i)).collect();
    for (i, n, e) in g.find_all(&name_words) {
        let defined = n == 1 && super::names::not_the_outlet(a, name_words[i]);
        if e.class == Class::Outlet && !defined && !outlets.iter().any(|o: &String| o == e.canonical) {
            outlets.push(e.canonical.to_string());
        }
    }
    let seen_by = words_all
        .windows(2)
        .any(|w| matches!(w[0].as_str(), "seen" | "obtained" | "reviewed" | "published" | "released") && w[1] == "by");

    // "Environment Canada", "Health Canada", "Statistics Canada": a sector
    // then its country is a state body ("Denzel Washington" is a person).
    let country_named = lower.len() >= 2
        && (core.start..core.end).all(|k| v.cap(k) || v.w(k) == "the")
        && entities.iter().any(|(i, n, e)| e.class == Class::Place && core.start + i + n == core.end && *i > 0)
        && entities.iter().find(|(_, _, e)| e.class == Class::Place).is_some_and(|(i, _, _)| {
            (core.start..core.start + i).filter(|&k| v.w(k) != "the").all(|k| SECTORS.contains(&v.w(k).as_str()))
        });
    let kind = if form == Form::Pronoun {
        Kind::Unknown
    } else if let Some(e) = entity {
        e.kind
    } else if !outlets.is_empty() && !head_noun.is_some_and(|n| n.person) && !seen_by {
        Kind::Media
    } else if let Some(n) = head_noun.filter(|_| !named || !head_word_is_name(&v, &core)) {
        n.kind.unwrap_or(Kind::Unknown)
    } else if named {
        // A name: the title words before it, or the apposition, say what.
        let titled = nouns.iter().filter(|n| n.title || n.person).find_map(|n| n.kind);
        let any_body = nouns.iter().find(|n| n.body).and_then(|n| n.kind);
        titled
            .or(any_body)
            .or(desc_head_noun.and_then(|n| n.kind))
            .or(entities.iter().find(|(_, _, e)| e.class != Class::Place).map(|(_, _, e)| e.kind))
            .unwrap_or(Kind::Person)
    } else {
        head_noun.and_then(|n| n.kind).unwrap_or(Kind::Unknown)
    };

    let kind = if country_named && matches!(kind, Kind::Unknown | Kind::Person) { Kind::Government } else { kind };
    let tail_text: String = std::iter::once(sref.tail.clone())
        .chain(desc.iter().cloned())
        .chain(std::iter::once(name.clone()))
        .map(|r| v.text(&r).to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    let marker = cues::ANONYMITY.iter().any(|m| tail_text.contains(m));
    let person = if entity.is_some() {
        false
    } else if named {
        !matches!(kind, Kind::Organization | Kind::Government | Kind::Document | Kind::Media)
            || head_noun.is_some_and(|n| n.person)
    } else {
        head_noun.is_some_and(|n| n.person)
    };
    // One holder of a body's title ("the SFO's director") is not anonymous.
    let title_head = !head_noun.is_some_and(|n| n.plural) && head_noun.is_some_and(|n| n.title);
    // ("the SFO's director", "the town's mayor", "the bank's governor")
    let possessed = core.clone().any(|i| a.tokens[i].kind == Tok::Possessive && i > core.start);
    let the_title = lower.len() == 2
        && lower[0] == "the"
        && !matches!(head_kind_word(&lower[1]), Some(Kind::Spokesperson) | Some(Kind::Person));
    let owned = lower.len() == 2 && matches!(lower[0].as_str(), "its" | "his" | "her" | "their");
    // ("Premier says …", "minister says" in a headline: the office.)
    let bare_title = lower.len() == 1 && title_head;
    let office_holder = title_head && (possessed || the_title || owned || bare_title);
    // A named person stays named whatever the phrases near them say ("who
    // asked that her employer not be named"), unless they spoke
    // anonymously.
    let spoke_anonymously = tail_text.contains("anonymity") || tail_text.contains("anonymously");
    let anonymous = if form == Form::Pronoun {
        marker
    } else if named && person {
        spoke_anonymously
    } else {
        marker || (person && !named && !office_holder)
    };

    // Affiliation: an organisation or body named in the mention, else a
    // place, else a named organisation the mention belongs to ("at ING").
    let of_the_country = words_all.windows(3).any(|w| w[0] == "of" && w[1] == "the" && w[2] == "country");
    let mut affiliation;
    // "The Confederation of African Football (CAF)": the short name the
    // mention gives itself in brackets.
    let bracketed = (core.start + 1..core.end.saturating_sub(1)).find(|&i| {
        a.tokens[i - 1].kind == Tok::Open
            && a.tokens[i + 1].kind == Tok::Close
            && a.short_names.iter().any(|n| n.short == a.word(i) && n.full.end == i - 1)
    });
    if let Some(e) = entity {
        affiliation = Some(e.affiliation().to_string());
    } else if let Some(i) = bracketed.filter(|_| !person) {
        affiliation = Some(g.match_at(&[a.word(i)], 0).map_or(a.word(i), |(_, e)| e.affiliation()).to_string());
    } else {
        // A place counts where it qualifies the source ("a Qatari official",
        // "Ukraine's headquarters", "officials of Qatar"), not where it only
        // says where ("a doctor at a Bucharest hospital"); an organisation
        // counts anywhere in the mention.
        let mut orgs: Vec<&Entity> = Vec::new();
        let mut places: Vec<&Entity> = Vec::new();
        // Names the gazetteer does not know, introduced by what they are
        // ("Chile's state copper company Codelco").
        let mut named_orgs: Vec<String> = Vec::new();
        let mut take = |r: Range<usize>, with_places: bool| {
            let ws: Vec<&str> = r.clone().map(|i| a.word(i)).collect();
            for (i, n, e) in g.find_all(&ws) {
                // ("of the University of Colombo": the place names the
                // university, not whose the source is.)
                // (A state's bank or government keeps its country: "the
                // State Bank of Pakistan".)
                let in_a_name = i >= 2
                    && ws[i - 1] == "of"
                    && matches!(
                        ws[i - 2],
                        "University" | "College" | "School" | "Institute" | "Museum" | "Hospital" | "Academy"
                    );
                // ("Irish carrier Skylark Air", "a Dutch hospital group": a
                // company is its own, whatever country it is from.)
                let describes_a_company = ws[i + n..].iter().take(2).any(|w| {
                    super::names::COMPANY_NOUNS.contains(w) || matches!(*w, "carrier" | "planemaker" | "miner")
                });
                // ("Iran's ambassador to the IAEA": sent to it, not from it.)
                let at = r.start + i;
                let before = |k: usize| if at >= k { v.w(at - k) } else { String::new() };
                let to = if before(1) == "to" {
                    1
                } else if before(1) == "the" && before(2) == "to" {
                    2
                } else {
                    0
                };
                let sent_to =
                    to > 0 && matches!(before(to + 1).as_str(), "ambassador" | "envoy" | "representative" | "delegate");
                // ("the Bangladesh Freight Forwarders Association", "the
                // German Chambers of Industry and Commerce": a place that
                // begins a body's name is part of the name.)
                let begins = i == 0
                    || !(ws[i - 1].chars().next().is_some_and(char::is_uppercase)
                        || super::names::joins_a_name(ws[i - 1]));
                // ("the National Union of Senegalese Footballers", "the
                // Federation of Kenyan Employers": a place between a name's
                // "of" and its last capitalised words is inside the name.)
                let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
                let inside =
                    i >= 2 && ws[i - 1] == "of" && capital(ws[i - 2]) && ws.get(i + n).is_some_and(|w| capital(w));
                if e.class == Class::Place && inside {
                    let mut from = i - 2;
                    while from > 0
                        && (capital(ws[from - 1])
                            || (super::names::joins_a_name(ws[from - 1]) && from >= 2 && capital(ws[from - 2])))
                    {
                        from -= 1;
                    }
                    if matches!(ws[from], "The" | "A" | "An") {
                        from += 1;
                    }
                    let end = (i + n..ws.len()).find(|&k| !capital(ws[k])).unwrap_or(ws.len());
                    let short = a.short_names.iter().find(|s| s.full.end == r.start + end);
                    named_orgs
                        .push(short.map_or_else(|| v.text(&(r.start + from..r.start + end)), |s| s.short.clone()));
                    continue;
                }
                if e.class == Class::Place && begins {
                    if let Some(end) = name_after_place(&ws, i + n) {
                        // (By the short name it goes by: "(BAFFA)".)
                        let short = a.short_names.iter().find(|s| s.full.end == r.start + end);
                        named_orgs
                            .push(short.map_or_else(|| v.text(&(r.start + i..r.start + end)), |s| s.short.clone()));
                        continue;
                    }
                }
                match e.class {
                    Class::Place if with_places && !in_a_name && !describes_a_company => places.push(e),
                    Class::Organisation | Class::Body if !sent_to => orgs.push(e),
                    _ => {}
                }
            }
            if let Some(name) = described_name(&v, r) {
                named_orgs.push(name);
            }
        };
        // Phrases with "of" and "for" say whom the source belongs to or
        // speaks for ("a spokesman for Qatar's foreign ministry"); "at",
        // "in", "from" say where.
        let mut phrases = |r: Range<usize>| {
            let mut start = r.start;
            // ("Fitch Ratings, which cut Ethiopia to restricted default":
            // what a relative clause names is not whose the source is.)
            let clause = matches!(v.w(r.start).as_str(), "who" | "which" | "that" | "whose");
            let mut with_places = !clause;
            for i in r.start + 1..=r.end {
                let inside_name = i < r.end
                    && matches!(v.w(i).as_str(), "of" | "for" | "and" | "&")
                    && v.cap(i - 1)
                    && i + 1 < r.end
                    && v.cap(i + 1);
                if i == r.end || (post_modifier(&v.w(i)) && v.w(i) != "the" && !inside_name) {
                    take(start..i, with_places);
                    if i < r.end {
                        start = i;
                        // ("a negotiator from Samoa": an official from a
                        // state speaks for it; not "a farmer from Kisumu".)
                        let official = v.w(i) == "from"
                            && g.noun(&v.w(i - 1)).is_some_and(|n| n.person && n.kind == Some(Kind::Official));
                        with_places = !clause && (matches!(v.w(i).as_str(), "of" | "for") || official);
                    }
                }
            }
        };
        phrases(name.start..name.end);
        for r in &desc {
            phrases(r.clone());
        }
        // "The United Nations children's agency UNICEF": the body that
        // ends the mention is the one speaking.
        let head_org = entities
            .iter()
            .find(|(i, n, e)| core.start + i + n == core.end && matches!(e.class, Class::Organisation | Class::Body))
            .map(|(_, _, e)| e);
        let org = head_org.or(orgs.first());
        // "The fund's mission chief for Pakistan": the title belongs to a
        // body named before ("the fund"), not to the place of its brief.
        let owned_by_body = std::iter::once(name.clone()).chain(desc.iter().cloned()).any(|r| {
            (r.start + 1..r.end).any(|i| {
                a.tokens[i].kind == Tok::Possessive
                    && !v.cap(i - 1)
                    && g.noun(&v.w(i - 1)).is_some_and(|n| n.body && !n.national)
            })
        });
        let place = places.first().filter(|_| !owned_by_body);
        // A body's own name: "IF Metall", "the Environment Agency", "the
        // Local Government Association".
        let capitalised = core.clone().filter(|&i| v.cap(i) && !v.sentence_start(i)).count();
        let own_name =
            if !person && (named || capitalised >= 2) && matches!(kind, Kind::Organization | Kind::Government) {
                own_org_name(&v, &core, desc_head_noun.is_some_and(|n| n.body))
            } else {
                None
            };
        // A national body ("the Department of Transportation", "the
        // Department for Culture, Media and Sport") takes its country from
        // the article, not its own name.
        let national_head = head_noun.is_some_and(|n| n.national)
            || (kind == Kind::Government && lower.iter().any(|w| g.noun(w).is_some_and(|n| n.national && n.body)));
        // "the Turkish Statistical Institute": a state's agency gives its
        // country.
        let own_name = own_name.map(|n| {
            let ws: Vec<&str> = n.split_whitespace().collect();
            super::names::state_agency_country(&ws).map_or(n, str::to_string)
        });
        affiliation = match (org, named_orgs.first(), own_name, place) {
            (Some(o), _, _, _) => Some(o.affiliation().to_string()),
            (None, Some(n), _, _) => Some(n.clone()),
            (None, None, Some(n), _) if !(matches!(kind, Kind::Government) && (place.is_some() || national_head)) => {
                Some(n)
            }
            (None, None, _, Some(p)) => Some(p.canonical.to_string()),
            _ => None,
        };
        // "the Arizona Department of Forestry": the words before a national
        // body's noun say whose it is.
        if affiliation.is_none() && national_head && kind == Kind::Government {
            affiliation = jurisdiction(&v, &core);
        }
        if affiliation.is_none() && !(named && !person && matches!(kind, Kind::Government | Kind::Organization)) {
            // "an economist at ING", "a lawyer with the firm Baxter & Lowe",
            // "a survey by the National Pharmacy Association" (a named body's
            // own "of" is part of its name)
            let by = kind == Kind::Document || kind == Kind::Media;
            affiliation =
                member_of(&v, name.clone(), by).or_else(|| desc.iter().find_map(|r| member_of(&v, r.clone(), by)));
        }
    }
    // "a Brightline spokesperson": the body named before the person noun.
    if affiliation.is_none() {
        if let Some(r) = body_before_person.clone() {
            let ws: Vec<&str> = r.clone().map(|i| a.word(i)).collect();
            affiliation = match g.find_all(&ws).first() {
                Some((0, n, e)) if *n == ws.len() => Some(e.affiliation().to_string()),
                _ => Some(v.text(&r)),
            };
        }
    }
    // "Arcadia's chief executive, Tom Reddaway", "the opposition New
    // Patriotic Party's spokesman": the body before a possessive that a
    // title or a person follows.
    if affiliation.is_none() {
        affiliation = std::iter::once(name.clone()).chain(desc.iter().cloned()).find_map(|r| possessor(&v, r));
    }
    // "Labour MP Daniel Okafor", "Goldman Sachs analyst Ana Ruiz": a name
    // before the title of a named person is the body they belong to.
    if affiliation.is_none() && named {
        affiliation = body_before_title(&v, &core, &covered);
    }
    // An organisation's name before the title: "a National Weather Service
    // meteorologist", "a Mercy Corps spokesman".
    if affiliation.is_none() {
        for r in std::iter::once(core.clone()).chain(desc.iter().map(|r| {
            let end = (r.start + 1..r.end).find(|&i| post_modifier(&v.w(i))).unwrap_or(r.end);
            r.start..end
        })) {
            if r.len() < 3 || v.cap(r.end - 1) || !g.noun(&v.w(r.end - 1)).is_some_and(|n| n.person) {
                continue;
            }
            let mut start = r.end - 1;
            while start > r.start && v.cap(start - 1) && !v.sentence_start(start - 1) {
                start -= 1;
            }
            let run = start..r.end - 1;
            let plain =
                run.clone().filter(|&i| !TITLE_WORDS.contains(&v.w(i).as_str()) && !covered.contains(&i)).count();
            if run.len() >= 2 && plain >= 1 {
                affiliation = Some(v.text(&run));
                break;
            }
        }
    }
    // An acronym the gazetteer does not know ("AIU data", "an NAO official",
    // "ZEW President Achim Brandt").
    if affiliation.is_none() {
        let of_phrase = (core_end < name.end && v.w(core_end) == "of").then_some(core_end..name.end);
        affiliation = core
            .clone()
            .chain(of_phrase.into_iter().flatten())
            .find(|&i| {
                let w = a.word(i);
                let introduced = a.short_names.iter().any(|n| n.short == w);
                w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && (introduced || w.chars().all(|c| c.is_uppercase() || c == '.' || c == '&'))
                    && !covered.contains(&i)
                    && !TITLE_ACRONYMS.contains(&w.trim_end_matches('.'))
            })
            .map(|i| a.word(i).to_string());
    }
    // "Takeshi Moriyama, a JMA official in charge of …": an acronym just
    // before the person noun of an apposition.
    if affiliation.is_none() {
        affiliation = desc.iter().find_map(|r| {
            (r.start..r.end.saturating_sub(1)).find_map(|i| {
                let w = a.word(i);
                let acronym = w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && w.chars().all(|c| c.is_uppercase() || c == '.' || c == '&')
                    && !TITLE_ACRONYMS.contains(&w.trim_end_matches('.'));
                (acronym && g.noun(&v.w(i + 1)).is_some_and(|n| n.person)).then(|| w.to_string())
            })
        });
    }
    // Bodies the mention refers to by a common noun ("association president
    // Nadia Rossi", "the institute's director", "who chairs the
    // association"), and capitalised short forms ("Commission spokesperson"),
    // for [`super::resolve`] to look up earlier in the article.
    let mut refers: Vec<String> = Vec::new();
    let mut name_refers: Vec<String> = Vec::new();
    let mut short_forms: Vec<String> = Vec::new();
    for r in std::iter::once(name.clone()).chain(desc.iter().cloned()) {
        // ("…, speaking on condition of anonymity because he was not
        // authorised to brief the media": the media are not his body.)
        let clause =
            matches!(v.w(r.start).as_str(), "who" | "which" | "that" | "whose" | "speaking" | "asking" | "declining");
        for i in r.clone() {
            let w = v.w(i);
            if w == "its" && i + 1 < r.end {
                if !refers.iter().any(|x| x == "it") {
                    refers.push("it".to_string());
                }
                continue;
            }
            let is_head = r == name && i + 1 == core_end;
            // "Party state secretary M. Suresh Babu": a body's noun that
            // opens a title refers to that body.
            let opens_title = r == name && i == core.start && v.cap(i) && !is_head && i + 1 < core_end && !v.cap(i + 1);
            if opens_title && g.noun(&w).is_some_and(|n| n.body && !n.national) {
                if !refers.contains(&w) {
                    name_refers.push(w.clone());
                    refers.push(w);
                }
                continue;
            }
            if is_head || v.cap(i) {
                if v.cap(i) && r == name && i < core_end && !is_head && TITLE_WORDS.contains(&w.as_str()) {
                    short_forms.push(a.word(i).to_string());
                }
                continue;
            }
            if w == "its" && i + 1 < r.end && !refers.iter().any(|x| x == "it") {
                refers.push("it".to_string());
                continue;
            }
            let body = g.noun(&w).is_some_and(|n| n.body);
            // "the ministry", "the finance ministry", "the San Jose-based
            // company"
            let mut before = i;
            if before > r.start + 1 && located_adjective(&v.w(before - 1)) {
                before -= 1;
                while before > r.start + 1 && v.cap(before - 1) {
                    before -= 1;
                }
                before = before.max(r.start + 1);
            }
            let after_the = before > r.start
                && (v.w(before - 1) == "the"
                    || (before > r.start + 1
                        && v.w(before - 2) == "the"
                        && !v.cap(before - 1)
                        && a.tokens[before - 1].kind == Tok::Word));
            // "a party spokesman, Rafał Bochenek": the body noun before a
            // person noun in an apposition.
            let modifier = (i + 1 < r.end && r == name && i < core_end)
                || (i > r.start
                    && i + 1 < r.end
                    && matches!(v.w(i - 1).as_str(), "a" | "an" | "the")
                    && g.noun(&v.w(i + 1)).is_some_and(|n| n.person));
            if body && (after_the || modifier) && !refers.contains(&w) {
                if !clause {
                    name_refers.push(w.clone());
                }
                refers.push(w);
            }
        }
    }
    // A national title ("Interior Minister", "the army") takes the
    // article's country, unless it belongs to a named body ("the
    // federation's president").
    // A relative clause does not count here: "who was not authorised to
    // speak to the media" does not make "a ministry official" a body's.
    let national = affiliation.is_none()
        && ((name_refers.iter().all(|w| g.noun(w).is_some_and(|n| n.national))
            && (lower.iter().any(|w| {
                g.noun(w).is_some_and(|n| n.national)
                    || matches!(
                        w.as_str(),
                        "government" | "presidential" | "congressional" | "parliamentary" | "federal"
                    )
            }) || portfolio_title(&lower)
                || (person && !name_refers.is_empty())))
            || std::iter::once(name.clone()).chain(desc.iter().cloned()).any(|r| national_member(&v, r))
            // ("The minister, Achta Hissein Nour,": the title alone.)
            || desc.iter().any(|r| {
                let ws: Vec<String> = r.clone().map(|i| v.w(i)).collect();
                matches!(ws.as_slice(), [d, t] if d == "the" && g.noun(t).is_some_and(|n| n.national && n.title))
            })
            // ("a senior official in the prime minister's office")
            || words_all.windows(3).any(|p| {
                g.noun(&p[0]).is_some_and(|n| n.national && n.title)
                    && matches!(p[1].as_str(), "'s" | "’s")
                    && g.noun(&p[2]).is_some_and(|n| n.body)
            }));
    let refers: Vec<String> = refers.into_iter().filter(|w| !g.noun(w).is_some_and(|n| n.national)).collect();

    // ("Manager Luis Ferreira, speaking before Tuesday's home game": a day
    // or a month is no one's employer.)
    if affiliation.as_deref().is_some_and(crate::model::date::names_a_day_or_month) {
        affiliation = None;
    }
    let female = nouns.iter().find_map(|n| n.female).or(desc_head_noun.and_then(|n| n.female));
    let plural = head_noun.is_some_and(|n| n.plural) || (form == Form::Pronoun && lower[0] == "they");
    let (span_from, span_to) = (a.tokens[name.start].start, a.tokens[name.end - 1].end);
    let display = strip_article(&v.text(&name));
    let description =
        if desc.is_empty() { None } else { Some(desc.iter().map(|r| v.text(r)).collect::<Vec<_>>().join(", ")) };
    Mention {
        name: display,
        span: (span_from, span_to),
        description,
        kind,
        anonymous,
        named,
        affiliation,
        national,
        of_the_country,
        head: head_word,
        plural,
        person: person || form == Form::Pronoun && lower[0] != "it",
        female: if form == Form::Pronoun {
            match lower[0].as_str() {
                "she" => Some(true),
                "he" => Some(false),
                _ => None,
            }
        } else {
            female
        },
        form,
        words: words_all,
        outlets,
        entity,
        refers,
        short_forms,
    }
}

fn head_kind_word(w: &str) -> Option<Kind> {
    gazetteer::get().noun(w).and_then(|n| n.kind)
}

fn skip_article(lower: &[String]) -> usize {
    usize::from(lower.first().is_some_and(|w| w == "the"))
}

fn head_word_is_name(v: &View, core: &Range<usize>) -> bool {
    core.end > core.start && v.name_word(core.end - 1)
}

/// The proper name of an organisation mention ("The Swiss Tenants’
/// Association" → `Swiss Tenants’ Association`, "the metalworkers' union
/// IF Metall" → `IF Metall`).
fn own_org_name(v: &View, core: &Range<usize>, described: bool) -> Option<String> {
    let g = gazetteer::get();
    // The last run of capitalised words (with possessives), if it has a
    // word that is not a place.
    let mut end = core.end;
    while end > core.start && !v.cap(end - 1) && v.a.tokens[end - 1].kind != Tok::Possessive {
        end -= 1;
    }
    let mut start = end;
    while start > core.start
        && (v.cap(start - 1)
            || v.a.tokens[start - 1].kind == Tok::Possessive
            || matches!(v.w(start - 1).as_str(), "of" | "for" | "&" | "and"))
    {
        start -= 1;
    }
    while start < end && (matches!(v.w(start).as_str(), "the" | "a" | "an" | "of" | "&" | "and") || !v.cap(start)) {
        start += 1;
    }
    // One capitalised word that starts a sentence may be any word, unless
    // an apposition says it is a body ("Unison, the public service union").
    if start >= end || (end - start == 1 && v.sentence_start(start) && !described) {
        return None;
    }
    let words: Vec<&str> = (start..end).map(|i| v.a.word(i)).collect();
    let all_places =
        g.find_all(&words).iter().map(|(_, n, e)| if e.class == Class::Place { *n } else { 0 }).sum::<usize>()
            == words.len();
    if all_places {
        return None;
    }
    Some(v.text(&(start..end)))
}

/// The organisation a person is "at", "with" or "of" in a phrase:
/// `an economist at ING in Frankfurt` → `ING`; places are not
/// organisations here.
fn member_of(v: &View, r: Range<usize>, by: bool) -> Option<String> {
    // "head of commodities research at Halvorsen Bank": the first phrase
    // that names a body.
    // A phrase whose first word (past an article) is capitalised names
    // what it names, whether or not that is a body: later phrases belong
    // to that name ("for the Department for Environment, Food and …").
    // "who chairs the CMA's inquiry group", "who heads the Kenya Red Cross":
    // the body a person leads.
    let leads = |i: usize| {
        i > r.start
            && v.w(i - 1) == "who"
            && matches!(
                v.w(i).as_str(),
                "chairs"
                    | "chaired"
                    | "heads"
                    | "headed"
                    | "leads"
                    | "led"
                    | "runs"
                    | "ran"
                    | "directs"
                    | "directed"
                    | "founded"
                    | "co-founded"
                    | "coordinates"
                    | "represents"
            )
    };
    for k in (r.start..r.end).filter(|&i| {
        matches!(v.w(i).as_str(), "at" | "with" | "for" | "of")
            || (by && matches!(v.w(i).as_str(), "by" | "from"))
            || (v.w(i) == "from" && from_a_body(v, i, r.end))
            || leads(i)
    }) {
        // "an ally of PiS", "a critic of the government": a relation to
        // the body, not membership.
        if k > r.start && (relation(&v.w(k - 1)) || place_noun(&v.w(k - 1))) {
            return None;
        }
        // "Coordinating Minister for Infrastructure": a portfolio (not "a
        // lawmaker from the Orange Democratic Movement").
        // ("the general secretary of the CGT" leads a body.)
        let leader = k > r.start + 1 && matches!(v.w(k - 2).as_str(), "general" | "executive");
        if k > r.start
            && !leader
            && matches!(v.w(k - 1).as_str(), "minister" | "ministers" | "secretary" | "undersecretary")
        {
            continue;
        }
        let mut next = k + 1;
        while next < r.end && matches!(v.w(next).as_str(), "the" | "a" | "an") {
            next += 1;
        }
        let found = member_after(v, k, r.clone());
        if found.is_some() || (next < r.end && v.cap(next)) {
            return found;
        }
    }
    None
}

/// Whether "from" at `k` names a body by a name ending in a body's noun
/// ("a lawmaker from the Orange Democratic Movement"), not a place ("a
/// farmer from Kisumu").
fn from_a_body(v: &View, k: usize, end: usize) -> bool {
    let g = gazetteer::get();
    let mut last = None;
    for i in k + 1..end {
        // ("from the ruling United Democratic Alliance", "from the
        // populist Progress Party")
        let adjective = last.is_none() && i + 1 < end && v.cap(i + 1) && body_adjective(&v.w(i));
        if v.cap(i) {
            last = Some(i);
        } else if !(matches!(v.w(i).as_str(), "the" | "of" | "for" | "and") || adjective) {
            break;
        }
    }
    last.is_some_and(|i| g.noun(&v.w(i)).is_some_and(|n| n.body))
}

/// Nouns for a relation to a body or person rather than membership ("an
/// ally of", "a critic of").
fn relation(w: &str) -> bool {
    matches!(
        w,
        "ally"
            | "allies"
            | "critic"
            | "critics"
            | "rival"
            | "rivals"
            | "opponent"
            | "opponents"
            | "supporter"
            | "supporters"
            | "friend"
            | "friends"
            | "client"
            | "clients"
            | "customer"
            | "customers"
            | "victim"
            | "victims"
            | "fan"
            | "fans"
            | "backer"
            | "backers"
    )
}

/// A government portfolio before a title ("Agriculture Secretary", "Foreign
/// Affairs Undersecretary"): a national office.
fn portfolio_title(lower: &[String]) -> bool {
    const PORTFOLIOS: &[&str] = &[
        "agriculture",
        "affairs",
        "defence",
        "defense",
        "economy",
        "education",
        "energy",
        "environment",
        "finance",
        "foreign",
        "health",
        "infrastructure",
        "interior",
        "justice",
        "labor",
        "labour",
        "trade",
        "transport",
        "treasury",
    ];
    lower.windows(2).any(|p| {
        (PORTFOLIOS.contains(&p[0].as_str())
            && matches!(p[1].as_str(), "secretary" | "undersecretary" | "under-secretary" | "minister"))
            || (matches!(p[0].as_str(), "solicitor" | "attorney") && p[1] == "general")
    })
}

/// Where a body's name that a place begins ends ("Bangladesh | Freight
/// Forwarders Association", "German | Chambers of Industry and Commerce",
/// "Icelandic | Federation of Service Workers"): capitalised words from
/// `from`, one of them the noun of a body that is no state's, and no sign
/// of a state body in them. `None` when the place only qualifies.
fn name_after_place(ws: &[&str], from: usize) -> Option<usize> {
    let g = gazetteer::get();
    let cap = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let mut end = from;
    while end < ws.len()
        && (cap(ws[end])
            || ((super::names::joins_a_name(ws[end]) || matches!(ws[end], "’" | "'"))
                && end + 1 < ws.len()
                && cap(ws[end + 1])))
    {
        end += 1;
    }
    let run = &ws[from..end];
    let org_noun = run.iter().any(|w| {
        let lower = w.to_lowercase();
        let singular = lower.strip_suffix('s').unwrap_or(&lower).to_string();
        [lower, singular]
            .iter()
            .any(|l| g.noun(l).is_some_and(|n| n.body && !n.national && n.kind == Some(Kind::Organization)))
    });
    let company = run.iter().any(|w| super::names::COMPANY_NOUNS.contains(&w.to_lowercase().as_str()));
    (org_noun && !company && !super::names::state_body(run)).then_some(end)
}

/// A place made an adjective ("San Jose-based", "London-listed"): it
/// says where a body is, not which.
pub(crate) fn located_adjective(w: &str) -> bool {
    ["-based", "-listed", "-headquartered", "-owned", "-backed", "-registered"].iter().any(|s| w.ends_with(s))
}

/// Nouns for a place named after them ("the town of Visaginas").
fn place_noun(w: &str) -> bool {
    matches!(
        w,
        "town" | "city" | "village" | "region" | "province" | "state" | "district" | "county" | "island" | "port"
    )
}

/// Whether a phrase names a national institution by its capitalised name
/// ("a spokesperson for the Ministry of Housing, Communities and Local
/// Government"): its country comes from the article.
fn national_member(v: &View, r: Range<usize>) -> bool {
    let g = gazetteer::get();
    (r.start..r.end).any(|k| {
        if !matches!(v.w(k).as_str(), "for" | "of" | "at" | "from") {
            return false;
        }
        let mut next = k + 1;
        while next < r.end && v.w(next) == "the" {
            next += 1;
        }
        next < r.end && v.cap(next) && g.noun(&v.w(next)).is_some_and(|n| n.national && n.body)
    })
}

/// [`member_of`] for the phrase starting at the preposition `k`.
/// Words that say what sort of body a name after them is ("the governing
/// Workers' Party", "the opposition Orange Democratic Movement").
fn body_adjective(w: &str) -> bool {
    matches!(
        w,
        "governing"
            | "ruling"
            | "opposition"
            | "main"
            | "independent"
            | "state-run"
            | "state-owned"
            | "far-right"
            | "far-left"
            | "centre-right"
            | "centre-left"
            | "center-right"
            | "center-left"
            | "left-wing"
            | "right-wing"
            | "nationalist"
            | "populist"
    )
}

fn member_after(v: &View, k: usize, r: Range<usize>) -> Option<String> {
    let g = gazetteer::get();
    if k + 1 >= r.end || matches!(v.w(k + 1).as_str(), "a" | "an") {
        return None; // "at a European bank"
    }
    let mut start = k + 1;
    // ("the Bogota-based think tank Indepaz": where it is and what it is,
    // then its name.)
    let describes = |i: usize| {
        let w = v.w(i);
        located_adjective(&w)
            || (w == "think" && i + 1 < r.end && v.w(i + 1) == "tank")
            // "of the governing Workers' Party"
            || body_adjective(&w)
    };
    while start < r.end && (matches!(v.w(start).as_str(), "the" | "a" | "an") || !v.cap(start) || describes(start)) {
        if v.w(start) != "the"
            && g.noun(&v.w(start)).is_none()
            && !matches!(v.w(start).as_str(), "a" | "an")
            && !describes(start)
        {
            return None;
        }
        start += 1;
    }
    // "by Nigeria's National Oil Spill Detection and Response Agency": a
    // country's agency gives the country; another body of it, its name.
    // "by Ukraine's economy ministry": a country's ministry.
    let mut owner = None;
    if start + 2 < r.end && v.cap(start) && v.a.tokens[start + 1].kind == Tok::Possessive {
        if let Some(country) = super::names::country_word(v.a.word(start)) {
            if v.cap(start + 2) {
                owner = Some(country);
                start += 2;
            } else if (start + 2..r.end.min(start + 5)).any(|i| g.noun(&v.w(i)).is_some_and(|n| n.national && n.body)) {
                return Some(country.to_string());
            }
        }
    }
    let mut end = start;
    // ("Centre for Environmental Rights": "for" between capitalised words
    // is inside the name.)
    let inside = |i: usize| {
        let between = i + 1 < r.end && v.cap(i + 1) && v.cap(i - 1);
        // ("the Solvent Extractors' Association of India")
        between && (matches!(v.w(i).as_str(), "for" | "on") || v.a.tokens[i].kind == Tok::Possessive)
    };
    while end < r.end
        && (v.cap(end)
            || matches!(v.w(end).as_str(), "of" | "&" | "and")
            || inside(end)
            || v.a.tokens[end].kind == Tok::Other)
    {
        if v.w(end) == "in" {
            break;
        }
        end += 1;
    }
    while end > start && !v.cap(end - 1) {
        end -= 1;
    }
    if end <= start {
        return None;
    }
    // "the San Jose-based company": a place made an adjective is not the
    // body; the noun after it is (see `refers`).
    if located_adjective(&v.w(end - 1)) {
        return None;
    }
    // "a European utility": a capitalised word before a noun modifies it.
    if end < r.end
        && v.a.tokens[end].kind == Tok::Word
        && !v.cap(end)
        && !matches!(v.w(end).as_str(), "in" | "and" | "on")
        && !post_modifier(&v.w(end))
        && !g.noun(&v.w(end)).is_some_and(|n| n.body)
    {
        return None;
    }
    // "the Ministry of Housing": a national body, whose country comes from
    // the article.
    if g.noun(&v.w(start)).is_some_and(|n| n.national && n.body) && g.match_at(&[v.a.word(start)], 0).is_none() {
        let words: Vec<&str> = (start..end).map(|i| v.a.word(i)).collect();
        if g.find_all(&words).is_empty() {
            return None;
        }
    }
    // "… on International Economic Relations (ICRIER)": the short name it
    // is given.
    if let Some(short) = v.a.short_names.iter().find(|n| n.full.end == end && n.full.start >= start) {
        return Some(short.short.clone());
    }
    let words: Vec<&str> = (start..end).map(|i| v.a.word(i)).collect();
    // "a statement from the Lebanese army": a country's army, ministry,
    // police.
    if end == start + 1 && end < r.end && g.noun(&v.w(end)).is_some_and(|n| n.national && n.body) {
        if let Some(country) = super::names::country_word(v.a.word(start)) {
            return Some(country.to_string());
        }
    }
    // "from the US National Oceanic and Atmospheric Administration"
    if let Some(country) = super::names::state_agency_country(&words) {
        return Some(country.to_string());
    }
    if let Some(country) = owner {
        let agency =
            words.last().is_some_and(|w| super::names::STATE_AGENCY_NOUNS.contains(&w.to_lowercase().as_str()));
        if agency {
            return Some(country.to_string());
        }
    }
    match g.find_all(&words).first() {
        Some((0, n, e)) if *n == words.len() => (e.class != Class::Place).then(|| {
            if e.class == Class::Outlet {
                e.canonical.to_string()
            } else {
                e.affiliation().to_string()
            }
        }),
        _ => Some(v.text(&(start..end))),
    }
}

/// The name at the end of a phrase, after a lower-case noun of a body
/// ("the state copper company Codelco", "the consultancy Benchmark
/// Insights"), when the gazetteer does not know it.
fn described_name(v: &View, r: Range<usize>) -> Option<String> {
    let g = gazetteer::get();
    if r.is_empty() || !v.cap(r.end - 1) {
        return None;
    }
    let mut start = r.end - 1;
    while start > r.start && v.cap(start - 1) && !v.sentence_start(start - 1) {
        start -= 1;
    }
    if start == r.start || v.cap(start - 1) || !g.noun(&v.w(start - 1)).is_some_and(|n| n.body && !n.plural) {
        return None;
    }
    let words: Vec<&str> = (start..r.end).map(|i| v.a.word(i)).collect();
    if !g.find_all(&words).is_empty() || (start..r.end).any(|i| TITLE_WORDS.contains(&v.w(i).as_str())) {
        return None;
    }
    Some(v.text(&(start..r.end)))
}

/// The capitalised words before a national body's noun, when they are not
/// titles: "Arizona Department of …" → `Arizona`.
fn jurisdiction(v: &View, core: &Range<usize>) -> Option<String> {
    let g = gazetteer::get();
    let mut start = core.start;
    while start < core.end && matches!(v.w(start).as_str(), "the" | "a" | "an") {
        start += 1;
    }
    let noun = (start..core.end).find(|&i| g.noun(&v.w(i)).is_some_and(|n| n.national && n.body))?;
    let run = start..noun;
    // (Not "the Human Resources Ministry": a portfolio is no place.)
    let plain = !run.is_empty()
        && run.clone().all(|i| v.cap(i) && !TITLE_WORDS.contains(&v.w(i).as_str()))
        && !run.clone().any(|i| SECTORS.contains(&v.w(i).as_str()));
    plain.then(|| v.text(&run))
}

/// The body before a possessive that a title or a person noun follows:
/// "Arcadia's chief executive" → `Arcadia`; a place is left to the place
/// rules.
fn possessor(v: &View, r: Range<usize>) -> Option<String> {
    let g = gazetteer::get();
    let at = (r.start + 1..r.end).find(|&i| {
        v.a.tokens[i].kind == Tok::Possessive
            && v.cap(i - 1)
            && (i + 1..r.end.min(i + 4)).any(|j| {
                // An office of the body, not a relation to a person
                // ("Pellew's lawyer").
                let w = v.w(j);
                TITLE_WORDS.contains(&w.as_str())
                    || matches!(w.as_str(), "founder" | "co-founder" | "head" | "boss")
                    || (g.noun(&w).is_some_and(|n| n.title)
                        && !matches!(w.as_str(), "lawyer" | "attorney" | "counsel" | "doctor" | "agent"))
            })
    })?;
    let mut start = at - 1;
    while start > r.start && v.cap(start - 1) && !matches!(v.w(start - 1).as_str(), "the" | "a" | "an") {
        start -= 1;
    }
    let words: Vec<&str> = (start..at).map(|i| v.a.word(i)).collect();
    match g.find_all(&words).first() {
        Some((0, n, e)) if *n == words.len() => (e.class != Class::Place).then(|| e.affiliation().to_string()),
        _ => Some(v.text(&(start..at))),
    }
}

/// A name before the title of a named person ("Labour MP Daniel Okafor"):
/// capitalised words, none of them a title or known to the gazetteer, then
/// a title, then the person's name.
fn body_before_title(v: &View, core: &Range<usize>, covered: &[usize]) -> Option<String> {
    let g = gazetteer::get();
    let is_title = |i: usize| {
        let w = v.w(i);
        TITLE_WORDS.contains(&w.as_str())
            || TITLE_ACRONYMS.contains(&v.a.word(i))
            || g.noun(&w).is_some_and(|n| n.title || n.person)
    };
    // "Labour MP": a title word that qualifies the next title is the body.
    let t = (core.start..core.end)
        .find(|&i| is_title(i) && !(i + 1 < core.end && TITLE_ACRONYMS.contains(&v.a.word(i + 1))))?;
    if t == core.start || !(t + 1..core.end).any(|i| v.name_word(i)) {
        return None;
    }
    // "Electricity Minister", "Heavy Industries Minister": a portfolio, not
    // a body; the national title takes the article's country.
    if g.noun(&v.w(t)).is_some_and(|n| n.national) {
        return None;
    }
    // ("Westpac agri economist Lucy Tamaki": lower-case words between the
    // body and the title say what sort of title.)
    let caps = (core.start..t).take_while(|&i| v.cap(i)).count();
    let between = core.start + caps..t;
    let joins = |i: usize| matches!(v.w(i).as_str(), "and" | "of" | "for" | "&");
    if caps == 0 || between.len() > 2 || between.clone().any(|i| v.cap(i) || is_determiner(&v.w(i)) || joins(i)) {
        return None;
    }
    let run = core.start..core.start + caps;
    // ("Party state secretary M. Suresh Babu": a body's noun alone names
    // no body; the party is found by its noun.)
    if run.len() == 1 && g.noun(&v.w(run.start)).is_some_and(|n| n.body) {
        return None;
    }
    let plain = run.clone().all(|i| {
        v.cap(i) && !covered.contains(&i) && !HONORIFICS.contains(&v.w(i).as_str()) && !is_determiner(&v.w(i))
    });
    plain.then(|| v.text(&run))
}

/// Drops a leading article from a name.
pub fn strip_article(name: &str) -> String {
    for article in ["the ", "The ", "a ", "A ", "an ", "An "] {
        if let Some(rest) = name.strip_prefix(article) {
            return rest.to_string();
        }
    }
    name.to_string()
}
