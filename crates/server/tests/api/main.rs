//! The HTTP API over real HTTP on loopback, against a real SQLite file.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

mod enrol;
mod helpers;
mod openapi;
mod sync;
mod tls;
