//! Pulling: what each device sees, paging, agency-side records, and a feed with no holes.

use std::collections::BTreeSet;

use chrono::Utc;
use convivio_core::sync::RefusalCode;
use convivio_core::{Record, RecordId};
use convivio_server::error::StoreError;
use convivio_server::storage::{Merged, StaffRole, Store};

use crate::fixtures::{
    agency, batch, catalogue_item, device, ids, note, note_with_id, notes, pull_all, staff_message, text, v,
};

pub async fn a_device_does_not_pull_its_own_changes_but_its_sibling_does<S: Store>(store: S) {
    let (_, caregiver) = agency(&store).await;
    let (phone, laptop) = (device(&store, &caregiver).await, device(&store, &caregiver).await);
    let changes = notes(2);
    store.apply_batch(&phone, &batch(1, &changes), Utc::now()).await.unwrap();
    let (own, _) = pull_all(&store, &phone, 0, 100).await;
    assert!(own.is_empty(), "the phone already has what it wrote");
    let (sibling, _) = pull_all(&store, &laptop, 0, 100).await;
    assert_eq!(ids(&sibling), ids(&changes), "oldest first");
}

pub async fn pull_pages_with_more_and_cursor<S: Store>(store: S) {
    let (_, caregiver) = agency(&store).await;
    let (phone, laptop) = (device(&store, &caregiver).await, device(&store, &caregiver).await);
    let changes = notes(5);
    store.apply_batch(&phone, &batch(1, &changes), Utc::now()).await.unwrap();
    let mut cursor = 0;
    let mut seen = Vec::new();
    for (len, more) in [(2, true), (2, true), (1, false)] {
        let page = store.pull(&laptop, cursor, 2, usize::MAX).await.unwrap();
        assert_eq!((page.records.len(), page.more), (len, more), "more only while something waits");
        assert!(page.cursor > cursor);
        seen.extend(ids(&page.records));
        cursor = page.cursor;
    }
    assert_eq!(seen, ids(&changes));
    let idle = store.pull(&laptop, cursor, 2, usize::MAX).await.unwrap();
    assert!(idle.records.is_empty() && !idle.more);
    assert_eq!(idle.cursor, cursor, "nothing new: the cursor stays");

    // An edit moves a record forward in the feed: the sibling gets the new version, once.
    store
        .apply_batch(&phone, &batch(6, &[note_with_id(changes[0].id(), "edited", v(99))]), Utc::now())
        .await
        .unwrap();
    let (again, _) = pull_all(&store, &laptop, cursor, 2).await;
    assert_eq!(again.len(), 1);
    assert_eq!(text(&again[0]), "edited");
}

pub async fn agency_records_reach_the_caregivers_they_are_addressed_to<S: Store>(store: S) {
    let (agency, maria) = agency(&store).await;
    let giulia = store.create_caregiver(agency.id, "Giulia B.").await.unwrap();
    let staff = store.create_staff(agency.id, "anna", "$argon2id$stub", StaffRole::Staff).await.unwrap();
    let (marias_phone, giulias_phone) = (device(&store, &maria).await, device(&store, &giulia).await);
    let entry = notes(1);
    store.apply_batch(&marias_phone, &batch(1, &entry), Utc::now()).await.unwrap();

    let reply = staff_message(staff.id, entry[0].id(), "We will call you tomorrow.");
    let item = catalogue_item(agency.id, "Respite at home");
    let now = Utc::now();
    assert_eq!(
        store.put_agency_record(agency.id, Some(maria.id), &reply, now).await.unwrap(),
        Merged::Current
    );
    assert_eq!(store.put_agency_record(agency.id, None, &item, now).await.unwrap(), Merged::Current);
    assert_eq!(store.put_agency_record(agency.id, None, &item, now).await.unwrap(), Merged::Duplicate);

    let (to_maria, _) = pull_all(&store, &marias_phone, 0, 10).await;
    assert_eq!(ids(&to_maria), [reply.id(), item.id()], "her reply and the catalogue, in order");
    let (to_giulia, _) = pull_all(&store, &giulias_phone, 0, 10).await;
    assert_eq!(ids(&to_giulia), [item.id()], "the catalogue only");

    let (other_agency, _) = crate::fixtures::agency(&store).await;
    let wrong = store.put_agency_record(other_agency.id, Some(maria.id), &reply, now).await;
    assert!(matches!(wrong, Err(StoreError::NotFound { kind: "caregiver", .. })), "got {wrong:?}");
}

