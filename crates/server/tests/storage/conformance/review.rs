//! Regressions from the security review of the sync spine (issue 7): withdrawals and deletions
//! stick, messages hang only under the caregiver's own live entries, refusals are reported one
//! by one, and the epoch is renewed after a restore.

use chrono::{Duration, Utc};
use convivio_core::message::Message;
use convivio_core::sync::RefusalCode;
use convivio_core::text::LongText;
use convivio_core::{Owner, Record, RecordId, RecordKind};
use convivio_server::storage::{StaffRole, Store};
use uuid::Uuid;

use crate::fixtures::{
    agency, batch, catalogue_item, device, note, note_with_id, staff_message, text, tombstone, v,
};

fn caregiver_message(entry_id: RecordId, body: &str) -> Record {
    Record::Message(Message {
        id: RecordId::new(),
        version: v(50),
        owner: Owner::caregiver(Uuid::nil()),
        entry_id,
        body: LongText::parse("body", body).unwrap(),
        sent_at: Utc::now(),
    })
}

fn with_round(record: Record, round: u32) -> Record {
    match record {
        Record::Entry(mut e) => {
            e.round = round;
            Record::Entry(e)
        }
        Record::Tombstone(mut t) => {
            t.round = round;
            Record::Tombstone(t)
        }
        other => other,
    }
}

pub async fn a_sibling_edit_that_missed_a_withdrawal_does_not_bring_the_text_back<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let (phone, laptop) = (device(&store, &caregiver).await, device(&store, &caregiver).await);
    let entry = note("shared, then taken back", v(10));
    let id = entry.id();
    store.apply_batch(&phone, &batch(1, &[entry]), Utc::now()).await.unwrap();
    // The phone makes it private (the withdrawal closes round 0) ...
    store.apply_batch(&phone, &batch(2, &[tombstone(id, v(20))]), Utc::now()).await.unwrap();
    // ... while the laptop, which never saw that and whose clock runs far ahead, edits it.
    let edit = note_with_id(id, "edited on the laptop", v(9_999_999));
    let applied = store.apply_batch(&laptop, &batch(1, &[edit]), Utc::now()).await.unwrap();
    assert_eq!((applied.acked_seq, applied.refused.len()), (1, 0), "acknowledged: nothing to resend");
    let stored = store.record(agency.id, id).await.unwrap().unwrap();
    assert_eq!(stored.kind(), RecordKind::Tombstone, "the withdrawal stands");
    assert!(store.history(agency.id, id).await.unwrap().is_empty(), "and no text of it is kept");

    // Shared again from the phone, in the next round: that does win.
    let again = with_round(note_with_id(id, "shared again", v(30)), 1);
    store.apply_batch(&phone, &batch(3, &[again]), Utc::now()).await.unwrap();
    assert_eq!(text(&store.record(agency.id, id).await.unwrap().unwrap()), "shared again");
}

pub async fn deleting_an_entry_deletes_the_caregivers_messages_under_it<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let (phone, laptop) = (device(&store, &caregiver).await, device(&store, &caregiver).await);
    let staff = store.create_staff(agency.id, "anna", "$argon2id$x", StaffRole::Staff).await.unwrap();
    let entry = note("a need", v(10));
    let id = entry.id();
    store.apply_batch(&phone, &batch(1, &[entry]), Utc::now()).await.unwrap();
    let mine = caregiver_message(id, "when can someone come?");
    store.apply_batch(&laptop, &batch(1, std::slice::from_ref(&mine)), Utc::now()).await.unwrap();
    let reply = staff_message(staff.id, id, "tomorrow at ten");
    store.put_agency_record(agency.id, Some(caregiver.id), &reply, Utc::now()).await.unwrap();
    assert!(store.record(agency.id, mine.id()).await.unwrap().is_some());

    store.apply_batch(&phone, &batch(2, &[tombstone(id, v(60))]), Utc::now()).await.unwrap();
    assert!(
        store.record(agency.id, mine.id()).await.unwrap().is_none(),
        "the caregiver's message went with it"
    );
    assert!(store.history(agency.id, mine.id()).await.unwrap().is_empty());
    assert!(store.record(agency.id, reply.id()).await.unwrap().is_some(), "the staff reply is the agency's");

    // A message still waiting on a sibling arrives afterwards: refused, and said so.
    let late = caregiver_message(id, "sent from the laptop later");
    let applied =
        store.apply_batch(&laptop, &batch(2, std::slice::from_ref(&late)), Utc::now()).await.unwrap();
    assert_eq!(
        applied.refused.iter().map(|r| (r.seq, r.id, r.code)).collect::<Vec<_>>(),
        [(2, late.id(), RefusalCode::NoParent)]
    );
    assert!(store.record(agency.id, late.id()).await.unwrap().is_none());
}

