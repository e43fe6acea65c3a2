//! The web page, driven in headless Chromium through chromedriver, as a
//! person would use it: type a query and see rows, click a facet, open a
//! claim, add a claim through the form and find it by a query; and at
//! 400 px wide nothing runs off the side. Screenshots go to
//! target/screenshots/.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs
//! them); without them the test fails and says how to install them.

mod server_support;

use fantoccini::{Client, ClientBuilder, Locator};
use server_support::{get, sample_db, Server};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A program on the PATH, or the reason the test cannot run.
fn program(name: &str) -> PathBuf {
    let found = std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|p| p.join(name)).find(|p| p.is_file()));
    found.unwrap_or_else(|| {
        panic!(
            "{name} is not installed; the browser test needs Chromium and its WebDriver: \
             apt-get install chromium chromium-driver (CI installs them in .ci/run)"
        )
    })
}

/// chromedriver on a free loopback port, killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start() -> Driver {
        let binary = program("chromedriver");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let url = format!("http://127.0.0.1:{port}");
        let ready = server_support::wait_until(Duration::from_secs(30), || {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
                && get(&format!("{url}/status"), &[]).body.contains("\"ready\":true")
        });
        assert!(ready, "chromedriver did not become ready on port {port}");
        Driver { child, url }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn browser(driver: &Driver, profile: &Path) -> Client {
    let chromium = program("chromium");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", format!("--user-data-dir={}", profile.display()),
                     "--window-size=1200,1000"],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector).capabilities(caps).connect(&driver.url).await.expect("a Chromium session")
}

async fn rows(c: &Client) -> Vec<String> {
    let mut out = Vec::new();
    for row in c.find_all(Locator::Css("table.claims tbody tr")).await.unwrap() {
        out.push(row.text().await.unwrap());
    }
    out
}

async fn screenshot(c: &Client, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, c.screenshot().await.unwrap()).unwrap();
    path
}

/// Runs `action` (a click, a form's submit) and waits until the browser
/// is on the page it leads to.
async fn leads_on<F: std::future::Future<Output = ()>>(c: &Client, action: F) {
    let before = c.current_url().await.unwrap();
    action.await;
    for _ in 0..1200 {
        if c.current_url().await.unwrap() != before {
            c.wait().for_element(Locator::Css("main")).await.unwrap();
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the browser stayed on {before}");
}

/// Types `q` into the query box (of the page shown, or of the home page
/// when the page has none) and runs it.
async fn submit_query(c: &Client, q: &str) {
    if c.find(Locator::Css("form.query")).await.is_err() {
        let home = c.find(Locator::Css("header a.home")).await.unwrap();
        leads_on(c, async { home.click().await.unwrap() }).await;
    }
    let input = c.find(Locator::Css("form.query textarea[name=q]")).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(q).await.unwrap();
    let run = c.find(Locator::Css("form.query button[type=submit]")).await.unwrap();
    leads_on(c, async { run.click().await.unwrap() }).await;
}

#[test]
fn a_journalist_queries_refines_opens_and_adds_claims_in_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let server = Server::start(dir.path(), &db, &[]);
    let driver = Driver::start();
    let profile = dir.path().join("chromium-profile");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let c = browser(&driver, &profile).await;
        let result = journey(&c, &server).await;
        let _ = c.close().await;
        result
    });
    drop(driver);
    drop(server);
}

async fn journey(c: &Client, server: &Server) {
    // Type a query, see its rows.
    c.goto(&server.url("/")).await.unwrap();
    assert_eq!(c.title().await.unwrap(), "claims · claimdb");
    submit_query(c, "claims by anonymous officials after 2024-11-01").await;
    let found = rows(c).await;
    assert_eq!(found.len(), 6, "{found:#?}");
    assert!(found[0].starts_with("#2 2024-11-09 CONFIRMED diplomatic official"), "{}", found[0]);
    let shot = screenshot(c, "web-query.png").await;
    eprintln!("screenshot: {}", shot.display());

    // The facets count the same claims; clicking one refines the query.
    let facets = c.find(Locator::Css("aside.facets")).await.unwrap().text().await.unwrap();
    assert!(facets.contains("by outlet") && facets.contains("AFP\n3"), "{facets}");
    let mut afp = None;
    for link in c.find_all(Locator::Css("aside.facets a.facet")).await.unwrap() {
        if link.text().await.unwrap() == "AFP" {
            afp = Some(link);
        }
    }
    let afp = afp.expect("an AFP facet");
    leads_on(c, async { afp.click().await.unwrap() }).await;
    let q = c.find(Locator::Css("textarea[name=q]")).await.unwrap().prop("value").await.unwrap().unwrap();
    assert_eq!(q, "claims by anonymous officials after 2024-11-01 via \"AFP\"");
    assert_eq!(rows(c).await.len(), 3);

    // Open a claim from the table.
    let open = c.find(Locator::LinkText("#7")).await.unwrap();
    leads_on(c, async { open.click().await.unwrap() }).await;
    let h1 = c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert_eq!(h1, "Claim #7");
    let body = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(body.contains("The Qataris informed both parties, Israelis and Hamas"), "{body}");
    assert!(body.contains("History") && body.contains("Evidence") && body.contains("Relations"));

    // Change its status with the form on its page.
    let form = c.form(Locator::Css("form[action='/claims/7/status']")).await.unwrap();
    c.find(Locator::Css("form[action='/claims/7/status'] select[name=status]"))
        .await
        .unwrap()
        .select_by_value("disputed")
        .await
        .unwrap();
    form.set_by_name("because", "Qatar said the decision was its own").await.unwrap();
    leads_on(c, async { form.submit().await.unwrap() }).await;
    let note = c.find(Locator::Css("p.note")).await.unwrap().text().await.unwrap();
    assert!(note.contains("disputed"), "{note}");

    // Add a claim through the form, then find it by a query.
    c.goto(&server.url("/add")).await.unwrap();
    let form = c.form(Locator::Css("form[action='/add']")).await.unwrap();
    form.set_by_name("text", "The browser test added this claim about the talks").await.unwrap();
    form.set_by_name("source", "a desk editor").await.unwrap();
    form.set_by_name("outlets", "AP, Reuters").await.unwrap();
    form.set_by_name("topics", "browser, Qatar").await.unwrap();
    leads_on(c, async { form.submit().await.unwrap() }).await;
    let h1 = c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert_eq!(h1, "Claim #11");
    submit_query(c, "claims mentioning \"browser test\"").await;
    let found = rows(c).await;
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("a desk editor") && found[0].contains("AP, Reuters"), "{}", found[0]);
    // The API agrees.
    let claim = get(&server.url("/v1/claims/11"), &[]).json();
    assert_eq!(claim["outlets"], serde_json::json!(["AP", "Reuters"]));

    // A mistake shows the shell's caret and help.
    submit_query(c, "claims with status disputd").await;
    let error = c.find(Locator::Css("pre.error")).await.unwrap().text().await.unwrap();
    assert!(error.contains("error at line 1, column 20: unknown status 'disputd'"), "{error}");
    assert!(error.contains("^^^^^^^") && error.contains("did you mean 'disputed'?"), "{error}");

    // At 400 px wide the page fits: only tables scroll, inside their box.
    c.set_window_size(400, 900).await.unwrap();
    submit_query(c, "claims by anonymous officials after 2024-11-01").await;
    let overflow = c
        .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", vec![])
        .await
        .unwrap();
    assert_eq!(overflow.as_i64(), Some(0), "the page is wider than 400 px");
    screenshot(c, "web-query-400px.png").await;
}
