//! What a write does to stored records: the version rules as one pure function, shared by both
//! backends so they cannot drift apart, and tested here without a database.
//!
//! A backend loads the current rows of the records a write touches, calls [`merge`], and
//! carries out the [`Plan`] in its transaction: erase the histories it names, upsert the rows,
//! insert the history versions, then stamp change ids.

use std::collections::{HashMap, HashSet};

use convivio_core::{Hlc, Record, RecordId, RecordKind};
use uuid::Uuid;

use super::Merged;
use crate::error::{StoreError, StoreResult};

/// A record's current row, as the merge needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub agency_id: Uuid,
    /// `None` for agency-wide records (the catalogue).
    pub caregiver_id: Option<Uuid>,
    /// The device that wrote this version; `None` when the agency did.
    pub origin_device_id: Option<Uuid>,
    pub kind: RecordKind,
    pub version: Hlc,
    /// The whole record as JSON: what is stored, pulled, and moved to history if it loses.
    pub body: String,
}

/// Who is writing, which decides what they may overwrite and how new rows are scoped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Writer {
    /// A caregiver's device: it may change only what its caregiver's devices wrote.
    Device { agency_id: Uuid, caregiver_id: Uuid, device_id: Uuid },
    /// The agency (staff, catalogue): it may change only its own agency-side records.
    Agency { agency_id: Uuid, caregiver_id: Option<Uuid> },
}

impl Writer {
    fn may_change(&self, row: &Row) -> bool {
        match *self {
            Writer::Device { agency_id, caregiver_id, .. } => {
                row.agency_id == agency_id
                    && row.caregiver_id == Some(caregiver_id)
                    && row.origin_device_id.is_some()
            }
            Writer::Agency { agency_id, .. } => row.agency_id == agency_id && row.origin_device_id.is_none(),
        }
    }

    fn row(&self, record: &Record, body: String) -> Row {
        let (agency_id, caregiver_id, origin_device_id) = match *self {
            Writer::Device { agency_id, caregiver_id, device_id } => {
                (agency_id, Some(caregiver_id), Some(device_id))
            }
            Writer::Agency { agency_id, caregiver_id } => (agency_id, caregiver_id, None),
        };
        Row {
            agency_id,
            caregiver_id,
            origin_device_id,
            kind: record.kind(),
            version: record.version(),
            body,
        }
    }
}

/// A version kept in history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Kept {
    pub record_id: RecordId,
    pub version: Hlc,
    pub body: String,
}

/// What a backend must do, in this order.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Records whose stored history a winning tombstone deletes.
    pub erase_history: Vec<RecordId>,
    /// New current rows, in the order they first won; each gets a fresh change id.
    pub writes: Vec<(RecordId, Row)>,
    /// Versions that lost; inserted after the writes (history rows reference records).
    pub history: Vec<Kept>,
    /// One outcome per incoming record, in order.
    pub outcomes: Vec<Merged>,
}

