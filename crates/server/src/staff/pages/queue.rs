//! The review queue (`/staff`): filters from the query string (a plain GET form), keyset
//! paging, unread marks, and the bulk "mark read" form.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDate, Utc};
use convivio_core::RecordId;
use convivio_core::entry::{EntryBody, EntryKind};
use convivio_core::factor::Factor;
use convivio_core::need::{NeedStatus, Urgency};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Choice, Nav, choices, render};
use crate::api::AppState;
use crate::staff::form::Form;
use crate::staff::i18n::Tr;
use crate::staff::session::Staff;
use crate::staff::{STAFF, StaffError};
use crate::storage::Store;
use crate::storage::dashboard::queue::{self, Cursor, Filter, Item};
use crate::storage::dashboard::{entries, settings};

/// Rows per page.
pub const PAGE: u32 = 50;

/// The filter form's fields, as typed (kept to fill the form in again).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct QueueQuery {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub factor: String,
    #[serde(default)]
    pub urgency: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub caregiver: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub q: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<String>,
}

#[derive(Debug)]
pub struct Row {
    pub id: RecordId,
    pub when: String,
    pub caregiver_id: Uuid,
    pub caregiver: String,
    pub kind: String,
    pub summary: String,
    pub status: String,
    pub unread: bool,
    pub overdue: bool,
    pub select_label: String,
}

#[derive(Template)]
#[template(path = "staff/queue.html")]
struct QueuePage {
    tr: Tr,
    nav: Nav,
    query: QueueQuery,
    problems: Vec<String>,
    kinds: Vec<Choice>,
    factors: Vec<Choice>,
    urgencies: Vec<Choice>,
    statuses: Vec<Choice>,
    rows: Vec<Row>,
    next: Option<String>,
    first: String,
    back: String,
}

/// A date of the form as the start of that day (UTC).
fn day(field: &str, raw: &str, tr: &Tr, problems: &mut Vec<String>) -> Option<DateTime<Utc>> {
    if raw.trim().is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
        Ok(d) => d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()),
        Err(_) => {
            problems.push(format!("{}: {}", tr.t(field), "YYYY-MM-DD"));
            None
        }
    }
}

/// Reads the form into a filter; a value that is not one of the choices is reported, naming the
/// filter, and left out.
pub fn filter(q: &QueueQuery, tr: &Tr) -> (Filter, Option<Cursor>, Vec<String>) {
    let mut problems = Vec::new();
    let mut coded = |field: &str, raw: &str, ok: bool| {
        if !raw.trim().is_empty() && !ok {
            problems.push(format!("{}: {}", tr.t(field), raw.trim()));
        }
    };
    let kind = EntryKind::from_code(q.kind.trim());
    coded("filter-kind", &q.kind, kind.is_some());
    let factor = Factor::from_code(q.factor.trim());
    coded("filter-factor", &q.factor, factor.is_some());
    let urgency = Urgency::from_code(q.urgency.trim());
    coded("filter-urgency", &q.urgency, urgency.is_some());
    let status = NeedStatus::from_code(q.status.trim());
    coded("filter-status", &q.status, status.is_some());
    let caregiver = Uuid::parse_str(q.caregiver.trim()).ok();
    coded("filter-caregiver", &q.caregiver, caregiver.is_some());
    let from = day("filter-from", &q.from, tr, &mut problems);
    let until = day("filter-until", &q.until, tr, &mut problems).map(|d| d + chrono::Duration::days(1));
    let after = q.after.as_deref().and_then(|a| {
        let (t, id) = a.split_once('_')?;
        Some(Cursor {
            recorded_at: DateTime::parse_from_rfc3339(t).ok()?.to_utc(),
            id: RecordId::from_uuid(Uuid::parse_str(id).ok()?),
        })
    });
    let text = Some(q.q.trim().to_owned()).filter(|t| !t.is_empty());
    let filter = Filter {
        kind,
        factor,
        urgency,
        status,
        caregiver,
        from,
        until,
        text,
        unread_only: q.unread.is_some(),
        overdue_only: q.overdue.is_some(),
    };
    (filter, after, problems)
}

/// A line saying what an entry is about, in the member's language.
pub fn summary(body: &EntryBody, tr: &Tr) -> String {
    fn cut(text: &str) -> String {
        let mut s: String = text.chars().take(120).collect();
        if text.chars().count() > 120 {
            s.push('…');
        }
        s
    }
    let lang = tr.lang.domain();
    match body {
        EntryBody::Need(n) => match &n.text {
            Some(t) => format!("{}: {}", n.category.label(lang), cut(t.as_str())),
            None => n.category.label(lang).to_owned(),
        },
        EntryBody::Experience(e) => {
            format!("{} · {}", e.service.as_str(), tr.t1("entry-out-of-five", "n", e.rating.get()))
        }
        EntryBody::Trust(t) => {
            let about = t
                .target_name
                .as_ref()
                .map_or_else(|| tr.code("target", t.target.code()), |n| n.as_str().to_owned());
            format!("{about} · {}", tr.t1("entry-out-of-five", "n", t.score.get()))
        }
        EntryBody::Note(n) => cut(n.text.as_str()),
    }
}

