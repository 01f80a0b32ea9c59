//! The one validation error: which field broke which rule.

use std::fmt;

use serde::Serialize;

/// Which kind of rule was broken, with its limits: a stable code the edges can branch on and
/// translate (the app speaks four languages; `Invalid::rule` is the English sentence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    Required,
    Empty,
    TooLong { max: u64 },
    TooShort { min: u64 },
    OutOfRange { min: i64, max: i64 },
    BadFormat,
    InFuture,
    TooEarly,
    UnknownChoice,
    NotAllowed,
    Other,
}

/// A value that failed validation. `field` is the input field's wire name (what the user or
/// the caller typed it as), `rule` is the rule in plain English and `code` its stable kind, so
/// the edges can show a translated message next to the right form field without parsing text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Invalid {
    pub field: String,
    pub rule: String,
    pub code: Rule,
}

impl Invalid {
    /// A broken rule of kind `code`, described by `rule`.
    pub fn new(field: impl Into<String>, code: Rule, rule: impl Into<String>) -> Self {
        Self { field: field.into(), rule: rule.into(), code }
    }

    /// The same rule, reported under a different field name (for nested input).
    pub fn in_field(self, field: impl Into<String>) -> Self {
        Self { field: field.into(), ..self }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.rule)
    }
}

/// A missing required field.
pub(crate) fn required(field: &str) -> Invalid {
    Invalid::new(field, Rule::Required, "is required")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_code_serialises_flat_with_its_limits() {
        let json = serde_json::to_value(Rule::OutOfRange { min: 1, max: 5 }).unwrap();
        assert_eq!(json, serde_json::json!({"rule": "out_of_range", "min": 1, "max": 5}));
        assert_eq!(serde_json::to_value(Rule::Empty).unwrap(), serde_json::json!({"rule": "empty"}));
    }
}
