//! Golden examples of the wire: one JSON document per shape a device and the server exchange,
//! every record kind included.
//!
//! The test below proves each example is exactly what the Rust types read and write (parse, then
//! write back the same JSON), so the examples are the wire, not a description of it. Other
//! crates test against them: the server validates every one against its published OpenAPI
//! schemas, so a schema that drifts from the serde attributes fails there. Changing an example is
//! changing the protocol: see the frozen shapes in `sync.rs` and `entry_tests.rs`.

use serde_json::{Value, json};

/// One example: the name of the schema it is an instance of, what it shows, and the JSON.
#[derive(Debug, Clone)]
pub struct Golden {
    /// The OpenAPI schema (component) name, which is also the Rust type's name.
    pub schema: &'static str,
    pub about: &'static str,
    pub json: Value,
}

const ID: &str = "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6a";
const ENTRY_ID: &str = "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6b";
const NIL: &str = "00000000-0000-0000-0000-000000000000";
const CAREGIVER: &str = "0192f4e2-0000-7000-8000-00000000c0de";
const STAFF: &str = "0192f4e2-0000-7000-8000-00000000057a";
const AGENCY: &str = "0192f4e2-0000-7000-8000-0000000a6e9c";

fn owner(role: &str, id: &str) -> Value {
    json!({"role": role, "id": id})
}

/// The common fields of every entry, then the kind's own.
fn entry(kind_fields: Value) -> Value {
    let mut entry = json!({
        "record": "entry",
        "id": ID,
        "version": "00000000019a-00000001-0000000000000002",
        "owner": owner("caregiver", CAREGIVER),
        "occurred_at": "2026-11-27T21:30:00+01:00",
        "recorded_at": "2026-11-28T08:01:02Z",
        "sharing": "agency",
    });
    if let (Some(entry), Value::Object(fields)) = (entry.as_object_mut(), kind_fields) {
        entry.extend(fields);
    }
    entry
}

fn tombstone() -> Value {
    json!({
        "record": "tombstone",
        "id": ID,
        "version": "00000000019a-00000000-0000000000000001",
        "owner": owner("caregiver", NIL),
        "record_kind": "entry",
        "deleted_at": "2026-11-28T08:00:00Z"
    })
}

fn message() -> Value {
    json!({
        "record": "message",
        "id": "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b70",
        "version": "00000000019b-00000000-00000000000000aa",
        "owner": owner("staff", STAFF),
        "entry_id": ENTRY_ID,
        "body": "We can send someone on Saturday morning.",
        "sent_at": "2026-11-28T09:15:00Z"
    })
}

fn need_status_change() -> Value {
    json!({
        "record": "need_status_change",
        "id": "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b71",
        "version": "00000000019c-00000000-00000000000000aa",
        "owner": owner("staff", STAFF),
        "entry_id": ENTRY_ID,
        "status": "not_met",
        "reason": "No respite places before January.",
        "changed_at": "2026-11-28T09:20:00Z"
    })
}

fn catalogue_item() -> Value {
    json!({
        "record": "catalogue_item",
        "id": "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b72",
        "version": "00000000019d-00000000-00000000000000aa",
        "owner": owner("agency", AGENCY),
        "name": "Home nursing",
        "description": "A nurse at home, weekdays 8-18.",
        "active": true
    })
}

fn read_receipt() -> Value {
    json!({
        "record": "read_receipt",
        "id": "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b76",
        "version": "0000000001a1-00000000-00000000000000aa",
        "owner": owner("staff", STAFF),
        "entry_id": ENTRY_ID,
        "reader_name": "Giulia Bianchi",
        "read_at": "2026-12-02T10:14:00Z"
    })
}

