//! The checks a write passes before any backend touches the database: which part of a pushed
//! batch is new, who owns what a device pushes, which kinds each side may write (core's
//! [`policy`](convivio_core::policy)), and the record rules a device checks too
//! ([`Record::validate`]). Pure, so both backends share them and they are tested without a
//! database.

use chrono::{DateTime, Utc};
use convivio_core::policy::Writer as PolicyWriter;
use convivio_core::sync::{PushBatch, Refusal, RefusalCode};
use convivio_core::{Invalid, Owner, Record, Role, Rule};
use uuid::Uuid;

use super::Merged;
use super::merge::Plan;
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

/// The new part of a batch after screening: what goes on to the merge, and what was refused.
#[derive(Debug, Default)]
pub(crate) struct Screened {
    /// Accepted changes with their sequence numbers, owned by the device's caregiver.
    pub accepted: Vec<(u64, Record)>,
    pub refused: Vec<Refusal>,
}

/// Screens the new changes of a device's batch (`new[0]` has number `first_seq`): a kind the
/// policy does not let a device write, or a record that breaks a rule, is refused on its own,
/// with its number, id and a code; the rest are stamped with the caregiver as owner.
pub(crate) fn screen(new: &[Record], first_seq: u64, owner: Owner, now: DateTime<Utc>) -> Screened {
    let mut screened = Screened::default();
    for (seq, record) in (first_seq..).zip(new) {
        let refuse = |code, message: String| Refusal { seq, id: record.id(), code, message };
        if !record.may_be_written_by(PolicyWriter::CaregiverDevice) {
            let what = match record {
                Record::Tombstone(t) => format!("a deletion of a {}", t.record_kind),
                other => format!("a {}", other.kind()),
            };
            screened.refused.push(refuse(
                RefusalCode::KindNotAllowed,
                format!("a device cannot write {what}; only the agency can"),
            ));
        } else if let Err(invalid) = record.validate(now) {
            screened.refused.push(refuse(RefusalCode::Invalid, invalid.to_string()));
        } else {
            screened.accepted.push((seq, stamp_owner(record, owner)));
        }
    }
    screened
}

/// How far the newest version among `changes` is ahead of `now`, if more than `allowed_ms`.
pub fn too_far_ahead(changes: &[Record], now: DateTime<Utc>, allowed_ms: u64) -> Option<u64> {
    let now_ms = u64::try_from(now.timestamp_millis()).unwrap_or(0);
    let newest = changes.iter().map(|r| r.version().wall_ms).max()?;
    let ahead = newest.saturating_sub(now_ms);
    (ahead > allowed_ms).then_some(ahead)
}

/// Every refusal of a batch, in push order: the screen's and the merge's.
pub(crate) fn refusals(screened: Screened, plan: &Plan) -> Vec<Refusal> {
    let mut refused = screened.refused;
    for ((seq, record), outcome) in screened.accepted.iter().zip(&plan.outcomes) {
        if let Merged::Refused(code) = outcome {
            refused.push(refusal(*seq, record, *code));
        }
    }
    refused.sort_by_key(|r| r.seq);
    refused
}

/// Refusal messages for what the merge refused.
pub(crate) fn refusal(seq: u64, record: &Record, code: RefusalCode) -> Refusal {
    let message = match code {
        RefusalCode::NotYours => format!("record {} belongs to someone else", record.id()),
        RefusalCode::NoParent => format!(
            "record {} hangs under {}, which this caregiver does not have on the server (missing, deleted or withdrawn)",
            record.id(),
            record.parent().map(|p| p.to_string()).unwrap_or_default()
        ),
        RefusalCode::KindNotAllowed => format!("a device cannot write a {}", record.kind()),
        RefusalCode::Invalid => format!("record {} breaks a rule", record.id()),
    };
    Refusal { seq, id: record.id(), code, message }
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
        Record::ReadReceipt(r) => r.owner = owner,
    }
    record
}

/// Checks a batch of agency-side records (see [`check_agency_record`]): at most
/// [`MAX_BATCH_CHANGES`](convivio_core::sync::MAX_BATCH_CHANGES), each record on its own; an
/// error names the first record that fails.
pub(crate) fn check_agency_records(
    agency_id: Uuid,
    caregiver_id: Option<Uuid>,
    records: &[Record],
) -> StoreResult<()> {
    let max = convivio_core::sync::MAX_BATCH_CHANGES;
    if records.len() > max as usize {
        return Err(Invalid::new(
            "records",
            Rule::TooLong { max: u64::from(max) },
            format!("at most {max} agency records in one write (got {})", records.len()),
        )
        .into());
    }
    for record in records {
        check_agency_record(agency_id, caregiver_id, record).map_err(|e| match e {
            StoreError::Invalid(i) if records.len() > 1 => {
                let rule = format!("{} (record {})", i.rule, record.id());
                StoreError::Invalid(Invalid { rule, ..i })
            }
            other => other,
        })?;
    }
    Ok(())
}

