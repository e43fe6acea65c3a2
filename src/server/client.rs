//! The client a local `claimdb` uses to run statements through a server
//! that holds its database: it finds the server from `server.json` in the
//! database directory, talks HTTP over the Unix socket, and gets back
//! exactly what a direct run would print, as the statement prints it, and
//! the error, if any, rebuilt so that the shell renders it exactly as its
//! own.
//!
//! The shell can then keep all of its own behaviour (script splitting,
//! `.mode`, `.output`, echo, error positions in files, exit codes) and
//! send only what reaches the database: [`Client::run_to`] for a statement
//! or a database meta command, [`Client::vocabulary`] for completion.
//!
//! A server that cannot be reached, or that goes away before an answer is
//! complete, is [`Error::ServerLost`], whose message says what became of
//! the statement: not run, its answer incomplete, or (a write) made or
//! not, never half made.

use super::protocol::{Address, Frame, FrameReader, ShellEnd, ShellRequest};
use crate::shell::format::Format;
use crate::{Error, Result, Vocabulary};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::Request;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How often a running request looks at the cancellation flag.
const CANCEL_POLL: Duration = Duration::from_millis(20);

/// How long the connection opened to see that the server answers is kept
/// for the first read (after that the server may have closed it as idle).
const SPARE_MAX_AGE: Duration = Duration::from_secs(2);

/// A connection to the server of one database.
pub struct Client {
    socket: PathBuf,
    address: Option<Address>,
    /// The connection [`Client::for_database`] opened, for the first read
    /// to use rather than connect again (a one-shot `claimdb -c` then
    /// connects once).
    spare: std::sync::Mutex<Option<(std::os::unix::net::UnixStream, Instant)>>,
    runtime: tokio::runtime::Runtime,
}

/// What running one statement through the server gave, its output
/// gathered.
#[derive(Debug)]
pub struct Ran {
    /// What to print on standard output (before the error, if any).
    pub stdout: String,
    /// The statement's error, to render and count as the shell does.
    pub error: Option<Error>,
    /// Whether the statement may have changed the names in the database.
    pub wrote: bool,
    /// The statement's notes, as the shell prints them on standard error.
    pub notes: Vec<String>,
}

/// How a statement sent with [`Client::run_to`] ended, once its output
/// has been written.
#[derive(Debug)]
pub struct Outcome {
    /// The statement's error, to render and count as the shell does.
    pub error: Option<Error>,
    /// Whether the statement may have changed the names in the database.
    pub wrote: bool,
    /// The statement's notes beside its answer (`note: no source is named
    /// …`), for standard error.
    pub notes: Vec<String>,
}

/// What a statement asks for, besides its text.
#[derive(Clone, Copy, Debug)]
pub struct Settings<'a> {
    /// The output format.
    pub format: Format,
    /// The width tables are fitted to.
    pub width: usize,
    /// The working directory relative file names mean.
    pub cwd: &'a Path,
}

impl Client {
    /// The client for the server holding the database at `db_path`, when
    /// one is running there: it recorded itself, with a socket, and that
    /// socket takes connections (one left behind by a killed server
    /// refuses them).
    pub fn for_database(db_path: &Path) -> Option<Client> {
        let address = super::socket::recorded(db_path)?;
        let socket = address.socket.clone()?;
        let spare = std::os::unix::net::UnixStream::connect(&socket).ok()?;
        let mut client = Client::connect(&socket).ok()?;
        client.address = Some(address);
        client.spare = std::sync::Mutex::new(Some((spare, Instant::now())));
        Some(client)
    }

