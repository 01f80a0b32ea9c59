//! The HTTP API over real HTTP on loopback, against a real SQLite file.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

mod connections;
mod enrol;
mod helpers;
mod limits;
mod openapi;
mod protocol;
mod raw;
mod routers;
mod sync;
mod tls;
