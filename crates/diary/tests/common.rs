//! Helpers shared by the diary's integration tests.
#![allow(dead_code)]
#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use convivio_core::entry::EntryInput;
use convivio_diary::{Diary, KdfParams};
use serde_json::json;
use tempfile::TempDir;

pub const PASS: &str = "correct horse battery";

/// Key costs low enough for tests that open many diaries; the format is the same.
pub fn cheap() -> KdfParams {
    KdfParams { m_cost_kib: 1024, t_cost: 1, p_cost: 1 }
}

pub fn new_diary() -> (TempDir, Diary) {
    let dir = tempfile::tempdir().unwrap();
    let diary = Diary::create_with(dir.path(), PASS, cheap()).unwrap();
    (dir, diary)
}

pub fn input(v: serde_json::Value) -> EntryInput {
    serde_json::from_value(v).unwrap()
}

pub fn note(text: &str, sharing: &str) -> EntryInput {
    input(json!({"kind": "note", "text": text, "sharing": sharing}))
}
