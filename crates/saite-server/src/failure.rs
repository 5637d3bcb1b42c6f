//! Every refusal as a status plus an [`ApiError`] body with a stable code, and the
//! JSON body extractor that turns unreadable input into 400/413 instead of axum's
//! plain-text answers.

use axum::{
    Json,
    extract::{FromRequest, Request, rejection::JsonRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use saite_protocol::{ApiError, ApiErrorCode, PROTOCOL_VERSION};
use saite_server_storage::{RefusalKind, StorageError};
use serde::de::DeserializeOwned;

use crate::desk::DeskError;

/// A refused request.
#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    pub body: ApiError,
}

impl Failure {
    pub fn new(status: StatusCode, code: ApiErrorCode, message: impl Into<String>) -> Failure {
        Failure { status, body: ApiError::new(code, message) }
    }

    pub fn malformed(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::BAD_REQUEST, ApiErrorCode::Malformed, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::FORBIDDEN, ApiErrorCode::Forbidden, message)
    }

    pub fn not_found(what: &str) -> Failure {
        Failure::new(StatusCode::NOT_FOUND, ApiErrorCode::NotFound, format!("{what} not found"))
    }

    pub fn too_large(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::PAYLOAD_TOO_LARGE, ApiErrorCode::TooLarge, message)
    }

    pub fn version_mismatch(got: &str) -> Failure {
        let mut f = Failure::new(
            StatusCode::UPGRADE_REQUIRED,
            ApiErrorCode::VersionMismatch,
            format!("this server speaks protocol {PROTOCOL_VERSION}; the client sent {got:?}"),
        );
        f.body.server_protocol = Some(PROTOCOL_VERSION);
        f
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(code = ?self.body.code, message = %self.body.message, "request failed on the server's side");
        } else {
            tracing::info!(status = self.status.as_u16(), code = ?self.body.code, message = %self.body.message, "request refused");
        }
        (self.status, Json(self.body)).into_response()
    }
}

impl From<DeskError> for Failure {
    fn from(e: DeskError) -> Failure {
        match e {
            DeskError::Forbidden(_) => Failure::forbidden(e.to_string()),
            DeskError::NotFound(what) => Failure::not_found(what),
            DeskError::Invalid { field, .. } => {
                let mut f = Failure::new(StatusCode::UNPROCESSABLE_ENTITY, ApiErrorCode::InvalidInput, e.to_string());
                f.body.field = Some(field.to_owned());
                f
            }
            DeskError::Storage(e) => e.into(),
        }
    }
}

impl From<StorageError> for Failure {
    fn from(e: StorageError) -> Failure {
        match e {
            StorageError::NotFound(what) => Failure::not_found(what),
            StorageError::EmailTaken => Failure::new(StatusCode::CONFLICT, ApiErrorCode::EmailTaken, e.to_string()),
            StorageError::LastAdmin => Failure::new(StatusCode::CONFLICT, ApiErrorCode::LastAdmin, e.to_string()),
            StorageError::DeviceTaken => Failure::new(StatusCode::CONFLICT, ApiErrorCode::DeviceTaken, e.to_string()),
            StorageError::DeviceRevoked => {
                Failure::new(StatusCode::UNAUTHORIZED, ApiErrorCode::DeviceRevoked, e.to_string())
            }
            StorageError::SeqGap { applied_seq, .. } => {
                let mut f = Failure::new(StatusCode::CONFLICT, ApiErrorCode::SeqGap, e.to_string());
                f.body.applied_seq = Some(applied_seq);
                f
            }
            StorageError::UploadOffset { received, .. } => {
                let mut f = Failure::new(StatusCode::CONFLICT, ApiErrorCode::UploadOffset, e.to_string());
                f.body.received = Some(received);
                f
            }
            StorageError::BlobSizeChanged { .. } => Failure::malformed(e.to_string()),
            StorageError::Refused(r) => {
                let code = match r.kind {
                    RefusalKind::InvalidValue | RefusalKind::OtherCollection => ApiErrorCode::InvalidRecord,
                    RefusalKind::StampAhead => ApiErrorCode::StampAhead,
                    RefusalKind::StampOfOtherDevice => ApiErrorCode::ForeignStamp,
                };
                crate::handlers::refused_field(StatusCode::UNPROCESSABLE_ENTITY, code, r.record, &r.field, r.message)
            }
            StorageError::DigestMismatch(_) => {
                Failure::new(StatusCode::UNPROCESSABLE_ENTITY, ApiErrorCode::DigestMismatch, e.to_string())
            }
            StorageError::NotEmpty | StorageError::Corrupt(_) | StorageError::Database(_) => {
                Failure::new(StatusCode::SERVICE_UNAVAILABLE, ApiErrorCode::Unavailable, e.to_string())
            }
        }
    }
}

/// A JSON request body: unreadable JSON is 400 `malformed` (naming where it broke), a
/// body over the size limit 413 `too-large`.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Failure;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            // Refused as axum's `Json` refuses it (415).
            return match Json::<T>::from_request(req, state).await {
                Ok(Json(v)) => Ok(Body(v)),
                Err(rejection) => Err(body_failure(rejection)),
            };
        }
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Failure::too_large("the request body is larger than this server accepts")
            } else {
                Failure::malformed(rejection.body_text())
            }
        })?;
        // Parsed plainly first: `Json` tracks the path of every value it reads (to name
        // the one at fault), which costs as much again on a push of thousands of
        // records. Only a body that fails is read again by `Json`, for its message.
        if let Ok(v) = serde_json::from_slice(&bytes) {
            return Ok(Body(v));
        }
        match Json::<T>::from_bytes(&bytes) {
            Ok(Json(v)) => Ok(Body(v)),
            Err(rejection) => Err(body_failure(rejection)),
        }
    }
}

/// Whether the request says its body is JSON (`application/json`, or a `+json` type),
/// as axum's `Json` requires.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn body_failure(rejection: JsonRejection) -> Failure {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return Failure::too_large("the request body is larger than this server accepts");
    }
    Failure::malformed(rejection.body_text())
}
