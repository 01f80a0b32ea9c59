//! Two faces, two routers: the device API answers JSON under `/api/v1`, the staff dashboard
//! answers pages of its own under `/staff`; and the health check is cheap.

use crate::helpers::TestApp;

#[tokio::test]
async fn the_staff_dashboard_answers_its_own_html_not_found_page() {
    let app = TestApp::spawn().await;
    for path in ["/staff/no-such-page", "/staff/api/v1/sync", "/staff/entries/1/nothing"] {
        let resp =
            app.http.get(format!("{}{path}", app.url)).header("accept-language", "en").send().await.unwrap();
        assert_eq!(resp.status(), 404, "{path}");
        let kind = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(kind.as_deref(), Some("text/html; charset=utf-8"), "{path}");
        let page = resp.text().await.unwrap();
        assert!(page.contains("<h1>Page not found</h1>"), "{path}: {page}");
    }
}

#[tokio::test]
async fn the_dashboard_sends_a_visitor_to_sign_in_not_to_a_json_error() {
    let app = TestApp::spawn().await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let resp = http.get(format!("{}/staff", app.url)).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/staff/sign-in?next=%2Fstaff");
    let slash = http.get(format!("{}/staff/", app.url)).send().await.unwrap();
    assert_eq!(
        (slash.status().as_u16(), &slash.headers()["location"]),
        (308, &"/staff".parse::<reqwest::header::HeaderValue>().unwrap())
    );
}

#[tokio::test]
async fn an_unknown_device_endpoint_is_a_json_404_with_a_code() {
    let app = TestApp::spawn().await;
    let resp = app.http.post(format!("{}/api/v1/nope", app.url)).send().await.unwrap();
    assert_eq!(resp.status(), 404);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "bad_request");
    assert!(body["message"].as_str().unwrap().contains("/api/v1/sync"), "{body}");
}

#[tokio::test]
async fn the_health_check_asks_the_database_and_counts_nothing() {
    let app = TestApp::spawn().await;
    // With the records table out of the way, counting (`stats`) fails; a health check that
    // counts would fail with it, and would take longer the more an agency stores.
    app.raw_db().execute_batch("ALTER TABLE records RENAME TO records_away").unwrap();
    assert!(convivio_server::storage::Store::stats(&app.store).await.is_err());
    let resp = app.http.get(format!("{}/healthz", app.url)).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
}
