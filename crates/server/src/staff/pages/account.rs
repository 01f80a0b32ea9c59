//! The member's own account (`/staff/account`): the name caregivers see on read receipts and
//! replies, the dashboard's language, and the password. A new password ends every session of
//! the member and starts a fresh one for this browser.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use serde::Deserialize;

use super::{Nav, render};
use crate::admin::MIN_PASSWORD;
use crate::api::AppState;
use crate::staff::form::Form;
use crate::staff::i18n::Tr;
use crate::staff::passwords;
use crate::staff::session::{Staff, hash_id, new_token, set_cookie};
use crate::staff::{STAFF, StaffError};
use crate::storage::Store;
use crate::storage::dashboard::accounts::{self, Change};
use crate::storage::dashboard::audit::{self, Action, Line};
use crate::storage::dashboard::sessions::{self, NewSession};

#[derive(Template)]
#[template(path = "staff/account.html")]
struct AccountPage {
    tr: Tr,
    nav: Nav,
    problems: Vec<String>,
    display_name: String,
    lang: String,
    min: usize,
    min_label: String,
}

fn page(staff: &Staff, problems: Vec<String>, done: Option<&str>) -> AccountPage {
    let tr = staff.tr();
    AccountPage {
        nav: Nav::new(staff, "account", done),
        problems,
        display_name: staff.member.display_name.clone(),
        lang: staff.member.lang.clone(),
        min: MIN_PASSWORD,
        min_label: tr.t1("account-new", "min", MIN_PASSWORD),
        tr,
    }
}

fn refused(staff: &Staff, problem: String) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, render(page(staff, vec![problem], None))).into_response()
}

pub async fn show(staff: Staff, Query(q): Query<super::entry::Done>) -> Response {
    render(page(&staff, Vec::new(), q.done.as_deref()))
}

#[derive(Debug, Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    lang: String,
}

pub async fn save<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    Form(form): Form<ProfileForm>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let name = form.display_name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Ok(refused(&staff, format!("{}: {}", tr.t("account-name"), tr.t("rule-required"))));
    }
    if !["it", "en"].contains(&form.lang.as_str()) {
        return Ok(refused(&staff, format!("{}: {}", tr.t("account-language"), form.lang)));
    }
    let change =
        Change { display_name: Some(name.to_owned()), lang: Some(form.lang.clone()), ..Change::default() };
    let now = Utc::now();
    accounts::update(&state.store, staff.member.agency_id, staff.member.id, &change, now).await?;
    let mut line = Line::new(
        Some(staff.member.agency_id),
        Some(staff.member.id),
        &staff.member.username,
        Action::StaffChanged,
    );
    line.target_id = Some(staff.member.id.to_string());
    line.detail = Some(format!("lang={}", form.lang));
    audit::append(&state.store, &line, now).await?;
    Ok(Redirect::to(&format!("{STAFF}/account?done=account-saved")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

pub async fn password<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    Form(form): Form<PasswordForm>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let hash = staff.member.password_hash.clone();
    let current = form.current.clone();
    if !passwords::verify(hash, current).await? {
        return Ok(refused(&staff, tr.t("account-wrong-current")));
    }
    if form.new != form.repeat {
        return Ok(refused(&staff, tr.t("account-mismatch")));
    }
    let Some(hashed) = passwords::hash_new(form.new.clone()).await? else {
        return Ok(refused(
            &staff,
            format!(
                "{}: {}",
                tr.t1("account-new", "min", MIN_PASSWORD),
                tr.t1("account-too-short", "min", MIN_PASSWORD)
            ),
        ));
    };
    let now = Utc::now();
    let change = Change { password_hash: Some(hashed), ..Change::default() };
    // Ends every session of the member, this one too ...
    accounts::update(&state.store, staff.member.agency_id, staff.member.id, &change, now).await?;
    // ... and this browser goes on in a new one.
    let id = new_token();
    let csrf = new_token();
    let lifetime = Duration::hours(i64::try_from(state.config.staff.session_hours).unwrap_or(12));
    let id_hash = hash_id(&id);
    sessions::create(
        &state.store,
        NewSession {
            id_hash: &id_hash,
            staff_id: Some(staff.member.id),
            csrf_token: &csrf,
            now,
            expires_at: now + lifetime,
        },
        None,
    )
    .await?;
    audit::append(
        &state.store,
        &Line::new(
            Some(staff.member.agency_id),
            Some(staff.member.id),
            &staff.member.username,
            Action::PasswordChanged,
        ),
        now,
    )
    .await?;
    let mut response =
        Redirect::to(&format!("{STAFF}/account?done=account-password-changed")).into_response();
    response.headers_mut().insert(header::SET_COOKIE, set_cookie(staff.visit.secure, Some(&id), lifetime));
    Ok(response)
}
