//! Each security rule of `claimdb serve`, against the real binary: tokens
//! for writes (and reads with --private), --read-only, files only inside
//! --files (no `..`, no absolute paths, no symlinks out, never the
//! database's own directory), CSRF on forms, no CORS, loopback by default,
//! host names on loopback. Every refusal is checked to have changed
//! nothing.

mod server_support;

use server_support::{direct, get, post, query, sample_db, Server};
use std::process::Command;

const TOKEN: &str = "s3cret-token-for-the-desk-0123";

fn count(server: &Server, headers: &[(&str, &str)]) -> u64 {
    query(server, "count claims", headers).status(200).json()[0]["count"].as_u64().unwrap()
}

#[test]
fn other_addresses_need_a_token_or_an_explicit_insecure_flag() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(server_support::BIN)
        .current_dir(dir.path())
        .args(["serve", "x.db", "--listen", "0.0.0.0:7700"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("refusing to listen on 0.0.0.0:7700 without a token"), "{err}");
    assert!(err.contains("--token-file") && err.contains("--insecure-no-token"), "{err}");
    assert!(!dir.path().join("x.db").exists() || !dir.path().join("x.db/server.json").exists());
    // The default is loopback.
    let db = sample_db(dir.path(), "news.db");
    let out = Command::new(server_support::BIN).args(["serve", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("[default: 127.0.0.1:7700]"));
    let server = Server::start(dir.path(), &db, &[]);
    assert!(server.addr.starts_with("127.0.0.1:"));
}

#[test]
fn with_a_token_writes_need_it_and_reads_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let server = Server::start(dir.path(), &db, &["--token-file", token_file.to_str().unwrap()]);
    let add = "add claim \"Needs the token\" by \"a spokesperson\" on 2024-11-12";

    let none = query(&server, add, &[]);
    none.status(401);
    assert!(none.header("www-authenticate").unwrap_or("").starts_with("Bearer"));
    assert!(none.message().contains("needs the server's token"), "{}", none.body);
    let wrong = query(&server, add, &[("authorization", "Bearer not-the-token-at-all")]);
    assert!(wrong.status(403).message().contains("not this server's"));
    assert_eq!(count(&server, &[]), 10, "refused writes changed nothing; reads need no token");

    let bearer = format!("Bearer {TOKEN}");
    query(&server, add, &[("authorization", &bearer)]).status(200);
    assert_eq!(count(&server, &[]), 11);
    // Every kind of write is guarded, not just adds.
    for write in
        ["delete claim 1", "set status of claim 2 to false", "rate claim 2 \"false\"", "link claim 1 supports claim 2"]
    {
        query(&server, write, &[]).status(401);
    }
    assert_eq!(get(&server.url("/v1/claims/1"), &[]).status(200).json()["status"], "unverified");
}

#[test]
fn a_private_server_needs_the_token_to_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, TOKEN).unwrap();
    let server = Server::start(dir.path(), &db, &["--token-file", token_file.to_str().unwrap(), "--private"]);
    let bearer = format!("Bearer {TOKEN}");
    for path in ["/v1/query?q=claims", "/v1/claims/1", "/v1/stats", "/v1/vocabulary", "/export.jsonld?q=claims"] {
        get(&server.url(path), &[]).status(401);
        get(&server.url(path), &[("authorization", &bearer)]).status(200);
    }
    // The web page sends the visitor to sign in.
    let page = get(&server.url("/?q=claims"), &[]);
    assert!(page.status == 303 || page.body.contains("Sign in"), "{} {}", page.status, page.body);
    // Health says only that the server is up.
    get(&server.url("/v1/health"), &[]).status(200);
}

#[test]
fn read_only_refuses_every_write_with_403() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    std::fs::write(files.join("more.jsonl"), server_support::claims_jsonl(3)).unwrap();
    let server = Server::start(dir.path(), &db, &["--read-only", "--files", files.to_str().unwrap()]);
    for write in [
        "add claim \"x\" by \"y\" on 2024-11-12",
        "delete claim 1",
        "set text of claim 1 to \"changed\"",
        "import \"more.jsonl\"",
        ".restore more.jsonl",
    ] {
        let refused = query(&server, write, &[]);
        assert!(refused.status(403).message().contains("read-only"), "{write}: {}", refused.body);
    }
    assert_eq!(count(&server, &[]), 10);
    // Reads and exports to the files directory still work.
    query(&server, "export claims via AFP to \"afp.csv\"", &[]).status(200);
    assert!(std::fs::read_to_string(files.join("afp.csv")).unwrap().starts_with("id,text"));
    assert_eq!(get(&server.url("/v1/health"), &[]).json()["read_only"], true);
}

