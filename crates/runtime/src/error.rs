use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// What every generated per-operation error enum offers, whatever the variant.
pub trait ErrorResponse: fmt::Debug + fmt::Display {
    /// The HTTP status of the response.
    fn status(&self) -> StatusCode;
    /// The provider's request id, if the response carried one.
    fn request_id(&self) -> Option<&str>;
    /// The response headers.
    fn headers(&self) -> &HeaderMap;
    /// The response body exactly as received.
    fn raw_body(&self) -> &Bytes;

    /// Whether sending the request again later may succeed (408, 429, 502, 503, 504).
    fn is_retryable(&self) -> bool {
        matches!(self.status().as_u16(), 408 | 429 | 502 | 503 | 504)
    }
}

/// The error of one call of a generated client. `E` is the operation's own error enum, one
/// variant per documented status.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status: a documented one, as a typed variant, or an
    /// undocumented one, with its raw body.
    Api(E),
    /// The server answered with a documented status, but its body does not match the spec.
    Decode(Box<DecodeError>),
    /// The request could not be sent, or the response could not be read (connection refused
    /// or reset, timeout, TLS, a body cut short).
    Transport(TransportError),
    /// The request could not be built from the arguments (for instance a header value that
    /// is not valid in HTTP, or a body that cannot be serialized).
    InvalidRequest {
        /// The operation's `operationId`.
        operation: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The client's credentials cannot be used for this operation.
    Auth {
        /// The operation's `operationId`.
        operation: &'static str,
        /// What is wrong.
        message: String,
    },
}

impl<E: ErrorResponse> Error<E> {
    /// The HTTP status, where the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// The provider's request id, where the server answered with one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id(),
            Error::Decode(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// Whether sending the request again later may succeed: a rate limit, a timeout, an
    /// unavailable or overloaded server, a connection that could not be made. (The client has
    /// already retried what its retry policy allows.)
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => e.is_retryable(),
            // A rate limit or an outage whose body does not match the spec (often empty).
            Error::Decode(e) => matches!(e.status.as_u16(), 408 | 429 | 502 | 503 | 504),
            Error::Transport(t) => t.source.is_timeout() || t.source.is_connect(),
            _ => false,
        }
    }

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

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::InvalidRequest { operation, message } => {
                write!(f, "{operation}: invalid request: {message}")
            }
            Error::Auth { operation, message } => write!(f, "{operation}: {message}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(e) => Some(e),
            Error::Decode(e) => Some(&**e),
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}

/// A response whose status is documented but whose body does not match the spec. Keeps
/// everything that was received. Its `Debug` shows the body's size, not its content.
pub struct DecodeError {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// The provider's request id, if the response carried one.
    pub request_id: Option<String>,
    /// The response headers.
    pub headers: HeaderMap,
    /// The response body exactly as received.
    pub body: Bytes,
    /// Where in the body decoding stopped (a path such as `account.balances.current`), and why.
    pub source: serde_path_to_error::Error<serde_json::Error>,
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field(
                "body",
                &crate::response::BodySummary::new::<Bytes>(&self.body),
            )
            .field("path", &self.source.path().to_string())
            .field("error", &self.source.inner().to_string())
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the {} response body does not match the spec",
            self.operation, self.status
        )?;
        let path = self.source.path().to_string();
        if path != "." {
            write!(f, " at `{path}`")?;
        }
        write!(f, ": {}", self.source.inner())?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.inner())
    }
}

/// The request could not be sent or the response could not be read.
#[derive(Debug)]
pub struct TransportError {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The underlying HTTP client error.
    pub source: reqwest::Error,
}

impl TransportError {
    /// Whether the request or the connection timed out.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }

    /// Whether the connection could not be opened.
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.source.is_timeout() {
            "timed out"
        } else if self.source.is_connect() {
            "could not connect"
        } else if self.source.is_body() || self.source.is_decode() {
            "could not read the response body"
        } else {
            "request failed"
        };
        // reqwest's Display names the URL, which holds path parameters but never credentials.
        write!(f, "{}: {what}: {}", self.operation, self.source)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
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
