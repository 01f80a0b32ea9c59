//! Who is asking: the session cookie, the session it names in the database, and the signed-in
//! member, checked once per request by [`guard`] before any handler runs.
//!
//! Why our own sessions rather than a session crate's: the table keeps only a hash of each id
//! (a database copy signs nobody in), every session has both an idle timeout and an absolute
//! end, a sign-in always makes a new id (rotation) in the same transaction that ends the
//! visitor's, and the CSRF token lives in the session row, so every replica shares all of it
//! through the one database. The cookie itself is an opaque random id with standard attributes.
//!
//! [`guard`] also refuses any POST whose `csrf` form field is not the session's token (403,
//! nothing changed), so no handler can forget the check, and adds the security headers to
//! every answer.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::StaffError;
use super::i18n::{Tr, UiLang};
use crate::api::AppState;
use crate::storage::dashboard::accounts::Member;
use crate::storage::dashboard::sessions::{self, NewSession, Session};
use crate::storage::{StaffRole, Store};

/// The cookie's name: with `__Host-` when it is `Secure` (the browser then also insists on
/// `Path=/` and no `Domain`, so no other site or path can set it).
pub fn cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-convivio_staff" } else { "convivio_staff" }
}

/// Largest form a dashboard POST may send.
pub const FORM_LIMIT: usize = 64 * 1024;

/// A visitor's session lasts this long before signing in.
const VISITOR_LIFETIME: Duration = Duration::hours(2);

/// Activity is written back at most this often (not on every request).
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// A new random token (256 bits, hex): session ids and CSRF tokens.
pub fn new_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

pub fn hash_id(id: &str) -> String {
    hex::encode(Sha256::digest(id.as_bytes()))
}

/// What [`guard`] found, for the handlers (in the request's extensions).
#[derive(Debug, Clone)]
pub struct Visit {
    pub session: Option<Session>,
    pub lang: UiLang,
    /// Whether cookies must be `Secure` (HTTPS, directly or behind a TLS proxy).
    pub secure: bool,
}

impl Visit {
    pub fn member(&self) -> Option<&Member> {
        self.session.as_ref().and_then(|s| s.member.as_ref())
    }

    pub fn csrf(&self) -> &str {
        self.session.as_ref().map_or("", |s| s.csrf_token.as_str())
    }

    pub fn tr(&self) -> Tr {
        Tr::new(self.lang)
    }
}

/// The `Set-Cookie` value for a session id (`None`: clear it).
pub fn set_cookie(secure: bool, id: Option<&str>, max_age: Duration) -> HeaderValue {
    let name = cookie_name(secure);
    let value = match id {
        Some(id) => format!(
            "{name}={id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
            max_age.num_seconds(),
            if secure { "; Secure" } else { "" }
        ),
        None => format!(
            "{name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
            if secure { "; Secure" } else { "" }
        ),
    };
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Loads the session the cookie names, if it is still valid: not past its absolute end, not
/// idle too long, and for a member, not disabled. An invalid one is deleted.
async fn load<S: Store>(
    state: &AppState<S>,
    headers: &HeaderMap,
    secure: bool,
    now: DateTime<Utc>,
) -> Result<Option<Session>, StaffError> {
    let Some(id) = cookie_value(headers, cookie_name(secure)) else { return Ok(None) };
    if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let id_hash = hash_id(id);
    let Some(session) = sessions::get(&state.store, &id_hash).await? else { return Ok(None) };
    let idle =
        Duration::minutes(i64::try_from(state.config.staff.idle_timeout_mins).unwrap_or(i64::MAX / 60_000));
    let valid = session.expires_at > now
        && (session.member.is_none() || session.last_seen_at + idle > now)
        && !session.member.as_ref().is_some_and(|m| m.disabled);
    if !valid {
        sessions::end(&state.store, &id_hash).await?;
        return Ok(None);
    }
    if now - session.last_seen_at > TOUCH_EVERY {
        sessions::touch(&state.store, &id_hash, now).await?;
    }
    Ok(Some(session))
}

/// Starts a visitor's session (for the sign-in form's CSRF token); returns it and its cookie.
pub async fn start_visit<S: Store>(
    state: &AppState<S>,
    secure: bool,
    now: DateTime<Utc>,
) -> Result<(Session, HeaderValue), StaffError> {
    let id = new_token();
    let csrf = new_token();
    let id_hash = hash_id(&id);
    let expires_at = now + VISITOR_LIFETIME;
    sessions::create(
        &state.store,
        NewSession { id_hash: &id_hash, staff_id: None, csrf_token: &csrf, now, expires_at },
        None,
    )
    .await?;
    let session =
        Session { id_hash, member: None, csrf_token: csrf, created_at: now, last_seen_at: now, expires_at };
    Ok((session, set_cookie(secure, Some(&id), VISITOR_LIFETIME)))
}

/// Whether this server's cookies must be `Secure`.
pub fn secure<S>(state: &AppState<S>) -> bool {
    state.config.tls_cert.is_some() || state.config.staff.behind_tls_proxy
}

/// The middleware every dashboard request passes: session, CSRF, security headers.
pub async fn guard<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = match checked(&state, request, next).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    };
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(name.clone(), HeaderValue::from_static(value));
    }
    response
}

