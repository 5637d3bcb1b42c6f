//! The desk ([`crate::desk`]) over HTTP: each handler reads its input, asks the desk
//! as the signed-in caller, and answers with the protocol's view of the result.

use std::sync::Arc;

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use saite_domain::{DeviceId, RecordId};
use saite_protocol::{
    ApiError, PROTOCOL_VERSION, TrailEntry, UserId,
    admin::{
        AuditQuery, AuditVerdict, AuditView, DeviceView, NewUserRequest, OneTimePassword, RoleRequest, ServerHealth,
        UserView,
    },
    office::OfficeSettings,
};
use saite_server_storage::{AuditRecord, Device, ServerStorage, User};

use crate::{
    AppState,
    auth::Caller,
    desk::{Actor, Desk},
    failure::{Body, Failure},
};

type App<S> = State<Arc<AppState<S>>>;

/// Devices silent this long count as silent in [`ServerHealth`].
const SILENT_AFTER_MS: u64 = 30 * 24 * 60 * 60 * 1000;

fn desk<'a, S: ServerStorage>(state: &'a AppState<S>, caller: &'a Caller) -> Desk<'a, S> {
    Desk { storage: &state.storage, actor: Actor::Member(caller), now_ms: state.clock.now_ms() }
}

/// A user as `caller` sees them.
fn user_view(u: &User, caller: &Caller) -> UserView {
    UserView {
        user: crate::handlers::summary(u),
        disabled: u.disabled,
        locked_until_ms: u.locked_until_ms,
        created_at_ms: u.created_at_ms,
        is_you: u.id == caller.user.id,
    }
}

/// A laptop as `caller` sees it.
fn device_view(d: &Device, caller: &Caller) -> DeviceView {
    DeviceView {
        id: d.id,
        user: d.user,
        name: d.name.clone(),
        created_at_ms: d.created_at_ms,
        revoked_at_ms: d.revoked_at_ms,
        last_seen_ms: d.last_seen_ms,
        applied_seq: d.applied_seq,
        pulled_seq: d.pulled_seq,
        app_version: d.app_version.clone(),
        pending_changes: d.pending_changes(),
        is_this_laptop: d.id == caller.device.id,
    }
}

fn audit_view(e: AuditRecord) -> AuditView {
    AuditView {
        seq: e.seq,
        at_ms: e.at_ms,
        device_time_ms: e.device_time_ms,
        user: e.user,
        device: e.device,
        action: e.action,
        detail: e.detail,
        prev_hash: e.prev_hash,
        hash: e.hash,
    }
}

/// An id in the path: one that does not read is malformed (an unknown one is 404).
fn user_id(id: &str) -> Result<UserId, Failure> {
    id.parse::<uuid::Uuid>().map(UserId).map_err(|_| Failure::malformed("the user id is not a UUID"))
}

#[utoipa::path(get, path = "/v1/users", responses((status = 200, body = [UserView]), (status = 403, body = ApiError)), security(("device_token" = [])))]
pub async fn users<S: ServerStorage>(State(state): App<S>, caller: Caller) -> Result<Json<Vec<UserView>>, Failure> {
    let users = desk(&state, &caller).users(caller.tenant.id).await?;
    Ok(Json(users.iter().map(|u| user_view(u, &caller)).collect()))
}

/// Adds a user to the caller's organisation with a one-time password.
#[utoipa::path(post, path = "/v1/users", request_body = NewUserRequest, responses(
    (status = 201, body = OneTimePassword), (status = 403, body = ApiError),
    (status = 409, description = "email-taken", body = ApiError), (status = 422, description = "invalid-input: field names it", body = ApiError),
), security(("device_token" = [])))]
pub async fn add_user<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
    Body(new): Body<NewUserRequest>,
) -> Result<(StatusCode, Json<OneTimePassword>), Failure> {
    let (user, password) = desk(&state, &caller).add_user(caller.tenant.id, new, None).await?;
    let password = password.expect("the desk makes a one-time password when none is given");
    Ok((StatusCode::CREATED, Json(OneTimePassword { user: user_view(&user, &caller), password })))
}

