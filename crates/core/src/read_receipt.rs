//! Read receipts: the first time a staff member opened one of the caregiver's entries.
//!
//! The study behind Convivio found that trust fails quietly when caregivers cannot tell whether
//! anyone at the agency looked at what they wrote. A receipt makes that visible: "Read by Giulia
//! Bianchi on 2 Dec 2026 10:14". Staff write them (the dashboard, once per staff member and
//! entry); they travel only down, to the entry owner's devices. Staff never read this record:
//! the dashboard answers from the server's own tables.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::text::ShortText;
use crate::{Hlc, Invalid, Owner, RecordId, Role, Rule};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadReceipt {
    pub id: RecordId,
    pub version: Hlc,
    /// The staff member who read the entry.
    pub owner: Owner,
    /// The entry that was read.
    pub entry_id: RecordId,
    /// The staff member's name as the caregiver is shown it, so a device need not know the
    /// agency's staff list.
    pub reader_name: ShortText,
    pub read_at: DateTime<Utc>,
}

impl ReadReceipt {
    /// Checks the rule a receipt obeys on its own: it is a staff member's (a receipt "from" the
    /// caregiver or the agency as a whole would tell the caregiver nothing true).
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.owner.role != Role::Staff {
            return Err(Invalid::new(
                "owner",
                Rule::NotAllowed,
                "a read receipt is written by a staff member",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NodeId;

    fn receipt(owner: Owner) -> ReadReceipt {
        ReadReceipt {
            id: RecordId::new(),
            version: Hlc { wall_ms: 1, counter: 0, node: NodeId(1) },
            owner,
            entry_id: RecordId::new(),
            reader_name: ShortText::parse("reader_name", "Giulia Bianchi").unwrap(),
            read_at: Utc::now(),
        }
    }

    #[test]
    fn a_receipt_is_a_staff_members_and_nobody_elses() {
        assert_eq!(receipt(Owner::staff(uuid::Uuid::nil())).validate(), Ok(()));
        for owner in [Owner::caregiver(uuid::Uuid::nil()), Owner::agency(uuid::Uuid::nil())] {
            let err = receipt(owner).validate().unwrap_err();
            assert_eq!((err.field.as_str(), err.code), ("owner", Rule::NotAllowed));
        }
    }

    #[test]
    fn a_receipt_without_a_readers_name_does_not_parse() {
        let mut json = serde_json::to_value(receipt(Owner::staff(uuid::Uuid::nil()))).unwrap();
        json["reader_name"] = serde_json::json!(" ");
        assert!(serde_json::from_value::<ReadReceipt>(json).is_err());
    }
}
