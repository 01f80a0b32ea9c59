//! Identifiers. Records get a UUIDv7 where they are created (offline, on any device), so ids
//! never collide across devices and sort roughly by creation time.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Invalid;

/// The id of any record: entry, message, catalogue item, ...
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordId(Uuid);

impl RecordId {
    /// A fresh UUIDv7 (time-ordered, random tail).
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }

    pub fn from_uuid(uuid: Uuid) -> Self {
        Self(uuid)
    }

    pub fn as_uuid(&self) -> &Uuid {
        &self.0
    }

    /// Parses an id typed at an edge, reporting failures under `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        Uuid::from_str(raw.trim()).map(Self).map_err(|_| {
            Invalid::new(
                field,
                crate::Rule::BadFormat,
                "must be a record id (a UUID such as 0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6a)",
            )
        })
    }
}

impl Default for RecordId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Who a party is in the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Caregiver,
    Staff,
    Agency,
}

/// The owner of a record: only the owner may change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Owner {
    pub role: Role,
    pub id: Uuid,
}

impl Owner {
    pub fn caregiver(id: Uuid) -> Self {
        Self { role: Role::Caregiver, id }
    }
    pub fn staff(id: Uuid) -> Self {
        Self { role: Role::Staff, id }
    }
    pub fn agency(id: Uuid) -> Self {
        Self { role: Role::Agency, id }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_version_7_and_increase() {
        let a = RecordId::new();
        let b = RecordId::new();
        assert_eq!(a.as_uuid().get_version_num(), 7);
        assert!(b > a);
    }

    #[test]
    fn a_malformed_id_names_the_field() {
        let err = RecordId::parse("entry_id", "not-an-id").unwrap_err();
        assert_eq!(err.field, "entry_id");
        assert!(err.rule.contains("UUID"));
    }
}
