//! `GET /healthz`: the process is up and its database answers.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::{ApiError, AppState};
use crate::storage::Store;

pub async fn healthz<S: Store>(State(app): State<Arc<AppState<S>>>) -> Result<Json<Value>, ApiError> {
    app.store.stats().await?;
    Ok(Json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})))
}
