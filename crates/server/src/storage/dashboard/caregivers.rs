//! Caregivers as staff see them: the list, one caregiver's page (profile, ratings, devices,
//! enrolment codes) and the enrolment actions, all scoped to the member's agency.

use chrono::{DateTime, Utc};
use convivio_core::Record;
use convivio_core::profile::Profile;
use uuid::Uuid;

use super::queue::{ITEM_COLUMNS, Item, item};
use super::settings::Settings;
use crate::error::StoreResult;
use crate::storage::Caregiver;
use crate::storage::sql::Db;

/// A line of the caregivers list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub id: Uuid,
    pub name: String,
    pub entries: i64,
    pub open_needs: i64,
    pub last_entry_at: Option<DateTime<Utc>>,
    pub last_sync_at: Option<DateTime<Utc>>,
}

pub async fn list<D: Db>(db: &D, agency_id: Uuid, name: Option<&str>) -> StoreResult<Vec<Summary>> {
    let mut sql = db.sql(
        "SELECT c.id, c.display_name,
             (SELECT count(*) FROM records r WHERE r.caregiver_id = c.id AND r.entry_kind IS NOT NULL),
             (SELECT count(*) FROM records r WHERE r.caregiver_id = c.id AND r.entry_kind = 'need'
                  AND r.need_status NOT IN ('met', 'not_met')),
             (SELECT max(r.recorded_at) FROM records r WHERE r.caregiver_id = c.id AND r.entry_kind IS NOT NULL),
             (SELECT max(d.last_sync_at) FROM devices d WHERE d.caregiver_id = c.id)
         FROM caregivers c WHERE c.agency_id = ",
    );
    sql.bind(agency_id);
    if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
        sql.push(" AND ").contains("c.display_name", name);
    }
    sql.push(" ORDER BY c.display_name, c.id");
    db.query(sql)
        .await?
        .iter()
        .map(|r| {
            Ok(Summary {
                id: r.uuid(0)?,
                name: r.text(1)?,
                entries: r.int(2)?,
                open_needs: r.int(3)?,
                last_entry_at: r.opt_time(4)?,
                last_sync_at: r.opt_time(5)?,
            })
        })
        .collect()
}

pub async fn get<D: Db>(db: &D, agency_id: Uuid, id: Uuid) -> StoreResult<Option<Caregiver>> {
    let mut sql = db.sql("SELECT id, agency_id, display_name FROM caregivers WHERE id = ");
    sql.bind(id).and(" AND agency_id = ", agency_id);
    db.query(sql)
        .await?
        .first()
        .map(|r| Ok(Caregiver { id: r.uuid(0)?, agency_id: r.uuid(1)?, display_name: r.text(2)? }))
        .transpose()
}

/// The caregiver's banded profile, if their device sent one.
pub async fn profile<D: Db>(db: &D, agency_id: Uuid, id: Uuid) -> StoreResult<Option<Profile>> {
    let mut sql = db.sql("SELECT ");
    sql.body("body")
        .and(" FROM records WHERE caregiver_id = ", id)
        .and(" AND agency_id = ", agency_id)
        .push(" AND kind = 'profile' ORDER BY version DESC LIMIT 1");
    match db.query(sql).await?.first() {
        Some(row) => match row.json::<Record>(0)? {
            Record::Profile(p) => Ok(Some(p)),
            _ => Ok(None),
        },
        None => Ok(None),
    }
}

/// The caregiver's needs not yet met or not met, oldest first.
pub async fn open_needs<D: Db>(
    db: &D,
    agency_id: Uuid,
    id: Uuid,
    settings: &Settings,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Item>> {
    let mut sql = db.sql(&format!("SELECT {ITEM_COLUMNS} FROM records r JOIN caregivers c ON c.id = r.caregiver_id WHERE r.caregiver_id = "));
    sql.bind(id).and(" AND r.agency_id = ", agency_id).push(
        " AND r.entry_kind = 'need' AND r.need_status NOT IN ('met', 'not_met') ORDER BY r.recorded_at, r.id",
    );
    db.query(sql).await?.iter().map(|r| item(r, settings, false, now)).collect()
}

/// One rating: a trust score about a subject, when it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    pub subject: String,
    pub label: String,
    pub occurred_at: DateTime<Utc>,
    pub score: i64,
}

