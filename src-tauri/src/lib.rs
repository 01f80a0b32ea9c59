//! Convivio's app for caregivers: a Tauri 2 shell around `convivio-diary`.
//!
//! The key decision: this crate holds no rules. Commands read their arguments, call the
//! diary on a blocking thread and turn its error into one `{ code, message, field? }` shape
//! ([`error::IpcError`]); everything a caregiver may or may not write is decided in
//! `convivio-core`. [`run_app`] assembles the app on any Tauri runtime, so unit tests drive the
//! real commands through `tauri::test::mock_builder()` without a display.
//!
//! Sync with the agency runs beside the commands ([`sync`]): a scheduler while the diary is
//! open and enrolled, and a [`sync::SYNC_EVENT`] to the UI whenever where it stands changes.

pub mod commands;
pub mod data_dir;
pub mod error;
pub mod state;
pub mod sync;

use std::path::PathBuf;
use std::sync::Arc;

use convivio_diary::sync::ScheduleConfig;
use tauri::{AppHandle, Builder, Emitter, Manager, Runtime};

use crate::state::DiaryState;

/// Starts the app (desktop `main`, or the mobile entry point).
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    init_logging();
    if let Err(error) = run_app(Builder::default(), None).run(tauri::generate_context!()) {
        tracing::error!(%error, "Convivio could not start");
        std::process::exit(1);
    }
}

/// The app on runtime `R`: its state and its commands. The diary lives in `data_dir` when
/// given (tests); otherwise [`data_dir::resolve`] picks the folder once the app is ready,
/// since the platform's app data folder is known only then.
pub fn run_app<R: Runtime>(builder: Builder<R>, data_dir: Option<PathBuf>) -> Builder<R> {
    let builder = builder.invoke_handler(tauri::generate_handler![
        commands::diary::diary_status,
        commands::diary::diary_create,
        commands::diary::diary_unlock,
        commands::diary::diary_lock,
        commands::entry::entry_add,
        commands::timeline::timeline_list,
        commands::sync::sync_status,
        commands::sync::sync_now,
        commands::sync::sync_enrol,
    ]);
    match data_dir {
        Some(dir) => builder.manage(DiaryState::new(dir, ScheduleConfig::default())).setup(|app| {
            send_sync_news(app.handle());
            Ok(())
        }),
        None => builder.setup(|app| {
            let dir = data_dir::resolve(app)?;
            tracing::info!(dir = %dir.display(), "diary folder");
            app.manage(DiaryState::new(dir, ScheduleConfig::default()));
            send_sync_news(app.handle());
            Ok(())
        }),
    }
}

/// From now on, sync news reaches the UI as the [`sync::SYNC_EVENT`] event. Part of the app's
/// setup (tests on the mock runtime, which does not run setup, call it themselves).
pub fn send_sync_news<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    app.state::<DiaryState>().sync().send_news_to(Arc::new(move |view| {
        if let Err(error) = handle.emit(sync::SYNC_EVENT, view) {
            tracing::warn!(%error, "could not tell the UI about sync");
        }
    }));
}

/// Logs to stderr, filtered by `RUST_LOG` (default `info`). Diary text never reaches the log:
/// commands log nothing about their arguments.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

#[cfg(test)]
mod tests;
