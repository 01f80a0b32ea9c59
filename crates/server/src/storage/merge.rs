//! What a write does to stored records: the version rules as one pure function, shared by both
//! backends so they cannot drift apart, and tested here without a database.
//!
//! A backend loads the rows a write touches ([`wanted`]: the records themselves, their parents,
//! and the children of entries being deleted), calls [`merge`], and carries out the [`Plan`] in
//! its transaction: delete the rows it names, erase the histories it names, upsert the rows,
//! insert the history versions, then stamp change ids.
//!
//! Which version wins is core's one rule ([`convivio_core::verdict`]): by round, then deletion,
//! then clock, so a deletion or a withdrawal sticks against edits made without seeing it. What
//! is added here is who may change what, and what hangs under what: a message must hang under an
//! entry of the same caregiver that is not deleted, and deleting or withdrawing an entry deletes
//! the caregiver's messages under it, history and all.

use std::collections::{HashMap, HashSet};

use convivio_core::sync::RefusalCode;
use convivio_core::{Hlc, Rank, Record, RecordId, RecordKind, Verdict, verdict};
use uuid::Uuid;

use super::Merged;
use super::columns::Columns;
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
    /// The entry's round (see `convivio_core::verdict`); 0 for other kinds.
    pub round: u32,
    /// The record it hangs under (a message's entry).
    pub parent_id: Option<RecordId>,
    /// The whole record as JSON: what is stored, pulled, and moved to history if it loses.
    pub body: String,
    /// The readable columns of a version about to be written; empty for rows read back, which
    /// the merge only compares.
    pub columns: Columns,
}

impl Row {
    fn rank(&self) -> Rank {
        Rank { round: self.round, deletion: self.kind == RecordKind::Tombstone, version: self.version }
    }
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

    /// Whether `parent` may carry a child written by this writer: of the same agency and
    /// caregiver, and not deleted.
    fn may_hang_under(&self, parent: &Row, kind: RecordKind) -> bool {
        let (agency_id, caregiver_id) = match *self {
            Writer::Device { agency_id, caregiver_id, .. } => (agency_id, Some(caregiver_id)),
            Writer::Agency { agency_id, caregiver_id } => (agency_id, caregiver_id),
        };
        parent.agency_id == agency_id && parent.caregiver_id == caregiver_id && parent.kind == kind
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
            round: record.rank().round,
            parent_id: record.parent(),
            body,
            columns: Columns::of(record),
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
    /// Rows deleted outright, with their history: the caregiver's messages under an entry
    /// that was deleted or withdrawn.
    pub delete_rows: Vec<RecordId>,
    /// Records whose stored history a winning tombstone deletes.
    pub erase_history: Vec<RecordId>,
    /// New current rows, in the order they first won; each gets a fresh change id.
    pub writes: Vec<(RecordId, Row)>,
    /// Versions that lost; inserted after the writes (history rows reference records).
    pub history: Vec<Kept>,
    /// One outcome per incoming record, in order.
    pub outcomes: Vec<Merged>,
}

/// The rows a merge of `incoming` needs: the records' own and their parents' (`ids`), and the
/// children of the entries it deletes (`children_of`, by `parent_id`).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Wanted {
    pub ids: Vec<RecordId>,
    pub children_of: Vec<RecordId>,
}

pub(crate) fn wanted(incoming: &[Record]) -> Wanted {
    let mut seen = HashSet::new();
    let mut wanted = Wanted::default();
    for record in incoming {
        for id in std::iter::once(record.id()).chain(record.parent()) {
            if seen.insert(id) {
                wanted.ids.push(id);
            }
        }
        if let Record::Tombstone(t) = record
            && t.record_kind == RecordKind::Entry
            && !wanted.children_of.contains(&t.id)
        {
            wanted.children_of.push(t.id);
        }
    }
    wanted
}

