//! Statements about the rating scale: `rating scale`, `set rating scale to
//! politifact`, a scale of one's own (`set rating scale to newsroom (true:
//! accurate; mixed: "needs context"; false: misleading or "misleading
//! claim", fabricated) allowing others`), `add rating X to rating scale as
//! false`, `remove rating X from rating scale`. A scale of one's own is
//! checked here (names, repeats), pointing at the name at fault; whether
//! the claims' ratings fit it is the engine's check when it is set.

use super::error::{Expected, PError, PResult};
use super::lexeme::{cut_err, kw, spanned_name, sym, ws};
use crate::engine::rating_scale::{Grade, Leaning, RatingScale, BUILT_IN};
use crate::query::ast::{Name, ScaleStatement, Statement};

/// `rating scale` (the keyword `rating` not yet read).
pub fn show(input: &str) -> PResult<'_, Statement> {
    let (i, _) = kw("rating")(input)?;
    let (i, _) = cut_err(kw("scale"))(i)?;
    Ok((i, Statement::Scale(ScaleStatement::Show)))
}

/// After `set rating scale`: `to NAME [(GROUPS)] [allowing others]`.
pub fn set<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |input| {
        let (i, _) = cut_err(kw("to"))(input)?;
        let name_at = ws(i);
        let (i, name) = cut_err(spanned_name(full, "a scale: politifact, snopes, any, or a name of your own"))(i)?;
        let built_in = RatingScale::built_in(&name.text);
        let (i, mut scale) = match (built_in, sym("(", "'('")(i)) {
            (Some(_), Ok(_)) => {
                return PError::message(name_at, name_at.len() - i.len(), format!("{} is a built-in scale", name.text))
                    .help("give a scale of your own another name")
                    .cut();
            }
            (Some(scale), Err(_)) => (i, scale),
            (None, Ok((rest, _))) => {
                let (rest, grades) = groups(full)(rest)?;
                (rest, RatingScale { name: name.text.clone(), grades, open: false })
            }
            (None, Err(_)) => {
                let help = match crate::model::closest(&name.text, BUILT_IN) {
                    Some(near) => format!("did you mean '{near}'?"),
                    None => format!(
                        "built in: {}; or define one: set rating scale to {} (true: …; mixed: …; false: …)",
                        BUILT_IN.join(", "),
                        super::lexeme::written_name(&name.text)
                    ),
                };
                return PError::message(
                    name_at,
                    name_at.len() - i.len(),
                    format!("no rating scale is called {:?}", name.text),
                )
                .help(help)
                .cut();
            }
        };
        let (i, open) = match kw("allowing")(i) {
            Ok((rest, _)) => {
                let (rest, _) = cut_err(|i| kw("others")(i).or_else(|_| kw("any")(i)))(rest)?;
                (rest, true)
            }
            Err(_) => (i, false),
        };
        scale.open |= open;
        if let Err(e) = scale.validate() {
            let len = name_at.len() - i.len();
            return Err(nom::Err::Failure(super::lexeme::error_at(name_at, len, e)));
        }
        Ok((i, Statement::Scale(ScaleStatement::Set(scale))))
    }
}

