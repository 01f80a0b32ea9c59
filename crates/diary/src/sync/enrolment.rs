//! Whether a diary may be enrolled: the one rule the app and the command line share.
//!
//! An enrolment code is single-use and enrolling gives the device a new identity, so enrolling
//! a diary the server still accepts would only stop it syncing as itself. A diary that was
//! never enrolled, was revoked, or is no longer recognised may enrol; an active one only when
//! asked to replace its enrolment ([`SyncClient::enrol_again`](crate::sync::SyncClient::enrol_again)).

use crate::Diary;
use crate::sync::SyncFailure;
use crate::sync::state::{Standing, load};

impl Diary {
    /// `Ok` if this diary may enrol with a new code; [`SyncFailure::AlreadyEnrolled`], naming
    /// the agency, while the server still accepts it.
    pub fn may_enrol(&self) -> Result<(), SyncFailure> {
        match load(&self.conn)? {
            Some(link) if link.standing == Standing::Active => {
                Err(SyncFailure::AlreadyEnrolled { agency: link.agency_name })
            }
            _ => Ok(()),
        }
    }
}
