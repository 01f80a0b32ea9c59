//! Storage and service errors, kept apart so the HTTP edge can map each to a status.

use convivio_core::Invalid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Invalid(#[from] Invalid),

    #[error("no {kind} {id}")]
    NotFound { kind: &'static str, id: String },

    /// A true duplicate: a name or key that must be unique is taken.
    #[error("{0} already exists")]
    Conflict(String),

    /// The writer may not do this (the agency changing a caregiver's record, ...); the message
    /// says what was refused and why.
    #[error("{0}")]
    Forbidden(String),

    /// The push starts past the server's acknowledged point: resend from `expected`.
    #[error("changes are missing before this batch; resend from sequence number {expected}")]
    Gap { expected: u64 },

    /// The enrolment code is unknown, used or expired (one message for all three, so a guesser
    /// learns nothing).
    #[error("this enrolment code is not valid; ask the agency for a new one")]
    BadCode,

    #[error("this device was revoked by the agency")]
    Revoked,

    /// Anything the database said; the details go to the log, never to a client.
    #[error("database error: {0}")]
    Database(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Database(e.to_string())
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        StoreError::Database(with_causes(&e))
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        StoreError::Database(with_causes(&e))
    }
}

/// The message and every cause under it: tokio-postgres says only "db error" on top, and the
/// reason ("relation ... does not exist", "connection refused") is in its source.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}

pub type StoreResult<T> = Result<T, StoreError>;
