//! Settling sources that refer back: a pronoun ("he said") takes the
//! nearest earlier source it can stand for; "the spokesman", "the
//! ministry" and a bare surname take the earlier mention they repeat (at
//! its fullest); "one of the diplomats" takes the group's affiliation; "the
//! statement said" is the source that made the statement. A source with a
//! national title and no country ("the interior minister") takes the
//! country of its sentence, else of the dateline, else the country the
//! article names most; "an official of the country" takes the latter.
//! What the article around a mention says of its affiliation is in
//! [`affiliation`], from what [`places`] gathers once per article.

mod affiliation;
mod places;

use super::article::Article;
use super::gazetteer::{self, Class};
use super::rules::{self, Found};
use super::source::{self, Form, Mention};
use super::tokens::Tok;
use crate::model::Kind;
use affiliation::{affiliation_from_context, regional_government, to_state};
use places::Places;

/// A source as the claim will record it, and where its name is.
#[derive(Clone, Debug)]
pub struct Settled {
    /// The mention after resolution.
    pub mention: Mention,
    /// The words the sentence used, when they differ (`he`).
    pub as_written: Option<String>,
    /// Outlets inherited from the mention referred to (same paragraph).
    pub outlets: Vec<String>,
}

struct Earlier {
    mention: Mention,
    paragraph: usize,
    /// The words of the attribution (to find "in a statement").
    region: Vec<String>,
    outlets: Vec<String>,
    /// The proposal it is the source of, if it made one.
    proposal: Option<usize>,
}

/// Nouns for a body by its kind ("the regulator", "the agency", "the
/// union"), that may refer to the last named body of that kind however
/// long ago it spoke.
const KIND_NOUNS: &[&str] = &[
    "regulator",
    "agency",
    "authority",
    "watchdog",
    "commission",
    "union",
    "federation",
    "association",
    "forum",
    "institute",
    "centre",
    "center",
    "board",
];

fn stem(w: &str) -> &str {
    w.strip_suffix("ies").or_else(|| w.strip_suffix('s')).unwrap_or(w)
}

fn same_noun(a: &str, b: &str) -> bool {
    a == b || stem(a) == stem(b) || (a.len() > 3 && b.starts_with(stem(a)) && stem(b) == stem(a))
}

/// The source just before, when it is one holder of a body's title
/// without a name ("its chief executive", "the bank's governor") and the
/// mention is a person's bare name with nothing said about them: wire copy
/// names the office-holder in the next sentence or paragraph.
fn named_after_title<'e>(m: &Mention, earlier: &'e [Earlier], paragraph: usize) -> Option<&'e Earlier> {
    let g = gazetteer::get();
    if !(m.named && m.person && m.affiliation.is_none() && m.description.is_none() && m.words.len() >= 2) {
        return None;
    }
    let x = earlier.last()?;
    let title = x.mention.head.as_deref().and_then(|h| g.noun(h)).is_some_and(|n| n.title && !n.plural);
    (title && !x.mention.named && x.mention.affiliation.is_some() && x.paragraph + 1 >= paragraph).then_some(x)
}

/// The last name in `r` given with an age ("Linda Ferreira, 63,"): two or
/// three capitalised words, a comma, a number under 120, a comma.
fn aged_person(a: &Article, r: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let cap = |i: usize| a.tokens[i].kind == Tok::Word && a.word(i).chars().next().is_some_and(char::is_uppercase);
    (r.start..r.end.saturating_sub(3)).rev().find_map(|c| {
        let age = a.word(c + 1).parse::<u32>().ok()?;
        let shape = a.tokens[c].kind == Tok::Comma && a.tokens[c + 2].kind == Tok::Comma && (1..120).contains(&age);
        if !shape {
            return None;
        }
        let mut start = c;
        while start > r.start && c - start < 3 && cap(start - 1) {
            start -= 1;
        }
        (c - start >= 2).then_some(start..c)
    })
}

