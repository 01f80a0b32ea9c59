//! The member's own account: name and language, and a password change that ends the other
//! sessions and keeps this browser signed in.

use crate::helpers::{PASSWORD, StaffApp};

#[tokio::test]
async fn a_member_changes_their_language_and_the_name_caregivers_see() {
    let app = StaffApp::spawn().await;
    let mut b = app.signed_in("staff.a").await;
    b.get("/staff/account").await;
    let bad = b.post("/staff/account", &[("display_name", "Giulia Bianchi"), ("lang", "fr")]).await;
    assert_eq!(bad.status, 422, "only Italian or English");
    let done = b.post("/staff/account", &[("display_name", "Giulia Bianchi"), ("lang", "en")]).await;
    assert_eq!(done.status, 303);
    let page = b.get(done.location()).await;
    assert!(
        page.body.contains("Signed in as Giulia Bianchi") && page.body.contains("<h1>My account</h1>"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_new_password_ends_the_other_sessions_and_keeps_this_one() {
    let app = StaffApp::spawn().await;
    let mut here = app.signed_in("staff.a").await;
    let mut elsewhere = app.signed_in("staff.a").await;
    let new = "another long quiet password";
    let wrong =
        here.post("/staff/account/password", &[("current", "not it"), ("new", new), ("repeat", new)]).await;
    assert_eq!(wrong.status, 422);
    let short = here
        .post("/staff/account/password", &[("current", PASSWORD), ("new", "short"), ("repeat", "short")])
        .await;
    assert_eq!(short.status, 422);
    let mismatch = here
        .post("/staff/account/password", &[("current", PASSWORD), ("new", new), ("repeat", "other")])
        .await;
    assert_eq!(mismatch.status, 422);
    let changed =
        here.post("/staff/account/password", &[("current", PASSWORD), ("new", new), ("repeat", new)]).await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert_eq!(here.get("/staff").await.status, 200, "this browser stays signed in");
    assert_eq!(elsewhere.get("/staff").await.status, 303, "the other session ended");
    let mut again = app.browser();
    assert_eq!(again.sign_in("staff.a", PASSWORD).await.status, 401, "the old password is gone");
    assert_eq!(again.sign_in("staff.a", new).await.status, 303);
}
