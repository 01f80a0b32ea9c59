//! `POST /api/v1/sync`: push a batch of the device's outbox, pull what is new for it, in one
//! round trip.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use chrono::Utc;
use convivio_core::sync::{PROTOCOL_VERSION, SyncError, SyncRequest, SyncResponse};

use super::extract::DeviceAuth;
use super::{ApiError, AppState};
use crate::storage::{Store, device_may_write};

/// Maps a body the extractor could not read: too large, or not the protocol's JSON.
pub(super) fn rejection(rejection: JsonRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE || over_limit(&rejection) {
        ApiError::TooLarge
    } else {
        ApiError::BadRequest(rejection.body_text())
    }
}

/// Whether the body broke a length limit somewhere below the extractor: the wire limit sits
/// outside decompression, which hands its error up inside an `io::Error`, so axum cannot see
/// it is a limit and calls it a bad body.
fn over_limit(error: &(dyn std::error::Error + 'static)) -> bool {
    if error.is::<http_body_util::LengthLimitError>() {
        return true;
    }
    if let Some(inner) = error.downcast_ref::<std::io::Error>().and_then(std::io::Error::get_ref)
        && over_limit(inner)
    {
        return true;
    }
    error.source().is_some_and(over_limit)
}

/// One exchange: push a batch of the outbox, pull what is new for this device.
///
/// Applying is idempotent: the same batch twice changes nothing. `acked_seq` is the highest
/// contiguous sequence number stored; a batch that starts past it is refused with `gap` and the
/// number to resend from. The token is checked before the body is read. The server caps a
/// batch's changes (more is 413 `too_large`: send half) and an answer's bytes of records
/// (`more` says the rest waits), whatever the request asks.
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
        (status = 409, description = "The batch starts after a change the server does not have (`gap`, with `expected_seq`)", body = SyncError),
        (status = 413, description = "The body is too large: send fewer changes (`too_large`)", body = SyncError),
        (status = 426, description = "Another protocol version (`unsupported_protocol`)", body = SyncError),
        (status = 500, description = "The server failed; try again later (`server_error`)", body = SyncError),
    )
)]
#[tracing::instrument(skip_all, fields(device))]
pub async fn sync<S: Store>(
    State(app): State<Arc<AppState<S>>>,
    DeviceAuth(device): DeviceAuth,
    body: Result<Json<SyncRequest>, JsonRejection>,
) -> Result<Json<SyncResponse>, ApiError> {
    tracing::Span::current().record("device", tracing::field::display(device.id));
    let Json(request) = body.map_err(rejection)?;
    if request.protocol != PROTOCOL_VERSION {
        return Err(ApiError::UnsupportedProtocol(request.protocol));
    }
    if request.device_id != device.id {
        return Err(ApiError::BadRequest("device_id does not match the device token".into()));
    }
    let now = Utc::now();
    let acked_seq = match &request.push {
        Some(batch) if !batch.changes.is_empty() => {
            if batch.changes.len() > app.config.limits.max_push_changes {
                return Err(ApiError::TooLarge);
            }
            if batch.first_seq == 0 {
                return Err(ApiError::BadRequest("push.first_seq starts at 1".into()));
            }
            if let Some(bad) = batch.changes.iter().find(|r| !device_may_write(r.kind())) {
                return Err(ApiError::BadRequest(format!("a device cannot write a {}", bad.kind())));
            }
            app.store.apply_batch(&device, batch, now).await?.acked_seq
        }
        _ => device.acked_seq,
    };
    let limit = request.pull_limit.clamp(1, app.config.limits.max_pull);
    let pulled = app.store.pull(&device, request.cursor, limit, app.config.limits.max_pull_bytes).await?;
    app.store.touch_device(device.id, now).await?;
    Ok(Json(SyncResponse {
        protocol: PROTOCOL_VERSION,
        acked_seq,
        changes: pulled.records,
        cursor: pulled.cursor,
        more: pulled.more,
    }))
}
