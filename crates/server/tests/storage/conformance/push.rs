//! Pushing: exactly once, contiguous acks, owners from the token, versions and tombstones.

use chrono::Utc;
use convivio_core::{Owner, Record};
use convivio_server::error::StoreError;
use convivio_server::storage::{Applied, Store};

use crate::fixtures::{agency, batch, device, note, note_with_id, notes, pull_all, text, tombstone, v};

pub async fn duplicate_batch_is_applied_once<S: Store>(store: S) {
    let (_, caregiver) = agency(&store).await;
    let (phone, laptop) = (device(&store, &caregiver).await, device(&store, &caregiver).await);
    let changes = notes(3);
    let first = store.apply_batch(&phone, &batch(1, &changes), Utc::now()).await.unwrap();
    let again = store.apply_batch(&phone, &batch(1, &changes), Utc::now()).await.unwrap();
    assert_eq!(first, Applied { acked_seq: 3, new_changes: 3, refused: vec![] });
    assert_eq!(again, Applied { acked_seq: 3, new_changes: 0, refused: vec![] });
    let (pulled, _) = pull_all(&store, &laptop, 0, 100).await;
    assert_eq!(pulled.len(), 3, "the sibling sees each change once");
    assert_eq!(store.stats().await.unwrap().records_by_kind["entry"], 3);
}

pub async fn a_batch_after_a_gap_is_refused_with_the_expected_seq<S: Store>(store: S) {
    let (_, caregiver) = agency(&store).await;
    let phone = device(&store, &caregiver).await;
    store.apply_batch(&phone, &batch(1, &notes(2)), Utc::now()).await.unwrap();
    let gap = store.apply_batch(&phone, &batch(5, &notes(1)), Utc::now()).await;
    assert!(matches!(gap, Err(StoreError::Gap { expected: 3 })), "got {gap:?}");
    assert_eq!(store.device(phone.id).await.unwrap().unwrap().acked_seq, 2, "the ack did not move");
    assert_eq!(store.stats().await.unwrap().records_by_kind["entry"], 2);
}

pub async fn overlapping_batch_applies_only_the_new_tail<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let phone = device(&store, &caregiver).await;
    let changes = notes(5);
    store.apply_batch(&phone, &batch(1, &changes[..3]), Utc::now()).await.unwrap();
    // Seq 2 and 3 again, carrying something else: stored already, so not looked at.
    let impostor = note_with_id(changes[1].id(), "rewritten", v(999));
    let overlap = [impostor, changes[2].clone(), changes[3].clone(), changes[4].clone()];
    let applied = store.apply_batch(&phone, &batch(2, &overlap), Utc::now()).await.unwrap();
    assert_eq!(applied, Applied { acked_seq: 5, new_changes: 2, refused: vec![] });
    let stored = store.record(agency.id, changes[1].id()).await.unwrap().unwrap();
    assert_eq!(text(&stored), "note 1");
    assert_eq!(store.stats().await.unwrap().records_by_kind["entry"], 5);
}

pub async fn owner_comes_from_the_device_not_the_body<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let (_, someone_else) = crate::fixtures::agency(&store).await;
    let phone = device(&store, &caregiver).await;
    let mut forged = note("in someone else's name", v(1));
    if let Record::Entry(e) = &mut forged {
        e.owner = Owner::caregiver(someone_else.id);
    }
    store.apply_batch(&phone, &batch(1, &[forged.clone()]), Utc::now()).await.unwrap();
    let stored = store.record(agency.id, forged.id()).await.unwrap().unwrap();
    assert_eq!(stored.owner(), Owner::caregiver(caregiver.id));
}

