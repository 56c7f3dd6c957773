//! Layer 5 of the runtime, the call engine: access tokens from a provider's token endpoint,
//! fetched on first use, cached, refreshed before they expire; a 401 of an expired token
//! ([`refresh_on_401`], which the call engine runs).
//!
//! Fetches happen in *rounds*: one token request (with the retries the policy allows for a
//! 429 or 503) at a time, and every caller that waited on a round gets that round's result,
//! token or error. So any number of concurrent calls on a missing token make one token
//! request, also when the endpoint fails (5xx, timeout, a body that is not a token), and they
//! all return within one round's time.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderName, HeaderValue, USER_AGENT};
use serde_json::Value;

use crate::classify::{Outcome, TransportKind, classify};
use crate::error::{AuthFailure, TransportError};
use crate::meta::ResponseMeta;
use crate::response::RawResponse;
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::token::{TokenCredentials, TokenEndpoint, TokenField, lifetime, refresh_margin};

struct Cached {
    token: Secret,
    refresh_at: Instant,
}

/// The cache and the outcome of the last round, behind the lock held across a round.
#[derive(Default)]
struct Slot {
    cached: Option<Cached>,
    failure: Option<Arc<AuthFailure>>,
}

/// What a token source needs besides the credentials.
pub(crate) struct TokenSourceConfig {
    pub(crate) http: reqwest::Client,
    pub(crate) url: String,
    pub(crate) user_agent: HeaderValue,
    pub(crate) request_id_header: HeaderName,
    /// The longest one token request may take (the client's request timeout).
    pub(crate) attempt_timeout: Duration,
    pub(crate) retry: RetryPolicy,
}

/// A cached, refreshing source of access tokens. One per client; clones share it.
pub(crate) struct TokenSource {
    credentials: TokenCredentials,
    config: TokenSourceConfig,
    slot: tokio::sync::Mutex<Slot>,
    /// Rounds completed so far: a caller that sees it move while waiting for the lock got
    /// the result of a round it waited on.
    rounds: AtomicU64,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("credentials", &self.credentials)
            .field("url", &self.config.url)
            .finish_non_exhaustive()
    }
}

impl TokenSource {
    pub(crate) fn new(credentials: TokenCredentials, config: TokenSourceConfig) -> Arc<Self> {
        Arc::new(Self {
            credentials,
            config,
            slot: tokio::sync::Mutex::new(Slot::default()),
            rounds: AtomicU64::new(0),
        })
    }

    pub(crate) fn endpoint(&self) -> &'static TokenEndpoint {
        self.credentials.endpoint()
    }

    /// A valid token: the cached one, the result of the round this caller waited on, or the
    /// result of a new round. A round's requests end by `deadline`.
    // Invariant (one token request per round): the lock is held across the round, and a
    // caller that waited on a round gets its result.
    pub(crate) async fn token(&self, deadline: Instant) -> Result<Secret, Arc<AuthFailure>> {
        let seen = self.rounds.load(Ordering::Acquire);
        let mut slot = self.slot.lock().await;
        if let Some(cached) = &slot.cached
            && Instant::now() < cached.refresh_at
        {
            return Ok(cached.token.clone());
        }
        if self.rounds.load(Ordering::Acquire) != seen
            && let Some(failure) = &slot.failure
        {
            // The round this caller waited on failed: its result, not another request.
            return Err(failure.clone());
        }
        // Boxed: a fetch is a whole HTTP call, and every request's future would otherwise
        // carry room for it (and copy that room each time the future moves).
        let outcome = Box::pin(self.fetch(deadline)).await;
        self.rounds.fetch_add(1, Ordering::Release);
        match outcome {
            Ok(cached) => {
                let token = cached.token.clone();
                *slot = Slot {
                    cached: Some(cached),
                    failure: None,
                };
                Ok(token)
            }
            Err(failure) => {
                let failure = Arc::new(failure);
                *slot = Slot {
                    cached: None,
                    failure: Some(failure.clone()),
                };
                Err(failure)
            }
        }
    }

    /// Forgets `rejected` if it is still the cached token (so that many requests rejected
    /// with the same token cause one refresh).
    pub(crate) async fn invalidate(&self, rejected: &Secret) {
        let mut slot = self.slot.lock().await;
        if slot.cached.as_ref().is_some_and(|c| c.token == *rejected) {
            slot.cached = None;
        }
    }

    /// The token request's body: form pairs or a JSON object.
    // A round's failure is built once, then shared behind an `Arc`: its size costs nothing.
    #[allow(clippy::result_large_err)]
    fn body(&self) -> Result<serde_json::Map<String, Value>, AuthFailure> {
        let endpoint = self.endpoint();
        let mut fields = serde_json::Map::new();
        for (name, field) in endpoint.body {
            let value = match field {
                TokenField::Literal(v) => Some((*v).to_owned()),
                TokenField::Credential(c) => Some(
                    self.credentials
                        .value(c)
                        .ok_or_else(|| AuthFailure::Unsupported {
                            message: format!("the token endpoint needs the `{c}` credential"),
                        })?
                        .expose()
                        .to_owned(),
                ),
                TokenField::Optional(c) => self.credentials.value(c).map(|v| v.expose().to_owned()),
            };
            if let Some(value) = value {
                fields.insert((*name).to_owned(), Value::String(value));
            }
        }
        Ok(fields)
    }

    /// One round: a token request, sent again as the one retry rule allows (a token request
    /// is safe to repeat: [`classify`] with `repeatable`) and the policy's attempts and waits
    /// allow, within `deadline`.
    async fn fetch(&self, deadline: Instant) -> Result<Cached, AuthFailure> {
        let endpoint = self.endpoint();
        let op = endpoint.operation;
        let fields = self.body()?;
        let method = reqwest::Method::from_bytes(endpoint.method.as_bytes()).map_err(|_| {
            AuthFailure::Unsupported {
                message: format!(
                    "the token endpoint's method {} is not HTTP",
                    endpoint.method
                ),
            }
        })?;
        let policy = &self.config.retry;
        let mut attempt = 1u32;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let request = self
                .config
                .http
                .request(method.clone(), &self.config.url)
                .header(ACCEPT, "application/json")
                .header(USER_AGENT, self.config.user_agent.clone())
                .timeout(self.config.attempt_timeout.min(left));
            let request = if endpoint.form {
                request.form(&fields)
            } else {
                request.json(&fields)
            };
            let (outcome, wait) = match self.attempt(request).await {
                Ok(meta) if meta.status().is_success() => return read_token(endpoint, meta),
                Ok(meta) => {
                    let action = classify(
                        Outcome::Response(meta.status(), meta.headers()),
                        true,
                        SystemTime::now(),
                    );
                    let wait = policy.wait(action, attempt);
                    // The body is not shown in any message: it may echo credentials.
                    let error = (endpoint.decode_error)(RawResponse::from(meta.clone()));
                    (AuthFailure::Rejected { meta, error }, wait)
                }
                Err(e) => {
                    let action = classify(
                        Outcome::Transport(TransportKind::of(&e)),
                        true,
                        SystemTime::now(),
                    );
                    let wait = policy.wait(action, attempt);
                    (
                        AuthFailure::Transport(TransportError::new(op, e, true)),
                        wait,
                    )
                }
            };
            match wait {
                Some(wait) if attempt < policy.max_attempts && Instant::now() + wait < deadline => {
                    tracing::info!(
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        "token endpoint: retrying"
                    );
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                _ => return Err(outcome),
            }
        }
    }

    /// One token request: its response, read whole.
    async fn attempt(&self, request: reqwest::RequestBuilder) -> reqwest::Result<ResponseMeta> {
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let request_id = headers
            .get(&self.config.request_id_header)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.bytes().await?;
        let op = self.endpoint().operation;
        Ok(ResponseMeta::new(op, status, headers, request_id, body).with_repeatable(true))
    }
}

