//! The HTTP API: enrolment, sync, health and the OpenAPI document, with the layers every
//! request passes (body limit, decompression, compression, timeout, tracing without personal
//! data).

mod enrol;
mod error;
mod health;
mod sync;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::SizeAbove;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;

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
}

pub fn router<S: Store>(store: S, config: Config) -> Router {
    let limits = config.limits.clone();
    let throttle = Throttle::per_minute(config.enrolment.attempts_per_minute);
    let state = Arc::new(AppState { store, config, throttle });
    Router::new()
        .route("/healthz", get(health::healthz::<S>))
        .route("/api/v1/enrol", post(enrol::enrol::<S>))
        .route("/api/v1/sync", post(sync::sync::<S>))
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
