//! What every request handler shares: the database, the checked settings,
//! the secrets, and whether the server is shutting down.

use super::options::Settings;
use crate::engine::Db;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// The shared state of a running server (cheap to clone).
#[derive(Clone)]
pub struct State {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    settings: Settings,
    csrf: String,
    stopping: AtomicBool,
    stop: Notify,
    requests: AtomicU64,
    /// The reads running now, by number, with when they started.
    reads: Mutex<HashMap<u64, Instant>>,
}

/// A running read, registered until dropped.
pub struct ReadTicket {
    state: State,
    number: u64,
}

impl Drop for ReadTicket {
    fn drop(&mut self) {
        self.state.inner.reads.lock().unwrap_or_else(|e| e.into_inner()).remove(&self.number);
    }
}

impl State {
    /// The state for a server on `db` with `settings`.
    pub fn new(db: Db, settings: Settings) -> State {
        State {
            inner: Arc::new(Inner {
                db,
                settings,
                csrf: super::auth::random_token(),
                stopping: AtomicBool::new(false),
                stop: Notify::new(),
                requests: AtomicU64::new(0),
                reads: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// The settings the server runs with.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// Whether writes are refused.
    pub fn read_only(&self) -> bool {
        self.inner.settings.options.read_only
    }

    /// The CSRF token of this server process, which every form carries.
    pub fn csrf(&self) -> &str {
        &self.inner.csrf
    }

    /// Starts the shutdown: new requests get 503, running reads are
    /// cancelled, running writes finish.
    pub fn begin_shutdown(&self) {
        self.inner.stopping.store(true, Ordering::SeqCst);
        self.inner.stop.notify_waiters();
    }

    /// Whether the shutdown has begun.
    pub fn stopping(&self) -> bool {
        self.inner.stopping.load(Ordering::SeqCst)
    }

    /// Resolves when the shutdown begins (at once if it has).
    pub async fn stopped(&self) {
        let notified = self.inner.stop.notified();
        if self.stopping() {
            return;
        }
        notified.await;
    }

    /// Registers a read that starts now; it counts as running until the
    /// ticket is dropped.
    pub fn read_started(&self) -> ReadTicket {
        let number = self.next_request();
        self.inner.reads.lock().unwrap_or_else(|e| e.into_inner()).insert(number, Instant::now());
        ReadTicket { state: self.clone(), number }
    }

    /// Waits, for at most `limit`, until every read running now has ended
    /// (reads that start meanwhile run freely, and are not waited for).
    ///
    /// The database's lock lets a waiting write go before new reads, so a
    /// write queued behind a long read would hold up every read after it;
    /// waiting here instead, outside the lock, lets them run. Waiting only
    /// for the reads already running means a stream of new reads cannot
    /// keep a write waiting.
    pub async fn wait_for_running_reads(&self, limit: Duration) {
        let running: Vec<u64> = self.inner.reads.lock().unwrap_or_else(|e| e.into_inner()).keys().copied().collect();
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline && self.any_still_running(&running) {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    fn any_still_running(&self, reads: &[u64]) -> bool {
        let running = self.inner.reads.lock().unwrap_or_else(|e| e.into_inner());
        reads.iter().any(|n| running.contains_key(n))
    }

    /// Counts a request; returns its number (from 1).
    pub fn next_request(&self) -> u64 {
        self.inner.requests.fetch_add(1, Ordering::Relaxed) + 1
    }
}
