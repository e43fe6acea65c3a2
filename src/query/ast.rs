//! The abstract syntax tree of the query language: what the parser builds
//! and the planner reads. Values that a later stage may have to complain
//! about (claim ids) keep their [`Span`] so the complaint can point at them.

use crate::error::Span;
use crate::model::{ClaimId, Date, Kind, Relation, Status};
use std::path::PathBuf;

/// A claim id as written, with where it was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdRef {
    /// The id.
    pub id: ClaimId,
    /// Where it appears in the statement.
    pub span: Span,
}

/// A name as written in a clause (`Reuters` in `via Reuters`, `"Gaza
/// ceasefire"` in `about "Gaza ceasefire"`), with where it was written, so
/// that a note about a name that matches nothing can point at it and
/// suggest a clause to write in its place.
///
/// Where a name was written is not part of what it means: two names are
/// equal (and print the same in `Debug`) when their text is, so a clause
/// repeated elsewhere in a statement is still one condition.
#[derive(Clone)]
pub struct Name {
    /// The name, as written (without quotes).
    pub text: String,
    /// Where the name is in the statement (quotes included).
    pub span: Span,
    /// The whole clause (`via Reuters`), when the name is the clause's only
    /// name and nothing else qualifies it: a clause for another role can
    /// then take its place. `None` inside `A or B`, after `not`, or in a
    /// pattern with other parts (`anonymous officials of Qatar`).
    pub clause: Option<Span>,
}

impl Name {
    /// A name written nowhere in particular (built by a program, not parsed).
    pub fn new(text: impl Into<String>) -> Name {
        Name { text: text.into(), span: Span::new(0, 0), clause: None }
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        self.text == other.text
    }
}

impl Eq for Name {}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.text, f)
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name::new(text)
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name::new(text)
    }
}

/// One statement of the language.
#[derive(Clone, Debug, PartialEq)]
pub enum Statement {
    /// `claims …`: list claims.
    Claims(Query),
    /// `count claims … [per X]`.
    Count {
        /// The claims to count.
        query: Query,
        /// What to count per, if anything.
        per: Option<GroupBy>,
    },
    /// `claim 12`, `show claim 12`.
    Show(IdRef),
    /// `history of claim 12`.
    History(IdRef),
    /// `sources [pattern]`.
    Sources(SourcePattern),
    /// `explain <statement>`.
    Explain(Box<Statement>),
    /// `add claim "…" by … on …`.
    Add(AddClaim),
    /// `set status of claim 4 to disputed [on D] [because "…"]`.
    SetStatus {
        /// The claim.
        id: IdRef,
        /// The new status.
        status: Status,
        /// When it took effect (default today).
        date: Option<Date>,
        /// Why.
        note: Option<String>,
    },
    /// Any other change of a claim: text, date, notes, rating, source,
    /// outlets, topics.
    Edit {
        /// The claim.
        id: IdRef,
        /// The change.
        edit: Edit,
    },
    /// `add evidence "URL" [note "…"] to claim 4`.
    AddEvidence {
        /// The claim.
        id: IdRef,
        /// Where the evidence is.
        url: String,
        /// What it shows.
        note: Option<String>,
    },
    /// `link claim 4 contradicts claim 7`, or `unlink …` when `remove`.
    Link {
        /// The claim the relation starts at.
        from: IdRef,
        /// The relation.
        relation: Relation,
        /// The claim it points at.
        to: IdRef,
        /// Whether to remove the relation instead.
        remove: bool,
    },
    /// `delete claim 4`.
    Delete(IdRef),
    /// `import …`.
    Import(Import),
    /// `export [query] to "FILE"`.
    Export {
        /// Which claims (all when no filter is given).
        query: Query,
        /// Where to write; the extension picks the format.
        path: PathBuf,
    },
    /// `sources ranked by retracted`, `track record of "US officials"`.
    TrackRecords(TrackRecordQuery),
    /// `unresolved contradictions`.
    Contradictions,
    /// `rating scale`, `set rating scale to …`, `add rating … to rating
    /// scale as …`, `remove rating … from rating scale`.
    Scale(ScaleStatement),
    /// `extract from "FILE" [dated D] [via OUTLET, …]`: the claims an
    /// article attributes, proposed; nothing is stored.
    Extract(ArticleRef),
    /// `import article "FILE" [dated D] [via OUTLET, …]`: the article's
    /// proposals recorded in one write, those that repeat a claim merged
    /// into it.
    ImportArticle(ImportArticle),
    /// `review article "FILE" …`: the shell steps through the proposals
    /// (only the interactive shell runs it).
    ReviewArticle(ArticleRef),
    /// `claims like "TEXT"`, `claims similar to claim N`: claims ranked by
    /// how much their text resembles it.
    Like(LikeQuery),
}

