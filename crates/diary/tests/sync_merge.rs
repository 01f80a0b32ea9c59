//! Merging what sync pulls: entries and deletions from the caregiver's other devices (the higher
//! version wins, the loser is kept in history), the agency's records, and the clock.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

mod common;

use common::*;
use convivio_core::entry::Entry;
use convivio_core::tombstone::Tombstone;
use convivio_core::{Hlc, NodeId, Owner, Record, RecordKind};
use uuid::Uuid;

#[test]
fn an_entry_from_another_device_is_in_the_timeline_and_search_but_not_queued() {
    let (_dir, mut diary) = new_diary();
    let caregiver = Uuid::now_v7();
    enrol(&mut diary, caregiver);
    let theirs = entry_from_elsewhere(caregiver, 1_000, "written on the tablet");
    exchange(&mut diary, |_| answer(0, vec![Record::Entry(theirs.clone())], 1));
    assert_eq!(diary.entry(theirs.id).unwrap(), theirs);
    assert_eq!(diary.search("tablet", 10).unwrap(), vec![theirs]);
    assert_eq!(diary.outbox_len().unwrap(), 0, "not ours to send");
}

#[test]
fn concurrent_edits_the_higher_version_wins_and_the_other_is_kept_in_history() {
    let (_dir, mut diary) = new_diary();
    let caregiver = Uuid::now_v7();
    enrol(&mut diary, caregiver);
    let mine = diary.add_entry(&note("my words", "agency")).unwrap();

    let newer = Entry {
        body: note("tablet words", "agency").parse(chrono::Local::now().fixed_offset()).unwrap().body,
        ..remote_version_of(&mine, mine.version.wall_ms + 10)
    };
    exchange(&mut diary, |_| answer(0, vec![Record::Entry(newer.clone())], 1));
    assert_eq!(diary.entry(mine.id).unwrap(), newer);
    assert_eq!(diary.entry_history(mine.id).unwrap(), vec![mine.clone()]);
    assert_eq!(diary.search("tablet", 10).unwrap().len(), 1);
    assert!(diary.search("my", 10).unwrap().is_empty(), "the index follows the winner");

    let older = remote_version_of(&mine, 1);
    let applied = diary
        .apply_sync_response(&request(&diary), &answer(0, vec![Record::Entry(older.clone())], 2))
        .unwrap();
    assert_eq!(applied.kept_as_history, 1);
    assert_eq!(diary.entry(mine.id).unwrap(), newer, "an older version never wins");
    assert!(diary.entry_history(mine.id).unwrap().contains(&older), "the loser is kept, not dropped");
}

#[test]
fn a_deletion_from_another_device_removes_the_entry_from_timeline_and_search() {
    let (_dir, mut diary) = new_diary();
    let caregiver = Uuid::now_v7();
    enrol(&mut diary, caregiver);
    let mine = diary.add_entry(&note("to be deleted elsewhere", "agency")).unwrap();
    diary.add_entry(&note("stays", "agency")).unwrap();
    let deletion = Tombstone {
        id: mine.id,
        version: Hlc { wall_ms: mine.version.wall_ms + 5, counter: 0, node: NodeId(77) },
        owner: Owner::caregiver(caregiver),
        record_kind: RecordKind::Entry,
        round: 0,
        deleted_at: chrono::Utc::now(),
    };
    exchange(&mut diary, |_| answer(0, vec![Record::Tombstone(deletion.clone())], 1));
    assert_eq!(timeline_texts(&diary), vec!["stays"]);
    assert!(diary.search("deleted", 10).unwrap().is_empty());
    assert_eq!(diary.entry_history(mine.id).unwrap(), vec![mine.clone()], "the last version is kept");

    // No edit of the deleted round brings it back, whatever its clock; sharing it again in the
    // next round (after a withdrawal elsewhere) does.
    let stale = remote_version_of(&mine, mine.version.wall_ms + 1);
    exchange(&mut diary, |_| answer(0, vec![Record::Entry(stale)], 2));
    let later_clock = remote_version_of(&mine, mine.version.wall_ms + 9);
    exchange(&mut diary, |_| answer(0, vec![Record::Entry(later_clock)], 3));
    assert_eq!(timeline_texts(&diary), vec!["stays"]);
    let revived = Entry { round: 1, ..remote_version_of(&mine, mine.version.wall_ms + 10) };
    exchange(&mut diary, |_| answer(0, vec![Record::Entry(revived.clone())], 4));
    assert_eq!(diary.entry(mine.id).unwrap(), revived);
    assert_eq!(diary.search("deleted", 10).unwrap(), vec![revived]);
}

