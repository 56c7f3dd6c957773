//! Layer 5 of the runtime, the call engine: the per-client state progenitor's hooks call
//! into ([`Runtime`]), built from a [`ClientConfig`]. `prepare` sets headers, the operation's
//! server and credentials (fetching a token if need be); `execute` sends, retrying as the
//! policy allows within the call's deadline, and refreshes an expired token once.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, USER_AGENT};

use crate::auth::{Credentials, OperationSecurity, Scheme, StaticCredentials};
use crate::call_state::CallState;
use crate::config::{Api, ClientConfig, operation_base};
use crate::error::{AuthError, AuthFailure, BuildError};
use crate::probe::{self, Phase};
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::tls::http_client_builder;
use crate::token_source::{TokenSource, TokenSourceConfig};

enum Auth {
    Static(StaticCredentials),
    Token(Arc<TokenSource>),
}

/// The per-client state progenitor's generated hooks call into: credentials, client-level
/// headers, the operations' security requirements and servers, the retry policy. Cheap to
/// clone.
#[derive(Clone)]
pub struct Runtime(Arc<RuntimeInner>);

struct RuntimeInner {
    auth: Auth,
    headers: HeaderMap,
    security: &'static [OperationSecurity],
    servers: Vec<(&'static str, String)>,
    base_url: String,
    request_id_header: HeaderName,
    retry: RetryPolicy,
    /// The longest one attempt may take, where this client built its HTTP client (a client
    /// given by the caller keeps its own timeouts).
    attempt_timeout: Option<Duration>,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Runtime");
        match &self.0.auth {
            Auth::Static(c) => d.field("credentials", c.credentials()),
            Auth::Token(t) => d.field("credentials", t),
        };
        d.field("headers", &self.0.headers).finish_non_exhaustive()
    }
}

fn http_client(connect: Duration, request: Duration) -> Result<reqwest::Client, BuildError> {
    http_client_builder()
        .connect_timeout(connect)
        .timeout(request)
        .build()
        .map_err(|e| BuildError::Http(e.to_string()))
}

