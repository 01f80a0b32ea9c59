//! The review queue: entries shared with the agency, newest first (by when the caregiver wrote
//! them down), with filters, full-text search, per-member unread marks and keyset paging. Every
//! condition is on a readable column or an index (see the dashboard migration).

use chrono::{DateTime, Utc};
use convivio_core::entry::{Entry, EntryKind};
use convivio_core::factor::Factor;
use convivio_core::need::{NeedStatus, Urgency};
use convivio_core::{Record, RecordId};
use uuid::Uuid;

use super::settings::Settings;
use crate::error::{StoreError, StoreResult};
use crate::storage::search::words;
use crate::storage::sql::{Db, Sql, SqlRow};

/// What the queue is narrowed to. All conditions hold together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub kind: Option<EntryKind>,
    pub factor: Option<Factor>,
    pub urgency: Option<Urgency>,
    pub status: Option<NeedStatus>,
    pub caregiver: Option<Uuid>,
    /// When it happened: from (inclusive) and until (exclusive).
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub text: Option<String>,
    pub unread_only: bool,
    pub overdue_only: bool,
}

/// Where a page starts: after this entry, in queue order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub recorded_at: DateTime<Utc>,
    pub id: RecordId,
}

/// An entry with what the lists show beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub entry: Entry,
    pub caregiver_id: Uuid,
    pub caregiver_name: String,
    pub unread: bool,
    pub need: Option<NeedState>,
}

/// The agency's side of a need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeedState {
    pub status: NeedStatus,
    pub status_at: Option<DateTime<Utc>>,
    /// The expected-reply date staff set (`None`: the agency's default).
    pub reply_due_set: Option<DateTime<Utc>>,
    /// The expected-reply date in force.
    pub reply_due: DateTime<Utc>,
    pub first_reply_at: Option<DateTime<Utc>>,
    pub last_reply_at: Option<DateTime<Utc>>,
    /// Past its expected-reply date and not yet in progress.
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub items: Vec<Item>,
    /// Where the next page starts, when there is one.
    pub next: Option<Cursor>,
}

/// The columns [`item`] reads, after `FROM records r JOIN caregivers c ...`.
pub(crate) const ITEM_COLUMNS: &str =
    "r.body, r.caregiver_id, c.display_name, r.need_status, r.need_status_at,
     r.reply_due_at, r.first_reply_at, r.last_reply_at, r.urgency, r.recorded_at";

/// Reads an [`Item`] from [`ITEM_COLUMNS`] at `at`; `unread` comes from the caller's query.
pub(crate) fn item(row: &SqlRow, settings: &Settings, unread: bool, now: DateTime<Utc>) -> StoreResult<Item> {
    let record: Record = row.json(0)?;
    let Record::Entry(entry) = record else {
        return Err(StoreError::Database("a queue row is not an entry".into()));
    };
    let need = match (row.opt_text(3)?, row.opt_text(8)?) {
        (Some(status), Some(urgency)) => {
            let status = NeedStatus::from_code(&status)
                .ok_or_else(|| StoreError::Database(format!("unknown need status {status}")))?;
            let urgency = Urgency::from_code(&urgency)
                .ok_or_else(|| StoreError::Database(format!("unknown urgency {urgency}")))?;
            let set = row.opt_time(5)?;
            let reply_due = settings.reply_due(urgency, row.time(9)?, set);
            Some(NeedState {
                status,
                status_at: row.opt_time(4)?,
                reply_due_set: set,
                reply_due,
                first_reply_at: row.opt_time(6)?,
                last_reply_at: row.opt_time(7)?,
                overdue: matches!(status, NeedStatus::Open | NeedStatus::Acknowledged) && reply_due < now,
            })
        }
        _ => None,
    };
    Ok(Item { entry, caregiver_id: row.uuid(1)?, caregiver_name: row.text(2)?, unread, need })
}

/// Appends the condition "the need row `r` is past its expected reply and not yet in progress".
pub(crate) fn overdue(sql: &mut Sql, settings: &Settings, now: DateTime<Utc>) {
    sql.push("(r.entry_kind = 'need' AND r.need_status IN ('open', 'acknowledged') AND (")
        .and("(r.reply_due_at IS NOT NULL AND r.reply_due_at < ", now)
        .push(") OR (r.reply_due_at IS NULL AND (");
    for (i, urgency) in Urgency::ALL.iter().enumerate() {
        if i > 0 {
            sql.push(" OR ");
        }
        sql.and_code("(r.urgency = ", urgency.code())
            .and(" AND r.recorded_at < ", now - settings.reply_time(*urgency))
            .push(")");
    }
    sql.push("))))");
}

