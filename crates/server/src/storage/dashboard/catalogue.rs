//! The agency's service catalogue as its admins edit it: every item, withdrawn ones too, as
//! stored (the current version of each). Items are written back through
//! [`crate::storage::Store::put_agency_record`], so devices pull every change.

use convivio_core::catalogue::CatalogueItem;
use convivio_core::{Record, RecordId};
use uuid::Uuid;

use crate::error::StoreResult;
use crate::storage::sql::Db;

/// Every item of the agency's catalogue, active ones first, then by name.
pub async fn list<D: Db>(db: &D, agency_id: Uuid) -> StoreResult<Vec<CatalogueItem>> {
    let mut sql = db.sql("SELECT ");
    sql.body("body")
        .and(" FROM records WHERE agency_id = ", agency_id)
        .push(" AND caregiver_id IS NULL AND kind = 'catalogue_item'");
    let mut items: Vec<CatalogueItem> = db
        .query(sql)
        .await?
        .iter()
        .filter_map(|r| match r.json::<Record>(0) {
            Ok(Record::CatalogueItem(item)) => Some(Ok(item)),
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        })
        .collect::<StoreResult<_>>()?;
    items.sort_by(|a, b| {
        b.active
            .cmp(&a.active)
            .then_with(|| a.name.as_str().to_lowercase().cmp(&b.name.as_str().to_lowercase()))
    });
    Ok(items)
}

/// One item of the agency's catalogue.
pub async fn get<D: Db>(db: &D, agency_id: Uuid, id: RecordId) -> StoreResult<Option<CatalogueItem>> {
    let mut sql = db.sql("SELECT ");
    sql.body("body")
        .and(" FROM records WHERE agency_id = ", agency_id)
        .and(" AND id = ", id)
        .push(" AND caregiver_id IS NULL AND kind = 'catalogue_item'");
    match db.query(sql).await?.first() {
        Some(row) => match row.json::<Record>(0)? {
            Record::CatalogueItem(item) => Ok(Some(item)),
            _ => Ok(None),
        },
        None => Ok(None),
    }
}