/// Resolves the sources of `found` (in text order).
pub fn settle(a: &Article, found: &[Found], city: Option<&str>, region: Option<&str>) -> Vec<Option<Settled>> {
    let places = Places::new(a, city, region);
    let mut earlier: Vec<Earlier> = Vec::new();
    let mut out: Vec<Option<Settled>> = Vec::with_capacity(found.len());
    let mut next_found = 0;
    for (si, sent) in a.sentences.iter().enumerate() {
        // A sentence that attributes nothing may still bring a person or a
        // body into view for the pronouns after it ("An RSF adviser, Omar
        // Haroun, denied …. He said …"; "Calloway … scheduled a hearing").
        if !found.iter().any(|f| f.sentence == si) {
            let introduced = surname_subject(a, sent.tokens.start, sent.tokens.end, &earlier)
                .map(|e| {
                    let mut m = e.mention.clone();
                    m.span = (a.tokens[sent.tokens.start].start, a.tokens[sent.tokens.start].end);
                    m
                })
                .or_else(|| {
                    // ("Families of missing soldiers gathered …. Several
                    // said …": a group of people, for "several" and "they".)
                    rules::opening_subject(a, si).map(|sref| source::analyse(a, &sref)).filter(|m| {
                        matches!(m.form, Form::Plain | Form::Surname)
                            && (m.named || m.entity.is_some() || (m.person && m.plural && m.words.len() >= 2))
                    })
                })
                .or_else(|| {
                    // "That was how Linda Ferreira, 63, described …": a
                    // person introduced with an age is who the next "she
                    // said" means.
                    let head = aged_person(a, sent.tokens.clone())?;
                    let sref = rules::SourceRef { head: head.clone(), appos: None, tail: head.end..head.end };
                    Some(source::analyse(a, &sref)).filter(|m| m.named && m.person)
                });
            if let Some(mention) = introduced {
                earlier.push(Earlier {
                    mention,
                    paragraph: sent.paragraph,
                    region: Vec::new(),
                    outlets: Vec::new(),
                    proposal: None,
                });
            }
        }
        while next_found < found.len() && found[next_found].sentence == si {
            let f = &found[next_found];
            next_found += 1;
            let mention = source::analyse(a, &f.source);
            // "…, its chief executive said. Sipho Ndlovu told …": the
            // earlier claim's source gets the name too.
            let known = earlier
                .iter()
                .any(|x| x.mention.named && source::surname(&x.mention.name) == source::surname(&mention.name));
            let titled = (mention.form == Form::Surname && !known)
                .then(|| named_after_title(&mention, &earlier, f.paragraph).and_then(|x| x.proposal))
                .flatten();
            let settled = settle_one(a, f, mention, &earlier, &places);
            if let (Some(i), Some(s)) = (titled, &settled) {
                if let Some(Some(before)) = out.get_mut(i) {
                    before.as_written.get_or_insert_with(|| before.mention.name.clone());
                    before.mention.name = s.mention.name.clone();
                    before.mention.named = true;
                    before.mention.anonymous = false;
                }
            }
            if let Some(s) = &settled {
                let region = f.region.clone().map(|i| a.word(i).to_lowercase()).collect();
                let mut outlets = f.outlets.clone();
                outlets.extend(s.outlets.iter().cloned());
                earlier.push(Earlier {
                    mention: s.mention.clone(),
                    paragraph: f.paragraph,
                    region,
                    outlets,
                    proposal: Some(out.len()),
                });
            }
            out.push(settled);
        }
    }
    out
}

fn surname_subject<'e>(a: &Article, s: usize, e: usize, earlier: &'e [Earlier]) -> Option<&'e Earlier> {
    if s >= e || a.tokens[s].kind != Tok::Word {
        return None;
    }
    let w = a.word(s);
    if !w.chars().next().is_some_and(char::is_uppercase) || gazetteer::get().noun(&w.to_lowercase()).is_some() {
        return None;
    }
    if !(s + 1 < e && matches!(a.tokens[s + 1].kind, Tok::Comma | Tok::Word)) {
        return None;
    }
    earlier.iter().rev().take(12).find(|x| {
        x.mention.named
            && x.mention.person
            && source::surname(&x.mention.name) == w
            && x.mention.name.split_whitespace().count() > 1
    })
}

fn settle_one(a: &Article, f: &Found, mut m: Mention, earlier: &[Earlier], places: &Places) -> Option<Settled> {
    let mut as_written = None;
    let mut outlets = Vec::new();
    let finished = refer_back(f, &mut m, &mut as_written, &mut outlets, earlier, places)?;
    if !finished {
        let region = regional_government(earlier, f.paragraph);
        affiliation_from_context(a, f, &mut m, &mut as_written, earlier, places, region.as_deref());
        to_state(&mut m, places, region.as_deref());
    }
    Some(Settled { mention: m, as_written, outlets })
}

