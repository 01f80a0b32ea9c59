//! Enrolment, revocation, names, stats and migrations.

use chrono::{Duration, Utc};
use convivio_server::error::StoreError;
use convivio_server::storage::{StaffRole, Store};

use crate::fixtures::{agency, batch, catalogue_item, code, device, notes, tombstone, v};

pub async fn used_or_expired_codes_are_refused<S: Store>(store: S) {
    let (_, caregiver) = agency(&store).await;
    let now = Utc::now();
    let fresh = code(&store, &caregiver, Duration::days(7)).await;
    let enrolled = store.redeem_enrolment(&fresh, now, "token-1").await.unwrap();
    assert_eq!((enrolled.device.caregiver_id, enrolled.device.acked_seq), (caregiver.id, 0));
    let used = store.redeem_enrolment(&fresh, now, "token-2").await;
    assert!(matches!(used, Err(StoreError::BadCode)), "a used code: {used:?}");

    let expired = code(&store, &caregiver, Duration::minutes(5)).await;
    let later = store.redeem_enrolment(&expired, now + Duration::minutes(6), "token-3").await;
    assert!(matches!(later, Err(StoreError::BadCode)), "an expired code: {later:?}");
    let unknown = store.redeem_enrolment("no-such-code", now, "token-4").await;
    assert!(matches!(unknown, Err(StoreError::BadCode)), "an unknown code: {unknown:?}");
    assert_eq!(store.stats().await.unwrap().devices, 1);
}

pub async fn concurrent_redemptions_of_one_code_make_one_device<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let code_hash = code(&store, &caregiver, Duration::days(7)).await;
    let mut tries = tokio::task::JoinSet::new();
    for i in 0..8 {
        let (store, code_hash) = (store.clone(), code_hash.clone());
        tries.spawn(
            async move { store.redeem_enrolment(&code_hash, Utc::now(), &format!("token-{i}")).await },
        );
    }
    let (mut enrolled, mut refused) = (Vec::new(), 0);
    while let Some(result) = tries.join_next().await {
        match result.unwrap() {
            Ok(e) => enrolled.push(e),
            Err(StoreError::BadCode) => refused += 1,
            Err(other) => panic!("a redemption failed for another reason: {other}"),
        }
    }
    assert_eq!((enrolled.len(), refused), (1, 7));
    assert_eq!(enrolled[0].agency_name, agency.name);
    assert_eq!(store.stats().await.unwrap().devices, 1);
}

pub async fn a_revoked_device_is_seen_as_revoked<S: Store>(store: S) {
    let (_, caregiver) = agency(&store).await;
    let code_hash = code(&store, &caregiver, Duration::days(7)).await;
    let phone = store.redeem_enrolment(&code_hash, Utc::now(), "the-token").await.unwrap().device;
    assert!(store.revoke_device(phone.id, Utc::now()).await.unwrap());
    assert!(!store.revoke_device(phone.id, Utc::now()).await.unwrap(), "already revoked");
    let seen = store.device_by_token("the-token").await.unwrap().unwrap();
    assert!(seen.revoked_at.is_some());
    let push = store.apply_batch(&phone, &batch(1, &notes(1)), Utc::now()).await;
    assert!(matches!(push, Err(StoreError::Revoked)), "a stale device handle cannot push: {push:?}");
    assert!(!store.revoke_device(uuid::Uuid::now_v7(), Utc::now()).await.unwrap(), "unknown device");
}

pub async fn names_are_unique_where_they_must_be<S: Store>(store: S) {
    let (agency, _) = agency(&store).await;
    let again = store.create_agency(&agency.name).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    store.create_staff(agency.id, "anna", "$argon2id$stub", StaffRole::Admin).await.unwrap();
    let twice = store.create_staff(agency.id, "anna", "$argon2id$stub", StaffRole::Staff).await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    // Staff sign in with a username alone, so it names one account on the whole server, even
    // when several agencies share it.
    let (other, _) = crate::fixtures::agency(&store).await;
    let elsewhere = store.create_staff(other.id, "anna", "$argon2id$stub", StaffRole::Staff).await;
    assert!(matches!(elsewhere, Err(StoreError::Conflict(_))), "{elsewhere:?}");
    store.create_staff(other.id, "anna.b", "$argon2id$stub", StaffRole::Staff).await.unwrap();
    let nowhere = store.create_caregiver(uuid::Uuid::now_v7(), "Nobody").await;
    assert!(matches!(nowhere, Err(StoreError::NotFound { kind: "agency", .. })), "{nowhere:?}");
    assert_eq!(store.agency_by_name(&agency.name).await.unwrap(), Some(agency));
}

pub async fn stats_count_by_kind<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let phone = device(&store, &caregiver).await;
    let entries = notes(3);
    store.apply_batch(&phone, &batch(1, &entries), Utc::now()).await.unwrap();
    store.apply_batch(&phone, &batch(4, &[tombstone(entries[0].id(), v(500))]), Utc::now()).await.unwrap();
    store
        .put_agency_record(agency.id, None, &catalogue_item(agency.id, "Transport"), Utc::now())
        .await
        .unwrap();
    let synced_at = Utc::now();
    store.touch_device(phone.id, synced_at).await.unwrap();

    let stats = store.stats().await.unwrap();
    assert_eq!((stats.agencies, stats.caregivers, stats.devices), (1, 1, 1));
    let kinds: Vec<(&str, u64)> = stats.records_by_kind.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    assert_eq!(kinds, [("catalogue_item", 1), ("entry", 2), ("tombstone", 1)]);
    let sync = &stats.device_syncs[0];
    assert_eq!((sync.device_id, sync.acked_seq, sync.revoked), (phone.id, 4, false));
    let at = sync.last_sync_at.unwrap();
    assert!((at - synced_at).num_milliseconds().abs() < 1, "stored to the microsecond");
}

pub async fn migrating_twice_changes_nothing<S: Store>(store: S) {
    let (agency, _) = agency(&store).await;
    store.migrate().await.unwrap();
    assert_eq!(store.agency_by_name(&agency.name).await.unwrap(), Some(agency));
}
