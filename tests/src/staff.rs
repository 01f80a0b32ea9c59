//! The agency's side of a [`World`]: what staff write for a caregiver (replies, need status
//! changes, read receipts) and what the server holds, through its storage layer, as the staff
//! dashboard will.

use chrono::Utc;
use convivio_core::{Record, RecordId};
use convivio_server::admin;
use convivio_server::startup::AnyStore;
use convivio_server::storage::{Merged, StaffRole, Store};
use uuid::Uuid;

use crate::sync_world::{AGENCY, World};

impl World {
    /// A staff member of the agency; returns their id.
    pub async fn staff(&self, username: &str) -> Uuid {
        async fn make<S: Store>(store: &S, username: &str) -> Uuid {
            let agency = admin::agency(store, AGENCY).await.unwrap_or_else(|e| panic!("the agency: {e}"));
            let staff = store.create_staff(agency.id, username, "$argon2id$stub", StaffRole::Staff).await;
            staff.unwrap_or_else(|e| panic!("a staff member: {e}")).id
        }
        match &*self.store.read().await {
            AnyStore::Sqlite(s) => make(s, username).await,
            AnyStore::Postgres(s) => make(s, username).await,
        }
    }

    /// Writes `record` on the agency's side, addressed to `caregiver`.
    pub async fn put_for(&self, caregiver: Uuid, record: &Record) -> Merged {
        async fn put<S: Store>(store: &S, caregiver: Uuid, record: &Record) -> Merged {
            let agency = admin::agency(store, AGENCY).await.unwrap_or_else(|e| panic!("the agency: {e}"));
            let merged = store.put_agency_record(agency.id, Some(caregiver), record, Utc::now()).await;
            merged.unwrap_or_else(|e| panic!("writing a {}: {e}", record.kind()))
        }
        match &*self.store.read().await {
            AnyStore::Sqlite(s) => put(s, caregiver, record).await,
            AnyStore::Postgres(s) => put(s, caregiver, record).await,
        }
    }

    /// The current version of record `id` on the server.
    pub async fn record(&self, id: RecordId) -> Option<Record> {
        async fn read<S: Store>(store: &S, id: RecordId) -> Option<Record> {
            let agency = admin::agency(store, AGENCY).await.unwrap_or_else(|e| panic!("the agency: {e}"));
            store.record(agency.id, id).await.unwrap_or_else(|e| panic!("reading {id}: {e}"))
        }
        match &*self.store.read().await {
            AnyStore::Sqlite(s) => read(s, id).await,
            AnyStore::Postgres(s) => read(s, id).await,
        }
    }
}
