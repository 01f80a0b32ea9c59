//! The entry page (`/staff/entries/{id}`): the whole entry in the member's words (factor tags by
//! their labels), its earlier versions, the thread with a reply form, and for a need its status
//! workflow and expected-reply date. The first time each member opens it, a read receipt goes
//! to the caregiver's devices.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Utc};
use convivio_core::entry::{Entry, EntryBody};
use convivio_core::need::NeedStatus;
use convivio_core::{Invalid, Record, RecordId, Role};
use serde::Deserialize;
use uuid::Uuid;

use super::{Nav, render};
use crate::api::AppState;
use crate::staff::form::Form;
use crate::staff::i18n::Tr;
use crate::staff::session::Staff;
use crate::staff::writes::{self, Failed};
use crate::staff::{STAFF, StaffError};
use crate::storage::Store;
use crate::storage::dashboard::audit::{self, Action, Line};
use crate::storage::dashboard::queue::{self, Item};
use crate::storage::dashboard::{entries, settings};

#[derive(Debug)]
pub struct Choice {
    pub value: &'static str,
    pub label: String,
}

#[derive(Debug)]
pub struct NeedView {
    pub status: NeedStatus,
    pub status_line: String,
    pub overdue: Option<String>,
    pub history: Vec<String>,
    pub moves: Vec<Choice>,
    pub due_value: String,
    pub due_note: String,
}

#[derive(Debug)]
pub struct Shown {
    pub author: String,
    pub agency: bool,
    pub when: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "staff/entry.html")]
struct EntryPage {
    tr: Tr,
    nav: Nav,
    id: RecordId,
    title: String,
    caregiver_id: Uuid,
    caregiver_link: String,
    problems: Vec<String>,
    fields: Vec<(String, String)>,
    readers: Vec<String>,
    need: Option<NeedView>,
    thread: Vec<Shown>,
    versions: Vec<(String, Vec<(String, String)>)>,
}

/// The entry's fields as label and value, in the member's language.
pub fn fields(entry: &Entry, tr: &Tr) -> Vec<(String, String)> {
    let lang = tr.lang.domain();
    let mut f = vec![
        (tr.t("entry-occurred"), tr.time(entry.occurred_at.to_utc())),
        (tr.t("entry-recorded"), tr.time(entry.recorded_at)),
        (tr.t("entry-sharing"), tr.code("sharing", entry.sharing.code())),
    ];
    let five = |n: u8| tr.t1("entry-out-of-five", "n", n);
    let mut push = |key: &str, value: Option<String>| {
        if let Some(v) = value {
            f.push((tr.t(key), v));
        }
    };
    match &entry.body {
        EntryBody::Need(n) => {
            push("entry-category", Some(n.category.label(lang).to_owned()));
            push("entry-urgency", Some(tr.code("urgency", n.urgency.code())));
            push("entry-text", n.text.as_ref().map(|t| t.as_str().to_owned()));
        }
        EntryBody::Experience(e) => {
            push("entry-service", Some(e.service.as_str().to_owned()));
            push("entry-visit", Some(e.visit_date.format("%d/%m/%Y").to_string()));
            push("entry-rating", Some(five(e.rating.get())));
            push("entry-went-well", e.went_well.as_ref().map(|t| t.as_str().to_owned()));
            push("entry-went-badly", e.went_badly.as_ref().map(|t| t.as_str().to_owned()));
        }
        EntryBody::Trust(t) => {
            let about = tr.code("target", t.target.code());
            push(
                "entry-target",
                Some(match &t.target_name {
                    Some(n) => format!("{about}: {}", n.as_str()),
                    None => about,
                }),
            );
            push("entry-score", Some(five(t.score.get())));
            push("entry-reason", t.reason.as_ref().map(|r| r.as_str().to_owned()));
        }
        EntryBody::Note(n) => {
            push("entry-mood", n.mood.map(|m| five(m.get())));
            push("entry-burden", n.burden.map(|b| five(b.get())));
            push("entry-text", Some(n.text.as_str().to_owned()));
        }
    }
    let factors = entry.body.factors();
    if !factors.is_empty() {
        push("entry-factors", Some(factors.iter().map(|f| f.label(lang)).collect::<Vec<_>>().join("\n")));
    }
    f
}

