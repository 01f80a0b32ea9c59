//! `POST /api/v1/sync`: push a batch of the device's outbox, pull what is new for it, in one
//! round trip.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderMap, StatusCode, header};
use chrono::Utc;
use convivio_core::sync::{MAX_BATCH_CHANGES, PROTOCOL_VERSION, SyncError, SyncRequest, SyncResponse};

use super::{ApiError, AppState, millis};
use crate::storage::{Batch, Device, Store, too_far_ahead};
use crate::tokens::token_hash;

/// Maps a body the extractor could not read: too large, or not the protocol's JSON.
pub(super) fn rejection(rejection: JsonRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge
    } else {
        ApiError::BadRequest(rejection.body_text())
    }
}

/// The device behind the bearer token; revoked devices are refused here.
async fn authenticate<S: Store>(app: &AppState<S>, headers: &HeaderMap) -> Result<Device, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthorized)?;
    let device = app.store.device_by_token(&token_hash(token)).await?.ok_or(ApiError::Unauthorized)?;
    if device.revoked_at.is_some() {
        return Err(ApiError::Store(crate::error::StoreError::Revoked));
    }
    Ok(device)
}

/// One exchange: push a batch of the outbox, pull what is new for this device.
///
/// Applying is idempotent: the same batch twice changes nothing. `acked_seq` is the highest
/// contiguous sequence number stored; a batch that starts past it is refused with `gap` and the
/// number to resend from.
#[utoipa::path(
    post,
    path = "/api/v1/sync",
    request_body = SyncRequest,
    security(("device_token" = [])),
    responses(
        (status = 200, description = "Stored and pulled", body = SyncResponse),
        (status = 400, description = "The request breaks the protocol; the message says how (`bad_request`)", body = SyncError),
        (status = 401, description = "No or unknown token (`unauthorized`), or the device was revoked (`revoked`)", body = SyncError),
        (status = 408, description = "The request took longer than the server's limit (no body)"),
        (status = 409, description = "The batch starts after a change the server does not have (`gap`, with `expected_seq`), or a version is too far ahead of the server's clock (`clock_ahead`, with `server_time_ms`)", body = SyncError),
        (status = 413, description = "The body is too large: send fewer changes (`too_large`)", body = SyncError),
        (status = 426, description = "Another protocol version (`unsupported_protocol`)", body = SyncError),
        (status = 500, description = "The server failed; try again later (`server_error`)", body = SyncError),
    )
)]
#[tracing::instrument(skip_all, fields(device))]
pub async fn sync<S: Store>(
    State(app): State<Arc<AppState<S>>>,
    headers: HeaderMap,
    body: Result<Json<SyncRequest>, JsonRejection>,
) -> Result<Json<SyncResponse>, ApiError> {
    let device = authenticate(&app, &headers).await?;
    tracing::Span::current().record("device", tracing::field::display(device.id));
    let Json(request) = body.map_err(rejection)?;
    if request.protocol != PROTOCOL_VERSION {
        return Err(ApiError::UnsupportedProtocol(request.protocol));
    }
    if request.device_id != device.id {
        return Err(ApiError::BadRequest("device_id does not match the device token".into()));
    }
    if !(1..=MAX_BATCH_CHANGES).contains(&request.pull_limit) {
        return Err(ApiError::BadRequest(format!("pull_limit must be from 1 to {MAX_BATCH_CHANGES}")));
    }
    let now = Utc::now();
    let (acked_seq, refused) = match &request.push {
        Some(batch) if !batch.changes.is_empty() => {
            if batch.first_seq == 0 {
                return Err(ApiError::BadRequest("push.first_seq starts at 1".into()));
            }
            // Before anything is stored: a device whose clock runs ahead must not win every
            // merge, nor push its siblings' clocks towards the end of time. It is told the
            // server's time, versions its waiting changes again and resends; nothing is lost.
            let allowed_ms = app.config.limits.max_clock_ahead_secs.saturating_mul(1_000);
            if let Some(ahead_ms) = too_far_ahead(&batch.changes, now, allowed_ms) {
                return Err(ApiError::ClockAhead { ahead_ms });
            }
            let applied = app.store.apply_batch(&device, &Batch::from(batch), now).await?;
            (applied.acked_seq, applied.refused)
        }
        _ => (device.acked_seq, Vec::new()),
    };
    let limit = request.pull_limit.clamp(1, app.config.limits.max_pull);
    let mut pulled = app.store.pull(&device, request.cursor, limit).await?;
    // Only what the policy sends down to devices (every stored kind today; a kind that only
    // goes up would stay on the server).
    pulled.records.retain(|r| r.kind().policy().direction.goes_down());
    app.store.touch_device(device.id, now).await?;
    Ok(Json(SyncResponse {
        protocol: PROTOCOL_VERSION,
        acked_seq,
        changes: pulled.records,
        cursor: pulled.cursor,
        more: pulled.more,
        refused,
        server_time_ms: millis(Utc::now()),
        server_epoch: app.epoch().await?,
    }))
}
