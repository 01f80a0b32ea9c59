//! The HTTP side of sync: two endpoints, one request each, every answer mapped to a result the
//! sync loop can act on. No diary access here.
//!
//! Decisions: every request has a connect and a total timeout (a request that hangs forever
//! would stall the outbox forever); request bodies are zstd-compressed here, answers are decoded
//! by reqwest (zstd or gzip); redirects are not followed, so an `https://` server can never bounce
//! the token to a plain `http://` address; the URL rule is checked before any byte is sent.
//! A server on this computer is always reached directly: the system's proxy settings
//! (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`) apply only to servers elsewhere. A proxy on
//! another machine cannot reach this computer's loopback at all, and plain `http://` (allowed
//! only to loopback) through any proxy would show it the token and the diary in the clear.

use std::time::Duration;

use convivio_core::sync::{
    EnrolRequest, EnrolResponse, PROTOCOL_VERSION, SyncError, SyncErrorCode, SyncRequest, SyncResponse,
};
use reqwest::header::{
    ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, HeaderValue, RETRY_AFTER,
};
use reqwest::{Response, StatusCode};

use crate::error::DiaryError;
use crate::sync::SyncFailure;
use crate::sync::url::ServerUrl;

/// Timeouts and identity of the HTTP client.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Giving up on opening a connection.
    pub connect_timeout: Duration,
    /// Giving up on a whole exchange, body included. The batch shrinks after a timeout, so a slow
    /// link ends up with requests that fit in it.
    pub request_timeout: Duration,
    /// zstd level for request bodies: 3 is fast on a phone and close to the best ratio for JSON.
    pub zstd_level: i32,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(15),
            request_timeout: Duration::from_secs(60),
            zstd_level: 3,
        }
    }
}

/// Bytes of one exchange's bodies: sent as compressed on the wire, received as decoded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Traffic {
    pub sent: u64,
    pub received: u64,
}

/// reqwest clients configured for the agency's server: one that follows the system's proxy
/// settings, for servers elsewhere, and one that never uses a proxy, for this computer.
#[derive(Debug, Clone)]
pub(crate) struct Http {
    proxied: reqwest::Client,
    direct: reqwest::Client,
    config: HttpConfig,
}

impl Http {
    pub(crate) fn new(config: HttpConfig) -> Result<Http, SyncFailure> {
        let builder = || {
            reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .timeout(config.request_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("convivio/", env!("CARGO_PKG_VERSION")))
        };
        let failed =
            |e: reqwest::Error| SyncFailure::Unreachable(format!("the HTTP client could not start: {e}"));
        let proxied = builder().build().map_err(failed)?;
        let direct = builder().no_proxy().build().map_err(failed)?;
        Ok(Http { proxied, direct, config })
    }

    /// The client for `server`: direct to loopback, through the system's proxy elsewhere.
    fn client(&self, server: &ServerUrl) -> &reqwest::Client {
        if server.is_loopback() { &self.direct } else { &self.proxied }
    }

    /// Trades a one-time code for a device identity.
    pub(crate) async fn enrol(&self, server: &ServerUrl, code: &str) -> Result<EnrolResponse, SyncFailure> {
        let request = EnrolRequest { protocol: PROTOCOL_VERSION, code: code.to_owned() };
        let response = self
            .client(server)
            .post(server.endpoint("api/v1/enrol"))
            .json(&request)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        if status.is_success() {
            return parse(&response.bytes().await.map_err(transport)?);
        }
        Err(match refusal(response).await? {
            (_, Some(e)) if matches!(e.code, SyncErrorCode::CodeRefused | SyncErrorCode::BadRequest) => {
                SyncFailure::CodeRefused(e.message)
            }
            (retry_after, Some(e)) if e.code == SyncErrorCode::TooManyRequests => {
                SyncFailure::TooManyRequests { retry_after }
            }
            (retry_after, _) if status == StatusCode::TOO_MANY_REQUESTS => {
                SyncFailure::TooManyRequests { retry_after }
            }
            (_, error) => by_status(status, error),
        })
    }

