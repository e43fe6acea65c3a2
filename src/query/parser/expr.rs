//! `where` conditions: comparisons of fields with values, combined with
//! `and`, `or`, `not` and parentheses (`and` binds tighter than `or`).
//!
//! Each value is checked against its field's type as it is parsed, so
//! `status = disputd` fails right there with a suggestion. Chains of `and`
//! and `or` are read in a loop into one n-ary node, so their length costs
//! no stack; parentheses and `not` nest, bounded by [`MAX_DEPTH`]; and one
//! condition holds at most [`MAX_TERMS`] comparisons. No input can overflow
//! the stack here or in the stages after.

use super::error::{Expected, PError, PResult};
use super::lexeme::{bare_word, cut_err, date, error_at, kind_strict, kw, name, number, status, sym, ws};
use crate::query::ast::{Expr, Field, Op, Value};
use std::cell::Cell;

/// How deeply parentheses and `not` may nest.
pub const MAX_DEPTH: usize = 64;

/// How many comparisons one `where` condition may hold: far more than
/// anyone writes by hand, and a bound on the work a generated one can ask
/// for.
pub const MAX_TERMS: usize = 10_000;

/// An expression: `a or b`, where each side is an `and` chain.
pub fn expr(i: &str, depth: usize) -> PResult<'_, Expr> {
    or_chain(i, depth, &Cell::new(0))
}

/// `a or b or …`, with `terms` counting the comparisons read so far.
fn or_chain<'a>(i: &'a str, depth: usize, terms: &Cell<usize>) -> PResult<'a, Expr> {
    let (mut i, first) = and_chain(i, depth, terms)?;
    let mut operands = vec![first];
    while let Ok((rest, _)) = kw("or")(i) {
        let (rest, next) = cut_err(|i| and_chain(i, depth, terms))(rest)?;
        operands.push(next);
        i = rest;
    }
    Ok((i, if operands.len() == 1 { operands.remove(0) } else { Expr::Or(operands) }))
}

fn and_chain<'a>(i: &'a str, depth: usize, terms: &Cell<usize>) -> PResult<'a, Expr> {
    let (mut i, first) = unary(i, depth, terms)?;
    let mut operands = vec![first];
    while let Ok((rest, _)) = kw("and")(i) {
        let (rest, next) = cut_err(|i| unary(i, depth, terms))(rest)?;
        operands.push(next);
        i = rest;
    }
    Ok((i, if operands.len() == 1 { operands.remove(0) } else { Expr::And(operands) }))
}

fn unary<'a>(input: &'a str, depth: usize, terms: &Cell<usize>) -> PResult<'a, Expr> {
    let i = ws(input);
    if depth >= MAX_DEPTH {
        return PError::message(i, 1, format!("the condition is nested more than {MAX_DEPTH} levels deep"))
            .help("simplify the condition")
            .cut();
    }
    if let Ok((rest, _)) = kw("not")(i) {
        let (rest, inner) = cut_err(|i| unary(i, depth + 1, terms))(rest)?;
        return Ok((rest, Expr::Not(Box::new(inner))));
    }
    if let Ok((rest, _)) = sym("(", "'('")(i) {
        let (rest, inner) = cut_err(|i| or_chain(i, depth + 1, terms))(rest)?;
        let (rest, _) = cut_err(sym(")", "')'"))(rest)?;
        return Ok((rest, inner));
    }
    if terms.get() >= MAX_TERMS {
        let word = bare_word(i).map_or(1, |(_, w)| w.len().max(1));
        return PError::message(i, word, format!("the condition has more than {MAX_TERMS} comparisons"))
            .help("split the question into several, or narrow it with clauses such as via, about or with status")
            .cut();
    }
    terms.set(terms.get() + 1);
    comparison(i)
}

fn field(input: &str) -> PResult<'_, Field> {
    let i = ws(input);
    let word = bare_word(i).map(|(_, w)| w).unwrap_or("");
    for f in Field::ALL {
        if word.eq_ignore_ascii_case(f.name()) {
            return Ok((&i[word.len()..], f));
        }
    }
    let mut e = PError::expected(i, Expected::Thing("a field"));
    if !word.is_empty() {
        let names = Field::ALL.iter().map(|f| f.name());
        let help = match crate::model::closest(word, names) {
            Some(near) => format!("did you mean '{near}'?"),
            None => format!("fields are: {}", Field::ALL.iter().rev().map(|f| f.name()).collect::<Vec<_>>().join(", ")),
        };
        e = e.help(help);
    }
    e.fail()
}

