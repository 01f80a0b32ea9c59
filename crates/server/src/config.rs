//! Server configuration, layered: built-in defaults, then a TOML file, then `CONVIVIO_*`
//! environment variables (`CONVIVIO_LISTEN`, `CONVIVIO_DB`, `CONVIVIO_LIMITS__MAX_BODY_BYTES`,
//! ...), then command-line flags. Nothing secret lives here, so the whole config may be printed.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::client_addr::Cidr;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `sqlite://PATH` or `postgres://...`.
    pub db: String,
    pub listen: SocketAddr,
    /// PEM certificate chain and private key: with both, the server speaks HTTPS (rustls); with
    /// neither, plain HTTP, for loopback or behind a TLS-terminating proxy; one alone is an error.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// Proxies (addresses or networks, such as `["127.0.0.1", "10.0.0.0/8"]`) whose
    /// `X-Forwarded-For` names the client for throttling; see `client_addr.rs`. Empty: the TCP
    /// peer is the client, whatever the request says.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trusted_proxies: Vec<Cidr>,
    pub limits: Limits,
    pub enrolment: Enrolment,
    #[serde(default)]
    pub staff: StaffConfig,
}

/// The staff dashboard's sessions and sign-in throttling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StaffConfig {
    /// The server is reached over HTTPS through a proxy that terminates TLS: session cookies
    /// are then `Secure` although this server speaks plain HTTP. (With `tls_cert` they always are.)
    pub behind_tls_proxy: bool,
    /// A session with no request for this many minutes ends.
    pub idle_timeout_mins: u64,
    /// A session ends this many hours after sign-in, however active.
    pub session_hours: u64,
    /// Wrong passwords for one username within `sign_in_window_secs` before it is locked.
    pub sign_in_failures: u32,
    /// Failed sign-ins from one client address within the window before it is locked.
    pub address_failures: u32,
    pub sign_in_window_secs: u64,
    /// How long a locked username or address stays locked.
    pub lockout_secs: u64,
    /// The address devices reach this server at (`https://agency.example`), put in enrolment
    /// QR codes. Unset: the address the staff member's browser used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
}

impl Default for StaffConfig {
    fn default() -> Self {
        StaffConfig {
            behind_tls_proxy: false,
            idle_timeout_mins: 30,
            session_hours: 12,
            sign_in_failures: 5,
            address_failures: 30,
            sign_in_window_secs: 60,
            lockout_secs: 900,
            public_url: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest request body, compressed or not (bytes).
    pub max_body_bytes: usize,
    /// Every request is cut off after this many seconds.
    pub request_timeout_secs: u64,
    /// Most changes one sync response carries.
    pub max_pull: u32,
    /// How far ahead of the server's clock a pushed version may be (seconds). Further ahead,
    /// the push is refused with `clock_ahead` and the server's time, and the device versions its
    /// waiting changes again: a wrong clock can neither win every merge nor drag its siblings'
    /// clocks along.
    pub max_clock_ahead_secs: u64,
    /// Most bytes of record JSON one sync response carries (always at least one record).
    pub max_pull_bytes: usize,
    /// Most changes one pushed batch may hold: a larger one is refused with 413 `too_large`, and
    /// the device halves its batch.
    pub max_push_changes: usize,
    /// A new connection has this many seconds (TLS handshake included) to send a whole request
    /// head; a client that sends nothing, or drips a byte at a time, is disconnected.
    pub header_timeout_secs: u64,
    /// A kept-alive connection with no request for this many seconds is closed; so is one whose
    /// request or answer moved no byte for as long.
    pub idle_timeout_secs: u64,
    /// Connections served at once; further ones wait in the listen queue until one ends. Keep
    /// it under the process's open-files limit (`ulimit -n`), with room for the database's.
    pub max_connections: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enrolment {
    /// How long a new code stays valid.
    pub code_ttl_days: i64,
    /// Enrolment attempts allowed per client address per minute (guessing a code is throttled).
    pub attempts_per_minute: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            db: "sqlite://./data/convivio.db".into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            tls_cert: None,
            tls_key: None,
            trusted_proxies: Vec::new(),
            limits: Limits {
                max_body_bytes: 8 * 1024 * 1024,
                request_timeout_secs: 30,
                max_pull: 1000,
                max_clock_ahead_secs: 120,
                max_pull_bytes: 1024 * 1024,
                max_push_changes: convivio_core::sync::MAX_BATCH_CHANGES as usize,
                header_timeout_secs: 10,
                idle_timeout_secs: 60,
                max_connections: 4096,
            },
            enrolment: Enrolment { code_ttl_days: 7, attempts_per_minute: 10 },
            staff: StaffConfig::default(),
        }
    }
}

/// The most `limits.max_clock_ahead_secs` may be: the diary does not store a pulled version
/// further ahead of the server's time than this (`convivio_diary`'s `MAX_PULLED_AHEAD_MS`, 10
/// minutes), so a server that took one would hand its devices a record they refuse.
pub const MAX_CLOCK_AHEAD_SECS: u64 = 600;

/// The top-level keys of [`Config`], which the environment may set.
const SERVER_KEYS: [&str; 8] =
    ["db", "listen", "tls_cert", "tls_key", "trusted_proxies", "limits", "enrolment", "staff"];

impl Config {
    /// Defaults, then `file` (if given), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Config, Box<figment::Error>> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            figment = figment.merge(Toml::file_exact(file));
        }
        // Only variables naming one of the server's own keys: the app, the CLI and the tests
        // read other `CONVIVIO_*` variables (`CONVIVIO_DATA_DIR`, `CONVIVIO_PASSPHRASE`, ...),
        // which must not stop a server started from the same shell. A typo inside a known
        // section (`CONVIVIO_LIMITS__MAX_PUL`) is still an error.
        let env = Env::prefixed("CONVIVIO_").split("__").filter(|key| {
            SERVER_KEYS
                .iter()
                .any(|k| key.as_str().split('.').next().is_some_and(|top| top.eq_ignore_ascii_case(k)))
        });
        let config: Config = figment.merge(env).extract().map_err(Box::new)?;
        if config.limits.max_clock_ahead_secs > MAX_CLOCK_AHEAD_SECS {
            return Err(Box::new(figment::Error::from(format!(
                "limits.max_clock_ahead_secs: must be at most {MAX_CLOCK_AHEAD_SECS} (got {}): devices do not \
                 store pulled versions further ahead of the server's clock",
                config.limits.max_clock_ahead_secs
            ))));
        }
        Ok(config)
    }

    /// The example configuration `convivio-server default-config` prints.
    pub fn example_toml() -> String {
        let body = toml::to_string_pretty(&Config::default()).unwrap_or_default();
        format!(
            "# Convivio server configuration. Every key can also be set in the environment:\n\
             # CONVIVIO_DB, CONVIVIO_LISTEN, CONVIVIO_LIMITS__MAX_BODY_BYTES, ...\n\
             # db: sqlite://PATH (default) or postgres://user@host/db\n\
             # HTTPS (rustls): set both tls_cert and tls_key to PEM files, here at the top level:\n\
             #   tls_cert = \"/etc/convivio/fullchain.pem\"   # certificate chain, server's first\n\
             #   tls_key = \"/etc/convivio/privkey.pem\"      # its private key (unencrypted)\n\
             # With neither, the server speaks plain HTTP: keep it on loopback or behind a\n\
             # TLS-terminating proxy. One without the other is refused at startup.\n\
             # Behind a reverse proxy, name it so enrolment is throttled per real client:\n\
             #   trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]\n\n{body}"
        )
    }
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment::Jail's closures return its (large) error type
mod tests {
    use super::*;

