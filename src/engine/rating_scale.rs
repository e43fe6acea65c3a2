//! The rating scale of a database: the ratings it accepts, in order from
//! true to false, how each leans (true-ish, mixed, false-ish), and other
//! spellings of a grade (PolitiFact's `mostly-false` was `barely-true`
//! until 2011, and LIAR2 still says so).
//!
//! A database has one scale, kept under one meta key and changed in one
//! atomic, flushed write. Until one is set it is PolitiFact's six, so the
//! bundled LIAR2 import works on a new database; `snopes` (true, mostly
//! true, mixture, mostly false, false) is built in too, a database may
//! declare its own, and `any` accepts every rating (and leans none).
//!
//! A rating matches a grade's name or other spelling whatever its case and
//! punctuation (`Mostly True` is `mostly-true`). The language checks every
//! rating it writes against the scale, imports included, and stores the
//! scale's spelling (case aside, which the indexes ignore); the typed API
//! stores ratings as given. Track records count the ratings by leaning.

use super::keys::META_RATING_SCALE;
use super::terms::{Term, TAG_RATING};
use super::{Db, Engine};
use crate::error::Result;
use crate::model::MAX_NAME_BYTES;
use crate::storage::{codec, Tree, WriteBatch};
use crate::{errcorrupt, errinput};
use serde::{Deserialize, Serialize};

/// The most grades a scale may have.
pub const MAX_GRADES: usize = 64;

/// Which way a rating leans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Leaning {
    /// The claim holds, or mostly does (`true`, `mostly-true`).
    True,
    /// Neither (`half-true`, `mixture`).
    Mixed,
    /// The claim does not hold, or mostly does not (`mostly-false`,
    /// `false`, `pants-fire`).
    False,
}

impl Leaning {
    /// Every leaning, from true to false.
    pub const ALL: [Leaning; 3] = [Leaning::True, Leaning::Mixed, Leaning::False];

    /// `true-ish`, `mixed`, `false-ish`.
    pub fn name(self) -> &'static str {
        match self {
            Leaning::True => "true-ish",
            Leaning::Mixed => "mixed",
            Leaning::False => "false-ish",
        }
    }

    fn code(self) -> u8 {
        match self {
            Leaning::True => 0,
            Leaning::Mixed => 1,
            Leaning::False => 2,
        }
    }

    fn from_code(code: u8) -> Option<Leaning> {
        Leaning::ALL.into_iter().find(|l| l.code() == code)
    }
}

impl std::fmt::Display for Leaning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Leaning {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One grade of a scale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Grade {
    /// Its name, as the scale spells it.
    pub name: String,
    /// Other spellings of the same grade (`barely-true`).
    pub also: Vec<String>,
    /// Which way it leans.
    pub leaning: Leaning,
}

impl Grade {
    /// A grade with no other spellings.
    pub fn new(name: impl Into<String>, leaning: Leaning) -> Grade {
        Grade { name: name.into(), also: Vec::new(), leaning }
    }

    /// Every spelling: the name, then the others.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.also.iter().map(String::as_str))
    }
}

/// A database's rating scale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RatingScale {
    /// Its name: `politifact`, `snopes`, `any`, or one of the user's.
    pub name: String,
    /// The grades, from true to false.
    pub grades: Vec<Grade>,
    /// Whether ratings that are no grade are accepted too (and lean none).
    pub open: bool,
}

/// The names of the built-in scales.
pub const BUILT_IN: [&str; 3] = ["politifact", "snopes", "any"];

/// The matching form of a rating: lower case, words joined by `-`, other
/// punctuation ignored (`Pants on Fire!` → `pants-on-fire`).
pub fn key(rating: &str) -> String {
    rating.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-").to_lowercase()
}

impl Default for RatingScale {
    /// The scale of a database that has not set one: PolitiFact's.
    fn default() -> RatingScale {
        RatingScale::politifact()
    }
}

