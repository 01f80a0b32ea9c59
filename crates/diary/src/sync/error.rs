//! Why a sync or an enrolment did not happen, in words a caregiver can act on, with a stable
//! code for the app to translate and branch on.
//!
//! Every message says whether anything was lost (never: the outbox keeps every change until the
//! server confirms it) and what happens next. Server messages are quoted only for refusals the
//! caregiver can do something about; 5xx bodies are never shown.

use std::time::Duration;

use crate::error::DiaryError;
use crate::sync::state::Standing;

#[derive(Debug, thiserror::Error)]
pub enum SyncFailure {
    #[error("this diary is not connected to an agency yet; enrol it with the code the agency gave you")]
    NotEnrolled,

    #[error("the diary is locked; unlock it to sync")]
    Locked,

    #[error("the agency has disconnected this device; ask them for a new code and enrol again")]
    Revoked,

    #[error(
        "the agency's server does not recognise this device; ask the agency for a new code and enrol again"
    )]
    Unauthorized,

    #[error("{0}")]
    BadServerUrl(String),

    #[error("the enrolment code was not accepted ({0}); check it, or ask the agency for a new one")]
    CodeRefused(String),

    /// Enrolling a diary the server still accepts would give this device a new identity and stop
    /// the old one syncing; only a never enrolled, revoked or unrecognised diary enrols by default.
    #[error(
        "this diary is already connected to {agency}; it needs no new code (enrolling again would give this device a new identity)"
    )]
    AlreadyEnrolled { agency: String },

    #[error("too many attempts; wait {} and try again", wait_words(*retry_after))]
    TooManyRequests { retry_after: Option<Duration> },

    #[error("could not reach the agency's server ({0}); nothing is lost: your changes wait on this device")]
    Unreachable(String),

    #[error(
        "the agency's server took too long to answer; nothing is lost: the next try sends less at a time"
    )]
    TimedOut,

    /// The connection was made and then broke before the answer was whole (a link reset, a
    /// proxy that gave up). Like a timeout, it says the exchange was too big for the link.
    #[error(
        "the connection to the agency's server broke off; nothing is lost: the next try sends less at a time"
    )]
    ConnectionLost,

    #[error(
        "the agency's server had a problem (HTTP {status}); nothing is lost: Convivio will try again later"
    )]
    ServerError { status: u16 },

    /// Handled inside a sync (the next request starts at `expected_seq`); seen only if it repeats.
    #[error("the agency's server keeps asking for changes from number {expected_seq}; try again later")]
    Gap { expected_seq: u64 },

    /// Handled inside a sync: the clock is corrected by the server's and the waiting changes
    /// versioned again; seen only if it repeats.
    #[error(
        "this device's clock is ahead of the agency's server; nothing is lost: Convivio corrects it and sends again"
    )]
    ClockAhead { server_time_ms: u64 },

    /// Handled inside a sync by halving the batch; seen only when one change is too large.
    #[error("one change is larger than the agency's server accepts; tell the agency")]
    TooLarge,

    #[error("this version of Convivio is too old for the agency's server; update the app")]
    UnsupportedProtocol,

    #[error("the agency's server refused the request ({0}); update the app or tell the agency")]
    Refused(String),

    #[error(transparent)]
    Diary(#[from] DiaryError),
}

fn wait_words(retry_after: Option<Duration>) -> String {
    match retry_after.map(|d| d.as_secs()) {
        Some(s) if s >= 120 => format!("{} minutes", s.div_ceil(60)),
        Some(s) => format!("{s} seconds"),
        None => "a few minutes".to_owned(),
    }
}

impl SyncFailure {
    /// A stable code for the app and the status API.
    pub fn code(&self) -> &'static str {
        match self {
            SyncFailure::NotEnrolled => "not_enrolled",
            SyncFailure::Locked => "locked",
            SyncFailure::Revoked => "revoked",
            SyncFailure::Unauthorized => "unauthorized",
            SyncFailure::BadServerUrl(_) => "bad_server_url",
            SyncFailure::CodeRefused(_) => "code_refused",
            SyncFailure::AlreadyEnrolled { .. } => "already_enrolled",
            SyncFailure::TooManyRequests { .. } => "too_many_requests",
            SyncFailure::Unreachable(_) => "unreachable",
            SyncFailure::TimedOut => "timed_out",
            SyncFailure::ConnectionLost => "connection_lost",
            SyncFailure::ServerError { .. } => "server_error",
            SyncFailure::Gap { .. } => "gap",
            SyncFailure::ClockAhead { .. } => "clock_ahead",
            SyncFailure::TooLarge => "too_large",
            SyncFailure::UnsupportedProtocol => "unsupported_protocol",
            SyncFailure::Refused(_) => "bad_request",
            SyncFailure::Diary(e) => e.code(),
        }
    }

    /// Whether trying again later may help. `false` stops scheduled syncs until the caregiver
    /// does something (enrols again, updates the app, unlocks the diary).
    pub fn is_retryable(&self) -> bool {
        match self {
            SyncFailure::Unreachable(_)
            | SyncFailure::TimedOut
            | SyncFailure::ConnectionLost
            | SyncFailure::ServerError { .. }
            | SyncFailure::TooManyRequests { .. }
            | SyncFailure::Gap { .. }
            | SyncFailure::ClockAhead { .. }
            | SyncFailure::TooLarge => true,
            // A garbled answer is most often a proxy or a cut link: worth another try.
            SyncFailure::Diary(DiaryError::Protocol(_)) => true,
            SyncFailure::Diary(DiaryError::Storage(_) | DiaryError::Io(_)) => true,
            _ => false,
        }
    }

    /// How the server now regards this device, when the failure says so.
    pub fn standing(&self) -> Option<Standing> {
        match self {
            SyncFailure::Revoked => Some(Standing::Revoked),
            SyncFailure::Unauthorized => Some(Standing::Unauthorized),
            _ => None,
        }
    }

    /// The server's requested wait, if it gave one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            SyncFailure::TooManyRequests { retry_after } => *retry_after,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_say_nothing_is_lost_when_a_retry_will_come() {
        for f in [
            SyncFailure::Unreachable("no route".into()),
            SyncFailure::TimedOut,
            SyncFailure::ConnectionLost,
            SyncFailure::ServerError { status: 503 },
        ] {
            assert!(f.is_retryable());
            assert!(f.to_string().contains("nothing is lost"), "{f}");
        }
    }

    #[test]
    fn a_revoked_device_is_told_plainly_and_not_retried() {
        let f = SyncFailure::Revoked;
        assert!(!f.is_retryable());
        assert_eq!(f.standing(), Some(Standing::Revoked));
        assert_eq!(
            f.to_string(),
            "the agency has disconnected this device; ask them for a new code and enrol again"
        );
    }

    #[test]
    fn the_wait_is_said_in_minutes_when_long() {
        let f = SyncFailure::TooManyRequests { retry_after: Some(Duration::from_secs(600)) };
        assert_eq!(f.to_string(), "too many attempts; wait 10 minutes and try again");
    }
}