#[test]
fn a_pulled_withdrawal_wins_over_a_local_edit_that_never_saw_it_and_the_edit_stays_home() {
    let (_dir, mut diary) = new_diary();
    let caregiver = Uuid::now_v7();
    enrol(&mut diary, caregiver);
    let shared = diary.add_entry(&note("shared from here", "agency")).unwrap();
    exchange(&mut diary, ack_all);
    // This device edits it, with a clock far ahead of the device that withdrew it meanwhile.
    let edited = diary.update_entry(shared.id, &note("an edit the agency must not get", "agency")).unwrap();
    assert!(diary.is_queued(shared.id).unwrap());
    let withdrawal = Tombstone {
        id: shared.id,
        version: Hlc { wall_ms: 1, counter: 0, node: NodeId(77) },
        owner: Owner::caregiver(caregiver),
        record_kind: RecordKind::Entry,
        round: 0,
        deleted_at: chrono::Utc::now(),
    };
    let sent = request(&diary);
    let applied =
        diary.apply_sync_response(&sent, &answer(0, vec![Record::Tombstone(withdrawal.clone())], 1)).unwrap();
    assert_eq!(applied.stored, 1, "the withdrawal wins");
    assert!(diary.entry(shared.id).is_err(), "the entry left this device's timeline");
    assert!(diary.entry_history(shared.id).unwrap().contains(&edited), "the caregiver's edit is kept here");
    let queued = diary.outbox(10).unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].record, Record::Tombstone(withdrawal), "the queued edit became the withdrawal");
}

#[test]
fn the_clock_observes_every_pulled_version() {
    let (_dir, mut diary) = new_diary();
    let caregiver = Uuid::now_v7();
    enrol(&mut diary, caregiver);
    let far_future = chrono::Utc::now().timestamp_millis() as u64 + 5 * 60_000;
    let theirs = entry_from_elsewhere(caregiver, far_future, "from a device with a fast clock");
    exchange(&mut diary, |_| answer(0, vec![Record::Entry(theirs.clone())], 1));
    let mine = diary.update_entry(theirs.id, &note("edited here after", "agency")).unwrap();
    assert!(mine.version > theirs.version, "a local edit after a pulled one orders after it");
}

#[test]
fn agency_records_arrive_with_sync() {
    let (_dir, mut diary) = new_diary();
    enrol(&mut diary, Uuid::now_v7());
    let entry = diary.add_entry(&note("please call me", "agency")).unwrap();
    let reply = convivio_core::message::Message {
        id: convivio_core::RecordId::new(),
        version: Hlc { wall_ms: 5, counter: 0, node: NodeId(1) },
        owner: Owner::staff(Uuid::now_v7()),
        entry_id: entry.id,
        body: convivio_core::text::LongText::parse("body", "we will call tomorrow").unwrap(),
        sent_at: chrono::Utc::now(),
    };
    exchange(&mut diary, |_| answer(1, vec![Record::Message(reply.clone())], 1));
    assert_eq!(diary.messages(entry.id).unwrap(), vec![reply]);
}

#[test]
fn two_devices_of_one_caregiver_converge_through_their_outboxes() {
    let caregiver = Uuid::now_v7();
    let (_a_dir, mut phone) = new_diary();
    let (_b_dir, mut tablet) = new_diary();
    enrol(&mut phone, caregiver);
    enrol(&mut tablet, caregiver);
    let written = phone.add_entry(&note("from the phone", "agency")).unwrap();
    tablet.add_entry(&note("from the tablet", "research")).unwrap();
    phone.add_entry(&note("phone only", "private")).unwrap();
    // A relay in place of the server: each device's push is the other's pull.
    let from_phone = request(&phone).push.unwrap().changes;
    let from_tablet = request(&tablet).push.unwrap().changes;
    exchange(&mut phone, |_| answer(1, from_tablet, 1));
    exchange(&mut tablet, |_| answer(1, from_phone, 1));
    let deleted = phone.delete_entry(written.id).unwrap();
    let pushed = exchange(&mut phone, ack_all).push.unwrap().changes;
    assert_eq!(pushed, vec![Record::Tombstone(deleted)]);
    exchange(&mut tablet, |_| answer(1, pushed, 2));
    assert_eq!(timeline_texts(&tablet), vec!["from the tablet"]);
    assert_eq!(timeline_texts(&phone), vec!["phone only", "from the tablet"]);
}