impl RatingScale {
    /// PolitiFact's Truth-O-Meter: true, mostly-true, half-true,
    /// mostly-false (also barely-true), false, pants-fire (also
    /// pants-on-fire).
    pub fn politifact() -> RatingScale {
        use Leaning::*;
        let mut mostly_false = Grade::new("mostly-false", False);
        mostly_false.also.push("barely-true".into());
        let mut pants = Grade::new("pants-fire", False);
        pants.also.push("pants-on-fire".into());
        RatingScale {
            name: "politifact".into(),
            grades: vec![
                Grade::new("true", True),
                Grade::new("mostly-true", True),
                Grade::new("half-true", Mixed),
                mostly_false,
                Grade::new("false", False),
                pants,
            ],
            open: false,
        }
    }

    /// The five of Snopes and others: true, mostly true, mixture, mostly
    /// false, false.
    pub fn snopes() -> RatingScale {
        use Leaning::*;
        RatingScale {
            name: "snopes".into(),
            grades: vec![
                Grade::new("true", True),
                Grade::new("mostly true", True),
                Grade::new("mixture", Mixed),
                Grade::new("mostly false", False),
                Grade::new("false", False),
            ],
            open: false,
        }
    }

    /// No scale: every rating is accepted, none leans either way.
    pub fn any() -> RatingScale {
        RatingScale { name: "any".into(), grades: Vec::new(), open: true }
    }

    /// The built-in scale of this name (any case).
    pub fn built_in(name: &str) -> Option<RatingScale> {
        match name.to_lowercase().as_str() {
            "politifact" => Some(RatingScale::politifact()),
            "snopes" => Some(RatingScale::snopes()),
            "any" => Some(RatingScale::any()),
            _ => None,
        }
    }

    /// The grade `rating` is, whatever its case and punctuation.
    pub fn grade(&self, rating: &str) -> Option<&Grade> {
        let k = key(rating);
        self.grades.iter().find(|g| g.spellings().any(|s| key(s) == k))
    }

    /// The scale's spelling of `rating` (its grade's name, or the other
    /// spelling it matches).
    pub fn spelling(&self, rating: &str) -> Option<&str> {
        let k = key(rating);
        self.spellings().find(|s| key(s) == k)
    }

    /// How `rating` leans, if it is on the scale.
    pub fn leaning(&self, rating: &str) -> Option<Leaning> {
        self.grade(rating).map(|g| g.leaning)
    }

