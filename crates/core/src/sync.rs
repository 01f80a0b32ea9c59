//! The sync protocol, version 1: the wire types the device and the agency's server share.
//!
//! One request does a whole exchange: the device pushes a batch of its outbox and pulls what the
//! server has for it after its cursor. The key decisions, learnt from other sync engines' bugs:
//! a batch is *contiguous by construction* (`first_seq` plus a list, so no gap can hide inside
//! it); the server acknowledges the highest contiguous sequence number it holds, never the
//! highest it has seen; a batch that starts past that point is refused with the number to
//! resend from. The shapes are frozen by the golden tests below: a change is a new version.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Record;

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// Device -> server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncRequest {
    pub protocol: u32,
    pub device_id: Uuid,
    /// Outbox changes to store; absent when the outbox is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push: Option<PushBatch>,
    /// The `cursor` of the last response applied; 0 the first time.
    pub cursor: u64,
    /// At most this many changes in the response.
    pub pull_limit: u32,
}

/// Consecutive outbox changes: the first has sequence number `first_seq`, the next
/// `first_seq + 1`, and so on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushBatch {
    pub first_seq: u64,
    pub changes: Vec<Record>,
}

impl PushBatch {
    /// The sequence number of the last change, if any.
    pub fn last_seq(&self) -> Option<u64> {
        (self.changes.len() as u64).checked_sub(1).map(|n| self.first_seq + n)
    }
}

/// Server -> device, after a successful exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncResponse {
    pub protocol: u32,
    /// Every outbox change up to and including this number is durably stored: the device may
    /// forget them. 0 when the server holds none.
    pub acked_seq: u64,
    /// Changes for this device (messages, need status, catalogue, records from the caregiver's
    /// other devices), oldest first.
    pub changes: Vec<Record>,
    /// Send this back as `cursor` next time.
    pub cursor: u64,
    /// More changes are waiting: sync again now.
    pub more: bool,
}

/// Device -> server, once: trade a one-time enrolment code for a device identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolRequest {
    pub protocol: u32,
    /// The code staff gave the caregiver, as typed (case, spaces and dashes do not matter).
    pub code: String,
}

/// Server -> device: who the device is from now on. The token is shown once; the server keeps
/// only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolResponse {
    pub protocol: u32,
    pub device_id: Uuid,
    /// Bearer token for every sync request: 256 random bits, hex.
    pub device_token: String,
    /// The caregiver's id on the server: the diary adopts it as the owner of its records.
    pub caregiver_id: Uuid,
    pub agency_name: String,
}

/// Why the server refused an exchange. Stable codes the device acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SyncErrorCode {
    /// The batch starts after a change the server does not have: resend from `expected_seq`.
    Gap,
    /// The device token is missing or unknown.
    Unauthorized,
    /// Staff revoked this device.
    Revoked,
    /// The body is larger than the server accepts: send a smaller batch.
    TooLarge,
    /// The request does not follow the protocol (the message says how).
    BadRequest,
    /// The device speaks a protocol version the server does not.
    UnsupportedProtocol,
    /// Too many attempts (enrolment code guessing): wait before trying again.
    TooManyRequests,
    /// The server failed; try again later. Details are in the server's log only.
    ServerError,
}

/// The body of every refused exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncError {
    pub code: SyncErrorCode,
    pub message: String,
    /// For `gap`: the sequence number the server needs next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_seq: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tombstone::Tombstone;
    use crate::{Hlc, NodeId, Owner, RecordId, RecordKind};
    use chrono::DateTime;
    use serde_json::json;

    fn tombstone() -> Record {
        Record::Tombstone(Tombstone {
            id: RecordId::from_uuid(Uuid::parse_str("0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6a").unwrap()),
            version: Hlc { wall_ms: 0x19a, counter: 0, node: NodeId(1) },
            owner: Owner::caregiver(Uuid::nil()),
            record_kind: RecordKind::Entry,
            deleted_at: DateTime::parse_from_rfc3339("2026-11-28T08:00:00Z").unwrap().to_utc(),
        })
    }

    #[test]
    fn the_request_shape_is_frozen() {
        let request = SyncRequest {
            protocol: PROTOCOL_VERSION,
            device_id: Uuid::nil(),
            push: Some(PushBatch { first_seq: 7, changes: vec![tombstone()] }),
            cursor: 42,
            pull_limit: 500,
        };
        let golden = json!({
            "protocol": 1,
            "device_id": "00000000-0000-0000-0000-000000000000",
            "push": {"first_seq": 7, "changes": [{
                "record": "tombstone",
                "id": "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6a",
                "version": "00000000019a-00000000-0000000000000001",
                "owner": {"role": "caregiver", "id": "00000000-0000-0000-0000-000000000000"},
                "record_kind": "entry",
                "deleted_at": "2026-11-28T08:00:00Z"
            }]},
            "cursor": 42,
            "pull_limit": 500
        });
        assert_eq!(serde_json::to_value(&request).unwrap(), golden);
        assert_eq!(serde_json::from_value::<SyncRequest>(golden).unwrap(), request);
    }

    #[test]
    fn the_response_and_error_shapes_are_frozen() {
        let response = SyncResponse { protocol: 1, acked_seq: 7, changes: vec![], cursor: 43, more: false };
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            json!({"protocol": 1, "acked_seq": 7, "changes": [], "cursor": 43, "more": false})
        );
        let error =
            SyncError { code: SyncErrorCode::Gap, message: "resend from 5".into(), expected_seq: Some(5) };
        assert_eq!(
            serde_json::to_value(&error).unwrap(),
            json!({"code": "gap", "message": "resend from 5", "expected_seq": 5})
        );
    }

    #[test]
    fn the_enrolment_shapes_are_frozen() {
        let request = EnrolRequest { protocol: 1, code: "ABCD-EFGH-JKLM".into() };
        assert_eq!(serde_json::to_value(&request).unwrap(), json!({"protocol": 1, "code": "ABCD-EFGH-JKLM"}));
        let response = EnrolResponse {
            protocol: 1,
            device_id: Uuid::nil(),
            device_token: "ab".repeat(32),
            caregiver_id: Uuid::nil(),
            agency_name: "Valle Verde".into(),
        };
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            json!({"protocol": 1, "device_id": "00000000-0000-0000-0000-000000000000", "device_token": "ab".repeat(32),
                   "caregiver_id": "00000000-0000-0000-0000-000000000000", "agency_name": "Valle Verde"})
        );
    }

    #[test]
    fn a_batch_knows_its_last_number() {
        assert_eq!(PushBatch { first_seq: 7, changes: vec![] }.last_seq(), None);
        assert_eq!(PushBatch { first_seq: 7, changes: vec![tombstone(), tombstone()] }.last_seq(), Some(8));
    }
}
