//! The app's one piece of state: the data folder, the diary (open or not) and its sync.
//!
//! It is handed to Tauri with `app.manage(...)` and reaches commands as `State<DiaryState>`.
//! The diary is a [`SharedDiary`], the very `Arc<Mutex<Option<Diary>>>` the sync client and
//! scheduler take, so the commands and sync share one open diary and one lock; `None` means
//! locked. The whole state is an `Arc` so a command can move a handle into a blocking task
//! (SQLCipher and Argon2 must not run on the async runtime's threads, nor on the UI's main
//! thread).

use std::path::{Path, PathBuf};
use std::sync::{Arc, MutexGuard};

use convivio_diary::Diary;
use convivio_diary::sync::{ScheduleConfig, SharedDiary};

use crate::error::IpcError;
use crate::sync::SyncRunner;

#[derive(Debug, Clone)]
pub struct DiaryState(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    dir: PathBuf,
    diary: SharedDiary,
    sync: SyncRunner,
}

impl DiaryState {
    /// A state for the diary in `dir`, not yet opened, syncing on `schedule` once it is.
    pub fn new(dir: PathBuf, schedule: ScheduleConfig) -> Self {
        let diary = SharedDiary::default();
        Self(Arc::new(Inner { dir, diary: Arc::clone(&diary), sync: SyncRunner::new(diary, schedule) }))
    }

    /// The data folder the diary lives in.
    pub fn dir(&self) -> &Path {
        &self.0.dir
    }

    /// The diary as the sync client takes it.
    pub fn diary(&self) -> &SharedDiary {
        &self.0.diary
    }

    /// Sync: the scheduler while the diary is open and enrolled.
    pub fn sync(&self) -> &SyncRunner {
        &self.0.sync
    }

    /// The slot holding the open diary (or `None`). A panic in another command while it held
    /// the lock does not make the diary unusable: the slot is still a consistent value.
    pub fn slot(&self) -> MutexGuard<'_, Option<Diary>> {
        self.0.diary.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` on the open diary, or fails with [`IpcError::Locked`].
    pub fn with_open<T>(&self, f: impl FnOnce(&mut Diary) -> Result<T, IpcError>) -> Result<T, IpcError> {
        match self.slot().as_mut() {
            Some(diary) => f(diary),
            None => Err(IpcError::Locked),
        }
    }
}

/// Runs blocking diary work on Tauri's blocking thread pool and waits for it.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    let result = tauri::async_runtime::spawn_blocking(work).await.map_err(|_| IpcError::Interrupted)?;
    if let Err(error) = &result {
        // Only the code: messages may quote what the caregiver typed.
        tracing::debug!(code = error.code(), field = error.field(), "command refused");
    }
    result
}