    /// Every spelling of every grade.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        self.grades.iter().flat_map(Grade::spellings)
    }

    /// The scale in a line: `politifact: true, mostly-true, half-true,
    /// mostly-false (or barely-true), false, pants-fire (or pants-on-fire)`.
    pub fn describe(&self) -> String {
        if self.grades.is_empty() {
            return format!("{}: any rating, leaning neither way", self.name);
        }
        let grades: Vec<String> = self
            .grades
            .iter()
            .map(|g| if g.also.is_empty() { g.name.clone() } else { format!("{} (or {})", g.name, g.also.join(", ")) })
            .collect();
        let others = if self.open { ", and any other rating" } else { "" };
        format!("{}: {}{others}", self.name, grades.join(", "))
    }

    /// The rating to store for `rating`: as written when it is one of the
    /// scale's spellings but for case, else the scale's spelling; as
    /// written (trimmed) on an open scale when it is no grade. A rating off
    /// a closed scale is an error naming the scale, with the close grades
    /// and how to widen it.
    pub fn accept(&self, rating: &str) -> Result<String> {
        Spellings::new(self).accept(rating)
    }

    /// Checks a scale's definition: a name, grades with names that are
    /// not empty, not too long and not the same as another's (whatever
    /// the case and punctuation), and at least one grade unless open.
    pub fn validate(&self) -> Result<()> {
        if key(&self.name).is_empty() {
            return Err(errinput!("a rating scale needs a name"));
        }
        if self.grades.is_empty() && !self.open {
            return Err(errinput!("the scale {:?} has no grades", self.name)
                .with_help("list its grades, or add `allowing others` to accept any rating"));
        }
        if self.grades.len() > MAX_GRADES {
            return Err(errinput!(
                "a rating scale has at most {MAX_GRADES} grades; this one has {}",
                self.grades.len()
            ));
        }
        let mut seen: Vec<(String, &str)> = Vec::new();
        for s in std::iter::once(self.name.as_str()).chain(self.spellings()) {
            if s.len() > MAX_NAME_BYTES || s.contains('\0') {
                return Err(errinput!("{:?} is not a possible rating (at most {MAX_NAME_BYTES} bytes, no NUL)", s));
            }
        }
        for s in self.spellings() {
            let k = key(s);
            if k.is_empty() {
                return Err(errinput!("a rating needs a letter or digit; {s:?} has none"));
            }
            if let Some((_, first)) = seen.iter().find(|(other, _)| *other == k) {
                return Err(errinput!("{s:?} is the same rating as {first:?} (case and punctuation aside)"));
            }
            seen.push((k, s));
        }
        Ok(())
    }

    /// A copy to change: a built-in scale changed is no longer that scale,
    /// and its name says so (`politifact, changed`).
    fn to_change(&self) -> RatingScale {
        let mut scale = self.clone();
        if BUILT_IN.contains(&scale.name.as_str()) {
            scale.name = format!("{}, changed", scale.name);
        }
        scale
    }

    /// The scale with these grades added (new ones, at the end of their
    /// leaning's grades).
    pub fn widened(&self, names: &[String], leaning: Leaning) -> Result<RatingScale> {
        let mut scale = self.to_change();
        for name in names {
            if let Some(g) = scale.grade(name) {
                return Err(errinput!("{name:?} is on the scale already, as {} ({})", g.name, g.leaning));
            }
            let at = scale.grades.iter().rposition(|g| g.leaning <= leaning).map_or(0, |i| i + 1);
            scale.grades.insert(at, Grade::new(name.trim(), leaning));
        }
        scale.validate()?;
        Ok(scale)
    }

    /// The scale without these grades (each named by any of its spellings).
    pub fn narrowed(&self, names: &[String]) -> Result<RatingScale> {
        let mut scale = self.to_change();
        for name in names {
            let k = key(name);
            let before = scale.grades.len();
            scale.grades.retain(|g| !g.spellings().any(|s| key(s) == k));
            if scale.grades.len() == before {
                return Err(errinput!("{name:?} is not on the rating scale ({})", self.describe()));
            }
        }
        scale.validate()?;
        Ok(scale)
    }
}

/// A scale's spellings by their matching form, for checking many ratings
/// (an import) without working each form out again.
pub struct Spellings<'a> {
    scale: &'a RatingScale,
    by_key: std::collections::HashMap<String, &'a str>,
}

