//! Agencies, staff, caregivers, enrolment codes and devices in PostgreSQL.

use chrono::{DateTime, Utc};
use deadpool_postgres::{Client, Transaction};
use tokio_postgres::Row;
use uuid::Uuid;

use super::{PgResult, conflict};
use crate::error::StoreError;
use crate::storage::{
    Agency, Caregiver, Device, DeviceSync, Enrolled, NewEnrolment, Staff, StaffRole, Stats,
};

/// How a device is looked up.
pub(super) enum DeviceKey<'a> {
    Id(Uuid),
    Token(&'a str),
}

/// Counts and sequence numbers are non-negative by CHECK constraints.
fn count(n: i64) -> u64 {
    n.unsigned_abs()
}

async fn require(tx: &Transaction<'_>, sql: &str, id: Uuid, kind: &'static str) -> PgResult<()> {
    if tx.query_opt(sql, &[&id]).await?.is_some() {
        Ok(())
    } else {
        Err(StoreError::NotFound { kind, id: id.to_string() }.into())
    }
}

pub(super) async fn create_agency(tx: &Transaction<'_>, name: &str, now: DateTime<Utc>) -> PgResult<Agency> {
    let agency = Agency { id: Uuid::now_v7(), name: name.to_owned() };
    tx.execute("INSERT INTO agencies (id, name, created_at) VALUES ($1, $2, $3)", &[&agency.id, &name, &now])
        .await
        .map_err(conflict(|| format!("agency {name}")))?;
    Ok(agency)
}

pub(super) async fn agency_by_name(client: &Client, name: &str) -> PgResult<Option<Agency>> {
    let row = client.query_opt("SELECT id, name FROM agencies WHERE name = $1", &[&name]).await?;
    Ok(row.map(|r| Agency { id: r.get(0), name: r.get(1) }))
}

pub(super) async fn create_staff(
    tx: &Transaction<'_>,
    agency_id: Uuid,
    username: &str,
    password_hash: &str,
    role: StaffRole,
    now: DateTime<Utc>,
) -> PgResult<Staff> {
    require(tx, "SELECT 1 FROM agencies WHERE id = $1", agency_id, "agency").await?;
    let staff = Staff { id: Uuid::now_v7(), agency_id, username: username.to_owned(), role };
    tx.execute(
        "INSERT INTO staff (id, agency_id, username, password_hash, role, created_at, display_name)
         VALUES ($1, $2, $3, $4, $5, $6, $3)",
        &[&staff.id, &agency_id, &username, &password_hash, &role.code(), &now],
    )
    .await
    .map_err(conflict(|| format!("staff member {username}")))?;
    Ok(staff)
}

pub(super) async fn create_caregiver(
    tx: &Transaction<'_>,
    agency_id: Uuid,
    display_name: &str,
    now: DateTime<Utc>,
) -> PgResult<Caregiver> {
    require(tx, "SELECT 1 FROM agencies WHERE id = $1", agency_id, "agency").await?;
    let caregiver = Caregiver { id: Uuid::now_v7(), agency_id, display_name: display_name.to_owned() };
    tx.execute(
        "INSERT INTO caregivers (id, agency_id, display_name, created_at) VALUES ($1, $2, $3, $4)",
        &[&caregiver.id, &agency_id, &display_name, &now],
    )
    .await?;
    Ok(caregiver)
}

pub(super) async fn caregiver(client: &Client, id: Uuid) -> PgResult<Option<Caregiver>> {
    let row =
        client.query_opt("SELECT id, agency_id, display_name FROM caregivers WHERE id = $1", &[&id]).await?;
    Ok(row.map(|r| Caregiver { id: r.get(0), agency_id: r.get(1), display_name: r.get(2) }))
}

pub(super) async fn create_enrolment(
    tx: &Transaction<'_>,
    e: &NewEnrolment,
    now: DateTime<Utc>,
) -> PgResult<()> {
    require(tx, "SELECT 1 FROM caregivers WHERE id = $1", e.caregiver_id, "caregiver").await?;
    tx.execute(
        "INSERT INTO enrolment_codes (code_hash, caregiver_id, expires_at, created_at)
         VALUES ($1, $2, $3, $4)",
        &[&e.code_hash, &e.caregiver_id, &e.expires_at, &now],
    )
    .await
    .map_err(conflict(|| "this enrolment code".to_owned()))?;
    Ok(())
}

