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

use convivio_core::Record;
use convivio_core::entry::{Entry, EntryBody};
use convivio_core::sync::{EnrolResponse, Epoch, PROTOCOL_VERSION, SyncRequest, SyncResponse};
use convivio_core::{Hlc, NodeId, Owner, RecordId};
use convivio_diary::TimelineQuery;
use convivio_diary::sync::MAX_BATCH_BYTES;
use convivio_diary::sync::ServerUrl;
use uuid::Uuid;

/// Enrols `diary` as if the server had answered: a fresh device id, the given caregiver.
pub fn enrol(diary: &mut Diary, caregiver: Uuid) -> Uuid {
    let device_id = Uuid::now_v7();
    let response = EnrolResponse {
        protocol: PROTOCOL_VERSION,
        device_id,
        device_token: "ab".repeat(32),
        caregiver_id: caregiver,
        agency_name: "Valle Verde".into(),
        server_time_ms: now_ms(),
        server_epoch: epoch(),
    };
    diary.adopt_enrolment(&ServerUrl::parse("https://agency.example").unwrap(), &response).unwrap();
    device_id
}

/// An entry written on the caregiver's other device (node 77) at `wall_ms`.
pub fn entry_from_elsewhere(caregiver: Uuid, wall_ms: u64, text: &str) -> Entry {
    remote_version_of(&new_entry(caregiver, text), wall_ms)
}

fn new_entry(caregiver: Uuid, text: &str) -> Entry {
    let draft = note(text, "agency").parse(chrono::Local::now().fixed_offset()).unwrap();
    Entry::create(RecordId::new(), Hlc::ZERO, Owner::caregiver(caregiver), chrono::Utc::now(), draft)
}

/// The same entry as edited on the other device at `wall_ms`.
pub fn remote_version_of(entry: &Entry, wall_ms: u64) -> Entry {
    Entry { version: Hlc { wall_ms, counter: 0, node: NodeId(77) }, ..entry.clone() }
}

pub fn answer(acked_seq: u64, changes: Vec<Record>, cursor: u64) -> SyncResponse {
    SyncResponse {
        protocol: PROTOCOL_VERSION,
        acked_seq,
        changes,
        cursor,
        more: false,
        refused: vec![],
        server_time_ms: now_ms(),
        server_epoch: epoch(),
    }
}

/// The test server's epoch (as long as it is not restored).
pub fn epoch() -> Epoch {
    Epoch("00000000000000e1".into())
}

/// The server's clock: the real time.
pub fn now_ms() -> u64 {
    chrono::Utc::now().timestamp_millis() as u64
}

pub fn request(diary: &Diary) -> SyncRequest {
    diary.next_sync_request(MAX_BATCH_BYTES).unwrap()
}

/// Sends one request and applies `answer_for(request)`.
pub fn exchange(diary: &mut Diary, answer_for: impl FnOnce(&SyncRequest) -> SyncResponse) -> SyncRequest {
    let sent = request(diary);
    let response = answer_for(&sent);
    diary.apply_sync_response(&sent, &response).unwrap();
    sent
}

pub fn ack_all(sent: &SyncRequest) -> SyncResponse {
    let acked = sent.push.as_ref().and_then(|p| p.last_seq()).unwrap_or(0);
    answer(acked, vec![], sent.cursor + 1)
}

pub fn timeline_texts(diary: &Diary) -> Vec<String> {
    diary
        .timeline(&TimelineQuery::default())
        .unwrap()
        .entries
        .into_iter()
        .map(|e| match e.entry.body {
            EntryBody::Note(n) => n.text.to_string(),
            other => format!("{other:?}"),
        })
        .collect()
}
