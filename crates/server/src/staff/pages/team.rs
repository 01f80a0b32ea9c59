//! The agency's staff, for admins (`/staff/team`, `/staff/team/{id}`): who has an account, with
//! which role and language, and whether it is enabled; a new member; one member's role, name
//! and language; disabling and enabling; a new temporary password. Disabling or a new password
//! ends the member's sessions (`accounts::update`). An admin cannot demote or disable themselves,
//! so an agency always keeps at least one admin who can sign in.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;
use uuid::Uuid;

use super::{Choice, Nav, render};
use crate::admin::{MIN_PASSWORD, check_username};
use crate::api::AppState;
use crate::error::StoreError;
use crate::staff::form::Form;
use crate::staff::i18n::Tr;
use crate::staff::passwords;
use crate::staff::session::{Admin, Staff};
use crate::staff::{STAFF, StaffError};
use crate::storage::dashboard::accounts::{self, Change, Member};
use crate::storage::dashboard::audit::{self, Action, Line};
use crate::storage::{StaffRole, Store};

/// The roles an admin may give, in the order the form offers them.
const ROLES: [StaffRole; 3] = [StaffRole::Staff, StaffRole::Admin, StaffRole::Researcher];

fn role_of(code: &str) -> Option<StaffRole> {
    ROLES.into_iter().find(|r| r.code() == code)
}

fn role_choices(tr: &Tr, chosen: StaffRole) -> Vec<Choice> {
    ROLES
        .into_iter()
        .map(|r| Choice {
            value: r.code().to_owned(),
            label: tr.t(&format!("role-{}", r.code())),
            selected: r == chosen,
        })
        .collect()
}

fn lang_choices(tr: &Tr, chosen: &str) -> Vec<Choice> {
    ["it", "en"]
        .into_iter()
        .map(|l| Choice { value: l.to_owned(), label: tr.t(&format!("lang-{l}")), selected: l == chosen })
        .collect()
}

#[derive(Debug)]
pub struct Row {
    pub id: Uuid,
    pub username: String,
    pub name: String,
    pub role: String,
    pub lang: String,
    pub disabled: bool,
    pub manage_label: String,
}

/// What the new-member form held, shown again when it is refused.
#[derive(Debug, Default, Deserialize)]
pub struct NewMember {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    password: String,
}

#[derive(Template)]
#[template(path = "staff/team.html")]
struct TeamPage {
    tr: Tr,
    nav: Nav,
    problems: Vec<String>,
    rows: Vec<Row>,
    username: String,
    display_name: String,
    roles: Vec<Choice>,
    langs: Vec<Choice>,
    min: usize,
    min_label: String,
}

async fn team_page<S: Store>(
    state: &AppState<S>,
    staff: &Staff,
    form: &NewMember,
    problems: Vec<String>,
    done: Option<&str>,
) -> Result<TeamPage, StaffError> {
    let tr = staff.tr();
    let rows = accounts::list(&state.store, staff.member.agency_id)
        .await?
        .into_iter()
        .map(|m| Row {
            manage_label: tr.t1("team-manage-label", "name", &m.username),
            id: m.id,
            role: tr.t(&format!("role-{}", m.role.code())),
            lang: tr.t(&format!("lang-{}", m.lang)),
            username: m.username,
            name: m.display_name,
            disabled: m.disabled,
        })
        .collect();
    Ok(TeamPage {
        nav: Nav::new(staff, "staff", done),
        problems,
        rows,
        username: form.username.clone(),
        display_name: form.display_name.clone(),
        roles: role_choices(&tr, role_of(&form.role).unwrap_or(StaffRole::Staff)),
        langs: lang_choices(&tr, if form.lang.is_empty() { "it" } else { &form.lang }),
        min: MIN_PASSWORD,
        min_label: tr.t1("team-password", "min", MIN_PASSWORD),
        tr,
    })
}

pub async fn list<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Admin(staff): Admin,
    Query(q): Query<super::entry::Done>,
) -> Result<Response, StaffError> {
    Ok(render(team_page(&state, &staff, &NewMember::default(), Vec::new(), q.done.as_deref()).await?))
}