impl Statement {
    /// Whether the statement changes the database (an `explain` of a write
    /// does not: it only reads the plan). The one rule the parser's NUL
    /// check, the server's read-only mode and its method rules share.
    pub fn writes(&self) -> bool {
        match self {
            Statement::Claims(_)
            | Statement::Count { .. }
            | Statement::Show(_)
            | Statement::History(_)
            | Statement::Sources(_)
            | Statement::Explain(_)
            | Statement::Export { .. }
            | Statement::TrackRecords(_)
            | Statement::Contradictions
            | Statement::Extract(_)
            | Statement::Like(_)
            | Statement::Scale(ScaleStatement::Show) => false,
            Statement::Add(_)
            | Statement::SetStatus { .. }
            | Statement::Edit { .. }
            | Statement::AddEvidence { .. }
            | Statement::Link { .. }
            | Statement::Delete(_)
            | Statement::Import(_)
            | Statement::ImportArticle(_)
            | Statement::ReviewArticle(_)
            | Statement::Scale(_) => true,
        }
    }
}

/// A statement about the database's rating scale.
#[derive(Clone, Debug, PartialEq)]
pub enum ScaleStatement {
    /// `rating scale`: the scale, with the claims per rating.
    Show,
    /// `set rating scale to politifact`, `… to newsroom (true: accurate;
    /// false: misleading) allowing others`.
    Set(RatingScale),
    /// `add rating misleading, "out of context" to rating scale as false`.
    Add {
        /// The new grades.
        ratings: Vec<Name>,
        /// Which way they lean.
        leaning: Leaning,
    },
    /// `remove rating "needs context" from rating scale`.
    Remove(Vec<Name>),
}

pub use crate::engine::rating_scale::{Leaning, RatingScale};

/// A read of claims: filters (all must hold), order, limit.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    /// Conditions a claim must meet.
    pub filters: Vec<Filter>,
    /// The order of the results (default: date, then id).
    pub order: Option<Order>,
    /// At most this many results.
    pub limit: Option<u64>,
    /// Evaluate statuses as they stood at the end of this day.
    pub as_of: Option<Date>,
}

/// One condition on claims.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    /// `by …`: who made the claim.
    Source(SourcePattern),
    /// `via X`, `reported by X`: one of the outlets is X.
    Outlet(Name),
    /// `about X`: one of the topics is X.
    Topic(Name),
    /// `mentioning "…"`: the words appear consecutively in the text.
    Mentioning(Vec<PhraseWord>),
    /// `with status A or B`: the status is one of these.
    Status(Vec<Status>),
    /// `rated "X"`: the rating is X.
    Rated(Name),
    /// `after`, `before`, `on`, `since`, `until`, `between`, `in`.
    Date(DateRange),
    /// `where …`: a general condition.
    Where(Expr),
    /// `contradicting claim 4`, `supported by claim 4`...
    Related {
        /// The relation.
        relation: Relation,
        /// The other claim.
        id: IdRef,
        /// `false`: the claim relates to `id` (`supporting claim 4`);
        /// `true`: `id` relates to the claim (`supported by claim 4`).
        passive: bool,
    },
    /// `confirmed as of D`: the status on that day was one of these.
    StatusAsOf {
        /// The statuses.
        statuses: Vec<Status>,
        /// The day.
        date: Date,
    },
    /// `reported by at least N outlets`.
    MinOutlets(u64),
    /// `reported only via X`: X is the only outlet.
    OnlyOutlet(Name),
    /// `whose only sources are anonymous`.
    OnlyAnonymousSources,
    /// `via AFP or Reuters`, `about Qatar or Hamas`: any of these holds (at
    /// least two; each a name filter: source, outlet, topic or rating).
    Any(Vec<Filter>),
    /// `via not AFP`: the filter does not hold (a name filter, or an `Any`
    /// of them).
    Not(Box<Filter>),
    /// `unverified for more than N days`: the status is one of these and
    /// has not changed for more than N days.
    Stale {
        /// The statuses (empty: any).
        statuses: Vec<Status>,
        /// The number of days.
        days: u64,
    },
}

