//! The sync protocol, version 3: the wire types the device and the agency's server share.
//!
//! One request does a whole exchange: the device pushes a batch of its outbox and pulls what the
//! server has for it after its cursor. The key decisions, learnt from other sync engines' bugs:
//! a batch is *contiguous by construction* (`first_seq` plus a list, so no gap can hide inside
//! it); the server acknowledges the highest contiguous sequence number it holds, never the
//! highest it has seen; a batch that starts past that point is refused with the number to
//! resend from. The shapes are frozen by the golden tests below: a change is a new version.
//!
//! Version 2 added, to every answer, the server's clock (`server_time_ms`: a device whose clock
//! is wrong learns by how much, and a version too far ahead of the server is refused with
//! `clock_ahead`) and the server's epoch (`server_epoch`: a random id made when the server's
//! database is created or restored from a backup, so a device notices a restore and offers again
//! what may have been lost); and to the sync answer the changes refused one by one (`refused`),
//! so nothing a device sends is dropped without it hearing why. An empty `changes`, a false
//! `more` and an empty `refused` are left out: a sync with nothing new stays a few bytes.
//!
//! Version 3 added a record kind, the read receipt. The shapes are otherwise those of version 2,
//! so a server speaks both ([`MIN_PROTOCOL_VERSION`] to [`PROTOCOL_VERSION`]) and answers each
//! request in the version it was asked in: a device still on version 2 cannot read a kind it
//! does not know (one unknown tag fails the whole answer), so it is never sent one
//! ([`RecordKind::first_protocol`]) and its cursor still moves past them, so an app not yet
//! updated keeps syncing everything else.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Record, RecordId, RecordKind};

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 3;

/// The oldest version a server still answers (in that version).
pub const MIN_PROTOCOL_VERSION: u32 = 2;

/// Whether a server of this build answers requests in protocol version `v`.
pub fn is_spoken(v: u64) -> bool {
    (u64::from(MIN_PROTOCOL_VERSION)..=u64::from(PROTOCOL_VERSION)).contains(&v)
}

impl RecordKind {
    /// The first protocol version whose devices know this kind; a device that speaks an older
    /// one is never sent it. Exhaustive, so a new kind must say when it arrived.
    pub const fn first_protocol(self) -> u32 {
        match self {
            RecordKind::ReadReceipt => 3,
            RecordKind::Entry
            | RecordKind::Message
            | RecordKind::NeedStatusChange
            | RecordKind::CatalogueItem
            | RecordKind::Profile
            | RecordKind::Consent
            | RecordKind::Tombstone => MIN_PROTOCOL_VERSION,
        }
    }
}

/// The most changes one request may push, and one answer may pull, whatever a client asks.
pub const MAX_BATCH_CHANGES: u32 = 2_000;

/// A server epoch: 16 lower-case hex digits (64 random bits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Epoch(pub String);

impl std::fmt::Display for Epoch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Device -> server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncRequest {
    /// The protocol version the device speaks: from [`MIN_PROTOCOL_VERSION`] (2) to
    /// [`PROTOCOL_VERSION`] (3); the answer speaks the same.
    #[cfg_attr(feature = "openapi", schema(minimum = 2, maximum = 3))]
    pub protocol: u32,
    pub device_id: Uuid,
    /// Outbox changes to store; absent when the outbox is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push: Option<PushBatch>,
    /// The `cursor` of the last response applied; 0 the first time.
    pub cursor: u64,
    /// At most this many changes in the response (1 to [`MAX_BATCH_CHANGES`]).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 2000))]
    pub pull_limit: u32,
}

/// Consecutive outbox changes: the first has sequence number `first_seq`, the next
/// `first_seq + 1`, and so on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushBatch {
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub first_seq: u64,
    #[cfg_attr(feature = "openapi", schema(max_items = 2000))]
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
    /// The version the request spoke: the answer is in it.
    pub protocol: u32,
    /// Every outbox change up to and including this number is durably stored, or refused
    /// (see `refused`): the device may forget them. 0 when the server holds none.
    pub acked_seq: u64,
    /// Changes for this device (messages, need status, read receipts, catalogue, records from
    /// the caregiver's other devices), oldest first. Left out when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Record>,
    /// Send this back as `cursor` next time.
    pub cursor: u64,
    /// More changes are waiting: sync again now. Left out when false.
    #[serde(default, skip_serializing_if = "is_false")]
    pub more: bool,
    /// Pushed changes the server acknowledged but did not store, each with the reason. Left out
    /// when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<Refusal>,
    /// The server's clock when it answered, in milliseconds since 1970.
    pub server_time_ms: u64,
    pub server_epoch: Epoch,
}

