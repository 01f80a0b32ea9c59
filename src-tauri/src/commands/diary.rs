//! Creating, opening and closing the encrypted diary. The passphrase arrives in a
//! `Zeroizing` string so its copy in this process is wiped once the key is derived.
//! Opening an enrolled diary starts its sync; locking stops it before the key leaves memory.

use convivio_diary::Diary;
use serde::Serialize;
use tauri::State;
use zeroize::Zeroizing;

use crate::error::IpcError;
use crate::state::{DiaryState, blocking};

/// Which screen the UI should show: create, unlock, or the diary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DiaryStatus {
    /// A diary exists in the data folder.
    pub exists: bool,
    /// It is open in this app.
    pub unlocked: bool,
}

impl DiaryStatus {
    fn of(state: &DiaryState) -> Self {
        let unlocked = state.slot().is_some();
        DiaryStatus { exists: unlocked || Diary::exists(state.dir()), unlocked }
    }
}

#[tauri::command]
pub async fn diary_status(state: State<'_, DiaryState>) -> Result<DiaryStatus, IpcError> {
    let state = state.inner().clone();
    blocking(move || Ok(DiaryStatus::of(&state))).await
}

#[tauri::command]
pub async fn diary_create(
    state: State<'_, DiaryState>,
    passphrase: Zeroizing<String>,
) -> Result<DiaryStatus, IpcError> {
    let state = state.inner().clone();
    let opened = state.clone();
    let status = blocking(move || {
        let diary = Diary::create(opened.dir(), &passphrase)?;
        *opened.slot() = Some(diary);
        Ok(DiaryStatus::of(&opened))
    })
    .await?;
    // A new diary is not enrolled yet: this only tells the UI so.
    start_sync(&state).await;
    Ok(status)
}

#[tauri::command]
pub async fn diary_unlock(
    state: State<'_, DiaryState>,
    passphrase: Zeroizing<String>,
) -> Result<DiaryStatus, IpcError> {
    let state = state.inner().clone();
    let opened = state.clone();
    let status = blocking(move || {
        let diary = Diary::open(opened.dir(), &passphrase)?;
        *opened.slot() = Some(diary);
        Ok(DiaryStatus::of(&opened))
    })
    .await?;
    start_sync(&state).await;
    Ok(status)
}

/// Closes the diary: sync stops, the key leaves memory with the diary, and every other command
/// then answers `locked` until it is opened again.
#[tauri::command]
pub async fn diary_lock(state: State<'_, DiaryState>) -> Result<DiaryStatus, IpcError> {
    let state = state.inner().clone();
    state.sync().stop().await;
    blocking(move || {
        let closed = state.slot().take();
        drop(closed);
        Ok(DiaryStatus::of(&state))
    })
    .await
}

/// Starts sync for the diary just opened and tells the UI where it stands. The diary is open
/// whatever happens here: a sync problem shows in the sync panel, never as a failed unlock.
async fn start_sync(state: &DiaryState) {
    if let Err(error) = state.sync().start().await {
        tracing::warn!(code = error.code(), "sync did not start");
    }
}
