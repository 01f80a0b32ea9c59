//! The link to the agency's server, kept in the encrypted diary (`sync_state`): where the
//! server is, who this device is to it, how far both sides got, and what the caregiver is told.
//!
//! The token sits inside the SQLCipher file like the diary text: whoever can read it can also
//! read the diary, and nobody else can. `Debug` never prints it.

use std::fmt;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use uuid::Uuid;

use crate::Diary;
use crate::clock::utc_now;
use crate::error::{DiaryError, Result};

/// Changes per request for a newly enrolled diary: 1,000 ordinary entries in two requests.
pub const DEFAULT_BATCH: u32 = 500;
/// The batch never shrinks below one change nor grows past this.
pub const MIN_BATCH: u32 = 1;
pub const MAX_BATCH: u32 = convivio_core::sync::MAX_BATCH_CHANGES;

/// Whether the server still accepts this device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Active,
    /// Staff revoked the device (401 with code `revoked`).
    Revoked,
    /// The server does not know the token (401).
    Unauthorized,
}

impl Standing {
    fn code(self) -> &'static str {
        match self {
            Standing::Active => "active",
            Standing::Revoked => "revoked",
            Standing::Unauthorized => "unauthorized",
        }
    }

    fn from_code(code: &str) -> Result<Standing> {
        match code {
            "active" => Ok(Standing::Active),
            "revoked" => Ok(Standing::Revoked),
            "unauthorized" => Ok(Standing::Unauthorized),
            other => Err(DiaryError::Damaged(format!("unknown sync standing '{other}'"))),
        }
    }
}

/// The stored link, as the sync client needs it.
#[derive(Clone, PartialEq, Eq)]
pub struct Link {
    pub server_url: String,
    pub device_id: Uuid,
    token: String,
    pub agency_name: String,
    pub cursor: u64,
    pub acked_seq: u64,
    pub batch_size: u32,
    pub standing: Standing,
    /// The server epoch of the last answer (`None` before the first sync of protocol 2).
    pub server_epoch: Option<String>,
}

impl Link {
    /// The bearer token. Never log it.
    pub fn token(&self) -> &str {
        &self.token
    }
}

impl fmt::Debug for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Link")
            .field("server_url", &self.server_url)
            .field("device_id", &self.device_id)
            .field("token", &"<redacted>")
            .field("cursor", &self.cursor)
            .field("acked_seq", &self.acked_seq)
            .field("batch_size", &self.batch_size)
            .field("standing", &self.standing)
            .field("server_epoch", &self.server_epoch)
            .finish()
    }
}

/// What the app shows about sync: the caregiver must always see when the agency last got their
/// entries and what is still waiting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    /// `not_enrolled`, `active`, `revoked` or `unauthorized`.
    pub state: &'static str,
    pub revoked: bool,
    pub server_url: Option<String>,
    pub agency_name: Option<String>,
    pub device_id: Option<Uuid>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// Changes waiting to be sent (the outbox).
    pub waiting: u64,
    /// A stable code for the app to translate, and the same in plain English.
    pub last_error_code: Option<String>,
    pub last_error: Option<String>,
    pub batch_size: Option<u32>,
    /// Changes the server refused, oldest first: kept here, never silently dropped.
    pub refused: Vec<RefusedChange>,
}

impl SyncStatus {
    /// One or two sentences for a person.
    pub fn describe(&self) -> String {
        let waiting = match self.waiting {
            0 => "nothing is waiting to be sent".to_owned(),
            1 => "1 change is waiting to be sent".to_owned(),
            n => format!("{n} changes are waiting to be sent"),
        };
        let agency = self.agency_name.as_deref().unwrap_or("the agency");
        let last = match self.last_success_at {
            Some(t) => format!("last synced {}", t.format("%Y-%m-%d %H:%M UTC")),
            None => "never synced yet".to_owned(),
        };
        let head = match self.state {
            "not_enrolled" => {
                "not connected to an agency; enrol with the code the agency gave you".to_owned()
            }
            "revoked" => {
                format!("{agency} has disconnected this device; ask them for a new code and enrol again")
            }
            "unauthorized" => {
                format!(
                    "{agency}'s server no longer recognises this device; ask for a new code and enrol again"
                )
            }
            _ => format!("connected to {agency}; {last}"),
        };
        let refused = match self.refused.len() {
            0 => String::new(),
            1 => "; 1 change was refused by the agency's server and stays only on this device".to_owned(),
            n => format!("; {n} changes were refused by the agency's server and stay only on this device"),
        };
        match (&self.last_error, self.state) {
            (Some(error), "active") => format!("{head}; {waiting}{refused}; last try failed: {error}"),
            _ => format!("{head}; {waiting}{refused}"),
        }
    }
}