pub async fn the_agency_cannot_overwrite_a_caregivers_record<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let phone = device(&store, &caregiver).await;
    let entry = notes(1);
    store.apply_batch(&phone, &batch(1, &entry), Utc::now()).await.unwrap();
    let mut forged = crate::fixtures::tombstone(entry[0].id(), v(1_000));
    if let convivio_core::Record::Tombstone(t) = &mut forged {
        t.owner = convivio_core::Owner::agency(agency.id);
    }
    let refused = store.put_agency_record(agency.id, Some(caregiver.id), &forged, Utc::now()).await;
    assert!(
        matches!(refused, Err(StoreError::Forbidden(_))),
        "the policy: the agency deletes no entry; got {refused:?}"
    );
    let staff = store.create_staff(agency.id, "anna", "$argon2id$x", StaffRole::Staff).await.unwrap();
    let Record::Message(mut message) = crate::fixtures::staff_message(staff.id, entry[0].id(), "hi") else {
        unreachable!("a staff message")
    };
    message.id = entry[0].id();
    let refused =
        store.put_agency_record(agency.id, Some(caregiver.id), &Record::Message(message), Utc::now()).await;
    assert!(
        matches!(refused, Err(StoreError::Forbidden(_))),
        "the record is the caregiver's; got {refused:?}"
    );
    assert_eq!(text(&store.record(agency.id, entry[0].id()).await.unwrap().unwrap()), "note 0");
}

/// A refusal is not a duplicate: it says what may not be done, never "... already exists".
pub async fn a_refused_agency_write_is_forbidden_and_never_said_to_already_exist<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let phone = device(&store, &caregiver).await;
    let entry = notes(1);
    store.apply_batch(&phone, &batch(1, &entry), Utc::now()).await.unwrap();
    // The agency deleting the caregiver's entry.
    let mut forged = crate::fixtures::tombstone(entry[0].id(), v(1_000));
    if let convivio_core::Record::Tombstone(t) = &mut forged {
        t.owner = convivio_core::Owner::agency(agency.id);
    }
    let said = store.put_agency_record(agency.id, Some(caregiver.id), &forged, Utc::now()).await.unwrap_err();
    let message = said.to_string();
    assert!(!message.contains("already exists"), "a refusal reads as a duplicate: {message}");
    assert!(message.contains("cannot change"), "{message}");
    assert!(matches!(said, StoreError::Forbidden(_)), "{said:?}");
}

/// However many records a device asks for, one answer carries at most `max_bytes` of their
/// JSON, and always at least one record; a page cut short says `more`, with the cursor at its
/// last record.
pub async fn pull_stops_at_the_byte_budget_with_more_and_the_last_cursor<S: Store>(store: S) {
    let (_, caregiver) = agency(&store).await;
    let (phone, laptop) = (device(&store, &caregiver).await, device(&store, &caregiver).await);
    let changes: Vec<_> =
        (0..5).map(|i| note(&format!("{i} {}", "parole ".repeat(150)), v(10 + i))).collect();
    store.apply_batch(&phone, &batch(1, &changes), Utc::now()).await.unwrap();
    let one = serde_json::to_string(&changes[0]).unwrap().len();
    let budget = one * 5 / 2;
    let (mut cursor, mut seen) = (0, Vec::new());
    for (len, more, next) in [(2, true, 2), (2, true, 4), (1, false, 5)] {
        let page = store.pull(&laptop, cursor, 100, budget).await.unwrap();
        assert_eq!((page.records.len(), page.more, page.cursor), (len, more, next), "budget {budget}");
        seen.extend(ids(&page.records));
        cursor = page.cursor;
    }
    assert_eq!(seen, ids(&changes), "each once, in order");
    for tiny in [0, 10] {
        let page = store.pull(&laptop, 0, 100, tiny).await.unwrap();
        assert_eq!((ids(&page.records), page.more, page.cursor), (ids(&changes[..1]), true, 1), "{tiny}");
    }
    let page = store.pull(&laptop, 0, 100, usize::MAX).await.unwrap();
    assert_eq!((page.records.len(), page.more), (5, false), "no budget, no cut");
}

