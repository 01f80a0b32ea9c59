//! The `convivio-server` command line: `serve`, `default-config`, and the `admin` commands.

use std::io::Read;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use serde::Serialize;
use uuid::Uuid;

use crate::admin;
use crate::config::Config;
use crate::error::StoreError;
use crate::seed;
use crate::startup::{self, AnyStore};
use crate::storage::{StaffRole, Store};

#[derive(Debug, Parser)]
#[command(name = "convivio-server", version, about = "The Convivio agency server")]
pub struct Cli {
    /// A TOML config file (see `default-config`).
    #[arg(long, env = "CONVIVIO_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://PATH (default ./data/convivio.db) or postgres://...
    #[arg(long, global = true)]
    pub db: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API: HTTPS with --tls-cert and --tls-key (or tls_cert/tls_key in the config),
    /// else plain HTTP for loopback or behind a TLS-terminating proxy.
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long)]
        listen: Option<std::net::SocketAddr>,
        /// PEM certificate chain (server certificate first): serve HTTPS. Needs --tls-key.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// PEM private key of that certificate. Needs --tls-cert.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Print the example configuration file.
    DefaultConfig,
    /// Operator commands.
    #[command(subcommand)]
    Admin(Admin),
}

#[derive(Debug, Subcommand)]
pub enum Admin {
    CreateAgency {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Create a staff account; the password is read from standard input.
    CreateStaff {
        #[arg(long)]
        agency: String,
        #[arg(long)]
        username: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        #[arg(long)]
        json: bool,
    },
    /// Print a one-time enrolment code for a caregiver's device.
    Enrol {
        #[arg(long)]
        agency: String,
        /// A new caregiver, by the name staff know them by.
        #[arg(long, conflicts_with = "caregiver_id")]
        caregiver: Option<String>,
        /// Another device for an existing caregiver.
        #[arg(long)]
        caregiver_id: Option<Uuid>,
        #[arg(long)]
        json: bool,
    },
    RevokeDevice {
        device_id: Uuid,
        #[arg(long)]
        json: bool,
    },
    /// Fill an agency (made if missing) with a synthetic, reproducible population: caregivers
    /// with devices, profiles, consent and six months of entries, staff replies and need status
    /// changes, and planted early-warning cases (listed by --json). Seeding an agency twice is
    /// refused. Progress goes to standard error.
    Seed {
        #[arg(long)]
        agency: String,
        /// Random caregivers, besides the few made for the warning cases.
        #[arg(long, default_value_t = 40)]
        caregivers: u32,
        #[arg(long, default_value_t = 40)]
        entries_per_caregiver: u32,
        /// The same seed and agency name give the same content.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        json: bool,
    },
    /// Counts of agencies, caregivers, devices and records, and each device's last sync.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Run once after restoring the database from a backup, before serving: makes a new server
    /// epoch, so every device notices at its next sync, pulls again from the start and offers
    /// again whatever the server lost.
    Restored {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum RoleArg {
    Admin,
    Staff,
    Researcher,
}

impl From<RoleArg> for StaffRole {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Admin => StaffRole::Admin,
            RoleArg::Staff => StaffRole::Staff,
            RoleArg::Researcher => StaffRole::Researcher,
        }
    }
}

fn print<T: Serialize>(json: bool, value: &T, text: impl FnOnce(&T) -> String) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(value)?);
    } else {
        println!("{}", text(value));
    }
    Ok(())
}

/// The whole `convivio-server` program: logs to stderr (`RUST_LOG`, default `info`), parses the
/// command line, runs it, and turns the outcome into an exit code. The test suites' copy of the
/// binary (`tests/src/bin/convivio_test_server.rs`) is this same function.
pub async fn main() -> std::process::ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut config = Config::load(cli.config.as_deref()).context("reading the configuration")?;
    if let Some(db) = cli.db {
        config.db = db;
    }
    if let Command::DefaultConfig = cli.command {
        print!("{}", Config::example_toml());
        return Ok(());
    }
    match startup::open(&config.db).await? {
        AnyStore::Sqlite(store) => dispatch(store, config, cli.command).await,
        AnyStore::Postgres(store) => dispatch(store, config, cli.command).await,
    }
}

