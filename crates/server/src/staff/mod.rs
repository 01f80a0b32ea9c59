//! The staff dashboard under `/staff`: its own router and its own error type (HTML pages,
//! where the device API answers JSON). Empty for now: every path under it is the dashboard's
//! own "not found" page, so nothing of the device API's leaks here and the pages to come only
//! add routes. The signed-in staff member's extractor comes with the first page that needs it.

mod error;

use axum::Router;
use axum::routing::any;

pub use error::StaffError;

/// Where the dashboard lives.
pub const STAFF: &str = "/staff";

/// `router` with the dashboard nested at [`STAFF`].
pub fn mount<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    // A nested router gets `/staff` and `/staff/...`, not `/staff/` itself.
    router.nest(STAFF, routes()).route(&format!("{STAFF}/"), any(not_found))
}

/// The dashboard's own routes: `/` (the review queue, to come) and a fallback for the rest.
fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/", any(not_found)).fallback(not_found)
}

async fn not_found() -> StaffError {
    StaffError::NotFound
}
