//! The checkpointer: a thread of its own that copies the write-ahead log back into the database
//! file, so that the writer never does.
//!
//! SQLite checkpoints on the committing connection by default, once the log holds 1,000 pages:
//! the writer then stops taking writes while it copies pages and syncs the database file, and
//! every write queued behind it waits (6-7 % of the writer's time under the sync benchmark,
//! BENCHMARKS.md, Sync). The writer's connection has automatic checkpoints off; this thread runs
//! a passive checkpoint every [`EVERY`], which copies what no reader still needs without taking
//! any lock a writer or a reader waits for. A database closed normally is checkpointed by its
//! last connection, as always.

use std::path::Path;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::error::{StoreError, StoreResult};

/// How often the log is copied back. Under a full load of writes the log grows by some
/// thousands of pages between two turns, which the next turn copies in one pass.
const EVERY: Duration = Duration::from_millis(250);

/// The running checkpointer. Dropping it stops the thread and waits for it.
#[derive(Debug)]
pub(super) struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    pub(super) fn start(path: &Path) -> StoreResult<Self> {
        let conn = super::connect(path, false)?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                // Ends when the sender is dropped: `recv_timeout` then reports a disconnect.
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
                    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                        tracing::warn!(error = %e, "a WAL checkpoint failed; the next turn tries again");
                    }
                }
            })
            .map_err(|e| StoreError::Database(format!("could not start the SQLite checkpointer: {e}")))?;
        Ok(Checkpointer { stop: Some(stop), thread: Some(thread) })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
