//! Sync over HTTP: exactly once, contiguous acks, gaps refused, tokens scoped and revocable.

use convivio_server::storage::Store;

use crate::helpers::{TestApp, note, request};

#[tokio::test]
async fn a_batch_is_acked_and_a_duplicate_changes_nothing() {
    let app = TestApp::spawn().await;
    let device = app.enrol(&app.code("Valle Verde", "Maria R.").await).await;
    let req = request(&device, 1, vec![note("one"), note("two"), note("three")], 0);
    let first = app.sync(&device.device_token, &req).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body["acked_seq"], 3);
    assert!(first.headers.get("content-encoding").is_none(), "a small answer goes as it is");
    let again = app.sync(&device.device_token, &req).await;
    assert_eq!(again.body["acked_seq"], 3);
    let stats = app.store.stats().await.unwrap();
    assert_eq!(stats.records_by_kind.get("entry"), Some(&3));
}

#[tokio::test]
async fn a_batch_after_a_gap_is_refused_with_the_number_to_resend_from() {
    let app = TestApp::spawn().await;
    let device = app.enrol(&app.code("Valle Verde", "Maria R.").await).await;
    app.sync(&device.device_token, &request(&device, 1, vec![note("one")], 0)).await;
    let gap = app.sync(&device.device_token, &request(&device, 5, vec![note("five")], 0)).await;
    assert_eq!(gap.status, 409);
    assert_eq!(gap.body["code"], "gap");
    assert_eq!(gap.body["expected_seq"], 2);
}

#[tokio::test]
async fn an_unknown_token_and_a_revoked_device_both_get_401_told_apart_by_code() {
    let app = TestApp::spawn().await;
    let device = app.enrol(&app.code("Valle Verde", "Maria R.").await).await;
    let unknown = app.sync(&"00".repeat(32), &request(&device, 1, vec![], 0)).await;
    assert_eq!((unknown.status, unknown.body["code"].as_str()), (401, Some("unauthorized")));
    app.store.revoke_device(device.device_id, chrono::Utc::now()).await.unwrap();
    let revoked = app.sync(&device.device_token, &request(&device, 1, vec![note("x")], 0)).await;
    assert_eq!((revoked.status, revoked.body["code"].as_str()), (401, Some("revoked")));
}

#[tokio::test]
async fn a_token_cannot_speak_for_another_device() {
    let app = TestApp::spawn().await;
    let maria = app.enrol(&app.code("Valle Verde", "Maria R.").await).await;
    let gino = app.enrol(&app.code("Valle Verde", "Gino T.").await).await;
    let forged = app.sync(&gino.device_token, &request(&maria, 1, vec![note("x")], 0)).await;
    assert_eq!(forged.status, 403, "a token speaks only for its own device");
    // Maria's records never reach Gino's device.
    app.sync(&maria.device_token, &request(&maria, 1, vec![note("Maria's private worry")], 0)).await;
    let pulled = app.sync(&gino.device_token, &request(&gino, 1, vec![], 0)).await;
    assert!(pulled.body.get("changes").is_none());
}

#[tokio::test]
async fn a_second_device_of_the_same_caregiver_pulls_the_first_devices_records() {
    let app = TestApp::spawn().await;
    let (phone, laptop) = app.two_devices_of_one_caregiver().await;
    assert_eq!(laptop.caregiver_id, phone.caregiver_id);
    app.sync(&phone.device_token, &request(&phone, 1, vec![note("from the phone")], 0)).await;
    let own = app.sync(&phone.device_token, &request(&phone, 1, vec![], 0)).await;
    assert!(own.body.get("changes").is_none(), "a device does not pull its own changes");
    let pulled = app.sync(&laptop.device_token, &request(&laptop, 1, vec![], 0)).await;
    assert_eq!(pulled.body["changes"][0]["text"], "from the phone");
    assert_eq!(
        pulled.body["changes"][0]["owner"]["id"],
        phone.caregiver_id.to_string(),
        "owner from the token"
    );
}