/// "Field: rule", in the member's language.
fn problem(tr: &Tr, field: &str, rule: &str) -> String {
    format!("{}: {}", tr.t(field), rule)
}

pub async fn create<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Admin(staff): Admin,
    Form(form): Form<NewMember>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let mut problems = Vec::new();
    let username = match check_username(&form.username) {
        Ok(u) => Some(u.to_owned()),
        Err(_) => {
            problems.push(problem(&tr, "team-username", &tr.t("team-username-rule")));
            None
        }
    };
    let name = form.display_name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        problems.push(problem(&tr, "team-name", &tr.t("rule-required")));
    }
    let role = role_of(&form.role);
    if role.is_none() {
        problems.push(problem(&tr, "team-role", &tr.t("rule-choose")));
    }
    if !["it", "en"].contains(&form.lang.as_str()) {
        problems.push(problem(&tr, "account-language", &tr.t("rule-choose")));
    }
    let hash = passwords::hash_new(form.password.clone()).await?;
    if hash.is_none() {
        problems.push(format!(
            "{}: {}",
            tr.t1("team-password", "min", MIN_PASSWORD),
            tr.t1("account-too-short", "min", MIN_PASSWORD)
        ));
    }
    let (Some(username), Some(role), Some(hash), true) = (username, role, hash, problems.is_empty()) else {
        return refused(&state, &staff, &form, problems).await;
    };
    let now = Utc::now();
    let created = match state.store.create_staff(staff.member.agency_id, &username, &hash, role).await {
        Ok(created) => created,
        // Usernames are unique across the server: someone, maybe of another agency, has it.
        Err(StoreError::Conflict(_)) => {
            let taken = problem(&tr, "team-username", &tr.t("team-username-taken"));
            return refused(&state, &staff, &form, vec![taken]).await;
        }
        Err(e) => return Err(e.into()),
    };
    let change =
        Change { display_name: Some(name.to_owned()), lang: Some(form.lang.clone()), ..Change::default() };
    accounts::update(&state.store, staff.member.agency_id, created.id, &change, now).await?;
    let mut line = line(&staff.member, Action::StaffCreated, created.id);
    line.detail = Some(format!("role={}", role.code()));
    audit::append(&state.store, &line, now).await?;
    Ok(Redirect::to(&format!("{STAFF}/team?done=team-created")).into_response())
}

async fn refused<S: Store>(
    state: &AppState<S>,
    staff: &Staff,
    form: &NewMember,
    problems: Vec<String>,
) -> Result<Response, StaffError> {
    let page = team_page(state, staff, form, problems, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)).into_response())
}

fn line(actor: &Member, action: Action, target: Uuid) -> Line {
    let mut line = Line::new(Some(actor.agency_id), Some(actor.id), &actor.username, action);
    line.target_id = Some(target.to_string());
    line
}

#[derive(Template)]
#[template(path = "staff/team_member.html")]
struct MemberPage {
    tr: Tr,
    nav: Nav,
    problems: Vec<String>,
    member: Member,
    /// The admin is looking at their own account.
    myself: bool,
    roles: Vec<Choice>,
    langs: Vec<Choice>,
    min: usize,
    min_label: String,
}

fn member_page(staff: &Staff, member: Member, problems: Vec<String>, done: Option<&str>) -> MemberPage {
    let tr = staff.tr();
    MemberPage {
        nav: Nav::new(staff, "staff", done),
        problems,
        myself: member.id == staff.member.id,
        roles: role_choices(&tr, member.role),
        langs: lang_choices(&tr, &member.lang),
        member,
        min: MIN_PASSWORD,
        min_label: tr.t1("team-password", "min", MIN_PASSWORD),
        tr,
    }
}

/// The member `id` of the admin's agency; another agency's is not found.
async fn member_of<S: Store>(state: &AppState<S>, staff: &Staff, id: &str) -> Result<Member, StaffError> {
    let not_found = || StaffError::NotFound(staff.visit.lang);
    let id = Uuid::parse_str(id).map_err(|_| not_found())?;
    accounts::by_id(&state.store, staff.member.agency_id, id).await?.ok_or_else(not_found)
}

