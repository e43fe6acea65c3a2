//! What a statement runs with besides the database: a cancellation flag
//! (set by Ctrl-C), an import progress callback and the date taken as today.

use crate::engine::Progress;
use crate::model::{date, Date};
use std::sync::atomic::AtomicBool;

static NEVER: AtomicBool = AtomicBool::new(false);

/// The environment a statement runs in.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// Set to true to stop a running statement; it then fails with
    /// [`Error::Cancelled`](crate::Error::Cancelled) and changes nothing.
    pub cancel: &'a AtomicBool,
    /// Called during imports with the phase and the records done.
    pub progress: Progress<'a>,
    /// The day staleness and default status-change dates are measured from.
    pub today: Date,
    /// Make every import skip bad records (as if it said `skip bad`).
    pub skip_bad: bool,
}

impl<'a> Context<'a> {
    /// The cancellation flag and progress callback, for long operations.
    pub fn control(&self) -> crate::engine::Control<'a> {
        crate::engine::Control { cancel: self.cancel, progress: self.progress }
    }
}

impl Default for Context<'_> {
    fn default() -> Self {
        Context { cancel: &NEVER, progress: &|_, _| {}, today: date::today(), skip_bad: false }
    }
}
