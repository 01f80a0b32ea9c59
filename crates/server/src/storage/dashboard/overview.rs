//! The agency overview for a period: factor tags by month (co-destruction and co-creation),
//! trust by subject and month, needs by category and outcome, and how long needs waited for
//! their first reply and for their resolution. Aggregates over the readable columns, each query
//! an index range on the agency and the period.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::StoreResult;
use crate::storage::sql::{Db, Sql};

/// From `from` (included) to `until` (excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

fn in_period(sql: &mut Sql, column: &str, period: Period) {
    sql.and(&format!(" AND {column} >= "), period.from).and(&format!(" AND {column} < "), period.until);
}

/// Factor tags of one month, by polarity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub co_destruction: i64,
    pub co_creation: i64,
}

/// How often a factor was tagged in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactorCount {
    /// The factor's code (the page shows its label).
    pub factor: String,
    pub co_destruction: bool,
    pub count: i64,
}

/// The period's factor tags, counted two ways.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    /// By month and polarity, months without tags left out.
    pub by_month: Vec<TagMonth>,
    /// Every factor tagged, most frequent first.
    pub factors: Vec<FactorCount>,
}

/// The tags of entries that happened in the period: one pass over `record_factors_period`
/// (grouped by month, polarity and factor) gives both counts.
pub async fn tags<D: Db>(db: &D, agency_id: Uuid, period: Period) -> StoreResult<Tags> {
    let mut sql = db.sql("SELECT ");
    sql.month("f.occurred_at")
        .push(", f.co_destruction, f.factor, count(*) FROM record_factors f WHERE f.agency_id = ");
    sql.bind(agency_id);
    in_period(&mut sql, "f.occurred_at", period);
    // No ORDER BY: PostgreSQL then groups in a hash table instead of sorting every tag first
    // (half the time); the few groups are ordered here.
    sql.push(" GROUP BY 1, 2, 3");
    let mut months: BTreeMap<String, TagMonth> = BTreeMap::new();
    let mut factors: BTreeMap<(String, bool), i64> = BTreeMap::new();
    for row in db.query(sql).await? {
        let month = row.text(0)?;
        let co_destruction = row.bool(1)?;
        let count = row.int(3)?;
        *factors.entry((row.text(2)?, co_destruction)).or_default() += count;
        let this =
            months.entry(month.clone()).or_insert(TagMonth { month, co_destruction: 0, co_creation: 0 });
        if co_destruction {
            this.co_destruction += count;
        } else {
            this.co_creation += count;
        }
    }
    let by_month = months.into_values().collect();
    let mut factors: Vec<FactorCount> = factors
        .into_iter()
        .map(|((factor, co_destruction), count)| FactorCount { factor, co_destruction, count })
        .collect();
    // Most frequent first, then by code (the order the map gave ties).
    factors.sort_by_key(|f| std::cmp::Reverse(f.count));
    Ok(Tags { by_month, factors })
}

/// The mean trust score of one subject in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustMonth {
    /// The subject's key (columns.rs `Subject`): `agency`, `service:<name>`, ...
    pub subject: String,
    /// A service's or professional's name as written; empty for the agency or research team.
    pub label: String,
    pub month: String,
    pub mean: f64,
    pub ratings: i64,
}

/// Trust ratings given in the period, by subject and month.
pub async fn trust_by_month<D: Db>(db: &D, agency_id: Uuid, period: Period) -> StoreResult<Vec<TrustMonth>> {
    let mut sql = db.sql("SELECT r.subject, max(r.subject_label), ");
    sql.month("r.occurred_at")
        // PostgreSQL averages integers as numeric, which the shared row reader does not take:
        // a cast both backends accept (SQLite gives the name REAL affinity).
        .push(", CAST(avg(r.score) AS DOUBLE PRECISION), count(*) FROM records r WHERE r.agency_id = ")
        .bind(agency_id)
        .push(" AND r.score IS NOT NULL AND r.entry_kind = 'trust'");
    in_period(&mut sql, "r.occurred_at", period);
    // Ordered here, not in SQL: see `tags`.
    sql.push(" GROUP BY 1, 3");
    let mut months = db
        .query(sql)
        .await?
        .iter()
        .map(|r| {
            Ok(TrustMonth {
                subject: r.text(0)?,
                label: r.opt_text(1)?.unwrap_or_default(),
                month: r.text(2)?,
                mean: r.opt_float(3)?.unwrap_or(0.0),
                ratings: r.int(4)?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    months.sort_by(|a, b| (&a.subject, &a.month).cmp(&(&b.subject, &b.month)));
    Ok(months)
}

/// How many needs of one category ended up in one status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedCount {
    pub category: String,
    /// The need's status now (`open` ... `not_met`).
    pub status: String,
    pub count: i64,
}

/// Needs written down in the period, by category and current status.
pub async fn needs<D: Db>(db: &D, agency_id: Uuid, period: Period) -> StoreResult<Vec<NeedCount>> {
    let mut sql = db.sql(
        "SELECT r.need_category, coalesce(r.need_status, 'open'), count(*) FROM records r WHERE r.agency_id = ",
    );
    sql.bind(agency_id).push(" AND r.entry_kind = 'need'");
    in_period(&mut sql, "r.recorded_at", period);
    // Ordered here, not in SQL: see `tags`.
    sql.push(" GROUP BY 1, 2");
    let mut counts = db
        .query(sql)
        .await?
        .iter()
        .map(|r| {
            Ok(NeedCount {
                category: r.opt_text(0)?.unwrap_or_default(),
                status: r.text(1)?,
                count: r.int(2)?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    counts.sort_by(|a, b| (&a.category, &a.status).cmp(&(&b.category, &b.status)));
    Ok(counts)
}

/// One need's waits, in seconds from its recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waits {
    pub month: String,
    /// Until the first staff reply, if there was one.
    pub first_reply: Option<i64>,
    /// Until it was marked met or not met, if it was.
    pub resolution: Option<i64>,
}

/// The waits of every need written down in the period that had a reply or an end (a need with
/// neither has not waited for anything yet that can be measured).
pub async fn waits<D: Db>(db: &D, agency_id: Uuid, period: Period) -> StoreResult<Vec<Waits>> {
    let mut sql = db.sql("SELECT ");
    sql.month("r.recorded_at").push(", ");
    sql.seconds_between("r.recorded_at", "r.first_reply_at");
    sql.push(", CASE WHEN r.need_status IN ('met', 'not_met') THEN ");
    sql.seconds_between("r.recorded_at", "r.need_status_at");
    sql.push(" END FROM records r WHERE r.agency_id = ")
        .bind(agency_id)
        .push(" AND r.entry_kind = 'need'")
        .push(" AND (r.first_reply_at IS NOT NULL OR r.need_status IN ('met', 'not_met'))");
    in_period(&mut sql, "r.recorded_at", period);
    db.query(sql)
        .await?
        .iter()
        .map(|r| Ok(Waits { month: r.text(0)?, first_reply: r.opt_int(1)?, resolution: r.opt_int(2)? }))
        .collect()
}

/// The median of `values` (the mean of the middle two for an even count), `None` for none.
pub fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2 })
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn the_median_is_the_middle_value_or_the_mean_of_the_middle_two() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5]), Some(5));
        assert_eq!(median(&mut [9, 1, 5]), Some(5));
        assert_eq!(median(&mut [10, 2, 4, 8]), Some(6));
    }
}