/// Who a mention that refers back stands for ("he", "the ministry", a
/// bare surname, "one of the diplomats", "several"): the earlier mention
/// it repeats, taken over whole (and its outlets, in the same paragraph).
/// `Some(true)` when nothing is left to settle, `None` when a pronoun has
/// no one to stand for.
fn refer_back(
    f: &Found,
    m: &mut Mention,
    as_written: &mut Option<String>,
    outlets: &mut Vec<String>,
    earlier: &[Earlier],
    places: &Places,
) -> Option<bool> {
    let recent = || earlier.iter().rev().filter(|x| x.paragraph + 4 >= f.paragraph).take(10);
    let adopt = |m: &mut Mention, x: &Earlier, as_written: &mut Option<String>, outlets: &mut Vec<String>| {
        *as_written = Some(m.name.clone());
        let female = m.female;
        *m = x.mention.clone();
        if m.female.is_none() {
            m.female = female;
        }
        if x.paragraph == f.paragraph {
            outlets.extend(x.outlets.iter().cloned());
        }
    };
    // "Several said", "Some said": people of the group just named.
    let bare_quantifier =
        m.words.len() == 1 && matches!(m.words[0].as_str(), "several" | "some" | "many" | "others" | "most" | "both");
    if bare_quantifier {
        if let Some(x) = recent().find(|x| x.mention.person && x.mention.plural) {
            adopt(m, x, as_written, outlets);
            return Some(true);
        }
    }
    match m.form {
        Form::Pronoun => {
            let p = m.name.to_lowercase();
            let fits = |x: &&Earlier| match p.as_str() {
                "he" | "she" => {
                    x.mention.person
                        && !x.mention.plural
                        && (x.mention.female.is_none() || x.mention.female == m.female)
                }
                "they" => x.mention.plural,
                "it" => !x.mention.person,
                _ => false,
            };
            let x =
                recent()
                    .find(fits)
                    .or_else(|| if p == "they" { recent().find(|x| !x.mention.person) } else { None })?;
            adopt(m, x, as_written, outlets);
        }
        Form::Definite => {
            let head = m.head.clone().unwrap_or_default();
            let doc = gazetteer::get().noun(&head).is_some_and(|n| n.doc);
            // "according to the union" is the union, not a person whose
            // description names it ("Joanne Whitaker, the union's regional
            // secretary").
            let body = !m.person && gazetteer::get().noun(&head).is_some_and(|n| n.body);
            if head == "statement" {
                if let Some(x) = recent().find(|x| x.region.iter().any(|w| w == "statement")) {
                    adopt(m, x, as_written, outlets);
                }
            } else if let Some(x) = recent().filter(|x| !(body && x.mention.person)).find(|x| {
                x.mention.words.iter().any(|w| same_noun(w, &head))
                    || (doc && x.region.iter().any(|w| same_noun(w, &head) || w.starts_with(head.as_str())))
            }) {
                if doc {
                    if m.affiliation.is_none() {
                        m.affiliation = x.mention.affiliation.clone();
                    }
                    // "the report said" after "Bloomberg News reported": the
                    // outlet's report.
                    if head == "report" && !x.outlets.is_empty() && x.region.iter().any(|w| w.starts_with("report")) {
                        m.kind = Kind::Media;
                        m.affiliation = Some(x.outlets[0].to_string());
                        outlets.extend(x.outlets.iter().cloned());
                    }
                } else {
                    adopt(m, x, as_written, outlets);
                }
            } else if let Some((_, _, text, e)) = places
                .bodies
                .iter()
                .rev()
                .filter(|(from, _, _, _)| *from < m.span.0)
                .find(|(_, _, text, _)| text.split_whitespace().any(|w| same_noun(&w.to_lowercase(), &head)))
            {
                *as_written = Some(m.name.clone());
                m.name = source::strip_article(text);
                m.kind = e.kind;
                m.affiliation = Some(e.affiliation().to_string());
                m.entity = Some(e);
                m.named = true;
            } else if let Some(b) = places.named_body(&head, m.span.0).filter(|_| !m.person) {
                // "the federation said" after "the Nigeria Football
                // Federation (NFF)": that body.
                // (Not when the body stands for its country: "the
                // commission" of the U.S. Consumer Product Safety
                // Commission keeps its noun.)
                let country = b.country.is_some() || b.national;
                if !country {
                    *as_written = Some(m.name.clone());
                    m.name = b.name.clone();
                    m.named = true;
                }
                m.affiliation = Some(b.name.clone());
                m.anonymous = false;
            } else if let Some(x) = earlier.last().filter(|x| {
                // "According to Natural Resources Canada, …. The agency
                // said …": the body that spoke just before.
                body && x.paragraph + 1 >= f.paragraph
                    && !x.mention.person
                    && (x.mention.named || x.mention.entity.is_some())
                    && matches!(x.mention.kind, Kind::Government | Kind::Organization)
            }) {
                adopt(m, x, as_written, outlets);
            } else if let Some(x) = earlier.iter().rev().find(|x| {
                // "The South African Health Products Regulatory Authority
                // (SAHPRA) said …. “…,” its chief executive told …. The
                // regulator said …": the last named body of the noun's kind,
                // though people and other kinds of body spoke since.
                let role = KIND_NOUNS.contains(&head.as_str());
                let kind = gazetteer::get().noun(&head).and_then(|n| n.kind);
                let country = x.mention.entity.is_some_and(|e| e.class == Class::Place);
                role && kind.is_some_and(|k| k == x.mention.kind)
                    && !x.mention.person
                    && !country
                    && (x.mention.named || x.mention.entity.is_some())
                    && x.mention.form != Form::Definite
            }) {
                adopt(m, x, as_written, outlets);
            } else if let Some(b) = places.named_bodies.iter().find(|b| {
                // "… after the central bank said …" in the lead, then "The
                // Central Bank of Egypt (CBE) said in a statement": wire
                // copy names the body soon after.
                body && b.at > m.span.1 && b.at < m.span.1 + 1200 && b.nouns.iter().any(|n| same_noun(n, &head))
            }) {
                *as_written = Some(m.name.clone());
                m.name = b.name.clone();
                m.named = true;
                m.affiliation = Some(b.name.clone());
                m.anonymous = false;
            }
        }
        Form::Partitive => {
            let head = m.head.clone().unwrap_or_default();
            if let Some(x) = recent().find(|x| x.mention.words.iter().any(|w| same_noun(w, &head))) {
                if m.affiliation.is_none() {
                    m.affiliation = x.mention.affiliation.clone();
                }
                m.anonymous |= x.mention.anonymous;
                m.kind = x.mention.kind;
            }
        }
        Form::Surname => {
            let last = source::surname(&m.name).to_lowercase();
            let bare = m.name.split_whitespace().count() == 1;
            if let Some(x) = earlier
                .iter()
                .rev()
                .find(|x| x.mention.named && source::surname(&x.mention.name).to_lowercase() == last)
                .or_else(|| {
                    // ("Guo" for "foreign ministry spokesman Guo Weiming",
                    // "Lim" for "Lim Boon Keat", "Zubaidi" for "Hassan
                    // al-Zubaidi")
                    earlier.iter().rev().find(|x| {
                        bare && x.mention.named && x.mention.person && source::same_surname(&x.mention.name, &m.name)
                    })
                })
            {
                adopt(m, x, as_written, outlets);
            } else if let Some(x) = named_after_title(m, earlier, f.paragraph) {
                // "…, its chief executive said. Sipho Ndlovu told a
                // briefing …": the office-holder, now named.
                m.affiliation = x.mention.affiliation.clone();
                m.anonymous = false;
            }
        }
        Form::Plain => {
            // A bare repeat of a fuller mention in the same paragraph
            // ("US officials … as officials claim").
            let bare = m.words.first().is_some_and(|w| !matches!(w.as_str(), "a" | "an" | "the" | "one"));
            if bare && !m.named && m.entity.is_none() {
                if let Some(x) = recent().filter(|x| x.paragraph == f.paragraph).find(|x| {
                    x.mention.words.len() > m.words.len() && m.words.iter().all(|w| x.mention.words.contains(w))
                }) {
                    adopt(m, x, as_written, outlets);
                }
            }
            // The fullest mention of the same body ("the ECB" after "the
            // European Central Bank").
            if let Some(e) = m.entity {
                if let Some((_, _, text, _)) = places
                    .bodies
                    .iter()
                    .filter(|(from, _, _, be)| *from < m.span.0 && std::ptr::eq(*be, e))
                    .max_by_key(|(_, _, text, _)| text.len())
                {
                    if text.len() > m.name.len() {
                        *as_written = Some(m.name.clone());
                        m.name = source::strip_article(text);
                    }
                }
            }
        }
    }
    Some(false)
}
