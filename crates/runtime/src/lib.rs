//! Shared runtime of the generated fintech API clients.
//!
//! Every generated provider crate depends on this crate for what all providers share:
//! credentials and their redaction ([`Credentials`], [`Secret`]), the request preparation
//! that progenitor's generated code calls before sending ([`Runtime`]), client configuration
//! ([`ClientConfig`]), and the typed response and error plumbing ([`Response`], [`ApiError`],
//! [`Error`]). Nothing in here is specific to one provider: per-provider policy arrives as
//! data from the generated code.

#![warn(missing_docs)]

mod auth;
mod config;
mod env;
mod error;
mod multipart;
mod query;
mod response;
mod retry;
mod secret;
mod token;

pub use auth::{Credentials, OperationSecurity, Scheme};
pub use config::{
    Api, ClientConfig, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, OperationServer, Runtime,
    http_client_builder,
};
pub use env::{env_arg, env_optional_arg, env_var};
pub use error::{BuildError, DecodeError, Error, ErrorResponse, TransportError};
pub use multipart::Multipart;
pub use query::DeepObject;
pub use response::{ApiError, RawBody, RawResponse, Response, collect};
pub use retry::RetryPolicy;
pub use secret::{REDACTED, Redacted, Secret};
pub use token::{Expiry, TokenCredentials, TokenEndpoint, TokenField};

/// Re-exports that generated code names by path, so generated crates need no direct
/// dependency on them.
pub mod export {
    pub use bytes::Bytes;
    pub use http::{HeaderMap, StatusCode};
    pub use progenitor_client;
    pub use reqwest;
    pub use tracing::Instrument;
}

/// The tracing span of one call: operation id, method, path template; status, request id and
/// attempt are recorded as they become known. Never a header value, a body or a secret.
pub fn call_span(
    operation: &'static str,
    method: &'static str,
    path: &'static str,
) -> tracing::Span {
    tracing::info_span!(
        "finapi.call",
        operation,
        method,
        path,
        status = tracing::field::Empty,
        request_id = tracing::field::Empty,
        attempt = tracing::field::Empty,
    )
}