pub async fn a_message_hangs_only_under_an_entry_of_the_same_caregiver<S: Store>(store: S) {
    let (agency, maria) = agency(&store).await;
    let giulia = store.create_caregiver(agency.id, "Giulia B.").await.unwrap();
    let (marias_phone, giulias_phone) = (device(&store, &maria).await, device(&store, &giulia).await);
    let entry = note("Maria's", v(10));
    store.apply_batch(&marias_phone, &batch(1, std::slice::from_ref(&entry)), Utc::now()).await.unwrap();
    let under_marias = caregiver_message(entry.id(), "written under someone else's entry");
    let under_nothing = caregiver_message(RecordId::new(), "under no entry at all");
    let applied = store
        .apply_batch(&giulias_phone, &batch(1, &[under_marias.clone(), under_nothing.clone()]), Utc::now())
        .await
        .unwrap();
    assert_eq!(applied.acked_seq, 2);
    assert_eq!(
        applied.refused.iter().map(|r| (r.seq, r.code)).collect::<Vec<_>>(),
        [(1, RefusalCode::NoParent), (2, RefusalCode::NoParent)]
    );
    for refused in [under_marias, under_nothing] {
        assert!(store.record(agency.id, refused.id()).await.unwrap().is_none());
    }
}

pub async fn a_refused_change_is_reported_with_its_id_and_code<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let phone = device(&store, &caregiver).await;
    let fine = note("fine", v(10));
    let forged_catalogue = catalogue_item(agency.id, "A service nobody offers");
    let mut ahead = note("dated next month", v(11));
    if let Record::Entry(e) = &mut ahead {
        e.occurred_at = (Utc::now() + Duration::days(30)).fixed_offset();
    }
    let changes = [fine.clone(), forged_catalogue.clone(), ahead.clone()];
    let applied = store.apply_batch(&phone, &batch(1, &changes), Utc::now()).await.unwrap();
    assert_eq!(applied.acked_seq, 3, "refused changes are acknowledged: the outbox moves on");
    let refused: Vec<_> = applied.refused.iter().map(|r| (r.seq, r.id, r.code)).collect();
    assert_eq!(
        refused,
        [(2, forged_catalogue.id(), RefusalCode::KindNotAllowed), (3, ahead.id(), RefusalCode::Invalid)]
    );
    assert!(applied.refused[1].message.starts_with("occurred_at:"), "{}", applied.refused[1].message);
    assert!(store.record(agency.id, fine.id()).await.unwrap().is_some());
    assert!(store.record(agency.id, forged_catalogue.id()).await.unwrap().is_none());
    assert!(store.record(agency.id, ahead.id()).await.unwrap().is_none());
    let again = store.apply_batch(&phone, &batch(1, &changes), Utc::now()).await.unwrap();
    assert!(again.refused.is_empty(), "a replay is not a new refusal");
}

pub async fn a_restore_renews_the_server_epoch<S: Store>(store: S) {
    let epoch = store.epoch().await.unwrap();
    assert_eq!(epoch.0.len(), 16);
    assert!(epoch.0.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(store.epoch().await.unwrap(), epoch, "stable while nothing happens");
    let renewed = store.renew_epoch().await.unwrap();
    assert_ne!(renewed, epoch);
    assert_eq!(store.epoch().await.unwrap(), renewed);
}
