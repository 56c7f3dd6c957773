//! Layer 2 of the runtime, errors: what a call can fail with. Imports layer 1 (secrets and
//! redaction), the response metadata every error keeps ([`crate::meta`]) and decode errors
//! ([`crate::decode_error`]).
//!
//! Every error built from a response derefs to its [`ResponseMeta`] (operation, status,
//! request id, headers, raw body), so `err.status()`, `err.request_id()` and
//! `err.raw_body()` need no trait in scope. No `Display` or `Debug` here prints a body, a
//! header value or a value taken from a response.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;
use std::time::SystemTime;

use http::StatusCode;

pub use crate::classify::TransportKind;
use crate::classify::{Outcome, classify};
use crate::decode_error::DecodeError;
use crate::meta::ResponseMeta;
use crate::secret::BodySummary;

/// An error response of one documented (or undocumented) status: its [`ResponseMeta`]
/// (through `Deref`: `e.status()`, `e.request_id()`, `e.headers()`, `e.raw_body()`) and the
/// decoded body `B` (`()` where the spec documents none).
#[derive(Clone)]
pub struct ApiError<B> {
    meta: ResponseMeta,
    body: B,
}

impl<B> ApiError<B> {
    /// An error response with its decoded body.
    pub fn new(meta: ResponseMeta, body: B) -> Self {
        Self { meta, body }
    }

    /// An error to answer with from a mock server (`finapi_runtime::mock`, a generated
    /// crate's `mock` feature): the body alone. The status is the one its variant documents
    /// (for `default`, `Undocumented` or a class such as `4XX`: 500, or the class's first,
    /// unless [`ApiError::mock_with_status`] names one).
    pub fn mock(body: B) -> Self {
        Self::mock_with_status(StatusCode::INTERNAL_SERVER_ERROR, body)
    }

    /// An error to answer with from a mock server, with its status: what a `default`, a
    /// class (`4XX`) or an `Undocumented` variant answers with.
    pub fn mock_with_status(status: StatusCode, body: B) -> Self {
        let meta = ResponseMeta::new(
            "mock",
            status,
            http::HeaderMap::new(),
            None,
            bytes::Bytes::new(),
        );
        Self { meta, body }
    }

    /// The decoded body the spec documents for this status.
    pub fn body(&self) -> &B {
        &self.body
    }

    /// Consumes the error, returning the decoded body.
    pub fn into_body(self) -> B {
        self.body
    }

    /// The response's status, request id, headers and raw body.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }
}

impl<B> Deref for ApiError<B> {
    type Target = ResponseMeta;

    fn deref(&self) -> &ResponseMeta {
        &self.meta
    }
}

impl<B> fmt::Debug for ApiError<B> {
    /// Status, request id, and the body's type and size: never the body itself, which may
    /// echo personal data or credentials sent in the request. Read it with [`ApiError::body`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.meta.status())
            .field("request_id", &self.meta.request_id())
            .field("body", &BodySummary::new::<B>(self.meta.raw_body().len()))
            .finish_non_exhaustive()
    }
}

impl<B> fmt::Display for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.meta.fmt(f)
    }
}

impl<B> std::error::Error for ApiError<B> {}

/// What every generated per-operation error enum is: an error that derefs to its response's
/// [`ResponseMeta`]. Implemented for every such type, as a bound for generic code
/// (`fn log<E: OperationError>(err: &Error<E>)`); calling `status()` and the others needs no
/// import.
pub trait OperationError: Deref<Target = ResponseMeta> + fmt::Debug + fmt::Display {}

impl<T: Deref<Target = ResponseMeta> + fmt::Debug + fmt::Display + ?Sized> OperationError for T {}

/// The error of one call of a generated client. `E` is the operation's own error enum, one
/// variant per documented status; it derefs to the response's [`ResponseMeta`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status: a documented one, as a typed variant, or an
    /// undocumented one, with its raw body.
    Api(E),
    /// The server answered with a documented status, but its body does not match the spec.
    Decode(Box<DecodeError>),
    /// The request could not be sent, or the response could not be read (connection refused
    /// or reset, timeout, TLS, a body cut short), or the call's deadline passed.
    Transport(TransportError),
    /// The request could not be built from the arguments (for instance a header value that
    /// is not valid in HTTP, or a body that cannot be serialized).
    InvalidRequest {
        /// The operation's `operationId`.
        operation: &'static str,
        /// What is wrong.
        message: String,
    },
    /// No credentials could be sent: the client's kind of credentials is not one the
    /// operation accepts, or no access token could be had from the token endpoint.
    Auth(AuthError),
    /// A list operation's pages did not advance (a response repeated a cursor the stream had
    /// already followed): the stream ends with this error instead of looping.
    Pagination {
        /// The operation's `operationId`.
        operation: &'static str,
        /// What went wrong (never the cursor itself).
        message: &'static str,
    },
}