impl Runtime {
    /// Validates a client's configuration and builds the pieces a generated client is made
    /// of: the base URL, the HTTP client and the runtime progenitor's hooks call.
    pub fn new(
        config: ClientConfig,
        api: Api,
    ) -> Result<(String, reqwest::Client, Runtime), BuildError> {
        let base_url = config.base_url.trim_end_matches('/').to_owned();
        let parsed = reqwest::Url::parse(&base_url).map_err(|e| BuildError::BaseUrl {
            url: base_url.clone(),
            reason: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
            return Err(BuildError::BaseUrl {
                url: base_url,
                reason: "expected an http or https URL with a host".to_owned(),
            });
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &config.headers {
            let header_name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| BuildError::Header { name })?;
            let header_value =
                HeaderValue::from_str(value).map_err(|_| BuildError::Header { name })?;
            headers.insert(header_name, header_value);
        }
        let user_agent = HeaderValue::from_str(&config.user_agent)
            .map_err(|_| BuildError::Header { name: "User-Agent" })?;
        headers.insert(USER_AGENT, user_agent.clone());
        let (http, attempt_timeout) = match config.http {
            Some(http) => (http, None),
            None => (
                http_client(config.connect_timeout, config.timeout)?,
                Some(config.timeout),
            ),
        };
        let servers: Vec<(&'static str, String)> = api
            .servers
            .iter()
            .map(|s| {
                (
                    s.operation,
                    operation_base(&base_url, &config.default_base_url, s.url),
                )
            })
            .collect();
        let request_id_header = HeaderName::from_static(api.request_id_header);
        let auth = match config.credentials {
            Credentials::Token(credentials) => {
                let missing = credentials.missing();
                if !missing.is_empty() {
                    return Err(BuildError::Credentials(format!(
                        "the token endpoint needs {}",
                        missing.join(", ")
                    )));
                }
                let endpoint = credentials.endpoint();
                let server = servers
                    .iter()
                    .find(|(op, _)| *op == endpoint.method_name)
                    .map(|(_, url)| url.clone())
                    .unwrap_or_else(|| base_url.clone());
                let url = format!("{server}{}", endpoint.path);
                Auth::Token(TokenSource::new(
                    credentials,
                    TokenSourceConfig {
                        http: http.clone(),
                        url,
                        user_agent,
                        request_id_header: request_id_header.clone(),
                        attempt_timeout: config.timeout,
                        retry: config.retry.clone(),
                    },
                ))
            }
            // Made here once, so that preparing a request can never fail on it.
            other => {
                Auth::Static(
                    StaticCredentials::new(other).map_err(|_| BuildError::Header {
                        name: "Authorization",
                    })?,
                )
            }
        };
        let runtime = Runtime(Arc::new(RuntimeInner {
            auth,
            headers,
            security: api.security,
            servers,
            base_url: base_url.clone(),
            request_id_header,
            retry: config.retry,
            attempt_timeout,
        }));
        Ok((base_url, http, runtime))
    }

    /// The client's retry policy.
    pub(crate) fn retry(&self) -> &RetryPolicy {
        &self.0.retry
    }

    // Invariant (no undocumented header): only client headers from the settings, the user
    // agent and credentials are added to what progenitor built from the spec.
    /// Prepares a request built by generated code before it is sent: client-level headers,
    /// `User-Agent`, the operation's own server, and credentials as the operation's security
    /// requirements allow (fetching a token if need be). `operation` is the name progenitor's
    /// `OperationInfo` carries (the Rust method name). A credentials failure is kept, typed,
    /// for the call to return as [`crate::Error::Auth`].
    pub async fn prepare(
        &self,
        request: &mut reqwest::Request,
        operation: &str,
    ) -> Result<(), String> {
        probe::mark(Phase::Hooks);
        let inner = &self.0;
        for (name, value) in &inner.headers {
            request.headers_mut().insert(name, value.clone());
        }
        if let Some((_, server)) = inner.servers.iter().find(|(op, _)| *op == operation) {
            let url = request.url().as_str();
            let rest = url.strip_prefix(inner.base_url.as_str()).unwrap_or(url);
            *request.url_mut() = reqwest::Url::parse(&format!("{server}{rest}"))
                .map_err(|e| format!("bad URL for operation {operation}: {e}"))?;
        }
        // Invariant (credentials follow the spec): an operation missing from the table is an
        // error, not a silent default.
        let security = inner
            .security
            .iter()
            .find(|s| s.operation == operation)
            .ok_or_else(|| {
                format!("no security requirements generated for operation {operation}")
            })?;
        let state = CallState::current();
        let fail = |failure: AuthFailure| {
            let message = failure_summary(&failure);
            if let Some(state) = &state {
                state.set_auth_error(AuthError::new(state.operation, Arc::new(failure)));
            }
            message
        };
        match &inner.auth {
            Auth::Static(credentials) => credentials
                .apply(request, security)
                .map_err(|message| fail(AuthFailure::Unsupported { message })),
            Auth::Token(source) => {
                let accepts = security
                    .accepts(Scheme::Bearer)
                    .map_err(|message| fail(AuthFailure::Unsupported { message }))?;
                if accepts {
                    let deadline = deadline(state.as_deref(), &inner.retry);
                    let token = match source.token(deadline).await {
                        Ok(token) => token,
                        Err(failure) => {
                            let message = failure_summary(&failure);
                            if let Some(state) = &state {
                                state.set_auth_error(AuthError::new(state.operation, failure));
                            }
                            return Err(message);
                        }
                    };
                    let value = bearer(&token)
                        .map_err(|message| fail(AuthFailure::Unsupported { message }))?;
                    request.headers_mut().insert(AUTHORIZATION, value);
                }
                Ok(())
            }
        }
    }

    /// Sends a prepared request, retrying as the [`RetryPolicy`] allows within the call's
    /// deadline ([`RetryPolicy::max_elapsed`] from the call's start): each attempt gets the
    /// smaller of the request timeout and the time left, and no wait runs past the deadline.
    /// With a token source, a 401 that says the token expired makes the client fetch a new
    /// token and send the request once more. Each attempt is recorded on the call's span.
    pub async fn execute(
        &self,
        http: &reqwest::Client,
        mut request: reqwest::Request,
    ) -> reqwest::Result<reqwest::Response> {
        probe::mark(Phase::Send);
        let policy = &self.0.retry;
        let state = CallState::current();
        let deadline = deadline(state.as_deref(), policy);
        let repeatable = policy.is_repeatable(request.method(), request.headers());
        let span = tracing::Span::current();
        let mut attempt = 1u32;
        let mut refreshed = false;
        loop {
            span.record("attempt", attempt);
            let left = deadline.saturating_duration_since(Instant::now());
            if let Some(timeout) = self.0.attempt_timeout {
                *request.timeout_mut() = Some(timeout.min(left));
            }
            if let Some(state) = &state {
                state.mark_sent(repeatable);
            }
            // Bodies from memory clone; a streamed body cannot be sent twice.
            let mut copy = request.try_clone();
            let mut result = http.execute(request).await;
            if !refreshed
                && let Auth::Token(source) = &self.0.auth
                && let Some(retry) = copy.as_mut()
                && matches!(&result, Ok(r) if r.status() == reqwest::StatusCode::UNAUTHORIZED)
            {
                // Boxed: the rare path, which holds a token fetch, stays out of every
                // request's future.
                let (response, renewed) =
                    Box::pin(refresh_on_401(source, result?, retry, deadline)).await?;
                if renewed && let Some(again) = copy.take() {
                    tracing::debug!(attempt, "access token expired: refreshed, sending again");
                    refreshed = true;
                    request = again;
                    continue;
                }
                result = Ok(response);
            }
            let wait = match &result {
                Ok(response) => {
                    tracing::debug!(attempt, status = response.status().as_u16(), "response");
                    policy.after_response(
                        attempt,
                        response.status(),
                        response.headers(),
                        repeatable,
                        std::time::SystemTime::now(),
                    )
                }
                Err(e) => {
                    // No message: reqwest's names the URL, whose path may carry personal data.
                    tracing::debug!(
                        attempt,
                        timeout = e.is_timeout(),
                        connect = e.is_connect(),
                        "no response"
                    );
                    // Invariant (never a retry that can charge twice): a connection that was
                    // never made sent nothing; anything else only where repeating is safe.
                    let retry =
                        e.is_connect() || (repeatable && !e.is_builder() && !e.is_redirect());
                    retry.then(|| policy.backoff(attempt))
                }
            };
            match (wait, copy) {
                (Some(wait), Some(copy))
                    if attempt < policy.max_attempts && Instant::now() + wait < deadline =>
                {
                    tracing::info!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
                    tokio::time::sleep(wait).await;
                    request = copy;
                    attempt += 1;
                }
                _ => return result,
            }
        }
    }

    /// The response header that carries the provider's request id.
    pub fn request_id_header(&self) -> &HeaderName {
        &self.0.request_id_header
    }
}

/// The deadline of the current call, or one from now where there is no call (a raw call).
fn deadline(state: Option<&CallState>, policy: &RetryPolicy) -> Instant {
    state.map_or_else(|| Instant::now() + policy.max_elapsed, |s| s.deadline)
}

/// A one-line reason for progenitor's `Error::Custom` (the typed error is kept aside).
fn failure_summary(failure: &AuthFailure) -> String {
    match failure {
        AuthFailure::Unsupported { message } => message.clone(),
        AuthFailure::Rejected { meta, .. } => {
            format!("the token endpoint answered {}", meta.status())
        }
        AuthFailure::Transport(t) => t.to_string(),
        AuthFailure::InvalidResponse { message, .. } => message.clone(),
    }
}

/// Handles a 401 with a token source: if it says the token expired, forget that token, fetch
/// another and put it on `retry`. Returns the response (rebuilt where its body was read) and
/// whether `retry` should be sent.
async fn refresh_on_401(
    source: &TokenSource,
    response: reqwest::Response,
    retry: &mut reqwest::Request,
    deadline: Instant,
) -> reqwest::Result<(reqwest::Response, bool)> {
    let Some(used) = retry
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(Secret::new)
    else {
        return Ok((response, false));
    };
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
        return Ok((response, false));
    }
    source.invalidate(&used).await;
    match source.token(deadline).await.ok().map(|t| bearer(&t)) {
        Some(Ok(value)) => {
            retry.headers_mut().insert(AUTHORIZATION, value);
            Ok((response, true))
        }
        _ => Ok((response, false)),
    }
}

fn bearer(token: &Secret) -> Result<HeaderValue, String> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| "the access token has characters not allowed in a header".to_owned())?;
    value.set_sensitive(true);
    Ok(value)
}
