//! The agency's service catalogue, synced down to devices so caregivers can pick a service by
//! name when they record an experience.

use serde::{Deserialize, Serialize};

use crate::text::{LongText, ShortText};
use crate::{Hlc, Owner, RecordId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogueItem {
    pub id: RecordId,
    pub version: Hlc,
    /// The agency.
    pub owner: Owner,
    pub name: ShortText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<LongText>,
    /// Withdrawn services stay in the catalogue so old experiences keep their name.
    pub active: bool,
}
