//! Sign-in throttling in the database, shared by every replica: failures are counted per key
//! (`user:NAME`, `addr:ADDRESS`) within a window; reaching the limit locks the key until the
//! lockout ends, and while it is locked even the right password is refused.

use chrono::{DateTime, Duration, Utc};

use crate::error::StoreResult;
use crate::storage::sql::Db;

/// The rule for one kind of key.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub failures: u32,
    pub window: Duration,
    pub lockout: Duration,
}

/// Until when `key` is locked, if it is.
pub async fn locked_until<D: Db>(
    db: &D,
    key: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<DateTime<Utc>>> {
    let mut sql = db.sql("SELECT locked_until FROM sign_in_throttle WHERE key = ");
    sql.bind(key).and(" AND locked_until > ", now);
    db.query(sql).await?.first().map(|r| r.time(0)).transpose()
}

/// Counts a failure for `key`; returns when the key is now locked until, if this failure
/// reached the limit (or it was locked already).
pub async fn fail<D: Db>(
    db: &D,
    key: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> StoreResult<Option<DateTime<Utc>>> {
    let window_start = now - limit.window;
    let lock_until = now + limit.lockout;
    let max = i64::from(limit.failures);
    let mut sql = db.sql("INSERT INTO sign_in_throttle (key, failures, window_start, locked_until) VALUES (");
    sql.bind(key)
        .push(", 1, ")
        .bind(now)
        .push(", CASE WHEN 1 >= ")
        .bind(max)
        .push(" THEN ")
        .bind(lock_until)
        .push(" END) ON CONFLICT (key) DO UPDATE SET ")
        .push("failures = CASE WHEN sign_in_throttle.window_start < ")
        .bind(window_start)
        .push(" THEN 1 ELSE sign_in_throttle.failures + 1 END, ")
        .push("window_start = CASE WHEN sign_in_throttle.window_start < ")
        .bind(window_start)
        .push(" THEN ")
        .bind(now)
        .push(" ELSE sign_in_throttle.window_start END, ")
        .push("locked_until = CASE WHEN (CASE WHEN sign_in_throttle.window_start < ")
        .bind(window_start)
        .push(" THEN 1 ELSE sign_in_throttle.failures + 1 END) >= ")
        .bind(max)
        .push(" THEN ")
        .bind(lock_until)
        .push(" ELSE sign_in_throttle.locked_until END RETURNING locked_until");
    let rows = db.query(sql).await?;
    Ok(rows.first().map(|r| r.opt_time(0)).transpose()?.flatten().filter(|t| *t > now))
}

/// Forgets a key's failures (after a successful sign-in).
pub async fn clear<D: Db>(db: &D, key: &str) -> StoreResult<()> {
    let mut sql = db.sql("DELETE FROM sign_in_throttle WHERE key = ");
    sql.bind(key).push(" RETURNING key");
    db.query(sql).await?;
    Ok(())
}
