//! How the device API reads request bodies: the published schemas, to the letter.
//!
//! The OpenAPI document is a promise, and schemathesis holds the server to it (`make test`):
//! a body the schema calls valid must be read, one it calls invalid must be refused with 400.
//! JSON Schema counts `2.0` as an integer, so whole-number fields accept it (serde alone would
//! not), and the version, limits and ranges the schema states are checked here, first, before
//! any work is done, each refusal naming the field.

use convivio_core::Record;
use convivio_core::sync::{EnrolRequest, MAX_BATCH_CHANGES, PushBatch, SyncRequest, is_spoken};
use serde::{Deserialize, Deserializer};
use uuid::Uuid;

use super::ApiError;

/// A JSON number that is a whole number within `u64`, written as `7` or `7.0`.
fn whole<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let n = serde_json::Number::deserialize(d)?;
    if let Some(n) = n.as_u64() {
        return Ok(n);
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && (0.0..=u64::MAX as f64).contains(&f) => Ok(f as u64),
        _ => Err(serde::de::Error::custom(format!("must be a whole number from 0 (got {n})"))),
    }
}

/// `POST /api/v1/sync`'s body as read (see [`SyncRequest`] for what each field means).
#[derive(Debug, Deserialize)]
pub(super) struct SyncBody {
    #[serde(deserialize_with = "whole")]
    protocol: u64,
    device_id: Uuid,
    #[serde(default)]
    push: Option<PushBody>,
    #[serde(deserialize_with = "whole")]
    cursor: u64,
    #[serde(deserialize_with = "whole")]
    pull_limit: u64,
}

#[derive(Debug, Deserialize)]
struct PushBody {
    #[serde(deserialize_with = "whole")]
    first_seq: u64,
    changes: Vec<Record>,
}

/// `POST /api/v1/enrol`'s body as read.
#[derive(Debug, Deserialize)]
pub(super) struct EnrolBody {
    #[serde(deserialize_with = "whole")]
    protocol: u64,
    pub code: String,
}

/// The protocol version, as the schema states it (`minimum` 2, `maximum` 3: see
/// `convivio_core::sync`): another one is a 400 with the code `unsupported_protocol`, so an
/// older app says "update the app".
fn protocol(v: u64) -> Result<u32, ApiError> {
    match u32::try_from(v) {
        Ok(spoken) if is_spoken(v) => Ok(spoken),
        _ => Err(ApiError::UnsupportedProtocol(v)),
    }
}

impl SyncBody {
    /// The request, if it keeps every rule its schema states.
    pub(super) fn check(self) -> Result<SyncRequest, ApiError> {
        let protocol = protocol(self.protocol)?;
        let pull_limit =
            u32::try_from(self.pull_limit).ok().filter(|n| (1..=MAX_BATCH_CHANGES).contains(n)).ok_or_else(
                || ApiError::BadRequest(format!("pull_limit: must be from 1 to {MAX_BATCH_CHANGES}")),
            )?;
        let push = match self.push {
            Some(push) => {
                if push.first_seq == 0 {
                    return Err(ApiError::BadRequest("push.first_seq: must be 1 or more".into()));
                }
                if push.changes.len() > MAX_BATCH_CHANGES as usize {
                    return Err(ApiError::TooLarge);
                }
                Some(PushBatch { first_seq: push.first_seq, changes: push.changes })
            }
            None => None,
        };
        Ok(SyncRequest { protocol, device_id: self.device_id, push, cursor: self.cursor, pull_limit })
    }
}

impl EnrolBody {
    /// The request, if it speaks a version this server answers.
    pub(super) fn check(self) -> Result<EnrolRequest, ApiError> {
        Ok(EnrolRequest { protocol: protocol(self.protocol)?, code: self.code })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: serde_json::Value) -> Result<SyncRequest, String> {
        serde_json::from_value::<SyncBody>(v)
            .map_err(|e| e.to_string())?
            .check()
            .map_err(|e| format!("{e:?}"))
    }

    #[test]
    fn whole_numbers_may_be_written_with_a_point_zero_as_json_schema_allows() {
        let ok = body(json!({"protocol": 2.0, "device_id": Uuid::nil(), "cursor": 7.0, "pull_limit": 100}));
        assert_eq!(ok.unwrap().cursor, 7);
        let err = body(json!({"protocol": 2, "device_id": Uuid::nil(), "cursor": 7.5, "pull_limit": 100}));
        assert!(err.unwrap_err().contains("whole number"));
    }

    #[test]
    fn the_schemas_rules_are_checked_first_and_named() {
        let other = body(json!({"protocol": 0, "device_id": Uuid::nil(), "cursor": 0, "pull_limit": 0}));
        assert!(other.unwrap_err().contains("UnsupportedProtocol(0)"));
        for (v, answered) in [(1, false), (2, true), (3, true), (4, false), (u64::from(u32::MAX) + 2, false)]
        {
            let got = body(json!({"protocol": v, "device_id": Uuid::nil(), "cursor": 0, "pull_limit": 1}));
            match got {
                Ok(request) => assert!(answered && u64::from(request.protocol) == v, "protocol {v}"),
                Err(e) => assert!(!answered && e.contains("UnsupportedProtocol"), "protocol {v}: {e}"),
            }
        }
        let limit = body(json!({"protocol": 2, "device_id": Uuid::nil(), "cursor": 0, "pull_limit": 2001}));
        assert!(limit.unwrap_err().contains("pull_limit"));
        let seq = body(json!({"protocol": 2, "device_id": Uuid::nil(), "cursor": 0, "pull_limit": 1,
                              "push": {"first_seq": 0, "changes": []}}));
        assert!(seq.unwrap_err().contains("first_seq"));
    }
}