/// Merges `incoming` (in order) into `current`, the stored rows [`wanted`] named.
pub(crate) fn merge(
    writer: Writer,
    mut current: HashMap<RecordId, Row>,
    incoming: &[Record],
) -> StoreResult<Plan> {
    let mut plan = Plan::default();
    let mut erased = HashSet::new();
    let mut written = Vec::new();
    let mut deleted_entries = Vec::new();
    for record in incoming {
        let id = record.id();
        let rank = record.rank();
        let body = serde_json::to_string(record)
            .map_err(|e| StoreError::Database(format!("cannot serialise record {id}: {e}")))?;
        let tombstone = record.kind() == RecordKind::Tombstone;
        if let (Some(kind), Some(parent)) = (record.kind().policy().parent, record.parent())
            && !current.get(&parent).is_some_and(|p| writer.may_hang_under(p, kind))
        {
            plan.outcomes.push(Merged::Refused(RefusalCode::NoParent));
            continue;
        }
        let outcome = match current.get(&id) {
            Some(row) if !writer.may_change(row) => Merged::Refused(RefusalCode::NotYours),
            Some(row) => match verdict(row.rank(), rank) {
                Verdict::Same => Merged::Duplicate,
                // The deletion stands: content it deleted is not kept, not even in history.
                Verdict::Older if row.kind == RecordKind::Tombstone => Merged::Dropped,
                Verdict::Older => {
                    plan.history.push(Kept { record_id: id, version: rank.version, body: body.clone() });
                    Merged::History
                }
                Verdict::Newer => {
                    if tombstone {
                        if erased.insert(id) {
                            plan.erase_history.push(id);
                        }
                        plan.history.retain(|k| k.record_id != id);
                    } else {
                        plan.history.push(Kept {
                            record_id: id,
                            version: row.version,
                            body: row.body.clone(),
                        });
                    }
                    Merged::Current
                }
            },
            None => Merged::Current,
        };
        if outcome == Merged::Current {
            if !written.contains(&id) {
                written.push(id);
            }
            if let Record::Tombstone(t) = record
                && t.record_kind == RecordKind::Entry
            {
                deleted_entries.push(id);
            } else {
                deleted_entries.retain(|e| *e != id);
            }
            current.insert(id, writer.row(record, body));
        }
        plan.outcomes.push(outcome);
    }
    // The caregiver's messages under an entry now deleted or withdrawn go with it.
    for entry in deleted_entries {
        let children: Vec<RecordId> = current
            .iter()
            .filter(|(_, row)| {
                row.parent_id == Some(entry)
                    && row.kind == RecordKind::Message
                    && row.origin_device_id.is_some()
            })
            .map(|(id, _)| *id)
            .collect();
        for child in children {
            current.remove(&child);
            written.retain(|w| *w != child);
            plan.history.retain(|k| k.record_id != child);
            plan.delete_rows.push(child);
        }
    }
    plan.delete_rows.sort();
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

    fn parent() -> RecordId {
        RecordId::from_uuid(Uuid::from_u128(0xe))
    }

    fn tombstone_of(id: RecordId, kind: RecordKind, round: u32, at: u64) -> Record {
        Record::Tombstone(Tombstone {
            id,
            version: v(at),
            owner: Owner::caregiver(CAREGIVER),
            record_kind: kind,
            round,
            deleted_at: Utc::now(),
        })
    }

    fn tombstone(id: RecordId, at: u64) -> Record {
        tombstone_of(id, RecordKind::Message, 0, at)
    }

    fn message(id: RecordId, at: u64) -> Record {
        Record::Message(Message {
            id,
            version: v(at),
            owner: Owner::caregiver(CAREGIVER),
            entry_id: parent(),
            body: LongText::parse("body", "grazie").unwrap(),
            sent_at: Utc::now(),
        })
    }

    /// A stored row standing for a live message at version `at` (the body is only carried along).
    fn row(at: u64) -> Row {
        Row {
            agency_id: AGENCY,
            caregiver_id: Some(CAREGIVER),
            origin_device_id: Some(DEVICE),
            kind: RecordKind::Message,
            version: v(at),
            round: 0,
            parent_id: Some(parent()),
            body: format!("message@{at}"),
            columns: Columns::default(),
        }
    }

    /// The stored entry the messages hang under.
    fn entry_row() -> Row {
        Row { kind: RecordKind::Entry, parent_id: None, body: "entry".into(), ..row(1) }
    }

    /// `rows` plus the parent entry.
    fn stored(rows: impl IntoIterator<Item = (RecordId, Row)>) -> HashMap<RecordId, Row> {
        let mut map: HashMap<RecordId, Row> = rows.into_iter().collect();
        map.insert(parent(), entry_row());
        map
    }

    #[test]
    fn an_older_version_goes_to_history_and_a_newer_one_pushes_the_stored_one_there() {
        let id = RecordId::new();
        let plan = merge(DEVICE_WRITER, stored([(id, row(5))]), &[message(id, 3), message(id, 8)]).unwrap();
        assert_eq!(plan.outcomes, [Merged::History, Merged::Current]);
        assert_eq!(plan.history.iter().map(|k| k.version).collect::<Vec<_>>(), [v(3), v(5)]);
        assert_eq!(plan.history[1].body, "message@5", "the stored body moves to history verbatim");
        assert_eq!(plan.writes[0].1.version, v(8));
    }

    #[test]
    fn a_deletion_wins_over_a_later_edit_it_never_saw_and_erases_history() {
        let id = RecordId::new();
        let plan = merge(DEVICE_WRITER, stored([(id, row(5))]), &[message(id, 3), tombstone(id, 2)]).unwrap();
        assert_eq!(plan.outcomes, [Merged::History, Merged::Current]);
        assert_eq!(plan.erase_history, [id]);
        assert!(plan.history.is_empty(), "neither the stored content nor the loser is kept");
        assert_eq!(plan.writes[0].1.kind, RecordKind::Tombstone);
    }

    #[test]
    fn an_edit_of_the_same_round_never_beats_a_deletion_whatever_its_clock() {
        let id = RecordId::new();
        let mut deleted = row(9);
        deleted.kind = RecordKind::Tombstone;
        for at in [2, 12, 0xffff_ffff] {
            let plan = merge(DEVICE_WRITER, stored([(id, deleted.clone())]), &[message(id, at)]).unwrap();
            assert_eq!(plan.outcomes, [Merged::Dropped], "edit at {at}");
            assert!(plan.history.is_empty() && plan.writes.is_empty());
        }
    }

    #[test]
    fn an_entry_shared_again_in_the_next_round_wins_over_its_withdrawal() {
        let id = parent();
        let withdrawn = Row { kind: RecordKind::Tombstone, round: 2, version: v(50), ..entry_row() };
        let mut entry: Record = convivio_core::golden::records()
            .into_iter()
            .find(|r| r.kind() == RecordKind::Entry)
            .expect("a golden entry");
        if let Record::Entry(e) = &mut entry {
            e.id = id;
            e.version = v(10);
            e.round = 3;
        }
        let plan = merge(DEVICE_WRITER, HashMap::from([(id, withdrawn.clone())]), &[entry.clone()]).unwrap();
        assert_eq!(plan.outcomes, [Merged::Current]);
        assert_eq!(plan.writes[0].1.round, 3);
        if let Record::Entry(e) = &mut entry {
            e.round = 2;
            e.version = v(99);
        }
        let plan = merge(DEVICE_WRITER, HashMap::from([(id, withdrawn)]), &[entry]).unwrap();
        assert_eq!(plan.outcomes, [Merged::Dropped], "an edit of the withdrawn round stays out");
    }

    #[test]
    fn the_same_version_again_is_a_duplicate() {
        let id = RecordId::new();
        let plan = merge(DEVICE_WRITER, stored([(id, row(4))]), &[message(id, 4)]).unwrap();
        assert_eq!(plan.outcomes, [Merged::Duplicate]);
    }

    #[test]
    fn nobody_overwrites_what_they_may_not_change() {
        let id = RecordId::new();
        let mut staff_message = row(1);
        staff_message.origin_device_id = None;
        let plan = merge(DEVICE_WRITER, stored([(id, staff_message.clone())]), &[tombstone(id, 9)]);
        assert_eq!(plan.unwrap().outcomes, [Merged::Refused(RefusalCode::NotYours)]);

        let other_caregiver =
            Writer::Device { agency_id: AGENCY, caregiver_id: Uuid::from_u128(9), device_id: DEVICE };
        let plan = merge(other_caregiver, stored([(id, row(1))]), &[tombstone(id, 9)]).unwrap();
        assert_eq!(plan.outcomes, [Merged::Refused(RefusalCode::NotYours)]);

        let agency = Writer::Agency { agency_id: AGENCY, caregiver_id: Some(CAREGIVER) };
        assert_eq!(
            merge(agency, stored([(id, row(1))]), &[tombstone(id, 9)]).unwrap().outcomes,
            [Merged::Refused(RefusalCode::NotYours)]
        );
        assert_eq!(
            merge(agency, stored([(id, staff_message)]), &[tombstone(id, 9)]).unwrap().outcomes,
            [Merged::Current]
        );
    }

    #[test]
    fn a_message_hangs_only_under_a_live_entry_of_the_same_caregiver() {
        let id = RecordId::new();
        let plan = merge(DEVICE_WRITER, HashMap::new(), &[message(id, 1)]).unwrap();
        assert_eq!(plan.outcomes, [Merged::Refused(RefusalCode::NoParent)], "no such entry");

        let mut someone_elses = entry_row();
        someone_elses.caregiver_id = Some(Uuid::from_u128(9));
        let plan =
            merge(DEVICE_WRITER, HashMap::from([(parent(), someone_elses)]), &[message(id, 1)]).unwrap();
        assert_eq!(plan.outcomes, [Merged::Refused(RefusalCode::NoParent)], "another caregiver's entry");

        let deleted = Row { kind: RecordKind::Tombstone, ..entry_row() };
        let plan = merge(DEVICE_WRITER, HashMap::from([(parent(), deleted)]), &[message(id, 1)]).unwrap();
        assert_eq!(plan.outcomes, [Merged::Refused(RefusalCode::NoParent)], "a deleted entry");
        assert!(plan.writes.is_empty());
    }

    #[test]
    fn deleting_an_entry_deletes_the_caregivers_messages_under_it_even_from_the_same_batch() {
        let (old, new, staff) = (RecordId::new(), RecordId::new(), RecordId::new());
        let mut staff_reply = row(2);
        staff_reply.origin_device_id = None;
        let current = stored([(old, row(2)), (staff, staff_reply)]);
        let plan = merge(
            DEVICE_WRITER,
            current,
            &[message(new, 3), tombstone_of(parent(), RecordKind::Entry, 0, 4)],
        )
        .unwrap();
        assert_eq!(plan.outcomes, [Merged::Current, Merged::Current]);
        let mut expected = vec![old, new];
        expected.sort();
        assert_eq!(plan.delete_rows, expected);
        assert_eq!(
            plan.writes.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            [parent()],
            "the staff reply stays"
        );
    }

    #[test]
    fn the_rows_wanted_are_the_records_their_parents_and_the_children_of_deleted_entries() {
        let id = RecordId::new();
        let w = wanted(&[message(id, 1), tombstone_of(parent(), RecordKind::Entry, 0, 2)]);
        assert_eq!(w.ids, [id, parent()]);
        assert_eq!(w.children_of, [parent()]);
    }

    #[test]
    fn several_versions_of_one_record_in_a_batch_write_it_once() {
        let id = RecordId::new();
        let plan =
            merge(DEVICE_WRITER, stored([]), &[message(id, 1), message(id, 3), message(id, 2)]).unwrap();
        assert_eq!(plan.outcomes, [Merged::Current, Merged::Current, Merged::History]);
        assert_eq!(plan.writes.len(), 1);
        assert_eq!(plan.writes[0].1.version, v(3));
        assert_eq!(plan.writes[0].1.origin_device_id, Some(DEVICE));
        assert_eq!(plan.history.iter().map(|k| k.version).collect::<Vec<_>>(), [v(1), v(2)]);
    }
}
