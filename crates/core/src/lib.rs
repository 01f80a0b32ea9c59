//! Convivio's domain core: every record a caregiver, the agency or the research team writes,
//! the rules those records obey, and the clock that orders their versions.
//!
//! The key decision: raw input from any edge (the CLI, a Tauri command, later the sync API)
//! arrives as a loose `*Input` struct and becomes a domain type only through one `parse`
//! function, so every rule is checked once, in one place, and every failure is a
//! [`Invalid`] naming the field and the rule. Past that point the types cannot hold a
//! rating of 9 or an empty need category. Nothing here does I/O; "now" is always passed in.
//!
//! The wire types ([`sync`], [`Record`] and what it holds) are frozen by golden examples
//! ([`golden`]). With the `openapi` feature they also describe themselves as OpenAPI schemas
//! (`utoipa::ToSchema`) for the server's published document; see the `openapi` module for the few whose
//! schema is written by hand because their JSON is not their Rust shape.

pub mod catalogue;
mod code;
pub mod consent;
pub mod entry;
pub mod error;
pub mod factor;
pub mod golden;
pub mod hlc;
pub mod ids;
pub mod lang;
pub mod message;
pub mod need;
pub mod need_status;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod policy;
pub mod profile;
pub mod read_receipt;
pub mod record;
pub mod score;
pub mod sharing;
pub mod sync;
pub mod text;
pub mod tombstone;
pub mod validate;
pub mod verdict;
mod whole;

pub use error::{Invalid, Rule};
pub use hlc::{Hlc, HlcClock, NodeId};
pub use ids::{Owner, RecordId, Role};
pub use lang::Lang;
pub use record::{Record, RecordKind};
pub use sharing::Sharing;
pub use verdict::{Rank, Verdict, verdict};
