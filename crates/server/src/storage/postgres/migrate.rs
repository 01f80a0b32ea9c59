//! A small versioned migration runner for PostgreSQL.
//!
//! Each migration runs in its own transaction and is recorded in `schema_migrations` in that
//! same transaction, so it is applied entirely or not at all. Replicas starting together
//! serialise on a session advisory lock, taken on a dedicated connection that is closed at the
//! end: whatever happens, closing it releases the lock (a pooled connection could go back to
//! the pool still holding it).

use tokio_postgres::Client;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::{Fail, PgResult};
use crate::error::{StoreError, StoreResult};

/// The schema, one file per version, embedded at build time. Never edit one that has shipped.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../../../../../migrations/server/postgres/0001_init.sql")),
    (2, include_str!("../../../../../migrations/server/postgres/0002_deferred_change_ids.sql")),
    (3, include_str!("../../../../../migrations/server/postgres/0003_rounds_parents_epoch.sql")),
    (4, include_str!("../../../../../migrations/server/postgres/0004_dashboard.sql")),
    (5, include_str!("../../../../../migrations/server/postgres/0005_dashboard_indexes.sql")),
    (6, include_str!("../../../../../migrations/server/postgres/0006_overview_counts.sql")),
    (7, include_str!("../../../../../migrations/server/postgres/0007_entry_search.sql")),
    (8, include_str!("../../../../../migrations/server/postgres/0008_feed.sql")),
    (9, include_str!("../../../../../migrations/server/postgres/0009_search_terms.sql")),
    (10, include_str!("../../../../../migrations/server/postgres/0010_warning_indexes.sql")),
];

/// The advisory lock key: "convivio" in ASCII, so it is recognisable in `pg_locks`.
const LOCK_KEY: i64 = 0x636f_6e76_6976_696f;

pub(super) async fn run(config: &tokio_postgres::Config, tls: MakeRustlsConnect) -> StoreResult<()> {
    let (mut client, connection) = config.connect(tls).await?;
    let driver = tokio::spawn(connection);
    let result = migrate(&mut client).await;
    drop(client);
    // The connection ends once the client is gone; waiting makes sure the lock is released.
    if let Ok(Err(e)) = driver.await {
        tracing::debug!(error = %e, "the migration connection closed with an error");
    }
    result.map_err(StoreError::from)
}

async fn migrate(client: &mut Client) -> PgResult<()> {
    client.execute("SELECT pg_advisory_lock($1)", &[&LOCK_KEY]).await?;
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version    integer PRIMARY KEY,
                 applied_at timestamptz NOT NULL DEFAULT now()
             )",
        )
        .await?;
    let newest: Option<i32> =
        client.query_one("SELECT max(version) FROM schema_migrations", &[]).await?.get(0);
    let known = MIGRATIONS.last().map_or(0, |(v, _)| *v);
    if let Some(newest) = newest.filter(|n| *n > known) {
        return Err(Fail::Store(StoreError::Database(format!(
            "the database has schema version {newest}, newer than this server knows ({known}); \
             run a newer convivio-server"
        ))));
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| newest.is_none_or(|n| *v > n)) {
        let tx = client.transaction().await?;
        tx.batch_execute(sql).await?;
        tx.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[version]).await?;
        tx.commit().await?;
        tracing::info!(version = *version, "applied a PostgreSQL migration");
    }
    client.execute("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY]).await?;
    Ok(())
}
