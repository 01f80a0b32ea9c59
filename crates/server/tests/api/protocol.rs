//! Protocol 3 beside protocol 2: read receipts go only down, only to devices that know them,
//! and an app still on protocol 2 keeps syncing.

use convivio_core::read_receipt::ReadReceipt;
use convivio_core::sync::{EnrolResponse, SyncRequest};
use convivio_core::text::{LongText, ShortText};
use convivio_core::{Hlc, NodeId, Owner, Record, RecordId};
use convivio_server::storage::{StaffRole, Store};
use serde_json::Value;

use crate::helpers::{TestApp, note, request};

fn receipt(staff: uuid::Uuid, entry_id: RecordId) -> Record {
    Record::ReadReceipt(ReadReceipt {
        id: RecordId::new(),
        version: Hlc { wall_ms: 1_000, counter: 0, node: NodeId(0xaa) },
        owner: Owner::staff(staff),
        entry_id,
        reader_name: ShortText::parse("reader_name", "Giulia Bianchi").unwrap(),
        read_at: chrono::Utc::now(),
    })
}

/// A pull only, from `cursor`, in protocol `protocol`.
fn pull(device: &EnrolResponse, protocol: u32, cursor: u64) -> SyncRequest {
    SyncRequest { protocol, ..request(device, 1, vec![], cursor) }
}

fn kinds(answer: &Value) -> Vec<String> {
    let changes = answer["changes"].as_array().cloned().unwrap_or_default();
    changes.iter().map(|c| c["record"].as_str().unwrap_or("?").to_owned()).collect()
}

#[tokio::test]
async fn a_device_that_pushes_a_read_receipt_gets_it_refused_as_kind_not_allowed() {
    let app = TestApp::spawn().await;
    let device = app.enrol(&app.code("Valle Verde", "Maria R.").await).await;
    let entry = note("read by someone");
    let forged = receipt(uuid::Uuid::now_v7(), entry.id());
    let answer = app.sync(&device.device_token, &request(&device, 1, vec![entry, forged.clone()], 0)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["acked_seq"], 2, "acknowledged, so the outbox moves on");
    assert_eq!(answer.body["refused"].as_array().map(Vec::len), Some(1), "{}", answer.body);
    assert_eq!(answer.body["refused"][0]["seq"], 2);
    assert_eq!(answer.body["refused"][0]["id"], forged.id().to_string());
    assert_eq!(answer.body["refused"][0]["code"], "kind_not_allowed");
    let agency = convivio_server::admin::agency(&app.store, "Valle Verde").await.unwrap();
    assert_eq!(app.store.record(agency.id, forged.id()).await.unwrap(), None, "not stored");
}

#[tokio::test]
async fn a_protocol_2_pull_leaves_out_the_read_receipts_a_protocol_3_pull_carries() {
    let app = TestApp::spawn().await;
    let (phone, laptop) = app.two_devices_of_one_caregiver().await;
    let entry = note("a weekend off, please");
    app.sync(&phone.device_token, &request(&phone, 1, vec![entry.clone()], 0)).await;
    let agency = convivio_server::admin::agency(&app.store, "Valle Verde").await.unwrap();
    let staff =
        app.store.create_staff(agency.id, "giulia", "$argon2id$stub", StaffRole::Staff).await.unwrap();
    let reply = Record::Message(convivio_core::message::Message {
        id: RecordId::new(),
        version: Hlc { wall_ms: 1_000, counter: 1, node: NodeId(0xaa) },
        owner: Owner::staff(staff.id),
        entry_id: entry.id(),
        body: LongText::parse("body", "We will call you tomorrow.").unwrap(),
        sent_at: chrono::Utc::now(),
    });
    let read = receipt(staff.id, entry.id());
    let now = chrono::Utc::now();
    app.store.put_agency_record(agency.id, Some(phone.caregiver_id), &read, now).await.unwrap();
    app.store.put_agency_record(agency.id, Some(phone.caregiver_id), &reply, now).await.unwrap();

    let new = app.sync(&laptop.device_token, &pull(&laptop, 3, 0)).await;
    assert_eq!(new.status, 200, "{}", new.body);
    assert_eq!(new.body["protocol"], 3);
    assert_eq!(kinds(&new.body), ["entry", "read_receipt", "message"]);

    let old = app.sync(&laptop.device_token, &pull(&laptop, 2, 0)).await;
    assert_eq!(old.status, 200, "{}", old.body);
    assert_eq!(old.body["protocol"], 2, "answered in the version asked");
    assert_eq!(kinds(&old.body), ["entry", "message"], "everything but the receipt");
    assert!(!old.body.to_string().contains("read_receipt"), "{}", old.body);
    assert_eq!(old.body["cursor"], new.body["cursor"], "the cursor moves past what was left out");
    let again = app.sync(&laptop.device_token, &pull(&laptop, 2, old.body["cursor"].as_u64().unwrap())).await;
    assert!(again.body.get("changes").is_none(), "and it is not offered again: {}", again.body);

    // A page of nothing but receipts still moves a protocol-2 device on, page by page.
    for _ in 0..3 {
        app.store
            .put_agency_record(agency.id, Some(phone.caregiver_id), &receipt(staff.id, entry.id()), now)
            .await
            .unwrap();
    }
    let mut cursor = old.body["cursor"].as_u64().unwrap();
    let mut pages = 0;
    loop {
        let page =
            app.sync(&laptop.device_token, &SyncRequest { pull_limit: 1, ..pull(&laptop, 2, cursor) }).await;
        assert!(page.body.get("changes").is_none(), "{}", page.body);
        assert!(page.body["cursor"].as_u64().unwrap() > cursor, "{}", page.body);
        cursor = page.body["cursor"].as_u64().unwrap();
        pages += 1;
        if page.body.get("more").is_none() {
            break;
        }
        assert!(pages < 5, "never stuck");
    }
}

#[tokio::test]
async fn enrolment_and_sync_answer_protocols_2_and_3_in_the_version_asked_and_refuse_others() {
    let app = TestApp::spawn().await;
    for protocol in [2, 3] {
        let code = app.code("Valle Verde", "Maria R.").await;
        let answer = app.enrol_speaking(protocol, &code, None).await;
        assert_eq!(
            (answer.status, &answer.body["protocol"]),
            (200, &Value::from(protocol)),
            "{}",
            answer.body
        );
        let device: EnrolResponse = serde_json::from_value(answer.body).unwrap();
        let synced = app.sync(&device.device_token, &pull(&device, protocol, 0)).await;
        assert_eq!(
            (synced.status, &synced.body["protocol"]),
            (200, &Value::from(protocol)),
            "{}",
            synced.body
        );
        for other in [1, 4] {
            let refused = app.sync(&device.device_token, &pull(&device, other, 0)).await;
            assert_eq!((refused.status, refused.body["code"].as_str()), (400, Some("unsupported_protocol")));
            assert!(
                refused.body["message"].as_str().unwrap().contains("versions 2 to 3"),
                "{}",
                refused.body
            );
        }
    }
    for other in [1, 4] {
        let code = app.code("Valle Verde", "Gino T.").await;
        let refused = app.enrol_speaking(other, &code, None).await;
        assert_eq!((refused.status, refused.body["code"].as_str()), (400, Some("unsupported_protocol")));
    }
}