impl<'a> Spellings<'a> {
    /// The spellings of `scale`.
    pub fn new(scale: &'a RatingScale) -> Spellings<'a> {
        Spellings { scale, by_key: scale.spellings().map(|s| (key(s), s)).collect() }
    }

    /// [`RatingScale::accept`].
    pub fn accept(&self, rating: &str) -> Result<String> {
        let rating = rating.trim();
        let k = key(rating);
        if k.is_empty() {
            return Err(errinput!("a rating needs a letter or digit; {rating:?} has none"));
        }
        let scale = self.scale;
        match self.by_key.get(&k).copied() {
            Some(s) if s.eq_ignore_ascii_case(rating) || s.to_lowercase() == rating.to_lowercase() => {
                Ok(rating.to_string())
            }
            Some(s) => Ok(s.to_string()),
            None if scale.open => Ok(rating.to_string()),
            None => {
                let close = crate::model::closest(&k, scale.spellings());
                let help = match close {
                    Some(near) => format!("did you mean '{near}'?"),
                    None => format!(
                        "to rate with it, widen the scale: add rating {} to rating scale as false (or true, \
                         mixed); set rating scale to any accepts every rating",
                        quoted(rating)
                    ),
                };
                Err(errinput!("{rating:?} is not on the rating scale ({})", scale.describe()).with_help(help))
            }
        }
    }
}

fn quoted(rating: &str) -> String {
    crate::query::parser::lexeme::written_name(rating)
}

/// The scale as stored.
#[derive(Serialize, Deserialize)]
struct StoredScale {
    name: String,
    open: bool,
    grades: Vec<(String, Vec<String>, u8)>,
}

impl Engine {
    /// The database's rating scale (PolitiFact's until one is set).
    pub(crate) fn rating_scale(&self) -> Result<RatingScale> {
        let Some(bytes) = self.store.get(Tree::Meta, META_RATING_SCALE)? else {
            return Ok(RatingScale::default());
        };
        let stored: StoredScale = codec::decode(&bytes, "rating scale")?;
        let mut grades = Vec::with_capacity(stored.grades.len());
        for (name, also, leaning) in stored.grades {
            let leaning =
                Leaning::from_code(leaning).ok_or_else(|| errcorrupt!("rating scale has leaning {leaning}"))?;
            grades.push(Grade { name, also, leaning });
        }
        Ok(RatingScale { name: stored.name, grades, open: stored.open })
    }

    /// The ratings claims have, as first written, with their claims (from
    /// the rating index's block headers), most first.
    pub(crate) fn ratings_in_use(&self) -> Result<Vec<(String, u64)>> {
        let mut out = Vec::new();
        for (term, n) in self.count_terms_under(&[TAG_RATING])? {
            if let Term::Rating(_) = term {
                out.push((self.display_name(&term)?, n));
            }
        }
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(out)
    }
}

impl Db {
    /// The database's rating scale.
    pub fn rating_scale(&self) -> Result<RatingScale> {
        let _guard = self.read_lock();
        self.engine.rating_scale()
    }

    /// The ratings claims have, with their number of claims, most first.
    pub fn ratings_in_use(&self) -> Result<Vec<(String, u64)>> {
        let _guard = self.read_lock();
        self.engine.ratings_in_use()
    }

