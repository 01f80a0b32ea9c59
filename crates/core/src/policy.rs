//! One policy per record kind: who may write it, who may read it, what it hangs under, and
//! which way it travels. The server and the diary both ask here; nothing is allowed by default.
//!
//! The declaration is one exhaustive `match` on [`RecordKind`], so a new kind does not compile
//! until its policy is written, and every check elsewhere (what a device may push, what the
//! agency may write, what a device may pull, what a record's parent must be) follows from it
//! instead of from lists of kinds kept in several places.

use crate::{Record, RecordId, RecordKind, Role};

/// Who writes records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    /// One of the caregiver's enrolled devices (through sync).
    CaregiverDevice,
    /// An agency staff member (through the dashboard).
    Staff,
    /// The agency itself (its catalogue).
    Agency,
}

/// Who reads records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The owning caregiver's devices.
    CaregiverDevices,
    /// Agency staff (for entries: only what the caregiver shared).
    Staff,
}

/// Which way a kind travels between the devices and the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Device to server only; never pulled back.
    Up,
    /// Server to devices only; a device never pushes it.
    Down,
    /// Pushed by one device, pulled by the caregiver's other devices.
    Both,
}

impl Direction {
    pub fn goes_up(self) -> bool {
        matches!(self, Direction::Up | Direction::Both)
    }

    pub fn goes_down(self) -> bool {
        matches!(self, Direction::Down | Direction::Both)
    }
}

/// The rules of one record kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub written_by: &'static [Writer],
    pub read_by: &'static [Reader],
    /// The kind of record it hangs under, which must exist and belong to the same caregiver.
    pub parent: Option<RecordKind>,
    pub direction: Direction,
}

impl Policy {
    pub fn may_write(&self, writer: Writer) -> bool {
        self.written_by.contains(&writer)
    }
}

impl RecordKind {
    /// The policy of this kind. Exhaustive on purpose: see the module doc.
    pub const fn policy(self) -> Policy {
        use Direction::{Both, Down};
        use Reader as R;
        use Writer as W;
        match self {
            RecordKind::Entry => Policy {
                written_by: &[W::CaregiverDevice],
                read_by: &[R::CaregiverDevices, R::Staff],
                parent: None,
                direction: Both,
            },
            RecordKind::Message => Policy {
                written_by: &[W::CaregiverDevice, W::Staff],
                read_by: &[R::CaregiverDevices, R::Staff],
                parent: Some(RecordKind::Entry),
                direction: Both,
            },
            RecordKind::NeedStatusChange => Policy {
                written_by: &[W::Staff],
                read_by: &[R::CaregiverDevices, R::Staff],
                parent: Some(RecordKind::Entry),
                direction: Down,
            },
            RecordKind::CatalogueItem => Policy {
                written_by: &[W::Agency, W::Staff],
                read_by: &[R::CaregiverDevices, R::Staff],
                parent: None,
                direction: Down,
            },
            RecordKind::Profile => Policy {
                written_by: &[W::CaregiverDevice],
                read_by: &[R::CaregiverDevices, R::Staff],
                parent: None,
                direction: Both,
            },
            RecordKind::Consent => Policy {
                written_by: &[W::CaregiverDevice],
                read_by: &[R::CaregiverDevices, R::Staff],
                parent: None,
                direction: Both,
            },
            // Staff read the server's own tables (who opened what), not this record: it exists
            // to tell the caregiver, so it only goes down.
            RecordKind::ReadReceipt => Policy {
                written_by: &[W::Staff],
                read_by: &[R::CaregiverDevices],
                parent: Some(RecordKind::Entry),
                direction: Down,
            },
            // A deletion may be written by whoever may write the deleted kind (checked with
            // `Record::may_be_written_by`); it travels both ways so every copy goes.
            RecordKind::Tombstone => Policy {
                written_by: &[W::CaregiverDevice, W::Staff, W::Agency],
                read_by: &[R::CaregiverDevices, R::Staff],
                parent: None,
                direction: Both,
            },
        }
    }
}

