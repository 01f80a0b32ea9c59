//! Sync in the app: `convivio-diary`'s [`SyncService`] for the open diary, and what the UI is
//! told about it.
//!
//! Every decision (which scheduler runs, "sync now" and its recovery, who may enrol) is the
//! service's; this only turns its readings into [`SyncView`]s and its failures into
//! [`IpcError`]s. The UI is *told*, not polling: whenever the scheduler's state changes and after
//! every write the service reads [`Diary::sync_status`](convivio_diary::Diary::sync_status) and
//! the app emits it as the [`SYNC_EVENT`] event. Every reading is numbered under the diary's
//! lock ([`SyncView::seq`]): events and command answers can overtake each other, and the UI
//! keeps the highest number it has seen.

use std::fmt;
use std::sync::Arc;

use convivio_diary::sync::{HttpConfig, Reading, ScheduleConfig, SharedDiary, SyncService, SyncStatus};
use serde::Serialize;

use crate::error::IpcError;

/// The event the UI listens to; its payload is a [`SyncView`].
pub const SYNC_EVENT: &str = "sync:status";

/// What the UI shows about sync: the diary's status, whether a sync is running right now, and
/// the reading's number (a view with a lower `seq` than one already shown is older news).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncView {
    #[serde(flatten)]
    pub status: SyncStatus,
    pub syncing: bool,
    pub seq: u64,
}

impl SyncView {
    fn of(reading: Reading, syncing: bool) -> SyncView {
        SyncView { status: reading.status, seq: reading.seq, syncing }
    }
}

/// Hands a [`SyncView`] to the UI (in the app: emits [`SYNC_EVENT`]).
pub type Notify = Arc<dyn Fn(&SyncView) + Send + Sync>;

/// The app's handle on the diary's sync service.
pub struct SyncRunner(SyncService);

impl fmt::Debug for SyncRunner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl SyncRunner {
    pub fn new(diary: SharedDiary, config: ScheduleConfig) -> Self {
        Self(SyncService::new(diary, HttpConfig::default(), config))
    }

    /// Where news goes from now on (the first call wins; until then news is dropped).
    pub fn send_news_to(&self, notify: Notify) {
        self.0.listen(Arc::new(move |reading: &Reading, syncing| {
            notify(&SyncView::of(reading.clone(), syncing))
        }));
    }

    /// Numbers a reading of `status`, taken while the diary's lock was held.
    pub fn reading(&self, status: SyncStatus) -> Reading {
        self.0.reading(status)
    }

    /// The reading as the UI gets it.
    pub fn view(&self, reading: Reading) -> SyncView {
        SyncView::of(reading, self.0.syncing())
    }

    /// The open diary's sync status, now.
    pub async fn status(&self) -> Result<SyncView, IpcError> {
        Ok(self.view(self.0.read().await?))
    }

    /// Starts syncing the diary just opened (if it is enrolled) and tells the UI where it stands.
    pub async fn start(&self) -> Result<(), IpcError> {
        self.0.start().await?;
        Ok(())
    }

    /// Stops syncing, before the diary is locked.
    pub async fn stop(&self) {
        self.0.stop().await;
    }

    /// A write was saved: sync a little later, and tell the UI what now waits.
    pub fn saved(&self, reading: Option<Reading>) {
        self.0.saved(reading);
    }

    /// Syncs now; answers when that sync has ended, with the status it left.
    pub async fn sync_now(&self) -> Result<SyncView, IpcError> {
        Ok(self.view(self.0.sync_now().await?))
    }

    /// Enrols the open diary with `server` and `code`, then syncs.
    pub async fn enrol(&self, server: &str, code: &str) -> Result<SyncView, IpcError> {
        let (_, reading) = self.0.enrol(server, code).await?;
        Ok(self.view(reading))
    }
}
