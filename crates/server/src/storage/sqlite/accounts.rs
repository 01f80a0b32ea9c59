//! Agencies, staff, caregivers, enrolment codes and devices in SQLite.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::columns::{is_unique_violation, time_at, ts, uuid_at};
use crate::error::{StoreError, StoreResult};
use crate::storage::{
    Agency, Caregiver, Device, DeviceSync, Enrolled, NewEnrolment, Staff, StaffRole, Stats,
};

/// How a device is looked up.
pub(super) enum DeviceKey<'a> {
    Id(Uuid),
    Token(&'a str),
}

/// Maps a unique violation to [`StoreError::Conflict`] naming `what`; anything else passes.
fn conflict(what: impl FnOnce() -> String) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |e| if is_unique_violation(&e) { StoreError::Conflict(what()) } else { e.into() }
}

fn exists(tx: &Transaction<'_>, sql: &str, id: Uuid) -> StoreResult<bool> {
    Ok(tx.prepare_cached(sql)?.exists([id.to_string()])?)
}

pub(super) fn create_agency(tx: &Transaction<'_>, name: &str, now: DateTime<Utc>) -> StoreResult<Agency> {
    let agency = Agency { id: Uuid::now_v7(), name: name.to_owned() };
    tx.execute(
        "INSERT INTO agencies (id, name, created_at) VALUES (?1, ?2, ?3)",
        params![agency.id.to_string(), name, ts(now)],
    )
    .map_err(conflict(|| format!("agency {name}")))?;
    Ok(agency)
}

pub(super) fn agency_by_name(tx: &Transaction<'_>, name: &str) -> StoreResult<Option<Agency>> {
    let agency = tx
        .prepare_cached("SELECT id, name FROM agencies WHERE name = ?1")?
        .query_row([name], |r| Ok(Agency { id: uuid_at(r, 0)?, name: r.get(1)? }))
        .optional()?;
    Ok(agency)
}

fn require_agency(tx: &Transaction<'_>, agency_id: Uuid) -> StoreResult<()> {
    if exists(tx, "SELECT 1 FROM agencies WHERE id = ?1", agency_id)? {
        Ok(())
    } else {
        Err(StoreError::NotFound { kind: "agency", id: agency_id.to_string() })
    }
}

pub(super) fn create_staff(
    tx: &Transaction<'_>,
    agency_id: Uuid,
    username: &str,
    password_hash: &str,
    role: StaffRole,
    now: DateTime<Utc>,
) -> StoreResult<Staff> {
    require_agency(tx, agency_id)?;
    let staff = Staff { id: Uuid::now_v7(), agency_id, username: username.to_owned(), role };
    tx.execute(
        "INSERT INTO staff (id, agency_id, username, password_hash, role, created_at, display_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?3)",
        params![staff.id.to_string(), agency_id.to_string(), username, password_hash, role.code(), ts(now)],
    )
    .map_err(conflict(|| format!("staff member {username}")))?;
    Ok(staff)
}

pub(super) fn create_caregiver(
    tx: &Transaction<'_>,
    agency_id: Uuid,
    display_name: &str,
    now: DateTime<Utc>,
) -> StoreResult<Caregiver> {
    require_agency(tx, agency_id)?;
    let caregiver = Caregiver { id: Uuid::now_v7(), agency_id, display_name: display_name.to_owned() };
    tx.execute(
        "INSERT INTO caregivers (id, agency_id, display_name, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![caregiver.id.to_string(), agency_id.to_string(), display_name, ts(now)],
    )?;
    Ok(caregiver)
}

pub(super) fn caregiver(tx: &Transaction<'_>, id: Uuid) -> StoreResult<Option<Caregiver>> {
    let caregiver = tx
        .prepare_cached("SELECT id, agency_id, display_name FROM caregivers WHERE id = ?1")?
        .query_row([id.to_string()], |r| {
            Ok(Caregiver { id: uuid_at(r, 0)?, agency_id: uuid_at(r, 1)?, display_name: r.get(2)? })
        })
        .optional()?;
    Ok(caregiver)
}

pub(super) fn create_enrolment(
    tx: &Transaction<'_>,
    e: &NewEnrolment,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    if !exists(tx, "SELECT 1 FROM caregivers WHERE id = ?1", e.caregiver_id)? {
        return Err(StoreError::NotFound { kind: "caregiver", id: e.caregiver_id.to_string() });
    }
    tx.execute(
        "INSERT INTO enrolment_codes (code_hash, caregiver_id, expires_at, created_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![e.code_hash, e.caregiver_id.to_string(), ts(e.expires_at), ts(now)],
    )
    .map_err(conflict(|| "this enrolment code".to_owned()))?;
    Ok(())
}

