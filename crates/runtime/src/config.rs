use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};

use crate::auth::{Credentials, OperationSecurity};
use crate::error::BuildError;

/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for a whole request, from sending it to reading the last body byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Configuration of a generated client, filled in by its builder.
#[derive(Debug)]
pub struct ClientConfig {
    base_url: String,
    credentials: Credentials,
    headers: Vec<(&'static str, String)>,
    http: Option<reqwest::Client>,
    connect_timeout: Duration,
    timeout: Duration,
    user_agent: String,
}

impl ClientConfig {
    /// A configuration with the provider's default base URL and the crate's user agent.
    pub fn new(default_base_url: &str, user_agent: &str) -> Self {
        Self {
            base_url: default_base_url.to_owned(),
            credentials: Credentials::None,
            headers: Vec::new(),
            http: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            user_agent: user_agent.to_owned(),
        }
    }

    /// Sets the base URL (scheme, host, optional port and path prefix).
    pub fn set_base_url(&mut self, base_url: impl Into<String>) {
        self.base_url = base_url.into();
    }

    /// Sets the credentials sent with every request whose operation accepts them.
    pub fn set_credentials(&mut self, credentials: Credentials) {
        self.credentials = credentials;
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
    pub fn build(
        self,
        security: &'static [OperationSecurity],
        request_id_header: &'static str,
    ) -> Result<(String, reqwest::Client, Runtime), BuildError> {
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
        headers.insert(USER_AGENT, user_agent);
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
        let request_id_header = HeaderName::from_static(request_id_header);
        let runtime = Runtime(Arc::new(RuntimeInner {
            credentials: self.credentials,
            headers,
            security,
            request_id_header,
        }));
        Ok((base_url, http, runtime))
    }
}

fn http_client(connect: Duration, request: Duration) -> Result<reqwest::Client, BuildError> {
    let builder = reqwest::Client::builder()
        .connect_timeout(connect)
        .timeout(request);
    #[cfg(feature = "rustls")]
    let builder = {
        // reqwest is built without its default aws-lc provider (a much slower cold build).
        // Where the application has installed no rustls provider of its own, install ring's.
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        builder.tls_backend_rustls()
    };
    builder.build().map_err(|e| BuildError::Http(e.to_string()))
}

/// The per-client state progenitor's generated hooks call into: credentials, client-level
/// headers, the operations' security requirements. Cheap to clone.
#[derive(Clone)]
pub struct Runtime(Arc<RuntimeInner>);

struct RuntimeInner {
    credentials: Credentials,
    headers: HeaderMap,
    security: &'static [OperationSecurity],
    request_id_header: HeaderName,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("credentials", &self.0.credentials)
            .field("headers", &self.0.headers)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// Prepares a request built by generated code before it is sent: client-level headers,
    /// `User-Agent`, and credentials as the operation's security requirements allow.
    /// `operation` is the name progenitor's `OperationInfo` carries (the Rust method name).
    pub async fn prepare(
        &self,
        request: &mut reqwest::Request,
        operation: &str,
    ) -> Result<(), String> {
        for (name, value) in &self.0.headers {
            request.headers_mut().insert(name, value.clone());
        }
        let security = self
            .0
            .security
            .iter()
            .find(|s| s.operation == operation)
            .ok_or_else(|| {
                format!("no security requirements generated for operation {operation}")
            })?;
        self.0.credentials.apply(request, security)
    }

    /// The response header that carries the provider's request id.
    pub fn request_id_header(&self) -> &HeaderName {
        &self.0.request_id_header
    }
}