/// Marks the code used and makes the device in one transaction. Of two concurrent
/// redemptions, the second waits on the code's row lock, then re-checks `used_at IS NULL`
/// against the committed row and finds nothing to update.
pub(super) async fn redeem_enrolment(
    tx: &Transaction<'_>,
    code_hash: &str,
    now: DateTime<Utc>,
    token_hash: &str,
) -> PgResult<Enrolled> {
    let code = tx
        .query_opt(
            "UPDATE enrolment_codes SET used_at = $2
             WHERE code_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
             RETURNING caregiver_id",
            &[&code_hash, &now],
        )
        .await?
        .ok_or(StoreError::BadCode)?;
    let caregiver_id: Uuid = code.get(0);
    let id = Uuid::now_v7();
    tx.execute(
        "INSERT INTO devices (id, caregiver_id, token_hash, enrolled_at) VALUES ($1, $2, $3, $4)",
        &[&id, &caregiver_id, &token_hash, &now],
    )
    .await
    .map_err(conflict(|| "a device with this token".to_owned()))?;
    let row = tx.query_one(&format!("{DEVICE} WHERE d.id = $1"), &[&id]).await?;
    let agency_name: String =
        tx.query_one("SELECT name FROM agencies WHERE id = $1", &[&row.get::<_, Uuid>(2)]).await?.get(0);
    Ok(Enrolled { device: device_from(&row), agency_name })
}

const DEVICE: &str = "SELECT d.id, d.caregiver_id, c.agency_id, d.acked_seq, d.revoked_at, d.last_sync_at
                      FROM devices d JOIN caregivers c ON c.id = d.caregiver_id";

fn device_from(r: &Row) -> Device {
    Device {
        id: r.get(0),
        caregiver_id: r.get(1),
        agency_id: r.get(2),
        acked_seq: count(r.get(3)),
        revoked_at: r.get(4),
        last_sync_at: r.get(5),
    }
}

pub(super) async fn device(client: &Client, key: DeviceKey<'_>) -> PgResult<Option<Device>> {
    let row = match key {
        DeviceKey::Id(id) => {
            let statement = client.prepare_cached(&format!("{DEVICE} WHERE d.id = $1")).await?;
            client.query_opt(&statement, &[&id]).await?
        }
        DeviceKey::Token(token) => {
            let statement = client.prepare_cached(&format!("{DEVICE} WHERE d.token_hash = $1")).await?;
            client.query_opt(&statement, &[&token]).await?
        }
    };
    Ok(row.as_ref().map(device_from))
}

pub(super) async fn revoke_device(client: &Client, device_id: Uuid, now: DateTime<Utc>) -> PgResult<bool> {
    let changed = client
        .execute(
            "UPDATE devices SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            &[&device_id, &now],
        )
        .await?;
    Ok(changed == 1)
}

pub(super) async fn touch_device(client: &Client, device_id: Uuid, now: DateTime<Utc>) -> PgResult<()> {
    let statement = client.prepare_cached("UPDATE devices SET last_sync_at = $2 WHERE id = $1").await?;
    if client.execute(&statement, &[&device_id, &now]).await? == 0 {
        return Err(StoreError::NotFound { kind: "device", id: device_id.to_string() }.into());
    }
    Ok(())
}

pub(super) async fn stats(client: &Client) -> PgResult<Stats> {
    let totals = client
        .query_one(
            "SELECT (SELECT count(*) FROM agencies), (SELECT count(*) FROM caregivers),
                    (SELECT count(*) FROM devices)",
            &[],
        )
        .await?;
    let mut stats = Stats {
        agencies: count(totals.get(0)),
        caregivers: count(totals.get(1)),
        devices: count(totals.get(2)),
        ..Stats::default()
    };
    for row in client.query("SELECT kind, count(*) FROM records GROUP BY kind", &[]).await? {
        stats.records_by_kind.insert(row.get(0), count(row.get(1)));
    }
    let devices = client
        .query(
            "SELECT id, caregiver_id, acked_seq, revoked_at IS NOT NULL, last_sync_at FROM devices
             ORDER BY enrolled_at, id",
            &[],
        )
        .await?;
    stats.device_syncs = devices
        .iter()
        .map(|r| DeviceSync {
            device_id: r.get(0),
            caregiver_id: r.get(1),
            acked_seq: count(r.get(2)),
            revoked: r.get(3),
            last_sync_at: r.get(4),
        })
        .collect();
    Ok(stats)
}
