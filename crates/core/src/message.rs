//! Messages: a reply thread under an entry, between the caregiver and agency staff.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::text::LongText;
use crate::{Hlc, Invalid, Owner, RecordId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    pub id: RecordId,
    pub version: Hlc,
    /// The author: the caregiver or a staff member.
    pub owner: Owner,
    /// The entry this message answers.
    pub entry_id: RecordId,
    pub body: LongText,
    pub sent_at: DateTime<Utc>,
}

/// Raw message fields from an edge.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageInput {
    pub entry_id: String,
    pub body: String,
}

/// A validated message not yet stamped by a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageDraft {
    pub entry_id: RecordId,
    pub body: LongText,
}

impl MessageInput {
    pub fn parse(&self) -> Result<MessageDraft, Invalid> {
        Ok(MessageDraft {
            entry_id: RecordId::parse("entry_id", &self.entry_id)?,
            body: LongText::parse("body", &self.body)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_message_names_body() {
        let input = MessageInput { entry_id: RecordId::new().to_string(), body: " ".into() };
        assert_eq!(input.parse().unwrap_err().field, "body");
    }
}
