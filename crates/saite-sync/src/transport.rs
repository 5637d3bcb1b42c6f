//! Requests to `saite-server` ([`Transport`]) and their HTTP implementation.

use std::{
    future::Future,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};

use saite_domain::DeviceId;
use saite_protocol::{
    ApiError, ApiErrorCode, BlobStatus, Checksums, DeviceEventsRequest, DeviceEventsResponse, PROTOCOL_VERSION,
    PullPage, PushRequest, PushResponse, VERSION_HEADER,
};

/// Why a request got no usable answer.
#[derive(Debug, Clone, thiserror::Error)]
pub enum TransportError {
    /// No answer at all (no route, refused connection, cut off, timed out). The request
    /// may or may not have been applied.
    #[error("no answer: {0}")]
    Unreachable(String),
    /// The server answered with an error body.
    #[error("refused: {0:?}")]
    Refused(ApiError),
}

/// The requests a sync round makes. Every method may be retried: the server applies a
/// push once however often it arrives, and the rest only read.
pub trait Transport: Send + Sync {
    fn push(&self, batch: &PushRequest) -> impl Future<Output = Result<PushResponse, TransportError>> + Send;
    /// [`Transport::push`] of a batch already serialised (`body` is `batch` as JSON), so
    /// that the sync engine serialises the next batch while the server stores this one.
    /// By default the batch is pushed as it is.
    fn push_serialised(
        &self,
        batch: &PushRequest,
        body: Vec<u8>,
    ) -> impl Future<Output = Result<PushResponse, TransportError>> + Send {
        drop(body);
        self.push(batch)
    }
    /// Values after server seq `after`, at most `limit` fields; of one collection when
    /// `collection` is given (a re-pull).
    /// `count`: ask for the number of records after the page too (`remaining`).
    fn pull(
        &self,
        after: u64,
        limit: u32,
        collection: Option<saite_domain::Collection>,
        count: bool,
    ) -> impl Future<Output = Result<PullPage, TransportError>> + Send;
    fn checksums(&self) -> impl Future<Output = Result<Checksums, TransportError>> + Send;
    /// Sends this laptop's events for the audit; the answer says up to which seq the
    /// server has them (a retried send is kept once).
    fn send_events(
        &self,
        request: &DeviceEventsRequest,
    ) -> impl Future<Output = Result<DeviceEventsResponse, TransportError>> + Send;
    /// How much of a file the server holds; `None` when no upload of it began.
    fn blob_status(&self, sha256: &str) -> impl Future<Output = Result<Option<BlobStatus>, TransportError>> + Send;
    /// Uploads bytes [start, start + len) of a file of `size` bytes.
    fn put_blob_part(
        &self,
        sha256: &str,
        start: u64,
        bytes: Vec<u8>,
        size: u64,
    ) -> impl Future<Output = Result<BlobStatus, TransportError>> + Send;
    /// Downloads bytes [start, end) of a stored file.
    fn get_blob_range(
        &self,
        sha256: &str,
        start: u64,
        end: u64,
    ) -> impl Future<Output = Result<Vec<u8>, TransportError>> + Send;
    /// Bytes sent and received so far (bodies), for the progress shown to the user.
    fn bytes_moved(&self) -> u64 {
        0
    }
    /// The server's clock as its latest answer gave it (ms since the epoch), if any
    /// answer did.
    fn server_time_ms(&self) -> Option<u64> {
        None
    }
}

/// `saite-server` over HTTP(S), with a device token.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    base: String,
    token: String,
    client: reqwest::Client,
    /// Request and response body bytes, shared by clones.
    bytes: Arc<AtomicU64>,
    /// The server's clock in its latest answer (0: none yet), shared by clones.
    server_time: Arc<AtomicU64>,
    /// The highest seq of this laptop's changes, told to the server with each request
    /// (0: not known yet, not told), shared by clones.
    outbox_seq: Arc<AtomicU64>,
}

/// A successful sign-in: the token to keep (in the encrypted store) and who it is for.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub token: String,
    pub response: saite_protocol::SignInResponse,
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .expect("the TLS backend initialises")
}

async fn answer<T: serde::de::DeserializeOwned>(sent: reqwest::Result<reqwest::Response>) -> Result<T, TransportError> {
    answer_counted(sent, None, None).await
}