#[tokio::test]
async fn a_large_answer_is_compressed_and_a_small_one_is_not() {
    let app = TestApp::spawn().await;
    let (phone, laptop) = app.two_devices_of_one_caregiver().await;
    let notes = (0..20).map(|i| note(&format!("nota numero {i}"))).collect();
    app.sync(&phone.device_token, &request(&phone, 1, notes, 0)).await;
    let pulled = app.sync(&laptop.device_token, &request(&laptop, 1, vec![], 0)).await;
    assert_eq!(pulled.body["changes"].as_array().map(Vec::len), Some(20));
    assert_eq!(pulled.headers["content-encoding"], "zstd");
    let cursor = pulled.body["cursor"].as_u64().unwrap();
    let nothing_new = app.sync(&laptop.device_token, &request(&laptop, 1, vec![], cursor)).await;
    assert!(nothing_new.body.get("changes").is_none(), "nothing new: no changes field at all");
    assert!(nothing_new.headers.get("content-encoding").is_none());
}

#[tokio::test]
async fn a_refused_change_is_reported_in_the_answer_with_its_id_and_code() {
    use convivio_core::catalogue::CatalogueItem;
    use convivio_core::text::ShortText;
    let app = TestApp::spawn().await;
    let device = app.enrol(&app.code("Valle Verde", "Maria R.").await).await;
    let item = convivio_core::Record::CatalogueItem(CatalogueItem {
        id: convivio_core::RecordId::new(),
        version: convivio_core::Hlc { wall_ms: 1, counter: 0, node: convivio_core::NodeId(1) },
        owner: convivio_core::Owner::agency(uuid::Uuid::nil()),
        name: ShortText::parse("name", "Fake service").unwrap(),
        description: None,
        active: true,
    });
    let id = item.id();
    let answer = app.sync(&device.device_token, &request(&device, 1, vec![item], 0)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["acked_seq"], 1);
    assert_eq!(answer.body["refused"][0]["seq"], 1);
    assert_eq!(answer.body["refused"][0]["id"], id.to_string());
    assert_eq!(answer.body["refused"][0]["code"], "kind_not_allowed");
    assert!(answer.body["refused"][0]["message"].as_str().unwrap().contains("catalogue_item"));
}

#[tokio::test]
async fn a_version_far_ahead_of_the_servers_clock_is_refused_with_the_servers_time() {
    use convivio_core::sync::SyncResponse;
    let app = TestApp::spawn().await;
    let device = app.enrol(&app.code("Valle Verde", "Maria R.").await).await;
    let before = chrono::Utc::now().timestamp_millis() as u64;
    let mut far = note("written on a phone whose clock is three hours ahead");
    if let convivio_core::Record::Entry(e) = &mut far {
        e.version.wall_ms = before + 3 * 3_600_000;
    }
    let refused = app.sync(&device.device_token, &request(&device, 1, vec![far], 0)).await;
    assert_eq!(refused.status, 409);
    assert_eq!(refused.body["code"], "clock_ahead");
    let server_ms = refused.body["server_time_ms"].as_u64().unwrap();
    assert!(server_ms >= before && server_ms < before + 60_000, "{server_ms} vs {before}");
    assert!(refused.body["message"].as_str().unwrap().contains("3 hours"), "{}", refused.body);

    let mut end_of_time = note("the largest version there is");
    if let convivio_core::Record::Entry(e) = &mut end_of_time {
        e.version = "ffffffffffff-ffffffff-ffffffffffffffff".parse().unwrap();
    }
    let refused = app.sync(&device.device_token, &request(&device, 1, vec![end_of_time], 0)).await;
    assert_eq!(refused.body["code"], "clock_ahead", "the version that bricked siblings is refused");

    let ok = app.sync(&device.device_token, &request(&device, 1, vec![note("on time")], 0)).await;
    assert_eq!(ok.status, 200);
    let answer: SyncResponse = serde_json::from_value(ok.body).unwrap();
    assert_eq!(answer.acked_seq, 1);
    assert!(answer.server_time_ms >= before);
    assert_eq!(answer.server_epoch.0.len(), 16, "every answer carries the epoch");
}

#[tokio::test]
async fn a_malformed_body_is_a_bad_request_naming_the_problem() {
    let app = TestApp::spawn().await;
    let device = app.enrol(&app.code("Valle Verde", "Maria R.").await).await;
    let resp = app
        .http
        .post(format!("{}/api/v1/sync", app.url))
        .bearer_auth(&device.device_token)
        .header("content-type", "application/json")
        .body(r#"{"protocol": 2, "device_id": "nope"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "bad_request");
}

#[tokio::test]
async fn the_health_check_answers() {
    let app = TestApp::spawn().await;
    let resp = app.http.get(format!("{}/healthz", app.url)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
}