/// Whose queue: the member's agency, and the member (for unread marks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub agency_id: Uuid,
    pub staff_id: Uuid,
}

pub async fn page<D: Db>(
    db: &D,
    Scope { agency_id, staff_id }: Scope,
    filter: &Filter,
    settings: &Settings,
    after: Option<Cursor>,
    limit: u32,
    now: DateTime<Utc>,
) -> StoreResult<Page> {
    // The member's read mark as a subquery per row shown, not a LEFT JOIN: with statistics
    // saying `entry_reads` is small, SQLite ran the join by reading the whole table for each
    // page (100 ms at 200,000 entries; BENCHMARKS.md).
    let mut sql = db.sql(&format!(
        "SELECT {ITEM_COLUMNS}, (SELECT er.first_read_at FROM entry_reads er WHERE er.entry_id = r.id AND er.staff_id = "
    ));
    sql.bind(staff_id)
        .push("), r.id FROM records r JOIN caregivers c ON c.id = r.caregiver_id")
        .and(" WHERE r.agency_id = ", agency_id)
        .push(" AND r.entry_kind IS NOT NULL");
    if let Some(kind) = filter.kind {
        sql.and_code(" AND r.entry_kind = ", kind.code());
    }
    if let Some(urgency) = filter.urgency {
        sql.and_code(" AND r.urgency = ", urgency.code());
    }
    if let Some(status) = filter.status {
        sql.and_code(" AND r.need_status = ", status.code());
    }
    if let Some(caregiver) = filter.caregiver {
        sql.and(" AND r.caregiver_id = ", caregiver);
    }
    if let Some(from) = filter.from {
        sql.and(" AND r.occurred_at >= ", from);
    }
    if let Some(until) = filter.until {
        sql.and(" AND r.occurred_at < ", until);
    }
    if let Some(factor) = filter.factor {
        sql.and(" AND r.id IN (SELECT f.record_id FROM record_factors f WHERE f.agency_id = ", agency_id)
            .and_code(" AND f.factor = ", factor.code())
            .push(")");
    }
    if let Some(text) = filter.text.as_deref().filter(|t| !words(t).is_empty()) {
        sql.push(" AND ").words_match("r", text);
    }
    if filter.unread_only {
        sql.and(
            " AND NOT EXISTS (SELECT 1 FROM entry_reads er WHERE er.entry_id = r.id AND er.staff_id = ",
            staff_id,
        )
        .push(")");
    }
    if filter.overdue_only {
        sql.push(" AND ");
        overdue(&mut sql, settings, now);
    }
    if let Some(c) = after {
        sql.and(" AND (r.recorded_at < ", c.recorded_at)
            .and(" OR (r.recorded_at = ", c.recorded_at)
            .and(" AND r.id < ", c.id)
            .push("))");
    }
    sql.and(" ORDER BY r.recorded_at DESC, r.id DESC LIMIT ", i64::from(limit) + 1);
    let rows = db.query(sql).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows.iter().take(limit as usize) {
        items.push(item(row, settings, row.is_null(10)?, now)?);
    }
    let next = if rows.len() > limit as usize {
        items.last().map(|i| Cursor { recorded_at: i.entry.recorded_at, id: i.entry.id })
    } else {
        None
    };
    Ok(Page { items, next })
}

/// Marks entries of this agency read by `staff_id`; returns those read now for the first time
/// (each gets a read receipt and an audit line from the caller).
pub async fn mark_read<D: Db>(
    db: &D,
    agency_id: Uuid,
    staff_id: Uuid,
    ids: &[RecordId],
    now: DateTime<Utc>,
) -> StoreResult<Vec<RecordId>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = db.sql("INSERT INTO entry_reads (staff_id, entry_id, first_read_at) SELECT ");
    sql.bind(staff_id)
        .push(", r.id, ")
        .bind(now)
        .and(" FROM records r WHERE r.agency_id = ", agency_id)
        .push(" AND r.entry_kind IS NOT NULL AND r.id IN ")
        .bind_list(ids.iter().copied())
        .push(" ON CONFLICT DO NOTHING RETURNING entry_id");
    db.query(sql).await?.iter().map(|r| Ok(RecordId::from_uuid(r.uuid(0)?))).collect()
}
