//! A PostgreSQL database of a test's own, created on the server named by `CONVIVIO_TEST_PG`
//! (default `postgres://postgres@127.0.0.1:5432/postgres`) and dropped when the test ends,
//! also when it fails. No server means a failing test that says why: never a silent skip.

use tokio_postgres::NoTls;
use uuid::Uuid;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

fn admin_url() -> String {
    std::env::var("CONVIVIO_TEST_PG").unwrap_or_else(|_| DEFAULT_URL.to_owned())
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let host_start = base.find("://").map_or(0, |i| i + 3);
    let base = base[host_start..].find('/').map_or(base, |i| &base[..host_start + i]);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Runs statements as the admin user, on a thread with its own runtime, so it works from
/// `Drop` and from inside or outside a test's runtime alike.
pub fn admin_execute(sql: String) -> Result<(), String> {
    on_server(admin_url(), sql)
}

/// The `--db` URL of database `name` on the test server.
pub fn url_of(name: &str) -> String {
    with_database(&admin_url(), name)
}

/// Whether database `name` exists on the test server (a benchmark keeps its own between runs).
pub fn database_exists(name: &str) -> bool {
    on_database(name, String::new()).is_ok()
}

/// Runs statements in database `name` on the test server.
pub fn on_database(name: &str, sql: String) -> Result<(), String> {
    on_server(url_of(name), sql)
}

fn on_server(url: String, sql: String) -> Result<(), String> {
    std::thread::spawn(move || {
        let runtime =
            tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&url, NoTls).await.map_err(|e| {
                let cause = std::error::Error::source(&e).map(|c| format!(": {c}")).unwrap_or_default();
                format!("{e}{cause}")
            })?;
            tokio::spawn(connection);
            client.batch_execute(&sql).await.map_err(|e| e.to_string())
        })
    })
    .join()
    .unwrap_or_else(|_| Err("the admin thread panicked".into()))
}

/// A new, empty database; dropped (with its connections) when this goes out of scope.
#[derive(Debug)]
pub struct TestDatabase {
    name: String,
    /// `postgres://...` for `convivio-server --db`.
    pub url: String,
}

impl TestDatabase {
    pub fn create() -> TestDatabase {
        let name = format!("convivio_sync_{}", Uuid::now_v7().simple());
        if let Err(e) = admin_execute(format!("CREATE DATABASE {name}")) {
            panic!(
                "PostgreSQL is not usable at {url} ({e}). These tests need a real server: run \
                 scripts/setup.sh (it installs and starts one), or set CONVIVIO_TEST_PG to a \
                 server where this user may CREATE DATABASE.",
                url = admin_url()
            );
        }
        let url = url_of(&name);
        TestDatabase { name, url }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Err(e) = admin_execute(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)) {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn a_database_name_replaces_the_one_in_the_url() {
        assert_eq!(with_database("postgres://u@h:5432/postgres", "t1"), "postgres://u@h:5432/t1");
        assert_eq!(with_database("postgres://u@h", "t1"), "postgres://u@h/t1");
        assert_eq!(with_database("postgres://u:p@h/db?x=1", "t1"), "postgres://u:p@h/t1?x=1");
    }
}