    /// Makes `scale` the database's rating scale, in one atomic, flushed
    /// write. Refused, changing nothing, when the scale is not valid or
    /// when claims have ratings it does not accept (the error names them).
    pub fn set_rating_scale(&self, scale: &RatingScale) -> Result<()> {
        scale.validate()?;
        let _guard = self.write_lock();
        let engine = &self.engine;
        let outside: Vec<(String, u64)> = engine
            .ratings_in_use()?
            .into_iter()
            .filter(|(rating, _)| !scale.open && scale.grade(rating).is_none())
            .collect();
        if let Some((first, _)) = outside.first() {
            let listed: Vec<String> = outside
                .iter()
                .take(10)
                .map(|(r, n)| format!("{r:?} ({n} {})", if *n == 1 { "claim" } else { "claims" }))
                .collect();
            let more = if outside.len() > 10 { format!(" and {} more", outside.len() - 10) } else { String::new() };
            return Err(errinput!(
                "claims have ratings the scale {:?} does not have: {}{more}; nothing changed",
                scale.name,
                listed.join(", ")
            )
            .with_help(format!(
                "give the scale those grades too, or rate those claims otherwise first (claims rated {})",
                quoted(first)
            )));
        }
        let stored = StoredScale {
            name: scale.name.clone(),
            open: scale.open,
            grades: scale.grades.iter().map(|g| (g.name.clone(), g.also.clone(), g.leaning.code())).collect(),
        };
        let mut batch = WriteBatch::new();
        batch.put(Tree::Meta, META_RATING_SCALE.to_vec(), codec::encode(&stored));
        // Like every write: durable, witnessed, and undone with the atomic
        // unit it is part of.
        engine.write_acknowledged(batch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{date::parse_iso, NewClaim, Source};

    #[test]
    fn ratings_match_their_grade_whatever_the_spelling() {
        let p = RatingScale::politifact();
        assert_eq!(p.leaning("Mostly True"), Some(Leaning::True));
        assert_eq!(p.leaning("barely-true"), Some(Leaning::False));
        assert_eq!(p.leaning("Pants on Fire!"), Some(Leaning::False));
        assert_eq!(p.leaning("banana"), None);
        assert_eq!(p.accept("FALSE").unwrap(), "FALSE", "case is kept: the indexes ignore it");
        assert_eq!(p.accept("Mostly True").unwrap(), "mostly-true", "other punctuation takes the scale's");
        assert_eq!(p.accept(" barely true ").unwrap(), "barely-true");
        let e = p.accept("mostly-ture").unwrap_err().to_string();
        assert!(e.contains("did you mean 'mostly-true'?"), "{e}");
        let e = p.accept("banana").unwrap_err().to_string();
        assert!(e.contains("\"banana\" is not on the rating scale (politifact: true, mostly-true"), "{e}");
        assert!(e.contains("add rating banana to rating scale as false"), "{e}");
        assert_eq!(RatingScale::any().accept("banana").unwrap(), "banana");
        assert_eq!(RatingScale::snopes().accept("Mostly-True").unwrap(), "mostly true");
    }

    #[test]
    fn definitions_are_checked() {
        let mut s =
            RatingScale { name: "newsroom".into(), grades: vec![Grade::new("accurate", Leaning::True)], open: false };
        s.validate().unwrap();
        s.grades.push(Grade::new("Accurate!", Leaning::False));
        assert!(s.validate().unwrap_err().to_string().contains("the same rating as \"accurate\""));
        assert!(RatingScale { grades: vec![], ..RatingScale::any() }.validate().is_ok());
        let empty = RatingScale { name: "x".into(), grades: vec![], open: false };
        assert!(empty.validate().is_err());
        let wide = RatingScale::politifact().widened(&["misleading".into()], Leaning::False).unwrap();
        assert_eq!(wide.grades.last().unwrap().name, "misleading");
        let wide = wide.widened(&["needs context".into()], Leaning::Mixed).unwrap();
        assert_eq!(wide.grades[3].name, "needs context", "after the other mixed grades");
        assert!(wide.widened(&["Half True".into()], Leaning::True).is_err());
        let narrow = wide.narrowed(&["barely true".into()]).unwrap();
        assert!(narrow.grade("mostly-false").is_none());
    }

    #[test]
    fn the_scale_is_stored_and_a_change_that_would_strand_ratings_is_refused() {
        let db = Db::temporary().unwrap();
        assert_eq!(db.rating_scale().unwrap(), RatingScale::politifact());
        let day = parse_iso("2024-11-09").unwrap();
        db.insert(NewClaim::new("a", Source::new("s"), day).rating("pants-fire")).unwrap();
        let err = db.set_rating_scale(&RatingScale::snopes()).unwrap_err().to_string();
        assert!(err.contains("\"pants-fire\" (1 claim)"), "{err}");
        assert_eq!(db.rating_scale().unwrap(), RatingScale::politifact(), "nothing changed");
        let wide = RatingScale::snopes().widened(&["pants-fire".into()], Leaning::False).unwrap();
        db.set_rating_scale(&wide).unwrap();
        assert_eq!(db.rating_scale().unwrap(), wide);
        db.set_rating_scale(&RatingScale::any()).unwrap();
        assert_eq!(db.rating_scale().unwrap(), RatingScale::any());
    }

    #[test]
    fn a_damaged_scale_is_corruption_not_a_panic() {
        let db = Db::temporary().unwrap();
        for bytes in [vec![], vec![1], vec![1, 0xff, 0xff], vec![9, 1, 2]] {
            let mut batch = WriteBatch::new();
            batch.put(Tree::Meta, META_RATING_SCALE.to_vec(), bytes);
            db.engine.store.write(&batch).unwrap();
            assert!(matches!(db.rating_scale(), Err(crate::Error::Corrupt(_))));
        }
    }
}