impl<E> Error<E> {
    /// The operation's typed error, if the server answered with an error status.
    pub fn api(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Consumes the error, returning the operation's typed error if there is one.
    pub fn into_api(self) -> Option<E> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }
}

impl Error<std::convert::Infallible> {
    /// An error raised before any operation's typed error could be: as any operation's.
    pub(crate) fn widen<E>(self) -> Error<E> {
        match self {
            Error::Api(never) => match never {},
            Error::Decode(e) => Error::Decode(e),
            Error::Transport(e) => Error::Transport(e),
            Error::InvalidRequest { operation, message } => {
                Error::InvalidRequest { operation, message }
            }
            Error::Auth(e) => Error::Auth(e),
            Error::Pagination { operation, message } => Error::Pagination { operation, message },
        }
    }
}

impl<E: Deref<Target = ResponseMeta>> Error<E> {
    /// The HTTP status, where the server answered (for [`Error::Auth`], the token endpoint's).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::Decode(e) => Some(e.status()),
            Error::Auth(e) => e.status(),
            _ => None,
        }
    }

    /// The provider's request id, where the server answered with one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id(),
            Error::Decode(e) => e.request_id(),
            Error::Auth(e) => e.request_id(),
            _ => None,
        }
    }

    /// Whether sending the request again later may succeed, by the rule the client's own
    /// retries follow (`classify.rs`): a rate limit, or a connection that could not be
    /// made (nothing was sent), whatever the request; an unavailable or overloaded server
    /// (408, 502, 503, 504), a timeout or a transport error only for a request that is safe to
    /// repeat. Never for a POST without an idempotency key that the server (or a gateway) may
    /// have received. (The client has already retried what its retry policy allows.)
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => e.is_retryable(),
            // A rate limit or an outage whose body does not match the spec (often empty).
            Error::Decode(e) => e.is_retryable(),
            Error::Transport(t) => t.is_retryable(),
            Error::Auth(a) => a.is_retryable(),
            Error::InvalidRequest { .. } | Error::Pagination { .. } => false,
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::InvalidRequest { operation, message } => {
                write!(f, "{operation}: invalid request: {message}")
            }
            Error::Auth(e) => e.fmt(f),
            Error::Pagination { operation, message } => {
                write!(f, "{operation}: pagination stopped: {message}")
            }
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(e) => Some(e),
            Error::Decode(e) => Some(&**e),
            Error::Transport(e) => Some(e),
            Error::Auth(e) => Some(e),
            Error::InvalidRequest { .. } | Error::Pagination { .. } => None,
        }
    }
}

/// The request could not be sent or the response could not be read.
///
/// Its messages never hold the request's URL (whose path and query may carry personal data):
/// the operation and what went wrong.
#[derive(Debug)]
pub struct TransportError {
    operation: &'static str,
    kind: TransportKind,
    repeatable: bool,
    source: Option<reqwest::Error>,
}

impl TransportError {
    // Invariant (no error quotes a response): the URL (its path may carry personal data) goes.
    /// A transport error of `operation` from reqwest (the URL is dropped from it).
    /// `repeatable`: whether the request is safe to send twice.
    pub(crate) fn new(operation: &'static str, source: reqwest::Error, repeatable: bool) -> Self {
        let kind = TransportKind::of(&source);
        Self {
            operation,
            kind,
            repeatable,
            source: Some(source.without_url()),
        }
    }

    /// The call's deadline passed before it was done.
    pub(crate) fn deadline(operation: &'static str, repeatable: bool) -> Self {
        Self {
            operation,
            kind: TransportKind::Timeout,
            repeatable,
            source: None,
        }
    }

