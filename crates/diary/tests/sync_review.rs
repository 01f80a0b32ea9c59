//! Regressions from the security review of the sync spine (issue 7), on the device's side,
//! without a network: a clock that runs ahead, a restored server, refused changes, and a pulled
//! version that would have locked the diary.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

mod common;

use common::*;
use convivio_core::entry::Entry;
use convivio_core::sync::{Epoch, Refusal, RefusalCode};
use convivio_core::{Hlc, Record};
use convivio_diary::Diary;
use uuid::Uuid;

const HOUR_MS: u64 = 3_600_000;

#[test]
fn a_clock_ahead_refusal_makes_the_waiting_versions_anew_without_losing_or_doubling_anything() {
    let (dir, mut diary) = new_diary();
    enrol(&mut diary, Uuid::now_v7());
    let first = diary.add_entry(&note("first", "agency")).unwrap();
    let edited = diary.update_entry(first.id, &note("first, edited", "agency")).unwrap();
    let second = diary.add_entry(&note("second", "agency")).unwrap();
    diary.add_entry(&note("only here", "private")).unwrap();
    // The server's clock is three hours behind this device's.
    let server_ms = now_ms() - 3 * HOUR_MS;
    let anew = diary.correct_clock(server_ms).unwrap();
    assert_eq!(anew, 3, "the waiting versions: two entries and an edit (the private entry never left)");

    let queued = diary.outbox(10).unwrap();
    assert_eq!(queued.len(), 3, "nothing doubled");
    for item in &queued {
        let v = item.record.version();
        assert!(v.wall_ms < server_ms + 60_000, "{v} is made anew by the server's clock");
    }
    let versions: Vec<Hlc> = queued.iter().map(|i| i.record.version()).collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "in the same order as before");
    let current = diary.entry(first.id).unwrap();
    assert_eq!(
        Record::Entry(current.clone()),
        queued[1].record,
        "the stored entry and its queued copy agree"
    );
    assert_eq!(current.body, edited.body, "nothing lost");
    assert_eq!(diary.entry_history(first.id).unwrap()[0].version, queued[0].record.version());
    assert_eq!(diary.entry(second.id).unwrap().version, queued[2].record.version());

    // New versions follow the corrected clock, and survive reopening the diary.
    let later = diary.add_entry(&note("written after", "agency")).unwrap();
    assert!(later.version > queued[2].record.version());
    assert!(later.version.wall_ms < server_ms + 60_000);
    drop(diary);
    let mut diary = Diary::open(dir.path(), PASS).unwrap();
    let after_reopen = diary.add_entry(&note("after reopening", "agency")).unwrap();
    assert!(after_reopen.version > later.version && after_reopen.version.wall_ms < server_ms + 60_000);
}

#[test]
fn every_answer_teaches_the_device_the_servers_time() {
    let (_dir, mut diary) = new_diary();
    enrol(&mut diary, Uuid::now_v7());
    // The server says it is two days later than this device thinks.
    let sent = request(&diary);
    let mut answer = ack_all(&sent);
    answer.server_time_ms = now_ms() + 48 * HOUR_MS;
    diary.apply_sync_response(&sent, &answer).unwrap();
    let entry = diary.add_entry(&note("ordered by the agency's time", "agency")).unwrap();
    assert!(entry.version.wall_ms >= now_ms() + 47 * HOUR_MS, "{}", entry.version);
}

#[test]
fn a_restored_server_is_noticed_by_its_epoch_and_offered_again_what_it_lost() {
    let (_dir, mut diary) = new_diary();
    enrol(&mut diary, Uuid::now_v7());
    for i in 0..3 {
        diary.add_entry(&note(&format!("entry {i}"), "agency")).unwrap();
    }
    diary.add_entry(&note("private", "private")).unwrap();
    let sent = request(&diary);
    diary.apply_sync_response(&sent, &answer(3, vec![], 40)).unwrap();
    assert_eq!(diary.outbox_len().unwrap(), 0);

    // The server comes back from a backup taken after the first change: it has only change 1.
    let sent = request(&diary);
    let mut restored = answer(1, vec![], 12);
    restored.server_epoch = Epoch("00000000000000e2".into());
    let applied = diary.apply_sync_response(&sent, &restored).unwrap();
    assert!(applied.restarted);
    let link = diary.sync_link().unwrap();
    assert_eq!((link.cursor, link.acked_seq), (0, 1), "pull from the start; the ack is the server's");
    assert_eq!(link.server_epoch.as_deref(), Some("00000000000000e2"));
    let push = request(&diary).push.unwrap();
    assert_eq!(push.first_seq, 2);
    assert_eq!(push.changes.len(), 3, "every shared entry once, the private one never");

    // The same epoch again is no restore.
    let sent = request(&diary);
    let mut again = ack_all(&sent);
    again.server_epoch = Epoch("00000000000000e2".into());
    assert!(!diary.apply_sync_response(&sent, &again).unwrap().restarted);
}

#[test]
fn a_refused_change_is_kept_shown_in_the_status_and_cleared_when_a_later_version_goes_through() {
    let (_dir, mut diary) = new_diary();
    enrol(&mut diary, Uuid::now_v7());
    let entry = diary.add_entry(&note("the server refuses this version", "agency")).unwrap();
    let sent = request(&diary);
    let mut answer = ack_all(&sent);
    answer.refused = vec![Refusal {
        seq: 1,
        id: entry.id,
        code: RefusalCode::Invalid,
        message: "occurred_at: must not be more than a day in the future".into(),
    }];
    diary.apply_sync_response(&sent, &answer).unwrap();
    assert!(diary.entry(entry.id).is_ok(), "kept on the device");
    let status = diary.sync_status().unwrap();
    assert_eq!(status.refused.len(), 1);
    assert_eq!(
        (status.refused[0].code.as_str(), status.refused[0].record_kind.as_str()),
        ("invalid", "entry")
    );
    assert_eq!(status.refused[0].record_id, entry.id.to_string());
    assert!(status.describe().contains("1 change was refused"), "{}", status.describe());

    diary.update_entry(entry.id, &note("corrected", "agency")).unwrap();
    let sent = request(&diary);
    diary.apply_sync_response(&sent, &ack_all(&sent)).unwrap();
    assert!(diary.sync_status().unwrap().refused.is_empty(), "the corrected version went through");
}

#[test]
fn a_pulled_version_at_the_end_of_time_is_not_stored_and_the_diary_still_opens() {
    let (dir, mut diary) = new_diary();
    let caregiver = Uuid::now_v7();
    enrol(&mut diary, caregiver);
    let bricking: Entry = Entry {
        version: "ffffffffffff-ffffffff-ffffffffffffffff".parse().unwrap(),
        ..entry_from_elsewhere(caregiver, 1, "from a stolen token")
    };
    let sent = request(&diary);
    let applied =
        diary.apply_sync_response(&sent, &answer(0, vec![Record::Entry(bricking.clone())], 1)).unwrap();
    assert_eq!((applied.stored, applied.refused_from_server), (0, 1));
    assert!(diary.entry(bricking.id).is_err());
    let mine = diary.add_entry(&note("still writable", "agency")).unwrap();
    assert!(mine.version.wall_ms < now_ms() + HOUR_MS);
    drop(diary);
    let diary = Diary::open(dir.path(), PASS).unwrap();
    assert_eq!(diary.entry(mine.id).unwrap(), mine, "the diary opens and holds what was written");
}
