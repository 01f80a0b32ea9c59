//! Caregivers (`/staff/caregivers`, `/staff/caregivers/{id}`): the list, one caregiver's page
//! (banded profile, open needs with their age, trust over time as a chart with a table beside
//! it, latest entries, devices with revocation, enrolment codes), and enrolment from the
//! dashboard: a new caregiver, a one-time code shown once as text and as a QR code.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use convivio_core::RecordId;
use convivio_core::profile::Profile;
use serde::Deserialize;
use uuid::Uuid;

use super::queue::summary;
use super::{Nav, render};
use crate::api::AppState;
use crate::staff::chart::{self, Series};
use crate::staff::form::Form;
use crate::staff::i18n::Tr;
use crate::staff::session::Staff;
use crate::staff::{STAFF, StaffError};
use crate::storage::dashboard::audit::{self, Action, Line};
use crate::storage::dashboard::caregivers;
use crate::storage::dashboard::queue::{self, Filter};
use crate::storage::dashboard::settings;
use crate::storage::{NewEnrolment, Store};
use crate::tokens;

#[derive(Debug)]
pub struct ListRow {
    pub id: Uuid,
    pub name: String,
    pub entries: i64,
    pub open_needs: i64,
    pub last_entry: String,
    pub last_sync: String,
}

#[derive(Template)]
#[template(path = "staff/caregivers.html")]
struct ListPage {
    tr: Tr,
    nav: Nav,
    name: String,
    problems: Vec<String>,
    rows: Vec<ListRow>,
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    name: String,
}

pub async fn list<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let rows = caregivers::list(&state.store, staff.member.agency_id, Some(&q.name)).await?;
    let when = |t: Option<chrono::DateTime<Utc>>| t.map_or_else(|| tr.t("never"), |t| tr.time(t));
    let rows = rows
        .into_iter()
        .map(|r| ListRow {
            id: r.id,
            name: r.name,
            entries: r.entries,
            open_needs: r.open_needs,
            last_entry: when(r.last_entry_at),
            last_sync: when(r.last_sync_at),
        })
        .collect();
    Ok(render(ListPage {
        tr,
        nav: Nav::new(&staff, "caregivers", None),
        name: q.name,
        problems: Vec::new(),
        rows,
    }))
}

#[derive(Debug, Deserialize)]
pub struct NewCaregiver {
    #[serde(default)]
    name: String,
}

pub async fn create<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    Form(form): Form<NewCaregiver>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        let rows = Vec::new();
        let problem = format!("{}: {}", tr.t("column-name"), tr.t("rule-required"));
        let page = ListPage {
            tr,
            nav: Nav::new(&staff, "caregivers", None),
            name: String::new(),
            problems: vec![problem],
            rows,
        };
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(page)).into_response());
    }
    let caregiver = state.store.create_caregiver(staff.member.agency_id, name).await?;
    let mut line = Line::new(
        Some(staff.member.agency_id),
        Some(staff.member.id),
        &staff.member.username,
        Action::CaregiverCreated,
    );
    line.caregiver_id = Some(caregiver.id);
    audit::append(&state.store, &line, Utc::now()).await?;
    Ok(Redirect::to(&format!("{STAFF}/caregivers/{}", caregiver.id)).into_response())
}

#[derive(Debug)]
pub struct NeedRow {
    pub id: RecordId,
    pub summary: String,
    pub status: String,
    pub age: String,
    pub overdue: bool,
}

#[derive(Debug)]
pub struct EntryRow {
    pub id: RecordId,
    pub when: String,
    pub kind: String,
    pub summary: String,
}

#[derive(Debug)]
pub struct DeviceView {
    pub id: Uuid,
    pub enrolled: String,
    pub last_sync: String,
    pub revoked: Option<String>,
    pub revoke_label: String,
}

#[derive(Debug)]
pub struct CodeView {
    pub hash: String,
    pub text: String,
    pub revocable: bool,
}

#[derive(Template)]
#[template(path = "staff/caregiver.html")]
struct CaregiverPage {
    tr: Tr,
    nav: Nav,
    id: Uuid,
    name: String,
    profile: Vec<(String, String)>,
    needs: Vec<NeedRow>,
    ratings: Vec<(String, String, i64)>,
    chart: String,
    legend: Vec<chart::Key>,
    entries: Vec<EntryRow>,
    devices: Vec<DeviceView>,
    codes: Vec<CodeView>,
}

