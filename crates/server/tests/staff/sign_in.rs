//! Signing in: cookie attributes, session rotation, CSRF, throttling, sign-out.

use crate::helpers::{PASSWORD, StaffApp};

#[tokio::test]
async fn signing_in_sets_a_strict_http_only_cookie_with_a_new_session_id() {
    let app = StaffApp::spawn().await;
    let mut b = app.browser();
    let form = b.get("/staff/sign-in").await;
    let visitor = form.set_cookie().expect("the sign-in page starts a visitor's session");
    assert!(
        visitor.contains("HttpOnly") && visitor.contains("SameSite=Strict") && visitor.contains("Path=/"),
        "{visitor}"
    );
    assert!(!visitor.contains("Secure"), "plain HTTP on loopback: {visitor}");
    let before = b.cookie.clone().unwrap();
    let signed = b.post("/staff/sign-in", &[("username", "staff.a"), ("password", PASSWORD)]).await;
    assert_eq!((signed.status, signed.location()), (303, "/staff"), "{}", signed.body);
    let cookie = signed.set_cookie().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let after = b.cookie.clone().unwrap();
    assert_ne!(before, after, "the session id changes at sign-in");
    // The visitor's id no longer opens anything.
    let mut old = app.browser();
    old.cookie = Some(before);
    assert_eq!(old.get("/staff").await.status, 303);
    assert_eq!(b.get("/staff").await.status, 200);
}

#[tokio::test]
async fn cookies_are_secure_behind_a_tls_proxy_and_carry_the_host_prefix() {
    let app = StaffApp::spawn_with(|c| c.staff.behind_tls_proxy = true).await;
    let mut b = app.browser();
    let form = b.get("/staff/sign-in").await;
    let cookie = form.set_cookie().unwrap();
    assert!(cookie.starts_with("__Host-convivio_staff=") && cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn a_post_without_or_with_a_wrong_csrf_token_is_refused_and_changes_nothing() {
    let app = StaffApp::spawn().await;
    let entry = app.entry_of_a("Una nota").await;
    let mut b = app.signed_in("staff.a").await;
    let queue = b.get("/staff?unread=1").await;
    assert!(queue.body.contains("Una nota"));
    let id = entry.to_string();
    for csrf in [None, Some("0".repeat(64))] {
        let mut form = vec![("id".to_owned(), id.clone())];
        if let Some(t) = &csrf {
            form.push(("csrf".into(), t.clone()));
        }
        let refused = b.post_raw("/staff/mark-read", &form).await;
        assert_eq!(refused.status, 403, "csrf {csrf:?}: {}", refused.body);
    }
    assert!(b.get("/staff?unread=1").await.body.contains("Una nota"), "still unread");
    let done = b.post("/staff/mark-read", &[("id", &id), ("back", "/staff?unread=1")]).await;
    assert_eq!((done.status, done.location()), (303, "/staff?unread=1"));
    assert!(!b.get("/staff?unread=1").await.body.contains("Una nota"), "read now");
}

#[tokio::test]
async fn the_sixth_wrong_password_is_throttled_and_the_right_one_is_refused_during_the_lockout() {
    let app = StaffApp::spawn().await;
    let mut b = app.browser();
    for attempt in 1..=4 {
        let wrong = b.sign_in("staff.a", "not the password").await;
        assert_eq!(wrong.status, 401, "attempt {attempt}");
        assert!(wrong.body.contains("role=\"alert\""), "the reason is announced");
    }
    let fifth = b.sign_in("staff.a", "not the password").await;
    assert_eq!(fifth.status, 429, "the fifth failure locks the username");
    let sixth = b.sign_in("staff.a", "still not it").await;
    assert_eq!(sixth.status, 429);
    let right = b.sign_in("staff.a", PASSWORD).await;
    assert_eq!(right.status, 429, "locked: even the right password is refused");
    assert_eq!(b.get("/staff").await.status, 303, "and nobody is signed in");
    // Another member is not locked by it.
    let mut other = app.browser();
    assert_eq!(other.sign_in("admin.a", PASSWORD).await.status, 303);
}

#[tokio::test]
async fn an_unknown_username_is_refused_like_a_wrong_password() {
    let app = StaffApp::spawn().await;
    let mut b = app.browser();
    let unknown = b.sign_in("nobody", PASSWORD).await;
    let wrong = b.sign_in("staff.a", "wrong").await;
    assert_eq!((unknown.status, wrong.status), (401, 401));
    let text =
        |body: &str| body[body.find("role=\"alert\"").unwrap()..].split("</p>").next().unwrap().to_owned();
    assert_eq!(text(&unknown.body), text(&wrong.body), "the same words: nothing says which names exist");
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = StaffApp::spawn().await;
    let mut b = app.signed_in("staff.a").await;
    let session = b.cookie.clone();
    b.get("/staff").await;
    let out = b.post("/staff/sign-out", &[]).await;
    assert_eq!((out.status, out.location()), (303, "/staff/sign-in?done=signed-out"));
    let mut again = app.browser();
    again.cookie = session;
    assert_eq!(again.get("/staff").await.status, 303, "the old cookie opens nothing");
}

#[tokio::test]
async fn the_page_after_sign_in_is_the_one_asked_for_but_never_another_site() {
    let app = StaffApp::spawn().await;
    let mut b = app.browser();
    let asked = b.get("/staff?kind=note").await;
    assert_eq!(asked.status, 303);
    assert!(asked.location().starts_with("/staff/sign-in?next="), "{}", asked.location());
    let location = asked.location().to_owned();
    b.get(&location).await;
    let next = b
        .post(
            "/staff/sign-in",
            &[("username", "staff.a"), ("password", PASSWORD), ("next", "/staff?kind=note")],
        )
        .await;
    assert_eq!(next.location(), "/staff?kind=note");
    let mut c = app.browser();
    c.get("/staff/sign-in").await;
    let evil = c
        .post(
            "/staff/sign-in",
            &[("username", "staff.a"), ("password", PASSWORD), ("next", "https://evil.example/")],
        )
        .await;
    assert_eq!(evil.location(), "/staff");
}