async fn dispatch<S: Store>(store: S, mut config: Config, command: Command) -> anyhow::Result<()> {
    match command {
        Command::DefaultConfig => Ok(()),
        Command::Serve { listen, tls_cert, tls_key } => {
            if let Some(listen) = listen {
                config.listen = listen;
            }
            if tls_cert.is_some() {
                config.tls_cert = tls_cert;
                config.tls_key = tls_key;
            }
            let running = startup::spawn(store, config).await?;
            tracing::info!(addr = %running.addr, "serving");
            eprintln!("convivio-server listening on {}", running.url());
            running.wait().await
        }
        Command::Admin(admin) => run_admin(&store, &config, admin).await,
    }
}

async fn run_admin<S: Store>(store: &S, config: &Config, command: Admin) -> anyhow::Result<()> {
    match command {
        Admin::CreateAgency { name, json } => {
            let agency = admin::create_agency(store, &name).await?;
            print(json, &agency, |a| format!("created agency '{}' ({})", a.name, a.id))
        }
        Admin::CreateStaff { agency, username, role, json } => {
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']);
            let staff = admin::create_staff(store, &agency, &username, role.into(), password).await?;
            print(json, &staff, |s| format!("created {} '{}' ({})", s.role.code(), s.username, s.id))
        }
        Admin::Enrol { agency, caregiver, caregiver_id, json } => {
            let code = admin::enrol(
                store,
                &agency,
                caregiver.as_deref(),
                caregiver_id,
                config.enrolment.code_ttl_days,
            )
            .await?;
            print(json, &code, |c| {
                format!(
                    "enrolment code: {}\ncaregiver: {}\nvalid until: {} (single use)",
                    c.code,
                    c.caregiver_id,
                    c.expires_at.format("%Y-%m-%d %H:%M UTC")
                )
            })
        }
        Admin::RevokeDevice { device_id, json } => {
            let revoked = store.revoke_device(device_id, chrono::Utc::now()).await?;
            if !revoked {
                anyhow::bail!("no active device {device_id}");
            }
            print(json, &serde_json::json!({"device_id": device_id, "revoked": true}), |_| {
                format!("device {device_id} revoked")
            })
        }
        Admin::Restored { json } => {
            let epoch = store.renew_epoch().await?;
            print(json, &serde_json::json!({"server_epoch": epoch}), |_| {
                format!("new server epoch {epoch}: devices will offer again what the backup lacks")
            })
        }
        Admin::Seed { agency, caregivers, entries_per_caregiver, seed, json } => {
            let options = seed::SeedOptions { agency, caregivers, entries_per_caregiver, seed };
            let started = std::time::Instant::now();
            let report = seed::seed(store, &options, chrono::Utc::now(), |p| {
                eprintln!(
                    "seeding: {}% ({} of {} caregivers)",
                    p.done * 100 / p.total.max(1),
                    p.done,
                    p.total
                );
            })
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => {
                    anyhow::anyhow!("{e}: seed another agency (--agency NAME) or a fresh database")
                }
                other => other.into(),
            })?;
            eprintln!("seeding: done in {:.1} s", started.elapsed().as_secs_f64());
            print(json, &report, seed::SeedReport::summary)
        }
        Admin::Stats { json } => {
            let stats = store.stats().await?;
            print(json, &stats, |s| {
                let kinds: Vec<String> = s.records_by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
                format!(
                    "agencies {}, caregivers {}, devices {}\nrecords: {}",
                    s.agencies,
                    s.caregivers,
                    s.devices,
                    if kinds.is_empty() { "none".into() } else { kinds.join(", ") }
                )
            })
        }
    }
}
