//! Requests to `saite-server` ([`Transport`]) and their HTTP implementation.

use std::future::Future;

use saite_domain::DeviceId;
use saite_protocol::{ApiError, ApiErrorCode, Checksums, PROTOCOL_VERSION, PullPage, PushRequest, PushResponse, VERSION_HEADER};

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
    /// Values after server seq `after`, at most `limit` fields; of one collection when
    /// `collection` is given (a re-pull).
    fn pull(
        &self,
        after: u64,
        limit: u32,
        collection: Option<saite_domain::Collection>,
    ) -> impl Future<Output = Result<PullPage, TransportError>> + Send;
    fn checksums(&self) -> impl Future<Output = Result<Checksums, TransportError>> + Send;
}

/// `saite-server` over HTTP(S), with a device token.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    base: String,
    token: String,
    client: reqwest::Client,
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
    let response = sent.map_err(|e| TransportError::Unreachable(e.to_string()))?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| TransportError::Unreachable(e.to_string()))?;
    if status.is_success() {
        return serde_json::from_slice(&body).map_err(|e| {
            TransportError::Refused(ApiError::new(ApiErrorCode::Malformed, format!("unreadable answer from the server: {e}")))
        });
    }
    match serde_json::from_slice::<ApiError>(&body) {
        Ok(api) => Err(TransportError::Refused(api)),
        // Not our server's error body (a proxy's page, a timeout): treat as no answer.
        Err(_) => Err(TransportError::Unreachable(format!("HTTP {status}"))),
    }
}

/// Signs this laptop in with e-mail and password; the server registers `device` (the
/// store's device id) and hands back its token.
pub async fn sign_in(base: &str, email: &str, password: &str, device: DeviceId, device_name: &str) -> Result<SignedIn, TransportError> {
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
        HttpTransport { base: base.trim_end_matches('/').to_owned(), token: token.to_owned(), client: client() }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header(VERSION_HEADER, PROTOCOL_VERSION.to_string())
    }
}

impl Transport for HttpTransport {
    async fn push(&self, batch: &PushRequest) -> Result<PushResponse, TransportError> {
        answer(self.request(reqwest::Method::POST, "/v1/push").json(batch).send().await).await
    }

    async fn pull(&self, after: u64, limit: u32, collection: Option<saite_domain::Collection>) -> Result<PullPage, TransportError> {
        let mut path = format!("/v1/changes?after={after}&limit={limit}");
        if let Some(c) = collection {
            path.push_str(&format!("&collection={}", c.as_str()));
        }
        answer(self.request(reqwest::Method::GET, &path).send().await).await
    }

    async fn checksums(&self) -> Result<Checksums, TransportError> {
        answer(self.request(reqwest::Method::GET, "/v1/checksums").send().await).await
    }
}
