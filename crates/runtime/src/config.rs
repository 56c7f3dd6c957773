use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, USER_AGENT};

use crate::auth::{Credentials, OperationSecurity, Scheme};
use crate::error::BuildError;
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::token::TokenSource;

/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for a whole request, from sending it to reading the last body byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// What the generated code tells the runtime about its API.
#[derive(Debug, Clone, Copy)]
pub struct Api {
    /// Each operation's security requirements.
    pub security: &'static [OperationSecurity],
    /// Operations served from a server of their own.
    pub servers: &'static [OperationServer],
    /// The response header that carries the provider's request id.
    pub request_id_header: &'static str,
}

/// An operation whose spec names a server of its own (a path-level `servers`), such as a
/// token endpoint outside the API's versioned prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationServer {
    /// The operation's Rust method name (progenitor's operation name).
    pub operation: &'static str,
    /// The server's URL as the spec gives it.
    pub url: &'static str,
}

/// The base URL an operation with its own server uses. A server on the same origin as the
/// API's default base URL follows the client's base URL to its origin (so that a client
/// pointed at a mock or a proxy sends everything there); another origin is used as it is.
pub(crate) fn operation_base(base_url: &str, default_base_url: &str, server: &str) -> String {
    let origin = |u: &str| {
        reqwest::Url::parse(u)
            .ok()
            .map(|u| u.origin().ascii_serialization())
    };
    match (origin(default_base_url), reqwest::Url::parse(server)) {
        (Some(default_origin), Ok(s)) if default_origin == s.origin().ascii_serialization() => {
            let client_origin = origin(base_url).unwrap_or(default_origin);
            format!("{client_origin}{}", s.path().trim_end_matches('/'))
        }
        _ => server.trim_end_matches('/').to_owned(),
    }
}

/// Configuration of a generated client, filled in by its builder.
#[derive(Debug)]
pub struct ClientConfig {
    base_url: String,
    default_base_url: String,
    credentials: Credentials,
    headers: Vec<(&'static str, String)>,
    http: Option<reqwest::Client>,
    connect_timeout: Duration,
    timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
}

impl ClientConfig {
    /// A configuration with the provider's default base URL and the crate's user agent.
    pub fn new(default_base_url: &str, user_agent: &str) -> Self {
        // So that a reqwest::Client the caller builds next has TLS too.
        install_tls_provider();
        Self {
            base_url: default_base_url.to_owned(),
            default_base_url: default_base_url.to_owned(),
            credentials: Credentials::None,
            headers: Vec::new(),
            http: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            user_agent: user_agent.to_owned(),
            retry: RetryPolicy::default(),
        }
    }

    /// Sets how the client retries ([`RetryPolicy::none`] turns retries off).
    pub fn set_retry_policy(&mut self, policy: RetryPolicy) {
        self.retry = policy;
    }

    /// Sets the base URL (scheme, host, optional port and path prefix).
    pub fn set_base_url(&mut self, base_url: impl Into<String>) {
        self.base_url = base_url.into();
    }

    /// Sets the credentials sent with every request whose operation accepts them.
    pub fn set_credentials(&mut self, credentials: Credentials) {
        self.credentials = credentials;
    }

    /// The credentials set so far.
    pub fn credentials_mut(&mut self) -> &mut Credentials {
        &mut self.credentials
    }

    /// Sets a header sent on every request (a client-level header parameter of the spec).
    pub fn set_header(&mut self, name: &'static str, value: impl Into<String>) {
        let value = value.into();
        match self
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some(slot) => slot.1 = value,
            None => self.headers.push((name, value)),
        }
    }

    /// Uses this `reqwest::Client` instead of building one. Its own timeouts and TLS
    /// settings then apply; [`ClientConfig::set_timeouts`] is ignored.
    pub fn set_http_client(&mut self, client: reqwest::Client) {
        self.http = Some(client);
    }