    /// A client for the socket at `socket` (nothing is sent yet).
    pub fn connect(socket: &Path) -> Result<Client> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::io_context(&e, "cannot start the client"))?;
        Ok(Client { socket: socket.to_path_buf(), address: None, spare: std::sync::Mutex::new(None), runtime })
    }

    /// What the server recorded about itself (for a client made by
    /// [`Client::for_database`]).
    pub fn address(&self) -> Option<&Address> {
        self.address.as_ref()
    }

    /// Whether the server answers.
    pub fn health(&self) -> Result<()> {
        self.call("GET", "/v1/health", None, false, &AtomicBool::new(false), &mut |_| Ok(())).map(|_| ())
    }

    /// Runs `text` (one statement, or `.stats`, `.sources`, `.check`,
    /// `.backup FILE`, `.restore FILE`) as the shell would with `format`
    /// and tables `width` wide; relative file names mean files in `cwd`.
    pub fn run(&self, text: &str, format: Format, width: usize, cwd: &Path) -> Result<Ran> {
        self.run_cancellable(text, format, width, cwd, &AtomicBool::new(false))
    }

    /// [`Client::run`], stopped like [`Client::run_to`].
    pub fn run_cancellable(
        &self,
        text: &str,
        format: Format,
        width: usize,
        cwd: &Path,
        cancel: &AtomicBool,
    ) -> Result<Ran> {
        let mut stdout = Vec::new();
        let outcome = self.run_to(text, Settings { format, width, cwd }, &mut stdout, cancel)?;
        Ok(Ran {
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            error: outcome.error,
            wrote: outcome.wrote,
            notes: outcome.notes,
        })
    }

    /// Runs `text` and writes what it prints to `out` as it arrives (the
    /// claims of a query as the server finds them). Stopped with
    /// [`Error::Cancelled`] when `cancel` is set (Ctrl-C in the shell): the
    /// connection is dropped, and the server stops the read. A statement
    /// that writes is never given up on: the server finishes it whatever
    /// the client does, so the client waits and reports what really
    /// happened. A failure to write to `out` (`claimdb … | head`) drops
    /// the connection too, and is returned.
    pub fn run_to(
        &self,
        text: &str,
        settings: Settings<'_>,
        out: &mut dyn Write,
        cancel: &AtomicBool,
    ) -> Result<Outcome> {
        let writes = super::classify::classify(text).is_ok_and(|c| c.writes);
        let never = AtomicBool::new(false);
        let cancel = if writes { &never } else { cancel };
        let request = ShellRequest {
            text: text.to_string(),
            format: settings.format.name().to_string(),
            width: settings.width,
            cwd: std::path::absolute(settings.cwd)
                .map_err(|e| Error::io_context(&e, "cannot tell the working directory"))?,
        };
        let body = serde_json::to_vec(&request).map_err(|e| crate::errio!("cannot write the request: {e}"))?;
        let mut frames = FrameReader::default();
        let mut end: Option<ShellEnd> = None;
        let mut on_bytes = |bytes: &[u8]| -> std::result::Result<(), Stop> {
            frames.push(bytes);
            while let Some(frame) = frames.next_frame().map_err(Stop::Garbled)? {
                match frame {
                    _ if end.is_some() => return Err(Stop::Garbled("output after the end of the answer".into())),
                    Frame::Output(bytes) => out.write_all(&bytes).map_err(Stop::Output)?,
                    Frame::End(e) => end = Some(e),
                }
            }
            Ok(())
        };
        self.call("POST", "/v1/shell", Some(body), writes, cancel, &mut on_bytes)?;
        match end {
            Some(end) => Ok(Outcome { error: end.error.map(Error::from), wrote: end.wrote, notes: end.notes }),
            None => Err(self.lost(Lost::MidAnswer { writes }, &"the answer ended before it was complete")),
        }
    }

    /// The names in the database, for completion.
    pub fn vocabulary(&self) -> Result<Vocabulary> {
        let mut body = Vec::new();
        self.call("GET", "/v1/vocabulary", None, false, &AtomicBool::new(false), &mut |bytes| {
            body.extend_from_slice(bytes);
            Ok(())
        })?;
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

    /// One request on a fresh connection; the body of a 2xx answer goes to
    /// `on_bytes` as it arrives. An error answer is the server's error;
    /// [`Error::Cancelled`] as soon as `cancel` is set. `writes` says
    /// whether the request may change the database, for the message when
    /// the server goes away.
    fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<Vec<u8>>,
        writes: bool,
        cancel: &AtomicBool,
        on_bytes: &mut dyn FnMut(&[u8]) -> std::result::Result<(), Stop>,
    ) -> Result<()> {
        let cancelled = async {
            while !cancel.load(Ordering::SeqCst) {
                tokio::time::sleep(CANCEL_POLL).await;
            }
        };
        let body = Bytes::from(body.unwrap_or_default());
        let request = Exchange { method, path, body, writes, cancel };
        // A write never goes on the spare connection: if the server closed
        // it meanwhile, a read can be sent again, a write could not.
        let spare = (!writes).then(|| self.take_spare()).flatten();
        let work = async {
            if let Some(spare) = spare {
                match self.exchange(&request, Some(spare), on_bytes).await {
                    // The server closed the spare before it took the
                    // request: send it again on a connection of its own.
                    Err(Attempt { unanswered: true, .. }) => {}
                    other => return other.map_err(|a| a.error),
                }
            }
            self.exchange(&request, None, on_bytes).await.map_err(|a| a.error)
        };
        self.runtime.block_on(async {
            tokio::select! {
                result = work => result,
                // Dropping the exchange closes the connection.
                _ = cancelled => Err(Error::Cancelled),
            }
        })
    }

    /// One request on `spare`, or on a new connection; the body of a 2xx
    /// answer goes to `on_bytes` as it arrives.
    async fn exchange(
        &self,
        request: &Exchange<'_>,
        spare: Option<std::os::unix::net::UnixStream>,
        on_bytes: &mut dyn FnMut(&[u8]) -> std::result::Result<(), Stop>,
    ) -> std::result::Result<(), Attempt> {
        let failed = |error: Error| Attempt { error, unanswered: false };
        let unanswered = |error: Error| Attempt { error, unanswered: true };
        let writes = request.writes;
        let stream = match spare.map(tokio::net::UnixStream::from_std) {
            Some(Ok(stream)) => stream,
            _ => tokio::net::UnixStream::connect(&self.socket)
                .await
                .map_err(|e| failed(self.lost(Lost::NotSent, &crate::error::io_reason(&e))))?,
        };
        let io = hyper_util::rt::TokioIo::new(stream);
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(io).await.map_err(|e| unanswered(self.lost(Lost::NotSent, &e)))?;
        tokio::spawn(connection);
        let http = Request::builder()
            .method(request.method)
            .uri(request.path)
            .header("host", "localhost")
            .header("content-type", "application/json")
            .body(Full::new(request.body.clone()))
            .map_err(|e| failed(crate::errio!("cannot make the request: {e}")))?;
        let mut response =
            sender.send_request(http).await.map_err(|e| unanswered(self.lost(Lost::Unanswered { writes }, &e)))?;
        let status = response.status();
        if !status.is_success() {
            let bytes = response.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
            if status == hyper::StatusCode::SERVICE_UNAVAILABLE {
                return Err(failed(self.lost(Lost::ShuttingDown, &"it is shutting down")));
            }
            let message = serde_json::from_slice::<serde_json::Value>(&bytes)
                .ok()
                .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
                .unwrap_or_else(|| format!("status {status}"));
            return Err(failed(Error::Remote(message)));
        }
        let body = response.body_mut();
        while let Some(frame) = body.frame().await {
            // Output that keeps arriving may never leave this loop waiting,
            // where the select in `call` would see the flag.
            if request.cancel.load(Ordering::SeqCst) {
                return Err(failed(Error::Cancelled));
            }
            let frame = frame.map_err(|e| failed(self.lost(Lost::MidAnswer { writes }, &e)))?;
            if let Some(bytes) = frame.data_ref() {
                on_bytes(bytes).map_err(|stop| {
                    failed(match stop {
                        Stop::Output(e) => Error::io_context(&e, "cannot write the output"),
                        Stop::Garbled(why) => crate::errio!(
                            "the claimdb server at {} answered something else ({why}); is it the same version of \
                             claimdb?",
                            self.socket.display()
                        ),
                    })
                })?;
            }
        }
        Ok(())
    }

    /// The spare connection, while it is fresh, ready for tokio.
    fn take_spare(&self) -> Option<std::os::unix::net::UnixStream> {
        let (stream, opened) = self.spare.lock().unwrap_or_else(|e| e.into_inner()).take()?;
        if opened.elapsed() > SPARE_MAX_AGE || stream.set_nonblocking(true).is_err() {
            return None;
        }
        Some(stream)
    }

    /// The error for a server that is gone, saying what became of the
    /// request and what to do.
    fn lost(&self, how: Lost, why: &dyn std::fmt::Display) -> Error {
        let server = match &self.address {
            Some(a) => format!("the claimdb server (pid {}, socket {})", a.pid, self.socket.display()),
            None => format!("the claimdb server at {}", self.socket.display()),
        };
        let again = "run claimdb again: it uses the server if it is back, or opens the database itself";
        Error::ServerLost(match how {
            Lost::NotSent => format!("{server} cannot be reached ({why}); the statement did not run; {again}"),
            Lost::ShuttingDown => format!("{server} is shutting down; the statement did not run; {again}"),
            Lost::Unanswered { writes: false } => {
                format!("{server} went away before it answered ({why}); no answer came; {again}")
            }
            Lost::MidAnswer { writes: false } => {
                format!("{server} went away before it finished answering ({why}); the answer is incomplete; {again}")
            }
            Lost::Unanswered { writes: true } | Lost::MidAnswer { writes: true } => format!(
                "{server} went away before it answered ({why}); the change may or may not have been made (a change \
                 is never half made): look before making it again; {again}"
            ),
        })
    }
}

/// A request, as [`Client::call`] sends it.
struct Exchange<'a> {
    method: &'a str,
    path: &'a str,
    body: Bytes,
    writes: bool,
    cancel: &'a AtomicBool,
}

/// Why a request failed, and whether it failed before the server took it
/// (then a read may be sent again).
struct Attempt {
    error: Error,
    unanswered: bool,
}

/// How far a request got when the server went away.
#[derive(Clone, Copy)]
enum Lost {
    /// Nothing reached the server.
    NotSent,
    /// The server refused it because it is stopping.
    ShuttingDown,
    /// The request was sent and no answer came.
    Unanswered { writes: bool },
    /// Part of the answer came.
    MidAnswer { writes: bool },
}

/// Why reading an answer stopped early.
enum Stop {
    /// Writing the output failed (the reader went away).
    Output(std::io::Error),
    /// The bytes are not a claimdb server's answer.
    Garbled(String),
}
