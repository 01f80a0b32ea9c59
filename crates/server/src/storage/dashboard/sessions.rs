//! Staff sessions in the database, so every replica knows them. The cookie carries a random id;
//! the table keeps only its SHA-256 (`id_hash`), so a copy of the database signs nobody in.
//! A session without a member is a visitor of the sign-in page, who needs a CSRF token too.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::accounts::{MEMBER_COLUMNS, Member, member};
use crate::error::StoreResult;
use crate::storage::sql::Db;

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id_hash: String,
    pub member: Option<Member>,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The absolute end, whatever the activity.
    pub expires_at: DateTime<Utc>,
}

/// A new session; `staff_id` `None` for a visitor.
#[derive(Debug)]
pub struct NewSession<'a> {
    pub id_hash: &'a str,
    pub staff_id: Option<Uuid>,
    pub csrf_token: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Stores `new`, ending the session `replaces` in the same transaction (a sign-in rotates the
/// visitor's id) and clearing out sessions past their end.
pub async fn create<D: Db>(db: &D, new: NewSession<'_>, replaces: Option<&str>) -> StoreResult<()> {
    let mut insert = db.sql(
        "INSERT INTO staff_sessions (id_hash, staff_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (",
    );
    insert
        .bind(new.id_hash)
        .push(", ")
        .bind(new.staff_id)
        .push(", ")
        .bind(new.csrf_token)
        .push(", ")
        .bind(new.now)
        .push(", ")
        .bind(new.now)
        .push(", ")
        .bind(new.expires_at)
        .push(")");
    let mut sweep = db.sql("DELETE FROM staff_sessions WHERE expires_at < ");
    sweep.bind(new.now);
    let mut statements = vec![sweep, insert];
    if let Some(old) = replaces {
        let mut end = db.sql("DELETE FROM staff_sessions WHERE id_hash = ");
        end.bind(old);
        statements.push(end);
    }
    db.transaction(statements).await?;
    Ok(())
}

/// The session with this id hash, with its member (a disabled member's sessions are gone).
pub async fn get<D: Db>(db: &D, id_hash: &str) -> StoreResult<Option<Session>> {
    let mut sql = db.sql(&format!(
        "SELECT ss.id_hash, ss.csrf_token, ss.created_at, ss.last_seen_at, ss.expires_at, ss.staff_id, {MEMBER_COLUMNS}
         FROM staff_sessions ss
         LEFT JOIN staff s ON s.id = ss.staff_id
         LEFT JOIN agencies a ON a.id = s.agency_id
         WHERE ss.id_hash = "
    ));
    sql.bind(id_hash);
    let rows = db.query(sql).await?;
    let Some(row) = rows.first() else { return Ok(None) };
    let member = if row.is_null(5)? { None } else { Some(member(row, 6)?) };
    Ok(Some(Session {
        id_hash: row.text(0)?,
        member,
        csrf_token: row.text(1)?,
        created_at: row.time(2)?,
        last_seen_at: row.time(3)?,
        expires_at: row.time(4)?,
    }))
}

/// Notes activity (the idle timeout counts from here).
pub async fn touch<D: Db>(db: &D, id_hash: &str, now: DateTime<Utc>) -> StoreResult<()> {
    let mut sql = db.sql("UPDATE staff_sessions SET last_seen_at = ");
    sql.bind(now).and(" WHERE id_hash = ", id_hash).push(" RETURNING id_hash");
    db.query(sql).await?;
    Ok(())
}

pub async fn end<D: Db>(db: &D, id_hash: &str) -> StoreResult<()> {
    let mut sql = db.sql("DELETE FROM staff_sessions WHERE id_hash = ");
    sql.bind(id_hash).push(" RETURNING id_hash");
    db.query(sql).await?;
    Ok(())
}
