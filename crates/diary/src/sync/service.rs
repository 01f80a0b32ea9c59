//! The sync of one open diary, as an app runs it: one scheduler while the diary is open and
//! enrolled, "sync now", enrolment, and news of where sync stands.
//!
//! Everything here decides, so that an app only forwards: a scheduler runs for an enrolled
//! diary whatever its standing (it parks itself for a revoked device) and for no other;
//! "sync now" on an enrolled diary whose scheduler could not start starts one; enrolment is
//! refused for an active diary before anything stops ([`Diary::may_enrol`]), stops the old
//! identity's scheduler before the new identity is stored, and starts syncing again whatever
//! the server said.
//!
//! News travels two ways (what the listener hears, and what the methods return) that can
//! overtake each other, so every reading of the status is numbered under the diary's lock
//! ([`Reading::seq`]): a reader keeps the highest number it has seen and drops older news.
//!
//! [`Diary::may_enrol`]: crate::Diary::may_enrol

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use tokio::sync::watch;

use crate::sync::run::with_diary;
use crate::sync::{
    Enrolled, HttpConfig, ScheduleConfig, SchedulerState, SharedDiary, SyncClient, SyncFailure,
    SyncScheduler, SyncStatus,
};

/// The diary's sync status as read at one moment, numbered in the order of the readings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub status: SyncStatus,
    pub seq: u64,
}

/// Hears every new reading, with whether a sync is running at that moment.
pub type Listener = Arc<dyn Fn(&Reading, bool) + Send + Sync>;

/// Reads and numbers the status; cheap to clone, so a follower task can own one.
#[derive(Debug, Clone)]
struct Reader {
    diary: SharedDiary,
    readings: Arc<AtomicU64>,
}

impl Reader {
    fn number(&self, status: SyncStatus) -> Reading {
        Reading { status, seq: self.readings.fetch_add(1, Ordering::SeqCst) + 1 }
    }

    /// Reads the status under the diary's lock, on the blocking pool.
    async fn read(&self) -> Result<Reading, SyncFailure> {
        let reader = self.clone();
        with_diary(&self.diary, move |d| Ok(reader.number(d.sync_status()?))).await
    }
}

/// One diary's sync: the HTTP client (made on first use), the running scheduler, if any, the
/// readings' counter, and who hears the news.
pub struct SyncService {
    reader: Reader,
    http: HttpConfig,
    schedule: ScheduleConfig,
    client: OnceLock<SyncClient>,
    scheduler: Mutex<Option<SyncScheduler>>,
    listener: OnceLock<Listener>,
}

impl fmt::Debug for SyncService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncService")
            .field("running", &self.slot().is_some())
            .field("schedule", &self.schedule)
            .finish_non_exhaustive()
    }
}

fn enrolled(status: &SyncStatus) -> bool {
    status.state != "not_enrolled"
}

impl SyncService {
    /// The sync of `diary` (open or not: `None` in the slot means locked).
    pub fn new(diary: SharedDiary, http: HttpConfig, schedule: ScheduleConfig) -> SyncService {
        SyncService {
            reader: Reader { diary, readings: Arc::default() },
            http,
            schedule,
            client: OnceLock::new(),
            scheduler: Mutex::new(None),
            listener: OnceLock::new(),
        }
    }

    /// The diary this service syncs.
    pub fn diary(&self) -> &SharedDiary {
        &self.reader.diary
    }

    /// Who hears the news from now on (the first call wins): after every change of a
    /// scheduler's state, after a start, and after a save.
    pub fn listen(&self, listener: Listener) {
        let _ = self.listener.set(listener);
    }

    fn slot(&self) -> MutexGuard<'_, Option<SyncScheduler>> {
        self.scheduler.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The one HTTP client: every scheduler and enrolment shares its gate, so two never overlap.
    pub fn client(&self) -> Result<SyncClient, SyncFailure> {
        if let Some(client) = self.client.get() {
            return Ok(client.clone());
        }
        let client = SyncClient::new(self.http.clone())?;
        Ok(self.client.get_or_init(|| client).clone())
    }

    /// Whether a sync is running right now.
    pub fn syncing(&self) -> bool {
        self.slot().as_ref().is_some_and(|s| s.state().borrow().syncing)
    }

