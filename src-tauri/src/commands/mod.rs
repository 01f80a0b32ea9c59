//! The app's Tauri commands, one file per resource, named `<resource>_<verb>`. Each one only
//! reads its arguments, calls `convivio-diary` on a blocking thread and maps the error.
//! (`generate_handler!` needs each command by its full path, so nothing is re-exported.)

pub mod diary;
pub mod entry;
pub mod sync;
pub mod timeline;