    /// Sets the connect timeout and the whole-request timeout.
    pub fn set_timeouts(&mut self, connect: Duration, request: Duration) {
        self.connect_timeout = connect;
        self.timeout = request;
    }

    /// Sets the `User-Agent` header.
    pub fn set_user_agent(&mut self, user_agent: impl Into<String>) {
        self.user_agent = user_agent.into();
    }

    /// Validates the configuration and builds the pieces a generated client is made of: the
    /// base URL, the HTTP client and the [`Runtime`] progenitor's hooks call.
    pub fn build(self, api: Api) -> Result<(String, reqwest::Client, Runtime), BuildError> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
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
        for (name, value) in &self.headers {
            let header_name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| BuildError::Header { name })?;
            let header_value =
                HeaderValue::from_str(value).map_err(|_| BuildError::Header { name })?;
            headers.insert(header_name, header_value);
        }
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| BuildError::Header { name: "User-Agent" })?;
        headers.insert(USER_AGENT, user_agent.clone());
        // Checked here so that preparing a request can never fail on it.
        self.credentials
            .authorization()
            .map_err(|_| BuildError::Header {
                name: "Authorization",
            })?;
        let http = match self.http {
            Some(http) => http,
            None => http_client(self.connect_timeout, self.timeout)?,
        };
        let servers: Vec<(&'static str, String)> = api
            .servers
            .iter()
            .map(|s| {
                (
                    s.operation,
                    operation_base(&base_url, &self.default_base_url, s.url),
                )
            })
            .collect();
        let auth = match self.credentials {
            Credentials::Token(credentials) => {
                let missing = credentials.missing();
                if !missing.is_empty() {
                    return Err(BuildError::Credentials(format!(
                        "the token endpoint needs {}",
                        missing.join(", ")
                    )));
                }
                let endpoint = credentials.endpoint;
                let server = servers
                    .iter()
                    .find(|(op, _)| *op == endpoint.method_name)
                    .map(|(_, url)| url.clone())
                    .unwrap_or_else(|| base_url.clone());
                let url = format!("{server}{}", endpoint.path);
                Auth::Token(TokenSource::new(credentials, http.clone(), url, user_agent))
            }
            other => Auth::Static(other),
        };
        let runtime = Runtime(Arc::new(RuntimeInner {
            auth,
            headers,
            security: api.security,
            servers,
            base_url: base_url.clone(),
            request_id_header: HeaderName::from_static(api.request_id_header),
            retry: self.retry,
        }));
        Ok((base_url, http, runtime))
    }
}

fn http_client(connect: Duration, request: Duration) -> Result<reqwest::Client, BuildError> {
    http_client_builder()
        .connect_timeout(connect)
        .timeout(request)
        .build()
        .map_err(|e| BuildError::Http(e.to_string()))
}

/// A `reqwest::ClientBuilder` with this crate's TLS set up, for callers who pass their own
/// client to `ClientBuilder::http_client`. (reqwest is built without its default aws-lc
/// provider, and a plain `reqwest::Client::builder().build()` would find no TLS provider.)
pub fn http_client_builder() -> reqwest::ClientBuilder {
    install_tls_provider();
    let builder = reqwest::Client::builder();
    #[cfg(feature = "rustls")]
    let builder = builder.tls_backend_rustls();
    builder
}

/// Installs ring as the process's rustls provider where the application has installed none.
fn install_tls_provider() {
    #[cfg(feature = "rustls")]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

enum Auth {
    Static(Credentials),
    Token(Arc<TokenSource>),
}

/// The per-client state progenitor's generated hooks call into: credentials, client-level
/// headers, the operations' security requirements and servers. Cheap to clone.
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
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Runtime");
        match &self.0.auth {
            Auth::Static(c) => d.field("credentials", c),
            Auth::Token(t) => d.field("credentials", t),
        };
        d.field("headers", &self.0.headers).finish_non_exhaustive()
    }
}