    #[test]
    fn the_example_config_loads_back_as_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("convivio.toml");
        std::fs::write(&path, Config::example_toml()).unwrap();
        figment::Jail::expect_with(|_| {
            assert_eq!(Config::load(Some(&path)).unwrap(), Config::default());
            Ok(())
        });
    }

    #[test]
    fn the_example_tls_lines_uncommented_turn_https_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("convivio.toml");
        let text =
            Config::example_toml().replace("#   tls_cert", "tls_cert").replace("#   tls_key", "tls_key");
        std::fs::write(&path, text).unwrap();
        figment::Jail::expect_with(|_| {
            let config = Config::load(Some(&path)).unwrap();
            assert_eq!(config.tls_cert, Some("/etc/convivio/fullchain.pem".into()));
            assert_eq!(config.tls_key, Some("/etc/convivio/privkey.pem".into()));
            Ok(())
        });
    }

    #[test]
    fn the_example_trusted_proxies_line_uncommented_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("convivio.toml");
        std::fs::write(&path, Config::example_toml().replace("#   trusted_proxies", "trusted_proxies"))
            .unwrap();
        figment::Jail::expect_with(|_| {
            let config = Config::load(Some(&path)).unwrap();
            let proxies: Vec<String> = config.trusted_proxies.into_iter().map(String::from).collect();
            assert_eq!(proxies, ["127.0.0.1/32", "10.0.0.0/8"]);
            Ok(())
        });
    }

    #[test]
    fn a_trusted_proxy_that_is_not_an_address_is_an_error_naming_it() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("c.toml", "trusted_proxies = [\"10.0.0.0/33\"]\n")?;
            let err = Config::load(Some(Path::new("c.toml"))).unwrap_err();
            assert!(err.to_string().contains("10.0.0.0/33"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn the_environment_overrides_the_file() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("c.toml", "listen = \"127.0.0.1:9000\"\n[limits]\nmax_pull = 10\n")?;
            jail.set_env("CONVIVIO_LIMITS__MAX_PULL", "20");
            let config = Config::load(Some(Path::new("c.toml"))).unwrap();
            assert_eq!(config.listen.port(), 9000);
            assert_eq!(config.limits.max_pull, 20);
            Ok(())
        });
    }

    #[test]
    fn other_programs_variables_are_ignored_but_a_typo_in_a_section_is_not() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("CONVIVIO_DATA_DIR", "/tmp/app");
            jail.set_env("CONVIVIO_TEST_PG", "postgres://x");
            jail.set_env("CONVIVIO_CONFIG", "c.toml");
            jail.set_env("CONVIVIO_DB", "sqlite://other.db");
            assert_eq!(Config::load(None).unwrap().db, "sqlite://other.db");
            jail.set_env("CONVIVIO_LIMITS__MAX_PUL", "3");
            let err = Config::load(None).unwrap_err();
            assert!(err.to_string().contains("max_pul"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn a_clock_tolerance_devices_would_not_honour_is_refused() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("CONVIVIO_LIMITS__MAX_CLOCK_AHEAD_SECS", "3600");
            let err = Config::load(None).unwrap_err().to_string();
            assert!(err.contains("limits.max_clock_ahead_secs: must be at most 600"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn an_unknown_key_is_an_error_naming_it() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("c.toml", "listne = \"127.0.0.1:9000\"\n")?;
            let err = Config::load(Some(Path::new("c.toml"))).unwrap_err();
            assert!(err.to_string().contains("listne"), "{err}");
            Ok(())
        });
    }
}
