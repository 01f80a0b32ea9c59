//! Ratings on the 1-5 scale used everywhere a caregiver scores something: a service visit, trust,
//! mood, burden.

use serde::{Deserialize, Serialize};

use crate::{Invalid, Rule};

/// A whole number from 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "u8")]
pub struct Score(u8);

/// Read from a JSON integer, also when written `3.0`: JSON Schema, which the server's published
/// document is written in, counts that as the integer 3.
impl<'de> Deserialize<'de> for Score {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Whole;
        impl serde::de::Visitor<'_> for Whole {
            type Value = i64;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a whole number from 1 to 5")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
                Ok(v)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
                Ok(i64::try_from(v).unwrap_or(i64::MAX))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<i64, E> {
                if v.fract() == 0.0 && v.abs() < 1e15 {
                    Ok(v as i64)
                } else {
                    Err(E::custom(format!("must be a whole number from 1 to 5 (got {v})")))
                }
            }
        }
        let n = d.deserialize_any(Whole)?;
        Score::try_from(n).map_err(serde::de::Error::custom)
    }
}

fn out_of_range() -> Rule {
    Rule::OutOfRange { min: Score::MIN as i64, max: Score::MAX as i64 }
}

impl Score {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 5;

    pub fn parse(field: &str, value: i64) -> Result<Self, Invalid> {
        if (i64::from(Self::MIN)..=i64::from(Self::MAX)).contains(&value) {
            Ok(Self(value as u8))
        } else {
            Err(Invalid::new(
                field,
                out_of_range(),
                format!("must be a whole number from 1 to 5 (got {value})"),
            ))
        }
    }

    /// Parses a loosely typed JSON value (what the UI sends): numbers and numeric strings.
    pub fn parse_value(field: &str, value: &serde_json::Value) -> Result<Self, Invalid> {
        let rule = || Invalid::new(field, out_of_range(), "must be a whole number from 1 to 5");
        match value {
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Self::parse(field, i),
                None => Err(rule()),
            },
            serde_json::Value::String(s) => match s.trim().parse::<i64>() {
                Ok(i) => Self::parse(field, i),
                Err(_) => Err(rule()),
            },
            _ => Err(rule()),
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Score {
    type Error = Invalid;
    fn try_from(value: i64) -> Result<Self, Invalid> {
        Self::parse("score", value)
    }
}

impl From<Score> for u8 {
    fn from(value: Score) -> u8 {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_to_five_are_scores() {
        for i in 1..=5 {
            assert_eq!(Score::parse("rating", i).unwrap().get() as i64, i);
        }
    }

    #[test]
    fn nine_is_refused_naming_the_field_and_the_range() {
        let err = Score::parse("rating", 9).unwrap_err();
        assert_eq!(err.field, "rating");
        assert!(err.rule.contains("from 1 to 5"));
        assert!(Score::parse("rating", 0).is_err());
        assert!(Score::parse("rating", -1).is_err());
    }

    #[test]
    fn loose_values_accept_numbers_and_numeric_strings_only() {
        assert_eq!(Score::parse_value("mood", &json!(3)).unwrap().get(), 3);
        assert_eq!(Score::parse_value("mood", &json!("4")).unwrap().get(), 4);
        assert!(Score::parse_value("mood", &json!(2.5)).is_err());
        assert!(Score::parse_value("mood", &json!("lots")).is_err());
        assert!(Score::parse_value("mood", &json!(null)).is_err());
    }
}
