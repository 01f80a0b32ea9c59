//! One entry with the agency's side of it (protocol 3): staff replies, need status changes and
//! read receipts come down with sync; `entry_detail` shows them with the caregiver's replies.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

mod common;

use chrono::{Duration, Utc};
use common::*;
use convivio_core::message::{Message, MessageInput};
use convivio_core::need::NeedStatus;
use convivio_core::need_status::NeedStatusChange;
use convivio_core::read_receipt::ReadReceipt;
use convivio_core::text::{LongText, ShortText};
use convivio_core::tombstone::Tombstone;
use convivio_core::{Hlc, NodeId, Owner, Record, RecordId, RecordKind, Rule};
use convivio_diary::{Diary, DiaryError, Journey, Side, TimelineQuery};
use serde_json::json;
use uuid::Uuid;

const STAFF: Uuid = Uuid::from_u128(0x57a);

/// A version written on the server (node 0xaa), `n` ms ago.
fn server_version(ms_ago: u64) -> Hlc {
    Hlc { wall_ms: now_ms() - ms_ago, counter: 0, node: NodeId(0xaa) }
}

fn staff_reply(entry_id: RecordId, body: &str, minutes_ago: i64) -> Record {
    Record::Message(Message {
        id: RecordId::new(),
        version: server_version(minutes_ago as u64 * 60_000),
        owner: Owner::staff(STAFF),
        entry_id,
        body: LongText::parse("body", body).unwrap(),
        sent_at: Utc::now() - Duration::minutes(minutes_ago),
    })
}

fn status(entry_id: RecordId, status: NeedStatus, reason: Option<&str>, minutes_ago: i64) -> Record {
    Record::NeedStatusChange(NeedStatusChange {
        id: RecordId::new(),
        version: server_version(minutes_ago as u64 * 60_000),
        owner: Owner::staff(STAFF),
        entry_id,
        status,
        reason: reason.map(|r| LongText::parse("reason", r).unwrap()),
        changed_at: Utc::now() - Duration::minutes(minutes_ago),
    })
}

fn receipt(entry_id: RecordId, reader: &str, minutes_ago: i64) -> Record {
    Record::ReadReceipt(ReadReceipt {
        id: RecordId::new(),
        version: server_version(minutes_ago as u64 * 60_000),
        owner: Owner::staff(STAFF),
        entry_id,
        reader_name: ShortText::parse("reader_name", reader).unwrap(),
        read_at: Utc::now() - Duration::minutes(minutes_ago),
    })
}

/// An enrolled diary with one need shared with the agency (and already sent).
fn diary_with_a_shared_need() -> (tempfile::TempDir, Diary, RecordId) {
    let (dir, mut diary) = new_diary();
    enrol(&mut diary, Uuid::now_v7());
    let need = diary
        .add_entry(&input(
            json!({"kind": "need", "category": "respite", "text": "a weekend off", "sharing": "agency"}),
        ))
        .unwrap();
    exchange(&mut diary, ack_all);
    (dir, diary, need.id)
}

fn pull(diary: &mut Diary, changes: Vec<Record>) -> convivio_diary::sync::Applied {
    let sent = request(diary);
    let cursor = sent.cursor + 1;
    diary.apply_sync_response(&sent, &answer(0, changes, cursor)).unwrap()
}

