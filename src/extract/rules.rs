//! The attribution patterns, applied sentence by sentence.
//!
//! Every reporting cue outside quotation marks is looked at in turn. Its
//! source is the noun phrase before it (back to a comma, a quotation mark
//! or a clause word), with an apposition (`X, a spokesman for Y, said`), or
//! the phrase after it (`…,” said X, …`). Its content is what stands after
//! it (`X said (that) …`, `X told Reuters: “…”`), or before it when the cue
//! closes the sentence (`…, X said.`), or both around it (`…, X said, …`).
//! `according to X` and `X was quoted by Y as saying` have rules of their
//! own; `…, adding (that) …` gives a second attribution to the same source;
//! `Y reported, citing X, …` gives X as the source and Y as an outlet. A
//! direct quotation goes on over the quoted sentences and paragraphs that
//! follow it without a cue of their own.

use super::article::Article;
use super::cues::{self, Cue};
use super::gazetteer::{self, Class};
use super::proposal::{QuoteKind, Rule};
use super::tokens::Tok;
use std::ops::Range;

/// Where a source is named: the mention and what is said about it nearby.
#[derive(Clone, Debug)]
pub struct SourceRef {
    /// The noun phrase that names the source (tokens).
    pub head: Range<usize>,
    /// An apposition (`, a spokesman for the ministry,`).
    pub appos: Option<Range<usize>>,
    /// Tokens near the source that may say it is anonymous (the rest of
    /// the attribution: `speaking on condition of anonymity`).
    pub tail: Range<usize>,
}

/// An attribution found by a rule, in tokens; [`super::source`] and
/// [`super::resolve`] turn its source into a claim's source.
#[derive(Clone, Debug)]
pub struct Found {
    /// The rule that fired.
    pub rule: Rule,
    /// The cue as written (tokens), e.g. `told` … `Reuters`.
    pub cue: Range<usize>,
    /// The pieces of content (byte ranges): one for reported speech, one
    /// per quotation for direct speech.
    pub pieces: Vec<(usize, usize)>,
    /// Direct, indirect or mixed.
    pub quote: QuoteKind,
    /// The source.
    pub source: SourceRef,
    /// Outlets named in the attribution (`told Reuters`, `according to
    /// news agencies, including AFP`).
    pub outlets: Vec<String>,
    /// The sentence it is in.
    pub sentence: usize,
    /// The paragraph it is in.
    pub paragraph: usize,
    /// The tokens of the attribution itself (source and cue), to find a
    /// later "the statement said" that refers back to it.
    pub region: Range<usize>,
}

/// Finds every attribution in the article.
pub fn find(a: &Article) -> Vec<Found> {
    let scan = Scan::new(a);
    let mut out: Vec<Found> = Vec::new();
    let mut si = 0;
    while si < a.sentences.len() {
        let before = out.len();
        scan.sentence(si, &mut out);
        let mut next = si + 1;
        // A direct quotation goes on over following quoted sentences.
        if out.len() > before {
            if let Some(last) = out.last_mut().filter(|f| f.quote != QuoteKind::Indirect) {
                next = scan.continue_quote(si, last);
            }
        }
        si = next;
    }
    out
}

/// The noun phrase a sentence opens with, with its apposition ("Calloway,
/// who was appointed in 2019, scheduled …"): a mention that later pronouns
/// may refer to, even when the sentence attributes nothing.
pub fn opening_subject(a: &Article, si: usize) -> Option<SourceRef> {
    let sent = &a.sentences[si];
    Scan::new(a).opening(sent.tokens.start, sent.tokens.end)
}

/// A subject found for a cue: the mention and the first token of its clause.
struct Subject {
    head: Range<usize>,
    appos: Option<Range<usize>>,
    /// The first token of the attribution (the subject's first token, or the
    /// cue for an inverted `said X`).
    start: usize,
    /// One past the last token of the attribution when the source stands
    /// after the cue.
    after_end: Option<usize>,
}

/// What follows a cue before its content.
#[derive(Default)]
struct After {
    /// The first token of the content.
    start: usize,
    outlets: Vec<String>,
    /// The source a media subject cites (`Folha reported, citing X, …`).
    cited: Option<Range<usize>>,
    /// Whether "that", a colon or a quotation introduces the content.
    introduced: bool,
}

struct Scan<'a, 'b> {
    a: &'b Article<'a>,
}

impl<'a, 'b> Scan<'a, 'b> {
    fn new(a: &'b Article<'a>) -> Scan<'a, 'b> {
        Scan { a }
    }

    fn w(&self, i: usize) -> &str {
        self.a.folded.get(i).map_or("", String::as_str)
    }

    fn kind(&self, i: usize) -> Tok {
        self.a.tokens.get(i).map_or(Tok::Stop, |t| t.kind)
    }

    /// Outside quotation marks (and not a mark itself).
    fn out(&self, i: usize) -> bool {
        i < self.a.tokens.len() && self.a.inside[i].is_none() && self.kind(i) != Tok::Quote
    }

    fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Tok::Word
    }

    fn cap(&self, i: usize) -> bool {
        self.a.word(i).chars().next().is_some_and(char::is_uppercase)
    }

    fn bytes(&self, r: &Range<usize>) -> (usize, usize) {
        (self.a.tokens[r.start].start, self.a.tokens[r.end - 1].end)
    }

    /// The cues of a sentence outside quotation marks, with their class
    /// and the number of tokens of the cue phrase.
    fn cues(&self, s: usize, e: usize) -> Vec<(usize, Cue, usize)> {
        let mut out = Vec::new();
        for i in s..e {
            if !self.out(i) || !self.is_word(i) {
                continue;
            }
            let w = self.w(i);
            if w == "according" && self.w(i + 1) == "to" {
                out.push((i, Cue::Say, 2));
                continue;
            }
            // "per data from Clarksons" (not "per cent", "per day", "per barrel")
            if w == "per" && self.is_word(i + 1) && !cues::per_unit(self.w(i + 1)) {
                out.push((i, Cue::Say, 1));
                continue;
            }
            let Some(cue) = cues::cue(w) else { continue };
            // Reporting verbs are written in lower case ("the United States").
            if self.cap(i) {
                continue;
            }
            // A participle continues a clause after a comma (", adding").
            if matches!(cue, Cue::Participle | Cue::TellParticiple) && !(i > s && self.kind(i - 1) == Tok::Comma) {
                continue;
            }
            let prev = if i > s { self.w(i - 1) } else { "" };
            // "the claims", "claims by healthcare assistants", "back-pay
            // claims": a noun.
            let noun_after = matches!(self.w(i + 1), "by" | "of" | "for" | "from" | "against");
            let compound = prev.contains('-') && !self.cap(i - 1);
            if cues::also_noun(w)
                && (cues::NOUN_MARKERS.contains(&prev) || cues::cue(self.w(i + 1)).is_some() || noun_after || compound)
            {
                continue;
            }
            if cues::negates(prev) || (i > s + 1 && cues::negates(self.w(i - 2)) && cues::is_aux(prev)) {
                continue;
            }
            let passive = matches!(prev, "was" | "were" | "is" | "are" | "been" | "be" | "being");
            if passive && cue != Cue::Quoted {
                continue;
            }
            if cue == Cue::Quoted && !(passive || self.find_word(i + 1, e, "as").is_some()) {
                continue;
            }
            out.push((i, cue, 1));
        }
        out
    }

    /// Whether the cue at `c` is inside the source of an `according to`
    /// before it, with no comma or stop between.
    fn in_according_phrase(&self, cues: &[(usize, Cue, usize)], c: usize) -> bool {
        cues.iter().any(|&(c0, _, _)| {
            c0 < c
                && matches!(self.w(c0), "according" | "per")
                && (c0 + 1..c).all(|k| !matches!(self.kind(k), Tok::Comma | Tok::Stop | Tok::Semicolon))
        })
    }

    fn find_word(&self, from: usize, to: usize, word: &str) -> Option<usize> {
        (from..to.min(from + 14)).find(|&k| self.out(k) && self.w(k) == word)
    }

    /// Applies the rules to sentence `si`, appending what they find.
    fn sentence(&self, si: usize, out: &mut Vec<Found>) {
        let sent = &self.a.sentences[si];
        let (s, e) = (sent.tokens.start, sent.tokens.end);
        let mut cues = self.cues(s, e);
        // A sentence that ends with its attribution (`…, the report said.`)
        // is that attribution's content; cues inside it are nested.
        if cues.len() > 1 {
            let last = cues.iter().rev().find(|(c, k, _)| {
                matches!(k, Cue::Say | Cue::Strict | Cue::Tell)
                    && !matches!(self.w(*c), "according" | "per")
                    && !self.in_according_phrase(&cues, *c)
                    && (!cues::also_noun(self.w(*c)) || self.names_document(&(self.phrase_back(s, *c)..*c)))
            });
            if let Some(&(cl, kl, ll)) = last.filter(|&&(cl, _, _)| self.ends_sentence(cl, e)) {
                let closing = self.say(si, s, cl, ll, kl, s, e).is_some_and(|f| {
                    matches!(f.rule, Rule::ContentSourceCue | Rule::ContentCueSource)
                        && f.pieces.first().is_some_and(|p| p.0 <= self.a.tokens[s].end + 1)
                });
                if closing {
                    cues.retain(|&(c, _, _)| c >= cl);
                }
            }
        }
        // Outlets of "according to news agencies, including AFP, …" that
        // carry the sentence's other attributions.
        let mut carried: Vec<String> = Vec::new();
        // Where the content of the next attribution may start.
        let mut floor = s;
        let first_found = out.len();
        for (n, &(c, cue, len)) in cues.iter().enumerate() {
            // ("…, according to a notice posted on its website": "posted"
            // describes the source.)
            if c < floor || self.in_according_phrase(&cues, c) {
                continue;
            }
            // A cue inside the content of one found before it is nested.
            let content_end = out[first_found..].iter().filter_map(|f| f.pieces.last().map(|p| p.1)).max().unwrap_or(0);
            if self.a.tokens[c].start < content_end {
                continue;
            }
            // The next cue's attribution limits this one's content.
            let ceiling =
                cues[n + 1..].iter().find_map(|&(c2, cue2, _)| self.clause_limit(s, c, c2, cue2)).unwrap_or(e);
            let found = if matches!(self.w(c), "according" | "per") {
                self.according(si, s, e, c, len, floor, ceiling, &mut carried, &cues)
            } else {
                match cue {
                    Cue::Participle | Cue::TellParticiple => self.participle(si, s, c, cue, ceiling, out, first_found),
                    Cue::Quoted => self.quoted(si, s, c, ceiling),
                    // "… said X and warned that Y": a second claim of the
                    // same source.
                    _ => self.say(si, s, c, len, cue, floor, ceiling).or_else(|| {
                        let and_that = c > s && self.w(c - 1) == "and" && self.w(c + 1) == "that";
                        let who = c > s && self.w(c - 1) == "who";
                        ((and_that || who) && out.len() > first_found)
                            .then(|| self.participle(si, s, c, cue, ceiling, out, first_found))
                            .flatten()
                    }),
                }
            };
            if found.is_none() && !carried.is_empty() && out.len() > first_found {
                if let Some(prev) = out.last_mut() {
                    for o in &carried {
                        if !prev.outlets.contains(o) {
                            prev.outlets.push(o.clone());
                        }
                    }
                }
            }
            if let Some(mut f) = found {
                for o in &carried {
                    if !f.outlets.contains(o) {
                        f.outlets.push(o.clone());
                    }
                }
                floor = f.region.end.max(f.cue.end);
                out.push(f);
            }
        }
    }

    /// Whether a cue closes its sentence: nothing after it but a phrase of
    /// time, place or outlet, or a phrase about the source.
    fn ends_sentence(&self, c: usize, e: usize) -> bool {
        let mut k = c + 1;
        while k < e && k - c <= 10 && self.kind(k) != Tok::Stop {
            if self.w(k) == "that" || self.kind(k) == Tok::Quote || self.kind(k) == Tok::Colon {
                return false;
            }
            if self.kind(k) == Tok::Comma {
                return matches!(
                    self.w(k + 1),
                    "speaking" | "asking" | "declining" | "who" | "according" | "adding" | "saying"
                );
            }
            k += 1;
        }
        k >= e || self.kind(k) == Tok::Stop
    }

    /// Where content before cue `c2` must stop: the start of its clause, when
    /// it has a subject of its own there (`… as officials claim …`).
    fn clause_limit(&self, s: usize, c: usize, c2: usize, cue2: Cue) -> Option<usize> {
        if matches!(cue2, Cue::Participle | Cue::TellParticiple) {
            // ", adding that …": stop before the comma.
            return Some(if c2 > s && self.kind(c2 - 1) == Tok::Comma { c2 - 1 } else { c2 });
        }
        if matches!(self.w(c2), "according" | "per") {
            return Some(if c2 > s && self.kind(c2 - 1) == Tok::Comma { c2 - 1 } else { c2 });
        }
        let subj = self.subject_before(s.max(c + 1), c2)?;
        // Only a clause joined by a conjunction or a comma is a new
        // attribution; after "that" (or right after the cue) it is nested
        // in this one's content.
        let mut start = subj.start;
        let mut joined = false;
        while start > c + 1
            && (matches!(self.kind(start - 1), Tok::Comma | Tok::Semicolon)
                || (self.is_word(start - 1)
                    && (cues::is_clause_boundary(self.w(start - 1)) || self.w(start - 1) == "and")))
        {
            if self.w(start - 1) == "that" {
                return None;
            }
            joined = true;
            start -= 1;
        }
        joined.then_some(start)
    }

    /// Skips auxiliaries, adverbs and time words back from `end`.
    fn skip_aux_back(&self, s: usize, mut end: usize) -> usize {
        loop {
            if end > s && self.out(end - 1) && self.is_word(end - 1) {
                let w = self.w(end - 1);
                if cues::is_aux(w) || cues::is_day(w) || matches!(w, "on" | "late" | "early") && end - 1 > s {
                    end -= 1;
                    continue;
                }
            }
            return end;
        }
    }

    /// The start of the noun phrase that ends at `end` (exclusive).
    fn phrase_back(&self, s: usize, end: usize) -> usize {
        let mut k = end;
        loop {
            // "The Confederation of African Football (CAF) said": a short
            // name in brackets after a name belongs to the phrase.
            if k >= s + 4 && self.bracketed_short_name(k - 3) {
                k -= 3;
                continue;
            }
            let more = k > s
                && self.out(k - 1)
                && matches!(self.kind(k - 1), Tok::Word | Tok::Possessive | Tok::Other)
                && !cues::is_clause_boundary(self.w(k - 1))
                && !matches!(self.w(k - 1), "who" | "which")
                && cues::cue(self.w(k - 1)).is_none_or(|_| cues::also_noun(self.w(k - 1)) && k - 1 > s);
            if !more {
                break;
            }
            k -= 1;
        }
        while k < end && matches!(self.w(k), "and" | "or" | "but" | "then" | "also" | "so" | "now") {
            k += 1;
        }
        k
    }

    /// Whether tokens `o..o + 3` are `(` SHORT `)` right after a
    /// capitalised word: a short name the text introduces ("(CAF)", "(PiS)").
    fn bracketed_short_name(&self, o: usize) -> bool {
        o > 0
            && self.kind(o) == Tok::Open
            && self.kind(o + 2) == Tok::Close
            && self.out(o + 1)
            && self.is_word(o - 1)
            && self.cap(o - 1)
            && super::article::short_name(self.a.word(o + 1))
    }

    /// Like [`Scan::phrase_back`], and over a relative clause that ends the
    /// phrase ("the military body that oversees aid").
    fn np_back(&self, s: usize, end: usize) -> usize {
        let b = self.phrase_back(s, end);
        if b > s + 1 && matches!(self.w(b - 1), "that" | "who" | "which") && self.out(b - 1) {
            let noun = gazetteer::get().noun(self.w(b - 2)).is_some_and(|n| n.person || n.body);
            if noun && end - b <= 8 {
                return self.phrase_back(s, b - 1);
            }
        }
        b
    }

    /// Whether tokens `r` can name a source.
    fn valid_np(&self, r: &Range<usize>) -> bool {
        if r.is_empty() || r.len() > 16 {
            return false;
        }
        let first = self.w(r.start);
        let last = self.w(r.end - 1);
        let verbish = |w: &str| {
            matches!(
                w,
                "would"
                    | "will"
                    | "had"
                    | "has"
                    | "have"
                    | "is"
                    | "was"
                    | "are"
                    | "were"
                    | "could"
                    | "should"
                    | "may"
                    | "might"
                    | "can"
                    | "must"
                    | "did"
                    | "does"
                    | "there"
                    | "not"
            )
        };
        if r.clone().any(|k| !self.out(k) || verbish(self.w(k)) || self.kind(k) == Tok::Stop) {
            return false;
        }
        if matches!(
            first,
            "to" | "of"
                | "for"
                | "with"
                | "from"
                | "by"
                | "in"
                | "on"
                | "at"
                | "that"
                | "this"
                | "these"
                | "what"
                | "how"
        ) && r.len() > 1
        {
            return false;
        }
        if matches!(first, "there" | "what" | "how" | "why" | "who" | "which" | "whom" | "that" | "this" | "yes" | "no")
        {
            return false;
        }
        // "badly maintained boats": an adverb before a participle.
        if r.len() == 1 && first.ends_with("ly") && !self.cap(r.start) {
            return false;
        }
        if matches!(last, "the" | "a" | "an" | "of" | "to" | "for" | "and" | "in" | "at" | "by" | "with") {
            return false;
        }
        r.clone().any(|k| self.is_word(k))
    }

    /// The subject of a cue at `c` standing before it.
    fn subject_before(&self, s: usize, c: usize) -> Option<Subject> {
        let end = self.skip_aux_back(s, c);
        if end <= s {
            return None;
        }
        // "the ministry, which said …"
        if matches!(self.w(end - 1), "who" | "which") && end - 1 > s && self.kind(end - 2) == Tok::Comma {
            let h_end = end - 2;
            let h = self.phrase_back(s, h_end);
            let head = h..h_end;
            // "according to Aliou Badji, secretary general of the union, who
            // said …": a person's title after their name; the name speaks.
            let g = gazetteer::get();
            let title = self.w(end - 1) == "who"
                && !self.cap(h)
                && (h..h_end.min(h + 3)).any(|k| g.noun(self.w(k)).is_some_and(|n| n.person && !n.plural));
            // (The name may stand before the scan's floor: "according to
            // NAME" was read by its own rule.)
            let sentence = self.a.sentences.iter().find(|x| x.tokens.contains(&c)).map_or(s, |x| x.tokens.start);
            if title && h > sentence + 1 && self.kind(h - 1) == Tok::Comma && self.appositive(&head) {
                let mut n0 = self.np_back(sentence, h - 1);
                // ("according to Aliou Badji": the name, not its preposition)
                while n0 + 1 < h - 1 && self.is_word(n0) && !self.cap(n0) {
                    n0 += 1;
                }
                let name = n0..h - 1;
                let proper = name.clone().all(|k| self.kind(k) != Tok::Word || self.cap(k));
                if name.len() <= 5 && proper && self.valid_np(&name) {
                    return Some(Subject { head: name, appos: Some(head), start: n0.max(s), after_end: None });
                }
            }
            return self.valid_np(&head).then_some(Subject { head, appos: None, start: h, after_end: None });
        }
        if self.kind(end - 1) == Tok::Comma {
            // "X, APPOSITION, said": the apposition runs back to the comma
            // before it, relative clauses and all.
            let a_end = end - 1;
            let mut a0 = a_end;
            while a0 > s
                && a_end - a0 < 24
                && self.out(a0 - 1)
                && !matches!(self.kind(a0 - 1), Tok::Comma | Tok::Stop | Tok::Semicolon | Tok::Colon | Tok::Dash)
            {
                a0 -= 1;
            }
            if a0 == a_end || a0 <= s || self.kind(a0 - 1) != Tok::Comma {
                return None;
            }
            let h_end = a0 - 1;
            let h = self.np_back(s, h_end);
            let head = h..h_end;
            let appos = a0..a_end;
            // "Kaiyo, in a statement, said": a phrase of the cue, not of the source.
            let interjection =
                matches!(self.w(a0), "in" | "on" | "at" | "by" | "through" | "meanwhile" | "however" | "too")
                    || cues::is_day(self.w(a0));
            if self.valid_np(&head) && interjection {
                return Some(Subject { head, appos: None, start: h, after_end: None });
            }
            if !self.valid_np(&head) || !self.appositive(&appos) {
                return None;
            }
            // "Dr. Ayesha Patel, a kidney specialist at X, a private hospital
            // in Durban, said": a name that opens the sentence, then two
            // appositions.
            let described = matches!(self.w(a0), "a" | "an" | "the" | "one") || !self.cap(a0);
            if described && h > s + 1 && self.kind(h - 1) == Tok::Comma && self.appositive(&head) {
                let n0 = self.np_back(s, h - 1);
                let name = n0..h - 1;
                let proper = name.clone().all(|k| self.kind(k) != Tok::Word || self.cap(k));
                if n0 == s && name.len() <= 5 && proper && self.valid_np(&name) {
                    return Some(Subject { head: name, appos: Some(h..a_end), start: n0, after_end: None });
                }
            }
            return Some(Subject { head, appos: Some(appos), start: h, after_end: None });
        }
        // "X visited troops and said …": the subject of the first verb.
        if matches!(self.w(end - 1), "and" | "but") {
            let sentence = self.a.sentences.iter().find(|x| x.tokens.contains(&c))?;
            let sref = self.opening(sentence.tokens.start, end - 1)?;
            return Some(Subject { start: sref.head.start, head: sref.head, appos: sref.appos, after_end: None });
        }
        let mut b = self.phrase_back(s, end);
        if b > s + 1 && matches!(self.w(b - 1), "who" | "that") && self.out(b - 1) {
            let h = self.phrase_back(s, b - 1);
            let head = h..b - 1;
            let rel = b - 1..end;
            let person_head = gazetteer::get().noun(self.w(b - 2)).is_some_and(|n| n.person || n.body);
            if self.valid_np(&head) && person_head && rel.len() <= 14 {
                return Some(Subject { start: h, head, appos: Some(rel), after_end: None });
            }
        }
        // "a spokesperson for the Department for Environment, Food and Rural
        // Affairs said": a list inside a name goes on before the comma.
        if b > s + 1
            && self.kind(b - 1) == Tok::Comma
            && self.cap(b)
            && self.cap(b - 2)
            && (b..end).any(|k| matches!(self.w(k), "and" | "&"))
        {
            let b2 = self.phrase_back(s, b - 1);
            if b2 < b - 1 {
                b = b2;
            }
        }
        let head = b..end;
        self.valid_np(&head).then_some(Subject { head, appos: None, start: b, after_end: None })
    }

    /// Whether a phrase between commas reads as an apposition to a source.
    fn appositive(&self, r: &Range<usize>) -> bool {
        let first = self.w(r.start);
        if r.clone().any(|k| !self.out(k)) {
            return false;
        }
        matches!(
            first,
            "a" | "an"
                | "the"
                | "who"
                | "which"
                | "one"
                | "his"
                | "her"
                | "their"
                | "its"
                | "speaking"
                | "whose"
                | "known"
        ) || (self.cap(r.start) && self.kind(r.start) == Tok::Word)
            || gazetteer::get().noun(first).is_some()
            || (self.is_word(r.start) && (first.ends_with("ing") || first.ends_with("ed")))
            // ", often seen as a swing vote,", ", widely expected to win,"
            || (self.is_word(r.start)
                && (first == "often" || first == "long" || (first.ends_with("ly") && first.len() > 4))
                && r.len() > 1
                && (self.w(r.start + 1).ends_with("ed") || self.w(r.start + 1).ends_with("en")))
            || (r.len() == 1 && first.bytes().all(|b| b.is_ascii_digit()))
            // ", senior oil analyst at SEB,": a title near its start
            || (r.len() > 2 && (r.start..r.end.min(r.start + 4)).any(|k| gazetteer::get().noun(self.w(k)).is_some_and(|n| n.person && !n.plural)) && (r.start..r.end).any(|k| matches!(self.w(k), "at" | "of" | "for" | "with")))
            // ", of the Liberal Party,"
            || (first == "of" && r.len() > 2 && self.w(r.start + 1) == "the" && self.cap(r.start + 2))
            || r.clone().any(|k| self.kind(k) == Tok::Possessive)
    }

    /// The subject of a cue standing after it: `…,” said the officer, who …`.
    fn subject_after(&self, c: usize, e: usize) -> Option<Subject> {
        let mut k = c + 1;
        while k < e && self.is_word(k) && cues::is_day(self.w(k)) {
            k += 1;
        }
        let h = k;
        while k < e
            && self.out(k)
            && matches!(self.kind(k), Tok::Word | Tok::Possessive | Tok::Other)
            && (k == h || !cues::is_source_tail(self.w(k)) || self.w(k) == "of" || self.w(k) == "at")
            && !cues::is_clause_boundary(self.w(k))
        {
            k += 1;
        }
        let head = h..k;
        if !self.valid_np(&head)
            || matches!(self.w(h), "that" | "in" | "on" | "it" | "he" | "she" | "they" | "we" | "i" | "there" | "this")
        {
            return None;
        }
        let mut appos = None;
        let mut end = k;
        if self.kind(k) == Tok::Comma && k + 1 < e {
            let a0 = k + 1;
            let mut j = a0;
            while j < e && self.out(j) && matches!(self.kind(j), Tok::Word | Tok::Possessive | Tok::Other) {
                j += 1;
            }
            let r = a0..j;
            let relative = matches!(self.w(a0), "who" | "whose" | "which");
            // "…, a deputy for the Comunidad Ciudadana alliance who chairs
            // the committee,": the description is what comes before its
            // relative clause.
            let before_clause = (a0 + 2..j).find(|&k| matches!(self.w(k), "who" | "whose" | "which")).map(|k| a0..k);
            if (relative || self.valid_np(&r)) && self.appositive(&r) && (relative || !cues::is_source_tail(self.w(a0)))
            {
                appos = Some(r);
                end = j;
            } else if let Some(d) = before_clause.filter(|d| self.valid_np(d) && self.appositive(d)) {
                appos = Some(d);
                end = j;
            }
        }
        Some(Subject { head, appos, start: c, after_end: Some(end) })
    }

    /// Skips the object of "told" (`Reuters`, `reporters in Berlin`, `a news
    /// conference`), noting outlets.
    fn skip_object(&self, k: usize, e: usize, outlets: &mut Vec<String>) -> usize {
        let end = self.object_end(k, e, outlets);
        self.outlets_in(k..end, outlets);
        end
    }

    fn object_end(&self, mut k: usize, e: usize, outlets: &mut Vec<String>) -> usize {
        let g = gazetteer::get();
        let start = k;
        while k < e && self.out(k) && matches!(self.kind(k), Tok::Word | Tok::Possessive | Tok::Other) && k - start < 6
        {
            let w = self.w(k);
            if w == "that" || (k > start && (cues::starts_tail_phrase(w) || cues::is_clause_boundary(w))) {
                break;
            }
            if let Some((n, ent)) = self.entity_at(k, e) {
                let outlet = ent.class == Class::Outlet;
                if outlet && !outlets.iter().any(|o| o == ent.canonical) {
                    outlets.push(ent.canonical.to_string());
                }
                k += n;
                // "told Reuters", "told the BBC", "told public broadcaster NRK"
                if outlet {
                    k = self.outlet_end(k - n, k, e, outlets);
                    break;
                }
                continue;
            }
            // An object ends at its noun: "told reporters", "told a jury".
            let is_noun = g.noun(w).is_some() || matches!(w, "reporters" | "journalists" | "jurors" | "supporters");
            k += 1;
            if is_noun && !(k < e && self.is_word(k) && (self.cap(k) || g.noun(self.w(k)).is_some())) {
                break;
            }
        }
        k
    }

    /// Where an outlet the gazetteer knows, named at `start..k`, ends:
    /// past media nouns ("Reuters news agency", "the BBC radio"), and past
    /// a station's name after them ("BBC Radio Bristol"), which then
    /// stands for the outlet in `outlets` as written.
    fn outlet_end(&self, start: usize, mut k: usize, e: usize, outlets: &mut Vec<String>) -> usize {
        let from = k;
        while k < e && matches!(self.w(k), "news" | "agency" | "newspaper" | "daily" | "television" | "radio") {
            k += 1;
        }
        let station = k;
        while k > from && k < e && k - station < 3 && self.is_word(k) && self.cap(k) {
            k += 1;
        }
        if k > station {
            let written = self.a.text[self.a.tokens[start].start..self.a.tokens[k - 1].end].to_string();
            let canonical = gazetteer::get().match_at(&[self.a.word(start)], 0).map(|(_, ent)| ent.canonical);
            outlets.retain(|o| Some(o.as_str()) != canonical);
            if !outlets.contains(&written) {
                outlets.push(written);
            }
        }
        k
    }

    /// The gazetteer entry at token `k`, if any.
    fn entity_at(&self, k: usize, e: usize) -> Option<(usize, &'static gazetteer::Entity)> {
        let words: Vec<&str> = (k..e.min(k + 6)).map(|i| self.a.word(i)).collect();
        gazetteer::get().match_at(&words, 0)
    }

    /// The outlets named in tokens `r`: known ones by their short name, and
    /// any capitalised name after a media noun ("local broadcaster NBC
    /// Nagasaki", "the daily Kommersant") as written.
    fn outlets_in(&self, r: Range<usize>, outlets: &mut Vec<String>) {
        let mut k = r.start;
        while k < r.end {
            match self.entity_at(k, r.end) {
                Some((n, ent)) => {
                    if ent.class == Class::Outlet && !outlets.iter().any(|o| o == ent.canonical) {
                        outlets.push(ent.canonical.to_string());
                    }
                    k = if ent.class == Class::Outlet { self.outlet_end(k, k + n, r.end, outlets) } else { k + n };
                }
                None => {
                    let media = matches!(
                        self.w(k),
                        "broadcaster"
                            | "newspaper"
                            | "daily"
                            | "channel"
                            | "television"
                            | "radio"
                            | "magazine"
                            | "website"
                            | "network"
                            | "station"
                            | "weekly"
                            | "tabloid"
                    ) || (self.w(k) == "agency" && k > r.start && self.w(k - 1) == "news");
                    if media
                        && k + 1 < r.end
                        && self.cap(k + 1)
                        && self.is_word(k + 1)
                        && self.entity_at(k + 1, r.end).is_none()
                    {
                        let mut m = k + 1;
                        while m < r.end && self.is_word(m) && self.cap(m) {
                            m += 1;
                        }
                        let name = self.a.text[self.a.tokens[k + 1].start..self.a.tokens[m - 1].end].to_string();
                        if !outlets.contains(&name) {
                            outlets.push(name);
                        }
                        k = m;
                    } else {
                        k += 1;
                    }
                }
            }
        }
    }

    /// A phrase between a cue and its content: `on Tuesday`, `in a
    /// statement`, `to AFP`, `by telephone`, `speaking anonymously`.
    fn tail_phrase(&self, k: usize, e: usize, outlets: &mut Vec<String>) -> Option<usize> {
        if k >= e || !self.out(k) || !self.is_word(k) {
            return None;
        }
        let w = self.w(k);
        if cues::is_day(w) {
            return Some(k + 1);
        }
        if matches!(w, "late" | "early" | "earlier" | "last" | "this" | "on") && cues::is_day(self.w(k + 1)) {
            let mut j = k + 2;
            while cues::is_day(self.w(j)) {
                j += 1;
            }
            return Some(j);
        }
        if (w == "late" || w == "early") && self.w(k + 1) == "on" && cues::is_day(self.w(k + 2)) {
            return Some(k + 3);
        }
        if matches!(w, "by") && matches!(self.w(k + 1), "telephone" | "phone" | "email" | "e-mail" | "video" | "text") {
            return Some(k + 2);
        }
        if w == "to" {
            if let Some((n, ent)) = self.entity_at(k + 1, e) {
                if ent.class == Class::Outlet {
                    outlets.push(ent.canonical.to_string());
                    return Some(k + 1 + n);
                }
            }
            // "said to the newspaper"
            return None;
        }
        // A preposition phrase up to "that": "in a preliminary statement that".
        if cues::starts_tail_phrase(w) || w == "speaking" {
            let mut j = k + 1;
            while j < e
                && j - k <= 12
                && self.out(j)
                && matches!(self.kind(j), Tok::Word | Tok::Possessive | Tok::Other)
            {
                if self.w(j) == "that" {
                    self.outlets_in(k..j, outlets);
                    return Some(j);
                }
                j += 1;
            }
            // Without "that": only a phrase built on a known noun.
            let mut j = k + 1;
            while matches!(self.w(j), "a" | "an" | "the" | "its" | "his" | "her" | "their") {
                j += 1;
            }
            let start = j;
            while j < e && j - start < 4 && self.is_word(j) && self.out(j) {
                let here = self.w(j);
                j += 1;
                if TAIL_NOUNS.contains(&here) {
                    // "in an interview with Reuters", "in a note to clients"
                    let mut m = j;
                    if matches!(self.w(m), "with" | "to" | "on" | "posted" | "released" | "published" | "for") {
                        m += 1;
                        if matches!(self.w(m), "on" | "by") {
                            m += 1;
                        }
                        let obj = m;
                        while m < e && m - obj < 4 && self.is_word(m) && self.out(m) && !matches!(self.w(m), "that") {
                            m += 1;
                        }
                        self.outlets_in(obj..m, outlets);
                        return Some(m);
                    }
                    return Some(j);
                }
            }
            if w == "in" && self.cap(k + 1) && self.is_word(k + 1) {
                // "in Geneva"
                let mut m = k + 1;
                while m < e && self.cap(m) && self.is_word(m) {
                    m += 1;
                }
                return Some(m);
            }
            if w == "speaking" {
                let mut m = k + 1;
                while m < e && self.out(m) && self.is_word(m) && m - k < 8 {
                    m += 1;
                }
                self.outlets_in(k..m, outlets);
                return Some(m);
            }
        }
        None
    }

    /// What follows a cue before its content.
    fn after_cue(&self, c: usize, len: usize, cue: Cue, e: usize) -> After {
        let mut after = After::default();
        let mut k = c + len;
        if matches!(cue, Cue::Tell | Cue::TellParticiple) {
            k = self.skip_object(k, e, &mut after.outlets);
        }
        loop {
            if self.kind(k) == Tok::Comma && self.w(k + 1) == "citing" {
                let s0 = k + 2;
                let mut j = s0;
                while j < e && self.out(j) && matches!(self.kind(j), Tok::Word | Tok::Possessive | Tok::Other) {
                    if self.w(j) == "that" {
                        break;
                    }
                    j += 1;
                }
                if j > s0 {
                    after.cited = Some(s0..j);
                }
                k = j;
                if self.kind(k) == Tok::Comma {
                    k += 1;
                }
                continue;
            }
            match self.tail_phrase(k, e, &mut after.outlets) {
                Some(k2) if k2 > k => k = k2,
                _ => break,
            }
        }
        if (self.w(k) == "that" && self.out(k)) || self.kind(k) == Tok::Colon {
            after.introduced = true;
            k += 1;
        } else if self.kind(k) == Tok::Quote {
            after.introduced = true;
        }
        after.start = k;
        after
    }

    /// Content pieces of tokens `r`, and whether they are quoted.
    fn content(&self, r: Range<usize>) -> Option<(Vec<(usize, usize)>, QuoteKind)> {
        let r = self.trim(r);
        if r.is_empty() {
            return None;
        }
        // "… said the government did not comment on individual cases": a
        // refusal to comment is not a claim.
        let no_comment = r.clone().any(|k| {
            self.w(k) == "comment"
                && k > r.start
                && (matches!(self.w(k - 1), "not" | "no" | "n't" | "to")
                    || matches!(self.w(k.saturating_sub(2)), "not" | "never"))
        });
        if no_comment && r.len() < 16 {
            return None;
        }
        let words: Vec<usize> = r.clone().filter(|&k| self.is_word(k)).collect();
        if words.len() < 3 {
            return None;
        }
        let quoted = words.iter().filter(|&&k| self.a.inside[k].is_some()).count();
        let last = r.end - 1;
        if self.kind(last) == Tok::Stop && self.a.word(last) == "?" {
            return None;
        }
        if quoted == words.len() {
            // Direct: the inside of each quotation, without the attribution.
            let mut pieces: Vec<(usize, usize)> = Vec::new();
            let mut seen: Vec<usize> = Vec::new();
            for &k in &words {
                let q = self.a.inside[k].expect("quoted");
                if !seen.contains(&q) {
                    seen.push(q);
                    pieces.extend(quote_pieces(self.a.text, &self.a.quotes[q], 0));
                }
            }
            return Some((pieces, QuoteKind::Direct));
        }
        let kind = if quoted == 0 { QuoteKind::Indirect } else { QuoteKind::Mixed };
        let (from, to) = self.bytes(&r);
        Some((vec![trim_piece(self.a.text, from, to)], kind))
    }

    /// Drops punctuation at both ends of a token range (keeping quotation
    /// marks that belong to quoted words inside).
    fn trim(&self, mut r: Range<usize>) -> Range<usize> {
        while !r.is_empty() && !matches!(self.kind(r.start), Tok::Word) && !self.a.opens_quote(r.start) {
            r.start += 1;
        }
        while !r.is_empty() && !matches!(self.kind(r.end - 1), Tok::Word | Tok::Possessive) {
            if self.kind(r.end - 1) == Tok::Quote && self.a.inside[r.start..r.end - 1].iter().any(Option::is_some) {
                // A closing mark after quoted words stays when the content
                // is mixed; `content` takes quotation insides for direct.
                let opened = (r.start..r.end - 1).any(|k| self.kind(k) == Tok::Quote);
                if opened {
                    break;
                }
            }
            r.end -= 1;
        }
        r
    }

    /// Whether tokens `r` (before a subject) are only an introductory phrase.
    fn intro_only(&self, r: &Range<usize>) -> bool {
        if r.is_empty() {
            return true;
        }
        let first = self.w(r.start);
        let has_quote = r.clone().any(|k| self.kind(k) == Tok::Quote);
        !has_quote && r.len() <= 14 && (cues::starts_intro(first) || first.ends_with("ing"))
    }

    /// `SOURCE said (that) CONTENT`, `CONTENT, SOURCE said`, `CONTENT, said
    /// SOURCE`, `SOURCE said: “…”`, `CONTENT, SOURCE said, CONTENT`.
    #[allow(clippy::too_many_arguments)]
    fn say(&self, si: usize, s: usize, c: usize, len: usize, cue: Cue, floor: usize, ceiling: usize) -> Option<Found> {
        let e = ceiling;
        let sent_end = self.a.sentences[si].tokens.end;
        let pre = self.skip_aux_back(floor, c);
        let boundary_before =
            pre <= floor || matches!(self.kind(pre - 1), Tok::Comma | Tok::Quote | Tok::Colon | Tok::Dash);
        let mut subject = self.subject_before(floor, c);
        let mut inverted = false;
        if boundary_before && cue != Cue::Tell {
            // `…,” said X` / `…, said X, …`: the source follows the cue.
            if let Some(sub) = self.subject_after(c + len - 1, sent_end) {
                if subject.is_none() || self.kind(pre - 1) == Tok::Quote {
                    subject = Some(sub);
                    inverted = true;
                }
            }
        }
        let subject = subject?;
        if !inverted
            && subject.start > s
            && matches!(self.w(subject.start - 1), "until" | "unless" | "if" | "whether" | "once" | "before" | "lest")
        {
            return None;
        }
        let paragraph = self.a.sentences[si].paragraph;
        let before = floor..subject.start.saturating_sub(usize::from(subject.start > floor));
        let before = floor..before.end.max(floor);
        if inverted {
            let end = subject.after_end.unwrap_or(c + 1);
            let from = (floor..c)
                .rev()
                .find(|&k| self.out(k) && matches!(self.kind(k), Tok::Dash | Tok::Colon))
                .map_or(floor, |k| k + 1);
            let (mut pieces, quote) = self.content(from..c)?;
            // `“They knew,” said X, “and they kept selling.”`: the quotation
            // goes on after the source.
            // ("…,” said Maria Delgado, 41, one of the lead plaintiffs, “but
            // …”": past what is said about the source.)
            let reopen = (end..sent_end.min(end + 14))
                .take_while(|&k| self.out(k) || self.kind(k) == Tok::Quote)
                .find(|&k| self.kind(k) == Tok::Quote)
                .filter(|&k| k > end && self.kind(k - 1) == Tok::Comma);
            if let Some(open) = reopen.filter(|&k| quote == QuoteKind::Direct && k + 1 < sent_end) {
                if let Some(q) = self.a.inside[open + 1..sent_end].iter().flatten().next().copied() {
                    let resumed = self.a.tokens[open].end;
                    for piece in quote_pieces(self.a.text, &self.a.quotes[q], resumed) {
                        if !pieces.iter().any(|p| p.0 <= piece.0 && piece.1 <= p.1) {
                            pieces.push(piece);
                        }
                    }
                }
            }
            let mut outlets = Vec::new();
            self.outlets_in(c..sent_end, &mut outlets);
            let tail = end..sent_end;
            return Some(Found {
                rule: Rule::ContentCueSource,
                cue: c..c + len,
                pieces,
                quote,
                source: SourceRef { head: subject.head, appos: subject.appos, tail },
                outlets,
                sentence: si,
                paragraph,
                region: c..end,
            });
        }
        let after = self.after_cue(c, len, cue, e);
        let after_range = after.start..e;
        // What is left after the cue is not content when it describes the
        // source (", speaking on condition of anonymity") or is a stray
        // phrase of place or time with nothing after it.
        let first = self.w(after.start);
        let rest_is_plain = (after.start..e).all(|k| self.kind(k) != Tok::Comma && self.w(k) != "that");
        let after_is_tail = after_range.is_empty()
            || self.kind(after.start) == Tok::Stop
            || (!after.introduced
                && self.is_word(after.start)
                && (matches!(
                    first,
                    "speaking"
                        | "asking"
                        | "declining"
                        | "requesting"
                        | "who"
                        | "whose"
                        | "which"
                        | "referring"
                        | "according"
                ) || (rest_is_plain
                    && !self.has_verb(after.start..e)
                    && matches!(
                        first,
                        "of" | "for"
                            | "about"
                            | "in"
                            | "on"
                            | "at"
                            | "by"
                            | "from"
                            | "during"
                            | "after"
                            | "via"
                            | "with"
                            | "to"
                    ))));
        let set_off = subject.start > floor
            && matches!(self.kind(subject.start - 1), Tok::Comma | Tok::Quote | Tok::Dash | Tok::Colon);
        let before_is_content = set_off
            && (!cues::also_noun(self.w(c)) || self.names_document(&subject.head))
            && !self.intro_only(&before)
            && self.content(before.clone()).is_some();
        // `“…,” Sato said in remarks aired on Wednesday.`: a quotation closed
        // by a comma just before its source is that source's content, and
        // what follows the cue without "that" or a verb is not content.
        let quote_before = set_off
            && self.kind(subject.start - 1) == Tok::Quote
            && subject.start >= 2
            && self.a.inside[subject.start - 2].is_some()
            && self.a.text[..self.a.tokens[subject.start - 1].start].trim_end().ends_with([',', '?', '!']);
        let after_is_tail = after_is_tail
            || (before_is_content && !after.introduced && (quote_before || !self.has_verb(after.start..e)));
        let mut outlets = after.outlets.clone();
        let region = subject.start..after.start.max(c + len);
        let mut source = SourceRef { head: subject.head.clone(), appos: subject.appos.clone(), tail: c..after.start };
        let mut rule = Rule::SourceCueContent;
        let content = if before_is_content && (after_is_tail || self.kind(after.start) == Tok::Comma) {
            // `CONTENT, SOURCE said.` or `CONTENT, SOURCE said, CONTENT.`
            let tail_end =
                (after.start..sent_end).find(|&k| matches!(self.kind(k), Tok::Comma | Tok::Stop)).unwrap_or(e);
            source.tail = c..sent_end;
            self.outlets_in(c..tail_end, &mut outlets);
            let rest = tail_end + 1;
            let continues = self.kind(tail_end) == Tok::Comma
                && rest < e
                && (self.a.opens_quote(rest)
                    || (self.is_word(rest)
                        && !cues::is_source_tail(self.w(rest))
                        && !matches!(self.w(rest), "a" | "an" | "the" | "as" | "and" | "but" | "while" | "adding")
                        && !cues::is_clause_boundary(self.w(rest))
                        && !self.w(rest).ends_with("ing")
                        && cues::cue(self.w(rest)).is_none()));
            if continues {
                rule = Rule::Parenthetical;
                let (mut p1, q1) = self.content(before.clone())?;
                match self.content(rest..e) {
                    Some((p2, q2)) => {
                        p1.extend(p2);
                        let q = if q1 == q2 { q1 } else { QuoteKind::Mixed };
                        Some((p1, q))
                    }
                    None => Some((p1, q1)),
                }
            } else {
                rule = Rule::ContentSourceCue;
                // "…, Bloomberg News reported, citing people familiar …"
                if let Some(cited) = &after.cited {
                    if self.is_media(&subject.head) {
                        self.outlets_in(subject.head.clone(), &mut outlets);
                        source = SourceRef { head: cited.clone(), appos: None, tail: cited.end..sent_end };
                        rule = Rule::ReportedCiting;
                    }
                }
                self.content(before.clone())
            }
        } else if !after_is_tail {
            if cue == Cue::Strict && !after.introduced {
                return None;
            }
            if let Some(cited) = &after.cited {
                if self.is_media(&subject.head) {
                    self.outlets_in(subject.head.clone(), &mut outlets);
                    source = SourceRef { head: cited.clone(), appos: None, tail: cited.end..after.start };
                    rule = Rule::ReportedCiting;
                }
            }
            if matches!(self.w(c), "show" | "shows" | "showed") && !self.names_document(&subject.head) {
                return None;
            }
            let ambiguous = matches!(self.w(c), "reported" | "reports" | "show" | "shows" | "showed" | "found");
            if ambiguous && !after.introduced && !self.has_verb(after.start..e.min(after.start + 12)) {
                return None;
            }
            let mut end = e;
            // Content stops before ", citing …", ", according to …" and
            // ", and accused …" (the subject's next act, not its words).
            if let Some(k) = (after.start..e).find(|&k| {
                self.kind(k) == Tok::Comma
                    && self.out(k)
                    && (matches!(self.w(k + 1), "citing" | "according")
                        || (self.w(k + 1) == "which"
                            && (k + 2..(k + 7).min(e)).any(|m| {
                                cues::cue(self.w(m)).is_some() || matches!(self.w(m), "blamed" | "described" | "called")
                            }))
                        || (matches!(self.w(k + 1), "a" | "an")
                            && (k + 2..(k + 7).min(e))
                                .any(|m| matches!(self.w(m), "that" | "which" | "who" | "whose")))
                        || (self.w(k + 1) == "and" && self.past_verb(k + 2))
                        || (self.is_word(k + 1)
                            && self.w(k + 1).ends_with("ing")
                            && !self.cap(k + 1)
                            && !preposition_in_ing(self.w(k + 1))
                            && cues::cue(self.w(k + 1)).is_none()))
            }) {
                end = k;
            }
            // "… processes and urged all sides to remain calm", "… and warned
            // that …" (a claim of its own)
            if let Some(k) = (after.start..end).find(|&k| {
                self.out(k)
                    && matches!(self.w(k), "and" | "but")
                    && (cues::is_next_act(self.w(k + 1))
                        || (cues::cue(self.w(k + 1)).is_some() && self.w(k + 2) == "that"))
            }) {
                end = k;
            }
            self.content(after.start..end)
        } else {
            None
        };
        let (pieces, quote) = content?;
        Some(Found { rule, cue: c..c + len, pieces, quote, source, outlets, sentence: si, paragraph, region })
    }

    /// Whether a mention names a news outlet ("Bloomberg News", "the
    /// newspaper").
    fn is_media(&self, r: &Range<usize>) -> bool {
        r.clone().any(|k| {
            self.entity_at(k, r.end).is_some_and(|(_, ent)| ent.class == Class::Outlet)
                || matches!(self.w(k), "newspaper" | "broadcaster" | "agency" | "daily" | "television")
        })
    }

    /// Whether tokens `r` read as a clause (they have a finite verb), not
    /// just a noun phrase: "reported the talks had stalled" reports,
    /// "reported revenue of $2.9 billion" does not.
    fn has_verb(&self, r: Range<usize>) -> bool {
        r.clone().any(|k| {
            let w = self.w(k);
            self.is_word(k)
                && !self.cap(k)
                && (matches!(
                    w,
                    "has"
                        | "have"
                        | "had"
                        | "will"
                        | "would"
                        | "could"
                        | "did"
                        | "does"
                        | "do"
                        | "been"
                        | "is"
                        | "are"
                        | "was"
                        | "were"
                        | "be"
                        | "can"
                        | "may"
                        | "might"
                        | "must"
                        | "should"
                        | "shall"
                        | "fell"
                        | "rose"
                        | "grew"
                        | "won"
                        | "lost"
                        | "made"
                        | "took"
                        | "gave"
                        | "saw"
                        | "came"
                        | "went"
                        | "hit"
                        | "cut"
                        | "put"
                        | "set"
                        | "led"
                        | "held"
                        | "ran"
                        | "began"
                        | "left"
                        | "kept"
                        | "fled"
                        | "met"
                        | "paid"
                        | "sold"
                        | "bought"
                        | "got"
                        | "became"
                        | "fought"
                        | "remain"
                        | "remains"
                        | "need"
                        | "needs"
                        | "want"
                        | "wants"
                        | "expect"
                        | "expects"
                        | "plan"
                        | "plans"
                        | "face"
                        | "faces"
                        | "continue"
                        | "continues"
                        | "rise"
                        | "rises"
                        | "fall"
                        | "falls"
                        | "stand"
                        | "stands" // ("the Dakar-based institute", "a state-owned lender": a
                                   // compound in -ed is an adjective.)
                ) || (w.ends_with("ed") && w.len() > 4 && !w.contains('-')))
        })
    }

    /// Whether a mention names a document or dataset ("data", "results").
    fn names_document(&self, r: &Range<usize>) -> bool {
        let g = gazetteer::get();
        r.clone().any(|k| g.noun(self.w(k)).is_some_and(|n| n.doc))
    }

    /// Whether token `k` is a verb in the past, outside quotation marks.
    fn past_verb(&self, k: usize) -> bool {
        self.out(k)
            && self.is_word(k)
            && !self.cap(k)
            && (self.w(k).ends_with("ed") || matches!(self.w(k), "said" | "told" | "made" | "gave" | "took" | "sent"))
    }

    /// `according to SOURCE, CONTENT` and `CONTENT, according to SOURCE`.
    #[allow(clippy::too_many_arguments)]
    fn according(
        &self,
        si: usize,
        s: usize,
        e: usize,
        c: usize,
        len: usize,
        floor: usize,
        ceiling: usize,
        carried: &mut Vec<String>,
        cues: &[(usize, Cue, usize)],
    ) -> Option<Found> {
        let g = gazetteer::get();
        let h = c + len;
        let mut k = h;
        let mut outlets = Vec::new();
        // The source: up to a comma, or through "including A, B and C".
        while k < e && self.out(k) && matches!(self.kind(k), Tok::Word | Tok::Possessive | Tok::Other) {
            k += 1;
        }
        let head = h..k;
        if self.kind(k) == Tok::Comma && self.w(k + 1) == "including" {
            let mut m = k + 2;
            while m < e && self.out(m) && !matches!(self.kind(m), Tok::Stop | Tok::Semicolon | Tok::Colon) {
                if self.kind(m) == Tok::Comma {
                    let mut n = m + 1;
                    while matches!(self.w(n), "and" | "the") {
                        n += 1;
                    }
                    if !self.entity_at(n, e).is_some_and(|(_, en)| en.class == Class::Outlet) {
                        break;
                    }
                }
                m += 1;
            }
            self.outlets_in(k..m, &mut outlets);
            k = m;
        }
        if !self.valid_np(&head) && head.len() != 1 {
            return None;
        }
        self.outlets_in(head.clone(), &mut outlets);
        let head_words: Vec<&str> = head.clone().map(|i| self.w(i)).collect();
        let carrier = head_words.iter().any(|w| cues::is_report_carrier(w))
            && !head_words.iter().any(|w| g.noun(w).is_some_and(|n| n.doc && !cues::is_report_carrier(w)));
        let only_outlets = carrier
            || (head.clone().all(|i| self.entity_at(i, head.end).is_some_and(|(_, en)| en.class == Class::Outlet))
                && !outlets.is_empty()
                && cues.iter().any(|&(c2, _, _)| c2 > k));
        let paragraph = self.a.sentences[si].paragraph;
        // "According to Catherine Ruiz, a professor of law at the University
        // of California, Berkeley, the ruling …": an apposition without a
        // verb (a place after its own comma included) belongs to the source.
        let trailing = c > floor && self.content(floor..c).is_some();
        let appos = self.according_apposition(&head, k, ceiling, trailing);
        if let Some(r) = &appos {
            k = r.end;
        }
        let mut after_start = if self.kind(k) == Tok::Comma { k + 1 } else { k };
        let mut after_is_relative = matches!(self.w(after_start), "which" | "who" | "whose" | "where");
        // "According to X, which is funded by Y, CONTENT."
        if after_is_relative && floor == s && self.content(floor..c).is_none() {
            if let Some(comma) = (after_start..ceiling).find(|&m| self.kind(m) == Tok::Comma && self.out(m)) {
                after_start = comma + 1;
                after_is_relative = false;
            }
        }
        let has_after = after_start < ceiling && !after_is_relative && self.content(after_start..ceiling).is_some();
        if only_outlets && cues.iter().any(|&(c2, _, _)| c2 >= after_start) {
            // "According to reports, X said …": the outlets carry X's claim.
            carried.extend(outlets);
            return None;
        }
        // "…, X said, according to state news agency SPA": the agency
        // carried the claim before it.
        let media = !outlets.is_empty()
            || head
                .clone()
                .any(|i| matches!(self.w(i), "agency" | "newspaper" | "broadcaster" | "television" | "radio"));
        if media && floor > s {
            carried.extend(outlets);
            return None;
        }
        let source = SourceRef { head: head.clone(), appos, tail: k..k };
        let before_end = if c > floor && self.kind(c - 1) == Tok::Comma { c - 1 } else { c };
        let before = floor..before_end;
        let before_content = self.content(before.clone());
        // "…, when, according to X, Y": the content is Y. "X, according to
        // Y, Z": X and Z. "X, according to Y.": X.
        let after_subordinate = before_end > floor
            && self.is_word(before_end - 1)
            && (cues::is_clause_boundary(self.w(before_end - 1)) || self.w(before_end - 1) == "and");
        let (pieces, quote) =
            if has_after && (before_content.is_none() || self.intro_only(&before) || after_subordinate) {
                self.content(after_start..ceiling)?
            } else if has_after
                && self.kind(k) == Tok::Comma
                && self.has_verb(after_start..ceiling)
                && !cues::is_clause_boundary(self.w(after_start))
                && !matches!(self.w(after_start), "a" | "an" | "the" | "and" | "but" | "while")
            {
                let (mut p1, q1) = before_content?;
                let (p2, q2) = self.content(after_start..ceiling)?;
                p1.extend(p2);
                (p1, if q1 == q2 { q1 } else { QuoteKind::Mixed })
            } else {
                before_content?
            };
        Some(Found {
            rule: Rule::AccordingTo,
            cue: c..c + len,
            pieces,
            quote,
            source,
            outlets,
            sentence: si,
            paragraph,
            region: c..k,
        })
    }

    /// The apposition after the source of `according to NAME, …`: from the
    /// comma at `k`, a phrase opening with "a", "an", "who", "whose" or "one of",
    /// with no verb, that ends at a comma with more to say after it; a
    /// capitalised place after its own comma goes with it ("…
    /// California, Berkeley,").
    /// With `trailing` (the content came before: "…, according to NAME,
    /// a researcher at X."), the apposition may end the sentence.
    fn according_apposition(
        &self,
        head: &Range<usize>,
        k: usize,
        ceiling: usize,
        trailing: bool,
    ) -> Option<Range<usize>> {
        if self.kind(k) != Tok::Comma || !head.clone().any(|i| self.cap(i)) {
            return None;
        }
        let a0 = k + 1;
        // ("According to Aliou Badji, secretary general of the National
        // Union of Senegalese Footballers, …": a title with no article,
        // of a body.)
        let g = gazetteer::get();
        let titled = g.noun(self.w(a0)).is_some_and(|n| n.title && !n.plural)
            && (a0 + 1..(a0 + 5).min(ceiling)).any(|j| matches!(self.w(j), "of" | "at" | "for"));
        let opens = matches!(self.w(a0), "a" | "an" | "who" | "whose")
            || (self.w(a0) == "one" && self.w(a0 + 1) == "of")
            || titled;
        if !opens {
            return None;
        }
        let phrase_end = |from: usize| {
            (from..ceiling)
                .find(|&j| !(self.out(j) && matches!(self.kind(j), Tok::Word | Tok::Possessive | Tok::Other)))
        };
        let relative = matches!(self.w(a0), "who" | "whose");
        let at_end = |end: usize| end >= ceiling || matches!(self.kind(end), Tok::Stop);
        let last = phrase_end(a0).unwrap_or(ceiling);
        if trailing
            && at_end(last)
            && last > a0 + 1
            && !relative
            && !self.has_verb(a0..last)
            && self.appositive(&(a0..last))
        {
            return Some(a0..last);
        }
        let mut end = phrase_end(a0)?;
        if self.kind(end) != Tok::Comma || (!relative && self.has_verb(a0..end)) || !self.appositive(&(a0..end)) {
            return None;
        }
        // ", Berkeley,": one or two capitalised words between commas.
        if let Some(next) = phrase_end(end + 1) {
            if self.kind(next) == Tok::Comma
                && next - (end + 1) <= 2
                && (end + 1..next).all(|j| self.cap(j) && self.kind(j) == Tok::Word)
            {
                end = next;
            }
        }
        let rest = end + 1..ceiling;
        // ("According to Ousmane Diarra, a researcher at the Sahel Security
        // Institute, the move fits a pattern": a person's title at a body
        // is an apposition whatever the verb after it.)
        let g = gazetteer::get();
        let person_at_body = (a0..end.min(a0 + 4)).any(|j| g.noun(self.w(j)).is_some_and(|n| n.person && !n.plural))
            && (a0..end).any(|j| matches!(self.w(j), "at" | "of" | "for" | "with"))
            && !matches!(self.w(end + 1), "and" | "or" | "but");
        ((self.has_verb(rest.clone()) || person_at_body) && self.content(rest).is_some()).then_some(a0..end)
    }

    /// `SOURCE was quoted by OUTLET as saying (that) CONTENT`.
    fn quoted(&self, si: usize, s: usize, c: usize, ceiling: usize) -> Option<Found> {
        let e = ceiling;
        let subject = self.subject_before(s, c)?;
        let mut outlets = Vec::new();
        let mut k = c + 1;
        if self.w(k) == "by" {
            let by = k + 1;
            while k < e && self.w(k) != "as" {
                k += 1;
            }
            self.outlets_in(by..k, &mut outlets);
        }
        if !(self.w(k) == "as" && self.w(k + 1) == "saying") {
            return None;
        }
        let cue_end = k + 2;
        let mut start = cue_end;
        if self.w(start) == "that" {
            start += 1;
        }
        let (pieces, quote) = self.content(start..e)?;
        let paragraph = self.a.sentences[si].paragraph;
        let cue_start = if c > s && matches!(self.w(c - 1), "was" | "were" | "is" | "been") { c - 1 } else { c };
        Some(Found {
            rule: Rule::QuotedAsSaying,
            cue: cue_start..cue_end,
            pieces,
            quote,
            source: SourceRef { head: subject.head, appos: subject.appos, tail: c..cue_end },
            outlets,
            sentence: si,
            paragraph,
            region: subject.start..cue_end,
        })
    }

    /// `…, adding (that) CONTENT` / `…, saying …` / `…, telling X that …`:
    /// the source is the sentence's other attribution's, or its subject.
    #[allow(clippy::too_many_arguments)]
    fn participle(
        &self,
        si: usize,
        s: usize,
        c: usize,
        cue: Cue,
        ceiling: usize,
        out: &[Found],
        first_found: usize,
    ) -> Option<Found> {
        // "…, according to Aliou Badji, secretary general of the union, who
        // said …": the source just read goes on.
        let who = c > s + 1
            && self.w(c - 1) == "who"
            && self.kind(c - 2) == Tok::Comma
            && out[first_found..].last().is_some_and(|f| f.region.end + 1 >= c - 1);
        if c == s || !(self.kind(c - 1) == Tok::Comma || self.w(c - 1) == "and" || who) {
            return None;
        }
        let after = self.after_cue(c, 1, cue, ceiling);
        if !after.introduced && !matches!(self.w(c), "saying" | "adding") && !who {
            return None;
        }
        let (pieces, quote) = self.content(after.start..ceiling)?;
        let paragraph = self.a.sentences[si].paragraph;
        let (source, mut outlets) = match out[first_found..].last() {
            Some(main) => (main.source.clone(), main.outlets.clone()),
            None => {
                let head = self.sentence_subject(s, c)?;
                (SourceRef { head: head.clone(), appos: None, tail: c..c }, Vec::new())
            }
        };
        for o in after.outlets {
            if !outlets.contains(&o) {
                outlets.push(o);
            }
        }
        Some(Found {
            rule: Rule::Participle,
            cue: c..c + 1,
            pieces,
            quote,
            source,
            outlets,
            sentence: si,
            paragraph,
            region: c..after.start,
        })
    }

    /// The subject a sentence opens with, and its apposition.
    fn opening(&self, s: usize, e: usize) -> Option<SourceRef> {
        if e > s && self.kind(e - 1) == Tok::Dash {
            return None; // a dateline
        }
        let head = self.sentence_subject(s, e)?;
        let mut appos = None;
        if self.kind(head.end) == Tok::Comma {
            let a0 = head.end + 1;
            let a_end = (a0..e.min(a0 + 24)).find(|&k| matches!(self.kind(k), Tok::Comma | Tok::Stop)).unwrap_or(a0);
            let r = a0..a_end;
            if !r.is_empty() && self.kind(a_end) == Tok::Comma && self.appositive(&r) {
                appos = Some(r);
            }
        }
        Some(SourceRef { tail: head.end..head.end, head, appos })
    }

    /// The noun phrase a sentence opens with (after an introductory phrase):
    /// the subject of a participle with no other attribution.
    fn sentence_subject(&self, s: usize, limit: usize) -> Option<Range<usize>> {
        let mut start = s;
        if self.is_word(s) && cues::starts_intro(self.w(s)) {
            if let Some(comma) = (s..limit.min(s + 10)).find(|&k| self.kind(k) == Tok::Comma) {
                start = comma + 1;
            }
        }
        let mut k = start;
        while k < limit && self.out(k) && matches!(self.kind(k), Tok::Word | Tok::Possessive | Tok::Other) {
            let w = self.w(k);
            let verbish = cues::is_aux(w)
                || cues::cue(w).is_some()
                || ((w.ends_with("ed") || w.ends_with("ly")) && !self.cap(k))
                || (w == "on" && cues::is_day(self.w(k + 1)))
                || matches!(w, "put" | "made" | "set" | "gave" | "took" | "sent" | "held" | "won" | "lost");
            if verbish && k > start {
                break;
            }
            k += 1;
        }
        let r = start..k;
        self.valid_np(&r).then_some(r)
    }

    /// Extends a direct quotation over the quoted sentences after sentence
    /// `si` that have no cue of their own; returns the next sentence to read.
    fn continue_quote(&self, si: usize, found: &mut Found) -> usize {
        let mut next = si + 1;
        let mut para = self.a.sentences[si].paragraph;
        while next < self.a.sentences.len() {
            let sent = &self.a.sentences[next];
            let (s, e) = (sent.tokens.start, sent.tokens.end);
            if self.kind(s) != Tok::Quote || !self.cues(s, e).is_empty() {
                break;
            }
            let last_piece_end = found.pieces.last().map_or(0, |p| p.1);
            let continued = self.a.quotes.iter().any(|q| {
                q.start <= last_piece_end && last_piece_end <= q.end && q.marks.contains(&self.a.tokens[s].start)
            });
            if sent.paragraph != para && !continued {
                break;
            }
            let Some(q) = self.a.inside[s + 1..e].iter().flatten().next().copied() else { break };
            let from = self.a.tokens[s].end;
            for piece in quote_pieces(self.a.text, &self.a.quotes[q], from) {
                // Already there when the quotation was continued into this
                // sentence from the one before.
                if !found.pieces.iter().any(|p| p.0 <= piece.0 && piece.1 <= p.1) {
                    found.pieces.push(piece);
                }
            }
            para = sent.paragraph;
            next += 1;
            // A quotation that ends inside this sentence may be followed by
            // another one; go on while sentences open with a mark.
        }
        next
    }
}