/// Why the server did not store one pushed change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefusalCode {
    /// The record belongs to someone else (another caregiver, the agency, a staff member).
    NotYours,
    /// Devices may not write this kind of record (the policy in `crate::policy`).
    KindNotAllowed,
    /// The record breaks a rule (the message names the field and the rule).
    Invalid,
    /// It must hang under a record of this caregiver that the server does not have, or that
    /// was deleted or withdrawn (a message under an entry made private on another device).
    NoParent,
}

impl RefusalCode {
    pub fn code(self) -> &'static str {
        match self {
            RefusalCode::NotYours => "not_yours",
            RefusalCode::KindNotAllowed => "kind_not_allowed",
            RefusalCode::Invalid => "invalid",
            RefusalCode::NoParent => "no_parent",
        }
    }

    pub fn from_code(code: &str) -> Option<RefusalCode> {
        [RefusalCode::NotYours, RefusalCode::KindNotAllowed, RefusalCode::Invalid, RefusalCode::NoParent]
            .into_iter()
            .find(|c| c.code() == code)
    }
}

/// One pushed change the server refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Refusal {
    /// The change's sequence number in the push.
    pub seq: u64,
    /// The record it carried.
    pub id: RecordId,
    pub code: RefusalCode,
    /// What was wrong, in English, for the device's status and logs.
    pub message: String,
}

/// Device -> server, once: trade a one-time enrolment code for a device identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolRequest {
    /// The protocol version the device speaks (2 or 3, as in a sync request).
    #[cfg_attr(feature = "openapi", schema(minimum = 2, maximum = 3))]
    pub protocol: u32,
    /// The code staff gave the caregiver, as typed (case, spaces and dashes do not matter).
    pub code: String,
}

