//! Need status changes: staff moving a need along, from open to met or not met.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::need::NeedStatus;
use crate::text::LongText;
use crate::{Hlc, Invalid, Owner, RecordId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeedStatusChange {
    pub id: RecordId,
    pub version: Hlc,
    /// The staff member who made the change.
    pub owner: Owner,
    /// The need entry.
    pub entry_id: RecordId,
    pub status: NeedStatus,
    /// Why a need was not met; the caregiver deserves to know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<LongText>,
    pub changed_at: DateTime<Utc>,
}

impl NeedStatusChange {
    /// Checks the rules a change obeys on its own: "not met" always says why.
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.status == NeedStatus::NotMet && self.reason.is_none() {
            return Err(Invalid::new("reason", crate::Rule::Required, "is required when a need is not met"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NodeId;

    #[test]
    fn not_met_without_a_reason_is_refused() {
        let change = NeedStatusChange {
            id: RecordId::new(),
            version: Hlc { wall_ms: 1, counter: 0, node: NodeId(1) },
            owner: Owner::staff(uuid::Uuid::nil()),
            entry_id: RecordId::new(),
            status: NeedStatus::NotMet,
            reason: None,
            changed_at: Utc::now(),
        };
        assert_eq!(change.validate().unwrap_err().field, "reason");
    }
}
