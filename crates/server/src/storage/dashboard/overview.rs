//! The agency overview for a period of whole months: factor tags by month (co-destruction and
//! co-creation), trust by subject and month, needs by category and outcome, and how long needs
//! waited for their first reply and for their resolution.
//!
//! The counts come from `overview_counts`, which triggers keep by month as records change
//! (migrations/server/sqlite/0005_overview_counts.sql): a year of a large agency is a few
//! hundred rows there, against some 40,000 tags, ratings and needs to count afresh. The waits
//! are medians, which no running count gives, so they are read need by need.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use uuid::Uuid;

use crate::error::StoreResult;
use crate::storage::sql::{Db, Dialect};

/// A UTC month as a position, years × 12 + month − 1, so that months can be counted and
/// stepped through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(pub i32);

impl Month {
    /// The month of a day.
    pub fn of(date: NaiveDate) -> Month {
        Month(date.year() * 12 + date.month0() as i32)
    }

    /// A month written `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Month> {
        NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d").ok().map(Month::of)
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0.div_euclid(12), self.0.rem_euclid(12) as u32 + 1, 1)
            .unwrap_or(NaiveDate::MIN)
    }

    /// Midnight UTC at its start: the database groups by UTC month too, so a period's edges and
    /// its months agree (an hour off the agency's local midnight at most).
    pub fn start(self) -> DateTime<Utc> {
        self.first_day().and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
    }

    /// `YYYY-MM`, as the database writes months.
    pub fn label(self) -> String {
        self.first_day().format("%Y-%m").to_string()
    }
}

/// The whole months from `first` to `last`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: Month,
    pub last: Month,
}

impl Period {
    /// The start of the first month.
    pub fn from(self) -> DateTime<Utc> {
        self.first.start()
    }

    /// The start of the month after the last.
    pub fn until(self) -> DateTime<Utc> {
        Month(self.last.0 + 1).start()
    }
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

/// How many needs of one category ended up in one status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedCount {
    pub category: String,
    /// The need's status now (`open` ... `not_met`).
    pub status: String,
    pub count: i64,
}

/// The period's counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Tags of entries that happened in the period.
    pub tags: Tags,
    /// Trust ratings given in the period, by subject and month.
    pub trust: Vec<TrustMonth>,
    /// Needs written down in the period, by category and current status.
    pub needs: Vec<NeedCount>,
}

/// One counted row: measure, month, keys, n and total.
type Counted = (String, String, String, String, i64, i64);

/// The period's counts, in one read of `overview_counts` (and, on PostgreSQL, of the deltas its
/// stamper has not folded in yet).
pub async fn counts<D: Db>(db: &D, agency_id: Uuid, period: Period) -> StoreResult<Counts> {
    let mut sql = db.sql("SELECT c.measure, c.month, c.key1, c.key2, CAST(sum(c.n) AS BIGINT), ");
    sql.push("CAST(sum(c.total) AS BIGINT) FROM (");
    let tables: &[&str] = match db.dialect() {
        Dialect::Sqlite => &["overview_counts"],
        Dialect::Postgres => &["overview_counts", "overview_deltas"],
    };
    for (i, table) in tables.iter().enumerate() {
        if i > 0 {
            sql.push(" UNION ALL ");
        }
        sql.push(&format!("SELECT measure, month, key1, key2, n, total FROM {table} WHERE agency_id = "))
            .bind(agency_id)
            .and(" AND month >= ", period.first.label())
            .and(" AND month <= ", period.last.label());
    }
    // Ordered here, not in SQL: PostgreSQL then groups in a hash table.
    sql.push(") c GROUP BY 1, 2, 3, 4 HAVING sum(c.n) <> 0");
    let rows = db
        .query(sql)
        .await?
        .iter()
        .map(|r| Ok((r.text(0)?, r.text(1)?, r.text(2)?, r.text(3)?, r.int(4)?, r.int(5)?)))
        .collect::<StoreResult<Vec<Counted>>>()?;
    Ok(Counts {
        tags: tags(rows.iter().filter(|r| r.0 == "tag")),
        trust: trust(rows.iter().filter(|r| r.0 == "trust")),
        needs: needs(rows.iter().filter(|r| r.0 == "need")),
    })
}