/// Every golden example.
pub fn all() -> Vec<Golden> {
    let g = |schema, about, json| Golden { schema, about, json };
    vec![
        g(
            "SyncRequest",
            "a push of one tombstone, pulling after cursor 42",
            json!({
                "protocol": 2,
                "device_id": NIL,
                "push": {"first_seq": 7, "changes": [tombstone()]},
                "cursor": 42,
                "pull_limit": 500
            }),
        ),
        g(
            "SyncRequest",
            "a pull only: nothing in the outbox",
            json!({"protocol": 2, "device_id": NIL, "cursor": 0, "pull_limit": 100}),
        ),
        g(
            "SyncResponse",
            "an ack and what staff wrote for this device",
            json!({
                "protocol": 2,
                "acked_seq": 7,
                "changes": [message(), need_status_change(), catalogue_item()],
                "cursor": 43,
                "more": true,
                "server_time_ms": 1_764_626_479_123_u64,
                "server_epoch": "9f3c2a1b7d4e5f60"
            }),
        ),
        g(
            "SyncResponse",
            "nothing new",
            json!({"protocol": 2, "acked_seq": 7, "cursor": 43, "server_time_ms": 1_764_626_479_123_u64,
                   "server_epoch": "9f3c2a1b7d4e5f60"}),
        ),
        g(
            "SyncResponse",
            "a change refused: the record is another caregiver's",
            json!({
                "protocol": 2,
                "acked_seq": 8,
                "cursor": 43,
                "refused": [{"seq": 8, "id": ID, "code": "not_yours",
                             "message": "record 0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6a belongs to someone else"}],
                "server_time_ms": 1_764_626_479_123_u64,
                "server_epoch": "9f3c2a1b7d4e5f60"
            }),
        ),
        g(
            "SyncError",
            "a gap, with the number to resend from",
            json!({"code": "gap", "message": "resend from 5", "expected_seq": 5, "server_time_ms": 1_764_626_479_123_u64}),
        ),
        g(
            "SyncError",
            "a version too far ahead of the server's clock",
            json!({"code": "clock_ahead", "message": "a version is 3 hours ahead of the server's clock",
                   "server_time_ms": 1_764_626_479_123_u64}),
        ),
        g(
            "SyncError",
            "a revoked device",
            json!({"code": "revoked", "message": "this device was revoked by the agency"}),
        ),
        g("EnrolRequest", "a code as typed", json!({"protocol": 2, "code": "ABCD-EFGH-JKLM"})),
        g(
            "EnrolResponse",
            "the device's identity",
            json!({
                "protocol": 2,
                "device_id": NIL,
                "device_token": "ab".repeat(32),
                "caregiver_id": NIL,
                "agency_name": "Valle Verde",
                "server_time_ms": 1_764_626_479_123_u64,
                "server_epoch": "9f3c2a1b7d4e5f60"
            }),
        ),
        g(
            "Entry",
            "the frozen note entry",
            json!({
                "id": ID,
                "version": "00000000019a-00000001-0000000000000002",
                "owner": owner("caregiver", NIL),
                "occurred_at": "2026-11-28T09:00:00+01:00",
                "recorded_at": "2026-11-28T08:01:02Z",
                "sharing": "private",
                "kind": "note",
                "mood": 3,
                "text": "città"
            }),
        ),
        g(
            "Record",
            "a need entry",
            entry(json!({"kind": "need", "category": "respite", "urgency": "high", "text": "a weekend off"})),
        ),
        g(
            "Record",
            "an experience entry with every field",
            entry(json!({
                "kind": "experience",
                "service": "Home nursing",
                "service_id": "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b72",
                "visit_date": "2026-11-27",
                "rating": 2,
                "went_well": "kind",
                "went_badly": "an hour late, nobody called",
                "factors": ["mistake", "absence_of_information", "listened"]
            })),
        ),
        g(
            "Record",
            "an experience entry with only what is required",
            entry(json!({
                "kind": "experience",
                "service": "Meals",
                "visit_date": "2026-11-27",
                "rating": 5,
                "factors": []
            })),
        ),
        g(
            "Record",
            "a trust entry",
            entry(json!({
                "kind": "trust",
                "target": "professional",
                "target_name": "Nurse Anna",
                "score": 4,
                "reason": "she calls back",
                "factors": ["kept_promises"]
            })),
        ),
        g(
            "Record",
            "a note entry with mood and burden",
            entry(json!({"kind": "note", "mood": 2, "burden": 5, "text": "tired\nbut we went out"})),
        ),
        g(
            "SyncRequest",
            "protocol 3: a pull only",
            json!({"protocol": 3, "device_id": NIL, "cursor": 43, "pull_limit": 100}),
        ),
        g(
            "SyncResponse",
            "protocol 3: a staff reply and a read receipt",
            json!({
                "protocol": 3,
                "acked_seq": 7,
                "changes": [message(), read_receipt()],
                "cursor": 45,
                "server_time_ms": 1_764_626_479_123_u64,
                "server_epoch": "9f3c2a1b7d4e5f60"
            }),
        ),
        g("EnrolRequest", "protocol 3: a code as typed", json!({"protocol": 3, "code": "ABCD-EFGH-JKLM"})),
        g(
            "EnrolResponse",
            "protocol 3: the device's identity",
            json!({
                "protocol": 3,
                "device_id": NIL,
                "device_token": "ab".repeat(32),
                "caregiver_id": NIL,
                "agency_name": "Valle Verde",
                "server_time_ms": 1_764_626_479_123_u64,
                "server_epoch": "9f3c2a1b7d4e5f60"
            }),
        ),
        g("Record", "a message", message()),
        g("Record", "a need status change", need_status_change()),
        g("Record", "a catalogue item", catalogue_item()),
        g(
            "Record",
            "a profile with every field",
            json!({
                "record": "profile",
                "id": "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b73",
                "version": "00000000019e-00000000-0000000000000002",
                "owner": owner("caregiver", CAREGIVER),
                "age_band": "65-79",
                "sex": "female",
                "municipality": "Lugano",
                "relation": "spouse_partner",
                "cared_age_band": "85-94",
                "cared_conditions": ["dementia", "mobility"],
                "care_hours": "35-69"
            }),
        ),
        g(
            "Record",
            "a profile with nothing shared",
            json!({
                "record": "profile",
                "id": "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b74",
                "version": "00000000019e-00000000-0000000000000002",
                "owner": owner("caregiver", CAREGIVER)
            }),
        ),
        g(
            "Record",
            "a revoked consent",
            json!({
                "record": "consent",
                "id": "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b75",
                "version": "00000000019f-00000000-0000000000000002",
                "owner": owner("caregiver", CAREGIVER),
                "text_version": "2026-1",
                "given_at": "2026-01-10T10:00:00Z",
                "revoked_at": "2026-11-01T10:00:00Z"
            }),
        ),
        g("Record", "a read receipt", read_receipt()),
        g("Record", "a tombstone", tombstone()),
        g(
            "Record",
            "a withdrawal: the tombstone that closes an entry's third round",
            json!({
                "record": "tombstone",
                "id": ID,
                "version": "0000000001a0-00000000-0000000000000002",
                "owner": owner("caregiver", CAREGIVER),
                "record_kind": "entry",
                "round": 3,
                "deleted_at": "2026-11-28T08:00:00Z"
            }),
        ),
        g("Record", "an entry shared again after three withdrawals", {
            let mut e = entry(json!({"kind": "note", "text": "shared again"}));
            e["round"] = json!(4);
            e
        }),
    ]
}

