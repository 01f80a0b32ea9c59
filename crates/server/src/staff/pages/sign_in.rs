//! Signing in and out. Throttled per username and per client address (the database keeps the
//! counts, so replicas share them); a locked username is refused even with the right password.
//! A successful sign-in makes a new session id and ends the visitor's.

use std::net::SocketAddr;
use std::sync::Arc;

use argon2::Argon2;
use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use serde::Deserialize;

use super::render;
use crate::api::AppState;
use crate::staff::form::Form;
use crate::staff::i18n::Tr;
use crate::staff::passwords;
use crate::staff::session::{Visit, hash_id, new_token, set_cookie, start_visit};
use crate::staff::{STAFF, StaffError};
use crate::storage::dashboard::accounts;
use crate::storage::dashboard::audit::{self, Action, Line};
use crate::storage::dashboard::sessions::{self, NewSession};
use crate::storage::dashboard::throttle::{self, Limit};
use crate::storage::{StaffRole, Store};

#[derive(Template)]
#[template(path = "staff/sign_in.html")]
struct SignInPage {
    tr: Tr,
    csrf: String,
    next: String,
    username: String,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Shown {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

/// Only a path inside the dashboard may be gone back to after signing in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with(STAFF) && !n.starts_with("//") && !n.contains("://") && !n.contains('\\') =>
        {
            n.to_owned()
        }
        _ => STAFF.to_owned(),
    }
}

