//! Any record, as one type: what the outbox holds, what sync moves and what exports write.

use serde::{Deserialize, Serialize};

use crate::catalogue::CatalogueItem;
use crate::code::coded;
use crate::consent::Consent;
use crate::entry::Entry;
use crate::message::Message;
use crate::need_status::NeedStatusChange;
use crate::profile::Profile;
use crate::read_receipt::ReadReceipt;
use crate::tombstone::Tombstone;
use crate::{Hlc, Owner, RecordId};

coded!(
    /// The kinds of record.
    RecordKind {
        Entry => "entry",
        Message => "message",
        NeedStatusChange => "need_status_change",
        CatalogueItem => "catalogue_item",
        Profile => "profile",
        Consent => "consent",
        Tombstone => "tombstone",
        ReadReceipt => "read_receipt",
    }
);

/// One record of any kind, tagged `record` on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "record", rename_all = "snake_case")]
pub enum Record {
    Entry(Entry),
    Message(Message),
    NeedStatusChange(NeedStatusChange),
    CatalogueItem(CatalogueItem),
    Profile(Profile),
    Consent(Consent),
    Tombstone(Tombstone),
    ReadReceipt(ReadReceipt),
}

impl Record {
    pub fn kind(&self) -> RecordKind {
        match self {
            Record::Entry(_) => RecordKind::Entry,
            Record::Message(_) => RecordKind::Message,
            Record::NeedStatusChange(_) => RecordKind::NeedStatusChange,
            Record::CatalogueItem(_) => RecordKind::CatalogueItem,
            Record::Profile(_) => RecordKind::Profile,
            Record::Consent(_) => RecordKind::Consent,
            Record::Tombstone(_) => RecordKind::Tombstone,
            Record::ReadReceipt(_) => RecordKind::ReadReceipt,
        }
    }

    pub fn id(&self) -> RecordId {
        match self {
            Record::Entry(r) => r.id,
            Record::Message(r) => r.id,
            Record::NeedStatusChange(r) => r.id,
            Record::CatalogueItem(r) => r.id,
            Record::Profile(r) => r.id,
            Record::Consent(r) => r.id,
            Record::Tombstone(r) => r.id,
            Record::ReadReceipt(r) => r.id,
        }
    }

    pub fn version(&self) -> Hlc {
        match self {
            Record::Entry(r) => r.version,
            Record::Message(r) => r.version,
            Record::NeedStatusChange(r) => r.version,
            Record::CatalogueItem(r) => r.version,
            Record::Profile(r) => r.version,
            Record::Consent(r) => r.version,
            Record::Tombstone(r) => r.version,
            Record::ReadReceipt(r) => r.version,
        }
    }

    pub fn owner(&self) -> Owner {
        match self {
            Record::Entry(r) => r.owner,
            Record::Message(r) => r.owner,
            Record::NeedStatusChange(r) => r.owner,
            Record::CatalogueItem(r) => r.owner,
            Record::Profile(r) => r.owner,
            Record::Consent(r) => r.owner,
            Record::Tombstone(r) => r.owner,
            Record::ReadReceipt(r) => r.owner,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NodeId;
    use chrono::Utc;

    #[test]
    fn a_tombstone_round_trips_tagged() {
        let t = Record::Tombstone(Tombstone {
            id: RecordId::new(),
            version: Hlc { wall_ms: 5, counter: 0, node: NodeId(9) },
            owner: Owner::caregiver(uuid::Uuid::nil()),
            record_kind: RecordKind::Entry,
            round: 0,
            deleted_at: Utc::now(),
        });
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["record"], "tombstone");
        assert_eq!(json["record_kind"], "entry");
        assert_eq!(serde_json::from_value::<Record>(json).unwrap(), t);
    }
}

macro_rules! into_record {
    ($($variant:ident($ty:ty)),+) => {
        $(impl From<$ty> for Record {
            fn from(r: $ty) -> Record {
                Record::$variant(r)
            }
        }

        impl TryFrom<Record> for $ty {
            /// The record, when it is of another kind.
            type Error = Record;
            fn try_from(r: Record) -> Result<$ty, Record> {
                match r {
                    Record::$variant(inner) => Ok(inner),
                    other => Err(other),
                }
            }
        })+
    };
}

into_record!(
    Entry(Entry),
    Message(Message),
    NeedStatusChange(NeedStatusChange),
    CatalogueItem(CatalogueItem),
    Profile(Profile),
    Consent(Consent),
    Tombstone(Tombstone),
    ReadReceipt(ReadReceipt)
);
