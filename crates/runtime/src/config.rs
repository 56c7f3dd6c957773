//! Layer 4 of the runtime, configuration: what a client is built from ([`ClientConfig`],
//! filled in by a generated `ClientBuilder`) and what the generated code says about its API
//! ([`Api`]). Data only: the call engine ([`crate::Runtime`]) is built from it.

use std::sync::Arc;
use std::time::Duration;

use crate::auth::{Credentials, OperationSecurity};
use crate::interceptor::Interceptor;
use crate::retry::RetryPolicy;
use crate::tls;

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
// Invariant (operations with their own server follow the client).
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
    pub(crate) base_url: String,
    pub(crate) default_base_url: String,
    pub(crate) credentials: Credentials,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) http: Option<reqwest::Client>,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) user_agent: String,
    pub(crate) retry: RetryPolicy,
    pub(crate) interceptors: Interceptors,
}

/// The interceptors of a configuration (Debug shows how many).
#[derive(Default)]
pub(crate) struct Interceptors(pub(crate) Vec<Arc<dyn Interceptor>>);

impl std::fmt::Debug for Interceptors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} interceptor(s)", self.0.len())
    }
}

impl ClientConfig {
    /// A configuration with the provider's default base URL and the crate's user agent.
    pub fn new(default_base_url: &str, user_agent: &str) -> Self {
        // So that a reqwest::Client the caller builds next has TLS too.
        tls::install_provider();
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
            interceptors: Interceptors::default(),
        }
    }

    /// Adds an interceptor: its hooks run at every call's phases, after those added before
    /// it ([`Interceptor`]).
    pub fn add_interceptor(&mut self, interceptor: impl Interceptor) {
        self.interceptors.0.push(Arc::new(interceptor));
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
    /// settings then apply to each attempt; [`ClientConfig::set_timeouts`] then bounds only
    /// token requests, and [`RetryPolicy::max_elapsed`] still bounds the whole call.
    pub fn set_http_client(&mut self, client: reqwest::Client) {
        self.http = Some(client);
    }

    /// Sets the connect timeout and the timeout of one attempt (sending a request and reading
    /// its whole response). A whole call, retries and waits included, is bounded by
    /// [`RetryPolicy::max_elapsed`].
    pub fn set_timeouts(&mut self, connect: Duration, request: Duration) {
        self.connect_timeout = connect;
        self.timeout = request;
    }

    /// Sets the `User-Agent` header.
    pub fn set_user_agent(&mut self, user_agent: impl Into<String>) {
        self.user_agent = user_agent.into();
    }
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