fn stored_receipts(diary: &Diary) -> i64 {
    diary
        .connection()
        .query_row("SELECT count(*) FROM records WHERE kind = 'read_receipt'", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn the_agencys_replies_status_changes_and_read_receipts_make_up_the_entry_detail() {
    let (_dir, mut diary, need) = diary_with_a_shared_need();
    let read = receipt(need, "Giulia Bianchi", 50);
    let applied = pull(
        &mut diary,
        vec![
            status(need, NeedStatus::NotMet, Some("No respite places before January."), 10),
            staff_reply(need, "We can send someone on Saturday morning.", 40),
            read.clone(),
            status(need, NeedStatus::Acknowledged, None, 45),
        ],
    );
    assert_eq!((applied.stored, applied.refused_from_server), (4, 0));
    let mine = diary
        .add_message(&MessageInput { entry_id: need.to_string(), body: "Saturday is fine".into() })
        .unwrap();

    let detail = diary.entry_detail(need).unwrap();
    assert_eq!(detail.entry.id, need);
    let thread: Vec<(Side, &str)> = detail.thread.iter().map(|m| (m.from, m.message.body.as_str())).collect();
    assert_eq!(
        thread,
        [(Side::Agency, "We can send someone on Saturday morning."), (Side::Mine, "Saturday is fine")],
        "both sides, oldest first"
    );
    assert_eq!(detail.thread[1].message, mine);
    let history: Vec<NeedStatus> = detail.status_history.iter().map(|s| s.status).collect();
    assert_eq!(history, [NeedStatus::Acknowledged, NeedStatus::NotMet], "oldest first");
    assert_eq!(detail.status, NeedStatus::NotMet, "the latest change is the status");
    assert_eq!(
        detail.read_receipts.iter().map(|r| Record::ReadReceipt(r.clone())).collect::<Vec<_>>(),
        [read]
    );

    let json = serde_json::to_value(&detail).unwrap();
    let keys: std::collections::BTreeSet<&str> =
        json.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["entry", "journey", "read_receipts", "status", "status_history", "thread"].into(),
        "stable names"
    );
    assert_eq!(
        (json["status"].as_str(), json["thread"][0]["from"].as_str()),
        (Some("not_met"), Some("agency"))
    );
    assert_eq!(json["thread"][1]["from"], "mine");
    assert_eq!(json["status_history"][1]["reason"], "No respite places before January.");
    assert_eq!(json["read_receipts"][0]["reader_name"], "Giulia Bianchi");
}

#[test]
fn a_need_nobody_answered_is_open_and_an_unknown_or_deleted_entry_is_not_found() {
    let (_dir, mut diary, need) = diary_with_a_shared_need();
    let detail = diary.entry_detail(need).unwrap();
    assert_eq!(detail.status, NeedStatus::Open);
    assert!(detail.thread.is_empty() && detail.status_history.is_empty() && detail.read_receipts.is_empty());
    assert!(matches!(diary.entry_detail(RecordId::new()), Err(DiaryError::NotFound { kind: "entry", .. })));
    diary.delete_entry(need).unwrap();
    assert!(matches!(diary.entry_detail(need), Err(DiaryError::NotFound { kind: "entry", .. })));
}

#[test]
fn a_read_receipt_whose_entry_is_absent_or_another_caregivers_is_not_stored() {
    let (_dir, mut diary, need) = diary_with_a_shared_need();
    let someone_else = entry_from_elsewhere(Uuid::now_v7(), now_ms() - 1_000, "not this caregiver's");
    let applied = pull(
        &mut diary,
        vec![
            Record::Entry(someone_else.clone()),
            receipt(RecordId::new(), "Giulia Bianchi", 3),
            receipt(someone_else.id, "Giulia Bianchi", 2),
            receipt(need, "Giulia Bianchi", 1),
        ],
    );
    assert_eq!((applied.stored, applied.refused_from_server), (2, 2), "{applied:?}");
    assert_eq!(stored_receipts(&diary), 1, "only the one under the caregiver's own entry");
    assert_eq!(diary.read_receipts(need).unwrap().len(), 1);
    assert!(diary.read_receipts(someone_else.id).unwrap().is_empty());
}

#[test]
fn a_read_receipt_that_comes_before_its_entry_in_one_answer_is_kept() {
    let (_dir, mut diary) = new_diary();
    let caregiver = Uuid::now_v7();
    enrol(&mut diary, caregiver);
    // Written on the tablet and read by staff; the tablet's later edit moved the entry behind
    // the receipt in the server's feed.
    let edited = entry_from_elsewhere(caregiver, now_ms() - 1_000, "from the tablet, edited");
    let applied =
        pull(&mut diary, vec![receipt(edited.id, "Giulia Bianchi", 2), Record::Entry(edited.clone())]);
    assert_eq!((applied.stored, applied.refused_from_server), (2, 0), "{applied:?}");
    assert_eq!(diary.read_receipts(edited.id).unwrap().len(), 1);
}

#[test]
fn a_read_receipt_never_enters_the_outbox_not_even_when_everything_is_queued_again() {
    let (_dir, mut diary, need) = diary_with_a_shared_need();
    pull(&mut diary, vec![receipt(need, "Giulia Bianchi", 1)]);
    assert_eq!(diary.outbox_len().unwrap(), 0);
    assert_eq!(stored_receipts(&diary), 1);
    // Enrolled again: everything the agency may hold is queued again, but not its receipts.
    let caregiver = diary.caregiver().id;
    enrol(&mut diary, caregiver);
    let queued: Vec<RecordKind> = diary.outbox(100).unwrap().iter().map(|i| i.record.kind()).collect();
    assert_eq!(queued, [RecordKind::Entry], "the need again, and nothing of the agency's");
}

#[test]
fn deleting_an_entry_here_or_on_another_device_removes_its_read_receipts() {
    let (_dir, mut diary, need) = diary_with_a_shared_need();
    let other = diary.add_entry(&note("read too", "agency")).unwrap();
    exchange(&mut diary, ack_all);
    pull(&mut diary, vec![receipt(need, "Giulia Bianchi", 2), receipt(other.id, "Marco Neri", 1)]);
    assert_eq!(stored_receipts(&diary), 2);

    diary.delete_entry(need).unwrap();
    assert_eq!(stored_receipts(&diary), 1, "the deleted entry's receipt went with it");
    assert!(diary.read_receipts(need).unwrap().is_empty());

    let deleted_on_the_tablet = Tombstone {
        id: other.id,
        version: Hlc { wall_ms: now_ms(), counter: 0, node: NodeId(77) },
        owner: diary.caregiver(),
        record_kind: RecordKind::Entry,
        round: 0,
        deleted_at: Utc::now(),
    };
    pull(&mut diary, vec![Record::Tombstone(deleted_on_the_tablet)]);
    assert_eq!(stored_receipts(&diary), 0, "a deletion pulled from a sibling takes them too");
}

#[test]
fn a_reply_to_an_unknown_or_deleted_entry_names_entry_id() {
    let (_dir, mut diary, need) = diary_with_a_shared_need();
    diary.delete_entry(need).unwrap();
    for id in [RecordId::new(), need] {
        let err =
            diary.add_message(&MessageInput { entry_id: id.to_string(), body: "hello?".into() }).unwrap_err();
        assert_eq!((err.field(), err.rule()), (Some("entry_id"), Some(Rule::UnknownChoice)), "{err}");
    }
    assert_eq!(diary.outbox_len().unwrap(), 1, "only the deletion waits");
}

#[test]
fn the_export_of_my_data_holds_who_read_my_entries() {
    let (_dir, mut diary, need) = diary_with_a_shared_need();
    pull(&mut diary, vec![receipt(need, "Giulia Bianchi", 1)]);
    let out = tempfile::tempdir().unwrap();
    diary.export_mine(out.path()).unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("convivio-export.json")).unwrap()).unwrap();
    let receipts: Vec<&serde_json::Value> =
        json["records"].as_array().unwrap().iter().filter(|r| r["record"] == "read_receipt").collect();
    assert_eq!(receipts.len(), 1);
    assert_eq!(
        (receipts[0]["entry_id"].as_str(), receipts[0]["reader_name"].as_str()),
        (Some(need.to_string().as_str()), Some("Giulia Bianchi"))
    );
}