/// Tags by month and polarity, and by factor (key1 the factor, key2 its polarity).
fn tags<'a>(rows: impl Iterator<Item = &'a Counted>) -> Tags {
    let mut months: BTreeMap<&str, TagMonth> = BTreeMap::new();
    let mut factors: BTreeMap<(&str, bool), i64> = BTreeMap::new();
    for (_, month, factor, polarity, n, _) in rows {
        let co_destruction = polarity == "co_destruction";
        *factors.entry((factor, co_destruction)).or_default() += n;
        let this = months.entry(month).or_insert_with(|| TagMonth {
            month: month.clone(),
            co_destruction: 0,
            co_creation: 0,
        });
        if co_destruction {
            this.co_destruction += n;
        } else {
            this.co_creation += n;
        }
    }
    let mut factors: Vec<FactorCount> = factors
        .into_iter()
        .map(|((factor, co_destruction), count)| FactorCount {
            factor: factor.to_owned(),
            co_destruction,
            count,
        })
        .collect();
    // Most frequent first, then by code (the order the map gave ties).
    factors.sort_by_key(|f| std::cmp::Reverse(f.count));
    Tags { by_month: months.into_values().collect(), factors }
}

/// Mean trust by subject and month (key1 the subject, key2 a label it was written with: the
/// greatest names the subject, as the same subject may be spelled with other capitals).
fn trust<'a>(rows: impl Iterator<Item = &'a Counted>) -> Vec<TrustMonth> {
    let mut months: BTreeMap<(&str, &str), (&str, i64, i64)> = BTreeMap::new();
    for (_, month, subject, label, n, total) in rows {
        let this = months.entry((subject, month)).or_insert((label, 0, 0));
        this.0 = this.0.max(label.as_str());
        this.1 += n;
        this.2 += total;
    }
    months
        .into_iter()
        .map(|((subject, month), (label, ratings, total))| TrustMonth {
            subject: subject.to_owned(),
            label: label.to_owned(),
            month: month.to_owned(),
            mean: total as f64 / ratings as f64,
            ratings,
        })
        .collect()
}

/// Needs by category and current status over the whole period (key1, key2).
fn needs<'a>(rows: impl Iterator<Item = &'a Counted>) -> Vec<NeedCount> {
    let mut counts: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for (_, _, category, status, n, _) in rows {
        *counts.entry((category, status)).or_default() += n;
    }
    counts
        .into_iter()
        .map(|((category, status), count)| NeedCount {
            category: category.to_owned(),
            status: status.to_owned(),
            count,
        })
        .collect()
}

/// One need's waits, in seconds from its recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waits {
    /// The month it was recorded in.
    pub month: Month,
    /// Until the first staff reply, if there was one.
    pub first_reply: Option<i64>,
    /// Until it was marked met or not met, if it was.
    pub resolution: Option<i64>,
}

/// The waits of every need written down in the period that had a reply or an end (a need with
/// neither has not waited for anything yet that can be measured).
///
/// The database gives the times as stored and the months and seconds are worked out here: a
/// large agency has tens of thousands of such needs in a year, and PostgreSQL's `to_char` and
/// interval arithmetic on each of them took three times as long as reading them.
pub async fn waits<D: Db>(db: &D, agency_id: Uuid, period: Period) -> StoreResult<Vec<Waits>> {
    let mut sql = db.sql("SELECT r.recorded_at, r.first_reply_at, ");
    sql.push("CASE WHEN r.need_status IN ('met', 'not_met') THEN r.need_status_at END");
    sql.push(" FROM records r WHERE r.agency_id = ")
        .bind(agency_id)
        .push(" AND r.entry_kind = 'need'")
        .push(" AND (r.first_reply_at IS NOT NULL OR r.need_status IN ('met', 'not_met'))");
    sql.and(" AND r.recorded_at >= ", period.from()).and(" AND r.recorded_at < ", period.until());
    db.query(sql)
        .await?
        .iter()
        .map(|r| {
            let recorded = r.time(0)?;
            let since = |at: Option<DateTime<Utc>>| at.map(|at| (at - recorded).num_seconds());
            Ok(Waits {
                month: Month::of(recorded.date_naive()),
                first_reply: since(r.opt_time(1)?),
                resolution: since(r.opt_time(2)?),
            })
        })
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
