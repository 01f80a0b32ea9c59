//! What the staff dashboard reads and writes, as queries written once on the shared SQL layer
//! ([`super::sql`]) and run on either backend. Every function takes the signed-in member's
//! agency and scopes its query to it: a record, caregiver or device of another agency is simply
//! not found, exactly like one that does not exist.

pub mod accounts;
pub mod audit;
pub mod caregivers;
pub mod catalogue;
pub mod entries;
pub mod overview;
pub mod queue;
pub mod sessions;
pub mod settings;
pub mod throttle;
pub mod warnings;
