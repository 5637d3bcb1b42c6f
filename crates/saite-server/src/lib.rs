//! `saite-server`: the HTTP API over a [`ServerStorage`], generic over the backend.
//!
//! Glossary:
//! - **caller**: the device a request's bearer token belongs to, with its user and
//!   tenant ([`auth::Caller`]); every query is scoped to the caller's tenant.
//! - **limits**: the documented bounds of every request ([`Limits`]): body size, fields
//!   per push, page size, time per request. Exceeding one is the client's mistake and
//!   gets a 4xx with a stable code, never a 500.
//!
//! Handlers are thin: they check the caller and the input, call the storage, and turn
//! the outcome into a status and an [`ApiError`] body.

pub mod auth;
pub mod blobs;
pub mod desk;
pub mod desk_endpoints;
pub mod failure;
pub mod handlers;
pub mod openapi;

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post, put},
};
use saite_domain::Clock;
pub use saite_protocol::ApiError;
use saite_server_storage::ServerStorage;
use tower_http::{timeout::TimeoutLayer, trace::TraceLayer};

/// The bounds of every request. The defaults are documented in docs/server.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body accepted (413 above it).
    pub max_body_bytes: usize,
    /// The most field changes one push may carry (413 above it).
    pub max_push_fields: usize,
    /// The default and the largest number of records one pull page returns.
    pub default_page: u32,
    pub max_page: u32,
    /// How long one request may take before the server gives up on it (408).
    pub request_timeout: Duration,
    /// Failed sign-ins in a row before the user is locked out, and for how long.
    pub lock_after_failures: u32,
    pub lock_for: Duration,
    /// Sign-in attempts per client address per minute (429 above it).
    pub sign_ins_per_minute: u32,
    /// The largest attached file accepted (413 above it). Its parts each travel in one
    /// request, so each is also bounded by `max_body_bytes`.
    pub max_blob_bytes: u64,
    /// How far ahead of the server's clock a pushed stamp may be (422 `stamp-ahead`
    /// beyond it).
    pub max_stamp_ahead: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body_bytes: 8 * 1024 * 1024,
            max_push_fields: 20_000,
            default_page: 2_000,
            max_page: 10_000,
            request_timeout: Duration::from_secs(60),
            lock_after_failures: 5,
            lock_for: Duration::from_secs(15 * 60),
            sign_ins_per_minute: 20,
            // As the laptop's own limit (saite_store::MAX_ATTACHMENT_BYTES).
            max_blob_bytes: 50 * 1024 * 1024,
            max_stamp_ahead: Duration::from_millis(saite_protocol::push::DEFAULT_MAX_STAMP_AHEAD_MS),
        }
    }
}

/// What every handler can reach.
pub struct AppState<S> {
    pub storage: S,
    pub clock: Arc<dyn Clock>,
    pub limits: Limits,
    pub sign_in_rate: auth::SignInRate,
    /// When this process started (ms since the epoch), for the server's health.
    pub started_at_ms: u64,
}

impl<S: ServerStorage> AppState<S> {
    pub fn new(storage: S, clock: Arc<dyn Clock>, limits: Limits) -> Arc<AppState<S>> {
        let started_at_ms = clock.now_ms();
        let sign_in_rate = auth::SignInRate::new(limits.sign_ins_per_minute);
        Arc::new(AppState { storage, clock, limits, sign_in_rate, started_at_ms })
    }
}

/// Adds the server's time to every answer ([`saite_protocol::SERVER_TIME_HEADER`]).
async fn stamp_server_time<S: ServerStorage>(
    axum::extract::State(state): axum::extract::State<Arc<AppState<S>>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut answer = next.run(request).await;
    answer
        .headers_mut()
        .insert(saite_protocol::SERVER_TIME_HEADER, axum::http::HeaderValue::from(state.clock.now_ms()));
    answer
}

/// The whole HTTP API.
pub fn router<S: ServerStorage>(state: Arc<AppState<S>>) -> Router {
    let limits = state.limits;
    Router::new()
        .route("/healthz", get(handlers::health::<S>))
        .route("/openapi.json", get(handlers::openapi_document))
        .route("/v1/sign-in", post(handlers::sign_in::<S>))
        .route("/v1/me", get(handlers::me::<S>))
        .route("/v1/push", post(handlers::push::<S>))
        .route("/v1/events", post(handlers::events::<S>))
        .route("/v1/changes", get(handlers::pull::<S>))
        .route("/v1/checksums", get(handlers::checksums::<S>))
        .route("/v1/users", get(desk_endpoints::users::<S>).post(desk_endpoints::add_user::<S>))
        .route("/v1/users/{id}/disable", post(desk_endpoints::disable_user::<S>))
        .route("/v1/users/{id}/enable", post(desk_endpoints::enable_user::<S>))
        .route("/v1/users/{id}/role", post(desk_endpoints::set_role::<S>))
        .route("/v1/users/{id}/password", post(desk_endpoints::reset_password::<S>))
        .route("/v1/devices", get(desk_endpoints::devices::<S>))
        .route("/v1/devices/{id}/revoke", post(desk_endpoints::revoke_device::<S>))
        .route("/v1/audit", get(desk_endpoints::audit::<S>))
        .route("/v1/audit/verify", get(desk_endpoints::verify_audit::<S>))
        .route("/v1/server", get(desk_endpoints::server_health::<S>))
        .route("/v1/office", get(desk_endpoints::office::<S>).put(desk_endpoints::set_office::<S>))
        .route("/v1/records/{id}/trail", get(desk_endpoints::record_trail::<S>))
        .route("/v1/blobs/{sha256}", put(blobs::put_blob::<S>).get(blobs::get_blob::<S>))
        .route("/v1/blobs/{sha256}/status", get(blobs::blob_status::<S>))
        .fallback(handlers::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), stamp_server_time::<S>))
        .with_state(state)
        // A body over the limit stops being read at the limit; the JSON extractor
        // answers 413 `too-large` (failure::Body).
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, limits.request_timeout))
        .layer(TraceLayer::new_for_http())
}
