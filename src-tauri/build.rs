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
    // With `custom-protocol` (the default) the built UI is compiled into the app; say how to
    // make it rather than letting Tauri's codegen panic about `frontendDist` later.
    println!("cargo:rerun-if-changed=../ui/dist");
    if std::env::var_os("CARGO_FEATURE_CUSTOM_PROTOCOL").is_some()
        && !std::path::Path::new("../ui/dist/index.html").is_file()
    {
        panic!(
            "the app embeds the built UI, and ui/dist/index.html is missing: run `make ui` \
             (npm --prefix ui run build) first, or build with --no-default-features for the dev server"
        );
    }
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run the Tauri build script");
}