pub async fn a_device_cannot_see_another_caregivers_records<S: Store>(store: S) {
    let (agency, maria) = agency(&store).await;
    let giulia = store.create_caregiver(agency.id, "Giulia B.").await.unwrap();
    let (marias_phone, giulias_phone) = (device(&store, &maria).await, device(&store, &giulia).await);
    let entry = notes(1);
    store.apply_batch(&marias_phone, &batch(1, &entry), Utc::now()).await.unwrap();
    let (seen, _) = pull_all(&store, &giulias_phone, 0, 100).await;
    assert!(seen.is_empty(), "Giulia's device sees nothing of Maria's");

    // Nor can it write over one by guessing its id: acknowledged, not stored.
    let overwrite = note_with_id(entry[0].id(), "overwritten", v(1_000));
    let applied = store.apply_batch(&giulias_phone, &batch(1, &[overwrite]), Utc::now()).await.unwrap();
    assert_eq!(applied.acked_seq, 1);
    assert_eq!(
        applied.refused.iter().map(|r| (r.seq, r.id, r.code)).collect::<Vec<_>>(),
        [(1, entry[0].id(), RefusalCode::NotYours)]
    );
    assert_eq!(text(&store.record(agency.id, entry[0].id()).await.unwrap().unwrap()), "note 0");

    let (other_agency, _) = crate::fixtures::agency(&store).await;
    assert!(store.record(other_agency.id, entry[0].id()).await.unwrap().is_none(), "reads are agency-scoped");
}

/// Writers commit concurrently while a sibling pages through the feed: whatever the
/// interleaving, the sibling ends up with every change (a counter taken at insert time, not at
/// commit, would let it step over a change that commits late).
pub async fn concurrent_writers_never_make_a_pulling_device_skip_a_change<S: Store>(store: S) {
    let (_, caregiver) = agency(&store).await;
    let reader = device(&store, &caregiver).await;
    let mut writers = tokio::task::JoinSet::new();
    let mut expected = BTreeSet::new();
    for _ in 0..4 {
        let writer = device(&store, &caregiver).await;
        let rounds: Vec<_> = (0..10).map(|_| notes(3)).collect();
        expected.extend(rounds.iter().flat_map(|r| ids(r)));
        let store = store.clone();
        writers.spawn(async move {
            for (i, changes) in rounds.iter().enumerate() {
                store.apply_batch(&writer, &batch(1 + 3 * i as u64, changes), Utc::now()).await.unwrap();
            }
        });
    }
    let mut seen = BTreeSet::<RecordId>::new();
    let mut cursor = 0;
    while !writers.is_empty() {
        let page = store.pull(&reader, cursor, 7, usize::MAX).await.unwrap();
        seen.extend(ids(&page.records));
        cursor = page.cursor;
        while let Some(done) = writers.try_join_next() {
            done.unwrap();
        }
        tokio::task::yield_now().await;
    }
    let (rest, _) = pull_all(&store, &reader, cursor, 7).await;
    seen.extend(ids(&rest));
    assert_eq!(seen, expected, "nothing skipped, nothing foreign");
}