/// Marks the code used and makes the device in one transaction; the `used_at IS NULL` guard in
/// the update is what lets only one of two concurrent redemptions through.
pub(super) fn redeem_enrolment(
    tx: &Transaction<'_>,
    code_hash: &str,
    now: DateTime<Utc>,
    token_hash: &str,
) -> StoreResult<Enrolled> {
    let caregiver_id = tx
        .prepare_cached(
            "UPDATE enrolment_codes SET used_at = ?2
             WHERE code_hash = ?1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?2
             RETURNING caregiver_id",
        )?
        .query_row(params![code_hash, ts(now)], |r| uuid_at(r, 0))
        .optional()?
        .ok_or(StoreError::BadCode)?;
    let id = Uuid::now_v7();
    tx.execute(
        "INSERT INTO devices (id, caregiver_id, token_hash, enrolled_at) VALUES (?1, ?2, ?3, ?4)",
        params![id.to_string(), caregiver_id.to_string(), token_hash, ts(now)],
    )
    .map_err(conflict(|| "a device with this token".to_owned()))?;
    let device =
        device(tx, DeviceKey::Id(id))?.ok_or(StoreError::NotFound { kind: "device", id: id.to_string() })?;
    let agency_name = tx
        .prepare_cached("SELECT name FROM agencies WHERE id = ?1")?
        .query_row([device.agency_id.to_string()], |r| r.get(0))?;
    Ok(Enrolled { device, agency_name })
}

pub(super) fn device(tx: &Transaction<'_>, key: DeviceKey<'_>) -> StoreResult<Option<Device>> {
    const SELECT: &str = "SELECT d.id, d.caregiver_id, c.agency_id, d.acked_seq, d.revoked_at, d.last_sync_at
                          FROM devices d JOIN caregivers c ON c.id = d.caregiver_id";
    let (sql, value) = match key {
        DeviceKey::Id(id) => (format!("{SELECT} WHERE d.id = ?1"), id.to_string()),
        DeviceKey::Token(token) => (format!("{SELECT} WHERE d.token_hash = ?1"), token.to_owned()),
    };
    let device = tx
        .prepare_cached(&sql)?
        .query_row([value], |r| {
            Ok(Device {
                id: uuid_at(r, 0)?,
                caregiver_id: uuid_at(r, 1)?,
                agency_id: uuid_at(r, 2)?,
                acked_seq: r.get::<_, i64>(3)?.unsigned_abs(),
                revoked_at: time_at(r, 4)?,
                last_sync_at: time_at(r, 5)?,
            })
        })
        .optional()?;
    Ok(device)
}

pub(super) fn revoke_device(tx: &Transaction<'_>, device_id: Uuid, now: DateTime<Utc>) -> StoreResult<bool> {
    let changed = tx.execute(
        "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![device_id.to_string(), ts(now)],
    )?;
    Ok(changed == 1)
}

pub(super) fn touch_device(tx: &Transaction<'_>, device_id: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
    let changed = tx
        .prepare_cached("UPDATE devices SET last_sync_at = ?2 WHERE id = ?1")?
        .execute(params![device_id.to_string(), ts(now)])?;
    if changed == 0 {
        return Err(StoreError::NotFound { kind: "device", id: device_id.to_string() });
    }
    Ok(())
}

pub(super) fn stats(tx: &Transaction<'_>) -> StoreResult<Stats> {
    let count =
        |sql: &str| -> StoreResult<u64> { Ok(tx.query_row(sql, [], |r| r.get::<_, i64>(0))?.unsigned_abs()) };
    let mut stats = Stats {
        agencies: count("SELECT count(*) FROM agencies")?,
        caregivers: count("SELECT count(*) FROM caregivers")?,
        devices: count("SELECT count(*) FROM devices")?,
        ..Stats::default()
    };
    let mut kinds = tx.prepare("SELECT kind, count(*) FROM records GROUP BY kind")?;
    for row in kinds.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (kind, n) = row?;
        stats.records_by_kind.insert(kind, n.unsigned_abs());
    }
    let mut devices = tx.prepare(
        "SELECT id, caregiver_id, acked_seq, revoked_at IS NOT NULL, last_sync_at FROM devices
         ORDER BY enrolled_at, id",
    )?;
    for row in devices.query_map([], |r| {
        Ok(DeviceSync {
            device_id: uuid_at(r, 0)?,
            caregiver_id: uuid_at(r, 1)?,
            acked_seq: r.get::<_, i64>(2)?.unsigned_abs(),
            revoked: r.get(3)?,
            last_sync_at: time_at(r, 4)?,
        })
    })? {
        stats.device_syncs.push(row?);
    }
    Ok(stats)
}
