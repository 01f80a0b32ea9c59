//! Early warnings: the five signs of co-destruction the agency wants to see before they become
//! a lost caregiver. Each is found by an indexed query and a little arithmetic here; each names
//! the records that raised it and its *evidence* (the newest fact behind it), so an
//! acknowledgement hides it only until newer evidence arrives.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use convivio_core::RecordId;
use convivio_core::factor::Factor;
use uuid::Uuid;

use super::queue::overdue;
use super::settings::Settings;
use crate::error::StoreResult;
use crate::storage::sql::Db;

macro_rules! rules {
    ($($variant:ident => $code:literal),+ $(,)?) => {
        /// The rules, in the order the page shows them. Serialised by their codes (the seed's
        /// report names them so).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Rule { $($variant),+ }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $(Rule::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<Rule> {
                match code { $($code => Some(Rule::$variant),)+ _ => None }
            }
        }
    };
}

rules! {
    // The last `trust_ratings` (3) trust scores of one caregiver about one subject fall by
    // `trust_drop` (2) or more.
    FallingTrust => "falling_trust",
    OverdueNeed => "overdue_need",
    RecurringFactor => "recurring_factor",
    UnansweredNotMet => "unanswered_not_met",
    SilentDevice => "silent_device",
}

/// Tagged times of one series (a factor's, a caregiver's), oldest first.
type Times = Vec<(DateTime<Utc>, RecordId)>;
/// A trust rating as the rule reads it: entry, when, score.
type Rated = (RecordId, DateTime<Utc>, i64);

/// One warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub rule: Rule,
    /// What it is about, stable across evidence (`caregiver:ID:subject`, `need:ID`, ...).
    pub subject: String,
    /// The newest fact behind it; an acknowledgement holds for this evidence only.
    pub evidence: String,
    pub caregiver_id: Option<Uuid>,
    pub caregiver_name: Option<String>,
    /// The entries that raised it, oldest first.
    pub entries: Vec<RecordId>,
    pub detail: Detail,
}

/// What the page says about a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    FallingTrust { about: String, from: i64, to: i64 },
    OverdueNeed { due: DateTime<Utc> },
    RecurringFactor { factor: Factor, times: usize, about: Option<String> },
    UnansweredNotMet { since: DateTime<Utc> },
    SilentDevice { device: Uuid, since: DateTime<Utc> },
}

/// An acknowledgement as shown beside a warning that came back (or for the record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    pub rule: String,
    pub subject: String,
    pub evidence: String,
    pub note: String,
    pub staff_name: String,
    pub acked_at: DateTime<Utc>,
}

