//! Staff accounts as the dashboard sees them: sign-in lookups and the admin's staff page.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::error::{StoreError, StoreResult};
use crate::storage::StaffRole;
use crate::storage::sql::{Db, SqlRow};

/// A staff member with what signing in and the pages need. The password hash stays here: it is
/// never shown, only verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub id: Uuid,
    pub agency_id: Uuid,
    pub agency_name: String,
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    /// `it` or `en`.
    pub lang: String,
    pub disabled: bool,
    #[serde(skip)]
    pub password_hash: String,
}

pub(crate) const MEMBER_COLUMNS: &str =
    "s.id, s.agency_id, a.name, s.username, s.display_name, s.role, s.lang, s.disabled_at, s.password_hash";

pub(crate) fn member(row: &SqlRow, at: usize) -> StoreResult<Member> {
    let role = match row.text(at + 5)?.as_str() {
        "admin" => StaffRole::Admin,
        "staff" => StaffRole::Staff,
        "researcher" => StaffRole::Researcher,
        other => return Err(StoreError::Database(format!("unknown staff role {other}"))),
    };
    Ok(Member {
        id: row.uuid(at)?,
        agency_id: row.uuid(at + 1)?,
        agency_name: row.text(at + 2)?,
        username: row.text(at + 3)?,
        display_name: row.text(at + 4)?,
        role,
        lang: row.text(at + 6)?,
        disabled: !row.is_null(at + 7)?,
        password_hash: row.text(at + 8)?,
    })
}

pub async fn by_username<D: Db>(db: &D, username: &str) -> StoreResult<Option<Member>> {
    let mut sql = db.sql(&format!(
        "SELECT {MEMBER_COLUMNS} FROM staff s JOIN agencies a ON a.id = s.agency_id WHERE s.username = "
    ));
    sql.bind(username);
    db.query(sql).await?.first().map(|r| member(r, 0)).transpose()
}

/// A member of `agency_id` by id (another agency's is not found).
pub async fn by_id<D: Db>(db: &D, agency_id: Uuid, id: Uuid) -> StoreResult<Option<Member>> {
    let mut sql = db.sql(&format!(
        "SELECT {MEMBER_COLUMNS} FROM staff s JOIN agencies a ON a.id = s.agency_id WHERE s.id = "
    ));
    sql.bind(id).and(" AND s.agency_id = ", agency_id);
    db.query(sql).await?.first().map(|r| member(r, 0)).transpose()
}

/// Every member of the agency, by username.
pub async fn list<D: Db>(db: &D, agency_id: Uuid) -> StoreResult<Vec<Member>> {
    let mut sql = db.sql(&format!(
        "SELECT {MEMBER_COLUMNS} FROM staff s JOIN agencies a ON a.id = s.agency_id WHERE s.agency_id = "
    ));
    sql.bind(agency_id).push(" ORDER BY s.username");
    db.query(sql).await?.iter().map(|r| member(r, 0)).collect()
}

/// What an admin (or the member, for their own name, language and password) may change.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub display_name: Option<String>,
    pub lang: Option<String>,
    pub role: Option<StaffRole>,
    /// `Some(true)` disables, `Some(false)` enables again.
    pub disabled: Option<bool>,
    pub password_hash: Option<String>,
}

/// Applies `change` to a member of `agency_id`; false when there is no such member. Disabling
/// or a new password ends the member's sessions, in the same transaction.
pub async fn update<D: Db>(
    db: &D,
    agency_id: Uuid,
    id: Uuid,
    change: &Change,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let mut sql = db.sql("UPDATE staff SET id = id");
    if let Some(name) = &change.display_name {
        sql.and(", display_name = ", name.as_str());
    }
    if let Some(lang) = &change.lang {
        sql.and(", lang = ", lang.as_str());
    }
    if let Some(role) = change.role {
        sql.and(", role = ", role.code());
    }
    match change.disabled {
        Some(true) => {
            sql.and(", disabled_at = coalesce(disabled_at, ", now).push(")");
        }
        Some(false) => {
            sql.push(", disabled_at = NULL");
        }
        None => {}
    }
    if let Some(hash) = &change.password_hash {
        sql.and(", password_hash = ", hash.as_str()).and(", password_changed_at = ", now);
    }
    sql.and(" WHERE id = ", id).and(" AND agency_id = ", agency_id).push(" RETURNING id");
    let mut statements = vec![sql];
    if change.disabled == Some(true) || change.password_hash.is_some() {
        let mut end = db.sql("DELETE FROM staff_sessions WHERE staff_id = ");
        end.bind(id);
        statements.push(end);
    }
    let results = db.transaction(statements).await?;
    Ok(results.first().is_some_and(|rows| !rows.is_empty()))
}
