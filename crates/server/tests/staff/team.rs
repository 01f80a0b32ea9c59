//! Admins manage the agency's staff from the dashboard: create, change role, disable and enable,
//! reset a password; each change in the audit log; an admin cannot lock the agency out.

use crate::helpers::{PASSWORD, StaffApp};

const NEW_PASSWORD: &str = "a brand new temporary password";

#[tokio::test]
async fn an_admin_creates_a_member_who_then_signs_in_in_their_language() {
    let app = StaffApp::spawn().await;
    let mut admin = app.signed_in("admin.a").await;
    admin.get("/staff/team").await;
    let form = [
        ("username", "luca.neri"),
        ("display_name", "Luca Neri"),
        ("role", "staff"),
        ("lang", "en"),
        ("password", NEW_PASSWORD),
    ];
    let created = admin.post("/staff/team", &form).await;
    assert_eq!(created.status, 303, "{}", created.body);
    let list = admin.get(created.location()).await;
    assert!(list.body.contains("luca.neri") && list.body.contains("Luca Neri"), "{}", list.body);
    let mut luca = app.browser();
    assert_eq!(luca.sign_in("luca.neri", NEW_PASSWORD).await.status, 303);
    let home = luca.get("/staff").await;
    assert!(home.body.contains("<h1>Review queue</h1>") && home.body.contains("Signed in as Luca Neri"));
    // A second account with the name is refused, naming the field; nothing else changes.
    let again = admin.post("/staff/team", &form).await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("Nome utente: è già in uso"), "{}", again.body);
    let audit = admin.get("/staff/audit?action=staff_created").await;
    assert_eq!(audit.body.matches("data-testid=\"audit-row\"").count(), 1, "{}", audit.body);
}

#[tokio::test]
async fn a_new_member_with_a_bad_field_is_refused_naming_each_field() {
    let app = StaffApp::spawn().await;
    let mut admin = app.signed_in("admin.a").await;
    admin.get("/staff/team").await;
    let bad = admin
        .post(
            "/staff/team",
            &[
                ("username", "Luca Neri"),
                ("display_name", " "),
                ("role", "boss"),
                ("lang", "it"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    for field in ["Nome utente:", "Nome come lo vedono i caregiver:", "Ruolo:", "Password provvisoria"] {
        assert!(bad.body.contains(field), "{field}: {}", bad.body);
    }
    assert!(bad.body.contains("value=\"Luca Neri\""), "what was typed is shown again");
    assert_eq!(app.browser().sign_in("Luca Neri", "short").await.status, 401);
}

#[tokio::test]
async fn disabling_a_member_ends_their_sessions_and_refuses_their_sign_in_until_enabled() {
    let app = StaffApp::spawn().await;
    let mut staff = app.signed_in("staff.a").await;
    let mut admin = app.signed_in("admin.a").await;
    let id = app.member_id("staff.a").await;
    admin.get(&format!("/staff/team/{id}")).await;
    let off = admin.post(&format!("/staff/team/{id}/access"), &[("access", "disable")]).await;
    assert_eq!(off.status, 303, "{}", off.body);
    assert!(admin.get(off.location()).await.body.contains("data-testid=\"member-disabled\""));
    assert_eq!(staff.get("/staff").await.status, 303, "the open session ended");
    assert_eq!(app.browser().sign_in("staff.a", PASSWORD).await.status, 401, "and no new one starts");
    let on = admin.post(&format!("/staff/team/{id}/access"), &[("access", "enable")]).await;
    assert_eq!(on.status, 303);
    assert_eq!(app.browser().sign_in("staff.a", PASSWORD).await.status, 303);
}

#[tokio::test]
async fn a_role_change_applies_at_the_members_next_request() {
    let app = StaffApp::spawn().await;
    let mut staff = app.signed_in("staff.a").await;
    assert_eq!(staff.get("/staff/team").await.status, 403, "staff do not manage staff");
    let mut admin = app.signed_in("admin.a").await;
    let id = app.member_id("staff.a").await;
    admin.get(&format!("/staff/team/{id}")).await;
    let saved = admin
        .post(
            &format!("/staff/team/{id}"),
            &[("display_name", "Sara Conti"), ("role", "admin"), ("lang", "it")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(staff.get("/staff/team").await.status, 200, "an admin now");
    assert!(staff.get("/staff").await.body.contains("Sara Conti"));
    let saved = admin
        .post(
            &format!("/staff/team/{id}"),
            &[("display_name", "Sara Conti"), ("role", "researcher"), ("lang", "it")],
        )
        .await;
    assert_eq!(saved.status, 303);
    assert_eq!(staff.get("/staff").await.status, 403, "a researcher sees no dashboard page");
}

#[tokio::test]
async fn an_admin_cannot_demote_or_disable_themselves() {
    let app = StaffApp::spawn().await;
    let mut admin = app.signed_in("admin.a").await;
    let id = app.member_id("admin.a").await;
    admin.get(&format!("/staff/team/{id}")).await;
    let demote = admin
        .post(&format!("/staff/team/{id}"), &[("display_name", "Admin"), ("role", "staff"), ("lang", "it")])
        .await;
    assert_eq!(demote.status, 422, "{}", demote.body);
    let off = admin.post(&format!("/staff/team/{id}/access"), &[("access", "disable")]).await;
    assert_eq!(off.status, 422);
    let reset = admin
        .post(&format!("/staff/team/{id}/password"), &[("new", NEW_PASSWORD), ("repeat", NEW_PASSWORD)])
        .await;
    assert_eq!(reset.status, 422, "one's own password needs the current one (account page)");
    assert_eq!(admin.get("/staff/team").await.status, 200, "still an admin, still signed in");
}

#[tokio::test]
async fn a_reset_password_replaces_the_old_one_and_ends_the_members_sessions() {
    let app = StaffApp::spawn().await;
    let mut staff = app.signed_in("staff.a").await;
    let mut admin = app.signed_in("admin.a").await;
    let id = app.member_id("staff.a").await;
    admin.get(&format!("/staff/team/{id}")).await;
    let mismatch = admin
        .post(&format!("/staff/team/{id}/password"), &[("new", NEW_PASSWORD), ("repeat", "something else")])
        .await;
    assert_eq!(mismatch.status, 422);
    assert_eq!(staff.get("/staff").await.status, 200, "a refused reset changes nothing");
    let reset = admin
        .post(&format!("/staff/team/{id}/password"), &[("new", NEW_PASSWORD), ("repeat", NEW_PASSWORD)])
        .await;
    assert_eq!(reset.status, 303, "{}", reset.body);
    assert_eq!(staff.get("/staff").await.status, 303, "the session ended");
    assert_eq!(app.browser().sign_in("staff.a", PASSWORD).await.status, 401);
    assert_eq!(app.browser().sign_in("staff.a", NEW_PASSWORD).await.status, 303);
    let audit = admin.get("/staff/audit?action=password_changed").await;
    assert!(audit.body.contains("reset"), "{}", audit.body);
}