    /// The `operationId` of the operation that was called.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// What kind of failure it was.
    pub fn kind(&self) -> TransportKind {
        self.kind
    }

    /// Whether an attempt or the whole call timed out.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportKind::Timeout
    }

    /// Whether the connection could not be opened (nothing was sent).
    pub fn is_connect(&self) -> bool {
        self.kind == TransportKind::Connect
    }

    /// Whether sending the request again may succeed without harm: a connection that could not
    /// be opened, or any failure of a request that is safe to repeat (an idempotent method,
    /// an idempotency key, or a request that was never sent).
    pub fn is_retryable(&self) -> bool {
        classify(
            Outcome::Transport(self.kind),
            self.repeatable,
            SystemTime::now(),
        )
        .is_retry()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportKind::Timeout => "timed out",
            TransportKind::Connect => "could not connect",
            TransportKind::Body => "could not read the response body",
            TransportKind::Other => "request failed",
        };
        write!(f, "{}: {what}", self.operation)?;
        match &self.source {
            Some(source) => write!(f, ": {source}"),
            None => f.write_str(": the call's deadline (RetryPolicy::max_elapsed) passed"),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// Why no credentials could be sent with a call.
#[derive(Debug)]
#[non_exhaustive]
pub enum AuthFailure {
    /// The client holds credentials of a kind the operation does not accept.
    Unsupported {
        /// What the operation accepts and what the client holds (never a value).
        message: String,
    },
    /// The token endpoint answered with an error status.
    Rejected {
        /// The token endpoint's response: status, request id, headers, raw body.
        meta: ResponseMeta,
        /// The body decoded as the token operation's documented error (its generated error
        /// enum), where it matches the spec.
        error: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// The token request could not be sent, or timed out, or its response not read.
    Transport(TransportError),
    /// The token endpoint answered with a success status, but not with a usable token (not
    /// JSON, no token field, no expiry).
    InvalidResponse {
        /// The token endpoint's response.
        meta: ResponseMeta,
        /// What is missing or wrong (never a value of the body).
        message: String,
    },
}

/// No credentials could be sent with a call: see [`AuthError::failure`].
///
/// Cheap to clone: every call that waited on the same token request gets the same error.
#[derive(Debug, Clone)]
pub struct AuthError {
    operation: &'static str,
    failure: Arc<AuthFailure>,
}

impl AuthError {
    pub(crate) fn new(operation: &'static str, failure: Arc<AuthFailure>) -> Self {
        Self { operation, failure }
    }

    /// The `operationId` of the operation whose call needed credentials.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Why no credentials could be sent.
    pub fn failure(&self) -> &AuthFailure {
        &self.failure
    }

    /// The token endpoint's response, where it answered.
    pub fn token_response(&self) -> Option<&ResponseMeta> {
        match &*self.failure {
            AuthFailure::Rejected { meta, .. } | AuthFailure::InvalidResponse { meta, .. } => {
                Some(meta)
            }
            _ => None,
        }
    }

    /// The token endpoint's status, where it answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.token_response().map(ResponseMeta::status)
    }

    /// The token endpoint's request id, where it answered with one.
    pub fn request_id(&self) -> Option<&str> {
        self.token_response().and_then(ResponseMeta::request_id)
    }

    /// The token endpoint's error body, decoded as the token operation's documented error:
    /// `err.token_error().and_then(|e| e.downcast_ref::<CreateAccessTokenError>())`.
    pub fn token_error(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        match &*self.failure {
            AuthFailure::Rejected { error, .. } => error.as_deref(),
            _ => None,
        }
    }

    /// Whether the token request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(&*self.failure, AuthFailure::Transport(t) if t.is_timeout())
    }

    /// Whether trying again later may succeed, by the rule every retry follows
    /// (`classify.rs`; a token request is safe to repeat): the token endpoint answered
    /// 408, 429, 502, 503 or 504, or could not be reached, or timed out.
    pub fn is_retryable(&self) -> bool {
        match &*self.failure {
            AuthFailure::Rejected { meta, .. } => meta.is_retryable(),
            AuthFailure::Transport(t) => t.is_retryable(),
            AuthFailure::Unsupported { .. } | AuthFailure::InvalidResponse { .. } => false,
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.failure {
            AuthFailure::Unsupported { message } => write!(f, "{}: {message}", self.operation),
            AuthFailure::Rejected { meta, .. } => write!(
                f,
                "{}: no access token: the token endpoint ({meta})",
                self.operation
            ),
            AuthFailure::Transport(t) => {
                write!(
                    f,
                    "{}: no access token: the token endpoint ({t})",
                    self.operation
                )
            }
            AuthFailure::InvalidResponse { meta, message } => write!(
                f,
                "{}: no access token: the token endpoint ({meta}): {message}",
                self.operation
            ),
        }
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.failure {
            AuthFailure::Transport(t) => Some(t),
            AuthFailure::Rejected { error: Some(e), .. } => Some(&**e as _),
            _ => None,
        }
    }
}

/// A client could not be built from its configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute http(s) URL.
    BaseUrl {
        /// The URL given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// A header name or value is not valid in HTTP (the value is not shown: it may be secret).
    Header {
        /// The header's name.
        name: &'static str,
    },
    /// The HTTP client could not be built (TLS initialisation, for instance).
    Http(String),
    /// The credentials are incomplete (the message names what is missing, never a value).
    Credentials(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::BaseUrl { url, reason } => write!(f, "invalid base URL {url:?}: {reason}"),
            BuildError::Header { name } => write!(f, "invalid value for header {name}"),
            BuildError::Http(reason) => write!(f, "cannot build the HTTP client: {reason}"),
            BuildError::Credentials(reason) => write!(f, "incomplete credentials: {reason}"),
        }
    }
}