impl Runtime {
    /// Prepares a request built by generated code before it is sent: client-level headers,
    /// `User-Agent`, the operation's own server, and credentials as the operation's security
    /// requirements allow (fetching a token if need be). `operation` is the name progenitor's
    /// `OperationInfo` carries (the Rust method name).
    pub async fn prepare(
        &self,
        request: &mut reqwest::Request,
        operation: &str,
    ) -> Result<(), String> {
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
        let security = inner
            .security
            .iter()
            .find(|s| s.operation == operation)
            .ok_or_else(|| {
                format!("no security requirements generated for operation {operation}")
            })?;
        match &inner.auth {
            Auth::Static(credentials) => credentials.apply(request, security),
            Auth::Token(source) => {
                if security.accepts(Scheme::Bearer)? {
                    let token = source.token().await?;
                    request.headers_mut().insert(AUTHORIZATION, bearer(&token)?);
                }
                Ok(())
            }
        }
    }

    /// Sends a prepared request, retrying as the [`RetryPolicy`] allows. With a token
    /// source, a 401 that says the token expired makes the client fetch a new token and send
    /// the request once more. Each attempt is recorded on the current tracing span.
    pub async fn execute(
        &self,
        http: &reqwest::Client,
        mut request: reqwest::Request,
    ) -> reqwest::Result<reqwest::Response> {
        let policy = &self.0.retry;
        let repeatable = policy.is_repeatable(request.method(), request.headers());
        let started = std::time::Instant::now();
        let span = tracing::Span::current();
        let mut attempt = 1u32;
        let mut refreshed = false;
        loop {
            span.record("attempt", attempt);
            // Bodies from memory clone; a streamed body cannot be sent twice.
            let mut copy = request.try_clone();
            let mut result = http.execute(request).await;
            if !refreshed
                && let Auth::Token(source) = &self.0.auth
                && let Some(retry) = copy.as_mut()
                && matches!(&result, Ok(r) if r.status() == reqwest::StatusCode::UNAUTHORIZED)
            {
                let (response, renewed) = refresh_on_401(source, result?, retry).await?;
                if renewed {
                    tracing::debug!(attempt, "access token expired: refreshed, sending again");
                    refreshed = true;
                    request = copy.take().expect("checked above");
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
                    tracing::debug!(attempt, error = %e, "no response");
                    (repeatable && !e.is_builder() && !e.is_redirect())
                        .then(|| policy.backoff(attempt))
                }
            };
            match (wait, copy) {
                (Some(wait), Some(copy))
                    if attempt < policy.max_attempts
                        && started.elapsed() + wait <= policy.max_elapsed =>
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

/// Handles a 401 with a token source: if it says the token expired, forget that token, fetch
/// another and put it on `retry`. Returns the response (rebuilt where its body was read) and
/// whether `retry` should be sent.
async fn refresh_on_401(
    source: &TokenSource,
    response: reqwest::Response,
    retry: &mut reqwest::Request,
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
    match source.token().await.and_then(|t| bearer(&t)) {
        Ok(value) => {
            retry.headers_mut().insert(AUTHORIZATION, value);
            Ok((response, true))
        }
        Err(_) => Ok((response, false)),
    }
}

fn bearer(token: &Secret) -> Result<HeaderValue, String> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| "the access token has characters not allowed in a header".to_owned())?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_servers_follow_the_client_to_its_origin() {
        let default = "https://api.open-finance.ai/v2";
        let token = "https://api.open-finance.ai";
        assert_eq!(
            operation_base(default, default, token),
            "https://api.open-finance.ai"
        );
        assert_eq!(
            operation_base("http://127.0.0.1:8080/v2", default, token),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            operation_base(
                "http://127.0.0.1:8080/v2",
                default,
                "https://auth.example.com/oauth/"
            ),
            "https://auth.example.com/oauth"
        );
    }
}