/// Every page: no script or style from anywhere but this server, none inline, no framing, no
/// sniffing, no referrer leaving the dashboard, and nothing cached (the pages hold diaries).
const SECURITY_HEADERS: &[(header::HeaderName, &str)] = &[
    (
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "same-origin"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::CACHE_CONTROL, "no-store"),
];

async fn checked<S: Store>(
    state: &Arc<AppState<S>>,
    request: Request,
    next: Next,
) -> Result<Response, StaffError> {
    let now = Utc::now();
    let secure = secure(state);
    let (mut parts, body) = request.into_parts();
    let session = load(state, &parts.headers, secure, now).await?;
    let lang = match session.as_ref().and_then(|s| s.member.as_ref()) {
        Some(m) => UiLang::from_code(&m.lang),
        None => UiLang::from_accept(parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok())),
    };
    let visit = Visit { session, lang, secure };
    let body = if parts.method == Method::POST {
        let bytes = to_bytes(body, FORM_LIMIT).await.map_err(|_| StaffError::TooLarge)?;
        let token = form_urlencoded::parse(&bytes).find(|(k, _)| k == "csrf").map(|(_, v)| v.into_owned());
        let expected = visit.session.as_ref().map(|s| s.csrf_token.as_str());
        // Hashes compared, so the time taken says nothing about the token.
        let matches = match (token, expected) {
            (Some(token), Some(expected)) => {
                Sha256::digest(token.as_bytes()) == Sha256::digest(expected.as_bytes())
            }
            _ => false,
        };
        if !matches {
            return Err(StaffError::Csrf(visit.lang));
        }
        Body::from(bytes)
    } else {
        body
    };
    parts.extensions.insert(visit);
    Ok(next.run(Request::from_parts(parts, body)).await)
}

/// A signed-in admin or staff member (researchers have a page of their own elsewhere: 403
/// here). Without a session, the browser is sent to the sign-in page, and back after.
#[derive(Debug, Clone)]
pub struct Staff {
    pub member: Member,
    pub visit: Visit,
}

impl Staff {
    pub fn tr(&self) -> Tr {
        self.visit.tr()
    }

    pub fn is_admin(&self) -> bool {
        self.member.role == StaffRole::Admin
    }
}

fn visit_of(parts: &Parts) -> Result<Visit, StaffError> {
    parts.extensions.get::<Visit>().cloned().ok_or(StaffError::Internal("the session guard did not run"))
}

impl<S: Send + Sync> FromRequestParts<S> for Visit {
    type Rejection = StaffError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Visit, StaffError> {
        visit_of(parts)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Staff, Response> {
        let visit = visit_of(parts).map_err(IntoResponse::into_response)?;
        match visit.member().cloned() {
            None => {
                // The path as the browser asked for it (`parts.uri` is the nested router's, without
                // the `/staff` prefix).
                let original = parts.extensions.get::<axum::extract::OriginalUri>().map(|o| o.0.clone());
                let uri = original.as_ref().unwrap_or(&parts.uri);
                let back = uri.path_and_query().map(|p| p.as_str()).unwrap_or(super::STAFF);
                let to = format!(
                    "{}/sign-in?next={}",
                    super::STAFF,
                    percent_encoding::utf8_percent_encode(back, percent_encoding::NON_ALPHANUMERIC)
                );
                Err(Redirect::to(&to).into_response())
            }
            Some(member) if member.role == StaffRole::Researcher => {
                Err(StaffError::Forbidden(visit.lang).into_response())
            }
            Some(member) => Ok(Staff { member, visit }),
        }
    }
}

/// A signed-in admin: staff get 403.
#[derive(Debug, Clone)]
pub struct Admin(pub Staff);

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Admin, Response> {
        let staff = Staff::from_request_parts(parts, state).await?;
        if staff.is_admin() {
            Ok(Admin(staff))
        } else {
            Err(StaffError::Forbidden(staff.visit.lang).into_response())
        }
    }
}
