//! Encryption at rest: no byte of the diary's folder (database, WAL, shared memory, key file)
//! holds any saved text in plaintext, whatever was done: edits, deletes, re-sharing, search,
//! export, enrolment (the device token is as secret as the text), a passphrase change, while open
//! and after closing.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::path::Path;

use convivio_core::entry::EntryInput;
use convivio_core::message::MessageInput;
use convivio_core::sync::EnrolResponse;
use convivio_core::{RecordId, Sharing};
use convivio_diary::Diary;
use convivio_diary::sync::ServerUrl;
use convivio_tests::{PASSPHRASE, cheap_kdf};

/// Texts that must never appear on disk. Long and odd enough never to occur by chance.
const MARKERS: [&str; 7] = [
    "Zanzibar-marker-alpha",
    "Quokka-marker-bravo",
    "Umbrella-marker-charlie",
    "Xylophone-marker-delta",
    "Kumquat-marker-echo",
    "Walrus-marker-foxtrot",
    "Pangolin-marker-golf",
];

/// The first file in `dir` holding a marker in plaintext, if any.
fn find_plaintext(dir: &Path) -> Option<(String, &'static str)> {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        for marker in MARKERS {
            for needle in [marker.as_bytes().to_vec(), marker.to_lowercase().into_bytes()] {
                if bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
                    return Some((path.display().to_string(), marker));
                }
            }
        }
    }
    None
}

fn scan(dir: &Path, when: &str) {
    if let Some((file, marker)) = find_plaintext(dir) {
        panic!("{when}: {file} holds {marker:?} in plaintext");
    }
    let mut scanned = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        scanned += std::fs::metadata(&path).unwrap().len();
    }
    assert!(scanned > 0, "{when}: nothing was scanned");
}

fn note(text: &str, sharing: &str) -> EntryInput {
    EntryInput {
        kind: "note".into(),
        text: Some(text.into()),
        sharing: Some(sharing.into()),
        ..Default::default()
    }
}

#[test]
fn no_saved_text_is_ever_on_disk_in_plaintext() {
    let dir = tempfile::tempdir().unwrap();
    let mut diary = Diary::create_with(dir.path(), PASSPHRASE, cheap_kdf()).unwrap();
    let mut ids: Vec<RecordId> = Vec::new();
    for (i, marker) in MARKERS.iter().enumerate() {
        let sharing = ["private", "agency", "research"][i % 3];
        ids.push(
            diary.add_entry(&note(&format!("{marker} {}", "filler text ".repeat(50)), sharing)).unwrap().id,
        );
    }
    let need = diary
        .add_entry(&EntryInput {
            kind: "need".into(),
            category: Some("respite".into()),
            text: Some(format!("need {}", MARKERS[0])),
            sharing: Some("agency".into()),
            ..Default::default()
        })
        .unwrap();
    diary
        .add_message(&MessageInput { entry_id: need.id.to_string(), body: format!("reply {}", MARKERS[1]) })
        .unwrap();
    diary.update_entry(ids[0], &note(&format!("edited {}", MARKERS[2]), "agency")).unwrap();
    diary.set_sharing(ids[1], Sharing::Private).unwrap();
    diary.delete_entry(ids[2]).unwrap();
    assert_eq!(diary.search(MARKERS[3], 10).unwrap().len(), 1);
    let enrolment: EnrolResponse = serde_json::from_value(serde_json::json!({
        "protocol": convivio_core::sync::PROTOCOL_VERSION,
        "device_id": "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6a",
        "device_token": MARKERS[6],
        "caregiver_id": "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6b",
        "agency_name": "Valle Verde",
        "server_time_ms": 1_764_626_479_123_u64,
        "server_epoch": "9f3c2a1b7d4e5f60"
    }))
    .unwrap();
    diary.adopt_enrolment(&ServerUrl::parse("https://agency.example").unwrap(), &enrolment).unwrap();
    let export = tempfile::tempdir().unwrap();
    diary.export_mine(export.path()).unwrap();
    // The scan can see plaintext: the export the caregiver asked for is readable.
    assert!(find_plaintext(export.path()).is_some());

    assert!(dir.path().join("diary.db-wal").exists(), "the WAL is part of the scan");
    scan(dir.path(), "while open");
    diary.change_passphrase(PASSPHRASE, "another long passphrase").unwrap();
    scan(dir.path(), "after a passphrase change");
    drop(diary);
    scan(dir.path(), "after closing");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    for name in &names {
        assert!(
            ["diary.db", "diary.db-wal", "diary.db-shm", "diary.key"].contains(&name.as_str()),
            "stray file {name}"
        );
    }
}