    /// One sync exchange: push a batch and pull, or the reason it did not happen.
    pub(crate) async fn exchange(
        &self,
        server: &ServerUrl,
        token: &str,
        request: &SyncRequest,
    ) -> Result<(SyncResponse, Traffic), SyncFailure> {
        let json = serde_json::to_vec(request).map_err(|e| DiaryError::Damaged(e.to_string()))?;
        let body = zstd::bulk::compress(&json, self.config.zstd_level)
            .map_err(|e| SyncFailure::Unreachable(format!("could not compress the request: {e}")))?;
        let sent = body.len() as u64;
        let mut bearer = HeaderValue::from_str(&format!("Bearer {token}"))
            .map_err(|_| DiaryError::Damaged("the stored device token is not valid in a header".into()))?;
        // Kept out of any Debug output of the request (and so out of logs).
        bearer.set_sensitive(true);
        let response = self
            .client(server)
            .post(server.endpoint("api/v1/sync"))
            .header(AUTHORIZATION, bearer)
            .header(CONTENT_TYPE, "application/json")
            .header(CONTENT_ENCODING, "zstd")
            .header(ACCEPT_ENCODING, "zstd, gzip")
            .body(body)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        if status.is_success() {
            let body = response.bytes().await.map_err(transport)?;
            return Ok((parse(&body)?, Traffic { sent, received: body.len() as u64 }));
        }
        let (retry_after, error) = refusal(response).await?;
        Err(match error {
            Some(SyncError { code: SyncErrorCode::Gap, expected_seq: Some(expected_seq), .. }) => {
                SyncFailure::Gap { expected_seq }
            }
            Some(SyncError { code: SyncErrorCode::Gap, .. }) => {
                DiaryError::Protocol("a gap without the number to resend from".into()).into()
            }
            Some(SyncError { code: SyncErrorCode::TooManyRequests, .. }) => {
                SyncFailure::TooManyRequests { retry_after }
            }
            Some(SyncError {
                code: SyncErrorCode::ClockAhead, server_time_ms: Some(server_time_ms), ..
            }) => SyncFailure::ClockAhead { server_time_ms },
            error => by_status(status, error),
        })
    }
}

/// Maps a refusal by its code when the server sent one, else by its HTTP status (a proxy's 502
/// or 503 may have any body).
fn by_status(status: StatusCode, error: Option<SyncError>) -> SyncFailure {
    use SyncErrorCode as C;
    match (error.as_ref().map(|e| e.code), status.as_u16()) {
        (Some(C::Unauthorized), _) | (None, 401) => SyncFailure::Unauthorized,
        (Some(C::Revoked), _) | (None, 403) => SyncFailure::Revoked,
        (Some(C::TooLarge), _) | (None, 413) => SyncFailure::TooLarge,
        (Some(C::UnsupportedProtocol), _) | (None, 426) => SyncFailure::UnsupportedProtocol,
        (Some(C::ServerError), s) => SyncFailure::ServerError { status: s },
        (None, s) if s >= 500 => SyncFailure::ServerError { status: s },
        (None, 429) => SyncFailure::TooManyRequests { retry_after: None },
        (Some(C::BadRequest), _) => SyncFailure::Refused(error.map(|e| e.message).unwrap_or_default()),
        (_, s) => SyncFailure::Refused(format!("HTTP {s}")),
    }
}

/// The longest `Retry-After` taken at its word. A server (or anything posing as one) may send
/// any number; a day is longer than any throttle the agency's server sets, and short enough that
/// a device told "never" still tries again tomorrow.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// `Retry-After` in seconds (the only form the server sends; an HTTP date is ignored), at most
/// [`MAX_RETRY_AFTER`].
fn retry_after(response: &Response) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?.trim();
    // All digits but too many for a u64 is still "very long", not "no wait".
    let secs = match value.parse::<u64>() {
        Ok(secs) => secs,
        Err(_) if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => u64::MAX,
        Err(_) => return None,
    };
    Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER))
}

/// Reads a refused answer: its `Retry-After` and its `SyncError` body, if it has one.
async fn refusal(response: Response) -> Result<(Option<Duration>, Option<SyncError>), SyncFailure> {
    let retry_after = retry_after(&response);
    let status = response.status();
    let body = match response.bytes().await {
        Ok(body) => body,
        // The body of a refusal does not matter much; its status still does.
        Err(e) if status.is_server_error() => {
            tracing::debug!(error = %e, "could not read an error body");
            Default::default()
        }
        Err(e) => return Err(transport(e)),
    };
    Ok((retry_after, serde_json::from_slice(&body).ok()))
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, SyncFailure> {
    serde_json::from_slice(body).map_err(|e| DiaryError::Protocol(format!("unreadable answer: {e}")).into())
}

/// A request that got no answer: timeout, no connection, or an answer cut short.
fn transport(e: reqwest::Error) -> SyncFailure {
    tracing::debug!(error = ?e, "sync request failed");
    if e.is_timeout() {
        SyncFailure::TimedOut
    } else if e.is_connect() {
        SyncFailure::Unreachable("no connection to the server".into())
    } else {
        // Connected, then lost: a reset mid-upload, an answer cut short or garbled.
        SyncFailure::ConnectionLost
    }
}