pub async fn higher_version_wins_and_the_loser_is_kept_in_history<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let (phone, laptop) = (device(&store, &caregiver).await, device(&store, &caregiver).await);
    let original = note("first words", v(10));
    let id = original.id();
    store
        .apply_batch(&phone, &batch(1, &[original, note_with_id(id, "phone edit", v(30))]), Utc::now())
        .await
        .unwrap();
    // The laptop edited offline, earlier: it loses, and is kept.
    store
        .apply_batch(&laptop, &batch(1, &[note_with_id(id, "laptop edit", v(20))]), Utc::now())
        .await
        .unwrap();
    assert_eq!(text(&store.record(agency.id, id).await.unwrap().unwrap()), "phone edit");
    let history: Vec<String> =
        store.history(agency.id, id).await.unwrap().iter().map(|r| text(r).to_owned()).collect();
    assert_eq!(history, ["first words", "laptop edit"], "every loser, oldest first");

    store
        .apply_batch(&laptop, &batch(2, &[note_with_id(id, "laptop again", v(40))]), Utc::now())
        .await
        .unwrap();
    assert_eq!(text(&store.record(agency.id, id).await.unwrap().unwrap()), "laptop again");
    assert_eq!(store.history(agency.id, id).await.unwrap().len(), 3, "the previous winner joined history");
}

pub async fn a_tombstone_erases_content_and_history<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let (phone, laptop) = (device(&store, &caregiver).await, device(&store, &caregiver).await);
    let first = note("something private", v(10));
    let id = first.id();
    store
        .apply_batch(&phone, &batch(1, &[first, note_with_id(id, "edited", v(20))]), Utc::now())
        .await
        .unwrap();
    assert_eq!(store.history(agency.id, id).await.unwrap().len(), 1);

    store.apply_batch(&phone, &batch(3, &[tombstone(id, v(30))]), Utc::now()).await.unwrap();
    let stored = store.record(agency.id, id).await.unwrap().unwrap();
    assert!(matches!(stored, Record::Tombstone(_)), "only the tombstone stays: {stored:?}");
    assert!(store.history(agency.id, id).await.unwrap().is_empty(), "no old content lingers");

    // An edit made before the deletion arrives late: deleted content stays deleted.
    store.apply_batch(&laptop, &batch(1, &[note_with_id(id, "late edit", v(25))]), Utc::now()).await.unwrap();
    assert!(matches!(store.record(agency.id, id).await.unwrap(), Some(Record::Tombstone(_))));
    assert!(store.history(agency.id, id).await.unwrap().is_empty());

    // Nor does an edit with a later clock: no device that saw the deletion still has the entry,
    // so any edit of its round was made without seeing it.
    store
        .apply_batch(&laptop, &batch(2, &[note_with_id(id, "later clock", v(35))]), Utc::now())
        .await
        .unwrap();
    assert!(matches!(store.record(agency.id, id).await.unwrap(), Some(Record::Tombstone(_))));

    // An entry of the next round (shared again after a withdrawal) does win.
    let mut again = note_with_id(id, "written again", v(40));
    if let Record::Entry(e) = &mut again {
        e.round = 1;
    }
    store.apply_batch(&laptop, &batch(3, &[again]), Utc::now()).await.unwrap();
    assert_eq!(text(&store.record(agency.id, id).await.unwrap().unwrap()), "written again");
}

/// Two devices create the same record at the same moment (on PostgreSQL, possibly through two
/// replicas: one insert loses the race on the primary key and its batch is run again). Either
/// way the higher version is stored and the other kept: nothing silently dropped.
pub async fn simultaneous_first_versions_of_one_record_keep_both<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let (phone, laptop) = (device(&store, &caregiver).await, device(&store, &caregiver).await);
    for round in 0..10u64 {
        let ours = note("from the phone", v(100 + round));
        let theirs = note_with_id(ours.id(), "from the laptop", v(200 + round));
        let (from_phone, from_laptop) =
            (batch(1 + round, std::slice::from_ref(&ours)), batch(1 + round, &[theirs]));
        let (a, b) = tokio::join!(
            store.apply_batch(&phone, &from_phone, Utc::now()),
            store.apply_batch(&laptop, &from_laptop, Utc::now()),
        );
        assert_eq!((a.unwrap().acked_seq, b.unwrap().acked_seq), (1 + round, 1 + round));
        assert_eq!(text(&store.record(agency.id, ours.id()).await.unwrap().unwrap()), "from the laptop");
        let history = store.history(agency.id, ours.id()).await.unwrap();
        assert_eq!(history.iter().map(text).collect::<Vec<_>>(), ["from the phone"]);
    }
}