/// Server -> device: who the device is from now on. The token is shown once; the server keeps
/// only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolResponse {
    /// The version the request spoke: the answer is in it.
    pub protocol: u32,
    pub device_id: Uuid,
    /// Bearer token for every sync request: 256 random bits, hex.
    pub device_token: String,
    /// The caregiver's id on the server: the diary adopts it as the owner of its records.
    pub caregiver_id: Uuid,
    pub agency_name: String,
    pub server_time_ms: u64,
    pub server_epoch: Epoch,
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
    /// The enrolment code is unknown, used or expired: ask the agency for a new one.
    CodeRefused,
    /// The server failed; try again later. Details are in the server's log only.
    ServerError,
    /// A pushed version is too far ahead of the server's clock (`server_time_ms` says its time):
    /// correct the clock, version the waiting changes again and resend.
    ClockAhead,
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
    /// The server's clock when it answered, in milliseconds since 1970 (every refusal from a
    /// server that speaks protocol 2 has it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_time_ms: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tombstone::Tombstone;
    use crate::{Hlc, NodeId, Owner, RecordKind};
    use chrono::DateTime;
    use serde_json::json;

    fn tombstone() -> Record {
        Record::Tombstone(Tombstone {
            id: RecordId::from_uuid(Uuid::parse_str("0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6a").unwrap()),
            version: Hlc { wall_ms: 0x19a, counter: 0, node: NodeId(1) },
            owner: Owner::caregiver(Uuid::nil()),
            record_kind: RecordKind::Entry,
            round: 0,
            deleted_at: DateTime::parse_from_rfc3339("2026-11-28T08:00:00Z").unwrap().to_utc(),
        })
    }

    fn epoch() -> Epoch {
        Epoch("9f3c2a1b7d4e5f60".into())
    }

    #[test]
    fn the_request_shape_is_frozen() {
        let request = SyncRequest {
            protocol: 2,
            device_id: Uuid::nil(),
            push: Some(PushBatch { first_seq: 7, changes: vec![tombstone()] }),
            cursor: 42,
            pull_limit: 500,
        };
        let golden = json!({
            "protocol": 2,
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
        let quiet = SyncResponse {
            protocol: 2,
            acked_seq: 7,
            changes: vec![],
            cursor: 43,
            more: false,
            refused: vec![],
            server_time_ms: 1_764_626_479_123,
            server_epoch: epoch(),
        };
        assert_eq!(
            serde_json::to_value(&quiet).unwrap(),
            json!({"protocol": 2, "acked_seq": 7, "cursor": 43, "server_time_ms": 1_764_626_479_123_u64,
                   "server_epoch": "9f3c2a1b7d4e5f60"})
        );
        let refused = Refusal {
            seq: 7,
            id: tombstone().id(),
            code: RefusalCode::NotYours,
            message: "record 0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6a belongs to someone else".into(),
        };
        let busy = SyncResponse { more: true, changes: vec![tombstone()], refused: vec![refused], ..quiet };
        let json = serde_json::to_value(&busy).unwrap();
        assert_eq!(json["more"], true);
        assert_eq!(json["refused"][0]["code"], "not_yours");
        assert_eq!(json["refused"][0]["seq"], 7);
        assert_eq!(serde_json::from_value::<SyncResponse>(json).unwrap(), busy);

        let error = SyncError {
            code: SyncErrorCode::Gap,
            message: "resend from 5".into(),
            expected_seq: Some(5),
            server_time_ms: Some(9),
        };
        assert_eq!(
            serde_json::to_value(&error).unwrap(),
            json!({"code": "gap", "message": "resend from 5", "expected_seq": 5, "server_time_ms": 9})
        );
        let ahead = SyncError {
            code: SyncErrorCode::ClockAhead,
            message: "".into(),
            expected_seq: None,
            server_time_ms: Some(9),
        };
        assert_eq!(serde_json::to_value(&ahead).unwrap()["code"], "clock_ahead");
    }

    #[test]
    fn the_enrolment_shapes_are_frozen() {
        let request = EnrolRequest { protocol: 2, code: "ABCD-EFGH-JKLM".into() };
        assert_eq!(serde_json::to_value(&request).unwrap(), json!({"protocol": 2, "code": "ABCD-EFGH-JKLM"}));
        let response = EnrolResponse {
            protocol: 2,
            device_id: Uuid::nil(),
            device_token: "ab".repeat(32),
            caregiver_id: Uuid::nil(),
            agency_name: "Valle Verde".into(),
            server_time_ms: 5,
            server_epoch: epoch(),
        };
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            json!({"protocol": 2, "device_id": "00000000-0000-0000-0000-000000000000", "device_token": "ab".repeat(32),
                   "caregiver_id": "00000000-0000-0000-0000-000000000000", "agency_name": "Valle Verde",
                   "server_time_ms": 5, "server_epoch": "9f3c2a1b7d4e5f60"})
        );
    }

    #[test]
    fn protocol_3_is_protocol_2_with_read_receipts() {
        let receipt = Record::ReadReceipt(crate::read_receipt::ReadReceipt {
            id: RecordId::from_uuid(Uuid::parse_str("0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b76").unwrap()),
            version: Hlc { wall_ms: 0x1a1, counter: 0, node: NodeId(0xaa) },
            owner: Owner::staff(Uuid::nil()),
            entry_id: tombstone().id(),
            reader_name: crate::text::ShortText::parse("reader_name", "Giulia Bianchi").unwrap(),
            read_at: DateTime::parse_from_rfc3339("2026-12-02T10:14:00Z").unwrap().to_utc(),
        });
        let answer = SyncResponse {
            protocol: 3,
            acked_seq: 0,
            changes: vec![receipt],
            cursor: 44,
            more: false,
            refused: vec![],
            server_time_ms: 1_764_626_479_123,
            server_epoch: epoch(),
        };
        let golden = json!({
            "protocol": 3,
            "acked_seq": 0,
            "changes": [{
                "record": "read_receipt",
                "id": "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b76",
                "version": "0000000001a1-00000000-00000000000000aa",
                "owner": {"role": "staff", "id": "00000000-0000-0000-0000-000000000000"},
                "entry_id": "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6a",
                "reader_name": "Giulia Bianchi",
                "read_at": "2026-12-02T10:14:00Z"
            }],
            "cursor": 44,
            "server_time_ms": 1_764_626_479_123_u64,
            "server_epoch": "9f3c2a1b7d4e5f60"
        });
        assert_eq!(serde_json::to_value(&answer).unwrap(), golden);
        assert_eq!(serde_json::from_value::<SyncResponse>(golden).unwrap(), answer);
    }

    #[test]
    fn a_server_speaks_protocols_2_and_3_and_sends_each_only_the_kinds_it_knows() {
        assert_eq!((MIN_PROTOCOL_VERSION, PROTOCOL_VERSION), (2, 3));
        assert_eq!([1, 2, 3, 4].map(is_spoken), [false, true, true, false]);
        for kind in RecordKind::ALL {
            let expected = if *kind == RecordKind::ReadReceipt { 3 } else { 2 };
            assert_eq!(kind.first_protocol(), expected, "{kind}");
        }
    }

    #[test]
    fn refusal_codes_read_back() {
        for code in
            [RefusalCode::NotYours, RefusalCode::KindNotAllowed, RefusalCode::Invalid, RefusalCode::NoParent]
        {
            assert_eq!(RefusalCode::from_code(code.code()), Some(code));
            assert_eq!(serde_json::to_value(code).unwrap(), json!(code.code()));
        }
    }

    #[test]
    fn a_batch_knows_its_last_number() {
        assert_eq!(PushBatch { first_seq: 7, changes: vec![] }.last_seq(), None);
        assert_eq!(PushBatch { first_seq: 7, changes: vec![tombstone(), tombstone()] }.last_seq(), Some(8));
    }
}
