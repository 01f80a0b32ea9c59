//! The HTTP API: enrolment, sync, health and the OpenAPI document, with the layers every
//! request passes (body limit, decompression, compression, timeout, tracing without personal
//! data).

mod enrol;
mod error;
mod health;
mod openapi;
mod sync;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::SizeAbove;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use health::Health;
pub use openapi::{openapi, openapi_pretty_json};

use self::openapi::Documented;
use convivio_core::sync::Epoch;

use crate::config::Config;
use crate::storage::Store;
use crate::throttle::Throttle;

/// Answers up to this many bytes are sent uncompressed.
const SMALL_ANSWER: u16 = 512;

/// What every handler shares.
#[derive(Debug)]
pub struct AppState<S> {
    pub store: S,
    pub config: Config,
    pub throttle: Throttle,
    /// The server epoch, read from the database once: a restore (which renews it) means a
    /// restart.
    epoch: tokio::sync::OnceCell<Epoch>,
}

impl<S: Store> AppState<S> {
    /// The server epoch every answer carries.
    pub async fn epoch(&self) -> Result<Epoch, ApiError> {
        Ok(self.epoch.get_or_try_init(|| self.store.epoch()).await?.clone())
    }
}

/// Milliseconds since 1970, as the wire carries the server's time.
pub(crate) fn millis(t: chrono::DateTime<chrono::Utc>) -> u64 {
    u64::try_from(t.timestamp_millis()).unwrap_or(0)
}

/// Every route, and the OpenAPI document describing exactly those (see `openapi.rs`).
fn routes<S: Store>() -> (Router<Arc<AppState<S>>>, utoipa::openapi::OpenApi) {
    Documented::new()
        .route::<health::__path_healthz, _, _>(health::healthz::<S>)
        .route::<enrol::__path_enrol, _, _>(enrol::enrol::<S>)
        .route::<sync::__path_sync, _, _>(sync::sync::<S>)
        .route::<openapi::__path_openapi_json, _, _>(openapi::openapi_json)
        .into_parts()
}

pub fn router<S: Store>(store: S, config: Config) -> Router {
    let limits = config.limits.clone();
    let throttle = Throttle::per_minute(config.enrolment.attempts_per_minute);
    let state = Arc::new(AppState { store, config, throttle, epoch: tokio::sync::OnceCell::new() });
    routes::<S>()
        .0
        .with_state(state)
        // Outermost first: trace, time out, cap the wire size, then decompress and cap again
        // (the extractor's limit counts decompressed bytes, so a zstd bomb is stopped too).
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(RequestDecompressionLayer::new().zstd(true).gzip(true))
        // Small answers (a sync with nothing new) go as they are: a compressed frame plus its
        // headers would be larger than the JSON, and on a metered rural link every byte counts.
        .layer(CompressionLayer::new().zstd(true).gzip(true).compress_when(SizeAbove::new(SMALL_ANSWER)))
        .layer(RequestBodyLimitLayer::new(limits.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(limits.request_timeout_secs),
        ))
        .layer(
            // Method, path, status and latency only: no headers (tokens), no bodies (diaries).
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
            }),
        )
}
