//! Reading a seeded population back through the feed: a new device per caregiver pulls
//! everything the caregiver's other devices pushed and everything staff addressed to them.

use std::collections::BTreeMap;

use convivio_core::{Record, RecordId};
use convivio_server::storage::Store;
use uuid::Uuid;

use crate::fixtures::{device, pull_all};

/// Every caregiver's records (their own and staff's), catalogue left out. Enrols a reader
/// device for each caregiver, so take `stats` before.
pub async fn population<S: Store>(store: &S) -> BTreeMap<Uuid, Vec<Record>> {
    let stats = store.stats().await.unwrap();
    let mut caregivers: Vec<Uuid> = stats.device_syncs.iter().map(|d| d.caregiver_id).collect();
    caregivers.sort();
    caregivers.dedup();
    let mut population = BTreeMap::new();
    for id in caregivers {
        let caregiver = store.caregiver(id).await.unwrap().unwrap();
        let reader = device(store, &caregiver).await;
        let (records, _) = pull_all(store, &reader, 0, 500).await;
        let own: Vec<Record> =
            records.into_iter().filter(|r| !matches!(r, Record::CatalogueItem(_))).collect();
        population.insert(id, own);
    }
    population
}

/// Every record by id, with the owner's id (made by the store, so random) blanked out.
pub fn contents(population: &BTreeMap<Uuid, Vec<Record>>) -> BTreeMap<RecordId, serde_json::Value> {
    population
        .values()
        .flatten()
        .map(|r| {
            let mut json = serde_json::to_value(r).unwrap();
            json["owner"]["id"] = serde_json::json!(Uuid::nil());
            (r.id(), json)
        })
        .collect()
}
