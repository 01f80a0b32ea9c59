//! Read receipts (protocol 3): written by staff through `put_agency_record` under a live shared
//! entry of one caregiver, and pulled only by that caregiver's devices.

use chrono::Utc;
use convivio_core::{Owner, Record};
use convivio_server::error::StoreError;
use convivio_server::storage::{Merged, StaffRole, Store};

use crate::fixtures::{agency, batch, device, ids, notes, pull_all, read_receipt, tombstone, v};

pub async fn a_read_receipt_reaches_only_the_devices_of_the_caregiver_whose_entry_was_read<S: Store>(
    store: S,
) {
    let (agency, maria) = agency(&store).await;
    let giulia = store.create_caregiver(agency.id, "Giulia B.").await.unwrap();
    let staff = store.create_staff(agency.id, "giulia.b", "$argon2id$stub", StaffRole::Staff).await.unwrap();
    let (phone, laptop) = (device(&store, &maria).await, device(&store, &maria).await);
    let giulias_phone = device(&store, &giulia).await;
    let entry = notes(1);
    store.apply_batch(&phone, &batch(1, &entry), Utc::now()).await.unwrap();

    let receipt = read_receipt(staff.id, entry[0].id());
    let stored = store.put_agency_record(agency.id, Some(maria.id), &receipt, Utc::now()).await.unwrap();
    assert_eq!(stored, Merged::Current);
    assert_eq!(store.record(agency.id, receipt.id()).await.unwrap(), Some(receipt.clone()));

    // The phone that wrote the entry pulls it too: the receipt is the agency's, not the phone's.
    let (to_phone, _) = pull_all(&store, &phone, 0, 10).await;
    assert_eq!(to_phone, std::slice::from_ref(&receipt));
    let (to_laptop, _) = pull_all(&store, &laptop, 0, 10).await;
    assert_eq!(ids(&to_laptop), [entry[0].id(), receipt.id()], "the entry, then who read it");
    let (to_giulia, _) = pull_all(&store, &giulias_phone, 0, 10).await;
    assert!(to_giulia.is_empty(), "nothing of Maria's reaches another caregiver: {to_giulia:?}");
}

pub async fn a_read_receipt_needs_a_live_entry_of_that_caregiver_and_a_staff_author<S: Store>(store: S) {
    let (agency, maria) = agency(&store).await;
    let giulia = store.create_caregiver(agency.id, "Giulia B.").await.unwrap();
    let staff = store.create_staff(agency.id, "giulia.b", "$argon2id$stub", StaffRole::Staff).await.unwrap();
    let (marias_phone, giulias_phone) = (device(&store, &maria).await, device(&store, &giulia).await);
    let (marias, giulias) = (notes(2), notes(1));
    store.apply_batch(&marias_phone, &batch(1, &marias), Utc::now()).await.unwrap();
    store.apply_batch(&giulias_phone, &batch(1, &giulias), Utc::now()).await.unwrap();
    store
        .apply_batch(&marias_phone, &batch(3, &[tombstone(marias[1].id(), v(500))]), Utc::now())
        .await
        .unwrap();

    for (why, under) in [
        ("another caregiver's entry", giulias[0].id()),
        ("a deleted entry", marias[1].id()),
        ("no entry at all", convivio_core::RecordId::new()),
    ] {
        let receipt = read_receipt(staff.id, under);
        let refused = store.put_agency_record(agency.id, Some(maria.id), &receipt, Utc::now()).await;
        assert!(matches!(refused, Err(StoreError::Forbidden(_))), "under {why}: {refused:?}");
        assert_eq!(store.record(agency.id, receipt.id()).await.unwrap(), None, "under {why}");
    }
    let mut from_the_agency = read_receipt(staff.id, marias[0].id());
    if let Record::ReadReceipt(r) = &mut from_the_agency {
        r.owner = Owner::agency(agency.id);
    }
    let refused = store.put_agency_record(agency.id, Some(maria.id), &from_the_agency, Utc::now()).await;
    assert!(matches!(refused, Err(StoreError::Forbidden(_))), "written by staff only: {refused:?}");
    let to_nobody =
        store.put_agency_record(agency.id, None, &read_receipt(staff.id, marias[0].id()), Utc::now()).await;
    assert!(matches!(&to_nobody, Err(StoreError::Invalid(i)) if i.field == "caregiver_id"), "{to_nobody:?}");

    let (pulled, _) = pull_all(&store, &marias_phone, 0, 10).await;
    assert!(pulled.iter().all(|r| r.kind() != convivio_core::RecordKind::ReadReceipt), "{pulled:?}");
}
