//! Opening the encrypted database: key, pragmas, migrations.

use std::path::Path;

use rusqlite::{Connection, ErrorCode, OpenFlags};
use rusqlite_migration::{M, Migrations};

use crate::error::{DiaryError, Result};
use crate::key::{DbKey, KeyPragma};

/// The device schema, one SQL file per version, embedded at build time. Never edit a file
/// that has shipped; add the next one.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/device/0001_init.sql"),
    include_str!("../../../migrations/device/0002_settings.sql"),
    include_str!("../../../migrations/device/0003_sync.sql"),
    include_str!("../../../migrations/device/0004_protocol2.sql"),
];

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// The schema version this build writes.
pub fn latest_version() -> usize {
    MIGRATIONS.len()
}

/// Opens (or, with `create`, creates) the database file with `key`, checks the key, sets the
/// pragmas and brings the schema up to date.
pub fn open(path: &Path, key: &DbKey, create: bool) -> Result<Connection> {
    initialise_sqlcipher();
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let mut conn = Connection::open_with_flags(path, flags)?;
    // A wrong passphrase is an expected event, reported as an error value; keep SQLCipher
    // from also printing it to stderr.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    conn.execute_batch(&key.pragma(KeyPragma::Key))?;
    // The first read decrypts page 1: a wrong key fails here, before anything is written.
    if let Err(e) = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        return Err(match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => DiaryError::WrongPassphrase,
            _ => e.into(),
        });
    }
    // WAL for concurrent reads during a sync; FULL so a save that returned survives power
    // loss; temp data in memory so nothing unencrypted spills to disk.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// Finishes SQLite's and SQLCipher's process-wide set-up before the first key is given.
///
/// SQLite marks itself initialised and lets go of its lock before it runs SQLCipher's set-up
/// (`SQLITE_EXTRA_INIT`), so another thread opening a database in that gap finds SQLCipher not
/// ready and its `PRAGMA key` fails. The first open happens here, on one thread, while every
/// other opener waits; only then does any connection get a key. (`tests/first_open.rs`)
fn initialise_sqlcipher() {
    static READY: std::sync::Once = std::sync::Once::new();
    // Opening any database runs the set-up to its end on this thread. Should that fail, the
    // real open that follows fails too, with its own error, so nothing is lost by dropping it.
    READY.call_once(|| drop(Connection::open_in_memory()));
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let on_disk: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let on_disk = on_disk.max(0) as usize;
    if on_disk > latest_version() {
        return Err(DiaryError::Damaged(format!(
            "schema version {on_disk} is newer than this app knows ({}); update Convivio",
            latest_version()
        )));
    }
    migrations().to_latest(conn).map_err(|e| DiaryError::Damaged(format!("schema upgrade failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }
}
