//! Whole numbers as JSON Schema counts them: `7` and `7.0` are both integers there, so a
//! schema-valid `7.0` must be read as 7 (schemathesis sends such bodies; a device never does).

use serde::Deserializer;
use serde::de::{Error, Visitor};

/// A `u32` written `7` or `7.0`.
pub(crate) fn u32_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    struct Whole;
    impl Visitor<'_> for Whole {
        type Value = u32;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a whole number from 0 to 4294967295")
        }
        fn visit_u64<E: Error>(self, v: u64) -> Result<u32, E> {
            u32::try_from(v).map_err(|_| E::custom(format!("must be at most {} (got {v})", u32::MAX)))
        }
        fn visit_i64<E: Error>(self, v: i64) -> Result<u32, E> {
            u32::try_from(v)
                .map_err(|_| E::custom(format!("must be a whole number from 0 to {} (got {v})", u32::MAX)))
        }
        fn visit_f64<E: Error>(self, v: f64) -> Result<u32, E> {
            if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) {
                Ok(v as u32)
            } else {
                Err(E::custom(format!("must be a whole number from 0 to {} (got {v})", u32::MAX)))
            }
        }
    }
    d.deserialize_any(Whole)
}

#[cfg(test)]
mod tests {
    use crate::Record;

    #[test]
    fn a_round_written_as_a_whole_float_is_read_and_a_fraction_is_not() {
        let entry = |round: &str| {
            format!(
                r#"{{"record":"entry","id":"0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6a","version":"000000000001-00000000-0000000000000001",
                "owner":{{"role":"caregiver","id":"0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6a"}},"occurred_at":"2026-03-01T09:00:00+01:00",
                "recorded_at":"2026-03-01T09:05:00Z","sharing":"agency","round":{round},"kind":"note","text":"ciao"}}"#
            )
        };
        let Record::Entry(e) = serde_json::from_str::<Record>(&entry("207360.0")).unwrap() else { panic!() };
        assert_eq!(e.round, 207_360);
        assert!(serde_json::from_str::<Record>(&entry("1.5")).is_err());
        assert!(serde_json::from_str::<Record>(&entry("-1")).is_err());
    }
}
