//! Behaviour every [`Store`](convivio_server::storage::Store) keeps, as generic async tests.
//! `main.rs` runs each against every backend.

mod accounts;
mod agency_batch;
mod dashboard;
mod feed;
mod overview;
mod push;
mod receipts;
mod review;

pub use accounts::*;
pub use agency_batch::*;
pub use dashboard::*;
pub use feed::*;
pub use overview::*;
pub use push::*;
pub use receipts::*;
pub use review::*;
