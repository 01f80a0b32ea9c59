//! The staff dashboard under `/staff`: server-rendered pages (askama templates, checked at
//! compile time), plain forms that work without JavaScript, words from Fluent files, assets
//! embedded in the binary. Its own router, extractors ([`session::Staff`], [`session::Admin`])
//! and error pages, apart from the device API's.
//!
//! Every route is declared once in [`ROUTES`], with who may use it; the router is built from
//! that table and the authorisation tests walk the same table, so a new page cannot be left
//! out of them.

mod assets;
pub mod chart;
pub mod error;
pub mod form;
pub mod i18n;
pub mod pages;
pub mod passwords;
pub mod session;
pub mod writes;

use std::sync::Arc;

use axum::Router;
use axum::routing::{MethodRouter, get, post};

pub use error::StaffError;

use crate::api::AppState;
use crate::storage::Store;

/// Where the dashboard lives.
pub const STAFF: &str = "/staff";

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (sign-in, assets).
    Public,
    /// Signed-in admin or staff.
    Staff,
    /// Signed-in admin.
    Admin,
}

/// A route: method, path under [`STAFF`] (with `{id}` placeholders) and access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

const fn route(method: &'static str, path: &'static str, access: Access) -> Route {
    Route { method, path, access }
}

/// Every dashboard route.
pub const ROUTES: &[Route] = &[
    route("GET", "/sign-in", Access::Public),
    route("POST", "/sign-in", Access::Public),
    route("POST", "/sign-out", Access::Public),
    route("GET", "/assets/staff.css", Access::Public),
    route("GET", "/assets/staff.js", Access::Public),
    route("GET", "/", Access::Staff),
    route("POST", "/mark-read", Access::Staff),
    route("GET", "/entries/{id}", Access::Staff),
    route("POST", "/entries/{id}/reply", Access::Staff),
    route("POST", "/entries/{id}/status", Access::Staff),
    route("POST", "/entries/{id}/due", Access::Staff),
    route("GET", "/caregivers", Access::Staff),
    route("POST", "/caregivers", Access::Staff),
    route("GET", "/caregivers/{id}", Access::Staff),
    route("POST", "/caregivers/{id}/codes", Access::Staff),
    route("POST", "/caregivers/{id}/revoke-code", Access::Staff),
    route("POST", "/caregivers/{id}/revoke-device", Access::Staff),
    route("GET", "/warnings", Access::Staff),
    route("POST", "/warnings/ack", Access::Staff),
    route("GET", "/overview", Access::Staff),
    route("GET", "/catalogue", Access::Admin),
    route("POST", "/catalogue", Access::Admin),
    route("POST", "/catalogue/{id}", Access::Admin),
    route("POST", "/catalogue/{id}/offer", Access::Admin),
    route("GET", "/team", Access::Admin),
    route("POST", "/team", Access::Admin),
    route("GET", "/team/{id}", Access::Admin),
    route("POST", "/team/{id}", Access::Admin),
    route("POST", "/team/{id}/access", Access::Admin),
    route("POST", "/team/{id}/password", Access::Admin),
    route("GET", "/settings", Access::Admin),
    route("POST", "/settings", Access::Admin),
    route("GET", "/audit", Access::Admin),
    route("GET", "/account", Access::Staff),
    route("POST", "/account", Access::Staff),
    route("POST", "/account/password", Access::Staff),
];

fn handler<S: Store>(route: &Route) -> MethodRouter<Arc<AppState<S>>> {
    use pages::{
        account, audit, caregivers, catalogue, entry, overview, queue, settings, sign_in, team, warnings,
    };
    match (route.method, route.path) {
        ("GET", "/sign-in") => get(sign_in::show::<S>),
        ("POST", "/sign-in") => post(sign_in::submit::<S>),
        ("POST", "/sign-out") => post(sign_in::sign_out::<S>),
        ("GET", "/assets/staff.css") => get(assets::css),
        ("GET", "/assets/staff.js") => get(assets::js),
        ("GET", "/") => get(queue::show::<S>),
        ("POST", "/mark-read") => post(queue::mark_read::<S>),
        ("GET", "/entries/{id}") => get(entry::show::<S>),
        ("POST", "/entries/{id}/reply") => post(entry::reply::<S>),
        ("POST", "/entries/{id}/status") => post(entry::status::<S>),
        ("POST", "/entries/{id}/due") => post(entry::due::<S>),
        ("GET", "/caregivers") => get(caregivers::list::<S>),
        ("POST", "/caregivers") => post(caregivers::create::<S>),
        ("GET", "/caregivers/{id}") => get(caregivers::show::<S>),
        ("POST", "/caregivers/{id}/codes") => post(caregivers::make_code::<S>),
        ("POST", "/caregivers/{id}/revoke-code") => post(caregivers::revoke_code::<S>),
        ("POST", "/caregivers/{id}/revoke-device") => post(caregivers::revoke_device::<S>),
        ("GET", "/warnings") => get(warnings::show::<S>),
        ("POST", "/warnings/ack") => post(warnings::ack::<S>),
        ("GET", "/overview") => get(overview::show::<S>),
        ("GET", "/catalogue") => get(catalogue::show::<S>),
        ("POST", "/catalogue") => post(catalogue::add::<S>),
        ("POST", "/catalogue/{id}") => post(catalogue::rename::<S>),
        ("POST", "/catalogue/{id}/offer") => post(catalogue::offer::<S>),
        ("GET", "/team") => get(team::list::<S>),
        ("POST", "/team") => post(team::create::<S>),
        ("GET", "/team/{id}") => get(team::show::<S>),
        ("POST", "/team/{id}") => post(team::save::<S>),
        ("POST", "/team/{id}/access") => post(team::access::<S>),
        ("POST", "/team/{id}/password") => post(team::reset_password::<S>),
        ("GET", "/settings") => get(settings::show::<S>),
        ("POST", "/settings") => post(settings::save::<S>),
        ("GET", "/audit") => get(audit::show::<S>),
        ("GET", "/account") => get(account::show),
        ("POST", "/account") => post(account::save::<S>),
        ("POST", "/account/password") => post(account::password::<S>),
        _ => unreachable!("every route in ROUTES has a handler: {route:?}"),
    }
}

/// `router` with the dashboard nested at [`STAFF`].
pub fn mount<S: Store>(
    router: Router<Arc<AppState<S>>>,
    state: Arc<AppState<S>>,
) -> Router<Arc<AppState<S>>> {
    let mut staff = Router::new();
    for route in ROUTES {
        staff = staff.route(route.path, handler::<S>(route));
    }
    let staff =
        staff.fallback(not_found).layer(axum::middleware::from_fn_with_state(state, session::guard::<S>));
    // A nested router gets `/staff` and `/staff/...`, not `/staff/` itself: send it home.
    router
        .nest(STAFF, staff)
        .route(&format!("{STAFF}/"), get(|| async { axum::response::Redirect::permanent(STAFF) }))
}

async fn not_found(visit: session::Visit) -> StaffError {
    StaffError::NotFound(visit.lang)
}
