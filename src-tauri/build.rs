//! Generates the Tauri context and, from the command list below, one `allow-<command>`
//! permission per command, so the capability files can grant each command by name.

const COMMANDS: &[&str] = &[
    "diary_status",
    "diary_create",
    "diary_unlock",
    "diary_lock",
    "entry_add",
    "timeline_list",
    "sync_status",
    "sync_now",
    "sync_enrol",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run the Tauri build script");
}
