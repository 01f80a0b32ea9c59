//! `GET /healthz`: the process is up and its database answers.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use convivio_core::sync::SyncError;
use serde::Serialize;

use super::{ApiError, AppState};
use crate::storage::Store;

/// The server is up and its database answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok` (a failing database is a 500 instead).
    #[schema(pattern = "^ok$", example = "ok")]
    pub status: String,
    /// The server's version.
    #[schema(example = "0.1.0")]
    pub version: String,
}

/// Liveness and database check, for load balancers and monitoring.
#[utoipa::path(
    get,
    path = "/healthz",
    responses(
        (status = 200, description = "Up, and the database answers", body = Health),
        (status = 500, description = "The database does not answer (`server_error`)", body = SyncError),
    )
)]
pub async fn healthz<S: Store>(State(app): State<Arc<AppState<S>>>) -> Result<Json<Health>, ApiError> {
    // `ping`, not `stats`: a load balancer asks every few seconds, and counting every record
    // each time would grow with the agency's data.
    app.store.ping().await?;
    Ok(Json(Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() }))
}