fn profile_fields(p: &Profile, tr: &Tr) -> Vec<(String, String)> {
    let f = &p.fields;
    let mut out = Vec::new();
    let mut push = |key: &str, v: Option<String>| {
        if let Some(v) = v {
            out.push((tr.t(key), v));
        }
    };
    push("profile-age_band", f.age_band.map(|b| b.code().to_owned()));
    push("profile-sex", f.sex.map(|s| tr.code("sex", s.code())));
    push("profile-municipality", f.municipality.as_ref().map(|m| m.as_str().to_owned()));
    push("profile-relation", f.relation.map(|r| tr.code("relation", r.code())));
    push("profile-cared_age_band", f.cared_age_band.map(|b| b.code().replace('_', " ")));
    if !f.cared_conditions.is_empty() {
        push(
            "profile-conditions",
            Some(
                f.cared_conditions
                    .iter()
                    .map(|c| tr.code("condition", c.code()))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        );
    }
    push("profile-care_hours", f.care_hours.map(|h| h.code().to_owned()));
    out
}

fn parse(raw: &str, staff: &Staff) -> Result<Uuid, StaffError> {
    Uuid::parse_str(raw).map_err(|_| StaffError::NotFound(staff.visit.lang))
}

pub async fn show<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<super::entry::Done>,
) -> Result<Response, StaffError> {
    let id = parse(&id, &staff)?;
    let agency = staff.member.agency_id;
    let tr = staff.tr();
    let now = Utc::now();
    let caregiver =
        caregivers::get(&state.store, agency, id).await?.ok_or(StaffError::NotFound(staff.visit.lang))?;
    let settings = settings::get(&state.store, agency).await?;
    let profile = caregivers::profile(&state.store, agency, id)
        .await?
        .map(|p| profile_fields(&p, &tr))
        .unwrap_or_default();
    let needs = caregivers::open_needs(&state.store, agency, id, &settings, now)
        .await?
        .iter()
        .map(|i| NeedRow {
            id: i.entry.id,
            summary: summary(&i.entry.body, &tr),
            status: i.need.map(|n| tr.code("status", n.status.code())).unwrap_or_default(),
            age: tr
                .with("caregiver-need-age", &[("days", &(now - i.entry.recorded_at).num_days().to_string())]),
            overdue: i.need.is_some_and(|n| n.overdue),
        })
        .collect();
    let ratings = caregivers::ratings(&state.store, agency, id).await?;
    let about = |r: &caregivers::Rating| {
        if r.label.is_empty() {
            tr.code("target", r.subject.split(':').next().unwrap_or("agency"))
        } else {
            r.label.clone()
        }
    };
    let (chart, legend) = trust_chart(&ratings, &tr, &about);
    let filter = Filter { caregiver: Some(id), ..Filter::default() };
    let latest = queue::page(
        &state.store,
        queue::Scope { agency_id: agency, staff_id: staff.member.id },
        &filter,
        &settings,
        None,
        10,
        now,
    )
    .await?;
    let entries = latest
        .items
        .iter()
        .map(|i| EntryRow {
            id: i.entry.id,
            when: tr.time(i.entry.recorded_at),
            kind: tr.code("kind", i.entry.kind().code()),
            summary: summary(&i.entry.body, &tr),
        })
        .collect();
    let devices = caregivers::devices(&state.store, agency, id)
        .await?
        .into_iter()
        .map(|d| DeviceView {
            id: d.id,
            enrolled: tr.time(d.enrolled_at),
            last_sync: d.last_sync_at.map_or_else(|| tr.t("never"), |t| tr.time(t)),
            revoked: d.revoked_at.map(|t| tr.t1("device-revoked", "time", tr.time(t))),
            revoke_label: tr.t1("device-revoke-label", "time", tr.time(d.enrolled_at)),
        })
        .collect();
    let codes = caregivers::codes(&state.store, agency, id)
        .await?
        .into_iter()
        .map(|c| {
            let mut text = tr.t1("code-created", "time", tr.time(c.created_at));
            let state = match (c.used_at, c.revoked_at) {
                (Some(t), _) => tr.t1("code-used", "time", tr.time(t)),
                (_, Some(t)) => tr.t1("code-revoked", "time", tr.time(t)),
                _ => tr.t1("code-expires", "time", tr.time(c.expires_at)),
            };
            text.push_str(" · ");
            text.push_str(&state);
            CodeView {
                revocable: c.used_at.is_none() && c.revoked_at.is_none() && c.expires_at > now,
                hash: c.code_hash,
                text,
            }
        })
        .collect();
    let page = CaregiverPage {
        nav: Nav::new(&staff, "caregivers", q.done.as_deref()),
        id,
        name: caregiver.display_name,
        profile,
        needs,
        ratings: ratings.iter().map(|r| (about(r), tr.date(r.occurred_at), r.score)).collect(),
        chart,
        legend,
        entries,
        devices,
        codes,
        tr,
    };
    Ok(render(page))
}

/// Trust over time, one line per subject; x is days since the first rating.
fn trust_chart(
    ratings: &[caregivers::Rating],
    tr: &Tr,
    about: &dyn Fn(&caregivers::Rating) -> String,
) -> (String, Vec<chart::Key>) {
    let Some(first) = ratings.iter().map(|r| r.occurred_at).min() else { return (String::new(), Vec::new()) };
    let last = ratings.iter().map(|r| r.occurred_at).max().unwrap_or(first);
    let mut by_subject: BTreeMap<String, Series> = BTreeMap::new();
    for r in ratings {
        let x = (r.occurred_at - first).num_hours() as f64 / 24.0;
        by_subject
            .entry(r.subject.clone())
            .or_insert_with(|| Series { name: about(r), points: Vec::new() })
            .points
            .push((x, r.score as f64));
    }
    let series: Vec<Series> = by_subject.into_values().collect();
    let span = ((last - first).num_hours() as f64 / 24.0).max(1.0);
    let labels = vec![(0.0, tr.date(first)), (span, tr.date(last))];
    let svg = chart::lines(&series, (0.0, span), (1.0, 5.0), &labels, 640, 280);
    let legend = chart::key(series.iter().map(|s| s.name.as_str()));
    (svg, legend)
}

