//! The early warnings (`/staff/warnings`), the agency's home for admins and staff: one section
//! per rule, each warning linking to the entries that raised it, each acknowledgeable with a
//! note (it comes back only on new evidence).

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use convivio_core::RecordId;
use serde::Deserialize;
use uuid::Uuid;

use super::{Nav, render};
use crate::api::AppState;
use crate::staff::form::Form;
use crate::staff::i18n::Tr;
use crate::staff::session::Staff;
use crate::staff::{STAFF, StaffError};
use crate::storage::Store;
use crate::storage::dashboard::audit::{self, Action, Line};
use crate::storage::dashboard::settings::{self, Settings};
use crate::storage::dashboard::warnings::{self, Detail, Rule, Warning};

#[derive(Debug)]
pub struct Shown {
    pub n: usize,
    pub text: String,
    pub caregiver_id: Option<Uuid>,
    pub subject: String,
    pub evidence: String,
    pub entries: Vec<(RecordId, String)>,
}

#[derive(Debug)]
pub struct Group {
    pub code: &'static str,
    pub title: String,
    pub items: Vec<Shown>,
}

#[derive(Template)]
#[template(path = "staff/warnings.html")]
struct WarningsPage {
    tr: Tr,
    nav: Nav,
    problems: Vec<String>,
    groups: Vec<Group>,
}

fn text(w: &Warning, tr: &Tr, s: &Settings) -> String {
    let name = w.caregiver_name.clone().unwrap_or_default();
    match &w.detail {
        Detail::FallingTrust { about, from, to } => tr.with(
            "warning-falling_trust",
            &[("name", &name), ("about", about), ("from", &from.to_string()), ("to", &to.to_string())],
        ),
        Detail::OverdueNeed { due } => {
            tr.with("warning-overdue_need", &[("name", &name), ("time", &tr.time(*due))])
        }
        Detail::RecurringFactor { factor, times, about } => {
            let (key, who) = match about {
                Some(service) => ("warning-recurring_service", ("about", service.as_str())),
                None => ("warning-recurring_factor", ("name", name.as_str())),
            };
            tr.with(
                key,
                &[
                    who,
                    ("factor", factor.label(tr.lang.domain())),
                    ("times", &times.to_string()),
                    ("days", &s.factor_days.to_string()),
                ],
            )
        }
        Detail::UnansweredNotMet { since } => {
            tr.with("warning-unanswered_not_met", &[("name", &name), ("time", &tr.time(*since))])
        }
        Detail::SilentDevice { since, .. } => {
            tr.with("warning-silent_device", &[("name", &name), ("time", &tr.time(*since))])
        }
    }
}

async fn view<S: Store>(
    state: &AppState<S>,
    staff: &Staff,
    problems: Vec<String>,
    done: Option<&str>,
) -> Result<WarningsPage, StaffError> {
    let tr = staff.tr();
    let now = Utc::now();
    let settings = settings::get(&state.store, staff.member.agency_id).await?;
    let all = warnings::current(&state.store, staff.member.agency_id, &settings, now).await?;
    let mut n = 0;
    let groups = Rule::ALL
        .iter()
        .map(|rule| Group {
            code: rule.code(),
            title: tr.code("rule", rule.code()),
            items: all
                .iter()
                .filter(|w| w.rule == *rule)
                .map(|w| {
                    n += 1;
                    Shown {
                        n,
                        text: text(w, &tr, &settings),
                        caregiver_id: w.caregiver_id,
                        subject: w.subject.clone(),
                        evidence: w.evidence.clone(),
                        entries: w
                            .entries
                            .iter()
                            .enumerate()
                            .map(|(i, e)| (*e, format!("{}", i + 1)))
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();
    Ok(WarningsPage { tr, nav: Nav::new(staff, "warnings", done), problems, groups })
}

pub async fn show<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    Query(q): Query<super::entry::Done>,
) -> Result<Response, StaffError> {
    Ok(render(view(&state, &staff, Vec::new(), q.done.as_deref()).await?))
}

#[derive(Debug, Deserialize)]
pub struct AckForm {
    #[serde(default)]
    rule: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    note: String,
}

/// Acknowledges the warning the form names, if it is still current with that evidence.
pub async fn ack<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    Form(form): Form<AckForm>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let agency = staff.member.agency_id;
    let settings = settings::get(&state.store, agency).await?;
    let now = Utc::now();
    if form.rule.is_empty() || form.subject.is_empty() || form.evidence.is_empty() {
        return Err(StaffError::BadForm(
            staff.visit.lang,
            format!("{}: {}", tr.t("warnings-title"), tr.t("rule-required")),
        ));
    }
    let current = warnings::current(&state.store, agency, &settings, now).await?;
    let Some(warning) = Rule::from_code(&form.rule).and_then(|rule| {
        current
            .into_iter()
            .find(|w| w.rule == rule && w.subject == form.subject && w.evidence == form.evidence)
    }) else {
        return Err(StaffError::NotFound(staff.visit.lang));
    };
    let note = form.note.trim();
    if note.is_empty() || note.chars().count() > 500 {
        let problem = format!("{}: {}", tr.t("warning-ack-note"), tr.t("rule-required"));
        let page = view(&state, &staff, vec![problem], None).await?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(page)).into_response());
    }
    let mut line =
        Line::new(Some(agency), Some(staff.member.id), &staff.member.username, Action::WarningAcknowledged);
    line.caregiver_id = warning.caregiver_id;
    line.detail = Some(format!("rule={}", warning.rule.code()));
    let audit = audit::insert(&state.store, &line, now);
    warnings::acknowledge(&state.store, agency, staff.member.id, &warning, note, now, audit).await?;
    Ok(Redirect::to(&format!("{STAFF}/warnings?done=warning-acked")).into_response())
}
