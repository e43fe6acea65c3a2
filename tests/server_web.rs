//! The web page's HTML, fetched over HTTP from the real server: paging,
//! facets, exports, the claim page, escaping of stored text, the
//! confirmation a typed write needs, and a read-only server's pages.

mod server_support;

use server_support::{encode, generated_db, get, post, query, sample_db, Server};

fn page(server: &Server, q: &str, page_no: u64) -> String {
    get(&server.url(&format!("/?q={}&page={page_no}", encode(q))), &[]).status(200).body.clone()
}

fn rows(html: &str) -> usize {
    html.matches("<td class=\"date\"").count()
}

#[test]
fn lists_are_paged_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let db = generated_db(dir.path(), "news.db", 130);
    let server = Server::start(dir.path(), &db, &[]);
    let first = page(&server, "claims", 1);
    assert!(first.contains("Claims <strong>1–50</strong> of <strong>130</strong>"), "{first}");
    assert_eq!(rows(&first), 50);
    assert!(first.contains("page 1 of 3") && first.contains("rel=\"next\"") && !first.contains("rel=\"prev\""));
    let last = page(&server, "claims", 3);
    assert!(last.contains("Claims <strong>101–130</strong> of <strong>130</strong>"), "{last}");
    assert_eq!(rows(&last), 30);
    assert!(!last.contains("rel=\"next\"") && last.contains("rel=\"prev\""));
    let beyond = page(&server, "claims", 9);
    assert!(beyond.contains("No claims on this page."));
    // A limit is kept, and its list has no facets (they would count more).
    let limited = page(&server, "claims limit 60", 2);
    assert!(limited.contains("Claims <strong>51–60</strong> of <strong>60</strong>"), "{limited}");
    assert!(!limited.contains("aside class=\"facets\""));
    // Facets count the same claims as the list, and refine it.
    let via_ap = page(&server, "claims via AP", 1);
    let n = query(&server, "count claims via AP", &[]).json()[0]["count"].as_u64().unwrap();
    assert!(via_ap.contains(&format!("of <strong>{n}</strong>")), "{via_ap}");
    assert!(via_ap.contains("<h3>by status</h3>"));
    let statuses = query(&server, "count claims via AP per status", &[]).json();
    let top = &statuses[0];
    let link = format!(
        "href=\"/?q={}\">{}</a><span class=\"n\">{}</span>",
        encode(&format!("claims via AP with status {}", top["status"].as_str().unwrap())).replace("%20", "+"),
        top["status"].as_str().unwrap(),
        top["count"]
    );
    assert!(via_ap.contains(&link), "missing {link}");
    // Exports of the current query.
    assert!(via_ap
        .contains(&format!("href=\"/v1/query?format=csv&amp;q={}\"", encode("claims via AP").replace("%20", "+"))));
    let csv = get(&server.url("/v1/query?format=csv&q=claims+via+AP"), &[]).status(200).body.clone();
    assert_eq!(csv.lines().count() as u64, n + 1);
    let jsonld = get(&server.url("/export.jsonld?q=claims+via+AP"), &[]);
    jsonld.status(200);
    assert_eq!(jsonld.header("content-type"), Some("application/ld+json"));
    let reviews = jsonld.json();
    assert_eq!(reviews.as_array().unwrap().len() as u64, n);
    assert_eq!(reviews[0]["@type"], "ClaimReview");
    get(&server.url("/export.jsonld?q=count+claims"), &[]).status(400);
}

#[test]
fn the_claim_page_shows_everything_and_escapes_stored_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let server = Server::start(dir.path(), &db, &[]);
    for write in [
        "add claim \"<script>alert('x')</script> & more\" by \"<b>bold</b>\" on 2024-11-12",
        "add evidence \"javascript:alert(1)\" note \"<img src=x onerror=alert(1)>\" to claim 11",
        "add evidence \"https://example.org/report\" note \"wire copy\" to claim 11",
        "link claim 6 contradicts claim 11",
        "set text of claim 11 to \"<script>second</script>\"",
        "set status of claim 11 to disputed on 2024-11-13 because \"<i>why</i>\"",
    ] {
        query(&server, write, &[]).status(200);
    }
    let html = get(&server.url("/claims/11"), &[]).status(200).body.clone();
    assert!(
        !html.contains("<script>") && !html.contains("<b>bold") && !html.contains("<img") && !html.contains("<i>why")
    );
    assert!(html.contains("&lt;script&gt;second&lt;/script&gt;"), "{html}");
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"));
    // A javascript: URL is shown, never linked; a web address is linked.
    assert!(!html.contains("href=\"javascript:"));
    assert!(html.contains("<code>javascript:alert(1)</code>"));
    assert!(html.contains("<a href=\"https://example.org/report\" rel=\"noopener noreferrer nofollow\">"));
    // History, edits and relations (the other claim's link, from this side).
    assert!(html.contains("<h2>History</h2>") && html.contains("<td class=\"status\">disputed</td>"));
    assert!(html.contains("<h2>Edits</h2>") && html.contains("<td>text</td>"));
    assert!(html.contains("<a href=\"/claims/6\">#6</a> contradicts this claim"), "{html}");
    let six = get(&server.url("/claims/6"), &[]).body.clone();
    assert!(six.contains("this claim contradicts <a href=\"/claims/11\">#11</a>"));
    // The forms are there, with the CSRF token.
    for action in ["status", "rating", "evidence", "link"] {
        assert!(html.contains(&format!("action=\"/claims/11/{action}\"")), "{action}");
    }
    assert!(html.matches("name=\"csrf\"").count() >= 4);
    let missing = get(&server.url("/claims/99"), &[]);
    assert!(missing.status(404).body.contains("there is no claim #99"));
}

#[test]
fn a_write_typed_in_the_box_needs_a_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let server = Server::start(dir.path(), &db, &[]);
    let html = page(&server, "delete claim 1", 1);
    assert!(html.contains("This statement changes the database.") && html.contains("Run this change"));
    assert!(get(&server.url("/v1/claims/1"), &[]).status == 200, "a link never writes");
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let done = post(
        &server.url("/"),
        &[("content-type", "application/x-www-form-urlencoded")],
        &format!("q=delete+claim+1&csrf={csrf}"),
    );
    assert!(done.status(200).body.contains("deleted"), "{}", done.body);
    get(&server.url("/v1/claims/1"), &[]).status(404);
    // Errors show the shell's caret.
    let bad = get(&server.url("/?q=claims+with+status+disputd"), &[]);
    assert!(
        bad.status(400).body.contains("error at line 1, column 20: unknown status &#39;disputd&#39;")
            || bad.body.contains("error at line 1, column 20: unknown status 'disputd'"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("^^^^^^^"));
}

#[test]
fn a_read_only_server_shows_no_forms() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let server = Server::start(dir.path(), &db, &["--read-only"]);
    let claim = get(&server.url("/claims/3"), &[]).status(200).body.clone();
    assert!(!claim.contains("<form"), "no write forms");
    let add = get(&server.url("/add"), &[]).status(200).body.clone();
    assert!(add.contains("This server is read-only.") && !add.contains("action=\"/add\""));
    let typed = page(&server, "delete claim 1", 1);
    assert!(typed.contains("read-only") && !typed.contains("Run this change"));
}
