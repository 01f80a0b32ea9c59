//! Caregiver pages: the list, one caregiver's page, enrolment codes (text and QR) that can be
//! revoked, and device revocation that makes the next sync fail.

use convivio_server::error::StoreError;
use convivio_server::storage::Store;

use crate::helpers::StaffApp;

/// The enrolment code a code page shows.
fn shown_code(body: &str) -> String {
    body.split("data-testid=\"enrolment-code\">").nth(1).unwrap().split('<').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_new_caregiver_gets_a_one_time_code_as_text_and_as_a_qr_code() {
    let app = StaffApp::spawn().await;
    let mut b = app.signed_in("staff.a").await;
    b.get("/staff/caregivers").await;
    let made = b.post("/staff/caregivers", &[("name", "Chantal Favre")]).await;
    assert_eq!(made.status, 303, "{}", made.body);
    let page = b.get(made.location()).await;
    assert!(page.body.contains("<h1>Chantal Favre</h1>"), "{}", page.body);
    let path = format!("{}/codes", made.location());
    let code_page = b.post(&path, &[]).await;
    assert_eq!(code_page.status, 200, "{}", code_page.body);
    let code = shown_code(&code_page.body);
    assert_eq!(code.len(), 14, "a typeable code: {code}");
    assert!(
        code_page.body.contains("<svg") && code_page.body.contains(&app.url),
        "a QR code and the server: {}",
        code_page.body
    );
    // The code works once, from a device.
    let hash = convivio_server::tokens::code_hash(&code);
    app.store.redeem_enrolment(&hash, chrono::Utc::now(), "device-token-1").await.unwrap();
    let list = b.get("/staff/caregivers?name=chantal").await;
    assert!(list.body.contains("Chantal Favre"), "{}", list.body);
    assert_eq!(
        list.body.matches("data-testid=\"caregiver-row\"").count(),
        1,
        "only the one whose name matches"
    );
}

#[tokio::test]
async fn a_revoked_code_cannot_be_redeemed() {
    let app = StaffApp::spawn().await;
    let mut b = app.signed_in("staff.a").await;
    let caregiver = format!("/staff/caregivers/{}", app.caregiver_a.id);
    let code_page = b.post(&format!("{caregiver}/codes"), &[]).await;
    let code = shown_code(&code_page.body);
    let page = b.get(&caregiver).await;
    let hash =
        page.body.split("name=\"code\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert_eq!(
        hash,
        convivio_server::tokens::code_hash(&code),
        "the form names the code by its hash, never the code"
    );
    let revoked = b.post(&format!("{caregiver}/revoke-code"), &[("code", &hash)]).await;
    assert_eq!(revoked.status, 303, "{}", revoked.body);
    let redeemed = app.store.redeem_enrolment(&hash, chrono::Utc::now(), "device-token-2").await;
    assert!(matches!(redeemed, Err(StoreError::BadCode)), "{redeemed:?}");
    let mut other = app.signed_in("staff.b").await;
    let theirs = other.post(&format!("{caregiver}/revoke-code"), &[("code", &hash)]).await;
    assert_eq!(theirs.status, 404);
}

#[tokio::test]
async fn revoking_a_device_from_its_caregivers_page_refuses_its_next_sync() {
    let app = StaffApp::spawn().await;
    let id = app.entry_of_a("Prima nota").await;
    let mut b = app.signed_in("staff.a").await;
    let caregiver = format!("/staff/caregivers/{}", app.caregiver_a.id);
    let page = b.get(&caregiver).await;
    assert!(page.body.contains("data-testid=\"devices\""), "{}", page.body);
    let device =
        page.body.split("name=\"device\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let mut intruder = app.signed_in("staff.b").await;
    assert_eq!(
        intruder
            .post(&format!("/staff/caregivers/{}/revoke-device", app.caregiver_b.id), &[("device", &device)])
            .await
            .status,
        404
    );
    let done = b.post(&format!("{caregiver}/revoke-device"), &[("device", &device)]).await;
    assert_eq!(done.status, 303);
    let handle = app.store.device(device.parse().unwrap()).await.unwrap().unwrap();
    let batch = convivio_core::sync::PushBatch { first_seq: 2, changes: vec![crate::helpers::note("dopo")] };
    assert!(matches!(
        app.store.apply_batch(&handle, &batch, chrono::Utc::now()).await,
        Err(StoreError::Revoked)
    ));
    let page = b.get(&caregiver).await;
    assert!(page.body.contains("Revocato il"), "{}", page.body);
    let _ = id;
}

#[tokio::test]
async fn trust_over_time_is_a_chart_with_the_same_numbers_in_a_table() {
    let app = StaffApp::spawn().await;
    for (score, days) in [(4, 20), (3, 10), (2, 1)] {
        let input = convivio_core::entry::EntryInput {
            kind: "trust".into(),
            sharing: Some("agency".into()),
            target: Some("service".into()),
            target_name: Some("Pasti a domicilio".into()),
            score: Some(score.into()),
            occurred_at: Some((chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339()),
            ..Default::default()
        };
        app.push_of_a(crate::helpers::entry(input)).await;
    }
    let mut b = app.signed_in("staff.a").await;
    let page = b.get(&format!("/staff/caregivers/{}", app.caregiver_a.id)).await;
    assert!(page.body.contains("<svg aria-hidden=\"true\""), "a chart: {}", page.body);
    let table =
        page.body.split("data-testid=\"trust-table\"").nth(1).unwrap().split("</table>").next().unwrap();
    assert_eq!(table.matches("<td>Pasti a domicilio</td>").count(), 3, "{table}");
    assert!(table.contains("<td>4</td>") && table.contains("<td>2</td>"));
}