    /// Numbers a reading of `status`, taken while the diary's lock was held.
    pub fn reading(&self, status: SyncStatus) -> Reading {
        self.reader.number(status)
    }

    /// Reads the open diary's sync status (on the blocking pool).
    pub async fn read(&self) -> Result<Reading, SyncFailure> {
        self.reader.read().await
    }

    /// Tells the listener where sync stands.
    pub fn tell(&self, reading: &Reading) {
        if let Some(listener) = self.listener.get() {
            listener(reading, self.syncing());
        }
    }

    /// Starts syncing the open diary if it is enrolled (whatever its standing: the scheduler
    /// stops by itself for a revoked device), replacing a scheduler already running, and tells
    /// the listener. Must run on a tokio runtime. Returns the status read before the first sync.
    pub async fn start(&self) -> Result<Reading, SyncFailure> {
        self.stop().await;
        let reading = self.read().await?;
        if enrolled(&reading.status) {
            let scheduler =
                SyncScheduler::start(self.client()?, Arc::clone(self.diary()), self.schedule.clone());
            self.follow(scheduler.state());
            *self.slot() = Some(scheduler);
        }
        self.tell(&reading);
        Ok(reading)
    }

    /// Tells the listener after every change of the scheduler's state; ends with the scheduler.
    fn follow(&self, mut changes: watch::Receiver<SchedulerState>) {
        let Some(listener) = self.listener.get().cloned() else { return };
        let reader = self.reader.clone();
        tokio::spawn(async move {
            while changes.changed().await.is_ok() {
                let syncing = changes.borrow_and_update().syncing;
                if let Ok(reading) = reader.read().await {
                    listener(&reading, syncing);
                }
            }
        });
    }

    /// Stops the scheduler, if one runs; a sync in flight is dropped between two answers.
    pub async fn stop(&self) {
        let running = self.slot().take();
        if let Some(scheduler) = running {
            scheduler.stop().await;
        }
    }

    /// A change was saved: sync a little later, and tell the listener `reading` (what now waits).
    pub fn saved(&self, reading: Option<Reading>) {
        if let Some(scheduler) = self.slot().as_ref() {
            scheduler.saved();
        }
        if let Some(reading) = reading {
            self.tell(&reading);
        }
    }

    /// Syncs now and answers when a sync that started after the call has ended, with the status
    /// it left. A sync that failed is not an error here: its reason is the status's
    /// `last_error`. Errors: [`SyncFailure::NotEnrolled`], [`SyncFailure::Locked`] (also when the
    /// diary was locked while waiting).
    pub async fn sync_now(&self) -> Result<Reading, SyncFailure> {
        if !enrolled(&self.read().await?.status) {
            return Err(SyncFailure::NotEnrolled);
        }
        let asked = self.slot().as_ref().map(SyncScheduler::sync_now_and_wait);
        let done = match asked {
            Some(done) => done,
            None => {
                // Enrolled, but no scheduler runs (it could not start at unlock): start one.
                self.start().await?;
                let asked = self.slot().as_ref().map(SyncScheduler::sync_now_and_wait);
                asked.ok_or(SyncFailure::NotEnrolled)?
            }
        };
        // The scheduler went away meanwhile: the diary was locked.
        done.await.map_err(|_| SyncFailure::Locked)?;
        self.read().await
    }

    /// Connects the open diary to the agency's server at `server_url` with the one-time `code`,
    /// then syncs (the first sync runs at once). Refused for a diary the server still accepts
    /// ([`SyncFailure::AlreadyEnrolled`]) before anything changes. Returns who the device became
    /// and the status read before the first sync.
    pub async fn enrol(&self, server_url: &str, code: &str) -> Result<(Enrolled, Reading), SyncFailure> {
        with_diary(self.diary(), |d| Ok(d.may_enrol())).await??;
        // The old identity, if any, stops syncing before the new one is stored.
        self.stop().await;
        let enrolled = match self.client() {
            Ok(client) => client.enrol(self.diary(), server_url, code).await,
            Err(failure) => Err(failure),
        };
        // Whatever the server said, sync starts again: as the new identity or as the old one.
        let reading = self.start().await;
        Ok((enrolled?, reading?))
    }
}
