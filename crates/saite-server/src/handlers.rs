//! The HTTP handlers: each checks the caller and the input, calls the storage once or
//! twice, and answers. See [`crate::openapi`] for the documented contract.

use std::{net::SocketAddr, sync::Arc};

use axum::{
    Json,
    extract::{ConnectInfo, Query, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Response},
};
use saite_domain::RecordId;
use saite_protocol::push::{PushRules, ShapeError};
use saite_protocol::{
    ApiErrorCode, Checksums, DeviceEventsRequest, DeviceEventsResponse, Health, Me, PROTOCOL_VERSION, PullPage,
    PushRequest, PushResponse, SignInRequest, SignInResponse, TenantSummary, UserSummary,
};
use saite_server_storage::{AuditContext, NewDevice, ServerStorage, User, UserChange};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use crate::{
    AppState,
    auth::{self, Caller},
    failure::{Body, Failure},
};

type App<S> = State<Arc<AppState<S>>>;

pub(crate) fn audit_of(state_now: u64, caller: &Caller, action: &str, detail: serde_json::Value) -> AuditContext {
    AuditContext {
        at_ms: state_now,
        device_time_ms: None,
        user: Some(caller.user.id),
        device: Some(caller.device.id),
        action: action.to_owned(),
        detail,
    }
}

#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health), (status = 503, body = saite_protocol::ApiError)))]
pub async fn health<S: ServerStorage>(State(state): App<S>) -> Result<Json<Health>, Failure> {
    state.storage.ping().await?;
    Ok(Json(Health { status: "ok".into(), protocol: PROTOCOL_VERSION, version: env!("CARGO_PKG_VERSION").into() }))
}

pub async fn openapi_document() -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], crate::openapi::document_json()).into_response()
}

pub async fn not_found() -> Failure {
    Failure::not_found("endpoint")
}

/// Signs a laptop in: checks the password, and registers the device with a new token.
#[utoipa::path(post, path = "/v1/sign-in", request_body = SignInRequest, responses(
    (status = 200, body = SignInResponse),
    (status = 401, description = "bad-credentials, user-disabled or device-revoked", body = saite_protocol::ApiError),
    (status = 409, description = "device-taken", body = saite_protocol::ApiError),
    (status = 426, description = "version-mismatch", body = saite_protocol::ApiError),
    (status = 429, description = "locked-out or rate-limited", body = saite_protocol::ApiError),
))]
pub async fn sign_in<S: ServerStorage>(
    State(state): App<S>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    parts: Parts,
    Body(req): Body<SignInRequest>,
) -> Result<Json<SignInResponse>, Failure> {
    auth::check_protocol(&parts)?;
    let now = state.clock.now_ms();
    if !state.sign_in_rate.allow(peer.ip(), now) {
        return Err(Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            ApiErrorCode::RateLimited,
            "too many sign-ins from this address; wait a minute",
        ));
    }
    if req.device_name.trim().is_empty() || req.device_name.chars().count() > 200 {
        return Err(Failure::malformed("deviceName must be 1 to 200 characters"));
    }
    let bad = || Failure::new(StatusCode::UNAUTHORIZED, ApiErrorCode::BadCredentials, "wrong e-mail or password");
    let user = state.storage.user_by_email(&req.email).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| auth::DUMMY_HASH.clone());
    let password = req.password.clone();
    let matches = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(|e| Failure::new(StatusCode::SERVICE_UNAVAILABLE, ApiErrorCode::Unavailable, e.to_string()))?;
    let Some(user) = user else { return Err(bad()) };
    let context = |action: &str, detail: serde_json::Value| AuditContext {
        at_ms: now,
        device_time_ms: None,
        user: Some(user.id),
        device: Some(req.device_id),
        action: action.to_owned(),
        detail,
    };
    if user.locked_until_ms.is_some_and(|t| t > now) {
        state
            .storage
            .append_audit(user.tenant, context("sign-in-locked", json!({"ip": peer.ip().to_string()})))
            .await?;
        return Err(Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            ApiErrorCode::LockedOut,
            "too many failed sign-ins; try again later",
        ));
    }
    if !matches {
        let failures = user.failed_sign_ins + 1;
        let lock =
            (failures >= state.limits.lock_after_failures).then(|| now + state.limits.lock_for.as_millis() as u64);
        state.storage.update_user(user.id, UserChange::SignInFailed { lock_until_ms: lock }, None).await?;
        state
            .storage
            .append_audit(
                user.tenant,
                context(
                    "sign-in-failed",
                    json!({"ip": peer.ip().to_string(), "failures": failures, "locked": lock.is_some()}),
                ),
            )
            .await?;
        return Err(bad());
    }
    if user.disabled {
        return Err(Failure::new(StatusCode::UNAUTHORIZED, ApiErrorCode::UserDisabled, "this user is disabled"));
    }
    let tenant = state.storage.tenant(user.tenant).await?.ok_or_else(|| Failure::not_found("organisation"))?;
    state.storage.update_user(user.id, UserChange::SignInSucceeded, None).await?;
    let token = auth::new_token();
    state
        .storage
        .register_device(
            NewDevice {
                id: req.device_id,
                tenant: user.tenant,
                user: user.id,
                name: req.device_name.trim().to_owned(),
                token_hash: auth::token_hash(&token),
            },
            context("sign-in", json!({"ip": peer.ip().to_string(), "deviceName": req.device_name.trim()})),
        )
        .await?;
    Ok(Json(SignInResponse {
        device_token: token,
        user: summary(&user),
        tenant: TenantSummary { id: tenant.id, name: tenant.name },
    }))
}

