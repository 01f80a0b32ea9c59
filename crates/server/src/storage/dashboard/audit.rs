//! The append-only audit log: who did what to which record, when, never the content. The
//! database refuses updates and deletes (triggers in the migrations).

use chrono::{DateTime, Utc};
use convivio_core::RecordId;
use serde::Serialize;
use uuid::Uuid;

use crate::error::StoreResult;
use crate::storage::sql::{Db, Sql};

macro_rules! actions {
    ($($variant:ident => $code:literal),+ $(,)?) => {
        /// What was done. Codes are stored; labels are the dashboard's (`audit-action-<code>`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Action { $($variant),+ }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $(Action::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<Action> {
                match code { $($code => Some(Action::$variant),)+ _ => None }
            }
        }
    };
}

actions! {
    SignIn => "sign_in",
    SignInFailed => "sign_in_failed",
    SignOut => "sign_out",
    EntryRead => "entry_read",
    Reply => "reply",
    NeedStatus => "need_status",
    ReplyDue => "reply_due",
    CaregiverCreated => "caregiver_created",
    Enrolment => "enrolment",
    CodeRevoked => "code_revoked",
    DeviceRevoked => "device_revoked",
    StaffCreated => "staff_created",
    StaffChanged => "staff_changed",
    PasswordChanged => "password_changed",
    CatalogueChanged => "catalogue_changed",
    WarningAcknowledged => "warning_acknowledged",
    SettingsChanged => "settings_changed",
}

/// One line. `detail` is a code-like note ("role=admin", "status=not_met"), never free text
/// that could carry a diary's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub agency_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    /// The actor's username (for a failed sign-in: the name tried, cut to 64 characters).
    pub actor: String,
    pub action: Action,
    pub caregiver_id: Option<Uuid>,
    pub record_id: Option<RecordId>,
    pub target_id: Option<String>,
    pub detail: Option<String>,
}

impl Line {
    pub fn new(agency_id: Option<Uuid>, actor_id: Option<Uuid>, actor: &str, action: Action) -> Line {
        Line {
            agency_id,
            actor_id,
            actor: actor.chars().take(64).collect(),
            action,
            caregiver_id: None,
            record_id: None,
            target_id: None,
            detail: None,
        }
    }
}

/// The statement that appends `line`, to run inside the transaction of what it records.
pub fn insert<D: Db>(db: &D, line: &Line, now: DateTime<Utc>) -> Sql {
    let mut sql = db.sql(
        "INSERT INTO audit_log (at, agency_id, actor_id, actor, action, caregiver_id, record_id, target_id, detail)
         VALUES (",
    );
    sql.bind(now)
        .push(", ")
        .bind(line.agency_id)
        .push(", ")
        .bind(line.actor_id)
        .push(", ")
        .bind(line.actor.as_str())
        .push(", ")
        .bind(line.action.code())
        .push(", ")
        .bind(line.caregiver_id)
        .push(", ")
        .bind(line.record_id)
        .push(", ")
        .bind(line.target_id.clone())
        .push(", ")
        .bind(line.detail.clone())
        .push(")");
    sql
}

pub async fn append<D: Db>(db: &D, line: &Line, now: DateTime<Utc>) -> StoreResult<()> {
    db.transaction(vec![insert(db, line, now)]).await?;
    Ok(())
}

/// A line as the admin's audit page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub caregiver_id: Option<Uuid>,
    pub caregiver_name: Option<String>,
    pub record_id: Option<Uuid>,
    pub target_id: Option<String>,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub caregiver_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    pub action: Option<Action>,
    /// Lines older than this id (keyset paging, newest first).
    pub before: Option<i64>,
}

pub async fn list<D: Db>(db: &D, agency_id: Uuid, filter: &Filter, limit: u32) -> StoreResult<Vec<Shown>> {
    let mut sql = db.sql(
        "SELECT l.id, l.at, l.actor, l.action, l.caregiver_id, c.display_name, l.record_id, l.target_id, l.detail
         FROM audit_log l LEFT JOIN caregivers c ON c.id = l.caregiver_id WHERE l.agency_id = ",
    );
    sql.bind(agency_id);
    if let Some(c) = filter.caregiver_id {
        sql.and(" AND l.caregiver_id = ", c);
    }
    if let Some(a) = filter.actor_id {
        sql.and(" AND l.actor_id = ", a);
    }
    if let Some(action) = filter.action {
        sql.and(" AND l.action = ", action.code());
    }
    if let Some(before) = filter.before {
        sql.and(" AND l.id < ", before);
    }
    sql.and(" ORDER BY l.id DESC LIMIT ", i64::from(limit));
    db.query(sql)
        .await?
        .iter()
        .map(|r| {
            Ok(Shown {
                id: r.int(0)?,
                at: r.time(1)?,
                actor: r.text(2)?,
                action: r.text(3)?,
                caregiver_id: r.opt_uuid(4)?,
                caregiver_name: r.opt_text(5)?,
                record_id: r.opt_uuid(6)?,
                target_id: r.opt_text(7)?,
                detail: r.opt_text(8)?,
            })
        })
        .collect()
}