#[test]
fn an_entrys_journey_goes_from_waiting_to_received_read_and_answered_and_back_to_waiting_when_edited() {
    let (_dir, mut diary) = new_diary();
    enrol(&mut diary, Uuid::now_v7());
    let private =
        diary.add_entry(&input(json!({"kind": "note", "text": "mine alone", "sharing": "private"}))).unwrap();
    let need = diary
        .add_entry(&input(
            json!({"kind": "need", "category": "transport", "text": "a lift", "sharing": "agency"}),
        ))
        .unwrap();
    let journey = |diary: &Diary, id| diary.entry_detail(id).unwrap().journey;
    assert_eq!(journey(&diary, private.id), Journey::OnlyHere);
    assert_eq!(journey(&diary, need.id), Journey::Waiting, "not sent yet");

    exchange(&mut diary, ack_all);
    assert_eq!(journey(&diary, private.id), Journey::OnlyHere, "a private entry never leaves");
    assert_eq!(journey(&diary, need.id), Journey::Received);

    pull(&mut diary, vec![receipt(need.id, "Giulia Neri", 30), receipt(need.id, "Marco Riva", 10)]);
    match journey(&diary, need.id) {
        Journey::Read { by, readers, .. } => {
            assert_eq!((by.as_str(), readers), ("Giulia Neri", 2), "the first reader")
        }
        other => panic!("read, not {other:?}"),
    }
    diary.add_message(&MessageInput { entry_id: need.id.to_string(), body: "thank you".into() }).unwrap();
    assert!(
        matches!(journey(&diary, need.id), Journey::Read { .. }),
        "the caregiver's own reply is no answer"
    );
    exchange(&mut diary, ack_all);
    pull(&mut diary, vec![staff_reply(need.id, "We come on Tuesday", 5)]);
    assert!(matches!(journey(&diary, need.id), Journey::Answered { .. }), "{:?}", journey(&diary, need.id));
    let json = serde_json::to_value(diary.entry_detail(need.id).unwrap()).unwrap();
    assert_eq!(json["journey"]["state"], "answered");

    diary
        .update_entry(
            need.id,
            &input(json!({"kind": "need", "category": "transport", "text": "a lift, Tuesday", "sharing": "agency"})),
        )
        .unwrap();
    assert_eq!(journey(&diary, need.id), Journey::Waiting, "the agency has not seen this version");
    exchange(&mut diary, ack_all);

    // The timeline says the same of each entry, beside the entry's own fields.
    let page = diary.timeline(&TimelineQuery::default()).unwrap();
    let shown: Vec<(RecordId, Journey)> =
        page.entries.iter().map(|e| (e.entry.id, e.journey.clone())).collect();
    assert_eq!(shown.len(), 2);
    for (id, journey) in &shown {
        assert_eq!(*journey, diary.entry_detail(*id).unwrap().journey);
    }
    assert!(shown.iter().any(|(id, j)| *id == need.id && matches!(j, Journey::Answered { .. })), "{shown:?}");
    let json = serde_json::to_value(&page).unwrap();
    let need_json =
        json["entries"].as_array().unwrap().iter().find(|e| e["id"] == need.id.to_string()).unwrap();
    assert_eq!(
        (need_json["kind"].as_str(), need_json["journey"]["state"].as_str()),
        (Some("need"), Some("answered"))
    );
}