fn time(raw: Option<String>) -> Result<Option<DateTime<Utc>>> {
    raw.map(|t| {
        DateTime::parse_from_rfc3339(&t)
            .map(|t| t.to_utc())
            .map_err(|e| DiaryError::Damaged(format!("sync time: {e}")))
    })
    .transpose()
}

/// Reads the link, if the diary is enrolled.
pub(crate) fn load(conn: &Connection) -> Result<Option<Link>> {
    let row = conn
        .query_row(
            "SELECT server_url, device_id, token, agency_name, cursor, acked_seq, batch_size, standing,
                    server_epoch
             FROM sync_state WHERE id = 1",
            [],
            |r| {
                Ok((
                    (r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?),
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            },
        )
        .optional()?;
    let Some(((server_url, device, token), agency_name, cursor, acked, batch, standing, server_epoch)) = row
    else {
        return Ok(None);
    };
    Ok(Some(Link {
        server_url,
        device_id: Uuid::parse_str(&device).map_err(|e| DiaryError::Damaged(format!("device id: {e}")))?,
        token,
        agency_name,
        cursor: cursor as u64,
        acked_seq: acked as u64,
        batch_size: (batch as u32).clamp(MIN_BATCH, MAX_BATCH),
        standing: Standing::from_code(&standing)?,
        server_epoch,
    }))
}

/// A change the agency's server refused: the record stays in the diary; the caregiver is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusedChange {
    pub record_id: String,
    pub record_kind: String,
    /// `not_yours`, `kind_not_allowed`, `invalid` or `no_parent` (core's `RefusalCode`).
    pub code: String,
    /// The server's reason, in English.
    pub message: String,
    pub refused_at: DateTime<Utc>,
}

fn refused_changes(conn: &Connection) -> Result<Vec<RefusedChange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT record_id, record_kind, code, message, refused_at FROM refusals ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?))
    })?;
    rows.map(|row| {
        let (record_id, record_kind, code, message, at) = row?;
        let refused_at = time(Some(at))?.unwrap_or_else(utc_now);
        Ok(RefusedChange { record_id, record_kind, code, message, refused_at })
    })
    .collect()
}

impl Diary {
    /// The link to the agency, or [`DiaryError::NotEnrolled`].
    pub fn sync_link(&self) -> Result<Link> {
        load(&self.conn)?.ok_or(DiaryError::NotEnrolled)
    }

    /// Where sync stands, for the app and `convivio status`.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let waiting = self.outbox_len()?;
        let row = self
            .conn
            .query_row(
                "SELECT server_url, agency_name, device_id, standing, batch_size, last_success_at,
                        last_attempt_at, last_error_code, last_error FROM sync_state WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, Option<String>>(6)?,
                        r.get::<_, Option<String>>(7)?,
                        r.get::<_, Option<String>>(8)?,
                    ))
                },
            )
            .optional()?;
        let Some((url, agency, device, standing, batch, success, attempt, code, error)) = row else {
            return Ok(SyncStatus {
                state: "not_enrolled",
                revoked: false,
                server_url: None,
                agency_name: None,
                device_id: None,
                last_success_at: None,
                last_attempt_at: None,
                waiting,
                last_error_code: None,
                last_error: None,
                batch_size: None,
                refused: refused_changes(&self.conn)?,
            });
        };
        let standing = Standing::from_code(&standing)?;
        Ok(SyncStatus {
            state: standing.code(),
            revoked: standing == Standing::Revoked,
            server_url: Some(url),
            agency_name: Some(agency),
            device_id: Uuid::parse_str(&device).ok(),
            last_success_at: time(success)?,
            last_attempt_at: time(attempt)?,
            waiting,
            last_error_code: code,
            last_error: error,
            batch_size: Some(batch as u32),
            refused: refused_changes(&self.conn)?,
        })
    }

    /// Records a failed attempt in plain words (and, for 401/403, that the server no longer
    /// accepts this device). Changes nothing else: the outbox, cursor and ack stay as they are.
    pub fn record_sync_failure(
        &mut self,
        code: &str,
        message: &str,
        standing: Option<Standing>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE sync_state SET last_attempt_at = ?1, last_error_code = ?2, last_error = ?3,
                    standing = coalesce(?4, standing) WHERE id = 1",
            params![utc_now().to_rfc3339(), code, message, standing.map(Standing::code)],
        )?;
        Ok(())
    }

    /// Stores the batch size the link supports, kept within bounds; returns what was stored.
    pub fn set_sync_batch_size(&mut self, size: u32) -> Result<u32> {
        let size = size.clamp(MIN_BATCH, MAX_BATCH);
        self.conn.execute("UPDATE sync_state SET batch_size = ?1 WHERE id = 1", [size])?;
        Ok(size)
    }
}