pub(crate) fn summary(u: &User) -> UserSummary {
    UserSummary { id: u.id, email: u.email.clone(), name: u.name.clone(), role: u.role }
}

#[utoipa::path(get, path = "/v1/me", responses((status = 200, body = Me), (status = 401, body = saite_protocol::ApiError)), security(("device_token" = [])))]
pub async fn me<S: ServerStorage>(caller: Caller) -> Json<Me> {
    Json(Me {
        user: summary(&caller.user),
        tenant: TenantSummary { id: caller.tenant.id, name: caller.tenant.name.clone() },
        device_id: caller.device.id,
        applied_seq: caller.device.applied_seq,
        office: caller.tenant.office.clone(),
    })
}

/// Stores a batch of the caller's outbox (see the protocol docs).
#[utoipa::path(post, path = "/v1/push", request_body = PushRequest, responses(
    (status = 200, body = PushResponse),
    (status = 400, description = "malformed", body = saite_protocol::ApiError),
    (status = 401, description = "signed-out, device-revoked or user-disabled", body = saite_protocol::ApiError),
    (status = 409, description = "seq-gap: resend from appliedSeq; blob-missing: upload the attachment's file first", body = saite_protocol::ApiError),
    (status = 413, description = "too-large", body = saite_protocol::ApiError),
    (status = 422, description = "invalid-record: field names the value", body = saite_protocol::ApiError),
), security(("device_token" = [])))]
pub async fn push<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
    Body(batch): Body<PushRequest>,
) -> Result<Json<PushResponse>, Failure> {
    saite_protocol::push::check_shape(&batch, state.limits.max_push_fields).map_err(|e| match e {
        ShapeError::TooLarge { .. } => {
            Failure::new(StatusCode::PAYLOAD_TOO_LARGE, ApiErrorCode::TooLarge, e.to_string())
        }
        ShapeError::SeqsNotRising { .. } => Failure::malformed(e.to_string()),
    })?;
    let fresh: Vec<&saite_protocol::RecordChange> =
        batch.changes.iter().filter(|c| c.seq > caller.device.applied_seq).collect();
    // A file is referenced only once it is stored, so no laptop pulls an attachment it
    // cannot open. Complete blobs are never removed, so checking before the push's own
    // transaction cannot race.
    let wanted: Vec<(RecordId, String)> = fresh
        .iter()
        .filter(|c| c.collection == saite_domain::Collection::Attachment)
        .filter_map(|c| Some((c.record, c.fields.as_map().get("sha256")?.as_str()?.to_owned())))
        .collect();
    if !wanted.is_empty() {
        let missing =
            state.storage.missing_blobs(caller.tenant.id, wanted.iter().map(|(_, s)| s.clone()).collect()).await?;
        if let Some((record, sha)) = wanted.iter().find(|(_, s)| missing.contains(s)) {
            let message = format!("upload the file {sha} before the change that references it");
            return Err(refused_field(StatusCode::CONFLICT, ApiErrorCode::BlobMissing, *record, "sha256", message));
        }
    }
    let now = state.clock.now_ms();
    let rules = PushRules { now_ms: now, max_stamp_ahead_ms: state.limits.max_stamp_ahead.as_millis() as u64 };
    let applied_seq = caller.device.applied_seq;
    let pushed = state.storage.push(caller.device.id, batch, rules, audit_of(now, &caller, "push", json!({}))).await;
    // Refused as ahead, the laptop stamps again only what the server has not applied.
    Ok(Json(pushed.map_err(|e| {
        let mut failure = Failure::from(e);
        if failure.body.code == ApiErrorCode::StampAhead {
            failure.body.applied_seq = Some(applied_seq);
        }
        failure
    })?))
}

