//! Records, batches and enrolled devices for the conformance tests.

use chrono::{DateTime, Duration, Utc};
use convivio_core::catalogue::CatalogueItem;
use convivio_core::entry::{Entry, EntryBody, Note};
use convivio_core::message::Message;
use convivio_core::read_receipt::ReadReceipt;
use convivio_core::sync::PushBatch;
use convivio_core::text::{LongText, ShortText};
use convivio_core::tombstone::Tombstone;
use convivio_core::{Hlc, NodeId, Owner, Record, RecordId, RecordKind, Sharing};
use convivio_server::storage::{Agency, Caregiver, Device, NewEnrolment, Store};
use uuid::Uuid;

/// A version at `wall_ms` from node 1.
pub fn v(wall_ms: u64) -> Hlc {
    Hlc { wall_ms, counter: 0, node: NodeId(1) }
}

/// A shared note, owned by nobody in particular (the store must stamp the owner).
pub fn note(text: &str, version: Hlc) -> Record {
    note_with_id(RecordId::new(), text, version)
}

pub fn note_with_id(id: RecordId, text: &str, version: Hlc) -> Record {
    Record::Entry(Entry {
        id,
        version,
        owner: Owner::caregiver(Uuid::nil()),
        occurred_at: DateTime::parse_from_rfc3339("2026-03-01T09:00:00+01:00").unwrap(),
        recorded_at: DateTime::parse_from_rfc3339("2026-03-01T09:05:00Z").unwrap().to_utc(),
        sharing: Sharing::Agency,
        round: 0,
        body: EntryBody::Note(Note {
            mood: None,
            burden: None,
            text: LongText::parse("text", text).unwrap(),
        }),
    })
}

/// The text of a note.
pub fn text(record: &Record) -> &str {
    match record {
        Record::Entry(Entry { body: EntryBody::Note(n), .. }) => n.text.as_str(),
        other => panic!("expected a note, got a {}", other.kind()),
    }
}

pub fn tombstone(id: RecordId, version: Hlc) -> Record {
    Record::Tombstone(Tombstone {
        id,
        version,
        owner: Owner::caregiver(Uuid::nil()),
        record_kind: RecordKind::Entry,
        round: 0,
        deleted_at: Utc::now(),
    })
}

pub fn staff_message(staff: Uuid, entry_id: RecordId, body: &str) -> Record {
    Record::Message(Message {
        id: RecordId::new(),
        version: v(100),
        owner: Owner::staff(staff),
        entry_id,
        body: LongText::parse("body", body).unwrap(),
        sent_at: Utc::now(),
    })
}

/// The first time staff member `staff` opened `entry_id`.
pub fn read_receipt(staff: Uuid, entry_id: RecordId) -> Record {
    Record::ReadReceipt(ReadReceipt {
        id: RecordId::new(),
        version: v(100),
        owner: Owner::staff(staff),
        entry_id,
        reader_name: ShortText::parse("reader_name", "Giulia Bianchi").unwrap(),
        read_at: Utc::now(),
    })
}

pub fn catalogue_item(agency: Uuid, name: &str) -> Record {
    Record::CatalogueItem(CatalogueItem {
        id: RecordId::new(),
        version: v(100),
        owner: Owner::agency(agency),
        name: ShortText::parse("name", name).unwrap(),
        description: None,
        active: true,
    })
}

pub fn batch(first_seq: u64, changes: &[Record]) -> PushBatch {
    PushBatch { first_seq, changes: changes.to_vec() }
}

/// `n` fresh notes.
pub fn notes(n: usize) -> Vec<Record> {
    (0..n).map(|i| note(&format!("note {i}"), v(10 + i as u64))).collect()
}

pub fn ids(records: &[Record]) -> Vec<RecordId> {
    records.iter().map(Record::id).collect()
}

/// An agency with one caregiver.
pub async fn agency<S: Store>(store: &S) -> (Agency, Caregiver) {
    let agency = store.create_agency(&format!("Agency {}", Uuid::now_v7())).await.unwrap();
    let caregiver = store.create_caregiver(agency.id, "Maria R.").await.unwrap();
    (agency, caregiver)
}

/// A code for `caregiver` that expires `ttl` from now; returns its hash.
pub async fn code<S: Store>(store: &S, caregiver: &Caregiver, ttl: Duration) -> String {
    let code_hash = format!("code-{}", Uuid::now_v7());
    let enrolment = NewEnrolment {
        code_hash: code_hash.clone(),
        caregiver_id: caregiver.id,
        expires_at: Utc::now() + ttl,
    };
    store.create_enrolment(enrolment).await.unwrap();
    code_hash
}

/// A newly enrolled device of `caregiver`.
pub async fn device<S: Store>(store: &S, caregiver: &Caregiver) -> Device {
    let code_hash = code(store, caregiver, Duration::days(7)).await;
    let token = format!("token-{}", Uuid::now_v7());
    store.redeem_enrolment(&code_hash, Utc::now(), &token).await.unwrap().device
}

/// Everything `device` can pull from `cursor` on, paging by `limit`; returns the new cursor.
pub async fn pull_all<S: Store>(store: &S, device: &Device, cursor: u64, limit: u32) -> (Vec<Record>, u64) {
    let (mut records, mut cursor) = (Vec::new(), cursor);
    loop {
        let page = store.pull(device, cursor, limit, usize::MAX).await.unwrap();
        assert!(page.records.len() <= limit as usize);
        records.extend(page.records);
        cursor = page.cursor;
        if !page.more {
            return (records, cursor);
        }
    }
}
