//! Choosing the backend from the database URL and running the HTTP server.
//!
//! The URL is read once; each branch calls the same generic code with a concrete store, so the
//! whole server is monomorphised per backend (no dynamic dispatch on the hot path). The same
//! router is served over plain HTTP or, with a certificate, over HTTPS (tokio-rustls), by one
//! accept loop with the connection limits of [`crate::serve`]; both stop gracefully through
//! [`Running::stop`].

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use crate::config::Config;
use crate::serve::ConnLimits;
use crate::storage::Store;
use crate::storage::postgres::PgStore;
use crate::storage::sqlite::SqliteStore;

/// A database URL, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DbUrl {
    pub fn parse(url: &str) -> anyhow::Result<DbUrl> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                bail!("db: sqlite:// needs a file path, such as sqlite://./data/convivio.db");
            }
            Ok(DbUrl::Sqlite(PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbUrl::Postgres(url.to_owned()))
        } else {
            bail!(
                "db: must start with sqlite:// or postgres:// (got '{}')",
                url.split("://").next().unwrap_or(url)
            )
        }
    }
}

/// Either backend, opened and migrated.
#[derive(Debug, Clone)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

pub async fn open(url: &str) -> anyhow::Result<AnyStore> {
    let store = match DbUrl::parse(url)? {
        DbUrl::Sqlite(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            }
            let store =
                SqliteStore::open(&path).await.with_context(|| format!("opening {}", path.display()))?;
            store.migrate().await.context("migrating the SQLite database")?;
            AnyStore::Sqlite(store)
        }
        DbUrl::Postgres(url) => {
            let store = PgStore::connect(&url).await.context("connecting to PostgreSQL")?;
            store.migrate().await.context("migrating the PostgreSQL database")?;
            AnyStore::Postgres(store)
        }
    };
    Ok(store)
}

/// A server running in this process (tests and `serve`).
#[derive(Debug)]
pub struct Running {
    pub addr: SocketAddr,
    tls: bool,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// The base URL: `https://ADDR` when serving TLS, else `http://ADDR`.
    pub fn url(&self) -> String {
        format!("{}://{}", if self.tls { "https" } else { "http" }, self.addr)
    }

    /// Stops accepting, lets requests in flight finish, and waits.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.await.context("the server task failed")?.context("the server failed")
    }

    /// Waits until the server ends (it ends on Ctrl-C or SIGTERM when started by `serve`).
    pub async fn wait(self) -> anyhow::Result<()> {
        self.task.await.context("the server task failed")?.context("the server failed")
    }
}

/// Binds `config.listen` (port 0 picks a free port: see `Running::addr`) and serves, over HTTPS
/// when `tls_cert` and `tls_key` are set (see [`crate::tls`]), else over plain HTTP.
pub async fn spawn<S: Store>(store: S, config: Config) -> anyhow::Result<Running> {
    // Certificate problems are reported before the port is taken.
    let tls = crate::tls::load(config.tls_cert.as_deref(), config.tls_key.as_deref())?;
    let listener =
        TcpListener::bind(config.listen).await.with_context(|| format!("listening on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let limits = ConnLimits::from_config(&config.limits);
    let app = crate::api::router(store, config);
    let (tx, rx) = oneshot::channel::<()>();
    let stopping = async move {
        tokio::select! {
            _ = rx => {}
            _ = shutdown_signal() => {}
        }
    };
    let acceptor = tls.clone().map(TlsAcceptor::from);
    let task = tokio::spawn(crate::serve::serve(listener, acceptor, app, limits, stopping));
    Ok(Running { addr, tls: tls.is_some(), shutdown: Some(tx), task })
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_choose_the_backend() {
        assert_eq!(DbUrl::parse("sqlite://./data/c.db").unwrap(), DbUrl::Sqlite("./data/c.db".into()));
        assert!(matches!(DbUrl::parse("postgres://u@h/db").unwrap(), DbUrl::Postgres(_)));
        assert!(DbUrl::parse("mysql://x").unwrap_err().to_string().contains("sqlite:// or postgres://"));
        assert!(DbUrl::parse("sqlite://").is_err());
    }

    #[tokio::test]
    async fn half_a_tls_configuration_is_refused_naming_the_missing_option() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("s.db")).await.unwrap();
        let config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            tls_cert: Some("cert.pem".into()),
            ..Config::default()
        };
        let err = spawn(store, config).await.unwrap_err();
        assert!(err.to_string().starts_with("tls_key is missing"), "{err}");
    }
}
