//! The client a local `claimdb` uses to run statements through a server
//! that holds its database: it finds the server from `server.json` in the
//! database directory, talks HTTP over the Unix socket, and gets back
//! exactly what a direct run would print and the error, if any, rebuilt
//! so that the shell renders it exactly as its own.
//!
//! The shell can then keep all of its own behaviour (script splitting,
//! `.mode`, `.output`, echo, error positions in files, exit codes) and
//! send only what reaches the database: [`Client::run`] for a statement
//! or a database meta command, [`Client::vocabulary`] for completion.

use super::protocol::{ShellReply, ShellRequest};
use crate::shell::format::Format;
use crate::{Error, Result, Vocabulary};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::Request;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How often a running request looks at the cancellation flag.
const CANCEL_POLL: Duration = Duration::from_millis(20);

/// A connection to the server of one database.
pub struct Client {
    socket: PathBuf,
    runtime: tokio::runtime::Runtime,
}

/// What running one statement through the server gave.
#[derive(Debug)]
pub struct Ran {
    /// What to print on standard output (before the error, if any).
    pub stdout: String,
    /// The statement's error, to render and count as the shell does.
    pub error: Option<Error>,
    /// Whether the statement may have changed the names in the database.
    pub wrote: bool,
}

impl Client {
    /// The client for the server holding the database at `db_path`, when
    /// one is running there (it recorded itself and its socket answers).
    pub fn for_database(db_path: &Path) -> Option<Client> {
        let address = super::socket::recorded(db_path)?;
        let socket = address.socket?;
        let client = Client::connect(&socket).ok()?;
        client.health().ok()?;
        Some(client)
    }

    /// A client for the socket at `socket` (nothing is sent yet).
    pub fn connect(socket: &Path) -> Result<Client> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::io_context(&e, "cannot start the client"))?;
        Ok(Client { socket: socket.to_path_buf(), runtime })
    }

    /// Whether the server answers.
    pub fn health(&self) -> Result<()> {
        self.call("GET", "/v1/health", None, &AtomicBool::new(false)).map(|_| ())
    }

    /// Runs `text` (one statement, or `.stats`, `.sources`, `.check`,
    /// `.backup FILE`, `.restore FILE`) as the shell would with `format`
    /// and tables `width` wide; relative file names mean files in `cwd`.
    pub fn run(&self, text: &str, format: Format, width: usize, cwd: &Path) -> Result<Ran> {
        self.run_cancellable(text, format, width, cwd, &AtomicBool::new(false))
    }

    /// [`Client::run`], stopped with [`Error::Cancelled`] when `cancel` is
    /// set (Ctrl-C in the shell): the connection is dropped, and the server
    /// stops the read. A statement that writes is never given up on: the
    /// server finishes it whatever the client does, so the client waits and
    /// reports what really happened.
    pub fn run_cancellable(
        &self,
        text: &str,
        format: Format,
        width: usize,
        cwd: &Path,
        cancel: &AtomicBool,
    ) -> Result<Ran> {
        let writes = super::classify::classify(text).is_ok_and(|c| c.writes);
        let never = AtomicBool::new(false);
        let cancel = if writes { &never } else { cancel };
        let request = ShellRequest {
            text: text.to_string(),
            format: format.name().to_string(),
            width,
            cwd: std::path::absolute(cwd).map_err(|e| Error::io_context(&e, "cannot tell the working directory"))?,
        };
        let body = serde_json::to_vec(&request).map_err(|e| crate::errio!("cannot write the request: {e}"))?;
        let reply = self.call("POST", "/v1/shell", Some(body), cancel)?;
        let reply: ShellReply = serde_json::from_slice(&reply)
            .map_err(|e| crate::errio!("the server at {} answered something else: {e}", self.socket.display()))?;
        Ok(Ran { stdout: reply.stdout, error: reply.error.map(Error::from), wrote: reply.wrote })
    }

    /// The names in the database, for completion.
    pub fn vocabulary(&self) -> Result<Vocabulary> {
        let body = self.call("GET", "/v1/vocabulary", None, &AtomicBool::new(false))?;
        #[derive(serde::Deserialize)]
        struct Names {
            outlets: Vec<String>,
            topics: Vec<String>,
            sources: Vec<String>,
        }
        let names: Names =
            serde_json::from_slice(&body).map_err(|e| crate::errio!("the server's vocabulary is not readable: {e}"))?;
        Ok(Vocabulary { outlets: names.outlets, topics: names.topics, sources: names.sources })
    }

    /// One request on a fresh connection; the body of a 2xx answer, or the
    /// server's error; [`Error::Cancelled`] as soon as `cancel` is set.
    fn call(&self, method: &str, path: &str, body: Option<Vec<u8>>, cancel: &AtomicBool) -> Result<Vec<u8>> {
        let socket = self.socket.clone();
        let lost = move |what: &dyn std::fmt::Display| {
            crate::errio!("lost the connection to the claimdb server at {}: {what}", socket.display())
        };
        let cancelled = async {
            while !cancel.load(Ordering::SeqCst) {
                tokio::time::sleep(CANCEL_POLL).await;
            }
        };
        let exchange = async {
            let stream = tokio::net::UnixStream::connect(&self.socket).await.map_err(|e| {
                Error::io_context(&e, format_args!("cannot reach the claimdb server at {}", self.socket.display()))
            })?;
            let io = hyper_util::rt::TokioIo::new(stream);
            let (mut sender, connection) = hyper::client::conn::http1::handshake(io).await.map_err(|e| lost(&e))?;
            tokio::spawn(connection);
            let request = Request::builder()
                .method(method)
                .uri(path)
                .header("host", "localhost")
                .header("content-type", "application/json")
                .body(Full::new(Bytes::from(body.unwrap_or_default())))
                .map_err(|e| lost(&e))?;
            let response = sender.send_request(request).await.map_err(|e| lost(&e))?;
            let status = response.status();
            let bytes = response.into_body().collect().await.map_err(|e| lost(&e))?.to_bytes().to_vec();
            if status.is_success() {
                return Ok(bytes);
            }
            let message = serde_json::from_slice::<serde_json::Value>(&bytes)
                .ok()
                .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
                .unwrap_or_else(|| format!("status {status}"));
            Err(Error::Remote(message))
        };
        self.runtime.block_on(async {
            tokio::select! {
                result = exchange => result,
                // Dropping the exchange closes the connection.
                _ = cancelled => Err(Error::Cancelled),
            }
        })
    }
}