/// Disables a user: their laptops are refused until the user is enabled again.
#[utoipa::path(post, path = "/v1/users/{id}/disable", params(("id" = String, Path)), responses(
    (status = 200, body = UserView), (status = 403, body = ApiError), (status = 404, body = ApiError),
    (status = 409, description = "last-admin", body = ApiError),
), security(("device_token" = [])))]
pub async fn disable_user<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<UserView>, Failure> {
    let user = desk(&state, &caller).set_disabled(user_id(&id)?, true).await?;
    Ok(Json(user_view(&user, &caller)))
}

#[utoipa::path(post, path = "/v1/users/{id}/enable", params(("id" = String, Path)), responses(
    (status = 200, body = UserView), (status = 403, body = ApiError), (status = 404, body = ApiError),
), security(("device_token" = [])))]
pub async fn enable_user<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<UserView>, Failure> {
    let user = desk(&state, &caller).set_disabled(user_id(&id)?, false).await?;
    Ok(Json(user_view(&user, &caller)))
}

#[utoipa::path(post, path = "/v1/users/{id}/role", params(("id" = String, Path)), request_body = RoleRequest, responses(
    (status = 200, body = UserView), (status = 403, body = ApiError), (status = 404, body = ApiError),
    (status = 409, description = "last-admin", body = ApiError),
), security(("device_token" = [])))]
pub async fn set_role<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
    Path(id): Path<String>,
    Body(change): Body<RoleRequest>,
) -> Result<Json<UserView>, Failure> {
    let user = desk(&state, &caller).set_role(user_id(&id)?, change.role).await?;
    Ok(Json(user_view(&user, &caller)))
}

/// Gives a user a one-time password (and lifts a lock-out).
#[utoipa::path(post, path = "/v1/users/{id}/password", params(("id" = String, Path)), responses(
    (status = 200, body = OneTimePassword), (status = 403, body = ApiError), (status = 404, body = ApiError),
), security(("device_token" = [])))]
pub async fn reset_password<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<OneTimePassword>, Failure> {
    let (user, password) = desk(&state, &caller).reset_password(user_id(&id)?, None).await?;
    let password = password.expect("the desk makes a one-time password when none is given");
    Ok(Json(OneTimePassword { user: user_view(&user, &caller), password }))
}

#[utoipa::path(get, path = "/v1/devices", responses((status = 200, body = [DeviceView]), (status = 403, body = ApiError)), security(("device_token" = [])))]
pub async fn devices<S: ServerStorage>(State(state): App<S>, caller: Caller) -> Result<Json<Vec<DeviceView>>, Failure> {
    let devices = desk(&state, &caller).devices(caller.tenant.id).await?;
    Ok(Json(devices.iter().map(|d| device_view(d, &caller)).collect()))
}

/// Revokes a device of the caller's organisation (a lost laptop): it wipes itself at
/// its next contact.
#[utoipa::path(post, path = "/v1/devices/{id}/revoke", params(("id" = String, Path, description = "the device id")), responses(
    (status = 200, body = DeviceView), (status = 403, body = ApiError), (status = 404, body = ApiError),
), security(("device_token" = [])))]
pub async fn revoke_device<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<DeviceView>, Failure> {
    let id: DeviceId = id.parse().map_err(|_| Failure::malformed("the device id is not a UUID"))?;
    let device = desk(&state, &caller).revoke_device(id).await?;
    Ok(Json(device_view(&device, &caller)))
}

#[utoipa::path(get, path = "/v1/audit", params(AuditQuery), responses((status = 200, body = [AuditView]), (status = 403, body = ApiError)), security(("device_token" = [])))]
pub async fn audit<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<AuditView>>, Failure> {
    let Query(q) = query.map_err(|e| Failure::malformed(e.body_text()))?;
    let entries = desk(&state, &caller).audit(caller.tenant.id, &q).await?;
    Ok(Json(entries.into_iter().map(audit_view).collect()))
}

