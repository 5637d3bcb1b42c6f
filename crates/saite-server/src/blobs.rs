//! Attached files over HTTP: resumable upload in parts (`PUT` with `Content-Range`),
//! status, and ranged download (`GET` with `Range`). The rules live in
//! [`saite_server_storage::blob`]; these handlers only read headers and answer.
//!
//! Glossary: **address** — a file's SHA-256 in lower-case hex, the last path segment;
//! **part** — the bytes one `PUT` carries, `Content-Range: bytes FIRST-LAST/SIZE`
//! (inclusive, as HTTP counts); without that header the body is the whole file.

use std::sync::Arc;

use axum::{
    Json,
    body::Bytes,
    extract::{Path, State, rejection::BytesRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use saite_domain::is_content_address;
use saite_protocol::{ApiErrorCode, BlobStatus};
use saite_server_storage::{BlobPart, ServerStorage};
use serde_json::json;

use crate::{AppState, auth::Caller, failure::Failure, handlers::audit_of};

type App<S> = State<Arc<AppState<S>>>;

fn address(sha256: String) -> Result<String, Failure> {
    if is_content_address(&sha256) {
        Ok(sha256)
    } else {
        Err(Failure::malformed("the address must be a SHA-256 in 64 lower-case hex digits"))
    }
}

/// `bytes FIRST-LAST/SIZE` → (first, last + 1, size).
fn content_range(value: &str) -> Option<(u64, u64, u64)> {
    let (range, size) = value.strip_prefix("bytes ")?.split_once('/')?;
    let (first, last) = range.split_once('-')?;
    let (first, last, size): (u64, u64, u64) =
        (first.trim().parse().ok()?, last.trim().parse().ok()?, size.trim().parse().ok()?);
    (first <= last).then_some((first, last.checked_add(1)?, size))
}

/// Stores one part of a file; answers how much of it the server now holds.
#[utoipa::path(put, path = "/v1/blobs/{sha256}",
    params(
        ("sha256" = String, Path, description = "the file's SHA-256, lower-case hex"),
        ("Content-Range" = Option<String>, Header, description = "bytes FIRST-LAST/SIZE for a part; absent: the body is the whole file"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "stored; complete when received = size (also when it was stored before: nothing is sent twice)", body = BlobStatus),
        (status = 400, description = "malformed: bad address or Content-Range, or another size than the upload began with", body = saite_protocol::ApiError),
        (status = 409, description = "upload-offset: resume at `received`", body = saite_protocol::ApiError),
        (status = 413, description = "too-large: the file or the part is over the limit", body = saite_protocol::ApiError),
        (status = 422, description = "digest-mismatch: the bytes do not hash to the address; upload again from 0", body = saite_protocol::ApiError),
    ),
    security(("device_token" = [])))]
pub async fn put_blob<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<BlobStatus>, Failure> {
    let sha256 = address(sha256)?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Failure::too_large(format!("one part may carry at most {} bytes", state.limits.max_body_bytes))
        } else {
            Failure::malformed(e.body_text())
        }
    })?;
    let (offset, size) = match headers.get(header::CONTENT_RANGE) {
        None => (0, body.len() as u64),
        Some(value) => {
            let (first, end, size) = value
                .to_str()
                .ok()
                .and_then(content_range)
                .ok_or_else(|| Failure::malformed("Content-Range must read bytes FIRST-LAST/SIZE"))?;
            if end - first != body.len() as u64 || end > size {
                return Err(Failure::malformed(format!(
                    "Content-Range names {} bytes up to {end} of {size}; the body has {}",
                    end - first,
                    body.len()
                )));
            }
            (first, size)
        }
    };
    if size > state.limits.max_blob_bytes {
        return Err(Failure::too_large(format!("files may have at most {} bytes", state.limits.max_blob_bytes)));
    }
    let audit = audit_of(state.clock.now_ms(), &caller, "blob-stored", json!({"sha256": sha256, "size": size}));
    let part = BlobPart { sha256, size, offset, bytes: body.to_vec() };
    Ok(Json(state.storage.put_blob_part(caller.tenant.id, part, audit).await?))
}

/// How much of a file the server holds (where an interrupted upload resumes).
#[utoipa::path(get, path = "/v1/blobs/{sha256}/status",
    params(("sha256" = String, Path, description = "the file's SHA-256, lower-case hex")),
    responses((status = 200, body = BlobStatus), (status = 404, description = "no upload of it began", body = saite_protocol::ApiError)),
    security(("device_token" = [])))]
pub async fn blob_status<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
    Path(sha256): Path<String>,
) -> Result<Json<BlobStatus>, Failure> {
    let sha256 = address(sha256)?;
    state.storage.blob_status(caller.tenant.id, sha256).await?.map(Json).ok_or_else(|| Failure::not_found("file"))
}

