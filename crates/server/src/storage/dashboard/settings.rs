//! Agency settings the dashboard honours: default expected-reply times by urgency and the
//! early-warning thresholds. Stored as one JSON object per agency; a missing key is the default,
//! so a new setting needs no migration.

use chrono::{DateTime, Duration, Utc};
use convivio_core::need::Urgency;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::StoreResult;
use crate::storage::sql::Db;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Hours from a need's recording to its expected reply, by urgency.
    pub reply_hours_high: u32,
    pub reply_hours_medium: u32,
    pub reply_hours_low: u32,
    /// Falling trust: a drop of at least this many points ...
    pub trust_drop: u32,
    /// ... across this many of a caregiver's latest ratings of one subject.
    pub trust_ratings: u32,
    /// Recurring co-destruction: this many tags of one factor ...
    pub factor_repeats: u32,
    /// ... within this many days.
    pub factor_days: u32,
    /// A device silent for more than this many days.
    pub silent_days: u32,
    /// Warnings look at evidence this many days back.
    pub horizon_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            reply_hours_high: 24,
            reply_hours_medium: 72,
            reply_hours_low: 168,
            trust_drop: 2,
            trust_ratings: 3,
            factor_repeats: 3,
            factor_days: 30,
            silent_days: 14,
            horizon_days: 180,
        }
    }
}

impl Settings {
    pub fn reply_time(&self, urgency: Urgency) -> Duration {
        let hours = match urgency {
            Urgency::High => self.reply_hours_high,
            Urgency::Medium => self.reply_hours_medium,
            Urgency::Low => self.reply_hours_low,
        };
        Duration::hours(i64::from(hours))
    }

    /// When a need recorded at `recorded_at` should have had a reply: the date staff set, or
    /// the agency's default for its urgency.
    pub fn reply_due(
        &self,
        urgency: Urgency,
        recorded_at: DateTime<Utc>,
        set: Option<DateTime<Utc>>,
    ) -> DateTime<Utc> {
        set.unwrap_or(recorded_at + self.reply_time(urgency))
    }
}

pub async fn get<D: Db>(db: &D, agency_id: Uuid) -> StoreResult<Settings> {
    let mut sql = db.sql("SELECT ");
    sql.body("settings").and(" FROM agency_settings WHERE agency_id = ", agency_id);
    match db.query(sql).await?.first() {
        Some(row) => row.json(0),
        None => Ok(Settings::default()),
    }
}

pub async fn set<D: Db>(db: &D, agency_id: Uuid, settings: &Settings) -> StoreResult<()> {
    let json =
        serde_json::to_string(settings).map_err(|e| crate::error::StoreError::Database(e.to_string()))?;
    let mut sql = db.sql("INSERT INTO agency_settings (agency_id, settings) VALUES (");
    sql.bind(agency_id).push(", ").bind(json);
    if db.dialect() == crate::storage::sql::Dialect::Postgres {
        sql.push("::jsonb");
    }
    sql.push(") ON CONFLICT (agency_id) DO UPDATE SET settings = excluded.settings");
    db.transaction(vec![sql]).await?;
    Ok(())
}
