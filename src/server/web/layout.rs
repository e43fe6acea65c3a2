//! The frame of every page: the header with the query box's home, the
//! style sheet, and helpers for links. Pages are plain HTML that reads
//! without colour (status words are written out, headers are bold, tables
//! have rules) and fits a 400 px wide screen (tables scroll sideways).

use maud::{html, Markup, DOCTYPE};

/// The style sheet, small enough to send with every page.
const CSS: &str = r#"
body{font-family:system-ui,sans-serif;line-height:1.4;margin:0 auto;padding:0 .75rem 2rem;max-width:72rem;color:#111;background:#fff}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;border-bottom:2px solid #111;padding:.5rem 0;margin-bottom:1rem}
header a.home{font-weight:bold;font-size:1.2rem;text-decoration:none;color:#111}
a{color:#0645ad}
form.query textarea{width:100%;box-sizing:border-box;font:1rem ui-monospace,monospace;min-height:3.2rem}
form.query .row{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.4rem;align-items:center}
button,input[type=submit]{font:inherit;padding:.3rem .9rem;border:2px solid #111;background:#eee;cursor:pointer}
.layout{display:flex;flex-wrap:wrap;gap:1rem}
.results{flex:1 1 30rem;min-width:0}
.facets{flex:0 1 16rem}
.facets h3{margin:.8rem 0 .2rem;font-size:1rem}
.facets ul{list-style:none;margin:0;padding:0}
.facets li{display:flex;justify-content:space-between;gap:.5rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}
td.n{text-align:right;font-variant-numeric:tabular-nums}
pre.error{border:2px solid #111;border-left-width:.5rem;padding:.5rem;overflow-x:auto;white-space:pre;background:#fafafa}
p.note{border:2px dashed #111;padding:.4rem .6rem}
.status{font-weight:bold;text-transform:uppercase;font-size:.85em;letter-spacing:.03em}
dl.claim{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dl.claim dt{font-weight:bold}
dl.claim dd{margin:0}
fieldset{border:1px solid #999;margin:.8rem 0;padding:.5rem .75rem}
fieldset label{display:block;margin:.3rem 0}
fieldset input[type=text],fieldset input[type=date],fieldset input[type=url],fieldset input[type=password],fieldset select,fieldset textarea{width:100%;box-sizing:border-box;font:inherit}
nav.pages{display:flex;gap:1rem;margin:.5rem 0}
details.examples li{font-family:ui-monospace,monospace;font-size:.9em}
td.date{white-space:nowrap}
@media (max-width:40rem){
.facets{flex-basis:100%}
table.claims thead{display:none}
table.claims,table.claims tbody,table.claims tr,table.claims td{display:block}
table.claims tr{border:1px solid #999;margin:0 0 .6rem;padding:.3rem .5rem}
table.claims td{border:none;padding:.1rem 0}
table.claims td[data-label]::before{content:attr(data-label) ": ";font-weight:bold;text-transform:none;letter-spacing:0}
}
"#;

/// `GET /style.css`.
pub async fn css() -> impl axum::response::IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "text/css"), (axum::http::header::CACHE_CONTROL, "max-age=3600")], CSS)
}

/// A whole page.
pub fn page(title: &str, signed: Signed, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · claimdb" }
                link rel="stylesheet" href="/style.css";
            }
            body {
                header {
                    a.home href="/" { "claimdb" }
                    a href="/?q=claims+order+by+date+desc" { "latest claims" }
                    a href="/?q=count+claims+per+status" { "statuses" }
                    a href="/?q=sources+ranked+by+retracted" { "track records" }
                    @if signed.writes { a href="/add" { "add a claim" } }
                    @match signed.sign_in {
                        SignIn::NotNeeded => {}
                        SignIn::SignedIn => form method="post" action="/logout" style="margin:0" {
                            input type="hidden" name="csrf" value=(signed.csrf);
                            button type="submit" { "sign out" }
                        },
                        SignIn::SignedOut => a href="/login" { "sign in" },
                    }
                }
                main { (body) }
            }
        }
    }
}

/// What the page's visitor may do, for the header and the forms.
#[derive(Clone, Debug)]
pub struct Signed {
    /// Whether write forms are shown (writes allowed, and signed in when a
    /// token is needed).
    pub writes: bool,
    /// Whether there is anything to sign in to.
    pub sign_in: SignIn,
    /// The CSRF token the forms carry.
    pub csrf: String,
}

/// The sign-in state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignIn {
    /// The server has no token.
    NotNeeded,
    /// The browser holds the token.
    SignedIn,
    /// A token is needed and the browser has none.
    SignedOut,
}

/// `/?q=…` for a statement.
pub fn query_link(statement: &str) -> String {
    format!("/?q={}", encode(statement))
}

/// Percent-encodes a query string value.
pub fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A name written so that the language reads it as one name: in double
/// quotes, with `"` and `\` escaped and control characters as escapes.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_names_parse_back_to_themselves() {
        for name in ["Reuters", "US officials", "say \"no\"", "back\\slash", "two\nlines"] {
            let statement = format!("claims by {}", quoted(name));
            let parsed = crate::query::parser::parse(&statement).unwrap();
            let crate::query::ast::Statement::Claims(q) = parsed else { panic!() };
            let crate::query::ast::Filter::Source(p) = &q.filters[0] else { panic!() };
            assert_eq!(p.name.as_deref(), Some(name));
        }
        assert_eq!(query_link("claims via \"AFP\""), "/?q=claims+via+%22AFP%22");
    }
}
