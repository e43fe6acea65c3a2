//! What every request handler shares: the database, the checked settings,
//! the secrets, and whether the server is shutting down.

use super::options::Settings;
use crate::Db;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
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

    /// Counts a request; returns its number (from 1).
    pub fn next_request(&self) -> u64 {
        self.inner.requests.fetch_add(1, Ordering::Relaxed) + 1
    }
}
