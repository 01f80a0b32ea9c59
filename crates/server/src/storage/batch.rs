//! The checks a write passes before any backend touches the database: which part of a pushed
//! batch is new, who owns what a device pushes, and which kinds each side may write. Pure, so
//! both backends share them and they are tested without a database.

use convivio_core::sync::PushBatch;
use convivio_core::{Invalid, Owner, Record, RecordKind, Role, Rule};
use uuid::Uuid;

use crate::error::{StoreError, StoreResult};

/// The new part of a batch: `batch.changes[skip..]`, whose first has sequence number `first_seq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tail {
    pub skip: usize,
    pub first_seq: u64,
}

/// Finds what is new in `batch` for a device that has `acked` stored. A batch starting past
/// `acked + 1` would leave a hole under the ack, so it is refused with the number to resend from.
pub(crate) fn tail(batch: &PushBatch, acked: u64) -> StoreResult<Tail> {
    if batch.first_seq == 0 {
        return Err(Invalid::new(
            "push.first_seq",
            Rule::OutOfRange { min: 1, max: i64::MAX },
            "starts at 1",
        )
        .into());
    }
    let expected = acked + 1;
    if batch.first_seq > expected {
        return Err(StoreError::Gap { expected });
    }
    let already = expected - batch.first_seq;
    let skip = usize::try_from(already).unwrap_or(usize::MAX).min(batch.changes.len());
    Ok(Tail { skip, first_seq: batch.first_seq + skip as u64 })
}

/// Whether a device may write records of this kind. The agency's kinds (catalogue, need
/// status) come only from staff, through [`super::Store::put_agency_record`].
pub fn device_may_write(kind: RecordKind) -> bool {
    !matches!(kind, RecordKind::CatalogueItem | RecordKind::NeedStatusChange)
}

/// Refuses a batch holding a kind no device may write, naming the first offender.
pub(crate) fn check_device_kinds(changes: &[Record]) -> StoreResult<()> {
    match changes.iter().find(|r| !device_may_write(r.kind())) {
        Some(bad) => Err(Invalid::new(
            "push.changes",
            Rule::NotAllowed,
            format!("a device cannot write a {}; only the agency can", bad.kind()),
        )
        .into()),
        None => Ok(()),
    }
}

/// The record with its owner replaced: what a device pushes belongs to the device's caregiver,
/// whatever the body claims, so a token can never write in someone else's name.
pub(crate) fn stamp_owner(record: &Record, owner: Owner) -> Record {
    let mut record = record.clone();
    match &mut record {
        Record::Entry(r) => r.owner = owner,
        Record::Message(r) => r.owner = owner,
        Record::NeedStatusChange(r) => r.owner = owner,
        Record::CatalogueItem(r) => r.owner = owner,
        Record::Profile(r) => r.owner = owner,
        Record::Consent(r) => r.owner = owner,
        Record::Tombstone(r) => r.owner = owner,
    }
    record
}

/// Checks an agency-side record: the agency's kinds (and messages and tombstones), owned by
/// staff or by this agency, addressed to one caregiver except catalogue items, which go to all.
pub(crate) fn check_agency_record(
    agency_id: Uuid,
    caregiver_id: Option<Uuid>,
    record: &Record,
) -> StoreResult<()> {
    let owner = record.owner();
    match owner.role {
        Role::Caregiver => {
            return Err(Invalid::new(
                "owner",
                Rule::NotAllowed,
                "an agency record is owned by staff or the agency",
            )
            .into());
        }
        Role::Agency if owner.id != agency_id => {
            return Err(Invalid::new("owner", Rule::NotAllowed, "must be this agency").into());
        }
        _ => {}
    }
    let scope_needed = match record {
        Record::CatalogueItem(_) => Some(false),
        Record::Message(_) | Record::NeedStatusChange(_) => Some(true),
        Record::Tombstone(_) => None,
        Record::Entry(_) | Record::Profile(_) | Record::Consent(_) => {
            return Err(Invalid::new(
                "record",
                Rule::NotAllowed,
                format!("a {} belongs to the caregiver; the agency cannot write one", record.kind()),
            )
            .into());
        }
    };
    match (scope_needed, caregiver_id) {
        (Some(true), None) => {
            Err(Invalid::new("caregiver_id", Rule::Required, "name the caregiver it is for").into())
        }
        (Some(false), Some(_)) => {
            Err(Invalid::new("caregiver_id", Rule::NotAllowed, "catalogue items go to every caregiver")
                .into())
        }
        _ => match record {
            Record::NeedStatusChange(change) => Ok(change.validate()?),
            _ => Ok(()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use convivio_core::tombstone::Tombstone;
    use convivio_core::{Hlc, RecordId};

    fn batch(first_seq: u64, n: usize) -> PushBatch {
        let change = Record::Tombstone(Tombstone {
            id: RecordId::new(),
            version: Hlc::ZERO,
            owner: Owner::caregiver(Uuid::nil()),
            record_kind: RecordKind::Entry,
            deleted_at: Utc::now(),
        });
        PushBatch { first_seq, changes: vec![change; n] }
    }

    #[test]
    fn a_batch_right_after_the_ack_is_new_in_full() {
        assert_eq!(tail(&batch(6, 3), 5).unwrap(), Tail { skip: 0, first_seq: 6 });
    }

    #[test]
    fn an_overlapping_batch_keeps_only_the_tail_and_a_replay_keeps_nothing() {
        assert_eq!(tail(&batch(4, 3), 5).unwrap(), Tail { skip: 2, first_seq: 6 });
        assert_eq!(tail(&batch(1, 3), 5).unwrap().skip, 3);
    }

    #[test]
    fn a_batch_past_the_ack_is_a_gap_naming_the_next_number() {
        assert!(matches!(tail(&batch(8, 1), 5), Err(StoreError::Gap { expected: 6 })));
        assert!(matches!(tail(&batch(0, 1), 5), Err(StoreError::Invalid(_))));
    }

    #[test]
    fn the_owner_is_replaced_whatever_the_body_claims() {
        let forged = batch(1, 1).changes.remove(0);
        let me = Owner::caregiver(Uuid::from_u128(42));
        assert_eq!(stamp_owner(&forged, me).owner(), me);
    }

    #[test]
    fn agency_records_are_checked_for_owner_kind_and_scope() {
        let agency = Uuid::from_u128(1);
        let mut record = batch(1, 1).changes.remove(0);
        assert!(check_agency_record(agency, None, &record).is_err(), "a caregiver cannot own it");
        record = stamp_owner(&record, Owner::agency(agency));
        assert!(check_agency_record(agency, None, &record).is_ok());
        assert!(check_agency_record(Uuid::from_u128(2), None, &record).is_err(), "another agency's");
    }
}