/// Every warning of the agency as of `now`, acknowledged ones left out.
pub async fn current<D: Db>(
    db: &D,
    agency_id: Uuid,
    settings: &Settings,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Warning>> {
    // The rules read different indexes: on a pool they run side by side.
    let (falling, overdue, recurring, unanswered, silent, acks) = tokio::try_join!(
        falling_trust(db, agency_id, settings, now),
        overdue_needs(db, agency_id, settings, now),
        recurring_factors(db, agency_id, settings, now),
        unanswered_not_met(db, agency_id, settings, now),
        silent_devices(db, agency_id, settings, now),
        acks(db, agency_id),
    )?;
    let mut all: Vec<Warning> =
        [falling, overdue, recurring, unanswered, silent].into_iter().flatten().collect();
    all.retain(|w| {
        !acks.iter().any(|a| a.rule == w.rule.code() && a.subject == w.subject && a.evidence == w.evidence)
    });
    Ok(all)
}

async fn falling_trust<D: Db>(
    db: &D,
    agency_id: Uuid,
    s: &Settings,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Warning>> {
    let n = s.trust_ratings.max(2) as usize;
    let horizon = now - Duration::days(i64::from(s.horizon_days));
    // One ordered pass over the covering index records_trust_series, every series newest
    // first, and the rule checked here on each series' newest `n`. Aggregating in the database
    // (the scores of a series joined into a string, or numbered by a window) cost three to
    // four times the scan, as both backends sort each group again for an ordered aggregate.
    let mut sql = db.sql(
        "SELECT r.caregiver_id, r.subject, r.id, r.occurred_at, r.score FROM records r WHERE r.agency_id = ",
    );
    sql.bind(agency_id).push(
        " AND r.entry_kind = 'trust' ORDER BY r.caregiver_id, r.subject, r.occurred_at DESC, r.id DESC",
    );
    let rows = db.query(sql).await?;
    // Falling series: (caregiver, subject) and their last `n` ratings, oldest first.
    let mut falling: Vec<((Uuid, String), Vec<Rated>)> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let key = (rows[i].uuid(0)?, rows[i].str(1)?);
        let mut end = i + 1;
        while end < rows.len() && rows[end].uuid(0)? == key.0 && rows[end].str(1)? == key.1 {
            end += 1;
        }
        if end - i >= n && rows[i].time(3)? >= horizon {
            let newest = rows[i].int(4)?;
            let oldest = rows[i + n - 1].int(4)?;
            if oldest - newest >= i64::from(s.trust_drop) {
                let mut last: Vec<Rated> = rows[i..i + n]
                    .iter()
                    .map(|r| Ok((RecordId::from_uuid(r.uuid(2)?), r.time(3)?, r.int(4)?)))
                    .collect::<StoreResult<_>>()?;
                last.reverse();
                falling.push(((key.0, key.1.to_owned()), last));
            }
        }
        i = end;
    }
    let names = caregiver_names(db, falling.iter().map(|((c, _), _)| *c)).await?;
    let labels = subject_labels(db, falling.iter().filter_map(|(_, r)| r.last().map(|r| r.0))).await?;
    let mut out = Vec::new();
    for ((caregiver, subject), ratings) in falling {
        let (Some(first), Some(last)) = (ratings.first(), ratings.last()) else { continue };
        let about = labels.get(&last.0).filter(|l| !l.is_empty()).cloned().unwrap_or_else(|| subject.clone());
        out.push(Warning {
            rule: Rule::FallingTrust,
            subject: format!("caregiver:{caregiver}:{subject}"),
            evidence: last.0.to_string(),
            caregiver_id: Some(caregiver),
            caregiver_name: Some(names.get(&caregiver).cloned().unwrap_or_default()),
            entries: ratings.iter().map(|r| r.0).collect(),
            detail: Detail::FallingTrust { about, from: first.2, to: last.2 },
        });
    }
    Ok(out)
}

async fn overdue_needs<D: Db>(
    db: &D,
    agency_id: Uuid,
    s: &Settings,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Warning>> {
    let mut sql = db.sql("SELECT r.id, r.caregiver_id, c.display_name, r.urgency, r.recorded_at, r.reply_due_at FROM records r JOIN caregivers c ON c.id = r.caregiver_id WHERE r.agency_id = ");
    sql.bind(agency_id).push(" AND ");
    overdue(&mut sql, s, now);
    sql.push(" ORDER BY r.recorded_at, r.id");
    let mut out = Vec::new();
    for r in db.query(sql).await? {
        let urgency = convivio_core::need::Urgency::from_code(&r.text(3)?)
            .unwrap_or(convivio_core::need::Urgency::Medium);
        let due = s.reply_due(urgency, r.time(4)?, r.opt_time(5)?);
        let id = RecordId::from_uuid(r.uuid(0)?);
        out.push(Warning {
            rule: Rule::OverdueNeed,
            subject: format!("need:{id}"),
            evidence: due.to_rfc3339(),
            caregiver_id: Some(r.uuid(1)?),
            caregiver_name: Some(r.text(2)?),
            entries: vec![id],
            detail: Detail::OverdueNeed { due },
        });
    }
    Ok(out)
}

/// The first run of `repeats` times within `window`, newest such run: its entries.
fn run_within(
    times: &[(DateTime<Utc>, RecordId)],
    repeats: usize,
    window: Duration,
) -> Option<Vec<RecordId>> {
    if repeats == 0 || times.len() < repeats {
        return None;
    }
    (0..=times.len() - repeats)
        .rev()
        .find(|&i| times[i + repeats - 1].0 - times[i].0 <= window)
        .map(|i| times[i..i + repeats].iter().map(|t| t.1).collect())
}

async fn recurring_factors<D: Db>(
    db: &D,
    agency_id: Uuid,
    s: &Settings,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Warning>> {
    let (repeats, window) = (s.factor_repeats as usize, Duration::days(i64::from(s.factor_days)));
    if repeats == 0 {
        return Ok(Vec::new());
    }
    // Lean rows from one covering index (record_factors_destruction); the runs are found here, and
    // only the warnings' caregivers' names and services' labels are read after.
    let mut sql = db.sql(
        "SELECT f.record_id, f.factor, f.caregiver_id, f.occurred_at, f.subject FROM record_factors f
         WHERE f.agency_id = ",
    );
    // `co_destruction` written in, not bound: the index holds those rows alone, and a plan
    // made for any bound value could not use it.
    sql.bind(agency_id)
        .push(" AND f.co_destruction")
        .and(" AND f.occurred_at >= ", now - Duration::days(i64::from(s.horizon_days)))
        .push(" ORDER BY f.occurred_at, f.record_id");
    let rows = db.query(sql).await?;
    let mut by_caregiver: BTreeMap<(Uuid, String), Times> = BTreeMap::new();
    let mut by_service: BTreeMap<(String, String), Times> = BTreeMap::new();
    for r in &rows {
        let (id, factor, at) = (RecordId::from_uuid(r.uuid(0)?), r.text(1)?, r.time(3)?);
        by_caregiver.entry((r.uuid(2)?, factor.clone())).or_default().push((at, id));
        if let Some(subject) = r.opt_text(4)?.filter(|s| s.starts_with("service:")) {
            by_service.entry((subject, factor)).or_default().push((at, id));
        }
    }
    let by_caregiver: Vec<_> = by_caregiver
        .into_iter()
        .filter_map(|(key, times)| run_within(&times, repeats, window).map(|run| (key, run)))
        .collect();
    // With the group's first entry: the service is named as that entry wrote it.
    let by_service: Vec<_> = by_service
        .into_iter()
        .filter_map(|(key, times)| Some((key, times.first()?.1, run_within(&times, repeats, window)?)))
        .collect();
    let names = caregiver_names(db, by_caregiver.iter().map(|((c, _), _)| *c)).await?;
    let labels = subject_labels(db, by_service.iter().map(|(_, first, _)| *first)).await?;

    let mut out = Vec::new();
    for ((caregiver, factor), entries) in by_caregiver {
        let Some(code) = Factor::from_code(&factor) else { continue };
        out.push(Warning {
            rule: Rule::RecurringFactor,
            subject: format!("caregiver:{caregiver}:{factor}"),
            evidence: entries.last().map(ToString::to_string).unwrap_or_default(),
            caregiver_id: Some(caregiver),
            caregiver_name: Some(names.get(&caregiver).cloned().unwrap_or_default()),
            detail: Detail::RecurringFactor { factor: code, times: entries.len(), about: None },
            entries,
        });
    }
    for ((service, factor), first, entries) in by_service {
        let Some(code) = Factor::from_code(&factor) else { continue };
        let label = labels.get(&first).cloned().unwrap_or_default();
        out.push(Warning {
            rule: Rule::RecurringFactor,
            subject: format!("{service}:{factor}"),
            evidence: entries.last().map(ToString::to_string).unwrap_or_default(),
            caregiver_id: None,
            caregiver_name: None,
            detail: Detail::RecurringFactor { factor: code, times: entries.len(), about: Some(label) },
            entries,
        });
    }
    Ok(out)
}

/// The display names of `caregivers`.
async fn caregiver_names<D: Db>(
    db: &D,
    caregivers: impl Iterator<Item = Uuid>,
) -> StoreResult<BTreeMap<Uuid, String>> {
    let ids: Vec<Uuid> = caregivers.collect();
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let mut sql = db.sql("SELECT id, display_name FROM caregivers WHERE id IN ");
    sql.bind_list(ids);
    db.query(sql).await?.iter().map(|r| Ok((r.uuid(0)?, r.text(1)?))).collect()
}

/// The subject labels of entries `ids`.
async fn subject_labels<D: Db>(
    db: &D,
    ids: impl Iterator<Item = RecordId>,
) -> StoreResult<BTreeMap<RecordId, String>> {
    let ids: Vec<RecordId> = ids.collect();
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let mut sql = db.sql("SELECT id, subject_label FROM records WHERE id IN ");
    sql.bind_list(ids);
    db.query(sql)
        .await?
        .iter()
        .map(|r| Ok((RecordId::from_uuid(r.uuid(0)?), r.opt_text(1)?.unwrap_or_default())))
        .collect()
}

async fn unanswered_not_met<D: Db>(
    db: &D,
    agency_id: Uuid,
    s: &Settings,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Warning>> {
    let mut sql = db.sql("SELECT r.id, r.caregiver_id, c.display_name, r.need_status_at FROM records r JOIN caregivers c ON c.id = r.caregiver_id WHERE r.agency_id = ");
    sql.bind(agency_id)
        .push(" AND r.entry_kind = 'need' AND r.need_status = 'not_met' AND (r.last_reply_at IS NULL OR r.last_reply_at < r.need_status_at)")
        .and(" AND r.need_status_at >= ", now - Duration::days(i64::from(s.horizon_days)))
        .push(" ORDER BY r.need_status_at, r.id");
    let mut out = Vec::new();
    for r in db.query(sql).await? {
        let id = RecordId::from_uuid(r.uuid(0)?);
        let since = r.time(3)?;
        out.push(Warning {
            rule: Rule::UnansweredNotMet,
            subject: format!("need:{id}"),
            evidence: since.to_rfc3339(),
            caregiver_id: Some(r.uuid(1)?),
            caregiver_name: Some(r.text(2)?),
            entries: vec![id],
            detail: Detail::UnansweredNotMet { since },
        });
    }
    Ok(out)
}

async fn silent_devices<D: Db>(
    db: &D,
    agency_id: Uuid,
    s: &Settings,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Warning>> {
    let cutoff = now - Duration::days(i64::from(s.silent_days));
    let mut sql = db.sql(
        "SELECT d.id, d.caregiver_id, c.display_name, coalesce(d.last_sync_at, d.enrolled_at) FROM devices d
         JOIN caregivers c ON c.id = d.caregiver_id WHERE c.agency_id = ",
    );
    sql.bind(agency_id)
        .push(" AND d.revoked_at IS NULL AND coalesce(d.last_sync_at, d.enrolled_at) < ")
        .bind(cutoff)
        .push(" ORDER BY 4, d.id");
    let mut out = Vec::new();
    for r in db.query(sql).await? {
        let device = r.uuid(0)?;
        let since = r.time(3)?;
        out.push(Warning {
            rule: Rule::SilentDevice,
            subject: format!("device:{device}"),
            evidence: since.to_rfc3339(),
            caregiver_id: Some(r.uuid(1)?),
            caregiver_name: Some(r.text(2)?),
            entries: Vec::new(),
            detail: Detail::SilentDevice { device, since },
        });
    }
    Ok(out)
}

pub async fn acks<D: Db>(db: &D, agency_id: Uuid) -> StoreResult<Vec<Ack>> {
    let mut sql = db.sql("SELECT w.rule, w.subject, w.evidence, w.note, s.display_name, w.acked_at FROM warning_acks w JOIN staff s ON s.id = w.staff_id WHERE w.agency_id = ");
    sql.bind(agency_id).push(" ORDER BY w.acked_at DESC");
    db.query(sql)
        .await?
        .iter()
        .map(|r| {
            Ok(Ack {
                rule: r.text(0)?,
                subject: r.text(1)?,
                evidence: r.text(2)?,
                note: r.text(3)?,
                staff_name: r.text(4)?,
                acked_at: r.time(5)?,
            })
        })
        .collect()
}

/// Acknowledges a warning for its present evidence, with the member's note.
pub async fn acknowledge<D: Db>(
    db: &D,
    agency_id: Uuid,
    staff_id: Uuid,
    warning: &Warning,
    note: &str,
    now: DateTime<Utc>,
    audit: crate::storage::sql::Sql,
) -> StoreResult<()> {
    let mut sql = db.sql(
        "INSERT INTO warning_acks (agency_id, rule, subject, evidence, note, staff_id, acked_at) VALUES (",
    );
    sql.bind(agency_id)
        .push(", ")
        .bind(warning.rule.code())
        .push(", ")
        .bind(warning.subject.as_str())
        .push(", ")
        .bind(warning.evidence.as_str())
        .push(", ")
        .bind(note)
        .push(", ")
        .bind(staff_id)
        .push(", ")
        .bind(now)
        .push(
            ") ON CONFLICT (agency_id, rule, subject) DO UPDATE SET evidence = excluded.evidence, note = excluded.note,
               staff_id = excluded.staff_id, acked_at = excluded.acked_at",
        );
    db.transaction(vec![sql, audit]).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(days: i64) -> (DateTime<Utc>, RecordId) {
        (DateTime::from_timestamp(0, 0).unwrap() + Duration::days(days), RecordId::new())
    }

    #[test]
    fn three_in_thirty_days_is_a_run_and_three_in_forty_is_not() {
        let close = [at(0), at(12), at(29)];
        assert_eq!(run_within(&close, 3, Duration::days(30)).map(|r| r.len()), Some(3));
        let spread = [at(0), at(20), at(40)];
        assert_eq!(run_within(&spread, 3, Duration::days(30)), None);
        let two = [at(0), at(1)];
        assert_eq!(run_within(&two, 3, Duration::days(30)), None);
        let later = [at(0), at(50), at(60), at(70)];
        assert_eq!(
            run_within(&later, 3, Duration::days(30)).unwrap(),
            vec![later[1].1, later[2].1, later[3].1]
        );
    }
}