/// Merges `incoming` (in order) into `current`, the stored rows of the records they touch.
pub(crate) fn merge(
    writer: Writer,
    mut current: HashMap<RecordId, Row>,
    incoming: &[Record],
) -> StoreResult<Plan> {
    let mut plan = Plan::default();
    let mut erased = HashSet::new();
    let mut written = Vec::new();
    for record in incoming {
        let id = record.id();
        let version = record.version();
        let body = serde_json::to_string(record)
            .map_err(|e| StoreError::Database(format!("cannot serialise record {id}: {e}")))?;
        let tombstone = record.kind() == RecordKind::Tombstone;
        let outcome = match current.get(&id) {
            Some(row) if !writer.may_change(row) => Merged::Refused,
            Some(row) if row.version == version => Merged::Duplicate,
            Some(row) if row.version > version => {
                if row.kind == RecordKind::Tombstone {
                    // The deletion is newer: an older content must not linger, even as history.
                    Merged::Dropped
                } else {
                    plan.history.push(Kept { record_id: id, version, body: body.clone() });
                    Merged::History
                }
            }
            older => {
                if tombstone {
                    if erased.insert(id) {
                        plan.erase_history.push(id);
                    }
                    plan.history.retain(|k| k.record_id != id);
                } else if let Some(row) = older {
                    plan.history.push(Kept { record_id: id, version: row.version, body: row.body.clone() });
                }
                if !written.contains(&id) {
                    written.push(id);
                }
                current.insert(id, writer.row(record, body));
                Merged::Current
            }
        };
        plan.outcomes.push(outcome);
    }
    for id in written {
        if let Some(row) = current.remove(&id) {
            plan.writes.push((id, row));
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use convivio_core::message::Message;
    use convivio_core::text::LongText;
    use convivio_core::tombstone::Tombstone;
    use convivio_core::{NodeId, Owner};

    const AGENCY: Uuid = Uuid::from_u128(1);
    const CAREGIVER: Uuid = Uuid::from_u128(2);
    const DEVICE: Uuid = Uuid::from_u128(3);
    const DEVICE_WRITER: Writer =
        Writer::Device { agency_id: AGENCY, caregiver_id: CAREGIVER, device_id: DEVICE };

    fn v(wall_ms: u64) -> Hlc {
        Hlc { wall_ms, counter: 0, node: NodeId(7) }
    }

    fn tombstone(id: RecordId, at: u64) -> Record {
        Record::Tombstone(Tombstone {
            id,
            version: v(at),
            owner: Owner::caregiver(CAREGIVER),
            record_kind: RecordKind::Entry,
            deleted_at: Utc::now(),
        })
    }

    fn message(id: RecordId, at: u64) -> Record {
        Record::Message(Message {
            id,
            version: v(at),
            owner: Owner::caregiver(CAREGIVER),
            entry_id: RecordId::new(),
            body: LongText::parse("body", "grazie").unwrap(),
            sent_at: Utc::now(),
        })
    }

    /// A stored row standing for a live record at version `at` (the body is only carried along).
    fn row(at: u64) -> Row {
        Row {
            agency_id: AGENCY,
            caregiver_id: Some(CAREGIVER),
            origin_device_id: Some(DEVICE),
            kind: RecordKind::Message,
            version: v(at),
            body: format!("message@{at}"),
        }
    }

    #[test]
    fn an_older_version_goes_to_history_and_a_newer_one_pushes_the_stored_one_there() {
        let id = RecordId::new();
        let plan =
            merge(DEVICE_WRITER, HashMap::from([(id, row(5))]), &[message(id, 3), message(id, 8)]).unwrap();
        assert_eq!(plan.outcomes, [Merged::History, Merged::Current]);
        assert_eq!(plan.history.iter().map(|k| k.version).collect::<Vec<_>>(), [v(3), v(5)]);
        assert_eq!(plan.history[1].body, "message@5", "the stored body moves to history verbatim");
        assert_eq!(plan.writes[0].1.version, v(8));
    }

    #[test]
    fn a_losing_tombstone_is_kept_like_any_loser() {
        let id = RecordId::new();
        let plan = merge(DEVICE_WRITER, HashMap::from([(id, row(5))]), &[tombstone(id, 3)]).unwrap();
        assert_eq!(plan.outcomes, [Merged::History]);
        assert!(plan.writes.is_empty());
    }

    #[test]
    fn a_winning_tombstone_erases_history_even_what_this_batch_added() {
        let id = RecordId::new();
        let plan =
            merge(DEVICE_WRITER, HashMap::from([(id, row(5))]), &[message(id, 3), tombstone(id, 9)]).unwrap();
        assert_eq!(plan.outcomes, [Merged::History, Merged::Current]);
        assert_eq!(plan.erase_history, [id]);
        assert!(plan.history.is_empty(), "neither the stored content nor the loser is kept");
        assert_eq!(plan.writes[0].1.kind, RecordKind::Tombstone);
    }

    #[test]
    fn content_older_than_a_stored_tombstone_is_dropped() {
        let id = RecordId::new();
        let mut stored = row(9);
        stored.kind = RecordKind::Tombstone;
        let plan = merge(DEVICE_WRITER, HashMap::from([(id, stored)]), &[message(id, 2)]).unwrap();
        assert_eq!(plan.outcomes, [Merged::Dropped]);
        assert!(plan.history.is_empty() && plan.writes.is_empty());
    }

    #[test]
    fn a_newer_edit_still_wins_over_a_tombstone() {
        let id = RecordId::new();
        let mut stored = row(9);
        stored.kind = RecordKind::Tombstone;
        let plan = merge(DEVICE_WRITER, HashMap::from([(id, stored)]), &[message(id, 12)]).unwrap();
        assert_eq!(plan.outcomes, [Merged::Current]);
        assert_eq!(plan.writes[0].1.kind, RecordKind::Message);
    }

    #[test]
    fn the_same_version_again_is_a_duplicate() {
        let id = RecordId::new();
        let plan = merge(DEVICE_WRITER, HashMap::from([(id, row(4))]), &[tombstone(id, 4)]).unwrap();
        assert_eq!(plan.outcomes, [Merged::Duplicate]);
    }

    #[test]
    fn nobody_overwrites_what_they_may_not_change() {
        let id = RecordId::new();
        let mut staff_message = row(1);
        staff_message.origin_device_id = None;
        let plan = merge(DEVICE_WRITER, HashMap::from([(id, staff_message.clone())]), &[tombstone(id, 9)]);
        assert_eq!(plan.unwrap().outcomes, [Merged::Refused]);

        let other_caregiver =
            Writer::Device { agency_id: AGENCY, caregiver_id: Uuid::from_u128(9), device_id: DEVICE };
        let plan = merge(other_caregiver, HashMap::from([(id, row(1))]), &[tombstone(id, 9)]).unwrap();
        assert_eq!(plan.outcomes, [Merged::Refused]);

        let agency = Writer::Agency { agency_id: AGENCY, caregiver_id: Some(CAREGIVER) };
        assert_eq!(
            merge(agency, HashMap::from([(id, row(1))]), &[tombstone(id, 9)]).unwrap().outcomes,
            [Merged::Refused]
        );
        assert_eq!(
            merge(agency, HashMap::from([(id, staff_message)]), &[tombstone(id, 9)]).unwrap().outcomes,
            [Merged::Current]
        );
    }

    #[test]
    fn several_versions_of_one_record_in_a_batch_write_it_once() {
        let id = RecordId::new();
        let plan =
            merge(DEVICE_WRITER, HashMap::new(), &[message(id, 1), message(id, 3), message(id, 2)]).unwrap();
        assert_eq!(plan.outcomes, [Merged::Current, Merged::Current, Merged::History]);
        assert_eq!(plan.writes.len(), 1);
        assert_eq!(plan.writes[0].1.version, v(3));
        assert_eq!(plan.writes[0].1.origin_device_id, Some(DEVICE));
        assert_eq!(plan.history.iter().map(|k| k.version).collect::<Vec<_>>(), [v(1), v(2)]);
    }
}