/// A pattern matching sources: `anonymous officials of Qatar`,
/// `US officials`, `Reuters`. Unset parts match anything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourcePattern {
    /// `anonymous` (true) or `named` (false).
    pub anonymous: Option<bool>,
    /// The kind.
    pub kind: Option<Kind>,
    /// The affiliation (compared case-insensitively).
    pub affiliation: Option<Name>,
    /// The name (compared case-insensitively).
    pub name: Option<Name>,
}

/// A word of a `mentioning` phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhraseWord {
    /// The word, lower-cased.
    pub word: String,
    /// Whether it was written with a trailing `*` (matches by prefix).
    pub prefix: bool,
}

/// An inclusive range of days; `None` ends are open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateRange {
    /// The first day included.
    pub from: Option<Date>,
    /// The last day included.
    pub to: Option<Date>,
}

/// The order of query results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Order {
    /// What to sort by.
    pub key: OrderKey,
    /// Largest first.
    pub descending: bool,
}

/// Sort keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderKey {
    /// The claim's date (ties by id).
    Date,
    /// The claim's id.
    Id,
    /// The status (in the order of [`Status::ALL`]; ties by date, id).
    Status,
    /// The source's name (ties by date, id).
    Source,
}

/// What `count … per X` groups by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    /// Current status.
    Status,
    /// Source name.
    Source,
    /// Each outlet (a claim counts once per outlet).
    Outlet,
    /// Each topic.
    Topic,
    /// Rating.
    Rating,
    /// Source kind.
    Kind,
    /// Source affiliation.
    Affiliation,
    /// Month of the date (`2024-11`).
    Month,
    /// Year of the date.
    Year,
}

impl GroupBy {
    /// The name used in the language and as the JSON key.
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Status => "status",
            GroupBy::Source => "source",
            GroupBy::Outlet => "outlet",
            GroupBy::Topic => "topic",
            GroupBy::Rating => "rating",
            GroupBy::Kind => "kind",
            GroupBy::Affiliation => "affiliation",
            GroupBy::Month => "month",
            GroupBy::Year => "year",
        }
    }

    /// Every grouping.
    pub const ALL: [GroupBy; 9] = [
        GroupBy::Status,
        GroupBy::Source,
        GroupBy::Outlet,
        GroupBy::Topic,
        GroupBy::Rating,
        GroupBy::Kind,
        GroupBy::Affiliation,
        GroupBy::Month,
        GroupBy::Year,
    ];
}

/// A general condition (`where …`).
///
/// `and` and `or` hold their operands in one list each (`a or b or c` is
/// one `Or` of three), so a long flat chain is a wide node rather than a
/// deep one: parsing, planning, evaluating and dropping it never recurse
/// once per operand. Only parentheses and `not` nest, and the parser bounds
/// that ([`crate::query::parser::MAX_DEPTH`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// Every one holds (at least two operands).
    And(Vec<Expr>),
    /// At least one holds (at least two operands).
    Or(Vec<Expr>),
    /// It does not hold.
    Not(Box<Expr>),
    /// A comparison of a field with a value.
    Compare {
        /// The field.
        field: Field,
        /// The operator.
        op: Op,
        /// The value.
        value: Value,
    },
    /// A boolean field on its own: `source.anonymous`.
    Flag(Field),
}