pub async fn show<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    visit: Visit,
    Query(q): Query<Shown>,
) -> Result<Response, StaffError> {
    if visit.member().is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    let tr = visit.tr();
    let notice = q.done.as_deref().filter(|d| *d == "signed-out").map(|d| tr.t(d));
    let (csrf, cookie) = match &visit.session {
        Some(s) => (s.csrf_token.clone(), None),
        None => {
            let (s, cookie) = start_visit(&state, visit.secure, Utc::now()).await?;
            (s.csrf_token, Some(cookie))
        }
    };
    let page = SignInPage {
        tr,
        csrf,
        next: safe_next(q.next.as_deref()),
        username: String::new(),
        notice,
        error: None,
    };
    let mut response = render(page);
    if let Some(cookie) = cookie {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct Credentials {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// A hash to verify against when the username is unknown, so the answer takes as long as for a
/// known one (made once, of a random password nobody knows).
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
        .unwrap_or_else(|_| SaltString::from_b64("c29tZXNhbHQ").expect("a valid salt"));
    Argon2::default().hash_password(new_token().as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
});

pub async fn submit<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    visit: Visit,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<Credentials>,
) -> Result<Response, StaffError> {
    let now = Utc::now();
    let tr = visit.tr();
    let username = form.username.trim().to_lowercase();
    let client = state.trusted_proxies.client(peer.ip(), &headers);
    let user_key = format!("user:{username}");
    let addr_key = format!("addr:{client}");
    let cfg = &state.config.staff;
    let window = Duration::seconds(i64::try_from(cfg.sign_in_window_secs).unwrap_or(60));
    let lockout = Duration::seconds(i64::try_from(cfg.lockout_secs).unwrap_or(900));
    let user_limit = Limit { failures: cfg.sign_in_failures, window, lockout };
    let addr_limit = Limit { failures: cfg.address_failures, window, lockout };

    let refuse = |status: StatusCode, error: String| -> Result<Response, StaffError> {
        let page = SignInPage {
            tr,
            csrf: visit.csrf().to_owned(),
            next: safe_next(form.next.as_deref()),
            username: form.username.clone(),
            notice: None,
            error: Some(error),
        };
        Ok((status, render(page)).into_response())
    };

    if username.is_empty() || form.password.is_empty() {
        let field = if username.is_empty() { "field-username" } else { "field-password" };
        return refuse(StatusCode::BAD_REQUEST, format!("{}: {}", tr.t(field), tr.t("rule-required")));
    }
    let locked = match throttle::locked_until(&state.store, &user_key, now).await? {
        Some(t) => Some(t),
        None => throttle::locked_until(&state.store, &addr_key, now).await?,
    };
    if let Some(until) = locked {
        let member = accounts::by_username(&state.store, &username).await?;
        let mut line = Line::new(
            member.as_ref().map(|m| m.agency_id),
            member.as_ref().map(|m| m.id),
            &username,
            Action::SignInFailed,
        );
        line.detail = Some("locked".into());
        audit::append(&state.store, &line, now).await?;
        return refuse(StatusCode::TOO_MANY_REQUESTS, tr.t1("sign-in-locked", "time", tr.time(until)));
    }

    let member = accounts::by_username(&state.store, &username).await?;
    let hash = member.as_ref().map_or_else(|| DUMMY_HASH.clone(), |m| m.password_hash.clone());
    let password = form.password.clone();
    let verified = passwords::verify(hash, password).await?;
    let member = member.filter(|m| verified && !m.disabled);
    let Some(member) = member else {
        let known = accounts::by_username(&state.store, &username).await?;
        let mut line = Line::new(
            known.as_ref().map(|m| m.agency_id),
            known.as_ref().map(|m| m.id),
            &username,
            Action::SignInFailed,
        );
        line.detail = Some(format!("from={client}"));
        audit::append(&state.store, &line, now).await?;
        let user_locked = throttle::fail(&state.store, &user_key, user_limit, now).await?;
        let addr_locked = throttle::fail(&state.store, &addr_key, addr_limit, now).await?;
        return match user_locked.or(addr_locked) {
            Some(until) => {
                refuse(StatusCode::TOO_MANY_REQUESTS, tr.t1("sign-in-locked", "time", tr.time(until)))
            }
            None => refuse(StatusCode::UNAUTHORIZED, tr.t("sign-in-failed")),
        };
    };

    throttle::clear(&state.store, &user_key).await?;
    let id = new_token();
    let id_hash = hash_id(&id);
    let csrf = new_token();
    let lifetime = Duration::hours(i64::try_from(cfg.session_hours).unwrap_or(12));
    sessions::create(
        &state.store,
        NewSession {
            id_hash: &id_hash,
            staff_id: Some(member.id),
            csrf_token: &csrf,
            now,
            expires_at: now + lifetime,
        },
        visit.session.as_ref().map(|s| s.id_hash.as_str()),
    )
    .await?;
    let mut line = Line::new(Some(member.agency_id), Some(member.id), &member.username, Action::SignIn);
    line.detail = Some(format!("from={client}"));
    audit::append(&state.store, &line, now).await?;
    // A researcher signs in too (the export page is theirs), but the dashboard's pages are not.
    let to =
        if member.role == StaffRole::Researcher { STAFF.to_owned() } else { safe_next(form.next.as_deref()) };
    let mut response = Redirect::to(&to).into_response();
    response.headers_mut().insert(header::SET_COOKIE, set_cookie(visit.secure, Some(&id), lifetime));
    Ok(response)
}

pub async fn sign_out<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    visit: Visit,
) -> Result<Response, StaffError> {
    if let Some(session) = &visit.session {
        sessions::end(&state.store, &session.id_hash).await?;
        if let Some(m) = &session.member {
            audit::append(
                &state.store,
                &Line::new(Some(m.agency_id), Some(m.id), &m.username, Action::SignOut),
                Utc::now(),
            )
            .await?;
        }
    }
    let mut response = Redirect::to(&format!("{STAFF}/sign-in?done=signed-out")).into_response();
    response.headers_mut().insert(header::SET_COOKIE, set_cookie(visit.secure, None, Duration::zero()));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_dashboard_paths_are_gone_back_to() {
        assert_eq!(safe_next(Some("/staff/entries/1?x=2")), "/staff/entries/1?x=2");
        assert_eq!(safe_next(Some("https://evil.example/staff")), "/staff");
        assert_eq!(safe_next(Some("//evil.example")), "/staff");
        assert_eq!(safe_next(Some("/staff\\@evil")), "/staff");
        assert_eq!(safe_next(None), "/staff");
    }
}
