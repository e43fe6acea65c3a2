//! Reporting cues: the verbs and phrases that attribute content to a source
//! ("said", "told", "according to", "was quoted … as saying"), how each
//! takes its content, and the small words the rules skip or stop at.

/// How a reporting verb takes its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cue {
    /// Takes content with or without "that": said, says, added, wrote,
    /// reported, showed.
    Say,
    /// Takes an object first, then content: told, informed, assured.
    Tell,
    /// Takes content only after "that", a colon or a quotation, or stands
    /// after the content: claimed, warned, estimated, insisted…
    Strict,
    /// A participle continuing a clause: ", adding that …", ", saying …".
    Participle,
    /// "telling X (that) …".
    TellParticiple,
    /// "quoted" (in "was quoted by X as saying").
    Quoted,
}

/// The reporting cue a lower-case word is, if any.
pub fn cue(word: &str) -> Option<Cue> {
    Some(match word {
        "said" | "says" | "say" | "added" | "adds" | "wrote" | "writes" | "reported" | "reports" | "showed"
        | "show" | "shows" | "claims" | "claim" | "tweeted" | "posted" | "testified" => Cue::Say,
        "told" | "tells" | "tell" | "informed" | "informs" | "assured" | "assures" | "reminded" => Cue::Tell,
        "claimed" | "stated" | "states" | "ruled" | "warned" | "warns" | "warn" | "estimated" | "estimates"
        | "estimate" | "insisted" | "insists" | "argued" | "argues" | "argue" | "asserted" | "asserts" | "noted"
        | "notes" | "explained" | "explains" | "announced" | "announces" | "confirmed" | "confirms"
        | "acknowledged" | "acknowledges" | "admitted" | "admits" | "alleged" | "alleges" | "found" | "finds"
        | "concluded" | "concludes" | "predicted" | "predicts" | "forecast" | "stressed" | "stresses"
        | "emphasised" | "emphasized" | "maintained" | "maintains" | "indicated" | "suggested" | "suggests"
        | "revealed" | "disclosed" | "replied" | "responded" | "recalled" | "contended" | "believes" | "believe"
        | "complained" | "complains" | "cautioned" | "projected" | "projects" | "allege" | "insist" | "note"
        | "predict" | "admit" | "acknowledge" | "confirm" | "suggest" | "maintain" | "contend" | "assert"
        | "complain" | "explain" | "stress" | "caution" | "recall" | "calculated" | "reiterated" | "declared" => {
            Cue::Strict
        }
        "saying" | "adding" | "stating" | "warning" | "noting" | "arguing" | "insisting" | "claiming"
        | "explaining" | "ruling" | "stressing" | "writing" | "asserting" | "estimating" | "confirming" => {
            Cue::Participle
        }
        "telling" | "informing" | "assuring" => Cue::TellParticiple,
        "quoted" => Cue::Quoted,
        _ => return None,
    })
}

/// Verb forms that are also nouns ("media reports", "his claims"): a cue
/// only when nothing marks them as a noun.
pub fn also_noun(word: &str) -> bool {
    matches!(
        word,
        "reports"
            | "claims"
            | "claim"
            | "estimates"
            | "estimate"
            | "notes"
            | "note"
            | "shows"
            | "show"
            | "states"
            | "forecast"
            | "finds"
            | "projects"
            | "posted"
            | "found"
    )
}

/// Words before a noun that make an ambiguous cue a noun ("the reports").
pub const NOUN_MARKERS: &[&str] = &[
    "the",
    "a",
    "an",
    "his",
    "her",
    "their",
    "its",
    "our",
    "these",
    "those",
    "this",
    "that",
    "such",
    "media",
    "news",
    "press",
    "local",
    "earlier",
    "recent",
    "unconfirmed",
    "initial",
    "conflicting",
    "false",
    "of",
    "to",
    "by",
    "in",
    "on",
    "for",
    "with",
    "any",
    "no",
    "tv",
    "television",
    "some",
    "many",
    "several",
    "two",
    "three",
    "from",
    "at",
    "about",
    "into",
    "over",
    "under",
    "against",
    "between",
    "new",
    "whose",
    "own",
    "which",
    "what",
];

