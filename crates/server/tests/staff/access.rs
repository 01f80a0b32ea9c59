//! Who may open what: every route of the dashboard's own table, for every kind of visitor, and
//! the headers every page sends.

use convivio_server::staff::{Access, ROUTES};

use crate::helpers::StaffApp;

/// Agency A's records that fill the routes' `{id}`: an entry, its caregiver, a staff member
/// and a service of the catalogue.
struct Ids {
    entry: String,
    caregiver: String,
    member: String,
    service: String,
}

impl Ids {
    async fn of_a(app: &StaffApp) -> Ids {
        Ids {
            entry: app.need_of_a("Serve un passaggio").await.to_string(),
            caregiver: app.caregiver_a.id.to_string(),
            member: app.member_id("staff.a").await.to_string(),
            service: app.service_of_a("Pasti a domicilio").await.to_string(),
        }
    }

    /// Ids of nothing at all.
    fn none() -> Ids {
        let none = uuid::Uuid::now_v7().to_string();
        Ids { entry: none.clone(), caregiver: none.clone(), member: none.clone(), service: none }
    }
}

/// A route's path with its placeholder filled in: the record of agency A its section names.
fn path(route: &str, ids: &Ids) -> String {
    let id = if route.starts_with("/caregivers/") {
        &ids.caregiver
    } else if route.starts_with("/team/") {
        &ids.member
    } else if route.starts_with("/catalogue/") {
        &ids.service
    } else {
        &ids.entry
    };
    format!("/staff{}", if route == "/" { "" } else { route }).replace("{id}", id)
}

/// Every placeholder a route may have must be one `path` fills in.
fn check_placeholders(route: &str) {
    let unknown = route.replace("{id}", "");
    assert!(!unknown.contains('{'), "a route with a placeholder the tests do not fill in: {route}");
}

#[tokio::test]
async fn every_route_answers_each_role_as_its_access_says() {
    let app = StaffApp::spawn().await;
    let ids = Ids::of_a(&app).await;
    let mut anonymous = app.browser();
    anonymous.get("/staff/sign-in").await;
    let mut staff = app.signed_in("staff.a").await;
    let mut admin = app.signed_in("admin.a").await;
    let mut researcher = app.signed_in("research.a").await;
    // Signing out last: it ends the session the other routes are tried with.
    let mut routes: Vec<_> = ROUTES.iter().collect();
    routes.sort_by_key(|r| r.path == "/sign-out");
    let mut other_staff = app.signed_in("staff.b").await;
    let mut other_admin = app.signed_in("admin.b").await;
    for route in routes {
        check_placeholders(route.path);
        let p = path(route.path, &ids);
        let is_post = route.method == "POST";
        for (who, browser) in [
            ("anonymous", &mut anonymous),
            ("staff", &mut staff),
            ("admin", &mut admin),
            ("researcher", &mut researcher),
        ] {
            if who == "anonymous" {
                browser.get("/staff/sign-in").await;
            }
            let page = if is_post { browser.post(&p, &[]).await } else { browser.get(&p).await };
            let expected: &[u16] = match (route.access, who) {
                (Access::Public, _) => &[200, 303, 400],
                (_, "anonymous") => &[303],
                (_, "researcher") => &[403],
                (Access::Admin, "staff") => &[403],
                // Allowed in: the page, or the action (done, or refused for the empty form: 400, 422).
                _ => &[200, 303, 400, 422],
            };
            assert!(
                expected.contains(&page.status),
                "{} {p} as {who}: {} {}",
                route.method,
                page.status,
                page.body
            );
            if page.status == 303 && route.access != Access::Public && who == "anonymous" {
                assert!(page.location().starts_with("/staff/sign-in"), "{p}: {}", page.location());
            }
        }
        if route.path.contains("{id}") {
            // Another agency's member who could open the route for their own agency's records.
            let other_agency =
                if route.access == Access::Admin { &mut other_admin } else { &mut other_staff };
            let theirs = if is_post { other_agency.post(&p, &[]).await } else { other_agency.get(&p).await };
            assert_eq!(
                theirs.status, 404,
                "{} {p} as another agency's member: {}",
                route.method, theirs.body
            );
            let unknown = path(route.path, &Ids::none());
            let none = if is_post {
                other_agency.post(&unknown, &[]).await
            } else {
                other_agency.get(&unknown).await
            };
            assert_eq!(none.body, theirs.body, "another agency's record looks exactly like none");
        }
    }
}

#[tokio::test]
async fn every_page_sends_a_strict_content_security_policy_and_no_sniffing() {
    let app = StaffApp::spawn().await;
    let mut b = app.signed_in("admin.a").await;
    let ids = Ids::of_a(&app).await;
    for route in ROUTES.iter().filter(|r| r.method == "GET") {
        let page = b.get(&path(route.path, &ids)).await;
        let csp =
            page.headers.get("content-security-policy").map(|v| v.to_str().unwrap()).unwrap_or_default();
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{}: {csp}",
            route.path
        );
        assert_eq!(page.headers["x-content-type-options"], "nosniff", "{}", route.path);
        assert!(page.headers.contains_key("referrer-policy"), "{}", route.path);
    }
    let missing = b.get("/staff/no-such-page").await;
    assert_eq!(missing.status, 404);
    assert!(missing.headers.contains_key("content-security-policy"));
}