/// Words in "-ing" that are prepositions ("…, including ride-hailing
/// services"): the content goes on through them.
fn preposition_in_ing(w: &str) -> bool {
    matches!(
        w,
        "including" | "excluding" | "during" | "following" | "regarding" | "concerning" | "involving" | "pending"
    )
}

/// A word in lower case for matching, except an acronym ("WHO" is not
/// "who", "US" is not "us").
pub fn fold(word: &str) -> String {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= 2 && word.chars().all(|c| !c.is_lowercase()) && word.chars().any(char::is_alphabetic) {
        word.to_string()
    } else {
        word.to_lowercase()
    }
}

/// Nouns of the phrases between a cue and its content ("in a statement").
const TAIL_NOUNS: &[&str] = &[
    "statement",
    "interview",
    "speech",
    "post",
    "note",
    "letter",
    "email",
    "e-mail",
    "briefing",
    "report",
    "conference",
    "address",
    "broadcast",
    "message",
    "video",
    "session",
    "hearing",
    "meeting",
    "filing",
    "memo",
    "tweet",
    "podcast",
    "appearance",
    "remarks",
    "comments",
    "call",
    "summit",
    "rally",
    "gathering",
    "visit",
    "order",
    "ruling",
    "opinion",
    "decision",
    "notice",
    "release",
    "x",
    "facebook",
    "telegram",
    "media",
    "television",
    "radio",
    "parliament",
    "court",
    "time",
];

/// The inside of a quotation as pieces from byte `from` on, one per
/// paragraph: the marks that re-open a continued paragraph are left out.
fn quote_pieces(text: &str, q: &super::quotes::Quotation, from: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = q.start;
    for &m in q.marks.iter().skip(1) {
        if m > q.start && m < q.end {
            if m > from {
                out.push(trim_piece(text, start.max(from), m));
            }
            start = m + text[m..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if q.end > from {
        out.push(trim_piece(text, start.max(from), q.end));
    }
    out.retain(|p| p.1 > p.0);
    out
}

/// Trims whitespace and trailing commas, stops and colons from a byte range.
fn trim_piece(text: &str, from: usize, to: usize) -> (usize, usize) {
    let slice = &text[from..to];
    let lead = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim_end().trim_end_matches([',', ':', ';']);
    let trimmed = trimmed.trim_end();
    (from + lead, from + trimmed.len().max(lead))
}
