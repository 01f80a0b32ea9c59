//! One entry as the entry page shows it: the entry with its need state, what hangs under it
//! (the thread, status changes, read receipts), and who at the agency has read it.

use chrono::{DateTime, Utc};
use convivio_core::{Record, RecordId};
use uuid::Uuid;

use super::queue::{ITEM_COLUMNS, Item, item};
use super::settings::Settings;
use crate::error::StoreResult;
use crate::storage::sql::Db;

/// The entry `id` of this agency, if it is a live shared entry.
pub async fn get<D: Db>(
    db: &D,
    agency_id: Uuid,
    staff_id: Uuid,
    id: RecordId,
    settings: &Settings,
    now: DateTime<Utc>,
) -> StoreResult<Option<Item>> {
    let mut sql = db.sql(&format!(
        "SELECT {ITEM_COLUMNS}, er.first_read_at FROM records r
         JOIN caregivers c ON c.id = r.caregiver_id
         LEFT JOIN entry_reads er ON er.entry_id = r.id AND er.staff_id = "
    ));
    sql.bind(staff_id)
        .and(" WHERE r.agency_id = ", agency_id)
        .and(" AND r.id = ", id)
        .push(" AND r.entry_kind IS NOT NULL");
    match db.query(sql).await?.first() {
        Some(row) => Ok(Some(item(row, settings, row.is_null(10)?, now)?)),
        None => Ok(None),
    }
}

/// Everything that hangs under the entry (messages both ways, status changes, read receipts),
/// oldest first.
pub async fn children<D: Db>(db: &D, agency_id: Uuid, id: RecordId) -> StoreResult<Vec<Record>> {
    let mut sql = db.sql("SELECT ");
    sql.body("r.body")
        .and(" FROM records r WHERE r.parent_id = ", id)
        .and(" AND r.agency_id = ", agency_id)
        .push(" AND r.kind <> 'tombstone' ORDER BY r.occurred_at, r.id");
    db.query(sql).await?.iter().map(|r| r.json(0)).collect()
}

/// Earlier versions of the entry, oldest first.
pub async fn versions<D: Db>(db: &D, agency_id: Uuid, id: RecordId) -> StoreResult<Vec<Record>> {
    let mut sql = db.sql("SELECT ");
    sql.body("h.body")
        .push(" FROM history h JOIN records r ON r.id = h.record_id WHERE h.record_id = ")
        .bind(id)
        .and(" AND r.agency_id = ", agency_id)
        .push(" ORDER BY h.version");
    db.query(sql).await?.iter().map(|r| r.json(0)).collect()
}

/// Who at the agency read the entry, and when first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    pub staff_id: Uuid,
    pub display_name: String,
    pub first_read_at: DateTime<Utc>,
}

pub async fn readers<D: Db>(db: &D, agency_id: Uuid, id: RecordId) -> StoreResult<Vec<Reader>> {
    let mut sql = db.sql(
        "SELECT s.id, s.display_name, er.first_read_at FROM entry_reads er JOIN staff s ON s.id = er.staff_id
         WHERE er.entry_id = ",
    );
    sql.bind(id).and(" AND s.agency_id = ", agency_id).push(" ORDER BY er.first_read_at");
    db.query(sql)
        .await?
        .iter()
        .map(|r| Ok(Reader { staff_id: r.uuid(0)?, display_name: r.text(1)?, first_read_at: r.time(2)? }))
        .collect()
}

/// Sets (or, with `None`, clears back to the agency's default) a need's expected-reply date;
/// false when there is no such need in this agency.
pub async fn set_reply_due<D: Db>(
    db: &D,
    agency_id: Uuid,
    id: RecordId,
    due: Option<DateTime<Utc>>,
    audit: crate::storage::sql::Sql,
) -> StoreResult<bool> {
    let mut sql = db.sql("UPDATE records SET reply_due_at = ");
    sql.bind(due)
        .and(" WHERE id = ", id)
        .and(" AND agency_id = ", agency_id)
        .push(" AND entry_kind = 'need' RETURNING id");
    let done = db.transaction(vec![sql, audit]).await?;
    Ok(done.first().is_some_and(|rows| !rows.is_empty()))
}
