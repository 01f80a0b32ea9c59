//! Creating, opening and closing the encrypted diary. The passphrase arrives in a
//! `Zeroizing` string so its copy in this process is wiped once the key is derived.

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
    blocking(move || {
        let diary = Diary::create(state.dir(), &passphrase)?;
        *state.slot() = Some(diary);
        Ok(DiaryStatus::of(&state))
    })
    .await
}

#[tauri::command]
pub async fn diary_unlock(
    state: State<'_, DiaryState>,
    passphrase: Zeroizing<String>,
) -> Result<DiaryStatus, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let diary = Diary::open(state.dir(), &passphrase)?;
        *state.slot() = Some(diary);
        Ok(DiaryStatus::of(&state))
    })
    .await
}

/// Closes the diary: the key leaves memory with it, and every other command then answers
/// `locked` until it is opened again.
#[tauri::command]
pub async fn diary_lock(state: State<'_, DiaryState>) -> Result<DiaryStatus, IpcError> {
    let state = state.inner().clone();
    blocking(move || {
        let closed = state.slot().take();
        drop(closed);
        Ok(DiaryStatus::of(&state))
    })
    .await
}