/// The caregiver's trust ratings, by subject then time.
pub async fn ratings<D: Db>(db: &D, agency_id: Uuid, id: Uuid) -> StoreResult<Vec<Rating>> {
    let mut sql = db.sql(
        "SELECT r.subject, r.subject_label, r.occurred_at, r.score FROM records r WHERE r.caregiver_id = ",
    );
    sql.bind(id)
        .and(" AND r.agency_id = ", agency_id)
        .push(" AND r.entry_kind = 'trust' ORDER BY r.subject, r.occurred_at");
    db.query(sql)
        .await?
        .iter()
        .map(|r| {
            Ok(Rating {
                subject: r.text(0)?,
                label: r.opt_text(1)?.unwrap_or_default(),
                occurred_at: r.time(2)?,
                score: r.int(3)?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    pub id: Uuid,
    pub enrolled_at: DateTime<Utc>,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn devices<D: Db>(db: &D, agency_id: Uuid, id: Uuid) -> StoreResult<Vec<DeviceRow>> {
    let mut sql = db.sql(
        "SELECT d.id, d.enrolled_at, d.last_sync_at, d.revoked_at FROM devices d JOIN caregivers c ON c.id = d.caregiver_id
         WHERE d.caregiver_id = ",
    );
    sql.bind(id).and(" AND c.agency_id = ", agency_id).push(" ORDER BY d.enrolled_at");
    db.query(sql)
        .await?
        .iter()
        .map(|r| {
            Ok(DeviceRow {
                id: r.uuid(0)?,
                enrolled_at: r.time(1)?,
                last_sync_at: r.opt_time(2)?,
                revoked_at: r.opt_time(3)?,
            })
        })
        .collect()
}

/// The caregiver a device of this agency belongs to (for revocation by id).
pub async fn device_owner<D: Db>(db: &D, agency_id: Uuid, device: Uuid) -> StoreResult<Option<Uuid>> {
    let mut sql = db
        .sql("SELECT d.caregiver_id FROM devices d JOIN caregivers c ON c.id = d.caregiver_id WHERE d.id = ");
    sql.bind(device).and(" AND c.agency_id = ", agency_id);
    db.query(sql).await?.first().map(|r| r.uuid(0)).transpose()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRow {
    /// The code's hash: how a form names it (the code itself is never stored).
    pub code_hash: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn codes<D: Db>(db: &D, agency_id: Uuid, id: Uuid) -> StoreResult<Vec<CodeRow>> {
    let mut sql = db.sql(
        "SELECT e.code_hash, e.created_at, e.expires_at, e.used_at, e.revoked_at FROM enrolment_codes e
         JOIN caregivers c ON c.id = e.caregiver_id WHERE e.caregiver_id = ",
    );
    sql.bind(id).and(" AND c.agency_id = ", agency_id).push(" ORDER BY e.created_at DESC");
    db.query(sql)
        .await?
        .iter()
        .map(|r| {
            Ok(CodeRow {
                code_hash: r.text(0)?,
                created_at: r.time(1)?,
                expires_at: r.time(2)?,
                used_at: r.opt_time(3)?,
                revoked_at: r.opt_time(4)?,
            })
        })
        .collect()
}

/// Revokes an unused code of this caregiver (of this agency); false when there is none.
pub async fn revoke_code<D: Db>(
    db: &D,
    agency_id: Uuid,
    caregiver: Uuid,
    code_hash: &str,
    now: DateTime<Utc>,
    audit: crate::storage::sql::Sql,
) -> StoreResult<bool> {
    let mut sql = db.sql("UPDATE enrolment_codes SET revoked_at = ");
    sql.bind(now)
        .and(" WHERE code_hash = ", code_hash)
        .and(" AND caregiver_id = ", caregiver)
        .push(" AND used_at IS NULL AND revoked_at IS NULL AND caregiver_id IN (SELECT id FROM caregivers WHERE agency_id = ")
        .bind(agency_id)
        .push(") RETURNING code_hash");
    let done = db.transaction(vec![sql]).await?;
    let revoked = done.first().is_some_and(|rows| !rows.is_empty());
    if revoked {
        db.transaction(vec![audit]).await?;
    }
    Ok(revoked)
}