/// A `Range` header's one range, resolved against `size` → [start, end). None: serve
/// the whole file (no header, or several ranges, which this server does not split).
fn requested_range(headers: &HeaderMap, size: u64) -> Result<Option<(u64, u64)>, Failure> {
    let Some(value) = headers.get(header::RANGE) else {
        return Ok(None);
    };
    let unsatisfiable = || {
        let mut f = Failure::new(
            StatusCode::RANGE_NOT_SATISFIABLE,
            ApiErrorCode::RangeNotSatisfiable,
            format!("the file has {size} bytes"),
        );
        f.body.received = Some(size);
        f
    };
    let text = value.to_str().map_err(|_| Failure::malformed("Range is not text"))?;
    let spec = text.strip_prefix("bytes=").ok_or_else(|| Failure::malformed("Range must read bytes=FIRST-LAST"))?;
    if spec.contains(',') {
        return Ok(None);
    }
    let (first, last) = spec.split_once('-').ok_or_else(|| Failure::malformed("Range must read bytes=FIRST-LAST"))?;
    let number = |s: &str| s.trim().parse::<u64>().map_err(|_| Failure::malformed("Range must read bytes=FIRST-LAST"));
    let (start, end) = match (first.trim().is_empty(), last.trim().is_empty()) {
        // bytes=-N: the last N bytes.
        (true, false) => (size.saturating_sub(number(last)?), size),
        (false, true) => (number(first)?, size),
        (false, false) => {
            let (first, last) = (number(first)?, number(last)?);
            if last < first {
                return Err(Failure::malformed("Range ends before it starts"));
            }
            (first, last.saturating_add(1).min(size))
        }
        (true, true) => return Err(Failure::malformed("Range must read bytes=FIRST-LAST")),
    };
    if start >= size || start >= end {
        return Err(unsatisfiable());
    }
    Ok(Some((start, end)))
}

/// A complete file, or the one byte range asked for (206).
#[utoipa::path(get, path = "/v1/blobs/{sha256}",
    params(
        ("sha256" = String, Path, description = "the file's SHA-256, lower-case hex"),
        ("Range" = Option<String>, Header, description = "bytes=FIRST-LAST, bytes=FIRST- or bytes=-LENGTH"),
    ),
    responses(
        (status = 200, description = "the whole file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 206, description = "the range asked for, with Content-Range", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "not stored (or not complete) in the caller's organisation", body = saite_protocol::ApiError),
        (status = 416, description = "range-not-satisfiable; `received` carries the file's size", body = saite_protocol::ApiError),
    ),
    security(("device_token" = [])))]
pub async fn get_blob<S: ServerStorage>(
    State(state): App<S>,
    caller: Caller,
    Path(sha256): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let sha256 = address(sha256)?;
    let not_found = || Failure::not_found("file");
    let status = state
        .storage
        .blob_status(caller.tenant.id, sha256.clone())
        .await?
        .filter(|s| s.complete)
        .ok_or_else(not_found)?;
    let range = requested_range(&headers, status.size)?;
    let (start, end) = range.unwrap_or((0, status.size));
    let bytes = state.storage.read_blob(caller.tenant.id, sha256, start, end).await?.ok_or_else(not_found)?;
    let mut response = (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream")),
            (header::ACCEPT_RANGES, HeaderValue::from_static("bytes")),
        ],
        bytes,
    )
        .into_response();
    if range.is_some() {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        let value = format!("bytes {start}-{}/{}", end - 1, status.size);
        response
            .headers_mut()
            .insert(header::CONTENT_RANGE, HeaderValue::from_str(&value).expect("digits are a header value"));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges_read_as_http_writes_them() {
        assert_eq!(content_range("bytes 0-99/1000"), Some((0, 100, 1000)));
        assert_eq!(content_range("bytes 900-999/1000"), Some((900, 1000, 1000)));
        assert_eq!(content_range("bytes 5-4/10"), None);
        assert_eq!(content_range("bytes */1000"), None);
        assert_eq!(content_range("items 0-1/2"), None);
    }

    fn range(value: &str, size: u64) -> Result<Option<(u64, u64)>, u16> {
        let mut h = HeaderMap::new();
        h.insert(header::RANGE, HeaderValue::from_str(value).unwrap());
        requested_range(&h, size).map_err(|f| f.status.as_u16())
    }

    #[test]
    fn ranges_resolve_against_the_size() {
        assert_eq!(range("bytes=0-9", 100), Ok(Some((0, 10))));
        assert_eq!(range("bytes=90-", 100), Ok(Some((90, 100))));
        assert_eq!(range("bytes=-10", 100), Ok(Some((90, 100))));
        assert_eq!(range("bytes=50-500", 100), Ok(Some((50, 100))));
        assert_eq!(range("bytes=0-1,5-6", 100), Ok(None));
        assert_eq!(range("bytes=100-", 100), Err(416));
        assert_eq!(range("bytes=9-3", 100), Err(400));
        assert_eq!(range("lines=1-2", 100), Err(400));
    }
}
