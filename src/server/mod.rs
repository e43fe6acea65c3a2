//! `claimdb serve`: one database shared by a desk, over HTTP.
//!
//! The server holds the database open (so no other process can) and
//! answers three ways: a versioned JSON API ([`api`]), a web page
//! ([`web`]), and, on a Unix socket in the database directory, the shell
//! protocol ([`local`], [`protocol`]) through which a local `claimdb` runs
//! statements exactly as if it had opened the database itself ([`client`]).
//!
//! A request goes: [`log`] and the guards in this module (shutting down,
//! host names) → a handler → [`exec::prepare`], which parses the
//! statement ([`classify`]) and applies the rules of [`auth`] and
//! [`files`] before anything runs → [`exec::guarded`], which runs it on a
//! blocking thread under the time limit → the answer, printed by the
//! shell's own formatters ([`stream`]), or an error as [`error`] shapes it.
//!
//! Reads run in parallel; writes are serialised by [`Db`] and each is
//! flushed before its response. On Ctrl-C or SIGTERM new requests get
//! 503, running reads are stopped, running writes finish, and the server's
//! marks in the database directory ([`socket`]) are removed.

pub mod api;
pub mod auth;
pub mod classify;
pub mod client;
pub mod error;
pub mod exec;
pub mod files;
pub mod local;
pub mod log;
pub mod options;
pub mod protocol;
pub mod socket;
pub mod state;
pub mod stream;
pub mod web;

use crate::engine::Db;
use axum::extract::{Request, State as Shared};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use clap::Parser;
use error::ApiError;
use options::{ServeOptions, Settings};
use state::State;
use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Exit status: the server ran and stopped cleanly.
const EXIT_OK: u8 = 0;
/// Exit status: it could not start (usage, database, address).
const EXIT_USAGE: u8 = 2;

/// `claimdb serve ARGS…` (the arguments after `serve`); returns the exit
/// status.
pub fn main(args: impl IntoIterator<Item = OsString>) -> u8 {
    let options = match ServeOptions::try_parse_from(std::iter::once(OsString::from("claimdb serve")).chain(args)) {
        Ok(o) => o,
        Err(e) => {
            // clap prints help and version to stdout, usage errors to stderr.
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    match options.check() {
        Ok(settings) => run(settings),
        Err(message) => {
            eprintln!("claimdb serve: {message}");
            EXIT_USAGE
        }
    }
}

/// Opens the database and serves it until Ctrl-C or SIGTERM.
pub fn run(settings: Settings) -> u8 {
    let db = match open(&settings) {
        Ok(db) => db,
        Err(message) => {
            eprintln!("claimdb serve: {message}");
            return EXIT_USAGE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("claimdb serve: cannot start: {e}");
            return EXIT_USAGE;
        }
    };
    let status = runtime.block_on(serve(State::new(db, settings)));
    // Dropping the runtime waits for statements still running on blocking
    // threads: a write in flight finishes (and is flushed) before exit.
    drop(runtime);
    status
}

fn open(settings: &Settings) -> Result<Db, String> {
    let db = Db::open(&settings.options.path).map_err(|e| match e {
        crate::Error::Locked(_) | crate::Error::NewerFormat { .. } | crate::Error::Io { .. } => e.to_string(),
        other => format!("cannot open the database: {other}"),
    })?;
    for note in db.open_notes() {
        eprintln!("claimdb: {note}");
    }
    if let Ok(value) = std::env::var(crate::shell::NOW_VARIABLE) {
        let now = chrono::DateTime::parse_from_rfc3339(value.trim())
            .map_err(|_| format!("{}={value} is not a time like 2024-11-20T12:00:00Z", crate::shell::NOW_VARIABLE))?;
        db.set_clock(Some(now.with_timezone(&chrono::Utc)));
    }
    Ok(db)
}

async fn serve(state: State) -> u8 {
    let options = &state.settings().options;
    let tcp = match tokio::net::TcpListener::bind(options.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "claimdb serve: cannot listen on {}: {}; choose another address with --listen (port 0 picks a free one)",
                options.listen,
                crate::error::io_reason(&e)
            );
            return EXIT_USAGE;
        }
    };
    let http = match tcp.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("claimdb serve: cannot tell the address listened on: {e}");
            return EXIT_USAGE;
        }
    };
    let dir = options.path.clone();
    let unix = if options.no_socket {
        None
    } else {
        match socket::bind(&dir) {
            Ok(u) => u,
            Err(e) => {
                eprintln!(
                    "claimdb serve: cannot make the socket in {}: {}",
                    dir.display(),
                    crate::error::io_reason(&e)
                );
                return EXIT_USAGE;
            }
        }
    };
    let socket_path: Option<PathBuf> = unix.as_ref().map(|(_, p)| p.clone());
    let address = protocol::Address { pid: std::process::id(), http: http.to_string(), socket: socket_path.clone() };
    if let Err(e) = socket::record(&dir, &address) {
        eprintln!("claimdb serve: cannot write {}: {}", dir.join(protocol::ADDRESS_FILE).display(), e);
        socket::remove(&dir, socket_path.as_deref());
        return EXIT_USAGE;
    }
    announce(&state, http, socket_path.as_deref());

    tokio::spawn(watch_signals(state.clone()));
    let tcp_app = tcp_router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let tcp_server = axum::serve(tcp, tcp_app).with_graceful_shutdown(stopped(state.clone()));
    let result = match unix {
        Some((listener, _)) => {
            let unix_server =
                axum::serve(listener, unix_router(state.clone())).with_graceful_shutdown(stopped(state.clone()));
            let (a, b) = tokio::join!(tcp_server, unix_server);
            a.and(b)
        }
        None => tcp_server.await,
    };
    socket::remove(&dir, socket_path.as_deref());
    match result {
        Ok(()) => {
            eprintln!("claimdb serve: stopped");
            EXIT_OK
        }
        Err(e) => {
            eprintln!("claimdb serve: the server failed: {e}");
            1
        }
    }
}

