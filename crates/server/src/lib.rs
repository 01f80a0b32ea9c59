//! The home-care agency's server: it enrols caregivers' devices, takes their shared records in
//! exactly once, and hands each device what it should see.
//!
//! The key decision: storage sits behind one trait, [`storage::Store`], with two real
//! implementations (SQLite for one agency on a small machine, PostgreSQL for replicas). The
//! backend is chosen once from the database URL ([`startup::open`]) and everything above it is
//! generic over the trait, so both run the same code paths and the same conformance tests.

pub mod admin;
pub mod api;
pub mod cli;
pub mod client_addr;
pub mod config;
pub mod error;
pub mod seed;
pub mod serve;
pub mod staff;
pub mod startup;
pub mod storage;
pub mod throttle;
pub mod tls;
pub mod tokens;
