//! Behaviour every [`Store`](convivio_server::storage::Store) keeps, as generic async tests.
//! `main.rs` runs each against every backend.

mod accounts;
mod agency_batch;
mod feed;
mod push;
mod review;

pub use accounts::*;
pub use agency_batch::*;
pub use feed::*;
pub use push::*;
pub use review::*;