#[tokio::test]
async fn words_from_caregivers_show_as_text_never_as_markup() {
    let app = StaffApp::spawn().await;
    app.entry_of_a("<script>alert('x')</script> & \"quoted\"").await;
    let mut b = app.signed_in("staff.a").await;
    let queue = b.get("/staff").await;
    assert!(!queue.body.contains("<script>alert") && !queue.body.contains("<b>Rossi"), "{}", queue.body);
    assert!(
        queue.body.contains("&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62; &#38; &#34;quoted&#34;"),
        "{}",
        queue.body
    );
    assert!(queue.body.contains("Maria &#60;b&#62;Rossi&#60;/b&#62;"), "names are text too");
}

#[tokio::test]
async fn the_queue_speaks_the_members_language() {
    let app = StaffApp::spawn().await;
    let mut b = app.signed_in("staff.a").await;
    assert!(b.get("/staff").await.body.contains("<h1>Da esaminare</h1>"), "Italian by default");
    let member = convivio_server::storage::dashboard::accounts::by_username(&app.store, "staff.a")
        .await
        .unwrap()
        .unwrap();
    let english = convivio_server::storage::dashboard::accounts::Change {
        lang: Some("en".into()),
        ..Default::default()
    };
    convivio_server::storage::dashboard::accounts::update(
        &app.store,
        app.agency_a,
        member.id,
        &english,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let page = b.get("/staff").await;
    assert!(
        page.body.contains("<h1>Review queue</h1>") && page.body.contains("lang=\"en\""),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn another_agencys_staff_see_none_of_its_entries() {
    let app = StaffApp::spawn().await;
    app.entry_of_a("Solo per Valle Verde").await;
    let mut a = app.signed_in("staff.a").await;
    assert!(a.get("/staff").await.body.contains("Solo per Valle Verde"));
    let mut b = app.signed_in("staff.b").await;
    let theirs = b.get("/staff").await;
    assert!(
        !theirs.body.contains("Solo per Valle Verde") && theirs.body.contains("queue-empty"),
        "{}",
        theirs.body
    );
    let by_url = b.get(&format!("/staff?caregiver={}", app.caregiver_a.id)).await;
    assert!(!by_url.body.contains("Solo per Valle Verde"), "not by naming the caregiver either");
    assert!(app.caregiver_b.display_name == "Ursula Meier");
}

#[tokio::test]
async fn every_link_of_the_navigation_opens_a_page() {
    let app = StaffApp::spawn().await;
    for who in ["staff.a", "admin.a"] {
        let mut b = app.signed_in(who).await;
        let home = b.get("/staff").await;
        let nav =
            home.body.split("<ul class=\"nav\">").nth(1).unwrap().split("</ul>").next().unwrap().to_owned();
        let links: Vec<String> =
            nav.split("href=\"").skip(1).map(|l| l.split('"').next().unwrap().to_owned()).collect();
        assert!(links.len() >= 2, "{nav}");
        for link in links {
            assert_eq!(b.get(&link).await.status, 200, "{who}: {link}");
        }
    }
}

#[tokio::test]
async fn the_warnings_page_lists_an_overdue_need_and_an_acknowledgement_hides_it() {
    let app = StaffApp::spawn().await;
    let id = app.need_of_a("Urgente: serve un passaggio").await;
    let mut b = app.signed_in("staff.a").await;
    b.get(&format!("/staff/entries/{id}")).await;
    b.post(&format!("/staff/entries/{id}/due"), &[("due", "2020-01-31")]).await;
    let page = b.get("/staff/warnings").await;
    assert_eq!(page.status, 200);
    let section = page
        .body
        .split("data-testid=\"rule-overdue_need\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap()
        .to_owned();
    assert!(section.contains(&format!("/staff/entries/{id}")), "{section}");
    let field = |name: &str| {
        section
            .split(&format!("name=\"{name}\" value=\""))
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned()
    };
    let (subject, evidence) = (field("subject"), field("evidence"));
    let bare = b
        .post(
            "/staff/warnings/ack",
            &[("rule", "overdue_need"), ("subject", &subject), ("evidence", &evidence), ("note", " ")],
        )
        .await;
    assert_eq!(bare.status, 422, "a note is required");
    let done = b
        .post(
            "/staff/warnings/ack",
            &[
                ("rule", "overdue_need"),
                ("subject", &subject),
                ("evidence", &evidence),
                ("note", "Telefonato, domani"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let after = b.get("/staff/warnings").await;
    assert!(!after.body.contains(&format!("/staff/entries/{id}")), "acknowledged");
    // New evidence (another date, also past) brings it back.
    b.post(&format!("/staff/entries/{id}/due"), &[("due", "2021-02-28")]).await;
    assert!(
        b.get("/staff/warnings").await.body.contains(&format!("/staff/entries/{id}")),
        "back on new evidence"
    );
}