/// Fields usable in `where`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The claim text.
    Text,
    /// The source's name.
    Source,
    /// The source's kind.
    SourceKind,
    /// Whether the source is anonymous.
    SourceAnonymous,
    /// The source's affiliation.
    SourceAffiliation,
    /// Any of the outlets.
    Outlet,
    /// Any of the topics.
    Topic,
    /// The current status.
    Status,
    /// The rating.
    Rating,
    /// The date.
    Date,
    /// The id.
    Id,
}

impl Field {
    /// The name used in the language.
    pub fn name(self) -> &'static str {
        match self {
            Field::Text => "text",
            Field::Source => "source",
            Field::SourceKind => "source.kind",
            Field::SourceAnonymous => "source.anonymous",
            Field::SourceAffiliation => "source.affiliation",
            Field::Outlet => "outlet",
            Field::Topic => "topic",
            Field::Status => "status",
            Field::Rating => "rating",
            Field::Date => "date",
            Field::Id => "id",
        }
    }

    /// Every field, longest names first (so `source.kind` is tried before
    /// `source`).
    pub const ALL: [Field; 11] = [
        Field::SourceAffiliation,
        Field::SourceAnonymous,
        Field::SourceKind,
        Field::Source,
        Field::Text,
        Field::Outlet,
        Field::Topic,
        Field::Status,
        Field::Rating,
        Field::Date,
        Field::Id,
    ];
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `contains` (case-insensitive substring)
    Contains,
}

/// Values in comparisons, already checked against the field's type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Text (compared case-insensitively).
    Text(String),
    /// A day.
    Date(Date),
    /// A status.
    Status(Status),
    /// A kind.
    Kind(Kind),
    /// true or false.
    Bool(bool),
    /// A number (ids).
    Number(u64),
    /// No value: `rating = none`.
    None,
}

/// `add claim …`.
#[derive(Clone, Debug, PartialEq)]
pub struct AddClaim {
    /// The text.
    pub text: String,
    /// The source's name.
    pub source: String,
    /// The source's kind and anonymity (`as anonymous official`).
    pub kind: Kind,
    /// Whether anonymous.
    pub anonymous: bool,
    /// The affiliation (`of US`).
    pub affiliation: Option<String>,
    /// Outlets (`via Reuters, AFP`).
    pub outlets: Vec<String>,
    /// The date (`on 2024-11-09`).
    pub date: Date,
    /// Topics (`about Qatar, "Gaza ceasefire"`).
    pub topics: Vec<String>,
    /// Initial status.
    pub status: Status,
    /// Rating (checked against the rating scale when the claim is added).
    pub rating: Option<Name>,
    /// Notes.
    pub notes: Option<String>,
}

/// A change of one field of a claim.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// `set text of claim 4 to "…"`.
    Text(String),
    /// `set date of claim 4 to D`.
    Date(Date),
    /// `set notes of claim 4 to "…"` / `clear notes of claim 4`.
    Notes(Option<String>),
    /// `rate claim 4 "…"` / `clear rating of claim 4` (a rating is checked
    /// against the rating scale when the edit is made).
    Rating(Option<Name>),
    /// `set source of claim 4 to "X" as anonymous official of Y`.
    Source {
        /// Name.
        name: String,
        /// Kind.
        kind: Kind,
        /// Anonymous.
        anonymous: bool,
        /// Affiliation.
        affiliation: Option<String>,
    },
    /// `add outlet AFP to claim 4`.
    AddOutlets(Vec<String>),
    /// `remove outlet AFP from claim 4`.
    RemoveOutlets(Vec<String>),
    /// `add topic X to claim 4`.
    AddTopics(Vec<String>),
    /// `remove topic X from claim 4`.
    RemoveTopics(Vec<String>),
}