/// Words that, just before a cue, negate it or make it an infinitive
/// ("did not say", "declined to say"): no attribution.
pub fn negates(word: &str) -> bool {
    matches!(word, "not" | "n't" | "never" | "to" | "nothing" | "cannot" | "can't" | "won't" | "didn't" | "wouldn't")
}

/// Auxiliaries and adverbs between a subject and its cue ("has also said").
pub fn is_aux(word: &str) -> bool {
    matches!(
        word,
        "has"
            | "have"
            | "had"
            | "also"
            | "later"
            | "earlier"
            | "previously"
            | "again"
            | "repeatedly"
            | "publicly"
            | "privately"
            | "separately"
            | "then"
            | "would"
            | "will"
            | "could"
            | "did"
            | "does"
            | "do"
            | "is"
            | "was"
            | "were"
            | "are"
            | "been"
            | "be"
            | "reportedly"
            | "recently"
            | "already"
            | "once"
            | "first"
            | "further"
            | "flatly"
            | "openly"
            | "simply"
            | "quickly"
            | "immediately"
            | "subsequently"
            | "officially"
            | "long"
            | "often"
            | "herself"
            | "himself"
            | "themselves"
            | "itself"
    )
}

/// Day words of time phrases ("on Tuesday", "said Thursday").
pub fn is_day(word: &str) -> bool {
    matches!(
        word,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "today"
            | "yesterday"
            | "tonight"
            | "overnight"
            | "morning"
            | "afternoon"
            | "evening"
            | "night"
            | "earlier"
            | "later"
            | "week"
            | "month"
            | "year"
            | "weekend"
    )
}

/// Words that start a new clause: a source is never found across them.
pub fn is_clause_boundary(word: &str) -> bool {
    matches!(
        word,
        "that"
            | "but"
            | "as"
            | "while"
            | "because"
            | "although"
            | "though"
            | "whereas"
            | "when"
            | "whether"
            | "if"
            | "unless"
            | "where"
            | "so"
            | "yet"
            | "since"
            | "after"
            | "before"
            | "until"
            | "than"
    )
}

/// Words that start a phrase saying more about the source after it
/// ("…, speaking on condition of anonymity", "…, who asked not to be
/// named"): not content.
pub fn is_source_tail(word: &str) -> bool {
    matches!(
        word,
        "speaking"
            | "asking"
            | "declining"
            | "requesting"
            | "who"
            | "whose"
            | "which"
            | "referring"
            | "citing"
            | "according"
            | "writing"
            | "in"
            | "on"
            | "at"
            | "by"
            | "from"
            | "during"
            | "after"
            | "via"
            | "late"
            | "early"
            | "last"
            | "this"
            | "earlier"
            | "later"
            | "when"
            | "before"
            | "over"
            | "through"
            | "with"
            | "to"
            | "without"
            | "under"
    )
}

/// Prepositions and time words that start a phrase between a cue and its
/// content ("said *in a statement on Tuesday* that").
pub fn starts_tail_phrase(word: &str) -> bool {
    matches!(
        word,
        "in" | "on"
            | "at"
            | "by"
            | "during"
            | "after"
            | "via"
            | "from"
            | "over"
            | "through"
            | "late"
            | "early"
            | "last"
            | "this"
            | "earlier"
            | "later"
            | "separately"
            | "previously"
            | "again"
            | "also"
            | "publicly"
            | "privately"
            | "repeatedly"
            | "speaking"
            | "to"
            | "with"
            | "before"
            | "when"
            | "under"
            | "without"
            | "shortly"
            | "recently"
            | "for"
            | "while"
            | "following"
    ) || is_day(word)
}

