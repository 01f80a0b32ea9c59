//! Several agency records in one write (`put_agency_records`): all stored, in order, or none.

use chrono::Utc;
use convivio_core::RecordId;
use convivio_core::sync::MAX_BATCH_CHANGES;
use convivio_server::error::StoreError;
use convivio_server::storage::{Merged, StaffRole, Store};

use crate::fixtures::{agency, batch, device, ids, notes, pull_all, staff_message};

pub async fn agency_records_in_one_write_are_stored_all_or_none<S: Store>(store: S) {
    let (agency, maria) = agency(&store).await;
    let staff = store.create_staff(agency.id, "anna", "$argon2id$stub", StaffRole::Staff).await.unwrap();
    let (phone, laptop) = (device(&store, &maria).await, device(&store, &maria).await);
    let entry = notes(1);
    store.apply_batch(&phone, &batch(1, &entry), Utc::now()).await.unwrap();
    let entry_id = entry[0].id();

    let replies =
        [staff_message(staff.id, entry_id, "Ricevuto."), staff_message(staff.id, entry_id, "Fatto.")];
    let now = Utc::now();
    let merged = store.put_agency_records(agency.id, Some(maria.id), &replies, now).await.unwrap();
    assert_eq!(merged, [Merged::Current, Merged::Current]);
    let again = store.put_agency_records(agency.id, Some(maria.id), &replies, now).await.unwrap();
    assert_eq!(again, [Merged::Duplicate, Merged::Duplicate]);
    let (pulled, _) = pull_all(&store, &laptop, 0, 10).await;
    assert_eq!(ids(&pulled), [entry_id, replies[0].id(), replies[1].id()], "in the order written");

    let good = staff_message(staff.id, entry_id, "Un'altra risposta.");
    let orphan = staff_message(staff.id, RecordId::new(), "Under no entry.");
    let refused =
        store.put_agency_records(agency.id, Some(maria.id), &[good.clone(), orphan.clone()], now).await;
    assert!(
        matches!(&refused, Err(StoreError::Forbidden(m)) if m.contains(&orphan.id().to_string())),
        "the refused record is named; got {refused:?}"
    );
    assert_eq!(store.record(agency.id, good.id()).await.unwrap(), None, "none of the write is stored");

    let too_many: Vec<_> =
        (0..=MAX_BATCH_CHANGES).map(|i| staff_message(staff.id, entry_id, &format!("reply {i}"))).collect();
    let refused = store.put_agency_records(agency.id, Some(maria.id), &too_many, now).await;
    assert!(matches!(&refused, Err(StoreError::Invalid(i)) if i.field == "records"), "got {refused:?}");
}
