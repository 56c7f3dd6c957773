//! Layer 5 of the runtime, the call engine: what a call reads of its client ([`Runtime`]),
//! built once from a [`ClientConfig`] and the generated [`Api`] table: the HTTP client,
//! credentials (static, or a token source), client headers, the operations' security
//! requirements and servers, the retry policy. The call itself is `call.rs`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};

use crate::auth::{Credentials, OperationSecurity, StaticCredentials};
use crate::config::{Api, ClientConfig, operation_base};
use crate::error::BuildError;
use crate::interceptor::Interceptor;
use crate::options::CallOptions;
use crate::retry::RetryPolicy;
use crate::tls::http_client_builder;
use crate::token_source::{TokenSource, TokenSourceConfig};

/// A client's credentials, ready to go on a request.
pub(crate) enum Auth {
    /// Basic or bearer credentials (or none), their header made once.
    Static(StaticCredentials),
    /// Tokens from the provider's token endpoint.
    Token(Arc<TokenSource>),
}

/// What a call reads of its client: credentials, client-level headers, the operations'
/// security requirements and servers, the retry policy, the HTTP client, the interceptors;
/// and the per-call options of a client made with `Client::with`. Cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<RuntimeInner>,
    options: Option<Arc<CallOptions>>,
}

pub(crate) struct RuntimeInner {
    pub(crate) http: reqwest::Client,
    pub(crate) auth: Auth,
    pub(crate) headers: HeaderMap,
    pub(crate) security: &'static [OperationSecurity],
    /// Operations with their own server: (method name, its base URL).
    pub(crate) servers: Vec<(&'static str, String)>,
    pub(crate) base_url: String,
    pub(crate) request_id_header: HeaderName,
    pub(crate) retry: RetryPolicy,
    /// The longest one attempt may take, where this client built its HTTP client (a client
    /// given by the caller keeps its own timeouts): the timeout that HTTP client was built
    /// with, so that a request needs a timeout of its own only where its bound differs.
    pub(crate) attempt_timeout: Option<Duration>,
    /// The caller's hooks, in the order they were added.
    pub(crate) interceptors: Vec<Arc<dyn Interceptor>>,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Runtime");
        match &self.inner.auth {
            Auth::Static(c) => d.field("credentials", c.credentials()),
            Auth::Token(t) => d.field("credentials", t),
        };
        d.field("headers", &self.inner.headers)
            .field("interceptors", &self.inner.interceptors.len())
            .field("options", &self.options)
            .finish_non_exhaustive()
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
    /// of: the base URL, the HTTP client and the runtime its calls run with.
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
        let runtime = Runtime {
            inner: Arc::new(RuntimeInner {
                http: http.clone(),
                auth,
                headers,
                security: api.security,
                servers,
                base_url: base_url.clone(),
                request_id_header,
                retry: config.retry,
                attempt_timeout,
                interceptors: config.interceptors.0,
            }),
            options: None,
        };
        Ok((base_url, http, runtime))
    }

    /// The same client (connections, credentials, token source, interceptors) with these
    /// options for its calls, in place of any it had: what a generated `Client::with` holds.
    pub fn with_options(&self, options: CallOptions) -> Runtime {
        Runtime {
            inner: Arc::clone(&self.inner),
            options: Some(options.shared()),
        }
    }

    /// The same client with its calls bounded by `deadline` as well: the options it has (if
    /// any) kept, their deadline the shorter of the two. What a waiter's polls run in.
    pub fn within(&self, deadline: Duration) -> Runtime {
        let mut options = self.options().cloned().unwrap_or_default();
        options.deadline = Some(options.deadline.map_or(deadline, |d| d.min(deadline)));
        Runtime {
            inner: Arc::clone(&self.inner),
            options: Some(options.shared()),
        }
    }

    /// The per-call options, where this runtime has some.
    pub(crate) fn options(&self) -> Option<&CallOptions> {
        self.options.as_deref()
    }

    /// The retry policy of a call: the options', else the client's.
    pub(crate) fn retry(&self) -> &RetryPolicy {
        self.options()
            .and_then(|o| o.retry.as_ref())
            .unwrap_or(&self.inner.retry)
    }

    /// Everything a call reads of its client.
    pub(crate) fn inner(&self) -> &RuntimeInner {
        &self.inner
    }

    /// The response header that carries the provider's request id.
    pub fn request_id_header(&self) -> &HeaderName {
        &self.inner.request_id_header
    }
}