async fn answer_counted<T: serde::de::DeserializeOwned>(
    sent: reqwest::Result<reqwest::Response>,
    bytes: Option<&AtomicU64>,
    server_time: Option<&AtomicU64>,
) -> Result<T, TransportError> {
    let response = sent.map_err(|e| TransportError::Unreachable(e.to_string()))?;
    if let Some(server_time) = server_time {
        note_server_time(&response, server_time);
    }
    let status = response.status();
    let body = response.bytes().await.map_err(|e| TransportError::Unreachable(e.to_string()))?;
    if let Some(bytes) = bytes {
        bytes.fetch_add(body.len() as u64, Ordering::Relaxed);
    }
    if status.is_success() {
        return serde_json::from_slice(&body).map_err(|e| {
            TransportError::Refused(ApiError::new(
                ApiErrorCode::Malformed,
                format!("unreadable answer from the server: {e}"),
            ))
        });
    }
    match serde_json::from_slice::<ApiError>(&body) {
        Ok(api) => Err(TransportError::Refused(api)),
        // Not our server's error body (a proxy's page, a timeout): treat as no answer.
        Err(_) => Err(TransportError::Unreachable(format!("HTTP {status}"))),
    }
}

/// Keeps the server's clock an answer carries ([`saite_protocol::SERVER_TIME_HEADER`]).
fn note_server_time(response: &reqwest::Response, server_time: &AtomicU64) {
    let header = response.headers().get(saite_protocol::SERVER_TIME_HEADER);
    if let Some(ms) = header.and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok()) {
        server_time.store(ms, Ordering::Relaxed);
    }
}

/// Signs this laptop in with e-mail and password; the server registers `device` (the
/// store's device id) and hands back its token.
pub async fn sign_in(
    base: &str,
    email: &str,
    password: &str,
    device: DeviceId,
    device_name: &str,
) -> Result<SignedIn, TransportError> {
    let request = saite_protocol::SignInRequest {
        email: email.to_owned(),
        password: password.to_owned(),
        device_id: device,
        device_name: device_name.to_owned(),
    };
    let sent = client()
        .post(format!("{}/v1/sign-in", base.trim_end_matches('/')))
        .header(VERSION_HEADER, PROTOCOL_VERSION.to_string())
        .json(&request)
        .send()
        .await;
    let response: saite_protocol::SignInResponse = answer(sent).await?;
    Ok(SignedIn { token: response.device_token.clone(), response })
}

impl HttpTransport {
    pub fn new(base: &str, token: &str) -> HttpTransport {
        HttpTransport {
            base: base.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            client: client(),
            bytes: Arc::new(AtomicU64::new(0)),
            server_time: Arc::new(AtomicU64::new(0)),
            outbox_seq: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The highest seq of this laptop's changes, to tell the server from now on.
    pub fn tell_outbox_seq(&self, seq: u64) {
        self.outbox_seq.store(seq, Ordering::Relaxed);
    }

    /// [`answer_counted`] counting this transport's bytes and keeping the server's clock.
    async fn answer<T: serde::de::DeserializeOwned>(
        &self,
        sent: reqwest::Result<reqwest::Response>,
    ) -> Result<T, TransportError> {
        answer_counted(sent, Some(&self.bytes), Some(&self.server_time)).await
    }

    /// A GET of `path` answered with JSON.
    pub(crate) async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, TransportError> {
        self.answer(self.request(reqwest::Method::GET, path).send().await).await
    }

    /// A GET of `path` with `query` in the URL, answered with JSON.
    pub(crate) async fn get_query<Q: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &Q,
    ) -> Result<T, TransportError> {
        self.answer(self.request(reqwest::Method::GET, path).query(query).send().await).await
    }

    /// A POST of `body` (or none) to `path`, answered with JSON.
    pub(crate) async fn post_json<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, TransportError> {
        let request = self.request(reqwest::Method::POST, path);
        let request = match body {
            Some(body) => request.json(body),
            None => request,
        };
        self.answer(request.send().await).await
    }

    /// A PUT of `body` to `path`, answered with JSON.
    pub(crate) async fn put_json<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, TransportError> {
        self.answer(self.request(reqwest::Method::PUT, path).json(body).send().await).await
    }

    /// Who this laptop's token belongs to, with the user's role.
    pub async fn me(&self) -> Result<saite_protocol::Me, TransportError> {
        self.get_json("/v1/me").await
    }

    /// A request with the token and what the laptop tells of itself: the protocol, the
    /// app's version (the workspace's), and its changes' highest seq once known.
    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header(VERSION_HEADER, PROTOCOL_VERSION.to_string())
            .header(saite_protocol::APP_VERSION_HEADER, env!("CARGO_PKG_VERSION"));
        match self.outbox_seq.load(Ordering::Relaxed) {
            0 => request,
            seq => request.header(saite_protocol::OUTBOX_SEQ_HEADER, seq.to_string()),
        }
    }
}