#[test]
fn files_are_refused_without_files_and_confined_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    std::fs::write(dir.path().join("outside.jsonl"), server_support::claims_jsonl(2)).unwrap();
    std::fs::write(dir.path().join("outside.cq"), "claims\n").unwrap();

    // Without --files: every statement that touches a file is refused.
    let server = Server::start(dir.path(), &db, &[]);
    for statement in [
        "import \"outside.jsonl\"",
        "export to \"out.jsonl\"",
        "export claims via AFP to \"out.csv\"",
        ".backup b.jsonl",
        ".restore outside.jsonl",
        ".read outside.cq",
    ] {
        let refused = query(&server, statement, &[]);
        assert!(
            refused.status(403).message().contains("does not read or write files"),
            "{statement}: {}",
            refused.body
        );
        assert!(refused.json()["error"]["help"].as_str().unwrap().contains("--files"));
    }
    assert!(!dir.path().join("out.jsonl").exists() && !dir.path().join("b.jsonl").exists());
    drop(server);

    // With --files DIR: only inside DIR.
    let files = dir.path().join("files");
    std::fs::create_dir_all(files.join("wire")).unwrap();
    std::fs::write(files.join("wire/day1.jsonl"), server_support::claims_jsonl(3)).unwrap();
    std::os::unix::fs::symlink(dir.path(), files.join("escape")).unwrap();
    std::os::unix::fs::symlink(&db, files.join("db-link")).unwrap();
    let server = Server::start(dir.path(), &db, &["--files", files.to_str().unwrap()]);
    let outside = dir.path().join("outside.jsonl");
    for (statement, why) in [
        ("import \"../outside.jsonl\"".to_string(), "not allowed"),
        (format!("import \"{}\"", outside.display()), "not allowed"),
        ("import \"wire/../../outside.jsonl\"".to_string(), "not allowed"),
        ("import \"escape/outside.jsonl\"".to_string(), "leads outside"),
        ("export to \"escape/stolen.jsonl\"".to_string(), "leads outside"),
        ("export to \"../stolen.jsonl\"".to_string(), "not allowed"),
        (".backup ../b.jsonl".to_string(), "not allowed"),
        (".read ../outside.cq".to_string(), "not allowed"),
    ] {
        let refused = query(&server, &statement, &[]);
        assert!(refused.status(403).message().contains(why), "{statement}: {}", refused.body);
    }
    assert!(!dir.path().join("stolen.jsonl").exists());
    assert_eq!(count(&server, &[]), 10, "nothing was imported");

    // Inside the directory everything works, relative to it.
    let imported = query(&server, "import \"wire/day1.jsonl\"", &[]).status(200).json();
    assert_eq!(imported[0]["imported"], 3);
    query(&server, "export claims via Reuters to \"reuters.jsonl\"", &[]).status(200);
    assert!(files.join("reuters.jsonl").exists());
    let backup = query(&server, ".backup all.jsonl", &[]).status(200).json();
    assert_eq!(backup[0]["done"], "backed up 13 claims to all.jsonl");
    std::fs::write(files.join("two.cq"), "count claims\nclaims via AFP limit 1\n").unwrap();
    let script = query(&server, ".read two.cq", &[]);
    script.status(200);
    assert!(script.body.starts_with("[\n{\"count\":13}\n]\n[\n{\"id\":"), "{}", script.body);
    // A script's statements obey the same rules.
    std::fs::write(files.join("sneaky.cq"), "count claims\nexport to \"../sneaky.jsonl\"\n").unwrap();
    let refused = query(&server, ".read sneaky.cq", &[]);
    assert!(refused.status(403).message().starts_with("sneaky.cq:2:1: "), "{}", refused.body);
    assert!(!dir.path().join("sneaky.jsonl").exists());
    // A script that writes is refused over GET (a link can send a GET).
    std::fs::write(files.join("writes.cq"), "delete claim 1\n").unwrap();
    let refused = get(&server.url("/v1/query?q=.read+writes.cq"), &[]);
    assert!(refused.status(405).message().starts_with("writes.cq:1:1: "), "{}", refused.body);
    assert_eq!(count(&server, &[]), 13);
    drop(server);

    // A files directory that holds the database: its files stay untouchable.
    let server = Server::start(dir.path(), &db, &["--files", dir.path().to_str().unwrap()]);
    let refused = query(&server, "export to \"news.db/conf\"", &[]);
    assert!(refused.status(403).message().contains("inside the database directory"), "{}", refused.body);
    let refused = query(&server, ".backup news.db/db", &[]);
    assert!(refused.status(403).message().contains("inside the database directory"), "{}", refused.body);
    drop(server);
    let (code, _, err) = direct(dir.path(), &db, &["-c", ".check"]);
    assert_eq!(code, Some(0), "the database is intact: {err}");
}

