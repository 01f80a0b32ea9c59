//! `POST /api/v1/enrol`: a one-time code becomes a device id and a device token.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use chrono::Utc;
use convivio_core::sync::{EnrolRequest, EnrolResponse, SyncError};

use super::body::EnrolBody;
use super::extract::EnrolAttempt;
use super::{ApiError, AppState, millis};
use crate::storage::Store;
use crate::tokens::{code_hash, new_token, token_hash};

/// The largest enrolment body, on the wire and decompressed: a protocol number and a code fit
/// in a few dozen bytes.
pub const BODY_LIMIT: usize = 4 * 1024;

/// Trade a one-time enrolment code for a device identity and token.
///
/// Throttled per client address: too many attempts get 429 with `Retry-After`. Bodies are
/// limited to 4 KiB.
#[utoipa::path(
    post,
    path = "/api/v1/enrol",
    request_body = EnrolRequest,
    responses(
        (status = 200, description = "Enrolled: keep the token, it is shown once", body = EnrolResponse),
        (status = 400, description = "A malformed body (`bad_request`), or another protocol version (`unsupported_protocol`)", body = SyncError),
        (status = 403, description = "Unknown, used or expired code (`code_refused`)", body = SyncError),
        (status = 408, description = "The request took longer than the server's limit (no body)"),
        (status = 413, description = "The body is too large (`too_large`)", body = SyncError),
        (status = 429, description = "Too many attempts from this address (`too_many_requests`)", body = SyncError,
            headers(("Retry-After" = u64, description = "Seconds to wait before trying again"))),
        (status = 500, description = "The server failed; try again later (`server_error`)", body = SyncError),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn enrol<S: Store>(
    State(app): State<Arc<AppState<S>>>,
    // Throttled from the head, before the body is read (see `extract.rs`).
    _attempt: EnrolAttempt,
    body: Result<Json<EnrolBody>, JsonRejection>,
) -> Result<Json<EnrolResponse>, ApiError> {
    let Json(body) = body.map_err(super::sync::rejection)?;
    let request = body.check()?;
    let token = new_token();
    let enrolled =
        app.store.redeem_enrolment(&code_hash(&request.code), Utc::now(), &token_hash(&token)).await?;
    tracing::info!(device = %enrolled.device.id, "device enrolled");
    Ok(Json(EnrolResponse {
        // Answered in the version asked (see `convivio_core::sync`).
        protocol: request.protocol,
        device_id: enrolled.device.id,
        device_token: token,
        caregiver_id: enrolled.device.caregiver_id,
        agency_name: enrolled.agency_name,
        server_time_ms: millis(Utc::now()),
        server_epoch: app.epoch().await?,
    }))
}