impl Transport for HttpTransport {
    async fn push(&self, batch: &PushRequest) -> Result<PushResponse, TransportError> {
        self.push_serialised(batch, serde_json::to_vec(batch).expect("a push request serialises")).await
    }

    async fn push_serialised(&self, _batch: &PushRequest, body: Vec<u8>) -> Result<PushResponse, TransportError> {
        self.bytes.fetch_add(body.len() as u64, Ordering::Relaxed);
        let sent = self
            .request(reqwest::Method::POST, "/v1/push")
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        self.answer(sent.send().await).await
    }

    async fn pull(
        &self,
        after: u64,
        limit: u32,
        collection: Option<saite_domain::Collection>,
        count: bool,
    ) -> Result<PullPage, TransportError> {
        let mut path = format!("/v1/changes?after={after}&limit={limit}");
        if let Some(c) = collection {
            path.push_str(&format!("&collection={}", c.as_str()));
        }
        if count {
            path.push_str("&count=true");
        }
        self.answer(self.request(reqwest::Method::GET, &path).send().await).await
    }

    async fn checksums(&self) -> Result<Checksums, TransportError> {
        self.answer(self.request(reqwest::Method::GET, "/v1/checksums").send().await).await
    }

    async fn send_events(&self, request: &DeviceEventsRequest) -> Result<DeviceEventsResponse, TransportError> {
        self.post_json("/v1/events", Some(request)).await
    }

    async fn blob_status(&self, sha256: &str) -> Result<Option<BlobStatus>, TransportError> {
        let sent = self.request(reqwest::Method::GET, &format!("/v1/blobs/{sha256}/status")).send().await;
        match self.answer(sent).await {
            Ok(status) => Ok(Some(status)),
            Err(TransportError::Refused(api)) if api.code == ApiErrorCode::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn put_blob_part(
        &self,
        sha256: &str,
        start: u64,
        bytes: Vec<u8>,
        size: u64,
    ) -> Result<BlobStatus, TransportError> {
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let mut sent = self.request(reqwest::Method::PUT, &format!("/v1/blobs/{sha256}"));
        // An empty file goes whole: a range cannot name zero bytes.
        if size > 0 {
            let last = (start + bytes.len() as u64).saturating_sub(1);
            sent = sent.header(reqwest::header::CONTENT_RANGE, format!("bytes {start}-{last}/{size}"));
        }
        let sent = sent.header(reqwest::header::CONTENT_TYPE, "application/octet-stream").body(bytes);
        self.answer(sent.send().await).await
    }

    async fn get_blob_range(&self, sha256: &str, start: u64, end: u64) -> Result<Vec<u8>, TransportError> {
        let sent = self
            .request(reqwest::Method::GET, &format!("/v1/blobs/{sha256}"))
            .header(reqwest::header::RANGE, format!("bytes={start}-{}", end.saturating_sub(1)))
            .send()
            .await;
        let response = sent.map_err(|e| TransportError::Unreachable(e.to_string()))?;
        note_server_time(&response, &self.server_time);
        let status = response.status();
        let body = response.bytes().await.map_err(|e| TransportError::Unreachable(e.to_string()))?;
        self.bytes.fetch_add(body.len() as u64, Ordering::Relaxed);
        if status.is_success() {
            return Ok(body.to_vec());
        }
        match serde_json::from_slice::<ApiError>(&body) {
            Ok(api) => Err(TransportError::Refused(api)),
            Err(_) => Err(TransportError::Unreachable(format!("HTTP {status}"))),
        }
    }

    fn bytes_moved(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    fn server_time_ms(&self) -> Option<u64> {
        Some(self.server_time.load(Ordering::Relaxed)).filter(|ms| *ms > 0)
    }
}