/// Keeps the caller's events (its exports) in the audit with the laptop's times.
#[utoipa::path(post, path = "/v1/events", request_body = DeviceEventsRequest, responses(
    (status = 200, body = DeviceEventsResponse),
    (status = 400, description = "malformed", body = saite_protocol::ApiError),
    (status = 401, description = "signed-out, device-revoked or user-disabled", body = saite_protocol::ApiError),
), security(("device_token" = [])))]
pub async fn events<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
    Body(request): Body<DeviceEventsRequest>,
) -> Result<Json<DeviceEventsResponse>, Failure> {
    request.check().map_err(Failure::malformed)?;
    let now = state.clock.now_ms();
    let events = request
        .events
        .into_iter()
        .map(|e| {
            let detail = serde_json::to_value(&e.detail).expect("a detail serialises");
            let mut entry = audit_of(now, &caller, e.action.audit_action(), detail);
            entry.device_time_ms = Some(e.at_ms);
            (e.seq, entry)
        })
        .collect();
    let applied_seq = state.storage.append_device_events(caller.device.id, events).await?;
    Ok(Json(DeviceEventsResponse { applied_seq }))
}

/// A push refused because of one field of one record, both named in the answer.
pub(crate) fn refused_field(
    status: StatusCode,
    code: ApiErrorCode,
    record: RecordId,
    field: &str,
    message: String,
) -> Failure {
    let mut f = Failure::new(status, code, message);
    f.body.field = Some(field.to_owned());
    f.body.record = Some(record);
    f
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// The cursor: records changed after this server seq (0 for everything).
    #[serde(default)]
    pub after: u64,
    /// Records per page (default 2000, at most the server's `--max-page`, 10 000 unless set).
    pub limit: Option<u32>,
    /// Only this collection's values (a re-pull, see `repullGeneration` in the checksums);
    /// such a pull does not count as having pulled the rest.
    pub collection: Option<String>,
    /// Also count the records after this page (`remaining`): a laptop asks on a pull's
    /// first page, to show how much is coming.
    #[serde(default)]
    pub count: bool,
}

/// A page of the tenant's records changed after a cursor.
#[utoipa::path(get, path = "/v1/changes", params(PullQuery), responses((status = 200, body = PullPage), (status = 401, body = saite_protocol::ApiError)), security(("device_token" = [])))]
pub async fn pull<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<PullPage>, Failure> {
    let Query(q) = query.map_err(|e| Failure::malformed(e.body_text()))?;
    let limit = q.limit.unwrap_or(state.limits.default_page).clamp(1, state.limits.max_page);
    let collection = match q.collection.as_deref() {
        None => None,
        Some(name) => Some(
            saite_domain::Collection::parse(name)
                .ok_or_else(|| Failure::malformed(format!("no collection {name:?}")))?,
        ),
    };
    let mut page = match collection {
        None => state.storage.pull_with_summary(caller.device.id, caller.tenant.id, q.after, limit).await?,
        Some(collection) => state.storage.pull_collection(caller.device.id, collection, q.after, limit).await?,
    };
    if q.count {
        // The last page (a round with nothing to do) needs no second trip: none follow.
        let remaining = match page.more {
            true => state.storage.records_after(caller.tenant.id, collection, page.end_cursor).await?,
            false => 0,
        };
        page.remaining = Some(remaining);
    }
    Ok(Json(page))
}

#[utoipa::path(get, path = "/v1/checksums", responses((status = 200, body = Checksums)), security(("device_token" = [])))]
pub async fn checksums<S: ServerStorage>(State(state): App<S>, caller: Caller) -> Result<Json<Checksums>, Failure> {
    Ok(Json(state.storage.checksums(caller.tenant.id).await?))
}
