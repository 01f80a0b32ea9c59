//! The per-device feed and agency-scoped reads, in PostgreSQL.

use convivio_core::{Record, RecordId};
use deadpool_postgres::Client;
use uuid::Uuid;

use super::PgResult;
use super::records::to_i64;
use crate::error::StoreError;
use crate::storage::page::fits;
use crate::storage::{Device, Pulled};

/// A page of the feed. Why the cursor it hands back never steps over a change, now that ids are
/// given after the commit ([`super::stamp`]):
///
/// - A row waiting for its id has change id 0, and the feed reads `change_id > cursor >= 0`:
///   committed or not, it is not in any page, and the cursor says nothing about it. When it is
///   stamped it gets an id above the counter as it was, so above every cursor handed out so
///   far.
/// - Ids are only given under the counter row's lock, by one transaction at a time, each of
///   which advances the counter and commits before the next can take the lock. So if this
///   snapshot sees the counter at `c`, the transactions that gave the ids up to `c` have all
///   committed before it: every row numbered `<= c` is visible here. Without `more` the cursor
///   is `c`; with `more` it is the id of the last row returned, which is `<= c`.
///
/// A record that was in the feed and is rewritten leaves the feed (id 0) until stamped again:
/// a device that pages meanwhile only gets the new version a little later, never misses it.
///
/// The byte budget is applied in the query too: a running sum of the JSON's length leaves out
/// every row that starts past `max_bytes`, so a page of large records does not bring the whole
/// `limit` over the wire to throw most of it away. The first row past the budget still comes
/// (it starts within it, or it is the second row, after a first that fills the page alone), so
/// the loop below knows there is more.
pub(super) async fn pull(
    client: &Client,
    device: &Device,
    cursor: u64,
    limit: u32,
    max_bytes: usize,
) -> PgResult<Pulled> {
    let limit = limit.max(1);
    // One statement, so the counter and the page come from one snapshot (see `Pulled::cursor`).
    let statement = client
        .prepare_cached(
            "SELECT a.change_counter, p.change_id, p.body
             FROM agencies a LEFT JOIN LATERAL (
                 SELECT change_id, body,
                        sum(octet_length(body)) OVER (ORDER BY change_id) - octet_length(body) AS before,
                        row_number() OVER (ORDER BY change_id) AS n
                 FROM (
                     (SELECT f.change_id, r.body::text AS body FROM feed f JOIN records r ON r.id = f.record_id
                      WHERE f.caregiver_id = $2 AND f.change_id > $4 AND f.origin_device_id IS DISTINCT FROM $3
                      ORDER BY f.change_id LIMIT $5)
                     UNION ALL
                     (SELECT f.change_id, r.body::text FROM feed f JOIN records r ON r.id = f.record_id
                      WHERE f.agency_id = $1 AND f.caregiver_id IS NULL AND f.change_id > $4
                      ORDER BY f.change_id LIMIT $5)
                 ) u
             ) p ON true
             WHERE a.id = $1 AND (p.change_id IS NULL OR p.before <= $6 OR p.n <= 2)
             ORDER BY p.change_id LIMIT $5",
        )
        .await?;
    let fetch = i64::from(limit) + 1;
    let rows = client
        .query(
            &statement,
            &[
                &device.agency_id,
                &device.caregiver_id,
                &device.id,
                &to_i64("cursor", cursor)?,
                &fetch,
                &i64::try_from(max_bytes).unwrap_or(i64::MAX),
            ],
        )
        .await?;
    let counter: i64 = rows
        .first()
        .ok_or_else(|| StoreError::NotFound { kind: "agency", id: device.agency_id.to_string() })?
        .get(0);
    let mut records = Vec::new();
    let (mut last, mut bytes) = (cursor, 0usize);
    let mut more = false;
    for row in &rows {
        let (Some(change_id), Some(body)): (Option<i64>, Option<&str>) = (row.get(1), row.get(2)) else {
            break;
        };
        if !fits(records.len(), limit, bytes, body.len(), max_bytes) {
            more = true;
            break;
        }
        records.push(parse_body(body)?);
        bytes += body.len();
        last = change_id.unsigned_abs();
    }
    let cursor = if more { last } else { counter.unsigned_abs() };
    Ok(Pulled { records, cursor, more })
}

fn parse_body(body: &str) -> PgResult<Record> {
    serde_json::from_str(body)
        .map_err(|e| StoreError::Database(format!("a stored record is unreadable: {e}")).into())
}

pub(super) async fn record(client: &Client, agency_id: Uuid, id: RecordId) -> PgResult<Option<Record>> {
    let sql = "SELECT body::text FROM records WHERE id = $1 AND agency_id = $2";
    let row = client.query_opt(sql, &[id.as_uuid(), &agency_id]).await?;
    row.map(|r| parse_body(r.get(0))).transpose()
}

pub(super) async fn history(client: &Client, agency_id: Uuid, id: RecordId) -> PgResult<Vec<Record>> {
    let sql = "SELECT h.body::text FROM history h JOIN records r ON r.id = h.record_id
               WHERE h.record_id = $1 AND r.agency_id = $2 ORDER BY h.version";
    let rows = client.query(sql, &[id.as_uuid(), &agency_id]).await?;
    rows.iter().map(|r| parse_body(r.get(0))).collect()
}