/// The role a writer's records are owned by.
pub fn owner_role(writer: Writer) -> Role {
    match writer {
        Writer::CaregiverDevice => Role::Caregiver,
        Writer::Staff => Role::Staff,
        Writer::Agency => Role::Agency,
    }
}

impl Record {
    /// The record this one hangs under, if its kind has a parent.
    pub fn parent(&self) -> Option<RecordId> {
        match self {
            Record::Message(m) => Some(m.entry_id),
            Record::NeedStatusChange(s) => Some(s.entry_id),
            Record::ReadReceipt(r) => Some(r.entry_id),
            Record::Entry(_)
            | Record::CatalogueItem(_)
            | Record::Profile(_)
            | Record::Consent(_)
            | Record::Tombstone(_) => None,
        }
    }

    /// Whether `writer` may write this record: its kind's policy, and for a deletion also the
    /// deleted kind's (a device cannot delete the catalogue by sending a tombstone for it).
    pub fn may_be_written_by(&self, writer: Writer) -> bool {
        let kind_allows = self.kind().policy().may_write(writer);
        match self {
            Record::Tombstone(t) => {
                kind_allows
                    && t.record_kind != RecordKind::Tombstone
                    && t.record_kind.policy().may_write(writer)
            }
            _ => kind_allows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_write_only_the_caregivers_kinds() {
        let device: Vec<RecordKind> = RecordKind::ALL
            .iter()
            .copied()
            .filter(|k| k.policy().may_write(Writer::CaregiverDevice))
            .collect();
        assert_eq!(
            device,
            [
                RecordKind::Entry,
                RecordKind::Message,
                RecordKind::Profile,
                RecordKind::Consent,
                RecordKind::Tombstone
            ]
        );
        assert!(!RecordKind::NeedStatusChange.policy().direction.goes_up());
        assert!(!RecordKind::CatalogueItem.policy().direction.goes_up());
    }

    #[test]
    fn every_kind_that_goes_up_is_written_by_devices_and_every_kind_that_goes_down_is_read_by_them() {
        for kind in RecordKind::ALL {
            let p = kind.policy();
            assert_eq!(p.direction.goes_up(), p.may_write(Writer::CaregiverDevice), "{kind}");
            assert!(!p.direction.goes_down() || p.read_by.contains(&Reader::CaregiverDevices), "{kind}");
        }
    }

    #[test]
    fn messages_status_changes_and_read_receipts_hang_under_entries() {
        assert_eq!(RecordKind::Message.policy().parent, Some(RecordKind::Entry));
        assert_eq!(RecordKind::NeedStatusChange.policy().parent, Some(RecordKind::Entry));
        assert_eq!(RecordKind::ReadReceipt.policy().parent, Some(RecordKind::Entry));
        assert_eq!(RecordKind::Entry.policy().parent, None);
    }

    #[test]
    fn read_receipts_are_written_by_staff_only_and_read_only_by_the_caregivers_devices() {
        let p = RecordKind::ReadReceipt.policy();
        assert_eq!(p.written_by, [Writer::Staff]);
        assert_eq!(p.read_by, [Reader::CaregiverDevices]);
        assert_eq!(p.direction, Direction::Down);
        let receipt = crate::golden::records()
            .into_iter()
            .find(|r| r.kind() == RecordKind::ReadReceipt)
            .expect("a golden read receipt");
        assert!(receipt.may_be_written_by(Writer::Staff));
        assert!(!receipt.may_be_written_by(Writer::CaregiverDevice));
        assert!(!receipt.may_be_written_by(Writer::Agency));
        let deletion = Record::Tombstone(crate::tombstone::Tombstone {
            id: receipt.id(),
            version: receipt.version(),
            owner: crate::Owner::caregiver(uuid::Uuid::nil()),
            record_kind: RecordKind::ReadReceipt,
            round: 0,
            deleted_at: chrono::Utc::now(),
        });
        assert!(!deletion.may_be_written_by(Writer::CaregiverDevice), "a device cannot delete one either");
        let Record::ReadReceipt(r) = &receipt else { unreachable!("found by kind") };
        assert_eq!(receipt.parent(), Some(r.entry_id), "it hangs under the entry that was read");
    }
}