/// Every golden record (the `Record` and `Entry` examples), parsed.
pub fn records() -> Vec<crate::Record> {
    all()
        .into_iter()
        .filter_map(|g| match g.schema {
            "Record" => serde_json::from_value(g.json).ok(),
            "Entry" => serde_json::from_value::<crate::entry::Entry>(g.json).ok().map(crate::Record::Entry),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    use super::*;
    use crate::Record;
    use crate::entry::Entry;
    use crate::sync::{EnrolRequest, EnrolResponse, SyncError, SyncRequest, SyncResponse};

    fn round_trip<T: Serialize + DeserializeOwned>(golden: &Golden) -> Value {
        let value: T = serde_json::from_value(golden.json.clone())
            .unwrap_or_else(|e| panic!("{} ({}) does not parse: {e}", golden.schema, golden.about));
        serde_json::to_value(&value).unwrap()
    }

    #[test]
    fn every_golden_example_is_exactly_what_the_types_read_and_write() {
        for golden in all() {
            let written = match golden.schema {
                "SyncRequest" => round_trip::<SyncRequest>(&golden),
                "SyncResponse" => round_trip::<SyncResponse>(&golden),
                "SyncError" => round_trip::<SyncError>(&golden),
                "EnrolRequest" => round_trip::<EnrolRequest>(&golden),
                "EnrolResponse" => round_trip::<EnrolResponse>(&golden),
                "Entry" => round_trip::<Entry>(&golden),
                "Record" => round_trip::<Record>(&golden),
                other => panic!("no type for the golden schema {other}"),
            };
            assert_eq!(written, golden.json, "{} ({})", golden.schema, golden.about);
        }
    }

    #[test]
    fn no_protocol_2_example_carries_a_kind_protocol_2_devices_do_not_know() {
        for golden in all().iter().filter(|g| g.json["protocol"] == 2) {
            for change in golden.json["changes"].as_array().into_iter().flatten() {
                let kind = change["record"].as_str().and_then(crate::RecordKind::from_code);
                assert!(kind.is_some_and(|k| k.first_protocol() <= 2), "{}: {change}", golden.about);
            }
        }
        assert!(all().iter().any(|g| g.json["protocol"] == 3), "protocol 3 has examples too");
    }

    #[test]
    fn the_golden_examples_cover_every_record_kind() {
        let kinds: Vec<String> = all()
            .iter()
            .filter(|g| g.schema == "Record")
            .filter_map(|g| g.json["record"].as_str().map(str::to_owned))
            .collect();
        for kind in crate::RecordKind::ALL {
            assert!(kinds.iter().any(|k| k == kind.code()), "no golden {kind}");
        }
        for kind in crate::entry::EntryKind::ALL {
            assert!(all().iter().any(|g| g.json["kind"] == kind.code()), "no golden {kind} entry");
        }
    }
}
