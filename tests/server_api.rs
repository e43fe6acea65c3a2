//! The JSON API of `claimdb serve`, through a real HTTP client against the
//! real binary on a free port: every endpoint, every format, every error
//! code, and a clean stop.

mod server_support;

use server_support::{direct, encode, generated_db, get, post, query, sample_db, Server};

#[test]
fn query_answers_exactly_what_the_cli_prints() {
    let dir = tempfile::tempdir().unwrap();
    // Two copies of the same data: one served, one opened directly.
    let served = sample_db(dir.path(), "served.db");
    let plain = sample_db(dir.path(), "plain.db");
    let server = Server::start(dir.path(), &served, &[]);
    let statements = [
        "claims by anonymous officials after 2024-11-01",
        "claims via Reuters limit 2",
        "claims mentioning \"no such words\"",
        "count claims per status",
        "count claims via AFP",
        "claim 3",
        "history of claim 3",
        "sources",
        "sources ranked by retracted limit 3",
        "explain claims by anonymous officials after 2024-11-01",
        "unresolved contradictions",
        ".stats",
        ".sources",
    ];
    for statement in statements {
        for format in ["json", "jsonl", "csv", "table"] {
            let (code, want, err) = direct(dir.path(), &plain, &["--format", format, "-c", statement]);
            assert_eq!(code, Some(0), "{statement}: {err}");
            let body = serde_json::json!({"statement": statement, "format": format}).to_string();
            let got = post(&server.url("/v1/query"), &[("content-type", "application/json")], &body);
            got.status(200);
            if statement == ".stats" {
                // The size on disk differs between two databases.
                let strip = |s: &str| s.split("size_on_disk").next().unwrap_or("").to_string();
                assert_eq!(strip(&got.body), strip(&want), "{statement} as {format}");
            } else {
                assert_eq!(got.body, want, "{statement} as {format}");
            }
        }
        // GET gives the same as POST, json by default.
        let (_, want, _) = direct(dir.path(), &plain, &["--format", "json", "-c", statement]);
        let got = get(&server.url(&format!("/v1/query?q={}", encode(statement))), &[]);
        if statement != ".stats" {
            assert_eq!(got.status(200).body, want, "GET {statement}");
        }
    }
    // Writes answer what the CLI prints too, and land in the database.
    let write = "set status of claim 3 to disputed on 2024-11-10 because \"Qatar said the decision was its own\"";
    let (_, want, _) = direct(dir.path(), &plain, &["--format", "json", "-c", write]);
    assert_eq!(query(&server, write, &[]).status(200).body, want);
    let got = get(&server.url("/v1/claims/3"), &[]).status(200).json();
    assert_eq!(got["status"], "disputed");
    assert_eq!(got["history"].as_array().unwrap().len(), 2);
    let (code, _) = server.stop();
    assert_eq!(code, Some(0));
}

#[test]
fn formats_come_from_the_parameter_or_the_accept_header() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let server = Server::start(dir.path(), &db, &[]);
    let q = encode("claims via AFP limit 2");
    let csv = get(&server.url(&format!("/v1/query?q={q}")), &[("accept", "text/csv")]);
    assert!(csv.status(200).body.starts_with("id,text,source,"), "{}", csv.body);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let jsonl = get(&server.url(&format!("/v1/query?q={q}")), &[("accept", "application/x-ndjson")]);
    assert_eq!(jsonl.status(200).body.lines().count(), 2);
    assert_eq!(jsonl.header("content-type"), Some("application/x-ndjson"));
    let json = get(&server.url(&format!("/v1/query?q={q}&format=json")), &[("accept", "text/csv")]);
    assert!(json.status(200).body.starts_with("[\n{"), "the parameter wins: {}", json.body);
    assert_eq!(json.header("content-type"), Some("application/json"));
    let bad = get(&server.url(&format!("/v1/query?q={q}&format=xml")), &[]);
    assert!(bad.status(400).message().contains("unknown format 'xml'"));
}

#[test]
fn large_answers_stream_and_match_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let served = generated_db(dir.path(), "served.db", 3000);
    let plain = generated_db(dir.path(), "plain.db", 3000);
    let server = Server::start(dir.path(), &served, &[]);
    for format in ["json", "jsonl", "csv"] {
        let (_, want, _) = direct(dir.path(), &plain, &["--format", format, "-c", "claims"]);
        assert!(want.len() > 300_000, "big enough to stream: {}", want.len());
        let got = get(&server.url(&format!("/v1/query?q=claims&format={format}")), &[]);
        got.status(200);
        // Streamed: no length known in advance.
        assert_eq!(got.header("content-length"), None, "{format} should stream");
        assert_eq!(got.body, want, "{format}");
    }
    // A small answer comes whole, with its length.
    let small = get(&server.url("/v1/query?q=claims+limit+1"), &[]);
    assert!(small.status(200).header("content-length").is_some());
}

