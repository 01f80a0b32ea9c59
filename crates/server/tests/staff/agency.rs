//! The agency's own pages for admins (service catalogue, settings, audit log) and the overview,
//! over HTTP: each change reaches what depends on it, and bad input is refused naming the field.

use chrono::Datelike;
use convivio_core::Record;

use crate::helpers::StaffApp;

/// The catalogue items a device of caregiver A pulls from the start.
async fn pulled_services(app: &StaffApp) -> Vec<convivio_core::catalogue::CatalogueItem> {
    use convivio_server::storage::Store;
    let device = app.device_of_a().await;
    let pulled = app.store.pull(&device, 0, 500, 1 << 20).await.unwrap();
    pulled
        .records
        .into_iter()
        .filter_map(|r| match r {
            Record::CatalogueItem(item) => Some(item),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_service_added_renamed_and_withdrawn_reaches_the_caregivers_devices() {
    let app = StaffApp::spawn().await;
    let mut admin = app.signed_in("admin.a").await;
    admin.get("/staff/catalogue").await;
    let added =
        admin.post("/staff/catalogue", &[("name", "Trasporto"), ("description", "Visite e dialisi")]).await;
    assert_eq!(added.status, 303, "{}", added.body);
    let services = pulled_services(&app).await;
    assert_eq!(services.len(), 1);
    let id = services[0].id;
    assert!(services[0].active && services[0].name.as_str() == "Trasporto");

    let same = admin.post("/staff/catalogue", &[("name", " trasporto "), ("description", "")]).await;
    assert_eq!(same.status, 422, "a second service with the name");
    assert!(same.body.contains("Nome: un altro servizio ha già questo nome"), "{}", same.body);
    let empty = admin.post(&format!("/staff/catalogue/{id}"), &[("name", ""), ("description", "")]).await;
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("Nome: è obbligatorio"), "{}", empty.body);

    let renamed = admin
        .post(&format!("/staff/catalogue/{id}"), &[("name", "Trasporto sanitario"), ("description", "")])
        .await;
    assert_eq!(renamed.status, 303);
    let withdrawn = admin.post(&format!("/staff/catalogue/{id}/offer"), &[("offer", "withdraw")]).await;
    assert_eq!(withdrawn.status, 303);
    let services = pulled_services(&app).await;
    assert_eq!(services.len(), 1, "one item, its newest version");
    assert_eq!(services[0].name.as_str(), "Trasporto sanitario");
    assert!(!services[0].active && services[0].description.is_none());
    let page = admin.get("/staff/catalogue").await;
    assert!(page.body.contains("Ritirato") && page.body.contains("Proponi di nuovo"), "{}", page.body);
    let audit = admin.get("/staff/audit?action=catalogue_changed").await;
    assert_eq!(audit.body.matches("data-testid=\"audit-row\"").count(), 3, "added, renamed, withdrawn");
}

#[tokio::test]
async fn settings_out_of_range_are_refused_naming_the_field_and_nothing_is_saved() {
    let app = StaffApp::spawn().await;
    let mut admin = app.signed_in("admin.a").await;
    let page = admin.get("/staff/settings").await;
    assert!(page.body.contains("value=\"24\""), "the default for high urgency: {}", page.body);
    let mut form: Vec<(String, String)> = [
        ("reply_hours_high", "4"),
        ("reply_hours_medium", "48"),
        ("reply_hours_low", "168"),
        ("trust_drop", "2"),
        ("trust_ratings", "3"),
        ("factor_repeats", "3"),
        ("factor_days", "30"),
        ("silent_days", "0"),
        ("horizon_days", "180"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    form.push(("csrf".into(), admin.csrf.clone().unwrap()));
    let bad = admin.post_raw("/staff/settings", &form).await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("Dispositivo silenzioso: nessuna sincronizzazione da più di tanti giorni: un numero intero da 1 a 365"),
        "{}",
        bad.body
    );
    let stored = convivio_server::storage::dashboard::settings::get(&app.store, app.agency_a).await.unwrap();
    assert_eq!(stored.reply_hours_high, 24, "nothing saved");
    form.iter_mut().find(|(k, _)| k == "silent_days").unwrap().1 = "7".into();
    let saved = admin.post_raw("/staff/settings", &form).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let stored = convivio_server::storage::dashboard::settings::get(&app.store, app.agency_a).await.unwrap();
    assert_eq!((stored.reply_hours_high, stored.reply_hours_medium, stored.silent_days), (4, 48, 7));
    let mut staff = app.signed_in("staff.a").await;
    assert_eq!(staff.get("/staff/settings").await.status, 403);
}

#[tokio::test]
async fn the_audit_log_filters_by_caregiver_staff_member_and_action() {
    let app = StaffApp::spawn().await;
    let id = app.need_of_a("Serve un passaggio").await;
    let mut staff = app.signed_in("staff.a").await;
    staff.get(&format!("/staff/entries/{id}")).await;
    let mut admin = app.signed_in("admin.a").await;
    let a = app.caregiver_a.id;
    let staff_id = app.member_id("staff.a").await;
    let admin_id = app.member_id("admin.a").await;
    let read = admin.get(&format!("/staff/audit?caregiver={a}&action=entry_read")).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body.matches("data-testid=\"audit-row\"").count(), 1, "{}", read.body);
    assert!(read.body.contains(&format!("/staff/entries/{id}")) && read.body.contains("staff.a"));
    assert!(!read.body.contains("Serve un passaggio"), "never the entry's words");
    let by_admin = admin.get(&format!("/staff/audit?staff={admin_id}&action=entry_read")).await;
    assert!(by_admin.body.contains("data-testid=\"audit-empty\""), "{}", by_admin.body);
    let sign_ins = admin.get(&format!("/staff/audit?staff={staff_id}&action=sign_in")).await;
    assert_eq!(sign_ins.body.matches("data-testid=\"audit-row\"").count(), 1);
    let theirs = admin.get(&format!("/staff/audit?caregiver={}", app.caregiver_b.id)).await;
    assert!(theirs.body.contains("data-testid=\"audit-empty\""), "another agency's caregiver: nothing");
    let bad = admin.get("/staff/audit?action=everything").await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Azione: scegli una delle opzioni proposte"), "{}", bad.body);
}

#[tokio::test]
async fn the_overview_shows_this_months_tags_needs_and_waits_in_tables_beside_the_charts() {
    let app = StaffApp::spawn().await;
    let id = app.need_of_a("Serve un passaggio").await;
    let input = convivio_core::entry::EntryInput {
        kind: "trust".into(),
        sharing: Some("agency".into()),
        target: Some("service".into()),
        target_name: Some("Pasti a domicilio".into()),
        score: Some(2.into()),
        factors: vec!["mistake".into(), "on_time".into()],
        ..Default::default()
    };
    app.push_of_a(crate::helpers::entry(input)).await;
    let mut staff = app.signed_in("staff.a").await;
    staff.get(&format!("/staff/entries/{id}")).await;
    staff.post(&format!("/staff/entries/{id}/reply"), &[("text", "Arriviamo alle 9")]).await;
    let page = staff.get("/staff/overview").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    let table = |id: &str| {
        page.body
            .split(&format!("data-testid=\"{id}\""))
            .nth(1)
            .unwrap()
            .split("</table>")
            .next()
            .unwrap()
            .to_owned()
    };
    assert!(
        table("tags-table").contains(&format!("<th scope=\"row\">{month}</th><td>1</td><td>1</td>")),
        "{}",
        table("tags-table")
    );
    assert!(table("factors-table").contains("Hanno commesso un errore"), "{}", table("factors-table"));
    assert!(
        table("trust-table").contains("Pasti a domicilio") && table("trust-table").contains("<td>2,0</td>")
    );
    assert!(table("needs-table").contains("Trasporto"), "{}", table("needs-table"));
    assert!(
        table("waits-table").contains(&format!("<th scope=\"row\">{month}</th><td>0 ore</td>")),
        "{}",
        table("waits-table")
    );
    assert_eq!(page.body.matches("<svg aria-hidden=\"true\"").count(), 4, "four charts");
    // The period's pickers name months in the member's language, this one chosen as the last.
    let mesi = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto"];
    let mesi = [&mesi[..], &["settembre", "ottobre", "novembre", "dicembre"]].concat();
    let now = chrono::Utc::now();
    let until = page.body.split("id=\"o-until\"").nth(1).unwrap().split("</select>").next().unwrap();
    let this =
        format!("<option value=\"{month}\" selected>{} {}</option>", mesi[now.month0() as usize], now.year());
    assert!(until.contains(&this), "{until}");
    assert_eq!(until.matches("<option").count(), 60, "five years to choose from");
    let bad = staff.get("/staff/overview?from=2026-13").await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Dal mese: deve essere un mese scritto come AAAA-MM"), "{}", bad.body);
}
