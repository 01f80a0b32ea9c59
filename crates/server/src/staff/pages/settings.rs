//! The agency's settings, for admins (`/staff/settings`): the default expected-reply time of a
//! need by urgency, and the early-warning thresholds. A value out of its range is refused naming
//! the field and the range, and nothing is saved.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

use super::{Nav, render};
use crate::api::AppState;
use crate::staff::form::Form;
use crate::staff::i18n::Tr;
use crate::staff::session::{Admin, Staff};
use crate::staff::{STAFF, StaffError};
use crate::storage::Store;
use crate::storage::dashboard::audit::{self, Action, Line};
use crate::storage::dashboard::settings::{self, Settings};

/// A setting on the form: its field name, its label key, its range, and where it goes.
struct Field {
    name: &'static str,
    label: &'static str,
    min: u32,
    max: u32,
    get: fn(&Settings) -> u32,
    set: fn(&mut Settings, u32),
}

/// The form's fields, in two groups: reply times (the first three) and warning thresholds.
const FIELDS: &[Field] = &[
    Field {
        name: "reply_hours_high",
        label: "settings-reply-high",
        min: 1,
        max: 720,
        get: |s| s.reply_hours_high,
        set: |s, v| s.reply_hours_high = v,
    },
    Field {
        name: "reply_hours_medium",
        label: "settings-reply-medium",
        min: 1,
        max: 720,
        get: |s| s.reply_hours_medium,
        set: |s, v| s.reply_hours_medium = v,
    },
    Field {
        name: "reply_hours_low",
        label: "settings-reply-low",
        min: 1,
        max: 2160,
        get: |s| s.reply_hours_low,
        set: |s, v| s.reply_hours_low = v,
    },
    Field {
        name: "trust_drop",
        label: "settings-trust-drop",
        min: 1,
        max: 4,
        get: |s| s.trust_drop,
        set: |s, v| s.trust_drop = v,
    },
    Field {
        name: "trust_ratings",
        label: "settings-trust-ratings",
        min: 2,
        max: 20,
        get: |s| s.trust_ratings,
        set: |s, v| s.trust_ratings = v,
    },
    Field {
        name: "factor_repeats",
        label: "settings-factor-repeats",
        min: 2,
        max: 50,
        get: |s| s.factor_repeats,
        set: |s, v| s.factor_repeats = v,
    },
    Field {
        name: "factor_days",
        label: "settings-factor-days",
        min: 1,
        max: 365,
        get: |s| s.factor_days,
        set: |s, v| s.factor_days = v,
    },
    Field {
        name: "silent_days",
        label: "settings-silent-days",
        min: 1,
        max: 365,
        get: |s| s.silent_days,
        set: |s, v| s.silent_days = v,
    },
    Field {
        name: "horizon_days",
        label: "settings-horizon-days",
        min: 30,
        max: 3650,
        get: |s| s.horizon_days,
        set: |s, v| s.horizon_days = v,
    },
];

/// How many of [`FIELDS`] are reply times.
const REPLY_FIELDS: usize = 3;

#[derive(Debug)]
pub struct Shown {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
    pub min: u32,
    pub max: u32,
    /// As typed (a refused form shows what was typed).
    pub value: String,
}

#[derive(Template)]
#[template(path = "staff/settings.html")]
struct SettingsPage {
    tr: Tr,
    nav: Nav,
    problems: Vec<String>,
    replies: Vec<Shown>,
    thresholds: Vec<Shown>,
}

fn page(
    staff: &Staff,
    values: &dyn Fn(&Field) -> String,
    problems: Vec<String>,
    done: Option<&str>,
) -> SettingsPage {
    let tr = staff.tr();
    let shown: Vec<Shown> = FIELDS
        .iter()
        .map(|f| Shown {
            name: f.name,
            label: tr.t(f.label),
            hint: tr.t2("settings-range", ("from", &f.min.to_string()), ("to", &f.max.to_string())),
            min: f.min,
            max: f.max,
            value: values(f),
        })
        .collect();
    let mut replies = shown;
    let thresholds = replies.split_off(REPLY_FIELDS);
    SettingsPage { nav: Nav::new(staff, "settings", done), problems, replies, thresholds, tr }
}

pub async fn show<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Admin(staff): Admin,
    Query(q): Query<super::entry::Done>,
) -> Result<Response, StaffError> {
    let current = settings::get(&state.store, staff.member.agency_id).await?;
    Ok(render(page(&staff, &|f| (f.get)(&current).to_string(), Vec::new(), q.done.as_deref())))
}

pub async fn save<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Admin(staff): Admin,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let mut next = settings::get(&state.store, staff.member.agency_id).await?;
    let mut problems = Vec::new();
    for f in FIELDS {
        let typed = form.get(f.name).map(|v| v.trim()).unwrap_or_default();
        match typed.parse::<u32>() {
            Ok(v) if (f.min..=f.max).contains(&v) => (f.set)(&mut next, v),
            _ => problems.push(format!(
                "{}: {}",
                tr.t(f.label),
                tr.t2("settings-range", ("from", &f.min.to_string()), ("to", &f.max.to_string()))
            )),
        }
    }
    if !problems.is_empty() {
        let typed = |f: &Field| form.get(f.name).cloned().unwrap_or_default();
        return Ok(
            (StatusCode::UNPROCESSABLE_ENTITY, render(page(&staff, &typed, problems, None))).into_response()
        );
    }
    settings::set(&state.store, staff.member.agency_id, &next).await?;
    let changed: Vec<String> = FIELDS.iter().map(|f| format!("{}={}", f.name, (f.get)(&next))).collect();
    let mut line = Line::new(
        Some(staff.member.agency_id),
        Some(staff.member.id),
        &staff.member.username,
        Action::SettingsChanged,
    );
    line.detail = Some(changed.join(" "));
    audit::append(&state.store, &line, Utc::now()).await?;
    Ok(Redirect::to(&format!("{STAFF}/settings?done=settings-saved")).into_response())
}
