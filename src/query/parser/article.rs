//! The article statements and the similarity queries:
//!
//! ```text
//! extract from "FILE" [dated DATE] [via OUTLET, …]
//! import article "FILE" [dated DATE] [via OUTLET, …]
//! review article "FILE" [dated DATE] [via OUTLET, …]
//! claims like "TEXT" [limit N]
//! claims similar to claim N [limit N]
//! ```
//!
//! `dated` and `via` come in either order, each at most once.

use super::error::{Expected, PError, PResult};
use super::lexeme::{at_end, claim_ref, cut_err, date, kw, name_list, number, string, ws};
use crate::query::ast::{ArticleRef, ImportArticle, LikeQuery, LikeTarget, Statement};
use crate::Span;
use std::path::PathBuf;

/// `extract from "FILE" …`.
pub fn extract<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |i| {
        let (i, _) = kw("extract")(i)?;
        let (i, _) = cut_err(kw("from"))(i)?;
        let (i, article) = article(full)(i)?;
        Ok((i, Statement::Extract(article)))
    }
}

/// `import article "FILE" …`.
pub fn import_article<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |i| {
        let (i, _) = kw("import")(i)?;
        let (i, _) = kw("article")(i)?;
        let (i, article) = article(full)(i)?;
        Ok((i, Statement::ImportArticle(ImportArticle { article, reviewed: None })))
    }
}

/// `review article "FILE" …`.
pub fn review_article<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |i| {
        let (i, _) = kw("review")(i)?;
        let (i, _) = cut_err(kw("article"))(i)?;
        let (i, article) = article(full)(i)?;
        Ok((i, Statement::ReviewArticle(article)))
    }
}

/// `"FILE" [dated DATE] [via OUTLET, …]`, the clauses in either order.
fn article<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, ArticleRef> {
    move |i| {
        let at = ws(i);
        let (mut i, path) = cut_err(|i| {
            string(i).map_err(|e| {
                e.map(|e| PError { expected: vec![Expected::Thing("the article's file name in quotes")], ..e })
            })
        })(at)?;
        let span = Span::new(full.len() - at.len(), full.len() - i.len());
        let mut article = ArticleRef { path: PathBuf::from(path), span, dated: None, via: Vec::new() };
        let mut seen: Vec<&'static str> = Vec::new();
        while !at_end(i) {
            let at = ws(i);
            let Some(word) = ["dated", "via"].into_iter().find(|w| kw(w)(at).is_ok()) else {
                let mut e = PError::expected(at, Expected::Keyword("dated"));
                e.expected.push(Expected::Keyword("via"));
                return e.cut();
            };
            if seen.contains(&word) {
                return PError::message(at, word.len(), format!("'{word}' is given twice")).cut();
            }
            seen.push(word);
            let (rest, _) = kw(word)(at)?;
            i = match word {
                "dated" => {
                    let (r, d) = cut_err(date)(rest)?;
                    article.dated = Some(d);
                    r
                }
                _ => {
                    let (r, v) = cut_err(name_list("an outlet, like Reuters"))(rest)?;
                    article.via = v;
                    r
                }
            };
        }
        Ok((i, article))
    }
}

/// `claims like "TEXT" [limit N]`, `claims similar to claim N [limit N]`.
pub fn like<'a>(full: &'a str) -> impl Fn(&'a str) -> PResult<'a, Statement> {
    move |i| {
        let (i, _) = kw("claims")(i)?;
        let offset = |rest: &str| full.len() - ws(rest).len();
        let (i, target, target_span) = if let Ok((r, _)) = kw("like")(i) {
            let start = offset(r);
            let (r, text) = cut_err(|i| {
                string(i).map_err(|e| {
                    e.map(|e| PError { expected: vec![Expected::Thing("the text to compare with, in quotes")], ..e })
                })
            })(r)?;
            (r, LikeTarget::Text(text), Span::new(start, full.len() - r.len()))
        } else {
            let (r, _) = kw("similar")(i)?;
            let (r, _) = cut_err(kw("to"))(r)?;
            let (r, id) = cut_err(claim_ref(full))(r)?;
            (r, LikeTarget::Claim(id), id.span)
        };
        let mut limit = None;
        let mut limit_span = None;
        let mut i = i;
        if !at_end(i) {
            let at = ws(i);
            let Ok((r, _)) = kw("limit")(at) else {
                let found = super::error::found_word(at);
                return PError::message(
                    at,
                    0,
                    format!("expected 'limit' or the end of the statement; found '{found}'"),
                )
                .help("a ranking by similarity takes no other clause: claims like \"…\" limit 5")
                .cut();
            };
            let start = offset(r);
            let (r, n) = cut_err(number)(r)?;
            limit = Some(n);
            limit_span = Some(Span::new(start, full.len() - r.len()));
            i = r;
        }
        Ok((i, Statement::Like(LikeQuery { target, limit, spans: (target_span, limit_span) })))
    }
}

#[cfg(test)]
mod tests {
    use crate::query::ast::{LikeTarget, Statement};
    use crate::query::parser::parse;

    #[test]
    fn article_statements_take_dated_and_via_in_either_order() {
        let Statement::Extract(a) = parse("extract from \"a.txt\" via Reuters, AFP dated 2024-11-09").unwrap() else {
            panic!()
        };
        assert_eq!(a.path.to_str(), Some("a.txt"));
        assert_eq!(a.via, ["Reuters", "AFP"]);
        assert_eq!(a.dated.unwrap().to_string(), "2024-11-09");
        assert_eq!(a.span, crate::Span::new(13, 20));
        let Statement::ImportArticle(i) = parse("import article \"b.txt\" dated 9 November 2024").unwrap() else {
            panic!()
        };
        assert!(i.reviewed.is_none() && i.article.via.is_empty());
        assert!(matches!(parse("review article \"c.txt\"").unwrap(), Statement::ReviewArticle(_)));
    }

    #[test]
    fn article_statements_say_what_is_wrong() {
        let msg = |s: &str| parse(s).unwrap_err().render("", s, 1);
        assert!(msg("extract \"a.txt\"").contains("expected 'from'"), "{}", msg("extract \"a.txt\""));
        assert!(msg("extract from a.txt").contains("file name in quotes"), "{}", msg("extract from a.txt"));
        assert!(msg("extract from \"a.txt\" dated 2024-02-30").contains("2024-02-30"));
        assert!(msg("extract from \"a.txt\" dated 2024-11-09 dated 2024-11-10").contains("given twice"));
        assert!(msg("import article \"a.txt\" on 2024-11-09").contains("expected 'dated' or 'via'"));
        assert!(msg("review article").contains("file name in quotes"));
    }

    #[test]
    fn like_and_similar_take_a_limit_only() {
        let Statement::Like(q) = parse("claims like \"Qatar stops mediating\" limit 3").unwrap() else { panic!() };
        assert_eq!(q.target, LikeTarget::Text("Qatar stops mediating".into()));
        assert_eq!(q.limit, Some(3));
        let Statement::Like(q) = parse("claims similar to claim 4").unwrap() else { panic!() };
        assert!(matches!(q.target, LikeTarget::Claim(id) if id.id == 4) && q.limit.is_none());
        let e = parse("claims like \"x\" via Reuters").unwrap_err().render("", "claims like \"x\" via Reuters", 1);
        assert!(e.contains("expected 'limit'") && e.contains("no other clause"), "{e}");
        let e = parse("claims similar claim 4").unwrap_err().render("", "claims similar claim 4", 1);
        assert!(e.contains("expected 'to'"), "{e}");
        assert!(parse("claims like Qatar").is_err());
    }
}