#[test]
fn forms_need_the_csrf_token_and_there_is_no_cors() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let server = Server::start(dir.path(), &db, &[]);
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let forged = post(&server.url("/add"), &form, "text=Forged&source=Evil&date=2024-11-12");
    assert!(forged.status(403).body.contains("security token"), "{}", forged.body);
    let forged = post(&server.url("/claims/1/status"), &form, "status=false&csrf=wrong");
    forged.status(403);
    let forged = post(&server.url("/"), &form, "q=delete+claim+1");
    forged.status(403);
    assert_eq!(count(&server, &[]), 10);
    assert_eq!(get(&server.url("/v1/claims/1"), &[]).json()["status"], "unverified");

    // With the page's token the same form works.
    let page = get(&server.url("/add"), &[]).status(200).body.clone();
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let ok = post(&server.url("/add"), &form, &format!("text=Genuine&source=Desk&date=2024-11-12&csrf={csrf}"));
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(count(&server, &[]), 11);

    // No CORS: a preflight is not granted and answers carry no CORS header.
    let origin = [("origin", "https://elsewhere.example")];
    let answer = get(&server.url("/v1/query?q=claims"), &origin);
    assert_eq!(answer.header("access-control-allow-origin"), None);
    let preflight = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent()
        .options(server.url("/v1/query"))
        .header("origin", "https://elsewhere.example")
        .header("access-control-request-method", "POST")
        .call()
        .unwrap();
    assert!(preflight.headers().get("access-control-allow-origin").is_none());
    assert_ne!(preflight.status().as_u16() / 100, 2);
}

#[test]
fn a_loopback_server_refuses_other_host_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let server = Server::start(dir.path(), &db, &[]);
    let rebound = get(&server.url("/v1/query?q=claims"), &[("host", "attacker.example")]);
    assert!(rebound.status(403).message().contains("answers only to localhost"));
    get(
        &server.url("/v1/query?q=claims"),
        &[("host", &format!("localhost:{}", server.addr.split(':').nth(1).unwrap()))],
    )
    .status(200);
}

#[test]
fn signing_in_on_the_web_page_lets_its_forms_write() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, TOKEN).unwrap();
    let server = Server::start(dir.path(), &db, &["--token-file", token_file.to_str().unwrap()]);
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let page = get(&server.url("/login"), &[]).status(200).body.clone();
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    // Signed out, the form's write is refused even with the CSRF token.
    let refused = post(&server.url("/add"), &form, &format!("text=A&source=B&date=2024-11-12&csrf={csrf}"));
    assert_eq!(refused.status, 401, "{}", refused.body);
    let wrong = post(&server.url("/login"), &form, &format!("token=guess&csrf={csrf}"));
    wrong.status(403);
    let signed = post(&server.url("/login"), &form, &format!("token={TOKEN}&csrf={csrf}"));
    assert_eq!(signed.status, 303);
    let cookie = signed.header("set-cookie").unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let cookie = cookie.split(';').next().unwrap().to_string();
    let ok = post(
        &server.url("/add"),
        &[form[0], ("cookie", &cookie)],
        &format!("text=A&source=B&date=2024-11-12&csrf={csrf}"),
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(count(&server, &[]), 11);
}
