//! Sync in the app: one [`SyncScheduler`] while the diary is open and enrolled, and what the
//! UI is told about it.
//!
//! The key decision: the UI is *told*, not polling. Every time the scheduler's state changes (a
//! sync starts or ends) and after every write, the app reads [`Diary::sync_status`] and emits it
//! as the [`SYNC_EVENT`] event. A caregiver sees "synced" the moment a background sync ends, and
//! nothing runs while nothing changes (a phone's battery; the diary's lock stays free). The only
//! timer in the UI is the clock that turns "2 minutes ago" into "3 minutes ago".
//!
//! News travels two ways (events, and the answers of the commands) that can overtake each
//! other, so every reading of the status is numbered under the diary's lock ([`SyncView::seq`]):
//! the UI keeps the highest number it has seen and drops older news.
//!
//! "Sync now" goes through the scheduler too, so two syncs never overlap and a stopped timer
//! (after a revocation) restarts; the command waits for that sync to end and then answers.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use convivio_diary::sync::{
    HttpConfig, ScheduleConfig, SharedDiary, SyncClient, SyncFailure, SyncScheduler, SyncStatus,
};
use serde::Serialize;

use crate::error::IpcError;

/// The event the UI listens to; its payload is a [`SyncView`].
pub const SYNC_EVENT: &str = "sync:status";

/// The diary's sync status as read at one moment, numbered in the order of the readings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub status: SyncStatus,
    pub seq: u64,
}

/// What the UI shows about sync: the diary's status, whether a sync is running right now, and
/// the reading's number (a view with a lower `seq` than one already shown is older news).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncView {
    #[serde(flatten)]
    pub status: SyncStatus,
    pub syncing: bool,
    pub seq: u64,
}

/// Hands a [`SyncView`] to the UI (in the app: emits [`SYNC_EVENT`]).
pub type Notify = Arc<dyn Fn(&SyncView) + Send + Sync>;

/// The app's sync machinery: the HTTP client (made on first use), the running scheduler, if
/// any, the readings' counter, and where news goes (set once the app is set up; until then news
/// is dropped).
pub struct SyncRunner {
    client: OnceLock<SyncClient>,
    scheduler: Mutex<Option<SyncScheduler>>,
    config: ScheduleConfig,
    readings: Arc<AtomicU64>,
    notify: OnceLock<Notify>,
}

impl fmt::Debug for SyncRunner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncRunner")
            .field("running", &self.slot().is_some())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl SyncRunner {
    pub fn new(config: ScheduleConfig) -> Self {
        Self {
            client: OnceLock::new(),
            scheduler: Mutex::new(None),
            config,
            readings: Arc::default(),
            notify: OnceLock::new(),
        }
    }

    /// Where news goes from now on (the first call wins).
    pub fn send_news_to(&self, notify: Notify) {
        let _ = self.notify.set(notify);
    }

    fn slot(&self) -> MutexGuard<'_, Option<SyncScheduler>> {
        self.scheduler.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The one HTTP client: every scheduler and enrolment shares its gate, so two never overlap.
    pub fn client(&self) -> Result<SyncClient, IpcError> {
        if let Some(client) = self.client.get() {
            return Ok(client.clone());
        }
        let client = SyncClient::new(HttpConfig::default())?;
        Ok(self.client.get_or_init(|| client).clone())
    }

    /// Whether a sync is running right now.
    pub fn syncing(&self) -> bool {
        self.slot().as_ref().is_some_and(|s| s.state().borrow().syncing)
    }

    /// Numbers a reading of `status`, taken while the diary's lock was held.
    pub fn reading(&self, status: SyncStatus) -> Reading {
        Reading { status, seq: self.readings.fetch_add(1, Ordering::SeqCst) + 1 }
    }

    /// Reads the open diary's sync status (on the blocking pool).
    pub async fn read(&self, diary: &SharedDiary) -> Result<Reading, IpcError> {
        read(diary, &self.readings).await
    }

    /// The reading as the UI gets it.
    pub fn view(&self, reading: Reading) -> SyncView {
        SyncView { status: reading.status, seq: reading.seq, syncing: self.syncing() }
    }

    /// Starts syncing `diary` if it is enrolled (whatever its standing: the scheduler stops by
    /// itself for a revoked device), replacing a scheduler already running. Must run on the
    /// async runtime (inside a command). Returns the status it read before starting.
    pub async fn start(&self, diary: &SharedDiary) -> Result<Reading, IpcError> {
        self.stop().await;
        let reading = self.read(diary).await?;
        if reading.status.state == "not_enrolled" {
            return Ok(reading);
        }
        let scheduler = SyncScheduler::start(self.client()?, Arc::clone(diary), self.config.clone());
        let mut changes = scheduler.state();
        let (diary, readings, notify) =
            (Arc::clone(diary), Arc::clone(&self.readings), self.notify.get().cloned());
        // Ends when the scheduler does: its state's sender goes with it.
        tauri::async_runtime::spawn(async move {
            while changes.changed().await.is_ok() {
                let syncing = changes.borrow_and_update().syncing;
                if let (Some(notify), Ok(reading)) = (&notify, read(&diary, &readings).await) {
                    notify(&SyncView { status: reading.status, seq: reading.seq, syncing });
                }
            }
        });
        *self.slot() = Some(scheduler);
        Ok(reading)
    }

    /// Stops the scheduler, if one runs; a sync in flight is dropped between two answers.
    pub async fn stop(&self) {
        let running = self.slot().take();
        if let Some(scheduler) = running {
            scheduler.stop().await;
        }
    }

    /// A write was saved: sync a little later, and tell the UI what now waits.
    pub fn saved(&self, reading: Option<Reading>) {
        if let Some(scheduler) = self.slot().as_ref() {
            scheduler.saved();
        }
        if let Some(reading) = reading {
            self.tell(reading);
        }
    }

    /// Asks the scheduler for a sync and waits until it has run. A sync already running when
    /// the caregiver asked may hold changes saved after it started, so one more runs after it.
    pub async fn sync_now(&self) -> Result<(), IpcError> {
        let (mut state, target) = {
            let slot = self.slot();
            let scheduler = slot.as_ref().ok_or(SyncFailure::NotEnrolled)?;
            let state = scheduler.state();
            let now = *state.borrow();
            scheduler.sync_now();
            (state, now.runs + if now.syncing { 2 } else { 1 })
        };
        // The scheduler went away meanwhile: the diary was locked.
        state.wait_for(|s| s.runs >= target).await.map_err(|_| IpcError::Locked)?;
        Ok(())
    }

    /// Tells the UI where sync stands.
    pub fn tell(&self, reading: Reading) {
        if let Some(notify) = self.notify.get() {
            notify(&self.view(reading));
        }
    }
}

/// Reads and numbers the diary's sync status under its lock, on the blocking pool.
async fn read(diary: &SharedDiary, readings: &Arc<AtomicU64>) -> Result<Reading, IpcError> {
    let (diary, readings) = (Arc::clone(diary), Arc::clone(readings));
    crate::state::blocking(move || {
        let slot = diary.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let status = slot.as_ref().ok_or(IpcError::Locked)?.sync_status()?;
        Ok(Reading { status, seq: readings.fetch_add(1, Ordering::SeqCst) + 1 })
    })
    .await
}
