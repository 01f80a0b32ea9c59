//! The one validation error: which field broke which rule.

use std::fmt;

/// A value that failed validation. `field` is the input field's wire name (what the user or
/// the caller typed it as), `rule` is the rule in plain words, so the edges can show the
/// message next to the right form field without parsing text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Invalid {
    pub field: String,
    pub rule: String,
}

impl Invalid {
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Self { field: field.into(), rule: rule.into() }
    }

    /// The same rule, reported under a different field name (for nested input).
    pub fn in_field(self, field: impl Into<String>) -> Self {
        Self { field: field.into(), rule: self.rule }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.rule)
    }
}

/// A missing required field.
pub(crate) fn required(field: &str) -> Invalid {
    Invalid::new(field, "is required")
}
