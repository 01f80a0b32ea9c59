//! The timeline: entries newest first, filtered, paged by keyset.
//!
//! Keyset paging (a cursor holding the last row's sort key) rather than OFFSET: a page costs the
//! same on a 100,000-entry diary as on a new one, and an entry added while paging never makes a
//! row appear twice.

use chrono::NaiveDate;
use convivio_core::entry::{Entry, EntryKind};
use convivio_core::factor::Factor;
use convivio_core::{Invalid, Rule, Sharing};
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use crate::Diary;
use crate::error::{Result, damaged};
use crate::journey::Journey;

pub const DEFAULT_PAGE: u32 = 50;
pub const MAX_PAGE: u32 = 500;

/// A timeline request as the edges send it. Every filter is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineQuery {
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub factor: Option<String>,
    /// First local date to include, `YYYY-MM-DD`.
    #[serde(default)]
    pub from: Option<String>,
    /// Last local date to include, `YYYY-MM-DD`.
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub sharing: Option<String>,
    /// `next_cursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub limit: Option<u32>,
}

/// One page of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelinePage {
    pub entries: Vec<TimelineEntry>,
    /// Pass back as `cursor` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// An entry as the timeline shows it: the entry's own fields, and `journey` beside them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEntry {
    #[serde(flatten)]
    pub entry: Entry,
    pub journey: Journey,
}

/// The sort key of the last row shown: occurred time (ms) and id.
#[derive(Debug, Clone, PartialEq)]
struct Cursor {
    occurred_utc: i64,
    id: String,
}

impl Cursor {
    fn encode(&self) -> String {
        format!("{}_{}", self.occurred_utc, self.id)
    }

    fn decode(raw: &str) -> Result<Cursor, Invalid> {
        let bad = || {
            Invalid::new(
                "cursor",
                Rule::BadFormat,
                "is not a cursor from a previous page; start again without one",
            )
        };
        let (ms, id) = raw.split_once('_').ok_or_else(bad)?;
        let occurred_utc = ms.parse().map_err(|_| bad())?;
        uuid::Uuid::parse_str(id).map_err(|_| bad())?;
        Ok(Cursor { occurred_utc, id: id.to_owned() })
    }
}

fn parse_day(field: &str, raw: &str) -> Result<NaiveDate, Invalid> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| Invalid::new(field, Rule::BadFormat, "must be a date such as 2026-11-28"))
}

/// The checked form of a query: a WHERE clause and its parameters.
fn plan(q: &TimelineQuery) -> Result<(String, Vec<Value>, u32), Invalid> {
    let mut clauses = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    if let Some(kind) = q.kind.as_deref().filter(|s| !s.trim().is_empty()) {
        params.push(Value::Text(EntryKind::parse("kind", kind)?.code().to_owned()));
        clauses.push(format!("e.kind = ?{}", params.len()));
    }
    if let Some(sharing) = q.sharing.as_deref().filter(|s| !s.trim().is_empty()) {
        params.push(Value::Text(Sharing::parse("sharing", sharing)?.code().to_owned()));
        clauses.push(format!("e.sharing = ?{}", params.len()));
    }
    if let Some(code) = q.factor.as_deref().filter(|s| !s.trim().is_empty()) {
        let factor = Factor::from_code(code.trim()).ok_or_else(|| {
            Invalid::new("factor", Rule::UnknownChoice, format!("unknown factor code '{}'", code.trim()))
        })?;
        params.push(Value::Text(factor.code().to_owned()));
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM entry_factors f WHERE f.factor = ?{} AND f.entry_rowid = e.rowid)",
            params.len()
        ));
    }
    let from =
        q.from.as_deref().filter(|s| !s.trim().is_empty()).map(|s| parse_day("from", s)).transpose()?;
    let to = q.to.as_deref().filter(|s| !s.trim().is_empty()).map(|s| parse_day("to", s)).transpose()?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(Invalid::new("to", Rule::Other, "must not be before from"));
    }
    if let Some(from) = from {
        params.push(Value::Text(from.to_string()));
        clauses.push(format!("e.occurred_date >= ?{}", params.len()));
    }
    if let Some(to) = to {
        params.push(Value::Text(to.to_string()));
        clauses.push(format!("e.occurred_date <= ?{}", params.len()));
    }
    if let Some(cursor) = q.cursor.as_deref().filter(|s| !s.trim().is_empty()) {
        let c = Cursor::decode(cursor.trim())?;
        params.push(Value::Integer(c.occurred_utc));
        let ms = params.len();
        params.push(Value::Text(c.id));
        let id = params.len();
        clauses.push(format!("(e.occurred_utc < ?{ms} OR (e.occurred_utc = ?{ms} AND e.id < ?{id}))"));
    }
    let limit = match q.limit {
        None => DEFAULT_PAGE,
        Some(n) if (1..=MAX_PAGE).contains(&n) => n,
        Some(_) => {
            return Err(Invalid::new(
                "limit",
                Rule::OutOfRange { min: 1, max: MAX_PAGE as i64 },
                format!("must be from 1 to {MAX_PAGE}"),
            ));
        }
    };
    let filter = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
    Ok((filter, params, limit))
}

impl Diary {
    /// One page of entries, newest first.
    pub fn timeline(&self, query: &TimelineQuery) -> Result<TimelinePage> {
        let (filter, mut params, limit) = plan(query)?;
        params.push(Value::Integer(i64::from(limit) + 1));
        let sql = format!(
            "SELECT e.occurred_utc, e.id, e.body FROM entries e {filter}
             ORDER BY e.occurred_utc DESC, e.id DESC LIMIT ?{}",
            params.len()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
        let mut entries: Vec<Entry> = Vec::with_capacity(limit as usize);
        let mut last = None;
        let mut more = false;
        for row in rows {
            let (ms, id, body) = row?;
            if entries.len() == limit as usize {
                more = true;
                break;
            }
            entries.push(serde_json::from_str(&body).map_err(damaged)?);
            last = Some(Cursor { occurred_utc: ms, id });
        }
        let next_cursor = if more { last.map(|c| c.encode()) } else { None };
        let journeys = self.journeys(&entries)?;
        let entries = entries
            .into_iter()
            .zip(journeys)
            .map(|(entry, journey)| TimelineEntry { entry, journey })
            .collect();
        Ok(TimelinePage { entries, next_cursor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips() {
        let c = Cursor { occurred_utc: 1_764_320_000_000, id: uuid::Uuid::now_v7().to_string() };
        assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
    }

    #[test]
    fn bad_filters_name_their_field() {
        let q = |f: fn(&mut TimelineQuery)| {
            let mut q = TimelineQuery::default();
            f(&mut q);
            plan(&q).unwrap_err().field
        };
        assert_eq!(q(|q| q.kind = Some("diary".into())), "kind");
        assert_eq!(q(|q| q.factor = Some("rude".into())), "factor");
        assert_eq!(q(|q| q.from = Some("yesterday".into())), "from");
        assert_eq!(q(|q| q.cursor = Some("garbage".into())), "cursor");
        assert_eq!(q(|q| q.limit = Some(0)), "limit");
        assert_eq!(
            q(|q| {
                q.from = Some("2026-11-02".into());
                q.to = Some("2026-11-01".into());
            }),
            "to"
        );
    }
}
