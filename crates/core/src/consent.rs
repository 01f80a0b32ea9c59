//! Research consent: given for one version of the consent text, on a date, and revocable.
//! Exports use only entries of caregivers whose newest consent record is given and not revoked.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::text::ShortText;
use crate::{Hlc, Invalid, Owner, RecordId, Rule};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    pub id: RecordId,
    pub version: Hlc,
    pub owner: Owner,
    /// Which consent text was agreed to, such as `2026-1`.
    pub text_version: ShortText,
    pub given_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Consent {
    /// Whether this consent allows research use at `at`.
    pub fn is_current(&self, at: DateTime<Utc>) -> bool {
        self.given_at <= at && self.revoked_at.is_none_or(|r| r > at)
    }

    pub fn validate(&self) -> Result<(), Invalid> {
        if self.revoked_at.is_some_and(|r| r < self.given_at) {
            return Err(Invalid::new("revoked_at", Rule::Other, "must not be before given_at"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NodeId;
    use chrono::Duration;

    #[test]
    fn revoked_consent_is_no_longer_current() {
        let now = Utc::now();
        let mut c = Consent {
            id: RecordId::new(),
            version: Hlc { wall_ms: 1, counter: 0, node: NodeId(1) },
            owner: Owner::caregiver(uuid::Uuid::nil()),
            text_version: ShortText::parse("text_version", "2026-1").unwrap(),
            given_at: now - Duration::days(2),
            revoked_at: None,
        };
        assert!(c.is_current(now));
        c.revoked_at = Some(now - Duration::days(1));
        assert!(!c.is_current(now));
        assert!(c.is_current(now - Duration::hours(36)));
    }
}
