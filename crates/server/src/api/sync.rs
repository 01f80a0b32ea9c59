//! `POST /api/v1/sync`: push a batch of the device's outbox, pull what is new for it, in one
//! round trip.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use chrono::Utc;
use convivio_core::sync::{SyncError, SyncRequest, SyncResponse};

use super::body::SyncBody;
use super::extract::DeviceAuth;
use super::{ApiError, AppState, millis};
use crate::storage::{Store, too_far_ahead};

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
        (status = 400, description = "The request breaks the protocol; the message says how (`bad_request`), or speaks another protocol version (`unsupported_protocol`)", body = SyncError),
        (status = 401, description = "No or unknown token (`unauthorized`), or the device was revoked (`revoked`)", body = SyncError),
        (status = 403, description = "The token belongs to another device than `device_id` (`bad_request`)", body = SyncError),
        (status = 408, description = "The request took longer than the server's limit (no body)"),
        (status = 409, description = "The batch starts after a change the server does not have (`gap`, with `expected_seq`), or a version is too far ahead of the server's clock (`clock_ahead`, with `server_time_ms`)", body = SyncError),
        (status = 413, description = "The body is too large: send fewer changes (`too_large`)", body = SyncError),
        (status = 500, description = "The server failed; try again later (`server_error`)", body = SyncError),
    )
)]
#[tracing::instrument(skip_all, fields(device))]
pub async fn sync<S: Store>(
    State(app): State<Arc<AppState<S>>>,
    DeviceAuth(device): DeviceAuth,
    body: Result<Json<SyncBody>, JsonRejection>,
) -> Result<Json<SyncResponse>, ApiError> {
    tracing::Span::current().record("device", tracing::field::display(device.id));
    let Json(body) = body.map_err(rejection)?;
    let request = body.check()?;
    if request.device_id != device.id {
        return Err(ApiError::WrongDevice);
    }
    let now = Utc::now();
    let (acked_seq, refused) = match &request.push {
        Some(batch) if !batch.changes.is_empty() => {
            if batch.changes.len() > app.config.limits.max_push_changes {
                return Err(ApiError::TooLarge);
            }
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
            let applied = app.store.apply_batch(&device, batch, now).await?;
            (applied.acked_seq, applied.refused)
        }
        _ => (device.acked_seq, Vec::new()),
    };
    let limit = request.pull_limit.clamp(1, app.config.limits.max_pull);
    let mut pulled = app.store.pull(&device, request.cursor, limit, app.config.limits.max_pull_bytes).await?;
    // Only what the policy sends down to devices (a kind that only goes up stays on the
    // server), and only kinds the device's protocol knows: a protocol-2 app cannot read a read
    // receipt, and one unknown kind would fail its whole answer. The cursor still moves past
    // what is left out, so an app not yet updated keeps syncing the rest.
    pulled
        .records
        .retain(|r| r.kind().policy().direction.goes_down() && r.kind().first_protocol() <= request.protocol);
    app.store.touch_device(device.id, now).await?;
    Ok(Json(SyncResponse {
        protocol: request.protocol,
        acked_seq,
        changes: pulled.records,
        cursor: pulled.cursor,
        more: pulled.more,
        refused,
        server_time_ms: millis(Utc::now()),
        server_epoch: app.epoch().await?,
    }))
}
