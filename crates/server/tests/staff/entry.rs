//! The entry page: reading leaves a read receipt for the caregiver, replies and need statuses go
//! into the feed, and forms that break a rule are refused naming it, storing nothing.

use convivio_core::{Record, RecordId, RecordKind};
use convivio_server::storage::Store;

use crate::helpers::StaffApp;

/// What hangs under `entry` on the server, by kind.
async fn children(app: &StaffApp, entry: RecordId) -> Vec<Record> {
    convivio_server::storage::dashboard::entries::children(&app.store, app.agency_a, entry).await.unwrap()
}

fn of_kind(records: &[Record], kind: RecordKind) -> Vec<&Record> {
    records.iter().filter(|r| r.kind() == kind).collect()
}

#[tokio::test]
async fn opening_an_entry_the_first_time_leaves_one_read_receipt_with_the_readers_name() {
    let app = StaffApp::spawn().await;
    let id = app.need_of_a("Serve un passaggio per giovedì").await;
    let mut b = app.signed_in("staff.a").await;
    let page = b.get(&format!("/staff/entries/{id}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Serve un passaggio per giovedì") && page.body.contains("Trasporto"),
        "{}",
        page.body
    );
    b.get(&format!("/staff/entries/{id}")).await;
    let receipts = of_kind(&children(&app, id).await, RecordKind::ReadReceipt).len();
    assert_eq!(receipts, 1, "once per member");
    let mut admin = app.signed_in("admin.a").await;
    let page = admin.get(&format!("/staff/entries/{id}")).await;
    assert!(page.body.contains("staff.a ·"), "the readers are listed: {}", page.body);
    assert_eq!(of_kind(&children(&app, id).await, RecordKind::ReadReceipt).len(), 2);
    let lines =
        convivio_server::storage::dashboard::audit::list(&app.store, app.agency_a, &Default::default(), 50)
            .await
            .unwrap();
    assert_eq!(lines.iter().filter(|l| l.action == "entry_read").count(), 2);
}

#[tokio::test]
async fn a_reply_goes_into_the_thread_and_an_empty_one_is_refused() {
    let app = StaffApp::spawn().await;
    let id = app.need_of_a("Serve un passaggio").await;
    let mut b = app.signed_in("staff.a").await;
    b.get(&format!("/staff/entries/{id}")).await;
    let empty = b.post(&format!("/staff/entries/{id}/reply"), &[("text", "   ")]).await;
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("role=\"alert\"") && empty.body.contains("è obbligatorio"), "{}", empty.body);
    assert!(of_kind(&children(&app, id).await, RecordKind::Message).is_empty());
    let sent = b
        .post(&format!("/staff/entries/{id}/reply"), &[("text", "Ci pensiamo noi, <b>giovedì</b> alle 9")])
        .await;
    assert_eq!(
        (sent.status, sent.location()),
        (303, format!("/staff/entries/{id}?done=entry-reply-sent").as_str())
    );
    let page = b.get(sent.location()).await;
    assert!(
        page.body.contains("Ci pensiamo noi, &#60;b&#62;giovedì&#60;/b&#62; alle 9")
            && page.body.contains("role=\"status\""),
        "{}",
        page.body
    );
    assert_eq!(of_kind(&children(&app, id).await, RecordKind::Message).len(), 1);
}

#[tokio::test]
async fn not_met_needs_a_reason_and_moves_are_the_workflows() {
    let app = StaffApp::spawn().await;
    let id = app.need_of_a("Serve un passaggio").await;
    let mut b = app.signed_in("staff.a").await;
    b.get(&format!("/staff/entries/{id}")).await;
    let bare = b.post(&format!("/staff/entries/{id}/status"), &[("status", "not_met"), ("reason", "")]).await;
    assert_eq!(bare.status, 422, "{}", bare.body);
    assert!(bare.body.contains("Motivo"), "names the field: {}", bare.body);
    assert!(of_kind(&children(&app, id).await, RecordKind::NeedStatusChange).is_empty(), "nothing stored");
    let ok = b
        .post(
            &format!("/staff/entries/{id}/status"),
            &[("status", "not_met"), ("reason", "Nessun autista libero giovedì")],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let page = b.get(ok.location()).await;
    assert!(page.body.contains("Non soddisfatto: Nessun autista libero giovedì"), "{}", page.body);
    let backwards =
        b.post(&format!("/staff/entries/{id}/status"), &[("status", "in_progress"), ("reason", "")]).await;
    assert_eq!(backwards.status, 422, "a closed need only reopens");
    assert_eq!(of_kind(&children(&app, id).await, RecordKind::NeedStatusChange).len(), 1);
    let queue = b.get("/staff?status=not_met").await;
    assert!(queue.body.contains("Serve un passaggio"));
}

#[tokio::test]
async fn the_expected_reply_date_can_be_set_and_reset() {
    let app = StaffApp::spawn().await;
    let id = app.need_of_a("Serve un passaggio").await;
    let mut b = app.signed_in("staff.a").await;
    b.get(&format!("/staff/entries/{id}")).await;
    let set = b.post(&format!("/staff/entries/{id}/due"), &[("due", "2020-01-31")]).await;
    assert_eq!(set.status, 303, "{}", set.body);
    let page = b.get(set.location()).await;
    assert!(
        page.body.contains("value=\"2020-01-31\"") && page.body.contains("badge warn"),
        "overdue now: {}",
        page.body
    );
    assert!(b.get("/staff?overdue=1").await.body.contains("Serve un passaggio"));
    let bad = b.post(&format!("/staff/entries/{id}/due"), &[("due", "31/01/2020")]).await;
    assert_eq!(bad.status, 422);
    let reset = b.post(&format!("/staff/entries/{id}/due"), &[("due", ""), ("reset", "1")]).await;
    assert_eq!(reset.status, 303);
    assert!(
        !b.get("/staff?overdue=1").await.body.contains("Serve un passaggio"),
        "high urgency: due in a day"
    );
}

#[tokio::test]
async fn the_caregivers_device_receives_the_reply_the_status_and_the_receipt() {
    let app = StaffApp::spawn().await;
    let id = app.need_of_a("Serve un passaggio").await;
    let mut b = app.signed_in("staff.a").await;
    b.get(&format!("/staff/entries/{id}")).await;
    b.post(&format!("/staff/entries/{id}/reply"), &[("text", "Arriviamo")]).await;
    b.post(&format!("/staff/entries/{id}/status"), &[("status", "acknowledged"), ("reason", "")]).await;
    let code = convivio_server::admin::enrol(&app.store, "Valle Verde", None, Some(app.caregiver_a.id), 7)
        .await
        .unwrap();
    let laptop = app
        .store
        .redeem_enrolment(&convivio_server::tokens::code_hash(&code.code), chrono::Utc::now(), "laptop-token")
        .await
        .unwrap()
        .device;
    let pulled = app.store.pull(&laptop, 0, 100, usize::MAX).await.unwrap().records;
    let kinds: Vec<RecordKind> =
        pulled.iter().filter(|r| r.kind() != RecordKind::Entry).map(Record::kind).collect();
    assert!(
        kinds.contains(&RecordKind::Message)
            && kinds.contains(&RecordKind::NeedStatusChange)
            && kinds.contains(&RecordKind::ReadReceipt),
        "{kinds:?}"
    );
}