#[derive(Debug, Deserialize)]
pub struct DeviceForm {
    #[serde(default)]
    device: String,
}

pub async fn revoke_device<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<DeviceForm>,
) -> Result<Response, StaffError> {
    let id = parse(&id, &staff)?;
    let agency = staff.member.agency_id;
    if caregivers::get(&state.store, agency, id).await?.is_none() {
        return Err(StaffError::NotFound(staff.visit.lang));
    }
    if form.device.trim().is_empty() {
        return Err(StaffError::BadForm(
            staff.visit.lang,
            format!("{}: {}", staff.tr().t("column-device"), staff.tr().t("rule-required")),
        ));
    }
    let device = Uuid::parse_str(form.device.trim()).map_err(|_| StaffError::NotFound(staff.visit.lang))?;
    if caregivers::device_owner(&state.store, agency, device).await? != Some(id) {
        return Err(StaffError::NotFound(staff.visit.lang));
    }
    let now = Utc::now();
    if state.store.revoke_device(device, now).await? {
        let mut line =
            Line::new(Some(agency), Some(staff.member.id), &staff.member.username, Action::DeviceRevoked);
        line.caregiver_id = Some(id);
        line.target_id = Some(device.to_string());
        audit::append(&state.store, &line, now).await?;
    }
    Ok(Redirect::to(&format!("{STAFF}/caregivers/{id}?done=device-revoked-done")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn revoke_code<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<CodeForm>,
) -> Result<Response, StaffError> {
    let id = parse(&id, &staff)?;
    if caregivers::get(&state.store, staff.member.agency_id, id).await?.is_none() {
        return Err(StaffError::NotFound(staff.visit.lang));
    }
    if form.code.trim().is_empty() {
        let tr = staff.tr();
        return Err(StaffError::BadForm(
            staff.visit.lang,
            format!("{}: {}", tr.t("caregiver-codes"), tr.t("rule-required")),
        ));
    }
    let agency = staff.member.agency_id;
    let now = Utc::now();
    let mut line =
        Line::new(Some(agency), Some(staff.member.id), &staff.member.username, Action::CodeRevoked);
    line.caregiver_id = Some(id);
    let audit = audit::insert(&state.store, &line, now);
    if !caregivers::revoke_code(&state.store, agency, id, form.code.trim(), now, audit).await? {
        return Err(StaffError::NotFound(staff.visit.lang));
    }
    Ok(Redirect::to(&format!("{STAFF}/caregivers/{id}?done=code-revoked-done")).into_response())
}

#[derive(Template)]
#[template(path = "staff/code.html")]
struct CodePage {
    tr: Tr,
    nav: Nav,
    id: Uuid,
    title: String,
    code: String,
    server: String,
    expires: String,
    qr: String,
    back: String,
}

/// The address devices reach this server at: the configured one, else the one the browser used.
fn server_url<S>(state: &AppState<S>, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.staff.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if crate::staff::session::secure(state) { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// What the QR code holds: the app's enrolment link with the server and the code.
pub fn enrolment_link(server: &str, code: &str) -> String {
    let enc =
        |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
    format!("convivio://enrol?server={}&code={}", enc(server), enc(code))
}

pub async fn make_code<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, StaffError> {
    let id = parse(&id, &staff)?;
    let agency = staff.member.agency_id;
    let tr = staff.tr();
    let caregiver =
        caregivers::get(&state.store, agency, id).await?.ok_or(StaffError::NotFound(staff.visit.lang))?;
    let now = Utc::now();
    let code = tokens::new_code();
    let expires_at = now + Duration::days(state.config.enrolment.code_ttl_days);
    state
        .store
        .create_enrolment(NewEnrolment { code_hash: tokens::code_hash(&code), caregiver_id: id, expires_at })
        .await?;
    let mut line = Line::new(Some(agency), Some(staff.member.id), &staff.member.username, Action::Enrolment);
    line.caregiver_id = Some(id);
    audit::append(&state.store, &line, now).await?;
    let server = server_url(&state, &headers);
    let qr = qrcode::QrCode::new(enrolment_link(&server, &code).as_bytes())
        .map(|q| q.render::<qrcode::render::svg::Color<'_>>().min_dimensions(240, 240).build())
        .unwrap_or_default();
    let qr = qr.find("<svg").map_or(String::new(), |at| qr[at..].to_owned());
    let page = CodePage {
        nav: Nav::new(&staff, "caregivers", None),
        id,
        title: tr.t1("code-title", "name", &caregiver.display_name),
        code,
        server,
        expires: tr.t1("code-expires", "time", tr.time(expires_at)),
        qr,
        back: tr.t1("code-back", "name", &caregiver.display_name),
        tr,
    };
    Ok(render(page))
}