/// When a version was written, from its clock.
fn version_time(e: &Entry, tr: &Tr) -> String {
    i64::try_from(e.version.wall_ms)
        .ok()
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map_or_else(|| e.version.to_string(), |t| tr.time(t))
}

/// A broken rule of a form, in the member's language where we have the words.
pub fn problem(tr: &Tr, field_key: &str, e: &Invalid) -> String {
    let rule = match e.code {
        convivio_core::Rule::Empty | convivio_core::Rule::Required => tr.t("rule-required"),
        _ => e.rule.clone(),
    };
    format!("{}: {rule}", tr.t(field_key))
}

async fn item<S: Store>(state: &AppState<S>, staff: &Staff, id: RecordId) -> Result<Item, StaffError> {
    let settings = settings::get(&state.store, staff.member.agency_id).await?;
    entries::get(&state.store, staff.member.agency_id, staff.member.id, id, &settings, Utc::now())
        .await?
        .ok_or(StaffError::NotFound(staff.visit.lang))
}

fn parse_id(raw: &str, staff: &Staff) -> Result<RecordId, StaffError> {
    Uuid::parse_str(raw).map(RecordId::from_uuid).map_err(|_| StaffError::NotFound(staff.visit.lang))
}

async fn page<S: Store>(
    state: &AppState<S>,
    staff: &Staff,
    item: Item,
    problems: Vec<String>,
    done: Option<&str>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let agency = staff.member.agency_id;
    let id = item.entry.id;
    let children = entries::children(&state.store, agency, id).await?;
    let readers = entries::readers(&state.store, agency, id).await?;
    let versions = entries::versions(&state.store, agency, id).await?;
    let mut thread = Vec::new();
    let mut history = Vec::new();
    for child in &children {
        match child {
            Record::Message(m) => {
                let agency_side = m.owner.role != Role::Caregiver;
                let author = if agency_side {
                    let name = crate::storage::dashboard::accounts::by_id(&state.store, agency, m.owner.id)
                        .await?
                        .map_or_else(|| tr.t("nav-staff"), |s| s.display_name);
                    tr.t1("entry-from-staff", "name", name)
                } else {
                    tr.t1("entry-from-caregiver", "name", &item.caregiver_name)
                };
                thread.push(Shown {
                    author,
                    agency: agency_side,
                    when: tr.time(m.sent_at),
                    text: m.body.as_str().to_owned(),
                });
            }
            Record::NeedStatusChange(s) => {
                let mut line = format!("{} · {}", tr.time(s.changed_at), tr.code("status", s.status.code()));
                if let Some(r) = &s.reason {
                    line.push_str(&format!(": {}", r.as_str()));
                }
                history.push(line);
            }
            _ => {}
        }
    }
    let need = item.need.map(|n| NeedView {
        status: n.status,
        status_line: tr.t1("entry-status-now", "status", tr.code("status", n.status.code())),
        overdue: n.overdue.then(|| tr.t1("entry-overdue", "time", tr.time(n.reply_due))),
        history,
        moves: NeedStatus::ALL
            .iter()
            .filter(|s| n.status.can_move_to(**s))
            .map(|s| Choice { value: s.code(), label: tr.code("status", s.code()) })
            .collect(),
        due_value: n.reply_due.with_timezone(&chrono_tz::Europe::Rome).format("%Y-%m-%d").to_string(),
        due_note: if n.reply_due_set.is_some() {
            tr.time(n.reply_due)
        } else {
            format!("{} {}", tr.time(n.reply_due), tr.t("entry-due-default"))
        },
    });
    let kind = tr.code("kind", item.entry.kind().code());
    let view = EntryPage {
        nav: Nav::new(staff, "queue", done),
        id,
        title: tr.t2("entry-title", ("kind", &kind), ("name", &item.caregiver_name)),
        caregiver_id: item.caregiver_id,
        caregiver_link: tr.t1("entry-caregiver-page", "name", &item.caregiver_name),
        problems,
        fields: fields(&item.entry, &tr),
        readers: readers
            .iter()
            .map(|r| format!("{} · {}", r.display_name, tr.time(r.first_read_at)))
            .collect(),
        need,
        thread,
        versions: versions
            .iter()
            .filter_map(|v| match v {
                Record::Entry(e) => {
                    Some((tr.t1("entry-version-of", "time", version_time(e, &tr)), fields(e, &tr)))
                }
                _ => None,
            })
            .collect(),
        tr,
    };
    let status = if view.problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, render(view)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct Done {
    #[serde(default)]
    pub done: Option<String>,
}

pub async fn show<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<Done>,
) -> Result<Response, StaffError> {
    let id = parse_id(&id, &staff)?;
    let item = item(&state, &staff, id).await?;
    let now = Utc::now();
    let first = queue::mark_read(&state.store, staff.member.agency_id, staff.member.id, &[id], now).await?;
    if !first.is_empty() {
        writes::receipts(&state.store, &staff.member, &[(id, item.caregiver_id)], now).await?;
    }
    page(&state, &staff, item, Vec::new(), q.done.as_deref()).await
}