impl std::error::Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    use bytes::Bytes;
    use http::HeaderMap;

    fn meta(status: u16, body: &'static str) -> ResponseMeta {
        ResponseMeta::new(
            "op",
            StatusCode::from_u16(status).expect("status"),
            HeaderMap::new(),
            Some("req-1".into()),
            Bytes::from_static(body.as_bytes()),
        )
    }

    #[test]
    fn an_api_error_prints_status_and_request_id_never_its_body() {
        let e = ApiError::new(meta(400, r#"{"error":"account 0004321567000"}"#), ());
        let text = format!("{e}\n{e:?}\n{:?}", e.meta());
        assert!(!text.contains("0004321567000"), "{text}");
        assert!(
            text.contains("op: status 400 Bad Request (request id req-1)"),
            "{text}"
        );
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert_eq!(e.request_id(), Some("req-1"));
        assert_eq!(&e.raw_body()[..], br#"{"error":"account 0004321567000"}"#);
    }

    #[test]
    fn token_endpoint_failures_say_whether_to_try_again() {
        let rejected = |status| {
            AuthError::new(
                "op",
                Arc::new(AuthFailure::Rejected {
                    // A token request is safe to repeat: the token source says so.
                    meta: meta(status, "").with_repeatable(true),
                    error: None,
                }),
            )
        };
        // The one rule (classify) the token loop retries by.
        for status in [408, 429, 502, 503, 504] {
            assert!(rejected(status).is_retryable(), "{status}");
        }
        for status in [400, 401, 500] {
            assert!(!rejected(status).is_retryable(), "{status}");
        }
        assert_eq!(
            rejected(503).status(),
            Some(StatusCode::SERVICE_UNAVAILABLE)
        );
        assert_eq!(rejected(503).request_id(), Some("req-1"));
        let unsupported = AuthError::new(
            "op",
            Arc::new(AuthFailure::Unsupported {
                message: "no".into(),
            }),
        );
        assert!(!unsupported.is_retryable());
        assert_eq!(unsupported.status(), None);
    }

    #[test]
    fn an_api_error_is_retryable_by_the_rule_the_call_loop_retries_by() {
        let error = |status, repeatable| {
            ApiError::new(meta(status, "").with_repeatable(repeatable), ()).is_retryable()
        };
        // A 429 whatever the request; a 503 only where a second copy does no harm.
        assert!(error(429, false) && error(429, true));
        assert!(error(503, true) && !error(503, false));
        assert!(!error(500, true) && !error(400, true));
    }

    #[test]
    fn a_deadline_error_says_what_passed() {
        let t = TransportError::deadline("op", false);
        assert!(t.is_timeout());
        assert!(!t.is_retryable());
        assert!(TransportError::deadline("op", true).is_retryable());
        assert!(t.to_string().starts_with("op: timed out"), "{t}");
    }
}
