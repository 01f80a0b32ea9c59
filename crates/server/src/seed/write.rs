//! Writing a plan through the same [`Store`] calls the device API and the dashboard make: an
//! enrolment code redeemed per device (dated when the device enrolled), the device's records
//! pushed in batches of at most [`MAX_BATCH_CHANGES`], the staff's records in batches as well
//! (`put_agency_records`: the same rules as `put_agency_record`, one commit per batch), then
//! each device's last sync and revocation. No shortcut around the store's rules: a record it
//! refuses is a bug in the seed and stops it.

use chrono::{DateTime, Duration, Utc};
use convivio_core::Record;
use convivio_core::sync::{MAX_BATCH_CHANGES, PushBatch};
use uuid::Uuid;

use super::plan::CaregiverPlan;
use crate::error::{StoreError, StoreResult};
use crate::storage::{Merged, NewEnrolment, Store};
use crate::tokens::{code_hash, new_code, new_token, token_hash};

/// Writes one caregiver's plan; returns the store's ids of the plan's devices, in order.
pub(crate) async fn caregiver<S: Store>(
    store: &S,
    agency_id: Uuid,
    plan: &CaregiverPlan,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Uuid>> {
    let mut ids = Vec::with_capacity(plan.devices.len());
    for planned in &plan.devices {
        // The code is thrown away once redeemed, and so is the token: nobody syncs as a
        // seeded device.
        let code = code_hash(&new_code());
        let enrolment = NewEnrolment {
            code_hash: code.clone(),
            caregiver_id: plan.caregiver.id,
            expires_at: planned.enrolled_at + Duration::days(7),
        };
        store.create_enrolment(enrolment).await?;
        let device =
            store.redeem_enrolment(&code, planned.enrolled_at, &token_hash(&new_token())).await?.device;
        let mut first_seq = 1;
        for changes in planned.records.chunks(MAX_BATCH_CHANGES as usize) {
            let batch = PushBatch { first_seq, changes: changes.to_vec() };
            let applied = store.apply_batch(&device, &batch, now).await?;
            if let Some(refusal) = applied.refused.first() {
                return Err(StoreError::Forbidden(format!(
                    "the store refused seeded record {} ({:?}: {}); this is a bug in the seed",
                    refusal.id, refusal.code, refusal.message
                )));
            }
            first_seq += changes.len() as u64;
        }
        ids.push(device.id);
    }
    agency_records(store, agency_id, Some(plan.caregiver.id), &plan.staff_records, now).await?;
    for (planned, id) in plan.devices.iter().zip(&ids) {
        if let Some(at) = planned.last_sync_at {
            store.touch_device(*id, at).await?;
        }
        if let Some(at) = planned.revoked_at {
            store.revoke_device(*id, at).await?;
        }
    }
    Ok(ids)
}

/// Stores records of the agency's side, in batches; each must be new.
pub(crate) async fn agency_records<S: Store>(
    store: &S,
    agency_id: Uuid,
    caregiver_id: Option<Uuid>,
    records: &[Record],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    for batch in records.chunks(MAX_BATCH_CHANGES as usize) {
        let merged = store.put_agency_records(agency_id, caregiver_id, batch, now).await?;
        if let Some((record, other)) = batch.iter().zip(merged).find(|(_, m)| *m != Merged::Current) {
            return Err(StoreError::Forbidden(format!(
                "seeded record {} was not stored as new ({other:?}); this is a bug in the seed",
                record.id()
            )));
        }
    }
    Ok(())
}