fn back(id: RecordId, done: &str) -> Response {
    Redirect::to(&format!("{STAFF}/entries/{id}?done={done}")).into_response()
}

async fn refused<S: Store>(
    state: &AppState<S>,
    staff: &Staff,
    item: Item,
    failed: Failed,
    field: &str,
) -> Result<Response, StaffError> {
    match failed {
        Failed::Invalid(e) => {
            let tr = staff.tr();
            page(state, staff, item, vec![problem(&tr, field, &e)], None).await
        }
        Failed::Store(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    text: String,
}

pub async fn reply<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<ReplyForm>,
) -> Result<Response, StaffError> {
    let id = parse_id(&id, &staff)?;
    let item = item(&state, &staff, id).await?;
    match writes::reply(&state.store, &staff.member, item.caregiver_id, id, &form.text, Utc::now()).await {
        Ok(_) => Ok(back(id, "entry-reply-sent")),
        Err(failed) => refused(&state, &staff, item, failed, "entry-reply").await,
    }
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
}

pub async fn status<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response, StaffError> {
    let id = parse_id(&id, &staff)?;
    let item = item(&state, &staff, id).await?;
    let Some(current) = item.need.map(|n| n.status) else {
        return Err(StaffError::NotFound(staff.visit.lang));
    };
    let next = match NeedStatus::parse("status", &form.status) {
        Ok(s) => s,
        Err(e) => return refused(&state, &staff, item, Failed::Invalid(e), "entry-status-change").await,
    };
    match writes::set_status(
        &state.store,
        &staff.member,
        item.caregiver_id,
        id,
        writes::Move { current, next, reason: &form.reason },
        Utc::now(),
    )
    .await
    {
        Ok(()) => Ok(back(id, "entry-status-saved")),
        Err(failed) => {
            let field = if matches!(&failed, Failed::Invalid(e) if e.field == "reason") {
                "entry-status-reason"
            } else {
                "entry-status-change"
            };
            refused(&state, &staff, item, failed, field).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct DueForm {
    #[serde(default)]
    due: String,
    #[serde(default)]
    reset: Option<String>,
}

pub async fn due<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<DueForm>,
) -> Result<Response, StaffError> {
    let id = parse_id(&id, &staff)?;
    let item = item(&state, &staff, id).await?;
    if item.need.is_none() {
        return Err(StaffError::NotFound(staff.visit.lang));
    }
    let due = if form.reset.is_some() {
        None
    } else {
        match NaiveDate::parse_from_str(form.due.trim(), "%Y-%m-%d") {
            // The end of that day in the agency's time.
            Ok(d) => d
                .and_hms_opt(23, 59, 0)
                .and_then(|t| t.and_local_timezone(chrono_tz::Europe::Rome).single())
                .map(|t| t.to_utc()),
            Err(_) => {
                let e = Invalid::new("due", convivio_core::Rule::BadFormat, "YYYY-MM-DD");
                return refused(&state, &staff, item, Failed::Invalid(e), "entry-due").await;
            }
        }
    };
    let mut line = Line::new(
        Some(staff.member.agency_id),
        Some(staff.member.id),
        &staff.member.username,
        Action::ReplyDue,
    );
    line.caregiver_id = Some(item.caregiver_id);
    line.record_id = Some(id);
    line.detail = Some(due.map_or("default".to_owned(), |d| format!("due={}", d.date_naive())));
    let audit = audit::insert(&state.store, &line, Utc::now());
    entries::set_reply_due(&state.store, staff.member.agency_id, id, due, audit).await?;
    Ok(back(id, "entry-due-saved"))
}
