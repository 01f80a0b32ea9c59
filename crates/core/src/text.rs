//! Bounded text. Lengths count characters (Unicode scalar values), not bytes, so an Italian
//! caregiver's accented letters do not eat a limit twice as fast.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Invalid, Rule};

/// The longest free text a caregiver can write in one field: about eight pages.
pub const LONG_TEXT_MAX: usize = 20_000;
/// The longest label, name or short reason.
pub const SHORT_TEXT_MAX: usize = 200;

macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            /// Trims the text and checks it is not empty and not longer than the limit.
            pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
                let trimmed = raw.trim();
                if trimmed.is_empty() {
                    return Err(Invalid::new(field, Rule::Empty, "must not be empty"));
                }
                let chars = trimmed.chars().count();
                if chars > $max {
                    return Err(Invalid::new(
                        field,
                        Rule::TooLong { max: $max as u64 },
                        format!("must be at most {} characters (this one has {chars})", $max),
                    ));
                }
                if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
                    return Err(Invalid::new(field, Rule::BadFormat, "must not contain control characters"));
                }
                Ok(Self(trimmed.to_owned()))
            }

            /// Like [`Self::parse`], but empty or missing input means "no text".
            pub fn parse_optional(field: &str, raw: Option<&str>) -> Result<Option<Self>, Invalid> {
                match raw {
                    Some(s) if !s.trim().is_empty() => Self::parse(field, s).map(Some),
                    _ => Ok(None),
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = Invalid;
            fn try_from(value: String) -> Result<Self, Invalid> {
                Self::parse(stringify!($name), &value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

bounded_text!(
    /// Free text: a note, a need's description, what went well or badly.
    LongText,
    LONG_TEXT_MAX
);
bounded_text!(
    /// A name, label or short reason.
    ShortText,
    SHORT_TEXT_MAX
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed() {
        assert_eq!(ShortText::parse("name", "  Anna ").unwrap().as_str(), "Anna");
    }

    #[test]
    fn empty_text_names_the_field_and_the_rule() {
        let err = LongText::parse("text", "   ").unwrap_err();
        assert_eq!(err, Invalid::new("text", Rule::Empty, "must not be empty"));
    }

    #[test]
    fn a_hundred_kilobytes_of_text_is_refused() {
        let big = "a".repeat(100 * 1024);
        let err = LongText::parse("text", &big).unwrap_err();
        assert_eq!(err.field, "text");
        assert!(err.rule.contains("at most 20000 characters"), "{}", err.rule);
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        let accented = "à".repeat(LONG_TEXT_MAX);
        assert!(LongText::parse("text", &accented).is_ok());
    }

    #[test]
    fn control_characters_are_refused_but_newlines_are_kept() {
        assert!(LongText::parse("text", "one\ntwo").is_ok());
        assert!(LongText::parse("text", "bell\u{7}").is_err());
    }

    #[test]
    fn optional_text_treats_blank_as_absent() {
        assert_eq!(LongText::parse_optional("went_well", Some("  ")).unwrap(), None);
        assert_eq!(LongText::parse_optional("went_well", None).unwrap(), None);
    }

    #[test]
    fn deserializing_checks_the_rules_too() {
        let err = serde_json::from_str::<ShortText>("\"\"").unwrap_err();
        assert!(err.to_string().contains("must not be empty"));
    }
}
