//! The HTTP API: the device API under `/api/v1` (enrolment and sync), the staff dashboard under
//! `/staff` (see [`crate::staff`]), health and the OpenAPI document, with the layers every
//! request passes (compression, timeout, tracing without personal data).
//!
//! The two faces are separate routers with their own extractors and error types: the device
//! API authenticates a device from the request head ([`extract::DeviceAuth`]) and refuses with
//! [`ApiError`] (a JSON `SyncError` with a stable code); the dashboard answers HTML pages
//! ([`crate::staff::StaffError`]). Body limits and decompression are per route, so each route
//! reads only as much as it needs: enrolment 4 KiB, sync `max_body_bytes`, both counted on the
//! wire and again after decompression (a zstd bomb is stopped too).

mod body;
mod enrol;
mod error;
mod extract;
mod health;
mod openapi;
mod sync;

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::MethodRouter;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::SizeAbove;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use extract::{DeviceAuth, EnrolAttempt};
pub use health::Health;
pub use openapi::{openapi, openapi_pretty_json};

use self::openapi::Documented;
use convivio_core::sync::Epoch;

use crate::client_addr::TrustedProxies;
use crate::config::{Config, Limits};
use crate::storage::Store;
use crate::throttle::Throttle;

/// Answers up to this many bytes are sent uncompressed.
const SMALL_ANSWER: u16 = 512;

/// Where the device API lives.
pub const DEVICE_API: &str = "/api/v1";

/// What every handler shares.
#[derive(Debug)]
pub struct AppState<S> {
    pub store: S,
    pub config: Config,
    pub throttle: Throttle,
    pub trusted_proxies: TrustedProxies,
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

/// A route that reads a body of at most `limit` bytes, on the wire and decompressed (zstd or
/// gzip). Outermost first: the wire limit (a `Content-Length` above it is refused before
/// anything is read), decompression, then the extractor's limit on decompressed bytes.
fn with_body_limit<S: Clone + Send + Sync + 'static>(
    limit: usize,
) -> impl FnOnce(MethodRouter<S>) -> MethodRouter<S> {
    move |route| {
        route
            .layer::<_, Infallible>(DefaultBodyLimit::max(limit))
            .layer::<_, Infallible>(RequestDecompressionLayer::new().zstd(true).gzip(true))
            .layer::<_, Infallible>(RequestBodyLimitLayer::new(limit))
    }
}

/// The device API's routes, to be nested at [`DEVICE_API`]; unknown paths under it are a
/// `SyncError` 404.
fn device_routes<S: Store>(limits: &Limits) -> Documented<Arc<AppState<S>>> {
    Documented::under(DEVICE_API)
        .route_with::<enrol::__path_enrol, _, _>(enrol::enrol::<S>, with_body_limit(enrol::BODY_LIMIT))
        .route_with::<sync::__path_sync, _, _>(sync::sync::<S>, with_body_limit(limits.max_body_bytes))
        .fallback(|| async { ApiError::NotFound })
}

/// Every route, and the OpenAPI document describing exactly those (see `openapi.rs`).
fn routes<S: Store>(limits: &Limits) -> (Router<Arc<AppState<S>>>, utoipa::openapi::OpenApi) {
    let (router, doc) = Documented::new()
        .route::<health::__path_healthz, _, _>(health::healthz::<S>)
        .route::<openapi::__path_openapi_json, _, _>(openapi::openapi_json)
        .nest(device_routes::<S>(limits))
        .into_parts();
    (router, doc)
}

pub fn router<S: Store>(store: S, config: Config) -> Router {
    let limits = config.limits.clone();
    let throttle = Throttle::per_minute(config.enrolment.attempts_per_minute);
    let trusted_proxies = TrustedProxies::new(&config.trusted_proxies);
    let state =
        Arc::new(AppState { store, config, throttle, trusted_proxies, epoch: tokio::sync::OnceCell::new() });
    crate::staff::mount(routes::<S>(&limits).0, Arc::clone(&state))
        .with_state(state)
        // Small answers (a sync with nothing new) go as they are: a compressed frame plus its
        // headers would be larger than the JSON, and on a metered rural link every byte counts.
        .layer(CompressionLayer::new().zstd(true).gzip(true).compress_when(SizeAbove::new(SMALL_ANSWER)))
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