#[test]
fn claims_by_id_health_stats_and_vocabulary() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let server = Server::start(dir.path(), &db, &[]);
    query(&server, "link claim 6 contradicts claim 7", &[]).status(200);
    query(&server, "add evidence \"https://example.org/r\" note \"wire copy\" to claim 6", &[]).status(200);
    let claim = get(&server.url("/v1/claims/6"), &[]).status(200).json();
    assert_eq!(claim["id"], 6);
    assert_eq!(claim["relations"][0]["relation"], "contradicts");
    let evidence = claim["evidence"].as_array().unwrap();
    assert_eq!(evidence.last().unwrap()["url"], "https://example.org/r");
    assert!(claim["history"].is_array());
    // The same object `claim 6` gives in the JSON format.
    let listed = query(&server, "claim 6", &[]).status(200).json();
    assert_eq!(listed[0], claim);

    let missing = get(&server.url("/v1/claims/99"), &[]);
    assert_eq!(missing.status(404).message(), "there is no claim #99");
    assert!(missing.json()["error"]["help"].is_string());
    get(&server.url("/v1/claims/abc"), &[]).status(400);

    let health = get(&server.url("/v1/health"), &[]).status(200).json();
    assert_eq!(health["ok"], true);
    assert_eq!(health["read_only"], false);
    let stats = get(&server.url("/v1/stats"), &[]).status(200).json();
    assert_eq!(stats["claims"], 10);
    assert_eq!(stats["per_status"]["unverified"], 6);
    let vocab = get(&server.url("/v1/vocabulary"), &[]).status(200).json();
    let outlets: Vec<&str> = vocab["outlets"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(outlets.contains(&"Reuters") && outlets.contains(&"AFP"), "{outlets:?}");
    assert!(vocab["sources"].as_array().unwrap().iter().any(|s| s == "US officials"));
    assert!(vocab["statuses"].as_array().unwrap().iter().any(|s| s == "retracted"));
}

#[test]
fn errors_are_json_with_position_and_the_right_status() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let server = Server::start(dir.path(), &db, &["--max-body", "2000", "--max-statement", "500"]);

    // 400: a bad statement, with line, column and help as the shell shows them.
    let bad = query(&server, "claims\n  with status disputd", &[]);
    assert_eq!(
        bad.status(400).json(),
        serde_json::json!({"error": {"message": "unknown status 'disputd'", "line": 2, "column": 15,
                                      "help": "did you mean 'disputed'?"}})
    );
    assert_eq!(bad.header("content-type"), Some("application/json"));
    let unknown = query(&server, "clams by Reuters", &[]);
    assert_eq!(unknown.status(400).json()["error"]["column"], 1);
    query(&server, "claim 99", &[]).status(400);
    let missing_q = get(&server.url("/v1/query"), &[]);
    assert!(missing_q.status(400).message().contains("q is missing"));
    let not_json = post(&server.url("/v1/query"), &[("content-type", "application/json")], "{\"statment\": 1}");
    assert!(not_json.status(400).message().contains("not a query"), "{}", not_json.body);

    // 404: no such route, as JSON under /v1 and as a page elsewhere.
    let nothing = get(&server.url("/v1/nothing"), &[]);
    assert!(nothing.status(404).message().contains("/v1/nothing"));
    let page = get(&server.url("/nothing"), &[]);
    assert!(page.status(404).body.contains("<h1>Not found</h1>"));

    // 413: a body over --max-body, a statement over --max-statement.
    let big = format!("{{\"statement\": \"claims mentioning {}\"}}", "x".repeat(3000));
    let over = post(&server.url("/v1/query"), &[("content-type", "application/json")], &big);
    assert!(over.status(413).message().contains("2000 bytes"), "{}", over.body);
    let long = format!("claims mentioning {}", "x".repeat(600));
    let over = query(&server, &long, &[]);
    assert!(over.status(413).message().contains("up to 500 bytes"), "{}", over.body);

    // 415: not JSON (what a form on another site would send).
    let form = post(&server.url("/v1/query"), &[("content-type", "text/plain")], "{\"statement\": \"claims\"}");
    form.status(415);

    // 405: a write sent with GET.
    let get_write = get(&server.url(&format!("/v1/query?q={}", encode("delete claim 1"))), &[]);
    assert!(get_write.status(405).message().contains("POST"));
    // Nothing of the refused statements happened.
    let count = query(&server, "count claims", &[]).status(200).json();
    assert_eq!(count[0]["count"], 10);

    // Every request was logged, one line each, without the query string.
    let log = server.log();
    assert!(log.lines().any(|l| l.contains(" POST /v1/query 400 ")), "{log}");
    assert!(log.lines().any(|l| l.contains(" GET /v1/nothing 404 ")), "{log}");
    assert!(!log.contains("disputd"), "statements stay out of the log");
}