/// Words that open an introductory phrase before a subject ("In a statement,
/// the ministry said …"): the phrase is not content.
pub fn starts_intro(word: &str) -> bool {
    matches!(
        word,
        "in" | "on"
            | "at"
            | "after"
            | "before"
            | "during"
            | "asked"
            | "speaking"
            | "opening"
            | "closing"
            | "meanwhile"
            | "however"
            | "separately"
            | "earlier"
            | "later"
            | "when"
            | "while"
            | "as"
            | "with"
            | "without"
            | "for"
            | "from"
            | "by"
            | "under"
            | "according"
            | "despite"
            | "following"
            | "last"
            | "this"
            | "also"
            | "still"
            | "but"
            | "and"
            | "yet"
            | "so"
            | "then"
            | "now"
            | "today"
            | "yesterday"
            | "since"
            | "if"
            | "once"
            | "instead"
            | "responding"
            | "addressing"
            | "writing"
            | "testifying"
            | "briefing"
            | "interviewed"
            | "reached"
            | "contacted"
            | "nevertheless"
            | "indeed"
            | "moreover"
            | "furthermore"
            | "similarly"
            | "likewise"
            | "elsewhere"
            | "overall"
            | "until"
            | "among"
            | "like"
            | "unlike"
            | "back"
            | "here"
            | "there"
            | "again"
            | "already"
    ) || is_day(word)
}

/// Words after "per" that make it a rate, not an attribution ("per cent").
pub fn per_unit(word: &str) -> bool {
    matches!(
        word,
        "cent"
            | "day"
            | "week"
            | "month"
            | "year"
            | "hour"
            | "minute"
            | "second"
            | "barrel"
            | "share"
            | "capita"
            | "person"
            | "head"
            | "tonne"
            | "ton"
            | "kilogram"
            | "kg"
            | "litre"
            | "liter"
            | "gallon"
            | "unit"
            | "annum"
            | "se"
            | "kilometre"
            | "kilometer"
            | "mile"
            | "household"
            | "hectare"
            | "acre"
            | "vehicle"
            | "patient"
            | "child"
            | "game"
            | "match"
            | "passenger"
            | "seat"
            | "night"
            | "cubic"
            | "square"
            | "megawatt"
    ) || word.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// Verbs after "and" that start the source's next act rather than go on
/// with what it said ("said it respected the process and urged calm").
pub fn is_next_act(word: &str) -> bool {
    matches!(
        word,
        "urged"
            | "called"
            | "asked"
            | "accused"
            | "appealed"
            | "vowed"
            | "pledged"
            | "promised"
            | "demanded"
            | "declined"
            | "refused"
            | "threatened"
            | "condemned"
            | "welcomed"
            | "thanked"
            | "praised"
            | "criticised"
            | "criticized"
            | "announced"
            | "ordered"
            | "summoned"
            | "advised"
            | "encouraged"
            | "recommended"
            | "instructed"
    )
}

/// The phrases that say a source is anonymous, wherever they stand near it.
pub const ANONYMITY: &[&str] = &[
    "anonymous",
    "anonymously",
    "anonymity",
    "unnamed",
    "unidentified",
    "not to be named",
    "not to be identified",
    "declined to be named",
    "declined to be identified",
    "declining to be named",
    "declining to be identified",
    "refused to be named",
    "not be named",
    "not be identified",
    "withheld",
    "not authorised to",
    "not authorized to",
    "without being named",
    "requested anonymity",
];

/// Subjects that carry reports rather than make claims ("according to
/// reports"): they give outlets, never a source.
pub fn is_report_carrier(word: &str) -> bool {
    matches!(word, "reports" | "report" | "agencies" | "media" | "outlets" | "press" | "newspapers" | "reporting")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(cue("said"), Some(Cue::Say));
        assert_eq!(cue("told"), Some(Cue::Tell));
        assert_eq!(cue("warned"), Some(Cue::Strict));
        assert_eq!(cue("adding"), Some(Cue::Participle));
        assert_eq!(cue("comment"), None);
        assert!(negates("to") && negates("not"));
    }
}