/// Checks the organisation's whole audit chain.
#[utoipa::path(get, path = "/v1/audit/verify", responses((status = 200, body = AuditVerdict), (status = 403, body = ApiError)), security(("device_token" = [])))]
pub async fn verify_audit<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
) -> Result<Json<AuditVerdict>, Failure> {
    let (entries, fault) = desk(&state, &caller).verify_audit(caller.tenant.id).await?;
    Ok(Json(AuditVerdict { entries, fault }))
}

/// How the server is: its version, its database, its users and devices.
#[utoipa::path(get, path = "/v1/server", responses((status = 200, body = ServerHealth), (status = 403, body = ApiError)), security(("device_token" = [])))]
pub async fn server_health<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
) -> Result<Json<ServerHealth>, Failure> {
    let desk = desk(&state, &caller);
    let users = desk.users(caller.tenant.id).await?;
    let devices = desk.devices(caller.tenant.id).await?;
    let pinged = std::time::Instant::now();
    state.storage.ping().await?;
    let database_ms = pinged.elapsed().as_millis() as u64;
    let now_ms = desk.now_ms;
    let active = devices.iter().filter(|d| d.revoked_at_ms.is_none());
    let silent = active
        .clone()
        .filter(|d| now_ms.saturating_sub(d.last_seen_ms.unwrap_or(d.created_at_ms)) >= SILENT_AFTER_MS)
        .count();
    Ok(Json(ServerHealth {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        protocol: PROTOCOL_VERSION,
        database: state.storage.backend().to_owned(),
        database_ms,
        started_at_ms: state.started_at_ms,
        now_ms,
        users: users.iter().filter(|u| !u.disabled).count() as u64,
        active_devices: active.count() as u64,
        silent_devices: silent as u64,
    }))
}

/// A record's changes as the audit keeps them, for its History; any member may ask.
#[utoipa::path(get, path = "/v1/records/{id}/trail", params(("id" = String, Path)), responses(
    (status = 200, body = [TrailEntry]), (status = 400, description = "malformed: the id is not a UUID", body = ApiError),
), security(("device_token" = [])))]
pub async fn record_trail<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<TrailEntry>>, Failure> {
    let record = id.parse::<RecordId>().map_err(|_| Failure::malformed("the record id is not a UUID"))?;
    let entries = desk(&state, &caller).record_trail(caller.tenant.id, record).await?;
    let (users, devices) =
        (state.storage.users(caller.tenant.id).await?, state.storage.devices(caller.tenant.id).await?);
    let user_name = |id| users.iter().find(|u| Some(u.id) == id).map(|u| u.name.clone());
    let device_name = |id| devices.iter().find(|d| Some(d.id) == id).map(|d| d.name.clone());
    Ok(Json(
        entries
            .into_iter()
            .map(|e| TrailEntry {
                hlc: e.detail["hlc"].as_str().unwrap_or_default().to_owned(),
                user_name: user_name(e.user),
                device_name: device_name(e.device),
                device_time_ms: e.device_time_ms,
                arrived_ms: e.at_ms,
                action: e.action,
            })
            .collect(),
    ))
}

/// The organisation's settings for every laptop (laptops also get them with `/v1/me`).
#[utoipa::path(get, path = "/v1/office", responses((status = 200, body = OfficeSettings), (status = 403, body = ApiError)), security(("device_token" = [])))]
pub async fn office<S: ServerStorage>(State(state): App<S>, caller: Caller) -> Result<Json<OfficeSettings>, Failure> {
    Ok(Json(desk(&state, &caller).office(caller.tenant.id).await?))
}

/// Replaces the organisation's settings for every laptop; a missing value leaves each
/// laptop its own choice. Answers the settings as stored (trimmed).
#[utoipa::path(put, path = "/v1/office", request_body = OfficeSettings, responses(
    (status = 200, body = OfficeSettings), (status = 403, body = ApiError),
    (status = 422, description = "invalid-input: field names the setting", body = ApiError),
), security(("device_token" = [])))]
pub async fn set_office<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
    Body(office): Body<OfficeSettings>,
) -> Result<Json<OfficeSettings>, Failure> {
    Ok(Json(desk(&state, &caller).set_office(caller.tenant.id, office).await?))
}