#[test]
fn a_statement_over_the_time_limit_answers_503_and_others_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = generated_db(dir.path(), "news.db", 20_000);
    let server = Server::start(dir.path(), &db, &["--statement-timeout", "0.05"]);
    // A scan of every claim with a condition no index answers takes far
    // longer than 50 ms in a debug build.
    let slow = query(&server, "claims where text contains \"zzz\" or source contains \"qqq\"", &[]);
    assert!(slow.status(503).message().contains("limit of 0.05 s"), "{}", slow.body);
    // The server still answers, and quick statements still run.
    query(&server, "claim 1", &[]).status(200);
}

#[test]
fn sigterm_stops_cleanly_and_keeps_every_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let server = Server::start(dir.path(), &db, &[]);
    assert!(server.banner.contains(&format!("on http://{}/", server.addr)));
    assert!(db.join("server.json").exists() && db.join("server.sock").exists());
    let added = query(&server, "add claim \"Kept after the stop\" by \"a spokesperson\" on 2024-11-12", &[]);
    assert_eq!(added.status(200).json()[0]["added"], 11);
    let (code, log) = server.stop();
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("shutting down") && log.contains("stopped"), "{log}");
    assert!(!db.join("server.json").exists() && !db.join("server.sock").exists(), "marks removed");
    // The database is free again, and the write is there.
    let (code, out, err) = direct(dir.path(), &db, &["--format", "json", "-c", "claim 11"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Kept after the stop"));
}

#[test]
fn a_second_server_or_shell_on_a_served_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let server = Server::start(dir.path(), &db, &[]);
    let out = std::process::Command::new(server_support::BIN)
        .arg("serve")
        .arg(&db)
        .args(["--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("in use by another process"));
    // A shell goes through the server (tests/routing.rs) unless told to
    // open the database itself.
    let (code, _, err) = direct(dir.path(), &db, &["--no-server", "-c", "claims"]);
    assert_eq!(code, Some(2), "{err}");
    drop(server);
}

#[test]
fn serve_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(server_support::BIN).current_dir(dir.path()).args(args).output().unwrap()
    };
    let out = run(&["serve", "x.db", "--listen", "not-an-address"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["serve", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--token-file"));
    let out = run(&["serve", "x.db", "--files", "no-such-dir"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn sigterm_during_an_import_lets_it_finish_and_refuses_new_requests() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    std::fs::write(files.join("big.jsonl"), server_support::claims_jsonl(20_000)).unwrap();
    let server = Server::start(dir.path(), &db, &["--files", files.to_str().unwrap()]);
    let url = server.url("/v1/query");
    let import = std::thread::spawn(move || {
        let body = serde_json::json!({"statement": "import \"big.jsonl\""}).to_string();
        server_support::try_post(&url, &[("content-type", "application/json")], &body)
    });
    // Let the import start (orchestration only), then ask the server to stop.
    std::thread::sleep(std::time::Duration::from_millis(300));
    server_support::signal(server.pid(), "TERM");
    // A new request is refused while the import finishes (or the server has
    // already closed its port).
    if let Ok(late) = server_support::try_post(
        &server.url("/v1/query"),
        &[("content-type", "application/json")],
        "{\"statement\": \"count claims\"}",
    ) {
        assert_eq!(late.status, 503, "{}", late.body);
    }
    let answer = import.join().unwrap().expect("the import is answered");
    assert_eq!(answer.status(200).json()[0]["imported"], 20_000, "{}", answer.body);
    let (code, log) = server.stop_after_signal();
    assert_eq!(code, Some(0), "{log}");
    // The import was answered after the shutdown began: it was in flight.
    let began = log.find("shutting down").expect("the shutdown is logged");
    let answered = log.rfind("POST /v1/query 200").expect("the import is logged");
    assert!(began < answered, "{log}");
    let (_, out, err) = direct(dir.path(), &db, &["--format", "json", "-c", "count claims"]);
    assert_eq!(out, "[\n{\"count\":20010}\n]\n", "{err}");
}

#[test]
fn notes_come_beside_the_answer_never_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let served = sample_db(dir.path(), "served.db");
    let server = Server::start(dir.path(), &served, &[]);
    // On the sample, Reuters is an outlet: the answer is the empty list the
    // CLI prints, and the note that says so travels in a header.
    let got = query(&server, "claims by Reuters", &[]);
    got.status(200);
    assert_eq!(got.json(), serde_json::json!([]));
    let notes: Vec<String> = serde_json::from_str(got.header("x-claimdb-notes").expect("a notes header")).unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("Reuters is an outlet here"), "{notes:?}");
    assert!(notes[0].contains("try: claims via Reuters"), "{notes:?}");
    // A name that exists gets no note, however empty the answer.
    let got = query(&server, "claims via Reuters with status false", &[]);
    assert_eq!(got.status(200).json(), serde_json::json!([]));
    assert_eq!(got.header("x-claimdb-notes"), None);
    // The web page shows the note above the answer.
    let page = get(&server.url(&format!("/?q={}", encode("claims by Reuters"))), &[]);
    assert!(page.status(200).body.contains("Reuters is an outlet here"), "{}", page.body);
    server.stop();
}
