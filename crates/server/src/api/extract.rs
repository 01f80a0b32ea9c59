//! The device API's extractors, which work from the request head alone. Axum runs
//! `FromRequestParts` extractors before the one that takes the body, so a request they refuse
//! is answered before a byte of its body is read, decompressed or parsed: a stranger cannot make
//! the server inflate 8 MiB by sending it.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use super::{ApiError, AppState};
use crate::error::StoreError;
use crate::storage::{Device, Store};
use crate::tokens::token_hash;

/// The enrolled, unrevoked device behind the request's bearer token. A missing or unknown
/// token is 401 `unauthorized`, a revoked device 401 `revoked`.
#[derive(Debug, Clone)]
pub struct DeviceAuth(pub Device);

impl<S: Store> FromRequestParts<Arc<AppState<S>>> for DeviceAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<AppState<S>>) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(ApiError::Unauthorized)?;
        let device = app.store.device_by_token(&token_hash(token)).await?.ok_or(ApiError::Unauthorized)?;
        if device.revoked_at.is_some() {
            return Err(ApiError::Store(StoreError::Revoked));
        }
        Ok(DeviceAuth(device))
    }
}

/// An enrolment attempt that the throttle let through, keyed by the client's address (the TCP
/// peer, or behind `trusted_proxies` the forwarded address: see `client_addr.rs`). Every
/// attempt counts, well formed or not, before its body is read.
#[derive(Debug, Clone, Copy)]
pub struct EnrolAttempt;

impl<S: Store> FromRequestParts<Arc<AppState<S>>> for EnrolAttempt {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<AppState<S>>) -> Result<Self, Self::Rejection> {
        let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>().copied() else {
            // Every connection the server accepts carries its peer (`serve.rs`); a request
            // without one did not come through it.
            return Err(ApiError::Store(StoreError::Database("a request without its peer address".into())));
        };
        let client = app.trusted_proxies.client(peer.ip(), &parts.headers);
        app.throttle.check(client).map_err(ApiError::TooManyRequests)?;
        Ok(EnrolAttempt)
    }
}