fn operator(input: &str) -> PResult<'_, Op> {
    let i = ws(input);
    for (text, op) in
        [("!=", Op::Ne), ("<>", Op::Ne), ("<=", Op::Le), (">=", Op::Ge), ("=", Op::Eq), ("<", Op::Lt), (">", Op::Gt)]
    {
        if let Some(rest) = i.strip_prefix(text) {
            return Ok((rest, op));
        }
    }
    if let Ok((rest, _)) = kw("contains")(i) {
        return Ok((rest, Op::Contains));
    }
    PError::expected(i, Expected::Thing("a comparison (=, !=, <, <=, >, >= or contains)")).fail()
}

fn comparison(input: &str) -> PResult<'_, Expr> {
    let (i, f) = field(input)?;
    let op_at = ws(i);
    let (i, op) = match operator(i) {
        Ok(found) => found,
        // `source.anonymous` alone is a condition.
        Err(_) if f == Field::SourceAnonymous => return Ok((i, Expr::Flag(f))),
        Err(e) => return Err(cut_error(e)),
    };
    let op_len = op_at.len() - i.len();
    let allowed: &[Op] = match f {
        Field::Date | Field::Id => &[Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge],
        Field::SourceKind | Field::Status | Field::SourceAnonymous => &[Op::Eq, Op::Ne],
        _ => &[Op::Eq, Op::Ne, Op::Contains],
    };
    if !allowed.contains(&op) {
        let ops: Vec<&str> = allowed.iter().map(op_name).collect();
        return PError::message(op_at, op_len.max(1), format!("{} cannot be used with {}", op_name(&op), f.name()))
            .help(format!("use {}", ops.join(", ")))
            .cut();
    }
    let (i, value) = cut_err(|i| value_for(f, i))(i)?;
    Ok((i, Expr::Compare { field: f, op, value }))
}

fn cut_error<'a>(e: nom::Err<PError<'a>>) -> nom::Err<PError<'a>> {
    match e {
        nom::Err::Error(e) => nom::Err::Failure(e),
        other => other,
    }
}

fn op_name(op: &Op) -> &'static str {
    match op {
        Op::Eq => "=",
        Op::Ne => "!=",
        Op::Lt => "<",
        Op::Le => "<=",
        Op::Gt => ">",
        Op::Ge => ">=",
        Op::Contains => "contains",
    }
}

/// The value after a comparison, of the type `field` needs.
fn value_for(f: Field, input: &str) -> PResult<'_, Value> {
    let i = ws(input);
    match f {
        Field::Date => date(i).map(|(r, d)| (r, Value::Date(d))),
        Field::Id => number(i).map(|(r, n)| (r, Value::Number(n))),
        Field::Status => status(i).map(|(r, s)| (r, Value::Status(s))),
        Field::SourceKind => kind_strict(i).map(|(r, k)| (r, Value::Kind(k))),
        Field::SourceAnonymous => {
            if let Ok((r, _)) = kw("true")(i) {
                return Ok((r, Value::Bool(true)));
            }
            if let Ok((r, _)) = kw("false")(i) {
                return Ok((r, Value::Bool(false)));
            }
            PError::expected(i, Expected::Thing("true or false")).fail()
        }
        _ => {
            if !i.starts_with('"') {
                if let Ok((r, _)) = kw("none")(i) {
                    if matches!(f, Field::Rating | Field::SourceAffiliation) {
                        return Ok((r, Value::None));
                    }
                    return Err(nom::Err::Failure(error_at(
                        i,
                        4,
                        crate::errinput!(
                            "{} always has a value; 'none' applies to rating and source.affiliation",
                            f.name()
                        ),
                    )));
                }
            }
            name("a value (quote it if it has several words)")(i).map(|(r, s)| (r, Value::Text(s)))
        }
    }
}