/// The `Authorization` value of a bearer token, marked sensitive.
pub(crate) fn bearer(token: &Secret) -> Result<HeaderValue, String> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| "the access token has characters not allowed in a header".to_owned())?;
    value.set_sensitive(true);
    Ok(value)
}

/// A 401 answered a request that carried the token `used`: if the response says the token
/// expired (or the endpoint declares no marker), forget `used`, get another and put it on
/// `again`. `Ok(())`: send `again`; `Err(response)`: keep the 401 (rebuilt where its body
/// was read).
pub(crate) async fn refresh_on_401(
    source: &TokenSource,
    response: reqwest::Response,
    used: &Secret,
    again: &mut reqwest::Request,
    deadline: Instant,
) -> reqwest::Result<Result<(), reqwest::Response>> {
    let (response, expired) = match source.endpoint().expired_marker {
        None => (response, true),
        Some(marker) => {
            let status = response.status();
            let version = response.version();
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            let expired = String::from_utf8_lossy(&body).contains(marker);
            let mut rebuilt = http::Response::new(body);
            *rebuilt.status_mut() = status;
            *rebuilt.version_mut() = version;
            *rebuilt.headers_mut() = headers;
            (reqwest::Response::from(rebuilt), expired)
        }
    };
    if !expired {
        return Ok(Err(response));
    }
    source.invalidate(used).await;
    match source.token(deadline).await.ok().map(|t| bearer(&t)) {
        Some(Ok(value)) => {
            again.headers_mut().insert(AUTHORIZATION, value);
            Ok(Ok(()))
        }
        _ => Ok(Err(response)),
    }
}

/// The token and its lifetime from a success response of the token endpoint.
#[allow(clippy::result_large_err)]
fn read_token(endpoint: &TokenEndpoint, meta: ResponseMeta) -> Result<Cached, AuthFailure> {
    let invalid =
        |meta: ResponseMeta, message: String| AuthFailure::InvalidResponse { meta, message };
    let json: Value = match serde_json::from_slice(meta.raw_body()) {
        Ok(json) => json,
        Err(_) => return Err(invalid(meta, "the response is not JSON".into())),
    };
    let Some(token) = json.get(endpoint.access_token).and_then(Value::as_str) else {
        let message = format!("the response has no string `{}`", endpoint.access_token);
        return Err(invalid(meta, message));
    };
    let token = token.to_owned();
    let lifetime = match lifetime(&endpoint.expiry, &json, &token, SystemTime::now()) {
        Ok(lifetime) => lifetime,
        Err(message) => return Err(invalid(meta, message)),
    };
    Ok(Cached {
        token: Secret::new(token),
        refresh_at: Instant::now() + lifetime.saturating_sub(refresh_margin(lifetime)),
    })
}
