//! Helpers for the server tests: start the real `claimdb serve` on a free
//! loopback port (it prints the address it got), talk to it over HTTP,
//! stop it with SIGTERM or kill it with SIGKILL.

// Every server test file uses a different part of this module.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_claimdb");

/// The fixed clock every test runs with, so that direct and served runs
/// record the same times.
pub const NOW: &str = "2024-11-20T12:00:00Z";

/// A running `claimdb serve`.
pub struct Server {
    child: Option<Child>,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// What it printed on stdout at start.
    pub banner: String,
    log: Arc<Mutex<String>>,
    /// The database it serves.
    pub db: PathBuf,
}

impl Server {
    /// Starts `claimdb serve DB --listen 127.0.0.1:0 ARGS…` in `cwd`, and
    /// waits until it says where it listens.
    pub fn start(cwd: &Path, db: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .current_dir(cwd)
            .env("CLAIMDB_NOW", NOW)
            .arg("serve")
            .arg(db)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start claimdb serve");
        let log = Arc::new(Mutex::new(String::new()));
        let mut stderr = child.stderr.take().expect("stderr");
        let sink = log.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut banner = String::new();
        let addr = loop {
            let mut line = String::new();
            if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                let _ = child.wait();
                std::thread::sleep(Duration::from_millis(100));
                panic!("claimdb serve exited before listening:\n{}{}", banner, log.lock().unwrap());
            }
            banner.push_str(&line);
            if let Some(at) = line.find("http://") {
                let rest = &line[at + "http://".len()..];
                break rest[..rest.find('/').expect("address ends with /")].to_string();
            }
        };
        // Keep reading stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = stdout.read_to_string(&mut rest);
        });
        Server { child: Some(child), addr, banner, log, db: db.to_path_buf() }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// What it logged on stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits for the exit; returns the exit code and the
    /// log.
    pub fn stop(mut self) -> (Option<i32>, String) {
        signal(self.pid(), "TERM");
        let status = self.child.take().expect("running").wait().expect("wait for the server");
        // The log thread may still be reading the last lines.
        std::thread::sleep(Duration::from_millis(100));
        (status.code(), self.log())
    }

    /// Waits for the exit after a signal sent with [`signal`]; returns the
    /// exit code and the log.
    pub fn stop_after_signal(mut self) -> (Option<i32>, String) {
        let status = self.child.take().expect("running").wait().expect("wait for the server");
        std::thread::sleep(Duration::from_millis(100));
        (status.code(), self.log())
    }

    /// Kills it with SIGKILL (no chance to clean up) and waits.
    pub fn kill(mut self) {
        signal(self.pid(), "KILL");
        let _ = self.child.take().expect("running").wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Sends a signal to one process, by its id.
pub fn signal(pid: u32, name: &str) {
    let ok = Command::new("kill").arg(format!("-{name}")).arg(pid.to_string()).status().expect("run kill");
    assert!(ok.success(), "kill -{name} {pid}");
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

impl Answer {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn status(&self, want: u16) -> &Answer {
        assert_eq!(self.status, want, "status; body:\n{}", self.body);
        self
    }

    /// The error message of a JSON error answer.
    pub fn message(&self) -> String {
        self.json()["error"]["message"].as_str().unwrap_or_default().to_string()
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

fn answer(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = response.expect("HTTP request");
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_lowercase(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = response.body_mut().with_config().limit(1 << 30).read_to_string().expect("read the body");
    Answer { status, headers, body }
}

/// GET `url` with extra headers.
pub fn get(url: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = agent().get(url);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    answer(request.call())
}

/// POST a body to `url` with extra headers.
pub fn post(url: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    try_post(url, headers, body).expect("HTTP request")
}

/// POST, or the transport's error (the server went away).
pub fn try_post(url: &str, headers: &[(&str, &str)], body: &str) -> Result<Answer, String> {
    let mut request = agent().post(url);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    match request.send(body) {
        Ok(r) => Ok(answer(Ok(r))),
        Err(e) => Err(e.to_string()),
    }
}

/// POST `{"statement": …}` to `/v1/query` of `server`, with extra headers.
pub fn query(server: &Server, statement: &str, headers: &[(&str, &str)]) -> Answer {
    let body = serde_json::json!({ "statement": statement }).to_string();
    let mut all = vec![("content-type", "application/json")];
    all.extend_from_slice(headers);
    post(&server.url("/v1/query"), &all, &body)
}

/// A URL's query string value.
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Runs `claimdb DB ARGS…` directly (not through a server), with the fixed
/// clock; returns (exit code, stdout, stderr).
pub fn direct(cwd: &Path, db: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(BIN)
        .current_dir(cwd)
        .env("CLAIMDB_NOW", NOW)
        .env_remove("COLUMNS")
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run claimdb");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A database in `dir` loaded with the bundled sample (10 claims).
pub fn sample_db(dir: &Path, name: &str) -> PathBuf {
    let db = dir.join(name);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/qatar-mediation.cq");
    let (code, _, err) = direct(dir, &db, &["-f", script.to_str().unwrap()]);
    assert_eq!(code, Some(0), "load the sample: {err}");
    db
}

/// A database in `dir` with `n` generated claims (imported as JSONL).
pub fn generated_db(dir: &Path, name: &str, n: usize) -> PathBuf {
    let file = dir.join(format!("{name}.jsonl"));
    std::fs::write(&file, claims_jsonl(n)).expect("write the claims");
    let db = dir.join(name);
    let statement = format!("import \"{}\"", file.display());
    let (code, _, err) = direct(dir, &db, &["-c", &statement]);
    assert_eq!(code, Some(0), "import: {err}");
    db
}

/// `n` claims as JSONL (varied sources, outlets, statuses and dates).
pub fn claims_jsonl(n: usize) -> String {
    let outlets = ["Reuters", "AFP", "AP", "BBC"];
    let statuses = ["unverified", "confirmed", "disputed", "denied"];
    let mut out = String::new();
    for i in 1..=n {
        let line = serde_json::json!({
            "text": format!("Claim number {i} about the talks, with \"quotes\" and a comma, here"),
            "source": {"name": format!("official {}", i % 7), "kind": "official", "anonymous": i % 2 == 0, "affiliation": null},
            "outlets": [outlets[i % 4]],
            "date": format!("2024-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            "status": statuses[i % 4],
            "topics": [format!("topic {}", i % 5)],
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// Waits until `f` holds, for at most `limit`.
pub fn wait_until(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}
