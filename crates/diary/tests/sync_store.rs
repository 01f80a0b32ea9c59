//! The store side of sync, without a network: enrolment, building requests, applying acks,
//! the cursor, failures and recovering from a gap.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

mod common;

use common::*;
use convivio_core::sync::PROTOCOL_VERSION;
use convivio_core::{Owner, Record};
use convivio_diary::sync::MAX_BATCH_BYTES;
use convivio_diary::{Diary, DiaryError};
use uuid::Uuid;

#[test]
fn enrolment_makes_the_servers_caregiver_the_owner_of_every_record() {
    let (_dir, mut diary) = new_diary();
    let provisional = diary.caregiver().id;
    let shared = diary.add_entry(&note("shared before enrolment", "agency")).unwrap();
    diary.add_entry(&note("private before enrolment", "private")).unwrap();
    diary.update_entry(shared.id, &note("edited before enrolment", "agency")).unwrap();
    let gone = diary.add_entry(&note("deleted before enrolment", "agency")).unwrap();
    diary.delete_entry(gone.id).unwrap();
    diary.set_profile(&serde_json::from_value(serde_json::json!({"age_band": "65-79"})).unwrap()).unwrap();

    let caregiver = Uuid::now_v7();
    enrol(&mut diary, caregiver);

    assert_eq!(diary.caregiver(), Owner::caregiver(caregiver));
    let c = diary.connection();
    for table in ["entries", "records", "tombstones", "history", "outbox", "device_state"] {
        let column = match table {
            "outbox" => "payload",
            "device_state" => "caregiver_id",
            _ => "body",
        };
        let left: i64 = c
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE {column} LIKE ?1"),
                [format!("%{provisional}%")],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0, "{table} still names the provisional caregiver");
    }
    assert!(diary.outbox(100).unwrap().iter().all(|i| i.record.owner() == Owner::caregiver(caregiver)));
    assert_eq!(diary.entry(shared.id).unwrap().owner, Owner::caregiver(caregiver));
    assert_eq!(diary.entry_history(shared.id).unwrap()[0].owner, Owner::caregiver(caregiver));
    let new = diary.add_entry(&note("after enrolment", "agency")).unwrap();
    assert_eq!(new.owner, Owner::caregiver(caregiver), "new records belong to the server's caregiver");
}

#[test]
fn the_enrolment_survives_closing_and_reopening_the_diary() {
    let (dir, mut diary) = new_diary();
    let caregiver = Uuid::now_v7();
    let device = enrol(&mut diary, caregiver);
    drop(diary);
    let diary = Diary::open(dir.path(), PASS).unwrap();
    let link = diary.sync_link().unwrap();
    assert_eq!((link.device_id, link.cursor, link.acked_seq), (device, 0, 0));
    assert_eq!(link.token(), "ab".repeat(32));
    assert!(!format!("{link:?}").contains(&"ab".repeat(32)), "Debug never prints the token");
    assert_eq!(diary.caregiver(), Owner::caregiver(caregiver));
}

#[test]
fn a_diary_that_is_not_enrolled_builds_no_request() {
    let (_dir, diary) = new_diary();
    assert!(matches!(diary.next_sync_request(MAX_BATCH_BYTES), Err(DiaryError::NotEnrolled)));
    assert_eq!(diary.sync_status().unwrap().state, "not_enrolled");
}

#[test]
fn the_first_request_pushes_the_outbox_from_one_and_pulls_from_zero() {
    let (_dir, mut diary) = new_diary();
    for i in 0..3 {
        diary.add_entry(&note(&format!("shared {i}"), "agency")).unwrap();
        diary.add_entry(&note(&format!("private {i}"), "private")).unwrap();
    }
    let device = enrol(&mut diary, Uuid::now_v7());
    let sent = request(&diary);
    assert_eq!((sent.protocol, sent.device_id, sent.cursor), (PROTOCOL_VERSION, device, 0));
    let push = sent.push.unwrap();
    assert_eq!((push.first_seq, push.changes.len()), (1, 3), "private entries never leave");
    assert_eq!(sent.pull_limit, diary.sync_link().unwrap().batch_size);
}