pub fn row(item: &Item, tr: &Tr) -> Row {
    let kind = tr.code("kind", item.entry.kind().code());
    let summary = summary(&item.entry.body, tr);
    Row {
        id: item.entry.id,
        when: tr.time(item.entry.recorded_at),
        caregiver_id: item.caregiver_id,
        caregiver: item.caregiver_name.clone(),
        select_label: tr.t1("queue-select", "what", format!("{kind}, {}, {summary}", item.caregiver_name)),
        kind,
        summary,
        status: item.need.map(|n| tr.code("status", n.status.code())).unwrap_or_default(),
        unread: item.unread,
        overdue: item.need.is_some_and(|n| n.overdue),
    }
}

fn link(q: &QueueQuery, after: Option<String>) -> String {
    let q = QueueQuery { after, done: None, ..q.clone() };
    let query = serde_urlencoded::to_string(&q).unwrap_or_default();
    // Empty fields left out, so links stay short.
    let query: Vec<&str> = query.split('&').filter(|p| !p.ends_with('=')).collect();
    if query.is_empty() { STAFF.to_owned() } else { format!("{STAFF}?{}", query.join("&")) }
}

pub async fn show<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    Query(q): Query<QueueQuery>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let now = Utc::now();
    let (filter, after, problems) = filter(&q, &tr);
    let settings = settings::get(&state.store, staff.member.agency_id).await?;
    let page = queue::page(
        &state.store,
        queue::Scope { agency_id: staff.member.agency_id, staff_id: staff.member.id },
        &filter,
        &settings,
        after,
        PAGE,
        now,
    )
    .await?;
    let lang = tr.lang.domain();
    let kinds = choices(EntryKind::ALL, EntryKind::code, |k| tr.code("kind", k.code()), &q.kind);
    let factors = choices(&Factor::ALL, Factor::code, |f| f.label(lang).to_owned(), &q.factor);
    let urgencies = choices(Urgency::ALL, Urgency::code, |u| tr.code("urgency", u.code()), &q.urgency);
    let statuses = choices(NeedStatus::ALL, NeedStatus::code, |s| tr.code("status", s.code()), &q.status);
    let next = page.next.map(|c| link(&q, Some(format!("{}_{}", c.recorded_at.to_rfc3339(), c.id))));
    let view = QueuePage {
        tr,
        nav: Nav::new(&staff, "queue", q.done.as_deref()),
        first: link(&q, None),
        back: link(&q, q.after.clone()),
        rows: page.items.iter().map(|i| row(i, &tr)).collect(),
        query: q,
        problems,
        kinds,
        factors,
        urgencies,
        statuses,
        next,
    };
    Ok(render(view))
}

#[derive(Debug, Deserialize)]
pub struct MarkRead {
    #[serde(default)]
    id: Vec<String>,
    #[serde(default)]
    back: String,
}

/// Bulk "mark read": each entry read for the first time gets its read receipt, as if opened.
pub async fn mark_read<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    Form(form): Form<MarkRead>,
) -> Result<Response, StaffError> {
    let ids: Vec<RecordId> =
        form.id.iter().filter_map(|i| Uuid::parse_str(i).ok()).map(RecordId::from_uuid).collect();
    let now = Utc::now();
    let first = queue::mark_read(&state.store, staff.member.agency_id, staff.member.id, &ids, now).await?;
    let items: Vec<(RecordId, Uuid)> = page_items_caregivers(&state, &staff, &first).await?;
    crate::staff::writes::receipts(&state.store, &staff.member, &items, now).await?;
    let back = if form.back.starts_with(STAFF) && !form.back.starts_with("//") {
        form.back
    } else {
        STAFF.to_owned()
    };
    Ok(Redirect::to(&back).into_response())
}

/// The caregiver of each entry just read (read receipts are addressed to them).
async fn page_items_caregivers<S: Store>(
    state: &AppState<S>,
    staff: &Staff,
    ids: &[RecordId],
) -> Result<Vec<(RecordId, Uuid)>, StaffError> {
    let settings = settings::get(&state.store, staff.member.agency_id).await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(item) =
            entries::get(&state.store, staff.member.agency_id, staff.member.id, *id, &settings, Utc::now())
                .await?
        {
            out.push((*id, item.caregiver_id));
        }
    }
    Ok(out)
}
