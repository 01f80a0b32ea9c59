//! Who may see an entry. The caregiver decides, per entry, and can change their mind.

use serde::{Deserialize, Serialize};

use crate::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sharing {
    /// Never leaves the device. The default: nothing is shared unless the caregiver says so.
    #[default]
    Private,
    /// Agency staff may read it and answer.
    Agency,
    /// The agency, and anonymised research exports when research consent is current.
    Research,
}

impl Sharing {
    pub const ALL: [Sharing; 3] = [Sharing::Private, Sharing::Agency, Sharing::Research];

    pub fn code(self) -> &'static str {
        match self {
            Sharing::Private => "private",
            Sharing::Agency => "agency",
            Sharing::Research => "research",
        }
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|s| s.code() == raw.trim()).ok_or_else(|| {
            Invalid::new(field, crate::Rule::UnknownChoice, "must be one of private, agency, research")
        })
    }

    /// Whether changes to a record with this sharing go to the agency's server.
    pub fn leaves_device(self) -> bool {
        self != Sharing::Private
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_private_stays_on_the_device() {
        assert!(!Sharing::Private.leaves_device());
        assert!(Sharing::Agency.leaves_device());
        assert!(Sharing::Research.leaves_device());
    }

    #[test]
    fn unknown_sharing_lists_the_choices() {
        let err = Sharing::parse("sharing", "everyone").unwrap_err();
        assert_eq!(err.rule, "must be one of private, agency, research");
    }
}