#[test]
fn a_request_holds_at_most_the_batch_size_and_about_the_byte_budget() {
    let (_dir, mut diary) = new_diary();
    enrol(&mut diary, Uuid::now_v7());
    for i in 0..10 {
        diary.add_entry(&note(&format!("entry number {i} {}", "words ".repeat(50)), "agency")).unwrap();
    }
    diary.set_sync_batch_size(4).unwrap();
    assert_eq!(request(&diary).push.unwrap().changes.len(), 4);
    assert_eq!(diary.next_sync_request(1).unwrap().push.unwrap().changes.len(), 1, "never fewer than one");
    let one = serde_json::to_string(&diary.outbox(1).unwrap()[0].record).unwrap().len();
    assert_eq!(diary.next_sync_request(one * 5 / 2).unwrap().push.unwrap().changes.len(), 2);
}

#[test]
fn an_ack_drops_the_confirmed_changes_and_the_next_request_starts_after_them() {
    let (_dir, mut diary) = new_diary();
    enrol(&mut diary, Uuid::now_v7());
    for i in 0..5 {
        diary.add_entry(&note(&format!("shared {i}"), "agency")).unwrap();
    }
    exchange(&mut diary, |_| answer(3, vec![], 1));
    assert_eq!(diary.outbox_len().unwrap(), 2);
    assert_eq!(diary.sync_link().unwrap().acked_seq, 3);
    let next = request(&diary).push.unwrap();
    assert_eq!((next.first_seq, next.changes.len()), (4, 2));
    let status = diary.sync_status().unwrap();
    assert_eq!((status.state, status.waiting), ("active", 2));
    assert!(status.last_success_at.is_some());
    assert!(status.describe().contains("2 changes are waiting"), "{}", status.describe());
}

#[test]
fn a_replayed_answer_changes_nothing() {
    let (_dir, mut diary) = new_diary();
    let caregiver = Uuid::now_v7();
    enrol(&mut diary, caregiver);
    diary.add_entry(&note("mine", "agency")).unwrap();
    let theirs = entry_from_elsewhere(caregiver, 1_000, "from the tablet");
    let sent = request(&diary);
    let response = answer(1, vec![Record::Entry(theirs.clone())], 7);
    let first = diary.apply_sync_response(&sent, &response).unwrap();
    assert_eq!((first.acked, first.stored), (1, 1));
    let again = diary.apply_sync_response(&sent, &response).unwrap();
    assert_eq!((again.acked, again.stored, again.already_had), (0, 0, 1));
    assert_eq!(diary.entry_count().unwrap(), 2);
    assert!(diary.entry_history(theirs.id).unwrap().is_empty());
}

#[test]
fn the_cursor_and_the_ack_never_move_back() {
    let (_dir, mut diary) = new_diary();
    enrol(&mut diary, Uuid::now_v7());
    diary.add_entry(&note("one", "agency")).unwrap();
    exchange(&mut diary, |_| answer(1, vec![], 10));
    exchange(&mut diary, |_| answer(0, vec![], 4));
    let link = diary.sync_link().unwrap();
    assert_eq!((link.cursor, link.acked_seq), (10, 1));
    assert_eq!(request(&diary).cursor, 10);
}

#[test]
fn an_answer_confirming_changes_never_made_is_refused_and_nothing_is_applied() {
    let (_dir, mut diary) = new_diary();
    let caregiver = Uuid::now_v7();
    enrol(&mut diary, caregiver);
    diary.add_entry(&note("one", "agency")).unwrap();
    let sent = request(&diary);
    let theirs = entry_from_elsewhere(caregiver, 1_000, "should not land");
    let err = diary.apply_sync_response(&sent, &answer(99, vec![Record::Entry(theirs)], 5)).unwrap_err();
    assert!(matches!(err, DiaryError::Protocol(_)), "{err}");
    let link = diary.sync_link().unwrap();
    assert_eq!((link.cursor, link.acked_seq), (0, 0));
    assert_eq!((diary.entry_count().unwrap(), diary.outbox_len().unwrap()), (1, 1));
}

