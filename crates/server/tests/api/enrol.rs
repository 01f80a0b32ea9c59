//! Enrolment: a one-time, expiring code becomes a device token.

use crate::helpers::TestApp;

#[tokio::test]
async fn a_code_enrols_a_device_once() {
    let app = TestApp::spawn().await;
    let code = app.code("Valle Verde", "Maria R.").await;
    let device = app.enrol(&code).await;
    assert_eq!(device.device_token.len(), 64);
    assert_eq!(device.agency_name, "Valle Verde");
    let again = app.enrol_raw(&code).await;
    assert_eq!(again.status, 403);
    assert_eq!(again.body["code"], "code_refused");
    assert!(again.body["message"].as_str().unwrap().contains("not valid"));
}

#[tokio::test]
async fn a_code_typed_in_lower_case_with_spaces_still_works() {
    let app = TestApp::spawn().await;
    let code = app.code("Valle Verde", "Maria R.").await;
    app.enrol(&code.to_lowercase().replace('-', " ")).await;
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    use convivio_server::storage::{NewEnrolment, Store};
    let app = TestApp::spawn().await;
    convivio_server::admin::create_agency(&app.store, "Valle Verde").await.unwrap();
    let agency = convivio_server::admin::agency(&app.store, "Valle Verde").await.unwrap();
    let caregiver = app.store.create_caregiver(agency.id, "Old code").await.unwrap();
    app.store
        .create_enrolment(NewEnrolment {
            code_hash: convivio_server::tokens::code_hash("AAAA-BBBB-CCCC"),
            caregiver_id: caregiver.id,
            expires_at: chrono::Utc::now() - chrono::Duration::minutes(1),
        })
        .await
        .unwrap();
    assert_eq!(app.enrol_raw("AAAA-BBBB-CCCC").await.status, 403);
}

#[tokio::test]
async fn guessing_codes_is_throttled() {
    let app = TestApp::spawn().await;
    let limit = app.config.enrolment.attempts_per_minute;
    for i in 0..limit {
        assert_eq!(app.enrol_raw(&format!("GUES-SSSS-{i:04}")).await.status, 403);
    }
    let throttled = app.enrol_raw("GUES-SSSS-LAST").await;
    assert_eq!(throttled.status, 429);
    assert_eq!(throttled.body["code"], "too_many_requests");
    let wait: u64 = throttled.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
}

#[tokio::test]
async fn clients_behind_a_trusted_proxy_are_throttled_apart() {
    let app = TestApp::spawn_with(|c| {
        c.enrolment.attempts_per_minute = 2;
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let guesser = Some("198.51.100.7");
    for i in 0..2 {
        assert_eq!(app.enrol_from(&format!("GUES-SSSS-{i:04}"), guesser).await.status, 403);
    }
    assert_eq!(app.enrol_from("GUES-SSSS-LAST", guesser).await.status, 429);
    // Another household behind the same proxy is not held up by the guesser.
    let code = app.code("Valle Verde", "Maria R.").await;
    assert_eq!(app.enrol_from(&code, Some("203.0.113.20")).await.status, 200);
}

#[tokio::test]
async fn ipv6_addresses_of_one_64_behind_a_proxy_are_one_guesser() {
    let app = TestApp::spawn_with(|c| {
        c.enrolment.attempts_per_minute = 2;
        c.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    })
    .await;
    for (i, addr) in ["2001:db8:5:6::1", "2001:db8:5:6::2"].into_iter().enumerate() {
        assert_eq!(app.enrol_from(&format!("GUES-SSSS-{i:04}"), Some(addr)).await.status, 403);
    }
    let next = app.enrol_from("GUES-SSSS-LAST", Some("2001:db8:5:6:ffff:ffff:ffff:ffff")).await;
    assert_eq!(next.status, 429, "a new address in the same /64 started afresh");
    let neighbour = app.enrol_from("GUES-SSSS-0009", Some("2001:db8:5:7::1")).await;
    assert_eq!(neighbour.status, 403, "the next /64 is someone else (its code is refused, not throttled)");
}

#[tokio::test]
async fn without_trusted_proxies_a_forged_forwarded_address_does_not_escape_the_throttle() {
    let app = TestApp::spawn_with(|c| c.enrolment.attempts_per_minute = 2).await;
    for i in 0..2 {
        let forged = format!("198.51.100.{i}");
        assert_eq!(app.enrol_from(&format!("GUES-SSSS-{i:04}"), Some(&forged)).await.status, 403);
    }
    assert_eq!(app.enrol_from("GUES-SSSS-LAST", Some("198.51.100.99")).await.status, 429);
}
