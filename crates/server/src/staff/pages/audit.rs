//! The audit log, for admins (`/staff/audit`): every line of the agency, newest first, filtered
//! by caregiver, staff member and action, paged by line id. Lines name records and people,
//! never what an entry says.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::{Choice, Nav, choices, render};
use crate::api::AppState;
use crate::staff::StaffError;
use crate::staff::i18n::Tr;
use crate::staff::session::Admin;
use crate::storage::Store;
use crate::storage::dashboard::audit::{self, Action, Filter};
use crate::storage::dashboard::{accounts, caregivers};

/// Lines per page.
const PAGE: u32 = 100;

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    caregiver: String,
    #[serde(default)]
    staff: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    before: String,
}

#[derive(Debug)]
pub struct Row {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub caregiver: Option<(Uuid, String)>,
    /// A link to the entry, when the line names one.
    pub record: Option<Uuid>,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "staff/audit.html")]
struct AuditPage {
    tr: Tr,
    nav: Nav,
    problems: Vec<String>,
    caregivers: Vec<Choice>,
    staff: Vec<Choice>,
    actions: Vec<Choice>,
    rows: Vec<Row>,
    /// The query of the next (older) page, if there is one.
    older: Option<String>,
    /// The query of the newest page with the same filters, when this is an older one.
    newest: Option<String>,
}

/// A uuid filter: empty is none; anything else must be a uuid, or it is a problem.
fn uuid_filter(raw: &str, field: &str, tr: &Tr, problems: &mut Vec<String>) -> Option<Uuid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let parsed = Uuid::parse_str(raw).ok();
    if parsed.is_none() {
        problems.push(format!("{}: {}", tr.t(field), tr.t("rule-choose")));
    }
    parsed
}

pub async fn show<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Admin(staff): Admin,
    Query(q): Query<AuditQuery>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let agency = staff.member.agency_id;
    let mut problems = Vec::new();
    let caregiver_id = uuid_filter(&q.caregiver, "filter-caregiver", &tr, &mut problems);
    let actor_id = uuid_filter(&q.staff, "audit-staff", &tr, &mut problems);
    let action = match q.action.trim() {
        "" => None,
        code => {
            let action = Action::from_code(code);
            if action.is_none() {
                problems.push(format!("{}: {}", tr.t("audit-action"), tr.t("rule-choose")));
            }
            action
        }
    };
    let before = match q.before.trim() {
        "" => None,
        raw => raw.parse::<i64>().ok().or_else(|| {
            problems.push(format!("{}: {}", tr.t("queue-next"), tr.t("rule-choose")));
            None
        }),
    };
    let filter = Filter { caregiver_id, actor_id, action, before };
    // One line more than a page says whether there is an older page.
    let mut lines = audit::list(&state.store, agency, &filter, PAGE + 1).await?;
    let more = lines.len() > PAGE as usize;
    lines.truncate(PAGE as usize);
    let people = caregivers::list(&state.store, agency, None).await?;
    let members = accounts::list(&state.store, agency).await?;
    let caregiver_choices = people
        .iter()
        .map(|c| Choice {
            value: c.id.to_string(),
            label: c.name.clone(),
            selected: Some(c.id) == caregiver_id,
        })
        .collect();
    let staff_choices = members
        .iter()
        .map(|m| Choice {
            value: m.id.to_string(),
            label: format!("{} ({})", m.display_name, m.username),
            selected: Some(m.id) == actor_id,
        })
        .collect();
    let actions = choices(Action::ALL, Action::code, |a| tr.code("audit-action", a.code()), q.action.trim());
    // The filters as a query, for the pager's links.
    let mut filters = form_urlencoded::Serializer::new(String::new());
    for (key, value) in [("caregiver", &q.caregiver), ("staff", &q.staff), ("action", &q.action)] {
        if !value.trim().is_empty() {
            filters.append_pair(key, value.trim());
        }
    }
    let filters = filters.finish();
    let newest = before.map(|_| filters.clone());
    let older = match (more, lines.last()) {
        (true, Some(last)) => {
            let mut query = form_urlencoded::Serializer::new(filters);
            query.append_pair("before", &last.id.to_string());
            Some(query.finish())
        }
        _ => None,
    };
    let rows = lines
        .into_iter()
        .map(|l| Row {
            at: tr.time(l.at),
            actor: l.actor,
            action: Action::from_code(&l.action)
                .map_or_else(|| l.action.clone(), |a| tr.code("audit-action", a.code())),
            caregiver: l.caregiver_id.map(|id| (id, l.caregiver_name.unwrap_or_default())),
            record: l.record_id,
            detail: l.detail.unwrap_or_default(),
        })
        .collect();
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = AuditPage {
        nav: Nav::new(&staff, "audit", None),
        problems,
        caregivers: caregiver_choices,
        staff: staff_choices,
        actions,
        rows,
        older,
        newest,
        tr,
    };
    Ok((status, render(page)).into_response())
}
