//! How refusals reach a device: an HTTP status and a `SyncError` body with a stable code.
//! Server faults stay opaque to the client; their detail goes to the log.
//!
//! A revoked device and an unknown token are both 401 (the token does not authenticate); the
//! body's code (`revoked` or `unauthorized`) is what tells them apart.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use convivio_core::sync::{SyncError, SyncErrorCode};

use crate::error::StoreError;

#[derive(Debug)]
pub enum ApiError {
    Store(StoreError),
    /// No or unknown bearer token.
    Unauthorized,
    /// The request breaks the protocol; the message says how.
    BadRequest(String),
    UnsupportedProtocol(u64),
    /// The token is another device's than the body's `device_id`.
    WrongDevice,
    /// Throttled; try again after this many seconds.
    TooManyRequests(u64),
    TooLarge,
    /// A pushed version is this many milliseconds ahead of the server's clock.
    ClockAhead {
        ahead_ms: u64,
    },
    /// No such endpoint under `/api/v1`.
    NotFound,
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::Store(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, expected_seq) = match self {
            ApiError::Store(StoreError::Gap { expected }) => (
                StatusCode::CONFLICT,
                SyncErrorCode::Gap,
                format!("changes are missing before this batch; resend from sequence number {expected}"),
                Some(expected),
            ),
            // 401, not 403: the token no longer authenticates anyone. The body's code tells the
            // device "revoked" apart from "unknown token".
            ApiError::Store(StoreError::Revoked) => (
                StatusCode::UNAUTHORIZED,
                SyncErrorCode::Revoked,
                "this device was revoked by the agency; ask them to enrol it again".into(),
                None,
            ),
            ApiError::Store(e @ StoreError::BadCode) => {
                (StatusCode::FORBIDDEN, SyncErrorCode::CodeRefused, e.to_string(), None)
            }
            ApiError::Store(e @ StoreError::Invalid(_)) => {
                (StatusCode::BAD_REQUEST, SyncErrorCode::BadRequest, e.to_string(), None)
            }
            ApiError::WrongDevice => (
                StatusCode::FORBIDDEN,
                SyncErrorCode::BadRequest,
                "device_id does not match the device token".into(),
                None,
            ),
            ApiError::Store(e @ (StoreError::NotFound { .. } | StoreError::Conflict(_))) => {
                (StatusCode::BAD_REQUEST, SyncErrorCode::BadRequest, e.to_string(), None)
            }
            // A refusal, not a duplicate: the writer may not do this. No device path writes
            // through one today (a device's change to another's record is acknowledged and not
            // stored); the code stays `bad_request` until the protocol has one of its own.
            ApiError::Store(StoreError::Forbidden(message)) => {
                (StatusCode::FORBIDDEN, SyncErrorCode::BadRequest, message, None)
            }
            ApiError::Store(StoreError::Database(detail)) => {
                tracing::error!(error = %detail, "storage failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    SyncErrorCode::ServerError,
                    "the server failed; try again later".into(),
                    None,
                )
            }
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                SyncErrorCode::Unauthorized,
                "this device is not enrolled with the agency (missing or unknown token)".into(),
                None,
            ),
            ApiError::BadRequest(message) => {
                (StatusCode::BAD_REQUEST, SyncErrorCode::BadRequest, message, None)
            }
            // 400, not 426: the version is a rule of the request's schema, and a refusal of it
            // is told by its code.
            ApiError::UnsupportedProtocol(v) => (
                StatusCode::BAD_REQUEST,
                SyncErrorCode::UnsupportedProtocol,
                format!(
                    "protocol version {v} is not supported; this server speaks versions {} to {}",
                    convivio_core::sync::MIN_PROTOCOL_VERSION,
                    convivio_core::sync::PROTOCOL_VERSION
                ),
                None,
            ),
            ApiError::ClockAhead { ahead_ms } => (
                StatusCode::CONFLICT,
                SyncErrorCode::ClockAhead,
                format!(
                    "a change is versioned {} ahead of the server's clock; correct the clock by server_time_ms, version the waiting changes again and resend",
                    ahead_words(ahead_ms)
                ),
                None,
            ),
            ApiError::TooManyRequests(secs) => {
                let body = SyncError {
                    code: SyncErrorCode::TooManyRequests,
                    message: format!("too many attempts; wait {secs} seconds and try again"),
                    expected_seq: None,
                    server_time_ms: Some(super::millis(chrono::Utc::now())),
                };
                let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
                if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, v);
                }
                return response;
            }
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                SyncErrorCode::BadRequest,
                "no such endpoint; the device API is POST /api/v1/enrol and POST /api/v1/sync".into(),
                None,
            ),
            ApiError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                SyncErrorCode::TooLarge,
                "the request is too large; send fewer changes at once".into(),
                None,
            ),
        };
        let server_time_ms = Some(super::millis(chrono::Utc::now()));
        (status, Json(SyncError { code, message, expected_seq, server_time_ms })).into_response()
    }
}

/// "3 hours", "12 minutes", "40 seconds".
fn ahead_words(ms: u64) -> String {
    let secs = ms.div_ceil(1_000);
    match secs {
        s if s >= 2 * 3_600 => format!("{} hours", (s + 1_800) / 3_600),
        s if s >= 120 => format!("{} minutes", (s + 30) / 60),
        s => format!("{s} seconds"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(response: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024).await.unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn a_refused_write_is_403_and_never_said_to_already_exist() {
        let refusal =
            StoreError::Forbidden("record 1 belongs to a caregiver, so the agency cannot change it".into());
        let response = ApiError::Store(refusal).into_response();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let body = body(response).await;
        let message = body["message"].as_str().unwrap();
        assert!(message.contains("cannot change") && !message.contains("already exists"), "{message}");
    }

    #[tokio::test]
    async fn a_true_duplicate_still_says_it_exists() {
        let response = ApiError::Store(StoreError::Conflict("agency 'Valle Verde'".into())).into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(body(response).await["message"], "agency 'Valle Verde' already exists");
    }
}
