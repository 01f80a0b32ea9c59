//! Tombstones: a deletion, synced and versioned like any other change, so a delete on one device
//! reaches the server and the caregiver's other devices, and loses to a later edit.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Hlc, Owner, RecordId, RecordKind};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tombstone {
    /// The deleted record's id.
    pub id: RecordId,
    pub version: Hlc,
    pub owner: Owner,
    /// What kind of record was deleted.
    pub record_kind: RecordKind,
    /// For an entry, the round it closes (see [`crate::verdict`]); 0, and then left out of the
    /// JSON, for every other kind.
    #[serde(
        default,
        skip_serializing_if = "crate::entry::is_zero",
        deserialize_with = "crate::whole::u32_lenient"
    )]
    pub round: u32,
    pub deleted_at: DateTime<Utc>,
}