/// Says where the server answers (on stdout, flushed, so that a program
/// that started it can read the port).
fn announce(state: &State, http: SocketAddr, socket: Option<&std::path::Path>) {
    use std::io::Write;
    let settings = state.settings();
    let mut modes = Vec::new();
    if settings.options.read_only {
        modes.push("read-only".to_string());
    }
    if settings.token.is_some() {
        modes.push(if settings.options.private { "token for everything" } else { "token for writes" }.to_string());
    }
    if let Some(files) = &settings.files {
        modes.push(format!("files in {}", files.display()));
    }
    let modes = if modes.is_empty() { String::new() } else { format!(" ({})", modes.join(", ")) };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "claimdb serve: {} on http://{http}/{modes}", settings.options.path.display());
    if let Some(socket) = socket {
        let _ = writeln!(out, "claimdb serve: and on the Unix socket {}", socket.display());
    }
    let _ = writeln!(out, "claimdb serve: press Ctrl-C to stop");
    let _ = out.flush();
}

async fn stopped(state: State) {
    state.stopped().await
}

/// Ctrl-C or SIGTERM starts the shutdown.
async fn watch_signals(state: State) {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
    eprintln!("claimdb serve: shutting down; running writes finish, new requests get 503");
    state.begin_shutdown();
}

/// The routes served over TCP: the API and the web page.
pub fn tcp_router(state: State) -> Router {
    let limit = state.settings().options.max_body;
    let loopback = state.settings().options.listen.ip().is_loopback();
    Router::new()
        .merge(api_routes())
        .merge(web::routes())
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn_with_state((state.clone(), loopback), guard))
        .layer(middleware::from_fn(log::request))
        .with_state(state)
}

/// The routes served on the Unix socket: the API and the shell protocol.
pub fn unix_router(state: State) -> Router {
    let limit = state.settings().options.max_body;
    Router::new()
        .merge(api_routes())
        .route("/v1/shell", post(local::shell))
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn_with_state((state.clone(), false), guard))
        .layer(middleware::from_fn(log::request))
        .with_state(state)
}

fn api_routes() -> Router<State> {
    Router::new()
        .route("/v1/query", post(api::query_post).get(api::query_get))
        .route("/v1/claims/{id}", get(api::claim))
        .route("/v1/health", get(api::health))
        .route("/v1/stats", get(api::stats))
        .route("/v1/vocabulary", get(api::vocabulary))
}

/// 503 while shutting down; on loopback, only loopback host names.
async fn guard(Shared((state, loopback)): Shared<(State, bool)>, request: Request, next: Next) -> Response {
    if state.stopping() {
        return ApiError::shutting_down().into_response();
    }
    if loopback && !auth::loopback_host(request.headers()) {
        return ApiError::forbidden(
            "this server listens on loopback and answers only to localhost or 127.0.0.1",
            "open http://127.0.0.1:PORT/ (to serve other machines, start it with --listen and --token-file)",
        )
        .into_response();
    }
    next.run(request).await
}

async fn not_found(request: Request) -> Response {
    let path = request.uri().path().to_string();
    if path.starts_with("/v1/") || path == "/v1" {
        ApiError::no_route(&path).into_response()
    } else {
        web::not_found(&path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    fn state(args: &[&str]) -> State {
        let options = ServeOptions::try_parse_from(std::iter::once("serve").chain(args.iter().copied())).unwrap();
        State::new(Db::temporary().unwrap(), options.check().unwrap())
    }

    async fn status(app: Router, path: &str, host: &str) -> StatusCode {
        let request = Request::get(path).header("host", host).body(Body::empty()).unwrap();
        app.oneshot(request).await.unwrap().status()
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn requests_during_shutdown_get_503() {
        let state = state(&[]);
        assert_eq!(status(tcp_router(state.clone()), "/v1/health", "127.0.0.1:7700").await, StatusCode::OK);
        state.begin_shutdown();
        for path in ["/v1/health", "/v1/query?q=claims", "/"] {
            assert_eq!(
                status(tcp_router(state.clone()), path, "127.0.0.1:7700").await,
                StatusCode::SERVICE_UNAVAILABLE
            );
        }
        assert_eq!(
            status(unix_router(state.clone()), "/v1/health", "localhost").await,
            StatusCode::SERVICE_UNAVAILABLE
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_loopback_server_answers_only_loopback_names() {
        let state = state(&[]);
        assert_eq!(status(tcp_router(state.clone()), "/", "localhost:7700").await, StatusCode::OK);
        assert_eq!(status(tcp_router(state.clone()), "/", "rebound.example:7700").await, StatusCode::FORBIDDEN);
        // Listening elsewhere, host names are not checked (a token guards it).
        let open = self::state(&["--listen", "10.1.2.3:7700", "--insecure-no-token"]);
        assert_eq!(status(tcp_router(open), "/", "desk.example:7700").await, StatusCode::OK);
    }
}