/// `import …`.
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// The file.
    pub path: PathBuf,
    /// Its format.
    pub format: ImportFormat,
    /// Import the good records and report the bad.
    pub skip_bad: bool,
}

/// Formats `import` reads: the interchange module's, named here for the
/// statement (a CSV mapping is plain data, built by the parser).
pub use crate::interchange::ImportFormat;

/// Track records: `track record of "US officials"`,
/// `sources ranked by retracted`, `outlets ranked by confirmed`.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackRecordQuery {
    /// What each row is: a source, kind, affiliation or outlet.
    pub group: RecordGroup,
    /// Only this source (or kind, …) when given.
    pub subject: Option<SourcePattern>,
    /// Rank by the share of this status or rating (most first); `None`
    /// orders by the number of claims.
    pub ranked_by: Option<Rank>,
    /// Only claims in this range of dates.
    pub dates: DateRange,
    /// Leave out rows with fewer claims (`with at least 10 claims`).
    pub min_claims: u64,
    /// At most this many rows.
    pub limit: Option<u64>,
}

impl DateRange {
    /// The days in both ranges.
    pub fn intersect(self, other: DateRange) -> DateRange {
        let from = match (self.from, other.from) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let to = match (self.to, other.to) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        DateRange { from, to }
    }
}

impl TrackRecordQuery {
    /// Every row of `group`, unranked, over all dates.
    pub fn new(group: RecordGroup) -> TrackRecordQuery {
        TrackRecordQuery {
            group,
            subject: None,
            ranked_by: None,
            dates: DateRange::default(),
            min_claims: 0,
            limit: None,
        }
    }
}

/// What track records are ranked by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rank {
    /// The share of claims whose current status is this one.
    Status(Status),
    /// The share of the rated claims with this rating (as the rating
    /// scale reads it: case and punctuation aside).
    Rating(Name),
    /// The share of the rated claims whose rating leans this way on the
    /// rating scale (`ranked by false-ish`).
    Leaning(Leaning),
}

impl Rank {
    /// How the rank reads in a column header: `retracted`, `rated "false"`,
    /// `false-ish`.
    pub fn label(&self) -> String {
        match self {
            Rank::Status(s) => s.name().to_string(),
            Rank::Rating(r) => format!("rated {r:?}"),
            Rank::Leaning(l) => l.name().to_string(),
        }
    }
}

/// What a track record row is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordGroup {
    /// Each source.
    Source,
    /// Each kind of source.
    Kind,
    /// Each affiliation.
    Affiliation,
    /// Each outlet.
    Outlet,
}

/// An article named by a statement: `"FILE" [dated D] [via OUTLET, …]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleRef {
    /// The file, as written.
    pub path: PathBuf,
    /// Where the file name is written in the statement.
    pub span: Span,
    /// The article's date (`dated D`); without it, the text's date line or
    /// dateline.
    pub dated: Option<Date>,
    /// The outlets that carried the article (`via …`), added to every
    /// proposal; without it, the outlet its dateline names.
    pub via: Vec<String>,
}

/// `import article …`.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportArticle {
    /// The article.
    pub article: ArticleRef,
    /// What to do with each proposal, when a person has decided
    /// (`review article`); `None` (as written in a statement) records
    /// every proposal, merging those that repeat a claim.
    pub reviewed: Option<Vec<crate::query::article::Reviewed>>,
}

/// `claims like "TEXT" [limit N]`, `claims similar to claim N [limit N]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LikeQuery {
    /// What the claims are compared with.
    pub target: LikeTarget,
    /// At most this many (default 10).
    pub limit: Option<u64>,
    /// Where the text (or the claim) is written, and the limit's number.
    pub spans: (Span, Option<Span>),
}

/// What `claims like` compares claims with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LikeTarget {
    /// A text.
    Text(String),
    /// The text of a claim, which is left out of the results.
    Claim(IdRef),
}
