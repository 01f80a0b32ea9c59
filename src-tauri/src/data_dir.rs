//! Where the diary lives: `$CONVIVIO_DATA_DIR` when set (tests and demos get a fresh folder
//! each run), otherwise the platform's per-app data folder that Tauri knows.

use std::path::PathBuf;

use tauri::{Manager, Runtime};

/// The environment variable that overrides the data folder.
pub const DATA_DIR_ENV: &str = "CONVIVIO_DATA_DIR";

/// The folder to keep the diary in, created if missing.
pub fn resolve<R: Runtime, M: Manager<R>>(app: &M) -> std::io::Result<PathBuf> {
    let dir = match std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => app.path().app_data_dir().map_err(std::io::Error::other)?,
    };
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