#[test]
fn a_gap_below_the_ack_queues_everything_shared_again_from_the_number_asked() {
    let (_dir, mut diary) = new_diary();
    enrol(&mut diary, Uuid::now_v7());
    for i in 0..4 {
        diary.add_entry(&note(&format!("shared {i}"), "agency")).unwrap();
    }
    diary.add_entry(&note("private", "private")).unwrap();
    exchange(&mut diary, ack_all);
    assert_eq!(diary.outbox_len().unwrap(), 0);
    diary.add_entry(&note("after the ack", "agency")).unwrap();

    // The server was restored from a backup and holds only changes 1 and 2.
    diary.resend_from(3).unwrap();
    let push = request(&diary).push.unwrap();
    assert_eq!(push.first_seq, 3);
    assert_eq!(push.changes.len(), 5, "every shared entry once (the waiting one too), never the private one");
    assert_eq!(diary.sync_link().unwrap().cursor, 1, "a gap never touches the cursor");
    let seqs: Vec<u64> = diary.outbox(100).unwrap().iter().map(|i| i.seq).collect();
    assert_eq!(seqs, (3..8).collect::<Vec<_>>(), "numbers stay gap-free");
    let next = diary.add_entry(&note("later", "agency")).unwrap();
    assert!(diary.outbox(100).unwrap().iter().any(|i| i.seq == 8 && i.record.id() == next.id));
}

#[test]
fn a_gap_past_anything_made_is_refused() {
    let (_dir, mut diary) = new_diary();
    enrol(&mut diary, Uuid::now_v7());
    diary.add_entry(&note("one", "agency")).unwrap();
    assert!(matches!(diary.resend_from(7), Err(DiaryError::Protocol(_))));
    assert!(matches!(diary.resend_from(0), Err(DiaryError::Protocol(_))));
}

#[test]
fn enrolling_again_starts_a_new_identity_and_offers_everything_shared_again() {
    let (_dir, mut diary) = new_diary();
    let caregiver = Uuid::now_v7();
    enrol(&mut diary, caregiver);
    for i in 0..3 {
        diary.add_entry(&note(&format!("shared {i}"), "agency")).unwrap();
    }
    exchange(&mut diary, |_| answer(2, vec![], 9));
    diary
        .record_sync_failure("revoked", "disconnected", Some(convivio_diary::sync::Standing::Revoked))
        .unwrap();
    assert!(diary.sync_status().unwrap().revoked);

    let device = enrol(&mut diary, caregiver);
    let link = diary.sync_link().unwrap();
    assert_eq!((link.device_id, link.cursor, link.acked_seq), (device, 0, 0));
    // The code may come from another server, or one restored without these entries: every
    // shared entry goes again, once each (the server merges what it has as a duplicate).
    let push = request(&diary).push.unwrap();
    assert_eq!((push.first_seq, push.changes.len()), (1, 3), "the two confirmed and the waiting one");
    assert_eq!(diary.sync_status().unwrap().state, "active");

    // For another caregiver too.
    enrol(&mut diary, Uuid::now_v7());
    assert_eq!(request(&diary).push.unwrap().changes.len(), 3);
}

#[test]
fn a_failure_is_recorded_in_plain_words_and_keeps_everything() {
    let (_dir, mut diary) = new_diary();
    enrol(&mut diary, Uuid::now_v7());
    diary.add_entry(&note("waiting", "agency")).unwrap();
    diary.record_sync_failure("unreachable", "could not reach the agency's server", None).unwrap();
    let status = diary.sync_status().unwrap();
    assert_eq!(
        (status.state, status.waiting, status.last_error_code.as_deref()),
        ("active", 1, Some("unreachable"))
    );
    assert!(status.describe().contains("last try failed: could not reach"), "{}", status.describe());
    exchange(&mut diary, ack_all);
    let status = diary.sync_status().unwrap();
    assert_eq!((status.last_error, status.waiting), (None, 0), "a success clears the error");
}
