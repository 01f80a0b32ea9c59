//! Sync with the agency's server: enrolment, one-round-trip exchanges, and when to run them.
//!
//! The split that keeps HTTP out of the store: the diary side ([`state`], `enrol`, `plan`,
//! `merge`, `apply`) is plain methods on [`Diary`](crate::Diary) that build a request and apply
//! an answer, each in one transaction, tested without a network; the network side
//! ([`client`], [`SyncClient`]) sends, maps every answer to a [`SyncFailure`] or a response, and
//! adapts the batch to the link; the [`scheduler`] decides when, and a [`SyncService`] runs it
//! all for an app (which scheduler runs, "sync now", enrolment, news), so the app only forwards.

mod apply;
pub mod client;
mod enrol;
mod enrolment;
mod error;
mod merge;
mod plan;
mod restamp;
mod run;
pub mod scheduler;
mod service;
pub mod state;
pub mod url;

pub use apply::Applied;
pub use client::{HttpConfig, MAX_RETRY_AFTER, Traffic};
pub use error::SyncFailure;
pub use plan::MAX_BATCH_BYTES;
pub use run::{Enrolled, SharedDiary, SyncClient, SyncSummary, shared};
pub use scheduler::{ScheduleConfig, SchedulerState, SyncScheduler};
pub use service::{Listener, Reading, SyncService};
pub use state::{Link, RefusedChange, Standing, SyncStatus};
pub use url::ServerUrl;