/// `LEANING: GRADE, GRADE; LEANING: …)`, a grade being a name and its
/// other spellings joined by `or`; the closing parenthesis is read too.
fn groups<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Vec<Grade>> {
    move |input| {
        let mut grades: Vec<(Grade, Name)> = Vec::new();
        let mut i = input;
        loop {
            let (rest, leaning) = cut_err(leaning)(i)?;
            let (rest, _) = cut_err(sym(":", "':'"))(rest)?;
            let mut rest = rest;
            loop {
                let (r, first) = cut_err(spanned_name(full, "a rating, like accurate or \"needs context\""))(rest)?;
                let mut grade = Grade::new(first.text.trim(), leaning);
                rest = r;
                while let Ok((r, _)) = kw("or")(rest) {
                    let (r, other) = cut_err(spanned_name(full, "another spelling of the rating"))(r)?;
                    grade.also.push(other.text.trim().to_string());
                    rest = r;
                }
                if let Some((_, earlier)) = grades.iter().find(|(g, _)| {
                    g.spellings().any(|s| {
                        grade
                            .spellings()
                            .any(|t| crate::engine::rating_scale::key(s) == crate::engine::rating_scale::key(t))
                    })
                }) {
                    let at = &full[first.span.start..];
                    return PError::message(
                        at,
                        first.span.end - first.span.start,
                        format!("{:?} is given twice", first.text),
                    )
                    .help(format!("it is the same rating as {:?} (case and punctuation aside)", earlier.text))
                    .cut();
                }
                grades.push((grade, first));
                match sym(",", "','")(rest) {
                    Ok((r, _)) => rest = r,
                    Err(_) => break,
                }
            }
            let rest = sym(";", "';'")(rest).map_or(rest, |(r, _)| r);
            if let Ok((r, _)) = sym(")", "')'")(rest) {
                let mut out: Vec<Grade> = grades.into_iter().map(|(g, _)| g).collect();
                // From true to false, in the order given within a leaning.
                out.sort_by_key(|g| g.leaning);
                return Ok((r, out));
            }
            i = rest;
        }
    }
}

/// `true` (or `true-ish`), `mixed`, `false` (or `false-ish`).
pub fn leaning(input: &str) -> PResult<'_, Leaning> {
    let i = ws(input);
    for (words, leaning) in [
        (["true-ish", "true"], Leaning::True),
        (["mixed", "mixed"], Leaning::Mixed),
        (["false-ish", "false"], Leaning::False),
    ] {
        for w in words {
            if let Ok((rest, _)) = kw(w)(i) {
                return Ok((rest, leaning));
            }
        }
    }
    let mut e = PError::expected(i, Expected::Keyword("true"));
    e.expected.extend([Expected::Keyword("mixed"), Expected::Keyword("false")]);
    e.fail()
}

/// After `add rating` (or `ratings`): `NAMES to rating scale as LEANING`.
pub fn add<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |input| {
        let (i, ratings) = cut_err(names(full))(input)?;
        let (i, _) = cut_err(kw("to"))(i)?;
        if kw("claim")(i).is_ok() {
            let at = ws(i);
            return PError::message(at, 5, "ratings are added to the rating scale; a claim is rated")
                .help("rate claim N RATING rates a claim (rate claim 3 \"half-true\")")
                .cut();
        }
        let (i, _) = cut_err(kw("rating"))(i)?;
        let (i, _) = cut_err(kw("scale"))(i)?;
        let (i, _) = cut_err(kw("as"))(i)?;
        let (i, leaning) = cut_err(leaning)(i)?;
        Ok((i, Statement::Scale(ScaleStatement::Add { ratings, leaning })))
    }
}

/// After `remove rating` (or `ratings`): `NAMES from rating scale`.
pub fn remove<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |input| {
        let (i, ratings) = cut_err(names(full))(input)?;
        let (i, _) = cut_err(kw("from"))(i)?;
        let (i, _) = cut_err(kw("rating"))(i)?;
        let (i, _) = cut_err(kw("scale"))(i)?;
        Ok((i, Statement::Scale(ScaleStatement::Remove(ratings))))
    }
}

/// Ratings separated by commas, with where each was written.
fn names<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Vec<Name>> {
    move |input| {
        let (mut i, first) = spanned_name(full, "a rating, like misleading or \"needs context\"")(input)?;
        let mut out = vec![first];
        while let Ok((rest, _)) = sym(",", "','")(i) {
            let (rest, next) = cut_err(spanned_name(full, "a rating"))(rest)?;
            out.push(next);
            i = rest;
        }
        Ok((i, out))
    }
}
