//! `GET /api/openapi.json`: the API described as OpenAPI 3.1, generated from the code.
//!
//! The key decision: the document and the router come from the same declarations. Each handler
//! carries a `#[utoipa::path]` (method, path, body, every refusal it can answer), the wire types
//! carry `utoipa::ToSchema` (convivio-core's `openapi` feature), and [`Documented`] mounts each
//! handler at the method and path its annotation declares while adding that operation to the
//! document, so the router cannot serve a route the document does not name. `tests/api/openapi.rs` checks the rest over HTTP.

use std::sync::LazyLock;

use axum::Router;
use axum::handler::Handler;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{MethodFilter, MethodRouter, on};
use utoipa::openapi::path::HttpMethod;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use convivio_core::Record;
use convivio_core::entry::Entry;
use convivio_core::sync::{EnrolRequest, EnrolResponse, SyncError, SyncRequest, SyncResponse};

use super::health::Health;
use crate::storage::sqlite::SqliteStore;

/// The security scheme name of the device token.
pub const DEVICE_TOKEN: &str = "device_token";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Convivio agency server",
        description = "Enrolment and sync between caregivers' devices and their agency's server \
                       (sync protocol version 3; version 2 is still answered, in version 2). \
                       Request bodies may be sent compressed \
                       (`Content-Encoding: zstd` or `gzip`); responses are compressed when the \
                       client accepts it. Every refusal is a `SyncError` whose `code` is stable: \
                       act on the code, show the message."
    ),
    components(schemas(SyncRequest, SyncResponse, SyncError, EnrolRequest, EnrolResponse, Record, Entry, Health)),
    modifiers(&DeviceToken)
)]
struct ApiDoc;

/// Declares the bearer device token that `POST /api/v1/sync` requires.
struct DeviceToken;

impl Modify for DeviceToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            DEVICE_TOKEN,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The `device_token` from enrolment: 64 hex digits. A revoked device gets 401 \
                         with code `revoked`, an unknown token 401 with code `unauthorized`.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document, as built from the code: the one [`super::router`] serves.
pub fn openapi() -> utoipa::openapi::OpenApi {
    // The routes are generic over the store only in their state type; any backend's document is
    // the same.
    let doc = super::routes::<SqliteStore>(&crate::config::Config::default().limits).1;
    nullable_formats_as_one_of(doc)
}

/// Writes each optional formatted string (`{"type": ["string", "null"], "format": "date-time"}`,
/// as utoipa writes an `Option<DateTime>`) as `oneOf` a formatted string or null. The two say
/// the same; but generators and validators that read `format` only on a plain string type
/// (schemathesis among them) took the first for "any string", and an empty `revoked_at` is no
/// date-time this server can read.
fn nullable_formats_as_one_of(doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    fn walk(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                let nullable_string = map.get("type") == Some(&serde_json::json!(["string", "null"]))
                    && map.contains_key("format");
                if nullable_string && let Some(format) = map.remove("format") {
                    map.remove("type");
                    map.insert(
                        "oneOf".into(),
                        serde_json::json!([{"type": "string", "format": format}, {"type": "null"}]),
                    );
                }
                map.values_mut().for_each(walk);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    let Ok(mut json) = serde_json::to_value(&doc) else { return doc };
    walk(&mut json);
    serde_json::from_value(json).unwrap_or(doc)
}

/// The document as served and as committed in `docs/openapi.json`.
pub fn openapi_pretty_json() -> String {
    // Serialising a document of plain data cannot fail; an empty object would be caught by tests.
    let mut json = openapi().to_pretty_json().unwrap_or_else(|_| "{}".into());
    json.push('\n');
    json
}

static DOCUMENT: LazyLock<String> = LazyLock::new(openapi_pretty_json);

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    responses((status = 200, description = "This OpenAPI document", content_type = "application/json", body = Object))
)]
pub async fn openapi_json() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT.as_str())
}

/// Routes, each mounted at the method and path its `#[utoipa::path]` declares and added to the
/// document at the same time: the document's paths are the router's routes by construction.
/// A `Documented` made [`under`](Self::under) a prefix is a router of its own (its own fallback,
/// its own layers) to be [`nest`](Self::nest)ed there; its document still names full paths.
pub(super) struct Documented<S> {
    prefix: &'static str,
    router: Router<S>,
    doc: utoipa::openapi::OpenApi,
}

impl<S: Clone + Send + Sync + 'static> Documented<S> {
    pub(super) fn new() -> Self {
        Documented { prefix: "", router: Router::new(), doc: ApiDoc::openapi() }
    }

    /// Routes whose paths all start with `prefix`, mounted without it, to be nested there.
    pub(super) fn under(prefix: &'static str) -> Self {
        Documented { prefix, router: Router::new(), doc: utoipa::openapi::OpenApi::default() }
    }

    /// Mounts `handler` where `P` (the `__path_<handler>` type of its annotation) says.
    pub(super) fn route<P, H, T>(self, handler: H) -> Self
    where
        P: utoipa::Path,
        H: Handler<T, S>,
        T: 'static,
    {
        self.route_with::<P, H, T>(handler, |route| route)
    }

    /// Like [`route`](Self::route), with `layers` applied to this route alone (body limits).
    pub(super) fn route_with<P, H, T>(
        mut self,
        handler: H,
        layers: impl FnOnce(MethodRouter<S>) -> MethodRouter<S>,
    ) -> Self
    where
        P: utoipa::Path,
        H: Handler<T, S>,
        T: 'static,
    {
        let methods = P::methods();
        let filter = methods
            .iter()
            .map(|method| match method {
                HttpMethod::Get => MethodFilter::GET,
                HttpMethod::Post => MethodFilter::POST,
                HttpMethod::Put => MethodFilter::PUT,
                HttpMethod::Delete => MethodFilter::DELETE,
                HttpMethod::Options => MethodFilter::OPTIONS,
                HttpMethod::Head => MethodFilter::HEAD,
                HttpMethod::Patch => MethodFilter::PATCH,
                HttpMethod::Trace => MethodFilter::TRACE,
            })
            .reduce(MethodFilter::or);
        let path = P::path();
        let Some(mounted) = path.strip_prefix(self.prefix) else {
            // A handler annotated with a path outside its router: a mistake in this crate,
            // caught by every test that builds the router.
            panic!("{path} is documented under {}, where it cannot be mounted", self.prefix);
        };
        if let Some(filter) = filter {
            self.router = self.router.route(mounted, layers(on(filter, handler)));
            self.doc.paths.add_path_operation(path, methods, P::operation());
        }
        self
    }

    /// What answers the paths under this router's prefix that no route matches.
    pub(super) fn fallback<H, T>(mut self, handler: H) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.router = self.router.fallback(handler);
        self
    }

    /// Nests `inner` at its prefix, its operations joining this document.
    pub(super) fn nest(mut self, inner: Documented<S>) -> Self {
        let Some(path) = inner.prefix.strip_prefix(self.prefix) else {
            panic!("{} cannot be nested under {}", inner.prefix, self.prefix);
        };
        self.router = self.router.nest(path, inner.router);
        self.doc.merge(inner.doc);
        self
    }

    pub(super) fn into_parts(self) -> (Router<S>, utoipa::openapi::OpenApi) {
        (self.router, self.doc)
    }
}
