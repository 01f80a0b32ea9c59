//! The caregiver's device: an encrypted diary that works with no signal for weeks.
//!
//! Everything lives in one SQLCipher database per diary folder, keyed from the caregiver's
//! passphrase (see [`key`]). The key design decision: every change that must reach the agency
//! is written to the outbox *in the same transaction* as the change itself, with a gap-free
//! per-device sequence number, so a crash can never leave a saved entry unsent or a sent entry
//! unsaved. Private entries never enter the outbox.
//!
//! [`sync`] sends the outbox to the agency's server and merges what comes back; the store side of
//! it is plain methods on [`Diary`] (build a request, apply an answer, each in one transaction),
//! the HTTP client and the scheduler sit beside them.

mod clock;
pub mod detail;
mod entries;
pub mod error;
pub mod export;
mod files;
pub mod import;
pub mod journey;
pub mod key;
mod lifecycle;
pub mod outbox;
mod read_receipts;
mod records;
mod search;
mod settings;
mod store;
pub mod sync;
pub mod timeline;

use std::path::PathBuf;

use convivio_core::Owner;
use rusqlite::Connection;

pub use detail::{EntryDetail, Side, ThreadMessage};
pub use error::{DiaryError, Result};
pub use journey::Journey;
pub use key::KdfParams;
pub use store::latest_version as schema_version;
pub use timeline::{TimelineEntry, TimelinePage, TimelineQuery};

/// File names inside a diary folder.
pub const DB_FILE: &str = "diary.db";
pub const KEY_FILE: &str = "diary.key";
pub const NEW_KEY_FILE: &str = "diary.key.new";

/// An open, unlocked diary. One per folder per process; `Send`, so an app can keep it behind a
/// mutex.
#[derive(Debug)]
pub struct Diary {
    conn: Connection,
    dir: PathBuf,
    clock: clock::DeviceClock,
    caregiver: Owner,
}

impl Diary {
    /// The folder this diary lives in.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// The caregiver who owns this diary's records.
    pub fn caregiver(&self) -> Owner {
        self.caregiver
    }

    /// For tests of a device whose wall clock is wrong: from now on this diary's clock reads
    /// `error_ms` off the real time (until the server's time corrects it, as for a real device).
    #[doc(hidden)]
    pub fn simulate_clock_error(&mut self, error_ms: i64) {
        self.clock.simulate_error(error_ms);
    }

    /// The raw connection, for tests and benchmarks that inspect the file.
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}
