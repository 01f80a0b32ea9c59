//! The staff dashboard over real HTTP on loopback, against a real SQLite file: sign-in,
//! sessions, CSRF, throttling, access by role and agency, and what every page sends.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

mod access;
mod account;
mod agency;
mod caregivers;
mod entry;
mod helpers;
mod sign_in;
mod team;