pub async fn show<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Admin(staff): Admin,
    Path(id): Path<String>,
    Query(q): Query<super::entry::Done>,
) -> Result<Response, StaffError> {
    let member = member_of(&state, &staff, &id).await?;
    Ok(render(member_page(&staff, member, Vec::new(), q.done.as_deref())))
}

fn member_refused(staff: &Staff, member: Member, problem: String) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, render(member_page(staff, member, vec![problem], None)))
        .into_response()
}

#[derive(Debug, Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    lang: String,
}

pub async fn save<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Admin(staff): Admin,
    Path(id): Path<String>,
    Form(form): Form<MemberForm>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let member = member_of(&state, &staff, &id).await?;
    let name = form.display_name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Ok(member_refused(&staff, member, problem(&tr, "team-name", &tr.t("rule-required"))));
    }
    let Some(role) = role_of(&form.role) else {
        return Ok(member_refused(&staff, member, problem(&tr, "team-role", &tr.t("rule-choose"))));
    };
    if !["it", "en"].contains(&form.lang.as_str()) {
        return Ok(member_refused(&staff, member, problem(&tr, "account-language", &tr.t("rule-choose"))));
    }
    if member.id == staff.member.id && role != member.role {
        return Ok(member_refused(&staff, member, tr.t("team-not-yourself")));
    }
    let change = Change {
        display_name: Some(name.to_owned()),
        lang: Some(form.lang.clone()),
        role: Some(role),
        ..Change::default()
    };
    let now = Utc::now();
    accounts::update(&state.store, staff.member.agency_id, member.id, &change, now).await?;
    let mut line = line(&staff.member, Action::StaffChanged, member.id);
    line.detail = Some(format!("role={} lang={}", role.code(), form.lang));
    audit::append(&state.store, &line, now).await?;
    Ok(Redirect::to(&format!("{STAFF}/team/{}?done=team-saved", member.id)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct AccessForm {
    /// `disable` or `enable`.
    #[serde(default)]
    access: String,
}

pub async fn access<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Admin(staff): Admin,
    Path(id): Path<String>,
    Form(form): Form<AccessForm>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let member = member_of(&state, &staff, &id).await?;
    let disable = match form.access.as_str() {
        "disable" => true,
        "enable" => false,
        _ => return Ok(member_refused(&staff, member, problem(&tr, "team-access", &tr.t("rule-choose")))),
    };
    if member.id == staff.member.id {
        return Ok(member_refused(&staff, member, tr.t("team-not-yourself")));
    }
    let now = Utc::now();
    let change = Change { disabled: Some(disable), ..Change::default() };
    accounts::update(&state.store, staff.member.agency_id, member.id, &change, now).await?;
    let mut line = line(&staff.member, Action::StaffChanged, member.id);
    line.detail = Some(if disable { "disabled" } else { "enabled" }.to_owned());
    audit::append(&state.store, &line, now).await?;
    let done = if disable { "team-disabled" } else { "team-enabled" };
    Ok(Redirect::to(&format!("{STAFF}/team/{}?done={done}", member.id)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

pub async fn reset_password<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Admin(staff): Admin,
    Path(id): Path<String>,
    Form(form): Form<ResetForm>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let member = member_of(&state, &staff, &id).await?;
    if member.id == staff.member.id {
        // One's own password is changed with the current one, on the account page.
        return Ok(member_refused(&staff, member, tr.t("team-own-password")));
    }
    if form.new != form.repeat {
        return Ok(member_refused(&staff, member, tr.t("account-mismatch")));
    }
    let Some(hashed) = passwords::hash_new(form.new.clone()).await? else {
        let rule = tr.t1("account-too-short", "min", MIN_PASSWORD);
        let field = tr.t1("team-password", "min", MIN_PASSWORD);
        return Ok(member_refused(&staff, member, format!("{field}: {rule}")));
    };
    let now = Utc::now();
    let change = Change { password_hash: Some(hashed), ..Change::default() };
    accounts::update(&state.store, staff.member.agency_id, member.id, &change, now).await?;
    let mut line = line(&staff.member, Action::PasswordChanged, member.id);
    line.detail = Some("reset".to_owned());
    audit::append(&state.store, &line, now).await?;
    Ok(Redirect::to(&format!("{STAFF}/team/{}?done=team-password-reset", member.id)).into_response())
}