/// Checks an agency-side record: the agency's kinds (and messages and tombstones), owned by
/// staff or by this agency, addressed to one caregiver except catalogue items, which go to all.
pub(crate) fn check_agency_record(
    agency_id: Uuid,
    caregiver_id: Option<Uuid>,
    record: &Record,
) -> StoreResult<()> {
    let writer = match record.owner().role {
        Role::Staff => PolicyWriter::Staff,
        _ => PolicyWriter::Agency,
    };
    if !record.may_be_written_by(writer) {
        let what = match record {
            Record::Tombstone(t) => format!("delete a {}", t.record_kind),
            other => format!("write a {}", other.kind()),
        };
        return Err(StoreError::Forbidden(format!(
            "{} cannot change the caregiver's records: the record policy does not let it {what}",
            if writer == PolicyWriter::Staff { "staff" } else { "the agency" },
        )));
    }
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
        Record::Message(_) | Record::NeedStatusChange(_) | Record::ReadReceipt(_) => Some(true),
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
    use convivio_core::{Hlc, RecordId, RecordKind};

    fn batch(first_seq: u64, n: usize) -> PushBatch {
        let change = Record::Tombstone(Tombstone {
            id: RecordId::new(),
            version: Hlc::ZERO,
            owner: Owner::caregiver(Uuid::nil()),
            record_kind: RecordKind::Entry,
            round: 0,
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
        if let Record::Tombstone(t) = &mut record {
            t.record_kind = RecordKind::CatalogueItem;
        }
        assert!(check_agency_record(agency, None, &record).is_err(), "a caregiver cannot own it");
        record = stamp_owner(&record, Owner::agency(agency));
        assert!(check_agency_record(agency, None, &record).is_ok());
        assert!(check_agency_record(Uuid::from_u128(2), None, &record).is_err(), "another agency's");
        let entry_deletion = stamp_owner(&batch(1, 1).changes.remove(0), Owner::agency(agency));
        assert!(
            check_agency_record(agency, None, &entry_deletion).is_err(),
            "the agency cannot delete an entry"
        );
    }

    #[test]
    fn a_device_batch_refuses_the_agencys_kinds_and_broken_records_one_by_one() {
        let owner = Owner::caregiver(Uuid::from_u128(5));
        let ok = batch(1, 1).changes.remove(0);
        let mut catalogue_deletion = ok.clone();
        if let Record::Tombstone(t) = &mut catalogue_deletion {
            t.record_kind = RecordKind::CatalogueItem;
        }
        let mut ahead = ok.clone();
        if let Record::Tombstone(t) = &mut ahead {
            t.deleted_at = Utc::now() + chrono::Duration::days(30);
        }
        let screened = screen(&[ok, catalogue_deletion, ahead], 7, owner, Utc::now());
        assert_eq!(screened.accepted.len(), 1);
        assert_eq!(screened.accepted[0].0, 7);
        assert_eq!(screened.accepted[0].1.owner(), owner);
        let refused: Vec<(u64, RefusalCode)> = screened.refused.iter().map(|r| (r.seq, r.code)).collect();
        assert_eq!(refused, [(8, RefusalCode::KindNotAllowed), (9, RefusalCode::Invalid)]);
        assert!(screened.refused[1].message.starts_with("deleted_at:"), "{}", screened.refused[1].message);
    }

    #[test]
    fn a_version_far_ahead_of_the_servers_clock_is_measured() {
        let now = Utc::now();
        let mut change = batch(1, 1).changes.remove(0);
        if let Record::Tombstone(t) = &mut change {
            t.version.wall_ms = now.timestamp_millis() as u64 + 3 * 3_600_000;
        }
        let ahead = too_far_ahead(std::slice::from_ref(&change), now, 60_000).unwrap();
        assert!((3 * 3_600_000 - 1_000..=3 * 3_600_000).contains(&ahead), "{ahead}");
        assert_eq!(too_far_ahead(&[change], now, 4 * 3_600_000), None);
    }
}
