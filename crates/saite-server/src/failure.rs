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
use saite_server_storage::StorageError;
use serde::de::DeserializeOwned;

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

impl From<StorageError> for Failure {
    fn from(e: StorageError) -> Failure {
        match e {
            StorageError::NotFound(what) => Failure::not_found(what),
            StorageError::EmailTaken => Failure::new(StatusCode::CONFLICT, ApiErrorCode::EmailTaken, e.to_string()),
            StorageError::DeviceTaken => Failure::new(StatusCode::CONFLICT, ApiErrorCode::DeviceTaken, e.to_string()),
            StorageError::DeviceRevoked => Failure::new(StatusCode::UNAUTHORIZED, ApiErrorCode::DeviceRevoked, e.to_string()),
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
            StorageError::DigestMismatch(_) => Failure::new(StatusCode::UNPROCESSABLE_ENTITY, ApiErrorCode::DigestMismatch, e.to_string()),
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
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(rejection) => Err(body_failure(rejection)),
        }
    }
}

fn body_failure(rejection: JsonRejection) -> Failure {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return Failure::too_large("the request body is larger than this server accepts");
    }
    Failure::malformed(rejection.body_text())
}
